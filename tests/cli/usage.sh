#!/bin/sh
# tests/cli/usage.sh UPPFOLJ — usage errors exit 2 and say what is wrong;
# --help, and SOURCE_DATE_EPOCH.  Prints TAP.
. "$(dirname "$0")/common.sh"

expect "no verb is a usage error" 2 "$uf"
expect "unknown verb" 2 "$uf" frobnicate
expect "unknown flag" 2 "$uf" run --frobnicate
expect "flag of another verb" 2 "$uf" run --data x
expect "malformed period" 2 "$uf" compute --data . --period 2024-13
contains "malformed period says the form" "$work/err" "ÅÅÅÅ-MM"
expect "--help" 0 "$uf" --help
contains "--help lists run" "$work/out" "run"
for v in run compute check generate; do
    expect "$v --help" 0 "$uf" $v --help
done
expect "generate needs --out" 2 "$uf" generate
# SOURCE_DATE_EPOCH sets the run time; one that is not a time must not be
# passed over for the clock.
for bad in abc 12x -5 1.5 99999999999999999999; do
    expect "SOURCE_DATE_EPOCH=$bad is a usage error" 2 env SOURCE_DATE_EPOCH=$bad \
        "$uf" compute --data "$top/tests/golden/compute/bedomning/data" --period 2024-08
done
contains "an invalid SOURCE_DATE_EPOCH is named" "$work/err" \
    "uppfolj: SOURCE_DATE_EPOCH ska vara sekunder sedan 1970-01-01 (ett heltal, som från date +%s), inte \"99999999999999999999\""
expect "an empty SOURCE_DATE_EPOCH is no time set" 0 env SOURCE_DATE_EPOCH= \
    "$uf" compute --data "$top/tests/golden/compute/bedomning/data" --period 2024-08


finish
