"""Real Sleeper responses (recorded from the live API in 2020 by a third party), replayed unchanged through the CLI.

The recording (``../shared/data/api-recordings/sleeper-2020/responses``, outside the repo) has no ``state/nfl``:
the replay server answers it with the NFL state of the recording's last week (2020, regular season, week 12 —
league 522458773317046272 reports ``leg`` 12 and ``last_scored_leg`` 11). Every other answer is a recorded file.
Expected values are counted from the recorded JSON, not copied from the connector.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ff_analytics.replay.server import ReplayServer
from ff_analytics.replay.sleeper import build_sleeper_server
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.sleeper import ingest_sleeper
from ff_analytics.sources.sleeper.checks import sleeper_checks, status_counts
from ff_analytics.sources.sleeper.parsers import SCHEMAS

REPO = Path(__file__).resolve().parents[2]
RESPONSES = REPO.parent / "shared" / "data" / "api-recordings" / "sleeper-2020" / "responses"
DYNASTY = "522458773317046272"  # transactions, matchups, drafts; predecessor 386236959468675072 (2019)
OTHER = "521379020332068864"  # users, rosters, matchups; no transactions recorded
STATE_2020 = {"season": "2020", "season_type": "regular", "week": 12, "leg": 12, "display_week": 12,
              "previous_season": "2019", "league_season": "2020", "league_create_season": "2020",
              "season_start_date": "2020-09-10"}
DT = "2020-11-28"
RECORDED_DATASETS = "league,users,rosters,transactions,traded_picks,drafts,draft_picks,matchups,brackets"

pytestmark = pytest.mark.skipif(not RESPONSES.exists(), reason="real Sleeper recordings not present")


def real(route: str) -> object:
    return json.loads((RESPONSES / f"{route.lstrip('/')}.json").read_text(encoding="utf-8"))


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, data_root: Path) -> Iterator[ReplayServer]:
    srv = build_sleeper_server(responses_dir=RESPONSES)
    srv.add("/state/nfl", json.dumps(STATE_2020))
    with srv:
        monkeypatch.setenv("FFA_SLEEPER_BASE_URL", srv.url)
        get_settings.cache_clear()
        yield srv
    get_settings.cache_clear()


def _cli(*args: str) -> str:
    from ff_analytics.cli.main import app

    result = CliRunner().invoke(app, ["ingest", "sleeper", *args, "--dt", DT])
    assert result.exit_code == 0, result.output
    return result.output


def _transactions() -> list[dict]:
    return [t for week in range(1, 19) for t in real(f"/league/{DYNASTY}/transactions/{week}")]


def test_real_dynasty_league_ingests_with_exact_counts(server: ReplayServer) -> None:
    output = _cli("--datasets", RECORDED_DATASETS, "--league-id", DYNASTY)
    store = SnapshotStore()
    txs = _transactions()
    items = sum(len(t["adds"] or {}) + len(t["drops"] or {}) + len(t["draft_picks"]) + len(t["waiver_budget"])
                for t in txs)
    rosters = real(f"/league/{DYNASTY}/rosters")
    expected = {
        "league": 1, "users": len(real(f"/league/{DYNASTY}/users")), "transactions": items,
        "rosters": sum(len({*r["players"], *r["starters"], *(r["reserve"] or []), *(r["taxi"] or [])} - {"0"})
                       for r in rosters),
        "traded_picks": len(real(f"/league/{DYNASTY}/traded_picks")), "drafts": 1,
        "draft_picks": len(real("/draft/522458773321240576/picks")),
        "matchups": sum(len(real(f"/league/{DYNASTY}/matchups/{w}")) for w in range(1, 13)),  # weeks 1-12 played
        "brackets": 0,  # week 12 of 13 regular weeks: no seeds yet, so no bracket request (documented default)
    }
    for dataset, rows in expected.items():
        df = store.read("sleeper", dataset, dt=DT)
        assert df.height == rows, dataset
        assert df.columns == list(SCHEMAS[dataset]), dataset
        assert f"{dataset}: {rows:,} rows" in output
    assert (len(txs), items) == (582, 881)


def test_real_failed_claims_are_kept_apart_with_reason_order_and_bid(server: ReplayServer) -> None:
    _cli("--datasets", "transactions", "--league-id", DYNASTY)
    tx = SnapshotStore().read("sleeper", "transactions", dt=DT)
    per_tx = tx.unique("transaction_id")
    assert dict(per_tx.group_by("status").len().iter_rows()) == {"complete": 383, "failed": 199}
    assert tx.filter(pl.col("status") == "failed").height == 241  # item rows that never happened
    moves = tx.filter(pl.col("status") == "complete", pl.col("action").is_in(["add", "drop"]))
    assert moves.height == 881 - 241 - tx.filter(pl.col("action").is_in(["draft_pick", "waiver_budget"])).height
    failed = per_tx.filter(pl.col("status") == "failed")
    assert failed["type"].unique().to_list() == ["waiver"]
    assert Counter(failed["notes"].to_list()) == Counter(
        (t["metadata"] or {}).get("notes") for t in _transactions() if t["status"] == "failed")
    assert failed["waiver_bid"].null_count() == 0 and failed["waiver_seq"].null_count() == 0
    waivers = per_tx.filter(pl.col("type") == "waiver")
    assert waivers["waiver_priority"].drop_nulls().len() == 113  # priority only on some claims, as sent
    assert dict(per_tx.group_by("type").len().iter_rows()) == {"free_agent": 205, "waiver": 340, "trade": 33,
                                                                "commissioner": 4}


def test_real_faab_and_picks_move_in_trades(server: ReplayServer) -> None:
    _cli("--datasets", "transactions", "--league-id", DYNASTY)
    tx = SnapshotStore().read("sleeper", "transactions", dt=DT)
    sent = [(b["sender"], b["receiver"], b["amount"]) for t in _transactions() for b in t["waiver_budget"]]
    budget = tx.filter(pl.col("action") == "waiver_budget")
    assert sorted(budget.select("budget_sender", "budget_receiver", "budget_amount").rows()) == sorted(sent)
    assert budget["type"].unique().to_list() == ["trade"] and budget["roster_id"].to_list() == \
        budget["budget_receiver"].to_list()
    picks = tx.filter(pl.col("action") == "draft_pick")
    assert picks.height == 54 and picks["pick_season"].dtype == pl.Int64  # "2021" arrives as text
    commissioner = tx.filter(pl.col("type") == "commissioner").unique("transaction_id")
    assert commissioner.height == 4 and commissioner["consenter_ids"].null_count() == 4


def test_real_users_rosters_and_ids(server: ReplayServer) -> None:
    _cli("--datasets", "users,rosters,matchups", "--league-id", DYNASTY)
    store = SnapshotStore()
    users = store.read("sleeper", "users", dt=DT)
    assert "username" not in users.columns
    raw_users = real(f"/league/{DYNASTY}/users")
    assert sorted(users["team_name"].drop_nulls().to_list()) == sorted(
        u["metadata"]["team_name"] for u in raw_users if (u["metadata"] or {}).get("team_name"))
    assert users["is_owner"].sum() == sum(bool(u["is_owner"]) for u in raw_users)
    rosters = store.read("sleeper", "rosters", dt=DT).unique("roster_id").sort("roster_id")
    first = real(f"/league/{DYNASTY}/rosters")[0]["settings"]
    one = rosters.row(0, named=True)
    assert one["fpts"] == pytest.approx(first["fpts"] + first["fpts_decimal"] / 100)
    assert one["ppts"] == pytest.approx(first["ppts"] + first["ppts_decimal"] / 100)
    assert one["record"] == "LWWWWLLWLWW" and len(one["record"]) == first["wins"] + first["losses"]
    assert rosters.filter(pl.col("co_owners").is_not_null()).height == 1
    # the matchup files were recorded in October 2020, the league record in November: weeks 1-4 carry points,
    # later weeks answer 0 for every roster (not yet played when recorded), so they cannot reproduce fpts
    games = store.read("sleeper", "matchups", dt=DT)
    by_week = games.group_by("week").agg(pl.col("points").sum()).sort("week")
    assert by_week.filter(pl.col("week") <= 4)["points"].min() > 0
    assert by_week.filter(pl.col("week") > 4)["points"].max() == 0
    assert games["starters_points"].null_count() == games.height  # not sent in 2020: null, not invented


def test_real_season_walk_one_request_per_endpoint_and_week(server: ReplayServer) -> None:
    _cli("--datasets", "transactions,matchups,brackets", "--league-id", DYNASTY)
    paths = Counter(r.path for r in server.requests)
    assert max(paths.values()) == 1  # league record, state/nfl: fetched once and shared by the datasets
    assert sum(p.startswith(f"/league/{DYNASTY}/transactions/") for p in paths) == 18
    assert sorted(int(p.rsplit("/", 1)[1]) for p in paths if "/matchups/" in p) == list(range(1, 13))
    assert paths["/state/nfl"] == 1


def test_real_previous_league_chain_and_second_league(server: ReplayServer) -> None:
    _cli("--datasets", "league", "--league-id", DYNASTY, "--seasons", "2019-2020")
    leagues = SnapshotStore().read("sleeper", "league", dt=DT).sort("season")
    assert leagues.select("league_id", "season", "previous_league_id").rows() == [
        ("386236959468675072", 2019, None), (DYNASTY, 2020, "386236959468675072")]  # "0" ends the chain
    _cli("--datasets", "users,rosters,traded_picks,drafts,matchups", "--league-id", OTHER)
    store = SnapshotStore()
    assert store.read("sleeper", "users", dt=DT).height == len(real(f"/league/{OTHER}/users"))
    matchups = store.read("sleeper", "matchups", dt=DT)
    assert matchups.height == 12 * 12 and matchups["league_id"].unique().to_list() == [OTHER]


def test_real_responses_pass_the_sleeper_checks(server: ReplayServer) -> None:
    results = ingest_sleeper(["rosters", "transactions", "matchups"], league_id=DYNASTY, dt=DT)
    store = SnapshotStore()
    findings = sleeper_checks(results, store)
    codes = {f.code: f.severity.value for f in findings}
    assert not [f for f in findings if f.is_error], [f.message for f in findings if f.is_error]
    assert codes["matchup_points_skipped"] == "info"  # 2020 responses carry no starters_points
    assert "transaction_leg_order" not in codes  # waivers one leg late are normal, never more
    counts = status_counts(store.read("sleeper", "transactions", dt=DT))
    assert (counts["complete"].sum(), counts["failed"].sum(), counts["failed_without_reason"].sum()) == (383, 199, 0)
