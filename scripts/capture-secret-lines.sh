#!/usr/bin/env bash
# Capture the log a real PostgreSQL 15 + pgaudit writes for secret-bearing statements into
# test/PgAuditFirehose.Tests/Fixtures/real/secrets.log (and secrets.csv, the server's csvlog):
# scripts/secrets.sql (simple protocol; some statements fail on purpose), pgbench with a key
# and a connection string as bind parameters, and a statement cut off inside its literal.
#
#   scripts/capture-secret-lines.sh          # as root (installs what is missing) or as postgres
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo server="$repo/scripts/pgaudit-server.sh" out="$repo/test/PgAuditFirehose.Tests/Fixtures/real"
readonly pg_bindir="${PGAUDIT_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
work=$(mktemp -d /tmp/pgaudit-secrets.XXXXXX)
chmod 0755 "$work"
readonly work cluster="$work/cluster"
trap '"$server" stop "$cluster" 2>/dev/null || true; rm -rf "$work"' EXIT

eval "$("$server" start "$cluster")"
"$pg_bindir/psql" -X -f "$repo/scripts/secrets.sql" >"$work/transcript.txt" 2>&1 || true
cat >"$work/secrets.pgbench" <<'PGBENCH'
SELECT pgp_sym_encrypt(:data::text, :key::text) IS NOT NULL AS encrypted;
SELECT length(:conn::text) AS conninfo_length;
PGBENCH
PGOPTIONS='-c pgaudit.log=all -c pgaudit.log_parameter=on' \
    "$pg_bindir/pgbench" -n -t 1 -M extended -h 127.0.0.1 -d postgres \
    -D data=plain -D key=Zq38param -D 'conn=host=db password=Zq39pconn' \
    -f "$work/secrets.pgbench" >>"$work/transcript.txt" 2>&1
"$pg_bindir/psql" -X -c "ALTER ROLE r1 PASSWORD 'Zq37unterminated" >>"$work/transcript.txt" 2>&1 || true
"$server" stop "$cluster"
cp "$PGAUDIT_LOG_DIR/postgresql.log" "$out/secrets.log"
cp "$PGAUDIT_LOG_DIR/postgresql.csv" "$out/secrets.csv"
printf 'capture: wrote %s (%s bytes)\n' "$out/secrets.log" "$(wc -c <"$out/secrets.log")" >&2
