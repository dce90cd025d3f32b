/* compute/parallel.h — an extract read by both cores.
 *
 * ingest's chunked reader (ingest/ingest.h) cuts the file into chunks at
 * line ends; in each round every thread reads one chunk (phase 1: check each
 * row's fields and hand its work to the partition that owns it), then every
 * thread settles its own partition (phase 2: what needs one owner, such as
 * interning patients).  Partitions are fixed by key and chunks by byte
 * offsets, so the result never depends on timing.
 *
 * At the first row the chunked reader does not take, or the first field a
 * derivation refuses, everything is forgotten and the file is read again
 * through uf_csv, one row at a time, which reports the first fault exactly
 * as every other extract does. */
#ifndef UF_COMPUTE_PARALLEL_H
#define UF_COMPUTE_PARALLEL_H

#include "compute/derive.h"
#include "ingest/ingest.h"

#include <pthread.h>

#define UF_THREADS UF_PARTS /* one partition each; run() assumes two */

/* What was wrong with a row's field: the one-row-at-a-time reading
 * reports it. */
typedef struct {
    int col, echo;
    const char *expected;
} uf_bad;

/* Fills *b: -1, for a row callback's return. */
static inline int uf_bad_set(uf_bad *b, int col, int echo, const char *expected)
{
    *b = (uf_bad){col, echo, expected};
    return -1;
}

/* A per-thread memory of a table shared by all threads (units, doctors):
 * most keys are short and found in a small direct-mapped table, the rest in
 * a local copy, and only a key new to this thread takes the lock. */
typedef struct {
    uint64_t head, tail; /* a key of 1-16 bytes: its first and last eight */
    uint32_t len, index;
} uf_cache_slot;

typedef struct {
    uf_cache_slot front[256]; /* short keys, direct-mapped: no call, no hash */
    uf_strtab *local;
    uint32_t *global; /* local index -> shared index */
    size_t cap;
} uf_cache;

typedef struct uf_parallel uf_parallel;

typedef struct {
    /* Phase 1 in thread t: 0, or -1 with *bad filled.  The row's fields
     * stay valid until the settle that follows: a row may be handed on as
     * pointers into them. */
    int (*row)(uf_parallel *p, int t, const uf_csv_row *row, uf_bad *bad);
    /* Phase 2 in thread t: settle partition t from what every thread left.
     * 0, or -1 with err (thread t's own) filled: the run stops with it.
     * NULL: nothing to settle (the ids of uf_parallel_note_id settle
     * themselves). */
    int (*settle)(uf_parallel *p, int t, uf_error *err);
    /* Forget everything: the file is read again through uf_csv. */
    void (*reset)(uf_parallel *p);
    void *arg;
    /* The derivation's findings (may be NULL): the rows uf_parallel_see
     * and uf_parallel_note_id count are added in once the file is read,
     * lines in file order, as one core reading it would have seen them. */
    uf_issue *findings;
    size_t nfindings;
} uf_parallel_ops;

/* Reads every row of r's file (r opened with uf_reader_open for cols) with
 * ops, filling r->read and r->seen.  0, or -1 with x->err set. */
int uf_parallel_read(uf_ctx *x, uf_reader *r, size_t ncols, const uf_parallel_ops *ops);
void *uf_parallel_arg(const uf_parallel *p);
/* The raw unit named by s in thread t, counting the row for r->seen. */
uint32_t uf_parallel_unit(uf_parallel *p, int t, const char *s, size_t len,
                          const uf_csv_row *row);
/* The raw unit of the row's field col, checked as uf_ctx_unit checks it:
 * UF_NONE with *bad filled when it is empty or REGION. */
uint32_t uf_parallel_unit_field(uf_parallel *p, int t, const uf_csv_row *row, int col,
                                uf_bad *bad);
/* Index of s in the shared table, through thread t's cache k. */
uint32_t uf_parallel_intern(uf_parallel *p, uf_cache *k, uf_strtab *shared, const char *s,
                            size_t len);
void uf_cache_free(uf_cache *k);

/* One thread's counts for a tally's cells (raw unit x UF_TREND), added to
 * the tally once the file is read: whole numbers, so the sums are the same
 * whichever thread counted what. */
typedef struct {
    long *num, *den;
    size_t n;
} uf_cells;

void uf_cells_add(uf_cells *k, size_t cell, long num, long den);
/* Adds k's counts into t (may be NULL) and frees them. */
void uf_cells_into(uf_cells *k, uf_tally *t, size_t ncells);
/* The file's line of a row's (chunk, line), once the file is read. */
long uf_parallel_line(const uf_parallel *p, long chunk, long line);
/* Counts the row at (chunk, line) for ops->findings[i], in thread t, in
 * either phase. */
void uf_parallel_see(uf_parallel *p, int t, size_t i, long chunk, long line);
/* One more row of thread t left out of the figures (r->rejected). */
void uf_parallel_reject(uf_parallel *p, int t);
/* The trend column of month m (-1 outside the trend) for a row of raw unit
 * u (from uf_parallel_unit) in thread t, counting it for month P as
 * uf_reader_dated does, and setting its bit in *cols (thread t's). */
int uf_parallel_dated(uf_parallel *p, int t, uint32_t u, uf_month m, uint32_t *cols);
/* The row's id in column col (kontakt_id, samtal_id) should be unique in
 * the file: each repeat after the first counts for ops->findings[i].  An
 * empty id (or a file without the column) is none.  In phase 1; the id is
 * checked by its partition in phase 2. */
void uf_parallel_note_id(uf_parallel *p, int t, const uf_csv_row *row, int col, size_t i);

#endif
