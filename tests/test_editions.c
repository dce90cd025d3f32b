/* tests/test_editions.c — earlier months of the trend from earlier published
 * editions (compute/editions.c), against the hand-made case in
 * tests/golden/editions/ (its README says what each file is for). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/editions.h"
#include "testfile.h"
#include "publish/publish.h"
#include "render/render.h"

#define CASE UF_TEST_DATA "/golden/editions"

static const char *const files[] = {"enheter.csv", "kontakter.csv", "listning.csv"};
enum { NFILES = sizeof files / sizeof *files };
/* Newest first, P's own edition too, as ingest/inputs.c takes them. */
static const char *const months[] = {"2024-08", "2024-07", "2024-06"};
enum { NMONTHS = sizeof months / sizeof *months };

typedef struct {
    uf_extract extracts[NFILES];
    uf_indicators inds;
    uf_targets targets;
    uf_inputs earlier;
    uf_compute_in in;
    uf_report report;
    uf_error err;
} fixture;

static void load(fixture *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < NFILES; i++) {
        f->extracts[i].name = files[i];
        f->extracts[i].path = uf_xasprintf("%s/data/%s", CASE, files[i]);
    }
    if (uf_indicators_load(CASE "/indicators", NULL, &f->inds, &f->err) < 0 ||
        uf_targets_load(CASE "/targets.json", &f->inds, &f->targets, NULL, &f->err) < 0)
        fail_msg("%s", f->err.text);
    for (size_t e = 0; e < NMONTHS; e++) {
        snprintf(f->earlier.editions[e].period, sizeof f->earlier.editions[e].period, "%s",
                 months[e]);
        snprintf(f->earlier.editions[e].edition, sizeof f->earlier.editions[e].edition,
                 "%s-10T06:00:00Z", months[e]);
        snprintf(f->earlier.editions[e].name, sizeof f->earlier.editions[e].name,
                 "resultat-%s.csv", months[e]);
        f->earlier.editions[e].path =
            uf_xasprintf("%s/editions/%s", CASE, f->earlier.editions[e].name);
    }
    f->earlier.neditions = NMONTHS;
    uf_month_parse("2024-08", &f->in.period);
    f->in.extracts = f->extracts;
    f->in.nextracts = NFILES;
    f->in.inds = &f->inds;
    f->in.targets = &f->targets;
    f->in.skip_missing = 1;
    f->in.earlier = &f->earlier;
}

static void compute(fixture *f)
{
    if (uf_compute(&f->in, &f->report, &f->err) < 0) {
        uf_error_print(&f->err, stderr);
        fail_msg("uf_compute failed");
    }
}

static void unload(fixture *f)
{
    uf_report_free(&f->report);
    for (size_t i = 0; i < NFILES; i++)
        free((char *)f->extracts[i].path);
    for (size_t e = 0; e < f->earlier.neditions; e++)
        free(f->earlier.editions[e].path);
    uf_targets_free(&f->targets);
    uf_indicators_free(&f->inds);
}

static char *resultat(const fixture *f)
{
    uf_doc doc = {.report = &f->report, .inds = &f->inds};
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_int_equal(uf_render_resultat(&doc, mem, 1, (uf_error *)&f->err), 0);
    fclose(mem);
    return buf;
}

/* Series s (0 bedomning_3d, 1 fast_lakarkontakt), row (0 region, 1.. VC01..),
 * month "2024-06" .. "2024-08". */
static const uf_cell *at(const fixture *f, size_t s, size_t row, const char *month)
{
    uf_month m;
    assert_int_equal(uf_month_parse(month, &m), 0);
    return uf_report_cell(&f->report, s, row, (int)(m - (f->report.period - (UF_TREND - 1))));
}

static const uf_issue *issue(const uf_report *r, const char *file, const char *reason)
{
    for (size_t i = 0; i < r->nissues; i++)
        if (strcmp(r->issues[i].file, file) == 0 && strcmp(r->issues[i].reason, reason) == 0)
            return &r->issues[i];
    return NULL;
}

/* The whole report, as the unsuppressed resultat prints it. */
static void golden(void **state)
{
    (void)state;
    fixture f;
    load(&f);
    compute(&f);
    char *got = resultat(&f), *want = testfile_read(CASE "/expected.csv");
    assert_non_null(want);
    assert_string_equal(got, want);
    free(got);
    free(want);
    unload(&f);
}

