/* publish/history.c — the runs of a period, newest first in the order they
 * were published, with the inputs that changed between them. */
#include "publish/archive.h"
#include "publish/editions.h"
#include "publish/manifest.h"
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *dir;
    uf_edition_kind kind;
    char run_time[32];
    char sha[65];
    long rank; /* its place in the archive's record, from 1; 0 when not in it */
    uf_manifest m;
} edition;

/* Newest first in the order they were published, as the archive records
 * it; editions from before the record by run time, after those in it. */
static int newest_first(const void *a, const void *b)
{
    const edition *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? 1 : -1;
    return strcmp(y->run_time, x->run_time);
}

static void add_edition(edition **v, size_t *n, const uf_edition_dir *ed, const uf_published *rec,
                        size_t nrec)
{
    uf_error err = {0};
    char *path = uf_xasprintf("%s/%s", ed->dir, uf_manifest_name);
    edition e = {.kind = ed->kind};
    if (uf_manifest_load(path, &e.m, &err) != 0) {
        free(path);
        return;
    }
    e.dir = uf_xstrdup(ed->dir);
    snprintf(e.run_time, sizeof e.run_time, "%s", e.m.run_time ?: "?");
    long long bytes;
    if (uf_sha256_file(path, e.sha, &bytes, &err) != 0)
        snprintf(e.sha, sizeof e.sha, "?");
    for (size_t i = 0; i < nrec; i++)
        if (strcmp(rec[i].manifest, e.sha) == 0)
            e.rank = (long)i + 1;
    free(path);
    *v = uf_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = e;
}

/* The SHA-256 m records for the input role/name; NULL when none. */
static const char *sha_of(const uf_manifest *m, const char *role, const char *name)
{
    for (size_t i = 0; i < m->ninputs; i++) {
        const uf_input *in = &m->inputs[i].in;
        if (strcmp(in->role, role) == 0 && strcmp(in->name, name) == 0)
            return in->sha256[0] ? in->sha256 : NULL;
    }
    return NULL;
}

/* Lines for what differs in now against before. */
static void print_changes(const uf_manifest *now, const uf_manifest *before, FILE *out)
{
    int any = 0;
    for (size_t i = 0; i < now->ninputs; i++) {
        const uf_input *in = &now->inputs[i].in;
        const char *was = sha_of(before, in->role, in->name);
        if (!was || strcmp(was, in->sha256) != 0) {
            fprintf(out, "    %s %s: %s\n", was ? "ändrad" : "ny", in->role, in->name);
            any = 1;
        }
    }
    for (size_t i = 0; i < before->ninputs; i++) {
        const uf_input *in = &before->inputs[i].in;
        if (!sha_of(now, in->role, in->name)) {
            fprintf(out, "    borttagen %s: %s\n", in->role, in->name);
            any = 1;
        }
    }
    if (!any)
        fputs("    samma indata som körningen före\n", out);
}

int uf_history(const uf_config *cfg, uf_month period, FILE *out, uf_error *err)
{
    const char *reports_dir = cfg->reports, *archive_dir = cfg->archive;
    char p[8];
    uf_month_format(period, p);
    uf_edition_dir *dirs;
    size_t ndirs = uf_publish_editions(reports_dir, cfg->work, period, &dirs);
    uf_published *rec = NULL;
    size_t nrec = 0;
    if (uf_published_list(archive_dir, period, &rec, &nrec, err)) {
        uf_publish_editions_free(dirs, ndirs);
        return -1;
    }
    edition *v = NULL;
    size_t n = 0;
    for (size_t i = 0; i < ndirs; i++)
        add_edition(&v, &n, &dirs[i], rec, nrec);
    uf_publish_editions_free(dirs, ndirs);
    free(rec);
    int rc = 0;
    if (n == 0) {
        uf_error_set(err, UF_ERR_IO, reports_dir, 0, 0, NULL,
                     "perioden %s har ingen publicerad rapport", p);
        rc = -1;
    }
    if (n)
        qsort(v, n, sizeof *v, newest_first);
    /* The edition published now is the one in rapporter/P/, whatever the
     * run times say. */
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s  manifest %s  %s%s\n", v[i].run_time, v[i].sha, v[i].dir,
                v[i].kind == UF_EDITION_CURRENT     ? "  (publicerad)"
                : v[i].kind == UF_EDITION_DISPLACED ? "  (föregående; flyttas till tidigare/ "
                                                      "vid nästa körning)"
                                                    : "");
        if (v[i].m.has_edition) {
            char line[256], why[700];
            uf_doc_edition_line(&v[i].m.edition, line, sizeof line);
            uf_doc_edition_reason(&v[i].m.edition, why, sizeof why);
            fprintf(out, "    %s%s%s\n", line, *why ? "; skäl: " : "", why);
        }
        if (i + 1 < n)
            print_changes(&v[i].m, &v[i + 1].m, out);
        else
            fputs("    första körningen\n", out);
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].dir);
        uf_manifest_free(&v[i].m);
    }
    free(v);
    return rc;
}
