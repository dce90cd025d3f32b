/* publish/tree.c — the editions under a folder an auditor names to verify
 * or rerun: one edition's folder, a period's (its current edition and the
 * ones under tidigare/), or the reports folder (every period's), oldest
 * period first and, within a period, in the order they were published. */
#include "publish/editions.h"
#include "publish/manifest.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int has_manifest(const char *dir)
{
    char *path = uf_xasprintf("%s/%s", dir, uf_manifest_name);
    struct stat st;
    int yes = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return yes;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir that keep accepts, sorted. */
static size_t names(const char *dir, int (*keep)(const char *), char ***v)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    *v = NULL;
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.' && keep(e->d_name)) {
            *v = uf_xrealloc(*v, (n + 1) * sizeof **v);
            (*v)[n++] = uf_xstrdup(e->d_name);
        }
    if (d)
        closedir(d);
    if (n)
        qsort(*v, n, sizeof **v, by_name);
    return n;
}

static int any_name(const char *name)
{
    (void)name;
    return 1;
}

static int period_name(const char *name)
{
    uf_month m;
    return uf_month_parse(name, &m) == 0;
}

static void add(uf_tree_edition **v, size_t *n, const char *dir, const char *legacy)
{
    uf_manifest m;
    uf_error ignored = {0};
    char *path = uf_xasprintf("%s/%s", dir, uf_manifest_name);
    uf_tree_edition e = {.dir = uf_xstrdup(dir)};
    if (uf_manifest_load(path, &m, &ignored) == 0) {
        e.period = m.period_ok ? m.period : 0;
        e.number = m.has_edition ? m.edition.number : 0;
        uf_manifest_free(&m);
    }
    free(path);
    if (e.number)
        snprintf(e.label, sizeof e.label, "utgava-%d", e.number);
    else
        snprintf(e.label, sizeof e.label, "%s", legacy);
    *v = uf_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = e;
}

/* A period's folder: what it replaced (tidigare/, by run time), then it. */
static void add_period(uf_tree_edition **v, size_t *n, const char *dir)
{
    char *earlier = uf_xasprintf("%s/%s", dir, uf_publish_earlier), **eds;
    size_t ne = names(earlier, any_name, &eds);
    for (size_t i = 0; i < ne; i++) {
        /* every one, so that one that lost its manifest is reported */
        char *sub = uf_xasprintf("%s/%s", earlier, eds[i]);
        add(v, n, sub, eds[i]);
        free(sub);
        free(eds[i]);
    }
    free(eds);
    free(earlier);
    add(v, n, dir, "aktuell");
}

int uf_tree_editions(const char *dir, uf_month from, uf_month to, uf_tree_edition **v,
                     size_t *n, uf_error *err)
{
    *v = NULL;
    *n = 0;
    if (has_manifest(dir)) {
        add_period(v, n, dir);
    } else {
        char **periods;
        size_t np = names(dir, period_name, &periods);
        for (size_t i = 0; i < np; i++) {
            uf_month m;
            uf_month_parse(periods[i], &m);
            char *sub = uf_xasprintf("%s/%s", dir, periods[i]);
            if (m >= from && m <= to && has_manifest(sub))
                add_period(v, n, sub);
            free(sub);
            free(periods[i]);
        }
        free(periods);
    }
    if (*n == 0) {
        uf_error_set(err, UF_ERR_USAGE, dir, 0, 0, NULL,
                     "mappen är varken en publicerad rapport (med %s) eller en rapportmapp med "
                     "perioder (ÅÅÅÅ-MM/) i det angivna intervallet",
                     uf_manifest_name);
        return -1;
    }
    return 0;
}

void uf_tree_editions_free(uf_tree_edition *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].dir);
    free(v);
}
