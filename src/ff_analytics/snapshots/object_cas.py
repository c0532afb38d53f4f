"""Compare-and-swap of one small object on S3 or GCS, so writers on different machines never lose an update.

A local file lock cannot order writers on two machines. Object stores can: a read returns the object's version
(GCS generation, S3 ETag) together with its bytes, and a write can be made conditional on that version (GCS
``ifGenerationMatch``, S3 ``If-Match``; ``ifGenerationMatch=0`` / ``If-None-Match: *`` when creating). When the
condition fails, another writer got there first: the caller's change is re-applied to the fresh object with a
three-way merge and written again, a bounded number of times with jittered back-off. Changes that cannot be
merged raise :class:`CasConflict`; nothing is written then.

The S3 calls go through s3fs's own client; GCS conditional writes use google-cloud-storage (gcsfs offers only
create-if-absent), with gcsfs's credentials and endpoint. Both are optional (the ``cloud`` extra), so they are
imported where used.
"""

from __future__ import annotations

import csv
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

import fsspec
import fsspec.asyn

from ff_analytics.errors import RegistryError

CAS_ATTEMPTS = 12
BACKOFF_BASE_SECONDS = 0.02
BACKOFF_CAP_SECONDS = 1.0
S3_PROTOCOLS = {"s3", "s3a"}
GCS_PROTOCOLS = {"gs", "gcs"}


class PreconditionFailed(Exception):
    """The object changed (or appeared) since it was read: the conditional write was refused."""


class CasConflict(RegistryError):
    """Another writer changed the same part of the object; the change was not written and can be re-run."""


@dataclass(frozen=True)
class Versioned:
    """An object's text and the version it was read at (``None``: the object did not exist)."""

    text: str
    version: str | None


def supports(fs: fsspec.AbstractFileSystem) -> bool:
    """True for the object stores whose conditional writes this module drives (S3 and GCS)."""
    return bool(_protocols(fs) & (S3_PROTOCOLS | GCS_PROTOCOLS))


def read_versioned(fs: fsspec.AbstractFileSystem, path: str) -> Versioned:
    """The object's text and version from one GET, so the two always belong together."""
    if _protocols(fs) & S3_PROTOCOLS:
        return fsspec.asyn.sync(fs.loop, _s3_get, fs, path)
    return _gcs_get(fs, path)


def write_if(fs: fsspec.AbstractFileSystem, path: str, data: bytes, version: str | None) -> str:
    """Write ``data`` only if the object is still at ``version`` (absent when ``None``); return the new version.

    Raises :class:`PreconditionFailed` when another writer changed the object in between.
    """
    if _protocols(fs) & S3_PROTOCOLS:
        return _s3_put(fs, path, data, version)
    return _gcs_put(fs, path, data, version)


def replace(fs: fsspec.AbstractFileSystem, path: str, seen: Versioned, new_text: str,
            merge: Callable[[str, str, str], str], attempts: int = CAS_ATTEMPTS) -> str:
    """Write ``new_text`` (made from ``seen``) unless someone else wrote first; then merge and try again.

    ``merge(base, ours, theirs)`` re-applies our change (``seen.text`` → ``new_text``) to the fresh text, or raises
    :class:`CasConflict`. Returns the text finally written.
    """
    text, version = new_text, seen.version
    for attempt in range(attempts):
        try:
            write_if(fs, path, text.encode("utf-8"), version)
            return text
        except PreconditionFailed:
            time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** attempt)))
            fresh = read_versioned(fs, path)
            text, version = merge(seen.text, new_text, fresh.text), fresh.version
    raise CasConflict(f"{path} kept changing under {attempts} conditional writes; nothing was written")


def retry_on_conflict(fn: Callable[..., Any], attempts: int = CAS_ATTEMPTS) -> Callable[..., Any]:
    """Run ``fn`` again from the start (a fresh read-modify-write) when it raises :class:`CasConflict`."""
    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(attempts - 1):
            try:
                return fn(*args, **kwargs)
            except CasConflict:
                time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** attempt)))
        return fn(*args, **kwargs)
    return run


