"""How much a failed requirement hurts someone calling the target through an AWS SDK.

The order of docs/targets/<key>.md and the "top 3" of docs/targets.md come from this
table alone, never from a hand-sorted list: every failed requirement is ranked by

1. the tier of its category (IMPACT),
2. its level (MUST before SHOULD before MAY),
3. its category's place in IMPACT (within a tier, data before errors before wire form),
4. its place in spec/invoke.yaml (the record keeps the spec's order).

The tiers say what an SDK user sees when a target breaks a requirement of the category:

- tier 1, *wrong error or lost data*: the call returns another result than the function's,
  the function gets another input, another version or function runs, a request AWS
  rejects is run (or one AWS runs is rejected), or the SDK raises another error (or none);
- tier 2, *what the function or the log sees*: the function's context, the log tail and the
  error body's fields; the call's result is right;
- tier 3, *cosmetic*: response headers an SDK passes through as metadata.

The "top 3" takes the first failure of each category in that order until it has three,
so that three failures of one kind (three payload limits) do not hide a second kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LEVELS = ("MUST", "SHOULD", "MAY")


@dataclass(frozen=True)
class Impact:
    tier: int
    title: str
    why: str


# category -> impact, in ranking order inside each tier (the categories of every spec
# document in spec/; tests/test_real_targets.py checks that none is missing).
IMPACT: dict[str, Impact] = {
    "payload": Impact(1, "wrong error or lost data",
                      "the function gets another input, or a body AWS rejects is run"),
    "function-error": Impact(1, "wrong error or lost data",
                             "a function's failure is reported as a success, or with "
                             "another error type, so the caller's error handling misses it"),
    "client-context": Impact(1, "wrong error or lost data",
                             "the client context the caller sent never reaches the function"),
    "function-name": Impact(1, "wrong error or lost data",
                            "a valid name does not reach the function, or an invalid one "
                            "raises another error than AWS's"),
    "qualifier": Impact(1, "wrong error or lost data",
                        "another version runs than the one asked for, or an invalid "
                        "qualifier raises another error"),
    "invocation-type": Impact(1, "wrong error or lost data",
                              "the call is not synchronous or asynchronous as asked, or an "
                              "invalid type runs the function"),
    "event-stream": Impact(1, "wrong error or lost data",
                           "the streaming answer is not an event stream the SDK can read "
                           "(framing, event types, order, or the chunks' payload), so the "
                           "result or its InvokeComplete is lost"),
    "execution": Impact(1, "wrong error or lost data",
                        "the function runs more than once for one call, or is stopped "
                        "before its timeout"),
    "async": Impact(1, "wrong error or lost data",
                    "an accepted event is not run, or not retried as AWS retries it"),
    "dryrun": Impact(1, "wrong error or lost data",
                     "a DryRun runs the function or does not validate like AWS"),
    "concurrency": Impact(1, "wrong error or lost data",
                          "a throttled function runs, or the throttle raises another error"),
    "errors": Impact(1, "wrong error or lost data",
                     "the SDK raises another exception class than AWS's for the situation "
                     "(each of these restates a failure of the categories above)"),
    "context": Impact(2, "what the function or the log sees",
                      "the function's context names another ARN or request id"),
    "logs": Impact(2, "what the function or the log sees",
                   "the log tail is missing, or a bad log type is accepted"),
    "error-wire": Impact(2, "what the function or the log sees",
                         "the error's wire form: botocore still finds the error code when "
                         "x-amzn-ErrorType is absent (it reads `__type`), but other clients "
                         "may not, and the message key or Type differs"),
    "response-headers": Impact(3, "cosmetic",
                               "a response header (executed version, request id, content "
                               "type) is missing or different"),
    "permissions": Impact(3, "cosmetic", "not judged black-box"),
    "informational": Impact(3, "cosmetic", "informational only"),
}
_UNKNOWN = Impact(3, "cosmetic", "a category this table does not know (ranked last)")
_ORDER = {category: index for index, category in enumerate(IMPACT)}


def impact(requirement: Mapping[str, Any]) -> Impact:
    return IMPACT.get(str(requirement.get("category")), _UNKNOWN)


def rank_key(requirement: Mapping[str, Any], position: int) -> tuple[int, int, int, int]:
    """Sort key: tier, level, category place, place in the spec (`position`)."""
    category = str(requirement.get("category"))
    level = str(requirement.get("level"))
    return (impact(requirement).tier, LEVELS.index(level) if level in LEVELS else len(LEVELS),
            _ORDER.get(category, len(_ORDER)), position)


def ranked(requirements: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The requirements (in the record's order, which is the spec's), most harmful first."""
    listed = list(requirements)
    order = sorted(range(len(listed)), key=lambda i: rank_key(listed[i], i))
    return [listed[i] for i in order]


def top(requirements: Iterable[Mapping[str, Any]], count: int = 3) -> list[Mapping[str, Any]]:
    """The first `count` of the ranking, at most one per category."""
    chosen: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    for requirement in ranked(requirements):
        category = str(requirement.get("category"))
        if category in seen:
            continue
        seen.add(category)
        chosen.append(requirement)
        if len(chosen) == count:
            break
    return chosen


def ranking_table() -> Sequence[str]:
    """The table, as Markdown lines, for the pages that use the order."""
    lines = ["| rank | tier | category | what an SDK user sees |", "|--:|---|---|---|"]
    for index, (category, entry) in enumerate(IMPACT.items(), start=1):
        lines.append(f"| {index} | {entry.tier}: {entry.title} | `{category}` | {entry.why} |")
    return lines
