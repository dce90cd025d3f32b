/* render/pdf.c — uppfolj-P.pdf, the A4 chart book, with cairo and pango.
 *
 * Read on paper, often in black and white: status is a shape and a word
 * before it is a colour, the target is a dashed line, and every label is
 * measured by pango and ellipsized or wrapped so nothing overlaps.
 *
 * The book is laid out twice: once to count the pages ("Sida 3 av 9"),
 * once to draw them.  Both passes run the same code. */
#include "render/render.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <stdlib.h>
#include <string.h>

/* A4 portrait in points, and the text box inside the running header and
 * footer. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define X0 50.0
#define X1 (PAGE_W - 50.0)
#define Y0 72.0
#define Y1 (PAGE_H - 62.0)
#define TW (X1 - X0)

#define FONT "DejaVu Sans "
#define F_SMALL FONT "7.5"
#define F_SMALL_BOLD FONT "Bold 7.5"
#define F_BODY FONT "9"
#define F_BOLD FONT "Bold 9"
#define F_H2 FONT "Bold 11"
#define F_H1 FONT "Bold 15"
#define F_STAMP FONT "Bold 8.5"

enum { T_WRAP = 0, T_ELLIPSIZE = 1, T_RIGHT = 2, T_CENTER = 4, T_NODRAW = 8, T_KEEP_END = 16 };

typedef struct {
    cairo_t *cr;
    PangoLayout *lay; /* one-line labels and measured blocks */
    const uf_doc *d;
    int page, npages; /* npages is 0 while counting */
    double y;         /* where the next block goes */
    char region[256], period[32], docline[160];
    char stamp[64]; /* "PRELIMINÄR · UTKAST" on every page, or "" */
    uf_build *fonts;  /* gets the font files of what is drawn, or NULL */
} pdf;

typedef struct {
    double r, g, b;
} rgb;

static const rgb INK = {0.10, 0.10, 0.10}, GREY = {0.45, 0.45, 0.45},
                 RULE = {0.80, 0.80, 0.80}, LINE = {0.12, 0.22, 0.39},
                 BAR = {0.55, 0.62, 0.72}, BAR_REGION = {0.12, 0.22, 0.39},
                 TARGET = {0.70, 0.10, 0.10}, NATIONAL = {0.35, 0.35, 0.35};

static void ink(pdf *p, rgb c)
{
    cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

/* ----------------------------------------------------------------- text */

/* Notes the font file of each run of a line drawn: what pango chose through
 * fontconfig, fallbacks included, is what cairo embeds. */
static void note_fonts(pdf *p, PangoLayoutLine *line)
{
    uf_build *b = p->fonts;
    for (GSList *r = b ? line->runs : NULL; r; r = r->next) {
        PangoFont *font = ((PangoGlyphItem *)r->data)->item->analysis.font;
        FcChar8 *file;
        if (!PANGO_IS_FC_FONT(font) ||
            FcPatternGetString(pango_fc_font_get_pattern(PANGO_FC_FONT(font)), FC_FILE, 0,
                               &file) != FcResultMatch)
            continue;
        size_t i = 0;
        while (i < b->nfonts && strcmp(b->fonts[i].file, (const char *)file) != 0)
            i++;
        if (i == b->nfonts) {
            b->fonts = uf_xrealloc(b->fonts, ++b->nfonts * sizeof *b->fonts);
            b->fonts[i] = (uf_font){.file = uf_xstrdup((const char *)file)};
        }
    }
}

/* Lays s out in font within width w (0: unbounded), drawn with its top
 * left at (x, y) unless T_NODRAW.  Returns the height it takes. */
static double text(pdf *p, const char *font, double x, double y, double w, int flags,
                   const char *s)
{
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(p->lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(p->lay, w > 0 ? (int)(w * PANGO_SCALE) : -1);
    /* T_KEEP_END ellipsizes at the start: the tail of an id tells it apart. */
    pango_layout_set_ellipsize(p->lay, flags & T_KEEP_END    ? PANGO_ELLIPSIZE_START
                                       : flags & T_ELLIPSIZE ? PANGO_ELLIPSIZE_END
                                                             : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(p->lay, flags & T_RIGHT    ? PANGO_ALIGN_RIGHT
                                       : flags & T_CENTER ? PANGO_ALIGN_CENTER
                                                          : PANGO_ALIGN_LEFT);
    pango_layout_set_text(p->lay, s ? s : "", -1);
    int lw, lh;
    pango_layout_get_size(p->lay, &lw, &lh);
    if (!(flags & T_NODRAW)) {
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, p->lay);
        for (GSList *l = pango_layout_get_lines_readonly(p->lay); l; l = l->next)
            note_fonts(p, l->data);
    }
    return (double)lh / PANGO_SCALE;
}

static double text_width(pdf *p, const char *font, const char *s)
{
    text(p, font, 0, 0, 0, T_NODRAW, s);
    int lw, lh;
    pango_layout_get_size(p->lay, &lw, &lh);
    return (double)lw / PANGO_SCALE;
}

/* The head row of a summary table: wrapped bold labels, the first (name) and
 * fourth (status) columns flush left, the figures' right, then a firm rule. */
static void table_head(pdf *p, const double *x, const double *w, const char *const *head, int nc)
{
    double hh = 0;
    for (int c = 0; c < nc; c++) {
        double h = text(p, F_BOLD, x[c], p->y, w[c] - 6, c == 0 || c == 3 ? T_WRAP : T_RIGHT,
                        head[c]);
        hh = h > hh ? h : hh;
    }
    p->y += hh + 4;
    cairo_set_line_width(p->cr, 0.8);
    cairo_move_to(p->cr, X0, p->y);
    cairo_line_to(p->cr, X1, p->y);
    cairo_stroke(p->cr);
    p->y += 5;
}

/* The thin rule under a table row that ends at p->y. */
static void table_rule(pdf *p)
{
    ink(p, RULE);
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, X0, p->y - 3);
    cairo_line_to(p->cr, X1, p->y - 3);
    cairo_stroke(p->cr);
    ink(p, INK);
}

/* ---------------------------------------------------------------- pages */

static void page_begin(pdf *p)
{
    p->page++;
    p->y = Y0;
    cairo_set_line_width(p->cr, 0.5);
    ink(p, GREY);
    text(p, F_SMALL, X0, 36, TW * 0.75, T_ELLIPSIZE, p->region);
    text(p, F_SMALL, X0 + TW * 0.75, 36, TW * 0.25, T_RIGHT, p->period);
    if (*p->stamp) {
        /* Bold and framed above the header, so a draft or a preliminary
         * page is not taken for the final one, even on a grey copy. */
        double w = text_width(p, F_STAMP, p->stamp) + 12;
        double sx = X0 + TW / 2 - w / 2;
        ink(p, TARGET);
        cairo_set_line_width(p->cr, 1.0);
        cairo_rectangle(p->cr, sx, 12, w, 15);
        cairo_stroke(p->cr);
        text(p, F_STAMP, sx, 14, w, T_CENTER, p->stamp);
        cairo_set_line_width(p->cr, 0.5);
    }
    ink(p, RULE);
    cairo_move_to(p->cr, X0, 50);
    cairo_line_to(p->cr, X1, 50);
    cairo_stroke(p->cr);
    cairo_move_to(p->cr, X0, PAGE_H - 48);
    cairo_line_to(p->cr, X1, PAGE_H - 48);
    cairo_stroke(p->cr);
    ink(p, GREY);
    char page[48];
    snprintf(page, sizeof page, "Sida %d av %d", p->page, p->npages);
    text(p, F_SMALL, X0, PAGE_H - 44, TW * 0.7, T_ELLIPSIZE, p->docline);
    text(p, F_SMALL, X0 + TW * 0.7, PAGE_H - 44, TW * 0.3, T_RIGHT, page);
    ink(p, INK);
}

static void page_new(pdf *p)
{
    cairo_show_page(p->cr);
    page_begin(p);
}

/* Room for h more points on this page, or a new page. */
static void ensure(pdf *p, double h)
{
    if (p->y + h > Y1 && p->y > Y0)
        page_new(p);
}

/* A wrapped paragraph that may run over pages, line by line. */
static void flow(pdf *p, const char *font, double x, double w, const char *s)
{
    PangoLayout *lay = pango_layout_new(pango_layout_get_context(p->lay));
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(lay, s, -1);
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double lh = (double)r.height / PANGO_SCALE;
        double base = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
        ensure(p, lh);
        cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + base);
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        pango_cairo_show_layout_line(p->cr, line);
        note_fonts(p, line);
        p->y += lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(lay);
}

