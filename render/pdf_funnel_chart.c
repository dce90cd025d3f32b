/* render/pdf_funnel_chart.c — the funnel plot: every unit shown, its value
 * against its n on a logarithmic axis, the centre (the target dashed as
 * everywhere, else the region's value solid), the 95 % limits dotted and
 * the 99.8 % limits solid.  A point reads without colour: a light dot
 * inside the limits, a ring outside the 95 %, a dark dot outside the
 * 99.8 %; units outside are labelled with their id, the farthest first
 * (above and below in turn), as long as a label finds room.  Under it the
 * key, the counts above and below each limit, and what they mean.  The
 * title is a heading, the plot and its key a Figure with the plot in
 * words (uf_funnel_describe), the counts and notes paragraphs. */
#include "render/pdf.h"

#include <math.h>
#include <stdlib.h>

enum { PLOT_H = 200, MAX_LABELS = 24 };

typedef struct {
    const uf_indicator *ind;
    const uf_funnel *f;
    pdf_funnel *pf; /* f's, with the curve */
    scale sc;
    double nlo, nhi;                /* the n axis, 1-2-5 values around the units' n */
    double top, bottom, left, right; /* the box */
} funnel_plot;

static double plot_x(const funnel_plot *fp, double n)
{
    double span = log10(fp->nhi) - log10(fp->nlo);
    return fp->left + (fp->right - fp->left) * (log10(n) - log10(fp->nlo)) / span;
}

/* Held inside the scale, so a limit off the axis runs along its edge. */
static double plot_y(const funnel_plot *fp, double v)
{
    const scale *sc = &fp->sc;
    v = fmin(fmax(v, sc->bot), sc->top);
    return fp->bottom - (fp->bottom - fp->top) * (v - sc->bot) / (sc->top - sc->bot);
}

/* The axes, as uf_funnel_range has them, and the box. */
static void plot_fit(funnel_plot *fp, double y)
{
    double lo, hi;
    uf_funnel_range(fp->f, &fp->nlo, &fp->nhi, &lo, &hi);
    fp->sc = pdf_scale_fit(fp->ind, lo, hi);
    fp->top = y + 8;
    fp->bottom = y + PLOT_H - 28;
    fp->left = X0 + 44;
    fp->right = X1 - 8;
}

/* Grid and tick labels of both axes, the axes' titles, the base line. */
static void plot_axes(pdf *p, const funnel_plot *fp)
{
    cairo_t *cr = p->cr;
    char buf[128];
    pdf_value_grid(p, &fp->sc, fp->left, fp->right, fp->top, fp->bottom, 6);
    /* 1, 2 and 5 of each decade; only the decades when they are many. */
    int decades_only = log10(fp->nhi / fp->nlo) > 3.5;
    for (double k = pow(10, floor(log10(fp->nlo))); k <= fp->nhi; k *= 10) {
        static const double m[] = {1, 2, 5};
        for (int i = 0; i < (decades_only ? 1 : 3); i++) {
            double n = m[i] * k;
            if (n < fp->nlo * (1 - 1e-9) || n > fp->nhi * (1 + 1e-9))
                continue;
            double gx = plot_x(fp, n);
            pdf_ink(p, RULE);
            cairo_move_to(cr, gx, fp->top);
            cairo_line_to(cr, gx, fp->bottom);
            cairo_stroke(cr);
            pdf_ink(p, GREY);
            uf_fmt_int((long long)n, buf, sizeof buf);
            pdf_text(p, F_SMALL, gx - 30, fp->bottom + 3, 60, T_CENTER, buf);
        }
    }
    snprintf(buf, sizeof buf, "Underlag n (%s, logaritmisk skala)",
             fp->f->mean ? "antal patienter" : "antal i nämnaren");
    pdf_text(p, F_SMALL, fp->left, fp->bottom + 14, fp->right - fp->left, T_CENTER, buf);
    pdf_ink(p, INK);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, fp->left, fp->top);
    cairo_line_to(cr, fp->left, fp->bottom);
    cairo_line_to(cr, fp->right, fp->bottom);
    cairo_stroke(cr);
}

/* The lines' styles, the same in the plot and in its key. */
typedef enum { L_CENTRE, L_95, L_998 } line_kind;

