"""Worker process: keeps one fixture handler warm and runs its invocations one at a time.

Started by `workers.Worker` as `python -I -B worker_main.py <handler.py> <result-fd>`; it
imports nothing from this project, so it starts fast. Requests arrive on stdin; results
leave on the dedicated result pipe, so whatever the handler prints (stdout and stderr,
both pointed at the worker's log file by the parent) never mixes with them.

Once the handler is imported the worker writes READY to the result pipe.
Request frame:  !II (meta length, payload length), meta JSON, payload JSON bytes.
Result frame:   !BII (kind, meta length, body length), meta JSON, body bytes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import signal
import struct
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REQUEST_HEADER = struct.Struct("!II")
RESULT_HEADER = struct.Struct("!BII")
KIND_RESULT = 0
KIND_ERROR = 1
READY = b"R"


class ClientContext:
    """The context's client_context: attributes client, custom and env, as the AWS runtime."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.client = data.get("client")
        self.custom = data.get("custom")
        self.env = data.get("env")


class LambdaContext:
    """The context object handed to a handler, with the attributes of the AWS Python runtime."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.function_name: str = meta["function_name"]
        self.function_version: str = meta["function_version"]
        self.invoked_function_arn: str = meta["invoked_function_arn"]
        self.aws_request_id: str = meta["request_id"]
        # The AWS runtime exposes the memory size as a string (from the environment).
        self.memory_limit_in_mb: str = str(meta["memory_mb"])
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = f"reference/[{self.function_version}]{os.getpid()}"
        self.identity: Any = None
        cc = meta.get("client_context")
        self.client_context = ClientContext(cc) if isinstance(cc, dict) else None
        self._deadline: float = float(meta["deadline"])

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _load_handler(path: Path) -> Callable[[Any, Any], Any]:
    # The handler's folder plays /var/task: first on sys.path, as in Lambda.
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    handler: Callable[[Any, Any], Any] = module.handler
    return handler


def _error_body(exc: BaseException, request_id: str) -> dict[str, Any]:
    # The AWS Python runtime's shape and key order (GT-037); the first frame is this
    # worker's call into the handler, which the runtime does not show either.
    frames = traceback.extract_tb(exc.__traceback__)[1:]
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(frames),
    }


def _run(
    handler: Callable[[Any, Any], Any], meta: dict[str, Any], payload: bytes
) -> tuple[int, bytes]:
    request_id = meta["request_id"]
    try:
        result = handler(json.loads(payload), LambdaContext(meta))
    except Exception as exc:
        body = _error_body(exc, request_id)
        # The runtime also logs the error, as `[ERROR] Type: message` and the traceback.
        print(
            f"[ERROR] {body['errorType']}: {body['errorMessage']}\n"
            "Traceback (most recent call last):\n" + "".join(body["stackTrace"]),
            end="",
        )
        return KIND_ERROR, json.dumps(body).encode()
    try:
        return KIND_RESULT, json.dumps(result).encode()
    except (TypeError, ValueError) as exc:
        body = {
            "errorMessage": f"Unable to marshal response: {exc}",
            "errorType": "Runtime.MarshalError",
            "requestId": request_id,
            "stackTrace": [],
        }
        return KIND_ERROR, json.dumps(body).encode()


def main(argv: list[str]) -> int:
    # The parent stops workers itself; a Ctrl-C at the terminal is for the server only.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    handler = _load_handler(Path(argv[1]))
    results = int(argv[2])
    requests = sys.stdin.fileno()
    # Init is done: tell the parent, whose timeout clock must not count our start-up.
    write_all(results, READY)
    while True:
        header = _read_exact(requests, REQUEST_HEADER.size)
        if header is None:
            return 0  # the parent closed the pipe: stop
        meta_size, payload_size = REQUEST_HEADER.unpack(header)
        meta_bytes = _read_exact(requests, meta_size)
        payload = _read_exact(requests, payload_size)
        if meta_bytes is None or payload is None:
            return 0
        meta = json.loads(meta_bytes)
        started = time.perf_counter()
        kind, body = _run(handler, meta, payload)
        duration_ms = (time.perf_counter() - started) * 1000
        sys.stdout.flush()
        sys.stderr.flush()
        max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        info = json.dumps({"duration_ms": duration_ms, "max_memory_mb": max_rss_mb}).encode()
        write_all(results, RESULT_HEADER.pack(kind, len(info), len(body)) + info + body)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
