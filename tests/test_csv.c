/* tests/test_csv.c — the streaming reader where a case needs more than a
 * small file: a real extract with renames, field errors, what is no file,
 * rows across the read buffer and a huge header; and the chunked reader,
 * row for row against it.  The rules of SPEC "Inputs: register extracts" on
 * small texts, and the line, column and wording of every refusal, are cases
 * under tests/suites/csv/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest/ingest.h"

#define DATA UF_TEST_DATA "/data/csv/"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/uf-test-csv-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = uf_xasprintf("rm -rf '%s'", tmpdir);
    int r = system(cmd);
    free(cmd);
    return r;
}

/* Writes n bytes to a fresh file in tmpdir; returns its path (caller frees). */
static char *write_file(const char *bytes, size_t n)
{
    static int seq;
    char *path = uf_xasprintf("%s/%d.csv", tmpdir, seq++);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const uf_column two[] = {{"a", 1}, {"b", 1}};

static void assert_field(const uf_csv *c, size_t col, const char *want)
{
    size_t len = 99;
    const char *v = uf_csv_get(c, col, &len);
    assert_string_equal(v, want);
    assert_int_equal(len, strlen(want));
}

static void bom_crlf_quotes(void **state)
{
    (void)state;
    static const uf_column cols[] = {{"enhet_id", 1},     {"kontaktdatum", 1}, {"bedomningsdatum", 1},
                                     {"legitimerad", 1},  {"kommentar", 0},    {"patientvald_vantan", 0}};
    static const uf_rename ren[] = {{"bedomningsdatum", "Bedömnings;datum"}, {"other", "Legitimerad"}};
    uf_error err;
    uf_csv *c = uf_csv_open(DATA "kontakter_bom_crlf.csv", "kontakter.csv", cols, 6, ren, 2, &err);
    assert_non_null(c);
    assert_string_equal(uf_csv_display(c), "kontakter.csv");
    assert_true(uf_csv_has(c, 0) && uf_csv_has(c, 2) && uf_csv_has(c, 4));
    assert_false(uf_csv_has(c, 5));

    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_int_equal(uf_csv_line(c), 2);
    assert_field(c, 0, "VC01");
    assert_field(c, 2, "2024-08-02");
    assert_field(c, 4, "Ring; sedan \"akut\"");
    assert_field(c, 5, "");

    assert_int_equal(uf_csv_next(c, &err), 1); /* line 3 is blank */
    assert_int_equal(uf_csv_line(c), 4);
    assert_field(c, 2, "");
    assert_field(c, 3, "n");
    assert_field(c, 4, "rad ett\r\nrad två"); /* a quoted field is taken as is */

    assert_int_equal(uf_csv_next(c, &err), 1); /* after a row spanning lines 4-5 */
    assert_int_equal(uf_csv_line(c), 6);
    assert_field(c, 0, "VC03"); /* unquoted fields are trimmed */
    assert_field(c, 4, "");

    assert_int_equal(uf_csv_next(c, &err), 0);
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);
}

static void comma_delimiter_and_renames(void **state)
{
    (void)state;
    static const uf_column cols[] = {{"enhet_id", 1}, {"namn", 1}, {"kommun", 0}};
    static const uf_rename ren[] = {{"enhet_id", "enhet"}};
    uf_error err;
    uf_csv *c = uf_csv_open(DATA "enheter_komma.csv", "enheter.csv", cols, 3, ren, 1, &err);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "VC01");
    assert_field(c, 1, "Vårdcentralen Norr, Växjö");
    assert_field(c, 2, "Växjö");
    assert_int_equal(uf_csv_next(c, &err), 1); /* the last line has no newline */
    assert_int_equal(uf_csv_line(c), 3);
    assert_field(c, 1, "Läkarhuset");
    assert_field(c, 2, "Ljungby");
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);
}