/* ------------------------------------------------------------ status */

static rgb status_colour(uf_status s)
{
    switch (s) {
    case UF_ST_MET: return (rgb){0.20, 0.55, 0.25};
    case UF_ST_NEAR: return (rgb){0.98, 0.78, 0.20};
    case UF_ST_MISSED: return (rgb){0.80, 0.15, 0.15};
    default: return (rgb){0.75, 0.75, 0.75};
    }
}

/* The shape carries the status without colour: circle met, triangle near,
 * square with a cross missed, dash no target, ring too small, nothing
 * missing.  r is the half size, (x, y) the centre. */
static void status_shape(pdf *p, double x, double y, double r, uf_status s)
{
    cairo_t *cr = p->cr;
    cairo_new_path(cr);
    switch (s) {
    case UF_ST_MET:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    case UF_ST_NEAR:
        cairo_move_to(cr, x, y - r * 1.1);
        cairo_line_to(cr, x + r * 1.15, y + r * 0.9);
        cairo_line_to(cr, x - r * 1.15, y + r * 0.9);
        cairo_close_path(cr);
        break;
    case UF_ST_MISSED:
        cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
        break;
    case UF_ST_NOTARGET:
        cairo_rectangle(cr, x - r, y - r * 0.25, r * 2, r * 0.5);
        break;
    case UF_ST_SMALL:
        cairo_arc(cr, x, y, r * 0.8, 0, 2 * M_PI);
        ink(p, INK);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
        return;
    case UF_ST_MISSING:
        return;
    }
    rgb c = status_colour(s);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_fill_preserve(cr);
    ink(p, INK);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    if (s == UF_ST_MISSED) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.0);
        cairo_move_to(cr, x - r * 0.5, y - r * 0.5);
        cairo_line_to(cr, x + r * 0.5, y + r * 0.5);
        cairo_move_to(cr, x + r * 0.5, y - r * 0.5);
        cairo_line_to(cr, x - r * 0.5, y + r * 0.5);
        cairo_stroke(cr);
    }
    ink(p, INK);
}

/* Shape and word; returns the height used. */
static double status_mark(pdf *p, double x, double y, double w, uf_status s, const char *font)
{
    double h = text(p, font, x + 14, y, w - 14, T_ELLIPSIZE | T_NODRAW, uf_status_label(s));
    status_shape(p, x + 5, y + h / 2, 4, s);
    text(p, font, x + 14, y, w - 14, T_ELLIPSIZE, uf_status_label(s));
    return h;
}

static uf_status region_status(const uf_doc *d, size_t s)
{
    return uf_doc_cell(d, s, 0, UF_TREND - 1)->status;
}

static void dashed(pdf *p, int on)
{
    static const double dash[] = {4.0, 2.5};
    cairo_set_dash(p->cr, dash, on ? 2 : 0, 0);
}

/* ---------------------------------------------------------------- cover */

