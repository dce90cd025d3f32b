/* ingest/fetch.c — pulls the config's sources for a period into a store
 * (the archive, which publish/ hands over).
 *
 * An "http" source is one GET of its URL; a "kolada" source is one GET per
 * chunk of at most 25 KPIs x 25 areas (Kolada's limit per path segment),
 * each followed through every next_url page; an "odbc" source is one query
 * (ingest/odbc.c).  Each payload becomes one uf_input.  A bearer token or a
 * password is read just before use, handed to curl or the driver and wiped:
 * it is never stored in the config, an input or a message. */
#include "ingest/odbc.h"
#include "ingest/sources.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    KOLADA_CHUNK = 25,     /* items per path segment */
    KOLADA_MAX_PAGES = 1000, /* a server that pages forever is a fault */
};
#define EXTRACT_MAX_BYTES (32LL << 30) /* a national besok.csv is a few GB */
#define KOLADA_MAX_BYTES (50LL << 20)
#define CSV_TYPES "text/csv,text/plain,application/csv,application/octet-stream"
#define JSON_TYPE "application/json"

static void add_input(uf_input **inputs, size_t *n, const uf_input *in)
{
    *inputs = uf_xrealloc(*inputs, (*n + 1) * sizeof **inputs);
    (*inputs)[(*n)++] = *in;
}

/* Seconds left of the source's deadline; at least 1, so a request can fail
 * with a timeout rather than never being tried. */
static long left_s(time_t end)
{
    time_t now = time(NULL);
    return end > now ? (long)(end - now) : 1;
}

static void wipe(char *tok)
{
    if (tok) {
        explicit_bzero(tok, strlen(tok));
        free(tok);
    }
}

/* A source's secret — an http source's bearer token, an odbc source's
 * password — read from the environment variable or the file the config
 * names, just before use; the caller wipes it.  A file's line ending is not
 * part of it.  A token goes into a header, so spaces are refused there. */
static char *read_secret(const uf_source *s, const char *env, const char *file, const char *what,
                         int spaces, uf_error *err)
{
    char *tok = NULL;
    if (env) {
        const char *v = getenv(env);
        if (!v || !*v) {
            uf_error_set(err, UF_ERR_CONFIG, s->id, 0, 0, NULL,
                         "miljövariabeln %s med källans %s saknas eller är tom", env, what);
            return NULL;
        }
        tok = uf_xstrdup(v);
    } else {
        FILE *f = fopen(file, "r"); /* resolved by the config reader */
        size_t cap = 0;
        if (!f || getline(&tok, &cap, f) < 0) {
            uf_error_set(err, UF_ERR_CONFIG, file, 0, 0, NULL,
                         "kunde inte läsa %s för källan %s ur filen", what, s->id);
            free(tok);
            tok = NULL;
        }
        if (f)
            fclose(f);
        if (!tok)
            return NULL;
    }
    size_t n = strlen(tok);
    while (n > 0 && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || (!spaces && tok[n - 1] == ' ')))
        tok[--n] = '\0';
    int bad = n == 0;
    for (size_t i = 0; i < n; i++)
        bad |= (unsigned char)tok[i] < (spaces ? 0x20 : 0x21) || tok[i] == 0x7f;
    if (bad) {
        wipe(tok);
        uf_error_set(err, UF_ERR_CONFIG, s->id, 0, 0, NULL, "källans %s är tom eller innehåller %s",
                     what, spaces ? "styrtecken" : "mellanslag eller styrtecken");
        return NULL;
    }
    return tok;
}

static int fetch_http(const uf_source *s, uf_month period, const uf_store *st,
                      uf_input **inputs, size_t *ninputs, uf_error *err)
{
    char *tok = NULL;
    if ((s->token_env || s->token_file) &&
        !(tok = read_secret(s, s->token_env, s->token_file, "token", 0, err)))
        return -1;
    const char *dot = s->file ? strrchr(s->file, '.') : NULL;
    uf_http_opts o = {.source_id = s->id, .token = tok, .timeout_s = s->timeout_s,
                      .deadline_s = s->deadline_s, .min_bytes_per_s = s->min_bytes_per_s,
                      .retries = s->retries, .max_bytes = EXTRACT_MAX_BYTES,
                      .ca_bundle = s->ca_bundle,
                      .accept = dot && strcmp(dot, ".json") == 0 ? JSON_TYPE : CSV_TYPES};
    char *url = uf_config_expand(s->url, period);
    uf_input in = {.role = "http"};
    snprintf(in.name, sizeof in.name, "%s", s->file ? s->file : s->id);
    long status;
    int rc = uf_http_get(url, &o, st, &in, &status, err);
    wipe(tok);
    free(url);
    if (rc == 0)
        add_input(inputs, ninputs, &in);
    return rc;
}

