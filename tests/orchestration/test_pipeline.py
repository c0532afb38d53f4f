"""The all-sources flow on recorded data (`ffa demo`) and under faults, against the shared local Prefect server."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from ff_analytics.orchestration.demo import replay_environment, run_demo, run_pipeline
from ff_analytics.replay.sleeper import RECORDED_LEAGUE_ID
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from tests.orchestration.fingerprint import fingerprint
from tests.prefect_server import free_port


@pytest.mark.slow
def test_demo_twice_second_run_is_unchanged_and_dbt_green(prefect_api, tmp_path, monkeypatch):
    monkeypatch.setenv("FFA_REPORT_DIR", str(tmp_path / "reports"))
    get_settings.cache_clear()

    first = run_demo()

    assert first.ok, first.failures()
    assert {s.source for s in first.sources} == {"nflverse", "sleeper", "ktc", "ffanalytics", "sheets", "identity"}
    for s in first.sources:
        assert s.rows > 0 and s.datasets and all(d.write_status == "new" for d in s.datasets), s
        assert all(d.state == "current" and d.promoted for d in s.datasets), s
    assert first.dbt_build.ok and first.dbt_build.models_built > 0 and first.dbt_build.tests_passed > 0
    assert first.dbt_freshness is not None and not first.dbt_freshness.failures
    assert Path(first.report_path).is_file() and Path(first.report_path).with_suffix(".json").is_file()

    second = run_demo()

    assert second.ok, second.failures()
    assert all(s.all_unchanged for s in second.sources), [(s.source, s.write_label) for s in second.sources]
    assert second.dbt_build.ok and second.dbt_build.models_built == first.dbt_build.models_built
    assert second.dbt_build.tests_passed == first.dbt_build.tests_passed
    # The history: both runs in the warehouse's ops store; the second changed nothing, and the report says so.
    assert first.changes and not second.changes
    with duckdb.connect(str(SnapshotStore().root.warehouse_path)) as con:  # dbt may hold it open in-process
        assert con.execute("select count(*) from ops.runs").fetchone()[0] == 2
    assert '<p id="what-changed">nothing changed' in Path(second.report_path).read_text()
    absent = [f for f in second.findings if f.code == "copy_tabs_present"]
    assert absent and all(name in absent[0].message for name in ("McCreary", "Piper", "TJ"))

    # One pipeline: the same steps without Prefect, on another root, write the same snapshots and marts.
    with_prefect = fingerprint(Path(get_settings().data_root))
    monkeypatch.setenv("FFA_DATA_ROOT", str(tmp_path / "direct" / "data"))
    get_settings.cache_clear()
    direct = run_demo(use_prefect=False)
    assert direct.ok, direct.failures()
    without_prefect = fingerprint(tmp_path / "direct" / "data")
    assert len(with_prefect["snapshots"]) >= 20 and len(with_prefect["marts"]) >= 10
    assert without_prefect == with_prefect


@pytest.mark.slow
def test_faults_fail_the_run_honestly_and_promote_nothing_unvetted(prefect_api, monkeypatch, receiver):
    """Sleeper down and a KTC snapshot failing its row-count check: nflverse still loads, the run ends Failed."""
    from ff_analytics.alerts import ALERT_BLOCK_NAME, save_alert_block
    from ff_analytics.replay.ktc import build_ktc_server, recorded_pages, thinned_page

    save_alert_block(receiver.url(), kind="webhook")
    today = date.today()
    yesterday = today - timedelta(days=1)
    try:
        with replay_environment(["nflverse", "ktc"]) as demo:
            # nflverse too: the identity step resolves KTC's players through nflverse's id crosswalk
            baseline = run_pipeline(["nflverse", "ktc"], use_prefect=True, force=True, dt=yesterday,
                                    options=demo.options, run_dbt=False)
            assert baseline.ok, baseline.failures()
            # 32 of the 36 picks vanish (players stay): a drop past the row-count bounds, and gaps in the ranks
            page = thinned_page(recorded_pages()[0], lambda a: a["position"] != "RDP" or a["playerID"] % 10 == 0)
            with build_ktc_server(pages=[page]) as half_ktc:
                monkeypatch.setenv("FFA_KTC_BASE_URL", half_ktc.url)
                monkeypatch.setenv("FFA_SLEEPER_BASE_URL", f"http://127.0.0.1:{free_port()}")  # API down
                monkeypatch.setenv("FFA_SLEEPER_LEAGUE_ID", RECORDED_LEAGUE_ID)
                get_settings.cache_clear()
                summary = run_pipeline(["nflverse", "ktc", "sleeper"], use_prefect=True, force=True, dt=today,
                                           options=demo.options, run_dbt=False)
    finally:
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            for doc in client.read_block_documents():
                if doc.name == ALERT_BLOCK_NAME:
                    client.delete_block_document(doc.id)

    by = {s.source: s for s in summary.sources}
    assert not summary.ok
    assert by["nflverse"].status == "ok" and by["nflverse"].rows > 0
    assert by["sleeper"].status == "failed" and by["sleeper"].failed_step == "precheck"
    assert "not reachable" in by["sleeper"].error
    assert by["ktc"].status == "blocked"
    # Picks lose ~90% of their rows (blocked by the row-count anomaly, and by the gaps the lost picks leave).
    picks = next(d for d in by["ktc"].datasets if d.dataset == "picks")
    assert picks.state == "pending" and not picks.promoted and any("anomaly" in e for e in picks.errors)
    store = SnapshotStore()
    assert store.registry.current("ktc", "picks").dt == yesterday  # the vetted snapshot is still current
    assert store.registry.current("sleeper", "rosters") is None
    texts = receiver.texts()
    assert any(t.startswith("🚨") and "source: sleeper" in t for t in texts)
    assert any(t.startswith("⚠️") and "flow: ktc_pipeline" in t for t in texts)
    assert any(t.startswith("⚠️") and "flow: ff_analytics_pipeline" in t and "sleeper" in t for t in texts)
