"""The analyst cookbook's queries and the marts they rely on, on the warehouse built from the recordings.

Every SQL block of docs/analyst_cookbook.md runs and returns rows; the per-franchise marts list every franchise;
each Sleeper trade appears once in the transaction fact; the trade values read the KTC snapshot current on the
trade date (a second, older KTC snapshot is added to a copy of the data root for that).
"""

from __future__ import annotations

import re
import shutil
import uuid
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot
from ff_analytics.transform import run_project_dbt
from tests.dbt.conftest import BuiltProject

pytestmark = pytest.mark.slow
COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "analyst_cookbook.md"
SECTION = re.compile(r"^## (\d+)\. (.+?)$(.*?)(?=^## |\Z)", re.S | re.M)
SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)
# Questions whose healthy answer on the recordings is "none": every rostered player resolves to a player id there.
# The query must run on a non-empty mart; an empty answer is then the answer.
EMPTY_IS_THE_ANSWER = {"10": "main_marts.mrt_contract_value"}
PER_FRANCHISE_MARTS = ["mrt_cap_situation", "mrt_roster_values", "mrt_franchise_coverage", "mrt_cap_plan",
                       "mrt_roster_depth", "mrt_contract_value"]
OLD_KTC_DT = "2024-03-01"


def _query(db: Path, sql: str) -> list[tuple]:
    """Query a copy: dbt-duckdb may keep its own connection to the file open in this process."""
    copy = db.with_name(f"copy-{uuid.uuid4().hex[:8]}.duckdb")
    shutil.copyfile(db, copy)
    wal = Path(f"{db}.wal")
    if wal.exists():
        shutil.copyfile(wal, f"{copy}.wal")
    try:
        with duckdb.connect(str(copy), read_only=True) as con:
            return con.execute(sql).fetchall()
    finally:
        copy.unlink()
        Path(f"{copy}.wal").unlink(missing_ok=True)


def cookbook_queries() -> list[tuple[str, str]]:
    """(title, sql) for every numbered section's SQL block."""
    text = COOKBOOK.read_text()
    out = []
    for number, title, body in SECTION.findall(text):
        blocks = SQL_BLOCK.findall(body)
        assert len(blocks) == 1, f"cookbook section {number} ({title}) must hold exactly one sql block"
        out.append((f"{number}. {title}", blocks[0]))
    return out


def test_cookbook_answers_at_least_ten_questions() -> None:
    assert len(cookbook_queries()) >= 10


@pytest.mark.parametrize(("title", "sql"), cookbook_queries(), ids=[t.split(".")[0] for t, _ in cookbook_queries()])
def test_cookbook_query_runs_and_answers(built_project: BuiltProject, title: str, sql: str) -> None:
    rows = _query(built_project.duckdb_path, sql)
    number = title.split(".")[0]
    if number in EMPTY_IS_THE_ANSWER:
        [(mart_rows,)] = _query(built_project.duckdb_path, f"select count(*) from {EMPTY_IS_THE_ANSWER[number]}")
        assert mart_rows > 0, f"cookbook query '{title}': {EMPTY_IS_THE_ANSWER[number]} is empty"
        return
    assert rows, f"cookbook query '{title}' returned no rows"


def test_per_franchise_marts_list_every_franchise(built_project: BuiltProject) -> None:
    db = built_project.duckdb_path
    franchises = {r[0] for r in _query(db, "select franchise_id from main_core.dim_franchise")}
    assert len(franchises) == 12
    for mart in PER_FRANCHISE_MARTS:
        listed = {r[0] for r in _query(db, f"select distinct franchise_id from main_marts.{mart}")}
        assert listed == franchises, f"{mart} misses {sorted(franchises - listed)}"
    per_season = _query(db, "select season, count(*) from main_marts.mrt_cap_situation group by all")
    assert per_season and all(n == 12 for _, n in per_season), per_season
    absent = _query(db, "select franchise_id, missing_reason from main_marts.mrt_cap_plan "
                        "where not has_data and seasons_from_now = 0 order by 1")
    # The recordings hold 9 of the 12 GM tabs: the other three are rows that say why.
    assert [f for f, _ in absent] == ["F005", "F011", "F012"]
    assert all("no GM tab" in reason for _, reason in absent)


