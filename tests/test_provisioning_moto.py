"""Provisioner against a real moto server: create the fixtures, reach echo, leave nothing."""

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
from pathlib import Path

import pytest

from lambda_conformance.provisioning.manifest import KNOWN_ROLES, ROLES
from lambda_conformance.provisioning.provisioner import Provisioner

REGION = "us-east-1"
READY_TIMEOUT_S = 30.0


def _moto_server_command() -> list[str] | None:
    # Prefer the moto_server beside this interpreter (the project venv), then PATH.
    beside = Path(sys.executable).parent / "moto_server"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("moto_server")
    return [found] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    command = _moto_server_command()
    if command is None:
        pytest.skip("moto_server not installed (pip install 'moto[server,awslambda]==5.2.5')")
    port = _free_port()
    env = dict(os.environ, MOTO_ACCOUNT_ID="000000000000")
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        # Without Docker, moto's default Lambda backend fails every invoke; the simple
        # backend runs no code. It replaces the backend, so it must precede CreateFunction.
        request = urllib.request.Request(
            f"{url}/moto-api/config",
            data=json.dumps({"lambda": {"use_docker": False}}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
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


def test_create_reach_and_delete(moto_url: str) -> None:
    provisioner = Provisioner(moto_url, REGION)
    try:
        manifest = provisioner.create()

        assert set(ROLES) <= set(manifest.functions) <= set(KNOWN_ROLES)
        prefix = f"{provisioner.prefix}-"
        assert all(name.startswith(prefix) for name in manifest.functions.values())
        assert manifest.account_id == "000000000000"
        assert manifest.region == REGION
        assert manifest.introspect_version == "1"
        assert manifest.introspect_alias == "live"

        client = provisioner.lambda_client
        introspect = manifest.functions["introspect"]
        versions = client.list_versions_by_function(FunctionName=introspect)["Versions"]
        assert "1" in {v["Version"] for v in versions}
        alias = client.get_alias(FunctionName=introspect, Name="live")
        assert alias["FunctionVersion"] == "1"
        sleep = client.get_function_configuration(FunctionName=manifest.functions["sleep"])
        assert sleep["Timeout"] == 3
        assert sleep["Handler"] == "sleep.handler"

        response = client.invoke(FunctionName=manifest.functions["echo"], Payload=b'{"a": 1}')
        assert response["StatusCode"] == 200
        response["Payload"].read()

        assert provisioner.leftovers() == sorted(manifest.functions.values())
    finally:
        problems = provisioner.delete()
    assert problems == []
    assert provisioner.leftovers() == []
    # A second delete finds nothing to do and still does not raise.
    assert provisioner.delete() == []


def test_concurrency_control(moto_url: str) -> None:
    with Provisioner(moto_url, REGION) as provisioner:
        manifest = provisioner.create(roles=("echo",))
        echo = manifest.functions["echo"]
        provisioner.put_concurrency(echo, 0)
        got = provisioner.lambda_client.get_function_concurrency(FunctionName=echo)
        assert got.get("ReservedConcurrentExecutions") == 0
        provisioner.delete_concurrency(echo)
        assert "ReservedConcurrentExecutions" not in (
            provisioner.lambda_client.get_function_concurrency(FunctionName=echo)
        )
    assert provisioner.leftovers() == []
