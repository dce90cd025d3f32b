/* compute/editions.h — the months of the trend that the period's extracts
 * do not cover, taken from the editions published for those months. */
#ifndef UF_COMPUTE_EDITIONS_H
#define UF_COMPUTE_EDITIONS_H

#include "compute/compute.h"
#include "ingest/ingest.h"

/* For every series of r, computed or lacking its extract (underlag saknas),
 * and every month M in P-12..P-1 with no
 * present cell (region included), fills the cells from the rows for M of
 * M's own edition in earlier->editions: num = taljare, den = namnare.  A
 * suppressed figure (empty taljare) gives num = NAN: present, count unknown,
 * judged för litet underlag; an underlag_saknas row gives nothing.  Rows of
 * units r does not list are findings.
 * Runs before year to date, tertial and statuses. */
int uf_editions_fill(uf_report *r, const uf_inputs *earlier, uf_error *err);

/* compute/compute.c — the series of the indicator an edition's row names,
 * computed or lacking its extract; -1 when there is none. */
long uf_report_series(const uf_report *r, const char *indicator);

/* Text column col of a resultat file's current row as the report had it:
 * render/resultat.c puts an apostrophe before a text cell a spreadsheet
 * would run as a formula (and before one that starts with an apostrophe),
 * so exactly one leading apostrophe comes off. */
const char *uf_resultat_text(const uf_csv *csv, size_t col);

#endif
