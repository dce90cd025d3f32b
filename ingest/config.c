/* ingest/config.c — uppfolj.json (SPEC "Config").  Every level rejects keys
 * it does not know, so a typo fails the run instead of silently falling back
 * to a default.  Tokens and passwords are never read here: only where they
 * are used (ingest/fetch.c). */
#include "json.h"
#include "odbc.h"
#include "sources.h"

#include <stdlib.h>
#include <string.h>

/* The extracts of SPEC "Inputs" and their columns: what "columns" may rename
 * and what an http source may deliver. */
static const char *const extract_names[] = {
    "enheter.csv", "kontakter.csv", "samtal.csv", "listning.csv",
    "besok.csv",   "aggregat.csv",  "lakare.csv",   NULL};
static const char *const *const extract_columns[] = {
    (const char *const[]){"enhet_id", "namn", "regi", "kommun", NULL},
    (const char *const[]){"enhet_id", "kontaktdatum", "bedomningsdatum", "legitimerad",
                          "patientvald_vantan", "kontakt_id", "vardgaranti", NULL},
    (const char *const[]){"enhet_id", "samtal_tid", "besvarad_tid", "inom_oppettid", "samtal_id",
                          NULL},
    (const char *const[]){"patient_id", "enhet_id", "fast_lakare", "sabo", NULL},
    (const char *const[]){"patient_id", "enhet_id", "vardgivare_id", "yrke", "besoksdatum",
                          "besokstyp", NULL},
    (const char *const[]){"indikator", "enhet_id", "period", "taljare", "namnare", "varde", "n",
                          NULL},
    (const char *const[]){"vardgivare_id", "enhet_id", "tjanstgoringsgrad", "st", NULL},
};

static const char *const kolada_default_url = "https://api.kolada.se/v3";
/* SPEC: medical assessment within 3 days and phone answered same day. */
static const char *const kolada_default_kpis[] = {"N79173", "N79179"};

static char *resolve(const uf_config *cfg, const char *p)
{
    if (p[0] == '/' || strcmp(cfg->dir, ".") == 0)
        return uf_xstrdup(p);
    return uf_xasprintf("%s/%s", cfg->dir, p);
}

/* A path member: read, then resolved against the config's folder. */
static int path_member(const uf_config *cfg, const uf_jnode *obj, const char *key, int required,
                       char **out, uf_error *err)
{
    char *raw = NULL;
    if (uf_jnode_string(obj, key, required, &raw, err) < 0)
        return -1;
    if (raw) {
        *out = resolve(cfg, raw);
        free(raw);
    }
    return 0;
}

static int read_region(uf_config *cfg, const uf_jnode *root, uf_error *err)
{
    static const char *const keys[] = {"name", "kolada_id", NULL};
    uf_jnode r = uf_jnode_get(root, "region");
    if (!r.v) {
        uf_jnode_fail(root, NULL, err, "nyckeln \"region\" saknas");
        return -1;
    }
    if (uf_jnode_object(&r, keys, err) < 0 ||
        uf_jnode_string(&r, "name", 1, &cfg->region_name, err) < 0 ||
        uf_jnode_string(&r, "kolada_id", 0, &cfg->kolada_id, err) < 0)
        return -1;
    if (cfg->kolada_id && !uf_kolada_area_ok(cfg->kolada_id)) {
        uf_jnode_fail(&r, "kolada_id", err,
                      "kolada_id ska vara regionens fyra siffror i Kolada, \"00\" och länskoden, "
                      "t.ex. \"0007\"");
        return -1;
    }
    return 0;
}

static int read_owners(uf_config *cfg, const uf_jnode *root, uf_error *err)
{
    uf_jnode o = uf_jnode_get(root, "owners");
    if (!o.v)
        return 0;
    if (uf_jnode_object(&o, NULL, err) < 0)
        return -1;
    cfg->owners = uf_xcalloc(json_object_size(o.v), sizeof *cfg->owners);
    const char *key;
    json_t *v;
    json_object_foreach (o.v, key, v) {
        uf_owner *w = &cfg->owners[cfg->nowners++];
        w->indicator = uf_xstrdup(key);
        if (uf_jnode_string(&o, key, 1, &w->owner, err) < 0)
            return -1;
    }
    return 0;
}

