"""The HTML report and the badge: self-contained, escaped, locked down by CSP."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from test_results_support import HOSTILE_IMG, HOSTILE_SCRIPT, demo_record, hostile_record

from lambda_conformance.reporters import render_badge_json, render_badge_svg, render_html
from lambda_conformance.reporters.badge import badge_colour


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text of <script>/<style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.inline else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline[self._in].append(data)


def parsed(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_report_shows_score_categories_and_failures() -> None:
    html = render_html(demo_record())
    assert '<p class="score" id="score">39.13%</p>' in html
    assert "invocation-type" in html and "<meter" in html
    assert 'data-status="failed"' in html
    assert "Expected: status 202\nReceived: status 500" in html
    assert "Reproduce with:" in html
    # The spec text the failing requirement traces to.
    assert "Response Elements: StatusCode</cite>: For the RequestResponse" in html


def test_report_is_self_contained() -> None:
    html = render_html(demo_record())
    collector = parsed(html)
    for tag, attrs in collector.tags:
        for name in ("src", "href", "action", "srcset", "data"):
            assert attrs.get(name) is None, (tag, name)
    assert "://" not in re.sub(r"http://127\.0\.0\.1:9001[^\s<\"']*", "", html) \
        .replace("http://www.w3.org", "")


def test_csp_allows_exactly_the_reports_own_script_and_style() -> None:
    collector = parsed(render_html(demo_record()))
    metas = [a for t, a in collector.tags if t == "meta" and a.get("http-equiv")]
    assert len(metas) == 1
    csp = metas[0]["content"] or ""
    [script] = collector.inline["script"]
    [style] = collector.inline["style"]
    assert f"script-src {sha256(script)};" in csp
    assert f"style-src {sha256(style)};" in csp
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    # The CSP meta must come before any script or style to govern them.
    names = [t for t, _ in collector.tags]
    assert names.index("meta") < names.index("style") < names.index("script")


def test_hostile_data_is_escaped() -> None:
    html = render_html(hostile_record())
    collector = parsed(html)
    assert [t for t, _ in collector.tags].count("script") == 1
    assert not [t for t, _ in collector.tags if t == "img"]
    assert not any(k.startswith("on") for _, a in collector.tags for k in a)
    assert HOSTILE_SCRIPT not in html and HOSTILE_IMG not in html
    assert "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;" in html
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", html)
    assert "more characters)" in html
    assert 'id="incomplete"' in html
    html.encode("utf-8")


def test_badges() -> None:
    record = demo_record()
    assert json.loads(render_badge_json(record)) == {
        "schemaVersion": 1, "label": "conformance", "message": "39%", "color": "red"}
    record["score"] = 0.8799
    assert json.loads(render_badge_json(record))["message"] == "87%"  # never rounded up
    svg = render_badge_svg(record)
    assert "conformance: 87%" in svg and "#a4a61d" in svg
    ET.fromstring(svg)  # well-formed XML, as an <img> source must be
    record.update(score=None, complete=False)
    assert json.loads(render_badge_json(record)) == {
        "schemaVersion": 1, "label": "conformance", "message": "n/a (incomplete)",
        "color": "lightgrey"}


def test_badge_colour_bands() -> None:
    assert [badge_colour(s)[0] for s in (1.0, 0.95, 0.9, 0.85, 0.7, 0.5, 0.49, 0.0)] == [
        "brightgreen", "brightgreen", "green", "yellowgreen", "yellow", "orange", "red", "red"]
