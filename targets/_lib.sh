# shellcheck shell=bash
# Shared by targets/*/run.sh: free loopback ports, start/stop a target in its own process
# group, bounded readiness wait, and running the suite command with {url} substituted.

LC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LC_TARGET_PID=""
LC_COMMAND_PID=""

# lc_free_port [SPAN...]: a loopback port P such that P+SPAN is free too for every SPAN
# (serverless-offline listens on P, P+1000, P+2000, P+3000).
# lc_python313: print a Python >= 3.13 that really runs, or nothing. A pyenv shim on PATH
# exists even when no 3.13 is selected ("pyenv: python3.13: command not found"), so each
# candidate is run, not just found.
lc_python313() {
  local candidate
  for candidate in "${PYTHON313:-}" "$(command -v python3.13 || true)" \
      "$HOME"/.pyenv/versions/3.1[3-9]*/bin/python3; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c \
        'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 0
}

lc_free_port() {
  python3 - "$@" <<'PY'
import random, socket, sys
spans = [0] + [int(s) for s in sys.argv[1:]]
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False
for _ in range(200):
    port = random.randint(20000, 29999)
    if all(free(port + span) for span in spans):
        print(port)
        sys.exit(0)
sys.exit("no free loopback port found")
PY
}

# lc_start LOG COMMAND...: start COMMAND in a new session (its own process group) so that
# lc_stop can end it together with every child it spawned (npx -> node -> python, ...).
lc_start() {
  local log="$1"; shift
  setsid "$@" >"$log" 2>&1 < /dev/null &
  LC_TARGET_PID=$!
  trap lc_stop EXIT
  trap 'lc_on_signal 130' INT
  trap 'lc_on_signal 143' TERM
}

# lc_on_signal STATUS: end the running command, then exit (the EXIT trap stops the target).
lc_on_signal() {
  if [ -n "$LC_COMMAND_PID" ]; then
    kill -TERM "$LC_COMMAND_PID" 2>/dev/null || true
    wait "$LC_COMMAND_PID" 2>/dev/null || true
    LC_COMMAND_PID=""
  fi
  exit "$1"
}

# lc_stop: TERM the target's process group, KILL it after 5 s; safe to call twice.
lc_stop() {
  local pid="$LC_TARGET_PID"
  [ -n "$pid" ] || return 0
  LC_TARGET_PID=""
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# lc_wait_ready URL SECONDS LOG: until URL answers any HTTP status; fail early if the target died.
lc_wait_ready() {
  local url="$1" seconds="$2" log="$3" deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$LC_TARGET_PID" 2>/dev/null; then
      echo "target exited before it was ready; its log ($log):" >&2
      tail -n 40 "$log" >&2
      return 1
    fi
    if curl -s -m 2 -o /dev/null "$url"; then
      return 0
    fi
    sleep 0.3
  done
  echo "target not ready at $url after ${seconds} s; its log ($log):" >&2
  tail -n 40 "$log" >&2
  return 1
}

# lc_run_suite URL COMMAND...: run COMMAND from the repo root with every {url} replaced.
lc_run_suite() {
  local url="$1"; shift
  local args=() arg
  for arg in "$@"; do
    args+=("${arg//\{url\}/$url}")
  done
  echo "+ ${args[*]}" >&2
  # In the background with `wait`: bash runs traps only between commands, and `wait` is
  # interrupted by a trapped signal, while a foreground command would delay it to its end.
  (cd "$LC_REPO" && TARGET_URL="$url" exec "${args[@]}") &
  LC_COMMAND_PID=$!
  local status=0
  wait "$LC_COMMAND_PID" || status=$?
  LC_COMMAND_PID=""
  return "$status"
}
