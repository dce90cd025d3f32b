/* ingest/ingest.h — ingest's API: reading the bytes it is given into the
 * typed inputs of uppfolj.h.  ingest/ reads paths (a checked archive
 * object's, or a file's own) and never knows the archive; its pulls put what
 * they fetch through the uf_store publish/ hands them. */
#ifndef UF_INGEST_H
#define UF_INGEST_H

#include "uppfolj.h"

#include <string.h>

/* ingest/fields.c — the field syntaxes of SPEC "Inputs".  Each returns 0 on
 * success, -1 when the text is not of the form (the caller reports it). */
int uf_parse_date(const char *s, size_t len, uf_day *out);        /* YYYY-MM-DD */
int uf_parse_timestamp(const char *s, size_t len, uf_day *day,    /* YYYY-MM-DD[ T]HH:MM[:SS] */
                       int *minute_of_day);
int uf_parse_flag(const char *s, size_t len, int *out);           /* J/N 1/0 ja/nej, any case */
int uf_parse_number(const char *s, size_t len, double *out);      /* decimal comma or point */

/* The months a reader met, so that a date of one costs a compare and two
 * digits: an extract's dates fall in a few dozen months, in whatever order
 * its rows come.  Zeroed to start; one per thread. */
typedef struct {
    struct {
        uint64_t prefix; /* "YYYY-MM-" as it lies in memory; 0 empty */
        uf_day first;    /* the month's first day */
        uf_month month;
        int days;
    } slot[32];
} uf_date_memo;

int uf_parse_date_slow(uf_date_memo *m, const char *s, size_t len, uf_day *day,
                       uf_month *month);

/* uf_parse_date, and the date's month. */
static inline int uf_parse_date_memo(uf_date_memo *m, const char *s, size_t len, uf_day *day,
                                     uf_month *month)
{
    uint64_t w;
    if (len != 10)
        return -1;
    memcpy(&w, s, 8);
    unsigned k = (unsigned)((w * 0x9e3779b97f4a7c15ull) >> 59);
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m->slot[k].prefix == w && s[8] >= '0' && s[8] <= '9' && s[9] >= '0' && s[9] <= '9' &&
        d >= 1 && d <= m->slot[k].days) {
        *day = m->slot[k].first + d - 1;
        *month = m->slot[k].month;
        return 0;
    }
    return uf_parse_date_slow(m, s, len, day, month);
}
/* uf_parse_timestamp, and the date's month, its date through m. */
int uf_parse_timestamp_memo(uf_date_memo *m, const char *s, size_t len, uf_day *day,
                            uf_month *month, int *minute_of_day);

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

typedef struct uf_csv uf_csv;
/* Counts one more row of a finding that starts on line (the first five kept). */
void uf_issue_see(uf_issue *i, long line);
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
/* After uf_csv_next failed: 1 when the fault was the row's own (a field too
 * many, an id with a control character) and the next row can be read, 0
 * when the file cannot be read further (a NUL byte, an open quote, I/O). */
int uf_csv_resumable(const uf_csv *c);
/* Rows holding only delimiters (a spreadsheet's leftovers, ";;;;;") are
 * skipped, never read as a row, and counted (SPEC "Inputs"): so far. */
const uf_issue *uf_csv_hollow_rows(const uf_csv *c);
const char *uf_csv_display(const uf_csv *c);
/* Fill err for column col of the current row: "väntade <expected>", quoting the
 * value only when echo is set (never for patient ids). */
void uf_csv_field_error(const uf_csv *c, size_t col, int echo, const char *expected, uf_error *err);
void uf_csv_close(uf_csv *c);

/* ingest/csv_chunks.c — the rest of an extract that uf_csv_open has opened,
 * read in chunks that threads can take one each: the file is mapped and cut
 * at line ends every 32nd of the file (256 KiB to 8 MiB), and each chunk is
 * read on its own.
 *
 * Only the plain form is read this way: no quotes, no control characters but
 * the line ends (LF, CRLF), valid UTF-8 without C1 controls, and the header's
 * number of fields.  At the first row that is anything else
 * uf_csv_chunk_next says so (-1) and the caller reads the file with
 * uf_csv_next from the start instead, which reports the first fault as for
 * every other extract.  The header (delimiter, names, renames, required and
 * id columns) is the one uf_csv_open read. */
