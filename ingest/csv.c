/* ingest/csv.c — the one streaming reader behind every extract, and the
 * one reader of their headers (csv_chunks.c reads on from where it stops).
 *
 * Bytes are read() into one buffer that holds at least the current row; a
 * row is found in one pass that also checks UTF-8 and NUL (eight bytes at a
 * time while they are plain ASCII: csv.h), then split in place: delimiters
 * become NULs and quoted fields are unescaped where they lie.  Memory grows
 * only with the longest row, never with the number of rows. */
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The fuzz build makes it tiny so that every read boundary is exercised. */
#ifndef UF_CSV_BUFSIZE
#define UF_CSV_BUFSIZE (1 << 20)
#endif
enum { BUFSIZE = UF_CSV_BUFSIZE };

struct uf_csv {
    int fd;
    char *display;
    char *buf;       /* cap + 1 bytes: the last NUL-terminates a final field */
    size_t cap, fill;
    size_t pos;      /* where the next row begins */
    long long base;  /* file offset of buf[0] */
    int eof;
    long line;       /* physical line at pos */
    long row_line;   /* line where the current row begins */
    int row_quoted;  /* the current row has a '"': split it the careful way */
    int row_control; /* it may hold a control character: check its ids */
    char delim;
    size_t nfile;    /* fields per row, from the header */
    char **header;   /* the header's names as in the file, trimmed */
    const char **field; /* the current row's fields, by file position */
    size_t *flen;
    size_t ncols;
    long *map;       /* requested column -> file position, or -1 */
    unsigned char *id; /* requested column is an identifier */
    uf_issue hollow; /* rows of delimiters only, skipped */
    int resumable;   /* the last error was the row's own: the next row can be read */
};

/* ------------------------------------------------------------- reading */

static int fail_io(const uf_csv *c, const char *what, uf_error *err)
{
    uf_error_set(err, UF_ERR_IO, c->display, 0, 0, NULL, "%s: %s", what, uf_strerrno(errno));
    return -1;
}

/* Drops the bytes before keep, then reads more; the buffer doubles when
 * one row fills it.  *keep is updated to where its byte now lies. */
static int refill(uf_csv *c, size_t *keep, uf_error *err)
{
    if (*keep > 0) {
        memmove(c->buf, c->buf + *keep, c->fill - *keep);
        c->fill -= *keep;
        c->base += (long long)*keep;
        c->pos -= *keep;
        *keep = 0;
    }
    if (c->fill == c->cap) {
        c->cap *= 2;
        c->buf = uf_xrealloc(c->buf, c->cap + 1);
    }
    ssize_t n;
    do
        n = read(c->fd, c->buf + c->fill, c->cap - c->fill);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return fail_io(c, "kunde inte läsa filen", err);
    c->fill += (size_t)n;
    c->eof = n == 0;
    return 0;
}

/* --------------------------------------------------------- row finding */

/* Number of fields up to offset n of a row: 1 + delimiters outside quotes. */
static size_t field_number(const char *s, size_t n, char delim)
{
    size_t k = 1;
    int inq = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            inq = !inq;
        else if (s[i] == delim && !inq)
            k++;
    }
    return k;
}

/* The column of an error at buf[at] in the row starting at rs (0 while the
 * delimiter is not known yet). */
static int column_at(const uf_csv *c, size_t rs, size_t at)
{
    return c->delim ? (int)field_number(c->buf + rs, at - rs, c->delim) : 0;
}

/* An error in the file at line and column, which is named by its header
 * once the header has been read: a controller looks for names, not numbers. */
__attribute__((format(printf, 5, 6))) static int fail_at(const uf_csv *c, uf_error *err,
                                                         long line, int column,
                                                         const char *fmt, ...)
{
    char text[sizeof err->text];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    int named = c->header && column > 0 && (size_t)column <= c->nfile;
    uf_error_set(err, UF_ERR_INPUT, c->display, line, column, named ? c->header[column - 1] : NULL,
                 "%s", text);
    return -1;
}

static int is_delim(const uf_csv *c, char ch)
{
    return c->delim ? ch == c->delim : ch == ';' || ch == ','; /* the header: not known yet */
}

/* The file ends inside quotes.  Counting quotes pairs them wrongly once one
 * is stray: a stray quote on line 3 closes at the first quote of a field
 * quoted properly on line 500, whose closing quote then opens one that
 * never ends.  So the bytes from rs are read again field by field as RFC
 * 4180 has them, and the first quote that does not open and close a field
 * is the error, at its own line and column. */
