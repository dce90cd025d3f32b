/* publish/edition.c — which edition a publication of a period is (SPEC
 * "Editions and approval"): its number, the edition it replaces and why —
 * the inputs that differ from that edition's — and the approval, which is
 * an archived input of its own (role "faststallelse"), so that a re-run
 * reproduces an approved edition from the archive alone. */
#include "publish/inputs.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char uf_approval_role[] = "faststallelse";

/* The inputs two editions are compared by: not the approval (an approved
 * edition and its draft have the same figures), and not the period's own
 * earlier edition, which every later run takes in (it is what is replaced,
 * not a reason to replace it).  Names carry their month, whatever the
 * template (ingest/config.c insists on {period}). */
static int compared(const uf_input *x, const char *p)
{
    if (strcmp(x->role, uf_approval_role) == 0)
        return 0;
    if (strcmp(x->role, "tidigare") == 0)
        return x->period[0] ? strcmp(x->period, p) != 0 : !strstr(x->name, p);
    return 1;
}

static int same_input(const uf_input *a, const uf_input *b)
{
    return strcmp(a->role, b->role) == 0 && strcmp(a->name, b->name) == 0 &&
           strcmp(a->period, b->period) == 0;
}

static const uf_input *find_input(const uf_input *v, size_t n, const uf_input *x, const char *p)
{
    for (size_t i = 0; i < n; i++)
        if (compared(&v[i], p) && same_input(&v[i], x))
            return &v[i];
    return NULL;
}

const uf_input *uf_edition_before(const uf_earlier *current, const uf_input *x)
{
    if (!current || !current->found || !compared(x, current->period))
        return NULL;
    for (size_t i = 0; i < current->m.ninputs; i++) {
        const uf_input *b = &current->m.inputs[i].in;
        if (compared(b, current->period) && same_input(b, x))
            return b;
    }
    return NULL;
}

static void add_change(uf_edition *e, const uf_input *x, uf_input_change_kind kind)
{
    e->changes = uf_xrealloc(e->changes, (e->nchanges + 1) * sizeof *e->changes);
    uf_input_change *c = &e->changes[e->nchanges++];
    memset(c, 0, sizeof *c);
    snprintf(c->role, sizeof c->role, "%s", x->role);
    snprintf(c->name, sizeof c->name, "%s", x->name);
    snprintf(c->period, sizeof c->period, "%s", x->period);
    c->kind = kind;
}

void uf_edition_plan(uf_edition *e, const uf_input *now, size_t nnow, const uf_earlier *current)
{
    uf_edition_free(e);
    memset(e, 0, sizeof *e);
    e->number = 1;
    if (!current->found)
        return;
    const uf_manifest *m = &current->m;
    e->number = current->number + 1;
    e->replaces = current->number;
    e->replaces_time = m->run_time_unix;
    e->replaces_approved = m->has_edition && m->edition.approved;
    e->replaced = m->edition.approval;
    const char *p = current->period;
    uf_input *was = uf_xcalloc(m->ninputs + 1, sizeof *was);
    for (size_t i = 0; i < m->ninputs; i++)
        was[i] = m->inputs[i].in;
    for (size_t i = 0; i < nnow; i++) {
        if (!compared(&now[i], p))
            continue;
        const uf_input *before = find_input(was, m->ninputs, &now[i], p);
        if (!before)
            add_change(e, &now[i], UF_INPUT_NEW);
        else if (strcmp(before->sha256, now[i].sha256) != 0)
            add_change(e, &now[i], UF_INPUT_CHANGED);
    }
    for (size_t i = 0; i < m->ninputs; i++)
        if (compared(&was[i], p) && !find_input(now, nnow, &was[i], p))
            add_change(e, &was[i], UF_INPUT_GONE);
    free(was);
}

/* ------------------------------------------------------------ approval */

int uf_approval_load(const char *path, const char *what, uf_approval *a, uf_error *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    int rc = j && uf_approval_from_json(j, a) == 0 ? 0 : -1;
    if (rc)
        uf_error_set(err, UF_ERR_CONFIG, what, 0, 0, NULL,
                     "fastställelsen kan inte läsas (by, decision och at behövs)");
    json_decref(j);
    return rc;
}

