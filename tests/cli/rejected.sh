#!/bin/sh
# tests/cli/rejected.sh UPPFOLJ — bad input through run: exit 3, the place
# named, nothing published.  (tests/golden/bad/ has a case for each way an
# input can be bad, tests/suites/ one for each refusal of a loader.)
# Prints TAP.
. "$(dirname "$0")/common.sh"
export SOURCE_DATE_EPOCH=1725779700 # runs at a fixed time (2024-09-08 07:15 UTC)

bad=$work/bad
setup_region "$bad"
sed -i '3s/;20[0-9][0-9]-[0-9][0-9]-[0-9][0-9];/;2024-02-30;/' "$bad/extrakt/2024-08/kontakter.csv"
expect "a bad date is rejected" 3 "$uf" run --config "$bad/uppfolj.json" --period 2024-08
contains "the message names file and line" "$work/err" "kontakter.csv, rad 3"
contains "the message names the column" "$work/err" "kontaktdatum"
if [ -e "$bad/rapporter/2024-08" ]; then not_ok "nothing published after a rejection"; else ok "nothing published after a rejection"; fi

expect "a missing extract folder is rejected" 3 "$uf" run --config "$bad/uppfolj.json" --period 2023-01
expect "a missing config is rejected" 3 "$uf" run --config "$work/none.json" --period 2024-08

finish