static int fail_quote(const uf_csv *c, size_t rs, uf_error *err)
{
    const char *b = c->buf;
    size_t p = rs, end = c->fill, row = rs;
    long line = c->line;
    while (p < end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t'))
            p++;
        if (p < end && b[p] == '"') {
            size_t open = p++;
            long open_line = line;
            for (; p < end && !(b[p] == '"' && (p + 1 == end || b[p + 1] != '"')); p++) {
                line += b[p] == '\n';
                p += b[p] == '"'; /* "" is a quote inside the field */
            }
            if (p == end)
                return fail_at(c, err, open_line, column_at(c, row, open),
                               "citattecknet som börjar här avslutas aldrig; väntade ett "
                               "avslutande \" före filens slut");
            for (p++; p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r'); p++)
                ;
            if (p < end && b[p] != '\n' && !is_delim(c, b[p]))
                return fail_at(c, err, open_line, column_at(c, row, open),
                               "citattecknet som börjar här avslutas först på rad %ld, mitt i "
                               "ett fält; väntade ett avslutande \" sist i fältet",
                               line);
        } else {
            for (; p < end && b[p] != '\n' && !is_delim(c, b[p]); p++)
                if (b[p] == '"')
                    return fail_at(c, err, line, column_at(c, row, p),
                                   "citattecken mitt i fältet; väntade att ett fält med \" "
                                   "börjar och slutar med \"");
        }
        if (p < end && b[p] == '\n') {
            line++;
            row = p + 1;
        }
        p++;
    }
    /* not reached for bytes that end inside quotes; said plainly anyway */
    return fail_at(c, err, line, 0, "filen slutar inne i ett citattecken; väntade ett avslutande \"");
}

/* Finds the next row that is neither blank nor hollow (counted) and sets
 * *rs, *re (its '\n', or the end of the data).  1 a row, 0 end of file, -1
 * error. */
static int row_find(uf_csv *c, size_t *rs, size_t *re, uf_error *err)
{
    for (;;) {
        size_t p = *rs = c->pos;
        long nl = 0;
        int inq = 0, quoted = 0, control = 0;
        for (;;) {
            const char *b = c->buf;
            size_t end = c->fill;
            while ((p = (size_t)(uf_csv_scan(b + p, b + end, UF_CSV_NO_DELIM) - b)) < end) {
                unsigned char ch = (unsigned char)b[p];
                if (ch == '\n') {
                    if (!inq)
                        goto found;
                    nl++;
                    control = 1; /* a line break inside quotes is in a field */
                } else if (ch == '"') {
                    inq = !inq;
                    quoted = 1;
                } else if (ch == 0) {
                    return fail_at(c, err, c->line + nl, column_at(c, *rs, p),
                                   "filen innehåller ett NUL-tecken vid byte %lld (räknat från "
                                   "0); väntade text i UTF-8",
                                   c->base + (long long)p);
                } else if (ch >= 0x80) {
                    int n = uf_csv_utf8((const unsigned char *)b + p, end - p);
                    if (n < 0 && !c->eof)
                        break; /* the sequence continues in the next read */
                    if (n <= 0) {
                        return fail_at(c, err, c->line + nl, column_at(c, *rs, p),
                                       "ogiltig UTF-8 vid byte %lld (räknat från 0); "
                                       "väntade text i UTF-8 (spara filen som UTF-8)",
                                       c->base + (long long)p);
                    }
                    control |= uf_csv_c1((const unsigned char *)b + p);
                    p += (size_t)n - 1;
                } else if (ch < 0x20 || ch == 0x7f) {
                    /* the CR of a CRLF is no control character of a field */
                    control |= !(ch == '\r' && p + 1 < end && b[p + 1] == '\n');
                }
                p++;
            }
            if (c->eof)
                break;
            size_t keep = *rs;
            if (refill(c, &keep, err) < 0)
                return -1;
            p -= *rs;
            *rs = keep;
        }
        /* End of file inside the row. */
        if (inq)
            return fail_quote(c, *rs, err);
        if (p == *rs)
            return 0;
    found:
        *re = p;
        c->row_line = c->line;
        c->row_quoted = quoted;
        c->row_control = control;
        c->line += nl + 1;
        c->pos = p < c->fill ? p + 1 : p;
        if (uf_csv_blank(c->buf + *rs, p - *rs))
            continue;
        /* the header's delimiter is not known yet, nor is it ever hollow */
        if (!c->header || quoted || !uf_csv_hollow(c->buf + *rs, p - *rs, c->delim))
            return 1;
        uf_issue_see(&c->hollow, c->row_line);
    }
}

/* --------------------------------------------------------- row splitting */

static int fail_row(const uf_csv *c, int column, const char *text, uf_error *err)
{
    return fail_at(c, err, c->row_line, column, "%s", text);
}

/* uf_csv_skip in a row that is split in place. */
static char *skip_spaces(char *s, const char *e) { return s + (uf_csv_skip(s, e) - s); }

/* Splits the row [rs, re) in place into c->field (the first c->nfile
 * fields); returns how many fields it has, or -1. */
static long row_split(uf_csv *c, size_t rs, size_t re, uf_error *err)
{
    char *p = c->buf + rs, *e = c->buf + re;
    if (e > p && e[-1] == '\r')
        e--;
    for (size_t k = 0;; k++) {
        char *f, *t, *next;
        p = skip_spaces(p, e);
        if (c->row_quoted && p < e && *p == '"') {
            /* Unescape "" by moving the text left over the quotes. */
            char *r = p + 1, *q;
            f = t = p;
            while ((q = memchr(r, '"', (size_t)(e - r))) && q + 1 < e && q[1] == '"') {
                memmove(t, r, (size_t)(q + 1 - r));
                t += q + 1 - r;
                r = q + 2;
            }
            if (!q)
                return fail_row(c, (int)k + 1, "citattecknet avslutas aldrig", err);
            memmove(t, r, (size_t)(q - r));
            t += q - r;
            next = skip_spaces(q + 1, e);
            if (next < e && *next != c->delim)
                return fail_row(c, (int)k + 1,
                                "text efter avslutande citattecken; väntade avgränsare eller radslut",
                                err);
        } else {
            f = p;
            next = memchr(p, c->delim, (size_t)(e - p));
            if (!next)
                next = e;
            if (c->row_quoted && memchr(p, '"', (size_t)(next - p)))
                return fail_row(c, (int)k + 1,
                                "citattecken mitt i fältet; väntade att ett fält med \" "
                                "börjar och slutar med \"",
                                err);
            t = f + (uf_csv_back(f, next) - f);
        }
        if (k < c->nfile) {
            c->field[k] = f;
            c->flen[k] = (size_t)(t - f);
        }
        *t = '\0';
        if (next == e)
            return (long)k + 1;
        p = next + 1;
    }
}

/* ------------------------------------------------------------- header */

/* ';' or ',', whichever occurs more often outside quotes (a tie goes to ';',
 * the Swedish export default); 0 when neither does. */
static char detect_delim(const char *s, size_t n)
{
    size_t semi = field_number(s, n, ';') - 1, comma = field_number(s, n, ',') - 1;
    return semi == 0 && comma == 0 ? 0 : semi >= comma ? ';' : ',';
}

typedef struct {
    const char *key; /* folded name */
    size_t col;
} named;

static int by_key(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int k = strcmp(x->key, y->key);
    return k ? k : (x->col > y->col) - (x->col < y->col);
}

/* The first column (in file order) whose name repeats an earlier one, -1
 * if none; *first gets that earlier one.  Sorting folded names finds it in
 * n log n: a header of a million columns is read in a moment.  Unnamed
 * columns are not duplicates of each other. */
static long duplicate(const uf_csv *c, size_t *first)
{
    named *v = uf_xcalloc(c->nfile ? c->nfile : 1, sizeof *v);
    size_t n = 0;
    for (size_t j = 0; j < c->nfile; j++)
        if (c->header[j][0]) {
            char *key = uf_xstrdup(c->header[j]);
            uf_utf8_fold(key, strlen(key));
            v[n++] = (named){key, j};
        }
    qsort(v, n, sizeof *v, by_key);
    long dup = -1;
    /* In each run of one name the first two are the candidates. */
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i].key, v[i - 1].key) == 0 && (i < 2 || strcmp(v[i].key, v[i - 2].key)) &&
            (dup < 0 || v[i].col < (size_t)dup)) {
            dup = (long)v[i].col;
            *first = v[i - 1].col;
        }
    for (size_t i = 0; i < n; i++)
        free((char *)v[i].key);
    free(v);
    return dup;
}

