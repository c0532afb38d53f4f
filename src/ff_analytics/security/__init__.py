"""Checks that keep personal data and secrets out of snapshots, logs and tables."""
