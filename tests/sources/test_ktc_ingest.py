"""KTC round trips: recorded rankings pages on a local server → connector → players/picks snapshots → read back.

The demo recording (both markets complete), its older dated page, and the real captured page replayed unchanged
through the real CLI (thinned upstream, so its completeness check must report gaps).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ff_analytics.cli.main import app
from ff_analytics.findings import Severity
from ff_analytics.governance.mapping_check import mapping_findings
from ff_analytics.replay.ktc import build_ktc_server, dated_base_url, real_page, recorded_dates, recorded_pages
from ff_analytics.replay.nflverse import RECORDED_SEASONS, build_nflverse_server
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.ktc import ingest_ktc
from ff_analytics.sources.ktc.checks import ktc_checks
from ff_analytics.sources.ktc.page import extract_array, extract_assets
from ff_analytics.sources.nflverse import ingest_nflverse

REC = Path(__file__).resolve().parents[2] / "recordings" / "ktc"
DT = "2025-10-25"
REAL_DT = "2026-07-26"
SAMPLE_PLAYERS = pl.read_parquet(REC / "players" / "players.parquet")
SAMPLE_PICKS = pl.read_parquet(REC / "picks" / "picks.parquet")
PAGE = recorded_pages()[0].decode()
ASSETS = extract_assets(PAGE, url="recorded")
N_PICKS = sum(a["position"] == "RDP" for a in ASSETS)
N_PLAYERS = len(ASSETS) - N_PICKS
NFLVERSE_TEAMS = {"KCC": "KC", "GBP": "GB", "NOS": "NO", "SFO": "SF", "LVR": "LV", "TBB": "TB", "NEP": "NE",
                  "JAC": "JAX", "LAR": "LA"}


@pytest.fixture
def ktc(monkeypatch: pytest.MonkeyPatch):
    with build_ktc_server() as server:
        monkeypatch.setenv("FFA_KTC_BASE_URL", server.url)
        monkeypatch.setenv("FFA_KTC_PAGE_DELAY_SECONDS", "0")
        get_settings.cache_clear()
        yield server


def codes(findings, severity: Severity | None = None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity is severity]


def test_demo_recording_is_complete_and_covers_the_league_rosters() -> None:
    one_qb = extract_array(PAGE, "oneQBPlayers", url="recorded")
    assert len(ASSETS) == len(one_qb) > SAMPLE_PLAYERS.height + SAMPLE_PICKS.height
    for market, array in (("superflexValues", ASSETS), ("oneQBValues", one_qb)):
        assert [a[market]["rank"] for a in array] == list(range(1, len(array) + 1))  # ordered, no gap
    names = {a["playerName"] for a in ASSETS}
    assert set(SAMPLE_PLAYERS["player_name"]) <= names and set(SAMPLE_PICKS["pick_name"]) <= names
    picks = [a for a in ASSETS if a["position"] == "RDP"]
    assert {(p["team"], p["pickRound"], p["pickNum"], p["age"], p["mflid"]) for p in picks} == {("FA", 0, 0, 0.0, 0)}


def test_players_and_picks_round_trip_1qb_by_default(ktc) -> None:
    store = SnapshotStore()
    players, picks = ingest_ktc(store=store, dt=DT)
    back_players = store.read("ktc", "players", dt=DT)
    back_picks = store.read("ktc", "picks", dt=DT)
    assert (players.status, picks.status) == ("new", "new")
    assert (back_players.height, back_picks.height) == (N_PLAYERS, N_PICKS)
    assert back_players["market_scope"].unique().to_list() == ["dynasty_1qb"]
    # the sample's real 1QB values come back exactly; its KTC team codes as nflverse codes
    mine = back_players.select("player_name", "position", "value").sort("player_name")
    theirs = SAMPLE_PLAYERS.select("player_name", "position", "value").sort("player_name")
    assert mine.join(theirs, on=["player_name", "position"]).filter(pl.col("value") != pl.col("value_right")).height \
        == 0 and mine.join(theirs, on=["player_name", "position"]).height == SAMPLE_PLAYERS.height
    teams = SAMPLE_PLAYERS.select("player_name", pl.col("team").replace(NFLVERSE_TEAMS).alias("expected"))
    joined = back_players.join(teams, on="player_name")
    assert joined.filter(pl.col("team") != pl.col("expected")).height == 0 and "KC" in joined["team"].to_list()
    pick_cols = ["pick_name", "draft_year", "pick_tier", "pick_round", "value"]
    assert back_picks.select(pick_cols).sort("pick_name").equals(SAMPLE_PICKS.select(pick_cols).sort("pick_name"))
    assert back_picks["pick_number"].null_count() == back_picks.height  # tier names carry no slot
    assert back_players.schema["asof_date"] == SAMPLE_PLAYERS.schema["asof_date"]
    assert back_players["asof_date"].unique().to_list() == [datetime(2025, 10, 25)]
    assert back_players["mfl_id"].null_count() == 0 and back_players["birth_date"].null_count() == 0
    market = players.manifest.params["markets"]["dynasty_1qb"]
    assert (market["assets"], market["rank_min"], market["rank_max"], market["missing_ranks"]) == \
        (len(ASSETS), 1, len(ASSETS), 0)


def test_both_scopes_complete_pass_the_checks(ktc) -> None:
    store = SnapshotStore()
    with build_nflverse_server() as nflverse:  # the crosswalk the mapping rate is measured against
        (xref,) = ingest_nflverse(["ff_playerids"], list(RECORDED_SEASONS), store=store, dt=DT, base_url=nflverse.url)
    store.registry.promote("nflverse", "ff_playerids", DT)
    results = ingest_ktc(market_scopes="both", store=store, dt=DT)
    players, picks = results
    assert players.row_count == 2 * N_PLAYERS and picks.row_count == 2 * N_PICKS
    back = store.read("ktc", "players", dt=DT)
    assert dict(back.group_by("market_scope").len().iter_rows()) == {"dynasty_1qb": N_PLAYERS,
                                                                     "dynasty_superflex": N_PLAYERS}
    allen = back.filter(pl.col("player_name") == "Josh Allen").sort("market_scope")
    assert allen["value"].to_list()[1] > allen["value"].to_list()[0]  # a QB is worth more in superflex
    findings = ktc_checks(results, store)
    assert codes(findings, Severity.error) == []
    assert codes(findings).count("ktc_market_complete") == 4  # 2 datasets × 2 markets
    [rate] = mapping_findings([players], store)  # governed with every source's, on KTC's mfl_id
    assert rate.code == "ktc_mapping_rate" and rate.severity is Severity.info and rate.message.startswith("100%")


def test_same_day_second_scope_merges_instead_of_overwriting(ktc) -> None:
    store = SnapshotStore()
    first = ingest_ktc(["players"], ["dynasty_1qb"], store=store, dt=DT)[0]
    second = ingest_ktc(["players"], ["dynasty_superflex"], store=store, dt=DT)[0]
    assert (first.status, second.status) == ("new", "replaced")
    assert store.partition_dates("ktc", "players") == [first.dt]
    back = store.read("ktc", "players", dt=DT)
    assert sorted(back["market_scope"].unique().to_list()) == ["dynasty_1qb", "dynasty_superflex"]
    assert back.height == 2 * N_PLAYERS
    assert second.manifest.params["market_scopes"] == ["dynasty_1qb", "dynasty_superflex"]
    assert sorted(second.manifest.params["markets"]) == ["dynasty_1qb", "dynasty_superflex"]  # both summaries
    assert codes(ktc_checks([second], store), Severity.error) == []
    again = ingest_ktc(["players"], ["dynasty_1qb"], store=store, dt=DT)[0]
    assert again.status == "unchanged" and again.row_count == 2 * N_PLAYERS  # re-running one scope keeps the other


def test_polite_paging_stops_when_a_page_repeats_the_arrays(ktc) -> None:
    ingest_ktc(dt=DT, page_delay_seconds=0.2)
    calls = ktc.calls("/dynasty-rankings")
    assert [c.query["page"] for c in calls] == [["0"], ["1"]]  # page 1 is page 0 again, as on the live site
    assert all(c.query["format"] == ["1"] for c in calls)
    assert calls[1].at - calls[0].at >= 0.2
    assert all(c.headers["User-Agent"].startswith("ff-analytics/") for c in calls)


def test_manifest_records_upstream_url_and_params(ktc) -> None:
    ingest_ktc(["picks"], "both", dt=DT)
    m = SnapshotStore().read_manifest("ktc", "picks", DT)
    assert m.upstream_url.startswith(f"{ktc.url}/dynasty-rankings?page=0&filters=QB")
    assert m.params["market_scopes"] == ["dynasty_1qb", "dynasty_superflex"]
    assert len(m.params["pages"]) == 2 and m.loader.module == "ff_analytics.sources.ktc.connector"
    assert {s: m.params["markets"][s]["array"] for s in m.params["markets"]} == {
        "dynasty_1qb": "oneQBPlayers", "dynasty_superflex": "playersArray"}


def test_an_older_dated_page_gives_a_second_snapshot(ktc) -> None:
    store = SnapshotStore()
    older = recorded_dates()[0]
    assert date.fromisoformat(older) < date.fromisoformat(DT)
    ingest_ktc(["players"], "both", store=store, dt=older, base_url=dated_base_url(ktc, older))
    ingest_ktc(["players"], "both", store=store, dt=DT)
    assert [d.isoformat() for d in store.partition_dates("ktc", "players")] == [older, DT]
    then, now = (store.read("ktc", "players", dt=d).select("ktc_id", "market_scope", "value") for d in (older, DT))
    both = then.join(now, on=["ktc_id", "market_scope"])
    assert both.height == then.height == now.height  # the same assets ...
    assert both.filter(pl.col("value") != pl.col("value_right")).height > both.height // 2  # ... other values
    assert ktc.calls(f"/asof/{older}/dynasty-rankings")


def test_samples_flag_reads_the_recorded_pages() -> None:
    players, picks = ingest_ktc(samples=True, market_scopes=["dynasty_superflex"], dt=DT)
    assert "/_samples/" in players.path and players.row_count == N_PLAYERS and picks.row_count == N_PICKS


def test_cli_datasets_and_scope(ktc) -> None:
    out = CliRunner().invoke(app, ["ingest", "ktc", "--datasets", "players", "picks", "--market-scope", "both",
                                   "--dt", DT])
    assert out.exit_code == 0, out.output
    assert f"players: {2 * N_PLAYERS} rows, dt=2025-10-25, new" in out.output
    assert f"picks: {2 * N_PICKS} rows, dt=2025-10-25, new" in out.output


# -- the real captured page, replayed unchanged --------------------------------------------------------------------
@pytest.fixture
def real_ktc(monkeypatch: pytest.MonkeyPatch):
    with build_ktc_server(pages=[real_page()]) as server:
        monkeypatch.setenv("FFA_KTC_BASE_URL", server.url)
        monkeypatch.setenv("FFA_KTC_PAGE_DELAY_SECONDS", "0")
        get_settings.cache_clear()
        yield server


def test_real_page_through_the_cli(real_ktc) -> None:
    out = CliRunner().invoke(app, ["ingest", "ktc", "--market-scope", "both", "--dt", REAL_DT])
    assert out.exit_code == 0, out.output
    assert "players: 96 rows" in out.output and "picks: 12 rows" in out.output  # 93 + 3 players; picks only SF
    store = SnapshotStore()
    manifest = store.read_manifest("ktc", "players", REAL_DT)
    markets = manifest.params["markets"]
    assert {k: markets["dynasty_superflex"][k] for k in ("assets", "players", "picks", "rank_min", "rank_max")} == \
        {"assets": 105, "players": 93, "picks": 12, "rank_min": 1, "rank_max": 497}
    assert {k: markets["dynasty_1qb"][k] for k in ("assets", "players", "picks", "rank_min", "rank_max")} == \
        {"assets": 3, "players": 3, "picks": 0, "rank_min": 294, "rank_max": 300}
    assert markets["dynasty_1qb"]["gaps"] == ["1-293", "295-296", "298-299"]
    assert store.read_manifest("ktc", "picks", REAL_DT).params["markets"] == markets

    picks = store.read("ktc", "picks", dt=REAL_DT)
    assert "team" not in picks.columns and "age" not in picks.columns
    assert picks["pick_number"].null_count() == picks.height  # real 0 → null
    assert sorted(picks["draft_year"].unique().to_list()) == [2027, 2028]  # from the names, never 0
    assert picks["pick_round"].min() == 1 and picks["listed_season"].unique().to_list() == [2026]
    assert (picks["positional_rank"].null_count(), picks["tep_value"].null_count()) == (picks.height, 0)

    players = store.read("ktc", "players", dt=REAL_DT)
    assert not set(players["team"].drop_nulls()) & set(NFLVERSE_TEAMS)  # KCC, GBP, … all mapped
    thornton = players.filter(pl.col("player_name") == "Tyquan Thornton").row(0, named=True)
    assert (thornton["team"], thornton["ktc_team"], thornton["market_scope"]) == ("KC", "KCC", "dynasty_1qb")
    allen = players.filter(pl.col("player_name") == "Josh Allen").row(0, named=True)
    assert (allen["mfl_id"], allen["birth_date"], allen["nfl_draft_round"], allen["nfl_draft_pick"]) == \
        ("13589", date(1996, 5, 21), 1, 7)
    assert (allen["draft_year"], allen["seasons_experience"], allen["startup_adp"], allen["trade_count"]) == \
        (2018, 8, 2.0, 133)
    dowdle = players.filter(pl.col("player_name") == "Rico Dowdle").row(0, named=True)
    assert (dowdle["nfl_draft_round"], dowdle["nfl_draft_pick"], dowdle["draft_year"]) == (None, None, 2020)
    sf = players.filter(pl.col("market_scope") == "dynasty_superflex")
    injured = sf.filter(pl.col("injury_code") > 1)
    assert injured["injury_name"].unique().sort().to_list() == ["Holdout", "Questionable"]
    assert sf["mfl_id"].null_count() == 0 and sf["birth_date"].null_count() == 4  # 4 rookies have no birthday
    assert players.filter(pl.col("ktc_team") == "FA")["team"].null_count() == players.filter(
        pl.col("ktc_team") == "FA").height


def test_real_page_completeness_check_reports_its_gaps(real_ktc) -> None:
    store = SnapshotStore()
    results = ingest_ktc(market_scopes="both", store=store, dt=REAL_DT)
    findings = ktc_checks(results, store)
    gaps = [f for f in findings if f.code == "ktc_rank_gaps"]
    assert {(f.dataset, f.severity) for f in gaps} == {("players", Severity.error), ("picks", Severity.error)}
    one_qb = next(f for f in gaps if f.dataset == "players" and "dynasty_1qb" in f.message)
    assert "3 assets, ranks 294..300" in one_qb.message and "297 ranks missing" in one_qb.message
    assert "1-293, 295-296, 298-299" in one_qb.message
    sf = next(f for f in gaps if f.dataset == "players" and "dynasty_superflex" in f.message)
    assert "105 assets, ranks 1..497" in sf.message and "392 ranks missing" in sf.message
    assert "ktc_market_complete" not in codes(findings) and "ktc_market_rows" not in codes(findings)
    per_year = next(f for f in findings if f.code == "ktc_picks_per_year")
    assert "2027: 5, 2028: 7" in per_year.message and per_year.severity is Severity.warning
