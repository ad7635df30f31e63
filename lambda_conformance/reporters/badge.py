"""The score badge: an SVG file and a shields.io endpoint JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lambda_conformance.reporters.html_assets import environment

LABEL = "conformance"

# shields.io's named colours and their hex values, from the best band down.
_BANDS = (
    (0.95, "brightgreen", "#4c1"),
    (0.90, "green", "#97ca00"),
    (0.80, "yellowgreen", "#a4a61d"),
    (0.70, "yellow", "#dfb317"),
    (0.50, "orange", "#fe7d37"),
    (0.0, "red", "#e05d44"),
)
_NO_SCORE = ("lightgrey", "#9f9f9f")


def badge_colour(score: float | None) -> tuple[str, str]:
    """(shields.io colour name, hex) for a score; grey when there is none."""
    if score is None:
        return _NO_SCORE
    for floor, name, hex_value in _BANDS:
        if score >= floor:
            return name, hex_value
    return _BANDS[-1][1], _BANDS[-1][2]


def badge_message(record: Mapping[str, Any]) -> str:
    score = record["score"]
    # Whole percent, rounded down: a badge must never claim more than was earned.
    message = "n/a" if score is None else f"{int(score * 100 + 1e-9)}%"
    return message if record["complete"] else f"{message} (incomplete)"


def render_badge_json(record: Mapping[str, Any]) -> str:
    """The shields.io endpoint document (https://shields.io/badges/endpoint-badge)."""
    colour, _ = badge_colour(record["score"])
    return json.dumps({"schemaVersion": 1, "label": LABEL, "message": badge_message(record),
                       "color": colour}) + "\n"


def _text_width(text: str) -> int:
    # Verdana 11px averages about 7px a character; exact metrics are not worth a font table.
    return 7 * len(text) + 10


def render_badge_svg(record: Mapping[str, Any]) -> str:
    message = badge_message(record)
    _, hex_value = badge_colour(record["score"])
    label_width, message_width = _text_width(LABEL), _text_width(message)
    return environment().get_template("badge.svg.j2").render(
        label=LABEL, message=message, hex=hex_value, label_width=label_width,
        message_width=message_width, width=label_width + message_width)