/* The document block holds what is the same for every period.  Approval
 * was a key here once (approved_by), which approved every month at once: it
 * is refused, pointing at `uppfolj approve`, unless legacy is given (an
 * archived config a re-run reads as the run did), which gets its value. */
static int read_document(uf_config *cfg, const uf_jnode *root, char **legacy, uf_error *err)
{
    static const char *const keys[] = {"id", "version", "prepared_by", "reviewed_by", NULL};
    char **fields[] = {&cfg->document.id, &cfg->document.version, &cfg->document.prepared_by,
                       &cfg->document.reviewed_by};
    uf_jnode d = uf_jnode_get(root, "document");
    if (d.v && json_object_get(d.v, "approved_by")) {
        if (!legacy) {
            uf_jnode_fail(&d, "approved_by", err,
                          "\"approved_by\" finns inte längre: en rapport fastställs för en period "
                          "i taget, med `uppfolj approve PERIOD --by NAMN --decision BESLUT`; "
                          "ta bort nyckeln");
            return -1;
        }
        if (uf_jnode_string(&d, "approved_by", 0, legacy, err) < 0)
            return -1;
        json_object_del(d.v, "approved_by");
    }
    if (d.v && uf_jnode_object(&d, keys, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (d.v && uf_jnode_string(&d, keys[i], 0, fields[i], err) < 0)
            return -1;
        if (!*fields[i]) /* the document block prints "" for what was left out */
            *fields[i] = uf_xstrdup("");
    }
    return 0;
}

/* --------------------------------------------------------- file names */

/* Characters a file name on the region's share may not hold: the path
 * separator, control characters, and what Windows refuses (secretaries
 * open the share from Windows). */
static const char *bad_name_char(const char *s)
{
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f || strchr("/\\<>:\"|?*", *c))
            return c;
    return NULL;
}

static const char *const name_values[] = {"region", "diarienummer", "bilaga", NULL};

static const char *name_value(const uf_config *cfg, size_t i)
{
    const char *v[] = {cfg->files.region, cfg->files.diarienummer, cfg->files.bilaga};
    return v[i];
}

/* tmpl with {period} and the values of "files" put in; NULL when it names
 * something unknown or not given (why says what, at most n bytes). */
static char *expand_name(const uf_config *cfg, const char *tmpl, uf_month period, char *why,
                         size_t n)
{
    char p[8];
    uf_month_format(period, p);
    char *out = uf_xstrdup("");
    for (const char *c = tmpl; *c;) {
        const char *end = *c == '{' ? strchr(c, '}') : NULL;
        size_t len = end ? (size_t)(end - c - 1) : 0;
        const char *value = end && len == 6 && strncmp(c + 1, "period", 6) == 0 ? p : NULL;
        for (size_t i = 0; end && !value && name_values[i]; i++)
            if (len == strlen(name_values[i]) && strncmp(c + 1, name_values[i], len) == 0 &&
                !(value = name_value(cfg, i))) {
                snprintf(why, n, "{%s} används men \"%s\" är inte angivet", name_values[i],
                         name_values[i]);
                free(out);
                return NULL;
            }
        if (*c == '}' || (*c == '{' && !value)) {
            snprintf(why, n,
                     "okänd platshållare \"%.*s\"; tillåtna är {period}, {region}, "
                     "{diarienummer} och {bilaga}",
                     end ? (int)len + 2 : 1, c);
            free(out);
            return NULL;
        }
        char *next = value ? uf_xasprintf("%s%s", out, value) : uf_xasprintf("%s%c", out, *c);
        free(out);
        out = next;
        c = value ? end + 1 : c + 1;
    }
    return out;
}

char *uf_config_file_name(const uf_config *cfg, const char *tmpl, uf_month period)
{
    char why[200];
    return expand_name(cfg, tmpl, period, why, sizeof why);
}

/* "files": each template must name its month, end in its own extension
 * (so that the three never collide with each other or manifest.json), and
 * give a name the share accepts; what the templates may name is checked
 * as it would be put in. */
