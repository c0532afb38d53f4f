"""The plain steps (no Prefect): cadence-based pre-check, source checks and the governance gate wiring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.orchestration import steps
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.catalog import source_named
from ff_analytics.sources.sleeper.checks import sleeper_checks
from tests.prefect_server import free_port


def _ktc_frame(n: int) -> pl.DataFrame:
    return pl.DataFrame({"ktc_id": list(range(n)), "market_scope": ["dynasty_1qb"] * n, "value": [5000] * n,
                         "rank": list(range(1, n + 1))})


def test_load_is_due_until_every_dataset_is_loaded_then_follows_the_cron():
    store = SnapshotStore()
    assert steps.load_due("ktc", store).due  # nothing loaded yet
    for dataset in ("players", "picks"):
        store.write("ktc", dataset, _ktc_frame(10))
        store.registry.promote("ktc", dataset)
    loaded = store.read_manifest("ktc", "players", store.registry.current("ktc", "players").dt).asof_datetime
    # KTC cadence "0 7 * * *": due once 07:00 UTC after the last load has passed, not before.
    next_fire = (loaded.replace(hour=7, minute=0, second=0, microsecond=0)
                 + (timedelta(days=1) if loaded.hour >= 7 else timedelta()))
    assert not steps.load_due("ktc", store, now=next_fire - timedelta(minutes=1)).due
    assert steps.load_due("ktc", store, now=next_fire + timedelta(minutes=1)).due


def test_precheck_names_the_unreachable_url_and_forced_runs_skip_cadence(monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("FFA_KTC_BASE_URL", url)
    get_settings.cache_clear()
    with pytest.raises(SourceError, match="base URL not reachable") as info:
        steps.precheck(source_named("ktc"), force=True)
    assert info.value.url == url and info.value.source == "ktc"


def test_sheets_precheck_requires_credentials_for_the_real_api(monkeypatch):
    monkeypatch.setenv("FFA_SHEETS_BASE_URL", "https://sheets.googleapis.com")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", "")
    monkeypatch.setenv("FFA_GOOGLE_SERVICE_ACCOUNT_JSON", "")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="GOOGLE_APPLICATION_CREDENTIALS or FFA_GOOGLE_SERVICE_ACCOUNT_JSON"):
        steps.check_credentials(source_named("sheets"))


def test_a_failing_source_check_keeps_the_snapshot_pending():
    store = SnapshotStore()
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    frame = pl.DataFrame({"league_id": ["1", "1"], "season": [2024, 2024], "week": [1, 1], "created": [now_ms] * 2,
                          "status_updated": [now_ms - 10_000, now_ms]})  # first row updated before created
    written = store.write("sleeper", "transactions", frame)
    findings = sleeper_checks([written], store)
    assert [f.code for f in findings if f.is_error] == ["transaction_date_order"]
    [outcome] = steps.govern("sleeper", [written], store=store, extra_findings=findings)
    assert outcome.state == "pending" and not outcome.promoted
    assert "updated before they were created" in outcome.errors[0]
    assert store.registry.current("sleeper", "transactions") is None


def test_a_clean_snapshot_is_promoted_and_an_unchanged_one_is_left_alone():
    store = SnapshotStore()
    first = store.write("ktc", "players", _ktc_frame(20))
    checks = steps.source_checks(source_named("ktc"), [first], store)
    [outcome] = steps.govern("ktc", [first], store=store, extra_findings=checks)
    assert outcome.promoted and outcome.state == "current" and not outcome.errors
    again = store.write("ktc", "players", _ktc_frame(20))
    [same] = steps.govern("ktc", [again], store=store)
    assert again.status == "unchanged" and same.state == "current" and same.checks_run == 0


def test_a_misspelled_ingest_option_is_an_error_naming_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"seasonz.*allowed options: datasets, seasons") as info:
        source_named("nflverse").parse_options({"seasonz": [2024]})
    assert info.value.source == "nflverse"


def test_an_unknown_source_name_suggests_the_closest():
    with pytest.raises(ConfigError, match="did you mean sleeper"):
        source_named("sleepr")
