#!/bin/sh
# tests/print_scale.sh UPPFOLJ — the documents as printed and as a screen
# reader reads them, at the demo's scale (30 units, the demo's comments)
# and a national one (1 100 units): no word is printed over another in the
# book or, at the demo's scale, in the workbook LibreOffice prints; the
# book is tagged, every page has its structure and every chart its alt
# text (pdf.js).  Output is TAP.
. "$(dirname "$0")/region.sh"
uf=$1
export UPPFOLJ_INDICATORS="${UPPFOLJ_INDICATORS:-$top/indicators}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# region NAME UNITS PATIENTS: the demo region's settings over a generated
# extract; preliminary, since a national extract leaves some units' months
# empty, and nationally without the demo's own target for VC007 (its ids
# are VC0001 and on).
region() {
    r=$work/$1
    cp -r "$top/examples/demo" "$r"
    [ "$2" -lt 1000 ] || sed -i '/"unit": "VC007"/,+1d' "$r/targets.json"
    sed -i 's/^{/{"completeness": "preliminary",/' "$r/uppfolj.json"
    "$uf" generate --out "$r/extrakt/2024-08" --period 2024-08 --seed 1 --units "$2" \
        --patients "$3" --months 14 >/dev/null 2>&1 &&
        "$uf" run --config "$r/uppfolj.json" --period 2024-08 >"$work/$1.log" 2>&1
}

# overprint PDF: the word boxes of PDF, none over another.
overprint() {
    pdftotext -bbox "$1" "$1.bbox" && "$top/tests/overprint.py" "$1.bbox"
}

# tagged PDF: pdf.js finds the language, a structure on every page and an
# alt text on every chart.
tagged() {
    node "$top/tests/pdfjs/structure.mjs" "$1" 2>/dev/null >"$1.json" &&
        /usr/bin/python3 - "$1.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["language"] == "sv-SE"
assert all(p["roles"][:1] == ["Document"] and len(p["roles"]) > 1 for p in j["pages"])
figures = sum(p["roles"].count("Figure") for p in j["pages"])
alts = [a for p in j["pages"] for a in p["alts"]]
assert figures >= 2 * (len(j["outline"]) - 2) and len(alts) == figures, (figures, alts)
assert all(len(a) > 30 for a in alts), alts
PY
}

# kept PDF: no page ends in a heading or a table's head row whose text
# is on the next page (the footer is a page's last line).
kept() {
    pages=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
    for i in $(seq 1 "$pages"); do
        last=$(pdftotext -layout -f "$i" -l "$i" "$1" - | grep -v '^[[:space:]]*$' | tail -n 2 | head -n 1)
        if echo "$last" | grep -Eq '^ *(Analys|Åtgärder|Försenade åtgärder) *$|Ansvarig +Klart senast +Läge'; then
            echo "# page $i ends in: $last"
            return 1
        fi
    done
}

for scale in "demo 30 40000" "national 1100 300000"; do
    set -- $scale
    if ! region "$1" "$2" "$3"; then
        not_ok "the $1 region publishes" "$(tail -5 "$work/$1.log")"
        continue
    fi
    out=$work/$1/rapporter/2024-08
    check "$1: no word overprints another in the book" overprint "$out/uppfolj-2024-08.pdf"
    check "$1: the book is tagged, every chart with its alt text" tagged "$out/uppfolj-2024-08.pdf"
    check "$1: no page ends in a heading or a table head" kept "$out/uppfolj-2024-08.pdf"
    check "$1: qpdf --check passes" sh -c "qpdf --check '$out/uppfolj-2024-08.pdf' >/dev/null"
done

printed_workbook() {
    soffice --headless --norestore "-env:UserInstallation=file://$work/lo" --convert-to pdf \
        --outdir "$work/printed" "$work/demo/rapporter/2024-08/uppfolj-2024-08.xlsx" \
        >/dev/null 2>&1 && overprint "$work/printed/uppfolj-2024-08.pdf"
}
check "demo: no word overprints another in the workbook as LibreOffice prints it" printed_workbook
finish
