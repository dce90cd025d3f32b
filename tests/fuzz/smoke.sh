#!/bin/sh
# tests/fuzz/smoke.sh [SECONDS] — builds the harnesses and runs each briefly
# over its committed corpus (new inputs go to a scratch folder, never into
# the corpus).  Any crash, hang or leak fails it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-5}
out=$("$here/build.sh")
for name in csv datetime config kolada rows sql; do
    scratch=$(mktemp -d)
    [ -f "$here/$name.dict" ] && d="-dict=$here/$name.dict" || d=""
    # shellcheck disable=SC2086
    if ! "$out/fuzz_$name" -max_total_time="$secs" -timeout=10 -max_len=4096 \
        -artifact_prefix="$out/$name-" $d "$scratch" "$here/corpus/$name" >"$out/$name.log" 2>&1; then
        tail -n 40 "$out/$name.log" >&2
        rm -rf "$scratch"
        echo "fuzz smoke: $name failed; the input is in $out/" >&2
        exit 1
    fi
    rm -rf "$scratch"
    echo "fuzz smoke: $name ok ($(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$out/$name.log") runs)"
done
