/* compute/units.c — the units (vårdcentraler): enheter.csv first, then every
 * unit the extracts name, interned to a raw index in order of appearance. */
#include "derive.h"

#include <stdlib.h>
#include <string.h>

static void grow(uf_ctx *x, size_t need)
{
    uf_units *u = &x->units;
    if (need <= u->cap)
        return;
    size_t old = u->cap, cap = uf_doubled(old, need, 64);
    u->v = uf_xrealloc(u->v, cap * sizeof *u->v);
    for (size_t i = 0; i < x->ntallies; i++) {
        uf_tally *t = &x->tallies[i];
        t->nd = uf_xgrow(t->nd, old, cap, UF_TREND * sizeof *t->nd, 0);
        t->has = uf_xgrow(t->has, old, cap, UF_TREND, 0);
    }
    u->cap = cap;
}

/* The reader's per-unit counters follow the unit table. */
static void grow_seen(uf_seen *s, size_t need)
{
    if (need <= s->n)
        return;
    size_t n = uf_doubled(s->n, need, 64);
    s->rows = uf_xgrow(s->rows, s->n, n, sizeof *s->rows, 0);
    s->rows_p = uf_xgrow(s->rows_p, s->n, n, sizeof *s->rows_p, 0);
    s->first_line = uf_xgrow(s->first_line, s->n, n, sizeof *s->first_line, 0);
    s->n = n;
}

static uint32_t intern(uf_ctx *x, const char *s, size_t len, int *added)
{
    uf_units *u = &x->units;
    if (!u->ids)
        u->ids = uf_strtab_new();
    uint32_t i = uf_strtab_intern(u->ids, s, len, added);
    if (*added) {
        grow(x, (size_t)i + 1);
        u->v[i] = (uf_unit){.id = (char *)uf_strtab_str(u->ids, i)};
        u->n = (size_t)i + 1;
    }
    return i;
}

uint32_t uf_ctx_unit_str(uf_ctx *x, const char *s, size_t len)
{
    uf_units *u = &x->units;
    uint32_t i = u->last;
    if (i >= u->n || strncmp(u->v[i].id, s, len) != 0 || u->v[i].id[len] != '\0') {
        int added;
        i = u->last = intern(x, s, len, &added);
    }
    uf_reader *r = x->reader;
    if (r) {
        grow_seen(&r->seen, (size_t)i + 1);
        if (r->seen.rows[i]++ == 0)
            r->seen.first_line[i] = uf_csv_line(r->csv);
    }
    return i;
}

const char uf_unit_not_region[] = "ett enhets-id som inte är REGION (reserverat för regionens "
                                  "summa)";

int uf_unit_reserved(const char *s, size_t len)
{
    return len == 6 && memcmp(s, "REGION", 6) == 0;
}

/* An id fit for a unit of enheter.csv or of the data: 0, or -1 with err set. */
static int unit_ok(uf_reader *r, size_t col, const char *s, size_t len, uf_error *err)
{
    if (len == 0)
        return uf_reader_fail(r, col, 0, "ett enhets-id", err);
    if (uf_unit_reserved(s, len))
        return uf_reader_fail(r, col, 1, uf_unit_not_region, err);
    return 0;
}

uint32_t uf_ctx_unit(uf_ctx *x, size_t col)
{
    size_t len;
    const char *s = uf_csv_get(x->reader->csv, col, &len);
    return unit_ok(x->reader, col, s, len, x->err) < 0 ? UF_NONE : uf_ctx_unit_str(x, s, len);
}

enum { E_ID, E_NAMN, E_REGI, E_KOMMUN };
static const uf_column unit_cols[] = {
    {"enhet_id", UF_COL_REQUIRED | UF_COL_ID}, {"namn", UF_COL_REQUIRED}, {"regi", 0},
    {"kommun", 0}};

static char *field_dup(const uf_csv *c, size_t col)
{
    size_t len;
    const char *s = uf_csv_get(c, col, &len);
    return uf_xstrndup(s, len);
}

int uf_units_read(uf_ctx *x, const char *name)
{
    uf_reader r;
    if (uf_reader_open(x, &r, name, unit_cols, sizeof unit_cols / sizeof *unit_cols) < 0)
        return -1;
    uf_units *u = &x->units;
    int rc;
    while ((rc = uf_reader_next(x, &r)) == 1) {
        size_t len;
        const char *id = uf_csv_get(r.csv, E_ID, &len);
        if (unit_ok(&r, E_ID, id, len, x->err) < 0)
            continue;
        int added;
        uint32_t i = intern(x, id, len, &added);
        if (!added) {
            /* the first row wins; the id is named so the register can be fixed */
            uf_report_issue(x->out, name, &(uf_issue){.count = 1, .nlines = 1,
                                                      .lines = {uf_csv_line(r.csv)}},
                            "enhet_id förekommer flera gånger, den första raden används (%s)",
                            u->v[i].id);
            continue;
        }
        u->v[i].name = field_dup(r.csv, E_NAMN);
        u->v[i].regi = field_dup(r.csv, E_REGI);
        u->v[i].kommun = field_dup(r.csv, E_KOMMUN);
        u->v[i].known = 1;
    }
    u->have_file = 1;
    uf_reader_close(x, &r, 0);
    return rc < 0 ? -1 : 0;
}

void uf_units_note_silent(uf_ctx *x, const uf_reader *r)
{
    const uf_units *u = &x->units;
    size_t n = r->seen.n < u->n ? r->seen.n : u->n, known = 0, silent = 0;
    for (size_t i = 0; i < u->n; i++)
        if (u->v[i].known) {
            known++;
            silent += i >= n || r->seen.rows_p[i] == 0;
        }
    char month[8];
    uf_month_format(x->in->period, month);
    /* A file with nothing for the month is one gap, not one per unit. */
    if (known > 0 && silent == known) {
        uf_ctx_incomplete(x, r->name, "inga rader för %s", month);
        return;
    }
    for (size_t i = 0; i < u->n; i++)
        if (u->v[i].known && (i >= n || r->seen.rows_p[i] == 0))
            uf_ctx_incomplete(x, r->name, "inga rader för %s (%s)", month, u->v[i].id);
}

void uf_units_free(uf_units *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->v[i].name);
        free(u->v[i].regi);
        free(u->v[i].kommun);
    }
    free(u->v);
    uf_strtab_free(u->ids);
    memset(u, 0, sizeof *u);
}
