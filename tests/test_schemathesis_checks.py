"""Unit tests of the schemathesis adapter: case conversion, requirement mapping, spec checks."""

from __future__ import annotations

import base64
import warnings
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis import Case, GenerationMode, Response

from lambda_conformance.checks.oracle import Oracle
from lambda_conformance.checks.schemathesis_checks import (
    case_requirements,
    configure_checks,
    invoke_case,
    judge,
    rejection_statuses,
    spec_checks,
)
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.world import World
from lambda_conformance.spec import Spec, load_spec
from lambda_conformance.spec.openapi import to_openapi

WORLD = World(
    region="us-east-1",
    account="000000000000",
    functions={"echo": "conformance-echo", "introspect": "conformance-introspect"},
    versions={"conformance-introspect": frozenset({"1"})},
    aliases={"conformance-introspect": {"live": "1"}},
)
PATH = "/2015-03-31/functions/{FunctionName}/invocations"


@pytest.fixture(scope="module", params=["documented", "aws"])
def spec(request: pytest.FixtureRequest) -> Spec:
    return load_spec(request.param)


def _case(spec: Spec, mode: GenerationMode | None = None, **parts: Any) -> Case[Any]:
    schema = schemathesis.openapi.from_dict(to_openapi(spec), config=schemathesis.Config())
    configure_checks(schema.config, spec)
    operation = schema[PATH]["POST"]
    if mode is None:
        return operation.Case(**parts)
    # A generated case carries its mode in `meta`, which the checks read; its parts are
    # then replaced without schemathesis's modification tracking.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case: Case[Any] = operation.as_strategy(generation_mode=mode).example()
    for name, value in parts.items():
        object.__setattr__(case, name, value)
    return case


def _response(
    status: int,
    headers: dict[str, str],
    body: bytes = b"",
    request_headers: dict[str, str] | None = None,
) -> Response:
    prepared = requests.PreparedRequest()
    prepared.method, prepared.body = "POST", None
    prepared.url = "http://x/2015-03-31/functions/f/invocations"
    prepared.headers = requests.structures.CaseInsensitiveDict(request_headers or {})
    wire = {k.lower(): [v] for k, v in headers.items()}
    return Response(status, wire, body, prepared, 0.01, True)


def _failing(spec: Spec, response: Response) -> set[str]:
    case = _case(spec, path_parameters={"FunctionName": "f"})
    failed = set()
    for check in spec_checks(spec):
        try:
            check.function(None, response, case)  # type: ignore[arg-type]
        except AssertionError:
            failed.add(check.requirement_id)
    return failed


def test_rejection_statuses_are_the_spec_validation_and_size_errors(spec: Spec) -> None:
    assert rejection_statuses(spec) == ("400", "413")


def test_the_name_only_sometimes_points_at_fixture_functions(spec: Spec) -> None:
    names = set()
    for i in range(60):
        case = _case(
            spec,
            path_parameters={"FunctionName": "absent"},
            query={},
            headers={"X-Amz-Log-Type": "Tail"},
            body={"i": i},
        )
        invoke = invoke_case(case, spec, WORLD, seed=7)
        assert invoke is not None
        names.add(invoke.function_name)
    assert names == {"absent", "conformance-echo", "conformance-introspect"}


def test_invalid_names_are_sent_as_generated(spec: Spec) -> None:
    case = _case(spec, path_parameters={"FunctionName": "bad%20name"})
    invoke = invoke_case(case, spec, WORLD, seed=7)
    assert invoke is not None and invoke.function_name == "bad name"


def test_headers_the_spec_does_not_name_are_dropped(spec: Spec) -> None:
    case = _case(
        spec,
        path_parameters={"FunctionName": "f"},
        headers={"X-Unknown": "1", "Content-Type": "text/plain", "X-Amz-Invocation-Type": "Event"},
    )
    invoke = invoke_case(case, spec, WORLD, seed=7)
    assert invoke is not None and invoke.invocation_type == "Event"


def test_values_a_server_would_alter_are_not_sent(spec: Spec) -> None:
    case = _case(spec, path_parameters={"FunctionName": "f"}, headers={"X-Amz-Log-Type": " Tail"})
    assert invoke_case(case, spec, WORLD, seed=7) is None


def test_client_context_that_is_not_a_json_object_is_dropped(spec: Spec) -> None:
    zero = base64.b64encode(b"0").decode()
    case = _case(
        spec, path_parameters={"FunctionName": "f"}, headers={"X-Amz-Client-Context": zero}
    )
    invoke = invoke_case(case, spec, WORLD, seed=7)
    assert invoke is not None and invoke.client_context is None
    bad = _case(spec, path_parameters={"FunctionName": "f"}, headers={"X-Amz-Client-Context": "!!"})
    invoke = invoke_case(bad, spec, WORLD, seed=7)
    assert invoke is not None and invoke.client_context == "!!"


