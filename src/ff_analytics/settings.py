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
    sleeper_league_id: str = "1230330435511275520"
    sheet_id: str = Field("", description="Commissioner Google Sheet key")

    # Source base URLs (point at a local replay server in tests and in `ffa demo`)
    sleeper_base_url: str = "https://api.sleeper.app/v1"
    ktc_base_url: str = "https://keeptradecut.com"
    nflverse_base_url: str = Field("", description="Mirror replacing nflverse release hosts; empty = upstream")
    sheets_base_url: str = "https://sheets.googleapis.com"
    drive_base_url: str = "https://www.googleapis.com"

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

    http_timeout_seconds: float = 30.0
    user_agent: str = "ff-analytics/0.1 (+dynasty league analytics; contact the commissioner)"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process; tests call ``get_settings.cache_clear()`` after changing env."""
    return Settings()
