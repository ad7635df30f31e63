"""Per-category figures every human-facing report shows, derived from the record alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lambda_conformance.reporters.text import categories, status_counts
from lambda_conformance.results.score import weighted_score


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: str
    total: int
    score: float | None
    counts: dict[str, int]


def category_rows(record: Mapping[str, Any]) -> list[CategoryRow]:
    """One row per category, scored with the same formula as the whole run."""
    rows = []
    for category in categories(record):
        members = [r for r in record["requirements"] if r["category"] == category]
        rows.append(CategoryRow(category=category, total=len(members),
                                score=weighted_score(members), counts=status_counts(members)))
    return rows


def problem_requirements(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Failed requirements, then errored ones, each in spec order."""
    requirements = record["requirements"]
    return ([r for r in requirements if r["status"] == "failed"]
            + [r for r in requirements if r["status"] == "error"])
