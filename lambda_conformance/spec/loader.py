"""Load spec/invoke.yaml: parse safely, validate, apply a profile, build the model."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from lambda_conformance.layout import SPEC_DIR
from lambda_conformance.spec.model import (
    ByteLimit,
    Conventions,
    ErrorType,
    EventStream,
    Limits,
    Operation,
    Override,
    Parameter,
    Requirement,
    ResponseHeader,
    Spec,
    StreamEvent,
)

# The repository root of a clone: where `python -m lambda_conformance.spec generate` writes.
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC_PATH = SPEC_DIR / "invoke.yaml"
SCHEMA_PATH = SPEC_DIR / "schema" / "spec.schema.json"
PROFILES = ("documented", "aws")


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecError(ValueError):
    """A spec file that cannot be used; the message names the file, the field and the line."""


def load_spec(profile: str = "documented", path: Path | str | None = None) -> Spec:
    """The spec resolved for `profile`. Parsed and validated once per (file, profile)."""
    return _load(str(Path(path or DEFAULT_SPEC_PATH).resolve()), profile)


def load_raw(path: Path | str | None = None) -> dict[str, Any]:
    """The validated document before any profile is applied (a private copy)."""
    document, _ = _parse_and_validate(str(Path(path or DEFAULT_SPEC_PATH).resolve()))
    return copy.deepcopy(document)


@lru_cache(maxsize=16)
def _load(path: str, profile: str) -> Spec:
    document, text = _parse_and_validate(path)
    profiles = document["profiles"]
    if profile not in profiles:
        raise SpecError(
            f"{_display(path)}: profiles: unknown profile {profile!r}; "
            f"the spec defines {', '.join(sorted(profiles))}"
        )
    resolved, overrides = _resolve(path, text, document, profile)
    spec = _build(resolved, document, profile, overrides, path)
    return _with_companions(spec, path, text, document, profile)


def _with_companions(
    spec: Spec, path: str, text: str, document: dict[str, Any], profile: str
) -> Spec:
    """`spec` with the requirements of its companion operation documents joined to its own."""
    companions: dict[str, Spec] = {}
    requirements = list(spec.requirements)
    excluded = list(spec.excluded_requirements)
    seen = {r.id for r in (*requirements, *excluded)}
    keys = {spec.operation.key}
    for index, name in enumerate(document.get("companions", [])):
        where = f"companions.{index}"
        # Beside the document, else in the suite's own spec folder: a copy of invoke.yaml
        # edited elsewhere (a test's, a user's) keeps the shipped companions.
        candidates = (Path(path).parent / name, SPEC_DIR / name)
        found = next((c for c in candidates if c.exists()), None)
        if found is None:
            raise SpecError(_message(path, text, where, f"no such document {name!r}"))
        companion_path = str(found.resolve())
        companion = _load(companion_path, profile)
        if companion.companions:
            raise SpecError(_message(path, text, where, f"{name!r} has companions of its own"))
        key = companion.operation.key
        if not key or key in keys:
            raise SpecError(
                _message(path, text, where, f"{name!r}: operation.key {key!r} is missing or taken")
            )
        keys.add(key)
        for requirement in (*companion.requirements, *companion.excluded_requirements):
            if requirement.id in seen:
                detail = f"{name!r}: duplicate requirement id {requirement.id!r}"
                raise SpecError(_message(path, text, where, detail))
            seen.add(requirement.id)
        requirements += companion.requirements
        excluded += companion.excluded_requirements
        companions[key] = companion
    if not companions:
        return spec
    return replace(
        spec,
        requirements=tuple(requirements),
        excluded_requirements=tuple(excluded),
        companions=companions,
    )


def _resolve(
    path: str, text: str, document: dict[str, Any], profile: str
) -> tuple[dict[str, Any], tuple[Override, ...]]:
    """A copy of `document` with the overrides of `profile` applied and checked."""
    resolved = copy.deepcopy(document)
    overrides = tuple(
        Override(
            path=o["path"],
            value=o["value"],
            evidence=tuple(o["evidence"]),
            observed=o["observed"],
            reason=o["reason"],
        )
        for o in document["profiles"][profile].get("overrides", [])
    )
    for index, override in enumerate(overrides):
        where = f"profiles.{profile}.overrides.{index}.path"
        try:
            _apply(resolved, override.path, override.value)
        except KeyError as exc:
            raise SpecError(_message(path, text, where, f"no such field {exc.args[0]!r}")) from None
    _check_semantics(path, text, resolved, f"profile {profile}")
    return resolved, overrides


@lru_cache(maxsize=16)
def _parse_and_validate(path: str) -> tuple[dict[str, Any], str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"{_display(path)}: cannot be read: {exc.strerror}") from None
    try:
        # libyaml's loader when PyYAML has it: the same documents, ten times faster (the
        # spec is parsed in every process of a run: controller, xdist workers, reference).
        document = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        problem = _one_line(getattr(exc, "problem", None) or str(exc))
        raise SpecError(f"{_display(path)}: not valid YAML: {problem}{line}") from None
    if not isinstance(document, dict):
        raise SpecError(
            f"{_display(path)}: expected a mapping at the top, got {type(document).__name__}"
        )
    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        field, detail = _describe(error)
        raise SpecError(_message(path, text, field, detail))
    _check_semantics(path, text, document, "documented text")
    # Every profile is resolved once here, so that a broken override fails the file
    # whichever profile is asked for (and load_raw), not only when its profile is loaded.
    for profile in document["profiles"]:
        _resolve(path, text, document, profile)
    return document, text


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    """Turn a schema error into (dotted field, what is wrong) in plain words."""
    field = ".".join(str(p) for p in error.absolute_path)
    value = error.instance
    if error.validator == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_TYPE_WORDS.get(str(n), str(n)) for n in names)
        return field, f"expected {wanted}, got {value!r}"
    if error.validator == "additionalProperties" and isinstance(value, dict):
        allowed = set(error.schema.get("properties", {}))
        unknown = sorted(k for k in value if k not in allowed)
        key = unknown[0] if unknown else "?"
        return (f"{field}.{key}" if field else key), f"unknown key {key!r}"
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        return (f"{field}.{name}" if field else name), "missing required field"
    if error.validator == "enum":
        return field, f"expected one of {error.validator_value}, got {value!r}"
    if error.validator == "pattern":
        return field, f"{value!r} does not match {error.validator_value}"
    return field, error.message


_TYPE_WORDS = {
    "integer": "an integer",
    "string": "a string",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def _check_semantics(path: str, text: str, doc: dict[str, Any], what: str) -> None:
    """Rules a JSON Schema cannot say: regexes compile, references resolve, IDs are unique."""
    sections = {s["id"] for s in doc["sections"]}

    def fail(field: str, detail: str) -> None:
        raise SpecError(_message(path, text, field, f"{detail} ({what})"))

    def check_pattern(field: str, pattern: str) -> None:
        try:
            re.compile(pattern)
        except re.error as exc:
            fail(field, f"invalid regular expression {pattern!r}: {exc}")

    def check_section(field: str, section: str) -> None:
        if section not in sections:
            fail(field, f"section {section!r} is not listed under sections")

    for name, parameter in doc["parameters"].items():
        if "pattern" in parameter:
            check_pattern(f"parameters.{name}.pattern", parameter["pattern"])
        for part, pattern in parameter.get("components", {}).items():
            check_pattern(f"parameters.{name}.components.{part}", pattern)
        check_section(f"parameters.{name}.section", parameter["section"])
        low, high = parameter.get("min_length"), parameter.get("max_length")
        if low is not None and high is not None and low > high:
            fail(f"parameters.{name}.max_length", f"max_length={high} < min_length={low}")
    for name, header in doc["responses"]["headers"].items():
        if "pattern" in header:
            check_pattern(f"responses.headers.{name}.pattern", header["pattern"])
        check_section(f"responses.headers.{name}.section", header["section"])
    for name, error in doc["errors"].items():
        check_section(f"errors.{name}.section", error["section"])
    for limit in ("sync_payload", "async_payload"):
        value = doc["limits"][limit]
        if value["accept_up_to"] >= value["reject_from"]:
            fail(f"limits.{limit}", "accept_up_to must be below reject_from")
    conventions = doc["conventions"]
    for key, value in conventions.items():
        if key.endswith("_error") or key.endswith("_errors"):
            for name in value if isinstance(value, list) else [value]:
                if name is not None and name not in doc["errors"]:
                    fail(f"conventions.{key}", f"error {name!r} is not in the error table")
    seen: set[str] = set()
    profiles = set(doc["profiles"])
    prefix = doc["operation"].get("requirement_prefix")
    stream = doc["operation"].get("event_stream")
    if stream is not None:
        check_section("operation.event_stream.section", stream["section"])
        if stream["final_event"] not in stream["events"]:
            fail("operation.event_stream.final_event", f"{stream['final_event']!r} is not an event")
        for name, event in stream["events"].items():
            check_section(f"operation.event_stream.events.{name}.section", event["section"])
            member = event.get("payload_member")
            if member is not None and member not in event["members"]:
                fail(f"operation.event_stream.events.{name}.payload_member",
                     f"{member!r} is not a member of the event")
    for index, requirement in enumerate(doc["requirements"]):
        rid = requirement["id"]
        if rid in seen:
            fail(f"requirements.{index}.id", f"duplicate requirement id {rid!r}")
        if prefix is not None and not rid.startswith(prefix + "-"):
            fail(f"requirements.{index}.id", f"{rid!r} does not begin with {prefix + '-'!r}")
        seen.add(rid)
        check_section(f"requirements.{index}.section", requirement["section"])
        for profile in requirement.get("profiles", []):
            if profile not in profiles:
                fail(f"requirements.{index}.profiles", f"unknown profile {profile!r}")


def _apply(document: dict[str, Any], dotted: str, value: Any) -> None:
    """Set `value` at a dotted path; `requirements.<ID>.<field>` selects a requirement by ID."""
    parts = dotted.split(".")
    if parts[0] == "requirements":
        matches = [r for r in document["requirements"] if r["id"] == parts[1]]
        if not matches or len(parts) != 3:
            raise KeyError(dotted)
        matches[0][parts[2]] = copy.deepcopy(value)
        return
    target: Any = document
    for part in parts[:-1]:
        if not isinstance(target, dict) or part not in target:
            raise KeyError(dotted)
        target = target[part]
    last = parts[-1]
    # New keys are allowed only in mappings of named entries (errors), not as typos of fields.
    if not isinstance(target, dict) or (last not in target and parts[0] != "errors"):
        raise KeyError(dotted)
    target[last] = copy.deepcopy(value)


def _build(
    doc: dict[str, Any],
    original: dict[str, Any],
    profile: str,
    overrides: tuple[Override, ...],
    path: str,
) -> Spec:
    section_text = {s["id"]: s["text"] for s in doc["sections"]}
    parameters = {
        name: Parameter(
            name=name,
            location=p["in"],
            wire_name=p["wire_name"],
            required=p["required"],
            description=p["description"],
            section=p["section"],
            default=p.get("default"),
            enum=tuple(p.get("enum", ())),
            min_length=p.get("min_length"),
            max_length=p.get("max_length"),
            pattern=p.get("pattern"),
            encoding=p.get("encoding"),
            name_forms=dict(p.get("name_forms", {})),
            components=dict(p.get("components", {})),
        )
        for name, p in doc["parameters"].items()
    }
    headers = {
        name: ResponseHeader(
            name=name,
            wire_name=h["wire_name"],
            description=h["description"],
            section=h["section"],
            min_length=h.get("min_length"),
            max_length=h.get("max_length"),
            pattern=h.get("pattern"),
            encoding=h.get("encoding"),
            values=tuple(h.get("values", ())),
            absent_on_status=tuple(h.get("absent_on_status", ())),
        )
        for name, h in doc["responses"]["headers"].items()
    }
    page_errors = set(original["errors"])
    errors = {
        name: ErrorType(
            name=name,
            status=e["status"],
            message_key=e["message_key"],
            description=e["description"],
            section=e["section"],
            provokable=e["provokable"],
            body_verified=e.get("body_verified", True),
            message_prefixes=tuple(e.get("message_prefixes", {}).items()),
            type_value=e.get("type_value"),
            source="page" if name in page_errors else profile,
        )
        for name, e in doc["errors"].items()
    }
    limits_doc = doc["limits"]
    limits = Limits(
        sync_payload=ByteLimit(**limits_doc["sync_payload"]),
        async_payload=ByteLimit(**limits_doc["async_payload"]),
        response_payload_max_bytes=limits_doc["response_payload_max_bytes"],
        log_tail_bytes=limits_doc["log_tail_bytes"],
        client_context_max_bytes=limits_doc["client_context_max_bytes"],
        bare_name_max_length=limits_doc["bare_name_max_length"],
        async_attempts=limits_doc["async_attempts"],
    )
    c = doc["conventions"]
    conventions = Conventions(
        error_type_header=c["error_type_header"],
        error_content_type=c["error_content_type"],
        body_type_key=c["body_type_key"],
        constraint_violation_error=c["constraint_violation_error"],
        enum_violation_errors=tuple(c["enum_violation_errors"]),
        client_context_errors=tuple(c["client_context_errors"]),
        request_too_large_error=c["request_too_large_error"],
        invalid_content_error=c["invalid_content_error"],
        not_found_error=c["not_found_error"],
        qualifier_conflict_error=c["qualifier_conflict_error"],
        cross_region_error=c["cross_region_error"],
        incomplete_arn_error=c["incomplete_arn_error"],
        validated_before_lookup=c["validated_before_lookup"],
        throttle_error=c["throttle_error"],
        throttle_reason_reserved=c["throttle_reason_reserved"],
        function_error_values=tuple(c["function_error_values"]),
        timeout_error_type=c["timeout_error_type"],
        response_too_large_error_type=c["response_too_large_error_type"],
        timeout_error_message=c["timeout_error_message"],
        response_too_large_error_message=c["response_too_large_error_message"],
    )
    weights = doc["weights"]
    all_profiles = tuple(doc["profiles"])
    applicable: list[Requirement] = []
    excluded: list[Requirement] = []
    for r in doc["requirements"]:
        requirement = Requirement(
            id=r["id"],
            level=r["level"],
            category=r["category"],
            weight=float(r.get("weight", weights[r["level"]])),
            section=r["section"],
            statement=r["statement"],
            testability=r["testability"],
            profiles=tuple(r.get("profiles", all_profiles)),
            evidence=tuple(r.get("evidence", ())),
            source_text=section_text[r["section"]],
            operation=doc["operation"].get("key", ""),
        )
        (applicable if profile in requirement.profiles else excluded).append(requirement)
    op = doc["operation"]
    stream = op.get("event_stream")
    event_stream = (
        EventStream(
            section=stream["section"],
            content_type=stream["content_type"],
            final_event=stream["final_event"],
            events={
                name: StreamEvent(
                    name=name,
                    members=tuple(e["members"]),
                    section=e["section"],
                    payload_member=e.get("payload_member"),
                    content_type=e.get("content_type"),
                )
                for name, e in stream["events"].items()
            },
        )
        if stream is not None
        else None
    )
    return Spec(
        version=doc["spec_version"],
        profile=profile,
        source=path,
        operation=Operation(
            name=op["name"],
            method=op["method"],
            path=op["path"],
            statuses=dict(op["success_status"]),
            key=op.get("key", ""),
            requirement_prefix=op.get("requirement_prefix"),
            event_stream=event_stream,
        ),
        parameters=parameters,
        response_headers=headers,
        errors=errors,
        limits=limits,
        conventions=conventions,
        requirements=tuple(applicable),
        excluded_requirements=tuple(excluded),
        overrides=overrides,
        sections=tuple(s["id"] for s in doc["sections"]),
        raw=doc,
    )


def _display(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _message(path: str, text: str, field: str, detail: str) -> str:
    line = _line_of(text, field)
    where = f" (line {line})" if line else ""
    return f"{_display(path)}: {field or '<top>'}: {_one_line(detail)}{where}"


def _one_line(text: str) -> str:
    # A SpecError is one line: schema and YAML messages can span several.
    return " ".join(text.split())


def _line_of(text: str, dotted: str) -> int | None:
    """The 1-based line of a dotted path in the YAML text, or of its nearest existing parent."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    best = node.start_mark.line + 1 if node is not None else None
    for part in [p for p in dotted.split(".") if p]:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            child = node.value[int(part)]
        if child is None:
            break
        node = child
        best = child.start_mark.line + 1
    return best
