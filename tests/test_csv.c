/* tests/test_csv.c — the streaming reader: every rule of SPEC "Inputs:
 * register extracts", and the line, column and wording of every refusal. */
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

/* Opens text (a C string) with columns a and b, both required. */
static uf_csv *open_text(const char *text, uf_error *err)
{
    char *path = write_file(text, strlen(text));
    uf_csv *c = uf_csv_open(path, "x.csv", two, 2, NULL, 0, err);
    free(path);
    return c;
}

static void assert_field(const uf_csv *c, size_t col, const char *want)
{
    size_t len = 99;
    const char *v = uf_csv_get(c, col, &len);
    assert_string_equal(v, want);
    assert_int_equal(len, strlen(want));
}

/* Reads text through to its first error and checks where and what it is. */
static void assert_rejected(const char *text, long line, int column, const char *msg)
{
    uf_error err = {0};
    uf_csv *c = open_text(text, &err);
    int r = 0;
    if (c) {
        while ((r = uf_csv_next(c, &err)) == 1)
            ;
        uf_csv_close(c);
    }
    assert_int_equal(r, c ? -1 : 0);
    assert_int_equal(err.code, UF_ERR_INPUT);
    assert_string_equal(err.source, "x.csv");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    if (!strstr(err.text, msg))
        fail_msg("\"%s\" does not contain \"%s\"", err.text, msg);
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

    /* The renamed column is looked for under its file name only. */
    static const uf_rename other[] = {{"enhet_id", "VC-kod"}};
    c = uf_csv_open(DATA "enheter_komma.csv", "enheter.csv", cols, 3, other, 1, &err);
    assert_null(c);
    assert_int_equal(err.code, UF_ERR_INPUT);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.column_name, "VC-kod");
    assert_string_equal(err.text, "kolumnen \"VC-kod\" (för enhet_id) saknas i rubrikraden, som "
                                  "har: Enhet, Namn, Regi, Kommun; väntade den kolumnen (heter den "
                                  "något annat: ange namnet under \"columns\" i inställningarna)");
}

static void delimiter_detection(void **state)
{
    (void)state;
    uf_error err;
    /* ',' inside quotes does not count; ';' wins. */
    uf_csv *c = open_text("\"a,x\";b\n1,5;2\n", &err);
    assert_null(c); /* "a,x" is not a */
    c = open_text("a;\"b,c\"\n1,5;2\n", &err);
    assert_null(c);
    assert_string_equal(err.column_name, "b");
    static const uf_column one[] = {{"b,c", 1}};
    const char *text = "a;\"b,c\"\n1,5;2\n";
    char *path = write_file(text, strlen(text));
    c = uf_csv_open(path, "x.csv", one, 1, NULL, 0, &err);
    free(path);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "2");
    uf_csv_close(c);
    /* One of each outside quotes: ';', the Swedish export default. */
    static const uf_column bc[] = {{"b,c", 1}, {"a", 1}};
    text = "a;b,c\n1;2,5\n";
    path = write_file(text, strlen(text));
    c = uf_csv_open(path, "x.csv", bc, 2, NULL, 0, &err);
    free(path);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "2,5");
    assert_field(c, 1, "1");
    uf_csv_close(c);
    assert_rejected("a b\n1 2\n", 1, 0,
                    "hittade ingen avgränsare i rubrikraden; väntade kolumnnamn åtskilda med ; "
                    "eller ,");
    assert_rejected("\"a;b\"\n1\n", 1, 0, "hittade ingen avgränsare");
}

static void headers(void **state)
{
    (void)state;
    uf_error err;
    uf_csv *c = open_text("  B ;X;A\nb1;x;a1\n", &err); /* order, case, spaces */
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "a1");
    assert_field(c, 1, "b1");
    uf_csv_close(c);
    c = open_text("a;\" b \"\n1;2\n", &err); /* a quoted name is trimmed too */
    assert_non_null(c);
    uf_csv_close(c);

    assert_rejected("a;c\n1;2\n", 1, 0, "kolumnen \"b\" saknas i rubrikraden");
    assert_rejected("\n\na;c\n1;2\n", 3, 0, "kolumnen \"b\" saknas"); /* the header's own line */
    c = open_text("a;b;x;A\n", &err);
    assert_null(c);
    assert_int_equal(err.code, UF_ERR_INPUT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4);
    assert_string_equal(err.column_name, "A");
    assert_string_equal(err.text, "kolumnnamnet \"A\" finns två gånger (kolumn 1 och 4); "
                                  "väntade unika kolumnnamn");
    /* The first name that repeats an earlier one, whatever comes after. */
    c = open_text("Ä;b;x;y;X;ä;y\n", &err);
    assert_null(c);
    assert_int_equal(err.column, 5);
    assert_string_equal(err.text, "kolumnnamnet \"X\" finns två gånger (kolumn 3 och 5); "
                                  "väntade unika kolumnnamn");
    /* Unnamed columns are not duplicates of each other. */
    c = open_text("a;;b;\n1;;2;\n", &err);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 1, "2");
    uf_csv_close(c);
}

