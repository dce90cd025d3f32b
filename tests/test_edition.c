/* tests/test_edition.c — which edition a run makes (publish/edition.c):
 * the inputs it is compared by, and the edition block's way through a
 * manifest and back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publish/inputs.h"
#include "render/render.h"

static uf_input rec(const char *role, const char *name, const char *period, char sha)
{
    uf_input in = {.bytes = 1};
    snprintf(in.role, sizeof in.role, "%s", role);
    snprintf(in.name, sizeof in.name, "%s", name);
    snprintf(in.period, sizeof in.period, "%s", period);
    memset(in.sha256, sha, 64);
    return in;
}

/* Edition 3 of 2024-08, approved; its inputs as a manifest holds them. */
static void current(uf_earlier *e, const uf_input *was, size_t n)
{
    memset(e, 0, sizeof *e);
    e->found = 1;
    e->number = 3;
    snprintf(e->period, sizeof e->period, "2024-08");
    e->m.run_time_unix = 1725606900;
    e->m.has_edition = 1;
    e->m.edition.approved = 1;
    snprintf(e->m.edition.approval.by, sizeof e->m.edition.approval.by, "HSN");
    e->m.ninputs = n;
    e->m.inputs = calloc(n, sizeof *e->m.inputs);
    for (size_t i = 0; i < n; i++)
        e->m.inputs[i] = (uf_manifest_input){.in = was[i], .complete = 1};
}

static void compared_inputs(void **state)
{
    (void)state;
    const uf_input was[] = {
        rec("config", "uppfolj.json", "", 'a'),
        rec("extrakt", "kontakter.csv", "", 'b'),
        rec("tidigare", "resultat-2024-08.csv", "2024-08", 'c'),
        rec("tidigare", "resultat-2024-07.csv", "2024-07", 'd'),
        rec("faststallelse", "faststallelse-2024-08.json", "", 'e'),
    };
    /* The next run: the period's own edition is another, the approval is
     * not an input; neither is a reason for a new edition. */
    uf_input now[] = {
        rec("config", "uppfolj.json", "", 'a'),
        rec("extrakt", "kontakter.csv", "", 'b'),
        rec("tidigare", "resultat-2024-08.csv", "2024-08", 'f'),
        rec("tidigare", "resultat-2024-07.csv", "2024-07", 'd'),
    };
    uf_earlier cur;
    current(&cur, was, 5);
    uf_edition e = {0};
    uf_edition_plan(&e, now, 4, &cur);
    assert_int_equal(e.number, 4);
    assert_int_equal(e.replaces, 3);
    assert_true(e.replaces_approved);
    assert_string_equal(e.replaced.by, "HSN");
    assert_int_equal(e.nchanges, 0);

    /* A late delivery, a new extract, July's new edition. */
    now[1].sha256[0] = 'x';
    now[3].sha256[0] = 'y';
    uf_input more[5];
    memcpy(more, now, sizeof now);
    more[4] = rec("extrakt", "samtal.csv", "", 'g');
    uf_edition_plan(&e, more, 5, &cur);
    assert_int_equal(e.nchanges, 3);
    assert_string_equal(e.changes[0].name, "kontakter.csv");
    assert_int_equal(e.changes[0].kind, UF_INPUT_CHANGED);
    assert_string_equal(e.changes[1].period, "2024-07");
    assert_int_equal(e.changes[2].kind, UF_INPUT_NEW);
    char why[300];
    uf_doc_edition_reason(&e, why, sizeof why);
    assert_string_equal(why, "sen leverans av kontakter.csv, ny utgåva av 2024-07, sen leverans "
                             "av samtal.csv");
    char line[200];
    uf_doc_edition_line(&e, line, sizeof line);
    assert_string_equal(line, "Utgåva 4, utkast; ersätter utgåva 3 av 2024-09-06, som var "
                              "fastställd");

    /* The config's extract no longer delivered: gone. */
    uf_edition_plan(&e, more + 2, 3, &cur);
    assert_int_equal(e.nchanges, 4);
    uf_edition_free(&e);
    free(cur.m.inputs);
}

/* The edition block is saved and read back as it was. */
static void round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/uf-edition-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    uf_input_change ch = {"extrakt", "kontakter.csv", "", UF_INPUT_CHANGED};
    uf_manifest m = {.period = uf_month_make(2024, 8), .run_time = "2024-09-06T07:15:00Z",
                     .run_time_unix = 1725606900, .archive = "/arkiv", .has_edition = 1};
    m.edition = (uf_edition){.number = 2,
                             .approved = 1,
                             .approval = {"HSN", "HSN 2024-09-18 § 12", 1725700000},
                             .replaces = 1,
                             .replaces_time = 1725600000,
                             .changes = &ch,
                             .nchanges = 1};
    uf_error err = {0};
    assert_int_equal(uf_manifest_save(&m, path, &err), 0);
    uf_manifest back;
    assert_int_equal(uf_manifest_load(path, &back, &err), 0);
    assert_true(back.has_edition);
    assert_int_equal(back.edition.number, 2);
    assert_true(back.edition.approved);
    assert_string_equal(back.edition.approval.decision, "HSN 2024-09-18 § 12");
    assert_int_equal(back.edition.approval.at, 1725700000);
    assert_int_equal(back.edition.replaces, 1);
    assert_int_equal(back.edition.replaces_time, 1725600000);
    assert_int_equal(back.edition.nchanges, 1);
    assert_string_equal(back.edition.changes[0].name, "kontakter.csv");
    uf_manifest_free(&back);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compared_inputs),
        cmocka_unit_test(round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
