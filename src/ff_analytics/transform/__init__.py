"""Glue between the snapshot store and this project's dbt: prepare vars/paths for a data root, then run dbt.

Command line equivalent (``prepare_dbt`` gives the vars and the warehouse path)::

    FFA_DBT_DUCKDB_PATH=<root>/warehouse/ff_analytics.duckdb DO_NOT_TRACK=1 \\
      uv run dbt build --project-dir dbt/ff_analytics --profiles-dir dbt/ff_analytics --vars '{data_root: <root>}'
"""

from ff_analytics.transform.dbt import ProjectRun, prepare_dbt, run_project_dbt

__all__ = ["ProjectRun", "prepare_dbt", "run_project_dbt"]
