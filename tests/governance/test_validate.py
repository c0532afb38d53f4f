"""`validate`: registry ↔ disk, manifest ↔ Parquet footers, gaps, samples; bad input becomes findings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ff_analytics.governance.findings import SCHEMA_VERSION
from ff_analytics.governance.validate import validate
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.cli_app import governance_app
from tests.governance.tree import AS_OF, EARLIER, TODAY, partition

REPO = Path(__file__).resolve().parents[2]


def codes(findings, severities=("error", "warning")) -> set[tuple[str, str | None, str | None]]:
    return {(f.code, f.source, f.dataset) for f in findings if f.severity in severities}


def edit_registry(data_root: Path, fn) -> None:
    path = data_root / "registry/snapshot_registry.csv"
    path.write_text(fn(path.read_text()))


def test_clean_tree_has_no_findings_even_deep(tree: SnapshotStore) -> None:
    assert validate(tree, as_of=AS_OF, deep=True) == []


def test_registry_row_without_partition_and_partition_without_row(tree: SnapshotStore, data_root: Path) -> None:
    import shutil

    shutil.rmtree(partition(data_root, "ktc", "players", EARLIER))  # historical row, folder gone
    edit_registry(data_root, lambda t: "\n".join(line for line in t.splitlines()
                                                 if not line.startswith("sleeper,users,")) + "\n")
    findings = validate(tree, as_of=AS_OF)
    assert codes(findings) == {("registry_missing_partition", "ktc", "players"),
                               ("partition_unregistered", "sleeper", "users")}
    missing = next(f for f in findings if f.code == "registry_missing_partition")
    assert missing.dt.isoformat() == EARLIER and missing.path.endswith(f"raw/ktc/players/dt={EARLIER}")


def test_archived_row_whose_data_was_deleted_is_only_noted(tree: SnapshotStore, data_root: Path) -> None:
    import shutil

    edit_registry(data_root, lambda t: t.replace(f"ktc,players,{EARLIER},historical",
                                                 f"ktc,players,{EARLIER},archived"))
    shutil.rmtree(partition(data_root, "ktc", "players", EARLIER))
    findings = validate(tree, as_of=AS_OF)
    assert codes(findings) == set()
    assert [f.code for f in findings] == ["archived_deleted"]


def test_corrupt_and_incomplete_manifests(tree: SnapshotStore, data_root: Path) -> None:
    (partition(data_root, "nflverse", "teams") / "_meta.json").write_text("{not json")
    meta = partition(data_root, "ktc", "picks") / "_meta.json"
    doc = json.loads(meta.read_text())
    del doc["content_hash"]
    meta.write_text(json.dumps(doc))
    (partition(data_root, "sleeper", "state") / "_meta.json").unlink()
    findings = validate(tree, as_of=AS_OF)
    assert codes(findings) == {("manifest_invalid", "nflverse", "teams"), ("manifest_invalid", "ktc", "picks"),
                               ("registry_missing_partition", "sleeper", "state")}
    picks = next(f for f in findings if f.dataset == "picks")
    assert "content_hash" in picks.message and picks.path.endswith("dt=2025-01-19/_meta.json")


def test_truncated_parquet_and_row_count_disagreements(tree: SnapshotStore, data_root: Path) -> None:
    f = partition(data_root, "ffanalytics", "projections_raw") / "projections_raw.parquet"
    f.write_bytes(f.read_bytes()[:200])
    meta = partition(data_root, "ktc", "players") / "_meta.json"
    doc = json.loads(meta.read_text())
    doc["files"][0]["row_count"] = 49
    meta.write_text(json.dumps(doc))
    edit_registry(data_root, lambda t: t.replace(f"nflverse,players,{TODAY},current,,,1000",
                                                 f"nflverse,players,{TODAY},current,,,999"))
    findings = validate(tree, as_of=AS_OF)
    assert codes(findings) == {("parquet_unreadable", "ffanalytics", "projections_raw"),
                               ("rowcount_file_mismatch", "ktc", "players"),
                               ("rowcount_manifest_inconsistent", "ktc", "players"),
                               ("rowcount_registry_mismatch", "nflverse", "players")}
    bad = next(f for f in findings if f.code == "parquet_unreadable")
    assert bad.path.endswith("projections_raw.parquet")


def test_deep_detects_rewritten_data_with_same_row_count(tree: SnapshotStore, data_root: Path) -> None:
    f = partition(data_root, "ktc", "picks") / "picks.parquet"
    table = pq.read_table(f)
    i = table.schema.get_field_index("value")
    pq.write_table(table.set_column(i, "value", pc.add(table["value"], 1)), f)
    assert validate(tree, as_of=AS_OF) == []  # footers agree: only --deep re-hashes
    assert codes(validate(tree, as_of=AS_OF, deep=True)) == {("content_hash_mismatch", "ktc", "picks")}
    pl.read_parquet(f).cast({"value": pl.Float64}).write_parquet(f)  # same rows, different column type
    assert codes(validate(tree, as_of=AS_OF, deep=True)) == {("content_hash_mismatch", "ktc", "picks"),
                                                             ("schema_hash_mismatch", "ktc", "picks")}


def test_bad_registry_line_stray_folders_and_samples(tree: SnapshotStore, data_root: Path) -> None:
    with open(data_root / "registry/snapshot_registry.csv", "a") as fh:
        fh.write("ktc,players,not-a-date\n")
    (data_root / "raw/ktc/players/dt=2025-02-30").mkdir()
    (data_root / "raw/ktc/players/latest").mkdir()
    meta = partition(data_root, "sheets", "transactions") / "_meta.json"
    meta.write_text(meta.read_text().replace('"samples": false', '"samples": true'))
    findings = validate(tree, as_of=AS_OF)
    assert codes(findings) == {("registry_bad_line", None, None), ("not_a_partition", "ktc", "players"),
                               ("samples_current", "sheets", "transactions")}
    assert sorted(f.path.rsplit("/", 1)[-1] for f in findings if f.code == "not_a_partition") == \
        ["dt=2025-02-30", "latest"]
    assert any("line" in f.message for f in findings if f.code == "registry_bad_line")


def test_week_gap_from_schedule_warns_or_fails(tree: SnapshotStore, data_root: Path) -> None:
    weekly = pl.read_parquet(partition(data_root, "nflverse", "weekly") / "weekly.parquet")
    tree.write("nflverse", "weekly", weekly.filter(pl.col("week") != 10), dt="2025-01-20")
    tree.registry.promote("nflverse", "weekly")
    findings = validate(tree, as_of=AS_OF)
    gap = [f for f in findings if f.check == "gaps"]
    assert [(f.severity, f.message) for f in gap] == \
        [("warning", "Week 10 missing for 2024 season (played per the nflverse schedule)")]
    assert [f.severity for f in validate(tree, as_of=AS_OF, fail_on_gaps=True) if f.check == "gaps"] == ["error"]


def test_cli_exit_codes_and_stable_json(tree: SnapshotStore, data_root: Path) -> None:
    runner, app = CliRunner(), governance_app()
    ok = runner.invoke(app, ["validate", "--as-of", AS_OF.isoformat()])
    assert ok.exit_code == 0 and "validate: OK" in ok.output
    (partition(data_root, "nflverse", "teams") / "_meta.json").write_text("{")
    res = runner.invoke(app, ["validate", "--sources", "nflverse", "sheets", "--format", "json"])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["schema_version"] == SCHEMA_VERSION and doc["check"] == "validate"
    assert doc["summary"] == {"errors": 1, "warnings": 0, "info": 0, "ok": False}
    assert set(doc["findings"][0]) == {"severity", "check", "code", "source", "dataset", "dt", "path", "message"}
    only_ktc = runner.invoke(app, ["validate", "ktc"])
    assert only_ktc.exit_code == 0


def test_seed_compatible_tool_script(tree: SnapshotStore, data_root: Path) -> None:
    cmd = [sys.executable, str(REPO / "tools/validate_manifests.py"), "--sources", "nflverse", "sheets",
           "--fail-on-gaps", "--as-of", AS_OF.isoformat()]
    clean = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (partition(data_root, "sheets", "transactions") / "transactions.parquet").write_bytes(b"PAR1")
    broken = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert broken.returncode == 1 and "parquet_unreadable" not in broken.stderr
    assert "Parquet footer unreadable" in broken.stdout and "transactions.parquet" in broken.stdout
    unknown = subprocess.run(cmd[:2] + ["--sources", "nope"], capture_output=True, text=True, cwd=REPO)
    assert unknown.returncode == 1 and "unknown source 'nope'" in unknown.stderr


@pytest.mark.parametrize("root_kind", ["missing"])
def test_empty_or_missing_root_is_clean(root_kind: str) -> None:
    assert validate(SnapshotStore(), as_of=AS_OF) == []


def test_a_root_without_a_registry_is_an_error_naming_the_root(tmp_path, monkeypatch):
    """A mistyped FFA_DATA_ROOT must not look healthy: validate, freshness and coverage refuse it."""
    from ff_analytics.settings import get_settings
    from tests.governance.cli_app import governance_app

    missing = tmp_path / "not-a-root"
    monkeypatch.setenv("FFA_DATA_ROOT", str(missing))
    get_settings.cache_clear()
    for command in ("validate", "freshness", "coverage"):
        res = CliRunner().invoke(governance_app(), [command])
        assert res.exit_code != 0, (command, res.output)
        assert str(missing) in str(res.exception) + res.output, command
