/* render/render.h — private to render/: the wording and the reading of a
 * uf_doc that the workbook and the PDF share, so both say the same thing. */
#ifndef UF_RENDER_H
#define UF_RENDER_H

#include "uppfolj.h"

/* Display typography, one choice everywhere: U+202F NARROW NO-BREAK SPACE
 * groups thousands ("1 100"), U+00A0 NO-BREAK SPACE keeps "85,3 %" and
 * "2,1 p.e." on one line, U+2212 MINUS SIGN and U+2013 EN DASH ("–" for a
 * value not shown) are the Swedish typographic forms. */
#define UF_THIN "\xe2\x80\xaf"
#define UF_NBSP "\xc2\xa0"
#define UF_MINUS "\xe2\x88\x92"
#define UF_DASH "\xe2\x80\x93"

/* A change between two values of ind: "+2,1 p.e." (percentage points) for a
 * percent indicator, "+0,03" or "−1 100" otherwise; "–" when either is NaN. */
void uf_fmt_change(const uf_indicator *ind, double delta, char *out, size_t n);
void uf_fmt_month_short(uf_month m, char *out, size_t n); /* "aug 2023" */
void uf_fmt_tertial(uf_month m, char *out, size_t n);     /* "T2 2024" */
/* ISO 8601 with the Stockholm offset: "2024-09-06T07:15:00+02:00". */
void uf_fmt_time_iso(int64_t t, char *out, size_t n);
/* A target value as decided: trailing zero decimals dropped ("90 %"). */
void uf_fmt_target_value(const uf_indicator *ind, double v, char *out, size_t n);
/* "Mål 90 % (HSN 2023-12-18 § 151)", or "Inget mål" when t is NULL. */
void uf_fmt_target(const uf_indicator *ind, const uf_target *t, char *out, size_t n);

/* Reading a report the same way in every document. */
/* Cell of series s; a missing cell when the series was not computed. */
const uf_cell *uf_doc_cell(const uf_doc *d, size_t s, size_t row, int col);
/* The value people may see: NaN when the cell is missing or suppressed. */
double uf_doc_shown(const uf_cell *c);
/* The owner from the config, or uf_doc_no_owner ("Ägare saknas"). */
const char *uf_doc_owner(const uf_doc *d, const uf_indicator *ind);
extern const char uf_doc_no_owner[];
const uf_comment *uf_doc_comment(const uf_doc *d, const uf_indicator *ind);
/* SPEC: a missed target (nära, ej uppnått) with no analysis is flagged. */
int uf_doc_analysis_missing(const uf_doc *d, size_t s);
/* Due on or before the period's last day and not closed: "Försenad". */
int uf_doc_action_overdue(const uf_doc *d, const uf_action *a);
/* The title both documents carry: "Uppföljning primärvård — ...". */
extern const char uf_doc_title[];

#endif
