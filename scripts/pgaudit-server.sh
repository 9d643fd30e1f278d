#!/usr/bin/env bash
# Manage a throwaway PostgreSQL 15 + pgAudit cluster for tests and fixture capture.
#
#   scripts/pgaudit-server.sh start  DIR   # prints `export PG...` lines on stdout
#   scripts/pgaudit-server.sh stop   DIR   # idempotent
#   scripts/pgaudit-server.sh status DIR   # exit 0 running, 3 stopped, 4 no cluster
#
#   eval "$(scripts/pgaudit-server.sh start /tmp/pga)"
#
# Layout of DIR: data/ (PGDATA), log/ (postgresql.log + postgresql.csv),
# socket/ (unix socket directory), startup.log (pg_ctl output before the
# logging collector takes over).
#
# Environment:
#   PGAUDIT_PORT               port to listen on (default: first free port from 54329)
#   PGAUDIT_LOG_LINE_PREFIX    log_line_prefix (default: the RDS default '%t:%r:%u@%d:[%p]:')
#   PGAUDIT_PG_BINDIR          PostgreSQL binaries (default: /usr/lib/postgresql/15/bin)
#   PGAUDIT_PRELOAD            1 (default): pgaudit in shared_preload_libraries and CREATE EXTENSION
#                              pgaudit; 0: a plain server without pgaudit loaded (for negative tests)
#   PGAUDIT_SESSION_EVENTS     1: log_connections/log_disconnections on, SSL with a self-signed
#                              certificate, and pg_hba.conf rules that make every kind of login
#                              failure possible over TCP (scram-sha-256 for the databases postgres
#                              and appdb, reject for the role 'blocked', no entry for other
#                              databases); the unix socket stays trust. Default 0.
#
# All diagnostics go to stderr; stdout carries only the export lines of `start`.
set -euo pipefail

readonly PG_MAJOR=15
readonly PG_BINDIR="${PGAUDIT_PG_BINDIR:-/usr/lib/postgresql/${PG_MAJOR}/bin}"
readonly DEFAULT_PORT=54329
readonly DEFAULT_PREFIX='%t:%r:%u@%d:[%p]:'
readonly PG_OS_USER=postgres
readonly PRELOAD="${PGAUDIT_PRELOAD:-1}"
readonly SESSION_EVENTS="${PGAUDIT_SESSION_EVENTS:-0}"

log() { printf 'pgaudit-server: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    printf 'usage: %s {start|stop|status} DIR\n' "$0" >&2
    exit 2
}

# Run a command as the cluster owner: via runuser when we are root, directly otherwise.
# `cd /` so the postgres user never inherits a working directory it cannot read.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}

