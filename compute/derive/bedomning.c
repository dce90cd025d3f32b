/* compute/derive/bedomning.c — bedomning_3d from kontakter.csv: a medical
 * assessment by licensed staff within 3 calendar days of the contact (the
 * contact day is day 0, weekends count).  Its parameters give the national
 * definition beside it in the same pass: over the completed assessments
 * only, within the guarantee's scope (vardgaranti = J). */
#include "compute/derive.h"

#include <stdlib.h>

enum { K_ENHET, K_KONTAKT, K_BEDOMNING, K_LEGITIMERAD, K_VANTAN, K_ID, K_VARDGARANTI };
static const uf_column cols[] = {{"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"kontaktdatum", UF_COL_REQUIRED},
                                 {"bedomningsdatum", UF_COL_REQUIRED},
                                 {"legitimerad", UF_COL_REQUIRED},
                                 {"patientvald_vantan", 0},
                                 {"kontakt_id", UF_COL_ID},
                                 {"vardgaranti", 0}};

int uf_bedomning_read(uf_ctx *x, const char *name)
{
    /* one tally per set of parameters, all filled in this one pass */
    uf_tally **v = uf_xcalloc(x->ntallies + 1, sizeof *v), *t;
    size_t nv = 0;
    for (size_t at = 0; (t = uf_ctx_tally_next(x, UF_DER_BEDOMNING_3D, &at));)
        v[nv++] = t;
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0) {
        free(v);
        return -1;
    }
    int has_ids = uf_csv_has(r.csv, K_ID), has_scope = uf_csv_has(r.csv, K_VARDGARANTI);
    /* every variant marks the months the file covers; one without its scope
     * column is not computed */
    for (size_t i = 0; i < nv; i++)
        if (v[i]->ind->params.scope && !has_scope)
            uf_tally_absent(x, v[i], name, "kolumnen vardgaranti saknas");
    uf_strtab *ids = NULL;
    uf_issue before = {0}, dup = {0}, unscoped = {0};
    int rc;
    while ((rc = uf_reader_next(x, &r)) == 1) {
        size_t len;
        const char *s = uf_csv_get(r.csv, K_KONTAKT, &len);
        uf_day kontakt, bedomning = 0;
        if (uf_parse_date(s, len, &kontakt) < 0) {
            uf_reader_fail(&r, K_KONTAKT, 1, "ett datum ÅÅÅÅ-MM-DD", x->err);
            continue;
        }
        s = uf_csv_get(r.csv, K_BEDOMNING, &len);
        int assessed = len > 0;
        if (assessed && uf_parse_date(s, len, &bedomning) < 0) {
            uf_reader_fail(&r, K_BEDOMNING, 1, "ett datum ÅÅÅÅ-MM-DD eller tomt", x->err);
            continue;
        }
        /* an empty legitimerad only makes sense when nobody assessed */
        int licensed = 0, chose = 0;
        s = uf_csv_get(r.csv, K_LEGITIMERAD, &len);
        if ((len || assessed) && uf_parse_flag(s, len, &licensed) < 0) {
            uf_reader_fail(&r, K_LEGITIMERAD, 1, "J eller N", x->err);
            continue;
        }
        if (uf_reader_flag(&r, K_VANTAN, &chose, x->err) < 0)
            continue;
        int in_scope = 0;
        s = uf_csv_get(r.csv, K_VARDGARANTI, &len);
        int scoped = len > 0;
        if (scoped && uf_parse_flag(s, len, &in_scope) < 0) {
            uf_reader_fail(&r, K_VARDGARANTI, 1, "J eller N", x->err);
            continue;
        }
        uint32_t u = uf_ctx_unit(x, K_ENHET);
        if (u == UF_NONE)
            continue;
        if (has_ids)
            uf_reader_note_id(&r, K_ID, &ids, &dup);
        int c = uf_reader_dated(x, &r, u, kontakt, NULL);
        for (size_t i = 0; i < nv && c >= 0; i++)
            v[i]->month[c] = 1;
        if (assessed && bedomning < kontakt) {
            uf_issue_see(&before, uf_csv_line(r.csv));
            r.rejected++;
            continue;
        }
        if (c < 0 || chose)
            continue;
        int completed = assessed && licensed, met = completed && bedomning - kontakt <= 3;
        if (has_scope && !scoped)
            uf_issue_see(&unscoped, uf_csv_line(r.csv));
        for (size_t i = 0; i < nv; i++) {
            const uf_params *pm = &v[i]->ind->params;
            if ((pm->scope && !in_scope) || (pm->completed_only && !completed))
                continue;
            uf_nd *nd = &v[i]->nd[u * UF_TREND + c];
            nd->den += 1;
            nd->num += met;
        }
    }
    if (rc == 0) {
        uf_report_issue(x->out, name, &before, "bedömning före kontakt (raden räknas inte)");
        uf_report_issue(x->out, name, &dup, "kontakt_id förekommer flera gånger");
        for (size_t i = 0; i < nv; i++)
            if (v[i]->ind->params.scope && has_scope) {
                uf_report_issue(x->out, name, &unscoped,
                                "vardgaranti är tom: kontakten räknas inte i %s",
                                v[i]->ind->id);
                break;
            }
    }
    if (ids)
        uf_strtab_free(ids);
    uf_reader_close(x, &r, 1);
    free(v);
    return rc < 0 ? -1 : 0;
}
