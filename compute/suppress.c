/* compute/suppress.c — the one place that decides which figures are shown.
 *
 * Primary suppression hides a figure whose n is below the indicator's
 * minimum (status.c: för litet underlag).  That alone is undone by
 * subtraction: the region minus the shown units, a unit's year or tertial
 * to date minus its shown months, a group minus its subgroup give a hidden
 * figure back.  Secondary suppression hides further figures (UF_ST_HIDDEN,
 * "dold") until no hidden figure follows from the shown ones.
 *
 * The report's figures are tied by linear equations ("relations"): per
 * indicator and column the region is the sum of its units; per row the
 * year and tertial to date are the sums of their months (or month P itself
 * for a snapshot indicator); a group's cell is its subgroup's plus the
 * rest of the group, a figure never published whose n is known.  A reader
 * knows every shown numerator; a hidden one is given back exactly when its
 * unit vector lies in the row space of the equations restricted to the
 * unknowns, which the reduced row echelon form shows.  While any hidden
 * figure (or a rest-of-group below the minimum n) is so exposed, one more
 * figure is hidden: one that shares an equation with it, preferring a unit
 * over the region, then the one that exposes no new equation, then the
 * smallest n, then report order, so the choice is deterministic.
 *
 * Denominators are published (SPEC: namnare stays) and are not hidden here:
 * alone they say nothing of the outcome.  A cell whose n is 0 is known
 * (its numerator is 0), so it neither needs nor gives protection. */
#include "derive.h"
#include "editions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int uf_status_hidden(uf_status s)
{
    return s == UF_ST_SMALL || s == UF_ST_HIDDEN;
}

double uf_cell_shown(const uf_cell *c)
{
    if (!c || !c->present || c->status == UF_ST_MISSING || uf_status_hidden(c->status))
        return NAN;
    return uf_cell_value(c);
}

/* One unknown or constant of the equations: a report cell, or the rest of
 * a group beside its subgroup. */
typedef struct {
    uf_cell *cell;       /* NULL for a rest-of-group */
    double n;            /* what "smallest" means */
    unsigned char var;   /* unknown to a reader */
    unsigned char guard; /* must stay unknown */
    unsigned char region;
} node;

typedef struct {
    node *v;
    size_t n;
    size_t *ent; /* relation k is ent[off[k] .. off[k+1]) */
    signed char *coef;
    size_t nent, cap;
    size_t *off;
    size_t nrel, relcap;
    size_t *rel_of, *rel_off; /* node -> its relations (CSR) */
} eqs;

static void rel_begin(eqs *e)
{
    if (e->nrel + 2 > e->relcap) {
        e->relcap = e->relcap ? 2 * e->relcap : 256;
        e->off = uf_xrealloc(e->off, e->relcap * sizeof *e->off);
    }
    e->off[e->nrel] = e->nent;
}

static void rel_add(eqs *e, size_t node, int coef)
{
    if (e->nent == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 1024;
        e->ent = uf_xrealloc(e->ent, e->cap * sizeof *e->ent);
        e->coef = uf_xrealloc(e->coef, e->cap);
    }
    e->ent[e->nent] = node;
    e->coef[e->nent++] = (signed char)coef;
}

/* A relation of one entry says nothing; drop it. */
static void rel_end(eqs *e)
{
    if (e->nent - e->off[e->nrel] >= 2)
        e->off[++e->nrel] = e->nent;
    else
        e->nent = e->off[e->nrel];
}

static void node_set(node *d, uf_cell *c, const uf_indicator *ind, int region)
{
    d->cell = c;
    d->region = (unsigned char)region;
    if (!c->present)
        return;
    d->n = (double)uf_cell_n(c, ind);
    /* den 0: nothing to hide; the numerator is known to be 0 */
    d->var = d->guard = uf_status_hidden(c->status) && c->den != 0;
}

