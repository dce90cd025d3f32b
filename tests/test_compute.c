/* tests/test_compute.c — the derivations against hand-computed golden
 * cases (tests/golden/compute/<case>/), plus the COC/UPC formula, the status
 * rule and the data-quality findings.
 *
 * A case folder holds data/ (the extracts), `period`, and optionally
 * `indicator` (compute only that id), `targets.json`, and `indicators/` (the
 * case's own definitions, e.g. a lower min_n so that small hand-made data get
 * statuses).  expected.csv is the exact unsuppressed resultat output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compute/derive.h"
#include "render/render.h"
#include "testfile.h"

#define GOLDEN UF_TEST_DATA "/golden/compute"

static char *trimmed(char *s)
{
    if (s)
        s[strcspn(s, "\r\n")] = '\0';
    return s;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of dir (no dot files; only folders if dirs); NULL-terminated. */
static char **list_dir(const char *dir, int dirs)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    char **v = calloc(1, sizeof *v);
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.' && (!dirs || e->d_type == DT_DIR)) {
            v = realloc(v, (n + 2) * sizeof *v);
            v[n++] = strdup(e->d_name);
            v[n] = NULL;
        }
    if (d)
        closedir(d);
    qsort(v, n, sizeof *v, by_name);
    return v;
}

static void free_list(char **v)
{
    for (size_t i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

/* One case, loaded and computed. */
typedef struct {
    char dir[512];
    char **files;
    uf_extract *extracts;
    uf_indicators inds;
    uf_targets targets;
    int has_targets;
    char *only;
    uf_compute_in in;
    uf_report report;
    uf_error err;
} golden;

static void golden_load(golden *g, const char *name)
{
    memset(g, 0, sizeof *g);
    snprintf(g->dir, sizeof g->dir, "%s/%s", GOLDEN, name);
    char path[1024], data[600];
    snprintf(data, sizeof data, "%s/data", g->dir);
    g->files = list_dir(data, 0);
    size_t n = 0;
    while (g->files[n])
        n++;
    g->extracts = calloc(n + 1, sizeof *g->extracts);
    for (size_t i = 0; i < n; i++) {
        g->extracts[i].name = g->files[i];
        g->extracts[i].path = uf_xasprintf("%s/%s", data, g->files[i]);
    }
    snprintf(path, sizeof path, "%s/period", g->dir);
    char *period = trimmed(testfile_read(path));
    assert_non_null(period);
    assert_int_equal(uf_month_parse(period, &g->in.period), 0);
    free(period);
    snprintf(path, sizeof path, "%s/indicator", g->dir);
    g->only = trimmed(testfile_read(path));
    snprintf(path, sizeof path, "%s/indicators", g->dir);
    struct stat st;
    int own = stat(path, &st) == 0;
    if (uf_indicators_load(UF_INDICATORS_DIR, own ? path : NULL, &g->inds, &g->err) < 0)
        fail_msg("indikatorer: %s", g->err.text);
    snprintf(path, sizeof path, "%s/targets.json", g->dir);
    g->has_targets = stat(path, &st) == 0;
    if (g->has_targets && uf_targets_load(path, &g->inds, &g->targets, NULL, &g->err) < 0)
        fail_msg("mål: %s", g->err.text);
    g->in.extracts = g->extracts;
    g->in.nextracts = n;
    g->in.inds = &g->inds;
    g->in.targets = g->has_targets ? &g->targets : NULL;
    g->in.only = g->only;
    g->in.skip_missing = 1;
}

static void golden_free(golden *g)
{
    uf_report_free(&g->report);
    for (size_t i = 0; g->files[i]; i++)
        free((char *)g->extracts[i].path);
    free(g->extracts);
    free_list(g->files);
    if (g->has_targets)
        uf_targets_free(&g->targets);
    uf_indicators_free(&g->inds);
    free(g->only);
}

static void golden_compute(golden *g)
{
    if (uf_compute(&g->in, &g->report, &g->err) < 0) {
        uf_error_print(&g->err, stderr);
        fail_msg("uf_compute failed in %s", g->dir);
    }
}

static char *render(const uf_report *r, const uf_indicators *inds)
{
    uf_doc doc = {.report = r, .inds = inds};
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    uf_error err;
    assert_int_equal(uf_render_resultat(&doc, mem, 1, &err), 0);
    fclose(mem);
    return buf;
}

/* Names the first differing line, then shows the whole output. */
static void compare(const char *name, const char *want, const char *got)
{
    if (strcmp(want, got) == 0)
        return;
    long line = 1;
    const char *w = want, *o = got;
    while (*w && *w == *o) {
        line += *w == '\n';
        w++, o++;
    }
    while (w > want && w[-1] != '\n')
        w--, o--;
    print_error("%s: expected.csv differs from line %ld\n  want: %.*s\n  got:  %.*s\n"
                "--- whole output ---\n%s",
                name, line, (int)strcspn(w, "\n"), w, (int)strcspn(o, "\n"), o, got);
    fail();
}

static void run_case(void **state)
{
    const char *name = *state;
    golden g;
    golden_load(&g, name);
    golden_compute(&g);
    char *got = render(&g.report, &g.inds);
    char path[1024];
    snprintf(path, sizeof path, "%s/expected.csv", g.dir);
    char *want = testfile_read(path);
    assert_non_null(want);
    compare(name, want, got);
    free(want);
    free(got);
    golden_free(&g);
}

/* ------------------------------------------------------------- unit tests */

static void coc_upc_formula(void **state)
{
    (void)state;
    /* doctors A, A, B: N = 3, sum n^2 = 5 */
    assert_float_equal(uf_coc(5, 3), 1.0 / 3.0, 1e-12);
    assert_float_equal(uf_upc(2, 3), 2.0 / 3.0, 1e-12);
    /* one doctor twice: perfect continuity */
    assert_float_equal(uf_coc(4, 2), 1.0, 1e-12);
    /* two doctors once each: none */
    assert_float_equal(uf_coc(2, 2), 0.0, 1e-12);
    assert_float_equal(uf_upc(1, 2), 0.5, 1e-12);
    /* A A A B C: N = 5, sum n^2 = 9 + 1 + 1 = 11 -> (11 - 5) / 20 */
    assert_float_equal(uf_coc(11, 5), 0.3, 1e-12);
    assert_float_equal(uf_upc(3, 5), 0.6, 1e-12);
}

static uf_cell cell(double num, double den)
{
    return (uf_cell){.num = num, .den = den, .present = 1};
}

static void status_rule(void **state)
{
    (void)state;
    uf_indicator pct = {.id = "p", .kind = UF_KIND_PERCENT, .direction = 1, .min_n = 20,
                        .tolerance = 0.05};
    uf_target t90 = {.value = 0.90};
    uf_cell c = cell(18, 20);
    assert_int_equal(uf_status_judge(&pct, &c, &t90), UF_ST_MET); /* exactly 0.90 */
    c = cell(17, 20);
    assert_int_equal(uf_status_judge(&pct, &c, &t90), UF_ST_NEAR); /* 0.85: 5 pp short */
    c = cell(168, 200);
    assert_int_equal(uf_status_judge(&pct, &c, &t90), UF_ST_MISSED); /* 0.84 */
    assert_int_equal(uf_status_judge(&pct, &c, NULL), UF_ST_NOTARGET);
    c = cell(19, 19);
    assert_int_equal(uf_status_judge(&pct, &c, &t90), UF_ST_SMALL);
    c.present = 0;
    assert_int_equal(uf_status_judge(&pct, &c, &t90), UF_ST_MISSING);

    /* lower is better, tolerance a share of the target: 1100 * 1.05 = 1155 */
    uf_indicator count = {.id = "c", .kind = UF_KIND_COUNT, .direction = -1, .min_n = 20,
                          .tolerance = 0.05, .n_is_numerator = 1};
    uf_target t1100 = {.value = 1100};
    c = cell(2200, 2);
    assert_int_equal(uf_status_judge(&count, &c, &t1100), UF_ST_MET);
    c = cell(2310, 2);
    assert_int_equal(uf_status_judge(&count, &c, &t1100), UF_ST_NEAR);
    c = cell(2312, 2);
    assert_int_equal(uf_status_judge(&count, &c, &t1100), UF_ST_MISSED);
    c = cell(19, 1); /* n is the numerator: 19 patients */
    assert_int_equal(uf_status_judge(&count, &c, &t1100), UF_ST_SMALL);

    assert_string_equal(uf_status_word(UF_ST_NEAR), "nara");
    assert_string_equal(uf_status_word(UF_ST_SMALL), "for_litet_underlag");
    assert_string_equal(uf_status_word(UF_ST_MISSING), "");
    assert_string_equal(uf_status_label(UF_ST_MISSED), "Ej uppnått");
    assert_string_equal(uf_status_label(UF_ST_MISSING), "Saknas");
    c = cell(1, 0);
    assert_true(isnan(uf_cell_value(&c)));
}

static const uf_issue *find_issue(const uf_report *r, const char *file, const char *reason)
{
    for (size_t i = 0; i < r->nissues; i++)
        if (strcmp(r->issues[i].file, file) == 0 && strcmp(r->issues[i].reason, reason) == 0)
            return &r->issues[i];
    return NULL;
}

static const uf_fileinfo *find_file(const uf_report *r, const char *file)
{
    for (size_t i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i].file, file) == 0)
            return &r->files[i];
    return NULL;
}