static int read_files(uf_config *cfg, const uf_jnode *root, uf_error *err)
{
    static const char *const keys[] = {"pdf", "xlsx", "csv", "region", "diarienummer", "bilaga",
                                       NULL};
    char **fields[] = {&cfg->files.pdf,    &cfg->files.xlsx,         &cfg->files.csv,
                       &cfg->files.region, &cfg->files.diarienummer, &cfg->files.bilaga};
    uf_jnode f = uf_jnode_get(root, "files");
    if (!f.v)
        return 0;
    if (uf_jnode_object(&f, keys, err) < 0)
        return -1;
    for (size_t i = 0; keys[i]; i++) {
        if (uf_jnode_string(&f, keys[i], 0, fields[i], err) < 0)
            return -1;
        const char *bad = *fields[i] ? bad_name_char(*fields[i]) : NULL;
        if (bad) {
            char what[16];
            snprintf(what, sizeof what, (unsigned char)*bad < 0x20 || *bad == 0x7f
                                            ? "ett styrtecken"
                                            : "\"%c\"",
                     *bad);
            uf_jnode_fail(&f, keys[i], err,
                          "ett filnamn får inte innehålla %s (tecken %zu); välj ett annat "
                          "tecken, till exempel \"-\"",
                          what, (size_t)(bad - *fields[i]) + 1);
            return -1;
        }
    }
    for (size_t i = 0; i < 3; i++) {
        const char *tmpl = *fields[i];
        if (!tmpl)
            continue;
        char why[200], ext[8];
        snprintf(ext, sizeof ext, ".%s", keys[i]);
        size_t len = strlen(tmpl);
        char *name = expand_name(cfg, tmpl, uf_month_make(2024, 8), why, sizeof why);
        if (!name) {
            uf_jnode_fail(&f, keys[i], err, "filnamnet \"%s\": %s", tmpl, why);
            return -1;
        }
        size_t nlen = strlen(name);
        const char *wrong = !strstr(tmpl, "{period}")
                                ? "ska innehålla {period}, så att en bilaga som kopieras ut "
                                  "ur sin mapp säger vilken månad den gäller"
                            : len < strlen(ext) || strcmp(tmpl + len - strlen(ext), ext) != 0
                                ? "ska sluta på sin filtyp"
                            : name[0] == '.' ? "får inte börja med en punkt (en dold fil)"
                            : name[0] == ' ' || name[nlen - 1] == ' '
                                ? "får inte börja eller sluta med ett mellanslag"
                            : nlen > 200 ? "blir för långt (högst 200 byte)"
                                         : NULL;
        if (wrong) {
            uf_jnode_fail(&f, keys[i], err, "filnamnet \"%s\" %s%s%s", tmpl, wrong,
                          strcmp(wrong, "ska sluta på sin filtyp") == 0 ? ", " : "",
                          strcmp(wrong, "ska sluta på sin filtyp") == 0 ? ext : "");
            free(name);
            return -1;
        }
        free(name);
    }
    return 0;
}

static int read_columns(uf_config *cfg, const uf_jnode *root, uf_error *err)
{
    uf_jnode c = uf_jnode_get(root, "columns");
    if (!c.v)
        return 0;
    if (uf_jnode_object(&c, extract_names, err) < 0)
        return -1;
    cfg->columns = uf_xcalloc(json_object_size(c.v), sizeof *cfg->columns);
    const char *file;
    json_t *v;
    json_object_foreach (c.v, file, v) {
        size_t f = 0;
        while (strcmp(extract_names[f], file) != 0)
            f++;
        uf_jnode m = uf_jnode_get(&c, file);
        if (uf_jnode_object(&m, extract_columns[f], err) < 0)
            return -1;
        uf_colmap *map = &cfg->columns[cfg->ncolumns++];
        map->file = uf_xstrdup(file);
        map->v = uf_xcalloc(json_object_size(m.v), sizeof *map->v);
        const char *canonical;
        json_t *h;
        json_object_foreach (m.v, canonical, h) {
            char *header = NULL;
            if (uf_jnode_string(&m, canonical, 1, &header, err) < 0)
                return -1;
            map->v[map->n++] = (uf_rename){uf_xstrdup(canonical), header};
        }
    }
    return 0;
}

/* Plain http only to this machine (test servers); a token must not travel
 * in the clear. */
