"""FunctionName: the four name forms, the pattern, the length limits, absent functions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Answer, Harness, SoftFailures
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.names import function_arn, parse
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
    so it is enumerated whole rather than sampled."""
    world = target.world
    function = target.function("introspect")
    aliases = world.aliases.get(function, {})
    soft = SoftFailures()
    for name, qualifier, version in _forms(target):
        # Reset per form: a failed invoke or status must neither leave these unbound nor
        # let the checks below judge the previous form's answer.
        answer: Answer | None = None
        context: dict[str, Any] = {}
        with soft:
            answer = target.invoke(
                InvokeCase(name, qualifier=qualifier, body=b"{}"), function_fails=False
            )
            answer.conforms("INV-NAME-001")
            document = answer.json("INV-NAME-001")
            context = document if isinstance(document, dict) else {}
        if answer is None:
            continue  # no answer at all: soft holds the failure
        in_name = parse(name)
        name_qualifier = in_name.qualifier if in_name else None
        given_qualifier = qualifier if qualifier is not None else name_qualifier
        ids = []
        if given_qualifier == "$LATEST":
            ids.append("INV-QUAL-003")
        elif given_qualifier in aliases:
            ids.append("INV-QUAL-002")
        elif given_qualifier is not None:
            ids.append("INV-QUAL-001")
        if name_qualifier is not None:
            ids.append("INV-QUAL-007")
        ran = context.get("function_version")
        executed = answer.response_header("ExecutedVersion")
        arn = function_arn(
            function, region=world.region, account=world.account, qualifier=given_qualifier
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
            (ids, ran == version, "Version that ran", f"version {version}", f"version {ran}"),
            ("INV-HDR-002", executed == version, "Executed version", version, str(executed)),
            (
                "INV-CTX-001",
                ran == executed,
                "Context version vs executed version",
                "context.function_version equal to X-Amz-Executed-Version",
                f"{ran} vs {executed}",
            ),
            (
                "INV-CTX-002",
                context.get("invoked_function_arn") == arn,
                "Invoked function ARN",
                arn,
                str(context.get("invoked_function_arn")),
            ),
            (
                "INV-CTX-003",
                context.get("aws_request_id") == request_id,
                "Request id in the context",
                str(request_id),
                str(context.get("aws_request_id")),
            ),
        ]
        # Without the header there is nothing to compare the context with: INV-HDR-001 and
        # INV-HDR-004 judge the missing header, not these.
        if executed is None:
            checks = [c for c in checks if c[0] != "INV-CTX-001"]
        if request_id is None:
            checks = [c for c in checks if c[0] != "INV-CTX-003"]
        for requirement, ok, title, expected, received in checks:
            with soft:
                answer.check(
                    requirement,
                    ok,
                    title=title,
                    expected=expected,
                    received=f"{received} (for {name!r}, Qualifier {qualifier!r})",
                )
    soft.raise_if_any()
