"""`ingest_sleeper`: fetch the Sleeper league datasets, validate all of them, then write one snapshot each.

Order matters for "loses nothing": every requested dataset is fetched and checked (fields present, types right,
primary keys unique, non-empty where it must be) before the first ``store.write``. Any failure raises a
SourceError naming the dataset and URL, and no snapshot is written. Past seasons are reached by walking the
league's ``previous_league_id`` chain. The players dump (~5 MB upstream) is fetched at most once a day.
Matchups are fetched for the weeks played so far (``weeks.played_weeks``: the league's settings and
``state/nfl``), brackets once the playoffs are seeded; every path is requested at most once per run (the client
caches), paced under Sleeper's 1,000 calls a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.platform_config import platform_config
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.paths import parse_dt, partition_dir
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.base_url import samples_default, source_base_url
from ff_analytics.sources.datasets import select_datasets
from ff_analytics.sources.http import RateLimiter, RetryPolicy
from ff_analytics.sources.sleeper import parsers as p
from ff_analytics.sources.sleeper.client import MAX_LEAGUE_HOPS, SOURCE, SleeperClient
from ff_analytics.sources.sleeper.weeks import played_weeks, playoffs_seeded

LOADER = "ff_analytics.sources.sleeper.connector"
SOURCE_VERSION = "sleeper-api-v1"
TRANSACTION_WEEKS = tuple(range(1, 19))
LEAGUE_SCOPED = frozenset({"league", "users", "rosters", "transactions", "traded_picks", "drafts", "draft_picks",
                           "matchups", "brackets", "draft_traded_picks"})
BRACKETS = ("winners", "losers")

ProgressHook = Callable[[str, str, str], None]  # (event: "call" | "fetched" | "written", dataset, detail)


@dataclass
class Prepared:
    """A dataset fetched and validated, ready to write."""

    dataset: str
    frame: pl.DataFrame
    upstream_url: str
    params: dict[str, Any] = field(default_factory=dict)


def ingest_sleeper(
    datasets: Sequence[str] | str | None = None,
    *,
    league_id: str | None = None,
    seasons: Sequence[int] | str | None = None,
    store: SnapshotStore | None = None,
    samples: bool = False,
    run_id: str | None = None,
    dt: str | date | None = None,
    force_players: bool = False,
    base_url: str | None = None,
    retry: RetryPolicy | None = None,
    on_progress: ProgressHook | None = None,
    on_result: Callable[[WriteResult], None] | None = None,
    limiter: RateLimiter | None = None,
) -> list[WriteResult]:
    """Fetch, validate and snapshot Sleeper datasets (default: all in config/platform.yaml).

    ``seasons`` (e.g. ``[2023, 2024]`` or ``"2020-2024"``) walks previous_league_id back from ``league_id``
    (default: the FFA_SLEEPER_LEAGUE_ID setting); without it only the given league's season is loaded.
    ``samples=True`` writes under ``_samples/`` and, unless ``base_url`` is given, reads the repo's recorded
    responses (their league and every recorded season by default). ``base_url`` overrides FFA_SLEEPER_BASE_URL.
    ``limiter`` replaces the default pacing (FFA_SLEEPER_MAX_CALLS_PER_MINUTE calls a minute).
    """
    names = resolve_datasets(datasets)
    if samples and not base_url:
        league_id = league_id or samples_default(SOURCE, "league_id")
        seasons = samples_default(SOURCE, "seasons") if seasons is None else seasons
    wanted = parse_seasons(seasons)
    store = store or SnapshotStore()
    day = parse_dt(dt) if dt is not None else datetime.now(UTC).date()
    root_league = league_id or get_settings().sleeper_league_id
    if not root_league and LEAGUE_SCOPED & set(names):
        raise ConfigError("no Sleeper league id (set FFA_SLEEPER_LEAGUE_ID or pass --league-id)", source=SOURCE)
    hook = on_progress or (lambda *_: None)

    prepared: dict[str, Prepared] = {}
    kept: dict[str, WriteResult] = {}
    with source_base_url(SOURCE, base_url, samples, get_settings().sleeper_base_url) as url, \
            SleeperClient(url, retry=retry, limiter=limiter,
                          on_call=lambda ds, path: hook("call", ds, path)) as api:
        chain = league_chain(api, root_league, wanted) if LEAGUE_SCOPED & set(names) else []
        for name in names:
            if name == "players" and not force_players:
                existing = _players_fetched_on(store, day, samples)
                if existing is not None:
                    kept[name] = existing
                    hook("fetched", name, "already fetched today")
                    continue
            prepared[name] = PREPARERS[name](api, chain, root_league)
            hook("fetched", name, f"{prepared[name].frame.height} rows")

    results = []
    for name in names:
        if name in kept:
            result = kept[name]
        else:
            item = prepared[name]
            result = store.write(SOURCE, name, item.frame, dt=day, params=item.params, upstream_url=item.upstream_url,
                                 source_version=SOURCE_VERSION, loader=LOADER, samples=samples, run_id=run_id)
        hook("written", name, result.status)
        if on_result:
            on_result(result)
        results.append(result)
    return results




# -- arguments ---------------------------------------------------------------------------------------------------
def resolve_datasets(datasets: Sequence[str] | str | None) -> list[str]:
    """Requested names (default: every Sleeper dataset in config/platform.yaml that the connector can load)."""
    return select_datasets(SOURCE, datasets, [d for d in platform_config().sources[SOURCE].datasets if d in PREPARERS])


def parse_seasons(seasons: Sequence[int] | str | None) -> list[int] | None:
    """``"2020-2024"``, ``"2023,2025"``, ``[2023, 2024]`` or None (the league's own season)."""
    if seasons is None:
        return None
    if isinstance(seasons, str):
        out: list[int] = []
        for part in (s.strip() for s in seasons.split(",") if s.strip()):
            lo, sep, hi = part.partition("-")
            if not (lo.strip().isdigit() and (not sep or hi.strip().isdigit())):
                raise ConfigError(f"invalid seasons {seasons!r}: use 2020-2024 or 2023,2025", source=SOURCE)
            start, end = int(lo), int(hi) if sep else int(lo)
            if end < start:
                raise ConfigError(f"invalid season range {part!r}: end before start", source=SOURCE)
            out.extend(range(start, end + 1))
        seasons = out
    result = sorted({int(s) for s in seasons})
    if not result or any(s < 2017 or s > 2100 for s in result):  # Sleeper launched fantasy football in 2017
        raise ConfigError(f"invalid seasons {seasons!r}: Sleeper leagues exist from 2017", source=SOURCE)
    return result


# -- the league chain ----------------------------------------------------------------------------------------------
def league_chain(api: SleeperClient, league_id: str, seasons: list[int] | None) -> list[p.LeagueSeason]:
    """The leagues to load: the given one, or the requested seasons found by walking previous_league_id."""
    found: list[p.LeagueSeason] = []
    visited: set[str] = set()
    current: str | None = league_id
    while current and len(visited) < MAX_LEAGUE_HOPS:
        if current in visited:
            raise SourceError(f"previous_league_id loops back to league {current}", source=SOURCE,
                              dataset="league", url=api.url(f"/league/{current}"))
        visited.add(current)
        fetched = api.league(current)
        row = p.parse_league(fetched)[0]
        if row["league_id"] != current:
            raise SourceError(f"asked for league {current} but the API answered league {row['league_id']}",
                              source=SOURCE, dataset="league", url=fetched.url)
        settings = fetched.data.get("settings") if isinstance(fetched.data, dict) else None
        league = p.LeagueSeason(current, row["season"], tuple(row["roster_positions"] or ()), row["status"],
                                settings if isinstance(settings, dict) else {}, row["draft_id"])
        found.append(league)
        if seasons is None or league.season <= min(seasons):
            break
        current = row["previous_league_id"]
    if seasons is None:
        return found
    chosen = [lg for lg in found if lg.season in seasons]
    missing = sorted(set(seasons) - {lg.season for lg in chosen})
    if missing:
        have = ", ".join(str(lg.season) for lg in sorted(found, key=lambda lg: lg.season))
        raise SourceError(f"season(s) {', '.join(map(str, missing))} not found walking previous_league_id back "
                          f"from league {league_id} (found: {have})", source=SOURCE, dataset="league",
                          url=api.url(f"/league/{found[-1].league_id}"))
    return sorted(chosen, key=lambda lg: lg.season)


# -- per-dataset fetch + validate ----------------------------------------------------------------------------------
def _league(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows = [r for lg in chain for r in p.parse_league(api.league(lg.league_id))]
    return _prepared("league", rows, api, "/league/{league_id}", chain, root)


def _users(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows = [r for lg in chain for r in p.parse_users(api.users(lg.league_id), lg)]
    return _prepared("users", rows, api, "/league/{league_id}/users", chain, root)


def _rosters(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows = [r for lg in chain for r in p.parse_rosters(api.rosters(lg.league_id), lg)]
    return _prepared("rosters", rows, api, "/league/{league_id}/rosters", chain, root)


def _transactions(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows = [r for lg in chain for week in TRANSACTION_WEEKS
            for r in p.parse_transactions(api.transactions(lg.league_id, week), lg, week)]
    return _prepared("transactions", rows, api, "/league/{league_id}/transactions/{week}", chain, root,
                     weeks=f"{TRANSACTION_WEEKS[0]}-{TRANSACTION_WEEKS[-1]}")


def _traded_picks(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows = [r for lg in chain for r in p.parse_traded_picks(api.traded_picks(lg.league_id), lg)]
    return _prepared("traded_picks", rows, api, "/league/{league_id}/traded_picks", chain, root)


def _drafts(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows = [r for lg in chain for r in p.parse_drafts(api.drafts(lg.league_id), lg)]
    return _prepared("drafts", rows, api, "/league/{league_id}/drafts", chain, root)


def _draft_picks(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows: list[dict[str, Any]] = []
    draft_ids: list[str] = []
    for lg in chain:
        drafts = p.parse_drafts(api.drafts(lg.league_id, dataset="draft_picks"), lg)
        for draft in drafts:
            if draft["draft_id"] is None:
                raise SourceError("a draft has no draft_id", source=SOURCE, dataset="draft_picks",
                                  url=draft[p.URL_COLUMN])
            draft_ids.append(draft["draft_id"])
            rows.extend(p.parse_draft_picks(api.draft_picks(draft["draft_id"]), lg))
    return _prepared("draft_picks", rows, api, "/draft/{draft_id}/picks", chain, root, draft_ids=draft_ids)


def _league_weeks(api: SleeperClient, lg: p.LeagueSeason) -> list[int]:
    """Weeks played so far in this league season (state/nfl fetched once per run, cached by the client)."""
    state = api.state(dataset="matchups").data
    return played_weeks(lg.season, lg.status, lg.settings, state if isinstance(state, dict) else None)


def _matchups(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows: list[dict[str, Any]] = []
    weeks: dict[str, list[int]] = {}
    for lg in chain:
        weeks[str(lg.season)] = _league_weeks(api, lg)
        for week in weeks[str(lg.season)]:
            fetched = api.matchups(lg.league_id, week)
            parsed = p.parse_matchups(fetched, lg, week)
            _both_sides(parsed, fetched.url, week)
            rows.extend(parsed)
    return _prepared("matchups", rows, api, "/league/{league_id}/matchups/{week}", chain, root,
                     weeks={s: _span(w) for s, w in weeks.items()})


def _brackets(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows: list[dict[str, Any]] = []
    fetched_for: list[int] = []
    for lg in chain:
        if not playoffs_seeded(lg.status, lg.settings):
            continue  # documented default: no bracket rows before the regular season is scored
        fetched_for.append(lg.season)
        for which in BRACKETS:
            rows.extend(p.parse_bracket(api.bracket(lg.league_id, which), lg, which))
    return _prepared("brackets", rows, api, "/league/{league_id}/winners_bracket", chain, root,
                     brackets=[f"{w}_bracket" for w in BRACKETS], bracket_seasons=fetched_for)


def _draft_traded_picks(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    rows: list[dict[str, Any]] = []
    draft_ids: list[str] = []
    for lg in chain:
        for draft in p.parse_drafts(api.drafts(lg.league_id, dataset="draft_traded_picks"), lg):
            if draft["draft_id"] is None:
                raise SourceError("a draft has no draft_id", source=SOURCE, dataset="draft_traded_picks",
                                  url=draft[p.URL_COLUMN])
            draft_ids.append(draft["draft_id"])
            rows.extend(p.parse_draft_traded_picks(api.draft_traded_picks(draft["draft_id"]), lg,
                                                   draft["draft_id"]))
    return _prepared("draft_traded_picks", rows, api, "/draft/{draft_id}/traded_picks", chain, root,
                     draft_ids=draft_ids)


def _both_sides(rows: list[dict[str, Any]], url: str, week: int) -> None:
    """Every matchup_id pairs two rosters; a null matchup_id is a roster without a game that week (a bye)."""
    sides: dict[int, int] = {}
    for row in rows:
        if row["matchup_id"] is not None:
            sides[row["matchup_id"]] = sides.get(row["matchup_id"], 0) + 1
    odd = {m: n for m, n in sorted(sides.items()) if n != 2}
    if odd:
        detail = ", ".join(f"{m} has {n}" for m, n in odd.items())
        raise SourceError(f"field 'matchup_id': week {week} matchup(s) without exactly two rosters ({detail}); "
                          "a roster without a game must have matchup_id null", source=SOURCE, dataset="matchups",
                          url=url)


def _span(weeks: list[int]) -> str:
    return f"{weeks[0]}-{weeks[-1]}" if weeks else ""


def _players(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    return _prepared("players", p.parse_players(api.players()), api, "/players/nfl", [], None)


def _state(api: SleeperClient, chain: list[p.LeagueSeason], root: str) -> Prepared:
    return _prepared("state", p.parse_state(api.state()), api, "/state/nfl", [], None)


PREPARERS: dict[str, Callable[[SleeperClient, list[p.LeagueSeason], str], Prepared]] = {
    "league": _league, "users": _users, "rosters": _rosters, "transactions": _transactions,
    "traded_picks": _traded_picks, "drafts": _drafts, "draft_picks": _draft_picks, "players": _players,
    "state": _state, "matchups": _matchups, "brackets": _brackets, "draft_traded_picks": _draft_traded_picks,
}


def _prepared(dataset: str, rows: list[dict[str, Any]], api: SleeperClient, path: str,
              chain: list[p.LeagueSeason], root: str | None, **extra: Any) -> Prepared:
    """Build the frame, then refuse duplicate keys, null keys and (where not allowed) no rows."""
    df = p.frame(dataset, rows)
    keys = p.PRIMARY_KEYS[dataset]
    nullable = {"player_id"} if dataset == "rosters" else set()  # an empty roster keeps one row
    for key in keys:
        if key in nullable:
            continue
        nulls = df.filter(pl.col(key).is_null())
        if nulls.height:
            raise SourceError(f"{nulls.height} record(s) have no {key}", source=SOURCE, dataset=dataset,
                              url=nulls[p.URL_COLUMN][0])
    dupes = df.filter(pl.struct(keys).is_duplicated())
    if dupes.height:
        sample = dupes.select(keys).unique(maintain_order=True).head(3).to_dicts()
        raise SourceError(f"duplicate primary key ({', '.join(keys)}): {sample}", source=SOURCE, dataset=dataset,
                          url=dupes[p.URL_COLUMN][0])
    if df.height == 0 and not platform_config().allows_empty(SOURCE, dataset):
        raise SourceError("no rows: the API returned nothing for this dataset", source=SOURCE, dataset=dataset,
                          url=api.url(path))
    params: dict[str, Any] = {"endpoint": path, **extra}
    if chain:
        params.update(league_id=root, seasons=[lg.season for lg in chain],
                      league_ids={str(lg.season): lg.league_id for lg in chain})
    return Prepared(dataset, df.drop(p.URL_COLUMN), api.url(path), params)


def _players_fetched_on(store: SnapshotStore, day: date, samples: bool) -> WriteResult | None:
    """Today's players snapshot, if one exists (the dump is large and changes slowly: once a day is enough)."""
    if day not in store.partition_dates(SOURCE, "players", samples=samples):
        return None
    manifest = store.read_manifest(SOURCE, "players", day, samples=samples)
    path = store.root.uri(partition_dir(SOURCE, "players", day, samples))
    return WriteResult(SOURCE, "players", day, "unchanged", path, manifest)
