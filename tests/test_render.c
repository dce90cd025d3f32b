/* tests/test_render.c — the workbook and the chart book from a hand-built
 * month: 30 long-named units, one under min n, one with its own target, an
 * indicator without a target, months with no data, an overdue action.
 *
 * Run with a folder as argument, it only writes uppfolj-2024-08.xlsx and
 * .pdf there (tests/render_clients.sh checks them with real clients). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/render.h"
#include "render_fixture.h"

enum { NUNITS = 30, NIND = 5 };

typedef struct {
    uf_indicators inds;
    uf_targets targets;
    uf_comments comments;
    uf_config cfg;
    uf_report report;
    uf_input inputs[3];
    uf_doc doc;
} fixture;

static const char *const places[NUNITS] = {
    "Växjö Centrum, Teleborg", "Alvesta", "Ljungby, Norrtullen", "Älmhult", "Markaryd",
    "Tingsryd", "Lessebo och Hovmantorp", "Uppvidinge, Åseda", "Braås", "Lammhult",
    "Rottne", "Ingelstad", "Dalbo", "Birka",
    "Sandsbro hälsocentral med barnavårdscentral och mödravård, Växjö kommun", "Hälsan Växjö", "Strandbjörket",
    "Capio Växjö", "Kronoberg Norr, Moheda", "Vislanda", "Rydaholm", "Lagan", "Vittaryd",
    "Diö", "Liatorp", "Hovmantorp", "Norrhaga", "Skärvet", "Öjaby, Smedslätten",
    "Gemla"};

static uf_indicator make_ind(const char *id, const char *name, const char *short_name,
                             uf_kind kind, int direction, int decimals, int order)
{
    uf_indicator i = {0};
    i.id = (char *)id;
    i.name = (char *)name;
    i.short_name = (char *)short_name;
    i.description = "Andel av de kontakter som ingår där villkoret uppfylls, per vårdcentral "
                    "och för regionen som helhet (summa täljare genom summa nämnare).";
    i.source = "kontakter.csv";
    i.kind = kind;
    i.direction = direction;
    i.decimals = decimals;
    i.min_n = 20;
    i.tolerance = kind == UF_KIND_PERCENT ? 0.05 : 0.05;
    i.order = order;
    return i;
}

static uf_status judge(const uf_indicator *ind, const uf_target *t, double v, double n)
{
    if (n < (double)ind->min_n)
        return UF_ST_SMALL;
    if (!t)
        return UF_ST_NOTARGET;
    double miss = (t->value - v) * ind->direction;
    double tol = ind->kind == UF_KIND_PERCENT ? ind->tolerance : ind->tolerance * t->value;
    return miss <= 1e-12 ? UF_ST_MET : miss <= tol + 1e-12 ? UF_ST_NEAR : UF_ST_MISSED;
}

/* Fills one series: unit u, month c gets den and a share that varies by
 * unit and month; the region sums its units; YTD and tertial sum months. */
