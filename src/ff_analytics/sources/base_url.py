"""Where a connector fetches from, the same rule for every HTTP source."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def source_base_url(source: str, explicit: str | None, samples: bool, configured: str) -> Iterator[str]:
    """An explicit URL; else, for ``--samples``, the repo's recordings served by the source's replay server
    (started for this run, on 127.0.0.1); else the configured URL (FFA_<SOURCE>_BASE_URL or upstream)."""
    if explicit:
        yield explicit
    elif samples:
        replay = importlib.import_module(f"ff_analytics.replay.{source}")
        with getattr(replay, f"build_{source}_server")() as server:
            yield server.url
    else:
        yield configured
