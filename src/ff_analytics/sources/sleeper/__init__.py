"""Sleeper league API connector: league, users, rosters, transactions, picks, drafts, players, state, matchups,
brackets."""

from ff_analytics.sources.sleeper.connector import ingest_sleeper, league_chain, parse_seasons, resolve_datasets

__all__ = ["ingest_sleeper", "league_chain", "parse_seasons", "resolve_datasets"]
