"""What a GCS-style lifecycle policy would do to our snapshots, and (optionally) applying its deletions.

The policy is the bucket's own JSON (``{"lifecycle": {"rule": [...]}}`` or ``{"rule": [...]}``). Supported
conditions: ``age`` (days, measured from the snapshot date: objects are written that day), ``createdBefore``,
``matchesPrefix`` and ``matchesSuffix`` (on object names relative to the data root). A rule with any other
condition is not evaluated and is reported. Of the rules that match a snapshot, ``Delete`` wins; otherwise the
``SetStorageClass`` rule with the largest age (the coldest class reached).

Current and pending snapshots are never deleted or moved by this tool; a policy that *would* delete one is
reported as a warning (the bucket would do it on its own, so the policy needs an exclusion).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ff_analytics.errors import ConfigError
from ff_analytics.governance.findings import Finding, info, warning
from ff_analytics.governance.inventory import read_registry_rows, scan
from ff_analytics.snapshots.paths import partition_dir
from ff_analytics.snapshots.store import SnapshotStore

SUPPORTED_CONDITIONS = {"age", "createdBefore", "matchesPrefix", "matchesSuffix"}
PROTECTED = ("current", "pending")


@dataclass(frozen=True)
class Rule:
    index: int
    action: str  # "Delete" or "SetStorageClass"
    storage_class: str | None
    age: int | None
    created_before: date | None
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]

    def matches(self, object_names: list[str], snapshot_dt: date, as_of: date) -> bool:
        if self.age is not None and (as_of - snapshot_dt).days < self.age:
            return False
        if self.created_before is not None and snapshot_dt >= self.created_before:
            return False
        return any((not self.prefixes or n.startswith(self.prefixes)) and
                   (not self.suffixes or n.endswith(self.suffixes)) for n in object_names)


@dataclass
class RetentionAction:
    source: str
    dataset: str
    dt: str
    status: str
    age_days: int
    action: str  # keep | delete | set_storage_class | protected
    storage_class: str | None
    rule: int | None
    applied: bool = False
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_policy(path: str | Path) -> tuple[list[Rule], list[Finding]]:
    """Parse a lifecycle JSON; a malformed file is a ConfigError naming it, unsupported rules are findings."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        raw_rules = (doc.get("lifecycle", doc) or {}).get("rule", [])
        if not isinstance(raw_rules, list):
            raise TypeError("'rule' is not a list")
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise ConfigError(f"lifecycle policy {path} is not a valid GCS lifecycle JSON: {exc}") from None
    rules, findings = [], []
    for i, r in enumerate(raw_rules):
        action = (r.get("action") or {}) if isinstance(r, dict) else {}
        cond = (r.get("condition") or {}) if isinstance(r, dict) else {}
        unsupported = set(cond) - SUPPORTED_CONDITIONS
        kind = action.get("type")
        if kind not in ("Delete", "SetStorageClass") or unsupported:
            why = f"conditions {sorted(unsupported)} not supported" if unsupported else f"action {kind!r}"
            findings.append(info("retention", "rule_not_evaluated", f"rule {i} not evaluated: {why}", path=str(path)))
            continue
        try:
            created = date.fromisoformat(cond["createdBefore"]) if "createdBefore" in cond else None
            age = int(cond["age"]) if "age" in cond else None
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"lifecycle policy {path} rule {i}: bad condition ({exc})") from None
        rules.append(Rule(i, kind, action.get("storageClass"), age, created,
                          tuple(cond.get("matchesPrefix", [])), tuple(cond.get("matchesSuffix", []))))
    return rules, findings


def plan_retention(store: SnapshotStore, rules: list[Rule], as_of: date | None = None,
                   sources: Iterable[str] | None = None) -> tuple[list[RetentionAction], list[Finding]]:
    """The action the policy implies for every registered snapshot (and unregistered partitions, as 'untracked')."""
    as_of = as_of or datetime.now(UTC).date()
    inv = scan(store, sources)
    rows, problems = read_registry_rows(store)
    wanted = set(sources) if sources else None
    by_key = {r.key: r for r in rows if wanted is None or r.source in wanted}
    actions: list[RetentionAction] = []
    findings: list[Finding] = list(problems)  # a damaged registry fails the run: deletions would refuse it too
    for key in sorted(set(by_key) | set(inv.partitions)):
        row, part = by_key.get(key), inv.partitions.get(key)
        source, dataset, dt_text = key
        day = date.fromisoformat(dt_text)
        rel = partition_dir(source, dataset, day)
        names = [f"{rel}/{n}" for n in part.names] if part else [f"{rel}/"]
        matched = [r for r in rules if r.matches(names, day, as_of)]
        delete = next((r for r in matched if r.action == "Delete"), None)
        move = max((r for r in matched if r.action == "SetStorageClass"), key=lambda r: r.age or 0, default=None)
        chosen = delete or move
        status = row.status if row else "untracked"
        act = RetentionAction(source, dataset, dt_text, status, (as_of - day).days,
                              "keep" if chosen is None else ("delete" if delete else "set_storage_class"),
                              chosen.storage_class if chosen else None, chosen.index if chosen else None)
        if status in PROTECTED and chosen is not None:
            if delete:
                findings.append(warning("retention", "policy_deletes_protected", f"rule {delete.index} would delete "
                                        f"the {status} snapshot; exclude it in the bucket policy", source=source,
                                        dataset=dataset, dt=day, path=store.root.uri(rel)))
            act.action, act.note = "protected", f"{status}: never moved or deleted by ffa"
        if part is None and act.action == "delete":
            act.note = "files already gone"
        actions.append(act)
    return actions, findings


def apply_deletions(store: SnapshotStore, actions: list[RetentionAction]) -> list[RetentionAction]:
    """Carry out 'delete' actions on historical/archived snapshots: registry row archived first, then the files.

    Current, pending and untracked (unregistered) partitions are never deleted. The plan was made without the
    lock, so the decision is taken again under it: each row's status is re-read and a snapshot that became
    current or pending since (a promote or rollback in between) is kept. A damaged registry raises.

    Storage-class changes are left to the bucket's lifecycle configuration; nothing local corresponds to them.
    """
    todo = [a for a in actions if a.action == "delete" and a.status in ("historical", "archived")]
    done: list[RetentionAction] = []
    with store.registry.lock():
        with store.registry.transaction() as rows:
            by_key = {r.key: r for r in rows}
            for a in todo:
                row = by_key.get((a.source, a.dataset, a.dt))
                if row is None or row.status not in ("historical", "archived"):
                    a.note = f"now {row.status if row else 'unregistered'}: not deleted"
                    continue
                if not store.config.has_dataset(a.source, a.dataset):
                    a.note = "dataset not in config/platform.yaml: not deleted"
                    continue
                if row.status == "historical":
                    row.status = "archived"
                    row.notes = (row.notes + "; " if row.notes else "") + "deleted by retention policy"
                done.append(a)
        for a in done:
            store.delete_partition(a.source, a.dataset, date.fromisoformat(a.dt))
            a.applied = True
    return done
