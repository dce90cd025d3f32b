/* compute/kontinuitet.c — kontinuitet_coc and kontinuitet_upc from besok.csv:
 * the Bice–Boxerman index and the usual-provider share over each patient's
 * doctor visits in the 18 months ending with each trend month.
 *
 * National scale is tens of millions of visits, so a visit is kept as 12
 * bytes (interned patient and doctor, unit and month) and only when it can
 * matter: a doctor visit in P-29..P.  The visits are then grouped by patient
 * with an in-place counting sort, and each patient is judged on its own. */
#include "derive.h"

#include <stdlib.h>
#include <string.h>

enum { B_PATIENT, B_ENHET, B_VARDGIVARE, B_YRKE, B_DATUM, B_TYP };
static const uf_column cols[] = {{"patient_id", 1}, {"enhet_id", 1}, {"vardgivare_id", 1},
                                 {"yrke", 1},       {"besoksdatum", 1}, {"besokstyp", 0}};

static const char doctor[] = "läkare";

#define MONTH_BITS 5 /* UF_VISIT_MONTHS < 32 */

typedef struct {
    uint32_t patient, doctor;
    uint32_t unit_month; /* raw unit << MONTH_BITS | month offset from P-29 */
} visit;

typedef struct {
    visit *v;
    size_t n, cap;
    uint32_t *per_patient; /* visits per patient, then the next free slot */
    size_t npatients;
} visits;

double uf_coc(long sumsq, long n) { return (double)(sumsq - n) / ((double)n * (double)(n - 1)); }
double uf_upc(long maxn, long n) { return (double)maxn / (double)n; }

static void visits_add(visits *vs, uint32_t p, uint32_t d, uint32_t um)
{
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? vs->cap * 2 : 1 << 16;
        vs->v = uf_xrealloc(vs->v, vs->cap * sizeof *vs->v);
    }
    vs->v[vs->n++] = (visit){p, d, um};
    if (p >= vs->npatients) {
        size_t n = vs->npatients ? vs->npatients * 2 : 1 << 16;
        while (n <= p)
            n *= 2;
        vs->per_patient = uf_xrealloc(vs->per_patient, n * sizeof *vs->per_patient);
        memset(vs->per_patient + vs->npatients, 0, (n - vs->npatients) * sizeof(uint32_t));
        vs->npatients = n;
    }
    vs->per_patient[p]++;
}

/* Cycle leader: carries each visit to the next free slot of its key
 * (patient >> shift) until every key k in [0, nkeys) holds [bound[k], bound[k+1]). */
static void place(visit *v, uint32_t *next, const uint32_t *bound, size_t nkeys, unsigned shift)
{
    for (size_t k = 0; k < nkeys; k++)
        while (next[k] < bound[k + 1]) {
            visit x = v[next[k]];
            for (size_t key; (key = x.patient >> shift) != k;) {
                visit tmp = v[next[key]];
                v[next[key]++] = x;
                x = tmp;
            }
            v[next[k]++] = x;
        }
}

/* Groups the visits by patient in place; returns start[] (npatients + 1).
 * First into at most 1024 blocks of consecutive patients, then within each
 * block, so that the random moves of the second pass stay in cache. */
static uint32_t *group_by_patient(visits *vs)
{
    size_t np = vs->npatients;
    uint32_t *start = uf_xmalloc((np + 1) * sizeof *start);
    uint32_t *next = vs->per_patient;
    uint32_t at = 0;
    for (size_t p = 0; p < np; p++) {
        start[p] = at;
        at += next[p];
        next[p] = start[p];
    }
    start[np] = at;
    unsigned shift = 0;
    while ((np >> shift) >= 1024)
        shift++;
    size_t nblocks = ((np - 1) >> shift) + 1;
    uint32_t bound[1025], bnext[1024];
    for (size_t b = 0; b <= nblocks; b++)
        bound[b] = start[b << shift < np ? b << shift : np];
    memcpy(bnext, bound, nblocks * sizeof *bnext);
    place(vs->v, bnext, bound, nblocks, shift);
    place(vs->v, next, start, np, 0);
    return start;
}

