/* render/format.c — numbers, dates and shared wording for people, in Swedish.
 *
 * Never through the C locale: LC_NUMERIC stays "C" for libxlsxwriter's
 * sake, so a decimal comma and grouping are put in here by hand. */
#include "render/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char uf_doc_title[] = "Uppföljning primärvård — tillgänglighet och kontinuitet";
const char uf_doc_no_owner[] = "Ägare saknas";

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
    if (!t) {
        snprintf(out, n, "Inget mål");
        return;
    }
    char v[64];
    uf_fmt_target_value(ind, t->value, v, sizeof v);
    if (t->decision && *t->decision)
        snprintf(out, n, "Mål %s (%s)", v, t->decision);
    else
        snprintf(out, n, "Mål %s", v);
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

/* Europe/Stockholm by the EU rule (since 1996; summer time ended on the
 * last Sunday of September 1980–1995): CEST from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October.  Arithmetic,
 * not TZ and localtime, so the machine's zone and tzdata cannot change a
 * document's bytes. */
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

/* -------------------------------------------------------------- axes */

static double nice_step(double span)
{
    double raw = span / 5, mag = pow(10, floor(log10(raw)));
    static const double m[] = {1, 2, 2.5, 5, 10};
    for (int i = 0; i < 5; i++)
        if (m[i] * mag >= raw - 1e-12)
            return m[i] * mag;
    return 10 * mag;
}

void uf_axis_zero(const uf_indicator *ind, double vmax, double *top, double *step)
{
    if (!(vmax > 0))
        vmax = 1.0;
    *step = nice_step(vmax);
    *top = ceil(vmax / *step - 1e-9) * *step;
    if (ind->kind == UF_KIND_PERCENT && *top > 1.0)
        *top = 1.0;
}

void uf_axis_fit(const uf_indicator *ind, double lo, double hi, double *bot, double *top,
                 double *step)
{
    *bot = 0;
    if (!(hi >= lo)) {
        uf_axis_zero(ind, 1.0, top, step);
        return;
    }
    /* A quarter of the data's spread as margin, and never less than 4 %
     * of the level, so a flat line does not fill the chart with noise. */
    double span = fmax(hi - lo, fabs(hi) * 0.04);
    if (!(span > 0))
        span = 1.0;
    double a = lo - span * 0.25, b = hi + span * 0.25;
    if (a <= b * 0.3) {
        uf_axis_zero(ind, b, top, step);
        return;
    }
    *step = nice_step(b - a);
    *bot = floor(a / *step + 1e-9) * *step;
    *top = ceil(b / *step - 1e-9) * *step;
    if (ind->kind == UF_KIND_PERCENT && *top > 1.0)
        *top = 1.0;
}

/* ----------------------------------------------------- reading a uf_doc */

const uf_cell *uf_doc_cell(const uf_doc *d, size_t s, size_t row, int col)
{
    /* An indicator left out (its extract absent) may have no cells. */
    static const uf_cell missing = {.status = UF_ST_MISSING};
    const uf_series *se = &d->report->series[s];
    return se->computed && se->cells ? uf_report_cell(d->report, s, row, col) : &missing;
}

double uf_doc_shown(const uf_cell *c)
{
    if (!c || !c->present || c->status == UF_ST_MISSING || c->status == UF_ST_SMALL)
        return NAN;
    return uf_cell_value(c);
}

const char *uf_doc_owner(const uf_doc *d, const uf_indicator *ind)
{
    const char *o = d->cfg ? uf_config_owner(d->cfg, ind->id) : NULL;
    return o && *o ? o : uf_doc_no_owner;
}

const uf_comment *uf_doc_comment(const uf_doc *d, const uf_indicator *ind)
{
    return d->comments ? uf_comments_find(d->comments, ind->id) : NULL;
}

int uf_doc_analysis_missing(const uf_doc *d, size_t s)
{
    const uf_series *se = &d->report->series[s];
    uf_status st = uf_doc_cell(d, s, 0, UF_TREND - 1)->status;
    if (st != UF_ST_NEAR && st != UF_ST_MISSED)
        return 0;
    const uf_comment *c = uf_doc_comment(d, se->ind);
    return !c || !c->analysis || !c->analysis[strspn(c->analysis, " \t\r\n")];
}

int uf_doc_action_overdue(const uf_doc *d, const uf_action *a)
{
    if (!a->due || strlen(a->due) != 10 || (a->done && *a->done))
        return 0;
    /* ISO dates compare as strings. */
    uf_month p = d->report->period;
    char end[11];
    uf_day_format(uf_day_make(uf_month_year(p), uf_month_number(p),
                              uf_days_in_month(uf_month_year(p), uf_month_number(p))),
                  end);
    return strcmp(a->due, end) <= 0;
}