def test_requirements_follow_the_oracle(spec: Spec) -> None:
    oracle = Oracle(spec, WORLD)
    absent = InvokeCase("absent", invocation_type="DryRun")
    ids = case_requirements(spec, absent, oracle.expect(absent))
    assert {"INV-NAME-005", "INV-DRY-002", "INV-ERR-ResourceNotFound"} <= set(ids)
    bad = InvokeCase("bad name")
    assert "INV-NAME-002" in case_requirements(spec, bad, oracle.expect(bad))
    long_qualifier = InvokeCase("conformance-echo", qualifier="q" * 129)
    assert "INV-QUAL-006" in case_requirements(spec, long_qualifier, oracle.expect(long_qualifier))
    ok = InvokeCase("conformance-echo")
    assert case_requirements(spec, ok, oracle.expect(ok)) == ("INV-TYPE-001", "INV-TYPE-002")


ERROR = {"x-amzn-ErrorType": "ResourceNotFoundException", "Content-Type": "application/json"}


def test_spec_checks_pass_a_well_formed_error(spec: Spec) -> None:
    assert _failing(spec, _response(404, ERROR, b'{"Type": "User", "Message": "no"}')) == set()


@pytest.mark.parametrize(
    ("status", "headers", "body", "failed"),
    [
        (404, {"x-amzn-ErrorType": "ResourceNotFound"}, b'{"Message": "no"}', {"INV-WIRE-001"}),
        (400, ERROR, b'{"Message": "no"}', {"INV-WIRE-002"}),
        (404, ERROR, b"not json", {"INV-WIRE-003"}),
        (200, {}, b"{}", {"INV-HDR-001"}),
        (200, {"X-Amz-Executed-Version": "live"}, b"{}", {"INV-HDR-001"}),
        (
            200,
            {"X-Amz-Executed-Version": "1", "X-Amz-Log-Result": "not base64!"},
            b"",
            {"INV-LOG-002"},
        ),
        (
            200,
            {
                "X-Amz-Executed-Version": "1",
                "X-Amz-Log-Result": base64.b64encode(b"x" * 4097).decode(),
            },
            b"",
            {"INV-LOG-002"},
        ),
    ],
)
def test_spec_checks_find_their_violation(
    spec: Spec, status: int, headers: dict[str, str], body: bytes, failed: set[str]
) -> None:
    assert _failing(spec, _response(status, headers, body)) == failed


def test_executed_version_is_not_asked_of_event_answers(spec: Spec) -> None:
    response = _response(200, {}, b"", request_headers={"X-Amz-Invocation-Type": "Event"})
    assert _failing(spec, response) == set()


def test_judge_maps_a_server_error_to_the_case_requirements(spec: Spec) -> None:
    case = _case(spec, GenerationMode.POSITIVE, path_parameters={"FunctionName": "absent"})
    invoke = InvokeCase("absent")
    expected = Oracle(spec, WORLD).expect(invoke)
    response = _response(500, {"x-amzn-ErrorType": "ServiceException"}, b'{"Message": "x"}')
    verdicts = {v.check: v for v in judge(spec, case, invoke, expected, response)}
    server = verdicts["not_a_server_error"]
    assert not server.ok and "INV-NAME-005" in server.requirement_ids
    assert not verdicts["positive_data_acceptance"].ok
    assert verdicts["error_type_status"].ok  # ServiceException is a 500: the table agrees


def test_base64_windows_without_a_length_are_known_unsatisfiable() -> None:
    from lambda_conformance.checks.schemathesis_generation import no_base64_length_fits

    def byte(low: int, high: int) -> dict[str, object]:
        return {"type": "string", "format": "byte", "minLength": low, "maxLength": high}

    assert no_base64_length_fits(byte(3583, 3583))
    assert no_base64_length_fits(byte(3581, 3583))
    assert not no_base64_length_fits(byte(3584, 3584))
    assert not no_base64_length_fits(byte(3581, 3584))
    assert not no_base64_length_fits({"type": "string", "maxLength": 3})
    assert not no_base64_length_fits({**byte(1, 3), "pattern": "^a$"})


def test_the_coverage_phase_skips_a_search_that_cannot_succeed() -> None:
    from hypothesis.errors import Unsatisfiable
    from schemathesis.specs.openapi.coverage._schema import CoverageContext
    from schemathesis.specs.openapi.formats import get_default_format_strategies

    from lambda_conformance.checks.schemathesis_generation import without_hopeless_searches

    assert without_hopeless_searches() and without_hopeless_searches()

    class Context:
        # Nothing else a real coverage context has: schemathesis's own search would fail
        # with AttributeError, so Unsatisfiable shows that it was not started.
        def __init__(self) -> None:
            self.custom_formats = get_default_format_strategies()

    with pytest.raises(Unsatisfiable):
        CoverageContext.generate_from_schema(
            Context(),  # type: ignore[arg-type]
            {"type": "string", "format": "byte", "minLength": 3583, "maxLength": 3583},
        )
    with pytest.raises(AttributeError):
        CoverageContext.generate_from_schema(
            Context(),  # type: ignore[arg-type]
            {"type": "string", "format": "byte", "minLength": 3584, "maxLength": 3584},
        )
