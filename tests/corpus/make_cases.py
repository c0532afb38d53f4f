"""Regenerate the corpus inputs that are derived from the repo's recordings (run by hand, not by the tests).

``uv run python tests/corpus/make_cases.py`` rewrites the bad inputs below from ``recordings/`` and
``config/`` so each one is a realistic response or file with exactly one thing wrong. The ``*.case.yaml``
sidecars (target and expected error) are written by hand; so are the small inputs not listed here.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import polars as pl

from ff_analytics.replay.ktc import recorded_pages
from ff_analytics.replay.sheets import load_recorded_spreadsheet
from ff_analytics.sources.ktc.page import extract_assets
from ff_analytics.sources.sheets.pii import redact_grid

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REC = REPO / "recordings"
LEAGUE = "1230330435511275520"


def _json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def sleeper() -> None:
    out = HERE / "sleeper"
    base = REC / "sleeper" / "responses" / "league" / LEAGUE
    rosters = json.loads((base / "rosters.json").read_text(encoding="utf-8"))
    users = json.loads((base / "users.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(rosters)
    del broken[3]["owner_id"]
    _json(out / "rosters_missing_owner_id.json", broken)
    broken = copy.deepcopy(rosters)
    broken[0]["roster_id"] = "first"
    _json(out / "rosters_roster_id_not_a_number.json", broken)
    _json(out / "users_duplicate_user_id.json", [*users, {**users[0], "display_name": "SomeoneElse"}])
    _json(out / "users_wrapped_in_object.json", {"users": users})
    text = json.dumps(users)
    (out / "users_truncated_json.json").write_text(text[: len(text) // 2], encoding="utf-8")
    broken = copy.deepcopy(rosters)
    broken[0]["co_owners"] = users[1]["user_id"]  # one id where Sleeper sends a list
    _json(out / "rosters_co_owners_not_a_list.json", broken)
    broken = copy.deepcopy(rosters)
    broken[0]["settings"]["fpts"] = "lots"
    _json(out / "rosters_fpts_not_a_number.json", broken)
    _json(out / "users_missing_display_name.json", [{k: v for k, v in u.items() if k != "display_name"}
                                                    if i == 2 else u for i, u in enumerate(users)])


def ktc() -> None:
    out = HERE / "ktc"
    page = recorded_pages()[0].decode()
    assets = extract_assets(page, url="recorded page")

    def var_page(items: object, *, one_qb: bool = True) -> str:
        """The real page's two arrays (here with the same assets), or playersArray alone."""
        second = f"\nvar oneQBPlayers = {json.dumps(items)};" if one_qb else ""
        return f"<html><body><script>var playersArray = {json.dumps(items)};{second}</script></body></html>\n"

    dupes = [*assets[:6], assets[2]]
    (out / "duplicate_player_ids.html").write_text(var_page(dupes), encoding="utf-8")
    no_scope = copy.deepcopy(assets[:6])
    no_scope[4]["oneQBValues"].pop("value")
    (out / "asset_without_1qb_value.html").write_text(var_page(no_scope), encoding="utf-8")
    no_fields = copy.deepcopy(assets[:6])
    del no_fields[1]["position"]
    (out / "asset_missing_position.html").write_text(var_page(no_fields), encoding="utf-8")
    wrong_type = copy.deepcopy(assets[:6])
    wrong_type[3]["oneQBValues"]["value"] = "high"
    (out / "value_is_text.html").write_text(var_page(wrong_type), encoding="utf-8")
    (out / "page_without_one_qb_players.html").write_text(var_page(assets[:6], one_qb=False), encoding="utf-8")
    bad_birthday = copy.deepcopy(assets[:6])
    next(a for a in bad_birthday if a.get("birthday"))["birthday"] = "May 21, 1996"
    (out / "birthday_not_a_unix_time.html").write_text(var_page(bad_birthday), encoding="utf-8")
    good = json.dumps(assets[:2])
    (out / "malformed_one_qb_array.html").write_text(
        f"<html><body><script>var playersArray = {good};\nvar oneQBPlayers = {good[:len(good) // 2]}"
        "</script></body></html>\n", encoding="utf-8")


def _parquet(path: Path, frame: pl.DataFrame) -> None:
    frame.write_parquet(path)


def nflverse() -> None:
    out = HERE / "nflverse"
    weekly = pl.read_parquet(REC / "nflverse" / "weekly" / "weekly.parquet")
    served = (REC / "nflverse" / "weekly" / "weekly.parquet").read_bytes()
    (out / "weekly_truncated.parquet").write_bytes(served[:4096])
    small = weekly.head(200)
    _parquet(out / "weekly_without_team.parquet", small.drop("team"))
    _parquet(out / "weekly_duplicate_keys.parquet", pl.concat([small, small.head(3)]))
    _parquet(out / "weekly_other_season.parquet", small.with_columns(pl.lit(2023).cast(small.schema["season"])
                                                                       .alias("season")))
    _parquet(out / "weekly_no_rows.parquet", small.head(0))
    ids = pl.read_csv(REC / "nflverse" / "ff_playerids" / "db_playerids.csv", infer_schema_length=0).head(50)
    ids.drop("sleeper_id").write_csv(out / "ff_playerids_without_sleeper_id.csv")


