/* compute/derive/kontinuitet.c — kontinuitet_coc and kontinuitet_upc from besok.csv:
 * the Bice–Boxerman index and the usual-provider share over each patient's
 * doctor visits in the 18 months ending with each trend month.
 *
 * National scale is tens of millions of visits, so visits are not kept:
 * both cores parse besok.csv (parallel.h) and each keeps, for the patients of
 * its partition, one entry per doctor and unit seen, with a bit per month of
 * P-29..P.  Memory grows with patients and their doctors, not with visits;
 * a second visit to the same doctor in the same month takes another entry.
 * Each core then judges its own patients. */
#include "compute/parallel.h"

#include <stdlib.h>
#include <string.h>

enum { B_PATIENT, B_ENHET, B_VARDGIVARE, B_YRKE, B_DATUM, B_TYP };
static const uf_column cols[] = {{"patient_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"vardgivare_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"yrke", UF_COL_REQUIRED},
                                 {"besoksdatum", UF_COL_REQUIRED},
                                 {"besokstyp", 0}};

static const char doctor[] = "läkare";

double uf_coc(long sumsq, long n) { return (double)(sumsq - n) / ((double)n * (double)(n - 1)); }
double uf_upc(long maxn, long n) { return (double)maxn / (double)n; }

/* A doctor visit on its way from the parsing thread to its partition. */
typedef struct {
    const char *patient;
    uint32_t len, hash, doctor, unit_month;
} visit;

typedef struct {
    visit *v;
    size_t n, cap;
} visits;

#define MONTH_BITS 5 /* UF_VISIT_MONTHS < 32 */
#define MONTH_MASK ((1u << MONTH_BITS) - 1)

/* A patient's visits to one doctor at one unit: bit o for month P-29+o. */
typedef struct {
    uint32_t doctor, unit, months;
} entry;

typedef struct {
    uint32_t at, n; /* entries pool[at, at + n); room for max(2, 2^ceil(log2 n)) */
} span;

/* One partition's patients, indexed as in x->patients[part]. */
typedef struct {
    span *spans;
    size_t nspans;
    entry *pool;
    size_t used, cap;
    uint32_t free_block[32]; /* freed blocks of 2^k entries, linked through .doctor */
} part;

typedef struct {
    uf_cache doctors;
    visits out[UF_PARTS];
    uint32_t covered; /* bit o: the file has rows in month P-29+o */
    char last_date[10];
    long last_offset;
} thread_state;

typedef struct {
    uf_ctx *x;
    const char *name; /* the file, for messages */
    uf_month first;   /* P-29 */
    uf_strtab *doctors;
    thread_state th[UF_THREADS];
    part parts[UF_PARTS];
} kont;

/* ------------------------------------------------------------ phase 1: rows */

static int bad(uf_bad *b, int col, int echo, const char *expected)
{
    *b = (uf_bad){col, echo, expected};
    return -1;
}

