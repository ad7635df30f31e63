"""Drift check: a spec document against its operation (`operation.name`) in botocore's model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Item names (stable: `botocore_expected_drift` in each spec document lists them verbatim).
#
#   operation.method | operation.path          the HTTP binding
#   <Param>.<field>                             a request parameter in both; field is one of
#                                               location, wire_name, required, min_length,
#                                               max_length, pattern, enum
#   <Param>.not_in_model                        a spec parameter the model lacks
#   headers.<Member>                            a model request header the spec lacks
#   request.<Member>                            a model request member (not a header) the spec lacks
#   response.<Header>.<field>                   a response header in both; field is one of
#                                               wire_name, min_length, max_length, pattern, enum
#   response.<Header>.not_in_model              a spec response header the model lacks
#   response.<Member>                           a model response header the spec lacks
#   errors.<Name>.status | .message_key         an error in both
#   errors.<Name>.added                         a model error the page does not list
#   errors.<Name>.not_in_model                  a page error the model lacks
#
# <Param>, <Header> and <Member> are the model's member names, which the spec uses as its
# keys (FunctionName, ExecutedVersion...); <Name> is the full error code (...Exception).
# The operation of a spec document that names none (the first documents did not).
OPERATION = "Invoke"

_MODEL_LOCATION = {"uri": "path", "querystring": "query", "header": "header"}
_CONSTRAINTS = (("min_length", "min"), ("max_length", "max"), ("pattern", "pattern"))


@dataclass(frozen=True, slots=True)
class Difference:
    """One way the spec and the model disagree, and whether the spec expects it."""

    item: str
    spec: str
    model: str
    expected: bool = False
    reason: str = ""

    def __str__(self) -> str:
        verdict = "expected" if self.expected else "UNEXPECTED"
        line = f"{verdict:10} {self.item}: spec {self.spec}, model {self.model}"
        return f"{line}\n{'':11}({self.reason})" if self.reason else line


def botocore_operation(operation: str = OPERATION) -> Any:
    """The installed botocore's model of a Lambda operation (an OperationModel)."""
    import botocore.session

    return botocore.session.get_session().get_service_model("lambda").operation_model(operation)


def drift(spec_raw: dict[str, Any], operation_model: Any = None) -> list[Difference]:
    """Every difference between the documented spec (`load_raw()`) and the model.

    `operation_model` defaults to the spec's operation (`operation.name`) in the installed
    botocore. Differences whose item
    is listed under `botocore_expected_drift` are marked expected, with the listed reason.
    The list is sorted by item, so the output is stable.
    """
    op = (operation_model if operation_model is not None
          else botocore_operation(spec_raw.get("operation", {}).get("name", OPERATION)))
    found: list[tuple[str, Any, Any]] = []
    _compare_operation(spec_raw, op, found)
    _compare_request(spec_raw, op, found)
    _compare_response(spec_raw, op, found)
    _compare_errors(spec_raw, op, found)
    reasons = {e["item"]: e["reason"] for e in spec_raw.get("botocore_expected_drift", [])}
    return sorted(
        (
            Difference(
                item=item,
                spec=_show(spec_value),
                model=_show(model_value),
                expected=item in reasons,
                reason=reasons.get(item, ""),
            )
            for item, spec_value, model_value in found
        ),
        key=lambda d: d.item,
    )


def unexpected(differences: list[Difference]) -> list[Difference]:
    return [d for d in differences if not d.expected]


def stale_expectations(spec_raw: dict[str, Any], differences: list[Difference]) -> list[str]:
    """Items listed as expected drift that the model no longer differs on."""
    present = {d.item for d in differences}
    return [
        e["item"] for e in spec_raw.get("botocore_expected_drift", []) if e["item"] not in present
    ]


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _compare_operation(
    spec_raw: dict[str, Any], op: Any, found: list[tuple[str, Any, Any]]
) -> None:
    operation = spec_raw["operation"]
    for field, model_key in (("method", "method"), ("path", "requestUri")):
        if operation[field] != op.http.get(model_key):
            found.append((f"operation.{field}", operation[field], op.http.get(model_key)))


