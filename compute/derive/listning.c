/* compute/derive/listning.c — the listing snapshot at the end of P: fast
 * läkarkontakt (all listed and säbo), listed patients per fixed GP (per
 * head, or per full-time post from lakare.csv), and the unit and listing
 * flags of each patient for the continuity index. */
#include "compute/parallel.h"

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

/* (unit, GP) pairs, both indices in one key, each with a number (a
 * full-time share, or the line a pair was first seen on: exact in a double):
 * a small open-addressing map. */
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

/* key's value; a new key (*added 1) gets value. */
static double *pairmap_put(pairmap *m, uint64_t key, double value, int *added)
{
    if (2 * (m->n + 1) > m->cap) {
        pairmap bigger = {.cap = m->cap ? m->cap * 2 : 1024};
        bigger.key = uf_xcalloc(bigger.cap, sizeof *bigger.key);
        bigger.value = uf_xcalloc(bigger.cap, sizeof *bigger.value);
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i])
                pairmap_put(&bigger, m->key[i] - 1, m->value[i], added);
        free(m->key);
        free(m->value);
        *m = bigger;
    }
    size_t i = pairmap_slot(m, key + 1);
    *added = !m->key[i];
    if (*added) {
        m->key[i] = key + 1;
        m->value[i] = value;
        m->n++;
    }
    return &m->value[i];
}

