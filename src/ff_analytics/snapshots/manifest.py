"""The ``_meta.json`` manifest written with every snapshot, and the hashes/coverage it records."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

import polars as pl
import pyarrow as pa
from pydantic import BaseModel, Field, ValidationError

from ff_analytics.errors import SnapshotError

MANIFEST_VERSION = 1


class Loader(BaseModel):
    module: str
    version: str


class FileEntry(BaseModel):
    name: str
    row_count: int
    size_bytes: int


class Column(BaseModel):
    name: str
    type: str


class Coverage(BaseModel):
    min_season: int | None = None
    max_season: int | None = None
    weeks: dict[str, list[int]] = Field(default_factory=dict, description="season -> weeks present")


class SchemaDrift(BaseModel):
    previous_dt: date
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    retyped: dict[str, str] = Field(default_factory=dict, description="column -> 'old -> new'")

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.retyped)


class Manifest(BaseModel):
    manifest_version: int = MANIFEST_VERSION
    source: str
    dataset: str
    dt: date
    asof_datetime: datetime
    loader: Loader
    source_version: str | None = None
    upstream_url: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    row_count: int
    files: list[FileEntry]
    columns: list[Column]
    schema_hash: str
    content_hash: str
    coverage: Coverage | None = None
    run_id: str | None = None
    samples: bool = False
    schema_drift: SchemaDrift | None = None

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes, where: str) -> Manifest:
        """Parse a manifest; a corrupt or incomplete one is a SnapshotError naming the path."""
        try:
            return cls.model_validate(json.loads(text))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SnapshotError(f"corrupt manifest {where}: not valid JSON ({exc})") from None
        except ValidationError as exc:
            fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
            raise SnapshotError(f"invalid manifest {where}: bad or missing fields: {fields}") from None


def columns_of(schema: pa.Schema) -> list[Column]:
    return [Column(name=f.name, type=str(f.type)) for f in schema]


def schema_hash(columns: list[Column]) -> str:
    """Order-insensitive hash of column names and types: equal schemas hash equal whatever the column order."""
    text = "\n".join(sorted(f"{c.name}:{c.type}" for c in columns))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def coverage_of(frames: list[pl.DataFrame]) -> Coverage | None:
    """Seasons and weeks present, when the data has a ``season`` column (and optionally ``week``)."""
    with_season = [f for f in frames if "season" in f.columns and f.height]
    if not with_season:
        return None
    cols = ["season", "week"] if all("week" in f.columns for f in with_season) else ["season"]
    # One lazy query (only the key columns are touched): the distinct pairs, in order. The few hundred rows it
    # returns are walked in Python; further Polars queries would each cost more than the walk.
    keys = pl.concat([f.lazy().select(pl.col(c).cast(pl.Int64, strict=False) for c in cols) for f in with_season])
    rows = keys.drop_nulls("season").unique().sort(cols).collect().rows()
    if not rows:
        return None
    weeks: dict[str, list[int]] = {}
    for season, *week in rows:
        if week and week[0] is not None:
            weeks.setdefault(str(season), []).append(week[0])
    return Coverage(min_season=rows[0][0], max_season=rows[-1][0], weeks=dict(sorted(weeks.items())))


def drift_between(previous: Manifest, columns: list[Column]) -> SchemaDrift | None:
    """Columns added, removed or retyped since the previous snapshot (None when the schema is the same)."""
    old = {c.name: c.type for c in previous.columns}
    new = {c.name: c.type for c in columns}
    drift = SchemaDrift(
        previous_dt=previous.dt,
        added=sorted(set(new) - set(old)),
        removed=sorted(set(old) - set(new)),
        retyped={k: f"{old[k]} -> {new[k]}" for k in sorted(set(old) & set(new)) if old[k] != new[k]},
    )
    return None if drift.is_empty else drift
