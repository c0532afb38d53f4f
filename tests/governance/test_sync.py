"""`sync`: local data root ↔ a real S3 endpoint (moto_server on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from ff_analytics.governance.sync import root_for, sync_roots
from ff_analytics.governance.validate import validate
from ff_analytics.snapshots.registry import SnapshotRegistry
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from tests.governance.cli_app import governance_app
from tests.governance.tree import AS_OF, TODAY, partition, recording


def test_push_skips_samples_verifies_and_merges_registry(tree: SnapshotStore, data_root: Path,
                                                         s3_bucket: str) -> None:
    tree.write("ktc", "players", recording("ktc", "players", "players.parquet"), dt=TODAY, samples=True)
    (data_root / "raw/ktc/players/dt=2025-01-30").mkdir()  # an empty stray partition: not a snapshot
    local, remote = DataRoot.from_settings(), root_for(s3_bucket)
    dry = sync_roots(local, remote, dry_run=True)
    assert dry.count("copy") == 18 and not remote.fs.exists(remote.path("raw"))
    result = sync_roots(local, remote)
    assert (result.count("copy"), result.count("skip_incomplete"), result.findings) == (18, 1, [])
    assert not remote.fs.exists(remote.path("raw/ktc/_samples"))
    remote_store = SnapshotStore(root=remote)
    assert remote_store.registry.read() == tree.registry.read()
    assert validate(remote_store, as_of=AS_OF, deep=True) == []  # hashes, footers and registry agree remotely
    assert remote_store.read("ktc", "players").height == 50
    again = sync_roots(local, remote)
    assert again.count("in_sync") == 18 and again.count("copy") == 0 and again.registry_rows_changed == 0


def test_never_overwrites_populated_partition_without_force(tree: SnapshotStore, data_root: Path,
                                                            s3_bucket: str) -> None:
    local, remote = DataRoot.from_settings(), root_for(s3_bucket)
    sync_roots(local, remote)
    picks = recording("ktc", "picks", "picks.parquet")
    tree.write("ktc", "picks", picks.with_columns(pl.col("value") * 2), dt=TODAY)  # same day, new data
    tree.registry.promote("ktc", "picks")
    res = sync_roots(local, remote)
    assert res.count("conflict") == 1 and [f.code for f in res.findings] == ["sync_conflict"]
    remote_store = SnapshotStore(root=remote)
    assert remote_store.read("ktc", "picks")["value"].to_list() == picks["value"].to_list()
    forced = sync_roots(local, remote, force=True)
    assert forced.count("replace") == 1 and forced.findings == []
    assert remote_store.read("ktc", "picks")["value"].to_list() == (picks["value"] * 2).to_list()
    assert validate(remote_store, ["ktc"], as_of=AS_OF, deep=True) == []


def test_pull_into_empty_local_root_and_registry_merge(tree: SnapshotStore, data_root: Path, tmp_path: Path,
                                                       s3_bucket: str) -> None:
    remote = root_for(s3_bucket)
    sync_roots(DataRoot.from_settings(), remote)
    other = DataRoot(str(tmp_path / "laptop"))
    other_store = SnapshotStore(root=other)
    other_store.write("ktc", "players", recording("ktc", "players", "players.parquet").head(48), dt="2025-01-18")
    other_store.registry.promote("ktc", "players")  # a local-only current row, older than the remote one
    pulled = sync_roots(remote, other)
    assert pulled.count("copy") == 18 and pulled.findings == []
    rows = {(r.dataset, r.snapshot_date): r.status for r in SnapshotRegistry(other).read() if r.source == "ktc"}
    assert rows[("players", "2025-01-18")] == "historical" and rows[("players", TODAY)] == "current"
    assert validate(other_store, as_of=AS_OF, deep=True) == []


def test_corrupt_download_is_not_published(tree: SnapshotStore, data_root: Path, tmp_path: Path,
                                           s3_bucket: str) -> None:
    remote = root_for(s3_bucket)
    sync_roots(DataRoot.from_settings(), remote)
    rel = "raw/ktc/picks/dt=2025-01-19/picks.parquet"
    with remote.fs.open(remote.path(rel), "wb") as fh:  # bit rot in the bucket: bytes differ from the manifest
        fh.write((data_root / rel).read_bytes()[:-1] + b"\0")
    target = DataRoot(str(tmp_path / "restore"))
    res = sync_roots(remote, target)
    assert [f.code for f in res.findings] == ["sync_failed"] and "hash after copy" in res.findings[0].message
    assert not (tmp_path / "restore" / "raw/ktc/picks/dt=2025-01-19").exists()
    # the failed snapshot gets no registry row; the older picks snapshot copied fine
    assert [(r.snapshot_date, r.status) for r in SnapshotRegistry(target).read() if r.dataset == "picks"] == \
        [("2025-01-12", "historical")]


def test_cli_to_and_from(tree: SnapshotStore, s3_bucket: str, tmp_path: Path) -> None:
    runner, app = CliRunner(), governance_app()
    dry = runner.invoke(app, ["sync", "--to", s3_bucket, "--dry-run"])
    assert dry.exit_code == 0 and "would copy" in dry.output
    res = runner.invoke(app, ["sync", "--to", s3_bucket, "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["counts"]["copy"] == 18
    assert runner.invoke(app, ["sync"]).exit_code != 0  # neither --to nor --from
    assert partition(Path(DataRoot.from_settings().base), "ktc", "picks").exists()
