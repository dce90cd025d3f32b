#!/bin/sh
# tests/render_clients.sh SAMPLE — the workbook and the PDF as the nämnd's
# secretary, a controller and a screen reader's user will open them:
# LibreOffice, openpyxl, qpdf, pdffonts, pdftotext, pdf.js.  SAMPLE is the test_render program, which writes
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

echo "1..16"
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
assert u.freeze_panes == "C5" and u.auto_filter.ref == "A4:S35"
assert u["O34"].value == "\u2013"  # VC29, too few: a dash, never the figure
# Each unit's place in the funnel; VC29, suppressed, has none and is no point.
assert u["S4"].value == "Läge i tratten" and u["S5"].value is None and u["S34"].value is None
assert u["S11"].value == "Över 99,8\u00a0%-gränsen" and u["S12"].value == "Under 99,8\u00a0%-gränsen"
head = [r for r in range(36, u.max_row + 1) if u.cell(row=r, column=1).value == "Trattdiagrammets underlag"]
assert len(head) == 1, head
ids = [u.cell(row=r, column=1).value for r in range(head[0] + 2, head[0] + 40)]
assert "VC07" in ids and "VC29" not in ids, ids
assert u["R12"].value == 0.8 and u["A12"].value == "VC07"  # VC07's own target
assert u.page_setup.orientation == "landscape" and u.print_title_rows.replace("$", "") == "1:4"
assert "Sida &P av &N" in u.oddFooter.right.text
rows = {u.cell(row=r, column=2).value: r for r in range(36, 50)}
k = rows["Riket (Kolada, per år)"]
assert u.cell(row=k, column=3).value == 0.87 and u.cell(row=k, column=15).value == 0.885
t = wb["Telefon samma dag"]
rows = {t.cell(row=r, column=2).value: r for r in range(36, 50)}
k = rows["Riket (Kolada, per år)"]  # Kolada's null for 2023 stays a gap
assert t.cell(row=k, column=3).value is None and abs(t.cell(row=k, column=15).value - 0.901) < 1e-12
assert any("Källa: Kolada" in str(t.cell(row=r, column=2).value) for r in range(36, 50))
a = wb["Åtgärder"]
assert a["A1"].value == "Försenade åtgärder"
late = [[c.value for c in r] for r in a.iter_rows(min_row=3, max_row=4)]
assert late[1][4] == "Försenad" and late[1][5] == "från 2024-06", late
# Due dates are dates, so they sort and filter as dates.
assert late[1][3].isoformat() == "2024-07-31T00:00:00" and a["D4"].number_format == "yyyy-mm-dd"
c = wb["Ändringar"]
assert c["A4"].value == "Medicinsk bedömning inom 3 dagar" and c["D4"].value == 0.781
assert abs(c["F4"].value - 0.5) < 1e-9 and c["D6"].value == "\u2013" and c["E6"].value == 0.912
o = wb["Om rapporten"]
about = {o.cell(row=r, column=1).value: o.cell(row=r, column=2).value for r in range(3, 19)}
assert about["Dokumentstatus"] == "Utkast (ej fastställd)" and about["Dokument-ID"] == "RK 2024/118"
assert all(len(n) <= 31 for n in wb.sheetnames)
# Every chart keeps its alt text (openpyxl drops charts, so from the zip).
import zipfile
z = zipfile.ZipFile(sys.argv[1])
drawings = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/drawing")]
assert len(drawings) == 5 and all('descr="Regionens utfall per månad' in x for x in drawings)
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

# The funnel in the workbook is Excel's own scatter chart: n on a log axis,
# the points and five lines (centre and limits), described in words.
funnel_chart() {
    mkdir -p "$dir/unzipped" && cd "$dir/unzipped" && unzip -q -o "$xlsx" && cd - >/dev/null &&
        c=$(grep -l "Tratt: Medicinsk" "$dir"/unzipped/xl/charts/chart*.xml) &&
        grep -q "<c:scatterChart>" "$c" && grep -q '<c:logBase val="10"/>' "$c" &&
        test "$(grep -o "<c:ser>" "$c" | wc -l)" -eq 8 &&
        grep -q 'descr="Trattdiagram: vårdcentralernas värden för Medicinsk bedömning' \
            "$dir"/unzipped/xl/drawings/drawing1.xml
}
check "the workbook's funnel is a native scatter chart" funnel_chart

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
            "(T2 2023)" "Riket (Kolada, per år)" "Källa: Kolada" \
            "Kolada 2024 (N79173): Riket 88,5 %, Region Kronoberg 85,5 %" \
            "Mål 90 % (HSN 2023-12-18 § 151)" "Ägare: Primärvårdschef" "Ägare saknas" \
            "För litet underlag (färre än 20): Vårdcentralen Öjaby, Smedslätten VC29" "axeln börjar vid" \
            "Tratt: vårdcentralerna augusti 2024 mot målet" "exakta binomialgränser" \
            "Av 28 enheter i diagrammet ligger 4 över den övre 99,8"; do
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

