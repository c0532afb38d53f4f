"""Which datasets a connector run loads: the shared rules for the `--datasets` option of every source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ff_analytics.errors import unknown_name


def select_datasets(source: str, requested: Sequence[str] | str | None, available: Iterable[str]) -> list[str]:
    """Requested names in order (comma lists allowed, repeats dropped); none requested → every available one.

    An unknown name is a ConfigError listing the known ones and the closest match.
    """
    known = list(available)
    values = [requested] if isinstance(requested, str) else list(requested or [])
    names = list(dict.fromkeys(part.strip() for value in values for part in value.split(",") if part.strip()))
    if not names:
        return known
    for name in names:
        if name not in known:
            raise unknown_name("dataset", name, known, source=source)
    return names
