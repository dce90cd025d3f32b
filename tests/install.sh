#!/bin/sh
# tests/install.sh BUILD SRC PREFIX UNITDIR DEFS — what `meson install` gives,
# run with the source tree gone.  Installs into a temporary DESTDIR, checks
# the files, moves the installed tree elsewhere, and runs `uppfolj generate`
# and `uppfolj run` on a copy of the installed demo region with SRC hidden
# (an empty tmpfs over it, in a mount namespace of the commands' own) so
# that nothing can be read from the checkout.  Where the namespace may also
# bind the moved tree onto PREFIX, the program runs from PREFIX with no
# UPPFOLJ_INDICATORS, as after a real install.  DEFS is where the built-in
# definitions are installed (and the program looks).  Prints TAP.
set -u
build=$1 src=$(cd "$2" && pwd -P) prefix=$3 unitdir=$4 defs=$5
. "$(dirname "$0")/region.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset UPPFOLJ_INDICATORS
# LeakSanitizer reads its suppressions at exit, when the source tree is hidden.
case ${LSAN_OPTIONS:-} in
*suppressions=*)
    cp "$src/tests/lsan.supp" "$work/lsan.supp"
    LSAN_OPTIONS=suppressions=$work/lsan.supp
    export LSAN_OPTIONS
    ;;
esac

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

# hidden CMD...: CMD with an empty tmpfs over SRC.
hidden() {
    unshare -m sh -c 'mount -t tmpfs -o size=1m uf-hidden "$0" && exec "$@"' "$src" "$@"
}
if ! hidden true 2>"$work/err"; then
    ok "# SKIP the source tree cannot be hidden here: $(head -n 1 "$work/err")"
    hidden() { "$@"; }
fi
check "a hidden source tree is empty" hidden sh -c '[ -z "$(ls -A "$0")" ]' "$src"

uf=$moved/bin/uppfolj
check "generate with the source tree hidden" hidden "$uf" generate --quiet \
    --out "$work/region/extrakt/2024-08" --period 2024-08 --units 12 --patients 20000
export SOURCE_DATE_EPOCH=1725606900

# The definitions the program was built to find are not there: a broken
# installation, exit 1, not an input rejected (3).
if [ ! -e "$defs" ]; then
    hidden "$uf" check --config "$work/region/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/err"
    rc=$?
    check "without its definitions the program exits 1" [ "$rc" = 1 ]
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
want = ["cairo", "pango", "harfbuzz", "freetype", "libxlsxwriter", "zlib", "jansson", "libcurl"]
assert list(libs) == want and all(libs.values()), libs
assert m["version"] and m["revision"], m
fonts = sorted(os.path.basename(f["file"]).rsplit(".", 1)[0] for f in m["fonts"])
assert fonts == open(sys.argv[4]).read().split(), (fonts, open(sys.argv[4]).read())
for i in m["inputs"]:
    if i["role"] == "indikator":
        assert os.path.dirname(i["origin"]) in (sys.argv[2], sys.argv[3]), i["origin"]
PY
}
hidden env UPPFOLJ_INDICATORS="$moved_defs" \
    "$uf" run --quiet --config "$work/region/uppfolj.json" --period 2024-08 >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 0 ]; then ok "run with the source tree hidden (UPPFOLJ_INDICATORS)"
else not_ok "run with the source tree hidden (UPPFOLJ_INDICATORS)" "exit $rc" "$(cat "$work/err")"; fi
check "its report is published, its manifest names libraries, fonts and installed definitions" \
    report_ok "$work/region" "$moved_defs"
pub=$work/region/rapporter/2024-08
hidden "$uf" rerun --quiet "$pub/manifest.json" --out "$work/rerun" >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" = 0 ]; then ok "rerun with the source tree hidden"
else not_ok "rerun with the source tree hidden" "exit $rc" "$(cat "$work/err")"; fi
if grep -q varning "$work/err"; then not_ok "the rerun warns of nothing" "$(cat "$work/err")"
else ok "the rerun warns of nothing"; fi
for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
    check "the rerun's $f is byte-identical" cmp -s "$pub/$f" "$work/rerun/$f"
done

# As after `meson install` itself: the moved tree bound onto PREFIX, no
# UPPFOLJ_INDICATORS, the source tree hidden.
at_prefix() {
    unshare -m sh -c 'mount -t tmpfs -o size=1m uf-hidden "$0" && mount --bind "$1" "$2" &&
                      shift 2 && exec "$@"' "$src" "$moved" "$prefix" "$@"
}
cp -r "$moved/share/doc/uppfolj/examples/demo" "$work/region2"
cp -r "$work/region/extrakt" "$work/region2/"
if [ "$prefix" != /usr ] && [ -d "$prefix" ] && at_prefix true 2>/dev/null; then
    at_prefix "$prefix/bin/uppfolj" run --quiet --config "$work/region2/uppfolj.json" \
        --period 2024-08 >"$work/out" 2>"$work/err"
    rc=$?
    if [ "$rc" = 0 ]; then ok "run from PREFIX with its own definitions"
    else not_ok "run from PREFIX with its own definitions" "exit $rc" "$(cat "$work/err")"; fi
    check "that report reads the definitions from PREFIX" \
        report_ok "$work/region2" "$defs"
else
    ok "# SKIP cannot bind the installed tree onto $prefix here"
fi
finish
