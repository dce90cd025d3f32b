#!/bin/sh
# tests/cli/gaps.sh UPPFOLJ — what a month lacks is said, never hidden: an
# extract missing from a preliminary report is named wherever its
# indicators appear, with the status "underlag saknas" against the target
# in force (not "inget mål"); a month of visits missing from besok.csv
# is said with the index computed without it, and the gate weighs it; rows
# of aggregat.csv that no indicator takes are listed.  Prints TAP.
. "$(dirname "$0")/common.sh"
export SOURCE_DATE_EPOCH=1725779700 # runs at a fixed time (2024-09-08 07:15 UTC)

# ------------------------------------------------- an extract missing
gap=$work/gap
setup_region "$gap"
rm "$gap/extrakt/2024-08/samtal.csv"
sed -i 's/"indicators": "indikatorer"/"indicators": "indikatorer", "completeness": "preliminary"/' \
    "$gap/uppfolj.json"
expect "a preliminary month without samtal.csv is published" 0 \
    "$uf" run --config "$gap/uppfolj.json" --period 2024-08 --quiet
pub=$gap/rapporter/2024-08
contains "resultat: underlag_saknas against the target in force, no counts" \
    "$pub/resultat-2024-08.csv" "telefon_samma_dag;REGION;2024-08;;;;0.98;underlag_saknas"
contains "resultat: each unit too" "$pub/resultat-2024-08.csv" \
    "telefon_samma_dag;VC001;2024-08;;;;0.98;underlag_saknas"
pdftotext -layout "$pub/uppfolj-2024-08.pdf" "$work/gap.txt"
contains "the PDF's page names the missing extract" "$work/gap.txt" "Underlag saknas: samtal.csv"
if grep 'Besvarade samtal samma dag' "$work/gap.txt" | grep -q 'Inget mål'; then
    not_ok "the PDF's summary shows the target, not \"Inget mål\"" "$(grep 'Besvarade samtal' "$work/gap.txt")"
else
    ok "the PDF's summary shows the target, not \"Inget mål\""
fi
grep -A1 'Besvarade samtal samma dag' "$work/gap.txt" | head -2 >"$work/gap-row"
contains "the PDF's summary: status and file" "$work/gap-row" "Underlag saknas"
contains "the PDF's summary: the file under it" "$work/gap-row" "samtal.csv"
awk 'BEGIN { RS = "\f" } /Tertialsammanfattning/' "$work/gap.txt" >"$work/gap-tertial"
contains "the tertial page: the file under the status too" "$work/gap-tertial" "samtal.csv"
unzip -p "$pub/uppfolj-2024-08.xlsx" xl/sharedStrings.xml >"$work/gap-strings"
contains "the workbook names the missing extract" "$work/gap-strings" "Underlag saknas: samtal.csv"
expect "compute with the config says the same" 0 \
    "$uf" compute --config "$gap/uppfolj.json" --period 2024-08 --indicator telefon_samma_dag
contains "compute: underlag_saknas" "$work/out" "telefon_samma_dag;REGION;2024-08;;;;0.98;underlag_saknas"

# ------------------------------------------- a month without visits
hole=$work/hole
setup_region "$hole"
grep -v ';2023-12-' "$hole/extrakt/2024-08/besok.csv" >"$work/besok" &&
    mv "$work/besok" "$hole/extrakt/2024-08/besok.csv"
expect "compute --data with a month of visits missing" 0 \
    "$uf" compute --data "$hole/extrakt/2024-08" --period 2024-08 --indicator kontinuitet_coc
contains "the index for P is printed" "$work/out" "kontinuitet_coc;REGION;2024-08;"
contains "and the months whose window holds the hole" "$work/out" "kontinuitet_coc;REGION;2023-12;"
contains "with the hole named on stderr" "$work/err" \
    "uppfolj: datakvalitet: besok.csv: inga besök i 2023-12; kontinuitetsindex för 2023-12–2024-08 räknas utan den månaden"
expect "run stops at the hole (completeness stop)" 3 \
    "$uf" run --config "$hole/uppfolj.json" --period 2024-08 --quiet
contains "naming it" "$work/err" "besok.csv: inga besök i 2023-12"

# -------------------------------------- aggregat rows nobody takes
agg=$work/agg
setup_region "$agg"
printf 'digitala_forstakontakt;VC001;2024-08;3;40\n' >>"$agg/extrakt/2024-08/aggregat.csv"
expect "check with a misspelt aggregat indicator" 0 \
    "$uf" check --config "$agg/uppfolj.json" --period 2024-08
contains "the unused row is listed with its id" "$work/err" \
    'uppfolj: datakvalitet: aggregat.csv: rader används inte: ingen indikator räknas ur aggregat.csv med id:t "digitala_forstakontakt"'
expect "compute --data, where no indicator takes aggregat.csv" 0 \
    "$uf" compute --data "$agg/extrakt/2024-08" --period 2024-08
contains "says its rows are not used" "$work/err" \
    'rader används inte: ingen indikator räknas ur aggregat.csv med id:t "digitala_forstakontakter", "digitala_forstakontakt"'

finish