# Install PostgreSQL 15 and/or pgaudit from the Debian archive when they are missing.
ensure_installed() {
    local pkgs=()
    # A custom PGAUDIT_PG_BINDIR is someone else's installation: only check it.
    if [[ -n "${PGAUDIT_PG_BINDIR:-}" ]]; then
        [[ -x "$PG_BINDIR/postgres" ]] || die "no postgres binary in PGAUDIT_PG_BINDIR=$PG_BINDIR"
        return 0
    fi
    [[ -x "$PG_BINDIR/postgres" ]] || pkgs+=("postgresql-${PG_MAJOR}")
    # pgaudit.so lives in the server's pkglibdir; check the file rather than dpkg state.
    [[ -f "/usr/lib/postgresql/${PG_MAJOR}/lib/pgaudit.so" ]] || pkgs+=("postgresql-${PG_MAJOR}-pgaudit")
    [[ ${#pkgs[@]} -eq 0 ]] && return 0

    [[ $EUID -eq 0 ]] || die "missing ${pkgs[*]}; run as root once to install, or: apt-get install -y ${pkgs[*]}"
    command -v apt-get >/dev/null || die "missing ${pkgs[*]} and apt-get is not available"
    log "installing ${pkgs[*]} (apt-get)"
    # Quiet, non-interactive install; all apt output goes to stderr so stdout stays eval-able.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >&2
    [[ -x "$PG_BINDIR/postgres" ]] || die "PostgreSQL ${PG_MAJOR} still not found in $PG_BINDIR"
    id "$PG_OS_USER" >/dev/null 2>&1 || die "OS user '$PG_OS_USER' does not exist after install"
}

# True when something already accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local port
    if [[ -n "${PGAUDIT_PORT:-}" ]]; then
        [[ "$PGAUDIT_PORT" =~ ^[0-9]+$ ]] || die "PGAUDIT_PORT must be a number, got '$PGAUDIT_PORT'"
        port_in_use "$PGAUDIT_PORT" && die "port $PGAUDIT_PORT (PGAUDIT_PORT) is already in use"
        printf '%s\n' "$PGAUDIT_PORT"
        return
    fi
    for ((port = DEFAULT_PORT; port < DEFAULT_PORT + 50; port++)); do
        if ! port_in_use "$port"; then
            printf '%s\n' "$port"
            return
        fi
    done
    die "no free port in ${DEFAULT_PORT}..$((DEFAULT_PORT + 49)); set PGAUDIT_PORT"
}

# ::1 is usable when the loopback interface carries it (absent with ipv6.disable=1 or disable_ipv6=1).
ipv6_loopback_available() {
    [[ -r /proc/net/if_inet6 ]] && grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6
}

# Quote a value for postgresql.conf: single quotes, embedded quotes doubled.
conf_quote() {
    printf "'%s'" "${1//\'/\'\'}"
}

# Rewritten on every start, so a restart can change the port or the log_line_prefix.
write_server_conf() {
    local dir=$1 port=$2 listen=$3 prefix=$4 preload=pgaudit
    local conf="$dir/data/pgaudit-server.conf"
    [[ "$PRELOAD" == 0 ]] && preload=''
    as_owner tee "$conf" >/dev/null <<EOF
# Written by scripts/pgaudit-server.sh on every start; do not edit.
shared_preload_libraries = $(conf_quote "$preload")
listen_addresses = $(conf_quote "$listen")
port = $port
unix_socket_directories = $(conf_quote "$dir/socket")
logging_collector = on
log_destination = 'stderr,csvlog'
log_directory = $(conf_quote "$dir/log")
log_filename = 'postgresql.log'
log_rotation_age = 0
log_rotation_size = 0
log_file_mode = 0644
log_line_prefix = $(conf_quote "$prefix")
log_timezone = 'UTC'
timezone = 'UTC'
lc_messages = 'C'
fsync = off
EOF
    [[ "$SESSION_EVENTS" == 1 ]] || return 0
    as_owner tee -a "$conf" >/dev/null <<EOF
log_connections = on
log_disconnections = on
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
}

# A self-signed certificate for ssl = on (session events mode), made once per cluster.
write_certificate() {
    local dir=$1
    [[ -f "$dir/data/server.crt" ]] && return 0
    command -v openssl >/dev/null || die "PGAUDIT_SESSION_EVENTS=1 needs openssl for the server's certificate"
    as_owner openssl req -new -x509 -days 2 -nodes -subj '/CN=localhost' \
        -newkey rsa:2048 -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1 ||
        die "openssl could not make a certificate"
    as_owner chmod 0600 "$dir/data/server.key"
}

write_hba() {
    local dir=$1
    if [[ "$SESSION_EVENTS" == 1 ]]; then
        as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<'EOF'
# Session events mode: trust over the socket; over TCP passwords for two databases, a rejected
# role, and no entry at all for any other database.
# TYPE  DATABASE           USER     ADDRESS        METHOD
local   all                all                     trust
host    all                blocked  127.0.0.1/32   reject
host    all                blocked  ::1/128        reject
host    postgres,appdb     all      127.0.0.1/32   scram-sha-256
host    postgres,appdb     all      ::1/128        scram-sha-256
EOF
        return 0
    fi
    as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<'EOF'
# Throwaway test server: trust everything local.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
host    all       all   ::1/128        trust
EOF
}

init_cluster() {
    local dir=$1
    log "initdb in $dir/data"
    # -U postgres: the superuser is 'postgres' whoever runs initdb; C locale + UTF8 for non-ASCII text.
    as_owner "$PG_BINDIR/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --auth=trust >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    # Pull our settings in from a separate file that every start rewrites.
    printf "\ninclude = 'pgaudit-server.conf'\n" | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
}

# Create DIR (and its subdirectories) owned by the cluster owner.
prepare_dir() {
    local dir=$1
    mkdir -p "$dir"
    if [[ $EUID -eq 0 ]]; then
        chown "$PG_OS_USER:" "$dir"
        chmod 0755 "$dir"
        # The postgres user must be able to reach DIR (e.g. not under /root).
        as_owner test -w "$dir" -a -x "$dir" ||
            die "user '$PG_OS_USER' cannot write to $dir (is a parent directory private?)"
    fi
    as_owner mkdir -p "$dir/log" "$dir/socket"
}

is_running() {
    [[ -f "$1/data/PG_VERSION" ]] && as_owner "$PG_BINDIR/pg_ctl" status -D "$1/data" >/dev/null 2>&1
}

print_exports() {
    local dir=$1 port=$2
    printf 'export PGHOST=%q\n' "$dir/socket"
    printf 'export PGPORT=%q\n' "$port"
    printf 'export PGUSER=postgres\n'
    printf 'export PGAUDIT_LOG_DIR=%q\n' "$dir/log"
}

show_startup_logs() {
    local dir=$1 f
    for f in "$dir/startup.log" "$dir/log/postgresql.log"; do
        if [[ -s "$f" ]]; then
            log "---- $f (last 40 lines) ----"
            tail -n 40 "$f" >&2
        fi
    done
}

cmd_start() {
    local dir=$1 port listen prefix
    ensure_installed
    prepare_dir "$dir"

    if is_running "$dir"; then
        # Already up: report the running port so `eval "$(... start DIR)"` stays idempotent.
        port=$(as_owner sed -n 4p "$dir/data/postmaster.pid")
        log "already running in $dir on port $port"
        print_exports "$dir" "$port"
        return 0
    fi

    # The socket path must fit in sun_path (107 bytes).
    (("${#dir}" + 27 < 108)) || die "DIR path too long for a unix socket: $dir"
    port=$(pick_port)

    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        # initdb needs an empty (or absent) data directory.
        [[ -e "$dir/data" ]] && [[ -n "$(ls -A "$dir/data")" ]] &&
            die "$dir/data exists and is not a PostgreSQL data directory"
        init_cluster "$dir"
    fi

    listen='127.0.0.1,::1'
    if ! ipv6_loopback_available; then
        log "warning: ::1 is not available on this machine; listening on 127.0.0.1 only"
        listen='127.0.0.1'
    fi
    prefix=${PGAUDIT_LOG_LINE_PREFIX:-$DEFAULT_PREFIX}
    write_server_conf "$dir" "$port" "$listen" "$prefix"
    write_hba "$dir"
    [[ "$SESSION_EVENTS" == 1 ]] && write_certificate "$dir"

    # pg_ctl -l appends; start each attempt with an empty startup log.
    as_owner rm -f "$dir/startup.log"
    log "starting PostgreSQL on port $port (listen_addresses=$listen, log_line_prefix=$prefix)"
    # -w waits until the server accepts connections; -l catches output before the logging collector starts.
    if ! as_owner "$PG_BINDIR/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/startup.log" >&2; then
        show_startup_logs "$dir"
        die "PostgreSQL did not start (data directory $dir/data)"
    fi
    if ! as_owner "$PG_BINDIR/pg_isready" -q -h "$dir/socket" -p "$port" -t 30; then
        show_startup_logs "$dir"
        die "PostgreSQL started but does not accept connections on $dir/socket port $port"
    fi

    # IF NOT EXISTS for restarts; PGOPTIONS hides its "already exists" NOTICE.
    [[ "$PRELOAD" == 0 ]] || as_owner env PGOPTIONS='-c client_min_messages=warning' \
        "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
        -c 'CREATE EXTENSION IF NOT EXISTS pgaudit;' >&2 ||
        die "CREATE EXTENSION pgaudit failed"
    log "ready: logs in $dir/log (postgresql.log, postgresql.csv)"
    print_exports "$dir" "$port"
}

cmd_stop() {
    local dir=$1
    if ! is_running "$dir"; then
        log "not running ($dir)"
        return 0
    fi
    as_owner "$PG_BINDIR/pg_ctl" stop -w -m fast -D "$dir/data" >&2
}

cmd_status() {
    local dir=$1 rc=0
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        log "no cluster in $dir"
        return 4
    fi
    as_owner "$PG_BINDIR/pg_ctl" status -D "$dir/data" >&2 || rc=$?
    return "$rc"
}

main() {
    [[ $# -eq 2 ]] || usage
    local action=$1 dir=$2
    [[ -n "$dir" ]] || usage
    [[ "$PRELOAD" == 0 || "$PRELOAD" == 1 ]] || die "PGAUDIT_PRELOAD must be 0 or 1, got '$PRELOAD'"
    [[ "$SESSION_EVENTS" == 0 || "$SESSION_EVENTS" == 1 ]] || die "PGAUDIT_SESSION_EVENTS must be 0 or 1, got '$SESSION_EVENTS'"
    # Work with an absolute path: it ends up in postgresql.conf and in PGHOST.
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
