"""KTC round trips: recorded rankings pages on a local server → connector → players/picks snapshots → read back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ff_analytics.cli.main import app
from ff_analytics.replay.ktc import build_ktc_server, recorded_pages
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.ktc import ingest_ktc
from ff_analytics.sources.ktc.page import extract_assets

REC = Path(__file__).resolve().parents[2] / "recordings" / "ktc"
DT = "2025-10-25"
SAMPLE_PLAYERS = pl.read_parquet(REC / "players" / "players.parquet")
SAMPLE_PICKS = pl.read_parquet(REC / "picks" / "picks.parquet")


@pytest.fixture
def ktc(monkeypatch: pytest.MonkeyPatch):
    with build_ktc_server() as server:
        monkeypatch.setenv("FFA_KTC_BASE_URL", server.url)
        monkeypatch.setenv("FFA_KTC_PAGE_DELAY_SECONDS", "0")
        get_settings.cache_clear()
        yield server


def test_players_and_picks_round_trip_1qb_by_default(ktc) -> None:
    store = SnapshotStore()
    players, picks = ingest_ktc(store=store, dt=DT)
    back_players = store.read("ktc", "players", dt=DT)
    back_picks = store.read("ktc", "picks", dt=DT)
    assert (players.status, picks.status) == ("new", "new")
    assert back_players.height == SAMPLE_PLAYERS.height and back_picks.height == SAMPLE_PICKS.height
    assert back_players["market_scope"].unique().to_list() == ["dynasty_1qb"]
    # the recorded 1QB values come back exactly as the sample had them
    mine = back_players.select("player_name", "position", "team", "rank", "value", "positional_rank").sort("rank")
    theirs = SAMPLE_PLAYERS.select("player_name", "position", "team", "rank", "value", "positional_rank").sort("rank")
    assert mine.equals(theirs)
    pick_cols = ["pick_name", "draft_year", "pick_tier", "pick_round", "rank", "value"]
    assert back_picks.select(pick_cols).sort("rank").equals(SAMPLE_PICKS.select(pick_cols).sort("rank"))
    assert back_picks["asset_type"].unique().to_list() == ["pick"]
    assert back_players.schema["asof_date"] == SAMPLE_PLAYERS.schema["asof_date"]
    assert back_players["asof_date"].unique().to_list() == [datetime(2025, 10, 25)]


def test_both_scopes_in_one_run(ktc) -> None:
    players, picks = ingest_ktc(market_scopes="both", dt=DT)
    assert players.row_count == 2 * SAMPLE_PLAYERS.height and picks.row_count == 2 * SAMPLE_PICKS.height
    back = SnapshotStore().read("ktc", "players", dt=DT)
    per_scope = dict(back.group_by("market_scope").len().iter_rows())
    assert per_scope == {"dynasty_1qb": 50, "dynasty_superflex": 50}
    allen = back.filter(pl.col("player_name") == "Josh Allen").sort("market_scope")
    assert allen["value"].to_list()[1] > allen["value"].to_list()[0]  # a QB is worth more in superflex


def test_same_day_second_scope_merges_instead_of_overwriting(ktc) -> None:
    store = SnapshotStore()
    first = ingest_ktc(["players"], ["dynasty_1qb"], store=store, dt=DT)[0]
    second = ingest_ktc(["players"], ["dynasty_superflex"], store=store, dt=DT)[0]
    assert (first.status, second.status) == ("new", "replaced")
    assert store.partition_dates("ktc", "players") == [first.dt]
    back = store.read("ktc", "players", dt=DT)
    assert sorted(back["market_scope"].unique().to_list()) == ["dynasty_1qb", "dynasty_superflex"]
    assert back.height == 100
    assert second.manifest.params["market_scopes"] == ["dynasty_1qb", "dynasty_superflex"]
    again = ingest_ktc(["players"], ["dynasty_1qb"], store=store, dt=DT)[0]
    assert again.status == "unchanged" and again.row_count == 100  # re-running one scope keeps the other


def test_polite_paging_one_request_per_page_with_a_delay_and_user_agent(ktc) -> None:
    ingest_ktc(dt=DT, page_delay_seconds=0.2)
    calls = ktc.calls("/dynasty-rankings")
    assert [c.query["page"] for c in calls] == [["0"], ["1"], ["2"]]  # page 2 adds nothing: stop
    assert all(c.query["format"] == ["1"] for c in calls)
    assert all(b.at - a.at >= 0.2 for a, b in zip(calls, calls[1:], strict=False))
    assert all(c.headers["User-Agent"].startswith("ff-analytics/") for c in calls)


def test_manifest_records_upstream_url_and_params(ktc) -> None:
    ingest_ktc(["picks"], "both", dt=DT)
    m = SnapshotStore().read_manifest("ktc", "picks", DT)
    assert m.upstream_url.startswith(f"{ktc.url}/dynasty-rankings?page=0&filters=QB")
    assert m.params["market_scopes"] == ["dynasty_1qb", "dynasty_superflex"]
    assert len(m.params["pages"]) == 3 and m.loader.module == "ff_analytics.sources.ktc.connector"


def test_both_page_forms_parse_to_the_same_assets() -> None:
    page0, page1, page2 = (p.decode() for p in recorded_pages())
    assert "var playersArray = [" in page0 and 'id="ktc-players"' in page1
    a0, a1 = extract_assets(page0, url="p0"), extract_assets(page1, url="p1")
    assert len(a0) + len(a1) == SAMPLE_PLAYERS.height + SAMPLE_PICKS.height
    assert extract_assets(page2, url="p2") == []
    as_json_block = page1.replace(page1[page1.index("<script"):page1.index(">", page1.index("<script")) + 1],
                                  '<script type="application/json" id="ktc-players">')
    assert extract_assets(as_json_block, url="p1") == a1


def test_samples_flag_reads_the_recorded_pages() -> None:
    players, picks = ingest_ktc(samples=True, market_scopes=["dynasty_superflex"], dt=DT)
    assert "/_samples/" in players.path and players.row_count == 50 and picks.row_count == 36


def test_cli_datasets_and_scope(ktc) -> None:
    out = CliRunner().invoke(app, ["ingest", "ktc", "--datasets", "players", "picks", "--market-scope", "both",
                                   "--dt", DT])
    assert out.exit_code == 0, out.output
    assert "players: 100 rows, dt=2025-10-25, new" in out.output and "picks: 72 rows, dt=2025-10-25, new" in out.output