static void cover(pdf *p)
{
    const uf_doc *d = p->d;
    const uf_config *cfg = d->cfg;
    char run[32], buf[256];
    uf_fmt_time_sv(d->run_time, run, sizeof run);
    p->y = 170;
    if (*p->stamp) {
        ink(p, TARGET);
        p->y += text(p, FONT "Bold 20", X0, p->y, TW, T_WRAP, p->stamp) + 14;
        ink(p, INK);
    }
    p->y += text(p, FONT "Bold 22", X0, p->y, TW, T_WRAP, uf_doc_title) + 24;
    if (cfg && cfg->region_name)
        p->y += text(p, FONT "16", X0, p->y, TW, T_WRAP, cfg->region_name) + 6;
    if (cfg && cfg->board)
        p->y += text(p, FONT "13", X0, p->y, TW, T_WRAP, cfg->board) + 6;
    p->y += text(p, FONT "Bold 16", X0, p->y, TW, T_WRAP, p->period) + 10;
    ink(p, GREY);
    p->y += text(p, F_BODY, X0, p->y, TW, T_WRAP,
                 "Månadsuppföljning av tillgänglighet och kontinuitet i primärvården, mot de "
                 "mål nämnden har beslutat.") + 14;
    ink(p, INK);

    /* What the nämnd must know before it reads a figure. */
    if (d->report->preliminary) {
        ink(p, TARGET);
        p->y += text(p, F_BOLD, X0, p->y, TW, T_WRAP,
                     "Preliminär rapport. Underlaget är ofullständigt: se Datakvalitet i "
                     "arbetsboken.") + 6;
        ink(p, INK);
    }
    size_t shown = d->report->nseries, missing = uf_doc_count_analysis_missing(d);
    if (missing) {
        snprintf(buf, sizeof buf, "%zu av %zu indikatorer saknar analys", missing, shown);
        ink(p, TARGET);
        p->y += text(p, F_BOLD, X0, p->y, TW, T_WRAP, buf) + 6;
        ink(p, INK);
    } else {
        snprintf(buf, sizeof buf, "Alla indikatorer som inte når målet har en analys.");
        p->y += text(p, F_BODY, X0, p->y, TW, T_WRAP, buf) + 6;
    }

    /* The document block of a governed document. */
    run[10] = '\0'; /* the date of the run */
    const char *v[][2] = {
        {"Dokument-ID", cfg ? cfg->document.id : NULL},
        {"Version", cfg ? cfg->document.version : NULL},
        {"Upprättad av", cfg ? cfg->document.prepared_by : NULL},
        {"Granskad av", cfg ? cfg->document.reviewed_by : NULL},
        {"Godkänd av", cfg ? cfg->document.approved_by : NULL},
        {"Status", uf_doc_approved(d) ? "Fastställd" : "Utkast (ej fastställd)"},
        {"Datum", run},
    };
    double y = p->y + 20 > 540 ? p->y + 20 : 540, rowh = 20;
    cairo_set_line_width(p->cr, 0.5);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++, y += rowh) {
        ink(p, RULE);
        cairo_rectangle(p->cr, X0, y, TW, rowh);
        cairo_stroke(p->cr);
        ink(p, INK);
        text(p, F_BOLD, X0 + 6, y + 5, 110, T_ELLIPSIZE, v[i][0]);
        text(p, F_BODY, X0 + 130, y + 5, TW - 136, T_ELLIPSIZE,
             v[i][1] && *v[i][1] ? v[i][1] : UF_DASH);
    }
    ink(p, GREY);
    char prog[160];
    snprintf(prog, sizeof prog, "Framställd med uppfolj %s, källrevision %s", d->build->version,
             d->build->revision);
    text(p, F_SMALL, X0, y + 8, TW, T_WRAP, prog);
    ink(p, INK);
}

/* -------------------------------------------------------------- actions */

/* The columns of an action table; with the indicator first in the
 * summary's list of overdue actions. */
enum { A_IND, A_ACTION, A_OWNER, A_DUE, A_STATE, A_NC };

/* "Försenad, från 2024-06": late, and carried forward from an earlier
 * month's comments. */
static void action_state(const uf_doc *d, const uf_action *a, char *out, size_t n)
{
    int late = uf_doc_action_overdue(d, a);
    const char *st = a->done && *a->done ? a->done : late ? "Försenad" : "Pågår";
    if (a->from && *a->from)
        snprintf(out, n, "%s, från %s", st, a->from);
    else
        snprintf(out, n, "%s", st);
}

/* One row of an action table, w[A_IND] == 0 leaves the indicator out.
 * Late rows are bold and dark red, with a "!" that survives black and
 * white. */
static void action_row(pdf *p, const double *x, const double *w, const char *ind,
                       const uf_action *a)
{
    char state[128];
    action_state(p->d, a, state, sizeof state);
    int late = uf_doc_action_overdue(p->d, a);
    char lstate[140];
    snprintf(lstate, sizeof lstate, "%s%s", late ? "! " : "", state);
    const char *cell[A_NC] = {ind, a->action, a->owner, a->due, lstate};
    double rh = 0;
    for (int k = 0; k < A_NC; k++) {
        if (w[k] <= 0)
            continue;
        double h = text(p, F_BODY, x[k], p->y, w[k] - 6, T_WRAP | T_NODRAW, cell[k]);
        rh = h > rh ? h : rh;
    }
    ensure(p, rh + 4);
    for (int k = 0; k < A_NC; k++) {
        if (w[k] <= 0)
            continue;
        if (k == A_STATE && late)
            ink(p, TARGET);
        text(p, k == A_STATE && late ? F_BOLD : F_BODY, x[k], p->y, w[k] - 6, T_WRAP,
             cell[k]);
        ink(p, INK);
    }
    p->y += rh + 4;
}

static void action_head(pdf *p, const double *x, const double *w, const char *title)
{
    static const char *const head[A_NC] = {"Indikator", "Åtgärd", "Ansvarig", "Klart senast",
                                           "Läge"};
    ensure(p, 48);
    p->y += text(p, F_H2, X0, p->y, TW, T_WRAP, title) + 3;
    for (int k = 0; k < A_NC; k++)
        if (w[k] > 0)
            text(p, F_BOLD, x[k], p->y, w[k] - 6, T_ELLIPSIZE, head[k]);
    p->y += 14;
}

static void action_columns(int with_indicator, double *x, double *w)
{
    static const double wide[A_NC] = {0, 215, 120, 70, 90};
    static const double listed[A_NC] = {100, 150, 95, 70, 80};
    x[0] = X0;
    for (int k = 0; k < A_NC; k++) {
        w[k] = with_indicator ? listed[k] : wide[k];
        x[k + 1] = x[k] + w[k];
    }
}

/* The summary's list: every overdue action of every indicator. */
static void overdue_summary(pdf *p)
{
    const uf_doc *d = p->d;
    double x[A_NC + 1], w[A_NC];
    action_columns(1, x, w);
    int any = 0;
    for (size_t s = 0; s < d->report->nseries; s++) {
        const uf_indicator *ind = d->report->series[s].ind;
        const uf_comment *c = uf_doc_comment(d, ind);
        for (size_t i = 0; c && i < c->nactions; i++) {
            if (!uf_doc_action_overdue(d, &c->actions[i]))
                continue;
            if (!any++) {
                p->y += 14;
                action_head(p, x, w, "Försenade åtgärder");
            }
            action_row(p, x, w, ind->short_name ? ind->short_name : ind->name,
                       &c->actions[i]);
        }
    }
}

/* -------------------------------------------------------------- summary */

