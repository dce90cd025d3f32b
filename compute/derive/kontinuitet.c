/* compute/derive/kontinuitet.c — kontinuitet_coc and kontinuitet_upc from besok.csv:
 * the Bice–Boxerman index and the usual-provider share over each patient's
 * visits in the months (18) ending with each trend month.  The definitions'
 * parameters choose the professions counted (doctors, a list, or all), a
 * subgroup of listed patients (sabo), the window and the minimum visits;
 * every variant is judged from the same pass over the file.
 *
 * National scale is tens of millions of visits, so visits are not kept:
 * both cores parse besok.csv (parallel.h) and each keeps, for the patients of
 * its partition, one mark per doctor and unit seen, with a bit per month of
 * P-29..P.  Memory grows with patients and their doctors, not with visits;
 * a second visit to the same doctor in the same month takes another mark.
 * A mark is eight bytes: the (doctor, unit, profession) it counts is a
 * number in its partition's table of those, which is small.  Each core then
 * judges its own patients, their marks expanded to entries. */
#include "compute/parallel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { B_PATIENT, B_ENHET, B_VARDGIVARE, B_YRKE, B_DATUM, B_TYP };
static const uf_column cols[] = {{"patient_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"enhet_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"vardgivare_id", UF_COL_REQUIRED | UF_COL_ID},
                                 {"yrke", UF_COL_REQUIRED},
                                 {"besoksdatum", UF_COL_REQUIRED},
                                 {"besokstyp", 0}};

/* Visits of a yrke none of the variants names: counted by "alla" only. */
enum { OTHER = 31, MAX_PROFESSIONS = OTHER };

double uf_coc(long sumsq, long n) { return (double)(sumsq - n) / ((double)n * (double)(n - 1)); }
double uf_upc(long maxn, long n) { return (double)maxn / (double)n; }

/* A counted visit on its way from the parsing thread to its partition. */
typedef struct {
    const char *patient;
    uint32_t len, hash, doctor, unit_month; /* unit << 10 | profession << 5 | month */
} visit;

typedef struct {
    visit *v;
    size_t n, cap;
} visits;

#define MONTH_BITS 5 /* the months read, k->span, <= 32 */
#define MONTH_MASK ((1u << MONTH_BITS) - 1)
#define PROF_BITS 5 /* OTHER < 32 */
#define PROF_MASK ((1u << PROF_BITS) - 1)

/* A patient's visits to one caregiver of one profession at one unit, as
 * judged: bit o for month k->first + o. */
typedef struct {
    uint32_t doctor;
    uint32_t unit : 32 - PROF_BITS, prof : PROF_BITS;
    uint32_t months;
} entry;

/* The same as kept for every patient until judging: who is the index of
 * (doctor, unit, profession) in the partition's table. */
typedef struct {
    uint32_t who, months;
} mark;

/* A (doctor, unit << PROF_BITS | profession) of a partition; next: the
 * doctor's next one. */
typedef struct {
    uint32_t doctor, unit_prof, next;
} caregiver;

/* One set of parameters among the indicators: its COC and UPC tallies. */
typedef struct {
    const uf_params *pm;
    uint32_t profs;  /* bit i: profession class i counts */
    unsigned flag;   /* the listing flag a patient needs (UF_FLAG_*), or 0 */
    uint32_t window; /* bits of the window of trend column 0 */
    uf_tally *coc, *upc;
    unsigned char ok[UF_TREND]; /* the file covers the window of column c */
} variant;

typedef struct {
    uint32_t at, n; /* marks pool[at, at + n), in a block of size_of(class_of(n)) */
} span;

/* Blocks come in sizes 2, 3, 4, 6, 8, 12 ...: a patient's block is at least
 * three quarters full on average, where powers of two left a third empty. */
enum { CLASSES = 64 };

/* One partition's patients, indexed as in x->patients[part]. */
typedef struct {
    span *spans;
    size_t nspans;
    mark *pool;
    size_t used, cap;
    uint32_t free_block[CLASSES]; /* freed blocks of each class, linked through .who */
    caregiver *who;
    size_t nwho, cap_who;
    uint32_t *first; /* doctor -> its first caregiver in who, or UF_NONE */
    size_t nfirst;
} part;

