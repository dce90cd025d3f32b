#!/bin/sh
# tests/cli.sh UPPFOLJ — the command line end to end, as a controller uses
# it: exit codes, what is published, the lock, the archive.  Prints TAP.
set -u
uf=$1
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- usage: exit 2 ----------------------------------------------------------
expect "no verb is a usage error" 2 "$uf"
expect "unknown verb" 2 "$uf" frobnicate
expect "unknown flag" 2 "$uf" run --frobnicate
expect "flag of another verb" 2 "$uf" run --data x
expect "malformed period" 2 "$uf" compute --data . --period 2024-13
contains "malformed period says the form" "$work/err" "ÅÅÅÅ-MM"
expect "--help" 0 "$uf" --help
contains "--help lists run" "$work/out" "run"
for v in run compute check generate; do
    expect "$v --help" 0 "$uf" $v --help
done
expect "generate needs --out" 2 "$uf" generate
# SOURCE_DATE_EPOCH sets the run time; one that is not a time must not be
# passed over for the clock.
for bad in abc 12x -5 1.5 99999999999999999999; do
    expect "SOURCE_DATE_EPOCH=$bad is a usage error" 2 env SOURCE_DATE_EPOCH=$bad \
        "$uf" compute --data "$top/tests/golden/compute/bedomning/data" --period 2024-08
done
contains "an invalid SOURCE_DATE_EPOCH is named" "$work/err" \
    "uppfolj: SOURCE_DATE_EPOCH ska vara sekunder sedan 1970-01-01 (ett heltal, som från date +%s), inte \"99999999999999999999\""
expect "an empty SOURCE_DATE_EPOCH is no time set" 0 env SOURCE_DATE_EPOCH= \
    "$uf" compute --data "$top/tests/golden/compute/bedomning/data" --period 2024-08

