"""dbt-duckdb plugin: give dbt's DuckDB connection access to an object-store data root, offline.

`INSTALL httpfs` needs the internet, so the signed extension shipped in the duckdb-extension-httpfs wheel is
loaded from its file. The S3 secret comes from the platform settings (FFA_S3_*), so no credential is written
into profiles.yml or dbt's logs. Listed under ``plugins:`` in dbt/ff_analytics/profiles.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from ff_analytics.settings import Settings, get_settings
from ff_analytics.storage import DataRoot


def httpfs_extension_path() -> Path:
    """The httpfs extension file inside the installed wheel (its version equals duckdb's)."""
    import duckdb
    import duckdb_extension_httpfs

    base = Path(duckdb_extension_httpfs.__file__).parent / "extensions"
    wanted = base / f"v{duckdb.__version__}" / "httpfs.duckdb_extension"
    if wanted.exists():
        return wanted
    found = sorted(base.glob("*/httpfs.duckdb_extension"))
    if not found:
        from ff_analytics.errors import ConfigError

        raise ConfigError(f"duckdb-extension-httpfs has no extension file under {base}")
    return found[-1]


def configure_object_store(conn: Any, settings: Settings | None = None, data_root: str | None = None) -> None:
    """Load httpfs and create the S3 secret when the data root is remote (no-op for local roots)."""
    settings = settings or get_settings()
    root = DataRoot(data_root or settings.data_root)
    if root.is_local:
        return
    conn.execute(f"LOAD '{httpfs_extension_path()}'")
    if root.protocol == "s3":
        parts = ["TYPE s3", f"REGION '{settings.s3_region}'"]
        key = settings.s3_key_id.get_secret_value()
        if key:
            parts += [f"KEY_ID '{key}'", f"SECRET '{settings.s3_secret.get_secret_value()}'"]
        endpoint = settings.s3_endpoint_url
        if endpoint:
            use_ssl = not endpoint.startswith("http://")
            host = endpoint.split("://", 1)[-1].rstrip("/")
            parts += [f"ENDPOINT '{host}'", "URL_STYLE 'path'", f"USE_SSL {str(use_ssl).lower()}"]
        conn.execute(f"CREATE OR REPLACE SECRET ffa_s3 ({', '.join(parts)})")


class Plugin(BasePlugin):
    """Configures every connection dbt opens (the plugin alias in profiles.yml is ``ffa``)."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.data_root = plugin_config.get("data_root") or None

    def configure_connection(self, conn: Any) -> None:
        configure_object_store(conn, data_root=self.data_root)
