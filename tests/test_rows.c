/* tests/test_rows.c — a data warehouse's JSON rows (ingest/rows.c): the CSV
 * they become, byte for byte; the three shapes of body; what uf_csv then
 * reads, renames included; refusals with row and key (or jansson's line and
 * column) that never echo a value; and the "format" key of an http source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testfile.h"
#include "ingest/sources.h"

#define DATA UF_TEST_DATA "/data/rows/"

/* Converts json (a fixture path) and returns the CSV's text. */
static char *convert(const char *dir, const char *json)
{
    char *csv = uf_xasprintf("%s/out.csv", dir);
    uf_error err = {0};
    int rc = uf_rows_to_csv(json, "samtal.csv", csv, &err);
    if (rc)
        uf_error_print(&err, stderr);
    assert_int_equal(rc, 0);
    char *text = testfile_read(csv);
    assert_non_null(text);
    free(csv);
    return text;
}

static void test_array_becomes_csv(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    /* Keys in first-seen order whatever their case (Samtal_Tid is samtal_tid),
     * a missing key and null empty, true/false J/N, 12.0 as 12, 0.1 as 0.1,
     * quotes doubled and fields with ';' or a line break quoted. */
    char *got = convert(dir, DATA "samtal.json"), *want = testfile_read(DATA "samtal.csv");
    assert_non_null(want);
    assert_string_equal(got, want);
    free(got);
    /* A second conversion gives the same bytes. */
    got = convert(dir, DATA "samtal.json");
    assert_string_equal(got, want);
    free(got);
    free(want);
    testfile_cleanup(dir);
}

/* The extracts' numbers have no exponent: %g's 1.1e+03 would be refused. */
static void test_numbers_without_exponent(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    char *json = testfile_write(dir, "n.json", "[{\"vikt\": 1100.0}, {\"vikt\": 1e-7}, {\"vikt\": 2.5}]");
    char *got = convert(dir, json);
    assert_string_equal(got, "vikt\n1100\n0.0000001\n2.5\n");
    free(got);
    free(json);
    testfile_cleanup(dir);
}

static void test_rows_and_data_objects(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    char *want = testfile_read(DATA "samtal.csv");
    assert_non_null(want);
    /* {"rows": [...]} behind a BOM, with "next": null; {"data": [...]} with
     * other members beside it. */
    const char *const bodies[] = {DATA "samtal-rows.json", DATA "samtal-data.json"};
    for (size_t i = 0; i < 2; i++) {
        char *got = convert(dir, bodies[i]);
        assert_string_equal(got, want);
        free(got);
    }
    free(want);
    testfile_cleanup(dir);
}

/* What compute sees: the CSV reader over the converted file, with a rename. */
static void test_read_by_csv_with_rename(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    char *json = testfile_write(dir, "samtal.json",
                                "{\"rows\": [\n"
                                " {\"Enhet\": \"VC03\", \"Tid\": \"2024-08-05 07:59\",\n"
                                "  \"besvarad_tid\": \"2024-08-05 08:30\", \"inom_oppettid\": true},\n"
                                " {\"enhet\": \"VC04\", \"TID\": \"2024-08-06 12:00\",\n"
                                "  \"besvarad_tid\": null, \"inom_oppettid\": false}\n"
                                "]}\n");
    char *csv = uf_xasprintf("%s/samtal.csv", dir);
    uf_error err = {0};
    assert_int_equal(uf_rows_to_csv(json, "samtal.csv", csv, &err), 0);
    static const uf_column cols[] = {
        {"enhet_id", 1}, {"samtal_tid", 1}, {"besvarad_tid", 1}, {"inom_oppettid", 0}};
    static const uf_rename renames[] = {{"enhet_id", "enhet"}, {"samtal_tid", "tid"}};
    uf_csv *c = uf_csv_open(csv, "samtal.csv", cols, 4, renames, 2, &err);
    assert_non_null(c);
    size_t n;
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_string_equal(uf_csv_get(c, 0, &n), "VC03");
    assert_string_equal(uf_csv_get(c, 1, &n), "2024-08-05 07:59");
    assert_string_equal(uf_csv_get(c, 3, &n), "J");
    assert_int_equal(uf_csv_next(c, &err), 1);
    assert_string_equal(uf_csv_get(c, 0, &n), "VC04");
    assert_string_equal(uf_csv_get(c, 1, &n), "2024-08-06 12:00");
    assert_string_equal(uf_csv_get(c, 2, &n), "");
    assert_string_equal(uf_csv_get(c, 3, &n), "N");
    assert_int_equal(uf_csv_next(c, &err), 0);
    uf_csv_close(c);
    free(json);
    free(csv);
    testfile_cleanup(dir);
}

/* body must be refused with line (a row number, or jansson's line), column
 * and a text holding want; nothing of the body's values may show. */
static void refused(const char *body, long line, int column, const char *want)
{
    char *dir = testfile_dir();
    char *json = testfile_write(dir, "samtal.json", body);
    char *csv = uf_xasprintf("%s/samtal.csv", dir);
    uf_error err = {0};
    assert_int_equal(uf_rows_to_csv(json, "samtal.csv", csv, &err), -1);
    assert_int_equal(err.code, UF_ERR_INPUT);
    assert_string_equal(err.source, "samtal.csv (JSON)");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    if (!strstr(err.text, want))
        fail_msg("\"%s\" lacks \"%s\"", err.text, want);
    assert_null(strstr(err.text, "19121212"));
    free(json);
    free(csv);
    testfile_cleanup(dir);
}

