"""Point nflreadpy at a mirror: the one place that overrides its download table (``NflverseDownloader.BASE_URLS``).

nflreadpy 0.1.5 has no base-URL setting; every loader downloads through ``nflreadpy.downloader.get_downloader()``,
which returns the module global ``_downloader``. While :func:`nflreadpy_downloader` is active that global is a
:class:`MirroredDownloader`, which

- keeps nflreadpy's repository paths but swaps the host (``https://github.com``) for ``Settings.nflverse_base_url``
  (empty = upstream), so a mirror serves the same release paths;
- fetches through our :class:`SourceClient` (User-Agent, timeouts, retries on 429/5xx/timeouts, errors that name
  source, dataset and URL) instead of nflreadpy's bare ``requests`` session;
- never uses nflreadpy's cache (a snapshot must reflect what the source serves now, and a cached upstream frame
  must never hide the mirror, or the reverse);
- records every URL fetched, for the manifest.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import nflreadpy.downloader as nflreadpy_downloader_module
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from nflreadpy.downloader import NflverseDownloader

from ff_analytics.errors import SourceError
from ff_analytics.sources.http import RetryPolicy, SourceClient

SOURCE = "nflverse"
UPSTREAM_HOST = "https://github.com"
# nflreadpy's own table, split into host and path: {"nflverse-data": "/nflverse/nflverse-data/releases/download/", …}
REPOSITORY_PATHS: dict[str, str] = {repo: urlsplit(url).path for repo, url in NflverseDownloader.BASE_URLS.items()}
if any(f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" != UPSTREAM_HOST for u in NflverseDownloader.BASE_URLS.values()):
    raise ImportError("nflreadpy's download hosts changed; review ff_analytics.sources.nflverse.mirror")

_install_lock = threading.Lock()


def mirrored_base_urls(root: str) -> dict[str, str]:
    """nflreadpy's repository table with the host replaced by ``root`` (which may carry a path prefix)."""
    root = root.rstrip("/")
    return {repo: f"{root}{path}" for repo, path in REPOSITORY_PATHS.items()}


class MirroredDownloader(NflverseDownloader):
    """An nflreadpy downloader bound to one host, fetching via SourceClient, without a cache."""

    def __init__(self, root: str, *, retry: RetryPolicy | None = None) -> None:  # noqa: D107 - no super(): it
        # would open a requests session and attach nflreadpy's global cache, neither of which we use.
        self.root = (root or UPSTREAM_HOST).rstrip("/")
        self.BASE_URLS = mirrored_base_urls(self.root)
        self.client = SourceClient(SOURCE, self.root, retry=retry)
        self.dataset: str | None = None
        self.fetched: list[str] = []
        # When set, Parquet files are parsed for these columns only; their bytes are kept in ``payloads`` and
        # their footers (parsed once here, in the download thread) in ``footers``, both by URL.
        self.columns: set[str] | None = None
        self.payloads: dict[str, bytes] = {}
        self.footers: dict[str, pq.FileMetaData] = {}
        self._thread = threading.local()  # the URL each download thread fetched last

    def _download_file(self, url: str, **kwargs: Any) -> pl.DataFrame:
        if not url.startswith(self.root):
            raise SourceError(f"nflreadpy asked for a URL outside the configured host {self.root}",
                              source=SOURCE, dataset=self.dataset, url=url)
        response = self.client.get(url[len(self.root):], dataset=self.dataset)
        content = response.content
        if not content:
            raise SourceError("empty response body", source=SOURCE, dataset=self.dataset, url=url)
        try:
            if url.endswith(".parquet") and self.columns is not None:
                footer = pq.read_metadata(pa.BufferReader(content))  # parsed once, reused by the snapshot
                present = [c for c in footer.schema.to_arrow_schema().names if c in self.columns]
                frame = pl.read_parquet(content, columns=present)  # bytes: no file-object reads
                self.payloads[url], self.footers[url] = content, footer
            elif url.endswith(".parquet"):
                frame = pl.read_parquet(content)
            elif url.endswith(".csv"):
                frame = pl.read_csv(io.BytesIO(content), null_values=["NA", "NULL", ""], infer_schema_length=None)
            else:
                raise ValueError("unknown file type")
        except Exception as exc:  # noqa: BLE001 - any parser failure is a malformed payload
            kind = url.rsplit(".", 1)[-1]
            raise SourceError(f"malformed {kind} payload: {type(exc).__name__}: {exc}",
                              source=SOURCE, dataset=self.dataset, url=url) from None
        self.fetched.append(url)
        self._thread.url = url
        return frame

    def last_url(self) -> str | None:
        """The URL the calling thread fetched last (for errors about a file found after its download)."""
        return getattr(self._thread, "url", None)

    def close(self) -> None:
        self.client.close()


@contextmanager
def nflreadpy_downloader(root: str, *, retry: RetryPolicy | None = None) -> Iterator[MirroredDownloader]:
    """Make every nflreadpy loader download from ``root`` for the duration of the block (one user at a time)."""
    downloader = MirroredDownloader(root, retry=retry)
    with _install_lock:
        previous = nflreadpy_downloader_module._downloader
        nflreadpy_downloader_module._downloader = downloader
        try:
            yield downloader
        finally:
            nflreadpy_downloader_module._downloader = previous
            downloader.close()
