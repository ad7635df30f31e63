#!/usr/bin/env bash
# CI: the conformance suite end to end against the real implementations that run without
# Docker: moto server 5.2.5 (simple backend, --provision) and serverless-offline 13.10.1 with
# serverless 3.40.0 (manifest), both under the aws profile, side by side. The recipes in
# targets/ install the pinned versions, start each target on a free loopback port and stop it.
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

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lc-real-targets.XXXXXX")"
PIDS=()
cleanup() {
  # Each recipe stops its own target on TERM; end the recipes still running (by pid).
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

SUITE=("$PY" -m pytest suites -q -p no:cacheprovider --hypothesis-profile quick
       --profile aws --region us-east-1 --account-id 000000000000 --target-url '{url}')
RUN_SECONDS="${LC_REAL_TARGET_TIMEOUT:-420}"

echo "== moto server 5.2.5, simple backend (--provision)"
timeout -s TERM "$RUN_SECONDS" targets/moto/run.sh -- "${SUITE[@]}" --provision \
  --report-dir "$WORK/moto-simple" --request-timeout 10 >"$WORK/moto-simple.log" 2>&1 &
PIDS+=($!)
NAMES=(moto-simple)

if command -v node >/dev/null && command -v npm >/dev/null; then
  echo "== serverless-offline 13.10.1 + serverless 3.40.0 (manifest)"
  timeout -s TERM "$RUN_SECONDS" targets/serverless-offline/run.sh -- "${SUITE[@]}" \
    --fixtures-manifest fixtures/manifests/serverless-offline.yaml \
    --report-dir "$WORK/serverless-offline" --request-timeout 15 \
    >"$WORK/serverless-offline.log" 2>&1 &
  PIDS+=($!)
  NAMES+=(serverless-offline)
else
  echo "node/npm not found: serverless-offline is skipped" | tee "$WORK/serverless-offline.skipped"
fi

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
