"""Tables in the docs that restate config are generated from config, so the docs cannot drift.

A doc marks a generated block with ``<!-- generated:NAME -->`` … ``<!-- /generated:NAME -->``; ``ffa docs
refresh`` rewrites the blocks and ``ffa docs check`` (run by the tests) fails when one is stale.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ff_analytics.platform_config import PlatformConfig, platform_config
from ff_analytics.settings import get_settings


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def freshness_table(cfg: PlatformConfig) -> str:
    return _table(["source", "warn after (days)", "error after (days)"],
                  [[s, str(c.freshness.warn_after_days), str(c.freshness.error_after_days)]
                   for s, c in cfg.sources.items()])


def cadence_table(cfg: PlatformConfig) -> str:
    return _table(["source", "cron (UTC)", "cadence"],
                  [[s, f"`{c.cadence.cron}`", c.cadence.description] for s, c in cfg.sources.items()])


def datasets_table(cfg: PlatformConfig) -> str:
    return _table(["source", "datasets", "may be empty"],
                  [[s, ", ".join(c.datasets), ", ".join(cfg.allow_empty.get(s, [])) or "—"]
                   for s, c in cfg.sources.items()])


def row_count_table(cfg: PlatformConfig) -> str:
    rows = [["(default)", str(cfg.row_count_bounds.default.max_drop_pct),
             str(cfg.row_count_bounds.default.max_growth_pct)]]
    rows += [[k, str(v.max_drop_pct), str(v.max_growth_pct)] for k, v in cfg.row_count_bounds.overrides.items()]
    return _table(["dataset", "max drop % (error)", "max growth % (warning)"], rows)


def lifecycle_table(_cfg: PlatformConfig) -> str:
    """The object-store lifecycle policy (config/league/lifecycle.json), one row per rule."""
    policy = json.loads((get_settings().config_dir / "league" / "lifecycle.json").read_text())
    rows = []
    for rule in policy["lifecycle"]["rule"]:
        action = rule["action"]
        what = f"move to {action['storageClass']}" if action["type"] == "SetStorageClass" else action["type"].lower()
        cond = rule["condition"]
        rows.append([", ".join(f"`{p}`" for p in cond.get("matchesPrefix", ["(all)"])), str(cond.get("age", "")),
                     what])
    return _table(["prefix", "age (days)", "action"], rows)


GENERATORS: dict[str, Callable[[PlatformConfig], str]] = {
    "freshness": freshness_table,
    "cadence": cadence_table,
    "datasets": datasets_table,
    "row_count_bounds": row_count_table,
    "lifecycle": lifecycle_table,
}
_BLOCK = re.compile(r"(<!-- generated:(\w+) -->\n)(.*?)(<!-- /generated:\2 -->)", re.S)


def refresh_text(text: str, cfg: PlatformConfig | None = None) -> str:
    cfg = cfg or platform_config()

    def render(m: re.Match[str]) -> str:
        name = m.group(2)
        if name not in GENERATORS:
            raise KeyError(f"unknown generated block {name!r}; known: {', '.join(GENERATORS)}")
        return f"{m.group(1)}{GENERATORS[name](cfg)}\n{m.group(4)}"

    return _BLOCK.sub(render, text)


def doc_files(root: Path) -> list[Path]:
    return sorted([root / "README.md", *(root / "docs").rglob("*.md")])


def stale_docs(root: Path) -> list[Path]:
    return [p for p in doc_files(root) if p.exists() and refresh_text(p.read_text()) != p.read_text()]


def refresh_docs(root: Path) -> list[Path]:
    changed = stale_docs(root)
    for p in changed:
        p.write_text(refresh_text(p.read_text()))
    return changed
