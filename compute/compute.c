/* compute/compute.c — one month's report from the extracts: decides which
 * files to read (each once), lets the derivations fill their tallies, then
 * sorts the units into rows, adds year-to-date and tertial, and judges
 * every cell against its target. */
#include "derive.h"
#include "editions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *uf_ind_source(const uf_indicator *ind)
{
    return ind->source && ind->source[0] ? ind->source : uf_derivation_source(ind->derivation);
}

/* ------------------------------------------------------------ files, findings */

static const uf_extract *extract(const uf_ctx *x, const char *name)
{
    for (size_t i = 0; i < x->in->nextracts; i++)
        if (strcmp(x->in->extracts[i].name, name) == 0)
            return &x->in->extracts[i];
    return NULL;
}

const char *uf_ctx_path(const uf_ctx *x, const char *name)
{
    const uf_extract *e = extract(x, name);
    return e ? e->path : NULL;
}

int uf_reader_open(uf_ctx *x, uf_reader *r, const char *name, const uf_column *cols,
                   size_t ncols)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->faults = x->faults;
    const uf_colmap *map = x->in->cfg ? uf_config_columns(x->in->cfg, name) : NULL;
    const uf_extract *e = extract(x, name);
    r->csv = uf_csv_open(e ? e->path : NULL, e && e->display ? e->display : name, cols, ncols,
                         map ? map->v : NULL, map ? map->n : 0, x->err);
    if (!r->csv) {
        uf_errors_add(x->faults, x->err);
        return -1;
    }
    x->reader = r;
    return 0;
}

int uf_reader_next(uf_ctx *x, uf_reader *r)
{
    int rc;
    while ((rc = uf_csv_next(r->csv, x->err)) < 0 && uf_csv_resumable(r->csv))
        uf_reader_fault(r, x->err);
    if (rc < 0) {
        uf_reader_fault(r, x->err);
        uf_errors_stopped(r->faults, x->err->source);
    }
    if (rc == 1 && (++r->read & 0xfffff) == 0)
        uf_progress("%s: %ld rader", r->name, r->read);
    return rc == 0 && r->nfaults ? -1 : rc;
}

void uf_reader_fault(uf_reader *r, const uf_error *err)
{
    r->nfaults++;
    uf_errors_add(r->faults, err);
}

int uf_reader_fail(uf_reader *r, size_t col, int echo, const char *expected, uf_error *err)
{
    uf_csv_field_error(r->csv, col, echo, expected, err);
    uf_reader_fault(r, err);
    return -1;
}

/* SPEC: rows holding only delimiters are skipped and counted, those the
 * streaming reader skipped and those the chunks did, as one finding. */
static void note_hollow(uf_report *out, const uf_reader *r)
{
    static const char why[] = "rader med bara avgränsare (tomma rader från ett kalkylblad) hoppades över";
    uf_report_issue(out, r->name, uf_csv_hollow_rows(r->csv), why);
    uf_report_issue(out, r->name, &r->hollow, why);
}

void uf_reader_close(uf_ctx *x, uf_reader *r, int silent_units)
{
    uf_report *out = x->out;
    out->files = uf_xrealloc(out->files, (out->nfiles + 1) * sizeof *out->files);
    uf_fileinfo *f = &out->files[out->nfiles++];
    memset(f, 0, sizeof *f);
    snprintf(f->file, sizeof f->file, "%s", r->name);
    f->read = r->read;
    f->rejected = r->rejected;
    note_hollow(out, r);

    const uf_units *u = &x->units;
    size_t n = r->seen.n < u->n ? r->seen.n : u->n;
    for (size_t i = 0; i < n; i++)
        if (r->seen.rows[i] && !u->v[i].known && u->have_file)
            uf_report_issue(out, r->name,
                            &(uf_issue){.count = r->seen.rows[i], .nlines = 1,
                                        .lines = {r->seen.first_line[i]}},
                            "enhet finns i data men saknas i enheter.csv (%s)", u->v[i].id);
    if (silent_units)
        uf_units_note_silent(x, r);
    uf_progress_done();
    uf_csv_close(r->csv);
    free(r->seen.rows);
    free(r->seen.rows_p);
    free(r->seen.first_line);
    x->reader = NULL;
}

