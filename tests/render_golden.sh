#!/bin/sh
# tests/render_golden.sh SAMPLE GOLDEN — golden cases for the workbook and
# the PDF.  Each folder GOLDEN/<case>/ names a fixture case of
# render_fixture.h in its file "case"; expected/ holds the workbook's
# xl/worksheets/sheetN.xml and xl/sharedStrings.xml, unzipped, and the
# PDF's text (pdftotext -layout) as pdf.txt.  Not the zip's bytes: a
# difference then reads as a changed cell or line.
#
# UPDATE_GOLDEN=1 writes the expectations instead of comparing; review the
# diff with git before committing it.  Output is TAP.
set -u
sample=$1
golden=$2
dir=$(mktemp -d /tmp/uf-golden-XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM
cases=$(ls "$golden")
echo "1..$(echo "$cases" | wc -w)"
n=0
failed=0
for c in $cases; do
    n=$((n + 1))
    out=$dir/$c
    mkdir -p "$out/got"
    if ! "$sample" "$out" "$(cat "$golden/$c/case")" >"$out/log" 2>&1; then
        echo "not ok $n - $c: the sample does not render"
        sed 's/^/# /' "$out/log"
        failed=1
        continue
    fi
    (cd "$out/got" && /usr/bin/python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("xl/worksheets/sheet") or n == "xl/sharedStrings.xml":
        open(n.rsplit("/", 1)[1], "wb").write(z.read(n))
' "$out"/uppfolj-*.xlsx) && pdftotext -layout "$out"/uppfolj-*.pdf "$out/got/pdf.txt"
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        rm -rf "$golden/$c/expected"
        cp -r "$out/got" "$golden/$c/expected"
        echo "ok $n - $c # SKIP expectations written"
    elif diff -r -u "$golden/$c/expected" "$out/got" >"$out/diff"; then
        echo "ok $n - $c"
    else
        echo "not ok $n - $c differs from its expectations (UPDATE_GOLDEN=1 rewrites them)"
        head -40 "$out/diff" | sed 's/^/# /'
        failed=1
    fi
done
exit $failed