static int url_ok(const char *url)
{
    return strncmp(url, "https://", 8) == 0 || strncmp(url, "http://127.0.0.1", 16) == 0 ||
           strncmp(url, "http://localhost", 16) == 0;
}

/* The extract a source delivers, whatever the form of its body. */
static void delivered(const uf_source *s, char out[64])
{
    if (!uf_rows_extract(s->file, out, 64))
        snprintf(out, 64, "%s", s->file);
}

/* An extract comes from one source: s, the newest, may not deliver what an
 * earlier one does. */
static int one_source(const uf_config *cfg, const uf_source *s, const uf_jnode *n, uf_error *err)
{
    char mine[64], theirs[64];
    delivered(s, mine);
    for (size_t i = 0; i + 1 < cfg->nsources; i++) {
        if (!cfg->sources[i].file)
            continue;
        delivered(&cfg->sources[i], theirs);
        if (strcmp(theirs, mine) == 0) {
            uf_jnode_fail(n, "file", err, "%s hämtas redan av källan \"%s\"", mine,
                          cfg->sources[i].id);
            return -1;
        }
    }
    return 0;
}

/* What every source may say about the network: its CA (a warehouse behind
 * a regional CA), how long a stall and the whole fetch may take, and how
 * often to retry. */
static int read_network(uf_config *cfg, uf_source *s, const uf_jnode *n, uf_error *err)
{
    long retries = s->retries;
    if (path_member(cfg, n, "ca_bundle", 0, &s->ca_bundle, err) < 0 ||
        uf_jnode_long(n, "timeout_s", 0, 1, 3600, &s->timeout_s, err) < 0 ||
        uf_jnode_long(n, "deadline_s", 0, 1, 86400, &s->deadline_s, err) < 0 ||
        uf_jnode_long(n, "min_bytes_per_s", 0, 1, 1L << 30, &s->min_bytes_per_s, err) < 0 ||
        uf_jnode_long(n, "retries", 0, 0, 10, &retries, err) < 0)
        return -1;
    s->retries = (int)retries;
    return 0;
}

static int read_http(uf_config *cfg, uf_source *s, const uf_jnode *n, uf_error *err)
{
    static const char *const keys[] = {"id",         "kind",       "file",
                                       "format",     "url",        "token_env",
                                       "token_file", "ca_bundle",  "timeout_s",
                                       "deadline_s", "min_bytes_per_s", "retries",
                                       NULL};
    /* "format": "json": the body is the extract's rows as JSON (ingest/rows.c). */
    static const char *const formats[] = {"csv", "json", NULL};
    int file = 0, json = 0;
    if (uf_jnode_object(n, keys, err) < 0 ||
        uf_jnode_enum(n, "file", 1, extract_names, &file, err) < 0 ||
        uf_jnode_enum(n, "format", 0, formats, &json, err) < 0 ||
        uf_jnode_string(n, "token_env", 0, &s->token_env, err) < 0 ||
        path_member(cfg, n, "token_file", 0, &s->token_file, err) < 0 ||
        read_network(cfg, s, n, err) < 0)
        return -1;
    /* A JSON body is archived under its own name, which says how to read it. */
    s->file = json ? uf_rows_payload(extract_names[file]) : uf_xstrdup(extract_names[file]);
    if (s->token_env && s->token_file) {
        uf_jnode_fail(n, "token_file", err, "ange token_env eller token_file, inte båda");
        return -1;
    }
    return one_source(cfg, s, n, err);
}

