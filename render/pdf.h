/* render/pdf.h — private to the PDF: the drawing context and the pieces the
 * book is made of.
 *
 *   pdf.c              uf_render_pdf: the two passes, metadata, the fonts it embeds
 *   pdf_layout.c       text through pango, pages, flowing paragraphs, tables,
 *                      status marks
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
 * paths, and move down the page through p->y. */
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

enum { T_WRAP = 0, T_ELLIPSIZE = 1, T_RIGHT = 2, T_CENTER = 4, T_NODRAW = 8, T_KEEP_END = 16 };
/* Lays s out in font within width w (0: unbounded), drawn with its top
 * left at (x, y) unless T_NODRAW.  Returns the height it takes. */
double pdf_text(pdf *p, const char *font, double x, double y, double w, int flags,
                const char *s);
double pdf_text_width(pdf *p, const char *font, const char *s);
/* A wrapped paragraph that may run over pages, line by line. */
void pdf_flow(pdf *p, const char *font, double x, double w, const char *s);

/* The running header and footer of a new page; p->y at its top. */
void pdf_page_begin(pdf *p);
void pdf_page_new(pdf *p);
/* Room for h more points on this page, or a new page. */
void pdf_ensure(pdf *p, double h);

/* A table's columns from their widths; its head row of nc columns at
 * x[c], w[c] wide; the thin rule under a row that ends at p->y. */
void pdf_table_columns(const double *w, int nc, double *x);
void pdf_table_head(pdf *p, const double *x, const double *w, const char *const *head, int nc);
void pdf_table_rule(pdf *p);

/* A status as a shape (centre x, y; half size r) that reads without
 * colour, and as shape and word at (x, y) within w: returns the height. */
void pdf_status_shape(pdf *p, double x, double y, double r, uf_status s);
double pdf_status_mark(pdf *p, double x, double y, double w, uf_status s, const char *font);

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

/* ------------------------------------------------ the charts, sections */

void pdf_trend_chart(pdf *p, size_t s); /* pdf_trend_chart.c */
/* pdf_bar_chart.c; f, when not NULL, the funnel whose outliers a list
 * longer than uf_doc_units_listed keeps. */
void pdf_bar_chart(pdf *p, size_t s, const uf_funnel *f);
void pdf_funnel_chart(pdf *p, size_t s, const uf_funnel *f); /* pdf_funnel_chart.c */

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