# pdf.js, as Firefox's reader and the screen readers it serves see the
# book: the language, the title in the window, a bookmark for the summary
# and each indicator, the pages' labels, a structure tree on every page in
# reading order, every chart a Figure with its alt text, the summary's rows
# linked to the indicators.
tagged_for_readers() {
    pdfinfo "$pdf" | grep -q "^Tagged: *yes" || { echo "pdfinfo: inte taggad"; return 1; }
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    node "$(dirname "$0")/pdfjs/structure.mjs" "$pdf" >"$dir/structure.json" 2>"$dir/pdfjs.err" ||
        { cat "$dir/pdfjs.err"; return 1; }
    /usr/bin/python3 - "$dir/structure.json" "$pages" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
pages = j["pages"]
assert j["language"] == "sv-SE", j["language"]
assert j["displayDocTitle"] and j["title"].startswith("Uppföljning primärvård"), j["title"]
names = ["Medicinsk bedömning inom 3 dagar", "Besvarade samtal samma dag",
         "Andel listade med fast läkarkontakt", "Listade patienter per fast läkare",
         "Kontinuitetsindex, läkarbesök, 18 månader"]
titles = [o["title"] for o in j["outline"]]
assert titles == ["Sammanfattning, augusti 2024", "Tertialsammanfattning T2 2024"] + names, titles
assert j["labels"] == [str(i + 1) for i in range(int(sys.argv[2]))], j["labels"]
for i, p in enumerate(pages):
    assert p["roles"][0] == "Document" and len(p["roles"]) > 1, (i + 1, p["roles"])
roles = [r for p in pages for r in p["roles"]]
assert pages[0]["roles"][:3] == ["Document", "P", "H1"], pages[0]["roles"]
assert roles.count("H1") == 1 and roles.count("H2") == 2 + len(names), roles
assert "TH" in pages[1]["roles"] and "Table" in pages[1]["roles"]
alts = [a for p in pages for a in p["alts"]]
assert len(alts) >= 2 * len(names) and all(len(a) > 40 for a in alts), alts
assert ("Regionens andel per månad, augusti 2023–augusti 2024, mot målet 90\u00a0%, och riket "
        "enligt Kolada; senaste värde 89,5\u00a0%, nära.") in alts, alts
assert any(a.startswith("Vårdcentralernas andel i augusti 2024, bäst först: bäst ") for a in alts)
# The funnel in words: what it shows, its centre, its limits, the counts.
assert ("Trattdiagram: vårdcentralernas värden för Medicinsk bedömning inom 3 dagar i augusti "
        "2024 mot deras underlag, kring målet 90\u00a0%, med 95\u00a0%- och 99,8\u00a0%-gränser "
        "(exakta binomialgränser). Av 28 enheter i diagrammet ligger 4 över") in " ".join(alts), alts
assert pages[1]["links"] == ["indikator-%d" % (i + 1) for i in range(len(names))], pages[1]["links"]
EOF
}
check "pdf.js reads the tags, language, bookmarks and alt texts" tagged_for_readers

# Nothing is drawn outside the structure unmarked: between the marked
# sequences of every page there is only white space (what is not content,
# such as the running header, is inside an /Artifact sequence).
artifacts_marked() {
    qpdf --qdf --object-streams=disable "$pdf" "$dir/qdf.pdf" &&
        /usr/bin/python3 - "$dir/qdf.pdf" <<'EOF'
import re, sys
t = open(sys.argv[1], "rb").read().decode("latin-1")
pages = re.split(r"%% Contents for page \d+", t)[1:]
assert pages
for i, p in enumerate(pages, 1):
    body = p.split("stream", 1)[1].split("endstream", 1)[0]
    depth, at = 0, 0
    for m in re.finditer(r"(/\w+(?: <<.*?>>)?) (BDC|BMC)|\bEMC\b", body, re.S):
        if depth == 0:
            assert not body[at:m.start()].strip(), (i, body[at:m.start()][:200])
        depth += -1 if m.group(0) == "EMC" else 1
        at = m.end()
    assert depth == 0 and not body[at:].strip(), (i, depth, body[at:][:200])
    assert "/Artifact BMC" in body, i
EOF
}
check "what is not content is marked as an artifact" artifacts_marked

# The order a screen reader reads: the cover's title before the region and
# the document block, the summary's heading before its first row; on an
# indicator's page the analysis, then the funnel and its counts, then the bars.
reading_order() {
    pdftotext "$pdf" "$dir/raw.txt" &&
        /usr/bin/python3 - "$dir/raw.txt" <<'EOF'
import sys
t = open(sys.argv[1]).read()
order = ["Uppföljning primärvård", "Region Kronoberg", "augusti 2024", "Dokument-ID",
         "Sammanfattning, augusti 2024", "Indikator", "Medicinsk bedömning",
         "Försenade åtgärder", "Tertialsammanfattning T2 2024", "Medicinsk bedömning",
         "Regionen per månad", "Analys", "Åtgärder", "Tratt: vårdcentralerna augusti 2024",
         "Av 28 enheter i diagrammet", "Vårdcentralerna augusti 2024, bäst först"]
at = 0
for s in order:
    n = t.find(s, at)
    assert n >= 0, "%s saknas efter tecken %d" % (s, at)
    at = n + len(s)
EOF
}
check "pdftotext reads in reading order" reading_order

# Printed, no word lands on another: the book as it is, and every sheet of
# the workbook as LibreOffice prints it (wrapped cells, titles and heads
# need rows tall enough, which no office sets by itself on opening).
nothing_overprinted() {
    pdftotext -bbox "$pdf" "$dir/book.bbox" && "$(dirname "$0")/overprint.py" "$dir/book.bbox" &&
        soffice --headless --norestore "-env:UserInstallation=file://$dir/lo" \
            --convert-to pdf --outdir "$dir/printed" "$xlsx" >/dev/null 2>&1 &&
        pdftotext -bbox "$dir/printed/uppfolj-2024-08.pdf" "$dir/printed.bbox" &&
        "$(dirname "$0")/overprint.py" "$dir/printed.bbox"
}
check "no word overprints another, in the book or the printed workbook" nothing_overprinted

exit $failed
