"""The run record (results.json content), built from the spec and the merged tally."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lambda_conformance.results.score import STATUSES, score_requirements
from lambda_conformance.results.tally import RequirementTally, Tally
from lambda_conformance.spec.model import Requirement, Spec

SCHEMA_VERSION = "1.0"


class UnknownRequirementError(ValueError):
    """The tally holds observations for a requirement the spec does not define.

    That is a bug in the suite (a check citing a wrong or excluded ID), never a
    property of the target, so building the record stops instead of hiding it.
    """


@dataclass(frozen=True)
class RunInfo:
    """What identifies one run: versions, target, seed, times and (redacted) config."""

    suite_version: str
    spec_version: str
    profile: str
    target_url: str
    hypothesis_seed: str | int | None
    hypothesis_profile: str
    started_at: str  # ISO 8601, UTC
    finished_at: str  # ISO 8601, UTC
    config: dict[str, Any]  # already redacted: the record is shared as-is
    complete: bool
    stop_reason: str | None
    argv: tuple[str, ...] | None = None


def utc_now() -> str:
    """The current time as the record writes it: ISO 8601, UTC, second precision."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def requirement_status(requirement: Requirement, tally: RequirementTally) -> str:
    """The verdict of one requirement; the order of the rules is the precedence."""
    if requirement.testability == "not_testable":
        return "not_testable"
    if tally.failures or tally.failures_dropped:
        return "failed"
    if tally.errors:
        return "error"
    if tally.checks_passed > 0:
        return "passed"
    return "untested"


def _entry(requirement: Requirement, tally: RequirementTally) -> dict[str, Any]:
    return {
        "id": requirement.id,
        "level": requirement.level,
        "category": requirement.category,
        "statement": requirement.statement,
        "section": requirement.section,
        "source_text": requirement.source_text,
        "testability": requirement.testability,
        "weight": requirement.weight,
        "evidence": list(requirement.evidence),
        "status": requirement_status(requirement, tally),
        "requests": tally.requests,
        "checks_passed": tally.checks_passed,
        "failures": [f.to_dict() for f in tally.failures],
        "failures_dropped": tally.failures_dropped,
        "errors": list(tally.errors),
        "untested_reasons": list(tally.untested_reasons),
        "operation": requirement.operation,
    }


def build_record(spec: Spec, tally: Tally, run: RunInfo) -> dict[str, Any]:
    """The results.json content of one run. Raises UnknownRequirementError on a suite bug."""
    unknown = sorted(set(tally.requirements) - spec.requirement_ids)
    if unknown:
        excluded = {r.id for r in spec.excluded_requirements}
        detail = ", ".join(
            f"{i} (excluded under profile {spec.profile!r})" if i in excluded else i
            for i in unknown
        )
        raise UnknownRequirementError(
            f"observations recorded for requirements not in spec {spec.version} "
            f"under profile {spec.profile!r}: {detail}"
        )
    if (run.spec_version, run.profile) != (spec.version, spec.profile):
        raise ValueError(
            f"run info names spec {run.spec_version} profile {run.profile!r} but the record "
            f"is built from spec {spec.version} profile {spec.profile!r}"
        )
    entries = [_entry(r, tally.requirements.get(r.id, RequirementTally()))
               for r in spec.requirements]
    return {
        "schema_version": SCHEMA_VERSION,
        "suite_version": run.suite_version,
        "spec_version": spec.version,
        "profile": spec.profile,
        "target_url": run.target_url,
        "hypothesis_seed": run.hypothesis_seed,
        "hypothesis_profile": run.hypothesis_profile,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "complete": run.complete,
        "stop_reason": run.stop_reason,
        "argv": list(run.argv) if run.argv is not None else None,
        # A JSON round trip: a Path or enum in the config becomes text here, not a crash
        # when the record is written at the end of a long run.
        "config": json.loads(json.dumps(run.config, default=str)),
        **_figures(entries),
        "total_requests": tally.total_requests,
        "requirements": entries,
        "excluded_requirements": [
            {"id": r.id, "profiles": list(r.profiles)} for r in spec.excluded_requirements
        ],
        "operations": _by_operation(entries),
    }


def _by_operation(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The score figures of each operation's requirements, in the spec's order."""
    keys = dict.fromkeys(e["operation"] for e in entries)
    return {key: _figures([e for e in entries if e["operation"] == key]) for key in keys}


def _figures(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The score figures and status totals of some requirements' entries."""
    counts = Counter(e["status"] for e in entries)
    scores = score_requirements(entries)
    return {
        "score": scores.score,
        "score_must": scores.score_must,
        "score_should": scores.score_should,
        "score_may": scores.score_may,
        "coverage": scores.coverage,
        "totals": {status: counts.get(status, 0) for status in STATUSES},
    }
