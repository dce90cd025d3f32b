/* render/pdf.h — private to the PDF: the drawing context and the pieces the
 * book is made of.
 *
 *   pdf.c              uf_render_pdf: the two passes, metadata, the fonts it embeds
 *   pdf_layout.c       text through pango, pages, flowing paragraphs, tables,
 *                      status marks, and the structure tags all of them carry
 *   pdf_tags.c         what cairo 1.16 cannot write, added with qpdf: the
 *                      language, the alt texts, the title in the window,
 *                      page labels, artifacts
 *   pdf_chart.c        what every chart shares: the value scale and its ticks
 *   pdf_trend_chart.c  the region's 13 months against target and nation
 *   pdf_bar_chart.c    every unit's latest month, best first (past a count,
 *                      the funnel's outliers)
 *   pdf_funnel_chart.c every unit's latest month against its n, with the
 *                      funnel's control limits
 *   pdf_actions.c      the action tables
 *   pdf_sections.c     the cover, the summary, the tertial page, an indicator
 *
 * Sections and charts draw only through pdf_layout.c's helpers and cairo
 * paths, and move down the page through p->y.
 *
 * Tagged for screen readers: what a helper draws is tagged as what it is
 * (a heading, a paragraph, a table cell, a list item); a chart is drawn
 * between pdf_figure_begin and pdf_figure_end, with an alt text that says
 * in words what it shows; whatever is drawn outside a tag (the running
 * header and footer, rules, a status shape beside its word) is marked an
 * artifact by pdf_tags.c, which a screen reader passes over. */
#ifndef UF_PDF_H
#define UF_PDF_H

#include "render/doc.h"

#include <cairo.h>
#include <pango/pangocairo.h>

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

/* The structure tags open, innermost last (pdf_tag_begin). */
enum { PDF_TAGS = 12 };
typedef struct {
    const char *name;
    char attrs[48];
} pdf_tag;

/* The funnel plot's limits: at this many steps along the n axis, and one. */
enum { PDF_CURVE_STEPS = 160 };

/* A series' funnel, made once for both passes (the first asks for it) with
 * the limits its plot draws: the binomial limits are the dear part of the
 * plot, and both passes draw the same. */
typedef struct {
    int known, has;  /* asked for; the series has a funnel (uf_doc_funnel) */
    uf_funnel f;
    int curved;      /* curve filled */
    uf_limits curve[2][PDF_CURVE_STEPS + 1]; /* 95 %, 99.8 % along the n axis */
} pdf_funnel;

typedef struct {
    cairo_t *cr;
    PangoContext *ctx;    /* the PDF surface's, for both passes */
    GHashTable *layouts;  /* every text laid out (pdf_layout.c), kept for both passes */
    const uf_doc *d;
    int page, npages; /* npages is 0 while counting */
    double y;         /* where the next block goes */
    char region[256], period[32], docline[160];
    char stamp[64]; /* "PRELIMINÄR · UTKAST" on every page, or "" */
    uf_build *fonts;  /* gets the font files of what is drawn, or NULL */
    pdf_tag tags[PDF_TAGS];
    int ntags;
    int figure;      /* in a Figure: 1 + the tags begun in it, which its alt text stands for */
    char *alt;       /* the open Figure's alt text */
    GPtrArray *alts; /* every Figure's alt text, in the order begun */
    pdf_funnel *funnels; /* per series, shared by both passes */
} pdf;

typedef struct {
    double r, g, b;
} rgb;

#define INK ((rgb){0.10, 0.10, 0.10})
#define GREY ((rgb){0.45, 0.45, 0.45})
#define RULE ((rgb){0.80, 0.80, 0.80})
#define LINE ((rgb){0.12, 0.22, 0.39})
#define BAR ((rgb){0.55, 0.62, 0.72})
#define BAR_REGION ((rgb){0.12, 0.22, 0.39})
#define TARGET ((rgb){0.70, 0.10, 0.10})
#define NATIONAL ((rgb){0.35, 0.35, 0.35})

/* ------------------------------------------------------ pdf_layout.c */

void pdf_ink(pdf *p, rgb c);
void pdf_dashed(pdf *p, int on); /* the target's dash, or solid */

/* Structure tags (the standard PDF names: "Document", "H1".."H3", "P",
 * "Table", "TR", "TH", "TD", "Link" with attributes such as "dest='x'").
 * Content is drawn inside a leaf tag (one without tags inside it: a
 * heading, a paragraph, a cell, a link, a figure); a page break inside one
 * closes it before the running header and opens it again after.  Inside a
 * figure, tags are left out: its alt text stands for it. */
void pdf_tag_begin(pdf *p, const char *name, const char *attrs);
void pdf_tag_end(pdf *p);
/* A chart: a Figure whose alt text (printf's fmt and what follows) says in
 * words what it shows.  Every chart draws between these two; a Figure that
 * runs over a page break is two, each with the alt text. */
