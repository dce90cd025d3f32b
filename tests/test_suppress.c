/* tests/test_suppress.c — secondary suppression (compute/suppress.c) on
 * hand-made reports: each case is small enough to work out on paper, and
 * each is attacked by the subtractions issue 18 names (region minus units,
 * range minus months, group minus subgroup) by peel(), which must recover
 * no hidden numerator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/derive.h"

enum { P = UF_TREND - 1 }; /* month P's column; the period is 2024-08 */

static uf_indicator share(const char *id, const char *subgroup_of)
{
    return (uf_indicator){.id = (char *)id, .kind = UF_KIND_PERCENT, .direction = 1,
                          .min_n = 20, .tolerance = 0.05, .subgroup_of = (char *)subgroup_of};
}

/* A report of nunits units and nseries series; no cell present yet. */
static uf_report report(size_t nunits, uf_indicator *inds, size_t nseries)
{
    static char *ids[] = {"VC01", "VC02", "VC03", "VC04", "VC05", "VC06"};
    uf_report r = {.period = 2024 * 12 + 7, .nunits = nunits, .nseries = nseries};
    uf_month m;
    assert_int_equal(uf_month_parse("2024-08", &m), 0);
    r.period = m;
    r.units = calloc(nunits, sizeof *r.units);
    for (size_t u = 0; u < nunits; u++)
        r.units[u].id = ids[u];
    r.series = calloc(nseries, sizeof *r.series);
    for (size_t s = 0; s < nseries; s++) {
        r.series[s].ind = &inds[s];
        r.series[s].computed = 1;
        r.series[s].cells = calloc((nunits + 1) * UF_NCOLS, sizeof(uf_cell));
    }
    return r;
}

static void set(uf_report *r, size_t s, size_t unit, int col, double num, double den)
{
    uf_cell *c = uf_report_cell(r, s, unit, col);
    *c = (uf_cell){.num = num, .den = den, .present = 1};
}

/* The region rows and the year and tertial to date from the units' months
 * (January to August, May to August; month P for a snapshot), then the
 * statuses, as compute.c does, then suppression. */
static void judge(uf_report *r)
{
    for (size_t s = 0; s < r->nseries; s++) {
        int last = r->series[s].ind->aggregation == UF_AGG_LAST;
        for (int c = 0; c < UF_TREND; c++)
            for (size_t u = 1; u <= r->nunits; u++) {
                uf_cell *x = uf_report_cell(r, s, u, c), *reg = uf_report_cell(r, s, 0, c);
                if (!x->present)
                    continue;
                reg->present = 1;
                reg->num += x->num;
                reg->den += x->den;
            }
        for (size_t u = 0; u <= r->nunits; u++)
            for (int c = last ? P : P - 7; c < UF_TREND; c++) {
                const uf_cell *x = uf_report_cell(r, s, u, c);
                for (int t = c >= P - 3 ? UF_COL_TERTIAL : UF_COL_YTD;
                     t >= UF_COL_YTD && x->present; t--) {
                    uf_cell *y = uf_report_cell(r, s, u, t);
                    y->present = 1;
                    y->num += x->num;
                    y->den += x->den;
                }
            }
        for (size_t i = 0; i < (r->nunits + 1) * UF_NCOLS; i++)
            r->series[s].cells[i].status =
                uf_status_judge(r->series[s].ind, &r->series[s].cells[i], NULL);
    }
}

static void finish(uf_report *r)
{
    judge(r);
    uf_report_suppress(r);
}

static void done(uf_report *r)
{
    for (size_t s = 0; s < r->nseries; s++)
        free(r->series[s].cells);
    free(r->series);
    free(r->units);
    free(r->issues);
}

static int hidden(const uf_report *r, size_t s, size_t u, int c)
{
    const uf_cell *x = uf_report_cell(r, s, u, c);
    return x->present && uf_status_hidden(x->status);
}

/* One equation with one unknown, solved, again and again: how many hidden
 * numerators a reader gets back.  Group minus subgroup counts when the rest
 * of the group is below the minimum n (it is a small figure itself). */