static int row(uf_parallel *c, int t, const uf_csv_row *r, uf_bad *b)
{
    kont *k = uf_parallel_arg(c);
    thread_state *th = &k->th[t];
    const char *date = r->f[B_DATUM];
    /* rows come month by month: a day 01-28 of the previous row's month is
     * surely a date of that month */
    if (r->len[B_DATUM] != sizeof th->last_date || memcmp(date, th->last_date, 8) != 0 ||
        !((date[8] == '0' && date[9] >= '1' && date[9] <= '9') ||
          (date[8] == '1' && date[9] >= '0' && date[9] <= '9') ||
          (date[8] == '2' && date[9] >= '0' && date[9] <= '8'))) {
        uf_day day;
        if (uf_parse_date(date, r->len[B_DATUM], &day) < 0)
            return bad(b, B_DATUM, 1, "ett datum ÅÅÅÅ-MM-DD");
        memcpy(th->last_date, date, 10);
        th->last_offset = (long)uf_month_of(day) - k->first;
    }
    if (r->len[B_PATIENT] == 0)
        return bad(b, B_PATIENT, 0, "ett patient-id");
    if (r->len[B_VARDGIVARE] == 0)
        return bad(b, B_VARDGIVARE, 1, "ett vårdgivar-id");
    if (r->len[B_ENHET] == 0)
        return bad(b, B_ENHET, 0, "ett enhets-id");
    if (uf_unit_reserved(r->f[B_ENHET], r->len[B_ENHET]))
        return bad(b, B_ENHET, 1, uf_unit_not_region);
    uint32_t u = uf_parallel_unit(c, t, r->f[B_ENHET], r->len[B_ENHET], r);
    long o = th->last_offset;
    if (o < 0 || o >= UF_VISIT_MONTHS)
        return 0;
    th->covered |= 1u << o;
    size_t ylen = r->len[B_YRKE];
    if (!(ylen == sizeof doctor - 1 && memcmp(r->f[B_YRKE], doctor, ylen) == 0) &&
        !uf_utf8_caseeq(r->f[B_YRKE], ylen, doctor, sizeof doctor - 1))
        return 0;
    uint32_t d = uf_parallel_intern(c, &th->doctors, k->doctors, r->f[B_VARDGIVARE],
                                    r->len[B_VARDGIVARE]);
    uint32_t h = uf_strtab_hash(r->f[B_PATIENT], r->len[B_PATIENT]);
    visits *vs = &th->out[UF_PART(h)];
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? vs->cap * 2 : 4096;
        vs->v = uf_xrealloc(vs->v, vs->cap * sizeof *vs->v);
    }
    vs->v[vs->n++] = (visit){r->f[B_PATIENT], (uint32_t)r->len[B_PATIENT], h, d,
                             u << MONTH_BITS | (uint32_t)o};
    return 0;
}

/* ------------------------------------------------------- phase 2: patients */

/* The first of 2^k free entries; UF_NONE when the pool would outgrow the
 * 32-bit index of an entry. */
static uint32_t block_alloc(part *pt, unsigned k)
{
    uint32_t at = pt->free_block[k];
    if (at != UF_NONE) {
        pt->free_block[k] = pt->pool[at].doctor;
        return at;
    }
    size_t size = (size_t)1 << k;
    if (pt->used + size > pt->cap) {
        size_t cap = pt->cap;
        while (pt->used + size > cap)
            cap = cap ? cap * 2 : 1 << 16;
        if (cap > UINT32_MAX)
            return UF_NONE;
        pt->cap = cap;
        pt->pool = uf_xrealloc(pt->pool, pt->cap * sizeof *pt->pool);
    }
    at = (uint32_t)pt->used;
    pt->used += size;
    return at;
}

static void spans_grow(part *pt, size_t need)
{
    if (need <= pt->nspans)
        return;
    size_t n = pt->nspans ? pt->nspans * 2 : 1 << 16;
    while (n < need)
        n *= 2;
    pt->spans = uf_xrealloc(pt->spans, n * sizeof *pt->spans);
    memset(pt->spans + pt->nspans, 0, (n - pt->nspans) * sizeof *pt->spans);
    pt->nspans = n;
}

/* 0, or -1 when the partition's pool is full. */
static int add(part *pt, uint32_t p, uint32_t d, uint32_t u, unsigned o)
{
    span *s = &pt->spans[p];
    entry *e = pt->pool + s->at;
    for (uint32_t i = 0; i < s->n; i++)
        if (e[i].doctor == d && e[i].unit == u && !(e[i].months >> o & 1)) {
            e[i].months |= 1u << o;
            return 0;
        }
    if (s->n == 0 || (s->n >= 2 && (s->n & (s->n - 1)) == 0)) {
        unsigned k = s->n ? (unsigned)__builtin_ctz(s->n) + 1 : 1;
        uint32_t at = block_alloc(pt, k);
        if (at == UF_NONE)
            return -1;
        if (s->n) {
            memcpy(pt->pool + at, pt->pool + s->at, s->n * sizeof *pt->pool);
            unsigned old = k - 1;
            pt->pool[s->at].doctor = pt->free_block[old];
            pt->free_block[old] = s->at;
        }
        s->at = at;
    }
    pt->pool[s->at + s->n++] = (entry){d, u, 1u << o};
    return 0;
}

/* Patients come in random order, so every step below is a cache miss; the
 * memory of visits a few ahead is prefetched while one is handled. */
