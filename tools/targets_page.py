"""docs/targets.md: how real third-party Invoke implementations fare under the suite.

    python -m tools.targets_page                   # regenerate docs/targets.md
    python -m tools.targets_page --check           # exit 1 if the page is stale or a cause is missing
    python -m tools.targets_page add KEY RESULTS_JSON   # keep a run's record (validated)

The page is generated from the records in docs/targets/results/, one per run, named
`<target key>--<profile>.json` (the run's results.json, unchanged). What a record cannot
say is kept here: which implementation and version ran (TARGETS) and, for every
requirement a run failed, one line on the cause found by replaying the failure's curl
command against the live target by hand (CAUSES). A failure whose cause starts with
"SUITE:" was judged a fault of the suite, not of the target (a false failure); the page
says so rather than hiding it, until the suite is fixed and the run is repeated.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambda_conformance.reporters.markdown import md_text
from lambda_conformance.reporters.matrix import render_matrix_markdown
from lambda_conformance.results.score import percent
from lambda_conformance.results.store import load_record

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "docs" / "targets" / "results"
PAGE = ROOT / "docs" / "targets.md"
SUITE_FAULT = "SUITE:"


@dataclass(frozen=True)
class Target:
    name: str
    version: str
    mode: str
    recipe: str
    fixtures: str
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} {self.version} ({self.mode})"


# What ran, by target key (the part of the record's file name before `--`).
TARGETS: dict[str, Target] = {
    "moto-simple": Target(
        name="moto server", version="5.2.5", mode="simple backend",
        recipe="targets/moto/run.sh", fixtures="--provision",
        notes=(
            "`POST /moto-api/config {\"lambda\": {\"use_docker\": false}}` before anything is "
            "created. The simple backend runs no code and checks nothing: every synchronous "
            "invoke of any name (existing or not, valid or not) answers 200 with the request "
            "body echoed (`Simple Lambda happy path OK` when the body is empty); Event 202 "
            "with the body echoed; DryRun 204.",
        ),
    ),
    "moto-docker": Target(
        name="moto server", version="5.2.5", mode="default (Docker) backend, no Docker daemon",
        recipe="targets/moto/run.sh --docker", fixtures="--provision",
        notes=(
            "moto's default backend runs functions in Docker; there is no Docker daemon here, "
            "so every RequestResponse/Event invoke of an existing function answers "
            "`X-Amz-Function-Error: Handled` with a non-JSON body `error running docker: ...`. "
            "The run shows how moto routes and validates requests, not function behaviour.",
        ),
    ),
    "serverless-offline": Target(
        name="serverless-offline", version="13.10.1 (serverless 3.40.0)", mode="Python handlers",
        recipe="targets/serverless-offline/run.sh",
        fixtures="fixtures/manifests/serverless-offline.yaml",
        notes=(
            "Run with `NODE_OPTIONS=--unhandled-rejections=warn` (the recipe's default). "
            "Without it, the first Event invoke of a function that fails makes serverless-offline "
            "exit (the Lambda timeout it raises is an unhandled promise rejection), and every "
            "later request of the run is refused.",
            "No control plane: no versions, aliases or concurrency API; the manifest names "
            "version `1` and alias `live` so the suite asks for them.",
        ),
    ),
    "localstack": Target(
        name="LocalStack", version="2026.3.0", mode="host mode, no Docker",
        recipe="targets/localstack/run.sh", fixtures="--provision",
        notes=(
            "LocalStack's only function executor is Docker: every function ends in state "
            "`Failed`, and every invoke of an existing function answers 409 "
            "`ResourceConflictException` (\"The function is currently in the following state: "
            "Failed\"). Only request validation and the errors answered before the state "
            "check are judged.",
        ),
    ),
}

# One line per failed requirement: why the target failed it (verified by hand).
_MOTO_NO_VALIDATION = ("answers 200 and runs nothing for any function name, qualifier "
                       "and header value: no validation, no existence check")
_MOTO_COMMON: dict[str, str] = {
    "INV-TYPE-005": "an invocation type outside the enum (`DRYRUN`) is treated as "
                    "RequestResponse: 200 instead of 400",
    "INV-NAME-002": "a name breaking the pattern (`arn:aws:lambda:invalid-region:...`) is "
                    "not validated",
    "INV-NAME-003": "an over-long name is not length-checked",
    "INV-NAME-005": "a full ARN of an absent function is not answered 404",
    "INV-NAME-007": "the region inside a full ARN is ignored: another region's ARN reaches "
                    "the local function",
    "INV-QUAL-004": "a qualifier naming no version or alias is not answered 404",
    "INV-QUAL-005": "a qualifier breaking the pattern (`!0`) is not validated",
    "INV-QUAL-006": "a 129-character qualifier is not length-checked",
    "INV-QUAL-008": "a qualifier in the name that contradicts the Qualifier parameter is "
                    "not rejected",
    "INV-PAY-004": "a body that is not JSON (`:`) is accepted",
    "INV-PAY-005": "a body that is not UTF-8 crashes moto: 500 with Werkzeug's HTML error page",
    "INV-HDR-004": "the 500 crash page for a non-UTF-8 body carries no x-amzn-RequestId",
    "INV-WIRE-001": "the 500 crash page for a non-UTF-8 body has no x-amzn-ErrorType",
    "INV-WIRE-003": "the 500 crash page for a non-UTF-8 body is HTML, not a JSON error",
    "INV-WIRE-005": "the 500 crash page for a non-UTF-8 body has no `Type` field",
    "INV-WIRE-006": "the 500 crash page for a non-UTF-8 body is text/html",
    "INV-LOG-005": "a log type outside the enum (`NONE`) is accepted",
    "INV-CC-003": "an over-long X-Amz-Client-Context is accepted",
    "INV-CC-004": "an X-Amz-Client-Context that is not base64 is accepted",
    "INV-CONC-001": "reserved concurrency 0 (PutFunctionConcurrency is stored) does not "
                    "throttle: 200 instead of 429",
    "INV-PAY-009": "a 1 MiB + 1 byte Event payload is accepted (202), no async limit",
    "INV-ERR-ResourceNotFound": "absent functions, other regions' ARNs and unknown "
                                "qualifiers answer 200 (see INV-NAME-005, -007, INV-QUAL-004)",
    "INV-ERR-InvalidParameterValue": "the qualifier conflict is not detected (INV-QUAL-008)",
    "INV-ERR-InvalidRequestContent": "non-JSON and non-UTF-8 bodies are not rejected "
                                     "(INV-PAY-004, -005)",
    "INV-ERR-TooManyRequests": "no throttling at reserved concurrency 0 (INV-CONC-001)",
    "INV-ERR-Validation": "no pattern or length validation of FunctionName or Qualifier",
    "INV-ERR-RequestEntityTooLarge": "no Event payload limit (INV-PAY-009)",
}
CAUSES: dict[str, dict[str, str]] = {
    "moto-simple": {
        **_MOTO_COMMON,
        "INV-TYPE-006": "Event answers 202 with the request body echoed, not an empty body",
        "INV-TYPE-007": "runs no code: `sleep` for 1 s answers at once with the payload echoed",
        "INV-NAME-001": "runs no code: introspect echoes `{}`, so no context names the function",
        "INV-QUAL-001": "runs no code: Qualifier `1` echoes `{}`; which version ran is unknowable",
        "INV-QUAL-002": "runs no code: Qualifier `live` echoes `{}`; which version ran is "
                        "unknowable",
        "INV-QUAL-003": "runs no code: Qualifier `$LATEST` echoes `{}`",
        "INV-QUAL-007": "runs no code: `name:$LATEST` echoes `{}`",
        "INV-HDR-001": "no X-Amz-Executed-Version header on a 200",
        "INV-PAY-003": "an empty body answers `Simple Lambda happy path OK` (not JSON) instead "
                       "of the function's result for `{}`",
        "INV-PAY-006": "a 6 MiB echo answers `Function.ResponseSizeTooLarge`: moto compares "
                       "`sys.getsizeof(payload)` with 6,000,000",
        "INV-FERR-002": "runs no code: the `fail` function's invoke answers 200 with the payload "
                        "echoed and no X-Amz-Function-Error",
        "INV-FERR-004": "the 6 MiB echo (a success) carries X-Amz-Function-Error: Unhandled "
                        "(see INV-PAY-006)",
        "INV-FERR-008": "runs no code: `sleep` past its timeout answers 200 with no function error",
        "INV-FERR-012": "runs no code: `large` answers its 18-byte request instead of a 6 MiB "
                        "result",
        "INV-LOG-001": "no X-Amz-Log-Result header with `X-Amz-Log-Type: Tail`",
        "INV-CC-001": "runs no code: the client context never reaches a function",
        "INV-CC-002": "runs no code: no context at all (introspect echoes `{}`)",
        "INV-ASYNC-002": "runs no code: an accepted Event never runs the beacon",
        "INV-ASYNC-003": "runs no code: a failing Event is never attempted",
        "INV-DRY-001": "SUITE: moto answered the DryRun 204 and ran nothing, as required; the "
                       "check fails because the synchronous \"fence\" beacon (which moto does "
                       "not run either) never calls back. A missing fence means the test cannot "
                       "judge, not that DryRun ran the function (suites/test_dry_run.py).",
    },
    "moto-docker": {
        **_MOTO_COMMON,
    },
    "serverless-offline": {},
    "localstack": {},
}


@dataclass(frozen=True)
class Run:
    key: str
    path: Path
    record: Mapping[str, Any]

    @property
    def target(self) -> Target:
        return TARGETS[self.key]

    @property
    def label(self) -> str:
        return f"{self.target.name} {self.target.mode} ({self.record['profile']})"

    def failed(self) -> list[Mapping[str, Any]]:
        return [r for r in self.record["requirements"] if r["status"] in ("failed", "error")]


def record_key(path: Path) -> str:
    key, sep, _profile = path.stem.partition("--")
    if not sep or key not in TARGETS:
        raise SystemExit(f"{path}: the name must be <target key>--<profile>.json with a key "
                         f"from TARGETS ({', '.join(TARGETS)})")
    return key


def load_runs(results_dir: Path = RESULTS_DIR) -> list[Run]:
    order = list(TARGETS)
    runs = [Run(record_key(p), p, load_record(p)) for p in sorted(results_dir.glob("*.json"))]
    return sorted(runs, key=lambda r: (order.index(r.key), r.record["profile"]))


def cause_of(run: Run, requirement: Mapping[str, Any]) -> str | None:
    if requirement["status"] == "error":
        errors = requirement["errors"]
        return (f"{SUITE_FAULT} the suite could not judge: {errors[0][:200]}" if errors
                else f"{SUITE_FAULT} the suite could not judge")
    return CAUSES.get(run.key, {}).get(requirement["id"])


def missing_causes(runs: Sequence[Run]) -> list[str]:
    return [f"{run.path.name}: {req['id']}" for run in runs for req in run.failed()
            if cause_of(run, req) is None]


def _cause_line(run: Run, requirement: Mapping[str, Any]) -> str:
    cause = cause_of(run, requirement)
    rid = md_text(requirement["id"])
    level = requirement["level"]
    if cause is None:
        return f"- **{rid}** ({level}): cause not yet verified by hand"
    if cause.startswith(SUITE_FAULT):
        text = cause[len(SUITE_FAULT):].strip()
        return f"- **{rid}** ({level}): *false failure, a fault of the suite* — {md_text(text, None)}"
    return f"- **{rid}** ({level}): {md_text(cause, None)}"


def render(runs: Sequence[Run]) -> str:
    lines = [
        "# Real targets",
        "",
        "How third-party implementations of Lambda `Invoke` fare under the suite. Generated by",
        "`python -m tools.targets_page` from the run records in",
        "[`targets/results/`](targets/results/) (each one a run's unchanged `results.json`);",
        "do not edit by hand. Every failure listed below was replayed by hand with the curl",
        "command from the record against the live target; the line after it is the cause",
        "found. How to run each target: [`targets/`](../targets/README.md).",
        "",
        "| target | version | mode | fixtures | profile | date | score | MUST | passed / failed"
        " / error / untested | complete |",
        "|---|---|---|---|---|---|--:|--:|:-:|:-:|",
    ]
    for run in runs:
        rec, t = run.record, run.target
        totals = rec["totals"]
        lines.append(
            f"| {md_text(t.name)} | {md_text(t.version)} | {md_text(t.mode)} | "
            f"`{t.fixtures}` | {rec['profile']} | {rec['finished_at'][:10]} | "
            f"{percent(rec['score'])} | {percent(rec['score_must'])} | "
            f"{totals['passed']} / {totals['failed']} / {totals['error']} / "
            f"{totals['untested']} | {'yes' if rec['complete'] else 'no: ' + md_text(rec['stop_reason'])} |")
    lines += ["", "Targets that cannot run here (no Docker, binary not installable, no account): "
              "AWS SAM CLI, the Runtime Interface Emulator, real AWS; see "
              "[`targets/README.md`](../targets/README.md).", ""]
    for run in runs:
        rec, t = run.record, run.target
        lines += [
            f"## {md_text(run.label)}", "",
            f"- version: {md_text(t.version)}; recipe: `{t.recipe}`; fixtures: `{t.fixtures}`",
            f"- run: {rec['started_at']} to {rec['finished_at']}, profile `{rec['profile']}`, "
            f"hypothesis profile `{rec['hypothesis_profile']}`, suite {rec['suite_version']}, "
            f"spec {rec['spec_version']}, {rec['total_requests']} requests",
            f"- score {percent(rec['score'])} (MUST {percent(rec['score_must'])}, SHOULD "
            f"{percent(rec['score_should'])}), coverage {percent(rec['coverage'])}",
            f"- record: [`{run.path.name}`](targets/results/{run.path.name})",
        ]
        lines += [f"- note: {note}" for note in t.notes]
        failed = run.failed()
        lines += ["", f"{len(failed)} failed requirements:" if failed else "No failed requirement.",
                  ""]
        lines += [_cause_line(run, req) for req in failed]
        lines.append("")
    matrix = render_matrix_markdown([r.record for r in runs], [r.label for r in runs])
    lines += [matrix.replace("## Lambda Invoke conformance comparison",
                             "## Comparison matrix", 1)]
    return "\n".join(lines).rstrip("\n") + "\n"


def add(key: str, source: Path, results_dir: Path = RESULTS_DIR) -> Path:
    if key not in TARGETS:
        raise SystemExit(f"unknown target key {key!r}; known: {', '.join(TARGETS)}")
    record = load_record(source)  # validates against the schema
    if not record["complete"]:
        raise SystemExit(f"{source}: the run did not complete ({record['stop_reason']})")
    destination = results_dir / f"{key}--{record['profile']}.json"
    results_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    return destination


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.targets_page", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the page differs from what the records "
                             "give or a failed requirement has no cause")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument("--out", type=Path, default=PAGE)
    commands = parser.add_subparsers(dest="command")
    adding = commands.add_parser("add", help="copy a run's results.json into the results folder")
    adding.add_argument("key", choices=sorted(TARGETS))
    adding.add_argument("record", type=Path)
    args = parser.parse_args(argv)
    if args.command == "add":
        print(add(args.key, args.record, args.results))
        return 0
    runs = load_runs(args.results)
    text = render(runs)
    missing = missing_causes(runs)
    for item in missing:
        print(f"no cause recorded for {item}", file=sys.stderr)
    if args.check:
        stale = not args.out.exists() or args.out.read_text(encoding="utf-8") != text
        if stale:
            print(f"{args.out} is stale: run python -m tools.targets_page", file=sys.stderr)
        return 1 if stale or missing else 0
    args.out.write_text(text, encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
