"""Ingest nflverse datasets with nflreadpy and write one snapshot per dataset and day (all requested seasons).

Per dataset: download every requested season (through the mirror-aware downloader) → validate the whole frame →
only then ``store.write``. A failure raises a SourceError/ConfigError naming dataset and URL and writes nothing
for that dataset (snapshots written earlier in the same call for other datasets stay: each is complete).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache

import nflreadpy
import polars as pl

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.base_url import samples_default, source_base_url
from ff_analytics.sources.datasets import select_datasets
from ff_analytics.sources.http import RetryPolicy
from ff_analytics.sources.nflverse.datasets import DATASETS, DatasetSpec
from ff_analytics.sources.nflverse.mirror import UPSTREAM_HOST, MirroredDownloader, nflreadpy_downloader
from ff_analytics.sources.nflverse.seasons import check_seasons, current_season, parse_seasons
from ff_analytics.sources.nflverse.validate import PartKeys, check_part_keys, validate_frame

SOURCE = "nflverse"
LOADER = "ff_analytics.sources.nflverse.connector"
# Per-season files downloaded at once. Each season is its own release asset, so a multi-season load waits on one
# round trip per season when fetched one after another; a few at a time keeps it polite to the host.
DOWNLOAD_THREADS = 4
NFLREADPY_VERSION = f"nflreadpy {nflreadpy.__version__}"


def ingest_nflverse(
    datasets: Sequence[str] | None = None,
    seasons: Sequence[int] | str | None = None,
    *,
    store: SnapshotStore | None = None,
    samples: bool = False,
    run_id: str | None = None,
    dt: str | date | None = None,
    base_url: str | None = None,
    retry: RetryPolicy | None = None,
    on_result: Callable[[WriteResult], None] | None = None,
) -> list[WriteResult]:
    """Fetch, validate and snapshot nflverse datasets (default: all seven).

    ``seasons``: ints or a string like ``"2020-2024"`` / ``"2023,2024"``; default the current season (with
    ``samples``: the recorded one). ``samples=True`` writes under ``_samples/`` and, unless ``base_url`` is given,
    reads the repo's recordings from a local replay server. ``base_url`` overrides ``Settings.nflverse_base_url``.
    """
    names = resolve_datasets(datasets)
    season_list = _resolve_seasons(seasons, samples)
    for name in names:  # every argument is checked before anything is downloaded
        spec = DATASETS[name]
        if spec.seasonal:
            check_seasons(season_list, dataset=name, min_season=spec.min_season)
    store = store or SnapshotStore()
    results: list[WriteResult] = []
    configured = get_settings().nflverse_base_url or UPSTREAM_HOST
    with source_base_url(SOURCE, base_url, samples, configured) as root, \
            nflreadpy_downloader(root, retry=retry) as downloader:
        for name in names:
            spec = DATASETS[name]
            wanted = season_list if spec.seasonal else None
            frame, urls = fetch_dataset(spec, wanted, downloader)
            common = {"dt": dt, "params": _params(spec, wanted, urls, root), "upstream_url": _url_summary(urls),
                      "source_version": NFLREADPY_VERSION, "loader": LOADER,
                      "samples": samples, "run_id": run_id}
            if spec.publish_as_served:
                files = {_file_name(url): downloader.payloads[url] for url in urls}
                footers = {_file_name(url): downloader.footers[url] for url in urls}
                result = store.write_files(SOURCE, name, files, footers=footers, coverage_from=frame, **common)
            else:
                result = store.write(SOURCE, name, frame, **common)
            results.append(result)
            if on_result:
                on_result(result)
    return results


def resolve_datasets(datasets: Sequence[str] | str | None) -> list[str]:
    return select_datasets(SOURCE, datasets, DATASETS)


def fetch_dataset(spec: DatasetSpec, seasons: list[int] | None,
                  downloader: MirroredDownloader) -> tuple[pl.DataFrame, list[str]]:
    """All requested seasons of one dataset as one validated frame, plus the URLs it came from."""
    downloader.dataset = spec.name
    downloader.columns = spec.checked_columns() if spec.publish_as_served else None
    start = len(downloader.fetched)
    try:
        frame, parts = _load_seasons(spec, seasons, downloader)
    except SourceError:
        raise
    except ValueError as exc:  # nflreadpy's own argument checks (e.g. its season range)
        raise ConfigError(f"nflreadpy refused the request: {exc}", source=SOURCE, dataset=spec.name) from None
    except pl.exceptions.PolarsError as exc:  # seasons whose files disagree so much they cannot be combined
        raise SourceError(f"files could not be combined: {exc}", source=SOURCE, dataset=spec.name,
                          url=_url_summary(sorted(downloader.fetched[start:]))) from None
    urls = sorted(downloader.fetched[start:])  # one file per season, same name but the year: season order
    columns = spec.string_columns(frame.columns)
    if columns:
        frame = frame.with_columns(pl.col(columns).cast(pl.String))
    validate_frame(spec, frame, seasons, _url_summary(urls), parts=parts)
    return frame, urls


def _load_seasons(spec: DatasetSpec, seasons: list[int] | None,
                  downloader: MirroredDownloader) -> tuple[pl.DataFrame, list[PartKeys | None]]:
    """nflreadpy's loader for the requested seasons. Per-season files (``publish_as_served``) are loaded a season
    per call, several at once, and combined as nflreadpy combines them (``pl.concat(how="diagonal_relaxed")`` in
    season order); the parsing and the socket reads release the interpreter lock, so the downloads overlap. Each
    file's keys are checked in its download thread too (see ``check_part_keys``)."""
    if not spec.publish_as_served or seasons is None or len(seasons) < 2:
        return spec.load(seasons), []

    def load_season(season: int) -> tuple[pl.DataFrame, PartKeys | None]:
        frame = spec.load([season])
        return frame, check_part_keys(spec, frame, downloader.last_url())

    loaded = list(_download_pool(os.getpid()).map(load_season, seasons))
    return pl.concat([frame for frame, _ in loaded], how="diagonal_relaxed"), [keys for _, keys in loaded]


