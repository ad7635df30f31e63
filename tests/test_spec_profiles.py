"""Profiles: every override cites GT rows that exist; docs/profiles.md is fresh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambda_conformance.spec import load_raw
from lambda_conformance.spec.__main__ import PROFILES_DOC
from lambda_conformance.spec.traceability import render_profiles, value_at

REPO = Path(__file__).resolve().parents[1]
OBSERVED = REPO.parent / "shared" / "reference" / "aws-observed.md"


def _gt_rows() -> set[str]:
    if not OBSERVED.exists():
        pytest.skip(f"the ground-truth table is not beside the repository: {OBSERVED} is absent")
    text = OBSERVED.read_text(encoding="utf-8")
    return set(re.findall(r"^\| (GT-\d{3}) \|", text, re.M))


def test_ground_truth_table_parses() -> None:
    rows = _gt_rows()
    assert {"GT-001", "GT-061"} <= rows


def test_every_override_cites_existing_rows() -> None:
    rows = _gt_rows()
    raw = load_raw()
    for profile, body in raw["profiles"].items():
        for override in body.get("overrides", []):
            assert override["evidence"], f"{profile}: {override['path']} cites no evidence"
            unknown = [gt for gt in override["evidence"] if gt not in rows]
            assert unknown == [], f"{profile}: {override['path']} cites absent rows {unknown}"


def test_every_requirement_cites_existing_rows() -> None:
    rows = _gt_rows()
    for requirement in load_raw()["requirements"]:
        unknown = [gt for gt in requirement.get("evidence", []) if gt not in rows]
        assert unknown == [], f"{requirement['id']} cites absent rows {unknown}"


def test_overrides_change_something() -> None:
    raw = load_raw()
    for body in raw["profiles"].values():
        for override in body.get("overrides", []):
            assert value_at(raw, override["path"]) != override["value"], override["path"]


def test_doc_is_fresh() -> None:
    doc = REPO / PROFILES_DOC
    assert doc.exists(), f"{doc} is missing: python -m lambda_conformance.spec generate"
    assert doc.read_text(encoding="utf-8") == render_profiles(load_raw()), (
        f"{doc} is stale: python -m lambda_conformance.spec profiles --out {PROFILES_DOC}"
    )


def test_doc_has_one_row_per_override() -> None:
    raw = load_raw()
    text = render_profiles(raw)
    for override in raw["profiles"]["aws"]["overrides"]:
        assert f"| `{override['path']}` |" in text
