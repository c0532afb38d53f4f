"""KeepTradeCut connector: rankings pages → players and picks per market scope, written through the store."""

from ff_analytics.sources.ktc.connector import DATASETS, ingest_ktc

__all__ = ["DATASETS", "ingest_ktc"]
