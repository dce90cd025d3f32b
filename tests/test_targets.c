/* tests/test_targets.c — targets.json: the nämnd's decisions and which
 * target is in force when.  Its errors, those that keep two targets from
 * applying at once among them, are cases under tests/suites/targets/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testfile.h"
#include "ingest/ingest.h"

static void test_load_and_find(void **state)
{
    (void)state;
    uf_targets t;
    uf_error err = {0};
    assert_int_equal(uf_targets_load(UF_TEST_DATA "/data/targets/targets.json", testfile_inds(), &t, NULL, &err),
                     0);
    assert_int_equal(t.n, 6);
    assert_string_equal(t.v[0].indicator, "telefon_samma_dag");
    assert_null(t.v[0].unit);
    assert_true(t.v[0].value == 0.98);
    assert_int_equal(t.v[0].from, uf_month_make(2023, 1));
    assert_int_equal(t.v[0].to, uf_month_make(2024, 12));
    assert_string_equal(t.v[0].decision, "NFV 2022-11-24 § 98");
    assert_int_equal(t.v[1].to, UF_MONTH_OPEN);
    assert_string_equal(t.v[3].unit, "VC07");
    /* where it names its unit, for messages once the file is closed */
    assert_int_equal(t.v[3].line, 8);
    assert_int_equal(t.v[3].column, 33);
    assert_int_equal(t.v[0].line, 0);
    char what[120];
    uf_target_describe(&t.v[3], 1, what, sizeof what);
    assert_string_equal(what, "målet för bedomning_3d (\"Avtal VC07 2024\", 2024-01–tills vidare)");
    assert_true(t.v[5].value == 1100); /* not a percentage: any size */

    /* The target in force changes with the decision's period. */
    const uf_target *x = uf_targets_find(&t, "telefon_samma_dag", NULL, uf_month_make(2024, 8));
    assert_ptr_equal(x, &t.v[0]);
    x = uf_targets_find(&t, "telefon_samma_dag", NULL, uf_month_make(2025, 1));
    assert_ptr_equal(x, &t.v[4]);
    assert_null(uf_targets_find(&t, "telefon_samma_dag", NULL, uf_month_make(2022, 12)));
    /* A unit without its own target gets the region's. */
    assert_ptr_equal(uf_targets_find(&t, "telefon_samma_dag", "VC07", uf_month_make(2024, 8)),
                     &t.v[0]);
    /* A unit-level target overrides the region's, from its first month. */
    assert_ptr_equal(uf_targets_find(&t, "bedomning_3d", "VC07", uf_month_make(2024, 1)), &t.v[3]);
    assert_ptr_equal(uf_targets_find(&t, "bedomning_3d", "VC07", uf_month_make(2023, 12)), &t.v[2]);
    assert_ptr_equal(uf_targets_find(&t, "bedomning_3d", "VC03", uf_month_make(2024, 8)), &t.v[2]);
    assert_ptr_equal(uf_targets_find(&t, "bedomning_3d", NULL, uf_month_make(2024, 8)), &t.v[2]);
    assert_null(uf_targets_find(&t, "kontinuitet_coc", NULL, uf_month_make(2024, 8)));
    uf_targets_free(&t);
    assert_int_equal(t.n, 0);
}

/* Adjacent periods, other units and other levels do not collide. */
static void test_no_overlap(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    char *path = testfile_write(
        dir, "targets.json",
        "{\"targets\": [\n"
        "{\"indicator\": \"bedomning_3d\", \"value\": 0.9, \"from\": \"2023-01\", \"to\": "
        "\"2023-12\", \"decision\": \"A\"},\n"
        "{\"indicator\": \"bedomning_3d\", \"value\": 0.92, \"from\": \"2024-01\", "
        "\"decision\": \"B\"},\n"
        "{\"indicator\": \"bedomning_3d\", \"unit\": \"VC07\", \"value\": 0.8, \"from\": "
        "\"2023-01\", \"decision\": \"C\"},\n"
        "{\"indicator\": \"bedomning_3d\", \"unit\": \"VC08\", \"value\": 0.8, \"from\": "
        "\"2023-01\", \"decision\": \"D\"},\n"
        "{\"indicator\": \"telefon_samma_dag\", \"value\": 0.98, \"from\": \"2023-01\", "
        "\"decision\": \"E\"}\n"
        "]}\n");
    uf_targets t;
    uf_error err = {0};
    assert_int_equal(uf_targets_load(path, testfile_inds(), &t, NULL, &err), 0);
    assert_int_equal(t.n, 5);
    assert_string_equal(
        uf_targets_find(&t, "bedomning_3d", "VC01", uf_month_make(2024, 3))->decision, "B");
    assert_string_equal(
        uf_targets_find(&t, "bedomning_3d", "VC08", uf_month_make(2024, 3))->decision, "D");
    uf_targets_free(&t);
    free(path);

    path = testfile_write(dir, "targets.json", "{\"targets\": []}");
    assert_int_equal(uf_targets_load(path, testfile_inds(), &t, NULL, &err), 0);
    assert_int_equal(t.n, 0);
    assert_null(uf_targets_find(&t, "bedomning_3d", NULL, uf_month_make(2024, 3)));
    uf_targets_free(&t);
    free(path);
    testfile_cleanup(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_find),
        cmocka_unit_test(test_no_overlap),
    };
    return cmocka_run_group_tests(tests, testfile_builtins, testfile_builtins_free);
}
