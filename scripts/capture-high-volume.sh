#!/usr/bin/env bash
# Capture a REAL high-volume pgAudit log (for the 6 MB Lambda response limit) from a throwaway
# PostgreSQL 15 + pgaudit server under pgbench, into test/PgAuditFirehose.Tests/Fixtures/real/:
#   high-volume.log.gz   the stderr log (postgresql.log), gzip -9 -n
#   (the csvlog of the run is only counted against the stderr log, not kept: the tests need no
#   ground truth for these lines, which the integration tests already prove line by line)
#
#   scripts/capture-high-volume.sh            # as root (installs what is missing) or as postgres
#
# Workload: pgaudit.log = 'all', pgaudit.log_parameter = on, pgaudit.log_relation = on (ALTER
# SYSTEM + reload, so every session of the run is audited), then `pgbench -i` and the built-in
# TPC-B-like script with -M extended (real Parse/Bind, so the $n parameters are logged) over TCP
# on 127.0.0.1 (%r is host(port)), log_line_prefix '%t:%r:%u@%d:[%p]:' (the RDS default).
#
# The run is capped by transactions (-t per client), not by time, and pgbench's random values
# are seeded, so the number of audit lines and their text are the same on every run; timestamps,
# pids, client ports and the interleaving of the clients differ (and so do the gzip bytes).
#
# Environment (defaults in brackets):
#   HIGH_VOLUME_SCALE         pgbench -i scale factor [1]
#   HIGH_VOLUME_CLIENTS       pgbench clients [4] (threads: min(clients, 2))
#   HIGH_VOLUME_TRANSACTIONS  transactions per client [4500]
#   HIGH_VOLUME_SEED          pgbench --random-seed [20240601]
#   PGAUDIT_CAPTURE_KEEP=1    keep the temporary cluster directory for inspection
set -euo pipefail

readonly SCALE="${HIGH_VOLUME_SCALE:-1}"
readonly CLIENTS="${HIGH_VOLUME_CLIENTS:-4}"
readonly TRANSACTIONS="${HIGH_VOLUME_TRANSACTIONS:-4500}"
readonly SEED="${HIGH_VOLUME_SEED:-20240601}"
readonly DB=pgbench
readonly PG_MAJOR=15
# The committed fixtures should stay under this size each (warning only).
readonly MAX_GZ_BYTES=$((2 * 1024 * 1024))

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo
readonly server="$repo/scripts/pgaudit-server.sh"
readonly out="$repo/test/PgAuditFirehose.Tests/Fixtures/real"
readonly pg_bindir="${PGAUDIT_PG_BINDIR:-/usr/lib/postgresql/${PG_MAJOR}/bin}"

