#!/usr/bin/env bash
# Capture real session and error entries (scripts/session-workload.sh) from a throwaway PostgreSQL 15
# + pgaudit server started with PGAUDIT_SESSION_EVENTS=1, into
# test/PgAuditFirehose.Tests/Fixtures/real/sessions.log (stderr, prefix '%t:%r:%u@%d:[%p]:') and
# sessions.csv (the csvlog of the same run, the ground truth).
#
#   scripts/capture-session-lines.sh        # as root (installs what is missing) or as postgres
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo
readonly out="$repo/test/PgAuditFirehose.Tests/Fixtures/real"
work=$(mktemp -d /tmp/pgaudit-sessions.XXXXXX)
chmod 0755 "$work"
readonly work
trap '"$repo/scripts/pgaudit-server.sh" stop "$work/cluster" 2>/dev/null || true; rm -rf "$work"' EXIT

eval "$(PGAUDIT_SESSION_EVENTS=1 "$repo/scripts/pgaudit-server.sh" start "$work/cluster")"
"$repo/scripts/session-workload.sh"
"$repo/scripts/pgaudit-server.sh" stop "$work/cluster"
cp "$work/cluster/log/postgresql.log" "$out/sessions.log"
cp "$work/cluster/log/postgresql.csv" "$out/sessions.csv"
printf 'capture: wrote %s/sessions.log and sessions.csv\n' "$out" >&2
