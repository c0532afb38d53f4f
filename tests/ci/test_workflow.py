"""The GitHub Actions pipeline lints clean and calls the README's commands (no second copy of the logic)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from ff_analytics.settings import PROJECT_ROOT

WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "data-pipeline.yml"


def test_actionlint_is_clean() -> None:
    exe = shutil.which("actionlint")
    if exe is None:
        pytest.skip("actionlint is not installed (dev dependency for linux x86_64)")
    result = subprocess.run([exe, str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_the_documented_commands_on_schedule_and_dispatch() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    runs = [step.get("run", "") for step in workflow["jobs"]["pipeline"]["steps"]]
    commands = [re.sub(r"\$\{\{.*?\}\}", "", r).strip() for r in runs if r]
    readme = (PROJECT_ROOT / "README.md").read_text()
    install = next(c for c in commands if "uv sync" in c)
    assert install.split(" --extra")[0] in readme  # the README's install line
    for expected in ("ffa run", "ffa validate --fail-on-gaps", "ffa freshness", "ffa report"):
        assert any(expected in c for c in commands), expected
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in
               workflow["jobs"]["pipeline"]["steps"])