log() { printf 'capture-high-volume: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for v in SCALE CLIENTS TRANSACTIONS SEED; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "HIGH_VOLUME_$v must be a positive integer, got '${!v}'"
done

# Client tools run as the cluster owner when we are root (as pgaudit-server.sh does).
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

start_seconds=$SECONDS
work=$(mktemp -d /tmp/pgaudit-hv.XXXXXX)
# mktemp creates a 0700 directory; the postgres user must be able to enter it.
chmod 0755 "$work"
readonly work cluster="$work/cluster" transcript="$work/transcript.txt"
: >"$transcript"
chmod 0666 "$transcript"

cleanup() {
    local rc=$?
    "$server" stop "$cluster" 2>/dev/null || true
    rm -f "$out/.high-volume.log.gz.tmp"
    if [[ $rc -ne 0 ]]; then
        log "failed (exit $rc); last lines of the transcript:"
        tail -n 30 "$transcript" >&2 2>/dev/null || true
    fi
    if [[ "${PGAUDIT_CAPTURE_KEEP:-0}" == 1 ]]; then
        log "kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# Starts the server; installs postgresql-15 and postgresql-15-pgaudit when missing.
eval "$("$server" start "$cluster")"

# pgbench ships in Debian's postgresql-15 (the server package), which the server script
# installs; check anyway in case a custom PGAUDIT_PG_BINDIR lacks it.
if [[ ! -x "$pg_bindir/pgbench" ]]; then
    if [[ -n "${PGAUDIT_PG_BINDIR:-}" || $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
        die "no pgbench in $pg_bindir (Debian: apt-get install postgresql-${PG_MAJOR})"
    fi
    log "installing postgresql-${PG_MAJOR} for pgbench (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${PG_MAJOR}" >&2
    [[ -x "$pg_bindir/pgbench" ]] || die "pgbench still missing in $pg_bindir"
fi

psql_sock() {
    as_owner "$pg_bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U postgres "$@" \
        >>"$transcript" 2>&1
}

# Audit everything from here on, for every session (pgaudit is preloaded by the server script).
log "pgaudit.log = 'all', log_parameter = on, log_relation = on (ALTER SYSTEM + reload)"
psql_sock -d postgres <<'SQL'
ALTER SYSTEM SET pgaudit.log = 'all';
ALTER SYSTEM SET pgaudit.log_parameter = on;
ALTER SYSTEM SET pgaudit.log_relation = on;
SELECT pg_reload_conf();
SQL
# The reload is asynchronous: wait for the postmaster to log the last change (polling with
# SHOW would add a varying number of audit lines).
for ((i = 0; ; i++)); do
    grep -q 'parameter "pgaudit.log_relation" changed to "on"' "$PGAUDIT_LOG_DIR/postgresql.log" && break
    ((i < 100)) || die "the server did not pick up the pgaudit settings (see $PGAUDIT_LOG_DIR)"
    sleep 0.1
done
psql_sock -d postgres -c "CREATE DATABASE $DB"

# TCP on 127.0.0.1 so %r logs host(port).
bench=("$pg_bindir/pgbench" -h 127.0.0.1 -p "$PGPORT" -U postgres)
log "pgbench -i -s $SCALE"
as_owner "${bench[@]}" -i -q -s "$SCALE" "$DB" >>"$transcript" 2>&1

threads=$((CLIENTS < 2 ? CLIENTS : 2))
log "pgbench -M extended -c $CLIENTS -j $threads -t $TRANSACTIONS --random-seed=$SEED (TPC-B-like)"
bench_start=$SECONDS
as_owner "${bench[@]}" -M extended -c "$CLIENTS" -j "$threads" -t "$TRANSACTIONS" \
    --random-seed="$SEED" "$DB" >>"$transcript" 2>&1
bench_seconds=$((SECONDS - bench_start))
grep -E '^(number of transactions actually processed|tps = )' "$transcript" | sed 's/^/    /' >&2 || true

"$server" stop "$cluster"

raw_log="$PGAUDIT_LOG_DIR/postgresql.log"
raw_csv="$PGAUDIT_LOG_DIR/postgresql.csv"
mkdir -p "$out"
# -n: no file name or mtime in the header, so the gzip bytes depend only on the content.
# Write to a temporary name first so an interrupted run leaves no truncated fixture.
gzip -9 -n -c "$raw_log" >"$out/.high-volume.log.gz.tmp"
mv -f "$out/.high-volume.log.gz.tmp" "$out/high-volume.log.gz"

# stderr log: one 'LOG:  AUDIT: ' per audit entry (the TPC-B and pgbench -i statements are one
# line each). csvlog: one row per record, the message field starts with AUDIT:.
audit_log=$(grep -c 'LOG:  AUDIT: ' "$raw_log" || true)
audit_csv=$(grep -cE ',LOG,[0-9A-Z]{5},"AUDIT: ' "$raw_csv" || true)
# With log_parameter on, statements with bind parameters end in a quoted or bare list, never
# in '<not logged>'; those without parameters end in '<none>'.
with_params=$(grep 'LOG:  AUDIT: ' "$raw_log" | grep -vcE ',(<none>|<not logged>)$' || true)
not_logged=$(grep -c 'LOG:  AUDIT: .*,<not logged>$' "$raw_log" || true)

size() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1048576 }'; }
summary() {
    local raw=$1 gz=$2 audits=$3
    local r g
    r=$(size "$raw")
    g=$(size "$gz")
    log "$(printf '%-19s %6d audit lines, raw %9d B (%s), gzip %8d B (%s), ratio %.1fx' \
        "${gz##*/}" "$audits" "$r" "$(mb "$r")" "$g" "$(mb "$g")" "$(awk -v r="$r" -v g="$g" 'BEGIN { print r / g }')")"
    ((g <= MAX_GZ_BYTES)) || log "warning: ${gz##*/} is over $(mb "$MAX_GZ_BYTES"); lower HIGH_VOLUME_TRANSACTIONS"
}
log "done in $((SECONDS - start_seconds)) s (pgbench run $bench_seconds s)"
summary "$raw_log" "$out/high-volume.log.gz" "$audit_log"
log "audit lines with bind parameters logged: $with_params; with '<not logged>': $not_logged"
[[ "$audit_log" -eq "$audit_csv" ]] || log "warning: $audit_log audit lines in the stderr log but $audit_csv in the csvlog"
[[ "$with_params" -gt 0 && "$not_logged" -eq 0 ]] || die "parameters were not logged"
