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

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import polars as pl
from rapidfuzz import fuzz, process

from ff_analytics.identity.crosswalk import ID_COLUMNS, Crosswalk
from ff_analytics.identity.normalize import (
    FAMILY_OF,
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
         "candidates": pl.List(pl.String), "reason": pl.String,
         "player_family": pl.String}  # what each pass decides, with the player's family (each pass has it at hand)
_BY_ID = {"rid": pl.UInt32, "player_id": pl.String, "method": pl.String, "confidence": pl.Float64,
          "player_family": pl.String}  # the rows the id pass resolves (nearly all): no candidates, no reason
_NO_PASS, _NO_BY_ID = pl.DataFrame(schema=_PASS), pl.DataFrame(schema=_BY_ID)
# the id's player is of another position family than the row's (unknown families never clash)
_CLASH = (pl.col("row_family") != pl.col("family")).fill_null(False)
# the candidate player's family is one the row allows (no families known: any)
_IN_FAMILY = pl.col("families").is_null() | pl.col("families").list.contains(pl.col("family"))


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

    The id pass runs on every row with one join; names are normalised only for the rows it leaves (a few per
    cent), so the name passes cost little however many rows there are. A row's decision depends on that row
    alone, so the rows without any id (which the id pass cannot decide) go through the name passes on a second
    thread while the id pass joins: the output is the same as taking the passes one after another.
    """
    base = conform_rows(rows).with_row_index("rid")
    overridden, todo = _override_pass(base, overrides, xwalk)
    no_id = pl.all_horizontal(pl.col(c).is_null() for c in ID_COLUMNS)
    # the id pass is one big join, the name passes many small steps: they overlap well on two cores
    with ThreadPoolExecutor(max_workers=1) as pool:
        named = pool.submit(lambda: _by_name(todo.lazy().filter(no_id), xwalk, aliases, fuzzy_threshold))
        base = _with_families(base)
        by_id, decided, late = _id_pass(_split(base, overridden)[1], xwalk)
        decisions = [named.result()]
    if late.height:  # rows whose ids the crosswalk does not know (or ids that clash): their names decide
        decisions.append(_by_name(late.lazy(), xwalk, aliases, fuzzy_threshold))
    if overridden.height or decided.height:
        decisions.append(_with_candidate_detail(pl.concat([overridden, decided]), xwalk))
    return _finish(base, _in_row_order(pl.concat([by_id, *decisions], how="diagonal"), base))


def _by_name(todo: pl.LazyFrame, xwalk: Crosswalk, aliases: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Passes 3 to 6 and the rows none of them decides, for rows the id pass left (each row's decision depends
    on that row alone, so the rows may be taken in batches), their candidates labelled."""
    todo = todo.select(  # only what the name passes read: each pass's split then moves few columns
        "rid", "position", "team", "birth_date", "gsis_id", name_key(pl.col("name")).alias("name_key"),
        suffix(pl.col("name")).alias("suffix"), allowed_families(pl.col("position"), pl.col("slot"))
        .alias("families")).collect(engine="in-memory")
    by_name, todo = _name_pass(todo, xwalk, aliases)
    decided = pl.concat([by_name, _fuzzy_pass(todo, xwalk, threshold)], how="vertical_relaxed").cast(_PASS)
    return _with_candidate_detail(decided, xwalk)


def _with_families(base: pl.DataFrame) -> pl.DataFrame:
    """``row_family`` (the position's family) and ``position_families`` (else what the slot allows, as text). Most
    positions are written as :data:`FAMILY_OF` spells them and map directly; any other spelling ("wr", " QB") is
    normalised once per distinct spelling."""
    base = base.with_columns(pl.col("position").replace_strict(FAMILY_OF, default=None, return_dtype=pl.String)
                             .alias("row_family"))
    odd = base.filter(pl.col("row_family").is_null() & pl.col("position").is_not_null())["position"]
    if odd.len():
        base = base.with_columns(pl.coalesce("row_family", pl.col("position").replace_strict(
            family_of_values(odd), default=None, return_dtype=pl.String)))
    if base["slot"].null_count() == base.height:  # only a commissioner sheet has roster slots
        return base.with_columns(pl.col("row_family").alias("position_families"))
    by_slot = pl.col("slot").replace_strict(slot_families_of_values(base["slot"]), default=None,
                                            return_dtype=pl.String)
    return base.with_columns(pl.coalesce("row_family", by_slot).alias("position_families"))


