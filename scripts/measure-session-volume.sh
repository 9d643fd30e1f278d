#!/usr/bin/env bash
# What log_connections / log_disconnections and errors add to the log next to pgAudit lines, measured on a
# throwaway PostgreSQL 15 + pgaudit (PGAUDIT_SESSION_EVENTS=1: SSL, scram-sha-256 over TCP) under pgbench
# (pgaudit.log = write,ddl; TPC-B-like: 4 audited statements a transaction), two ways of connecting:
#   pooled      4 clients that stay connected for 10 s
#   per-txn     pgbench -C: a new connection (SSL, SCRAM) for every transaction, the worst case
# For each: audit lines, the server entries the default filter pattern passes (and their bytes) per
# 1,000 audit lines, and the entries that reach CloudWatch Logs but not the filter (connection received,
# connection authenticated). Prints a Markdown table.
#
#   scripts/measure-session-volume.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo bindir="${PGAUDIT_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
work=$(mktemp -d /tmp/pgaudit-volume.XXXXXX)
chmod 0755 "$work"
readonly work
trap '"$repo/scripts/pgaudit-server.sh" stop "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

eval "$(PGAUDIT_SESSION_EVENTS=1 "$repo/scripts/pgaudit-server.sh" start "$work/cluster" 2>/dev/null)"
"$bindir/psql" -X -q -h "$PGHOST" -U postgres -d postgres -c "ALTER ROLE postgres PASSWORD 'bench-pw'" -c "CREATE DATABASE appdb" >/dev/null
"$bindir/pgbench" -q -i -s 1 -h "$PGHOST" -U postgres appdb >/dev/null 2>&1
"$bindir/psql" -X -q -h "$PGHOST" -U postgres -d postgres -c "ALTER DATABASE appdb SET pgaudit.log = 'write,ddl'" >/dev/null

log="$work/cluster/log/postgresql.log"
run() {
    local name=$1
    shift
    local from
    from=$(wc -c <"$log")
    PGPASSWORD=bench-pw PGSSLMODE=require "$bindir/pgbench" -n -h 127.0.0.1 -p "$PGPORT" -U postgres -T 10 "$@" appdb >/dev/null 2>&1
    sleep 1
    tail -c +"$((from + 1))" "$log" | python3 -c '
import re, sys
name = sys.argv[1]
entries = []
for line in sys.stdin.read().split("\n"):
    if line.startswith("\t") and entries: entries[-1] += "\n" + line
    elif line: entries.append(line)
audit = [e for e in entries if re.search(r"\]:(LOG|NOTICE|WARNING|INFO|DEBUG):  (\w{5}: )?AUDIT: ", e)]
terms = ["connection authorized:", "disconnection: session time:", "ERROR:", "FATAL:", "PANIC:", "DETAIL:", "HINT:", "CONTEXT:", "STATEMENT:"]
server = [e for e in entries if e not in audit and any(t in e for t in terms)]
unfiltered = [e for e in entries if e not in audit and e not in server and re.search(r"connection (received|authenticated):", e)]
k = 1000 / max(1, len(audit))
size = lambda es: sum(len(e.encode()) + 1 for e in es)
print(f"| {name} | {len(audit)} | {size(audit) * k / 1024:.0f} KiB | {len(server) * k:.0f} | {size(server) * k / 1024:.1f} KiB | {len(unfiltered) * k:.0f} ({size(unfiltered) * k / 1024:.1f} KiB) |")
' "$name"
}

echo "| workload | audit lines | audit bytes / 1,000 | server entries / 1,000 audit lines (pass the filter) | their bytes / 1,000 | connection received + authenticated / 1,000 (CloudWatch only) |"
echo "|---|---|---|---|---|---|"
run pooled -c 4
run per-txn -c 4 -C
