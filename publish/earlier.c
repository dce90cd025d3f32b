/* publish/earlier.c — what a run takes from the editions published before
 * it: the latest edition of each month P..P-24, found through the archive's
 * record (publish/record.c); the open actions its comments file carried; and
 * the resultat files of P..P-12, for the trend months the extracts do not
 * cover and for the restatements.  Manifest and outputs are archive
 * objects, checked as they are read.  The report folder is only compared
 * with them, and named when it differs: it is never read for figures. */
#include "publish/inputs.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Names each file of the report folder dir that is not what manifest m
 * says was published; returns how many. */
static int folder_differs(const char *dir, const uf_manifest *m, const char *then)
{
    int bad = 0;
    for (size_t i = 0; i < m->noutputs; i++) {
        const char *name = m->outputs[i].name, *want = m->outputs[i].sha256;
        if (!name || !want || strchr(name, '/'))
            continue;
        char *path = uf_xasprintf("%s/%s", dir, name);
        char got[65];
        long long bytes;
        uf_error ignored;
        if (uf_sha256_file(path, got, &bytes, &ignored) != 0 || strcmp(got, want) != 0) {
            uf_warn("%s stämmer inte med sitt manifest (ändrad eller borttagen efter "
                    "publiceringen); %s",
                    path, then);
            bad++;
        }
        free(path);
    }
    return bad;
}

/* The edition the archive's record names last (last): its manifest from
 * the archive, healed from the folder's copy when heal is set. */
static int from_record(uf_inputs *in, const uf_published *last, const char *dir,
                       const char *mpath, int heal, uf_earlier *e, uf_error *err)
{
    const char *archive = in->cfg.archive;
    char what[128];
    snprintf(what, sizeof what, "manifestet för utgåvan %s av %s", last->run_time, e->period);
    uf_object obj;
    int rc = heal ? uf_archive_use(archive, last->manifest, mpath, what, &obj, err)
                  : uf_archive_open(archive, last->manifest, what, &obj, err);
    if (rc)
        return -1;
    char *path = uf_inputs_hold(in, &obj);
    uf_error ignored;
    rc = uf_manifest_load(path, &e->m, &ignored);
    free(path);
    if (rc) {
        uf_error_set(err, UF_ERR_IO, e->period, 0, 0, NULL,
                     "manifestet för utgåvan %s av %s i arkivet kan inte läsas", last->run_time,
                     e->period);
        return -1;
    }
    e->found = 1;
    snprintf(e->run_time, sizeof e->run_time, "%s", last->run_time);
    snprintf(e->sha, sizeof e->sha, "%s", last->manifest);
    char sha[65];
    long long bytes;
    int same = uf_sha256_file(mpath, sha, &bytes, &ignored) == 0 &&
               strcmp(sha, last->manifest) == 0;
    if (uf_file_exists(mpath) && !same)
        uf_warn("%s är inte manifestet för den senast publicerade utgåvan av %s (%s) "
                "enligt arkivet; utgåvan tas ur arkivet",
                mpath, e->period, last->run_time);
    else if (same)
        folder_differs(dir, &e->m, "utgåvan tas ur arkivet, inte ur mappen");
    return 0;
}

/* Published before the archive kept its record: the folder is used only
 * as long as it is what its manifest says. */
static void from_folder(const char *dir, const char *mpath, uf_earlier *e)
{
    long long bytes;
    uf_error ignored;
    int loaded = uf_manifest_load(mpath, &e->m, &ignored) == 0;
    if (!loaded || !e->m.run_time || uf_sha256_file(mpath, e->sha, &bytes, &ignored) != 0)
        uf_warn("%s kan inte läsas; den utgåvan används inte", mpath);
    else if (folder_differs(dir, &e->m, "den utgåvan används inte") == 0) {
        e->found = 1;
        snprintf(e->run_time, sizeof e->run_time, "%s", e->m.run_time);
    }
    if (!e->found && loaded)
        uf_manifest_free(&e->m);
}

int uf_earlier_find(uf_inputs *in, uf_month q, int heal, uf_earlier *e, uf_error *err)
{
    memset(e, 0, sizeof *e);
    e->month = q;
    uf_month_format(q, e->period);
    char *dir = uf_xasprintf("%s/%s", in->cfg.reports, e->period);
    char *mpath = uf_xasprintf("%s/%s", dir, uf_manifest_name);
    uf_published *v = NULL;
    size_t n = 0;
    int rc = uf_published_list(in->cfg.archive, q, &v, &n, err);
    if (rc == 0 && n > 0)
        rc = from_record(in, &v[n - 1], dir, mpath, heal, e, err);
    else if (rc == 0 && uf_file_exists(mpath))
        from_folder(dir, mpath, e);
    /* Editions published before they were numbered count by the record. */
    if (e->found)
        e->number = e->m.has_edition ? e->m.edition.number : n > 0 ? (int)n : 1;
    free(v);
    free(dir);
    free(mpath);
    return rc;
}