/* ids[from..to) joined by commas; every id must be a plain code, since it
 * goes into the URL's path. */
static char *join_ids(const uf_source *s, const char *const *ids, size_t from, size_t to,
                      uf_error *err)
{
    size_t len = 1;
    for (size_t i = from; i < to; i++) {
        size_t n = strlen(ids[i]);
        if (n == 0 || n != strspn(ids[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_-")) {
            uf_error_set(err, UF_ERR_CONFIG, s->id, 0, 0, NULL,
                         "ogiltig Kolada-kod \"%.40s\", väntade bokstäver och siffror (N79173)",
                         ids[i]);
            return NULL;
        }
        len += n + 1;
    }
    char *out = uf_xmalloc(len), *p = out;
    for (size_t i = from; i < to; i++)
        p += sprintf(p, "%s%s", i > from ? "," : "", ids[i]);
    *p = '\0';
    return out;
}

/* next resolved against the page it came from (Kolada sends absolute URLs,
 * but a relative one costs nothing to allow). */
static char *resolve(const char *base, const char *next)
{
    CURLU *u = curl_url();
    char *abs = NULL, *out = NULL;
    if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, next, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &abs, 0) == CURLUE_OK)
        out = uf_xstrdup(abs);
    curl_free(abs);
    curl_url_cleanup(u);
    return out ? out : uf_xstrdup(next); /* uf_http_get reports it as invalid */
}

/* A page as stored: parsed for its next link (the figures are read again
 * from the archive when the report is made). */
typedef struct {
    const char *display;
    char *next;
} next_link;

static int parse_page(const char *path, void *arg, uf_error *err)
{
    next_link *pg = arg;
    uf_kolada k = {0};
    int rc = uf_kolada_parse(path, pg->display, &k, &pg->next, err);
    uf_kolada_free(&k);
    return rc;
}

/* One chunk: the first page and every page after it. */
static int fetch_pages(const uf_source *s, const uf_store *st, char *url, const char *label,
                       time_t end, uf_input **inputs, size_t *ninputs, uf_error *err)
{
    int rc = 0;
    for (int page = 1; url && rc == 0; page++) {
        if (page > KOLADA_MAX_PAGES) {
            char *shown = uf_url_redact(url);
            char *src = uf_xasprintf("%s (%s)", s->id, shown);
            uf_error_set(err, UF_ERR_NETWORK, src, 0, 0, NULL,
                         "fler än %d sidor; servern slutar inte att hänvisa vidare",
                         KOLADA_MAX_PAGES);
            free(src);
            free(shown);
            rc = -1;
            break;
        }
        uf_http_opts o = {.source_id = s->id, .timeout_s = s->timeout_s,
                          .deadline_s = left_s(end), .min_bytes_per_s = s->min_bytes_per_s,
                          .retries = s->retries, .max_bytes = KOLADA_MAX_BYTES,
                          .accept = JSON_TYPE, .page = page, .ca_bundle = s->ca_bundle};
        uf_input in = {.role = "kolada"};
        snprintf(in.name, sizeof in.name, "kolada-%s-p%d.json", label, page);
        long status;
        rc = uf_http_get(url, &o, st, &in, &status, err);
        if (rc)
            break;
        add_input(inputs, ninputs, &in);

        /* Parsed from the store, never from the wire: what was read is
         * exactly what was stored. */
        char *src = uf_xasprintf("%s (%s)", s->id, in.origin);
        next_link pg = {.display = src};
        rc = st->read(st, &in, src, parse_page, &pg, err);
        char *next = pg.next;
        free(src);
        char *following = next ? resolve(url, next) : NULL;
        free(next);
        free(url);
        url = following;
    }
    free(url);
    return rc;
}

