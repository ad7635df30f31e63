"""ClientContext: reaches the function intact; too long or not base64 is rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Harness
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies

pytestmark = pytest.mark.role("introspect")


@pytest.mark.requirements("INV-CC-001")
@given(data=st.data())
def test_client_context_reaches_the_function(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    limit = target.spec.limits.client_context_max_bytes
    value, encoded = data.draw(
        strategies.client_contexts() | st.just(strategies.client_context_of_size(limit)),
        label="ClientContext",
    )
    answer = target.invoke(
        InvokeCase(target.function("introspect"), client_context=encoded, body=b"{}"),
        function_fails=False,
    )
    answer.conforms("INV-CC-001")
    context = answer.json("INV-CC-001")
    received = context.get("client_context") if isinstance(context, dict) else context
    answer.check(
        "INV-CC-001",
        received == value,
        title="Client context in the function",
        expected=str(value)[:200],
        received=str(received)[:200],
    )


@pytest.mark.requirements("INV-CC-002")
def test_no_client_context(target: Harness) -> None:
    answer = target.invoke(
        InvokeCase(target.function("introspect"), body=b"{}"), function_fails=False
    )
    answer.conforms("INV-CC-002")
    context = answer.json("INV-CC-002")
    received = context.get("client_context", "absent") if isinstance(context, dict) else context
    answer.check(
        "INV-CC-002",
        received is None,
        title="No client context",
        expected="client_context null",
        received=str(received)[:200],
    )


@pytest.mark.requirements("INV-CC-003")
@given(extra=st.integers(1, 600))
def test_oversized_client_context_is_rejected(
    target: Harness, strategies: Strategies, extra: int
) -> None:
    limit = target.spec.limits.client_context_max_bytes
    _, encoded = strategies.client_context_of_size(limit + extra + 3)
    answer = target.invoke(
        InvokeCase(target.function("introspect"), client_context=encoded, body=b"{}")
    )
    answer.conforms("INV-CC-003")


@pytest.mark.requirements("INV-CC-004")
@given(data=st.data())
def test_client_context_that_is_not_base64_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    value = data.draw(strategies.invalid_base64(), label="ClientContext")
    answer = target.invoke(
        InvokeCase(target.function("introspect"), client_context=value, body=b"{}")
    )
    answer.conforms("INV-CC-004")
