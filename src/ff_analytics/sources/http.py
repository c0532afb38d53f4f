"""The HTTP client every connector uses: timeouts, a clear User-Agent, pacing, and retries with backoff.

Retries cover 429, 5xx, timeouts and connection errors (honouring ``Retry-After``); anything else, or running
out of attempts, raises :class:`SourceError` naming the source, dataset and URL.
"""

from __future__ import annotations

import random
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import certifi
import httpx

from ff_analytics.errors import SourceError
from ff_analytics.settings import get_settings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    attempts: int = 5
    base_delay_seconds: float = 0.5
    max_delay_seconds: float = 30.0

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(float(retry_after), self.max_delay_seconds)
            except ValueError:
                pass
        backoff = self.base_delay_seconds * (2 ** (attempt - 1))
        return min(backoff, self.max_delay_seconds) * (0.5 + random.random() / 2)  # jitter


class RateLimiter:
    """At most ``max_calls`` per ``per_seconds`` (sliding window), plus a minimum gap between calls."""

    def __init__(self, max_calls: int, per_seconds: float = 60.0, min_interval_seconds: float = 0.0) -> None:
        self.max_calls, self.per_seconds, self.min_interval = max_calls, per_seconds, min_interval_seconds
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            while self._calls and now - self._calls[0] >= self.per_seconds:
                self._calls.popleft()
            sleep_for = 0.0
            if len(self._calls) >= self.max_calls:
                sleep_for = self.per_seconds - (now - self._calls[0])
            if self._calls and self.min_interval:
                sleep_for = max(sleep_for, self.min_interval - (now - self._calls[-1]))
            if sleep_for > 0:
                time.sleep(sleep_for)
            self._calls.append(time.monotonic())


@lru_cache(maxsize=1)
def shared_ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process: building one (loading the CA bundle) costs ~60 ms per client."""
    return ssl.create_default_context(cafile=certifi.where())


class SourceClient:
    """An httpx client bound to one source's base URL, with retries and pacing."""

    def __init__(self, source: str, base_url: str, *, retry: RetryPolicy | None = None,
                 limiter: RateLimiter | None = None, timeout_seconds: float | None = None,
                 headers: dict[str, str] | None = None) -> None:
        settings = get_settings()
        self.source = source
        self.retry = retry or RetryPolicy()
        self.limiter = limiter
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout_seconds or settings.http_timeout_seconds,
            headers={"User-Agent": settings.user_agent, **(headers or {})},
            follow_redirects=True,
            verify=shared_ssl_context(),
        )

    def get(self, path: str, *, dataset: str | None = None, params: dict | None = None) -> httpx.Response:
        """GET with retries; a final failure is a SourceError naming source, dataset and URL."""
        url = f"{self._client.base_url}{path}"
        last_problem = ""
        for attempt in range(1, self.retry.attempts + 1):
            if self.limiter:
                self.limiter.wait()
            try:
                response = self._client.get(path, params=params)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
                retry_after = None
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}",
                                      source=self.source, dataset=dataset, url=str(response.url))
                last_problem = f"HTTP {response.status_code} {response.reason_phrase}"
                retry_after = response.headers.get("Retry-After")
            if attempt < self.retry.attempts:
                time.sleep(self.retry.delay(attempt, retry_after))
        raise SourceError(f"gave up after {self.retry.attempts} attempts: {last_problem}",
                          source=self.source, dataset=dataset, url=url)

    def get_json(self, path: str, *, dataset: str | None = None, params: dict | None = None) -> object:
        response = self.get(path, dataset=dataset, params=params)
        try:
            return response.json()
        except ValueError as exc:
            raise SourceError(f"malformed JSON: {exc}", source=self.source, dataset=dataset,
                              url=str(response.url)) from None

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
