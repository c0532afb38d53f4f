"""Copy snapshots between the local data root and an object store (either way), safely.

- Only snapshots move: ``raw/<source>/<dataset>/dt=*/`` folders that have a ``_meta.json``. ``_samples/``,
  temporary write folders and stray folders are skipped.
- A destination partition that already has a manifest ("populated") is never overwritten unless ``force``;
  one with the same content hash is simply in sync.
- After copying, the destination files are read back and hashed (xxh3-128, as the store does); the manifest is
  written last and only when the hash matches, so a failed copy never becomes a snapshot.
- The other side is not trusted: its registry must parse with plain names known to the policy file (else nothing
  is copied or merged), each manifest must validate (plain file names, at least one file) before a byte is
  copied, and every destination path is checked to lie inside the destination root.

Registry merge rule (the destination's ``registry/snapshot_registry.csv`` is updated under its lock):
the side synced *from* is authoritative for the rows of the snapshots it holds and that are now identical on both
sides (copied, replaced with ``force``, or already equal); rows only the destination has are kept; rows of
skipped conflicting snapshots keep the destination's version; registry rows whose data is absent on both sides
(e.g. archived and deleted) are added only if the destination lacks them. If that leaves two current rows for a
dataset, the one that came from the sync source stays current and the other becomes historical.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ff_analytics.errors import FFAError
from ff_analytics.governance.findings import Finding, error, warning
from ff_analytics.governance.inventory import Partition, read_registry_rows, scan
from ff_analytics.governance.validate import content_hash, read_bytes
from ff_analytics.snapshots.manifest import MAX_MANIFEST_BYTES, Manifest
from ff_analytics.snapshots.paths import MANIFEST_NAME, partition_dir
from ff_analytics.snapshots.registry import REGISTRY_PATH, RegistryRow, SnapshotRegistry
from ff_analytics.snapshots.store import TEMP_PREFIX, SnapshotStore, publish_local_partition
from ff_analytics.storage import DataRoot, storage_options_for

ActionKind = Literal["copy", "replace", "in_sync", "conflict", "skip_incomplete", "failed"]
COPY_CHUNK = 1 << 22


@dataclass
class SyncAction:
    kind: ActionKind
    source: str
    dataset: str
    dt: str
    src: str
    dst: str
    detail: str = ""


@dataclass
class SyncResult:
    src: str
    dst: str
    dry_run: bool
    actions: list[SyncAction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    registry_rows_changed: int = 0

    def count(self, kind: str) -> int:
        return sum(1 for a in self.actions if a.kind == kind)


def root_for(url: str) -> DataRoot:
    """A data root for a URL, with the object-store options from settings."""
    return DataRoot(url, storage_options_for(url))


def sync_roots(src: DataRoot, dst: DataRoot, *, dry_run: bool = False, force: bool = False) -> SyncResult:
    """Copy every snapshot of ``src`` missing (or, with ``force``, different) at ``dst``, then merge registries."""
    result = SyncResult(src.url, dst.url, dry_run)
    src_store = SnapshotStore(root=src)
    try:
        src_store.registry.read()  # strict, names checked against the policy: a hostile registry stops the sync
    except FFAError as exc:
        result.findings.append(error("sync", "source_registry_refused", f"nothing synced: {exc.detail}",
                                     path=src.uri(REGISTRY_PATH)))
        return result
    inv = scan(src_store)
    for part in sorted(inv.partitions.values(), key=lambda p: p.key):
        if not part.has_manifest:
            result.actions.append(SyncAction("skip_incomplete", part.source, part.dataset, part.dt.isoformat(),
                                             part.uri, "", f"no {MANIFEST_NAME}: not a snapshot"))
            continue
        result.actions.append(_sync_partition(src, dst, part, dry_run, force, result.findings))
    applied = {(a.source, a.dataset, a.dt) for a in result.actions if a.kind in ("copy", "replace", "in_sync")}
    blocked = {(a.source, a.dataset, a.dt) for a in result.actions if a.kind in ("conflict", "failed")}
    result.registry_rows_changed = _merge_registry(src_store, dst, applied, blocked, set(inv.partitions), dry_run,
                                                   result.findings)
    return result


def _sync_partition(src: DataRoot, dst: DataRoot, part: Partition, dry_run: bool, force: bool,
                    findings: list[Finding]) -> SyncAction:
    rel = partition_dir(part.source, part.dataset, part.dt)
    dst_path, dst_uri = dst.path(rel), dst.uri(rel)
    where = dict(source=part.source, dataset=part.dataset, dt=part.dt, path=dst_uri)
    action = SyncAction("copy", part.source, part.dataset, part.dt.isoformat(), part.uri, dst_uri)
    try:
        src.inside(part.path)
        dst.inside(dst_path)
        manifest = Manifest.from_json(read_bytes(src, f"{part.path}/{MANIFEST_NAME}", MAX_MANIFEST_BYTES),
                                      f"{part.uri}/{MANIFEST_NAME}")
        if (manifest.source, manifest.dataset, manifest.dt) != (part.source, part.dataset, part.dt):
            raise FFAError(f"manifest {part.uri}/{MANIFEST_NAME} describes {manifest.source}/{manifest.dataset} "
                           f"{manifest.dt}, not this partition")
        existing = _dst_manifest(dst, dst_path)
    except (FFAError, OSError) as exc:
        findings.append(error("sync", "sync_unreadable", f"cannot sync: {exc}", **where))
        action.kind, action.detail = "failed", str(exc)
        return action
    if existing is not None:
        if existing.content_hash == manifest.content_hash:
            action.kind = "in_sync"
            return action
        if not force:
            action.kind, action.detail = "conflict", "destination holds different data (use --force to replace)"
            findings.append(warning("sync", "sync_conflict", "populated partition at the destination differs "
                                    f"(hash {existing.content_hash} vs {manifest.content_hash}); not overwritten "
                                    "without --force", **where))
            return action
        action.kind = "replace"
    if dry_run:
        return action
    try:
        _copy_partition(src, dst, part, manifest, dst_path)
    except (OSError, FFAError) as exc:
        findings.append(error("sync", "sync_failed", f"copy failed: {exc}", **where))
        action.kind, action.detail = "failed", str(exc)
    return action


def _dst_manifest(dst: DataRoot, dst_path: str) -> Manifest | None:
    path = f"{dst_path}/{MANIFEST_NAME}"
    try:
        return Manifest.from_json(read_bytes(dst, path, MAX_MANIFEST_BYTES), path)
    except FileNotFoundError:
        return None
    except FFAError:
        return None  # a corrupt destination manifest is not a snapshot: treat the partition as unpopulated


def _copy_file(src: DataRoot, src_path: str, dst: DataRoot, dst_path: str) -> None:
    with src.fs.open(src_path, "rb") as fin, dst.fs.open(dst_path, "wb") as fout:
        while chunk := fin.read(COPY_CHUNK):
            fout.write(chunk)


def _copy_partition(src: DataRoot, dst: DataRoot, part: Partition, manifest: Manifest, dst_path: str) -> None:
    """Data files first, verified by hash, then the manifest; local destinations publish by rename."""
    names = [f.name for f in manifest.files]  # plain '<name>.parquet' (the manifest model refuses others)
    for name in names:
        src.inside(f"{part.path}/{name}")
        dst.inside(f"{dst_path}/{name}")
    if dst.is_local:
        target = Path(dst_path)
        staging = target.parent / f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        try:
            for name in names:
                _copy_file(src, f"{part.path}/{name}", dst, str(staging / name))
            _verify(dst, str(staging), names, manifest)
            _copy_file(src, f"{part.path}/{MANIFEST_NAME}", dst, str(staging / MANIFEST_NAME))
            publish_local_partition(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    fs = dst.fs
    if fs.exists(dst_path):
        if fs.exists(f"{dst_path}/{MANIFEST_NAME}"):
            fs.rm(f"{dst_path}/{MANIFEST_NAME}")  # stops being a snapshot before its data changes
        fs.rm(dst_path, recursive=True)
    for name in names:
        _copy_file(src, f"{part.path}/{name}", dst, f"{dst_path}/{name}")
    fs.invalidate_cache(dst_path)
    _verify(dst, dst_path, names, manifest)
    _copy_file(src, f"{part.path}/{MANIFEST_NAME}", dst, f"{dst_path}/{MANIFEST_NAME}")


def _verify(dst: DataRoot, folder: str, names: list[str], manifest: Manifest) -> None:
    digest = content_hash(dst, folder, names)
    if digest != manifest.content_hash:
        raise FFAError(f"hash after copy {digest} != manifest {manifest.content_hash}", source=manifest.source,
                       dataset=manifest.dataset)


def _merge_registry(src_store: SnapshotStore, dst: DataRoot, applied: set, blocked: set, src_keys: set,
                    dry_run: bool, findings: list[Finding]) -> int:
    """Apply the merge rule in the module docstring; returns how many destination rows change."""
    src_rows, problems = read_registry_rows(src_store)
    findings += [f.model_copy(update={"check": "sync", "message": "not synced: " + f.message}) for f in problems]
    registry = SnapshotRegistry(dst)
    try:
        if dry_run:
            rows = registry.read()
            return _apply_merge(rows, src_rows, applied, blocked, src_keys)
        with registry.transaction() as rows:
            return _apply_merge(rows, src_rows, applied, blocked, src_keys)
    except FFAError as exc:
        findings.append(error("sync", "registry_merge_failed", f"destination registry not merged: {exc.detail}",
                              path=dst.uri("registry/snapshot_registry.csv")))
        return 0


def _apply_merge(rows: list[RegistryRow], src_rows: list[RegistryRow], applied: set, blocked: set,
                 src_keys: set) -> int:
    by_key = {r.key: r for r in rows}
    changed = 0
    took_current: set[tuple[str, str]] = set()
    for s in src_rows:
        mine = by_key.get(s.key)
        authoritative = s.key in applied or (s.key not in src_keys and s.key not in blocked and mine is None)
        if not authoritative or (mine is not None and mine == s):
            if mine is not None and mine == s and s.status == "current":
                took_current.add((s.source, s.dataset))
            continue
        copy = RegistryRow(**vars(s))
        if mine is not None:
            rows.remove(mine)
        rows.append(copy)
        by_key[s.key] = copy
        changed += 1
        if s.status == "current":
            took_current.add((s.source, s.dataset))
    src_current = {s.key for s in src_rows if s.status == "current"}
    for r in rows:
        if r.status == "current" and (r.source, r.dataset) in took_current and r.key not in src_current:
            r.status = "historical"
            changed += 1
    return changed
