"""Find the player array embedded in a keeptradecut.com rankings page.

Two forms are seen in the wild: ``var playersArray = [...];`` inside a script, and a
``<script id="ktc-players" type="application/json">[...]</script>`` block. Each element is one asset (player, or a
rookie draft pick with position ``RDP``) carrying ``oneQBValues`` and ``superflexValues``.
"""

from __future__ import annotations

import html as html_lib
import json
import re

from ff_analytics.errors import SourceError

SOURCE = "ktc"
REQUIRED_FIELDS = ("playerName", "playerID", "position", "oneQBValues", "superflexValues")

_JSON_BLOCK = re.compile(r"<script\b[^>]*\bid\s*=\s*[\"']ktc-players[\"'][^>]*>(?P<body>.*?)</script\s*>",
                         re.IGNORECASE | re.DOTALL)
_VAR_ASSIGNMENT = re.compile(r"\bvar\s+playersArray\s*=\s*")


def extract_assets(page: str, *, url: str, dataset: str | None = None) -> list[dict]:
    """The page's asset objects; a SourceError naming the URL if the array is absent or malformed."""
    where = {"source": SOURCE, "dataset": dataset, "url": url}
    block = _JSON_BLOCK.search(page)
    if block is not None:
        text, form = block.group("body").strip(), 'the <script id="ktc-players"> block'
        try:
            assets = json.loads(text)
        except ValueError as exc:
            raise SourceError(f"malformed JSON in {form}: {exc}", **where) from None
    else:
        assignment = _VAR_ASSIGNMENT.search(page)
        if assignment is None:
            raise SourceError('page has no player array (neither "var playersArray = [...]" nor a '
                              '<script id="ktc-players"> block)', **where)
        form = "var playersArray"
        try:
            assets, _end = json.JSONDecoder().raw_decode(page, assignment.end())
        except ValueError as exc:
            raise SourceError(f"malformed JSON in {form}: {exc}", **where) from None
    if not isinstance(assets, list):
        raise SourceError(f"{form} is a {type(assets).__name__}, not an array", **where)
    for i, asset in enumerate(assets):
        if not isinstance(asset, dict):
            raise SourceError(f"{form}[{i}] is a {type(asset).__name__}, not an object", **where)
        missing = [f for f in REQUIRED_FIELDS if f not in asset]
        if missing:
            name = html_lib.unescape(str(asset.get("playerName", "?")))
            raise SourceError(f"{form}[{i}] ({name}) lacks field(s) {missing}", **where)
    return assets
