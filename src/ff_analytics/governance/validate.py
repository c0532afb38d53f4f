"""Registry ↔ disk and manifest ↔ Parquet consistency, read from footers and manifests only.

What is checked, per dataset:
- every current/pending registry row has its partition with a manifest (historical rows: the partition exists;
  archived rows: a missing partition is only noted, deleting archived data is allowed);
- every partition on disk has a registry row;
- ``_meta.json`` parses and names the partition it sits in; its files exist; Parquet footer row counts equal the
  manifest's and the registry's (with ``deep``: the content hash and the footer schema match too);
- a sample snapshot is never current; the current snapshot of a week-coverage dataset has no season/week gaps.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import xxhash
from pydantic import BaseModel, Field, ValidationError

from ff_analytics.errors import FFAError, SnapshotError
from ff_analytics.governance.findings import Finding, Severity, error, info, warning
from ff_analytics.governance.gaps import gap_findings, schedule_weeks
from ff_analytics.governance.inventory import Inventory, Partition, scan
from ff_analytics.snapshots.manifest import (
    MAX_MANIFEST_BYTES,
    Coverage,
    FileEntry,
    Manifest,
    columns_of,
    schema_hash,
)
from ff_analytics.snapshots.paths import MANIFEST_NAME, partition_dir
from ff_analytics.snapshots.registry import RegistryRow
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

CHECKED_IN_FULL = ("current", "pending")


def validate(store: SnapshotStore | None = None, sources: Iterable[str] | None = None, *, deep: bool = False,
             fail_on_gaps: bool = False, as_of: date | None = None, workers: int | None = None) -> list[Finding]:
    """All consistency findings for the given sources (default all); never raises on bad data."""
    store = store or SnapshotStore()
    as_of = as_of or datetime.now(UTC).date()
    inv = scan(store, sources, list_files=deep or not store.root.is_local)
    findings = list(inv.findings)
    findings += _registry_findings(store, inv)
    todo = _partitions_to_check(store, inv, findings, deep)
    # Threads only where reads wait on the network: on local files the footer and manifest parsing hold the GIL,
    # and two threads took 2.7 s where one takes 1.6 s (10,000 partitions, bench/bench_validate.py).
    default_workers = 1 if store.root.is_local else min(4, os.cpu_count() or 1)
    results = _check_all(store.root, todo, deep, workers or default_workers)
    manifests: dict[tuple[str, str, str], Manifest] = {}
    for (part, row), result in zip(todo, results, strict=True):
        findings += _classify(part, row, result)
        if result.manifest is not None:
            manifests[part.key] = result.manifest
    findings += _current_findings(store, inv, manifests, as_of, fail_on_gaps)
    return findings


@dataclass
class PartitionCheck:
    """What checking one partition found; ``manifest_missing`` means it is not a snapshot at all."""

    findings: list[Finding] = field(default_factory=list)
    manifest: Manifest | ManifestEssentials | None = None
    manifest_missing: bool = False


def _check_all(root: DataRoot, todo: list[tuple[Partition, RegistryRow | None]], deep: bool,
               workers: int) -> list[PartitionCheck]:
    """Check partitions, in a few threads (one contiguous chunk each) when ``workers`` > 1."""
    def run(chunk: list[tuple[Partition, RegistryRow | None]]) -> list[PartitionCheck]:
        return [check_partition(root, part, row, deep=deep) for part, row in chunk]

    if workers <= 1 or len(todo) < 64:
        return run(todo)
    size = -(-len(todo) // workers)
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [r for part in pool.map(run, chunks) for r in part]


def _classify(part: Partition, row: RegistryRow | None, result: PartitionCheck) -> list[Finding]:
    """Turn a partition check into findings, given whether the registry knows the partition."""
    where = dict(source=part.source, dataset=part.dataset, dt=part.dt, path=part.uri)
    if result.manifest_missing:
        if row is None:
            return [warning("registry", "partition_incomplete", f"partition has no {MANIFEST_NAME} and no registry "
                            "row (an interrupted write?)", **where)]
        return [error("registry", "registry_missing_partition", f"{row.status} registry row but the "
                      f"{MANIFEST_NAME} is missing", **where)]
    if row is None:
        return [error("registry", "partition_unregistered", "partition has no registry row", **where),
                *result.findings]
    return result.findings


def _registry_findings(store: SnapshotStore, inv: Inventory) -> list[Finding]:
    """Rows that contradict each other or the policy file (two current rows, duplicates, unknown datasets)."""
    out: list[Finding] = []
    uri = store.root.uri("registry/snapshot_registry.csv")
    seen: set[tuple[str, str, str]] = set()
    current: dict[tuple[str, str], list[str]] = {}
    for r in inv.rows:
        if r.key in seen:
            out.append(error("registry", "registry_duplicate", f"two registry rows for {r.snapshot_date}",
                             source=r.source, dataset=r.dataset, dt=r.dt, path=uri))
        seen.add(r.key)
        if r.status == "current":
            current.setdefault((r.source, r.dataset), []).append(r.snapshot_date)
        if not store.config.has_dataset(r.source, r.dataset):
            out.append(warning("registry", "registry_unknown_dataset", "registry row for a dataset not in "
                               "config/platform.yaml (its files are never read or deleted through this policy)",
                               source=r.source, dataset=r.dataset, dt=r.dt, path=uri))
    for (source, dataset), days in sorted(current.items()):
        if len(days) > 1:
            out.append(error("registry", "registry_multiple_current", "more than one current snapshot: "
                             + ", ".join(sorted(days)), source=source, dataset=dataset, path=uri))
    return out


def _partitions_to_check(store: SnapshotStore, inv: Inventory, findings: list[Finding],
                         deep: bool = False) -> list[tuple[Partition, RegistryRow | None]]:
    """Match registry rows with partitions; report rows without folders; return what needs a full check.

    Current/pending rows and unregistered partitions get the full check, and with ``deep`` historical rows too
    (they are rollback targets); otherwise historical/archived rows only an existence check of their manifest.
    """
    full = (*CHECKED_IN_FULL, "historical") if deep else CHECKED_IN_FULL
    root = store.root
    todo: list[tuple[Partition, RegistryRow | None]] = []
    rows_by_key = {r.key: r for r in inv.rows}
    for r in rows_by_key.values():
        part = inv.partitions.get(r.key)
        where = dict(source=r.source, dataset=r.dataset, dt=r.dt,
                     path=root.uri(partition_dir(r.source, r.dataset, r.dt)))
        if part is not None and r.status in full:
            todo.append((part, r))
            continue
        exists = part is not None and (MANIFEST_NAME in part.names if part.names is not None
                                       else _exists(root, f"{part.path}/{MANIFEST_NAME}"))
        if exists:
            continue
        what = "partition folder" if part is None else MANIFEST_NAME
        if r.status == "archived":
            findings.append(info("registry", "archived_deleted", f"archived snapshot has no {what} "
                                 "(its data was deleted)", **where))
        else:
            findings.append(error("registry", "registry_missing_partition",
                                  f"{r.status} registry row but the {what} is missing", **where))
    todo += [(part, None) for key, part in inv.partitions.items() if key not in rows_by_key]
    return todo


def _exists(root: DataRoot, path: str) -> bool:
    return os.path.exists(path) if root.is_local else root.fs.exists(path)


def read_bytes(root: DataRoot, path: str, limit: int | None = None) -> bytes:
    """A file's bytes; with ``limit`` at most that many (+1, so a caller can tell the file is larger)."""
    size = -1 if limit is None else limit + 1
    if root.is_local:
        with open(path, "rb", buffering=0) as fh:  # unbuffered: one read of a small file
            if size >= 0:  # read what is there (up to the limit): a read(limit) would allocate the whole limit
                size = min(size, os.fstat(fh.fileno()).st_size + 1)
            return fh.readall() if size < 0 else fh.read(size)
    with root.fs.open(path, "rb") as fh:
        return fh.read(size)


