"""One deviation, one requirement; and a check demands no more than its statement.

Each rule is shown on a real target (the reference with exactly that deviation, run
through the suite in a subprocess) and, where the rule is a pure function, on hand-made
data. Found on MiniStack 1.5.33 and a held-out implementation (issue 17).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from lambda_conformance.checks.attribution import GridCell, unresolved_blame, version_blame
from lambda_conformance.checks.failure import ConformanceError, Failure
from lambda_conformance.checks.harness import Answer, Harness
from lambda_conformance.checks.oracle import Oracle
from lambda_conformance.checks.passive import sdk_error_code
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.names import NameForm
from lambda_conformance.generation.world import World
from lambda_conformance.spec import load_spec
from lambda_conformance.transport import Exchange, Headers, HttpRequest, HttpResponse
from tests.suite_runner import run_suite

WORLD = World(
    region="us-east-1",
    account="000000000000",
    functions={"echo": "conformance-echo", "introspect": "conformance-introspect"},
    versions={"conformance-introspect": frozenset({"1"})},
    aliases={"conformance-introspect": {"live": "1"}},
)


# --- the error code, read as botocore reads it ----------------------------------------------
@pytest.mark.parametrize(
    ("headers", "body", "code"),
    [
        ((("x-amzn-ErrorType", "ResourceNotFoundException:http://internal/"),), b"{}",
         "ResourceNotFoundException"),
        # MiniStack's 429: no header, the code as __type (boto3 raises TooManyRequests).
        ((), b'{"__type": "TooManyRequestsException", "Reason": "x"}',
         "TooManyRequestsException"),
        ((), b'{"code": "ValidationException", "message": "m"}', "ValidationException"),
        # The header wins over the body, as in botocore's RestJSONParser.
        ((("X-Amzn-Errortype", "InvalidParameterValueException"),),
         b'{"__type": "ValidationException"}', "InvalidParameterValueException"),
        # Nothing names the error: boto3 reports the status as the code.
        ((), b'{"message": "m"}', "404"),
    ],
)
def test_error_code_is_read_like_botocore(
    headers: tuple[tuple[str, str], ...], body: bytes, code: str
) -> None:
    status = 429 if b"TooMany" in body else 404 if code == "404" else 400
    assert sdk_error_code(status, Headers(headers), body) == code


def test_throttle_without_the_header_fails_only_the_wire_rule(tmp_path: Path) -> None:
    run = run_suite(
        tmp_path,
        "--profile", "aws", "--reference-mutant", "error-type-in-body-only",
        paths=("suites/test_concurrency.py",),
    )
    statuses = run.statuses()
    assert run.failed() == {"INV-WIRE-001"}, run.stdout[-2000:]
    assert statuses["INV-CONC-001"] == "passed"
    assert statuses["INV-ERR-TooManyRequests"] == "passed"


# --- a failure in the name-form grid counts under the rule that broke -----------------------
def test_unresolved_partial_arn_is_a_name_form_failure(tmp_path: Path) -> None:
    run = run_suite(
        tmp_path,
        "--profile", "aws", "--reference-mutant", "partial-arn-unresolved",
        paths=("suites/test_function_name.py::test_every_name_form_reaches_the_function",),
    )
    statuses = run.statuses()
    assert run.failed() == {"INV-NAME-001"}, run.stdout[-2000:]
    for qualifier_rule in ("INV-QUAL-001", "INV-QUAL-002", "INV-QUAL-003", "INV-QUAL-007"):
        assert statuses[qualifier_rule] == "passed", qualifier_rule


def _grid(**broken: bool) -> list[GridCell]:
    """introspect's grid (three forms; None, $LATEST, 1 and live; both ways)."""
    cells = []
    for form in (NameForm.NAME, NameForm.PARTIAL_ARN, NameForm.FULL_ARN):
        for qualifier, version in ((None, "$LATEST"), ("$LATEST", "$LATEST"), ("1", "1"),
                                   ("live", "1")):
            for in_name in (False, True) if qualifier else (False,):
                resolved = not (
                    (broken.get("partial") and form is NameForm.PARTIAL_ARN)
                    or (broken.get("alias") and qualifier == "live")
                    or (broken.get("in_name") and in_name)
                )
                cells.append(GridCell(form, qualifier, in_name, version, resolved,
                                      version if resolved else None,
                                      version if resolved else None))
    return cells


def _rule(qualifier: str | None) -> list[str]:
    if qualifier is None:
        return []
    return {"$LATEST": ["INV-QUAL-003"], "live": ["INV-QUAL-002"]}.get(
        qualifier, ["INV-QUAL-001"]
    )


def _blamed(cells: list[GridCell]) -> set[str]:
    return {i for c in cells if not c.resolved for i in unresolved_blame(c, cells, _rule)}