#define UF_CSV_ROW_COLS 8

typedef struct {
    const char *f[UF_CSV_ROW_COLS]; /* by requested column; not NUL-terminated */
    size_t len[UF_CSV_ROW_COLS];
    long chunk; /* -1: line is the file's line; else counted from the chunk's start */
    long line;
} uf_csv_row;

typedef struct uf_csv_chunks uf_csv_chunks;

/* The rows after c's header, c as uf_csv_open left it; NULL when they cannot
 * be read this way (no rows, a file that cannot be mapped, more than
 * UF_CSV_ROW_COLS columns): read them with uf_csv_next. */
uf_csv_chunks *uf_csv_chunks_open(const uf_csv *c);
size_t uf_csv_chunks_count(const uf_csv_chunks *m);
long uf_csv_chunks_first_line(const uf_csv_chunks *m); /* the file's line of chunk 0's start */

/* Where a reader of one chunk is: set by uf_csv_chunk_begin, read line only. */
typedef struct {
    const uf_csv_chunks *m;
    const char *p, *end;
    long chunk;
    long line; /* lines passed in the chunk; all of them once it is read */
    uf_issue hollow; /* its rows of delimiters only; lines counted as line is */
    const char *at;  /* the 64 bytes from here are classified: */
    uint64_t marks;  /* the bytes there that need a look (bit i: at[i]) */
} uf_csv_cursor;

/* Starts reading chunk k into *row, which is uf_csv_chunk_next's to fill
 * (it sets the columns the file lacks to "" here, once). */
void uf_csv_chunk_begin(const uf_csv_chunks *m, size_t k, uf_csv_cursor *cur, uf_csv_row *row);
/* The next row of the chunk, its fields pointing into the mapping: 1 a row,
 * 0 the chunk's end, -1 a row not of the plain form (*row is then not a row:
 * some of its fields may be the stopped row's). */
int uf_csv_chunk_next(uf_csv_cursor *cur, uf_csv_row *row);
/* Chunk k is read: its pages leave the process (the page cache keeps them),
 * so that its size grows with what it knows, not with the file. */
void uf_csv_chunk_forget(const uf_csv_chunks *m, size_t k);
void uf_csv_chunks_close(uf_csv_chunks *m);

/* ingest/indicators.c — indicator definitions as data: one JSON file per
 * indicator in indicators/, plus a region's own folder (config "indicators"). */
/* Reads every *.json in builtin_dir, then in extra_dir (may be NULL; an id
 * there replaces the built-in), sorted by order then id. */
int uf_indicators_load(const char *builtin_dir, const char *extra_dir, uf_indicators *out,
                       uf_error *err);
const uf_indicator *uf_indicators_find(const uf_indicators *inds, const char *id);
const char *uf_derivation_name(uf_derivation d);
const char *uf_derivation_source(uf_derivation d); /* the extract it reads */
/* The same parameters: indicators with the same derivation and parameters
 * share one computation. */
int uf_params_equal(const uf_params *a, const uf_params *b);
/* The optional extract ind needs besides its source ("lakare.csv"), or NULL;
 * without it ind is not computed, and the report says so. */
const char *uf_indicator_needs(const uf_indicator *ind);
void uf_indicators_free(uf_indicators *inds);

/* ingest/config.c — uppfolj.json (SPEC "Config").  Unknown keys are errors. */
int uf_config_load(const char *path, uf_config *cfg, uf_error *err);
/* An archived config as a re-run reads it: one written before approval was
 * per period may still hold document.approved_by, which is handed out in
 * *approved_by (NULL when absent) instead of refused. */
int uf_config_load_archived(const char *path, uf_config *cfg, char **approved_by, uf_error *err);
/* A template of "files" with {period}, {region}, {diarienummer} and
 * {bilaga} put in; the templates were checked when the config was read. */
char *uf_config_file_name(const uf_config *cfg, const char *tmpl, uf_month period);
char *uf_config_expand(const char *pattern, uf_month period); /* "{period}" -> "2024-08" */
const char *uf_config_owner(const uf_config *cfg, const char *indicator); /* NULL if none */
const uf_colmap *uf_config_columns(const uf_config *cfg, const char *file); /* NULL if none */
void uf_config_free(uf_config *cfg);
/* Once the indicators are loaded: every key of "owners" must name one. */
/* A kolada source that lists no "kpis" pulls those the definitions name
 * (kolada_kpi), in their order; with none named, Kolada's defaults. */
