"""The HTML report in a real headless Chromium: our script runs, the target's never does."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_results_support import HOSTILE_IMG, HOSTILE_SCRIPT, demo_record, hostile_record

from lambda_conformance.reporters import render_html

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs a real browser: /usr/bin/chromium is absent (apt-get install chromium)",
)


def dump_dom(html: str, tmp_path: Path) -> str:
    """The DOM after the page's scripts ran, as Chromium serializes it."""
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    profile = tmp_path / "profile"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=2000",
        "--dump-dom", page.as_uri(),
    ]
    # A hung browser must fail this test, not the CI job's overall timeout.
    result = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


def root_attributes(dom: str) -> str:
    match = re.search(r"<html[^>]*>", dom)
    assert match is not None
    return match.group(0)


def test_report_renders_and_its_filter_script_runs(tmp_path: Path) -> None:
    dom = dump_dom(render_html(demo_record()), tmp_path)
    assert 'data-report-script="ran"' in root_attributes(dom)
    assert '<p class="score" id="score">39.13%</p>' in dom
    # The script un-hid the filters and counted every row as shown.
    assert re.search(r'<form class="filters" id="filters">', dom)
    assert '<span id="filter-count">7</span>' in dom


def test_hostile_target_data_does_not_run(tmp_path: Path) -> None:
    dom = dump_dom(render_html(hostile_record()), tmp_path)
    assert 'data-report-script="ran"' in root_attributes(dom)
    assert "&lt;script&gt;document.body.setAttribute" in dom  # shown as text
    assert 'data-pwned="1"' not in dom  # set by no one: the attribute exists nowhere
    assert not re.search(r"<body[^>]*data-pwned", dom)
    assert "<title>Lambda Invoke conformance: 39.13%</title>" in dom


def test_csp_stops_injected_markup_even_if_escaping_failed(tmp_path: Path) -> None:
    # Simulate an escaping bug: splice the target's markup into the page unescaped.
    html = render_html(demo_record()).replace(
        '<p class="score"', f"{HOSTILE_SCRIPT}{HOSTILE_IMG}<p class=\"score\"", 1)
    assert HOSTILE_SCRIPT in html
    dom = dump_dom(html, tmp_path)
    assert 'data-report-script="ran"' in root_attributes(dom)  # ours is allowed by hash
    assert "<script>document.body.setAttribute" in dom  # the markup is really there…
    assert 'data-pwned="1"' not in dom  # …yet neither it nor the onerror handler ran
    assert "<title>Lambda Invoke conformance: 39.13%</title>" in dom
