"""How complete a KTC market is: asset count, rank range and the ranks missing below its last asset.

A market's overall ranks run 1, 2, … over every asset (players and picks together), so an array that holds the
whole market has no gap below its last rank. The summary is computed at ingest over the market's whole array
(before players and picks are split) and stored in both snapshots' manifests (``params.markets``); the KTC
checks fail a snapshot whose market has gaps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ff_analytics.sources.ktc.page import MARKET_ARRAYS, MARKET_VALUES

PICK_POSITION = "RDP"
MAX_LISTED_GAPS = 12  # gap ranges named in the manifest; the count is always complete


def _rank(asset: dict, scope: str) -> int | None:
    values = asset.get(MARKET_VALUES[scope])
    rank = values.get("rank") if isinstance(values, dict) else None
    return rank if isinstance(rank, int) and not isinstance(rank, bool) else None


def gap_ranges(ranks: Sequence[int]) -> list[str]:
    """Missing ranks between 1 and max(ranks) as ranges: ``["1-293", "295-296", "298-299"]``."""
    present = sorted(set(ranks))
    out, expected = [], 1
    for rank in present:
        if rank > expected:
            out.append(str(expected) if rank - 1 == expected else f"{expected}-{rank - 1}")
        expected = rank + 1
    return out


def market_summary(scope: str, assets: Sequence[dict]) -> dict:
    """Counts and rank range of one market's array, with the gaps below its last rank."""
    ranks = [r for a in assets if (r := _rank(a, scope)) is not None and r >= 1]
    distinct = set(ranks)
    rank_max = max(ranks) if ranks else None
    gaps = gap_ranges(ranks)
    return {
        "array": MARKET_ARRAYS[scope],
        "assets": len(assets),
        "players": sum(a.get("position") != PICK_POSITION for a in assets),
        "picks": sum(a.get("position") == PICK_POSITION for a in assets),
        "rank_min": min(ranks) if ranks else None,
        "rank_max": rank_max,
        "missing_ranks": (rank_max - len(distinct)) if rank_max else 0,
        "gaps": gaps[:MAX_LISTED_GAPS],
        "duplicate_ranks": sorted(r for r, n in Counter(ranks).items() if n > 1)[:MAX_LISTED_GAPS],
        "unranked": len(assets) - len(ranks),
    }


def is_complete(summary: dict) -> bool:
    return not summary.get("missing_ranks") and not summary.get("duplicate_ranks") and not summary.get("unranked")