static void field_errors(void **state)
{
    (void)state;
    static const uf_column cols[] = {{"datum", 1}, {"patient_id", 1}, {"saknas", 0}};
    const char *text = "x;Patient_ID;Datum\n1;P123;2024-13-01\n\n1; ;\n";
    char *path = write_file(text, strlen(text));
    uf_error err;
    uf_csv *c = uf_csv_open(path, "besok.csv", cols, 3, NULL, 0, &err);
    free(path);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    uf_csv_field_error(c, 0, 1, "ett datum ÅÅÅÅ-MM-DD", &err);
    assert_int_equal(err.code, UF_ERR_INPUT);
    assert_string_equal(err.source, "besok.csv");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.column_name, "Datum");
    assert_string_equal(err.text, "väntade ett datum ÅÅÅÅ-MM-DD, fick \"2024-13-01\"");
    uf_csv_field_error(c, 1, 0, "ett patient-id", &err); /* never echoed */
    assert_int_equal(err.column, 2);
    assert_string_equal(err.column_name, "Patient_ID");
    assert_string_equal(err.text, "väntade ett patient-id");
    uf_csv_field_error(c, 2, 1, "en siffra", &err);
    assert_int_equal(err.column, 0);
    assert_string_equal(err.text, "väntade en siffra, fältet är tomt");
    assert_int_equal(uf_csv_next(c, &err), 1);
    uf_csv_field_error(c, 0, 1, "ett datum", &err);
    assert_int_equal(err.line, 4);
    assert_string_equal(err.text, "väntade ett datum, fältet är tomt");
    uf_csv_close(c);
}

static void io_errors(void **state)
{
    (void)state;
    uf_error err;
    assert_null(uf_csv_open("/nonexistent/k.csv", "k.csv", two, 2, NULL, 0, &err));
    assert_int_equal(err.code, UF_ERR_IO);
    assert_string_equal(err.source, "k.csv");
    assert_string_equal(err.text, "kunde inte öppna filen: filen finns inte");
    /* A FIFO with no writer would block open() for ever; a folder is no
     * file either: each is refused at once, saying what it is. */
    char *fifo = uf_xasprintf("%s/fifo.csv", tmpdir);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_null(uf_csv_open(fifo, "k.csv", two, 2, NULL, 0, &err));
    assert_int_equal(err.code, UF_ERR_INPUT);
    assert_string_equal(err.text, "är en namngiven pipe (FIFO), inte en vanlig fil; väntade en fil");
    assert_null(uf_csv_open(tmpdir, "k.csv", two, 2, NULL, 0, &err));
    assert_string_equal(err.text, "är en mapp, inte en vanlig fil; väntade en fil");
    free(fifo);
}

/* ------------------------------------------------- beyond one buffer */

struct sink {
    char *s;
    size_t n, cap;
};

static void put(struct sink *k, const char *s, size_t n)
{
    if (k->n + n > k->cap) {
        k->cap = (k->n + n) * 2;
        k->s = uf_xrealloc(k->s, k->cap);
    }
    memcpy(k->s + k->n, s, n);
    k->n += n;
}

static void puts_(struct sink *k, const char *s) { put(k, s, strlen(s)); }

/* Rows of every shape, 3.5 MiB of them, so that rows, quoted newlines, CRLF
 * pairs and multi-byte characters fall across the 1 MiB read boundaries;
 * every field and line number is checked on the way back. */
