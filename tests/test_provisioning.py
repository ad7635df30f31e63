"""Provisioner parts that need no target: naming, packaging, loopback rules, cleanup safety."""

from __future__ import annotations

import io
import zipfile

import pytest

from lambda_conformance.provisioning.manifest import ROLES
from lambda_conformance.provisioning.provisioner import (
    DEFAULT_HANDLERS_DIR,
    Provisioner,
    ProvisioningError,
    handler_zip,
    is_loopback,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:5000", True),
        ("http://127.9.9.9", True),
        ("http://localhost:3001", True),
        ("http://[::1]:4566", True),
        ("https://lambda.us-east-1.amazonaws.com", False),
        ("http://10.0.0.5:5000", False),
        ("http://127.0.0.1.nip.io", False),
    ],
)
def test_is_loopback(url: str, expected: bool) -> None:
    assert is_loopback(url) is expected


@pytest.mark.parametrize("role", ROLES)
def test_handler_zip_holds_the_role_module(role: str) -> None:
    data = handler_zip(role)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [f"{role}.py"]
        source = archive.read(f"{role}.py")
    assert source == (DEFAULT_HANDLERS_DIR / f"{role}.py").read_bytes()
    assert b"def handler(event" in source


def test_handler_zip_is_reproducible() -> None:
    # Same bytes every time, so CodeSha256 is stable across runs.
    assert handler_zip("echo") == handler_zip("echo")


def test_names_use_one_prefix_per_run() -> None:
    first = Provisioner("http://127.0.0.1:1", "us-east-1")
    second = Provisioner("http://127.0.0.1:1", "us-east-1")
    assert first.prefix != second.prefix
    assert first.prefix.startswith("lc-") and len(first.prefix) == len("lc-") + 8
    assert first.function_name("echo") == f"{first.prefix}-echo"
    assert max(len(first.function_name(role)) for role in ROLES) <= 64


def test_prefix_is_validated() -> None:
    with pytest.raises(ProvisioningError, match="prefix"):
        Provisioner("http://127.0.0.1:1", "us-east-1", prefix="bad prefix!")


def test_non_loopback_needs_an_execution_role() -> None:
    provisioner = Provisioner(
        "https://lambda.us-east-1.amazonaws.com", "us-east-1", account_id="123456789012"
    )
    # Refused before any request: the account id is given and no role may be created.
    with pytest.raises(ProvisioningError, match="--execution-role-arn"):
        provisioner.create()


def test_unknown_role_is_refused() -> None:
    provisioner = Provisioner("http://127.0.0.1:1", "us-east-1", account_id="000000000000")
    with pytest.raises(ProvisioningError, match="unknown fixture roles: nope"):
        provisioner.create(roles=("echo", "nope"))


def test_delete_never_raises_when_the_target_is_gone() -> None:
    # Nothing listens on port 1: every call fails fast; delete() reports, never raises.
    provisioner = Provisioner(
        "http://127.0.0.1:1", "us-east-1", account_id="000000000000",
        connect_timeout=1, read_timeout=1, max_attempts=1,
    )
    provisioner._functions.append(provisioner.function_name("echo"))
    problems = provisioner.delete()
    assert len(problems) == 1 and "echo" in problems[0]
    # Forgotten after one attempt: a second call (atexit after a finally) does nothing.
    assert provisioner.delete() == []
