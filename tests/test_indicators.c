/* tests/test_indicators.c — indicator definitions read from indicators/<id>.json
 * and a region's own folder, with their defaults; a missing folder.  The
 * errors in a definition are cases under tests/suites/indicators/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testfile.h"
#include "ingest/ingest.h"

static const char *const minimal =
    "{\"id\": \"egen\", \"name\": \"Egen\", \"short_name\": \"Egen\",\n"
    " \"source\": \"aggregat.csv\", \"kind\": \"procent\", \"derivation\": \"aggregat\"}\n";

/* Loads one definition file egen.json with the given text from a fresh dir. */
static int load_one(const char *text, uf_indicators *inds, uf_error *err)
{
    char *dir = testfile_dir();
    free(testfile_write(dir, "egen.json", text));
    int rc = uf_indicators_load(dir, NULL, inds, err);
    testfile_cleanup(dir);
    return rc;
}

static void test_builtin(void **state)
{
    (void)state;
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load(UF_INDICATORS_DIR, NULL, &inds, &err), 0);
    assert_int_equal(inds.n, 12);
    static const struct {
        const char *id;
        uf_derivation d;
    } order[] = {{"bedomning_3d", UF_DER_BEDOMNING_3D},
                 {"bedomning_3d_nationell", UF_DER_BEDOMNING_3D},
                 {"telefon_samma_dag", UF_DER_TELEFON_SAMMA_DAG},
                 {"fast_lakarkontakt", UF_DER_FAST_LAKARKONTAKT},
                 {"fast_lakarkontakt_sabo", UF_DER_FAST_LAKARKONTAKT_SABO},
                 {"listade_per_fast_lakare", UF_DER_LISTADE_PER_FAST_LAKARE},
                 {"listade_per_heltidslakare", UF_DER_LISTADE_PER_FAST_LAKARE},
                 {"kontinuitet_coc", UF_DER_KONTINUITET_COC},
                 {"kontinuitet_coc_alla", UF_DER_KONTINUITET_COC},
                 {"kontinuitet_coc_sabo", UF_DER_KONTINUITET_COC},
                 {"kontinuitet_upc", UF_DER_KONTINUITET_UPC},
                 {"kontinuitet_upc_sabo", UF_DER_KONTINUITET_UPC}};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        assert_string_equal(inds.v[i].id, order[i].id);
        assert_int_equal(inds.v[i].derivation, order[i].d);
        assert_true(strlen(inds.v[i].description) > 80);
    }

    /* the facts and parameters as data: the national variants are JSON only */
    const uf_indicator *alla = uf_indicators_find(&inds, "kontinuitet_coc_alla");
    assert_null(alla->params.professions); /* "alla" */
    assert_null(alla->params.subgroup);
    assert_int_equal(alla->params.window, 18);
    assert_int_equal(alla->params.min_visits, 2);
    assert_string_equal(alla->national_goal, "God och nära vård, mål 2");
    const uf_indicator *sabo = uf_indicators_find(&inds, "kontinuitet_coc_sabo");
    assert_int_equal(sabo->params.nprofessions, 1);
    assert_string_equal(sabo->params.professions[0], "läkare");
    assert_string_equal(sabo->params.subgroup, "sabo");
    const uf_indicator *coc = uf_indicators_find(&inds, "kontinuitet_coc");
    assert_true(uf_params_equal(&coc->params, &uf_indicators_find(&inds, "kontinuitet_upc")->params));
    assert_false(uf_params_equal(&coc->params, &sabo->params));
    assert_false(uf_indicators_find(&inds, "kontinuitet_upc")->share); /* a mean of shares */
    assert_true(uf_indicators_find(&inds, "fast_lakarkontakt")->share);
    const uf_indicator *tel = uf_indicators_find(&inds, "telefon_samma_dag");
    assert_string_equal(tel->kolada_kpi, "N79179");
    assert_int_equal(tel->nkolada_breaks, 1);
    assert_int_equal(tel->kolada_breaks[0].year, 2024);
    const uf_indicator *nat = uf_indicators_find(&inds, "bedomning_3d_nationell");
    assert_true(nat->params.completed_only);
    assert_string_equal(nat->params.scope, "vardgaranti");
    assert_string_equal(uf_indicator_needs(uf_indicators_find(&inds, "listade_per_heltidslakare")),
                        "lakare.csv");
    assert_null(uf_indicator_needs(uf_indicators_find(&inds, "listade_per_fast_lakare")));

    const uf_indicator *b = uf_indicators_find(&inds, "bedomning_3d");
    assert_non_null(b);
    assert_string_equal(b->name, "Medicinsk bedömning inom 3 dagar");
    assert_string_equal(b->source, "kontakter.csv");
    assert_string_equal(b->path, UF_INDICATORS_DIR "/bedomning_3d.json");
    assert_int_equal(b->kind, UF_KIND_PERCENT);
    assert_int_equal(b->direction, 1);
    assert_int_equal(b->aggregation, UF_AGG_SUM);
    assert_int_equal(b->decimals, 1);
    assert_int_equal(b->min_n, 20);
    assert_int_equal(b->n_is_numerator, 0);

    const uf_indicator *l = uf_indicators_find(&inds, "listade_per_fast_lakare");
    assert_int_equal(l->kind, UF_KIND_COUNT);
    assert_int_equal(l->direction, -1);
    assert_int_equal(l->aggregation, UF_AGG_LAST);
    assert_int_equal(l->decimals, 0);
    assert_int_equal(l->n_is_numerator, 1);
    assert_true(l->tolerance == 0.05);

    const uf_indicator *c = uf_indicators_find(&inds, "kontinuitet_coc");
    assert_int_equal(c->kind, UF_KIND_INDEX);
    assert_int_equal(c->decimals, 2);
    assert_int_equal(uf_indicators_find(&inds, "kontinuitet_upc")->kind, UF_KIND_PERCENT);
    assert_null(uf_indicators_find(&inds, "finns_inte"));
    uf_indicators_free(&inds);
    assert_int_equal(inds.n, 0);
}

