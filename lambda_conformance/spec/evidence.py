"""Evidence coverage: what each GT row and page section states, and which check judges it.

`spec/evidence.yaml` lists, for every row of aws-observed.md (GT-001.., the error-envelope
items, the "not observed" bullets) and every section of the page, each observable the row
or section states (a status, an error code, a message prefix, a header, the body, what the
function sees or does) and, under each profile, the requirement and suite test that judge
it, or why none does. `problems()` says where that inventory is incomplete or names
things that do not exist; `render()` is docs/evidence-coverage.md.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from lambda_conformance.spec.loader import (
    PROFILES,
    ROOT,
    SpecError,
    _describe,
    _message,
    load_raw,
    load_spec,
)

EVIDENCE_PATH = ROOT / "spec" / "evidence.yaml"
EVIDENCE_SCHEMA_PATH = ROOT / "spec" / "schema" / "evidence.schema.json"
# The observed rows live beside the repository (../shared), here and in CI's checkout alike.
OBSERVED_PATH = ROOT.parent / "shared" / "reference" / "aws-observed.md"
EVIDENCE_COMMAND = "python -m lambda_conformance.spec evidence --out docs/evidence-coverage.md"
PASSIVE = "passive"
NOT_YET = "not yet checked"


def load_evidence(path: Path | str | None = None) -> dict[str, Any]:
    """spec/evidence.yaml parsed and validated against its JSON Schema."""
    file = Path(path or EVIDENCE_PATH)
    try:
        text = file.read_text(encoding="utf-8")
        document = yaml.safe_load(text)
    except OSError as exc:
        raise SpecError(f"{file}: cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{file}: not valid YAML: {' '.join(str(exc).split())}") from None
    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        field, detail = _describe(error)
        raise SpecError(_message(str(file), text, field, detail))
    assert isinstance(document, dict)
    return document


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(EVIDENCE_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def observed_rows(text: str) -> list[str]:
    """The row names of aws-observed.md: GT-nnn, `Error envelope: <item>` for each item of
    the envelope table, `Not observed: <first code span>` for each bullet of that list."""
    rows: list[str] = []
    part = ""
    for line in text.splitlines():
        if line.startswith("## "):
            part = line[3:].strip().lower()
            continue
        if part.startswith("error envelope") and line.startswith("| "):
            item = line.split("|")[1].strip()
            if item not in ("Item", "") and not set(item) <= set("-"):
                rows.append(f"Error envelope: {item}")
        elif part == "table" and (match := re.match(r"^\| (GT-\d{3}) \|", line)):
            rows.append(match.group(1))
        elif part.startswith("not observed") and line.startswith("* "):
            span = re.search(r"`([^`]+)`", line)
            rows.append(f"Not observed: {span.group(1) if span else line[2:42].strip()}")
    return rows


def _judging(
    observable: dict[str, Any], profile: str, applicable: frozenset[str]
) -> list[dict[str, Any]]:
    """The checks of `observable` that count under `profile`."""
    return [
        c
        for c in observable.get("checks", [])
        if c["requirement"] in applicable and profile in c.get("profiles", [profile])
    ]


def _profiles_of(reasons: dict[str, str], profile: str) -> str | None:
    return reasons.get(profile) or reasons.get("all")


def problems(
    evidence: dict[str, Any],
    *,
    rows: list[str] | None = None,
    root: Path = ROOT,
    spec_path: Path | None = None,
) -> list[str]:
    """Everything wrong with the inventory, one line each; empty when it is complete.

    `rows`: the row names the observed file has (`observed_rows`); None skips that check.
    """
    found: list[str] = []
    raw = load_raw(spec_path)
    specs = {p: load_spec(p, spec_path) for p in PROFILES}
    known = {r["id"]: r for r in raw["requirements"]}
    tests: dict[str, str] = evidence["tests"]
    markers: dict[str, tuple[str, ...] | None] = {
        short: marked_requirement_ids(root, node) for short, node in tests.items()
    }
    for short, node in tests.items():
        if markers[short] is None:
            found.append(f"tests.{short}: {node} does not resolve to a test function")

    listed_rows = [r["row"] for r in evidence["rows"]]
    listed_sections = [s["section"] for s in evidence["sections"]]
    for name, count in Counter(listed_rows + listed_sections).items():
        if count > 1:
            found.append(f"{name}: listed {count} times")
    if rows is not None:
        found += [f"{r}: no entry in spec/evidence.yaml" for r in rows if r not in listed_rows]
        found += [f"{r}: not a row of aws-observed.md" for r in listed_rows if r not in rows]
    sections = [s["id"] for s in raw["sections"]]
    found += [f"{s}: page section without an entry" for s in sections if s not in listed_sections]
    found += [f"{s}: not a section of the spec" for s in listed_sections if s not in sections]

    entries = [(r["row"], r) for r in evidence["rows"]]
    entries += [(s["section"], s) for s in evidence["sections"]]
    for source, entry in entries:
        for observable in entry["observables"]:
            where = f"{source}: {observable['observable']!r}"
            reasons: dict[str, str] = observable.get("unjudged", {})
            for check in observable.get("checks", []):
                rid, short = check["requirement"], check["test"]
                requirement = known.get(rid)
                if requirement is None:
                    found.append(f"{where}: requirement {rid} is not in spec/invoke.yaml")
                    continue
                for profile in check.get("profiles", []):
                    if rid not in specs[profile].requirement_ids:
                        found.append(f"{where}: {rid} does not apply under profile {profile}")
                if short == PASSIVE:
                    if requirement["testability"] != "passive":
                        found.append(f"{where}: {rid} is {requirement['testability']}, not passive")
                    continue
                if short not in tests:
                    found.append(f"{where}: test {short!r} is not listed under tests")
                    continue
                marked = markers.get(short)
                # The error-table requirements (INV-ERR-*) are judged by `conforms` in any
                # test that expects that error, without a marker of their own.
                if marked is not None and rid not in marked and not rid.startswith("INV-ERR-"):
                    found.append(f"{where}: {tests[short]} is not marked with {rid}")
            for profile, spec in specs.items():
                judged = _judging(observable, profile, spec.requirement_ids)
                reason = _profiles_of(reasons, profile)
                if not judged and reason is None:
                    found.append(f"{where}: neither a check nor a reason under {profile}")
                elif judged and reason is not None and profile in reasons:
                    found.append(f"{where}: both a check and a reason under {profile}")
    return found


def marked_requirement_ids(root: Path, node_id: str) -> tuple[str, ...] | None:
    """The requirement IDs a suite test is marked with, or None when the node id does not
    resolve to a module-level test function. Read from the source (no import, no pytest)."""
    file, _, function = node_id.partition("::")
    module = _module(root / file)
    if module is None:
        return None
    constants = _string_tuples(module)
    ids: list[str] = []
    for statement in module.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in statement.targets
        ):
            ids += _marked(statement.value, constants)
    for statement in module.body:
        if isinstance(statement, ast.FunctionDef) and statement.name == function:
            for decorator in statement.decorator_list:
                ids += _marked(decorator, constants)
            return tuple(dict.fromkeys(ids))
    return None


@lru_cache(maxsize=64)
def _module(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None


def _string_tuples(module: ast.Module) -> dict[str, list[str]]:
    """Module-level NAME = ("a", "b", ...) constants, for `requirements(*NAME)` markers."""
    found: dict[str, list[str]] = {}
    for statement in module.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, (ast.Tuple, ast.List))
        ):
            values = [e.value for e in statement.value.elts if isinstance(e, ast.Constant)]
            found[statement.targets[0].id] = [v for v in values if isinstance(v, str)]
    return found


def _marked(node: ast.expr, constants: dict[str, list[str]]) -> list[str]:
    """The IDs of `pytest.mark.requirements(...)` calls in a decorator or pytestmark value."""
    ids: list[str] = []
    for call in ast.walk(node):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "requirements"
        ):
            continue
        for arg in call.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                ids.append(arg.value)
            elif isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name):
                ids += constants.get(arg.value.id, [])
    return ids


def render(evidence: dict[str, Any], spec_path: Path | None = None) -> str:
    """docs/evidence-coverage.md."""
    specs = {p: load_spec(p, spec_path) for p in PROFILES}
    tests: dict[str, str] = evidence["tests"]
    tally: dict[str, Counter[str]] = {p: Counter() for p in PROFILES}
    body: list[str] = []
    pending: list[str] = []

    def cell(observable: dict[str, Any], profile: str, source: str) -> str:
        judged = _judging(observable, profile, specs[profile].requirement_ids)
        if judged:
            tally[profile]["judged"] += 1
            return "<br>".join(f"{c['requirement']} ({_test_cell(c['test'])})" for c in judged)
        reason = _profiles_of(observable.get("unjudged", {}), profile) or "?"
        kind = reason.split(":", 1)[0]
        tally[profile][kind] += 1
        if kind == NOT_YET:
            pending.append(f"{source} ({profile}): {observable['observable']}")
        return f"– *{_cell(reason)}*"

    for title, key, entries in (
        ("Rows of aws-observed.md", "row", evidence["rows"]),
        ("Sections of the page", "section", evidence["sections"]),
    ):
        body += [
            "",
            f"## {title}",
            "",
            "| Source | Observable | Kind | documented | aws |",
            "|---|---|---|---|---|",
        ]
        for entry in entries:
            for observable in entry["observables"]:
                body.append(
                    f"| {_cell(entry[key])} | {_cell(observable['observable'])} | "
                    f"{observable['kind']} | {cell(observable, 'documented', entry[key])} | "
                    f"{cell(observable, 'aws', entry[key])} |"
                )
    total = sum(len(e["observables"]) for e in evidence["rows"] + evidence["sections"])
    lines = [
        "# Evidence coverage",
        "",
        f"<!-- Generated from spec/evidence.yaml by `{EVIDENCE_COMMAND}`. Do not edit. -->",
        "",
        "Every observable that a row of `shared/reference/aws-observed.md` or a section of "
        "the page states, and what judges it under each profile: the requirement and the "
        "suite test (`passive`: judged on every response), or why nothing does. "
        f"{len(evidence['rows'])} rows, {len(evidence['sections'])} sections, "
        f"{total} observables. `tests/test_evidence_coverage.py` keeps this complete.",
        "",
        "| Profile | " + " | ".join(_KINDS) + " |",
        "|---|" + "---|" * len(_KINDS),
    ]
    for profile in PROFILES:
        lines.append(f"| {profile} | " + " | ".join(str(tally[profile][k]) for k in _KINDS) + " |")
    if pending:
        lines += ["", "Not yet checked:", ""] + [f"- {_cell(p)}" for p in pending]
    lines += body
    lines += ["", "## Tests", "", "| Short name | Node id |", "|---|---|"]
    lines += [f"| `{short}` | `{node}` |" for short, node in sorted(tests.items())]
    lines.append("")
    return "\n".join(lines)


_KINDS = (
    "judged",
    "profile does not require it",
    "evidence open",
    "not provokable with the fixture roles",
    "not observable from outside",
    "not part of the contract",
    NOT_YET,
)


def _test_cell(short: str) -> str:
    return "passive" if short == PASSIVE else f"`{short}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
