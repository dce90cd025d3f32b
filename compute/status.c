/* compute/status.c — a cell against the nämnd's target (the traffic light), and
 * the gate that keeps an incomplete month from being published as final. */
#include "derive.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Rounding in sums of fractions must not turn a met target into a miss. */
#define SLACK 1e-9

uf_status uf_status_judge(const uf_indicator *ind, const uf_cell *c, const uf_target *t)
{
    if (!c->present)
        return UF_ST_MISSING;
    if (uf_cell_n(c, ind) < ind->min_n || c->den == 0)
        return UF_ST_SMALL;
    /* num NAN: an earlier edition suppressed the figure, and it stays so;
     * with n enough, that was to protect another (compute/suppress.c) */
    if (isnan(c->num))
        return UF_ST_HIDDEN;
    if (!t)
        return UF_ST_NOTARGET;
    double v = uf_cell_value(c);
    double shortfall = ind->direction < 0 ? v - t->value : t->value - v;
    if (shortfall <= SLACK)
        return UF_ST_MET;
    double tol = ind->kind == UF_KIND_PERCENT ? ind->tolerance : ind->tolerance * fabs(t->value);
    return shortfall <= tol + SLACK ? UF_ST_NEAR : UF_ST_MISSED;
}

void uf_cell_judge(uf_cell *c, const uf_indicator *ind, const uf_targets *targets,
                   const char *unit, uf_month m)
{
    c->target = targets ? uf_targets_find(targets, ind->id, unit, m) : NULL;
    c->status = c->judged = uf_status_judge(ind, c, c->target);
}

const char *uf_status_word(uf_status s)
{
    static const char *const words[] = {
        [UF_ST_MISSING] = "",           [UF_ST_NOTARGET] = "inget_mal", [UF_ST_MET] = "uppnatt",
        [UF_ST_NEAR] = "nara",          [UF_ST_MISSED] = "ej_uppnatt",
        [UF_ST_SMALL] = "for_litet_underlag", [UF_ST_NODATA] = "underlag_saknas",
        [UF_ST_HIDDEN] = "dold"};
    return (int)s < UF_NSTATUS ? words[s] : "";
}

const char *uf_status_label(uf_status s)
{
    static const char *const labels[] = {
        [UF_ST_MISSING] = "Saknas",     [UF_ST_NOTARGET] = "Inget mål", [UF_ST_MET] = "Uppnått",
        [UF_ST_NEAR] = "Nära",          [UF_ST_MISSED] = "Ej uppnått",
        [UF_ST_SMALL] = "För litet underlag", [UF_ST_NODATA] = "Underlag saknas",
        [UF_ST_HIDDEN] = "Dold"};
    return (int)s < UF_NSTATUS ? labels[s] : "";
}

/* ------------------------------------------------------------- targets */

static int computed(const uf_ctx *x, const unsigned char *run, const char *indicator)
{
    for (size_t i = 0; i < x->ntallies; i++)
        if (run[i] && strcmp(x->tallies[i].ind->id, indicator) == 0)
            return 1;
    return 0;
}

static int listed(const uf_ctx *x, const char *unit)
{
    int64_t i = x->units.ids ? uf_strtab_find(x->units.ids, unit, strlen(unit)) : -1;
    return i >= 0 && x->units.v[i].known;
}

/* The file has faults listed: what it lacks is not known, and not said. */
static int faulted(const uf_ctx *x, const char *file)
{
    for (size_t i = 0; i < x->faults->nsrc; i++)
        if (strcmp(x->faults->src[i].source, file) == 0)
            return 1;
    return 0;
}

int uf_ctx_check_targets(uf_ctx *x, const unsigned char *run)
{
    const uf_targets *t = x->in->targets;
    uf_month p = x->in->period;
    if (!t || !x->units.have_file || faulted(x, "enheter.csv"))
        return 0;
    const uf_target *first = NULL;
    char more[300] = "";
    size_t used = 0, nmore = 0;
    for (size_t i = 0; i < t->n; i++) {
        const uf_target *g = &t->v[i];
        if (!g->unit || p < g->from || p > g->to || !computed(x, run, g->indicator) ||
            listed(x, g->unit))
            continue;
        if (!first) {
            first = g;
            continue;
        }
        nmore++;
        used += (size_t)snprintf(more + used, used < sizeof more ? sizeof more - used : 0,
                                 "%srad %ld (enheten \"%s\")", used ? ", " : "", g->line, g->unit);
    }
    if (!first)
        return 0;
    char what[200], also[340] = "";
    uf_target_describe(first, 0, what, sizeof what);
    if (nmore)
        snprintf(also, sizeof also, ", och likaså %s på %s", nmore == 1 ? "målet" : "målen", more);
    uf_error_set(x->err, UF_ERR_CONFIG, t->path, first->line, first->column, "unit",
                 "%s gäller enheten \"%s\", som inte finns i enheter.csv%s; väntade ett enhet_id "
                 "ur enheter.csv, eller \"to\" med den sista månad målet gällde",
                 what, first->unit, also);
    return -1;
}

