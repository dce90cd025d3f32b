/* tests/test_comments.c — kommentarer/P.json: analysis and actions per
 * indicator and a missing file.  Its errors, with line and column, are
 * cases under tests/suites/comments/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testfile.h"
#include "ingest/ingest.h"

static void test_load(void **state)
{
    (void)state;
    uf_comments c;
    uf_error err = {0};
    assert_int_equal(uf_comments_load(UF_TEST_DATA "/data/comments/2024-08.json", NULL,
                                      testfile_inds(), &c, NULL, &err),
                     0);
    assert_int_equal(c.n, 3);
    const uf_comment *b = uf_comments_find(&c, "bedomning_3d");
    assert_ptr_equal(b, &c.v[0]);
    assert_string_equal(
        b->analysis, "Sommarmånaderna med hög andel hyrläkare gav färre bedömningar inom 3 dagar.");
    assert_int_equal(b->nactions, 2);
    assert_string_equal(b->actions[0].action, "Utöka telefontider");
    assert_string_equal(b->actions[0].owner, "Verksamhetschef VC03");
    assert_string_equal(b->actions[0].due, "2024-10-31");
    assert_string_equal(b->actions[0].done, "");
    assert_string_equal(b->actions[1].done, "Infört 2024-06-24");

    const uf_comment *t = uf_comments_find(&c, "telefon_samma_dag");
    assert_int_equal(t->nactions, 0);
    assert_null(t->actions);
    const uf_comment *f = uf_comments_find(&c, "fast_lakarkontakt");
    assert_string_equal(f->analysis, ""); /* none written: "Analys saknas" if missed */
    assert_int_equal(f->nactions, 1);
    assert_string_equal(f->actions[0].done, "");
    assert_null(uf_comments_find(&c, "kontinuitet_coc"));
    uf_comments_free(&c);
    assert_int_equal(c.n, 0);
}

static void test_missing_file(void **state)
{
    (void)state;
    uf_comments c;
    uf_error err = {0};
    assert_int_equal(uf_comments_load(UF_TEST_DATA "/data/comments/2031-01.json", NULL,
                                      testfile_inds(), &c, NULL, &err),
                     0);
    assert_int_equal(c.n, 0);
    assert_null(uf_comments_find(&c, "bedomning_3d"));
    uf_comments_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, testfile_builtins, testfile_builtins_free);
}
