"""A small crosswalk of the names that trip resolvers up, in the real ``db_playerids`` columns."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ff_analytics.identity.crosswalk import Crosswalk, build_crosswalk
from ff_analytics.identity.rules import load_aliases

REPO = Path(__file__).resolve().parents[2]
PEOPLE = [  # mfl_id, name, position, team, birthdate, gsis_id, sleeper_id, ktc_id, fantasypros_id
    ("13589", "Josh Allen", "QB", "BUF", "1996-05-21", "00-0034857", "4984", "590", "17298"),
    ("13604", "Josh Hines-Allen", "DE", "JAX", "1997-07-13", "00-0035244", "5892", "1283", "19240"),
    ("12650", "Mike Williams", "WR", "PIT", "1994-10-04", "00-0033536", "4068", "201", "16424"),
    ("9001", "Mike Williams", "WR", None, "1987-05-18", "00-0027702", "1066", None, None),
    ("13593", "Lamar Jackson", "QB", "BAL", "1997-01-07", "00-0034796", "4881", "463", "17233"),
    ("15001", "Lamar Jackson", "CB", "NYJ", "1998-05-19", "00-0036251", "7010", None, None),
    ("16001", "Marvin Harrison Jr.", "WR", "ARI", "2002-08-11", "00-0039849", "11632", "1735", "23045"),
    ("2001", "Marvin Harrison", "WR", None, "1972-08-25", "00-0006799", "305", None, None),
    ("14000", "Kenneth Walker III", "RB", "SEA", "2000-10-20", "00-0037256", "8151", "1378", "21674"),
    ("14100", "D'Andre Swift", "RB", "CHI", "1999-01-14", "00-0036158", "6790", "874", "19781"),
    ("14200", "Ja'Marr Chase", "WR", "CIN", "2000-03-01", "00-0036900", "7564", "1000", "20834"),
    ("14300", "Amon-Ra St. Brown", "WR", "DET", "1999-10-24", "00-0036963", "7547", "1079", "20845"),
    ("11000", "DeAndre Hopkins", "WR", "KC", "1992-06-06", "00-0030564", "1426", "88", "9383"),
    ("14400", "Jakobi Meyers", "WR", "LV", "1996-11-09", "00-0035418", "5947", "300", "19097"),
    ("17000", "Omarion Hampton", "RB", "LAC", "2003-03-16", "00-0040680", "12507", "1880", "25000"),
    ("17001", "Cam Ward", "QB", "TEN", "2002-05-25", "00-0040600", "12522", "1870", "25001"),
    ("10500", "Cameron Heyward", "DT", "PIT", "1989-05-06", "00-0028087", "1117", None, None),
    ("14500", "Josh Allan", "TE", None, "1999-01-01", None, "9999", None, None),  # a rare spelling, other family
    ("16500", "Orlando Brown Jr.", "OT", "CIN", "1996-05-02", "00-0034781", "5012", None, None),
]


def playerids_frame(people: list[tuple] = PEOPLE) -> pl.DataFrame:
    cols = ["mfl_id", "name", "position", "team", "birthdate", "gsis_id", "sleeper_id", "ktc_id", "fantasypros_id"]
    return pl.DataFrame(people, schema=cols, orient="row").with_columns(db_season=pl.lit(2025))


def teams_frame() -> pl.DataFrame:
    return pl.DataFrame({"season": [2025, 2025, 2025], "team": ["PHI", "DET", "BUF"],
                         "full": ["Philadelphia Eagles", "Detroit Lions", "Buffalo Bills"],
                         "location": ["Philadelphia", "Detroit", "Buffalo"], "nickname": ["Eagles", "Lions", "Bills"]})


@pytest.fixture(scope="session")
def xwalk() -> Crosswalk:
    return build_crosswalk(playerids_frame(), teams_frame())


@pytest.fixture(scope="session")
def aliases() -> pl.DataFrame:
    """The league's real alias table (the Josh Allen alias is scoped to DL)."""
    return load_aliases(REPO / "config" / "league" / "dim_name_alias.csv")
