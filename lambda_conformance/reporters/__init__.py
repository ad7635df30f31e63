"""The reporters layer: every report rendered from one results.json record."""

from lambda_conformance.reporters.badge import render_badge_json, render_badge_svg
from lambda_conformance.reporters.html import render_html
from lambda_conformance.reporters.junit import render_junit
from lambda_conformance.reporters.markdown import render_markdown
from lambda_conformance.reporters.matrix import render_matrix_html, render_matrix_markdown
from lambda_conformance.reporters.render import append_step_summary, render_all

__all__ = [
    "append_step_summary",
    "render_all",
    "render_badge_json",
    "render_badge_svg",
    "render_html",
    "render_junit",
    "render_markdown",
    "render_matrix_html",
    "render_matrix_markdown",
]
