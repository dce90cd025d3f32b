/* uppfolj.h — the plain structs that carry one month's follow-up from
 * ingest/ through compute/ to render/, and the functions each part offers.
 *
 * Data flows one way: ingest reads bytes into typed values, compute turns
 * them into a uf_report, render writes a uf_report out.  main.c wires the
 * parts together and is the only place that knows about the command line.
 *
 * One public prefix: uf_.  Functions are prefixed by the object they work on
 * (uf_csv_, uf_config_, uf_targets_, uf_report_, uf_render_ ...).  Functions
 * that can fail return 0 on success and -1 on failure, filling a uf_error. */
#ifndef UPPFOLJ_H
#define UPPFOLJ_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ===================================================================== core
 * core/error.c — an error carries where (source, line, column) and what. */
typedef enum {
    UF_OK = 0,
    UF_ERR_USAGE,   /* bad command line                           exit 2 */
    UF_ERR_INPUT,   /* an extract was rejected                    exit 3 */
    UF_ERR_CONFIG,  /* config, targets, comments or definitions   exit 3 */
    UF_ERR_IO,      /* a file could not be read or written        exit 1 */
    UF_ERR_NETWORK, /* a source could not be pulled               exit 1 */
    UF_ERR_RENDER,  /* a document could not be written            exit 1 */
    UF_ERR_LOCKED,  /* another run holds the period               exit 1 */
    UF_ERR__COUNT
} uf_code;

typedef struct {
    uf_code code;
    char source[256];     /* the file as the user knows it, or a redacted URL */
    long line;            /* 1-based; 0 when the whole source is meant */
    int column;           /* 1-based; 0 when not applicable */
    char column_name[64]; /* the header name of that column, "" if none */
    char text[512];       /* what was wrong and what was expected, in Swedish */
} uf_error;

