/* ingest/targets.c — targets.json (SPEC "Targets").  Targets are the nämnd's
 * decisions: each names its decision, and two that would both apply to the
 * same indicator, level and month are refused rather than one silently
 * winning. */
#include "json.h"

#include <stdlib.h>
#include <string.h>

static int month_member(const uf_jnode *n, const char *key, int required, uf_month *out,
                        uf_error *err)
{
    char *s = NULL;
    if (uf_jnode_string(n, key, required, &s, err) < 0)
        return -1;
    int rc = s && uf_month_parse(s, out) < 0 ? -1 : 0;
    if (rc < 0)
        uf_jnode_fail(n, key, err,
                      "nyckeln \"%s\" ska vara en månad ÅÅÅÅ-MM, t.ex. \"2024-01\", inte \"%.60s\"",
                      key, s);
    free(s);
    return rc;
}

/* "2023-01–2024-12" or "2024-01–tills vidare", for messages. */
static void span(const uf_target *t, char *out, size_t n)
{
    char from[8], to[8] = "";
    uf_month_format(t->from, from);
    if (t->to != UF_MONTH_OPEN)
        uf_month_format(t->to, to);
    snprintf(out, n, "%s–%s", from, t->to == UF_MONTH_OPEN ? "tills vidare" : to);
}

static int same_level(const uf_target *a, const uf_target *b)
{
    return (!a->unit && !b->unit) || (a->unit && b->unit && strcmp(a->unit, b->unit) == 0);
}

static void target_free(uf_target *t)
{
    free(t->indicator);
    free(t->unit);
    free(t->decision);
    *t = (uf_target){0};
}

static int read_target(const uf_jnode *n, const uf_indicators *inds, uf_target *t, uf_error *err)
{
    static const char *const keys[] = {"indicator", "unit",     "value", "from",
                                       "to",        "decision", NULL};
    t->to = UF_MONTH_OPEN;
    if (uf_jnode_object(n, keys, err) < 0 ||
        uf_jnode_string(n, "indicator", 1, &t->indicator, err) < 0)
        return -1;
    const uf_indicator *ind = uf_indicators_find(inds, t->indicator);
    if (!ind) {
        uf_jnode_fail(n, "indicator", err, "okänd indikator \"%s\"", t->indicator);
        return -1;
    }
    if (uf_jnode_string(n, "unit", 0, &t->unit, err) < 0 ||
        uf_jnode_number(n, "value", 1, &t->value, err) < 0 ||
        month_member(n, "from", 1, &t->from, err) < 0 ||
        month_member(n, "to", 0, &t->to, err) < 0 ||
        uf_jnode_string(n, "decision", 1, &t->decision, err) < 0)
        return -1;
    if (t->unit && !t->unit[0]) {
        uf_jnode_fail(n, "unit", err, "unit får inte vara tom; utelämna den för regionens mål");
        return -1;
    }
    if (t->unit)
        uf_jnode_where(n, "unit", &t->line, &t->column);
    if (t->unit && strcmp(t->unit, "REGION") == 0) {
        uf_jnode_fail(n, "unit", err, "unit \"REGION\" är regionen; utelämna unit för regionens mål");
        return -1;
    }
    if (ind->kind == UF_KIND_PERCENT && t->value > 1) {
        uf_jnode_fail(n, "value", err,
                      "value %g är större än 1: ange andelen som decimaltal, t.ex. 0.9", t->value);
        return -1;
    }
    if (t->value < 0) {
        uf_jnode_fail(n, "value", err, "value får inte vara negativt");
        return -1;
    }
    if (t->from > t->to) {
        char from[8], to[8];
        uf_month_format(t->from, from);
        uf_month_format(t->to, to);
        uf_jnode_fail(n, "to", err,
                      "\"to\" (%s) ligger före \"from\" (%s); väntade att målet slutar "
                      "samma månad som det börjar eller senare",
                      to, from);
        return -1;
    }
    return 0;
}

int uf_targets_load(const char *path, const uf_indicators *inds, uf_targets *out,
                    uf_errors *faults, uf_error *err)
{
    static const char *const keys[] = {"targets", NULL};
    memset(out, 0, sizeof *out);
    uf_jdoc doc;
    if (uf_jdoc_load(&doc, path, err) < 0)
        return -1;
    out->path = uf_xstrdup(path);
    uf_jnode root = uf_jdoc_root(&doc), list = uf_jnode_get(&root, "targets");
    int rc = uf_jnode_object(&root, keys, err);
    if (rc == 0 && !list.v) {
        uf_jnode_fail(&root, NULL, err, "nyckeln \"targets\" saknas");
        rc = -1;
    }
    if (rc == 0)
        rc = uf_jnode_array(&list, err);
    size_t count = rc == 0 ? json_array_size(list.v) : 0;
    out->v = uf_xcalloc(count, sizeof *out->v);
    size_t *at = uf_xcalloc(count + 1, sizeof *at); /* out->v[k] is the file's target at[k] */
    uf_error first = {0};
    int bad = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        uf_jnode n = uf_jnode_at(&list, i);
        uf_target *t = &out->v[out->n++];
        rc = read_target(&n, inds, t, err);
        for (size_t j = 0; rc == 0 && j + 1 < out->n; j++) {
            const uf_target *o = &out->v[j];
            if (strcmp(o->indicator, t->indicator) != 0 || !same_level(o, t) || o->to < t->from ||
                t->to < o->from)
                continue;
            char a[40], b[40];
            span(o, a, sizeof a);
            span(t, b, sizeof b);
            uf_jnode prev = uf_jnode_at(&list, at[j]);
            uf_jnode_fail(&n, NULL, err,
                          "två mål för %s (%s%s) gäller samma månader: \"%s\" %s (rad %ld) och "
                          "\"%s\" %s",
                          t->indicator, t->unit ? "enhet " : "regionen", t->unit ? t->unit : "",
                          o->decision, a, uf_jnode_line(&prev), t->decision, b);
            rc = -1;
        }
        at[out->n - 1] = i;
        if (rc < 0 && faults) { /* listed, left out, and on to the next */
            if (!bad++)
                first = *err;
            uf_errors_add(faults, err);
            target_free(&out->v[--out->n]);
            rc = 0;
        }
    }
    free(at);
    if (bad) {
        *err = first;
        rc = -1;
    }
    uf_jdoc_free(&doc);
    if (rc < 0)
        uf_targets_free(out);
    return rc;
}

void uf_target_describe(const uf_target *t, int with_span, char *out, size_t n)
{
    char months[40] = "";
    if (with_span) {
        months[0] = ',', months[1] = ' ';
        span(t, months + 2, sizeof months - 2);
    }
    snprintf(out, n, "målet för %s (\"%s\"%s)", t->indicator, t->decision, months);
}

const uf_target *uf_targets_find(const uf_targets *t, const char *indicator, const char *unit,
                                 uf_month m)
{
    const uf_target *region = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const uf_target *x = &t->v[i];
        if (m < x->from || m > x->to || strcmp(x->indicator, indicator) != 0)
            continue;
        if (!x->unit)
            region = x;
        else if (unit && strcmp(x->unit, unit) == 0)
            return x;
    }
    return region;
}

void uf_targets_free(uf_targets *t)
{
    for (size_t i = 0; i < t->n; i++)
        target_free(&t->v[i]);
    free(t->v);
    free(t->path);
    t->v = NULL;
    t->n = 0;
    t->path = NULL;
}