def test_every_sleeper_trade_appears_once(built_project: BuiltProject) -> None:
    db = built_project.duckdb_path
    sleeper_trades = _query(db, "select distinct 'sleeper:' || league_id || ':' || transaction_id "
                                "from main_staging.stg_sleeper__transactions "
                                "where transaction_type = 'trade' and status = 'complete'")
    assert sleeper_trades
    counts = dict(_query(db, "select sleeper_transaction_id, count(distinct transaction_id) "
                             "from main_core.fct_league_transactions "
                             "where transaction_type = 'trade' and sleeper_transaction_id is not null group by 1"))
    assert {t for (t,) in sleeper_trades} == set(counts)
    assert set(counts.values()) == {1}
    vocabulary = {r[0] for r in _query(db, "select distinct transaction_type from main_core.fct_league_transactions")}
    assert "trade" in vocabulary and not vocabulary & {"Trade", "FA", "Waivers", "free agent"}
    statuses = built_project.build.statuses()
    assert statuses["test.ff_analytics.assert_sleeper_trades_appear_once"] == "pass"
    assert statuses["test.ff_analytics.assert_cap_plan_reconciles_with_sheet"] == "pass"
    assert statuses["test.ff_analytics.assert_dead_cap_rule_reproduces_sheet_cuts"] == "pass"
    assert statuses["test.ff_analytics.assert_franchises_have_sheet_data"] == "warn"


def test_player_value_is_built_by_the_main_build(built_project: BuiltProject) -> None:
    rows = _query(built_project.duckdb_path,
                  "select count(*), count(vor), count(ktc_value), count(surplus_value), count(franchise_id) "
                  "from main_marts.mrt_player_value")
    total, with_vor, with_ktc, with_surplus, rostered = rows[0]
    assert total > 0 and with_vor > 0 and with_ktc > 0 and with_surplus > 0 and rostered > 0


@pytest.fixture(scope="module")
def two_ktc_snapshots(sample_store: SnapshotStore, tmp_path_factory: pytest.TempPathFactory) -> SnapshotStore:
    """A copy of the sample root with an older KTC snapshot (every value halved) below the current one."""
    root = tmp_path_factory.mktemp("ktc_history") / "data"
    shutil.copytree(sample_store.root.base, root)
    store = SnapshotStore(DataRoot(str(root)))
    for dataset in ("players", "picks"):
        current = store.registry.current("ktc", dataset)
        assert current is not None
        frame = pl.read_parquet(store.files("ktc", dataset, dt=current.snapshot_date))
        older = frame.with_columns((pl.col("value") // 2).alias("value"))
        store.write("ktc", dataset, older, dt=OLD_KTC_DT)
        store.registry.promote("ktc", dataset, OLD_KTC_DT, allow_older=True)
        store.registry.promote("ktc", dataset, current.snapshot_date)  # the newer one is current again
    return store


def test_trade_is_valued_with_the_snapshot_current_on_its_date(two_ktc_snapshots: SnapshotStore,
                                                                tmp_path: Path) -> None:
    db = tmp_path / "ktc_history.duckdb"
    result = run_project_dbt(["build", "--select", "+mrt_trade_values+", "--indirect-selection", "cautious"],
                             store=two_ktc_snapshots, warehouse_path=db)
    failed = {k: v for k, v in result.statuses().items() if v not in ("success", "pass", "warn")}
    assert result.success and not failed, failed
    assert result.statuses()["test.ff_analytics.assert_trade_values_use_as_of_snapshot"] == "pass"
    compiled = (Path(two_ktc_snapshots.root.base) / "warehouse" / "dbt_target" / "compiled" / "ff_analytics" / "tests"
                / "assert_trade_values_use_as_of_snapshot.sql").read_text()
    assert f"date '{OLD_KTC_DT}'" in compiled  # the dbt test compared trades with the macro's as_of choice
    newest = two_ktc_snapshots.registry.current("ktc", "players").snapshot_date
    rows = _query(db, "select transaction_id, trade_date, ktc_then_snapshot_dt, ktc_then_is_before_trade, "
                      "ktc_now_snapshot_dt, side_a_value_then, side_a_value_now from main_marts.mrt_trade_values "
                      f"where trade_date >= date '{OLD_KTC_DT}' and side_a_value_now > 0")
    assert rows, "no trade after the older snapshot with a valued asset"
    for _, trade_date, then_dt, before, now_dt, then_value, now_value in rows:
        assert then_dt == date.fromisoformat(OLD_KTC_DT) and before, (trade_date, then_dt)
        assert str(now_dt) == newest
        assert then_value < now_value  # the older snapshot's values are halved
    older_trades = _query(db, "select count(*) filter (where ktc_then_is_before_trade), count(*) "
                              f"from main_marts.mrt_trade_values where trade_date < date '{OLD_KTC_DT}'")
    assert older_trades[0][0] == 0 and older_trades[0][1] > 0
