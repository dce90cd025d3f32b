/* render/pdf_trend_chart.c — the region per month, P-12 to P: a solid line
 * broken where a month is missing, the target dashed across the months it
 * was in force, the national Kolada figure dotted, on an axis fit to the
 * data (marked when it does not start at 0). */
#include "render/pdf.h"

#include <math.h>

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

/* The plot: 13 months of the region (v), the target in force (t) and the
 * national figure (k), NaN where there is none, on a scale fit to them,
 * in a box with room left for the tick labels, below for the months and
 * right for the latest value and the target's label. */
typedef struct {
    double v[UF_TREND], t[UF_TREND], k[UF_TREND];
    int year[UF_TREND]; /* each month's calendar year: Kolada's figures are yearly */
    int national;       /* k holds a figure */
    int tlast;    /* the last month with a target, -1 when none */
    scale sc;
    double top, bottom, left, right, slot; /* slot: one month's width */
} plot;

enum { PLOT_H = 195 }; /* the chart's height, the key and month labels included */

static void plot_values(const uf_doc *d, size_t s, plot *pl)
{
    const uf_indicator *ind = d->report->series[s].ind;
    double lo = INFINITY, hi = -INFINITY;
    pl->national = uf_doc_kolada_trend(d, ind, pl->k);
    pl->tlast = -1;
    for (int c = 0; c < UF_TREND; c++) {
        pl->year[c] = uf_month_year(d->report->period - (UF_TREND - 1) + c);
        const uf_cell *cell = uf_doc_cell(d, s, 0, c);
        pl->v[c] = uf_doc_shown(cell);
        pl->t[c] = cell->target ? cell->target->value : NAN;
        if (!isnan(pl->t[c]))
            pl->tlast = c;
        const double each[3] = {pl->v[c], pl->t[c], pl->k[c]};
        for (int i = 0; i < 3; i++)
            if (!isnan(each[i])) {
                lo = fmin(lo, each[i]);
                hi = fmax(hi, each[i]);
            }
    }
    pl->sc = pdf_scale_fit(ind, lo, hi);
}

/* The box below the chart's title, which ends at y. */
static void plot_box(plot *pl, double y)
{
    pl->top = y + 18;
    pl->bottom = y + PLOT_H - 30;
    pl->left = X0 + 44;
    pl->right = X1 - 70;
    pl->slot = (pl->right - pl->left) / UF_TREND;
}

/* Where value v is drawn, held inside the scale. */
static double plot_y(const plot *pl, double v)
{
    const scale *sc = &pl->sc;
    return pl->bottom - (pl->bottom - pl->top) * (fmin(fmax(v, sc->bot), sc->top) - sc->bot) /
                            (sc->top - sc->bot);
}

/* The middle of month c. */
static double plot_x(const plot *pl, int c)
{
    return pl->left + pl->slot * (c + 0.5);
}

/* The value axis (its title says where it starts when not at 0), the grid
 * with its tick labels, the months with the year under January and the
 * first, the base line. */
static void plot_axes(pdf *p, const plot *pl, const uf_indicator *ind, double y)
{
    cairo_t *cr = p->cr;
    const scale *sc = &pl->sc;
    char buf[256];
    pdf_ink(p, GREY);
    const char *q = pdf_quantity(ind);
    if (sc->bot > 0) {
        char b0[64];
        uf_fmt_value(&sc->tick, sc->bot, b0, sizeof b0);
        snprintf(buf, sizeof buf, "%c%s (axeln börjar vid %s)", q[0] - 'a' + 'A', q + 1, b0);
    } else {
        snprintf(buf, sizeof buf, "%c%s", q[0] - 'a' + 'A', q + 1);
    }
    pdf_text(p, F_SMALL, X0, y + 2, 190, T_ELLIPSIZE, buf);
    pdf_value_grid(p, sc, pl->left, pl->right, pl->top, pl->bottom, 9);
    pdf_ink(p, GREY);
    uf_month period = p->d->report->period;
    for (int c = 0; c < UF_TREND; c++) {
        uf_month m = period - (UF_TREND - 1) + c;
        snprintf(buf, sizeof buf, "%.3s", uf_month_name_sv(uf_month_number(m)));
        double cx = plot_x(pl, c);
        pdf_text(p, F_SMALL, cx - pl->slot / 2, pl->bottom + 4, pl->slot, T_CENTER, buf);
        if (c == 0 || uf_month_number(m) == 1) {
            snprintf(buf, sizeof buf, "%d", uf_month_year(m));
            pdf_text(p, F_SMALL, cx - pl->slot / 2, pl->bottom + 14, pl->slot, T_CENTER, buf);
        }
    }
    pdf_ink(p, INK);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, pl->left, pl->bottom);
    cairo_line_to(cr, pl->right, pl->bottom);
    cairo_stroke(cr);
    if (sc->bot > 0) {
        /* The broken-axis mark: the scale does not start at 0. */
        cairo_move_to(cr, pl->left - 4, pl->bottom - 2);
        cairo_line_to(cr, pl->left + 4, pl->bottom - 6);
        cairo_move_to(cr, pl->left - 4, pl->bottom + 2);
        cairo_line_to(cr, pl->left + 4, pl->bottom - 2);
        cairo_stroke(cr);
    }
}

