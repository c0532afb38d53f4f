"""Adversarial names, each with the answer a careful analyst would give (a player id, or "unresolved")."""

from __future__ import annotations

import polars as pl
import pytest

from ff_analytics.identity.resolver import resolve

U = None  # unresolved
# (source, dataset, name, position, slot, team, ids, expected player_id, expected method)
CASES = [
    # two Josh Allens: position decides; a bench slot cannot, so the sheet row is left for the analyst
    ("sheets", "contracts_active", "Josh Allen", "QB", "QB", None, {}, "13589", "name_position_team"),
    ("sheets", "contracts_active", "Josh Allen", "DL", "DL", None, {}, "13604", "alias"),
    ("sheets", "contracts_active", "Josh Allen", "LB", "LB", None, {}, "13604", "alias"),
    ("sheets", "contracts_active", "Josh Allen", None, "BN", None, {}, U, None),
    ("sheets", "contracts_active", "Josh Allen", None, "IDP BN", None, {}, "13604", "alias"),
    ("sheets", "contracts_active", "Josh Hines-Allen", None, "IDP BN", None, {}, "13604", "name_position_team"),
    ("sheets", "contracts_active", "Josh Allen", "RB", "RB", None, {}, U, None),  # not TE "Josh Allan" either
    ("sleeper", "players", "Josh Allen", "QB", None, "BUF", {"sleeper_id": "4984"}, "13589", "crosswalk"),
    ("sleeper", "players", "Josh Allen", "DL", None, "JAX", {"sleeper_id": "5892"}, "13604", "crosswalk"),
    ("ktc", "players", "Josh Allen", "QB", None, "BUF", {"ktc_id": "590"}, "13589", "crosswalk"),
    ("ffanalytics", "projections_consensus", "Josh Allen", "QB", None, "BUF", {"mfl_id": "13589"}, "13589", "id"),
    ("nflverse", "weekly", "Josh Allen", "QB", None, "BUF", {"gsis_id": "00-0034857"}, "13589", "crosswalk"),
    # an id that points at a player of another family is a wrong id, not a match
    ("ktc", "players", "Josh Allen", "DL", None, "JAX", {"ktc_id": "590"}, U, None),
    # ids that disagree with each other
    ("sleeper", "players", "Josh Allen", "QB", None, "BUF", {"sleeper_id": "4984", "gsis_id": "00-0034796"}, U,
     None),
    # two Mike Williamses (both WR): a team decides, no team leaves it open
    ("sheets", "contracts_active", "Mike Williams", "WR", "WR", None, {}, U, None),
    ("ktc", "players", "Mike Williams", "WR", None, "PIT", {"ktc_id": "77777"}, "12650", "name_position_team"),
    # Lamar Jackson QB and CB
    ("sheets", "contracts_active", "Lamar Jackson", "QB", "QB", None, {}, "13593", "name_position_team"),
    ("sheets", "contracts_active", "Lamar Jackson", "DB", "DB", None, {}, "15001", "name_position_team"),
    ("sheets", "contracts_active", "Lamar Jackson", None, "IR", None, {}, U, None),
    # suffixes: dropped for the key, kept to tell a son from his father
    ("sheets", "contracts_active", "Marvin Harrison Jr.", "WR", "WR", None, {}, "16001", "name_position_team"),
    ("sheets", "contracts_active", "Marvin Harrison", "WR", "WR", None, {}, U, None),
    ("ktc", "players", "Marvin Harrison Jr.", "WR", None, "ARI", {"ktc_id": "99999"}, "16001", "name_position_team"),
    ("sheets", "contracts_active", "Kenneth Walker", "RB", "RB", None, {}, "14000", "name_position_team"),
    ("sheets", "contracts_active", "Kenneth Walker III", None, "BN", None, {}, "14000", "name_position_team"),
    # punctuation
    ("sheets", "contracts_active", "DAndre Swift", "RB", "RB", None, {}, "14100", "name_position_team"),
    ("sheets", "contracts_active", "D’Andre Swift", None, "TAXI", None, {}, "14100", "name_position_team"),
    ("sheets", "contracts_active", "JaMarr Chase", "WR", "WR", None, {}, "14200", "name_position_team"),
    ("sheets", "contracts_active", "Amon-Ra St Brown", "WR", "WR", None, {}, "14300", "name_position_team"),
    ("sheets", "contracts_active", "AmonRa St. Brown", None, "FLEX", None, {}, "14300", "name_position_team"),
    # typos from the real sheet: curated alias, or a close spelling inside the family
    ("sheets", "contracts_active", "DeAdnre Hokins", None, "BN", None, {}, "11000", "alias"),
    ("sheets", "contracts_active", "Jakobi Myers", None, "IR", None, {}, "14400", "alias"),
    ("sheets", "contracts_active", "Omarion Hamption", "RB", "RB", None, {}, "17000", "alias"),
    ("sheets", "contracts_active", "Jakobi Meyrs", None, "IR", None, {}, "14400", "fuzzy"),
    ("sheets", "contracts_active", "Omarion Hamton", "RB", "RB", None, {}, "17000", "fuzzy"),
    ("sheets", "contracts_active", "Josh Allan", "DL", "DL", None, {}, U, None),  # never QB Josh Allen
    ("sheets", "contracts_active", "Cam Heyward", "WR", "WR", None, {}, "10500", "alias"),  # declared mislabel
    # rookie-season marker
    ("sheets", "contracts_active", "Cam Ward (RS)", "QB", "QB", None, {}, "17001", "name_position_team"),
    ("sheets", "contracts_active", "Cam Ward(RS)", None, "TAXI", None, {}, "17001", "name_position_team"),
    # team defenses
    ("sheets", "contracts_active", "Philadelphia Eagles", "D/ST", "D/ST", None, {}, "DST-PHI", "name_position_team"),
    ("sheets", "contracts_active", "Detroit Lions", None, "IDP BN", None, {}, "DST-DET", "name_position_team"),
    ("sheets", "transactions", "Eagles", "D/ST", None, None, {}, "DST-PHI", "name_position_team"),
    ("sleeper", "players", None, "DEF", None, "PHI", {"sleeper_id": "PHI"}, "DST-PHI", "crosswalk"),
    # a father and his son: the birth date says which (the son's id is never given to the father)
    ("nflverse", "players", "Orlando Brown", "OT", None, "BAL", {"gsis_id": "00-0007751", "birth_date": "1970-04-12"},
     U, None),
    ("ktc", "players", "Orlando Brown Jr.", "OT", None, "CIN", {"ktc_id": "77001", "birth_date": "1996-05-02"},
     "16500", "name_position_team"),
    ("nflverse", "players", "Orlando Brown", "OT", None, "BAL", {"gsis_id": "00-0007751"}, U, None),  # GSIS ids differ
    # a close spelling on another team is someone else
    ("ktc", "players", "Jakobi Meyrs", "WR", None, "NYJ", {"ktc_id": "88888"}, U, None),
    ("ktc", "players", "Jakobi Meyrs", "WR", None, "LV", {"ktc_id": "88889"}, "14400", "fuzzy"),
    # nothing to go on
    ("sheets", "contracts_active", "Nobody Atall", "WR", "WR", None, {}, U, None),
    ("sleeper", "rosters", None, None, None, None, {"sleeper_id": "123456"}, U, None),
]


