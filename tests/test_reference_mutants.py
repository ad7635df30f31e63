"""The mutant registry is well-formed and wired, and the reference CLI serves and stops."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from lambda_conformance.reference import MUTANTS
from lambda_conformance.reference.mutants import Switches
from lambda_conformance.spec import load_spec

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "lambda_conformance" / "reference"
ROOT = REFERENCE_DIR.parents[1]
ALL_IDS = load_spec("aws").requirement_ids | load_spec("documented").requirement_ids


def test_there_are_at_least_30_mutants_with_one_line_descriptions() -> None:
    assert len(MUTANTS) >= 30
    for name, mutant in MUTANTS.items():
        assert mutant.name == name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert "\n" not in mutant.description and mutant.description.endswith(".")


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_declarations_name_real_requirements(name: str) -> None:
    mutant = MUTANTS[name]
    assert set(mutant.violates) <= ALL_IDS, set(mutant.violates) - ALL_IDS
    assert set(mutant.collateral) <= ALL_IDS, set(mutant.collateral) - ALL_IDS
    assert not set(mutant.violates) & set(mutant.collateral)
    if not mutant.violates:
        # A control: a variation the spec allows, which the suite must not fail.
        assert "conforming variation" in mutant.description and not mutant.collateral
        return
    # A deviation under at least one profile.
    assert any(mutant.is_deviation_under(load_spec(p)) for p in ("aws", "documented"))


def test_profile_specific_mutants_are_no_deviation_elsewhere() -> None:
    documented = load_spec("documented")
    for name in ("function-error-handled", "cross-region-runs-local", "qualifier-conflict-ignored"):
        assert not MUTANTS[name].is_deviation_under(documented)
        assert MUTANTS[name].is_deviation_under(load_spec("aws"))


def test_every_mutant_has_its_switch_in_the_reference() -> None:
    source = "\n".join(p.read_text() for p in REFERENCE_DIR.glob("*.py") if p.name != "mutants.py")
    switched = set(re.findall(r'on\(\s*"([a-z0-9-]+)"\s*\)', source))
    assert switched == set(MUTANTS)


def test_switches_refuse_unknown_names() -> None:
    with pytest.raises(KeyError):
        Switches(None).on("no-such-mutant")


def test_cli_lists_mutants() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "lambda_conformance.reference", "--list-mutants"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        check=True,
    ).stdout
    for name in MUTANTS:
        assert re.search(rf"^{re.escape(name)} ", out, re.MULTILINE)


def test_cli_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lambda_conformance.reference",
            "--port",
            "0",
            "--mutant",
            "event-200",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = re.match(r"(http://127\.0\.0\.1:\d+)", line)
        assert url, line
        r = requests.post(
            f"{url[1]}/2015-03-31/functions/conformance-echo/invocations",
            headers={"X-Amz-Invocation-Type": "Event"},
            timeout=10,
        )
        assert r.status_code == 200  # the mutant took effect
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
