"""Match quality: per source and dataset rates for the ``player_identity`` manifest, and governance findings.

Rates count distinct source keys (a player as the source knows him) and source rows; rostered players (the sheet's
active contracts, the newest Sleeper rosters) are counted separately. Thresholds live in the ``identity`` block of
``config/platform.yaml`` (``match_rates``, ``rostered``, ``rate_drop_warn_pct``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from pydantic import BaseModel, Field

from ff_analytics.findings import Finding, error, warning
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore

SOURCE, DATASET, CHECK = "identity", "player_identity", "identity"


class RateBounds(BaseModel):
    warn_below_pct: float = 98.0
    error_below_pct: float = 90.0


class QualityPolicy(BaseModel):
    match_rates: dict[str, RateBounds] = Field(default_factory=lambda: {"default": RateBounds()})
    rostered: RateBounds = Field(default_factory=lambda: RateBounds(warn_below_pct=99.0, error_below_pct=95.0))
    rate_drop_warn_pct: float = 1.0

    def bounds_for(self, name: str) -> RateBounds:
        """Thresholds for ``source/dataset``: that dataset's, else its source's, else the default."""
        source = name.split("/", 1)[0]
        return (self.match_rates.get(name) or self.match_rates.get(source) or self.match_rates.get("default")
                or RateBounds())


def load_policy(path: Path | None = None) -> QualityPolicy:
    """The ``identity`` block of the policy file (defaults when the block has no thresholds)."""
    path = path or get_settings().config_dir / "platform.yaml"
    with open(path, encoding="utf-8") as fh:
        block = ((yaml.safe_load(fh) or {}).get("sources") or {}).get(SOURCE) or {}
    return QualityPolicy.model_validate({k: v for k, v in block.items() if k in QualityPolicy.model_fields})


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def match_rates(identity: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """``source/dataset`` -> counts and rates (keys, rows, distinct players, rostered) of one identity table."""
    resolved = pl.col("status") == "resolved"
    stats = identity.group_by("source", "dataset").agg(
        pl.len().alias("keys"), resolved.sum().alias("keys_resolved"),
        pl.col("row_count").sum().alias("rows"), pl.col("row_count").filter(resolved).sum().alias("rows_resolved"),
        pl.col("player_id").drop_nulls().n_unique().alias("players"),
        pl.col("rostered").sum().alias("rostered"), (pl.col("rostered") & resolved).sum().alias("rostered_resolved"),
    ).sort("source", "dataset")
    out: dict[str, dict[str, Any]] = {}
    for r in stats.iter_rows(named=True):
        out[f"{r['source']}/{r['dataset']}"] = {
            "keys": r["keys"], "keys_resolved": r["keys_resolved"], "key_rate_pct": _pct(r["keys_resolved"], r["keys"]),
            "rows": r["rows"], "rows_resolved": r["rows_resolved"], "row_rate_pct": _pct(r["rows_resolved"], r["rows"]),
            "players": r["players"], "rostered": r["rostered"], "rostered_resolved": r["rostered_resolved"],
            "rostered_rate_pct": _pct(r["rostered_resolved"], r["rostered"]),
        }
    return out


def method_counts(identity: pl.DataFrame) -> dict[str, int]:
    counts = identity.group_by(pl.col("method").fill_null("unresolved")).len().sort("method")
    return {m: n for m, n in counts.iter_rows()}


def quality_findings(identity: pl.DataFrame, rates: dict[str, dict[str, Any]], policy: QualityPolicy, *,
                     previous: dict[str, dict[str, Any]] | None = None, dt: date | None = None) -> list[Finding]:
    """Rates against thresholds, each unresolved rostered player by name, and rates that fell since last time."""
    findings: list[Finding] = []
    where = {"source": SOURCE, "dataset": DATASET, "dt": dt}
    for name, r in rates.items():
        bounds, rate = policy.bounds_for(name), r["key_rate_pct"]
        if rate is not None and rate < bounds.error_below_pct:
            findings.append(error(CHECK, "identity_match_rate_low", f"{name}: {rate}% of {r['keys']} players resolved "
                                  f"(error below {bounds.error_below_pct}%)", **where))
        elif rate is not None and rate < bounds.warn_below_pct:
            findings.append(warning(CHECK, "identity_match_rate_low", f"{name}: {rate}% of {r['keys']} players "
                                    f"resolved (warning below {bounds.warn_below_pct}%)", **where))
        ros = r["rostered_rate_pct"]
        if ros is not None and ros < policy.rostered.error_below_pct:
            findings.append(error(CHECK, "identity_rostered_rate_low", f"{name}: {ros}% of {r['rostered']} rostered "
                                  f"players resolved (error below {policy.rostered.error_below_pct}%)", **where))
        elif ros is not None and ros < policy.rostered.warn_below_pct:
            findings.append(warning(CHECK, "identity_rostered_rate_low", f"{name}: {ros}% of {r['rostered']} rostered "
                                    f"players resolved (warning below {policy.rostered.warn_below_pct}%)", **where))
        before = (previous or {}).get(name, {})
        for key in ("key_rate_pct", "rostered_rate_pct"):
            old, new = before.get(key), r.get(key)
            if old is not None and new is not None and old - new > policy.rate_drop_warn_pct:
                findings.append(warning(CHECK, "identity_match_rate_fell", f"{name}: {key.replace('_pct', '')} fell "
                                        f"from {old}% to {new}% since the previous snapshot", **where))
    missing = identity.filter(pl.col("rostered") & (pl.col("status") != "resolved")).sort("source", "dataset",
                                                                                          "source_key")
    for r in missing.iter_rows(named=True):
        findings.append(warning(
            CHECK, "identity_rostered_unresolved",
            f"rostered player {r['source_name'] or r['source_key']!r} ({r['source']}/{r['dataset']} key "
            f"{r['source_key']!r}) has no player id: {r['reason']}"
            + (f"; candidates: {r['candidate_detail']}" if r["candidate_detail"] else ""), **where))
    return findings


def identity_findings(store: SnapshotStore, dt: str | date | None = None,
                      policy: QualityPolicy | None = None) -> list[Finding]:
    """Findings for the current (or given) ``player_identity`` snapshot, compared with the snapshot before it."""
    policy = policy or load_policy()
    day = store.resolve_dt(SOURCE, DATASET, dt)
    manifest = store.read_manifest(SOURCE, DATASET, day)
    identity = store.read(SOURCE, DATASET, day)
    rates = (manifest.params or {}).get("match_rates") if manifest else None
    rates = rates or match_rates(identity)
    earlier = [d for d in store.partition_dates(SOURCE, DATASET) if d < day]
    previous = None
    if earlier:
        prev_manifest = store.read_manifest(SOURCE, DATASET, earlier[-1], missing_ok=True)
        previous = (prev_manifest.params or {}).get("match_rates") if prev_manifest else None
    return quality_findings(identity, rates, policy, previous=previous, dt=day)


def suspect_matches(identity: pl.DataFrame, players: pl.DataFrame) -> pl.DataFrame:
    """Resolved rows to double-check against the crosswalk: the player's family is not one the row allows (outside
    overrides and declared alias mislabels), or a name-based match whose team differs from the crosswalk's (id
    matches of players who changed teams are expected: the crosswalk's team lags)."""
    xw = players.select("player_id", pl.col("family").alias("xw_family"), pl.col("team").alias("xw_team"),
                        pl.col("player_name").alias("xw_name"))
    resolved = identity.filter(pl.col("status") == "resolved").join(xw, on="player_id", how="left")
    family_off = (pl.col("position_families").is_not_null() & pl.col("method").is_in(["id", "crosswalk",
                                                                                    "name_position_team", "fuzzy"])
                  & ~pl.col("position_families").str.split(",").list.contains(pl.col("xw_family")))
    team_off = (pl.col("method").is_in(["name_position_team", "alias", "fuzzy"]) & pl.col("source_team").is_not_null()
                & pl.col("xw_team").is_not_null() & (pl.col("source_team") != pl.col("xw_team")))
    return resolved.filter(family_off | team_off).with_columns(
        pl.when(family_off).then(pl.lit("family")).otherwise(pl.lit("team")).alias("suspect"))
