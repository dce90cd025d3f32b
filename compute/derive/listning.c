/* compute/derive/listning.c — the listing snapshot at the end of P: fast
 * läkarkontakt (all listed and säbo), listed patients per fixed GP (per
 * head, or per full-time post from lakare.csv), and the unit and listing
 * flags of each patient for the continuity index. */
#include "compute/derive.h"

#include <stdlib.h>
#include <string.h>

enum { L_PATIENT, L_ENHET, L_LAKARE, L_SABO };
static const uf_column cols[] = {
    {"patient_id", UF_COL_REQUIRED | UF_COL_ID},
    {"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
    {"fast_lakare", UF_COL_REQUIRED | UF_COL_ID},
    {"sabo", 0}};

enum { D_VARDGIVARE, D_ENHET, D_GRAD, D_ST };
static const uf_column doctor_cols[] = {
    {"vardgivare_id", UF_COL_REQUIRED | UF_COL_ID},
    {"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
    {"tjanstgoringsgrad", UF_COL_REQUIRED},
    {"st", 0}};

/* (unit, GP) pairs, both indices in one key, each with a number: a small
 * open-addressing map. */
typedef struct {
    uint64_t *key; /* 0 = empty, so keys are stored + 1 */
    double *value;
    size_t n, cap;
} pairmap;

static uint64_t pair(uint32_t unit, uint32_t gp) { return (uint64_t)unit << 32 | gp; }

static size_t pairmap_slot(const pairmap *m, uint64_t stored)
{
    uint64_t h = stored * 0x9e3779b97f4a7c15u;
    size_t i = (size_t)(h ^ h >> 32) & (m->cap - 1);
    while (m->key[i] && m->key[i] != stored)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* 1 when key is new (it gets value), 0 when it was there. */
static int pairmap_add(pairmap *m, uint64_t key, double value)
{
    if (2 * (m->n + 1) > m->cap) {
        pairmap bigger = {.cap = m->cap ? m->cap * 2 : 1024};
        bigger.key = uf_xcalloc(bigger.cap, sizeof *bigger.key);
        bigger.value = uf_xcalloc(bigger.cap, sizeof *bigger.value);
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i])
                pairmap_add(&bigger, m->key[i] - 1, m->value[i]);
        free(m->key);
        free(m->value);
        *m = bigger;
    }
    size_t i = pairmap_slot(m, key + 1);
    if (m->key[i])
        return 0;
    m->key[i] = key + 1;
    m->value[i] = value;
    m->n++;
    return 1;
}

static int pairmap_get(const pairmap *m, uint64_t key, double *value)
{
    if (!m->cap)
        return 0;
    size_t i = pairmap_slot(m, key + 1);
    if (m->key[i])
        *value = m->value[i];
    return m->key[i] != 0;
}

static void pairmap_free(pairmap *m)
{
    free(m->key);
    free(m->value);
}

static void set_listed(uf_ctx *x, int part, uint32_t patient, uint32_t unit, int flags,
                       unsigned char f)
{
    if (patient >= x->nlisted[part]) {
        size_t old = x->nlisted[part], n = old ? old * 2 : 1 << 16;
        while (n <= patient)
            n *= 2;
        x->listed[part] = uf_xrealloc(x->listed[part], n * sizeof *x->listed[part]);
        memset(x->listed[part] + old, 0xff, (n - old) * sizeof *x->listed[part]);
        if (flags) {
            x->flags[part] = uf_xrealloc(x->flags[part], n);
            memset(x->flags[part] + old, 0, n - old);
        }
        x->nlisted[part] = n;
    }
    x->listed[part][patient] = unit;
    if (flags)
        x->flags[part][patient] = f;
}

/* The listing flags the continuity index's subgroups ask for. */
static unsigned wanted_flags(uf_ctx *x)
{
    unsigned f = 0;
    uf_tally *t;
    for (size_t at = 0; (t = uf_ctx_tally_next(x, UF_DER_KONTINUITET_COC, &at));)
        f |= uf_listing_flag(t->ind->params.subgroup);
    for (size_t at = 0; (t = uf_ctx_tally_next(x, UF_DER_KONTINUITET_UPC, &at));)
        f |= uf_listing_flag(t->ind->params.subgroup);
    return f;
}

/* lakare.csv: each fixed GP's full-time share at a unit, an ST doctor's
 * counted half (Socialstyrelsen: 1 100 per specialist, 550 per ST doctor). */
static int read_doctors(uf_ctx *x, uf_strtab *gps, pairmap *fte)
{
    static const char *const grade = "tjänstgöringsgraden som en andel från 0 till 1 (1 = heltid)";
    const char *name = "lakare.csv";
    uf_reader r;
    if (uf_reader_open(x, &r, name, doctor_cols, sizeof doctor_cols / sizeof *doctor_cols) < 0)
        return -1;
    uf_issue dup = {0};
    int rc;
    while ((rc = uf_reader_next(x, &r)) == 1) {
        size_t len;
        const char *s = uf_csv_get(r.csv, D_VARDGIVARE, &len);
        double g;
        int st = 0, added;
        if (len == 0) {
            rc = uf_reader_fail(&r, D_VARDGIVARE, 0, "ett vårdgivar-id", x->err);
            break;
        }
        uint32_t gp = uf_strtab_intern(gps, s, len, &added);
        uint32_t u = uf_ctx_unit(x, D_ENHET);
        if (u == UF_NONE) {
            rc = -1;
            break;
        }
        s = uf_csv_get(r.csv, D_GRAD, &len);
        if (uf_parse_number(s, len, &g) < 0 || !(g >= 0 && g <= 1)) {
            rc = uf_reader_fail(&r, D_GRAD, 1,
                                g > 1 && g <= 100 ? "tjänstgöringsgraden som en andel från 0 "
                                                    "till 1 (0,75), inte i procent"
                                                  : grade,
                                x->err);
            break;
        }
        if (uf_reader_flag(&r, D_ST, &st, x->err) < 0) {
            rc = -1;
            break;
        }
        r.seen.rows_p[u]++; /* a snapshot: every row is month P */
        if (!pairmap_add(fte, pair(u, gp), st ? g / 2 : g)) {
            uf_issue_see(&dup, uf_csv_line(r.csv));
            r.rejected++;
        }
    }
    if (rc == 0)
        uf_report_issue(x->out, name, &dup,
                        "samma läkare på samma enhet förekommer flera gånger (den första raden "
                        "räknas)");
    uf_reader_close(x, &r, 0);
    return rc < 0 ? -1 : 0;
}

int uf_listning_read(uf_ctx *x, const char *name)
{
    uf_tally *all = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT);
    uf_tally *sabo = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT_SABO);
    uf_tally *per_gp = NULL, *per_fte = NULL, *t;
    for (size_t at = 0; (t = uf_ctx_tally_next(x, UF_DER_LISTADE_PER_FAST_LAKARE, &at));)
        *(t->ind->params.per_fte ? &per_fte : &per_gp) = t;
    unsigned flags = wanted_flags(x);
    uf_strtab *gps = uf_strtab_new();
    pairmap pairs = {0}, fte = {0};
    if (per_fte && read_doctors(x, gps, &fte) < 0) {
        uf_strtab_free(gps);
        pairmap_free(&fte);
        return -1;
    }
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0) {
        uf_strtab_free(gps);
        pairmap_free(&fte);
        return -1;
    }
    int has_sabo = uf_csv_has(r.csv, L_SABO);
    for (int i = 0; i < UF_PARTS; i++)
        if (!x->patients[i])
            x->patients[i] = uf_strtab_new();
    uf_issue dup = {0}, unstaffed = {0};
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
        set_listed(x, (int)part, p, u, flags != 0, in_sabo ? UF_FLAG_SABO : 0);
        const char *gp = uf_csv_get(r.csv, L_LAKARE, &len);
        int fixed = len > 0;
        if (fixed && (per_gp || per_fte)) {
            uint32_t g = uf_strtab_intern(gps, gp, len, &added);
            /* a fixed GP counts once at each unit: as a head, or with the
             * post lakare.csv gives (full time where it has none) */
            int first = pairmap_add(&pairs, pair(u, g), 0);
            double post = 1;
            if (first && per_fte && !pairmap_get(&fte, pair(u, g), &post))
                uf_issue_see(&unstaffed, uf_csv_line(r.csv));
            if (per_gp) {
                per_gp->nd[u * UF_TREND + c].num += 1;
                per_gp->nd[u * UF_TREND + c].den += first;
            }
            if (per_fte) {
                per_fte->nd[u * UF_TREND + c].num += 1;
                per_fte->nd[u * UF_TREND + c].den += first ? post : 0;
            }
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
    /* a snapshot: only month P exists */
    if (all)
        all->month[c] = 1;
    if (per_gp)
        per_gp->month[c] = 1;
    if (per_fte)
        per_fte->month[c] = 1;
    if (sabo && has_sabo)
        sabo->month[c] = 1;
    if (rc == 0) {
        uf_report_issue(x->out, name, &dup,
                        "patient_id förekommer flera gånger (den första raden räknas)");
        if (per_fte)
            uf_report_issue(x->out, "lakare.csv", &unstaffed,
                            "fast läkare i listning.csv saknas för enheten i lakare.csv och "
                            "räknas som heltid i %s",
                            per_fte->ind->id);
        if (!has_sabo && sabo)
            uf_tally_absent(x, sabo, name, "kolumnen sabo saknas");
    }
    if (has_sabo)
        x->listing_flags |= UF_FLAG_SABO;
    pairmap_free(&pairs);
    pairmap_free(&fte);
    uf_strtab_free(gps);
    uf_reader_close(x, &r, 1);
    return rc < 0 ? -1 : 0;
}
