"""The CI gate and the baseline file: every outcome, and errors that name file and field."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from test_results_support import demo_record

from lambda_conformance.results import (
    Baseline,
    BaselineEntry,
    BaselineError,
    GateConfig,
    evaluate_gate,
    failed_requirement_ids,
    load_baseline,
    parse_baseline,
    write_baseline,
)

TODAY = date(2026, 3, 1)
LATER = date(2026, 6, 1)


def known(*ids: str, expires: date = LATER) -> Baseline:
    return Baseline(tuple(BaselineEntry(i, "upstream bug", expires) for i in ids), "b.yaml")


def test_above_threshold_passes() -> None:
    result = evaluate_gate(demo_record(), GateConfig(min_score=0.39, min_must=0.33))
    assert result.ok
    assert result.reasons == []


def test_below_threshold_fails() -> None:
    result = evaluate_gate(demo_record(), GateConfig(min_score=0.4, min_should=0.6))
    assert not result.ok
    assert result.reasons == ["score 39.13% is below the minimum 40.00%",
                              "SHOULD score 50.00% is below the minimum 60.00%"]


def test_threshold_on_a_level_without_score_is_ignored() -> None:
    record = demo_record()
    record["score_should"] = None
    assert evaluate_gate(record, GateConfig(min_should=0.9)).ok


def test_threshold_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="min_score=90 is not a fraction"):
        GateConfig(min_score=90)


def test_without_baseline_only_thresholds_gate() -> None:
    assert evaluate_gate(demo_record(), GateConfig()).ok


def test_baseline_hit_passes() -> None:
    result = evaluate_gate(demo_record(), GateConfig(baseline=known("DEMO-002", "DEMO-005")),
                           today=TODAY)
    assert result.ok, result.reasons


def test_new_failure_fails() -> None:
    result = evaluate_gate(demo_record(), GateConfig(baseline=known("DEMO-002")), today=TODAY)
    assert not result.ok
    assert result.reasons == ["DEMO-005 error and is not in the baseline (b.yaml)"]


def test_empty_baseline_is_strict() -> None:
    result = evaluate_gate(demo_record(), GateConfig(baseline=known()), today=TODAY)
    assert [r.split()[0] for r in result.reasons] == ["DEMO-002", "DEMO-005"]


def test_expired_entry_fails() -> None:
    baseline = Baseline((BaselineEntry("DEMO-002", "upstream bug", date(2026, 2, 28)),
                         BaselineEntry("DEMO-005", "flaky", TODAY)), "b.yaml")
    result = evaluate_gate(demo_record(), GateConfig(baseline=baseline), today=TODAY)
    # Expiring today is still valid; the day after is not.
    assert result.reasons == ["baseline entry DEMO-002 expired on 2026-02-28 (upstream bug): "
                              "fix the target or renew the entry"]


def test_fixed_entry_fails_so_the_baseline_stays_tight() -> None:
    result = evaluate_gate(demo_record(),
                           GateConfig(baseline=known("DEMO-001", "DEMO-002", "DEMO-005")),
                           today=TODAY)
    assert result.reasons == ["DEMO-001 passes now: remove it from the baseline (b.yaml)"]


def test_entries_for_untested_or_excluded_requirements_are_tolerated() -> None:
    baseline = known("DEMO-002", "DEMO-005", "DEMO-003", "DEMO-900")
    assert evaluate_gate(demo_record(), GateConfig(baseline=baseline), today=TODAY).ok


def test_entry_naming_no_requirement_fails() -> None:
    result = evaluate_gate(demo_record(),
                           GateConfig(baseline=known("DEMO-002", "DEMO-005", "DEMO-404")),
                           today=TODAY)
    assert result.reasons == ["baseline entry DEMO-404 names no requirement of spec 9.9.9 "
                              "(b.yaml)"]


def test_all_reasons_are_reported_together() -> None:
    baseline = Baseline((BaselineEntry("DEMO-001", "x", date(2020, 1, 1)),), "b.yaml")
    result = evaluate_gate(demo_record(), GateConfig(min_score=0.9, baseline=baseline),
                           today=TODAY)
    assert len(result.reasons) == 5  # score, two unlisted failures, expired, passes now


def test_failed_requirement_ids() -> None:
    assert failed_requirement_ids(demo_record()) == ["DEMO-002", "DEMO-005"]


GOOD = """\
- id: DEMO-002
  reason: the emulator answers 200 to Event (issue 12)
  link: https://example.invalid/issues/12
  expires: 2026-06-01
