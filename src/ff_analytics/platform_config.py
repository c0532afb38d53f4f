"""Typed access to ``config/platform.yaml``: the single source of sources, datasets and governance policy."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from ff_analytics.errors import ConfigError
from ff_analytics.settings import get_settings


class Freshness(BaseModel):
    warn_after_days: int
    error_after_days: int


class Cadence(BaseModel):
    cron: str
    description: str


class SourceConfig(BaseModel):
    description: str
    freshness: Freshness
    cadence: Cadence
    datasets: list[str]


class RowCountBounds(BaseModel):
    max_drop_pct: float
    max_growth_pct: float


class RowCountPolicy(BaseModel):
    default: RowCountBounds
    overrides: dict[str, RowCountBounds] = Field(default_factory=dict)


class PlatformConfig(BaseModel):
    sources: dict[str, SourceConfig]
    allow_empty: dict[str, list[str]] = Field(default_factory=dict)
    row_count_bounds: RowCountPolicy
    archive_after_days: int = 180
    # Datasets whose snapshots must hold every played regular-season week (governance gap check):
    # source -> datasets. Optional, so older policy files still load.
    week_coverage: dict[str, list[str]] = Field(default_factory=dict)
    # <source>.<dataset> -> minimum share of player ids found in the id crosswalk (below: a warning).
    mapping_rate_min: dict[str, float] = Field(default_factory=dict)

    def has_dataset(self, source: str, dataset: str) -> bool:
        return source in self.sources and dataset in self.sources[source].datasets

    def allows_empty(self, source: str, dataset: str) -> bool:
        return dataset in self.allow_empty.get(source, [])

    def checks_week_coverage(self, source: str, dataset: str) -> bool:
        return dataset in self.week_coverage.get(source, [])

    def min_mapping_rate(self, source: str, dataset: str) -> float | None:
        return self.mapping_rate_min.get(f"{source}.{dataset}")

    def bounds_for(self, source: str, dataset: str) -> RowCountBounds:
        return self.row_count_bounds.overrides.get(f"{source}.{dataset}", self.row_count_bounds.default)


def load_platform_config(path: Path | None = None) -> PlatformConfig:
    """Parse and validate the policy file (a bad file fails here, naming the field)."""
    path = path or get_settings().config_dir / "platform.yaml"
    with open(path, encoding="utf-8") as fh:
        try:
            return PlatformConfig.model_validate(yaml.safe_load(fh))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path} is not valid YAML: {' '.join(str(exc).split())}") from None
        except ValidationError as exc:
            bad = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"invalid {path}: {bad}") from None


@lru_cache(maxsize=1)
def platform_config() -> PlatformConfig:
    return load_platform_config()
