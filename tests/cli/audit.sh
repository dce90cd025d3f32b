#!/bin/sh
# tests/cli/audit.sh UPPFOLJ — what an auditor does with a published
# report: history, verify, rerun from the archive alone (byte for byte, and
# what a rerun by other libraries or an older uppfolj says), a changed output
# or archive object found; and a run refused while another holds the
# period.  Prints TAP.
. "$(dirname "$0")/common.sh"

# August published in the first week of September, and again two days
# later after a late delivery of kontakter.csv; June's comments carry an
# open action into it, so the rerun needs earlier comments from the archive.
region=$work/region
pub=$region/rapporter/2024-08
setup_region "$region"
june_comments "$region"
SOURCE_DATE_EPOCH=1725606900 "$uf" run --config "$region/uppfolj.json" --period 2024-08 \
    >/dev/null 2>&1 && late_delivery "$region" &&
    SOURCE_DATE_EPOCH=1725779700 "$uf" run --config "$region/uppfolj.json" --period 2024-08 \
        >/dev/null 2>&1 || { echo "Bail out! the region could not be published"; exit 1; }
export SOURCE_DATE_EPOCH=1725779700

expect "history lists both runs" 0 "$uf" history 2024-08 --config "$region/uppfolj.json"
contains "history shows the first run" "$work/out" "2024-09-06T07:15:00Z"
contains "history names the changed extract" "$work/out" "ändrad extrakt: kontakter.csv"
contains "history shows the newest run as published" "$work/out" "(publicerad)"
expect "verify passes on an untouched report" 0 "$uf" verify "$pub"
mv "$region/extrakt" "$work/extrakt-away"
expect "rerun from the archive alone" 0 env TZ=America/Los_Angeles "$uf" rerun "$pub/manifest.json" --out "$work/rerun"
same_bytes rerun "$work/rerun" "$pub"
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
    mkdir -p "$region/arkiv/arbete" && flock "$region/arkiv/arbete/2024-08.lock" sleep 5 >/dev/null 2>&1 &
    sleep 0.5
    expect "a concurrent run is refused" 1 "$uf" run --config "$region/uppfolj.json" --period 2024-08
    contains "the refusal says the period is being run" "$work/err" "körs redan"
    kill $! 2>/dev/null
    wait 2>/dev/null
fi

finish
