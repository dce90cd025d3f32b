#!/bin/sh
# tests/cli/rows.sh UPPFOLJ — JSON rows from a data warehouse: the same
# figures as the CSV extract, a broken body rejected with its place, and a
# byte-identical rerun.  Prints TAP.
. "$(dirname "$0")/common.sh"
export SOURCE_DATE_EPOCH=1725779700 # runs at a fixed time (2024-09-08 07:15 UTC)

jrows=$work/jrows
setup_region "$jrows"
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
serve "$work/dwjson.log" python3 -u -m http.server --bind 127.0.0.1 0 --directory "$work/dwjson"
jrows_pid=$served
jrows_port=$(port_of "$work/dwjson.log") || { echo "Bail out! the local server did not start"; exit 1; }
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
same_bytes "JSON-rows rerun" "$work/jrows-rerun" "$jpub"

finish
