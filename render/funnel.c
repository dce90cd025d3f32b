/* render/funnel.c — the funnel plot of one indicator in month P, read the
 * same way by the PDF and the workbook: its centre (the region's target,
 * else the region's value), the units drawn (those whose value is shown:
 * a suppressed unit is never a point) and where each lies against the 95 %
 * and 99.8 % limits that compute/funnel.c gives. */
#include "render/doc.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>

int uf_doc_is_patient_mean(const uf_indicator *ind)
{
    return ind->derivation == UF_DER_KONTINUITET_COC ||
           ind->derivation == UF_DER_KONTINUITET_UPC;
}

long uf_doc_units_listed(const uf_doc *d)
{
    return d->cfg && d->cfg->units_listed > 0 ? d->cfg->units_listed : 40;
}

uf_limits uf_funnel_limits(const uf_funnel *f, double n, uf_funnel_level level)
{
    return f->mean ? uf_funnel_normal(f->centre, f->sd, n, level)
                   : uf_funnel_binomial(f->centre, n, level);
}

/* The 1-2-5 value at or below (up 0) or at or above (up 1) n. */
static double round_125(double n, int up)
{
    double k = pow(10, floor(log10(n)));
    static const double m[] = {1, 2, 5, 10};
    if (up) {
        for (int i = 0; i < 4; i++)
            if (m[i] * k >= n * (1 - 1e-9))
                return m[i] * k;
        return 10 * k;
    }
    for (int i = 3; i >= 0; i--)
        if (m[i] * k <= n * (1 + 1e-9))
            return m[i] * k;
    return k;
}

void uf_funnel_range(const uf_funnel *f, double *nlo, double *nhi, double *lo, double *hi)
{
    *nlo = round_125(f->nmin, 0);
    *nhi = round_125(f->nmax, 1);
    if (*nhi <= *nlo)
        *nhi = round_125(*nlo * 1.5, 1);
    uf_limits wide = uf_funnel_limits(f, f->nmin, UF_FUNNEL_998);
    *lo = fmin(wide.lo, f->centre);
    *hi = fmax(wide.hi, f->centre);
    for (size_t i = 0; i < f->npt; i++) {
        *lo = fmin(*lo, f->pt[i].v);
        *hi = fmax(*hi, f->pt[i].v);
    }
}

/* How far v lies from the centre in standard errors at n: the order in
 * which outliers are listed and labelled. */
static double funnel_z(const uf_funnel *f, double n, double v)
{
    double se = f->mean ? f->sd / sqrt(n) : sqrt(f->centre * (1 - f->centre) / n);
    return se > 0 ? (v - f->centre) / se : 0;
}

static uf_band funnel_band(const uf_funnel *f, double n, double v)
{
    uf_limits wide = uf_funnel_limits(f, n, UF_FUNNEL_998);
    uf_limits narrow = uf_funnel_limits(f, n, UF_FUNNEL_95);
    return v > wide.hi     ? UF_BAND_ABOVE_998
           : v > narrow.hi ? UF_BAND_ABOVE_95
           : v < wide.lo   ? UF_BAND_BELOW_998
           : v < narrow.lo ? UF_BAND_BELOW_95
                           : UF_BAND_INSIDE;
}

/* The spread of the patients' values in the region, from their sum and
 * sum of squares; NaN when the report does not hold them. */
static double patient_sd(const uf_cell *c)
{
    if (!(c->den > 1) || !(c->sq > 0))
        return NAN;
    double var = (c->sq - c->num * c->num / c->den) / (c->den - 1);
    return var > 0 ? sqrt(var) : NAN;
}