static void summary(pdf *p)
{
    const uf_doc *d = p->d;
    const uf_report *r = d->report;
    char buf[160];
    snprintf(buf, sizeof buf, "Sammanfattning, %s", p->period);
    p->y += text(p, F_H1, X0, p->y, TW, T_WRAP, buf) + 12;

    enum { NC = 6 };
    const double w[NC] = {155, 58, 52, 106, 62, 62};
    char per[32], prev[48], year_ago[48];
    uf_fmt_period_sv(r->period - 1, per, sizeof per);
    snprintf(prev, sizeof prev, "Mot %s", per);
    uf_fmt_period_sv(r->period - 12, per, sizeof per);
    snprintf(year_ago, sizeof year_ago, "Mot %s", per);
    const char *head[NC] = {"Indikator", "Utfall", "Mål", "Status", prev, year_ago};
    double x[NC + 1] = {X0};
    for (int c = 0; c < NC; c++)
        x[c + 1] = x[c] + w[c];
    table_head(p, x, w, head, NC);

    for (size_t s = 0; s < r->nseries; s++) {
        const uf_indicator *ind = r->series[s].ind;
        const uf_cell *c = uf_doc_cell(d, s, 0, UF_TREND - 1);
        int missing = uf_doc_analysis_missing(d, s);
        double h = text(p, F_BODY, x[0], p->y, w[0] - 8, T_WRAP | T_NODRAW, ind->name);
        double hs = missing ? 26 : 13;
        double rh = (h > hs ? h : hs) + 6;
        ensure(p, rh);
        text(p, F_BODY, x[0], p->y, w[0] - 8, T_WRAP, ind->name);
        uf_fmt_value(ind, uf_doc_shown(c), buf, sizeof buf);
        text(p, F_BODY, x[1], p->y, w[1] - 6, T_RIGHT, buf);
        if (c->target)
            uf_fmt_target_value(ind, c->target->value, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "Inget mål");
        text(p, F_BODY, x[2], p->y, w[2] - 6, T_RIGHT, buf);
        status_mark(p, x[3] + 6, p->y, w[3] - 6, region_status(d, s), F_BODY);
        if (missing) {
            ink(p, TARGET);
            text(p, F_BOLD, x[3] + 20, p->y + 13, w[3] - 20, T_ELLIPSIZE, "Analys saknas");
            ink(p, INK);
        }
        double now = uf_doc_shown(c);
        uf_fmt_change(ind, now - uf_doc_shown(uf_doc_cell(d, s, 0, UF_TREND - 2)), buf,
                      sizeof buf);
        text(p, F_BODY, x[4], p->y, w[4] - 6, T_RIGHT, buf);
        uf_fmt_change(ind, now - uf_doc_shown(uf_doc_cell(d, s, 0, 0)), buf, sizeof buf);
        text(p, F_BODY, x[5], p->y, w[5] - 6, T_RIGHT, buf);
        p->y += rh;
        table_rule(p);
    }

    /* The key, so the shapes read without colour. */
    p->y += 10;
    ensure(p, 70);
    static const uf_status key[] = {UF_ST_MET, UF_ST_NEAR, UF_ST_MISSED, UF_ST_NOTARGET,
                                    UF_ST_SMALL};
    double kx = X0;
    for (size_t i = 0; i < sizeof key / sizeof key[0]; i++) {
        double kw = 14 + text_width(p, F_SMALL, uf_status_label(key[i])) + 14;
        status_mark(p, kx, p->y, kw, key[i], F_SMALL);
        kx += kw;
    }
    p->y += 16;
    ink(p, GREY);
    flow(p, F_SMALL, X0, TW,
         "Utfall för regionen som helhet. Förändringar i procentenheter (p.e.) för andelar. "
         "Status jämför utfallet med det mål som gäller för perioden; nära betyder att målet "
         "missas med högst indikatorns tolerans. " UF_DASH " = värdet visas inte (för litet "
         "underlag eller uppgift saknas). Analys saknas = målet nås inte och ingen analys har "
         "lämnats.");
    ink(p, INK);

    size_t nch = uf_doc_nchanges(d);
    if (nch) {
        snprintf(buf, sizeof buf,
                 "%zu %s har ändrats sedan tidigare utgåvor (se arbetsbokens blad Ändringar).",
                 nch, nch == 1 ? "siffra" : "siffror");
        p->y += 8;
        flow(p, F_BOLD, X0, TW, buf);
    }
    overdue_summary(p);
}

/* ------------------------------------------------------- tertial page */

/* The same tertial a year before, where the report holds it: an indicator
 * that takes the tertial's last month (a snapshot) has it 12 months back;
 * a summed one would need months before the 13 shown. */
static double tertial_year_ago(const uf_doc *d, size_t s)
{
    if (d->report->series[s].ind->aggregation != UF_AGG_LAST)
        return NAN;
    return uf_doc_shown(uf_doc_cell(d, s, 0, 0));
}

