"""docs/targets.md and docs/targets/<key>.md: how real third-party Invoke implementations fare.

    python -m tools.targets_page                   # regenerate docs/targets.md and the reports
    python -m tools.targets_page --check           # exit 1: a page stale, a cause missing or unused
    python -m tools.targets_page add KEY RESULTS_JSON   # keep a run's record (validated)
    python -m tools.targets_page refresh KEY       # run KEY's recipe and the suite, keep the
                                                   # record, regenerate (one command per row)

The pages are generated from the records in docs/targets/results/, one per run, named
`<target key>--<profile>.json` (the run's results.json, unchanged). What a record cannot
say is kept here: which implementation and version ran and the command that ran it
(TARGETS) and, for every requirement a run failed, one line on the cause found by
replaying the failure's curl command against the live target by hand (CAUSES). A failure
whose cause starts with "SUITE:" was judged a fault of the suite, not of the target (a
false failure); the pages say so rather than hiding it, until the suite is fixed and the
run is repeated. docs/targets.md shows each target's three worst deviations
(tools/deviation_rank.py); docs/targets/<key>.md is the target's whole bug report
(tools/target_reports.py).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambda_conformance.reporters.markdown import md_code, md_text
from lambda_conformance.reporters.matrix import render_matrix_markdown
from lambda_conformance.results.score import percent
from lambda_conformance.results.store import load_record
from tools.deviation_rank import ranking_table, top
from tools.target_reports import SUITE_FAULT, RunReport, own, render_report, report_path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "docs" / "targets" / "results"
PAGE = ROOT / "docs" / "targets.md"
REPORTS_DIR = ROOT / "docs" / "targets"


@dataclass(frozen=True)
class Target:
    name: str
    version: str
    mode: str
    recipe: str
    fixtures: str
    # The command that made the kept record (`refresh KEY` runs it): the recipe, then the
    # suite; the recipe replaces {url}, `refresh` replaces {python} and {out} (in a
    # `bash -c` string they are "$LC_PYTHON" and "$LC_OUT").
    command: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} {self.version} ({self.mode})"


# The suite as every kept record was made: aws profile, quick hypothesis profile.
_SUITE = ("{python}", "-m", "pytest", "suites", "-q", "-p", "no:cacheprovider",
          "--hypothesis-profile", "quick", "--profile", "aws", "--region", "us-east-1",
          "--account-id", "000000000000", "--target-url", "{url}", "--report-dir", "{out}")

# What ran, by target key (the part of the record's file name before `--`).
TARGETS: dict[str, Target] = {
    "moto-simple": Target(
        name="moto server", version="5.2.5", mode="simple backend",
        recipe="targets/moto/run.sh", fixtures="--provision",
        command=("targets/moto/run.sh", "--", *_SUITE, "--provision", "--request-timeout", "10"),
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
        command=("targets/moto/run.sh", "--docker", "--", *_SUITE, "--provision",
                 "--request-timeout", "10"),
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
        command=("targets/serverless-offline/run.sh", "--", *_SUITE, "--fixtures-manifest",
                 "fixtures/manifests/serverless-offline.yaml", "--request-timeout", "15",
                 "-n", "3"),
        notes=(
            "Run with `NODE_OPTIONS=--unhandled-rejections=warn` (the recipe's default). "
            "Without it, the first Event invoke of a function that fails makes serverless-offline "
            "exit (the Lambda timeout it raises is an unhandled promise rejection), and every "
            "later request of the run is refused.",
            "The run used `-n 3` (pytest-xdist): once a function has timed out, each later "
            "invoke of it waits out the 10 s timeout, and a serial run takes over 15 minutes.",
            "No control plane: no versions, aliases or concurrency API; the manifest names "
            "version `1` and alias `live` so the suite asks for them.",
        ),
    ),
    "localstack": Target(
        name="LocalStack", version="2026.3.0", mode="host mode, no Docker",
        recipe="targets/localstack/run.sh", fixtures="targets/localstack/provision.py",
        command=("targets/localstack/run.sh", "--", "bash", "-c",
                 '"$LC_PYTHON" targets/localstack/provision.py {url} "$LC_OUT/manifest.yaml" && '
                 + " ".join(_SUITE).replace("{python}", '"$LC_PYTHON"')
                 .replace("{out}", '"$LC_OUT"')
                 + ' --fixtures-manifest "$LC_OUT/manifest.yaml" --request-timeout 15'),
        notes=(
            "LocalStack's only function executor is Docker: every function ends in state "
            "`Failed`, and every invoke of an existing function answers 409 "
            "`ResourceConflictException` (\"The function is currently in the following state: "
            "Failed\"), which is what AWS answers for a function that is not Active (GT-058). "
            "The suite reports what needs a running function *untested* (fixture not ready), "
            "so only request validation and the errors answered before the state check are "
            "judged.",
        ),
    ),
    "ministack": Target(
        name="MiniStack", version="1.5.33", mode="local executor, no Docker",
        recipe="targets/ministack/run.sh", fixtures="--provision",
        command=("targets/ministack/run.sh", "--", *_SUITE, "--provision",
                 "--request-timeout", "10"),
        notes=(
            "Started with `BIND_HOST=127.0.0.1` (it binds every interface by default) and "
            "`LAMBDA_EXECUTOR=local`: Python functions run as subprocesses, so the suite's "
            "fixtures really run. The control plane (CreateFunction, PublishVersion, "
            "CreateAlias, PutFunctionConcurrency) works: `--provision`.",
        ),
    ),
}

# One line per failed requirement: why the target failed it (verified by hand).
_MOTO_COMMON: dict[str, str] = {
    "INV-TYPE-005": "an invocation type outside the enum (`DRYRUN`) is not rejected: 200 as "
                    "for RequestResponse",
    "INV-NAME-007": "the region inside a full ARN is ignored: another region's ARN reaches "
                    "the local function",
    "INV-QUAL-004": "a qualifier naming no version or alias still invokes the function",
    "INV-QUAL-005": "a qualifier breaking the pattern (`!0`) is not validated",
    "INV-QUAL-006": "a 129-character qualifier is not length-checked",
    "INV-QUAL-008": "a qualifier in the name that contradicts the Qualifier parameter is "
                    "not rejected",
    "INV-LOG-005": "a log type outside the enum (`NONE`) is accepted",
    "INV-CC-003": "an over-long X-Amz-Client-Context is accepted",
    "INV-CC-004": "an X-Amz-Client-Context that is not base64 is accepted",
    "INV-CONC-001": "reserved concurrency 0 (PutFunctionConcurrency is stored) does not "
                    "throttle: 200 instead of 429",
    "INV-PAY-009": "an Event payload over 1 MiB is accepted (202): no async payload limit",
    "INV-HDR-001": "no X-Amz-Executed-Version header on a 200",
    "INV-HDR-004": "moto's crash page (500, Werkzeug HTML) carries no x-amzn-RequestId",
    "INV-WIRE-001": "moto's crash page (500, Werkzeug HTML) has no x-amzn-ErrorType",
    "INV-WIRE-003": "moto's crash page (500) is HTML, not a JSON error",
    "INV-WIRE-005": "error bodies lack `Type` (moto's 404 is `{\"__type\", \"message\"}`; its "
                    "crash page is HTML)",
    "INV-WIRE-006": "moto's crash page (500) is text/html",
    "INV-ERR-InvalidParameterValue": "the qualifier conflict is not detected (INV-QUAL-008)",
    "INV-ERR-TooManyRequests": "no throttling at reserved concurrency 0 (INV-CONC-001)",
}
_SLS_ECHO_DEAD = ("echo answers `[504] - Lambda timeout`: an earlier call whose result is `null` "
                  "never returned (serverless-offline drops falsy results) and timed out, and "
                  "serverless-offline then killed echo's Python process for good: every later "
                  "echo call waits out the 10 s timeout")
CAUSES: dict[str, dict[str, str]] = {
    "moto-simple": {
        **_MOTO_COMMON,
        "INV-NAME-002": "a name breaking the pattern (`arn:aws:lambda:invalid-region:...`) "
                        "answers 200: the simple backend validates nothing",
        "INV-NAME-003": "an over-long name answers 200: no length check",
        "INV-NAME-005": "an absent function answers 200: the simple backend never checks "
                        "that the function exists",
        "INV-PAY-004": "a body that is not JSON (here `S`) is accepted and echoed",
        "INV-PAY-007": "a synchronous payload over the limit (6 MiB + 1 byte) is accepted and "
                       "echoed, then reported as an oversized *result* (200, "
                       "`Function.ResponseSizeTooLarge`) instead of 413 "
                       "RequestEntityTooLargeException",
        "INV-ERR-RequestEntityTooLarge": "no request payload limit: an oversized synchronous "
                                         "payload answers 200 (INV-PAY-007), an oversized Event "
                                         "202 (INV-PAY-009)",
        "INV-PAY-005": "a body that is not UTF-8 crashes moto: 500 with Werkzeug's HTML page",
        "INV-ERR-ResourceNotFound": "absent functions, other regions' ARNs and unknown "
                                    "qualifiers answer 200",
        "INV-ERR-InvalidRequestContent": "non-JSON bodies are echoed, non-UTF-8 ones crash "
                                         "moto (500)",
        "INV-ERR-Validation": "no pattern or length validation of FunctionName or Qualifier: "
                              "200",
        "INV-TYPE-006": "Event answers 202 with the request body echoed, not an empty body",
        "INV-TYPE-007": "runs no code: `sleep` for 1 s answers at once with the payload echoed",
        "INV-NAME-001": "runs no code: introspect echoes `{}`, so no context names the function",
        "INV-QUAL-001": "runs no code: Qualifier `1` echoes `{}`; which version ran is unknowable",
        "INV-QUAL-002": "runs no code: Qualifier `live` echoes `{}`; which version ran is "
                        "unknowable",
        "INV-QUAL-003": "runs no code: Qualifier `$LATEST` echoes `{}`",
        "INV-QUAL-007": "runs no code: `name:$LATEST` echoes `{}`",
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
        "INV-NAME-006": "a 65+ character bare name of an absent function answers 200 (no "
                        "existence check)",
        "INV-HDR-002": "no X-Amz-Executed-Version header",
        "INV-FERR-003": "runs no code: `fail` answers 200 with its payload, no "
                        "X-Amz-Function-Error",
        "INV-FERR-005": "runs no code: `fail` echoes `{\"message\": ...}`, not an error object",
        "INV-FERR-006": "runs no code: no errorMessage/errorType from `fail`",
        "INV-FERR-007": "runs no code: no stackTrace from `fail`",
        "INV-FERR-009": "runs no code: `sleep` past its timeout echoes its payload, no "
                        "Sandbox.Timedout",
        "INV-FERR-010": "runs no code: `large` over the response limit echoes its small "
                        "request, no function error",
        "INV-FERR-011": "runs no code: no Function.ResponseSizeTooLarge error",
        "INV-DRY-002": "a DryRun of an invalid or absent name answers 204: nothing is checked",
        "INV-CTX-002": "runs no code: introspect echoes `{}`, no invoked_function_arn",
        "INV-CTX-003": "runs no code: introspect echoes `{}`, no aws_request_id",
    },
    "moto-docker": {
        **_MOTO_COMMON,
        "INV-NAME-002": "no pattern validation: an invalid name answers 404 "
                        "ResourceNotFoundException instead of 400",
        "INV-NAME-003": "no length validation: an over-long ARN answers 404 instead of 400",
        "INV-NAME-005": "a partial ARN of an absent function (`000000000000:function:0`) "
                        "crashes moto: 500 with Werkzeug's HTML page",
        "INV-PAY-004": "a body that is not JSON crashes moto: 500 with Werkzeug's HTML page",
        "INV-PAY-007": "a synchronous payload over the limit (6 MiB + 1 byte) is accepted and "
                       "handed to the function (which answers the `error running docker` text) "
                       "instead of 413 RequestEntityTooLargeException",
        "INV-ERR-RequestEntityTooLarge": "no request payload limit: an oversized synchronous "
                                         "payload is invoked (INV-PAY-007), an oversized Event "
                                         "answers 202 (INV-PAY-009)",
        "INV-PAY-005": "a body that is not UTF-8 crashes moto: 500 with Werkzeug's HTML page",
        "INV-PAY-006": "a 6 MiB echo answers the `error running docker` text (the function "
                       "cannot run)",
        "INV-WIRE-004": "moto's 404 body has `message`; AWS's ResourceNotFoundException has "
                        "`Message`",
        "INV-ERR-ResourceNotFound": "partial ARNs of absent functions crash moto (500); other "
                                    "regions' ARNs and unknown qualifiers are invoked",
        "INV-ERR-InvalidRequestContent": "non-JSON and non-UTF-8 bodies crash moto (500)",
        "INV-ERR-Validation": "no pattern or length validation: invalid names answer 404, "
                              "invalid qualifiers invoke the function",
        "INV-FERR-003": "the Docker failure is reported `X-Amz-Function-Error: Handled`; AWS "
                        "reports `Unhandled`",
        "INV-FERR-004": "a successful call carries X-Amz-Function-Error: Handled (the Docker "
                        "failure)",
        **{rid: "no Docker daemon: introspect cannot run, so no version or context comes "
                "back (the answer is the `error running docker` text)"
           for rid in ("INV-QUAL-001", "INV-QUAL-002", "INV-QUAL-003", "INV-QUAL-007",
                       "INV-HDR-002", "INV-CTX-002", "INV-CTX-003")},
        **{rid: "no Docker daemon: the function cannot run, so the error body is the "
                "`error running docker` text, not an error object"
           for rid in ("INV-FERR-006", "INV-FERR-007", "INV-FERR-009", "INV-FERR-011")},
        "INV-DRY-002": "a DryRun of an invalid name answers 404 ResourceNotFoundException: no "
                       "pattern validation",
        "INV-LOG-003": "X-Amz-Log-Result is present but empty",
        "INV-FERR-012": "`large` answers the 137-byte `error running docker` text instead of "
                        "a 6 MiB result",
        "INV-ASYNC-002": "an accepted Event never runs the function (no Docker)",
        "INV-ASYNC-003": "a failing Event is never attempted (no Docker)",
    },
    "serverless-offline": {
        "INV-TYPE-001": "a RequestResponse echo of `null` never returns: serverless-offline "
                        "treats a falsy result (null, 0, false, \"\") as no result and answers "
                        "`[504] - Lambda timeout` after 10 s",
        "INV-TYPE-002": _SLS_ECHO_DEAD,
        "INV-TYPE-004": "DryRun answers 400 InvalidParameterValueException \"invocationType: "
                        "'DryRun' not supported by serverless-offline\"",
        "INV-NAME-001": "the context names the function `Fake`, not its name",
        "INV-NAME-002": "no pattern validation: an invalid name (`arn:aws:lambda:invalid-region:"
                        "...`, `null,null`) answers 404 instead of 400",
        "INV-NAME-003": "no length validation: an over-long ARN answers 404 instead of 400",
        "INV-QUAL-001": "the Qualifier is ignored: `1` runs $LATEST, whose context says version "
                        "`LATEST`",
        "INV-QUAL-002": "the Qualifier is ignored: alias `live` runs $LATEST (context version "
                        "`LATEST`)",
        "INV-QUAL-003": "the context's function_version is `LATEST`, not `$LATEST`",
        "INV-QUAL-004": "the Qualifier is ignored: an unknown version or alias runs $LATEST",
        "INV-QUAL-005": "the Qualifier is ignored: one breaking the pattern is accepted",
        "INV-QUAL-006": "the Qualifier is ignored: a 129-character one is accepted",
        "INV-QUAL-007": "a qualifier in the path (`name:$LATEST`) answers 404: only plain names "
                        "are looked up",
        "INV-QUAL-008": "`name:$LATEST` with Qualifier `1` answers 404 (qualified names are not "
                        "found), not 400",
        "INV-HDR-001": "no X-Amz-Executed-Version header",
        "INV-HDR-002": "no X-Amz-Executed-Version header",
        "INV-HDR-003": "a string result (`large`) is sent as `text/html; charset=utf-8`",
        "INV-HDR-004": "no answer carries an x-amzn-RequestId header (the first failure is "
                       "the 500 for a non-base64 client context)",
        "INV-FERR-004": "the `null` echo (a success) is reported as the Lambda timeout error "
                        "(see INV-TYPE-001)",
        "INV-FERR-006": "a function that raises is reported as `[504] - Lambda timeout` / "
                        "`Error` after the 10 s timeout: the Python runner never reports the "
                        "exception",
        "INV-FERR-009": "a timeout reports errorType `Error` (`[504] - Lambda timeout.`), not "
                        "`Sandbox.Timedout`",
        "INV-FERR-010": "a result over 6 MiB + 100 bytes is returned whole (200, no function "
                        "error): no response size limit",
        "INV-LOG-001": "no X-Amz-Log-Result header with `X-Amz-Log-Type: Tail`",
        "INV-LOG-005": "a log type outside the enum is accepted",
        "INV-CC-001": "X-Amz-Client-Context is not passed to the function (client_context null)",
        "INV-CC-003": "an over-long X-Amz-Client-Context is accepted",
        "INV-CC-004": "an X-Amz-Client-Context that is not base64 answers 500 with hapi's "
                      "`Internal Server Error` body",
        "INV-ASYNC-003": "a failing Event invoke is attempted once, never retried",
        "INV-WIRE-001": "the 500 for a non-base64 client context has no x-amzn-ErrorType",
        "INV-WIRE-004": "InvalidParameterValueException bodies use `Message`; AWS uses `message`",
        "INV-WIRE-005": "the 500 for a non-base64 client context has no `Type`",
        "INV-CTX-002": "context.invoked_function_arn is `arn:aws:lambda:serverless:Fake`",
        "INV-ERR-ResourceNotFound": "an unknown qualifier runs $LATEST (200) instead of 404 "
                                    "(INV-QUAL-004)",
        "INV-TYPE-007": "`sleep` answers `[504] - Lambda timeout`: an earlier call of it timed "
                        "out and serverless-offline killed its Python process for good",
        "INV-PAY-001": "echoing `null` never returns (falsy results are dropped): `[504] - "
                       "Lambda timeout` after 10 s",
        "INV-PAY-003": _SLS_ECHO_DEAD,
        "INV-PAY-004": "a body that is not JSON answers 500 with hapi's `Internal Server Error`",
        "INV-PAY-005": "a body that is not UTF-8 answers 500 with hapi's `Internal Server Error`",
        "INV-PAY-006": _SLS_ECHO_DEAD,
        "INV-PAY-009": "an Event payload over 1 MiB is accepted (202): no async payload limit",
        "INV-FERR-003": "a result over the response limit comes back whole with no "
                        "X-Amz-Function-Error (see INV-FERR-010)",
        "INV-FERR-007": "the error body has serverless-offline's own node `trace`, no "
                        "`stackTrace`",
        "INV-FERR-011": "no `Function.ResponseSizeTooLarge` error: no response size limit",
        "INV-DRY-002": "a DryRun with an invalid name answers 404 (no validation) instead of 400",
        "INV-ERR-InvalidParameterValue": "the qualifier conflict answers 404 (INV-QUAL-008)",
        "INV-ERR-InvalidRequestContent": "non-JSON and non-UTF-8 bodies answer 500 "
                                         "(INV-PAY-004, -005)",
        "INV-PAY-007": "a synchronous payload over 6 MiB answers 413 from the HTTP server's own "
                       "body limit (hapi's `{\"statusCode\":413,\"error\":\"Request Entity Too "
                       "Large\",...}`, no x-amzn-ErrorType), not RequestEntityTooLargeException",
        "INV-ERR-RequestEntityTooLarge": "an oversized synchronous payload gets hapi's 413, not "
                                         "the error (INV-PAY-007); an oversized Event is accepted "
                                         "(INV-PAY-009)",
        "INV-ERR-Validation": "no validation: invalid names answer 404, invalid qualifiers are "
                              "ignored",
    },
    "localstack": {
        "INV-TYPE-005": "an invocation type outside the enum (`DRYRUN`, `0`) sent to an existing "
                        "function answers 409 ResourceConflictException (the function is "
                        "`Failed`): LocalStack checks the function's state before it validates "
                        "the header; AWS validates first (400)",
        "INV-LOG-005": "a log type outside the enum (`NONE`) sent to an existing function answers "
                       "409 ResourceConflictException (state `Failed`): the state is checked "
                       "before the header is validated; AWS validates first (400)",
        "INV-NAME-005": "a full ARN of 171 to 256 characters answers 400 ValidationException "
                        "\"Member must have length less than or equal to 170\": LocalStack keeps "
                        "the old limit (AWS: 256, GT-009)",
        "INV-WIRE-005": "400 ValidationException and 409 ResourceConflictException bodies are "
                        "`{\"__type\", \"message\"}` without `Type` (its 404 has `Type`)",
        "INV-ERR-ResourceNotFound": "a full ARN of 171 to 256 characters answers 400 instead of "
                                    "404 (INV-NAME-005)",
    },
    "ministack": {
        "INV-TYPE-005": "an invocation type outside the enum (`DRYRUN`) is not rejected: the "
                        "function runs and answers 200 as for RequestResponse",
        **{rid: "the partial ARN form `000000000000:function:NAME` is not resolved: 404 "
                "\"Function not found: arn:aws:lambda:us-east-1:000000000000:function:"
                "000000000000\" (the account id is taken for the name; plain names and full "
                "ARNs work)"
           for rid in ("INV-NAME-001", "INV-QUAL-001", "INV-QUAL-002", "INV-QUAL-003",
                       "INV-QUAL-007", "INV-HDR-002", "INV-CTX-002")},
        "INV-NAME-002": "no pattern validation: an invalid name (`arn:aws:lambda:invalid-region:"
                        "...`, `null,null`) answers 404 ResourceNotFoundException instead of 400",
        "INV-NAME-003": "no length validation: an over-long ARN answers 404 instead of 400",
        "INV-QUAL-005": "no qualifier validation: one breaking the pattern (`!0`) answers 404 "
                        "instead of 400",
        "INV-QUAL-006": "no qualifier validation: a 129-character qualifier answers 404 instead "
                        "of 400",
        "INV-QUAL-008": "`name:$LATEST` with Qualifier `1` runs $LATEST (200): the qualifier in "
                        "the name wins, the conflict is not rejected",
        "INV-HDR-004": "the 500 for a body that is not UTF-8 carries no x-amzn-RequestId",
        "INV-PAY-004": "a body that is not JSON (`:`) is accepted: the function runs with `{}` "
                       "as its event and answers 200",
        "INV-PAY-005": "a body that is not UTF-8 answers 500 `{\"__type\": \"InternalError\", "
                       "\"message\": \"'utf-8' codec can't decode ...\"}` instead of 400 "
                       "InvalidRequestContentException",
        "INV-PAY-007": "no request payload limit: 6 MiB + 1 byte is run and echoed (200) "
                       "instead of 413 RequestEntityTooLargeException",
        "INV-PAY-009": "no Event payload limit: an Event over 1 MiB is accepted (202)",
        "INV-FERR-003": "no response size limit: `large` returns 6,291,555 bytes whole (200, no "
                        "X-Amz-Function-Error)",
        "INV-FERR-010": "no response size limit: a result over 6 MiB comes back whole with no "
                        "X-Amz-Function-Error",
        "INV-FERR-011": "no `Function.ResponseSizeTooLarge` error: no response size limit",
        "INV-FERR-006": "a function's exception is reported with errorType "
                        "`Runtime.HandlerError`, not the exception's class name "
                        "(`ConformanceFixtureError`); errorMessage is right",
        "INV-FERR-007": "the error body has no `stackTrace` (only errorMessage and errorType)",
        "INV-LOG-005": "a log type outside the enum (`NONE`) is accepted: 200",
        "INV-LOG-006": "the log tail holds only what the function printed: no START, END or "
                       "REPORT lines",
        "INV-CC-001": "X-Amz-Client-Context is not passed on: the function's "
                      "`context.client_context` is always None (MiniStack's local runtime sets "
                      "it to None)",
        "INV-CC-003": "an over-long X-Amz-Client-Context is accepted (it is never read)",
        "INV-CC-004": "an X-Amz-Client-Context that is not base64 is accepted (it is never read)",
        "INV-ASYNC-004": "each retry of a failing Event runs with a new request id: MiniStack "
                         "makes one per execution (three attempts, three ids)",
        "INV-DRY-002": "a DryRun of an invalid name answers 404 ResourceNotFoundException: no "
                       "pattern validation",
        "INV-CONC-001": "SUITE: reserved concurrency 0 answers 429 with body `__type` "
                        "TooManyRequestsException and Reason "
                        "ReservedFunctionConcurrentInvocationLimitExceeded, only without an "
                        "x-amzn-ErrorType header (that is INV-WIRE-001); botocore takes the "
                        "code from `__type` then, so an SDK raises TooManyRequestsException. "
                        "The check reads the header alone (the suite is being fixed)",
        "INV-ERR-TooManyRequests": "SUITE: the 429 is TooManyRequestsException by its body's "
                                   "`__type` (see INV-CONC-001); only the header is missing",
        "INV-WIRE-001": "the 429 for reserved concurrency 0 and the 500 for a non-UTF-8 body "
                        "have no x-amzn-ErrorType header (the 429 names its type in `__type`)",
        "INV-WIRE-004": "the 404 body has `message`; AWS's ResourceNotFoundException has "
                        "`Message`",
        "INV-WIRE-005": "error bodies are `{\"__type\", \"message\"}` with no `Type`",
        "INV-CTX-003": "context.aws_request_id is a fresh id per execution, not the answer's "
                       "x-amzn-RequestId",
        "INV-ERR-InvalidParameterValue": "the qualifier conflict is not detected "
                                         "(INV-QUAL-008)",
        "INV-ERR-InvalidRequestContent": "a non-JSON body runs the function with `{}` (200); a "
                                         "non-UTF-8 one answers 500 InternalError "
                                         "(INV-PAY-004, -005)",
        "INV-ERR-Validation": "no pattern or length validation of FunctionName or Qualifier: "
                              "404 ResourceNotFoundException instead of 400",
        "INV-ERR-RequestEntityTooLarge": "no request payload limit: an oversized synchronous "
                                         "payload answers 200 (INV-PAY-007), an oversized Event "
                                         "202 (INV-PAY-009)",
    },
}


# A cause shared by every failure of a requirement whose received text contains the marker
# (the target cannot run functions here); explicit CAUSES entries take precedence. Each
# marker was confirmed by replaying failures by hand.
PATTERN_CAUSES: dict[str, tuple[tuple[str, str], ...]] = {
    "moto-docker": (
        ("error running docker", "no Docker daemon: the invoke answers "
         "`X-Amz-Function-Error: Handled` with the text `error running docker: ...` instead "
         "of running the function"),
    ),
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
        return (f"{SUITE_FAULT} {md_code(errors[0], 200)}" if errors
                else f"{SUITE_FAULT} the test errored")
    explicit = CAUSES.get(run.key, {}).get(requirement["id"])
    if explicit is not None:
        return explicit
    received = [str(f["received"]) for f in requirement["failures"]]
    for marker, cause in PATTERN_CAUSES.get(run.key, ()):
        if received and all(marker in text for text in received):
            return cause
    return None


def missing_causes(runs: Sequence[Run]) -> list[str]:
    return [f"{run.path.name}: {req['id']}" for run in runs for req in run.failed()
            if cause_of(run, req) is None]


def unused_causes(runs: Sequence[Run]) -> list[str]:
    """CAUSES entries for a requirement no kept run of that target fails: a cause checked
    against an older run, which must not outlive it."""
    failed: dict[str, set[str]] = {}
    for run in runs:
        failed.setdefault(run.key, set()).update(req["id"] for req in run.failed())
    return [f"{key}: {rid}" for key, causes in CAUSES.items() for rid in causes
            if rid not in failed.get(key, set())]


def _cause_line(run: Run, requirement: Mapping[str, Any]) -> str:
    cause = cause_of(run, requirement)
    rid = md_text(requirement["id"])
    level = requirement["level"]
    if cause is None:
        return f"- **{rid}** ({level}): cause not yet verified by hand"
    if requirement["status"] == "error":
        text = cause[len(SUITE_FAULT):].strip()
        return f"- **{rid}** ({level}): *error in the suite, no verdict* — {text}"
    if cause.startswith(SUITE_FAULT):
        text = cause[len(SUITE_FAULT):].strip()
        return f"- **{rid}** ({level}): *false failure, a fault of the suite* — {own(text)}"
    return f"- **{rid}** ({level}): {own(cause)}"


def run_report(run: Run) -> RunReport:
    return RunReport(label=run.label, record_file=run.path.name, record=run.record,
                     causes={req["id"]: cause_of(run, req) for req in run.failed()})


def reports(runs: Sequence[Run], directory: Path = REPORTS_DIR) -> dict[Path, str]:
    """docs/targets/<key>.md for every target with a kept run."""
    by_key: dict[str, list[Run]] = {}
    for run in runs:
        by_key.setdefault(run.key, []).append(run)
    return {report_path(directory, key): render_report(
                TARGETS[key].label, TARGETS[key].recipe, TARGETS[key].fixtures,
                [run_report(run) for run in key_runs])
            for key, key_runs in by_key.items()}


def render(runs: Sequence[Run]) -> str:
    lines = [
        "# Real targets",
        "",
        "How third-party implementations of Lambda `Invoke` fare under the suite. Generated by",
        "`python -m tools.targets_page` from the run records in",
        "[`targets/results/`](targets/results/) (each one a run's unchanged `results.json`);",
        "do not edit by hand. Every failure was replayed by hand with the curl command from",
        "the record against the live target (`python -m tools.replay RECORD --url URL",
        "--provision` runs them all and prints the answers), and its cause written down.",
        "Each target's **bug report** (the `report` link of its row) has every failed",
        "requirement, most harmful to an SDK user first: the rule, expected and received,",
        "the curl command and the cause. Below, per target, the three that matter most to",
        "an SDK user; a line marked *false failure* or *error in the suite* is a fault of the",
        "suite, not of the target, kept visible until the suite is fixed and the run",
        "repeated. How to run each target: [`targets/`](../targets/README.md); to refresh a",
        "row: `python -m tools.targets_page refresh KEY` (runs the recipe, keeps the record,",
        "regenerates).",
        "",
        "| target | version | mode | fixtures | profile | date | suite / spec | score | MUST"
        " | passed / failed / error / untested | complete | report |",
        "|---|---|---|---|---|---|---|--:|--:|:-:|:-:|---|",
    ]
    for run in runs:
        rec, t = run.record, run.target
        totals = rec["totals"]
        lines.append(
            f"| {own(t.name)} | {own(t.version)} | {own(t.mode)} | "
            f"`{t.fixtures}` | {rec['profile']} | {rec['finished_at'][:10]} | "
            f"{md_text(rec['suite_version'])} / {md_text(rec['spec_version'])} | "
            f"{percent(rec['score'])} | {percent(rec['score_must'])} | "
            f"{totals['passed']} / {totals['failed']} / {totals['error']} / "
            f"{totals['untested']} | "
            f"{'yes' if rec['complete'] else 'no: ' + md_text(rec['stop_reason'])} | "
            f"[{run.key}](targets/{run.key}.md) |")
    lines += ["", "Targets that cannot run here (no Docker, binary not installable, no account): "
              "AWS SAM CLI, the Runtime Interface Emulator, real AWS; see "
              "[`targets/README.md`](../targets/README.md).", ""]
    for run in runs:
        lines += _run_section(run)
    lines += ["## How deviations are ranked", "",
              "Each target's failed requirements are ranked by the tier of their category, "
              "then their level (MUST, SHOULD, MAY), then the category's place in this table, "
              "then their place in `spec/invoke.yaml` "
              "([`tools/deviation_rank.py`](../tools/deviation_rank.py)); nothing is sorted "
              "by hand. The top 3 takes the first failure of each category until it has three, "
              "and leaves out the suite's own faults.", "", *ranking_table(), ""]
    matrix = render_matrix_markdown([r.record for r in runs], [r.label for r in runs])
    lines += [matrix.replace("## Lambda Invoke conformance comparison",
                             "## Comparison matrix", 1)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _run_section(run: Run) -> list[str]:
    rec, t = run.record, run.target
    lines = [
        f"## {own(run.label)}", "",
        f"- version: {own(t.version)}; recipe: `{t.recipe}`; fixtures: `{t.fixtures}`",
        f"- run: {rec['started_at']} to {rec['finished_at']}, profile `{rec['profile']}`, "
        f"hypothesis profile `{rec['hypothesis_profile']}`, suite {rec['suite_version']}, "
        f"spec {rec['spec_version']}, {rec['total_requests']} requests",
        f"- score {percent(rec['score'])} (MUST {percent(rec['score_must'])}, SHOULD "
        f"{percent(rec['score_should'])}), coverage {percent(rec['coverage'])}",
        f"- record: [`{run.path.name}`](targets/results/{run.path.name}); bug report: "
        f"[`targets/{run.key}.md`](targets/{run.key}.md)",
    ]
    lines += [f"- note: {own(note)}" for note in t.notes]
    report = run_report(run)
    deviations, faults = report.deviations(), report.suite_faults()
    failed = run.failed()
    if not failed:
        return [*lines, "", "No failed requirement.", ""]
    worst = top(deviations)
    lines += ["", f"{len(deviations)} requirements broken by the target"
              + (f", {len(faults)} failed by a fault of the suite" if faults else "")
              + (f"; the {len(worst)} that matter most to an SDK user:" if worst else "."), ""]
    lines += [_cause_line(run, req) for req in worst]
    if faults:
        lines += ["", "Failed by a fault of the suite, not of the target:", ""]
        lines += [_cause_line(run, req) for req in faults]
    return [*lines, ""]


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


def refresh_command(key: str, out: Path, python: str = sys.executable) -> list[str]:
    """The target's command (TARGETS[key].command) with {python} and {out} filled in."""
    return [part.replace("{python}", python).replace("{out}", str(out))
            for part in TARGETS[key].command]


