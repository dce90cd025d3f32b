#!/bin/sh
# tests/cli/bulk.sh UPPFOLJ — months in bulk, as a controller back-fills
# and an auditor checks a year (issue 17): run --from/--to, verify and
# rerun of the whole reports folder, a relative or moved --archive, and
# the archive listed and pruned under a retention rule.  Prints TAP.
. "$(dirname "$0")/common.sh"

r=$work/region
setup_region "$r"
"$uf" generate --out "$r/extrakt/2024-07" --units 6 --patients 2000 --months 30 --seed 7 \
    --period 2024-07 2>/dev/null
T=1725606900

expect "a range with a month lacking its extracts ends with the worst status" 3 \
    env SOURCE_DATE_EPOCH=$T "$uf" run --config "$r/uppfolj.json" --from 2024-06 --to 2024-08
contains "it names the month that failed" "$work/out" "2024-06  misslyckades (slutkod 3)"
contains "and publishes the others, in order" "$work/out" "2024-08  ny utgåva publicerad"
contains "with a summary" "$work/out" "3 månader: 2 publicerade, 0 oförändrade, 1 misslyckade"
check "July and August are published" [ -f "$r/rapporter/2024-07/manifest.json" -a -f "$r/rapporter/2024-08/manifest.json" ]
expect "the range again publishes nothing new" 0 \
    env SOURCE_DATE_EPOCH=$T "$uf" run --config "$r/uppfolj.json" --from 2024-07 --to 2024-08
contains "and says so" "$work/out" "2 månader: 0 publicerade, 2 oförändrade, 0 misslyckade"
expect "--from without --to is a usage error" 2 "$uf" run --config "$r/uppfolj.json" --from 2024-07

expect "verify takes the reports folder" 0 "$uf" verify "$r/rapporter"
contains "and sums up every edition of every period" "$work/out" "Sammanfattning: 2 utgåvor av 2 perioder kontrollerade, 0 med avvikelser"
printf 'x' >>"$r/rapporter/2024-07/resultat-2024-07.csv"
expect "verify of the folder fails on one changed file" 1 "$uf" verify "$r/rapporter"
contains "naming it" "$work/out" "ÄNDRAD   utdata     resultat-2024-07.csv"
expect "verify --from leaves July out" 0 "$uf" verify "$r/rapporter" --from 2024-08
truncate -s -1 "$r/rapporter/2024-07/resultat-2024-07.csv"

expect "rerun takes the reports folder" 0 "$uf" rerun "$r/rapporter" --out "$work/rr"
check "one folder per period and edition" [ -d "$work/rr/2024-07/utgava-1" -a -d "$work/rr/2024-08/utgava-1" ]
same_bytes "the folder's rerun" "$work/rr/2024-08/utgava-1" "$r/rapporter/2024-08"
expect "rerun of a range" 0 "$uf" rerun "$r/rapporter" --from 2024-08 --to 2024-08 --out "$work/rr8"
check "holds that period only" [ -d "$work/rr8/2024-08/utgava-1" -a ! -e "$work/rr8/2024-07" ]

mv "$r/arkiv" "$work/flyttat"
expect "a moved archive: rerun says what to do" 1 "$uf" rerun "$r/rapporter/2024-08/manifest.json" --out "$work/rr-moved"
contains "it names --archive" "$work/err" "--archive"
abs_uf=$(cd "$(dirname "$uf")" && pwd)/$(basename "$uf")
expect "a relative --archive works" 0 sh -c 'cd "$1" && "$2" rerun "$3" --archive flyttat --out "$1/rr-rel"' sh "$work" "$abs_uf" "$r/rapporter/2024-08/manifest.json"
same_bytes "relative --archive rerun" "$work/rr-rel" "$r/rapporter/2024-08"
mv "$work/flyttat" "$r/arkiv"

expect "archive list" 0 "$uf" archive --config "$r/uppfolj.json"
contains "it counts the objects" "$work/out" "för 2 utgåvor av 2 perioder"
contains "per period" "$work/out" "2024-07        1"
now=1796119200 # 2026-12-01
expect "prune lists what it would remove" 0 env SOURCE_DATE_EPOCH=$now "$uf" archive prune --older-than 28 --config "$r/uppfolj.json"
contains "only the older period" "$work/out" "perioder före 2024-08"
contains "and removes nothing without --apply" "$work/out" "Inget togs bort"
expect "July still verifies whole" 0 "$uf" verify "$r/rapporter/2024-07"
lacks_gallrad() { ! grep -q GALLRAD "$work/out"; }
check "with nothing pruned" lacks_gallrad
expect "prune --apply" 0 env SOURCE_DATE_EPOCH=$now "$uf" archive prune --older-than 28 --apply --config "$r/uppfolj.json"
contains "it records the pruning" "$r/arkiv/gallring.jsonl" '"rule":"indata äldre än 28 månader"'
expect "a pruned month still verifies" 0 "$uf" verify "$r/rapporter/2024-07"
contains "and says its extracts were pruned, when and by which rule" "$work/out" "GALLRAD  indata     kontakter.csv (extrakt): gallrad"
expect "August keeps its inputs" 0 "$uf" verify "$r/rapporter/2024-08"
check "with none pruned" lacks_gallrad
expect "August still reruns byte for byte" 0 "$uf" rerun "$r/rapporter/2024-08/manifest.json" --out "$work/rr-after"
same_bytes "after pruning" "$work/rr-after" "$r/rapporter/2024-08"

finish
