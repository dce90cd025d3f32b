/* compute/editions.c — earlier months of the trend from earlier published
 * editions.  A snapshot extract (listning.csv) holds month P only, yet the
 * nämnd follows the trend: a month the extracts do not cover is shown as
 * its own edition published it, and never estimated (SPEC "Inputs"). */
#include "editions.h"
#include "derive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C_IND, C_UNIT, C_PERIOD, C_NUM, C_DEN, C_STATUS, NCOLS };
static const uf_column columns[NCOLS] = {{"indikator", 1}, {"enhet_id", 1}, {"period", 1},
                                         {"taljare", 1},   {"namnare", 1},  {"status", 0}};

/* A number as resultat-P.csv writes it ("%.10g", C locale). */
static int parse_c_number(const char *s, size_t len, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return len > 0 && end == s + len && isfinite(*out) ? 0 : -1;
}

const char *uf_resultat_text(const uf_csv *csv, size_t col)
{
    const char *s = uf_csv_get(csv, col, NULL);
    return s + (s[0] == '\'');
}

/* The rows for month m of one edition into the columns col of the series
 * whose column open[] says the extracts left empty. */
static int fill_one(uf_report *r, const char *path, const char *display, const char *period,
                    int col, const unsigned char *open, uf_error *err)
{
    uf_csv *csv = uf_csv_open(path, display, columns, NCOLS, NULL, 0, err);
    if (!csv)
        return -1;
    int got;
    while ((got = uf_csv_next(csv, err)) == 1) {
        long s, row;
        if (strcmp(uf_resultat_text(csv, C_PERIOD), period) != 0 ||
            (s = uf_report_series(r, uf_resultat_text(csv, C_IND))) < 0 ||
            !open[s * UF_TREND + col] ||
            strcmp(uf_resultat_text(csv, C_STATUS), uf_status_word(UF_ST_NODATA)) == 0)
            continue; /* underlag saknas: that edition had no figure, and shows none */
        const char *unit = uf_resultat_text(csv, C_UNIT);
        if ((row = uf_report_row(r, unit)) < 0) {
            uf_issue seen = {0};
            uf_issue_see(&seen, uf_csv_line(csv));
            uf_report_issue(r, display, &seen,
                            "enheten %s finns inte bland månadens enheter; dess siffror för %s "
                            "visas inte",
                            unit, period);
            continue;
        }
        size_t nlen, dlen;
        const char *num = uf_csv_get(csv, C_NUM, &nlen), *den = uf_csv_get(csv, C_DEN, &dlen);
        uf_cell *c = uf_report_cell(r, (size_t)s, (size_t)row, col);
        if (nlen == 0) {
            c->num = NAN; /* suppressed when published: the count is not known */
        } else if (parse_c_number(num, nlen, &c->num) < 0) {
            uf_csv_field_error(csv, C_NUM, 1, "ett tal eller tomt", err);
            got = -1;
            break;
        }
        if (parse_c_number(den, dlen, &c->den) < 0) {
            uf_csv_field_error(csv, C_DEN, 1, "ett tal", err);
            got = -1;
            break;
        }
        c->present = 1;
    }
    uf_csv_close(csv);
    return got < 0 ? -1 : 0;
}

int uf_editions_fill(uf_report *r, const uf_inputs *earlier, uf_error *err)
{
    uf_month first = r->period - (UF_TREND - 1);
    /* Decided before any filling: a month the extracts cover for even one
     * unit is theirs, so that a column never mixes two sources. */
    unsigned char *open = uf_xcalloc(r->nseries * UF_TREND + 1, 1);
    for (size_t s = 0; s < r->nseries; s++)
        for (int c = 0; c < UF_TREND - 1 && (r->series[s].computed || r->series[s].lacks); c++) {
            open[s * UF_TREND + (size_t)c] = 1;
            for (size_t row = 0; row <= r->nunits; row++)
                if (uf_report_cell(r, s, row, c)->present)
                    open[s * UF_TREND + (size_t)c] = 0;
        }
    int rc = 0;
    for (size_t e = 0; e < earlier->neditions && rc == 0; e++) {
        uf_month m;
        const char *period = earlier->editions[e].period;
        if (uf_month_parse(period, &m) == 0 && m >= first && m < r->period)
            rc = fill_one(r, earlier->editions[e].path, earlier->editions[e].name, period,
                          (int)(m - first), open, err);
    }
    free(open);
    return rc;
}
