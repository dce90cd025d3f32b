/* tests/test_render.c — the workbook and the chart book from the hand-built
 * month of render_fixture.h, read through the real compute and ingest
 * functions.
 *
 * Run as "render_sample DIR [CASE]", it only writes uppfolj-P.xlsx and .pdf
 * for that fixture case into DIR (render_clients.sh and render_golden.sh
 * check them with real clients). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publish/archive.h"
#include "publish/manifest.h"
#include "render/doc.h"
#include "render_fixture.h"

/* ------------------------------------------------------------- helpers */

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, fp);
    b[*len] = '\0';
    fclose(fp);
    return b;
}

static int same_bytes(const char *a, const char *b)
{
    size_t la, lb;
    char *x = read_all(a, &la), *y = read_all(b, &lb);
    int same = x && y && la == lb && !memcmp(x, y, la);
    free(x);
    free(y);
    return same;
}

static int setup(void **state)
{
    *state = fixture_new("utkast");
    return 0;
}

static int teardown(void **state)
{
    fixture_free(*state);
    return 0;
}

static char tmp_dir[64];

static char *out_path(const char *name)
{
    return uf_xasprintf("%s/%s", tmp_dir, name);
}

/* ---------------------------------------------------------------- tests */

static void fixture_is_what_the_tests_claim(void **state)
{
    fixture *f = *state;
    const uf_doc *d = &f->doc;
    /* The region row sums its units: 85.x % against 90 % is nära. */
    const uf_cell *p = uf_doc_cell(d, 0, 0, UF_TREND - 1);
    assert_int_equal(p->status, UF_ST_NEAR);
    /* VC29 has 12 contacts: suppressed; VC07 has its own 80 % target. */
    assert_int_equal(uf_doc_cell(d, 0, 29, UF_TREND - 1)->status, UF_ST_SMALL);
    assert_true(isnan(uf_doc_shown(uf_doc_cell(d, 0, 29, UF_TREND - 1))));
    assert_non_null(uf_doc_cell(d, 0, 7, UF_TREND - 1)->target->unit);
    /* Continuity has no target; the phone extract starts three months in. */
    assert_int_equal(uf_doc_cell(d, 4, 0, UF_TREND - 1)->status, UF_ST_NOTARGET);
    assert_int_equal(uf_doc_cell(d, 1, 0, 0)->status, UF_ST_MISSING);
    assert_int_equal(uf_doc_cell(d, 1, 0, UF_TREND - 1)->status, UF_ST_MISSED);
}

static void doc_helpers(void **state)
{
    fixture *f = *state;
    const uf_doc *d = &f->doc;
    /* bedomning_3d is nära with an analysis; telefon misses without one. */
    assert_false(uf_doc_analysis_missing(d, 0));
    assert_true(uf_doc_analysis_missing(d, 1));
    assert_false(uf_doc_analysis_missing(d, 4)); /* inget mål: nothing to explain */
    const uf_action *a = f->comments.v[0].actions;
    assert_true(uf_doc_action_overdue(d, &a[0]));  /* 2024-06-30, open */
    assert_false(uf_doc_action_overdue(d, &a[1])); /* 2024-10-31, not yet due */
    assert_false(uf_doc_action_overdue(d, &a[2])); /* closed */
    uf_action last_day = {"x", "y", "2024-08-31", "", NULL}, next = {"x", "y", "2024-09-01", "", NULL};
    assert_true(uf_doc_action_overdue(d, &last_day));
    assert_false(uf_doc_action_overdue(d, &next));
    assert_string_equal(uf_doc_owner(d, &f->inds.v[1]), "Vårdvalschef");
    assert_string_equal(uf_doc_owner(d, &f->inds.v[4]), "Ägare saknas");
}

