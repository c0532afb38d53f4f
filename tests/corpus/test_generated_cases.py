"""Bad inputs generated at test time (too many or too large to keep as files): the registry cut at every byte
offset of its last line, an oversized manifest, and hostile remotes for ``sync --from``.

Each case asserts the clear error and that nothing was written: same files, same registry bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest

from ff_analytics.errors import RegistryError, SnapshotError
from ff_analytics.governance.sync import sync_roots
from ff_analytics.governance.validate import validate
from ff_analytics.snapshots.manifest import MAX_MANIFEST_BYTES
from ff_analytics.snapshots.registry import REGISTRY_PATH
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

DAYS = ["2025-01-01", "2025-01-02"]


def good_root(root: Path) -> SnapshotStore:
    store = SnapshotStore(root=DataRoot(str(root)))
    for i, day in enumerate(DAYS):
        store.write("ktc", "players", pl.DataFrame({"player": ["a", "b"], "value": [i, i + 1]}), dt=day)
        store.registry.promote("ktc", "players", day)
    store.write("ktc", "picks", pl.DataFrame({"pick": ["2026 1.01"], "value": [9]}), dt=DAYS[0])
    return store


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*")) if not p.name.endswith(".lock")}


def test_registry_cut_at_every_byte_offset_of_its_last_line_is_refused(data_root: Path) -> None:
    store = good_root(data_root)
    registry = data_root / REGISTRY_PATH
    good = registry.read_bytes()
    last_line = good.count(b"\n")
    start = good.rstrip(b"\n").rfind(b"\n") + 1
    cuts = range(start + 1, len(good))  # at least one byte of the last line kept, its line end lost
    assert len(cuts) > 20
    for cut in cuts:
        registry.write_bytes(good[:cut])
        before = tree(data_root)
        with pytest.raises(RegistryError, match=f"line {last_line}: cut short"):
            store.write("ktc", "players", pl.DataFrame({"player": ["z"], "value": [cut]}), dt="2025-01-03")
        assert tree(data_root) == before, f"cut at byte {cut}: something was written"
    registry.write_bytes(good)
    assert len(store.registry.read()) == 3


def test_oversized_manifest_is_refused_by_readers_and_validate(data_root: Path) -> None:
    store = good_root(data_root)
    meta = data_root / "raw/ktc/players/dt=2025-01-02/_meta.json"
    doc = meta.read_bytes()
    meta.write_bytes(doc[:-2] + b', "upstream_url": "' + b"x" * MAX_MANIFEST_BYTES + b'"}\n')
    before = tree(data_root)
    with pytest.raises(SnapshotError, match="too large"):
        store.read("ktc", "players")
    findings = validate(store, ["ktc"])
    assert any(f.code == "manifest_invalid" and "too large" in f.message for f in findings)
    assert tree(data_root) == before


HOSTILE_REGISTRY_LINES = [
    "../../../etc,players,2025-01-01,current,,,1,",
    "ktc,../../../../tmp,2025-01-01,current,,,1,",
    "ktc,players,../2025-01-01,current,,,1,",
    "/abs,players,2025-01-01,historical,,,1,",
]
HOSTILE_FILE_NAMES = ["../../../../../PWNED.parquet", "/tmp/PWNED.parquet", "sub/dir.parquet", "players.csv"]


def remote_root(tmp_path: Path) -> Path:
    remote = tmp_path / "elsewhere" / "remote"
    SnapshotStore(root=DataRoot(str(remote))).write(
        "ktc", "players", pl.DataFrame({"player": ["a"], "value": [1]}), dt="2025-01-01")
    return remote


@pytest.mark.parametrize("line", HOSTILE_REGISTRY_LINES)
def test_sync_from_a_remote_with_a_hostile_registry_line_changes_nothing(data_root: Path, tmp_path: Path,
                                                                        line: str) -> None:
    remote = remote_root(tmp_path)
    with (remote / REGISTRY_PATH).open("a") as fh:
        fh.write(line + "\n")
    good_root(data_root)
    before = tree(data_root)
    result = sync_roots(DataRoot(str(remote)), DataRoot(str(data_root)))
    assert tree(data_root) == before
    errors = [f for f in result.findings if f.is_error]
    assert errors and errors[0].code == "source_registry_refused" and str(errors[0].path).endswith(REGISTRY_PATH)
    assert not result.actions


@pytest.mark.parametrize("name", HOSTILE_FILE_NAMES)
def test_sync_from_a_remote_with_a_hostile_manifest_file_name_changes_nothing(data_root: Path, tmp_path: Path,
                                                                             name: str) -> None:
    remote = remote_root(tmp_path)
    meta = remote / "raw/ktc/players/dt=2025-01-01/_meta.json"
    doc = json.loads(meta.read_text())
    doc["files"][0]["name"] = name
    meta.write_text(json.dumps(doc))
    good_root(data_root)
    before = tree(data_root)
    result = sync_roots(DataRoot(str(remote)), DataRoot(str(data_root)))
    assert tree(data_root) == before
    assert not (tmp_path / "PWNED.parquet").exists()
    errors = [f for f in result.findings if f.is_error]
    assert errors and "raw/ktc/players/dt=2025-01-01/_meta.json" in errors[0].message
    assert [a.kind for a in result.actions] == ["failed"]