static int by_doctor(const void *a, const void *b)
{
    uint32_t x = ((const visit *)a)->doctor, y = ((const visit *)b)->doctor;
    return (x > y) - (x < y);
}

static void sort_by_doctor(visit *v, size_t k)
{
    if (k > 16) {
        qsort(v, k, sizeof *v, by_doctor);
        return;
    }
    for (size_t i = 1; i < k; i++) {
        visit t = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1].doctor > t.doctor; j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
}

/* The trend columns whose window holds month offset o: o-17..o within 0..12. */
static void window_range(unsigned o, int *lo, int *hi)
{
    *lo = o >= UF_WINDOW ? (int)o - (UF_WINDOW - 1) : 0;
    *hi = o < UF_TREND ? (int)o : UF_TREND - 1;
}

typedef struct {
    uint32_t *unit; /* distinct units of one patient */
    long *count;    /* per distinct unit x UF_TREND */
    size_t cap;
} scratch;

/* The unit of most of the patient's visits per window; ties: lowest id. */
static void majority_units(const uf_ctx *x, const visit *v, size_t k, scratch *s,
                           uint32_t out[UF_TREND])
{
    if (k > s->cap) {
        s->cap = k;
        s->unit = uf_xrealloc(s->unit, k * sizeof *s->unit);
        s->count = uf_xrealloc(s->count, k * UF_TREND * sizeof *s->count);
    }
    size_t nu = 0;
    for (size_t i = 0; i < k; i++) {
        uint32_t u = v[i].unit_month >> MONTH_BITS;
        size_t j = 0;
        while (j < nu && s->unit[j] != u)
            j++;
        if (j == nu) {
            s->unit[nu++] = u;
            memset(&s->count[j * UF_TREND], 0, UF_TREND * sizeof *s->count);
        }
        int lo, hi;
        window_range(v[i].unit_month & ((1u << MONTH_BITS) - 1), &lo, &hi);
        for (int c = lo; c <= hi; c++)
            s->count[j * UF_TREND + c]++;
    }
    for (int c = 0; c < UF_TREND; c++) {
        size_t best = 0;
        for (size_t j = 1; j < nu; j++) {
            long d = s->count[j * UF_TREND + c] - s->count[best * UF_TREND + c];
            if (d > 0 || (d == 0 && strcmp(x->units.v[s->unit[j]].id,
                                           x->units.v[s->unit[best]].id) < 0))
                best = j;
        }
        out[c] = s->unit[best];
    }
}

static void judge_patients(uf_ctx *x, visits *vs, const unsigned char ok[UF_TREND])
{
    uf_tally *coc = uf_ctx_tally(x, UF_DER_KONTINUITET_COC);
    uf_tally *upc = uf_ctx_tally(x, UF_DER_KONTINUITET_UPC);
    if (vs->n == 0)
        return;
    uint32_t *start = group_by_patient(vs);
    scratch s = {0};
    for (size_t p = 0; p < vs->npatients; p++) {
        visit *v = vs->v + start[p];
        size_t k = start[p + 1] - start[p];
        if (k < UF_COC_MIN_VISITS)
            continue;
        sort_by_doctor(v, k);
        long n[UF_TREND] = {0}, sumsq[UF_TREND] = {0}, maxn[UF_TREND] = {0};
        for (size_t i = 0; i < k;) {
            long run[UF_TREND] = {0};
            size_t j = i;
            for (; j < k && v[j].doctor == v[i].doctor; j++) {
                int lo, hi;
                window_range(v[j].unit_month & ((1u << MONTH_BITS) - 1), &lo, &hi);
                for (int c = lo; c <= hi; c++)
                    run[c]++;
            }
            for (int c = 0; c < UF_TREND; c++) {
                n[c] += run[c];
                sumsq[c] += run[c] * run[c];
                if (run[c] > maxn[c])
                    maxn[c] = run[c];
            }
            i = j;
        }
        uint32_t unit[UF_TREND];
        uint32_t listed = p < x->nlisted ? x->listed[p] : UF_NONE;
        if (listed != UF_NONE)
            for (int c = 0; c < UF_TREND; c++)
                unit[c] = listed;
        else
            majority_units(x, v, k, &s, unit);
        for (int c = 0; c < UF_TREND; c++) {
            if (!ok[c] || n[c] < UF_COC_MIN_VISITS)
                continue;
            size_t at = (size_t)unit[c] * UF_TREND + c;
            if (coc) {
                coc->nd[at].num += uf_coc(sumsq[c], n[c]);
                coc->nd[at].den += 1;
            }
            if (upc) {
                upc->nd[at].num += uf_upc(maxn[c], n[c]);
                upc->nd[at].den += 1;
            }
        }
    }
    free(s.unit);
    free(s.count);
    free(start);
}