static const char *wanted_name(const uf_column *col, const uf_rename *renames, size_t nrenames)
{
    for (size_t i = 0; i < nrenames; i++)
        if (strcmp(renames[i].canonical, col->name) == 0)
            return renames[i].header;
    return col->name;
}

static int header_read(uf_csv *c, const uf_column *cols, const uf_rename *renames,
                       size_t nrenames, uf_error *err)
{
    size_t rs, re;
    int r = row_find(c, &rs, &re, err);
    if (r <= 0) {
        if (r == 0)
            uf_error_set(err, UF_ERR_INPUT, c->display, 0, 0, NULL,
                         "filen är tom; väntade en rubrikrad med kolumnnamn");
        return -1;
    }
    c->delim = detect_delim(c->buf + rs, re - rs);
    if (!c->delim) {
        uf_error_set(err, UF_ERR_INPUT, c->display, c->row_line, 0, NULL,
                     "hittade ingen avgränsare i rubrikraden; väntade kolumnnamn åtskilda "
                     "med ; eller ,");
        return -1;
    }
    c->nfile = field_number(c->buf + rs, re - rs, c->delim);
    c->field = uf_xcalloc(c->nfile, sizeof *c->field);
    c->flen = uf_xcalloc(c->nfile, sizeof *c->flen);
    if (row_split(c, rs, re, err) < 0)
        return -1;
    c->header = uf_xcalloc(c->nfile, sizeof *c->header);
    for (size_t j = 0; j < c->nfile; j++) {
        /* A quoted name is trimmed too: " enhet_id" is still enhet_id. */
        const char *e = c->field[j] + c->flen[j], *f = uf_csv_skip(c->field[j], e);
        c->header[j] = uf_xstrndup(f, (size_t)(uf_csv_back(f, e) - f));
    }
    size_t i = 0;
    long j = duplicate(c, &i);
    if (j >= 0) {
        uf_error_set(err, UF_ERR_INPUT, c->display, c->row_line, (int)j + 1, c->header[j],
                     "kolumnnamnet \"%s\" finns två gånger (kolumn %zu och %ld); väntade unika "
                     "kolumnnamn",
                     c->header[j], i + 1, j + 1);
        return -1;
    }
    for (size_t k = 0; k < c->ncols; k++) {
        const char *want = wanted_name(&cols[k], renames, nrenames);
        c->map[k] = -1;
        for (size_t j = 0; j < c->nfile; j++)
            if (uf_utf8_caseeq(c->header[j], strlen(c->header[j]), want, strlen(want)))
                c->map[k] = (long)j;
        if (c->map[k] < 0 && (cols[k].flags & UF_COL_REQUIRED)) {
            /* Naming what is there shows a misspelling or another system's
             * name at a glance. */
            char found[300];
            size_t n = 0;
            for (size_t j = 0; j < c->nfile && n < sizeof found; j++)
                n += (size_t)snprintf(found + n, sizeof found - n, "%s%s", j ? ", " : "",
                                      c->header[j]);
            uf_error_set(err, UF_ERR_INPUT, c->display, c->row_line, 0, want,
                         "kolumnen \"%s\"%s%s%s saknas i rubrikraden, som har: %s; väntade "
                         "den kolumnen (heter den något annat: ange namnet under \"columns\" "
                         "i inställningarna)",
                         want, strcmp(want, cols[k].name) ? " (för " : "",
                         strcmp(want, cols[k].name) ? cols[k].name : "",
                         strcmp(want, cols[k].name) ? ")" : "", found);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------- public */

uf_csv *uf_csv_open(const char *path, const char *display, const uf_column *cols, size_t ncols,
                    const uf_rename *renames, size_t nrenames, uf_error *err)
{
    uf_csv *c = uf_xcalloc(1, sizeof *c);
    c->display = uf_xstrdup(display ? display : path);
    c->ncols = ncols;
    c->map = uf_xcalloc(ncols, sizeof *c->map);
    c->id = uf_xcalloc(ncols ? ncols : 1, 1);
    for (size_t k = 0; k < ncols; k++)
        c->id[k] = (cols[k].flags & UF_COL_ID) != 0;
    c->line = 1;
    c->cap = BUFSIZE;
    c->buf = uf_xmalloc(c->cap + 1);
    /* Without O_NONBLOCK a FIFO with no writer would hold open() for ever. */
    c->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (c->fd < 0 || fstat(c->fd, &st) != 0) {
        fail_io(c, "kunde inte öppna filen", err);
        uf_csv_close(c);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        uf_error_not_file(err, c->display, st.st_mode);
        uf_csv_close(c);
        return NULL;
    }
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK);
    size_t keep = 0;
    while (c->fill < 3 && !c->eof)
        if (refill(c, &keep, err) < 0) {
            uf_csv_close(c);
            return NULL;
        }
    if (c->fill >= 3 && memcmp(c->buf, "\xef\xbb\xbf", 3) == 0)
        c->pos = 3;
    if (header_read(c, cols, renames, nrenames, err) < 0) {
        uf_csv_close(c);
        return NULL;
    }
    return c;
}

/* The 1-based character position of the first control character in s (C0,
 * DEL, or C1: U+0080..U+009F, "\xc2\x80".."\xc2\x9f"), its code point in
 * *cp; 0 when there is none.  s is valid UTF-8. */
static size_t control_char(const char *s, size_t len, unsigned *cp)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        chars += (b & 0xc0) != 0x80;
        if (b < 0x20 || b == 0x7f || uf_csv_c1((const unsigned char *)s + i)) {
            *cp = b == 0xc2 ? (unsigned char)s[i + 1] : b;
            return chars;
        }
    }
    return 0;
}

