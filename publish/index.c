/* publish/index.c — rapporter/index.html: one static page, in Swedish, that
 * lists every published period newest first with its status summary and
 * links to its attachments and earlier editions.  A nämnd secretary opens
 * it from the file share: relative links, no JavaScript, no network. */
#include "ingest/ingest.h"
#include "publish/editions.h"
#include "publish/manifest.h"
#include "render/render.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

static int newest_first(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

/* Sorted names in dir that satisfy keep. */
static char **list(const char *dir, int (*keep)(const char *), size_t *n)
{
    char **v = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (keep(e->d_name)) {
            v = uf_xrealloc(v, (*n + 1) * sizeof *v);
            v[(*n)++] = uf_xstrdup(e->d_name);
        }
    if (d)
        closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, newest_first);
    return v;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int is_period(const char *name)
{
    uf_month m;
    return uf_month_parse(name, &m) == 0;
}

static int is_edition(const char *name) { return name[0] != '.'; }

/* Counts the region's statuses for the period itself in its resultat file. */
static void status_summary(const char *dir, uf_month m, FILE *f)
{
    static const char *const words[] = {"uppnatt", "nara", "ej_uppnatt", "inget_mal",
                                        "for_litet_underlag", "dold"};
    static const char *const labels[] = {"uppnått", "nära", "ej uppnått", "inget mål",
                                         "för litet underlag", "dold (röjandekontroll)"};
    enum { NWORDS = sizeof words / sizeof *words };
    static const uf_column cols[] = {{"enhet_id", 1}, {"period", 1}, {"status", 1}};
    long count[NWORDS] = {0};
    char period[8];
    uf_month_format(m, period);
    char *path = uf_output_path(dir, UF_OUT_RESULTAT, m);
    uf_error err;
    uf_csv *c = uf_csv_open(path, path, cols, 3, NULL, 0, &err);
    while (c && uf_csv_next(c, &err) == 1) {
        if (strcmp(uf_csv_get(c, 0, NULL), "REGION") != 0 ||
            strcmp(uf_csv_get(c, 1, NULL), period) != 0)
            continue;
        for (size_t i = 0; i < NWORDS; i++)
            count[i] += strcmp(uf_csv_get(c, 2, NULL), words[i]) == 0;
    }
    if (c)
        uf_csv_close(c);
    free(path);
    const char *sep = "";
    for (size_t i = 0; i < NWORDS; i++)
        if (count[i]) {
            fprintf(f, "%s<span class=\"%s\">%ld %s</span>", sep, words[i], count[i], labels[i]);
            sep = " · ";
        }
}

static const char *run_time_of(const char *dir, char out[32])
{
    char *path = uf_xasprintf("%s/%s", dir, uf_manifest_name);
    uf_manifest m;
    uf_error ignored;
    int loaded = uf_manifest_load(path, &m, &ignored) == 0;
    if (loaded && m.run_time && m.run_time_unix > 0)
        uf_fmt_time_sv(m.run_time_unix, out, 32);
    else
        snprintf(out, 32, "okänd tid");
    if (loaded)
        uf_manifest_free(&m);
    free(path);
    return out;
}

/* The four files of an edition of period, in the folder href. */
static void links(FILE *f, const char *href, uf_month period)
{
    static const struct {
        uf_output which;
        const char *label;
    } files[] = {{UF_OUT_PDF, "PDF"},
                 {UF_OUT_XLSX, "Excel"},
                 {UF_OUT_RESULTAT, "resultat (CSV)"},
                 {UF_OUT_MANIFEST, "manifest"}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *name = uf_output_name(files[i].which, period);
        fprintf(f, "%s<a href=\"%s/%s\">%s</a>", i ? " · " : "", href, name, files[i].label);
        free(name);
    }
}

static void write_page(FILE *f, const char *reports_dir, const char *region)
{
    fputs("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>Uppföljning primärvård – rapporter</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60em;margin:2em auto;"
          "padding:0 1em;color:#1a1a1a}\n"
          "table{border-collapse:collapse;width:100%}\n"
          "th,td{text-align:left;padding:.4em .6em;border-bottom:1px solid #ccc;"
          "vertical-align:top}\n"
          ".uppnatt{color:#1b6e20}.nara{color:#8a6100}.ej_uppnatt{color:#b00020}\n"
          ".tidigare{font-size:90%;color:#444}\n</style>\n</head>\n<body>\n<h1>",
          f);
    fputs("Uppföljning primärvård", f);
    if (region) {
        fputs(" – ", f);
        put_escaped(f, region);
    }
    fputs("</h1>\n<p>Månadsrapporter om tillgänglighet och kontinuitet, nyaste först. "
          "Statusen avser regionens utfall för månaden mot nämndens mål.</p>\n"
          "<table>\n<tr><th>Period</th><th>Publicerad</th><th>Status</th><th>Bilagor</th></tr>\n",
          f);
    size_t n;
    char **periods = list(reports_dir, is_period, &n);
    for (size_t i = 0; i < n; i++) {
        const char *p = periods[i];
        uf_month m;
        uf_month_parse(p, &m);
        char *dir = uf_xasprintf("%s/%s", reports_dir, p);
        char when[32], name[32];
        uf_fmt_period_sv(m, name, sizeof name);
        fprintf(f, "<tr id=\"p%s\"><td>%s</td><td>%s</td><td>", p, name, run_time_of(dir, when));
        status_summary(dir, m, f);
        fputs("</td><td>", f);
        links(f, p, m);
        char *earlier = uf_xasprintf("%s/%s", dir, uf_publish_earlier);
        size_t ne;
        char **eds = list(earlier, is_edition, &ne);
        for (size_t j = 0; j < ne; j++) {
            char *edir = uf_xasprintf("%s/%s", earlier, eds[j]);
            char *href = uf_xasprintf("%s/%s/%s", p, uf_publish_earlier, eds[j]);
            fprintf(f, "<div class=\"tidigare\">Tidigare utgåva %s: ", run_time_of(edir, when));
            links(f, href, m);
            fputs("</div>", f);
            free(edir);
            free(href);
        }
        free_list(eds, ne);
        free(earlier);
        fputs("</td></tr>\n", f);
        free(dir);
    }
    free_list(periods, n);
    fputs("</table>\n</body>\n</html>\n", f);
}

int uf_index_write(const char *reports_dir, const char *region, uf_error *err)
{
    char *path = uf_xasprintf("%s/index.html", reports_dir);
    char *tmp = uf_xasprintf("%s/.index.html.tmp", reports_dir);
    FILE *f = fopen(tmp, "w");
    int rc = 0;
    if (f) {
        write_page(f, reports_dir, region);
        rc = ferror(f) | fclose(f);
    }
    /* Renamed into place: a reader never sees half a page. */
    if (!f || rc != 0 || rename(tmp, path) != 0) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skriva sidan: %s",
                     uf_strerrno(errno));
        unlink(tmp);
        rc = -1;
    }
    free(path);
    free(tmp);
    return rc;
}