static void line_style(pdf *p, const uf_funnel *f, line_kind k)
{
    static const double dot[] = {1.2, 2.0};
    switch (k) {
    case L_CENTRE:
        pdf_ink(p, f->target ? TARGET : LINE);
        cairo_set_line_width(p->cr, 1.3);
        pdf_dashed(p, f->target != NULL);
        break;
    case L_95:
        pdf_ink(p, NATIONAL);
        cairo_set_line_width(p->cr, 1.0);
        cairo_set_dash(p->cr, dot, 2, 0);
        break;
    case L_998:
        pdf_ink(p, NATIONAL);
        cairo_set_line_width(p->cr, 1.0);
        pdf_dashed(p, 0);
        break;
    }
}

/* The n of the curve's step i along the axis. */
static double curve_n(const funnel_plot *fp, int i)
{
    return fp->nlo * pow(fp->nhi / fp->nlo, (double)i / PDF_CURVE_STEPS);
}

/* The centre across, and each limit as a curve over the n axis. */
static void plot_lines(pdf *p, const funnel_plot *fp)
{
    pdf_funnel *pf = fp->pf;
    for (int lv = 0; lv < 2 && !pf->curved; lv++)
        for (int i = 0; i <= PDF_CURVE_STEPS; i++)
            pf->curve[lv][i] = uf_funnel_limits(fp->f, curve_n(fp, i),
                                                lv ? UF_FUNNEL_998 : UF_FUNNEL_95);
    pf->curved = 1;
    cairo_t *cr = p->cr;
    cairo_save(cr);
    cairo_rectangle(cr, fp->left, fp->top, fp->right - fp->left, fp->bottom - fp->top);
    cairo_clip(cr);
    for (int lv = 0; lv < 2; lv++) {
        line_style(p, fp->f, lv ? L_998 : L_95);
        for (int side = 0; side < 2; side++) {
            for (int i = 0; i <= PDF_CURVE_STEPS; i++) {
                double n = curve_n(fp, i);
                uf_limits l = pf->curve[lv][i];
                double y = plot_y(fp, side ? l.hi : l.lo);
                if (i)
                    cairo_line_to(cr, plot_x(fp, n), y);
                else
                    cairo_move_to(cr, plot_x(fp, n), y);
            }
            cairo_stroke(cr);
        }
    }
    line_style(p, fp->f, L_CENTRE);
    cairo_move_to(cr, fp->left, plot_y(fp, fp->f->centre));
    cairo_line_to(cr, fp->right, plot_y(fp, fp->f->centre));
    cairo_stroke(cr);
    pdf_dashed(p, 0);
    cairo_restore(cr);
}

/* A point's mark by its uf_band_rank, centred on (x, y). */
static void point_mark(pdf *p, double x, double y, int rank)
{
    cairo_t *cr = p->cr;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, rank ? 2.4 : 2.0, 0, 2 * M_PI);
    if (rank == 1) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        pdf_ink(p, INK);
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
    } else {
        pdf_ink(p, rank ? INK : BAR);
        cairo_fill(cr);
    }
}

/* Inside first, so that no point outside is hidden under them. */
static void plot_points(pdf *p, const funnel_plot *fp)
{
    const uf_funnel *f = fp->f;
    for (int rank = 0; rank <= 2; rank++)
        for (size_t i = 0; i < f->npt; i++)
            if (uf_band_rank(f->pt[i].band) == rank)
                point_mark(p, plot_x(fp, f->pt[i].n), plot_y(fp, f->pt[i].v), rank);
    pdf_ink(p, INK);
}

typedef struct {
    double x0, y0, x1, y1;
} box;

