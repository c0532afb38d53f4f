"""The PII/secret scan finds each kind of leak in Parquet, DuckDB and text, masks it, and passes clean data."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import polars as pl

from ff_analytics.security.pii_scan import scan_paths

LEAKS = {
    "phone": "Cell Phone: (555) 010-1003",
    "email": "Email: gm1003@example.com",
    "gm_full_name": "GM: Andy Doe",
    "webhook_url": "https://discord.com/api/webhooks/123/abcDEF",
    "token": "xoxb-1234567890-abcdefghij",
    "private_key": "-----BEGIN " + "PRIVATE KEY-----",  # split so repo secret scans do not flag this test
}


def test_every_kind_is_found_in_parquet_duckdb_and_logs(tmp_path: Path) -> None:
    for kind, text in LEAKS.items():
        folder = tmp_path / kind
        folder.mkdir()
        pl.DataFrame({"cell": ["QB", text], "n": [1, 2]}).write_parquet(folder / "tab.parquet")
        con = duckdb.connect(str(folder / "wh.duckdb"))
        con.execute("create table t as select * from (values ('ok'), (?)) v(c)", [text])
        con.close()
        (folder / "run.log").write_text(f"INFO fetched\nDEBUG {text}\n")
        hits = scan_paths([folder])
        assert {h.kind for h in hits} >= {kind}, kind
        assert {Path(h.where.split(" ")[0]).name for h in hits if h.kind == kind} == \
            {"tab.parquet", "wh.duckdb", "run.log"}
        assert all(text not in str(h) for h in hits)  # masked


def test_clean_league_data_passes(tmp_path: Path) -> None:
    frame = pl.DataFrame({"player_id": ["00-0033873", "00-0036355"], "name": ["Patrick Mahomes", "Justin Herbert"],
                          "game_id": ["2024_01_BAL_KC", "2024_01_LV_LAC"], "salary": ["$52", "$1"],
                          "gm": ["GM: Andy", "Andy"]})
    frame.write_parquet(tmp_path / "clean.parquet")
    assert scan_paths([tmp_path]) == []


def test_cli_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "ok.log").write_text("all good\n")
    env = {**os.environ}
    ok = subprocess.run(["ffa", "scan-pii", str(tmp_path)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "0 findings" in ok.stdout
    (tmp_path / "bad.log").write_text("contact gm1003@example.com\n")
    bad = subprocess.run(["ffa", "scan-pii", str(tmp_path)], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "email in" in bad.stderr and "gm1003@example.com" not in bad.stderr
