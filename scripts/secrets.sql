-- Secret-bearing statements for the redaction fixtures (scripts/capture-secret-lines.sh).
-- Every secret holds "Zq" and a number; nothing else in the log does. Some statements fail on
-- purpose (a typo, an unknown option): PostgreSQL then logs ERROR + STATEMENT, unredacted.
SET pgaudit.log = 'all';
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE TABLE password_keeper (id int PRIMARY KEY, note text);
CREATE ROLE password_keeper NOLOGIN;
CREATE ROLE r1 LOGIN PASSWORD 'Zq01role';
ALTER ROLE r1 WITH ENCRYPTED PASSWORD 'Zq02enc';
ALTER USER r1 PASSWORD E'Zq03\'quote';
ALTER ROLE r1 PASSWORD $q$Zq04dollar$q$;
ALTER ROLE r1 PASSWORD $$Zq05dollar$$;
ALTER ROLE r1 PASSWORD U&'Zq06\0070ass';
ALTER ROLE r1 PASSWORD /* a comment */ 'Zq07comment';
ALTER ROLE r1 PASSWORD -- a line comment
'Zq08line';
alter role r1 password 'Zq09lower';
ALTER ROLE r1 PASSWORD 'Zq10''doubled';
ALTER ROLE r1 PASSWORD 'Zq11split'
'Zq11cont';
ALTER ROLE r1 PASSWORD 'Zq12typo' VALID UNTILL 'infinity';
CREATE USER r2 PASSWORD 'Zq13user';
CREATE SERVER fdw1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'localhost', dbname 'postgres');
CREATE USER MAPPING FOR r1 SERVER fdw1 OPTIONS (user 'r1', password 'Zq14map');
ALTER USER MAPPING FOR r1 SERVER fdw1 OPTIONS (SET password 'Zq15set');
ALTER USER MAPPING FOR r1 SERVER fdw1 OPTIONS (DROP password);
ALTER USER MAPPING FOR r1 SERVER fdw1 OPTIONS (ADD "password" E'Zq16\x41hex');
CREATE USER MAPPING FOR r2 SERVER fdw1 OPTIONS (user 'r2', U&"\0070assword" 'Zq17uname');
ALTER SERVER fdw1 OPTIONS (ADD password 'Zq18server');
CREATE PUBLICATION p1;
CREATE SUBSCRIPTION sub1 CONNECTION 'host=localhost dbname=postgres user=r1 password=Zq19sub' PUBLICATION p1 WITH (connect = false);
ALTER SUBSCRIPTION sub1 CONNECTION 'host=localhost password = ''Zq20 quoted\''s'' user=r1';
SELECT dblink_connect('c1', 'dbname=postgres user=postgres password=Zq21dblink');
SELECT dblink_disconnect('c1');
SELECT * FROM dblink('dbname=postgres password=Zq22dbl', 'SELECT 1') AS t(x int);
SELECT 'postgresql://r1:Zq24uri@localhost/postgres' AS uri;
SELECT encrypt('data', 'Zq25key', 'aes');
SELECT decrypt(encrypt('data', 'Zq26key', 'aes'), 'Zq26key', 'aes');
SELECT encrypt_iv('data', 'Zq27key', '1234567890123456', 'aes');
SELECT pgp_sym_encrypt('data', 'Zq28psw');
SELECT pgp_sym_decrypt(pgp_sym_encrypt('data', 'Zq29psw'), 'Zq29psw');
SELECT pgp_sym_encrypt_bytea('data'::bytea, 'Zq30psw', 'cipher-algo=aes256');
SELECT hmac('data', 'Zq31hmac', 'sha256');
SELECT crypt('Zq32clear', gen_salt('bf'));
SELECT public.pgp_sym_encrypt('data', 'Zq33' || 'concat');
SELECT "pgp_sym_encrypt"('data', 'Zq34quoted');
SELECT set_config('app.api_key', 'Zq35cfg', false);
SET app.secret = 'Zq36set';
-- Near misses: nothing here is a secret, and the records keep them as they are.
SELECT 'password' AS literal_not_secret;
SELECT * FROM password_keeper; -- the password is not here
INSERT INTO password_keeper VALUES (1, 'keeps nothing');
DROP SUBSCRIPTION sub1;
