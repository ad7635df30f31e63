"""The baseline: known failures accepted for a while, each with a reason and an expiry date."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from lambda_conformance.results.store import write_text_atomically

# Statuses that a baseline entry can excuse: the suite judged the requirement and it
# was not met (failed), or judging it broke (error).
FAILING = frozenset({"failed", "error"})

_ID = re.compile(r"^[A-Z][A-Za-z0-9-]*$")
_KEYS = frozenset({"id", "reason", "link", "expires"})

_HEADER = """\
# Known conformance failures of this target, accepted until their expiry date.
# Format: docs/ci.md. A run fails when a failure is not listed here, when an
# entry has expired, and when a listed requirement passes again (remove it).
"""


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message is one paragraph naming file and field."""


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    id: str
    reason: str
    expires: date
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: tuple[BaselineEntry, ...]
    source: str = "baseline"

    def get(self, requirement_id: str) -> BaselineEntry | None:
        for entry in self.entries:
            if entry.id == requirement_id:
                return entry
        return None


def _fail(source: str, where: str, what: str) -> BaselineError:
    # One paragraph, no newlines: it is printed as a pytest usage error.
    return BaselineError(" ".join(f"{source}: {where}: {what}".split()))


def _expires(value: Any, source: str, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(source, where, f"expected an ISO date like 2026-01-31, got {value!r}")


def _entry(item: Any, index: int, source: str) -> BaselineEntry:
    where = f"[{index}]"
    if not isinstance(item, Mapping):
        raise _fail(source, where, f"expected a mapping with id, reason and expires, "
                                   f"got {type(item).__name__}")
    unknown = sorted(str(k) for k in set(item) - _KEYS)
    if unknown:
        raise _fail(source, f"{where}.{unknown[0]}",
                    "unknown field (allowed: id, reason, link, expires)")
    for key in ("id", "reason", "expires"):
        if key not in item:
            raise _fail(source, f"{where}.{key}", "required field is missing")
    requirement_id = item["id"]
    if not isinstance(requirement_id, str) or not _ID.match(requirement_id):
        raise _fail(source, f"{where}.id", f"expected a requirement ID like INV-TYPE-001, "
                                           f"got {requirement_id!r}")
    reason = item["reason"]
    if not isinstance(reason, str) or not reason.strip():
        raise _fail(source, f"{where}.reason", "expected a non-empty text saying why the "
                                               "failure is accepted")
    link = item.get("link")
    if link is not None and not isinstance(link, str):
        raise _fail(source, f"{where}.link", f"expected a URL string, got {link!r}")
    return BaselineEntry(id=requirement_id, reason=reason.strip(),
                         expires=_expires(item["expires"], source, f"{where}.expires"),
                         link=link)


def parse_baseline(text: str, source: str = "baseline") -> Baseline:
    """Parse a baseline document; raises BaselineError naming `source` and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise _fail(source, "(top level)", f"not valid YAML: {problem}{at}") from None
    if data is None:
        return Baseline((), source)
    if not isinstance(data, list):
        raise _fail(source, "(top level)", f"expected a list of known failures, "
                                           f"got {type(data).__name__}")
    entries = [_entry(item, i, source) for i, item in enumerate(data)]
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if entry.id in seen:
            raise _fail(source, f"[{i}].id", f"{entry.id} is listed twice")
        seen.add(entry.id)
    return Baseline(tuple(entries), source)


def load_baseline(path: str | Path) -> Baseline:
    """Read and validate the baseline at `path`; raises BaselineError naming file and field."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"{source}: cannot read the baseline: {error.strerror or error}") \
            from None
    except UnicodeDecodeError:
        raise BaselineError(f"{source}: the baseline is not UTF-8 text") from None
    return parse_baseline(text, source)


def failed_requirement_ids(record: Mapping[str, Any]) -> list[str]:
    """IDs of requirements that failed or errored, in record order (for --rerun-failed)."""
    return [r["id"] for r in record["requirements"] if r["status"] in FAILING]


def _first_problem(requirement: Mapping[str, Any]) -> str:
    if requirement["failures"]:
        return str(requirement["failures"][0]["title"])
    if requirement["errors"]:
        return str(requirement["errors"][0])
    return str(requirement["status"])


def write_baseline(record: Mapping[str, Any], path: str | Path, expires_in_days: int = 90,
                   today: date | None = None) -> Baseline:
    """Rewrite the baseline at `path` to accept exactly the failures of `record`.

    Entries whose requirement still fails keep their reason, link and expiry date
    (renewing an expired entry is a deliberate hand edit, not a side effect);
    new failures get a placeholder reason and expire `expires_in_days` from today;
    entries that no longer fail are dropped.
    """
    today = today or date.today()
    target = Path(path)
    previous = load_baseline(target) if target.exists() else Baseline((), str(target))
    entries: list[BaselineEntry] = []
    for requirement in record["requirements"]:
        if requirement["status"] not in FAILING:
            continue
        kept = previous.get(requirement["id"])
        if kept is not None:
            entries.append(kept)
            continue
        # The first failure's title is the suite's own wording; cap it so a long
        # target-supplied text cannot bloat the file.
        problem = " ".join(_first_problem(requirement).split())[:200]
        entries.append(BaselineEntry(
            id=requirement["id"],
            reason=f"TODO: say why this is accepted (first seen {today.isoformat()}: {problem})",
            expires=today + timedelta(days=expires_in_days),
        ))
    documents = []
    for entry in entries:
        item: dict[str, Any] = {"id": entry.id, "reason": entry.reason}
        if entry.link:
            item["link"] = entry.link
        item["expires"] = entry.expires
        documents.append(item)
    body = yaml.safe_dump(documents, sort_keys=False, allow_unicode=True, width=100) \
        if documents else "[]\n"
    write_text_atomically(target, _HEADER + body)
    return Baseline(tuple(entries), str(target))
