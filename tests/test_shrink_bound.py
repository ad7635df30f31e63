"""The shrink bound (plugins/shrinking.py): a test that keeps failing against a slow target
sends only a few more requests while hypothesis shrinks it, and still reports an example."""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture import engine

from lambda_conformance.transport import Client, HttpRequest, StaticCredentials, TransportConfig
from plugins import shrinking
from tests.hostile import HostileTarget

CREDENTIALS = StaticCredentials("AKIDSHRINKBOUNDTEST1", "shrink-bound-test-secret-key-01234")
INVOKE = HttpRequest("POST", "/2015-03-31/functions/echo/invocations", body=b"{}")


@pytest.fixture
def quick_bound() -> Iterator[shrinking.ShrinkLimit]:
    saved = (engine.MAX_SHRINKS, engine.MAX_SHRINKING_SECONDS, engine.__dict__["report"])
    limit = shrinking.limit_for("quick")
    shrinking.install(limit)
    try:
        yield limit
    finally:
        engine.MAX_SHRINKS, engine.MAX_SHRINKING_SECONDS = saved[0], saved[1]
        setattr(engine, "report", saved[2])  # noqa: B010


def test_limits_per_profile() -> None:
    quick, default = shrinking.limit_for("quick"), shrinking.limit_for("default")
    assert quick.seconds < default.seconds and quick.shrinks < default.shrinks
    assert shrinking.limit_for("thorough").seconds > default.seconds
    assert shrinking.limit_for("someone's-own") == default


def test_failing_test_against_a_slow_target_shrinks_within_the_bound(
    quick_bound: shrinking.ShrinkLimit,
) -> None:
    examples: list[list[int]] = []
    with HostileTarget("slow_ok", hold=10) as target, Client(
        TransportConfig(target.url, credentials=CREDENTIALS, request_timeout=2)
    ) as client:

        @settings(max_examples=6, database=None, deadline=None)
        @given(st.lists(st.integers(), min_size=1))
        def keeps_failing(values: list[int]) -> None:
            examples.append(values)
            assert client.send(INVOKE).ok
            raise AssertionError("the target answers 200 {} to everything")

        started = time.monotonic()
        with pytest.raises(AssertionError, match="200"):
            keeps_failing()
        elapsed = time.monotonic() - started
        sent = target.requests
    # The failure, the shrink runs started within the bound's second (one at 1.5 s each),
    # and the final replay of the smallest example: without the bound, dozens.
    assert sent <= 4, f"{sent} requests while shrinking"
    assert elapsed < quick_bound.seconds + 4 * 2.0 + 1.0, elapsed
    # The replayed (reported) example is no larger than the first failure.
    assert len(examples[-1]) <= len(examples[0])


class _Body:
    """Stands for an exchange's body in a failing example's frame (weakly countable)."""


def _peak_live_bodies(wrap: bool) -> int:
    live: weakref.WeakSet[_Body] = weakref.WeakSet()
    peak = 0

    @settings(max_examples=6, database=None, deadline=None)
    @given(st.lists(st.integers(), min_size=3))
    def keeps_failing(values: list[int]) -> None:
        nonlocal peak
        body = _Body()
        live.add(body)
        peak = max(peak, len(live))
        raise AssertionError("the target answers 200 {} to everything")

    if wrap:
        handle = keeps_failing.hypothesis  # type: ignore[attr-defined]
        handle.inner_test = shrinking.forget_failing_locals(handle.inner_test)
    with pytest.raises(AssertionError):
        keeps_failing()
    return peak


def test_failing_examples_keep_no_locals() -> None:
    # Hypothesis keeps each failing example's exception, and so its frames' locals (an
    # answer's body: up to 8 MiB), until the test ends; the wrapper drops the locals.
    assert _peak_live_bodies(wrap=False) > 3
    assert _peak_live_bodies(wrap=True) <= 2