int uf_kontinuitet_read(uf_ctx *x, const char *name)
{
    uf_reader r;
    if (uf_reader_open(x, &r, name, cols, sizeof cols / sizeof *cols) < 0)
        return -1;
    if (!x->patients)
        x->patients = uf_strtab_new();
    uf_strtab *doctors = uf_strtab_new();
    visits vs = {0};
    unsigned char covered[UF_VISIT_MONTHS] = {0};
    uf_month first = x->in->period - (UF_VISIT_MONTHS - 1);
    int rc;
    while ((rc = uf_reader_next(x, &r)) == 1) {
        size_t len, plen, dlen;
        const char *s = uf_csv_get(r.csv, B_DATUM, &len);
        uf_day day;
        if (uf_parse_date(s, len, &day) < 0) {
            rc = uf_reader_fail(&r, B_DATUM, 1, "ett datum ÅÅÅÅ-MM-DD", x->err);
            break;
        }
        const char *pid = uf_csv_get(r.csv, B_PATIENT, &plen);
        if (plen == 0) {
            rc = uf_reader_fail(&r, B_PATIENT, 0, "ett patient-id", x->err);
            break;
        }
        const char *did = uf_csv_get(r.csv, B_VARDGIVARE, &dlen);
        if (dlen == 0) {
            rc = uf_reader_fail(&r, B_VARDGIVARE, 1, "ett vårdgivar-id", x->err);
            break;
        }
        uint32_t u = uf_ctx_unit(x, B_ENHET);
        if (u == UF_NONE) {
            rc = -1;
            break;
        }
        long o = (long)uf_ctx_month(x, day) - first;
        if (o < 0 || o >= UF_VISIT_MONTHS)
            continue;
        covered[o] = 1;
        s = uf_csv_get(r.csv, B_YRKE, &len);
        if (!uf_utf8_caseeq(s, len, doctor, sizeof doctor - 1))
            continue;
        int added;
        uint32_t p = uf_strtab_intern(x->patients, pid, plen, &added);
        uint32_t d = uf_strtab_intern(doctors, did, dlen, &added);
        visits_add(&vs, p, d, u << MONTH_BITS | (uint32_t)o);
    }
    uf_strtab_free(doctors);
    uf_reader_close(x, &r, 0);
    if (rc == 0) {
        /* a window counts only when the file covers every one of its months */
        unsigned char ok[UF_TREND];
        for (int c = 0; c < UF_TREND; c++) {
            ok[c] = 1;
            for (int m = c; m < c + UF_WINDOW; m++)
                ok[c] &= covered[m];
        }
        judge_patients(x, &vs, ok);
        for (size_t i = 0; i < x->ntallies; i++) {
            uf_derivation d = x->tallies[i].ind->derivation;
            if (d == UF_DER_KONTINUITET_COC || d == UF_DER_KONTINUITET_UPC)
                memcpy(x->tallies[i].month, ok, sizeof ok);
        }
    }
    free(vs.v);
    free(vs.per_patient);
    return rc < 0 ? -1 : 0;
}
