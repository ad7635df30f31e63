"""Replay a run's failures with their own curl commands, against a live target, by hand.

    python -m tools.replay RESULTS_JSON --url http://127.0.0.1:PORT [--provision] \
        [--rename OLD=NEW ...] [--only INV-NAME-005 ...] [--per-requirement 2]

Every failure in a record carries the curl command that sent its request. This runs
those commands (curl's own SigV4, credentials from the environment) against a target
started again, and prints for each the requirement, what the suite expected, what the
record says the target answered, and what it answers now: status line, the error
headers and the start of the body. It judges nothing: it is the tool for the hand
check that docs/targets.md asks of every failure of a real target.

A run's URL (its port) and, for provisioned fixtures, its function names (the random
`lc-xxxxxxxx-` prefix) differ from the new target's: the record's origin is replaced by
`--url`, and `--rename OLD=NEW` replaces any other text (`lc-9fb35e8d-=lc-1234abcd-`).
`--provision` instead creates the fixtures again on the new target under the record's own
prefix (Failed functions allowed, as on LocalStack without Docker; the `throttled`
function at reserved concurrency 0), replays, and deletes them.
Failures judged by the suite's beacon listener (asynchronous execution, DryRun's fence)
are listed but not sent. Where the record's received text starts with a status, the
answer's status is compared with it, and the last line tallies the replay: how many were
sent, and how many answered another status than the record says (`status differs`).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lambda_conformance.provisioning.provisioner import Provisioner
from lambda_conformance.results.store import load_record
from lambda_conformance.transport.redaction import Redactor

# Requirements judged by the suite's beacon listener, which a bare curl cannot stand in for.
_NEEDS_LISTENER = re.compile(r"^INV-(ASYNC|DRY-001)")
_BODY_SHOWN = 240
_PREFIX = re.compile(r"\b(lc-[0-9a-f]{8})-")
_KEPT_HEADERS = ("x-amzn-errortype", "x-amz-function-error", "x-amz-executed-version",
                 "content-type", "x-amzn-requestid", "x-amz-log-result")


@dataclass(frozen=True)
class Replay:
    requirement: str
    expected: str
    recorded: str
    command: str | None
    why_not_sent: str | None = None


def _failures(record: Mapping[str, Any], only: frozenset[str], per_requirement: int
              ) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for requirement in record["requirements"]:
        if requirement["status"] != "failed" or (only and requirement["id"] not in only):
            continue
        for failure in requirement["failures"][:per_requirement]:
            yield requirement["id"], failure


def plan(record: Mapping[str, Any], url: str, renames: Sequence[tuple[str, str]],
         only: frozenset[str] = frozenset(), per_requirement: int = 1) -> list[Replay]:
    old = urlsplit(record["target_url"])
    old_origin = f"{old.scheme}://{old.netloc}"
    new_origin = url.rstrip("/")
    replays: list[Replay] = []
    for rid, failure in _failures(record, only, per_requirement):
        command = failure.get("curl")
        expected, recorded = str(failure["expected"]), str(failure["received"])
        if not command:
            replays.append(Replay(rid, expected, recorded, None, "the record has no request"))
            continue
        command = command.replace(old_origin, new_origin)
        for before, after in renames:
            command = command.replace(before, after)
        why = None
        if _NEEDS_LISTENER.match(rid):
            why = "judged by the suite's beacon listener: replay with the suite"
        replays.append(Replay(rid, expected, recorded, command, why))
    return replays


def run_curl(command: str, timeout: float) -> str:
    env = {**os.environ}
    env.setdefault("AWS_ACCESS_KEY_ID", "testing")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    # A target may echo the request's credentials back: never print them.
    redactor = Redactor((env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"],
                         env.get("AWS_SESSION_TOKEN")))
    try:
        done = subprocess.run(["bash", "-c", command], capture_output=True, timeout=timeout,
                              env=env, check=False)
    except subprocess.TimeoutExpired:
        return f"(no answer within {timeout:g} s)"
    raw = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0 and not raw:
        raw = f"(curl exit {done.returncode}: {done.stderr.decode('utf-8', 'replace').strip()})"
        return redactor.redact(raw)
    return redactor.redact(summarize(raw))


def summarize(raw: str) -> str:
    """Status line, the headers that carry verdicts, and the start of the body."""
    head, body = _split(raw)
    # curl -i prints every response: an interim one (100 Continue) comes first.
    while re.match(r"HTTP/\S+ 1\d\d\b", head):
        head, body = _split(body)
    lines = head.splitlines()
    headers = [h for h in lines[1:] if h.split(":", 1)[0].strip().lower() in _KEPT_HEADERS]
    shown = body[:_BODY_SHOWN].replace("\n", " ")
    more = f"… ({len(body)} characters)" if len(body) > _BODY_SHOWN else ""
    return " | ".join([lines[0] if lines else "?", *headers, shown + more])


def same_status(recorded: str, now: str) -> bool | None:
    """Whether the answer `now` (a `summarize` line) has the status the record's received
    text starts with; None when the record's text names no status (a header, a message)."""
    before = re.match(r"(\d{3})\b", recorded)
    after = re.match(r"HTTP/\S+ (\d{3})\b", now)
    if before is None:
        return None
    return after is not None and after.group(1) == before.group(1)


