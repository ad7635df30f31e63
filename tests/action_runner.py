"""Run action.yml's shell steps locally, as a GitHub runner would run them.

Only what the action uses is supported: `shell: bash` steps whose `${{ }}` expressions sit
in `env:` and name `inputs.*`, `github.action_path` or `runner.temp`. Anything else fails
the test, so the action cannot grow a step this runner would silently misrun.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plugins.options import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
# GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`.
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def load_action() -> dict[str, Any]:
    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass
class StepResult:
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


@dataclass
class ActionRunner:
    """One job's worth of runner state: the action's checkout, a workspace, a temp dir."""

    action_path: Path
    workspace: Path
    runner_temp: Path
    inputs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.action = load_action()
        self.summary = self.runner_temp / "step-summary.md"
        self.summary.touch()

    def step(self, name: str) -> dict[str, Any]:
        for step in self.action["runs"]["steps"]:
            if step["name"] == name:
                assert isinstance(step, dict)
                return step
        raise KeyError(name)

    def value(self, text: str) -> str:
        declared = self.action["inputs"]

        def evaluate(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                name = expression.removeprefix("inputs.")
                assert name in declared, f"undeclared input {name}"
                return self.inputs.get(name, str(declared[name].get("default", "")))
            if expression == "github.action_path":
                return str(self.action_path)
            if expression == "runner.temp":
                return str(self.runner_temp)
            raise AssertionError(f"the local runner does not evaluate ${{{{ {expression} }}}}")

        return _EXPRESSION.sub(evaluate, text)

    def run(self, name: str, timeout: float = 600) -> StepResult:
        step = self.step(name)
        assert step.get("shell") == "bash", f"{name}: only bash steps run locally"
        assert "if" not in step, f"{name}: conditions are not evaluated locally"
        script = step["run"]
        output = self.runner_temp / f"output-{step.get('id', 'step')}"
        output.write_text("", encoding="utf-8")
        # Not the suite's LC_* settings of whoever runs the tests (locale LC_* stay).
        suite_env = {setting.env for setting in SETTINGS}
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in suite_env and not k.startswith(("GITHUB_", "LCA_"))
        }
        env.update(
            GITHUB_ACTIONS="true",
            GITHUB_ACTION_PATH=str(self.action_path),
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_STEP_SUMMARY=str(self.summary),
            GITHUB_OUTPUT=str(output),
            RUNNER_TEMP=str(self.runner_temp),
        )
        env.update({k: self.value(str(v)) for k, v in step.get("env", {}).items()})
        done = subprocess.run(
            [*BASH, "-c", script],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        outputs = dict(
            line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
        )
        return StepResult(done.returncode, done.stdout, done.stderr, outputs)
