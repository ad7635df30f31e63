"""The run record: status rules, one entry per requirement, schema validity, storage."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_results_support import (
    demo_record,
    demo_spec,
    demo_tally,
    failure,
    hostile_record,
    requirement,
    run_info,
    small_spec,
)

from lambda_conformance.results import (
    RecordError,
    Tally,
    UnknownRequirementError,
    build_record,
    load_record,
    validate_record,
    write_record,
)
from lambda_conformance.results.store import run_dir_name
from lambda_conformance.spec import load_spec


def statuses(record: dict[str, object]) -> dict[str, str]:
    return {r["id"]: r["status"] for r in record["requirements"]}  # type: ignore[attr-defined]


def test_status_rules() -> None:
    assert statuses(demo_record()) == {
        "DEMO-001": "passed", "DEMO-002": "failed", "DEMO-003": "untested",
        "DEMO-004": "passed", "DEMO-005": "error", "DEMO-006": "passed",
        "DEMO-007": "not_testable",
    }


def test_precedence_not_testable_over_failure_over_error() -> None:
    spec = small_spec(requirement("A-1", testability="not_testable"), requirement("A-2"))
    tally = Tally()
    for rid in ("A-1", "A-2"):
        tally.passed(rid)
        tally.errored(rid, "boom")
        tally.failed(failure(rid))
    record = build_record(spec, tally, run_info(spec))
    assert statuses(record) == {"A-1": "not_testable", "A-2": "failed"}


def test_error_beats_passed_checks() -> None:
    spec = small_spec(requirement("A-1"))
    tally = Tally()
    tally.passed("A-1")
    tally.errored("A-1", "connection reset")
    assert statuses(build_record(spec, tally, run_info(spec))) == {"A-1": "error"}


def test_exercised_without_a_passed_check_is_untested() -> None:
    spec = small_spec(requirement("A-1"))
    tally = Tally()
    tally.exercised("A-1", 5)
    record = build_record(spec, tally, run_info(spec))
    assert statuses(record) == {"A-1": "untested"}
    assert record["requirements"][0]["requests"] == 5


def test_unknown_requirement_is_a_suite_bug() -> None:
    spec = demo_spec()
    tally = demo_tally()
    tally.passed("DEMO-900")  # excluded under this profile
    tally.passed("NOPE-1")
    with pytest.raises(UnknownRequirementError, match=r"DEMO-900 \(excluded.*NOPE-1"):
        build_record(spec, tally, run_info(spec))


def test_run_info_must_match_the_spec() -> None:
    spec = demo_spec()
    with pytest.raises(ValueError, match="profile"):
        build_record(spec, Tally(), run_info(spec, profile="documented"))


def test_record_fields() -> None:
    record = demo_record()
    assert record["schema_version"] == "1.0"
    assert record["totals"] == {"passed": 3, "failed": 1, "error": 1, "untested": 1,
                                "not_testable": 1}
    assert record["total_requests"] == 42
    assert record["excluded_requirements"] == [{"id": "DEMO-900", "profiles": ["documented"]}]
    failed = next(r for r in record["requirements"] if r["id"] == "DEMO-002")
    assert failed["failures"][0]["received"] == "status 500"
    assert failed["source_text"].startswith("For the RequestResponse")
    assert failed["weight"] == 3.0
    validate_record(record)


def test_config_is_made_json_safe() -> None:
    record = demo_record(config={"report_dir": Path("reports/latest"), "rate": 2.5})
    assert record["config"] == {"report_dir": "reports/latest", "rate": 2.5}


def test_real_spec_has_one_entry_per_requirement() -> None:
    spec = load_spec("aws")
    tally = Tally()
    tally.passed(spec.requirements[0].id)
    record = build_record(spec, tally, run_info(spec))
    assert [r["id"] for r in record["requirements"]] == [r.id for r in spec.requirements]
    assert {r["id"] for r in record["excluded_requirements"]} == \
        {r.id for r in spec.excluded_requirements}
    validate_record(record)


def test_hostile_record_is_schema_valid_and_round_trips(tmp_path: Path) -> None:
    record = hostile_record()
    path = write_record(record, tmp_path / "latest")
    assert path == tmp_path / "latest" / "results.json"
    assert load_record(path) == record  # lone surrogates survive as JSON escapes


def test_write_record_keeps_a_copy_per_run(tmp_path: Path) -> None:
    record = demo_record()
    write_record(record, tmp_path / "latest")
    write_record(record, tmp_path / "latest")
    runs = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert runs == ["127.0.0.1-9001-20260301T120000Z", "127.0.0.1-9001-20260301T120000Z-2"]
    assert not [p for p in (tmp_path / "latest").iterdir() if p.name != "results.json"]


@pytest.mark.parametrize(("url", "name"), [
    ("https://lambda.us-east-1.amazonaws.com", "lambda.us-east-1.amazonaws.com-443"),
    ("http://[::1]:9001/x", "1-9001"),
    ("http://localhost", "localhost-80"),
])
def test_run_dir_name(url: str, name: str) -> None:
    record = demo_record(target_url=url, started_at="2026-03-01T12:00:00.123+00:00")
    assert run_dir_name(record) == f"{name}-20260301T120000Z"


def test_invalid_record_is_not_written(tmp_path: Path) -> None:
    record = demo_record()
    record["score"] = 1.5
    with pytest.raises(RecordError, match=r"^record to write: score: 1\.5 is greater"):
        write_record(record, tmp_path)
    assert not (tmp_path / "results.json").exists()


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda r: r["requirements"][1].update(status="sorta"), r"requirements\[1\]\.status"),
    (lambda r: r["requirements"][0].update(colour="red"), r"requirements\[0\]"),
    (lambda r: r.pop("totals"), r"\(top level\): 'totals' is a required"),
    (lambda r: r.update(started_at="yesterday"), "started_at"),
    (lambda r: r["requirements"][1]["failures"][0].update(reason="bad"),
     r"requirements\[1\]\.failures\[0\]\.reason"),
])
def test_load_record_names_file_and_field(tmp_path: Path, mutate: object, field: str) -> None:
    record = demo_record()
    mutate(record)  # type: ignore[operator]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RecordError) as info:
        load_record(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert re.search(field, message)


def test_load_record_bad_json_and_version(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text("{\"schema_version\": ", encoding="utf-8")
    with pytest.raises(RecordError, match=r"results\.json: not valid JSON: .*line 1"):
        load_record(path)
    path.write_text(json.dumps({"schema_version": "2.0"}), encoding="utf-8")
    with pytest.raises(RecordError, match=r"schema_version: this suite reads version 1\.0"):
        load_record(path)
    with pytest.raises(RecordError, match="cannot read"):
        load_record(tmp_path / "missing.json")


def test_schema_enums_follow_the_code() -> None:
    # A new failure reason or status in the code must reach the schema, or records break.
    from typing import get_args

    from lambda_conformance.checks.failure import FailureReason
    from lambda_conformance.results.score import STATUSES
    from lambda_conformance.results.store import SCHEMA_PATH

    defs = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]
    assert defs["failure"]["properties"]["reason"]["enum"] == list(get_args(FailureReason))
    assert defs["requirement"]["properties"]["status"]["enum"] == list(STATUSES)
