"""Failures as data: what one requirement expected, what the target sent, and how to replay it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Why a check failed: the target answered but wrongly (`mismatch`), or it did not
# answer usably at all. The non-mismatch reasons come from the transport layer.
FailureReason = Literal["mismatch", "timeout", "connection", "malformed", "too_large"]


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """The request as it may be shown in a report: secrets removed, body capped."""

    method: str
    url: str
    headers: dict[str, str]
    body_preview: str
    body_length: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RequestRecord:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Failure:
    """One observed violation of one requirement.

    `expected` and `received` are short human-readable texts; everything in
    `received` came from the target and is untrusted (reporters escape it).
    """

    requirement_id: str
    title: str
    expected: str
    received: str
    reason: FailureReason = "mismatch"
    request: RequestRecord | None = None
    curl: str | None = None
    test: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["request"] = self.request.to_dict() if self.request else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Failure:
        request = data.get("request")
        return cls(
            requirement_id=data["requirement_id"],
            title=data["title"],
            expected=data["expected"],
            received=data["received"],
            reason=data.get("reason", "mismatch"),
            request=RequestRecord.from_dict(request) if request else None,
            curl=data.get("curl"),
            test=data.get("test"),
            extra=dict(data.get("extra") or {}),
        )

    def render(self) -> str:
        """The one failure-text shape used everywhere (terminal, Markdown, HTML)."""
        lines = [f"- [{self.requirement_id}] {self.title}", "", f"Expected: {self.expected}"]
        lines.append(f"Received: {self.received}")
        if self.curl:
            lines += ["", "Reproduce with:", f"    {self.curl}"]
        return "\n".join(lines)


class ConformanceError(AssertionError):
    """Raised by an active check; hypothesis shrinks on it, the recorder unpacks it.

    One exchange can break several requirements at once (a wrong status breaks the
    behaviour under test and the error table's mapping), hence several failures.
    """

    def __init__(self, failure: Failure, *more: Failure) -> None:
        self.failures = (failure, *more)
        super().__init__("\n\n".join(f.render() for f in self.failures))
        self.failure = failure
