"""The snapshot store: the only way data is written under ``raw/``.

A write goes: validate names and data → write Parquet into a hidden temp folder → hash → compare with the
current snapshot (unchanged? then nothing is published) → write the manifest → publish → register ``pending``.

Publishing is atomic for readers. On a local root the temp folder is renamed into place. On an object store
the data files are uploaded first and ``_meta.json`` last; a partition without a manifest is not a snapshot.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from ff_analytics import __version__
from ff_analytics.errors import SnapshotError
from ff_analytics.platform_config import PlatformConfig, platform_config
from ff_analytics.snapshots import object_cas
from ff_analytics.snapshots.manifest import (
    FileEntry,
    Loader,
    Manifest,
    columns_of,
    coverage_of,
    drift_between,
    schema_hash,
)
from ff_analytics.snapshots.paths import (
    MANIFEST_NAME,
    check_name,
    dataset_dir,
    dt_from_dirname,
    parse_dt,
    partition_dir,
)
from ff_analytics.snapshots.registry import RegistryRow, SnapshotRegistry
from ff_analytics.storage import DataRoot

WriteStatus = Literal["new", "replaced", "unchanged"]
TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class WriteResult:
    source: str
    dataset: str
    dt: date
    status: WriteStatus
    path: str
    manifest: Manifest

    @property
    def row_count(self) -> int:
        return self.manifest.row_count


class SnapshotStore:
    """Write, find and read snapshots under one data root, keeping the registry in step."""

    def __init__(self, root: DataRoot | None = None, config: PlatformConfig | None = None) -> None:
        self.root = root or DataRoot.from_settings()
        self.config = config or platform_config()
        self.registry = SnapshotRegistry(self.root)

    # -- writing -------------------------------------------------------------------------------------------
    def write(
        self,
        source: str,
        dataset: str,
        data: pl.DataFrame | Mapping[str, pl.DataFrame],
        *,
        dt: str | date | None = None,
        params: dict[str, Any] | None = None,
        upstream_url: str | None = None,
        source_version: str | None = None,
        loader: str = "ff_analytics",
        samples: bool = False,
        run_id: str | None = None,
    ) -> WriteResult:
        """Write one snapshot (one or more named frames → one Parquet file each) and register it pending."""
        self._check_names(source, dataset)
        day = parse_dt(dt) if dt is not None else datetime.now(UTC).date()
        frames = self._frames(source, dataset, data)
        # Newest compat level keeps Polars strings as Arrow string_view: zero-copy, no conversion cost.
        tables = {name: frame.to_arrow(compat_level=pl.CompatLevel.newest()) for name, frame in frames.items()}
        staging = self._staging_dir(source, dataset, samples)
        try:
            for name in sorted(tables):
                pq.write_table(tables[name], staging / f"{name}.parquet")
            return self._finish(staging, source, dataset, day, list(frames.values()), samples=samples,
                                params=params, upstream_url=upstream_url, source_version=source_version,
                                loader=loader, run_id=run_id)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def write_files(
        self,
        source: str,
        dataset: str,
        files: Mapping[str, bytes],
        *,
        footers: Mapping[str, pq.FileMetaData] | None = None,
        coverage_from: pl.DataFrame | None = None,
        dt: str | date | None = None,
        params: dict[str, Any] | None = None,
        upstream_url: str | None = None,
        source_version: str | None = None,
        loader: str = "ff_analytics",
        samples: bool = False,
        run_id: str | None = None,
    ) -> WriteResult:
        """Publish Parquet files exactly as the source served them (no re-encoding) as one snapshot.

        The caller has validated the data; the footers give schema and row counts. ``footers`` are the files'
        footers when the caller already parsed them from these very bytes (the others are parsed here).
        ``coverage_from`` is a frame with the ``season``/``week`` columns (when the data has them), so coverage
        needs no second read.
        """
        self._check_names(source, dataset)
        day = parse_dt(dt) if dt is not None else datetime.now(UTC).date()
        if not files:
            raise SnapshotError("no files given", source=source, dataset=dataset)
        staging = self._staging_dir(source, dataset, samples)
        try:
            for name, payload in files.items():
                check_name("file", name)
                (staging / f"{name}.parquet").write_bytes(payload)
            described = _describe_payloads(files, footers or {})  # one footer parse per file, reused by _finish
            if sum(e.row_count for e in described[0]) == 0 and not self.config.allows_empty(source, dataset):
                raise SnapshotError("refusing to write an empty snapshot (0 rows); this dataset may not be empty",
                                    source=source, dataset=dataset)
            coverage_frames = [coverage_from] if coverage_from is not None else []
            return self._finish(staging, source, dataset, day, coverage_frames, samples=samples, params=params,
                                upstream_url=upstream_url, source_version=source_version, loader=loader,
                                run_id=run_id, described=described)
        except (pa.ArrowInvalid, OSError) as exc:
            raise SnapshotError(f"not a readable Parquet file: {exc}", source=source, dataset=dataset) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _finish(self, staging: Path, source: str, dataset: str, day: date, coverage_frames: list[pl.DataFrame],
                *, samples: bool, params: dict[str, Any] | None, upstream_url: str | None,
                source_version: str | None, loader: str, run_id: str | None,
                described: tuple[list[FileEntry], list[pa.Schema], str] | None = None) -> WriteResult:
        """Describe the Parquet files in ``staging`` (footers + hash), write the manifest, then publish."""
        entries, schemas, content_hash = described or _describe_parquet_files(staging)
        try:
            schema = pa.unify_schemas(schemas, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise SnapshotError(f"files of one snapshot disagree on column types: {exc}",
                                source=source, dataset=dataset) from None
        columns = columns_of(schema)
        previous = self._comparison_manifest(source, dataset, day, samples)
        manifest = Manifest(
            source=source, dataset=dataset, dt=day, asof_datetime=datetime.now(UTC),
            loader=Loader(module=loader, version=__version__), source_version=source_version,
            upstream_url=upstream_url, params=params or {}, row_count=sum(e.row_count for e in entries),
            files=entries, columns=columns, schema_hash=schema_hash(columns), content_hash=content_hash,
            coverage=coverage_of(coverage_frames), run_id=run_id, samples=samples,
            schema_drift=drift_between(previous, columns) if previous else None,
        )
        (staging / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
        return self._publish(manifest, staging)

    def _check_names(self, source: str, dataset: str) -> None:
        check_name("source", source)
        check_name("dataset", dataset)
        if not self.config.has_dataset(source, dataset):
            known = ", ".join(self.config.sources.get(source).datasets) if source in self.config.sources else \
                "unknown source; known sources: " + ", ".join(self.config.sources)
            raise SnapshotError(f"unknown dataset (known: {known})", source=source, dataset=dataset)

    def _frames(self, source: str, dataset: str,
                data: pl.DataFrame | Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        frames = {dataset: data} if isinstance(data, pl.DataFrame) else dict(data)
        if not frames:
            raise SnapshotError("no data frames given", source=source, dataset=dataset)
        for name, frame in frames.items():
            check_name("file", name)
            if not isinstance(frame, pl.DataFrame):
                raise SnapshotError(f"file {name!r} is a {type(frame).__name__}, not a polars DataFrame",
                                    source=source, dataset=dataset)
            if frame.width == 0:
                raise SnapshotError(f"file {name!r} has no columns", source=source, dataset=dataset)
        if sum(f.height for f in frames.values()) == 0 and not self.config.allows_empty(source, dataset):
            raise SnapshotError("refusing to write an empty snapshot (0 rows); this dataset may not be empty",
                                source=source, dataset=dataset)
        return frames

    def _staging_dir(self, source: str, dataset: str, samples: bool) -> Path:
        """A hidden temp folder: next to the target locally (same filesystem, so rename is atomic)."""
        if self.root.is_local:
            parent = Path(self.root.path(dataset_dir(source, dataset, samples)))
            parent.mkdir(parents=True, exist_ok=True)
            _remove_dead_staging(parent)
        else:
            parent = Path(tempfile.gettempdir())
        path = parent / f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        return path

    def _comparison_manifest(self, source: str, dataset: str, day: date, samples: bool) -> Manifest | None:
        """The snapshot new data is compared with: the current one (production) or the newest one (samples)."""
        if not samples:
            row = self.registry.current(source, dataset)
            if row is not None:
                return self.read_manifest(source, dataset, row.dt, missing_ok=True)
        dts = self.partition_dates(source, dataset, samples=samples)
        earlier = [d for d in dts if d <= day]
        return self.read_manifest(source, dataset, earlier[-1], samples=samples, missing_ok=True) if earlier \
            else None

    def _publish(self, manifest: Manifest, staging: Path) -> WriteResult:
        source, dataset, day, samples = manifest.source, manifest.dataset, manifest.dt, manifest.samples
        rel = partition_dir(source, dataset, day, samples)
        with self.registry.lock():
            same_day = self.read_manifest(source, dataset, day, samples=samples, missing_ok=True)
            current = None if samples else self.registry.current(source, dataset)
            current_manifest = (self.read_manifest(source, dataset, current.dt, missing_ok=True)
                                if current else None)
            for existing in (current_manifest, same_day):
                if existing is not None and existing.content_hash == manifest.content_hash:
                    return WriteResult(source, dataset, existing.dt, "unchanged",
                                       self.root.uri(partition_dir(source, dataset, existing.dt, samples)),
                                       existing)
            status: WriteStatus = "replaced" if same_day is not None else "new"
            # Replacing the current snapshot: demote it in the registry first, so a crash mid-swap never leaves
            # a current row over unvetted data. A new partition is registered after it is published; a crash
            # in between leaves an orphan that the next write registers (see _register_orphans).
            demote_first = not samples and current is not None and current.dt == day
            if demote_first:
                self._register(manifest)
            if self.root.is_local:
                publish_local_partition(staging, Path(self.root.path(rel)))
            else:
                self._upload(staging, rel, replace=same_day is not None)
            if not samples and not demote_first:
                self._register(manifest)
        return WriteResult(source, dataset, day, status, self.root.uri(rel), manifest)

    def _upload(self, staging: Path, rel: str, replace: bool) -> None:
        fs, target = self.root.fs, self.root.path(rel)
        if replace or fs.exists(target):
            # Manifest first: the partition stops being a snapshot before its data changes.
            if fs.exists(f"{target}/{MANIFEST_NAME}"):
                fs.rm(f"{target}/{MANIFEST_NAME}")
            fs.rm(target, recursive=True)
        for f in sorted(staging.iterdir()):
            if f.name != MANIFEST_NAME:
                fs.put_file(str(f), f"{target}/{f.name}")
        fs.put_file(str(staging / MANIFEST_NAME), f"{target}/{MANIFEST_NAME}")

    @object_cas.retry_on_conflict
    def _register(self, manifest: Manifest) -> None:
        cov = manifest.coverage
        row = RegistryRow(
            source=manifest.source, dataset=manifest.dataset, snapshot_date=manifest.dt.isoformat(),
            status="pending",
            coverage_start_season=str(cov.min_season) if cov and cov.min_season is not None else "",
            coverage_end_season=str(cov.max_season) if cov and cov.max_season is not None else "",
            row_count=str(manifest.row_count),
            notes=("schema drift vs " + manifest.schema_drift.previous_dt.isoformat()) if manifest.schema_drift
            else "",
        )
        with self.registry.transaction() as rows:
            self.registry.upsert_pending(rows, row)
            self._register_orphans(rows, manifest.source, manifest.dataset)

    def _register_orphans(self, rows: list[RegistryRow], source: str, dataset: str) -> None:
        """Partitions published by a writer killed before it updated the registry are registered pending."""
        known = {r.snapshot_date for r in rows if (r.source, r.dataset) == (source, dataset)}
        for day in self.partition_dates(source, dataset):
            if day.isoformat() not in known:
                m = self.read_manifest(source, dataset, day, missing_ok=True)
                if m is not None:
                    rows.append(RegistryRow(source, dataset, day.isoformat(), "pending", "", "",
                                            str(m.row_count), "recovered after an interrupted write"))

    # -- reading -------------------------------------------------------------------------------------------
    def partition_dates(self, source: str, dataset: str, samples: bool = False) -> list[date]:
        """Dates of the partitions that are snapshots (have a manifest), oldest first."""
        base = self.root.path(dataset_dir(source, dataset, samples))
        fs = self.root.fs
        try:
            names = fs.ls(base, detail=False)
        except FileNotFoundError:
            return []
        days = sorted(d for d in (dt_from_dirname(n) for n in names) if d is not None)
        return [d for d in days if fs.exists(f"{base}/dt={d.isoformat()}/{MANIFEST_NAME}")]

    def read_manifest(self, source: str, dataset: str, dt: str | date, samples: bool = False,
                      missing_ok: bool = False) -> Manifest | None:
        rel = f"{partition_dir(source, dataset, parse_dt(dt), samples)}/{MANIFEST_NAME}"
        try:
            with self.root.fs.open(self.root.path(rel), "rb") as fh:
                text = fh.read()
        except FileNotFoundError:
            if missing_ok:
                return None
            raise SnapshotError(f"no manifest at {self.root.uri(rel)}", source=source, dataset=dataset) from None
        return Manifest.from_json(text, self.root.uri(rel))

    def resolve_dt(self, source: str, dataset: str, dt: str | date | None = None) -> date:
        """The snapshot to read: the given date, else the registry's current one.

        With no registry rows at all for the dataset, the newest partition that has a manifest.
        """
        if dt is not None:
            return parse_dt(dt)
        rows = self.registry.rows_for(source, dataset)
        current = next((r for r in rows if r.status == "current"), None)
        if current is not None:
            return current.dt
        if rows:
            raise SnapshotError("no current snapshot (pending ones are not read until promoted)",
                                source=source, dataset=dataset)
        days = self.partition_dates(source, dataset)
        if not days:
            raise SnapshotError("no snapshot exists", source=source, dataset=dataset)
        return days[-1]

    def files(self, source: str, dataset: str, dt: str | date | None = None, samples: bool = False) -> list[str]:
        """URIs of the Parquet files of one snapshot, as listed in its manifest."""
        day = parse_dt(dt) if samples and dt is not None else self.resolve_dt(source, dataset, dt)
        manifest = self.read_manifest(source, dataset, day, samples=samples)
        rel = partition_dir(source, dataset, day, samples)
        return [self.root.uri(rel, f.name) for f in manifest.files]

    def read(self, source: str, dataset: str, dt: str | date | None = None, samples: bool = False,
             file: str | None = None) -> pl.DataFrame:
        """One snapshot as a DataFrame (all its files, or one named file)."""
        uris = self.files(source, dataset, dt, samples)
        if file is not None:
            uris = [u for u in uris if u.rsplit("/", 1)[-1] == f"{file}.parquet"]
            if not uris:
                raise SnapshotError(f"snapshot has no file {file!r}", source=source, dataset=dataset)
        frames = [self._read_file(source, dataset, u) for u in uris]
        return pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]

    def _read_file(self, source: str, dataset: str, uri: str) -> pl.DataFrame:
        """One Parquet file of a snapshot; a damaged or missing file is a SnapshotError naming it."""
        try:
            if self.root.is_local:
                return pl.read_parquet(uri)
            with self.root.fs.open(uri.split("://", 1)[-1], "rb") as fh:
                return pl.read_parquet(fh)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise SnapshotError(f"cannot read snapshot file {uri}: {type(exc).__name__}: {exc}",
                                source=source, dataset=dataset) from None

    # -- lifecycle -----------------------------------------------------------------------------------------
    def delete_partition(self, source: str, dataset: str, dt: date) -> None:
        """Remove an archived snapshot's files (manifest first, so it stops being a snapshot at once)."""
        target = self.root.path(partition_dir(source, dataset, dt))
        fs = self.root.fs
        if fs.exists(f"{target}/{MANIFEST_NAME}"):
            fs.rm(f"{target}/{MANIFEST_NAME}")
        if fs.exists(target):
            fs.rm(target, recursive=True)


