/* compute/parallel.c — an extract read by both cores (see parallel.h). */
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

/* An id to check on its way to its partition (uf_parallel_note_id). */
typedef struct {
    const char *s;
    uint32_t len, hash;
    long chunk, line;
    size_t finding;
} pending_id;

typedef struct {
    pending_id *v;
    size_t n, cap;
} pending_ids;

typedef struct {
    uf_cache units;
    long *rows, *rows_p, *first_chunk, *first_line; /* by raw unit */
    size_t nseen;
    long read, rejected;
    uf_issue *found;              /* ops->findings' rows in this thread, lines as where() */
    pending_ids ids[UF_PARTS];    /* phase 1's ids for each partition */
    uf_strtab *distinct;          /* partition t's ids */
} thread_state;

struct uf_parallel {
    uf_ctx *x;
    uf_reader *r;
    const uf_parallel_ops *ops;
    uf_csv_chunks *m;
    size_t ncols;
    size_t nchunks;
    long *base; /* first line of each chunk; lines in it until the round's end */
    uf_issue *hollow; /* each chunk's rows of delimiters only, lines in the chunk */
    int bail; /* a row the chunks or a derivation cannot take: read it through uf_csv */
    int failed[UF_THREADS];   /* thread t could not settle its partition: stop */
    uf_error err[UF_THREADS]; /* why */
    pthread_mutex_t lock;
    pthread_barrier_t barrier;
    thread_state th[UF_THREADS];
};

void *uf_parallel_arg(const uf_parallel *c) { return c->ops->arg; }

/* ------------------------------------------------------------ shared keys */

typedef uint32_t (*intern_fn)(uf_parallel *c, void *table, const char *s, size_t len);

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

