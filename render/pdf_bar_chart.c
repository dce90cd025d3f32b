/* render/pdf_bar_chart.c — the latest month of the region and every unit,
 * best first: a bar with Wilson's 95 % interval where the figure is a share
 * of counts, the region's target dashed across, a unit's own target as a
 * short red stroke, the status shape and the value.  Long lists run over
 * pages in chunks, each with its own axis; the units left out are named
 * below.  Past uf_doc_units_listed units the list keeps the funnel's
 * outliers (or, with no funnel, the best and the worst) and says where the
 * rest are: the indicator's sheet in the workbook. */
#include "render/pdf.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    size_t row; /* 0 region, else unit row */
    double v, lo, hi;
    const uf_target *own; /* a unit's own target */
    uf_status st;
} bar;

static int bar_dir; /* sort direction for qsort: best first */

static int bar_cmp(const void *a, const void *b)
{
    const bar *x = a, *y = b;
    if (x->v != y->v)
        return (x->v < y->v) == (bar_dir > 0) ? 1 : -1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Wilson's 95 % interval for num of den. */
static void wilson(double num, double den, double *lo, double *hi)
{
    const double z = 1.959964;
    double ph = num / den, z2 = z * z / den;
    double c = (ph + z2 / 2) / (1 + z2);
    double h = z * sqrt(ph * (1 - ph) / den + z2 / (4 * den)) / (1 + z2);
    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}

static const char *row_label(const uf_doc *d, size_t row, char *buf, size_t n)
{
    if (!row)
        return "Regionen";
    const uf_unit *u = &d->report->units[row - 1];
    snprintf(buf, n, "%s %s", u->name ? u->name : "", u->id);
    return buf;
}

/* A list such as "För litet underlag: VC29 Vårdcentralen Öjaby; ...": the
 * units whose value for P is not drawn, by why (want: UF_ST_SMALL,
 * UF_ST_HIDDEN, or UF_ST_MISSING for the rest); past uf_doc_units_listed
 * units only their number.  A hidden value's n is not printed: where n is
 * the numerator it is the figure itself. */
static void unit_list(pdf *p, size_t s, const char *title, uf_status want)
{
    const uf_doc *d = p->d;
    GString *g = g_string_new(NULL);
    char buf[384];
    long count = 0, most = uf_doc_units_listed(d);
    for (size_t u = 1; u <= d->report->nunits; u++) {
        const uf_cell *c = uf_doc_cell(d, s, u, UF_TREND - 1);
        uf_status why = uf_status_hidden(c->status) ? c->status : UF_ST_MISSING;
        if (why != want || !isnan(uf_doc_shown(c)))
            continue;
        if (++count > most)
            continue;
        g_string_append(g, g->len ? "; " : "");
        g_string_append(g, row_label(d, u, buf, sizeof buf));
    }
    if (count > most)
        g_string_printf(g, "%ld enheter (de finns på indikatorns blad i arbetsboken)", count);
    if (g->len) {
        char *line = uf_xasprintf("%s: %s.", title, g->str);
        p->y += 4;
        pdf_flow(p, F_SMALL, X0, TW, line);
        free(line);
    }
    g_string_free(g, TRUE);
}

/* The chart of one indicator: its bars in drawing order (the region
 * first, then the units best first) on a scale from 0, and where the
 * value axis runs from left to right. */
typedef struct {
    const uf_indicator *ind;
    bar *b;
    size_t nb;
    int proportion;          /* a share of counts: the bars have intervals */
    const uf_target *target; /* the region's */
    scale sc;
    double rh;          /* a row's height */
    double left, right; /* the value axis */
    int any_own;        /* a unit's own target was drawn */
    /* More units than uf_doc_units_listed: the list keeps only some. */
    enum { ALL, OUTLIERS, ENDS } kept;
    size_t units, outside; /* units with a value; of them outside the 95 % limits */
    char *alt;             /* the chart in words */
} bars;

/* The label columns (name, then id), the value column, and the height a
 * chunk needs besides its rows: title, target label, axis. */
enum { LABEL_W = 212, ID_W = 36, NAME_W = LABEL_W - ID_W - 4, VALUE_W = 52 };
enum { FIXED = 18 + 14 + 22 };

/* "Vårdcentralernas andel i augusti 2024, bäst först: bäst VC01
 * Vårdcentralen A 95,0 %, sämst ...; 12 av 30 når sitt mål.": the units'
 * bars from b[first] on, sorted, in words. */
static void bars_alt(const uf_doc *d, bars *bs, size_t first)
{
    char period[32], label[384], v[64];
    uf_fmt_period_sv(d->report->period, period, sizeof period);
    size_t n = bs->nb - first, met = 0;
    for (size_t i = first; i < bs->nb; i++)
        met += bs->b[i].st == UF_ST_MET;
    GString *g = g_string_new(NULL);
    g_string_printf(g, "Vårdcentralernas %s i %s, bäst först", pdf_quantity(bs->ind), period);
    for (int end = 0; n && end < 2; end++) {
        const bar *x = &bs->b[end ? bs->nb - 1 : first];
        uf_fmt_value(bs->ind, x->v, v, sizeof v);
        g_string_append_printf(g, "%s %s %s", end ? ", sämst" : ": bäst",
                               row_label(d, x->row, label, sizeof label), v);
    }
    if (bs->target && n)
        g_string_append_printf(g, "; %zu av %zu når sitt mål", met, n);
    g_string_append(g, ".");
    bs->alt = g_string_free(g, FALSE);
}

/* The bars of series s that have a value to show, sorted, and the scale
 * that holds them, their intervals and the targets. */
static void bars_collect(const uf_doc *d, size_t s, bars *bs)
{
    const uf_report *r = d->report;
    const uf_indicator *ind = r->series[s].ind;
    *bs = (bars){.ind = ind, .target = uf_doc_cell(d, s, 0, UF_TREND - 1)->target};
    /* Wilson's interval is for a share of counts (the definition's
     * "share"); a mean over patients (UPC) is a percent but not a
     * proportion of its n. */
    bs->proportion = ind->share;
    bs->b = uf_xcalloc(r->nunits + 1, sizeof *bs->b);
    double vmax = 0;
    for (size_t row = 0; row <= r->nunits; row++) {
        const uf_cell *c = uf_doc_cell(d, s, row, UF_TREND - 1);
        double v = uf_doc_shown(c);
        if (isnan(v))
            continue;
        bar x = {.row = row, .v = v, .lo = NAN, .hi = NAN, .st = c->status};
        if (bs->proportion && c->den > 0)
            wilson(c->num, c->den, &x.lo, &x.hi);
        if (row && c->target && c->target->unit)
            x.own = c->target;
        double top = isnan(x.hi) ? v : x.hi;
        vmax = top > vmax ? top : vmax;
        if (x.own && x.own->value > vmax)
            vmax = x.own->value;
        bs->b[bs->nb++] = x;
    }
    if (bs->target && bs->target->value > vmax)
        vmax = bs->target->value;
    bar_dir = ind->direction < 0 ? -1 : 1;
    size_t first_unit = bs->nb && bs->b[0].row == 0 ? 1 : 0;
    qsort(bs->b + first_unit, bs->nb - first_unit, sizeof *bs->b, bar_cmp);
    bs->sc = pdf_scale_zero(ind, vmax * 1.02);
    bars_alt(d, bs, first_unit);
}

/* Keeps the region and the units flagged in keep (indices into bs->b), in
 * their order. */
static void bars_keep(bars *bs, size_t first, const unsigned char *keep)
{
    size_t to = first;
    for (size_t i = first; i < bs->nb; i++)
        if (keep[i])
            bs->b[to++] = bs->b[i];
    bs->nb = to;
}

/* Past the count, the units outside the funnel's 95 % limits (when they
 * are more, the first of uf_funnel_outliers), still drawn best first; with
 * no funnel, the best and the worst half of the count. */
static void bars_cap(const uf_doc *d, bars *bs, const uf_funnel *f)
{
    size_t first = bs->nb && bs->b[0].row == 0 ? 1 : 0, most = (size_t)uf_doc_units_listed(d);
    bs->units = bs->nb - first;
    if (bs->units <= most)
        return;
    unsigned char *keep = uf_xcalloc(bs->nb, 1);
    if (f) {
        /* A unit's place in the list by its row. */
        size_t *at = uf_xcalloc(d->report->nunits + 1, sizeof *at);
        for (size_t i = first; i < bs->nb; i++)
            at[bs->b[i].row] = i;
        const uf_funnel_point **out = uf_funnel_outliers(f);
        bs->outside = uf_funnel_outside(f);
        for (size_t k = 0; k < bs->outside && k < most; k++)
            keep[at[out[k]->row]] = 1;
        free(out);
        free(at);
        bs->kept = OUTLIERS;
    } else {
        for (size_t k = 0; k < most; k++)
            keep[k < most / 2 ? first + k : bs->nb - (most - k)] = 1;
        bs->kept = ENDS;
    }
    bars_keep(bs, first, keep);
    free(keep);
}

/* Rows of 12.5 points; closer, down to 10.5, if that keeps the chart on
 * one page with the notes under it. */
static double bars_row_height(const pdf *p, size_t nb)
{
    const double NOTES = 30; /* keep the key and the small-unit line with it */
    double rh = 12.5;
    if (p->y + FIXED + NOTES + rh * (double)nb > Y1 &&
        p->y + FIXED + NOTES + 10.5 * (double)nb <= Y1)
        rh = (Y1 - p->y - FIXED - NOTES) / (double)nb;
    return rh;
}

/* Where value v lies on the value axis. */
static double bars_x(const bars *bs, double v)
{
    return bs->left + (bs->right - bs->left) * v / bs->sc.top;
}

/* The grid from top to bottom, the ticks' labels under it. */
static void bars_grid(pdf *p, const bars *bs, double top, double bottom)
{
    cairo_t *cr = p->cr;
    char buf[64];
    cairo_set_line_width(cr, 0.4);
    for (double g = 0; g <= bs->sc.top + 1e-9; g += bs->sc.step) {
        double gx = bars_x(bs, g);
        pdf_ink(p, RULE);
        cairo_move_to(cr, gx, top);
        cairo_line_to(cr, gx, bottom);
        cairo_stroke(cr);
        pdf_ink(p, GREY);
        uf_fmt_value(&bs->sc.tick, g, buf, sizeof buf);
        pdf_text(p, F_SMALL, gx - 30, bottom + 3, 60, T_CENTER, buf);
    }
    pdf_ink(p, INK);
}

/* One row centred on cy: name and id, the bar and its interval, the
 * unit's own target, the status shape and the value. */
static void bar_row(pdf *p, bars *bs, const bar *x, double cy)
{
    cairo_t *cr = p->cr;
    /* Name and id in their own columns: a long name is cut, the id that
     * tells units apart never is. */
    const uf_unit *un = x->row ? &p->d->report->units[x->row - 1] : NULL;
    const char *name = !un ? "Regionen" : un->name && *un->name ? un->name : un->id;
    const char *font = un ? F_SMALL : F_SMALL_BOLD;
    double th = pdf_text(p, font, X0, 0, NAME_W, T_ELLIPSIZE | T_RIGHT | T_NODRAW, name);
    pdf_text(p, font, X0, cy - th / 2, NAME_W, T_ELLIPSIZE | T_RIGHT, name);
    if (un) {
        pdf_ink(p, GREY);
        pdf_text(p, F_SMALL, X0 + NAME_W + 4, cy - th / 2, ID_W, T_KEEP_END, un->id);
        pdf_ink(p, INK);
    }
    double bw = (bs->right - bs->left) * (x->v > bs->sc.top ? bs->sc.top : x->v) / bs->sc.top;
    pdf_ink(p, x->row ? BAR : BAR_REGION);
    cairo_rectangle(cr, bs->left, cy - 4, bw, 8);
    cairo_fill(cr);
    if (!isnan(x->lo)) {
        double a = bars_x(bs, x->lo), e = bars_x(bs, x->hi);
        pdf_ink(p, INK);
        cairo_set_line_width(cr, 0.7);
        cairo_move_to(cr, a, cy);
        cairo_line_to(cr, e, cy);
        cairo_move_to(cr, a, cy - 2.5);
        cairo_line_to(cr, a, cy + 2.5);
        cairo_move_to(cr, e, cy - 2.5);
        cairo_line_to(cr, e, cy + 2.5);
        cairo_stroke(cr);
    }
    if (x->own) {
        double ox = bars_x(bs, x->own->value);
        pdf_ink(p, TARGET);
        cairo_set_line_width(cr, 2.0);
        cairo_move_to(cr, ox, cy - 5.5);
        cairo_line_to(cr, ox, cy + 5.5);
        cairo_stroke(cr);
        bs->any_own = 1;
    }
    pdf_ink(p, INK);
    pdf_status_shape(p, bs->right + 8, cy, 3, x->st);
    char buf[64];
    uf_fmt_value(bs->ind, x->v, buf, sizeof buf);
    pdf_text(p, font, bs->right + 14, cy - th / 2, X1 - bs->right - 14, T_RIGHT, buf);
}

/* The region's target, dashed from just above top to bottom, labelled. */
static void bars_target(pdf *p, const bars *bs, double top, double bottom)
{
    cairo_t *cr = p->cr;
    double v = bs->target->value;
    double tx = bars_x(bs, v > bs->sc.top ? bs->sc.top : v);
    pdf_ink(p, TARGET);
    cairo_set_line_width(cr, 1.2);
    pdf_dashed(p, 1);
    cairo_move_to(cr, tx, top - 3);
    cairo_line_to(cr, tx, bottom);
    cairo_stroke(cr);
    pdf_dashed(p, 0);
    char tv[64], buf[96];
    uf_fmt_target_value(bs->ind, v, tv, sizeof tv);
    snprintf(buf, sizeof buf, "Mål %s", tv);
    pdf_text(p, F_SMALL, tx - 60, top - 13, 120, T_CENTER, buf);
}

/* The rows from b[i] that fit on this page (a new one when fewer than
 * three would), under the chart's title, with their own grid, target
 * line and axis.  part 0 is the first chunk.  Returns where the next
 * chunk begins. */
static size_t bars_chunk(pdf *p, bars *bs, size_t i, int part)
{
    size_t left_over = bs->nb - i;
    if (p->y + FIXED + bs->rh * (left_over < 3 ? (double)left_over : 3) > Y1)
        pdf_page_new(p);
    char title[256];
    if (part == 0 && bs->kept == OUTLIERS)
        snprintf(title, sizeof title, "Vårdcentralerna utanför tratten %s, bäst först",
                 p->period);
    else if (part == 0 && bs->kept == ENDS)
        snprintf(title, sizeof title, "De bästa och de sämsta vårdcentralerna %s", p->period);
    else if (part == 0)
        snprintf(title, sizeof title, "Vårdcentralerna %s, bäst först", p->period);
    else
        snprintf(title, sizeof title, "Vårdcentralerna %s (forts.)", p->period);
    p->y += pdf_text_as(p, "H3", F_H2, X0, p->y, TW, T_ELLIPSIZE, title) + 4;
    pdf_figure_begin(p, "%s%s", part ? "Fortsättning: " : "", bs->alt);
    size_t fit = (size_t)((Y1 - p->y - 14 - 22) / bs->rh + 1e-6);
    size_t end = i + fit < bs->nb ? i + fit : bs->nb;
    double top = p->y + 14, bottom = top + bs->rh * (double)(end - i);
    bars_grid(p, bs, top, bottom);
    for (size_t k = i; k < end; k++) {
        double ry = top + bs->rh * (double)(k - i);
        bar_row(p, bs, &bs->b[k], ry + bs->rh / 2);
    }
    if (bs->target)
        bars_target(p, bs, top, bottom);
    pdf_ink(p, INK);
    cairo_set_line_width(p->cr, 0.8);
    cairo_move_to(p->cr, bs->left, top);
    cairo_line_to(p->cr, bs->left, bottom);
    cairo_stroke(p->cr);
    pdf_figure_end(p);
    p->y = bottom + 16;
    return end;
}

/* What the marks mean, then the units the chart leaves out. */
static void bars_notes(pdf *p, size_t s, const bars *bs)
{
    pdf_ink(p, GREY);
    GString *note = g_string_new(NULL);
    size_t shown = bs->nb - (bs->nb && bs->b[0].row == 0 ? 1 : 0);
    if (bs->kept == OUTLIERS && shown < bs->outside)
        g_string_printf(note, "Listan visar de %zu av %zu enheter utanför trattens 95" UF_NBSP
                        "%%-gränser som ligger längst ut; de övriga %zu utanför och de %zu "
                        "inom gränserna finns på indikatorns blad i arbetsboken. ",
                        shown, bs->outside, bs->outside - shown, bs->units - bs->outside);
    else if (bs->kept == OUTLIERS && !shown)
        g_string_printf(note, "Ingen av de %zu enheterna ligger utanför trattens 95" UF_NBSP
                        "%%-gränser; alla finns på indikatorns blad i arbetsboken. ", bs->units);
    else if (bs->kept == OUTLIERS)
        g_string_printf(note, "Listan visar de %zu enheter som ligger utanför trattens 95" UF_NBSP
                        "%%-gränser; de %zu inom gränserna finns på indikatorns blad i "
                        "arbetsboken. ", shown, bs->units - shown);
    else if (bs->kept == ENDS)
        g_string_printf(note, "Listan visar de %zu bästa och de %zu sämsta av %zu enheter; de "
                        "övriga %zu finns på indikatorns blad i arbetsboken. ",
                        shown / 2, shown - shown / 2, bs->units, bs->units - shown);
    if (bs->proportion)
        g_string_append(note, "Strecken visar 95" UF_NBSP "% konfidensintervall (Wilson). ");
    if (bs->target)
        g_string_append(note, "Den streckade linjen är regionens mål. ");
    if (bs->any_own)
        g_string_append(note, "Ett kort rött lodstreck är enhetens eget mål. ");
    if (note->len)
        pdf_flow(p, F_SMALL, X0, TW, note->str);
    g_string_free(note, TRUE);
    char title[128];
    snprintf(title, sizeof title, "För litet underlag (färre än %ld)", bs->ind->min_n);
    unit_list(p, s, title, UF_ST_SMALL);
    unit_list(p, s, "Dolda så att värden med för litet underlag inte kan räknas fram",
              UF_ST_HIDDEN);
    unit_list(p, s, "Uppgift saknas", UF_ST_MISSING);
    pdf_ink(p, INK);
}

void pdf_bar_chart(pdf *p, size_t s, const uf_funnel *f)
{
    bars bs;
    bars_collect(p->d, s, &bs);
    bars_cap(p->d, &bs, f);
    /* A list that would run over into the next page but fits on one of
     * its own starts there. */
    double whole = FIXED + 30 + 12.5 * (double)bs.nb;
    if (p->y + FIXED + 30 + 10.5 * (double)bs.nb > Y1 && Y0 + whole <= Y1)
        pdf_page_new(p);
    bs.rh = bars_row_height(p, bs.nb);
    bs.left = X0 + LABEL_W + 6;
    bs.right = X1 - VALUE_W - 4;
    /* An empty chart still shows its title and axis. */
    size_t i = 0;
    int part = 0;
    do
        i = bars_chunk(p, &bs, i, part++);
    while (i < bs.nb);
    bars_notes(p, s, &bs);
    free(bs.b);
    g_free(bs.alt);
}
