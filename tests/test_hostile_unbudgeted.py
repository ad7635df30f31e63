"""Hostile targets with the defaults: no --max-requests, so the run must bound itself.

The battery of test_hostile.py caps every run at 4 requests; a user who sets no budget
(a CI job against a half-built emulator) relies on the suite alone. Each case runs the
whole suite at `--hypothesis-profile quick --request-timeout 2` and must end non-zero
with a valid record and reports, within its wall-time bound and under 500 MiB of peak
RSS, both measured by the parent through process accounting (monotonic clock, and
wait4's rusage of the suite process: tests/hostile/runner.py).

What bounds each (docs/hostile-targets.md, "Runs without a request budget"):

- silent, slow_headers, slow_body: --max-timeouts (3 requests in a row that reach their
  deadline without a complete response end the run, incomplete);
- gzip_bomb, huge_body: the body cap (8 MiB, decoded bytes), and what an exchange keeps
  of a body over it (64 KiB);
- slow_ok (a correct-looking 200 after 1.5 s, so nearly every test fails): the shrink
  bound of the hypothesis profile (plugins/shrinking.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from tests.hostile.battery import BatteryRun, check_reports, failures_of, run_behaviour

PEAK_RSS_MIB = 500
PARALLEL_RUNS = 3
# Roles in the manifest: every fixture function a hosted target may name, so that the
# most tests run (a manifest of echo alone leaves a third of the suite skipped).
ALL_ROLES = ("echo", "fail", "introspect", "log", "sleep", "large", "throttled", "beacon")


@dataclass(frozen=True)
class Case:
    bound_s: float  # wall time of the whole run
    requirement: str | None  # failed with `reason`; None: any requirement
    reason: str
    stop: str | None  # in stop_reason; None: the run may end complete


CASES: dict[str, Case] = {
    "silent": Case(60, "INV-WIRE-007", "timeout", "--max-timeouts"),
    "slow_headers": Case(60, "INV-WIRE-007", "timeout", "--max-timeouts"),
    "slow_body": Case(60, "INV-WIRE-007", "timeout", "--max-timeouts"),
    "gzip_bomb": Case(300, "INV-WIRE-007", "too_large", None),
    "huge_body": Case(300, "INV-WIRE-007", "too_large", None),
    "slow_ok": Case(300, None, "mismatch", None),
}


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[dict[str, Future[BatteryRun]]]:
    selected = {
        str(item.callspec.params["behaviour"])
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.module is request.module
        and hasattr(item, "callspec") and "behaviour" in item.callspec.params
    }
    workdir = tmp_path_factory.mktemp("unbudgeted")
    with ThreadPoolExecutor(PARALLEL_RUNS, thread_name_prefix="unbudgeted") as pool:
        # The longest first, so that the pool's tail is short.
        order = sorted(selected, key=lambda b: -CASES[b].bound_s)
        yield {
            b: pool.submit(run_behaviour, b, workdir, max_requests=None,
                           bound=CASES[b].bound_s, kill_after=CASES[b].bound_s + 30,
                           roles=ALL_ROLES)
            for b in order
        }


@pytest.mark.parametrize("behaviour", sorted(CASES))
def test_run_bounds_itself(runs: dict[str, Future[BatteryRun]], behaviour: str) -> None:
    case = CASES[behaviour]
    result = runs[behaviour].result(timeout=900)
    run = result.run
    peak_mib = run.max_rss_kib / 1024
    assert not run.timed_out, f"killed after {run.elapsed:.0f} s: {run.describe()}"
    assert run.elapsed < case.bound_s, f"took {run.elapsed:.1f} s, bound {case.bound_s:.0f} s"
    assert peak_mib < PEAK_RSS_MIB, f"peak RSS {peak_mib:.0f} MiB, bound {PEAK_RSS_MIB} MiB"
    assert run.returncode == 1, run.describe()
    for marker in ("INTERNALERROR", "Traceback (most recent call last)"):
        assert marker not in run.stderr, run.describe()
    check_reports(result.report_dir)

    record = result.record()
    if case.stop is not None:
        assert record["complete"] is False
        assert case.stop in (record["stop_reason"] or ""), record["stop_reason"]
        untested = [r for r in record["requirements"] if r["status"] == "untested"]
        assert any(case.stop in why for r in untested for why in r["untested_reasons"])
    errors = {r["id"]: r["errors"] for r in record["requirements"] if r["status"] == "error"}
    assert not errors, f"the suite could not judge: {errors}"
    failures = failures_of(record, case.requirement)
    assert any(f["reason"] == case.reason for f in failures), failures
