"""Copy step: the real gspread client against a local server speaking the Sheets v4 / Drive v3 endpoints."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.replay.sheets import (
    build_sheets_server,
    load_recorded_spreadsheet,
    replay_env,
    throwaway_service_account,
)
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.sheets.copy import copy_league_sheet
from ff_analytics.sources.sheets.grid import frame_to_grid, grid_checksum
from ff_analytics.sources.sheets.pii import REDACTED, contains_contact
from ff_analytics.sources.sheets.validation import sheets_checks

RECORDED_TABS = ["Andy", "Chip", "Eric", "Gordon", "JP", "James", "Jason", "Joe", "Kevin", "TRANSACTIONS"]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    """The recorded spreadsheet served on 127.0.0.1, with the connector pointed at it."""
    srv = build_sheets_server(load_recorded_spreadsheet())
    with srv:
        for key, value in replay_env(srv).items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        yield srv


def _sheet(server):
    return next(iter(server.sheets_replay.spreadsheets.values()))


def _batch_path(server) -> str:
    return f"/v4/spreadsheets/{_sheet(server).spreadsheet_id}/values:batchGet"


def test_copy_reads_every_tab_in_one_batch_and_redacts_personal_cells(server):
    result = copy_league_sheet(dt="2025-10-01")

    assert result.status == "new"
    calls = [(r.method, r.path) for r in server.requests]
    sheet_id = _sheet(server).spreadsheet_id
    assert calls == [("POST", "/token"), ("GET", f"/v4/spreadsheets/{sheet_id}"), ("GET", _batch_path(server))]
    assert sorted(server.requests[-1].query["ranges"]) == sorted(f"'{t}'" for t in RECORDED_TABS)
    auth = {k.lower(): v for k, v in server.requests[-1].headers.items()}["authorization"]
    assert auth.startswith("Bearer replay-")

    params = result.manifest.params
    assert sorted(params["tabs"]) == sorted(RECORDED_TABS)
    assert params["excluded_tabs"] == ["McCreary", "Piper", "TJ"]
    assert params["pii_cells_redacted"] == 27  # GM name, phone and e-mail on each of the 9 GM tabs
    assert params["tabs"]["TRANSACTIONS"]["rows"] == 3913 and params["tabs"]["TRANSACTIONS"]["cols"] == 14
    assert params["tabs"]["Andy"]["rows"] == 37 and params["tabs"]["Andy"]["cols"] == 31
    assert params["tabs"]["Andy"]["source_sha256"] != params["tabs"]["Andy"]["snapshot_sha256"]
    assert params["tabs"]["TRANSACTIONS"]["source_sha256"] == params["tabs"]["TRANSACTIONS"]["snapshot_sha256"]

    store = SnapshotStore()
    andy = store.read("sheets", "raw_tabs", "2025-10-01", file="tab_andy")
    row2 = andy.filter(pl.col("row_number") == 2).row(0, named=True)
    assert row2["A"] == REDACTED and row2["M"] == REDACTED and row2["U"] == REDACTED
    assert row2["AE"] == "Bell Keg Titles: 0"  # non-personal header cells are kept
    assert andy.filter(pl.col("row_number") == 5).row(0, named=True)["B"] == "Trevor Lawrence"
    raw = store.read("sheets", "raw_tabs", "2025-10-01")
    cells = [v for c in raw.columns if raw.schema[c] == pl.String for v in raw.get_column(c).drop_nulls().to_list()]
    assert not any(contains_contact(v) or "Doe" in v for v in cells)
    assert store.registry.rows_for("sheets", "raw_tabs")[0].status == "pending"


def test_copy_grids_match_the_source_and_the_check_catches_tampering(server):
    result = copy_league_sheet(dt="2025-10-01")
    sheet = _sheet(server)
    store = SnapshotStore()
    tx = store.read("sheets", "raw_tabs", result.dt, file="tab_transactions")
    assert frame_to_grid(tx) == sheet.tabs["TRANSACTIONS"]
    assert grid_checksum(sheet.tabs["TRANSACTIONS"]) == result.manifest.params["tabs"]["TRANSACTIONS"]["source_sha256"]

    checks = {c.name: c for c in sheets_checks(store)}
    assert checks["copy_grids_complete"].status == "pass"
    assert checks["raw_no_personal_data"].status == "pass"
    assert checks["copy_tabs_present"].status == "warn"  # 3 GM tabs declared absent from the recording
    assert checks["parse_required_columns"].status == "pass"

    path = Path(result.path) / "tab_joe.parquet"
    joe = pl.read_parquet(path)
    joe.with_columns(pl.when(pl.col("row_number") == 5).then(pl.lit("Someone Else")).otherwise(pl.col("B"))
                     .alias("B")).write_parquet(path)
    checks = {c.name: c for c in sheets_checks(store)}
    assert checks["copy_grids_complete"].status == "fail"
    assert "Joe: checksum" in checks["copy_grids_complete"].detail


def test_missing_tab_fails_and_the_previous_snapshot_stays_current(server):
    store = SnapshotStore()
    copy_league_sheet(dt="2025-10-01")
    store.registry.promote("sheets", "raw_tabs")
    del _sheet(server).tabs["Kevin"]

    with pytest.raises(SourceError, match=r"expected tabs missing.*'Kevin'"):
        copy_league_sheet(dt="2025-10-02")

    assert [d.isoformat() for d in store.partition_dates("sheets", "raw_tabs")] == ["2025-10-01"]
    assert store.registry.current("sheets", "raw_tabs").snapshot_date == "2025-10-01"


def test_without_the_exclusion_list_the_three_unrecorded_tabs_are_missing(server, monkeypatch):
    monkeypatch.setenv("FFA_SHEETS_EXCLUDED_TABS", "")
    get_settings.cache_clear()
    with pytest.raises(SourceError, match=r"\['McCreary', 'Piper', 'TJ'\].*FFA_SHEETS_EXCLUDED_TABS"):
        copy_league_sheet(dt="2025-10-01")
    assert SnapshotStore().partition_dates("sheets", "raw_tabs") == []


def test_empty_tab_fails_without_writing(server):
    _sheet(server).tabs["Joe"] = [[]]
    with pytest.raises(SourceError, match="tab 'Joe' is empty"):
        copy_league_sheet(dt="2025-10-01")
    assert SnapshotStore().partition_dates("sheets", "raw_tabs") == []


def test_429_storm_gives_up_with_a_clear_error_and_writes_nothing(server):
    server.fail(_batch_path(server), 429, times=50, headers={"Retry-After": "0"},
                body=b'{"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}',
                content_type="application/json")
    with pytest.raises(SourceError, match=r"\[sheets/raw_tabs\] gave up after 5 attempts: HTTP 429.*values:batchGet"):
        copy_league_sheet(dt="2025-10-01")
    assert len(server.calls(_batch_path(server))) == 5
    assert SnapshotStore().partition_dates("sheets", "raw_tabs") == []


def test_429_is_retried_honouring_retry_after(server):
    server.fail(_batch_path(server), 429, times=2, headers={"Retry-After": "0"})
    result = copy_league_sheet(dt="2025-10-01")
    assert result.status == "new"
    assert len(server.calls(_batch_path(server))) == 3


def test_a_client_error_is_not_retried(server):
    server.fail(_batch_path(server), 403, times=5,
                body=b'{"error": {"code": 403, "message": "The caller does not have permission"}}',
                content_type="application/json")
    with pytest.raises(SourceError, match="HTTP 403 .*does not have permission"):
        copy_league_sheet(dt="2025-10-01")
    assert len(server.calls(_batch_path(server))) == 1


def test_drive_copy_flag_copies_the_spreadsheet(server):
    result = copy_league_sheet(dt="2025-10-01", drive_copy=True)
    copy_id = result.manifest.params["drive_copy_id"]
    assert copy_id.startswith("copy-")
    sheet_id = _sheet(server).spreadsheet_id
    assert [r.path for r in server.calls("/drive/")] == [f"/drive/v3/files/{sheet_id}/copy"]
    assert json.loads(server.calls("/drive/")[0].body)["name"].endswith("(ff-analytics copy 2025-10-01)")
    assert copy_id in server.sheets_replay.spreadsheets


def test_credentials_from_a_file_path(server, monkeypatch, tmp_path):
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps(throwaway_service_account(server.url + "/token")))
    monkeypatch.delenv("FFA_GOOGLE_SERVICE_ACCOUNT_JSON")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    get_settings.cache_clear()
    assert copy_league_sheet(dt="2025-10-01").status == "new"


def test_missing_or_broken_credentials_are_clear_errors_without_secrets(server, monkeypatch, tmp_path):
    monkeypatch.delenv("FFA_GOOGLE_SERVICE_ACCOUNT_JSON")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="no Google credentials"):
        copy_league_sheet(dt="2025-10-01")

    secret = throwaway_service_account(server.url + "/token")
    del secret["client_email"]
    monkeypatch.setenv("FFA_GOOGLE_SERVICE_ACCOUNT_JSON", json.dumps(secret))
    get_settings.cache_clear()
    with pytest.raises(ConfigError) as err:
        copy_league_sheet(dt="2025-10-01")
    assert "client_email" in str(err.value) and "PRIVATE KEY" not in str(err.value)


def test_unknown_excluded_tab_is_a_config_error(server, monkeypatch):
    monkeypatch.setenv("FFA_SHEETS_EXCLUDED_TABS", "Nobody")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="Nobody"):
        copy_league_sheet(dt="2025-10-01")