static void across_buffers(void **state)
{
    (void)state;
    static const char *pieces[] = {"abc", "ä", "€", ";", "\"", "\n", "\r\n", " ", "x,y", "\xf0\x9f\x98\x80"};
    struct sink file = {0};
    puts_(&file, "\xef\xbb\xbf" "a;b\r\n");
    enum { MAXROWS = 200000 };
    char **want = uf_xcalloc(MAXROWS, sizeof *want);
    long *line = uf_xcalloc(MAXROWS, sizeof *line);
    long ln = 2;
    unsigned rnd = 12345;
    size_t rows = 0;
    while (file.n < (7u << 19)) {
        assert_true(rows < MAXROWS);
        struct sink v = {0};
        int quoted = 0;
        for (int k = (int)(rnd >> 28); k >= 0; k--) {
            rnd = rnd * 1103515245u + 12345u;
            const char *p = pieces[(rnd >> 16) % 10];
            /* Spaces at the ends of a field only survive inside quotes. */
            quoted |= strpbrk(p, ";\"\n ") != NULL;
            puts_(&v, p);
        }
        put(&v, "", 1);
        want[rows] = v.s;
        line[rows++] = ln;
        char id[24];
        snprintf(id, sizeof id, "%zu;", rows);
        puts_(&file, id);
        if (quoted)
            puts_(&file, "\"");
        for (const char *p = v.s; *p; p++) {
            if (*p == '"')
                puts_(&file, "\"");
            ln += *p == '\n';
            put(&file, p, 1);
        }
        puts_(&file, quoted ? "\"" : "");
        puts_(&file, rows % 3 ? "\n" : "\r\n");
        ln++;
    }
    /* One row longer than the buffer makes it grow. */
    struct sink big = {0};
    for (int i = 0; i < 300000; i++)
        puts_(&big, "ä;b ");
    put(&big, "", 1);
    puts_(&file, "big;\"");
    puts_(&file, big.s);
    puts_(&file, "\"");
    char *path = write_file(file.s, file.n);
    uf_error err;
    uf_csv *c = uf_csv_open(path, "stor.csv", two, 2, NULL, 0, &err);
    free(path);
    assert_non_null(c);
    for (size_t i = 0; i < rows; i++) {
        assert_int_equal(uf_csv_next(c, &err), 1);
        char id[24];
        snprintf(id, sizeof id, "%zu", i + 1);
        assert_field(c, 0, id);
        assert_field(c, 1, want[i]);
        assert_int_equal(uf_csv_line(c), line[i]);
        free(want[i]);
    }
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "big");
    assert_field(c, 1, big.s);
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);
    free(big.s);
    free(file.s);
    free(want);
    free(line);
}

/* A two-byte character split exactly by the first read: its first byte
 * is the buffer's last. */
static void character_on_the_boundary(void **state)
{
    (void)state;
    enum { BUF = 1 << 20 };
    struct sink file = {0};
    puts_(&file, "a;b\n");
    while (file.n < BUF - 100)
        puts_(&file, "1;filler\n");
    puts_(&file, "2;");
    size_t start = file.n;
    while (file.n < BUF - 1)
        puts_(&file, "x");
    puts_(&file, "ä\n3;ok\n");
    assert_int_equal((unsigned char)file.s[BUF - 1], 0xc3);
    char *path = write_file(file.s, file.n);
    uf_error err;
    uf_csv *c = uf_csv_open(path, "x.csv", two, 2, NULL, 0, &err);
    free(path);
    assert_non_null(c);
    int r;
    size_t len = 0;
    while ((r = uf_csv_next(c, &err)) == 1 && strcmp(uf_csv_get(c, 0, NULL), "2") != 0)
        ;
    assert_int_equal(r, 1);
    const char *v = uf_csv_get(c, 1, &len);
    assert_int_equal(len, BUF - 1 - start + 2);
    assert_memory_equal(v + len - 2, "ä", 2);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 1, "ok");
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);
    free(file.s);
}

/* A quote opened before a read boundary and never closed is reported at
 * its own line and column, not where the buffer was refilled. */
static void unterminated_quote_across_boundary(void **state)
{
    (void)state;
    struct sink file = {0};
    puts_(&file, "a;b\n");
    long lines = 1;
    for (; file.n < (1 << 20) - 100; lines++)
        puts_(&file, "1;filler\n");
    puts_(&file, "2;\"opened here\n");
    for (int i = 0; i < 1000; i++)
        puts_(&file, "3;more\n");
    char *path = write_file(file.s, file.n);
    uf_error err;
    uf_csv *c = uf_csv_open(path, "x.csv", two, 2, NULL, 0, &err);
    free(path);
    assert_non_null(c);
    int r;
    while ((r = uf_csv_next(c, &err)) == 1)
        ;
    assert_int_equal(r, -1);
    assert_int_equal(err.line, lines + 1);
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.text, "avslutas aldrig"));
    uf_csv_close(c);
    free(file.s);
}