enum { AHEAD = 8 };

static int settle(uf_parallel *c, int t, uf_error *err)
{
    kont *k = uf_parallel_arg(c);
    part *pt = &k->parts[t];
    uf_strtab *patients = k->x->patients[t];
    for (int src = 0; src < UF_THREADS; src++) {
        visits *vs = &k->th[src].out[t];
        visit *v = vs->v;
        size_t n = vs->n;
        for (size_t i = 0; i < n; i++) {
            if (i + 2 * AHEAD < n)
                uf_strtab_prefetch(patients, v[i + 2 * AHEAD].hash);
            if (i + AHEAD < n)
                uf_strtab_prefetch_key(patients, v[i + AHEAD].hash);
            int added;
            /* the hash is not needed any more: it becomes the patient */
            v[i].hash = uf_strtab_intern_hashed(patients, v[i].patient, v[i].len, v[i].hash,
                                                &added);
        }
        spans_grow(pt, uf_strtab_count(patients));
        for (size_t i = 0; i < n; i++) {
            if (i + 2 * AHEAD < n)
                __builtin_prefetch(&pt->spans[v[i + 2 * AHEAD].hash]);
            if (i + AHEAD < n)
                __builtin_prefetch(pt->pool + pt->spans[v[i + AHEAD].hash].at);
            if (add(pt, v[i].hash, v[i].doctor, v[i].unit_month >> MONTH_BITS,
                    v[i].unit_month & MONTH_MASK) < 0) {
                /* a limit of the program, not a fault of the file: exit 1 */
                uf_error_set(err, UF_ERR_IO, k->name, 0, 0, NULL,
                             "filen har för många olika läkarbesök (patient, läkare, enhet, "
                             "månad) för att räknas: fler än %lu för hälften av patienterna",
                             (unsigned long)UINT32_MAX);
                return -1;
            }
        }
        vs->n = 0;
    }
    return 0;
}

static void part_reset(part *pt)
{
    if (pt->nspans)
        memset(pt->spans, 0, pt->nspans * sizeof *pt->spans);
    pt->used = 0;
    memset(pt->free_block, 0xff, sizeof pt->free_block);
}

static void reset(uf_parallel *c)
{
    kont *k = uf_parallel_arg(c);
    for (int t = 0; t < UF_THREADS; t++) {
        thread_state *th = &k->th[t];
        for (int p = 0; p < UF_PARTS; p++)
            th->out[p].n = 0;
        th->covered = 0;
        memset(th->last_date, 0, sizeof th->last_date);
    }
    for (int p = 0; p < UF_PARTS; p++)
        part_reset(&k->parts[p]);
}

/* ----------------------------------------------------------------- judging */

/* Bits of the months in the window of trend column c: P-29+c .. P-12+c. */
static uint32_t window(int c) { return ((1u << UF_WINDOW) - 1) << c; }

typedef struct {
    const kont *k;
    const unsigned char *ok;
    int part;
    uf_nd *coc, *upc; /* raw unit x UF_TREND */
    uint32_t *unit;   /* scratch: distinct units of one patient */
    long *count;      /* and their visits per window */
    size_t cap;
} judge;

static int by_doctor(const void *a, const void *b)
{
    uint32_t x = ((const entry *)a)->doctor, y = ((const entry *)b)->doctor;
    return (x > y) - (x < y);
}

static void sort_by_doctor(entry *v, size_t k)
{
    if (k > 16) {
        qsort(v, k, sizeof *v, by_doctor);
        return;
    }
    for (size_t i = 1; i < k; i++) {
        entry t = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1].doctor > t.doctor; j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
}

