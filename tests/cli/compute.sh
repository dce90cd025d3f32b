#!/bin/sh
# tests/cli/compute.sh UPPFOLJ — compute --data on the hand-computed golden
# cases: the same counts and values as tests/golden/compute expects, through
# the command line with the built-in definitions (so targets and statuses
# are left out here).  Prints TAP.
. "$(dirname "$0")/common.sh"

for case in "$top"/tests/golden/compute/*/; do
    name=$(basename "$case")
    set -- compute --data "$case/data" --period "$(cat "$case/period")"
    if [ -f "$case/indicator" ]; then
        id=$(cat "$case/indicator")
        [ -f "$top/indicators/$id.json" ] || continue # a region's own definition: no --data
        set -- "$@" --indicator "$id"
    fi
    "$uf" "$@" 2>"$work/err" | cut -d';' -f1-6 >"$work/got"
    cut -d';' -f1-6 "$case/expected.csv" >"$work/want"
    if cmp -s "$work/got" "$work/want"; then ok "compute --data matches the hand count: $name"
    else not_ok "compute --data matches the hand count: $name" "$(diff "$work/want" "$work/got" | head -8)"; fi
done

finish
