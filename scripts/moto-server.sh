#!/usr/bin/env bash
# Manage a throwaway moto server (S3 and other AWS APIs, emulated) on 127.0.0.1 for tests.
#
#   scripts/moto-server.sh start  DIR   # prints `export MOTO_ENDPOINT=...` on stdout
#   scripts/moto-server.sh stop   DIR   # idempotent
#   scripts/moto-server.sh status DIR   # exit 0 running, 3 stopped
#
#   eval "$(scripts/moto-server.sh start /tmp/moto)"
#   pgaudit-firehose replay-failed --endpoint-url "$MOTO_ENDPOINT" --bucket b
#
# Layout of DIR: moto.pid (the server's process id), moto.log (its output).
# Nothing but 127.0.0.1 is ever bound, and the server keeps its state in memory only.
#
# Environment:
#   MOTO_PORT       port to listen on (default: a free port the kernel picks)
#   MOTO_SERVER     the moto_server executable (default: moto_server on PATH; `pip install
#                   'moto[server]'` provides it)
#
# All diagnostics go to stderr; stdout carries only the export line of `start`.
set -euo pipefail

readonly MOTO_BIN="${MOTO_SERVER:-moto_server}"
readonly HOST=127.0.0.1

log() { printf 'moto-server: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    printf 'usage: %s {start|stop|status} DIR\n' "$0" >&2
    exit 2
}

port_in_use() {
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# A port the kernel considers free right now (bind to port 0, read it back).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_running() {
    local pid
    [[ -f "$1/moto.pid" ]] || return 1
    pid=$(<"$1/moto.pid")
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

cmd_start() {
    local dir=$1 port pid i
    if is_running "$dir"; then
        port=$(<"$dir/moto.port")
        log "already running in $dir on port $port"
        printf 'export MOTO_ENDPOINT=%q\n' "http://$HOST:$port"
        return 0
    fi
    command -v "$MOTO_BIN" >/dev/null ||
        die "'$MOTO_BIN' not found; install it with: pip install 'moto[server]' (or set MOTO_SERVER)"
    mkdir -p "$dir"
    if [[ -n "${MOTO_PORT:-}" ]]; then
        [[ "$MOTO_PORT" =~ ^[0-9]+$ ]] || die "MOTO_PORT must be a number, got '$MOTO_PORT'"
        port_in_use "$MOTO_PORT" && die "port $MOTO_PORT (MOTO_PORT) is already in use"
        port=$MOTO_PORT
    else
        port=$(free_port)
    fi

    log "starting $MOTO_BIN on $HOST:$port (log: $dir/moto.log)"
    # Dummy credentials and region: moto accepts anything, and nothing may look for real ones.
    AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
        nohup "$MOTO_BIN" -H "$HOST" -p "$port" >"$dir/moto.log" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$dir/moto.pid"
    printf '%s\n' "$port" >"$dir/moto.port"

    # Ready when it answers HTTP; give up after 30 s or when the process is gone.
    for ((i = 0; i < 300; i++)); do
        if curl -fsS -o /dev/null "http://$HOST:$port/moto-api/" 2>/dev/null; then
            log "ready on http://$HOST:$port (pid $pid)"
            printf 'export MOTO_ENDPOINT=%q\n' "http://$HOST:$port"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    tail -n 40 "$dir/moto.log" >&2 || true
    kill "$pid" 2>/dev/null || true
    rm -f "$dir/moto.pid"
    die "moto server did not start on $HOST:$port"
}

cmd_stop() {
    local dir=$1 pid i
    if ! is_running "$dir"; then
        log "not running ($dir)"
        rm -f "$dir/moto.pid"
        return 0
    fi
    pid=$(<"$dir/moto.pid")
    kill "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    rm -f "$dir/moto.pid"
    log "stopped (pid $pid)"
}

cmd_status() {
    if is_running "$1"; then
        log "running on port $(<"$1/moto.port") (pid $(<"$1/moto.pid"))"
        return 0
    fi
    log "not running ($1)"
    return 3
}

main() {
    [[ $# -eq 2 ]] || usage
    local action=$1 dir=$2
    [[ -n "$dir" ]] || usage
    [[ "$dir" == /* ]] || dir="$PWD/$dir"
    dir=${dir%/}
    case "$action" in
        start) cmd_start "$dir" ;;
        stop) cmd_stop "$dir" ;;
        status) cmd_status "$dir" ;;
        *) usage ;;
    esac
}

main "$@"
