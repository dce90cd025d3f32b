/* ingest/fields.c — the field syntaxes of SPEC "Inputs": dates, timestamps,
 * flags, decimal numbers, and the case folding they are matched with.
 * Every parser takes (pointer, length), reads no further, and accepts the
 * whole text or nothing: "2024-08-01x" is not a date. */
#include "uppfolj.h"

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

int uf_parse_timestamp(const char *s, size_t len, uf_day *day, int *minute_of_day)
{
    if ((len != 16 && len != 19) || (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
        return -1;
    uf_day d;
    if (uf_parse_date(s, 10, &d) < 0)
        return -1;
    int hh = digits(s + 11, 2), mm = digits(s + 14, 2);
    int ss = len == 19 && s[16] == ':' ? digits(s + 17, 2) : len == 16 ? 0 : -1;
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
        return -1;
    *day = d;
    *minute_of_day = hh * 60 + mm;
    return 0;
}

int uf_parse_flag(const char *s, size_t len, int *out)
{
    static const struct {
        const char *word;
        int value;
    } words[] = {{"j", 1}, {"ja", 1}, {"1", 1}, {"n", 0}, {"nej", 0}, {"0", 0}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (uf_utf8_caseeq(s, len, words[i].word, strlen(words[i].word))) {
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

/* Lower-case one byte of UTF-8.  Latin-1 capitals U+00C0..U+00DE (but not
 * U+00D7, the multiplication sign) are C3 80..C3 9E; their small letters
 * are C3 A0..C3 BE, so only the second byte changes, by 0x20. */
static unsigned char fold(unsigned char c, int after_c3)
{
    if (c >= 'A' && c <= 'Z')
        return c + 0x20;
    if (after_c3 && c >= 0x80 && c <= 0x9e && c != 0x97)
        return c + 0x20;
    return c;
}

void uf_utf8_fold(char *s, size_t len)
{
    unsigned char *x = (unsigned char *)s;
    for (size_t i = len; i-- > 0;) /* backwards: x[i - 1] is not folded yet */
        x[i] = fold(x[i], i > 0 && x[i - 1] == 0xc3);
}

int uf_utf8_caseeq(const char *a, size_t alen, const char *b, size_t blen)
{
    /* Folding keeps every byte's length, so equal strings have equal
     * lengths, and the byte before position i is the same in both. */
    if (alen != blen)
        return 0;
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (size_t i = 0; i < alen; i++) {
        int after_c3 = i > 0 && x[i - 1] == 0xc3;
        if (fold(x[i], after_c3) != fold(y[i], after_c3))
            return 0;
    }
    return 1;
}
