#!/bin/sh
# tests/odbc.sh UPPFOLJ — odbc sources against a real PostgreSQL server that
# this test starts itself on 127.0.0.1 (a free port, its socket in a temp
# folder), through Debian's psqlODBC driver and unixODBC, configured in the
# temp folder (ODBCSYSINI, ODBCINI) so that no system config is needed.  The
# demo region's extracts are loaded into tables; run with odbc sources, the
# figures are the file run's byte for byte, a rerun needs no database, and a
# wrong password, a dropped connection, a query error and a missing column
# each say so and publish nothing; a changed archive object of a pull stops
# rerun and run --offline, and the pull's temporary file does not outlive a
# signal.  The password is in no output, log, manifest or archive object.
# Prints TAP.  Without PostgreSQL it fails: scripts/install-deps test
# installs it.
set -u
uf=$1
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
pg=$(mktemp -d)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
driver=$(ls /usr/lib/*/odbc/psqlodbcw.so 2>/dev/null | head -n 1)
as=""
if [ "$(id -u)" = 0 ]; then as="runuser -u nobody --"; chown nobody "$pg"; chmod 755 "$pg"; fi
# as_pg CMD...: as the server's user, from its folder (PostgreSQL wants to know
# the working folder, which a checkout in /root would hide from nobody)
as_pg() { (cd "$pg" && $as "$@"); }
stop_pg() { [ -f "$pg/data/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$pg/data" -m immediate -w stop >/dev/null 2>&1; return 0; }
# The server is stopped however the test ends: a signal ends it through EXIT.
trap 'stop_pg; rm -rf "$work" "$pg"' EXIT
trap 'exit 1' HUP INT PIPE TERM

if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ] || [ -z "$driver" ]; then
    not_ok "PostgreSQL and its ODBC driver are installed" \
        "no /usr/lib/postgresql/*/bin/initdb or psqlodbcw.so: scripts/install-deps test installs postgresql and odbc-postgresql"
    finish
    exit 1
fi

# ---- the server -------------------------------------------------------------
as_pg "$pgbin/initdb" -D "$pg/data" -U postgres -E UTF8 --locale=C.UTF-8 -N \
    --auth-local=trust --auth-host=scram-sha-256 >"$work/initdb.log" 2>&1 ||
    { not_ok "initdb" "$(tail -n 5 "$work/initdb.log")"; finish; exit 1; }
as_pg mkdir "$pg/sock"
start_pg() {
    as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -t 30 -o "-p $port -k $pg/sock \
        -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB" start >/dev/null 2>&1
}
for _ in 1 2 3; do # the OS picks the port; another may take it before the server does
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    start_pg && break
done
if ! "$pgbin/pg_isready" -q -h "$pg/sock" -p "$port"; then
    not_ok "PostgreSQL starts on 127.0.0.1" "$(tail -n 5 "$pg/log")"
    finish
    exit 1
fi
ok "PostgreSQL starts on 127.0.0.1:$port"
psql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg/sock" -p "$port" -U postgres "$@"; }

# A password with what a connection string must escape (; and }) and a
# non-ASCII letter; the wrong one is a secret too.
pw='Lösen;Q7}zk=x'
wrong='fel-Lösen-31'
psql -d postgres -c "CREATE ROLE uppfolj LOGIN PASSWORD '$pw'" -c "CREATE DATABASE vard"

# ---- the demo region's extracts as tables -----------------------------------
region=$work/region
make_region "$uf" "$region"
x=$region/extrakt/2024-08
# Real types: dates, timestamps, booleans, a padded CHAR id, a double; the
# extracts' flags J/N become booleans.  "KontaktDatum" is renamed back by
# the config's "columns", as a region with other names would.
psql -d vard <<SQL >"$work/load.log" 2>&1
CREATE TABLE enheter (enhet_id char(8), namn text, regi text, kommun text);
CREATE TABLE kontakter (enhet_id text, "KontaktDatum" date, bedomningsdatum date,
  legitimerad text, patientvald_vantan text, vardgaranti text, kontakt_id text);
CREATE TABLE samtal (enhet_id text, samtal_tid timestamp, besvarad_tid timestamp,
  inom_oppettid text, samtal_id text);
CREATE TABLE listning (patient_id text, enhet_id text, fast_lakare text, sabo text);
CREATE TABLE besok (patient_id text, enhet_id text, vardgivare_id text, yrke text,
  besoksdatum date, besokstyp text);
CREATE TABLE aggregat (indikator text, enhet_id text, period text, taljare integer,
  namnare double precision);
CREATE TABLE lakare (vardgivare_id text, enhet_id text, tjanstgoringsgrad numeric(3,2), st text);
\copy enheter FROM '$x/enheter.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
\copy kontakter FROM '$x/kontakter.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
\copy samtal FROM '$x/samtal.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
\copy listning FROM '$x/listning.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
\copy besok FROM '$x/besok.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
\copy aggregat FROM '$x/aggregat.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
\copy lakare FROM '$x/lakare.csv' WITH (FORMAT csv, HEADER, DELIMITER ';')
ALTER TABLE kontakter ALTER legitimerad TYPE boolean USING legitimerad = 'J';
ALTER TABLE kontakter ALTER vardgaranti TYPE boolean USING vardgaranti = 'J';
ALTER TABLE lakare ALTER st TYPE boolean USING st = 'J';
ALTER TABLE samtal ALTER inom_oppettid TYPE boolean USING inom_oppettid = 'J';
ALTER TABLE listning ALTER sabo TYPE boolean USING sabo = 'J';
-- A function that drops its own connection mid-query, every time or once.
CREATE SEQUENCE drops;
CREATE FUNCTION drop_always() RETURNS boolean LANGUAGE plpgsql AS
  \$\$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(1); RETURN true; END \$\$;
CREATE FUNCTION drop_once() RETURNS boolean LANGUAGE plpgsql AS
  \$\$ BEGIN IF nextval('drops') = 1 THEN PERFORM drop_always(); END IF; RETURN true; END \$\$;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO uppfolj;
GRANT USAGE ON SEQUENCE drops TO uppfolj;
SQL
if [ $? = 0 ]; then ok "the demo region is loaded with COPY"; else not_ok "the demo region is loaded with COPY" "$(tail -n 5 "$work/load.log")"; fi

# ---- unixODBC's config, in the temp folder ----------------------------------
mkdir "$work/odbc"
cat >"$work/odbc/odbcinst.ini" <<INI
[PostgreSQL Unicode]
Driver=$driver
INI
# BoolsAsChar=0: booleans come as SQL bits (J/N); the connection string
# below leaves psqlODBC's default, "1"/"0".  UseDeclareFetch: a cursor, so
# that not even the driver holds the whole result.
cat >"$work/odbc/odbc.ini" <<INI
[vard]
Driver=PostgreSQL Unicode
Servername=127.0.0.1
Port=$port
Database=vard
BoolsAsChar=0
UseDeclareFetch=1
Fetch=1000
INI
export ODBCSYSINI="$work/odbc" ODBCINI="$work/odbc/odbc.ini"
export UF_TEST_PW="$pw"
printf '%s\n' "$pw" >"$pg/pw" # a password_file outside the folders grepped below

# expect_kept NAME EXIT CMD...: expect, every output kept for the password check
expect_kept() {
    expect "$@"
    cat "$work/out" "$work/err" >>"$work/all-output.log"
}

# ---- the file run, the reference ---------------------------------------------
export SOURCE_DATE_EPOCH=1725580800
expect_kept "the file run publishes" 0 "$uf" run --config "$region/uppfolj.json" --period 2024-08
reference=$region/rapporter/2024-08/resultat-2024-08.csv

# ---- the same region from the database ---------------------------------------
db=$work/db
mkdir -p "$db/sql"
cp -r "$region/targets.json" "$region/indikatorer" "$region/kommentarer" "$db/"
cat >"$db/sql/kontakter.sql" <<'SQL'
-- Contacts of the 13 months of the trend: {from} and {to} are bound as dates.
SELECT enhet_id, "KontaktDatum", bedomningsdatum, legitimerad, patientvald_vantan, vardgaranti,
  kontakt_id
FROM kontakter
WHERE "KontaktDatum" BETWEEN {from} AND {to}
ORDER BY kontakt_id
SQL
cat >"$db/sql/besok.sql" <<'SQL'
SELECT patient_id, enhet_id, vardgivare_id, yrke, besoksdatum, besokstyp
FROM besok WHERE besoksdatum BETWEEN {from} AND {to}
ORDER BY patient_id, besoksdatum, vardgivare_id, besokstyp
SQL
cat >"$db/sql/aggregat.sql" <<'SQL'
SELECT indikator, enhet_id, period, taljare, namnare FROM aggregat
WHERE period <= {period} ORDER BY period, indikator, enhet_id
SQL
# config_in DIR SOURCES...: DIR/uppfolj.json, the region's config with these
# sources (JSON objects; PORT is the server's); config SOURCES...: in $db
config_in() {
    python3 - "$1/uppfolj.json" "$port" "$@" <<'PY'
import json, sys
path, port, _, *sources = sys.argv[1:]
dsn = {"dsn": "vard", "user": "uppfolj", "password_env": "UF_TEST_PW", "retries": 1}
c = {"region": {"name": "Region Test", "kolada_id": "0007"}, "board": "Nämnden för test",
     "extracts": "extrakt/{period}", "archive": "arkiv", "reports": "rapporter",
     "targets": "targets.json", "comments": "kommentarer", "indicators": "indikatorer",
     "columns": {"kontakter.csv": {"kontaktdatum": "KontaktDatum"}}, "sources": []}
for s in sources:
    s = json.loads(s.replace("PORT", port))
    c["sources"].append(s if "connection" in s else {**dsn, **s})
json.dump(c, open(path, "w"), indent=2, ensure_ascii=False)
PY
}
config() { config_in "$db" "$@"; }
src_enheter='{"id": "enheter-dw", "kind": "odbc", "file": "enheter.csv",
  "query": "SELECT enhet_id, namn, regi, kommun FROM enheter ORDER BY enhet_id"}'
