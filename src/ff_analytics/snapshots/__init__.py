"""Dated, immutable Parquet snapshots with a manifest each, and the registry that says which one is current."""
