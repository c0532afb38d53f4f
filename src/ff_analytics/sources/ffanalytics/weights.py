"""Per-source projection weights from ``config/league/ffanalytics_projection_weights_mapped.csv`` (data, not code).

The file names each site by an id (``fantasypros``) and a display name (``FantasyPros``); raw projections carry
the display name in ``data_src``. Both are matched case-insensitively. An optional ``pos`` column gives
position-specific weights, as ffanalytics' list form of ``src_weights`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ff_analytics.errors import ConfigError
from ff_analytics.settings import get_settings

SOURCE = "ffanalytics"


@dataclass(frozen=True)
class SourceWeights:
    """Weight by lower-cased source name (and by (pos, source) when the file is position-specific)."""

    by_source: dict[str, float]
    by_pos_source: dict[tuple[str, str], float]
    origin: str

    def lookup_frame(self) -> pl.DataFrame:
        """(source_key, pos or null, weight) rows to join on."""
        rows = [(s, None, w) for s, w in self.by_source.items()]
        rows += [(s, p, w) for (p, s), w in self.by_pos_source.items()]
        return pl.DataFrame(rows, schema={"source_key": pl.String, "pos": pl.String, "weight": pl.Float64},
                            orient="row")

    def missing(self, sources: list[str]) -> list[str]:
        known = set(self.by_source) | {s for _, s in self.by_pos_source}
        return sorted({s for s in sources if s.lower() not in known})


def default_weights_path() -> Path:
    return get_settings().config_dir / "league" / "ffanalytics_projection_weights_mapped.csv"


def load_weights(path: Path | None = None) -> SourceWeights:
    """Read and validate the weights file: numeric, non-negative, at least one source."""
    path = Path(path) if path is not None else default_weights_path()
    if not path.exists():
        raise ConfigError(f"weights file not found: {path}", source=SOURCE)
    try:
        df = pl.read_csv(path, infer_schema_length=0)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise ConfigError(f"weights file {path.name} is unreadable: {exc}", source=SOURCE) from None
    names = [c for c in ("site_id", "site_name", "source", "data_src") if c in df.columns]
    if "weight" not in df.columns or not names:
        raise ConfigError(f"weights file {path.name} needs a 'weight' column and one of site_id/site_name/source "
                          f"(has {df.columns})", source=SOURCE)
    if df.height == 0:
        raise ConfigError(f"weights file {path.name} lists no sources", source=SOURCE)
    weights = df["weight"].str.strip_chars().cast(pl.Float64, strict=False)
    bad = df.filter(weights.is_null() | weights.is_nan() | (weights < 0))
    if bad.height:
        raise ConfigError(f"weights file {path.name}: weights must be numbers >= 0; bad rows: "
                          f"{bad.rows()[:5]}", source=SOURCE)
    by_source: dict[str, float] = {}
    by_pos: dict[tuple[str, str], float] = {}
    pos_col = "pos" if "pos" in df.columns else None
    for i, w in enumerate(weights.to_list()):
        pos = (df[pos_col][i] or "").strip().upper() if pos_col else ""
        for col in names:
            key = (df[col][i] or "").strip().lower()
            if not key:
                continue
            if pos:
                by_pos[(pos, key)] = w
            else:
                by_source[key] = w
    return SourceWeights(by_source, by_pos, str(path))
