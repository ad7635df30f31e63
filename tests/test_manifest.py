"""The manifest loader: good manifests load, broken ones say file and field in one paragraph."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lambda_conformance.provisioning.manifest import (
    KNOWN_ROLES,
    ROLES,
    Manifest,
    ManifestError,
    load_manifest,
)

REPO = Path(__file__).resolve().parents[1]

GOOD = """\
region: us-east-1
account_id: "000000000000"
functions:
  echo: conformance-echo
  introspect: conformance-introspect
  fail: conformance-fail
  log: conformance-log
  sleep: conformance-sleep
  large: conformance-large
  beacon: conformance-beacon
introspect_version: "1"
introspect_alias: live
callback_host: 127.0.0.1
"""


def _write(tmp_path: Path, text: str, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_roles_are_the_fixture_contract_roles() -> None:
    assert ROLES == ("echo", "introspect", "fail", "log", "sleep", "large", "beacon")


def test_project_roles_extend_the_contract() -> None:
    assert KNOWN_ROLES[: len(ROLES)] == ROLES
    assert "throttled" in KNOWN_ROLES


def test_project_role_is_accepted(tmp_path: Path) -> None:
    text = GOOD.replace("functions:\n", "functions:\n  throttled: c-throttled\n")
    manifest = load_manifest(_write(tmp_path, text))
    assert manifest.function("throttled") == "c-throttled"


def test_good_manifest_loads(tmp_path: Path) -> None:
    manifest = load_manifest(_write(tmp_path, GOOD))
    assert manifest.region == "us-east-1"
    assert manifest.account_id == "000000000000"
    assert manifest.functions == {role: f"conformance-{role}" for role in ROLES}
    assert manifest.introspect_version == "1"
    assert manifest.introspect_alias == "live"
    assert manifest.callback_host == "127.0.0.1"
    assert manifest.supports_concurrency_control is False
    assert manifest.missing_roles == ("throttled",)
    assert manifest.arn("introspect", "live") == (
        "arn:aws:lambda:us-east-1:000000000000:function:conformance-introspect:live"
    )


def test_manifest_is_frozen(tmp_path: Path) -> None:
    manifest = load_manifest(_write(tmp_path, GOOD))
    with pytest.raises(dataclasses.FrozenInstanceError):
        manifest.region = "eu-west-1"  # type: ignore[misc]


def test_partial_manifest_and_defaults(tmp_path: Path) -> None:
    text = 'region: eu-west-1\naccount_id: "123456789012"\nfunctions:\n  echo: function\n'
    manifest = load_manifest(_write(tmp_path, text))
    assert manifest.functions == {"echo": "function"}
    assert manifest.function("beacon") is None
    assert manifest.arn("beacon") is None
    assert manifest.missing_roles == (
        "introspect", "fail", "log", "sleep", "large", "beacon", "throttled"
    )
    assert (manifest.introspect_version, manifest.introspect_alias) == ("1", "live")


def test_supports_concurrency_control(tmp_path: Path) -> None:
    manifest = load_manifest(_write(tmp_path, GOOD + "supports_concurrency_control: true\n"))
    assert manifest.supports_concurrency_control is True


def test_dump_round_trips(tmp_path: Path) -> None:
    manifest = load_manifest(_write(tmp_path, GOOD))
    manifest.dump(tmp_path / "again.yaml")
    assert load_manifest(tmp_path / "again.yaml") == manifest


BROKEN = [
    pytest.param(GOOD.replace("echo: conformance-echo", "echo: 3"),
                 "functions.echo: expected a string, got an integer 3", id="role-not-string"),
    pytest.param(GOOD.replace("echo: conformance-echo", "ekko: conformance-echo"),
                 "functions.ekko: unknown role", id="unknown-role"),
    pytest.param(GOOD + "colour: blue\n", "colour: unknown key", id="unknown-key"),
    pytest.param(GOOD.replace('account_id: "000000000000"', 'account_id: "12345"'),
                 "account_id: '12345' is not a 12-digit account id", id="short-account"),
    pytest.param(GOOD.replace('account_id: "000000000000"', "account_id: 000000000000"),
                 "account_id: expected a string, got an integer 0 (quote it",
                 id="unquoted-account"),
    pytest.param(GOOD.replace("region: us-east-1\n", ""), "region: missing (required)",
                 id="missing-region"),
    pytest.param(GOOD.replace("region: us-east-1", "region: [us-east-1]"),
                 "region: expected a string, got a list", id="region-list"),
    pytest.param(GOOD.replace("region: us-east-1", "region: US East"),
                 "region: 'US East' is not a region name", id="region-bad"),
    pytest.param(GOOD.replace('introspect_version: "1"', "introspect_version: 1"),
                 "introspect_version: expected a string, got an integer 1", id="version-int"),
    pytest.param(GOOD.replace('introspect_version: "1"', 'introspect_version: "$LATEST"'),
                 "introspect_version: '$LATEST' is not a published version", id="version-latest"),
    pytest.param(GOOD.replace("introspect_alias: live", 'introspect_alias: "7"'),
                 "introspect_alias: '7' is not an alias name", id="alias-digits"),
    pytest.param(GOOD.replace("echo: conformance-echo", "echo: 'has space'"),
                 "functions.echo: 'has space' is not a function name", id="name-bad"),
    pytest.param(GOOD + "supports_concurrency_control: yes please\n",
                 "supports_concurrency_control: expected a boolean, got a string",
                 id="concurrency-not-bool"),
    pytest.param("region: us-east-1\naccount_id: '000000000000'\nfunctions: {}\n",
                 "functions: empty", id="functions-empty"),
    pytest.param("region: us-east-1\naccount_id: '000000000000'\nfunctions: [echo]\n",
                 "functions: expected a mapping of role to function name, got a list",
                 id="functions-list"),
    pytest.param("", "(top level): the file is empty", id="empty-file"),
    pytest.param("- just\n- a list\n", "(top level): expected a mapping, got a list",
                 id="top-level-list"),
    pytest.param("region: [unclosed\n", "not valid YAML", id="bad-yaml"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_manifest_names_file_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ManifestError) as raised:
        load_manifest(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    # One paragraph: no line breaks, no traceback text.
    assert "\n" not in message
    assert "Traceback" not in message


def test_role_as_integer_message_is_exact(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("echo: conformance-echo", "echo: 3"))
    with pytest.raises(ManifestError, match=r"^.*x\.yaml: functions\.echo: expected a string, "
                                            r"got an integer 3$"):
        load_manifest(path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ManifestError) as raised:
        load_manifest(path)
    assert str(raised.value).startswith(f"{path}: cannot read the manifest")


def test_shipped_manifests_load() -> None:
    shipped = sorted((REPO / "fixtures" / "manifests").glob("*.yaml"))
    assert shipped, "fixtures/manifests/ ships at least one manifest"
    for path in shipped:
        manifest = load_manifest(path)
        assert isinstance(manifest, Manifest)
        assert manifest.functions


def test_recipe_manifests_load() -> None:
    for path in sorted((REPO / "targets").glob("*/manifest*.yaml")):
        assert load_manifest(path).functions
