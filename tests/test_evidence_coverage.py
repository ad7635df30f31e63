"""Evidence coverage: every GT row and page section has its observables judged or explained.

spec/evidence.yaml names, per observable and profile, the requirement and suite test that
judge it or the reason none does; these tests fail when a row or section has no entry,
an observable has neither, a requirement or test does not exist, or the doc is stale.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from lambda_conformance.spec import SpecError
from lambda_conformance.spec.__main__ import EVIDENCE_DOC
from lambda_conformance.spec.evidence import (
    OBSERVED_PATH,
    load_evidence,
    marked_requirement_ids,
    observed_rows,
    problems,
    render,
)

REPO = Path(__file__).resolve().parents[1]


def _rows() -> list[str]:
    if not OBSERVED_PATH.exists():
        pytest.skip(f"the observed rows are not beside the repository: {OBSERVED_PATH} is absent")
    return observed_rows(OBSERVED_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evidence() -> dict[str, Any]:
    return load_evidence()


def _observable(evidence: dict[str, Any], row: str, index: int = 0) -> dict[str, Any]:
    entry = next(r for r in evidence["rows"] if r["row"] == row)
    observable: dict[str, Any] = entry["observables"][index]
    return observable


def test_the_observed_file_parses_as_expected() -> None:
    rows = _rows()
    assert [r for r in rows if r.startswith("GT-")] == [f"GT-{n:03d}" for n in range(1, 62)]
    assert "Error envelope: 404 body" in rows and "Error envelope: Content-Type" in rows
    assert sum(r.startswith("Not observed: ") for r in rows) == 6


def test_inventory_is_complete(evidence: dict[str, Any]) -> None:
    found = problems(evidence, rows=_rows())
    assert found == [], "\n".join(found)


def test_doc_is_fresh(evidence: dict[str, Any]) -> None:
    doc = REPO / EVIDENCE_DOC
    assert doc.exists(), f"{doc} is missing: python -m lambda_conformance.spec generate"
    assert doc.read_text(encoding="utf-8") == render(evidence), (
        f"{doc} is stale: python -m lambda_conformance.spec evidence --out {EVIDENCE_DOC}"
    )


# --- the checks themselves fail where they should ---------------------------------------
def test_a_row_without_an_entry_is_reported(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    broken["rows"] = [r for r in broken["rows"] if r["row"] != "GT-029"]
    assert "GT-029: no entry in spec/evidence.yaml" in problems(broken, rows=_rows())


def test_a_section_without_an_entry_is_reported(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    broken["sections"] = [s for s in broken["sections"] if s["section"] != "Invoke ¶3"]
    assert "Invoke ¶3: page section without an entry" in problems(broken)


def test_an_observable_without_check_or_reason_is_reported(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    observable = _observable(broken, "GT-030", 2)
    observable.pop("checks")
    found = problems(broken)
    assert any(
        f.startswith("GT-030:") and "neither a check nor a reason under documented" in f
        for f in found
    ), found


def test_an_aws_only_check_needs_a_reason_under_documented(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    observable = _observable(broken, "GT-026", 1)  # INV-PAY-003 applies under aws only
    observable.pop("unjudged")
    found = problems(broken)
    assert any("neither a check nor a reason under documented" in f for f in found), found


def test_an_unknown_requirement_is_reported(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    _observable(broken, "GT-030")["checks"][0]["requirement"] = "INV-TYPE-999"
    assert any("INV-TYPE-999 is not in spec/invoke.yaml" in f for f in problems(broken))


def test_a_requirement_outside_its_profile_is_reported(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    _observable(broken, "GT-030")["checks"][0]["profiles"] = ["documented"]
    _observable(broken, "GT-026", 1)["checks"][0]["profiles"] = ["documented"]
    found = problems(broken)
    assert any("INV-PAY-003 does not apply under profile documented" in f for f in found), found


def test_a_missing_test_is_reported(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    broken["tests"]["type_dry"] = "suites/test_invocation_types.py::test_no_such_test"
    broken["tests"]["gone"] = "suites/test_no_such_module.py::test_anything"
    found = problems(broken)
    assert any(f.startswith("tests.type_dry:") for f in found), found
    assert any(f.startswith("tests.gone:") for f in found), found


def test_a_test_not_marked_with_the_requirement_is_reported(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    _observable(broken, "GT-030")["checks"][0]["test"] = "type_event"  # INV-TYPE-004
    assert any("is not marked with INV-TYPE-004" in f for f in problems(broken))


def test_a_passive_check_must_name_a_passive_requirement(evidence: dict[str, Any]) -> None:
    broken = copy.deepcopy(evidence)
    _observable(broken, "GT-030")["checks"][0]["test"] = "passive"
    assert any("INV-TYPE-004 is active, not passive" in f for f in problems(broken))


def test_markers_are_read_from_the_source() -> None:
    assert marked_requirement_ids(
        REPO, "suites/test_logs.py::test_tail_holds_the_end_of_the_log"
    ) == ("INV-LOG-001", "INV-LOG-003", "INV-LOG-006")
    # requirements(*REQUIREMENTS): a module-level tuple
    marked = marked_requirement_ids(REPO, "suites/test_schemathesis.py::test_schemathesis_negative")
    assert marked is not None and "INV-WIRE-001" in marked
    assert marked_requirement_ids(REPO, "suites/test_logs.py::test_nothing") is None


def test_a_bad_reason_is_rejected_by_the_schema(tmp_path: Path) -> None:
    text = (REPO / "spec" / "evidence.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "evidence.yaml"
    bad.write_text(
        text.replace('"not observable from outside: CloudWatch', '"because: CloudWatch', 1),
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match="unjudged"):
        load_evidence(bad)
