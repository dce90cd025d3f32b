/* ingest/csv_chunks.c — the chunked reader: the rows after the header,
 * mapped and cut into chunks at line ends (see ingest.h).
 *
 * It reads only the plain form and stops at anything else; csv.c, which
 * read the header, then reads the file from the start of the data and says
 * what is wrong, so a fault has one wording whichever reader met it. */
#include "csv.h"
#include "ingest/ingest.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The fuzz build makes it tiny so that rows are cut into many chunks. */
#ifndef UF_CSV_CHUNK
#define UF_CSV_CHUNK (8 << 20)
#endif
/* A chunk is a 32nd of the file, within these: a region's extracts of a
 * few megabytes then keep both cores busy too, where 8 MiB chunks gave a
 * listing of 4 MB to one of them. */
enum { CHUNK_MAX = UF_CSV_CHUNK, CHUNK_MIN = CHUNK_MAX < 256 << 10 ? CHUNK_MAX : 256 << 10 };

struct uf_csv_chunks {
    const char *map;
    size_t size, data_start;
    long data_line;
    char delim;
    size_t nfile, nchunks, chunk;
    int *col_of; /* file position -> requested column, or -1 */
    size_t ncols;
};

/* The whole of the mapping: the file's pages and a guard page after them. */
static size_t span_of(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (size + page - 1) / page * page + page;
}

/* fd's size bytes, mapped before a page that cannot be read: a read past
 * the file's end faults, whatever else is mapped there, instead of reading
 * it (tests/test_csv.c chunks_page_end). */
static void *map_guarded(int fd, size_t size)
{
    void *area = mmap(NULL, span_of(size), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
        return MAP_FAILED;
    void *map = mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (map == MAP_FAILED)
        munmap(area, span_of(size));
    return map;
}

uf_csv_chunks *uf_csv_chunks_open(const uf_csv *csv)
{
    uf_csv_shape sh;
    uf_csv_shape_of(csv, &sh);
    if (sh.ncols > UF_CSV_ROW_COLS)
        return NULL;
    int *col_of = uf_xmalloc(sh.nfile * sizeof *col_of);
    for (size_t j = 0; j < sh.nfile; j++)
        col_of[j] = -1;
    for (size_t k = 0; k < sh.ncols; k++) {
        long j = sh.map[k];
        if (j >= 0 && col_of[j] >= 0) { /* two columns renamed to one: one row, two fields */
            free(col_of);
            return NULL;
        }
        if (j >= 0)
            col_of[j] = (int)k;
    }
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(sh.fd, &st) == 0 && st.st_size > sh.data)
        map = map_guarded(sh.fd, (size_t)st.st_size);
    if (map == MAP_FAILED) {
        free(col_of);
        return NULL;
    }
    madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
    uf_csv_chunks *m = uf_xcalloc(1, sizeof *m);
    *m = (uf_csv_chunks){.map = map, .size = (size_t)st.st_size, .data_start = (size_t)sh.data,
                         .data_line = sh.data_line, .delim = sh.delim, .nfile = sh.nfile,
                         .col_of = col_of, .ncols = sh.ncols};
    size_t data = m->size - m->data_start;
    m->chunk = data / 32 < CHUNK_MIN ? CHUNK_MIN : data / 32 > CHUNK_MAX ? CHUNK_MAX : data / 32;
    m->nchunks = (data + m->chunk - 1) / m->chunk;
    return m;
}

size_t uf_csv_chunks_count(const uf_csv_chunks *m) { return m->nchunks; }

long uf_csv_chunks_first_line(const uf_csv_chunks *m) { return m->data_line; }

/* The bytes of chunk k: from the row that starts in it to the next one's. */
static const char *chunk_start(const uf_csv_chunks *m, size_t k)
{
    const char *end = m->map + m->size;
    if (k == 0)
        return m->map + m->data_start;
    size_t at = m->data_start + k * m->chunk;
    if (at >= m->size)
        return end;
    const char *nl = memchr(m->map + at - 1, '\n', m->size - at + 1);
    return nl ? nl + 1 : end;
}

/* The marks of the bytes from at on, up to 64 of them and none at or past
 * end.  The chunk's last bytes are copied first, so nothing after the last
 * chunk, past the mapping, is read. */
static uint64_t marks_at(const char *at, const char *end, char delim)
{
    if (end - at >= 64)
        return uf_csv_marks64(at, delim);
    char tail[64] = {0};
    size_t n = (size_t)(end - at);
    memcpy(tail, at, n);
    return uf_csv_marks64(tail, delim) & ((1ull << n) - 1);
}

