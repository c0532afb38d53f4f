"""One real `prefect server` (temp PREFECT_HOME) shared by every orchestration test; each test points at it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ff_analytics.replay.server import ReplayServer, Request, Response
from tests.prefect_server import running_prefect_server


@pytest.fixture(scope="package")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture(scope="package")
def prefect_api_url(prefect_home: Path) -> Iterator[str]:
    with running_prefect_server(prefect_home) as url:
        yield url


@pytest.fixture(autouse=True)
def prefect_console_on_current_stderr() -> Iterator[None]:
    """Prefect's console log handler keeps the stream it was created with; pytest closes each test's capture
    stream afterwards, so later log lines would fail (and, with log_prints, recurse). Re-point it per test."""
    import logging
    import sys

    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *(lg for lg in logging.root.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    for handler in {h for lg in loggers for h in lg.handlers if isinstance(h, PrefectConsoleHandler)}:
        handler.setStream(sys.stderr)
        handler.console.file = sys.stderr
    yield


@pytest.fixture
def prefect_api(prefect_api_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point in-process Prefect at the shared server; fetch retries without delay."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.setenv("FFA_FETCH_RETRY_DELAY_SECONDS", "0")
    monkeypatch.setenv("FFA_FETCH_RETRIES", "1")
    from ff_analytics.settings import get_settings

    get_settings.cache_clear()
    with temporary_settings(updates={PREFECT_API_URL: prefect_api_url}):
        yield prefect_api_url


class WebhookReceiver:
    """A local HTTP endpoint that records the JSON messages posted to it (status configurable)."""

    def __init__(self) -> None:
        self.server = ReplayServer()
        self.messages: list[dict] = []
        self.status = 204
        self._lock = threading.Lock()
        self.server.add_prefix("/", self._handle, method="POST")

    def _handle(self, req: Request) -> Response:
        with self._lock:
            self.messages.append(json.loads(req.body or b"{}"))
        return Response(self.status, b"", "text/plain")

    def url(self, path: str = "/api/webhooks/123/s3cr3t-t0ken") -> str:
        return self.server.url + path

    def texts(self) -> list[str]:
        return [m.get("content", "") for m in self.messages]


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    rec = WebhookReceiver()
    with rec.server:
        yield rec