/* A stepped line over the months: flat within a month (target, a yearly
 * figure), joined where the next month has a value, a gap where not. */
static void step_line(pdf *p, const plot *pl, const double *v)
{
    cairo_t *cr = p->cr;
    for (int c = 0; c < UF_TREND; c++) {
        if (isnan(v[c]))
            continue;
        double y = plot_y(pl, v[c]);
        double x0 = pl->left + pl->slot * c, x1 = x0 + pl->slot;
        if (c > 0 && !isnan(v[c - 1]))
            cairo_line_to(cr, x0, y);
        else
            cairo_move_to(cr, x0, y);
        cairo_line_to(cr, x1, y);
    }
    cairo_stroke(cr);
}

/* Kolada's figures are yearly: each year's step is labelled with its year
 * ("Riket 2023", or the year alone where the step is short), and a
 * documented break in the series is marked at the January it begins. */
static void national_years(pdf *p, const plot *pl, const uf_indicator *ind)
{
    cairo_t *cr = p->cr;
    pdf_ink(p, GREY);
    for (int c = 0; c < UF_TREND;) {
        int e = c;
        while (e < UF_TREND && pl->year[e] == pl->year[c])
            e++;
        if (!isnan(pl->k[c])) {
            char lab[32];
            double w = pl->slot * (e - c);
            snprintf(lab, sizeof lab, e - c >= 3 ? "Riket %d" : "%d", pl->year[c]);
            pdf_text(p, F_SMALL, pl->left + pl->slot * c + 1, plot_y(pl, pl->k[c]) - 11, w - 2,
                     T_ELLIPSIZE, lab);
        }
        for (size_t b = 0; b < ind->nkolada_breaks; b++)
            if (c > 0 && ind->kolada_breaks[b].year == pl->year[c]) {
                double x = pl->left + pl->slot * c;
                pdf_dashed(p, 1);
                cairo_set_line_width(cr, 0.6);
                cairo_move_to(cr, x, pl->top);
                cairo_line_to(cr, x, pl->bottom);
                cairo_stroke(cr);
                pdf_dashed(p, 0);
                pdf_text(p, F_SMALL, x + 2, pl->top - 2, pl->slot * 3, T_ELLIPSIZE,
                         "Ny mätmetod");
            }
        c = e;
    }
    pdf_ink(p, INK);
}

/* The national figure (one value per year) and the target (across the
 * months it was in force, labelled after the last of them). */
static void plot_national_and_target(pdf *p, const plot *pl, const uf_indicator *ind)
{
    if (pl->national) {
        line_style(p, K_NATIONAL);
        step_line(p, pl, pl->k);
        pdf_dashed(p, 0);
        national_years(p, pl, ind);
    }
    line_style(p, K_TARGET);
    step_line(p, pl, pl->t);
    pdf_dashed(p, 0);
    if (pl->tlast >= 0) {
        char buf[256], lab[sizeof buf + 8];
        uf_fmt_target_value(ind, pl->t[pl->tlast], buf, sizeof buf);
        snprintf(lab, sizeof lab, "Mål %s", buf);
        double lx = pl->left + pl->slot * (pl->tlast + 1) + 3;
        pdf_text(p, F_SMALL, lx, plot_y(pl, pl->t[pl->tlast]) - 11, X1 - lx, T_ELLIPSIZE, lab);
    }
}

/* The region: a solid line broken where a month is missing, a dot on each
 * month, the latest value beside its dot and clear of the target's label. */