static void fill_series(fixture *f, size_t s, double base, double den0, int missing_months)
{
    uf_report *r = &f->report;
    uf_series *se = &r->series[s];
    const uf_indicator *ind = se->ind;
    se->computed = 1;
    se->cells = calloc((r->nunits + 1) * UF_NCOLS, sizeof(uf_cell));
    int mean_like = ind->kind != UF_KIND_PERCENT;
    for (int c = 0; c < UF_TREND; c++) {
        for (size_t u = 1; u <= r->nunits; u++) {
            uf_cell *cell = &se->cells[u * UF_NCOLS + (size_t)c];
            if (c < missing_months || (u == 30 && s == 1 && c == UF_TREND - 1))
                continue; /* no data: not present */
            double den = u == 29 ? 12 : den0 + (double)((u * 37) % 150);
            double spread = (double)(u % 7) * 0.02 - 0.06 + c * 0.003;
            double share = mean_like ? base * (1 + 2.5 * spread) : base + spread;
            if (!mean_like && share > 1)
                share = 1;
            cell->den = den;
            cell->num = mean_like ? share * den : (double)(long)(share * den + 0.5);
            cell->present = 1;
        }
    }
    /* Region row and the two summary columns. */
    for (size_t u = 0; u <= r->nunits; u++) {
        uf_cell *row = &se->cells[u * UF_NCOLS];
        if (u == 0)
            for (int c = 0; c < UF_TREND; c++)
                for (size_t k = 1; k <= r->nunits; k++) {
                    const uf_cell *x = &se->cells[k * UF_NCOLS + (size_t)c];
                    if (!x->present)
                        continue;
                    row[c].num += x->num;
                    row[c].den += x->den;
                    row[c].present = 1;
                }
        int ytd_from = UF_TREND - uf_month_number(r->period);
        int t_from = UF_TREND - 1 - (r->period - uf_tertial_first(r->period));
        for (int c = ytd_from; c < UF_TREND; c++) {
            uf_cell *dst[2] = {&row[UF_COL_YTD], c >= t_from ? &row[UF_COL_TERTIAL] : NULL};
            for (int k = 0; k < 2; k++)
                if (dst[k] && row[c].present) {
                    dst[k]->num += row[c].num;
                    dst[k]->den += row[c].den;
                    dst[k]->present = 1;
                }
        }
        for (int c = 0; c < UF_NCOLS; c++) {
            uf_month m = c < UF_TREND ? r->period - (UF_TREND - 1) + c : r->period;
            uf_cell *cell = &row[c];
            cell->target = uf_targets_find(&f->targets, ind->id,
                                           u ? r->units[u - 1].id : NULL, m);
            cell->status = cell->present
                               ? judge(ind, cell->target, cell->num / cell->den, cell->den)
                               : UF_ST_MISSING;
        }
    }
}