int uf_csv_next(uf_csv *c, uf_error *err)
{
    size_t rs, re;
    c->resumable = 0;
    int r = row_find(c, &rs, &re, err);
    if (r <= 0)
        return r;
    /* the row's end is known: what is wrong inside it leaves the next row */
    c->resumable = 1;
    long n = row_split(c, rs, re, err);
    if (n < 0)
        return -1;
    /* Named at the first column that is missing or one too many. */
    if ((size_t)n < c->nfile)
        return fail_at(c, err, c->row_line, (int)n + 1,
                       "raden har %ld fält men rubrikraden %zu; väntade ett fält (tomt går bra) "
                       "för varje kolumn",
                       n, c->nfile);
    if ((size_t)n > c->nfile)
        return fail_at(c, err, c->row_line, (int)c->nfile + 1,
                       "raden har %ld fält men rubrikraden %zu; väntade inte fler fält (står "
                       "ett %c inne i ett värde som borde ha citattecken?)",
                       n, c->nfile, c->delim);
    for (size_t k = 0; k < c->ncols && c->row_control; k++) {
        long j = c->map[k];
        unsigned cp;
        size_t at = c->id[k] && j >= 0 ? control_char(c->field[j], c->flen[j], &cp) : 0;
        if (at)
            return fail_at(c, err, c->row_line, (int)j + 1,
                           "väntade ett id utan styrtecken; tecken %zu är styrtecknet U+%04X", at,
                           cp);
    }
    return 1;
}