static int read_kolada(uf_config *cfg, uf_source *s, const uf_jnode *n, uf_error *err)
{
    static const char *const keys[] = {"id",        "kind",       "url",
                                       "kpis",      "areas",      "years",
                                       "ca_bundle", "timeout_s",  "deadline_s",
                                       "min_bytes_per_s", "retries", "required", NULL};
    long years = 2;
    if (uf_jnode_object(n, keys, err) < 0 || read_network(cfg, s, n, err) < 0 ||
        uf_jnode_bool(n, "required", 0, &s->required, err) < 0 ||
        uf_jnode_strings(n, "kpis", 0, &s->kpis, &s->nkpis, err) < 0 ||
        uf_jnode_strings(n, "areas", 0, &s->areas, &s->nareas, err) < 0 ||
        uf_jnode_long(n, "years", 0, 1, 10, &years, err) < 0)
        return -1;
    s->years = (int)years;
    if (!s->url)
        s->url = uf_xstrdup(kolada_default_url);
    s->kpis_given = s->kpis != NULL;
    if (!s->kpis) {
        s->nkpis = sizeof kolada_default_kpis / sizeof *kolada_default_kpis;
        s->kpis = uf_xcalloc(s->nkpis, sizeof *s->kpis);
        for (size_t i = 0; i < s->nkpis; i++)
            s->kpis[i] = uf_xstrdup(kolada_default_kpis[i]);
    }
    if (!s->areas) {
        if (!cfg->kolada_id) {
            uf_jnode_fail(n, NULL, err, "ange \"areas\" eller region.kolada_id");
            return -1;
        }
        s->nareas = 2; /* the region and the whole country */
        s->areas = uf_xcalloc(2, sizeof *s->areas);
        s->areas[0] = uf_xstrdup(cfg->kolada_id);
        s->areas[1] = uf_xstrdup("0000");
    }
    uf_jnode areas = uf_jnode_get(n, "areas");
    for (size_t i = 0; i < s->nareas; i++)
        if (!uf_kolada_area_ok(s->areas[i])) {
            uf_jnode item = uf_jnode_at(&areas, i);
            uf_jnode_fail(areas.v ? &item : n, NULL, err,
                          "areas ska vara en av de 21 regionerna i Kolada (\"00\" och länskoden, "
                          "t.ex. \"0007\") eller riket, \"0000\"");
            return -1;
        }
    return 0;
}

/* One of two keys, exactly: "dsn" or "connection", "query" or "query_file". */
static int one_of(const uf_jnode *n, const char *a, const char *b, uf_error *err)
{
    int has_a = uf_jnode_get(n, a).v != NULL, has_b = uf_jnode_get(n, b).v != NULL;
    if (has_a != has_b)
        return 0;
    uf_jnode_fail(n, has_a ? b : NULL, err, has_a ? "ange %s eller %s, inte båda" : "ange %s eller %s",
                  a, b);
    return -1;
}

/* A name that goes into the connection string as it is: no ';', braces or
 * '=' that would change what the string says, no control characters. */
static int plain_name(const uf_jnode *n, const char *key, const char *v, uf_error *err)
{
    for (const unsigned char *c = (const unsigned char *)v; v && *c; c++)
        if (*c < 0x20 || *c == 0x7f || strchr(";{}=", *c)) {
            uf_jnode_fail(n, key, err, "%s får inte innehålla ; { } = eller styrtecken", key);
            return -1;
        }
    if (v && !*v) {
        uf_jnode_fail(n, key, err, "%s är tom", key);
        return -1;
    }
    return 0;
}

