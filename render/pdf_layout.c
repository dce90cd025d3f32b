/* render/pdf_layout.c — the PDF's drawing helpers: text laid out by pango
 * and measured before it is drawn, pages with their running header and
 * footer, paragraphs that flow over pages, table rows, status marks.
 *
 * Every label is measured, and ellipsized or wrapped, so nothing overlaps;
 * status is a shape and a word before it is a colour. */
#include "render/pdf.h"

#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangofc-font.h>
#include <string.h>

void pdf_ink(pdf *p, rgb c)
{
    cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

void pdf_dashed(pdf *p, int on)
{
    static const double dash[] = {4.0, 2.5};
    cairo_set_dash(p->cr, dash, on ? 2 : 0, 0);
}

/* ---------------------------------------------------------------- text */

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
double pdf_text(pdf *p, const char *font, double x, double y, double w, int flags,
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

double pdf_text_width(pdf *p, const char *font, const char *s)
{
    pdf_text(p, font, 0, 0, 0, T_NODRAW, s);
    int lw, lh;
    pango_layout_get_size(p->lay, &lw, &lh);
    return (double)lw / PANGO_SCALE;
}

/* A wrapped paragraph that may run over pages, line by line. */
void pdf_flow(pdf *p, const char *font, double x, double w, const char *s)
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
        pdf_ensure(p, lh);
        cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + base);
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        pango_cairo_show_layout_line(p->cr, line);
        note_fonts(p, line);
        p->y += lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(lay);
}

/* --------------------------------------------------------------- pages */

void pdf_page_begin(pdf *p)
{
    p->page++;
    p->y = Y0;
    cairo_set_line_width(p->cr, 0.5);
    pdf_ink(p, GREY);
    pdf_text(p, F_SMALL, X0, 36, TW * 0.75, T_ELLIPSIZE, p->region);
    pdf_text(p, F_SMALL, X0 + TW * 0.75, 36, TW * 0.25, T_RIGHT, p->period);
    if (*p->stamp) {
        /* Bold and framed above the header, so a draft or a preliminary
         * page is not taken for the final one, even on a grey copy. */
        double w = pdf_text_width(p, F_STAMP, p->stamp) + 12;
        double sx = X0 + TW / 2 - w / 2;
        pdf_ink(p, TARGET);
        cairo_set_line_width(p->cr, 1.0);
        cairo_rectangle(p->cr, sx, 12, w, 15);
        cairo_stroke(p->cr);
        pdf_text(p, F_STAMP, sx, 14, w, T_CENTER, p->stamp);
        cairo_set_line_width(p->cr, 0.5);
    }
    pdf_ink(p, RULE);
    cairo_move_to(p->cr, X0, 50);
    cairo_line_to(p->cr, X1, 50);
    cairo_stroke(p->cr);
    cairo_move_to(p->cr, X0, PAGE_H - 48);
    cairo_line_to(p->cr, X1, PAGE_H - 48);
    cairo_stroke(p->cr);
    pdf_ink(p, GREY);
    char page[48];
    snprintf(page, sizeof page, "Sida %d av %d", p->page, p->npages);
    pdf_text(p, F_SMALL, X0, PAGE_H - 44, TW * 0.7, T_ELLIPSIZE, p->docline);
    pdf_text(p, F_SMALL, X0 + TW * 0.7, PAGE_H - 44, TW * 0.3, T_RIGHT, page);
    pdf_ink(p, INK);
}

void pdf_page_new(pdf *p)
{
    cairo_show_page(p->cr);
    pdf_page_begin(p);
}

/* Room for h more points on this page, or a new page. */
void pdf_ensure(pdf *p, double h)
{
    if (p->y + h > Y1 && p->y > Y0)
        pdf_page_new(p);
}

/* -------------------------------------------------------------- tables */

/* The columns' left edges x[0..nc] from X0, for the widths w[0..nc). */
void pdf_table_columns(const double *w, int nc, double *x)
{
    x[0] = X0;
    for (int c = 0; c < nc; c++)
        x[c + 1] = x[c] + w[c];
}

/* The head row of a summary table: wrapped bold labels, the first (name) and
 * fourth (status) columns flush left, the figures' right, then a firm rule. */
void pdf_table_head(pdf *p, const double *x, const double *w, const char *const *head, int nc)
{
    double hh = 0;
    for (int c = 0; c < nc; c++) {
        double h = pdf_text(p, F_BOLD, x[c], p->y, w[c] - 6, c == 0 || c == 3 ? T_WRAP : T_RIGHT,
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
void pdf_table_rule(pdf *p)
{
    pdf_ink(p, RULE);
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, X0, p->y - 3);
    cairo_line_to(p->cr, X1, p->y - 3);
    cairo_stroke(p->cr);
    pdf_ink(p, INK);
}

/* -------------------------------------------------------------- status */

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
 * square with a cross missed, dash no target, ring too small, an empty
 * frame no data (its extract missing), nothing missing.  r is the half size, (x, y) the centre. */
void pdf_status_shape(pdf *p, double x, double y, double r, uf_status s)
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
    case UF_ST_NODATA: /* an empty frame: nothing to judge */
        cairo_rectangle(cr, x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
        pdf_ink(p, INK);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
        return;
    case UF_ST_SMALL:
    case UF_ST_HIDDEN:
        cairo_arc(cr, x, y, r * 0.8, 0, 2 * M_PI);
        pdf_ink(p, INK);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
        return;
    case UF_ST_MISSING:
        return;
    }
    rgb c = status_colour(s);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_fill_preserve(cr);
    pdf_ink(p, INK);
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
    pdf_ink(p, INK);
}

/* Shape and word; returns the height used. */
double pdf_status_mark(pdf *p, double x, double y, double w, uf_status s, const char *font)
{
    double h = pdf_text(p, font, x + 14, y, w - 14, T_ELLIPSIZE | T_NODRAW, uf_status_label(s));
    pdf_status_shape(p, x + 5, y + h / 2, 4, s);
    pdf_text(p, font, x + 14, y, w - 14, T_ELLIPSIZE, uf_status_label(s));
    return h;
}