void uf_config_kolada_kpis(uf_config *cfg, const uf_indicators *inds);
int uf_config_check_owners(const uf_config *cfg, const uf_indicators *inds, uf_error *err);

/* ingest/targets.c — targets.json (SPEC "Targets"): the nämnd's decisions. */
/* Rejects unknown indicators, malformed periods, from after to, and two
 * targets for the same indicator, level and period.  With faults, every
 * target's fault is added there and the next target read (the file is
 * still refused: -1, err the first); with NULL the first stops it. */
int uf_targets_load(const char *path, const uf_indicators *inds, uf_targets *out,
                    uf_errors *faults, uf_error *err);
/* "målet för bedomning_3d ("Avtal VC07 2024", 2024-01–tills vidare)", for
 * messages about t; with span 0 without the months. */
void uf_target_describe(const uf_target *t, int with_span, char *out, size_t n);
/* The target in force for unit (NULL: region) in month m: a unit-level
 * target overrides the region's.  NULL when none is in force. */
const uf_target *uf_targets_find(const uf_targets *t, const char *indicator, const char *unit,
                                 uf_month m);
void uf_targets_free(uf_targets *t);

/* ingest/comments.c — the owners' analysis and actions (kommentarer/P.json). */
/* Reads path (a missing file means no comments); messages name display
 * (NULL: path).  faults as for uf_targets_load, one per indicator. */
int uf_comments_load(const char *path, const char *display, const uf_indicators *inds,
                     uf_comments *out, uf_errors *faults, uf_error *err);
const uf_comment *uf_comments_find(const uf_comments *c, const char *indicator);
/* Adds to now the actions of an earlier month's comments that are still open
 * and that now does not mention, marked as carried from that period: an
 * action cannot disappear by being left out of next month's file. */
void uf_comments_carry(uf_comments *now, const uf_comments *earlier, const char *from);
void uf_comments_free(uf_comments *c);

/* ingest/kolada.c — Kolada v3 comparison figures. */
/* Parses one archived Kolada page; next_url (or v2's next_page) is returned
 * in *next (NULL at the last page).  Values are appended to out. */
int uf_kolada_parse(const char *path, const char *display, uf_kolada *out, char **next,
                    uf_error *err);
void uf_kolada_free(uf_kolada *k);
/* The role of the note a failed comparison leaves instead of its pages
 * (ingest/fetch.c): its text is why, read by publish/inputs.c. */
#define UF_KOLADA_MISSING_ROLE "kolada-saknas"
/* A Kolada area the comparison takes: one of the 21 regions ("00" + the
 * county code) or the whole country, "0000". */
int uf_kolada_area_ok(const char *s);

/* ingest/rows.c — a data warehouse's JSON rows (SPEC "pulled over HTTP"):
 * an http source with "format": "json" delivers an extract's rows as a list
 * of objects, or {"rows": [...]} / {"data": [...]}, keyed by its column
 * names.  The payload is archived as "<stem>.json" (uf_source.file holds
 * that name: "samtal.json" for samtal.csv) and converted into the CSV that
 * compute reads; the archived JSON stays the input of record. */
/* "samtal.json" -> "samtal.csv" into out; 0 when payload is not JSON rows. */
int uf_rows_extract(const char *payload, char *out, size_t n);
/* Writes the rows at path as a ';' CSV at csv_path: the header is the union
 * of the keys (matched case-insensitively) in first-seen order; strings as
 * they are, numbers with a decimal point, true/false J/N, null "".  The same
 * payload always gives the same bytes.  display: the extract, for messages. */
int uf_rows_to_csv(const char *path, const char *display, const char *csv_path, uf_error *err);

/* ingest/fetch.c — pulls every source of the config for a period into st,
 * appending one uf_input per payload (role "http" or "kolada"; an odbc
 * source adds three: "odbc", "sql" and "odbc-drivrutin"). */
int uf_fetch_sources(const uf_config *cfg, uf_month period, const uf_store *st, uf_input **inputs,
                     size_t *ninputs, uf_error *err);

#endif
