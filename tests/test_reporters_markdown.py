"""The Markdown summary: a snapshot of what people read, and escaping of target data."""

from __future__ import annotations

import os
import re
from pathlib import Path

from test_results_support import HOSTILE_MARKDOWN, demo_record, hostile_record

from lambda_conformance.reporters import render_markdown
from lambda_conformance.reporters.markdown import md_code, md_fence, md_text

SNAPSHOT = Path(__file__).with_name("snapshots") / "summary.md"


def test_summary_snapshot() -> None:
    # A change to what users read must be a visible diff: regenerate with
    # UPDATE_SNAPSHOTS=1 and review the file.
    text = render_markdown(demo_record())
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8")


def test_incomplete_run_says_so() -> None:
    text = render_markdown(demo_record(complete=False, stop_reason="request budget exhausted"))
    assert "**Incomplete run** (stopped: request budget exhausted)" in text


def test_no_failures() -> None:
    record = demo_record()
    for requirement in record["requirements"]:
        if requirement["status"] in ("failed", "error"):
            requirement.update(status="passed", failures=[], errors=[])
    assert "No requirement failed." in render_markdown(record)


def fences_balanced(text: str) -> bool:
    """Every opening fence is closed by a fence of at least its length (CommonMark)."""
    open_fence: str | None = None
    for line in text.splitlines():
        match = re.match(r"^(`{3,})", line)
        if not match:
            continue
        if open_fence is None:
            open_fence = match.group(1)
        elif len(match.group(1)) >= len(open_fence) and line.strip() == match.group(1):
            open_fence = None
    return open_fence is None


def test_hostile_data_cannot_hijack_the_comment() -> None:
    text = render_markdown(hostile_record())
    assert fences_balanced(text)
    outside = re.sub(r"^(`{3,})text\n.*?^\1$", "", text, flags=re.S | re.M)
    outside = re.sub(r"(`+) .*? \1(?!`)", "", outside)  # inline code spans are literal too
    # Outside code blocks no raw HTML, no heading, no link, no mention survives.
    assert "<" not in outside.replace("&lt;", "")
    assert not re.search(r"^#+ Hijacked", outside, re.M)
    assert "[click](" not in outside
    assert "@octocat" not in outside
    # Every control character and lone surrogate is shown, not sent.
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", text)
    # The step summary limit is 1 MiB; a huge body must not approach it.
    assert len(text.encode("utf-8")) < 100_000
    text.encode("utf-8")  # no lone surrogate left to break the write


def test_inline_escapes() -> None:
    assert md_text("*a* [b](c) <i>&</i> @me #1 x|y http://e.x") == (
        "\\*a\\* \\[b\\]\\(c\\) &lt;i&gt;&amp;&lt;/i&gt; @\u2060me \\#1 x\\|y http\\://e.x")
    assert md_code("a`b|c") == "`` a`b\\|c ``"
    assert md_fence("x\n```\ny") == "````text\nx\n```\ny\n````"
    assert md_fence(HOSTILE_MARKDOWN).startswith("````text\n")
