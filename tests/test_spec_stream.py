"""The InvokeWithResponseStream document: loads beside Invoke, agrees with botocore, cites it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import botocore
import botocore.session
import pytest

from lambda_conformance.spec import PROFILES, SpecError, load_raw, load_spec
from lambda_conformance.spec.__main__ import generated_files
from lambda_conformance.spec.loader import DEFAULT_SPEC_PATH, ROOT, SPEC_DIR

STREAM_PATH = SPEC_DIR / "invoke-with-response-stream.yaml"


@pytest.fixture(scope="module")
def model() -> Any:
    return botocore.session.get_session().get_service_model("lambda")


@pytest.mark.parametrize("profile", PROFILES)
def test_both_operations_join_one_spec(profile: str) -> None:
    spec = load_spec(profile)
    assert spec.operation_keys == ("invoke", "stream")
    stream = spec.for_operation("stream")
    assert stream.operation.name == "InvokeWithResponseStream"
    assert {r.operation for r in stream.requirements} == {"stream"}
    # The record covers every operation: the companion's requirements are the spec's too.
    assert stream.requirement_ids <= spec.requirement_ids
    assert {r.id.split("-")[0] for r in spec.requirements} == {"INV", "STR"}
    assert spec.for_operation("invoke") is spec
    with pytest.raises(KeyError, match="covers invoke, stream"):
        spec.for_operation("nope")


def test_http_binding_and_enums_match_the_model(model: Any) -> None:
    raw = load_raw(STREAM_PATH)
    op = model.operation_model(raw["operation"]["name"])
    assert (raw["operation"]["method"], raw["operation"]["path"]) == (
        op.http["method"],
        op.http["requestUri"],
    )
    members = op.input_shape.members
    for name, parameter in raw["parameters"].items():
        assert name in members, name
        if parameter["in"] in ("header", "query", "path"):
            assert members[name].serialization.get("name") == parameter["wire_name"], name
    assert raw["parameters"]["InvocationType"]["enum"] == members["InvocationType"].enum
    assert raw["parameters"]["LogType"]["enum"] == members["LogType"].enum


def test_event_stream_matches_the_model(model: Any) -> None:
    stream = load_spec("documented").for_operation("stream").operation.event_stream
    assert stream is not None
    op = model.operation_model("InvokeWithResponseStream")
    shape = op.output_shape.members[op.output_shape.serialization["payload"]]
    assert shape.serialization.get("eventstream") is True
    assert set(stream.events) == set(shape.members)
    for name, event in stream.events.items():
        event_shape = shape.members[name]
        assert set(event.members) == set(event_shape.members), name
        payload = [m for m, s in event_shape.members.items() if s.serialization.get("eventpayload")]
        assert [event.payload_member] == payload if payload else event.payload_member is None


def _botocore_citation_holds(model: Any, citation: str) -> bool:
    """`botocore: <Shape>[.<Member>] ...`, `botocore: <Operation> ...` or a module path."""
    first, _, rest = citation.partition(" ")
    if "/" in first:
        source = Path(botocore.__file__).parent.parent / first
        return source.exists() and rest.split()[0] in source.read_text(encoding="utf-8")
    shape, _, member = first.partition(".")
    if shape in model.operation_names:
        return member in ("", "errors", "http")
    try:
        found = model.shape_for(shape)
    except botocore.exceptions.NoShapeFoundError:
        return False
    return not member or member in found.members


def test_every_requirement_cites_evidence_that_exists(model: Any) -> None:
    raw = load_raw(STREAM_PATH)
    missing = []
    for requirement in raw["requirements"]:
        evidence = requirement.get("evidence", [])
        assert evidence, f"{requirement['id']} cites no evidence"
        for citation in evidence:
            # No recording of this operation is held: a GT row would be a false citation.
            assert not citation.startswith("GT-"), (requirement["id"], citation)
            kind, _, what = citation.partition(": ")
            if kind == "botocore" and not _botocore_citation_holds(model, what):
                missing.append((requirement["id"], citation))
    assert missing == []


def test_every_botocore_section_names_a_real_shape(model: Any) -> None:
    for section in load_raw(STREAM_PATH)["sections"]:
        kind, _, what = section["id"].partition(": ")
        if kind == "botocore":
            assert _botocore_citation_holds(model, what), section["id"]


def test_missing_evidence_is_said_not_guessed() -> None:
    stream = load_spec("aws").for_operation("stream")
    assert stream.operation.event_stream is not None
    # No source fixes the HTTP Content-Type of the stream: it is left unjudged.
    assert stream.operation.event_stream.content_type is None
    assert not stream.overrides, "no recording of AWS backs an aws override"
    assert "no recording" in stream.raw["profiles"]["aws"]["description"]


def test_requirement_ids_carry_the_operation_prefix(tmp_path: Path) -> None:
    text = STREAM_PATH.read_text(encoding="utf-8")
    path = tmp_path / "invoke-with-response-stream.yaml"
    path.write_text(text.replace("id: STR-TYPE-001", "id: INV-TYPE-901", 1), encoding="utf-8")
    with pytest.raises(SpecError, match=r"'INV-TYPE-901' does not begin with 'STR-'"):
        load_spec("documented", path)


def test_a_missing_companion_is_named(tmp_path: Path) -> None:
    text = DEFAULT_SPEC_PATH.read_text(encoding="utf-8")
    path = tmp_path / "invoke.yaml"
    path.write_text(text.replace("[invoke-with-response-stream.yaml]", "[nope.yaml]"), "utf-8")
    with pytest.raises(SpecError, match=r"companions\.0: no such document 'nope.yaml'"):
        load_spec("documented", path)


def test_a_requirement_id_may_not_repeat_across_operations(tmp_path: Path) -> None:
    companion = tmp_path / "invoke-with-response-stream.yaml"
    text = STREAM_PATH.read_text(encoding="utf-8")
    companion.write_text(
        text.replace("requirement_prefix: STR", "requirement_prefix: INV").replace(
            "id: STR-TYPE-001", "id: INV-TYPE-001"
        ).replace("id: STR-", "id: INV-X"),
        encoding="utf-8",
    )
    (tmp_path / "invoke.yaml").write_text(DEFAULT_SPEC_PATH.read_text("utf-8"), "utf-8")
    with pytest.raises(SpecError, match="duplicate requirement id 'INV-TYPE-001'"):
        load_spec("documented", tmp_path / "invoke.yaml")


@pytest.mark.parametrize("relative", sorted(str(p) for p in generated_files()))
def test_generated_files_are_fresh(relative: str) -> None:
    render = generated_files()[Path(relative)]
    assert (ROOT / relative).read_text(encoding="utf-8") == render(), (
        f"{relative} is stale: python -m lambda_conformance.spec generate"
    )


def test_stream_traceability_lists_every_requirement() -> None:
    text = (ROOT / "docs" / "traceability-stream.md").read_text(encoding="utf-8")
    for requirement in load_raw(STREAM_PATH)["requirements"]:
        assert re.search(rf"\b{requirement['id']} \(", text), requirement["id"]
