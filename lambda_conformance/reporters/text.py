"""Text shared by every reporter: safe characters, capped lengths, the one failure shape."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lambda_conformance.checks.failure import Failure

# Characters XML 1.0 forbids (and that a terminal or browser would act on, like ESC),
# plus lone surrogates (not encodable as UTF-8) and the two non-characters. Target
# data may contain any of them; they are shown as visible escapes instead.
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """`text` with XML-illegal and control characters replaced by `\\xNN`/`\\uNNNN` escapes.

    Tab, newline and carriage return stay. Well-formed surrogate pairs cannot occur in
    a Python str (they are single code points), so every surrogate here is lone.
    """
    return _ILLEGAL.sub(_visible, text)


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def safe(text: Any, limit: int | None = None) -> str:
    """Any record value as display text: cleaned, and capped when `limit` is given."""
    value = clean(str(text))
    return truncate(value, limit) if limit is not None else value


def failure_text(failure: Mapping[str, Any], limit: int | None = None) -> str:
    """The one failure-text shape (`Failure.render`) of a record's failure, made safe.

    Each untrusted field is capped before rendering so one huge body cannot crowd
    out the rest of a report.
    """
    data = dict(failure)
    if limit is not None:
        for key in ("title", "expected", "received", "curl"):
            if isinstance(data.get(key), str):
                data[key] = truncate(data[key], limit)
    return clean(Failure.from_dict(data).render())


def status_counts(requirements: list[Mapping[str, Any]]) -> dict[str, int]:
    counts = {s: 0 for s in ("passed", "failed", "error", "untested", "not_testable")}
    for requirement in requirements:
        counts[requirement["status"]] += 1
    return counts


def categories(record: Mapping[str, Any]) -> list[str]:
    """Categories in the order the spec lists their first requirement."""
    seen: dict[str, None] = {}
    for requirement in record["requirements"]:
        seen.setdefault(requirement["category"], None)
    return list(seen)
