"""The comparison matrix: requirement × implementation, from several results.json records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lambda_conformance.reporters.html_assets import asset, content_security_policy, environment
from lambda_conformance.reporters.markdown import md_text
from lambda_conformance.results.score import percent

SYMBOLS = {
    "passed": "✓",
    "failed": "✗",
    "error": "⚠",
    "untested": "·",
    "not_testable": "n/t",
    "excluded": "n/a",
}
LEGEND = (
    ("✓", "passed"), ("✗", "failed"), ("⚠", "error"), ("·", "untested"),
    ("n/t", "not testable"), ("n/a", "not in this profile or spec version"),
)


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    record: Mapping[str, Any]

    @property
    def date(self) -> str:
        return str(self.record["finished_at"])[:10]


@dataclass(frozen=True, slots=True)
class Cell:
    status: str

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    level: str
    statement: str
    cells: tuple[Cell, ...]


def default_label(record: Mapping[str, Any]) -> str:
    """host:port of the target: what tells implementations apart when nobody named them."""
    parts = urlsplit(str(record["target_url"]))
    return parts.netloc or str(record["target_url"]) or "unknown"


def columns(records: Sequence[Mapping[str, Any]],
            labels: Sequence[str | None] = ()) -> list[Column]:
    """One column per record; duplicate labels get `#2`, `#3` so columns stay distinct."""
    result: list[Column] = []
    used: set[str] = set()
    for index, record in enumerate(records):
        given = labels[index] if index < len(labels) else None
        label = given or default_label(record)
        base, n = label, 2
        while label in used:
            label, n = f"{base} #{n}", n + 1
        used.add(label)
        result.append(Column(label, record))
    return result


def rows(cols: Sequence[Column]) -> list[Row]:
    """The union of requirements, in the order the records list them."""
    order: dict[str, Mapping[str, Any]] = {}
    for column in cols:
        for requirement in column.record["requirements"]:
            order.setdefault(requirement["id"], requirement)
    statuses = [{r["id"]: r["status"] for r in c.record["requirements"]} for c in cols]
    return [
        Row(id=rid, level=req["level"], statement=req["statement"],
            cells=tuple(Cell(s.get(rid, "excluded")) for s in statuses))
        for rid, req in order.items()
    ]


def operation_scores(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, tuple[str, ...]]]:
    """A score row per operation any record judged (`operations` in results.json), in
    first-seen order, with each record's score of it or `–` where its run did not judge
    that operation; none when only one operation was judged (its score is the record's)."""
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record.get("operations") or {}))
    if len(keys) < 2:
        return []
    return [
        (key, tuple(_operation_score(record, key) for record in records)) for key in keys
    ]


def _operation_score(record: Mapping[str, Any], key: str) -> str:
    operation = (record.get("operations") or {}).get(key)
    return "–" if operation is None else percent(operation["score"])


def render_matrix_markdown(records: Sequence[Mapping[str, Any]],
                           labels: Sequence[str | None] = ()) -> str:
    cols = columns(records, labels)
    header = "| Requirement | " + " | ".join(md_text(c.label) for c in cols) + " |"
    lines = ["## Lambda Invoke conformance comparison", "",
             " · ".join(f"{symbol} {meaning}" for symbol, meaning in LEGEND), "",
             header, "|---|" + ":-:|" * len(cols)]

    def meta(name: str, values: Sequence[str]) -> str:
        return f"| **{name}** | " + " | ".join(values) + " |"

    lines.append(meta("Score", [percent(c.record["score"])
                                + ("" if c.record["complete"] else " (incomplete)")
                                for c in cols]))
    for key, cells in operation_scores([c.record for c in cols]):
        lines.append(meta(f"Score: {md_text(key)}", list(cells)))
    lines.append(meta("Profile", [md_text(c.record["profile"]) for c in cols]))
    lines.append(meta("Spec", [md_text(c.record["spec_version"]) for c in cols]))
    lines.append(meta("Date", [md_text(c.date) for c in cols]))
    for row in rows(cols):
        lines.append(f"| {md_text(row.id)} {row.level}: {md_text(row.statement, None)} | "
                     + " | ".join(cell.symbol for cell in row.cells) + " |")
    return "\n".join(lines) + "\n"


def render_matrix_html(records: Sequence[Mapping[str, Any]],
                       labels: Sequence[str | None] = ()) -> str:
    cols = columns(records, labels)
    style = asset("report.css")
    return environment().get_template("matrix.html.j2").render(
        columns=cols, rows=rows(cols), legend=LEGEND, style=style,
        operations=operation_scores([c.record for c in cols]),
        csp=content_security_policy(style))
