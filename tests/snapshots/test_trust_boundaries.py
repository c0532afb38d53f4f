"""Trust boundaries of the snapshot store: names from data never reach outside the data root, the current
snapshot is never deleted, a damaged registry is refused (and can be restored), dates are sane.

Each test reproduces one finding of the store's hardening review on a real data root (real files, real child
processes for kills and resource limits).
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ff_analytics.cli.snapshots import snapshots_app
from ff_analytics.errors import ConfigError, FFAError, RegistryError, SnapshotError
from ff_analytics.governance.freshness import check_freshness, freshness_table
from ff_analytics.governance.gate import govern_pending
from ff_analytics.governance.retention import Rule, apply_deletions, plan_retention
from ff_analytics.governance.sync import sync_roots
from ff_analytics.governance.validate import validate
from ff_analytics.snapshots.lifecycle import archive_snapshots
from ff_analytics.snapshots.manifest import Manifest
from ff_analytics.snapshots.registry import REGISTRY_PATH, SnapshotRegistry
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from tests.governance.cli_app import governance_app

DAYS = ["2025-01-01", "2025-01-02", "2025-01-03"]
DELETE_ALL = [Rule(0, "Delete", None, 0, None, ("raw/",), ())]


def write_days(store: SnapshotStore, days: list[str], dataset: str = "players") -> None:
    for i, day in enumerate(days):
        store.write("ktc", dataset, pl.DataFrame({"player": ["a", "b"], "value": [i, i + 1]}), dt=day)
        store.registry.promote("ktc", dataset, day)


def registry_file(root: Path) -> Path:
    return root / REGISTRY_PATH


def append_row(root: Path, line: str) -> None:
    with registry_file(root).open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def victim_tree(tmp_path: Path) -> Path:
    """A folder next to the data root that no operation may touch."""
    victim = tmp_path / "victim" / "players" / "dt=2025-01-01"
    victim.mkdir(parents=True)
    (victim / "_meta.json").write_text("{}")
    (victim / "players.parquet").write_bytes(b"outside")
    return victim


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(governance_app(), list(args))
    return result.exit_code, result.output + (str(result.exception) if result.exception else "")


# -- High: data never reaches outside the data root ------------------------------------------------------------
def test_registry_row_with_traversal_source_is_refused_before_any_delete(data_root: Path, tmp_path: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS)
    victim = victim_tree(tmp_path)
    append_row(data_root, "../../victim,players,2025-01-01,historical,,,2,")
    with pytest.raises(RegistryError, match=r"line \d+: source '\.\./\.\./victim' is not a plain name"):
        archive_snapshots(store, 0, date(2026, 1, 1), delete=True)
    actions, findings = plan_retention(store, DELETE_ALL, as_of=date(2026, 1, 1))
    assert any(f.code == "registry_bad_line" and f.is_error for f in findings)
    with pytest.raises(RegistryError):
        apply_deletions(store, actions)
    assert (victim / "_meta.json").exists() and (victim / "players.parquet").exists()
    assert any(f.is_error and "victim" in f.message for f in validate(store))


def test_registry_row_for_a_dataset_missing_from_the_policy_never_becomes_a_path(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS[:1])
    stray = data_root / "raw/ktc/not_a_dataset/dt=2025-01-01"
    stray.mkdir(parents=True)
    (stray / "_meta.json").write_text("{}")
    append_row(data_root, "ktc,not_a_dataset,2025-01-01,historical,,,2,")
    archive_snapshots(store, 0, date(2026, 1, 1), delete=True)
    assert (stray / "_meta.json").exists()
    with pytest.raises(SnapshotError, match="unknown dataset"):
        store.read("ktc", "not_a_dataset", dt="2025-01-01")
    assert any(f.code == "registry_unknown_dataset" for f in validate(store, ["ktc"]))


def test_paths_are_checked_to_lie_inside_the_root(data_root: Path, tmp_path: Path) -> None:
    root = DataRoot(str(data_root))
    assert root.inside(root.path("raw/ktc/players")) == root.path("raw/ktc/players")
    for bad in ("raw/../../x", "../x", "raw/ktc/../../../x"):
        with pytest.raises(SnapshotError, match="outside the data root"):
            root.inside(root.path(bad))
    (data_root / "raw").mkdir(parents=True)
    (data_root / "raw" / "link").symlink_to(tmp_path)
    with pytest.raises(SnapshotError, match="outside the data root"):
        root.inside(root.path("raw/link/x"))


def test_manifest_with_traversal_file_name_is_invalid(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS[:1])
    meta = data_root / "raw/ktc/players/dt=2025-01-01/_meta.json"
    doc = json.loads(meta.read_text())
    doc["files"][0]["name"] = "../../../../../../PWNED.parquet"
    meta.write_text(json.dumps(doc))
    with pytest.raises(SnapshotError, match="invalid manifest .*files.0.name"):
        store.read("ktc", "players")
    assert any(f.code == "manifest_invalid" and "PWNED" in f.message for f in validate(store, ["ktc"], deep=True))


def _remote_with_one_snapshot(tmp_path: Path) -> tuple[DataRoot, Path]:
    remote = tmp_path / "elsewhere" / "remote"  # one level deeper than the local root: different escape targets
    SnapshotStore(root=DataRoot(str(remote))).write(
        "ktc", "players", pl.DataFrame({"player": ["a"], "value": [1]}), dt="2025-01-01")
    return DataRoot(str(remote)), remote


def tree_state(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*")) if not p.name.endswith(".lock")}


def test_sync_refuses_a_remote_manifest_listing_a_file_outside_the_root(data_root: Path, tmp_path: Path) -> None:
    remote, remote_path = _remote_with_one_snapshot(tmp_path)
    part = remote_path / "raw/ktc/players/dt=2025-01-01"
    doc = json.loads((part / "_meta.json").read_text())
    escape = "../../../../../PWNED.parquet"
    (part / escape).write_bytes((part / "players.parquet").read_bytes())  # same bytes: the hash check passes
    doc["files"][0]["name"] = escape
    (part / "_meta.json").write_text(json.dumps(doc))
    local = DataRoot(str(data_root))
    SnapshotStore(root=local).write("ktc", "picks", pl.DataFrame({"pick": ["x"], "value": [1]}), dt="2025-01-01")
    before = tree_state(data_root)
    result = sync_roots(remote, local)
    assert tree_state(data_root) == before
    assert not (tmp_path / "PWNED.parquet").exists()
    failed = [f for f in result.findings if f.is_error]
    assert failed and "raw/ktc/players/dt=2025-01-01/_meta.json" in failed[0].message + str(failed[0].path)


def test_sync_refuses_remote_registry_rows_with_traversal_names(data_root: Path, tmp_path: Path) -> None:
    remote, remote_path = _remote_with_one_snapshot(tmp_path)
    append_row(remote_path, "../../../etc,players,2025-01-01,current,,,1,")
    local = DataRoot(str(data_root))
    SnapshotStore(root=local).write("ktc", "picks", pl.DataFrame({"pick": ["x"], "value": [1]}), dt="2025-01-01")
    before = tree_state(data_root)
    result = sync_roots(remote, local)
    assert tree_state(data_root) == before
    errors = [f for f in result.findings if f.is_error]
    assert errors and any("snapshot_registry.csv" in f.message + str(f.path) for f in errors)
    assert result.count("copy") == 0


def test_archive_delete_never_follows_a_partition_symlink_out_of_the_root(data_root: Path, tmp_path: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS)
    victim = victim_tree(tmp_path)
    part = data_root / "raw/ktc/players/dt=2025-01-01"
    for f in part.iterdir():
        f.unlink()
    part.rmdir()
    part.symlink_to(victim)
    with pytest.raises(SnapshotError, match="outside the data root"):
        archive_snapshots(store, 0, date(2026, 1, 1), delete=True)
    assert (victim / "_meta.json").exists() and (victim / "players.parquet").exists()


# -- High: the current snapshot is never deleted -----------------------------------------------------------------
def test_retention_rechecks_status_under_the_lock_before_deleting(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS)
    actions, _ = plan_retention(store, DELETE_ALL, as_of=date(2026, 1, 1))
    assert {a.dt for a in actions if a.action == "delete"} == set(DAYS[:2])
    store.registry.promote("ktc", "players", DAYS[0], allow_older=True)  # between plan and delete
    done = apply_deletions(store, actions)
    assert [a.dt for a in done] == [DAYS[1]]
    assert store.read("ktc", "players")["value"].to_list() == [0, 1]


# -- Medium ----------------------------------------------------------------------------------------------------
def test_registry_lock_is_named_from_the_resolved_root(data_root: Path, tmp_path: Path) -> None:
    data_root.mkdir(parents=True)
    link = tmp_path / "alias"
    link.symlink_to(data_root)
    paths = {SnapshotRegistry(DataRoot(u))._lock_path() for u in (str(data_root), f"{data_root}/", str(link))}
    assert len(paths) == 1


def test_rollback_and_promote_dt_check_their_target(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS)
    (data_root / "raw/ktc/players/dt=2025-01-02/_meta.json").write_text("{not json")
    with pytest.raises(RegistryError, match="2025-01-02.*corrupt manifest"):
        store.registry.rollback("ktc", "players")
    for f in (data_root / "raw/ktc/players/dt=2025-01-01").iterdir():
        f.unlink()
    with pytest.raises(RegistryError, match="2025-01-01.*no manifest"):
        store.registry.promote("ktc", "players", "2025-01-01", allow_older=True)
    assert store.registry.current("ktc", "players").snapshot_date == DAYS[2]


def test_validate_deep_checks_historical_snapshots(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS)
    (data_root / "raw/ktc/players/dt=2025-01-01/players.parquet").write_bytes(b"PAR1garbagePAR1")
    codes = {(f.code, str(f.dt)) for f in validate(store, ["ktc"], deep=True)}
    assert ("parquet_unreadable", "2025-01-01") in codes


# -- Medium: a damaged registry is refused, never rewritten, restorable ------------------------------------------
def _good_registry(data_root: Path) -> bytes:
    store = SnapshotStore()
    write_days(store, DAYS)
    store.write("ktc", "picks", pl.DataFrame({"pick": ["x"], "value": [1]}), dt=DAYS[0])
    return registry_file(data_root).read_bytes()


def test_registry_cut_anywhere_inside_its_last_line_is_refused(data_root: Path) -> None:
    good = _good_registry(data_root)
    last_start = good.rstrip(b"\n").rfind(b"\n") + 1
    lines = good.count(b"\n")
    for cut in range(last_start + 1, len(good)):
        registry_file(data_root).write_bytes(good[:cut])
        with pytest.raises(RegistryError, match=f"line {lines}"):
            SnapshotStore().registry.read()


@pytest.mark.parametrize(("damage", "match"), [
    (lambda good: b"", "empty"),
    (lambda good: good.split(b"\n", 1)[0] + b"\n", "no rows"),
    (lambda good: good.replace(b"ktc,picks", b"ktc,pi\x00cks"), r"line \d+: NUL byte"),
])
def test_empty_header_only_or_nul_registry_is_refused(data_root: Path, damage, match: str) -> None:
    good = _good_registry(data_root)
    registry_file(data_root).write_bytes(damage(good))
    store = SnapshotStore()
    with pytest.raises(RegistryError, match=match):
        store.registry.read()
    with pytest.raises(RegistryError):
        store.resolve_dt("ktc", "players")
    with pytest.raises(RegistryError):
        store.write("ktc", "players", pl.DataFrame({"player": ["z"], "value": [9]}), dt="2025-01-05")
    assert registry_file(data_root).read_bytes() == damage(good)  # never rewritten


def test_govern_retention_and_freshness_fail_on_a_damaged_registry(data_root: Path, tmp_path: Path) -> None:
    good = _good_registry(data_root)
    registry_file(data_root).write_bytes(good[:-5])
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"rule": [{"action": {"type": "Delete"}, "condition": {"age": 1}}]}))
    code, out = cli("govern", "--promote")
    assert code == 1 and "registry" in out
    code, out = cli("retention", "--policy", str(policy))
    assert code == 1 and "registry" in out
    findings = check_freshness(SnapshotStore(), ["ktc"], date(2025, 1, 5))
    assert any(f.code == "registry_bad_line" for f in findings)
    assert registry_file(data_root).read_bytes() == good[:-5]


def test_damaged_registry_is_restored_from_the_last_good_copy(data_root: Path) -> None:
    good = _good_registry(data_root)
    backup = registry_file(data_root).with_name("snapshot_registry.csv.bak")
    assert backup.exists()
    registry_file(data_root).write_bytes(good[: len(good) // 2])
    with pytest.raises(RegistryError, match="cut short"):
        SnapshotStore().registry.read()
    result = CliRunner().invoke(snapshots_app, ["restore-registry"])
    assert result.exit_code == 0 and "restored 4 registry rows" in result.output
    assert len(SnapshotStore().registry.read()) == 4
    assert list(registry_file(data_root).parent.glob("snapshot_registry.csv.damaged-*"))


# -- Medium: time ------------------------------------------------------------------------------------------------
def test_a_snapshot_dated_in_the_future_is_refused(data_root: Path) -> None:
    store = SnapshotStore()
    with pytest.raises(SnapshotError, match="in the future"):
        store.write("ktc", "players", pl.DataFrame({"player": ["a"], "value": [1]}), dt="9999-12-31")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    store.write("ktc", "players", pl.DataFrame({"player": ["a"], "value": [1]}), dt=tomorrow)  # clock skew


def test_gate_never_promotes_an_older_pending_over_a_newer_current(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS[1:])
    store.write("ktc", "players", pl.DataFrame({"player": ["a", "b"], "value": [7, 8]}), dt=DAYS[0])
    result = govern_pending(store, "ktc", "players", DAYS[0], as_of=date(2025, 1, 5))
    assert not result.promoted
    assert store.registry.current("ktc", "players").snapshot_date == DAYS[2]
    store.registry.promote("ktc", "players", DAYS[0], allow_older=True)  # asked explicitly
    assert store.registry.current("ktc", "players").snapshot_date == DAYS[0]


def test_freshness_is_per_dataset_and_future_dates_are_errors(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, ["2025-01-01"], dataset="picks")
    write_days(store, ["2025-03-01"], dataset="players")
    as_of = date(2025, 1, 20)  # players is dated 40 days in the future, picks is 19 days old
    table = {s.source: s for s in freshness_table(store, ["ktc"], as_of)}
    assert table["ktc"].status is not None and table["ktc"].status.value == "error"
    findings = check_freshness(store, ["ktc"], as_of)
    assert {(f.code, f.dataset) for f in findings if f.is_error} >= {("stale", "picks"), ("future_dated", "players")}


# -- Medium: recovery after a kill mid-swap; the registry keeps its file mode ------------------------------------
KILL_MID_SWAP = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import polars as pl
    from ff_analytics.snapshots import store as store_mod

    real_rename = Path.rename
    def rename(self, target):
        if self.name.endswith("-ready") and Path(target).name.startswith("dt="):
            os.kill(os.getpid(), signal.SIGKILL)  # the old partition is swapped out, the new one not yet in
        return real_rename(self, target)
    Path.rename = rename
    store_mod.SnapshotStore().write("ktc", "players", pl.DataFrame({"player": ["a", "b", "c"],
                                                                     "value": [1, 2, 3]}), dt=sys.argv[1])
""")


