"""Sleeper: replay server → connector → snapshot → read back, for every dataset; seasons, players cadence, CLI.

The replay server serves ``recordings/sleeper/responses`` (built from the league's sheet by
``recordings/sleeper/build_fixtures.py``); expected row counts are counted from those recorded responses.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.replay.server import ReplayServer
from ff_analytics.replay.sleeper import build_sleeper_server, recordings_root
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.http import RetryPolicy
from ff_analytics.sources.sleeper import ingest_sleeper, parse_seasons, resolve_datasets
from ff_analytics.sources.sleeper.parsers import SCHEMAS

REPO = Path(__file__).resolve().parents[2]
LEAGUE_2025 = "1230330435511275520"
FAST_RETRY = RetryPolicy(attempts=3, base_delay_seconds=0.01, max_delay_seconds=2.0)  # Retry-After up to 2 s
ALL_DATASETS = ["league", "users", "rosters", "transactions", "traded_picks", "drafts", "draft_picks", "players",
                "state", "matchups", "brackets", "draft_traded_picks"]
SLOT_OF_SHEET_ROW = {"BN": "bench", "IDP BN": "bench", "IR": "reserve", "TAXI": "taxi", "IDP TAXI": "taxi"}


# -- helpers shared with test_sleeper_errors.py -------------------------------------------------------------------
@contextmanager
def sleeper_replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplayServer]:
    """Start the recorded Sleeper API and point the settings at it and at its league (there is no default league)."""
    with build_sleeper_server() as server:
        monkeypatch.setenv("FFA_SLEEPER_BASE_URL", server.url)
        monkeypatch.setenv("FFA_SLEEPER_LEAGUE_ID", LEAGUE_2025)
        get_settings.cache_clear()
        yield server


def recorded(route: str) -> object:
    """The recorded JSON answering ``GET route`` (e.g. "/league/<id>/users")."""
    return json.loads((recordings_root() / f"{route.lstrip('/')}.json").read_text(encoding="utf-8"))


def recorded_leagues() -> list[dict]:
    """Every recorded league, newest first, following previous_league_id from the current one."""
    out, league_id = [], LEAGUE_2025
    while league_id:
        league = recorded(f"/league/{league_id}")
        out.append(league)
        league_id = league["previous_league_id"]
    return out


def partitions(data_root: Path, dataset: str) -> list[str]:
    base = data_root / "raw" / "sleeper" / dataset
    return sorted(p.name for p in base.glob("dt=*")) if base.exists() else []


def expected_rows(leagues: list[dict]) -> dict[str, int]:
    """Row counts each dataset must have, counted straight from the recorded responses."""
    counts = dict.fromkeys(ALL_DATASETS, 0)
    for league in leagues:
        lid = league["league_id"]
        counts["league"] += 1
        counts["users"] += len(recorded(f"/league/{lid}/users"))
        for roster in recorded(f"/league/{lid}/rosters"):
            ids = {*roster["players"], *roster["starters"], *(roster["reserve"] or []), *(roster["taxi"] or [])}
            counts["rosters"] += max(1, len(ids - {"0"}))
        for week in range(1, 19):
            for tx in recorded(f"/league/{lid}/transactions/{week}"):
                items = len(tx["adds"] or {}) + len(tx["drops"] or {}) + len(tx["draft_picks"]) + \
                    len(tx["waiver_budget"])
                counts["transactions"] += max(1, items)
        counts["traded_picks"] += len(recorded(f"/league/{lid}/traded_picks"))
        drafts = recorded(f"/league/{lid}/drafts")
        counts["drafts"] += len(drafts)
        counts["draft_picks"] += sum(len(recorded(f"/draft/{d['draft_id']}/picks")) for d in drafts)
        counts["draft_traded_picks"] += sum(len(recorded(f"/draft/{d['draft_id']}/traded_picks")) for d in drafts)
        base = recordings_root() / "league" / lid
        counts["matchups"] += sum(len(json.loads(f.read_text())) for f in (base / "matchups").glob("*.json"))
        for which in ("winners", "losers"):
            if (base / f"{which}_bracket.json").exists():
                counts["brackets"] += len(recorded(f"/league/{lid}/{which}_bracket"))
    counts["players"] = len(recorded("/players/nfl"))
    counts["state"] = 1
    return counts


# -- round trip ---------------------------------------------------------------------------------------------------
def test_every_dataset_round_trips_with_manifest(monkeypatch: pytest.MonkeyPatch, data_root: Path) -> None:
    with sleeper_replay(monkeypatch) as server:
        results = ingest_sleeper(seasons="2023-2025", dt="2025-10-01", run_id="run-1")
        base_url = server.url
    assert [r.dataset for r in results] == ALL_DATASETS
    assert {r.status for r in results} == {"new"}
    want = expected_rows(recorded_leagues())
    store = SnapshotStore()
    for result in results:
        df = store.read("sleeper", result.dataset, dt=result.dt)
        assert df.height == want[result.dataset] == result.row_count, result.dataset
        assert df.columns == list(SCHEMAS[result.dataset]), result.dataset
        manifest = store.read_manifest("sleeper", result.dataset, "2025-10-01")
        assert manifest.upstream_url.startswith(base_url + "/")
        assert manifest.source_version == "sleeper-api-v1"
        assert manifest.loader.module == "ff_analytics.sources.sleeper.connector"
        assert manifest.run_id == "run-1"
        assert manifest.params["endpoint"] in manifest.upstream_url
    league_manifest = store.read_manifest("sleeper", "transactions", "2025-10-01")
    assert league_manifest.params["seasons"] == [2023, 2024, 2025]
    assert league_manifest.params["league_ids"]["2025"] == LEAGUE_2025
    assert league_manifest.params["weeks"] == "1-18"
    assert league_manifest.coverage.min_season == 2023 and league_manifest.coverage.max_season == 2025
    rows = {(r.dataset, r.status) for r in store.registry.read() if r.source == "sleeper"}
    assert rows == {(d, "pending") for d in ALL_DATASETS}


def test_rosters_are_the_commissioner_sheet_rosters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each GM tab's Active Roster is that franchise's 2025 Sleeper roster, with the same starter/IR/taxi slots."""
    with sleeper_replay(monkeypatch):
        ingest_sleeper(["rosters", "players"], dt="2025-10-01")
    store = SnapshotStore()
    rosters = store.read("sleeper", "rosters", dt="2025-10-01").join(
        store.read("sleeper", "players", dt="2025-10-01").select("player_id", "full_name"), on="player_id")
    aliases = _aliases()
    with open(REPO / "config" / "league" / "dim_franchise.csv", encoding="utf-8") as fh:
        franchises = [r for r in csv.DictReader(fh) if r["is_current_owner"] == "true"]
    checked = 0
    for franchise in franchises:
        tab = REPO / "recordings" / "sheets" / franchise["gm_tab"] / f"{franchise['gm_tab']}.csv"
        if not tab.exists():
            continue
        expected = _sheet_roster(tab, aliases)
        mine = rosters.filter(pl.col("roster_id") == int(franchise["franchise_id"][1:]))
        got = {row["full_name"].lower(): row["slot"] for row in mine.iter_rows(named=True)}
        assert got == expected, franchise["gm_tab"]
        checked += 1
    assert checked == 9


