/* tests/test_generate.c — the synthetic region: same seed same bytes, every
 * line of the form SPEC "Inputs" gives, and levels near the audit's (3-day
 * assessment 85 %, phone 88 -> 92 %, fast läkarkontakt 36 %, COC 0.29), so
 * a change that breaks the resemblance fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "generate/generate.h"
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const files[] = {"enheter.csv", "listning.csv", "kontakter.csv", "samtal.csv",
                                    "besok.csv",   "aggregat.csv", "lakare.csv"};
enum { NFILES = sizeof files / sizeof files[0] };

/* ---------------------------------------------------------------- helpers */

typedef struct {
    char *data;
    size_t size;
    char **lines; /* NUL-terminated, newline removed; lines[0] is the header */
    size_t nlines;
} text;

static void text_load(text *t, const char *dir, const char *name)
{
    char *path = uf_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    t->size = (size_t)ftell(f);
    rewind(f);
    t->data = uf_xmalloc(t->size + 1);
    assert_int_equal(fread(t->data, 1, t->size, f), t->size);
    t->data[t->size] = 0;
    fclose(f);
    free(path);
    t->nlines = 0;
    for (size_t i = 0; i < t->size; i++)
        t->nlines += t->data[i] == '\n';
    assert_true(t->size > 0 && t->data[t->size - 1] == '\n');
    t->lines = uf_xmalloc(t->nlines * sizeof *t->lines);
    char *p = t->data;
    for (size_t i = 0; i < t->nlines; i++) {
        t->lines[i] = p;
        p = strchr(p, '\n');
        *p++ = 0;
    }
}

static void text_free(text *t)
{
    free(t->data);
    free(t->lines);
}

/* Splits a line in place at ';' into at most max fields; returns the count. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == ';') {
            *p = 0;
            if (n == max)
                return max + 1;
            f[n++] = p + 1;
        }
    return n;
}

static int num(const char *s, int len)
{
    int v = 0;
    for (int i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + s[i] - '0';
    }
    return v;
}

/* "YYYY-MM-DD" -> day; -1 when not a real date. */
static int date_of(const char *s, uf_day *d)
{
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = num(s, 4), m = num(s + 5, 2), dd = num(s + 8, 2);
    if (!uf_day_valid(y, m, dd))
        return -1;
    *d = uf_day_make(y, m, dd);
    return 0;
}

/* "YYYY-MM-DD HH:MM:SS" -> day and seconds past midnight. */
static int time_of(const char *s, uf_day *d, long *sec)
{
    if (strlen(s) != 19 || s[10] != ' ' || s[13] != ':' || s[16] != ':' || date_of(s, d))
        return -1;
    int h = num(s + 11, 2), m = num(s + 14, 2), x = num(s + 17, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59 || x < 0 || x > 59)
        return -1;
    *sec = h * 3600L + m * 60 + x;
    return 0;
}

static int flag(const char *s) { return !strcmp(s, "J") ? 1 : !strcmp(s, "N") ? 0 : -1; }

static int is_doctor(const char *yrke) { return !strcmp(yrke, "läkare") || !strcmp(yrke, "Läkare"); }

static const uf_month period = 2024 * 12 + 7; /* 2024-08 */

static char *generate_at(long units, long patients, int months, uint64_t seed, uf_month p)
{
    char tmpl[] = "/tmp/uf-generate-XXXXXX";
    char *dir = uf_xstrdup(mkdtemp(tmpl));
    uf_gen_opts o = {.out_dir = dir, .units = units, .patients = patients, .months = months,
                     .seed = seed, .period = p};
    uf_error err = {0};
    assert_int_equal(uf_generate(&o, &err), 0);
    return dir;
}

static char *generate(long units, long patients, int months, uint64_t seed)
{
    return generate_at(units, patients, months, seed, period);
}

