"""The gspread client: service-account credentials, our base URLs, the read quota, and backoff on 429/5xx.

gspread builds absolute Google URLs from module constants (``gspread.urls``). ``SheetsHTTPClient`` is gspread's own
``HTTPClient`` with one change in ``request``: the Google hosts are rewritten to ``settings.sheets_base_url`` /
``settings.drive_base_url`` (identical in production; a local replay server in tests and the demo), every call
waits for the per-minute read quota, and 429/5xx answers are retried with backoff honouring ``Retry-After``.
Credentials are never logged, and error messages never include them.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gspread
import requests
from google.auth.credentials import NO_OP_TRUST_BOUNDARY_ENCODED_LOCATIONS
from google.auth.exceptions import GoogleAuthError
from google.oauth2 import service_account
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from ff_analytics.errors import ConfigError, SourceError
from ff_analytics.settings import get_settings
from ff_analytics.sources.http import RETRY_STATUSES, RateLimiter, RetryPolicy

log = logging.getLogger(__name__)

SOURCE = "sheets"
SHEETS_HOST = "https://sheets.googleapis.com"
DRIVE_HOST = "https://www.googleapis.com"
READ_SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",
               "https://www.googleapis.com/auth/drive.readonly")
COPY_SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",
               "https://www.googleapis.com/auth/drive")


def load_service_account_info() -> dict[str, Any]:
    """Service-account JSON: FFA_GOOGLE_SERVICE_ACCOUNT_JSON (contents) first, else GOOGLE_APPLICATION_CREDENTIALS."""
    settings = get_settings()
    inline = settings.google_service_account_json.get_secret_value().strip()
    path_or_json = settings.google_application_credentials.strip()
    if inline or path_or_json.startswith("{"):
        text = inline or path_or_json
        where = "FFA_GOOGLE_SERVICE_ACCOUNT_JSON" if inline else "GOOGLE_APPLICATION_CREDENTIALS"
    elif path_or_json:
        try:
            text = Path(path_or_json).expanduser().read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"GOOGLE_APPLICATION_CREDENTIALS points at an unreadable file ({exc.strerror})",
                              source=SOURCE) from None
        where = "the file GOOGLE_APPLICATION_CREDENTIALS points at"
    else:
        raise ConfigError("no Google credentials: set FFA_GOOGLE_SERVICE_ACCOUNT_JSON to a service-account JSON "
                          "or GOOGLE_APPLICATION_CREDENTIALS to its file path", source=SOURCE)
    try:
        info = json.loads(text)
    except ValueError:
        raise ConfigError(f"{where} is not valid JSON", source=SOURCE) from None
    missing = [k for k in ("client_email", "private_key", "token_uri") if not isinstance(info, dict) or k not in info]
    if missing:
        raise ConfigError(f"{where} lacks service-account fields {missing}", source=SOURCE)
    return info


def load_credentials(scopes: tuple[str, ...] = READ_SCOPES, *, mirrored: bool = False) -> service_account.Credentials:
    """Service-account credentials. ``mirrored``: the APIs are served by a local replay server.

    google-auth looks up a "regional access boundary" at iamcredentials.googleapis.com in the background, a host
    outside our base-URL settings; against a mirror that lookup is switched off (a no-op boundary, the value
    google-auth itself uses for "no restriction") so nothing is sent to Google.
    """
    info = load_service_account_info()
    try:
        credentials = service_account.Credentials.from_service_account_info(info, scopes=list(scopes))
    except (ValueError, GoogleAuthError) as exc:
        raise ConfigError(f"the service-account key cannot be loaded ({type(exc).__name__})", source=SOURCE) \
            from None
    if mirrored:
        far = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=3650)
        credentials._set_regional_access_boundary({"encodedLocations": NO_OP_TRUST_BOUNDARY_ENCODED_LOCATIONS,
                                                   "expiry": far})
    return credentials


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, routed to our base URLs, paced to the quota and retrying 429/5xx."""

    rewrites: tuple[tuple[str, str], ...] = ()
    limiter: RateLimiter | None = None
    retry: RetryPolicy = RetryPolicy()
    dataset: str | None = None

    def configure(self, *, rewrites: dict[str, str], limiter: RateLimiter, retry: RetryPolicy,
                  dataset: str | None) -> None:
        self.rewrites = tuple((k.rstrip("/"), v.rstrip("/")) for k, v in rewrites.items())
        self.limiter, self.retry, self.dataset = limiter, retry, dataset

    def route(self, url: str) -> str:
        for upstream, local in self.rewrites:
            if url.startswith(upstream + "/"):
                return local + url[len(upstream):]
        return url

    def request(self, method: str, endpoint: str, params: Any = None, data: Any = None, json: Any = None,
                files: Any = None, headers: Any = None) -> requests.Response:
        url = self.route(endpoint)
        shown = _without_query(url)
        last_problem = ""
        for attempt in range(1, self.retry.attempts + 1):
            if self.limiter is not None:
                self.limiter.wait()
            retry_after = None
            try:
                response = super().request(method, url, params=params, data=data, json=json, files=files,
                                           headers=headers)
                response.json()  # gspread decodes every answer: a non-JSON body is a malformed response
                return response
            except ValueError as exc:  # JSONDecodeError
                raise SourceError(f"malformed response from the Sheets/Drive API (not JSON: {exc})",
                                  source=SOURCE, dataset=self.dataset, url=shown) from None
            except APIError as exc:
                status = exc.response.status_code
                if status not in RETRY_STATUSES:
                    raise SourceError(f"HTTP {status} from the Sheets/Drive API: {_api_message(exc)}",
                                      source=SOURCE, dataset=self.dataset, url=shown) from None
                last_problem = f"HTTP {status}"
                retry_after = exc.response.headers.get("Retry-After")
            except GoogleAuthError as exc:
                raise SourceError(f"could not get an access token ({type(exc).__name__}); check the service "
                                  "account and its token_uri", source=SOURCE, dataset=self.dataset,
                                  url=shown) from None
            except requests.RequestException as exc:
                last_problem = type(exc).__name__
            if attempt < self.retry.attempts:
                delay = self.retry.delay(attempt, retry_after)
                log.warning("sheets: %s on %s %s, retry %d/%d in %.1fs", last_problem, method.upper(), shown,
                            attempt, self.retry.attempts - 1, delay)
                time.sleep(delay)
        raise SourceError(f"gave up after {self.retry.attempts} attempts: {last_problem} (quota is "
                          f"{get_settings().sheets_reads_per_minute} reads/min/user)", source=SOURCE,
                          dataset=self.dataset, url=shown)


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _api_message(exc: APIError) -> str:
    message = str(exc.error.get("message", "")) if isinstance(exc.error, dict) else ""
    return message[:200] or exc.response.reason or "error"


def sheets_client(*, drive_copy: bool = False, dataset: str | None = None,
                  retry: RetryPolicy | None = None) -> gspread.Client:
    """A gspread client authorised with our service account and routed to the configured base URLs."""
    settings = get_settings()
    mirrored = (settings.sheets_base_url.rstrip("/"), settings.drive_base_url.rstrip("/")) != (SHEETS_HOST, DRIVE_HOST)
    credentials = load_credentials(COPY_SCOPES if drive_copy else READ_SCOPES, mirrored=mirrored)
    client = gspread.Client(credentials, http_client=SheetsHTTPClient)
    http = client.http_client
    assert isinstance(http, SheetsHTTPClient)
    http.configure(
        rewrites={SHEETS_HOST: settings.sheets_base_url, DRIVE_HOST: settings.drive_base_url},
        limiter=RateLimiter(max_calls=settings.sheets_reads_per_minute, per_seconds=60.0),
        retry=retry or RetryPolicy(),
        dataset=dataset,
    )
    http.set_timeout(settings.http_timeout_seconds)
    http.session.headers["User-Agent"] = settings.user_agent
    return client
