/* core/stockholm.c — wall-clock time in Europe/Stockholm, for people and
 * for the PDF's metadata.
 *
 * By the EU rule (since 1996; summer time ended on the last Sunday of
 * September 1980–1995): CEST from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October.  Arithmetic, not TZ and
 * localtime, so the machine's zone and tzdata cannot change a document's
 * bytes. */
#include "core/core.h"

static uf_day last_sunday(int year, int month)
{
    uf_day d = uf_day_make(year, month, uf_days_in_month(year, month));
    return d - (uf_weekday(d) + 1) % 7;
}

static int stockholm_offset(int64_t t)
{
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int y, m, dd;
    uf_day_split((uf_day)day, &y, &m, &dd);
    if (y < 1980)
        return 3600;
    int64_t start = (int64_t)last_sunday(y, 3) * 86400 + 3600;
    int64_t end = (int64_t)last_sunday(y, y < 1996 ? 9 : 10) * 86400 + 3600;
    return t >= start && t < end ? 7200 : 3600;
}

static void stockholm_split(int64_t t, int *off, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
    *off = stockholm_offset(t);
    int64_t local = t + *off;
    int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t sec = local - day * 86400;
    uf_day_split((uf_day)day, y, mo, d);
    *h = (int)(sec / 3600);
    *mi = (int)(sec / 60 % 60);
    *s = (int)(sec % 60);
}

void uf_fmt_time_sv(int64_t t, char *out, size_t n)
{
    int off, y, mo, d, h, mi, s;
    stockholm_split(t, &off, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, n, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
}

void uf_fmt_time_iso(int64_t t, char *out, size_t n)
{
    int off, y, mo, d, h, mi, s;
    stockholm_split(t, &off, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", y, mo, d, h, mi, s, off / 3600);
}

/* The manifest's and the records' form: UTC, to the second, "Z". */
void uf_fmt_time_utc(int64_t t, char out[32])
{
    int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t sec = t - day * 86400;
    int y, mo, d;
    uf_day_split((uf_day)day, &y, &mo, &d);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, (int)(sec / 3600),
             (int)(sec / 60 % 60), (int)(sec % 60));
}

int64_t uf_time_utc_parse(const char *s)
{
    int y, mo, d, h, mi, se, used = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 ||
        used != 20 || s[used] || !uf_day_valid(y, mo, d) || h > 23 || mi > 59 || se > 59)
        return -1;
    return (int64_t)uf_day_make(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}