@lru_cache(maxsize=1)
def _download_pool(pid: int) -> ThreadPoolExecutor:
    """One pool per process (keyed by pid: a forked child must not inherit a pool whose threads it lacks).
    Starting threads per load cost ~1 ms each while other threads hold the interpreter lock, and one pool also
    caps concurrent downloads when several loads run at once."""
    return ThreadPoolExecutor(DOWNLOAD_THREADS, thread_name_prefix="nflverse-download")


def _file_name(url: str) -> str:
    """A snapshot file name from the served file's name (``stats_player_week_2024.parquet`` → same stem)."""
    return re.sub(r"[^a-z0-9_]", "_", url.rsplit("/", 1)[-1].removesuffix(".parquet").lower())


def _resolve_seasons(seasons: Sequence[int] | str | None, samples: bool) -> list[int]:
    if seasons is None:
        if samples and samples_default(SOURCE, "seasons"):
            return list(samples_default(SOURCE, "seasons"))
        return [current_season()]
    if isinstance(seasons, str):
        return parse_seasons(seasons)
    return sorted(set(seasons))




def _params(spec: DatasetSpec, seasons: list[int] | None, urls: list[str], root: str) -> dict:
    params: dict = {**spec.params, "urls": urls}
    if seasons is not None:
        params["seasons"] = seasons
    if root.rstrip("/") != UPSTREAM_HOST:
        params["mirror"] = root
    return params


def _url_summary(urls: list[str]) -> str | None:
    """One URL, or the per-season URL pattern (``…_{season}.parquet``) when several seasons were fetched."""
    if not urls:
        return None
    if len(urls) == 1:
        return urls[0]
    patterns = {re.sub(r"(?<=_)\d{4}(?=\.)", "{season}", u) for u in urls}
    return patterns.pop() if len(patterns) == 1 else ", ".join(urls)