void uf_error_set(uf_error *e, uf_code code, const char *source, long line, int column,
                  const char *column_name, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
const char *uf_strerror(uf_code code);
const char *uf_strerrno(int errnum); /* errno in Swedish, for messages */
/* A path that should name a file names something else (mode from stat): a
 * FIFO, a folder, a device.  Fills e (UF_ERR_INPUT) with what it is. */
void uf_error_not_file(uf_error *e, const char *source, unsigned mode);
int uf_exit_code(uf_code code);
/* One line: "kontakter.csv, rad 12, kolumn 3 (bedomningsdatum): text". */
void uf_error_print(const uf_error *e, FILE *out);

/* core/alloc.c — allocation failure ends the program with a message
 * (uf_fatal); nothing in uppfolj can usefully go on without memory. */
/* "uppfolj: what" on stderr, then the end the program chose (main.c: exit
 * 1; abort until one is chosen).  For what cannot go on: no memory, a
 * table past its fixed limit. */
void uf_fatal(const char *what) __attribute__((noreturn));
void uf_fatal_policy(void (*end)(void));
void *uf_xmalloc(size_t n);
void *uf_xcalloc(size_t n, size_t size);
void *uf_xrealloc(void *p, size_t n);
char *uf_xstrdup(const char *s);
char *uf_xstrndup(const char *s, size_t n);
char *uf_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* core/log.c — messages on stderr.  Progress only when stderr is a terminal. */
extern int uf_quiet;
void uf_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "uppfolj: varning: ..." on stderr, even with --quiet: something the
 * controller must see although the run goes on. */
void uf_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void uf_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void uf_progress_done(void);

/* core/cleanup.c — paths that SIGTERM, SIGINT or SIGHUP must not leave
 * behind (temporary archive files, the staging folder): the handler removes
 * them and the run dies of the signal.  SIGXFSZ is ignored, so an oversized
 * file is a write error.  uf_cleanup_add returns a slot for uf_cleanup_forget. */
void uf_cleanup_signals(void);
int uf_cleanup_add(const char *path, int dir);
void uf_cleanup_forget(int slot);
/* Defers those signals (nested); held signals are delivered on the last
 * release, or never if the process exits first. */
void uf_cleanup_hold(void);
void uf_cleanup_release(void);
/* core/fs.c — a folder made when missing (one that exists is fine), a file
 * or folder flushed to disk, and a temporary file in dir (made if missing),
 * named prefix-XXXXXX, flocked while it lives and removed on a signal;
 * placed: it was renamed away, so it is not unlinked. */
int uf_mkdir(const char *path, uf_error *err);
void uf_fsync_path(const char *path);
typedef struct {
    int fd;
    char *path;
    int slot;
} uf_tmpfile;
int uf_tmpfile_open(uf_tmpfile *t, const char *dir, const char *prefix, uf_error *err);
void uf_tmpfile_close(uf_tmpfile *t, int placed);
/* core/build.c — what makes a report's bytes besides its inputs: this
 * program (its version from meson, the source revision it was built from),
 * the libraries that lay out, shape and write the files in the versions
 * loaded at run time, and the font files the PDF embeds.  The manifest and
 * "Om rapporten" record them; rerun compares them with a run's record. */
extern const char uf_version[];  /* meson's project version, "0.1.0" */
extern const char uf_revision[]; /* git describe at build time, or "okänd" */

enum { UF_NLIBS = 8 };
extern const char *const uf_build_lib_names[UF_NLIBS]; /* "cairo", "pango", ... */

typedef struct {
    char *file; /* the path fontconfig gave the PDF's font */
    long long bytes;
    char sha256[65];
} uf_font;

typedef struct {
    char *version, *revision;  /* NULL: not recorded (older manifests) */
    char *libs[UF_NLIBS];      /* in uf_build_lib_names' order; NULL: not recorded */
    uf_font *fonts;            /* embedded in the PDF, by file name */
    size_t nfonts;
    int fonts_known;           /* the fonts are recorded, if only as none */
} uf_build;

void uf_build_now(uf_build *b); /* this program and its libraries; no fonts yet */
/* Writes a warning line to out for each way now differs from was, and one
 * when was lacks a field (an older manifest); returns how many. */
size_t uf_build_differences(const uf_build *was, const uf_build *now, FILE *out);
void uf_build_clear_fonts(uf_build *b);
void uf_build_free(uf_build *b);

/* core/calendar.c — civil dates with no time zone: the extracts hold local
 * (Europe/Stockholm) dates and times, and "same day" compares local dates. */
typedef int32_t uf_day;   /* days since 1970-01-01, proleptic Gregorian */
typedef int32_t uf_month; /* year * 12 + (month - 1) */
#define UF_MONTH_OPEN INT32_MAX /* the "to" of an open-ended target */

uf_day uf_day_make(int year, int month, int day); /* no validation */
void uf_day_split(uf_day d, int *year, int *month, int *day);
int uf_day_valid(int year, int month, int day);
int uf_days_in_month(int year, int month);
int uf_weekday(uf_day d); /* 0 Monday .. 6 Sunday */
uf_month uf_month_make(int year, int month);
uf_month uf_month_of(uf_day d);
int uf_month_year(uf_month m);
int uf_month_number(uf_month m); /* 1..12 */
int uf_month_parse(const char *s, uf_month *out); /* strict "YYYY-MM" */
void uf_month_format(uf_month m, char out[8]);    /* "2024-08" */
void uf_day_format(uf_day d, char out[11]);       /* "2024-08-30" */
const char *uf_month_name_sv(int month);          /* 1 -> "januari" */
int uf_tertial(uf_month m);                       /* 1..3 */
uf_month uf_tertial_first(uf_month m);            /* Jan, May or Sep of m's year */

/* core/stockholm.c — a time as Europe/Stockholm shows it, summer time by
 * the EU rule, whatever the machine's zone. */
void uf_fmt_time_sv(int64_t t, char *out, size_t n);  /* "2024-09-06 07:15" */
void uf_fmt_time_iso(int64_t t, char *out, size_t n); /* "2024-09-06T07:15:00+02:00" */

/* core/strtab.c — interns strings to dense indices; built for millions of
 * keys (patient pseudonyms) with one arena, no per-key allocation. */
typedef struct uf_strtab uf_strtab;
uf_strtab *uf_strtab_new(void);
uint32_t uf_strtab_intern(uf_strtab *t, const char *s, size_t len, int *added);
int64_t uf_strtab_find(const uf_strtab *t, const char *s, size_t len); /* -1 if absent */
const char *uf_strtab_str(const uf_strtab *t, uint32_t i);
size_t uf_strtab_count(const uf_strtab *t);
void uf_strtab_free(uf_strtab *t);
/* The table's hash of a key, computed once where the key is parsed, so that
 * readers can split keys among threads by it (its top bit) and intern with it. */
uint32_t uf_strtab_hash(const char *s, size_t len);
uint32_t uf_strtab_intern_hashed(uf_strtab *t, const char *s, size_t len, uint32_t hash,
                                 int *added);
/* A batch of keys is interned fastest when the slot of a key a few ahead is
 * prefetched, and a little later the key it most likely points at. */
void uf_strtab_prefetch(const uf_strtab *t, uint32_t hash);
void uf_strtab_prefetch_key(const uf_strtab *t, uint32_t hash);

/* =================================================================== ingest
 * ingest/fields.c — the field syntaxes of SPEC "Inputs".  Each returns 0 on
 * success, -1 when the text is not of the form (the caller reports it). */
int uf_parse_date(const char *s, size_t len, uf_day *out);        /* YYYY-MM-DD */
int uf_parse_timestamp(const char *s, size_t len, uf_day *day,    /* YYYY-MM-DD[ T]HH:MM[:SS] */
                       int *minute_of_day);
int uf_parse_flag(const char *s, size_t len, int *out);           /* J/N 1/0 ja/nej, any case */
int uf_parse_number(const char *s, size_t len, double *out);      /* decimal comma or point */
/* Case-insensitive UTF-8 equality: folds ASCII and Latin-1 letters (Ä = ä). */
int uf_utf8_caseeq(const char *a, size_t alen, const char *b, size_t blen);
/* Folds s in place the same way (its length stays): equal after folding is
 * uf_utf8_caseeq, so folded keys can be sorted and compared. */
void uf_utf8_fold(char *s, size_t len);

/* ingest/csv.c — one streaming reader for every extract.  Delimiter ';' or
 * ',' detected from the header, BOM tolerated, LF or CRLF, RFC 4180 quotes,
 * header names matched case-insensitively, renames from the config.  Memory
 * does not grow with the number of rows. */
enum {
    UF_COL_REQUIRED = 1, /* the header must have it (a plain 1 means this too) */
    UF_COL_ID = 2,       /* an identifier: a control character in it rejects the row */
};
typedef struct {
    const char *name; /* canonical column name, lower case: "enhet_id" */
    int flags;        /* UF_COL_REQUIRED, UF_COL_ID */
} uf_column;

typedef struct {
    const char *canonical; /* "kontaktdatum" */
    const char *header;    /* the name in this region's file: "KontaktDatum" */
} uf_rename;

typedef struct uf_csv uf_csv;
/* display is the name used in messages ("kontakter.csv"); path is where the
 * bytes are (an archive object, say). */
uf_csv *uf_csv_open(const char *path, const char *display, const uf_column *cols, size_t ncols,
                    const uf_rename *renames, size_t nrenames, uf_error *err);
/* 1 a row, 0 end of file, -1 error.  SPEC: identifiers hold no control
 * characters (C0, DEL, C1): one in an id column is an error that names its
 * position and code point, never the value (it may be a patient id). */
int uf_csv_next(uf_csv *c, uf_error *err);
/* Field of column col (index into cols) of the current row, NUL-terminated,
 * valid until the next uf_csv_next; "" when the file lacks an optional column. */
const char *uf_csv_get(const uf_csv *c, size_t col, size_t *len);
int uf_csv_has(const uf_csv *c, size_t col); /* the file has this column */
long uf_csv_line(const uf_csv *c);           /* line where the current row starts */
const char *uf_csv_display(const uf_csv *c);
/* Fill err for column col of the current row: "väntade <expected>", quoting the
 * value only when echo is set (never for patient ids). */
void uf_csv_field_error(const uf_csv *c, size_t col, int echo, const char *expected, uf_error *err);
void uf_csv_close(uf_csv *c);

/* ingest/indicators.c — indicator definitions as data: one JSON file per
 * indicator in indicators/, plus a region's own folder (config "indicators"). */
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
} uf_indicator;