src_kontakter='{"id": "kontakter-dw", "kind": "odbc", "file": "kontakter.csv",
  "query_file": "sql/kontakter.sql", "months": 13}'
src_samtal='{"id": "samtal-dw", "kind": "odbc", "file": "samtal.csv", "months": 13,
  "query": "SELECT * FROM samtal WHERE CAST(samtal_tid AS date) BETWEEN {from} AND {to} ORDER BY samtal_id"}'
src_listning='{"id": "listning-dw", "kind": "odbc", "file": "listning.csv",
  "connection": "Driver={PostgreSQL Unicode};Servername=127.0.0.1;Port=PORT;Database=vard;UseDeclareFetch=1",
  "user": "uppfolj", "password_file": "'"$pg/pw"'",
  "query": "SELECT patient_id, enhet_id, fast_lakare, sabo FROM listning ORDER BY patient_id"}'
src_besok='{"id": "besok-dw", "kind": "odbc", "file": "besok.csv", "query_file": "sql/besok.sql", "months": 30}'
src_aggregat='{"id": "aggregat-dw", "kind": "odbc", "file": "aggregat.csv", "query_file": "sql/aggregat.sql"}'
src_lakare='{"id": "lakare-dw", "kind": "odbc", "file": "lakare.csv",
  "query": "SELECT vardgivare_id, enhet_id, tjanstgoringsgrad, st FROM lakare ORDER BY vardgivare_id"}'
