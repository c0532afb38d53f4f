"""Glue between the snapshot store and the dbt project: prepare seeds/vars/env, then run dbt.

Command line equivalent (after ``prepare_dbt``, with its env exported)::

    DO_NOT_TRACK=1 uv run dbt build --project-dir dbt/ff_analytics --profiles-dir dbt/ff_analytics --target dev
"""

from ff_analytics.transform.dbt import DbtResult, dbt_invoke, prepare_dbt

__all__ = ["DbtResult", "dbt_invoke", "prepare_dbt"]
