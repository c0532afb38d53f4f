"""`ffa snapshots …` and `ffa --version` through the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polars as pl

from ff_analytics import __version__
from ff_analytics.snapshots.store import SnapshotStore


def ffa(*args: str, data_root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FFA_DATA_ROOT": str(data_root), "COLUMNS": "200"}
    return subprocess.run(["ffa", *args], capture_output=True, text=True, env=env, timeout=120)


def test_version() -> None:
    out = subprocess.run(["ffa", "--version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"ffa {__version__}"


def test_list_promote_rollback_archive(data_root: Path) -> None:
    store = SnapshotStore()
    for day in ("2025-01-01", "2025-01-02"):
        store.write("ktc", "picks", pl.DataFrame({"pick": ["2026 1.01"], "value": [int(day[-1])]}), dt=day)
    promoted = ffa("snapshots", "promote", "ktc", "picks", data_root=data_root)
    assert "ktc/picks 2025-01-02 is now current" in promoted.stdout
    assert ffa("snapshots", "promote", "ktc", "picks", "--dt", "2025-01-01", data_root=data_root).returncode == 0
    ffa("snapshots", "promote", "ktc", "picks", "--dt", "2025-01-02", data_root=data_root)
    listing = json.loads(ffa("snapshots", "list", "--source", "ktc", "--format", "json", data_root=data_root).stdout)
    assert [(r["snapshot_date"], r["status"]) for r in listing] == [("2025-01-01", "historical"),
                                                                     ("2025-01-02", "current")]
    assert "2025-01-01 is current again" in ffa("snapshots", "rollback", "ktc", "picks", data_root=data_root).stdout
    table = ffa("snapshots", "list", data_root=data_root).stdout
    assert "2 snapshots" in table and "current" in table
    archived = ffa("snapshots", "archive", "--older-than", "0", data_root=data_root)
    assert "archived 1 snapshots" in archived.stdout and "ktc/picks 2025-01-02" in archived.stdout


def test_errors_are_one_line_without_traceback(data_root: Path) -> None:
    result = ffa("snapshots", "rollback", "ktc", "picks", data_root=data_root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"data root: {data_root}",
                                          "error: [ktc/picks] no current snapshot to roll back"]
    assert "Traceback" not in result.stderr
    debug = ffa("--debug", "snapshots", "rollback", "ktc", "picks", data_root=data_root)
    assert debug.returncode == 1 and "Traceback" in debug.stderr