static void cells(void **state)
{
    (void)state;
    fixture f;
    load(&f);
    compute(&f);
    const uf_report *r = &f.report;
    assert_int_equal(r->nseries, 2);
    assert_string_equal(r->series[1].ind->id, "fast_lakarkontakt");
    /* the listing's June and July: the region from REGION rows, not summed */
    const uf_cell *c = at(&f, 1, 0, "2024-06");
    assert_true(c->present);
    assert_float_equal(c->num, 30, 0);
    assert_float_equal(c->den, 52, 0);
    assert_int_equal(c->status, UF_ST_MET); /* 0.577 against June's 0.55 */
    assert_float_equal(c->target->value, 0.55, 1e-12);
    c = at(&f, 1, 0, "2024-07");
    assert_float_equal(c->num, 7, 0);
    assert_float_equal(c->target->value, 0.6, 1e-12);
    /* May: only in June's edition, never in May's own: missing */
    assert_false(at(&f, 1, 0, "2024-05")->present);
    /* VC03 has no row in July's edition */
    assert_false(at(&f, 1, 3, "2024-07")->present);
    /* suppressed when published: present, count unknown, still suppressed */
    c = at(&f, 1, 2, "2024-06");
    assert_true(c->present);
    assert_true(isnan(c->num));
    assert_float_equal(c->den, 1, 0);
    assert_int_equal(c->status, UF_ST_SMALL);
    assert_true(isnan(uf_cell_value(c)));
    /* so is a year to date that sums it; its n is enough, so it is hidden
     * as the secondary rule hides (dold), not as too small */
    c = uf_report_cell(r, 0, 2, UF_COL_YTD);
    assert_true(isnan(c->num));
    assert_float_equal(c->den, 4, 0);
    assert_int_equal(c->status, UF_ST_HIDDEN);
    /* July is the extracts': the edition's 99/100 is not used */
    c = at(&f, 0, 0, "2024-07");
    assert_float_equal(c->num, 1, 0);
    assert_float_equal(c->den, 2, 0);
    /* year to date = June (edition) + July + August (extracts) */
    c = uf_report_cell(r, 0, 1, UF_COL_YTD);
    assert_float_equal(c->num, 3 + 1 + 2, 0);
    assert_float_equal(c->den, 4 + 1 + 2, 0);
    assert_int_equal(c->status, UF_ST_NEAR);
    /* P's own column never comes from an edition */
    c = at(&f, 1, 0, "2024-08");
    assert_float_equal(c->num, 9, 0);
    assert_float_equal(c->den, 12, 0);

    const uf_issue *i = issue(r, "resultat-2024-06.csv",
                              "enheten VC09 finns inte bland månadens enheter; dess siffror "
                              "för 2024-06 visas inte");
    assert_non_null(i);
    assert_int_equal(i->count, 2);
    assert_int_equal(i->nlines, 2);
    assert_int_equal(i->lines[0], 6);
    assert_int_equal(i->lines[1], 11);
    /* an edition's July makes the month-on-month move of a listing visible */
    assert_non_null(issue(r, "listning.csv",
                          "fast_lakarkontakt: VC01 ändrades från 66,7 % (2024-07) till 80,0 % "
                          "(2024-08), mer än toleransen"));
    unload(&f);
}

/* compute --data and check have no editions: the earlier months stay missing. */
static void without_editions(void **state)
{
    (void)state;
    fixture f;
    load(&f);
    f.in.earlier = NULL;
    compute(&f);
    assert_false(at(&f, 1, 0, "2024-06")->present);
    assert_false(at(&f, 1, 1, "2024-07")->present);
    assert_false(at(&f, 0, 0, "2024-06")->present);
    assert_int_equal(uf_report_cell(&f.report, 0, 0, UF_COL_YTD)->den, 2 + 5);
    unload(&f);
}

/* A damaged edition stops the run and says where. */
static void bad_edition(void **state)
{
    (void)state;
    fixture f;
    load(&f);
    char *dir = testfile_dir();
    free(f.earlier.editions[2].path);
    f.earlier.editions[2].path =
        testfile_write(dir, "resultat-2024-06.csv",
                       "indikator;enhet_id;period;taljare;namnare;varde;mal;status\n"
                       "bedomning_3d;VC01;2024-06;3;4;0.75;0.9;ej_uppnatt\n"
                       "bedomning_3d;VC02;2024-06;1;fyra;;0.9;ej_uppnatt\n");
    assert_int_equal(uf_compute(&f.in, &f.report, &f.err), -1);
    assert_int_equal(f.err.code, UF_ERR_INPUT);
    assert_string_equal(f.err.source, "resultat-2024-06.csv");
    assert_int_equal(f.err.line, 3);
    assert_int_equal(f.err.column, 5);
    assert_string_equal(f.err.column_name, "namnare");
    testfile_cleanup(dir);
    unload(&f);
}

/* Unit ids that break a naive CSV (";", '"') or that a spreadsheet would
 * run ("=", "+", "-", "@"), and one that starts with the apostrophe the
 * writer adds: July is published, and August takes July back from that
 * file, each figure under its own unit. */
