"""An Invoke request as data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class InvokeCase:
    """What the suite sends: every Invoke input as it travels on the wire.

    `None` means "not sent" (the header or query parameter is absent, or the
    request has no body); that is distinct from an empty value.
    """

    function_name: str
    qualifier: str | None = None
    invocation_type: str | None = None
    log_type: str | None = None
    client_context: str | None = None
    body: bytes | None = None
    role: str | None = None
    note: str = field(default="", compare=False)

    def with_(self, **changes: object) -> InvokeCase:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def effective_type(self) -> str | None:
        """The invocation type the target must apply (the header or the default)."""
        return self.invocation_type if self.invocation_type is not None else "RequestResponse"