def read_footer(root: DataRoot, path: str) -> pq.FileMetaData:
    if root.is_local:
        with pa.OSFile(path) as fh:  # skips pyarrow's filesystem resolution, the bulk of a tiny footer read
            return pq.read_metadata(fh)
    with root.fs.open(path, "rb") as fh:
        return pq.read_metadata(fh)


class ManifestEssentials(BaseModel):
    """The manifest fields the footer checks use, fully typed; the other required fields only must be present.

    Parsing this instead of the whole :class:`Manifest` (every column's name and type, loader, params) keeps
    ``validate`` near the cost of reading the footers; ``--deep`` parses the full model.
    """

    source: str
    dataset: str
    dt: date
    asof_datetime: Any
    loader: Any
    row_count: int
    files: list[FileEntry] = Field(min_length=1)
    columns: list[Any]
    schema_hash: str
    content_hash: str
    coverage: Coverage | None = None
    samples: bool = False


def parse_manifest(text: bytes, where: str, full: bool = True) -> Manifest | ManifestEssentials:
    """Parse and validate a manifest (pydantic's JSON mode; a clear SnapshotError naming the bad fields)."""
    if len(text) > MAX_MANIFEST_BYTES:
        raise SnapshotError(f"manifest {where} is too large (over {MAX_MANIFEST_BYTES} bytes)")
    try:
        return (Manifest if full else ManifestEssentials).model_validate_json(text)
    except (ValidationError, ValueError, RecursionError):
        return Manifest.from_json(text, where)  # re-parse for the message naming the bad fields


