# tests/cli/common.sh — sourced by each tests/cli/SECTION.sh UPPFOLJ: the
# program in $uf, a temporary folder $work removed on exit, the TAP helpers
# and make_region of tests/region.sh, and what more than one section sets up.
set -u
uf=$1
. "$(dirname "$0")/../region.sh"
# Run alone from a source tree, a section finds the built-in definitions
# there, as meson's test environment says.
export UPPFOLJ_INDICATORS="${UPPFOLJ_INDICATORS:-$top/indicators}"
work=$(mktemp -d)
servers=
trap 'kill $servers 2>/dev/null; rm -rf "$work"' EXIT

# setup_region DIR: make_region, or stop the section: all it checks needs one.
setup_region() {
    make_region "$uf" "$1" || { echo "Bail out! generate failed"; exit 1; }
}

# june_comments DIR: June's comments, with an action still open that
# August's leave out (it is carried forward) and one closed (it is not).
june_comments() {
    cat >"$1/kommentarer/2024-06.json" <<'EOF'
{"fast_lakarkontakt": {"analysis": "Vakanser.", "actions": [
  {"action": "Rekrytera specialister i allmänmedicin", "owner": "Primärvårdschef",
   "due": "2024-07-31", "done": ""},
  {"action": "Stängd åtgärd", "owner": "Primärvårdschef", "due": "2024-07-31", "done": "Klar"}]}}
EOF
}

# late_delivery DIR: kontakter.csv delivered again with other figures.
late_delivery() {
    sed -i '5,200s/;J;N;K/;N;N;K/' "$1/extrakt/2024-08/kontakter.csv"
}

# same_bytes WHAT GOT WANT: a check for each of August's outputs (workbook,
# PDF, resultat, manifest) that GOT/FILE is WANT/FILE byte for byte.
same_bytes() {
    for f in uppfolj-2024-08.xlsx uppfolj-2024-08.pdf resultat-2024-08.csv manifest.json; do
        if cmp -s "$2/$f" "$3/$f"; then ok "$1 $f is byte-identical"
        else not_ok "$1 $f is byte-identical"; fi
    done
}

# serve LOG CMD...: a local server, CMD, in the background with its output
# in LOG; its pid in $served.  What is still serving when the section ends
# is stopped then.
serve() {
    log=$1
    shift
    "$@" >"$log" 2>&1 &
    served=$!
    servers="$servers $served"
}

# port_of LOG [SED]: the port a server wrote in LOG ("port N", or by the
# sed script SED), waiting up to thirty seconds for it: a server that makes
# its payloads first (64 MiB of gzip) needs more than three on a busy machine.
port_of() {
    for _ in $(seq 100); do
        p=$(sed -n "${2:-s/.*port \([0-9]*\).*/\1/p}" "$1")
        [ -n "$p" ] && { echo "$p"; return 0; }
        sleep 0.3
    done
    return 1
}
