"""Registry lifecycle (promote, rollback, archive) and concurrent updates from two processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ff_analytics.errors import RegistryError
from ff_analytics.snapshots.lifecycle import archive_snapshots
from ff_analytics.snapshots.registry import COLUMNS, parse_registry
from ff_analytics.snapshots.store import SnapshotStore


def _write_days(store: SnapshotStore, days: list[str]) -> None:
    for i, day in enumerate(days):
        store.write("ktc", "players", pl.DataFrame({"player": ["a", "b"], "value": [i, i + 1]}), dt=day)
        store.registry.promote("ktc", "players", day)


def statuses(store: SnapshotStore) -> dict[str, str]:
    return {r.snapshot_date: r.status for r in store.registry.rows_for("ktc", "players")}


def test_registry_file_has_exactly_the_seed_columns(data_root: Path) -> None:
    store = SnapshotStore()
    _write_days(store, ["2025-01-01"])
    header = (data_root / "registry/snapshot_registry.csv").read_text().splitlines()[0]
    assert header.split(",") == COLUMNS == ["source", "dataset", "snapshot_date", "status",
                                            "coverage_start_season", "coverage_end_season", "row_count", "notes"]


def test_promote_makes_previous_current_historical() -> None:
    store = SnapshotStore()
    _write_days(store, ["2025-01-01", "2025-01-02", "2025-01-03"])
    assert statuses(store) == {"2025-01-01": "historical", "2025-01-02": "historical", "2025-01-03": "current"}
    with pytest.raises(RegistryError, match=r"\[ktc/players\] no pending snapshot to promote"):
        store.registry.promote("ktc", "players")
    with pytest.raises(RegistryError, match="no snapshot dated 2024-12-31"):
        store.registry.promote("ktc", "players", "2024-12-31")


def test_rollback_steps_back_one_snapshot_at_a_time() -> None:
    store = SnapshotStore()
    _write_days(store, ["2025-01-01", "2025-01-02", "2025-01-03"])
    assert store.registry.rollback("ktc", "players").snapshot_date == "2025-01-02"
    assert store.registry.rollback("ktc", "players").snapshot_date == "2025-01-01"
    assert statuses(store) == {"2025-01-01": "current", "2025-01-02": "historical", "2025-01-03": "historical"}
    assert "rolled back to 2025-01-01" in store.registry.rows_for("ktc", "players")[1].notes
    with pytest.raises(RegistryError, match="no historical snapshot before 2025-01-01"):
        store.registry.rollback("ktc", "players")
    assert store.read("ktc", "players")["value"].to_list() == [0, 1]


def test_archive_never_touches_current_or_pending_and_can_delete(data_root: Path) -> None:
    store = SnapshotStore()
    _write_days(store, ["2025-01-01", "2025-01-02", "2025-06-01"])
    store.write("ktc", "players", pl.DataFrame({"player": ["c"], "value": [9]}), dt="2025-06-02")
    archived = archive_snapshots(store, older_than_days=30, today=date(2025, 6, 10), delete=True)
    assert [r.snapshot_date for r in archived] == ["2025-01-01", "2025-01-02"]
    assert statuses(store) == {"2025-01-01": "archived", "2025-01-02": "archived", "2025-06-01": "current",
                               "2025-06-02": "pending"}
    assert not (data_root / "raw/ktc/players/dt=2025-01-01").exists()
    assert (data_root / "raw/ktc/players/dt=2025-06-01/_meta.json").exists()
    with pytest.raises(RegistryError, match="archived and cannot become current"):
        store.registry.promote("ktc", "players", "2025-01-01")
    # Even a current snapshot older than the cut-off stays.
    assert archive_snapshots(store, older_than_days=0, today=date(2026, 1, 1)) == []


def test_bad_registry_lines_are_reported_with_line_numbers() -> None:
    text = ",".join(COLUMNS) + "\nktc,players,2025-01-01,current,,,2,\nktc,players,2025-01-02,bogus,,,2,\n" \
        "ktc,players,not-a-date,pending,,,2,\nktc,players\n"
    rows, problems = parse_registry(text, "reg.csv")
    assert len(rows) == 1
    assert [p.line for p in problems] == [3, 4, 5]
    assert "unknown status 'bogus'" in problems[0].message and "not a date" in problems[1].message
    assert "2 fields, expected 8" in problems[2].message


def test_two_processes_updating_the_registry_lose_no_rows(data_root: Path) -> None:
    worker = textwrap.dedent("""
        import sys, polars as pl
        from ff_analytics.snapshots.store import SnapshotStore
        dataset = sys.argv[1]
        store = SnapshotStore()
        for day in range(1, 26):
            dt = f"2025-01-{day:02d}"
            store.write("nflverse", dataset, pl.DataFrame({"season": [2024], "v": [day]}), dt=dt)
            store.registry.promote("nflverse", dataset, dt)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", worker, ds]) for ds in ("teams", "players")]
    assert [p.wait(timeout=240) for p in procs] == [0, 0]
    store = SnapshotStore()
    for ds in ("teams", "players"):
        rows = store.registry.rows_for("nflverse", ds)
        assert len(rows) == 25
        assert [r.status for r in rows] == ["historical"] * 24 + ["current"]
