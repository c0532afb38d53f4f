"""The canonical players: the nflverse ``ff_playerids`` crosswalk (one row per player, each provider id on at most
one player) plus one team-defense player per NFL team.

``player_id`` is the crosswalk's key, the MFL id (else ``gsis:<id>``, else ``sleeper:<id>``), exactly as the dbt
model ``dim_player_id_xref`` derives it. The crosswalk has no team defenses; each team gets ``DST-<team>``
(e.g. ``DST-PHI``), named by its full name, nickname and abbreviation, and carrying Sleeper's defense id (the team
abbreviation) so every source lands on the same id.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from ff_analytics.errors import SourceError
from ff_analytics.identity.normalize import family, name_key, suffix

# Provider id columns of the crosswalk the id pass joins on; mfl_id is the canonical key itself (method "id").
ID_COLUMNS: tuple[str, ...] = ("mfl_id", "sleeper_id", "gsis_id", "ktc_id", "fantasypros_id", "pfr_id", "espn_id",
                               "yahoo_id", "sportradar_id")
DST_PREFIX = "DST-"


@dataclass(frozen=True)
class Crosswalk:
    """Players and the two lookup tables the passes join on."""

    players: pl.DataFrame   # player_id, player_name, name_key, position, family, team, birth_date
    ids: pl.DataFrame       # id_type, id_value, player_id
    names: pl.DataFrame     # name_key, player_id, family, team, birth_date, suffix, cand_gsis (a DST: several keys)

    @property
    def player_ids(self) -> set[str]:
        return set(self.players["player_id"].to_list())

    @cached_property
    def ids_by_type(self) -> dict[str, pl.DataFrame]:
        """id type -> (id_value, player_id, family): one small join table per id column, built once."""
        return {key[0]: frame.drop("id_type", "id_code") for key, frame in self.ids_long.partition_by(
            "id_type", as_dict=True).items()}

    @cached_property
    def ids_long(self) -> pl.DataFrame:
        """(id_type, id_value) -> player_id, family: the one join table of the single-id rows, with ``id_code``
        (the id type's place in :data:`ID_COLUMNS`: a one-byte type to compare after joining on the value)."""
        return self.ids.join(self.players.select("player_id", "family"), on="player_id", how="left").with_columns(
            pl.col("id_type").replace_strict({c: i for i, c in enumerate(ID_COLUMNS)}, return_dtype=pl.UInt8)
            .alias("id_code"))

    @cached_property
    def fuzzy_blocks(self) -> dict[tuple[str | None, str], tuple[list[str], list[str], list[str | None],
                                                                 list[str | None]]]:
        """(family, first letter of the name key) -> (name keys, player ids, teams, birth dates): the fuzzy
        pass's blocks."""
        out: dict[tuple[str | None, str], tuple[list[str], list[str], list[str | None], list[str | None]]] = {}
        keyed = self.names.with_columns(pl.col("name_key").str.slice(0, 1).alias("initial"))
        for (fam, initial), frame in keyed.group_by("family", "initial", maintain_order=True):
            frame = frame.sort("name_key", "player_id")
            out[(fam, initial)] = (frame["name_key"].to_list(), frame["player_id"].to_list(),
                                   frame["team"].to_list(), frame["birth_date"].to_list())
        return out


def _id_text(col: str) -> pl.Expr:
    """Provider ids arrive as ints, floats or strings ('NA' from CSVs): one text form (as dbt's ``id_text``)."""
    text = pl.col(col).cast(pl.String).str.strip_chars().str.replace(r"\.0+$", "")
    return pl.when(text.is_in(["", "NA", "nan", "None"])).then(None).otherwise(text).alias(col)


def build_crosswalk(playerids: pl.DataFrame, teams: pl.DataFrame | None = None) -> Crosswalk:
    """Canonical players from a ``ff_playerids`` snapshot (and an nflverse ``teams`` snapshot for defenses)."""
    missing = [c for c in ("mfl_id", "gsis_id", "sleeper_id", "name", "position") if c not in playerids.columns]
    if missing:
        raise SourceError(f"crosswalk lacks columns {missing}", source="nflverse", dataset="ff_playerids")
    present = [c for c in ID_COLUMNS if c in playerids.columns]
    frame = playerids.select(
        *[_id_text(c) for c in present],
        pl.col("name").cast(pl.String).alias("player_name"),
        pl.col("position").cast(pl.String).replace("NA", None).alias("position"),
        (pl.col("team").cast(pl.String).replace("NA", None) if "team" in playerids.columns
         else pl.lit(None, pl.String)).alias("team"),
        (pl.col("birthdate").cast(pl.String).replace("NA", None) if "birthdate" in playerids.columns
         else pl.lit(None, pl.String)).str.slice(0, 10).alias("birth_date"),
        (pl.col("db_season").cast(pl.Int64, strict=False) if "db_season" in playerids.columns
         else pl.lit(None, pl.Int64)).alias("db_season"),
    ).with_columns(
        pl.coalesce(pl.col("mfl_id"), "gsis:" + pl.col("gsis_id"), "sleeper:" + pl.col("sleeper_id"))
        .alias("player_id"),
        (pl.col("gsis_id").is_not_null().cast(pl.Int8) + pl.col("sleeper_id").is_not_null().cast(pl.Int8)
         + (pl.col("espn_id").is_not_null().cast(pl.Int8) if "espn_id" in present else 0)
         + (pl.col("pfr_id").is_not_null().cast(pl.Int8) if "pfr_id" in present else 0)).alias("known_ids"),
    ).filter(pl.col("player_id").is_not_null())
    # one row per player: newest db_season, most known ids (dim_player_id_xref's order)
    frame = frame.sort(["player_id", "db_season", "known_ids"], descending=[False, True, True], nulls_last=True)
    frame = frame.unique("player_id", keep="first", maintain_order=True)
    # each provider id on one player only: the same order decides; the others lose the id
    frame = frame.sort(["db_season", "known_ids", "player_id"], descending=[True, True, False], nulls_last=True)
    frame = frame.with_columns(
        pl.when(pl.col(c).is_not_null() & pl.col(c).is_first_distinct()).then(pl.col(c)).alias(c)
        for c in present if c != "mfl_id")
    players = frame.select(
        "player_id", "player_name", name_key(pl.col("player_name")).alias("name_key"), "position",
        family(pl.col("position")).alias("family"), "team", "birth_date", *present,
    ).sort("player_id")
    ids = (players.select("player_id", *present)
           .unpivot(index="player_id", on=present, variable_name="id_type", value_name="id_value")
           .drop_nulls("id_value").select("id_type", "id_value", "player_id"))
    names = players.filter(pl.col("name_key") != "").select("name_key", "player_id", "family", "team", "birth_date",
                                                            suffix(pl.col("player_name")).alias("suffix"),
                                                            pl.col("gsis_id").alias("cand_gsis"))
    if teams is not None and teams.height:
        dst_players, dst_ids, dst_names = _defenses(teams)
        players = pl.concat([players, dst_players], how="diagonal_relaxed")
        ids = pl.concat([ids, dst_ids])
        names = pl.concat([names, dst_names])
    return Crosswalk(players=players, ids=ids, names=names.unique(maintain_order=True))


def _defenses(teams: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """One DST player per team of the newest teams season: id DST-<team>, names full / nickname / abbreviation."""
    newest = teams.filter(pl.col("season") == pl.col("season").max()) if "season" in teams.columns else teams
    cols = newest.columns
    t = newest.select(
        pl.col("team").cast(pl.String),
        (pl.col("full") if "full" in cols else pl.col("team")).cast(pl.String).alias("full"),
        (pl.col("nickname") if "nickname" in cols else pl.col("team")).cast(pl.String).alias("nickname"),
        (pl.col("location") if "location" in cols else pl.col("team")).cast(pl.String).alias("location"),
    ).unique("team").sort("team")
    players = t.select(
        (DST_PREFIX + pl.col("team")).alias("player_id"), pl.col("full").alias("player_name"),
        name_key(pl.col("full")).alias("name_key"), pl.lit("DST").alias("position"), pl.lit("DST").alias("family"),
        "team", pl.lit(None, pl.String).alias("birth_date"), pl.col("team").alias("sleeper_id"))
    ids = players.select(pl.lit("sleeper_id").alias("id_type"), pl.col("sleeper_id").alias("id_value"), "player_id")
    spellings = [pl.col("full"), pl.col("nickname"), pl.col("team"), pl.col("location") + " " + pl.col("nickname"),
                 pl.col("full") + " D/ST", pl.col("nickname") + " D/ST", pl.col("full") + " Defense",
                 pl.col("team") + " D/ST", pl.col("team") + " DST", pl.col("team") + " DEF"]
    names = pl.concat([
        t.select(name_key(s).alias("name_key"), (DST_PREFIX + pl.col("team")).alias("player_id"),
                 pl.lit("DST").alias("family"), "team", pl.lit(None, pl.String).alias("birth_date"),
                 pl.lit(None, pl.String).alias("suffix"), pl.lit(None, pl.String).alias("cand_gsis"))
        for s in spellings]).unique(maintain_order=True)
    return players, ids, names
