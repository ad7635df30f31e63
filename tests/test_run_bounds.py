"""The run's own bounds: a silent target is given up (--max-timeouts), the run stops at
its deadline (--max-time). Client-level tests against real loopback targets, and one
whole run through pytest with the limit set by its environment variable."""

from __future__ import annotations

import time
from pathlib import Path

from lambda_conformance.results.store import load_record
from lambda_conformance.transport import Client, HttpRequest, StaticCredentials, TransportConfig
from tests.hostile import HostileTarget
from tests.hostile.runner import clean_env, run_suite, suite_args, write_manifest

CREDENTIALS = StaticCredentials("AKIDRUNBOUNDSTEST01", "run-bounds-test-secret-key-0123456")
INVOKE = HttpRequest("POST", "/2015-03-31/functions/echo/invocations", body=b"{}")


def client(url: str, **settings: object) -> Client:
    config = TransportConfig(url, credentials=CREDENTIALS, **settings)  # type: ignore[arg-type]
    return Client(config)


def test_silent_target_is_given_up_after_max_timeouts() -> None:
    with HostileTarget("silent", hold=10) as target, client(
        target.url, request_timeout=0.3, max_timeouts=3
    ) as c:
        kinds = [c.send(INVOKE).problem for _ in range(5)]
        assert [p.kind if p else None for p in kinds] == ["timeout"] * 3 + ["stopped"] * 2
        assert target.requests == 3  # nothing was sent after the third
        assert c.stop_reason is not None and "--max-timeouts" in c.stop_reason
        assert "3 requests in a row" in c.stop_reason


def test_timeouts_that_are_not_in_a_row_do_not_stop_the_run() -> None:
    # flaky: plausible, 500, reset, garbage, not JSON, cut short, silent: one in seven.
    with HostileTarget("flaky", hold=10) as target, client(
        target.url, request_timeout=0.3, max_timeouts=2
    ) as c:
        problems = [c.send(INVOKE).problem for _ in range(15)]
    assert sum(1 for p in problems if p is not None and p.kind == "timeout") == 2
    assert c.stop_reason is None


def test_max_timeouts_zero_never_gives_up() -> None:
    with HostileTarget("silent", hold=10) as target, client(
        target.url, request_timeout=0.2, max_timeouts=0
    ) as c:
        kinds = {c.send(INVOKE).problem.kind for _ in range(4)}  # type: ignore[union-attr]
        assert kinds == {"timeout"} and c.stop_reason is None and target.requests == 4


def test_max_time_stops_sending_at_the_run_deadline() -> None:
    with HostileTarget("plausible") as target, client(target.url, max_time=0.6) as c:
        started = time.monotonic()
        while c.send(INVOKE).problem is None:
            assert time.monotonic() - started < 5
        elapsed = time.monotonic() - started
        assert 0.5 < elapsed < 1.6
        assert c.stop_reason is not None and "--max-time 0.6 s" in c.stop_reason
        sent = target.requests
        assert c.send(INVOKE).problem.kind == "stopped"  # type: ignore[union-attr]
        assert target.requests == sent


def test_max_time_counts_from_the_run_start() -> None:
    # A worker (or a client made late) shares the run's start: its deadline has passed.
    with HostileTarget("plausible") as target, client(
        target.url, max_time=1.0, run_started=time.time() - 2.0
    ) as c:
        assert c.time_left() == 0.0
        assert c.send(INVOKE).problem.kind == "stopped"  # type: ignore[union-attr]
        assert target.requests == 0


def test_run_stops_at_lc_max_time(tmp_path: Path) -> None:
    """A whole run against a slow target that answers: the deadline ends it cleanly, the
    record is written incomplete with the reason, and the reports are rendered."""
    max_time = 15.0
    manifest = write_manifest(tmp_path / "manifest.yaml")
    report_dir = tmp_path / "report"
    with HostileTarget("slow_ok") as target:
        args = suite_args(target.url, manifest, report_dir)
        run = run_suite(args, timeout=180, report_dir=report_dir,
                        env=clean_env({"LC_MAX_TIME": f"{max_time:g}"}))
    assert not run.timed_out and run.returncode == 1, run.describe()
    record = load_record(report_dir / "results.json")
    assert record["complete"] is False
    assert "--max-time" in (record["stop_reason"] or ""), record["stop_reason"]
    assert record["config"]["max_time"] == max_time
    untested = [r for r in record["requirements"] if r["status"] == "untested"]
    assert any("--max-time" in why for r in untested for why in r["untested_reasons"])
    for name in ("junit.xml", "report.html", "summary.md"):
        assert (report_dir / name).is_file(), name
    # The deadline, one request in flight (--request-timeout 2) and the run's fixed cost
    # (start, collection, the reports: docs/hostile-targets.md).
    assert run.elapsed < max_time + 2 + 60, run.describe()


def test_control_plane_calls_go_through_the_transport(tmp_path: Path) -> None:
    """PutFunctionConcurrency against a target that drips its answer: the call ends at
    the request's hard deadline (botocore's own client would wait for each byte), and the
    concurrency test is untested with the reason, not an error of the suite."""
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "region: us-east-1\naccount_id: '000000000000'\n"
        "functions:\n  echo: conformance-echo\n  throttled: conformance-throttled\n"
        "supports_concurrency_control: true\n",
        encoding="utf-8",
    )
    report_dir = tmp_path / "report"
    with HostileTarget("slow_headers") as target:
        args = suite_args(target.url, manifest, report_dir, request_timeout=1,
                          extra=["-k", "concurrency"])
        run = run_suite(args, timeout=120, report_dir=report_dir)
        seen = [r.method for r in target.seen]
    assert not run.timed_out, run.describe()
    assert seen == ["PUT"], seen  # the call was sent once, and nothing after it
    record = load_record(report_dir / "results.json")
    entry = next(r for r in record["requirements"] if r["id"] == "INV-CONC-001")
    assert entry["status"] == "untested", entry
    assert any("control plane" in why and "timeout" in why for why in entry["untested_reasons"])


def test_answers_alike_counts_identical_answers_in_a_row() -> None:
    # What turns shrinking off (plugins/shrinking.py): a target that answers alike.
    with HostileTarget("plausible") as target, client(target.url) as c:
        for _ in range(5):
            c.send(INVOKE)
        assert c.answers_alike == 4  # the request id header differs; it is not compared
    with HostileTarget("not_json") as target, client(target.url) as c:
        for _ in range(4):
            c.send(INVOKE)
        assert c.answers_alike == 0  # 200 and 400 in turn
