#!/usr/bin/env bash
# Run a command (by default the conformance suite) against moto server on a free loopback port.
#
#   targets/moto/run.sh [--docker] [-- COMMAND...]
#
# {url} in COMMAND becomes the moto endpoint (also exported as TARGET_URL). Without --docker,
# moto's Lambda is switched to its simple backend (runs no code) before anything is created;
# with --docker it keeps the default backend, whose invokes fail here for want of Docker.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../_lib.sh
. "$HERE/../_lib.sh"

MODE=simple
if [ "${1:-}" = "--docker" ]; then MODE=docker; shift; fi
if [ "${1:-}" = "--" ]; then shift; fi
if [ "$#" -eq 0 ]; then
  set -- "$LC_REPO/.venv/bin/pytest" suites --target-url '{url}' --profile documented \
    --region us-east-1 --account-id 000000000000 --provision \
    --report-dir "reports/runs/moto-$MODE" --request-timeout 10
fi

VENV="$HERE/.venv"
if [ ! -x "$VENV/bin/moto_server" ]; then
  echo "installing moto[server,awslambda]==5.2.5 into $VENV" >&2
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install -q 'moto[server,awslambda]==5.2.5'
fi

PORT="$(lc_free_port)"
URL="http://127.0.0.1:$PORT"
LOG="$HERE/moto-server.log"
MOTO_ACCOUNT_ID=000000000000 lc_start "$LOG" "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT"
lc_wait_ready "$URL/moto-api/" 30 "$LOG"

if [ "$MODE" = simple ]; then
  # Swaps the Lambda backend: functions created before this call would become invisible.
  curl -sS -m 5 -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"lambda": {"use_docker": false}}' "$URL/moto-api/config"
fi
echo "moto ($MODE backend) at $URL" >&2

status=0
lc_run_suite "$URL" "$@" || status=$?
exit "$status"
