"""The oracle and the passive checks on hand-made cases, including the rules that keep the
suite from judging what the spec leaves open (found against real targets)."""

from __future__ import annotations

import base64
import json

import botocore.session
import pytest
from hypothesis import given

from lambda_conformance.checks.oracle import Oracle
from lambda_conformance.checks.passive import passive_verdicts
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies
from lambda_conformance.generation.world import World
from lambda_conformance.spec import load_spec
from lambda_conformance.transport import Exchange, Headers, HttpRequest, HttpResponse

WORLD = World(
    region="us-east-1",
    account="000000000000",
    functions={"echo": "conformance-echo", "introspect": "conformance-introspect"},
    versions={"conformance-introspect": frozenset({"1"})},
    aliases={"conformance-introspect": {"live": "1"}},
)


def _oracle(profile: str) -> Oracle:
    return Oracle(load_spec(profile), WORLD)


@pytest.mark.parametrize(
    ("profile", "name", "status", "error"),
    [
        ("documented", "a" * 65, 400, "InvalidParameterValueException"),
        ("aws", "a" * 65, 404, "ResourceNotFoundException"),  # GT-008
        ("aws", "my-function!", 400, "ValidationException"),  # GT-001
        ("documented", "my-function!", 400, "InvalidParameterValueException"),
        ("aws", "conformance-introspect:2", 404, "ResourceNotFoundException"),
    ],
)
def test_errors_follow_the_profile(profile: str, name: str, status: int, error: str) -> None:
    expected = _oracle(profile).expect(InvokeCase(name, body=b"{}"))
    assert (expected.status, expected.error_types) == (status, frozenset({error}))


def test_validation_comes_before_existence_and_conflict() -> None:
    # GT-003: an invalid qualifier on an absent function is a validation error.
    expected = _oracle("aws").expect(InvokeCase("nope", qualifier="invalid!"))
    assert expected.error_types == {"ValidationException"}
    # GT-014: the conflict is checked before the (absent) function is looked up.
    conflict = _oracle("aws").expect(InvokeCase("nope:$LATEST", qualifier="1"))
    assert conflict.error_types == {"InvalidParameterValueException"}


def test_the_page_leaves_validation_and_lookup_in_either_order() -> None:
    # The page fixes no order: an invalid qualifier (or header) on an absent function may
    # be answered 400 or 404, so neither is demanded under `documented`.
    oracle = _oracle("documented")
    for case in (
        InvokeCase("nope", qualifier="invalid!"),
        InvokeCase("nope", qualifier="a" * 129),
        InvokeCase("nope", invocation_type="Bogus"),
    ):
        assert oracle.expect(case).outcome == "undetermined", case
    # A name that breaks its own constraints is no name to look up: still a 400.
    assert oracle.expect(InvokeCase("a" * 65, qualifier="invalid!")).status == 400
    # On an existing function the qualifier's constraint is judged as before.
    on_echo = oracle.expect(InvokeCase("conformance-echo", qualifier="invalid!"))
    assert (on_echo.status, on_echo.outcome) == (400, "error")


@pytest.mark.parametrize(
    "case",
    [
        InvokeCase("nope", body=b"not json"),  # existence and content: order unknown
        InvokeCase("conformance-echo", client_context=base64.b64encode(b"0").decode()),
        InvokeCase("conformance-echo", body=b"   "),  # white space only
        InvokeCase("conformance-echo", qualifier=""),
    ],
)
def test_open_questions_stay_undetermined(case: InvokeCase) -> None:
    assert _oracle("aws").expect(case).outcome == "undetermined"


def test_conflict_is_undetermined_under_documented() -> None:
    case = InvokeCase("conformance-introspect:$LATEST", qualifier="1")
    assert _oracle("documented").expect(case).outcome == "undetermined"


def _exchange(status: int, headers: dict[str, str], body: dict[str, str]) -> Exchange:
    request = HttpRequest("POST", "/2015-03-31/functions/x/invocations")
    response = HttpResponse(status, Headers(tuple(headers.items())), json.dumps(body).encode())
    return Exchange(request, response, None, 0.01, "http://127.0.0.1:1/")


