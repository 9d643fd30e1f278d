-- pgAudit fixture workload, run by scripts/capture-real-lines.sh as:
--   psql -X -v ipv6=true|false -f scripts/workload.sql
-- with PGHOST (unix socket directory), PGPORT and PGUSER=postgres set by
-- scripts/pgaudit-server.sh. Every \connect starts a new backend, so pgAudit's
-- statement ids restart at 1 per session. Sections:
--   1 global audit settings      2 setup (DDL, ROLE)         3 every class + tricky text
--   4 parameters, rows, relation, statement_once (IPv4)      5 log_client/log_level (IPv6)
--   6 verbose errors              7 odd user/database names   8 log_statement=off
-- This file contains literal TAB characters (on purpose): keep them.
\set ON_ERROR_STOP 1
-- psql expands \r and \n inside single-quoted \set values: a raw CR and a CRLF.
\set cr '\r'
\set crlf '\r\n'
\set crlf_query 'SELECT 1 AS crlf_a,\r\n       2 AS crlf_b;'

------------------------------------------------------------------------------
-- 1. Audit everything, for every session and role (pgaudit.log is 'none' until the reload).
------------------------------------------------------------------------------
ALTER SYSTEM SET pgaudit.log = 'all';
ALTER SYSTEM SET pgaudit.role = 'auditor';
SELECT pg_reload_conf();
-- Give the postmaster time to re-read the configuration before the next \connect (no SQL sent).
\! sleep 0.5

------------------------------------------------------------------------------
-- 2. Setup over the unix socket ([local]) as postgres: DDL and ROLE lines.
------------------------------------------------------------------------------
\connect 'dbname=postgres user=postgres'
CREATE ROLE auditor NOLOGIN;
-- pgAudit replaces everything after PASSWORD with <REDACTED>.
CREATE ROLE "app@corp:x,y" LOGIN PASSWORD 'secret';
ALTER ROLE "app@corp:x,y" PASSWORD 'still-secret' VALID UNTIL 'infinity';
CREATE ROLE temp_role;
DROP ROLE temp_role;
CREATE DATABASE "db:@,1" OWNER "app@corp:x,y";
-- Sessions in this database get 10-field lines (ROWS).
ALTER DATABASE "db:@,1" SET pgaudit.log_rows = on;
CREATE TABLE accounts (
    id      int PRIMARY KEY,
    owner   text NOT NULL,
    balance numeric(12,2) NOT NULL DEFAULT 0,
    note    text
);
CREATE TABLE "we,ird""t" (id int, "col,1" text, "tab	col" text, "é" text);
CREATE TABLE 日本語 (id int, 名前 text);
CREATE VIEW rich_accounts AS SELECT id, owner FROM accounts WHERE balance > 1000;
CREATE FUNCTION transfer(from_id int, to_id int, amount numeric) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    remaining numeric;
BEGIN
    UPDATE accounts SET balance = balance - amount WHERE id = from_id;
    UPDATE accounts SET balance = balance + amount WHERE id = to_id;
    SELECT balance INTO remaining FROM accounts WHERE id = from_id;
    RETURN remaining;
END
$$;
-- Object auditing: what 'auditor' may do is what gets OBJECT lines.
GRANT SELECT ON accounts TO auditor;
GRANT UPDATE (balance) ON accounts TO auditor;
GRANT SELECT ("col,1") ON "we,ird""t" TO auditor;
GRANT SELECT, INSERT, UPDATE ON accounts, "we,ird""t", 日本語 TO "app@corp:x,y";
REVOKE UPDATE ON 日本語 FROM "app@corp:x,y";
GRANT EXECUTE ON FUNCTION transfer(int, int, numeric) TO "app@corp:x,y";

------------------------------------------------------------------------------
-- 3. Every class with default options (9 fields, PARAMETER <not logged>), unix socket.
------------------------------------------------------------------------------
\connect 'dbname=postgres user=postgres'
INSERT INTO accounts VALUES
    (1, 'alice', 1500, 'first'),
    (2, 'bob', 200, NULL),
    (3, 'carol, "the boss"', 9000, 'quotes, commas');
UPDATE accounts SET note = 'é 日本語 ü' WHERE id = 2;
SELECT id, owner FROM accounts WHERE balance > 100 ORDER BY id;
SELECT * FROM rich_accounts;
DELETE FROM accounts WHERE id = 99;
COPY accounts (id, owner) TO STDOUT;
-- FUNCTION class, plus the function's own statements as substatements 2, 3, 4.
SELECT transfer(1, 2, 10.50);
-- A DO block whose dynamic SQL shows up as substatements.
DO $$
BEGIN
    EXECUTE 'CREATE TABLE import' || 'ant_table (id INT)';
    INSERT INTO important_table VALUES (1), (2);