/* The bedomning case's findings, counted by hand from its kontakter.csv. */
static void data_quality(void **state)
{
    (void)state;
    golden g;
    golden_load(&g, "bedomning");
    golden_compute(&g);
    const uf_report *r = &g.report;
    const uf_fileinfo *f = find_file(r, "kontakter.csv");
    assert_non_null(f);
    assert_int_equal(f->read, 14);
    assert_int_equal(f->rejected, 1);
    f = find_file(r, "enheter.csv");
    assert_non_null(f);
    assert_int_equal(f->read, 3);
    const uf_issue *i = find_issue(r, "kontakter.csv", "bedömning före kontakt (raden räknas inte)");
    assert_non_null(i);
    assert_int_equal(i->count, 1);
    assert_int_equal(i->nlines, 1);
    assert_int_equal(i->lines[0], 8);
    i = find_issue(r, "kontakter.csv", "kontakt_id förekommer flera gånger");
    assert_non_null(i);
    assert_int_equal(i->lines[0], 11);
    i = find_issue(r, "kontakter.csv", "enhet finns i data men saknas i enheter.csv (VC99)");
    assert_non_null(i);
    assert_int_equal(i->count, 1);
    assert_int_equal(i->lines[0], 13);
    assert_non_null(find_issue(r, "kontakter.csv", "inga rader för 2024-08 (VC03)"));
    assert_null(find_issue(r, "kontakter.csv", "inga rader för 2024-08 (VC01)"));
    assert_non_null(find_issue(r, "kontakter.csv",
                               "bedomning_3d: VC01 ändrades från 100,0 % (2024-07) till "
                               "50,0 % (2024-08), mer än toleransen"));
    /* VC99's July is 0/0: too small to compare */
    for (size_t k = 0; k < r->nissues; k++)
        assert_null(strstr(r->issues[k].reason, "VC99 ändrades"));
    assert_int_equal(r->nunits, 4);
    assert_string_equal(r->units[1].name, "Vårdcentralen Söder; Centrum");
    assert_false(r->units[3].known);
    assert_string_equal(r->units[3].name, "VC99");
    golden_free(&g);
}