typedef struct {
    uf_cache doctors;
    visits out[UF_PARTS];
    uint32_t covered; /* bit o: the file has rows in month k->first + o */
    uf_date_memo dates;
} thread_state;

/* When every variant is of a subgroup, the patients judged are the few
 * listed with its flags (a hundredth of them for säbo): a visit is looked up
 * among those alone, in a table the cache holds, instead of its patient
 * being interned among millions only to be dropped.  The table copies their
 * ids, which is small for a subgroup of a few percent; a subgroup of most
 * patients would need as much again as the patient table. */
typedef struct {
    uf_strtab *ids;    /* the partition's listed patients with a flag of k->only */
    uint32_t *patient; /* each one's index in x->patients[part] */
    size_t cap;
} subgroup;

typedef struct {
    uf_ctx *x;
    const char *name; /* the file, for messages */
    int span;         /* months read: the trend's and the longest window's */
    uf_month first;   /* P - span + 1 */
    const char *prof[MAX_PROFESSIONS]; /* the yrke the variants name */
    size_t proflen[MAX_PROFESSIONS];
    size_t nprof;
    int other;        /* a variant counts every profession */
    unsigned only;    /* every variant is of a subgroup: the listing flags of one */
    variant *var;
    size_t nvar;
    uf_strtab *doctors;
    thread_state th[UF_THREADS];
    part parts[UF_PARTS];
    subgroup sub[UF_PARTS]; /* when k->only; made at the first settle */
} kont;

/* ------------------------------------------------------------ phase 1: rows */

/* The class of a visit's yrke: the variants' names match in any case. */
static uint32_t profession(const kont *k, const char *s, size_t len)
{
    for (size_t i = 0; i < k->nprof; i++)
        if (len == k->proflen[i] &&
            (memcmp(s, k->prof[i], len) == 0 || uf_utf8_caseeq(s, len, k->prof[i], len)))
            return (uint32_t)i;
    return OTHER;
}

static int row(uf_parallel *c, int t, const uf_csv_row *r, uf_bad *b)
{
    kont *k = uf_parallel_arg(c);
    thread_state *th = &k->th[t];
    uf_day day;
    uf_month month;
    if (uf_parse_date_memo(&th->dates, r->f[B_DATUM], r->len[B_DATUM], &day, &month) < 0)
        return uf_bad_set(b, B_DATUM, 1, "ett datum ÅÅÅÅ-MM-DD");
    if (r->len[B_PATIENT] == 0)
        return uf_bad_set(b, B_PATIENT, 0, "ett patient-id");
    if (r->len[B_VARDGIVARE] == 0)
        return uf_bad_set(b, B_VARDGIVARE, 1, "ett vårdgivar-id");
    uint32_t u = uf_parallel_unit_field(c, t, r, B_ENHET, b);
    if (u == UF_NONE)
        return -1;
    long o = (long)month - k->first;
    if (o < 0 || o >= k->span)
        return 0;
    th->covered |= 1u << o;
    uint32_t prof = profession(k, r->f[B_YRKE], r->len[B_YRKE]);
    if (prof == OTHER && !k->other)
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
                             (u << PROF_BITS | prof) << MONTH_BITS | (uint32_t)o};
    return 0;
}

/* ------------------------------------------------------- phase 2: patients */

static size_t size_of(unsigned c) { return (size_t)(c & 1 ? 3 : 2) << (c >> 1); }

/* The class of the smallest block that holds n >= 1 marks. */
static unsigned class_of(uint32_t n)
{
    if (n <= 2)
        return 0;
    unsigned b = 31 - (unsigned)__builtin_clz(n - 1); /* 2^b < n <= 2^(b+1) */
    return n <= 3u << (b - 1) ? 2 * b - 1 : 2 * b;
}

/* The first mark of a free block of class c; UF_NONE when the pool would
 * outgrow the 32-bit index of a mark. */