/* A header of a million columns is read in a moment: duplicates are found
 * by sorting, not by comparing every pair (which never finished). */
static void huge_header(void **state)
{
    (void)state;
    enum { N = 1000000 };
    struct sink file = {0};
    puts_(&file, "a;b");
    char name[32];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, ";c%d", i);
        puts_(&file, name);
    }
    puts_(&file, ";C17\n");
    char *path = write_file(file.s, file.n);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uf_error err;
    uf_csv *c = uf_csv_open(path, "x.csv", two, 2, NULL, 0, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_null(c);
    assert_int_equal(err.column, N + 3);
    assert_string_equal(err.column_name, "C17");
    assert_non_null(strstr(err.text, "(kolumn 20 och 1000003)"));
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (s > 20)
        fail_msg("a header of %d columns took %.1f s", N + 3, s);
    free(path);
    free(file.s);
}

/* ------------------------------------------------------- the chunked reader */

/* Reads path with the chunked reader and with uf_csv side by side: every row
 * the chunks give must be uf_csv's, field for field, at the same line.
 * Returns how many rows they gave; *whole is set when they took the whole
 * file (uf_csv then has no row left), cleared when they stopped at a row. */
static long chunks_vs_stream(const char *path, const uf_column *cols, size_t ncols,
                             const uf_rename *ren, size_t nren, size_t *nchunks, int *whole)
{
    uf_error err = {0};
    uf_csv *c = uf_csv_open(path, "x.csv", cols, ncols, ren, nren, &err);
    uf_csv *stream = uf_csv_open(path, "x.csv", cols, ncols, ren, nren, &err);
    assert_non_null(c);
    assert_non_null(stream);
    uf_csv_chunks *m = uf_csv_chunks_open(c);
    assert_non_null(m);
    *nchunks = uf_csv_chunks_count(m);
    long base = uf_csv_chunks_first_line(m), rows = 0;
    int r = 0;
    for (size_t k = 0; k < *nchunks && r == 0; k++) {
        uf_csv_cursor cur;
        uf_csv_row row;
        uf_csv_chunk_begin(m, k, &cur, &row);
        while ((r = uf_csv_chunk_next(&cur, &row)) == 1) {
            assert_int_equal(uf_csv_next(stream, &err), 1);
            assert_int_equal(base + row.line, uf_csv_line(stream));
            for (size_t j = 0; j < ncols; j++) {
                size_t len;
                const char *want = uf_csv_get(stream, j, &len);
                if (len != row.len[j] || memcmp(want, row.f[j], len) != 0)
                    fail_msg("line %ld, column %zu: \"%.*s\", not \"%s\"", base + row.line,
                             j, (int)row.len[j], row.f[j], want);
            }
            rows++;
        }
        base += cur.line;
    }
    *whole = r == 0;
    if (*whole)
        assert_int_equal(uf_csv_next(stream, &err), 0);
    uf_csv_chunks_close(m);
    uf_csv_close(stream);
    uf_csv_close(c);
    return rows;
}

/* The plain form is read whole, as uf_csv reads it: BOM, CRLF, blank and
 * space-only lines, rows of delimiters only, spaces around fields, UTF-8,
 * renames, a quoted header, a missing optional column, no newline at the end. */
