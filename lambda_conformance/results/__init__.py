"""The results layer: tally, run record, score, baselines and gating."""

from lambda_conformance.results.baseline import (
    Baseline,
    BaselineEntry,
    BaselineError,
    failed_requirement_ids,
    load_baseline,
    parse_baseline,
    write_baseline,
)
from lambda_conformance.results.gate import GateConfig, GateResult, evaluate_gate
from lambda_conformance.results.record import (
    SCHEMA_VERSION,
    RunInfo,
    UnknownRequirementError,
    build_record,
    requirement_status,
    utc_now,
)
from lambda_conformance.results.score import Score, coverage, percent, score_requirements
from lambda_conformance.results.store import (
    DEFAULT_REPORT_DIR,
    RecordError,
    load_record,
    validate_record,
    write_record,
)
from lambda_conformance.results.tally import Tally

__all__ = [
    "DEFAULT_REPORT_DIR",
    "SCHEMA_VERSION",
    "Baseline",
    "BaselineEntry",
    "BaselineError",
    "GateConfig",
    "GateResult",
    "RecordError",
    "RunInfo",
    "Score",
    "Tally",
    "UnknownRequirementError",
    "build_record",
    "coverage",
    "evaluate_gate",
    "failed_requirement_ids",
    "load_baseline",
    "load_record",
    "parse_baseline",
    "percent",
    "requirement_status",
    "score_requirements",
    "utc_now",
    "validate_record",
    "write_baseline",
    "write_record",
]