static void plot_region(pdf *p, const plot *pl, const uf_indicator *ind)
{
    cairo_t *cr = p->cr;
    const double *v = pl->v;
    line_style(p, K_REGION);
    for (int c = 0; c < UF_TREND; c++) {
        if (isnan(v[c]))
            continue;
        if (c > 0 && !isnan(v[c - 1]))
            cairo_line_to(cr, plot_x(pl, c), plot_y(pl, v[c]));
        else
            cairo_move_to(cr, plot_x(pl, c), plot_y(pl, v[c]));
    }
    cairo_stroke(cr);
    int last = -1;
    for (int c = 0; c < UF_TREND; c++) {
        if (isnan(v[c]))
            continue;
        cairo_arc(cr, plot_x(pl, c), plot_y(pl, v[c]), 2.6, 0, 2 * M_PI);
        cairo_fill(cr);
        last = c;
    }
    if (last < 0)
        return;
    char buf[256];
    uf_fmt_value(ind, v[last], buf, sizeof buf);
    double lx = plot_x(pl, last) + 6;
    double vy = plot_y(pl, v[last]), ly = vy + 2;
    if (pl->tlast >= 0) {
        double ty = plot_y(pl, pl->t[pl->tlast]);
        /* The target's label is above its line: near it, the value goes
         * under both the line and its dot. */
        if (fabs(vy - ty) < 12)
            ly = fmax(vy, ty) + 3;
    }
    pdf_text(p, F_BOLD, lx, ly, X1 - lx, T_ELLIPSIZE, buf);
}

/* The key, right-aligned above the plot at y: only the lines drawn. */
static void plot_key(pdf *p, const plot *pl, double y)
{
    int target = pl->tlast >= 0;
    double kw = key_entry(p, 0, 0, K_REGION, "Regionen", 0) +
                (target ? key_entry(p, 0, 0, K_TARGET, "Mål", 0) : 0) +
                (pl->national ? key_entry(p, 0, 0, K_NATIONAL, uf_doc_kolada_label, 0) : 0);
    double kx = pl->right - kw, ky = y + 6;
    kx += key_entry(p, kx, ky, K_REGION, "Regionen", 1);
    if (target)
        kx += key_entry(p, kx, ky, K_TARGET, "Mål", 1);
    if (pl->national)
        key_entry(p, kx, ky, K_NATIONAL, uf_doc_kolada_label, 1);
    pdf_ink(p, INK);
}

void pdf_trend_chart(pdf *p, size_t s)
{
    const uf_doc *d = p->d;
    const uf_report *r = d->report;
    const uf_indicator *ind = r->series[s].ind;
    char buf[256], from[32], to[32], kline[512];
    int kolada = uf_doc_kolada_line(d, ind, kline, sizeof kline);
    pdf_ensure(p, PLOT_H + 20 + (kolada ? 14 : 0));
    uf_fmt_month_short(r->period - (UF_TREND - 1), from, sizeof from);
    uf_fmt_month_short(r->period, to, sizeof to);
    snprintf(buf, sizeof buf, "Regionen per månad, %s – %s", from, to);
    p->y += pdf_text_as(p, "H3", F_H2, X0, p->y, TW, T_ELLIPSIZE, buf) + 4;

    plot pl;
    plot_values(d, s, &pl);
    const uf_cell *c = uf_doc_cell(d, s, 0, UF_TREND - 1);
    char tgt[96], val[128];
    uf_fmt_period_sv(r->period - (UF_TREND - 1), from, sizeof from);
    uf_fmt_period_sv(r->period, to, sizeof to);
    pdf_figure_begin(p, "Regionens %s per månad, %s–%s, %s%s; senaste värde %s.",
                     pdf_quantity(ind), from, to, pdf_alt_target(ind, c->target, tgt, sizeof tgt),
                     pl.national ? ", och riket enligt Kolada" : "",
                     pdf_alt_value(ind, pl.v[UF_TREND - 1], c->status, val, sizeof val));
    plot_box(&pl, p->y);
    plot_axes(p, &pl, ind, p->y);
    plot_national_and_target(p, &pl, ind);
    plot_region(p, &pl, ind);
    plot_key(p, &pl, p->y);
    pdf_figure_end(p);
    p->y += PLOT_H;
    if (kolada) {
        pdf_ink(p, GREY);
        p->y -= 4;
        pdf_flow(p, F_SMALL, X0, TW, kline);
        p->y += 6;
        pdf_ink(p, INK);
    }
}