def check_partition(root: DataRoot, part: Partition, row: RegistryRow | None, *,
                    deep: bool = False) -> PartitionCheck:
    """One snapshot folder: manifest fields, files, footer row counts (and with ``deep`` hash and schema)."""
    where = dict(source=part.source, dataset=part.dataset, dt=part.dt)
    meta_path = f"{part.path}/{MANIFEST_NAME}"
    meta_uri = f"{part.uri}/{MANIFEST_NAME}"
    try:
        manifest = parse_manifest(read_bytes(root, meta_path, MAX_MANIFEST_BYTES), meta_uri, full=deep)
    except FileNotFoundError:
        return PartitionCheck(manifest_missing=True)
    except FFAError as exc:
        return PartitionCheck([error("manifest", "manifest_invalid", exc.detail, path=meta_uri, **where)])
    except OSError as exc:
        return PartitionCheck([error("manifest", "manifest_unreadable", f"cannot read manifest: {exc}",
                                     path=meta_uri, **where)])
    out: list[Finding] = []
    if (manifest.source, manifest.dataset, manifest.dt) != (part.source, part.dataset, part.dt):
        out.append(error("manifest", "manifest_mismatch", f"manifest describes {manifest.source}/"
                         f"{manifest.dataset} {manifest.dt} but sits in this partition", path=meta_uri, **where))
    if manifest.samples:
        is_current = row is not None and row.status == "current"
        out.append(error("samples", "samples_current" if is_current else "samples_in_production",
                         "a samples snapshot is " + ("current" if is_current else "outside _samples/"),
                         path=meta_uri, **where))
    if part.names is not None:
        listed = {f.name for f in manifest.files}
        out += [warning("manifest", "file_unlisted", f"{name} is not listed in the manifest",
                        path=f"{part.uri}/{name}", **where)
                for name in part.names if name.endswith(".parquet") and name not in listed]
    footers_ok = True
    footer_schemas = []
    for entry in manifest.files:
        file_uri = f"{part.uri}/{entry.name}"
        try:
            md = read_footer(root, f"{part.path}/{entry.name}")
        except FileNotFoundError:
            out.append(error("manifest", "file_missing", f"{entry.name} is listed in the manifest but missing",
                             path=file_uri, **where))
            footers_ok = False
            continue
        except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) on truncated files
            out.append(error("footer", "parquet_unreadable", f"Parquet footer unreadable: {exc}",
                             path=file_uri, **where))
            footers_ok = False
            continue
        if deep:
            footer_schemas.append(md.schema.to_arrow_schema())
        if md.num_rows != entry.row_count:
            out.append(error("footer", "rowcount_file_mismatch", f"footer has {md.num_rows} rows, manifest says "
                             f"{entry.row_count}", path=file_uri, **where))
    manifest_total = sum(f.row_count for f in manifest.files)
    if manifest_total != manifest.row_count:
        out.append(error("manifest", "rowcount_manifest_inconsistent", f"manifest row_count {manifest.row_count} "
                         f"!= sum of its files {manifest_total}", path=meta_uri, **where))
    if row is not None and row.row_count.strip() and row.row_count.strip() != str(manifest.row_count):
        out.append(error("registry", "rowcount_registry_mismatch", f"registry row_count {row.row_count} != "
                         f"manifest row_count {manifest.row_count}", path=meta_uri, **where))
    if deep and footers_ok:
        out += _deep_checks(root, part, manifest, footer_schemas, meta_uri)
    return PartitionCheck(out, manifest)


