/* tests/fuzz/fuzz_datetime.c — the field parsers: whatever they accept must
 * print back to the very same text (so no impossible date such as 2024-02-30
 * or hour 25 passes), the month memo's parsers accept and give the same, and
 * they never read past the length they are given (the input is copied to an
 * exact-size heap block for ASan to guard). */
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>

static void check_date(const char *s, size_t len)
{
    uf_day d;
    if (uf_parse_date(s, len, &d) == 0) {
        char back[11];
        int y, m, day;
        uf_day_split(d, &y, &m, &day);
        uf_day_format(d, back);
        if (len != 10 || memcmp(back, s, 10) != 0 || !uf_day_valid(y, m, day))
            __builtin_trap();
    }
}

/* The memo, kept across inputs so that its remembered months are tried on
 * the next ones, takes exactly what the full parse takes. */
static uf_date_memo memo;

static void check_timestamp(const char *s, size_t len)
{
    uf_day d, md;
    uf_month mm;
    int minute, mminute;
    int full = uf_parse_timestamp(s, len, &d, &minute);
    int fast = uf_parse_timestamp_memo(&memo, s, len, &md, &mm, &mminute);
    if (full != fast || (full == 0 && (md != d || mminute != minute || mm != uf_month_of(d))))
        __builtin_trap();
    if (len >= 10) {
        uf_day pd, qd;
        uf_month qm;
        int a = uf_parse_date(s, 10, &pd), b = uf_parse_date_memo(&memo, s, 10, &qd, &qm);
        if (a != b || (a == 0 && (pd != qd || qm != uf_month_of(pd))))
            __builtin_trap();
    }
    if (full == 0) {
        char back[11];
        uf_day_format(d, back);
        int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
        if (memcmp(back, s, 10) != 0 || minute != hh * 60 + mm || minute < 0 ||
            minute >= 24 * 60)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    memcpy(s, data, size);
    check_date(s, size);
    check_timestamp(s, size);
    int flag;
    if (uf_parse_flag(s, size, &flag) == 0 && flag != 0 && flag != 1)
        __builtin_trap();
    double v;
    uf_parse_number(s, size, &v);
    /* equality is symmetric and folds without changing lengths */
    size_t half = size / 2;
    if (uf_utf8_caseeq(s, half, s + half, size - half) !=
        uf_utf8_caseeq(s + half, size - half, s, half))
        __builtin_trap();
    char *z = strndup(s, size);
    uf_month m;
    if (uf_month_parse(z, &m) == 0) {
        char back[8];
        uf_month_format(m, back);
        if (strcmp(back, z) != 0)
            __builtin_trap();
    }
    free(z);
    free(s);
    return 0;
}
