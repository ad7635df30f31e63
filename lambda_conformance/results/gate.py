"""The CI gate: thresholds on the score and the baseline of known failures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lambda_conformance.results.baseline import FAILING, Baseline
from lambda_conformance.results.score import percent


@dataclass(frozen=True, slots=True)
class GateConfig:
    """Minimum scores (fractions 0..1; None = not gated) and the accepted failures.

    `baseline=None` means the baseline rules are off, not "no failure accepted".
    """

    min_score: float | None = None
    min_must: float | None = None
    min_should: float | None = None
    baseline: Baseline | None = None

    def __post_init__(self) -> None:
        for name in ("min_score", "min_must", "min_should"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"{name}={value} is not a fraction between 0 and 1")


@dataclass(frozen=True, slots=True)
class GateResult:
    ok: bool
    reasons: list[str] = field(default_factory=list)


def _thresholds(record: Mapping[str, Any], config: GateConfig) -> list[str]:
    reasons = []
    for key, minimum, label in (("score", config.min_score, "score"),
                                ("score_must", config.min_must, "MUST score"),
                                ("score_should", config.min_should, "SHOULD score")):
        value = record[key]
        # A level with no judged requirement has no score: nothing to hold it to.
        if minimum is None or value is None:
            continue
        if value < minimum:
            reasons.append(f"{label} {percent(value)} is below the minimum {percent(minimum)}")
    return reasons


def _baseline(record: Mapping[str, Any], baseline: Baseline, today: date) -> list[str]:
    reasons = []
    statuses = {r["id"]: r["status"] for r in record["requirements"]}
    excluded = {r["id"] for r in record["excluded_requirements"]}
    source = baseline.source
    for requirement_id, status in statuses.items():
        if status in FAILING and baseline.get(requirement_id) is None:
            reasons.append(f"{requirement_id} {status} and is not in the baseline ({source})")
    for entry in baseline.entries:
        status = statuses.get(entry.id)
        if entry.expires < today:
            reasons.append(f"baseline entry {entry.id} expired on {entry.expires.isoformat()} "
                           f"({entry.reason}): fix the target or renew the entry")
        if status == "passed":
            reasons.append(f"{entry.id} passes now: remove it from the baseline ({source})")
        elif status is None and entry.id not in excluded:
            # Neither judged nor excluded under this profile: most likely a typo or a
            # requirement the spec has since dropped.
            reasons.append(f"baseline entry {entry.id} names no requirement of spec "
                           f"{record['spec_version']} ({source})")
    return reasons


def evaluate_gate(record: Mapping[str, Any], config: GateConfig,
                  today: date | None = None) -> GateResult:
    """Whether a run passes CI, with every reason it does not (none when `ok`).

    Without a baseline only the thresholds gate. With one (an empty file included)
    every failed or errored requirement must be listed in it: that is strict mode.
    """
    reasons = _thresholds(record, config)
    if config.baseline is not None:
        reasons += _baseline(record, config.baseline, today or date.today())
    return GateResult(ok=not reasons, reasons=reasons)
