"""ff-analytics: dated snapshots, governance, dbt on DuckDB and Prefect for a dynasty league."""

__version__ = "0.1.0"  # the package version (pyproject reads it from here)
