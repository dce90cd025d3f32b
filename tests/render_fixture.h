/* tests/render_fixture.h — what the render tests stand on.
 *
 * The weak definitions stand in for compute/ and ingest/ functions that
 * were being written alongside render/.  A static library's member is only
 * linked when something needs it, so these are what the render tests run
 * with, keeping them independent of compute's and ingest's state; should
 * that member be linked for another reason, its strong definitions win. */
#ifndef UF_RENDER_FIXTURE_H
#define UF_RENDER_FIXTURE_H

#include <math.h>
#include <string.h>

#include "uppfolj.h"

#define UF_WEAK __attribute__((weak))

UF_WEAK uf_cell *uf_report_cell(const uf_report *r, size_t series, size_t row, int col)
{
    return &r->series[series].cells[row * UF_NCOLS + (size_t)col];
}

UF_WEAK double uf_cell_value(const uf_cell *c)
{
    return c->present && c->den > 0 ? c->num / c->den : NAN;
}

UF_WEAK long uf_cell_n(const uf_cell *c, const uf_indicator *ind)
{
    return (long)(ind->n_is_numerator ? c->num : c->den);
}

UF_WEAK const char *uf_status_label(uf_status s)
{
    static const char *const w[] = {"Uppgift saknas", "Inget mål", "Uppnått",
                                    "Nära",           "Ej uppnått", "För litet underlag"};
    return w[s];
}

UF_WEAK const char *uf_status_word(uf_status s)
{
    static const char *const w[] = {"saknas", "inget_mal", "uppnatt",
                                    "nara",   "ej_uppnatt", "for_litet_underlag"};
    return w[s];
}

UF_WEAK const char *uf_config_owner(const uf_config *cfg, const char *indicator)
{
    for (size_t i = 0; i < cfg->nowners; i++)
        if (!strcmp(cfg->owners[i].indicator, indicator))
            return cfg->owners[i].owner;
    return NULL;
}

UF_WEAK const uf_comment *uf_comments_find(const uf_comments *c, const char *indicator)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].indicator, indicator))
            return &c->v[i];
    return NULL;
}

UF_WEAK const uf_target *uf_targets_find(const uf_targets *t, const char *indicator,
                                         const char *unit, uf_month m)
{
    const uf_target *region = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const uf_target *x = &t->v[i];
        if (strcmp(x->indicator, indicator) || m < x->from || m > x->to)
            continue;
        if (x->unit && unit && !strcmp(x->unit, unit))
            return x;
        if (!x->unit)
            region = x;
    }
    return region;
}

#endif
