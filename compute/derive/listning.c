/* compute/derive/listning.c — the listing snapshot at the end of P: fast
 * läkarkontakt (all listed and säbo), listed patients per fixed GP, and the
 * unit each patient belongs to for the continuity index. */
#include "compute/derive.h"

#include <stdlib.h>
#include <string.h>

enum { L_PATIENT, L_ENHET, L_LAKARE, L_SABO };
static const uf_column cols[] = {
    {"patient_id", UF_COL_REQUIRED | UF_COL_ID},
    {"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
    {"fast_lakare", UF_COL_REQUIRED | UF_COL_ID},
    {"sabo", 0}};

/* The distinct (unit, GP) pairs: a small open-addressing set of both
 * indices in one key. */
typedef struct {
    uint64_t *v; /* 0 = empty, so keys are stored + 1 */
    size_t n, cap;
} pairset;

static int pairset_add(pairset *s, uint64_t key)
{
    if (2 * (s->n + 1) > s->cap) {
        pairset bigger = {.cap = s->cap ? s->cap * 2 : 1024};
        bigger.v = uf_xcalloc(bigger.cap, sizeof *bigger.v);
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i])
                pairset_add(&bigger, s->v[i] - 1);
        free(s->v);
        *s = bigger;
    }
    key++;
    uint64_t h = key * 0x9e3779b97f4a7c15u;
    size_t i = (size_t)(h ^ h >> 32) & (s->cap - 1);
    while (s->v[i]) {
        if (s->v[i] == key)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->v[i] = key;
    s->n++;
    return 1;
}

static void set_listed(uf_ctx *x, int part, uint32_t patient, uint32_t unit)
{
    if (patient >= x->nlisted[part]) {
        size_t old = x->nlisted[part], n = old ? old * 2 : 1 << 16;
        while (n <= patient)
            n *= 2;
        x->listed[part] = uf_xrealloc(x->listed[part], n * sizeof *x->listed[part]);
        memset(x->listed[part] + old, 0xff, (n - old) * sizeof *x->listed[part]);
        x->nlisted[part] = n;
    }
    x->listed[part][patient] = unit;
}

int uf_listning_read(uf_ctx *x, const char *name)
{
    uf_tally *all = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT);
    uf_tally *sabo = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT_SABO);
    uf_tally *per_gp = uf_ctx_tally(x, UF_DER_LISTADE_PER_FAST_LAKARE);
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0)
        return -1;
    int has_sabo = uf_csv_has(r.csv, L_SABO);
    for (int i = 0; i < UF_PARTS; i++)
        if (!x->patients[i])
            x->patients[i] = uf_strtab_new();
    uf_strtab *gps = uf_strtab_new();
    pairset pairs = {0};
    uf_issue dup = {0};
    const int c = UF_TREND - 1;
    int rc;
    while ((rc = uf_reader_next(x, &r)) == 1) {
        size_t len;
        const char *s = uf_csv_get(r.csv, L_PATIENT, &len);
        if (len == 0) {
            uf_reader_fail(&r, L_PATIENT, 0, "ett patient-id", x->err);
            continue;
        }
        int added, in_sabo = 0;
        uint32_t h = uf_strtab_hash(s, len), part = UF_PART(h);
        uint32_t p = uf_strtab_intern_hashed(x->patients[part], s, len, h, &added);
        if (has_sabo && uf_reader_flag(&r, L_SABO, &in_sabo, x->err) < 0)
            continue;
        uint32_t u = uf_ctx_unit(x, L_ENHET);
        if (u == UF_NONE)
            continue;
        r.seen.rows_p[u]++; /* a snapshot: every row is month P */
        if (!added) {
            uf_issue_see(&dup, uf_csv_line(r.csv));
            continue;
        }
        set_listed(x, (int)part, p, u);
        const char *gp = uf_csv_get(r.csv, L_LAKARE, &len);
        int fixed = len > 0;
        if (fixed && per_gp) {
            uint32_t g = uf_strtab_intern(gps, gp, len, &added);
            per_gp->nd[u * UF_TREND + c].num += 1;
            per_gp->nd[u * UF_TREND + c].den += pairset_add(&pairs, (uint64_t)u << 32 | g);
        }
        if (all) {
            all->nd[u * UF_TREND + c].num += fixed;
            all->nd[u * UF_TREND + c].den += 1;
        }
        if (sabo && in_sabo) {
            sabo->nd[u * UF_TREND + c].num += fixed;
            sabo->nd[u * UF_TREND + c].den += 1;
        }
    }
    /* a snapshot: only month P exists; without the säbo column, no subgroup */
    if (all)
        all->month[c] = 1;
    if (per_gp)
        per_gp->month[c] = 1;
    if (sabo && has_sabo)
        sabo->month[c] = 1;
    if (rc == 0) {
        uf_report_issue(x->out, name, &dup,
                        "patient_id förekommer flera gånger (den första raden räknas)");
        if (!has_sabo && sabo)
            uf_report_issue(x->out, name, &(uf_issue){.count = 1},
                            "kolumnen sabo saknas: %s kan inte beräknas", sabo->ind->id);
    }
    free(pairs.v);
    uf_strtab_free(gps);
    uf_reader_close(x, &r, 1);
    return rc < 0 ? -1 : 0;
}
