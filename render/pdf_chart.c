/* render/pdf_chart.c — what the book's charts share: the value scale, on
 * the axes both documents use, with tick labels as exact as its step. */
#include "render/pdf.h"

#include <math.h>

static void scale_ticks(scale *s, const uf_indicator *ind)
{
    double disp = ind->kind == UF_KIND_PERCENT ? s->step * 100 : s->step;
    int dec = 0;
    while (dec < 4 && fabs(disp * pow(10, dec) - round(disp * pow(10, dec))) > 1e-6)
        dec++;
    s->tick.decimals = dec;
}

/* From 0 to a round number above vmax, 4–6 steps; a share stops at 100 %.
 * Bars are drawn from 0, so their scale always starts there. */
scale pdf_scale_zero(const uf_indicator *ind, double vmax)
{
    scale s = {.tick = *ind};
    uf_axis_zero(ind, vmax, &s.top, &s.step);
    scale_ticks(&s, ind);
    return s;
}

scale pdf_scale_fit(const uf_indicator *ind, double lo, double hi)
{
    scale s = {.tick = *ind};
    uf_axis_fit(ind, lo, hi, &s.bot, &s.top, &s.step);
    scale_ticks(&s, ind);
    return s;
}
