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
 * unknowns.
 *
 * That test is made on the tables' shape rather than by elimination, which
 * at a national region's size (one column equation over 1 100 units ties
 * every hidden cell of a series together) cannot be afforded once per
 * hidden cell.  A series' equations are those of a graph: take the
 * months' columns (region = units), per row the tertial (= its months) and
 * the year less the tertial (= the year's other months + the tertial).
 * The ranges' columns add nothing: region = units for the year to date is
 * the sum of the months' columns and rows (where a month's region has no
 * units, it is not an equation at all).  Then every cell is in at most two
 * equations, with opposite signs once the unit rows' equations are
 * negated: an arc between them (to a common "ground" when in one).  The
 * unknowns' values that satisfy the equations with the shown figures held
 * are the flows on the unknown cells' arcs, so a hidden cell is given back
 * exactly when its arc is a bridge, on no cycle of unknown arcs (Tarjan,
 * linear).
 *
 * Between series: a rest of group appears in no other equation, so it
 * ties nothing together; it is given back exactly when both its group's
 * and its subgroup's cell are.  Where the rest is 0 the two cells are one
 * figure: when one is known, so is the other (found to a fixpoint); where
 * both are unknown, each is counted unexposed only if it is on a cycle of
 * its own table that avoids every other such cell — an under-estimate of
 * what is unexposed, so never too little is hidden.
 *
 * While any hidden figure (or a rest-of-group below the minimum n) is so
 * exposed, one more figure is hidden: for a bridge, one whose arc closes a
 * cycle through it where there is one, else one that shares an equation
 * with it; of those, a unit before the region, then the one that exposes
 * no new equation, then the smallest n, then report order, so the choice
 * is deterministic.  A pass mends every exposure that the pass's earlier
 * hides cannot have mended (a hide closes the cycle through the bridges
 * on the tree path between its arc's ends, and only those), and the
 * passes repeat until none is left.
 *
 * Denominators are published (SPEC: namnare stays) and are not hidden here:
 * alone they say nothing of the outcome.  A cell whose n is 0 is known
 * (its numerator is 0), so it neither needs nor gives protection. */
#include "derive.h"
#include "editions.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { NONE = UINT32_MAX };

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
    uint32_t a, b;       /* a cell's arc: its two equations of the graph, or NONE */
    unsigned char var;   /* unknown to a reader */
    unsigned char guard; /* must stay unknown */
    unsigned char region;
} node;

typedef struct {
    node *v;
    size_t n;
    size_t *ent; /* relation k is ent[off[k] .. off[k+1]) */
    size_t nent, cap;
    size_t *off;
    size_t nrel, relcap;
    size_t *rel_of, *rel_off; /* node -> its relations (CSR) */
    size_t *nunk;             /* relation -> its unknowns */
    uint32_t ng;              /* the graph's nodes (equations and grounds) */
    size_t (*pair)[2];        /* cells that are one figure (a rest of 0) */
    size_t npair;
} eqs;

static void rel_begin(eqs *e)
{
    if (e->nrel + 2 > e->relcap) {
        e->relcap = e->relcap ? 2 * e->relcap : 256;
        e->off = uf_xrealloc(e->off, e->relcap * sizeof *e->off);
    }
    e->off[e->nrel] = e->nent;
}

static void rel_add(eqs *e, size_t node)
{
    if (e->nent == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 1024;
        e->ent = uf_xrealloc(e->ent, e->cap * sizeof *e->ent);
    }
    e->ent[e->nent++] = node;
}

/* A relation of one entry says nothing; drop it.  A table's relation is a
 * node of the graph, an end of its cells' arcs. */