const char *uf_csv_get(const uf_csv *c, size_t col, size_t *len)
{
    long j = c->map[col];
    if (len)
        *len = j < 0 ? 0 : c->flen[j];
    return j < 0 ? "" : c->field[j];
}

int uf_csv_has(const uf_csv *c, size_t col) { return c->map[col] >= 0; }

long uf_csv_line(const uf_csv *c) { return c->row_line; }

int uf_csv_resumable(const uf_csv *c) { return c->resumable; }

const uf_issue *uf_csv_hollow_rows(const uf_csv *c) { return &c->hollow; }

void uf_issue_see(uf_issue *i, long line)
{
    i->count++;
    if (i->nlines < (int)(sizeof i->lines / sizeof *i->lines))
        i->lines[i->nlines++] = line;
}

const char *uf_csv_display(const uf_csv *c) { return c->display; }

void uf_csv_shape_of(const uf_csv *c, uf_csv_shape *s)
{
    *s = (uf_csv_shape){.fd = c->fd, .delim = c->delim, .nfile = c->nfile, .ncols = c->ncols,
                        .map = c->map, .data = c->base + (long long)c->pos,
                        .data_line = c->line};
}

/* At most max bytes of s, cut at a character boundary. */
static int utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return (int)len;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return (int)max;
}

void uf_csv_field_error(const uf_csv *c, size_t col, int echo, const char *expected, uf_error *err)
{
    long j = c->map[col];
    size_t len;
    const char *v = uf_csv_get(c, col, &len);
    const char *name = j < 0 ? NULL : c->header[j];
    int column = j < 0 ? 0 : (int)j + 1;
    if (len == 0)
        uf_error_set(err, UF_ERR_INPUT, c->display, c->row_line, column, name,
                     "väntade %s, fältet är tomt", expected);
    else if (echo) {
        int n = utf8_prefix(v, len, 200);
        uf_error_set(err, UF_ERR_INPUT, c->display, c->row_line, column, name,
                     "väntade %s, fick \"%.*s%s\"", expected, n, v, (size_t)n < len ? "…" : "");
    } else
        uf_error_set(err, UF_ERR_INPUT, c->display, c->row_line, column, name, "väntade %s",
                     expected);
}

void uf_csv_close(uf_csv *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    for (size_t j = 0; c->header && j < c->nfile; j++)
        free(c->header[j]);
    free(c->header);
    free(c->field);
    free(c->flen);
    free(c->map);
    free(c->id);
    free(c->buf);
    free(c->display);
    free(c);
}
