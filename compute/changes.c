/* compute/changes.c — restatements: figures of this report that differ from
 * what an earlier edition published for the same indicator, unit and month.
 * A late delivery changes figures silently otherwise; the nämnd must see it. */
#include "editions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C_IND, C_UNIT, C_PERIOD, C_VALUE, NCOLS };
static const uf_column columns[NCOLS] = {
    {"indikator", 1}, {"enhet_id", 1}, {"period", 1}, {"varde", 1}};

typedef struct {
    uf_change c;
    size_t series, row;
    int col;
} found;

static int in_order(const void *a, const void *b)
{
    const found *x = a, *y = b;
    if (x->series != y->series)
        return x->series < y->series ? -1 : 1;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->col - y->col;
}

/* The value as the published report shows it: suppressed figures are absent. */
static double published(const uf_cell *c)
{
    return uf_cell_shown(c);
}

static int differ(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) != isnan(b);
    return fabs(a - b) > 1e-9 * (fabs(a) > 1 ? fabs(a) : 1);
}

int uf_changes_find(const uf_report *r, const uf_inputs *in, uf_changes *out, uf_error *err)
{
    memset(out, 0, sizeof *out);
    size_t rows = r->nunits + 1;
    /* One flag per figure: the newest edition that published it has spoken. */
    unsigned char *seen = uf_xcalloc(r->nseries * rows * UF_TREND, 1);
    found *v = NULL;
    size_t n = 0;
    uf_month first = r->period - (UF_TREND - 1);
    int rc = 0;
    for (size_t e = 0; e < in->neditions && rc == 0; e++) {
        uf_csv *csv = uf_csv_open(in->editions[e].path, in->editions[e].name, columns, NCOLS,
                                  NULL, 0, err);
        if (!csv) {
            rc = -1;
            break;
        }
        int got;
        while ((got = uf_csv_next(csv, err)) == 1) {
            uf_month m;
            long s, row;
            if (uf_month_parse(uf_resultat_text(csv, C_PERIOD), &m) != 0 || m < first ||
                m > r->period || (s = uf_report_series(r, uf_resultat_text(csv, C_IND))) < 0 ||
                (row = uf_report_row(r, uf_resultat_text(csv, C_UNIT))) < 0)
                continue;
            int col = (int)(m - first);
            size_t key = ((size_t)s * rows + (size_t)row) * UF_TREND + (size_t)col;
            const uf_cell *cell = uf_report_cell(r, (size_t)s, (size_t)row, col);
            if (seen[key] || !cell->present)
                continue;
            seen[key] = 1;
            size_t len;
            const char *text = uf_csv_get(csv, C_VALUE, &len);
            double old = NAN;
            if (len > 0 && uf_parse_number(text, len, &old) != 0)
                continue;
            double now = published(cell);
            if (!differ(old, now))
                continue;
            v = uf_xrealloc(v, (n + 1) * sizeof *v);
            found *f = &v[n++];
            memset(f, 0, sizeof *f);
            f->series = (size_t)s;
            f->row = (size_t)row;
            f->col = col;
            snprintf(f->c.indicator, sizeof f->c.indicator, "%s", r->series[s].ind->id);
            snprintf(f->c.unit, sizeof f->c.unit, "%s",
                     row == 0 ? "REGION" : r->units[row - 1].id);
            uf_month_format(m, f->c.period);
            f->c.old_value = old;
            f->c.new_value = now;
            snprintf(f->c.old_edition, sizeof f->c.old_edition, "%s", in->editions[e].edition);
        }
        rc = got < 0 ? -1 : 0;
        uf_csv_close(csv);
    }
    if (n)
        qsort(v, n, sizeof *v, in_order);
    if (rc == 0 && n > 0) {
        out->v = uf_xcalloc(n, sizeof *out->v);
        for (size_t i = 0; i < n; i++)
            out->v[i] = v[i].c;
        out->n = n;
    }
    free(v);
    free(seen);
    return rc;
}

void uf_changes_free(uf_changes *c)
{
    free(c->v);
    c->v = NULL;
    c->n = 0;
}