static int peel(const uf_report *r)
{
    size_t rows = r->nunits + 1, cells = rows * UF_NCOLS;
    unsigned char *known = calloc(r->nseries * cells, 1);
    for (size_t s = 0; s < r->nseries; s++)
        for (size_t i = 0; i < cells; i++) {
            const uf_cell *x = &r->series[s].cells[i];
            known[s * cells + i] = !x->present || !uf_status_hidden(x->status) || x->den == 0;
        }
    int got = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t s = 0; s < r->nseries; s++) {
            unsigned char *k = known + s * cells;
            /* region = units, per column */
            for (int c = 0; c < UF_NCOLS; c++) {
                size_t unknown = 0, at = 0;
                for (size_t u = 0; u < rows; u++)
                    if (!k[u * UF_NCOLS + c])
                        unknown++, at = u * UF_NCOLS + c;
                if (unknown == 1)
                    k[at] = 1, got++, changed = 1;
            }
            /* year and tertial to date = months, per row */
            for (size_t u = 0; u < rows; u++)
                for (int t = UF_COL_YTD; t <= UF_COL_TERTIAL; t++) {
                    size_t unknown = !k[u * UF_NCOLS + t], at = u * UF_NCOLS + t;
                    for (int c = P - 3; c <= P; c++)
                        if (!k[u * UF_NCOLS + c])
                            unknown++, at = u * UF_NCOLS + c;
                    if (unknown == 1)
                        k[at] = 1, got++, changed = 1;
                }
        }
        /* subgroup: a small rest means group - subgroup is a small figure */
        for (size_t s = 0; s < r->nseries; s++) {
            const char *g = r->series[s].ind->subgroup_of;
            for (size_t gs = 0; g && gs < r->nseries; gs++)
                if (!strcmp(r->series[gs].ind->id, g))
                    for (size_t i = 0; i < cells; i++) {
                        const uf_cell *a = &r->series[gs].cells[i], *b = &r->series[s].cells[i];
                        double rest = a->den - b->den;
                        if (a->present && rest > 0 && rest < 20 && known[gs * cells + i] &&
                            known[s * cells + i])
                            got++;
                    }
        }
    }
    free(known);
    return got;
}

static long count(const uf_report *r, uf_status st)
{
    long n = 0;
    for (size_t s = 0; s < r->nseries; s++)
        for (size_t i = 0; i < (r->nunits + 1) * UF_NCOLS; i++)
            n += r->series[s].cells[i].present && r->series[s].cells[i].status == st;
    return n;
}

/* The issue's case: VC01 has 8 of 9 in August; the region minus VC02 and
 * VC03 would give it back.  Only August is present, so a unit's year and
 * tertial to date are its August: those are hidden with it (primary), and
 * the smallest other unit, VC03 (n 30 against VC02's 50), is hidden in all
 * three columns.  The region stays.  Without the secondary rule the
 * attack gets VC01 back in each of the three columns. */
static void region_minus_units(void **state)
{
    (void)state;
    uf_indicator ind = share("telefon", NULL);
    uf_report r = report(3, &ind, 1);
    set(&r, 0, 1, P, 8, 9);
    set(&r, 0, 2, P, 45, 50);
    set(&r, 0, 3, P, 25, 30);
    judge(&r);
    assert_int_equal(peel(&r), 3);
    uf_report_suppress(&r);
    for (int c = P; c < UF_NCOLS; c++) {
        assert_int_equal(uf_report_cell(&r, 0, 1, c)->status, UF_ST_SMALL);
        assert_int_equal(uf_report_cell(&r, 0, 3, c)->status, UF_ST_HIDDEN);
        assert_false(hidden(&r, 0, 2, c));
        assert_false(hidden(&r, 0, 0, c));
    }
    assert_int_equal(count(&r, UF_ST_HIDDEN), 3);
    assert_true(isnan(uf_cell_shown(uf_report_cell(&r, 0, 3, P))));
    assert_int_equal(peel(&r), 0);
    /* counted in Datakvalitet */
    assert_int_equal(r.nissues, 1);
    assert_int_equal(r.issues[0].count, 3);
    assert_non_null(strstr(r.issues[0].reason, "sekundär"));
    done(&r);
}

