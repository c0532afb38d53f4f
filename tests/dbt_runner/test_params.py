"""Parameter validation happens before dbt starts and names the bad parameter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ff_analytics.dbt_runner.params import parse_vars, validate_request
from ff_analytics.errors import ConfigError

PROJECT = Path(__file__).parent / "projects" / "duckdb_project"


def req(**kw):
    return validate_request(**{"command": "build", "target": "dev", "project_dir": PROJECT, **kw})


def test_vars_accept_json_and_yaml_mappings():
    assert parse_vars('{"season": 2024, "weeks": [1, 2]}') == {"season": 2024, "weeks": [1, 2]}
    assert parse_vars("season: 2024\nstrategy: latest_only") == {"season": 2024, "strategy": "latest_only"}
    assert parse_vars(None) == {} and parse_vars("") == {}


@pytest.mark.parametrize("bad, expected", [
    ('{"season": 2024', "not valid JSON/YAML"),
    ("[1, 2, 3]", "must be a mapping"),
    ("just a string", "must be a mapping"),
    ("a: [1, 2", "not valid JSON/YAML"),
])
def test_bad_vars_string_is_rejected_with_its_text(bad, expected):
    with pytest.raises(ConfigError, match=expected) as exc:
        req(vars=bad)
    assert "vars" in str(exc.value)


def test_unknown_command_lists_allowed_ones():
    with pytest.raises(ConfigError, match=r"unknown dbt command 'compile'.*build, run, test, seed, deps, clean, "
                                          r"source freshness"):
        req(command="compile")


def test_source_freshness_and_selection_args():
    inv = req(command="Source  Freshness", select="source:ktc", target="prod")
    assert inv.command == "source freshness"
    assert inv.args == ["source", "freshness", "--target", "prod", "--select", "source:ktc"]


def test_build_args_with_vars_select_exclude_full_refresh():
    inv = req(select="tag:marts stg_players", exclude=["fct_asset_market_values"], vars="season: 2024",
              full_refresh=True)
    assert inv.args[:3] == ["build", "--target", "dev"]
    assert inv.args[inv.args.index("--select") + 1:inv.args.index("--exclude")] == ["tag:marts", "stg_players"]
    assert json.loads(inv.args[inv.args.index("--vars") + 1]) == {"season": 2024}
    assert "--full-refresh" in inv.args


@pytest.mark.parametrize("kw, expected", [
    ({"command": "deps", "select": "x"}, "select/exclude do not apply to 'dbt deps'"),
    ({"command": "test", "full_refresh": True}, "full_refresh applies to"),
    ({"defer": True}, "defer needs state_path"),
    ({"select": "state:modified+"}, "needs state_path"),
    ({"target": "dev; rm -rf"}, "not a valid dbt target name"),
    ({"profiles_strategy": "home"}, "profiles_strategy 'home' unknown"),
    ({"select": "--full-refresh"}, "looks like a flag"),
])
def test_invalid_combinations(kw, expected):
    with pytest.raises(ConfigError, match=expected):
        req(**kw)


def test_project_dir_and_state_path_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="has no dbt_project.yml"):
        req(project_dir=tmp_path)
    with pytest.raises(ConfigError, match="holds no manifest.json"):
        req(state_path=tmp_path, select="state:modified+")


def test_state_path_accepts_a_run_dir_with_target(tmp_path):
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "manifest.json").write_text("{}")
    inv = req(state_path=tmp_path, select="state:modified+", defer=True)
    assert inv.args[-3:] == ["--state", str(tmp_path / "target"), "--defer"]
