/* publish/prune.c — what the archive holds, and pruning it under the
 * region's retention rule (gallringsfrist).
 *
 * The extracts are pseudonymised personal data that a region must delete
 * when its rule says so; everything published stays.  So a prune removes
 * only the objects that are inputs of the editions of periods older than
 * the rule, and of no edition of a later period; it never removes an
 * output, a manifest or an object it cannot place.  It lists first and
 * removes only when asked (--apply), holding the archive's lock
 * exclusively so that no run names an object meanwhile, and records each
 * removal in arkiv/gallring.jsonl, which verify reads to tell a pruned
 * input from a lost one. */
#include "publish/archive.h"
#include "publish/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Uses of an object by the recorded editions. */
enum { USE_OUTPUT = 1, USE_MANIFEST = 2, USE_KEPT_INPUT = 4, USE_OLD_INPUT = 8 };

typedef struct {
    char sha[65];
    long long bytes;
    int uses;
    uf_month period; /* the newest period whose input it is */
} object;

typedef struct {
    object *v;
    size_t n;
    size_t nperiods, neditions;
    uf_month *periods;  /* those with a record, oldest first */
    int *editions;      /* per period: how many */
} holdings;

static int by_sha(const void *a, const void *b)
{
    return strcmp(((const object *)a)->sha, ((const object *)b)->sha);
}

static object *find(holdings *h, const char *sha)
{
    object key;
    snprintf(key.sha, sizeof key.sha, "%s", sha);
    return bsearch(&key, h->v, h->n, sizeof *h->v, by_sha);
}

static int is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef", s[i]))
            return 0;
    return s[n] == '\0';
}

/* Every object: arkiv/ab/cdef... */
static void read_objects(const char *archive, holdings *h)
{
    DIR *top = opendir(archive);
    for (struct dirent *d; top && (d = readdir(top));) {
        if (!is_hex(d->d_name, 2))
            continue;
        char *sub = uf_xasprintf("%s/%s", archive, d->d_name);
        DIR *in = opendir(sub);
        for (struct dirent *e; in && (e = readdir(in));) {
            struct stat st;
            char *path = uf_xasprintf("%s/%s", sub, e->d_name);
            if (is_hex(e->d_name, 62) && lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                h->v = uf_xrealloc(h->v, (h->n + 1) * sizeof *h->v);
                object *o = &h->v[h->n++];
                memset(o, 0, sizeof *o);
                memcpy(o->sha, d->d_name, 2);
                memcpy(o->sha + 2, e->d_name, 63); /* 62 hex digits and the NUL */
                o->bytes = st.st_size;
            }
            free(path);
        }
        if (in)
            closedir(in);
        free(sub);
    }
    if (top)
        closedir(top);
    if (h->n)
        qsort(h->v, h->n, sizeof *h->v, by_sha);
}

static int by_month(const void *a, const void *b)
{
    uf_month x = *(const uf_month *)a, y = *(const uf_month *)b;
    return (x > y) - (x < y);
}

/* The periods the archive's record has editions of. */
static void read_periods(const char *archive, holdings *h)
{
    char *dir = uf_xasprintf("%s/utgavor", archive);
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char p[8];
        uf_month m;
        if (strlen(e->d_name) != 13 || strcmp(e->d_name + 7, ".jsonl") != 0)
            continue;
        snprintf(p, sizeof p, "%.7s", e->d_name);
        if (uf_month_parse(p, &m) == 0) {
            h->periods = uf_xrealloc(h->periods, (h->nperiods + 1) * sizeof *h->periods);
            h->periods[h->nperiods++] = m;
        }
    }
    if (d)
        closedir(d);
    free(dir);
    if (h->nperiods)
        qsort(h->periods, h->nperiods, sizeof *h->periods, by_month);
    h->editions = uf_xcalloc(h->nperiods + 1, sizeof *h->editions);
}

static void use(holdings *h, const char *sha, int how, uf_month period)
{
    object *o = sha ? find(h, sha) : NULL;
    if (!o)
        return;
    o->uses |= how;
    if ((how & (USE_KEPT_INPUT | USE_OLD_INPUT)) && period > o->period)
        o->period = period;
}

/* Marks what every recorded edition uses; its manifest is read from the
 * archive, checked.  Inputs of periods before cutoff are "old". */