all_sources() {
    config "$src_enheter" "$src_kontakter" "$src_samtal" "$src_listning" "$src_besok" "$src_aggregat" \
        "$src_lakare" "$@"
}
all_sources

pub=$db/rapporter/2024-08
expect_kept "run with odbc sources publishes" 0 "$uf" run --config "$db/uppfolj.json" --period 2024-08
if [ ! -e "$db/extrakt" ] && cmp -s "$reference" "$pub/resultat-2024-08.csv"; then
    ok "the figures from the database are the file run's: resultat-2024-08.csv byte-identical"
else
    not_ok "the figures from the database are the file run's: resultat-2024-08.csv byte-identical" \
        "$(diff "$reference" "$pub/resultat-2024-08.csv" 2>&1 | head -n 10)"
fi
for role in '"role": "odbc"' '"role": "sql"' '"role": "odbc-drivrutin"' '"name": "kontakter.sql"' \
    '"origin": "kontakter-dw (sql/kontakter.sql)"'; do
    contains "the manifest names $role" "$pub/manifest.json" "$role"
done
# The archived description of a pull: driver, DBMS, parameters, rows.
obj() { # ROLE NAME: the archive object the manifest names
    python3 - "$pub/manifest.json" "$1" "$2" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for i in m["inputs"]:
    if i["role"] == sys.argv[2] and i["name"] == sys.argv[3]:
        print(f'{m["archive"]}/{i["sha256"][:2]}/{i["sha256"][2:]}')
PY
}
desc=$(obj odbc-drivrutin kontakter.odbc.json)
contains "the pull names the driver" "$desc" '"name": "psqlodbcw.so"'
contains "the pull names the DBMS" "$desc" '"name": "PostgreSQL"'
contains "the pull records the bound {from}" "$desc" '"value": "2023-08-01"'
contains "the pull records the bound {to}" "$desc" '"value": "2024-08-31"'
if cmp -s "$(obj sql kontakter.sql)" "$db/sql/kontakter.sql"; then ok "the query file is archived as written"
else not_ok "the query file is archived as written"; fi
csv=$(obj odbc enheter.csv)
if grep -q '^VC001;' "$csv" && ! grep -q 'VC001 ' "$csv"; then ok "CHAR(8) ids come without their padding"
else not_ok "CHAR(8) ids come without their padding" "$(head -n 3 "$csv")"; fi
if grep -q ';J;T[0-9]' "$(obj odbc samtal.csv)" && grep -q ';[01]$' "$(obj odbc listning.csv)"; then
    ok "booleans come as bits (J/N) or as the driver's text (1/0)"