END
$$;
TRUNCATE important_table;
-- MISC: SET, VACUUM, ANALYZE, CHECKPOINT (also gives background checkpointer lines), transaction control.
SET application_name = 'fixture,workload';
SET search_path = public, pg_catalog;
VACUUM accounts;
ANALYZE accounts;
CHECKPOINT;
BEGIN;
SELECT owner FROM accounts WHERE id = 3 FOR UPDATE;
COMMIT;
EXPLAIN SELECT * FROM accounts WHERE id = 1;
-- MERGE: pgaudit 1.7.0 has no MERGE command tag on PG15 and writes MISC,???.
MERGE INTO accounts a
USING (VALUES (4, 'dave')) AS v(id, owner) ON a.id = v.id
WHEN NOT MATCHED THEN INSERT (id, owner) VALUES (v.id, v.owner);
-- Two statements in one query string: each line repeats the whole string.
SELECT 1 AS one \; SELECT 2 AS two;
-- Multi-line statement, one line starting with a TAB, newlines in a literal and in an alias.
SELECT id,
	owner,
  'multi
line literal' AS "multi
line, ""alias"""
FROM accounts
WHERE id = 1;
INSERT INTO "we,ird""t" (id, "col,1", "tab	col", "é") VALUES (1, 'a,b', 'tab	inside', 'é"q"');
SELECT "col,1", "tab	col", "é" FROM "we,ird""t";
INSERT INTO 日本語 VALUES (1, '山田 太郎');
SELECT 名前 FROM 日本語 WHERE id = 1;
-- A lone CR and a CRLF inside literals, then a whole statement with a CRLF line break.
SELECT 'carriage' || :'cr' || 'return' AS lone_cr, 'crlf' || :'crlf' || 'line' AS crlf;
:crlf_query
-- The audit-line text inside literals (one of them after a newline, as if it were a new log line).
SELECT 'LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>' AS trap;
SELECT 'x
2024-01-01 00:00:00 UTC:10.0.0.1(5432):postgres@postgres:[1]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>' AS trap_after_newline;
-- Statements longer than 8 KB, generated and run with \gexec.
SELECT format('SELECT count(*) AS long_in_list FROM accounts WHERE id IN (%s);',
              string_agg(g::text, CASE WHEN g % 100 = 1 THEN E',\n' ELSE ', ' END ORDER BY g))
FROM generate_series(1, 1800) AS g \gexec
SELECT format('SELECT %L AS long_literal;', repeat('pgaudit, "long" text ', 450)) \gexec
-- Errors: an ERROR + STATEMENT quoting the audit text (no audit line, fails at parse time) ...
\set ON_ERROR_STOP 0
SELECT 'LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>'::int;
-- ... and one that is audited first, then fails while executing.
SELECT owner, 1 / (id - id) AS boom FROM accounts WHERE note IS DISTINCT FROM 'LOG:  AUDIT: SESSION,2,1,WRITE';
\set ON_ERROR_STOP 1

------------------------------------------------------------------------------
-- 4. Parameters, rows, relations, statement_once over IPv4.
------------------------------------------------------------------------------
\connect 'host=127.0.0.1 dbname=postgres user=postgres'
SET pgaudit.log_parameter = on;
-- No parameters: <none>.
SELECT count(*) FROM accounts;
PREPARE acct(int, text, text, text, text) AS
    SELECT $1 AS n, $2 AS a, $3 AS b, $4 AS c, $5 AS d, count(*) FROM accounts WHERE owner <> $2;
-- Commas, double quotes, an empty string and a NULL.
EXECUTE acct(1, 'a,b', 'say "hi"', '', NULL);
EXECUTE acct(2, 'multi
line', 'é 日本語	tab', 'LOG:  AUDIT: SESSION,1,1,READ', NULL);
PREPARE one_text(text) AS SELECT $1 AS only_param;
EXECUTE one_text(NULL);
EXECUTE one_text('');
PREPARE upd(numeric, int) AS UPDATE accounts SET balance = balance + $1 WHERE id = $2;
EXECUTE upd(1.25, 2);
-- plpgsql passes its variables as parameters to its statements.
SELECT transfer(2, 1, 0.25);
-- From here on 10 fields (ROWS).
SET pgaudit.log_rows = on;
SELECT id FROM accounts ORDER BY id;
EXECUTE upd(-1.25, 2);
UPDATE accounts SET note = note WHERE id IN (1, 2, 3);
EXECUTE acct(3, 'x,y', '""', '', NULL);
-- One line per relation; 'auditor' has SELECT on both, so OBJECT lines too.
SET pgaudit.log_relation = on;
SELECT a.owner, w."col,1" FROM accounts a JOIN "we,ird""t" w ON w.id = a.id;
MERGE INTO accounts a
USING (VALUES (2, 5.00)) AS v(id, amount) ON a.id = v.id
WHEN MATCHED THEN UPDATE SET balance = a.balance + v.amount;
-- Statement and parameters only on the first line of a (sub)statement.
SET pgaudit.log_statement_once = on;
SELECT a.owner, w."col,1" FROM accounts a JOIN "we,ird""t" w ON w.id = a.id;
EXECUTE acct(4, 'once', 'more', '', NULL);
SET pgaudit.log_relation = off;
SET pgaudit.log_statement_once = off;
-- Back to 9 fields and <not logged> in the same session.
SET pgaudit.log_rows = off;
SET pgaudit.log_parameter = off;
EXECUTE acct(5, 'not', 'logged', '', NULL);

------------------------------------------------------------------------------
-- 5. pgaudit.log_client with NOTICE and WARNING severities, over IPv6 when available.
------------------------------------------------------------------------------
\if :ipv6
\connect 'host=::1 dbname=postgres user=postgres'
\else
\connect 'host=127.0.0.1 dbname=postgres user=postgres'
\endif
-- NOTICE messages only reach the server log with log_min_messages <= notice.
SET log_min_messages = notice;
SET pgaudit.log_client = on;
SET pgaudit.log_level = notice;
SELECT owner FROM accounts WHERE id = 1;
SET pgaudit.log_level = warning;
SELECT owner FROM accounts WHERE id = 2;
UPDATE accounts SET note = 'warned' WHERE id = 4;
SET pgaudit.log_client = off;
SELECT owner FROM accounts WHERE id = 3;

------------------------------------------------------------------------------
-- 6. log_error_verbosity = verbose: "LOG:  00000: AUDIT:" and LOCATION: lines.
------------------------------------------------------------------------------
\connect 'dbname=postgres user=postgres'
SET log_error_verbosity = verbose;
SELECT count(*) FROM accounts;
INSERT INTO "we,ird""t" (id, "col,1")
VALUES (2, 'verbose,
	multi-line');
\set ON_ERROR_STOP 0
SELECT 'LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,fake,<none>'::int;
SELECT owner, 1 / (id - id) AS boom FROM accounts WHERE note IS DISTINCT FROM 'LOG:  AUDIT: SESSION,2,1,WRITE';
\set ON_ERROR_STOP 1
SET log_error_verbosity = default;

------------------------------------------------------------------------------
-- 7. User "app@corp:x,y" and database "db:@,1": unix socket, IPv4, IPv6.
------------------------------------------------------------------------------
\connect 'dbname=''db:@,1'' user=''app@corp:x,y'''
CREATE TABLE "t,1" (id int, "v:@" text);
INSERT INTO "t,1" VALUES (1, 'x'), (2, 'y, "z"');
SELECT * FROM "t,1";
\connect 'host=127.0.0.1 dbname=''db:@,1'' user=''app@corp:x,y'''
SELECT count(*) FROM "t,1";
\if :ipv6
\connect 'host=::1 dbname=''db:@,1'' user=''app@corp:x,y'''
\endif
UPDATE "t,1" SET "v:@" = 'updated' WHERE id = 1;
DELETE FROM "t,1" WHERE id = 2;
-- A non-superuser in postgres: SESSION and OBJECT lines for the tables 'auditor' can read.
\connect 'host=127.0.0.1 dbname=postgres user=''app@corp:x,y'''
SELECT owner FROM accounts WHERE id = 3;
SELECT transfer(3, 1, 5);
INSERT INTO "we,ird""t" (id, "col,1") VALUES (3, 'from app');
SELECT "col,1" FROM "we,ird""t" WHERE id = 3;
\set ON_ERROR_STOP 0
-- Not allowed: ERROR without an audit line.
UPDATE 日本語 SET 名前 = 'x';
\set ON_ERROR_STOP 1

------------------------------------------------------------------------------
-- 8. pgaudit.log_statement = off: "<not logged>,<not logged>".
------------------------------------------------------------------------------
\connect 'dbname=postgres user=postgres'
SET pgaudit.log_statement = off;
SELECT owner FROM accounts WHERE id = 1;
SET pgaudit.log_statement = on;