static int read_uses(const char *archive, holdings *h, uf_month cutoff, uf_error *err)
{
    for (size_t k = 0; k < h->nperiods; k++) {
        uf_month p = h->periods[k];
        uf_published *v;
        size_t n;
        if (uf_published_list(archive, p, &v, &n, err))
            return -1;
        h->editions[k] = (int)n;
        h->neditions += n;
        for (size_t i = 0; i < n; i++) {
            uf_object obj;
            uf_manifest m;
            char what[96];
            snprintf(what, sizeof what, "manifestet för utgåvan %s", v[i].run_time);
            if (uf_archive_open(archive, v[i].manifest, what, &obj, err) ||
                uf_manifest_load(obj.path, &m, err)) {
                free(v);
                return -1;
            }
            uf_object_close(&obj);
            use(h, v[i].manifest, USE_MANIFEST, p);
            for (size_t j = 0; j < m.noutputs; j++)
                use(h, m.outputs[j].sha256, USE_OUTPUT, p);
            for (size_t j = 0; j < m.ninputs; j++)
                use(h, m.inputs[j].in.sha256, p < cutoff ? USE_OLD_INPUT : USE_KEPT_INPUT, p);
            uf_manifest_free(&m);
        }
        free(v);
    }
    return 0;
}

static void holdings_free(holdings *h)
{
    free(h->v);
    free(h->periods);
    free(h->editions);
}

static int load(const char *archive, uf_month cutoff, holdings *h, uf_error *err)
{
    memset(h, 0, sizeof *h);
    struct stat st;
    if (stat(archive, &st) != 0 || !S_ISDIR(st.st_mode)) {
        uf_error_set(err, UF_ERR_IO, archive, 0, 0, NULL, "arkivet finns inte");
        return -1;
    }
    read_objects(archive, h);
    read_periods(archive, h);
    return read_uses(archive, h, cutoff, err);
}

/* "85,3 MB": sizes for people, in Swedish. */
static void fmt_bytes(long long b, char *out, size_t n)
{
    if (b < 1000000)
        snprintf(out, n, "%lld kB", (b + 999) / 1000);
    else
        snprintf(out, n, "%lld,%lld MB", b / 1000000, b / 100000 % 10);
}

/* Removable: an input of old periods only, of nothing else. */
static int prunable(const object *o)
{
    return o->uses == USE_OLD_INPUT;
}

int uf_archive_list(const char *archive, FILE *out, uf_error *err)
{
    holdings h;
    int rc = load(archive, INT32_MIN, &h, err);
    if (rc == 0) {
        long long total = 0, in = 0, outb = 0, loose = 0;
        size_t nin = 0, nout = 0, nloose = 0;
        for (size_t i = 0; i < h.n; i++) {
            const object *o = &h.v[i];
            total += o->bytes;
            if (o->uses & (USE_OUTPUT | USE_MANIFEST))
                outb += o->bytes, nout++;
            else if (o->uses)
                in += o->bytes, nin++;
            else
                loose += o->bytes, nloose++;
        }
        char t[32], a[32], b[32], c[32];
        fmt_bytes(total, t, sizeof t);
        fmt_bytes(in, a, sizeof a);
        fmt_bytes(outb, b, sizeof b);
        fmt_bytes(loose, c, sizeof c);
        fprintf(out, "Arkivet %s: %zu objekt, %s, för %zu utgåvor av %zu perioder\n", archive,
                h.n, t, h.neditions, h.nperiods);
        fprintf(out, "  indata:   %zu objekt, %s\n", nin, a);
        fprintf(out, "  utdata:   %zu objekt, %s (publicerade filer och manifest)\n", nout, b);
        fprintf(out, "  övrigt:   %zu objekt, %s (hämtat eller arkiverat utan publicerad utgåva)\n",
                nloose, c);
        fputs("Period   utgåvor  indata som bara perioden använder\n", out);
        for (size_t k = 0; k < h.nperiods; k++) {
            long long own = 0;
            size_t nown = 0;
            for (size_t i = 0; i < h.n; i++)
                if (!(h.v[i].uses & (USE_OUTPUT | USE_MANIFEST)) && h.v[i].uses &&
                    h.v[i].period == h.periods[k])
                    own += h.v[i].bytes, nown++;
            char p[8], s[32];
            uf_month_format(h.periods[k], p);
            fmt_bytes(own, s, sizeof s);
            fprintf(out, "%s  %7d  %zu objekt, %s\n", p, h.editions[k], nown, s);
        }
    }
    holdings_free(&h);
    return rc;
}

