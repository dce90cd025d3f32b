/* compute/derive/bedomning.c — bedomning_3d from kontakter.csv: a medical
 * assessment by licensed staff within 3 calendar days of the contact (the
 * contact day is day 0, weekends count).  Its parameters give the national
 * definition beside it in the same pass: over the completed assessments
 * only, within the guarantee's scope (vardgaranti = J).  Both cores read the
 * file (parallel.h): each counts its own rows, and the counts are added up. */
#include "compute/parallel.h"

#include <stdlib.h>

enum { K_ENHET, K_KONTAKT, K_BEDOMNING, K_LEGITIMERAD, K_VANTAN, K_ID, K_VARDGARANTI };
static const uf_column cols[] = {{"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"kontaktdatum", UF_COL_REQUIRED},
                                 {"bedomningsdatum", UF_COL_REQUIRED},
                                 {"legitimerad", UF_COL_REQUIRED},
                                 {"patientvald_vantan", 0},
                                 {"kontakt_id", UF_COL_ID},
                                 {"vardgaranti", 0}};

enum { F_BEFORE, F_DUP, F_UNSCOPED, NFINDINGS };

typedef struct {
    uf_tally **v; /* one tally per set of parameters, all filled in this one pass */
    size_t nv;
    int has_scope;
    struct {
        uf_cells *cells; /* per variant */
        uint32_t cols;   /* bit c: a row dated in trend column c */
        uf_date_memo dates;
    } th[UF_THREADS];
} contacts;

static int flag(const uf_csv_row *r, int col, int *out, uf_bad *b)
{
    *out = 0;
    if (r->len[col] && uf_parse_flag(r->f[col], r->len[col], out) < 0)
        return uf_bad_set(b, col, 1, "J eller N");
    return 0;
}

/* Phase 1: every row, in the order serial reading checks its fields. */
static int row(uf_parallel *c, int t, const uf_csv_row *r, uf_bad *b)
{
    contacts *k = uf_parallel_arg(c);
    uf_date_memo *dates = &k->th[t].dates;
    uf_day kontakt, bedomning = 0;
    uf_month month, bmonth;
    if (uf_parse_date_memo(dates, r->f[K_KONTAKT], r->len[K_KONTAKT], &kontakt, &month) < 0)
        return uf_bad_set(b, K_KONTAKT, 1, "ett datum ÅÅÅÅ-MM-DD");
    int assessed = r->len[K_BEDOMNING] > 0;
    if (assessed && uf_parse_date_memo(dates, r->f[K_BEDOMNING], r->len[K_BEDOMNING], &bedomning,
                                       &bmonth) < 0)
        return uf_bad_set(b, K_BEDOMNING, 1, "ett datum ÅÅÅÅ-MM-DD eller tomt");
    /* an empty legitimerad only makes sense when nobody assessed */
    int licensed = 0, chose, in_scope;
    if ((r->len[K_LEGITIMERAD] || assessed) &&
        uf_parse_flag(r->f[K_LEGITIMERAD], r->len[K_LEGITIMERAD], &licensed) < 0)
        return uf_bad_set(b, K_LEGITIMERAD, 1, "J eller N");
    if (flag(r, K_VANTAN, &chose, b) < 0 || flag(r, K_VARDGARANTI, &in_scope, b) < 0)
        return -1;
    int scoped = r->len[K_VARDGARANTI] > 0;
    uint32_t u = uf_parallel_unit_field(c, t, r, K_ENHET, b);
    if (u == UF_NONE)
        return -1;
    uf_parallel_note_id(c, t, r, K_ID, F_DUP);
    int col = uf_parallel_dated(c, t, u, month, &k->th[t].cols);
    if (assessed && bedomning < kontakt) {
        uf_parallel_see(c, t, F_BEFORE, r->chunk, r->line);
        uf_parallel_reject(c, t);
        return 0;
    }
    if (col < 0 || chose)
        return 0;
    int completed = assessed && licensed, met = completed && bedomning - kontakt <= 3;
    if (k->has_scope && !scoped)
        uf_parallel_see(c, t, F_UNSCOPED, r->chunk, r->line);
    for (size_t i = 0; i < k->nv; i++) {
        const uf_params *pm = &k->v[i]->ind->params;
        if ((pm->scope && !in_scope) || (pm->completed_only && !completed))
            continue;
        uf_cells_add(&k->th[t].cells[i], (size_t)u * UF_TREND + (size_t)col, met, 1);
    }
    return 0;
}

static void reset(uf_parallel *c)
{
    contacts *k = uf_parallel_arg(c);
    for (int t = 0; t < UF_THREADS; t++) {
        for (size_t i = 0; i < k->nv; i++)
            uf_cells_into(&k->th[t].cells[i], NULL, 0);
        k->th[t].cols = 0;
    }
}

int uf_bedomning_read(uf_ctx *x, const char *name)
{
    contacts k = {.v = uf_xcalloc(x->ntallies + 1, sizeof *k.v)};
    uf_tally *t;
    for (size_t at = 0; (t = uf_ctx_tally_next(x, UF_DER_BEDOMNING_3D, &at));)
        k.v[k.nv++] = t;
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0) {
        free(k.v);
        return -1;
    }
    k.has_scope = uf_csv_has(r.csv, K_VARDGARANTI);
    /* every variant marks the months the file covers; one without its scope
     * column is not computed */
    for (size_t i = 0; i < k.nv; i++)
        if (k.v[i]->ind->params.scope && !k.has_scope)
            uf_tally_absent(x, k.v[i], name, "kolumnen vardgaranti saknas");
    for (int i = 0; i < UF_THREADS; i++)
        k.th[i].cells = uf_xcalloc(k.nv + 1, sizeof *k.th[i].cells);
    uf_issue found[NFINDINGS] = {{.count = 0}};
    /* nothing waits for a partition but the ids, which are parallel.h's */
    const uf_parallel_ops ops = {row, NULL, reset, &k, found, NFINDINGS};
    int rc = uf_parallel_read(x, &r, sizeof cols / sizeof *cols, &ops);
    for (int i = 0; i < UF_THREADS; i++) {
        for (size_t j = 0; j < k.nv; j++) {
            for (int col = 0; col < UF_TREND; col++)
                k.v[j]->month[col] |= k.th[i].cols >> col & 1;
            uf_cells_into(&k.th[i].cells[j], k.v[j], x->units.n * UF_TREND);
        }
        free(k.th[i].cells);
    }
    if (rc == 0) {
        uf_report_issue(x->out, name, &found[F_BEFORE],
                        "bedömning före kontakt (raden räknas inte)");
        uf_report_issue(x->out, name, &found[F_DUP], "kontakt_id förekommer flera gånger");
        for (size_t i = 0; i < k.nv; i++)
            if (k.v[i]->ind->params.scope && k.has_scope) {
                uf_report_issue(x->out, name, &found[F_UNSCOPED],
                                "vardgaranti är tom: kontakten räknas inte i %s",
                                k.v[i]->ind->id);
                break;
            }
    }
    uf_reader_close(x, &r, 1);
    free(k.v);
    return rc < 0 ? -1 : 0;
}