typedef struct {
    size_t n;
    uf_indicator *v;
} uf_indicators;

/* Reads every *.json in builtin_dir, then in extra_dir (may be NULL; an id
 * there replaces the built-in), sorted by order then id. */
int uf_indicators_load(const char *builtin_dir, const char *extra_dir, uf_indicators *out,
                       uf_error *err);
const uf_indicator *uf_indicators_find(const uf_indicators *inds, const char *id);
const char *uf_derivation_name(uf_derivation d);
const char *uf_derivation_source(uf_derivation d); /* the extract it reads */
void uf_indicators_free(uf_indicators *inds);

/* ingest/config.c — uppfolj.json (SPEC "Config").  Unknown keys are errors. */
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
    char *kind;       /* "http" or "kolada" */
    char *file;       /* http: the extract it delivers */
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
    char **areas; /* kolada */
    size_t nareas;
    int years;
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
    struct {
        char *id, *version, *prepared_by, *reviewed_by, *approved_by;
    } document;
    uf_colmap *columns; /* "columns": {"kontakter.csv": {"kontaktdatum": "KontaktDatum"}} */
    size_t ncolumns;
    uf_source *sources;
    size_t nsources;
    int internal; /* resultat-P.csv keeps suppressed counts */
    /* "completeness": "preliminary": a month whose extracts miss a unit or a
     * file is published marked preliminär; "stop" (the default) refuses it. */
    int completeness_preliminary;
} uf_config;

