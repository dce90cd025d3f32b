/* render/axis.c — the value axes of the charts, the same in the PDF and in
 * the workbook's chart: round steps of 1, 2, 2.5 or 5 x 10^k. */
#include "render/doc.h"

#include <math.h>

static double nice_step(double span)
{
    double raw = span / 5, mag = pow(10, floor(log10(raw)));
    static const double m[] = {1, 2, 2.5, 5, 10};
    for (int i = 0; i < 5; i++)
        if (m[i] * mag >= raw - 1e-12)
            return m[i] * mag;
    return 10 * mag;
}

void uf_axis_zero(const uf_indicator *ind, double vmax, double *top, double *step)
{
    if (!(vmax > 0))
        vmax = 1.0;
    *step = nice_step(vmax);
    *top = ceil(vmax / *step - 1e-9) * *step;
    if (ind->kind == UF_KIND_PERCENT && *top > 1.0)
        *top = 1.0;
}

void uf_axis_fit(const uf_indicator *ind, double lo, double hi, double *bot, double *top,
                 double *step)
{
    *bot = 0;
    if (!(hi >= lo)) {
        uf_axis_zero(ind, 1.0, top, step);
        return;
    }
    /* A quarter of the data's spread as margin, and never less than 4 %
     * of the level, so a flat line does not fill the chart with noise. */
    double span = fmax(hi - lo, fabs(hi) * 0.04);
    if (!(span > 0))
        span = 1.0;
    double a = lo - span * 0.25, b = hi + span * 0.25;
    if (a <= b * 0.3) {
        uf_axis_zero(ind, b, top, step);
        return;
    }
    *step = nice_step(b - a);
    *bot = floor(a / *step + 1e-9) * *step;
    *top = ceil(b / *step - 1e-9) * *step;
    if (ind->kind == UF_KIND_PERCENT && *top > 1.0)
        *top = 1.0;
}