/* One line of arkiv/gallring.jsonl, fsynced. */
static int record(const char *archive, const json_t *line, uf_error *err)
{
    char *path = uf_xasprintf("%s/gallring.jsonl", archive);
    char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    size_t len = strlen(text);
    int rc = fd >= 0 && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
                     fsync(fd) == 0
                 ? 0
                 : -1;
    if (rc)
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skriva gallringens post: %s",
                     uf_strerrno(errno));
    if (fd >= 0)
        close(fd);
    free(text);
    free(path);
    return rc;
}

int uf_archive_prune(const char *archive, int months, uf_month now, int apply, FILE *out,
                     uf_error *err)
{
    int lock = -1;
    if (apply && uf_archive_lock(archive, 1, &lock, err))
        return -1;
    uf_month cutoff = now - months;
    holdings h;
    int rc = load(archive, cutoff, &h, err);
    char first[8];
    uf_month_format(cutoff, first);
    size_t n = 0;
    long long bytes = 0;
    for (size_t i = 0; rc == 0 && i < h.n; i++)
        if (prunable(&h.v[i]))
            n++, bytes += h.v[i].bytes;
    if (rc == 0) {
        char b[32];
        fmt_bytes(bytes, b, sizeof b);
        fprintf(out, "Gallring av indata äldre än %d månader (perioder före %s): %zu objekt, %s\n",
                months, first, n, b);
        for (size_t k = 0; k < h.nperiods && h.periods[k] < cutoff; k++) {
            size_t np = 0;
            long long pb = 0;
            for (size_t i = 0; i < h.n; i++)
                if (prunable(&h.v[i]) && h.v[i].period == h.periods[k])
                    np++, pb += h.v[i].bytes;
            char p[8];
            uf_month_format(h.periods[k], p);
            fmt_bytes(pb, b, sizeof b);
            fprintf(out, "  %s: %zu objekt, %s\n", p, np, b);
        }
        if (!apply)
            fputs("Inget togs bort; kör med --apply för att gallra. Publicerade filer och "
                  "manifest behålls alltid.\n",
                  out);
    }
    if (rc == 0 && apply && n) {
        /* Recorded first: an object removed is never one verify cannot
         * explain, whatever happens after this line. */
        char at[32], rule[64];
        uf_fmt_time_utc((int64_t)time(NULL), at);
        snprintf(rule, sizeof rule, "indata äldre än %d månader", months);
        json_t *objects = json_array(), *periods = json_array();
        for (size_t k = 0; k < h.nperiods && h.periods[k] < cutoff; k++) {
            char p[8];
            uf_month_format(h.periods[k], p);
            json_array_append_new(periods, json_string(p));
        }
        for (size_t i = 0; i < h.n; i++)
            if (prunable(&h.v[i]))
                json_array_append_new(objects, json_string(h.v[i].sha));
        json_t *line = json_pack("{s:s, s:s, s:i, s:o, s:o}", "at", at, "rule", rule,
                                 "older_than_months", months, "periods", periods, "objects",
                                 objects);
        rc = record(archive, line, err);
        json_decref(line);
        size_t removed = 0;
        for (size_t i = 0; rc == 0 && i < h.n; i++) {
            if (!prunable(&h.v[i]))
                continue;
            char *path = uf_archive_object(archive, h.v[i].sha);
            if (unlink(path) == 0)
                removed++;
            else
                uf_warn("%s kunde inte tas bort: %s", path, uf_strerrno(errno));
            free(path);
        }
        if (rc == 0)
            fprintf(out, "Gallrade %zu objekt; gallringen är antecknad i %s/gallring.jsonl\n",
                    removed, archive);
    }
    holdings_free(&h);
    if (lock >= 0)
        close(lock);
    return rc;
}

int uf_archive_pruned(const char *archive, const char *sha, char *when, size_t n)
{
    char *path = uf_xasprintf("%s/gallring.jsonl", archive);
    FILE *f = fopen(path, "r");
    free(path);
    int found = 0;
    char *line = NULL;
    size_t cap = 0;
    while (f && !found && getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        const json_t *objects = json_object_get(j, "objects");
        size_t i;
        const json_t *o;
        json_array_foreach(objects, i, o)
            if (json_is_string(o) && strcmp(json_string_value(o), sha) == 0) {
                const char *at = "", *rule = "";
                json_unpack(j, "{s?:s, s?:s}", "at", &at, "rule", &rule);
                char day[32];
                int64_t t = uf_time_utc_parse(at);
                if (t >= 0)
                    uf_fmt_time_sv(t, day, sizeof day);
                snprintf(when, n, "%s, enligt regeln %s", t >= 0 ? day : at, rule);
                found = 1;
                break;
            }
        json_decref(j);
    }
    free(line);
    if (f)
        fclose(f);
    return found;
}