static void remove_dir(char *dir)
{
    for (int i = 0; i < NFILES; i++) {
        char *p = uf_xasprintf("%s/%s", dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(dir);
}

static int same_file(const char *a, const char *b, const char *name)
{
    text x, y;
    text_load(&x, a, name);
    text_load(&y, b, name);
    int same = x.size == y.size && !memcmp(x.data, y.data, x.size);
    text_free(&x);
    text_free(&y);
    return same;
}

/* ------------------------------------------------------------------ tests */

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    char *a = generate(5, 2000, 30, 1), *b = generate(5, 2000, 30, 1), *c = generate(5, 2000, 30, 2);
    for (int i = 0; i < NFILES; i++)
        assert_true(same_file(a, b, files[i]));
    /* enheter.csv names units by position, so only it may stay the same. */
    for (int i = 1; i < NFILES; i++)
        assert_false(same_file(a, c, files[i]));
    remove_dir(a);
    remove_dir(b);
    remove_dir(c);
}

/* The rows of file dated (field col, "YYYY-MM...") in months from..to, in
 * file order, one string. */
static char *rows_in(const char *dir, const char *name, int col, const char *from, const char *to)
{
    text t;
    text_load(&t, dir, name);
    size_t cap = t.size + 1, used = 0;
    char *out = uf_xmalloc(cap);
    for (size_t i = 1; i < t.nlines; i++) {
        char *copy = uf_xstrdup(t.lines[i]), *f[8];
        int n = split(copy, f, 8);
        if (n > col && strncmp(f[col], from, 7) >= 0 && strncmp(f[col], to, 7) <= 0)
            used += (size_t)snprintf(out + used, cap - used, "%s\n", t.lines[i]);
        free(copy);
    }
    out[used] = 0;
    text_free(&t);
    return out;
}

/* One history: August and September from one seed agree about every month
 * they share, and September's listing differs from August's in a few rows
 * (patients arrive, leave, move, gain or lose a fixed GP). */
static void test_one_history(void **state)
{
    (void)state;
    char *a = generate_at(5, 4000, 30, 3, period), *b = generate_at(5, 4000, 30, 3, period + 1);
    static const struct {
        const char *file;
        int col;
    } dated[] = {{"kontakter.csv", 1}, {"samtal.csv", 1}, {"besok.csv", 4}, {"aggregat.csv", 2}};
    for (size_t i = 0; i < sizeof dated / sizeof *dated; i++) {
        char *x = rows_in(a, dated[i].file, dated[i].col, "2023-09", "2024-08");
        char *y = rows_in(b, dated[i].file, dated[i].col, "2023-09", "2024-08");
        if (strcmp(x, y) != 0)
            fail_msg("%s: the months both cover differ", dated[i].file);
        assert_true(strlen(x) > 0);
        free(x);
        free(y);
    }
    text x, y;
    text_load(&x, a, "listning.csv");
    text_load(&y, b, "listning.csv");
    size_t same = 0;
    for (size_t i = 1, j = 1; i < x.nlines && j < y.nlines;) {
        int c = strcmp(x.lines[i], y.lines[j]);
        same += c == 0;
        i += c <= 0;
        j += c >= 0;
    }
    long changed = (long)(x.nlines > y.nlines ? x.nlines : y.nlines) - 1 - (long)same;
    if (changed < 1 || changed > 60)
        fail_msg("listning.csv: %ld rader ändrades från augusti till september", changed);
    text_free(&x);
    text_free(&y);
    remove_dir(a);
    remove_dir(b);
}

static void test_small_region_shape(void **state)
{
    (void)state;
    char *dir = generate(5, 2000, 30, 1);
    static const char *const headers[NFILES] = {
        "enhet_id;namn;regi;kommun",
        "patient_id;enhet_id;fast_lakare;sabo",
        "enhet_id;kontaktdatum;bedomningsdatum;legitimerad;patientvald_vantan;vardgaranti;kontakt_id",
        "enhet_id;samtal_tid;besvarad_tid;inom_oppettid;samtal_id",
        "patient_id;enhet_id;vardgivare_id;yrke;besoksdatum;besokstyp",
        "indikator;enhet_id;period;taljare;namnare",
        "vardgivare_id;enhet_id;tjanstgoringsgrad;st",
    };
    /* Expected rows: the patients in the region at the period's end (about
     * one in ten arrives later or has left), 0.08 contacts and 0.1 calls a
     * patient a month over 13 months, about 0.21 visits a patient a month
     * over 30, give or take; a unit's fixed GPs and one more doctor. */
    static const long lo[NFILES] = {5, 1700, 1700, 2100, 10000, 65, 10};
    static const long hi[NFILES] = {5, 2000, 2400, 3000, 15500, 65, 20};
    for (int i = 0; i < NFILES; i++) {
        text t;
        text_load(&t, dir, files[i]);
        assert_string_equal(t.lines[0], headers[i]);
        long rows = (long)t.nlines - 1;
        if (rows < lo[i] || rows > hi[i])
            fail_msg("%s: %ld rader, väntade %ld-%ld", files[i], rows, lo[i], hi[i]);
        text_free(&t);
    }
    text t;
    text_load(&t, dir, "enheter.csv");
    assert_string_equal(t.lines[1], "VC001;Vårdcentralen Teleborg;offentlig;Växjö");
    assert_string_equal(t.lines[2], "VC002;Capio Vårdcentral Växjö;privat;Växjö");
    assert_string_equal(t.lines[3], "VC003;Hälsocentralen Ljungby;offentlig;Ljungby");
    text_free(&t);
    remove_dir(dir);
}

/* Every line of every file has the columns and value forms of SPEC
 * "Inputs", and dates lie in the months each file should cover. */
static void test_every_line_parses(void **state)
{
    (void)state;
    char *dir = generate(7, 3000, 30, 5);
    uf_day first13 = uf_day_make(2023, 8, 1), first30 = uf_day_make(2022, 3, 1);
    uf_day end = uf_day_make(2024, 9, 1);
    text t;
    char *f[8];

    text_load(&t, dir, "enheter.csv");
    for (size_t i = 1; i < t.nlines; i++) {
        assert_int_equal(split(t.lines[i], f, 8), 4);
        assert_true(!strcmp(f[2], "offentlig") || !strcmp(f[2], "privat"));
        assert_true(strlen(f[1]) > 10 && strlen(f[3]) > 3);
    }
    text_free(&t);

    text_load(&t, dir, "listning.csv");
    for (size_t i = 1; i < t.nlines; i++) {
        assert_int_equal(split(t.lines[i], f, 8), 4);
        assert_int_equal(strlen(f[0]), 10);
        assert_int_equal(f[0][0], 'P');
        assert_true(!strncmp(f[1], "VC00", 4));
        assert_true(!f[2][0] || (f[2][0] == 'L' && strlen(f[2]) == 5));
        assert_true(flag(f[3]) >= 0);
    }
    text_free(&t);

    text_load(&t, dir, "kontakter.csv");
    long before = 0, guaranteed = 0;
    for (size_t i = 1; i < t.nlines; i++) {
        uf_day k, b;
        assert_int_equal(split(t.lines[i], f, 8), 7);
        assert_int_equal(date_of(f[1], &k), 0);
        assert_true(k >= first13 && k < end);
        if (f[2][0]) {
            assert_int_equal(date_of(f[2], &b), 0);
            before += b < k;
        }
        assert_true(flag(f[3]) >= 0 && flag(f[4]) >= 0);
        guaranteed += flag(f[5]) == 1;
        assert_true(flag(f[5]) >= 0);
        assert_int_equal(f[6][0], 'K');
    }
    assert_true(before >= 0 && before < 10); /* a handful of data errors, ~0.05 % */
    double share = (double)guaranteed / (double)(t.nlines - 1);
    if (share < 0.80 || share > 0.90)
        fail_msg("vardgaranti J %.3f, väntade 0,80-0,90", share);
    text_free(&t);

    text_load(&t, dir, "samtal.csv");
    for (size_t i = 1; i < t.nlines; i++) {
        uf_day d, a;
        long s, as;
        assert_int_equal(split(t.lines[i], f, 8), 5);
        assert_int_equal(time_of(f[1], &d, &s), 0);
        assert_true(d >= first13 && d < end);
        if (f[2][0]) {
            assert_int_equal(time_of(f[2], &a, &as), 0);
            assert_true(a * 86400L + as >= d * 86400L + s); /* answered after the call */
        }
        assert_true(flag(f[3]) >= 0);
        assert_int_equal(f[4][0], 'T');
    }
    text_free(&t);

    text_load(&t, dir, "besok.csv");
    for (size_t i = 1; i < t.nlines; i++) {
        uf_day d;
        assert_int_equal(split(t.lines[i], f, 8), 6);
        assert_int_equal(f[0][0], 'P');
        assert_int_equal(date_of(f[4], &d), 0);
        assert_true(d >= first30 && d < end);
        int doctor = is_doctor(f[3]);
        assert_true(doctor || !strcmp(f[3], "sjuksköterska") || !strcmp(f[3], "fysioterapeut"));
        assert_int_equal(f[2][0], doctor ? 'L' : f[3][0] == 's' ? 'S' : 'F');
        assert_true(!strcmp(f[5], "mottagning") || !strcmp(f[5], "distans") ||
                    !strcmp(f[5], "hembesök"));
    }
    text_free(&t);

    /* lakare.csv: every fixed GP of the listing is there, once, with a post
     * of 50-100 %. */
    text_load(&t, dir, "lakare.csv");
    uf_strtab *doctors = uf_strtab_new();
    for (size_t i = 1; i < t.nlines; i++) {
        assert_int_equal(split(t.lines[i], f, 8), 4);
        assert_true(f[0][0] == 'L' && strlen(f[0]) == 5);
        assert_true(!strncmp(f[1], "VC00", 4));
        double post = atof(f[2]);
        assert_true(post >= 0.5 && post <= 1);
        assert_true(flag(f[3]) >= 0);
        int fresh = 0;
        uf_strtab_intern(doctors, f[0], strlen(f[0]), &fresh);
        assert_true(fresh);
    }
    text_free(&t);
    text_load(&t, dir, "listning.csv");
    for (size_t i = 1; i < t.nlines; i++) {
        split(t.lines[i], f, 8);
        int fresh = 0;
        if (f[2][0])
            uf_strtab_intern(doctors, f[2], strlen(f[2]), &fresh);
        assert_false(fresh);
    }
    uf_strtab_free(doctors);
    text_free(&t);

    text_load(&t, dir, "aggregat.csv");
    assert_int_equal(t.nlines, 1 + 7 * 13);
    for (size_t i = 1; i < t.nlines; i++) {
        assert_int_equal(split(t.lines[i], f, 8), 5);
        assert_string_equal(f[0], "digitala_forstakontakter");
        uf_month m;
        assert_int_equal(uf_month_parse(f[2], &m), 0);
        assert_true(m >= period - 12 && m <= period);
        assert_true(atol(f[3]) >= 0 && atol(f[3]) <= atol(f[4]));
    }
    text_free(&t);
    remove_dir(dir);
}

/* Bice-Boxerman COC averaged over the patients with 2+ doctor visits in
 * the 18 months that end with the period. */
typedef struct {
    uint32_t patient, doctor;
} doctor_visit;

static int visit_cmp(const void *a, const void *b)
{
    const doctor_visit *x = a, *y = b;
    if (x->patient != y->patient)
        return x->patient < y->patient ? -1 : 1;
    return (x->doctor > y->doctor) - (x->doctor < y->doctor);
}

static double region_coc(const char *dir)
{
    text t;
    text_load(&t, dir, "besok.csv");
    uf_strtab *ids = uf_strtab_new();
    doctor_visit *v = uf_xmalloc(t.nlines * sizeof *v);
    size_t n = 0;
    uf_day from = uf_day_make(2023, 3, 1);
    char *f[8];
    for (size_t i = 1; i < t.nlines; i++) {
        uf_day d;
        split(t.lines[i], f, 8);
        if (!is_doctor(f[3]) || date_of(f[4], &d) || d < from)
            continue;
        v[n].patient = uf_strtab_intern(ids, f[0], strlen(f[0]), NULL);
        v[n++].doctor = (uint32_t)atol(f[2] + 1);
    }
    qsort(v, n, sizeof *v, visit_cmp);
    double sum = 0;
    long patients = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double sq = 0;
        while (j < n && v[j].patient == v[i].patient) {
            size_t k = j;
            while (k < n && v[k].patient == v[i].patient && v[k].doctor == v[j].doctor)
                k++;
            sq += (double)(k - j) * (double)(k - j);
            j = k;
        }
        double visits = (double)(j - i);
        if (visits >= 2) {
            sum += (sq - visits) / (visits * (visits - 1));
            patients++;
        }
        i = j;
    }
    free(v);
    uf_strtab_free(ids);
    text_free(&t);
    return sum / (double)patients;
}