static void field_counts(void **state)
{
    (void)state;
    /* named at the first column too many, or the first one missing */
    assert_rejected("a;b\n1;2\n1;2;3\n", 3, 3, "raden har 3 fält men rubrikraden 2");
    assert_rejected("a;b\n1;2\n\n1\n", 4, 2, "raden har 1 fält men rubrikraden 2");
    assert_rejected("a;b\n1;2;\n", 2, 3, "raden har 3 fält"); /* a trailing ; is a field */
    assert_rejected("a;b\n\"x\ny\";2\n1;2;3;4\n", 4, 3, "raden har 4 fält men rubrikraden 2");
    uf_error err = {0};
    uf_csv *c = open_text("a;b\n1\n", &err);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), -1);
    assert_string_equal(err.column_name, "b");
    uf_csv_close(c);
}

static void quotes(void **state)
{
    (void)state;
    uf_error err;
    uf_csv *c = open_text("a;b\n\"\";\"\"\"\"\n  \"x;y\"  ;\"1\n\n2\"\nz;\"\"\"q\"\"\"\n", &err);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "");
    assert_field(c, 1, "\"");
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_int_equal(uf_csv_line(c), 3);
    assert_field(c, 0, "x;y");
    assert_field(c, 1, "1\n\n2"); /* a blank line inside quotes is data */
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_int_equal(uf_csv_line(c), 6);
    assert_field(c, 1, "\"q\"");
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);

    /* The quote opened on line 3, column 2, and never closes. */
    assert_rejected("a;b\n1;2\n3;\"four\n5;6\n7;8\n", 3, 2, "citattecknet som börjar här avslutas aldrig");
    /* A stray quote pairs with the first quote of a field quoted properly
     * further down, whose own closing quote then runs to the end: the place
     * to fix is where the stray one opened, not where reading stopped. */
    assert_rejected("a;b\n1;2\n3;\"four\n5;6\n7;\"8\"\n9;10\n", 3, 2,
                    "citattecknet som börjar här avslutas först på rad 5, mitt i ett fält");
    assert_rejected("a;b\n\"x\";\"y\"\n3;fo\"ur\n5;\"6\"\n", 3, 2, "citattecken mitt i fältet");
    assert_rejected("a;b\n1;\"ok\nstill\"\n\"q\n", 4, 1,
                    "citattecknet som börjar här avslutas aldrig");
    assert_rejected("a;b\n\"x\"y;2\n", 2, 1, "text efter avslutande citattecken");
    assert_rejected("a;b\n1;x\"y\"\n", 2, 2, "citattecken mitt i fältet");
}

static void blank_lines_and_endings(void **state)
{
    (void)state;
    uf_error err;
    uf_csv *c = open_text("\n \r\na;b\r\n\r\n   \n1;2\n\n\n3;4", &err);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_int_equal(uf_csv_line(c), 6);
    assert_field(c, 1, "2");
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_int_equal(uf_csv_line(c), 9);
    assert_field(c, 1, "4");
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);

    c = open_text("a;b\n", &err); /* a header and no rows is not an error */
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);

    assert_rejected("", 0, 0, "filen är tom");
    assert_rejected("\xef\xbb\xbf", 0, 0, "filen är tom");
    assert_rejected("\n\r\n  \n", 0, 0, "filen är tom");
}

