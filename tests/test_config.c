/* tests/test_config.c — uppfolj.json: every key of SPEC "Config" and the
 * additions, path resolution, {period}.  Its errors, with line and column,
 * are cases under tests/suites/config/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testfile.h"
#include "ingest/ingest.h"

#define DIR UF_TEST_DATA "/data/config"

static void test_full(void **state)
{
    (void)state;
    uf_config cfg;
    uf_error err = {0};
    assert_int_equal(uf_config_load(DIR "/uppfolj.json", &cfg, &err), 0);
    assert_string_equal(cfg.path, DIR "/uppfolj.json");
    assert_string_equal(cfg.dir, DIR);
    assert_string_equal(cfg.region_name, "Region Exempel");
    assert_string_equal(cfg.kolada_id, "0007");
    assert_string_equal(cfg.board, "Nämnden för folkhälsa och vårdval");
    assert_string_equal(cfg.extracts, DIR "/extrakt/{period}");
    assert_string_equal(cfg.archive, DIR "/arkiv");
    assert_string_equal(cfg.reports, "/srv/uppfolj/rapporter"); /* absolute stays */
    assert_string_equal(cfg.targets, DIR "/targets.json");
    assert_string_equal(cfg.comments, DIR "/kommentarer");
    assert_string_equal(cfg.indicators, DIR "/indikatorer");
    assert_int_equal(cfg.internal, 1);

    assert_int_equal(cfg.nowners, 2);
    assert_string_equal(uf_config_owner(&cfg, "telefon_samma_dag"), "Vårdvalschef");
    assert_string_equal(uf_config_owner(&cfg, "bedomning_3d"), "Primärvårdschef");
    assert_null(uf_config_owner(&cfg, "kontinuitet_coc"));

    assert_string_equal(cfg.document.id, "RK 2024/118");
    assert_string_equal(cfg.document.version, "1.0");
    assert_string_equal(cfg.document.prepared_by, "Controller");
    assert_string_equal(cfg.document.reviewed_by, "Ekonomichef");

    assert_int_equal(cfg.ncolumns, 2);
    const uf_colmap *k = uf_config_columns(&cfg, "kontakter.csv");
    assert_non_null(k);
    assert_int_equal(k->n, 2);
    assert_string_equal(k->v[0].canonical, "kontaktdatum");
    assert_string_equal(k->v[0].header, "KontaktDatum");
    assert_string_equal(k->v[1].canonical, "legitimerad");
    assert_string_equal(k->v[1].header, "Leg");
    assert_string_equal(uf_config_columns(&cfg, "besok.csv")->v[0].header, "Yrkeskategori");
    assert_null(uf_config_columns(&cfg, "samtal.csv"));

    assert_int_equal(cfg.nsources, 3);
    const uf_source *s = &cfg.sources[0];
    assert_string_equal(s->id, "samtal-dw");
    assert_string_equal(s->kind, "http");
    assert_string_equal(s->file, "samtal.csv");
    assert_string_equal(s->url, "https://dw.example.se/api/samtal.csv?period={period}");
    assert_string_equal(s->token_env, "UPPFOLJ_DW_TOKEN");
    assert_null(s->token_file);
    assert_int_equal(s->timeout_s, 30);
    assert_int_equal(s->retries, 3);
    /* a regional CA, relative to the config like every path */
    assert_string_equal(s->ca_bundle, DIR "/ca/region.pem");
    assert_int_equal(s->deadline_s, 900);
    assert_int_equal(s->min_bytes_per_s, 2048);
    s = &cfg.sources[1];
    assert_string_equal(s->token_file, DIR "/hemligt/dw.token");
    assert_null(s->token_env);
    assert_int_equal(s->timeout_s, 60);
    assert_null(s->ca_bundle); /* the system's */
    assert_int_equal(s->deadline_s, 1800);
    assert_int_equal(s->min_bytes_per_s, 1024);
    s = &cfg.sources[2];
    assert_string_equal(s->kind, "kolada");
    assert_null(s->file);
    assert_string_equal(s->url, "https://api.kolada.se/v3");
    assert_int_equal(s->nkpis, 2);
    assert_string_equal(s->kpis[0], "N79173");
    assert_string_equal(s->kpis[1], "N79179");
    assert_int_equal(s->nareas, 2);
    assert_string_equal(s->areas[0], "0007");
    assert_string_equal(s->areas[1], "0000");
    assert_int_equal(s->years, 3);
    uf_config_free(&cfg);
    assert_null(cfg.path);
}

