/* render/pdf_trend_chart.c — the region per month, P-12 to P: a solid line
 * broken where a month is missing, the target dashed across the months it
 * was in force, the national Kolada figure dotted, on an axis fit to the
 * data (marked when it does not start at 0). */
#include "render/pdf.h"

#include <math.h>

static const char *axis_title(const uf_indicator *ind)
{
    return ind->kind == UF_KIND_PERCENT ? "Andel" : ind->kind == UF_KIND_INDEX ? "Index"
                                                                               : "Antal";
}

/* The chart's lines, each with its style and its entry in the key. */
typedef enum { K_REGION, K_TARGET, K_NATIONAL } key_kind;

static void line_style(pdf *p, key_kind k)
{
    static const double dot[] = {1.2, 2.2};
    switch (k) {
    case K_REGION:
        pdf_ink(p, LINE);
        cairo_set_line_width(p->cr, 2.0);
        pdf_dashed(p, 0);
        break;
    case K_TARGET:
        pdf_ink(p, TARGET);
        cairo_set_line_width(p->cr, 1.4);
        pdf_dashed(p, 1);
        break;
    case K_NATIONAL:
        /* Dotted and grey: tells itself from the dashed target in black
         * and white. */
        pdf_ink(p, NATIONAL);
        cairo_set_line_width(p->cr, 1.6);
        cairo_set_dash(p->cr, dot, 2, 0);
        break;
    }
}

/* A key entry: a short sample of the line and its name; returns its width
 * (draw 0: measures only). */
static double key_entry(pdf *p, double x, double y, key_kind k, const char *label, int draw)
{
    double w = 22 + pdf_text_width(p, F_SMALL, label) + 12;
    if (!draw)
        return w;
    line_style(p, k);
    cairo_move_to(p->cr, x, y);
    cairo_line_to(p->cr, x + 18, y);
    cairo_stroke(p->cr);
    pdf_dashed(p, 0);
    if (k == K_REGION) {
        cairo_arc(p->cr, x + 9, y, 2.6, 0, 2 * M_PI);
        cairo_fill(p->cr);
    }
    pdf_ink(p, INK);
    pdf_text(p, F_SMALL, x + 22, y - 5, w - 22, T_ELLIPSIZE, label);
    return w;
}

/* A stepped line over the months: flat within a month (target, a yearly
 * figure), joined where the next month has a value, a gap where not. */
static void step_line(pdf *p, const double *v, double left, double slot, double bottom,
                      double top, const scale *sc)
{
    cairo_t *cr = p->cr;
    for (int c = 0; c < UF_TREND; c++) {
        if (isnan(v[c]))
            continue;
        double y = bottom - (bottom - top) * (fmin(fmax(v[c], sc->bot), sc->top) - sc->bot) /
                                (sc->top - sc->bot);
        double x0 = left + slot * c, x1 = x0 + slot;
        if (c > 0 && !isnan(v[c - 1]))
            cairo_line_to(cr, x0, y);
        else
            cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1, y);
    }
    cairo_stroke(cr);
}

