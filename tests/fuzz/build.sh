#!/bin/sh
# tests/fuzz/build.sh [OUT] — builds the libFuzzer harnesses with clang, ASan
# and UBSan into OUT (default build-fuzz/).  The CSV reader gets a 16-byte
# buffer and the chunked reader 64-byte chunks, so that every read boundary,
# buffer growth and chunk cut is exercised.
#   tests/fuzz/run.sh NAME SECONDS   fuzzes one harness, growing its corpus
#   tests/fuzz/smoke.sh              a few seconds of each (scripts/test)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build-fuzz}
mkdir -p "$out"
cd "$top"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -DUF_CSV_BUFSIZE=16 -DUF_CSV_CHUNK=64 -I. -Wall -Wextra
-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
-fno-omit-frame-pointer $(pkg-config --cflags jansson)"
libs="$(pkg-config --libs jansson) -lm -lpthread"
sources="core/alloc.c core/calendar.c core/error.c core/log.c core/utf8.c ingest/csv.c
ingest/csv_chunks.c ingest/fields.c ingest/json.c ingest/config.c ingest/indicators.c
ingest/kolada.c ingest/rows.c ingest/url.c ingest/csvout.c ingest/sql.c"
for h in csv datetime config kolada rows sql; do
    # shellcheck disable=SC2086
    clang $flags -o "$out/fuzz_$h" "tests/fuzz/fuzz_$h.c" $sources $libs
done
echo "$out"
