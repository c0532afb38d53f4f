"""prepare_dbt and the generated sources YAML (no dbt run: fast)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from ff_analytics.errors import ConfigError
from ff_analytics.platform_config import load_platform_config, platform_config
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.transform import prepare_dbt
from ff_analytics.transform.sources_yaml import check_sources_yaml, render_sources_yaml


def test_committed_sources_yaml_matches_platform_config() -> None:
    check_sources_yaml()
    doc = yaml.safe_load(render_sources_yaml())
    thresholds = {s["name"]: (s["freshness"]["warn_after"]["count"], s["freshness"]["error_after"]["count"])
                  for s in doc["sources"]}
    assert thresholds == {"sheets": (1, 7), "nflverse": (2, 7), "ffanalytics": (2, 7), "ktc": (5, 14),
                          "sleeper": (1, 7), "identity": (7, 30)}
    for source in doc["sources"]:
        assert source["loaded_at_field"] == "cast(dt as timestamp)"
        assert [t["name"] for t in source["tables"]] == platform_config().sources[source["name"]].datasets


def test_stale_sources_yaml_is_refused(tmp_path: Path) -> None:
    text = (get_settings().config_dir / "platform.yaml").read_text().replace(
        "freshness: {warn_after_days: 5, error_after_days: 14}",
        "freshness: {warn_after_days: 3, error_after_days: 14}")
    changed = tmp_path / "platform.yaml"
    changed.write_text(text)
    with pytest.raises(ConfigError, match="out of date"):
        check_sources_yaml(config=load_platform_config(changed))


def test_staging_model_list_matches_files() -> None:
    project = get_settings().dbt_project_dir
    files = sorted(p.stem for p in (project / "models" / "staging").rglob("stg_*.sql"))
    macro = (project / "macros" / "staging_models.sql").read_text()
    listed = sorted(n for n in macro.split("'") if n.startswith("stg_"))
    assert files == listed
    for path in (project / "models").rglob("*.sql"):  # every snapshot is read through snapshot_source()
        assert "raw/" not in path.read_text(), f"{path.name} spells a snapshot path"


def test_prepare_dbt_returns_absolute_paths_and_writes_nothing_into_the_project(
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = SnapshotStore()
    store.write("ktc", "players", pl.DataFrame({"player_name": ["A"], "value": [1]}), dt="2025-10-01")
    project = get_settings().dbt_project_dir

    def project_files() -> dict[Path, int]:
        return {p: p.stat().st_mtime_ns for p in project.rglob("*")
                if p.is_file() and not {"target", "logs"} & set(p.relative_to(project).parts)}

    before = project_files()
    prepared = prepare_dbt(store)
    assert project_files() == before  # runs on other data roots may share the project directory
    assert Path(prepared.dbt_vars["data_root"]).is_absolute()
    assert prepared.dbt_vars["data_root"] == str(Path(store.root.base))
    # The root reaches dbt once, as a var; the environment only names the root's own warehouse file.
    assert prepared.env == {"FFA_DBT_DUCKDB_PATH": str(store.root.warehouse_path.resolve())}
    assert prepared.warehouse_path == store.root.warehouse_path.resolve()
    assert prepared.target_path == store.root.dbt_target_dir.resolve()
    monkeypatch.setenv("FFA_SNAPSHOT_STRATEGY", "as_of")
    get_settings.cache_clear()
    platform_config.cache_clear()
    with pytest.raises(ConfigError, match="FFA_SNAPSHOT_AS_OF"):
        prepare_dbt(store)
    monkeypatch.setenv("FFA_SNAPSHOT_AS_OF", "yesterday")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="not a date"):
        prepare_dbt(store)