def _rows(cases: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame([{
        "source": src, "dataset": ds, "source_key": f"case{i}", "name": name, "position": pos, "slot": slot,
        "team": team, **ids} for i, (src, ds, name, pos, slot, team, ids, _, _) in enumerate(cases)])


@pytest.fixture(scope="module")
def resolved(xwalk, aliases) -> pl.DataFrame:
    return resolve(_rows(CASES), xwalk, aliases)


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{c[0]}:{c[2]}:{c[3] or c[4]}" for c in CASES])
def test_expected_answer(resolved: pl.DataFrame, i: int) -> None:
    *_, expected, method = CASES[i]
    row = resolved.filter(pl.col("source_key") == f"case{i}").row(0, named=True)
    assert (row["player_id"], row["method"]) == (expected, method), row
    if expected is None:
        assert row["status"] == "unresolved" and row["reason"], row
    else:
        assert row["status"] == "resolved" and row["confidence"] > 0, row


def test_unresolved_lists_candidates(resolved: pl.DataFrame) -> None:
    bench_allen = resolved.filter(pl.col("source_key") == "case3").row(0, named=True)
    assert bench_allen["candidates"] == ["13589", "13604"]
    assert "Josh Hines-Allen" in bench_allen["candidate_detail"] and "Josh Allen" in bench_allen["candidate_detail"]
    wrong_id = resolved.filter(pl.col("source_key") == "case12").row(0, named=True)
    assert "QB" in wrong_id["reason"] and wrong_id["candidates"] == ["13589"]


def test_josh_allens_resolve_apart_from_every_source(resolved: pl.DataFrame) -> None:
    qb = set(resolved.filter(pl.col("player_id") == "13589")["source"])
    dl = set(resolved.filter(pl.col("player_id") == "13604")["source"])
    assert qb >= {"sheets", "sleeper", "ktc", "ffanalytics", "nflverse"} and dl >= {"sheets", "sleeper"}
