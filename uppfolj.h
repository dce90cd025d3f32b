/* uppfolj.h — the plain structs that cross stages, and nothing else.
 *
 * The folders are the pipeline: ingest/ reads the world's bytes into the
 * inputs below (config, definitions, targets, comments, Kolada figures, the
 * extracts as paths to read), publish/ takes a month's inputs in (uf_inputs,
 * each input's record uf_input) and hands ingest's pulls a uf_store,
 * compute/ turns them into a uf_report, render/ writes documents from a
 * uf_doc, publish/ keeps the record.  Each folder's functions are in its own
 * header (core/core.h, ingest/ingest.h, compute/compute.h, render/render.h,
 * publish/publish.h, generate/generate.h); main.c is the command line.
 *
 * One public prefix: uf_.  Functions are prefixed by the object they work
 * on (uf_csv_, uf_config_, uf_report_, uf_render_ ...). */
#ifndef UPPFOLJ_H
#define UPPFOLJ_H

#include "core/core.h"

/* ==================================================================== ingest
 * What ingest/ reads, for compute/, render/ and publish/. */

/* ingest/config.c — uppfolj.json (SPEC "Config"). */
typedef struct {
    const char *canonical; /* "kontaktdatum" */
    const char *header;    /* the name in this region's file: "KontaktDatum" */
} uf_rename;

typedef struct {
    char *file; /* "kontakter.csv" */
    uf_rename *v;
    size_t n;
} uf_colmap;

typedef struct {
    char *indicator;
    char *owner;
} uf_owner;

typedef struct {
    char *id;
    char *kind;       /* "http", "kolada" or "odbc" */
    char *file;       /* http, odbc: the extract it delivers */
    char *url;        /* may contain {period} */
    char *token_env;  /* http: where the bearer token is; never the token itself */
    char *token_file;
    char *ca_bundle;  /* the region's CA file (resolved), or NULL: the system's */
    long timeout_s;   /* per request: the window of the minimum speed */
    long deadline_s;  /* the whole source, every retry and page included */
    long min_bytes_per_s; /* slower than this over timeout_s is a stalled server */
    int retries;
    char **kpis;  /* kolada */
    size_t nkpis;
    int kpis_given; /* the config lists them; else the definitions' (uf_config_kolada_kpis) */
    char **areas; /* kolada */
    size_t nareas;
    int years;
    int required; /* kolada: a failure stops the run (else the report goes without it) */
    /* odbc (ingest/odbc.c): a DSN of odbc.ini or a connection string, and
     * where the password is; the config never holds the password itself. */
    char *dsn;
    char *connection;
    char *user; /* UID, unless the connection string names it */
    char *password_env;
    char *password_file;
    char *query;      /* the SQL inline, or */
    char *query_file; /* its file (resolved), and */
    char *query_name; /* that file as the config names it, for messages */
    int months;       /* {from} is the first day of P-(months-1), {to} P's last */
    long login_timeout_s;
} uf_source;

typedef struct {
    char *path; /* as named on the command line */
    char *dir;  /* its folder: relative paths below are resolved against it */
    char *region_name;
    char *kolada_id;
    char *board;
    char *extracts; /* resolved; may contain {period} */
    char *archive;
    char *reports;
    char *targets;
    char *comments;   /* NULL when left out */
    char *indicators; /* a region's own definitions, NULL when left out */
    uf_owner *owners;
    size_t nowners;
    /* What is the same for every period; approval is per period
     * (`uppfolj approve`, uf_edition). */
    struct {
        char *id, *version, *prepared_by, *reviewed_by;
    } document;
    /* "files": the published files' names (publish/outputs.c expands them):
     * a template per file, NULL for the default, and what they may name. */
    struct {
        char *pdf, *xlsx, *csv;             /* "{region}-{diarienummer}-bilaga-{bilaga}-{period}.pdf" */
        char *region, *diarienummer, *bilaga; /* NULL when not given */
    } files;
    char *work; /* locks and staging folders: beside the reports, never in them */
    uf_colmap *columns; /* "columns": {"kontakter.csv": {"kontaktdatum": "KontaktDatum"}} */
    size_t ncolumns;
    uf_source *sources;
    size_t nsources;
    int internal; /* resultat-P.csv keeps suppressed counts */
    /* "completeness": "preliminary": a month whose extracts miss a unit or a
     * file is published marked preliminär; "stop" (the default) refuses it. */
    int completeness_preliminary;
    /* "units_listed": the PDF lists every unit up to this many, past it the
     * units outside the funnel's limits (0 when left out: 40). */
    long units_listed;
} uf_config;

