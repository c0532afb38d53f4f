"""The passes that turn source rows into canonical players, in the issue's order, never guessing.

1. ``override``: the analyst's manual fix wins.
2. ``id`` / ``crosswalk``: the row's own ids joined to the crosswalk (``id`` when the id is the canonical MFL id,
   ``crosswalk`` through a provider id: Sleeper, GSIS, KTC, FantasyPros, PFR, ESPN ...). Ids pointing at two players,
   or at a player of another position family, leave the row unresolved with both listed.
3. ``name_position_team``: same name key inside the row's position family; two or more candidates are narrowed by
   team, then birth date, then a written generational suffix, and stay unresolved if still more than one.
4. ``alias``: the curated aliases, only inside their declared position scope.
5. A name spelled exactly like a player of another family only is left unresolved (a mislabelled position, not a
   typo), with that player as the candidate.
6. ``fuzzy``: rapidfuzz ``ratio`` on name keys, at least :data:`FUZZY_THRESHOLD`, only against players of the row's
   family (or of the families its roster slot allows) whose name starts with the same letter; exactly one player
   above the threshold, else unresolved.

A row whose family is unknown (a sheet BN/TAXI/IR slot) may match players of any family, so there the name and
alias candidates are pooled: "Josh Allen" on a bench slot is unresolved (QB Josh Allen and, by alias,
Josh Hines-Allen), never a guess.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

from ff_analytics.identity.crosswalk import ID_COLUMNS, Crosswalk
from ff_analytics.identity.normalize import (
    allowed_families,
    family_of_values,
    name_key,
    slot_families_of_values,
    suffix,
)

# A typo such as "DeAdnre Hokins" / "deandre hopkins" scores 89.7, "Chrirstian McCaffrey" 97.4; different people who
# share a surname score well below (Josh Allen / Josh Hines-Allen 76.9, Zach Allen / Josh Allen 70.0).
FUZZY_THRESHOLD = 88.0
CONFIDENCE = {"override": 1.0, "id": 1.0, "crosswalk": 0.99, "name_position_team": 0.95, "alias": 0.9}
ROW_COLUMNS = {"source": pl.String, "dataset": pl.String, "source_key": pl.String, "name": pl.String,
               "position": pl.String, "slot": pl.String, "team": pl.String, "birth_date": pl.String,
               "rostered": pl.Boolean, "row_count": pl.UInt32} | {c: pl.String for c in ID_COLUMNS}
OUTPUT_SCHEMA = {  # the player_identity table (dbt's stg_identity__player_identity reads it)
    "source": pl.String, "dataset": pl.String, "source_key": pl.String, "source_name": pl.String,
    "source_position": pl.String, "source_team": pl.String, "position_families": pl.String, "rostered": pl.Boolean,
    "row_count": pl.UInt32, "player_id": pl.String, "player_family": pl.String, "status": pl.String,
    "method": pl.String, "confidence": pl.Float64, "candidates": pl.List(pl.String), "candidate_detail": pl.String,
    "reason": pl.String,
}
_PASS = {"rid": pl.UInt32, "player_id": pl.String, "method": pl.String, "confidence": pl.Float64,
         "candidates": pl.List(pl.String), "reason": pl.String}   # what each pass decides
_DECISION = _PASS | {"player_family": pl.String}                   # plus the player's family (id pass has it)


def conform_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Source rows in the resolver's shape (missing optional columns as nulls, types as declared)."""
    exprs = []
    for c, t in ROW_COLUMNS.items():
        if c not in rows.columns:
            exprs.append(pl.lit(False if c == "rostered" else 1 if c == "row_count" else None, dtype=t).alias(c))
        elif rows.schema[c] != t:
            exprs.append(pl.col(c).cast(t))
        else:
            exprs.append(pl.col(c))
    return rows.select(exprs).with_columns(pl.col("rostered").fill_null(False), pl.col("row_count").fill_null(1))


