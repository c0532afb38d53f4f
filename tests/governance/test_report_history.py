"""The report after recorded runs: kept findings (sheets, dbt) with their text, "what changed since the last run"
(named snapshots, then "nothing changed"), the dbt tests chart, and cards coloured by their worst finding."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
from typer.testing import CliRunner

from ff_analytics.governance.findings import Finding, Severity
from ff_analytics.governance.gate import govern_pending
from ff_analytics.governance.history import record_run_history
from ff_analytics.governance.ops_store import RunRecord, default_warehouse
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.cli_app import governance_app
from tests.governance.tree import recording

DBT_FIXTURE = Path(__file__).parents[1] / "dbt_runner" / "fixtures" / "demo_build"
ABSENT = "9 expected tabs present; declared absent: ['McCreary', 'Piper', 'TJ']"
T0 = datetime(2025, 1, 20, 9, 0, tzinfo=UTC)


def report(out: Path, *extra: str) -> tuple[str, dict]:
    res = CliRunner().invoke(governance_app(), ["report", "--out", str(out), "--as-of", "2025-01-20", *extra])
    assert res.exit_code == 0, res.output
    return (out / "governance_report.html").read_text(), json.loads((out / "governance_report.json").read_text())


def card(html: str, source: str, dataset: str) -> str:
    match = re.search(rf'<div class="card (sev-\w+)" id="{source}-{dataset}">', html)
    assert match, f"no card for {source}/{dataset}"
    return match.group(1)


def first_run(tree: SnapshotStore) -> None:
    """A run that writes a new sheet copy (with the absent-tabs warning) and a dbt build that warned."""
    before = tree.registry.read()
    tabs = {n.lower(): recording("sheets", n, f"{n}.parquet") for n in ("Andy", "Chip", "Eric", "Gordon")}
    written = tree.write("sheets", "raw_tabs", tabs, dt="2025-01-20")
    absent = Finding(severity=Severity.warning, check="sheets", code="copy_tabs_present", message=ABSENT,
                     source="sheets", dataset="raw_tabs", dt=written.dt)
    gate = govern_pending(tree, "sheets", "raw_tabs", written.dt, extra_findings=[absent], run_id="run-1")
    events = record_run_history(RunRecord("run-1", T0, T0 + timedelta(minutes=2), "demo"), before, store=tree,
                                findings=gate.findings, dbt_artifacts_dir=DBT_FIXTURE,
                                written=[("sheets", "raw_tabs", "2025-01-20")])
    assert {e.event for e in events} == {"written", "promoted"}


def test_report_names_changes_then_says_nothing_changed(tree: SnapshotStore, tmp_path: Path) -> None:
    html, doc = report(tmp_path / "none")
    assert doc["what_changed"]["known"] is False and "no run recorded yet" in html

    first_run(tree)
    html, doc = report(tmp_path / "one")
    changed = {(e["source"], e["dataset"], e["dt"], e["event"]) for e in doc["what_changed"]["changed"]}
    assert changed == {("sheets", "raw_tabs", "2025-01-20", "written"), ("sheets", "raw_tabs", "2025-01-20",
                                                                          "promoted")}
    section = html.split('id="what-changed"', 1)[1].split("</ul>", 1)[0]
    assert "sheets/raw_tabs 2025-01-20</b>: written" in section
    # the kept findings are in the HTML and the JSON with their text
    assert "declared absent: [&#x27;McCreary&#x27;, &#x27;Piper&#x27;, &#x27;TJ&#x27;]" in html
    assert any(f["message"] == ABSENT for f in doc["findings"])
    assert "assert_staging_row_counts_match_baseline warned" in html
    assert doc["summary"]["warnings"] >= 2
    assert card(html, "sheets", "raw_tabs") == "sev-warning"
    assert [r["tests_warn"] for r in doc["runs"]] == [1]
    assert 'id="plot-tests"' in html and "no runs recorded yet" not in html

    unchanged = [(r.source, r.dataset, r.snapshot_date) for r in tree.registry.read() if r.status == "current"]
    record_run_history(RunRecord("run-2", T0 + timedelta(hours=1), T0 + timedelta(hours=1)), tree.registry.read(),
                       store=tree, dbt_artifacts_dir=DBT_FIXTURE, unchanged=unchanged)
    con = duckdb.connect(str(default_warehouse(tree.root)), read_only=True)
    per_run = con.execute("select run_id, count(*) filter (where message like '%McCreary%'), "
                          "count(*) filter (where code = 'dbt_test_warn') from ops.findings group by run_id "
                          "order by run_id").fetchall()
    con.close()
    assert per_run == [("run-1", 1, 1), ("run-2", 1, 1)]  # the unchanged snapshot's finding is in both runs
    hist = CliRunner().invoke(governance_app(), ["findings", "history"])
    assert hist.exit_code == 0, hist.output
    assert "run-1" in hist.output and "run-2" in hist.output and "1 warn / 0 error" in hist.output
    assert hist.stdout.rstrip().endswith("last run: nothing changed")
    html, doc = report(tmp_path / "two")
    assert doc["what_changed"]["changed"] == [] and doc["what_changed"]["since"]["run_id"] == "run-2"
    assert "nothing changed" in html.split('id="what-changed"', 1)[1][:200]
    assert "declared absent" in html  # the unchanged snapshot's finding is still shown


def test_a_low_mapping_rate_is_never_a_green_card(tree: SnapshotStore, tmp_path: Path) -> None:
    weekly = recording("nflverse", "weekly", "weekly.parquet")
    xref = tmp_path / "xref.csv"
    ids = weekly["player_id"].unique().sort()
    pl.DataFrame({"gsis_id": ids.head(len(ids) // 2)}).write_csv(xref)  # about half the players map
    html, doc = report(tmp_path / "out", "--xref", str(xref))
    low = [f for f in doc["findings"] if f["code"] == "mapping_rate_low" and f["dataset"] == "weekly"]
    assert len(low) == 1 and low[0]["severity"] == "warning", low
    assert "map player_id to the crosswalk's gsis_id (warn below 90%, error below 25%)" in low[0]["message"]
    assert card(html, "nflverse", "weekly") == "sev-warning"

    pl.DataFrame({"gsis_id": ["00-0000000"]}).write_csv(xref)  # nothing maps: 0 %
    html, doc = report(tmp_path / "zero", "--xref", str(xref))
    assert card(html, "nflverse", "weekly") == "sev-error"
    assert "0.0% of rows (0/" in html


def test_a_damaged_warehouse_costs_the_history_not_the_report(tree: SnapshotStore, tmp_path: Path) -> None:
    wh = default_warehouse(tree.root)
    wh.parent.mkdir(parents=True, exist_ok=True)
    wh.write_text("not a database")
    html, doc = report(tmp_path / "out")
    [gone] = [f for f in doc["findings"] if f["code"] == "ops_history_unavailable"]
    assert "cannot open warehouse" in gone["message"] and "ff_analytics.duckdb" in gone["message"]
    assert "no run recorded yet" in html and "nflverse/weekly" in html
