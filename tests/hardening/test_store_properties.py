"""Property test: random sequences of write / promote / rollback / archive / retention / sync, with random
SIGKILLs of the child process running them, never break the store's invariants.

After every step: the registry parses, each dataset has at most one current row, every current row has its
partition with a manifest, the current snapshot reads back whole (row count = manifest, content hash = manifest),
and a sentinel tree next to the data root is byte-for-byte unchanged. The example count is modest so the test runs
in well under 90 s on two cores; each example starts from an empty root.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ff_analytics.governance.validate import content_hash
from ff_analytics.snapshots.registry import REGISTRY_PATH, parse_registry
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

WORKER = Path(__file__).with_name("store_worker.py")
OPS = ["write", "write", "promote", "promote_dt", "rollback", "archive", "retention", "sync_to", "sync_from"]
DATASETS = ["players", "picks"]
KILL_DELAYS = [0.0, 0.002, 0.005, 0.01, 0.02, 0.05]
# Modest by default (well under 90 s on two cores); raise it for a longer soak: FFA_PROPERTY_EXAMPLES=50.
EXAMPLES = int(os.environ.get("FFA_PROPERTY_EXAMPLES", "5"))

step = st.fixed_dictionaries({
    "op": st.sampled_from(OPS),
    "dataset": st.sampled_from(DATASETS),
    "day": st.integers(0, 4),
    "seed": st.integers(0, 3),
    "kill_after": st.none() | st.sampled_from(KILL_DELAYS),
})


class Worker:
    """The child running the operations; restarted after each SIGKILL."""

    def __init__(self, local: Path, remote: Path) -> None:
        self.args = [sys.executable, str(WORKER), str(local), str(remote)]
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> subprocess.Popen[str]:
        if self.proc is None:
            self.proc = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                         env={**os.environ}, start_new_session=True)
            assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"
        return self.proc

    def run(self, op: dict) -> str:
        proc = self.start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(op) + "\n")
        proc.stdin.flush()
        if op["kill_after"] is None:
            answer = proc.stdout.readline().strip()
            assert answer, "the worker died"
            return answer
        time.sleep(op["kill_after"])
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        self.proc = None
        return "killed"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        digest.update(p.relative_to(folder).as_posix().encode())
        if p.is_symlink():
            digest.update(b"->" + os.readlink(p).encode())
        elif p.is_file():
            digest.update(p.read_bytes())
    return digest.hexdigest()


def make_sentinel(folder: Path) -> None:
    """Files an escape would hit first: a look-alike partition, a registry, data next to the root."""
    for rel, data in {"players/dt=2025-01-01/_meta.json": b"{}", "players/dt=2025-01-01/players.parquet": b"x",
                      "registry/snapshot_registry.csv": b"source\n", "PWNED.parquet": b"keep"}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def assert_invariants(root: Path, sentinel: Path, sentinel_hash: str, step_no: int, op: dict) -> None:
    where = f"after step {step_no} {op}"
    assert tree_hash(sentinel) == sentinel_hash, f"{where}: something outside the data root changed"
    registry = root / REGISTRY_PATH
    if not registry.exists():
        return
    rows, problems = parse_registry(registry.read_text(encoding="utf-8"), str(registry))
    assert problems == [], f"{where}: registry does not parse: {problems}"
    current = [r for r in rows if r.status == "current"]
    datasets = [(r.source, r.dataset) for r in current]
    assert len(datasets) == len(set(datasets)), f"{where}: two current rows for one dataset"
    store = SnapshotStore(root=DataRoot(str(root)))
    for r in current:
        manifest = store.read_manifest(r.source, r.dataset, r.dt, missing_ok=True)
        assert manifest is not None, f"{where}: current {r.key} has no partition"
        frame = store.read(r.source, r.dataset)
        assert frame.height == manifest.row_count, f"{where}: current {r.key} reads {frame.height} rows"
        folder = store.partition_path(r.source, r.dataset, r.dt)
        digest = content_hash(store.root, folder, [f.name for f in manifest.files])
        assert digest == manifest.content_hash, f"{where}: current {r.key} files changed"


@pytest.mark.timeout(120 + 40 * EXAMPLES)
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=4, max_size=10))
def test_random_operations_with_random_kills_keep_the_invariants(steps: list[dict]) -> None:
    with tempfile.TemporaryDirectory(prefix="ffa-props-") as tmp:
        base = Path(tmp)
        root, remote, sentinel = base / "root", base / "remote", base / "sentinel"
        make_sentinel(sentinel)
        sentinel_hash = tree_hash(sentinel)
        worker = Worker(root, remote)
        try:
            for i, op in enumerate(steps):
                answer = worker.run(op)
                assert not answer.startswith("crash"), f"step {i} {op}: {answer}"
                assert_invariants(root, sentinel, sentinel_hash, i, op)
        finally:
            worker.stop()


def test_invariant_check_is_not_blind(tmp_path: Path) -> None:
    """Each invariant fails on the damage it describes: a changed sentinel, two current rows, a current row
    without its partition, a current snapshot whose files changed."""
    root, sentinel = tmp_path / "root", tmp_path / "sentinel"
    make_sentinel(sentinel)
    sentinel_hash = tree_hash(sentinel)
    worker = Worker(root, tmp_path / "remote")
    try:
        for day in (0, 1):
            for kind in ("write", "promote"):
                op = {"op": kind, "dataset": "players", "day": day, "seed": day, "kill_after": None}
                assert worker.run(op) == "ok"
    finally:
        worker.stop()
    op = {"op": "check"}
    assert_invariants(root, sentinel, sentinel_hash, 0, op)
    good = (root / REGISTRY_PATH).read_text()
    part = "raw/ktc/players/dt=2025-01-02"
    damages = [
        (lambda r, s: (s / "PWNED.parquet").write_bytes(b"changed"), "outside the data root changed"),
        (lambda r, s: (r / REGISTRY_PATH).write_text(good.replace("historical", "current")), "two current rows"),
        (lambda r, s: (r / REGISTRY_PATH).write_text(good[:-3]), "registry does not parse"),
        (lambda r, s: (r / part / "_meta.json").unlink(), "has no partition"),
        (lambda r, s: (r / part / "players.parquet").write_bytes(
            (r / "raw/ktc/players/dt=2025-01-01/players.parquet").read_bytes()), "reads 1 rows|files changed"),
    ]
    for i, (damage, message) in enumerate(damages):
        case_root, case_sentinel = tmp_path / f"case{i}" / "root", tmp_path / f"case{i}" / "sentinel"
        shutil.copytree(root, case_root)
        shutil.copytree(sentinel, case_sentinel)
        damage(case_root, case_sentinel)
        with pytest.raises(AssertionError, match=message):
            assert_invariants(case_root, case_sentinel, sentinel_hash, 0, op)