/* ------------------------------------------------------- completeness gate */

void uf_ctx_incomplete(uf_ctx *x, const char *file, const char *fmt, ...)
{
    char what[sizeof x->out->issues->reason];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (faulted(x, file))
        return;
    /* Readers and the gate may see the same gap: it is said once. */
    for (size_t i = 0; i < x->out->nissues; i++)
        if (strcmp(x->out->issues[i].file, file) == 0 && strcmp(x->out->issues[i].reason, what) == 0)
            return;
    uf_report_issue(x->out, file, &(uf_issue){.count = 1}, "%s", what);
    size_t used = strlen(x->gaps);
    if (x->ngaps++ < 3)
        snprintf(x->gaps + used, sizeof x->gaps - used, "%s%s: %s", used ? "; " : "", file, what);
}

/* An indicator delivered counted: every unit of enheter.csv needs its row
 * for P, unless the file gives the region's figure only. */
static void aggregat_gaps(uf_ctx *x, const uf_tally *t, const char *file, const char *month)
{
    const uf_units *u = &x->units;
    size_t with = 0;
    for (size_t i = 0; i < u->n; i++)
        with += t->has[i * UF_TREND + UF_TREND - 1];
    if (with == 0) {
        if (!t->region_set[UF_TREND - 1])
            uf_ctx_incomplete(x, file, "ingen rad för %s %s", t->ind->id, month);
        return;
    }
    for (size_t i = 0; i < u->n; i++)
        if (u->v[i].known && !t->has[i * UF_TREND + UF_TREND - 1])
            uf_ctx_incomplete(x, file, "ingen rad för %s %s (%s)", t->ind->id, month, u->v[i].id);
}

int uf_ctx_gate(uf_ctx *x, const unsigned char *run)
{
    const uf_compute_in *in = x->in;
    char month[8];
    uf_month_format(in->period, month);
    if (!x->units.have_file)
        uf_ctx_incomplete(x, "enheter.csv",
                          "filen saknas; enheterna visas med sitt id och ingen kan prövas "
                          "för saknade rader");
    for (size_t i = 0; i < x->ntallies; i++) {
        const uf_tally *t = &x->tallies[i];
        const uf_indicator *ind = t->ind;
        const char *file = uf_ind_source(ind);
        if (!run[i])
            continue;
        if (ind->derivation == UF_DER_AGGREGAT) {
            aggregat_gaps(x, t, file, month);
            continue;
        }
        /* shared derivations are filled in the first of their tallies; an
         * optional column that is missing is a finding, not a gap */
        if (t->month[UF_TREND - 1] || t->lead != i || t->absent)
            continue;
        if (ind->derivation == UF_DER_BEDOMNING_3D || ind->derivation == UF_DER_TELEFON_SAMMA_DAG)
            uf_ctx_incomplete(x, file, "inga rader för %s", month);
        else if (ind->derivation == UF_DER_KONTINUITET_COC ||
                 ind->derivation == UF_DER_KONTINUITET_UPC)
            uf_ctx_incomplete(x, file, "besöken täcker inte alla %d månader fram till %s; %s kan "
                                       "inte beräknas",
                              ind->params.window, month, ind->id);
        else
            uf_ctx_incomplete(x, file, "%s kan inte beräknas för %s", ind->id, month);
    }
    if (x->ngaps == 0)
        return 0;
    x->out->preliminary = 1;
    /* Without a config (compute --data, tests) there is no switch to obey:
     * the gaps are findings. */
    if (!in->cfg || in->skip_missing)
        return 0;
    if (in->cfg->completeness_preliminary) {
        if (x->faults->n) /* refused for its faults, not published at all */
            return 0;
        uf_log("underlaget för %s är ofullständigt (%ld %s); rapporten märks preliminär", month,
               x->ngaps, x->ngaps == 1 ? "brist" : "brister");
        return 0;
    }
    char more[40] = "";
    if (x->ngaps > 3)
        snprintf(more, sizeof more, " (och %ld till)", x->ngaps - 3);
    uf_error_set(x->err, UF_ERR_INPUT, NULL, 0, 0, NULL,
                 "ofullständigt underlag för %s: %s%s. Rätta extrakten och kör igen, eller "
                 "ange \"completeness\": \"preliminary\" i inställningarna för att publicera "
                 "rapporten märkt preliminär",
                 month, x->gaps, more);
    return -1;
}