/* A unit's tertial minus its shown months: VC01 is small in August only
 * (n 10) but its May–July are shown and its tertial (n 100) too.  A
 * rectangle is the least that holds: two months of VC01 and the same two
 * of another unit; nothing can be peeled and the region stays whole. */
static void range_minus_months(void **state)
{
    (void)state;
    uf_indicator ind = share("bedomning", NULL);
    uf_report r = report(3, &ind, 1);
    const double n[3][4] = {{30, 30, 30, 10}, {40, 40, 40, 40}, {60, 60, 60, 60}};
    for (size_t u = 0; u < 3; u++)
        for (int c = 0; c < 4; c++)
            set(&r, 0, u + 1, P - 3 + c, floor(n[u][c] * 0.8), n[u][c]);
    finish(&r);
    assert_int_equal(uf_report_cell(&r, 0, 1, P)->status, UF_ST_SMALL);
    assert_int_equal(peel(&r), 0);
    for (int c = 0; c < UF_NCOLS; c++)
        assert_false(hidden(&r, 0, 0, c));
    /* the smaller other unit gives the second row of the rectangle */
    assert_int_equal(uf_report_cell(&r, 0, 2, P)->status, UF_ST_HIDDEN);
    assert_false(hidden(&r, 0, 3, P));
    assert_int_equal(count(&r, UF_ST_HIDDEN), 3);
    done(&r);
}

/* Säbo against all listed: VC01 lists 25, 22 of them in säbo.  Both are
 * above the minimum, but all minus säbo is the figure of 3 patients: the
 * smaller, säbo, is hidden, and then another unit's säbo so that the
 * region's säbo does not give it back. */
static void group_minus_subgroup(void **state)
{
    (void)state;
    uf_indicator inds[2] = {share("fast", NULL), share("fast_sabo", "fast")};
    uf_report r = report(3, inds, 2);
    set(&r, 0, 1, P, 20, 25);
    set(&r, 1, 1, P, 18, 22);
    set(&r, 0, 2, P, 900, 1000);
    set(&r, 1, 2, P, 40, 50);
    set(&r, 0, 3, P, 1800, 2000);
    set(&r, 1, 3, P, 70, 90);
    finish(&r);
    assert_int_equal(uf_report_cell(&r, 1, 1, P)->status, UF_ST_HIDDEN);
    assert_int_equal(uf_report_cell(&r, 1, 2, P)->status, UF_ST_HIDDEN);
    assert_false(hidden(&r, 0, 1, P));
    assert_false(hidden(&r, 1, 3, P));
    assert_false(hidden(&r, 1, 0, P));
    assert_int_equal(peel(&r), 0);
    done(&r);
}

/* A unit with n 0 is known to have 0: it cannot be the second hidden
 * figure of a column.  VC02 has nothing in August, so VC03 is hidden. */
static void zero_is_known(void **state)
{
    (void)state;
    uf_indicator ind = share("telefon", NULL);
    uf_report r = report(3, &ind, 1);
    set(&r, 0, 1, P, 5, 6);
    set(&r, 0, 2, P, 0, 0);
    set(&r, 0, 3, P, 90, 100);
    finish(&r);
    assert_int_equal(uf_report_cell(&r, 0, 3, P)->status, UF_ST_HIDDEN);
    assert_false(hidden(&r, 0, 0, P));
    assert_int_equal(peel(&r), 0);
    done(&r);
}

/* A region whose one listed unit is small (its other figures delivered as
 * the region's own, as aggregat.csv may) cannot show itself and hide that
 * unit: the region is hidden too, and Datakvalitet says so. */
