"""Provisioner against a real moto server: create the fixtures, reach echo, leave nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lambda_conformance.provisioning.manifest import KNOWN_ROLES, ROLES
from lambda_conformance.provisioning.provisioner import Provisioner
from tests.moto_server import moto_server, moto_server_command

REGION = "us-east-1"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    if moto_server_command() is None:
        pytest.skip("moto_server not installed (pip install 'moto[server,awslambda]==5.2.5')")
    with moto_server() as url:
        yield url


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
