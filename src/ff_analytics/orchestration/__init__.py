"""Prefect orchestration: thin flows over the library steps (fetch → snapshot → govern → dbt → alert), and `ffa demo`.

Import :mod:`ff_analytics.orchestration.env` (and call ``ensure_prefect_env``) before importing Prefect, so a fresh
machine gets a project-local PREFECT_HOME and no telemetry.
"""