static void tertial_page(pdf *p)
{
    const uf_doc *d = p->d;
    const uf_report *r = d->report;
    char buf[256], tert[16], prev[16];
    uf_fmt_tertial(r->period, tert, sizeof tert);
    uf_fmt_tertial(r->period - 12, prev, sizeof prev);
    snprintf(buf, sizeof buf, "Tertialsammanfattning %s", tert);
    p->y += text(p, F_H1, X0, p->y, TW, T_WRAP, buf) + 4;
    ink(p, GREY);
    uf_month first = uf_tertial_first(r->period);
    char a[32], b[32];
    uf_fmt_period_sv(first, a, sizeof a);
    uf_fmt_period_sv(r->period, b, sizeof b);
    snprintf(buf, sizeof buf, "Tertialen %s – %s, regionen som helhet.", a, b);
    p->y += text(p, F_BODY, X0, p->y, TW, T_WRAP, buf) + 12;
    ink(p, INK);

    enum { NC = 6 };
    const double w[NC] = {144, 58, 54, 100, 72, 67};
    char h1[48], h4[48];
    snprintf(h1, sizeof h1, "Utfall %s", tert);
    snprintf(h4, sizeof h4, "Samma tertial i fjol (%s)", prev);
    const char *head[NC] = {"Indikator", h1, "Mål", "Status", h4, "Förändring"};
    double x[NC + 1] = {X0};
    for (int c = 0; c < NC; c++)
        x[c + 1] = x[c] + w[c];
    table_head(p, x, w, head, NC);
    int summed = 0;
    for (size_t s = 0; s < r->nseries; s++) {
        const uf_indicator *ind = r->series[s].ind;
        const uf_cell *c = uf_doc_cell(d, s, 0, UF_COL_TERTIAL);
        double rh = text(p, F_BODY, x[0], p->y, w[0] - 8, T_WRAP | T_NODRAW, ind->name) + 6;
        rh = rh < 19 ? 19 : rh;
        ensure(p, rh);
        text(p, F_BODY, x[0], p->y, w[0] - 8, T_WRAP, ind->name);
        double now = uf_doc_shown(c), then = tertial_year_ago(d, s);
        summed |= isnan(then) && ind->aggregation != UF_AGG_LAST;
        uf_fmt_value(ind, now, buf, sizeof buf);
        text(p, F_BODY, x[1], p->y, w[1] - 6, T_RIGHT, buf);
        if (c->target)
            uf_fmt_target_value(ind, c->target->value, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "Inget mål");
        text(p, F_BODY, x[2], p->y, w[2] - 6, T_RIGHT, buf);
        status_mark(p, x[3] + 6, p->y, w[3] - 6,
                    c->present ? c->status : UF_ST_MISSING, F_BODY);
        uf_fmt_value(ind, then, buf, sizeof buf);
        text(p, F_BODY, x[4], p->y, w[4] - 6, T_RIGHT, buf);
        uf_fmt_change(ind, now - then, buf, sizeof buf);
        text(p, F_BODY, x[5], p->y, w[5] - 6, T_RIGHT, buf);
        p->y += rh;
        table_rule(p);
    }
    p->y += 8;
    ink(p, GREY);
    flow(p, F_SMALL, X0, TW,
         "Tertialens utfall summerar tertialens månader (täljare genom nämnare); för "
         "ögonblicksbilder som listning och kontinuitet är det tertialens sista månad. "
         "Förändring i procentenheter (p.e.) för andelar.");
    if (summed) {
        snprintf(buf, sizeof buf,
                 UF_DASH " i fjolårets kolumn: en summerad indikators %s ligger före "
                 "rapportens 13 månader och visas därför inte.", prev);
        flow(p, F_SMALL, X0, TW, buf);
    }
    ink(p, INK);
}

/* ---------------------------------------------------------------- scales */

typedef struct {
    double bot, top, step;
    uf_indicator tick; /* the indicator with decimals fit for the ticks */
} scale;

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
static scale scale_make(const uf_indicator *ind, double vmax)
{
    scale s = {.tick = *ind};
    uf_axis_zero(ind, vmax, &s.top, &s.step);
    scale_ticks(&s, ind);
    return s;
}

static scale scale_fit(const uf_indicator *ind, double lo, double hi)
{
    scale s = {.tick = *ind};
    uf_axis_fit(ind, lo, hi, &s.bot, &s.top, &s.step);
    scale_ticks(&s, ind);
    return s;
}

static const char *axis_title(const uf_indicator *ind)
{
    return ind->kind == UF_KIND_PERCENT ? "Andel" : ind->kind == UF_KIND_INDEX ? "Index"
                                                                               : "Antal";
}

/* ----------------------------------------------------------- trend chart */

/* A key entry: a short sample of the line and its name; returns its width. */
typedef enum { K_REGION, K_TARGET, K_NATIONAL } key_kind;

static void line_style(pdf *p, key_kind k)
{
    static const double dot[] = {1.2, 2.2};
    switch (k) {
    case K_REGION:
        ink(p, LINE);
        cairo_set_line_width(p->cr, 2.0);
        dashed(p, 0);
        break;
    case K_TARGET:
        ink(p, TARGET);
        cairo_set_line_width(p->cr, 1.4);
        dashed(p, 1);
        break;
    case K_NATIONAL:
        /* Dotted and grey: tells itself from the dashed target in black
         * and white. */
        ink(p, NATIONAL);
        cairo_set_line_width(p->cr, 1.6);
        cairo_set_dash(p->cr, dot, 2, 0);
        break;
    }
}

static double key_entry(pdf *p, double x, double y, key_kind k, const char *label, int draw)
{
    double w = 22 + text_width(p, F_SMALL, label) + 12;
    if (!draw)
        return w;
    line_style(p, k);
    cairo_move_to(p->cr, x, y);
    cairo_line_to(p->cr, x + 18, y);
    cairo_stroke(p->cr);
    dashed(p, 0);
    if (k == K_REGION) {
        cairo_arc(p->cr, x + 9, y, 2.6, 0, 2 * M_PI);
        cairo_fill(p->cr);
    }
    ink(p, INK);
    text(p, F_SMALL, x + 22, y - 5, w - 22, T_ELLIPSIZE, label);
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

static void trend_chart(pdf *p, size_t s)
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
    ensure(p, H + 20 + (kolada ? 14 : 0));
    uf_fmt_month_short(r->period - (UF_TREND - 1), from, sizeof from);
    uf_fmt_month_short(r->period, to, sizeof to);
    snprintf(buf, sizeof buf, "Regionen per månad, %s – %s", from, to);
    p->y += text(p, F_H2, X0, p->y, TW, T_ELLIPSIZE, buf) + 4;

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
    scale sc = scale_fit(ind, lo, hi);

    /* Plot box: room left for tick labels, below for months, right for
     * the latest value and the target's label. */
    double top = p->y + 18, bottom = p->y + H - 30, left = X0 + 44, right = X1 - 70;
    double slot = (right - left) / UF_TREND;
    cairo_t *cr = p->cr;
    ink(p, GREY);
    if (sc.bot > 0) {
        char b0[64];
        uf_fmt_value(&sc.tick, sc.bot, b0, sizeof b0);
        snprintf(buf, sizeof buf, "%s (axeln börjar vid %s)", axis_title(ind), b0);
    } else {
        snprintf(buf, sizeof buf, "%s", axis_title(ind));
    }
    text(p, F_SMALL, X0, p->y + 2, 190, T_ELLIPSIZE, buf);
    cairo_set_line_width(cr, 0.4);
#define YOF(val) (bottom - (bottom - top) * (fmin(fmax((val), sc.bot), sc.top) - sc.bot) / \
                               (sc.top - sc.bot))
    for (double g = sc.bot; g <= sc.top + sc.step * 1e-6; g += sc.step) {
        double gy = YOF(g);
        ink(p, RULE);
        cairo_move_to(cr, left, gy);
        cairo_line_to(cr, right, gy);
        cairo_stroke(cr);
        ink(p, GREY);
        uf_fmt_value(&sc.tick, g, buf, sizeof buf);
        double th = text(p, F_SMALL, X0, 0, left - X0 - 9, T_RIGHT | T_NODRAW, buf);
        text(p, F_SMALL, X0, gy - th / 2, left - X0 - 9, T_RIGHT, buf);
    }
    for (int c = 0; c < UF_TREND; c++) {
        uf_month m = r->period - (UF_TREND - 1) + c;
        snprintf(buf, sizeof buf, "%.3s", uf_month_name_sv(uf_month_number(m)));
        double cx = left + slot * (c + 0.5);
        text(p, F_SMALL, cx - slot / 2, bottom + 4, slot, T_CENTER, buf);
        if (c == 0 || uf_month_number(m) == 1) {
            snprintf(buf, sizeof buf, "%d", uf_month_year(m));
            text(p, F_SMALL, cx - slot / 2, bottom + 14, slot, T_CENTER, buf);
        }
    }
    ink(p, INK);
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
        dashed(p, 0);
    }
    /* Target: dashed, across the months it was in force. */
    int tlast = -1;
    for (int c = 0; c < UF_TREND; c++)
        if (!isnan(t[c]))
            tlast = c;
    line_style(p, K_TARGET);
    step_line(p, t, left, slot, bottom, top, &sc);
    dashed(p, 0);
    if (tlast >= 0) {
        uf_fmt_target_value(ind, t[tlast], buf, sizeof buf);
        char lab[sizeof buf + 8];
        snprintf(lab, sizeof lab, "Mål %s", buf);
        double lx = left + slot * (tlast + 1) + 3;
        text(p, F_SMALL, lx, YOF(t[tlast]) - 11, X1 - lx, T_ELLIPSIZE, lab);
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
        text(p, F_BOLD, lx, ly, X1 - lx, T_ELLIPSIZE, buf);
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
    ink(p, INK);
    p->y += H;
    if (kolada) {
        ink(p, GREY);
        p->y -= 4;
        flow(p, F_SMALL, X0, TW, kline);
        p->y += 6;
        ink(p, INK);
    }
}

