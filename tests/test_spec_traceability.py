"""Traceability: every section of API_Invoke.md is in the spec and cited; the doc is fresh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambda_conformance.spec import load_raw
from lambda_conformance.spec.__main__ import TRACEABILITY_DOC
from lambda_conformance.spec.traceability import render_traceability

REPO = Path(__file__).resolve().parents[1]
# The page lives beside the repository (../shared), here and in CI's checkout alike.
PAGE = REPO.parent / "shared" / "API_Invoke.md"

# Headings of the page whose `** Name **` items are sections of their own.
ITEM_HEADINGS = ("URI Request Parameters", "Request Body", "Response Elements", "Errors")
# Headings that end the page's content or the intro.
ALL_HEADINGS = (*ITEM_HEADINGS, "Request Syntax", "Response Syntax", "See Also")
ITEM = re.compile(r"^\*\* (\S+) \*\*")


def _page_lines() -> list[str]:
    if not PAGE.exists():
        pytest.skip(f"the source page is not beside the repository: {PAGE} is absent")
    return PAGE.read_text(encoding="utf-8").splitlines()


def page_sections() -> list[str]:
    """Section IDs derived from the page itself, in page order."""
    lines = _page_lines()
    start = lines.index("Invoke")
    sections: list[str] = []
    paragraph = 0
    heading: str | None = None
    for line in lines[start + 1 :]:
        text = line.strip()
        if text in ALL_HEADINGS:
            heading = text
            if text in ("Request Syntax", "Response Syntax"):
                sections.append(text)
            continue
        if heading is None and text:
            paragraph += 1  # the intro: one section per paragraph
            sections.append(f"Invoke ¶{paragraph}")
        elif heading in ITEM_HEADINGS and (match := ITEM.match(text)):
            sections.append(f"{heading}: {match.group(1)}")
    return sections


def page_errors() -> dict[str, int]:
    """Error name -> HTTP status, from the page's Errors list."""
    text = "\n".join(_page_lines())
    errors_part = text[text.index("\nErrors\n") :]
    found = re.findall(r"^\*\* (\S+) \*\*\n.*?^HTTP Status Code: (\d+)$", errors_part, re.M | re.S)
    return {name: int(status) for name, status in found}


def test_the_page_parses_as_expected() -> None:
    sections = page_sections()
    assert sections[:7] == [f"Invoke ¶{n}" for n in range(1, 8)]
    assert "Request Syntax" in sections and "Response Syntax" in sections
    assert "URI Request Parameters: FunctionName" in sections
    assert "Response Elements: StatusCode" in sections
    assert len(page_errors()) == 26
    assert len(sections) == 7 + 2 + 5 + 1 + 5 + 26


def test_every_page_section_is_in_the_spec() -> None:
    spec_sections = [s["id"] for s in load_raw()["sections"]]
    missing = [s for s in page_sections() if s not in spec_sections]
    assert missing == [], f"page sections missing from spec/invoke.yaml `sections`: {missing}"
    extra = [s for s in spec_sections if s not in page_sections()]
    assert extra == [], f"spec sections that are not on the page: {extra}"


def test_every_page_section_is_cited_by_a_requirement() -> None:
    cited = {r["section"] for r in load_raw()["requirements"]}
    uncited = [s for s in page_sections() if s not in cited]
    assert uncited == [], f"page sections no requirement cites: {uncited}"


def test_page_errors_match_the_spec() -> None:
    spec_errors = {name: e["status"] for name, e in load_raw()["errors"].items()}
    assert spec_errors == page_errors()


def test_doc_is_fresh() -> None:
    doc = REPO / TRACEABILITY_DOC
    assert doc.exists(), f"{doc} is missing: python -m lambda_conformance.spec generate"
    assert doc.read_text(encoding="utf-8") == render_traceability(load_raw()), (
        f"{doc} is stale: python -m lambda_conformance.spec trace --out {TRACEABILITY_DOC}"
    )


def test_doc_lists_every_section_and_error() -> None:
    text = render_traceability(load_raw())
    for section in page_sections():
        assert f"| {section} | INV-" in text, section
    for name, status in page_errors().items():
        assert re.search(rf"^\| {name} \| {status} \| `(message|Message)` \|", text, re.M), name
