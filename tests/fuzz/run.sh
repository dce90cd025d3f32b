#!/bin/sh
# tests/fuzz/run.sh NAME SECONDS [OUT] — fuzzes one harness for SECONDS,
# adding what it finds to tests/fuzz/corpus/NAME; then keeps only the inputs
# that add coverage (-merge), so the corpus stays small enough to commit.
# A crash, hang or leak leaves its input in OUT/ and fails the script.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=$1 secs=$2 out=${3:-$here/../../build-fuzz}
corpus=$here/corpus/$name
dict=$here/$name.dict
mkdir -p "$corpus" "$out/new-$name"
[ -f "$dict" ] && d="-dict=$dict" || d=""
# shellcheck disable=SC2086
"$out/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$out/$name-" -print_final_stats=1 $d "$out/new-$name" "$corpus"
rm -rf "$out/min-$name" && mkdir -p "$out/min-$name"
"$out/fuzz_$name" -merge=1 "$out/min-$name" "$corpus" "$out/new-$name" 2>/dev/null
rm -rf "$corpus" "$out/new-$name"
mv "$out/min-$name" "$corpus"
