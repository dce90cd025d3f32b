/* render/audit.c — the auditor's view of what was published: verify a
 * report folder against its manifest and the archive, and list the runs of
 * a period with what changed between them. */
#include "uppfolj.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static json_t *load_manifest(const char *dir, uf_error *err)
{
    char *path = uf_xasprintf("%s/manifest.json", dir);
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    if (!m)
        uf_error_set(err, UF_ERR_IO, path, je.line > 0 ? je.line : 0, 0, NULL,
                     "manifestet kan inte läsas: %s", je.text);
    free(path);
    return m;
}

/* The manifest of the folder open as dfd. */
static json_t *load_manifest_at(int dfd, const char *dir, uf_error *err)
{
    int fd = openat(dfd, "manifest.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    json_error_t je = {.text = "filen finns inte eller kan inte öppnas"};
    json_t *m = fd < 0 ? NULL : json_loadfd(fd, 0, &je);
    if (fd >= 0)
        close(fd);
    if (!m)
        uf_error_set(err, UF_ERR_IO, dir, je.line > 0 ? je.line : 0, 0, NULL,
                     "manifestet kan inte läsas: %s", je.text);
    return m;
}

/* One output of the folder open as dfd: 1 line printed when it is not as
 * recorded. */
static int check_output(int dfd, const char *name, const char *want, FILE *out)
{
    char got[65];
    long long bytes;
    uf_error err = {0};
    int fd = strchr(name, '/') ? -1
                               : openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    int ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
             uf_sha256_fd(fd, name, got, &bytes, &err) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        fprintf(out, "SAKNAS   %-10s %s\n", "utdata", name);
        return 1;
    }
    if (strcmp(got, want) != 0) {
        fprintf(out, "ÄNDRAD   %-10s %s: SHA-256 är %s, manifestet säger %s\n", "utdata", name, got,
                want);
        return 1;
    }
    return 0;
}

/* Whether the archive records the manifest sha as a published edition of
 * period: 1 yes, 0 no, -1 the archive keeps no record of the period. */
static int recorded(const char *archive, const char *period, const char *sha)
{
    uf_month m;
    uf_published *v = NULL;
    size_t n = 0;
    uf_error err = {0};
    if (!period || uf_month_parse(period, &m) != 0 ||
        uf_published_list(archive, m, &v, &n, &err) != 0 || n == 0)
        return -1;
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(v[i].manifest, sha) == 0;
    free(v);
    return found;
}

/* The folder is opened once and every file read through it, so that a run
 * publishing a new edition meanwhile cannot mix two editions: verify sees
 * the one that was there when it began. */
int uf_audit_verify(const char *dir, const char *archive_dir, FILE *out, uf_error *err)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL, "kunde inte öppna mappen: %s",
                     uf_strerrno(errno));
        return -1;
    }
    json_t *m = load_manifest_at(dfd, dir, err);
    if (!m) {
        close(dfd);
        return -1;
    }
    const char *archive = archive_dir ? archive_dir
                                      : json_string_value(json_object_get(m, "archive"));
    json_t *outputs = json_object_get(m, "outputs"), *inputs = json_object_get(m, "inputs");
    if (!archive || !json_is_array(outputs) || !json_is_array(inputs)) {
        uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL,
                     "manifestet saknar arkiv, indata eller utdata");
        json_decref(m);
        close(dfd);
        return -1;
    }
    int bad = 0;
    size_t i;
    json_t *e;
    json_array_foreach(outputs, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *sha = json_string_value(json_object_get(e, "sha256"));
        bad += !name || !sha || check_output(dfd, name, sha, out);
    }
    /* A file in the folder that the manifest does not name is a difference too. */
    DIR *d = fdopendir(dup(dfd));
    for (struct dirent *f; d && (f = readdir(d));) {
        int known = f->d_name[0] == '.' || strcmp(f->d_name, "manifest.json") == 0 ||
                    strcmp(f->d_name, "tidigare") == 0;
        json_array_foreach(outputs, i, e) known |=
            strcmp(f->d_name, json_string_value(json_object_get(e, "name")) ?: "") == 0;
        if (!known) {
            fprintf(out, "OLISTAD  %-10s %s finns i mappen men inte i manifestet\n", "utdata",
                    f->d_name);
            bad++;
        }
    }
    if (d)
        closedir(d);
    json_array_foreach(inputs, i, e) {
        uf_input in;
        if (uf_input_from_json(e, &in) != 0) {
            fprintf(out, "FEL      %-10s post %zu i manifestets indata är ofullständig\n",
                    "indata", i + 1);
            bad++;
            continue;
        }
        char why[200];
        int state = uf_archive_check(archive, in.sha256, why, sizeof why);
        if (state) {
            char *object = uf_archive_object(archive, in.sha256);
            fprintf(out, "%s   %-10s %s (%s): %s (%s)\n", state == 1 ? "SAKNAS" : "ÄNDRAD",
                    "indata", in.name, in.role, why, object);
            free(object);
            bad++;
        }
    }
    /* Which edition this is, by the archive's record (informative: an
     * edition published before the record was kept is not in it). */
    char sha[65];
    long long bytes;
    int mfd = openat(dfd, "manifest.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (mfd >= 0 && uf_sha256_fd(mfd, dir, sha, &bytes, err) == 0) {
        int r = recorded(archive, json_string_value(json_object_get(m, "period")), sha);
        fprintf(out, "%s\n",
                r > 0    ? "manifestet finns i arkivets förteckning över publicerade utgåvor"
                : r == 0 ? "manifestet finns INTE i arkivets förteckning över publicerade utgåvor"
                         : "arkivet har ingen förteckning över periodens utgåvor");
    }
    if (mfd >= 0)
        close(mfd);
    fprintf(out, "%s: %zu utdata och %zu indata kontrollerade, %d avvikelser\n", dir,
            json_array_size(outputs), json_array_size(inputs), bad);
    json_decref(m);
    close(dfd);
    return bad ? 1 : 0;
}

