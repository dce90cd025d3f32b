/* compute/funnel.c — the control limits of a funnel plot, as Spiegelhalter
 * (2005, "Funnel plots for comparing institutional performance", Stat Med
 * 24:1185–1202) gives them.
 *
 * A share: exact binomial limits.  For R ~ Bin(n, p0) and a tail
 * probability q, r is the smallest count with P(R <= r) >= q; the limit is
 * (r - a) / n with a = (P(R <= r) - q) / P(R = r), the interpolation of his
 * appendix that makes the limits smooth in n rather than stepped.  The
 * binomial distribution function is the regularized incomplete beta
 * function, P(R <= r) = I_{1-p0}(n - r, r + 1), evaluated by its continued
 * fraction, so n of a whole nation costs no more than n of a unit.
 *
 * A mean over patients (the continuity indices): the normal limits
 * theta +- z sd / sqrt(n), sd the spread of the patients' own values. */
#include "compute/compute.h"

#include <math.h>

/* The continued fraction of I_x(a, b) by Lentz's method (Numerical Recipes,
 * betacf); it converges fast for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    d = 1 / (fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m < 100000; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        d = 1 / (fabs(d) < tiny ? tiny : d);
        c = 1 + aa / c;
        c = fabs(c) < tiny ? tiny : c;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < eps)
            break;
    }
    return h;
}

/* I_x(a, b), the regularized incomplete beta function. */
static double beta_reg(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double ln = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2))
        return exp(ln) * beta_fraction(a, b, x) / a;
    return 1 - exp(ln) * beta_fraction(b, a, 1 - x) / b;
}

/* P(R <= r) for R ~ Bin(n, p). */
static double binom_cdf(double r, double n, double p)
{
    if (r < 0)
        return 0;
    if (r >= n)
        return 1;
    return beta_reg(n - r, r + 1, 1 - p);
}

/* The limit below which a share of n lies with probability q. */
static double binom_limit(double p0, double n, double q)
{
    double lo = 0, hi = n; /* binom_cdf(hi) = 1 >= q */
    while (hi - lo > 1) {
        double mid = floor((lo + hi) / 2);
        if (binom_cdf(mid, n, p0) >= q)
            hi = mid;
        else
            lo = mid;
    }
    double r = binom_cdf(lo, n, p0) >= q ? lo : hi;
    double at = binom_cdf(r, n, p0), below = binom_cdf(r - 1, n, p0);
    double a = at > below ? (at - q) / (at - below) : 0;
    return (r - a) / n;
}

/* The two-sided normal quantile of the two levels the plot draws. */
static double level_z(uf_funnel_level level)
{
    return level == UF_FUNNEL_998 ? 3.090232306167813 : 1.959963984540054;
}

static double level_tail(uf_funnel_level level)
{
    return level == UF_FUNNEL_998 ? 0.001 : 0.025;
}

uf_limits uf_funnel_binomial(double p0, double n, uf_funnel_level level)
{
    if (!(n >= 1) || !(p0 > 0) || !(p0 < 1))
        return (uf_limits){p0, p0};
    n = round(n);
    double t = level_tail(level);
    uf_limits l = {binom_limit(p0, n, t), binom_limit(p0, n, 1 - t)};
    l.lo = l.lo < 0 ? 0 : l.lo;
    l.hi = l.hi > 1 ? 1 : l.hi;
    return l;
}

uf_limits uf_funnel_normal(double theta, double sd, double n, uf_funnel_level level)
{
    if (!(n > 0) || !(sd >= 0))
        return (uf_limits){theta, theta};
    double h = level_z(level) * sd / sqrt(n);
    return (uf_limits){theta - h, theta + h};
}
