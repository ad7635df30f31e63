#!/usr/bin/env bash
# CI: the conformance suite end to end against the real implementations that run without
# Docker: moto server 5.2.5 (simple backend, --provision), serverless-offline 13.10.1 with
# serverless 3.40.0 (manifest), LocalStack 2026.3.0 in host mode (manifest from
# targets/localstack/provision.py) and MiniStack 1.5.33 (local executor, --provision), all
# under the aws profile, side by side. The recipes in
# targets/ install the pinned versions, start each target on a free loopback port and stop it.
#
# Each target runs a selection of the suite's tests (-k), the ones that show the deviations
# tests/test_real_targets.py asserts, so that both fit in CI's few minutes on 2 cores: moto
# fails nearly every requirement and hypothesis shrinks every failure (a whole run is 3 to
# 10 minutes); MiniStack's whole run is about 80 s alone, 50 of them hypothesis shrinking
# the wrong errorType of its function errors (docs/targets.md has it), and shares 2 cores;
# serverless-offline kills a function's Python process after its first timeout
# and every later invoke of it waits out the 10 s timeout (a whole run is 15 minutes or
# more). The whole runs are in docs/targets.md. LC_MOTO_TESTS='' / LC_SLS_TESTS='' /
# LC_MINISTACK_TESTS='' run the whole suite.
#
# Fails when a run did not complete, wrote no record, or its record does not validate; then
# tests/test_real_targets.py checks what the records must say (the requirements these
# implementations are known to break are reported failed). Nonconformance of the targets
# themselves (the suite exiting 1) is expected and does not fail CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
PY=.venv/bin/python
[ -x "$PY" ] || { python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'; }

# LC_REAL_TARGETS_OUT=DIR keeps the records and logs there (e.g. to refresh
# docs/targets/results with `python -m tools.targets_page add`); by default a temp folder.
if [ -n "${LC_REAL_TARGETS_OUT:-}" ]; then
  WORK="$LC_REAL_TARGETS_OUT"; KEEP=1; mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/lc-real-targets.XXXXXX")"; KEEP=0
fi
PIDS=()
cleanup() {
  # Each recipe stops its own target on TERM; end the recipes still running (by pid).
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "$KEEP" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

SUITE=("$PY" -m pytest suites -q -p no:cacheprovider --hypothesis-profile quick
       --profile aws --region us-east-1 --account-id 000000000000 --target-url '{url}')
RUN_SECONDS="${LC_REAL_TARGET_TIMEOUT:-420}"
SLS_TESTS="${LC_SLS_TESTS-dry_run_answers_204 or absent_function_answers_404 or event_is_accepted_with_202 or failing_event_is_attempted_three_times or every_name_form_reaches_the_function}"
SLS_SELECT=()
if [ -n "$SLS_TESTS" ]; then SLS_SELECT=(-k "$SLS_TESTS"); fi
MOTO_TESTS="${LC_MOTO_TESTS-absent_function_answers_404 or unknown_qualifier_answers_404 or unknown_invocation_type_is_rejected or body_that_is_not_json_is_rejected or body_that_is_not_utf8_is_rejected or name_breaking_the_pattern_is_rejected or request_response_answers_200_with_the_result or event_is_accepted_with_202 or dry_run_answers_204 or the_result_comes_back_as_payload_chunks}"
MOTO_SELECT=()
if [ -n "$MOTO_TESTS" ]; then MOTO_SELECT=(-k "$MOTO_TESTS"); fi

MINISTACK_TESTS="${LC_MINISTACK_TESTS-body_that_is_not_json_is_rejected or client_context_reaches_the_function or every_name_form_reaches_the_function or unknown_invocation_type_is_rejected or reserved_concurrency_zero_throttles or request_response_answers_200_with_the_result or event_is_accepted_with_202 or dry_run_answers_204 or absent_function_answers_404 or unknown_qualifier_answers_404 or the_result_comes_back_as_payload_chunks or a_function_error_is_reported_in_invoke_complete or other_invocation_types_are_rejected}"
MINISTACK_SELECT=()
if [ -n "$MINISTACK_TESTS" ]; then MINISTACK_SELECT=(-k "$MINISTACK_TESTS"); fi

echo "== moto server 5.2.5, simple backend (--provision)"
timeout -s TERM "$RUN_SECONDS" targets/moto/run.sh -- "${SUITE[@]}" --provision \
  --report-dir "$WORK/moto-simple" --request-timeout 10 "${MOTO_SELECT[@]}" \
  >"$WORK/moto-simple.log" 2>&1 &
PIDS+=($!)
NAMES=(moto-simple)

if command -v node >/dev/null && command -v npm >/dev/null; then
  echo "== serverless-offline 13.10.1 + serverless 3.40.0 (manifest)"
  timeout -s TERM "$RUN_SECONDS" targets/serverless-offline/run.sh -- "${SUITE[@]}" \
    --fixtures-manifest fixtures/manifests/serverless-offline.yaml \
    --report-dir "$WORK/serverless-offline" --request-timeout 15 "${SLS_SELECT[@]}" \
    >"$WORK/serverless-offline.log" 2>&1 &
  PIDS+=($!)
  NAMES+=(serverless-offline)
else
  echo "node/npm not found: serverless-offline is skipped" | tee "$WORK/serverless-offline.skipped"
fi

# LocalStack 2026.3.0 needs Python >= 3.13 (targets/localstack/run.sh installs it into its
# own venv). Without Docker its functions end `Failed`: the run judges request validation
# and what is answered before the function-state check; the rest is untested (not ready).
# shellcheck source=../targets/_lib.sh
PY313="$(. targets/_lib.sh && lc_python313)"
if [ -n "$PY313" ]; then
  echo "== LocalStack 2026.3.0, host mode (targets/localstack/provision.py manifest)"
  LS_SUITE="${SUITE[*]} --fixtures-manifest $WORK/localstack-manifest.yaml \
    --report-dir $WORK/localstack --request-timeout 15"
  PYTHON313="$PY313" timeout -s TERM "$RUN_SECONDS" targets/localstack/run.sh -- bash -c \
    "$PY targets/localstack/provision.py {url} $WORK/localstack-manifest.yaml && $LS_SUITE" \
    >"$WORK/localstack.log" 2>&1 &
  PIDS+=($!)
  NAMES+=(localstack)
else
  echo "Python 3.13 not found: LocalStack is skipped" | tee "$WORK/localstack.skipped"
fi

# MiniStack 1.5.33 runs Python functions as local subprocesses (no Docker); its recipe binds
# it to 127.0.0.1 and installs it into targets/ministack/.venv (about 20 s the first time).
echo "== MiniStack 1.5.33, local executor (--provision)"
timeout -s TERM "$RUN_SECONDS" targets/ministack/run.sh -- "${SUITE[@]}" --provision \
  --report-dir "$WORK/ministack" --request-timeout 10 "${MINISTACK_SELECT[@]}" \
  >"$WORK/ministack.log" 2>&1 &
PIDS+=($!)
NAMES+=(ministack)

failed=0
for i in "${!PIDS[@]}"; do
  name="${NAMES[$i]}" status=0
  wait "${PIDS[$i]}" || status=$?
  echo "-- $name: suite exit status $status (1 = the target failed requirements)"
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    echo "$name: the run did not finish normally; its output:" >&2
    tail -n 40 "$WORK/$name.log" >&2
    failed=1
  fi
  # The record must exist, validate against the schema and say the run completed.
  if ! "$PY" - "$WORK/$name/results.json" <<'PY'
import sys
from lambda_conformance.results.store import RecordError, load_record
try:
    record = load_record(sys.argv[1])
except (RecordError, OSError) as error:
    sys.exit(f"no valid record: {error}")
if not record["complete"]:
    sys.exit(f"the run did not complete: {record['stop_reason']}")
print(f"record valid, complete; score {record['score']:.4f}, totals {record['totals']}")
PY
  then
    echo "$name: bad record ($WORK/$name/results.json); the run's output:" >&2
    tail -n 40 "$WORK/$name.log" >&2
    failed=1
  fi
done
PIDS=()

echo "== what the records must say (tests/test_real_targets.py)"
LC_REAL_TARGETS_DIR="$WORK" "$PY" -m pytest tests/test_real_targets.py -q -p no:cacheprovider \
  -rs || failed=1
exit "$failed"
