"""A moto server for tests: started on a free port with the simple Lambda backend."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

READY_TIMEOUT_S = 30.0


def moto_server_command() -> list[str] | None:
    beside = Path(sys.executable).parent / "moto_server"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("moto_server")
    return [found] if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    """The URL of a fresh moto server (Lambda without Docker); stopped on exit."""
    command = moto_server_command()
    if command is None:
        raise FileNotFoundError("moto_server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        env=dict(os.environ, MOTO_ACCOUNT_ID="000000000000"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        # Without Docker moto's default backend fails every invoke; this must come
        # before any CreateFunction (it replaces the backend).
        request = urllib.request.Request(
            f"{url}/moto-api/config", data=json.dumps({"lambda": {"use_docker": False}}).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            response.read()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode} before ready")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=2) as response:
                response.read()
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"moto_server not ready at {url} after {READY_TIMEOUT_S:.0f} s")


def lambda_client(url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 1}),
    )


def function_names(url: str) -> list[str]:
    client = lambda_client(url)
    names: list[str] = []
    for page in client.get_paginator("list_functions").paginate():
        names.extend(f["FunctionName"] for f in page["Functions"])
    return sorted(names)
