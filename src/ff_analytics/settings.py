"""The one settings object: every environment-dependent value (paths, URLs, ids, credentials) lives here.

Read from environment variables prefixed ``FFA_`` and an optional ``.env`` file (gitignored). No other module
reads ``os.environ``; they call :func:`get_settings`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Where data lives, where sources are, and which league we follow."""

    model_config = SettingsConfigDict(env_prefix="FFA_", env_file=".env", extra="ignore")

    data_root: str = Field("data", description="Local path, s3://bucket/prefix or gs://bucket/prefix")
    dbt_project_dir: Path = PROJECT_ROOT / "dbt" / "ff_analytics"
    config_dir: Path = PROJECT_ROOT / "config"
    recordings_dir: Path = PROJECT_ROOT / "recordings"

    # League identity
    sleeper_league_id: str = Field("", description="Sleeper league id (required for the sleeper source)")
    sheet_id: str = Field("", description="Commissioner Google Sheet key")

    # Source base URLs (point at a local replay server in tests and in `ffa demo`)
    sleeper_base_url: str = "https://api.sleeper.app/v1"
    sleeper_max_calls_per_minute: int = Field(900, description="Sleeper asks for < 1,000 calls/minute per IP")
    ktc_base_url: str = "https://keeptradecut.com"
    nflverse_base_url: str = Field("", description="Mirror replacing nflverse release hosts; empty = upstream")
    sheets_base_url: str = "https://sheets.googleapis.com"
    drive_base_url: str = "https://www.googleapis.com"
    sheets_excluded_tabs: str = Field(
        "", description="Comma-separated GM tabs not expected in this spreadsheet (the demo recording lacks 3 of 12)"
    )
    sheets_reads_per_minute: int = Field(60, description="Sheets API read quota per user per minute")

    # Credentials: never logged, never written to snapshots
    google_application_credentials: str = Field(
        "", validation_alias="GOOGLE_APPLICATION_CREDENTIALS", description="Path to a service-account JSON"
    )
    google_service_account_json: SecretStr = SecretStr("")
    discord_webhook_url: SecretStr = Field(SecretStr(""), validation_alias="DISCORD_WEBHOOK_URL")

    # Object-store options (passed to fsspec / DuckDB / Polars)
    s3_endpoint_url: str = ""
    s3_key_id: SecretStr = SecretStr("")
    s3_secret: SecretStr = SecretStr("")
    s3_region: str = "us-east-1"
    gcs_endpoint_url: str = Field("", description="GCS JSON API endpoint for gs:// roots; empty = Google's")

    # dbt on Prefect (ff_analytics.dbt_runner): where per-run artifacts go, and the values `ffa blocks register`
    # turns into Prefect blocks (profiles are rendered from those blocks at run time, never from ~/.dbt).
    dbt_artifacts_dir: str = Field("", description="Per-run artifacts of `ffa dbt run`; empty = "
                                   "<data root>/ops/dbt_runs/<project> (DataRoot.dbt_runs_dir)")
    dbt_dev_duckdb_path: str = Field("", description="DuckDB file of the dev target block; empty = the data root's "
                                     "warehouse (DataRoot.warehouse_path), the file `ffa run` builds")
    dbt_prod_duckdb_path: str = Field("", description="DuckDB file of the prod target block; empty = as dev")
    dbt_per_node_tasks: bool = Field(False, description="Run dbt in the all-sources flow as one Prefect task per "
                                     "dbt node (visible in the UI, ~13 ms each) instead of one per invocation")
    dbt_duckdb_schema: str = "main"
    dbt_threads: int = 4
    motherduck_token: SecretStr = SecretStr("")
    snowflake_target: str = Field("", description="dbt target name for the Snowflake block; empty = none")
    snowflake_account: str = ""
    snowflake_user: str = ""
    snowflake_password: SecretStr = SecretStr("")
    snowflake_private_key: SecretStr = Field(SecretStr(""), description="PEM text for key-pair auth")
    snowflake_private_key_passphrase: SecretStr = SecretStr("")
    snowflake_role: str = ""
    snowflake_warehouse: str = ""
    snowflake_database: str = ""
    snowflake_schema: str = ""
    snowflake_host: str = Field("", description="Override host (private link, or a local fakesnow server)")
    snowflake_port: int = 0
    snowflake_protocol: str = ""
    snowflake_login_timeout_seconds: int = 30
    snowflake_network_timeout_seconds: int = 300
    alert_webhook_url: SecretStr = Field(SecretStr(""), description="Generic JSON webhook for alerts")

    # Analytics templates: task retries for loading marts (tests set the delay to 0)
    analytics_retries: int = 3
    analytics_retry_delay_seconds: float = 60.0

    # Orchestration (ff_analytics.orchestration): fetch-task retries (with jitter)
    fetch_retries: int = 2
    fetch_retry_delay_seconds: float = 30.0
    report_dir: str = Field("", description="Governance report folder for runs; empty = DataRoot.reports_dir")

    # KeepTradeCut politeness: pause between page requests (the demo against a local replay may set 0)
    ktc_page_delay_seconds: float = Field(2.0, description="Seconds between KTC page requests")

    # dbt snapshot selection (ff_analytics.transform): latest_only | baseline_plus_latest | all | as_of
    snapshot_strategy: str = "latest_only"
    snapshot_baseline_dt: str = Field("", description="YYYY-MM-DD baseline for baseline_plus_latest")
    snapshot_as_of: str = Field("", description="YYYY-MM-DD: read the newest vetted snapshot on/before it")

    http_timeout_seconds: float = 30.0
    user_agent: str = "ff-analytics/0.1 (+dynasty league analytics; contact the commissioner)"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process; tests call ``get_settings.cache_clear()`` after changing env."""
    return Settings()
