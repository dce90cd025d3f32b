/* ingest/comments.c — the owners' analysis and actions, kommentarer/P.json
 * (SPEC "Analysis and actions").  No file yet is normal early in the month:
 * the report then marks missed targets "Analys saknas". */
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int read_action(const uf_jnode *n, uf_action *a, uf_error *err)
{
    static const char *const keys[] = {"action", "owner", "due", "done", NULL};
    if (uf_jnode_object(n, keys, err) < 0 || uf_jnode_string(n, "action", 1, &a->action, err) < 0 ||
        uf_jnode_string(n, "owner", 1, &a->owner, err) < 0 ||
        uf_jnode_string(n, "due", 1, &a->due, err) < 0 ||
        uf_jnode_string(n, "done", 0, &a->done, err) < 0)
        return -1;
    if (!a->done)
        a->done = uf_xstrdup("");
    uf_day day;
    if (uf_parse_date(a->due, strlen(a->due), &day) < 0) {
        uf_jnode_fail(n, "due", err,
                      "nyckeln \"due\" ska vara ett datum ÅÅÅÅ-MM-DD, t.ex. "
                      "\"2024-10-31\", inte \"%.60s\"",
                      a->due);
        return -1;
    }
    return 0;
}

static int read_comment(const uf_jnode *n, uf_comment *c, uf_error *err)
{
    static const char *const keys[] = {"analysis", "actions", NULL};
    if (uf_jnode_object(n, keys, err) < 0 ||
        uf_jnode_string(n, "analysis", 0, &c->analysis, err) < 0)
        return -1;
    if (!c->analysis)
        c->analysis = uf_xstrdup("");
    uf_jnode list = uf_jnode_get(n, "actions");
    if (!list.v)
        return 0;
    if (uf_jnode_array(&list, err) < 0)
        return -1;
    c->actions = uf_xcalloc(json_array_size(list.v), sizeof *c->actions);
    for (size_t i = 0; i < json_array_size(list.v); i++) {
        uf_jnode item = uf_jnode_at(&list, i);
        if (read_action(&item, &c->actions[c->nactions++], err) < 0)
            return -1;
    }
    return 0;
}

int uf_comments_load(const char *path, const char *display, const uf_indicators *inds,
                     uf_comments *out, uf_errors *faults, uf_error *err)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(path, &st) < 0 && errno == ENOENT)
        return 0;
    uf_jdoc doc;
    if (uf_jdoc_load_as(&doc, path, display ? display : path, err) < 0)
        return -1;
    uf_jnode root = uf_jdoc_root(&doc);
    out->v = uf_xcalloc(json_object_size(root.v), sizeof *out->v);
    int rc = 0, bad = 0;
    uf_error first = {0};
    const char *id;
    json_t *v;
    json_object_foreach (root.v, id, v) {
        uf_comment *c = &out->v[out->n++];
        c->indicator = uf_xstrdup(id);
        uf_jnode n = uf_jnode_get(&root, id);
        if (!uf_indicators_find(inds, id)) {
            uf_jnode_fail(&root, id, err, "okänd indikator \"%s\"", id);
            rc = -1;
        } else {
            rc = read_comment(&n, c, err);
        }
        if (rc < 0 && !faults)
            break;
        if (rc < 0) { /* listed, and on to the next indicator */
            if (!bad++)
                first = *err;
            uf_errors_add(faults, err);
            rc = 0;
        }
    }
    if (bad) {
        *err = first;
        rc = -1;
    }
    uf_jdoc_free(&doc);
    if (rc < 0)
        uf_comments_free(out);
    return rc;
}

const uf_comment *uf_comments_find(const uf_comments *c, const char *indicator)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].indicator, indicator) == 0)
            return &c->v[i];
    return NULL;
}

void uf_comments_free(uf_comments *c)
{
    for (size_t i = 0; i < c->n; i++) {
        uf_comment *x = &c->v[i];
        for (size_t j = 0; j < x->nactions; j++) {
            free(x->actions[j].action);
            free(x->actions[j].owner);
            free(x->actions[j].due);
            free(x->actions[j].done);
            free(x->actions[j].from);
        }
        free(x->actions);
        free(x->indicator);
        free(x->analysis);
    }
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

/* An action a later file already mentions, open or closed, is that file's
 * business: matched by indicator and the action's text. */
static int mentioned(const uf_comment *c, const char *action)
{
    for (size_t j = 0; c && j < c->nactions; j++)
        if (strcmp(c->actions[j].action, action) == 0)
            return 1;
    return 0;
}

void uf_comments_carry(uf_comments *now, const uf_comments *earlier, const char *from)
{
    for (size_t i = 0; i < earlier->n; i++) {
        const uf_comment *e = &earlier->v[i];
        for (size_t j = 0; j < e->nactions; j++) {
            const uf_action *a = &e->actions[j];
            uf_comment *c = (uf_comment *)uf_comments_find(now, e->indicator);
            if (a->done[0] || mentioned(c, a->action))
                continue;
            if (!c) {
                now->v = uf_xrealloc(now->v, (now->n + 1) * sizeof *now->v);
                c = &now->v[now->n++];
                *c = (uf_comment){.indicator = uf_xstrdup(e->indicator),
                                  .analysis = uf_xstrdup("")};
            }
            c->actions = uf_xrealloc(c->actions, (c->nactions + 1) * sizeof *c->actions);
            c->actions[c->nactions++] = (uf_action){
                .action = uf_xstrdup(a->action), .owner = uf_xstrdup(a->owner),
                .due = uf_xstrdup(a->due), .done = uf_xstrdup(""),
                .from = uf_xstrdup(a->from ? a->from : from)};
        }
    }
}
