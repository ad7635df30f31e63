#!/usr/bin/env bash
# Run a command (by default the conformance suite) against serverless-offline hosting the fixtures.
#
#   targets/serverless-offline/run.sh [-- COMMAND...]
#
# {url} in COMMAND becomes the Lambda endpoint (--lambdaPort), also exported as TARGET_URL.
# Functions are named as in fixtures/manifests/serverless-offline.yaml.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../_lib.sh
. "$HERE/../_lib.sh"

if [ "${1:-}" = "--" ]; then shift; fi
if [ "$#" -eq 0 ]; then
  set -- "$LC_REPO/.venv/bin/pytest" suites --target-url '{url}' --profile documented \
    --region us-east-1 --account-id 000000000000 \
    --fixtures-manifest fixtures/manifests/serverless-offline.yaml \
    --report-dir reports/runs/serverless-offline --request-timeout 15
fi

if [ ! -x "$HERE/node_modules/.bin/sls" ]; then
  echo "installing serverless@3.40.0 and serverless-offline@13.10.1 into $HERE/node_modules" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

# serverless-offline also opens HTTP, websocket and ALB servers; keep them on loopback too.
PORT="$(lc_free_port 1000 2000 3000)"
URL="http://127.0.0.1:$PORT"
LOG="$HERE/serverless-offline.log"
cd "$HERE"
# A function that fails or times out on an Event invoke makes serverless-offline 13.10.1 reject
# a promise nobody awaits (InvocationsController runs the handler without awaiting it); the
# Framework's `essentials` module turns that into an uncaught exception and the Framework exits,
# so every later request of the run is refused. keep-alive.cjs installs an unhandledRejection
# listener (essentials then stands aside), so the remaining requirements are judged. The crash
# is documented in README.md and docs/targets.md; LC_SLS_KEEP_ALIVE=0 reproduces it.
KEEP_ALIVE=""
if [ "${LC_SLS_KEEP_ALIVE:-1}" != 0 ]; then KEEP_ALIVE="--require $HERE/keep-alive.cjs"; fi
SLS_TELEMETRY_DISABLED=1 SLS_TRACKING_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
  SLS_DEPRECATION_DISABLE='*' CI=true NODE_OPTIONS="${NODE_OPTIONS:-} $KEEP_ALIVE" \
  lc_start "$LOG" "$HERE/node_modules/.bin/sls" offline start --host 127.0.0.1 \
  --lambdaPort "$PORT" --httpPort $((PORT + 1000)) --websocketPort $((PORT + 2000)) \
  --albPort $((PORT + 3000)) --noPrependStageInUrl
lc_wait_ready "$URL/" 60 "$LOG"
echo "serverless-offline at $URL (log: $LOG)" >&2

status=0
lc_run_suite "$URL" "$@" || status=$?
exit "$status"