static int read_odbc(uf_config *cfg, uf_source *s, const uf_jnode *n, uf_error *err)
{
    static const char *const keys[] = {"id",           "kind",          "file",
                                       "dsn",          "connection",    "user",
                                       "password_env", "password_file", "query",
                                       "query_file",   "months",        "timeout_s",
                                       "login_timeout_s", "deadline_s", "retries",
                                       NULL};
    int file = 0;
    long months = 1;
    s->timeout_s = 600; /* a warehouse query may run for minutes before its first row */
    s->login_timeout_s = 30;
    if (uf_jnode_object(n, keys, err) < 0 ||
        uf_jnode_enum(n, "file", 1, extract_names, &file, err) < 0 ||
        one_of(n, "dsn", "connection", err) < 0 || one_of(n, "query", "query_file", err) < 0 ||
        uf_jnode_string(n, "dsn", 0, &s->dsn, err) < 0 ||
        uf_jnode_string(n, "connection", 0, &s->connection, err) < 0 ||
        uf_jnode_string(n, "user", 0, &s->user, err) < 0 ||
        uf_jnode_string(n, "password_env", 0, &s->password_env, err) < 0 ||
        path_member(cfg, n, "password_file", 0, &s->password_file, err) < 0 ||
        uf_jnode_string(n, "query", 0, &s->query, err) < 0 ||
        uf_jnode_string(n, "query_file", 0, &s->query_name, err) < 0 ||
        uf_jnode_long(n, "months", 0, 1, 120, &months, err) < 0 ||
        uf_jnode_long(n, "login_timeout_s", 0, 1, 3600, &s->login_timeout_s, err) < 0 ||
        read_network(cfg, s, n, err) < 0 || plain_name(n, "dsn", s->dsn, err) < 0 ||
        plain_name(n, "user", s->user, err) < 0)
        return -1;
    s->file = uf_xstrdup(extract_names[file]);
    s->months = (int)months;
    if (s->password_env && uf_jnode_get(n, "password_file").v) {
        uf_jnode_fail(n, "password_file", err, "ange password_env eller password_file, inte båda");
        return -1;
    }
    char secret[120];
    if (s->connection && uf_connstr_secret(s->connection, secret, sizeof secret)) {
        uf_jnode_fail(n, "connection", err,
                      "connection bär en hemlighet (%s): inställningsfilen arkiveras som den är, "
                      "så lägg lösenordet i en miljövariabel (password_env) eller fil "
                      "(password_file)",
                      secret);
        return -1;
    }
    if (s->query_name) {
        s->query_file = resolve(cfg, s->query_name);
    } else { /* checked here, where a mistake can be shown in the config */
        const char *base = strrchr(cfg->path, '/');
        s->query_name = uf_xstrdup(base ? base + 1 : cfg->path);
        uf_sql q;
        uf_error e = {0};
        if (uf_sql_parse(s->query, strlen(s->query), "frågan", &q, &e) < 0) {
            if (e.line > 0)
                uf_jnode_fail(n, "query", err, "frågans rad %ld, kolumn %d: %s", e.line, e.column,
                              e.text);
            else
                uf_jnode_fail(n, "query", err, "%s", e.text);
            return -1;
        }
        uf_sql_free(&q);
    }
    return one_source(cfg, s, n, err);
}

static int read_sources(uf_config *cfg, const uf_jnode *root, uf_error *err)
{
    enum { HTTP, KOLADA, ODBC }; /* kinds[], readers[] */
    static const char *const kinds[] = {"http", "kolada", "odbc", NULL};
    static int (*const readers[])(uf_config *, uf_source *, const uf_jnode *, uf_error *) = {
        read_http, read_kolada, read_odbc};
    uf_jnode list = uf_jnode_get(root, "sources");
    if (!list.v)
        return 0;
    if (uf_jnode_array(&list, err) < 0)
        return -1;
    cfg->sources = uf_xcalloc(json_array_size(list.v), sizeof *cfg->sources);
    for (size_t i = 0; i < json_array_size(list.v); i++) {
        uf_jnode n = uf_jnode_at(&list, i);
        uf_source *s = &cfg->sources[cfg->nsources++];
        s->timeout_s = 60;
        s->deadline_s = UF_DEADLINE_S;
        s->min_bytes_per_s = 1024;
        s->retries = 3;
        int kind = 0;
        if (uf_jnode_object(&n, NULL, err) < 0 ||
            uf_jnode_enum(&n, "kind", 1, kinds, &kind, err) < 0 ||
            uf_jnode_string(&n, "id", 1, &s->id, err) < 0 ||
            (kind != ODBC && uf_jnode_string(&n, "url", kind == HTTP, &s->url, err) < 0))
            return -1;
        s->kind = uf_xstrdup(kinds[kind]);
        for (size_t j = 0; j + 1 < cfg->nsources; j++)
            if (strcmp(cfg->sources[j].id, s->id) == 0) {
                uf_jnode_fail(&n, "id", err, "källan \"%s\" finns redan", s->id);
                return -1;
            }
        if (s->url && !url_ok(s->url)) {
            uf_jnode_fail(
                &n, "url", err,
                "url ska börja med https:// (http:// bara till 127.0.0.1 eller localhost)");
            return -1;
        }
        /* Messages redact it, but the config is archived byte for byte and
         * named in every manifest: a secret here would be kept for ever. */
        char secret[120];
        if (s->url && uf_url_secret(s->url, secret, sizeof secret)) {
            uf_jnode_fail(&n, "url", err,
                          "url bär en hemlighet (%s): inställningsfilen arkiveras som den är, så "
                          "lägg token i en miljövariabel (token_env) eller fil (token_file)",
                          secret);
            return -1;
        }
        if (readers[kind](cfg, s, &n, err) < 0)
            return -1;
    }
    return 0;
}

