"""Alerts end to end: a notification block saved on a real Prefect server posts to a receiver on 127.0.0.1."""

from __future__ import annotations

import logging

import pytest

from ff_analytics.alerts import (
    ALERT_BLOCK_NAME,
    Alert,
    alert_block_from_url,
    load_alert_block,
    save_alert_block,
    scrub,
    send_alert,
)
from ff_analytics.settings import get_settings
from tests.prefect_server import free_port


def _delete_alert_blocks() -> None:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        for doc in client.read_block_documents():
            if doc.name == ALERT_BLOCK_NAME:
                client.delete_block_document(doc.id)


@pytest.fixture
def alert_block(prefect_api, receiver):
    _delete_alert_blocks()
    save_alert_block(receiver.url(), kind="webhook")
    yield receiver
    _delete_alert_blocks()


def test_failed_flow_alerts_name_flow_source_error_and_run(alert_block, monkeypatch, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("FFA_KTC_BASE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    get_settings.cache_clear()
    from ff_analytics.orchestration.flows import source_pipeline

    state = source_pipeline(source="ktc", force=True, return_state=True)

    assert state.is_failed()
    texts = alert_block.texts()
    task_alert = next(t for t in texts if t.startswith("🚨"))
    flow_alert = next(t for t in texts if t.startswith("⚠️"))
    assert "source: ktc" in task_alert and "precheck-ktc" in task_alert and "not reachable" in task_alert
    assert "flow: source_pipeline" in flow_alert and "source: ktc" in flow_alert and "precheck failed" in flow_alert
    run_line = next(line for line in flow_alert.splitlines() if line.startswith("run: "))
    assert str(state.state_details.flow_run_id) in run_line
    out = capsys.readouterr()
    for text in (caplog.text, out.out, out.err):
        assert "s3cr3t-t0ken" not in text


def test_alert_block_loads_by_name_and_delivers(alert_block):
    block = load_alert_block()
    assert block is not None and block.get_block_type_slug() == "custom-webhook"
    assert send_alert(Alert("info", "hello", flow="f", source="ktc", dataset="players", run_url="u"))
    assert alert_block.texts()[-1].startswith("ℹ️ ff-analytics info: ktc/players")


def test_webhook_down_is_logged_without_the_url(alert_block, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    alert_block.status = 500
    assert send_alert(Alert("warning", "row count grew", source="sleeper")) is False
    gone = alert_block_from_url(f"http://127.0.0.1:{free_port()}/api/webhooks/1/s3cr3t-t0ken", kind="webhook")
    assert send_alert(Alert("warning", "x"), block=gone) is False
    out = capsys.readouterr()
    logs = caplog.text + out.err + out.out  # Prefect's logging config decides where our records land
    assert "alert not sent (HTTPStatusError" in logs and "alert not sent (ConnectError" in logs
    assert "s3cr3t-t0ken" not in logs


def test_no_block_logs_that_alerts_are_not_configured(prefect_api, caplog, capsys):
    _delete_alert_blocks()
    caplog.set_level(logging.INFO)
    assert send_alert(Alert("task_failure", "boom", source="ktc")) is False
    assert "alerts are not configured" in caplog.text + capsys.readouterr().err


def test_discord_block_parsed_from_webhook_url_keeps_tokens_secret():
    block = alert_block_from_url("https://discord.com/api/webhooks/123456/abcDEF-token")
    assert block.get_block_type_slug() == "discord-webhook"
    assert block.webhook_id.get_secret_value() == "123456"
    assert block.webhook_token.get_secret_value() == "abcDEF-token"
    assert "abcDEF-token" not in repr(block)
    assert alert_block_from_url("https://hooks.slack.com/services/T/B/x").get_block_type_slug() == "slack-webhook"
    with pytest.raises(Exception, match="not a Discord webhook URL"):
        alert_block_from_url("https://discord.com/nothing-here", kind="discord")


def test_scrub_removes_urls_and_secrets():
    assert scrub("Client error for url 'http://h/x/tok'", ("tok",)) == "Client error for url '<url redacted>"