/* ingest/indicators.c — indicator definitions, one JSON file each. */
typedef enum { UF_KIND_PERCENT, UF_KIND_COUNT, UF_KIND_INDEX } uf_kind; /* "procent" "antal" "index" */
typedef enum {
    UF_DER_BEDOMNING_3D,
    UF_DER_TELEFON_SAMMA_DAG,
    UF_DER_FAST_LAKARKONTAKT,
    UF_DER_FAST_LAKARKONTAKT_SABO,
    UF_DER_LISTADE_PER_FAST_LAKARE,
    UF_DER_KONTINUITET_COC,
    UF_DER_KONTINUITET_UPC,
    UF_DER_AGGREGAT,
    UF_DER__COUNT
} uf_derivation;
typedef enum { UF_AGG_SUM, UF_AGG_LAST } uf_aggregation; /* how YTD and tertial combine months */

/* The longest continuity window: the trend's months and the window's share
 * one 32-bit mask per visit (compute/derive/kontinuitet.c). */
#define UF_WINDOW_MAX 20

/* A derivation's parameters ("parameters" in the definition), so that a
 * variant of a derivation is a JSON file, not C.  Each derivation reads its
 * own; the others keep their defaults. */
typedef struct {
    /* kontinuitet_coc, kontinuitet_upc */
    char **professions; /* the yrke values counted (any case); NULL: every profession */
    size_t nprofessions;
    char *subgroup;     /* a flag of listning.csv ("sabo"): only patients listed with it J */
    int window;         /* months ending with the cell's month: 18 (at most UF_WINDOW_MAX) */
    int min_visits;     /* patients with fewer counted visits are left out: 2 */
    /* bedomning_3d */
    int completed_only; /* denominator: the completed medical assessments (Väntetider i vården) */
    char *scope;        /* a flag of kontakter.csv ("vardgaranti") a row must have J to count */
    /* listade_per_fast_lakare */
    int per_fte;        /* per full-time fixed GP from lakare.csv (ST doctors count half) */
} uf_params;

/* A documented break in a Kolada series: from year on the figures are not
 * comparable with those before. */
typedef struct {
    int year;
    char *note; /* what changed, for the reader */
} uf_kolada_break;

typedef struct {
    char *id;          /* "bedomning_3d" */
    char *name;        /* "Medicinsk bedömning inom 3 dagar" */
    char *short_name;  /* "Bedömning 3 dagar": sheet names, table heads (<= 31 chars) */
    char *description; /* the definition, in Swedish */
    char *source;      /* the extract it comes from: "kontakter.csv" */
    char *path;        /* the JSON file it was read from */
    uf_kind kind;
    int direction; /* +1 higher is better, -1 lower is better */
    uf_derivation derivation;
    uf_aggregation aggregation;
    int decimals;       /* shown decimals; for percent, of the percentage */
    long min_n;         /* n below this: för litet underlag */
    int n_is_numerator; /* n is the numerator (listed patients), not the denominator */
    double tolerance;   /* percent: absolute (0.05 = 5 pp); others: share of the target */
    int order;          /* position in the report */
    char *subgroup_of;  /* the indicator whose population holds this one's, or NULL */
    long subgroup_line; /* where subgroup_of is in the file, for messages */
    int subgroup_column;
    uf_params params;
    /* Facts about the indicator, as data: the Kolada KPI that measures the
     * same thing (the national line), whether it is a share of counts
     * (Wilson's interval applies), the national goal it follows up. */
    char *kolada_kpi;    /* "N79173", or NULL */
    uf_kolada_break *kolada_breaks;
    size_t nkolada_breaks;
    int share;
    char *national_goal; /* "God och nära vård, mål 1", or NULL */
} uf_indicator;

typedef struct {
    size_t n;
    uf_indicator *v;
} uf_indicators;

/* ingest/targets.c — targets.json (SPEC "Targets"): the nämnd's decisions. */
typedef struct {
    char *indicator;
    char *unit; /* NULL: region level */
    double value;
    uf_month from, to; /* to is UF_MONTH_OPEN when open-ended */
    char *decision;
    long line;  /* where "unit" is in the file, for messages; 0 for a region target */
    int column;
} uf_target;

typedef struct {
    size_t n;
    uf_target *v;
    char *path; /* the file, as messages name it */
} uf_targets;

/* ingest/comments.c — the owners' analysis and actions (kommentarer/P.json). */
typedef struct {
    char *action, *owner, *due, *done; /* due "YYYY-MM-DD"; done "" while open */
    char *from; /* carried forward: the period ("2024-06") whose file it came from; else NULL */
} uf_action;

typedef struct {
    char *indicator;
    char *analysis; /* "" when none was written */
    uf_action *actions;
    size_t nactions;
} uf_comment;

typedef struct {
    size_t n;
    uf_comment *v;
} uf_comments;