static uint32_t cached(uf_parallel *c, uf_cache *k, intern_fn fn, void *table, const char *s,
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

void uf_cells_add(uf_cells *k, size_t cell, long num, long den)
{
    if (cell >= k->n) {
        size_t n = uf_doubled(k->n, cell + 1, 1024);
        k->num = uf_xgrow(k->num, k->n, n, sizeof *k->num, 0);
        k->den = uf_xgrow(k->den, k->n, n, sizeof *k->den, 0);
        k->n = n;
    }
    k->num[cell] += num;
    k->den[cell] += den;
}

void uf_cells_into(uf_cells *k, uf_tally *t, size_t ncells)
{
    for (size_t i = 0; t && i < k->n && i < ncells; i++) {
        t->nd[i].num += (double)k->num[i];
        t->nd[i].den += (double)k->den[i];
    }
    free(k->num);
    free(k->den);
    memset(k, 0, sizeof *k);
}

static uint32_t strtab_fn(uf_parallel *c, void *table, const char *s, size_t len)
{
    (void)c;
    int added;
    return uf_strtab_intern(table, s, len, &added);
}

uint32_t uf_parallel_intern(uf_parallel *c, uf_cache *k, uf_strtab *shared, const char *s,
                            size_t len)
{
    return cached(c, k, strtab_fn, shared, s, len);
}

/* x->reader is NULL while chunks are read: the counting is done here. */
static uint32_t unit_fn(uf_parallel *c, void *table, const char *s, size_t len)
{
    (void)table;
    return uf_ctx_unit_str(c->x, s, len);
}

uint32_t uf_parallel_unit(uf_parallel *c, int t, const char *s, size_t len,
                          const uf_csv_row *row)
{
    thread_state *th = &c->th[t];
    uint32_t u = cached(c, &th->units, unit_fn, NULL, s, len);
    if (u >= th->nseen) {
        size_t n = uf_doubled(th->nseen, (size_t)u + 1, 64);
        th->rows = uf_xgrow(th->rows, th->nseen, n, sizeof *th->rows, 0);
        th->rows_p = uf_xgrow(th->rows_p, th->nseen, n, sizeof *th->rows_p, 0);
        th->first_chunk = uf_xrealloc(th->first_chunk, n * sizeof *th->first_chunk);
        th->first_line = uf_xrealloc(th->first_line, n * sizeof *th->first_line);
        th->nseen = n;
    }
    if (th->rows[u]++ == 0) {
        th->first_chunk[u] = row->chunk;
        th->first_line[u] = row->line;
    }
    return u;
}

uint32_t uf_parallel_unit_field(uf_parallel *c, int t, const uf_csv_row *row, int col,
                                uf_bad *bad)
{
    const char *s = row->f[col];
    size_t len = row->len[col];
    if (len == 0)
        return (uint32_t)uf_bad_set(bad, col, 0, "ett enhets-id");
    if (uf_unit_reserved(s, len))
        return (uint32_t)uf_bad_set(bad, col, 1, uf_unit_not_region);
    return uf_parallel_unit(c, t, s, len, row);
}

long uf_parallel_line(const uf_parallel *c, long chunk, long line)
{
    return chunk < 0 ? line : c->base[chunk] + line;
}

/* ---------------------------------------------------------------- findings */

/* A row's place before its chunk's first line is known, ordered as the
 * file is: chunk, then line in it (one row at a time: the line itself). */
static long where(long chunk, long line) { return chunk < 0 ? line : (chunk + 1) << 32 | line; }

static long line_of(const uf_parallel *c, long at)
{
    return uf_parallel_line(c, (at >> 32) - 1, at & 0xffffffff);
}

/* Counts at into i, which keeps the first five places whatever order they
 * come in. */
static void see_in_order(uf_issue *i, long at)
{
    const int keep = (int)(sizeof i->lines / sizeof *i->lines);
    i->count++;
    int j = i->nlines;
    if (j == keep) {
        if (at >= i->lines[j - 1])
            return;
        j--;
    } else {
        i->nlines++;
    }
    for (; j > 0 && i->lines[j - 1] > at; j--)
        i->lines[j] = i->lines[j - 1];
    i->lines[j] = at;
}

void uf_parallel_see(uf_parallel *c, int t, size_t i, long chunk, long line)
{
    see_in_order(&c->th[t].found[i], where(chunk, line));
}

void uf_parallel_reject(uf_parallel *c, int t) { c->th[t].rejected++; }

int uf_parallel_dated(uf_parallel *c, int t, uint32_t u, uf_month m, uint32_t *cols)
{
    if (m == c->x->in->period)
        c->th[t].rows_p[u]++;
    int col = uf_ctx_col(c->x, m);
    if (col >= 0)
        *cols |= 1u << col;
    return col;
}

void uf_parallel_note_id(uf_parallel *c, int t, const uf_csv_row *row, int col, size_t i)
{
    if (row->len[col] == 0)
        return;
    uint32_t h = uf_strtab_hash(row->f[col], row->len[col]);
    pending_ids *q = &c->th[t].ids[UF_PART(h)];
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 4096;
        q->v = uf_xrealloc(q->v, q->cap * sizeof *q->v);
    }
    q->v[q->n++] = (pending_id){row->f[col], (uint32_t)row->len[col], h, row->chunk, row->line, i};
}

/* Phase 2 for the ids of partition t: rows come in file order, so the
 * first of each id is the file's. */
static void settle_ids(uf_parallel *c, int t)
{
    thread_state *th = &c->th[t];
    for (int src = 0; src < UF_THREADS; src++) {
        pending_ids *q = &c->th[src].ids[t];
        if (q->n && !th->distinct)
            th->distinct = uf_strtab_new();
        for (size_t k = 0; k < q->n; k++) {
            const pending_id *p = &q->v[k];
            uf_strtab_prefetch_ahead(th->distinct, &q->v[0].hash, sizeof *q->v, k, q->n);
            int added;
            uf_strtab_intern_hashed(th->distinct, p->s, p->len, p->hash, &added);
            if (!added)
                uf_parallel_see(c, t, p->finding, p->chunk, p->line);
        }
        q->n = 0;
    }
}

/* Phase 2 in thread t: the ids, then the derivation's own. */
static int settle(uf_parallel *c, int t)
{
    settle_ids(c, t);
    return c->ops->settle ? c->ops->settle(c, t, &c->err[t]) : 0;
}

