"""The conformance score: weighted share of judged requirements that passed (docs/score.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STATUSES = ("passed", "failed", "error", "untested", "not_testable")
LEVELS = ("MUST", "SHOULD", "MAY")

# Statuses that mean the suite exercised the requirement and reached a verdict or
# broke trying; `untested` did not, `not_testable` never can.
EXERCISED = frozenset({"passed", "failed", "error"})


@dataclass(frozen=True, slots=True)
class Score:
    """Unrounded scores of one set of requirements; None where nothing was judged."""

    score: float | None
    score_must: float | None
    score_should: float | None
    score_may: float | None
    coverage: float | None


def weighted_score(entries: Iterable[Mapping[str, Any]]) -> float | None:
    """Σ weight·[passed] / Σ weight over entries that are not `not_testable`.

    `untested`, `error` and `failed` all count against: a run that stopped early
    (or a requirement the suite could not reach) never reports more than it earned.
    None when no entry is judged (the denominator would be zero).
    """
    earned = 0.0
    possible = 0.0
    judged = 0
    for entry in entries:
        if entry["status"] == "not_testable":
            continue
        judged += 1
        weight = float(entry["weight"])
        possible += weight
        if entry["status"] == "passed":
            earned += weight
    if judged == 0:
        return None
    # All-zero weights would divide by zero; such a set carries no score information.
    return earned / possible if possible > 0 else None


def coverage(entries: Iterable[Mapping[str, Any]]) -> float | None:
    """Share (by count, not weight) of judged entries that were exercised at all."""
    judged = [e for e in entries if e["status"] != "not_testable"]
    if not judged:
        return None
    return sum(1 for e in judged if e["status"] in EXERCISED) / len(judged)


def score_requirements(entries: Iterable[Mapping[str, Any]]) -> Score:
    """The overall, per-level and coverage figures of the record's requirement entries."""
    materialized = list(entries)

    def of_level(level: str) -> float | None:
        return weighted_score(e for e in materialized if e["level"] == level)

    return Score(
        score=weighted_score(materialized),
        score_must=of_level("MUST"),
        score_should=of_level("SHOULD"),
        score_may=of_level("MAY"),
        coverage=coverage(materialized),
    )


def percent(value: float | None, digits: int = 2) -> str:
    """A score as a percentage for people: the fraction rounded to 4 decimals ("87.23%").

    The record keeps full precision; rounding happens only here, when rendering.
    """
    if value is None:
        return "n/a"
    return f"{round(value, digits + 2) * 100:.{digits}f}%"
