/* compute/compute.h — compute's API: a month's inputs turned into a
 * uf_report (uppfolj.h), and reading that report the same way everywhere. */
#ifndef UF_COMPUTE_H
#define UF_COMPUTE_H

#include "uppfolj.h"

typedef struct {
    uf_month period;
    const uf_extract *extracts; /* what is there; an absent file is not listed */
    size_t nextracts;
    const uf_config *cfg; /* column renames; may be NULL */
    const uf_indicators *inds;
    const uf_targets *targets; /* may be NULL: everything is "inget mål" */
    const char *only;          /* --indicator ID, or NULL for all */
    int skip_missing;          /* an indicator whose extract is absent is skipped, not an error */
    /* run and rerun: the published editions (editions[]), from which the
     * months P-12..P-1 the extracts do not cover are taken; NULL: none. */
    const uf_inputs *earlier;
    const char *kolada_missing; /* the comparison failed: why, for Datakvalitet; or NULL */
    /* Where every fault of the inputs goes (check and a rejected run list
     * them all); err is the first.  NULL: counted in a list of its own. */
    uf_errors *faults;
} uf_compute_in;

/* compute/compute.c */
int uf_compute(const uf_compute_in *in, uf_report *out, uf_error *err);
uf_cell *uf_report_cell(const uf_report *r, size_t series, size_t row, int col);
long uf_report_row(const uf_report *r, const char *unit);         /* "REGION" is 0; -1 unknown */
double uf_cell_value(const uf_cell *c); /* num / den; NAN when absent */
long uf_cell_n(const uf_cell *c, const uf_indicator *ind);
void uf_report_free(uf_report *r);

/* compute/suppress.c — what is shown.  Secondary suppression marks as
 * UF_ST_HIDDEN the fewest further cells that keep every suppressed one
 * from being derived by addition or subtraction, and counts them in
 * Datakvalitet.  Run once every cell is judged. */
void uf_report_suppress(uf_report *r);
int uf_status_hidden(uf_status s);     /* för litet underlag or dold: no value shown */
double uf_cell_shown(const uf_cell *c); /* the value people may see; NAN when not */

/* compute/status.c */
const char *uf_status_word(uf_status s); /* "uppnatt", ... as in resultat-P.csv */
const char *uf_status_label(uf_status s); /* "Uppnått", ... for people */

/* compute/funnel.c — control limits of a funnel plot (Spiegelhalter 2005)
 * at n for the centre p0, two-sided at 95 % or 99.8 %: exact binomial
 * limits for a share, normal limits theta +- z sd / sqrt(n) for a mean of
 * patients' values.  A centre on the edge (0, 1) or n < 1 gives the centre. */
typedef enum { UF_FUNNEL_95, UF_FUNNEL_998 } uf_funnel_level;
typedef struct {
    double lo, hi;
} uf_limits;
uf_limits uf_funnel_binomial(double p0, double n, uf_funnel_level level);
uf_limits uf_funnel_normal(double theta, double sd, double n, uf_funnel_level level);

/* compute/changes.c — figures of this report that differ from what an
 * earlier edition published for the same unit and month (restatements).
 * Editions are searched newest period first; the first figure found is
 * the one last published. */
int uf_changes_find(const uf_report *r, const uf_inputs *in, uf_changes *out, uf_error *err);
void uf_changes_free(uf_changes *c);

#endif