/* 1 when key is new (it gets value), 0 when it was there. */
static int pairmap_add(pairmap *m, uint64_t key, double value)
{
    int added;
    pairmap_put(m, key, value, &added);
    return added;
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
    /* An eighth more than needed, not double: at national scale these are
     * tens of megabytes, written in full. */
    if (patient >= x->nlisted[part]) {
        size_t old = x->nlisted[part], n = (size_t)patient + 1 + patient / 8;
        n = n < 1 << 16 ? 1 << 16 : n;
        x->listed[part] = uf_xgrow(x->listed[part], old, n, sizeof *x->listed[part], 0xff);
        if (flags)
            x->flags[part] = uf_xgrow(x->flags[part], old, n, 1, 0);
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

/* A listing row on its way from the parsing thread to its partition. */
typedef struct {
    const char *patient;
    uint32_t len, hash, unit, gp; /* gp UF_NONE: no fixed GP */
    int sabo;
    long chunk, line;
} lrow;

typedef struct {
    lrow *v;
    size_t n, cap;
} lrows;

/* What one partition counts, by raw unit: added up at the end, so that the
 * figures do not depend on which core was faster. */
typedef struct {
    long *all, *fixed, *sabo, *sabo_fixed;
    size_t n;
    pairmap pairs; /* (unit, GP) -> the line it was first seen on */
} counts;

typedef struct {
    uf_ctx *x;
    int has_sabo;
    int flags;     /* the continuity index asks for the listing flags */
    int per_pair;  /* a listade_per_fast_lakare variant counts (unit, GP) pairs */
    uf_strtab *gps;
    struct {
        uf_cache gps;
        lrows out[UF_PARTS];
    } th[UF_THREADS];
    counts parts[UF_PARTS];
} listing;

/* Phase 1: the checks, in the order the fields are reported. */
static int row(uf_parallel *c, int t, const uf_csv_row *r, uf_bad *b)
{
    listing *l = uf_parallel_arg(c);
    if (r->len[L_PATIENT] == 0)
        return uf_bad_set(b, L_PATIENT, 0, "ett patient-id");
    int in_sabo = 0;
    if (l->has_sabo && r->len[L_SABO] && uf_parse_flag(r->f[L_SABO], r->len[L_SABO], &in_sabo) < 0)
        return uf_bad_set(b, L_SABO, 1, "J eller N");
    uint32_t u = uf_parallel_unit_field(c, t, r, L_ENHET, b);
    if (u == UF_NONE)
        return -1;
    uint32_t g = r->len[L_LAKARE] ? uf_parallel_intern(c, &l->th[t].gps, l->gps, r->f[L_LAKARE],
                                                       r->len[L_LAKARE])
                                  : UF_NONE;
    uint32_t h = uf_strtab_hash(r->f[L_PATIENT], r->len[L_PATIENT]);
    lrows *out = &l->th[t].out[UF_PART(h)];
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 4096;
        out->v = uf_xrealloc(out->v, out->cap * sizeof *out->v);
    }
    out->v[out->n++] = (lrow){r->f[L_PATIENT], (uint32_t)r->len[L_PATIENT], h, u, g, in_sabo,
                              r->chunk, r->line};
    return 0;
}

static void counts_grow(counts *k, size_t need)
{
    if (need <= k->n)
        return;
    size_t n = uf_doubled(k->n, need, 64);
    long **arrays[] = {&k->all, &k->fixed, &k->sabo, &k->sabo_fixed};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        *arrays[i] = uf_xgrow(*arrays[i], k->n, n, sizeof **arrays[i], 0);
    k->n = n;
}

/* Phase 2: partition t's patients; the first row of a patient counts.  Rows
 * come to a partition in file order (chunk by chunk), so "first" is the
 * file's. */
static int settle(uf_parallel *c, int t, uf_error *err)
{
    (void)err;
    listing *l = uf_parallel_arg(c);
    counts *k = &l->parts[t];
    uf_strtab *patients = l->x->patients[t];
    for (int src = 0; src < UF_THREADS; src++) {
        lrows *in = &l->th[src].out[t];
        for (size_t i = 0; i < in->n; i++) {
            const lrow *r = &in->v[i];
            uf_strtab_prefetch_ahead(patients, &in->v[0].hash, sizeof *in->v, i, in->n);
            int added;
            uint32_t p = uf_strtab_intern_hashed(patients, r->patient, r->len, r->hash, &added);
            if (!added) {
                uf_parallel_see(c, t, 0, r->chunk, r->line);
                continue;
            }
            set_listed(l->x, t, p, r->unit, l->flags, r->sabo ? UF_FLAG_SABO : 0);
            counts_grow(k, (size_t)r->unit + 1);
            int fixed = r->gp != UF_NONE;
            k->all[r->unit]++;
            k->fixed[r->unit] += fixed;
            k->sabo[r->unit] += r->sabo;
            k->sabo_fixed[r->unit] += r->sabo && fixed;
            if (fixed && l->per_pair)
                pairmap_add(&k->pairs, pair(r->unit, r->gp),
                            (double)uf_parallel_line(c, r->chunk, r->line));
        }
        in->n = 0;
    }
    return 0;
}

static void counts_free(counts *k)
{
    free(k->all);
    free(k->fixed);
    free(k->sabo);
    free(k->sabo_fixed);
    pairmap_free(&k->pairs);
    memset(k, 0, sizeof *k);
}

/* Forgets everything read: the listing is the first extract to name
 * patients, so their tables start empty again. */
static void reset(uf_parallel *c)
{
    listing *l = uf_parallel_arg(c);
    uf_ctx *x = l->x;
    for (int t = 0; t < UF_THREADS; t++)
        for (int p = 0; p < UF_PARTS; p++)
            l->th[t].out[p].n = 0;
    for (int p = 0; p < UF_PARTS; p++) {
        counts_free(&l->parts[p]);
        uf_strtab_free(x->patients[p]);
        x->patients[p] = uf_strtab_new();
        if (x->nlisted[p])
            memset(x->listed[p], 0xff, x->nlisted[p] * sizeof *x->listed[p]);
        if (x->nlisted[p] && x->flags[p])
            memset(x->flags[p], 0, x->nlisted[p]);
    }
}

typedef struct {
    long line;
    uint64_t key;
} first_seen;

static int by_line(const void *a, const void *b)
{
    long x = ((const first_seen *)a)->line, y = ((const first_seen *)b)->line;
    return (x > y) - (x < y);
}

/* The distinct (unit, GP) pairs of both partitions, in the order of the line
 * each was first seen on, as one core reading the file meets them; *n of
 * them. */
static first_seen *pairs_in_file_order(const listing *l, size_t *n)
{
    pairmap first = {0};
    for (int p = 0; p < UF_PARTS; p++) {
        const pairmap *m = &l->parts[p].pairs;
        for (size_t i = 0; i < m->cap; i++) {
            int added;
            double *line = m->key[i] ? pairmap_put(&first, m->key[i] - 1, m->value[i], &added)
                                     : NULL;
            if (line && m->value[i] < *line)
                *line = m->value[i];
        }
    }
    first_seen *v = uf_xcalloc(first.n + 1, sizeof *v);
    *n = 0;
    for (size_t i = 0; i < first.cap; i++)
        if (first.key[i])
            v[(*n)++] = (first_seen){(long)first.value[i], first.key[i] - 1};
    qsort(v, *n, sizeof *v, by_line);
    pairmap_free(&first);
    return v;
}

/* Both partitions' counts into the tallies.  A fixed GP counts once at each
 * unit: as a head, or with the post lakare.csv gives (full time where it has
 * none), added in file order so that the sums are those of one core. */
static void add_counts(uf_ctx *x, const listing *l, uf_tally *per_gp, uf_tally *per_fte,
                       const pairmap *fte, uf_issue *unstaffed)
{
    uf_tally *all = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT);
    uf_tally *sabo = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT_SABO);
    const int c = UF_TREND - 1;
    for (int p = 0; p < UF_PARTS; p++) {
        const counts *k = &l->parts[p];
        for (size_t u = 0; u < k->n && u < x->units.n; u++) {
            size_t at = u * UF_TREND + c;
            if (all) {
                all->nd[at].num += (double)k->fixed[u];
                all->nd[at].den += (double)k->all[u];
            }
            if (sabo) {
                sabo->nd[at].num += (double)k->sabo_fixed[u];
                sabo->nd[at].den += (double)k->sabo[u];
            }
            if (per_gp)
                per_gp->nd[at].num += (double)k->fixed[u];
            if (per_fte)
                per_fte->nd[at].num += (double)k->fixed[u];
        }
    }
    size_t n = 0;
    first_seen *v = l->per_pair ? pairs_in_file_order(l, &n) : NULL;
    for (size_t i = 0; i < n; i++) {
        size_t at = (size_t)(v[i].key >> 32) * UF_TREND + c;
        double post = 1;
        if (per_fte && !pairmap_get(fte, v[i].key, &post))
            uf_issue_see(unstaffed, v[i].line);
        if (per_gp)
            per_gp->nd[at].den += 1;
        if (per_fte)
            per_fte->nd[at].den += post;
    }
    free(v);
}