/* The equations of one series (cells from node first). */
static void series_relations(eqs *e, const uf_report *r, size_t s, size_t first)
{
    const uf_series *se = &r->series[s];
    size_t rows = r->nunits + 1;
    uf_month p = r->period;
    int ytd = UF_TREND - uf_month_number(p);
    int tertial = UF_TREND - 1 - (int)(p - uf_tertial_first(p));
    for (size_t row = 0; row < rows; row++)
        for (int c = 0; c < UF_NCOLS; c++)
            node_set(&e->v[first + row * UF_NCOLS + (size_t)c], &se->cells[row * UF_NCOLS + c],
                     se->ind, row == 0);
#define AT(row, c) (first + (row) * UF_NCOLS + (size_t)(c))
#define PRESENT(row, c) (se->cells[(row) * UF_NCOLS + (c)].present)
    for (int c = 0; c < UF_NCOLS; c++) {
        if (!PRESENT(0, c))
            continue;
        rel_begin(e);
        rel_add(e, AT(0, c), 1);
        for (size_t row = 1; row < rows; row++)
            if (PRESENT(row, c))
                rel_add(e, AT(row, c), -1);
        rel_end(e);
    }
    for (size_t row = 0; row < rows; row++) {
        const int total[2] = {UF_COL_YTD, UF_COL_TERTIAL}, from[2] = {ytd, tertial};
        for (int k = 0; k < 2; k++) {
            if (!PRESENT(row, total[k]))
                continue;
            rel_begin(e);
            rel_add(e, AT(row, total[k]), 1);
            for (int c = se->ind->aggregation == UF_AGG_LAST ? UF_TREND - 1 : from[k];
                 c < UF_TREND; c++)
                if (PRESENT(row, c))
                    rel_add(e, AT(row, c), -1);
            rel_end(e);
        }
    }
#undef AT
#undef PRESENT
}

/* group = subgroup + rest, per cell; the rest is never published, so it
 * is unknown unless its n is 0, and must stay unknown when its n is below
 * the group's minimum (it is a small figure of its own). */
static void subgroup_relations(eqs *e, const uf_report *r, size_t g, size_t gfirst, size_t s,
                               size_t sfirst, size_t rest)
{
    const uf_indicator *gi = r->series[g].ind, *si = r->series[s].ind;
    for (size_t i = 0; i < (r->nunits + 1) * UF_NCOLS; i++) {
        const uf_cell *gc = &r->series[g].cells[i], *sc = &r->series[s].cells[i];
        node *d = &e->v[rest + i];
        if (!gc->present)
            continue;
        d->n = (double)(uf_cell_n(gc, gi) - (sc->present ? uf_cell_n(sc, si) : 0));
        d->var = d->n > 0;
        d->guard = d->var && d->n < (double)gi->min_n;
        rel_begin(e);
        rel_add(e, gfirst + i, 1);
        if (sc->present)
            rel_add(e, sfirst + i, -1);
        rel_add(e, rest + i, -1);
        rel_end(e);
    }
}

static void index_relations(eqs *e)
{
    e->rel_off = uf_xcalloc(e->n + 1, sizeof *e->rel_off);
    for (size_t k = 0; k < e->nent; k++)
        e->rel_off[e->ent[k] + 1]++;
    for (size_t i = 0; i < e->n; i++)
        e->rel_off[i + 1] += e->rel_off[i];
    size_t *fill = uf_xmalloc((e->n + 1) * sizeof *fill);
    memcpy(fill, e->rel_off, (e->n + 1) * sizeof *fill);
    e->rel_of = uf_xmalloc((e->nent + 1) * sizeof *e->rel_of);
    for (size_t k = 0; k < e->nrel; k++)
        for (size_t j = e->off[k]; j < e->off[k + 1]; j++)
            e->rel_of[fill[e->ent[j]]++] = k;
    free(fill);
}

/* --------------------------------------------------------- exposure test */

