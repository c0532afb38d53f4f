"""dbt profiles for a run: rendered from Prefect blocks into a private temp dir that is deleted afterwards.

``blocks`` (default): the target's block is loaded, the profile written to ``<tmp>/profiles.yml`` (dir 0700, file
0600) and that dir handed to dbt; nothing is written to ``~/.dbt`` and no secret is written anywhere else.
``local``: the project's own ``profiles.yml`` (prefect-dbt still resolves ``{{ prefect.blocks... }}`` in it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, Protocol

import yaml
from prefect_dbt.core.settings import PrefectDbtSettings

from ff_analytics.dbt_runner.targets import DbtDuckDBTarget, target_block_name
from ff_analytics.errors import ConfigError

SOURCE = "dbt_runner"
PROFILES_DIR_PREFIX = "ffa-dbt-profiles-"


class TargetBlock(Protocol):
    kind: str

    def profile_output(self) -> dict[str, Any]: ...
    def secret_values(self) -> list[str]: ...


def project_profile_name(project_dir: Path) -> str:
    """The ``profile:`` a dbt project asks for (its profiles.yml entry must carry this name)."""
    with open(project_dir / "dbt_project.yml", encoding="utf-8") as fh:
        project = yaml.safe_load(fh) or {}
    name = project.get("profile")
    if not name:
        raise ConfigError(f"{project_dir / 'dbt_project.yml'} has no 'profile:' entry", source=SOURCE)
    return str(name)


def snowflake_block_class() -> type:
    """The Snowflake target block class, or a clear error when the snowflake extra is not installed."""
    try:
        from ff_analytics.dbt_runner.snowflake_target import DbtSnowflakeTarget
    except ImportError as exc:
        raise ConfigError(f"Snowflake targets need the snowflake extra (uv sync --extra snowflake): {exc}",
                          source=SOURCE) from None
    return DbtSnowflakeTarget


def load_target_block(target: str) -> TargetBlock:
    """Load ``ffa-dbt-<target>`` as a DuckDB or Snowflake target block; a missing block is a ConfigError."""
    name = target_block_name(target)
    classes: list[type] = [DbtDuckDBTarget]
    with contextlib.suppress(ConfigError):
        classes.append(snowflake_block_class())
    for cls in classes:
        try:
            return cls.load(name)  # type: ignore[attr-defined,no-any-return]
        except ValueError:
            continue
    raise ConfigError(f"no dbt target block {name!r} for target {target!r} (looked for "
                      f"{', '.join(c._block_type_slug for c in classes)}); create it with `ffa blocks register`",
                      source=SOURCE)


def render_profiles(profile: str, target: str, block: TargetBlock) -> dict[str, Any]:
    return {profile: {"target": target, "outputs": {target: block.profile_output()}}}


@contextlib.contextmanager
def ephemeral_profiles_dir(project_dir: Path, target: str, block: TargetBlock) -> Iterator[Path]:
    """A private temp dir holding the rendered profiles.yml; removed (with the secrets) when the run ends."""
    tmp = Path(tempfile.mkdtemp(prefix=PROFILES_DIR_PREFIX))
    try:
        os.chmod(tmp, 0o700)
        path = tmp / "profiles.yml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yaml.safe_dump(render_profiles(project_profile_name(project_dir), target, block), fh,
                           sort_keys=False)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def local_profiles_dir(project_dir: Path) -> Path:
    """The project's own profiles dir for ``profiles_strategy=local`` (never ~/.dbt implicitly)."""
    if (project_dir / "profiles.yml").is_file():
        return project_dir
    raise ConfigError(f"profiles_strategy=local but {project_dir / 'profiles.yml'} does not exist",
                      source=SOURCE)


class PreRenderedProfilesSettings(PrefectDbtSettings):
    """prefect-dbt settings whose profiles dir is used as is.

    prefect-dbt normally copies profiles.yml into another temp dir to resolve block references; ours is already
    rendered from blocks, and copying it would put the secrets in a second place.
    """

    @contextlib.contextmanager
    def resolve_profiles_yml(self) -> Generator[str, None, None]:
        yield str(self.profiles_dir)


@contextlib.contextmanager
def snowflake_timeouts(login_timeout: int, network_timeout: int) -> Iterator[None]:
    """Give new snowflake.connector connections finite login/network timeouts for the duration of a run.

    dbt-snowflake does not pass these to ``snowflake.connector.connect`` and the connector defaults to retrying
    forever (seen against fakesnow after a failed BEGIN). The connector copies ``DEFAULT_CONFIGURATION`` into
    every new connection, so the defaults are swapped in for the run and restored afterwards.
    """
    from snowflake.connector import connection as sf_connection

    defaults = sf_connection.DEFAULT_CONFIGURATION
    saved = {key: defaults[key] for key in ("login_timeout", "network_timeout")}
    defaults["login_timeout"] = (login_timeout, saved["login_timeout"][1])
    defaults["network_timeout"] = (network_timeout, saved["network_timeout"][1])
    try:
        yield
    finally:
        defaults.update(saved)