int uf_listning_read(uf_ctx *x, const char *name)
{
    uf_tally *all = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT);
    uf_tally *sabo = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT_SABO);
    uf_tally *per_gp = NULL, *per_fte = NULL, *t;
    for (size_t at = 0; (t = uf_ctx_tally_next(x, UF_DER_LISTADE_PER_FAST_LAKARE, &at));)
        *(t->ind->params.per_fte ? &per_fte : &per_gp) = t;
    uf_strtab *gps = uf_strtab_new();
    pairmap fte = {0};
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
    for (int i = 0; i < UF_PARTS; i++)
        if (!x->patients[i])
            x->patients[i] = uf_strtab_new();
    listing l = {.x = x, .has_sabo = uf_csv_has(r.csv, L_SABO), .flags = wanted_flags(x) != 0,
                 .per_pair = per_gp || per_fte, .gps = gps};
    uf_issue dup = {0};
    const uf_parallel_ops ops = {row, settle, reset, &l, &dup, 1};
    int rc = uf_parallel_read(x, &r, sizeof cols / sizeof *cols, &ops);
    const int c = UF_TREND - 1;
    /* a snapshot: only month P exists */
    if (all)
        all->month[c] = 1;
    if (per_gp)
        per_gp->month[c] = 1;
    if (per_fte)
        per_fte->month[c] = 1;
    if (sabo && l.has_sabo)
        sabo->month[c] = 1;
    if (rc == 0) {
        uf_issue unstaffed = {0};
        add_counts(x, &l, per_gp, per_fte, &fte, &unstaffed);
        /* a snapshot: every row is month P */
        memcpy(r.seen.rows_p, r.seen.rows, r.seen.n * sizeof *r.seen.rows);
        uf_report_issue(x->out, name, &dup,
                        "patient_id förekommer flera gånger (den första raden räknas)");
        if (per_fte)
            uf_report_issue(x->out, "lakare.csv", &unstaffed,
                            "fast läkare i listning.csv saknas för enheten i lakare.csv och "
                            "räknas som heltid i %s",
                            per_fte->ind->id);
        if (!l.has_sabo && sabo)
            uf_tally_absent(x, sabo, name, "kolumnen sabo saknas");
    }
    if (l.has_sabo)
        x->listing_flags |= UF_FLAG_SABO;
    for (int i = 0; i < UF_THREADS; i++) {
        uf_cache_free(&l.th[i].gps);
        for (int p = 0; p < UF_PARTS; p++)
            free(l.th[i].out[p].v);
    }
    for (int p = 0; p < UF_PARTS; p++)
        counts_free(&l.parts[p]);
    pairmap_free(&fte);
    uf_strtab_free(gps);
    uf_reader_close(x, &r, 1);
    return rc < 0 ? -1 : 0;
}
