#!/bin/sh
# tests/resultat_csv.sh UPPFOLJ SAMPLE — resultat-P.csv for unit ids that break a
# naive CSV (; and ") or that a spreadsheet runs as a formula (= + - @),
# published by `uppfolj run`: the file is RFC 4180 with eight cells a row,
# LibreOffice headless with formulas evaluated (as Excel opens a CSV) makes
# no cell a formula and keeps every id text, and a late delivery of the
# period reads the published file back.  Output is TAP.
set -u
uf=$(readlink -f "$1")
sample=$(readlink -f "$2") # tests/test_editions.c: a folder gets a sample resultat file
. "$(dirname "$0")/region.sh"
work=$(mktemp -d /tmp/uf-resultat-XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
make_region "$uf" "$work/r" || { echo "Bail out! generate failed"; exit 1; }
cd "$work/r" || exit 1

# Every field that is a unit id gets a tricky one, written as a region's
# export would (quoted where it must be).
/usr/bin/python3 - extrakt/2024-08/*.csv <<'PY'
import csv, sys
ids = {"VC001": "=1+1", "VC002": "+46", "VC003": "-5", "VC004": "@SUM(A1)",
       "VC005": "a;b", "VC006": 'q"q'}
for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = [[ids.get(v, v) for v in r] for r in csv.reader(f, delimiter=";")]
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(rows)
PY

csvfile=rapporter/2024-08/resultat-2024-08.csv
check "run publishes the tricky ids" sh -c \
    "'$uf' run --config uppfolj.json --period 2024-08 >'$work/out' 2>'$work/err'"

rfc4180() {
    /usr/bin/python3 - "$csvfile" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8"), delimiter=";"))
assert all(len(r) == 8 for r in rows), [r for r in rows if len(r) != 8][:3]
units = {r[1] for r in rows[1:]}
want = {"REGION", "'=1+1", "'+46", "'-5", "'@SUM(A1)", "a;b", 'q"q'}
assert units == want, units
PY
}
check "eight cells a row, ids defused" rfc4180

# LibreOffice's CSV import: ; separated, " quoted, UTF-8, en-US numbers,
# token 13 "evaluate formulas" on.  libreoffice_xlsx CSV UNITS: no cell of
# the converted file is a formula, a row has at most eight cells, the
# counts are numbers and the enhet_id cells are the texts in UNITS (JSON).
libreoffice_xlsx() {
    out=$work/lo-$(basename "$(dirname "$1")")
    soffice --headless --norestore "-env:UserInstallation=file://$work/lo" \
        --infilter="CSV:59,34,76,1,,1033,false,true,false,false,false,-1,true" \
        --convert-to xlsx --outdir "$out" "$1" >/dev/null 2>&1 &&
        /usr/bin/python3 - "$out/$(basename "$1" .csv).xlsx" "$2" <<'PY'
import json, re, sys, zipfile
import xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
strings = ["".join(t.text or "" for t in si.iter("{%s}t" % ns["m"]))
           for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
rows = {}
for c in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}c" % ns["m"]):
    assert c.find("m:f", ns) is None, "a formula in " + c.get("r")
    col, row = re.match(r"([A-Z]+)(\d+)", c.get("r")).groups()
    v = c.find("m:v", ns)
    rows.setdefault(int(row), {})[col] = \
        strings[int(v.text)] if c.get("t") == "s" else (c.get("t"), v.text if v is not None else None)
unit = {rows[r]["B"] for r in rows if r > 1}
want = set(json.loads(sys.argv[2]))
assert unit == want, (sorted(unit - want), sorted(want - unit))
assert all(set(rows[r]) <= set("ABCDEFGH") for r in rows), "a row spilled over"
assert all(rows[r]["E"][0] == "n" for r in rows if r > 1), "namnare became text"
PY
}
check "LibreOffice: the published file has no formula, ids are text" libreoffice_xlsx "$csvfile" \
    '["REGION", "\u0027=1+1", "\u0027+46", "\u0027-5", "\u0027@SUM(A1)", "a;b", "q\"q"]'

# Ids no extract could bring (a line break, a leading tab), from the writer.
mkdir -p "$work/sample"
check "the writer's sample is written" "$sample" "$work/sample"
check "LibreOffice: the writer's sample has no formula, ids are text" libreoffice_xlsx \
    "$work/sample/resultat-2024-08.csv" \
    '["REGION", " pad", "\u0027\tlead", "\u0027\u0027y", "\u0027+46", "\u0027-0.5", "\u0027=x",
      "\u0027@SUM(A1)", "a\nb", "a;b", "q\"q", "tab\t", "x,y"]'

# A late delivery: the run reads its own published file back (Ändringar).
sed -i '2s/;N;/;J;/' extrakt/2024-08/kontakter.csv
check "the next run of the period reads the published file" sh -c \
    "'$uf' run --config uppfolj.json --period 2024-08 >'$work/out' 2>'$work/err' &&
     test -d rapporter/2024-08/tidigare"
finish
