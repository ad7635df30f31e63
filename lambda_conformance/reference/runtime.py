"""Running one invocation on a warm worker and turning what happened into a result."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from lambda_conformance.reference.functions import FunctionConfig
from lambda_conformance.reference.logs import execution_log
from lambda_conformance.reference.workers import WorkerPool
from lambda_conformance.spec import Spec

ExecutionKind = Literal["result", "error", "timeout", "exit", "too_large"]

# Used where the spec's profile names no error type (documented: timeout_error_type and
# response_too_large_error_type are null); these are what AWS reports (GT-040, GT-043).
_TIMEOUT_TYPE = "Sandbox.Timedout"
_TOO_LARGE_TYPE = "Function.ResponseSizeTooLarge"
_EXIT_TYPE = "Runtime.ExitError"


@dataclass(frozen=True, slots=True)
class Invocation:
    """One execution to run: which function and version, as which ARN, with what input."""

    function: FunctionConfig
    version: str
    invoked_arn: str
    request_id: str
    payload: bytes
    client_context: dict[str, Any] | None = None
    # What the function's context says, where a mutant makes it differ from what ran.
    context_version: str | None = None
    context_request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Execution:
    """The outcome: the body to answer and the full log (START … REPORT) of the run."""

    kind: ExecutionKind
    body: bytes
    log: bytes

    @property
    def failed(self) -> bool:
        return self.kind != "result"


class Runtime:
    """Warm worker pools, one per function, and the rules that shape an execution's result."""

    def __init__(
        self,
        spec: Spec,
        functions: Mapping[str, FunctionConfig],
        region: str,
        account_id: str,
        max_workers_per_function: int = 16,
    ) -> None:
        self._spec = spec
        # Keep the tail an untrimmed-log mutant may want too: up to a full response's worth.
        tail_bytes = max(spec.limits.log_tail_bytes, 1 << 20)
        self.pools: dict[str, WorkerPool] = {}
        for function in functions.values():
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "LANG": "C.UTF-8",
                "TZ": ":UTC",
                "AWS_REGION": region,
                "AWS_DEFAULT_REGION": region,
                "AWS_LAMBDA_FUNCTION_NAME": function.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
                "AWS_ACCOUNT_ID": account_id,
            }
            self.pools[function.name] = WorkerPool(
                function.handler_path, env, tail_bytes, max_size=max_workers_per_function
            )

    def prewarm(self) -> None:
        for pool in self.pools.values():
            pool.prewarm()

    def execute(self, invocation: Invocation) -> Execution:
        function = invocation.function
        pool = self.pools[function.name]
        meta: dict[str, object] = {
            "function_name": function.name,
            "function_version": invocation.context_version or invocation.version,
            "invoked_function_arn": invocation.invoked_arn,
            "request_id": invocation.context_request_id or invocation.request_id,
            "memory_mb": function.memory_mb,
            "client_context": invocation.client_context,
        }
        worker = pool.acquire()
        try:
            outcome = worker.invoke(meta, invocation.payload, function.timeout_s)
        finally:
            pool.release(worker)
        request_id = invocation.request_id
        output = outcome.output_tail
        kind: ExecutionKind = outcome.kind
        body = outcome.body
        conventions = self._spec.conventions
        if kind == "timeout":
            message = f"Task timed out after {function.timeout_s:.2f} seconds"
            output += f"{request_id} {message}\n".encode()
            body = _error_object(
                conventions.timeout_error_type or _TIMEOUT_TYPE,
                f"RequestId: {request_id} Error: {message}",
            )
        elif kind == "exit":
            # GT-041: a runtime that exits without answering.
            body = _error_object(
                _EXIT_TYPE,
                f"RequestId: {request_id} Error: Runtime exited without providing a reason",
            )
        elif kind == "result" and len(body) > self._spec.limits.response_payload_max_bytes:
            # GT-043: an oversized result is a function error; the worker stays usable.
            limit = self._spec.limits.response_payload_max_bytes
            kind = "too_large"
            body = json.dumps(
                {
                    "errorMessage": "Response payload size exceeded maximum allowed payload size "
                    f"({limit} bytes).",
                    "errorType": conventions.response_too_large_error_type or _TOO_LARGE_TYPE,
                }
            ).encode()
        log = execution_log(
            request_id,
            invocation.version,
            output,
            outcome.duration_ms,
            function.memory_mb,
            outcome.max_memory_mb,
        )
        return Execution(kind, body, log)

    def worker_pids(self) -> dict[str, list[int]]:
        return {name: pool.pids() for name, pool in self.pools.items()}

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()


def _error_object(error_type: str, message: str) -> bytes:
    # GT-040 key order: errorType first for runtime-generated errors.
    return json.dumps({"errorType": error_type, "errorMessage": message}).encode()
