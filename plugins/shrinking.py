"""Shrinking: how long a failing hypothesis test may go on sending requests, and what its
failing examples keep in memory meanwhile.

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

import functools
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis.control import current_build_context
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


# --- what a failing example keeps alive --------------------------------------------------
def _clear_locals(error: BaseException) -> None:
    """Drop the local variables of the finished frames of `error`'s traceback (and of the
    exceptions it chains or groups); the traceback itself, file and line, stays."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.__traceback__ is not None:
            traceback.clear_frames(current.__traceback__)  # skips frames still running
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)


def forget_failing_locals(inner: Callable[..., Any]) -> Callable[..., Any]:
    """`inner` (a hypothesis test's inner function), whose failures keep no locals.

    Hypothesis keeps the exception of every failing example it runs until the test ends,
    and with it every frame's locals: the exchanges, and their bodies (up to the 8 MiB
    cap each). 5 s of shrinking a test whose target answers 6 MiB held 700 MiB. The final
    replay, the one pytest reports, keeps its locals.
    """

    @functools.wraps(inner)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return inner(*args, **kwargs)
        except BaseException as error:
            if not current_build_context().is_final:
                _clear_locals(error)
            raise

    return run


# A target that gave this many identical answers in a row (status, error type, body)
# answers without looking at the request: every example fails alike, the first is as
# telling as the smallest, and shrinking would only cost requests. A test that starts
# then is not shrunk (its first failing example is replayed and reported).
ALIKE_ANSWERS_NO_SHRINK = 20


class ShrinkPolicy:
    """Plugin object, per test: no shrinking against a target that answers everything
    alike; @given tests' failing examples keep no locals.

    `answers_alike` reads the run's client (`Client.answers_alike`).
    """

    def __init__(self, answers_alike: Callable[[], int]) -> None:
        self.answers_alike = answers_alike

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        limit = engine.MAX_SHRINKS
        if self.answers_alike() >= ALIKE_ANSWERS_NO_SHRINK:
            # Checked by the engine at each failing example, generation included: 0 ends
            # the run at the first one (schemathesis's tests share the engine).
            engine.MAX_SHRINKS = 0
        # `inner_test` is hypothesis's documented hook for wrapping the test it runs
        # (read at every call). Schemathesis builds its hypothesis tests inside the call,
        # out of reach: its cases' bodies are small, and answers over the cap keep 64 KiB.
        handle = getattr(getattr(item, "obj", None), "hypothesis", None)
        inner = getattr(handle, "inner_test", None)
        if handle is not None and inner is not None:
            handle.inner_test = forget_failing_locals(inner)
        try:
            return (yield)
        finally:
            engine.MAX_SHRINKS = limit
            if handle is not None and inner is not None:
                handle.inner_test = inner
