/* tests/fuzz/fuzz_csv.c — the extract readers on hostile bytes.  The first
 * byte picks a column set (and a header rename); the rest is the file.
 * Every field of every row also goes through the field parsers, and every
 * error is formatted, as the real run does.  The chunked reader (built with
 * 64-byte chunks) must give every row it takes exactly as the streaming
 * reader does, or stop. */
#include "ingest/ingest.h"
#include "fuzz_input.h"

#include <string.h>

static const uf_column kontakter[] = {{"enhet_id", 1},           {"kontaktdatum", 1},
                                      {"bedomningsdatum", 1},    {"legitimerad", 1},
                                      {"patientvald_vantan", 0}, {"kontakt_id", 0}};
static const uf_column samtal[] = {{"enhet_id", 1}, {"samtal_tid", 1}, {"besvarad_tid", 0}};
static const uf_column enheter[] = {{"enhet_id", 1}, {"namn", 0}};
static const uf_column one[] = {{"a", 1}};
static const struct {
    const uf_column *cols;
    size_t n;
} sets[] = {{kontakter, 6}, {samtal, 3}, {enheter, 2}, {one, 1}};
static const uf_rename renames[] = {{"kontaktdatum", "KontaktDatum"}, {"enhet_id", "Enhet"}};

/* c is open on path and has read no row yet. */
static void chunks_agree(const uf_csv *c, const char *path, size_t set, const uf_rename *ren,
                         size_t nren)
{
    uf_csv_chunks *m = uf_csv_chunks_open(c);
    if (!m)
        return;
    uf_error err = {0};
    uf_csv *slow = uf_csv_open(path, "fuzz.csv", sets[set].cols, sets[set].n, ren, nren, &err);
    if (!slow)
        __builtin_trap(); /* it opened once */
    long base = uf_csv_chunks_first_line(m);
    int r = 0;
    for (size_t k = 0; k < uf_csv_chunks_count(m) && r == 0; k++) {
        uf_csv_cursor cur;
        uf_csv_row row;
        uf_csv_chunk_begin(m, k, &cur, &row);
        while ((r = uf_csv_chunk_next(&cur, &row)) == 1) {
            if (uf_csv_next(slow, &err) != 1 || uf_csv_line(slow) != base + row.line)
                __builtin_trap();
            for (size_t j = 0; j < sets[set].n; j++) {
                size_t len;
                const char *s = uf_csv_get(slow, j, &len);
                if (len != row.len[j] || memcmp(s, row.f[j], len) != 0)
                    __builtin_trap();
            }
        }
        base += cur.line;
    }
    if (r == 0 && uf_csv_next(slow, &err) != 0) /* it read every row */
        __builtin_trap();
    uf_csv_close(slow);
    uf_csv_chunks_close(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned pick = data[0];
    const char *path = fuzz_file(data + 1, size - 1);
    size_t set = pick % 4;
    uf_error err = {0};
    uf_csv *c = uf_csv_open(path, "fuzz.csv", sets[set].cols, sets[set].n, renames,
                            pick & 4 ? 2 : 0, &err);
    if (!c) {
        fuzz_print(&err);
        return 0;
    }
    chunks_agree(c, path, set, renames, pick & 4 ? 2 : 0);
    int r;
    while ((r = uf_csv_next(c, &err)) == 1) {
        for (size_t k = 0; k < sets[set].n; k++) {
            size_t len;
            const char *s = uf_csv_get(c, k, &len);
            if (strlen(s) > len) /* a field is NUL-terminated at its length */
                __builtin_trap();
            uf_day d;
            int minute, flag;
            double v;
            if (uf_parse_date(s, len, &d) && uf_parse_timestamp(s, len, &d, &minute) &&
                uf_parse_flag(s, len, &flag) && uf_parse_number(s, len, &v)) {
                uf_csv_field_error(c, k, k & 1, "något annat", &err);
                fuzz_print(&err);
            }
        }
        if (uf_csv_line(c) < 2)
            __builtin_trap();
    }
    if (r < 0)
        fuzz_print(&err);
    uf_csv_close(c);
    return 0;
}