int uf_config_load(const char *path, uf_config *cfg, uf_error *err);
char *uf_config_expand(const char *pattern, uf_month period); /* "{period}" -> "2024-08" */
const char *uf_config_owner(const uf_config *cfg, const char *indicator); /* NULL if none */
const uf_colmap *uf_config_columns(const uf_config *cfg, const char *file); /* NULL if none */
void uf_config_free(uf_config *cfg);
/* Once the indicators are loaded: every key of "owners" must name one. */
int uf_config_check_owners(const uf_config *cfg, const uf_indicators *inds, uf_error *err);

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

/* Rejects unknown indicators, malformed periods, from after to, and two
 * targets for the same indicator, level and period. */
int uf_targets_load(const char *path, const uf_indicators *inds, uf_targets *out, uf_error *err);
/* "målet för bedomning_3d ("Avtal VC07 2024", 2024-01–tills vidare)", for
 * messages about t; with span 0 without the months. */
void uf_target_describe(const uf_target *t, int with_span, char *out, size_t n);
/* The target in force for unit (NULL: region) in month m: a unit-level
 * target overrides the region's.  NULL when none is in force. */
const uf_target *uf_targets_find(const uf_targets *t, const char *indicator, const char *unit,
                                 uf_month m);
void uf_targets_free(uf_targets *t);

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

/* Reads path (a missing file means no comments); messages name display
 * (NULL: path). */
int uf_comments_load(const char *path, const char *display, const uf_indicators *inds,
                     uf_comments *out, uf_error *err);
const uf_comment *uf_comments_find(const uf_comments *c, const char *indicator);
/* Adds to now the actions of an earlier month's comments that are still open
 * and that now does not mention, marked as carried from that period: an
 * action cannot disappear by being left out of next month's file. */
void uf_comments_carry(uf_comments *now, const uf_comments *earlier, const char *from);
void uf_comments_free(uf_comments *c);

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
} uf_input;

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

/* ingest/url.c — secrets in URLs. */
/* Redacts secrets (token=, key=, password=, user:password@) in a URL. */
char *uf_url_redact(const char *url);
/* The secret a URL carries, for a message: "parametern \"api_key\"" or
 * "användare och lösenord före @"; NULL when it carries none that
 * uf_url_redact would hide. */
