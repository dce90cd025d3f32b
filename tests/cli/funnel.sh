#!/bin/sh
# tests/cli/funnel.sh UPPFOLJ — many units compared fairly (issue 21): a
# generated region of 1 100 units gives a funnel page per share and
# continuity indicator and a PDF of at most a third of the 176 pages the bar
# lists took; "units_listed" cuts a small region's list to its outliers.
# Prints TAP.
. "$(dirname "$0")/common.sh"

big=$work/big
"$uf" generate --out "$big/extrakt/2024-08" --units 1100 --patients 150000 --months 30 \
    --seed 1 --period 2024-08 2>/dev/null || { echo "Bail out! generate failed"; exit 1; }
cp -r "$top/examples/demo/indikatorer" "$big/"
# The region's targets, without the demo's own for units of its own.
/usr/bin/python3 - "$top/examples/demo/targets.json" "$big/targets.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["targets"] = [x for x in t["targets"] if "unit" not in x]
json.dump(t, open(sys.argv[2], "w"), ensure_ascii=False)
PY
cat >"$big/uppfolj.json" <<'JSON'
{
  "region": {"name": "Region Stor"},
  "board": "Nämnden för test",
  "extracts": "extrakt/{period}",
  "archive": "arkiv",
  "reports": "rapporter",
  "targets": "targets.json",
  "indicators": "indikatorer",
  "completeness": "preliminary"
}
JSON
expect "1 100 units publish" 0 "$uf" run --config "$big/uppfolj.json" --period 2024-08 --quiet
pdf=$big/rapporter/2024-08/uppfolj-2024-08.pdf
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
if [ "${pages:-999}" -le 58 ]; then ok "the PDF of 1 100 units has at most 58 pages ($pages)"
else not_ok "the PDF of 1 100 units has at most 58 pages" "it has $pages"; fi
pdftotext -layout "$pdf" "$work/big.txt"
funnels=$(grep -c "^Tratt: vårdcentralerna" "$work/big.txt")
# Every share and continuity index (the national definition, all
# professions and the digital first contacts too) but those of säbo, where
# no unit of this size has 20 patients (said instead); not the counts per
# doctor.
if [ "$funnels" = 8 ]; then ok "a funnel for each share and mean with a unit shown"
else not_ok "a funnel for each share and mean with a unit shown" "$funnels funnels"; fi
contains "a share without one says why" "$work/big.txt" "Ingen tratt:"
contains "past 40 units the list keeps the outliers" "$work/big.txt" "Vårdcentralerna utanför tratten"
contains "and says where the rest are" "$work/big.txt" "finns på indikatorns blad i arbetsboken"
contains "the count per doctor keeps its best and worst" "$work/big.txt" "De bästa och de sämsta"
check "every page renders" pdftoppm -r 20 -png "$pdf" "$work/page"

small=$work/small
setup_region "$small"
sed -i 's/^{/{\n  "units_listed": 3,/' "$small/uppfolj.json"
expect "units_listed: 3 publishes" 0 "$uf" run --config "$small/uppfolj.json" --period 2024-08 --quiet
pdftotext -layout "$small/rapporter/2024-08/uppfolj-2024-08.pdf" "$work/small.txt"
contains "units_listed cuts a list of 6" "$work/small.txt" "finns på indikatorns blad i arbetsboken"

finish
