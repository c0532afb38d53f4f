"""nflverse round trips: replay server (recorded files at nflreadpy's release paths) → connector → snapshot → read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import nflreadpy.downloader
import polars as pl
import pytest
from typer.testing import CliRunner

from ff_analytics.cli.main import app
from ff_analytics.replay.nflverse import build_nflverse_server, release_path
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.http import RetryPolicy
from ff_analytics.sources.nflverse import DATASETS, ingest_nflverse
from ff_analytics.sources.nflverse.mirror import REPOSITORY_PATHS, mirrored_base_urls
from tests.sources.nflverse_clock import frozen_season  # noqa: F401 - autouse fixture

REC = Path(__file__).resolve().parents[2] / "recordings" / "nflverse"
DT = "2025-10-26"
FAST = RetryPolicy(attempts=3, base_delay_seconds=0.01, max_delay_seconds=0.05)


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch):
    with build_nflverse_server(extra_seasons=[2023]) as server:
        monkeypatch.setenv("FFA_NFLVERSE_BASE_URL", server.url)
        get_settings.cache_clear()
        yield server


def recorded(dataset: str) -> pl.DataFrame:
    files = {"weekly": "weekly/weekly.parquet", "snap_counts": "snap_counts/snap_counts.parquet",
             "ff_opportunity": "ff_opportunity/ff_opportunity.parquet", "schedule": "schedule/schedule.parquet",
             "teams": "teams/teams.parquet", "players": "players/players.parquet"}
    if dataset == "ff_playerids":
        return pl.read_csv(REC / "ff_playerids" / "db_playerids.csv", null_values=["NA"], infer_schema=False)
    return pl.read_parquet(REC / files[dataset])


def test_every_dataset_round_trips_with_recorded_row_counts(mirror) -> None:
    store = SnapshotStore()
    results = ingest_nflverse(None, [2024], store=store, dt=DT, retry=FAST)
    assert [r.dataset for r in results] == list(DATASETS)
    for r in results:
        expected = recorded(r.dataset)
        back = store.read("nflverse", r.dataset, dt=DT)
        assert r.status == "new", r.dataset
        assert back.height == expected.height == r.row_count, r.dataset
        assert set(expected.columns) <= set(back.columns), r.dataset
        assert Path(r.path, "_meta.json").exists()
    ids = store.read("nflverse", "ff_playerids", dt=DT)
    assert {c: ids.schema[c] for c in ("gsis_id", "sleeper_id", "ktc_id", "mfl_id", "espn_id")} == \
        dict.fromkeys(("gsis_id", "sleeper_id", "ktc_id", "mfl_id", "espn_id"), pl.String)
    assert ids.filter(pl.col("name") == "Bijan Robinson").select("gsis_id", "ktc_id").row(0) == ("00-0038542", "1001")


def test_each_file_is_requested_once_at_nflreadpys_release_paths(mirror) -> None:
    ingest_nflverse(None, [2024], dt=DT, retry=FAST)
    paths = sorted(r.path for r in mirror.requests)
    assert paths == sorted([
        "/nflverse/nflverse-data/releases/download/stats_player/stats_player_week_2024.parquet",
        "/nflverse/nflverse-data/releases/download/snap_counts/snap_counts_2024.parquet",
        "/ffverse/ffopportunity/releases/download/latest-data/ep_weekly_2024.parquet",
        "/nflverse/nflverse-data/releases/download/schedules/games.parquet",
        "/nflverse/nflverse-data/releases/download/teams/teams_colors_logos.parquet",
        "/nflverse/nflverse-data/releases/download/players/players.parquet",
        "/dynastyprocess/data/raw/master/files/db_playerids.csv",
    ])
    assert all(r.headers.get("User-Agent", "").startswith("ff-analytics/") for r in mirror.requests)


def test_multi_season_load_keeps_every_season_in_one_snapshot(mirror) -> None:
    store = SnapshotStore()
    results = ingest_nflverse(["weekly", "snap_counts", "ff_opportunity", "schedule"], "2023-2024", store=store,
                              dt=DT, retry=FAST)
    for r in results:
        back = store.read("nflverse", r.dataset, dt=DT)
        one_season = recorded(r.dataset).height
        assert back.height == 2 * one_season, r.dataset
        assert sorted(back.get_column("season").cast(pl.Int64).unique().to_list()) == [2023, 2024], r.dataset
        assert store.partition_dates("nflverse", r.dataset) == [date(2025, 10, 26)]  # one snapshot per day
        assert r.manifest.params["seasons"] == [2023, 2024]
    weekly = results[0].manifest
    assert weekly.coverage.min_season == 2023 and weekly.coverage.max_season == 2024
    assert weekly.upstream_url == f"{mirror.url}/nflverse/nflverse-data/releases/download/stats_player/" \
                                  "stats_player_week_{season}.parquet"
    assert len(weekly.params["urls"]) == 2


def test_seasons_fetched_at_once_equal_nflreadpys_own_multi_season_load(mirror) -> None:
    """Per-season files are downloaded concurrently; the frame must be what nflreadpy builds sequentially, and
    the URLs must come back in season order whichever download finished first."""
    from ff_analytics.sources.nflverse.connector import fetch_dataset
    from ff_analytics.sources.nflverse.mirror import nflreadpy_downloader

    for name in ("weekly", "snap_counts", "ff_opportunity"):
        spec = DATASETS[name]
        with nflreadpy_downloader(mirror.url, retry=FAST) as downloader:
            frame, urls = fetch_dataset(spec, [2023, 2024], downloader)
            downloader.columns = None  # nflreadpy's sequential load of every column, for comparison
            sequential = spec.load([2023, 2024])
        assert [u.rsplit("_", 1)[-1] for u in urls] == ["2023.parquet", "2024.parquet"], name
        assert frame.equals(sequential.select(frame.columns)), name


def test_manifest_records_upstream_url_version_and_params(mirror) -> None:
    (result,) = ingest_nflverse(["ff_opportunity"], [2024], dt=DT, retry=FAST)
    m = SnapshotStore().read_manifest("nflverse", "ff_opportunity", DT)
    assert m.upstream_url == f"{mirror.url}/ffverse/ffopportunity/releases/download/latest-data/ep_weekly_2024.parquet"
    assert m.source_version == "nflreadpy 0.1.5"
    assert m.params == {"stat_type": "weekly", "model_version": "latest", "seasons": [2024], "mirror": mirror.url,
                        "urls": [m.upstream_url]}
    assert m.loader.module == "ff_analytics.sources.nflverse.connector"
    assert SnapshotStore().registry.rows_for("nflverse", "ff_opportunity")[0].status == "pending"


def test_same_data_again_is_unchanged_and_new_data_replaces(mirror) -> None:
    first = ingest_nflverse(["teams"], dt=DT, retry=FAST)[0]
    again = ingest_nflverse(["teams"], dt=DT, retry=FAST)[0]
    assert (first.status, again.status) == ("new", "unchanged")
    fewer = recorded("teams").filter(pl.col("season") >= 2020)
    mirror.add(release_path("nflverse-data", "teams/teams_colors_logos.parquet"), _parquet(fewer),
               content_type="application/octet-stream")
    changed = ingest_nflverse(["teams"], dt=DT, retry=FAST)[0]
    assert changed.status == "replaced" and changed.row_count == fewer.height


def test_nflreadpy_cache_never_hides_the_mirror(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two mirrors serving different data on the same paths: each run sees its own mirror's data."""
    results = []
    for keep_from in (2002, 2020):
        teams = recorded("teams").filter(pl.col("season") >= keep_from)
        with build_nflverse_server() as server:
            server.add(release_path("nflverse-data", "teams/teams_colors_logos.parquet"), _parquet(teams))
            monkeypatch.setenv("FFA_NFLVERSE_BASE_URL", server.url)
            get_settings.cache_clear()
            results.append(ingest_nflverse(["teams"], dt=DT, retry=FAST)[0].row_count)
            assert len(server.calls("/nflverse")) == 1
    assert results == [recorded("teams").height, recorded("teams").filter(pl.col("season") >= 2020).height]
    assert type(nflreadpy.downloader.get_downloader()) is nflreadpy.downloader.NflverseDownloader  # restored


