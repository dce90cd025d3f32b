/* render/pdf.c — uppfolj-P.pdf, the A4 chart book, with cairo and pango.
 *
 * Read on paper, often in black and white: status is a shape and a word
 * before it is a colour, the target is a dashed line, and every label is
 * measured by pango and ellipsized or wrapped so nothing overlaps.
 *
 * The book is drawn twice: once on a recording surface to count the pages
 * ("Sida 3 av 9"), once on the PDF surface.  Both passes run the same code
 * with the same pango context, and the second draws the text layouts and
 * funnel limits the first made.  The pieces are in render/pdf.h. */
#include "render/pdf.h"

#include <cairo-pdf.h>
#include <stdlib.h>
#include <string.h>

/* The printing pass's bytes go to memory, for pdf_tags_write to finish. */
static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* The book: the cover, the summary, the tertial summary when P closes a
 * tertial, then a section per indicator. */
/* An indicator's head and the region's chart with its Kolada line. */
enum { SECTION_TOP_H = 340 };

static void book(pdf *p)
{
    pdf_tag_begin(p, "Document", NULL);
    pdf_cover(p);
    pdf_page_new(p);
    pdf_summary(p);
    if (uf_doc_closes_tertial(p->d)) {
        pdf_page_new(p);
        pdf_tertial_page(p);
    }
    for (size_t s = 0; s < p->d->report->nseries; s++) {
        /* An indicator begins a page, or the rest of one where the units'
         * chart before it ran over, when its figures and the region's
         * chart fit there: no page holds only a few bars. */
        if (s == 0 || Y1 - p->y < SECTION_TOP_H)
            pdf_page_new(p);
        else {
            p->y += 14;
            pdf_table_rule(p);
            p->y += 14;
        }
        pdf_indicator_page(p, s);
    }
    pdf_tag_end(p);
    cairo_show_page(p->cr);
}

/* What both passes share (the document, pango's context, the layouts, the
 * alt texts, the funnels), set up on the PDF surface: pango measures on it
 * in both passes as it does when it prints. */
static void share(pdf *p, const uf_doc *d, cairo_surface_t *pdf_surface, GPtrArray *alts,
                  pdf_funnel *funnels)
{
    *p = (pdf){.d = d, .alts = alts, .funnels = funnels};
    cairo_t *cr = cairo_create(pdf_surface);
    p->ctx = pango_cairo_create_context(cr);
    cairo_destroy(cr);
    /* Points as pango units, no hinting: the layout is the same on every
     * machine with the same fonts, so the bytes are too. */
    pango_cairo_context_set_resolution(p->ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p->ctx, fo);
    cairo_font_options_destroy(fo);
    /* Swedish text: pango's line breaking and hyphens by Swedish rules. */
    pango_context_set_language(p->ctx, pango_language_from_string("sv-se"));
    p->layouts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);

    const uf_config *cfg = d->cfg;
    snprintf(p->region, sizeof p->region, "%s%s%s",
             cfg && cfg->region_name ? cfg->region_name : "", cfg && cfg->board ? " · " : "",
             cfg && cfg->board ? cfg->board : "");
    uf_fmt_period_sv(d->report->period, p->period, sizeof p->period);
    /* Every page names its edition: a printed page cannot be mistaken
     * for one of another edition. */
    char edition[32] = "";
    if (d->edition && d->edition->number)
        snprintf(edition, sizeof edition, ", utgåva %d", d->edition->number);
    if (cfg && cfg->document.id && *cfg->document.id)
        snprintf(p->docline, sizeof p->docline, "%s, version %s%s", cfg->document.id,
                 cfg->document.version && *cfg->document.version ? cfg->document.version
                                                                 : UF_DASH,
                 edition);
    else if (*edition)
        snprintf(p->docline, sizeof p->docline, "Utgåva %d", d->edition->number);
    uf_doc_stamp(d, p->stamp, sizeof p->stamp);
}

/* One pass over surface with what both share: returns the pages drawn.
 * fonts, when not NULL, gets the font files drawn. */
static int pass(const pdf *shared, cairo_surface_t *surface, int npages, uf_build *fonts)
{
    pdf p = *shared;
    p.npages = npages;
    p.fonts = fonts;
    p.cr = cairo_create(surface);
    pdf_page_begin(&p);
    book(&p);
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

/* The PDF surface, its bytes going to memory, with the document's
 * metadata. */
static cairo_surface_t *pdf_surface(const uf_doc *d, GByteArray *bytes)
{
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(collect, bytes, PAGE_W, PAGE_H);
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
    return surf;
}

struct uf_pdf {
    GByteArray *bytes;
    cairo_surface_t *surf;
    pdf shared; /* what both passes share */
    int npages;
};

uf_pdf *uf_pdf_lay_out(const uf_doc *d, uf_build *fonts)
{
    /* The counting pass draws all the printing pass does, so it notes the fonts. */
    if (fonts)
        uf_build_clear_fonts(fonts);
    uf_pdf *b = uf_xcalloc(1, sizeof *b);
    b->bytes = g_byte_array_new();
    b->surf = pdf_surface(d, b->bytes);
    size_t nseries = d->report->nseries;
    share(&b->shared, d, b->surf, g_ptr_array_new_with_free_func(g_free),
          uf_xcalloc(nseries ? nseries : 1, sizeof(pdf_funnel)));
    /* Counting needs pango's measures only: a recording surface, which
     * emits no PDF (no page deflated, no font subset).  It lays out with
     * the PDF surface's context, and the layouts it makes are the
     * printing pass's. */
    cairo_surface_t *count = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    b->npages = pass(&b->shared, count, 0, fonts);
    cairo_surface_destroy(count);
    if (fonts)
        sort_fonts(fonts);
    g_ptr_array_set_size(b->shared.alts, 0);
    return b;
}

int uf_pdf_print(uf_pdf *b, const char *path, uf_error *err)
{
    pdf *sh = &b->shared;
    pass(sh, b->surf, b->npages, NULL);
    g_hash_table_unref(sh->layouts);
    g_object_unref(sh->ctx);
    for (size_t s = 0; s < sh->d->report->nseries; s++)
        if (sh->funnels[s].has)
            uf_funnel_free(&sh->funnels[s].f);
    free(sh->funnels);
    cairo_surface_finish(b->surf);
    cairo_status_t st = cairo_surface_status(b->surf);
    cairo_surface_destroy(b->surf);
    int rc = 0;
    if (st != CAIRO_STATUS_SUCCESS) {
        uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "", "PDF-filen kunde inte skrivas: %s",
                     cairo_status_to_string(st));
        rc = -1;
    } else {
        rc = pdf_tags_write(b->bytes->data, b->bytes->len, sh->alts, path, err);
    }
    g_byte_array_unref(b->bytes);
    g_ptr_array_unref(sh->alts);
    free(b);
    return rc;
}

int uf_render_pdf(const uf_doc *d, const char *path, uf_build *fonts, uf_error *err)
{
    return uf_pdf_print(uf_pdf_lay_out(d, fonts), path, err);
}
