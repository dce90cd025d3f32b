#!/bin/sh
# tests/faults.sh UPPFOLJ — faults while publishing: a reports folder that
# cannot be written, a full disk (RLIMIT_FSIZE, and a small tmpfs where
# mounting is allowed), and runs killed with SIGTERM and SIGKILL while
# rendering.  After each: no report folder appears (or the previous edition
# is untouched), every archive object still hashes to its name, and the
# next run publishes.  Prints TAP.
set -u
# Runs pass --force: they publish the same inputs again, which alone would
# publish no new edition (SPEC "Editions and approval").
uf=$1
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
mounted=""
trap '[ -n "$mounted" ] && umount "$mounted"; rm -rf "$work"' EXIT
make_region "$uf" "$work/clean" || { echo "Bail out! generate failed"; exit 1; }
export SOURCE_DATE_EPOCH=1725606900

fresh() { rm -rf "$work/r" && cp -r "$work/clean" "$work/r"; }
run() { "$uf" run --force --quiet --config "$work/r/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/err"; }
# Every object under arkiv/ab/cdef... hashes to ab + cdef...: none is truncated.
archive_whole() {
    [ -d "$work/r/arkiv" ] || return 0
    find "$work/r/arkiv" -path "$work/r/arkiv/??/*" -type f | while read -r f; do
        want=$(basename "$(dirname "$f")")$(basename "$f")
        [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$want" ] || { echo "# truncated: $f"; exit 1; }
    done
}
unpublished() { [ ! -e "$work/r/rapporter/2024-08" ]; }
no_stage() { ! ls -a "$work/r/arkiv/arbete" 2>/dev/null | grep -q '\.new-'; }
next_run_works() {
    run && [ -s "$work/r/rapporter/2024-08/manifest.json" ] && no_stage && archive_whole
}

# ---- a reports folder that cannot be written ------------------------------------
fresh
: >"$work/r/fil"
sed -i 's|"reports": "rapporter"|"reports": "fil/rapporter"|' "$work/r/uppfolj.json"
run
rc=$?
check "reports under a file: exit 1" [ "$rc" = 1 ]
check "reports under a file: the message names the folder" grep -q "fil/rapporter" "$work/err"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    # root writes anywhere: the read-only folder is tried as nobody
    fresh
    mkdir -p "$work/r/rapporter" "$work/r/arkiv"
    chmod -R a+rX "$work" && chmod 777 "$work/r/arkiv" && chmod 555 "$work/r/rapporter"
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$uf" run --force --quiet --config "$work/r/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/err"
    rc=$?
    check "read-only reports folder: exit 1" [ "$rc" = 1 ]
    check "read-only reports folder: the message names it" grep -q "^uppfolj: $work/r/rapporter" "$work/err"
    check "read-only reports folder: nothing published" unpublished
    chmod 755 "$work/r/rapporter"
    check "read-only reports folder: the next run works" next_run_works
fi

# ---- a full disk: writes fail with EFBIG (SIGXFSZ ignored) ------------------------
# limited() BLOCKS: a run whose files may not grow past BLOCKS * 512 bytes.
limited() {
    (trap '' XFSZ; ulimit -f "$1"; exec "$uf" run --force --quiet --config "$work/r/uppfolj.json" \
        --period 2024-08) >"$work/out" 2>"$work/err"
}
# While archiving: besok.csv is larger than 150 KB.
fresh
limited 300
rc=$?
check "full while archiving: exit 1" [ "$rc" = 1 ]
check "full while archiving: a message, not a crash" grep -q "^uppfolj: ingenting publicerades" "$work/err"
check "full while archiving: nothing published" unpublished
check "full while archiving: no truncated archive object" archive_whole
check "full while archiving: the next run works" next_run_works
# While rendering: the inputs are archived already; 100 KB holds resultat
# (60 KB) but not the PDF (150 KB), the file whose writer was qpdf's.
export SOURCE_DATE_EPOCH=1725693300
first=$(sha256sum "$work/r/rapporter/2024-08/manifest.json" | cut -d' ' -f1)
limited 200
rc=$?
check "full while rendering: exit 1" [ "$rc" = 1 ]
check "full while rendering: a message, not a crash" grep -q "^uppfolj: ingenting publicerades" "$work/err"
check "full while rendering: the reason in Swedish, as the system gave it" grep -q "PDF-filen kunde inte skrivas: filen blev för stor" "$work/err"
check "full while rendering: the published edition is untouched" [ "$(sha256sum "$work/r/rapporter/2024-08/manifest.json" | cut -d' ' -f1)" = "$first" ]
check "full while rendering: no staging folder left" no_stage
check "full while rendering: the next run works" next_run_works
export SOURCE_DATE_EPOCH=1725606900

# ---- a full disk: a small tmpfs, where this machine lets us mount one ------------
fresh
mkdir -p "$work/small"
if mount -t tmpfs -o size=4m tmpfs "$work/small" 2>/dev/null; then
    mounted=$work/small
    mv "$work/r" "$work/small/r"
    ln -s "$work/small/r" "$work/r"
    run # archives the inputs; then the disk is filled up to 16 KB, less than any output
    first=$(sha256sum "$work/r/rapporter/2024-08/manifest.json" | cut -d' ' -f1)
    free=$(df -k --output=avail "$work/small" | tail -n 1)
    dd if=/dev/zero of="$work/small/fill" bs=1k count=$((free - 16)) 2>/dev/null
    export SOURCE_DATE_EPOCH=1725693300
    run
    rc=$?
    check "full tmpfs: exit 1" [ "$rc" = 1 ]
    check "full tmpfs: the message says, in Swedish, that the disk is full" grep -q "disken är full" "$work/err"
    check "full tmpfs: the published edition is untouched" [ "$(sha256sum "$work/r/rapporter/2024-08/manifest.json" | cut -d' ' -f1)" = "$first" ]
    check "full tmpfs: no staging folder left" no_stage
    check "full tmpfs: no truncated archive object" archive_whole
    rm "$work/small/fill"
    check "full tmpfs: the next run works" next_run_works
    export SOURCE_DATE_EPOCH=1725606900
    rm "$work/r" && mv "$work/small/r" "$work/r"
    umount "$work/small" && mounted=""
else
    ok "full tmpfs # SKIP mounting is not allowed here"
fi

# ---- killed while rendering: SIGTERM and SIGKILL ------------------------------------
no_staging() { ! ls -a "$work/r/arkiv/arbete" | grep -q '\.new-'; }
for sig in TERM KILL; do
    fresh
    run # a first edition, which a killed second run must leave alone
    first=$(sha256sum "$work/r/rapporter/2024-08/manifest.json" | cut -d' ' -f1)
    export SOURCE_DATE_EPOCH=1725693300
    "$uf" run --force --config "$work/r/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/err" &
    pid=$!
    # kill it once it writes into its staging folder
    for _ in $(seq 1 400); do
        ls -a "$work/r/arkiv/arbete" | grep -q '\.new-' && break
        sleep 0.01
    done
    kill -s $sig $pid 2>/dev/null
    wait $pid
    rc=$?
    check "SIG$sig: the run died of it (status $rc)" [ "$rc" -gt 128 ]
    if [ $sig = TERM ]; then
        check "SIGTERM: the run removed its staging folder as it went" no_staging
    fi
    check "SIG$sig: the published edition is untouched" [ "$(sha256sum "$work/r/rapporter/2024-08/manifest.json" | cut -d' ' -f1)" = "$first" ]
    check "SIG$sig: no edition half-moved to tidigare/" [ ! -e "$work/r/rapporter/2024-08/tidigare" ]
    check "SIG$sig: no truncated archive object" archive_whole
    check "SIG$sig: the next run works and clears the staging folder" next_run_works
    check "SIG$sig: the next run keeps the first edition" [ -s "$work/r/rapporter/2024-08/tidigare/2024-09-06T071500Z/manifest.json" ]
    export SOURCE_DATE_EPOCH=1725606900
done
finish
