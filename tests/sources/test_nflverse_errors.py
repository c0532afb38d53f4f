"""Bad input from nflverse: a clear error naming source, dataset and URL; no snapshot; registry untouched."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.replay.nflverse import build_nflverse_server, relabel_season, release_path
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.sources.http import RetryPolicy
from ff_analytics.sources.nflverse import ingest_nflverse
from ff_analytics.sources.nflverse.seasons import parse_seasons
from tests.sources.nflverse_clock import frozen_season  # noqa: F401 - autouse fixture

REC = Path(__file__).resolve().parents[2] / "recordings" / "nflverse"
FAST = RetryPolicy(attempts=3, base_delay_seconds=0.01, max_delay_seconds=0.05)
WEEKLY_2024 = release_path("nflverse-data", "stats_player/stats_player_week_2024.parquet")
WEEKLY_2023 = release_path("nflverse-data", "stats_player/stats_player_week_2023.parquet")
PLAYERIDS = release_path("dynastyprocess", "db_playerids.csv")
DAY1, DAY2 = "2025-10-20", "2025-10-26"


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch):
    """A mirror with a promoted (current) weekly and ff_playerids snapshot from an earlier day."""
    with build_nflverse_server(extra_seasons=[2023]) as server:
        monkeypatch.setenv("FFA_NFLVERSE_BASE_URL", server.url)
        get_settings.cache_clear()
        store = SnapshotStore()
        ingest_nflverse(["weekly", "ff_playerids", "schedule"], [2024], store=store, dt=DAY1, retry=FAST)
        for dataset in ("weekly", "ff_playerids", "schedule"):
            store.registry.promote("nflverse", dataset, DAY1)
        server.requests.clear()
        yield server


def weekly() -> pl.DataFrame:
    return pl.read_parquet(REC / "weekly" / "weekly.parquet")


def parquet(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


def fails(dataset: str, seasons=(2024,), **kwargs) -> SourceError:
    """Run the failing ingest and check nothing changed: no new partition, same registry, same current data."""
    store = SnapshotStore()
    registry_before = store.registry.read_text()
    partitions_before = store.partition_dates("nflverse", dataset)
    current_before = store.read("nflverse", dataset)
    with pytest.raises((SourceError, ConfigError)) as info:
        ingest_nflverse([dataset], list(seasons), store=store, dt=DAY2, retry=FAST, **kwargs)
    assert store.registry.read_text() == registry_before
    assert store.partition_dates("nflverse", dataset) == partitions_before
    assert store.read("nflverse", dataset).equals(current_before)
    message = str(info.value)
    assert f"[nflverse/{dataset}]" in message
    return info.value


def test_http_404_is_not_retried(mirror) -> None:
    mirror.fail(WEEKLY_2024, 404)
    err = fails("weekly")
    assert "HTTP 404" in str(err) and err.url.endswith(WEEKLY_2024)
    assert len(mirror.calls(WEEKLY_2024)) == 1


def test_http_429_is_retried_honouring_retry_after(mirror) -> None:
    mirror.fail(WEEKLY_2024, 429, times=1, headers={"Retry-After": "0.2"})
    patient = RetryPolicy(attempts=3, base_delay_seconds=0.01, max_delay_seconds=1.0)
    (result,) = ingest_nflverse(["weekly"], [2024], dt=DAY2, retry=patient)
    calls = mirror.calls(WEEKLY_2024)
    assert result.row_count == weekly().height and len(calls) == 2
    assert calls[1].at - calls[0].at >= 0.2


def test_http_429_that_never_ends_gives_up(mirror) -> None:
    mirror.fail(WEEKLY_2024, 429, times=10, headers={"Retry-After": "0"})
    err = fails("weekly")
    assert "gave up after 3 attempts: HTTP 429" in str(err) and len(mirror.calls(WEEKLY_2024)) == 3


def test_http_500_is_retried_then_fails_clearly(mirror) -> None:
    mirror.fail(WEEKLY_2024, 500, times=10)
    err = fails("weekly")
    assert "HTTP 500" in str(err) and err.url.endswith(WEEKLY_2024) and len(mirror.calls(WEEKLY_2024)) == 3


def test_timeout_is_retried_then_fails(mirror, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FFA_HTTP_TIMEOUT_SECONDS", "0.3")
    get_settings.cache_clear()
    mirror.fail(WEEKLY_2024, 200, times=10, delay_seconds=1.0)
    err = fails("weekly")
    assert "Timeout" in str(err) and len(mirror.calls(WEEKLY_2024)) == 3


def test_malformed_parquet(mirror) -> None:
    mirror.add(WEEKLY_2024, b"PAR1 this is not parquet", content_type="application/octet-stream")
    err = fails("weekly")
    assert "malformed parquet payload" in str(err) and err.url.endswith(WEEKLY_2024)


def test_malformed_csv(mirror) -> None:
    mirror.add(PLAYERIDS, b'mfl_id,gsis_id\n1,"unterminated\n2,x,y,z\n', content_type="text/csv")
    err = fails("ff_playerids")
    assert "malformed csv payload" in str(err) and err.url.endswith(PLAYERIDS)


def test_empty_body(mirror) -> None:
    mirror.add(WEEKLY_2024, b"", content_type="application/octet-stream")
    assert "empty response body" in str(fails("weekly"))


def test_file_with_zero_rows(mirror) -> None:
    mirror.add(WEEKLY_2024, parquet(weekly().head(0)))
    assert "empty payload (0 rows)" in str(fails("weekly"))


def test_column_missing_from_the_response(mirror) -> None:
    mirror.add(WEEKLY_2024, parquet(weekly().drop("week")))
    err = fails("weekly")
    assert "lacks column(s) ['week']" in str(err) and err.url.endswith(WEEKLY_2024)


def test_duplicate_primary_keys(mirror) -> None:
    mirror.add(WEEKLY_2024, parquet(pl.concat([weekly(), weekly().slice(10, 3)])))
    err = fails("weekly")
    assert "3 duplicate primary key(s) (player_id+season+week+season_type): 6 rows share them" in str(err)


def test_duplicate_keys_inside_one_season_file_of_several(mirror) -> None:
    """Each season's file is checked as it arrives; the error names that file."""
    season_2023 = relabel_season(weekly(), 2023)
    mirror.add(WEEKLY_2023, parquet(pl.concat([season_2023, season_2023.slice(10, 2)])))
    err = fails("weekly", seasons=(2023, 2024))
    assert "2 duplicate primary key(s) (player_id+season+week+season_type)" in str(err)
    assert err.url.endswith(WEEKLY_2023)


