"""OpenAPI export: valid, loadable by schemathesis, faithful to the spec, committed fresh."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from openapi_spec_validator import validate

from lambda_conformance.spec import PROFILES, load_spec
from lambda_conformance.spec.__main__ import main, openapi_path
from lambda_conformance.spec.openapi import anchored, render, to_openapi

REPO = Path(__file__).resolve().parents[1]
PATH = "/2015-03-31/functions/{FunctionName}/invocations"


def _operation(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][PATH]["post"]
    return operation


def _parameter(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in _operation(document)["parameters"] if p["name"] == name)


@pytest.mark.parametrize("profile", PROFILES)
def test_document_is_valid_openapi(profile: str) -> None:
    validate(to_openapi(load_spec(profile)))


@pytest.mark.parametrize("profile", PROFILES)
def test_schemathesis_loads_the_operation(profile: str) -> None:
    schema = schemathesis.openapi.from_dict(to_openapi(load_spec(profile)))
    operation = schema[PATH]["POST"]
    names = {p.name for p in operation.path_parameters} | {p.name for p in operation.headers}
    assert {
        "FunctionName",
        "X-Amz-Invocation-Type",
        "X-Amz-Log-Type",
        "X-Amz-Client-Context",
    } <= names


@pytest.mark.parametrize("profile", PROFILES)
def test_committed_file_is_fresh(profile: str) -> None:
    committed = REPO / openapi_path(profile)
    assert committed.exists(), f"{committed} is missing: python -m lambda_conformance.spec generate"
    assert committed.read_text(encoding="utf-8") == render(load_spec(profile)), (
        f"{committed} is stale: python -m lambda_conformance.spec openapi --profile {profile} "
        f"--out {openapi_path(profile)}"
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_patterns_are_anchored_and_agree_with_the_spec(profile: str) -> None:
    spec = load_spec(profile)
    document = to_openapi(spec)
    samples = [
        "my-function",
        "my-function:v1",
        "123456789012:function:my-function",
        "arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST",
        "my function",
        "a!",
        "",
        "$LATEST",
        "$LATEST.PUBLISHED",
        "1",
        "alias_1",
        "x\n",
        "arn:aws:lambda:us-west-\u0662:123456789012:function:f",  # an Arabic-Indic digit
    ]
    for name in ("FunctionName", "Qualifier"):
        parameter = spec.parameters[name]
        schema = _parameter(document, parameter.wire_name)["schema"]
        assert schema["pattern"].startswith("^(?:") and schema["pattern"].endswith(")$")
        assert schema["minLength"] == parameter.min_length
        assert schema["maxLength"] == parameter.max_length
        regex = re.compile(schema["pattern"])
        for value in samples:
            # OpenAPI tools search (re.search); the spec matches the whole value (fullmatch).
            by_openapi = regex.search(value) is not None and "\n" not in value
            by_spec = parameter.regex is not None and parameter.regex.fullmatch(value) is not None
            assert by_openapi == by_spec, (profile, name, value)


def test_anchoring_scopes_a_top_level_alternation() -> None:
    # Without the group, `^a|b$` would accept anything starting with `a`.
    assert anchored(r"\$(LATEST)|[a-z0-9]+") == r"^(?:\$(LATEST)|[a-z0-9]+)$"
    assert anchored(r"[\d_]\d{2}") == "^(?:[0-9_][0-9]{2})$"
    assert anchored(r"\\d") == r"^(?:\\d)$"


def test_profiles_shape_the_document() -> None:
    documented, aws = to_openapi(load_spec("documented")), to_openapi(load_spec("aws"))
    assert _parameter(documented, "FunctionName")["schema"]["maxLength"] == 170
    assert _parameter(aws, "FunctionName")["schema"]["maxLength"] == 256
    aws_responses = _operation(aws)["responses"]
    assert (
        "ValidationException"
        in aws_responses["400"]["headers"]["x-amzn-ErrorType"]["schema"]["enum"]
    )
    assert "ValidationException" not in json.dumps(_operation(documented)["responses"]["400"])
    function_error = aws_responses["200"]["headers"]["X-Amz-Function-Error"]["schema"]
    assert function_error["enum"] == ["Unhandled"]


def test_responses_cover_success_and_every_error_status() -> None:
    spec = load_spec("documented")
    responses = _operation(to_openapi(spec))["responses"]
    assert {"200", "202", "204"} <= set(responses)
    for name, error in spec.errors.items():
        response = responses[str(error.status)]
        assert name in response["headers"]["x-amzn-ErrorType"]["schema"]["enum"]
        assert {"name": name, "message_key": error.message_key}.items() <= next(
            e for e in response["x-error-types"] if e["name"] == name
        ).items()
    executed = responses["200"]["headers"]["X-Amz-Executed-Version"]
    assert executed["required"] is True
    assert executed["schema"]["pattern"] == r"^(?:(\$LATEST|[0-9]+))$"
    assert executed["schema"]["maxLength"] == 1024
    assert "INV-HDR-001" in executed["x-requirements"]


def test_cli_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "invoke.aws.json"
    assert main(["openapi", "--profile", "aws", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["x-profile"] == "aws"
    assert main(["openapi", "--profile", "aws", "--out", str(out), "--check"]) == 0
    out.write_text("{}", encoding="utf-8")
    assert main(["openapi", "--profile", "aws", "--out", str(out), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