static int fetch_kolada(const uf_source *s, uf_month period, const uf_store *st,
                        uf_input **inputs, size_t *ninputs, uf_error *err)
{
    /* The config reader has filled in the default KPIs and areas. */
    const char *const *kpis = (const char *const *)s->kpis;
    const char *const *areas = (const char *const *)s->areas;
    size_t nkpis = s->nkpis, nareas = s->nareas;

    /* The period's year and the years before it, oldest first. */
    int years = s->years < 1 ? 1 : s->years > 16 ? 16 : s->years;
    int last = uf_month_year(period);
    char yearlist[16 * 6] = "";
    for (int y = last - years + 1, n = 0; y <= last; y++)
        n += snprintf(yearlist + n, sizeof yearlist - (size_t)n, "%d%s", y, y < last ? "," : "");

    char *base = uf_config_expand(s->url, period);
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        base[--bl] = '\0';
    time_t end = time(NULL) + (s->deadline_s > 0 ? s->deadline_s : UF_DEADLINE_S);
    int rc = 0;
    for (size_t k = 0; k < nkpis && rc == 0; k += KOLADA_CHUNK) {
        for (size_t a = 0; a < nareas && rc == 0; a += KOLADA_CHUNK) {
            size_t kto = k + KOLADA_CHUNK < nkpis ? k + KOLADA_CHUNK : nkpis;
            size_t ato = a + KOLADA_CHUNK < nareas ? a + KOLADA_CHUNK : nareas;
            char *kl = join_ids(s, kpis, k, kto, err);
            char *al = kl ? join_ids(s, areas, a, ato, err) : NULL;
            if (!al) {
                free(kl);
                rc = -1;
                break;
            }
            char *url = uf_xasprintf("%s/data/kpi/%s/municipality/%s/year/%s", base, kl, al,
                                     yearlist);
            char *label = uf_xasprintf("%s-%s", kpis[k], areas[a]);
            rc = fetch_pages(s, st, url, label, end, inputs, ninputs, err);
            free(label);
            free(kl);
            free(al);
        }
    }
    free(base);
    return rc;
}

static int fetch_odbc(const uf_source *s, uf_month period, const uf_store *st,
                      uf_input **inputs, size_t *ninputs, uf_error *err)
{
    char *pw = NULL;
    if ((s->password_env || s->password_file) &&
        !(pw = read_secret(s, s->password_env, s->password_file, "lösenord", 1, err)))
        return -1;
    uf_input got[UF_ODBC_INPUTS];
    int rc = uf_odbc_fetch(s, pw, period, st, got, err);
    wipe(pw);
    for (size_t i = 0; rc == 0 && i < UF_ODBC_INPUTS; i++)
        add_input(inputs, ninputs, &got[i]);
    return rc;
}

/* A comparison that failed: its pages are left out and the reason is
 * stored instead, as the input "kolada-saknas.txt", so that the report and
 * every re-run of it say the same thing.  A config fault still stops. */
static int kolada_failed(const uf_source *s, const uf_store *st, uf_input **inputs,
                         size_t *ninputs, size_t before, uf_error *err)
{
    if (s->required || err->code == UF_ERR_CONFIG)
        return -1;
    *ninputs = before;
    char *why = uf_xasprintf("%s%s%s", err->source, err->source[0] ? ": " : "", err->text);
    uf_log("jämförelse från Kolada saknas: %s (rapporten publiceras utan den)", why);
    uf_input note = {.role = UF_KOLADA_MISSING_ROLE};
    snprintf(note.name, sizeof note.name, "%s-saknas.txt", s->id);
    uf_error mine = {0};
    int rc = uf_store_put_bytes(st, "kolada", why, strlen(why), s->id, &note, &mine);
    free(why);
    if (rc) {
        *err = mine;
        return -1;
    }
    add_input(inputs, ninputs, &note);
    memset(err, 0, sizeof *err);
    return 0;
}

int uf_fetch_sources(const uf_config *cfg, uf_month period, const uf_store *st, uf_input **inputs,
                     size_t *ninputs, uf_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < cfg->nsources && rc == 0; i++) {
        const uf_source *s = &cfg->sources[i];
        if (strcmp(s->kind, "http") == 0)
            rc = fetch_http(s, period, st, inputs, ninputs, err);
        else if (strcmp(s->kind, "kolada") == 0) {
            size_t before = *ninputs;
            rc = fetch_kolada(s, period, st, inputs, ninputs, err);
            if (rc)
                rc = kolada_failed(s, st, inputs, ninputs, before, err);
        }
        else if (strcmp(s->kind, "odbc") == 0)
            rc = fetch_odbc(s, period, st, inputs, ninputs, err);
        else {
            uf_error_set(err, UF_ERR_CONFIG, s->id, 0, 0, NULL,
                         "okänd källtyp \"%s\", väntade \"http\", \"kolada\" eller \"odbc\"",
                         s->kind);
            rc = -1;
        }
    }
    uf_progress_done();
    return rc;
}
