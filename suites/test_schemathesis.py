"""Schemathesis over the spec: a second, independent generator counted in the same record.

Schemathesis loads the OpenAPI export of the run's profile and generates stateless cases
for the Invoke operation (its coverage and fuzzing phases), in positive and negative
mode. Each case goes out through the suite's signed transport; schemathesis's checks
(no 5xx, documented status, response headers, positive-data acceptance, negative-data
rejection) and the spec's own checks judge the answer, and the verdicts land in the
tally under the requirement each speaks for (lambda_conformance/checks/schemathesis_checks.py).

Cases the spec leaves open (the oracle calls them undetermined) are rejected, never
judged. The share of the run follows the hypothesis profile: max_examples for fuzzing,
and at most max_examples/6 (at least one) coverage cases per parameter and mode.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import Case, GenerationMode
from schemathesis.config import HealthCheck
from schemathesis.specs.openapi.schemas import OpenApiSchema

from lambda_conformance.checks.failure import ConformanceError, Failure, FailureReason
from lambda_conformance.checks.harness import RunStopped
from lambda_conformance.checks.oracle import Oracle
from lambda_conformance.checks.passive import sdk_error_code
from lambda_conformance.checks.schemathesis_checks import (
    as_response,
    configure_checks,
    expected_text,
    invoke_case,
    judge,
    phase_group,
    response_summary,
)
from lambda_conformance.checks.schemathesis_generation import without_hopeless_searches
from lambda_conformance.spec.openapi import to_openapi
from lambda_conformance.transport.invoke_request import render
from plugins.recording import Session, skip_not_ready

# Every requirement a verdict of this module may be recorded under; the recording
# plugin skips a test only when none of them applies to the profile.
REQUIREMENTS = (
    "INV-WIRE-001",
    "INV-WIRE-002",
    "INV-WIRE-003",
    "INV-WIRE-007",
    "INV-HDR-001",
    "INV-LOG-002",
    "INV-FERR-002",
    "INV-FERR-003",
    "INV-TYPE-001",
    "INV-TYPE-002",
    "INV-TYPE-003",
    "INV-TYPE-004",
    "INV-TYPE-005",
    "INV-LOG-005",
    "INV-NAME-002",
    "INV-NAME-003",
    "INV-NAME-004",
    "INV-NAME-005",
    "INV-NAME-006",
    "INV-NAME-007",
    "INV-QUAL-004",
    "INV-QUAL-005",
    "INV-QUAL-006",
    "INV-QUAL-008",
    "INV-CC-003",
    "INV-CC-004",
    "INV-PAY-004",
    "INV-PAY-007",
    "INV-PAY-009",
    "INV-DRY-002",
    "INV-ERR-ResourceNotFound",
    "INV-ERR-InvalidParameterValue",
    "INV-ERR-Validation",
    "INV-ERR-InvalidRequestContent",
    "INV-ERR-RequestTooLarge",
    "INV-ERR-RequestEntityTooLarge",
)

# The coverage phase's searches that cannot succeed end at once (same cases, seconds less).
without_hopeless_searches()

_coverage_sent: Counter[tuple[str, ...]] = Counter()
_coverage_lock = threading.Lock()
# Why cases were rejected, by reason (a glance at it tells whether the mapping works).
REJECTED: Counter[str] = Counter()


def _schema(session: Session, mode: GenerationMode) -> OpenApiSchema:
    """The run's profile as schemathesis sees it, sized by the loaded hypothesis profile."""
    schema = schemathesis.openapi.from_dict(to_openapi(session.spec), config=schemathesis.Config())
    config = schema.config
    # As the suite's hypothesis profiles do (conftest.py): rejected cases are expected
    # (undetermined ones, capped coverage) and slow targets are not the suite's fault.
    config.update(
        base_url=session.client.config.base_url,
        suppress_health_check=[
            HealthCheck.filter_too_much,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    config.seed = session.run.info.seed
    config.generation.update(
        modes=[mode], max_examples=hypothesis.settings().max_examples, database="none"
    )
    # Stateless only; the examples phase has nothing to use (the export has no examples).
    config.phases.update(phases=["coverage", "fuzzing"])
    # Methods the spec does not declare are not judged (it claims nothing about them).
    config.phases.coverage.unexpected_methods = set()
    configure_checks(config, session.spec)
    return schema


@pytest.fixture
def positive_schema(lc_session: Session) -> OpenApiSchema:
    return _schema(lc_session, GenerationMode.POSITIVE)


@pytest.fixture
def negative_schema(lc_session: Session) -> OpenApiSchema:
    return _schema(lc_session, GenerationMode.NEGATIVE)


@pytest.fixture(autouse=True)
def _node_id_for_lazy_schema(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32.5's lazy schemas read and rename `item._nodeid`, which pytest 9
    # replaced with `_id`; an instance attribute gives them one to use (the real node
    # id, and so the reports, are unaffected).
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


positive = schemathesis.pytest.from_fixture("positive_schema")
negative = schemathesis.pytest.from_fixture("negative_schema")


def _coverage_allowed(case: Case[Any], nodeid: str) -> bool:
    """Coverage cases are deterministic and many (about 70): cap them per parameter."""
    group = phase_group(case)
    if not group[0].startswith("coverage"):
        return True
    cap = max(1, hypothesis.settings().max_examples // 6)
    key = (nodeid, *group)
    with _coverage_lock:
        if _coverage_sent[key] >= cap:
            return False
        _coverage_sent[key] += 1
        return True


def exercise(case: Case[Any], lc_session: Session, nodeid: str) -> None:
    """Send one schemathesis case through the transport and record every check's verdict."""
    __tracebackhide__ = True
    spec, tally = lc_session.spec, lc_session.tally
    invoke = invoke_case(case, spec, lc_session.world, lc_session.run.info.seed)
    if invoke is None:
        REJECTED["not an Invoke request"] += 1
        hypothesis.reject()  # not an Invoke request the spec describes
        return
    oracle = Oracle(spec, lc_session.world)
    expected = oracle.expect(invoke)
    if expected.outcome == "undetermined":
        REJECTED[expected.why_undetermined] += 1
        hypothesis.reject()
    if not _coverage_allowed(case, nodeid):
        REJECTED["coverage cap"] += 1
        hypothesis.reject()
        return
    exchange = lc_session.client.send(render(invoke, spec))
    problem = exchange.problem
    if problem is not None and problem.kind == "stopped":
        raise RunStopped(problem.message)
    record, curl = lc_session.describe(exchange)
    mode = case.meta.generation.mode.value if case.meta else ""
    extra = {"generator": "schemathesis", "mode": mode, "phase": "/".join(phase_group(case)[:1])}

    def failure(
        rid: str,
        title: str,
        expected_value: str,
        received: str,
        reason: FailureReason = "mismatch",
        check: str = "",
        detail: str = "",
    ) -> Failure:
        more = {"check": check, "schemathesis_message": detail[:1000]} if check else {}
        return Failure(
            rid, title, expected_value, received, reason, record, curl, nodeid, {**extra, **more}
        )

    if problem is not None or exchange.response is None:
        tally.exercised("INV-WIRE-007")
        kind: FailureReason = problem.kind if problem is not None else "connection"  # type: ignore[assignment]
        raise ConformanceError(
            failure(
                "INV-WIRE-007",
                "No usable HTTP response",
                "a complete HTTP response within the request timeout",
                problem.message if problem else "no response",
                kind,
            )
        )
    not_ready = oracle.not_ready(
        expected,
        exchange.response.status,
        sdk_error_code(exchange.response.status, exchange.response.headers, exchange.response.body),
    )
    if not_ready is not None:
        skip_not_ready(not_ready)
    response = as_response(exchange)
    summary = response_summary(spec, exchange)
    failures: list[Failure] = []
    counted: set[str] = set()
    for verdict in judge(spec, case, invoke, expected, response):
        for rid in verdict.requirement_ids:
            if rid not in counted:
                counted.add(rid)
                tally.exercised(rid)
            if verdict.ok:
                tally.passed(rid)
            else:
                failures.append(
                    failure(
                        rid,
                        f"{verdict.title} ({verdict.check})",
                        expected_text(verdict.message, expected.describe()),
                        summary,
                        check=verdict.check,
                        detail=verdict.message,
                    )
                )
    if failures:
        raise ConformanceError(*failures)


@pytest.mark.requirements(*REQUIREMENTS)
@positive.parametrize()
def test_schemathesis_positive(case: Case[Any], lc_session: Session, request: Any) -> None:
    """Valid-by-schema cases: no 5xx, documented status and headers, accepted (or 404)."""
    exercise(case, lc_session, request.node.nodeid)


@pytest.mark.requirements(*REQUIREMENTS)
@negative.parametrize()
def test_schemathesis_negative(case: Case[Any], lc_session: Session, request: Any) -> None:
    """Invalid-by-schema cases the spec also rejects: 400/413, never a 5xx or a lookup."""
    exercise(case, lc_session, request.node.nodeid)