void uf_earlier_free(uf_earlier *e)
{
    if (e->found)
        uf_manifest_free(&e->m);
    memset(e, 0, sizeof *e);
}

/* The input record of a file an earlier edition archived. */
static uf_input from_edition(const uf_earlier *e, const char *role, const char *name,
                             const char *sha, long long bytes)
{
    uf_input rec = {.bytes = bytes};
    snprintf(rec.role, sizeof rec.role, "%s", role);
    snprintf(rec.name, sizeof rec.name, "%s", name);
    snprintf(rec.sha256, sizeof rec.sha256, "%s", sha);
    snprintf(rec.origin, sizeof rec.origin, "utgåvan av %s (manifest %s)", e->period, e->sha);
    snprintf(rec.edition, sizeof rec.edition, "%s", e->run_time);
    snprintf(rec.period, sizeof rec.period, "%s", e->period);
    uf_fmt_time_utc((int64_t)time(NULL), rec.fetched);
    return rec;
}

/* Opens the object of rec; copy, when it hashes the same, may heal it. */
static char *open_from_edition(uf_inputs *in, const uf_input *rec, const char *copy, int heal,
                               uf_error *err)
{
    char what[200];
    snprintf(what, sizeof what, "%s i utgåvan %s", rec->name, rec->edition);
    uf_object obj;
    int rc = heal ? uf_archive_use(in->cfg.archive, rec->sha256, copy, what, &obj, err)
                  : uf_archive_open(in->cfg.archive, rec->sha256, what, &obj, err);
    return rc ? NULL : uf_inputs_hold(in, &obj);
}

/* ------------------------------------------------------ carried actions */

const uf_earlier *uf_earlier_printed(const uf_earlier *eds, int k, const char *name)
{
    /* p's own edition first; for a month never published, the newest
     * edition that carried its file. */
    if (eds[k].found)
        return uf_manifest_input_named(&eds[k].m, "kommentarer", name) ? &eds[k] : NULL;
    for (int j = 0; j < k; j++)
        if (eds[j].found && uf_manifest_input_named(&eds[j].m, "kommentarer", name))
            return &eds[j];
    return NULL;
}

int uf_earlier_carry(uf_inputs *in, const uf_earlier *e, const char *p, const char *copy,
                     int archiving, uf_error *err)
{
    char name[16];
    snprintf(name, sizeof name, "%s.json", p);
    const uf_input *was = uf_manifest_input_named(&e->m, "kommentarer", name);
    uf_input rec = from_edition(e, "kommentarer", was->name, was->sha256, was->bytes);
    char *path = open_from_edition(in, &rec, copy, archiving, err);
    if (!path)
        return -1;
    char *display = uf_xasprintf("%s (arkiverad i utgåvan %s av %s)", copy, e->run_time,
                                 e->period);
    uf_comments c = {0};
    int rc = uf_comments_load(path, display, &in->inds, &c, NULL, err);
    if (rc == 0)
        uf_comments_carry(&in->comments, &c, p);
    if (rc == 0 && archiving)
        uf_inputs_append(in, &rec);
    uf_comments_free(&c);
    free(display);
    free(path);
    return rc;
}

/* ---------------------------------------------------- resultat files */

int uf_earlier_editions(uf_inputs *in, const uf_earlier *eds, uf_error *err)
{
    for (int k = 0; k < UF_MAX_EDITIONS; k++) {
        const uf_earlier *e = &eds[k];
        const uf_manifest_output *o = e->found ? uf_manifest_output_of(&e->m, UF_OUT_RESULTAT)
                                               : NULL;
        if (!o)
            continue;
        uf_input rec = from_edition(e, "tidigare", o->name, o->sha256, o->bytes);
        char *copy = uf_xasprintf("%s/%s/%s", in->cfg.reports, e->period, o->name);
        char *path = open_from_edition(in, &rec, copy, 1, err);
        free(copy);
        if (!path)
            return -1;
        uf_inputs_append(in, &rec);
        uf_inputs_add_edition(in, &in->inputs[in->ninputs - 1], path);
    }
    return 0;
}
