-- Additions to scripts/workload.sql for the integration tests, run right after it with
--   psql -X -v ON_ERROR_STOP=1 -v ipv6=true|false -f extra.sql
-- (PGHOST = the unix socket directory). ExtendedProtocolWorkload.cs follows with Npgsql.
\set ON_ERROR_STOP 1

------------------------------------------------------------------------------
-- A user with '@' on a database WITHOUT '@': the split at the last '@' must be right.
------------------------------------------------------------------------------
\connect 'dbname=postgres user=postgres'
CREATE DATABASE "db:,1" OWNER "app@corp:x,y";
-- A user with no '@' but with ':', ',', a space and quotes.
CREATE ROLE "o'brien ""q"" x:y,z" LOGIN;
GRANT SELECT ON accounts TO "o'brien ""q"" x:y,z";
-- pgaudit.log_parameter and log_rows are superuser settings: set per role for the Npgsql sessions of these users.
ALTER ROLE "app@corp:x,y" IN DATABASE "db:,1" SET pgaudit.log_parameter = on;
ALTER ROLE "app@corp:x,y" IN DATABASE "db:,1" SET pgaudit.log_rows = on;
ALTER ROLE "o'brien ""q"" x:y,z" SET pgaudit.log_parameter = on;
\connect 'dbname=''db:,1'' user=''app@corp:x,y'''
CREATE TABLE "t,2" (id int, note text);
INSERT INTO "t,2" VALUES (1, 'socket');
\connect 'host=127.0.0.1 dbname=''db:,1'' user=''app@corp:x,y'''
SELECT * FROM "t,2";
\if :ipv6
\connect 'host=::1 dbname=''db:,1'' user=''app@corp:x,y'''
\endif
UPDATE "t,2" SET note = 'tcp' WHERE id = 1;

------------------------------------------------------------------------------
-- A user WITHOUT '@' on a database with '@': the documented greedy mis-split.
------------------------------------------------------------------------------
\connect 'dbname=''db:@,1'' user=postgres'
SELECT count(*) FROM "t,1";

------------------------------------------------------------------------------
-- pgaudit.log_level INFO and DEBUG1 (they reach the server log only with log_min_messages low enough).
------------------------------------------------------------------------------
\connect 'dbname=postgres user=postgres'
SET pgaudit.log_client = on;
SET log_min_messages = info;
SET pgaudit.log_level = info;
SELECT 'info level' AS lvl;
SET log_min_messages = debug1;
SET pgaudit.log_level = debug1;
SELECT 'debug level' AS lvl;
SET pgaudit.log_level = log;
SET log_min_messages = warning;
SET pgaudit.log_client = off;

------------------------------------------------------------------------------
-- Parameter values the parsers must not trip over: one that looks like a marker, a CR at the end
-- of a value, backslashes (the CSV output's escape character), a lone comma, quote and newline.
------------------------------------------------------------------------------
SET pgaudit.log_parameter = on;
PREPARE odd(text, text, text) AS SELECT $1 AS a, $2 AS b, $3 AS c;
EXECUTE odd('<none>', 'ends with cr' || chr(13), 'back\slash \N');
EXECUTE odd(',', '"', E'\n');
SELECT E'x\ty' AS "tab	alias";