static void test_derivation_names(void **state)
{
    (void)state;
    assert_string_equal(uf_derivation_name(UF_DER_BEDOMNING_3D), "bedomning_3d");
    assert_string_equal(uf_derivation_name(UF_DER_FAST_LAKARKONTAKT_SABO),
                        "fast_lakarkontakt_sabo");
    assert_string_equal(uf_derivation_name(UF_DER_KONTINUITET_UPC), "kontinuitet_upc");
    assert_string_equal(uf_derivation_name(UF_DER_AGGREGAT), "aggregat");
    assert_string_equal(uf_derivation_name(UF_DER__COUNT), "?");
}

/* A region's own indicator from aggregat.csv: one JSON file, no C. */
static void test_extra_aggregat(void **state)
{
    (void)state;
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(
        uf_indicators_load(UF_INDICATORS_DIR, UF_TEST_DATA "/data/indicators_extra", &inds, &err),
        0);
    assert_int_equal(inds.n, 13);
    const uf_indicator *x = &inds.v[12]; /* order 80 comes last */
    assert_string_equal(x->id, "lakemedelsgenomgang_sabo");
    assert_int_equal(x->derivation, UF_DER_AGGREGAT);
    assert_string_equal(x->source, "aggregat.csv");
    assert_string_equal(x->short_name, "Läkemedelsgenomgång säbo");
    assert_int_equal(x->aggregation, UF_AGG_LAST);
    /* Defaults for what the file leaves out. */
    assert_int_equal(x->direction, 1);
    assert_int_equal(x->decimals, 1);
    assert_int_equal(x->min_n, 20);
    assert_true(x->tolerance == 0.05);
    assert_int_equal(x->n_is_numerator, 0);
    uf_indicators_free(&inds);
}

