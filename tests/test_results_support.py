"""Shared builders for the results and reporters tests: synthetic specs, tallies and runs.

Holds no tests. Imported by module name (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from lambda_conformance.checks.failure import Failure, RequestRecord
from lambda_conformance.results.record import RunInfo, build_record
from lambda_conformance.results.tally import Tally
from lambda_conformance.spec import Requirement, Spec, load_spec

HOSTILE_SCRIPT = "<script>document.body.setAttribute('data-pwned','1')</script>"
HOSTILE_IMG = ("<img src=x onerror=\"document.body.setAttribute('data-pwned','1');"
               "document.title='pwned'\">")
HOSTILE_XML = "]]><!-- --><![CDATA[ & &amp; \"quoted\" 'single'"
HOSTILE_CONTROL = "nul\x00 esc\x1b[31m lone\ud800 nonchar\ufffe\uffff vt\x0b ff\x0c"
HOSTILE_MARKDOWN = ("```\n# Hijacked heading\n@octocat [click](https://evil.example) "
                    "| cell | ![img](https://evil.example/x.png) <b>bold</b> ~~~")
LONG = "L" * 120_000
HOSTILE = "\n".join([HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_XML, HOSTILE_CONTROL,
                     HOSTILE_MARKDOWN])


def requirement(rid: str, level: str = "MUST", *, category: str = "demo",
                weight: float | None = None, testability: str = "active",
                statement: str | None = None) -> Requirement:
    weights = {"MUST": 3.0, "SHOULD": 1.0, "MAY": 0.5}
    return Requirement(
        id=rid, level=level, category=category,  # type: ignore[arg-type]
        weight=weights[level] if weight is None else weight,
        section="Response Elements: StatusCode",
        statement=statement or f"Statement of {rid}.",
        testability=testability,  # type: ignore[arg-type]
        profiles=("documented", "aws"),
        source_text="For the RequestResponse invocation type, this status code is 200.",
    )


def small_spec(*requirements: Requirement, excluded: tuple[Requirement, ...] = ()) -> Spec:
    """The aws spec with its requirements replaced: stable across edits of invoke.yaml."""
    return dataclasses.replace(load_spec("aws"), version="9.9.9",
                               requirements=tuple(requirements),
                               excluded_requirements=excluded)


def run_info(spec: Spec, **overrides: Any) -> RunInfo:
    values: dict[str, Any] = {
        "suite_version": "0.1.0",
        "spec_version": spec.version,
        "profile": spec.profile,
        "target_url": "http://127.0.0.1:9001",
        "hypothesis_seed": 12345,
        "hypothesis_profile": "ci",
        "started_at": "2026-03-01T12:00:00Z",
        "finished_at": "2026-03-01T12:03:20Z",
        "config": {"region": "us-east-1", "credentials": "<redacted>"},
        "complete": True,
        "stop_reason": None,
        "argv": ("pytest", "suites"),
    }
    values.update(overrides)
    return RunInfo(**values)


def failure(rid: str, received: str = "status 500", *, title: str = "Wrong status code",
            curl: str | None = None) -> Failure:
    return Failure(
        requirement_id=rid, title=title, expected="status 202", received=received,
        request=RequestRecord(method="POST",
                              url="http://127.0.0.1:9001/2015-03-31/functions/echo/invocations",
                              headers={"X-Amz-Invocation-Type": "Event"},
                              body_preview="{}", body_length=2),
        curl=curl or ("curl -X POST -H 'X-Amz-Invocation-Type: Event' --data-binary '{}' "
                      "http://127.0.0.1:9001/2015-03-31/functions/echo/invocations"),
        test="suites/test_invocation_type.py::test_event",
    )


def demo_spec() -> Spec:
    """Seven requirements covering every status, two categories and all three levels."""
    return small_spec(
        requirement("DEMO-001", "MUST", category="invocation-type"),
        requirement("DEMO-002", "MUST", category="invocation-type"),
        requirement("DEMO-003", "MUST", category="payload"),
        requirement("DEMO-004", "SHOULD", category="payload"),
        requirement("DEMO-005", "SHOULD", category="payload"),
        requirement("DEMO-006", "MAY", category="payload"),
        requirement("DEMO-007", "MAY", category="payload", testability="not_testable"),
        excluded=(dataclasses.replace(requirement("DEMO-900"), profiles=("documented",)),),
    )


def demo_tally(received: str = "status 500") -> Tally:
    """DEMO-001 passed, 002 failed, 003 untested, 004 passed, 005 error, 006 passed."""
    tally = Tally(total_requests=42)
    for rid in ("DEMO-001", "DEMO-004", "DEMO-006"):
        tally.exercised(rid, 3)
        tally.passed(rid)
    tally.exercised("DEMO-002", 2)
    tally.passed("DEMO-002")
    tally.failed(failure("DEMO-002", received))
    tally.exercised("DEMO-005")
    tally.errored("DEMO-005", "ReadTimeout: the target did not answer within 10 s")
    tally.untested("DEMO-003", "no fixture function 'large' in the manifest")
    return tally


def demo_record(received: str = "status 500", **run: Any) -> dict[str, Any]:
    spec = demo_spec()
    return build_record(spec, demo_tally(received), run_info(spec, **run))


def hostile_record() -> dict[str, Any]:
    """The demo record whose failing target answered with every hostile string there is."""
    spec = demo_spec()
    tally = demo_tally(HOSTILE)
    tally.failed(failure("DEMO-002", LONG, title=f"Oversized body {HOSTILE_CONTROL}"))
    tally.failed(failure("DEMO-002", "x", title=HOSTILE_SCRIPT, curl=f"curl '{HOSTILE_IMG}'"))
    tally.errored("DEMO-005", HOSTILE)
    return build_record(spec, tally, run_info(
        spec, target_url=f"http://evil.example:8080/{HOSTILE_IMG}",
        stop_reason=HOSTILE_MARKDOWN, complete=False,
        config={"note": HOSTILE, "long": LONG}))