static void region_hidden_when_it_must(void **state)
{
    (void)state;
    uf_indicator ind = share("telefon", NULL);
    uf_report r = report(1, &ind, 1);
    set(&r, 0, 0, P, 24, 24); /* finish() adds the unit's */
    set(&r, 0, 1, P, 5, 6);
    finish(&r);
    assert_int_equal(uf_report_cell(&r, 0, 0, P)->status, UF_ST_HIDDEN);
    assert_int_equal(peel(&r), 0);
    int said = 0;
    for (size_t i = 0; i < r.nissues; i++)
        said |= strstr(r.issues[i].reason, "regionens värde döljs") != NULL;
    assert_true(said);
    done(&r);
}

/* An earlier edition left a numerator out: with n below the minimum that
 * was för litet underlag, with n enough it was hidden by the secondary
 * rule, and stays marked so. */
static void earlier_editions(void **state)
{
    (void)state;
    uf_indicator ind = share("telefon", NULL);
    uf_cell c = {.num = NAN, .den = 40, .present = 1};
    assert_int_equal(uf_status_judge(&ind, &c, NULL), UF_ST_HIDDEN);
    c.den = 12;
    assert_int_equal(uf_status_judge(&ind, &c, NULL), UF_ST_SMALL);
    assert_string_equal(uf_status_word(UF_ST_HIDDEN), "dold");
}

/* ------------------------------------------------ the exact attack */

/* A reader with linear algebra: every equation of the report at once, as
 * rows over the unknowns (hidden numerators and rests of group), in
 * reduced row echelon form; an unknown is given back when a row holds it
 * alone.  The equations are the report's whole: region = units in every
 * column (the ranges' too), the year and the tertial = their months, and
 * group = subgroup + rest.  Returns how many figures that must stay
 * unknown (hidden cells, rests below the minimum n) it gets back. */
static int solve(const uf_report *r)
{
    size_t rows = r->nunits + 1, cells = rows * UF_NCOLS, nv = 2 * r->nseries * cells;
    /* unknown j: series s's cell i at s * cells + i, its rest at (nseries + s) * cells + i */
    double *a = calloc(nv * nv + 1, sizeof *a);
    unsigned char *unk = calloc(nv, 1), *guard = calloc(nv, 1);
    size_t ne = 0;
    for (size_t s = 0; s < r->nseries; s++)
        for (size_t i = 0; i < cells; i++) {
            const uf_cell *x = &r->series[s].cells[i];
            unk[s * cells + i] = guard[s * cells + i] =
                x->present && uf_status_hidden(x->status) && x->den != 0;
        }
#define ROW(e) (a + (e) * nv)
    for (size_t s = 0; s < r->nseries; s++) {
        const uf_series *se = &r->series[s];
        int last = se->ind->aggregation == UF_AGG_LAST;
        for (int c = 0; c < UF_NCOLS; c++, ne++)
            for (size_t u = 0; u < rows; u++)
                if (se->cells[u * UF_NCOLS + c].present && unk[s * cells + u * UF_NCOLS + c])
                    ROW(ne)[s * cells + u * UF_NCOLS + c] = u ? -1 : 1;
        for (size_t u = 0; u < rows; u++)
            for (int t = UF_COL_YTD; t <= UF_COL_TERTIAL; t++, ne++) {
                int from = last ? P : t == UF_COL_YTD ? P - 7 : P - 3;
                for (int c = from; c <= t; c = c == P ? t : c + 1) {
                    size_t j = s * cells + u * UF_NCOLS + (size_t)c;
                    if (unk[j])
                        ROW(ne)[j] = c == t ? 1 : -1;
                }
            }
        const char *g = se->ind->subgroup_of;
        for (size_t gs = 0; g && gs < r->nseries; gs++)
            if (!strcmp(r->series[gs].ind->id, g))
                for (size_t i = 0; i < cells; i++, ne++) {
                    const uf_cell *gc = &r->series[gs].cells[i], *sc = &se->cells[i];
                    size_t rest = (r->nseries + s) * cells + i;
                    double n = gc->den - (sc->present ? sc->den : 0);
                    if (!gc->present)
                        continue;
                    unk[rest] = n > 0;
                    guard[rest] = n > 0 && n < r->series[gs].ind->min_n;
                    ROW(ne)[gs * cells + i] = unk[gs * cells + i];
                    ROW(ne)[s * cells + i] = -(double)unk[s * cells + i];
                    ROW(ne)[rest] = -(double)unk[rest];
                }
    }
    size_t prow = 0;
    for (size_t c = 0; c < nv && prow < ne; c++) {
        size_t best = prow;
        for (size_t i = prow; i < ne; i++)
            if (fabs(ROW(i)[c]) > fabs(ROW(best)[c]))
                best = i;
        if (fabs(ROW(best)[c]) < 1e-9)
            continue;
        for (size_t k = 0; k < nv; k++) {
            double t = ROW(best)[k];
            ROW(best)[k] = ROW(prow)[k];
            ROW(prow)[k] = t;
        }
        double pv = ROW(prow)[c];
        for (size_t k = 0; k < nv; k++)
            ROW(prow)[k] /= pv;
        for (size_t i = 0; i < ne; i++)
            if (i != prow && fabs(ROW(i)[c]) > 1e-12) {
                double f = ROW(i)[c];
                for (size_t k = 0; k < nv; k++)
                    ROW(i)[k] -= f * ROW(prow)[k];
            }
        prow++;
    }
    int got = 0;
    for (size_t i = 0; i < prow; i++) {
        size_t nz = 0, at = 0;
        for (size_t k = 0; k < nv; k++)
            if (fabs(ROW(i)[k]) > 1e-9)
                nz++, at = k;
        got += nz == 1 && guard[at];
    }
#undef ROW
    free(a);
    free(unk);
    free(guard);
    return got;
}

