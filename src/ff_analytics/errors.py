"""Error types whose messages name the source, dataset and what was wrong (the CLI prints them as one line)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence


class FFAError(Exception):
    """Base for every error the platform raises on purpose; the CLI prints it without a traceback."""

    def __init__(self, message: str, *, source: str | None = None, dataset: str | None = None,
                 url: str | None = None) -> None:
        self.source = source
        self.dataset = dataset
        self.url = url
        self.detail = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = "/".join(p for p in (self.source, self.dataset) if p)
        prefix = f"[{where}] " if where else ""
        suffix = f" (url: {self.url})" if self.url else ""
        return f"{prefix}{self.detail}{suffix}"


class ConfigError(FFAError):
    """A setting, name or configuration file is invalid."""


class SnapshotError(FFAError):
    """A snapshot could not be written or read; nothing partial was made visible."""


class RegistryError(FFAError):
    """The snapshot registry is unreadable or a lifecycle transition is not allowed."""


class SourceError(FFAError):
    """A source answered badly (HTTP error, malformed payload, missing columns, duplicate keys)."""


def unknown_name(kind: str, name: str, known: Sequence[str], *, source: str | None = None) -> ConfigError:
    """``unknown dataset 'wekly' (known: ...); did you mean weekly?``: the error for a mistyped name."""
    close = difflib.get_close_matches(name, list(known), n=2)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return ConfigError(f"unknown {kind} {name!r} (known: {', '.join(known)}){hint}", source=source)
