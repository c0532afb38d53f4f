"""Scan what the platform produced (snapshots, logs, DuckDB tables) for personal data and secrets.

Patterns: phone numbers, e-mail addresses, "GM: First Last" header cells, Discord/Slack webhook URLs, common
token shapes and private keys. Hits are reported masked, so the scan's own output leaks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

PATTERNS: dict[str, str] = {
    "phone": r"\(?\b\d{3}\)?[ .-]\d{3}-\d{4}\b",
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    "gm_full_name": r"GM:\s*[A-Z][a-z]+\s+[A-Z][a-z]+",
    "webhook_url": r"(discord(app)?\.com/api/webhooks/|hooks\.slack\.com/services/)[A-Za-z0-9/_-]+",
    "token": r"\b(xox[abprs]-[A-Za-z0-9-]{10,}|gh[pousr]_[A-Za-z0-9]{30,}|AKIA[0-9A-Z]{16})\b",
    "private_key": r"-----BEGIN [A-Z ]*PRIVATE KEY-----|\"private_key(_id)?\"\s*:",
}
_COMPILED = {name: re.compile(p) for name, p in PATTERNS.items()}
TEXT_SUFFIXES = {".json", ".csv", ".log", ".txt", ".md", ".html", ".yml", ".yaml", ".sql"}


@dataclass(frozen=True)
class Hit:
    kind: str
    where: str
    sample: str  # masked

    def __str__(self) -> str:
        return f"{self.kind} in {self.where}: {self.sample}"


def mask(value: str) -> str:
    return value[:2] + "*" * max(len(value) - 4, 1) + value[-2:] if len(value) > 4 else "****"


def scan_text(text: str, where: str) -> Iterator[Hit]:
    for kind, rx in _COMPILED.items():
        for m in rx.finditer(text):
            yield Hit(kind, where, mask(m.group(0)))


def scan_parquet(path: Path) -> Iterator[Hit]:
    frame = pl.read_parquet(path)
    for name, dtype in frame.schema.items():
        if dtype == pl.Utf8:
            values = frame.get_column(name).drop_nulls().unique()
            for kind, pattern in PATTERNS.items():
                matched = values.filter(values.str.contains(pattern))
                if matched.len():
                    yield Hit(kind, f"{path} column {name}", mask(str(matched[0])))


def scan_duckdb(path: Path) -> Iterator[Hit]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'").fetchall()
        for schema, table, column in columns:
            for kind, pattern in PATTERNS.items():
                row = con.execute(
                    f'select "{column}" from "{schema}"."{table}" where regexp_matches("{column}", ?) limit 1',
                    [pattern]).fetchone()
                if row:
                    yield Hit(kind, f"{path} table {schema}.{table} column {column}", mask(str(row[0])))
    finally:
        con.close()


def scan_paths(paths: Iterable[Path]) -> list[Hit]:
    """Scan files and folders: Parquet by column, DuckDB by table, text files line by line."""
    hits: list[Hit] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            if f.suffix == ".parquet":
                hits.extend(scan_parquet(f))
            elif f.suffix == ".duckdb":
                hits.extend(scan_duckdb(f))
            elif f.suffix in TEXT_SUFFIXES:
                hits.extend(scan_text(f.read_text(encoding="utf-8", errors="replace"), str(f)))
    return hits
