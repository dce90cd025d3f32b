/* compute/status.c — a cell against the nämnd's target: the traffic light. */
#include "derive.h"

#include <math.h>

/* Rounding in sums of fractions must not turn a met target into a miss. */
#define SLACK 1e-9

uf_status uf_status_judge(const uf_indicator *ind, const uf_cell *c, const uf_target *t)
{
    if (!c->present)
        return UF_ST_MISSING;
    if (uf_cell_n(c, ind) < ind->min_n || c->den == 0)
        return UF_ST_SMALL;
    if (!t)
        return UF_ST_NOTARGET;
    double v = uf_cell_value(c);
    double shortfall = ind->direction < 0 ? v - t->value : t->value - v;
    if (shortfall <= SLACK)
        return UF_ST_MET;
    double tol = ind->kind == UF_KIND_PERCENT ? ind->tolerance : ind->tolerance * fabs(t->value);
    return shortfall <= tol + SLACK ? UF_ST_NEAR : UF_ST_MISSED;
}

void uf_cell_judge(uf_cell *c, const uf_indicator *ind, const uf_targets *targets,
                   const char *unit, uf_month m)
{
    c->target = targets ? uf_targets_find(targets, ind->id, unit, m) : NULL;
    c->status = uf_status_judge(ind, c, c->target);
}

const char *uf_status_word(uf_status s)
{
    static const char *const words[] = {
        [UF_ST_MISSING] = "",           [UF_ST_NOTARGET] = "inget_mal", [UF_ST_MET] = "uppnatt",
        [UF_ST_NEAR] = "nara",          [UF_ST_MISSED] = "ej_uppnatt",
        [UF_ST_SMALL] = "for_litet_underlag"};
    return s <= UF_ST_SMALL ? words[s] : "";
}

const char *uf_status_label(uf_status s)
{
    static const char *const labels[] = {
        [UF_ST_MISSING] = "Saknas",     [UF_ST_NOTARGET] = "Inget mål", [UF_ST_MET] = "Uppnått",
        [UF_ST_NEAR] = "Nära",          [UF_ST_MISSED] = "Ej uppnått",
        [UF_ST_SMALL] = "För litet underlag"};
    return s <= UF_ST_SMALL ? labels[s] : "";
}
