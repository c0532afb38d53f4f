"""The Snowflake dbt target block: connection details here, credentials in a prefect-snowflake block.

Imported only when Snowflake is used (prefect-snowflake ships with the ``snowflake`` extra). Credentials are
prefect-snowflake's ``SnowflakeCredentials`` (password or key-pair, all ``SecretStr``); this block adds what
dbt needs besides: warehouse, database, schema, threads, an optional host/port/protocol (private link or a local
fakesnow server) and the login/network timeouts the connector otherwise leaves infinite.
"""

from __future__ import annotations

from typing import Any, ClassVar

from prefect.blocks.core import Block
from prefect_snowflake import SnowflakeCredentials
from pydantic import Field


class DbtSnowflakeTarget(Block):
    """A dbt-snowflake target; see the module docstring for why credentials are a separate block."""

    _block_type_name: ClassVar[str] = "ffa dbt Snowflake target"
    _block_type_slug: ClassVar[str] = "ffa-dbt-snowflake-target"
    _description: ClassVar[str] = "dbt-snowflake connection for ff-analytics; secrets live in the credentials block."

    credentials: SnowflakeCredentials
    warehouse: str = ""
    database: str
    schema_: str = Field(..., alias="schema")
    role: str = Field("", description="Overrides the credentials' role when set")
    threads: int = Field(4, ge=1, le=64)
    host: str = ""
    port: int = 0
    protocol: str = ""
    login_timeout_seconds: int = Field(30, ge=1)
    network_timeout_seconds: int = Field(300, ge=1)
    connect_retries: int = Field(1, ge=0)

    model_config = {"populate_by_name": True}

    @property
    def kind(self) -> str:
        return "snowflake"

    def profile_output(self) -> dict[str, Any]:
        """The profiles.yml output (secrets included: written only into the ephemeral profiles dir)."""
        creds = self.credentials
        out: dict[str, Any] = {"type": "snowflake", "account": creds.account, "database": self.database,
                               "schema": self.schema_, "threads": self.threads,
                               "connect_retries": self.connect_retries,
                               "connect_timeout": self.login_timeout_seconds}
        if creds.user:
            out["user"] = creds.user
        role = self.role or creds.role
        if role:
            out["role"] = role
        if self.warehouse:
            out["warehouse"] = self.warehouse
        if creds.password is not None and creds.password.get_secret_value():
            out["password"] = creds.password.get_secret_value()
        if creds.private_key is not None and creds.private_key.get_secret_value():
            out["private_key"] = creds.private_key.get_secret_value().decode()
        if creds.private_key_path:
            out["private_key_path"] = str(creds.private_key_path)
        if creds.private_key_passphrase is not None and creds.private_key_passphrase.get_secret_value():
            out["private_key_passphrase"] = creds.private_key_passphrase.get_secret_value()
        if creds.authenticator and creds.authenticator != "snowflake":
            out["authenticator"] = creds.authenticator
        for key in ("host", "protocol"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.port:
            out["port"] = self.port
        return out

    def secret_values(self) -> list[str]:
        creds = self.credentials
        values = [creds.password.get_secret_value() if creds.password else "",
                  creds.private_key.get_secret_value().decode() if creds.private_key else "",
                  creds.private_key_passphrase.get_secret_value() if creds.private_key_passphrase else ""]
        return [v for v in values if v]

    def connector_timeouts(self) -> dict[str, int]:
        """Timeouts for snowflake.connector (dbt-snowflake does not pass them; see profiles.snowflake_timeouts)."""
        return {"login_timeout": self.login_timeout_seconds, "network_timeout": self.network_timeout_seconds}