def _in_row_order(decision: pl.DataFrame, base: pl.DataFrame) -> pl.DataFrame:
    """The decisions in row order, exactly one per row of ``base`` (else a bug: raised). ``rid`` is the dense row
    index, so each decision's place is known: one scatter of positions and one gather, cheaper than sorting."""
    n = decision.height
    if n == base.height:
        place = pl.zeros(n, pl.UInt32, eager=True).scatter(decision["rid"],
                                                           pl.int_range(n, dtype=pl.UInt32, eager=True))
        decision = decision.rechunk()[place]  # one chunk: a gather across the passes' chunks costs several times more
        if decision["rid"].equals(base["rid"]):
            return decision
    raise AssertionError("identity resolver: every row must get exactly one decision")


def _with_candidate_detail(decision: pl.DataFrame, xwalk: Crosswalk) -> pl.DataFrame:
    """The decisions with each listed candidate labelled for the analyst (``candidate_detail``): a few rows list
    a few players, so only those players are looked up and the labels are put together in Python."""
    listed = decision["candidates"].to_list()
    wanted = sorted({pid for cands in listed if cands for pid in cands})
    people = xwalk.players.filter(pl.col("player_id").is_in(wanted)).select("player_id", "player_name", "position",
                                                                            "team")
    label = {pid: f"{pid} ({name} {pos or '?'} {team or '?'})" for pid, name, pos, team in people.iter_rows()
             if name is not None}
    detail = ["; ".join(sorted(label[pid] for pid in cands if pid in label)) if cands else None for cands in listed]
    return decision.with_columns(pl.Series("candidate_detail", detail, dtype=pl.String))


def _finish(base: pl.DataFrame, decision: pl.DataFrame) -> pl.DataFrame:
    """The output table: the rows beside their decisions (both in row order)."""
    return base.hstack(decision.drop("rid")).select(
        "source", "dataset", "source_key", pl.col("name").alias("source_name"),
        pl.coalesce("position", "slot").alias("source_position"), pl.col("team").alias("source_team"),
        "position_families", "rostered", "row_count", "player_id", "player_family",
        pl.when(pl.col("player_id").is_not_null()).then(pl.lit("resolved")).otherwise(pl.lit("unresolved"))
        .alias("status"), "method", "confidence", "candidates", "candidate_detail", "reason",
    ).cast(OUTPUT_SCHEMA)