/* ------------------------------------------------------------ bar chart */

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

/* A list such as "För litet underlag: VC29 Vårdcentralen Öjaby (n = 12), ...". */
static void unit_list(pdf *p, size_t s, const char *title, int small)
{
    const uf_doc *d = p->d;
    const uf_indicator *ind = d->report->series[s].ind;
    GString *g = g_string_new(NULL);
    char buf[384], n[32];
    for (size_t u = 1; u <= d->report->nunits; u++) {
        const uf_cell *c = uf_doc_cell(d, s, u, UF_TREND - 1);
        int is_small = c->status == UF_ST_SMALL;
        if (small ? !is_small : is_small || !isnan(uf_doc_shown(c)))
            continue;
        g_string_append(g, g->len ? "; " : "");
        g_string_append(g, row_label(d, u, buf, sizeof buf));
        if (small) {
            uf_fmt_int(uf_cell_n(c, ind), n, sizeof n);
            g_string_append_printf(g, " (n" UF_NBSP "=" UF_NBSP "%s)", n);
        }
    }
    if (g->len) {
        char *line = uf_xasprintf("%s: %s.", title, g->str);
        p->y += 4;
        flow(p, F_SMALL, X0, TW, line);
        free(line);
    }
    g_string_free(g, TRUE);
}

