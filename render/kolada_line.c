/* render/kolada_line.c — Kolada's comparison figures as the documents show
 * them: the national line of the trend chart and the sentence under it.
 * Which KPI compares with which indicator is this file's kolada_map, kept
 * apart from the rest so that it can move into the definitions whole. */
#include "render/doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