static void test_levels_resemble_the_audit(void **state)
{
    (void)state;
    /* Units of realistic size: continuity depends on how many doctors a unit has. */
    char *dir = generate(10, 60000, 30, 3);
    text t;
    char *f[8];

    /* Bedömning inom 3 dagar over the 13 months, per SPEC's definition. */
    long met = 0, all = 0, chosen = 0, rows = 0;
    uf_day first = uf_day_make(2023, 8, 1);
    text_load(&t, dir, "kontakter.csv");
    for (size_t i = 1; i < t.nlines; i++, rows++) {
        uf_day k, b = 0;
        split(t.lines[i], f, 8);
        date_of(f[1], &k);
        int dated = f[2][0] && !date_of(f[2], &b);
        if (flag(f[4]) == 1) {
            chosen++;
            continue;
        }
        if (dated && b < k)
            continue;
        all++;
        met += dated && flag(f[3]) == 1 && b - k <= 3;
    }
    text_free(&t);
    double share = (double)met / (double)all;
    if (share < 0.80 || share > 0.90)
        fail_msg("bedömning inom 3 dagar %.3f, väntade 0,80-0,90", share);
    assert_in_range(chosen * 1000 / rows, 20, 40); /* ~3 % patientvald väntan */

    /* Telefon samma dag: ~88 % in the first month, ~92 % in the last. */
    long same[13] = {0}, calls[13] = {0}, closed = 0, total = 0;
    text_load(&t, dir, "samtal.csv");
    for (size_t i = 1; i < t.nlines; i++, total++) {
        uf_day d, a;
        long s, as;
        split(t.lines[i], f, 8);
        time_of(f[1], &d, &s);
        if (flag(f[3]) != 1) {
            closed++;
            continue;
        }
        int m = uf_month_of(d) - uf_month_of(first);
        calls[m]++;
        same[m] += f[2][0] && !time_of(f[2], &a, &as) && a == d;
    }
    text_free(&t);
    double p0 = (double)same[0] / (double)calls[0], p12 = (double)same[12] / (double)calls[12];
    if (p0 < 0.85 || p0 > 0.91 || p12 < 0.89 || p12 > 0.95 || p12 <= p0)
        fail_msg("telefon samma dag %.3f -> %.3f, väntade ~0,88 -> ~0,92", p0, p12);
    assert_in_range(closed * 1000 / total, 20, 45); /* ~3 % outside opening hours */

    /* Fast läkarkontakt 36 %, 60 % in säbo. */
    long listed = 0, flk = 0, sabo = 0, sabo_flk = 0;
    text_load(&t, dir, "listning.csv");
    for (size_t i = 1; i < t.nlines; i++) {
        split(t.lines[i], f, 8);
        listed++;
        flk += f[2][0] != 0;
        if (flag(f[3]) == 1) {
            sabo++;
            sabo_flk += f[2][0] != 0;
        }
    }
    text_free(&t);
    double fs = (double)flk / (double)listed, ss = (double)sabo_flk / (double)sabo;
    if (fs < 0.32 || fs > 0.40 || ss < 0.45 || ss > 0.75 || sabo < 450 || sabo > 750)
        fail_msg("fast läkarkontakt %.3f (säbo %.3f av %ld), väntade ~0,36 (~0,60 av ~600)", fs,
                 ss, sabo);

    double coc = region_coc(dir);
    if (coc < 0.24 || coc > 0.34)
        fail_msg("kontinuitetsindex %.3f, väntade ~0,29", coc);
    remove_dir(dir);
}