static const char *const base = "{\n"
                                "  \"region\": {\"name\": \"Region Test\"},\n"
                                "  \"board\": \"HSN\",\n"
                                "  \"extracts\": \"extrakt/{period}\",\n"
                                "  \"archive\": \"arkiv\",\n"
                                "  \"reports\": \"rapporter\",\n"
                                "  \"targets\": \"targets.json\"%s\n"
                                "}\n";

/* Writes base with extra after "targets" (line 7) and loads it. */
static int load_with(const char *extra, uf_config *cfg, uf_error *err)
{
    char text[4096];
    snprintf(text, sizeof text, base, extra);
    char *dir = testfile_dir();
    char *path = testfile_write(dir, "uppfolj.json", text);
    int rc = uf_config_load(path, cfg, err);
    free(path);
    testfile_cleanup(dir);
    return rc;
}

/* With no folder in the name, paths stay relative to the working directory,
 * and what may be left out is NULL or "". */
static void test_minimal_in_cwd(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    char text[1024];
    snprintf(text, sizeof text, base, "");
    free(testfile_write(dir, "uppfolj.json", text));
    char *old = getcwd(NULL, 0);
    assert_int_equal(chdir(dir), 0);
    uf_config cfg;
    uf_error err = {0};
    int rc = uf_config_load("uppfolj.json", &cfg, &err);
    assert_int_equal(chdir(old), 0);
    free(old);
    testfile_cleanup(dir);
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.dir, ".");
    assert_string_equal(cfg.extracts, "extrakt/{period}");
    assert_string_equal(cfg.targets, "targets.json");
    assert_null(cfg.kolada_id);
    assert_null(cfg.comments);
    assert_null(cfg.indicators);
    assert_int_equal(cfg.nowners, 0);
    assert_int_equal(cfg.nsources, 0);
    assert_int_equal(cfg.ncolumns, 0);
    assert_int_equal(cfg.internal, 0);
    assert_int_equal(cfg.completeness_preliminary, 0); /* an incomplete month stops the run */
    assert_string_equal(cfg.document.id, "");
    uf_config_free(&cfg);
}

static void test_expand(void **state)
{
    (void)state;
    uf_month aug = uf_month_make(2024, 8);
    char *s = uf_config_expand("extrakt/{period}/x-{period}.csv", aug);
    assert_string_equal(s, "extrakt/2024-08/x-2024-08.csv");
    free(s);
    s = uf_config_expand("https://dw/api?p={period}", uf_month_make(2023, 12));
    assert_string_equal(s, "https://dw/api?p=2023-12");
    free(s);
    s = uf_config_expand("{perio}d", aug);
    assert_string_equal(s, "{perio}d");
    free(s);
}

/* "preliminary" publishes an incomplete month marked so; "stop" is the default. */
static void test_completeness(void **state)
{
    (void)state;
    uf_config cfg;
    uf_error err = {0};
    assert_int_equal(load_with(",\n  \"completeness\": \"preliminary\"", &cfg, &err), 0);
    assert_int_equal(cfg.completeness_preliminary, 1);
    uf_config_free(&cfg);
    assert_int_equal(load_with(",\n  \"completeness\": \"stop\"", &cfg, &err), 0);
    assert_int_equal(cfg.completeness_preliminary, 0);
    uf_config_free(&cfg);
}

/* Names that only contain a secret word are no secret: the config is not
 * refused for them. */
static void test_innocent_urls(void **state)
{
    (void)state;
    uf_config cfg;
    uf_error err = {0};
    assert_int_equal(
        load_with(",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\","
                  "\n    \"url\": \"https://dw/x?design=a&passage=b&keyword=c&monkey=d&"
                  "period={period}\"}]",
                  &cfg, &err),
        0);
    uf_config_free(&cfg);
}

/* An odbc source: a DSN or a connection string, the password's place, the
 * query inline or in a file beside the config, and the defaults. */