def test_validation_exception_body_is_not_judged_on_type_or_key_case() -> None:
    # GT-019: ValidationException is not modeled; its raw body keys were never observed.
    spec = load_spec("aws")
    exchange = _exchange(
        400,
        {
            "x-amzn-ErrorType": "ValidationException",
            "Content-Type": "application/json",
            "x-amzn-RequestId": "r",
        },
        {"Message": "1 validation error detected"},
    )
    case = InvokeCase("x!")
    verdicts = {
        v.requirement_id: v.ok
        for v in passive_verdicts(
            spec, exchange, case, Oracle(spec, WORLD).expect(case), function_fails=None
        )
    }
    assert "INV-WIRE-005" not in verdicts and "INV-WIRE-004" not in verdicts
    assert verdicts["INV-WIRE-001"] and verdicts["INV-WIRE-002"] and verdicts["INV-WIRE-003"]


def test_error_body_without_type_fails_for_a_modeled_error() -> None:
    spec = load_spec("aws")
    exchange = _exchange(
        404,
        {"x-amzn-ErrorType": "ResourceNotFoundException", "Content-Type": "application/json"},
        {"message": "gone"},
    )
    case = InvokeCase("nope")
    verdicts = {
        v.requirement_id: v.ok
        for v in passive_verdicts(
            spec, exchange, case, Oracle(spec, WORLD).expect(case), function_fails=None
        )
    }
    assert verdicts["INV-WIRE-005"] is False  # no Type
    assert verdicts["INV-WIRE-004"] is False  # ResourceNotFoundException uses Message
    assert verdicts["INV-HDR-004"] is False  # no x-amzn-RequestId


REAL_REGIONS = set(botocore.session.get_session().get_available_regions("lambda"))


@given(region=Strategies(load_spec("aws"), WORLD).real_regions())
def test_other_regions_are_real_regions(region: str) -> None:
    # GT-020 observed real regions only; invented ones that fit the pattern are not sent.
    assert region in REAL_REGIONS


@pytest.mark.parametrize(
    ("case", "why"),
    [
        (InvokeCase("conformance-echo", body=b"{}"), "a valid invoke"),
        (InvokeCase("conformance-echo", invocation_type="Event", body=b"{}"), "an Event"),
        (InvokeCase("conformance-echo", invocation_type="DryRun"), "a DryRun"),
        (InvokeCase("conformance-echo", body=b"{"), "a payload fault: order vs state unknown"),
    ],
)
@pytest.mark.parametrize(("status", "error"), [(409, "ResourceConflictException"),
                                               (502, "ResourceNotReadyException")])
def test_not_ready_fixture_is_a_precondition(case: InvokeCase, why: str, status: int,
                                             error: str) -> None:
    # GT-058: a function that is not Active answers 409 (Pending, Failed); the test's
    # precondition failed, which is not a verdict on the case.
    oracle = _oracle("aws")
    reason = oracle.not_ready(oracle.expect(case), status, error)
    assert reason is not None and error in reason, why


@pytest.mark.parametrize(
    "case",
    [
        InvokeCase("nope", body=b"{}"),  # absent: a function must exist to have a state
        InvokeCase("conformance-echo!", body=b"{}"),  # validation runs first (GT-003)
        InvokeCase("conformance-introspect", qualifier="9", body=b"{}"),  # no such version
        InvokeCase("conformance-echo:$LATEST", qualifier="1", body=b"{}"),  # conflict, GT-014
        InvokeCase("conformance-echo", invocation_type="Bogus", body=b"{}"),  # enum
    ],
)
def test_not_ready_answer_to_a_case_decided_before_the_state_is_judged(case: InvokeCase
                                                                       ) -> None:
    oracle = _oracle("aws")
    assert oracle.not_ready(oracle.expect(case), 409, "ResourceConflictException") is None


def test_not_ready_needs_the_error_and_its_status() -> None:
    oracle = _oracle("aws")
    expected = oracle.expect(InvokeCase("conformance-echo", body=b"{}"))
    assert oracle.not_ready(expected, 500, "ResourceConflictException") is None
    assert oracle.not_ready(expected, 409, "ServiceException") is None
    assert oracle.not_ready(expected, 409, None) is None
