/* compute/chunks.c — an extract read by both cores (see chunks.h). */
#include "chunks.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CHUNK = 8 << 20 };

typedef struct {
    uf_cache units;
    long *rows, *first_chunk, *first_line; /* by raw unit */
    size_t nseen;
    long read;
} thread_state;

struct uf_chunks {
    uf_ctx *x;
    uf_reader *r;
    const uf_chunk_ops *ops;
    const char *map;
    size_t size, data_start;
    long data_line;
    char delim;
    size_t nfile;
    int *col_of; /* file position -> requested column, or -1 */
    size_t ncols;
    size_t nchunks;
    long *base; /* first line of each chunk; lines in it until the round's end */
    int bail;
    pthread_mutex_t lock;
    pthread_barrier_t barrier;
    thread_state th[UF_THREADS];
};

void *uf_chunks_arg(const uf_chunks *c) { return c->ops->arg; }

/* ------------------------------------------------------------ shared keys */

typedef uint32_t (*intern_fn)(uf_chunks *c, void *table, const char *s, size_t len);

/* A short key as two words (the halves overlap below 16 bytes; with the
 * length that is still one key).  0 when the key is empty or longer. */
static int short_key(const char *s, size_t len, uint64_t *head, uint64_t *tail)
{
    if (len == 0 || len > 16)
        return 0;
    if (len >= 8) {
        memcpy(head, s, 8);
        memcpy(tail, s + len - 8, 8);
    } else {
        *head = 0;
        for (size_t i = 0; i < len; i++)
            *head |= (uint64_t)(unsigned char)s[i] << (8 * i);
        *tail = 0;
    }
    return 1;
}

static uint32_t cached(uf_chunks *c, uf_cache *k, intern_fn fn, void *table, const char *s,
                       size_t len)
{
    uint64_t head, tail;
    uf_cache_slot *slot = NULL;
    if (short_key(s, len, &head, &tail)) {
        uint64_t h = (head ^ tail * 0x9e3779b97f4a7c15ull ^ len) * 0xbf58476d1ce4e5b9ull;
        slot = &k->front[h >> 56];
        if (slot->len == len && slot->head == head && slot->tail == tail)
            return slot->index;
    }
    if (!k->local)
        k->local = uf_strtab_new();
    int added;
    uint32_t li = uf_strtab_intern(k->local, s, len, &added);
    if (added) {
        if (li >= k->cap) {
            k->cap = k->cap ? k->cap * 2 : 64;
            k->global = uf_xrealloc(k->global, k->cap * sizeof *k->global);
        }
        pthread_mutex_lock(&c->lock);
        k->global[li] = fn(c, table, s, len);
        pthread_mutex_unlock(&c->lock);
    }
    if (slot)
        *slot = (uf_cache_slot){head, tail, (uint32_t)len, k->global[li]};
    return k->global[li];
}

void uf_cache_free(uf_cache *k)
{
    uf_strtab_free(k->local);
    free(k->global);
    memset(k, 0, sizeof *k);
}

static uint32_t strtab_fn(uf_chunks *c, void *table, const char *s, size_t len)
{
    (void)c;
    int added;
    return uf_strtab_intern(table, s, len, &added);
}

uint32_t uf_chunks_intern(uf_chunks *c, uf_cache *k, uf_strtab *shared, const char *s,
                          size_t len)
{
    return cached(c, k, strtab_fn, shared, s, len);
}

/* x->reader is NULL while chunks are read: the counting is done here. */
static uint32_t unit_fn(uf_chunks *c, void *table, const char *s, size_t len)
{
    (void)table;
    return uf_ctx_unit_str(c->x, s, len);
}

uint32_t uf_chunks_unit(uf_chunks *c, int t, const char *s, size_t len, const uf_row *row)
{
    thread_state *th = &c->th[t];
    uint32_t u = cached(c, &th->units, unit_fn, NULL, s, len);
    if (u >= th->nseen) {
        size_t n = th->nseen ? th->nseen * 2 : 64;
        while (n <= u)
            n *= 2;
        th->rows = uf_xrealloc(th->rows, n * sizeof *th->rows);
        th->first_chunk = uf_xrealloc(th->first_chunk, n * sizeof *th->first_chunk);
        th->first_line = uf_xrealloc(th->first_line, n * sizeof *th->first_line);
        memset(th->rows + th->nseen, 0, (n - th->nseen) * sizeof *th->rows);
        th->nseen = n;
    }
    if (th->rows[u]++ == 0) {
        th->first_chunk[u] = row->chunk;
        th->first_line[u] = row->line;
    }
    return u;
}