const char *uf_url_secret(const char *url, char *buf, size_t n);

/* ingest/http.c — one HTTP GET into a store.  Retries with exponential
 * backoff and jitter on 429 (honouring Retry-After), 5xx and network errors;
 * other 4xx fail at once.  TLS is always verified; plain http:// only to
 * loopback.  The body goes to a temporary file, then into the archive: no
 * partial object ever exists.  Secrets never reach a message. */
#define UF_DEADLINE_S 1800L /* a source's whole fetch, unless its config says */
typedef struct {
    const char *source_id;  /* for messages: "samtal-dw" */
    const char *token;      /* bearer token, or NULL; never logged */
    long timeout_s;         /* per request: silence, or less than min_bytes_per_s, this long */
    long deadline_s;        /* for the whole fetch, retries included; 0: UF_DEADLINE_S */
    long min_bytes_per_s;   /* 0: 1024 */
    int retries;
    long long max_bytes;    /* larger bodies are refused */
    const char *ca_bundle;  /* NULL: the system's */
    const char *accept;     /* expected content type prefix, or NULL */
    long backoff_ms;        /* wait before the first retry, doubled each time; 0: 1000 */
    int page;               /* shown in progress for paged sources; 0 when not paged */
} uf_http_opts;

int uf_http_get(const char *url, const uf_http_opts *o, const uf_store *st, uf_input *in,
                long *status, uf_error *err);

/* ingest/kolada.c — Kolada v3 comparison figures. */
typedef struct {
    char kpi[16];
    char area[8]; /* "0007", "0000" */
    int year;
    double value;
    int has_value; /* Kolada's null is kept as missing */
} uf_kolada_value;

typedef struct {
    size_t n;
    uf_kolada_value *v;
} uf_kolada;

/* Parses one archived Kolada page; next_url (or v2's next_page) is returned
 * in *next (NULL at the last page).  Values are appended to out. */
int uf_kolada_parse(const char *path, const char *display, uf_kolada *out, char **next,
                    uf_error *err);
void uf_kolada_free(uf_kolada *k);

/* ingest/rows.c — a data warehouse's JSON rows (SPEC "pulled over HTTP"):
 * an http source with "format": "json" delivers an extract's rows as a list
 * of objects, or {"rows": [...]} / {"data": [...]}, keyed by its column
 * names.  The payload is archived as "<stem>.json" (uf_source.file holds
 * that name: "samtal.json" for samtal.csv) and converted into the CSV that
 * compute reads; the archived JSON stays the input of record. */
char *uf_rows_payload(const char *extract); /* "samtal.csv" -> "samtal.json" */
/* "samtal.json" -> "samtal.csv" into out; 0 when payload is not JSON rows. */
int uf_rows_extract(const char *payload, char *out, size_t n);
/* Writes the rows at path as a ';' CSV at csv_path: the header is the union
 * of the keys (matched case-insensitively) in first-seen order; strings as
 * they are, numbers with a decimal point, true/false J/N, null "".  The same
 * payload always gives the same bytes.  display: the extract, for messages. */
int uf_rows_to_csv(const char *path, const char *display, const char *csv_path, uf_error *err);

/* ingest/fetch.c — pulls every source of the config for a period into st,
 * appending one uf_input per payload (role "http" or "kolada"). */
int uf_fetch_sources(const uf_config *cfg, uf_month period, const uf_store *st, uf_input **inputs,
                     size_t *ninputs, uf_error *err);

/* Everything one month's report is made of, as publish/inputs.c takes it
 * in: from the config's folders and sources (archiving each file before it
 * is read) or, for a re-run, from a manifest and the archive alone. */
/* UF_CARRY_MONTHS: how far back open actions are carried from. */
enum { UF_MAX_EXTRACTS = 8, UF_MAX_EDITIONS = 13, UF_CARRY_MONTHS = 24 };