def _split(todo: pl.DataFrame, decided: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The decided rows, and the rows still to do (those whose ``rid`` was not decided)."""
    if decided.height == 0:
        return decided, todo
    return decided, todo.filter(~pl.col("rid").is_in(decided["rid"].implode()))


def _override_pass(todo: pl.DataFrame, overrides: pl.DataFrame | None,
                   xwalk: Crosswalk) -> tuple[pl.DataFrame, pl.DataFrame]:
    if overrides is None or overrides.height == 0:
        return _NO_PASS, todo
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
        pl.lit(None, pl.List(pl.String)).alias("candidates"), ("override: " + pl.col("reason")).alias("reason"),
    ).join(xwalk.players.select("player_id", pl.col("family").alias("player_family")), on="player_id", how="left")
    return _split(todo, decided)


def _id_keys(cols: list[str]) -> list[pl.Expr]:
    """How many ids the row carries, and its first one as (``id_code``, ``id_value``): the join key of a single-id
    row (a one-byte type code is far cheaper to build per row than the type's name)."""
    present = [pl.col(c).is_not_null() for c in cols]
    return [pl.sum_horizontal(present).alias("n_ids"),
            pl.coalesce(pl.when(p).then(pl.lit(ID_COLUMNS.index(c), pl.UInt8)) for c, p in zip(cols, present,
                                                                                              strict=True))
            .alias("id_code"), pl.coalesce(cols).alias("id_value")]


def _id_pass(todo: pl.DataFrame, xwalk: Crosswalk) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Rows with one id (nearly all): one join of every row's id to the crosswalk's id table, as plain as a join
    gets. Rows with several ids: every id joined, and ids that point at different players leave the row
    unresolved. Returns the rows resolved (:data:`_BY_ID`), the rows left unresolved with the players listed, and
    the rows with ids still to do (the rows without any id are the caller's)."""
    cols = [c for c in ID_COLUMNS if todo[c].null_count() < todo.height]  # a source fills one or two id columns
    if not cols:
        return _NO_BY_ID, _NO_PASS, todo.clear()
    keyed = todo.select("rid", "row_family", *_id_keys(cols))
    # joined on the value alone (one string key hashes faster than two), then only the row's own id type is kept
    single = keyed.join(xwalk.ids_long.select("id_value", "id_code", "player_id", "family"), on="id_value",
                        how="inner", suffix="_xwalk").filter(
        (pl.col("n_ids") == 1) & (pl.col("id_code") == pl.col("id_code_xwalk"))).select(
        "rid", "row_family", "player_id", "family", (pl.col("id_code") == 0).alias("by_mfl"), _CLASH.alias("clash"))
    resolved, odd = single, []  # odd: rows the plain join does not settle (a few, if any)
    if single["clash"].any():  # an id of a player of another family
        resolved = single.filter(~pl.col("clash"))
        odd.append(single.filter("clash").select("rid", "row_family", "player_id", "family", "by_mfl",
                                                 pl.lit(1, pl.UInt32).alias("n"),
                                                 pl.lit(None, pl.List(pl.String)).alias("all")))
    if keyed["n_ids"].max() > 1:
        odd.append(_multi_id_hits(todo.filter(keyed["n_ids"] > 1), xwalk))
    bad = _NO_PASS
    if odd:
        resolved, bad = _settle_odd(pl.concat(odd, how="vertical_relaxed"),
                                    resolved.select("rid", "player_id", "by_mfl", "family"), todo)
    resolved = resolved.select(
        "rid", "player_id", pl.when("by_mfl").then(pl.lit("id")).otherwise(pl.lit("crosswalk")).alias("method"),
        pl.when("by_mfl").then(CONFIDENCE["id"]).otherwise(CONFIDENCE["crosswalk"]).alias("confidence"),
        pl.col("family").alias("player_family"))
    with_id = keyed["n_ids"] > 0
    if resolved.height + bad.height == with_id.sum():  # the usual case: every row with an id was decided
        return resolved, bad, todo.clear()
    decided = pl.concat([resolved.select("rid"), bad.select("rid")])
    return resolved, bad, todo.filter(with_id & ~pl.col("rid").is_in(decided["rid"].implode()))


def _settle_odd(hits: pl.DataFrame, resolved: pl.DataFrame,
                todo: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Clashing and multi-id rows (``n`` players their ids point at, ``all`` of them): one player of the row's
    family resolves it; else it stays unresolved with the players listed (no player at all: left to the names)."""
    one = pl.col("n") == 1
    ok = pl.col("player_id").is_not_null() & one & ~_CLASH
    resolved = pl.concat([resolved, hits.filter(ok).select("rid", "player_id", "by_mfl", "family")])
    bad = hits.filter(pl.col("player_id").is_not_null() & ~ok).join(
        todo.select("rid", "position"), on="rid", how="left").select(
        "rid", pl.lit(None, pl.String).alias("player_id"), pl.lit(None, pl.String).alias("method"),
        pl.lit(0.0).alias("confidence"),
        pl.when(one).then(pl.concat_list("player_id")).otherwise("all").alias("candidates"),
        pl.when(~one).then(pl.lit("ids disagree: they point at different players"))
        .otherwise(pl.format("id points at a {} player but the row says {}", "family", "position"))
        .alias("reason"), pl.lit(None, pl.String).alias("player_family"))
    return resolved, bad


def _multi_id_hits(multi: pl.DataFrame, xwalk: Crosswalk) -> pl.DataFrame:
    """Rows carrying several ids: every id joined, one row per source row (``n`` players they point at)."""
    parts = [multi.filter(pl.col(col).is_not_null()).select("rid", pl.col(col).alias("id_value"))
             .join(ids, on="id_value", how="inner").select("rid", "player_id", "family",
                                                           pl.lit(col == "mfl_id").alias("by_mfl"))
             for col, ids in xwalk.ids_by_type.items()]
    per_row = pl.concat(parts).group_by("rid").agg(
        pl.col("player_id").n_unique().cast(pl.UInt32).alias("n"), pl.col("player_id").min(),
        pl.col("player_id").unique().sort().alias("all"), pl.col("by_mfl").any(), pl.col("family").first())
    return multi.select("rid", "row_family").join(per_row, on="rid", how="left").select(
        "rid", "row_family", "player_id", "family", "by_mfl", "n", "all")


_CANDIDATE = ("rid", "player_id", "family", "team", "birth_date", "suffix", "cand_gsis", "row_team", "row_birth",
              "row_suffix", "row_gsis", "unknown_family")


def _name_pass(todo: pl.DataFrame, xwalk: Crosswalk, aliases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Passes 3 to 5 as one query (collected once, in memory): the name and alias candidates decide the rows
    they find; a row none is found for but whose name belongs to players of other families is a mislabel."""
    rows = todo.lazy().filter(pl.col("name_key") != "").select(
        "rid", "name_key", "families", "position", pl.col("team").alias("row_team"),
        pl.col("birth_date").alias("row_birth"), pl.col("suffix").alias("row_suffix"),
        pl.col("gsis_id").alias("row_gsis"), pl.col("families").is_null().alias("unknown_family"))
    named = rows.join(xwalk.names.lazy(), on="name_key", how="inner")  # every player of that name, any family
    cands = _name_candidates(rows, named, xwalk, aliases)
    decided = pl.concat([_name_decisions(cands), _other_family(named.join(cands, on="rid", how="anti"))])
    return _split(todo, decided.collect(engine="in-memory"))




def _name_candidates(rows: pl.LazyFrame, named: pl.LazyFrame, xwalk: Crosswalk,
                     aliases: pl.DataFrame) -> pl.LazyFrame:
    """(rid, player_id, via) pairs with the player's and the row's team, birth date, suffix and GSIS id: same name
    key in an allowed family, then aliases inside their scope (a player may come both ways)."""
    by_name = named.filter(_IN_FAMILY).select(*_CANDIDATE, pl.lit("name_position_team").alias("via"))
    scoped = pl.col("scope").is_null() | pl.col("families").is_null() | pl.col("families").list.contains(
        pl.col("scope"))
    target_ok = pl.col("target_family").is_null() | (pl.col("family") == pl.col("target_family"))
    # a declared target position (treat_as_position) replaces the row's family check: the sheet mislabelled him
    target_in_family = pl.when(pl.col("target_family").is_not_null()).then(True).otherwise(_IN_FAMILY)
    by_alias = (rows.join(aliases.lazy(), left_on="name_key", right_on="alias_key", how="inner").filter(scoped)
                .join(xwalk.names.lazy(), left_on="canonical_key", right_on="name_key", how="inner")
                .filter(target_ok & target_in_family)
                .select(*_CANDIDATE, pl.lit("alias").alias("via")))
    return pl.concat([by_name, by_alias])


def _fit() -> pl.Expr:
    """How well a candidate fits the row, as one rank: 0 if born apart (another birth date or GSIS id: a different
    person), else above every such candidate and ordered by name before alias (for a row of a known family), then
    the same team, then the same birth date, then the same written suffix (Jr. vs his father). Narrowing by each of
    these in turn, only where it leaves someone, keeps exactly the candidates of the row's highest rank (a
    candidate's attributes are the player's, the same on all its rows), so one window does it."""
    born_apart = ((pl.col("row_birth") != pl.col("birth_date")).fill_null(False)
                  | (pl.col("row_gsis") != pl.col("cand_gsis")).fill_null(False))
    by_name = pl.col("unknown_family") | (pl.col("via") == "name_position_team")
    matches = [by_name] + [(pl.col(row_col) == pl.col(col)).fill_null(False) for row_col, col in
                           (("row_team", "team"), ("row_birth", "birth_date"), ("row_suffix", "suffix"))]
    return pl.when(born_apart).then(pl.lit(0, pl.UInt8)).otherwise(
        pl.sum_horizontal(pl.lit(16, pl.UInt8), *(m.cast(pl.UInt8) * (8 >> i) for i, m in enumerate(matches))))


def _name_decisions(cands: pl.LazyFrame) -> pl.LazyFrame:
    """The best-fitting candidates of each row: one player: resolved; several: ambiguous; all born apart: rejected,
    all listed. Lists are built by sorting before grouping (a per-group unique/sort is far slower)."""
    best = (cands.with_columns(_fit().alias("fit")).filter(pl.col("fit") == pl.col("fit").max().over("rid"))
            .unique(["rid", "player_id"], keep="first", maintain_order=True))  # the first via: name before alias
    per_row = best.sort("player_id").group_by("rid").agg(
        pl.col("player_id").alias("candidates"), pl.col("via").first(), pl.col("family").first(),
        (pl.col("fit").first() == 0).alias("apart"))
    n = pl.col("candidates").list.len()
    one = (n == 1) & ~pl.col("apart")
    return per_row.select(
        "rid", pl.when(one).then(pl.col("candidates").list.first()).alias("player_id"),
        pl.when(one).then("via").alias("method"),
        pl.when(one).then(pl.col("via").replace_strict(CONFIDENCE, default=0.0, return_dtype=pl.Float64))
        .otherwise(0.0).alias("confidence"),
        pl.when(~one).then("candidates").alias("candidates"),
        pl.when(pl.col("apart")).then(pl.lit("same name, different birth date or GSIS id: a different person"))
        .when(~one).then(pl.format("ambiguous: {} players share this name (and alias) in the allowed position "
                                   "families; team and birth date do not decide", n))
        .alias("reason"), pl.when(one).then("family").alias("player_family"))


def _other_family(named: pl.LazyFrame) -> pl.LazyFrame:
    """A name spelled exactly like players of other families only (the rows no name or alias candidate was found
    for): the row is mislabelled, not misspelled, so no close spelling in its own family is tried (QB Josh Allen
    listed as RB must not become a TE "Josh Allan")."""
    return named.group_by("rid").agg(
        pl.col("player_id").unique().sort().alias("candidates"), pl.col("family").unique().sort().str.join("/"),
        pl.col("position").first()).select(
        "rid", pl.lit(None, pl.String).alias("player_id"), pl.lit(None, pl.String).alias("method"),
        pl.lit(0.0).alias("confidence"), "candidates",
        pl.format("the name belongs only to {} players, the row says {}: a position mislabel for the analyst "
                  "(override)", "family", pl.col("position").fill_null("nothing")).alias("reason"),
        pl.lit(None, pl.String).alias("player_family"))


def _fuzzy_pass(todo: pl.DataFrame, xwalk: Crosswalk, threshold: float) -> pl.DataFrame:
    """Close spellings, blocked by position family and the name's first letter (a typo that changes the first
    letter is left to the alias table); a candidate on another team or born another day than the row says is
    not one. Only rows that every earlier pass left (a few per run), each block's rows scored against it in one
    call; the rows it does not decide either are the unresolved rest, with why (every row gets its decision)."""
    rows = todo.select("rid", "name_key", "families", "team", "birth_date").rows()
    blocks = xwalk.fuzzy_blocks
    all_families = sorted({fam for fam, _ in blocks if fam is not None})
    queries: dict[tuple[str, str], list[int]] = defaultdict(list)  # block -> the rows it is searched for
    for i, (_, key, fams, _, _) in enumerate(rows):
        for fam in (fams if fams is not None else all_families) if key else ():
            queries[(fam, key[0])].append(i)
    hits: list[dict[str, tuple[float, str]]] = [{} for _ in rows]  # per row: player -> (best score, family)
    for (fam, initial), found in queries.items():
        keys, pids, teams, births = blocks.get((fam, initial), ((), (), (), ()))
        if not keys:
            continue
        scores = process.cdist([rows[i][1] for i in found], keys, scorer=fuzz.ratio, score_cutoff=threshold,
                               dtype="float64")
        at = (scores >= threshold).nonzero()
        for q, j, score in zip(*(a.tolist() for a in at), scores[at].tolist(), strict=True):
            _, _, _, team, born = rows[found[q]]
            # a close spelling on another team or born another day is someone else
            contradicts = (team is not None and teams[j] is not None and teams[j] != team) or \
                (born is not None and births[j] is not None and births[j] != born)
            best = hits[found[q]]
            if not contradicts and score > best.get(pids[j], (0.0, fam))[0]:
                best[pids[j]] = (score, fam)
    out = []
    for (rid, key, *_), found in zip(rows, hits, strict=True):
        if len(found) == 1:
            (pid, (score, fam)), = found.items()
            out.append((rid, pid, "fuzzy", round(score / 100 * 0.9, 4), None, f"close spelling (ratio {score:.1f})",
                        fam))
        elif found:
            out.append((rid, None, None, 0.0, sorted(found),
                        f"ambiguous: {len(found)} close spellings at ratio >= {threshold:g}", None))
        else:
            out.append((rid, None, None, 0.0, None, "no candidate: no id, name, alias or close spelling in the row's "
                        "position family" if key else "no name to match and no id the crosswalk knows", None))
    return pl.DataFrame(out, schema=_PASS, orient="row")
