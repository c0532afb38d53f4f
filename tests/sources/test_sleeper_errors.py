"""Sleeper bad input: each case is a clear SourceError naming source, dataset and URL; retries where they make sense;
no snapshot written; the current snapshot and the registry are exactly as they were.

Every test first loads a baseline (users + rosters, promoted to current), then runs a second load on the next day
with one response broken, asking for users *and* rosters so a failure in one also proves the other was not written.
"""

from __future__ import annotations

import json
from pathlib import Path

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