def _member_location(shape: Any, name: str, member: Any) -> str:
    if shape.serialization.get("payload") == name:
        return "body"
    location = member.serialization.get("location")
    return _MODEL_LOCATION.get(location, location or "body")


def _compare_constraints(
    prefix: str, spec_entry: dict[str, Any], member: Any, found: list[tuple[str, Any, Any]]
) -> None:
    for field, trait in _CONSTRAINTS:
        ours, theirs = spec_entry.get(field), member.metadata.get(trait)
        if ours != theirs:
            found.append((f"{prefix}.{field}", ours, theirs))
    # Enums are sets: the page and the model list values in their own order.
    ours_enum = sorted(spec_entry.get("enum", spec_entry.get("values", [])))
    theirs_enum = sorted(getattr(member, "enum", None) or [])
    if ours_enum != theirs_enum:
        found.append((f"{prefix}.enum", ours_enum or None, theirs_enum or None))


def _compare_request(spec_raw: dict[str, Any], op: Any, found: list[tuple[str, Any, Any]]) -> None:
    shape = op.input_shape
    members = dict(shape.members)
    required = set(shape.required_members)
    for name, parameter in spec_raw["parameters"].items():
        member = members.pop(name, None)
        if member is None:
            found.append((f"{name}.not_in_model", parameter["wire_name"], None))
            continue
        location = _member_location(shape, name, member)
        if parameter["in"] != location:
            found.append((f"{name}.location", parameter["in"], location))
        wire_name = member.serialization.get("name", name)
        if parameter["wire_name"] != wire_name:
            found.append((f"{name}.wire_name", parameter["wire_name"], wire_name))
        if parameter["required"] != (name in required):
            found.append((f"{name}.required", parameter["required"], name in required))
        _compare_constraints(name, parameter, member, found)
    for name, member in members.items():
        location = _member_location(shape, name, member)
        group = "headers" if location == "header" else "request"
        found.append((f"{group}.{name}", None, member.serialization.get("name", name)))


def _compare_response(spec_raw: dict[str, Any], op: Any, found: list[tuple[str, Any, Any]]) -> None:
    # Only the headers: the status code and the payload have no constraints to compare.
    members = {
        name: member
        for name, member in op.output_shape.members.items()
        if member.serialization.get("location") == "header"
    }
    for name, header in spec_raw["responses"]["headers"].items():
        member = members.pop(name, None)
        if member is None:
            found.append((f"response.{name}.not_in_model", header["wire_name"], None))
            continue
        wire_name = member.serialization.get("name", name)
        if header["wire_name"] != wire_name:
            found.append((f"response.{name}.wire_name", header["wire_name"], wire_name))
        _compare_constraints(f"response.{name}", header, member, found)
    for name, member in members.items():
        found.append((f"response.{name}", None, member.serialization.get("name", name)))


def _message_key(shape: Any) -> str | None:
    keys = [k for k in ("message", "Message") if k in shape.members]
    return keys[0] if len(keys) == 1 else None


def _compare_errors(spec_raw: dict[str, Any], op: Any, found: list[tuple[str, Any, Any]]) -> None:
    model = {shape.name: shape for shape in op.error_shapes}
    for name, error in spec_raw["errors"].items():
        shape = model.pop(name, None)
        if shape is None:
            found.append((f"errors.{name}.not_in_model", error["status"], None))
            continue
        status = shape.metadata.get("error", {}).get("httpStatusCode")
        if error["status"] != status:
            found.append((f"errors.{name}.status", error["status"], status))
        key = _message_key(shape)
        if error["message_key"] != key:
            found.append((f"errors.{name}.message_key", error["message_key"], key))
    for name, shape in model.items():
        status = shape.metadata.get("error", {}).get("httpStatusCode")
        found.append((f"errors.{name}.added", None, [status, _message_key(shape)]))
