"""Reserved concurrency 0: a synchronous invoke is throttled with a reason."""

from __future__ import annotations

import pytest

from lambda_conformance.checks.harness import Harness
from lambda_conformance.checks.passive import json_object
from lambda_conformance.generation.cases import InvokeCase
from plugins.recording import Session


@pytest.mark.role("throttled")
@pytest.mark.requirements("INV-CONC-001", "INV-CONC-002")
def test_reserved_concurrency_zero_throttles(target: Harness, lc_session: Session) -> None:
    if lc_session.control is None:
        pytest.skip(
            "the target offers no PutFunctionConcurrency (manifest without "
            "supports_concurrency_control)"
        )
    function = target.function("throttled")
    with lc_session.control.reserved_concurrency(function, 0):
        answer = target.invoke(InvokeCase(function, body=b"{}"), throttled=True)
    answer.conforms("INV-CONC-001")
    body = json_object(answer.body) or {}
    reason = target.spec.conventions.throttle_reason_reserved
    answer.check(
        "INV-CONC-002",
        body.get("Reason") == reason,
        title="Throttling reason",
        expected=f"Reason {reason}",
        received=f"Reason {body.get('Reason')!r}",
    )
