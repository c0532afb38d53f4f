"""Names and paths of snapshots: ``raw/<source>/<dataset>/dt=YYYY-MM-DD/`` (samples under ``_samples/``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from ff_analytics.errors import ConfigError, SnapshotError

MANIFEST_NAME = "_meta.json"
SAMPLES_DIR = "_samples"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_DT_DIR = re.compile(r"^dt=(\d{4}-\d{2}-\d{2})$")
FILE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}\.parquet$")
# Clocks of writers and schedulers disagree a little (time zones, skew); a snapshot dated further ahead is a bug.
FUTURE_TOLERANCE_DAYS = 1


def is_plain_name(value: object) -> bool:
    """A source, dataset or file stem that can safely become one path segment."""
    return isinstance(value, str) and bool(_NAME.match(value))


def check_not_future(day: date, what: str = "snapshot date", today: date | None = None) -> date:
    """Refuse a date more than :data:`FUTURE_TOLERANCE_DAYS` ahead of today (UTC): readers would go forward in
    time and freshness would look negative."""
    today = today or datetime.now(UTC).date()
    if day > today + timedelta(days=FUTURE_TOLERANCE_DAYS):
        raise SnapshotError(f"{what} {day.isoformat()} is in the future (today is {today.isoformat()} UTC, "
                            f"tolerance {FUTURE_TOLERANCE_DAYS} day)")
    return day


def check_name(kind: str, value: str) -> str:
    """Reject names that could escape the data root or collide with reserved folders ('/', '..', '_samples')."""
    if not isinstance(value, str) or not _NAME.match(value):
        raise ConfigError(f"invalid {kind} name {value!r}: use lower-case letters, digits and '_' "
                          "(no '/', '..' or leading '_')")
    return value


def parse_dt(value: str | date) -> date:
    """A snapshot date from 'YYYY-MM-DD' or a date; anything else is a clear error."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SnapshotError(f"snapshot date {value!r} is not a date (expected YYYY-MM-DD)") from None


def dataset_dir(source: str, dataset: str, samples: bool = False) -> str:
    return f"raw/{source}/{SAMPLES_DIR}/{dataset}" if samples else f"raw/{source}/{dataset}"


def partition_dir(source: str, dataset: str, dt: date, samples: bool = False) -> str:
    return f"{dataset_dir(source, dataset, samples)}/dt={dt.isoformat()}"


def dt_from_dirname(name: str) -> date | None:
    """The date of a ``dt=YYYY-MM-DD`` folder name, or None for anything else (temp dirs, stray folders)."""
    m = _DT_DIR.match(name.rsplit("/", 1)[-1])
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None