static void test_refusals(void **state)
{
    (void)state;
    /* Broken JSON: jansson's line and column, its quote of the text cut. */
    refused("[{\"patient_id\": \"19121212-1212\",\n \"enhet_id\": VC01}]", 2, 15,
            "ogiltigt tecken; väntade JSON-rader");
    refused("[{\"patient_id\": \"19121212-1212", 1, 30, "texten tar slut");
    refused("[{\"enhet_id\": \"VC01\", \"enhet_id\": \"VC02\"}]", 1, 32,
            "samma nyckel två gånger");
    refused("[{\"enhet_id\": \"VC01\", 7}]", 1, 23, "väntade en nyckel inom citattecken");
    refused("[{\"enhet_id\": \"VC01\"}] [", 1, 24, "text efter det sista värdet");
    refused("\"19121212-1212\"", 1, 15, "väntade [ eller {");
    /* Shapes. */
    refused("{\"items\": []}", 0, 0, "väntade en lista med objekt, eller ett objekt med \"rows\"");
    refused("{\"rows\": [], \"data\": []}", 0, 0, "\"rows\" eller \"data\", inte båda");
    refused("{\"rows\": {\"enhet_id\": \"VC01\"}}", 0, 0, "\"rows\" är en lista");
    refused("{\"rows\": [{\"enhet_id\": \"VC01\"}], \"next_url\": \"/sida/2\"}", 0, 0,
            "hänvisar till fler sidor");
    refused("[]", 0, 0, "inga rader");
    /* Rows: the row number and the key, never the value. */
    refused("[{\"enhet_id\": \"VC01\"},\n \"19121212-1212\"]", 2, 0, "väntade ett objekt");
    refused("[{\"enhet_id\": \"VC01\"}, {\"enhet_id\": \"VC01\"},\n"
            " {\"enhet_id\": \"VC01\", \"samtal_tid\": [\"19121212-1212\"]}]",
            3, 0, "nyckel samtal_tid: väntade text, tal, true/false eller null");
    refused("[{\"patient_id\": \"19121212-1212\", \"Patient_ID\": \"19121212-1212\"}]", 1, 0,
            "nyckel Patient_ID: finns två gånger");
}

static void test_names(void **state)
{
    (void)state;
    char *p = uf_rows_payload("samtal.csv");
    assert_string_equal(p, "samtal.json");
    free(p);
    char out[16];
    assert_int_equal(uf_rows_extract("samtal.json", out, sizeof out), 1);
    assert_string_equal(out, "samtal.csv");
    assert_int_equal(uf_rows_extract("samtal.csv", out, sizeof out), 0);
    assert_int_equal(uf_rows_extract(".json", out, sizeof out), 0);
    assert_int_equal(uf_rows_extract("a-very-long-name.json", out, sizeof out), 0);
}

static const char config_head[] =
    "{\"region\": {\"name\": \"R\"}, \"board\": \"B\", \"extracts\": \"e\",\n"
    " \"archive\": \"a\", \"reports\": \"r\", \"targets\": \"t.json\",\n"
    " \"sources\": [\n";

/* Loads config_head + sources + "]}"; returns uf_config_load's result. */
static int load_sources(const char *sources, uf_config *cfg, uf_error *err)
{
    char *dir = testfile_dir();
    char *text = uf_xasprintf("%s%s]}\n", config_head, sources);
    char *path = testfile_write(dir, "uppfolj.json", text);
    int rc = uf_config_load(path, cfg, err);
    free(text);
    free(path);
    testfile_cleanup(dir);
    return rc;
}

static void test_config_format(void **state)
{
    (void)state;
    uf_config cfg;
    uf_error err = {0};
    assert_int_equal(
        load_sources("  {\"id\": \"samtal-dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
                     "   \"format\": \"json\", \"url\": \"https://dw.example.se/samtal\"},\n"
                     "  {\"id\": \"besok-dw\", \"kind\": \"http\", \"file\": \"besok.csv\",\n"
                     "   \"format\": \"csv\", \"url\": \"https://dw.example.se/besok\"},\n"
                     "  {\"id\": \"kontakter-dw\", \"kind\": \"http\", \"file\": \"kontakter.csv\",\n"
                     "   \"url\": \"https://dw.example.se/kontakter\"}\n",
                     &cfg, &err),
        0);
    assert_int_equal(cfg.nsources, 3);
    assert_string_equal(cfg.sources[0].file, "samtal.json"); /* the payload's name */
    assert_string_equal(cfg.sources[1].file, "besok.csv");
    assert_string_equal(cfg.sources[2].file, "kontakter.csv"); /* csv by default */
    uf_config_free(&cfg);

    assert_int_equal(
        load_sources("  {\"id\": \"s\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
                     "   \"format\": \"xml\", \"url\": \"https://dw.example.se/s\"}\n",
                     &cfg, &err),
        -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_int_equal(err.line, 5);
    assert_non_null(strstr(err.text, "json"));

    /* One extract from two sources is refused, whatever their formats. */
    assert_int_equal(
        load_sources("  {\"id\": \"a\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
                     "   \"url\": \"https://dw.example.se/a\"},\n"
                     "  {\"id\": \"b\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
                     "   \"format\": \"json\", \"url\": \"https://dw.example.se/b\"}\n",
                     &cfg, &err),
        -1);
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.text, "samtal.csv hämtas redan av källan \"a\""));

    /* Still no unknown keys: a typo of "format" is caught. */
    assert_int_equal(
        load_sources("  {\"id\": \"s\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
                     "   \"fromat\": \"json\", \"url\": \"https://dw.example.se/s\"}\n",
                     &cfg, &err),
        -1);
    assert_int_equal(err.line, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_becomes_csv), cmocka_unit_test(test_numbers_without_exponent),
        cmocka_unit_test(test_rows_and_data_objects),
        cmocka_unit_test(test_read_by_csv_with_rename),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_config_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
