"""The HTML reports' Jinja2 environment, static assets and Content-Security-Policy."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from lambda_conformance.reporters.text import failure_text, safe
from lambda_conformance.results.score import percent

TEMPLATES = Path(__file__).with_name("templates")

# Per-field cap in HTML: generous (the report is for digging in) but bounded.
FIELD_LIMIT = 20000


def asset(name: str) -> Markup:
    """A static asset of ours (CSS/JS), inserted verbatim: it is not data, never escaped."""
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(style: str, script: str | None = None) -> str:
    """A policy that runs only our own inline script and style, identified by hash.

    Hashes rather than a nonce keep the output deterministic. Everything else is
    denied: no network, no other script, no inline event handlers (so injected
    markup cannot run even if escaping failed), no forms, no <base>.
    """
    script_src = csp_hash(script) if script is not None else "'none'"
    return (f"default-src 'none'; script-src {script_src}; style-src {csp_hash(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


@cache
def environment() -> Environment:
    # Autoescape on for every template: all record data is untrusted text.
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["percent"] = percent
    # Named `clean`, never `safe`: Jinja's own `safe` filter would disable escaping.
    env.filters["clean"] = lambda value, limit=FIELD_LIMIT: safe(value, limit)
    env.filters["failure_text"] = lambda failure: failure_text(failure, FIELD_LIMIT)
    return env
