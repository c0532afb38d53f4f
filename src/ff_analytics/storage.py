"""One data root, local or object store, behind fsspec: moving to S3/GCS means changing ``FFA_DATA_ROOT``."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from ff_analytics.errors import SnapshotError
from ff_analytics.settings import PROJECT_ROOT, Settings, get_settings


def storage_options_for(root: str, settings: Settings | None = None) -> dict[str, Any]:
    """fsspec options for the root's protocol, from settings (endpoint and keys for S3-compatible stores)."""
    settings = settings or get_settings()
    if root.startswith("s3://"):
        opts: dict[str, Any] = {}
        if settings.s3_endpoint_url:
            opts["client_kwargs"] = {"endpoint_url": settings.s3_endpoint_url, "region_name": settings.s3_region}
        if settings.s3_key_id.get_secret_value():
            opts["key"] = settings.s3_key_id.get_secret_value()
            opts["secret"] = settings.s3_secret.get_secret_value()
        return opts
    if root.startswith(("gs://", "gcs://")) and settings.gcs_endpoint_url:
        return {"endpoint_url": settings.gcs_endpoint_url}
    return {}


def filesystem_class(protocol: str, storage_options: dict[str, Any]) -> type[fsspec.AbstractFileSystem]:
    """The fsspec class for a protocol; for GCS on a custom endpoint, gcsfs's plain JSON-API filesystem.

    gcsfs's default class first asks Google's gRPC control plane for each bucket's layout, which an emulator or
    a private endpoint does not serve (every first touch of a bucket then waits out a 60 s timeout).
    """
    if protocol in ("gs", "gcs") and storage_options.get("endpoint_url"):
        from gcsfs.core import GCSFileSystem  # an optional dependency (the cloud extra): imported only here

        return GCSFileSystem
    return fsspec.get_filesystem_class(protocol)


@dataclass(frozen=True)
class DataRoot:
    """The data root and the filesystem that serves it. Paths are '/'-joined strings without protocol."""

    url: str
    storage_options: dict[str, Any] | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> DataRoot:
        settings = settings or get_settings()
        return cls(settings.data_root, storage_options_for(settings.data_root, settings))

    @property
    def is_local(self) -> bool:
        return "://" not in self.url or self.url.startswith("file://")

    @property
    def protocol(self) -> str:
        return self.url.split("://", 1)[0] if "://" in self.url else "file"

    @cached_property
    def fs(self) -> fsspec.AbstractFileSystem:
        if self.is_local:
            return LocalFileSystem(auto_mkdir=True)
        fs_cls = filesystem_class(self.protocol, self.storage_options or {})
        return fs_cls(**(self.storage_options or {}))

    @cached_property
    def base(self) -> str:
        """The root as a filesystem path: absolute for local roots, 'bucket/prefix' for object stores."""
        if self.is_local:
            return str(Path(self.url.removeprefix("file://")).resolve())
        return self.url.split("://", 1)[1].rstrip("/")

    def path(self, *parts: str) -> str:
        return "/".join([self.base, *[p.strip("/") for p in parts if p]])

    def uri(self, *parts: str) -> str:
        """A path with its protocol, for DuckDB/Polars readers (plain path for local roots)."""
        p = self.path(*parts)
        return p if self.is_local else f"{self.protocol}://{p}"

    @cached_property
    def _real_base(self) -> str:
        return os.path.realpath(self.base)

    def inside(self, path: str) -> str:
        """``path`` unchanged when it lies inside the root (symlinks resolved locally), else a SnapshotError.

        Names that come from data (registry rows, manifests, remotes) become paths; this is the last check before
        anything is read, written or deleted there.
        """
        if self.is_local:
            real = os.path.realpath(path)
            ok = real == self._real_base or real.startswith(self._real_base.rstrip(os.sep) + os.sep)
        else:
            real = posixpath.normpath(path)
            ok = ".." not in path.split("/") and (real == self.base or real.startswith(self.base + "/"))
        if not ok:
            raise SnapshotError(f"path {path} resolves to {real}, outside the data root {self.url}")
        return path

    def remove_tree(self, path: str) -> None:
        """Delete a folder inside the root without following symlinks out of it (a link is removed, not its
        target; a folder that resolves outside the root is refused)."""
        if not self.is_local:
            self.inside(path)
            self.fs.rm(path, recursive=True)
            return
        if os.path.islink(path):
            self.inside(os.path.dirname(path))
            self.inside(path)  # a link pointing outside is refused: it shows a tampered tree
            os.unlink(path)
            return
        self.inside(path)
        shutil.rmtree(path)

    # -- local working files of this root: the warehouse, dbt's files, reports, the run lock ---------------------
    @cached_property
    def local_dir(self) -> Path:
        """Where this root's local working files live: the root itself when local; for an object-store root a
        folder named after it under ``<project>/.ffa/`` (DuckDB and dbt need local files)."""
        if self.is_local:
            return Path(self.base)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", self.url)[:60]
        digest = hashlib.sha256(self.url.encode()).hexdigest()[:8]
        return PROJECT_ROOT / ".ffa" / f"{slug}-{digest}"

    @property
    def warehouse_path(self) -> Path:
        """The DuckDB warehouse dbt builds for this root (one per root: tests and the demo never share one)."""
        return self.local_dir / "warehouse" / "ff_analytics.duckdb"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target/ for this root: runs on different roots never share partial-parse state."""
        return self.local_dir / "warehouse" / "dbt_target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.local_dir / "warehouse" / "dbt_logs"

    @property
    def dbt_runs_dir(self) -> Path:
        """Per-run dbt artifact folders of the generic dbt runner (``ffa dbt run``)."""
        return self.local_dir / "ops" / "dbt_runs"

    @property
    def reports_dir(self) -> Path:
        """The governance report folder: ``reports/`` beside a local root, in the local folder otherwise."""
        return self.local_dir.parent / "reports" if self.is_local else self.local_dir / "reports"

    @property
    def logs_dir(self) -> Path:
        """The run logs of ``ffa demo`` / ``ffa run`` (Prefect's, dbt's and ours, one file per run)."""
        return self.local_dir / "logs"

    @property
    def run_lock_path(self) -> Path:
        """One pipeline run per root at a time (held by ``ffa demo`` / ``ffa run``)."""
        return self.local_dir / ".ffa-run.lock"
