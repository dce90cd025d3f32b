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

echo "1..11"
mkdir -p "$dir/out" "$dir/again" "$dir/approved"
check "the sample renders" "$sample" "$dir/out"
check "the approved sample renders" "$sample" "$dir/approved" faststalld

libreoffice_csv() {
    # A private profile: no first-start dialogs, no clash with a running office.
    soffice --headless --norestore "-env:UserInstallation=file://$dir/lo" \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$dir/csv" "$xlsx" \
        >/dev/null 2>&1 &&
        grep -q "Medicinsk bedömning inom 3 dagar" "$dir/csv/uppfolj-2024-08.csv"
}
check "LibreOffice converts the workbook" libreoffice_csv

openpyxl_numbers() {
    /usr/bin/python3 - "$xlsx" "$dir/approved/uppfolj-2024-07.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames[0] == "Sammanfattning", wb.sheetnames
for n in ("Åtgärder", "Datakvalitet", "Definitioner", "Ändringar", "Om rapporten"):
    assert n in wb.sheetnames, n
s = wb["Sammanfattning"]
# The draft, preliminary edition says so in its title and before any figure.
assert s["A1"].value.startswith("PRELIMINÄR") and s["A1"].value.endswith("(Utkast)"), s["A1"].value
assert s["B5"].value == "Utkast (ej fastställd)"
notes = [s.cell(row=r, column=2).value for r in range(6, 10)]
assert "2 av 5 indikatorer saknar analys" in notes, notes
assert "2 försenade åtgärder (se bladet Åtgärder)" in notes, notes
assert "3 siffror har ändrats sedan tidigare utgåvor (se bladet Ändringar)" in notes, notes
assert s["A11"].value == "Medicinsk bedömning inom 3 dagar", s["A11"].value
assert isinstance(s["B11"].value, float) and s["B11"].number_format == "0.0%", s["B11"].value
assert abs(s["C11"].value - 0.9) < 1e-12 and s["E11"].value == "Nära"
assert s["D11"].value == "HSN 2023-12-18 § 151"
assert s["F11"].number_format.startswith('+0.0" p.e."'), s["F11"].number_format
assert isinstance(s["H11"].value, float) and isinstance(s["I11"].value, float)
# Owners, and the one without; missed targets without analysis.
assert s["J11"].value == "Primärvårdschef" and s["J14"].value == "Ägare saknas"
assert [s.cell(row=r, column=11).value for r in range(11, 16)] == \
    [None, "Analys saknas", None, "Analys saknas", None]
assert s["C15"].value is None and s["E15"].value == "Inget mål"  # continuity: no target
u = wb["Bedömning 3 dagar"]
assert u["A5"].value == "REGION" and isinstance(u["O5"].value, float)
assert u.freeze_panes == "C5" and u.auto_filter.ref == "A4:R35"
assert u["O34"].value == "\u2013"  # VC29, too few: a dash, never the figure
assert u["R12"].value == 0.8 and u["A12"].value == "VC07"  # VC07's own target
assert u.page_setup.orientation == "landscape" and u.print_title_rows.replace("$", "") == "1:4"
assert "Sida &P av &N" in u.oddFooter.right.text
rows = {u.cell(row=r, column=2).value: r for r in range(36, 50)}
k = rows["Riket (Kolada)"]
assert u.cell(row=k, column=3).value == 0.87 and u.cell(row=k, column=15).value == 0.885
t = wb["Telefon samma dag"]
rows = {t.cell(row=r, column=2).value: r for r in range(36, 50)}
k = rows["Riket (Kolada)"]  # Kolada's null for 2023 stays a gap
assert t.cell(row=k, column=3).value is None and abs(t.cell(row=k, column=15).value - 0.901) < 1e-12
assert any("Källa: Kolada" in str(t.cell(row=r, column=2).value) for r in range(36, 50))
a = wb["Åtgärder"]
assert a["A1"].value == "Försenade åtgärder"
late = [[c.value for c in r] for r in a.iter_rows(min_row=3, max_row=4)]
assert late[1][4] == "Försenad" and late[1][5] == "från 2024-06", late
c = wb["Ändringar"]
assert c["A4"].value == "Medicinsk bedömning inom 3 dagar" and c["D4"].value == 0.781
assert abs(c["F4"].value - 0.5) < 1e-9 and c["D6"].value == "\u2013" and c["E6"].value == 0.912
o = wb["Om rapporten"]
about = {o.cell(row=r, column=1).value: o.cell(row=r, column=2).value for r in range(3, 19)}
assert about["Dokumentstatus"] == "Utkast (ej fastställd)" and about["Dokument-ID"] == "RK 2024/118"
assert all(len(n) <= 31 for n in wb.sheetnames)
assert wb.properties.created.isoformat() == "2024-09-06T05:15:00"
assert wb.properties.title.startswith("PRELIMINÄR")

# The approved, complete July edition.
wb = openpyxl.load_workbook(sys.argv[2])
s = wb["Sammanfattning"]
assert s["A1"].value.endswith("(Fastställd)") and not s["A1"].value.startswith("PRELIMINÄR")
assert s["B5"].value == "Fastställd"
assert wb["Ändringar"]["A3"].value == "Inga ändringar mot tidigare publicerade rapporter."
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
            "Vårdcentralen Växjö Centrum, Teleborg" "2 av 5 indikatorer saknar analys" \
            "Underlaget är ofullständigt: se Datakvalitet" "Utkast (ej fastställd)" \
            "3 siffror har ändrats sedan tidigare utgåvor (se arbetsbokens blad Ändringar)" \
            "Försenade åtgärder" "från 2024-06" "Tertialsammanfattning T2 2024" \
            "(T2 2023)" "Riket (Kolada)" "Källa: Kolada" \
            "Kolada 2024 (N79173): Riket 88,5 %, Region Kronoberg 85,5 %" \
            "Mål 90 % (HSN 2023-12-18 § 151)" "Ägare: Primärvårdschef" "Ägare saknas" \
            "För litet underlag (färre än 20): Vårdcentralen Öjaby, Smedslätten VC29" "axeln börjar vid"; do
            grep -q "$s" "$dir/book.txt" || { echo "saknas i PDF-texten: $s"; return 1; }
        done &&
        # Every page is stamped (the cover twice); the approved book nowhere.
        pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }') &&
        test "$(grep -c "PRELIMINÄR · UTKAST" "$dir/book.txt")" -gt "$pages" &&
        pdftotext -layout "$dir/approved/uppfolj-2024-07.pdf" "$dir/approved.txt" &&
        ! grep -q "UTKAST\|PRELIMINÄR\|Tertialsammanfattning" "$dir/approved.txt" &&
        grep -q "Fastställd" "$dir/approved.txt"
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

every_page_renders() {
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }') &&
        pdftoppm -r 40 -png "$pdf" "$dir/page" &&
        test "$(ls "$dir"/page-*.png | wc -l)" -eq "$pages"
}
check "every page renders to PNG" every_page_renders

exit $failed
