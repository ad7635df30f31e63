"""The client: sends signed requests, and never raises for anything the target does."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import requests
from requests.hooks import default_hooks
from requests.structures import CaseInsensitiveDict

from lambda_conformance import __version__
from lambda_conformance.transport import deadline as deadlines
from lambda_conformance.transport.body import BodyDecodeError, CappedBody
from lambda_conformance.transport.config import TransportConfig
from lambda_conformance.transport.exchange import (
    Exchange,
    Headers,
    HttpRequest,
    HttpResponse,
    TransportProblem,
    request_url,
)
from lambda_conformance.transport.problems import classify, iter_chain
from lambda_conformance.transport.redaction import Redactor
from lambda_conformance.transport.signing import resolve_credentials, sign

Observer = Callable[[Exchange], None]

USER_AGENT = f"lambda-conformance/{__version__}"
_READ_CHUNK = 64 * 1024
_SIGNATURE = re.compile(r"Signature=([0-9a-f]+)")
_MIB = 1024 * 1024
# What an exchange keeps of a body over the cap: enough to show what it was. Not the
# capped body: hypothesis keeps every failing example's exception, whose frames hold
# the exchange, so each kept 8 MiB body of a gzip bomb or an endless answer stayed
# in memory until the test ended (2.3 GB of RSS in one run without --max-requests).
TRUNCATED_BODY_KEPT = 64 * 1024


# A target that answered and then refuses this many connections in a row has stopped
# (crashed, killed): what the run has not reached yet is untested, not failed. One
# refusal is a verdict (INV-WIRE-007); a dead target is not a verdict on every rule.
GONE_AFTER_REFUSALS = 3


class Client:
    """One per run. Thread-safe: the callback listener and a test may send at once.

    `send` returns an `Exchange` for whatever the target does (timeouts, resets,
    garbage, oversized or endless bodies); it raises only for the suite's own
    mistakes (a request that cannot be signed) and for exceptions raised by an
    observer. `observers` run after every send, in the sending thread.
    """

    def __init__(self, config: TransportConfig) -> None:
        self.config = config
        self.observers: list[Observer] = []
        self._credentials = resolve_credentials(config)  # TransportConfigError when none
        frozen = self._credentials.get_frozen_credentials()
        self.redactor = Redactor((frozen.access_key, frozen.secret_key, frozen.token))
        self.uses_session_token = bool(frozen.token)
        self._lock = threading.Lock()
        self._sent = 0
        self._answered = False
        self._refused_in_a_row = 0
        self._timeouts_in_a_row = 0
        self._last_answer: tuple[int, str, int, int] | None = None
        # Complete answers in a row identical to the one before (status, error type, body).
        self.answers_alike = 0
        # The run's deadline (--max-time) on this process's monotonic clock.
        self._stop_at: float | None = None
        if config.max_time is not None:
            started = config.run_started if config.run_started is not None else time.time()
            self._stop_at = time.monotonic() + (started + config.max_time - time.time())
        # Why nothing more is sent, once the target has stopped accepting connections.
        self.target_gone: str | None = None
        self._next_slot = 0.0
        self._watchdog = deadlines.Watchdog()
        self._session = self._new_session()

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        # Proxies would bypass the guarded connection pool (and its deadline), and a
        # proxy in the environment should not change what a conformance run observes.
        session.trust_env = False
        # What goes on the wire is exactly the request's headers plus the signature.
        session.headers = CaseInsensitiveDict()
        # A Set-Cookie from the target must not leak into later requests.
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        adapter = deadlines.GuardedHTTPAdapter(
            pool_connections=2, pool_maxsize=self.config.pool_size, max_retries=0
        )
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    @property
    def stop_reason(self) -> str | None:
        """Why this client sends nothing more (the run then ends incomplete), or None."""
        if self.target_gone is not None:
            return self.target_gone
        limit = self.config.max_requests
        if limit is not None and self._sent >= limit:
            return "request budget (--max-requests) used up"
        if self._stop_at is not None and time.monotonic() >= self._stop_at:
            return f"the run's time limit (--max-time {self.config.max_time:g} s) was reached"
        return None

    def time_left(self) -> float | None:
        """Seconds until the run's time limit (--max-time), or None without one."""
        if self._stop_at is None:
            return None
        return max(0.0, self._stop_at - time.monotonic())

    @property
    def credentials(self) -> Any:
        """The run's botocore credentials (for a boto3 client sending through `send`)."""
        return self._credentials

    @property
    def requests_sent(self) -> int:
        """Exchanges put on the wire (not counting those refused by the budget)."""
        return self._sent

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, request: HttpRequest, *, sign_request: bool = True) -> Exchange:
        """Sign and send `request`; the outcome, whatever it is, as an `Exchange`."""
        url = request_url(self.config.base_url, request)
        if self.stop_reason is None and self._take_budget():
            prepared = self._prepare(request, url, sign_request)
            # Paced right before the wire, after signing, whose cost varies: the target
            # sees the spacing --rate promises.
            self._wait_for_rate()
            start = time.monotonic()
            response, problem = self._exchange(prepared)
            # A target may echo the request's credentials back (in a body, a header, a
            # garbled status line): the exchange, and so every report, never holds
            # them, nor this request's signature (replayable for minutes).
            redactor = self.redactor.extended(_SIGNATURE.findall(
                str(prepared.headers.get("Authorization", ""))))
            response, problem = _redacted(response, problem, redactor)
            exchange = Exchange(request, response, problem, time.monotonic() - start, url)
            self._note_liveness(exchange)
        else:
            reason = self.stop_reason
            assert reason is not None
            exchange = Exchange(request, None, TransportProblem("stopped", reason), 0.0, url)
        for observer in list(self.observers):
            observer(exchange)
        return exchange

    def _note_liveness(self, exchange: Exchange) -> None:
        problem = exchange.problem
        with self._lock:
            # A target that hangs or drips bytes costs a full deadline per request, and
            # a run sends hundreds: after `max_timeouts` in a row it is as good as gone.
            # Any other outcome (even garbage) shows it is still there.
            if problem is not None and problem.kind == "timeout":
                self._timeouts_in_a_row += 1
                limit = self.config.max_timeouts
                if limit and self._timeouts_in_a_row >= limit and self.target_gone is None:
                    self.target_gone = (
                        f"the target sent no complete response within the request timeout "
                        f"({self.config.request_timeout:g} s) to {self._timeouts_in_a_row} "
                        "requests in a row (--max-timeouts)"
                    )
            else:
                self._timeouts_in_a_row = 0
            response = exchange.response
            if response is not None and problem is None:
                answer = (response.status, response.headers.get("x-amzn-errortype", ""),
                          len(response.body), hash(response.body))
                same = answer == self._last_answer
                self.answers_alike = self.answers_alike + 1 if same else 0
                self._last_answer = answer
            else:
                self.answers_alike, self._last_answer = 0, None
            if exchange.response is not None:
                self._answered = True
                self._refused_in_a_row = 0
            elif problem is not None and "connection refused" in problem.message:
                self._refused_in_a_row += 1
                if self._answered and self._refused_in_a_row >= GONE_AFTER_REFUSALS:
                    self.target_gone = (
                        f"the target stopped accepting connections ({self._refused_in_a_row} "
                        "refused in a row after it had answered)"
                    )

    def _take_budget(self) -> bool:
        with self._lock:
            limit = self.config.max_requests
            if limit is not None and self._sent >= limit:
                return False
            self._sent += 1
            return True

    def _wait_for_rate(self) -> None:
        if self.config.rate is None:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / self.config.rate
        if slot > now:
            time.sleep(slot - now)

    def _prepare(self, request: HttpRequest, url: str, sign_request: bool) -> Any:
        headers = list(request.headers)
        if request.header("user-agent") is None:
            headers.append(("User-Agent", USER_AGENT))
        wire: tuple[tuple[str, str], ...] = tuple(headers)
        if sign_request:
            frozen = self._credentials.get_frozen_credentials()
            # A refreshed session's new keys must be redacted like the first ones.
            self.redactor.add((frozen.access_key, frozen.secret_key, frozen.token))
            wire = sign(frozen, self.config.region, request.method, url, wire, request.body)
        merged: CaseInsensitiveDict[str] = CaseInsensitiveDict()
        for name, value in wire:
            merged[name] = f"{merged[name]},{value}" if name in merged else value
        # Added after signing, as botocore does; http.client would otherwise send a
        # POST with no body without any Content-Length at all.
        if request.body or request.method in ("POST", "PUT", "PATCH"):
            merged.setdefault("Content-Length", str(len(request.body)))
        prepared = requests.PreparedRequest()
        prepared.method = request.method
        # Set directly, not through prepare_url: requests would re-quote the path,
        # and the path on the wire must be the one that was signed.
        prepared.url = url
        prepared.headers = merged
        prepared.body = request.body if "Content-Length" in merged else None
        prepared.hooks = default_hooks()
        return prepared

    def _exchange(
        self, prepared: requests.PreparedRequest
    ) -> tuple[HttpResponse | None, TransportProblem | None]:
        timeout = self.config.request_timeout
        deadline = self._watchdog.arm(timeout)
        token = deadlines.activate(deadline)
        try:
            result = self._attempt(prepared, deadline)
            if (
                result[0] is None
                and result[1] is not None
                and result[1].kind == "connection"
                and deadline.reused_connection
                and not deadline.expired
            ):
                # The pooled keep-alive connection had been closed by the target
                # between requests (allowed, RFC 9112 §9.6) and the close raced our
                # request: one more try on a new connection, as any client would.
                result = self._attempt(prepared, deadline)
            return result
        finally:
            deadlines.deactivate(token)
            deadline.finish()

    def _attempt(
        self, prepared: requests.PreparedRequest, deadline: deadlines.Deadline
    ) -> tuple[HttpResponse | None, TransportProblem | None]:
        connect = min(self.config.connect_timeout, deadline.remaining())
        try:
            response = self._session.send(
                prepared,
                stream=True,
                allow_redirects=False,
                timeout=(max(connect, 0.001), max(deadline.remaining(), 0.001)),
                verify=self.config.verify_tls,
                proxies={},
            )
        except Exception as exc:
            return None, classify(
                exc,
                phase="request",
                deadline_seconds=deadline.seconds,
                deadline_expired=deadline.expired,
                connect_seconds=connect,
            )
        raw = response.raw
        pairs = tuple((str(k), str(v)) for k, v in raw.headers.items())
        headers = Headers(pairs)
        body = CappedBody(self.config.max_body_bytes, headers.get("content-encoding"))
        problem: TransportProblem | None = None
        try:
            while True:
                chunk = raw.read(_READ_CHUNK, decode_content=False)
                if not chunk or not body.feed(chunk):
                    break
            if deadline.expired:
                # A body delimited by the connection closing (no Content-Length, not
                # chunked) ends "normally" when the watchdog shuts the socket.
                raise TimeoutError("deadline passed while reading the body")
            body.finish()
        except Exception as exc:
            _keep_partial(body, exc)
            chunked = "chunked" in headers.get("transfer-encoding", "").lower()
            problem = classify(
                exc,
                phase="body",
                deadline_seconds=deadline.seconds,
                deadline_expired=deadline.expired,
                connect_seconds=connect,
                chunked=chunked,
            )
        finally:
            # After a complete read urllib3 has already returned the connection to
            # the pool, so this is a no-op; after a cut-short read it closes the
            # connection instead of reusing one with unread bytes on it.
            response.close()
        if problem is None and body.truncated:
            problem = TransportProblem(
                "too_large", f"body larger than {_size(self.config.max_body_bytes)} cap"
            )
        return (
            HttpResponse(
                status=response.status_code,
                headers=headers,
                body=body.head(TRUNCATED_BODY_KEPT) if body.truncated else body.body,
                reason=str(response.reason or ""),
                body_truncated=body.truncated,
                body_length_seen=body.length_seen,
            ),
            problem,
        )


def _redacted(
    response: HttpResponse | None, problem: TransportProblem | None, redactor: Redactor
) -> tuple[HttpResponse | None, TransportProblem | None]:
    if problem is not None:
        problem = replace(problem, message=redactor.redact(problem.message))
    if response is not None:
        pairs = tuple((name, redactor.redact(value)) for name, value in response.headers.pairs)
        response = replace(response, headers=Headers(pairs), body=redactor.redact_bytes(
            response.body), reason=redactor.redact(response.reason))
    return response, problem


def _keep_partial(body: CappedBody, exc: BaseException) -> None:
    """Keep the bytes http.client had read when a chunked body broke off: they are
    part of what the target sent (urllib3 reports only a count for other bodies)."""
    for nested in iter_chain(exc):
        partial = getattr(nested, "partial", None)
        if isinstance(nested, http.client.IncompleteRead) and isinstance(partial, bytes):
            try:
                body.feed(partial)
            except BodyDecodeError:
                pass
            return


def _size(n: int) -> str:
    if n % _MIB == 0:
        return f"{n // _MIB} MiB"
    if n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"