/* ingest/kolada.c — Kolada v3 comparison figures. */
typedef struct {
    char kpi[16];
    char area[8]; /* "0007", "0000" */
    int year;
    double value;
    int has_value;  /* Kolada's null is kept as missing */
    char status[8]; /* Kolada's status of the T value ("B" ...), "" when none */
} uf_kolada_value;

typedef struct {
    size_t n;
    uf_kolada_value *v;
} uf_kolada;

/* ================================================================= publish
 * A month's inputs as publish/ takes them in, and the store it hands
 * ingest's pulls. */
/* The record of one input, as the manifest lists it (publish/manifest.c):
 * what a pull fills in, what the documents list in "Om rapporten". */
typedef struct {
    char role[32];    /* "extrakt", "config", "targets", "kommentarer", "indikator" */
    char name[128];   /* "kontakter.csv" */
    char origin[512]; /* where it came from: a path or a redacted URL */
    char fetched[32]; /* ISO 8601 UTC time it was read or pulled */
    long long bytes;
    char sha256[65];
    long http_status; /* pulled over HTTP: the final status (200); 0 otherwise */
    char edition[32]; /* role "tidigare": the run time of the edition it was published in */
    char period[8];   /* taken from an edition: that edition's month; "" otherwise */
} uf_input;

/* An edition of a period's report (SPEC "Editions and approval"): its
 * number, whether it is approved (Fastställd) and by which decision, the
 * edition it replaces and why.  publish/ works it out for a run (publish/
 * edition.c), reads it back from a manifest, and render/ prints it. */
typedef struct {
    char by[128];       /* who approved it: "Hälso- och sjukvårdsnämnden" */
    char decision[128]; /* the decision: "HSN 2024-09-18 § 12" */
    int64_t at;         /* when it was recorded, Unix seconds */
} uf_approval;

/* An input that differs from the edition replaced: how. */
typedef enum { UF_INPUT_CHANGED, UF_INPUT_NEW, UF_INPUT_GONE } uf_input_change_kind;
typedef struct {
    char role[32], name[128], period[8]; /* as the inputs' records have them */
    uf_input_change_kind kind;
} uf_input_change;

typedef struct {
    int number; /* 1, 2, ...; 0: the report is no edition (compute, check) */
    int approved;
    uf_approval approval; /* when approved */
    int replaces;         /* the number of the edition it replaces; 0 for the first */
    int64_t replaces_time; /* that edition's run time */
    int replaces_approved;
    uf_approval replaced; /* its approval, when it was approved */
    int forced;           /* published although no input differs (run --force) */
    uf_input_change *changes; /* the inputs that differ from the edition replaced */
    size_t nchanges;
} uf_edition;

/* Where ingest's pulls put what they fetch: publish/ hands them the archive
 * (uf_archive_store), so that ingest never knows it.  A payload is written
 * to a temporary file from tmpfile and handed to put once it is whole;
 * what a pull must parse again (a Kolada page, for its next link) it reads
 * back through read, from what was stored and checked. */
typedef struct uf_store uf_store;
struct uf_store {
    const char *dir; /* the archive */
    int (*tmpfile)(const uf_store *st, const char *prefix, uf_tmpfile *t, uf_error *err);
    /* Stores the file at path: fills in->sha256, bytes, fetched and origin. */
    int (*put)(const uf_store *st, const char *path, uf_input *in, uf_error *err);
    /* Opens what put stored as in, checked against its hash (what names it
     * in messages), and hands its path to read. */
    int (*read)(const uf_store *st, const uf_input *in, const char *what,
                int (*read)(const char *path, void *arg, uf_error *err), void *arg,
                uf_error *err);
};

/* Everything one month's report is made of, as publish/inputs.c takes it
 * in: from the config's folders and sources (archiving each file before it
 * is read) or, for a re-run, from a manifest and the archive alone. */
enum { UF_MAX_EXTRACTS = 8, UF_MAX_EDITIONS = 13 };

typedef struct {
    const char *name; /* "kontakter.csv" */
    const char *path; /* where its bytes are */
    const char *display; /* how messages name it, when not by name: its source */
} uf_extract;

typedef struct {
    uf_month period;
    uf_config cfg; /* loaded by the caller for from_config; by from_manifest */
    int have_cfg;
    uf_indicators inds;
    uf_targets targets;
    uf_comments comments;
    /* check and run: a faulty targets.json or comments file is listed here
     * and the rest read all the same, so that one pass names every fault
     * (the month is refused all the same); NULL: the fault stops at once */
    uf_errors *faults;
    uf_extract extracts[UF_MAX_EXTRACTS];
    char *extract_paths[UF_MAX_EXTRACTS];
    char *extract_displays[UF_MAX_EXTRACTS];
    size_t nextracts;
    uf_input *inputs; /* in the order they were taken in: the manifest's order */
    size_t ninputs;
    uf_kolada kolada;
    char *kolada_missing; /* why the comparison is left out (a failed pull's note), or NULL */
    /* The latest published resultat file of each month P..P-12 (P's own is
     * the edition this run replaces), archived as role "tidigare". */
    struct {
        char period[8];
        char name[128];   /* the file as published, for messages: "resultat-2024-07.csv" */
        char edition[32]; /* its run time */
        char *path;
    } editions[UF_MAX_EDITIONS];
    size_t neditions;
    char *scratch; /* re-run: a temporary folder holding the archived definitions */
    struct uf_object *objects; /* every archive object read, checked and held open */
    size_t nobjects;
    uf_build recorded; /* re-run: what made the run's bytes, as its manifest says */
    uf_edition edition; /* run, approve, rerun: the edition these inputs make */
} uf_inputs;

