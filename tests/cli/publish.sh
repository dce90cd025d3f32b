#!/bin/sh
# tests/cli/publish.sh UPPFOLJ — a small region through check, compute and
# run as a controller uses them: what is published, the archive behind it,
# earlier editions kept, a late delivery, comments carried forward, no
# patient id anywhere, and index.html (in Chromium too).  Prints TAP.
. "$(dirname "$0")/common.sh"

region=$work/region
check "generate a small region" make_region "$uf" "$region"

# An open action from June that August's comments leave out is carried forward.
june_comments "$region"
expect "check passes" 0 "$uf" check --config "$region/uppfolj.json" --period 2024-08
contains "check warns of an indicator without owner" "$work/err" "ägare saknas"
contains "check warns of a missed target without analysis" "$work/err" "och analys saknas"
contains "check warns of a carried overdue action" "$work/err" "från 2024-06"
contains "check warns of an empty document block" "$work/err" "dokumentblocket saknar Dokument-ID"
expect "check --strict makes the warnings errors" 3 "$uf" check --strict --config "$region/uppfolj.json" --period 2024-08
expect "compute prints figures" 0 "$uf" compute --config "$region/uppfolj.json" --period 2024-08
contains "compute has the resultat header" "$work/out" "indikator;enhet_id;period;taljare;namnare;varde;mal;status"
contains "compute has a region row" "$work/out" "bedomning_3d;REGION;2024-08;"

export SOURCE_DATE_EPOCH=1725606900 # 2024-09-06 07:15 UTC
expect "run publishes" 0 "$uf" run --config "$region/uppfolj.json" --period 2024-08
pub=$region/rapporter/2024-08
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    if [ -s "$pub/$f" ]; then ok "published $f"; else not_ok "published $f" "missing"; fi
done
contains "run says where the report is" "$work/out" "$pub"
if ls -a "$region/arkiv/arbete" | grep -q '\.new-'; then not_ok "no staging folder left" "$(ls -a "$region/rapporter")"; else ok "no staging folder left"; fi

# Every output's checksum in the manifest is right; every input is in the archive.
if python3 - "$pub" "$region/arkiv" <<'PY'
import hashlib, json, os, sys
pub, arkiv = sys.argv[1:]
m = json.load(open(f"{pub}/manifest.json"))
assert m["period"] == "2024-08" and m["run_time"] == "2024-09-06T07:15:00Z", m["run_time"]
outs = {o["name"]: o for o in m["outputs"]}
assert set(outs) == {"uppfolj-2024-08.xlsx", "uppfolj-2024-08.pdf", "resultat-2024-08.csv"}, outs
for name, o in outs.items():
    assert hashlib.sha256(open(f"{pub}/{name}", "rb").read()).hexdigest() == o["sha256"], name
roles = {i["role"] for i in m["inputs"]}
assert {"config", "targets", "indikator", "extrakt"} <= roles, roles
for i in m["inputs"]:
    obj = f"{arkiv}/{i['sha256'][:2]}/{i['sha256'][2:]}"
    assert hashlib.sha256(open(obj, "rb").read()).hexdigest() == i["sha256"], obj
    assert not os.access(obj, os.W_OK) or os.geteuid() == 0, obj
    assert os.stat(obj).st_mode & 0o222 == 0, obj
PY
then ok "manifest checksums and archive objects agree"; else not_ok "manifest checksums and archive objects agree"; fi

pdftotext "$pub/uppfolj-2024-08.pdf" "$work/carried.txt"
contains "an open action from an earlier month is carried forward" "$work/carried.txt" "Rekrytera specialister i allmänmedicin"
if grep -q "Stängd åtgärd" "$work/carried.txt"; then not_ok "a closed action is not carried forward"; else ok "a closed action is not carried forward"; fi
contains "earlier comment files are archived inputs" "$pub/manifest.json" '"name": "2024-06.json"'

# Suppressed figures keep no counts in the published resultat file.
if awk -F';' '$8 == "for_litet_underlag" && ($4 != "" || $6 != "") { bad = 1 } END { exit bad }' \
    "$pub/resultat-2024-08.csv"; then ok "suppressed figures have no taljare or varde"; else not_ok "suppressed figures have no taljare or varde"; fi
