"""Season arguments: parse ``2020-2024`` / ``2023,2024`` and check them against what nflverse can have.

The "current season" is nflreadpy's own (``get_current_season``, which reads today's date), so our check and the
loaders' checks agree; tests freeze that clock (``nflreadpy.utils_date.date``).
"""

from __future__ import annotations

from collections.abc import Iterable

from nflreadpy import utils_date

from ff_analytics.errors import ConfigError

SOURCE = "nflverse"


def current_season() -> int:
    return utils_date.get_current_season()


def parse_seasons(text: str) -> list[int]:
    """``"2020-2024"`` → 2020..2024; ``"2023,2024"`` → [2023, 2024]; mixes like ``"2018,2020-2022"`` work too."""
    seasons: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            if "-" in part:
                start, end = (int(x) for x in part.split("-", 1))
                if end < start:
                    raise ValueError
                seasons.extend(range(start, end + 1))
            else:
                seasons.append(int(part))
        except ValueError:
            raise ConfigError(f"invalid seasons {text!r}: use a range like 2020-2024 or a list like 2023,2024",
                              source=SOURCE) from None
    if not seasons:
        raise ConfigError(f"invalid seasons {text!r}: no season given", source=SOURCE)
    return sorted(set(seasons))


def check_seasons(seasons: Iterable[int], *, dataset: str, min_season: int) -> list[int]:
    """Sorted, de-duplicated seasons, each between the dataset's first season and the current one."""
    values = sorted(set(seasons))
    if not values:
        raise ConfigError("no seasons requested", source=SOURCE, dataset=dataset)
    latest = current_season()
    bad = [s for s in values if not isinstance(s, int) or isinstance(s, bool) or not min_season <= s <= latest]
    if bad:
        raise ConfigError(f"season(s) {bad} out of range: {dataset} exists for {min_season}-{latest}",
                          source=SOURCE, dataset=dataset)
    return values