static const char *const tricky[] = {"'x", "+46", "-5", "=1+1", "@SUM(A1)", "VC01", "a;b",
                                     "q\"q"};
enum { NTRICKY = sizeof tricky / sizeof *tricky };

/* s as a quoted CSV field. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputs(*s == '"' ? "\"\"" : (char[]){*s, 0}, f);
    fputc('"', f);
}

static void round_trip(void **state)
{
    (void)state;
    char *dir = testfile_dir();
    char *enheter = NULL, *kontakter = NULL;
    size_t elen = 0, klen = 0;
    FILE *e = open_memstream(&enheter, &elen), *k = open_memstream(&kontakter, &klen);
    fputs("enhet_id;namn\n", e);
    fputs("enhet_id;kontaktdatum;bedomningsdatum;legitimerad\n", k);
    for (size_t u = 0; u < NTRICKY; u++) {
        put_quoted(e, tricky[u]);
        fputs(";Enhet\n", e);
        /* unit u: u + 1 contacts in July, all but one assessed in time */
        for (size_t i = 0; i <= u; i++) {
            put_quoted(k, tricky[u]);
            fprintf(k, ";2024-07-%02zu;2024-07-%02zu;J\n", i + 1, i + (i ? 1 : 9));
        }
    }
    fclose(e);
    fclose(k);
    char *july = uf_xasprintf("%s/kontakter-07.csv", dir);
    FILE *f = fopen(july, "w");
    fputs(kontakter, f);
    fclose(f);
    uf_extract x[2] = {{.name = "enheter.csv", .path = testfile_write(dir, "enheter.csv", enheter)},
                       {.name = "kontakter.csv", .path = july}};
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load(CASE "/indicators", NULL, &inds, &err), 0);
    uf_compute_in in = {.extracts = x, .nextracts = 2, .inds = &inds, .skip_missing = 1};
    uf_month_parse("2024-07", &in.period);
    uf_report r;
    assert_int_equal(uf_compute(&in, &r, &err), 0);
    uf_doc doc = {.report = &r, .inds = &inds};
    char *published = uf_xasprintf("%s/resultat-2024-07.csv", dir);
    f = fopen(published, "w");
    assert_int_equal(uf_render_resultat(&doc, f, 0, &err), 0);
    fclose(f);
    uf_report_free(&r);

    /* August: no contacts in July, so July comes from its edition. */
    free((char *)x[1].path);
    x[1].path = testfile_write(dir, "kontakter-08.csv",
                               "enhet_id;kontaktdatum;bedomningsdatum;legitimerad\n"
                               "VC01;2024-08-01;2024-08-01;J\n");
    uf_inputs earlier = {.neditions = 1};
    snprintf(earlier.editions[0].period, sizeof earlier.editions[0].period, "2024-07");
    snprintf(earlier.editions[0].name, sizeof earlier.editions[0].name, "resultat-2024-07.csv");
    earlier.editions[0].path = published;
    in.earlier = &earlier;
    uf_month_parse("2024-08", &in.period);
    if (uf_compute(&in, &r, &err) != 0)
        fail_msg("%s, rad %ld: %s", err.source, err.line, err.text);
    assert_int_equal(r.nunits, NTRICKY);
    for (size_t u = 0; u < NTRICKY; u++) {
        long row = uf_report_row(&r, tricky[u]);
        assert_true(row > 0);
        const uf_cell *c = uf_report_cell(&r, 0, (size_t)row, UF_TREND - 2);
        assert_true(c->present);
        assert_float_equal(c->den, (double)(u + 1), 0);
        /* one contact: suppressed when published; two, the smallest of the
         * rest: hidden so that the region does not give the first back */
        if (u <= 1)
            assert_true(isnan(c->num));
        else
            assert_float_equal(c->num, (double)u, 0);
    }
    for (size_t i = 0; i < r.nissues; i++) /* no unit went missing on the way */
        assert_null(strstr(r.issues[i].reason, "finns inte bland"));

    /* A late July delivery: each restated figure is found under its unit. */
    uf_report_free(&r);
    uf_month_parse("2024-07", &in.period);
    free((char *)x[1].path);
    for (size_t i = 0; i < klen; i++) /* every assessment in time now */
        if (memcmp(kontakter + i, "-09;J", 5) == 0)
            memcpy(kontakter + i, "-01;J", 5);
    x[1].path = testfile_write(dir, "kontakter-07b.csv", kontakter);
    assert_int_equal(uf_compute(&in, &r, &err), 0);
    uf_changes ch;
    assert_int_equal(uf_changes_find(&r, &earlier, &ch, &err), 0);
    size_t found = 0;
    for (size_t i = 0; i < ch.n; i++)
        for (size_t u = 2; u < NTRICKY; u++) /* tricky[0] and [1]: hidden, as above */
            found += strcmp(ch.v[i].unit, tricky[u]) == 0 && strcmp(ch.v[i].period, "2024-07") == 0;
    assert_int_equal(found, NTRICKY - 2);
    uf_changes_free(&ch);
    uf_report_free(&r);
    uf_indicators_free(&inds);
    free((char *)x[0].path);
    free((char *)x[1].path);
    free(published);
    free(enheter);
    free(kontakter);
    testfile_cleanup(dir);
}