static fixture *fixture_new(void)
{
    fixture *f = calloc(1, sizeof *f);
    f->inds.n = NIND;
    f->inds.v = calloc(NIND, sizeof(uf_indicator));
    f->inds.v[0] = make_ind("bedomning_3d", "Medicinsk bedömning inom 3 dagar",
                            "Bedömning 3 dagar", UF_KIND_PERCENT, 1, 1, 1);
    f->inds.v[1] = make_ind("telefon_samma_dag", "Besvarade samtal samma dag",
                            "Telefon samma dag", UF_KIND_PERCENT, 1, 1, 2);
    f->inds.v[2] = make_ind("fast_lakarkontakt", "Andel listade med fast läkarkontakt",
                            "Fast läkarkontakt", UF_KIND_PERCENT, 1, 1, 3);
    f->inds.v[3] = make_ind("listade_per_fast_lakare",
                            "Listade patienter per fast läkare", "Listade/fast läkare",
                            UF_KIND_COUNT, -1, 0, 4);
    f->inds.v[3].n_is_numerator = 0;
    f->inds.v[4] = make_ind("kontinuitet_coc", "Kontinuitetsindex, läkarbesök, 18 månader",
                            "Kontinuitetsindex läkarbesök, 18 månader (COC)", UF_KIND_INDEX,
                            1, 2, 5);
    f->inds.v[3].min_n = 1;

    static uf_target tg[] = {
        {"bedomning_3d", NULL, 0.90, 0, UF_MONTH_OPEN, "HSN 2023-12-18 § 151"},
        {"bedomning_3d", "VC07", 0.80, 0, UF_MONTH_OPEN, "Avtal VC07 2024"},
        {"telefon_samma_dag", NULL, 0.98, 0, 0, "NFV 2022-11-24 § 98"},
        {"fast_lakarkontakt", NULL, 0.55, 0, UF_MONTH_OPEN,
         "Överenskommelse God och nära vård 2023"},
        {"listade_per_fast_lakare", NULL, 1100, 0, UF_MONTH_OPEN, "Socialstyrelsens riktvärde"},
    };
    tg[0].from = uf_month_make(2023, 1);
    tg[1].from = uf_month_make(2024, 1);
    tg[2].from = uf_month_make(2023, 1);
    tg[2].to = uf_month_make(2024, 12);
    tg[3].from = uf_month_make(2023, 1);
    tg[4].from = uf_month_make(2023, 1);
    f->targets.n = sizeof tg / sizeof tg[0];
    f->targets.v = tg;

    static uf_action act[] = {
        {"Utöka telefontiderna på förmiddagen", "Verksamhetschef VC03", "2024-06-30", "", NULL},
        {"Införa triagering via 1177 direkt", "Primärvårdschef", "2024-10-31", "", NULL},
        {"Rekrytera två distriktssköterskor", "Verksamhetschef VC07", "2024-05-31",
         "Klart 2024-05-20", NULL},
    };
    static uf_comment com[] = {
        {"bedomning_3d",
         "Sommarmånaderna med hög andel hyrläkare och stängda mottagningar i Uppvidinge "
         "förklarar nedgången. Enheterna med egen triagesjuksköterska ligger stabilt över "
         "målet, medan de mindre enheterna har svårt att bemanna under semesterperioden.\n\n"
         "Andra stycket: Uppföljningen fortsätter månadsvis i verksamhetsdialogerna.",
         act, 3},
        {"fast_lakarkontakt", "Rekryteringsläget för specialister i allmänmedicin är svårt.",
         NULL, 0},
    };
    f->comments.n = 2;
    f->comments.v = com;

    static uf_owner own[] = {{"bedomning_3d", "Primärvårdschef"},
                             {"telefon_samma_dag", "Vårdvalschef"},
                             {"fast_lakarkontakt", "Hälso- och sjukvårdsdirektör"}};
    f->cfg.region_name = "Region Kronoberg";
    f->cfg.board = "Hälso- och sjukvårdsnämnden";
    f->cfg.owners = own;
    f->cfg.nowners = 3;
    f->cfg.document.id = "RK 2024/118";
    f->cfg.document.version = "1.0";
    f->cfg.document.prepared_by = "Controller, Regionkontoret";
    f->cfg.document.reviewed_by = "Ekonomichef";
    f->cfg.document.approved_by = "";

    uf_report *r = &f->report;
    r->period = uf_month_make(2024, 8);
    r->nunits = NUNITS;
    r->units = calloc(NUNITS, sizeof(uf_unit));
    for (size_t u = 0; u < NUNITS; u++) {
        r->units[u].id = uf_xasprintf("VC%02zu", u + 1);
        r->units[u].name = uf_xasprintf("Vårdcentralen %s", places[u]);
        r->units[u].known = 1;
    }
    r->nseries = NIND;
    r->series = calloc(NIND, sizeof(uf_series));
    for (size_t s = 0; s < NIND; s++)
        r->series[s].ind = &f->inds.v[s];
    fill_series(f, 0, 0.86, 180, 0);
    fill_series(f, 1, 0.86, 900, 3); /* the calls extract began in Nov 2023 */
    fill_series(f, 2, 0.36, 4000, 0);
    fill_series(f, 3, 1350, 6, 0);
    fill_series(f, 4, 0.29, 1500, 0);

    static uf_issue iss[] = {
        {"kontakter.csv", "bedömningsdatum före kontaktdatum: raden räknas inte", 3,
         {12, 408, 9911}, 3},
        {"besok.csv", "enhet saknas i enheter.csv: VC99", 41, {77, 78, 79, 80, 81}, 5},
    };
    static uf_fileinfo fi[] = {
        {"kontakter.csv", 120412, 3}, {"samtal.csv", 801200, 0}, {"besok.csv", 2100334, 41}};
    r->issues = iss;
    r->nissues = 2;
    r->files = fi;
    r->nfiles = 3;

    const char *in[3][3] = {{"extrakt", "kontakter.csv", "/data/extrakt/2024-08/kontakter.csv"},
                            {"config", "uppfolj.json", "/etc/uppfolj/uppfolj.json"},
                            {"targets", "targets.json", "/etc/uppfolj/targets.json"}};
    for (int i = 0; i < 3; i++) {
        snprintf(f->inputs[i].role, sizeof f->inputs[i].role, "%s", in[i][0]);
        snprintf(f->inputs[i].name, sizeof f->inputs[i].name, "%s", in[i][1]);
        snprintf(f->inputs[i].origin, sizeof f->inputs[i].origin, "%s", in[i][2]);
        snprintf(f->inputs[i].fetched, sizeof f->inputs[i].fetched, "2024-09-06T05:14:0%dZ",
                 i);
        f->inputs[i].bytes = 1234567 * (i + 1);
        memset(f->inputs[i].sha256, 'a' + i, 64);
    }

    f->doc.report = r;
    f->doc.cfg = &f->cfg;
    f->doc.inds = &f->inds;
    f->doc.targets = &f->targets;
    f->doc.comments = &f->comments;
    f->doc.run_time = (int64_t)uf_day_make(2024, 9, 6) * 86400 + 5 * 3600 + 15 * 60;
    f->doc.inputs = f->inputs;
    f->doc.ninputs = 3;
    return f;
}