static size_t find(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* Every node whose value the shown figures determine, in the row space
 * sense: exposed[i] = 1; comp[i] is the component of unknowns the
 * relations tie node i to, each reduced on its own.  A component none of
 * whose nodes is dirty was found unexposed before and has not grown since:
 * it is skipped; those reduced are clean afterwards. */
static void exposed_nodes(const eqs *e, unsigned char *exposed, size_t *comp,
                          unsigned char *dirty)
{
    size_t *up = uf_xmalloc((e->n + 1) * sizeof *up);
    for (size_t i = 0; i < e->n; i++)
        up[i] = i;
    for (size_t k = 0; k < e->nrel; k++) {
        size_t first = SIZE_MAX;
        for (size_t j = e->off[k]; j < e->off[k + 1]; j++) {
            size_t v = e->ent[j];
            if (!e->v[v].var)
                continue;
            if (first == SIZE_MAX)
                first = v;
            else
                up[find(up, v)] = find(up, first);
        }
    }
    memset(exposed, 0, e->n);
    /* Members of each component in node order: a list through next[],
     * from head[root] to tail[root]. */
    size_t *head = uf_xmalloc((e->n + 1) * sizeof *head), *tail = uf_xmalloc((e->n + 1) * sizeof *tail);
    size_t *next = uf_xmalloc((e->n + 1) * sizeof *next);
    for (size_t i = 0; i < e->n; i++) {
        comp[i] = find(up, i);
        head[i] = SIZE_MAX;
    }
    for (size_t i = 0; i < e->n; i++) {
        if (!e->v[i].var)
            continue;
        size_t rc = comp[i];
        next[i] = SIZE_MAX;
        if (head[rc] == SIZE_MAX)
            head[rc] = i;
        else
            next[tail[rc]] = i;
        tail[rc] = i;
    }
    size_t *col = uf_xmalloc((e->n + 1) * sizeof *col); /* node -> column in its component */
    size_t *members = uf_xmalloc((e->n + 1) * sizeof *members);
    size_t *rels = uf_xmalloc((e->nrel + 1) * sizeof *rels);
    unsigned char *used = uf_xcalloc(e->nrel + 1, 1);
    for (size_t rc = 0; rc < e->n; rc++) {
        size_t nm = 0, nr = 0;
        int guarded = 0, changed = 0;
        for (size_t i = head[rc]; i != SIZE_MAX; i = next[i]) {
            col[i] = nm;
            members[nm++] = i;
            guarded |= e->v[i].guard;
            changed |= dirty[i];
            dirty[i] = 0;
        }
        if (!guarded || !changed)
            continue;
        for (size_t m = 0; m < nm; m++)
            for (size_t j = e->rel_off[members[m]]; j < e->rel_off[members[m] + 1]; j++)
                if (!used[e->rel_of[j]]) {
                    used[e->rel_of[j]] = 1;
                    rels[nr++] = e->rel_of[j];
                }
        double *a = uf_xcalloc(nr * nm + 1, sizeof *a);
        for (size_t i = 0; i < nr; i++) {
            used[rels[i]] = 0;
            for (size_t j = e->off[rels[i]]; j < e->off[rels[i] + 1]; j++)
                if (e->v[e->ent[j]].var)
                    a[i * nm + col[e->ent[j]]] += e->coef[j];
        }
        /* Reduced row echelon form; the coefficients are small integers,
         * so a tolerance tells zero from not. */
        size_t prow = 0;
        size_t *pivot_of = uf_xmalloc((nr + 1) * sizeof *pivot_of);
        for (size_t c = 0; c < nm && prow < nr; c++) {
            size_t best = prow;
            for (size_t i = prow + 1; i < nr; i++)
                if (fabs(a[i * nm + c]) > fabs(a[best * nm + c]))
                    best = i;
            if (fabs(a[best * nm + c]) < 1e-9)
                continue;
            for (size_t k = 0; k < nm && best != prow; k++) {
                double t = a[best * nm + k];
                a[best * nm + k] = a[prow * nm + k];
                a[prow * nm + k] = t;
            }
            double pv = a[prow * nm + c];
            for (size_t k = c; k < nm; k++)
                a[prow * nm + k] /= pv;
            for (size_t i = 0; i < nr; i++) {
                double f = a[i * nm + c];
                if (i == prow || fabs(f) < 1e-12)
                    continue;
                for (size_t k = c; k < nm; k++)
                    a[i * nm + k] -= f * a[prow * nm + k];
            }
            pivot_of[prow++] = c;
        }
        for (size_t i = 0; i < prow; i++) {
            size_t others = 0;
            for (size_t k = 0; k < nm; k++)
                others += k != pivot_of[i] && fabs(a[i * nm + k]) > 1e-9;
            if (!others)
                exposed[members[pivot_of[i]]] = 1;
        }
        free(pivot_of);
        free(a);
    }
    free(used);
    free(rels);
    free(members);
    free(col);
    free(next);
    free(tail);
    free(head);
    free(up);
}

/* ----------------------------------------------------- choosing the next */

static int hideable(const node *d)
{
    return d->cell && d->cell->present && !d->var && d->cell->den != 0;
}

/* The unknowns of relation k. */
static size_t unknowns(const eqs *e, size_t k)
{
    size_t n = 0;
    for (size_t m = e->off[k]; m < e->off[k + 1]; m++)
        n += e->v[e->ent[m]].var;
    return n;
}

/* Relations of i that hold no unknown yet: hiding i would expose it there. */
static size_t new_exposures(const eqs *e, size_t i)
{
    size_t n = 0;
    for (size_t j = e->rel_off[i]; j < e->rel_off[i + 1]; j++)
        n += unknowns(e, e->rel_of[j]) == 0;
    return n;
}

static int better(const eqs *e, size_t a, size_t b)
{
    const node *x = &e->v[a], *y = &e->v[b];
    if (x->region != y->region)
        return x->region < y->region;
    size_t na = new_exposures(e, a), nb = new_exposures(e, b);
    if (na != nb)
        return na < nb;
    if (x->n != y->n)
        return x->n < y->n;
    return a < b;
}

/* The best hideable figure of relation k, against best so far. */
static size_t best_in(const eqs *e, size_t k, size_t best)
{
    for (size_t m = e->off[k]; m < e->off[k + 1]; m++) {
        size_t c = e->ent[m];
        if (hideable(&e->v[c]) && (best == SIZE_MAX || better(e, c, best)))
            best = c;
    }
    return best;
}

/* The figure to hide for exposed node h.  Where a relation of h's
 * component holds a single unknown, that gives it away: the first such
 * unknown's relations are mended (keeping the hidden cells to rectangles
 * rather than whole rows).  Else h is exposed through several relations:
 * any relation of h, else any of its component. */
static size_t choose(const eqs *e, size_t h, const size_t *comp)
{
    size_t best = SIZE_MAX;
    for (size_t v = 0; v < e->n && best == SIZE_MAX; v++)
        if (e->v[v].var && comp[v] == comp[h])
            for (size_t j = e->rel_off[v]; j < e->rel_off[v + 1]; j++)
                if (unknowns(e, e->rel_of[j]) == 1)
                    best = best_in(e, e->rel_of[j], best);
    for (size_t j = e->rel_off[h]; j < e->rel_off[h + 1] && best == SIZE_MAX; j++)
        best = best_in(e, e->rel_of[j], best);
    int wide = best == SIZE_MAX;
    for (size_t v = 0; v < e->n && wide; v++)
        if (e->v[v].var && comp[v] == comp[h])
            for (size_t j = e->rel_off[v]; j < e->rel_off[v + 1]; j++)
                best = best_in(e, e->rel_of[j], best);
    return best;
}

/* ----------------------------------------------------------- the report */

static void note(uf_report *r, const uf_series *se, long primary, long secondary, long region)
{
    if (secondary)
        uf_report_issue(r, uf_ind_source(se->ind), &(uf_issue){.count = secondary},
                        "%s: %ld värden dolda (sekundär röjandekontroll) så att %ld värden med "
                        "för litet underlag inte kan räknas fram ur de visade",
                        se->ind->id, secondary, primary);
    if (region)
        uf_report_issue(r, uf_ind_source(se->ind), &(uf_issue){.count = region},
                        "%s: regionens värde döljs i %ld %s; för få enheter visas för att "
                        "skydda de dolda",
                        se->ind->id, region, region == 1 ? "kolumn" : "kolumner");
}

void uf_report_suppress(uf_report *r)
{
    size_t cells = (r->nunits + 1) * UF_NCOLS;
    size_t *first = uf_xcalloc(r->nseries + 1, sizeof *first);
    size_t *rest = uf_xcalloc(r->nseries + 1, sizeof *rest);
    long *group = uf_xcalloc(r->nseries + 1, sizeof *group);
    eqs e = {0};
    for (size_t s = 0; s < r->nseries; s++) {
        const uf_series *se = &r->series[s];
        group[s] = se->computed && se->ind->subgroup_of
                       ? uf_report_series(r, se->ind->subgroup_of)
                       : -1;
        first[s] = e.n;
        e.n += se->computed ? cells : 0;
        if (group[s] >= 0) {
            rest[s] = e.n;
            e.n += cells;
        }
    }
    e.v = uf_xcalloc(e.n + 1, sizeof *e.v);
    for (size_t s = 0; s < r->nseries; s++)
        if (r->series[s].computed)
            series_relations(&e, r, s, first[s]);
    for (size_t s = 0; s < r->nseries; s++)
        if (group[s] >= 0)
            subgroup_relations(&e, r, (size_t)group[s], first[group[s]], s, first[s], rest[s]);
    index_relations(&e);

    unsigned char *exposed = uf_xmalloc(e.n + 1);
    size_t *comp = uf_xmalloc((e.n + 1) * sizeof *comp);
    /* Components are independent, so each pass mends the first exposure
     * of every component, unless an earlier hide of the pass touched it
     * (hiding ties components together). */
    unsigned char *touched = uf_xmalloc(e.n + 1), *dirty = uf_xmalloc(e.n + 1);
    memset(dirty, 1, e.n + 1);
    for (int again = 1; again;) {
        exposed_nodes(&e, exposed, comp, dirty);
        memset(touched, 0, e.n);
        again = 0;
        for (size_t h = 0; h < e.n; h++) {
            if (!exposed[h] || !e.v[h].guard || touched[comp[h]])
                continue;
            again = 1;
            touched[comp[h]] = 1;
            size_t c = choose(&e, h, comp);
            if (c == SIZE_MAX) { /* nothing left to hide: not while the region can be */
                e.v[h].guard = 0;
                dirty[h] = 1;
                continue;
            }
            for (size_t j = e.rel_off[c]; j < e.rel_off[c + 1]; j++)
                for (size_t m = e.off[e.rel_of[j]]; m < e.off[e.rel_of[j] + 1]; m++)
                    if (e.v[e.ent[m]].var)
                        touched[comp[e.ent[m]]] = 1;
            e.v[c].var = e.v[c].guard = dirty[c] = 1;
            e.v[c].cell->status = UF_ST_HIDDEN;
        }
    }
    free(touched);
    free(dirty);

    for (size_t s = 0; s < r->nseries; s++) {
        if (!r->series[s].computed)
            continue;
        long primary = 0, secondary = 0, region = 0;
        for (size_t i = 0; i < cells; i++) {
            const uf_cell *c = &r->series[s].cells[i];
            primary += c->present && c->status == UF_ST_SMALL;
            secondary += c->present && c->status == UF_ST_HIDDEN;
            region += i < UF_NCOLS && c->status == UF_ST_HIDDEN;
        }
        note(r, &r->series[s], primary, secondary, region);
    }
    free(exposed);
    free(comp);
    free(e.v);
    free(e.ent);
    free(e.coef);
    free(e.off);
    free(e.rel_of);
    free(e.rel_off);
    free(first);
    free(rest);
    free(group);
}