- id: DEMO-005
  reason: timeouts on CI runners
  expires: "2026-04-01"
"""


def test_load_baseline(tmp_path: Path) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text(GOOD, encoding="utf-8")
    baseline = load_baseline(path)
    assert baseline.entries == (
        BaselineEntry("DEMO-002", "the emulator answers 200 to Event (issue 12)",
                      date(2026, 6, 1), "https://example.invalid/issues/12"),
        BaselineEntry("DEMO-005", "timeouts on CI runners", date(2026, 4, 1)),
    )
    assert evaluate_gate(demo_record(), GateConfig(baseline=baseline), today=TODAY).ok


def test_empty_file_is_an_empty_baseline() -> None:
    assert parse_baseline("# nothing accepted\n").entries == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("id: DEMO-002\n", r"\(top level\): expected a list of known failures, got dict"),
    ("- [DEMO-002]\n", r"\[0\]: expected a mapping"),
    ("- {id: DEMO-002, expires: 2026-01-01}\n", r"\[0\]\.reason: required field is missing"),
    ("- {id: DEMO-002, reason: x}\n", r"\[0\]\.expires: required field is missing"),
    ("- {id: DEMO-002, reason: x, expires: soon}\n",
     r"\[0\]\.expires: expected an ISO date like 2026-01-31, got 'soon'"),
    ("- {id: demo 2, reason: x, expires: 2026-01-01}\n", r"\[0\]\.id: expected a requirement ID"),
    ("- {id: DEMO-002, reason: '  ', expires: 2026-01-01}\n", r"\[0\]\.reason: expected a non"),
    ("- {id: DEMO-002, reason: x, expires: 2026-01-01, owner: me}\n",
     r"\[0\]\.owner: unknown field"),
    ("- {id: DEMO-002, reason: x, expires: 2026-01-01, link: 3}\n", r"\[0\]\.link: expected"),
    ("- {id: DEMO-002, reason: x, expires: 2026-01-01}\n"
     "- {id: DEMO-002, reason: y, expires: 2026-01-01}\n", r"\[1\]\.id: DEMO-002 is listed twice"),
    ("- id: [unclosed\n", r"\(top level\): not valid YAML: .*\(line 2\)"),
])
def test_baseline_errors_name_file_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError, match=rf"^{re.escape(str(path))}: "
                                            + expected) as info:
        load_baseline(path)
    assert "\n" not in str(info.value)
    assert "Traceback" not in str(info.value)


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read the baseline"):
        load_baseline(tmp_path / "nope.yaml")


def test_write_baseline_accepts_current_failures(tmp_path: Path) -> None:
    path = tmp_path / "baseline.yaml"
    written = write_baseline(demo_record(), path, expires_in_days=30, today=TODAY)
    assert [e.id for e in written.entries] == ["DEMO-002", "DEMO-005"]
    assert {e.expires for e in written.entries} == {date(2026, 3, 31)}
    assert "Wrong status code" in written.entries[0].reason
    reloaded = load_baseline(path)
    assert reloaded.entries == written.entries
    assert evaluate_gate(demo_record(), GateConfig(baseline=reloaded), today=TODAY).ok
    assert path.read_text(encoding="utf-8").startswith("# Known conformance failures")


def test_write_baseline_keeps_reasons_and_drops_fixed(tmp_path: Path) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text(GOOD + "- {id: DEMO-001, reason: was broken, expires: 2026-05-01}\n",
                    encoding="utf-8")
    written = write_baseline(demo_record(), path, today=TODAY)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == ["DEMO-002", "DEMO-005"]
    assert data[0] == {"id": "DEMO-002", "reason": "the emulator answers 200 to Event (issue 12)",
                       "link": "https://example.invalid/issues/12", "expires": date(2026, 6, 1)}
    assert written.get("DEMO-005") == BaselineEntry("DEMO-005", "timeouts on CI runners",
                                                    date(2026, 4, 1))


def test_write_baseline_with_no_failures(tmp_path: Path) -> None:
    record = demo_record()
    for requirement in record["requirements"]:
        if requirement["status"] in ("failed", "error"):
            requirement.update(status="passed", failures=[], errors=[])
    path = tmp_path / "baseline.yaml"
    assert write_baseline(record, path, today=TODAY).entries == ()
    assert load_baseline(path).entries == ()
