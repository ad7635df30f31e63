"""Shrink bound: how long a failing hypothesis test may go on sending requests to shrink.

Hypothesis shrinks a failing example by running the test again on smaller inputs: against
a conformance target every run is a request, and against a slow target (1.5 s an answer,
every check failing) shrinking took minutes per test. Its own limits are 500 successful
shrinks and 300 s of shrinking per test, whatever one run costs.

The run lowers both per hypothesis profile (`SHRINK_LIMITS`). When either is reached,
hypothesis stops shrinking the way it does at its own limits: the smallest failing example
found so far is the one replayed and reported, so the record still shows it. Applies to
every hypothesis test of the run, schemathesis's included (they share the engine).

A test's shrink phase thus costs at most `seconds`, plus the run in flight when they pass
(its requests end at --request-timeout each), plus the final replay of the example found;
and never more than `shrinks` successful shrinks. Coverage: the engine's module constants
`MAX_SHRINKS` and `MAX_SHRINKING_SECONDS` (hypothesis/internal/conjecture/engine.py),
read when each test starts shrinking. Hypothesis has no setting for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis.internal.conjecture import engine

# The warning hypothesis prints when its shrinking deadline passes: it speaks of "five
# minutes" and asks for a bug report, both wrong here (the deadline is ours).
_SLOW_SHRINK_WARNING = "Hypothesis has spent more than five minutes working to shrink"


@dataclass(frozen=True)
class ShrinkLimit:
    """At most `shrinks` successful shrinks and `seconds` of shrinking per failing test."""

    shrinks: int
    seconds: float


# quick is the CI profile of a target: a failing test gets a few more requests (the
# first, the budget, the final replay); thorough (nightly) may look harder for the
# smallest example. A profile not listed here gets the `default` limit.
SHRINK_LIMITS: dict[str, ShrinkLimit] = {
    "quick": ShrinkLimit(shrinks=4, seconds=1.0),
    "default": ShrinkLimit(shrinks=50, seconds=15.0),
    "thorough": ShrinkLimit(shrinks=200, seconds=60.0),
}


def limit_for(profile: str | None) -> ShrinkLimit:
    return SHRINK_LIMITS.get(profile or "default", SHRINK_LIMITS["default"])


def install(limit: ShrinkLimit) -> None:
    """Bound shrinking in this process (the controller's and each xdist worker's)."""
    engine.MAX_SHRINKS = limit.shrinks
    engine.MAX_SHRINKING_SECONDS = limit.seconds  # type: ignore[assignment]
    current = engine.__dict__["report"]
    report = getattr(current, "__wrapped__", current)

    def bounded_report(value: Any) -> None:
        if isinstance(value, str) and _SLOW_SHRINK_WARNING in value:
            value = (
                f"lambda-conformance: shrinking stopped after {limit.seconds:g} s (the shrink "
                "bound of this hypothesis profile); the smallest failing example found so "
                "far is reported."
            )
        report(value)

    bounded_report.__wrapped__ = report  # type: ignore[attr-defined]
    # The name the engine calls (it imported hypothesis.reporting.report as its own).
    setattr(engine, "report", bounded_report)  # noqa: B010
