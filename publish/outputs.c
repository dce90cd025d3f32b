/* publish/outputs.c — the files of a report folder: their names, in one
 * table, and writing them.  Everything that names an output (publishing,
 * verify, the index page, earlier editions, the command line) asks here. */
#include "publish/archive.h"
#include "publish/manifest.h"
#include "ingest/ingest.h"
#include "render/render.h"

#include <dirent.h>
#include <pthread.h>
#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MANIFEST "manifest.json"

/* Each file: its template (config "files", else the default, which is
 * what uppfolj always named them) and the extension that tells it from
 * the others in any edition's manifest, whatever template named it.  The
 * manifest keeps its name: auditors' tools look for it. */
static const struct {
    const char *fallback, *ext;
    size_t field; /* offsetof the template in uf_config */
} names[UF_NOUTPUTS] = {
    [UF_OUT_RESULTAT] = {"resultat-{period}.csv", ".csv", offsetof(uf_config, files.csv)},
    [UF_OUT_XLSX] = {"uppfolj-{period}.xlsx", ".xlsx", offsetof(uf_config, files.xlsx)},
    [UF_OUT_PDF] = {"uppfolj-{period}.pdf", ".pdf", offsetof(uf_config, files.pdf)},
    [UF_OUT_MANIFEST] = {MANIFEST, ".json", 0},
};
const char uf_manifest_name[] = MANIFEST;

char *uf_output_name(const uf_config *cfg, uf_output which, uf_month period)
{
    const char *tmpl = names[which].fallback;
    if (cfg && names[which].field) {
        const char *given = *(char *const *)((const char *)cfg + names[which].field);
        tmpl = given ? given : tmpl;
    }
    uf_config blank = {0};
    char *name = uf_config_file_name(cfg ? cfg : &blank, tmpl, period);
    /* The config's templates were checked when it was read. */
    return name ? name : uf_config_file_name(&blank, names[which].fallback, period);
}

char *uf_output_path(const char *dir, const uf_config *cfg, uf_output which, uf_month period)
{
    char *name = uf_output_name(cfg, which, period);
    char *path = uf_xasprintf("%s/%s", dir, name);
    free(name);
    return path;
}

int uf_output_is(uf_output which, const char *name)
{
    if (which == UF_OUT_MANIFEST)
        return strcmp(name, MANIFEST) == 0;
    size_t len = strlen(name), n = strlen(names[which].ext);
    return len > n && strcmp(name + len - n, names[which].ext) == 0;
}

const uf_manifest_output *uf_manifest_output_of(const uf_manifest *m, uf_output which)
{
    for (size_t i = 0; i < m->noutputs; i++)
        if (m->outputs[i].name && uf_output_is(which, m->outputs[i].name))
            return uf_manifest_output_named(m, m->outputs[i].name);
    return NULL;
}

int uf_build_hash_fonts(uf_build *b, uf_error *err)
{
    for (size_t i = 0; i < b->nfonts; i++)
        if (uf_sha256_file(b->fonts[i].file, b->fonts[i].sha256, &b->fonts[i].bytes, err))
            return -1;
    return 0;
}

static int write_error(uf_error *err, const char *path)
{
    uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skriva filen: %s",
                 uf_strerrno(errno));
    return -1;
}

static int write_resultat(const char *path, const uf_doc *d, uf_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return write_error(err, path);
    int bad = uf_render_resultat(d, f, 0, err);
    if (fclose(f) != 0 && !bad)
        return write_error(err, path);
    return bad ? -1 : 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file in dir so far but the manifest, in name order, with its hash. */
static int list_outputs(const char *dir, uf_manifest *m, uf_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL, "kunde inte läsa mappen: %s",
                     uf_strerrno(errno));
        return -1;
    }
    char **v = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.' && strcmp(e->d_name, uf_manifest_name) != 0) {
            v = uf_xrealloc(v, (n + 1) * sizeof *v);
            v[n++] = uf_xstrdup(e->d_name);
        }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, by_name);
    m->outputs = uf_xcalloc(n, sizeof *m->outputs);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = uf_xasprintf("%s/%s", dir, v[i]);
        uf_manifest_output *o = &m->outputs[m->noutputs];
        char sha[65];
        if (rc == 0 && uf_sha256_file(path, sha, &o->bytes, err) == 0) {
            o->name = v[i];
            o->sha256 = uf_xstrdup(sha);
            m->noutputs++;
        } else {
            free(v[i]);
            rc = -1;
        }
        free(path);
    }
    free(v);
    return rc;
}

