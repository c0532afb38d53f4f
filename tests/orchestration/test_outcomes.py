"""A run's verdict: a dbt test warning is never counted as passed, and a freshness error fails the run."""

from __future__ import annotations

from ff_analytics.dbt_runner.artifacts import NodeResult
from ff_analytics.dbt_runner.invoke import DbtRun
from ff_analytics.orchestration.outcomes import RunSummary, SourceOutcome
from ff_analytics.orchestration.summary import dbt_label, freshness_label


def _node(uid: str, status: str) -> NodeResult:
    return NodeResult(unique_id=uid, resource_type=uid.split(".", 1)[0], name=uid.rsplit(".", 1)[-1],
                      status=status, execution_time=0.1, rows_affected=None, message=f"{status} message")


def test_a_freshness_error_fails_the_run_and_names_the_source():
    build = DbtRun("build", True, [_node("model.p.a", "success"), _node("test.p.t1", "pass")])
    fresh = DbtRun("source freshness", True, [_node("source.p.ktc.players", "error"),
                                              _node("source.p.sleeper.users", "pass")])
    summary = RunSummary("run", [SourceOutcome("ktc", "ok")], dbt_build=build, dbt_freshness=fresh)
    assert not summary.ok
    assert any(f.startswith("dbt source freshness: source.p.ktc.players: error") for f in summary.failures())
    assert freshness_label(fresh) == "1 fresh, 0 warn, 1 error (players)"
    fresh_warn = DbtRun("source freshness", True, [_node("source.p.ktc.players", "warn")])
    assert RunSummary("run", [], dbt_build=build, dbt_freshness=fresh_warn).ok  # a warning alerts, never fails


def test_a_warned_test_is_not_counted_as_passed_and_is_named():
    build = DbtRun("build", True, [_node("model.p.a", "success"), _node("test.p.t1", "pass"),
                                   _node("test.p.assert_rows", "warn")])
    assert (build.tests_passed, build.tests_warned) == (1, 1)
    assert dbt_label(build) == "1 models built, 1 tests passed, 1 warned (assert_rows)"
