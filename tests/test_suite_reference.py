"""The suite against the embedded reference: 100%, everything exercised, xdist-equivalent."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_conformance.spec import load_spec
from tests.suite_runner import run_suite


@pytest.mark.parametrize("profile", ["documented", "aws"])
def test_reference_scores_100_and_every_requirement_is_exercised(
    tmp_path: Path, profile: str
) -> None:
    run = run_suite(tmp_path, "--profile", profile, "--hypothesis-seed", "1")
    assert run.returncode == 0, run.stdout[-4000:]
    record = run.record
    assert record is not None
    assert record["score"] == 1.0 and record["complete"] is True
    spec = load_spec(profile)
    statuses = run.statuses()
    assert set(statuses) == {r.id for r in spec.requirements}
    judged = [r.id for r in spec.requirements if r.testability in ("active", "passive")]
    not_passed = {rid: statuses[rid] for rid in judged if statuses[rid] != "passed"}
    assert not not_passed, not_passed
    by_id = {r["id"]: r for r in record["requirements"]}
    assert all(by_id[rid]["requests"] > 0 for rid in judged)
    assert "100" in run.stdout


def test_xdist_gives_the_same_statuses_as_one_process(tmp_path: Path) -> None:
    # A mutant, so that the record holds failures as well as passes to compare.
    args = ("--profile", "aws", "--reference-mutant", "not-found-400", "--hypothesis-seed", "7")
    single = run_suite(tmp_path / "single", *args)
    parallel = run_suite(tmp_path / "parallel", *args, "-n", "2")
    assert single.record is not None and parallel.record is not None
    assert single.statuses() == parallel.statuses()
    assert single.failed(), "the mutant should have failed something"
    assert parallel.record["score"] == single.record["score"]