/* Both threads' findings into ops->findings: their first lines as one
 * core reading the file meets them. */
static void findings_merge(uf_parallel *c)
{
    for (size_t i = 0; i < c->ops->nfindings; i++) {
        uf_issue *into = &c->ops->findings[i];
        for (int t = 0; t < UF_THREADS; t++) {
            const uf_issue *from = &c->th[t].found[i];
            for (int k = 0; k < from->nlines; k++)
                see_in_order(into, line_of(c, from->lines[k]));
            into->count += from->count - from->nlines;
        }
    }
}

/* ---------------------------------------------------------------- scanning */

/* Reads chunk k in thread t; its line count goes to base[k].  0, or -1 when
 * a row is not of the plain form or a field is refused. */
static int scan(uf_parallel *c, int t, size_t k)
{
    thread_state *th = &c->th[t];
    uf_csv_cursor cur;
    uf_csv_row row;
    uf_bad bad;
    int rc;
    uf_csv_chunk_begin(c->m, k, &cur, &row);
    while ((rc = uf_csv_chunk_next(&cur, &row)) == 1) {
        th->read++;
        if (c->ops->row(c, t, &row, &bad) < 0)
            return -1;
    }
    c->base[k] = cur.line;
    c->hollow[k] = cur.hollow;
    return rc;
}

/* ------------------------------------------------------------------ rounds */

typedef struct {
    uf_parallel *c;
    int t;
} worker;

static void *run(void *arg)
{
    const worker *w = arg;
    uf_parallel *c = w->c;
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
                c->base[i] = i ? c->base[i - 1] + c->base[i - 1 + c->nchunks]
                               : uf_csv_chunks_first_line(c->m);
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
        /* each thread writes only its own flag, and reads both only after
         * the barrier: both threads leave at the same round */
        c->failed[w->t] = settle(c, w->t) < 0;
        pthread_barrier_wait(&c->barrier);
        if (c->failed[0] || c->failed[1])
            break;
        if (k < c->nchunks)
            uf_csv_chunk_forget(c->m, k);
    }
    return NULL;
}

/* The error of the first partition that failed, so that it does not depend
 * on which thread was faster: -1. */
static int fail_settle(uf_parallel *c)
{
    for (int t = 0; t < UF_THREADS; t++)
        if (c->failed[t]) {
            *c->x->err = c->err[t];
            break;
        }
    return -1;
}

static int settle_all(uf_parallel *c)
{
    for (int t = 0; t < UF_THREADS; t++)
        c->failed[t] = settle(c, t) < 0;
    return c->failed[0] || c->failed[1] ? fail_settle(c) : 0;
}

static void seen_reset(uf_parallel *c)
{
    for (int t = 0; t < UF_THREADS; t++) {
        thread_state *th = &c->th[t];
        if (th->nseen) {
            memset(th->rows, 0, th->nseen * sizeof *th->rows);
            memset(th->rows_p, 0, th->nseen * sizeof *th->rows_p);
        }
        th->read = th->rejected = 0;
        memset(th->found, 0, c->ops->nfindings * sizeof *th->found);
        for (int p = 0; p < UF_PARTS; p++)
            th->ids[p].n = 0;
        uf_strtab_free(th->distinct);
        th->distinct = NULL;
    }
}

/* Moves the threads' unit counts into r->seen. */
static void seen_merge(uf_parallel *c)
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
        c->r->rejected += th->rejected;
        for (size_t u = 0; u < th->nseen && u < n; u++) {
            if (!th->rows[u])
                continue;
            long line = uf_parallel_line(c, th->first_chunk[u], th->first_line[u]);
            if (!s->rows[u] || line < s->first_line[u])
                s->first_line[u] = line;
            s->rows[u] += th->rows[u];
            s->rows_p[u] += th->rows_p[u];
        }
    }
}

