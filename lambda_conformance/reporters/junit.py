"""JUnit XML: one testcase per requirement, so CI systems show verdicts natively."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from lambda_conformance.reporters.text import failure_text, safe
from lambda_conformance.results.score import percent

# A CI test viewer chokes on megabyte messages long before the XML does.
FIELD_LIMIT = 8000


def _testcase(parent: ET.Element, requirement: Mapping[str, Any]) -> None:
    case = ET.SubElement(parent, "testcase", {
        "classname": safe(requirement["category"]),
        "name": safe(f"{requirement['id']} {requirement['statement']}"),
        "time": "0",
    })
    status = requirement["status"]
    if status == "failed":
        failures = requirement["failures"]
        title = failures[0]["title"] if failures else "failed"
        texts = [failure_text(f, FIELD_LIMIT) for f in failures]
        if requirement["failures_dropped"]:
            texts.append(f"({requirement['failures_dropped']} similar failures not kept)")
        element = ET.SubElement(case, "failure", {
            "message": safe(title, 500), "type": safe(failures[0]["reason"] if failures
                                                      else "mismatch")})
        element.text = "\n\n".join(texts)
    elif status == "error":
        errors = requirement["errors"]
        element = ET.SubElement(case, "error", {"message": safe(errors[0], 500)})
        element.text = "\n\n".join(safe(e, FIELD_LIMIT) for e in errors)
    elif status == "untested":
        reasons = "; ".join(requirement["untested_reasons"]) or "no test reached it"
        ET.SubElement(case, "skipped", {"message": safe(f"untested: {reasons}", 2000)})
    elif status == "not_testable":
        ET.SubElement(case, "skipped",
                      {"message": "not testable: no client can provoke this requirement"})


def render_junit(record: Mapping[str, Any]) -> str:
    """The JUnit XML document as text. Every string passes through `safe`, so it always parses."""
    requirements = record["requirements"]
    totals = record["totals"]
    attributes = {
        "name": "lambda-conformance",
        "tests": str(len(requirements)),
        "failures": str(totals["failed"]),
        "errors": str(totals["error"]),
        "skipped": str(totals["untested"] + totals["not_testable"]),
        "time": "0",
    }
    root = ET.Element("testsuites", attributes)
    suite = ET.SubElement(root, "testsuite",
                          {**attributes, "timestamp": safe(record["started_at"])})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("target_url", record["target_url"]), ("profile", record["profile"]),
                        ("spec_version", record["spec_version"]),
                        ("suite_version", record["suite_version"]),
                        ("hypothesis_seed", record["hypothesis_seed"]),
                        ("score", percent(record["score"])),
                        ("complete", str(record["complete"]).lower())):
        ET.SubElement(properties, "property", {"name": name, "value": safe(value, 2000)})
    for requirement in requirements:
        _testcase(suite, requirement)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") \
        + "\n"