def resolve(rows: pl.DataFrame, xwalk: Crosswalk, aliases: pl.DataFrame, overrides: pl.DataFrame | None = None,
            *, fuzzy_threshold: float = FUZZY_THRESHOLD) -> pl.DataFrame:
    """One output row per input row, in input order: the player, how, how sure, and what was rejected.

    The id pass runs on every row with plain joins; names are normalised only for the rows it leaves (a few per
    cent), so the name passes cost little however many rows there are.
    """
    base = conform_rows(rows).with_row_index("rid")
    row_family = pl.col("position").replace_strict(family_of_values(base["position"]), default=None,
                                                   return_dtype=pl.String)
    by_slot = pl.col("slot").replace_strict(slot_families_of_values(base["slot"]), default=None,
                                            return_dtype=pl.String)
    base = base.with_columns(row_family.alias("row_family"), pl.coalesce(row_family, by_slot)
                             .alias("position_families"))
    decisions: list[pl.DataFrame] = []
    decided, todo = _override_pass(base, overrides)
    decisions.append(decided)
    decided, todo = _id_pass(todo, xwalk)
    decisions.append(decided)
    todo = todo.with_columns(
        name_key(pl.col("name")).alias("name_key"), suffix(pl.col("name")).alias("suffix"),
        allowed_families(pl.col("position"), pl.col("slot")).alias("families"))
    for step in (_name_pass, _other_family_pass):
        decided, todo = step(todo, xwalk, aliases)
        decisions.append(decided)
    decided, todo = _fuzzy_pass(todo, xwalk, fuzzy_threshold)
    decisions.append(decided)
    decisions.append(todo.select(
        "rid", pl.lit(None, pl.String).alias("player_id"), pl.lit(None, pl.String).alias("method"),
        pl.lit(0.0).alias("confidence"), pl.lit(None, pl.List(pl.String)).alias("candidates"),
        pl.when(pl.col("name_key") == "").then(pl.lit("no name to match and no id the crosswalk knows"))
        .otherwise(pl.lit("no candidate: no id, name, alias or close spelling in the row's position family"))
        .alias("reason")))
    families = xwalk.players.select("player_id", pl.col("family").alias("player_family"))
    decision = pl.concat([
        (d if "player_family" in d.columns else d.join(families, on="player_id", how="left"))
        .select(pl.col(c).cast(t) for c, t in _DECISION.items()) for d in decisions]).sort("rid")
    if decision.height != base.height or not decision["rid"].equals(base["rid"]):
        raise AssertionError("identity resolver: every row must get exactly one decision")
    return _finish(base.hstack(decision.drop("rid")), xwalk)


def _finish(out: pl.DataFrame, xwalk: Crosswalk) -> pl.DataFrame:
    listed = out.filter(pl.col("candidates").list.len() > 0).select("rid", "candidates")
    detail = xwalk.players.select(
        "player_id", pl.format("{} ({} {} {})", "player_id", "player_name", pl.col("position").fill_null("?"),
                               pl.col("team").fill_null("?")).alias("label"))
    labels = (listed.explode("candidates").join(detail, left_on="candidates", right_on="player_id", how="left")
              .group_by("rid").agg(pl.col("label").sort().str.join("; ").alias("candidate_detail")))
    out = out.join(labels, on="rid", how="left", maintain_order="left") if labels.height else out.with_columns(
        pl.lit(None, pl.String).alias("candidate_detail"))
    return out.select(
        "source", "dataset", "source_key", pl.col("name").alias("source_name"),
        pl.coalesce("position", "slot").alias("source_position"), pl.col("team").alias("source_team"),
        "position_families", "rostered", "row_count", "player_id", "player_family",
        pl.when(pl.col("player_id").is_not_null()).then(pl.lit("resolved")).otherwise(pl.lit("unresolved"))
        .alias("status"), "method", "confidence", "candidates", "candidate_detail", "reason",
    ).cast(OUTPUT_SCHEMA)


