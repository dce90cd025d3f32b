/* render/doc.h — private to render/: the Swedish formatting, the axes and
 * the reading of a uf_doc that the workbook and the PDF share, so both say
 * the same thing.  The PDF's own pieces are in render/pdf.h; what the other
 * stages call is in render/render.h. */
#ifndef UF_RENDER_DOC_H
#define UF_RENDER_DOC_H

#include "compute/compute.h"
#include "ingest/ingest.h"
#include "render/render.h"

/* Display typography, one choice everywhere: U+202F NARROW NO-BREAK SPACE
 * groups thousands ("1 100"), U+00A0 NO-BREAK SPACE keeps "85,3 %" and
 * "2,1 p.e." on one line, U+2212 MINUS SIGN and U+2013 EN DASH ("–" for a
 * value not shown) are the Swedish typographic forms. */
#define UF_THIN "\xe2\x80\xaf"
#define UF_NBSP "\xc2\xa0"
#define UF_MINUS "\xe2\x88\x92"
#define UF_DASH "\xe2\x80\x93"

/* render/format.c — numbers for people, in Swedish, without touching
 * LC_NUMERIC: "85,3 %", "0,29", "1 100" (thin space); "–" for NaN.
 * (uf_fmt_period_sv, which publishing uses too, is in render/render.h.) */
void uf_fmt_value(const uf_indicator *ind, double v, char *out, size_t n);
void uf_fmt_int(long long v, char *out, size_t n);
/* A change between two values of ind: "+2,1 p.e." (percentage points) for a
 * percent indicator, "+0,03" or "−1 100" otherwise; "–" when either is NaN. */
void uf_fmt_change(const uf_indicator *ind, double delta, char *out, size_t n);
void uf_fmt_month_short(uf_month m, char *out, size_t n); /* "aug 2023" */
void uf_fmt_tertial(uf_month m, char *out, size_t n);     /* "T2 2024" */
/* A target value as decided: trailing zero decimals dropped ("90 %"). */
void uf_fmt_target_value(const uf_indicator *ind, double v, char *out, size_t n);
/* "Mål 90 % (HSN 2023-12-18 § 151)", or "Inget mål" when t is NULL; then
 * " · Nationellt mål: God och nära vård, mål 1" where the definition names one. */
void uf_fmt_target(const uf_indicator *ind, const uf_target *t, char *out, size_t n);
/* A manifest's time ("2024-08-06T05:15:00Z", "...07:15:00+02:00") in
 * Stockholm time, as every other time the documents show: "2024-08-06
 * 07:15"; what does not read as one, as it is. */
void uf_fmt_stamp_sv(const char *iso, char *out, size_t n);

/* render/axis.c — value axes, the same in the PDF and the workbook's chart.
 * From 0 to a round number above vmax in 4–6 round steps (1, 2, 2.5, 5 x
 * 10^k); a share stops at 100 %.  Bars are drawn from 0, so their axis is
 * this. */
void uf_axis_zero(const uf_indicator *ind, double vmax, double *top, double *step);
/* A line's axis fits its data: 82 % against 90 % drawn from 0 to 100 %
 * looks flat.  It starts at 0 when the data come near it anyway, else at
 * a round number below lo (*bot > 0: the chart must say so). */
void uf_axis_fit(const uf_indicator *ind, double lo, double hi, double *bot, double *top,
                 double *step);

/* render/doc.c — reading a report the same way in every document.  The two
 * marks `check` lists too, uf_doc_analysis_missing and
 * uf_doc_action_overdue, are declared in render/render.h. */
/* Cell of series s; a missing cell when the series was not computed. */
const uf_cell *uf_doc_cell(const uf_doc *d, size_t s, size_t row, int col);
/* "Underlag saknas: samtal.csv" into buf when series s lacks its extract
 * (status underlag saknas), written wherever the indicator appears; else 0. */
int uf_doc_lacks(const uf_doc *d, size_t s, char *buf, size_t n);
/* The value people may see: NaN when the cell is missing or suppressed
 * (compute/suppress.c decides). */
double uf_doc_shown(const uf_cell *c);
/* A suppressed value's mark, the same in every document: "–" för litet
 * underlag, "–d" dold by the secondary rule; NULL for a shown status. */
const char *uf_doc_mark(uf_status s);
extern const char uf_doc_small_note[];  /* "– = för litet underlag" */
extern const char uf_doc_hidden_note[]; /* "–d = dold så att ..." */
/* The rule as Definitioner and the PDF's summary explain it. */
extern const char uf_doc_suppression_rule[];
/* The owner from the config, or uf_doc_no_owner ("Ägare saknas"). */
const char *uf_doc_owner(const uf_doc *d, const uf_indicator *ind);
extern const char uf_doc_no_owner[];
const uf_comment *uf_doc_comment(const uf_doc *d, const uf_indicator *ind);
/* The title both documents carry: "Uppföljning primärvård — ...". */
extern const char uf_doc_title[];

/* How many indicators miss their target with no analysis (the cover's
 * "2 av 6 indikatorer saknar analys"). */
size_t uf_doc_count_analysis_missing(const uf_doc *d);
/* The report's indicator with id, and a unit's name ("REGION": the
 * region's); NULL when the report has none. */
