#!/bin/sh
# tests/cli/sources.sh UPPFOLJ — sources over HTTP: fetch from a data
# warehouse and Kolada (local servers), run --offline on what was fetched,
# a failing source, and a secret that shows nowhere.  Prints TAP.
. "$(dirname "$0")/common.sh"
export SOURCE_DATE_EPOCH=1725779700 # runs at a fixed time (2024-09-08 07:15 UTC)

# The region's calls are served by a "warehouse"; Kolada by tests/http_server.py.
pulled=$work/pulled
setup_region "$pulled"
mkdir -p "$work/dw"
mv "$pulled/extrakt/2024-08/samtal.csv" "$work/dw/samtal.csv"
serve "$work/dw.log" python3 -u -m http.server --bind 127.0.0.1 0 --directory "$work/dw"
dw_pid=$served
serve "$work/kolada.log" python3 -u "$top/tests/http_server.py"
kolada_pid=$served
dw_port=$(port_of "$work/dw.log") && kolada_port=$(port_of "$work/kolada.log" 1p) ||
    { echo "Bail out! the local servers did not start"; exit 1; }
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
# Kolada's v3 pages: the T value of 2023 (not K or M), never the withdrawn
# 2024 national row (isdeleted, 99,9).
pdftotext "$pulled/rapporter/2024-08/uppfolj-2024-08.pdf" "$work/pulled.txt"
contains "the PDF compares with Kolada's T value" "$work/pulled.txt" "Riket 88,4"
if grep -q "99,9" "$work/pulled.txt"; then not_ok "a withdrawn Kolada row is never shown"; else ok "a withdrawn Kolada row is never shown"; fi
expect "run with a source down fails" 1 "$uf" run --config "$pulled/uppfolj.json" --period 2024-08
contains "the failure names the source" "$work/err" "samtal-dw"
contains "the failure says nothing was published" "$work/err" "ingenting publicerades"
if grep -q hemligt "$work/err"; then not_ok "the failure shows no secret"; else ok "the failure shows no secret"; fi
if ls "$pulled/rapporter/2024-08/tidigare" >/dev/null 2>&1; then not_ok "a failed run leaves the published report alone"; else ok "a failed run leaves the published report alone"; fi

# Kolada down (its server is gone): the comparison is left out, the report
# is published and says what is missing, and a rerun says the same.
cp "$work/dw/samtal.csv" "$pulled/extrakt/2024-08/samtal.csv"
python3 - "$pulled/uppfolj.json" "$kolada_port" <<'PY'
import json, sys
path, port = sys.argv[1:]
c = json.load(open(path))
c["sources"] = [{"id": "kolada", "kind": "kolada", "url": f"http://127.0.0.1:{port}/kolada/v3",
                 "kpis": ["N79173", "N79179"], "areas": ["0007", "0000"], "retries": 0,
                 "timeout_s": 2}]
json.dump(c, open(path, "w"), indent=2, ensure_ascii=False)
PY
expect "run with Kolada down publishes" 0 "$uf" run --config "$pulled/uppfolj.json" --period 2024-08
contains "the log says the comparison is missing" "$work/err" "jämförelse från Kolada saknas: kolada"
pdftotext "$pulled/rapporter/2024-08/uppfolj-2024-08.pdf" "$work/down.txt"
contains "the affected pages say Kolada is missing" "$work/down.txt" "Jämförelse från Kolada saknas"
unzip -p "$pulled/rapporter/2024-08/uppfolj-2024-08.xlsx" xl/sharedStrings.xml >"$work/down.xml"
contains "Datakvalitet names the missing comparison" "$work/down.xml" "Jämförelse från Kolada saknas: kolada"
expect "a report without Kolada reruns" 0 "$uf" rerun "$pulled/rapporter/2024-08/manifest.json" --out "$work/down-rerun"
same_bytes "rerun without Kolada:" "$work/down-rerun" "$pulled/rapporter/2024-08"
sed -i 's/"retries": 0,/"retries": 0, "required": true,/' "$pulled/uppfolj.json"
expect "a required Kolada source stops the run" 1 "$uf" run --config "$pulled/uppfolj.json" --period 2024-08

finish
