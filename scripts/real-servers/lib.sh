# Shared by the scripts in scripts/real-servers/: where the venvs live (outside the repository), a free
# loopback port, installs that happen once, and a readiness wait that gives up with the server's log.
# Sourced, not run.

REAL_SERVERS_HOME="${EVALGATE_REAL_SERVERS_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/evalgate/real-servers}"
PYTHON="${PYTHON:-python3}"

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# free_port: an unused TCP port on 127.0.0.1.
free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ensure_venv NAME PIP-ARGS...: a venv at $REAL_SERVERS_HOME/NAME/venv with PIP-ARGS installed. The
# install runs once per distinct PIP-ARGS (a stamp file remembers them) and its time is noted in
# $REAL_SERVERS_HOME/NAME/install-seconds.
ensure_venv() {
  local name="$1"; shift
  local dir="$REAL_SERVERS_HOME/$name" stamp="$REAL_SERVERS_HOME/$name/venv/.evalgate-installed"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$*" ]]; then return 0; fi
  mkdir -p "$dir"
  say "installing $name into $dir/venv (once): pip install $*"
  local start=$SECONDS
  [[ -x "$dir/venv/bin/python" ]] || "$PYTHON" -m venv "$dir/venv" || die "cannot create a venv in $dir/venv"
  "$dir/venv/bin/pip" install --quiet --disable-pip-version-check "$@" >"$dir/install.log" 2>&1 ||
    { tail -n 30 "$dir/install.log" >&2; die "pip install for $name failed (log: $dir/install.log)"; }
  printf '%s\n' "$*" >"$stamp"
  echo $((SECONDS - start)) >"$dir/install-seconds"
  say "installed $name in $((SECONDS - start)) s"
}

# start_server NAME LOG COMMAND...: starts COMMAND in the background, in its own session so that a
# stop ends its children too; sets SERVER_PID.
start_server() {
  local name="$1" log="$2"; shift 2
  : >"$log"
  setsid "$@" >>"$log" 2>&1 </dev/null &
  SERVER_PID=$!
  say "started $name (pid $SERVER_PID, log $log)"
}

# wait_ready URL SECONDS: waits until URL answers 200, or fails with the server log's tail when the
# server exits or SECONDS pass. Needs SERVER_PID and SERVER_LOG.
wait_ready() {
  local url="$1" limit="$2" start=$SECONDS
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 30 "$SERVER_LOG" >&2
      die "the server exited before it was ready (log: $SERVER_LOG)"
    fi
    if ((SECONDS - start >= limit)); then
      tail -n 30 "$SERVER_LOG" >&2
      kill -TERM -- "-$SERVER_PID" 2>/dev/null
      die "not ready after $limit s: $url (log: $SERVER_LOG)"
    fi
    sleep 0.25
  done
  READY_SECONDS=$((SECONDS - start))
}

# announce KEY=VALUE...: what a caller evaluates (`eval "$(scripts/real-servers/NAME)"`), on stdout.
announce() {
  local pair
  for pair in "$@"; do printf '%s\n' "${pair%%=*}=$(printf '%q' "${pair#*=}")"; done
}