/* What the cover counts and stamps, and Kolada on our scale. */
static void doc_counts_and_kolada(void **state)
{
    fixture *f = *state;
    uf_doc *d = &f->doc;
    assert_int_equal(uf_doc_count_analysis_missing(d), 2); /* telefon, listade */
    assert_int_equal(uf_doc_nchanges(d), 3);
    assert_false(uf_doc_approved(d));
    assert_true(uf_doc_closes_tertial(d)); /* August closes T2 */
    char b[64];
    uf_doc_stamp(d, b, sizeof b);
    assert_string_equal(b, "PRELIMINÄR · UTKAST");
    double v = 0, k[UF_TREND];
    assert_true(uf_doc_kolada_value(d, &f->inds.v[0], "0000", 2023, &v));
    assert_float_equal(v, 0.87, 1e-12);
    assert_false(uf_doc_kolada_value(d, &f->inds.v[1], "0000", 2023, &v)); /* null */
    assert_null(uf_doc_kolada_kpi(&f->inds.v[2]));
    assert_true(uf_doc_kolada_trend(d, &f->inds.v[1], k));
    assert_true(isnan(k[0]) && isnan(k[4]));  /* aug–dec 2023: Kolada's null */
    assert_float_equal(k[5], 0.901, 1e-12);   /* jan 2024 */
    char line[256];
    assert_true(uf_doc_kolada_line(d, &f->inds.v[0], line, sizeof line));
    assert_string_equal(line, "Kolada 2024 (N79173): Riket 88,5" UF_NBSP "%, Region Kronoberg "
                              "85,5" UF_NBSP "%. Källa: Kolada.");
    assert_false(uf_doc_kolada_line(d, &f->inds.v[4], line, sizeof line));
    /* a withdrawn year is simply absent; a null region value says Kolada's why */
    const uf_kolada *had = d->kolada;
    uf_kolada_value kv[] = {{"N79173", "0000", 2024, 88.5, 1, ""},
                            {"N79173", "0007", 2024, 0, 0, "Missing"}};
    uf_kolada one = {2, kv};
    d->kolada = &one;
    assert_true(uf_doc_kolada_line(d, &f->inds.v[0], line, sizeof line));
    assert_string_equal(line, "Kolada 2024 (N79173): Riket 88,5" UF_NBSP "%, Region Kronoberg "
                              "saknas (status Missing). Källa: Kolada.");
    /* the pull failed: the pages of indicators with a KPI say so */
    d->kolada = NULL;
    d->kolada_missing = "kolada: servern svarade 404";
    assert_true(uf_doc_kolada_line(d, &f->inds.v[0], line, sizeof line));
    assert_string_equal(line, "Jämförelse från Kolada saknas: kolada: servern svarade 404.");
    assert_false(uf_doc_kolada_line(d, &f->inds.v[4], line, sizeof line)); /* no KPI */
    d->kolada_missing = NULL;
    d->kolada = had;
    d->changes = NULL;
    f->edition.approved = 1;
    f->report.preliminary = 0;
    assert_int_equal(uf_doc_nchanges(d), 0);
    uf_doc_stamp(d, b, sizeof b);
    assert_string_equal(b, "");
    /* The group shares one fixture: put the draft back. */
    d->changes = &f->changes;
    f->edition.approved = 0;
    f->report.preliminary = 1;
}