def _split(todo: pl.DataFrame, decided: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The decided rows, and the rows still to do (``rid`` is the dense row index, so a mask does it)."""
    if decided.height == 0:
        return decided, todo
    return decided, todo.filter(~pl.col("rid").is_in(decided["rid"].implode()))


def _override_pass(todo: pl.DataFrame, overrides: pl.DataFrame | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    if overrides is None or overrides.height == 0:
        return pl.DataFrame(schema=_PASS), todo
    by_key = todo.join(overrides.filter(pl.col("source_key").is_not_null()).select("source", "source_key",
                                                                                     "player_id", "reason"),
                       on=["source", "source_key"], how="inner").select("rid", "player_id", "reason")
    named = overrides.filter(pl.col("name_key").is_not_null())
    candidates = todo.filter(pl.col("source").is_in(named["source"].implode())).select(
        "rid", "source", name_key(pl.col("name")).alias("name_key"))
    by_name = candidates.join(named.select("source", "name_key", "player_id", "reason"), on=["source", "name_key"],
                              how="inner").select("rid", "player_id", "reason")
    decided = pl.concat([by_key, by_name]).unique("rid", keep="first", maintain_order=True).select(
        "rid", "player_id", pl.lit("override").alias("method"), pl.lit(CONFIDENCE["override"]).alias("confidence"),
        pl.lit(None, pl.List(pl.String)).alias("candidates"), ("override: " + pl.col("reason")).alias("reason"))
    return _split(todo, decided)


def _id_pass(todo: pl.DataFrame, xwalk: Crosswalk) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows with one id (nearly all): each id column's rows joined to that id type's table, as plain as a join
    gets. Rows with several ids: every id joined, and ids that point at different players leave the row
    unresolved."""
    counted = todo.with_columns(pl.sum_horizontal(pl.col(c).is_not_null() for c in ID_COLUMNS).alias("n_ids"))
    multi = counted.filter(pl.col("n_ids") > 1)
    single = counted.filter(pl.col("n_ids") == 1) if multi.height else counted
    parts = []
    for col in ID_COLUMNS:
        present = single.filter(pl.col(col).is_not_null())
        if present.height == 0:
            continue
        ids = xwalk.ids_by_type.get(col)
        part = present.select("rid", "row_family", "position", pl.col(col).alias("id_value"))
        part = (part.join(ids, on="id_value", how="left") if ids is not None else part.with_columns(
            pl.lit(None, pl.String).alias("player_id"), pl.lit(None, pl.String).alias("family")))
        parts.append(part.select("rid", "row_family", "position", "player_id", "family",
                                 pl.lit(col == "mfl_id").alias("by_mfl"), pl.lit(1, pl.UInt32).alias("n"),
                                 pl.lit(None, pl.List(pl.String)).alias("all")))
    hits = pl.concat(parts) if parts else pl.DataFrame(schema={
        "rid": pl.UInt32, "row_family": pl.String, "position": pl.String, "player_id": pl.String, "family": pl.String,
        "by_mfl": pl.Boolean, "n": pl.UInt32, "all": pl.List(pl.String)})
    if multi.height:
        hits = pl.concat([hits, _multi_id_hits(multi, xwalk)], how="vertical_relaxed")
    one = pl.col("n") == 1
    clash = (pl.col("row_family") != pl.col("family")).fill_null(False)
    ok = pl.col("player_id").is_not_null() & one & ~clash
    good = hits.filter(ok).select(  # nearly every row: plain columns only
        "rid", "player_id", pl.when("by_mfl").then(pl.lit("id")).otherwise(pl.lit("crosswalk")).alias("method"),
        pl.when("by_mfl").then(CONFIDENCE["id"]).otherwise(CONFIDENCE["crosswalk"]).alias("confidence"),
        pl.lit(None, pl.List(pl.String)).alias("candidates"), pl.lit(None, pl.String).alias("reason"),
        pl.col("family").alias("player_family"))
    bad = hits.filter(pl.col("player_id").is_not_null() & ~ok).select(
        "rid", pl.lit(None, pl.String).alias("player_id"), pl.lit(None, pl.String).alias("method"),
        pl.lit(0.0).alias("confidence"),
        pl.when(one).then(pl.concat_list("player_id")).otherwise("all").alias("candidates"),
        pl.when(~one).then(pl.lit("ids disagree: they point at different players"))
        .otherwise(pl.format("id points at a {} player but the row says {}", "family", "position")).alias("reason"),
        pl.lit(None, pl.String).alias("player_family"))
    decided = pl.concat([good, bad]) if bad.height else good
    unmatched = hits.filter(pl.col("player_id").is_null()).select("rid")
    rest = counted.filter(pl.col("n_ids") == 0).drop("n_ids")
    if unmatched.height:
        rest = pl.concat([rest, todo.join(unmatched, on="rid", how="semi")])
    return decided, rest


def _multi_id_hits(multi: pl.DataFrame, xwalk: Crosswalk) -> pl.DataFrame:
    """Rows carrying several ids: every id joined, one row per source row (``n`` players they point at)."""
    parts = [multi.filter(pl.col(col).is_not_null()).select("rid", pl.col(col).alias("id_value"))
             .join(ids, on="id_value", how="inner").select("rid", "player_id", "family",
                                                           pl.lit(col == "mfl_id").alias("by_mfl"))
             for col, ids in xwalk.ids_by_type.items()]
    per_row = pl.concat(parts).group_by("rid").agg(
        pl.col("player_id").n_unique().cast(pl.UInt32).alias("n"), pl.col("player_id").min(),
        pl.col("player_id").unique().sort().alias("all"), pl.col("by_mfl").any(), pl.col("family").first())
    return multi.select("rid", "row_family", "position").join(per_row, on="rid", how="left").select(
        "rid", "row_family", "position", "player_id", "family", "by_mfl", "n", "all")


def _name_candidates(todo: pl.DataFrame, xwalk: Crosswalk, aliases: pl.DataFrame) -> pl.LazyFrame:
    """(rid, player_id, via) pairs: same name key in an allowed family, and aliases inside their scope (lazy: the
    pass is one query plan, collected once)."""
    rows = todo.lazy().filter(pl.col("name_key") != "").select("rid", "name_key", "families")
    names = xwalk.names.lazy()
    in_family = pl.col("families").is_null() | pl.col("families").list.contains(pl.col("family"))
    by_name = rows.join(names, on="name_key", how="inner").filter(in_family).select(
        "rid", "player_id", "team", "birth_date", "suffix", "cand_gsis", pl.lit("name_position_team").alias("via"))
    scoped = pl.col("scope").is_null() | pl.col("families").is_null() | pl.col("families").list.contains(
        pl.col("scope"))
    target_ok = pl.col("target_family").is_null() | (pl.col("family") == pl.col("target_family"))
    # a declared target position (treat_as_position) replaces the row's family check: the sheet mislabelled him
    target_in_family = pl.when(pl.col("target_family").is_not_null()).then(True).otherwise(in_family)
    by_alias = (rows.join(aliases.lazy(), left_on="name_key", right_on="alias_key", how="inner").filter(scoped)
                .join(names, left_on="canonical_key", right_on="name_key", how="inner")
                .filter(target_ok & target_in_family)
                .select("rid", "player_id", "team", "birth_date", "suffix", "cand_gsis", pl.lit("alias").alias("via")))
    return pl.concat([by_name, by_alias]).unique(["rid", "player_id", "via"], maintain_order=True)


def _name_pass(todo: pl.DataFrame, xwalk: Crosswalk, aliases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    cands = _name_candidates(todo, xwalk, aliases).join(
        todo.lazy().select("rid", pl.col("team").alias("row_team"), pl.col("birth_date").alias("row_birth"),
                    pl.col("suffix").alias("row_suffix"), pl.col("gsis_id").alias("row_gsis"),
                    pl.col("families").is_null().alias("unknown_family")), on="rid", how="left")
    # a different birth date, or a GSIS id (the NFL's own person id) other than the row's, is a different person:
    # those candidates are rejected outright
    born_apart = ((pl.col("row_birth") != pl.col("birth_date")).fill_null(False)
                  | (pl.col("row_gsis") != pl.col("cand_gsis")).fill_null(False))
    cands = cands.with_columns(born_apart.alias("born_apart"))
    all_apart = cands.group_by("rid").agg(pl.col("born_apart").all().alias("all_apart"),
                                          pl.col("player_id").unique().sort().alias("rejected"))
    # strict order for rows with a known family: names first, aliases only when no name matched
    has_name = (pl.col("via").eq("name_position_team") & ~pl.col("born_apart")).any().over("rid")
    cands = cands.filter(~pl.col("born_apart") & (pl.col("unknown_family") | ~has_name
                                                 | (pl.col("via") == "name_position_team")))
    # narrow by team, then birth date, then a written suffix (Jr. vs his father), only where that leaves someone
    for row_col, col in (("row_team", "team"), ("row_birth", "birth_date"), ("row_suffix", "suffix")):
        match = (pl.col(row_col) == pl.col(col)).fill_null(False)
        keep = match | ~match.any().over("rid") | (pl.col("player_id").n_unique().over("rid") == 1)
        cands = cands.filter(keep)
    per_row = cands.group_by("rid").agg(
        pl.col("player_id").unique().sort().alias("candidates"), pl.col("via").first().alias("via"),
        pl.col("via").n_unique().alias("n_via"))
    one = pl.col("candidates").list.len() == 1
    decided = per_row.select(
        "rid", pl.when(one).then(pl.col("candidates").list.first()).alias("player_id"),
        pl.when(one).then("via").alias("method"),
        pl.when(one).then(pl.col("via").replace_strict(CONFIDENCE, default=0.0, return_dtype=pl.Float64))
        .otherwise(0.0).alias("confidence"),
        pl.when(one).then(pl.lit(None, pl.List(pl.String))).otherwise("candidates").alias("candidates"),
        pl.when(~one).then(pl.format("ambiguous: {} players share this name (and alias) in the allowed position "
                                     "families; team and birth date do not decide", pl.col("candidates").list.len()))
        .alias("reason"))
    apart = all_apart.filter("all_apart").select(
        "rid", pl.lit(None, pl.String).alias("player_id"), pl.lit(None, pl.String).alias("method"),
        pl.lit(0.0).alias("confidence"), pl.col("rejected").alias("candidates"),
        pl.lit("same name, different birth date or GSIS id: a different person").alias("reason"))
    decided = pl.concat([decided, apart]).collect()
    return _split(todo, decided)


def _other_family_pass(todo: pl.DataFrame, xwalk: Crosswalk,
                       aliases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A name spelled exactly like players of other families only: the row is mislabelled, not misspelled, so no
    close spelling in its own family is tried (QB Josh Allen listed as RB must not become a TE "Josh Allan")."""
    hits = todo.filter(pl.col("name_key") != "").select("rid", "name_key", "position").join(
        xwalk.names.select("name_key", "player_id", "family"), on="name_key", how="inner")
    decided = hits.group_by("rid").agg(
        pl.col("player_id").unique().sort().alias("candidates"), pl.col("family").unique().sort().str.join("/"),
        pl.col("position").first()).select(
        "rid", pl.lit(None, pl.String).alias("player_id"), pl.lit(None, pl.String).alias("method"),
        pl.lit(0.0).alias("confidence"), "candidates",
        pl.format("the name belongs only to {} players, the row says {}: a position mislabel for the analyst "
                  "(override)", "family", pl.col("position").fill_null("nothing")).alias("reason"))
    return _split(todo, decided)


def _fuzzy_pass(todo: pl.DataFrame, xwalk: Crosswalk, threshold: float) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Close spellings, blocked by position family and the name's first letter (a typo that changes the first
    letter is left to the alias table); a candidate on another team or born another day than the row says is
    not one. Only rows that every earlier pass left (a few per run)."""
    rows = todo.filter(pl.col("name_key") != "").select("rid", "name_key", "families", "team", "birth_date")
    if rows.height == 0:
        return pl.DataFrame(schema=_PASS), todo
    blocks = xwalk.fuzzy_blocks
    all_families = sorted({fam for fam, _ in blocks if fam is not None})
    out = []
    for rid, key, fams, team, born in rows.iter_rows():
        hits: dict[str, tuple[float, str | None]] = {}
        for fam in fams if fams is not None else all_families:
            keys, pids, teams, births = blocks.get((fam, key[0]), ((), (), (), ()))
            for _, score, j in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=threshold, limit=None):
                # a close spelling on another team or born another day is someone else
                contradicts = (team is not None and teams[j] is not None and teams[j] != team) or \
                    (born is not None and births[j] is not None and births[j] != born)
                if not contradicts and score > hits.get(pids[j], (0.0, None))[0]:
                    hits[pids[j]] = (score, teams[j])
        if len(hits) == 1:
            (pid, (score, _)), = hits.items()
            out.append((rid, pid, "fuzzy", round(score / 100 * 0.9, 4), None, f"close spelling (ratio {score:.1f})"))
        elif hits:
            out.append((rid, None, None, 0.0, sorted(hits),
                        f"ambiguous: {len(hits)} close spellings at ratio >= {threshold:g}"))
    decided = pl.DataFrame(out, schema=_PASS, orient="row")
    return _split(todo, decided)
