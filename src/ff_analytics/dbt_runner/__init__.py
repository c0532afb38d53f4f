"""Run dbt Core on any project, with or without Prefect (one task per invocation or per node); compare runs."""
