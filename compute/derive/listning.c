/* compute/derive/listning.c — the listing snapshot at the end of P: fast
 * läkarkontakt (all listed and säbo), listed patients per fixed GP, and the
 * unit each patient belongs to for the continuity index. */
#include "compute/parallel.h"

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
    long *all, *fixed, *sabo, *sabo_fixed, *per_gp;
    size_t n;
    pairset pairs;
    uf_issue dup;
} counts;

typedef struct {
    uf_ctx *x;
    int has_sabo;
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
    size_t n = k->n ? k->n * 2 : 64;
    while (n < need)
        n *= 2;
    long **arrays[] = {&k->all, &k->fixed, &k->sabo, &k->sabo_fixed, &k->per_gp};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        *arrays[i] = uf_xrealloc(*arrays[i], n * sizeof **arrays[i]);
        memset(*arrays[i] + k->n, 0, (n - k->n) * sizeof **arrays[i]);
    }
    k->n = n;
}

enum { AHEAD = 8 };

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
            /* patients come in random order: every lookup is a cache miss,
             * so the slots and keys of rows a few ahead are fetched early */
            if (i + 2 * AHEAD < in->n)
                uf_strtab_prefetch(patients, in->v[i + 2 * AHEAD].hash);
            if (i + AHEAD < in->n)
                uf_strtab_prefetch_key(patients, in->v[i + AHEAD].hash);
            int added;
            uint32_t p = uf_strtab_intern_hashed(patients, r->patient, r->len, r->hash, &added);
            if (!added) {
                uf_issue_see(&k->dup, uf_parallel_line(c, r->chunk, r->line));
                continue;
            }
            set_listed(l->x, t, p, r->unit);
            counts_grow(k, (size_t)r->unit + 1);
            int fixed = r->gp != UF_NONE;
            k->all[r->unit]++;
            k->fixed[r->unit] += fixed;
            k->sabo[r->unit] += r->sabo;
            k->sabo_fixed[r->unit] += r->sabo && fixed;
            if (fixed) {
                k->per_gp[r->unit]++;
                pairset_add(&k->pairs, (uint64_t)r->unit << 32 | r->gp);
            }
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
    free(k->per_gp);
    free(k->pairs.v);
    memset(k, 0, sizeof *k);
}

/* Forgets everything read: the listing is the first extract to name
 * patients, so their tables start empty again. */
static void reset(uf_parallel *c)
{
    listing *l = uf_parallel_arg(c);
    for (int t = 0; t < UF_THREADS; t++)
        for (int p = 0; p < UF_PARTS; p++)
            l->th[t].out[p].n = 0;
    for (int p = 0; p < UF_PARTS; p++) {
        counts_free(&l->parts[p]);
        uf_strtab_free(l->x->patients[p]);
        l->x->patients[p] = uf_strtab_new();
        if (l->x->nlisted[p])
            memset(l->x->listed[p], 0xff, l->x->nlisted[p] * sizeof *l->x->listed[p]);
    }
}

/* from's count and first lines into into's, which keeps the first five of
 * both (each list is in file order). */
static void issue_merge(uf_issue *into, const uf_issue *from)
{
    into->count += from->count;
    for (int i = 0; i < from->nlines; i++) {
        long line = from->lines[i];
        int j = into->nlines;
        if (j == 5) {
            if (line >= into->lines[4])
                break;
            j = 4;
        } else {
            into->nlines++;
        }
        for (; j > 0 && into->lines[j - 1] > line; j--)
            into->lines[j] = into->lines[j - 1];
        into->lines[j] = line;
    }
}

/* Both partitions' counts into the tallies; a (unit, GP) pair that both
 * partitions saw counts once. */
static void add_counts(uf_ctx *x, listing *l, uf_issue *dup)
{
    uf_tally *all = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT);
    uf_tally *sabo = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT_SABO);
    uf_tally *per_gp = uf_ctx_tally(x, UF_DER_LISTADE_PER_FAST_LAKARE);
    const int c = UF_TREND - 1;
    pairset pairs = {0};
    for (int p = 0; p < UF_PARTS; p++) {
        counts *k = &l->parts[p];
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
                per_gp->nd[at].num += (double)k->per_gp[u];
        }
        for (size_t i = 0; per_gp && i < k->pairs.cap; i++)
            if (k->pairs.v[i] && pairset_add(&pairs, k->pairs.v[i] - 1))
                per_gp->nd[((k->pairs.v[i] - 1) >> 32) * UF_TREND + c].den += 1;
        issue_merge(dup, &k->dup);
    }
    free(pairs.v);
}

int uf_listning_read(uf_ctx *x, const char *name)
{
    uf_tally *all = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT);
    uf_tally *sabo = uf_ctx_tally(x, UF_DER_FAST_LAKARKONTAKT_SABO);
    uf_tally *per_gp = uf_ctx_tally(x, UF_DER_LISTADE_PER_FAST_LAKARE);
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0)
        return -1;
    for (int i = 0; i < UF_PARTS; i++)
        if (!x->patients[i])
            x->patients[i] = uf_strtab_new();
    listing l = {.x = x, .has_sabo = uf_csv_has(r.csv, L_SABO), .gps = uf_strtab_new()};
    const uf_parallel_ops ops = {row, settle, reset, &l};
    int rc = uf_parallel_read(x, &r, sizeof cols / sizeof *cols, &ops);
    const int c = UF_TREND - 1;
    /* a snapshot: only month P exists; without the säbo column, no subgroup */
    if (all)
        all->month[c] = 1;
    if (per_gp)
        per_gp->month[c] = 1;
    if (sabo && l.has_sabo)
        sabo->month[c] = 1;
    if (rc == 0) {
        uf_issue dup = {0};
        add_counts(x, &l, &dup);
        /* a snapshot: every row is month P */
        memcpy(r.seen.rows_p, r.seen.rows, r.seen.n * sizeof *r.seen.rows);
        uf_report_issue(x->out, name, &dup,
                        "patient_id förekommer flera gånger (den första raden räknas)");
        if (!l.has_sabo && sabo)
            uf_report_issue(x->out, name, &(uf_issue){.count = 1},
                            "kolumnen sabo saknas: %s kan inte beräknas", sabo->ind->id);
    }
    for (int t = 0; t < UF_THREADS; t++) {
        uf_cache_free(&l.th[t].gps);
        for (int p = 0; p < UF_PARTS; p++)
            free(l.th[t].out[p].v);
    }
    for (int p = 0; p < UF_PARTS; p++)
        counts_free(&l.parts[p]);
    uf_strtab_free(l.gps);
    uf_reader_close(x, &r, 1);
    return rc < 0 ? -1 : 0;
}
