"""LogType Tail: the base64 log tail, its size, its content, its absence without Tail."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Harness
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies
from lambda_conformance.spec.encodings import strict_base64

pytestmark = pytest.mark.role("log")


@pytest.mark.requirements("INV-LOG-001", "INV-LOG-003", "INV-LOG-006")
@given(lines=st.integers(1, 300), width=st.integers(0, 120))
def test_tail_holds_the_end_of_the_log(target: Harness, lines: int, width: int) -> None:
    body = json.dumps({"lines": lines, "width": width}).encode()
    answer = target.invoke(
        InvokeCase(target.function("log"), log_type="Tail", body=body), function_fails=False
    )
    answer.conforms("INV-LOG-001")
    encoded = answer.response_header("LogResult")
    answer.check(
        "INV-LOG-001",
        encoded is not None,
        title="Log result header",
        expected="an X-Amz-Log-Result header",
        received="none",
    )
    assert encoded is not None
    decoded = strict_base64(encoded) or b""
    last = (f"L{lines - 1:06d}:" + "x" * width).encode()
    answer.check(
        "INV-LOG-003",
        last in decoded,
        title="End of the log",
        expected=f"the last printed line {last[:60]!r}…",
        received=f"tail ending {decoded[-200:]!r}",
    )
    tail = decoded[decoded.rfind(last) + len(last) :] if last in decoded else decoded
    request_id = answer.header("x-amzn-RequestId") or ""
    answer.check(
        "INV-LOG-006",
        b"END RequestId: " in tail
        and b"REPORT RequestId: " in tail
        and request_id.encode() in tail,
        title="END and REPORT lines",
        expected=f"END and REPORT lines of request {request_id} after the output",
        received=f"{tail[-300:]!r}",
    )


@pytest.mark.requirements("INV-LOG-004")
@given(log_type=st.sampled_from([None, "None"]))
def test_no_tail_without_tail(target: Harness, log_type: str | None) -> None:
    answer = target.invoke(
        InvokeCase(target.function("log"), log_type=log_type, body=b'{"lines": 3}'),
        function_fails=False,
    )
    answer.conforms("INV-LOG-004")
    value = answer.response_header("LogResult")
    answer.check(
        "INV-LOG-004",
        value is None,
        title="Log result without Tail",
        expected="no X-Amz-Log-Result header",
        received=f"X-Amz-Log-Result: {value}",
    )


@pytest.mark.requirements("INV-LOG-005")
@given(data=st.data())
def test_unknown_log_type_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    value = data.draw(strategies.invalid_enum_values("LogType"), label="LogType")
    answer = target.invoke(InvokeCase(target.function("log"), log_type=value, body=b"{}"))
    answer.conforms("INV-LOG-005")