static int read_config(uf_config *cfg, const uf_jnode *root, char **legacy, uf_error *err)
{
    static const char *const keys[] = {"region",     "board",    "extracts", "archive",  "reports",
                                       "targets",    "comments", "owners",   "document", "sources",
                                       "indicators", "columns",  "internal", "completeness",
                                       "files",      "work",     "units_listed",
                                       NULL};
    static const char *const completeness[] = {"stop", "preliminary", NULL};
    if (uf_jnode_object(root, keys, err) < 0 || read_region(cfg, root, err) < 0 ||
        uf_jnode_string(root, "board", 1, &cfg->board, err) < 0 ||
        path_member(cfg, root, "extracts", 1, &cfg->extracts, err) < 0 ||
        path_member(cfg, root, "archive", 1, &cfg->archive, err) < 0 ||
        path_member(cfg, root, "reports", 1, &cfg->reports, err) < 0 ||
        path_member(cfg, root, "targets", 1, &cfg->targets, err) < 0 ||
        path_member(cfg, root, "comments", 0, &cfg->comments, err) < 0 ||
        path_member(cfg, root, "indicators", 0, &cfg->indicators, err) < 0 ||
        path_member(cfg, root, "work", 0, &cfg->work, err) < 0 ||
        read_owners(cfg, root, err) < 0 || read_document(cfg, root, legacy, err) < 0 ||
        read_files(cfg, root, err) < 0 || read_columns(cfg, root, err) < 0 ||
        read_sources(cfg, root, err) < 0 ||
        uf_jnode_bool(root, "internal", 0, &cfg->internal, err) < 0 ||
        uf_jnode_enum(root, "completeness", 0, completeness, &cfg->completeness_preliminary,
                      err) < 0 ||
        uf_jnode_long(root, "units_listed", 0, 1, 100000, &cfg->units_listed, err) < 0)
        return -1;
    /* The folder of locks and staging folders: by default in the archive,
     * the program's own folder (README "The reports folder"). */
    if (!cfg->work)
        cfg->work = uf_xasprintf("%s/arbete", cfg->archive);
    return 0;
}

static int load(const char *path, uf_config *cfg, char **legacy, uf_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->path = uf_xstrdup(path);
    const char *slash = strrchr(path, '/');
    cfg->dir =
        !slash ? uf_xstrdup(".") : uf_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
    uf_jdoc doc;
    int rc = uf_jdoc_load(&doc, path, err);
    if (rc == 0) {
        uf_jnode root = uf_jdoc_root(&doc);
        rc = read_config(cfg, &root, legacy, err);
        uf_jdoc_free(&doc);
    }
    if (rc < 0)
        uf_config_free(cfg);
    return rc;
}

void uf_config_kolada_kpis(uf_config *cfg, const uf_indicators *inds)
{
    for (size_t i = 0; i < cfg->nsources; i++) {
        uf_source *s = &cfg->sources[i];
        if (strcmp(s->kind, "kolada") != 0 || s->kpis_given)
            continue;
        size_t n = 0;
        char **kpis = uf_xcalloc(inds->n + 1, sizeof *kpis);
        for (size_t k = 0; k < inds->n; k++) {
            const char *kpi = inds->v[k].kolada_kpi;
            size_t j = 0;
            while (kpi && j < n && strcmp(kpis[j], kpi) != 0)
                j++;
            if (kpi && j == n)
                kpis[n++] = uf_xstrdup(kpi);
        }
        if (n == 0) { /* no definition names one: the defaults stay */
            free(kpis);
            continue;
        }
        uf_strings_free(s->kpis, s->nkpis);
        s->kpis = kpis;
        s->nkpis = n;
    }
}

int uf_config_load(const char *path, uf_config *cfg, uf_error *err)
{
    return load(path, cfg, NULL, err);
}

int uf_config_load_archived(const char *path, uf_config *cfg, char **approved_by, uf_error *err)
{
    *approved_by = NULL;
    int rc = load(path, cfg, approved_by, err);
    if (rc) {
        free(*approved_by);
        *approved_by = NULL;
    }
    return rc;
}