def _split(raw: str) -> tuple[str, str]:
    head, _, body = raw.replace("\r\n", "\n").partition("\n\n")
    return head, body


@contextmanager
def provisioned(record: Mapping[str, Any], url: str) -> Iterator[Provisioner]:
    """The record's fixtures created again at `url` under the record's own prefix."""
    found = _PREFIX.search(str(record["requirements"]))
    if found is None:
        raise SystemExit("--provision: the record names no lc-xxxxxxxx- fixture function")
    provisioner = Provisioner(url, "us-east-1", prefix=found.group(1), require_active=False)
    provisioner.create()
    try:
        # What the suite's concurrency test sets; a target without the API just lacks it.
        try:
            provisioner.put_concurrency(provisioner.function_name("throttled"), 0)
        except Exception as error:  # reported; the replay goes on without it
            print(f"(no reserved concurrency: {error})", file=sys.stderr)
        yield provisioner
    finally:
        for problem in provisioner.delete():
            print(f"(cleanup: {problem})", file=sys.stderr)


def _rename(text: str) -> tuple[str, str]:
    before, sep, after = text.partition("=")
    if not sep or not before:
        raise argparse.ArgumentTypeError(f"expected OLD=NEW, got {text!r}")
    return before, after


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.replay", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("record", type=Path, help="a run's results.json")
    parser.add_argument("--url", required=True, help="the live target's base URL")
    parser.add_argument("--provision", action="store_true",
                        help="create the record's fixtures again (its prefix) for the replay")
    parser.add_argument("--rename", type=_rename, action="append", default=[],
                        metavar="OLD=NEW", help="replace text in every command")
    parser.add_argument("--only", action="append", default=[], metavar="REQUIREMENT_ID")
    parser.add_argument("--per-requirement", type=int, default=1, metavar="N")
    parser.add_argument("--timeout", type=float, default=40.0, help="per command, seconds")
    args = parser.parse_args(argv)
    record = load_record(args.record)
    context: AbstractContextManager[object] = (
        provisioned(record, args.url) if args.provision else nullcontext()
    )
    with context:
        _replay_all(record, args)
    return 0


def _replay_all(record: Mapping[str, Any], args: argparse.Namespace) -> None:
    replays = plan(record, args.url, args.rename, frozenset(args.only), args.per_requirement)
    sent = compared = differ = 0
    for replay in replays:
        print(f"## {replay.requirement}\n   expected: {replay.expected[:200]}\n"
              f"   recorded: {replay.recorded[:200]!r}")
        if replay.command is None or replay.why_not_sent:
            print(f"   not sent: {replay.why_not_sent}")
            continue
        print(f"   $ {replay.command[:300]}{'…' if len(replay.command) > 300 else ''}")
        now = run_curl(replay.command, args.timeout)
        print(f"   now: {now}")
        sent += 1
        same = same_status(replay.recorded, now)
        if same is not None:
            compared += 1
            if not same:
                differ += 1
                print("   status differs from the record")
        sys.stdout.flush()
    print(f"== {len(replays)} failures: {sent} sent, {len(replays) - sent} not sent; "
          f"{compared} with a recorded status, {differ} of them answered another status now")


if __name__ == "__main__":
    raise SystemExit(main())
