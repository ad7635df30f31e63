"""The HTML report: one self-contained offline file, rendered from results.json."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lambda_conformance.reporters.html_assets import (
    FIELD_LIMIT,
    asset,
    content_security_policy,
    environment,
)
from lambda_conformance.reporters.overview import category_rows
from lambda_conformance.reporters.text import safe
from lambda_conformance.results.score import STATUSES


def render_html(record: Mapping[str, Any]) -> str:
    """The report as HTML text."""
    style, script = asset("report.css"), asset("report.js")
    return environment().get_template("report.html.j2").render(
        record=record,
        totals=record["totals"],
        statuses=STATUSES,
        categories=category_rows(record),
        config_text=safe(json.dumps(record["config"], indent=2, sort_keys=True,
                                    ensure_ascii=False, default=str), FIELD_LIMIT),
        field_limit=FIELD_LIMIT,
        style=style,
        script=script,
        csp=content_security_policy(style, script),
    )
