"""Writing every report of one record to a directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lambda_conformance.reporters.badge import render_badge_json, render_badge_svg
from lambda_conformance.reporters.html import render_html
from lambda_conformance.reporters.junit import render_junit
from lambda_conformance.reporters.markdown import render_markdown
from lambda_conformance.results.store import write_text_atomically

RENDERERS = {
    "junit.xml": render_junit,
    "summary.md": render_markdown,
    "report.html": render_html,
    "badge.svg": render_badge_svg,
    "badge.json": render_badge_json,
}


def render_all(record: Mapping[str, Any], out_dir: str | Path) -> dict[str, Path]:
    """Write junit.xml, summary.md, report.html, badge.svg and badge.json to `out_dir`.

    Returns the written paths by file name. `record` is a results.json dict.
    """
    written = {}
    for name, render in RENDERERS.items():
        path = Path(out_dir) / name
        write_text_atomically(path, render(record))
        written[name] = path
    return written


def append_step_summary(markdown: str, environ: Mapping[str, str] | None = None) -> Path | None:
    """Append to $GITHUB_STEP_SUMMARY when GitHub Actions sets it; the path, or None."""
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return Path(target)