long uf_chunks_line(const uf_chunks *c, long chunk, long line)
{
    return chunk < 0 ? line : c->base[chunk] + line;
}

/* ------------------------------------------------------------------ header */

static int blank(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    return s == e;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

static const char *wanted_name(const uf_column *col, const uf_ctx *x, const char *file)
{
    const uf_colmap *map = x->in->cfg ? uf_config_columns(x->in->cfg, file) : NULL;
    for (size_t i = 0; map && i < map->n; i++)
        if (strcmp(map->v[i].canonical, col->name) == 0)
            return map->v[i].header;
    return col->name;
}

/* Finds the header uf_csv_open has already accepted and maps its columns;
 * -1 when it is not of the plain form (quotes, say). */
static int header(uf_chunks *c, const uf_column *cols)
{
    const char *b = c->map, *end = b + c->size, *p = b;
    if (c->size >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    const char *e;
    for (c->data_line = 1;; c->data_line++, p = e + 1) {
        e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            return -1; /* a file of only a header is read the usual way */
        if (!blank(p, e))
            break;
    }
    c->data_start = (size_t)(e + 1 - b);
    c->data_line++;
    if (e > p && e[-1] == '\r')
        e--;
    size_t semi = 0, comma = 0;
    for (const char *q = p; q < e; q++) {
        if (*q == '"')
            return -1;
        semi += *q == ';';
        comma += *q == ',';
    }
    c->delim = semi >= comma ? ';' : ',';
    c->nfile = 1 + (c->delim == ';' ? semi : comma);
    c->col_of = uf_xmalloc(c->nfile * sizeof *c->col_of);
    const char *f = p;
    for (size_t j = 0; j < c->nfile; j++) {
        const char *fe = j + 1 < c->nfile ? memchr(f, c->delim, (size_t)(e - f)) : e;
        const char *s = f;
        trim(&s, &fe);
        c->col_of[j] = -1;
        for (size_t k = 0; k < c->ncols; k++) {
            const char *want = wanted_name(&cols[k], c->x, c->r->name);
            if (uf_utf8_caseeq(s, (size_t)(fe - s), want, strlen(want)))
                c->col_of[j] = (int)k;
        }
        f = (j + 1 < c->nfile ? memchr(f, c->delim, (size_t)(e - f)) : e) + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- scanning */

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Nonzero when one of the eight bytes is the delimiter, '"', a control
 * character ('\n', '\r' and NUL among them), DEL or not ASCII; the lowest
 * set bit marks the first such byte. */
static uint64_t special(uint64_t x, uint64_t delims)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    uint64_t q = x ^ (ONES * '"'), d = x ^ delims, del = x ^ (ONES * 0x7f);
    return (((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) | ((d - ONES) & ~d) |
            ((del - ONES) & ~del) | x) &
           HIGHS;
}

/* Length of a well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF), 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, const unsigned char *end)
{
    static const struct {
        unsigned char first_lo, first_hi, second_lo, second_hi, n;
    } forms[] = {
        {0xc2, 0xdf, 0x80, 0xbf, 2}, {0xe0, 0xe0, 0xa0, 0xbf, 3}, {0xe1, 0xec, 0x80, 0xbf, 3},
        {0xed, 0xed, 0x80, 0x9f, 3}, {0xee, 0xef, 0x80, 0xbf, 3}, {0xf0, 0xf0, 0x90, 0xbf, 4},
        {0xf1, 0xf3, 0x80, 0xbf, 4}, {0xf4, 0xf4, 0x80, 0x8f, 4},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        if (s[0] < forms[i].first_lo || s[0] > forms[i].first_hi)
            continue;
        size_t n = forms[i].n;
        if ((size_t)(end - s) < n || s[1] < forms[i].second_lo || s[1] > forms[i].second_hi)
            return 0;
        for (size_t k = 2; k < n; k++)
            if ((s[k] & 0xc0) != 0x80)
                return 0;
        return n;
    }
    return 0;
}

/* The first special byte at or after q, or end. */
static const char *next_special(const char *q, const char *end, uint64_t delims, char delim)
{
    for (; q + 8 <= end; q += 8) {
        uint64_t w;
        memcpy(&w, q, 8);
        uint64_t m = special(w, delims);
        if (m)
            return q + (__builtin_ctzll(m) >> 3);
    }
    while (q < end && *q != delim && *q != '"' && (unsigned char)*q >= 0x20 && *q != 0x7f &&
           !(*q & 0x80))
        q++;
    return q;
}

/* The bytes of chunk k: from the row that starts in it to the next one's. */
static const char *chunk_start(const uf_chunks *c, size_t k)
{
    const char *end = c->map + c->size;
    if (k == 0)
        return c->map + c->data_start;
    size_t at = c->data_start + k * CHUNK;
    if (at >= c->size)
        return end;
    const char *nl = memchr(c->map + at - 1, '\n', c->size - at + 1);
    return nl ? nl + 1 : end;
}

/* Scans chunk k in thread t; its line count goes to base[k].  0, or -1 when
 * a row is not of the plain form. */
static int scan(uf_chunks *c, int t, size_t k)
{
    const char *p = chunk_start(c, k), *end = chunk_start(c, k + 1);
    uint64_t delims = ONES * (unsigned char)c->delim;
    thread_state *th = &c->th[t];
    uf_row row = {.chunk = (long)k};
    uf_bad bad;
    long line = 0;
    while (p < end) {
        for (size_t i = 0; i < c->ncols; i++) {
            row.f[i] = "";
            row.len[i] = 0;
        }
        const char *f = p, *q = p;
        size_t j = 0;
        for (;;) {
            q = next_special(q, end, delims, c->delim);
            if (q < end && (unsigned char)*q >= 0x80) {
                size_t n = utf8_len((const unsigned char *)q, (const unsigned char *)end);
                if (!n || (q[0] == '\xc2' && (unsigned char)q[1] < 0xa0)) /* or a C1 control */
                    return -1;
                q += n;
                continue;
            }
            if (q < end && *q == '\r' && (q + 1 == end || q[1] == '\n')) {
                q++; /* a CRLF line end */
                continue;
            }
            if (q < end && *q != c->delim && *q != '\n')
                return -1; /* a quote, a tab or another control character */
            const char *fe = q, *fs = f;
            if (q == end || *q == '\n') {
                if (fe > fs && fe[-1] == '\r')
                    fe--;
                if (j == 0 && blank(fs, fe))
                    break;
            }
            trim(&fs, &fe);
            if (j < c->nfile && c->col_of[j] >= 0) {
                row.f[c->col_of[j]] = fs;
                row.len[c->col_of[j]] = (size_t)(fe - fs);
            }
            j++;
            if (q == end || *q == '\n')
                break;
            f = ++q;
        }
        if (j) {
            if (j != c->nfile)
                return -1;
            row.line = line;
            th->read++;
            if (c->ops->row(c, t, &row, &bad) < 0)
                return -1;
        }
        line += q < end;
        p = q < end ? q + 1 : end;
    }
    c->base[k] = line;
    return 0;
}

/* ------------------------------------------------------------------ rounds */

typedef struct {
    uf_chunks *c;
    int t;
} worker;

/* Settled chunks leave the process's memory (the page cache keeps them), so
 * that its size grows with what it knows, not with the file. */
static void forget(const uf_chunks *c, size_t k)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = (uintptr_t)chunk_start(c, k) & ~(page - 1);
    uintptr_t b = (uintptr_t)chunk_start(c, k + 1) & ~(page - 1);
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

static void *run(void *arg)
{
    const worker *w = arg;
    uf_chunks *c = w->c;
    for (size_t round = 0; round * UF_THREADS < c->nchunks; round++) {
        size_t k = round * UF_THREADS + (size_t)w->t;
        if (k < c->nchunks && !__atomic_load_n(&c->bail, __ATOMIC_RELAXED) && scan(c, w->t, k) < 0)
            __atomic_store_n(&c->bail, 1, __ATOMIC_RELAXED);
        if (pthread_barrier_wait(&c->barrier) == PTHREAD_BARRIER_SERIAL_THREAD &&
            !c->bail) {
            /* line counts become first lines, so settle can name lines */
            for (size_t i = round * UF_THREADS; i < c->nchunks && i < (round + 1) * UF_THREADS;
                 i++) {
                long lines = c->base[i];
                c->base[i] = i ? c->base[i - 1] + c->base[i - 1 + c->nchunks] : c->data_line;
                c->base[i + c->nchunks] = lines;
            }
            long read = 0;
            for (int i = 0; i < UF_THREADS; i++)
                read += c->th[i].read;
            uf_progress("%s: %ld rader", c->r->name, read);
        }
        pthread_barrier_wait(&c->barrier);
        if (c->bail)
            break;
        c->ops->settle(c, w->t);
        pthread_barrier_wait(&c->barrier);
        if (k < c->nchunks)
            forget(c, k);
    }
    return NULL;
}

static void seen_reset(uf_chunks *c)
{
    for (int t = 0; t < UF_THREADS; t++) {
        thread_state *th = &c->th[t];
        if (th->nseen)
            memset(th->rows, 0, th->nseen * sizeof *th->rows);
        th->read = 0;
    }
}

/* Moves the threads' unit counts into r->seen. */
static void seen_merge(uf_chunks *c)
{
    uf_seen *s = &c->r->seen;
    size_t n = c->x->units.n;
    free(s->rows);
    free(s->rows_p);
    free(s->first_line);
    s->rows = uf_xcalloc(n, sizeof *s->rows);
    s->rows_p = uf_xcalloc(n, sizeof *s->rows_p);
    s->first_line = uf_xcalloc(n, sizeof *s->first_line);
    s->n = n;
    c->r->read = 0;
    for (int t = 0; t < UF_THREADS; t++) {
        thread_state *th = &c->th[t];
        c->r->read += th->read;
        for (size_t u = 0; u < th->nseen && u < n; u++) {
            if (!th->rows[u])
                continue;
            long line = uf_chunks_line(c, th->first_chunk[u], th->first_line[u]);
            if (!s->rows[u] || line < s->first_line[u])
                s->first_line[u] = line;
            s->rows[u] += th->rows[u];
        }
    }
}

static int read_fast(uf_chunks *c, const uf_column *cols)
{
    const char *path = uf_ctx_path(c->x, c->r->name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return -1;
    madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    c->map = map;
    c->size = (size_t)st.st_size;
    int rc = -1;
    if (header(c, cols) == 0) {
        c->nchunks = (c->size - c->data_start + CHUNK - 1) / CHUNK;
        c->base = uf_xcalloc(2 * c->nchunks + 1, sizeof *c->base);
        /* two threads: a second that cannot start leaves the work to uf_csv */
        pthread_t tid;
        worker w[UF_THREADS] = {{c, 0}, {c, 1}};
        if (pthread_create(&tid, NULL, run, &w[1]) == 0) {
            run(&w[0]);
            pthread_join(tid, NULL);
            rc = c->bail ? -1 : 0;
        }
    }
    munmap(map, c->size);
    return rc;
}

static int read_slow(uf_chunks *c)
{
    uf_ctx *x = c->x;
    uf_reader *r = c->r;
    uf_row row = {.chunk = -1};
    uf_bad bad;
    int rc;
    while ((rc = uf_reader_next(x, r)) == 1) {
        for (size_t i = 0; i < c->ncols; i++)
            row.f[i] = uf_csv_get(r->csv, i, &row.len[i]);
        row.line = uf_csv_line(r->csv);
        c->th[0].read++;
        if (c->ops->row(c, 0, &row, &bad) < 0)
            return uf_reader_fail(r, (size_t)bad.col, bad.echo, bad.expected, x->err);
        if ((c->th[0].read & 0xffff) == 0)
            for (int t = 0; t < UF_THREADS; t++)
                c->ops->settle(c, t);
    }
    for (int t = 0; t < UF_THREADS; t++)
        c->ops->settle(c, t);
    return rc;
}

int uf_chunks_read(uf_ctx *x, uf_reader *r, const uf_column *cols, size_t ncols,
                   const uf_chunk_ops *ops)
{
    uf_chunks *c = uf_xcalloc(1, sizeof *c);
    c->x = x;
    c->r = r;
    c->ops = ops;
    c->ncols = ncols < UF_CHUNK_COLS ? ncols : UF_CHUNK_COLS;
    pthread_mutex_init(&c->lock, NULL);
    pthread_barrier_init(&c->barrier, NULL, UF_THREADS);
    x->reader = NULL; /* the threads count rows per unit themselves */
    int rc = read_fast(c, cols);
    if (rc < 0) {
        ops->reset(c);
        seen_reset(c);
        rc = read_slow(c);
    }
    x->reader = r;
    if (rc == 0)
        seen_merge(c);
    for (int t = 0; t < UF_THREADS; t++) {
        uf_cache_free(&c->th[t].units);
        free(c->th[t].rows);
        free(c->th[t].first_chunk);
        free(c->th[t].first_line);
    }
    pthread_barrier_destroy(&c->barrier);
    pthread_mutex_destroy(&c->lock);
    free(c->col_of);
    free(c->base);
    free(c);
    return rc;
}
