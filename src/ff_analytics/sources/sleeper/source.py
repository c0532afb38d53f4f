"""Sleeper as a :class:`~ff_analytics.sources.contract.Source`: the league API, every season of the chain."""

from __future__ import annotations

from collections.abc import Sequence

from ff_analytics.settings import Settings
from ff_analytics.snapshots.store import WriteResult
from ff_analytics.sources.contract import IngestOptions, Source, Stage, StageContext
from ff_analytics.sources.sleeper import cli
from ff_analytics.sources.sleeper.checks import sleeper_checks
from ff_analytics.sources.sleeper.connector import ingest_sleeper


class SleeperOptions(IngestOptions):
    datasets: list[str] | None = None
    seasons: list[int] | str | None = None
    league_id: str | None = None
    force_players: bool = False


def _ingest(ctx: StageContext, options: SleeperOptions, _before: Sequence[WriteResult]) -> list[WriteResult]:
    return ingest_sleeper(options.datasets, league_id=options.league_id, seasons=options.seasons,
                          force_players=options.force_players, store=ctx.store, run_id=ctx.run_id, dt=ctx.dt)


def _missing(settings: Settings, _base_url: str | None) -> list[str]:
    return [] if settings.sleeper_league_id else ["FFA_SLEEPER_LEAGUE_ID (the Sleeper league id)"]


SOURCE = Source(
    name="sleeper",
    description="Sleeper league API: league, users, rosters, transactions, picks, players.",
    options=SleeperOptions,
    stages=(Stage("fetch", _ingest),),
    register_cli=cli.register,
    checks=sleeper_checks,
    base_url_setting="sleeper_base_url",
    missing_settings=_missing,
    flow_name="sleeper_pipeline",
)
