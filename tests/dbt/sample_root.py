"""Build the dbt test data root with the REAL connectors against their replay servers and recordings.

Every source's own ingest function runs exactly as in production (not ``samples=True``, so the snapshots land
under ``raw/`` and are registered ``pending``), pointed at a replay server on 127.0.0.1 through its ``base_url``
argument (Sheets: the settings ``replay_env`` gives). Every written snapshot is then promoted to current, like
governance does after a clean run. ffanalytics runs after nflverse is promoted, so its player mapping reads the
current crosswalk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from ff_analytics.identity import resolve_player_identity
from ff_analytics.replay.ktc import build_ktc_server
from ff_analytics.replay.nflverse import RECORDED_SEASONS as NFLVERSE_SEASONS
from ff_analytics.replay.nflverse import build_nflverse_server
from ff_analytics.replay.sheets import build_sheets_server, replay_env
from ff_analytics.replay.sleeper import RECORDED_LEAGUE_ID, build_sleeper_server
from ff_analytics.replay.sleeper import RECORDED_SEASONS as SLEEPER_SEASONS
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.ffanalytics import ingest_ffanalytics
from ff_analytics.sources.http import RetryPolicy
from ff_analytics.sources.ktc import ingest_ktc
from ff_analytics.sources.nflverse import ingest_nflverse
from ff_analytics.sources.sheets import copy_league_sheet, parse_league_sheet
from ff_analytics.sources.sleeper import ingest_sleeper
from ff_analytics.storage import DataRoot

SAMPLE_DT = date(2025, 10, 25)
FFANALYTICS_RAW = "ffanalytics/projections/dt=2025-10-25/projections_raw_2025-10-25.parquet"
KTC_SCOPES = ("dynasty_1qb", "dynasty_superflex")
FAST_RETRY = RetryPolicy(attempts=2, base_delay_seconds=0.01, max_delay_seconds=0.05)


@contextmanager
def _settings_env(values: dict[str, str]) -> Iterator[None]:
    """Point the settings at a replay server for the duration of one connector call, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


def _promote(store: SnapshotStore, results: list[WriteResult]) -> None:
    for r in results:
        store.registry.promote(r.source, r.dataset, r.dt.isoformat())


def build_sample_root(store: SnapshotStore | None = None, dt: date = SAMPLE_DT) -> SnapshotStore:
    """Run every connector against its replay server, writing production snapshots dated ``dt``; promote all."""
    settings = get_settings()
    store = store or SnapshotStore(DataRoot.from_settings(settings))
    with build_nflverse_server() as server:
        _promote(store, ingest_nflverse(None, list(NFLVERSE_SEASONS), store=store, dt=dt, base_url=server.url,
                                        retry=FAST_RETRY))
    with build_ktc_server() as server:
        _promote(store, ingest_ktc(None, KTC_SCOPES, store=store, dt=dt, base_url=server.url,
                                   page_delay_seconds=0.0, retry=FAST_RETRY))
    with build_sleeper_server() as server:
        _promote(store, ingest_sleeper(None, league_id=RECORDED_LEAGUE_ID, seasons=list(SLEEPER_SEASONS),
                                       store=store, dt=dt, base_url=server.url, retry=FAST_RETRY))
    with build_sheets_server() as server, _settings_env(replay_env(server)):
        copied = copy_league_sheet(store=store, dt=dt)
        parsed = parse_league_sheet(copied.dt, store=store)
        _promote(store, [copied, *parsed])
    _promote(store, ingest_ffanalytics(settings.recordings_dir / FFANALYTICS_RAW, store=store, dt=dt))
    # the identity step runs after the sources land and before dbt, as in a run
    _promote(store, [resolve_player_identity(store, dt=dt)])
    return store
