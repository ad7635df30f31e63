"""The spec as typed data, resolved for one profile."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

# An error type by name (...Exception) or one of the conventions' errors ("the profile's
# constraint-violation error", "the profile's too-large error").
_NAMES_ERROR = re.compile(r"[A-Za-z]+Exception\b|\berror\b")

Level = Literal["MUST", "SHOULD", "MAY"]
Testability = Literal["active", "passive", "not_testable"]
Location = Literal["path", "query", "header", "body"]


@dataclass(frozen=True)
class Parameter:
    """One request parameter: where it travels and what values it admits.

    Lengths are in characters, except for `encoding: base64` parameters, whose
    `max_length` is in bytes of the encoded text (the page: "Up to 3583 bytes of
    base64-encoded data").
    """

    name: str
    location: Location
    wire_name: str
    required: bool
    description: str
    section: str
    default: str | None = None
    enum: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    encoding: str | None = None
    name_forms: dict[str, str] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        # AWS patterns are Java regexes: `\d` means ASCII digits only, hence re.ASCII.
        return re.compile(self.pattern, re.ASCII) if self.pattern is not None else None

    def admits(self, value: str) -> bool:
        """True when `value` satisfies every constraint of this parameter."""
        if self.enum and value not in self.enum:
            return False
        if self.min_length is not None and len(value) < self.min_length:
            return False
        if self.max_length is not None and len(value) > self.max_length:
            return False
        regex = self.regex
        return regex is None or regex.fullmatch(value) is not None


@dataclass(frozen=True)
class ResponseHeader:
    name: str
    wire_name: str
    description: str
    section: str
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    encoding: str | None = None
    values: tuple[str, ...] = ()
    # Statuses whose responses must not carry this header (GT-029: no executed version
    # on an Event's 202 under aws).
    absent_on_status: tuple[int, ...] = ()

    @cached_property
    def regex(self) -> re.Pattern[str] | None:
        # AWS patterns are Java regexes: `\d` means ASCII digits only, hence re.ASCII.
        return re.compile(self.pattern, re.ASCII) if self.pattern is not None else None


@dataclass(frozen=True, slots=True)
class ErrorType:
    """An error of the restJson protocol: its code, HTTP status and body message key."""

    name: str
    status: int
    message_key: str
    description: str
    section: str
    provokable: bool
    source: str  # "page" for the 26 of API_Invoke.md, else the profile that added it
    # False where the body's exact keys were never observed (an unmodeled error):
    # the checks of key case and of `Type` then do not judge it.
    body_verified: bool = True
    # Fault (the oracle's rule, e.g. "function does not exist") -> the text the message
    # begins with, `{placeholders}` filled from the request; only where a row states it.
    message_prefixes: tuple[tuple[str, str], ...] = ()
    # The value of the body's `Type` field, where a row states it (aws: "User").
    type_value: str | None = None

    def message_prefix(self, rule: str) -> str | None:
        """The message prefix template of a fault, or None where none is stated."""
        return dict(self.message_prefixes).get(rule)


@dataclass(frozen=True, slots=True)
class ByteLimit:
    """A size limit as the suite probes it: accepted up to, rejected from.

    The two differ where the exact boundary was never observed (the aws async
    limit since Oct 2025, GT-049): the suite then judges only sizes on which
    every reading of the documentation agrees.
    """

    accept_up_to: int
    reject_from: int


@dataclass(frozen=True, slots=True)
class Limits:
    sync_payload: ByteLimit
    async_payload: ByteLimit
    response_payload_max_bytes: int
    log_tail_bytes: int
    client_context_max_bytes: int
    # None: the bare-name limit is not enforced on Invoke under this profile (GT-008).
    bare_name_max_length: int | None
    async_attempts: int


@dataclass(frozen=True, slots=True)
class Conventions:
    """Wire conventions of the restJson protocol, and which error answers which fault."""

    error_type_header: str
    error_content_type: str
    body_type_key: str
    constraint_violation_error: str
    enum_violation_errors: tuple[str, ...]
    client_context_errors: tuple[str, ...]
    request_too_large_error: str
    invalid_content_error: str
    not_found_error: str
    qualifier_conflict_error: str | None
    cross_region_error: str | None
    # An ARN with region and account but no `function:` part (GT-012).
    incomplete_arn_error: str | None
    # Whether constraints (and a qualifier conflict) are checked before the function is
    # looked up (GT-003, GT-014); false where nothing fixes the order.
    validated_before_lookup: bool
    throttle_error: str
    throttle_reason_reserved: str
    function_error_values: tuple[str, ...]
    timeout_error_type: str | None
    response_too_large_error_type: str | None
    timeout_error_message: str | None
    response_too_large_error_message: str | None


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    level: Level
    category: str
    weight: float
    section: str
    statement: str
    testability: Testability
    profiles: tuple[str, ...]
    evidence: tuple[str, ...] = ()
    source_text: str = ""
    # The key of the operation whose document states it (`operation.key`, e.g. "invoke").
    operation: str = ""

    @property
    def names_error_type(self) -> bool:
        """Whether the statement fixes which error answers, not only the status.

        "rejected with status 400" fixes the status alone; "answers 404
        ResourceNotFoundException" or "with the constraint-violation error" fix the type
        too. A check demands of a requirement only what its statement says: where it
        names no error, the error type is judged under the error table's requirement
        (INV-ERR-*) alone, and only where the profile allows a single type.
        """
        return _NAMES_ERROR.search(self.statement) is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "category": self.category,
            "weight": self.weight,
            "section": self.section,
            "statement": self.statement,
            "testability": self.testability,
            "profiles": list(self.profiles),
            "evidence": list(self.evidence),
            "source_text": self.source_text,
            "operation": self.operation,
        }


@dataclass(frozen=True, slots=True)
class Override:
    """One dated difference of a profile from the documented page, with its evidence."""

    path: str
    value: Any
    evidence: tuple[str, ...]
    observed: str
    reason: str


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event type of an event-stream response."""

    name: str
    members: tuple[str, ...]
    section: str
    payload_member: str | None = None
    content_type: str | None = None  # the event's :content-type header, where a source fixes it


@dataclass(frozen=True, slots=True)
class EventStream:
    """The shape of an event-stream response body (application/vnd.amazon.eventstream)."""

    section: str
    content_type: str | None  # None: no source fixes the HTTP Content-Type; not judged
    final_event: str
    events: dict[str, StreamEvent]


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    method: str
    path: str
    statuses: dict[str, int]  # invocation type -> success status
    key: str = ""
    requirement_prefix: str | None = None
    event_stream: EventStream | None = None


@dataclass(frozen=True)
class Spec:
    """The whole contract under one profile. Built by `lambda_conformance.spec.load_spec`."""

    version: str
    profile: str
    source: str
    operation: Operation
    parameters: dict[str, Parameter]
    response_headers: dict[str, ResponseHeader]
    errors: dict[str, ErrorType]
    limits: Limits
    conventions: Conventions
    requirements: tuple[Requirement, ...]
    excluded_requirements: tuple[Requirement, ...]
    overrides: tuple[Override, ...]
    sections: tuple[str, ...]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    # The companion operations' own specs (same profile), by operation key. Their
    # requirements are also in `requirements`: one record and score covers every operation.
    companions: dict[str, Spec] = field(repr=False, default_factory=dict)
    # Requirements of operations the run does not judge (--operations): known, not scored.
    deselected_requirements: tuple[Requirement, ...] = ()

    def selecting(self, keys: Iterable[str]) -> Spec:
        """This spec judging only the operations `keys`; the others' requirements are
        `deselected_requirements`. Raises ValueError naming an unknown key."""
        chosen = tuple(keys)
        unknown = [k for k in chosen if k not in self.operation_keys]
        if unknown or not chosen:
            raise ValueError(
                f"operations: expected some of {', '.join(self.operation_keys)}, "
                f"got {', '.join(chosen) or 'none'}"
            )
        if set(chosen) == set(self.operation_keys):
            return self
        every = (*self.requirements, *self.excluded_requirements)
        return replace(
            self,
            requirements=tuple(r for r in self.requirements if r.operation in chosen),
            excluded_requirements=tuple(
                r for r in self.excluded_requirements if r.operation in chosen
            ),
            deselected_requirements=tuple(r for r in every if r.operation not in chosen),
        )

    @property
    def operation_keys(self) -> tuple[str, ...]:
        """Every operation this spec covers, its own first."""
        return (self.operation.key, *self.companions)

    def for_operation(self, key: str) -> Spec:
        """The spec of one operation: this one, or a companion's."""
        if key == self.operation.key:
            return self
        try:
            return self.companions[key]
        except KeyError:
            raise KeyError(
                f"no operation {key!r}; the spec covers {', '.join(self.operation_keys)}"
            ) from None

    def parameter(self, name: str) -> Parameter:
        return self.parameters[name]

    def requirement(self, requirement_id: str) -> Requirement:
        return self.requirements_by_id[requirement_id]

    @cached_property
    def requirements_by_id(self) -> dict[str, Requirement]:
        return {r.id: r for r in self.requirements}

    @cached_property
    def requirement_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.requirements)

    def error(self, name: str) -> ErrorType:
        return self.errors[name]
