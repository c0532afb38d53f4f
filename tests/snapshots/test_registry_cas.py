"""Registry writes on object stores are compare-and-swaps: no lost update between writers that share no lock.

Run against both real endpoints: moto (S3 ``If-Match`` / ``If-None-Match``) and fake-gcs-server (GCS
``ifGenerationMatch``). The two-writer test uses processes with their own lock directories, as two machines have.
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import s3fs
from hypothesis import given, settings
from hypothesis import strategies as st

from ff_analytics.settings import get_settings
from ff_analytics.snapshots import object_cas
from ff_analytics.snapshots.registry import RegistryRow, SnapshotRegistry, render_registry
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot, storage_options_for
from tests.gcs_server import gcs_fs, gcs_settings_env, running_gcs_server
from tests.moto_server import running_moto_server, s3_settings_env

DATASETS = [("nflverse", "weekly"), ("ktc", "players")]


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    with running_moto_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def gcs_endpoint() -> Iterator[str]:
    with running_gcs_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["s3", "gs"])
def object_root(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> DataRoot:
    """A fresh bucket on the S3 or the GCS emulator, and settings pointing at it."""
    bucket = "cas-" + request.node.name.lower().replace("_", "-").replace("[", "-").strip("]")[:40].strip("-")
    local = get_settings().data_root
    if request.param == "s3":
        endpoint = request.getfixturevalue("moto_endpoint")
        env = s3_settings_env(endpoint, local)
        s3fs.S3FileSystem(key="testing", secret="testing", client_kwargs={"endpoint_url": endpoint}).mkdir(bucket)
    else:
        endpoint = request.getfixturevalue("gcs_endpoint")
        env = gcs_settings_env(endpoint, local)
        gcs_fs(endpoint).mkdir(bucket)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    url = f"{request.param}://{bucket}/ffa"
    return DataRoot(url, storage_options_for(url))


def test_stale_or_blind_writes_are_refused(object_root: DataRoot) -> None:
    fs, path = object_root.fs, object_root.path("registry/snapshot_registry.csv")
    assert object_cas.read_versioned(fs, path) == object_cas.Versioned("", None)
    first = object_cas.write_if(fs, path, b"one\n", None)  # create-only
    with pytest.raises(object_cas.PreconditionFailed):
        object_cas.write_if(fs, path, b"blind create\n", None)
    seen = object_cas.read_versioned(fs, path)
    assert seen == object_cas.Versioned("one\n", first)
    object_cas.write_if(fs, path, b"two\n", seen.version)
    with pytest.raises(object_cas.PreconditionFailed):
        object_cas.write_if(fs, path, b"stale\n", seen.version)  # based on "one": refused
    assert fs.cat(path) == b"two\n"


def test_racing_change_to_another_dataset_is_merged(object_root: DataRoot) -> None:
    store = SnapshotStore(object_root)
    for source, dataset in DATASETS:
        store.write(source, dataset, frame(date(2025, 3, 1)), dt="2025-03-01")
    registry = SnapshotRegistry(object_root)
    rows = registry.read()
    seen = object_cas.read_versioned(object_root.fs, registry.path)
    store.registry.promote("ktc", "players")  # another writer, after our read
    for r in rows:
        if r.dataset == "weekly":
            r.status = "current"
    registry._replace(render_registry(rows), seen)
    statuses = {r.dataset: r.status for r in registry.read()}
    assert statuses == {"weekly": "current", "players": "current"}  # both changes kept


def test_racing_change_to_the_same_dataset_is_refused_then_rerun(object_root: DataRoot) -> None:
    store = SnapshotStore(object_root)
    store.write("nflverse", "weekly", frame(date(2025, 3, 1)), dt="2025-03-01")
    store.write("nflverse", "weekly", frame(date(2025, 3, 2)), dt="2025-03-02")
    registry = SnapshotRegistry(object_root)
    rows = registry.read()
    seen = object_cas.read_versioned(object_root.fs, registry.path)
    store.registry.promote("nflverse", "weekly", snapshot_date="2025-03-02")
    rows[0].status = "current"  # our stale view would make 03-01 current too: two current rows
    with pytest.raises(object_cas.CasConflict, match=r"\[nflverse/weekly\] changed by another writer"):
        registry._replace(render_registry(rows), seen)
    assert [r.status for r in registry.rows_for("nflverse", "weekly")] == ["pending", "current"]  # untouched

    calls = []

    def flaky_promote() -> RegistryRow:  # a conflict the first time: the whole read-modify-write runs again
        calls.append(1)
        if len(calls) == 1:
            raise object_cas.CasConflict("raced")
        return registry.promote("nflverse", "weekly", snapshot_date="2025-03-01")

    assert object_cas.retry_on_conflict(flaky_promote)().snapshot_date == "2025-03-01"
    assert len(calls) == 2
    assert [r.status for r in registry.rows_for("nflverse", "weekly")] == ["current", "historical"]


def test_rerun_is_bounded() -> None:
    calls = []

    def always_raced() -> None:
        calls.append(1)
        raise object_cas.CasConflict("raced", source="ktc", dataset="players")

    with pytest.raises(object_cas.CasConflict, match=r"\[ktc/players\] raced"):
        object_cas.retry_on_conflict(always_raced)()
    assert len(calls) == object_cas.CAS_ATTEMPTS


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_two_writers_without_a_shared_lock_lose_no_update(object_root: DataRoot, tmp_path: Path) -> None:
    """Two processes, each with its own lock directory, write and promote snapshots of the same datasets."""
    start = date(2025, 1, 1)
    plans = [[start + timedelta(days=2 * i + k) for i in range(6)] for k in (0, 1)]  # odd / even days
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        refused = pool.starmap(hammer, [(object_root.url, object_root.storage_options, str(tmp_path / f"m{k}"), days,
                                         str(tmp_path)) for k, days in enumerate(plans)])
    assert sum(refused) > 0, "the writers never raced: the test proved nothing"
    rows = SnapshotRegistry(object_root).read()
    for source, dataset in DATASETS:
        mine = {r.snapshot_date: r for r in rows if (r.source, r.dataset) == (source, dataset)}
        every_day = sorted(d.isoformat() for days in plans for d in days)
        assert sorted(mine) == every_day  # every write registered
        assert {d: mine[d].row_count for d in every_day} == {d: str(date.fromisoformat(d).day) for d in every_day}
        assert sorted(r.status for r in mine.values()).count("current") == 1
        assert all(r.status in ("current", "historical") for r in mine.values())  # every promote kept


def hammer(url: str, storage_options: dict[str, Any], lock_dir: str, days: list[date], meet: str) -> int:
    """One 'machine': its own lock directory; write + promote each day's snapshots; count refused writes.

    Both writers start together (each waits until the other has made its lock directory under ``meet``).
    """
    Path(lock_dir).mkdir(parents=True)
    deadline = time.monotonic() + 120
    while len(list(Path(meet).glob("m*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    tempfile.tempdir = lock_dir  # the object-store registry lock lives under the temp dir: not shared
    refused = 0
    write_if = object_cas.write_if

    def counting_write_if(*args: Any) -> str:
        nonlocal refused
        try:
            return write_if(*args)
        except object_cas.PreconditionFailed:
            refused += 1
            raise

    object_cas.write_if = counting_write_if
    store = SnapshotStore(DataRoot(url, storage_options))
    for day in days:
        for source, dataset in DATASETS:
            store.write(source, dataset, frame(day), dt=day)
            store.registry.promote(source, dataset, snapshot_date=day.isoformat())
    return refused


def frame(day: date) -> pl.DataFrame:
    """Distinct data per day (as many rows as the day of the month), so no write is 'unchanged'."""
    return pl.DataFrame({"season": [2024] * day.day, "week": list(range(1, day.day + 1)),
                         "v": [float(day.toordinal())] * day.day})


_ROW = st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y"]), st.sampled_from(["1", "2", "3"]),
                 st.sampled_from(["pending", "current", "historical"]))


@settings(database=None, deadline=None)  # no example database written into the work tree
@given(base=st.lists(_ROW, max_size=8, unique_by=lambda r: r[:3]),
       ours=st.lists(_ROW, max_size=8, unique_by=lambda r: r[:3]),
       theirs=st.lists(_ROW, max_size=8, unique_by=lambda r: r[:3]))
def test_merge_keeps_each_sides_groups_or_refuses(base: list, ours: list, theirs: list) -> None:
    """Property: a merged group equals the side that changed it; a group changed differently by both is refused."""
    header = "source,dataset,snapshot_date,status\n"

    def text(rows: list) -> str:
        return header + "".join(",".join(r) + "\n" for r in rows)

    def group(rows: list, g: tuple) -> list:
        return sorted(list(r) for r in rows if r[:2] == g)

    groups = {r[:2] for r in base + ours + theirs}
    clash = [g for g in groups if group(ours, g) not in (group(base, g), group(theirs, g))
             and group(theirs, g) != group(base, g)]
    if clash:
        with pytest.raises(object_cas.CasConflict):
            object_cas.merge_grouped_csv(text(base), text(ours), text(theirs))
        return
    merged = object_cas.merge_grouped_csv(text(base), text(ours), text(theirs))
    rows = [tuple(line.split(",")) for line in merged.splitlines()[1:]]
    for g in groups:
        want = group(theirs, g) if group(ours, g) == group(base, g) else group(ours, g)
        assert group(rows, g) == want
