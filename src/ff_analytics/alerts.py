"""Alerts through the Prefect notification block named ``ff-analytics-alerts`` (Discord, Slack or a generic webhook).

Messages name the flow, source, dataset, what failed and the run URL, prefixed by severity: 🚨 task failure,
⚠️ flow failure or governance warning, ℹ️ info. Sending never raises: when the block is missing the run logs that
alerts are not configured; when the webhook is down the failure is logged (without the URL, which is a secret).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from ff_analytics.errors import ConfigError

log = logging.getLogger(__name__)

ALERT_BLOCK_NAME = "ff-analytics-alerts"
# Block types tried, in order, for the one alerts block name (the first that exists is used).
ALERT_BLOCK_SLUGS = ("discord-webhook", "slack-webhook", "custom-webhook", "ms-teams-webhook")
Severity = Literal["task_failure", "flow_failure", "warning", "info"]
EMOJI: dict[str, str] = {"task_failure": "🚨", "flow_failure": "⚠️", "warning": "⚠️", "info": "ℹ️"}
LABEL: dict[str, str] = {"task_failure": "task failed", "flow_failure": "flow failed", "warning": "warning",
                         "info": "info"}
_URL = re.compile(r"\w+://\S+")
# Loggers that may print a request URL (the webhook URL is a secret); silenced while sending.
_URL_LOGGERS = ("httpx", "httpcore", "apprise", "urllib3", "requests")


@dataclass
class Alert:
    severity: Severity
    what: str
    flow: str | None = None
    source: str | None = None
    dataset: str | None = None
    run_url: str | None = None

    @property
    def subject(self) -> str:
        where = "/".join(p for p in (self.source, self.dataset) if p)
        return f"{EMOJI[self.severity]} ff-analytics {LABEL[self.severity]}" + (f": {where}" if where else "")

    @property
    def body(self) -> str:
        lines = [f"flow: {self.flow or '-'}", f"source: {self.source or '-'}", f"dataset: {self.dataset or 'all'}",
                 f"what: {self.what}", f"run: {self.run_url or 'n/a'}"]
        return "\n".join(lines)


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove URLs and known secret values from a message before it is logged."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return _URL.sub("<url redacted>", text)


@contextmanager
def _quiet_url_loggers() -> Iterator[None]:
    """Disable the HTTP client loggers (and their children) while a webhook is called: they print its URL."""
    names = [n for n in list(logging.root.manager.loggerDict)
             if any(n == p or n.startswith(p + ".") for p in _URL_LOGGERS)]
    loggers = [logging.getLogger(n) for n in {*names, *_URL_LOGGERS}]
    saved = [(lg, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        yield
    finally:
        for lg, was in saved:
            lg.disabled = was


def load_alert_block(name: str = ALERT_BLOCK_NAME) -> Any | None:
    """The saved notification block called ``name`` (any supported type), or None when none is saved."""
    from prefect.blocks import notifications  # noqa: F401 - registers the notification block classes
    from prefect.blocks.core import Block

    for slug in ALERT_BLOCK_SLUGS:
        try:
            return Block.load(f"{slug}/{name}")
        except (ValueError, KeyError):
            continue
        except Exception as exc:  # noqa: BLE001 - "not found" surfaces as several types across Prefect versions
            if "not found" in str(exc).lower() or type(exc).__name__ == "ObjectNotFound":
                continue
            raise
    return None


def _secret_values(block: Any) -> tuple[str, ...]:
    values = []
    for field in ("url", "webhook_id", "webhook_token"):
        value = getattr(block, field, None)
        if value is not None:
            values.append(value.get_secret_value() if hasattr(value, "get_secret_value") else str(value))
    return tuple(values)


def send_alert(alert: Alert, *, block: Any | None = None, logger: logging.Logger | None = None) -> bool:
    """Send one alert; True if delivered. Never raises (an alert must not fail the run it reports on)."""
    logger = logger or log
    try:
        block = block if block is not None else load_alert_block()
    except Exception as exc:  # noqa: BLE001
        logger.warning("alert not sent (could not load block %r: %s): %s", ALERT_BLOCK_NAME,
                       type(exc).__name__, alert.subject)
        return False
    if block is None:
        logger.info("alerts are not configured (no notification block named %r; run `ffa blocks register`); "
                    "would have sent: %s", ALERT_BLOCK_NAME, alert.subject)
        return False
    secrets = _secret_values(block)
    failure = None
    with _quiet_url_loggers():
        try:
            if hasattr(block, "_raise_on_failure"):
                block._raise_on_failure = True  # apprise-based blocks otherwise swallow delivery failures
            block.notify(alert.body, subject=alert.subject)
        except Exception as exc:  # noqa: BLE001 - the webhook being down is logged, never raised
            failure = f"{type(exc).__name__}: {scrub(str(exc), secrets)[:300]}"
    if failure is not None:
        # Logged outside the except block: a failing log handler would otherwise print the exception chain,
        # whose messages contain the webhook URL.
        logger.warning("alert not sent (%s): %s", failure, alert.subject)
        return False
    logger.info("alert sent: %s", alert.subject)
    return True


# -- building blocks from a URL (used by `ffa blocks register` and tests) --------------------------------------
def alert_block_from_url(url: str, kind: str = "auto") -> Any:
    """A notification block for a webhook URL: Discord (id/token parsed from the URL), Slack, or generic JSON.

    ``kind="webhook"`` posts Discord-compatible JSON ``{"content": subject + body}`` to any URL (works against
    127.0.0.1 receivers, which Apprise's Discord plugin cannot target: it always posts to discord.com).
    """
    from prefect.blocks.notifications import CustomWebhookNotificationBlock, DiscordWebhook, SlackWebhook
    from pydantic import SecretStr

    parts = urlsplit(url)
    if kind == "auto":
        host = parts.hostname or ""
        kind = "discord" if host.endswith(("discord.com", "discordapp.com")) else \
            "slack" if host == "hooks.slack.com" else "webhook"
    if kind == "discord":
        segments = [p for p in parts.path.split("/") if p]
        if len(segments) < 2 or "webhooks" not in segments:
            raise ConfigError("DISCORD_WEBHOOK_URL is not a Discord webhook URL (…/api/webhooks/<id>/<token>)")
        i = segments.index("webhooks")
        if len(segments) < i + 3:
            raise ConfigError("DISCORD_WEBHOOK_URL lacks the webhook id or token")
        return DiscordWebhook(webhook_id=SecretStr(segments[i + 1]), webhook_token=SecretStr(segments[i + 2]),
                              botname="ff-analytics")
    if kind == "slack":
        return SlackWebhook(url=SecretStr(url))
    if kind == "webhook":
        return CustomWebhookNotificationBlock(
            name=ALERT_BLOCK_NAME, url="{{webhook_url}}", secrets={"webhook_url": url},
            json_data={"content": "{{subject}}\n{{body}}", "username": "ff-analytics"}, timeout=10,
        )
    raise ConfigError(f"unknown alert block kind {kind!r} (discord, slack, webhook)")


def save_alert_block(url: str, kind: str = "auto", name: str = ALERT_BLOCK_NAME) -> str:
    """Save the alerts block (overwriting); returns the block's type slug. The URL is stored as a secret."""
    block = alert_block_from_url(url, kind)
    block.save(name, overwrite=True)
    return block.get_block_type_slug()


# -- Prefect state hooks ---------------------------------------------------------------------------------------
def run_url(flow_run_id: Any) -> str | None:
    """The UI link for a flow run when a UI URL is known (server mode), else a plain id reference."""
    if flow_run_id is None:
        return None
    from prefect.settings import get_current_settings

    ui = get_current_settings().ui_url
    return f"{ui.rstrip('/')}/runs/flow-run/{flow_run_id}" if ui else f"flow-run {flow_run_id}"


def _failure_text(state: Any) -> str:
    msg = getattr(state, "message", None) or ""
    try:
        exc = state.result(raise_on_failure=False)
        if isinstance(exc, BaseException):
            msg = f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 - a hook must never raise; fall back to the state message
        pass
    return msg or f"ended {getattr(state, 'name', 'Failed')}"


def flow_failure_hook(source: str | None = None) -> Callable[[Any, Any, Any], None]:
    """``on_failure``/``on_crashed`` hook for a flow: ⚠️ naming the flow, source, what failed and the run URL."""

    def hook(flow: Any, flow_run: Any, state: Any) -> None:
        params = getattr(flow_run, "parameters", None) or {}
        send_alert(Alert("flow_failure", _failure_text(state), flow=getattr(flow, "name", None),
                         source=source or params.get("source"), run_url=run_url(getattr(flow_run, "id", None))))

    return hook


def task_failure_hook(source: str | None = None, dataset: str | None = None) -> Callable[[Any, Any, Any], None]:
    """``on_failure`` hook for a task: 🚨 naming the task's flow, the source/dataset and the error."""

    def hook(task: Any, task_run: Any, state: Any) -> None:
        from prefect.runtime import flow_run as rt_flow_run

        flow_name = rt_flow_run.flow_name or None
        what = f"task {getattr(task, 'name', '?')}: {_failure_text(state)}"
        send_alert(Alert("task_failure", what, flow=flow_name, source=source, dataset=dataset,
                         run_url=run_url(getattr(task_run, "flow_run_id", None))))

    return hook
