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
expect "run with a source down fails" 1 "$uf" run --config "$pulled/uppfolj.json" --period 2024-08
contains "the failure names the source" "$work/err" "samtal-dw"
contains "the failure says nothing was published" "$work/err" "ingenting publicerades"
if grep -q hemligt "$work/err"; then not_ok "the failure shows no secret"; else ok "the failure shows no secret"; fi
if ls "$pulled/rapporter/2024-08/tidigare" >/dev/null 2>&1; then not_ok "a failed run leaves the published report alone"; else ok "a failed run leaves the published report alone"; fi

finish
