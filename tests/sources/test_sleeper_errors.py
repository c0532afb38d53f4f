"""Sleeper bad input: each case is a clear SourceError naming source, dataset and URL; retries where they make sense;
no snapshot written; the current snapshot and the registry are exactly as they were.

Every test first loads a baseline (users + rosters, promoted to current), then runs a second load on the next day
with one response broken, asking for users *and* rosters so a failure in one also proves the other was not written.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from ff_analytics.errors import SourceError
from ff_analytics.replay.server import ReplayServer
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.sleeper import ingest_sleeper
from tests.sources.test_sleeper_ingest import FAST_RETRY, LEAGUE_2025, partitions, recorded, sleeper_replay

USERS = f"/league/{LEAGUE_2025}/users"
ROSTERS = f"/league/{LEAGUE_2025}/rosters"
DATASETS = ["users", "rosters"]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, data_root: Path):
    """The replay server, with a current users + rosters snapshot from 2025-10-01 already in place."""
    with sleeper_replay(monkeypatch) as srv:
        store = SnapshotStore()
        for result in ingest_sleeper(DATASETS, dt="2025-10-01", retry=FAST_RETRY):
            store.registry.promote("sleeper", result.dataset, result.dt.isoformat())
        srv.requests.clear()
        yield srv


def _state(data_root: Path) -> dict:
    store = SnapshotStore()
    return {
        "registry": (data_root / "registry" / "snapshot_registry.csv").read_bytes(),
        "partitions": {d: partitions(data_root, d) for d in DATASETS},
        "current": {d: store.read("sleeper", d).to_dicts() for d in DATASETS},
    }


def _fails(data_root: Path, match: str, route: str, dataset: str) -> SourceError:
    """Run the second load, expect the error, and check nothing was written or changed."""
    before = _state(data_root)
    with pytest.raises(SourceError, match=match) as err:
        ingest_sleeper(DATASETS, dt="2025-10-02", retry=FAST_RETRY)
    error = err.value
    assert (error.source, error.dataset) == ("sleeper", dataset)
    assert error.url is not None and error.url.endswith(route)
    assert f"[sleeper/{dataset}]" in str(error) and route in str(error)
    assert _state(data_root) == before
    assert all(p == ["dt=2025-10-01"] for p in before["partitions"].values())
    return error


def test_http_404_fails_at_once(server: ReplayServer, data_root: Path) -> None:
    server.fail(ROSTERS, 404, times=10)
    _fails(data_root, "HTTP 404", ROSTERS, "rosters")
    assert len(server.calls(ROSTERS)) == 1  # a missing resource is not retried


def test_http_429_is_retried_after_retry_after(server: ReplayServer, data_root: Path) -> None:
    server.fail(USERS, 429, times=1, headers={"Retry-After": "1"})
    results = ingest_sleeper(DATASETS, dt="2025-10-02", retry=FAST_RETRY)
    first, second = server.calls(USERS)
    assert second.at - first.at >= 0.9  # honoured Retry-After: 1 (the policy's own backoff is 10 ms)
    assert results[0].row_count == len(recorded(USERS))
    assert [r.status for r in results] == ["unchanged", "unchanged"]  # same data as the current snapshots


def test_http_429_gives_up_after_the_retry_budget(server: ReplayServer, data_root: Path) -> None:
    server.fail(USERS, 429, times=10, headers={"Retry-After": "0"})
    _fails(data_root, "gave up after 3 attempts: HTTP 429", USERS, "users")
    assert len(server.calls(USERS)) == 3


def test_http_500_is_retried_then_fails_clearly(server: ReplayServer, data_root: Path) -> None:
    server.fail(ROSTERS, 500, times=10)
    _fails(data_root, "gave up after 3 attempts: HTTP 500", ROSTERS, "rosters")
    assert len(server.calls(ROSTERS)) == 3


def test_a_timeout_is_retried(server: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FFA_HTTP_TIMEOUT_SECONDS", "0.2")
    get_settings.cache_clear()
    body = json.dumps(recorded(USERS)).encode()
    server.fail(USERS, 200, times=1, body=body, delay_seconds=0.6, content_type="application/json")
    (result,) = ingest_sleeper(["users"], dt="2025-10-02", retry=FAST_RETRY)
    assert result.row_count == len(recorded(USERS)) and result.status == "unchanged"
    assert len(server.calls(USERS)) == 2


def test_timeouts_fail_clearly(server: ReplayServer, data_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FFA_HTTP_TIMEOUT_SECONDS", "0.2")
    get_settings.cache_clear()
    body = json.dumps(recorded(USERS)).encode()
    server.fail(USERS, 200, times=3, body=body, delay_seconds=0.6, content_type="application/json")
    _fails(data_root, "gave up after 3 attempts: ReadTimeout", USERS, "users")
    assert len(server.calls(USERS)) == 3


def test_malformed_json_is_refused(server: ReplayServer, data_root: Path) -> None:
    server.add(USERS, b'[{"user_id": "470000000002000006", "display_name": "Keg', content_type="application/json")
    _fails(data_root, "malformed JSON", USERS, "users")


def test_empty_payload_is_refused(server: ReplayServer, data_root: Path) -> None:
    server.add(ROSTERS, "[]")
    _fails(data_root, "empty payload: the API answered an empty array", ROSTERS, "rosters")


def test_null_league_is_refused(server: ReplayServer, data_root: Path) -> None:
    server.add(f"/league/{LEAGUE_2025}", "null")
    _fails(data_root, "empty payload: the API answered null", f"/league/{LEAGUE_2025}", "league")


def test_missing_column_is_refused(server: ReplayServer, data_root: Path) -> None:
    rosters = recorded(ROSTERS)
    del rosters[3]["owner_id"]
    server.add(ROSTERS, json.dumps(rosters))
    _fails(data_root, "missing field\\(s\\) owner_id in record 3", ROSTERS, "rosters")


def test_duplicate_primary_keys_are_refused(server: ReplayServer, data_root: Path) -> None:
    users = recorded(USERS)
    server.add(USERS, json.dumps([*users, {**users[0], "display_name": "SomeoneElse"}]))
    error = _fails(data_root, "duplicate primary key \\(league_id, user_id\\)", USERS, "users")
    assert users[0]["user_id"] in error.detail


def test_wrong_payload_shape_is_refused(server: ReplayServer, data_root: Path) -> None:
    server.add(USERS, json.dumps({"users": recorded(USERS)}))
    _fails(data_root, "expected a JSON array, got a JSON object", USERS, "users")


def test_value_of_the_wrong_kind_is_refused(server: ReplayServer, data_root: Path) -> None:
    rosters = recorded(ROSTERS)
    rosters[0]["roster_id"] = "first"
    server.add(ROSTERS, json.dumps(rosters))
    _fails(data_root, "field 'roster_id' in record 0 is not a whole number", ROSTERS, "rosters")


# -- real-shape semantics: unknown values, optional fields, mixed id types, empty weeks, one-sided matchups -------
TX_WEEK = f"/league/{LEAGUE_2025}/transactions/2"
MATCHUPS_WEEK = f"/league/{LEAGUE_2025}/matchups/3"


def _fails_in(data_root: Path, datasets: list[str], match: str, route: str, dataset: str) -> SourceError:
    """Like _fails, for a run that also loads datasets without a baseline: none of them may get a partition."""
    before = _state(data_root)
    others = {d: partitions(data_root, d) for d in datasets if d not in DATASETS}
    with pytest.raises(SourceError, match=match) as err:
        ingest_sleeper(datasets, dt="2025-10-02", retry=FAST_RETRY)
    error = err.value
    assert (error.source, error.dataset) == ("sleeper", dataset)
    assert error.url is not None and error.url.endswith(route) and route in str(error)
    assert _state(data_root) == before
    assert {d: partitions(data_root, d) for d in others} == others
    return error


@pytest.mark.parametrize(("field", "value"), [("status", "vetoed"), ("type", "swap")])
def test_unknown_transaction_status_or_type_is_refused(server: ReplayServer, data_root: Path, field: str,
                                                       value: str) -> None:
    txs = recorded(TX_WEEK)
    assert txs, "week 2 of the recording has transactions"
    txs[1][field] = value
    server.add(TX_WEEK, json.dumps(txs))
    error = _fails_in(data_root, [*DATASETS, "transactions"], f"field '{field}' in record 1 has unknown value "
                      f"'{value}'", TX_WEEK, "transactions")
    assert "known:" in str(error)


def test_missing_optional_fields_become_null(server: ReplayServer, data_root: Path) -> None:
    """Documented default: fields Sleeper may leave out (settings, metadata, creator, consenters, co-owners,
    keepers, team name) are null, not errors; required ones are refused (test_missing_column_is_refused)."""
    txs = recorded(TX_WEEK)
    for tx in txs:
        for key in ("settings", "metadata", "creator", "consenter_ids", "status_updated"):
            tx.pop(key, None)
    server.add(TX_WEEK, json.dumps(txs))
    rosters = recorded(ROSTERS)
    for roster in rosters:
        for key in ("metadata", "co_owners", "keepers", "taxi", "reserve"):
            roster.pop(key, None)
    server.add(ROSTERS, json.dumps(rosters))
    users = recorded(USERS)
    for user in users:
        user.pop("metadata", None)
    server.add(USERS, json.dumps(users))
    ingest_sleeper([*DATASETS, "transactions"], dt="2025-10-02", retry=FAST_RETRY)
    store = SnapshotStore()
    week2 = store.read("sleeper", "transactions", dt="2025-10-02").filter(pl.col("week") == 2)
    assert week2.height > 0
    assert week2.select("notes", "waiver_bid", "creator", "status_updated").null_count().row(0) == (week2.height,) * 4
    roster_rows = store.read("sleeper", "rosters", dt="2025-10-02")
    assert roster_rows["record"].null_count() == roster_rows.height and not roster_rows["is_taxi"].any()
    assert store.read("sleeper", "users", dt="2025-10-02")["team_name"].null_count() == len(users)


def test_ids_as_numbers_or_text_give_the_same_rows(server: ReplayServer, data_root: Path) -> None:
    """Sleeper sends roster/user/player ids as numbers in some payloads and text in others: same snapshot."""
    rosters = recorded(ROSTERS)
    for roster in rosters:
        roster["roster_id"] = str(roster["roster_id"])
        roster["owner_id"] = int(roster["owner_id"])
        roster["players"] = [int(p) if p.isdigit() else p for p in roster["players"]]
        roster["starters"] = [int(p) if p.isdigit() else p for p in roster["starters"]]
    server.add(ROSTERS, json.dumps(rosters))
    users = recorded(USERS)
    for user in users:
        user["user_id"] = int(user["user_id"])
    server.add(USERS, json.dumps(users))
    results = ingest_sleeper(DATASETS, dt="2025-10-02", retry=FAST_RETRY)
    assert [r.status for r in results] == ["unchanged", "unchanged"]  # identical content to the text-id baseline


def test_an_empty_week_is_no_rows_not_an_error(server: ReplayServer, data_root: Path) -> None:
    """Documented default: a week answering [] (no moves, or no games) contributes no rows; the walk goes on."""
    server.add(TX_WEEK, "[]")
    server.add(MATCHUPS_WEEK, "[]")
    results = {r.dataset: r for r in ingest_sleeper(["transactions", "matchups"], dt="2025-10-02",
                                                    retry=FAST_RETRY)}
    store = SnapshotStore()
    assert store.read("sleeper", "transactions", dt="2025-10-02").filter(pl.col("week") == 2).height == 0
    matchups = store.read("sleeper", "matchups", dt="2025-10-02")
    assert sorted(matchups["week"].unique().to_list()) == [1, 2, 4, 5]
    assert results["matchups"].manifest.params["weeks"] == {"2025": "1-5"}


def test_a_matchup_with_one_side_is_refused(server: ReplayServer, data_root: Path) -> None:
    games = recorded(MATCHUPS_WEEK)
    games[0]["matchup_id"] = 99
    server.add(MATCHUPS_WEEK, json.dumps(games))
    error = _fails_in(data_root, [*DATASETS, "matchups"], "field 'matchup_id': week 3 matchup\\(s\\) without "
                      "exactly two rosters", MATCHUPS_WEEK, "matchups")
    assert "99 has 1" in str(error)


def test_a_bye_is_a_null_matchup_id(server: ReplayServer, data_root: Path) -> None:
    games = recorded(MATCHUPS_WEEK)
    paired = games[0]["matchup_id"]
    for game in games:
        if game["matchup_id"] == paired:
            game["matchup_id"] = None
    server.add(MATCHUPS_WEEK, json.dumps(games))
    (result,) = ingest_sleeper(["matchups"], dt="2025-10-02", retry=FAST_RETRY)
    week3 = SnapshotStore().read("sleeper", "matchups", dt="2025-10-02").filter(pl.col("week") == 3)
    assert week3["matchup_id"].null_count() == 2 and result.row_count > 0


def test_a_null_bracket_is_an_empty_bracket(server: ReplayServer, data_root: Path) -> None:
    league_2024 = recorded(f"/league/{LEAGUE_2025}")["previous_league_id"]
    server.add(f"/league/{league_2024}/losers_bracket", "null")
    (result,) = ingest_sleeper(["brackets"], seasons=[2024], dt="2025-10-02", retry=FAST_RETRY)
    brackets = SnapshotStore().read("sleeper", "brackets", dt="2025-10-02")
    assert brackets["bracket"].unique().to_list() == ["winners"]
    assert result.row_count == len(recorded(f"/league/{league_2024}/winners_bracket"))
