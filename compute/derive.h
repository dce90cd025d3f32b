/* compute/derive.h — what the derivations share: the run context, the unit
 * table the extracts fill, per-series tallies and per-file bookkeeping.
 *
 * Units appear while the extracts are read, so everything is first kept per
 * "raw" unit (order of first appearance) and only sorted into report rows at
 * the end (compute.c). */
#ifndef UF_COMPUTE_DERIVE_H
#define UF_COMPUTE_DERIVE_H

#include "compute/compute.h"
#include "ingest/ingest.h"

#define UF_NONE UINT32_MAX
/* Patients are split by the top bit of their uf_strtab_hash into this many
 * tables, so that each core interns its own (parallel.h). */
#define UF_PARTS 2
#define UF_PART(hash) ((hash) >> 31)

typedef struct {
    double num, den;
    double sq; /* a mean over patients: the sum of their values squared */
} uf_nd;

/* One series while the extracts are read. */
typedef struct {
    const uf_indicator *ind;
    int selected;                  /* in the report (not merely computed alongside) */
    size_t lead;                   /* the tally its reader fills: itself, or the first
                                      with the same derivation and parameters */
    int absent;                    /* an optional column it needs is missing: not computed */
    uf_nd *nd;                     /* raw unit x UF_TREND */
    unsigned char *has;            /* raw unit x UF_TREND: rows for this unit and month */
    unsigned char month[UF_TREND]; /* the extract covers the month: every unit is present */
    uf_nd region[UF_TREND];        /* set directly by aggregat's REGION rows */
    unsigned char region_set[UF_TREND];
} uf_tally;

/* Per-file, per-unit counts: unknown units and units silent in month P. */
typedef struct {
    long *rows;       /* raw unit: rows in the file */
    long *rows_p;     /* raw unit: rows dated in month P */
    long *first_line; /* raw unit: first line */
    size_t n;
} uf_seen;

typedef struct {
    uf_csv *csv;
    const char *name;
    long read, rejected;
    uf_seen seen;
    uf_issue hollow; /* rows of delimiters only that chunks skipped (uf_csv counts its own) */
    uf_errors *faults; /* the month's (uf_ctx) */
    long nfaults;      /* this file's */
} uf_reader;

typedef struct {
    uf_strtab *ids;
    uf_unit *v; /* raw order; id strings point into ids */
    size_t n, cap;
    int have_file; /* enheter.csv was read */
    uint32_t last; /* the previous row's unit: extracts are mostly grouped by unit */
} uf_units;

typedef struct {
    const uf_compute_in *in;
    uf_report *out;
    uf_error *err;
    uf_units units;
    uf_tally *tallies; /* one per indicator of in->inds, same index */
    size_t ntallies;
    const unsigned char *run; /* per tally: to be computed (its extract is there) */
    uf_reader *reader; /* the file being read, for per-unit bookkeeping */
    uf_strtab *patients[UF_PARTS];
    uint32_t *listed[UF_PARTS]; /* raw unit where each patient is listed, or UF_NONE */
    unsigned char *flags[UF_PARTS]; /* each listed patient's flags (UF_FLAG_*), when asked for */
    unsigned listing_flags;     /* the flags listning.csv has a column for */
    size_t nlisted[UF_PARTS];
    uf_day last_day; /* uf_ctx_month's memory: extracts are mostly in date order */
    uf_month last_month;
    uf_errors *faults; /* every fault of the inputs, in the order found */
    long ngaps;      /* what makes month P incomplete (status.c's gate) */
    char gaps[300];  /* the first of them, for the gate's message */
} uf_ctx;

/* units.c */
int uf_units_read(uf_ctx *x, const char *name);
/* SPEC: "REGION" is the region's row in resultat-P.csv, so no unit may have
 * that id; uf_unit_reserved says whether s is it, uf_unit_not_region is
 * what a message expects instead. */
int uf_unit_reserved(const char *s, size_t len);
extern const char uf_unit_not_region[];
/* The raw unit of the current row's column col; UF_NONE (err set) when empty
 * or reserved. */
uint32_t uf_ctx_unit(uf_ctx *x, size_t col);
uint32_t uf_ctx_unit_str(uf_ctx *x, const char *s, size_t len);
/* The units of enheter.csv with no rows of r's file dated in month P. */
void uf_units_note_silent(uf_ctx *x, const uf_reader *r);
void uf_units_free(uf_units *u);

/* compute.c — files and findings */
const char *uf_ind_source(const uf_indicator *ind); /* the extract it is computed from */
const char *uf_ctx_path(const uf_ctx *x, const char *name); /* NULL when absent */
int uf_reader_open(uf_ctx *x, uf_reader *r, const char *name, const uf_column *cols,
                   size_t ncols);
