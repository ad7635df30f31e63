"""Recording plugin: requirement markers, the per-process tally, and its merge under xdist.

Workers never write the record: each sends its tally to the controller through
`workeroutput` when it finishes, and the controller merges them (pytest-xdist's
documented channel), so `-n 2` yields the same record as one process.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import hypothesis
import pytest

from lambda_conformance.checks.beacon import BeaconListener
from lambda_conformance.checks.failure import ConformanceError
from lambda_conformance.checks.harness import (
    Harness,
    RunStopped,
    UndeterminedCase,
    with_test,
)
from lambda_conformance.generation.strategies import Strategies
from lambda_conformance.results.tally import Tally
from lambda_conformance.transport import Client, Exchange, curl_command, request_record
from plugins import options, shrinking
from plugins.target import RUN_KEY, ControlPlane, Run, is_worker, transport_config

TALLY_KEY = pytest.StashKey[Tally]()
SESSION_KEY = pytest.StashKey["Session"]()
STATE_KEY = pytest.StashKey[dict[str, Any]]()
WORKER_OUTPUT = "lc_tally"


def _run(config: pytest.Config) -> Run | None:
    return config.stash.get(RUN_KEY, None)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[TALLY_KEY] = Tally()
    config.stash[STATE_KEY] = {"incomplete": None}
    if _run(config) is not None:
        # What a failing test may still send while hypothesis shrinks it.
        shrinking.install(shrinking.limit_for(config.getoption("hypothesis_profile", None)))
        config.pluginmanager.register(
            shrinking.ShrinkPolicy(lambda: _answers_alike(config)), "lc-shrink-policy"
        )


def _answers_alike(config: pytest.Config) -> int:
    session = config.stash.get(SESSION_KEY, None)
    return session.client.answers_alike if session is not None else 0


def marked_requirements(item: pytest.Item) -> tuple[str, ...]:
    ids: list[str] = []
    for mark in item.iter_markers("requirements"):
        ids.extend(mark.args)
    return tuple(dict.fromkeys(ids))


def marked_roles(item: pytest.Item) -> tuple[str, ...]:
    return tuple(r for mark in item.iter_markers("role") for r in mark.args)


def marked_operation(item: pytest.Item, default: str) -> str:
    """The operation a test judges: its `operation` marker, else the spec's own."""
    mark = item.get_closest_marker("operation")
    return str(mark.args[0]) if mark is not None and mark.args else default


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    run = _run(config)
    if run is None:
        return
    spec = run.spec
    known = {
        r.id
        for r in (*spec.requirements, *spec.excluded_requirements, *spec.deselected_requirements)
    }
    judged = {r.operation for r in (*spec.requirements, *spec.excluded_requirements)}
    rerun: set[str] | None = None
    if options.get(config, "rerun_failed"):
        rerun = _last_failed(config)
    keep: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        ids = marked_requirements(item)
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown requirement ids {unknown}")
        if ids and not any(i in spec.requirement_ids for i in ids):
            item.add_marker(pytest.mark.skip(reason=f"not applicable under profile {spec.profile}"))
        missing = [r for r in marked_roles(item) if run.world.name_of(r) is None]
        if missing:
            item.add_marker(
                pytest.mark.skip(reason=f"the target hosts no {', '.join(missing)} function")
            )
        operation = marked_operation(item, spec.operation.key)
        if operation not in spec.operation_keys:
            raise pytest.UsageError(f"{item.nodeid}: unknown operation {operation!r}")
        if operation not in judged or (rerun is not None and not (set(ids) & rerun)):
            deselected.append(item)
        else:
            keep.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep


def _last_failed(config: pytest.Config) -> set[str]:
    from lambda_conformance.results.store import RecordError, load_record

    # Relative to the current directory, where the reporting plugin writes it (the
    # lambda-conformance command's rootdir is the installed package, not the user's).
    path = Path(options.get(config, "report_dir")) / "results.json"
    try:
        record = load_record(path)
    except (RecordError, OSError) as exc:
        raise pytest.UsageError(f"--rerun-failed: {exc}") from None
    failed = {r["id"] for r in record["requirements"] if r["status"] in ("failed", "error")}
    passive = {
        r["id"]
        for r in record["requirements"]
        if r["id"] in failed and r["testability"] == "passive"
    }
    if passive:
        # Passive rules are judged on every response: any test can show them again.
        return {r["id"] for r in record["requirements"]}
    return failed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    run = _run(item.config)
    ids = marked_requirements(item)
    if run is None or not ids:
        return report
    tally = item.config.stash[TALLY_KEY]
    applicable = [i for i in ids if i in run.spec.requirement_ids]
    if report.skipped and call.when in ("setup", "call"):
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else "skipped"
        for rid in applicable:
            tally.untested(rid, reason.removeprefix("Skipped: "))
    elif report.failed and call.excinfo is not None:
        error = call.excinfo.value
        # hypothesis reports an example that failed, then replayed differently (the
        # budget ran out while shrinking, a flaky target), as a FlakyFailure group:
        # its members are the verdicts.
        leaves = _leaves(error)
        conformance = [e for e in leaves if isinstance(e, ConformanceError)]
        stopped = next((e for e in leaves if isinstance(e, RunStopped)), None)
        if stopped is not None:
            item.config.stash[STATE_KEY]["incomplete"] = str(stopped)
        if conformance:
            for found in conformance:
                for failure in found.failures:
                    tally.failed(with_test(failure, item.nodeid))
        elif stopped is not None:
            # The first failure of each requirement seen before the run stopped
            # (hypothesis reports the last error, not the verdict it was shrinking).
            seen: dict[str, Any] = {}
            harness = getattr(item, "funcargs", {}).get("target")
            for failure in getattr(harness, "failures_seen", ()):
                seen.setdefault(failure.requirement_id, failure)
            for failure in seen.values():
                tally.failed(with_test(failure, item.nodeid))
            for rid in applicable:
                if rid not in seen:
                    tally.untested(rid, str(stopped))
        else:
            # Not a verdict on the target: the suite itself could not judge.
            message = f"{item.nodeid}: {type(error).__name__}: {str(error)[:300]}"
            for rid in applicable:
                tally.errored(rid, message)
    return report


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for member in error.exceptions for leaf in _leaves(member)]
    return [error]