/* =================================================================== compute
 * The report compute/ makes, for render/ and publish/. */
enum { UF_TREND = 13, UF_COL_YTD = 13, UF_COL_TERTIAL = 14, UF_NCOLS = 15 };
/* Columns of a series: 0..12 are the months P-12..P, then year to date and
 * the tertial to date (the whole tertial when P closes it). */

typedef enum {
    UF_ST_MISSING, /* no data for this cell: shown as missing, never estimated */
    UF_ST_NOTARGET, /* inget_mal */
    UF_ST_MET,      /* uppnatt */
    UF_ST_NEAR,     /* nara */
    UF_ST_MISSED,   /* ej_uppnatt */
    UF_ST_SMALL,    /* for_litet_underlag: value suppressed in every output */
    UF_ST_NODATA,   /* underlag_saknas: the extract the indicator needs is missing */
    UF_ST_HIDDEN,   /* dold: n is enough, but the value would give back a suppressed
                     * one by subtraction (compute/suppress.c); hidden alike */
} uf_status;
enum { UF_NSTATUS = UF_ST_HIDDEN + 1 }; /* outside the enum: switches stay exhaustive */

typedef struct {
    double num, den;         /* for a mean indicator: sum of values, patients */
    double sq;               /* a mean over patients: the sum of the values squared, for the
                              * spread a funnel plot's limits need; 0 where not computed */
    const uf_target *target; /* in force for this cell, or NULL */
    uf_status status;
    uf_status judged;        /* status before secondary suppression: compute's stdout */
    unsigned char present;   /* the extracts covered this cell */
} uf_cell;

typedef struct {
    char *id, *name, *regi, *kommun;
    int known; /* listed in enheter.csv */
} uf_unit;

typedef struct {
    const uf_indicator *ind;
    int computed;   /* 0 when its extract was not there */
    const char *lacks; /* that extract, when the report says "underlag saknas" (not
                        * compute --data, which leaves the indicator out) */
    uf_cell *cells; /* (nunits + 1) rows of UF_NCOLS; row 0 is the region */
} uf_series;

/* A data-quality finding, counted per file and reason (Datakvalitet). */
typedef struct {
    char file[64];
    char reason[200];
    long count;
    long lines[5]; /* the first lines where it was seen; 0 when not a row */
    int nlines;
} uf_issue;

typedef struct {
    char file[64];
    long read, rejected;
} uf_fileinfo;

typedef struct {
    uf_month period;
    size_t nunits;
    uf_unit *units; /* sorted by id; units known only from the data come too */
    size_t nseries;
    uf_series *series; /* in the indicators' order */
    size_t nissues;
    uf_issue *issues;
    size_t nfiles;
    uf_fileinfo *files;
    int preliminary; /* published although data are known to be incomplete */
} uf_report;

/* A figure that differs from the one previously published (Ändringar). */
typedef struct {
    char indicator[64];
    char unit[64];   /* "REGION" for the region */
    char period[16]; /* "2024-07" */
    double old_value, new_value; /* NAN when absent or suppressed */
    char old_edition[32]; /* run time of the edition it was published in */
} uf_change;

typedef struct {
    size_t n;
    uf_change *v;
} uf_changes;

/* ==================================================================== render
 * What render/ writes documents from: the report and what goes with it. */
typedef struct {
    const uf_report *report;
    const uf_config *cfg; /* region, board, owners, document block */
    const uf_indicators *inds;
    const uf_targets *targets;
    const uf_comments *comments;
    int64_t run_time; /* Unix seconds recorded in the manifest; documents show it */
    const uf_input *inputs; /* for "Om rapporten" */
    size_t ninputs;
    const uf_kolada *kolada; /* comparison figures pulled from Kolada, or NULL */
    const char *kolada_missing; /* why there are none: the pull failed; or NULL */
    const uf_changes *changes; /* restatements against earlier editions, or NULL */
    const uf_build *build; /* program, libraries, PDF fonts: "Om rapporten", the manifest */
    const uf_edition *edition; /* the edition published, or NULL (compute, check) */
} uf_doc;

#endif