def test_grid_blame_follows_what_the_other_cells_clear() -> None:
    assert _blamed(_grid(partial=True)) == {"INV-NAME-001"}
    assert _blamed(_grid(alias=True)) == {"INV-QUAL-002"}
    assert _blamed(_grid(in_name=True)) == {"INV-QUAL-007"}
    everything_down = [GridCell(c.base_form, c.qualifier, c.in_name, c.expected_version, False)
                       for c in _grid()]
    assert _blamed(everything_down) == {"INV-NAME-001"}


@pytest.mark.parametrize(
    ("ran", "executed", "blamed"),
    [
        ("1", "1", []),
        ("1", "$LATEST", ["INV-HDR-002"]),  # the header lies about a right run
        ("$LATEST", "1", ["INV-CTX-001"]),  # the context lies
        ("$LATEST", "$LATEST", ["INV-QUAL-001"]),  # both agree: the wrong version ran
        ("$LATEST", None, ["INV-QUAL-001"]),  # INV-HDR-001 judges the missing header
    ],
)
def test_version_blame_takes_the_odd_witness_out(
    ran: str, executed: str | None, blamed: list[str]
) -> None:
    cell = GridCell(NameForm.NAME, "1", False, "1", True, ran, executed)
    assert version_blame(cell, [cell], _rule) == blamed


# --- never more than the statement ----------------------------------------------------------
class _Recorder:
    def __init__(self) -> None:
        self.failures: list[Failure] = []

    def exercised(self, requirement_id: str, requests: int = 1) -> None:
        pass

    def passed(self, requirement_id: str) -> None:
        pass

    def failed(self, failure: Failure) -> None:
        self.failures.append(failure)


def _answer(profile: str, case: InvokeCase, status: int, error: str) -> Answer:
    spec = load_spec(profile)
    harness = Harness(
        spec=spec,
        world=WORLD,
        client=cast(Any, None),  # conforms() judges a response already received
        recorder=_Recorder(),
        describe_request=lambda exchange: (None, "curl"),
    )
    body = b'{"Type": "User", "message": "m"}'
    response = HttpResponse(
        status, Headers((("x-amzn-ErrorType", error), ("Content-Type", "application/json"))), body
    )
    exchange = Exchange(HttpRequest("POST", "/x"), response, None, 0.0, "http://127.0.0.1/x")
    return Answer(harness, case, Oracle(spec, WORLD).expect(case), exchange)


_CC_LONG = "e30=" * 1000
# Requirements whose statements fix the status of a rejection but name no error type; the
# page names none either for these inputs (Errors lists no error for a bad header value
# or ClientContext), so another 400 error of the page's table must not fail them.
OPEN_CASES = [
    ("INV-TYPE-005", InvokeCase("conformance-echo", invocation_type="Bogus", body=b"{}")),
    ("INV-LOG-005", InvokeCase("conformance-echo", log_type="Bogus", body=b"{}")),
    ("INV-CC-003", InvokeCase("conformance-introspect", client_context=_CC_LONG, body=b"{}")),
    ("INV-CC-004", InvokeCase("conformance-introspect", client_context="%%%", body=b"{}")),
    ("INV-DRY-002", InvokeCase("bad name!", invocation_type="DryRun", body=b"{}")),
]


@pytest.mark.parametrize("profile", ["documented", "aws"])
@pytest.mark.parametrize(("requirement", "case"), OPEN_CASES, ids=[r for r, _ in OPEN_CASES])
def test_status_only_statements_accept_any_400_error(
    profile: str, requirement: str, case: InvokeCase
) -> None:
    spec = load_spec(profile)
    assert not spec.requirement(requirement).names_error_type, spec.requirement(requirement)
    answer = _answer(profile, case, 400, "InvalidRequestContentException")
    try:
        answer.conforms(requirement)
    except ConformanceError as error:
        blamed = {f.requirement_id for f in error.failures}
        # Only the error table's requirement of the one type the profile allows may fail.
        assert requirement not in blamed and all(b.startswith("INV-ERR-") for b in blamed)


def test_requirements_that_name_an_error_still_judge_it() -> None:
    case = InvokeCase("conformance-nope", body=b"{}")
    answer = _answer("aws", case, 404, "InvalidRequestContentException")
    with pytest.raises(ConformanceError) as raised:
        answer.conforms("INV-NAME-005")
    assert {f.requirement_id for f in raised.value.failures} == {
        "INV-NAME-005", "INV-ERR-ResourceNotFound"
    }


def test_bad_client_context_answered_invalid_request_content_passes(tmp_path: Path) -> None:
    # A held-out implementation's conformant baseline answers an over-long or non-base64
    # ClientContext 400 InvalidRequestContentException; under `documented` it was failed.
    run = run_suite(
        tmp_path,
        "--profile", "documented", "--reference-mutant", "client-context-invalid-content",
        paths=("suites/test_client_context.py",),
    )
    statuses = run.statuses()
    assert run.failed() == set(), run.stdout[-2000:]
    assert statuses["INV-CC-003"] == statuses["INV-CC-004"] == "passed"
    assert statuses["INV-ERR-InvalidParameterValue"] != "failed"
