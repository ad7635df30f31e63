"""action.yml: its shell steps run locally against the embedded reference, as a runner would.

The install step builds the tool from a copy of the repository's files (what a runner's
checkout of the action holds) into a fresh virtual environment: the same non-editable
install a user's workflow gets.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from lambda_conformance.layout import BUNDLED_PARTS
from tests.action_runner import ROOT, ActionRunner, load_action
from tests.moto_server import free_port

INSTALL = "Install lambda-conformance"
RUN = "Run lambda-conformance"


def _checkout(destination: Path) -> Path:
    """The repository's files as `actions/checkout` would give them (tracked and new ones,
    nothing ignored: no .venv, no reports, no build leftovers)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActionRunner]:
    base = tmp_path_factory.mktemp("action")
    action_path = _checkout(base / "action")
    (base / "workspace").mkdir()
    (base / "temp").mkdir()
    runner = ActionRunner(action_path, base / "workspace", base / "temp")
    result = runner.run(INSTALL, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.startswith("lambda-conformance 0.1.0"), result.stdout
    yield runner


def test_action_declares_the_issue_inputs() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert {
        "target-url",
        "profile",
        "fixtures-manifest",
        "provision",
        "min-score",
        "baseline",
        "hypothesis-profile",
    } <= set(action["inputs"])


def test_inputs_reach_scripts_only_through_env() -> None:
    # An input pasted into a script could inject shell code (a URL with `$(...)` in it).
    for step in load_action()["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]


def test_action_runs_the_suite_and_appends_the_summary(installed: ActionRunner) -> None:
    installed.inputs = {"min-score": "1.0", "hypothesis-profile": "quick", "profile": "aws"}
    result = installed.run(RUN)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report_dir = installed.workspace / "reports" / "latest"
    assert result.outputs == {"score": "1.0", "report-dir": "reports/latest", "exit-code": "0"}
    record = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    assert record["score"] == 1.0 and record["profile"] == "aws" and record["complete"]
    assert record["hypothesis_profile"] == "quick"
    for name in ("junit.xml", "summary.md", "report.html", "badge.svg"):
        assert (report_dir / name).is_file(), name
    # Appended once: by the action, not a second time by the tool.
    summary = (report_dir / "summary.md").read_text(encoding="utf-8")
    assert installed.summary.read_text(encoding="utf-8") == summary
    assert "gate: passed" in result.stdout


def test_action_fails_with_the_tool_and_appends_no_stale_summary(
    installed: ActionRunner,
) -> None:
    before = installed.summary.read_text(encoding="utf-8")
    # Nothing listens there: the tool stops with a usage error before any test runs.
    installed.inputs = {"target-url": f"http://127.0.0.1:{free_port()}"}
    result = installed.run(RUN)
    assert result.returncode == 4, result.stdout[-3000:] + result.stderr[-3000:]
    assert "--target-url needs fixture functions" in result.stderr
    assert result.outputs["exit-code"] == "4" and result.outputs["score"] == ""
    assert installed.summary.read_text(encoding="utf-8") == before


def test_action_rejects_a_provision_value_it_does_not_know(installed: ActionRunner) -> None:
    installed.inputs = {"provision": "maybe"}
    result = installed.run(RUN)
    assert result.returncode == 4
    assert "provision: expected true or false, got 'maybe'" in result.stdout


def test_the_install_carries_every_file_a_run_needs(installed: ActionRunner) -> None:
    venv = installed.runner_temp / "lambda-conformance-venv"
    package = Path(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c",
             "import lambda_conformance, os; print(os.path.dirname(lambda_conformance.__file__))"],
            cwd=installed.workspace, capture_output=True, text=True, check=True, timeout=60,
        ).stdout.strip()
    )
    assert package.is_relative_to(venv), package  # the install, not this clone
    expected = {
        path.relative_to(installed.action_path).as_posix()
        for part in BUNDLED_PARTS
        for path in (installed.action_path / part).rglob("*")
        if path.is_file()
    }
    carried = {
        path.relative_to(package / "_suite").as_posix()
        for path in (package / "_suite").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert expected and carried == expected
    for name in (
        "cli.ini",
        "reporters/templates/report.html.j2",
        "results/schema/results.schema.json",
    ):
        assert (package / name).is_file(), name
    assert (venv / "lib").is_dir() and not (package.parent / "spec").exists()
