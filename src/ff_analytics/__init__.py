"""ff-analytics: dated snapshots, governance, dbt on DuckDB and Prefect for a dynasty league."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ff-analytics")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
