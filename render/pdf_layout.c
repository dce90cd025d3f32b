/* render/pdf_layout.c — the PDF's drawing helpers: text laid out by pango
 * and measured before it is drawn, pages with their running header and
 * footer, paragraphs that flow over pages, table rows, status marks, and
 * the structure tags they carry for screen readers.
 *
 * Every label is measured, and ellipsized or wrapped, so nothing overlaps;
 * status is a shape and a word before it is a colour. */
#include "render/pdf.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdarg.h>
#include <pango/pangofc-font.h>
#include <string.h>

/* ---------------------------------------------------------------- tags */

/* cairo 1.16 marks content for a leaf only, a tag with no tag inside it;
 * these are the ones content is drawn in. */
static int holds_content(const char *name)
{
    static const char *const leaf[] = {"H1", "H2", "H3", "P", "TH", "TD", "Link", "Figure"};
    for (size_t i = 0; i < sizeof leaf / sizeof leaf[0]; i++)
        if (!strcmp(name, leaf[i]))
            return 1;
    return 0;
}

void pdf_tag_begin(pdf *p, const char *name, const char *attrs)
{
    if (p->figure) {
        p->figure++;
        return;
    }
    assert(p->ntags < PDF_TAGS);
    pdf_tag *t = &p->tags[p->ntags++];
    t->name = name;
    snprintf(t->attrs, sizeof t->attrs, "%s", attrs ? attrs : "");
    cairo_tag_begin(p->cr, name, attrs);
}

void pdf_tag_end(pdf *p)
{
    if (p->figure > 1) {
        p->figure--;
        return;
    }
    assert(p->ntags > 0);
    p->figure = 0;
    cairo_tag_end(p->cr, p->tags[--p->ntags].name);
}

void pdf_figure_begin(pdf *p, const char *fmt, ...)
{
    assert(!p->figure);
    va_list ap;
    va_start(ap, fmt);
    p->alt = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    pdf_tag_begin(p, "Figure", NULL);
    p->figure = 1;
    g_ptr_array_add(p->alts, g_strdup(p->alt));
}

void pdf_figure_end(pdf *p)
{
    assert(p->figure == 1);
    pdf_tag_end(p);
    g_free(p->alt);
    p->alt = NULL;
}

void pdf_dest(pdf *p, const char *name, const char *title)
{
    char attrs[96];
    snprintf(attrs, sizeof attrs, "name='%s' x=%d y=%d", name, (int)X0, (int)p->y);
    cairo_tag_begin(p->cr, CAIRO_TAG_DEST, attrs);
    cairo_tag_end(p->cr, CAIRO_TAG_DEST);
    /* The counting pass's surface is no PDF and has no outline. */
    if (title && p->npages) {
        snprintf(attrs, sizeof attrs, "dest='%s'", name);
        cairo_pdf_surface_add_outline(cairo_get_target(p->cr), CAIRO_PDF_OUTLINE_ROOT, title,
                                      attrs, 0);
    }
}

void pdf_link_begin(pdf *p, const char *name)
{
    char attrs[sizeof p->tags[0].attrs];
    snprintf(attrs, sizeof attrs, "dest='%s'", name);
    pdf_tag_begin(p, CAIRO_TAG_LINK, attrs);
}

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
/* Wrapped text with a word wider than w: the font a tenth smaller, twice
 * at most, before pango breaks the word at a letter ("Primärvårdsdirekt-
 * ör": pango has no Swedish hyphenation). */
static void fit_longest_word(PangoLayout *lay, PangoFontDescription *fd, double w)
{
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
    for (int i = 0; i < 2; i++) {
        int widest = 0;
        for (GSList *l = pango_layout_get_lines_readonly(lay); l; l = l->next) {
            PangoRectangle r;
            pango_layout_line_get_extents(l->data, NULL, &r);
            widest = r.width > widest ? r.width : widest;
        }
        if (widest <= (int)(w * PANGO_SCALE))
            break;
        pango_font_description_set_size(fd, pango_font_description_get_size(fd) * 9 / 10);
        pango_layout_set_font_description(lay, fd);
    }
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
}

/* s laid out in font within w (0: unbounded) by flags.  The same text in
 * the same box lays out the same, and laying out (itemizing, shaping,
 * breaking) is most of what a page costs: each layout is made once, the
 * first time it is asked for, and kept for the rest of the book and the
 * printing pass (which draws what the counting pass measured). */