/* The continuity indices keep the sum of their patients' values squared,
 * the spread a funnel's limits need (golden/compute/kontinuitet/README):
 * August's COC is 1/3, 1/2 at VC01 and 1, 0 at VC02; UPC 2/3, 3/4 and 1, 1/2. */
static void patient_spread(void **state)
{
    (void)state;
    golden g;
    golden_load(&g, "kontinuitet");
    assert_int_equal(uf_compute(&g.in, &g.report, &g.err), 0);
    const uf_report *r = &g.report;
    const struct {
        const char *ind, *unit;
        double sq;
    } want[] = {
        {"kontinuitet_coc", "VC01", 1.0 / 9 + 1.0 / 4}, {"kontinuitet_coc", "VC02", 1},
        {"kontinuitet_coc", "REGION", 1.0 / 9 + 1.0 / 4 + 1},
        {"kontinuitet_upc", "VC01", 4.0 / 9 + 9.0 / 16}, {"kontinuitet_upc", "VC02", 1.25},
        {"kontinuitet_upc", "REGION", 4.0 / 9 + 9.0 / 16 + 1.25},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        size_t s = 0;
        while (s < r->nseries && strcmp(r->series[s].ind->id, want[i].ind))
            s++;
        assert_true(s < r->nseries);
        long row = uf_report_row(r, want[i].unit);
        assert_true(row >= 0);
        const uf_cell *c = uf_report_cell(r, s, (size_t)row, UF_TREND - 1);
        assert_float_equal(c->sq, want[i].sq, 1e-12);
    }
    golden_free(&g);
}