int uf_config_check_owners(const uf_config *cfg, const uf_indicators *inds, uf_error *err)
{
    for (size_t i = 0; i < cfg->nowners; i++) {
        const char *id = cfg->owners[i].indicator;
        if (uf_indicators_find(inds, id))
            continue;
        char msg[200];
        snprintf(msg, sizeof msg, "owners nämner indikatorn \"%s\", som inte finns", id);
        uf_error_set(err, UF_ERR_CONFIG, cfg->path, 0, 0, NULL, "%s", msg);
        /* The position is found again in the file, read once already. */
        uf_jdoc doc;
        uf_error ignored;
        if (uf_jdoc_load(&doc, cfg->path, &ignored) == 0) {
            uf_jnode root = uf_jdoc_root(&doc), owners = uf_jnode_get(&root, "owners");
            uf_jnode_fail(&owners, id, err, "%s", msg);
            uf_jdoc_free(&doc);
        }
        return -1;
    }
    return 0;
}

char *uf_config_expand(const char *pattern, uf_month period)
{
    static const char key[] = "{period}";
    char month[8];
    uf_month_format(period, month);
    size_t n = 0;
    for (const char *p = strstr(pattern, key); p; p = strstr(p + 1, key))
        n++;
    char *out = uf_xmalloc(strlen(pattern) + n * (7 - (sizeof key - 1)) + 1), *o = out;
    for (const char *p = pattern; *p;) {
        if (strncmp(p, key, sizeof key - 1) == 0) {
            memcpy(o, month, 7);
            o += 7;
            p += sizeof key - 1;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

const char *uf_config_owner(const uf_config *cfg, const char *indicator)
{
    for (size_t i = 0; i < cfg->nowners; i++)
        if (strcmp(cfg->owners[i].indicator, indicator) == 0)
            return cfg->owners[i].owner;
    return NULL;
}

const uf_colmap *uf_config_columns(const uf_config *cfg, const char *file)
{
    for (size_t i = 0; i < cfg->ncolumns; i++)
        if (strcmp(cfg->columns[i].file, file) == 0)
            return &cfg->columns[i];
    return NULL;
}

void uf_config_free(uf_config *cfg)
{
    char *strings[] = {cfg->path,
                       cfg->dir,
                       cfg->region_name,
                       cfg->kolada_id,
                       cfg->board,
                       cfg->extracts,
                       cfg->archive,
                       cfg->reports,
                       cfg->targets,
                       cfg->comments,
                       cfg->indicators,
                       cfg->document.id,
                       cfg->document.version,
                       cfg->document.prepared_by,
                       cfg->document.reviewed_by,
                       cfg->files.pdf,
                       cfg->files.xlsx,
                       cfg->files.csv,
                       cfg->files.region,
                       cfg->files.diarienummer,
                       cfg->files.bilaga,
                       cfg->work};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        free(strings[i]);
    for (size_t i = 0; i < cfg->nowners; i++) {
        free(cfg->owners[i].indicator);
        free(cfg->owners[i].owner);
    }
    free(cfg->owners);
    for (size_t i = 0; i < cfg->ncolumns; i++) {
        for (size_t j = 0; j < cfg->columns[i].n; j++) {
            free((char *)cfg->columns[i].v[j].canonical);
            free((char *)cfg->columns[i].v[j].header);
        }
        free(cfg->columns[i].v);
        free(cfg->columns[i].file);
    }
    free(cfg->columns);
    for (size_t i = 0; i < cfg->nsources; i++) {
        uf_source *s = &cfg->sources[i];
        free(s->id);
        free(s->kind);
        free(s->file);
        free(s->url);
        free(s->token_env);
        free(s->token_file);
        free(s->ca_bundle);
        free(s->dsn);
        free(s->connection);
        free(s->user);
        free(s->password_env);
        free(s->password_file);
        free(s->query);
        free(s->query_file);
        free(s->query_name);
        uf_strings_free(s->kpis, s->nkpis);
        uf_strings_free(s->areas, s->nareas);
    }
    free(cfg->sources);
    memset(cfg, 0, sizeof *cfg);
}
