/* ingest/fields.c — the field syntaxes of SPEC "Inputs": dates, timestamps,
 * flags and decimal numbers (flags are matched with core/utf8.c's folding).
 * Every parser takes (pointer, length), reads no further, and accepts the
 * whole text or nothing: "2024-08-01x" is not a date. */
#include "ingest/ingest.h"

#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* n decimal digits as a number, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int uf_parse_date(const char *s, size_t len, uf_day *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !uf_day_valid(y, m, d))
        return -1;
    *out = uf_day_make(y, m, d);
    return 0;
}

/* A month not yet in the memo: parsed in full, then remembered. */
int uf_parse_date_slow(uf_date_memo *m, const char *s, size_t len, uf_day *day,
                       uf_month *month)
{
    if (uf_parse_date(s, len, day) < 0)
        return -1;
    uint64_t w;
    memcpy(&w, s, 8);
    unsigned k = (unsigned)((w * 0x9e3779b97f4a7c15ull) >> 59);
    int y = digits(s, 4), mo = digits(s + 5, 2);
    *month = uf_month_of(*day);
    m->slot[k].prefix = w;
    m->slot[k].first = uf_day_make(y, mo, 1);
    m->slot[k].month = *month;
    m->slot[k].days = uf_days_in_month(y, mo);
    return 0;
}

/* The time after a timestamp's date, " HH:MM" or "THH:MM[:SS]", in
 * minutes of the day; -1 when it is not one. */
static int time_of_day(const char *s, size_t len)
{
    if ((len != 16 && len != 19) || (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
        return -1;
    int hh = digits(s + 11, 2), mm = digits(s + 14, 2);
    int ss = len == 19 && s[16] == ':' ? digits(s + 17, 2) : len == 16 ? 0 : -1;
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
        return -1;
    return hh * 60 + mm;
}

int uf_parse_timestamp(const char *s, size_t len, uf_day *day, int *minute_of_day)
{
    int minute = time_of_day(s, len);
    uf_day d;
    if (minute < 0 || uf_parse_date(s, 10, &d) < 0)
        return -1;
    *day = d;
    *minute_of_day = minute;
    return 0;
}

int uf_parse_timestamp_memo(uf_date_memo *m, const char *s, size_t len, uf_day *day,
                            uf_month *month, int *minute_of_day)
{
    int minute = time_of_day(s, len);
    if (minute < 0 || uf_parse_date_memo(m, s, 10, day, month) < 0)
        return -1;
    *minute_of_day = minute;
    return 0;
}

int uf_parse_flag(const char *s, size_t len, int *out)
{
    /* with their lengths: tens of millions of flags are read a month */
#define WORD(s, v) {s, sizeof s - 1, v}
    static const struct {
        const char *word;
        size_t len;
        int value;
    } words[] = {WORD("j", 1), WORD("ja", 1), WORD("1", 1),
                 WORD("n", 0), WORD("nej", 0), WORD("0", 0)};
#undef WORD
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (len == words[i].len && uf_utf8_caseeq(s, len, words[i].word, len)) {
            *out = words[i].value;
            return 0;
        }
    return -1;
}

/* strtod in the "C" locale whatever the process's locale is: the extracts'
 * decimal point does not depend on where the program runs. */
static locale_t c_locale;
static void c_locale_init(void) { c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

static double strtod_c(const char *s)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, c_locale_init);
    return c_locale ? strtod_l(s, NULL, c_locale) : strtod(s, NULL);
}

int uf_parse_number(const char *s, size_t len, double *out)
{
    /* Check the form first: strtod alone would also take " 1", "0x1f",
     * "inf" and "1e5", none of which an extract should contain. */
    char buf[64];
    size_t i = 0, n = 0;
    if (len >= sizeof buf)
        return -1;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        buf[n++] = s[i++];
    size_t int_digits = 0, frac_digits = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, int_digits++)
        buf[n++] = s[i];
    if (i < len && (s[i] == ',' || s[i] == '.')) {
        buf[n++] = '.';
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, frac_digits++)
            buf[n++] = s[i];
        if (!frac_digits)
            return -1;
    }
    if (i != len || !int_digits)
        return -1;
    buf[n] = '\0';
    *out = strtod_c(buf);
    return 0;
}
