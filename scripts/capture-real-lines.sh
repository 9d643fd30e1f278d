#!/usr/bin/env bash
# Capture real pgAudit log lines from a throwaway PostgreSQL 15 + pgaudit server
# into test/PgAuditFirehose.Tests/Fixtures/real/:
#   workload.log / workload.csv      scripts/workload.sql, then pgbench (extended protocol),
#                                    log_line_prefix '%t:%r:%u@%d:[%p]:' (RDS default)
#   rds-sample.log / rds-sample.csv  a short workload (inline below) after a restart with
#                                    the long RDS prefix '%m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a:'
#
#   scripts/capture-real-lines.sh            # as root (installs what is missing) or as postgres
#
# Timestamps, pids, ports and the temp path differ between runs; everything else is stable.
# Set PGAUDIT_CAPTURE_KEEP=1 to keep the temporary cluster directory for inspection.
set -euo pipefail

readonly RDS_LONG_PREFIX='%m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a:'

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo
readonly server="$repo/scripts/pgaudit-server.sh"
readonly out="$repo/test/PgAuditFirehose.Tests/Fixtures/real"
readonly pg_bindir="${PGAUDIT_PG_BINDIR:-/usr/lib/postgresql/15/bin}"

log() { printf 'capture: %s\n' "$*" >&2; }

work=$(mktemp -d /tmp/pgaudit-capture.XXXXXX)
# mktemp creates a 0700 directory; the postgres user must be able to enter it.
chmod 0755 "$work"
readonly work cluster="$work/cluster" transcript="$work/psql-transcript.txt"

cleanup() {
    local rc=$?
    "$server" stop "$cluster" 2>/dev/null || true
    if [[ $rc -ne 0 ]]; then
        log "failed (exit $rc); last lines of the psql transcript:"
        tail -n 30 "$transcript" >&2 2>/dev/null || true
    fi
    if [[ "${PGAUDIT_CAPTURE_KEEP:-0}" == 1 ]]; then
        log "kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# psql with no ~/.psqlrc, stopping on unexpected errors; output goes to the transcript
# (pgaudit.log_client=on also sends NOTICE/WARNING audit messages to the client).
run_psql() {
    "$pg_bindir/psql" -X -v ON_ERROR_STOP=1 -v "ipv6=$ipv6" "$@" >>"$transcript" 2>&1
}

# Copy the two log files out of a stopped cluster under new names.
copy_logs() {
    local name=$1
    cp "$PGAUDIT_LOG_DIR/postgresql.log" "$out/$name.log"
    cp "$PGAUDIT_LOG_DIR/postgresql.csv" "$out/$name.csv"
    log "wrote $out/$name.log ($(wc -c <"$out/$name.log") bytes), $out/$name.csv ($(wc -c <"$out/$name.csv") bytes)"
}

mkdir -p "$out"

# --- Run 1: the main workload with the RDS default prefix -------------------
eval "$("$server" start "$cluster")"
# Does the server listen on ::1 (pgaudit-server.sh falls back to IPv4 only)?
if [[ "$("$pg_bindir/psql" -X -Atqc 'SHOW listen_addresses')" == *::1* ]]; then ipv6=true; else ipv6=false; fi
log "running scripts/workload.sql (ipv6=$ipv6)"
run_psql -f "$repo/scripts/workload.sql"

# Extended query protocol: real Parse/Bind with $n parameters (psql 15 has no \bind).
# pgbench -D values are strings (an empty one is rejected); PGOPTIONS turns on parameter
# and row logging for this superuser session only.
log "running pgbench -M extended (bind parameters)"
cat >"$work/extended.pgbench" <<'PGBENCH'
SELECT :n::int AS n, :txt::text AS txt, :quoted::text AS quoted, :ml::text AS ml;
UPDATE accounts SET note = :txt WHERE id = :n;
PGBENCH
PGOPTIONS='-c pgaudit.log_parameter=on -c pgaudit.log_rows=on' \
    "$pg_bindir/pgbench" -n -t 1 -M extended -h 127.0.0.1 -d postgres \
    -D n=2 -D 'txt=a,b c' -D 'quoted=say "hi", ok' -D $'ml=two\nlines é' \
    -f "$work/extended.pgbench" >>"$transcript" 2>&1

"$server" stop "$cluster"
copy_logs workload

# --- Run 2: restart with the long RDS prefix for a short sample -------------
# The server is stopped, so the log files can be removed to start the sample afresh.
rm -f "$PGAUDIT_LOG_DIR/postgresql.log" "$PGAUDIT_LOG_DIR/postgresql.csv"
eval "$(PGAUDIT_LOG_LINE_PREFIX="$RDS_LONG_PREFIX" "$server" start "$cluster")"
log "running the RDS sample workload"
# A few statements like those of workload.sql (whose tables and roles exist). Keep the TAB
# that starts the "SET note" line, and the application_name with ':' and ',' (%a).
run_psql -f - <<'SQL'
\connect 'host=127.0.0.1 dbname=postgres user=postgres application_name=psql'
SET pgaudit.log_parameter = on;
SELECT id, owner FROM accounts WHERE id = 1;
PREPARE acct(int, text, text) AS SELECT $1 AS n, $2 AS a, $3 AS b;
EXECUTE acct(1, 'a,b', 'say "hi"');
SET pgaudit.log_rows = on;
UPDATE accounts
	SET note = 'rds,
sample'
WHERE id = 2;
SELECT 'LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>' AS trap;
\set ON_ERROR_STOP 0
SELECT 'LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>'::int;
\set ON_ERROR_STOP 1
\if :ipv6
\connect 'host=::1 dbname=''db:@,1'' user=''app@corp:x,y'' application_name=''my:app,1'''
\else
\connect 'host=127.0.0.1 dbname=''db:@,1'' user=''app@corp:x,y'' application_name=''my:app,1'''
\endif
SELECT * FROM "t,1";
INSERT INTO "t,1" VALUES (3, 'rds');
\connect 'dbname=postgres user=postgres'
SELECT transfer(1, 2, 1);
CHECKPOINT;
SQL
"$server" stop "$cluster"
copy_logs rds-sample

# Count audit records in the csvlogs (one row per record, message field starts with AUDIT:).
count_audit() { grep -cE ',(LOG|NOTICE|WARNING),[0-9A-Z]{5},"AUDIT: ' "$1"; }
log "done; audit records: $(count_audit "$out/workload.csv") in workload.*, $(count_audit "$out/rds-sample.csv") in rds-sample.*"
