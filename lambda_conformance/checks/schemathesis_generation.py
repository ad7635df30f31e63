"""Schemathesis's coverage phase without the searches whose answer is known in advance.

The coverage phase builds every boundary value of every parameter before the first case
runs (suites/test_schemathesis.py sends about one in four of them at quick). The costly
ones are searches that cannot succeed: for X-Amz-Client-Context (`format: byte`,
`maxLength: 3583`) it asks hypothesis for base64 text of exactly 3583 and 3582
characters, and hypothesis draws until its budget is spent (about a second each on this
machine) to report `Unsatisfiable`. Base64 text always has a length that is a multiple of
four, so a window of lengths without one has no value: `without_hopeless_searches` wraps
the coverage context's `generate_from_schema` so that such a request raises
`Unsatisfiable` at once, as the search would have ended. Every other request goes to
schemathesis unchanged, so the cases (and their order) are the same as before.

schemathesis is pinned (pyproject.toml); the wrapper checks the names it relies on and
leaves schemathesis alone when they are missing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from hypothesis.errors import Unsatisfiable

_BASE64_KEYS = frozenset({"type", "format", "minLength", "maxLength"})


def no_base64_length_fits(schema: Any) -> bool:
    """True for a `format: byte` string schema whose length window holds no multiple of 4
    (and nothing else that a value would have to satisfy)."""
    if not isinstance(schema, dict) or not _BASE64_KEYS.issuperset(schema):
        return False
    if schema.get("type") != "string" or schema.get("format") != "byte":
        return False
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if not isinstance(low, int) or not isinstance(high, int):
        return False
    first = low + (-low % 4)  # the smallest multiple of 4 at or above low
    return first > high


def _uses_default_byte_format(context: Any) -> bool:
    from schemathesis.specs.openapi.formats import get_default_format_strategies

    formats = getattr(context, "custom_formats", None) or {}
    return formats.get("byte") is get_default_format_strategies().get("byte")


def without_hopeless_searches() -> bool:
    """Install the wrapper on schemathesis's coverage context (idempotent). True if on."""
    try:
        from schemathesis.specs.openapi.coverage._schema import CoverageContext
    except ImportError:  # pragma: no cover - another schemathesis than the pinned one
        return False
    original: Callable[..., Any] | None = getattr(CoverageContext, "generate_from_schema", None)
    if original is None:  # pragma: no cover
        return False
    if getattr(original, "_lc_wrapped", False):
        return True

    @functools.wraps(original)
    def generate_from_schema(self: Any, schema: Any) -> Any:
        if no_base64_length_fits(schema) and _uses_default_byte_format(self):
            raise Unsatisfiable(f"no base64 text has a length in {schema}")
        return original(self, schema)

    generate_from_schema._lc_wrapped = True  # type: ignore[attr-defined]
    CoverageContext.generate_from_schema = generate_from_schema  # type: ignore[method-assign]
    return True