/* dir/manifest.json: every input of d and every file already in dir. */
static int write_manifest(const char *dir, const uf_doc *d, uf_error *err)
{
    char when[32];
    uf_fmt_time_utc(d->run_time, when);
    /* The archive is recorded absolute, so that rerun and verify find it
     * from wherever they are started. */
    const char *archive = d->cfg ? d->cfg->archive : "";
    char *absolute = realpath(archive, NULL);
    uf_manifest m = {.period = d->report->period, .run_time = when,
                     .run_time_unix = d->run_time, .archive = absolute ? absolute : (char *)archive,
                     .build = *d->build, .ninputs = d->ninputs};
    if (d->edition && d->edition->number) {
        m.edition = *d->edition; /* borrowed: m is not freed as a whole */
        m.has_edition = 1;
    }
    m.inputs = uf_xcalloc(d->ninputs, sizeof *m.inputs);
    for (size_t i = 0; i < d->ninputs; i++)
        m.inputs[i] = (uf_manifest_input){.in = d->inputs[i], .complete = 1};
    char *path = uf_xasprintf("%s/%s", dir, uf_manifest_name);
    int rc = list_outputs(dir, &m, err) || uf_manifest_save(&m, path, err) ? -1 : 0;
    free(path);
    free(absolute);
    free(m.inputs);
    for (size_t i = 0; i < m.noutputs; i++) {
        free(m.outputs[i].name);
        free(m.outputs[i].sha256);
    }
    free(m.outputs);
    return rc;
}

/* The PDF's printing pass, on a thread of its own. */
typedef struct {
    uf_pdf *book;
    const char *path;
    uf_error err;
    int rc;
} printing;

static void *print_book(void *arg)
{
    printing *pr = arg;
    pr->rc = uf_pdf_print(pr->book, pr->path, &pr->err);
    return NULL;
}

int uf_outputs_write(const char *dir, const uf_doc *d, uf_build *build, uf_error *err)
{
    uf_month period = d->report->period;
    char *resultat = uf_output_path(dir, d->cfg, UF_OUT_RESULTAT, period);
    char *xlsx = uf_output_path(dir, d->cfg, UF_OUT_XLSX, period);
    char *pdf = uf_output_path(dir, d->cfg, UF_OUT_PDF, period);
    int rc = -1;
    if (write_resultat(resultat, d, err))
        goto done;
    uf_build_now(build); /* d->build: this program and its libraries, then the fonts */
    uf_log("skriver PDF-rapporten");
    /* The workbook lists the fonts the book's layout found, so it waits
     * for the layout, not for the printing: the book prints on the second
     * core meanwhile.  Its error, when both fail, is the one told, as
     * when the book was written first. */
    printing pr = {.book = uf_pdf_lay_out(d, build), .path = pdf};
    pthread_t tid;
    int threaded = uf_cleanup_thread(&tid, print_book, &pr) == 0;
    if (!threaded)
        print_book(&pr);
    uf_error xerr = {0};
    int xrc = uf_build_hash_fonts(build, &xerr);
    if (xrc == 0) {
        uf_log("skriver arbetsboken");
        xrc = uf_render_xlsx(d, xlsx, &xerr);
    }
    if (threaded)
        pthread_join(tid, NULL);
    if (pr.rc || xrc) {
        *err = pr.rc ? pr.err : xerr;
        goto done;
    }
    rc = write_manifest(dir, d, err);
done:
    free(resultat);
    free(xlsx);
    free(pdf);
    return rc;
}