# ---- compute --data on the hand-computed golden cases ------------------------------
# The same counts and values as tests/golden/compute expects, through the command
# line with the built-in definitions (so targets and statuses are left out here).
for case in "$top"/tests/golden/compute/*/; do
    name=$(basename "$case")
    set -- compute --data "$case/data" --period "$(cat "$case/period")"
    if [ -f "$case/indicator" ]; then
        id=$(cat "$case/indicator")
        [ -f "$top/indicators/$id.json" ] || continue # a region's own definition: no --data
        set -- "$@" --indicator "$id"
    fi
    "$uf" "$@" 2>"$work/err" | cut -d';' -f1-6 >"$work/got"
    cut -d';' -f1-6 "$case/expected.csv" >"$work/want"
    if cmp -s "$work/got" "$work/want"; then ok "compute --data matches the hand count: $name"
    else not_ok "compute --data matches the hand count: $name" "$(diff "$work/want" "$work/got" | head -8)"; fi
done

# ---- a small region -----------------------------------------------------------
region=$work/region
check "generate a small region" make_region "$uf" "$region"

# An open action from June that August's comments leave out is carried forward.
cat >"$region/kommentarer/2024-06.json" <<'EOF'
{"fast_lakarkontakt": {"analysis": "Vakanser.", "actions": [
  {"action": "Rekrytera specialister i allmänmedicin", "owner": "Primärvårdschef",
   "due": "2024-07-31", "done": ""},
  {"action": "Stängd åtgärd", "owner": "Primärvårdschef", "due": "2024-07-31", "done": "Klar"}]}}
EOF
expect "check passes" 0 "$uf" check --config "$region/uppfolj.json" --period 2024-08
contains "check warns of an indicator without owner" "$work/err" "ägare saknas"
contains "check warns of a missed target without analysis" "$work/err" "och analys saknas"
contains "check warns of a carried overdue action" "$work/err" "från 2024-06"
contains "check warns of an empty document block" "$work/err" "dokumentblocket saknar Dokument-ID"
expect "check --strict makes the warnings errors" 3 "$uf" check --strict --config "$region/uppfolj.json" --period 2024-08
expect "compute prints figures" 0 "$uf" compute --config "$region/uppfolj.json" --period 2024-08
contains "compute has the resultat header" "$work/out" "indikator;enhet_id;period;taljare;namnare;varde;mal;status"
contains "compute has a region row" "$work/out" "bedomning_3d;REGION;2024-08;"

export SOURCE_DATE_EPOCH=1725606900 # 2024-09-06 07:15 UTC
expect "run publishes" 0 "$uf" run --config "$region/uppfolj.json" --period 2024-08
pub=$region/rapporter/2024-08
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    if [ -s "$pub/$f" ]; then ok "published $f"; else not_ok "published $f" "missing"; fi
done
contains "run says where the report is" "$work/out" "$pub"
if ls -a "$region/rapporter" | grep -q '\.new-'; then not_ok "no staging folder left" "$(ls -a "$region/rapporter")"; else ok "no staging folder left"; fi

# Every output's checksum in the manifest is right; every input is in the archive.
if python3 - "$pub" "$region/arkiv" <<'PY'
import hashlib, json, os, sys
pub, arkiv = sys.argv[1:]
m = json.load(open(f"{pub}/manifest.json"))
assert m["period"] == "2024-08" and m["run_time"] == "2024-09-06T07:15:00Z", m["run_time"]
outs = {o["name"]: o for o in m["outputs"]}
assert set(outs) == {"uppfolj-2024-08.xlsx", "uppfolj-2024-08.pdf", "resultat-2024-08.csv"}, outs
for name, o in outs.items():
    assert hashlib.sha256(open(f"{pub}/{name}", "rb").read()).hexdigest() == o["sha256"], name
roles = {i["role"] for i in m["inputs"]}
assert {"config", "targets", "indikator", "extrakt"} <= roles, roles
for i in m["inputs"]:
    obj = f"{arkiv}/{i['sha256'][:2]}/{i['sha256'][2:]}"
    assert hashlib.sha256(open(obj, "rb").read()).hexdigest() == i["sha256"], obj
    assert not os.access(obj, os.W_OK) or os.geteuid() == 0, obj
    assert os.stat(obj).st_mode & 0o222 == 0, obj
PY
then ok "manifest checksums and archive objects agree"; else not_ok "manifest checksums and archive objects agree"; fi

pdftotext "$pub/uppfolj-2024-08.pdf" "$work/carried.txt"
contains "an open action from an earlier month is carried forward" "$work/carried.txt" "Rekrytera specialister i allmänmedicin"
if grep -q "Stängd åtgärd" "$work/carried.txt"; then not_ok "a closed action is not carried forward"; else ok "a closed action is not carried forward"; fi
contains "earlier comment files are archived inputs" "$pub/manifest.json" '"name": "2024-06.json"'

# Suppressed figures keep no counts in the published resultat file.
if awk -F';' '$8 == "for_litet_underlag" && ($4 != "" || $6 != "") { bad = 1 } END { exit bad }' \
    "$pub/resultat-2024-08.csv"; then ok "suppressed figures have no taljare or varde"; else not_ok "suppressed figures have no taljare or varde"; fi
if grep -q ';0,' "$pub/resultat-2024-08.csv"; then not_ok "resultat uses decimal points"; else ok "resultat uses decimal points"; fi

# No patient id leaves compute: not in the CSV, the workbook's XML or the PDF's text.
cut -d';' -f1 "$region/extrakt/2024-08/listning.csv" | tail -n +2 | head -200 >"$work/ids"
mkdir -p "$work/x" && (cd "$work/x" && unzip -q -o "$pub/uppfolj-2024-08.xlsx")
pdftotext "$pub/uppfolj-2024-08.pdf" "$work/pdf.txt"
if cat "$pub"/*.csv "$pub/manifest.json" "$work/pdf.txt" "$work"/x/xl/worksheets/*.xml \
    "$work/x/xl/sharedStrings.xml" | grep -qFf "$work/ids"; then
    not_ok "no patient id in any output"
else ok "no patient id in any output"; fi

# A second run of the period keeps the first edition under tidigare/.
export SOURCE_DATE_EPOCH=1725693300 # a day later
expect "a re-run publishes again" 0 "$uf" run --config "$region/uppfolj.json" --period 2024-08
if [ -s "$pub/tidigare/2024-09-06T071500Z/manifest.json" ]; then ok "previous edition kept in tidigare/"; else not_ok "previous edition kept in tidigare/" "$(find "$pub" | head)"; fi
contains "the new edition has the new run time" "$pub/manifest.json" "2024-09-07T07:15:00Z"

# A late delivery changes figures: the run says so, and the workbook lists them.
sed -i '5,200s/;J;N;K/;N;N;K/' "$region/extrakt/2024-08/kontakter.csv"
export SOURCE_DATE_EPOCH=1725779700 # two days later
expect "a late delivery publishes a third edition" 0 "$uf" run --config "$region/uppfolj.json" --period 2024-08
contains "the run counts the restated figures" "$work/err" "siffror skiljer sig från tidigare publicerade rapporter"
contains "the manifest archives the previous edition's figures" "$pub/manifest.json" '"role": "tidigare"'
if [ -d "$pub/tidigare/2024-09-06T071500Z" ] && [ -d "$pub/tidigare/2024-09-07T071500Z" ]; then ok "both earlier editions are kept"; else not_ok "both earlier editions are kept" "$(ls "$pub/tidigare")"; fi

# The secretaries' page lists the period, and every link on it resolves.
idx=$region/rapporter/index.html
contains "index.html lists the period" "$idx" "augusti 2024"
contains "index.html lists an earlier edition" "$idx" "Tidigare utgåva"
if python3 - "$idx" <<'PY'
import html.parser, os, sys
page = sys.argv[1]
class Links(html.parser.HTMLParser):
    hrefs = []
    def handle_starttag(self, tag, attrs):
        self.hrefs += [v for k, v in attrs if k == "href"]
p = Links(); p.feed(open(page, encoding="utf-8").read())
assert len(p.hrefs) >= 8, p.hrefs
bad = [h for h in p.hrefs if h.startswith(("/", "http")) or
       not os.path.isfile(os.path.join(os.path.dirname(page), h))]
assert not bad, bad
assert "<script" not in open(page).read()
PY
then ok "every link on index.html is relative and resolves"; else not_ok "every link on index.html is relative and resolves"; fi
if command -v chromium >/dev/null; then
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/chromium" --window-size=1200,700 \
        --screenshot="$work/index.png" "file://$idx" >/dev/null 2>&1
    if [ -s "$work/index.png" ]; then
        mkdir -p "${UF_TEST_OUT:-$work}" && cp "$work/index.png" "${UF_TEST_OUT:-$work}/index.png"
        ok "Chromium renders index.html (screenshot: ${UF_TEST_OUT:-$work}/index.png)"
    else not_ok "Chromium renders index.html"; fi
fi

# ---- auditors: rerun, verify, history ---------------------------------------------
expect "history lists both runs" 0 "$uf" history 2024-08 --config "$region/uppfolj.json"
contains "history shows the first run" "$work/out" "2024-09-06T07:15:00Z"
contains "history names the changed extract" "$work/out" "ändrad extrakt: kontakter.csv"
contains "history shows the newest run as published" "$work/out" "(publicerad)"
expect "verify passes on an untouched report" 0 "$uf" verify "$pub"
mv "$region/extrakt" "$work/extrakt-away"
expect "rerun from the archive alone" 0 env TZ=America/Los_Angeles "$uf" rerun "$pub/manifest.json" --out "$work/rerun"
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    if cmp -s "$work/rerun/$f" "$pub/$f"; then ok "rerun $f is byte-identical"; else not_ok "rerun $f is byte-identical"; fi
done
if grep -q "varning" "$work/err"; then not_ok "the rerun by the same program, libraries and fonts warns of nothing" "$(cat "$work/err")"
else ok "the rerun by the same program, libraries and fonts warns of nothing"; fi
# A run made with another cairo and another font file, and one by an older
# uppfolj that recorded neither: both rerun, and say why the bytes may differ.
python3 - "$pub/manifest.json" "$work" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["libraries"]["cairo"] = "1.14.0"
m["fonts"][0]["sha256"] = "0" * 64
json.dump(m, open(sys.argv[2] + "/other.json", "w"))
for k in ("revision", "libraries", "fonts"):
    del m[k]
json.dump(m, open(sys.argv[2] + "/older.json", "w"))
PY
expect "rerun of a run made with other libraries still reruns" 0 "$uf" rerun "$work/other.json" --out "$work/rerun-other"
contains "that rerun names the library" "$work/err" "varning: cairo är 1.14.0 i manifestet men "
contains "that rerun names the font" "$work/err" "som körningen bäddade in används inte nu"
contains "that rerun says identical bytes cannot be promised" "$work/err" "byte för byte lika originalen kan då inte utlovas"
expect "rerun of an older manifest without them still reruns" 0 "$uf" rerun "$work/older.json" --out "$work/rerun-older"
contains "that rerun says what the manifest lacks" "$work/err" "manifestet anger inte alla av program, källrevision, bibliotek och typsnitt"
if cmp -s "$work/rerun-older/uppfolj-2024-08.pdf" "$pub/uppfolj-2024-08.pdf"; then ok "that rerun gives the same PDF"
else not_ok "that rerun gives the same PDF"; fi
mv "$work/extrakt-away" "$region/extrakt"
expect "rerun needs --out" 2 "$uf" rerun "$pub/manifest.json"
expect "verify needs a folder" 2 "$uf" verify
printf 'x' >>"$pub/resultat-2024-08.csv"
expect "verify fails on a changed output" 1 "$uf" verify "$pub"
contains "verify names the changed output" "$work/out" "ÄNDRAD   utdata     resultat-2024-08.csv"
object=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); i=[x for x in m['inputs'] if x['role']=='targets'][0]; print(m['archive']+'/'+i['sha256'][:2]+'/'+i['sha256'][2:])" "$pub/manifest.json")
chmod u+w "$object" && printf ' ' >>"$object"
expect "verify fails on a changed archive object" 1 "$uf" verify "$pub"
contains "verify names the changed input" "$work/out" "targets.json (targets)"
expect "rerun refuses a changed archive object" 1 "$uf" rerun "$pub/manifest.json" --out "$work/rerun2"
contains "rerun says which object changed" "$work/err" "har ändrats"

# A run while another holds the period is refused at once.
if command -v flock >/dev/null; then
    flock "$region/rapporter/.2024-08.lock" sleep 5 &
    sleep 0.5
    expect "a concurrent run is refused" 1 "$uf" run --config "$region/uppfolj.json" --period 2024-08
    contains "the refusal says the period is being run" "$work/err" "körs redan"
    kill $! 2>/dev/null
    wait 2>/dev/null
fi

# ---- sources over HTTP: fetch, run --offline, a failing source -------------------
pulled=$work/pulled
cp -r "$region" "$pulled"
rm -rf "$pulled/rapporter" "$pulled/arkiv"
mkdir -p "$work/dw"
mv "$pulled/extrakt/2024-08/samtal.csv" "$work/dw/samtal.csv"
(cd "$work/dw" && exec python3 -u -m http.server --bind 127.0.0.1 0 >"$work/dw.log" 2>&1) &
dw_pid=$!
python3 -u "$top/tests/http_server.py" >"$work/kolada.log" 2>&1 &
kolada_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    dw_port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/dw.log")
    kolada_port=$(head -n 1 "$work/kolada.log")
    [ -n "$dw_port" ] && [ -n "$kolada_port" ] && break
    sleep 0.3
done
# sources PARAMS: the two sources, the warehouse's URL ending in PARAMS
sources() {
    python3 - "$pulled/uppfolj.json" "$dw_port" "$kolada_port" "$1" <<'PY'
import json, sys
path, dw, kolada, params = sys.argv[1:]
c = json.load(open(path))
c["sources"] = [
    {"id": "samtal-dw", "kind": "http", "file": "samtal.csv",
     "url": f"http://127.0.0.1:{dw}/samtal.csv?period={{period}}{params}",
     "token_env": "UF_CLI_DW_TOKEN", "timeout_s": 5, "retries": 1},
    {"id": "kolada", "kind": "kolada", "url": f"http://127.0.0.1:{kolada}/kolada/v3",
     "kpis": ["N79173", "N79179"], "areas": ["0007", "0000"], "years": 2},
]
json.dump(c, open(path, "w"), indent=2, ensure_ascii=False)
PY
}
export UF_CLI_DW_TOKEN=hemligt
# The config is archived byte for byte: a secret in a URL is refused before
# anything is, and the message does not repeat it.
sources "&api_key=hemligt"
expect "a secret in a source URL is refused" 3 "$uf" fetch --config "$pulled/uppfolj.json" --period 2024-08
contains "the refusal points at token_env" "$work/err" 'url bär en hemlighet (parametern "api_key")'
if [ -e "$pulled/arkiv" ] || grep -q hemligt "$work/err"; then not_ok "nothing archived, nothing shown"; else ok "nothing archived, nothing shown"; fi
sources ""
expect "fetch pulls the sources" 0 "$uf" fetch --config "$pulled/uppfolj.json" --period 2024-08
contains "fetch says what it pulled" "$work/out" "Hämtade"
if [ -s "$pulled/arkiv/hamtat/2024-08.json" ]; then ok "fetch leaves an index of the period"; else not_ok "fetch leaves an index of the period"; fi
if grep -rq hemligt "$pulled/arkiv" "$work/out" "$work/err"; then not_ok "the token is nowhere"; else ok "the token is nowhere"; fi
kill "$dw_pid" "$kolada_pid" 2>/dev/null
wait "$dw_pid" "$kolada_pid" 2>/dev/null
expect "run --offline uses what was fetched" 0 "$uf" run --offline --config "$pulled/uppfolj.json" --period 2024-08
contains "the manifest names the pulled extract" "$pulled/rapporter/2024-08/manifest.json" '"role": "http"'
contains "the manifest names the Kolada pages" "$pulled/rapporter/2024-08/manifest.json" '"role": "kolada"'
contains "the pulled calls are computed" "$pulled/rapporter/2024-08/resultat-2024-08.csv" "telefon_samma_dag;REGION;2024-08;"
expect "run with a source down fails" 1 "$uf" run --config "$pulled/uppfolj.json" --period 2024-08
contains "the failure names the source" "$work/err" "samtal-dw"
contains "the failure says nothing was published" "$work/err" "ingenting publicerades"
if grep -q hemligt "$work/err"; then not_ok "the failure shows no secret"; else ok "the failure shows no secret"; fi
if ls "$pulled/rapporter/2024-08/tidigare" >/dev/null 2>&1; then not_ok "a failed run leaves the published report alone"; else ok "a failed run leaves the published report alone"; fi

# ---- JSON rows from a data warehouse: same figures, byte-identical rerun ---------
jrows=$work/jrows
cp -r "$region" "$jrows"
rm -rf "$jrows/rapporter" "$jrows/arkiv"
expect "compute from the CSV extract" 0 "$uf" compute --config "$jrows/uppfolj.json" \
    --period 2024-08 --indicator telefon_samma_dag
grep '^telefon_samma_dag;REGION;2024-08;' "$work/out" >"$work/jrows-want"
mkdir -p "$work/dwjson"
# The same calls as {"rows": [...]}: flags as booleans, no answer as null,
# every other row's keys in capitals (keys match case-insensitively).
python3 - "$jrows/extrakt/2024-08/samtal.csv" "$work/dwjson/samtal.json" <<'PY'
import csv, json, sys
src, dst = sys.argv[1:]
rows = []
for i, r in enumerate(csv.DictReader(open(src, encoding="utf-8-sig", newline=""), delimiter=";")):
    if "inom_oppettid" in r:
        r["inom_oppettid"] = r["inom_oppettid"].upper() == "J"
    r["besvarad_tid"] = r["besvarad_tid"] or None
    rows.append({k.upper() if i % 2 else k: v for k, v in r.items()})
json.dump({"rows": rows}, open(dst, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
rm "$jrows/extrakt/2024-08/samtal.csv"
(cd "$work/dwjson" && exec python3 -u -m http.server --bind 127.0.0.1 0 >"$work/dwjson.log" 2>&1) &
jrows_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    jrows_port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/dwjson.log")
    [ -n "$jrows_port" ] && break
    sleep 0.3
done
python3 - "$jrows/uppfolj.json" "$jrows_port" <<'PY'
import json, sys
path, port = sys.argv[1:]
c = json.load(open(path))
c["sources"] = [{"id": "samtal-dw", "kind": "http", "file": "samtal.csv", "format": "json",
                 "url": f"http://127.0.0.1:{port}/samtal.json?period={{period}}",
                 "timeout_s": 5, "retries": 0}]
json.dump(c, open(path, "w"), indent=2, ensure_ascii=False)
PY
jpub=$jrows/rapporter/2024-08
expect "run with JSON rows publishes" 0 "$uf" run --config "$jrows/uppfolj.json" --period 2024-08
grep '^telefon_samma_dag;REGION;2024-08;' "$jpub/resultat-2024-08.csv" >"$work/jrows-got"
if [ -s "$work/jrows-want" ] && cmp -s "$work/jrows-want" "$work/jrows-got"; then
    ok "JSON rows give the CSV's telefon_samma_dag REGION figure"
else
    not_ok "JSON rows give the CSV's telefon_samma_dag REGION figure" \
        "want $(cat "$work/jrows-want")" "got $(cat "$work/jrows-got")"
fi
contains "the manifest names the archived JSON" "$jpub/manifest.json" '"name": "samtal.json"'
printf '{"rows": [{"enhet_id": "VC001", "samtal_tid": ' >"$work/dwjson/samtal.json"
sum_before=$(sha256sum "$jpub/manifest.json")
expect "a broken JSON body is rejected" 3 "$uf" run --config "$jrows/uppfolj.json" --period 2024-08
contains "the rejection names the JSON and its line" "$work/err" "samtal.csv (JSON), rad 1, kolumn 46: texten tar slut"
contains "the rejection says nothing was published" "$work/err" "ingenting publicerades"
if [ "$(sha256sum "$jpub/manifest.json")" = "$sum_before" ] && [ ! -e "$jpub/tidigare" ]; then
    ok "a broken JSON body publishes nothing"
else not_ok "a broken JSON body publishes nothing"; fi
kill "$jrows_pid" 2>/dev/null
wait "$jrows_pid" 2>/dev/null
expect "rerun of a JSON-rows report" 0 "$uf" rerun "$jpub/manifest.json" --out "$work/jrows-rerun"
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    if cmp -s "$work/jrows-rerun/$f" "$jpub/$f"; then ok "JSON-rows rerun $f is byte-identical"
    else not_ok "JSON-rows rerun $f is byte-identical"; fi
done

# ---- earlier months from earlier editions: a snapshot's trend, rerun --------------
# listning.csv holds month P only: August's trend takes July from July's edition.
ed=$work/editions
check "generate a region for July and August" make_region "$uf" "$ed"
"$uf" generate --out "$ed/extrakt/2024-07" --units 6 --patients 2000 --months 30 --seed 7 \
    --period 2024-07 2>/dev/null
sed -i '2,101d' "$ed/extrakt/2024-07/listning.csv" # July's listing differs from August's
expect "July is published" 0 env SOURCE_DATE_EPOCH=1723014900 "$uf" run --config "$ed/uppfolj.json" --period 2024-07
expect "August is published" 0 env SOURCE_DATE_EPOCH=1725606900 "$uf" run --config "$ed/uppfolj.json" --period 2024-08
edpub=$ed/rapporter/2024-08
jul=$(grep '^fast_lakarkontakt;REGION;2024-07;' "$ed/rapporter/2024-07/resultat-2024-07.csv")
got=$(grep '^fast_lakarkontakt;REGION;2024-07;' "$edpub/resultat-2024-08.csv")
aug=$(grep '^fast_lakarkontakt;REGION;2024-08;' "$edpub/resultat-2024-08.csv")
if [ -n "$jul" ] && [ "$got" = "$jul" ] &&
    [ "$(echo "$jul" | cut -d';' -f4,5)" != "$(echo "$aug" | cut -d';' -f4,5)" ]; then
    ok "August's fast_lakarkontakt REGION row for July is July's published one"
else not_ok "August's fast_lakarkontakt REGION row for July is July's published one" \
    "July's edition: $jul" "August's report: $got" "August: $aug"; fi
contains "the manifest names July's edition" "$edpub/manifest.json" '"name": "resultat-2024-07.csv"'
mv "$ed/extrakt" "$work/ed-extrakt" && mv "$ed/rapporter/2024-07" "$work/ed-2024-07"
expect "rerun of August with July's edition from the archive" 0 "$uf" rerun "$edpub/manifest.json" --out "$work/ed-rerun"
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    if cmp -s "$work/ed-rerun/$f" "$edpub/$f"; then ok "editions rerun $f is byte-identical"
    else not_ok "editions rerun $f is byte-identical"; fi
done
mv "$work/ed-extrakt" "$ed/extrakt" && mv "$work/ed-2024-07" "$ed/rapporter/2024-07"

# ---- bad input: exit 3, named place, nothing published ----------------------------
bad=$work/bad
cp -r "$region" "$bad"
rm -rf "$bad/rapporter" "$bad/arkiv"
sed -i '3s/;20[0-9][0-9]-[0-9][0-9]-[0-9][0-9];/;2024-02-30;/' "$bad/extrakt/2024-08/kontakter.csv"
expect "a bad date is rejected" 3 "$uf" run --config "$bad/uppfolj.json" --period 2024-08
contains "the message names file and line" "$work/err" "kontakter.csv, rad 3"
contains "the message names the column" "$work/err" "kontaktdatum"
if [ -e "$bad/rapporter/2024-08" ]; then not_ok "nothing published after a rejection"; else ok "nothing published after a rejection"; fi

expect "a missing extract folder is rejected" 3 "$uf" run --config "$bad/uppfolj.json" --period 2023-01
expect "a missing config is rejected" 3 "$uf" run --config "$work/none.json" --period 2024-08

finish