def _aliases() -> dict[str, str]:
    with open(REPO / "config" / "league" / "dim_name_alias.csv", encoding="utf-8") as fh:
        return {r["alias_name"].lower(): r["canonical_name"].lower() for r in csv.DictReader(fh) if not r["position"]}


def _sheet_roster(tab: Path, aliases: dict[str, str]) -> dict[str, str]:
    """Lower-cased player name -> Sleeper slot, from a GM tab's Active Roster block (columns Pos., Player)."""
    with open(tab, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if r[:2] == ["Pos.", "Player"]) + 1
    out = {}
    for kind, name, *_ in rows[start:]:
        if kind.strip() and name.strip():
            clean = name.replace(" (RS)", "").strip().lower()
            clean = aliases.get(clean, clean)
            out[clean] = SLOT_OF_SHEET_ROW.get(kind.strip(), "starter")
    return out


def test_only_the_current_season_without_seasons(monkeypatch: pytest.MonkeyPatch) -> None:
    with sleeper_replay(monkeypatch) as server:
        (result,) = ingest_sleeper(["users"], dt="2025-10-01")
        league_calls = [r.path for r in server.calls("/league/")]
    assert league_calls == [f"/league/{LEAGUE_2025}", f"/league/{LEAGUE_2025}/users"]
    assert result.row_count == len(recorded(f"/league/{LEAGUE_2025}/users"))


def test_seasons_walk_previous_league_id(monkeypatch: pytest.MonkeyPatch) -> None:
    leagues = {int(lg["season"]): lg["league_id"] for lg in recorded_leagues()}
    with sleeper_replay(monkeypatch) as server:
        (result,) = ingest_sleeper(["rosters"], seasons=[2024], dt="2025-10-01")
        called = {r.path for r in server.calls("/league/")}
    df = SnapshotStore().read("sleeper", "rosters", dt="2025-10-01")
    assert df["season"].unique().to_list() == [2024]
    assert df["league_id"].unique().to_list() == [leagues[2024]]
    assert f"/league/{leagues[2024]}/rosters" in called and f"/league/{LEAGUE_2025}/rosters" not in called
    assert f"/league/{leagues[2023]}" not in called  # the walk stops at the oldest season asked for
    assert result.manifest.params["league_ids"] == {"2024": leagues[2024]}