static PangoLayout *layout(pdf *p, const char *font, double w, int flags, const char *s)
{
    flags &= ~T_NODRAW;
    char *key = g_strdup_printf("%s|%a|%d|%s", font, w, flags, s ? s : "");
    PangoLayout *lay = g_hash_table_lookup(p->layouts, key);
    if (lay) {
        g_free(key);
        return lay;
    }
    lay = pango_layout_new(p->ctx);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(lay, fd);
    pango_layout_set_width(lay, w > 0 ? (int)(w * PANGO_SCALE) : -1);
    /* T_KEEP_END ellipsizes at the start: the tail of an id tells it apart. */
    pango_layout_set_ellipsize(lay, flags & T_KEEP_END    ? PANGO_ELLIPSIZE_START
                                    : flags & T_ELLIPSIZE ? PANGO_ELLIPSIZE_END
                                                          : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, flags & T_RIGHT    ? PANGO_ALIGN_RIGHT
                                    : flags & T_CENTER ? PANGO_ALIGN_CENTER
                                                       : PANGO_ALIGN_LEFT);
    pango_layout_set_text(lay, s ? s : "", -1);
    if (w > 0 && !(flags & (T_ELLIPSIZE | T_KEEP_END | T_FLOW)))
        fit_longest_word(lay, fd, w);
    pango_font_description_free(fd);
    g_hash_table_insert(p->layouts, key, lay);
    return lay;
}

double pdf_text(pdf *p, const char *font, double x, double y, double w, int flags,
                       const char *s)
{
    PangoLayout *lay = layout(p, font, w, flags, s);
    int lw, lh;
    pango_layout_get_size(lay, &lw, &lh);
    if (!(flags & T_NODRAW)) {
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, lay);
        for (GSList *l = pango_layout_get_lines_readonly(lay); l; l = l->next)
            note_fonts(p, l->data);
    }
    return (double)lh / PANGO_SCALE;
}

double pdf_text_as(pdf *p, const char *tag, const char *font, double x, double y, double w,
                   int flags, const char *s)
{
    pdf_tag_begin(p, tag, NULL);
    double h = pdf_text(p, font, x, y, w, flags, s);
    pdf_tag_end(p);
    return h;
}

double pdf_text_width(pdf *p, const char *font, const char *s)
{
    int lw, lh;
    pango_layout_get_size(layout(p, font, 0, 0, s), &lw, &lh);
    return (double)lw / PANGO_SCALE;
}

/* A wrapped paragraph that may run over pages, line by line. */
void pdf_flow(pdf *p, const char *font, double x, double w, const char *s)
{
    PangoLayout *lay = layout(p, font, w, T_FLOW, s);
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    pdf_tag_begin(p, "P", NULL);
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
    pdf_tag_end(p);
    pango_layout_iter_free(it);
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

/* A page break inside a paragraph, a cell or a figure: the tags that hold
 * content close before it, so that the next page's running header stays
 * outside the structure, and open again after it (a Figure with its alt
 * text once more). */
void pdf_page_new(pdf *p)
{
    int k = 0;
    while (k < p->ntags && !holds_content(p->tags[k].name))
        k++;
    for (int i = p->ntags; i-- > k;)
        cairo_tag_end(p->cr, p->tags[i].name);
    cairo_show_page(p->cr);
    pdf_page_begin(p);
    for (int i = k; i < p->ntags; i++) {
        cairo_tag_begin(p->cr, p->tags[i].name, p->tags[i].attrs);
        if (!strcmp(p->tags[i].name, "Figure"))
            g_ptr_array_add(p->alts, g_strdup(p->alt));
    }
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
    pdf_tag_begin(p, "TR", NULL);
    for (int c = 0; c < nc; c++) {
        double h = pdf_text_as(p, "TH", F_BOLD, x[c], p->y, w[c] - 6,
                               c == 0 || c == 3 ? T_WRAP : T_RIGHT, head[c]);
        hh = h > hh ? h : hh;
    }
    pdf_tag_end(p);
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

/* Shape and word, and note in bold red under the word; returns the height
 * of the word.  The shape, which only repeats the word, comes before the
 * tag: an artifact. */
double pdf_status_mark(pdf *p, double x, double y, double w, uf_status s, const char *font,
                       const char *tag, const char *note)
{
    double h = pdf_text(p, font, x + 14, y, w - 14, T_ELLIPSIZE | T_NODRAW, uf_status_label(s));
    pdf_status_shape(p, x + 5, y + h / 2, 4, s);
    if (tag)
        pdf_tag_begin(p, tag, NULL);
    pdf_text(p, font, x + 14, y, w - 14, T_ELLIPSIZE, uf_status_label(s));
    if (note) {
        pdf_ink(p, TARGET);
        pdf_text(p, F_BOLD, x + 14, y + h + 2, w - 14, T_ELLIPSIZE, note);
        pdf_ink(p, INK);
    }
    if (tag)
        pdf_tag_end(p);
    return h;
}