/* ------------------------------------------------------------- history */

typedef struct {
    char *dir;
    uf_edition_kind kind;
    char run_time[32];
    char sha[65];
    long rank; /* its place in the archive's record, from 1; 0 when not in it */
    json_t *inputs;
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
    json_t *m = load_manifest(ed->dir, &err);
    if (!m)
        return;
    edition e = {.dir = uf_xstrdup(ed->dir), .kind = ed->kind,
                 .inputs = json_incref(json_object_get(m, "inputs"))};
    snprintf(e.run_time, sizeof e.run_time, "%s",
             json_string_value(json_object_get(m, "run_time")) ?: "?");
    char *path = uf_xasprintf("%s/manifest.json", ed->dir);
    long long bytes;
    if (uf_sha256_file(path, e.sha, &bytes, &err) != 0)
        snprintf(e.sha, sizeof e.sha, "?");
    for (size_t i = 0; i < nrec; i++)
        if (strcmp(rec[i].manifest, e.sha) == 0)
            e.rank = (long)i + 1;
    free(path);
    json_decref(m);
    *v = uf_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = e;
}

static const char *sha_of(json_t *inputs, const char *role, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(inputs, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "role")) ?: "", role) == 0 &&
            strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) == 0)
            return json_string_value(json_object_get(e, "sha256"));
    }
    return NULL;
}

/* Lines for what differs in now against before. */
static void print_changes(json_t *now, json_t *before, FILE *out)
{
    int any = 0;
    size_t i;
    json_t *e;
    json_array_foreach(now, i, e) {
        const char *role = json_string_value(json_object_get(e, "role")) ?: "";
        const char *name = json_string_value(json_object_get(e, "name")) ?: "";
        const char *was = sha_of(before, role, name);
        const char *is = json_string_value(json_object_get(e, "sha256")) ?: "";
        if (!was || strcmp(was, is) != 0) {
            fprintf(out, "    %s %s: %s\n", was ? "ändrad" : "ny", role, name);
            any = 1;
        }
    }
    json_array_foreach(before, i, e) {
        const char *role = json_string_value(json_object_get(e, "role")) ?: "";
        const char *name = json_string_value(json_object_get(e, "name")) ?: "";
        if (!sha_of(now, role, name)) {
            fprintf(out, "    borttagen %s: %s\n", role, name);
            any = 1;
        }
    }
    if (!any)
        fputs("    samma indata som körningen före\n", out);
}

int uf_audit_history(const char *reports_dir, const char *archive_dir, uf_month period,
                     FILE *out, uf_error *err)
{
    char p[8];
    uf_month_format(period, p);
    uf_edition_dir *dirs;
    size_t ndirs = uf_publish_editions(reports_dir, period, &dirs);
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
        if (i + 1 < n)
            print_changes(v[i].inputs, v[i + 1].inputs, out);
        else
            fputs("    första körningen\n", out);
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].dir);
        json_decref(v[i].inputs);
    }
    free(v);
    return rc;
}
