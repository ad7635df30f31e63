"""The oracle: what a conformant target must answer to a case, from the spec and the profile.

Faults are grouped by the check that finds them. Where the page or the observed service
fixes the order of two checks, the earlier one decides; where nothing fixes it, a case
combining both is `undetermined` and never judged (so no ordering we guessed can
produce a false failure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.names import ParsedName, parse
from lambda_conformance.generation.world import World
from lambda_conformance.spec import Spec
from lambda_conformance.spec.encodings import strict_base64, strict_json

Outcome = Literal["ok", "accepted", "dry_run", "error", "undetermined"]
FaultGroup = Literal["validation", "size", "conflict", "client_context", "existence", "content"]

# The checks that come before the function's state is read, in the order a profile with
# conventions.validated_before_lookup fixes: constraint validation runs before the
# existence lookup (GT-003, on an absent function) and the name/qualifier conflict check
# sits between them (GT-014). Without it, the order of these checks is left open.
_ORDERED: tuple[FaultGroup, ...] = ("validation", "conflict", "existence")

# A function that exists but is not Active (Pending after CreateFunction, or Failed) is
# answered 409 ResourceConflictException "... currently in the following state: Pending"
# (GT-058); an inactive one 502 ResourceNotReadyException (page, Errors). Either says the
# *fixture* is not ready, which no test can judge past: a precondition, not a verdict.
# Only the checks of _ORDERED come before the function's state is looked at (a function
# must exist to have one); how the state check orders against payload, size, client
# context and throttling checks nothing fixes, so those cases are not judged either.
NOT_READY_ERRORS: frozenset[str] = frozenset(
    {"ResourceConflictException", "ResourceNotReadyException"}
)


@dataclass(frozen=True)
class Fault:
    group: FaultGroup
    rule: str  # e.g. "FunctionName.pattern", stated in the expected text of failures
    status: int
    error_types: frozenset[str]


@dataclass(frozen=True)
class Expectation:
    outcome: Outcome
    status: int | None = None
    error_types: frozenset[str] = frozenset()
    rule: str = ""
    executed_version: str | None = None
    function_name: str | None = None
    role: str | None = None
    why_undetermined: str = ""
    # The answer is decided by a check that runs before the function's state is read:
    # a "not ready" answer to it is a deviation, not a fixture problem.
    before_state_check: bool = False

    def describe(self) -> str:
        if self.outcome == "error":
            types = " or ".join(sorted(self.error_types))
            return f"{self.status} {types} ({self.rule})"
        if self.outcome == "ok":
            return f"200 from {self.role or 'the function'} (version {self.executed_version})"
        return f"{self.status} ({self.outcome})"


class Oracle:
    def __init__(self, spec: Spec, world: World) -> None:
        self.spec = spec
        self.world = world

    def expect(self, case: InvokeCase, *, throttled: bool = False) -> Expectation:
        faults, unknown = self._faults(case)
        if unknown:
            return Expectation("undetermined", why_undetermined=unknown)
        if faults:
            return self._decide(faults)
        parsed = parse(case.function_name)
        assert parsed is not None  # no validation fault means the pattern admitted it
        qualifier = case.qualifier if case.qualifier is not None else parsed.qualifier
        version = self.world.resolve(parsed.name, qualifier)
        role = self.world.role_of(parsed.name)
        kind = case.effective_type
        statuses = self.spec.operation.statuses
        if kind == "DryRun":
            return Expectation("dry_run", statuses["DryRun"], role=role, function_name=parsed.name)
        if kind == "Event":
            return Expectation("accepted", statuses["Event"], role=role, function_name=parsed.name)
        if throttled:
            error = self.spec.conventions.throttle_error
            return Expectation(
                "error",
                self.spec.errors[error].status,
                frozenset({error}),
                rule="reserved concurrency 0",
            )
        return Expectation(
            "ok",
            statuses["RequestResponse"],
            executed_version=version,
            function_name=parsed.name,
            role=role,
        )

    def _decide(self, faults: list[Fault]) -> Expectation:
        groups = {f.group for f in faults}
        ordered = _ORDERED if self.spec.conventions.validated_before_lookup else ()
        if len(groups) > 1 and not groups <= set(ordered):
            return Expectation(
                "undetermined",
                why_undetermined=f"faults {sorted(groups)} in an order nothing fixes",
            )
        first = min(groups, key=lambda g: _ORDERED.index(g) if g in _ORDERED else -1)
        chosen = [f for f in faults if f.group == first]
        statuses = {f.status for f in chosen}
        if len(statuses) > 1:
            return Expectation("undetermined", why_undetermined="faults with different statuses")
        # Several violations of one group come back as one error (GT-010); any of the
        # error types the faults allow is then acceptable, but a constraint error, when
        # present, is what the service reports.
        types = frozenset().union(*(f.error_types for f in chosen))
        constraint = self.spec.conventions.constraint_violation_error
        if first == "validation" and any(f.error_types == {constraint} for f in chosen):
            types = frozenset({constraint})
        return Expectation(
            "error",
            statuses.pop(),
            types,
            rule=", ".join(f.rule for f in chosen),
            before_state_check=first in _ORDERED,
        )

    def not_ready(self, expected: Expectation, status: int | None, error_type: str | None
                  ) -> str | None:
        """Why an answer says the case's fixture function is not ready, or None.

        None when the answer is no "not ready" error (with its own status), or when the
        spec decides the case before the function's state matters (then the answer is
        judged, and fails)."""
        if error_type not in NOT_READY_ERRORS or expected.before_state_check:
            return None
        if expected.outcome == "undetermined" or status != self.spec.errors[error_type].status:
            return None
        name = f" {expected.function_name}" if expected.function_name else ""
        return (f"the fixture function{name} is not ready: the target answered {status} "
                f"{error_type} (a function not Active, GT-058); nothing past that can be judged")

    def _error(self, group: FaultGroup, rule: str, *names: str) -> Fault:
        status = {self.spec.errors[n].status for n in names}
        assert len(status) == 1, f"{rule}: error types with different statuses {names}"
        return Fault(group, rule, status.pop(), frozenset(names))

    def _faults(self, case: InvokeCase) -> tuple[list[Fault], str]:
        """All faults of the case, or a reason why its answer is not determined."""
        spec = self.spec
        conv = spec.conventions
        faults: list[Fault] = []
        constraint = conv.constraint_violation_error

        fn = spec.parameter("FunctionName")
        name = case.function_name
        parsed = None
        if fn.regex is not None and fn.regex.fullmatch(name) is None:
            faults.append(self._error("validation", "FunctionName.pattern", constraint))
        else:
            parsed = parse(name)
        if fn.max_length is not None and len(name) > fn.max_length:
            faults.append(self._error("validation", "FunctionName.max_length", constraint))
        if fn.min_length is not None and len(name) < fn.min_length:
            return [], "an empty FunctionName leaves the request path without its label"
        bare_limit = spec.limits.bare_name_max_length
        if parsed is not None and parsed.is_bare and bare_limit and len(parsed.name) > bare_limit:
            faults.append(self._error("validation", "FunctionName.bare_name_length", constraint))

        if case.qualifier is not None:
            qual = spec.parameter("Qualifier")
            if case.qualifier == "":
                return [], "an empty Qualifier is admitted by the pattern but not by min length"
            if not qual.admits(case.qualifier):
                faults.append(self._error("validation", "Qualifier.constraints", constraint))

        for param_name, value in (
            ("InvocationType", case.invocation_type),
            ("LogType", case.log_type),
        ):
            if value is not None and value not in spec.parameter(param_name).enum:
                if value == "":
                    return [], f"an empty {param_name} header may read as absent"
                faults.append(
                    self._error("validation", f"{param_name}.enum", *conv.enum_violation_errors)
                )

        body = case.body or b""
        kind = case.effective_type
        if kind in spec.parameter("InvocationType").enum:
            limit = spec.limits.async_payload if kind == "Event" else spec.limits.sync_payload
            if len(body) >= limit.reject_from:
                faults.append(
                    self._error("size", f"{kind} payload limit", conv.request_too_large_error)
                )
            elif len(body) > limit.accept_up_to:
                return [], f"{len(body)} bytes lies between the judged sizes of the {kind} limit"

        if parsed is not None and parsed.qualifier is not None and case.qualifier is not None:
            if parsed.qualifier != case.qualifier:
                if conv.qualifier_conflict_error is None:
                    return [], "the profile does not say how a qualifier conflict is answered"
                faults.append(
                    self._error("conflict", "qualifier conflict", conv.qualifier_conflict_error)
                )

        if case.client_context is not None:
            cc_errors = conv.client_context_errors
            if len(case.client_context.encode("utf-8")) > spec.limits.client_context_max_bytes:
                faults.append(self._error("client_context", "ClientContext.max_length", *cc_errors))
            else:
                decoded = strict_base64(case.client_context)
                if decoded is None:
                    faults.append(self._error("client_context", "ClientContext.base64", *cc_errors))
                elif not strict_json(decoded) or not decoded.lstrip().startswith(b"{"):
                    # The page says "data about the invoking client" for the context
                    # object; what a non-object (or non-JSON) one gets was never observed.
                    return (
                        [],
                        "ClientContext is base64 but not a JSON object; the page does not say",
                    )

        # A name that breaks its own constraints is no name to look up. Other parameters'
        # violations leave the function to look up where the order is open.
        if parsed is not None and not any(
            f.group == "validation"
            and (conv.validated_before_lookup or f.rule.startswith("FunctionName."))
            for f in faults
        ):
            # An invalid Qualifier is no version or alias to look up: only the function is.
            bad_qualifier = any(f.rule.startswith("Qualifier.") for f in faults)
            fault, unknown = self._existence(parsed, case, resolve_qualifier=not bad_qualifier)
            if unknown:
                return [], unknown
            if fault is not None:
                faults.append(fault)

        if body:
            stripped = body.strip(b" \t\r\n")
            if not stripped:
                return [], "a body of white space only may read as empty"
            if body.startswith((b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")) or b"\x00" in body:
                return [], "a byte-order mark or NUL may switch a parser's encoding detection"
            if not strict_json(body):
                faults.append(
                    self._error("content", "Payload is not JSON", conv.invalid_content_error)
                )
        return faults, ""

    def _existence(
        self, parsed: ParsedName, case: InvokeCase, *, resolve_qualifier: bool = True
    ) -> tuple[Fault | None, str]:
        conv = self.spec.conventions
        world = self.world
        if parsed.form is None:
            incomplete = (
                parsed.partition is not None
                and parsed.region is not None
                and parsed.account is not None
                and parsed.qualifier is None
            )
            if not (incomplete and conv.incomplete_arn_error is not None):
                return None, "a FunctionName outside the four documented forms"
            # GT-012: read as a partial ARN whose name is the last part (`function`).
            if parsed.region != world.region or parsed.account != world.account:
                return None, "an incomplete ARN of another region or account"
            if world.exists(parsed.name):
                return None, "an incomplete ARN naming a fixture function"
            missing = conv.incomplete_arn_error
            return self._error("existence", "function does not exist", missing), ""
        if parsed.partition is not None and parsed.partition != "aws":
            return None, f"partition {parsed.partition!r} is not the endpoint's"
        if parsed.region is not None and parsed.region != world.region:
            if conv.cross_region_error is None:
                return None, "the profile does not say how another region's ARN is answered"
            return self._error("existence", "ARN of another region", conv.cross_region_error), ""
        if parsed.account is not None and parsed.account != world.account:
            return None, "another account's function may answer 403 or 404"
        qualifier = (
            None
            if not resolve_qualifier
            else case.qualifier if case.qualifier is not None else parsed.qualifier
        )
        if qualifier is not None and qualifier.startswith("$LATEST."):
            return (
                None,
                "$LATEST.PUBLISHED selects a published version by a rule the suite does not model",
            )
        if not world.exists(parsed.name):
            return self._error("existence", "function does not exist", conv.not_found_error), ""
        if world.resolve(parsed.name, qualifier) is None:
            return self._error("existence", "no such version or alias", conv.not_found_error), ""
        return None, ""
