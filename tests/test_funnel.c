/* tests/test_funnel.c — the funnel plot's control limits against values
 * worked out by hand (exact binomial, Spiegelhalter 2005's interpolation)
 * and the normal limits of a mean.
 *
 * By hand, n = 10, p0 = 0.5, lower 95 % limit (tail 0.025): P(R <= 1) =
 * 11/1024 = 0.010742, P(R <= 2) = 56/1024 = 0.054688, so r = 2 and
 * a = (56/1024 - 0.025) / (45/1024) = 0.675556; the limit is
 * (2 - 0.675556) / 10 = 0.132444.  The other values were computed the same
 * way with exact fractions (Python's fractions.Fraction, math.comb). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>

#include "compute/compute.h"

static void limits_equal(uf_limits l, double lo, double hi)
{
    assert_true(fabs(l.lo - lo) < 1e-9);
    assert_true(fabs(l.hi - hi) < 1e-9);
}

static void binomial_by_hand(void **state)
{
    (void)state;
    limits_equal(uf_funnel_binomial(0.5, 10, UF_FUNNEL_95), 0.132444444444444, 0.767555555555556);
    limits_equal(uf_funnel_binomial(0.5, 10, UF_FUNNEL_998), 0.00024, 0.89976);
    limits_equal(uf_funnel_binomial(0.9, 50, UF_FUNNEL_95), 0.800277272376636, 0.966137073042656);
    limits_equal(uf_funnel_binomial(0.9, 50, UF_FUNNEL_998), 0.739871581247611, 0.996119349565035);
    limits_equal(uf_funnel_binomial(0.8, 20, UF_FUNNEL_95), 0.583884520549027, 0.938315956550290);
    limits_equal(uf_funnel_binomial(0.8, 20, UF_FUNNEL_998), 0.460745873715730, 0.995663191310058);
    limits_equal(uf_funnel_binomial(0.55, 200, UF_FUNNEL_95), 0.478242946725320, 0.616254870317421);
    limits_equal(uf_funnel_binomial(0.55, 200, UF_FUNNEL_998), 0.438227810923302,
                 0.655122091767982);
}

/* A nation's n: the exact limits meet the normal ones, p0 +- z sqrt(p0 q0 / n),
 * to within a count's width. */
static void binomial_large_n(void **state)
{
    (void)state;
    double n = 1e6, p0 = 0.55, se = sqrt(p0 * (1 - p0) / n);
    uf_limits l = uf_funnel_binomial(p0, n, UF_FUNNEL_998);
    assert_true(fabs(l.lo - (p0 - 3.090232 * se)) < 2 / n);
    assert_true(fabs(l.hi - (p0 + 3.090232 * se)) < 2 / n);
    l = uf_funnel_binomial(p0, n, UF_FUNNEL_95);
    assert_true(fabs(l.lo - (p0 - 1.959964 * se)) < 2 / n);
    assert_true(l.lo < p0 && p0 < l.hi);
}

/* A centre on the edge has no spread; no units means no limits. */
static void binomial_edges(void **state)
{
    (void)state;
    limits_equal(uf_funnel_binomial(1.0, 100, UF_FUNNEL_95), 1, 1);
    limits_equal(uf_funnel_binomial(0.0, 100, UF_FUNNEL_95), 0, 0);
    limits_equal(uf_funnel_binomial(0.5, 0, UF_FUNNEL_95), 0.5, 0.5);
    /* Limits stay inside 0–100 % and widen as n shrinks. */
    uf_limits a = uf_funnel_binomial(0.98, 20, UF_FUNNEL_998);
    uf_limits b = uf_funnel_binomial(0.98, 2000, UF_FUNNEL_998);
    assert_true(a.hi <= 1 && a.lo >= 0);
    assert_true(a.lo < b.lo && b.hi <= a.hi);
}

/* A mean: 0.5 +- 1.959964 * 0.3 / sqrt(100) = 0.5 +- 0.058799. */
static void normal_by_hand(void **state)
{
    (void)state;
    limits_equal(uf_funnel_normal(0.5, 0.3, 100, UF_FUNNEL_95), 0.5 - 0.0587989195362,
                 0.5 + 0.0587989195362);
    limits_equal(uf_funnel_normal(0.5, 0.3, 100, UF_FUNNEL_998), 0.5 - 0.0927069691850,
                 0.5 + 0.0927069691850);
    limits_equal(uf_funnel_normal(0.7, 0.2, 0, UF_FUNNEL_95), 0.7, 0.7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binomial_by_hand),
        cmocka_unit_test(binomial_large_n),
        cmocka_unit_test(binomial_edges),
        cmocka_unit_test(normal_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