else not_ok "booleans come as bits (J/N) or as the driver's text (1/0)"; fi

# The same rows give the same bytes: a second pull archives the same objects.
expect_kept "fetch pulls the odbc sources again" 0 "$uf" fetch --config "$db/uppfolj.json" --period 2024-08
shas() { python3 -c 'import json, sys; print(sorted(i["sha256"] for i in json.load(open(sys.argv[1]))))' "$1"; }
if [ "$(shas "$db/arkiv/hamtat/2024-08.json")" = "$(python3 -c '
import json, sys
print(sorted(i["sha256"] for i in json.load(open(sys.argv[1]))["inputs"] if i["role"] in ("odbc", "sql", "odbc-drivrutin")))' "$pub/manifest.json")" ]; then
    ok "the same rows give the same bytes: every pulled object is the same again"
else not_ok "the same rows give the same bytes: every pulled object is the same again"; fi

# ---- the byte-stable CSV, value by value ----------------------------------------
enc=$work/enc
mkdir -p "$enc"
cp -r "$db/targets.json" "$db/indikatorer" "$enc/"
cat >"$enc/typer.sql" <<'SQL'
SELECT * FROM (VALUES
  (1, 'a;b', 'VC1'::char(5), DATE '2024-08-01', TIMESTAMP '2024-08-01 07:05:09.75',
   1100::double precision, 0.855::numeric(6,3), true, 'Läkare 😀', '😀'::varchar(1)),
  (2, 'sa "hej"', 'VC22', NULL, NULL, 0.1::double precision, NULL, false, E'två\nrader', 'ä'),
  (3, '', NULL, DATE '2023-12-31', TIMESTAMP '2024-02-29 23:59:00', -0.0000001::double precision,
   12::numeric(6,3), NULL, NULL, NULL)
) AS t(n, "text;kolumn", fast, datum, tid, tal, andel, flagga, namn, kort) ORDER BY n
SQL
config_in "$enc" '{"id": "typer", "kind": "odbc", "file": "aggregat.csv", "query_file": "typer.sql"}'
expect_kept "fetch pulls every type" 0 "$uf" fetch --config "$enc/uppfolj.json" --period 2024-08
got=$(python3 - "$enc/arkiv" <<'PY'
import json, sys
sha = json.load(open(sys.argv[1] + "/hamtat/2024-08.json"))[0]["sha256"]
print(f"{sys.argv[1]}/{sha[:2]}/{sha[2:]}")
PY
)
printf '%s\n' 'n;"text;kolumn";fast;datum;tid;tal;andel;flagga;namn;kort' \
    '1;"a;b";VC1;2024-08-01;2024-08-01 07:05:09;1100;0.855;J;Läkare 😀;😀' \
    '2;"sa ""hej""";VC22;;;0.1;;N;"två' 'rader";ä' \
    '3;;;2023-12-31;2024-02-29 23:59:00;-0.0000001;12;;;' >"$work/enc-want"
if cmp -s "$work/enc-want" "$got"; then ok "the CSV: ; and RFC 4180 quotes, NULL empty, SPEC's dates, decimal point, J/N, UTF-8"
else not_ok "the CSV: ; and RFC 4180 quotes, NULL empty, SPEC's dates, decimal point, J/N, UTF-8" "$(diff "$work/enc-want" "$got")"; fi

config_in "$enc" '{"id": "typer", "kind": "odbc", "file": "aggregat.csv",
  "query": "SELECT repeat('"'"'x'"'"', 4001) AS namn"}'
