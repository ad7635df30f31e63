"""Reporting plugin: at the end of a run, build results.json, render every report, gate.

Runs in the controller only (or the single process): workers' tallies have been merged
by plugins/recording.py by then. The exit status is the gate's verdict when a gate is
configured (--min-score, --min-must, --min-should, --baseline); otherwise pytest's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import lambda_conformance
from lambda_conformance.reporters.render import append_step_summary, render_all
from lambda_conformance.results.baseline import BaselineError, load_baseline, write_baseline
from lambda_conformance.results.gate import GateConfig, GateResult, evaluate_gate
from lambda_conformance.results.record import RunInfo, build_record, utc_now
from lambda_conformance.results.score import percent
from lambda_conformance.results.store import write_record
from plugins import options
from plugins.recording import STATE_KEY, TALLY_KEY
from plugins.target import RUN_KEY, TERMINATED, is_worker

STARTED_KEY = pytest.StashKey[str]()
RECORD_KEY = pytest.StashKey["Outcome"]()


@dataclass(frozen=True)
class Outcome:
    """What the terminal summary shows: the record as written, where, and the gate."""

    record: dict[str, Any]
    path: Path
    verdict: GateResult | None


def pytest_configure(config: pytest.Config) -> None:
    config.stash[STARTED_KEY] = utc_now()
    if config.stash.get(RUN_KEY, None) is not None and not is_worker(config):
        # A bad baseline or threshold is a usage error before the run, not after it.
        _gate_config(config)


def _gate_config(config: pytest.Config) -> GateConfig | None:
    values = {name: options.get(config, name) for name in ("min_score", "min_must", "min_should")}
    baseline_path = options.get(config, "baseline")
    if all(v is None for v in values.values()) and baseline_path is None:
        return None
    baseline = None
    if baseline_path and not options.get(config, "update_baseline"):
        try:
            baseline = load_baseline(baseline_path)
        except (BaselineError, OSError) as exc:
            raise pytest.UsageError(str(exc)) from None
    try:
        return GateConfig(baseline=baseline, **values)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    run = config.stash.get(RUN_KEY, None)
    if run is None or is_worker(config):
        return
    gate = _gate_config(config)
    state = config.stash[STATE_KEY]
    # Anything but "tests ran" (OK / some failed) means the run did not finish normally:
    # interrupted, a signal, an internal error. Such a record must say it is partial.
    interrupted = (
        exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
        or bool(session.shouldstop)
        or bool(TERMINATED)
    )
    stop_reason = state["incomplete"]
    if TERMINATED and not stop_reason:
        stop_reason = f"interrupted by signal {TERMINATED[0]}"
    if interrupted and not stop_reason:
        stop_reason = "interrupted"
    info = RunInfo(
        suite_version=lambda_conformance.__version__,
        spec_version=run.spec.version,
        profile=run.spec.profile,
        target_url=run.info.label,
        hypothesis_seed=run.info.seed,
        hypothesis_profile=config.getoption("hypothesis_profile", None) or "default",
        started_at=config.stash[STARTED_KEY],
        finished_at=utc_now(),
        config=options.snapshot(config),
        complete=stop_reason is None,
        stop_reason=stop_reason,
    )
    record = build_record(run.spec, config.stash[TALLY_KEY], info)
    report_dir = Path(options.get(config, "report_dir"))
    path = write_record(record, report_dir)
    render_all(record, report_dir)
    append_step_summary((report_dir / "summary.md").read_text(encoding="utf-8"))
    if options.get(config, "update_baseline"):
        baseline_path = options.get(config, "baseline")
        if not baseline_path:
            raise pytest.UsageError("--update-baseline needs --baseline FILE")
        write_baseline(record, baseline_path)
    verdict = evaluate_gate(record, gate) if gate is not None else None
    config.stash[RECORD_KEY] = Outcome(record, path, verdict)
    if verdict is not None and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        session.exitstatus = pytest.ExitCode.OK if verdict.ok else pytest.ExitCode.TESTS_FAILED
    if not info.complete and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    outcome = config.stash.get(RECORD_KEY, None)
    if outcome is None:
        return
    record = outcome.record
    write = terminalreporter.write_line
    terminalreporter.section("Lambda Invoke conformance")
    totals = record["totals"]
    write(
        f"target: {record['target_url']}   profile: {record['profile']}   "
        f"seed: {record['hypothesis_seed']}"
    )
    write(
        "score: " + percent(record["score"]) + f"   (MUST {percent(record['score_must'])}, "
        f"SHOULD {percent(record['score_should'])}, coverage {percent(record['coverage'])})"
    )
    write("requirements: " + ", ".join(f"{v} {k}" for k, v in totals.items()))
    operations = record.get("operations") or {}
    if len(operations) > 1:
        write(
            "by operation: "
            + ", ".join(f"{key} {percent(o['score'])}" for key, o in operations.items())
        )
    for requirement in record["requirements"]:
        if requirement["status"] in ("failed", "error"):
            write(
                f"  {requirement['status'].upper():6} {requirement['id']}: "
                f"{requirement['statement']}"
            )
    if not record["complete"]:
        write(f"INCOMPLETE RUN: {record['stop_reason']}")
    write(f"record: {outcome.path}")
    verdict = outcome.verdict
    if verdict is not None:
        write("gate: " + ("passed" if verdict.ok else "FAILED"))
        for reason in verdict.reasons:
            write(f"  - {reason}")
