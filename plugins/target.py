"""Target plugin: which endpoint is judged, with which fixtures, and how to reach it.

The controller (or the single process) prepares the target once: it starts the embedded
reference target, provisions fixture functions or loads a manifest. xdist workers get
the result through `workerinput` and never start or provision anything themselves, so
there is one target and one set of fixtures per run, and cleanup happens once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import random
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from lambda_conformance.generation.world import World
from lambda_conformance.spec import PROFILES, Spec, SpecError, load_spec
from lambda_conformance.transport import (
    Client,
    HttpRequest,
    TransportConfig,
    TransportConfigError,
    is_loopback,
)
from plugins import options, selection

RUN_KEY = pytest.StashKey["Run"]()
WORKER_INPUT = "lc_run"


@dataclass
class TargetInfo:
    """What workers need to reach the same target: plain data, JSON-serialisable."""

    base_url: str
    label: str
    embedded: bool
    world: dict[str, Any]
    seed: int
    concurrency_control: bool
    # When the run started (time.time()): --max-time counts from here, in every worker.
    started: float = field(default_factory=time.time)


@dataclass
class Run:
    spec: Spec
    info: TargetInfo
    world: World
    cleanups: list[Any] = field(default_factory=list)


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def world_from_dict(data: dict[str, Any]) -> World:
    return World(
        region=data["region"],
        account=data["account"],
        functions=dict(data["functions"]),
        versions={k: frozenset(v) for k, v in data["versions"].items()},
        aliases={k: dict(v) for k, v in data["aliases"].items()},
        callback_host=data["callback_host"],
        concurrency_control=data["concurrency_control"],
    )


def world_to_dict(world: World) -> dict[str, Any]:
    data = asdict(world)
    data["versions"] = {k: sorted(v) for k, v in world.versions.items()}
    return data


def _world_from_manifest(manifest: Any, concurrency_control: bool) -> World:
    introspect = manifest.functions.get("introspect")
    versions: dict[str, frozenset[str]] = {}
    aliases: dict[str, dict[str, str]] = {}
    if introspect:
        versions[introspect] = frozenset({manifest.introspect_version})
        aliases[introspect] = {manifest.introspect_alias: manifest.introspect_version}
    return World(
        region=manifest.region,
        account=manifest.account_id,
        functions=dict(manifest.functions),
        versions=versions,
        aliases=aliases,
        callback_host=manifest.callback_host,
        concurrency_control=concurrency_control,
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if is_worker(config):
        data = config.workerinput.get(WORKER_INPUT)  # type: ignore[attr-defined]
        if data is None:
            return
        selection.follow_controller(config)
        info = TargetInfo(**json.loads(data))
        config.option.hypothesis_seed = info.seed
        spec = _spec(config)
        config.stash[RUN_KEY] = Run(spec, info, world_from_dict(info.world))
        return
    if not selection.conformance_run(config):
        return
    # Every option's type is checked now, not when a fixture first reads it: a bad
    # value is a usage error (exit 4) before anything starts, not a failed test.
    options.snapshot(config)
    started = time.time()
    spec = _spec(config)
    seed = config.getoption("hypothesis_seed", None)
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
        config.option.hypothesis_seed = seed
    run = _prepare(config, spec, int(seed))
    run.info.started = started  # provisioning counts against --max-time too
    config.stash[RUN_KEY] = run
    for cleanup in reversed(run.cleanups):
        config.add_cleanup(cleanup)
    transport_config(config, run)  # the same for the values (a negative timeout, rate)
    # SIGTERM (CI cancelling a job) takes the same road as Ctrl-C: the session ends
    # as interrupted, a partial record is written, provisioned functions are deleted.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


TERMINATED: list[int] = []


def _terminate(signum: int, frame: Any) -> None:
    # Remembered apart from the exception: raised inside pytest's own reporting code the
    # KeyboardInterrupt may surface as an internal error rather than an interruption.
    TERMINATED.append(signum)
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure_node(node: Any) -> None:
    run = node.config.stash.get(RUN_KEY, None)
    if run is not None:
        node.workerinput[WORKER_INPUT] = json.dumps(asdict(run.info))


def _spec(config: pytest.Config) -> Spec:
    profile = options.get(config, "profile")
    if profile not in PROFILES:
        raise pytest.UsageError(
            f"--profile: expected one of {', '.join(PROFILES)}, got {profile!r}"
        )
    try:
        spec = load_spec(profile)
    except SpecError as exc:
        raise pytest.UsageError(str(exc)) from None
    selected = options.get(config, "operations")
    if not selected:
        return spec
    try:
        return spec.selecting(k.strip() for k in str(selected).split(",") if k.strip())
    except ValueError as exc:
        raise pytest.UsageError(f"--{exc}") from None


def _prepare(config: pytest.Config, spec: Spec, seed: int) -> Run:
    url = options.get(config, "target_url")
    manifest_path = options.get(config, "fixtures_manifest")
    provision = options.get(config, "provision")
    region = options.get(config, "region")
    mutant = options.get(config, "reference_mutant")
    if manifest_path and provision:
        raise pytest.UsageError(
            "--fixtures-manifest and --provision exclude each other: "
            "use existing functions or create them, not both"
        )
    cleanups: list[Any] = []
    if url is None:
        if manifest_path or provision:
            raise pytest.UsageError(
                "--fixtures-manifest/--provision need --target-url; "
                "the embedded reference target hosts its own fixtures"
            )
        from lambda_conformance.reference import ReferenceTarget

        account = options.get(config, "account_id") or "000000000000"
        target = ReferenceTarget(
            profile=spec.profile, mutant=mutant, region=region, account_id=account
        )
        target.start()
        cleanups.append(target.stop)
        introspect = target.functions["introspect"]
        world = World(
            region=target.region,
            account=target.account_id,
            functions=dict(target.functions),
            versions={introspect: frozenset({target.introspect_version})},
            aliases={introspect: {target.introspect_alias: target.introspect_version}},
            concurrency_control=True,
        )
        label = f"embedded reference ({spec.profile}{', mutant ' + mutant if mutant else ''})"
        info = TargetInfo(target.url, label, True, world_to_dict(world), seed, True)
        return Run(spec, info, world, cleanups)
    if mutant:
        raise pytest.UsageError("--reference-mutant applies to the embedded reference only")
    if not is_loopback(url):
        # Said before anything is sent, so that a wrong URL can be stopped in time.
        sys.stderr.write(
            f"lambda-conformance: WARNING: {url} is not on this machine. The suite will send "
            f"SigV4-signed Invoke requests there (payloads up to 6 MiB, about a thousand "
            f"requests under the default profile)"
            + ("; it will also CREATE and DELETE functions (--provision)" if provision else "")
            + ". Use --max-requests and --rate on shared or paid endpoints.\n"
        )
    if provision:
        from lambda_conformance.provisioning import Provisioner, ProvisioningError

        provisioner = Provisioner(
            url,
            region,
            account_id=options.get(config, "account_id"),
            role_arn=options.get(config, "execution_role_arn"),
        )
        cleanups.append(provisioner.delete)
        try:
            manifest = provisioner.create()
        except ProvisioningError as exc:
            provisioner.delete()
            raise pytest.UsageError(f"--provision: {exc}") from None
        world = _world_from_manifest(manifest, concurrency_control=True)
    elif manifest_path:
        from lambda_conformance.provisioning import ManifestError, load_manifest

        try:
            manifest = load_manifest(manifest_path)
        except ManifestError as exc:
            raise pytest.UsageError(str(exc)) from None
        account = options.get(config, "account_id")
        if account and account != manifest.account_id:
            raise pytest.UsageError(
                f"--account-id {account} differs from the manifest's "
                f"account_id {manifest.account_id}"
            )
        world = _world_from_manifest(manifest, manifest.supports_concurrency_control)
    else:
        manifest = _announced_manifest(config, url)
        world = _world_from_manifest(manifest, manifest.supports_concurrency_control)
    info = TargetInfo(url, url, False, world_to_dict(world), seed, world.concurrency_control)
    return Run(spec, info, world, cleanups)


def _announced_manifest(config: pytest.Config, url: str) -> Any:
    """The fixtures of the reference target when `url` is one (it announces them);
    otherwise the usage error every other target gets without a manifest or --provision."""
    from lambda_conformance.provisioning.announced import NotAnnounced, announced_manifest

    try:
        manifest = announced_manifest(url, options.get(config, "request_timeout"))
    except NotAnnounced as exc:
        raise pytest.UsageError(
            "--target-url needs fixture functions: give "
            f"--fixtures-manifest FILE (existing functions) or --provision ({exc})"
        ) from None
    sys.stderr.write(
        f"lambda-conformance: {url} is the lambda-conformance reference target; "
        "using the fixture functions it announces\n"
    )
    return manifest


def transport_config(config: pytest.Config, run: Run) -> TransportConfig:
    try:
        return TransportConfig(
            base_url=run.info.base_url,
            region=run.world.region,
            request_timeout=options.get(config, "request_timeout"),
            max_requests=options.get(config, "max_requests"),
            rate=options.get(config, "rate"),
            max_timeouts=options.get(config, "max_timeouts"),
            max_time=options.get(config, "max_time"),
            run_started=run.info.started,
        )
    except TransportConfigError as exc:
        field = str(exc).split(":", 1)[0]
        where = f"{options.source(config, field)}: " if field in options.NAMES else ""
        raise pytest.UsageError(f"{where}{exc}") from None


class ControlPlane:
    """The target's Lambda control plane, for the concurrency checks (boto3).

    boto3 builds and signs each call; the suite's transport sends it (botocore's
    `before-send` event), so a control-plane call has the same hard deadline, body cap,
    redaction, budget and stop rules as an Invoke. botocore's own HTTP client bounds
    each socket read, not the exchange (a drip never ends), and reads a body whole.
    """

    def __init__(self, client: Client) -> None:
        import boto3
        from botocore.config import Config as BotoConfig

        config = client.config
        frozen = client.credentials.get_frozen_credentials()
        self._transport = client
        self._client = boto3.client(
            "lambda",
            endpoint_url=config.base_url,
            region_name=config.region,
            aws_access_key_id=frozen.access_key,
            aws_secret_access_key=frozen.secret_key,
            aws_session_token=frozen.token,
            config=BotoConfig(
                connect_timeout=config.connect_timeout,
                read_timeout=config.request_timeout,
                retries={"max_attempts": 1},
            ),
        )
        self._client.meta.events.register("before-send.lambda", self._send)

    def _send(self, request: Any, **_: Any) -> Any:
        """Send botocore's signed request through the transport; its answer for botocore."""
        from botocore.awsrequest import AWSResponse

        from lambda_conformance.checks.harness import RunStopped

        parts = urlsplit(request.url)
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = tuple(
            (str(k), v.decode("latin-1") if isinstance(v, bytes) else str(v))
            for k, v in request.headers.items()
        )
        http_request = HttpRequest(
            request.method,
            parts.path or "/",
            tuple(parse_qsl(parts.query, keep_blank_values=True)),
            headers,
            body or b"",
        )
        exchange = self._transport.send(http_request, sign_request=False)
        problem = exchange.problem
        if problem is not None and problem.kind == "stopped":
            raise RunStopped(problem.message)
        if exchange.response is None or problem is not None:
            # No requirement speaks for the control plane: the test's precondition
            # failed, and what it would judge is untested with the reason (a skip is a
            # BaseException: botocore's `except Exception` around the send lets it by).
            what = str(problem) if problem is not None else "no response"
            pytest.skip(f"the control plane gave no usable answer to {request.method} "
                        f"{parts.path} ({what})")
        response = exchange.response
        return AWSResponse(request.url, response.status, dict(response.headers),
                           _Body(response.body))

    @contextmanager
    def reserved_concurrency(self, function_name: str, value: int) -> Iterator[None]:
        """The function's reserved concurrency set to `value` for the block, then deleted.

        Held under a lock per endpoint and function, across xdist workers (processes of
        one machine): a test that deletes the reservation must not end another test's
        block on the same function in the middle of it.
        """
        with _machine_lock(f"{self._client.meta.endpoint_url} {function_name}"):
            self._client.put_function_concurrency(
                FunctionName=function_name, ReservedConcurrentExecutions=value
            )
            try:
                yield
            finally:
                self._client.delete_function_concurrency(FunctionName=function_name)


@contextmanager
def _machine_lock(key: str) -> Iterator[None]:
    """An exclusive lock shared by every process of this machine, named by `key`."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"lambda-conformance-{digest}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Body:
    """A response body as botocore reads it (`raw.stream()`), already read and capped."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body
