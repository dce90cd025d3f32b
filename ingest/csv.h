/* ingest/csv.h — private to ingest/: what the streaming reader (csv.c) and
 * the chunked reader (csv_chunks.c) share.
 *
 * The byte-level work of reading an extract is here and only here: finding
 * the next byte that needs a look (a delimiter, a quote, a control character
 * such as the line end, DEL, a byte beyond ASCII), checking UTF-8, trimming
 * and blank rows.  Both readers run these in their innermost loops, so they
 * are inline; making them faster makes both faster.  The header (delimiter,
 * names, renames, duplicates, required and id columns) is read by csv.c
 * alone; the chunked reader takes its result from the opened uf_csv. */
#ifndef UF_INGEST_CSV_H
#define UF_INGEST_CSV_H

#include "ingest/ingest.h"

#include <string.h>

/* ------------------------------------------------------------- byte scan */

#define UF_CSV_ONES 0x0101010101010101ull
#define UF_CSV_HIGHS 0x8080808080808080ull
/* For uf_csv_scan before the delimiter is known: '"' stops it anyway. */
#define UF_CSV_NO_DELIM '"'

/* Nonzero when one of the eight bytes of x (as they lie in memory) is delim,
 * '"', a control character ('\n', '\r' and NUL among them), DEL or not
 * ASCII; the lowest set bit marks the first such byte (a borrow only sets
 * bits above a true match, and a big-endian word is swapped to read like
 * memory). */
static inline uint64_t uf_csv_special(uint64_t x, char delim)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    uint64_t q = x ^ (UF_CSV_ONES * '"'), d = x ^ (UF_CSV_ONES * (unsigned char)delim),
             del = x ^ (UF_CSV_ONES * 0x7f);
    return (((x - UF_CSV_ONES * 0x20) & ~x) | ((q - UF_CSV_ONES) & ~q) |
            ((d - UF_CSV_ONES) & ~d) | ((del - UF_CSV_ONES) & ~del) | x) &
           UF_CSV_HIGHS;
}

/* The first byte from p on that uf_csv_special marks, or end. */
static inline const char *uf_csv_scan(const char *p, const char *end, char delim)
{
    for (; end - p >= 8; p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t m = uf_csv_special(w, delim);
        if (m)
            return p + (__builtin_ctzll(m) >> 3);
    }
    for (; p < end; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == (unsigned char)delim || ch == '"' || ch < 0x20 || ch >= 0x7f)
            break;
    }
    return p;
}

/* The bytes of p[0..64) that uf_csv_scan stops at, as the bits of a word,
 * bit i for p[i]: a chunk's 64 bytes are classified once, and each field
 * then costs a count of trailing zeros, where uf_csv_scan started over at
 * every field of a dozen bytes.  SSE2 is part of every x86-64, so it is
 * compiled in, not chosen at run time; other machines (and the build of
 * tests/test_csv_marks.c that defines UF_CSV_PORTABLE) take eight words of
 * exact byte tests.  UF_CSV_MARKS names the form built. */
#if defined(__SSE2__) && !defined(UF_CSV_PORTABLE)
#include <emmintrin.h>
#define UF_CSV_MARKS "sse2"
static inline uint64_t uf_csv_marks64(const char *p, char delim)
{
    const __m128i d = _mm_set1_epi8(delim), q = _mm_set1_epi8('"'), del = _mm_set1_epi8(0x7f),
                  sp = _mm_set1_epi8(0x20);
    uint64_t m = 0;
    for (int i = 0; i < 64; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        /* signed: below a space is a control character or a byte from 0x80 on */
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, sp), _mm_cmpeq_epi8(v, d)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, del)));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(hit) << i;
    }
    return m;
}
#else
#define UF_CSV_MARKS "words"
static inline uint64_t uf_csv_marks64(const char *p, char delim)
{
    const uint64_t low7 = UF_CSV_ONES * 0x7f;
    uint64_t m = 0;
    for (int i = 0; i < 64; i += 8) {
        uint64_t x, hit;
        memcpy(&x, p + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        x = __builtin_bswap64(x);
#endif
        /* a byte's top bit is set when it is below 0x20 or from 0x80 on */
        hit = ~((x & low7) + UF_CSV_ONES * 0x60) | x;
        const unsigned char eq[] = {(unsigned char)delim, '"', 0x7f};
        for (int k = 0; k < 3; k++) {
            uint64_t y = x ^ (UF_CSV_ONES * eq[k]);
            hit |= ~(((y & low7) + low7) | y);
        }
        /* the top bits, byte j's to bit j */
        m |= (((hit & UF_CSV_HIGHS) >> 7) * 0x0102040810204080ull) >> 56 << i;
    }
    return m;
}
#endif

/* ------------------------------------------------------------------ UTF-8 */

/* Length of the well-formed UTF-8 sequence at s (avail bytes there; RFC
 * 3629: no overlongs, no surrogates, nothing past U+10FFFF), 0 if it is not
 * one, -1 if it may be one but runs past avail. */
static inline int uf_csv_utf8(const unsigned char *s, size_t avail)
{
    int n;
    unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        if (s[0] == 0xe0)
            lo = 0xa0; /* overlong */
        else if (s[0] == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        if (s[0] == 0xf0)
            lo = 0x90; /* overlong */
        else if (s[0] == 0xf4)
            hi = 0x8f; /* beyond U+10FFFF */
    } else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((size_t)i >= avail)
            return -1;
        unsigned char lo_i = i == 1 ? lo : 0x80, hi_i = i == 1 ? hi : 0xbf;
        if (s[i] < lo_i || s[i] > hi_i)
            return 0;
    }
    return n;
}

/* The well-formed sequence at s is a C1 control, U+0080..U+009F. */
static inline int uf_csv_c1(const unsigned char *s) { return s[0] == 0xc2 && s[1] < 0xa0; }

/* ------------------------------------------------------- spaces, blank rows */

/* The first byte of [s, e) that is not a space or a tab, or e. */
static inline const char *uf_csv_skip(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

/* The end of [s, e) without its trailing spaces and tabs. */
static inline const char *uf_csv_back(const char *s, const char *e)
{
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    return e;
}

/* A row of nothing but spaces, tabs (and the CR of a CRLF) is blank. */
static inline int uf_csv_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* A row of nothing but delimiters (and what uf_csv_blank allows) is hollow:
 * what a spreadsheet leaves below its data (";;;;;"), skipped and counted. */
static inline int uf_csv_hollow(const char *s, size_t n, char delim)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != delim && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* ---------------------------------------------- an opened file, for chunks */

/* What uf_csv_open found, for reading the rest of the file another way. */
typedef struct {
    int fd;              /* open on the file, at no particular offset */
    char delim;
    size_t nfile;        /* fields per row */
    size_t ncols;        /* requested columns */
    const long *map;     /* requested column -> file position, or -1 */
    long long data;      /* file offset where the rows after the header begin */
    long data_line;      /* the line there */
} uf_csv_shape;

/* c as uf_csv_open left it: before its first uf_csv_next. */
void uf_csv_shape_of(const uf_csv *c, uf_csv_shape *s);

#endif