static void chunks_plain(void **state)
{
    (void)state;
    static const uf_column cols[] = {{"a", 1}, {"b", 1}, {"c", 0}};
    static const uf_rename ren[] = {{"b", "Bee"}};
    static const struct {
        const char *text;
        long rows;
    } cases[] = {
        {"\xef\xbb\xbf\r\n  A ; bee \r\n\r\n1;2\r\n 3 ; 4 \n   \n\n5;6\n", 3},
        {"\"a\";\"Bee\";\"c\"\nVäxjö;Ö;Åmål\nx;;\n;;\n", 2}, /* ";;" is hollow: skipped */
        {"a,bee\n1,2\n3,4", 2},
        {"a;bee;c\n1;2;3\r\n4;5;6\r\n", 2},
        {"a;bee\n\n\n", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *path = write_file(cases[i].text, strlen(cases[i].text));
        size_t nchunks;
        int whole;
        long rows = chunks_vs_stream(path, cols, 3, ren, 1, &nchunks, &whole);
        if (!whole || rows != cases[i].rows)
            fail_msg("case %zu: %ld rows, whole %d", i, rows, whole);
        assert_int_equal(nchunks, 1);
        free(path);
    }
}

/* Anything else stops the chunked reader at its row, having given the rows
 * before it as uf_csv does; uf_csv then reads the file and says what is
 * wrong (or reads the quoted field). */
static void chunks_stop(void **state)
{
    (void)state;
    static const char *rows[] = {
        "1;\"2\"\n",    "1;2\t\n",     "1;x\xc2\x85y\n", "1;\xc3\n",  "1;\xed\xa0\x80\n",
        "1\n",          "1;2;3\n",      "1;\x7f\n",       "1;2\r3\n",    "1;a\x01b\n",
        "1;2\r\r\n",
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char *text = uf_xasprintf("a;b\nx;y\n\nz;w\n%sq;r\n", rows[i]);
        char *path = write_file(text, strlen(text));
        size_t nchunks;
        int whole;
        long n = chunks_vs_stream(path, two, 2, NULL, 0, &nchunks, &whole);
        if (whole || n != 2)
            fail_msg("row %zu: %ld rows, whole %d", i, n, whole);
        free(path);
        free(text);
    }
    /* a NUL too: write_file is given the length */
    char *path = write_file("a;b\n1;2\n3;\0\n", 13);
    size_t nchunks;
    int whole;
    assert_int_equal(chunks_vs_stream(path, two, 2, NULL, 0, &nchunks, &whole), 1);
    assert_false(whole);
    free(path);
    /* no rows, or more columns than a row carries: not read in chunks */
    uf_error err;
    path = write_file("a;b\n", 4);
    uf_csv *c = uf_csv_open(path, "x.csv", two, 2, NULL, 0, &err);
    assert_null(uf_csv_chunks_open(c));
    uf_csv_close(c);
    free(path);
    static const uf_column nine[] = {{"a", 1}, {"b", 0}, {"c", 0}, {"d", 0}, {"e", 0},
                                     {"f", 0}, {"g", 0}, {"h", 0}, {"i", 0}};
    path = write_file("a;b\n1;2\n", 8);
    c = uf_csv_open(path, "x.csv", nine, 9, NULL, 0, &err);
    assert_non_null(c);
    assert_null(uf_csv_chunks_open(c));
    uf_csv_close(c);
    free(path);
}

/* The chunked reader classifies 64 bytes at a time.  Rows whose delimiter,
 * CRLF and UTF-8 sequences of two, three and four bytes fall at every offset
 * of a block (and across two) are read as uf_csv reads them; and a quote, a
 * tab, DEL, a lone continuation byte, a C1 control or an overlong sequence
 * put at each of the first 640 bytes stops it at its row. */
static void chunks_block_edges(void **state)
{
    (void)state;
    static const char *const wide[] = {"\xc3\xb6", "\xe2\x82\xac", "\xf0\x9d\x84\x9e"};
    struct sink file = {0};
    puts_(&file, "a;b\n");
    char row[256], pad[160];
    memset(pad, 'x', sizeof pad);
    long n = 0;
    for (int k = 0; k < 140; k++, n++) {
        snprintf(row, sizeof row, "%.*s;%s%.*s\r\n", k, pad, wide[k % 3], k % 3, "  ");
        puts_(&file, row);
    }
    char *path = write_file(file.s, file.n);
    size_t nchunks;
    int whole;
    assert_int_equal(chunks_vs_stream(path, two, 2, NULL, 0, &nchunks, &whole), n);
    assert_true(whole);
    remove(path);
    free(path);
    static const char *const bad[] = {"\"", "\t", "\x7f", "\x80", "\xc2\x85", "\xc0\xaf"};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
        size_t len = strlen(bad[b]);
        for (size_t at = 4; at < 640; at++) {
            if (memcmp(file.s + at, pad, len) != 0)
                continue;
            char *text = uf_xmalloc(file.n);
            memcpy(text, file.s, file.n);
            memcpy(text + at, bad[b], len);
            long before = 0; /* the rows ending before the bad bytes */
            for (size_t i = 4; i < at; i++)
                before += text[i] == '\n';
            path = write_file(text, file.n);
            long got = chunks_vs_stream(path, two, 2, NULL, 0, &nchunks, &whole);
            if (got != before || whole)
                fail_msg("bad %zu at byte %zu: %ld rows, whole %d", b, at, got, whole);
            remove(path);
            free(path);
            free(text);
        }
    }
    free(file.s);
}