static void bar_chart(pdf *p, size_t s)
{
    const uf_doc *d = p->d;
    const uf_report *r = d->report;
    const uf_indicator *ind = r->series[s].ind;
    /* Wilson's interval is for a share of counts; a mean over patients
     * (UPC) is a percent but not a proportion of its n. */
    int proportion = ind->kind == UF_KIND_PERCENT &&
                     ind->derivation != UF_DER_KONTINUITET_UPC &&
                     ind->derivation != UF_DER_KONTINUITET_COC;
    bar *b = uf_xcalloc(r->nunits + 1, sizeof *b);
    size_t nb = 0;
    double vmax = 0;
    const uf_target *target = uf_doc_cell(d, s, 0, UF_TREND - 1)->target;
    for (size_t row = 0; row <= r->nunits; row++) {
        const uf_cell *c = uf_doc_cell(d, s, row, UF_TREND - 1);
        double v = uf_doc_shown(c);
        if (isnan(v))
            continue;
        bar x = {.row = row, .v = v, .lo = NAN, .hi = NAN, .st = c->status};
        if (proportion && c->den > 0)
            wilson(c->num, c->den, &x.lo, &x.hi);
        if (row && c->target && c->target->unit)
            x.own = c->target;
        double top = isnan(x.hi) ? v : x.hi;
        vmax = top > vmax ? top : vmax;
        if (x.own && x.own->value > vmax)
            vmax = x.own->value;
        b[nb++] = x;
    }
    if (target && target->value > vmax)
        vmax = target->value;
    /* The region first, then the units best first. */
    bar_dir = ind->direction < 0 ? -1 : 1;
    size_t first_unit = nb && b[0].row == 0 ? 1 : 0;
    qsort(b + first_unit, nb - first_unit, sizeof *b, bar_cmp);
    scale sc = scale_make(ind, vmax * 1.02);

    const double LABEL_W = 212, ID_W = 36, NAME_W = LABEL_W - ID_W - 4, VALUE_W = 52,
                 FIXED = 18 + 14 + 22;
    /* Rows of 12.5 points; closer, down to 10.5, if that keeps the chart
     * on one page. */
    double RH = 12.5;
    const double NOTES = 30; /* keep the key and the small-unit line with it */
    if (p->y + FIXED + NOTES + RH * (double)nb > Y1 &&
        p->y + FIXED + NOTES + 10.5 * (double)nb <= Y1)
        RH = (Y1 - p->y - FIXED - NOTES) / (double)nb;
    double left = X0 + LABEL_W + 6, right = X1 - VALUE_W - 4;
    char buf[384], title[256];
    int any_own = 0;
    size_t i = 0;
    int part = 0;
    while (i < nb || part == 0) {
        /* A chunk: its title, the target label, rows, the axis. */
        if (p->y + FIXED + RH * (nb - i < 3 ? (double)(nb - i) : 3) > Y1)
            page_new(p);
        if (part++ == 0)
            snprintf(title, sizeof title, "Vårdcentralerna %s, bäst först", p->period);
        else
            snprintf(title, sizeof title, "Vårdcentralerna %s (forts.)", p->period);
        p->y += text(p, F_H2, X0, p->y, TW, T_ELLIPSIZE, title) + 4;
        size_t fit = (size_t)((Y1 - p->y - 14 - 22) / RH + 1e-6);
        size_t end = i + fit < nb ? i + fit : nb;
        double top = p->y + 14, bottom = top + RH * (double)(end - i);
        cairo_t *cr = p->cr;
        /* Grid and ticks. */
        cairo_set_line_width(cr, 0.4);
        for (double g = 0; g <= sc.top + 1e-9; g += sc.step) {
            double gx = left + (right - left) * g / sc.top;
            ink(p, RULE);
            cairo_move_to(cr, gx, top);
            cairo_line_to(cr, gx, bottom);
            cairo_stroke(cr);
            ink(p, GREY);
            uf_fmt_value(&sc.tick, g, buf, sizeof buf);
            text(p, F_SMALL, gx - 30, bottom + 3, 60, T_CENTER, buf);
        }
        ink(p, INK);
        for (size_t k = i; k < end; k++) {
            const bar *x = &b[k];
            double ry = top + RH * (double)(k - i), cy = ry + RH / 2;
            /* Name and id in their own columns: a long name is cut, the
             * id that tells units apart never is. */
            const uf_unit *un = x->row ? &r->units[x->row - 1] : NULL;
            const char *name = !un ? "Regionen" : un->name && *un->name ? un->name : un->id;
            const char *font = un ? F_SMALL : F_SMALL_BOLD;
            double th = text(p, font, X0, 0, NAME_W, T_ELLIPSIZE | T_RIGHT | T_NODRAW, name);
            text(p, font, X0, cy - th / 2, NAME_W, T_ELLIPSIZE | T_RIGHT, name);
            if (un) {
                ink(p, GREY);
                text(p, F_SMALL, X0 + NAME_W + 4, cy - th / 2, ID_W, T_KEEP_END, un->id);
                ink(p, INK);
            }
            double bw = (right - left) * (x->v > sc.top ? sc.top : x->v) / sc.top;
            ink(p, x->row ? BAR : BAR_REGION);
            cairo_rectangle(cr, left, cy - 4, bw, 8);
            cairo_fill(cr);
            if (!isnan(x->lo)) {
                double a = left + (right - left) * x->lo / sc.top;
                double e = left + (right - left) * x->hi / sc.top;
                ink(p, INK);
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
                double ox = left + (right - left) * x->own->value / sc.top;
                ink(p, TARGET);
                cairo_set_line_width(cr, 2.0);
                cairo_move_to(cr, ox, cy - 5.5);
                cairo_line_to(cr, ox, cy + 5.5);
                cairo_stroke(cr);
                any_own = 1;
            }
            ink(p, INK);
            status_shape(p, right + 8, cy, 3, x->st);
            uf_fmt_value(ind, x->v, buf, sizeof buf);
            text(p, font, right + 14, cy - th / 2,
                 X1 - right - 14, T_RIGHT, buf);
        }
        if (target) {
            double tx = left + (right - left) * (target->value > sc.top ? sc.top : target->value) /
                                   sc.top;
            ink(p, TARGET);
            cairo_set_line_width(cr, 1.2);
            dashed(p, 1);
            cairo_move_to(cr, tx, top - 3);
            cairo_line_to(cr, tx, bottom);
            cairo_stroke(cr);
            dashed(p, 0);
            char tv[64];
            uf_fmt_target_value(ind, target->value, tv, sizeof tv);
            snprintf(buf, sizeof buf, "Mål %s", tv);
            text(p, F_SMALL, tx - 60, top - 13, 120, T_CENTER, buf);
        }
        ink(p, INK);
        cairo_set_line_width(cr, 0.8);
        cairo_move_to(cr, left, top);
        cairo_line_to(cr, left, bottom);
        cairo_stroke(cr);
        p->y = bottom + 16;
        i = end;
        if (!nb)
            break;
    }
    ink(p, GREY);
    GString *note = g_string_new(NULL);
    if (proportion)
        g_string_append(note, "Strecken visar 95" UF_NBSP "% konfidensintervall (Wilson). ");
    if (target)
        g_string_append(note, "Den streckade linjen är regionens mål. ");
    if (any_own)
        g_string_append(note, "Ett kort rött lodstreck är enhetens eget mål. ");
    if (note->len)
        flow(p, F_SMALL, X0, TW, note->str);
    g_string_free(note, TRUE);
    snprintf(title, sizeof title, "För litet underlag (färre än %ld)", ind->min_n);
    unit_list(p, s, title, 1);
    unit_list(p, s, "Uppgift saknas", 0);
    ink(p, INK);
    free(b);
}

/* ------------------------------------------------- analysis and actions */

/* The indicator's actions: the overdue ones first, under their own head. */
static void actions(pdf *p, const uf_comment *c)
{
    double x[A_NC + 1], w[A_NC];
    action_columns(0, x, w);
    for (int late = 1; late >= 0; late--) {
        int any = 0;
        for (size_t i = 0; i < c->nactions; i++) {
            if (uf_doc_action_overdue(p->d, &c->actions[i]) != late)
                continue;
            if (!any++)
                action_head(p, x, w, late ? "Försenade åtgärder" : "Åtgärder");
            action_row(p, x, w, NULL, &c->actions[i]);
        }
        if (any)
            p->y += 6;
    }
}

static void commentary(pdf *p, size_t s)
{
    const uf_doc *d = p->d;
    const uf_comment *c = uf_doc_comment(d, d->report->series[s].ind);
    p->y += 8;
    ensure(p, 40);
    p->y += text(p, F_H2, X0, p->y, TW, T_WRAP, "Analys") + 3;
    if (c && c->analysis && *c->analysis) {
        flow(p, F_BODY, X0, TW, c->analysis);
    } else if (uf_doc_analysis_missing(d, s)) {
        ink(p, TARGET);
        flow(p, F_BOLD, X0, TW, "Analys saknas: målet nås inte och ingen analys har lämnats.");
        ink(p, INK);
    } else {
        ink(p, GREY);
        flow(p, F_BODY, X0, TW, "Ingen analys lämnad.");
        ink(p, INK);
    }
    p->y += 8;
    if (c && c->nactions) {
        actions(p, c);
    } else {
        ensure(p, 40);
        p->y += text(p, F_H2, X0, p->y, TW, T_WRAP, "Åtgärder") + 3;
        ink(p, GREY);
        flow(p, F_BODY, X0, TW, "Inga åtgärder angivna.");
        ink(p, INK);
    }
}