static void xlsx_written_and_deterministic(void **state)
{
    fixture *f = *state;
    uf_error err = {0};
    char *a = out_path("a.xlsx"), *b = out_path("b.xlsx");
    assert_int_equal(uf_render_xlsx(&f->doc, a, &err), 0);
    assert_int_equal(uf_render_xlsx(&f->doc, b, &err), 0);
    struct stat st;
    assert_int_equal(stat(a, &st), 0);
    assert_true(st.st_size > 10000);
    assert_true(same_bytes(a, b));
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

static void xlsx_unwritable_path_is_an_error(void **state)
{
    fixture *f = *state;
    uf_error err = {0};
    assert_int_equal(uf_render_xlsx(&f->doc, "/nonexistent-dir/x.xlsx", &err), -1);
    assert_int_equal(err.code, UF_ERR_RENDER);
    assert_string_equal(err.source, "/nonexistent-dir/x.xlsx");
}

static void pdf_written_and_deterministic(void **state)
{
    fixture *f = *state;
    uf_error err = {0};
    char *a = out_path("a.pdf"), *b = out_path("b.pdf");
    assert_int_equal(uf_render_pdf(&f->doc, a, NULL, &err), 0);
    assert_int_equal(uf_render_pdf(&f->doc, b, NULL, &err), 0);
    size_t len;
    char *bytes = read_all(a, &len);
    assert_non_null(bytes);
    assert_memory_equal(bytes, "%PDF-", 5);
    /* The run time in Stockholm, not the time of rendering. */
    /* (cairo 1.16 writes the date without its "D:" prefix; readers cope.) */
    assert_non_null(memmem(bytes, len, "/CreationDate (20240906071500+02'00)", 36));
    assert_non_null(memmem(bytes, len, "/ModDate (20240906071500+02'00)", 31));
    char creator[64];
    snprintf(creator, sizeof creator, "/Creator (uppfolj %s)", uf_version);
    assert_non_null(memmem(bytes, len, creator, strlen(creator)));
    free(bytes);
    assert_true(same_bytes(a, b));
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

static void pdf_unwritable_path_is_an_error(void **state)
{
    fixture *f = *state;
    uf_error err = {0};
    assert_int_equal(uf_render_pdf(&f->doc, "/nonexistent-dir/x.pdf", NULL, &err), -1);
    assert_int_equal(err.code, UF_ERR_RENDER);
    assert_string_equal(err.source, "/nonexistent-dir/x.pdf");
}

/* The PDF records the font files it embeds: DejaVu Sans and its bold, found
 * through fontconfig, in name order; publishing adds the SHA-256 of each. */
static void pdf_records_its_fonts(void **state)
{
    fixture *f = *state;
    uf_error err = {0};
    uf_build b = {0};
    char *p = out_path("fonts.pdf");
    assert_int_equal(uf_render_pdf(&f->doc, p, &b, &err), 0);
    assert_int_equal(uf_build_hash_fonts(&b, &err), 0); /* as publishing does */
    assert_true(b.fonts_known);
    assert_int_equal(b.nfonts, 2);
    assert_non_null(strstr(b.fonts[0].file, "/DejaVuSans-Bold.ttf"));
    assert_non_null(strstr(b.fonts[1].file, "/DejaVuSans.ttf"));
    for (size_t i = 0; i < b.nfonts; i++) {
        char sha[65];
        long long bytes;
        assert_int_equal(uf_sha256_file(b.fonts[i].file, sha, &bytes, &err), 0);
        assert_string_equal(b.fonts[i].sha256, sha);
        assert_true(b.fonts[i].bytes == bytes && bytes > 100000);
    }
    /* A second PDF replaces the list rather than adding to it. */
    assert_int_equal(uf_render_pdf(&f->doc, p, &b, &err), 0);
    assert_int_equal(b.nfonts, 2);
    uf_build_free(&b);
    unlink(p);
    free(p);
}

/* fontconfig keeps its parsed configuration for the life of the process
 * (pango loads it once); LeakSanitizer reads this hook, in ASan builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* compute --data leaves out an indicator whose extract is absent: its
 * series has no cells, and both documents still render. */
static void indicator_not_computed_still_renders(void **state)
{
    fixture *f = *state;
    uf_series *se = &f->report.series[2];
    uf_cell *cells = se->cells;
    se->cells = NULL;
    se->computed = 0;
    uf_error err = {0};
    char *x = out_path("n.xlsx"), *p = out_path("n.pdf");
    assert_int_equal(uf_render_xlsx(&f->doc, x, &err), 0);
    assert_int_equal(uf_render_pdf(&f->doc, p, NULL, &err), 0);
    assert_int_equal(uf_doc_cell(&f->doc, 2, 0, UF_TREND - 1)->status, UF_ST_MISSING);
    assert_false(uf_doc_analysis_missing(&f->doc, 2));
    unlink(x);
    unlink(p);
    free(x);
    free(p);
    se->cells = cells;
    se->computed = 1;
}

static int write_sample(const char *dir, const char *which)
{
    fixture *f = fixture_new(which);
    uf_error err = {0};
    char *x = uf_output_path(dir, NULL, UF_OUT_XLSX, f->report.period);
    char *p = uf_output_path(dir, NULL, UF_OUT_PDF, f->report.period);
    int rc = uf_render_xlsx(&f->doc, x, &err);
    if (!rc)
        rc = uf_render_pdf(&f->doc, p, NULL, &err);
    if (rc)
        uf_error_print(&err, stderr);
    free(x);
    free(p);
    fixture_free(f);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 || argc == 3)
        return write_sample(argv[1], argc == 3 ? argv[2] : "utkast");
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/uf-render-XXXXXX");
    if (!mkdtemp(tmp_dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_is_what_the_tests_claim),
        cmocka_unit_test(doc_helpers),
        cmocka_unit_test(doc_counts_and_kolada),
        cmocka_unit_test(xlsx_written_and_deterministic),
        cmocka_unit_test(xlsx_unwritable_path_is_an_error),
        cmocka_unit_test(pdf_written_and_deterministic),
        cmocka_unit_test(pdf_unwritable_path_is_an_error),
        cmocka_unit_test(pdf_records_its_fonts),
        cmocka_unit_test(indicator_not_computed_still_renders),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    rmdir(tmp_dir);
    return rc;
}
