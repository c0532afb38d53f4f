"""The ``_meta.json`` manifest written with every snapshot, and the hashes/coverage it records."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from typing import IO, Any

import numpy as np
import polars as pl
import pyarrow as pa
from pydantic import BaseModel, Field, ValidationError, field_validator

from ff_analytics.errors import SnapshotError
from ff_analytics.snapshots.paths import FILE_NAME, is_plain_name

MANIFEST_VERSION = 1
# Real manifests are a few KB (a column list and one entry per file); a bigger one is damaged or hostile and is
# refused before it is read whole.
MAX_MANIFEST_BYTES = 16 << 20


class Loader(BaseModel):
    module: str
    version: str


class FileEntry(BaseModel):
    name: str
    row_count: int
    size_bytes: int

    @field_validator("name")
    @classmethod
    def _plain_file_name(cls, value: str) -> str:
        """A file name from a manifest becomes a path: only '<plain name>.parquet' (no '/', '..')."""
        if not FILE_NAME.match(value):
            raise ValueError(f"file name {value!r} is not a plain '<name>.parquet'")
        return value


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
    files: list[FileEntry] = Field(min_length=1)
    columns: list[Column]
    schema_hash: str
    content_hash: str
    coverage: Coverage | None = None
    run_id: str | None = None
    samples: bool = False
    schema_drift: SchemaDrift | None = None

    @field_validator("source", "dataset")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not is_plain_name(value):
            raise ValueError(f"{value!r} is not a plain name")
        return value

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes, where: str) -> Manifest:
        """Parse a manifest; a corrupt, incomplete, oversized or absurdly nested one is a SnapshotError naming
        the path."""
        if len(text) > MAX_MANIFEST_BYTES:
            raise SnapshotError(f"manifest {where} is too large (over {MAX_MANIFEST_BYTES} bytes)")
        try:
            return cls.model_validate(json.loads(text))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SnapshotError(f"corrupt manifest {where}: not valid JSON ({exc})") from None
        except RecursionError:
            raise SnapshotError(f"corrupt manifest {where}: JSON nested too deeply") from None
        except ValidationError as exc:
            raise SnapshotError(f"invalid manifest {where}: bad or missing fields: {bad_fields(exc)}") from None

    @classmethod
    def read_limited(cls, fh: IO[bytes], where: str) -> Manifest:
        """Parse a manifest from an open file, reading at most :data:`MAX_MANIFEST_BYTES` (+1 to notice more)."""
        return cls.from_json(read_manifest_bytes(fh, where), where)


def read_manifest_bytes(fh: IO[bytes], where: str) -> bytes:
    """A manifest's bytes, refusing one larger than :data:`MAX_MANIFEST_BYTES` without reading it whole."""
    with fh:
        data = fh.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise SnapshotError(f"manifest {where} is too large (over {MAX_MANIFEST_BYTES} bytes)")
    return data


def bad_fields(exc: ValidationError) -> str:
    """The fields a validation error names, with the reason for name checks (so traversal is called out)."""
    parts = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"])
        parts.append(f"{loc} ({e['msg']})" if e["type"] == "value_error" else loc)
    return ", ".join(parts)


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
    rows = _integer_periods(with_season, cols)
    if rows is None:
        # One lazy query (only the key columns are touched): the distinct pairs, in order.
        keys = pl.concat([f.lazy().select(pl.col(c).cast(pl.Int64, strict=False) for c in cols)
                          for f in with_season])
        rows = keys.drop_nulls("season").unique().sort(cols).collect().rows()
    if not rows:
        return None
    weeks: dict[str, list[int]] = {}
    for season, *week in rows:
        if week and week[0] is not None:
            weeks.setdefault(str(season), []).append(week[0])
    return Coverage(min_season=rows[0][0], max_season=rows[-1][0], weeks=dict(sorted(weeks.items())))


_MAX_PERIOD_CODES = 1 << 20


def _integer_periods(frames: list[pl.DataFrame], cols: list[str]) -> list[tuple[int, ...]] | None:
    """The distinct (season[, week]) rows in order, counted in one table of all codes in range; None when a
    column is not a null-free integer (that fits int64) or the range is too wide, for the general query.
    Seasons and weeks span a few dozen values, so counting beats sorting or hashing a hundred thousand rows
    (~0.6 vs ~3 ms for six seasons of weekly stats)."""
    parts = [[f.get_column(c) for f in frames] for c in cols]
    if any(not s.dtype.is_integer() or s.dtype == pl.UInt64 or s.null_count() for part in parts for s in part):
        return None
    values = [np.concatenate([s.to_numpy() for s in part]) for part in parts]
    lows = [int(v.min()) for v in values]
    spans = [int(v.max()) - low + 1 for v, low in zip(values, lows, strict=True)]
    if math.prod(spans) > _MAX_PERIOD_CODES:
        return None
    code = values[0].astype(np.int64)  # one array, updated in place (fresh temporaries cost page faults)
    code -= lows[0]
    for v, low, span in zip(values[1:], lows[1:], spans[1:], strict=True):
        code *= span
        code += v
        code -= low
    present = np.flatnonzero(np.bincount(code))  # ascending codes: season-major, so rows come sorted
    digits = np.unravel_index(present, spans)
    return list(zip(*[(d + low).tolist() for d, low in zip(digits, lows, strict=True)], strict=True))


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