int uf_doc_funnel(const uf_doc *d, size_t s, uf_funnel *f)
{
    const uf_report *r = d->report;
    const uf_indicator *ind = r->series[s].ind;
    const uf_cell *region = uf_doc_cell(d, s, 0, UF_TREND - 1);
    *f = (uf_funnel){.mean = uf_doc_is_patient_mean(ind), .target = region->target,
                     .nmin = INFINITY, .nmax = 0};
    if (!f->mean && !ind->share)
        return 0;
    f->centre = f->target ? f->target->value : uf_doc_shown(region);
    if (f->mean)
        f->sd = patient_sd(region);
    if (isnan(f->centre) || (f->mean && isnan(f->sd)) ||
        (!f->mean && !(f->centre > 0 && f->centre < 1)))
        return 0;
    f->pt = uf_xcalloc(r->nunits ? r->nunits : 1, sizeof *f->pt);
    for (size_t u = 1; u <= r->nunits; u++) {
        const uf_cell *c = uf_doc_cell(d, s, u, UF_TREND - 1);
        double v = uf_doc_shown(c);
        if (isnan(v) || !(c->den >= 1))
            continue;
        uf_funnel_point *pt = &f->pt[f->npt++];
        *pt = (uf_funnel_point){.row = u, .n = c->den, .v = v, .z = funnel_z(f, c->den, v),
                                .band = funnel_band(f, c->den, v)};
        f->count[pt->band]++;
        f->nmin = fmin(f->nmin, pt->n);
        f->nmax = fmax(f->nmax, pt->n);
    }
    if (!f->npt) {
        uf_funnel_free(f);
        return 0;
    }
    return 1;
}

