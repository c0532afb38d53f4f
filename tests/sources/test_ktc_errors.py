"""Bad input from KTC: a clear error naming source, dataset, URL and field; nothing written; registry untouched.

Where the real page legitimately leaves something out (optional fields, a pick name no pattern knows), the
documented default applies instead: null, and a check finding.
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.findings import Severity
from ff_analytics.replay.ktc import build_ktc_server, recorded_pages
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.http import RetryPolicy
from ff_analytics.sources.ktc import ingest_ktc
from ff_analytics.sources.ktc.checks import ktc_checks
from ff_analytics.sources.ktc.page import extract_array, extract_assets

FAST = RetryPolicy(attempts=3, base_delay_seconds=0.01, max_delay_seconds=0.05)
DAY1, DAY2 = "2025-10-20", "2025-10-25"
PAGES = [p.decode() for p in recorded_pages()]
ASSETS = extract_assets(PAGES[0], url="p0")
ONE_QB = extract_array(PAGES[0], "oneQBPlayers", url="p0")
N_PICKS = sum(a["position"] == "RDP" for a in ASSETS)


def var_page(assets: object, one_qb: object = None, *, with_one_qb: bool = True) -> bytes:
    """A page of the real form: playersArray and (unless told otherwise) oneQBPlayers, by default the same assets."""
    second = f"var oneQBPlayers = {json.dumps(assets if one_qb is None else one_qb)};" if with_one_qb else ""
    return f"<html><script>var playersArray = {json.dumps(assets)};\n{second}</script></html>".encode()


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
    assert players.row_count == len(ASSETS) - N_PICKS and picks.row_count == N_PICKS
    assert [c.query["page"] for c in ktc.calls("/dynasty-rankings")] == [["0"], ["0"], ["1"]]


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


def test_malformed_json_in_the_one_qb_array(ktc) -> None:
    serve(ktc, PAGES[0].replace("var oneQBPlayers = [", "var oneQBPlayers = [,", 1).encode())
    assert "malformed JSON in var oneQBPlayers" in str(fails())


def test_page_without_one_qb_players_names_the_field(ktc) -> None:
    serve(ktc, var_page(ASSETS, with_one_qb=False))
    err = fails()
    assert "page has no oneQBPlayers array (field oneQBPlayers" in str(err) and err.dataset == "players+picks"


def test_page_without_one_qb_players_is_fine_for_superflex_only(ktc) -> None:
    serve(ktc, var_page(ASSETS, with_one_qb=False))
    players, _picks = ingest_ktc(market_scopes=["dynasty_superflex"], dt=DAY2, retry=FAST)
    assert players.row_count == len(ASSETS) - N_PICKS
    assert list(players.manifest.params["markets"]) == ["dynasty_superflex"]


def test_empty_one_qb_array(ktc) -> None:
    serve(ktc, var_page(ASSETS, []))
    assert "empty payload: oneQBPlayers (the 1QB market) has no assets" in str(fails())


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
    serve(ktc, var_page(broken))
    assert "var playersArray[3] (" in str(err := fails()) and "lacks field(s) ['superflexValues']" in str(err)


def test_scope_values_missing_the_value(ktc) -> None:
    broken = json.loads(json.dumps(ONE_QB))
    del broken[5]["oneQBValues"]["value"]
    serve(ktc, var_page(ASSETS, broken))
    err = fails()
    assert "has no oneQBValues.value" in str(err) and err.dataset == "players"


def test_duplicate_player_ids_on_a_page(ktc) -> None:
    serve(ktc, var_page(ASSETS, ONE_QB + [ONE_QB[0]]))
    assert f"playerID(s) ['{ONE_QB[0]['playerID']}'] more than once in oneQBPlayers" in str(fails())


def test_pages_without_picks(ktc) -> None:
    serve(ktc, var_page([a for a in ASSETS if a["position"] != "RDP"]))
    err = fails()
    assert "no pick assets (position RDP)" in str(err) and err.dataset == "picks"


def test_unknown_scope_and_dataset_are_refused(ktc) -> None:
    with pytest.raises(ConfigError, match="unknown market scope"):
        ingest_ktc(market_scopes=["dynasty_2qb"], dt=DAY2)
    with pytest.raises(ConfigError, match="unknown dataset"):
        ingest_ktc(["values"], dt=DAY2)
    assert ktc.requests == []


def test_birthday_that_is_not_a_unix_time_names_the_field(ktc) -> None:
    broken = json.loads(json.dumps(ONE_QB))
    player = next(a for a in broken if a.get("birthday"))
    player["birthday"] = "May 21, 1996"
    serve(ktc, var_page(ASSETS, broken))
    err = fails()
    assert "has birthday 'May 21, 1996', not a Unix time in seconds" in str(err) and err.dataset == "players"


def test_missing_optional_fields_become_null(ktc) -> None:
    """birthday, college, byeWeek, mflid, injury, draft capital, ADP, TE premium: absent → null, not an error."""
    optional = ("birthday", "college", "byeWeek", "mflid", "injury", "pickRound", "pickNum", "draftYear", "age")
    stripped = json.loads(json.dumps(ONE_QB))
    for asset in stripped:
        for key in optional:
            asset.pop(key, None)
        for key in ("tep", "tepp", "teppp", "startupAdp", "tradeCount", "positionalRank"):
            asset["oneQBValues"].pop(key, None)
    serve(ktc, var_page(ASSETS, stripped))
    store = SnapshotStore()
    players, _picks = ingest_ktc(store=store, dt=DAY2, retry=FAST)
    back = store.read("ktc", "players", dt=DAY2)
    for column in ("birth_date", "college", "bye_week", "mfl_id", "injury_code", "nfl_draft_round", "draft_year",
                   "age", "tep_value", "startup_adp", "trade_count", "positional_rank"):
        assert back[column].null_count() == back.height, column
    assert back["value"].null_count() == 0 and players.row_count == back.height


def test_unknown_pick_name_gets_null_year_and_round_and_a_finding(ktc) -> None:
    renamed = json.loads(json.dumps(ONE_QB))
    pick = next(a for a in renamed if a["position"] == "RDP")
    pick["playerName"] = "Future 1st (via trade)"
    serve(ktc, var_page(ASSETS, renamed))
    store = SnapshotStore()
    results = ingest_ktc(store=store, dt=DAY2, retry=FAST)
    back = store.read("ktc", "picks", dt=DAY2).filter(pl.col("pick_name") == "Future 1st (via trade)")
    assert back.select("draft_year", "pick_round", "pick_number").row(0) == (None, None, None)  # never 0
    unparsed = [f for f in ktc_checks(results, store) if f.code == "ktc_pick_name_unparsed"]
    assert len(unparsed) == 1 and unparsed[0].severity is Severity.warning
    assert "Future 1st (via trade)" in unparsed[0].message


def test_unknown_team_code_is_kept_raw_and_reported(ktc) -> None:
    moved = json.loads(json.dumps(ONE_QB))
    player = next(a for a in moved if a["position"] != "RDP")
    player["team"] = "XYZ"
    serve(ktc, var_page(ASSETS, moved))
    store = SnapshotStore()
    results = ingest_ktc(store=store, dt=DAY2, retry=FAST)
    row = store.read("ktc", "players", dt=DAY2).filter(pl.col("ktc_id") == player["playerID"]).row(0, named=True)
    assert (row["team"], row["ktc_team"]) == (None, "XYZ")
    unmapped = [f for f in ktc_checks(results, store) if f.code == "ktc_team_unmapped"]
    assert len(unmapped) == 1 and "['XYZ']" in unmapped[0].message
