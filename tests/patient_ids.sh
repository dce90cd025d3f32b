#!/bin/sh
# tests/patient_ids.sh UPPFOLJ — no patient id ever leaves compute.  Runs
# the verbs a controller uses (check, compute, run, a re-run) and refusals
# of rows that carry a patient id, then looks for every synthetic patient id
# in every message and every file the runs wrote: reports (the workbook's
# XML unzipped, the PDF's text), logs, staging.  The archive and the
# extracts are left out: they hold the inputs by design.  Prints TAP.
set -u
# Runs pass --force: they publish the same inputs again, which alone would
# publish no new edition (SPEC "Editions and approval").
uf=$1
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_region "$uf" "$work/r" || { echo "Bail out! generate failed"; exit 1; }
ex=$work/r/extrakt/2024-08
cut -d';' -f1 "$ex/listning.csv" "$ex/besok.csv" | grep '^P' | sort -u >"$work/ids"
check "the region has patient ids to look for" [ "$(wc -l <"$work/ids")" -gt 1000 ]
mkdir -p "$work/msg"
say() { # NAME VERB... : keeps what the verb printed
    name=$1
    shift
    "$uf" "$@" >"$work/msg/$name.out" 2>"$work/msg/$name.err"
}
say check check --config "$work/r/uppfolj.json" --period 2024-08
say compute compute --config "$work/r/uppfolj.json" --period 2024-08
say data compute --data "$ex" --period 2024-08
export SOURCE_DATE_EPOCH=1725606900
say run run --force --config "$work/r/uppfolj.json" --period 2024-08
export SOURCE_DATE_EPOCH=1725693300
say rerun run --force --config "$work/r/uppfolj.json" --period 2024-08
check "the runs published" [ -s "$work/r/rapporter/2024-08/tidigare/2024-09-06T071500Z/manifest.json" ]

# Refusals of rows that hold a patient id: each field error names the place.
refuse() { # NAME FILE SED-EXPRESSION
    cp "$ex/$2" "$work/$2.orig"
    sed -i "$3" "$ex/$2"
    say "$1" check --config "$work/r/uppfolj.json" --period 2024-08
    check "$1 is refused" [ $? = 3 ]
    mv "$work/$2.orig" "$ex/$2"
}
refuse bad_sabo listning.csv '2s/;[JN]$/;kanske/'
refuse bad_visit_date besok.csv '3s/;20[0-9-]*;/;2024-02-30;/'
refuse no_doctor besok.csv '4s/^\(P[^;]*;[^;]*;\)[^;]*;/\1;/'
refuse few_fields listning.csv '5s/;[^;]*$//'
refuse bad_utf8 besok.csv '6s/^P\([^;]*\)/P\1\xff/'
refuse unterminated besok.csv '7s/^P/"P/'

# The workbook's XML and the PDF's text, beside the files themselves.
for x in $(find "$work/r/rapporter" -name '*.xlsx'); do
    d=$work/unzipped/$(echo "$x" | md5sum | cut -c1-8)
    mkdir -p "$d" && (cd "$d" && unzip -q -o "$x")
done
for p in $(find "$work/r/rapporter" -name '*.pdf'); do
    pdftotext "$p" "$work/msg/$(echo "$p" | md5sum | cut -c1-8).pdf.txt"
done
leaks=$(find "$work/msg" "$work/unzipped" "$work/r" -path "$work/r/arkiv" -prune -o \
    -path "$work/r/extrakt" -prune -o -type f -print | xargs grep -lFf "$work/ids")
if [ -z "$leaks" ]; then ok "no patient id in any message or output file"; else not_ok "no patient id in any message or output file" "$leaks"; fi
# the scan itself can fail: a planted id is found
head -n 1 "$work/ids" >"$work/msg/planted"
check "the scan finds a planted id" grep -qFf "$work/ids" "$work/msg/planted"
finish
