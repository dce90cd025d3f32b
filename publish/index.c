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
#include <sys/stat.h>
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
static void status_summary(const char *path, uf_month m, FILE *f)
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
    const char *sep = "";
    for (size_t i = 0; i < NWORDS; i++)
        if (count[i]) {
            fprintf(f, "%s<span class=\"%s\">%ld %s</span>", sep, words[i], count[i], labels[i]);
            sep = " · ";
        }
}

/* One edition of a period, in the folder dir, linked as href: its number,
 * status (with the decision), date and reason, and its files, each named
 * as its own manifest names it: the PDF and the workbook are what the
 * nämnd gets; the CSV and the manifest are there for the record. */
static void edition_row(FILE *f, const char *dir, const char *href, uf_month period,
                        int current)
{
    char *path = uf_xasprintf("%s/%s", dir, uf_manifest_name);
    uf_manifest m;
    uf_error ignored;
    int loaded = uf_manifest_load(path, &m, &ignored) == 0;
    free(path);
    char when[32] = "okänd tid", number[16] = "", status[400] = "Utkast", why[700] = "";
    if (loaded && m.run_time && m.run_time_unix > 0)
        uf_fmt_time_sv(m.run_time_unix, when, sizeof when);
    if (loaded && m.has_edition) {
        snprintf(number, sizeof number, "Utgåva %d", m.edition.number);
        uf_doc_edition_reason(&m.edition, why, sizeof why);
        if (m.edition.approved) {
            char a[320];
            uf_doc_approval_line(&m.edition.approval, a, sizeof a);
            snprintf(status, sizeof status, "Fastställd: %s", a);
        }
    }
    fprintf(f, "<tr class=\"%s\"><td>", current ? "aktuell" : "tidigare");
    const uf_manifest_output *csv = loaded ? uf_manifest_output_of(&m, UF_OUT_RESULTAT) : NULL;
    if (current) {
        /* The period, and the region's statuses in the edition in force. */
        char p[8], name[32];
        uf_month_format(period, p);
        uf_fmt_period_sv(period, name, sizeof name);
        fprintf(f, "<span id=\"p%s\">%s</span>", p, name);
        if (csv) {
            char *file = uf_xasprintf("%s/%s", dir, csv->name);
            fputs("<br><span class=\"arkiv\">", f);
            status_summary(file, period, f);
            fputs("</span>", f);
            free(file);
        }
    }
    fputs("</td><td>", f);
    put_escaped(f, number[0] ? number : (current ? "Aktuell utgåva" : "Tidigare utgåva"));
    fprintf(f, "</td><td class=\"%s\">", loaded && m.has_edition && m.edition.approved
                                               ? "faststalld"
                                               : "utkast");
    put_escaped(f, status);
    fprintf(f, "</td><td>%s</td><td>", when);
    put_escaped(f, why);
    fputs("</td><td>", f);
    static const struct {
        uf_output which;
        const char *label;
    } files[] = {{UF_OUT_PDF, "Rapport (PDF)"},
                 {UF_OUT_XLSX, "Arbetsbok (Excel)"},
                 {UF_OUT_RESULTAT, "resultatfil (CSV)"},
                 {UF_OUT_MANIFEST, "manifest"}};
    for (size_t i = 0; loaded && i < sizeof files / sizeof *files; i++) {
        const uf_manifest_output *o = uf_manifest_output_of(&m, files[i].which);
        const char *name = o ? o->name : files[i].which == UF_OUT_MANIFEST ? uf_manifest_name
                                                                           : NULL;
        if (!name)
            continue;
        fputs(i == 2 ? "<br><span class=\"arkiv\">För arkivet: " : i ? " · " : "", f);
        fprintf(f, "<a href=\"%s/", href);
        put_escaped(f, name);
        fprintf(f, "\">%s</a>", files[i].label);
    }
    fputs(loaded ? "</span></td></tr>\n" : "</td></tr>\n", f);
    if (loaded)
        uf_manifest_free(&m);
}

static void write_page(FILE *f, const char *reports_dir, const char *region)
{
    fputs("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>Uppföljning primärvård – rapporter</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:72em;margin:2em auto;"
          "padding:0 1em;color:#1a1a1a}\n"
          "table{border-collapse:collapse;width:100%}\n"
          "th,td{text-align:left;padding:.4em .6em;vertical-align:top}\n"
          "tr.aktuell td{border-top:1px solid #888}\n"
          ".faststalld{color:#1b6e20}.utkast{color:#8a6100}\n"
          ".tidigare{font-size:90%;color:#444}.arkiv{font-size:85%;color:#555}\n"
          ".uppnatt{color:#1b6e20}.nara{color:#8a6100}.ej_uppnatt{color:#b00020}\n"
          "</style>\n</head>\n<body>\n<h1>",
          f);
    fputs("Uppföljning primärvård", f);
    if (region) {
        fputs(" – ", f);
        put_escaped(f, region);
    }
    fputs("</h1>\n<p>Månadsrapporter om tillgänglighet och kontinuitet, nyaste först. Varje "
          "månad visar den gällande utgåvan och under den de utgåvor den ersatte. Bilagorna "
          "är rapporten (PDF) och arbetsboken; resultatfilen och manifestet finns för "
          "arkivet.</p>\n"
          "<table>\n<tr><th>Period</th><th>Utgåva</th><th>Status</th><th>Publicerad</th>"
          "<th>Skäl</th><th>Filer</th></tr>\n",
          f);
    size_t n;
    char **periods = list(reports_dir, is_period, &n);
    for (size_t i = 0; i < n; i++) {
        const char *p = periods[i];
        uf_month m;
        uf_month_parse(p, &m);
        char *dir = uf_xasprintf("%s/%s", reports_dir, p);
        edition_row(f, dir, p, m, 1);
        char *earlier = uf_xasprintf("%s/%s", dir, uf_publish_earlier);
        size_t ne;
        char **eds = list(earlier, is_edition, &ne);
        for (size_t j = 0; j < ne; j++) {
            char *edir = uf_xasprintf("%s/%s", earlier, eds[j]);
            char *href = uf_xasprintf("%s/%s/%s", p, uf_publish_earlier, eds[j]);
            edition_row(f, edir, href, m, 0);
            free(edir);
            free(href);
        }
        free_list(eds, ne);
        free(earlier);
        free(dir);
    }
    free_list(periods, n);
    fputs("</table>\n</body>\n</html>\n", f);
}

int uf_index_write(const uf_config *cfg, uf_error *err)
{
    /* Written in the work folder and renamed into place: a reader never
     * sees half a page, and the reports folder never holds a temporary. */
    char *path = uf_xasprintf("%s/index.html", cfg->reports);
    uf_tmpfile t;
    int rc = uf_tmpfile_open(&t, cfg->work, "index", err);
    FILE *f = rc ? NULL : fdopen(dup(t.fd), "w");
    if (f) {
        write_page(f, cfg->reports, cfg->region_name);
        rc = ferror(f) | fclose(f) ? -1 : 0;
    }
    if (rc == 0 && (!f || fchmod(t.fd, 0644) != 0 || rename(t.path, path) != 0))
        rc = -1;
    if (rc != 0 && err->text[0] == '\0')
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skriva sidan: %s",
                     uf_strerrno(errno));
    uf_tmpfile_close(&t, rc == 0);
    free(path);
    return rc;
}