size_t uf_doc_count_analysis_missing(const uf_doc *d)
{
    size_t n = 0;
    for (size_t s = 0; s < d->report->nseries; s++)
        n += uf_doc_analysis_missing(d, s) != 0;
    return n;
}

size_t uf_doc_nchanges(const uf_doc *d)
{
    return d->changes ? d->changes->n : 0;
}

int uf_doc_approved(const uf_doc *d)
{
    const char *a = d->cfg ? d->cfg->document.approved_by : NULL;
    return a && a[strspn(a, " \t")];
}

int uf_doc_closes_tertial(const uf_doc *d)
{
    return uf_month_number(d->report->period) % 4 == 0;
}

void uf_doc_stamp(const uf_doc *d, char *out, size_t n)
{
    int pre = d->report->preliminary, draft = !uf_doc_approved(d);
    snprintf(out, n, "%s%s%s", pre ? "PRELIMINÄR" : "", pre && draft ? " · " : "",
             draft ? "UTKAST" : "");
}

/* ------------------------------------------------------------- Kolada */

const char uf_doc_kolada_source[] = "Källa: Kolada";
const char uf_doc_kolada_label[] = "Riket (Kolada)";

/* Which Kolada KPI measures the same thing as which indicator. */
static const struct {
    const char *kpi, *indicator;
} kolada_map[] = {
    {"N79173", "bedomning_3d"},      /* medicinsk bedömning inom 3 dagar */
    {"N79179", "telefon_samma_dag"}, /* besvarade samtal samma dag */
};

const char *uf_doc_kolada_kpi(const uf_indicator *ind)
{
    for (size_t i = 0; i < sizeof kolada_map / sizeof kolada_map[0]; i++)
        if (!strcmp(kolada_map[i].indicator, ind->id))
            return kolada_map[i].kpi;
    return NULL;
}

int uf_doc_kolada_value(const uf_doc *d, const uf_indicator *ind, const char *area, int year,
                        double *out)
{
    const char *kpi = uf_doc_kolada_kpi(ind);
    if (!kpi || !area || !d->kolada)
        return 0;
    for (size_t i = 0; i < d->kolada->n; i++) {
        const uf_kolada_value *k = &d->kolada->v[i];
        if (k->year == year && k->has_value && !strcmp(k->kpi, kpi) && !strcmp(k->area, area)) {
            *out = ind->kind == UF_KIND_PERCENT ? k->value / 100.0 : k->value;
            return 1;
        }
    }
    return 0;
}

const char *uf_doc_kolada_region(const uf_doc *d)
{
    return d->cfg && d->cfg->kolada_id && *d->cfg->kolada_id ? d->cfg->kolada_id : NULL;
}

int uf_doc_kolada_trend(const uf_doc *d, const uf_indicator *ind, double out[UF_TREND])
{
    int any = 0;
    for (int c = 0; c < UF_TREND; c++) {
        uf_month m = d->report->period - (UF_TREND - 1) + c;
        if (!uf_doc_kolada_value(d, ind, UF_KOLADA_NATIONAL, uf_month_year(m), &out[c]))
            out[c] = NAN;
        else
            any = 1;
    }
    return any;
}

int uf_doc_kolada_line(const uf_doc *d, const uf_indicator *ind, char *out, size_t n)
{
    if (n)
        out[0] = '\0';
    const char *own = uf_doc_kolada_region(d);
    int year = uf_month_year(d->report->period);
    for (int y = year; y >= year - 2; y--) {
        double nat, reg;
        int has_nat = uf_doc_kolada_value(d, ind, UF_KOLADA_NATIONAL, y, &nat);
        int has_reg = own && strcmp(own, UF_KOLADA_NATIONAL) &&
                      uf_doc_kolada_value(d, ind, own, y, &reg);
        if (!has_nat && !has_reg)
            continue;
        char a[64] = "", b[64] = "";
        if (has_nat)
            uf_fmt_value(ind, nat, a, sizeof a);
        if (has_reg)
            uf_fmt_value(ind, reg, b, sizeof b);
        const char *region = d->cfg && d->cfg->region_name ? d->cfg->region_name : "Regionen";
        snprintf(out, n, "Kolada %d (%s): %s%s%s%s%s%s. %s.", y, uf_doc_kolada_kpi(ind),
                 has_nat ? "Riket " : "", a, has_nat && has_reg ? ", " : "",
                 has_reg ? region : "", has_reg ? " " : "", b, uf_doc_kolada_source);
        return 1;
    }
    return 0;
}
