/* tests/test_sql.c — what an odbc source needs without a database: the
 * query's placeholders become bound parameters (ingest/sql.c), connection
 * strings lose their secrets (ingest/url.c), and the derived CSV writes
 * numbers in the extracts' syntax (ingest/csvout.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/odbc.h"

static void parses(const char *text, const char *want, size_t n, const uf_sql_param *params)
{
    uf_sql q;
    uf_error err = {0};
    assert_int_equal(uf_sql_parse(text, strlen(text), "q.sql", &q, &err), 0);
    assert_string_equal(q.text, want);
    assert_int_equal(q.nparams, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(q.params[i], params[i]);
    uf_sql_free(&q);
}

static void refused(const char *text, long line, int column, const char *message)
{
    uf_sql q;
    uf_error err = {0};
    assert_int_equal(uf_sql_parse(text, strlen(text), "q.sql", &q, &err), -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_string_equal(err.source, "q.sql");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    assert_string_equal(err.text, message);
    assert_null(q.text);
}

static void test_placeholders(void **state)
{
    (void)state;
    parses("SELECT * FROM k WHERE d BETWEEN {from} AND {to} AND p <= {period}",
           "SELECT * FROM k WHERE d BETWEEN ? AND ? AND p <= ?", 3,
           (uf_sql_param[]){UF_SQL_FROM, UF_SQL_TO, UF_SQL_PERIOD});
    parses("SELECT 1", "SELECT 1", 0, NULL);
    /* Quotes, comments and ODBC escapes are kept as they are. */
    parses("SELECT 'it''s {x}', \"a\"\"{b}\", [c]]{d}]\n-- {period} ?\n/* {to} ? */ "
           "{fn CURDATE()} FROM {oj t LEFT OUTER JOIN u ON 1=1} WHERE d > {d '2024-01-01'} "
           "AND x = {period}",
           "SELECT 'it''s {x}', \"a\"\"{b}\", [c]]{d}]\n-- {period} ?\n/* {to} ? */ "
           "{fn CURDATE()} FROM {oj t LEFT OUTER JOIN u ON 1=1} WHERE d > {d '2024-01-01'} "
           "AND x = ?",
           1, (uf_sql_param[]){UF_SQL_PERIOD});
    parses("SELECT namn AS \"Läkare\" FROM t WHERE d >= {from};\n", "SELECT namn AS \"Läkare\" FROM t WHERE d >= ?;\n", 1,
           (uf_sql_param[]){UF_SQL_FROM});
}

static void test_refusals(void **state)
{
    (void)state;
    refused("SELECT *\nFROM t WHERE p = '{period}'", 2, 19,
            "{period} står inom citattecken; skriv den utan citattecken: värdet binds som en "
            "parameter, aldrig som text i frågan");
    refused("SELECT \"{to}\" FROM t", 1, 9,
            "{to} står inom ett citerat namn; skriv den utan citattecken: värdet binds som en "
            "parameter, aldrig som text i frågan");
    refused("SELECT * FROM t WHERE ä = ?", 1, 27,
            "frågan har ett ? (en parametermarkör utan värde); skriv {period}, {from} eller "
            "{to}, som uppfolj binder som parametrar");
    refused("SELECT * FROM t WHERE d >= {form}", 1, 28,
            "okänd platshållare; väntade {period}, {from} eller {to}");
    refused("SELECT 'abc\nFROM t", 1, 8, "citatet som börjar här avslutas aldrig");
    refused("SELECT 1 /* hmm", 1, 10, "kommentaren som börjar här avslutas aldrig; väntade */");
    refused("  -- nothing\n ;\n", 0, 0, "frågan är tom; väntade en SELECT");
    refused("SELECT 'a\xff'", 1, 10, "ogiltig UTF-8; väntade en textfil i UTF-8");
    refused("SELECT \xed\xa0\x80", 1, 8, "ogiltig UTF-8; väntade en textfil i UTF-8"); /* a surrogate */
    uf_sql q;
    uf_error err = {0};
    assert_int_equal(uf_sql_parse("SELECT 1\0 --", 12, "q.sql", &q, &err), -1);
    assert_string_equal(err.text, "nolltecken i frågan; väntade text");
    assert_int_equal(err.column, 9);
}

static void redacts(const char *cs, const char *want, const char *secret)
{
    char *r = uf_connstr_redact(cs);
    assert_string_equal(r, want);
    free(r);
    char buf[120];
    const char *got = uf_connstr_secret(cs, buf, sizeof buf);
    if (secret)
        assert_string_equal(got, secret);
    else
        assert_null(got);
}

static void test_connection_strings(void **state)
{
    (void)state;
    redacts("Driver={ODBC Driver 18 for SQL Server};Server=tcp:dw,1433;UID=u;PWD={a;b}}c};Encrypt=yes",
            "Driver={ODBC Driver 18 for SQL Server};Server=tcp:dw,1433;UID=u;PWD=REDACTED;Encrypt=yes",
            "nyckeln \"PWD\"");
    redacts("DSN=dw; Password=hemligt", "DSN=dw; Password=REDACTED", "nyckeln \"Password\"");
    redacts("Driver=x;sslpassword=p;sslkey=/etc/k.pem;AccessToken=t",
            "Driver=x;sslpassword=REDACTED;sslkey=/etc/k.pem;AccessToken=REDACTED",
            "nyckeln \"sslpassword\"");
    /* What is no secret stays: a key file's path, an authentication mode. */
    redacts("Driver={FreeTDS};Server=dw;Port=1433;TDS_Version=7.4;Authentication=ActiveDirectoryIntegrated",
            "Driver={FreeTDS};Server=dw;Port=1433;TDS_Version=7.4;Authentication=ActiveDirectoryIntegrated",
            NULL);
    /* A driver's message that echoes a connection string. */
    redacts("[Microsoft][ODBC] Login failed; connection string PWD=abc;Server=x",
            "[Microsoft][ODBC] Login failed; connection string PWD=REDACTED;Server=x",
            "nyckeln \"connection string PWD\"");
}

static char *real(double x)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    uf_csvout_real(f, x);
    fclose(f);
    return buf;
}

static void test_numbers(void **state)
{
    (void)state;
    static const struct {
        double x;
        const char *want;
    } cases[] = {{1100, "1100"},     {0.1, "0.1"},           {0.855, "0.855"},
                 {-0.0000001, "-0.0000001"}, {1e20, "100000000000000000000"},
                 {123456789012.5, "123456789012.5"}, {2.5e-25, "2.5e-25"}, {0, "0"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = real(cases[i].x);
        assert_string_equal(got, cases[i].want);
        double back;
        if (!strchr(got, 'e')) /* what the extracts' reader takes, it reads back the same */
            assert_true(uf_parse_number(got, strlen(got), &back) == 0 && back == cases[i].x);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_connection_strings),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
