/* tests/test_kolada.c — uf_kolada_parse on Kolada pages (tests/data/kolada/):
 * the total is taken, null stays missing, pages append, next_url and v2's
 * next_page are followed, and malformed pages are refused with a message. */
#include "ingest/ingest.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATA UF_TEST_DATA "/data/kolada/"

static void assert_value(const uf_kolada_value *v, const char *kpi, const char *area, int year,
                         int has, double value)
{
    assert_string_equal(v->kpi, kpi);
    assert_string_equal(v->area, area);
    assert_int_equal(v->year, year);
    assert_int_equal(v->has_value, has);
    if (has)
        assert_true(v->value == value);
}

static void test_pages_append(void **state)
{
    (void)state;
    uf_kolada k = {0};
    char *next = NULL;
    uf_error err = {0};
    assert_int_equal(uf_kolada_parse(DATA "page1.json", "page1", &k, &next, &err), 0);
    assert_string_equal(next, "{base}/kolada/v3/page2");
    free(next);
    assert_int_equal(k.n, 3);
    assert_value(&k.v[0], "N79173", "0007", 2023, 1, 85.0); /* T, not K 86.1 or M 83.9 */
    assert_value(&k.v[1], "N79173", "0000", 2023, 1, 88.4);
    /* the withdrawn 2024 national row (isdeleted, 99.9) is dropped */
    assert_value(&k.v[2], "N79173", "0007", 2024, 0, 0);    /* null: missing, not 0 */
    assert_string_equal(k.v[2].status, "Missing");         /* and why */
    assert_string_equal(k.v[0].status, "");

    assert_int_equal(uf_kolada_parse(DATA "page2.json", "page2", &k, &next, &err), 0);
    assert_null(next); /* "next_url": null ends the pages */
    assert_int_equal(k.n, 5);
    assert_value(&k.v[3], "N79179", "0007", 2023, 1, 88.0);   /* an integer value */
    assert_value(&k.v[4], "N79179", "0000", 2024, 1, 92.5);   /* "2024", gender "" */
    uf_kolada_free(&k);
    assert_int_equal(k.n, 0);
}

static void test_v2_next_page_and_no_total(void **state)
{
    (void)state;
    uf_kolada k = {0};
    char *next = NULL;
    uf_error err = {0};
    assert_int_equal(uf_kolada_parse(DATA "v2.json", "v2", &k, &next, &err), 0);
    assert_string_equal(next, "https://api.kolada.se/v2/data/kpi/N79179/municipality/0007/year/"
                              "2024?page=2&per_page=1");
    free(next);
    assert_int_equal(k.n, 1);
    assert_value(&k.v[0], "N79179", "0007", 2024, 0, 0); /* only K and M: no total */
    uf_kolada_free(&k);
}

/* Parses text written to a temporary file; returns the rc. */
static int parse_text(const char *text, uf_kolada *k, uf_error *err)
{
    char path[] = "/tmp/uf-kolada-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char *next = NULL;
    int rc = uf_kolada_parse(path, "kolada (https://api.kolada.se/v3/data)", k, &next, err);
    free(next);
    unlink(path);
    return rc;
}

static void test_many_values_grow(void **state)
{
    (void)state;
    /* 40 rows (years): past the first capacity of 16 and the doubling to 32. */
    char *text = uf_xstrdup("{\"values\": [");
    for (int i = 0; i < 40; i++) {
        char *more = uf_xasprintf("%s%s{\"kpi\": \"N79173\", \"municipality\": \"0007\", "
                                  "\"period\": %d, \"values\": [{\"gender\": \"T\", "
                                  "\"value\": %d}]}",
                                  text, i ? "," : "", 1990 + i, i);
        free(text);
        text = more;
    }
    char *all = uf_xasprintf("%s]}", text);
    uf_kolada k = {0};
    uf_error err = {0};
    assert_int_equal(parse_text(all, &k, &err), 0);
    assert_int_equal(k.n, 40);
    assert_value(&k.v[39], "N79173", "0007", 2029, 1, 39.0);
    assert_value(&k.v[16], "N79173", "0007", 2006, 1, 16.0);
    uf_kolada_free(&k);
    free(text);
    free(all);
}

static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"{\"values\": [}", "ogiltig JSON på rad 1 kolumn 13"},
        {"{\"count\": 0}", "väntade ett objekt med listan \"values\" (Koladas data-API)"},
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0007\", \"period\": 2024,"
         " \"values\": [{\"gender\": \"T\", \"value\": \"85,0\"}]}]}",
         "post 1 i \"values\": väntade \"value\" som ett tal eller null"},
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0007\", \"period\": \"år\","
         " \"values\": []}]}",
         "post 1 i \"values\": väntade \"period\" som ett årtal (ett heltal)"},
        /* atoi would have read 2024 */
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0007\", \"period\": \"2024x\","
         " \"values\": []}]}",
         "post 1 i \"values\": väntade \"period\" som ett årtal (ett heltal)"},
        {"{\"values\": [{\"kpi\": \"N79173\", \"period\": 2024, \"values\": []}]}",
         "post 1 i \"values\": väntade \"municipality\" som en av de 21 regionerna (0001–0025) "
         "eller riket (0000)"},
        /* a municipality (Stockholm), and a county code no region has */
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0180\", \"period\": 2024,"
         " \"values\": []}]}",
         "post 1 i \"values\": väntade \"municipality\" som en av de 21 regionerna (0001–0025) "
         "eller riket (0000)"},
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0002\", \"period\": 2024,"
         " \"values\": []}]}",
         "post 1 i \"values\": väntade \"municipality\" som en av de 21 regionerna (0001–0025) "
         "eller riket (0000)"},
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0007\", \"period\": 2024,"
         " \"isdeleted\": \"nej\", \"values\": []}]}",
         "post 1 i \"values\": väntade \"isdeleted\" som true eller false"},
        {"{\"values\": [], \"next_url\": 2}", "väntade \"next_url\" som en adress eller null"},
        /* a key figure is not negative nor astronomical (a percentage's
         * 0..100 is checked where the indicator's kind is known) */
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0007\", \"period\": 2024,"
         " \"values\": [{\"gender\": \"T\", \"value\": 1e308}]}]}",
         "post 1 i \"values\": väntade \"value\" som ett tal från 0 eller null, fick 1e+308"},
        {"{\"values\": [{\"kpi\": \"N79173\", \"municipality\": \"0007\", \"period\": 2024,"
         " \"values\": [{\"gender\": \"T\", \"value\": -0.1}]}]}",
         "post 1 i \"values\": väntade \"value\" som ett tal från 0 eller null, fick -0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uf_kolada k = {0};
        uf_error err = {0};
        assert_int_equal(parse_text(cases[i].text, &k, &err), -1);
        assert_int_equal(err.code, UF_ERR_NETWORK);
        assert_string_equal(err.source, "kolada (https://api.kolada.se/v3/data)");
        assert_string_equal(err.text, cases[i].message);
        uf_kolada_free(&k);
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    uf_kolada k = {0};
    char *next = NULL;
    uf_error err = {0};
    assert_int_equal(uf_kolada_parse(DATA "no-such.json", "no-such.json", &k, &next, &err), -1);
    assert_int_equal(err.code, UF_ERR_IO);
    assert_null(next);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_append),
        cmocka_unit_test(test_v2_next_page_and_no_total),
        cmocka_unit_test(test_many_values_grow),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
