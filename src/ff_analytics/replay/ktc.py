"""Replay the repo's recorded keeptradecut.com rankings pages (127.0.0.1 only).

``GET /dynasty-rankings?page=N`` serves ``recordings/ktc/pages/dynasty-rankings-pageN.html``; pages past the
last recorded one serve the last (empty-array) page, like the real site past its end. Point the connector at it
with ``FFA_KTC_BASE_URL=<server.url>`` (``replay_env``, which the demo uses, also drops the pause between pages).
"""

from __future__ import annotations

import re
from pathlib import Path

from ff_analytics.replay.server import ReplayServer, Request, Response
from ff_analytics.settings import get_settings

RANKINGS_PATH = "/dynasty-rankings"
_PAGE_FILE = re.compile(r"^dynasty-rankings-page(\d+)\.html$")


def recorded_pages(recordings_dir: Path | None = None) -> list[bytes]:
    """Recorded page bodies in page order."""
    folder = Path(recordings_dir or get_settings().recordings_dir) / "ktc" / "pages"
    files = sorted((int(m.group(1)), f) for f in folder.iterdir() if (m := _PAGE_FILE.match(f.name)))
    if not files:
        raise FileNotFoundError(f"no recorded KTC pages in {folder}")
    return [f.read_bytes() for _n, f in files]


def build_ktc_server(recordings_dir: Path | None = None, pages: list[bytes] | None = None) -> ReplayServer:
    """A server (not started) answering the rankings path with the recorded (or the given) pages."""
    bodies = pages if pages is not None else recorded_pages(recordings_dir)

    def rankings(req: Request) -> Response:
        try:
            page = int(req.query.get("page", ["0"])[0])
        except ValueError:
            return Response(400, b"bad page", "text/plain")
        return Response(200, bodies[min(max(page, 0), len(bodies) - 1)], "text/html; charset=utf-8")

    server = ReplayServer()
    server.add(RANKINGS_PATH, rankings)
    return server


def replay_env(server: ReplayServer) -> dict[str, str]:
    """Settings that point the KTC connector at ``server``, without the pause between pages: the pause spares
    keeptradecut.com, and the replay is our own server on 127.0.0.1 (the demo would otherwise wait 2 s a page)."""
    return {"FFA_KTC_BASE_URL": server.url, "FFA_KTC_PAGE_DELAY_SECONDS": "0"}