typedef struct {
    const char *name; /* "kontakter.csv" */
    const char *path; /* where its bytes are */
} uf_extract;


typedef struct {
    uf_month period;
    uf_config cfg; /* loaded by the caller for from_config; by from_manifest */
    int have_cfg;
    uf_indicators inds;
    uf_targets targets;
    uf_comments comments;
    uf_extract extracts[UF_MAX_EXTRACTS];
    char *extract_paths[UF_MAX_EXTRACTS];
    size_t nextracts;
    uf_input *inputs; /* in the order they were taken in: the manifest's order */
    size_t ninputs;
    uf_kolada kolada;
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
} uf_inputs;
/* ================================================================== compute */
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
} uf_status;

typedef struct {
    double num, den;         /* for a mean indicator: sum of values, patients */
    const uf_target *target; /* in force for this cell, or NULL */
    uf_status status;
    unsigned char present;   /* the extracts covered this cell */
} uf_cell;

typedef struct {
    char *id, *name, *regi, *kommun;
    int known; /* listed in enheter.csv */
} uf_unit;

typedef struct {
    const uf_indicator *ind;
    int computed;   /* 0 when its extract was not there (compute --data) */
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
} uf_compute_in;

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

/* compute/changes.c — figures of this report that differ from what an
 * earlier edition published for the same unit and month (restatements).
 * Editions are searched newest period first; the first figure found is
 * the one last published. */
int uf_changes_find(const uf_report *r, const uf_inputs *in, uf_changes *out, uf_error *err);
void uf_changes_free(uf_changes *c);

/* compute/compute.c */
int uf_compute(const uf_compute_in *in, uf_report *out, uf_error *err);
uf_cell *uf_report_cell(const uf_report *r, size_t series, size_t row, int col);
long uf_report_row(const uf_report *r, const char *unit);         /* "REGION" is 0; -1 unknown */
long uf_report_series(const uf_report *r, const char *indicator); /* computed ones; -1 none */
double uf_cell_value(const uf_cell *c); /* num / den; NAN when absent */
long uf_cell_n(const uf_cell *c, const uf_indicator *ind);
const char *uf_status_word(uf_status s); /* "uppnatt", ... as in resultat-P.csv */
const char *uf_status_label(uf_status s); /* "Uppnått", ... for people */
void uf_report_free(uf_report *r);

/* =================================================================== render */
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
    const uf_changes *changes; /* restatements against earlier editions, or NULL */
    const uf_build *build; /* program, libraries, PDF fonts: "Om rapporten", the manifest */
} uf_doc;

/* render/format.c — a month for people, in Swedish: "augusti 2024". */
void uf_fmt_period_sv(uf_month m, char *out, size_t n);

/* render/doc.c — the marks a report puts on an indicator; `check` lists
 * them before the run with the very same rules. */
int uf_doc_analysis_missing(const uf_doc *d, size_t s); /* nära/ej uppnått, no analysis */
int uf_doc_action_overdue(const uf_doc *d, const uf_action *a); /* due by P's end, open */

/* render/resultat.c — resultat-P.csv; unsuppressed for compute's stdout. */
int uf_render_resultat(const uf_doc *d, FILE *out, int unsuppressed, uf_error *err);
/* render/xlsx.c and render/pdf.c.  The PDF comes first: fonts (when not
 * NULL) receives the font files it embeds, in name order, which publishing
 * hashes (uf_build_hash_fonts) and the workbook's "Om rapporten" and the
 * manifest then list. */
int uf_render_xlsx(const uf_doc *d, const char *path, uf_error *err);
int uf_render_pdf(const uf_doc *d, const char *path, uf_build *fonts, uf_error *err);

/* ================================================================= generate
 * generate/generate.c — a synthetic region, deterministic from the seed. */
typedef struct {
    const char *out_dir;
    long units;
    long patients;
    int months;      /* months of visits ending with period (30 by default) */
    uint64_t seed;
    uf_month period; /* the last month generated */
} uf_gen_opts;

int uf_generate(const uf_gen_opts *o, uf_error *err);

#endif
