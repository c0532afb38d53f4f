"""Whole-system hardening: `ffa demo` killed with SIGKILL at random moments, and two demos on one data root.

After every kill: no partial snapshot is visible, the registry parses, every current row points at a complete
snapshot; every few kills (and at the end) the next run completes with dbt green.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ff_analytics.snapshots.registry import parse_registry

# 50 kills in two streams of 25 on their own data roots, so parallel test workers can run them side by side.
KILLS_PER_STREAM = 25
COMPLETE_EVERY = 10
STREAMS = [pytest.param(seed, marks=pytest.mark.xdist_group(f"sigkill-{seed}"), id=f"stream-{seed}")
           for seed in (20261123, 20261124)]


def demo_command() -> list[str]:
    # Without Prefect: the same steps (ingest, registry updates, dbt) at a fraction of the wall time, so 50 kills
    # fit in CI. The Prefect path runs the same step functions (tests/orchestration covers it).
    return [sys.executable, "-m", "ff_analytics.cli", "demo", "--no-prefect"]


def start_demo(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(demo_command(), env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def assert_consistent(root: Path) -> None:
    """Readers see only complete snapshots; the registry parses; current rows point at complete snapshots."""
    for part in (root / "raw").glob("*/*/dt=*"):  # what readers and dbt list (temp dirs are hidden)
        meta_path = part / "_meta.json"
        assert meta_path.exists(), f"{part} has no manifest"
        meta = json.loads(meta_path.read_text())
        for entry in meta["files"]:
            assert pq.ParquetFile(part / entry["name"]).metadata.num_rows == entry["row_count"], part
    registry = root / "registry" / "snapshot_registry.csv"
    if registry.exists():
        rows, problems = parse_registry(registry.read_text(), str(registry))
        assert problems == []
        for row in rows:
            if row.status == "current":
                part = root / "raw" / row.source / row.dataset / f"dt={row.snapshot_date}"
                assert (part / "_meta.json").exists(), f"current {row.source}/{row.dataset} has no snapshot"


def run_to_completion(env: dict[str, str], log: Path) -> float:
    started = time.monotonic()
    proc = start_demo(env, log)
    assert proc.wait(timeout=600) == 0, log.read_text()[-3000:]
    return time.monotonic() - started


def kill_at_random_moment(env: dict[str, str], log: Path, moment: float) -> float | None:
    """Start a demo and SIGKILL its process group ``moment`` seconds in. None when the kill landed; the run's
    duration when it finished first (then it must have succeeded, and it is not counted as a kill)."""
    started = time.monotonic()
    proc = start_demo(env, log)
    try:
        proc.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        if proc.wait() == -signal.SIGKILL:
            return None
    assert proc.returncode == 0, log.read_text()[-3000:]
    return time.monotonic() - started


@pytest.mark.slow
@pytest.mark.timeout(1500)  # 25 kills + 4 complete runs of the demo: about 6 minutes on 2 cores
@pytest.mark.parametrize("seed", STREAMS)
def test_sigkill_at_random_moments_then_the_next_run_completes(seed: int, tmp_path: Path) -> None:
    root = tmp_path / "data"
    env = {**os.environ, "FFA_DATA_ROOT": str(root), "FFA_REPORT_DIR": str(tmp_path / "reports")}
    log = tmp_path / "demo.log"
    rng = random.Random(seed)
    # Kill moments are spread over the last complete run's duration (the first run, on an empty root, writes every
    # snapshot and is the longest); a run that ends before its moment is not a kill, and its duration is used next.
    spread = run_to_completion(env, log)
    kills = completed = 0
    while kills < KILLS_PER_STREAM:
        finished = kill_at_random_moment(env, log, rng.uniform(0.2, spread))
        assert_consistent(root)
        if finished is not None:
            spread, completed = finished, completed + 1
            continue
        kills += 1
        if kills % COMPLETE_EVERY == 0 or kills == KILLS_PER_STREAM:
            spread = run_to_completion(env, log)
            assert_consistent(root)
            completed += 1
    assert log.read_text().count("dbt build:") >= 1 + completed


@pytest.mark.slow
def test_two_demos_on_one_data_root_one_refuses_clearly(tmp_path: Path) -> None:
    root = tmp_path / "data"
    env = {**os.environ, "FFA_DATA_ROOT": str(root), "FFA_REPORT_DIR": str(tmp_path / "reports")}
    first = start_demo(env, tmp_path / "first.log")
    deadline = time.monotonic() + 120
    while not (root / "raw").exists():  # the first run holds the run lock once it writes snapshots
        assert first.poll() is None and time.monotonic() < deadline, (tmp_path / "first.log").read_text()
        time.sleep(0.2)
    second = subprocess.run(demo_command(), env=env, capture_output=True, text=True, timeout=600)
    assert first.wait(timeout=600) == 0, (tmp_path / "first.log").read_text()[-3000:]
    assert second.returncode == 1
    assert "another `ffa demo` or `ffa run` is using the data root" in second.stderr
    assert_consistent(root)
    # Once the first has finished, a second run goes through.
    run_to_completion(env, tmp_path / "third.log")
    assert_terminal_output_is_the_summary(root, (tmp_path / "third.log").read_text())


def assert_terminal_output_is_the_summary(root: Path, output: str) -> None:
    """What `ffa demo` prints off a terminal: the resolved root, the summary once, no colour codes and no log lines
    (those are in the run's log file, dbt's node lines included)."""
    lines = output.splitlines()
    assert lines[0] == f"data root: {root}", lines[:3]
    assert output.count("completed in") == 1 and "\x1b[" not in output
    assert "START sql" not in output and " | INFO " not in output, output[:3000]
    log_file = Path(lines[-1].removeprefix("log: "))
    assert lines[-1].startswith("log: ") and log_file.parent == root / "logs"
    log_text = log_file.read_text()
    assert "OK created sql table model" in log_text and "Finished running" in log_text
