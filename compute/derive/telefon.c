/* compute/derive/telefon.c — telefon_samma_dag from samtal.csv: calls answered, or
 * called back, on the local date of the call. */
#include "compute/derive.h"

enum { S_ENHET, S_TID, S_BESVARAD, S_OPPET, S_ID };
static const uf_column cols[] = {{"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"samtal_tid", UF_COL_REQUIRED},
                                 {"besvarad_tid", UF_COL_REQUIRED},
                                 {"inom_oppettid", 0},
                                 {"samtal_id", UF_COL_ID}};

static const char *const stamp = "en tidpunkt ÅÅÅÅ-MM-DD TT:MM";

int uf_telefon_read(uf_ctx *x, const char *name)
{
    uf_tally *t = uf_ctx_tally(x, UF_DER_TELEFON_SAMMA_DAG);
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0)
        return -1;
    int has_ids = uf_csv_has(r.csv, S_ID);
    uf_strtab *ids = NULL;
    uf_issue before = {0}, dup = {0};
    int rc;
    while ((rc = uf_reader_next(x, &r)) == 1) {
        size_t len;
        const char *s = uf_csv_get(r.csv, S_TID, &len);
        uf_day day, aday = 0;
        int minute, aminute = 0;
        if (uf_parse_timestamp(s, len, &day, &minute) < 0) {
            uf_reader_fail(&r, S_TID, 1, stamp, x->err);
            continue;
        }
        s = uf_csv_get(r.csv, S_BESVARAD, &len);
        int answered = len > 0;
        if (answered && uf_parse_timestamp(s, len, &aday, &aminute) < 0) {
            uf_reader_fail(&r, S_BESVARAD, 1, "en tidpunkt ÅÅÅÅ-MM-DD TT:MM eller tomt",
                                x->err);
            continue;
        }
        int open = 1;
        if (uf_csv_has(r.csv, S_OPPET) && uf_reader_flag(&r, S_OPPET, &open, x->err) < 0)
            continue;
        uint32_t u = uf_ctx_unit(x, S_ENHET);
        if (u == UF_NONE)
            continue;
        if (has_ids)
            uf_reader_note_id(&r, S_ID, &ids, &dup);
        int c = uf_reader_dated(x, &r, u, day, t);
        if (answered && (aday < day || (aday == day && aminute < minute))) {
            uf_issue_see(&before, uf_csv_line(r.csv));
            r.rejected++;
            continue;
        }
        if (c < 0 || !open || !t)
            continue;
        uf_nd *nd = &t->nd[u * UF_TREND + c];
        nd->den += 1;
        nd->num += answered && aday == day;
    }
    if (rc == 0) {
        uf_report_issue(x->out, name, &before, "besvarad före samtalet (raden räknas inte)");
        uf_report_issue(x->out, name, &dup, "samtal_id förekommer flera gånger");
    }
    if (ids)
        uf_strtab_free(ids);
    uf_reader_close(x, &r, 1);
    return rc < 0 ? -1 : 0;
}
