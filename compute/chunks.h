/* compute/chunks.h — an extract read by both cores.
 *
 * The file is mapped and cut into chunks at line ends; in each round every
 * thread scans one chunk (phase 1: parse, check, and hand each row's work to
 * the partition that owns it), then every thread settles its own partition
 * (phase 2: what needs one owner, such as interning patients).  Partitions
 * are fixed by key and chunks by byte offsets, so the result never depends
 * on timing.
 *
 * Only the plain form is read this way: no quotes, no control characters but
 * the line ends (LF, CRLF), valid UTF-8, the right number of fields and every
 * field well formed.  At the first row that
 * is anything else the reader starts over through uf_csv, one row at a time,
 * which reports the first fault exactly as every other extract does. */
#ifndef UF_COMPUTE_CHUNKS_H
#define UF_COMPUTE_CHUNKS_H

#include "derive.h"

#include <pthread.h>

#define UF_THREADS UF_PARTS /* one partition each; run() assumes two */
#define UF_CHUNK_COLS 8

typedef struct {
    const char *f[UF_CHUNK_COLS]; /* by requested column; not NUL-terminated */
    size_t len[UF_CHUNK_COLS];
    long chunk; /* -1: line is the file's line; else local to the chunk */
    long line;
} uf_row;

/* What was wrong with a row's field: the slow path reports it. */
typedef struct {
    int col, echo;
    const char *expected;
} uf_bad;

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

typedef struct uf_chunks uf_chunks;

typedef struct {
    /* Phase 1 in thread t: 0, or -1 with *bad filled. */
    int (*row)(uf_chunks *c, int t, const uf_row *row, uf_bad *bad);
    /* Phase 2 in thread t: settle partition t from what every thread left. */
    void (*settle)(uf_chunks *c, int t);
    /* Forget everything: the file is read again through uf_csv. */
    void (*reset)(uf_chunks *c);
    void *arg;
} uf_chunk_ops;

/* Reads every row of r's file (r opened with uf_reader_open for cols) with
 * ops, filling r->read and r->seen.  0, or -1 with x->err set. */
int uf_chunks_read(uf_ctx *x, uf_reader *r, const uf_column *cols, size_t ncols,
                   const uf_chunk_ops *ops);
void *uf_chunks_arg(const uf_chunks *c);
/* The raw unit named by s in thread t, counting the row for r->seen. */
uint32_t uf_chunks_unit(uf_chunks *c, int t, const char *s, size_t len, const uf_row *row);
/* Index of s in the shared table, through thread t's cache k. */
uint32_t uf_chunks_intern(uf_chunks *c, uf_cache *k, uf_strtab *shared, const char *s,
                          size_t len);
void uf_cache_free(uf_cache *k);
/* The file's line of a row's (chunk, line), once the file is read. */
long uf_chunks_line(const uf_chunks *c, long chunk, long line);

#endif
