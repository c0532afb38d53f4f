"""Snapshot store: writing, idempotency, replacement, samples routing, manifests and bad input."""

from __future__ import annotations

import glob
import io
import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ff_analytics.errors import ConfigError, SnapshotError
from ff_analytics.snapshots.store import SnapshotStore


def weekly(rows: int = 3, offset: float = 0.0) -> pl.DataFrame:
    return pl.DataFrame({
        "player_id": [f"00-{i:07d}" for i in range(rows)],
        "season": [2024] * rows,
        "week": [1 + i % 2 for i in range(rows)],
        "fantasy_points": [float(i) + offset for i in range(rows)],
    })


def test_write_publishes_partition_with_complete_manifest(data_root: Path) -> None:
    store = SnapshotStore()
    result = store.write("nflverse", "weekly", weekly(), dt="2025-01-05", params={"seasons": [2024]},
                         upstream_url="https://example.test/weekly.parquet", source_version="v1",
                         loader="tests.snapshots", run_id="run-123")
    part = data_root / "raw/nflverse/weekly/dt=2025-01-05"
    assert result.status == "new" and Path(result.path) == part
    assert sorted(p.name for p in part.iterdir()) == ["_meta.json", "weekly.parquet"]
    meta = json.loads((part / "_meta.json").read_text())
    assert meta["source"] == "nflverse" and meta["dataset"] == "weekly" and meta["dt"] == "2025-01-05"
    assert meta["row_count"] == 3 and meta["files"][0]["row_count"] == 3
    assert pq.ParquetFile(part / "weekly.parquet").metadata.num_rows == 3
    assert meta["params"] == {"seasons": [2024]} and meta["upstream_url"].endswith("weekly.parquet")
    assert meta["loader"]["module"] == "tests.snapshots" and meta["run_id"] == "run-123"
    assert meta["coverage"] == {"min_season": 2024, "max_season": 2024, "weeks": {"2024": [1, 2]}}
    assert {c["name"]: c["type"] for c in meta["columns"]}["fantasy_points"] == "double"
    assert len(meta["schema_hash"]) == 16 and len(meta["content_hash"]) == 32
    assert meta["samples"] is False and meta["asof_datetime"].endswith("Z") or "+00:00" in meta["asof_datetime"]
    row = store.registry.rows_for("nflverse", "weekly")[0]
    assert (row.status, row.row_count, row.coverage_start_season, row.coverage_end_season) == \
        ("pending", "3", "2024", "2024")