def merge_grouped_csv(base: str, ours: str, theirs: str, group_width: int = 2) -> str:
    """Three-way merge of CSV texts whose rows belong to groups (the first ``group_width`` columns).

    Each group is taken whole from the side that changed it; a group both sides changed differently is a
    :class:`CasConflict`, since rows of one group depend on each other (e.g. one current snapshot per dataset).
    Rows come out sorted, as the registry writes them.
    """
    b_head, b_groups = _groups(base, group_width)
    o_head, o_groups = _groups(ours, group_width)
    t_head, t_groups = _groups(theirs, group_width)
    heads = {tuple(h) for h in (o_head, t_head, b_head) if h}
    if len(heads) > 1:
        raise CasConflict(f"header changed by another writer: {sorted(heads)}")
    merged: list[list[str]] = []
    for group in sorted(set(b_groups) | set(o_groups) | set(t_groups)):
        b, o, t = b_groups.get(group, []), o_groups.get(group, []), t_groups.get(group, [])
        if o == b or o == t:
            merged += t
        elif t == b:
            merged += o
        else:
            raise CasConflict("changed by another writer at the same time; nothing was written",
                              source=group[0], dataset="/".join(group[1:]) or None)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = next(iter(heads), None)
    if header is not None:
        writer.writerow(header)
    writer.writerows(sorted(merged))
    return buf.getvalue()


def _groups(text: str, width: int) -> tuple[list[str], dict[tuple[str, ...], list[list[str]]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    groups: dict[tuple[str, ...], list[list[str]]] = {}
    for row in reader:
        if row:
            groups.setdefault(tuple(row[:width]), []).append(row)
    return header, {g: sorted(rows) for g, rows in groups.items()}


def _protocols(fs: fsspec.AbstractFileSystem) -> set[str]:
    proto = fs.protocol
    return set(proto) if isinstance(proto, (tuple, list)) else {proto}


# -- S3 (s3fs's aiobotocore client) ------------------------------------------------------------------------------
async def _s3_get(fs: Any, path: str) -> Versioned:
    bucket, key, _ = fs.split_path(path)
    try:
        resp = await fs._call_s3("get_object", Bucket=bucket, Key=key)
    except FileNotFoundError:
        return Versioned("", None)
    async with resp["Body"] as body:
        data = await body.read()
    return Versioned(data.decode("utf-8"), resp["ETag"])


def _s3_put(fs: Any, path: str, data: bytes, version: str | None) -> str:
    bucket, key, _ = fs.split_path(path)
    condition = {"IfNoneMatch": "*"} if version is None else {"IfMatch": version}
    try:
        out = fs.call_s3("put_object", Bucket=bucket, Key=key, Body=data, **condition)
    except OSError as exc:  # s3fs maps 412 to OSError/FileExistsError; the ClientError is the cause
        code = (getattr(exc.__cause__, "response", None) or {}).get("Error", {}).get("Code")
        if code in ("PreconditionFailed", "ConditionalRequestConflict"):
            raise PreconditionFailed(path) from exc
        raise
    finally:
        fs.invalidate_cache(path)
    return out["ETag"]


# -- GCS (google-cloud-storage with gcsfs's credentials and endpoint) ----------------------------------------------
def _gcs_get(fs: Any, path: str) -> Versioned:
    from google.api_core import exceptions as gexc

    blob = _gcs_blob(fs, path)
    try:
        data = blob.download_as_bytes()
    except gexc.NotFound:
        return Versioned("", None)
    return Versioned(data.decode("utf-8"), str(blob.generation))


def _gcs_put(fs: Any, path: str, data: bytes, version: str | None) -> str:
    from google.api_core import exceptions as gexc

    blob = _gcs_blob(fs, path)
    try:
        blob.upload_from_string(data, content_type="text/csv", if_generation_match=int(version or 0))
    except gexc.PreconditionFailed as exc:
        raise PreconditionFailed(path) from exc
    finally:
        fs.invalidate_cache(path)
    return str(blob.generation)


def _gcs_blob(fs: Any, path: str) -> Any:
    bucket, key = path.split("/", 1)
    return _gcs_client(fs).bucket(bucket).blob(key)


@lru_cache(maxsize=8)
def _gcs_client(fs: Any) -> Any:
    """A storage client on the filesystem's own endpoint and credentials (anonymous when gcsfs is)."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    credentials = fs.credentials.credentials or AnonymousCredentials()
    return storage.Client(project=fs.project or "_", credentials=credentials,
                          client_options={"api_endpoint": fs._location})