expect_kept "a value longer than any field is rejected" 3 "$uf" fetch --config "$enc/uppfolj.json" --period 2024-08
contains "the rejection names the row and the column, not the value" "$work/err" \
    'typer (frågan i uppfolj.json): rad 1 i frågans resultat, kolumnen "namn": värdet är längre än 4000 tecken'

# ---- placeholders are parameters, never text ---------------------------------------
config_in "$enc" '{"id": "typer", "kind": "odbc", "file": "aggregat.csv",
  "query": "SELECT 1 AS n\nWHERE '"'"'{period}'"'"' > '"'"'x'"'"'"}'
expect_kept "a placeholder in quotes is refused" 3 "$uf" check --config "$enc/uppfolj.json" --period 2024-08
contains "the refusal says where, and why" "$work/err" "frågans rad 2, kolumn 8: {period} står inom citattecken"
printf 'SELECT 1 AS n WHERE 1 = ?\n' >"$enc/typer.sql"
config_in "$enc" '{"id": "typer", "kind": "odbc", "file": "aggregat.csv", "query_file": "typer.sql"}'
expect_kept "a bare ? in a query file is refused" 3 "$uf" fetch --config "$enc/uppfolj.json" --period 2024-08
contains "the refusal names the file, line and column" "$work/err" "typer.sql, rad 1, kolumn 25: frågan har ett ?"
config_in "$enc" '{"id": "typer", "kind": "odbc", "file": "aggregat.csv", "query": "SELECT 1",
  "connection": "Driver={PostgreSQL Unicode};Servername=127.0.0.1;UID=uppfolj;PWD=x"}'
expect_kept "a password in the connection string is refused" 3 "$uf" check --config "$enc/uppfolj.json" --period 2024-08
contains "the refusal points at password_env" "$work/err" 'connection bär en hemlighet (nyckeln "PWD")'

# ---- rerun and run --offline without a database --------------------------------------
stop_pg
expect_kept "rerun with the database stopped" 0 "$uf" rerun "$pub/manifest.json" --out "$work/rerun"
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    if cmp -s "$work/rerun/$f" "$pub/$f"; then ok "rerun $f is byte-identical"; else not_ok "rerun $f is byte-identical"; fi
done
expect_kept "run --offline with the database stopped uses what was fetched" 0 \
    "$uf" run --offline --config "$db/uppfolj.json" --period 2024-08
if cmp -s "$reference" "$pub/resultat-2024-08.csv"; then ok "run --offline gives the same figures"; else not_ok "run --offline gives the same figures"; fi

# nothing_published NAME: the published report is as it was
sum=$(sha256sum "$pub/manifest.json")
nothing_published() {
    if [ "$(sha256sum "$pub/manifest.json")" = "$sum" ] && grep -q "ingenting publicerades" "$work/err"; then
        ok "$1 publishes nothing"
    else not_ok "$1 publishes nothing" "$(head -c 400 "$work/err")"; fi
}
# Every object of a pull is checked where it is used, as any input is: a
# changed one stops rerun and run --offline, and nothing is published.
for what in "odbc kontakter.csv" "sql kontakter.sql" "odbc-drivrutin kontakter.odbc.json"; do
    set -- $what
    o=$(obj "$1" "$2")
    cp "$o" "$work/kept-object"
    chmod u+w "$o" && printf 'x' >>"$o"
    expect_kept "rerun refuses a changed $1 object" 1 "$uf" rerun "$pub/manifest.json" --out "$work/rerun-$1"
    contains "rerun names the changed $1 object" "$work/err" "arkivobjektet för $2 ($1) har ändrats"
    expect_kept "run --offline refuses a changed $1 object" 1 \
        "$uf" run --offline --config "$db/uppfolj.json" --period 2024-08
    contains "run --offline names the changed $1 object" "$work/err" "arkivobjektet för $2 ($1) har ändrats"
    nothing_published "run --offline with a changed $1 object"
    cat "$work/kept-object" >"$o" && chmod a-w "$o"