static void rel_end(eqs *e, int table)
{
    if (e->nent - e->off[e->nrel] < 2) {
        e->nent = e->off[e->nrel];
        return;
    }
    for (size_t j = e->off[e->nrel]; j < e->nent && table; j++) {
        node *d = &e->v[e->ent[j]];
        *(d->a == NONE ? &d->a : &d->b) = (uint32_t)e->nrel;
    }
    e->off[++e->nrel] = e->nent;
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

/* The equations of one series (cells from node first): the months'
 * columns, and per row the tertial and the year less the tertial. */
static void series_relations(eqs *e, const uf_report *r, size_t s, size_t first)
{
    const uf_series *se = &r->series[s];
    size_t rows = r->nunits + 1;
    uf_month p = r->period;
    int last = se->ind->aggregation == UF_AGG_LAST;
    int ytd = last ? UF_TREND - 1 : UF_TREND - uf_month_number(p);
    int tertial = last ? UF_TREND - 1 : UF_TREND - 1 - (int)(p - uf_tertial_first(p));
    for (size_t row = 0; row < rows; row++)
        for (int c = 0; c < UF_NCOLS; c++)
            node_set(&e->v[first + row * UF_NCOLS + (size_t)c], &se->cells[row * UF_NCOLS + c],
                     se->ind, row == 0);
#define AT(row, c) (first + (row) * UF_NCOLS + (size_t)(c))
#define PRESENT(row, c) (se->cells[(row) * UF_NCOLS + (c)].present)
    for (int c = 0; c < UF_TREND; c++) {
        if (!PRESENT(0, c))
            continue;
        rel_begin(e);
        for (size_t row = 0; row < rows; row++)
            if (PRESENT(row, c))
                rel_add(e, AT(row, c));
        rel_end(e, 1);
    }
    for (size_t row = 0; row < rows; row++) {
        const int total[2] = {UF_COL_TERTIAL, UF_COL_YTD}, from[2] = {tertial, ytd};
        for (int k = 0; k < 2; k++) {
            if (!PRESENT(row, total[k]))
                continue;
            rel_begin(e);
            rel_add(e, AT(row, total[k]));
            for (int c = from[k]; c < (k ? tertial : UF_TREND); c++)
                if (PRESENT(row, c))
                    rel_add(e, AT(row, c));
            if (k && PRESENT(row, UF_COL_TERTIAL))
                rel_add(e, AT(row, UF_COL_TERTIAL));
            rel_end(e, 1);
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
        rel_add(e, gfirst + i);
        if (sc->present)
            rel_add(e, sfirst + i);
        rel_add(e, rest + i);
        rel_end(e, 0);
        if (!d->var && sc->present) { /* a rest of 0: the two cells are one figure */
            e->pair = uf_xrealloc(e->pair, (e->npair + 1) * sizeof *e->pair);
            e->pair[e->npair][0] = gfirst + i;
            e->pair[e->npair++][1] = sfirst + i;
        }
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
    e->nunk = uf_xcalloc(e->nrel + 1, sizeof *e->nunk);
    for (size_t k = 0; k < e->nrel; k++)
        for (size_t j = e->off[k]; j < e->off[k + 1]; j++)
            e->nunk[k] += e->v[e->ent[j]].var;
}


/* ------------------------------------------------------------- the graph */

/* The unknown arcs' bridges and the depth-first forest they were found in;
 * close_path keeps the forest true to a pass's hides where it can. */
typedef struct {
    uint32_t *adj_off, *adj_to, *it, *stack;
    size_t *adj_arc, *parc;
    uint32_t *disc, *low, *par, *depth, *tree, *size;
    uint32_t *order, *sub;       /* node by discovery; the size of the subtree below a node */
    uint32_t *inc_off;           /* graph node -> every present cell it is an end of */
    size_t *inc_cell;
    unsigned char *bridge;       /* per node of eqs */
    unsigned char *moved;        /* per graph node: hung from another tree by close_path */
    unsigned char *touched;      /* per graph node: the arc to its parent closed a cycle */
    unsigned char *tree_touched; /* per root: two trees joined, the forest is stale */
} forest;

static void forest_init(forest *f, const eqs *e)
{
    size_t ng = (size_t)e->ng + 1, arcs = 2 * e->n + 1;
    f->adj_off = uf_xmalloc((ng + 1) * sizeof *f->adj_off);
    f->adj_to = uf_xmalloc(arcs * sizeof *f->adj_to);
    f->adj_arc = uf_xmalloc(arcs * sizeof *f->adj_arc);
    uint32_t **per[] = {&f->it,   &f->stack, &f->disc, &f->low,   &f->par,
                        &f->depth, &f->tree, &f->size, &f->order, &f->sub};
    for (size_t i = 0; i < sizeof per / sizeof *per; i++)
        *per[i] = uf_xmalloc(ng * sizeof **per[i]);
    f->parc = uf_xmalloc(ng * sizeof *f->parc);
    f->bridge = uf_xmalloc(e->n + 1);
    f->touched = uf_xmalloc(ng);
    f->tree_touched = uf_xmalloc(ng);
    f->moved = uf_xmalloc(ng);
    f->inc_off = uf_xcalloc(ng + 1, sizeof *f->inc_off);
    f->inc_cell = uf_xmalloc(arcs * sizeof *f->inc_cell);
    for (size_t v = 0; v < e->n; v++)
        if (e->v[v].a != NONE) {
            f->inc_off[e->v[v].a + 1]++;
            f->inc_off[e->v[v].b + 1]++;
        }
    for (size_t i = 0; i + 1 < ng; i++)
        f->inc_off[i + 1] += f->inc_off[i];
    memcpy(f->it, f->inc_off, (ng - 1) * sizeof *f->it);
    for (size_t v = 0; v < e->n; v++)
        if (e->v[v].a != NONE) {
            f->inc_cell[f->it[e->v[v].a]++] = v;
            f->inc_cell[f->it[e->v[v].b]++] = v;
        }
}

static void forest_free(forest *f)
{
    void *all[] = {f->adj_off, f->adj_to,  f->adj_arc, f->it,     f->stack,        f->disc,
                   f->low,     f->par,     f->depth,   f->tree,   f->size,         f->order,
                   f->sub,     f->inc_off, f->inc_cell, f->parc,  f->bridge,       f->touched,
                   f->tree_touched, f->moved};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

/* Tarjan's bridges over the arcs of the unknown cells not left out. */
static void find_bridges(const eqs *e, const unsigned char *out, forest *f)
{
    uint32_t ng = e->ng;
    memset(f->adj_off, 0, ((size_t)ng + 1) * sizeof *f->adj_off);
    for (size_t v = 0; v < e->n; v++)
        if (e->v[v].var && e->v[v].a != NONE && !out[v]) {
            f->adj_off[e->v[v].a + 1]++;
            f->adj_off[e->v[v].b + 1]++;
        }
    for (uint32_t i = 0; i < ng; i++)
        f->adj_off[i + 1] += f->adj_off[i];
    memcpy(f->it, f->adj_off, ng * sizeof *f->it);
    for (size_t v = 0; v < e->n; v++)
        if (e->v[v].var && e->v[v].a != NONE && !out[v]) {
            uint32_t a = e->v[v].a, b = e->v[v].b;
            f->adj_arc[f->it[a]] = v;
            f->adj_to[f->it[a]++] = b;
            f->adj_arc[f->it[b]] = v;
            f->adj_to[f->it[b]++] = a;
        }
    memset(f->bridge, 0, e->n);
    memset(f->touched, 0, ng);
    memset(f->tree_touched, 0, ng);
    memset(f->moved, 0, ng);
    for (uint32_t i = 0; i < ng; i++)
        f->disc[i] = NONE;
    uint32_t t = 0;
    for (uint32_t root = 0; root < ng; root++) {
        if (f->disc[root] != NONE)
            continue;
        size_t sp = 0;
        f->order[t] = root;
        f->sub[root] = 1;
        f->disc[root] = f->low[root] = t++;
        f->par[root] = NONE;
        f->parc[root] = SIZE_MAX;
        f->depth[root] = 0;
        f->tree[root] = root;
        f->size[root] = 1;
        f->it[root] = f->adj_off[root];
        f->stack[sp++] = root;
        while (sp) {
            uint32_t x = f->stack[sp - 1];
            if (f->it[x] < f->adj_off[x + 1]) {
                uint32_t k = f->it[x]++, y = f->adj_to[k];
                if (f->adj_arc[k] == f->parc[x])
                    continue;
                if (f->disc[y] == NONE) {
                    f->order[t] = y;
                    f->sub[y] = 1;
                    f->disc[y] = f->low[y] = t++;
                    f->par[y] = x;
                    f->parc[y] = f->adj_arc[k];
                    f->depth[y] = f->depth[x] + 1;
                    f->tree[y] = root;
                    f->size[root]++;
                    f->it[y] = f->adj_off[y];
                    f->stack[sp++] = y;
                } else if (f->disc[y] < f->low[x]) {
                    f->low[x] = f->disc[y];
                }
                continue;
            }
            uint32_t q = f->par[x];
            sp--;
            if (q == NONE)
                continue;
            f->sub[q] += f->sub[x];
            if (f->low[x] < f->low[q])
                f->low[q] = f->low[x];
            if (f->low[x] > f->disc[q])
                f->bridge[f->parc[x]] = 1;
        }
    }
}

/* Hidden cell c's arc joins the forest: the tree path between its ends is
 * on a cycle now, so its bridges are mended; a lone node hangs from the
 * other end; two trees joined leave both stale until the next pass. */
static void close_path(const eqs *e, forest *f, size_t c)
{
    uint32_t x = e->v[c].a, y = e->v[c].b;
    if (x == NONE)
        return;
    if (f->tree[x] == f->tree[y]) {
        while (x != y) {
            if (f->depth[x] < f->depth[y]) {
                uint32_t t = x;
                x = y;
                y = t;
            }
            f->touched[x] = 1;
            x = f->par[x];
        }
    } else if (f->size[f->tree[x]] == 1 || f->size[f->tree[y]] == 1) {
        if (f->size[f->tree[y]] != 1) {
            uint32_t t = x;
            x = y;
            y = t;
        }
        f->size[f->tree[x]]++;
        f->moved[y] = 1;
        f->tree[y] = f->tree[x];
        f->par[y] = x;
        f->parc[y] = c;
        f->depth[y] = f->depth[x] + 1;
    } else {
        f->tree_touched[f->tree[x]] = f->tree_touched[f->tree[y]] = 1;
    }
}

/* --------------------------------------------------------- exposure test */

/* out[v]: 1 when cell v is known through a pair, 2 when it is a pair's and
 * unknown (left out of the graph); cls: a pair's cells' common root. */
static int known(const eqs *e, const forest *f, const unsigned char *out, size_t v)
{
    return !e->v[v].var || out[v] == 1 || f->bridge[v];
}

/* exposed[v]: the shown figures determine unknown v, a cell or a rest. */
static void find_exposed(const eqs *e, forest *f, unsigned char *out, const size_t *cls,
                         unsigned char *prot, unsigned char *exposed)
{
    memset(out, 0, e->n);
    for (int changed = 1; changed;) {
        find_bridges(e, out, f);
        changed = 0;
        for (size_t k = 0; k < e->npair; k++) {
            size_t x = e->pair[k][0], y = e->pair[k][1];
            int kx = known(e, f, out, x), ky = known(e, f, out, y);
            if (kx != ky) {
                out[kx ? y : x] = 1;
                changed = 1;
            }
        }
    }
    int open = 0;
    for (size_t k = 0; k < e->npair; k++)
        for (int i = 0; i < 2; i++)
            if (!known(e, f, out, e->pair[k][i])) {
                out[e->pair[k][i]] = 2;
                prot[cls[e->pair[k][i]]] = 1;
                open = 1;
            }
    if (open) {
        find_bridges(e, out, f);
        /* a pair's figure is unexposed when each of its cells is on a
         * cycle of its own table, clear of every other pair */
        for (size_t v = 0; v < e->n; v++)
            if (out[v] == 2 && e->v[v].a != NONE && f->tree[e->v[v].a] != f->tree[e->v[v].b])
                prot[cls[v]] = 0;
    }
    for (size_t v = 0; v < e->n; v++)
        exposed[v] = e->v[v].var && e->v[v].cell &&
                     (out[v] == 1 || (out[v] == 2 ? !prot[cls[v]] : f->bridge[v]));
    /* a rest is given back when its group's cell and its subgroup's are */
    for (size_t v = 0; v < e->n; v++) {
        if (!e->v[v].var || e->v[v].cell)
            continue;
        size_t k = e->rel_of[e->rel_off[v]];
        int safe = 0;
        for (size_t j = e->off[k]; j < e->off[k + 1]; j++)
            safe |= e->ent[j] != v && e->v[e->ent[j]].var && !exposed[e->ent[j]];
        exposed[v] = !safe;
    }
}

/* Exposure h is still what the pass found: no earlier hide of the pass
 * can have mended it.  A bridge is mended only when the path a hide
 * closed runs through it; the rest (a pair, a rest of group) waits for a
 * pass of its own. */
static int fresh(const eqs *e, const forest *f, const unsigned char *out, size_t h, int hid)
{
    const node *d = &e->v[h];
    if (!d->cell || out[h])
        return !hid;
    uint32_t x = f->parc[d->a] == h ? d->a : d->b;
    return !f->touched[x] && !f->tree_touched[f->tree[x]];
}

static size_t find(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* Components of the unknowns the relations tie together, each a list in
 * node order through next[] from head[root] to tail[root]. */
static void components(const eqs *e, size_t *comp, size_t *head, size_t *tail, size_t *next)
{
    for (size_t i = 0; i < e->n; i++)
        comp[i] = i;
    for (size_t k = 0; k < e->nrel; k++) {
        size_t first = SIZE_MAX;
        for (size_t j = e->off[k]; j < e->off[k + 1]; j++) {
            size_t v = e->ent[j];
            if (!e->v[v].var)
                continue;
            if (first == SIZE_MAX)
                first = v;
            else
                comp[find(comp, v)] = find(comp, first);
        }
    }
    for (size_t i = 0; i < e->n; i++) {
        comp[i] = find(comp, i);
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
}

/* ----------------------------------------------------- choosing the next */

static int hideable(const node *d)
{
    return d->cell && d->cell->present && !d->var && d->cell->den != 0;
}

/* Relations of i that hold no unknown yet: hiding i would expose it there. */
static size_t new_exposures(const eqs *e, size_t i)
{
    size_t n = 0;
    for (size_t j = e->rel_off[i]; j < e->rel_off[i + 1]; j++)
        n += e->nunk[e->rel_of[j]] == 0;
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

/* For bridge h: the best hideable cell whose arc closes a cycle through
 * it, one end below h in its tree and the other above, or SIZE_MAX.  The
 * cells at the smaller side's nodes are looked at. */
static size_t closing(const eqs *e, const forest *f, size_t h)
{
    const node *d = &e->v[h];
    uint32_t x = f->parc[d->a] == h ? d->a : d->b, root = f->tree[x];
    uint32_t lo = f->disc[x], hi = lo + f->sub[x], tlo = f->disc[root], thi = tlo + f->sub[root];
    uint32_t range[2][2] = {{lo, hi}, {hi, thi}};
    if (hi - lo > (thi - tlo) / 2) { /* above: the tree less the subtree */
        range[0][0] = tlo;
        range[0][1] = lo;
    } else {
        range[1][0] = range[1][1];
    }
    size_t best = SIZE_MAX;
    for (int k = 0; k < 2; k++)
        for (uint32_t t = range[k][0]; t < range[k][1]; t++) {
            uint32_t y = f->order[t];
            for (uint32_t i = f->inc_off[y]; i < f->inc_off[y + 1]; i++) {
                size_t c = f->inc_cell[i];
                uint32_t p = e->v[c].a, q = e->v[c].b;
                if (!hideable(&e->v[c]) || f->moved[p] || f->moved[q] || f->tree[p] != root ||
                    f->tree[q] != root)
                    continue;
                int pin = f->disc[p] >= lo && f->disc[p] < hi;
                int qin = f->disc[q] >= lo && f->disc[q] < hi;
                if (pin != qin && (best == SIZE_MAX || better(e, c, best)))
                    best = c;
            }
        }
    return best;
}

/* The figure to hide for exposed node h, whose component's unknowns run
 * from v through next[].  Where a relation of the component holds a single
 * unknown, that gives it away: the first such unknown's relations are
 * mended (keeping the hidden cells to rectangles rather than whole rows).
 * Else h is exposed through several relations: the best of h's relations
 * (a unit's figure before the region's), else of its component's. */
static size_t choose(const eqs *e, size_t h, size_t v, const size_t *next)
{
    size_t best = SIZE_MAX;
    for (size_t u = v; u != SIZE_MAX && best == SIZE_MAX; u = next[u])
        for (size_t j = e->rel_off[u]; j < e->rel_off[u + 1]; j++)
            if (e->nunk[e->rel_of[j]] == 1)
                best = best_in(e, e->rel_of[j], best);
    int single = best != SIZE_MAX;
    for (size_t j = e->rel_off[h]; j < e->rel_off[h + 1] && !single; j++)
        best = best_in(e, e->rel_of[j], best);
    int wide = best == SIZE_MAX;
    for (size_t u = v; u != SIZE_MAX && wide; u = next[u])
        for (size_t j = e->rel_off[u]; j < e->rel_off[u + 1]; j++)
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

/* Hide node c, found for the exposure of component list comp's root. */
static void hide(eqs *e, forest *f, size_t c, size_t root, size_t *comp, size_t *tail,
                 size_t *next)
{
    node *d = &e->v[c];
    d->var = d->guard = 1;
    d->cell->status = UF_ST_HIDDEN;
    for (size_t j = e->rel_off[c]; j < e->rel_off[c + 1]; j++)
        e->nunk[e->rel_of[j]]++;
    comp[c] = root;
    next[c] = SIZE_MAX;
    next[tail[root]] = c;
    tail[root] = c;
    close_path(e, f, c);
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
    for (size_t i = 0; i < e.n; i++)
        e.v[i].a = e.v[i].b = NONE;
    for (size_t s = 0; s < r->nseries; s++)
        if (r->series[s].computed)
            series_relations(&e, r, s, first[s]);
    /* a cell in one equation: its arc's other end is the ground, one for
     * all (a cycle through it never leaves its table) */
    e.ng = (uint32_t)e.nrel + 1;
    for (size_t i = 0; i < e.n; i++)
        if (e.v[i].a != NONE && e.v[i].b == NONE)
            e.v[i].b = (uint32_t)e.nrel;
    for (size_t s = 0; s < r->nseries; s++)
        if (group[s] >= 0)
            subgroup_relations(&e, r, (size_t)group[s], first[group[s]], s, first[s], rest[s]);
    index_relations(&e);

    size_t *cls = uf_xmalloc((e.n + 1) * sizeof *cls);
    for (size_t i = 0; i < e.n; i++)
        cls[i] = i;
    for (size_t k = 0; k < e.npair; k++)
        cls[find(cls, e.pair[k][0])] = find(cls, e.pair[k][1]);
    for (size_t i = 0; i < e.n; i++)
        cls[i] = find(cls, i);
    forest f;
    forest_init(&f, &e);
    unsigned char *out = uf_xmalloc(e.n + 1), *prot = uf_xmalloc(e.n + 1);
    unsigned char *exposed = uf_xmalloc(e.n + 1);
    size_t *comp = uf_xmalloc((e.n + 1) * sizeof *comp);
    size_t *head = uf_xmalloc((e.n + 1) * sizeof *head), *tail = uf_xmalloc((e.n + 1) * sizeof *tail);
    size_t *next = uf_xmalloc((e.n + 1) * sizeof *next);
    for (int again = 1; again;) {
        find_exposed(&e, &f, out, cls, prot, exposed);
        components(&e, comp, head, tail, next);
        again = 0;
        int hid = 0;
        for (size_t h = 0; h < e.n; h++) {
            if (!exposed[h] || !e.v[h].guard || !fresh(&e, &f, out, h, hid))
                continue;
            again = 1;
            size_t c = e.v[h].cell && !out[h] ? closing(&e, &f, h) : SIZE_MAX;
            if (c == SIZE_MAX)
                c = choose(&e, h, head[comp[h]], next);
            if (c == SIZE_MAX) { /* nothing left to hide: not while the region can be */
                e.v[h].guard = 0;
                continue;
            }
            hide(&e, &f, c, comp[h], comp, tail, next);
            hid = 1;
        }
    }
    free(out);
    free(prot);
    free(exposed);
    free(comp);
    free(head);
    free(tail);
    free(next);
    free(cls);
    forest_free(&f);

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
    free(e.v);
    free(e.ent);
    free(e.off);
    free(e.rel_of);
    free(e.rel_off);
    free(e.nunk);
    free(e.pair);
    free(first);
    free(rest);
    free(group);
}