def ffanalytics() -> None:
    out = HERE / "ffanalytics"
    raw = pl.read_parquet(REC / "ffanalytics" / "projections" / "dt=2025-10-25" / "projections_raw_2025-10-25.parquet")
    raw = raw.head(12)
    raw.head(0).write_csv(out / "raw_header_only.csv")
    raw.with_columns(pl.lit("NA").alias("id")).write_csv(out / "raw_no_player_ids.csv")
    raw.drop("pos").write_csv(out / "raw_without_pos_column.csv")
    raw.with_columns(pl.col("pass_yds").cast(pl.String)).with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("lots")).otherwise(pl.col("pass_yds")).alias("pass_yds")
    ).write_csv(out / "raw_text_in_pass_yds.csv")
    pl.concat([raw, raw.head(2)]).write_csv(out / "raw_same_player_twice.csv")
    weights = pl.read_csv(REPO / "config" / "league" / "ffanalytics_projection_weights_mapped.csv",
                          infer_schema_length=0)
    weights.filter(pl.col("site_id") != "fantasypros").write_csv(out / "weights_missing_fantasypros.csv")


def _grid_csv(path: Path, grid: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(redact_grid(grid)[0])
    path.write_text(buf.getvalue(), encoding="utf-8")


def sheets() -> None:
    out = HERE / "sheets"
    tabs = load_recorded_spreadsheet().tabs
    andy = copy.deepcopy(tabs["Andy"])
    andy[3][1] = "Name"
    _grid_csv(out / "andy_renamed_player_header.csv", andy)
    andy = copy.deepcopy(tabs["Andy"])
    andy[4][2] = "$1O"
    _grid_csv(out / "andy_salary_1O.csv", andy)
    chip = copy.deepcopy(tabs["Chip"])
    chip.insert(11, [""] * len(chip[0]))
    _grid_csv(out / "chip_blank_row.csv", chip)
    kevin = copy.deepcopy(tabs["Kevin"])
    kevin[6][0] = "SUPERFLEX"
    _grid_csv(out / "kevin_unknown_slot.csv", kevin)
    trans = copy.deepcopy(tabs["TRANSACTIONS"])
    trans[0][8] = "Deal"
    _grid_csv(out / "transactions_contract_header_renamed.csv", trans[:400])


def store() -> None:
    out = HERE / "store"
    frame = pl.read_parquet(REC / "nflverse" / "weekly" / "weekly.parquet").head(100)
    buf = io.BytesIO()
    frame.write_parquet(buf)
    (out / "weekly_file_truncated.parquet").write_bytes(buf.getvalue()[:-200])
    tabs = load_recorded_spreadsheet().tabs
    from ff_analytics.sources.sheets.grid import grid_to_frame

    buf = io.BytesIO()
    grid_to_frame("Andy", redact_grid(tabs["Andy"])[0]).write_parquet(buf)
    (out / "raw_tab_file_truncated.parquet").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])


def config() -> None:
    out = HERE / "config"
    text = (REPO / "config" / "platform.yaml").read_text(encoding="utf-8")
    bad = text.replace("freshness: {warn_after_days: 1, error_after_days: 7}\n    cadence: {cron: \"30 6",
                       "freshness: {warn_after_days: soon, error_after_days: 7}\n    cadence: {cron: \"30 6", 1)
    assert bad != text, "sleeper freshness line not found in config/platform.yaml"
    (out / "platform_threshold_not_a_number.yaml").write_text(bad, encoding="utf-8")
    bad = text.replace("salary_cap: 250 ", "salary_cap: 250k", 1)
    assert bad != text, "sheets salary_cap line not found in config/platform.yaml"
    (out / "platform_sheets_salary_cap_text.yaml").write_text(bad, encoding="utf-8")
    bad = text.replace("    datasets: [league, users, rosters", "    dataset: [league, users, rosters", 1)
    assert bad != text
    (out / "platform_sleeper_datasets_misspelt.yaml").write_text(bad, encoding="utf-8")
    lines = (REPO / "config" / "league" / "dim_franchise.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[5].split(",")
    fields[6] = fields[6].replace("0", "O", 1)  # season_start "2O13": a letter O typed for a zero
    (out / "dim_franchise_season_with_letter_o.csv").write_text("".join([*lines[:5], ",".join(fields),
                                                                         *lines[6:]]), encoding="utf-8")


if __name__ == "__main__":
    for make in (sleeper, ktc, nflverse, ffanalytics, sheets, store, config):
        (HERE / make.__name__).mkdir(exist_ok=True)
        make()