int uf_approval_set(uf_approval *a, const char *by, const char *decision, int64_t at,
                    uf_error *err)
{
    memset(a, 0, sizeof *a);
    const char *v[] = {by, decision}, *flag[] = {"by", "decision"};
    for (int i = 0; i < 2; i++) {
        int control = 0;
        for (const char *c = v[i]; *c; c++)
            control |= (unsigned char)*c < 0x20 || *c == 0x7f;
        json_t *utf8 = json_string(v[i]); /* NULL unless valid UTF-8 */
        if (!v[i][strspn(v[i], " ")] || control || !utf8 || strlen(v[i]) >= sizeof a->by) {
            uf_error_set(err, UF_ERR_USAGE, NULL, 0, 0, NULL,
                         "--%s ska vara en rad text (UTF-8) på högst %zu byte, inte tom", flag[i],
                         sizeof a->by - 1);
            json_decref(utf8);
            return -1;
        }
        json_decref(utf8);
    }
    snprintf(a->by, sizeof a->by, "%s", by);
    snprintf(a->decision, sizeof a->decision, "%s", decision);
    a->at = at;
    return 0;
}

/* The approval as a file of its own, archived: it names the edition it
 * approves by number and manifest. */
static int archive_approval(uf_inputs *in, const char *archive, const uf_earlier *cur,
                            const uf_approval *a, uf_error *err)
{
    uf_store st = uf_archive_store(archive);
    uf_tmpfile t;
    if (st.tmpfile(&st, "obj", &t, err))
        return -1;
    json_t *j = uf_approval_to_json(a);
    json_object_update_new(j, json_pack("{s:s, s:i, s:s}", "period", cur->period, "edition",
                                        cur->number, "manifest", cur->sha));
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    size_t len = strlen(text);
    uf_input rec = {0};
    snprintf(rec.role, sizeof rec.role, "%s", uf_approval_role);
    snprintf(rec.name, sizeof rec.name, "faststallelse-%s.json", cur->period);
    int rc = write(t.fd, text, len) == (ssize_t)len && write(t.fd, "\n", 1) == 1 ? 0 : -1;
    if (rc)
        uf_error_set(err, UF_ERR_IO, t.path, 0, 0, NULL, "kunde inte skriva fastställelsen");
    else
        rc = uf_archive_take(archive, t.path, &rec, NULL, err);
    free(text);
    uf_tmpfile_close(&t, 0);
    if (rc == 0) {
        snprintf(rec.origin, sizeof rec.origin, "uppfolj approve");
        uf_inputs_append(in, &rec);
    }
    return rc;
}

int uf_inputs_for_approval(uf_inputs *in, const uf_config *cfg, uf_month period,
                           const uf_approval *a, int64_t *run_time, uf_error *err)
{
    uf_inputs probe = {.cfg = *cfg, .period = period};
    uf_earlier cur;
    char p[8];
    uf_month_format(period, p);
    int rc = uf_earlier_find(&probe, period, 0, &cur, err);
    char *manifest = NULL;
    if (rc == 0 && !cur.found) {
        uf_error_set(err, UF_ERR_INPUT, cfg->reports, 0, 0, NULL,
                     "perioden %s har ingen publicerad utgåva att fastställa", p);
        rc = -1;
    } else if (rc == 0 && cur.m.has_edition && cur.m.edition.approved) {
        uf_error_set(err, UF_ERR_INPUT, cfg->reports, 0, 0, NULL,
                     "utgåva %d av %s är redan fastställd (%s, %s); en ny utgåva fastställs när "
                     "den har publicerats",
                     cur.number, p, cur.m.edition.approval.by, cur.m.edition.approval.decision);
        rc = -1;
    }
    /* The current edition's inputs, from its manifest in the archive: the
     * figures come out the same as they were published. */
    if (rc == 0) {
        manifest = uf_archive_object(cfg->archive, cur.sha);
        int64_t then;
        rc = uf_inputs_from_manifest(in, manifest, cfg->archive, &then, err);
    }
    if (rc == 0)
        rc = archive_approval(in, cfg->archive, &cur, a, err);
    if (rc == 0) {
        uf_edition_free(&in->edition);
        in->edition = (uf_edition){.number = cur.number + 1,
                                   .approved = 1,
                                   .approval = *a,
                                   .replaces = cur.number,
                                   .replaces_time = cur.m.run_time_unix};
        *run_time = a->at;
    }
    free(manifest);
    /* probe borrowed the config and opened the manifest's object */
    for (size_t i = 0; i < probe.nobjects; i++)
        uf_object_close(&probe.objects[i]);
    free(probe.objects);
    uf_earlier_free(&cur);
    return rc;
}