/* 1 a row, 0 end, -1 error; counts rows read.  A row the reader refuses is
 * listed (uf_reader_fault) and the next one read; -1 at the end when the
 * file had any fault, or at once when it cannot be read further. */
int uf_reader_next(uf_ctx *x, uf_reader *r);
/* Records the file's counts and its unit findings; silent_units: report known
 * units with no rows in month P. */
void uf_reader_close(uf_ctx *x, uf_reader *r, int silent_units);
/* Fills err for a field of the current row, lists it as the file's fault
 * and returns -1; the caller goes on with the next row, so that every bad
 * row is named in one pass. */
int uf_reader_fail(uf_reader *r, size_t col, int echo, const char *expected, uf_error *err);
/* Lists err as a fault of r's file. */
void uf_reader_fault(uf_reader *r, const uf_error *err);
/* A J/N flag where empty means N. */
int uf_reader_flag(uf_reader *r, size_t col, int *out, uf_error *err);
/* Notes a row id seen twice.  The row still counts: a duplicate id is a
 * register fault to look into, not proof that the event did not happen. */
void uf_reader_note_id(uf_reader *r, size_t col, uf_strtab **ids, uf_issue *dup);
uf_month uf_ctx_month(uf_ctx *x, uf_day d);
/* A row of unit u dated d: counts it for month P (r->seen.rows_p), marks its
 * month as one the file covers (t may be NULL), and returns its trend
 * column, -1 outside P-12..P. */
int uf_reader_dated(uf_ctx *x, uf_reader *r, uint32_t u, uf_day d, uf_tally *t);
/* Column of month m in the trend, or -1 outside P-12..P. */
int uf_ctx_col(const uf_ctx *x, uf_month m);
/* Adds seen's count and lines under (file, reason), merging with an earlier
 * finding of the same reason. */
void uf_report_issue(uf_report *r, const char *file, const uf_issue *seen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The tallies the reader of derivation d fills, one per set of parameters
 * among the indicators to compute (the others get a copy): start with
 * *at = 0; NULL after the last. */
uf_tally *uf_ctx_tally_next(uf_ctx *x, uf_derivation d, size_t *at);
/* The first of them, or NULL. */
uf_tally *uf_ctx_tally(uf_ctx *x, uf_derivation d);
/* t cannot be computed: what it needs of file is missing ("kolumnen sabo
 * saknas").  Said in Datakvalitet; not a gap of the month (the gate leaves
 * it). */
void uf_tally_absent(uf_ctx *x, uf_tally *t, const char *file, const char *what);
/* Listing flags a patient can have (listning.csv), for subgroups. */
enum { UF_FLAG_SABO = 1 };
/* The flag of a subgroup name ("sabo"); 0 for none. */
unsigned uf_listing_flag(const char *subgroup);

/* The derivations: each reads its extract once and fills its tallies. */
int uf_bedomning_read(uf_ctx *x, const char *name);
int uf_telefon_read(uf_ctx *x, const char *name);
int uf_listning_read(uf_ctx *x, const char *name);
int uf_kontinuitet_read(uf_ctx *x, const char *name);
int uf_aggregat_read(uf_ctx *x, const char *name);

/* kontinuitet.c — one patient's indices from N visits: COC from sumsq = the
 * sum of n_i^2 over doctors, UPC from maxn = the visits to the most-seen one. */
double uf_coc(long sumsq, long n);
double uf_upc(long maxn, long n);

/* status.c — the completeness gate (config "completeness").  A gap is a
 * Datakvalitet finding that also makes month P incomplete. */
void uf_ctx_incomplete(uf_ctx *x, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* After reading: months and units the extracts do not cover.  Stops the run
 * (-1, UF_ERR_INPUT) when the config says "stop"; else marks the report
 * preliminary. */
int uf_ctx_gate(uf_ctx *x, const unsigned char *run);
/* status.c — a unit-level target for a unit enheter.csv does not list would
 * be ignored and the unit judged against the region's target: one of a
 * computed indicator in force in P stops the run (UF_ERR_CONFIG at its
 * "unit" in targets.json), naming every such target.  0 when none, or when
 * there is no enheter.csv to hold them against. */
int uf_ctx_check_targets(uf_ctx *x, const unsigned char *run);
/* status.c */
uf_status uf_status_judge(const uf_indicator *ind, const uf_cell *c, const uf_target *t);
/* Fills cell->target and cell->status for unit (NULL: region) in month m. */
void uf_cell_judge(uf_cell *c, const uf_indicator *ind, const uf_targets *targets,
                   const char *unit, uf_month m);

#endif
