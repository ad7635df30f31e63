"""The functions the reference hosts: one per fixture role, their versions, aliases, limits."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lambda_conformance.layout import HANDLERS_DIR

# The roles of ../shared/fixture-contract.md ("Roles"). Kept here rather than imported
# from provisioning: the reference depends only on the spec layer (docs/architecture.md).
ROLES: tuple[str, ...] = ("echo", "introspect", "fail", "log", "sleep", "large", "beacon")

LATEST = "$LATEST"
INTROSPECT_VERSION = "1"
INTROSPECT_ALIAS = "live"
MEMORY_MB = 128
DEFAULT_TIMEOUT_S = 10.0
# The contract deploys `sleep` with a 3 second timeout (fixture-contract.md).
CONTRACT_TIMEOUTS_S: Mapping[str, float] = {"sleep": 3.0}


@dataclass(frozen=True, slots=True)
class FunctionConfig:
    """One hosted function: which handler runs, how long it may, and its versions/aliases."""

    role: str
    name: str
    handler_path: Path
    timeout_s: float
    memory_mb: int = MEMORY_MB
    versions: frozenset[str] = frozenset()
    aliases: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, qualifier: str | None) -> str | None:
        """The version `qualifier` runs ($LATEST when absent), or None if it names nothing.

        Case matters: `$latest` is a well-formed qualifier that names nothing (GT-015).
        """
        if qualifier is None or qualifier == LATEST:
            return LATEST
        if qualifier in self.versions:
            return qualifier
        return self.aliases.get(qualifier)


def hosted_roles(handlers_dir: Path = HANDLERS_DIR) -> tuple[str, ...]:
    """The contract's roles, then any role the project added (a handler file beside them)."""
    extra = sorted(p.stem for p in handlers_dir.glob("*.py") if p.stem not in ROLES)
    return ROLES + tuple(r for r in extra if not r.startswith("_"))


def fixture_functions(timeouts: Mapping[str, float] | None = None) -> dict[str, FunctionConfig]:
    """A function per hosted role, named `conformance-<role>`."""
    chosen = {**CONTRACT_TIMEOUTS_S, **(timeouts or {})}
    functions: dict[str, FunctionConfig] = {}
    for role in hosted_roles():
        published = role == "introspect"  # the contract publishes only introspect (v1, alias live)
        config = FunctionConfig(
            role=role,
            name=f"conformance-{role}",
            handler_path=HANDLERS_DIR / f"{role}.py",
            timeout_s=float(chosen.get(role, DEFAULT_TIMEOUT_S)),
            versions=frozenset({INTROSPECT_VERSION}) if published else frozenset(),
            aliases={INTROSPECT_ALIAS: INTROSPECT_VERSION} if published else {},
        )
        functions[config.name] = config
    return functions


class ConcurrencyLimits:
    """Reserved concurrency per function and the executions in flight against it."""

    def __init__(self, reserved: Mapping[str, int] | None = None) -> None:
        self._lock = threading.Lock()
        self._reserved: dict[str, int] = dict(reserved or {})
        self._in_flight: dict[str, int] = {}

    def reserved(self, function: str) -> int | None:
        with self._lock:
            return self._reserved.get(function)

    def put(self, function: str, reserved: int) -> None:
        with self._lock:
            self._reserved[function] = reserved

    def delete(self, function: str) -> None:
        with self._lock:
            self._reserved.pop(function, None)

    def try_enter(self, function: str) -> bool:
        """Count one more execution, unless that would exceed the reservation (GT-050/053)."""
        with self._lock:
            running = self._in_flight.get(function, 0)
            limit = self._reserved.get(function)
            if limit is not None and running >= limit:
                return False
            self._in_flight[function] = running + 1
            return True

    def leave(self, function: str) -> None:
        with self._lock:
            self._in_flight[function] = max(0, self._in_flight.get(function, 0) - 1)
