"""What a pipeline run produced, reduced to what must not depend on how it ran: each current snapshot's content
hash and every mart's rows. Two runs of the same recordings must give equal fingerprints."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import duckdb

MART_SCHEMAS = ("main_marts", "main_core", "main_analytics")


def snapshot_hashes(data_root: Path) -> dict[str, str]:
    """``source/dataset`` → content hash of its current snapshot."""
    out = {}
    with open(data_root / "registry" / "snapshot_registry.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["status"] == "current":
                meta = data_root / "raw" / row["source"] / row["dataset"] / f"dt={row['snapshot_date']}" / "_meta.json"
                out[f"{row['source']}/{row['dataset']}"] = json.loads(meta.read_text())["content_hash"]
    return out


def mart_rows(warehouse: Path) -> dict[str, str]:
    """``schema.table`` → a hash of its rows in a stable order (columns by name, rows sorted)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables "
                             f"where table_schema in {MART_SCHEMAS} order by 1, 2").fetchall()
        out = {}
        for schema, table in tables:
            cols = sorted(c[0] for c in con.execute(f'describe "{schema}"."{table}"').fetchall())
            listed = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'select {listed} from "{schema}"."{table}" order by all').fetchall()
            out[f"{schema}.{table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16] + f" ({len(rows)} rows)"
        return out
    finally:
        con.close()


def fingerprint(data_root: Path) -> dict[str, dict[str, str]]:
    return {"snapshots": snapshot_hashes(data_root),
            "marts": mart_rows(data_root / "warehouse" / "ff_analytics.duckdb")}
