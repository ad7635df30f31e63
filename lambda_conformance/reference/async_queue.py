"""The Event queue: runs accepted asynchronous invocations in the background, with retries."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from dataclasses import dataclass, field

from lambda_conformance.reference.functions import ConcurrencyLimits
from lambda_conformance.reference.runtime import Invocation, Runtime

# How long an event waits before trying again when its function's reserved concurrency is
# all in use: AWS keeps such events queued until capacity frees (GT-053).
_CAPACITY_POLL_S = 0.05


@dataclass(order=True)
class _Due:
    at: float
    seq: int
    invocation: Invocation = field(compare=False)
    attempt: int = field(compare=False)
    done: threading.Event | None = field(compare=False, default=None)


class EventQueue:
    """Runs each event up to `attempts` times until it succeeds, waiting `delays[i]` seconds
    before attempt i+2; every attempt carries the request id of the first (GT-056)."""

    def __init__(
        self,
        runtime: Runtime,
        concurrency: ConcurrencyLimits,
        attempts: int,
        delays: tuple[float, ...],
        threads: int = 4,
    ) -> None:
        if attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {attempts}")
        self._runtime = runtime
        self._concurrency = concurrency
        self._attempts = attempts
        self._delays = delays or (0.0,)
        self._heap: list[_Due] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._pending = 0  # queued or running events, for `wait_idle`
        self._stopping = False
        self.attempts_run = 0
        self._threads = [
            threading.Thread(target=self._loop, name=f"reference-events-{i}", daemon=True)
            for i in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, invocation: Invocation) -> threading.Event:
        """Queue `invocation`; the returned event is set once its first attempt has finished."""
        done = threading.Event()
        with self._cond:
            self._pending += 1
            heapq.heappush(self._heap, _Due(time.monotonic(), next(self._seq), invocation, 1, done))
            self._cond.notify()
        return done

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no event is queued or running; False if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=5)

    def _next(self) -> _Due | None:
        with self._cond:
            while not self._stopping:
                if self._heap:
                    wait = self._heap[0].at - time.monotonic()
                    if wait <= 0:
                        return heapq.heappop(self._heap)
                    self._cond.wait(wait)
                else:
                    self._cond.wait()
            return None

    def _push(self, due: _Due) -> None:
        with self._cond:
            heapq.heappush(self._heap, due)
            self._cond.notify()

    def _finish(self, due: _Due) -> None:
        if due.done is not None:
            due.done.set()
        with self._cond:
            self._pending -= 1
            self._cond.notify_all()

    def _loop(self) -> None:
        while (due := self._next()) is not None:
            try:
                self._run(due)
            except Exception:  # a broken event must not take the queue down with it
                self._finish(due)

    def _run(self, due: _Due) -> None:
        name = due.invocation.function.name
        if self._concurrency.reserved(name) == 0:
            # Reserved concurrency 0: accepted but never run (GT-051).
            self._finish(due)
            return
        if not self._concurrency.try_enter(name):
            due.at = time.monotonic() + _CAPACITY_POLL_S
            due.seq = next(self._seq)
            self._push(due)
            return
        try:
            execution = self._runtime.execute(due.invocation)
        finally:
            self._concurrency.leave(name)
        with self._cond:
            self.attempts_run += 1
        if due.done is not None:
            due.done.set()
            due.done = None
        if execution.failed and due.attempt < self._attempts:
            delay = self._delays[min(due.attempt - 1, len(self._delays) - 1)]
            self._push(
                _Due(time.monotonic() + delay, next(self._seq), due.invocation, due.attempt + 1)
            )
            return
        self._finish(due)