void pdf_trend_chart(pdf *p, size_t s)
{
    const uf_doc *d = p->d;
    const uf_report *r = d->report;
    const uf_indicator *ind = r->series[s].ind;
    const double H = 195;
    char buf[256], from[32], to[32];
    double v[UF_TREND], t[UF_TREND], k[UF_TREND], lo = INFINITY, hi = -INFINITY;
    int national = uf_doc_kolada_trend(d, ind, k);
    char kline[256];
    int kolada = uf_doc_kolada_line(d, ind, kline, sizeof kline);
    pdf_ensure(p, H + 20 + (kolada ? 14 : 0));
    uf_fmt_month_short(r->period - (UF_TREND - 1), from, sizeof from);
    uf_fmt_month_short(r->period, to, sizeof to);
    snprintf(buf, sizeof buf, "Regionen per månad, %s – %s", from, to);
    p->y += pdf_text(p, F_H2, X0, p->y, TW, T_ELLIPSIZE, buf) + 4;

    for (int c = 0; c < UF_TREND; c++) {
        const uf_cell *cell = uf_doc_cell(d, s, 0, c);
        v[c] = uf_doc_shown(cell);
        t[c] = cell->target ? cell->target->value : NAN;
        const double each[3] = {v[c], t[c], k[c]};
        for (int i = 0; i < 3; i++)
            if (!isnan(each[i])) {
                lo = fmin(lo, each[i]);
                hi = fmax(hi, each[i]);
            }
    }
    scale sc = pdf_scale_fit(ind, lo, hi);

    /* Plot box: room left for tick labels, below for months, right for
     * the latest value and the target's label. */
    double top = p->y + 18, bottom = p->y + H - 30, left = X0 + 44, right = X1 - 70;
    double slot = (right - left) / UF_TREND;
    cairo_t *cr = p->cr;
    pdf_ink(p, GREY);
    if (sc.bot > 0) {
        char b0[64];
        uf_fmt_value(&sc.tick, sc.bot, b0, sizeof b0);
        snprintf(buf, sizeof buf, "%s (axeln börjar vid %s)", axis_title(ind), b0);
    } else {
        snprintf(buf, sizeof buf, "%s", axis_title(ind));
    }
    pdf_text(p, F_SMALL, X0, p->y + 2, 190, T_ELLIPSIZE, buf);
    cairo_set_line_width(cr, 0.4);
#define YOF(val) (bottom - (bottom - top) * (fmin(fmax((val), sc.bot), sc.top) - sc.bot) / \
                               (sc.top - sc.bot))
    for (double g = sc.bot; g <= sc.top + sc.step * 1e-6; g += sc.step) {
        double gy = YOF(g);
        pdf_ink(p, RULE);
        cairo_move_to(cr, left, gy);
        cairo_line_to(cr, right, gy);
        cairo_stroke(cr);
        pdf_ink(p, GREY);
        uf_fmt_value(&sc.tick, g, buf, sizeof buf);
        double th = pdf_text(p, F_SMALL, X0, 0, left - X0 - 9, T_RIGHT | T_NODRAW, buf);
        pdf_text(p, F_SMALL, X0, gy - th / 2, left - X0 - 9, T_RIGHT, buf);
    }
    for (int c = 0; c < UF_TREND; c++) {
        uf_month m = r->period - (UF_TREND - 1) + c;
        snprintf(buf, sizeof buf, "%.3s", uf_month_name_sv(uf_month_number(m)));
        double cx = left + slot * (c + 0.5);
        pdf_text(p, F_SMALL, cx - slot / 2, bottom + 4, slot, T_CENTER, buf);
        if (c == 0 || uf_month_number(m) == 1) {
            snprintf(buf, sizeof buf, "%d", uf_month_year(m));
            pdf_text(p, F_SMALL, cx - slot / 2, bottom + 14, slot, T_CENTER, buf);
        }
    }
    pdf_ink(p, INK);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, left, bottom);
    cairo_line_to(cr, right, bottom);
    cairo_stroke(cr);
    if (sc.bot > 0) {
        /* The broken-axis mark: the bars of the scale do not start at 0. */
        cairo_move_to(cr, left - 4, bottom - 2);
        cairo_line_to(cr, left + 4, bottom - 6);
        cairo_move_to(cr, left - 4, bottom + 2);
        cairo_line_to(cr, left + 4, bottom - 2);
        cairo_stroke(cr);
    }

    /* The national figure, one value per year. */
    if (national) {
        line_style(p, K_NATIONAL);
        step_line(p, k, left, slot, bottom, top, &sc);
        pdf_dashed(p, 0);
    }
    /* Target: dashed, across the months it was in force. */
    int tlast = -1;
    for (int c = 0; c < UF_TREND; c++)
        if (!isnan(t[c]))
            tlast = c;
    line_style(p, K_TARGET);
    step_line(p, t, left, slot, bottom, top, &sc);
    pdf_dashed(p, 0);
    if (tlast >= 0) {
        uf_fmt_target_value(ind, t[tlast], buf, sizeof buf);
        char lab[sizeof buf + 8];
        snprintf(lab, sizeof lab, "Mål %s", buf);
        double lx = left + slot * (tlast + 1) + 3;
        pdf_text(p, F_SMALL, lx, YOF(t[tlast]) - 11, X1 - lx, T_ELLIPSIZE, lab);
    }

    /* Region: a solid line broken where a month is missing. */
    line_style(p, K_REGION);
    for (int c = 0; c < UF_TREND; c++) {
        if (isnan(v[c]))
            continue;
        double cx = left + slot * (c + 0.5);
        if (c > 0 && !isnan(v[c - 1]))
            cairo_line_to(cr, cx, YOF(v[c]));
        else
            cairo_move_to(cr, cx, YOF(v[c]));
    }
    cairo_stroke(cr);
    int last = -1;
    for (int c = 0; c < UF_TREND; c++) {
        if (isnan(v[c]))
            continue;
        cairo_arc(cr, left + slot * (c + 0.5), YOF(v[c]), 2.6, 0, 2 * M_PI);
        cairo_fill(cr);
        last = c;
    }
    if (last >= 0) {
        uf_fmt_value(ind, v[last], buf, sizeof buf);
        double lx = left + slot * (last + 0.5) + 6;
        double ly = YOF(v[last]) + 2;
        /* Keep the value clear of the target label when they are close. */
        if (tlast >= 0 && fabs(YOF(v[last]) - YOF(t[tlast])) < 12)
            ly = YOF(v[last]) > YOF(t[tlast]) ? YOF(t[tlast]) + 3 : YOF(v[last]) - 14;
        pdf_text(p, F_BOLD, lx, ly, X1 - lx, T_ELLIPSIZE, buf);
    }
#undef YOF

    /* Key, right-aligned above the plot. */
    double kw = key_entry(p, 0, 0, K_REGION, "Regionen", 0) +
                (tlast >= 0 ? key_entry(p, 0, 0, K_TARGET, "Mål", 0) : 0) +
                (national ? key_entry(p, 0, 0, K_NATIONAL, uf_doc_kolada_label, 0) : 0);
    double kx = right - kw, ky = p->y + 6;
    kx += key_entry(p, kx, ky, K_REGION, "Regionen", 1);
    if (tlast >= 0)
        kx += key_entry(p, kx, ky, K_TARGET, "Mål", 1);
    if (national)
        key_entry(p, kx, ky, K_NATIONAL, uf_doc_kolada_label, 1);
    pdf_ink(p, INK);
    p->y += H;
    if (kolada) {
        pdf_ink(p, GREY);
        p->y -= 4;
        pdf_flow(p, F_SMALL, X0, TW, kline);
        p->y += 6;
        pdf_ink(p, INK);
    }
}
