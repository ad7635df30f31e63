"""The score: the worked example of docs/score.md, levels, coverage and edge cases."""

from __future__ import annotations

import pytest
from test_results_support import demo_record, requirement, run_info, small_spec

from lambda_conformance.results import Tally, build_record, percent, score_requirements


def test_worked_example_of_docs_score_md() -> None:
    # docs/score.md, "Worked example": keep the two in step.
    record = demo_record()
    assert record["score"] == pytest.approx(4.5 / 11.5)
    assert record["score_must"] == pytest.approx(3 / 9)
    assert record["score_should"] == pytest.approx(1 / 2)
    assert record["score_may"] == pytest.approx(1.0)
    assert record["coverage"] == pytest.approx(5 / 6)
    assert percent(record["score"]) == "39.13%"
    assert percent(record["score_must"]) == "33.33%"
    assert percent(record["coverage"]) == "83.33%"


def test_record_keeps_full_precision() -> None:
    assert demo_record()["score"] == 4.5 / 11.5  # rounding happens only in rendering


def test_incomplete_run_is_scored_the_same_way() -> None:
    complete = demo_record()
    stopped = demo_record(complete=False, stop_reason="request budget exhausted")
    assert stopped["score"] == complete["score"]
    assert stopped["stop_reason"] == "request budget exhausted"


def test_untested_counts_against() -> None:
    spec = small_spec(requirement("A-1"), requirement("A-2"))
    tally = Tally()
    tally.passed("A-1")
    record = build_record(spec, tally, run_info(spec))
    assert record["score"] == 0.5
    assert record["coverage"] == 0.5


def test_levels_without_judged_requirements_are_null() -> None:
    spec = small_spec(requirement("A-1"), requirement("A-2", "MAY", testability="not_testable"))
    tally = Tally()
    tally.passed("A-1")
    record = build_record(spec, tally, run_info(spec))
    assert (record["score"], record["score_must"]) == (1.0, 1.0)
    assert record["score_should"] is None
    assert record["score_may"] is None


def test_nothing_judged_means_no_score() -> None:
    scores = score_requirements([{"status": "not_testable", "level": "MUST", "weight": 3}])
    assert scores.score is None
    assert scores.coverage is None
    assert percent(None) == "n/a"


def test_custom_weight_is_used() -> None:
    spec = small_spec(requirement("A-1", weight=9), requirement("A-2"))
    tally = Tally()
    tally.passed("A-1")
    assert build_record(spec, tally, run_info(spec))["score"] == 9 / 12


def test_percent_rounds_to_four_decimals() -> None:
    assert percent(0.872361) == "87.24%"
    assert percent(0.872349) == "87.23%"
    assert percent(1.0) == "100.00%"
    assert percent(0.0) == "0.00%"
