/* render/publish.c — publishing rapporter/P/ in one step.
 *
 * The nämnd secretary must never find half a report: every file is written
 * into a staging folder beside rapporter/P/, the manifest last, and the
 * folder is swapped into place with one rename (RENAME_EXCHANGE where the
 * file system has it).  The edition it replaces is kept under
 * rapporter/P/tidigare/<its run time>/. */
#include "uppfolj.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int io_error(uf_error *err, const char *path, const char *what)
{
    uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "%s: %s", what, uf_strerrno(errno));
    return -1;
}

static int ensure_dir(const char *path, uf_error *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    return io_error(err, path, "kunde inte skapa mappen");
}

int uf_publish_lock(const char *reports_dir, uf_month period, int *fd, uf_error *err)
{
    char p[8];
    uf_month_format(period, p);
    if (ensure_dir(reports_dir, err))
        return -1;
    char *path = uf_xasprintf("%s/.%s.lock", reports_dir, p);
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (f < 0) {
        io_error(err, path, "kunde inte skapa låsfilen");
        free(path);
        return -1;
    }
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        char holder[256] = "";
        ssize_t n = pread(f, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        uf_error_set(err, UF_ERR_LOCKED, path, 0, 0, NULL,
                     "perioden %s körs redan av en annan körning (%s); försök igen när den är klar",
                     p, holder[0] ? holder : "okänd process");
        close(f);
        free(path);
        return -1;
    }
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    time_t now = time(NULL);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
    char line[256];
    int len = snprintf(line, sizeof line, "pid %ld på %s, startad %s\n", (long)getpid(), host,
                       when);
    if (ftruncate(f, 0) != 0 || pwrite(f, line, (size_t)len, 0) != len) {
        io_error(err, path, "kunde inte skriva låsfilen");
        close(f);
        free(path);
        return -1;
    }
    free(path);
    *fd = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void uf_publish_abandon(const char *stage)
{
    if (stage)
        nftw(stage, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *uf_publish_stage(const char *reports_dir, uf_month period, uf_error *err)
{
    char p[8];
    uf_month_format(period, p);
    if (ensure_dir(reports_dir, err))
        return NULL;
    /* Staging folders left by a killed run are ours to clear: we hold the lock. */
    char *prefix = uf_xasprintf(".%s.new-", p);
    DIR *d = opendir(reports_dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            char *old = uf_xasprintf("%s/%s", reports_dir, e->d_name);
            uf_publish_abandon(old);
            free(old);
        }
    if (d)
        closedir(d);
    free(prefix);
    char *stage = uf_xasprintf("%s/.%s.new-XXXXXX", reports_dir, p);
    if (!mkdtemp(stage)) {
        io_error(err, reports_dir, "kunde inte skapa en mapp för rapporten");
        free(stage);
        return NULL;
    }
    chmod(stage, 0755);
    return stage;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int uf_publish_manifest(const char *stage, const uf_doc *d, uf_error *err)
{
    char period[8], when[32];
    uf_month_format(d->report->period, period);
    time_t t = (time_t)d->run_time;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);

    json_t *inputs = json_array();
    for (size_t i = 0; i < d->ninputs; i++)
        json_array_append_new(inputs, uf_input_to_json(&d->inputs[i]));

    /* Outputs are every file staged so far, in name order. */
    DIR *dir = opendir(stage);
    if (!dir)
        return io_error(err, stage, "kunde inte läsa mappen");
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir));)
        if (e->d_name[0] != '.' && strcmp(e->d_name, "manifest.json") != 0) {
            names = uf_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = uf_xstrdup(e->d_name);
        }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    json_t *outputs = json_array();
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = uf_xasprintf("%s/%s", stage, names[i]);
        uf_input o = {.role = "utdata"};
        if (rc == 0 && uf_sha256_file(path, o.sha256, &o.bytes, err) == 0)
            json_array_append_new(outputs, json_pack("{s:s, s:I, s:s}", "name", names[i],
                                                     "bytes", (json_int_t)o.bytes, "sha256",
                                                     o.sha256));
        else
            rc = -1;
        free(path);
        free(names[i]);
    }
    free(names);

    /* The archive is recorded absolute, so that rerun and verify find it
     * from wherever they are started. */
    const char *archive = d->cfg ? d->cfg->archive : "";
    char *absolute = realpath(archive, NULL);
    json_t *m = json_pack("{s:s}", "program", "uppfolj");
    uf_build_put_json(d->build, m); /* version, revision, libraries, fonts */
    json_object_update_new(m, json_pack("{s:s, s:s, s:I, s:s, s:o, s:o}", "period", period,
                                        "run_time", when, "run_time_unix",
                                        (json_int_t)d->run_time, "archive",
                                        absolute ? absolute : archive, "inputs", inputs,
                                        "outputs", outputs));
    free(absolute);
    char *path = uf_xasprintf("%s/manifest.json", stage);
    if (rc == 0 && json_dump_file(m, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
        rc = io_error(err, path, "kunde inte skriva manifestet");
    free(path);
    json_decref(m);
    return rc;
}

/* The run time of a published edition, as a folder name safe on file shares. */
static char *edition_name(const char *dir)
{
    char *path = uf_xasprintf("%s/manifest.json", dir);
    json_t *m = json_load_file(path, 0, NULL);
    free(path);
    const char *when = json_string_value(json_object_get(m, "run_time"));
    char name[32] = "okand-tid";
    if (when) {
        size_t j = 0;
        for (const char *c = when; *c && j < sizeof name - 1; c++)
            if (*c != ':')
                name[j++] = *c;
        name[j] = '\0';
    }
    json_decref(m);
    return uf_xstrdup(name);
}

int uf_publish_commit(const char *stage, const char *reports_dir, uf_month period, char **out,
                      uf_error *err)
{
    char p[8];
    uf_month_format(period, p);
    char *final = uf_xasprintf("%s/%s", reports_dir, p);
    struct stat st;
    if (stat(final, &st) != 0) {
        if (rename(stage, final) != 0) {
            io_error(err, final, "kunde inte publicera rapporten");
            free(final);
            return -1;
        }
        *out = final;
        return 0;
    }
    /* Swap the new edition in at once; the old one ends up at the stage path. */
    if (renameat2(AT_FDCWD, stage, AT_FDCWD, final, RENAME_EXCHANGE) != 0) {
        io_error(err, final, "kunde inte publicera rapporten");
        free(final);
        return -1;
    }
    char *old_earlier = uf_xasprintf("%s/tidigare", stage);
    char *earlier = uf_xasprintf("%s/tidigare", final);
    char *name = edition_name(stage);
    char *dest = NULL;
    int rc = 0;
    if (stat(old_earlier, &st) == 0 && rename(old_earlier, earlier) != 0)
        rc = io_error(err, earlier, "kunde inte flytta tidigare utgåvor");
    if (rc == 0 && ensure_dir(earlier, err))
        rc = -1;
    dest = uf_xasprintf("%s/%s", earlier, name);
    for (int i = 2; stat(dest, &st) == 0; i++) {
        free(dest);
        dest = uf_xasprintf("%s/%s-%d", earlier, name, i);
    }
    if (rc == 0 && rename(stage, dest) != 0)
        rc = io_error(err, dest, "kunde inte flytta föregående utgåva");
    free(old_earlier);
    free(earlier);
    free(name);
    free(dest);
    *out = final;
    return rc;
}