static void test_odbc_source(void **state)
{
    (void)state;
    uf_config cfg;
    uf_error err = {0};
    assert_int_equal(
        load_with(",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"odbc\", \"file\": \"besok.csv\",\n"
                  "    \"dsn\": \"Vardlager\", \"user\": \"uppfolj\", \"password_file\": \"dw.pw\",\n"
                  "    \"query_file\": \"sql/besok.sql\", \"months\": 30},\n"
                  "   {\"id\": \"dw2\", \"kind\": \"odbc\", \"file\": \"samtal.csv\",\n"
                  "    \"connection\": \"Driver={ODBC Driver 18 for SQL Server};Server=dw;UID=u\",\n"
                  "    \"password_env\": \"DW_PW\", \"timeout_s\": 60, \"retries\": 0,\n"
                  "    \"query\": \"SELECT * FROM samtal WHERE dag BETWEEN {from} AND {to}\"}]",
                  &cfg, &err),
        0);
    const uf_source *s = &cfg.sources[0];
    assert_string_equal(s->kind, "odbc");
    assert_string_equal(s->file, "besok.csv");
    assert_string_equal(s->dsn, "Vardlager");
    assert_null(s->connection);
    assert_string_equal(s->user, "uppfolj");
    assert_non_null(strstr(s->password_file, "/dw.pw"));
    assert_null(s->query);
    assert_non_null(strstr(s->query_file, "/sql/besok.sql"));
    assert_string_equal(s->query_name, "sql/besok.sql");
    assert_int_equal(s->months, 30);
    assert_int_equal(s->timeout_s, 600); /* a warehouse query may take minutes */
    assert_int_equal(s->login_timeout_s, 30);
    assert_int_equal(s->retries, 3);
    s = &cfg.sources[1];
    assert_null(s->dsn);
    assert_string_equal(s->connection, "Driver={ODBC Driver 18 for SQL Server};Server=dw;UID=u");
    assert_string_equal(s->password_env, "DW_PW");
    assert_string_equal(s->query, "SELECT * FROM samtal WHERE dag BETWEEN {from} AND {to}");
    assert_null(s->query_file);
    assert_string_equal(s->query_name, "uppfolj.json"); /* messages: "frågan i uppfolj.json" */
    assert_int_equal(s->months, 1);
    assert_int_equal(s->timeout_s, 60);
    assert_int_equal(s->retries, 0);
    uf_config_free(&cfg);
}

static void test_check_owners(void **state)
{
    (void)state;
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load(UF_INDICATORS_DIR, NULL, &inds, &err), 0);
    uf_config cfg;
    assert_int_equal(uf_config_load(DIR "/uppfolj.json", &cfg, &err), 0);
    assert_int_equal(uf_config_check_owners(&cfg, &inds, &err), 0);
    uf_config_free(&cfg);
    uf_indicators_free(&inds);
}

/* A kolada source without "kpis" pulls what the definitions name: a
 * region's own indicator gets its national line from one JSON key. */
static void test_kolada_kpis_from_definitions(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    free(testfile_write(dir, "egen.json",
                        "{\"id\": \"egen\", \"name\": \"Egen\", \"short_name\": \"Egen\",\n"
                        " \"source\": \"aggregat.csv\", \"kind\": \"procent\",\n"
                        " \"derivation\": \"aggregat\", \"kolada_kpi\": \"U97001\"}\n"));
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load(UF_INDICATORS_DIR, dir, &inds, &err), 0);
    uf_config cfg;
    assert_int_equal(uf_config_load(DIR "/uppfolj.json", &cfg, &err), 0);
    uf_config_kolada_kpis(&cfg, &inds);
    const uf_source *s = &cfg.sources[cfg.nsources - 1];
    assert_string_equal(s->kind, "kolada");
    assert_int_equal(s->nkpis, 3);
    assert_string_equal(s->kpis[0], "N79173");
    assert_string_equal(s->kpis[1], "N79179");
    assert_string_equal(s->kpis[2], "U97001");
    uf_config_free(&cfg);
    uf_indicators_free(&inds);
    testfile_cleanup(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),          cmocka_unit_test(test_minimal_in_cwd),
        cmocka_unit_test(test_expand),        cmocka_unit_test(test_completeness),
        cmocka_unit_test(test_innocent_urls), cmocka_unit_test(test_odbc_source),
        cmocka_unit_test(test_check_owners),
        cmocka_unit_test(test_kolada_kpis_from_definitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
