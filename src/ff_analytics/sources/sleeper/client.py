"""HTTP access to the Sleeper API: one paced, retrying client per run, JSON shape checks, and a per-run cache.

Sleeper needs no auth and asks callers to stay under 1,000 calls a minute; retries (429/5xx/timeouts, honouring
``Retry-After``) come from :class:`ff_analytics.sources.http.SourceClient`. The cache means the league record
fetched while walking ``previous_league_id`` is not fetched again for the ``league`` dataset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ff_analytics.errors import SourceError
from ff_analytics.settings import get_settings
from ff_analytics.sources.http import RateLimiter, RetryPolicy, SourceClient

SOURCE = "sleeper"
MAX_LEAGUE_HOPS = 30  # a dynasty league's history; more means a previous_league_id cycle or bad data


@dataclass(frozen=True)
class Fetched:
    """One decoded response and the URL it came from (errors and manifests name the URL)."""

    data: object
    url: str


class SleeperClient:
    """GETs against the Sleeper base URL; every answer is checked for the top-level JSON type it must have."""

    def __init__(self, base_url: str | None = None, *, retry: RetryPolicy | None = None,
                 on_call: Callable[[str, str], None] | None = None, limiter: RateLimiter | None = None) -> None:
        settings = get_settings()
        self.base_url = (base_url or settings.sleeper_base_url).rstrip("/")
        limiter = limiter or RateLimiter(max_calls=settings.sleeper_max_calls_per_minute, per_seconds=60.0)
        self._http = SourceClient(SOURCE, self.base_url, retry=retry, limiter=limiter)
        self._cache: dict[str, Fetched] = {}
        self._on_call = on_call
        self.calls = 0

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def get(self, path: str, *, dataset: str, expect: type, allow_empty: bool = False,
            null_as_empty: bool = False) -> Fetched:
        """GET ``path``; the body must be a JSON ``expect`` (list/dict), non-empty unless ``allow_empty``.

        ``null_as_empty``: the endpoint answers null for "nothing yet" (a bracket before the playoffs are set).
        """
        if path in self._cache:
            return self._cache[path]
        if self._on_call:
            self._on_call(dataset, path)
        data = self._http.get_json(path, dataset=dataset)
        self.calls += 1
        url = self.url(path)
        if data is None and null_as_empty:
            data = expect()
        if data is None:
            raise SourceError("empty payload: the API answered null (unknown id?)", source=SOURCE, dataset=dataset,
                              url=url)
        if not isinstance(data, expect):
            raise SourceError(f"malformed payload: expected a JSON {_json_name(expect)}, got a JSON "
                              f"{_json_name(type(data))}", source=SOURCE, dataset=dataset, url=url)
        if not data and not allow_empty:
            raise SourceError(f"empty payload: the API answered an empty {_json_name(expect)}", source=SOURCE,
                              dataset=dataset, url=url)
        fetched = Fetched(data, url)
        self._cache[path] = fetched
        return fetched

    # -- endpoints (paths as documented at docs.sleeper.com) ------------------------------------------------------
    def league(self, league_id: str, dataset: str = "league") -> Fetched:
        return self.get(f"/league/{league_id}", dataset=dataset, expect=dict)

    def users(self, league_id: str) -> Fetched:
        return self.get(f"/league/{league_id}/users", dataset="users", expect=list)

    def rosters(self, league_id: str) -> Fetched:
        return self.get(f"/league/{league_id}/rosters", dataset="rosters", expect=list)

    def transactions(self, league_id: str, week: int) -> Fetched:
        return self.get(f"/league/{league_id}/transactions/{week}", dataset="transactions", expect=list,
                        allow_empty=True)

    def traded_picks(self, league_id: str) -> Fetched:
        return self.get(f"/league/{league_id}/traded_picks", dataset="traded_picks", expect=list, allow_empty=True)

    def drafts(self, league_id: str, dataset: str = "drafts") -> Fetched:
        return self.get(f"/league/{league_id}/drafts", dataset=dataset, expect=list, allow_empty=True)

    def draft_picks(self, draft_id: str) -> Fetched:
        return self.get(f"/draft/{draft_id}/picks", dataset="draft_picks", expect=list, allow_empty=True)

    def matchups(self, league_id: str, week: int) -> Fetched:
        return self.get(f"/league/{league_id}/matchups/{week}", dataset="matchups", expect=list, allow_empty=True)

    def bracket(self, league_id: str, which: str) -> Fetched:
        """``which``: "winners" or "losers"."""
        return self.get(f"/league/{league_id}/{which}_bracket", dataset="brackets", expect=list, allow_empty=True,
                        null_as_empty=True)

    def draft_traded_picks(self, draft_id: str) -> Fetched:
        return self.get(f"/draft/{draft_id}/traded_picks", dataset="draft_traded_picks", expect=list,
                        allow_empty=True)

    def players(self) -> Fetched:
        return self.get("/players/nfl", dataset="players", expect=dict)

    def state(self, dataset: str = "state") -> Fetched:
        return self.get("/state/nfl", dataset=dataset, expect=dict)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SleeperClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _json_name(kind: type) -> str:
    return {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(kind, kind.__name__)