static int boxes_meet(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* The units outside the limits in uf_funnel_outliers' order, each labelled with its id
 * to the right of its point, else to the left, where the label meets no
 * other label nor the box's edge.  Returns how many found no room. */
static size_t plot_labels(pdf *p, const funnel_plot *fp)
{
    const uf_funnel *f = fp->f;
    size_t nout = uf_funnel_outside(f), placed = 0;
    const uf_funnel_point **out = uf_funnel_outliers(f);
    box used[MAX_LABELS];
    for (size_t i = 0; i < nout && placed < MAX_LABELS; i++) {
        const char *id = p->d->report->units[out[i]->row - 1].id;
        double w = fmin(pdf_text_width(p, F_SMALL, id), 60);
        double h = pdf_text(p, F_SMALL, 0, 0, 60, T_ELLIPSIZE | T_NODRAW, id);
        double px = plot_x(fp, out[i]->n), py = plot_y(fp, out[i]->v);
        for (int side = 0; side < 2; side++) {
            double x0 = side ? px - 4 - w : px + 4;
            box b = {x0, py - h / 2, x0 + w, py + h / 2};
            int fits = b.x0 >= fp->left + 1 && b.x1 <= fp->right && b.y0 >= fp->top &&
                       b.y1 <= fp->bottom - 1;
            for (size_t j = 0; fits && j < placed; j++)
                fits = !boxes_meet(&b, &used[j]);
            if (fits) {
                pdf_text(p, F_SMALL, b.x0, b.y0, w + 1, T_ELLIPSIZE, id);
                used[placed++] = b;
                break;
            }
        }
    }
    free(out);
    return nout - placed;
}

/* A key entry: a sample of a line (line >= 0) or a point (rank), and its
 * name; returns its width (draw 0: measures only). */
static double key_entry(pdf *p, const uf_funnel *f, double x, double y, int line, int rank,
                        const char *label, int draw)
{
    double sample = line >= 0 ? 18 : 6;
    double w = sample + 4 + pdf_text_width(p, F_SMALL, label) + 12;
    if (!draw)
        return w;
    if (line >= 0) {
        line_style(p, f, (line_kind)line);
        cairo_move_to(p->cr, x, y);
        cairo_line_to(p->cr, x + sample, y);
        cairo_stroke(p->cr);
        pdf_dashed(p, 0);
    } else {
        point_mark(p, x + 3, y, rank);
    }
    pdf_ink(p, INK);
    pdf_text(p, F_SMALL, x + sample + 4, y - 5, w - sample - 4, T_ELLIPSIZE, label);
    return w;
}

static void plot_key(pdf *p, const funnel_plot *fp, double y)
{
    const uf_funnel *f = fp->f;
    char centre[96], v[64];
    uf_fmt_target_value(fp->ind, f->centre, v, sizeof v);
    snprintf(centre, sizeof centre, "%s %s", f->target ? "Mål" : "Regionen", v);
    const struct {
        int line, rank;
        const char *label;
    } e[] = {
        {L_CENTRE, 0, centre},
        {L_95, 0, "95" UF_NBSP "%-gränser"},
        {L_998, 0, "99,8" UF_NBSP "%-gränser"},
        {-1, 0, "inom"},
        {-1, 1, "utanför 95" UF_NBSP "%"},
        {-1, 2, "utanför 99,8" UF_NBSP "%"},
    };
    double x = fp->left;
    for (size_t i = 0; i < sizeof e / sizeof e[0]; i++)
        x += key_entry(p, f, x, y, e[i].line, e[i].rank, e[i].label, 1);
}

pdf_funnel *pdf_funnel_of(pdf *p, size_t s)
{
    pdf_funnel *pf = &p->funnels[s];
    if (!pf->known)
        pf->has = uf_doc_funnel(p->d, s, &pf->f);
    pf->known = 1;
    return pf->has ? pf : NULL;
}

void pdf_funnel_chart(pdf *p, size_t s, pdf_funnel *pf)
{
    const uf_indicator *ind = p->d->report->series[s].ind;
    const uf_funnel *f = &pf->f;
    funnel_plot fp = {.ind = ind, .f = f, .pf = pf};
    char title[256];
    pdf_ensure(p, PLOT_H + 20 + 18 + 40);
    snprintf(title, sizeof title, "Tratt: vårdcentralerna %s mot %s", p->period,
             f->target ? "målet" : "regionens värde");
    p->y += pdf_text_as(p, "H3", F_H2, X0, p->y, TW, T_ELLIPSIZE, title) + 4;
    char *alt = uf_funnel_describe(p->d, s, f);
    pdf_figure_begin(p, "%s", alt);
    free(alt);
    plot_fit(&fp, p->y);
    plot_axes(p, &fp);
    plot_lines(p, &fp);
    plot_points(p, &fp);
    size_t unlabelled = plot_labels(p, &fp);
    p->y += PLOT_H;
    plot_key(p, &fp, p->y + 4);
    pdf_figure_end(p);
    p->y += 16;

    pdf_ink(p, INK);
    char *counts = uf_funnel_counts(f);
    pdf_flow(p, F_SMALL_BOLD, X0, TW, counts);
    free(counts);
    pdf_ink(p, GREY);
    if (unlabelled) {
        char buf[256];
        snprintf(buf, sizeof buf,
                 "Punkter utanför gränserna har enhetens id; %zu av dem fick inte plats med "
                 "sitt id och finns i listan nedan och i arbetsboken.", unlabelled);
        pdf_flow(p, F_SMALL, X0, TW, buf);
    }
    char *method = uf_funnel_method(f, ind);
    pdf_flow(p, F_SMALL, X0, TW, method);
    free(method);
    pdf_ink(p, INK);
    p->y += 10;
}