static void test_defaults(void **state)
{
    (void)state;
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(load_one(minimal, &inds, &err), 0);
    assert_int_equal(inds.n, 1);
    assert_string_equal(inds.v[0].description, "");
    assert_int_equal(inds.v[0].order, 1000);
    assert_int_equal(inds.v[0].aggregation, UF_AGG_SUM);
    assert_int_equal(inds.v[0].decimals, 1);
    uf_indicators_free(&inds);
}

/* An id in the region's folder replaces the built-in one; order then id. */
static void test_replace_and_order(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    free(testfile_write(
        dir, "bedomning_3d.json",
        "{\"id\": \"bedomning_3d\", \"name\": \"Bedömning (regionens)\",\n"
        " \"short_name\": \"Bedömning\", \"source\": \"kontakter.csv\",\n"
        " \"kind\": \"procent\", \"derivation\": \"bedomning_3d\", \"order\": 65}\n"));
    free(testfile_write(dir, "a_sist.json",
                        "{\"id\": \"a_sist\", \"name\": \"A\", \"short_name\": \"A\",\n"
                        " \"source\": \"aggregat.csv\", \"kind\": \"antal\",\n"
                        " \"derivation\": \"aggregat\", \"order\": 65}\n"));
    free(testfile_write(dir, "inte-en-definition.txt", "x"));
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load(UF_INDICATORS_DIR, dir, &inds, &err), 0);
    assert_int_equal(inds.n, 13);
    assert_string_equal(inds.v[0].id, "bedomning_3d_nationell");
    assert_string_equal(inds.v[8].id, "kontinuitet_coc_sabo"); /* 64 */
    assert_string_equal(inds.v[9].id, "a_sist");               /* 65, a < b */
    assert_string_equal(inds.v[10].id, "bedomning_3d");        /* 65 */
    assert_string_equal(inds.v[10].name, "Bedömning (regionens)");
    assert_int_equal(inds.v[9].decimals, 0); /* antal */
    uf_indicators_free(&inds);
    testfile_cleanup(dir);
}

static void test_missing_dir(void **state)
{
    (void)state;
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load(UF_INDICATORS_DIR, "/nonexistent/uf", &inds, &err), -1);
    assert_int_equal(err.code, UF_ERR_CONFIG);
    assert_string_equal(err.source, "/nonexistent/uf");
    assert_string_equal(err.text, "mappen med indikatordefinitioner finns inte");
}

/* Without the built-in definitions uppfolj is not fully installed: exit 1,
 * not the region's input rejected (3); an empty folder is no better. */
static void test_missing_builtin(void **state)
{
    (void)state;
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load("/nonexistent/uf", NULL, &inds, &err), -1);
    assert_int_equal(err.code, UF_ERR_IO);
    assert_int_equal(uf_exit_code(err.code), 1);
    assert_string_equal(err.source, "/nonexistent/uf");
    assert_string_equal(err.text, "de inbyggda indikatordefinitionerna kan inte läsas: uppfolj är "
                                  "inte fullständigt installerat (UPPFOLJ_INDICATORS kan ange "
                                  "mappen)");
    char dir[] = "/tmp/uf-empty-XXXXXX";
    assert_non_null(mkdtemp(dir));
    memset(&err, 0, sizeof err);
    assert_int_equal(uf_indicators_load(dir, NULL, &inds, &err), -1);
    assert_int_equal(err.code, UF_ERR_IO);
    assert_non_null(strstr(err.text, "saknas i mappen"));
    rmdir(dir);
}

/* A BOM from a Windows editor is tolerated (that it shifts no column is
 * suites/indicators/invalid/bom_id_not_text). */
static void test_bom(void **state)
{
    (void)state;
    uf_indicators inds;
    uf_error err = {0};
    char text[512];
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", minimal);
    assert_int_equal(load_one(text, &inds, &err), 0);
    uf_indicators_free(&inds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_derivation_names),
        cmocka_unit_test(test_extra_aggregat),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_replace_and_order),
        cmocka_unit_test(test_missing_dir),
        cmocka_unit_test(test_missing_builtin),
        cmocka_unit_test(test_bom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
