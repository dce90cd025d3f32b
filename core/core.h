/* core/core.h — what every stage uses: errors, allocation and giving up,
 * logging and progress, clean-up on signals, the file system's folders and
 * temporary files, the build record, the calendar, Stockholm time, string
 * interning and UTF-8 case folding.  core/ uses only libc (and, for the
 * build record, asks the libraries it names their versions).
 *
 * Functions that can fail return 0 on success and -1 on failure, filling a
 * uf_error. */
#ifndef UF_CORE_H
#define UF_CORE_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* core/error.c — an error carries where (source, line, column) and what. */
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
const char *uf_strerror(uf_code code); /* the code's words: "indata avvisades" */
const char *uf_strerrno(int errnum);    /* errno in Swedish, for messages */
/* A path that should name a file names something else (mode from stat): a
 * FIFO, a folder, a device.  Fills e (UF_ERR_INPUT) with what it is. */
void uf_error_not_file(uf_error *e, const char *source, unsigned mode);
int uf_exit_code(uf_code code);
/* One line: "kontakter.csv, rad 12, kolumn 3 (bedomningsdatum): text". */
void uf_error_print(const uf_error *e, FILE *out);

/* Every fault found in one pass over a month's inputs (SPEC: check and a
 * rejected run list them all), so that a file with two bad rows, or a
 * folder with three bad files, is fixed in one round.  The first
 * UF_ERRORS_SHOWN of each source are kept, the rest only counted. */
enum { UF_ERRORS_SHOWN = 20 };
typedef struct {
    char source[256];
    size_t shown;
    long more;   /* faults past the first UF_ERRORS_SHOWN */
    int stopped; /* the last one ended the reading of the source */
} uf_errors_source;
typedef struct {
    uf_error *v; /* those shown, in the order found */
    size_t n;
    uf_errors_source *src; /* in the order first seen */
    size_t nsrc;
} uf_errors;
void uf_errors_add(uf_errors *l, const uf_error *e);
void uf_errors_stopped(uf_errors *l, const char *source); /* nothing more of it was read */
/* The faults grouped by source, each as uf_error_print writes it, with the
 * count of the rest and a closing total; nothing when there are none. */
void uf_errors_print(const uf_errors *l, FILE *out);
long uf_errors_count(const uf_errors *l);
void uf_errors_free(uf_errors *l);

/* core/alloc.c — allocation failure ends the program with a message;
 * nothing in uppfolj can usefully go on without memory.  uf_out_of_memory
 * is that end, also for a table in memory that is full (what says which):
 * "uppfolj: slut på minne: what", then the end the program chose with
 * uf_out_of_memory_end (main.c: exit 1; abort until one is chosen). */
__attribute__((noreturn)) void uf_out_of_memory(const char *what);
void uf_out_of_memory_end(void (*end)(void));
void *uf_xmalloc(size_t n);
void *uf_xcalloc(size_t n, size_t size);
void *uf_xrealloc(void *p, size_t n);
/* p's array of old elements of size bytes made n long (n >= old), every
 * byte of the new ones set to byte. */
void *uf_xgrow(void *p, size_t old, size_t n, size_t size, int byte);
/* The room for need elements of an array with room for have: have doubled
 * (first, when have is 0) until it holds them. */
size_t uf_doubled(size_t have, size_t need, size_t first);
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
/* pthread_create for every thread of the program: the thread starts with
 * those signals blocked, so they reach the main thread, which alone changes
 * the table the handler reads. */
int uf_cleanup_thread(pthread_t *th, void *(*fn)(void *), void *arg);
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
/* Removes from dir what killed runs left: files named prefix-XXXXXX for a
 * prefix of prefixes (NULL-terminated) whose lock no living process holds.
 * Returns how many. */
long uf_tmpfile_sweep(const char *dir, const char *const *prefixes);
/* core/build.c — what makes a report's bytes besides its inputs: this
 * program (its version from meson, the source revision it was built from),
 * the libraries that lay out, shape and write the files in the versions
 * loaded at run time, and the font files the PDF embeds.  The manifest and
 * "Om rapporten" record them; rerun compares them with a run's record. */
extern const char uf_version[];  /* meson's project version, "0.1.0" */
extern const char uf_revision[]; /* git describe at build time, or "okänd" */

enum { UF_NLIBS = 9 };
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
/* UTC, as the manifest and the archive's records write times, and back
 * (-1 when s is not such a time). */
void uf_fmt_time_utc(int64_t t, char out[32]); /* "2024-09-06T05:15:00Z" */
int64_t uf_time_utc_parse(const char *s);

/* core/strtab.c — interns strings to dense indices; built for millions of
 * keys (patient pseudonyms) with one arena, no per-key allocation. */
typedef struct uf_strtab uf_strtab;
uf_strtab *uf_strtab_new(void);
uint32_t uf_strtab_intern(uf_strtab *t, const char *s, size_t len, int *added);
int64_t uf_strtab_find(const uf_strtab *t, const char *s, size_t len); /* -1 if absent */
const char *uf_strtab_str(const uf_strtab *t, uint32_t i);
size_t uf_strtab_len(const uf_strtab *t, uint32_t i);
size_t uf_strtab_count(const uf_strtab *t);
void uf_strtab_free(uf_strtab *t);
/* The table's hash of a key, computed once where the key is parsed, so that
 * readers can split keys among threads by it (its top bit) and intern with it. */
uint32_t uf_strtab_hash(const char *s, size_t len);
uint32_t uf_strtab_intern_hashed(uf_strtab *t, const char *s, size_t len, uint32_t hash,
                                 int *added);
int64_t uf_strtab_find_hashed(const uf_strtab *t, const char *s, size_t len, uint32_t hash);
/* Keys interned in random order miss the cache at every lookup; a batch
 * goes fastest when the slot of a key a few ahead is prefetched, and a
 * little later the key it most likely points at.  A loop interning key i of
 * n calls this first; hashes is key 0's hash, the next every stride bytes. */
void uf_strtab_prefetch_ahead(const uf_strtab *t, const uint32_t *hashes, size_t stride,
                              size_t i, size_t n);

/* core/utf8.c — case-insensitive UTF-8 equality: folds ASCII and Latin-1
 * letters (Ä = ä), as header names and flags are matched. */
int uf_utf8_caseeq(const char *a, size_t alen, const char *b, size_t blen);
/* Folds s in place the same way (its length stays): equal after folding is
 * uf_utf8_caseeq, so folded keys can be sorted and compared. */
void uf_utf8_fold(char *s, size_t len);

#endif