if grep -q ';0,' "$pub/resultat-2024-08.csv"; then not_ok "resultat uses decimal points"; else ok "resultat uses decimal points"; fi

# No patient id leaves compute: not in the CSV, the workbook's XML or the PDF's text.
cut -d';' -f1 "$region/extrakt/2024-08/listning.csv" | tail -n +2 | head -200 >"$work/ids"
mkdir -p "$work/x" && (cd "$work/x" && unzip -q -o "$pub/uppfolj-2024-08.xlsx")
pdftotext "$pub/uppfolj-2024-08.pdf" "$work/pdf.txt"
if cat "$pub"/*.csv "$pub/manifest.json" "$work/pdf.txt" "$work"/x/xl/worksheets/*.xml \
    "$work/x/xl/sharedStrings.xml" | grep -qFf "$work/ids"; then
    not_ok "no patient id in any output"
else ok "no patient id in any output"; fi

# A second run of the period keeps the first edition under tidigare/.
export SOURCE_DATE_EPOCH=1725693300 # a day later
expect "a re-run publishes again" 0 "$uf" run --config "$region/uppfolj.json" --period 2024-08
if [ -s "$pub/tidigare/2024-09-06T071500Z/manifest.json" ]; then ok "previous edition kept in tidigare/"; else not_ok "previous edition kept in tidigare/" "$(find "$pub" | head)"; fi
contains "the new edition has the new run time" "$pub/manifest.json" "2024-09-07T07:15:00Z"

# A late delivery changes figures: the run says so, and the workbook lists them.
late_delivery "$region"
export SOURCE_DATE_EPOCH=1725779700 # two days later
expect "a late delivery publishes a third edition" 0 "$uf" run --config "$region/uppfolj.json" --period 2024-08
contains "the run counts the restated figures" "$work/err" "siffror skiljer sig från tidigare publicerade rapporter"
contains "the manifest archives the previous edition's figures" "$pub/manifest.json" '"role": "tidigare"'
if [ -d "$pub/tidigare/2024-09-06T071500Z" ] && [ -d "$pub/tidigare/2024-09-07T071500Z" ]; then ok "both earlier editions are kept"; else not_ok "both earlier editions are kept" "$(ls "$pub/tidigare")"; fi

# The secretaries' page lists the period, and every link on it resolves.
idx=$region/rapporter/index.html
contains "index.html lists the period" "$idx" "augusti 2024"
contains "index.html lists an earlier edition" "$idx" "<tr class=\"tidigare\"><td></td><td>Utgåva 2</td>"
if python3 - "$idx" <<'PY'
import html.parser, os, sys
page = sys.argv[1]
class Links(html.parser.HTMLParser):
    hrefs = []
    def handle_starttag(self, tag, attrs):
        self.hrefs += [v for k, v in attrs if k == "href"]
p = Links(); p.feed(open(page, encoding="utf-8").read())
assert len(p.hrefs) >= 8, p.hrefs
bad = [h for h in p.hrefs if h.startswith(("/", "http")) or
       not os.path.isfile(os.path.join(os.path.dirname(page), h))]
assert not bad, bad
assert "<script" not in open(page).read()
PY
then ok "every link on index.html is relative and resolves"; else not_ok "every link on index.html is relative and resolves"; fi
if command -v chromium >/dev/null; then
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/chromium" --window-size=1200,700 \
        --screenshot="$work/index.png" "file://$idx" >/dev/null 2>&1
    if [ -s "$work/index.png" ]; then
        shot=$work/index.png # meson test keeps it in UF_TEST_OUT
        if [ -n "${UF_TEST_OUT:-}" ]; then
            mkdir -p "$UF_TEST_OUT" && cp "$shot" "$UF_TEST_OUT/" && shot=$UF_TEST_OUT/index.png
        fi
        ok "Chromium renders index.html (screenshot: $shot)"
    else not_ok "Chromium renders index.html"; fi
fi

finish
