"""Governance fixtures: a snapshot tree from the real league recordings, and a moto S3 server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.tree import build_tree
from tests.moto_server import running_moto_server, s3_settings_env


@pytest.fixture
def tree(data_root: Path) -> SnapshotStore:
    """All five sources with a current snapshot (see tests/governance/tree.py); clean for every check."""
    return build_tree()


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """One `moto_server -H 127.0.0.1 -p PORT` per test module (started as a subprocess, stopped by its PID)."""
    with running_moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(moto_endpoint: str, data_root: Path, monkeypatch: pytest.MonkeyPatch, request) -> str:
    """A fresh bucket on the moto server; settings point at the endpoint (data root stays local)."""
    import s3fs

    env = s3_settings_env(moto_endpoint, str(data_root))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    bucket = "ffa-" + request.node.name.lower().replace("_", "-")[:40].strip("-")
    fs = s3fs.S3FileSystem(key="testing", secret="testing", client_kwargs={"endpoint_url": moto_endpoint})
    fs.mkdir(bucket)
    return f"s3://{bucket}/prefix"