done
expect_kept "run with the database stopped fails" 1 "$uf" run --config "$db/uppfolj.json" --period 2024-08
contains "the failure names the source, the query and the SQLSTATE, after retrying" "$work/err" \
    "uppfolj: enheter-dw (frågan i uppfolj.json): kunde inte ansluta till databasen (DSN=vard): SQLSTATE 08001: "
contains "the driver's own text is passed on" "$work/err" "Connection refused"
contains "the connection was tried again" "$work/err" "(efter 2 försök)"
nothing_published "a stopped database"
start_pg || not_ok "PostgreSQL starts again"

# ---- a wrong password, a dropped connection, a query error, a missing column ----------
UF_TEST_PW=$wrong
expect_kept "a wrong password fails" 1 "$uf" run --config "$db/uppfolj.json" --period 2024-08
UF_TEST_PW=$pw
contains "the failure gives the driver's reason" "$work/err" \
    'enheter-dw (frågan i uppfolj.json): kunde inte ansluta till databasen (DSN=vard): SQLSTATE 08001: connection to server at "127.0.0.1", port '"$port"' failed: FATAL: password authentication failed for user "uppfolj"'
nothing_published "a wrong password"

sed -i 's/^WHERE /WHERE drop_always() AND /' "$db/sql/kontakter.sql"
expect_kept "a connection dropped mid-query fails" 1 "$uf" run --config "$db/uppfolj.json" --period 2024-08
contains "the failure says the connection was lost, with its SQLSTATE" "$work/err" \
    "kontakter-dw (sql/kontakter.sql): frågan misslyckades: SQLSTATE 08S01: FATAL: terminating connection"
contains "the lost connection was tried again" "$work/err" "(efter 2 försök)"
nothing_published "a dropped connection"
sed -i 's/drop_always()/drop_once()/' "$db/sql/kontakter.sql"
expect_kept "a connection dropped once is pulled again" 0 "$uf" fetch --config "$db/uppfolj.json" --period 2024-08
if [ "$(psql -d vard -At -c 'SELECT last_value > 1 FROM drops')" = t ]; then ok "the second attempt ran the query again"
else not_ok "the second attempt ran the query again"; fi
sed -i 's/drop_once() AND //' "$db/sql/kontakter.sql"

sed -i 's/^FROM kontakter$/FROM kontaktr/' "$db/sql/kontakter.sql"
expect_kept "a query error fails as a config error" 3 "$uf" run --config "$db/uppfolj.json" --period 2024-08
contains "the failure names the query file and the driver's error" "$work/err" \
    'uppfolj: kontakter-dw (sql/kontakter.sql): frågan misslyckades: SQLSTATE 42P01: ERROR: relation "kontaktr" does not exist'
nothing_published "a query error"
sed -i 's/^FROM kontaktr$/FROM kontakter/' "$db/sql/kontakter.sql"

sed -i 's/, bedomningsdatum, legitimerad/, bedomningsdatum, legitimerd/' "$db/sql/kontakter.sql"
expect_kept "a column missing in the table fails" 3 "$uf" run --config "$db/uppfolj.json" --period 2024-08
contains "the failure names the column" "$work/err" 'SQLSTATE 42703: ERROR: column "legitimerd" does not exist'
nothing_published "a column missing in the table"
sed -i 's/, bedomningsdatum, legitimerd/, bedomningsdatum/' "$db/sql/kontakter.sql"
expect_kept "a column missing in the result is rejected" 3 "$uf" run --config "$db/uppfolj.json" --period 2024-08
contains "the rejection names the extract, the source and the query file" "$work/err" \
    'uppfolj: kontakter.csv från kontakter-dw (sql/kontakter.sql), rad 1 (legitimerad): kolumnen "legitimerad" saknas i rubrikraden'
nothing_published "a column missing in the result"
sed -i 's/, bedomningsdatum,/, bedomningsdatum, legitimerad,/' "$db/sql/kontakter.sql"

config "$src_enheter" '{"id": "samtal-dw", "kind": "odbc", "file": "samtal.csv", "timeout_s": 1,
  "query": "SELECT * FROM samtal WHERE pg_sleep(5) IS NOT NULL"}'
