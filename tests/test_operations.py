"""Several operations in one run: --operations selects them, the record scores each."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runner import run_suite
from test_results_support import run_info

from lambda_conformance.reporters.html import render_html
from lambda_conformance.reporters.markdown import render_markdown
from lambda_conformance.results import Tally, build_record, validate_record
from lambda_conformance.spec import load_spec


def test_selecting_an_operation_keeps_the_others_known_but_unscored() -> None:
    spec = load_spec("documented")
    stream = spec.selecting(["stream"])
    assert {r.operation for r in stream.requirements} == {"stream"}
    assert {r.operation for r in stream.deselected_requirements} == {"invoke"}
    assert spec.selecting(["invoke", "stream"]) is spec
    with pytest.raises(ValueError, match="expected some of invoke, stream, got nope"):
        spec.selecting(["nope"])


def test_the_record_scores_each_operation() -> None:
    spec = load_spec("aws")
    tally = Tally()
    for requirement in spec.requirements:
        if requirement.operation == "stream" and requirement.testability != "not_testable":
            tally.exercised(requirement.id)
            tally.passed(requirement.id)
    record = build_record(spec, tally, run_info(spec))
    validate_record(record)
    assert list(record["operations"]) == ["invoke", "stream"]
    assert record["operations"]["stream"]["score"] == 1.0
    assert record["operations"]["invoke"]["score"] == 0.0
    assert {e["operation"] for e in record["requirements"]} == {"invoke", "stream"}
    assert "| Score by operation | invoke 0.00%, stream 100.00% |" in render_markdown(record)
    assert '<p id="operations">By operation: invoke 0.00% · stream 100.00%</p>' in render_html(
        record
    )


def test_operations_option_runs_only_the_chosen_operation(tmp_path: Path) -> None:
    run = run_suite(
        tmp_path,
        "--operations",
        "stream",
        paths=("suites/test_stream.py", "suites/test_dry_run.py"),
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.record is not None
    assert set(run.record["operations"]) == {"stream"}
    assert run.record["score"] == 1.0
    assert all(r["id"].startswith("STR-") for r in run.record["requirements"])
    assert "3 deselected" in run.stdout


def test_an_unknown_operation_is_a_usage_error(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--operations", "invoke,nope", paths=("suites/test_stream.py",))
    assert run.returncode == 4
    assert "--operations: expected some of invoke, stream, got invoke, nope" in run.stderr
