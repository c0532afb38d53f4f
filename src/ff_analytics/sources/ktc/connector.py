"""Ingest KeepTradeCut dynasty values (players and picks) into one snapshot per dataset and day.

Politely: one request per rankings page, a pause between pages (``Settings.ktc_page_delay_seconds``), our
User-Agent. Pages are read until one adds no new asset to any requested market (the real page embeds the same
arrays whatever ``?page=N`` asks for, so that is page 1). Each market comes from its own array (``page.py``);
how many assets it holds, its rank range and the ranks missing below its last asset go into both manifests
(``params.markets``), which the KTC checks read. Every page is parsed and every frame validated before anything
is written. A same-day run for one scope merges into that day's snapshot, replacing only its own scope.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import polars as pl

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.paths import parse_dt
from ff_analytics.snapshots.store import SnapshotStore, WriteResult
from ff_analytics.sources.base_url import source_base_url
from ff_analytics.sources.datasets import select_datasets
from ff_analytics.sources.http import RetryPolicy, SourceClient
from ff_analytics.sources.ktc.completeness import market_summary
from ff_analytics.sources.ktc.page import MARKET_ARRAYS, extract_markets
from ff_analytics.sources.ktc.rows import MARKET_SCOPES, PRIMARY_KEY, asset_frames

SOURCE = "ktc"
DATASETS = ("players", "picks")
DEFAULT_SCOPES = ("dynasty_1qb",)
RANKINGS_PATH = "/dynasty-rankings"
FILTERS = "QB|WR|RB|TE|RDP"
MAX_PAGES = 20
LOADER = "ff_analytics.sources.ktc.connector"


@dataclass
class FetchedPages:
    markets: dict[str, list[dict]] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)


def ingest_ktc(
    datasets: Sequence[str] | None = None,
    market_scopes: Sequence[str] = DEFAULT_SCOPES,
    *,
    store: SnapshotStore | None = None,
    samples: bool = False,
    run_id: str | None = None,
    dt: str | date | None = None,
    base_url: str | None = None,
    page_delay_seconds: float | None = None,
    retry: RetryPolicy | None = None,
    on_result: Callable[[WriteResult], None] | None = None,
) -> list[WriteResult]:
    """Fetch the rankings pages once, build rows per requested scope, merge same-day scopes, write.

    ``samples=True`` writes under ``_samples/`` and, unless ``base_url`` is given, reads the repo's recorded pages
    from a local replay server. ``base_url`` overrides ``Settings.ktc_base_url``.
    """
    names = resolve_datasets(datasets)
    scopes = resolve_scopes(market_scopes)
    day = parse_dt(dt) if dt is not None else datetime.now(UTC).date()
    store = store or SnapshotStore()
    if page_delay_seconds is None:  # no need to pace requests to our own local replay of the recordings
        page_delay_seconds = 0.0 if samples and not base_url else get_settings().ktc_page_delay_seconds
    delay = page_delay_seconds
    label = "+".join(names)
    with source_base_url(SOURCE, base_url, samples, get_settings().ktc_base_url) as root:
        pages = fetch_pages(root, scopes, dataset=label, delay_seconds=delay, retry=retry)
    # asof_date: the values' day (the snapshot date), as in the recorded sample; same-day runs stay comparable.
    asof = pl.lit(datetime(day.year, day.month, day.day)).cast(pl.Datetime("ms")).alias("asof_date")
    frames = {k: f.with_columns(asof) for k, f in asset_frames(pages.markets, pages.urls[0]).items()}
    checked = {name: _validate(name, frames[name], pages.urls[0]) for name in names}
    markets = {scope: market_summary(scope, assets) for scope, assets in pages.markets.items()}
    merged = {name: _merge_same_day(store, name, checked[name], scopes, day, samples) for name in names}
    results = []
    for name in names:
        frame = merged[name]
        result = store.write(
            SOURCE, name, frame, dt=day, upstream_url=pages.urls[0], loader=LOADER, samples=samples,
            run_id=run_id, source_version="keeptradecut.com dynasty-rankings",
            params={"market_scopes": sorted(frame.get_column("market_scope").unique().to_list()),
                    "fetched_scopes": scopes, "filters": FILTERS, "pages": pages.urls,
                    "markets": _merge_markets(store, name, markets, day, samples)},
        )
        results.append(result)
        if on_result:
            on_result(result)
    return results


def resolve_datasets(datasets: Sequence[str] | str | None) -> list[str]:
    return select_datasets(SOURCE, datasets, DATASETS)


def resolve_scopes(market_scopes: Sequence[str] | str) -> list[str]:
    """``"both"`` or scope names; 1QB first."""
    values = [market_scopes] if isinstance(market_scopes, str) else list(market_scopes)
    if values == ["both"]:
        values = list(MARKET_SCOPES)
    unknown = [s for s in values if s not in MARKET_SCOPES]
    if unknown or not values:
        raise ConfigError(f"unknown market scope(s) {unknown or values}; use {', '.join(MARKET_SCOPES)} or both",
                          source=SOURCE)
    return [s for s in MARKET_SCOPES if s in values]


def fetch_pages(root: str, scopes: list[str], *, dataset: str, delay_seconds: float,
                retry: RetryPolicy | None = None) -> FetchedPages:
    """Read pages 0, 1, … until one adds no new asset to any market; duplicate ids, a missing or empty array: error."""
    fmt = 1 if "dynasty_1qb" in scopes else 2
    fetched = FetchedPages(markets={s: [] for s in scopes})
    seen: dict[str, set[object]] = {s: set() for s in scopes}
    with SourceClient(SOURCE, root, retry=retry) as client:
        for page in range(MAX_PAGES):
            if page:
                time.sleep(delay_seconds)  # after the previous page arrived, before asking for the next
            # Query in the path, so every error message carries the full page URL.
            query = urlencode({"page": page, "filters": FILTERS, "format": fmt})
            response = client.get(f"{RANKINGS_PATH}?{query}", dataset=dataset)
            url = str(response.url)
            added = 0
            for scope, assets in extract_markets(response.text, scopes, url=url, dataset=dataset).items():
                _refuse_duplicates(assets, MARKET_ARRAYS[scope], url, dataset)
                new = [a for a in assets if a["playerID"] not in seen[scope]]
                seen[scope].update(a["playerID"] for a in new)
                fetched.markets[scope].extend(new)
                added += len(new)
            fetched.urls.append(url)
            if not added:
                break
    return fetched


def _refuse_duplicates(assets: list[dict], array: str, url: str, dataset: str) -> None:
    ids = [a["playerID"] for a in assets]
    if len(set(ids)) != len(ids):
        dupes = sorted({str(i) for i in ids if ids.count(i) > 1})
        raise SourceError(f"page lists playerID(s) {dupes} more than once in {array}", source=SOURCE,
                          dataset=dataset, url=url)


def _validate(name: str, frame: pl.DataFrame, url: str) -> pl.DataFrame:
    if frame.height == 0:
        kind = "pick assets (position RDP)" if name == "picks" else "player assets"
        raise SourceError(f"empty payload: the pages hold no {kind}", source=SOURCE, dataset=name, url=url)
    dupes = frame.select(PRIMARY_KEY).filter(frame.select(PRIMARY_KEY).is_duplicated())
    if dupes.height:
        extra = dupes.height - dupes.unique().height
        raise SourceError(f"{extra} duplicate primary key(s) ({'+'.join(PRIMARY_KEY)}): {dupes.height} rows share "
                          f"them, e.g. {dupes.row(0, named=True)}", source=SOURCE, dataset=name, url=url)
    return frame


def _merge_same_day(store: SnapshotStore, name: str, frame: pl.DataFrame, scopes: list[str], day: date,
                    samples: bool) -> pl.DataFrame:
    """Keep the other scope's rows of today's snapshot (if any) so a second same-day run adds, not overwrites."""
    if store.read_manifest(SOURCE, name, day, samples=samples, missing_ok=True) is None:
        return frame
    earlier = store.read(SOURCE, name, dt=day, samples=samples)
    if "market_scope" not in earlier.columns:
        return frame
    kept = earlier.filter(~pl.col("market_scope").is_in(scopes))
    if kept.height == 0:
        return frame
    merged = pl.concat([kept.select([c for c in frame.columns if c in kept.columns]), frame], how="diagonal_relaxed")
    return merged.select(frame.columns).sort("market_scope", "rank", "ktc_id")


def _merge_markets(store: SnapshotStore, name: str, markets: dict[str, dict], day: date, samples: bool) -> dict:
    """This run's market summaries plus, from today's earlier snapshot, those of the scopes not fetched now."""
    earlier = store.read_manifest(SOURCE, name, day, samples=samples, missing_ok=True)
    kept = dict((earlier.params or {}).get("markets") or {}) if earlier is not None else {}
    return {scope: (markets.get(scope) or kept[scope]) for scope in MARKET_SCOPES if scope in markets or scope in kept}
