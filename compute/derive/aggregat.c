/* compute/derive/aggregat.c — indicators delivered already counted: aggregat.csv
 * rows (or a pulled file of the same form) per indicator, unit and month. */
#include "compute/derive.h"

#include <string.h>

enum { A_INDIKATOR, A_ENHET, A_PERIOD, A_TALJARE, A_NAMNARE, A_VARDE, A_N };
static const uf_column cols[] = {{"indikator", UF_COL_REQUIRED},
                                 {"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"period", UF_COL_REQUIRED},
                                 {"taljare", 0},
                                 {"namnare", 0},
                                 {"varde", 0},
                                 {"n", 0}};

/* The aggregat tally this file feeds for the indicator id in s. */
static uf_tally *tally_for(uf_ctx *x, const char *name, const char *s, size_t len)
{
    for (size_t i = 0; i < x->ntallies; i++) {
        uf_tally *t = &x->tallies[i];
        const char *src = t->ind->source && t->ind->source[0] ? t->ind->source : "aggregat.csv";
        if (t->ind->derivation == UF_DER_AGGREGAT && strlen(t->ind->id) == len &&
            memcmp(t->ind->id, s, len) == 0 && strcmp(src, name) == 0)
            return t;
    }
    return NULL;
}

/* The number in column col; an empty field is reported as missing. */
static int number(uf_reader *r, size_t col, double *out, uf_error *err)
{
    size_t len;
    const char *s = uf_csv_get(r->csv, col, &len);
    if (uf_parse_number(s, len, out) < 0)
        return uf_reader_fail(r, col, 1, "ett tal", err);
    return 0;
}

/* A delivered figure is published as it is, so what cannot be is refused:
 * no count (namnare, n) is negative; a share (procent) has 0 <= taljare <=
 * namnare and 0 <= varde <= 1 (24,8 where 0,248 is due is the usual slip);
 * a count indicator's taljare and varde are not negative either.  An index
 * may be negative (a balance figure), its n may not. */
static int in_range(uf_reader *r, const uf_indicator *ind, size_t col, double v, double den,
                    uf_error *err)
{
    char expected[200];
    int share = ind->kind == UF_KIND_PERCENT, count = col == A_NAMNARE || col == A_N;
    if (v < 0 && (count || ind->kind != UF_KIND_INDEX))
        return uf_reader_fail(r, col, 1, "ett tal som inte är negativt", err);
    if (share && col == A_TALJARE && v > den) {
        snprintf(expected, sizeof expected,
                 "en täljare som inte är större än nämnaren %s (indikatorn %s är en andel)",
                 uf_csv_get(r->csv, A_NAMNARE, NULL), ind->id);
        return uf_reader_fail(r, col, 1, expected, err);
    }
    if (share && col == A_VARDE && v > 1) {
        char hint[64] = "";
        if (v <= 100) {
            snprintf(hint, sizeof hint, "; %s %% skrivs %.10g", uf_csv_get(r->csv, A_VARDE, NULL),
                     v / 100);
            char *dot = strchr(hint, '.');
            if (dot) /* a decimal comma, as the file has it */
                *dot = ',';
        }
        snprintf(expected, sizeof expected,
                 "en andel mellan 0 och 1 (indikatorn %s är en andel%s)", ind->id, hint);
        return uf_reader_fail(r, col, 1, expected, err);
    }
    return 0;
}

/* num and den from taljare;namnare, or from varde;n as varde * n over n. */
static int counts(uf_reader *r, const uf_indicator *ind, int pairs, double *num, double *den,
                  uf_error *err)
{
    size_t len;
    if (pairs && (uf_csv_get(r->csv, A_TALJARE, &len), len > 0))
        return number(r, A_TALJARE, num, err) < 0 || number(r, A_NAMNARE, den, err) < 0 ||
                       in_range(r, ind, A_NAMNARE, *den, *den, err) < 0 ||
                       in_range(r, ind, A_TALJARE, *num, *den, err) < 0
                   ? -1
                   : 0;
    double v;
    if (number(r, A_VARDE, &v, err) < 0 || number(r, A_N, den, err) < 0 ||
        in_range(r, ind, A_N, *den, *den, err) < 0 || in_range(r, ind, A_VARDE, v, *den, err) < 0)
        return -1;
    *num = v * *den;
    return 0;
}

/* Rows no indicator takes (an id misspelt, or not delivered this way):
 * counted and named, never dropped silently.  ids holds the first few. */
typedef struct {
    uf_issue rows;
    char ids[120];
    int nids;
} unused;

static void unused_see(unused *u, const char *id, size_t len, long line)
{
    uf_issue_see(&u->rows, line);
    size_t used = strlen(u->ids);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%.*s\"", (int)(len < 40 ? len : 40), id);
    if (strstr(u->ids, quoted))
        return;
    if (u->nids++ < 4)
        snprintf(u->ids + used, sizeof u->ids - used, "%s%s", used ? ", " : "", quoted);
    else if (u->nids == 5)
        snprintf(u->ids + used, sizeof u->ids - used, " m.fl.");
}

int uf_aggregat_read(uf_ctx *x, const char *name)
{
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0)
        return -1;
    int pairs = uf_csv_has(r.csv, A_TALJARE) && uf_csv_has(r.csv, A_NAMNARE);
    int rc = 1;
    if (!pairs && !(uf_csv_has(r.csv, A_VARDE) && uf_csv_has(r.csv, A_N))) {
        uf_error_set(x->err, UF_ERR_INPUT, name, 1, 0, NULL,
                     "väntade kolumnerna taljare och namnare, eller varde och n");
        rc = -1;
    }
    unused u = {0};
    while (rc > 0 && (rc = uf_reader_next(x, &r)) == 1) {
        size_t len;
        const char *s = uf_csv_get(r.csv, A_INDIKATOR, &len);
        uf_tally *t = tally_for(x, name, s, len);
        if (!t) {
            unused_see(&u, s, len, uf_csv_line(r.csv));
            continue;
        }
        uf_month m;
        if (uf_month_parse(uf_csv_get(r.csv, A_PERIOD, &len), &m) < 0) {
            uf_reader_fail(&r, A_PERIOD, 1, "en period ÅÅÅÅ-MM", x->err);
            continue;
        }
        double num, den;
        if (counts(&r, t->ind, pairs, &num, &den, x->err) < 0)
            continue;
        s = uf_csv_get(r.csv, A_ENHET, &len);
        int region = strcmp(s, "REGION") == 0;
        uint32_t u = region ? UF_NONE : uf_ctx_unit(x, A_ENHET);
        if (!region && u == UF_NONE)
            continue;
        int c = uf_ctx_col(x, m);
        if (c < 0)
            continue;
        uf_nd *nd = region ? &t->region[c] : &t->nd[u * UF_TREND + c];
        nd->num += num;
        nd->den += den;
        if (region)
            t->region_set[c] = 1;
        else
            t->has[u * UF_TREND + c] = 1;
    }
    if (rc == 0)
        uf_report_issue(x->out, name, &u.rows,
                        "rader används inte: ingen indikator räknas ur %s med id:t %s", name,
                        u.ids);
    uf_reader_close(x, &r, 0);
    return rc < 0 ? -1 : 0;
}