const uf_indicator *uf_doc_indicator(const uf_doc *d, const char *id);
const char *uf_doc_unit_name(const uf_doc *d, const char *id);
/* Restated figures; 0 when d->changes is NULL or empty. */
size_t uf_doc_nchanges(const uf_doc *d);
/* The edition is approved (`uppfolj approve`): the document is
 * "Fastställd", else every page says "Utkast". */
int uf_doc_approved(const uf_doc *d);
/* The period closes a tertial (April, August, December). */
int uf_doc_closes_tertial(const uf_doc *d);
/* The word both documents stamp on the title: "PRELIMINÄR", "UTKAST" or
 * both, joined by " · "; "" for an approved, complete report. */
void uf_doc_stamp(const uf_doc *d, char *out, size_t n);

/* render/funnel.c — the funnel plot of series s in month P, the same in
 * the PDF and the workbook.  A share has exact binomial limits, a mean
 * over patients (the continuity indices) normal limits from the spread of
 * the patients' values; the centre is the region's target, else its value.
 * Only units whose value is shown are points: a suppressed unit is never
 * drawn, counted or listed. */
int uf_doc_is_patient_mean(const uf_indicator *ind); /* a mean of patients' values */
/* How many units the PDF lists before only the outliers: config
 * "units_listed", 40 when left out. */
long uf_doc_units_listed(const uf_doc *d);

typedef enum {
    UF_BAND_BELOW_998,
    UF_BAND_BELOW_95,
    UF_BAND_INSIDE,
    UF_BAND_ABOVE_95,
    UF_BAND_ABOVE_998,
    UF_NBANDS
} uf_band;

typedef struct {
    size_t row;  /* unit row */
    double n, v; /* its n (the denominator: trials, patients) and value */
    double z;    /* standard errors from the centre: how far outside */
    uf_band band;
} uf_funnel_point;

typedef struct {
    int mean;                /* a mean over patients: normal limits from sd */
    double centre, sd;
    const uf_target *target; /* the centre is this target, or the region's value when NULL */
    uf_funnel_point *pt;     /* the units drawn, in row order */
    size_t npt;
    double nmin, nmax;
    size_t count[UF_NBANDS];
} uf_funnel;

/* 1 and f filled (free it with uf_funnel_free) when series s has a funnel:
 * a share or a patient mean with a centre and at least one unit shown. */
int uf_doc_funnel(const uf_doc *d, size_t s, uf_funnel *f);
uf_limits uf_funnel_limits(const uf_funnel *f, double n, uf_funnel_level level);
/* The axes both documents draw: n from the 1-2-5 value at or below the
 * smallest unit's to the one at or above the largest (a log scale), and the
 * values to fit: the points, the centre and the 99.8 % limits at the
 * smallest n. */
void uf_funnel_range(const uf_funnel *f, double *nlo, double *nhi, double *lo, double *hi);
const uf_funnel_point *uf_funnel_find(const uf_funnel *f, size_t row); /* NULL: not drawn */
size_t uf_funnel_outside(const uf_funnel *f); /* units outside the 95 % limits */
/* Those units, the farthest out first, above and below in turn (as many as
 * uf_funnel_outside; the caller frees the array): the order in which the
 * plot labels them and a list cut short keeps them. */
const uf_funnel_point **uf_funnel_outliers(const uf_funnel *f);
void uf_funnel_free(uf_funnel *f);
const char *uf_band_label(uf_band b); /* "Över 99,8 %-gränsen", for the workbook's column */
int uf_band_rank(uf_band b); /* how a point is drawn: 0 inside, 1 past 95 %, 2 past 99.8 % */
/* The sentence of counts above and below each limit, and the paragraph on
 * the method and what a unit outside means; the caller frees both. */
char *uf_funnel_counts(const uf_funnel *f);
char *uf_funnel_method(const uf_funnel *f, const uf_indicator *ind);
char *uf_funnel_describe(const uf_doc *d, size_t s, const uf_funnel *f); /* in words */

/* render/kolada_line.c — Kolada comparison figures.  Kolada publishes
 * percentages (0–100); these return the indicator's own scale (a
 * fraction).  1 when present. */
#define UF_KOLADA_NATIONAL "0000"
extern const char uf_doc_kolada_source[]; /* "Källa: Kolada" */
extern const char uf_doc_kolada_label[];  /* "Riket (Kolada)" */
/* The KPI that compares with ind, or NULL. */
const char *uf_doc_kolada_kpi(const uf_indicator *ind);
int uf_doc_kolada_value(const uf_doc *d, const uf_indicator *ind, const char *area, int year,
                        double *out);
/* The region's own Kolada area (cfg->kolada_id), or NULL. */
const char *uf_doc_kolada_region(const uf_doc *d);
/* National values per trend month (NaN where missing): 1 when any is there. */
int uf_doc_kolada_trend(const uf_doc *d, const uf_indicator *ind, double out[UF_TREND]);
/* The comparison line under a chart: "Kolada 2023: Riket 87,0 %, Region
 * Exempel 85,0 %. Källa: Kolada." for the latest year with a figure, or
 * "Jämförelse från Kolada saknas: ..." when ind has a KPI and the pull
 * failed; 0 (and "") when Kolada has nothing for ind. */
int uf_doc_kolada_line(const uf_doc *d, const uf_indicator *ind, char *out, size_t n);

#endif
