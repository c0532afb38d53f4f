"""`retention`: what the league's GCS lifecycle policy would do to each snapshot; never the current one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ff_analytics.errors import ConfigError
from ff_analytics.governance.retention import apply_deletions, load_policy, plan_retention
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.cli_app import governance_app
from tests.governance.tree import EARLIER, TODAY, partition

LIFECYCLE = get_settings().config_dir / "league" / "lifecycle.json"


def test_league_policy_moves_old_raw_snapshots_not_current(tree: SnapshotStore) -> None:
    rules, notes = load_policy(LIFECYCLE)
    assert [(r.action, r.storage_class, r.age, r.prefixes) for r in rules] == [
        ("SetStorageClass", "NEARLINE", 30, ("raw/", "stage/")), ("SetStorageClass", "COLDLINE", 180, ("raw/",)),
        ("Delete", None, 90, ("ops/logs/",))]
    assert notes == []
    actions, findings = plan_retention(tree, rules, as_of=date(2025, 2, 14))  # EARLIER is 33 days old
    by = {(a.dataset, a.dt): a for a in actions if a.source == "ktc"}
    assert (by[("players", EARLIER)].action, by[("players", EARLIER)].storage_class) == ("set_storage_class",
                                                                                        "NEARLINE")
    assert by[("players", TODAY)].action == "keep"  # 26 days: below every age
    later, _ = plan_retention(tree, rules, as_of=date(2025, 8, 1))
    by = {(a.dataset, a.dt): a for a in later if a.source == "ktc"}
    assert by[("players", EARLIER)].storage_class == "COLDLINE"  # 201 days: the coldest class reached
    assert by[("players", TODAY)].action == "protected" and by[("players", TODAY)].status == "current"
    assert findings == []


def test_delete_rule_spares_current_and_is_applied_only_without_dry_run(tree: SnapshotStore, data_root: Path,
                                                                        tmp_path: Path) -> None:
    policy = tmp_path / "lifecycle.json"
    policy.write_text(json.dumps({"rule": [{"action": {"type": "Delete"},
                                            "condition": {"age": 5, "matchesPrefix": ["raw/ktc/"]}},
                                           {"action": {"type": "Delete"}, "condition": {"isLive": False}}]}))
    rules, notes = load_policy(policy)
    assert [n.code for n in notes] == ["rule_not_evaluated"]
    actions, findings = plan_retention(tree, rules, as_of=date(2025, 1, 30))
    deleted = sorted((a.dataset, a.dt) for a in actions if a.action == "delete")
    assert deleted == [("picks", EARLIER), ("players", EARLIER)]
    assert {(f.code, f.dataset) for f in findings} == {("policy_deletes_protected", "picks"),
                                                       ("policy_deletes_protected", "players")}
    res = CliRunner().invoke(governance_app(), ["retention", "--policy", str(policy), "--dry-run",
                                                "--as-of", "2025-01-30"])
    assert res.exit_code == 0 and "ktc/players 2025-01-12 [historical, 18 d]: delete (rule 0)" in res.output
    assert partition(data_root, "ktc", "players", EARLIER).exists()  # dry run: nothing touched
    done = apply_deletions(tree, actions)
    assert sorted((a.dataset, a.dt) for a in done) == deleted
    assert not partition(data_root, "ktc", "players", EARLIER).exists()
    assert partition(data_root, "ktc", "players", TODAY).exists()
    statuses = {(r.dataset, r.snapshot_date): r.status for r in tree.registry.read() if r.source == "ktc"}
    assert statuses[("players", EARLIER)] == "archived" and statuses[("players", TODAY)] == "current"


def test_bad_policy_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(ConfigError, match="not a valid GCS lifecycle JSON"):
        load_policy(bad)
