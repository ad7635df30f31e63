"""Qualifier: unknown versions and aliases, pattern, length, conflicts with the name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Harness
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies

pytestmark = pytest.mark.role("introspect")


@pytest.mark.requirements("INV-QUAL-004")
@given(data=st.data())
def test_unknown_qualifier_answers_404(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    qualifier = data.draw(strategies.unknown_qualifiers(), label="qualifier")
    in_name = data.draw(st.booleans(), label="qualifier in the name")
    function = target.function("introspect")
    case = (
        InvokeCase(f"{function}:{qualifier}", body=b"{}")
        if in_name
        else InvokeCase(function, qualifier=qualifier, body=b"{}")
    )
    answer = target.invoke(case)
    answer.conforms("INV-QUAL-004")


@pytest.mark.requirements("INV-QUAL-005")
@given(data=st.data())
def test_qualifier_breaking_the_pattern_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    qualifier = data.draw(strategies.invalid_qualifiers(), label="Qualifier")
    answer = target.invoke(
        InvokeCase(target.function("introspect"), qualifier=qualifier, body=b"{}")
    )
    answer.conforms("INV-QUAL-005")


@pytest.mark.requirements("INV-QUAL-006", "INV-QUAL-004")
@given(data=st.data())
def test_overlong_qualifier_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    qualifier = data.draw(strategies.overlong_qualifiers(), label="Qualifier")
    answer = target.invoke(
        InvokeCase(target.function("introspect"), qualifier=qualifier, body=b"{}")
    )
    answer.conforms("INV-QUAL-006")
    limit = target.spec.parameter("Qualifier").max_length
    assert limit is not None
    at_limit = target.invoke(
        InvokeCase(target.function("introspect"), qualifier=qualifier[:limit], body=b"{}")
    )
    at_limit.conforms("INV-QUAL-004")


@pytest.mark.requirements("INV-QUAL-008")
def test_qualifier_in_name_conflicting_with_parameter_is_rejected(target: Harness) -> None:
    world = target.world
    function = target.function("introspect")
    known = sorted(world.known_qualifiers() - {"$LATEST"}) or ["1"]
    for in_name, parameter in (("$LATEST", known[0]), (known[0], "$LATEST")):
        answer = target.invoke(InvokeCase(f"{function}:{in_name}", qualifier=parameter, body=b"{}"))
        answer.conforms("INV-QUAL-008")
