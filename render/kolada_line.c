/* render/kolada_line.c — Kolada's comparison figures as the documents show
 * them: the national line of the trend chart and the sentence under it.
 * Which KPI compares with an indicator is its definition's kolada_kpi. */
#include "render/doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char uf_doc_kolada_source[] = "Källa: Kolada";
const char uf_doc_kolada_label[] = "Riket (Kolada, per år)";

const char *uf_doc_kolada_kpi(const uf_indicator *ind) { return ind->kolada_kpi; }

int uf_doc_kolada_value(const uf_doc *d, const uf_indicator *ind, const char *area, int year,
                        double *out)
{
    const char *kpi = uf_doc_kolada_kpi(ind);
    if (!kpi || !area || !d->kolada)
        return 0;
    for (size_t i = 0; i < d->kolada->n; i++) {
        const uf_kolada_value *k = &d->kolada->v[i];
        if (k->year != year || !k->has_value || strcmp(k->kpi, kpi) || strcmp(k->area, area))
            continue;
        /* a percentage beyond 100 is no share: not drawn as one */
        if (ind->kind == UF_KIND_PERCENT && k->value > 100)
            return 0;
        *out = ind->kind == UF_KIND_PERCENT ? k->value / 100.0 : k->value;
        return 1;
    }
    return 0;
}

/* The status Kolada gives for a missing value of area in year, or NULL. */
static const char *missing_status(const uf_doc *d, const uf_indicator *ind, const char *area,
                                  int year)
{
    for (size_t i = 0; d->kolada && i < d->kolada->n; i++) {
        const uf_kolada_value *k = &d->kolada->v[i];
        if (k->year == year && !k->has_value && k->status[0] && !strcmp(k->kpi, ind->kolada_kpi) &&
            !strcmp(k->area, area))
            return k->status;
    }
    return NULL;
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
    if (d->kolada_missing && uf_doc_kolada_kpi(ind)) {
        snprintf(out, n, "Jämförelse från Kolada saknas: %s.", d->kolada_missing);
        return 1;
    }
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
        /* the region's value missing, and Kolada says why */
        const char *why = !has_reg && own && strcmp(own, UF_KOLADA_NATIONAL)
                              ? missing_status(d, ind, own, y)
                              : NULL;
        if (why) {
            snprintf(b, sizeof b, "saknas (status %s)", why);
            has_reg = 1;
        }
        const char *region = d->cfg && d->cfg->region_name ? d->cfg->region_name : "Regionen";
        int at = snprintf(out, n, "Kolada %d (%s): %s%s%s%s%s%s. %s.", y, uf_doc_kolada_kpi(ind),
                          has_nat ? "Riket " : "", a, has_nat && has_reg ? ", " : "",
                          has_reg ? region : "", has_reg ? " " : "", b, uf_doc_kolada_source);
        /* a documented break within the years the chart shows */
        for (size_t i = 0; i < ind->nkolada_breaks && at >= 0 && (size_t)at < n; i++) {
            int by = ind->kolada_breaks[i].year;
            if (by > uf_month_year(d->report->period - (UF_TREND - 1)) && by <= year)
                at += snprintf(out + at, n - (size_t)at, " %s", ind->kolada_breaks[i].note);
        }
        return 1;
    }
    return 0;
}
