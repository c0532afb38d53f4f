"""The command line's conventions, through the installed console script: help, exit codes, the resolved data root,
names, JSON types, narrow terminals, and `ffa run` without credentials."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import click
import polars as pl
import pytest
from typer.main import get_command

from ff_analytics.cli.main import app
from ff_analytics.snapshots.store import SnapshotStore

UNSET = {"FFA_SHEET_ID": "", "FFA_SLEEPER_LEAGUE_ID": "", "GOOGLE_APPLICATION_CREDENTIALS": "",
         "FFA_GOOGLE_SERVICE_ACCOUNT_JSON": ""}


def ffa(*args: str, data_root: Path, columns: int = 200, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "FFA_DATA_ROOT": str(data_root), "COLUMNS": str(columns), **env}
    return subprocess.run(["ffa", *args], capture_output=True, text=True, env=full_env, timeout=120)


def all_help_texts() -> dict[str, str]:
    """Every command's and group's help text, rendered as `ffa … -h` renders it."""
    root = get_command(app)
    texts: dict[str, str] = {}

    def walk(command: click.Command, ctx: click.Context, path: str) -> None:
        texts[path] = command.get_help(ctx)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, click.Context(sub, info_name=name, parent=ctx), f"{path} {name}")

    walk(root, click.Context(root, info_name="ffa"), "ffa")
    return texts


def test_help_is_short_flag_friendly_lists_demo_and_run_first_and_shows_no_type_noise(data_root: Path) -> None:
    short = ffa("-h", data_root=data_root)
    assert short.returncode == 0 and "Usage: ffa" in short.stdout
    commands = re.findall(r"^  (\S+)\s{2,}", short.stdout.split("Commands:")[1], flags=re.M)
    assert commands[:2] == ["demo", "run"], commands
    assert ffa("snapshots", "list", "-h", data_root=data_root).returncode == 0
    texts = all_help_texts()
    assert len(texts) > 30
    for path, text in texts.items():
        assert "<bool>" not in text and "[more]" not in text and "\x1b[" not in text, (path, text)


@pytest.mark.parametrize("args", [["bogus"], ["validate", "--no-such-option"], ["snapshots", "promote"]])
def test_usage_errors_exit_2(args: list[str], data_root: Path) -> None:
    result = ffa(*args, data_root=data_root)
    assert result.returncode == 2, result.stderr
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr


def test_every_command_names_the_resolved_data_root(data_root: Path) -> None:
    SnapshotStore().write("ktc", "players", pl.DataFrame({"player_name": ["A"], "value": [1]}), dt="2025-01-20")
    for args in (["snapshots", "list"], ["validate"], ["findings", "list"]):
        result = ffa(*args, data_root=data_root)
        assert result.stderr.splitlines()[0] == f"data root: {data_root}", (args, result.stderr)
    doc = json.loads(ffa("validate", "--format", "json", data_root=data_root).stdout)
    assert doc["root"] == str(data_root)
    missing = ffa("validate", data_root=data_root / "nonexistent")
    assert missing.returncode == 1 and str(data_root / "nonexistent") in missing.stderr


def test_json_numbers_are_numbers_and_the_list_fits_80_columns(data_root: Path) -> None:
    store = SnapshotStore()
    frame = pl.DataFrame({"season": [2024, 2024], "week": [1, 2], "player_id": ["00-1", "00-2"]})
    store.write("nflverse", "ff_opportunity", frame, dt="2025-01-20")
    listing = json.loads(ffa("snapshots", "list", "--format", "json", data_root=data_root).stdout)
    assert listing[0]["row_count"] == 2 and isinstance(listing[0]["row_count"], int)
    narrow = ffa("snapshots", "list", data_root=data_root, columns=80).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80, narrow
    assert "ff_opportunity" in narrow and "2025-01-20" in narrow  # neither wrapped nor cut


@pytest.mark.parametrize(("args", "hint"), [
    (["validate", "nflvers"], "did you mean nflverse?"),
    (["demo", "--source", "sleper", "--no-dbt"], "did you mean sleeper?"),
    (["snapshots", "list", "--source", "nflverse", "--dataset", "wekly"], "did you mean weekly?"),
    (["ingest", "nflverse", "--datasets", "snapcounts"], "did you mean snap_counts?"),
])
def test_misspelled_names_get_a_did_you_mean(args: list[str], hint: str, data_root: Path) -> None:
    SnapshotStore().write("ktc", "players", pl.DataFrame({"player_name": ["A"], "value": [1]}), dt="2025-01-20")
    result = ffa(*args, data_root=data_root)
    assert result.returncode == 1 and hint in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_run_without_credentials_names_every_missing_setting_fast(data_root: Path) -> None:
    started = time.monotonic()
    result = ffa("run", data_root=data_root, **UNSET)
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert elapsed < 15, elapsed
    lines = result.stderr.splitlines()
    assert lines[0] == f"data root: {data_root}"
    assert any("[sheets]" in line and "FFA_SHEET_ID" in line for line in lines), result.stderr
    assert any("[sleeper]" in line and "FFA_SLEEPER_LEAGUE_ID" in line for line in lines), result.stderr
    assert "Traceback" not in result.stderr and "dbt" not in result.stdout + result.stderr
    assert not (data_root / "raw").exists() and not (data_root / "logs").exists()