int uf_reader_flag(uf_reader *r, size_t col, int *out, uf_error *err)
{
    size_t len;
    const char *s = uf_csv_get(r->csv, col, &len);
    *out = 0;
    if (len && uf_parse_flag(s, len, out) < 0)
        return uf_reader_fail(r, col, 1, "J eller N", err);
    return 0;
}

void uf_reader_note_id(uf_reader *r, size_t col, uf_strtab **ids, uf_issue *dup)
{
    size_t len;
    const char *s = uf_csv_get(r->csv, col, &len);
    if (!len)
        return;
    if (!*ids)
        *ids = uf_strtab_new();
    int added;
    uf_strtab_intern(*ids, s, len, &added);
    if (!added)
        uf_issue_see(dup, uf_csv_line(r->csv));
}

uf_month uf_ctx_month(uf_ctx *x, uf_day d)
{
    if (d != x->last_day) {
        x->last_day = d;
        x->last_month = uf_month_of(d);
    }
    return x->last_month;
}

int uf_ctx_col(const uf_ctx *x, uf_month m)
{
    long c = (long)m - (x->in->period - (UF_TREND - 1));
    return c >= 0 && c < UF_TREND ? (int)c : -1;
}

int uf_reader_dated(uf_ctx *x, uf_reader *r, uint32_t u, uf_day d, uf_tally *t)
{
    uf_month m = uf_ctx_month(x, d);
    if (m == x->in->period)
        r->seen.rows_p[u]++;
    int c = uf_ctx_col(x, m);
    if (c >= 0 && t)
        t->month[c] = 1;
    return c;
}

