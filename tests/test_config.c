/* tests/test_config.c — uppfolj.json: every key of SPEC "Config" and the
 * additions, path resolution, {period}, and errors with line and column. */
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
    assert_string_equal(cfg.document.approved_by, "");

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
    if (rc < 0)
        assert_string_equal(err->source, path);
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
    assert_string_equal(cfg.document.approved_by, "");
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

static void expect_error(const char *extra, long line, int column, const char *message)
{
    uf_config cfg;
    uf_error err = {0};
    assert_int_equal(load_with(extra, &cfg, &err), -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_string_equal(err.text, message);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    assert_null(cfg.path); /* freed */
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

static void test_errors(void **state)
{
    (void)state;
    expect_error(",\n  \"extracs\": \"extrakt\"", 8, 3,
                 "okänd nyckel \"extracs\"; tillåtna här: region, board, extracts, archive, "
                 "reports, targets, comments, owners, document, sources, indicators, columns, "
                 "internal, completeness");
    expect_error(",\n  \"completeness\": \"preliminar\"", 8, 3,
                 "nyckeln \"completeness\" ska vara ett av \"stop\", \"preliminary\", "
                 "inte \"preliminar\"");
    expect_error(",\n  \"region\": {\"name\": \"X\"}", 8, 3,
                 "nyckeln \"region\" förekommer två gånger i samma objekt");
    expect_error(",\n  \"internal\": \"ja\"", 8, 3,
                 "nyckeln \"internal\" ska vara true eller false");
    expect_error(",\n  \"owners\": {\"bedomning_3d\": 5}", 8, 14,
                 "nyckeln \"bedomning_3d\" ska vara en text inom citattecken");
    expect_error(",\n  \"document\": {\"id\": \"RK 1\", \"upprattad\": \"x\"}", 8, 30,
                 "okänd nyckel \"upprattad\"; tillåtna här: id, version, prepared_by, "
                 "reviewed_by, approved_by");
    expect_error(",\n  \"columns\": {\"kontakt.csv\": {}}", 8, 15,
                 "okänd nyckel \"kontakt.csv\"; tillåtna här: enheter.csv, kontakter.csv, "
                 "samtal.csv, listning.csv, besok.csv, aggregat.csv");
    expect_error(",\n  \"columns\": {\"samtal.csv\": {\"samtalstid\": \"Tid\"}}", 8, 30,
                 "okänd nyckel \"samtalstid\"; tillåtna här: enhet_id, samtal_tid, "
                 "besvarad_tid, inom_oppettid, samtal_id");
    expect_error(",\n  \"columns\": {\"samtal.csv\": {\"samtal_tid\": \"\"}}", 8, 30,
                 "nyckeln \"samtal_tid\" får inte vara tom");
}

static void test_region_errors(void **state)
{
    (void)state;
    uf_config cfg;
    uf_error err = {0};
    char *dir = testfile_dir();
    char *path = testfile_write(dir, "uppfolj.json",
                                "{\"board\": \"HSN\",\n \"region\": {\"name\": \"R\", "
                                "\"kolada_id\": \"7\"}}");
    assert_int_equal(uf_config_load(path, &cfg, &err), -1);
    assert_string_equal(err.text,
                        "kolada_id ska vara regionens fyra siffror i Kolada, t.ex. \"0007\"");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 26);
    free(path);
    path = testfile_write(dir, "uppfolj.json", "{\"board\": \"HSN\"}");
    assert_int_equal(uf_config_load(path, &cfg, &err), -1);
    assert_string_equal(err.text, "nyckeln \"region\" saknas");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    free(path);
    path = testfile_write(dir, "uppfolj.json",
                          "{\"region\": {\"name\": \"R\"}, \"board\": \"HSN\",\n"
                          " \"extracts\": \"e\", \"archive\": \"a\", \"reports\": \"r\"}");
    assert_int_equal(uf_config_load(path, &cfg, &err), -1);
    assert_string_equal(err.text, "nyckeln \"targets\" saknas");
    free(path);
    testfile_cleanup(dir);

    assert_int_equal(uf_config_load("/nonexistent/uppfolj.json", &cfg, &err), -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_string_equal(err.source, "/nonexistent/uppfolj.json");
    assert_string_equal(err.text, "filen finns inte");
}

static void test_source_errors(void **state)
{
    (void)state;
    /* A token itself has no key: it belongs in the environment or a file. */
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
        "    \"url\": \"https://dw/x\", \"token\": \"hemlig\"}]",
        9, 28,
        "okänd nyckel \"token\"; tillåtna här: id, kind, file, format, url, token_env, "
        "token_file, ca_bundle, timeout_s, deadline_s, min_bytes_per_s, retries");
    /* The config is archived byte for byte: a secret in a URL would be kept
     * for ever, whatever the messages redact. */
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
        "    \"url\": \"https://dw/x?period={period}&apiKey=abc\"}]",
        9, 5,
        "url bär en hemlighet (parametern \"apiKey\"): inställningsfilen arkiveras som den är, så "
        "lägg token i en miljövariabel (token_env) eller fil (token_file)");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
        "    \"url\": \"https://svc:pw@dw/x\"}]",
        9, 5,
        "url bär en hemlighet (användare och lösenord före @): inställningsfilen arkiveras som "
        "den är, så lägg token i en miljövariabel (token_env) eller fil (token_file)");
    expect_error(",\n  \"sources\": [{\"id\": \"k\", \"kind\": \"kolada\", \"areas\": [\"0007\"],\n"
                 "    \"url\": \"https://api.kolada.se/v3?X-Amz-Signature=1\"}]",
                 9, 5,
                 "url bär en hemlighet (parametern \"X-Amz-Signature\"): inställningsfilen "
                 "arkiveras som den är, så lägg token i en miljövariabel (token_env) eller fil "
                 "(token_file)");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
        "    \"url\": \"https://dw/x\", \"deadline_s\": 0}]",
        9, 28, "nyckeln \"deadline_s\" ska vara ett heltal från 1 till 86400");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
        "    \"url\": \"https://dw/x\", \"token_env\": \"T\", \"token_file\": \"t\"}]",
        9, 46, "ange token_env eller token_file, inte båda");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
        "    \"url\": \"http://dw.example.se/x\"}]",
        9, 5, "url ska börja med https:// (http:// bara till 127.0.0.1 eller localhost)");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.csv\",\n"
        "    \"url\": \"https://dw/x\", \"timeout_s\": 0}]",
        9, 28, "nyckeln \"timeout_s\" ska vara ett heltal från 1 till 3600");
    expect_error(",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"ftp\"}]", 8, 28,
                 "nyckeln \"kind\" ska vara ett av \"http\", \"kolada\", inte \"ftp\"");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw\", \"kind\": \"http\", \"file\": \"samtal.txt\",\n"
        "    \"url\": \"https://dw/x\"}]",
        8, 44,
        "nyckeln \"file\" ska vara ett av \"enheter.csv\", \"kontakter.csv\", "
        "\"samtal.csv\", \"listning.csv\", \"besok.csv\", \"aggregat.csv\", "
        "inte \"samtal.txt\"");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"a\", \"kind\": \"kolada\", \"areas\": [\"0000\"]},\n"
        "              {\"id\": \"a\", \"kind\": \"kolada\", \"areas\": [\"0000\"]}]",
        9, 16, "källan \"a\" finns redan");
    expect_error(
        ",\n  \"sources\": [{\"id\": \"dw1\", \"kind\": \"http\", \"file\": \"samtal.csv\", "
        "\"url\": \"https://a\"},\n"
        "              {\"id\": \"dw2\", \"kind\": \"http\", \"file\": \"samtal.csv\", "
        "\"url\": \"https://b\"}]",
        9, 45, "samtal.csv hämtas redan av källan \"dw1\"");
    expect_error(",\n  \"sources\": [{\"id\": \"k\", \"kind\": \"kolada\"}]", 8, 15,
                 "ange \"areas\" eller region.kolada_id");
    expect_error(",\n  \"sources\": [{\"id\": \"k\", \"kind\": \"kolada\",\n"
                 "    \"areas\": [\"0007\", \"Sverige\"]}]",
                 9, 23, "areas ska vara Koladas fyra siffror, t.ex. \"0007\" eller \"0000\"");
    expect_error(",\n  \"sources\": [{\"id\": \"k\", \"kind\": \"kolada\", \"areas\": [\"0007\"],\n"
                 "    \"kpis\": \"N79173\"}]",
                 9, 5, "nyckeln \"kpis\" ska vara en lista [ ... ]");
    expect_error(",\n  \"sources\": {\"id\": \"k\"}", 8, 3,
                 "nyckeln \"sources\" ska vara en lista [ ... ]");
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

    char *dir = testfile_dir();
    char text[1024];
    snprintf(text, sizeof text, base,
             ",\n  \"owners\": {\"bedomning_3d\": \"A\",\n             \"telefon\": \"B\"}");
    char *path = testfile_write(dir, "uppfolj.json", text);
    assert_int_equal(uf_config_load(path, &cfg, &err), 0);
    assert_int_equal(uf_config_check_owners(&cfg, &inds, &err), -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_string_equal(err.source, path);
    assert_string_equal(err.text, "owners nämner indikatorn \"telefon\", som inte finns");
    assert_int_equal(err.line, 9);
    assert_int_equal(err.column, 14);
    uf_config_free(&cfg);
    free(path);
    testfile_cleanup(dir);
    uf_indicators_free(&inds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),          cmocka_unit_test(test_minimal_in_cwd),
        cmocka_unit_test(test_expand),        cmocka_unit_test(test_completeness),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_region_errors), cmocka_unit_test(test_source_errors),
        cmocka_unit_test(test_innocent_urls),
        cmocka_unit_test(test_check_owners),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
