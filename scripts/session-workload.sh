#!/usr/bin/env bash
# The session workload: logins that succeed (several users and application names, SSL on and off,
# TCP and the unix socket, sessions of various lengths), logins that fail (wrong password for an
# ordinary user and for the superuser, unknown role, unknown database, a pg_hba.conf reject and no
# pg_hba.conf entry, a role that may not log in, no CONNECT privilege), a session ended by the
# administrator, and errors with DETAIL, HINT, QUERY, CONTEXT and multi-line STATEMENTs, in default
# and verbose error verbosity.
#
#   eval "$(PGAUDIT_SESSION_EVENTS=1 scripts/pgaudit-server.sh start DIR)"
#   scripts/session-workload.sh
#
# Needs the server of PGAUDIT_SESSION_EVENTS=1 (its pg_hba.conf rules and SSL). PGHOST is the socket
# directory and PGPORT the port, as `start` exports them. Failures are expected; the script stops
# only when a step that must succeed fails.
set -euo pipefail

readonly bindir="${PGAUDIT_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
readonly socket="${PGHOST:?PGHOST (the socket directory) must be set}"
readonly port="${PGPORT:?PGPORT must be set}"

# psql over the socket as the superuser, stopping on error.
admin() { PGAPPNAME=session-setup "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -p "$port" -U postgres "$@" >/dev/null; }

# A login that must succeed: $1 conninfo, $2 password, then psql arguments.
login() {
    local conninfo=$1 password=$2
    shift 2
    PGPASSWORD=$password "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$conninfo port=$port" "$@" >/dev/null
}

# A login that must fail: $1 conninfo, $2 password.
refused() {
    if PGPASSWORD=$2 "$bindir/psql" -X -q "$1 port=$port" -c 'SELECT 1' >/dev/null 2>&1; then
        printf 'session-workload: the login "%s" should have failed\n' "$1" >&2
        exit 1
    fi
}

admin -d postgres <<'SQL'
ALTER ROLE postgres PASSWORD 'superuser-pw';
CREATE ROLE app LOGIN PASSWORD 'app-pw';
CREATE ROLE reporter LOGIN PASSWORD 'reporter-pw';
CREATE ROLE blocked LOGIN PASSWORD 'blocked-pw';
CREATE ROLE nologin_role NOLOGIN;
CREATE ROLE noconnect LOGIN PASSWORD 'noconnect-pw';
CREATE DATABASE appdb;
REVOKE CONNECT ON DATABASE appdb FROM PUBLIC;
GRANT CONNECT ON DATABASE appdb TO app, reporter;
ALTER DATABASE appdb SET pgaudit.log = 'read,write,ddl';
SQL
admin -d appdb <<'SQL'
CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL);
GRANT ALL ON accounts TO app, reporter;
INSERT INTO accounts VALUES (1, 'alice');
SQL

# Logins that succeed.
login "host=127.0.0.1 dbname=appdb user=app sslmode=require application_name=billing-service" app-pw \
    -c 'SELECT owner FROM accounts WHERE id = 1'
login "host=127.0.0.1 dbname=appdb user=reporter sslmode=disable application_name='monthly report'" reporter-pw \
    -c 'SELECT count(*) FROM accounts' -c 'SELECT pg_sleep(1.2)'
login "host=127.0.0.1 dbname=postgres user=postgres sslmode=require" superuser-pw -c 'SELECT 1'
login "host=$socket dbname=appdb user=app application_name=café-app" '' -c 'SELECT pg_sleep(0.3)'
if "$bindir/psql" -X -Atq -h "$socket" -p "$port" -U postgres -d postgres -c 'SHOW listen_addresses' | grep -q '::1'; then
    login "host=::1 dbname=appdb user=app sslmode=disable application_name=ipv6-client" app-pw -c 'SELECT 2'
fi

# Logins that fail.
refused "host=127.0.0.1 dbname=appdb user=app sslmode=require" wrong-pw
refused "host=127.0.0.1 dbname=postgres user=postgres sslmode=disable" wrong-pw
refused "host=127.0.0.1 dbname=appdb user=ghost sslmode=require" any-pw
refused "host=$socket dbname=postgres user=ghost" ''
refused "host=$socket dbname=nosuchdb user=app" ''
refused "host=127.0.0.1 dbname=appdb user=blocked sslmode=require" blocked-pw
refused "host=127.0.0.1 dbname=elsewhere user=app sslmode=disable" app-pw
refused "host=$socket dbname=postgres user=nologin_role" ''
refused "host=$socket dbname=appdb user=noconnect" ''

# A session the administrator ends (FATAL, not a login failure).
PGPASSWORD=app-pw "$bindir/psql" -X -q "host=127.0.0.1 dbname=appdb user=app sslmode=disable application_name=long-report port=$port" \
    -c 'SELECT pg_sleep(30)' >/dev/null 2>&1 &
victim=$!
for _ in $(seq 1 100); do
    if [[ "$("$bindir/psql" -X -Atq -h "$socket" -p "$port" -U postgres -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'long-report' AND state = 'active'")" == 1 ]]; then
        break
    fi
    sleep 0.1
done
admin -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'long-report'"
wait "$victim" || true

# Errors with their continuation entries, in an audited session (default verbosity).
PGPASSWORD=app-pw "$bindir/psql" -X -q "host=127.0.0.1 dbname=appdb user=app sslmode=require application_name=errors port=$port" >/dev/null 2>&1 <<'SQL' || true
INSERT INTO accounts VALUES (1, 'duplicate');
SELECT nosuch_function(1);
SELECT owner
  FROM nosuch_table
 WHERE id = 1;
DO $$
BEGIN
    RAISE EXCEPTION 'balance % below zero', -5
        USING DETAIL = 'account 1
was overdrawn', HINT = 'top it up';
END
$$;
DO $$ BEGIN PERFORM * FROM nosuch_relation; END $$;
DROP DATABASE nosuch_database;
UPDATE accounts SET owner = NULL WHERE id = 1;
SQL

# The same kinds of errors in verbose mode (the superuser may set it for its session).
PGAPPNAME=verbose-errors "$bindir/psql" -X -q -h "$socket" -p "$port" -U postgres -d appdb >/dev/null 2>&1 <<'SQL' || true
SET log_error_verbosity = verbose;
SELECT 1/0;
INSERT INTO accounts VALUES (1, 'again');
SQL

# Session entries in verbose mode: SQLSTATEs on connection, disconnection and FATAL lines.
admin -d postgres -c "ALTER SYSTEM SET log_error_verbosity = 'verbose'" -c 'SELECT pg_reload_conf()'
sleep 0.5
login "host=127.0.0.1 dbname=appdb user=reporter sslmode=require application_name=verbose-client" reporter-pw -c 'SELECT 3'
refused "host=127.0.0.1 dbname=appdb user=reporter sslmode=require" wrong-pw
admin -d postgres -c 'ALTER SYSTEM RESET log_error_verbosity' -c 'SELECT pg_reload_conf()'
sleep 0.5
