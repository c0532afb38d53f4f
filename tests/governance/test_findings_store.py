"""Findings persist with their snapshot: shown by validate and `findings list` on later runs that do not re-check
the snapshot, retired when the data changes, hidden by a recorded acknowledgement."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from typer.testing import CliRunner

from ff_analytics.governance.findings import Finding, Severity
from ff_analytics.governance.findings_store import FINDINGS_PATH, FindingsStore
from ff_analytics.governance.gate import govern_pending
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.cli_app import governance_app
from tests.governance.tree import recording

ABSENT = "9 expected tabs present; declared absent: ['McCreary', 'Piper', 'TJ']"


def cli(*args: str):
    return CliRunner().invoke(governance_app(), list(args))


TABS = ("Andy", "Chip", "Eric", "Gordon", "JP", "James")


def sheet_copy(store: SnapshotStore, dt: str, tabs: tuple[str, ...] = TABS[:4]):
    """A new raw copy (the tree's has 3 tabs: each extra tab is growth within bounds, never a blocking drop)."""
    frames = {name.lower(): recording("sheets", name, f"{name}.parquet") for name in tabs}
    return store.write("sheets", "raw_tabs", frames, dt=dt)


def absent_warning(dt) -> Finding:
    return Finding(severity=Severity.warning, check="sheets", code="copy_tabs_present", message=ABSENT,
                   source="sheets", dataset="raw_tabs", dt=dt)


def test_a_gate_warning_persists_until_acknowledged_and_the_ack_is_recorded(tree: SnapshotStore) -> None:
    written = sheet_copy(tree, "2025-01-20")
    gate = govern_pending(tree, "sheets", "raw_tabs", written.dt, extra_findings=[absent_warning(written.dt)],
                          run_id="run-1")
    assert gate.promoted
    # a later run does not re-check the unchanged snapshot: validate still names the absent franchises
    for _ in range(2):
        res = cli("validate", "--as-of", "2025-01-20")
        assert res.exit_code == 0, res.output
        assert "declared absent: ['McCreary', 'Piper', 'TJ']" in res.output
        assert "1 warnings" in res.output
    doc = json.loads(cli("validate", "--format", "json", "--as-of", "2025-01-20").stdout)
    assert doc["summary"]["warnings"] == 1
    assert [f["code"] for f in doc["findings"] if f["severity"] == "warning"] == ["copy_tabs_present"]

    listed = cli("findings", "list")
    assert listed.exit_code == 0 and ABSENT in listed.output and "1 active" in listed.output

    acked = cli("findings", "ack", "copy_tabs_present", "--reason", "the recording lacks three tabs", "--by", "ana")
    assert acked.exit_code == 0, acked.output
    assert "acknowledged copy_tabs_present sheets/raw_tabs 2025-01-20" in acked.output
    assert "declared absent" not in cli("validate", "--as-of", "2025-01-20").output
    everything = cli("findings", "list", "--all")
    assert "ACKNOWLEDGED by ana" in everything.output and "the recording lacks three tabs" in everything.output
    ack = FindingsStore(tree.root).acknowledged()[0]
    assert (ack.by, ack.reason, ack.dt.isoformat()) == ("ana", "the recording lacks three tabs", "2025-01-20")
    assert ack.at.tzinfo is not None


def test_new_data_retires_old_findings_and_raises_them_again_when_still_wrong(tree: SnapshotStore) -> None:
    first = sheet_copy(tree, "2025-01-20")
    govern_pending(tree, "sheets", "raw_tabs", first.dt, extra_findings=[absent_warning(first.dt)])
    cli("findings", "ack", "copy_tabs_present", "--reason", "known")
    second = sheet_copy(tree, "2025-01-21", tabs=TABS[:5])
    govern_pending(tree, "sheets", "raw_tabs", second.dt)  # the new copy is clean
    assert FindingsStore(tree.root).active() == []
    assert [a.dt.isoformat() for a in FindingsStore(tree.root).acknowledged()] == ["2025-01-20"]  # the record stays

    third = sheet_copy(tree, "2025-01-22", tabs=TABS)
    govern_pending(tree, "sheets", "raw_tabs", third.dt, extra_findings=[absent_warning(third.dt)])
    active = FindingsStore(tree.root).active()
    assert [(f.code, f.dt.isoformat()) for f in active] == [("copy_tabs_present", "2025-01-22")]


def test_a_blocked_pending_snapshot_keeps_its_error_visible(tree: SnapshotStore) -> None:
    tree.write("ktc", "players", recording("ktc", "players", "players.parquet").head(5), dt="2025-01-20")
    gate = govern_pending(tree, "ktc", "players", "2025-01-20")
    assert not gate.promoted
    res = cli("validate", "--as-of", "2025-01-20")
    assert res.exit_code == 1
    assert "5 rows vs 50 in 2025-01-19 (-90.0%): drop beyond" in res.output
    assert "ktc/players 2025-01-20" in res.output


def test_ack_of_an_unknown_code_is_an_error_that_changes_nothing(tree: SnapshotStore) -> None:
    written = sheet_copy(tree, "2025-01-20")
    govern_pending(tree, "sheets", "raw_tabs", written.dt, extra_findings=[absent_warning(written.dt)])
    path = tree.root.path(FINDINGS_PATH)
    before = open(path, "rb").read()
    store = FindingsStore(tree.root)
    try:
        store.ack("no_such_code", "because")
    except Exception as exc:  # noqa: BLE001 - asserting on the message below
        assert "no active finding with code 'no_such_code'; active codes: copy_tabs_present" in str(exc)
    else:
        raise AssertionError("ack of an unknown code did not fail")
    res = cli("findings", "ack", "copy_tabs_present", "--reason", "  ")
    assert res.exit_code != 0
    assert open(path, "rb").read() == before


def test_a_damaged_store_is_an_error_finding_naming_the_file(tree: SnapshotStore) -> None:
    path = tree.root.path(FINDINGS_PATH)
    with open(path, "w") as fh:
        fh.write('{"findings": [{"severity": "loud"}]}')
    res = cli("validate", "--as-of", "2025-01-20")
    assert res.exit_code == 1
    assert "findings_store_unreadable" not in res.output  # the line shows the message, not the code
    assert "registry/findings.json is damaged" in res.output


def test_dbt_findings_are_replaced_by_the_next_dbt_run(tree: SnapshotStore) -> None:
    store = FindingsStore(tree.root)
    warn = Finding(severity=Severity.warning, check="dbt", code="dbt_test_warn", source="dbt",
                   dataset="assert_staging_row_counts_match_baseline", message="test warned: Got 2 results")
    day1, day2 = datetime(2025, 1, 19, tzinfo=UTC), datetime(2025, 1, 20, tzinfo=UTC)
    store.record([warn], [(None, None, None, "dbt")], run_id="r1", now=day1)
    store.record([warn.model_copy(update={"message": "test warned: Got 1 result"})], [(None, None, None, "dbt")],
                 run_id="r2", now=day2)
    active = store.active()
    assert [(f.message, f.first_seen, f.last_seen, f.run_id) for f in active] == [
        ("test warned: Got 1 result", day1, day2, "r2")]
    store.record([], [(None, None, None, "dbt")])  # the next dbt run passed every test
    assert store.active() == []


def test_findings_markdown_names_the_text_for_artifacts() -> None:
    from ff_analytics.governance.findings import findings_markdown

    md = findings_markdown([absent_warning(None), Finding(severity=Severity.info, check="x", code="y", message="z")])
    assert "| warning | sheets/raw_tabs | `copy_tabs_present` | 9 expected tabs present; declared absent: " in md
    assert "`y`" not in md  # info is context, not a finding to show
    assert "No errors or warnings." in findings_markdown([])


def test_a_source_level_finding_passed_to_the_gate_retires_with_the_snapshot(tree: SnapshotStore) -> None:
    first = sheet_copy(tree, "2025-01-20")
    general = Finding(severity=Severity.warning, check="sheets", code="sheet_quota", source="sheets",
                      message="read quota nearly used")
    govern_pending(tree, "sheets", "raw_tabs", first.dt, extra_findings=[general])
    [kept] = FindingsStore(tree.root).active()
    assert (kept.dataset, kept.dt) == ("raw_tabs", first.dt)
    second = sheet_copy(tree, "2025-01-21", tabs=TABS[:5])
    govern_pending(tree, "sheets", "raw_tabs", second.dt)
    assert FindingsStore(tree.root).active() == []


def test_the_store_works_on_an_object_store_root(s3_bucket: str) -> None:
    """On S3 (a moto server) next to an S3 registry: record, list, acknowledge."""
    from ff_analytics.governance.sync import root_for
    from ff_analytics.snapshots.registry import RegistryRow, SnapshotRegistry, render_registry

    root = root_for(s3_bucket)
    with root.fs.open(root.path("registry/snapshot_registry.csv"), "wb") as fh:
        fh.write(render_registry([RegistryRow("sheets", "raw_tabs", "2025-01-20", "current")]).encode())
    assert SnapshotRegistry(root).current("sheets", "raw_tabs") is not None
    store = FindingsStore(root)
    store.record([absent_warning(date(2025, 1, 20))], [("sheets", "raw_tabs", date(2025, 1, 20))])
    assert [f.message for f in store.active()] == [ABSENT]
    assert root.fs.exists(root.path(FINDINGS_PATH))
    store.ack("copy_tabs_present", "known", by="ana")
    assert store.active() == [] and store.acknowledged()[0].by == "ana"
