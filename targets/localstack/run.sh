#!/usr/bin/env bash
# Run a command (by default the conformance suite) against LocalStack 2026.3.0 in host mode.
#
#   targets/localstack/run.sh [-- COMMAND...]
#
# {url} in COMMAND becomes the LocalStack gateway (also exported as TARGET_URL). Host mode
# needs no Docker for the control plane, but LocalStack runs function code only in Docker,
# so functions end Failed here (see README.md).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../_lib.sh
. "$HERE/../_lib.sh"

if [ "${1:-}" = "--" ]; then shift; fi
if [ "$#" -eq 0 ]; then
  set -- "$LC_REPO/.venv/bin/pytest" suites --target-url '{url}' --profile documented \
    --region us-east-1 --account-id 000000000000 --provision \
    --report-dir reports/runs/localstack --request-timeout 15
fi

# LocalStack 2026.3.0 needs Python >= 3.13 although its metadata says 3.10.
PY313="$(lc_python313)"
[ -n "$PY313" ] || { echo "LocalStack 2026.3.0 needs Python >= 3.13: none found (set PYTHON313)" >&2; exit 3; }
VENV="$HERE/.venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import localstack' 2>/dev/null; then
  echo "installing localstack-core[runtime]==2026.3.0 into $VENV" >&2
  "$PY313" -m venv "$VENV"
  # Unpinned dependencies break it: the constraints are the pins of its own runtime extras.
  "$VENV/bin/pip" install -q 'localstack-core[runtime]==2026.3.0' \
    -c "$HERE/localstack-2026.3.0-constraints.txt"
fi

PORT="$(lc_free_port)"
URL="http://127.0.0.1:$PORT"
LOG="$HERE/localstack.log"
STATE="$(mktemp -d)"
GATEWAY_LISTEN="127.0.0.1:$PORT" SERVICES=lambda,iam,sts,logs DNS_ADDRESS=0 DISABLE_EVENTS=1 \
  SKIP_SSL_CERT_DOWNLOAD=1 PERSISTENCE=0 LOCALSTACK_VOLUME_DIR="$STATE" \
  lc_start "$LOG" "$VENV/bin/python" -m localstack.runtime.main
lc_wait_ready "$URL/_localstack/health" 60 "$LOG"
echo "LocalStack (host mode) at $URL (log: $LOG)" >&2

status=0
lc_run_suite "$URL" "$@" || status=$?
rm -rf "$STATE"
exit "$status"