void pdf_figure_begin(pdf *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void pdf_figure_end(pdf *p);
/* Where a link or a bookmark (title, not NULL) goes: the top of the
 * section about to be drawn, named name; a "Link" there, ended by
 * pdf_tag_end, around what is drawn. */
void pdf_dest(pdf *p, const char *name, const char *title);
void pdf_link_begin(pdf *p, const char *name);

/* T_FLOW: pdf_flow's paragraphs, where a word wider than w is broken, never shrunk. */
enum {
    T_WRAP = 0,
    T_ELLIPSIZE = 1,
    T_RIGHT = 2,
    T_CENTER = 4,
    T_NODRAW = 8,
    T_KEEP_END = 16,
    T_FLOW = 32
};
/* Lays s out in font within width w (0: unbounded), drawn with its top
 * left at (x, y) unless T_NODRAW.  Returns the height it takes.  Outside
 * the structure unless drawn in a tag. */
double pdf_text(pdf *p, const char *font, double x, double y, double w, int flags,
                const char *s);
/* pdf_text in a leaf tag of its own: a heading ("H1".."H3"), a "P", a "TD". */
double pdf_text_as(pdf *p, const char *tag, const char *font, double x, double y, double w,
                   int flags, const char *s);
double pdf_text_width(pdf *p, const char *font, const char *s);
/* A wrapped paragraph ("P") that may run over pages, line by line. */
void pdf_flow(pdf *p, const char *font, double x, double w, const char *s);

/* The running header and footer of a new page; p->y at its top. */
void pdf_page_begin(pdf *p);
void pdf_page_new(pdf *p);
/* Room for h more points on this page, or a new page. */
void pdf_ensure(pdf *p, double h);

/* A table's columns from their widths; its head row ("TR" of "TH") of nc
 * columns at x[c], w[c] wide; the thin rule under a row that ends at
 * p->y.  The caller opens the "Table" and each body row's "TR". */
void pdf_table_columns(const double *w, int nc, double *x);
void pdf_table_head(pdf *p, const double *x, const double *w, const char *const *head, int nc);
void pdf_table_rule(pdf *p);

/* A status as a shape (centre x, y; half size r) that reads without
 * colour, and as shape and word at (x, y) within w, the word in a leaf
 * tag of its own (or none: NULL), a note such as "Analys saknas" under it
 * (or NULL): returns the word's height. */
void pdf_status_shape(pdf *p, double x, double y, double r, uf_status s);
double pdf_status_mark(pdf *p, double x, double y, double w, uf_status s, const char *font,
                       const char *tag, const char *note);

/* -------------------------------------------------------- pdf_tags.c */

/* Writes cairo's PDF (len bytes) to path with the document's language and
 * the Figures' alt texts, in the order begun. */
int pdf_tags_write(const unsigned char *pdf_bytes, size_t len, GPtrArray *alts, const char *path,
                   uf_error *err);

/* ------------------------------------------------------- pdf_chart.c */

/* A chart's value scale: the axis from uf_axis_zero or uf_axis_fit, and
 * the indicator with decimals fit for its tick labels. */
typedef struct {
    double bot, top, step;
    uf_indicator tick;
} scale;

scale pdf_scale_zero(const uf_indicator *ind, double vmax);
scale pdf_scale_fit(const uf_indicator *ind, double lo, double hi);
/* A scale's grid across from left to right, bottom (sc->bot) to top, and
 * its tick labels flush right gap points left of the plot. */
void pdf_value_grid(pdf *p, const scale *sc, double left, double right, double top,
                    double bottom, double gap);

/* The words of a chart's alt text: what the indicator counts ("andel",
 * "index", "antal"); its target ("mot målet 90 %", "utan mål"); a value
 * and its status ("82,2 %, ej uppnått", "visas inte (för litet
 * underlag)").  The last two write into buf and return it. */
const char *pdf_quantity(const uf_indicator *ind);
const char *pdf_alt_target(const uf_indicator *ind, const uf_target *t, char *buf, size_t n);
const char *pdf_alt_value(const uf_indicator *ind, double v, uf_status st, char *buf, size_t n);

/* ------------------------------------------------ the charts, sections */

void pdf_trend_chart(pdf *p, size_t s); /* pdf_trend_chart.c */
/* pdf_bar_chart.c; f, when not NULL, the funnel whose outliers a list
 * longer than uf_doc_units_listed keeps. */
void pdf_bar_chart(pdf *p, size_t s, const uf_funnel *f);
/* pdf_funnel_chart.c: series s's funnel, NULL when it has none; its plot. */
pdf_funnel *pdf_funnel_of(pdf *p, size_t s);
void pdf_funnel_chart(pdf *p, size_t s, pdf_funnel *pf);

/* pdf_actions.c: every overdue action of the report (the summary's), and
 * the actions of one indicator, the overdue ones first. */
void pdf_overdue_actions(pdf *p);
void pdf_indicator_actions(pdf *p, const uf_comment *c);

/* pdf_sections.c: each is drawn on a page of its own, begun by the caller. */
void pdf_cover(pdf *p);
void pdf_summary(pdf *p);
void pdf_tertial_page(pdf *p);
void pdf_indicator_page(pdf *p, size_t s);

#endif
