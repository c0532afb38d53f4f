"""Map ffanalytics player ids to the league's ids through the nflverse ``ff_playerids`` crosswalk.

ffanalytics identifies players by their MyFantasyLeague id (``id``), so ``mfl_id`` is the primary key.
Players the crosswalk lacks an ``mfl_id`` for are tried through the sites' own ids (``src_id``) where the
crosswalk has a column for that site (FantasyPros, ESPN, CBS, Yahoo, NFL, Fleaflicker). ``player_id`` is
the GSIS id (nflverse's player_id); ``sleeper_id`` is added for roster joins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ff_analytics.errors import SnapshotError
from ff_analytics.snapshots.store import SnapshotStore

SITE_ID_COLUMNS = {"fantasypros": "fantasypros_id", "espn": "espn_id", "cbs": "cbs_id", "yahoo": "yahoo_id",
                   "nfl": "nfl_id", "fleaflicker": "fleaflicker_id"}
OUTPUT_IDS = {"gsis_id": "player_id", "sleeper_id": "sleeper_id"}


@dataclass
class MappingReport:
    total_players: int
    mapped_players: int
    crosswalk_dt: str | None
    by_key: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def rate(self) -> float | None:
        """Share of players mapped; None when no crosswalk was available (nothing was attempted)."""
        if self.crosswalk_dt is None or not self.total_players:
            return None
        return round(self.mapped_players / self.total_players, 4)

    def as_dict(self) -> dict:
        return {"total_players": self.total_players, "mapped_players": self.mapped_players,
                "mapping_rate": self.rate, "crosswalk": "nflverse/ff_playerids", "crosswalk_dt": self.crosswalk_dt,
                "mapped_by": self.by_key, "note": self.note}


def read_crosswalk(store: SnapshotStore) -> tuple[pl.DataFrame | None, str | None, str]:
    """The current ff_playerids snapshot (else the newest, noted as not yet promoted), or None with the reason."""
    note = ""
    try:
        day = store.resolve_dt("nflverse", "ff_playerids")
    except SnapshotError as exc:
        days = store.partition_dates("nflverse", "ff_playerids")
        if not days:
            return None, None, f"no usable nflverse/ff_playerids snapshot ({exc.detail})"
        day, note = days[-1], f"used ff_playerids {days[-1]}, which is not promoted to current yet"
    try:
        return store.read("nflverse", "ff_playerids", day), day.isoformat(), note
    except SnapshotError as exc:
        return None, None, f"nflverse/ff_playerids {day} unreadable ({exc.detail})"


def _as_id(expr: pl.Expr) -> pl.Expr:
    """Ids as clean strings: trimmed, no float suffix, "NA"/empty as missing."""
    text = expr.cast(pl.String).str.strip_chars().str.replace(r"\.0$", "")
    return pl.when(text.is_in(["", "NA", "NaN", "nan", "None"])).then(None).otherwise(text)


def map_player_ids(consensus: pl.DataFrame, raw: pl.DataFrame, crosswalk: pl.DataFrame | None,
                   crosswalk_dt: str | None = None, note: str = "") -> tuple[pl.DataFrame, MappingReport]:
    """Add ``player_id`` (GSIS) and ``sleeper_id`` to the consensus; report how many players were mapped."""
    ids = consensus.select("id").unique()
    empty = pl.DataFrame(schema={"id": pl.String, "player_id": pl.String, "sleeper_id": pl.String})
    if crosswalk is None or not ({"mfl_id"} | set(SITE_ID_COLUMNS.values())) & set(crosswalk.columns):
        note = note or "crosswalk has no mfl_id or site id columns"
        return _attach(consensus, empty), MappingReport(ids.height, 0, crosswalk_dt, {}, note)
    outputs = [c for c in OUTPUT_IDS if c in crosswalk.columns]
    xw = crosswalk.select(
        *[_as_id(pl.col(c)).alias(c) for c in ["mfl_id", *SITE_ID_COLUMNS.values()] if c in crosswalk.columns],
        *[_as_id(pl.col(c)).alias(OUTPUT_IDS[c]) for c in outputs],
    )
    found: list[pl.DataFrame] = []
    by_key: dict[str, int] = {}
    if "mfl_id" in xw.columns:
        hit = ids.join(xw.filter(pl.col("mfl_id").is_not_null()).unique("mfl_id", keep="first"),
                       left_on="id", right_on="mfl_id", how="inner")
        found.append(hit.select("id", *[OUTPUT_IDS[c] for c in outputs]))
        by_key["mfl_id"] = hit.height
    if {"src_id", "data_src"} <= set(raw.columns):
        site_rows = raw.select("id", _as_id(pl.col("src_id")).alias("src_id"),
                               pl.col("data_src").str.to_lowercase().alias("site")).unique()
        for site, col in SITE_ID_COLUMNS.items():
            if col not in xw.columns:
                continue
            done = pl.concat([f.select("id") for f in found]) if found else pl.DataFrame(schema={"id": pl.String})
            cand = site_rows.filter(pl.col("site") == site).join(done, on="id", how="anti")
            hit = cand.join(xw.filter(pl.col(col).is_not_null()).unique(col, keep="first"),
                            left_on="src_id", right_on=col, how="inner").unique("id", keep="first")
            if hit.height:
                found.append(hit.select("id", *[OUTPUT_IDS[c] for c in outputs]))
                by_key[col] = hit.height
    mapped = pl.concat(found, how="diagonal_relaxed").unique("id", keep="first") if found else empty
    mapped = mapped.filter(pl.any_horizontal(pl.exclude("id").is_not_null())) if mapped.width > 1 else mapped
    report = MappingReport(ids.height, mapped.height, crosswalk_dt, by_key, note)
    return _attach(consensus, mapped), report


def _attach(consensus: pl.DataFrame, mapped: pl.DataFrame) -> pl.DataFrame:
    for col in ("player_id", "sleeper_id"):
        if col not in mapped.columns:
            mapped = mapped.with_columns(pl.lit(None, dtype=pl.String).alias(col))
    return consensus.join(mapped.select("id", "player_id", "sleeper_id"), on="id", how="left", maintain_order="left")
