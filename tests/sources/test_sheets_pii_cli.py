"""End to end through the CLI: `ffa ingest sheets copy` then `parse`; no phone, e-mail or GM surname anywhere."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ff_analytics.cli.main import app
from ff_analytics.errors import SourceError
from ff_analytics.replay.sheets import build_sheets_server, load_recorded_spreadsheet, replay_env
from ff_analytics.settings import get_settings
from ff_analytics.sources.sheets.pii import EMAIL, PHONE
from ff_analytics.sources.sheets.validation import sheets_checks

SURNAME = re.compile(r"\bDoe\b")  # the recording's stand-in GM surname


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    srv = build_sheets_server(load_recorded_spreadsheet())
    with srv:
        for key, value in replay_env(srv).items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        yield srv


def _leaks(text: str) -> list[str]:
    return [m.group(0) for rx in (PHONE, EMAIL, SURNAME) for m in rx.finditer(text)]


def _file_texts(root: Path) -> dict[str, str]:
    texts = {}
    for path in root.rglob("*"):
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            texts[str(path)] = "\n".join(
                v for c in frame.columns if frame.schema[c] == pl.String
                for v in frame.get_column(c).drop_nulls().to_list())
        elif path.is_file():
            texts[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def test_the_source_has_personal_data_and_no_output_or_log_line_does(server, data_root, caplog):
    source_cells = [c for grid in load_recorded_spreadsheet().tabs.values() for row in grid for c in row]
    assert len(_leaks("\n".join(source_cells))) >= 27  # the scan below can find what it looks for

    runner = CliRunner()
    with caplog.at_level(logging.DEBUG):
        copied = runner.invoke(app, ["ingest", "sheets", "copy", "--dt", "2025-10-01"])
        parsed = runner.invoke(app, ["ingest", "sheets", "parse", "--dt", "2025-10-01"])
    assert copied.exit_code == 0, copied.output
    assert parsed.exit_code == 0, parsed.output
    assert "10 tabs" in copied.output and "27 personal cells redacted" in copied.output
    assert "sheets/transactions dt=2025-10-01 [new]: 3908 rows" in parsed.output

    files = _file_texts(data_root)
    assert any(p.endswith("tab_andy.parquet") for p in files) and any(p.endswith("_meta.json") for p in files)
    assert any("snapshot_registry.csv" in p for p in files)
    leaks = {p: _leaks(t) for p, t in files.items() if _leaks(t)}
    assert leaks == {}
    log_text = "\n".join(r.getMessage() for r in caplog.records) + copied.output + parsed.output
    assert caplog.records and _leaks(log_text) == []

    statuses = {c.name: c.status for c in sheets_checks()}
    assert statuses == {"copy_tabs_present": "warn", "copy_grids_complete": "pass", "raw_no_personal_data": "pass",
                        "parse_required_columns": "pass", "parse_transactions_qa_rate": "pass",
                        "parse_cap_reconciles": "pass"}


def test_cli_errors_name_the_source_and_problem(server):
    del next(iter(server.sheets_replay.spreadsheets.values())).tabs["JP"]
    result = CliRunner().invoke(app, ["ingest", "sheets", "copy", "--dt", "2025-10-01"])
    assert result.exit_code != 0
    assert isinstance(result.exception, SourceError)
    assert str(result.exception).startswith("[sheets/raw_tabs] expected tabs missing from the spreadsheet: ['JP']")
