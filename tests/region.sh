# tests/region.sh — sourced by the shell tests: a small generated region as
# a controller sets one up, and TAP helpers.  make_region UPPFOLJ DIR
# generates extrakt/2024-08 and writes uppfolj.json beside the demo's
# targets (less the one for a unit it lacks) and indicator folder.
# The source tree: the sourcing script is in tests/ or a folder below it.
top=$(cd "$(dirname "$0")" && until [ -f tests/region.sh ] || [ "$PWD" = / ]; do cd ..; done && pwd)
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
    n=$((n + 1)) failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}
check() { # NAME COMMAND...: ok when the command succeeds
    name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# expect NAME EXIT CMD...: runs CMD, checks its exit code, keeps stdout and
# stderr in $work/out and $work/err
expect() {
    name=$1 want=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name" "exit $got, want $want" "$(head -c 800 "$work/err")"; fi
}
contains() { # NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no \"$3\" in $(basename "$2")" "$(head -c 800 "$2")"; fi
}
finish() {
    echo "1..$n"
    [ "$failed" = 0 ]
}

make_region() {
    "$1" generate --out "$2/extrakt/2024-08" --units 6 --patients 2000 --months 30 --seed 7 \
        --period 2024-08 2>/dev/null || return 1
    mkdir -p "$2/kommentarer"
    cp -r "$top/examples/demo/targets.json" "$top/examples/demo/indikatorer" "$2/"
    # the demo's own target for VC007, a unit this smaller region does not have
    sed -i '/"unit": "VC007"/,+1d' "$2/targets.json"
    cat >"$2/uppfolj.json" <<'JSON'
{
  "region": {"name": "Region Test", "kolada_id": "0007"},
  "board": "Nämnden för test",
  "extracts": "extrakt/{period}",
  "archive": "arkiv",
  "reports": "rapporter",
  "targets": "targets.json",
  "comments": "kommentarer",
  "indicators": "indikatorer"
}
JSON
}
