#!/bin/sh
# tests/integrity.sh UPPFOLJ KILLSHIM — nothing published is lost or
# falsified, through the command line: archive objects that are corrupt, a
# symbolic link, a FIFO or a folder are never read (healed from an identical
# fresh delivery, or the run stops); an object changed during a run stops
# it, and so does an extract's copy changed before it is placed; earlier
# editions and their comments come from the archive, not from the editable
# report and comments folders; rerun --out never writes into a published
# folder; the lock is never followed through a link; temporary files do not
# outlive a run; verify during a run sees one edition; history marks the
# edition in rapporter/P/ as published; a previous edition that cannot be
# moved is kept and the run still says it published.  Prints TAP.
set -u
# Runs pass --force: they publish the same inputs again, which alone would
# publish no new edition (SPEC "Editions and approval").
uf=$1
shim=$2
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
T1=1725606900 T2=1725693300 T3=1725779700 T4=1725866100

lacks() { # NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then not_ok "$1" "\"$3\" in $(basename "$2")"; else ok "$1"; fi
}
run_at() { # DIR EPOCH [PERIOD]: uppfolj run of the region in DIR
    env SOURCE_DATE_EPOCH="$2" "$uf" run --force --config "$1/uppfolj.json" --period "${3:-2024-08}"
}
# object MANIFEST ROLE NAME: the archive object of that input
object() {
    python3 - "$@" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
i = [x for x in m["inputs"] if x["role"] == sys.argv[2] and x["name"] == sys.argv[3]][0]
print(m["archive"] + "/" + i["sha256"][:2] + "/" + i["sha256"][2:])
PY
}
# output_object ARKIV MANIFEST NAME: the archive object of a published output
output_object() {
    python3 - "$@" <<'PY'
import json, sys
m = json.load(open(sys.argv[2]))
o = [x for x in m["outputs"] if x["name"] == sys.argv[3]][0]
print(sys.argv[1] + "/" + o["sha256"][:2] + "/" + o["sha256"][2:])
PY
}
# archived ARKIV FILE: where FILE's bytes are (or would be) in the archive
archived() { sha=$(sha256sum "$2" | cut -c1-64); echo "$1/$(echo "$sha" | cut -c1-2)/$(echo "$sha" | cut -c3-)"; }
tmpfiles() { ls -A "$1/arkiv/tmp" 2>/dev/null; }
whole() { # OBJECT: a regular file that hashes to its name
    [ -f "$1" ] && [ ! -L "$1" ] &&
        [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$(basename "$(dirname "$1")")$(basename "$1")" ]
}
all_verify() { # REPORT: verify passes on the current edition and each earlier one
    for d in "$1" "$1"/tidigare/*; do
        [ -d "$d" ] || continue
        "$uf" verify "$d" >"$work/verify" 2>&1 || { cat "$work/verify"; return 1; }
    done
}
pdf_text() { pdftotext "$1/uppfolj-2024-08.pdf" "$work/pdf.txt"; }
wait_stopped() { # PID: until the process is stopped (T) by the shim
    for _ in $(seq 1 500); do
        [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = T ] && return 0
        sleep 0.02
    done
    return 1
}
shim_env() { echo "LD_PRELOAD=$shim ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0"; }

make_region "$uf" "$work/clean" || { echo "Bail out! generate failed"; exit 1; }
fresh() { rm -rf "$1" && cp -a "$work/clean" "$1"; }

# ---- a corrupt object is healed by an identical fresh delivery ------------------
r=$work/heal
fresh "$r"
expect "first edition" 0 run_at "$r" "$T1"
pub=$r/rapporter/2024-08
obj=$(object "$pub/manifest.json" extrakt enheter.csv)
chmod u+w "$obj" && sed -i 's/Teleborg/Förfalskad/' "$obj" && chmod a-w "$obj"
expect "a corrupt extract object: the run publishes from the fresh delivery" 0 run_at "$r" "$T2"
contains "the run names the bad object" "$work/err" "$obj"
contains "the run says it replaced it" "$work/err" "är skadat"
pdf_text "$pub"
contains "the PDF shows the delivered unit name" "$work/pdf.txt" "Vårdcentralen Teleborg"
lacks "the PDF does not show the corrupt object's name" "$work/pdf.txt" "Förfalskad"
check "the object hashes to its name again" whole "$obj"
check "every edition verifies" all_verify "$pub"

# ---- a symbolic link in an object's place is never followed ---------------------
sed 's/Teleborg/Länkad/' "$r/extrakt/2024-08/enheter.csv" >"$work/linked.csv"
cp "$work/linked.csv" "$work/linked-before.csv"
rm -f "$obj" && ln -s "$work/linked.csv" "$obj"
expect "a symlinked object: rerun refuses it" 1 "$uf" rerun "$pub/manifest.json" --out "$work/rr-link"
contains "rerun says it is a symbolic link" "$work/err" "symbolisk länk"
cp "$r/extrakt/2024-08/enheter.csv" "$work/same.csv"
rm -f "$obj" && ln -s "$work/same.csv" "$obj"
expect "a symlink to identical bytes is refused all the same" 1 "$uf" rerun "$pub/manifest.json" --out "$work/rr-same"
rm -f "$obj" && ln -s "$work/linked.csv" "$obj"
expect "a symlinked object: the run replaces it" 0 run_at "$r" "$T3"
contains "the run names the symlinked object" "$work/err" "$obj"
pdf_text "$pub"
lacks "the PDF never shows what the link points at" "$work/pdf.txt" "Länkad"
check "the object is a regular file that hashes to its name" whole "$obj"
check "the link's target is untouched" cmp -s "$work/linked.csv" "$work/linked-before.csv"

# ---- a FIFO or a folder in an object's place ----------------------------------
rm -f "$obj" && mkfifo "$obj"
expect "a FIFO object: the run does not hang and replaces it" 0 timeout 60 env SOURCE_DATE_EPOCH="$T4" "$uf" run --force --config "$r/uppfolj.json" --period 2024-08
check "the FIFO is replaced by the object" whole "$obj"
rm -f "$obj" && mkdir "$obj" && echo x >"$obj/inside"
expect "a folder object: the run replaces it" 0 run_at "$r" $((T4 + 60))
check "the folder is replaced by the object" whole "$obj"
if ls "$r/arkiv/skadat/"* >/dev/null 2>&1; then ok "the folder is kept aside in arkiv/skadat/"; else not_ok "the folder is kept aside in arkiv/skadat/"; fi
check "every edition verifies after the repairs" all_verify "$pub"

# ---- an object changed while the run reads it stops the run --------------------
before=$(sha256sum "$pub/manifest.json")
env $(shim_env) UF_SHIM_UNDER="$r/arkiv/arbete/2024-08.new" UF_SHIM_AT=1 UF_SHIM_SIGNAL=STOP \
    SOURCE_DATE_EPOCH=$((T4 + 120)) "$uf" run --force --config "$r/uppfolj.json" --period 2024-08 \
    >"$work/out" 2>"$work/err" &
pid=$!
if wait_stopped $pid; then
    chmod u+w "$obj" && printf ' ' >>"$obj" && chmod a-w "$obj"
    kill -CONT $pid
    wait $pid
    rc=$?
    check "an object changed during the run: exit 1 (got $rc)" [ "$rc" = 1 ]
    contains "the run says an object changed" "$work/err" "ändrades medan den pågick"
    check "nothing was published" [ "$(sha256sum "$pub/manifest.json")" = "$before" ]
else
    kill -KILL $pid 2>/dev/null
    not_ok "the run stops before staging"
fi

# ---- an extract's copy changed before it becomes an object ----------------------
# The extracts' new objects stay in arkiv/tmp while the month is computed and
# are placed after it (uf_inputs_settle): the run is stopped just before the
# first of them is placed, and the largest copy written to meanwhile.
pd=$work/pending
fresh "$pd"
env $(shim_env) UF_SHIM_UNDER="$pd/arkiv/" UF_SHIM_LOG="$work/pending-steps" \
    SOURCE_DATE_EPOCH="$T1" "$uf" run --config "$pd/uppfolj.json" --period 2024-08 >/dev/null 2>&1
# the step: the first rename after copies made one after another (the extracts')
at=$(awk '$2 == "mkostemp" && $3 ~ /arkiv\/tmp\/obj-/ { made++ }
          $2 == "rename" { if (made > 1) { print $1; exit } made = 0 }' "$work/pending-steps")
fresh "$pd"
env $(shim_env) UF_SHIM_UNDER="$pd/arkiv/" UF_SHIM_AT="${at:-0}" UF_SHIM_SIGNAL=STOP \
    SOURCE_DATE_EPOCH="$T1" "$uf" run --config "$pd/uppfolj.json" --period 2024-08 \
    >"$work/out" 2>"$work/err" &
pid=$!
if [ -n "$at" ] && wait_stopped $pid; then
    copy=$(ls -S "$pd/arkiv/tmp/obj-"* 2>/dev/null | head -1)
    check "the extracts' copies wait in arkiv/tmp while the month is computed" [ -n "$copy" ]
    [ -n "$copy" ] && printf ' ' >>"$copy"
    kill -CONT $pid
    wait $pid
    rc=$?
    check "a copy changed before it is placed: exit 1 (got $rc)" [ "$rc" = 1 ]
    contains "the run says the copy changed" "$work/err" "kopian till arkivet ändrades"
    check "nothing was published" [ ! -e "$pd/rapporter/2024-08" ]
    check "the changed copy is not archived" [ ! -e "$(archived "$pd/arkiv" "$pd/extrakt/2024-08/besok.csv")" ]
    check "the other extracts are" whole "$(archived "$pd/arkiv" "$pd/extrakt/2024-08/kontakter.csv")"
    check "no temporary file is left" [ -z "$(tmpfiles "$pd")" ]
else
    kill -KILL $pid 2>/dev/null
    not_ok "the run stops before placing the extracts' objects"
fi

# ---- earlier editions and their comments come from the archive ------------------
ed=$work/editions
fresh "$ed"
"$uf" generate --out "$ed/extrakt/2024-07" --units 6 --patients 2000 --months 30 --seed 7 \
    --period 2024-07 2>/dev/null
sed -i '2,101d' "$ed/extrakt/2024-07/listning.csv" # July's listing differs from August's
cat >"$ed/kommentarer/2024-07.json" <<'EOF'
{"fast_lakarkontakt": {"analysis": "Vakanser.", "actions": [
  {"action": "Öppna kvällsmottagning i Alvesta", "owner": "Primärvårdschef",
   "due": "2024-12-31", "done": ""}]}}
EOF
# June is never published; July's edition carries June's open action.
cat >"$ed/kommentarer/2024-06.json" <<'EOF'
{"bedomning_3d": {"analysis": "", "actions": [
  {"action": "Rekrytera distriktssköterskor", "owner": "Primärvårdschef",
   "due": "2024-12-31", "done": ""}]}}
EOF
expect "July is published" 0 run_at "$ed" 1723014900 2024-07
jul=$ed/rapporter/2024-07
cp "$jul/resultat-2024-07.csv" "$work/jul-orig.csv"
orig=$(grep '^fast_lakarkontakt;REGION;2024-07;' "$jul/resultat-2024-07.csv")
# Hand-edit July's published figure and July's comments after publishing.
sed -i 's/^\(fast_lakarkontakt;REGION;2024-07;\)[^;]*;[^;]*;[^;]*;/\11;2;0.5;/' "$jul/resultat-2024-07.csv"
echo '{}' >"$ed/kommentarer/2024-07.json"
echo '{}' >"$ed/kommentarer/2024-06.json"
expect "August is published" 0 run_at "$ed" "$T1"
aug=$ed/rapporter/2024-08
got=$(grep '^fast_lakarkontakt;REGION;2024-07;' "$aug/resultat-2024-08.csv")
if [ -n "$orig" ] && [ "$got" = "$orig" ]; then ok "August's July figure is the one July published"
else not_ok "August's July figure is the one July published" "published: $orig" "August: $got"; fi
contains "the edited July report is named" "$work/err" "$jul/resultat-2024-07.csv stämmer inte med sitt manifest"
pdf_text "$aug"
contains "July's open action is carried although its file was emptied" "$work/pdf.txt" "Öppna kvällsmottagning i Alvesta"
contains "June's action, as July's edition printed it, is carried too" "$work/pdf.txt" "Rekrytera distriktssköterskor"
if python3 - "$aug/manifest.json" "$ed/kommentarer/2024-07.json" <<'PY'
import hashlib, json, sys
m = json.load(open(sys.argv[1]))
c = [i for i in m["inputs"] if i["role"] == "kommentarer" and i["name"] == "2024-07.json"]
assert len(c) == 1 and c[0]["edition"] == "2024-08-07T07:15:00Z", c
assert c[0]["sha256"] != hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
PY
then ok "the carried comments are the file July's edition archived"
else not_ok "the carried comments are the file July's edition archived"; fi
mv "$ed/extrakt" "$work/ed-extrakt"
expect "August reruns from the archive alone" 0 "$uf" rerun "$aug/manifest.json" --out "$work/ed-rerun"
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    check "the rerun's $f is byte-identical" cmp -s "$work/ed-rerun/$f" "$aug/$f"
done
mv "$work/ed-extrakt" "$ed/extrakt"
# A corrupt object of July's edition, with no identical copy anywhere: stop.
jobj=$(output_object "$ed/arkiv" "$jul/manifest.json" resultat-2024-07.csv)
chmod u+w "$jobj" && printf 'x' >>"$jobj" && chmod a-w "$jobj"
before=$(sha256sum "$aug/manifest.json")
expect "a corrupt object of an earlier edition stops the run" 1 run_at "$ed" "$T2"
contains "the stop names the object" "$work/err" "$jobj"
contains "the stop says nothing was published" "$work/err" "ingenting publicerades"
check "August's edition is untouched" [ "$(sha256sum "$aug/manifest.json")" = "$before" ]
# The published copy, put back as it was, heals it.
cp "$work/jul-orig.csv" "$jul/resultat-2024-07.csv"
expect "an identical copy in the report folder heals the object" 0 run_at "$ed" "$T3"
check "July's object hashes to its name again" whole "$jobj"

# ---- rerun --out never writes into a published folder ---------------------------
sum_aug=$(cat "$aug"/* 2>/dev/null | sha256sum)
expect "rerun into the published folder is refused" 2 "$uf" rerun "$aug/manifest.json" --out "$aug"
contains "the refusal says why" "$work/err" "publicerad"
expect "rerun into a new folder in the reports tree is refused" 2 "$uf" rerun "$aug/manifest.json" --out "$ed/rapporter/2030-01"
check "no folder was made there" [ ! -e "$ed/rapporter/2030-01" ]
expect "rerun under an earlier edition is refused" 2 "$uf" rerun "$aug/manifest.json" --out "$aug/tidigare/x"
check "the published folder is untouched" [ "$(cat "$aug"/* 2>/dev/null | sha256sum)" = "$sum_aug" ]
mkdir -p "$work/busy" && echo keep >"$work/busy/notes.txt"
expect "rerun into a non-empty folder is refused" 2 "$uf" rerun "$aug/manifest.json" --out "$work/busy"
expect "rerun into a new folder" 0 "$uf" rerun "$aug/manifest.json" --out "$work/rr-again"
expect "rerun into a previous rerun of the same manifest is allowed" 0 "$uf" rerun "$aug/manifest.json" --out "$work/rr-again"
expect "rerun of another manifest into it is refused" 2 "$uf" rerun "$jul/manifest.json" --out "$work/rr-again"

# ---- the lock file is never followed through a link ------------------------------
lk=$work/lock
fresh "$lk"
mkdir -p "$lk/arkiv/arbete"
echo "viktig fil" >"$work/victim"
ln -s "$work/victim" "$lk/arkiv/arbete/2024-08.lock"
expect "a symlinked lock file is refused" 1 run_at "$lk" "$T1"
contains "the refusal says it is a link" "$work/err" "symbolisk länk"
check "the file the link points at is untouched" [ "$(cat "$work/victim")" = "viktig fil" ]

# ---- temporary files in arkiv/tmp ------------------------------------------------
# stopped DIR: a run stopped while its first object is in arkiv/tmp
stopped() {
    env $(shim_env) UF_SHIM_UNDER="$1/arkiv/tmp/" UF_SHIM_AT=2 UF_SHIM_SIGNAL=STOP \
        SOURCE_DATE_EPOCH="$T1" "$uf" run --force --config "$1/uppfolj.json" --period 2024-08 \
        >"$work/out" 2>"$work/err" &
    pid=$!
    wait_stopped $pid
}
tp=$work/tmpfiles
fresh "$tp"
if stopped "$tp" && [ -n "$(tmpfiles "$tp")" ]; then
    kill -TERM $pid && kill -CONT $pid
    wait $pid
    rc=$?
    check "SIGTERM while archiving: the run dies of it (status $rc)" [ "$rc" = 143 ]
    check "SIGTERM while archiving: no temporary file is left" [ -z "$(tmpfiles "$tp")" ]
else
    kill -KILL $pid 2>/dev/null
    not_ok "a run stopped while archiving"
fi
fresh "$tp"
if stopped "$tp" && [ -n "$(tmpfiles "$tp")" ]; then
    held=$(tmpfiles "$tp")
    expect "a run of another period while one is archiving" 0 "$uf" fetch --config "$tp/uppfolj.json" --period 2024-07
    check "the living run's temporary file is not swept" [ "$(tmpfiles "$tp")" = "$held" ]
    kill -KILL $pid
    wait $pid 2>/dev/null
    check "SIGKILL leaves it behind" [ "$(tmpfiles "$tp")" = "$held" ]
    expect "the next run publishes" 0 run_at "$tp" "$T2"
    check "and sweeps what the killed run left" [ -z "$(tmpfiles "$tp")" ]
else
    kill -KILL $pid 2>/dev/null
    not_ok "a run stopped while archiving"
fi
fresh "$tp"
(ulimit -f 300; exec env SOURCE_DATE_EPOCH="$T1" "$uf" run --force --config "$tp/uppfolj.json" --period 2024-08) \
    >"$work/out" 2>"$work/err"
rc=$?
check "a file past the size limit: exit 1, not SIGXFSZ (status $rc)" [ "$rc" = 1 ]
contains "the message says the file grew too large" "$work/err" "för stor"
check "no temporary file is left" [ -z "$(tmpfiles "$tp")" ]

# ---- verify while a run publishes sees one edition ------------------------------
vr=$work/verify-run
fresh "$vr"
expect "an edition to verify" 0 run_at "$vr" "$T1"
env $(shim_env) UF_SHIM_OPEN=uppfolj-2024-08.pdf UF_SHIM_SIGNAL=STOP \
    "$uf" verify "$vr/rapporter/2024-08" >"$work/vout" 2>"$work/verr" &
pid=$!
if wait_stopped $pid; then
    expect "a new edition is published while verify reads the old one" 0 run_at "$vr" "$T2"
    kill -CONT $pid
    wait $pid
    rc=$?
    check "verify during a run finds no false difference (exit $rc)" [ "$rc" = 0 ]
    lacks "verify reports nothing changed" "$work/vout" "ÄNDRAD"
else
    kill -KILL $pid 2>/dev/null
    not_ok "verify stops at the PDF"
fi

# ---- history: the edition in rapporter/P/ is the published one ------------------
hi=$work/history
fresh "$hi"
expect "an edition with a later run time" 0 run_at "$hi" "$T3"
expect "then one with an earlier run time" 0 run_at "$hi" "$T1"
expect "history" 0 "$uf" history 2024-08 --config "$hi/uppfolj.json"
contains "history marks the edition in rapporter/2024-08 as published" "$work/out" "2024-09-06T07:15:00Z  manifest"
if grep -F "(publicerad)" "$work/out" | grep -qF "2024-09-06T07:15:00Z"; then ok "the current edition is the one marked published"
else not_ok "the current edition is the one marked published" "$(cat "$work/out")"; fi
if grep -F "(publicerad)" "$work/out" | grep -qF "2024-09-08T07:15:00Z"; then not_ok "the replaced edition is not marked published"
else ok "the replaced edition is not marked published"; fi

# ---- a previous edition that cannot be moved is kept, and the run tells the truth --
ro=$work/readonly
fresh "$ro"
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null; then
        chown -R 65534:65534 "$ro" && chmod a+rx "$work"
        as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    else
        as_user() { return 99; }
    fi
fi
expect "a first edition (as an ordinary user)" 0 as_user env SOURCE_DATE_EPOCH=$((T1 - 3600)) "$uf" run --force --config "$ro/uppfolj.json" --period 2024-08
expect "a second edition (as an ordinary user)" 0 as_user env SOURCE_DATE_EPOCH="$T1" "$uf" run --force --config "$ro/uppfolj.json" --period 2024-08
# What its tidigare/ holds cannot be moved out of it, so neither can the
# edition after the swap: it stays in the work folder.
chmod 555 "$ro/rapporter/2024-08/tidigare"
expect "the next run publishes although the previous edition cannot be moved" 0 as_user env SOURCE_DATE_EPOCH="$T2" "$uf" run --force --config "$ro/uppfolj.json" --period 2024-08
contains "it says the report is published" "$work/out" "är publicerad"
contains "it warns that the previous edition stays where it is" "$work/err" "ligger kvar"
lacks "it does not claim nothing was published" "$work/err" "ingenting publicerades"
contains "the new edition is in place" "$ro/rapporter/2024-08/manifest.json" "2024-09-07T07:15:00Z"
kept=$(find "$ro/arkiv/arbete" -maxdepth 1 -name '2024-08.new-*' | head -n 1)
check "the previous edition is kept" test -n "$kept" -a -f "$kept/manifest.json"
[ -n "$kept" ] && expect "the kept edition verifies" 0 "$uf" verify "$kept"
expect "history lists it" 0 "$uf" history 2024-08 --config "$ro/uppfolj.json"
contains "history shows the kept edition" "$work/out" "2024-09-06T07:15:00Z"
expect "a third run while it still cannot be moved" 0 as_user env SOURCE_DATE_EPOCH="$T3" "$uf" run --force --config "$ro/uppfolj.json" --period 2024-08
check "the kept edition is still kept" [ -f "$kept/manifest.json" ]
[ -n "$kept" ] && chmod 755 "$kept/tidigare"
expect "once it can be moved, the next run settles it" 0 as_user env SOURCE_DATE_EPOCH="$T4" "$uf" run --force --config "$ro/uppfolj.json" --period 2024-08
check "no staging folder is left" [ -z "$(find "$ro/arkiv/arbete" -maxdepth 1 -name '2024-08.new-*')" ]
count=$(ls "$ro/rapporter/2024-08/tidigare" | wc -l)
check "all four earlier editions are in tidigare/ ($count)" [ "$count" = 4 ]
check "every edition verifies" all_verify "$ro/rapporter/2024-08"

finish
