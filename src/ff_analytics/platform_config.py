"""Typed access to ``config/platform.yaml``: the single source of sources, datasets and governance policy."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from ff_analytics.errors import ConfigError, unknown_name
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


class MappingRatePolicy(BaseModel):
    """Player-id mapping rate of a dataset's current snapshot: below ``warn_below`` a warning, below
    ``error_below`` an error (fractions, 0.9 = 90 %)."""

    warn_below: float = 0.9
    error_below: float = 0.25


class SeasonPhaseBounds(BaseModel):
    """Row-count bounds for one phase of the NFL calendar. In season the growth between two snapshots is expected
    to match the games played in between (``weekly_growth_pct`` of the previous count per NFL week when the
    snapshot has no week coverage), within ``growth_tolerance_pct`` of that expected growth."""

    max_drop_pct: float
    max_growth_pct: float
    weekly_growth_pct: float = 0.0
    growth_tolerance_pct: float = 50.0


class SeasonalRowCounts(BaseModel):
    """Season-aware row-count bounds for datasets that grow with the NFL calendar (source.dataset names)."""

    datasets: list[str] = Field(default_factory=list)
    in_season: SeasonPhaseBounds = SeasonPhaseBounds(max_drop_pct=5, max_growth_pct=0, weekly_growth_pct=10)
    off_season: SeasonPhaseBounds = SeasonPhaseBounds(max_drop_pct=5, max_growth_pct=5)


class GovernancePolicy(BaseModel):
    mapping_rate: MappingRatePolicy = MappingRatePolicy()
    seasonal_row_counts: SeasonalRowCounts = SeasonalRowCounts()


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
    governance: GovernancePolicy = GovernancePolicy()

    def has_dataset(self, source: str, dataset: str) -> bool:
        return source in self.sources and dataset in self.sources[source].datasets

    def check_names(self, source: str | None, dataset: str | None = None) -> None:
        """A mistyped source or dataset name is an error naming the known ones and the closest match."""
        if source is not None and source not in self.sources:
            raise unknown_name("source", source, list(self.sources))
        if dataset is not None:
            known = self.sources[source].datasets if source else sorted({d for c in self.sources.values()
                                                                          for d in c.datasets})
            if dataset not in known:
                raise unknown_name("dataset", dataset, known, source=source)

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
