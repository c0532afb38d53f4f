"""nflverse connector: nflreadpy loaders behind a mirror-aware downloader, written through the snapshot store."""

from ff_analytics.sources.nflverse.connector import ingest_nflverse
from ff_analytics.sources.nflverse.datasets import DATASETS

__all__ = ["DATASETS", "ingest_nflverse"]
