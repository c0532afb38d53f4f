"""The commissioner sheet as a :class:`~ff_analytics.sources.contract.Source`: two stages, copy then parse.

The copy is governed (and promoted) before the parse reads it, so a damaged copy never reaches the tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from ff_analytics.settings import Settings
from ff_analytics.snapshots.store import WriteResult
from ff_analytics.sources.contract import IngestOptions, Source, Stage, StageContext
from ff_analytics.sources.sheets import cli
from ff_analytics.sources.sheets.checks import sheets_checks
from ff_analytics.sources.sheets.copy import copy_league_sheet
from ff_analytics.sources.sheets.parse import parse_league_sheet

LOOPBACK_HOSTS = ("://127.0.0.1", "://localhost", "://[::1]")


class SheetsOptions(IngestOptions):
    sheet_id: str | None = None
    drive_copy: bool = False


def _copy(ctx: StageContext, options: SheetsOptions, _before: Sequence[WriteResult]) -> list[WriteResult]:
    return [copy_league_sheet(store=ctx.store, sheet_id=options.sheet_id, drive_copy=options.drive_copy,
                              run_id=ctx.run_id, dt=ctx.dt)]


def _parse(ctx: StageContext, _options: SheetsOptions, before: Sequence[WriteResult]) -> list[WriteResult]:
    raw_dt = next((r.dt for r in before if r.dataset == "raw_tabs"), None)
    return parse_league_sheet(raw_dt, store=ctx.store, run_id=ctx.run_id, dt=ctx.dt)


def _missing(settings: Settings, base_url: str | None) -> list[str]:
    """A sheet id always; Google credentials unless the API is a loopback replay (which does not authenticate)."""
    missing = [] if settings.sheet_id else ["FFA_SHEET_ID (the commissioner sheet's key)"]
    loopback = any(h in (base_url or "") for h in LOOPBACK_HOSTS)
    if not loopback and not (settings.google_application_credentials
                             or settings.google_service_account_json.get_secret_value()):
        missing.append("GOOGLE_APPLICATION_CREDENTIALS or FFA_GOOGLE_SERVICE_ACCOUNT_JSON (Google credentials)")
    return missing


SOURCE = Source(
    name="sheets",
    description="The commissioner Google Sheet: copied, then parsed into contracts, cap space, picks, transactions.",
    options=SheetsOptions,
    stages=(Stage("copy", _copy), Stage("parse", _parse, network=False)),
    register_cli=cli.register,
    checks=sheets_checks,
    base_url_setting="sheets_base_url",
    missing_settings=_missing,
    flow_name="league_sheet_pipeline",
)
