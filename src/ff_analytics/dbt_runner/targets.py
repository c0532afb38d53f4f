"""Prefect blocks that describe a dbt target (DuckDB/MotherDuck); Snowflake lives in ``snowflake_target``.

One block per dbt target, named ``ffa-dbt-<target>``. The block holds connection details; secrets are
``SecretStr`` fields (masked in the UI, API and logs) and only leave the block when the profile is rendered
into the run's ephemeral profiles dir.
"""

from __future__ import annotations

from typing import Any, ClassVar

from prefect.blocks.core import Block
from pydantic import Field, SecretStr

TARGET_BLOCK_PREFIX = "ffa-dbt-"


def target_block_name(target: str) -> str:
    """The block name for a dbt target: ``dev`` → ``ffa-dbt-dev`` (block names are lower-case slugs)."""
    return TARGET_BLOCK_PREFIX + target.lower().replace("_", "-")


class DbtDuckDBTarget(Block):
    """A dbt-duckdb target: a local DuckDB file or a MotherDuck database (``md:<name>``)."""

    _block_type_name: ClassVar[str] = "ffa dbt DuckDB target"
    _block_type_slug: ClassVar[str] = "ffa-dbt-duckdb-target"
    _description: ClassVar[str] = "dbt-duckdb connection for ff-analytics (path or md:database)."

    path: str = Field(..., description="DuckDB file path, or md:<database> for MotherDuck")
    schema_: str = Field("main", alias="schema", description="Default schema for models")
    threads: int = Field(4, ge=1, le=64)
    extensions: list[str] = Field(default_factory=list, description="DuckDB extensions to load")
    settings: dict[str, Any] = Field(default_factory=dict, description="Non-secret DuckDB settings")
    config_options: dict[str, Any] = Field(default_factory=dict,
                                           description="Options applied at connect (e.g. extension_directory)")
    plugins: list[dict[str, Any]] = Field(default_factory=list, description="dbt-duckdb plugins (module, alias)")
    motherduck_token: SecretStr | None = Field(None, description="MotherDuck token (md: paths only)")

    model_config = {"populate_by_name": True}

    @property
    def kind(self) -> str:
        return "duckdb"

    def profile_output(self) -> dict[str, Any]:
        """The profiles.yml output for this target; contains the MotherDuck token when one is set."""
        out: dict[str, Any] = {"type": "duckdb", "path": self.path, "schema": self.schema_,
                               "threads": self.threads}
        if self.extensions:
            out["extensions"] = list(self.extensions)
        settings = dict(self.settings)
        if self.motherduck_token is not None and self.motherduck_token.get_secret_value():
            settings["motherduck_token"] = self.motherduck_token.get_secret_value()
        if settings:
            out["settings"] = settings
        if self.plugins:
            out["plugins"] = [dict(p) for p in self.plugins]
        if self.config_options:
            out["config_options"] = dict(self.config_options)
        return out

    def secret_values(self) -> list[str]:
        """The secrets this block holds (so callers can check they never leak)."""
        token = self.motherduck_token.get_secret_value() if self.motherduck_token else ""
        return [token] if token else []