def test_mirror_keeps_nflreadpys_paths_and_swaps_the_host() -> None:
    urls = mirrored_base_urls("http://127.0.0.1:9/mirror/")
    assert urls["nflverse-data"] == "http://127.0.0.1:9/mirror/nflverse/nflverse-data/releases/download/"
    assert urls["dynastyprocess"] == "http://127.0.0.1:9/mirror/dynastyprocess/data/raw/master/files/"
    assert set(urls) == set(REPOSITORY_PATHS) == set(nflreadpy.downloader.NflverseDownloader.BASE_URLS)


def test_mirror_with_a_path_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    with build_nflverse_server() as server:
        original = list(server._routes.items())
        for (method, path), handler in original:
            server._routes[(method, "/mirror" + path)] = handler
        (result,) = ingest_nflverse(["players"], base_url=server.url + "/mirror", dt=DT, retry=FAST)
        assert result.row_count == recorded("players").height
        assert [r.path for r in server.requests] == ["/mirror/nflverse/nflverse-data/releases/download/"
                                                     "players/players.parquet"]


def test_samples_flag_reads_the_recordings_into_the_samples_area() -> None:
    results = ingest_nflverse(["weekly", "ff_playerids"], samples=True, dt=DT)
    store = SnapshotStore()
    assert [r.row_count for r in results] == [recorded("weekly").height, recorded("ff_playerids").height]
    assert all("/_samples/" in r.path for r in results)
    assert store.read("nflverse", "weekly", dt=DT, samples=True).height == recorded("weekly").height
    assert store.registry.read() == []  # samples never enter the registry


def test_cli_prints_rows_dt_path_and_status(mirror) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["ingest", "nflverse", "--datasets", "weekly", "schedule", "--seasons", "2024",
                              "--dt", DT])
    assert out.exit_code == 0, out.output
    assert "weekly: 1,000 rows, dt=2025-10-26, new" in out.output
    assert "schedule: 285 rows, dt=2025-10-26, new" in out.output
    again = runner.invoke(app, ["ingest", "nflverse", "-d", "weekly,schedule", "-s", "2024", "--dt", DT])
    assert again.exit_code == 0 and again.output.count("unchanged") == 2, again.output
    assert "raw/nflverse/weekly/dt=2025-10-26" in again.output.replace("\n", "")


def _parquet(frame: pl.DataFrame) -> bytes:
    import io

    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()
