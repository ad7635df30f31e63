"""Gating: the pytest exit status for thresholds and each baseline outcome."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from tests.suite_runner import SuiteRun, run_suite

PATHS = ("suites/test_function_name.py",)
MUTANT = ("--profile", "aws", "--reference-mutant", "not-found-400", "--hypothesis-seed", "3")


@pytest.fixture(scope="module")
def mutant_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    run = run_suite(tmp_path_factory.mktemp("mutant"), *MUTANT, paths=PATHS)
    assert run.record is not None, run.stdout[-3000:]
    assert run.failed()
    return run


def _baseline(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    return path


def _entries(ids: set[str], days: int = 30) -> list[dict[str, object]]:
    expires = (date.today() + timedelta(days=days)).isoformat()
    return [
        {"id": i, "reason": "known deviation of the mutant", "expires": expires}
        for i in sorted(ids)
    ]


def test_failures_without_a_gate_fail_the_run(mutant_run: SuiteRun) -> None:
    assert mutant_run.returncode == 1


def test_score_threshold(mutant_run: SuiteRun, tmp_path: Path) -> None:
    assert mutant_run.record is not None
    score = mutant_run.record["score"]
    below = run_suite(tmp_path / "a", *MUTANT, "--min-score", f"{score - 0.01:.4f}", paths=PATHS)
    above = run_suite(
        tmp_path / "b", *MUTANT, "--min-score", f"{min(score + 0.01, 1):.4f}", paths=PATHS
    )
    assert below.returncode == 0, below.stdout[-2000:]
    assert above.returncode == 1, above.stdout[-2000:]
    assert "gate: FAILED" in above.stdout


def test_baseline_hit_passes(mutant_run: SuiteRun, tmp_path: Path) -> None:
    baseline = _baseline(tmp_path / "b.yaml", _entries(mutant_run.failed()))
    run = run_suite(tmp_path / "r", *MUTANT, "--baseline", str(baseline), paths=PATHS)
    assert run.returncode == 0, run.stdout[-2000:]


def test_new_failure_fails(mutant_run: SuiteRun, tmp_path: Path) -> None:
    known = sorted(mutant_run.failed())[1:]
    baseline = _baseline(tmp_path / "b.yaml", _entries(set(known)))
    run = run_suite(tmp_path / "r", *MUTANT, "--baseline", str(baseline), paths=PATHS)
    assert run.returncode == 1
    assert sorted(mutant_run.failed())[0] in run.stdout


def test_expired_entry_fails(mutant_run: SuiteRun, tmp_path: Path) -> None:
    entries = _entries(mutant_run.failed())
    entries[0]["expires"] = (date.today() - timedelta(days=1)).isoformat()
    run = run_suite(
        tmp_path / "r",
        *MUTANT,
        "--baseline",
        str(_baseline(tmp_path / "b.yaml", entries)),
        paths=PATHS,
    )
    assert run.returncode == 1
    assert "expire" in run.stdout


def test_fixed_entry_fails(mutant_run: SuiteRun, tmp_path: Path) -> None:
    passed = {k for k, v in mutant_run.statuses().items() if v == "passed"}
    entries = _entries(mutant_run.failed() | {sorted(passed)[0]})
    run = run_suite(
        tmp_path / "r",
        *MUTANT,
        "--baseline",
        str(_baseline(tmp_path / "b.yaml", entries)),
        paths=PATHS,
    )
    assert run.returncode == 1
    assert sorted(passed)[0] in run.stdout


def test_update_baseline_writes_the_failures(mutant_run: SuiteRun, tmp_path: Path) -> None:
    baseline = tmp_path / "new.yaml"
    run_suite(
        tmp_path / "r", *MUTANT, "--baseline", str(baseline), "--update-baseline", paths=PATHS
    )
    written = yaml.safe_load(baseline.read_text(encoding="utf-8"))
    ids = {e["id"] for e in (written if isinstance(written, list) else written["entries"])}
    assert ids == mutant_run.failed()
    again = run_suite(tmp_path / "r2", *MUTANT, "--baseline", str(baseline), paths=PATHS)
    assert again.returncode == 0, again.stdout[-2000:]


def test_rerun_failed_runs_only_the_failed_requirements(tmp_path: Path) -> None:
    args = ("--profile", "aws", "--reference-mutant", "dryrun-executes", "--hypothesis-seed", "5")
    paths = ("suites/test_dry_run.py", "suites/test_invocation_types.py")
    first = run_suite(tmp_path, *args, paths=paths)
    assert first.failed() == {"INV-DRY-001"}, first.stdout[-2000:]
    rerun = run_suite(tmp_path, *args, "--rerun-failed", paths=paths)
    assert rerun.failed() == {"INV-DRY-001"}
    assert "deselected" in rerun.stdout
    # Only the test marked with the failed requirement ran; the others are untested now.
    assert rerun.statuses()["INV-TYPE-001"] == "untested"