static void fixture_free(fixture *f)
{
    for (size_t u = 0; u < f->report.nunits; u++) {
        free(f->report.units[u].id);
        free(f->report.units[u].name);
    }
    free(f->report.units);
    for (size_t s = 0; s < f->report.nseries; s++)
        free(f->report.series[s].cells);
    free(f->report.series);
    free(f->inds.v);
    free(f);
}

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
    *state = fixture_new();
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
    assert_int_equal(uf_render_pdf(&f->doc, a, &err), 0);
    assert_int_equal(uf_render_pdf(&f->doc, b, &err), 0);
    size_t len;
    char *bytes = read_all(a, &len);
    assert_non_null(bytes);
    assert_memory_equal(bytes, "%PDF-", 5);
    /* The run time in Stockholm, not the time of rendering. */
    /* (cairo 1.16 writes the date without its "D:" prefix; readers cope.) */
    assert_non_null(memmem(bytes, len, "/CreationDate (20240906071500+02'00)", 36));
    assert_non_null(memmem(bytes, len, "/ModDate (20240906071500+02'00)", 31));
    const char creator[] = "/Creator (uppfolj " UF_VERSION ")";
    assert_non_null(memmem(bytes, len, creator, sizeof creator - 1));
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
    assert_int_equal(uf_render_pdf(&f->doc, "/nonexistent-dir/x.pdf", &err), -1);
    assert_int_equal(err.code, UF_ERR_RENDER);
    assert_string_equal(err.source, "/nonexistent-dir/x.pdf");
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
    assert_int_equal(uf_render_pdf(&f->doc, p, &err), 0);
    assert_int_equal(uf_doc_cell(&f->doc, 2, 0, UF_TREND - 1)->status, UF_ST_MISSING);
    assert_false(uf_doc_analysis_missing(&f->doc, 2));
    unlink(x);
    unlink(p);
    free(x);
    free(p);
    se->cells = cells;
    se->computed = 1;
}

static int write_sample(const char *dir)
{
    fixture *f = fixture_new();
    uf_error err = {0};
    char *x = uf_xasprintf("%s/uppfolj-2024-08.xlsx", dir);
    char *p = uf_xasprintf("%s/uppfolj-2024-08.pdf", dir);
    int rc = uf_render_xlsx(&f->doc, x, &err);
    if (!rc)
        rc = uf_render_pdf(&f->doc, p, &err);
    if (rc)
        uf_error_print(&err, stderr);
    free(x);
    free(p);
    fixture_free(f);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2)
        return write_sample(argv[1]);
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/uf-render-XXXXXX");
    if (!mkdtemp(tmp_dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_is_what_the_tests_claim),
        cmocka_unit_test(doc_helpers),
        cmocka_unit_test(xlsx_written_and_deterministic),
        cmocka_unit_test(xlsx_unwritable_path_is_an_error),
        cmocka_unit_test(pdf_written_and_deterministic),
        cmocka_unit_test(pdf_unwritable_path_is_an_error),
        cmocka_unit_test(indicator_not_computed_still_renders),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    rmdir(tmp_dir);
    return rc;
}
