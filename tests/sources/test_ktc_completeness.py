"""Market completeness and pick names: properties over any rank set / name, not just the recorded ones."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ff_analytics.sources.ktc.completeness import gap_ranges, is_complete, market_summary
from ff_analytics.sources.ktc.rows import parse_pick_name


def _expand(ranges: list[str]) -> set[int]:
    out: set[int] = set()
    for r in ranges:
        lo, _, hi = r.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


@given(st.sets(st.integers(min_value=1, max_value=600), min_size=1, max_size=200))
def test_gap_ranges_name_exactly_the_missing_ranks(ranks: set[int]) -> None:
    assert _expand(gap_ranges(sorted(ranks))) == set(range(1, max(ranks) + 1)) - ranks


@given(st.sets(st.integers(min_value=1, max_value=600), min_size=1, max_size=200))
def test_a_market_is_complete_exactly_when_its_ranks_run_one_to_n(ranks: set[int]) -> None:
    assets = [{"position": "WR", "oneQBValues": {"rank": r}} for r in sorted(ranks)]
    summary = market_summary("dynasty_1qb", assets)
    assert (summary["rank_min"], summary["rank_max"], summary["assets"]) == (min(ranks), max(ranks), len(ranks))
    assert summary["missing_ranks"] == max(ranks) - len(ranks)
    assert is_complete(summary) == (ranks == set(range(1, len(ranks) + 1)))


def test_a_repeated_rank_is_not_complete() -> None:
    assets = [{"position": "RB", "superflexValues": {"rank": r}} for r in (1, 2, 2, 3)]
    summary = market_summary("dynasty_superflex", assets)
    assert summary["duplicate_ranks"] == [2] and not is_complete(summary)


@given(st.integers(min_value=2000, max_value=2099), st.sampled_from(["Early", "Mid", "Late"]),
       st.integers(min_value=1, max_value=7))
def test_tier_names_parse(year: int, tier: str, rnd: int) -> None:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(rnd, "th")
    assert parse_pick_name(f"{year} {tier} {rnd}{suffix}") == {"draft_year": year, "pick_round": rnd,
                                                              "pick_tier": tier, "pick_number": None}


@given(st.text(alphabet=st.characters(blacklist_characters="0123456789"), max_size=30))
def test_names_without_a_year_never_get_zero(name: str) -> None:
    assert parse_pick_name(name) == {"draft_year": None, "pick_round": None, "pick_tier": None, "pick_number": None}


def test_slot_and_round_names_parse() -> None:
    assert parse_pick_name("2026 Pick 1.01") == {"draft_year": 2026, "pick_round": 1, "pick_tier": None,
                                                 "pick_number": 1}
    assert parse_pick_name("2027 2nd")["pick_round"] == 2
