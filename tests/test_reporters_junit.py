"""JUnit XML: one testcase per requirement, and it parses whatever the target sent."""

from __future__ import annotations

import xml.dom.minidom
import xml.etree.ElementTree as ET
import xml.sax

from test_results_support import HOSTILE_SCRIPT, demo_record, hostile_record

from lambda_conformance.reporters import render_junit


def parse_strictly(text: str) -> ET.Element:
    # expat rejects every XML-illegal character and malformed construct; feed bytes
    # as a file would be read, and also through SAX and minidom for good measure.
    data = text.encode("utf-8")
    xml.sax.parseString(data, xml.sax.ContentHandler())
    xml.dom.minidom.parseString(data)
    return ET.fromstring(data)


def test_one_testcase_per_requirement() -> None:
    root = parse_strictly(render_junit(demo_record()))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.attrib["tests"] == "7"
    assert (suite.attrib["failures"], suite.attrib["errors"], suite.attrib["skipped"]) == \
        ("1", "1", "2")
    cases = {c.attrib["name"].split()[0]: c for c in suite.iter("testcase")}
    assert list(cases) == [f"DEMO-00{i}" for i in range(1, 8)]
    assert cases["DEMO-001"].attrib == {"classname": "invocation-type",
                                        "name": "DEMO-001 Statement of DEMO-001.", "time": "0"}
    assert list(cases["DEMO-001"]) == []
    failure = cases["DEMO-002"].find("failure")
    assert failure is not None
    assert failure.attrib["message"] == "Wrong status code"
    assert "Expected: status 202\nReceived: status 500" in (failure.text or "")
    assert "Reproduce with:\n    curl -X POST" in (failure.text or "")
    error = cases["DEMO-005"].find("error")
    assert error is not None and "ReadTimeout" in error.attrib["message"]
    skipped = cases["DEMO-003"].find("skipped")
    assert skipped is not None
    assert skipped.attrib["message"] == "untested: no fixture function 'large' in the manifest"
    assert cases["DEMO-007"].find("skipped") is not None
    properties = {p.attrib["name"]: p.attrib["value"] for p in root.iter("property")}
    assert properties["score"] == "39.13%"


def test_hostile_target_data_still_parses() -> None:
    text = render_junit(hostile_record())
    root = parse_strictly(text)
    failure = next(root.iter("failure"))
    body = failure.text or ""
    assert "<script>document.body" in body  # kept as text, escaped by the serializer
    assert HOSTILE_SCRIPT not in text  # …never as markup
    assert "\\x00" in body and "\\x1b" in body and "\\ud800" in body and "\\uffff" in body
    assert "]]>" in body
    assert "more characters)" in body  # the 120 000-character body was capped
    assert "Oversized body nul\\x00" in body
    props = {p.attrib["name"]: p.attrib["value"] for p in root.iter("property")}
    assert props["target_url"].startswith("http://evil.example:8080/<img")
    assert props["complete"] == "false"
