"""dbt results from a real demo build's artifacts (thinned): counts where warn is never a pass, findings per
non-passing test and stale source, and parity that names a node one run executed and the other did not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ff_analytics.cli.dbt import register
from ff_analytics.dbt_runner.artifacts import RunArtifacts, dbt_findings, result_counts, summarise, summary_markdown
from ff_analytics.dbt_runner.parity import compare_runs
from ff_analytics.governance.findings import Severity

FIXTURE = Path(__file__).parent / "fixtures" / "demo_build"
WARNED = "assert_staging_row_counts_match_baseline"
REMOVED = "model.ff_analytics.stg_ktc__players"


def copy_run(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURE, target)
    return target


def edit_results(run: Path, edit, file: str = "run_results.json") -> None:
    doc = json.loads((run / file).read_text())
    edit(doc)
    (run / file).write_text(json.dumps(doc))


def cli(*args: str):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, ["dbt", *args])


def test_counts_keep_warn_out_of_pass_and_name_the_test() -> None:
    counts = result_counts(RunArtifacts.load(FIXTURE))
    assert counts.tests == {"pass": 5, "warn": 1, "error": 0, "skip": 0}
    assert counts.names("warn") == [WARNED]
    assert counts.of("model", "seed") == {"pass": 8, "warn": 0, "error": 0, "skip": 0}
    assert counts.line() == f"tests: 5 pass, 1 warn, 0 error, 0 skip (warn: {WARNED})"
    summary = summarise(RunArtifacts.load(FIXTURE), success=True)
    assert summary.tests["warn"] == 1 and summary.not_passed[0]["name"] == WARNED
    assert f"`{WARNED}` (test) | warn | Got 2 results" in summary_markdown(summary, "dbt build")


def test_failed_and_skipped_tests_are_counted_and_become_findings(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "run")

    def fail_one(doc: dict) -> None:
        tests = [r for r in doc["results"] if r["unique_id"].startswith("test.") and r["status"] == "pass"]
        tests[0].update(status="fail", message="Got 3 results, configured to fail if != 0")
        tests[1].update(status="skipped", message=None)

    edit_results(run, fail_one)
    counts = result_counts(RunArtifacts.load(run))
    assert counts.tests == {"pass": 3, "warn": 1, "error": 1, "skip": 1}
    findings = {f.code: f for f in dbt_findings(RunArtifacts.load(run))}
    assert set(findings) == {"dbt_test_warn", "dbt_test_error"}
    assert findings["dbt_test_error"].severity is Severity.error
    assert "Got 3 results" in findings["dbt_test_error"].message
    assert findings["dbt_test_warn"].dataset == WARNED and findings["dbt_test_warn"].source == "dbt"


def test_freshness_findings_tell_error_from_warn_and_name_the_dataset(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "run")

    def stale(doc: dict) -> None:
        doc["results"][0].update(status="error", max_loaded_at_time_ago_in_s=9 * 86400)
        doc["results"][2].update(status="warn", max_loaded_at_time_ago_in_s=3 * 86400)

    edit_results(run, stale, "sources.json")
    found = {f.code: f for f in dbt_findings(RunArtifacts.load(run))}
    err, warn = found["dbt_freshness_error"], found["dbt_freshness_warn"]
    assert (err.severity, err.source, err.dataset) == (Severity.error, "ffanalytics", "projections_raw")
    assert "ERROR: ffanalytics.projections_raw newest data 9.0 days old" in err.message
    assert "error after 7 day(s)" in err.message
    assert (warn.severity, warn.source, warn.dataset) == (Severity.warning, "ktc", "picks")
    assert "warning: ktc.picks" in warn.message


def test_parity_identical_copies_then_a_missing_model_result_is_a_named_difference(tmp_path: Path) -> None:
    base, cand = copy_run(tmp_path, "base"), copy_run(tmp_path, "cand")
    same = cli("parity", str(base), str(cand))
    assert same.exit_code == 0 and "parity: IDENTICAL" in same.output, same.output

    edit_results(cand, lambda doc: doc["results"].remove(next(r for r in doc["results"] if r["unique_id"] == REMOVED)))
    report = compare_runs(base, cand)
    assert not report.identical
    assert report.result_only_in_baseline == [{"unique_id": REMOVED, "status": "success"}]
    assert report.counts_by_status["success"] == {"baseline": 8, "candidate": 7}
    text = cli("parity", str(base), str(cand))
    assert text.exit_code == 1
    assert "parity: DIFFERENT (1 difference(s)" in text.output
    assert f"{REMOVED} has a result only in the baseline (success)" in text.output
    as_json = json.loads(cli("parity", str(base), str(cand), "--format", "json").stdout)
    assert as_json["identical"] is False and as_json["result_only_in_baseline"][0]["unique_id"] == REMOVED


@pytest.mark.parametrize("status", ["warn", "skipped"])
def test_parity_counts_another_status_as_a_difference(tmp_path: Path, status: str) -> None:
    base, cand = copy_run(tmp_path, "base"), copy_run(tmp_path, "cand")
    edit_results(cand, lambda doc: next(r for r in doc["results"] if r["unique_id"] == REMOVED).update(status=status))
    report = compare_runs(base, cand)
    assert report.differences == [f"{REMOVED} status success -> {status}"]