static void encoding(void **state)
{
    (void)state;
    uf_error err;
    /* Two-, three- and four-byte characters are fine. */
    uf_csv *c = open_text("a;b\nÅsa;€ \xf0\x9f\x98\x80\n", &err);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "Åsa");
    assert_field(c, 1, "€ \xf0\x9f\x98\x80");
    uf_csv_close(c);

    /* Latin-1 "ä" (0xE4) at offset 10: row 3, column 2. */
    assert_rejected("a;b\n1;2\n3;\xe4\n", 3, 2, "ogiltig UTF-8 vid byte 10 (räknat från 0)");
    assert_rejected("a;b\n1;\xc3\n", 2, 2, "ogiltig UTF-8 vid byte 6");      /* cut short at the end */
    assert_rejected("a;b\n1;\xc0\xaf\n", 2, 2, "ogiltig UTF-8 vid byte 6");  /* overlong */
    assert_rejected("a;b\n1;\xe0\x80\x80\n", 2, 2, "ogiltig UTF-8 vid byte 6"); /* overlong */
    assert_rejected("a;b\n1;\xed\xa0\x80\n", 2, 2, "ogiltig UTF-8");          /* surrogate */
    assert_rejected("a;\xff\n", 1, 0, "ogiltig UTF-8 vid byte 2");
    char nul[] = "a;b\n\"x\ny\";1\n2;\0\n";
    uf_csv *n = NULL;
    char *path = write_file(nul, sizeof nul - 1);
    n = uf_csv_open(path, "x.csv", two, 2, NULL, 0, &err);
    free(path);
    assert_non_null(n);
    assert_int_equal(uf_csv_next(n, &err), 1);
    assert_int_equal(uf_csv_next(n, &err), -1);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 2);
    assert_string_equal(err.column_name, "b");
    assert_string_equal(err.text,
                        "filen innehåller ett NUL-tecken vid byte 14 (räknat från 0); väntade "
                        "text i UTF-8");
    uf_csv_close(n);
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

/* SPEC: identifiers hold no control characters.  Only columns marked
 * UF_COL_ID are held to it, and the message names the character, never the
 * value (it may be a patient id). */
static void identifiers(void **state)
{
    (void)state;
    static const uf_column cols[] = {{"id", UF_COL_REQUIRED | UF_COL_ID}, {"namn", 0}};
    static const struct {
        const char *row;
        long column;
        const char *text;
    } bad[] = {
        {"P\x01x;n\n", 1, "väntade ett id utan styrtecken; tecken 2 är styrtecknet U+0001"},
        {"\"Vä\nx\";n\n", 1, "tecken 3 är styrtecknet U+000A"},
        {"Väx\tjö;n\n", 1, "tecken 4 är styrtecknet U+0009"},
        {"ab\x7f;n\n", 1, "tecken 3 är styrtecknet U+007F"},
        {"ö\xc2\x85;n\n", 1, "tecken 2 är styrtecknet U+0085"},
        {"\"a\rb\";n\n", 1, "tecken 2 är styrtecknet U+000D"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *text = uf_xasprintf("id;namn\nok;n\n%s", bad[i].row);
        char *path = write_file(text, strlen(text));
        uf_error err = {0};
        uf_csv *c = uf_csv_open(path, "x.csv", cols, 2, NULL, 0, &err);
        assert_non_null(c);
        assert_int_equal(uf_csv_next(c, &err), 1);
        assert_int_equal(uf_csv_next(c, &err), -1);
        assert_int_equal(err.line, 3);
        assert_int_equal(err.column, bad[i].column);
        assert_string_equal(err.column_name, "id");
        if (!strstr(err.text, bad[i].text))
            fail_msg("%zu: \"%s\" does not contain \"%s\"", i, err.text, bad[i].text);
        assert_null(strstr(err.text, "x;")); /* nothing of the value */
        uf_csv_close(c);
        free(path);
        free(text);
    }
    /* Other columns may hold them; a no-break space and edge tabs are fine. */
    uf_error err;
    const char *fine = "id;namn\n\tVä\xc2\xa0x\t;\"a\tb\nc\"\r\n";
    char *path = write_file(fine, strlen(fine));
    uf_csv *c = uf_csv_open(path, "x.csv", cols, 2, NULL, 0, &err);
    assert_non_null(c);
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_field(c, 0, "Vä\xc2\xa0x");
    assert_field(c, 1, "a\tb\nc");
    uf_csv_close(c);
    free(path);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bom_crlf_quotes),
        cmocka_unit_test(comma_delimiter_and_renames),
        cmocka_unit_test(delimiter_detection),
        cmocka_unit_test(headers),
        cmocka_unit_test(field_counts),
        cmocka_unit_test(quotes),
        cmocka_unit_test(blank_lines_and_endings),
        cmocka_unit_test(encoding),
        cmocka_unit_test(field_errors),
        cmocka_unit_test(io_errors),
        cmocka_unit_test(across_buffers),
        cmocka_unit_test(character_on_the_boundary),
        cmocka_unit_test(unterminated_quote_across_boundary),
        cmocka_unit_test(identifiers),
        cmocka_unit_test(huge_header),
    };
    return cmocka_run_group_tests_name("csv", tests, setup, teardown);
}
