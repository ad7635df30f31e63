"""Error messages: the prefix a profile states for a fault, filled in for one request."""

from __future__ import annotations

import re

from lambda_conformance.checks.oracle import Expectation
from lambda_conformance.checks.passive import json_object
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.names import parse
from lambda_conformance.generation.world import World
from lambda_conformance.spec import Spec

# The message-prefix key of a validation answer that combines several members' violations.
SEVERAL_MEMBERS = "several members"


def expected_prefix(
    spec: Spec, world: World, case: InvokeCase, expectation: Expectation
) -> tuple[str, re.Pattern[str]] | None:
    """The text the error message of `case` must begin with (the template, and a pattern
    matching its start), or None where nothing is stated.

    An answer decided by one fault is judged on that fault's prefix. Violations of
    several members come back combined in one message (GT-010) whose order and count the
    evidence leaves open: only its opening (`several members`) is judged. Several
    violations of one member have no stated text. A placeholder the request does not fix
    (`{size}`: how AWS counts an Event payload, GT-049) matches any word.
    """
    if expectation.outcome != "error" or len(expectation.error_types) != 1:
        return None
    (error,) = expectation.error_types
    rules = expectation.rule.split(", ")
    members = {rule.split(".", 1)[0] for rule in rules}
    if len(rules) > 1 and len(members) > 1:
        template = spec.errors[error].message_prefix(SEVERAL_MEMBERS)
    else:
        template = spec.errors[error].message_prefix(expectation.rule)
    if template is None:
        return None
    parsed = parse(case.function_name)
    qualifier = case.qualifier
    if qualifier is None and parsed is not None:
        qualifier = parsed.qualifier
    pattern = message_pattern(
        template,
        function_name=case.function_name,
        name=parsed.name if parsed else case.function_name,
        qualifier=qualifier or "",
        account=(parsed.account if parsed else None) or world.account,
        region=world.region,
        arn_region=(parsed.region if parsed else None) or world.region,
    )
    return template, pattern


def error_message(body: bytes) -> str | None:
    """The message of an error body, read as botocore reads it (`message`, else `Message`):
    the key's case is INV-WIRE-004's to judge, not the text's."""
    document = json_object(body)
    if document is None:
        return None
    for key in ("message", "Message"):
        value = document.get(key)
        if isinstance(value, str):
            return value
    return None


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def message_pattern(template: str, **values: str) -> re.Pattern[str]:
    """A full-match pattern of a message template: each `{name}` given in `values` stands
    for that text, any other (an id the suite cannot know) for one word without spaces."""
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        name = match.group(1)
        parts.append(re.escape(values[name]) if name in values else r"\S+")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts))
