"""nflverse as a :class:`~ff_analytics.sources.contract.Source`: seven datasets through nflreadpy."""

from __future__ import annotations

from collections.abc import Sequence

from ff_analytics.snapshots.store import WriteResult
from ff_analytics.sources.contract import IngestOptions, Source, Stage, StageContext
from ff_analytics.sources.nflverse import cli
from ff_analytics.sources.nflverse.connector import ingest_nflverse
from ff_analytics.sources.nflverse.mirror import UPSTREAM_HOST


class NflverseOptions(IngestOptions):
    datasets: list[str] | None = None
    seasons: list[int] | str | None = None


def _ingest(ctx: StageContext, options: NflverseOptions, _before: Sequence[WriteResult]) -> list[WriteResult]:
    return ingest_nflverse(options.datasets, options.seasons, store=ctx.store, run_id=ctx.run_id, dt=ctx.dt)


SOURCE = Source(
    name="nflverse",
    description="nflverse: player stats, snaps, opportunity, schedule, teams, players, id crosswalk.",
    options=NflverseOptions,
    stages=(Stage("fetch", _ingest),),
    register_cli=cli.register,
    base_url_setting="nflverse_base_url",
    upstream_probe=UPSTREAM_HOST,
    flow_name="nfl_data_pipeline",
)
