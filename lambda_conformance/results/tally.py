"""The per-requirement tally of one process, mergeable across xdist workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lambda_conformance.checks.failure import Failure

# A requirement failing on every response would otherwise fill the record with
# thousands of copies of the same failure; the first few tell the story.
MAX_FAILURES_PER_REQUIREMENT = 5


@dataclass(slots=True)
class RequirementTally:
    requests: int = 0
    checks_passed: int = 0
    failures: list[Failure] = field(default_factory=list)
    failures_dropped: int = 0
    errors: list[str] = field(default_factory=list)
    untested_reasons: list[str] = field(default_factory=list)

    def add_failure(self, failure: Failure) -> None:
        key = (failure.title, failure.expected, failure.received)
        if any((f.title, f.expected, f.received) == key for f in self.failures):
            self.failures_dropped += 1
        elif len(self.failures) >= MAX_FAILURES_PER_REQUIREMENT:
            self.failures_dropped += 1
        else:
            self.failures.append(failure)

    def merge(self, other: RequirementTally) -> None:
        self.requests += other.requests
        self.checks_passed += other.checks_passed
        self.failures_dropped += other.failures_dropped
        for failure in other.failures:
            self.add_failure(failure)
        self.errors.extend(e for e in other.errors if e not in self.errors)
        self.untested_reasons.extend(
            r for r in other.untested_reasons if r not in self.untested_reasons
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "checks_passed": self.checks_passed,
            "failures": [f.to_dict() for f in self.failures],
            "failures_dropped": self.failures_dropped,
            "errors": list(self.errors),
            "untested_reasons": list(self.untested_reasons),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RequirementTally:
        return cls(
            requests=int(data["requests"]),
            checks_passed=int(data["checks_passed"]),
            failures=[Failure.from_dict(f) for f in data["failures"]],
            failures_dropped=int(data["failures_dropped"]),
            errors=list(data["errors"]),
            untested_reasons=list(data["untested_reasons"]),
        )


@dataclass(slots=True)
class Tally:
    """Everything one process observed, keyed by requirement ID.

    `requests` counts exchanges that exercised the requirement; `checks_passed`
    counts evaluations that found it satisfied. A requirement is passed when it
    was evaluated at least once and never failed (see results/record.py).
    """

    requirements: dict[str, RequirementTally] = field(default_factory=dict)
    total_requests: int = 0

    def of(self, requirement_id: str) -> RequirementTally:
        return self.requirements.setdefault(requirement_id, RequirementTally())

    def exercised(self, requirement_id: str, requests: int = 1) -> None:
        self.of(requirement_id).requests += requests

    def passed(self, requirement_id: str) -> None:
        self.of(requirement_id).checks_passed += 1

    def failed(self, failure: Failure) -> None:
        self.of(failure.requirement_id).add_failure(failure)

    def errored(self, requirement_id: str, message: str) -> None:
        errors = self.of(requirement_id).errors
        if message not in errors and len(errors) < MAX_FAILURES_PER_REQUIREMENT:
            errors.append(message)

    def untested(self, requirement_id: str, reason: str) -> None:
        reasons = self.of(requirement_id).untested_reasons
        if reason not in reasons:
            reasons.append(reason)

    def merge(self, other: Tally) -> None:
        self.total_requests += other.total_requests
        for requirement_id, tally in other.requirements.items():
            self.of(requirement_id).merge(tally)

    def to_json(self) -> dict[str, Any]:
        return {
            "total_requests": self.total_requests,
            "requirements": {k: v.to_json() for k, v in sorted(self.requirements.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tally:
        return cls(
            requirements={
                k: RequirementTally.from_json(v) for k, v in data["requirements"].items()
            },
            total_requests=int(data["total_requests"]),
        )