/* The unit of most of the patient's visits per window; ties: lowest id. */
static void majority_units(judge *j, const entry *v, size_t k, uint32_t out[UF_TREND])
{
    if (k > j->cap) {
        j->cap = k;
        j->unit = uf_xrealloc(j->unit, k * sizeof *j->unit);
        j->count = uf_xrealloc(j->count, k * UF_TREND * sizeof *j->count);
    }
    size_t nu = 0;
    for (size_t i = 0; i < k; i++) {
        size_t u = 0;
        while (u < nu && j->unit[u] != v[i].unit)
            u++;
        if (u == nu) {
            j->unit[nu++] = v[i].unit;
            memset(&j->count[u * UF_TREND], 0, UF_TREND * sizeof *j->count);
        }
        for (int c = 0; c < UF_TREND; c++)
            j->count[u * UF_TREND + c] += __builtin_popcount(v[i].months & window(c));
    }
    const uf_unit *units = j->k->x->units.v;
    for (int c = 0; c < UF_TREND; c++) {
        size_t best = 0;
        for (size_t u = 1; u < nu; u++) {
            long d = j->count[u * UF_TREND + c] - j->count[best * UF_TREND + c];
            if (d > 0 || (d == 0 && strcmp(units[j->unit[u]].id, units[j->unit[best]].id) < 0))
                best = u;
        }
        out[c] = j->unit[best];
    }
}

static void judge_patient(judge *j, entry *v, size_t k, uint32_t listed)
{
    long total = 0;
    for (size_t i = 0; i < k; i++)
        total += __builtin_popcount(v[i].months);
    if (total < UF_COC_MIN_VISITS)
        return;
    sort_by_doctor(v, k);
    long n[UF_TREND] = {0}, sumsq[UF_TREND] = {0}, maxn[UF_TREND] = {0};
    for (size_t i = 0; i < k;) {
        long run[UF_TREND] = {0};
        size_t e = i;
        for (; e < k && v[e].doctor == v[i].doctor; e++)
            for (int c = 0; c < UF_TREND; c++)
                run[c] += __builtin_popcount(v[e].months & window(c));
        for (int c = 0; c < UF_TREND; c++) {
            n[c] += run[c];
            sumsq[c] += run[c] * run[c];
            if (run[c] > maxn[c])
                maxn[c] = run[c];
        }
        i = e;
    }
    uint32_t unit[UF_TREND];
    if (listed != UF_NONE)
        for (int c = 0; c < UF_TREND; c++)
            unit[c] = listed;
    else
        majority_units(j, v, k, unit);
    for (int c = 0; c < UF_TREND; c++) {
        if (!j->ok[c] || n[c] < UF_COC_MIN_VISITS)
            continue;
        size_t at = (size_t)unit[c] * UF_TREND + c;
        j->coc[at].num += uf_coc(sumsq[c], n[c]);
        j->coc[at].den += 1;
        j->upc[at].num += uf_upc(maxn[c], n[c]);
        j->upc[at].den += 1;
    }
}

static void *judge_part(void *arg)
{
    judge *j = arg;
    const uf_ctx *x = j->k->x;
    const part *pt = &j->k->parts[j->part];
    size_t nlisted = x->nlisted[j->part];
    const uint32_t *listed = x->listed[j->part];
    for (size_t p = 0; p < pt->nspans; p++) {
        if (p + AHEAD < pt->nspans)
            __builtin_prefetch(pt->pool + pt->spans[p + AHEAD].at);
        if (pt->spans[p].n)
            judge_patient(j, pt->pool + pt->spans[p].at, pt->spans[p].n,
                          p < nlisted ? listed[p] : UF_NONE);
    }
    return NULL;
}

/* Each core judges its partition into its own sums; they are added in
 * partition order, so the figures do not depend on which finished first. */
static void judge_all(uf_ctx *x, const kont *k, const unsigned char ok[UF_TREND])
{
    uf_tally *coc = uf_ctx_tally(x, UF_DER_KONTINUITET_COC);
    uf_tally *upc = uf_ctx_tally(x, UF_DER_KONTINUITET_UPC);
    size_t cells = x->units.n * UF_TREND;
    judge j[UF_PARTS];
    for (int p = 0; p < UF_PARTS; p++)
        j[p] = (judge){.k = k, .ok = ok, .part = p, .coc = uf_xcalloc(cells, sizeof(uf_nd)),
                       .upc = uf_xcalloc(cells, sizeof(uf_nd))};
    pthread_t tid;
    int threaded = pthread_create(&tid, NULL, judge_part, &j[1]) == 0;
    judge_part(&j[0]);
    if (threaded)
        pthread_join(tid, NULL);
    else
        judge_part(&j[1]);
    for (int p = 0; p < UF_PARTS; p++) {
        for (size_t i = 0; i < cells; i++) {
            if (coc) {
                coc->nd[i].num += j[p].coc[i].num;
                coc->nd[i].den += j[p].coc[i].den;
            }
            if (upc) {
                upc->nd[i].num += j[p].upc[i].num;
                upc->nd[i].den += j[p].upc[i].den;
            }
        }
        free(j[p].coc);
        free(j[p].upc);
        free(j[p].unit);
        free(j[p].count);
    }
}

