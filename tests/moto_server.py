"""A real S3 endpoint for tests: `moto_server` on 127.0.0.1, with a bucket and FFA_* settings pointing at it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.prefect_server import free_port


@contextmanager
def running_moto_server() -> Iterator[str]:
    """Yield the endpoint URL of a fresh moto S3 server."""
    port = free_port()
    exe = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def s3_settings_env(endpoint: str, root: str) -> dict[str, str]:
    """Environment that points ff-analytics settings at the moto endpoint."""
    return {"FFA_DATA_ROOT": root, "FFA_S3_ENDPOINT_URL": endpoint, "FFA_S3_KEY_ID": "testing",
            "FFA_S3_SECRET": "testing", "AWS_EC2_METADATA_DISABLED": "true"}