def _describe_payloads(files: Mapping[str, bytes], footers: Mapping[str, pq.FileMetaData],
                       ) -> tuple[list[FileEntry], list[pa.Schema], str]:
    """What :func:`_describe_parquet_files` gives for these files once staged, from the bytes in memory (same
    order, same hash; a schema repeated by consecutive files is listed once); a footer the caller already
    parsed is not parsed again."""
    hasher = xxhash.xxh3_128()
    entries, schemas = [], []
    last: pq.FileMetaData | None = None
    for file_name, name in sorted((f"{name}.parquet", name) for name in files):
        payload = files[name]
        footer = footers.get(name)
        if footer is None:
            footer = pq.read_metadata(pa.BufferReader(payload))
        # files of one snapshot (seasons) usually share a schema: convert it once (the Arrow schema comes from the
        # Parquet schema and the file's key-value metadata, so both must match)
        if last is None or not (footer.schema.equals(last.schema) and footer.metadata == last.metadata):
            last = footer
            schemas.append(footer.schema.to_arrow_schema())
        entries.append(FileEntry(name=file_name, row_count=footer.num_rows, size_bytes=len(payload)))
        hasher.update(payload)
    return entries, schemas, hasher.hexdigest()


def _describe_parquet_files(staging: Path) -> tuple[list[FileEntry], list[pa.Schema], str]:
    """Row counts and schemas from each file's footer, and xxh3-128 over the bytes of all files in name order."""
    hasher = xxhash.xxh3_128()
    entries, schemas = [], []
    for path in sorted(staging.glob("*.parquet")):
        meta = pq.ParquetFile(path)
        schemas.append(meta.schema_arrow)
        entries.append(FileEntry(name=path.name, row_count=meta.metadata.num_rows, size_bytes=path.stat().st_size))
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 24):
                hasher.update(chunk)
    return entries, schemas, hasher.hexdigest()


def publish_local_partition(staging: Path, target: Path) -> None:
    """Rename the finished temp folder into place; an existing same-day partition is swapped out, then removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    final = staging.with_name(staging.name + "-ready")
    staging.rename(final)
    if target.exists():
        old = target.with_name(f"{TEMP_PREFIX}old-{os.getpid()}-{uuid.uuid4().hex[:8]}-{target.name}")
        target.rename(old)
        final.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        final.rename(target)


def _remove_dead_staging(parent: Path) -> None:
    """Clean up after writers that were killed (their pid no longer runs).

    A swapped-out partition whose replacement never arrived is renamed back; other leftovers are removed.
    """
    for child in sorted(parent.glob(f"{TEMP_PREFIX}*")):
        rest = child.name.removeprefix(TEMP_PREFIX)
        swapped_out = rest.startswith("old-")
        pid_text = rest.removeprefix("old-").split("-", 1)[0]
        if not pid_text.isdigit() or _pid_alive(int(pid_text)):
            continue
        original = parent / rest.split("-", 3)[-1] if swapped_out else None
        if original is not None and dt_from_dirname(original.name) and not original.exists():
            child.rename(original)
        else:
            shutil.rmtree(child, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