/* A missing extract is an error unless told to skip; a bad field names the
 * place and never echoes a patient id. */
static void refusals(void **state)
{
    (void)state;
    golden g;
    golden_load(&g, "kontinuitet");
    g.in.only = "kontinuitet_coc";
    g.in.nextracts = 0;
    g.in.skip_missing = 0;
    assert_int_equal(uf_compute(&g.in, &g.report, &g.err), -1);
    assert_int_equal(g.err.code, UF_ERR_INPUT);
    assert_string_equal(g.err.text, "besok.csv saknas");
    golden_free(&g);

    char dir[] = "/tmp/uf-compute-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = uf_xasprintf("%s/besok.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("patient_id;enhet_id;vardgivare_id;yrke;besoksdatum\n"
          "PNR-SECRET;VC01;D1;läkare;2024-08-01\n"
          "PNR-SECRET;VC01;D1;läkare;2024-8-02\n", f);
    fclose(f);
    golden_load(&g, "kontinuitet");
    uf_extract one = {.name = "besok.csv", .path = path};
    g.in.extracts = &one;
    g.in.nextracts = 1;
    assert_int_equal(uf_compute(&g.in, &g.report, &g.err), -1);
    assert_int_equal(g.err.code, UF_ERR_INPUT);
    assert_string_equal(g.err.source, "besok.csv");
    assert_int_equal(g.err.line, 3);
    assert_int_equal(g.err.column, 5);
    assert_string_equal(g.err.column_name, "besoksdatum");
    assert_null(strstr(g.err.text, "PNR-SECRET"));
    golden_free(&g);
    remove(path);
    remove(dir);
    free(path);
}

/* Delivered figures are checked by the indicator's kind: a share (procent)
 * lies in 0..1 and its täljare within its nämnare, a count is not negative,
 * an index may be (a balance figure) but its n may not. */
