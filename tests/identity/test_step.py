"""The pipeline step against a real store: snapshot written once, unchanged inputs publish nothing, bad overrides
write nothing, and the match-quality findings name what is wrong."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ff_analytics.errors import ConfigError, SnapshotError
from ff_analytics.findings import Severity
from ff_analytics.identity import identity_findings, resolve_player_identity
from ff_analytics.identity.quality import QualityPolicy, RateBounds, load_policy, suspect_matches
from ff_analytics.identity.resolver import OUTPUT_SCHEMA
from ff_analytics.snapshots.store import SnapshotStore
from tests.identity.conftest import REPO, playerids_frame, teams_frame


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    league = tmp_path / "config" / "league"
    league.mkdir(parents=True)
    shutil.copy(REPO / "config" / "league" / "dim_name_alias.csv", league / "dim_name_alias.csv")
    (league / "player_overrides.csv").write_text("source,source_key,player_name,player_id,reason\n")
    return tmp_path / "config"


def _contracts(names: list[tuple[str, str | None, str]]) -> pl.DataFrame:
    return pl.DataFrame([{"franchise_id": "F001", "gm_tab": "Andy", "roster_slot": slot, "position": pos,
                          "player_name": name, "season": 2025, "salary": 1} for name, pos, slot in names])


def _write(store: SnapshotStore, source: str, dataset: str, frame: pl.DataFrame, dt: str) -> None:
    """Write and promote, as a run does before the identity step reads the current snapshots."""
    store.write(source, dataset, frame, dt=dt)
    store.registry.promote(source, dataset, dt)


def _resolve(store: SnapshotStore, dt: str, config_dir: Path):
    result = resolve_player_identity(store, dt=dt, config_dir=config_dir)
    if result.status != "unchanged":
        store.registry.promote("identity", "player_identity", result.dt.isoformat())
    return result


@pytest.fixture
def store() -> SnapshotStore:
    store = SnapshotStore()
    _write(store, "nflverse", "ff_playerids", playerids_frame(), "2025-10-01")
    _write(store, "nflverse", "teams", teams_frame(), "2025-10-01")
    _write(store, "sheets", "contracts_active", _contracts([
        ("Josh Allen", "QB", "QB"), ("Josh Allen", None, "IDP BN"), ("Philadelphia Eagles", "D/ST", "D/ST"),
        ("Lamar Jackson", None, "IR"), ("DeAdnre Hokins", None, "BN")]), "2025-10-01")
    _write(store, "ktc", "players", pl.DataFrame({"ktc_id": [590, 1283], "player_name": ["Josh Allen", "Josh Allen"],
                                                "position": ["QB", "DL"], "team": ["BUF", "JAX"],
                                                "asset_type": ["player", "player"]}), "2025-10-01")
    return store


def test_writes_once_then_unchanged(store: SnapshotStore, config_dir: Path) -> None:
    first = _resolve(store, "2025-10-02", config_dir)
    assert first.status == "new"
    table = store.read("identity", "player_identity", "2025-10-02")
    assert dict(table.schema) == OUTPUT_SCHEMA
    ktc = dict(table.filter(pl.col("source") == "ktc").select("source_key", "player_id").iter_rows())
    assert ktc == {"590": "13589", "1283": "13604"}
    sheet = dict(table.filter(pl.col("source") == "sheets").select("source_key", "player_id").iter_rows())
    assert sheet["Josh Allen|QB"] == "13589" and sheet["Josh Allen|IDP BN"] == "13604"
    assert sheet["Philadelphia Eagles|D/ST"] == "DST-PHI" and sheet["Lamar Jackson|IR"] is None
    rates = first.manifest.params["match_rates"]
    assert rates["sheets/contracts_active"]["rostered"] == 5
    assert rates["sheets/contracts_active"]["rostered_resolved"] == 4
    assert rates["ktc/players"]["key_rate_pct"] == 100.0
    again = _resolve(store, "2025-10-03", config_dir)
    assert again.status == "unchanged" and again.dt == first.dt
    assert again.manifest.content_hash == first.manifest.content_hash
    assert store.partition_dates("identity", "player_identity") == [first.dt]


def test_override_applies_and_missing_id_is_an_error(store: SnapshotStore, config_dir: Path) -> None:
    overrides = config_dir / "league" / "player_overrides.csv"
    overrides.write_text("source,source_key,player_name,player_id,reason\n"
                         "sheets,,Lamar Jackson,15001,the CB: the analyst checked the sheet's IR slot\n")
    _resolve(store, "2025-10-02", config_dir)
    row = store.read("identity", "player_identity").filter(pl.col("source_key") == "Lamar Jackson|IR").row(
        0, named=True)
    assert (row["player_id"], row["method"]) == ("15001", "override")
    overrides.write_text("source,source_key,player_name,player_id,reason\n"
                         "sheets,Josh Allen|IDP BN,,99999999,typo in the id\n")
    with pytest.raises(ConfigError, match="99999999.*not in the crosswalk"):
        resolve_player_identity(store, dt="2025-10-05", config_dir=config_dir)
    assert store.partition_dates("identity", "player_identity") == [date(2025, 10, 2)]
    assert store.registry.current("identity", "player_identity").snapshot_date == "2025-10-02"


def test_no_crosswalk_is_a_clear_error(config_dir: Path) -> None:
    with pytest.raises(SnapshotError, match="ff_playerids"):
        resolve_player_identity(SnapshotStore(), dt="2025-10-02", config_dir=config_dir)


def test_findings_name_rostered_misses_and_falling_rates(store: SnapshotStore, config_dir: Path) -> None:
    _resolve(store, "2025-10-02", config_dir)
    policy = QualityPolicy(match_rates={"default": RateBounds(warn_below_pct=90, error_below_pct=50)},
                           rostered=RateBounds(warn_below_pct=99, error_below_pct=50), rate_drop_warn_pct=1.0)
    findings = identity_findings(store, policy=policy)
    lamar = [f for f in findings if f.code == "identity_rostered_unresolved"]
    assert len(lamar) == 1 and "Lamar Jackson" in lamar[0].message and "15001" in lamar[0].message
    assert lamar[0].severity is Severity.warning
    assert any(f.code == "identity_rostered_rate_low" for f in findings)
    # a worse sheet: the rate falls and that is a warning too
    _write(store, "sheets", "contracts_active", _contracts([("Josh Allen", "QB", "QB"), ("Nobody Atall", "WR", "WR")]),
           "2025-10-04")
    _resolve(store, "2025-10-04", config_dir)
    fell = [f for f in identity_findings(store, "2025-10-04", policy=policy) if f.code == "identity_match_rate_fell"]
    assert fell and "sheets/contracts_active" in fell[0].message and "80.0% to 50.0%" in fell[0].message


def test_policy_block_of_the_real_config_loads() -> None:
    policy = load_policy(REPO / "config" / "platform.yaml")
    assert policy.bounds_for("sheets/contracts_active").warn_below_pct == 99
    assert policy.bounds_for("nflverse/players").error_below_pct == 10   # dataset over source
    assert policy.bounds_for("ktc/players") == policy.match_rates["default"]
    assert policy.rostered.warn_below_pct == 99


def test_suspect_matches_flags_family_and_team_disagreements(xwalk) -> None:
    table = pl.DataFrame({
        "source": ["ktc", "ktc", "sheets"], "source_team": ["BUF", "NYJ", None],
        "position_families": ["QB", "SKILL", "FRONT"], "status": ["resolved"] * 3,
        "method": ["name_position_team", "name_position_team", "override"], "player_id": ["13589", "12650", "13589"]})
    suspects = suspect_matches(table, xwalk.players)
    assert suspects.select("player_id", "suspect").rows() == [("12650", "team")]
