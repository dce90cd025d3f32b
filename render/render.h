/* render/render.h — render's API: the documents, written from a uf_doc
 * (uppfolj.h) and nothing else.  What the workbook and the PDF share is in
 * the private render/doc.h, the PDF's own pieces in render/pdf.h. */
#ifndef UF_RENDER_H
#define UF_RENDER_H

#include "uppfolj.h"

/* render/format.c — a month for people, in Swedish: "augusti 2024". */
void uf_fmt_period_sv(uf_month m, char *out, size_t n);

/* render/doc.c — the marks a report puts on an indicator; `check` lists
 * them before the run with the very same rules. */
int uf_doc_analysis_missing(const uf_doc *d, size_t s); /* nära/ej uppnått, no analysis */
int uf_doc_action_overdue(const uf_doc *d, const uf_action *a); /* due by P's end, open */
/* The words of an edition, which the documents print and the index and
 * `history` list: "Utgåva 2, utkast; ersätter utgåva 1 av 2024-09-06";
 * why it was made ("sen leverans av kontakter.csv", "fastställelse av utgåva 2");
 * an approval ("HSN, HSN 2024-09-18 § 12 (registrerat 2024-09-19)"). */
void uf_doc_edition_line(const uf_edition *e, char *out, size_t n);
void uf_doc_edition_reason(const uf_edition *e, char *out, size_t n);
void uf_doc_approval_line(const uf_approval *a, char *out, size_t n);

/* render/resultat.c — resultat-P.csv; unsuppressed for compute's stdout. */
int uf_render_resultat(const uf_doc *d, FILE *out, int unsuppressed, uf_error *err);
/* render/xlsx.c and render/pdf.c.  The PDF's layout comes first: fonts (when not
 * NULL) receives the font files it embeds, in name order, which publishing
 * hashes (uf_build_hash_fonts) and the workbook's "Om rapporten" and the
 * manifest then list. */
int uf_render_xlsx(const uf_doc *d, const char *path, uf_error *err);
int uf_render_pdf(const uf_doc *d, const char *path, uf_build *fonts, uf_error *err);
/* uf_render_pdf in its two steps, so the workbook can be written while
 * the book prints: uf_pdf_lay_out lays the book out and counts its pages
 * (fonts, when not NULL, then holds its fonts); uf_pdf_print prints it to
 * path and frees it.  d stays unchanged between them, but for its fonts'
 * hashes (uf_build_hash_fonts), which the book does not print. */
typedef struct uf_pdf uf_pdf;
uf_pdf *uf_pdf_lay_out(const uf_doc *d, uf_build *fonts);
int uf_pdf_print(uf_pdf *book, const char *path, uf_error *err);

#endif
