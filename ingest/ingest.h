/* ingest/ingest.h — ingest's own API, for the stages after it.
 *
 * (Being filled: most of ingest's functions are still declared in
 * uppfolj.h beside the structs they make.) */
#ifndef UF_INGEST_H
#define UF_INGEST_H

#include "uppfolj.h"

/* ingest/csv_chunks.c — the rest of an extract that uf_csv_open has opened,
 * read in chunks that threads can take one each: the file is mapped and cut
 * at line ends about every 8 MiB, and each chunk is read on its own.
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

#endif