static void aggregat_ranges(void **state)
{
    (void)state;
    char *dir = testfile_dir(), *defs = uf_xasprintf("%s/defs", dir);
    assert_int_equal(mkdir(defs, 0755), 0);
    const char *kinds[][2] = {{"agg_p", "procent"}, {"agg_a", "antal"}, {"agg_i", "index"}};
    for (size_t i = 0; i < 3; i++) {
        char *name = uf_xasprintf("%s.json", kinds[i][0]);
        char *json = uf_xasprintf(
            "{\"id\": \"%s\", \"name\": \"N\", \"short_name\": \"N\", \"description\": \"D\", "
            "\"source\": \"aggregat.csv\", \"kind\": \"%s\", \"direction\": \"hogre\", "
            "\"derivation\": \"aggregat\", \"aggregation\": \"summa\", \"decimals\": 1, "
            "\"min_n\": 1, \"n\": \"namnare\", \"tolerance\": 0.05, \"order\": %zu}",
            kinds[i][0], kinds[i][1], i);
        free(testfile_write(defs, name, json));
        free(name);
        free(json);
    }
    uf_indicators inds;
    uf_error err = {0};
    assert_int_equal(uf_indicators_load(UF_INDICATORS_DIR, defs, &inds, &err), 0);
    static const struct {
        const char *row; /* indikator;enhet_id;period;varde;n */
        int column;
        const char *text; /* NULL: accepted */
    } cases[] = {
        {"agg_i;VC1;2024-08;-0,5;10", 0, NULL},
        {"agg_p;VC1;2024-08;1;10", 0, NULL},
        {"agg_p;VC1;2024-08;0;0", 0, NULL},
        {"agg_a;VC1;2024-08;1100;3", 0, NULL},
        {"agg_i;VC1;2024-08;0,3;-1", 5, "väntade ett tal som inte är negativt, fick \"-1\""},
        {"agg_a;VC1;2024-08;-2;3", 4, "väntade ett tal som inte är negativt, fick \"-2\""},
        {"agg_p;VC1;2024-08;100;4", 4,
         "väntade en andel mellan 0 och 1 (indikatorn agg_p är en andel; 100 % skrivs 1), "
         "fick \"100\""},
        {"agg_p;VC1;2024-08;150;4", 4,
         "väntade en andel mellan 0 och 1 (indikatorn agg_p är en andel), fick \"150\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = uf_xasprintf("indikator;enhet_id;period;varde;n\n%s\n", cases[i].row);
        uf_extract x = {.name = "aggregat.csv", .path = testfile_write(dir, "aggregat.csv", text)};
        uf_compute_in in = {.extracts = &x, .nextracts = 1, .inds = &inds, .skip_missing = 1};
        uf_month_parse("2024-08", &in.period);
        uf_report r;
        int rc = uf_compute(&in, &r, &err);
        if (!cases[i].text) {
            if (rc != 0)
                fail_msg("%s: %s", cases[i].row, err.text);
            uf_report_free(&r);
        } else {
            assert_int_equal(rc, -1);
            assert_int_equal(err.code, UF_ERR_INPUT);
            assert_int_equal(err.line, 2);
            assert_int_equal(err.column, cases[i].column);
            assert_string_equal(err.text, cases[i].text);
        }
        free((char *)x.path);
        free(text);
    }
    uf_indicators_free(&inds);
    free(defs);
    testfile_cleanup(dir);
}

/* ------------------------------------------------- besok.csv on both cores */

/* A besok.csv of some 20 MiB (three chunks): BOM, blank lines and CRLF here
 * and there, "Läkare" in any case, and a unit enheter.csv does not list
 * first seen in the second chunk; quote_last quotes the last row's yrke,
 * which sends the whole file through uf_csv, one row at a time.  Returns
 * the line of VC77's first row. */
static long write_visits(const char *path, int quote_last, const char *bad_date)
{
    enum { ROWS = 600000 };
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("\xef\xbb\xbfpatient_id;enhet_id;vardgivare_id;yrke;besoksdatum\n", f);
    long line = 2, vc77 = 0;
    for (long i = 0; i < ROWS; i++, line++) {
        if (i % 5000 == 3) {
            fputs(i % 2 ? "\n" : " \r\n", f);
            line++;
        }
        if (i % 5000 == 7) { /* a spreadsheet's leftover row: skipped and counted */
            fputs(i % 2 ? ";;;;\n" : " ; ;;; \r\n", f);
            line++;
        }
        const char *unit = i == ROWS / 2 || i == ROWS / 2 + 9 ? "VC77" : i % 3 ? "VC01" : "VC02";
        if (i == ROWS / 2)
            vc77 = line;
        const char *yrke = i % 4 == 1 ? "sjuksköterska" : i % 4 == 2 ? "LÄKARE" : "läkare";
        if (quote_last && i == ROWS - 1)
            yrke = "\"läkare\"";
        char date[16];
        snprintf(date, sizeof date, "%04ld-%02ld-%02ld", 2022 + (i * 30 / ROWS + 2) / 12,
                 (i * 30 / ROWS + 2) % 12 + 1, i % 28 + 1);
        if (bad_date && i == ROWS - 10)
            snprintf(date, sizeof date, "%s", bad_date);
        fprintf(f, "P%ld;%s;D%ld;%s;%s%s", i * 7919 % 40000, unit, i * 31 % 17, yrke, date,
                i % 7 ? "\n" : "\r\n");
    }
    assert_int_equal(fclose(f), 0);
    return vc77;
}

static char *compute_visits(golden *g, const char *dir, uf_report *out)
{
    char *units = uf_xasprintf("%s/enheter.csv", dir), *visits = uf_xasprintf("%s/besok.csv", dir);
    FILE *f = fopen(units, "w");
    fputs("enhet_id;namn\nVC01;Norr\nVC02;Söder\n", f);
    fclose(f);
    uf_extract two[] = {{.name = "besok.csv", .path = visits},
                        {.name = "enheter.csv", .path = units}};
    g->in.extracts = two;
    g->in.nextracts = 2;
    g->in.only = NULL;
    int rc = uf_compute(&g->in, out, &g->err);
    free(units);
    free(visits);
    if (rc < 0) {
        uf_error_print(&g->err, stderr);
        fail_msg("uf_compute failed");
    }
    return render(out, &g->inds);
}

/* The chunks on both cores and uf_csv one row at a time give the same
 * figures, row counts and findings with the same lines; a bad field in the
 * third chunk is reported at its line. */
static void both_cores_agree(void **state)
{
    (void)state;
    char *dir = testfile_dir(), *path = uf_xasprintf("%s/besok.csv", dir);
    golden g;
    golden_load(&g, "kontinuitet");
    uf_report fast, slow;
    long vc77 = write_visits(path, 0, NULL);
    char *a = compute_visits(&g, dir, &fast);
    assert_int_equal(write_visits(path, 1, NULL), vc77);
    char *b = compute_visits(&g, dir, &slow);
    compare("both_cores_agree", b, a);
    assert_non_null(strstr(a, "kontinuitet_coc;VC01;2024-08;"));
    assert_int_equal(fast.nfiles, slow.nfiles);
    for (size_t i = 0; i < fast.nfiles; i++)
        assert_int_equal(fast.files[i].read, slow.files[i].read);
    assert_int_equal(find_file(&fast, "besok.csv")->read, 600000);
    assert_int_equal(fast.nissues, slow.nissues);
    for (size_t i = 0; i < fast.nissues; i++) {
        assert_string_equal(fast.issues[i].reason, slow.issues[i].reason);
        assert_int_equal(fast.issues[i].count, slow.issues[i].count);
        assert_memory_equal(fast.issues[i].lines, slow.issues[i].lines,
                            sizeof fast.issues[i].lines);
    }
    const uf_issue *i = find_issue(&fast, "besok.csv", "enhet finns i data men saknas i "
                                                       "enheter.csv (VC77)");
    assert_non_null(i);
    assert_int_equal(i->count, 2);
    assert_int_equal(i->lines[0], vc77);
    i = find_issue(&fast, "besok.csv", "rader med bara avgränsare (tomma rader från ett "
                                       "kalkylblad) hoppades över");
    assert_non_null(i);
    assert_int_equal(i->count, 120);
    assert_int_equal(i->lines[0], 2 + 7 + 1);
    assert_int_equal(i->lines[1], 2 + 5007 + 3);
    uf_report_free(&fast);
    uf_report_free(&slow);
    free(a);
    free(b);

    write_visits(path, 0, "2024-02-30");
    g.in.extracts = &(uf_extract){.name = "besok.csv", .path = path};
    g.in.nextracts = 1;
    assert_int_equal(uf_compute(&g.in, &fast, &g.err), -1);
    assert_int_equal(g.err.code, UF_ERR_INPUT);
    /* 600000 rows from line 2, a blank line before every 5000th from the 4th
     * and a hollow one from the 8th */
    assert_int_equal(g.err.line, 2 + 599990 + 240);
    assert_int_equal(g.err.column, 5);
    assert_string_equal(g.err.text, "väntade ett datum ÅÅÅÅ-MM-DD, fick \"2024-02-30\"");
    golden_free(&g);
    char *units = uf_xasprintf("%s/enheter.csv", dir);
    remove(units);
    remove(path);
    remove(dir);
    free(units);
    free(path);
    free(dir);
}

int main(void)
{
    char **cases = list_dir(GOLDEN, 1);
    size_t n = 0;
    while (cases[n])
        n++;
    struct CMUnitTest *tests = calloc(n + 7, sizeof *tests);
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){.name = cases[i], .test_func = run_case,
                                       .initial_state = cases[i]};
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(coc_upc_formula);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(status_rule);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(data_quality);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(refusals);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(patient_spread);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(aggregat_ranges);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(both_cores_agree);
    uf_quiet = 1;
    int rc = _cmocka_run_group_tests("compute", tests, n, NULL, NULL);
    free(tests);
    free_list(cases);
    return rc;
}