# --- fixtures the suites use -----------------------------------------------------------
class Session:
    """Everything one process needs to talk to the target (built once per process)."""

    def __init__(self, config: pytest.Config, run: Run) -> None:
        self.run = run
        self.spec = run.spec
        self.world = run.world
        transport = transport_config(config, run)
        self.client = Client(transport)
        self.tally = config.stash[TALLY_KEY]
        self.strategies = Strategies(run.spec, run.world)
        self.async_wait = float(options.get(config, "async_wait"))
        self.beacon = BeaconListener(run.world.callback_host).start()
        self._curl_timeout = transport.request_timeout

    @cached_property
    def control(self) -> ControlPlane | None:
        """The target's control plane (through the suite's own transport), built when a
        test first needs it."""
        if not self.run.world.concurrency_control:
            return None
        return ControlPlane(self.client)

    def describe(self, exchange: Exchange) -> tuple[Any, str]:
        client = self.client
        record = request_record(exchange.request, exchange.url, client.redactor)
        curl = curl_command(
            exchange.request,
            client.config.base_url,
            client.config.region,
            session_token=client.uses_session_token,
            max_time=self._curl_timeout,
            redactor=client.redactor,
        )
        return record, curl

    def close(self) -> None:
        self.beacon.stop()
        self.client.close()


def _reject_undetermined(reason: str) -> None:
    # Inside a hypothesis example, a case the spec does not decide is discarded like
    # an assume(False); outside one, the caller raises UndeterminedCase (a suite bug).
    if hypothesis.currently_in_test_context():
        hypothesis.reject()


def skip_not_ready(reason: str) -> None:
    # A skip (hypothesis re-raises it at once, without shrinking): the test's
    # requirements are recorded untested with this reason unless another test judges them.
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lc_session(request: pytest.FixtureRequest) -> Iterator[Session]:
    run = _run(request.config)
    if run is None:
        pytest.skip("no conformance target configured (run the suites through pytest suites/)")
    session = Session(request.config, run)
    request.config.stash[SESSION_KEY] = session
    yield session
    session.close()
    request.config.stash[TALLY_KEY].total_requests += session.client.requests_sent


@pytest.fixture
def target(lc_session: Session, request: pytest.FixtureRequest) -> Harness:
    """The harness bound to the current test: send cases, get judged answers."""
    stopped = lc_session.client.stop_reason
    if stopped is not None:
        # Without this, every later test would still generate examples and shrink
        # its RunStopped failures: minutes of CPU for requests never sent.
        request.config.stash[STATE_KEY]["incomplete"] = stopped
        pytest.skip(stopped)
    return Harness(
        spec=lc_session.spec,
        world=lc_session.world,
        client=lc_session.client,
        recorder=lc_session.tally,
        describe_request=lc_session.describe,
        current_test=request.node.nodeid,
        on_undetermined=_reject_undetermined,
        on_not_ready=skip_not_ready,
    )


@pytest.fixture
def strategies(lc_session: Session) -> Strategies:
    return lc_session.strategies


# --- xdist ----------------------------------------------------------------------------
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if is_worker(config) and _run(config) is not None:
        config.workeroutput[WORKER_OUTPUT] = json.dumps(  # type: ignore[attr-defined]
            {
                "tally": config.stash[TALLY_KEY].to_json(),
                "incomplete": config.stash[STATE_KEY]["incomplete"],
            }
        )


def pytest_testnodedown(node: Any, error: Any) -> None:
    config = node.config
    data = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
    if data is None:
        if _run(config) is not None:
            config.stash[STATE_KEY]["incomplete"] = f"worker {node.gateway.id} ended early"
        return
    payload = json.loads(data)
    config.stash[TALLY_KEY].merge(Tally.from_json(payload["tally"]))
    if payload["incomplete"]:
        config.stash[STATE_KEY]["incomplete"] = payload["incomplete"]


__all__ = ["UndeterminedCase", "marked_requirements"]
