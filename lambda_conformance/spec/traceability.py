"""Generated Markdown: page sections to requirements, the error table, and the profiles."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

_MISSING = object()

TRACE_COMMAND = "python -m lambda_conformance.spec trace --out docs/traceability.md"
PROFILES_COMMAND = "python -m lambda_conformance.spec profiles --out docs/profiles.md"


def render_traceability(
    raw: dict[str, Any],
    source_file: str = "spec/invoke.yaml",
    command: str = TRACE_COMMAND,
) -> str:
    """docs/traceability.md from the validated document (`load_raw()`); a companion
    operation's document renders the same table for its own sources."""
    all_profiles = list(raw["profiles"])
    requirements = raw["requirements"]
    by_section: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for requirement in requirements:
        by_section[requirement["section"]].append(requirement)
    changed = _requirement_overrides(raw)

    lines = [
        f"# Traceability: {raw['source']['document']} to requirements",
        "",
        f"<!-- Generated from {source_file} by `{command}`. Do not edit. -->",
        "",
        f"Every section of the page (`{raw['source']['document']}`) and the requirements "
        f"that cite it. {len(raw['sections'])} sections, {len(requirements)} requirements. "
        "Profiles: those a requirement applies to (`all`: every profile). Where a profile "
        "overrides a field of a requirement, the entry says so (see `docs/profiles.md`).",
        "",
        "| Section | Requirements (level, testability, profiles) |",
        "|---|---|",
    ]
    for section in raw["sections"]:
        entries = []
        for r in by_section.get(section["id"], []):
            profiles = r.get("profiles", all_profiles)
            facts = [
                r["level"],
                r["testability"],
                "all" if profiles == all_profiles else ", ".join(profiles),
            ]
            entry = f"{r['id']} ({', '.join(facts)}"
            entry += "".join(f"; {change}" for change in changed.get(r["id"], [])) + ")"
            entries.append(_cell(entry))
        lines.append(f"| {_cell(section['id'])} | {'<br>'.join(entries) or '**none**'} |")
    lines += ["", *_error_table(raw), ""]
    return "\n".join(lines)


def _requirement_overrides(raw: dict[str, Any]) -> dict[str, list[str]]:
    changed: dict[str, list[str]] = defaultdict(list)
    for profile, body in raw["profiles"].items():
        for override in body.get("overrides", []):
            parts = override["path"].split(".")
            if parts[0] == "requirements" and len(parts) == 3:
                changed[parts[1]].append(f"{profile}: {parts[2]} → {_short(override['value'])}")
    return changed


def _short(value: Any) -> str:
    text = _json(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _error_table(raw: dict[str, Any]) -> list[str]:
    requirement_ids = {r["id"] for r in raw["requirements"]}
    by_section: dict[str, list[str]] = defaultdict(list)
    for requirement in raw["requirements"]:
        by_section[requirement["section"]].append(requirement["id"])
    rows: list[tuple[str, dict[str, Any], str]] = [
        (name, error, "page") for name, error in raw["errors"].items()
    ]
    for profile, body in raw["profiles"].items():
        for override in body.get("overrides", []):
            parts = override["path"].split(".")
            if parts[0] == "errors" and len(parts) == 2 and parts[1] not in raw["errors"]:
                rows.append(
                    (parts[1], override["value"], f"{profile} ({', '.join(override['evidence'])})")
                )
    prefix = raw["operation"].get("requirement_prefix", "INV")
    lines = [
        "## Errors",
        "",
        "The page's error table, then the error types a profile adds. Requirement: the "
        f"`{prefix}-ERR-` requirement of the error type, then the others citing its section.",
        "",
        "| Error | Status | Message key | Provokable | Source | Requirement |",
        "|---|---|---|---|---|---|",
    ]
    for name, error, source in rows:
        own = f"{prefix}-ERR-{name.removesuffix('Exception')}"
        ids = [own] if own in requirement_ids else []
        # A profile's error may point at a section shared with a page error; list only the
        # page error's own INV-ERR there, not every requirement of that section twice.
        if source == "page":
            ids += [rid for rid in by_section.get(error["section"], []) if rid != own]
        lines.append(
            f"| {name} | {error['status']} | `{error['message_key']}` | "
            f"{'yes' if error['provokable'] else 'no'} | {source} | {', '.join(ids) or '–'} |"
        )
    return lines


def render_profiles(raw: dict[str, Any]) -> str:
    """docs/profiles.md from the validated document (`load_raw()`)."""
    lines = [
        "# Profiles",
        "",
        f"<!-- Generated from spec/invoke.yaml by `{PROFILES_COMMAND}`. Do not edit. -->",
        "",
        "A profile is the page (`documented`) plus dated overrides, each citing its evidence "
        "in `shared/reference/aws-observed.md` (GT rows). A `–` documented value means the "
        "field is not on the page: the profile adds it.",
    ]
    for profile, body in raw["profiles"].items():
        overrides = body.get("overrides", [])
        lines += ["", f"## `{profile}`", "", _cell(body["description"])]
        if "observed" in body:
            lines += ["", f"Observed: {body['observed']}."]
        if not overrides:
            lines += ["", "No overrides: every clause of the page stands."]
            continue
        lines += [
            "",
            f"| Path | documented | {profile} | Evidence | Observed | Reason |",
            "|---|---|---|---|---|---|",
        ]
        for o in overrides:
            before = value_at(raw, o["path"])
            shown = "–" if before is _MISSING else f"`{_cell(_json(before))}`"
            lines.append(
                f"| `{o['path']}` | {shown} | `{_cell(_json(o['value']))}` | "
                f"{', '.join(o['evidence'])} | {o['observed']} | {_cell(o['reason'])} |"
            )
    lines.append("")
    return "\n".join(lines)


def value_at(raw: dict[str, Any], dotted: str) -> Any:
    """The documented value at an override path, or a sentinel when the page lacks it.

    Paths read as the loader applies them: `requirements.<ID>.<field>` selects a
    requirement by ID, anything else walks mappings.
    """
    parts = dotted.split(".")
    if parts[0] == "requirements" and len(parts) == 3:
        for requirement in raw["requirements"]:
            if requirement["id"] == parts[1]:
                return requirement.get(parts[2], _MISSING)
        return _MISSING
    node: Any = raw
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _cell(text: str) -> str:
    # A pipe ends a Markdown table cell even inside a code span; a newline ends the row.
    return text.replace("|", "\\|").replace("\n", " ")