/* ------------------------------------------------------------ indicator */

static void indicator(pdf *p, size_t s)
{
    const uf_doc *d = p->d;
    const uf_indicator *ind = d->report->series[s].ind;
    const uf_cell *c = uf_doc_cell(d, s, 0, UF_TREND - 1);
    char buf[512], v[64];
    p->y += text(p, F_H1, X0, p->y, TW, T_WRAP, ind->name) + 6;
    uf_fmt_target(ind, c->target, buf, sizeof buf);
    p->y += text(p, F_BODY, X0, p->y, TW, T_WRAP, buf) + 2;
    const char *owner = uf_doc_owner(d, ind);
    snprintf(buf, sizeof buf, owner == uf_doc_no_owner ? "%s" : "Ägare: %s", owner);
    p->y += text(p, F_BODY, X0, p->y, TW, T_WRAP, buf) + 4;
    uf_fmt_value(ind, uf_doc_shown(c), v, sizeof v);
    snprintf(buf, sizeof buf, "Utfall %s: %s", p->period, v);
    double w = text_width(p, F_BOLD, buf);
    double h = text(p, F_BOLD, X0, p->y, TW, T_ELLIPSIZE, buf);
    uf_status st = region_status(d, s);
    status_mark(p, X0 + w + 10, p->y, 130, st, F_BOLD);
    if (uf_doc_analysis_missing(d, s)) {
        double ax = X0 + w + 10 + 14 + text_width(p, F_BOLD, uf_status_label(st)) + 14;
        ink(p, TARGET);
        text(p, F_BOLD, ax, p->y, X1 - ax, T_ELLIPSIZE, "Analys saknas");
        ink(p, INK);
    }
    p->y += h + 12;
    if (!d->report->series[s].computed) {
        flow(p, F_BODY, X0, TW, "Indikatorn kunde inte beräknas: underlaget saknades.");
        return;
    }
    trend_chart(p, s);
    bar_chart(p, s);
    commentary(p, s);
}

/* ----------------------------------------------------------------- book */

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

static void book(pdf *p)
{
    cover(p);
    page_new(p);
    summary(p);
    if (uf_doc_closes_tertial(p->d)) {
        page_new(p);
        tertial_page(p);
    }
    for (size_t s = 0; s < p->d->report->nseries; s++) {
        page_new(p);
        indicator(p, s);
    }
    cairo_show_page(p->cr);
}

/* One pass over surface: returns the pages drawn.  fonts, when not NULL,
 * gets the font files drawn. */
static int pass(const uf_doc *d, cairo_surface_t *surface, int npages, uf_build *fonts)
{
    pdf p = {.d = d, .npages = npages, .fonts = fonts};
    p.cr = cairo_create(surface);
    PangoContext *ctx = pango_cairo_create_context(p.cr);
    /* Points as pango units, no hinting: the layout is the same on every
     * machine with the same fonts, so the bytes are too. */
    pango_cairo_context_set_resolution(ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    p.lay = pango_layout_new(ctx);

    const uf_config *cfg = d->cfg;
    snprintf(p.region, sizeof p.region, "%s%s%s", cfg && cfg->region_name ? cfg->region_name : "",
             cfg && cfg->board ? " · " : "", cfg && cfg->board ? cfg->board : "");
    uf_fmt_period_sv(d->report->period, p.period, sizeof p.period);
    if (cfg && cfg->document.id && *cfg->document.id)
        snprintf(p.docline, sizeof p.docline, "%s, version %s", cfg->document.id,
                 cfg->document.version && *cfg->document.version ? cfg->document.version
                                                                 : UF_DASH);
    uf_doc_stamp(d, p.stamp, sizeof p.stamp);
    page_begin(&p);
    book(&p);
    g_object_unref(p.lay);
    g_object_unref(ctx);
    cairo_destroy(p.cr);
    return p.page;
}

static int by_file(const void *a, const void *b)
{
    return strcmp(((const uf_font *)a)->file, ((const uf_font *)b)->file);
}

/* The fonts the counting pass drew, in file name order (publishing hashes
 * them for the manifest). */
static void sort_fonts(uf_build *b)
{
    if (b->nfonts)
        qsort(b->fonts, b->nfonts, sizeof *b->fonts, by_file);
    b->fonts_known = 1;
}

int uf_render_pdf(const uf_doc *d, const char *path, uf_build *fonts, uf_error *err)
{
    /* The counting pass draws all the printing pass does, so it notes the fonts. */
    if (fonts)
        uf_build_clear_fonts(fonts);
    cairo_surface_t *count = cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
    int npages = pass(d, count, 0, fonts);
    cairo_surface_destroy(count);
    if (fonts)
        sort_fonts(fonts);

    cairo_surface_t *surf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "",
                     "PDF-filen kunde inte skapas: %s (finns mappen och går den att skriva i?)",
                     cairo_status_to_string(cairo_surface_status(surf)));
        cairo_surface_destroy(surf);
        return -1;
    }
    char when[40], period[32], title[512];
    uf_fmt_time_iso(d->run_time, when, sizeof when);
    uf_fmt_period_sv(d->report->period, period, sizeof period);
    snprintf(title, sizeof title, "%s, %s, %s", uf_doc_title,
             d->cfg && d->cfg->region_name ? d->cfg->region_name : "", period);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR,
                                   d->cfg && d->cfg->document.prepared_by &&
                                           *d->cfg->document.prepared_by
                                       ? d->cfg->document.prepared_by
                                       : "uppfolj");
    if (d->cfg && d->cfg->board)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_SUBJECT, d->cfg->board);
    char creator[64];
    snprintf(creator, sizeof creator, "uppfolj %s", d->build->version);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, creator);
    /* The run time, never now: a re-run must give the same bytes. */
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, when);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, when);
    pass(d, surf, npages, NULL);
    cairo_surface_finish(surf);
    cairo_status_t st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "", "PDF-filen kunde inte skrivas: %s",
                     cairo_status_to_string(st));
        return -1;
    }
    return 0;
}