expect_kept "a query past timeout_s fails" 1 "$uf" fetch --config "$db/uppfolj.json" --period 2024-08
contains "the failure says the query took too long" "$work/err" "en fråga får ta högst timeout_s = 1 s"

# ---- the pull's temporary file in arkiv/tmp ---------------------------------------
# A pull held up by the server: its rows' file is locked in arkiv/tmp/, removed
# on SIGTERM, and what SIGKILL leaves is swept by the next fetch.
config "$src_enheter" '{"id": "samtal-dw", "kind": "odbc", "file": "samtal.csv",
  "query": "SELECT * FROM samtal WHERE pg_sleep(30) IS NOT NULL"}'
pulling() { # start a fetch and wait until its odbc-* file is in arkiv/tmp
    "$uf" fetch --config "$db/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/err" &
    pid=$!
    for _ in $(seq 1 500); do
        ls "$db/arkiv/tmp/" 2>/dev/null | grep -q '^odbc-' && return 0
        sleep 0.02
    done
    return 1
}
odbc_tmp() { ls "$db/arkiv/tmp/" 2>/dev/null | grep '^odbc-'; }
if pulling; then
    kill -TERM $pid
    wait $pid
    rc=$?
    check "SIGTERM while pulling: the fetch dies of it (status $rc)" [ "$rc" = 143 ]
    check "SIGTERM while pulling: no odbc-* file is left" [ -z "$(odbc_tmp)" ]
else kill -KILL $pid 2>/dev/null; not_ok "a fetch held up while pulling"; fi
if pulling; then
    kill -KILL $pid
    wait $pid 2>/dev/null
    check "SIGKILL while pulling leaves its odbc-* file" [ -n "$(odbc_tmp)" ]
    config "$src_enheter"
    expect_kept "the next fetch" 0 "$uf" fetch --config "$db/uppfolj.json" --period 2024-08
    check "sweeps the odbc-* file the killed fetch left" [ -z "$(odbc_tmp)" ]
else kill -KILL $pid 2>/dev/null; not_ok "a fetch held up while pulling"; fi
psql -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'vard'" >/dev/null

# ---- memory does not grow with rows -------------------------------------------------
# A thousand rows, then 300,000: the program's peak memory may not follow.
rows() { # N: the peak RSS in kB of a fetch of N listing rows
    config "{\"id\": \"stor\", \"kind\": \"odbc\", \"file\": \"listning.csv\",
      \"query\": \"SELECT 'P' || g AS patient_id, 'VC00' || (g % 6) AS enhet_id, 'L' || (g % 900) AS fast_lakare, g % 7 = 0 AS sabo FROM generate_series(1, $1) g ORDER BY g\"}"
    python3 - "$uf" "$db/uppfolj.json" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "fetch", "--config", sys.argv[2], "--period", "2024-08"],
               check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
# ASan would hold freed memory in its quarantine: not what is measured here.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0"
small=$(rows 1000) big=$(rows 300000)
if [ -n "$small" ] && [ -n "$big" ] && [ $((big - small)) -lt 8192 ]; then
    ok "memory does not grow with rows (peak ${small} kB for 1000 rows, ${big} kB for 300000)"
else not_ok "memory does not grow with rows" "peak ${small:-?} kB for 1000 rows, ${big:-?} kB for 300000"; fi

# ---- the password is nowhere ----------------------------------------------------------
# Even where the driver's message holds it: a query naming a table after the
# password (kept, with its archive, outside the folder grepped below).
mkdir "$pg/scrub"
cp -r "$db/targets.json" "$db/indikatorer" "$pg/scrub/"
printf 'SELECT 1 AS n FROM "%s"\n' "$pw" >"$pg/scrub/fraga.sql"
config_in "$pg/scrub" '{"id": "eko", "kind": "odbc", "file": "aggregat.csv", "query_file": "fraga.sql"}'
expect_kept "a driver's message that holds the password fails" 3 "$uf" fetch --config "$pg/scrub/uppfolj.json" --period 2024-08
contains "the message shows REDACTED where the driver wrote the password" "$work/err" \
    'eko (fraga.sql): frågan misslyckades: SQLSTATE 42P01: ERROR: relation "REDACTED" does not exist'
if grep -rlaF -e "$pw" -e "$wrong" "$work"; then
    not_ok "the password is in no output, log, manifest or archive object"
else ok "the password is in no output, log, manifest or archive object"; fi
finish