static unsigned long draw(unsigned long *seed, unsigned long n)
{
    *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
    return (*seed >> 33) % n;
}

/* Reports drawn at random (a fixed seed): two to five units over months
 * of 2023 and 2024, many of them small, some missing, with a subgroup
 * whose rest is at times 0 or small, and a snapshot indicator; after
 * suppression the exact attack gets nothing back (before it, it gets
 * figures back: the attack can succeed). */
static void random_reports(void **state)
{
    (void)state;
    uf_indicator inds[3] = {share("telefon", NULL), share("fast", NULL),
                            share("fast_sabo", "fast")};
    inds[1].aggregation = inds[2].aggregation = UF_AGG_LAST;
    unsigned long seed = 18;
    long hidden_total = 0, before = 0;
    for (int round = 0; round < 300; round++) {
        size_t nunits = 2 + draw(&seed, 4);
        uf_report r = report(nunits, inds, 3);
        for (size_t u = 1; u <= nunits; u++)
            for (int c = round % 2 ? P - 7 : 0; c < UF_TREND; c++) {
                if (draw(&seed, 10) == 0)
                    continue;
                double n = draw(&seed, 3) ? (double)draw(&seed, 25) : 20 + (double)draw(&seed, 80);
                set(&r, 0, u, c, floor(n * 0.7), n);
                if (c != P && draw(&seed, 2))
                    continue;
                double sub = draw(&seed, 4) == 0 ? n : floor(n * (double)draw(&seed, 100) / 100);
                set(&r, 1, u, c, floor(n * 0.6), n);
                set(&r, 2, u, c, floor(sub * 0.6), sub);
            }
        judge(&r);
        before += solve(&r);
        uf_report_suppress(&r);
        assert_int_equal(solve(&r), 0);
        hidden_total += count(&r, UF_ST_HIDDEN);
        done(&r);
    }
    assert_true(hidden_total > 0 && before > 0);
    print_message("# %ld figures given back before, %ld cells hidden\n", before, hidden_total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(region_minus_units),   cmocka_unit_test(range_minus_months),
        cmocka_unit_test(group_minus_subgroup), cmocka_unit_test(zero_is_known),
        cmocka_unit_test(region_hidden_when_it_must), cmocka_unit_test(earlier_editions),
        cmocka_unit_test(random_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
