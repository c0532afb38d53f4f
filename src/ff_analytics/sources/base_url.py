"""Where a connector fetches from, the same rule for every HTTP source.

Connectors know only URLs. ``--samples`` reads the repo's recordings from a local replay server, which the command
line layer provides (:func:`serve_samples_with`): production code never imports the replay servers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from ff_analytics.errors import ConfigError

SamplesServer = Callable[[], AbstractContextManager[Any]]  # a context yielding a started server with ``.url``
_SAMPLES_SERVERS: dict[str, SamplesServer] = {}
_SAMPLES_DEFAULTS: dict[str, dict[str, Any]] = {}


def serve_samples_with(source: str, server: SamplesServer, defaults: dict[str, Any] | None = None) -> None:
    """Register the replay server ``--samples`` starts for ``source``, and what the recordings hold (e.g. their
    seasons and league id) as the defaults of a samples run. The CLI and tests call this."""
    _SAMPLES_SERVERS[source] = server
    _SAMPLES_DEFAULTS[source] = dict(defaults or {})


def samples_default(source: str, key: str) -> Any:
    """What the registered recordings hold for ``key`` (None when nothing is registered)."""
    return _SAMPLES_DEFAULTS.get(source, {}).get(key)


@contextmanager
def source_base_url(source: str, explicit: str | None, samples: bool, configured: str) -> Iterator[str]:
    """An explicit URL; else, for ``--samples``, the repo's recordings served by the source's replay server
    (started for this run, on 127.0.0.1); else the configured URL (FFA_<SOURCE>_BASE_URL or upstream)."""
    if explicit:
        yield explicit
    elif samples:
        server = _SAMPLES_SERVERS.get(source)
        if server is None:
            raise ConfigError("--samples needs the recorded responses' replay server, which is not registered "
                              "(run it through `ffa ingest ... --samples`)", source=source)
        with server() as started:
            yield started.url
    else:
        yield configured
