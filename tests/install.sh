#!/bin/sh
# tests/install.sh BUILD SRC PREFIX UNITDIR DEFS — what `meson install` gives,
# with the source tree out of reach.  Installs into a temporary DESTDIR,
# checks the files, moves the installed tree elsewhere, and runs
# `uppfolj generate`, `run` and `rerun` on a copy of the installed demo
# region under strace, which names every path the program touches: none
# may be in SRC.  DEFS is where the built-in definitions are installed, and
# where the program looks for them.  Where a mount namespace may bind the
# moved tree onto PREFIX, the program also runs from there with no
# UPPFOLJ_INDICATORS, as after a real install.  Prints TAP.
set -u
build=$1 src=$(cd "$2" && pwd -P) prefix=$3 unitdir=$4 defs=$5
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset UPPFOLJ_INDICATORS
# LeakSanitizer cannot work under ptrace; the other tests look for leaks.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS

if ! meson install -C "$build" --destdir "$work/dest" --no-rebuild --quiet >"$work/log" 2>&1; then
    not_ok "meson install into a DESTDIR" "$(tail -n 20 "$work/log")"
    finish
    exit 1
fi
ok "meson install into a DESTDIR"
inst=$work/dest$prefix
for f in bin/uppfolj share/man/man1/uppfolj.1 share/doc/uppfolj/README.md \
    share/doc/uppfolj/examples/demo/uppfolj.json share/doc/uppfolj/examples/demo/targets.json \
    share/doc/uppfolj/examples/demo/kommentarer/2024-08.json \
    share/doc/uppfolj/examples/demo/indikatorer/digitala_forstakontakter.json; do
    check "installs $f" [ -s "$inst/$f" ]
done
check "installs every built-in definition in $defs" \
    [ "$(ls "$work/dest$defs" | wc -l)" = "$(ls "$src/indicators" | wc -l)" ]
for u in uppfolj.service uppfolj.timer; do
    check "installs $u" [ -s "$work/dest$unitdir/$u" ]
done
check "the service starts the installed program" \
    grep -qx "ExecStart=$prefix/bin/uppfolj run --config /etc/uppfolj/uppfolj.json" \
    "$work/dest$unitdir/uppfolj.service"

# The installed tree, moved away from where it was installed.
moved=$work/moved
mv "$inst" "$moved"
moved_defs=$moved${defs#"$prefix"}
cp -r "$moved/share/doc/uppfolj/examples/demo" "$work/region"
cd "$work"
uf=$moved/bin/uppfolj
export SOURCE_DATE_EPOCH=1725606900

# traced NAME WANT CMD...: CMD exits WANT and names no path in SRC (strace
# prints each path whole: -s 4096).
traced() {
    name=$1 want=$2
    shift 2
    strace -f -qq -s 4096 -e trace=%file -o "$work/trace" "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" != "$want" ]; then
        not_ok "$name" "exit $got, want $want" "$(head -c 800 "$work/err")"
    elif grep -qF "\"$src" "$work/trace"; then
        not_ok "$name" "it reads the source tree:" "$(grep -F "\"$src" "$work/trace" | head -n 5)"
    else
        ok "$name"
    fi
}
check "strace is there to watch the program" strace -qq -o /dev/null true

traced "generate, touching nothing in the source tree" 0 "$uf" generate --quiet \
    --out "$work/region/extrakt/2024-08" --period 2024-08 --units 12 --patients 20000

# The definitions the program was built to find are not there: a broken
# installation, exit 1, not an input rejected (3).
if [ ! -e "$defs" ]; then
    traced "without its definitions the program exits 1" 1 \
        "$uf" check --config "$work/region/uppfolj.json" --period 2024-08
    check "and says the installation is incomplete, naming the folder" \
        grep -qF "$defs: de inbyggda indikatordefinitionerna" "$work/err"
fi

# report_ok REGION DEFS: the run published all four files, its manifest
# names the libraries and the fonts pdffonts finds, and every built-in
# definition was read from DEFS.
report_ok() {
    pub=$1/rapporter/2024-08
    [ -s "$pub/uppfolj-2024-08.xlsx" ] && [ -s "$pub/uppfolj-2024-08.pdf" ] &&
        [ -s "$pub/resultat-2024-08.csv" ] && [ -s "$pub/manifest.json" ] || return 1
    pdffonts "$pub/uppfolj-2024-08.pdf" | awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1 }' |
        sort -u >"$work/pdffonts"
    /usr/bin/python3 - "$pub/manifest.json" "$2" "$1/indikatorer" "$work/pdffonts" <<'PY'
import json, os, sys
m = json.load(open(sys.argv[1]))
libs = m["libraries"]
want = ["cairo", "pango", "harfbuzz", "freetype", "libxlsxwriter", "zlib", "jansson", "libcurl", "qpdf"]
assert list(libs) == want and all(libs.values()), libs
assert m["version"] and m["revision"], m
fonts = sorted(os.path.basename(f["file"]).rsplit(".", 1)[0] for f in m["fonts"])
assert fonts == open(sys.argv[4]).read().split(), (fonts, open(sys.argv[4]).read())
for i in m["inputs"]:
    if i["role"] == "indikator":
        assert os.path.dirname(i["origin"]) in (sys.argv[2], sys.argv[3]), i["origin"]
PY
}
traced "run with UPPFOLJ_INDICATORS, touching nothing in the source tree" 0 \
    env UPPFOLJ_INDICATORS="$moved_defs" \
    "$uf" run --quiet --config "$work/region/uppfolj.json" --period 2024-08
check "its report is published, its manifest names libraries, fonts and installed definitions" \
    report_ok "$work/region" "$moved_defs"
pub=$work/region/rapporter/2024-08
traced "rerun, touching nothing in the source tree" 0 \
    "$uf" rerun --quiet "$pub/manifest.json" --out "$work/rerun"
if grep -q varning "$work/err"; then not_ok "the rerun warns of nothing" "$(cat "$work/err")"
else ok "the rerun warns of nothing"; fi
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    check "the rerun's $f is byte-identical" cmp -s "$pub/$f" "$work/rerun/$f"
done

# As after `meson install` itself: the moved tree bound onto PREFIX (in a
# mount namespace of the program's own), no UPPFOLJ_INDICATORS.  A chroot
# cannot have one; the Debian package's test covers that case.
at_prefix() {
    unshare -m sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' "$moved" "$prefix" "$@"
}
if [ "$prefix" != /usr ] && [ -d "$prefix" ] && at_prefix true 2>/dev/null; then
    cp -r "$moved/share/doc/uppfolj/examples/demo" "$work/region2"
    cp -r "$work/region/extrakt" "$work/region2/"
    traced "run from PREFIX with its own definitions" 0 \
        unshare -m sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' "$moved" "$prefix" \
        "$prefix/bin/uppfolj" run --quiet --config "$work/region2/uppfolj.json" --period 2024-08
    check "that report reads the definitions from PREFIX" report_ok "$work/region2" "$defs"
else
    ok "# SKIP no mount namespace here to bind the installed tree onto $prefix"
fi
finish
