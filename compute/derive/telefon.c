/* compute/derive/telefon.c — telefon_samma_dag from samtal.csv: calls answered, or
 * called back, on the local date of the call.  Both cores read the file
 * (parallel.h): each counts its own rows, and the counts are added up. */
#include "compute/parallel.h"

#include <string.h>

enum { S_ENHET, S_TID, S_BESVARAD, S_OPPET, S_ID };
static const uf_column cols[] = {{"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"samtal_tid", UF_COL_REQUIRED},
                                 {"besvarad_tid", UF_COL_REQUIRED},
                                 {"inom_oppettid", 0},
                                 {"samtal_id", UF_COL_ID}};

static const char *const stamp = "en tidpunkt ÅÅÅÅ-MM-DD TT:MM";

enum { F_BEFORE, F_DUP, NFINDINGS };

typedef struct {
    int has_open;
    struct {
        uf_cells cells;
        uint32_t cols; /* bit c: a row dated in trend column c */
        uf_date_memo dates;
    } th[UF_THREADS];
} calls;

/* Phase 1: every row, in the order serial reading checks its fields. */
static int row(uf_parallel *c, int t, const uf_csv_row *r, uf_bad *b)
{
    calls *k = uf_parallel_arg(c);
    uf_date_memo *dates = &k->th[t].dates;
    uf_day day, aday = 0;
    uf_month month, amonth;
    int minute, aminute = 0;
    if (uf_parse_timestamp_memo(dates, r->f[S_TID], r->len[S_TID], &day, &month, &minute) < 0)
        return uf_bad_set(b, S_TID, 1, stamp);
    int answered = r->len[S_BESVARAD] > 0;
    if (answered && uf_parse_timestamp_memo(dates, r->f[S_BESVARAD], r->len[S_BESVARAD], &aday,
                                            &amonth, &aminute) < 0)
        return uf_bad_set(b, S_BESVARAD, 1, "en tidpunkt ÅÅÅÅ-MM-DD TT:MM eller tomt");
    /* an empty inom_oppettid is outside opening hours, as uf_reader_flag has it */
    int open = 1;
    if (k->has_open) {
        open = 0;
        if (r->len[S_OPPET] && uf_parse_flag(r->f[S_OPPET], r->len[S_OPPET], &open) < 0)
            return uf_bad_set(b, S_OPPET, 1, "J eller N");
    }
    uint32_t u = uf_parallel_unit_field(c, t, r, S_ENHET, b);
    if (u == UF_NONE)
        return -1;
    uf_parallel_note_id(c, t, r, S_ID, F_DUP);
    int col = uf_parallel_dated(c, t, u, month, &k->th[t].cols);
    if (answered && (aday < day || (aday == day && aminute < minute))) {
        uf_parallel_see(c, t, F_BEFORE, r->chunk, r->line);
        uf_parallel_reject(c, t);
        return 0;
    }
    if (col < 0 || !open)
        return 0;
    uf_cells_add(&k->th[t].cells, (size_t)u * UF_TREND + (size_t)col, answered && aday == day, 1);
    return 0;
}

static void reset(uf_parallel *c)
{
    calls *k = uf_parallel_arg(c);
    for (int t = 0; t < UF_THREADS; t++) {
        uf_cells_into(&k->th[t].cells, NULL, 0);
        k->th[t].cols = 0;
    }
}

int uf_telefon_read(uf_ctx *x, const char *name)
{
    uf_tally *t = uf_ctx_tally(x, UF_DER_TELEFON_SAMMA_DAG);
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0)
        return -1;
    calls k = {.has_open = uf_csv_has(r.csv, S_OPPET)};
    uf_issue found[NFINDINGS] = {{.count = 0}};
    /* nothing waits for a partition but the ids, which are parallel.h's */
    const uf_parallel_ops ops = {row, NULL, reset, &k, found, NFINDINGS};
    int rc = uf_parallel_read(x, &r, sizeof cols / sizeof *cols, &ops);
    for (int i = 0; i < UF_THREADS; i++) {
        for (int col = 0; t && col < UF_TREND; col++)
            t->month[col] |= k.th[i].cols >> col & 1;
        uf_cells_into(&k.th[i].cells, t, x->units.n * UF_TREND);
    }
    if (rc == 0) {
        uf_report_issue(x->out, name, &found[F_BEFORE],
                        "besvarad före samtalet (raden räknas inte)");
        uf_report_issue(x->out, name, &found[F_DUP], "samtal_id förekommer flera gånger");
    }
    uf_reader_close(x, &r, 1);
    return rc < 0 ? -1 : 0;
}