const uf_funnel_point *uf_funnel_find(const uf_funnel *f, size_t row)
{
    /* Points are in row order. */
    size_t lo = 0, hi = f->npt;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->pt[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->npt && f->pt[lo].row == row ? &f->pt[lo] : NULL;
}

size_t uf_funnel_outside(const uf_funnel *f)
{
    return f->npt - f->count[UF_BAND_INSIDE];
}

static int by_z(const void *a, const void *b)
{
    const uf_funnel_point *x = *(const uf_funnel_point *const *)a;
    const uf_funnel_point *y = *(const uf_funnel_point *const *)b;
    double dx = fabs(x->z), dy = fabs(y->z);
    if (dx != dy)
        return dx < dy ? 1 : -1;
    return x->row < y->row ? -1 : x->row > y->row;
}

const uf_funnel_point **uf_funnel_outliers(const uf_funnel *f)
{
    size_t n = uf_funnel_outside(f), na = 0, nb = 0;
    const uf_funnel_point **above = uf_xcalloc(n + 1, sizeof *above);
    const uf_funnel_point **below = uf_xcalloc(n + 1, sizeof *below);
    for (size_t i = 0; i < f->npt; i++) {
        if (f->pt[i].band == UF_BAND_ABOVE_95 || f->pt[i].band == UF_BAND_ABOVE_998)
            above[na++] = &f->pt[i];
        else if (f->pt[i].band != UF_BAND_INSIDE)
            below[nb++] = &f->pt[i];
    }
    qsort(above, na, sizeof *above, by_z);
    qsort(below, nb, sizeof *below, by_z);
    /* Taken in turn, so that neither side crowds the other out of a list
     * cut short. */
    const uf_funnel_point **out = uf_xcalloc(n + 1, sizeof *out);
    for (size_t k = 0, a = 0, b = 0; k < n; k++)
        out[k] = b >= nb || (a < na && a <= b) ? above[a++] : below[b++];
    free(above);
    free(below);
    return out;
}

void uf_funnel_free(uf_funnel *f)
{
    free(f->pt);
    f->pt = NULL;
    f->npt = 0;
}

int uf_band_rank(uf_band b)
{
    return b == UF_BAND_INSIDE ? 0 : b == UF_BAND_ABOVE_998 || b == UF_BAND_BELOW_998 ? 2 : 1;
}

const char *uf_band_label(uf_band b)
{
    static const char *const label[UF_NBANDS] = {
        [UF_BAND_BELOW_998] = "Under 99,8" UF_NBSP "%-gränsen",
        [UF_BAND_BELOW_95] = "Under 95" UF_NBSP "%-gränsen",
        [UF_BAND_INSIDE] = "Inom gränserna",
        [UF_BAND_ABOVE_95] = "Över 95" UF_NBSP "%-gränsen",
        [UF_BAND_ABOVE_998] = "Över 99,8" UF_NBSP "%-gränsen",
    };
    return b < UF_NBANDS ? label[b] : "";
}

/* "Av 30 enheter i diagrammet ligger 2 över den övre 99,8 %-gränsen, 1
 * mellan den övre 95 %- och 99,8 %-gränsen och 4 under den undre 99,8 %-
 * gränsen; 23 ligger inom gränserna.": the counts both documents print
 * under the plot, the empty groups left out. */
char *uf_funnel_counts(const uf_funnel *f)
{
    static const struct {
        uf_band band;
        const char *where;
    } group[] = {
        {UF_BAND_ABOVE_998, "över den övre 99,8" UF_NBSP "%-gränsen"},
        {UF_BAND_ABOVE_95, "mellan den övre 95" UF_NBSP "%- och 99,8" UF_NBSP "%-gränsen"},
        {UF_BAND_BELOW_95, "mellan den undre 95" UF_NBSP "%- och 99,8" UF_NBSP "%-gränsen"},
        {UF_BAND_BELOW_998, "under den undre 99,8" UF_NBSP "%-gränsen"},
    };
    enum { NG = sizeof group / sizeof group[0] };
    GString *g = g_string_new(NULL);
    g_string_printf(g, "Av %zu enheter i diagrammet ligger ", f->npt);
    size_t left = 0;
    for (int i = 0; i < NG; i++)
        left += f->count[group[i].band] != 0;
    for (int i = 0; i < NG; i++) {
        size_t n = f->count[group[i].band];
        if (!n)
            continue;
        left--;
        g_string_append_printf(g, "%zu %s%s", n, group[i].where,
                               left > 1 ? ", " : left == 1 ? " och " : "");
    }
    size_t inside = f->count[UF_BAND_INSIDE];
    if (inside == f->npt)
        g_string_append(g, "alla inom gränserna.");
    else if (inside)
        g_string_append_printf(g, "; %zu ligger inom gränserna.", inside);
    else
        g_string_append(g, "; ingen ligger inom gränserna.");
    return g_string_free(g, FALSE);
}

/* The plot in words: the alt text of the PDF's figure, the description of
 * the workbook's chart. */
char *uf_funnel_describe(const uf_doc *d, size_t s, const uf_funnel *f)
{
    const uf_indicator *ind = d->report->series[s].ind;
    char centre[64], period[32];
    uf_fmt_target_value(ind, f->centre, centre, sizeof centre);
    uf_fmt_period_sv(d->report->period, period, sizeof period);
    char *counts = uf_funnel_counts(f);
    char *text = uf_xasprintf("Trattdiagram: vårdcentralernas värden för %s i %s mot deras "
                              "underlag, kring %s %s, med 95" UF_NBSP "%%- och 99,8" UF_NBSP
                              "%%-gränser (%s). %s",
                              ind->name, period, f->target ? "målet" : "regionens värde", centre,
                              f->mean ? "från spridningen mellan patienterna"
                                      : "exakta binomialgränser",
                              counts);
    free(counts);
    return text;
}

/* What the limits are and what a unit outside them means, in plain Swedish. */
char *uf_funnel_method(const uf_funnel *f, const uf_indicator *ind)
{
    char sd[64], centre[64];
    uf_fmt_target_value(ind, f->centre, centre, sizeof centre);
    const char *what = f->target ? "målet" : "regionens värde";
    char *limits;
    if (f->mean) {
        uf_indicator plain = *ind;
        plain.decimals = ind->kind == UF_KIND_PERCENT ? ind->decimals : ind->decimals + 1;
        uf_fmt_value(&plain, f->sd, sd, sizeof sd);
        limits = uf_xasprintf("Gränserna är %s (%s) ± 1,96 respektive 3,09 gånger s/√n, där n "
                              "är enhetens antal patienter och s (%s) spridningen "
                              "(standardavvikelsen) mellan patienternas egna värden i regionen.",
                              what, centre, sd);
    } else {
        limits = uf_xasprintf("Gränserna är exakta binomialgränser kring %s (%s) för enhetens "
                              "n (Spiegelhalter 2005).", what, centre);
    }
    char *text = uf_xasprintf(
        "Tratten visar hur långt från %s en enhets värde kan hamna av slumpen, givet hur stort "
        "underlag (n) värdet bygger på: små enheter har vida gränser, stora snäva. %s Ligger "
        "alla enheter egentligen på %s hamnar ungefär 5 av 100 utanför 95" UF_NBSP "%%-gränserna "
        "och 2 av 1" UF_THIN "000 utanför 99,8" UF_NBSP "%%-gränserna. En enhet utanför "
        "gränserna skiljer sig alltså mer än slumpen rimligen förklarar; det är en signal att "
        "se närmare på den, inte ett bevis för bättre eller sämre vård (patienternas "
        "sammansättning, registreringen eller datafel kan förklara skillnaden). En enhet inom "
        "tratten skiljer sig inte säkert från %s, men behöver inte ha nått det. Enheter med "
        "för litet underlag ritas inte.",
        what, limits, what, what);
    free(limits);
    return text;
}
