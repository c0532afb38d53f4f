"""A small threaded HTTP server on 127.0.0.1 that serves recorded responses by route.

Sources register routes (exact paths or path prefixes) with bodies or handler functions; tests add faults
(status codes, Retry-After, delays, truncated bodies) for the next N requests to a route. Every request is logged
so tests can assert on call counts, headers and pacing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0


Handler = Callable[[Request], Response]


@dataclass
class _Fault:
    response: Response
    remaining: int


class ReplayServer:
    """Serve registered routes on 127.0.0.1:<free port>; use as a context manager or start()/stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("replay servers bind to loopback only")
        self._routes: dict[tuple[str, str], Handler] = {}
        self._prefixes: list[tuple[str, str, Handler]] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self._httpd = ThreadingHTTPServer((host, port), self._make_handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- routes --------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, body: bytes | str | Handler, *, method: str = "GET", status: int = 200,
            content_type: str = "application/json", headers: dict[str, str] | None = None) -> None:
        """Serve ``body`` (bytes/str) or the handler's response at an exact path."""
        self._routes[(method, path)] = _as_handler(body, status, content_type, headers)

    def add_file(self, path: str, file: Path, content_type: str = "application/octet-stream") -> None:
        self.add(path, lambda _req, f=file: Response(200, Path(f).read_bytes(), content_type))

    def add_prefix(self, prefix: str, handler: Handler, *, method: str = "GET") -> None:
        """Serve every path starting with ``prefix`` through ``handler`` (longest prefix wins)."""
        self._prefixes.append((method, prefix, handler))
        self._prefixes.sort(key=lambda p: len(p[1]), reverse=True)

    def fail(self, path: str, status: int, *, times: int = 1, body: bytes = b"", delay_seconds: float = 0.0,
             headers: dict[str, str] | None = None, content_type: str = "text/plain") -> None:
        """Answer the next ``times`` requests to ``path`` (exact or prefix) with this response instead."""
        fault = _Fault(Response(status, body, content_type, headers or {}, delay_seconds), times)
        with self._lock:
            self._faults.setdefault(path, []).append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def calls(self, path_prefix: str = "") -> list[Request]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    # -- lifecycle -----------------------------------------------------------------------------------------
    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replay-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- dispatch ------------------------------------------------------------------------------------------
    def _take_fault(self, path: str) -> Response | None:
        with self._lock:
            for key, faults in self._faults.items():
                if path == key or path.startswith(key):
                    for fault in faults:
                        if fault.remaining > 0:
                            fault.remaining -= 1
                            return fault.response
        return None

    def _dispatch(self, req: Request) -> Response:
        fault = self._take_fault(req.path)
        if fault is not None:
            return fault
        handler = self._routes.get((req.method, req.path))
        if handler is None:
            handler = next((h for m, p, h in self._prefixes if m == req.method and req.path.startswith(p)), None)
        if handler is None:
            return Response(404, f"no recorded response for {req.method} {req.path}".encode(), "text/plain")
        return handler(req)

    def _make_handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # avoids ~40 ms per response (Nagle + delayed ACK)

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                req = Request(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()),
                              self.rfile.read(length) if length else b"", time.monotonic())
                with server._lock:
                    server.requests.append(req)
                resp = server._dispatch(req)
                if resp.delay_seconds:
                    time.sleep(resp.delay_seconds)
                self.send_response(resp.status)
                self.send_header("Content-Type", resp.content_type)
                self.send_header("Content-Length", str(len(resp.body)))
                for k, v in resp.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    try:
                        self.wfile.write(resp.body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = do_PATCH = _serve

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence stderr logs
                return

        return _Handler


def _as_handler(body: bytes | str | Handler, status: int, content_type: str,
                headers: dict[str, str] | None) -> Handler:
    if callable(body):
        return body
    data = body.encode() if isinstance(body, str) else body
    return lambda _req: Response(status, data, content_type, dict(headers or {}))