/* Ids that ingest never lets through (a line break) as well as those it
 * does, each as a unit of one figure, -1/2 = -0.5. */
static const char *const sample_ids[] = {" pad", "\tlead", "'y", "+46", "-0.5", "=x",  "@SUM(A1)",
                                         "a\nb", "a;b",    "q\"q", "tab\t", "x,y"};
enum { NSAMPLE = sizeof sample_ids / sizeof *sample_ids };

/* resultat-2024-08.csv of the sample at path; tests/resultat_csv.sh opens
 * it in LibreOffice (resultat_sample is this program given a folder). */
static int write_sample(const char *path, uf_error *err)
{
    uf_indicator ind = {.id = "bedomning_3d", .kind = UF_KIND_PERCENT, .min_n = 1};
    uf_unit units[NSAMPLE];
    uf_cell cells[(NSAMPLE + 1) * UF_NCOLS];
    memset(units, 0, sizeof units);
    memset(cells, 0, sizeof cells);
    for (size_t u = 0; u <= NSAMPLE; u++) {
        if (u)
            units[u - 1].id = (char *)sample_ids[u - 1];
        cells[u * UF_NCOLS + UF_TREND - 1] =
            (uf_cell){.num = -1, .den = 2, .present = 1, .status = UF_ST_NOTARGET};
    }
    uf_series se = {.ind = &ind, .computed = 1, .cells = cells};
    uf_report r = {.nunits = NSAMPLE, .units = units, .nseries = 1, .series = &se};
    uf_month_parse("2024-08", &r.period);
    uf_doc doc = {.report = &r};
    FILE *f = fopen(path, "w");
    int rc = f ? uf_render_resultat(&doc, f, 1, err) : -1;
    if (f)
        fclose(f);
    return rc;
}

/* The bytes of the writer and the reader's way back. */
static void resultat_cells(void **state)
{
    (void)state;
    char *dir = testfile_dir(), *path = uf_xasprintf("%s/resultat-2024-08.csv", dir);
    uf_error err = {0};
    assert_int_equal(write_sample(path, &err), 0);
    char *got = testfile_read(path);
    assert_string_equal(got,
                        "indikator;enhet_id;period;taljare;namnare;varde;mal;status\n"
                        "bedomning_3d;REGION;2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\" pad\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"'\tlead\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"''y\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"'+46\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"'-0.5\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"'=x\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"'@SUM(A1)\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"a\nb\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"a;b\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"q\"\"q\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"tab\t\";2024-08;-1;2;-0.5;;inget_mal\n"
                        "bedomning_3d;\"x,y\";2024-08;-1;2;-0.5;;inget_mal\n");
    free(got);
    /* Year to date and tertial are not present: one row per unit. */
    static const uf_column cols[] = {{"enhet_id", 1}, {"varde", 1}};
    uf_csv *csv = uf_csv_open(path, "resultat-2024-08.csv", cols, 2, NULL, 0, &err);
    assert_non_null(csv);
    for (size_t u = 0; u <= NSAMPLE; u++) {
        assert_int_equal(uf_csv_next(csv, &err), 1);
        assert_string_equal(uf_resultat_text(csv, 0), u ? sample_ids[u - 1] : "REGION");
        assert_string_equal(uf_csv_get(csv, 1, NULL), "-0.5");
    }
    assert_int_equal(uf_csv_next(csv, &err), 0);
    uf_csv_close(csv);
    free(path);
    testfile_cleanup(dir);
}

int main(int argc, char **argv)
{
    if (argc > 1) { /* resultat_sample FOLDER */
        char *path = uf_output_path(argv[1], NULL, UF_OUT_RESULTAT, uf_month_make(2024, 8));
        uf_error err = {0};
        int rc = write_sample(path, &err);
        free(path);
        return rc ? 1 : 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden),
        cmocka_unit_test(cells),
        cmocka_unit_test(without_editions),
        cmocka_unit_test(bad_edition),
        cmocka_unit_test(round_trip),
        cmocka_unit_test(resultat_cells),
    };
    uf_quiet = 1;
    return cmocka_run_group_tests_name("editions", tests, NULL, NULL);
}