static uint32_t block_alloc(part *pt, unsigned c)
{
    uint32_t at = pt->free_block[c];
    if (at != UF_NONE) {
        pt->free_block[c] = pt->pool[at].who;
        return at;
    }
    size_t size = size_of(c);
    if (pt->used + size > pt->cap) {
        size_t cap = uf_doubled(pt->cap, pt->used + size, 1 << 16);
        if (cap > UINT32_MAX)
            return UF_NONE;
        pt->cap = cap;
        pt->pool = uf_xrealloc(pt->pool, pt->cap * sizeof *pt->pool);
    }
    at = (uint32_t)pt->used;
    pt->used += size;
    return at;
}

/* Room for need patients and an eighth more: most patients are known from
 * the listing before the first visit, so doubling would leave half empty. */
static void spans_grow(part *pt, size_t need)
{
    if (need <= pt->nspans)
        return;
    size_t n = need + need / 8;
    pt->spans = uf_xgrow(pt->spans, pt->nspans, n, sizeof *pt->spans, 0);
    pt->nspans = n;
}

/* The index of caregiver (d, up) in pt's table, added when new.  A doctor
 * works at one unit or a few, so the doctor's list is short. */
static uint32_t caregiver_of(part *pt, uint32_t d, uint32_t up)
{
    if (d >= pt->nfirst) {
        size_t n = uf_doubled(pt->nfirst, (size_t)d + 1, 1024);
        pt->first = uf_xgrow(pt->first, pt->nfirst, n, sizeof *pt->first, 0xff);
        pt->nfirst = n;
    }
    for (uint32_t i = pt->first[d]; i != UF_NONE; i = pt->who[i].next)
        if (pt->who[i].unit_prof == up)
            return i;
    if (pt->nwho == pt->cap_who) {
        pt->cap_who = pt->cap_who ? pt->cap_who * 2 : 1024;
        pt->who = uf_xrealloc(pt->who, pt->cap_who * sizeof *pt->who);
    }
    pt->who[pt->nwho] = (caregiver){d, up, pt->first[d]};
    pt->first[d] = (uint32_t)pt->nwho;
    return (uint32_t)pt->nwho++;
}

/* 0, or -1 when the partition's pool is full. */
static int add(part *pt, uint32_t p, uint32_t w, unsigned o)
{
    span *s = &pt->spans[p];
    mark *e = pt->pool + s->at;
    for (uint32_t i = 0; i < s->n; i++)
        if (e[i].who == w && !(e[i].months >> o & 1)) {
            e[i].months |= 1u << o;
            return 0;
        }
    unsigned c = class_of(s->n + 1);
    if (s->n == 0 || c != class_of(s->n)) {
        uint32_t at = block_alloc(pt, c);
        if (at == UF_NONE)
            return -1;
        if (s->n) {
            memcpy(pt->pool + at, pt->pool + s->at, s->n * sizeof *pt->pool);
            unsigned old = class_of(s->n);
            pt->pool[s->at].who = pt->free_block[old];
            pt->free_block[old] = s->at;
        }
        s->at = at;
    }
    pt->pool[s->at + s->n++] = (mark){w, 1u << o};
    return 0;
}

/* Patients come in random order, so every step below is a cache miss; the
 * memory of visits a few ahead is prefetched while one is handled. */
enum { AHEAD = 8 };

/* Partition t's subgroup: the listing is read before besok.csv. */
static const subgroup *subgroup_of(kont *k, int t)
{
    subgroup *sg = &k->sub[t];
    if (sg->ids)
        return sg;
    const uf_strtab *patients = k->x->patients[t];
    size_t n = k->x->flags[t] ? k->x->nlisted[t] : 0, count = uf_strtab_count(patients);
    sg->ids = uf_strtab_new();
    for (uint32_t p = 0; p < n && p < count; p++)
        if (k->x->flags[t][p] & k->only) {
            const char *id = uf_strtab_str(patients, p);
            size_t len = uf_strtab_len(patients, p);
            uint32_t i = uf_strtab_intern(sg->ids, id, len, NULL);
            if (i == sg->cap) {
                size_t cap = uf_doubled(sg->cap, (size_t)i + 1, 1024);
                sg->patient = uf_xgrow(sg->patient, sg->cap, cap, sizeof *sg->patient, 0);
                sg->cap = cap;
            }
            sg->patient[i] = p;
        }
    return sg;
}

