"""What docs/targets.md cannot read from a record: which target ran, how, and why it failed.

TARGETS names each target key's implementation, version, recipe and the command that made
its kept record (`python -m tools.targets_page refresh KEY` runs it). CAUSES holds, per
target key, one line for every requirement a kept run failed: the cause found by replaying
the failure's curl command against the live target by hand (`python -m tools.replay`). A
cause starting with "SUITE:" marks a false failure, a fault of the suite. PATTERN_CAUSES
gives one cause to every failure whose received text holds a marker.
"""

from __future__ import annotations

from dataclasses import dataclass


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
# The streaming requirements a target fails when it does not serve the operation at all
# (every request gets the same answer); the others are untested for want of a stream.
_STREAM_FAILED_WHEN_UNSERVED = ("STR-TYPE-001", "STR-TYPE-002", "STR-TYPE-003", "STR-FERR-001",
                                "STR-LOG-001", "STR-NAME-001", "STR-ERR-001", "STR-ERR-002")


def _stream_unserved(cause: str) -> dict[str, str]:
    return dict.fromkeys(_STREAM_FAILED_WHEN_UNSERVED, cause)


# moto 5.2.5 has no route for the streaming operation (none in moto/awslambda/urls.py).
_MOTO_NO_STREAM = _stream_unserved(
    "InvokeWithResponseStream is not implemented: moto 5.2.5 routes no "
    "`/2021-11-15/functions/NAME/response-streaming-invocations`, so every request answers "
    "Werkzeug's HTML `404 Not Found` page")
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
        "INV-EXEC-002": "runs no code: `sleep` for 2 s (within its 3 s timeout) answers at once "
                        "with the request echoed (`{\"seconds\": 2}`), not the function's "
                        "`{\"slept\": 2}`",
        **_MOTO_NO_STREAM,
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
        "INV-LOG-007": "no Docker daemon: the function never starts and X-Amz-Log-Result is "
                       "empty, so no `START RequestId: ... Version: ...` line (see INV-LOG-003)",
        "INV-WIRE-008": "the incomplete ARN `arn:aws:lambda:R:A:function` is reported as "
                        "`Function not found: ...:function:000000000000:function` (AWS reads "
                        "the name `function`: `...:function:function`, GT-012)",
        **_MOTO_NO_STREAM,
    },
    "serverless-offline": {
        "INV-TYPE-001": "a RequestResponse echo of `null` never returns: serverless-offline "
                        "treats a falsy result (null, 0, false, \"\") as no result and answers "
                        "`[504] - Lambda timeout` after 10 s",
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
        "INV-PAY-001": "echoing `null` never returns (falsy results are dropped): `[504] - "
                       "Lambda timeout` after 10 s",
        "INV-PAY-004": "a body that is not JSON answers 500 with hapi's `Internal Server Error`",
        "INV-PAY-005": "a body that is not UTF-8 answers 500 with hapi's `Internal Server Error`",
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
        "INV-PAY-010": "echoing `null` (the handler returns None) never answers: "
                       "serverless-offline drops falsy results and the call ends in its own "
                       "`[504] - Lambda timeout` error instead of the 4 bytes `null`",
        "INV-WIRE-008": "a 404's message names the bare function (`Function not found: "
                        "aaa...`), not its ARN (`Function not found: arn:aws:lambda:R:A:"
                        "function:aaa...`, GT-008)",
        # No route for the streaming operation: hapi's own 404 for an unknown path.
        **_stream_unserved(
            "InvokeWithResponseStream is not implemented: serverless-offline routes no "
            "`/2021-11-15/functions/NAME/response-streaming-invocations`, so every request "
            "answers hapi's `404 {\"statusCode\":404,\"error\":\"Not Found\"}`"),
    },
    "localstack": {
        # Every request of the streaming operation, valid or not, gets the same 501.
        **_stream_unserved(
            "InvokeWithResponseStream is not in LocalStack's community edition: every request "
            "answers 501 InternalFailure \"The API for service lambda is either not included "
            "in your current license plan or has not yet been emulated by LocalStack.\""),
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
        "INV-NAME-001": "the partial ARN form `000000000000:function:NAME` is not resolved: 404 "
                        "\"Function not found: arn:aws:lambda:us-east-1:000000000000:function:"
                        "000000000000\" (the account id is taken for the name; plain names "
                        "and full ARNs work, with every qualifier)",
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
        "INV-ASYNC-004": "each retry of a failing Event runs with a new request id (three "
                         "attempts, three ids): MiniStack's retry loop calls "
                         "`_execute_function` per attempt, which makes a new id each time "
                         "(read in its source, `services/lambda_svc.py`)",
        "INV-DRY-002": "a DryRun of an invalid name answers 404 ResourceNotFoundException: no "
                       "pattern validation",
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
        "INV-HDR-005": "an Event's 202 carries `X-Amz-Executed-Version: $LATEST`; AWS's 202 "
                       "has no such header (GT-029)",
        "INV-FERR-013": "a timeout's errorMessage is `Task timed out after 3.00 seconds`, "
                        "without AWS's `RequestId: <id> Error: ` prefix (errorType "
                        "`Sandbox.Timedout` is right)",
        "INV-LOG-007": "the Tail log is only what the function printed: it does not begin with "
                       "`START RequestId: <id> Version: $LATEST` (see INV-LOG-006)",
        "INV-ASYNC-006": "an Event's execution runs under a fresh request id, not the 202's "
                         "x-amzn-RequestId: `_execute_function` makes a new id for every "
                         "execution (read in its source, `services/lambda_svc.py`; the "
                         "record's beacon shows the two ids)",
        "INV-WIRE-008": "two messages differ from AWS's: the throttle says `Rate Exceeded: "
                        "function NAME at ReservedConcurrentExecutions` (AWS: `Rate "
                        "Exceeded.`), and the incomplete ARN `arn:aws:lambda:R:A:function` is "
                        "reported as a function named after the whole ARN (AWS reads the name "
                        "`function`, GT-012)",
        # InvokeWithResponseStream
        "STR-TYPE-003": "InvocationType `Event` is accepted on the streaming operation: 202 and "
                        "the function runs, instead of 400",
        "STR-FERR-001": "a function error's InvokeComplete is `{\"errorCode\": 500, "
                        "\"errorDetails\": \"Unhandled\"}`: lower-case keys (and a number) "
                        "that boto3 does not read, so its ErrorCode comes back empty",
        "STR-LOG-001": "X-Amz-Log-Type: Tail is ignored on the stream: InvokeComplete is `{}`, "
                       "with no LogResult",
        "STR-HDR-001": "the stream's 200 carries no X-Amz-Executed-Version header",
        "STR-NAME-001": "the partial ARN form `000000000000:function:NAME` is not resolved: 404 "
                        "naming a function `000000000000` (as for Invoke, INV-NAME-001)",
        "STR-ERR-001": "no FunctionName validation: `arn:aws:lambda:invalid-region:...` answers "
                       "404 ResourceNotFoundException instead of 400",
    },
}


# A cause shared by every failure of a requirement whose received text contains the marker
# (the target cannot run functions here); explicit CAUSES entries take precedence. Each
# marker was confirmed by replaying failures by hand.
PATTERN_CAUSES: dict[str, tuple[tuple[str, str], ...]] = {
    # Which test meets a killed function first depends on how -n 3 spreads the tests, so
    # the requirements that fail this way change from run to run.
    "serverless-offline": (
        ("[504] - Lambda timeout", "the function answers serverless-offline's own `[504] - "
         "Lambda timeout`: an earlier call of it timed out (echoing `null` never returns, "
         "since serverless-offline drops falsy results) and serverless-offline then killed "
         "its Python process for good, so every later call waits out the timeout"),
    ),
    "moto-docker": (
        ("error running docker", "no Docker daemon: the invoke answers "
         "`X-Amz-Function-Error: Handled` with the text `error running docker: ...` instead "
         "of running the function"),
    ),
}
