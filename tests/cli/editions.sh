#!/bin/sh
# tests/cli/editions.sh UPPFOLJ — earlier months from earlier editions:
# listning.csv holds month P only, so August's trend takes July from July's
# published edition, and a rerun finds it in the archive; August run again
# unchanged copies no extract into the archive again.  Prints TAP.
. "$(dirname "$0")/common.sh"

ed=$work/editions
check "generate a region for July and August" make_region "$uf" "$ed"
"$uf" generate --out "$ed/extrakt/2024-07" --units 6 --patients 2000 --months 30 --seed 7 \
    --period 2024-07 2>/dev/null
sed -i '2,101d' "$ed/extrakt/2024-07/listning.csv" # July's listing differs from August's
expect "July is published" 0 env SOURCE_DATE_EPOCH=1723014900 "$uf" run --config "$ed/uppfolj.json" --period 2024-07
expect "August is published" 0 env SOURCE_DATE_EPOCH=1725606900 "$uf" run --config "$ed/uppfolj.json" --period 2024-08
edpub=$ed/rapporter/2024-08
# August run again with the same extracts hashes them without copying them
# into the archive a second time: what the run writes (wchar, which a reaped
# child adds to its parent's /proc/self/io) is far less than the extracts.
wrote=$(python3 - "$uf" "$ed/uppfolj.json" <<'PY'
import os, subprocess, sys
def wchar():
    return int(next(l for l in open("/proc/self/io") if l.startswith("wchar:")).split()[1])
if not os.access("/proc/self/io", os.R_OK):
    sys.exit(print("skip"))
before = wchar()
r = subprocess.run([sys.argv[1], "run", "--config", sys.argv[2], "--period", "2024-08"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(wchar() - before if r.returncode == 0 else "failed")
PY
)
size=$(cat "$ed"/extrakt/2024-08/*.csv | wc -c)
if [ "$wrote" = skip ]; then
    ok "August run again unchanged writes little # SKIP no /proc/self/io"
else
    check "August run again unchanged writes less than a tenth of its extracts ($wrote of $size bytes)" \
        [ "$wrote" -lt $((size / 10)) ] 2>/dev/null
fi
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
same_bytes "editions rerun" "$work/ed-rerun" "$edpub"

finish
