"""ffanalytics as a :class:`~ff_analytics.sources.contract.Source`: raw projections → consensus.

Production scrapes with the R package (``run_r``); the demo passes its recorded raw file (``raw_path``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ff_analytics.snapshots.store import WriteResult
from ff_analytics.sources.contract import IngestOptions, Source, Stage, StageContext
from ff_analytics.sources.ffanalytics import cli
from ff_analytics.sources.ffanalytics.checks import ffanalytics_checks
from ff_analytics.sources.ffanalytics.ingest import ingest_ffanalytics


class FfanalyticsOptions(IngestOptions):
    raw_path: Path | None = None
    season: int | None = None
    week: int | None = None


def _ingest(ctx: StageContext, options: FfanalyticsOptions, _before: Sequence[WriteResult]) -> list[WriteResult]:
    return ingest_ffanalytics(options.raw_path, run_r=options.raw_path is None, season=options.season,
                              week=options.week, store=ctx.store, run_id=ctx.run_id, dt=ctx.dt)


SOURCE = Source(
    name="ffanalytics",
    description="ffanalytics-style raw projections and their consensus.",
    options=FfanalyticsOptions,
    stages=(Stage("fetch", _ingest),),
    register_cli=cli.register,
    checks=ffanalytics_checks,
    depends_on=("nflverse",),  # players are mapped through the nflverse ff_playerids crosswalk
    flow_name="ffanalytics_pipeline",
)