/* The first byte from q on (q at or past cur->at) that uf_csv_special
 * marks, or end. */
static inline const char *next_mark(uf_csv_cursor *cur, const char *q, const char *end, char delim)
{
    for (;;) {
        size_t off = (size_t)(q - cur->at);
        if (off < 64) {
            uint64_t left = cur->marks & (~0ull << off);
            if (left)
                return cur->at + __builtin_ctzll(left);
            if (end - cur->at <= 64)
                return end;
            q = cur->at + 64;
        }
        if (q >= end)
            return end;
        cur->at = q;
        cur->marks = marks_at(q, end, delim);
    }
}

void uf_csv_chunk_begin(const uf_csv_chunks *m, size_t k, uf_csv_cursor *cur, uf_csv_row *row)
{
    *cur = (uf_csv_cursor){.m = m, .p = chunk_start(m, k), .end = chunk_start(m, k + 1), .chunk = (long)k};
    cur->at = cur->p;
    cur->marks = cur->p < cur->end ? marks_at(cur->p, cur->end, m->delim) : 0;
    /* the columns the file has are set by every row */
    for (size_t i = 0; i < m->ncols; i++) {
        row->f[i] = "";
        row->len[i] = 0;
    }
    row->chunk = (long)k;
}

int uf_csv_chunk_next(uf_csv_cursor *cur, uf_csv_row *row)
{
    const uf_csv_chunks *m = cur->m;
    const char *p = cur->p, *end = cur->end;
    char delim = m->delim;
    while (p < end) {
        const char *f = p, *q = p;
        size_t j = 0;
        int filled = 0; /* some field is more than spaces */
        for (;;) {
            q = next_mark(cur, q, end, delim);
            if (q < end && (unsigned char)*q >= 0x80) {
                int n = uf_csv_utf8((const unsigned char *)q, (size_t)(end - q));
                if (n <= 0 || uf_csv_c1((const unsigned char *)q))
                    return -1;
                q += n;
                continue;
            }
            if (q < end && *q == '\r' && (q + 1 == end || q[1] == '\n')) {
                q++; /* a CRLF line end */
                continue;
            }
            if (q < end && *q != delim && *q != '\n')
                return -1; /* a quote, a tab, DEL or another control character */
            size_t len = (size_t)(q - f);
            if (q == end || *q == '\n') {
                len -= len > 0 && f[len - 1] == '\r';
                if (j == 0 && uf_csv_blank(f, len))
                    break;
            }
            const char *fs = uf_csv_skip(f, f + len);
            filled |= fs < f + len;
            if (j < m->nfile && m->col_of[j] >= 0) {
                row->f[m->col_of[j]] = fs;
                row->len[m->col_of[j]] = (size_t)(uf_csv_back(fs, f + len) - fs);
            }
            j++;
            if (q == end || *q == '\n')
                break;
            f = ++q;
        }
        long line = cur->line;
        cur->line += q < end;
        p = cur->p = q < end ? q + 1 : end;
        if (j && !filled) { /* delimiters and spaces only: hollow, as uf_csv sees it */
            uf_issue_see(&cur->hollow, line);
            continue;
        }
        if (j) {
            if (j != m->nfile)
                return -1;
            row->line = line;
            return 1;
        }
    }
    return 0;
}

/* The page cache may hold the file in folios of up to 2 MiB, mapped whole
 * by a fault, so a forgotten range can be mapped again by the reading of a
 * chunk beside it.  Each chunk forgets, with its own bytes, the 64 MiB
 * before it: those are read by nobody any more (every chunk before k is
 * done when k is), and a page dropped too soon would only be mapped again
 * from the cache.  Forgetting only the chunk's own bytes left 100 MiB of a
 * national besok.csv mapped. */
enum { BEHIND = 64 << 20 };

void uf_csv_chunk_forget(const uf_csv_chunks *m, size_t k)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t map = (uintptr_t)m->map, at = (uintptr_t)chunk_start(m, k) & ~(page - 1);
    uintptr_t a = at - map > BEHIND ? at - BEHIND : map;
    uintptr_t b = (uintptr_t)chunk_start(m, k + 1) & ~(page - 1);
    if (b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

void uf_csv_chunks_close(uf_csv_chunks *m)
{
    if (!m)
        return;
    munmap((void *)m->map, span_of(m->size));
    free(m->col_of);
    free(m);
}
