"""Prefect blocks of the platform: dbt targets and alert channels, created from settings (`ffa blocks register`).

Block names are the contract other code relies on:
- ``ffa-dbt-<target>`` (dev, prod, and the Snowflake target if configured): read by ``run_dbt``.
- ``ff-analytics-alerts``: a Discord webhook block (from DISCORD_WEBHOOK_URL) and/or a custom-webhook block (generic
  JSON webhook, from FFA_ALERT_WEBHOOK_URL) of that name, which ``ff_analytics.alerts.send_alert``
  loads (Discord first).
Secret values are stored as secret fields; nothing here logs or prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import SecretStr

from ff_analytics.errors import ConfigError
from ff_analytics.settings import Settings, get_settings
from ff_analytics.storage import DataRoot

_DISCORD_URL = re.compile(r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/(\d+)/([\w-]+)/?$")
SOURCE = "blocks"


@dataclass(frozen=True)
class RegisteredBlock:
    name: str
    block_type: str
    detail: str


def _secret(value: SecretStr) -> str:
    return value.get_secret_value()


def discord_parts(url: str) -> tuple[str, str]:
    """(webhook id, token) of a Discord webhook URL; the error never repeats the URL (it holds the token)."""
    m = _DISCORD_URL.match(url.strip())
    if not m:
        raise ConfigError("DISCORD_WEBHOOK_URL is not a Discord webhook URL "
                          "(expected https://discord.com/api/webhooks/<id>/<token>)", source=SOURCE)
    return m.group(1), m.group(2)


def _duckdb_targets(settings: Settings) -> list[RegisteredBlock]:
    from ff_analytics.dbt_runner.targets import DbtDuckDBTarget, target_block_name

    made = []
    token = _secret(settings.motherduck_token)
    warehouse = str(DataRoot.from_settings(settings).warehouse_path)  # the file `ffa run` builds for this root
    for target, path in (("dev", settings.dbt_dev_duckdb_path or warehouse),
                         ("prod", settings.dbt_prod_duckdb_path or warehouse)):
        block = DbtDuckDBTarget(path=path, schema=settings.dbt_duckdb_schema, threads=settings.dbt_threads,
                                motherduck_token=SecretStr(token) if token and path.startswith("md:") else None,
                                plugins=[{"module": "ff_analytics.transform.duckdb_plugin", "alias": "ffa"}])
        name = target_block_name(target)
        block.save(name, overwrite=True)
        made.append(RegisteredBlock(name, DbtDuckDBTarget.get_block_type_slug(), f"duckdb {path}"))
    return made


def _snowflake_target(settings: Settings) -> list[RegisteredBlock]:
    if not settings.snowflake_target:
        return []
    missing = [f"FFA_SNOWFLAKE_{n.upper()}" for n in ("account", "user", "database", "schema")
               if not getattr(settings, f"snowflake_{n}")]
    if not (_secret(settings.snowflake_password) or _secret(settings.snowflake_private_key)):
        missing.append("FFA_SNOWFLAKE_PASSWORD or FFA_SNOWFLAKE_PRIVATE_KEY")
    if missing:
        raise ConfigError(f"Snowflake target {settings.snowflake_target!r} is missing: {', '.join(missing)}",
                          source=SOURCE)
    from prefect_snowflake import SnowflakeCredentials

    from ff_analytics.dbt_runner.profiles import snowflake_block_class
    from ff_analytics.dbt_runner.targets import target_block_name

    target_cls = snowflake_block_class()
    creds_kwargs: dict = {"account": settings.snowflake_account, "user": settings.snowflake_user}
    if _secret(settings.snowflake_password):
        creds_kwargs["password"] = settings.snowflake_password
    if _secret(settings.snowflake_private_key):
        creds_kwargs["private_key"] = _secret(settings.snowflake_private_key).encode()
        if _secret(settings.snowflake_private_key_passphrase):
            creds_kwargs["private_key_passphrase"] = settings.snowflake_private_key_passphrase
    if settings.snowflake_role:
        creds_kwargs["role"] = settings.snowflake_role
    name = target_block_name(settings.snowflake_target)
    creds = SnowflakeCredentials(**creds_kwargs)
    creds.save(f"{name}-credentials", overwrite=True)
    block = target_cls(credentials=creds, warehouse=settings.snowflake_warehouse,
                       database=settings.snowflake_database, schema=settings.snowflake_schema,
                       threads=settings.dbt_threads, host=settings.snowflake_host, port=settings.snowflake_port,
                       protocol=settings.snowflake_protocol,
                       login_timeout_seconds=settings.snowflake_login_timeout_seconds,
                       network_timeout_seconds=settings.snowflake_network_timeout_seconds)
    block.save(name, overwrite=True)
    return [RegisteredBlock(f"{name}-credentials", "snowflake-credentials", f"account {settings.snowflake_account}"),
            RegisteredBlock(name, target_cls.get_block_type_slug(),
                            f"snowflake {settings.snowflake_database}.{settings.snowflake_schema}")]


def _alert_blocks(settings: Settings) -> list[RegisteredBlock]:
    """Both alert channels are saved under the one name orchestration's alerts look up (different block types)."""
    from ff_analytics.alerts import ALERT_BLOCK_NAME, save_alert_block

    made = []
    discord = _secret(settings.discord_webhook_url)
    if discord:
        made.append(RegisteredBlock(ALERT_BLOCK_NAME, save_alert_block(discord, kind="discord"), "Discord webhook"))
    generic = _secret(settings.alert_webhook_url)
    if generic:
        made.append(RegisteredBlock(ALERT_BLOCK_NAME, save_alert_block(generic, kind="webhook"),
                                    "generic JSON webhook"))
    return made


def register_blocks(settings: Settings | None = None) -> list[RegisteredBlock]:
    """Create or update every block the settings describe; validates all inputs before saving any block."""
    settings = settings or get_settings()
    if _secret(settings.discord_webhook_url):
        discord_parts(_secret(settings.discord_webhook_url))
    if settings.snowflake_target:
        _snowflake_target_check(settings)
    return [*_duckdb_targets(settings), *_snowflake_target(settings), *_alert_blocks(settings)]


def _snowflake_target_check(settings: Settings) -> None:
    from ff_analytics.dbt_runner.params import _TARGET

    if not _TARGET.match(settings.snowflake_target):
        raise ConfigError(f"FFA_SNOWFLAKE_TARGET {settings.snowflake_target!r} is not a valid dbt target name",
                          source=SOURCE)
    if settings.snowflake_target in ("dev", "prod"):
        raise ConfigError("FFA_SNOWFLAKE_TARGET may not be 'dev' or 'prod' (those are the DuckDB targets)",
                          source=SOURCE)
