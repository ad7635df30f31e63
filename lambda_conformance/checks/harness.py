"""The harness tests talk to: send a case, judge passive rules, compare with the oracle."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from lambda_conformance.checks.failure import ConformanceError, Failure, FailureReason
from lambda_conformance.checks.oracle import Expectation, Oracle
from lambda_conformance.checks.passive import excerpt, passive_verdicts, sdk_error_code
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.world import World
from lambda_conformance.spec import Spec
from lambda_conformance.transport import Client, Exchange
from lambda_conformance.transport.invoke_request import render


class Recorder(Protocol):
    """Where observations go (results.tally.Tally satisfies it)."""

    def exercised(self, requirement_id: str, requests: int = 1) -> None: ...
    def passed(self, requirement_id: str) -> None: ...
    def failed(self, failure: Failure) -> None: ...


class RunStopped(Exception):
    """Nothing more is sent (the --max-requests budget is spent, or the target went away):
    the rest of the run is untested. The message is the reason."""


class UndeterminedCase(Exception):
    """A case whose conformant answer the spec does not fix; tests must not send it."""


class FixtureNotReady(Exception):
    """The target says a fixture function is not ready (not Active): the test's
    precondition failed, and what it would judge stays untested."""


def error_requirement(error_type: str) -> str:
    """The error-table requirement of an error type, e.g. INV-ERR-ResourceNotFound."""
    return "INV-ERR-" + error_type.removesuffix("Exception")


@dataclass
class Harness:
    spec: Spec
    world: World
    client: Client
    recorder: Recorder
    describe_request: Callable[[Exchange], tuple[Any, str]]  # -> (RequestRecord, curl)
    current_test: str | None = None
    on_undetermined: Callable[[str], None] | None = None
    # Called with the reason when a fixture is not ready (the plugin skips the test);
    # FixtureNotReady is raised if it returns.
    on_not_ready: Callable[[str], None] | None = None
    oracle: Oracle = field(init=False)
    # Every active failure raised through this harness, in order: when hypothesis ends
    # a test with another error (the request budget ran out while it shrank), the
    # recorder still has the verdicts the target earned.
    failures_seen: list[Failure] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.oracle = Oracle(self.spec, self.world)

    def for_operation(self, key: str) -> Harness:
        """This harness for another operation of the spec: its oracle, path and requirements.

        Observations go to the same recorder, so every operation joins one record.
        """
        return replace(self, spec=self.spec.for_operation(key), failures_seen=self.failures_seen)

    def applies(self, requirement_id: str) -> bool:
        return requirement_id in self.spec.requirement_ids

    def function(self, role: str) -> str:
        """The function name of a role; the plugin skips tests whose role is not hosted."""
        name = self.world.name_of(role)
        if name is None:
            raise LookupError(role)
        return name

    def invoke(
        self,
        case: InvokeCase,
        *,
        throttled: bool = False,
        function_fails: bool | None = None,
    ) -> Answer:
        expectation = self.oracle.expect(case, throttled=throttled)
        if expectation.outcome == "undetermined":
            # Hypothesis tests reject such cases with assume() through this hook; for a
            # hand-written case it is a bug in the suite, never a verdict on the target.
            if self.on_undetermined is not None:
                self.on_undetermined(expectation.why_undetermined)
            raise UndeterminedCase(expectation.why_undetermined)
        exchange = self.client.send(render(case, self.spec))
        if exchange.problem is not None and exchange.problem.kind == "stopped":
            raise RunStopped(exchange.problem.message)
        answer = Answer(self, case, expectation, exchange)
        for verdict in passive_verdicts(
            self.spec, exchange, case, expectation, function_fails=function_fails
        ):
            self.recorder.exercised(verdict.requirement_id)
            if verdict.ok:
                self.recorder.passed(verdict.requirement_id)
            else:
                self.recorder.failed(
                    answer.failure(
                        verdict.requirement_id,
                        verdict.title,
                        verdict.expected,
                        verdict.received,
                        verdict.reason,
                    )
                )
        # After the passive rules: the wire form of a "not ready" error is still judged.
        not_ready = self.oracle.not_ready(expectation, answer.status, answer.error_type)
        if not_ready is not None:
            if self.on_not_ready is not None:
                self.on_not_ready(not_ready)
            raise FixtureNotReady(not_ready)
        return answer


@dataclass
class Answer:
    """One exchange with what the oracle expected of it; the active checks are its methods."""

    harness: Harness
    case: InvokeCase
    expectation: Expectation
    exchange: Exchange
    _counted: set[str] = field(default_factory=set)

    # --- reading the response ---------------------------------------------------------
    @property
    def status(self) -> int | None:
        return self.exchange.response.status if self.exchange.response else None

    @property
    def body(self) -> bytes:
        return self.exchange.response.body if self.exchange.response else b""

    def header(self, name: str) -> str | None:
        if self.exchange.response is None:
            return None
        value = self.exchange.response.headers.get(name)
        return None if value is None else str(value)

    def response_header(self, spec_name: str) -> str | None:
        """A response header by its name in the spec (ExecutedVersion, LogResult, ...)."""
        return self.header(self.harness.spec.response_headers[spec_name].wire_name)

    @property
    def error_type(self) -> str | None:
        """The error code as an SDK reads it (header, then body: `sdk_error_code`).

        Whether the header itself is there is INV-WIRE-001's business alone.
        """
        response = self.exchange.response
        if response is None:
            return None
        return sdk_error_code(response.status, response.headers, response.body)

    def summary(self) -> str:
        """What came back, in one line for a failure's `received`."""
        if self.exchange.problem is not None:
            return f"{self.exchange.problem.kind}: {self.exchange.problem.message}"
        parts = [str(self.status)]
        if self.error_type:
            parts.append(self.error_type)
        if self.body:
            parts.append(excerpt(self.body, 200))
        return " ".join(parts)

    # --- judging ---------------------------------------------------------------------
    def failure(
        self,
        requirement_id: str,
        title: str,
        expected: str,
        received: str,
        reason: FailureReason = "mismatch",
    ) -> Failure:
        record, curl = self.harness.describe_request(self.exchange)
        return Failure(
            requirement_id=requirement_id,
            title=title,
            expected=expected,
            received=received,
            reason=reason,
            request=record,
            curl=curl,
            test=self.harness.current_test,
        )

    def _count(self, requirement_id: str) -> None:
        if requirement_id not in self._counted:
            self._counted.add(requirement_id)
            self.harness.recorder.exercised(requirement_id)

    def _judge(
        self, requirement_ids: Iterable[str], ok: bool, title: str, expected: str, received: str
    ) -> None:
        ids = [r for r in requirement_ids if self.harness.applies(r)]
        for rid in ids:
            self._count(rid)
        if ok:
            for rid in ids:
                self.harness.recorder.passed(rid)
            return
        if not ids:
            return
        reason: FailureReason = "mismatch"
        if self.exchange.problem is not None:
            reason = self.exchange.problem.kind  # type: ignore[assignment]
        failures = [self.failure(rid, title, expected, received, reason) for rid in ids]
        self.harness.failures_seen.extend(failures)
        raise ConformanceError(*failures)

    def check(
        self,
        requirement_id: str | Iterable[str],
        ok: bool,
        *,
        title: str,
        expected: str,
        received: str | None = None,
    ) -> None:
        """Judge one rule; a failure raises ConformanceError (hypothesis then shrinks)."""
        ids = [requirement_id] if isinstance(requirement_id, str) else list(requirement_id)
        self._judge(ids, ok, title, expected, received if received is not None else self.summary())

    def answered(self, *requirement_ids: str) -> None:
        """The target sent a usable HTTP response at all."""
        problem = self.exchange.problem
        self._judge(
            requirement_ids,
            problem is None,
            "No usable HTTP response",
            "an HTTP response",
            self.summary(),
        )

    def conforms(self, *requirement_ids: str) -> None:
        """Status and, for errors, error type are what the oracle expects.

        The status is judged under every given requirement; the error type only under
        those whose statement names it (`Requirement.names_error_type`) and under the
        error table's requirement of the one type the profile allows, so that "rejected
        with status 400" is never failed for the choice of a 400 error.
        """
        expected = self.expectation
        self.answered(*requirement_ids)
        extra: list[str] = []
        if expected.outcome == "error" and len(expected.error_types) == 1:
            (only,) = expected.error_types
            extra.append(error_requirement(only))
        ids = [*requirement_ids, *extra]
        self._judge(
            ids, self.status == expected.status, "Status code", expected.describe(), self.summary()
        )
        if expected.outcome == "error":
            requirements = self.harness.spec.requirements_by_id
            typed = [
                r
                for r in ids
                if r in extra or (r in requirements and requirements[r].names_error_type)
            ]
            self._judge(
                typed,
                self.error_type in expected.error_types,
                "Error type",
                expected.describe(),
                self.summary(),
            )

    @property
    def as_expected(self) -> bool:
        """Status and, for an error, error type are what the oracle expects (what
        `conforms` judges); judges nothing itself."""
        expected = self.expectation
        return self.status == expected.status and (
            expected.outcome != "error" or self.error_type in expected.error_types
        )

    def json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None when it is not one; judges nothing (for
        reading what a function returned, where `json` would fail a requirement)."""
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def json(self, requirement_id: str | Iterable[str]) -> Any:
        """The body parsed as JSON; a body that is not JSON fails the given requirement."""
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self.check(
                requirement_id,
                False,
                title="Body is not JSON",
                expected="a JSON body",
                received=self.summary(),
            )
            return None
        return value


def with_test(failure: Failure, test: str) -> Failure:
    return failure if failure.test else replace(failure, test=test)


class SoftFailures:
    """Collects the failures of several independent cases, raised together at the end.

    For enumerated tests (every name form, every qualifier): one case failing must not
    hide what the others show, so each case runs in `with soft:` and `raise_if_any()`
    ends the test with the first failure of each requirement.
    """

    def __init__(self) -> None:
        self.failures: dict[str, Failure] = {}

    def __enter__(self) -> SoftFailures:
        return self

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> bool:
        if isinstance(error, ConformanceError):
            for failure in error.failures:
                self.failures.setdefault(failure.requirement_id, failure)
            return True
        return False

    def raise_if_any(self) -> None:
        if self.failures:
            raise ConformanceError(*self.failures.values())