def test_same_data_is_unchanged_and_writes_nothing(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    store.registry.promote("nflverse", "weekly")
    before = sorted(glob.glob(str(data_root / "raw/**"), recursive=True))
    again_today = store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    next_day = store.write("nflverse", "weekly", weekly(), dt="2025-01-06")
    assert again_today.status == "unchanged" and next_day.status == "unchanged"
    assert next_day.dt.isoformat() == "2025-01-05"  # points at the snapshot that holds this data
    assert sorted(glob.glob(str(data_root / "raw/**"), recursive=True)) == before
    assert len(store.registry.read()) == 1


def test_same_day_different_data_replaces_and_current_is_reinstated(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    store.registry.promote("nflverse", "weekly")
    store.write("nflverse", "weekly", weekly(4), dt="2025-01-06")
    store.registry.promote("nflverse", "weekly")
    replaced = store.write("nflverse", "weekly", weekly(5), dt="2025-01-06")
    assert replaced.status == "replaced"
    assert store.read("nflverse", "weekly", dt="2025-01-06").height == 5
    statuses = {r.snapshot_date: r.status for r in store.registry.rows_for("nflverse", "weekly")}
    # The replaced snapshot has not passed its checks: it is pending and readers fall back to 2025-01-05.
    assert statuses == {"2025-01-05": "current", "2025-01-06": "pending"}
    assert store.read("nflverse", "weekly").height == 3
    assert not list((data_root / "raw/nflverse/weekly").glob(".tmp-*"))


def test_samples_are_routed_apart_and_never_registered(data_root: Path) -> None:
    store = SnapshotStore()
    result = store.write("ktc", "players", weekly(), dt="2025-01-05", samples=True)
    assert Path(result.path) == data_root / "raw/ktc/_samples/players/dt=2025-01-05"
    assert result.manifest.samples is True
    assert glob.glob(str(data_root / "raw/ktc/players/dt=*/*.parquet")) == []
    assert store.registry.read() == []
    assert store.read("ktc", "players", dt="2025-01-05", samples=True).height == 3


def test_schema_drift_is_allowed_and_recorded(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    store.registry.promote("nflverse", "weekly")
    drifted = weekly().drop("week").with_columns(pl.col("season").cast(pl.Utf8), targets=pl.lit(1))
    result = store.write("nflverse", "weekly", drifted, dt="2025-01-06")
    drift = result.manifest.schema_drift
    assert drift is not None and drift.added == ["targets"] and drift.removed == ["week"]
    assert drift.retyped == {"season": "int64 -> string_view"}
    assert "schema drift" in store.registry.rows_for("nflverse", "weekly")[-1].notes


def test_multiple_named_files_in_one_snapshot(data_root: Path) -> None:
    store = SnapshotStore()
    result = store.write("sheets", "raw_tabs", {"andy": weekly(2), "chip": weekly(3)}, dt="2025-01-05")
    assert [f.name for f in result.manifest.files] == ["andy.parquet", "chip.parquet"]
    assert store.read("sheets", "raw_tabs", dt="2025-01-05").height == 5
    assert store.read("sheets", "raw_tabs", dt="2025-01-05", file="chip").height == 3


def test_files_published_as_served_keep_their_bytes_and_reuse_given_footers(data_root: Path) -> None:
    """``write_files`` publishes the bytes unchanged; footers the caller parsed give the same manifest as the
    store's own parse (same files, row counts, columns and content hash)."""
    payloads = {}
    for name, frame in (("week_b", weekly(3)), ("week_a", weekly(2, offset=5.0))):
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        payloads[name] = buffer.getvalue()
    footers = {name: pq.read_metadata(pa.BufferReader(data)) for name, data in payloads.items()}
    store = SnapshotStore()
    parsed = store.write_files("nflverse", "weekly", payloads, dt="2025-01-05", samples=True)
    given = store.write_files("nflverse", "weekly", payloads, footers=footers, dt="2025-01-06", samples=True)
    for result in (parsed, given):
        assert [(f.name, f.row_count) for f in result.manifest.files] == [("week_a.parquet", 2), ("week_b.parquet", 3)]
        for name, data in payloads.items():
            assert (Path(result.path) / f"{name}.parquet").read_bytes() == data
    assert given.manifest.content_hash == parsed.manifest.content_hash
    assert given.manifest.columns == parsed.manifest.columns and given.manifest.row_count == 5


def _served(frame: pl.DataFrame | pa.Table) -> bytes:
    buffer = io.BytesIO()
    if isinstance(frame, pa.Table):
        pq.write_table(frame, buffer)
    else:
        frame.write_parquet(buffer)
    return buffer.getvalue()


def test_files_with_different_schemas_are_each_read_and_unified(data_root: Path) -> None:
    """Seasons usually share a schema (converted once); a season with an extra column, or one whose Parquet
    schema is equal but whose Arrow metadata differs (timestamp time zone), is still read on its own."""
    wider = weekly(2, offset=5.0).with_columns(pl.lit("x").alias("extra"))
    result = SnapshotStore().write_files("nflverse", "weekly", {"s2023": _served(weekly(3)), "s2024": _served(wider)},
                                         dt="2025-01-05", samples=True)
    assert [c.name for c in result.manifest.columns][-1] == "extra"

    def stamped(tz: str) -> bytes:
        return _served(pa.table({"ts": pa.array([0], pa.timestamp("us", tz=tz))}))

    utc, new_york = stamped("UTC"), stamped("America/New_York")
    assert pq.read_metadata(pa.BufferReader(utc)).schema.equals(pq.read_metadata(pa.BufferReader(new_york)).schema)
    with pytest.raises(SnapshotError, match="disagree on column types"):
        SnapshotStore().write_files("nflverse", "weekly", {"a": utc, "b": new_york}, dt="2025-01-06", samples=True)


@pytest.mark.parametrize(("source", "dataset", "message"), [
    ("nflverse", "nope", "unknown dataset"),
    ("espn", "weekly", "unknown source"),
    ("nflverse", "../weekly", "invalid dataset name"),
    ("nfl/verse", "weekly", "invalid source name"),
    ("nflverse", "_samples", "invalid dataset name"),
])
def test_bad_names_are_refused_before_anything_is_written(data_root: Path, source: str, dataset: str,
                                                          message: str) -> None:
    with pytest.raises((SnapshotError, ConfigError), match=message.replace("(", r"\(")):
        SnapshotStore().write(source, dataset, weekly(), dt="2025-01-05")
    assert not (data_root / "raw").exists() or not any((data_root / "raw").rglob("*.parquet"))


def test_bad_date_and_empty_frame_are_clear_errors(data_root: Path) -> None:
    store = SnapshotStore()
    with pytest.raises(SnapshotError, match="'2025-13-40' is not a date"):
        store.write("nflverse", "weekly", weekly(), dt="2025-13-40")
    with pytest.raises(SnapshotError, match=r"\[nflverse/weekly\] refusing to write an empty snapshot"):
        store.write("nflverse", "weekly", weekly().clear(), dt="2025-01-05")
    assert store.write("sleeper", "transactions", pl.DataFrame({"id": []}, schema={"id": pl.Utf8}),
                       dt="2025-01-05").row_count == 0  # allowed to be empty by config
    assert list((data_root / "raw").rglob("*.parquet")) == [
        data_root / "raw/sleeper/transactions/dt=2025-01-05/transactions.parquet"]


def test_corrupt_manifest_is_named_and_nothing_is_lost(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    store.registry.promote("nflverse", "weekly")
    meta = data_root / "raw/nflverse/weekly/dt=2025-01-05/_meta.json"
    meta.write_text("{not json")
    with pytest.raises(SnapshotError, match=r"corrupt manifest .*dt=2025-01-05/_meta.json"):
        store.read("nflverse", "weekly")
    assert (data_root / "raw/nflverse/weekly/dt=2025-01-05/weekly.parquet").exists()
    meta.write_text(json.dumps({"source": "nflverse"}))
    with pytest.raises(SnapshotError, match="bad or missing fields: dataset"):
        store.read_manifest("nflverse", "weekly", "2025-01-05")


def test_registry_row_for_missing_partition_is_a_clear_error(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    store.registry.promote("nflverse", "weekly")
    import shutil

    shutil.rmtree(data_root / "raw/nflverse/weekly/dt=2025-01-05")
    with pytest.raises(SnapshotError, match=r"\[nflverse/weekly\] no manifest at .*dt=2025-01-05"):
        store.read("nflverse", "weekly")


def test_pending_snapshots_are_not_read_until_promoted(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    with pytest.raises(SnapshotError, match="no current snapshot"):
        store.read("nflverse", "weekly")
    store.registry.promote("nflverse", "weekly")
    assert store.read("nflverse", "weekly").height == 3


def test_orphan_partition_from_an_interrupted_write_is_registered(data_root: Path) -> None:
    store = SnapshotStore()
    store.write("nflverse", "weekly", weekly(), dt="2025-01-05")
    registry_file = data_root / "registry/snapshot_registry.csv"
    registry_file.unlink()  # as if the first write was killed before registering (a header-only file is damage)
    store.write("nflverse", "weekly", weekly(6), dt="2025-01-06")
    notes = {r.snapshot_date: r.notes for r in store.registry.rows_for("nflverse", "weekly")}
    assert notes["2025-01-05"] == "recovered after an interrupted write"