def test_rows_with_a_null_key_are_not_compared(mirror) -> None:
    """Rows missing part of their key are left out of the duplicate check (SQL semantics), in one season file
    and in each of several; duplicates among the complete rows are still found and counted without them."""
    season_2023 = relabel_season(weekly(), 2023)
    orphan = season_2023.slice(20, 1).with_columns(pl.lit(None, dtype=pl.String).alias("player_id"))
    with_orphans = pl.concat([season_2023, orphan, orphan])
    mirror.add(WEEKLY_2023, parquet(with_orphans))
    result, = ingest_nflverse(["weekly"], [2023, 2024], store=SnapshotStore(), dt=DAY2, retry=FAST)
    assert result.status == "new" and result.row_count == with_orphans.height + weekly().height

    mirror.add(WEEKLY_2023, parquet(pl.concat([with_orphans, season_2023.slice(10, 1)])))
    err = fails("weekly", seasons=(2023, 2024))
    assert "1 duplicate primary key(s) (player_id+season+week+season_type): 2 rows share them" in str(err)
    assert err.url.endswith(WEEKLY_2023)


def test_duplicate_keys_across_season_files(mirror) -> None:
    """The 2023 file also holds two rows of 2024 that the 2024 file has: each file alone is clean, together
    they repeat keys, and the combined check finds them."""
    mirror.add(WEEKLY_2023, parquet(pl.concat([relabel_season(weekly(), 2023), weekly().slice(10, 2)])))
    err = fails("weekly", seasons=(2023, 2024))
    assert "2 duplicate primary key(s) (player_id+season+week+season_type)" in str(err)
    assert err.url.endswith("stats_player_week_{season}.parquet")


def test_one_bad_season_writes_nothing_for_the_dataset(mirror) -> None:
    mirror.fail(WEEKLY_2023, 404)
    err = fails("weekly", seasons=(2023, 2024))
    assert err.url.endswith(WEEKLY_2023)


def test_requested_season_absent_from_a_multi_season_file(mirror) -> None:
    err = fails("schedule", seasons=(2022, 2024))  # games.parquet on this mirror holds 2023 and 2024 only
    assert "no rows for requested season(s) [2022]" in str(err)


def test_season_after_the_current_one_is_refused_before_any_download(mirror) -> None:
    err = fails("weekly", seasons=(2024, 2026))
    assert isinstance(err, ConfigError) and "2026" in str(err) and "1999-2025" in str(err)
    assert mirror.requests == []


def test_season_before_the_dataset_exists_is_refused(mirror) -> None:
    with pytest.raises(ConfigError, match=r"snap_counts exists for 2012-2025"):
        ingest_nflverse(["snap_counts"], [2010], dt=DAY2)
    assert mirror.requests == []


def test_unknown_dataset_is_refused(mirror) -> None:
    with pytest.raises(ConfigError, match="unknown dataset"):
        ingest_nflverse(["pbp"], [2024], dt=DAY2)


@pytest.mark.parametrize(("text", "expected"), [("2020-2024", [2020, 2021, 2022, 2023, 2024]),
                                                ("2023,2024", [2023, 2024]), ("2024, 2018,2020-2021",
                                                                              [2018, 2020, 2021, 2024])])
def test_parse_seasons(text: str, expected: list[int]) -> None:
    assert parse_seasons(text) == expected


@pytest.mark.parametrize("text", ["2024-2020", "twenty", "", "2020-"])
def test_parse_seasons_rejects_nonsense(text: str) -> None:
    with pytest.raises(ConfigError, match="invalid seasons"):
        parse_seasons(text)
