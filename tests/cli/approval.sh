#!/bin/sh
# tests/cli/approval.sh UPPFOLJ — editions and approval through the command
# line (SPEC "Editions and approval"): an identical re-run publishes
# nothing; a late delivery makes edition 2, which names what it replaces
# and why; `approve` makes edition 3, Fastställd, with the same figures; a
# rerun of it is byte-identical; the next month stays Utkast; a delivery
# after approval is an Utkast that says it replaces an approved edition;
# the reports folder holds no hidden file; file names follow the config's
# template.  Prints TAP.
. "$(dirname "$0")/common.sh"

r=$work/region
setup_region "$r"
pub=$r/rapporter/2024-08
T1=1725606900 T2=$((T1 + 3600)) T3=$((T1 + 7200)) T4=$((T1 + 10800))
run_at() { env SOURCE_DATE_EPOCH="$1" "$uf" run --config "$r/uppfolj.json" --period "${2:-2024-08}"; }
pdf_text() { pdftotext -layout "$1" - 2>/dev/null | tr -s ' \n' ' '; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

expect "edition 1 is published" 0 run_at "$T1"
contains "the run says which edition" "$work/out" "Utgåva 1 av rapporten för augusti 2024"
m1=$(sha "$pub/manifest.json")
expect "an identical re-run succeeds" 0 run_at "$T2"
contains "it says nothing new is published" "$work/out" "ingen ny utgåva publiceras"
check "and publishes nothing" [ "$(sha "$pub/manifest.json")" = "$m1" -a ! -e "$pub/tidigare" ]

late_delivery "$r"
expect "a late delivery publishes edition 2" 0 run_at "$T2"
pdf_text "$pub/uppfolj-2024-08.pdf" >"$work/e2.txt"
contains "its PDF says it replaces edition 1" "$work/e2.txt" "Utgåva 2, utkast; ersätter utgåva 1 av 2024-09-06"
contains "and why" "$work/e2.txt" "Skäl: sen leverans av kontakter.csv."
contains "and lists the changed figures" "$work/e2.txt" "siffror har ändrats sedan tidigare utgåvor"
if grep -qE '[0-9],[0-9] ?% → [0-9]' "$work/e2.txt"; then ok "a changed figure reads old → new"
else not_ok "a changed figure reads old → new" "$(grep -o 'ändrats.\{0,300\}' "$work/e2.txt")"; fi
check "every page names the edition" [ "$(grep -o "Utgåva 2 *Sida" "$work/e2.txt" | wc -l)" -gt 5 ]
e2csv=$(sha "$pub/resultat-2024-08.csv")

expect "approve needs --decision" 2 "$uf" approve 2024-08 --by "HSN" --config "$r/uppfolj.json"
expect "approve refuses a period never published" 3 "$uf" approve 2024-07 --by "HSN" \
    --decision "HSN 2024-09-18 § 12" --config "$r/uppfolj.json"
expect "approve publishes edition 3" 0 env SOURCE_DATE_EPOCH="$T3" "$uf" approve 2024-08 \
    --by "Hälso- och sjukvårdsnämnden" --decision "HSN 2024-09-18 § 12" --config "$r/uppfolj.json"
pdf_text "$pub/uppfolj-2024-08.pdf" >"$work/e3.txt"
contains "its PDF is Fastställd" "$work/e3.txt" "Utgåva 3, fastställd; ersätter utgåva 2 av 2024-09-06"
contains "with who and the decision" "$work/e3.txt" "Hälso- och sjukvårdsnämnden, HSN 2024-09-18 § 12"
contains "and why it is an edition" "$work/e3.txt" "Skäl: fastställelse av utgåva 2."
lacks "and no draft stamp" "$work/e3.txt" "UTKAST"
check "resultat is byte-identical to edition 2's" [ "$(sha "$pub/resultat-2024-08.csv")" = "$e2csv" ]
contains "the manifest records the approval" "$pub/manifest.json" '"decision": "HSN 2024-09-18 § 12"'
contains "as an archived input" "$pub/manifest.json" '"role": "faststallelse"'
if unzip -p "$pub/uppfolj-2024-08.xlsx" xl/sharedStrings.xml | grep -qF "HSN 2024-09-18 § 12"; then
    ok "the workbook names the decision"; else not_ok "the workbook names the decision"; fi
expect "approving it again is refused" 3 "$uf" approve 2024-08 --by "HSN" \
    --decision "HSN 2024-10-01 § 3" --config "$r/uppfolj.json"

expect "rerun of the approved edition" 0 "$uf" rerun "$pub/manifest.json" --out "$work/rerun3"
same_bytes "approved rerun" "$work/rerun3" "$pub"

"$uf" generate --out "$r/extrakt/2024-09" --units 6 --patients 2000 --months 30 --seed 7 \
    --period 2024-09 2>/dev/null
expect "September is published" 0 run_at "$T3" 2024-09
pdf_text "$r/rapporter/2024-09/uppfolj-2024-09.pdf" >"$work/sep.txt"
contains "September stays Utkast" "$work/sep.txt" "Utgåva 1, utkast"

sed -i '5,100s/;N;N;K/;J;N;K/' "$r/extrakt/2024-08/kontakter.csv"
expect "a delivery after approval publishes edition 4" 0 run_at "$T4"
pdf_text "$pub/uppfolj-2024-08.pdf" >"$work/e4.txt"
contains "it is an Utkast that replaces an approved edition" "$work/e4.txt" \
    "Utgåva 4, utkast; ersätter utgåva 3 av 2024-09-06, som var fastställd"
check "the three earlier editions are kept" [ "$(ls "$pub/tidigare" | wc -l)" = 3 ]
contains "the index shows the current edition" "$r/rapporter/index.html" "Utgåva 4"
contains "and the approved one under it" "$r/rapporter/index.html" "Fastställd: Hälso- och sjukvårdsnämnden"
contains "the CSV is for the record" "$r/rapporter/index.html" "För arkivet: <a"
expect "history lists the editions" 0 "$uf" history 2024-08 --config "$r/uppfolj.json"
contains "with their numbers and reasons" "$work/out" "Utgåva 3, fastställd"
hidden=$(find "$r/rapporter" -name '.*')
if [ -z "$hidden" ]; then ok "no hidden file in the reports folder"
else not_ok "no hidden file in the reports folder" "$hidden"; fi
expect "every edition verifies" 0 "$uf" verify "$pub"

# The file names follow the template; readers follow the manifest.
sed -i 's|"indicators": "indikatorer"|"indicators": "indikatorer",\n  "files": {"pdf": "{region}-{diarienummer}-bilaga-{bilaga}-{period}.pdf", "region": "RT", "diarienummer": "RT 2024-118", "bilaga": "2"}|' "$r/uppfolj.json"
expect "a run with a file-name template" 0 run_at $((T4 + 60)) 2024-09
named=$r/rapporter/2024-09/"RT-RT 2024-118-bilaga-2-2024-09.pdf"
check "the PDF has the template's name" [ -f "$named" ]
contains "the index links it" "$r/rapporter/index.html" "RT-RT 2024-118-bilaga-2-2024-09.pdf"
expect "verify follows it" 0 "$uf" verify "$r/rapporter/2024-09"
expect "rerun follows it" 0 "$uf" rerun "$r/rapporter/2024-09/manifest.json" --out "$work/rr-named"
check "the rerun's PDF has that name, byte for byte" cmp -s "$named" "$work/rr-named/RT-RT 2024-118-bilaga-2-2024-09.pdf"
cp "$r/uppfolj.json" "$r/bad.json"
sed -i 's|-{period}.pdf|.pdf|' "$r/bad.json"
expect "a template without {period} is refused" 3 "$uf" check --config "$r/bad.json" --period 2024-09
contains "and says why" "$work/err" "ska innehålla {period}"

finish
