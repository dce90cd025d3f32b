#!/bin/sh
# tests/render_clients.sh SAMPLE — the workbook and the PDF as the nämnd's
# secretary and a controller will open them: LibreOffice, openpyxl, qpdf,
# pdffonts, pdftotext.  SAMPLE is the test_render program, which writes
# uppfolj-2024-08.xlsx and .pdf into the folder it is given.  Output is TAP.
set -u
sample=$1
dir=$(mktemp -d /tmp/uf-clients-XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM
xlsx=$dir/out/uppfolj-2024-08.xlsx
pdf=$dir/out/uppfolj-2024-08.pdf
n=0
failed=0

check() { # check DESCRIPTION COMMAND...
    desc=$1
    shift
    n=$((n + 1))
    if out=$("$@" 2>&1); then
        echo "ok $n - $desc"
    else
        echo "not ok $n - $desc"
        printf '%s\n' "$out" | sed 's/^/# /' | head -20
        failed=1
    fi
}

echo "1..9"
mkdir -p "$dir/out" "$dir/again"
check "the sample renders" "$sample" "$dir/out"

libreoffice_csv() {
    # A private profile: no first-start dialogs, no clash with a running office.
    soffice --headless --norestore "-env:UserInstallation=file://$dir/lo" \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$dir/csv" "$xlsx" \
        >/dev/null 2>&1 &&
        grep -q "Medicinsk bedömning inom 3 dagar" "$dir/csv/uppfolj-2024-08.csv"
}
check "LibreOffice converts the workbook" libreoffice_csv

openpyxl_numbers() {
    /usr/bin/python3 - "$xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames[0] == "Sammanfattning", wb.sheetnames
s = wb["Sammanfattning"]
assert s["A7"].value == "Medicinsk bedömning inom 3 dagar", s["A7"].value
assert isinstance(s["B7"].value, float) and s["B7"].number_format == "0.0%", s["B7"].value
assert abs(s["C7"].value - 0.9) < 1e-12 and s["E7"].value == "Nära"
u = wb["Bedömning 3 dagar"]
assert u["A5"].value == "REGION" and isinstance(u["O5"].value, float)
assert u.freeze_panes == "C5" and u.auto_filter.ref == "A4:R35"
assert u["O34"].value == "\u2013"  # VC29, too few: a dash, never the figure
assert all(len(n) <= 31 for n in wb.sheetnames)
assert wb.properties.created.isoformat() == "2024-09-06T05:15:00"
EOF
}
check "openpyxl reads numbers as numbers" openpyxl_numbers

check "qpdf --check passes" qpdf --check "$pdf"

fonts_embedded() {
    pdffonts "$pdf" | awk 'NR > 2 { rows++; if ($(NF - 4) != "yes") bad = 1 }
                           END { exit (rows == 0 || bad) }'
}
check "every font is embedded" fonts_embedded

pdf_text() {
    pdftotext -layout "$pdf" "$dir/book.txt" &&
        for s in "augusti 2024" "Sida 1 av" "Sammanfattning" "Dokument-ID" "Försenad" \
            "För litet underlag" "Analys saknas" "Inget mål" "Ej uppnått" \
            "Vårdcentralen Växjö Centrum, Teleborg"; do
            grep -q "$s" "$dir/book.txt" || { echo "saknas i PDF-texten: $s"; return 1; }
        done
}
check "the PDF's text is real, Swedish text" pdf_text

pages_numbered() {
    total=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    grep -q "Sida $total av $total" "$dir/book.txt"
}
check "the last page says Sida N av N" pages_numbered

check "a second render gives the same bytes" sh -c \
    "'$sample' '$dir/again' && cmp '$xlsx' '$dir/again/uppfolj-2024-08.xlsx' && cmp '$pdf' '$dir/again/uppfolj-2024-08.pdf'"

check "A4 portrait" sh -c "pdfinfo '$pdf' | grep -q 'Page size: *595.276 x 841.89 pts (A4)'"

exit $failed