def test_same_day_replace_killed_mid_swap_restores_folder_and_row(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS)
    before = {r.key: r for r in store.registry.read()}
    env = {**os.environ, "FFA_DATA_ROOT": str(data_root)}
    proc = subprocess.run([sys.executable, "-c", KILL_MID_SWAP, DAYS[2]], env=env, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    store = SnapshotStore()
    store.write("ktc", "picks", pl.DataFrame({"pick": ["x"], "value": [1]}), dt=DAYS[2])  # unrelated: no recovery
    store.write("ktc", "players", pl.DataFrame({"player": ["a", "b"], "value": [1, 2]}), dt=DAYS[1])  # recovers
    after = {r.key: r for r in store.registry.read()}
    key = ("ktc", "players", DAYS[2])
    assert (after[key].status, after[key].row_count) == ("current", before[key].row_count)
    assert store.read("ktc", "players")["value"].to_list() == [2, 3]


def test_registry_rewrite_keeps_the_file_mode(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS[:1])
    registry_file(data_root).chmod(0o644)
    store.write("ktc", "players", pl.DataFrame({"player": ["z"], "value": [9]}), dt=DAYS[1])
    assert stat.S_IMODE(registry_file(data_root).stat().st_mode) == 0o644


# -- Low ---------------------------------------------------------------------------------------------------------
FILE_SIZE_LIMIT = textwrap.dedent("""
    import resource, signal, sys
    import polars as pl
    from ff_analytics.errors import FFAError
    from ff_analytics.snapshots.store import SnapshotStore
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG, like a full disk
    store = SnapshotStore()
    n = int(sys.argv[2])
    frame = pl.DataFrame({"player": [f"p{i:06d}" for i in range(n)], "value": list(range(n))})
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
    try:
        store.write("ktc", "players", frame, dt="2025-01-05")
    except FFAError as exc:
        print(type(exc).__name__, exc)
        sys.exit(3)
""")


@pytest.mark.parametrize(("limit", "rows", "expect"), [
    (4096, 200_000, r"^SnapshotError \[ktc/players\] cannot write the snapshot .*\[Errno 27\]"),
    (1_000_000, 100, r"^RegistryError cannot write the registry .*snapshot_registry\.csv.*\[Errno 27\]"),
])
def test_disk_full_names_the_dataset_and_leaves_no_temp_file(data_root: Path, limit: int, rows: int,
                                                             expect: str) -> None:
    store = SnapshotStore()
    write_days(store, DAYS[:1])
    if rows < 1000:  # a registry larger than the limit: the data fits, the registry rewrite fails
        with registry_file(data_root).open("a") as fh:
            for i in range(15_000):
                fh.write(f"ktc,picks,{date(1980, 1, 1) + timedelta(days=i)},archived,,,1,{'x' * 60}\n")
    before = registry_file(data_root).read_bytes()
    env = {**os.environ, "FFA_DATA_ROOT": str(data_root)}
    proc = subprocess.run([sys.executable, "-c", FILE_SIZE_LIMIT, str(limit), str(rows)], env=env, timeout=120,
                          capture_output=True, text=True)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert re.search(expect, proc.stdout), proc.stdout
    assert registry_file(data_root).read_bytes() == before
    assert not list((data_root / "registry").glob(".registry-*"))
    assert not list((data_root / "raw/ktc/players").glob(".tmp-*"))
    SnapshotStore().registry.read()


def test_interrupted_archive_delete_finishes_on_rerun(data_root: Path) -> None:
    store = SnapshotStore()
    write_days(store, DAYS)
    store.registry.archive(0, date(2026, 1, 1))  # the registry part ran, the deletes did not
    assert (data_root / "raw/ktc/players/dt=2025-01-01/_meta.json").exists()
    archive_snapshots(store, 0, date(2026, 1, 1), delete=True)
    assert not (data_root / "raw/ktc/players/dt=2025-01-01").exists()
    assert not (data_root / "raw/ktc/players/dt=2025-01-02").exists()
    assert store.read("ktc", "players")["value"].to_list() == [2, 3]


def test_negative_older_than_is_refused(data_root: Path) -> None:
    with pytest.raises(ConfigError, match="--older-than must be 0 or more"):
        archive_snapshots(SnapshotStore(), -5, date(2026, 1, 1))
    result = CliRunner().invoke(snapshots_app, ["archive", "--older-than", "-5"])
    assert result.exit_code != 0 and "--older-than" in result.output


def _damage_manifest(data_root: Path, edit) -> Path:
    store = SnapshotStore()
    write_days(store, DAYS[:1])
    meta = data_root / "raw/ktc/players/dt=2025-01-01/_meta.json"
    meta.write_bytes(edit(meta.read_bytes()))
    return meta


def test_manifest_with_no_files_is_a_clear_error(data_root: Path) -> None:
    _damage_manifest(data_root, lambda b: json.dumps({**json.loads(b), "files": []}).encode())
    with pytest.raises(SnapshotError, match="invalid manifest .*files"):
        SnapshotStore().read("ktc", "players")


def test_deeply_nested_manifest_is_a_clear_error(data_root: Path) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    meta = _damage_manifest(data_root, lambda b: b[:-1] + b', "params": {"x": ' + nested + b"}}")
    with pytest.raises(SnapshotError, match=str(meta)):
        SnapshotStore().read("ktc", "players")
    assert any(f.code == "manifest_invalid" for f in validate(SnapshotStore(), ["ktc"]))


def test_oversized_manifest_is_refused_without_reading_it_whole(data_root: Path) -> None:
    meta = _damage_manifest(data_root, lambda b: b[:-1] + b', "upstream_url": "' + b"x" * (17 << 20) + b'"}')
    with pytest.raises(SnapshotError, match="too large"):
        Manifest.read_limited(meta.open("rb"), str(meta))
    with pytest.raises(SnapshotError, match="too large"):
        SnapshotStore().read("ktc", "players")


def test_ffa_error_is_the_base_of_everything_raised_here() -> None:
    assert issubclass(RegistryError, FFAError) and issubclass(SnapshotError, FFAError)
