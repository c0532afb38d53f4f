"""What is on disk and in the registry, read cheaply and tolerantly: the common input of every check.

Listing only (no file is opened here): one directory listing per dataset and per partition. Anything that does
not look like a snapshot folder becomes a finding with its path instead of an exception.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ff_analytics.governance.findings import Finding, error, info, warning
from ff_analytics.platform_config import PlatformConfig
from ff_analytics.snapshots.paths import MANIFEST_NAME, SAMPLES_DIR, dt_from_dirname
from ff_analytics.snapshots.registry import REGISTRY_PATH, RegistryRow, parse_registry
from ff_analytics.snapshots.store import TEMP_PREFIX, SnapshotStore
from ff_analytics.storage import DataRoot

Key = tuple[str, str, str]  # source, dataset, snapshot_date


@dataclass
class Partition:
    """One ``dt=`` folder: its location and the names of the files in it."""

    source: str
    dataset: str
    dt: date
    path: str  # filesystem path (no protocol)
    uri: str   # path with protocol, for messages
    names: list[str] | None = None  # file names, when listed (see scan's ``list_files``)

    @property
    def key(self) -> Key:
        return (self.source, self.dataset, self.dt.isoformat())

    @property
    def has_manifest(self) -> bool:
        if self.names is None:
            raise ValueError("partition files were not listed")
        return MANIFEST_NAME in self.names

    def list_files(self, root: DataRoot) -> list[str]:
        if self.names is None:
            self.names = sorted(n for n, _ in (list_dir(root, self.path) or []))
        return self.names


@dataclass
class Inventory:
    root: DataRoot
    rows: list[RegistryRow] = field(default_factory=list)
    partitions: dict[Key, Partition] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def rows_for(self, source: str, dataset: str) -> list[RegistryRow]:
        return sorted((r for r in self.rows if (r.source, r.dataset) == (source, dataset)),
                      key=lambda r: r.snapshot_date)

    def datasets(self) -> list[tuple[str, str]]:
        keys = {(r.source, r.dataset) for r in self.rows} | {(p.source, p.dataset) for p in self.partitions.values()}
        return sorted(keys)


def list_dir(root: DataRoot, path: str) -> list[tuple[str, bool]] | None:
    """(name, is_dir) of a folder's children; None when the folder does not exist."""
    if root.is_local:
        try:
            with os.scandir(path) as it:
                return [(e.name, e.is_dir()) for e in it]
        except (FileNotFoundError, NotADirectoryError):
            return None
    try:
        entries = root.fs.ls(path, detail=True, refresh=True)
    except FileNotFoundError:
        return None
    out = []
    for e in entries:
        name = e["name"].rstrip("/").rsplit("/", 1)[-1]
        if name:
            out.append((name, e.get("type") == "directory"))
    return out


def read_registry_rows(store: SnapshotStore) -> tuple[list[RegistryRow], list[Finding]]:
    """Registry rows that parse; every bad line (or an unreadable file) is an error finding with its path."""
    uri = store.root.uri(REGISTRY_PATH)
    try:
        text = store.registry.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [error("registry", "registry_unreadable", f"registry cannot be read: {exc}", path=uri)]
    rows, problems = parse_registry(text, uri)
    findings = [error("registry", "registry_bad_line", p.message, path=uri) for p in problems]
    return rows, findings


def scan(store: SnapshotStore, sources: Iterable[str] | None = None, config: PlatformConfig | None = None,
         list_files: bool = True) -> Inventory:
    """Registry rows and partition folders of the given sources (default: every source on disk or configured).

    With ``list_files`` each partition's file names are listed too (one listing per partition on local disk,
    one recursive listing per dataset on object stores); validate skips that and opens files directly.
    """
    root = store.root
    config = config or store.config
    inv = Inventory(root=root)
    inv.rows, inv.findings = read_registry_rows(store)
    wanted = set(sources) if sources else None
    if wanted is not None:
        inv.rows = [r for r in inv.rows if r.source in wanted]
    raw = list_dir(root, root.path("raw"))
    on_disk = sorted(name for name, is_dir in (raw or []) if is_dir and not name.startswith("."))
    for source in on_disk:
        if wanted is not None and source not in wanted:
            continue
        if source not in config.sources:
            inv.findings.append(warning("layout", "unknown_source", f"folder raw/{source} is not a configured "
                                        "source", source=source, path=root.uri("raw", source)))
            continue
        _scan_source(store, inv, source, config, list_files)
    return inv


def _scan_source(store: SnapshotStore, inv: Inventory, source: str, config: PlatformConfig,
                 list_files: bool) -> None:
    root = store.root
    for name, is_dir in sorted(list_dir(root, root.path("raw", source)) or []):
        if name == SAMPLES_DIR or name.startswith("."):
            continue
        if not is_dir or name not in config.sources[source].datasets:
            inv.findings.append(warning("layout", "unknown_dataset", f"raw/{source}/{name} is not a configured "
                                        "dataset", source=source, path=root.uri("raw", source, name)))
            continue
        _scan_dataset(store, inv, source, name, list_files)


def _scan_dataset(store: SnapshotStore, inv: Inventory, source: str, dataset: str, list_files: bool) -> None:
    root = store.root
    base = root.path("raw", source, dataset)
    remote_files = _remote_files(root, base) if list_files and not root.is_local else None
    for name, is_dir in sorted(list_dir(root, base) or []):
        if name.startswith(TEMP_PREFIX):
            inv.findings.append(info("layout", "staging_leftover", "temporary write folder (removed by the next "
                                     "write if its writer is gone)", source=source, dataset=dataset,
                                     path=root.uri("raw", source, dataset, name)))
            continue
        day = dt_from_dirname(name) if is_dir else None
        if day is None:
            inv.findings.append(warning("layout", "not_a_partition", f"{name!r} is not a dt=YYYY-MM-DD folder",
                                        source=source, dataset=dataset, path=root.uri("raw", source, dataset, name)))
            continue
        path = f"{base}/{name}"
        part = Partition(source, dataset, day, path, root.uri("raw", source, dataset, name))
        if remote_files is not None:
            part.names = sorted(remote_files.get(name, []))
        elif list_files:
            part.list_files(root)
        inv.partitions[part.key] = part


def _remote_files(root: DataRoot, base: str) -> dict[str, list[str]]:
    """dt folder name -> file names, from one recursive listing of a dataset (one paginated LIST call)."""
    out: dict[str, list[str]] = {}
    try:
        paths = root.fs.find(base, detail=False)
    except FileNotFoundError:
        return out
    for p in paths:
        rest = p[len(base):].strip("/").split("/")
        if len(rest) == 2:
            out.setdefault(rest[0], []).append(rest[1])
    return out
