/* render/pdf_chart.c — what the book's charts share: the value scale, on
 * the axes both documents use, with tick labels as exact as its step, and
 * the words their alt texts are made of. */
#include "render/pdf.h"

#include <math.h>
#include <stdio.h>

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

void pdf_value_grid(pdf *p, const scale *sc, double left, double right, double top,
                    double bottom, double gap)
{
    cairo_t *cr = p->cr;
    char buf[64];
    cairo_set_line_width(cr, 0.4);
    for (double g = sc->bot; g <= sc->top + sc->step * 1e-6; g += sc->step) {
        double gy = bottom - (bottom - top) * (g - sc->bot) / (sc->top - sc->bot);
        pdf_ink(p, RULE);
        cairo_move_to(cr, left, gy);
        cairo_line_to(cr, right, gy);
        cairo_stroke(cr);
        pdf_ink(p, GREY);
        uf_fmt_value(&sc->tick, g, buf, sizeof buf);
        double th = pdf_text(p, F_SMALL, X0, 0, left - X0 - gap, T_RIGHT | T_NODRAW, buf);
        pdf_text(p, F_SMALL, X0, gy - th / 2, left - X0 - gap, T_RIGHT, buf);
    }
}

scale pdf_scale_fit(const uf_indicator *ind, double lo, double hi)
{
    scale s = {.tick = *ind};
    uf_axis_fit(ind, lo, hi, &s.bot, &s.top, &s.step);
    scale_ticks(&s, ind);
    return s;
}

const char *pdf_quantity(const uf_indicator *ind)
{
    return ind->kind == UF_KIND_PERCENT ? "andel" : ind->kind == UF_KIND_INDEX ? "index" : "antal";
}

const char *pdf_alt_target(const uf_indicator *ind, const uf_target *t, char *buf, size_t n)
{
    char v[64];
    if (!t)
        return "utan mål";
    uf_fmt_target_value(ind, t->value, v, sizeof v);
    snprintf(buf, n, "mot målet %s", v);
    return buf;
}

const char *pdf_alt_value(const uf_indicator *ind, double v, uf_status st, char *buf, size_t n)
{
    char *word = g_utf8_strdown(uf_status_label(st), -1);
    char fv[64];
    uf_fmt_value(ind, v, fv, sizeof fv);
    if (isnan(v))
        snprintf(buf, n, "visas inte (%s)", word);
    else if (st == UF_ST_NOTARGET || st == UF_ST_MISSING)
        snprintf(buf, n, "%s", fv);
    else
        snprintf(buf, n, "%s, %s", fv, word);
    g_free(word);
    return buf;
}