void uf_report_issue(uf_report *r, const char *file, const uf_issue *seen, const char *fmt, ...)
{
    char reason[sizeof r->issues->reason];
    if (seen->count == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    uf_issue *i = NULL;
    for (size_t k = 0; k < r->nissues && !i; k++)
        if (strcmp(r->issues[k].reason, reason) == 0 && strcmp(r->issues[k].file, file) == 0)
            i = &r->issues[k];
    if (!i) {
        r->issues = uf_xrealloc(r->issues, (r->nissues + 1) * sizeof *r->issues);
        i = &r->issues[r->nissues++];
        memset(i, 0, sizeof *i);
        snprintf(i->file, sizeof i->file, "%s", file);
        snprintf(i->reason, sizeof i->reason, "%s", reason);
    }
    i->count += seen->count;
    for (int k = 0; k < seen->nlines && i->nlines < 5; k++)
        i->lines[i->nlines++] = seen->lines[k];
}

uf_tally *uf_ctx_tally_next(uf_ctx *x, uf_derivation d, size_t *at)
{
    for (size_t i = *at; i < x->ntallies; i++)
        if (x->run[i] && x->tallies[i].lead == i && x->tallies[i].ind->derivation == d) {
            *at = i + 1;
            return &x->tallies[i];
        }
    *at = x->ntallies;
    return NULL;
}

uf_tally *uf_ctx_tally(uf_ctx *x, uf_derivation d)
{
    size_t at = 0;
    return uf_ctx_tally_next(x, d, &at);
}

void uf_tally_absent(uf_ctx *x, uf_tally *t, const char *file, const char *what)
{
    t->absent = 1;
    uf_report_issue(x->out, file, &(uf_issue){.count = 1}, "%s: %s beräknas inte", what,
                    t->ind->id);
}

unsigned uf_listing_flag(const char *subgroup)
{
    return subgroup && strcmp(subgroup, "sabo") == 0 ? UF_FLAG_SABO : 0;
}

/* Which tally each reader fills: indicators with the same derivation and
 * parameters (a region's variant with another minimum n, say) are computed
 * once, in the first of them. */
static void choose_leads(uf_ctx *x)
{
    for (size_t i = 0; i < x->ntallies; i++) {
        const uf_indicator *ind = x->tallies[i].ind;
        x->tallies[i].lead = i;
        if (ind->derivation == UF_DER_AGGREGAT || !x->run[i])
            continue;
        for (size_t j = 0; j < i; j++)
            if (x->run[j] && x->tallies[j].ind->derivation == ind->derivation &&
                uf_params_equal(&x->tallies[j].ind->params, &ind->params)) {
                x->tallies[i].lead = j;
                break;
            }
    }
}

/* ------------------------------------------------------------------ reading */

typedef int (*uf_read_fn)(uf_ctx *, const char *);
#define BIT(d) (1u << (d))
/* In this order: the listing assigns patients before the visits are read. */
static const struct {
    uf_read_fn read;
    unsigned ders;
} readers[] = {
    {uf_listning_read, BIT(UF_DER_FAST_LAKARKONTAKT) | BIT(UF_DER_FAST_LAKARKONTAKT_SABO) |
                           BIT(UF_DER_LISTADE_PER_FAST_LAKARE)},
    {uf_kontinuitet_read, BIT(UF_DER_KONTINUITET_COC) | BIT(UF_DER_KONTINUITET_UPC)},
    {uf_bedomning_read, BIT(UF_DER_BEDOMNING_3D)},
    {uf_telefon_read, BIT(UF_DER_TELEFON_SAMMA_DAG)},
};

/* The source of the first indicator to compute whose derivation is in ders. */
static const char *wanted(const uf_ctx *x, const unsigned char *run, unsigned ders)
{
    for (size_t i = 0; i < x->ntallies; i++)
        if (run[i] && (ders & BIT(x->tallies[i].ind->derivation)))
            return uf_ind_source(x->tallies[i].ind);
    return NULL;
}

/* Reads one file; a file that fails is listed with its faults and the next
 * one is read all the same, so that one pass names every fault. */
static void read_one(uf_ctx *x, uf_read_fn read, const char *name)
{
    long before = uf_errors_count(x->faults);
    if (read(x, name) < 0 && uf_errors_count(x->faults) == before)
        uf_errors_add(x->faults, x->err);
}

static int read_all(uf_ctx *x, const unsigned char *run)
{
    const char *units = "enheter.csv", *aggregat = uf_derivation_source(UF_DER_AGGREGAT);
    if (uf_ctx_path(x, units))
        read_one(x, uf_units_read, units);
    for (size_t k = 0; k < sizeof readers / sizeof *readers; k++) {
        const char *name = wanted(x, run, readers[k].ders);
        /* the index assigns patients by the listing whenever there is one */
        if (!name && k == 0 && wanted(x, run, readers[1].ders) &&
            uf_ctx_path(x, uf_derivation_source(UF_DER_FAST_LAKARKONTAKT)))
            name = uf_derivation_source(UF_DER_FAST_LAKARKONTAKT);
        if (name)
            read_one(x, readers[k].read, name);
    }
    for (size_t i = 0; i < x->ntallies; i++) {
        if (!run[i] || x->tallies[i].ind->derivation != UF_DER_AGGREGAT)
            continue;
        const char *name = uf_ind_source(x->tallies[i].ind);
        size_t j = 0;
        while (j < i && !(run[j] && x->tallies[j].ind->derivation == UF_DER_AGGREGAT &&
                          strcmp(uf_ind_source(x->tallies[j].ind), name) == 0))
            j++;
        if (j == i)
            read_one(x, uf_aggregat_read, name);
        if (aggregat && strcmp(name, aggregat) == 0)
            aggregat = NULL;
    }
    /* read all the same when no indicator takes it: its rows are listed as unused */
    if (aggregat && uf_ctx_path(x, aggregat) && !x->in->only)
        read_one(x, uf_aggregat_read, aggregat);
    return x->faults->n ? -1 : 0;
}

/* The figures the reader put in each lead, for the tallies that share them. */
static void share_tallies(uf_ctx *x)
{
    size_t cells = x->units.cap * UF_TREND;
    for (size_t i = 0; i < x->ntallies; i++) {
        uf_tally *t = &x->tallies[i];
        const uf_tally *first = &x->tallies[t->lead];
        if (first == t)
            continue;
        if (cells) {
            memcpy(t->nd, first->nd, cells * sizeof *t->nd);
            memcpy(t->has, first->has, cells);
        }
        memcpy(t->month, first->month, sizeof t->month);
        t->absent = first->absent;
    }
}

/* --------------------------------------------------------------- the report */

static int unit_cmp(const void *a, const void *b, void *arg)
{
    const uf_unit *v = arg;
    return strcmp(v[*(const uint32_t *)a].id, v[*(const uint32_t *)b].id);
}

/* Moves the units into report order; row_of[raw] is the report row (1..n). */
static uint32_t *sort_units(uf_ctx *x)
{
    uf_units *u = &x->units;
    uf_report *out = x->out;
    uint32_t *order = uf_xmalloc(u->n * sizeof *order);
    uint32_t *row_of = uf_xmalloc(u->n * sizeof *row_of);
    for (uint32_t i = 0; i < u->n; i++)
        order[i] = i;
    qsort_r(order, u->n, sizeof *order, unit_cmp, u->v);
    out->nunits = u->n;
    out->units = uf_xcalloc(u->n, sizeof *out->units);
    for (uint32_t k = 0; k < u->n; k++) {
        uf_unit *raw = &u->v[order[k]];
        uf_unit *dst = &out->units[k];
        dst->id = uf_xstrdup(raw->id);
        dst->name = raw->name ? raw->name : uf_xstrdup(raw->id);
        dst->regi = raw->regi ? raw->regi : uf_xstrdup("");
        dst->kommun = raw->kommun ? raw->kommun : uf_xstrdup("");
        dst->known = raw->known;
        raw->name = raw->regi = raw->kommun = NULL;
        row_of[order[k]] = k + 1;
    }
    free(order);
    return row_of;
}

/* Year to date and tertial to date from the month columns of one row. */
static void combine(uf_cell *row, int first, int dst, uf_aggregation agg)
{
    uf_cell *c = &row[dst];
    if (agg == UF_AGG_LAST) {
        *c = row[UF_TREND - 1];
        return;
    }
    for (int k = first; k < UF_TREND; k++)
        if (row[k].present) {
            c->num += row[k].num;
            c->den += row[k].den;
            c->present = 1;
        }
}

static void fill_months(uf_ctx *x, const uf_tally *t, uf_series *s, const uint32_t *row_of)
{
    size_t n = x->units.n;
    s->cells = uf_xcalloc((n + 1) * UF_NCOLS, sizeof *s->cells);
    for (int c = 0; c < UF_TREND; c++) {
        uf_cell *region = &s->cells[c];
        region->present = t->month[c] || t->region_set[c];
        for (size_t u = 0; u < n; u++) {
            uf_cell *cell = &s->cells[row_of[u] * UF_NCOLS + c];
            const uf_nd *nd = &t->nd[u * UF_TREND + c];
            cell->num = nd->num;
            cell->den = nd->den;
            cell->sq = nd->sq;
            cell->present = t->month[c] || t->has[u * UF_TREND + c];
            region->present |= cell->present;
            region->num += nd->num;
            region->den += nd->den;
            region->sq += nd->sq;
        }
        if (t->region_set[c]) {
            region->num = t->region[c].num;
            region->den = t->region[c].den;
        }
    }
}

/* Year to date, tertial and every cell's status, once all months are in. */
static void summarize(uf_ctx *x, uf_series *s)
{
    size_t n = x->units.n;
    uf_month p = x->in->period;
    int ytd = UF_TREND - uf_month_number(p);
    int tertial = UF_TREND - 1 - (int)(p - uf_tertial_first(p));
    for (size_t r = 0; r <= n; r++) {
        uf_cell *row = &s->cells[r * UF_NCOLS];
        combine(row, ytd, UF_COL_YTD, s->ind->aggregation);
        combine(row, tertial, UF_COL_TERTIAL, s->ind->aggregation);
        const char *unit = r ? x->out->units[r - 1].id : NULL;
        for (int c = 0; c < UF_NCOLS; c++) {
            uf_cell_judge(&row[c], s->ind, x->in->targets, unit,
                          c < UF_TREND ? p - (UF_TREND - 1) + c : p);
            /* its target is in force all the same: the gap is the data's */
            if (s->lacks && !row[c].present)
                row[c].status = UF_ST_NODATA;
        }
    }
}

/* "85,3 %" or "0,29": findings are read by people. */
static void fmt_sv(const uf_indicator *ind, double v, char *out, size_t n)
{
    int pct = ind->kind == UF_KIND_PERCENT;
    snprintf(out, n, pct ? "%.*f %%" : "%.*f", ind->decimals, pct ? v * 100 : v);
    char *dot = strchr(out, '.');
    if (dot)
        *dot = ',';
}

/* A finding names values, so only those the report shows. */
static int judged(const uf_cell *c)
{
    return !isnan(uf_cell_shown(c));
}

/* Month-on-month moves of a unit larger than the indicator's tolerance. */
static void note_moves(uf_ctx *x, const uf_series *s)
{
    const uf_indicator *ind = s->ind;
    char m1[8], m2[8];
    uf_month_format(x->in->period - 1, m1);
    uf_month_format(x->in->period, m2);
    for (size_t r = 1; r <= x->out->nunits; r++) {
        const uf_cell *a = &s->cells[r * UF_NCOLS + UF_TREND - 2];
        const uf_cell *b = &s->cells[r * UF_NCOLS + UF_TREND - 1];
        if (!judged(a) || !judged(b))
            continue;
        double va = uf_cell_value(a), vb = uf_cell_value(b);
        double limit = ind->kind == UF_KIND_PERCENT ? ind->tolerance : ind->tolerance * fabs(va);
        if (fabs(vb - va) <= limit + 1e-9)
            continue;
        char sa[32], sb[32];
        fmt_sv(ind, va, sa, sizeof sa);
        fmt_sv(ind, vb, sb, sizeof sb);
        uf_report_issue(x->out, uf_ind_source(ind), &(uf_issue){.count = 1},
                        "%s: %s ändrades från %s (%s) till %s (%s), mer än toleransen",
                        ind->id, x->out->units[r - 1].id, sa, m1, sb, m2);
    }
}

static int build(uf_ctx *x, const unsigned char *run)
{
    uf_report *out = x->out;
    uint32_t *row_of = sort_units(x);
    for (size_t i = 0; i < x->ntallies; i++) {
        const uf_tally *t = &x->tallies[i];
        if (!t->selected)
            continue;
        uf_series *s = &out->series[out->nseries++];
        s->ind = t->ind;
        s->computed = run[i] && !t->absent;
        /* underlag saknas: its extract is missing; an optional input that is
         * missing is a finding, not a gap */
        s->lacks = run[i] || t->absent || x->in->skip_missing ? NULL : uf_ind_source(t->ind);
        fill_months(x, t, s, row_of);
    }
    free(row_of);
    if (x->in->earlier && uf_editions_fill(out, x->in->earlier, x->err) < 0)
        return -1;
    for (size_t i = 0; i < out->nseries; i++)
        summarize(x, &out->series[i]);
    uf_report_suppress(out);
    for (size_t i = 0; i < out->nseries; i++)
        if (out->series[i].computed)
            note_moves(x, &out->series[i]);
    return 0;
}

static void ctx_free(uf_ctx *x)
{
    for (size_t i = 0; i < x->ntallies; i++) {
        free(x->tallies[i].nd);
        free(x->tallies[i].has);
    }
    free(x->tallies);
    uf_units_free(&x->units);
    for (int i = 0; i < UF_PARTS; i++) {
        uf_strtab_free(x->patients[i]);
        free(x->listed[i]);
        free(x->flags[i]);
    }
}

int uf_compute(const uf_compute_in *in, uf_report *out, uf_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = in->period;
    uf_errors own = {0};
    uf_ctx x = {.in = in, .out = out, .err = err, .faults = in->faults ? in->faults : &own};
    x.units.last = UF_NONE;
    x.last_day = INT32_MIN;
    x.ntallies = in->inds->n;
    x.tallies = uf_xcalloc(x.ntallies, sizeof *x.tallies);
    unsigned char *run = uf_xcalloc(x.ntallies, 1);
    size_t nselected = 0;
    int rc = 0;
    for (size_t i = 0; i < x.ntallies; i++) {
        uf_tally *t = &x.tallies[i];
        t->ind = &in->inds->v[i];
        t->selected = !in->only || strcmp(in->only, t->ind->id) == 0;
        if (!t->selected)
            continue;
        nselected++;
        const char *file = uf_ind_source(t->ind);
        const char *needs = uf_indicator_needs(t->ind);
        run[i] = uf_ctx_path(&x, file) != NULL;
        if (run[i] && needs && !uf_ctx_path(&x, needs)) {
            /* an optional extract: the indicator is left out, not the month */
            run[i] = 0;
            t->absent = 1;
            uf_log("beräknar inte %s: %s saknas", t->ind->id, needs);
            uf_report_issue(out, needs, &(uf_issue){.count = 1},
                            "filen saknas: %s beräknas inte", t->ind->id);
            continue;
        }
        if (run[i])
            continue;
        if (in->skip_missing) {
            uf_log("hoppar över %s: %s saknas", t->ind->id, file);
        } else if (in->cfg) { /* the completeness gate decides */
            uf_ctx_incomplete(&x, file, "filen saknas");
        } else {
            uf_error_set(err, UF_ERR_INPUT, file, 0, 0, NULL, "%s saknas", file);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && nselected == 0) {
        uf_error_set(err, UF_ERR_USAGE, NULL, 0, 0, NULL, "okänd indikator: %s", in->only);
        rc = -1;
    }
    x.run = run;
    if (rc == 0 && in->kolada_missing)
        uf_report_issue(out, "Kolada", &(uf_issue){.count = 1}, "Jämförelse från Kolada saknas: %s",
                        in->kolada_missing);
    if (rc == 0) {
        choose_leads(&x);
        /* the targets and the gap in the month are faults of the inputs too,
         * listed with those of the files in the same pass */
        read_all(&x, run);
        if (uf_ctx_check_targets(&x, run) < 0 || uf_ctx_gate(&x, run) < 0)
            uf_errors_add(x.faults, err);
        if (x.faults->n) {
            *err = x.faults->v[0];
            rc = -1;
        }
    }
    if (rc == 0) {
        share_tallies(&x);
        out->series = uf_xcalloc(nselected, sizeof *out->series);
        rc = build(&x, run);
    }
    free(run);
    ctx_free(&x);
    uf_errors_free(&own);
    if (rc < 0)
        uf_report_free(out);
    return rc;
}

/* ---------------------------------------------------------------- accessors */

uf_cell *uf_report_cell(const uf_report *r, size_t series, size_t row, int col)
{
    return &r->series[series].cells[row * UF_NCOLS + (size_t)col];
}

static int id_cmp(const void *key, const void *unit)
{
    return strcmp(key, ((const uf_unit *)unit)->id);
}

long uf_report_row(const uf_report *r, const char *unit)
{
    if (strcmp(unit, "REGION") == 0)
        return 0;
    if (r->nunits == 0) /* bsearch must not be handed a NULL array */
        return -1;
    const uf_unit *u = bsearch(unit, r->units, r->nunits, sizeof *r->units, id_cmp);
    return u ? (long)(u - r->units) + 1 : -1;
}

long uf_report_series(const uf_report *r, const char *indicator)
{
    for (size_t i = 0; i < r->nseries; i++)
        if ((r->series[i].computed || r->series[i].lacks) &&
            strcmp(r->series[i].ind->id, indicator) == 0)
            return (long)i;
    return -1;
}

double uf_cell_value(const uf_cell *c)
{
    return c->present && c->den != 0 ? c->num / c->den : NAN;
}

long uf_cell_n(const uf_cell *c, const uf_indicator *ind)
{
    double n = ind->n_is_numerator ? c->num : c->den;
    return isnan(n) ? 0 : lround(n); /* NAN: suppressed in an earlier edition */
}

void uf_report_free(uf_report *r)
{
    for (size_t i = 0; i < r->nunits; i++) {
        free(r->units[i].id);
        free(r->units[i].name);
        free(r->units[i].regi);
        free(r->units[i].kommun);
    }
    free(r->units);
    for (size_t i = 0; i < r->nseries; i++)
        free(r->series[i].cells);
    free(r->series);
    free(r->issues);
    free(r->files);
    memset(r, 0, sizeof *r);
}
