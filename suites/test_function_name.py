"""FunctionName: the four name forms, the pattern, the length limits, absent functions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.attribution import (
    GridCell,
    base_form,
    unresolved_blame,
    version_blame,
)
from lambda_conformance.checks.harness import Answer, Harness, SoftFailures
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.names import NameForm, function_arn, parse
from lambda_conformance.generation.strategies import Strategies
from lambda_conformance.spec import load_spec


@pytest.mark.role("echo")
@pytest.mark.requirements("INV-NAME-002")
@given(data=st.data())
def test_name_breaking_the_pattern_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    name = data.draw(strategies.invalid_function_names(), label="FunctionName")
    answer = target.invoke(InvokeCase(name, body=b"{}"))
    answer.conforms("INV-NAME-002")


@pytest.mark.role("echo")
@pytest.mark.requirements("INV-NAME-003", "INV-NAME-005")
def test_length_limit_applies_to_the_full_arn(target: Harness, strategies: Strategies) -> None:
    limit = target.spec.parameter("FunctionName").max_length
    assert limit is not None
    at_limit = target.invoke(InvokeCase(strategies.arn_of_length(limit), body=b"{}"))
    at_limit.conforms("INV-NAME-005")
    over = target.invoke(InvokeCase(strategies.arn_of_length(limit + 1), body=b"{}"))
    over.conforms("INV-NAME-003")


@pytest.mark.requirements("INV-NAME-003")
@given(data=st.data())
def test_overlong_names_are_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    limit = target.spec.parameter("FunctionName").max_length
    assert limit is not None
    extra = data.draw(st.integers(1, 64), label="characters over the limit")
    answer = target.invoke(InvokeCase(strategies.arn_of_length(limit + extra), body=b"{}"))
    answer.conforms("INV-NAME-003")


def _page_bare_name_limit() -> int:
    """The page's 64-character limit of a bare name, probed under every profile: the aws
    profile drops the check (GT-008), so the boundary is taken from the documented one."""
    limit = load_spec("documented").limits.bare_name_max_length
    assert limit is not None
    return limit


@pytest.mark.requirements("INV-NAME-005")
@given(data=st.data())
def test_bare_name_up_to_the_limit_is_looked_up(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    limit = _page_bare_name_limit()
    length = data.draw(st.sampled_from([limit - 1, limit]), label="length")
    name = data.draw(strategies.bare_names_of_length(length, length), label="FunctionName")
    target.invoke(InvokeCase(name, body=b"{}")).conforms("INV-NAME-005")


@pytest.mark.requirements("INV-NAME-004", "INV-NAME-006")
@given(data=st.data())
def test_bare_name_over_the_limit(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    """Past 64 characters the profiles disagree: 400 as documented, 404 on AWS (GT-008)."""
    limit = _page_bare_name_limit()
    length = data.draw(st.sampled_from([limit + 1, limit + 30]), label="length")
    name = data.draw(strategies.bare_names_of_length(length, length), label="FunctionName")
    target.invoke(InvokeCase(name, body=b"{}")).conforms("INV-NAME-004", "INV-NAME-006")


@pytest.mark.requirements("INV-NAME-005")
@given(data=st.data())
def test_absent_function_answers_404(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    name = data.draw(strategies.absent_function_names(), label="FunctionName")
    kind = data.draw(st.sampled_from([None, "RequestResponse", "Event"]), label="InvocationType")
    answer = target.invoke(InvokeCase(name, invocation_type=kind, body=b"{}"))
    answer.conforms("INV-NAME-005")


@pytest.mark.role("echo")
@pytest.mark.requirements("INV-NAME-007")
@given(data=st.data())
def test_arn_of_another_region_is_not_found(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    world = target.world
    region = data.draw(
        strategies.real_regions().filter(lambda r: r != world.region), label="region"
    )
    name = function_arn(target.function("echo"), region=region, account=world.account)
    answer = target.invoke(InvokeCase(name, body=b"{}"))
    answer.conforms("INV-NAME-007")


def _forms(target: Harness) -> list[tuple[str, str | None, str]]:
    strategies = Strategies(target.spec, target.world)
    return list(strategies.qualified_forms_list("introspect"))


@pytest.mark.role("introspect")
@pytest.mark.requirements(
    "INV-NAME-001",
    "INV-QUAL-001",
    "INV-QUAL-002",
    "INV-QUAL-003",
    "INV-QUAL-007",
    "INV-HDR-002",
    "INV-CTX-001",
    "INV-CTX-002",
    "INV-CTX-003",
)
def test_every_name_form_reaches_the_function(target: Harness) -> None:
    """All forms × all qualifiers (in the name or as the parameter): a small finite set,
    so it is enumerated whole rather than sampled. The whole grid is sent first, then each
    cell is judged against the others, so that a failure counts under the rule that broke
    (checks.attribution)."""
    world = target.world
    function = target.function("introspect")
    aliases = world.aliases.get(function, {})

    def qualifier_rule(qualifier: str | None) -> list[str]:
        if qualifier is None:
            return []
        if qualifier == "$LATEST":
            return ["INV-QUAL-003"]
        return ["INV-QUAL-002"] if qualifier in aliases else ["INV-QUAL-001"]

    soft = SoftFailures()
    sent: list[tuple[str, str | None, Answer, dict[str, Any]]] = []
    cells: list[GridCell] = []
    for name, qualifier, version in _forms(target):
        answer = target.invoke(
            InvokeCase(name, qualifier=qualifier, body=b"{}"), function_fails=False
        )
        document = _json_object(answer.body)
        resolved = answer.status == answer.expectation.status and document is not None
        context = document if resolved and document is not None else {}
        in_name = parse(name)
        name_qualifier = in_name.qualifier if in_name else None
        form = base_form(in_name.form if in_name else None) or NameForm.NAME
        ran = context.get("function_version")
        cells.append(
            GridCell(
                base_form=form,
                qualifier=qualifier if qualifier is not None else name_qualifier,
                in_name=name_qualifier is not None,
                expected_version=version,
                resolved=resolved,
                ran=ran if isinstance(ran, str) else None,
                executed=answer.response_header("ExecutedVersion"),
            )
        )
        sent.append((name, qualifier, answer, context))

    for cell, (name, qualifier, answer, context) in zip(cells, sent, strict=True):
        where = f"(for {name!r}, Qualifier {qualifier!r})"
        if not cell.resolved:
            blame = unresolved_blame(cell, cells, qualifier_rule)
            with soft:
                answer.conforms(*blame)
                # The status was right, but the body is not the function's result.
                answer.check(
                    blame,
                    False,
                    title="Not the function's result",
                    expected="the introspect function's JSON object",
                )
            continue
        with soft:
            answer.conforms("INV-NAME-001")
        version_ids = [*qualifier_rule(cell.qualifier), "INV-HDR-002", "INV-CTX-001"]
        if cell.in_name:
            version_ids.append("INV-QUAL-007")
        if cell.executed is None:
            # Without the header there is nothing to compare with: INV-HDR-001 judges it.
            version_ids = [i for i in version_ids if i not in ("INV-HDR-002", "INV-CTX-001")]
        blamed = version_blame(cell, cells, qualifier_rule)
        for requirement in version_ids:
            with soft:
                answer.check(
                    requirement,
                    requirement not in blamed,
                    title="Version that ran",
                    expected=f"version {cell.expected_version} in the context and "
                    "X-Amz-Executed-Version",
                    received=f"context {cell.ran}, header {cell.executed} {where}",
                )
        arn = function_arn(
            function, region=world.region, account=world.account, qualifier=cell.qualifier
        )
        request_id = answer.header("x-amzn-RequestId")
        checks = [
            (
                "INV-NAME-001",
                context.get("function_name") == function,
                "Function that ran",
                function,
                str(context.get("function_name")),
            ),
            (
                "INV-CTX-002",
                context.get("invoked_function_arn") == arn,
                "Invoked function ARN",
                arn,
                str(context.get("invoked_function_arn")),
            ),
        ]
        # Without the header there is nothing to compare the context with: INV-HDR-004
        # judges the missing header, not this.
        if request_id is not None:
            checks.append(
                (
                    "INV-CTX-003",
                    context.get("aws_request_id") == request_id,
                    "Request id in the context",
                    str(request_id),
                    str(context.get("aws_request_id")),
                )
            )
        for requirement, ok, title, expected, received in checks:
            with soft:
                answer.check(
                    requirement, ok, title=title, expected=expected, received=f"{received} {where}"
                )
    soft.raise_if_any()


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