/* Each visit's hash becomes its patient's index, or UF_NONE for a patient
 * no variant judges. */
static void patients_of(kont *k, int t, visit *v, size_t n)
{
    if (k->only) {
        const subgroup *sg = subgroup_of(k, t);
        for (size_t i = 0; i < n; i++) {
            int64_t s = uf_strtab_find_hashed(sg->ids, v[i].patient, v[i].len, v[i].hash);
            v[i].hash = s < 0 ? UF_NONE : sg->patient[s];
        }
        return;
    }
    uf_strtab *patients = k->x->patients[t];
    for (size_t i = 0; i < n; i++) {
        uf_strtab_prefetch_ahead(patients, &v[0].hash, sizeof *v, i, n);
        int added;
        v[i].hash = uf_strtab_intern_hashed(patients, v[i].patient, v[i].len, v[i].hash, &added);
    }
}

static int settle(uf_parallel *c, int t, uf_error *err)
{
    kont *k = uf_parallel_arg(c);
    part *pt = &k->parts[t];
    for (int src = 0; src < UF_THREADS; src++) {
        visits *vs = &k->th[src].out[t];
        visit *v = vs->v;
        size_t n = vs->n;
        patients_of(k, t, v, n);
        spans_grow(pt, uf_strtab_count(k->x->patients[t]));
        for (size_t i = 0; i < n; i++) {
            if (i + 2 * AHEAD < n && v[i + 2 * AHEAD].hash != UF_NONE)
                __builtin_prefetch(&pt->spans[v[i + 2 * AHEAD].hash]);
            if (i + AHEAD < n && v[i + AHEAD].hash != UF_NONE)
                __builtin_prefetch(pt->pool + pt->spans[v[i + AHEAD].hash].at);
            if (v[i].hash == UF_NONE)
                continue;
            uint32_t um = v[i].unit_month;
            if (add(pt, v[i].hash, caregiver_of(pt, v[i].doctor, um >> MONTH_BITS),
                    um & MONTH_MASK) < 0) {
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
    pt->nwho = 0;
    if (pt->nfirst)
        memset(pt->first, 0xff, pt->nfirst * sizeof *pt->first);
}

static void reset(uf_parallel *c)
{
    kont *k = uf_parallel_arg(c);
    for (int t = 0; t < UF_THREADS; t++) {
        thread_state *th = &k->th[t];
        for (int p = 0; p < UF_PARTS; p++)
            th->out[p].n = 0;
        th->covered = 0;
    }
    for (int p = 0; p < UF_PARTS; p++)
        part_reset(&k->parts[p]);
}

/* ----------------------------------------------------------------- judging */

/* Bits of the months in variant v's window of trend column c. */
static uint32_t window(const variant *v, int c) { return v->window << c; }

typedef struct {
    const kont *k;
    int part;
    uf_nd *coc, *upc; /* per variant: raw unit x UF_TREND */
    entry *v;         /* scratch: one patient's marks, as entries */
    size_t vcap;
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

/* always_inline: so that judge_part_popcnt's copy has popcnt in it */
#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE int counts(const variant *var, const entry *e)
{
    return var->profs >> e->prof & 1;
}

/* The unit of most of the patient's counted visits per window; ties: lowest id. */
static ALWAYS_INLINE void majority_units(judge *j, const variant *var, const entry *v, size_t k,
                                         uint32_t out[UF_TREND])
{
    if (k > j->cap) {
        j->cap = k;
        j->unit = uf_xrealloc(j->unit, k * sizeof *j->unit);
        j->count = uf_xrealloc(j->count, k * UF_TREND * sizeof *j->count);
    }
    size_t nu = 0;
    for (size_t i = 0; i < k; i++) {
        if (!counts(var, &v[i]))
            continue;
        size_t u = 0;
        while (u < nu && j->unit[u] != v[i].unit)
            u++;
        if (u == nu) {
            j->unit[nu++] = v[i].unit;
            memset(&j->count[u * UF_TREND], 0, UF_TREND * sizeof *j->count);
        }
        for (int c = 0; c < UF_TREND; c++)
            j->count[u * UF_TREND + c] += __builtin_popcount(v[i].months & window(var, c));
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

/* One variant's figures of a patient whose entries are sorted by doctor. */
static ALWAYS_INLINE void judge_variant(judge *j, size_t vi, const entry *v, size_t k,
                                        uint32_t listed)
{
    const variant *var = &j->k->var[vi];
    long total = 0;
    for (size_t i = 0; i < k; i++)
        if (counts(var, &v[i]))
            total += __builtin_popcount(v[i].months);
    if (total < var->pm->min_visits)
        return;
    long n[UF_TREND] = {0}, sumsq[UF_TREND] = {0}, maxn[UF_TREND] = {0};
    for (size_t i = 0; i < k;) {
        long run[UF_TREND] = {0};
        size_t e = i;
        for (; e < k && v[e].doctor == v[i].doctor; e++)
            if (counts(var, &v[e]))
                for (int c = 0; c < UF_TREND; c++)
                    run[c] += __builtin_popcount(v[e].months & window(var, c));
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
        majority_units(j, var, v, k, unit);
    size_t cells = j->k->x->units.n * UF_TREND;
    uf_nd *coc = j->coc + vi * cells, *upc = j->upc + vi * cells;
    for (int c = 0; c < UF_TREND; c++) {
        if (!var->ok[c] || n[c] < var->pm->min_visits)
            continue;
        size_t at = (size_t)unit[c] * UF_TREND + c;
        double cv = uf_coc(sumsq[c], n[c]), uv = uf_upc(maxn[c], n[c]);
        coc[at].num += cv;
        coc[at].sq += cv * cv;
        coc[at].den += 1;
        upc[at].num += uv;
        upc[at].sq += uv * uv;
        upc[at].den += 1;
    }
}

static ALWAYS_INLINE void judge_patient(judge *j, const mark *m, size_t k, uint32_t listed,
                                        unsigned flags)
{
    if (k > j->vcap) {
        j->vcap = k;
        j->v = uf_xrealloc(j->v, k * sizeof *j->v);
    }
    entry *v = j->v;
    const caregiver *who = j->k->parts[j->part].who;
    for (size_t i = 0; i < k; i++) {
        const caregiver *c = &who[m[i].who];
        v[i] = (entry){c->doctor, c->unit_prof >> PROF_BITS, c->unit_prof & PROF_MASK,
                       m[i].months};
    }
    sort_by_doctor(v, k);
    for (size_t vi = 0; vi < j->k->nvar; vi++) {
        const variant *var = &j->k->var[vi];
        /* a subgroup is of listed patients: the unlisted have no flags */
        if (var->flag && (listed == UF_NONE || !(flags & var->flag)))
            continue;
        judge_variant(j, vi, v, k, listed);
    }
}

/* The judging's popcounts are one instruction where the CPU has it (every
 * x86-64 of the last fifteen years), chosen at run time, so one binary
 * built for plain x86-64 serves them all; elsewhere the compiler's own. */
static ALWAYS_INLINE void judge_range(judge *j)
{
    const uf_ctx *x = j->k->x;
    const part *pt = &j->k->parts[j->part];
    size_t nlisted = x->nlisted[j->part];
    const uint32_t *listed = x->listed[j->part];
    const unsigned char *flags = x->flags[j->part];
    for (size_t p = 0; p < pt->nspans; p++) {
        if (p + AHEAD < pt->nspans)
            __builtin_prefetch(pt->pool + pt->spans[p + AHEAD].at);
        if (pt->spans[p].n)
            judge_patient(j, pt->pool + pt->spans[p].at, pt->spans[p].n,
                          p < nlisted ? listed[p] : UF_NONE, p < nlisted && flags ? flags[p] : 0);
    }
}

static void *judge_part(void *arg)
{
    judge_range(arg);
    return NULL;
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt"))) static void *judge_part_popcnt(void *arg)
{
    judge_range(arg);
    return NULL;
}

static void *(*judge_fn(void))(void *)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("popcnt") ? judge_part_popcnt : judge_part;
}
#else
static void *(*judge_fn(void))(void *) { return judge_part; }
#endif

static void add_sums(uf_tally *t, const uf_nd *sum, size_t cells)
{
    for (size_t i = 0; t && i < cells; i++) {
        t->nd[i].num += sum[i].num;
        t->nd[i].sq += sum[i].sq;
        t->nd[i].den += sum[i].den;
    }
}

/* Each core judges its partition into its own sums; they are added in
 * partition order, so the figures do not depend on which finished first. */
static void judge_all(uf_ctx *x, const kont *k)
{
    size_t cells = x->units.n * UF_TREND;
    judge j[UF_PARTS];
    for (int p = 0; p < UF_PARTS; p++)
        j[p] = (judge){.k = k, .part = p, .coc = uf_xcalloc(k->nvar * cells + 1, sizeof(uf_nd)),
                       .upc = uf_xcalloc(k->nvar * cells + 1, sizeof(uf_nd))};
    void *(*part)(void *) = judge_fn();
    pthread_t tid;
    int threaded = uf_cleanup_thread(&tid, part, &j[1]) == 0;
    part(&j[0]);
    if (threaded)
        pthread_join(tid, NULL);
    else
        part(&j[1]);
    for (int p = 0; p < UF_PARTS; p++) {
        for (size_t vi = 0; vi < k->nvar; vi++) {
            add_sums(k->var[vi].coc, j[p].coc + vi * cells, cells);
            add_sums(k->var[vi].upc, j[p].upc + vi * cells, cells);
        }
        free(j[p].coc);
        free(j[p].upc);
        free(j[p].v);
        free(j[p].unit);
        free(j[p].count);
    }
}

/* ---------------------------------------------------------------- variants */

/* The class of profession name, added to k's table when new; -1 when the
 * table is full. */
static int profession_class(kont *k, const char *name)
{
    uint32_t c = profession(k, name, strlen(name));
    if (c != OTHER)
        return (int)c;
    if (k->nprof == MAX_PROFESSIONS)
        return -1;
    k->prof[k->nprof] = name;
    k->proflen[k->nprof] = strlen(name);
    return (int)k->nprof++;
}

static variant *variant_of(kont *k, const uf_params *pm)
{
    for (size_t i = 0; i < k->nvar; i++)
        if (uf_params_equal(k->var[i].pm, pm))
            return &k->var[i];
    variant *v = &k->var[k->nvar++];
    *v = (variant){.pm = pm, .flag = uf_listing_flag(pm->subgroup)};
    return v;
}

/* One variant per set of parameters among the tallies to fill, each with
 * its COC and UPC; the months read cover the longest window.  0, or -1 with
 * x->err set. */
static int choose_variants(uf_ctx *x, kont *k, const char *name)
{
    static const uf_derivation ders[] = {UF_DER_KONTINUITET_COC, UF_DER_KONTINUITET_UPC};
    k->var = uf_xcalloc(x->ntallies + 1, sizeof *k->var);
    int longest = 1;
    for (size_t d = 0; d < 2; d++) {
        uf_tally *t;
        for (size_t at = 0; (t = uf_ctx_tally_next(x, ders[d], &at));) {
            const uf_params *pm = &t->ind->params;
            variant *v = variant_of(k, pm);
            *(d == 0 ? &v->coc : &v->upc) = t;
            if (pm->window > longest)
                longest = pm->window;
        }
    }
    k->span = UF_TREND + longest - 1;
    k->only = 0;
    for (size_t i = 0; i < k->nvar; i++) {
        if (!k->var[i].flag) {
            k->only = 0;
            break;
        }
        k->only |= k->var[i].flag;
    }
    for (size_t i = 0; i < k->nvar; i++) {
        variant *v = &k->var[i];
        const uf_params *pm = v->pm;
        v->window = ((1u << pm->window) - 1) << (longest - pm->window);
        if (!pm->professions) {
            v->profs = UINT32_MAX;
            k->other = 1;
        }
        for (size_t p = 0; p < pm->nprofessions; p++) {
            int c = profession_class(k, pm->professions[p]);
            if (c < 0) {
                uf_error_set(x->err, UF_ERR_IO, name, 0, 0, NULL,
                             "definitionerna räknar fler än %d olika yrken i besok.csv",
                             MAX_PROFESSIONS);
                return -1;
            }
            v->profs |= 1u << c;
        }
    }
    return 0;
}

/* Which trend columns the file gives variant v (v->ok[c]), and what it
 * lacks.  A window counts when it lies within the file's months, from its
 * first month with visits to P: earlier windows come from earlier editions.
 * A calendar month without visits inside them (a hole) never drops a
 * figure: the index is computed without it and the hole is a finding, which
 * the completeness gate weighs when it lies in P's own window.  say: report
 * the holes (once per window length). */
static void windows(uf_ctx *x, const kont *k, variant *v, const char *name, uint32_t covered,
                    int say)
{
    const uint32_t all = k->span >= 32 ? UINT32_MAX : (1u << k->span) - 1;
    uint32_t span = covered ? all & ~((1u << __builtin_ctz(covered)) - 1) : 0;
    for (int c = 0; c < UF_TREND; c++)
        v->ok[c] = (window(v, c) & ~span) == 0;
    for (int o = 0; say && o < k->span; o++) {
        if (!(span >> o & 1) || covered >> o & 1)
            continue;
        int from = UF_TREND, to = -1; /* the columns whose window holds month o */
        for (int c = 0; c < UF_TREND; c++)
            if (v->ok[c] && window(v, c) >> o & 1) {
                from = from < c ? from : c;
                to = c;
            }
        if (to < 0)
            continue;
        char hole[8], m1[8], m2[8];
        uf_month_format(k->first + o, hole);
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

/* After the file: which windows it covers, and the subgroups the listing
 * cannot give. */
static void finish_variants(uf_ctx *x, kont *k, const char *name, uint32_t covered)
{
    for (size_t i = 0; i < k->nvar; i++) {
        variant *v = &k->var[i];
        int said = 0;
        for (size_t j = 0; j < i; j++)
            said |= k->var[j].window == v->window;
        windows(x, k, v, name, covered, !said);
        uf_tally *ts[] = {v->coc, v->upc};
        for (int t = 0; t < 2; t++) {
            if (!ts[t])
                continue;
            memcpy(ts[t]->month, v->ok, sizeof v->ok);
            if (v->flag && !(x->listing_flags & v->flag)) {
                char what[96];
                snprintf(what, sizeof what, "patientgruppen %s kräver kolumnen %s i listning.csv",
                         v->pm->subgroup, v->pm->subgroup);
                uf_tally_absent(x, ts[t], name, what);
            }
        }
    }
}

int uf_kontinuitet_read(uf_ctx *x, const char *name)
{
    kont k = {.x = x, .name = name, .doctors = uf_strtab_new()};
    if (choose_variants(x, &k, name) < 0) {
        free(k.var);
        uf_strtab_free(k.doctors);
        return -1;
    }
    k.first = x->in->period - (k.span - 1);
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0) {
        free(k.var);
        uf_strtab_free(k.doctors);
        return -1;
    }
    for (int p = 0; p < UF_PARTS; p++)
        if (!x->patients[p])
            x->patients[p] = uf_strtab_new();
    for (int p = 0; p < UF_PARTS; p++)
        part_reset(&k.parts[p]);
    const uf_parallel_ops ops = {.row = row, .settle = settle, .reset = reset, .arg = &k};
    int rc = uf_parallel_read(x, &r, sizeof cols / sizeof *cols, &ops);
    uf_reader_close(x, &r, 0);
    if (rc == 0) {
        uint32_t covered = 0;
        for (int t = 0; t < UF_THREADS; t++)
            covered |= k.th[t].covered;
        finish_variants(x, &k, name, covered);
        judge_all(x, &k);
    }
    for (int t = 0; t < UF_THREADS; t++) {
        uf_cache_free(&k.th[t].doctors);
        for (int p = 0; p < UF_PARTS; p++)
            free(k.th[t].out[p].v);
    }
    for (int p = 0; p < UF_PARTS; p++) {
        free(k.parts[p].spans);
        free(k.parts[p].pool);
        free(k.parts[p].who);
        free(k.parts[p].first);
        uf_strtab_free(k.sub[p].ids);
        free(k.sub[p].patient);
    }
    free(k.var);
    uf_strtab_free(k.doctors);
    return rc < 0 ? -1 : 0;
}
