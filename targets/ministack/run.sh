#!/usr/bin/env bash
# Run a command (by default the conformance suite) against MiniStack 1.5.33 on loopback.
#
#   targets/ministack/run.sh [-- COMMAND...]
#
# {url} in COMMAND becomes the MiniStack gateway (also exported as TARGET_URL). MiniStack
# binds every interface unless BIND_HOST says otherwise: it is set to 127.0.0.1. Python
# functions run as local subprocesses (LAMBDA_EXECUTOR=local, its default): no Docker.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../_lib.sh
. "$HERE/../_lib.sh"

VERSION=1.5.33
if [ "${1:-}" = "--" ]; then shift; fi
if [ "$#" -eq 0 ]; then
  set -- "$LC_REPO/.venv/bin/pytest" suites --target-url '{url}' --profile aws \
    --region us-east-1 --account-id 000000000000 --provision \
    --report-dir reports/runs/ministack --request-timeout 10 --hypothesis-profile quick
fi

VENV="$HERE/.venv"
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys
sys.exit(m.version('ministack') != '$VERSION')" 2>/dev/null; then
  echo "installing ministack==$VERSION into $VENV" >&2
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install -q "ministack==$VERSION" -c "$HERE/ministack-$VERSION-constraints.txt"
fi

PORT="$(lc_free_port)"
URL="http://127.0.0.1:$PORT"
LOG="$HERE/ministack.log"
# A throwaway working directory, state and temp folder (its pid file goes to $TMPDIR).
STATE="$(mktemp -d "${TMPDIR:-/tmp}/ministack.XXXXXX")"
cd "$STATE"
BIND_HOST=127.0.0.1 GATEWAY_PORT="$PORT" LAMBDA_EXECUTOR=local PERSIST_STATE=0 \
  STATE_DIR="$STATE/state" S3_DATA_DIR="$STATE/s3" TMPDIR="$STATE" \
  lc_start "$LOG" "$VENV/bin/ministack"
cd "$LC_REPO"
lc_wait_ready "$URL/_ministack/health" 30 "$LOG"
echo "MiniStack $VERSION at $URL (log: $LOG)" >&2

status=0
lc_run_suite "$URL" "$@" || status=$?
lc_stop
rm -rf "$STATE"
exit "$status"