/* A file of exactly one or two pages, with and without a final line end:
 * the last block is copied, never read past the mapping (which ends at a
 * page, so a read past it would fault). */
static void chunks_page_end(void **state)
{
    (void)state;
    for (size_t size = 4096; size <= 8192; size += 4096)
        for (int newline = 0; newline < 2; newline++) {
            char *text = uf_xmalloc(size);
            memcpy(text, "a;b\n", 4);
            size_t at = 4;
            long rows = 0;
            for (; size - at > 40; rows++)
                at += (size_t)sprintf(text + at, "r%ld;Växjö %ld\n", rows, rows * 7);
            /* the last row fills the rest: "z;" then letters, then maybe a line end */
            text[at++] = 'z';
            text[at++] = ';';
            memset(text + at, 'y', size - at);
            if (newline)
                text[size - 1] = '\n';
            rows++;
            char *path = write_file(text, size);
            size_t nchunks;
            int whole;
            assert_int_equal(chunks_vs_stream(path, two, 2, NULL, 0, &nchunks, &whole), rows);
            assert_true(whole);
            remove(path);
            free(path);
            free(text);
        }
}

/* 20 MiB of rows: the chunks are cut at line ends, every row is read once
 * and named by its line across the cuts, as uf_csv names it.  A chunk is a
 * 32nd of the file (so 32, or 33 for the remainder), not 8 MiB: a file of a
 * few megabytes still gives both cores work. */
static void chunks_many(void **state)
{
    (void)state;
    struct sink file = {0};
    puts_(&file, "\xef\xbb\xbf" "a;b\n");
    char row[64];
    long n = 0;
    for (long i = 0; file.n < 20u << 20; i++) {
        if (i % 1000 == 7)
            puts_(&file, i % 2 ? "\n" : "  \r\n");
        snprintf(row, sizeof row, i % 3 ? "r%ld;Växjö %ld\n" : " r%ld ; ö%ld \r\n", i, i * 7);
        puts_(&file, row);
        n++;
    }
    char *path = write_file(file.s, file.n);
    size_t nchunks;
    int whole;
    assert_int_equal(chunks_vs_stream(path, two, 2, NULL, 0, &nchunks, &whole), n);
    assert_true(whole);
    assert_in_range(nchunks, 32, 33);
    free(path);
    free(file.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bom_crlf_quotes),
        cmocka_unit_test(comma_delimiter_and_renames),
        cmocka_unit_test(field_errors),
        cmocka_unit_test(io_errors),
        cmocka_unit_test(across_buffers),
        cmocka_unit_test(character_on_the_boundary),
        cmocka_unit_test(unterminated_quote_across_boundary),
        cmocka_unit_test(huge_header),
        cmocka_unit_test(chunks_plain),
        cmocka_unit_test(chunks_stop),
        cmocka_unit_test(chunks_block_edges),
        cmocka_unit_test(chunks_page_end),
        cmocka_unit_test(chunks_many),
    };
    return cmocka_run_group_tests_name("csv", tests, setup, teardown);
}
