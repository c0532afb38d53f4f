"""Bad input from KTC: a clear error naming source, dataset and URL; nothing written; registry untouched."""

from __future__ import annotations

import json

import pytest

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.replay.ktc import build_ktc_server, recorded_pages
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.http import RetryPolicy
from ff_analytics.sources.ktc import ingest_ktc
from ff_analytics.sources.ktc.page import extract_assets

FAST = RetryPolicy(attempts=3, base_delay_seconds=0.01, max_delay_seconds=0.05)
DAY1, DAY2 = "2025-10-20", "2025-10-25"
PAGES = [p.decode() for p in recorded_pages()]
ASSETS = extract_assets(PAGES[0], url="p0") + extract_assets(PAGES[1], url="p1")


def var_page(assets: object) -> bytes:
    return f"<html><script>var playersArray = {json.dumps(assets)};</script></html>".encode()


@pytest.fixture
def ktc(monkeypatch: pytest.MonkeyPatch):
    """A KTC replay with a promoted players+picks snapshot from an earlier day."""
    with build_ktc_server() as server:
        monkeypatch.setenv("FFA_KTC_BASE_URL", server.url)
        monkeypatch.setenv("FFA_KTC_PAGE_DELAY_SECONDS", "0")
        get_settings.cache_clear()
        store = SnapshotStore()
        ingest_ktc(store=store, dt=DAY1)
        for dataset in ("players", "picks"):
            store.registry.promote("ktc", dataset, DAY1)
        server.requests.clear()
        yield server


def serve(server, *pages: bytes) -> None:
    """Replace the rankings route with these pages (page N → pages[N], later pages → the last one)."""
    from ff_analytics.replay.server import Response

    server.add("/dynasty-rankings",
               lambda req: Response(200, pages[min(int(req.query["page"][0]), len(pages) - 1)], "text/html"))


def fails(**kwargs) -> SourceError:
    store = SnapshotStore()
    registry_before = store.registry.read_text()
    current_before = {d: store.read("ktc", d) for d in ("players", "picks")}
    with pytest.raises(SourceError) as info:
        ingest_ktc(store=store, dt=DAY2, retry=FAST, **kwargs)
    assert store.registry.read_text() == registry_before
    for dataset, frame in current_before.items():
        assert store.partition_dates("ktc", dataset) == [frame_day()]
        assert store.read("ktc", dataset).equals(frame)
    assert str(info.value).startswith("[ktc/") and "/dynasty-rankings" in (info.value.url or "")
    return info.value


def frame_day():
    from datetime import date

    return date.fromisoformat(DAY1)


def test_http_404(ktc) -> None:
    ktc.fail("/dynasty-rankings", 404)
    err = fails()
    assert "HTTP 404" in str(err) and len(ktc.calls("/dynasty-rankings")) == 1


def test_http_429_is_retried_then_succeeds(ktc) -> None:
    ktc.fail("/dynasty-rankings", 429, times=1, headers={"Retry-After": "0"})
    players, picks = ingest_ktc(dt=DAY2, retry=FAST)
    assert players.row_count == 50 and picks.row_count == 36
    assert [c.query["page"] for c in ktc.calls("/dynasty-rankings")] == [["0"], ["0"], ["1"], ["2"]]


def test_http_500_gives_up_after_retries(ktc) -> None:
    ktc.fail("/dynasty-rankings", 500, times=10)
    err = fails()
    assert "gave up after 3 attempts: HTTP 500" in str(err) and len(ktc.calls("/dynasty-rankings")) == 3


def test_http_500_on_a_later_page_writes_nothing(ktc) -> None:
    from ff_analytics.replay.server import Response

    ktc.add("/dynasty-rankings", lambda req: Response(200, PAGES[0].encode(), "text/html") if req.query["page"] == ["0"]
            else Response(500, b"boom", "text/plain"))
    err = fails()
    assert "HTTP 500" in str(err) and "page=1" in err.url


def test_timeout(ktc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FFA_HTTP_TIMEOUT_SECONDS", "0.3")
    get_settings.cache_clear()
    ktc.fail("/dynasty-rankings", 200, times=10, delay_seconds=1.0)
    assert "Timeout" in str(fails())


def test_malformed_json_in_the_var_form(ktc) -> None:
    serve(ktc, b'<script>var playersArray = [{"playerName": "X", "playerID": 1,,}];</script>')
    assert "malformed JSON in var playersArray" in str(fails())


def test_malformed_json_in_the_script_block(ktc) -> None:
    serve(ktc, b'<script id="ktc-players" type="application/json">[{"playerName": </script>')
    assert 'malformed JSON in the <script id="ktc-players"> block' in str(fails())


def test_malformed_html_without_the_array(ktc) -> None:
    serve(ktc, b"<html><body><div class='rankings'>maintenance</div></body")
    assert "page has no player array" in str(fails())


def test_empty_body(ktc) -> None:
    serve(ktc, b"")
    assert "page has no player array" in str(fails())


def test_empty_player_array(ktc) -> None:
    serve(ktc, var_page([]))
    assert "empty payload: the player array has no assets" in str(fails())


def test_array_of_the_wrong_shape(ktc) -> None:
    serve(ktc, var_page({"players": []}))
    assert "var playersArray is a dict, not an array" in str(fails())


def test_asset_missing_a_field(ktc) -> None:
    broken = [dict(a) for a in ASSETS]
    del broken[3]["superflexValues"]
    serve(ktc, var_page(broken), var_page([]))
    assert "lacks field(s) ['superflexValues']" in str(fails())


def test_scope_values_missing_the_value(ktc) -> None:
    broken = json.loads(json.dumps(ASSETS))
    del broken[5]["oneQBValues"]["value"]
    serve(ktc, var_page(broken), var_page([]))
    err = fails()
    assert "has no oneQBValues.value" in str(err) and err.dataset == "players"


def test_duplicate_player_ids_on_a_page(ktc) -> None:
    serve(ktc, var_page(ASSETS + [ASSETS[0]]), var_page([]))
    assert f"playerID(s) ['{ASSETS[0]['playerID']}'] more than once" in str(fails())


def test_pages_without_picks(ktc) -> None:
    serve(ktc, var_page([a for a in ASSETS if a["position"] != "RDP"]), var_page([]))
    err = fails()
    assert "no pick assets (position RDP)" in str(err) and err.dataset == "picks"


def test_unknown_scope_and_dataset_are_refused(ktc) -> None:
    with pytest.raises(ConfigError, match="unknown market scope"):
        ingest_ktc(market_scopes=["dynasty_2qb"], dt=DAY2)
    with pytest.raises(ConfigError, match="unknown dataset"):
        ingest_ktc(["values"], dt=DAY2)
    assert ktc.requests == []