def _deep_checks(root: DataRoot, part: Partition, manifest: Manifest, schemas: list, meta_uri: str) -> list[Finding]:
    """Re-hash the data files (xxh3-128 over the files in manifest order) and compare the footer schema."""
    where = dict(source=part.source, dataset=part.dataset, dt=part.dt, path=meta_uri)
    out: list[Finding] = []
    digest = content_hash(root, part.path, [f.name for f in manifest.files])
    if digest != manifest.content_hash:
        out.append(error("manifest", "content_hash_mismatch", f"content hash {digest} != manifest "
                         f"{manifest.content_hash}: the data files changed after the snapshot was written", **where))
    names_types: dict[str, str] = {}
    for schema in schemas:
        for col in columns_of(schema):
            names_types.setdefault(col.name, col.type)
    footer_cols = columns_of(schemas[0]) if len(schemas) == 1 else None
    if footer_cols is not None and schema_hash(footer_cols) != manifest.schema_hash:
        out.append(error("manifest", "schema_hash_mismatch", "footer schema does not match the manifest's "
                         "schema_hash", **where))
    elif set(names_types) != {c.name for c in manifest.columns}:
        out.append(error("manifest", "schema_columns_mismatch", "footer columns differ from the manifest's",
                         **where))
    return out


def content_hash(root: DataRoot, folder: str, names: list[str]) -> str:
    """The store's content hash: xxh3-128 over the data files' bytes, in manifest order."""
    hasher = xxhash.xxh3_128()
    for name in names:
        with (open(f"{folder}/{name}", "rb") if root.is_local else root.fs.open(f"{folder}/{name}", "rb")) as fh:
            while chunk := fh.read(1 << 24):
                hasher.update(chunk)
    return hasher.hexdigest()


def _current_findings(store: SnapshotStore, inv: Inventory, manifests: dict, as_of: date,
                      fail_on_gaps: bool) -> list[Finding]:
    """Gaps in the current snapshot of each week-coverage dataset."""
    out: list[Finding] = []
    schedule = None
    schedule_loaded = False
    for r in inv.rows:
        if r.status != "current" or not store.config.checks_week_coverage(r.source, r.dataset):
            continue
        manifest = manifests.get(r.key)
        if manifest is None:
            continue
        if not schedule_loaded:
            schedule, schedule_loaded = schedule_weeks(store, as_of), True
        out += gap_findings(manifest, schedule, inv.partitions[r.key].uri,
                            severity=Severity.error if fail_on_gaps else Severity.warning)
    return out
