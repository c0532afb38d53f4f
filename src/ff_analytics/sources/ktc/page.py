"""Find the asset arrays embedded in a keeptradecut.com dynasty-rankings page.

The real page carries two arrays in one inline script: ``var playersArray = [...]`` (the superflex market: the
top 500 assets by superflex value, the same array whatever ``?page=N`` asks for) and ``var oneQBPlayers = [...]``
(the 1QB market, same record shape). Each element is one asset (a player, or a rookie draft pick with position
``RDP``) carrying ``oneQBValues`` and ``superflexValues``. Each market is read from its own array: 1QB ranks read
from ``playersArray`` have gaps, because that array is cut by superflex value.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Sequence

from ff_analytics.errors import SourceError

SOURCE = "ktc"
MARKET_ARRAYS = {"dynasty_1qb": "oneQBPlayers", "dynasty_superflex": "playersArray"}
MARKET_VALUES = {"dynasty_1qb": "oneQBValues", "dynasty_superflex": "superflexValues"}
ID_FIELDS = ("playerName", "playerID", "position")


def _assignment(name: str) -> re.Pattern[str]:
    return re.compile(rf"\bvar\s+{re.escape(name)}\s*=\s*")


def extract_array(page: str, name: str, *, url: str, dataset: str | None = None,
                  required_fields: Sequence[str] = ID_FIELDS) -> list[dict] | None:
    """The objects of ``var <name> = [...]``; None if the page has no such variable, a SourceError if malformed."""
    where = {"source": SOURCE, "dataset": dataset, "url": url}
    assignment = _assignment(name).search(page)
    if assignment is None:
        return None
    form = f"var {name}"
    try:
        assets, _end = json.JSONDecoder().raw_decode(page, assignment.end())
    except ValueError as exc:
        raise SourceError(f"malformed JSON in {form}: {exc}", **where) from None
    if not isinstance(assets, list):
        raise SourceError(f"{form} is a {type(assets).__name__}, not an array", **where)
    for i, asset in enumerate(assets):
        if not isinstance(asset, dict):
            raise SourceError(f"{form}[{i}] is a {type(asset).__name__}, not an object", **where)
        missing = [f for f in required_fields if f not in asset]
        if missing:
            label = html_lib.unescape(str(asset.get("playerName", "?")))
            raise SourceError(f"{form}[{i}] ({label}) lacks field(s) {missing}", **where)
    return assets


def extract_assets(page: str, *, url: str, dataset: str | None = None) -> list[dict]:
    """``playersArray`` (every asset of the superflex market); a SourceError naming the URL if absent."""
    assets = extract_array(page, MARKET_ARRAYS["dynasty_superflex"], url=url, dataset=dataset,
                           required_fields=(*ID_FIELDS, "oneQBValues", "superflexValues"))
    if assets is None:
        raise SourceError('page has no player array ("var playersArray = [...]")', source=SOURCE, dataset=dataset,
                          url=url)
    return assets


def extract_markets(page: str, scopes: Sequence[str], *, url: str, dataset: str | None = None
                    ) -> dict[str, list[dict]]:
    """``{scope: assets}`` for the requested market scopes, each from its own array.

    ``playersArray`` must be there whatever the scope (its absence means this is not a rankings page); a page
    without ``oneQBPlayers`` cannot give a complete 1QB market, so asking for 1QB then is an error, not a silent
    fallback to the superflex-cut array. An empty array is an error too (the real site never sends one).
    """
    markets = {"dynasty_superflex": extract_assets(page, url=url, dataset=dataset)}
    if not markets["dynasty_superflex"]:
        raise SourceError("empty payload: the player array has no assets", source=SOURCE, dataset=dataset, url=url)
    if "dynasty_1qb" in scopes:
        one_qb = extract_array(page, MARKET_ARRAYS["dynasty_1qb"], url=url, dataset=dataset,
                               required_fields=(*ID_FIELDS, MARKET_VALUES["dynasty_1qb"]))
        if one_qb is None:
            raise SourceError("page has no oneQBPlayers array (field oneQBPlayers: the 1QB market); playersArray "
                              "alone is cut by superflex value, so a 1QB snapshot from it would miss assets",
                              source=SOURCE, dataset=dataset, url=url)
        if not one_qb:
            raise SourceError("empty payload: oneQBPlayers (the 1QB market) has no assets", source=SOURCE,
                              dataset=dataset, url=url)
        markets["dynasty_1qb"] = one_qb
    return {s: markets[s] for s in scopes}
