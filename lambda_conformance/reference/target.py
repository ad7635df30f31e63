"""ReferenceTarget: the reference server, its warm workers and event queue, as one object."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from types import TracebackType

from lambda_conformance import __version__
from lambda_conformance.reference.async_queue import EventQueue
from lambda_conformance.reference.control import ControlPlane
from lambda_conformance.reference.functions import (
    INTROSPECT_ALIAS,
    INTROSPECT_VERSION,
    ConcurrencyLimits,
    fixture_functions,
)
from lambda_conformance.reference.invoke import InvokeService, payload_limit
from lambda_conformance.reference.mutants import Mutant, Switches, mutant_named
from lambda_conformance.reference.runtime import Runtime
from lambda_conformance.reference.server import ReferenceHTTPServer, Router
from lambda_conformance.reference.stream import OPERATION as STREAM_OPERATION
from lambda_conformance.reference.stream import StreamService
from lambda_conformance.spec import Spec, load_spec

# How the reference names itself in its announcement (lambda_conformance/provisioning/
# announced.py accepts an announcement only from this implementation).
IMPLEMENTATION = "lambda-conformance reference"
# Bodies kept in memory up to this size when a mutant accepts oversized payloads.
_OVERSIZED_KEEP = 16 * 1024 * 1024


class ReferenceTarget:
    """A real HTTP server on 127.0.0.1 that implements Invoke as spec/invoke.yaml says under
    `profile`, hosting the seven fixture roles as `conformance-<role>`; `mutant` (a name or a
    `Mutant`) makes it deviate in exactly one way.

    `reserved_concurrency` maps function names (or roles) to their reserved concurrency;
    `timeouts` maps roles to function timeouts in seconds (sleep: 3, others: 10).
    """

    def __init__(
        self,
        profile: str = "aws",
        mutant: str | Mutant | None = None,
        region: str = "us-east-1",
        account_id: str = "000000000000",
        async_retry_delays: tuple[float, ...] = (0.2, 0.4),
        reserved_concurrency: dict[str, int] | None = None,
        port: int = 0,
        timeouts: Mapping[str, float] | None = None,
        max_workers_per_function: int = 16,
    ) -> None:
        self.spec: Spec = load_spec(profile)
        self.profile = profile
        self.mutant: Mutant | None = (
            mutant if isinstance(mutant, Mutant) or mutant is None else mutant_named(mutant)
        )
        self.region = region
        self.account_id = account_id
        self.introspect_version = INTROSPECT_VERSION
        self.introspect_alias = INTROSPECT_ALIAS
        self._config = fixture_functions(timeouts)
        self.functions: dict[str, str] = {f.role: f.name for f in self._config.values()}
        self._async_retry_delays = tuple(async_retry_delays)
        # Keys may be function names or fixture roles.
        self._reserved = {
            self.functions.get(key, key): value
            for key, value in (reserved_concurrency or {}).items()
        }
        self._port = port
        self._max_workers = max_workers_per_function
        self._server: ReferenceHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._runtime: Runtime | None = None
        self._events: EventQueue | None = None
        self.concurrency = ConcurrencyLimits(self._reserved)

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> ReferenceTarget:
        if self._server is not None:
            return self
        switches = Switches(self.mutant)
        spec = self.spec
        attempts = spec.limits.async_attempts
        if switches.on("event-no-retries"):
            attempts = 1
        elif switches.on("event-retried-5"):
            attempts = 5
        runtime = Runtime(spec, self._config, self.region, self.account_id, self._max_workers)
        self._runtime = runtime
        try:
            runtime.prewarm()
            events = EventQueue(runtime, self.concurrency, attempts, self._async_retry_delays)
            self._events = events
            invoke = InvokeService(
                spec,
                self._config,
                runtime,
                events,
                self.concurrency,
                switches,
                self.region,
                self.account_id,
            )
            control = ControlPlane(
                spec, self._config, self.concurrency, self.region, self.account_id
            )
            keep = max(payload_limit(spec, "Event"), payload_limit(spec, "RequestResponse")) + 1
            if switches.on("oversized-payload-accepted"):
                keep = _OVERSIZED_KEEP
            stream: StreamService | None = None
            if STREAM_OPERATION in spec.operation_keys:
                # Its own InvokeService on the operation's spec; Invoke's mutants stay off
                # there, so that each mutant deviates on one operation only.
                stream_spec = spec.for_operation(STREAM_OPERATION)
                stream_switches = (
                    switches
                    if self.mutant is not None and self.mutant.name.startswith("stream-")
                    else Switches(None)
                )
                inner = InvokeService(
                    stream_spec,
                    self._config,
                    runtime,
                    events,
                    self.concurrency,
                    Switches(None),
                    self.region,
                    self.account_id,
                )
                stream = StreamService(stream_spec, inner, stream_switches)
            router = Router(
                spec, invoke, control, switches, keep, self.announcement(), stream=stream
            )
            self._server = ReferenceHTTPServer(self._port, router)
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="reference-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def announcement(self) -> bytes:
        """What the reference says about itself at ANNOUNCE_PATH: who it is, and its fixture
        functions as a manifest (fixtures/manifests/*.yaml's fields). The mutant is not said:
        the self-test judges a mutant without being told which it is."""
        manifest = {
            "region": self.region,
            "account_id": self.account_id,
            "functions": dict(self.functions),
            "introspect_version": self.introspect_version,
            "introspect_alias": self.introspect_alias,
            "callback_host": "127.0.0.1",
            "supports_concurrency_control": True,
        }
        body = {
            "implementation": IMPLEMENTATION,
            "version": __version__,
            "profile": self.profile,
            "manifest": manifest,
        }
        return json.dumps(body, indent=2).encode("utf-8")

    def stop(self) -> None:
        """Stop serving, stop the event queue, and kill and reap every worker process."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._events is not None:
            self._events.stop()
            self._events = None
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None

    def __enter__(self) -> ReferenceTarget:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what a suite or test needs to know --------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the reference target is not running")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> dict[str, list[int]]:
        """Role -> pids of its live worker processes (for tests of reuse and cleanup)."""
        if self._runtime is None:
            return {}
        by_name = self._runtime.worker_pids()
        return {role: by_name[name] for role, name in self.functions.items()}

    def workers_spawned(self) -> dict[str, int]:
        """Role -> how many worker processes were started for it so far."""
        if self._runtime is None:
            return {}
        return {role: self._runtime.pools[name].spawned for role, name in self.functions.items()}

    def event_attempts_run(self) -> int:
        """How many executions the Event queue has run so far (retries included)."""
        return self._events.attempts_run if self._events is not None else 0

    def wait_for_events(self, timeout: float = 10.0) -> bool:
        """Wait until every queued Event invocation (and its retries) has run."""
        return self._events.wait_idle(timeout) if self._events is not None else True

    def __repr__(self) -> str:
        state = self.url if self._server is not None else "stopped"
        mutant = self.mutant.name if self.mutant else None
        return f"ReferenceTarget(profile={self.profile!r}, mutant={mutant!r}, {state})"
