/* render/format.c — numbers, targets and periods for people, in Swedish.
 *
 * Never through the C locale: LC_NUMERIC stays "C" for libxlsxwriter's
 * sake, so a decimal comma and grouping are put in here by hand. */
#include "render/doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Appends digits[0..len) grouped by three with UF_THIN. */
static size_t put_grouped(char *out, size_t at, size_t n, const char *digits, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            at += (size_t)snprintf(out + at, at < n ? n - at : 0, UF_THIN);
        if (at + 1 < n)
            out[at] = digits[i];
        at++;
    }
    if (n)
        out[at < n ? at : n - 1] = '\0';
    return at;
}

/* |v| of 10^15 or more — beyond the digits a double holds exactly, and no
 * figure of a report — in three significant digits: "1,00 × 10³⁰⁸", not
 * three hundred digits cut off wherever the buffer ends. */
static void put_huge(double v, const char *sign, char *out, size_t n)
{
    static const char *const sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    if (isinf(v)) {
        snprintf(out, n, "%s∞", sign);
        return;
    }
    char raw[32];
    snprintf(raw, sizeof raw, "%.2e", fabs(v)); /* "1.00e+308" */
    char *e = strchr(raw, 'e');
    *e = '\0';
    raw[1] = ','; /* d.dd: the separator is the second character */
    size_t at = (size_t)snprintf(out, n, "%s%s" UF_NBSP "×" UF_NBSP "10", sign, raw);
    for (const char *d = e + 2; *d; d++) /* the exponent is positive: past "e+" */
        at += (size_t)snprintf(out + (at < n ? at : n), at < n ? n - at : 0, "%s", sup[*d - '0']);
}

/* v with dec decimals: sign, grouped integer part, decimal comma.  printf
 * rounds; the separator it prints is taken as whatever is not a digit, so a
 * stray setlocale elsewhere cannot leak through.  "−0,0" becomes "0,0". */
static void put_number(double v, int dec, int sign_plus, char *out, size_t n)
{
    char raw[64];
    if (dec < 0)
        dec = 0;
    if (dec > 6)
        dec = 6;
    if (fabs(v) >= 1e15) {
        put_huge(v, v < 0 ? UF_MINUS : sign_plus ? "+" : "", out, n);
        return;
    }
    snprintf(raw, sizeof raw, "%.*f", dec, fabs(v));
    int zero = strspn(raw, "0.,") == strlen(raw);
    size_t at = 0;
    if (n)
        out[0] = '\0';
    if (!zero && v < 0)
        at += (size_t)snprintf(out, n, UF_MINUS);
    else if (!zero && sign_plus)
        at += (size_t)snprintf(out, n, "+");
    size_t intlen = strspn(raw, "0123456789");
    at = put_grouped(out, at, n, raw, intlen);
    if (raw[intlen])
        snprintf(out + at, at < n ? n - at : 0, ",%s", raw + intlen + 1);
}

static void put_value(const uf_indicator *ind, double v, int sign_plus, const char *pct_unit,
                      char *out, size_t n)
{
    if (isnan(v)) {
        snprintf(out, n, UF_DASH);
        return;
    }
    if (ind->kind == UF_KIND_PERCENT) {
        char num[64];
        put_number(v * 100.0, ind->decimals, sign_plus, num, sizeof num);
        snprintf(out, n, "%s" UF_NBSP "%s", num, pct_unit);
    } else {
        put_number(v, ind->decimals, sign_plus, out, n);
    }
}

void uf_fmt_value(const uf_indicator *ind, double v, char *out, size_t n)
{
    put_value(ind, v, 0, "%", out, n);
}

void uf_fmt_change(const uf_indicator *ind, double delta, char *out, size_t n)
{
    put_value(ind, delta, 1, "p.e.", out, n);
}

void uf_fmt_int(long long v, char *out, size_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", v < 0 ? 0ULL - (unsigned long long)v
                                                  : (unsigned long long)v);
    size_t at = v < 0 ? (size_t)snprintf(out, n, UF_MINUS) : 0;
    if (n && !at)
        out[0] = '\0';
    put_grouped(out, at, n, digits, strlen(digits));
}

void uf_fmt_target_value(const uf_indicator *ind, double v, char *out, size_t n)
{
    /* A decided target is shown as decided: 0.9 is "90 %", not "90,0 %". */
    uf_indicator whole = *ind;
    double scaled = ind->kind == UF_KIND_PERCENT ? v * 100.0 : v;
    while (whole.decimals > 0) {
        double p = pow(10.0, whole.decimals - 1);
        if (fabs(scaled * p - round(scaled * p)) > 1e-9)
            break;
        whole.decimals--;
    }
    uf_fmt_value(&whole, v, out, n);
}

void uf_fmt_target(const uf_indicator *ind, const uf_target *t, char *out, size_t n)
{
    int at;
    if (!t) {
        at = snprintf(out, n, "Inget mål");
    } else {
        char v[64];
        uf_fmt_target_value(ind, t->value, v, sizeof v);
        if (t->decision && *t->decision)
            at = snprintf(out, n, "Mål %s (%s)", v, t->decision);
        else
            at = snprintf(out, n, "Mål %s", v);
    }
    /* the national goal the indicator follows up, from its definition */
    if (ind->national_goal && at >= 0 && (size_t)at < n)
        snprintf(out + at, n - (size_t)at, " · Nationellt mål: %s", ind->national_goal);
}

void uf_fmt_period_sv(uf_month m, char *out, size_t n)
{
    snprintf(out, n, "%s %d", uf_month_name_sv(uf_month_number(m)), uf_month_year(m));
}

void uf_fmt_month_short(uf_month m, char *out, size_t n)
{
    /* Swedish month abbreviations are the first three letters, no dot. */
    snprintf(out, n, "%.3s %d", uf_month_name_sv(uf_month_number(m)), uf_month_year(m));
}

void uf_fmt_tertial(uf_month m, char *out, size_t n)
{
    snprintf(out, n, "T%d %d", uf_tertial(m), uf_month_year(m));
}

void uf_fmt_stamp_sv(const char *iso, char *out, size_t n)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0, used = 0;
    char sign = 'Z';
    if (iso && sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) == 6 &&
        uf_day_valid(y, mo, d) &&
        (!strcmp(iso + used, "Z") ||
         (sscanf(iso + used, "%c%2d:%2d", &sign, &oh, &om) == 3 && (sign == '+' || sign == '-') &&
          strlen(iso + used) == 6))) {
        int64_t off = (sign == '-' ? -1 : sign == '+' ? 1 : 0) * (oh * 3600 + om * 60);
        uf_fmt_time_sv((int64_t)uf_day_make(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off,
                       out, n);
        return;
    }
    snprintf(out, n, "%s", iso ? iso : "");
}
