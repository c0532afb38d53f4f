"""KeepTradeCut as a :class:`~ff_analytics.sources.contract.Source`: dynasty values for players and picks."""

from __future__ import annotations

from collections.abc import Sequence

from ff_analytics.snapshots.store import WriteResult
from ff_analytics.sources.contract import IngestOptions, Source, Stage, StageContext
from ff_analytics.sources.ktc import cli
from ff_analytics.sources.ktc.checks import ktc_checks
from ff_analytics.sources.ktc.connector import DEFAULT_SCOPES, ingest_ktc


class KtcOptions(IngestOptions):
    datasets: list[str] | None = None
    market_scopes: list[str] = list(DEFAULT_SCOPES)


def _ingest(ctx: StageContext, options: KtcOptions, _before: Sequence[WriteResult]) -> list[WriteResult]:
    return ingest_ktc(options.datasets, options.market_scopes, store=ctx.store, run_id=ctx.run_id, dt=ctx.dt)


SOURCE = Source(
    name="ktc",
    description="KeepTradeCut dynasty values (players and picks).",
    options=KtcOptions,
    stages=(Stage("fetch", _ingest),),
    register_cli=cli.register,
    checks=ktc_checks,
    base_url_setting="ktc_base_url",
    depends_on=("nflverse",),
    flow_name="ktc_pipeline",
)
