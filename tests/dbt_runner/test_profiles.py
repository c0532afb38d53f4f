"""Profiles rendered from blocks: right shape per adapter, private temp dir, removed after use."""

from __future__ import annotations

import stat
from pathlib import Path

import yaml
from pydantic import SecretStr

from ff_analytics.dbt_runner.profiles import ephemeral_profiles_dir, snowflake_timeouts
from ff_analytics.dbt_runner.targets import DbtDuckDBTarget, target_block_name

PROJECT = Path(__file__).parent / "projects" / "duckdb_project"


def test_block_names():
    assert target_block_name("dev") == "ffa-dbt-dev"
    assert target_block_name("Prod_EU") == "ffa-dbt-prod-eu"


def test_motherduck_profile_carries_the_token_only_in_the_ephemeral_file():
    block = DbtDuckDBTarget(path="md:ff_analytics", schema="marts", threads=3,
                            motherduck_token=SecretStr("md-token-5551"),
                            plugins=[{"module": "ff_analytics.transform.duckdb_plugin", "alias": "ffa"}])
    assert "md-token-5551" not in repr(block) and "md-token-5551" not in block.model_dump_json()
    with ephemeral_profiles_dir(PROJECT, "dev", block) as tmp:
        assert stat.S_IMODE(tmp.stat().st_mode) == 0o700
        assert stat.S_IMODE((tmp / "profiles.yml").stat().st_mode) == 0o600
        profile = yaml.safe_load((tmp / "profiles.yml").read_text())
    assert not tmp.exists()
    out = profile["ffa_test_duckdb"]["outputs"]["dev"]
    assert profile["ffa_test_duckdb"]["target"] == "dev"
    assert out == {"type": "duckdb", "path": "md:ff_analytics", "schema": "marts", "threads": 3,
                   "settings": {"motherduck_token": "md-token-5551"},
                   "plugins": [{"module": "ff_analytics.transform.duckdb_plugin", "alias": "ffa"}]}


def test_snowflake_key_pair_profile():
    from prefect_snowflake import SnowflakeCredentials

    from ff_analytics.dbt_runner.snowflake_target import DbtSnowflakeTarget

    pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB-test\n-----END ENCRYPTED PRIVATE KEY-----"
    creds = SnowflakeCredentials(account="xy12345.eu-west-1", user="dbt_svc", private_key=pem.encode(),
                                 private_key_passphrase=SecretStr("kp-pass-99"), role="TRANSFORMER")
    block = DbtSnowflakeTarget(credentials=creds, warehouse="WH", database="FFA", schema="MARTS",
                               login_timeout_seconds=15, network_timeout_seconds=60)
    out = block.profile_output()
    assert out["private_key"] == pem and out["private_key_passphrase"] == "kp-pass-99"
    assert "password" not in out
    assert (out["account"], out["user"], out["role"], out["warehouse"], out["database"], out["schema"]) == \
        ("xy12345.eu-west-1", "dbt_svc", "TRANSFORMER", "WH", "FFA", "MARTS")
    assert sorted(block.secret_values()) == sorted([pem, "kp-pass-99"])


def test_snowflake_timeouts_apply_for_the_run_and_are_restored():
    from snowflake.connector import connection

    before = dict(connection.DEFAULT_CONFIGURATION)
    with snowflake_timeouts(12, 34):
        assert connection.DEFAULT_CONFIGURATION["login_timeout"][0] == 12
        assert connection.DEFAULT_CONFIGURATION["network_timeout"][0] == 34
    assert connection.DEFAULT_CONFIGURATION == before