def refresh(key: str, results_dir: Path, timeout: float) -> Path:
    """Run the target's recipe and the suite as for its kept record; keep the new record."""
    with tempfile.TemporaryDirectory(prefix=f"lc-refresh-{key}-") as folder:
        out = Path(folder) / "run"
        out.mkdir()
        command = refresh_command(key, out)
        print("+ " + " ".join(shlex.quote(part) for part in command), file=sys.stderr)
        env = {**os.environ, "LC_PYTHON": sys.executable, "LC_OUT": str(out)}
        try:
            done = subprocess.run(command, cwd=ROOT, env=env, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as error:
            raise SystemExit(f"{key}: the run took longer than {timeout:g} s") from error
        # 1 is the suite saying the target failed requirements: the expected outcome.
        record = out / "results.json"
        if done.returncode not in (0, 1) or not record.exists():
            raise SystemExit(f"{key}: the run ended with status {done.returncode}"
                             + ("" if record.exists() else " and wrote no record"))
        return add(key, record, results_dir)


def _write(runs: Sequence[Run], page: Path, check: bool) -> bool:
    """Write (or with `check`, compare) the page and the reports; True when all are current."""
    wanted = {page: render(runs), **reports(runs, page.parent / "targets")}
    current = True
    for path, text in wanted.items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path} is stale: run python -m tools.targets_page", file=sys.stderr)
                current = False
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)
    # A report left from a target that has no kept run any more.
    for path in sorted((page.parent / "targets").glob("*.md")):
        if path not in wanted:
            print(f"{path}: no kept run of this target; remove it", file=sys.stderr)
            current = False
    return current


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.targets_page", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the page or a report differs from what "
                             "the records give, or a failed requirement has no cause")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument("--out", type=Path, default=PAGE,
                        help="the page; the reports go to targets/ beside it")
    commands = parser.add_subparsers(dest="command")
    adding = commands.add_parser("add", help="copy a run's results.json into the results folder")
    adding.add_argument("key", choices=sorted(TARGETS))
    adding.add_argument("record", type=Path)
    refreshing = commands.add_parser(
        "refresh", help="run a target's recipe and the suite, keep the record, regenerate")
    refreshing.add_argument("key", choices=sorted(TARGETS))
    refreshing.add_argument("--timeout", type=float, default=3600.0,
                            help="seconds the whole run may take (default 3600)")
    args = parser.parse_args(argv)
    if args.command == "add":
        print(add(args.key, args.record, args.results))
        return 0
    if args.command == "refresh":
        print(refresh(args.key, args.results, args.timeout))
    runs = load_runs(args.results)
    missing = missing_causes(runs)
    for item in missing:
        print(f"no cause recorded for {item}: replay it by hand (python -m tools.replay "
              "RECORD --url URL --provision) and add its line to CAUSES", file=sys.stderr)
    unused = unused_causes(runs)
    for item in unused:
        print(f"a cause for a requirement no run fails (remove it): {item}", file=sys.stderr)
    current = _write(runs, args.out, args.check)
    return 1 if missing or unused or not current else 0


if __name__ == "__main__":
    sys.exit(main())
