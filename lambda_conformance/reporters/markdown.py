"""The Markdown summary: fit for a PR comment and $GITHUB_STEP_SUMMARY, safe against its data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lambda_conformance.reporters.overview import category_rows, problem_requirements
from lambda_conformance.reporters.text import failure_text, safe
from lambda_conformance.results.score import percent

# GitHub caps a step summary at 1 MiB; per-field and per-report caps keep a
# target that answers with megabytes from pushing the verdict out of it.
FIELD_LIMIT = 2000
MAX_REPORTED = 60

# Inline text never starts a line here (it follows a table pipe or a label), so the
# line-start markers `-`, `+`, `.` and `>` need no escape; `#` and `:` are escaped to stop
# issue references (#12) and autolinks (https://…) in a PR comment.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#!|~:])")
_BACKTICKS = re.compile(r"`+")


def md_text(text: Any, limit: int | None = 300) -> str:
    """Inline text with every Markdown and HTML metacharacter neutralized.

    Backslash escapes stop emphasis, links, tables and headings; `<`, `>`, `&` become
    entities so no HTML passes; `@` gets a zero-width joiner so a target cannot
    mention (ping) people in a PR comment; newlines become spaces so a table holds.
    """
    value = " ".join(safe(text, limit).split())
    value = _PUNCTUATION.sub(r"\\\1", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("@", "@\u2060")


def md_code(text: Any, limit: int | None = 300) -> str:
    """An inline code span holding `text` literally, safe inside a table cell."""
    value = " ".join(safe(text, limit).split())
    # GFM splits table cells on `|` even inside code spans; `\|` is the documented escape.
    value = value.replace("|", "\\|")
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(value)), default=0) + 1)
    return f"{fence} {value} {fence}"


def md_fence(text: str) -> str:
    """A fenced block holding `text` literally: the fence outgrows any backtick run in it."""
    value = safe(text)
    longest = max((len(m) for m in _BACKTICKS.findall(value)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{value}\n{fence}"


def _operation_rows(record: Mapping[str, Any]) -> list[str]:
    """A score row per operation, where the record judged more than one."""
    operations = record.get("operations") or {}
    if len(operations) < 2:
        return []
    cells = ", ".join(
        f"{md_text(key)} {percent(o['score'])}" for key, o in operations.items()
    )
    return [f"| Score by operation | {cells} |"]


def _headline(record: Mapping[str, Any]) -> list[str]:
    lines = [f"## Lambda Invoke conformance: {percent(record['score'])}", ""]
    if not record["complete"]:
        reason = record["stop_reason"] or "no reason recorded"
        lines += [f"> **Incomplete run** (stopped: {md_text(reason)}). Requirements it did "
                  "not reach count as untested, against the score.", ""]
    totals = record["totals"]
    lines += [
        "| | |",
        "|---|---|",
        f"| Target | {md_code(record['target_url'])} |",
        f"| Profile | {md_text(record['profile'])} |",
        f"| Spec / suite | {md_text(record['spec_version'])} / "
        f"{md_text(record['suite_version'])} |",
        f"| Score by level | MUST {percent(record['score_must'])}, "
        f"SHOULD {percent(record['score_should'])}, MAY {percent(record['score_may'])} |",
        *_operation_rows(record),
        f"| Coverage | {percent(record['coverage'])} of testable requirements exercised |",
        f"| Requirements | {totals['passed']} passed, {totals['failed']} failed, "
        f"{totals['error']} error, {totals['untested']} untested, "
        f"{totals['not_testable']} not testable |",
        f"| Requests | {record['total_requests']} |",
        f"| Seed | {md_code(record['hypothesis_seed'])} "
        f"({md_text(record['hypothesis_profile'])}) |",
        f"| Finished | {md_text(record['finished_at'])} |",
        "",
    ]
    return lines


def _categories(record: Mapping[str, Any]) -> list[str]:
    lines = ["### By category", "",
             "| Category | Score | Passed | Failed | Error | Untested | Not testable |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in category_rows(record):
        c = row.counts
        lines.append(f"| {md_text(row.category)} | {percent(row.score)} | {c['passed']} | "
                     f"{c['failed']} | {c['error']} | {c['untested']} | "
                     f"{c['not_testable']} |")
    return [*lines, ""]


def _problem(requirement: Mapping[str, Any]) -> list[str]:
    lines = [f"#### {md_text(requirement['id'])} ({requirement['level']}, "
             f"{requirement['status']}): {md_text(requirement['statement'], None)}", "",
             f"Spec section: {md_text(requirement['section'], None)}", ""]
    failures = requirement["failures"]
    if failures:
        # One example per requirement here; report.html and results.json hold the rest.
        lines += [md_fence(failure_text(failures[0], FIELD_LIMIT)), ""]
        more = len(failures) - 1 + requirement["failures_dropped"]
        if more:
            lines += [f"…and {more} more failure(s) of this requirement in report.html.", ""]
    for error in requirement["errors"][:1]:
        lines += [md_fence(safe(error, FIELD_LIMIT)), ""]
    return lines


def render_markdown(record: Mapping[str, Any]) -> str:
    """The summary as Markdown text (ends with a newline)."""
    lines = _headline(record) + _categories(record)
    problems = problem_requirements(record)
    if problems:
        lines += ["### Failed requirements", ""]
        for requirement in problems[:MAX_REPORTED]:
            lines += _problem(requirement)
        if len(problems) > MAX_REPORTED:
            lines += [f"…and {len(problems) - MAX_REPORTED} more in report.html.", ""]
    else:
        lines += ["No requirement failed.", ""]
    return "\n".join(lines)