/* Which trend columns the file gives (ok[c]), and what it lacks.  A window
 * counts when it lies within the file's months, from its first month with
 * visits to P: earlier windows come from earlier editions.  A calendar
 * month without visits inside them (a hole) never drops a figure: the
 * index is computed without it and the hole is a finding, which the
 * completeness gate weighs when it lies in P's own window. */
static void windows(uf_ctx *x, const char *name, uint32_t covered, unsigned char ok[UF_TREND])
{
    const uint32_t all = (1u << UF_VISIT_MONTHS) - 1;
    uint32_t span = covered ? all & ~((1u << __builtin_ctz(covered)) - 1) : 0;
    for (int c = 0; c < UF_TREND; c++)
        ok[c] = (window(c) & ~span) == 0;
    uf_month first = x->in->period - (UF_VISIT_MONTHS - 1);
    for (int o = 0; o < UF_VISIT_MONTHS; o++) {
        if (!(span >> o & 1) || covered >> o & 1)
            continue;
        int from = UF_TREND, to = -1; /* the columns whose window holds month o */
        for (int c = 0; c < UF_TREND; c++)
            if (ok[c] && window(c) >> o & 1) {
                from = from < c ? from : c;
                to = c;
            }
        if (to < 0)
            continue;
        char hole[8], m1[8], m2[8];
        uf_month_format(first + o, hole);
        uf_month_format(x->in->period - (UF_TREND - 1) + from, m1);
        uf_month_format(x->in->period - (UF_TREND - 1) + to, m2);
        if (to == UF_TREND - 1)
            uf_ctx_incomplete(x, name, "inga besök i %s; kontinuitetsindex för %s–%s räknas "
                                       "utan den månaden", hole, m1, m2);
        else
            uf_report_issue(x->out, name, &(uf_issue){.count = 1},
                            "inga besök i %s; kontinuitetsindex för %s–%s räknas utan den "
                            "månaden", hole, m1, m2);
    }
}

int uf_kontinuitet_read(uf_ctx *x, const char *name)
{
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0)
        return -1;
    for (int p = 0; p < UF_PARTS; p++)
        if (!x->patients[p])
            x->patients[p] = uf_strtab_new();
    kont k = {.x = x, .name = name, .first = x->in->period - (UF_VISIT_MONTHS - 1),
              .doctors = uf_strtab_new()};
    for (int p = 0; p < UF_PARTS; p++)
        part_reset(&k.parts[p]);
    const uf_parallel_ops ops = {row, settle, reset, &k};
    int rc = uf_parallel_read(x, &r, sizeof cols / sizeof *cols, &ops);
    uf_reader_close(x, &r, 0);
    if (rc == 0) {
        uint32_t covered = 0;
        for (int t = 0; t < UF_THREADS; t++)
            covered |= k.th[t].covered;
        unsigned char ok[UF_TREND];
        windows(x, name, covered, ok);
        judge_all(x, &k, ok);
        for (size_t i = 0; i < x->ntallies; i++) {
            uf_derivation d = x->tallies[i].ind->derivation;
            if (d == UF_DER_KONTINUITET_COC || d == UF_DER_KONTINUITET_UPC)
                memcpy(x->tallies[i].month, ok, sizeof ok);
        }
    }
    for (int t = 0; t < UF_THREADS; t++) {
        uf_cache_free(&k.th[t].doctors);
        for (int p = 0; p < UF_PARTS; p++)
            free(k.th[t].out[p].v);
    }
    for (int p = 0; p < UF_PARTS; p++) {
        free(k.parts[p].spans);
        free(k.parts[p].pool);
    }
    uf_strtab_free(k.doctors);
    return rc < 0 ? -1 : 0;
}