/* The demo's scale (30 units, 200 000 patients): a few unit-months fall
 * under the minimum n of 20, so the report's "för litet underlag" shows. */
static void test_demo_has_small_units(void **state)
{
    (void)state;
    char *dir = generate(30, 200000, 13, 1);
    long contacts[30][13] = {{0}};
    uf_month first = period - 12;
    text t;
    char *f[8];
    text_load(&t, dir, "kontakter.csv");
    for (size_t i = 1; i < t.nlines; i++) {
        uf_day k;
        split(t.lines[i], f, 8);
        date_of(f[1], &k);
        contacts[atoi(f[0] + 2) - 1][uf_month_of(k) - first]++;
    }
    text_free(&t);
    int small = 0;
    for (int u = 0; u < 30; u++)
        for (int m = 0; m < 13; m++)
            small += contacts[u][m] < 20;
    if (small < 1 || small > 40)
        fail_msg("%d enhetsmånader under 20 kontakter, väntade några få", small);
    remove_dir(dir);
}

static void test_bad_options(void **state)
{
    (void)state;
    uf_error err = {0};
    uf_gen_opts o = {.out_dir = "/tmp", .units = 0, .patients = 10, .months = 30, .seed = 1,
                     .period = period};
    assert_int_equal(uf_generate(&o, &err), -1);
    assert_int_equal(err.code, UF_ERR_USAGE);
    o.units = 2;
    o.out_dir = "/proc/uf-generate/nej";
    assert_int_equal(uf_generate(&o, &err), -1);
    assert_int_equal(err.code, UF_ERR_IO);
}

int main(void)
{
    uf_quiet = 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_small_region_shape),
        cmocka_unit_test(test_one_history),
        cmocka_unit_test(test_every_line_parses),
        cmocka_unit_test(test_levels_resemble_the_audit),
        cmocka_unit_test(test_demo_has_small_units),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
