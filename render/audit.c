/* render/audit.c — the auditor's view of what was published: verify a
 * report folder against its manifest and the archive, and list the runs of
 * a period with what changed between them. */
#include "uppfolj.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Prints one line per file that is not as recorded; returns how many. */
static int check_file(const char *kind, const char *name, const char *path, const char *want,
                      FILE *out)
{
    char got[65];
    long long bytes;
    uf_error err = {0};
    if (uf_sha256_file(path, got, &bytes, &err) != 0) {
        fprintf(out, "SAKNAS   %-10s %s (%s)\n", kind, name, path);
        return 1;
    }
    if (strcmp(got, want) != 0) {
        fprintf(out, "ÄNDRAD   %-10s %s: SHA-256 är %s, manifestet säger %s\n", kind, name, got,
                want);
        return 1;
    }
    return 0;
}

int uf_audit_verify(const char *dir, const char *archive_dir, FILE *out, uf_error *err)
{
    json_t *m = load_manifest(dir, err);
    if (!m)
        return -1;
    const char *archive = archive_dir ? archive_dir
                                      : json_string_value(json_object_get(m, "archive"));
    json_t *outputs = json_object_get(m, "outputs"), *inputs = json_object_get(m, "inputs");
    if (!archive || !json_is_array(outputs) || !json_is_array(inputs)) {
        uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL,
                     "manifestet saknar arkiv, indata eller utdata");
        json_decref(m);
        return -1;
    }
    int bad = 0;
    size_t i;
    json_t *e;
    json_array_foreach(outputs, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *sha = json_string_value(json_object_get(e, "sha256"));
        char *path = uf_xasprintf("%s/%s", dir, name ? name : "");
        bad += !name || !sha || check_file("utdata", name, path, sha, out);
        free(path);
    }
    /* A file in the folder that the manifest does not name is a difference too. */
    DIR *d = opendir(dir);
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
        char *object = uf_archive_object(archive, in.sha256);
        char label[200];
        snprintf(label, sizeof label, "%s (%s)", in.name, in.role);
        bad += check_file("indata", label, object, in.sha256, out);
        free(object);
    }
    fprintf(out, "%s: %zu utdata och %zu indata kontrollerade, %d avvikelser\n", dir,
            json_array_size(outputs), json_array_size(inputs), bad);
    json_decref(m);
    return bad ? 1 : 0;
}

/* ------------------------------------------------------------- history */

typedef struct {
    char *dir;
    char run_time[32];
    char sha[65];
    json_t *inputs;
} edition;

static int newest_first(const void *a, const void *b)
{
    return strcmp(((const edition *)b)->run_time, ((const edition *)a)->run_time);
}

static void add_edition(edition **v, size_t *n, const char *dir)
{
    uf_error err = {0};
    json_t *m = load_manifest(dir, &err);
    if (!m)
        return;
    edition e = {.dir = uf_xstrdup(dir), .inputs = json_incref(json_object_get(m, "inputs"))};
    snprintf(e.run_time, sizeof e.run_time, "%s",
             json_string_value(json_object_get(m, "run_time")) ?: "?");
    char *path = uf_xasprintf("%s/manifest.json", dir);
    long long bytes;
    if (uf_sha256_file(path, e.sha, &bytes, &err) != 0)
        snprintf(e.sha, sizeof e.sha, "?");
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

int uf_audit_history(const char *reports_dir, uf_month period, FILE *out, uf_error *err)
{
    char p[8];
    uf_month_format(period, p);
    char *top = uf_xasprintf("%s/%s", reports_dir, p);
    char *earlier = uf_xasprintf("%s/tidigare", top);
    edition *v = NULL;
    size_t n = 0;
    add_edition(&v, &n, top);
    DIR *d = opendir(earlier);
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') {
            char *dir = uf_xasprintf("%s/%s", earlier, e->d_name);
            add_edition(&v, &n, dir);
            free(dir);
        }
    if (d)
        closedir(d);
    int rc = 0;
    if (n == 0) {
        uf_error_set(err, UF_ERR_IO, top, 0, 0, NULL, "perioden %s har ingen publicerad rapport",
                     p);
        rc = -1;
    }
    if (n)
        qsort(v, n, sizeof *v, newest_first);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s  manifest %s  %s%s\n", v[i].run_time, v[i].sha, v[i].dir,
                i == 0 ? "  (publicerad)" : "");
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
    free(top);
    free(earlier);
    return rc;
}
