"""Warm worker processes: one handler per process, reused, and a bounded pool per function."""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lambda_conformance.reference import worker_main

WORKER_MAIN = Path(worker_main.__file__).resolve()
_CHUNK = 1 << 20
# Lambda allows a function's init phase up to 10 seconds.
_INIT_TIMEOUT_S = 10.0

OutcomeKind = Literal["result", "error", "timeout", "exit"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one run of a handler produced, as the parent saw it."""

    kind: OutcomeKind
    body: bytes  # the result JSON, or the runtime's error object for kind "error"
    output_tail: bytes  # the last bytes the handler printed (stdout and stderr)
    duration_ms: float
    max_memory_mb: int


class Worker:
    """One warm process running one handler. Not thread-safe: a pool hands it to one caller."""

    def __init__(self, handler_path: Path, env: Mapping[str, str], tail_bytes: int) -> None:
        self._tail_bytes = tail_bytes
        # The handler's output goes to a private unlinked file opened O_APPEND, so the parent
        # can truncate it between invocations and the child keeps writing at its end.
        self._log = tempfile.TemporaryFile(prefix="lambda-reference-log-")
        log_fd = self._log.fileno()
        fcntl.fcntl(log_fd, fcntl.F_SETFL, fcntl.fcntl(log_fd, fcntl.F_GETFL) | os.O_APPEND)
        result_read, result_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-B",
                    str(WORKER_MAIN),
                    str(handler_path),
                    str(result_write),
                ],
                stdin=subprocess.PIPE,
                stdout=log_fd,
                stderr=log_fd,
                pass_fds=(result_write,),
                env=dict(env),
                close_fds=True,
            )
        except BaseException:
            os.close(result_read)
            self._log.close()
            raise
        finally:
            os.close(result_write)
        self._results = result_read
        self.pid = self.process.pid
        self.invocations = 0
        self.dead = False
        self._ready = False

    def invoke(self, meta: dict[str, object], payload: bytes, timeout_s: float) -> Outcome:
        """Run one invocation; on timeout or crash the worker is dead afterwards."""
        self.invocations += 1
        log_fd = self._log.fileno()
        if not self._ready:
            # A fresh worker's start-up is its init phase, not part of the invocation's timeout.
            if self._read_exact(len(worker_main.READY), time.monotonic() + _INIT_TIMEOUT_S) is None:
                return self._died("exit", time.monotonic())
            self._ready = True
        os.ftruncate(log_fd, 0)
        started = time.monotonic()
        meta_bytes = json.dumps({**meta, "deadline": time.time() + timeout_s}).encode()
        frame = (
            worker_main.REQUEST_HEADER.pack(len(meta_bytes), len(payload)) + meta_bytes + payload
        )
        stdin = self.process.stdin
        assert stdin is not None
        try:
            worker_main.write_all(stdin.fileno(), frame)
        except OSError:
            return self._died("exit", started)
        deadline = started + timeout_s
        header = self._read_exact(worker_main.RESULT_HEADER.size, deadline)
        if header is None:
            return self._died("timeout" if time.monotonic() >= deadline else "exit", started)
        kind, info_size, body_size = worker_main.RESULT_HEADER.unpack(header)
        # The result is on its way: a slow read of a big body is not the handler's timeout.
        info = self._read_exact(info_size, time.monotonic() + 30)
        body = self._read_exact(body_size, time.monotonic() + 30)
        if info is None or body is None:
            return self._died("exit", started)
        details = json.loads(info)
        return Outcome(
            kind="result" if kind == worker_main.KIND_RESULT else "error",
            body=body,
            output_tail=self._output_tail(),
            duration_ms=float(details["duration_ms"]),
            max_memory_mb=int(details["max_memory_mb"]),
        )

    def _died(self, kind: OutcomeKind, started: float) -> Outcome:
        self.kill()
        return Outcome(kind, b"", self._output_tail(), (time.monotonic() - started) * 1000, 0)

    def _read_exact(self, size: int, deadline: float) -> bytes | None:
        chunks: list[bytes] = []
        remaining = size
        poller = select.poll()
        poller.register(self._results, select.POLLIN)
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(max(1, int(left * 1000))):
                if time.monotonic() >= deadline:
                    return None
                continue
            chunk = os.read(self._results, min(remaining, _CHUNK))
            if not chunk:
                return None
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _output_tail(self) -> bytes:
        if self._log.closed:
            return b""
        log_fd = self._log.fileno()
        size = os.fstat(log_fd).st_size
        start = max(0, size - self._tail_bytes)
        return os.pread(log_fd, size - start, start)

    def terminate(self) -> None:
        """Kill and reap the process, leaving the pipes to the thread that may be using them."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
            pass

    def kill(self) -> None:
        """Stop the process now, reap it and close its pipes; idempotent."""
        if self.dead:
            return
        self.dead = True
        self.terminate()
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        os.close(self._results)

    def close_log(self) -> None:
        self._log.close()


class WorkerPool:
    """Warm workers for one function: reused between invocations, grown on demand up to
    `max_size` for concurrent calls; a caller beyond that waits for a free worker."""

    def __init__(
        self, handler_path: Path, env: Mapping[str, str], tail_bytes: int, max_size: int = 16
    ) -> None:
        self._handler_path = handler_path
        self._env = dict(env)
        self._tail_bytes = tail_bytes
        self._max_size = max_size
        self._cond = threading.Condition()
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._starting = 0
        self._closed = False
        self.spawned = 0

    def _spawn(self) -> Worker:
        worker = Worker(self._handler_path, self._env, self._tail_bytes)
        self.spawned += 1
        return worker

    def prewarm(self) -> None:
        """Start one worker ahead of the first invocation (its import runs meanwhile)."""
        with self._cond:
            if self._closed or self._all:
                return
            worker = self._spawn()
            self._all.add(worker)
            self._idle.append(worker)

    def acquire(self) -> Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError("worker pool is closed")
                if self._idle:
                    return self._idle.pop()
                if len(self._all) + self._starting < self._max_size:
                    self._starting += 1
                    break
                self._cond.wait()
        try:
            worker = self._spawn()
        finally:
            with self._cond:
                self._starting -= 1
        with self._cond:
            self._all.add(worker)
            if self._closed:
                self._all.discard(worker)
                worker.kill()
                worker.close_log()
                raise RuntimeError("worker pool is closed")
        return worker

    def release(self, worker: Worker) -> None:
        """Hand a worker back: reuse it if alive, else replace it with a fresh warm one."""
        with self._cond:
            if not worker.dead and not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._all.discard(worker)
        worker.kill()
        worker.close_log()
        with self._cond:
            if not self._closed and not self._idle and len(self._all) < self._max_size:
                # Keep the function warm after a timeout killed its worker (GT-040).
                fresh = self._spawn()
                self._all.add(fresh)
                self._idle.append(fresh)
            self._cond.notify()

    def pids(self) -> list[int]:
        with self._cond:
            return sorted(w.pid for w in self._all)

    def close(self) -> None:
        """Kill every worker, busy or idle, and reap them."""
        with self._cond:
            self._closed = True
            idle = list(self._idle)
            busy = [w for w in self._all if w not in idle]
            self._all.clear()
            self._idle.clear()
            self._cond.notify_all()
        for worker in idle:
            worker.kill()
            worker.close_log()
        # A busy worker's pipes belong to the thread invoking it: kill the process, and that
        # thread sees it exit, answers, and closes the pipes when it releases the worker.
        for worker in busy:
            worker.terminate()