/* The chunks' hollow rows, in file order, for the reader to report. */
static void hollow_merge(uf_parallel *c)
{
    uf_issue *all = &c->r->hollow;
    for (size_t k = 0; k < c->nchunks; k++) {
        const uf_issue *h = &c->hollow[k];
        for (int i = 0; i < h->nlines; i++)
            uf_issue_see(all, uf_parallel_line(c, (long)k, h->lines[i]));
        all->count += h->count - h->nlines;
    }
}

/* Both cores, a chunk each per round: 0 read, 1 not to be read this way
 * (read it one row at a time), -1 a partition could not be settled. */
static int read_chunks(uf_parallel *c)
{
    c->m = uf_csv_chunks_open(c->r->csv);
    if (!c->m)
        return 1;
    c->nchunks = uf_csv_chunks_count(c->m);
    c->base = uf_xcalloc(2 * c->nchunks + 1, sizeof *c->base);
    c->hollow = uf_xcalloc(c->nchunks + 1, sizeof *c->hollow);
    int rc = 1;
    /* two threads: a second that cannot start leaves the work to uf_csv */
    pthread_t tid;
    worker w[UF_THREADS] = {{c, 0}, {c, 1}};
    if (uf_cleanup_thread(&tid, run, &w[1]) == 0) {
        run(&w[0]);
        pthread_join(tid, NULL);
        rc = c->failed[0] || c->failed[1] ? fail_settle(c) : c->bail;
    }
    if (rc == 0)
        hollow_merge(c);
    free(c->hollow);
    uf_csv_chunks_close(c->m);
    c->m = NULL;
    return rc;
}

/* One row at a time through uf_csv, from the first row after the header,
 * in thread 0: 0, or -1 with x->err set. */
static int read_rows(uf_parallel *c)
{
    uf_ctx *x = c->x;
    uf_reader *r = c->r;
    uf_csv_row row = {.chunk = -1};
    uf_bad bad;
    int rc;
    while ((rc = uf_reader_next(x, r)) == 1) {
        for (size_t i = 0; i < c->ncols; i++)
            row.f[i] = uf_csv_get(r->csv, i, &row.len[i]);
        row.line = uf_csv_line(r->csv);
        c->th[0].read++;
        if (c->ops->row(c, 0, &row, &bad) < 0) { /* listed; the row adds nothing */
            uf_reader_fail(r, (size_t)bad.col, bad.echo, bad.expected, x->err);
            continue;
        }
        /* the fields lie in uf_csv's buffer, which the next row may move */
        if (settle_all(c) < 0)
            return -1;
    }
    return rc < 0 ? -1 : 0;
}

int uf_parallel_read(uf_ctx *x, uf_reader *r, size_t ncols, const uf_parallel_ops *ops)
{
    uf_parallel *c = uf_xcalloc(1, sizeof *c);
    c->x = x;
    c->r = r;
    c->ops = ops;
    c->ncols = ncols < UF_CSV_ROW_COLS ? ncols : UF_CSV_ROW_COLS;
    pthread_mutex_init(&c->lock, NULL);
    pthread_barrier_init(&c->barrier, NULL, UF_THREADS);
    x->reader = NULL; /* the threads count rows per unit themselves */
    for (int t = 0; t < UF_THREADS; t++)
        c->th[t].found = uf_xcalloc(ops->nfindings + 1, sizeof *c->th[t].found);
    int rc = read_chunks(c);
    if (rc > 0) {
        ops->reset(c);
        seen_reset(c);
        rc = read_rows(c);
    }
    x->reader = r;
    if (rc == 0) {
        seen_merge(c);
        findings_merge(c);
    }
    for (int t = 0; t < UF_THREADS; t++) {
        thread_state *th = &c->th[t];
        uf_cache_free(&th->units);
        free(th->rows);
        free(th->rows_p);
        free(th->first_chunk);
        free(th->first_line);
        free(th->found);
        for (int p = 0; p < UF_PARTS; p++)
            free(th->ids[p].v);
        uf_strtab_free(th->distinct);
    }
    pthread_barrier_destroy(&c->barrier);
    pthread_mutex_destroy(&c->lock);
    free(c->base);
    free(c);
    return rc;
}