def test_season_outside_the_league_history_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                            data_root: Path) -> None:
    with sleeper_replay(monkeypatch), pytest.raises(SourceError) as err:
        ingest_sleeper(["league", "users"], seasons="2021-2023", dt="2025-10-01")
    message = str(err.value)
    assert "[sleeper/league]" in message and "2021, 2022 not found" in message and "2023, 2024, 2025" in message
    assert partitions(data_root, "league") == [] and partitions(data_root, "users") == []


def test_players_are_downloaded_at_most_once_a_day(monkeypatch: pytest.MonkeyPatch) -> None:
    with sleeper_replay(monkeypatch) as server:
        (first,) = ingest_sleeper(["players"], dt="2025-10-01")
        (again,) = ingest_sleeper(["players"], dt="2025-10-01")
        assert len(server.calls("/players/nfl")) == 1
        (forced,) = ingest_sleeper(["players"], dt="2025-10-01", force_players=True)
        assert len(server.calls("/players/nfl")) == 2
        (next_day,) = ingest_sleeper(["players"], dt="2025-10-02")
        assert len(server.calls("/players/nfl")) == 3
    assert (first.status, again.status, forced.status) == ("new", "unchanged", "unchanged")
    assert again.manifest.content_hash == first.manifest.content_hash and again.row_count == first.row_count
    assert next_day.status == "new"  # nothing current yet: a new day's pending snapshot


def test_players_dump_carries_cross_ids() -> None:
    players = recorded("/players/nfl")
    rostered = {pid for roster in recorded(f"/league/{LEAGUE_2025}/rosters") for pid in roster["players"]}
    assert rostered <= set(players)
    people = [players[pid] for pid in rostered if players[pid]["position"] != "DEF"]
    assert all(p["full_name"] and p["position"] and "gsis_id" in p and "espn_id" in p for p in people)
    assert any(p["gsis_id"] for p in people)
    assert all(p["team"] or (p["status"] == "Inactive" and not p["active"]) for p in people)  # FA: no team


def test_users_are_handles_not_people() -> None:
    users = recorded(f"/league/{LEAGUE_2025}/users")
    with open(REPO / "config" / "league" / "dim_franchise.csv", encoding="utf-8") as fh:
        owners = {r["owner_name"].lower() for r in csv.DictReader(fh)}
    text = json.dumps(users).lower()
    assert "@" not in text
    assert not any(u["display_name"].lower() in owners for u in users)
    assert not any("username" in u for u in users)  # the real endpoint has no such field


def test_argument_checks() -> None:
    assert parse_seasons("2020-2022,2024") == [2020, 2021, 2022, 2024]
    assert resolve_datasets("users, rosters") == ["users", "rosters"]
    for bad in ("2024-2020", "twenty", "1999"):
        with pytest.raises(ConfigError):
            parse_seasons(bad)
    with pytest.raises(ConfigError, match="unknown dataset"):
        resolve_datasets(["boxscores"])


def test_cli_prints_rows_dt_path_and_status(monkeypatch: pytest.MonkeyPatch, data_root: Path) -> None:
    from ff_analytics.cli.main import app

    with sleeper_replay(monkeypatch):
        first = CliRunner().invoke(app, ["ingest", "sleeper", "--datasets", "users,state", "--seasons", "2024-2025",
                                         "--dt", "2025-10-01"])
        second = CliRunner().invoke(app, ["ingest", "sleeper", "--datasets", "state", "--dt", "2025-10-01"])
    assert first.exit_code == 0, first.output
    users = sum(len(recorded(f"/league/{lg['league_id']}/users")) for lg in recorded_leagues()[:2])
    assert f"users: {users} rows, dt=2025-10-01, new" in first.output
    assert "state: 1 rows, dt=2025-10-01, new" in first.output
    assert "raw/sleeper/users/dt=2025-10-01" in first.output.replace("\n", "")
    assert second.exit_code == 0 and "state: 1 rows, dt=2025-10-01, unchanged" in second.output


def test_samples_ingest_the_recordings_without_a_configured_server(data_root: Path) -> None:
    """--samples serves the recordings itself (no FFA_SLEEPER_BASE_URL), every recorded season, into _samples/."""
    assert get_settings().sleeper_base_url.startswith("https://api.sleeper.app")  # would fail offline if called
    results = ingest_sleeper(["league", "rosters"], samples=True, dt="2025-10-01")
    assert [r.row_count for r in results] == [3, expected_rows(recorded_leagues())["rosters"]]
    assert all("/raw/sleeper/_samples/" in r.path for r in results)
    assert SnapshotStore().read("sleeper", "league", dt="2025-10-01", samples=True)["season"].sort().to_list() == \
        [2023, 2024, 2025]
    assert not [r for r in SnapshotStore().registry.read() if r.source == "sleeper"]  # samples are not registered
