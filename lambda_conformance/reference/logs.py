"""Execution logs: the START/END/REPORT frame around a handler's output, and its tail."""

from __future__ import annotations

import math


def execution_log(
    request_id: str,
    version: str,
    output: bytes,
    duration_ms: float,
    memory_mb: int,
    max_memory_mb: int,
) -> bytes:
    """The log of one invocation in the AWS runtime's shape (GT-025).

    `output` may already be only the end of what the handler printed: the caller keeps no
    more than the tail it can return.
    """
    billed = max(1, math.ceil(duration_ms))
    return b"".join(
        (
            f"START RequestId: {request_id} Version: {version}\n".encode(),
            output,
            f"END RequestId: {request_id}\n".encode(),
            (
                f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\t"
                f"Billed Duration: {billed} ms\tMemory Size: {memory_mb} MB\t"
                f"Max Memory Used: {max_memory_mb} MB\t\n"
            ).encode(),
        )
    )


def tail(log: bytes, limit: int) -> bytes:
    """The last `limit` bytes of `log` ("the last 4 KB of the execution log")."""
    return log[-limit:] if len(log) > limit else log
