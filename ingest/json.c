/* ingest/json.c — the shared part of the JSON readers: load with jansson,
 * report in Swedish where (file, line, column) and what, check keys, and read
 * typed members.  See json.h for why nodes carry their path. */
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ positions */

/* Line and column (in characters, as jansson counts them) of byte offset. */
static void position(const char *text, size_t off, long *line, int *col)
{
    long l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off && text[i]; i++)
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    int c = 1;
    for (size_t i = start; i < off && text[i]; i++)
        c += ((unsigned char)text[i] & 0xC0) != 0x80;
    *line = l;
    *col = c;
}

/* The scanner below only ever runs on text jansson has accepted. */
static size_t skip_ws(const char *t, size_t i)
{
    while (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')
        i++;
    return i;
}

static size_t skip_string(const char *t, size_t i)
{
    for (i++; t[i] && t[i] != '"'; i++)
        if (t[i] == '\\' && t[i + 1])
            i++;
    return t[i] ? i + 1 : i;
}

static size_t skip_value(const char *t, size_t i)
{
    if (t[i] == '"')
        return skip_string(t, i);
    if (t[i] != '{' && t[i] != '[') {
        while (t[i] && !strchr(",}] \t\r\n", t[i]))
            i++;
        return i;
    }
    int depth = 0;
    while (t[i]) {
        if (t[i] == '"') {
            i = skip_string(t, i);
            continue;
        }
        depth += (t[i] == '{' || t[i] == '[') - (t[i] == '}' || t[i] == ']');
        i++;
        if (depth == 0)
            break;
    }
    return i;
}

/* Offset where node n's value starts; *key gets the offset of its member
 * key's opening quote (or the value's when it has none).  A node that cannot
 * be found (absent member) yields its parent's position. */
static size_t locate(const uf_jnode *n, size_t *key)
{
    const char *t = n->doc->text;
    if (!n->up) {
        *key = skip_ws(t, 0);
        return *key;
    }
    size_t up_key;
    size_t p0 = locate(n->up, &up_key), p = p0 + 1;
    *key = up_key;
    if (t[p0] == '{' && n->key) {
        size_t len = strlen(n->key);
        for (;;) {
            p = skip_ws(t, p);
            if (t[p] != '"')
                return p0;
            size_t k = p, e = skip_string(t, p);
            int match = e - k == len + 2 && memcmp(t + k + 1, n->key, len) == 0;
            p = skip_ws(t, skip_ws(t, e) + 1); /* past ':' */
            if (match) {
                *key = k;
                return p;
            }
            p = skip_ws(t, skip_value(t, p));
            if (t[p] != ',')
                return p0;
            p++;
        }
    }
    if (t[p0] == '[' && !n->key) {
        for (size_t i = 0;; i++) {
            p = skip_ws(t, p);
            if (t[p] == ']' || !t[p])
                return p0;
            if (i == n->index) {
                *key = p;
                return p;
            }
            p = skip_ws(t, skip_value(t, p));
            if (t[p] != ',')
                return p0;
            p++;
        }
    }
    return p0;
}

/* Line and column of n: of its member key when it has one. */
static void where(const uf_jnode *n, long *line, int *col)
{
    size_t k;
    locate(n, &k);
    position(n->doc->text, k, line, col);
}

long uf_jnode_line(const uf_jnode *n)
{
    long line;
    int col;
    where(n, &line, &col);
    return line;
}

void uf_jnode_where(const uf_jnode *n, const char *key, long *line, int *col)
{
    uf_jnode child = key ? uf_jnode_get(n, key) : *n;
    where(&child, line, col);
}

void uf_jnode_fail(const uf_jnode *n, const char *key, uf_error *err, const char *fmt, ...)
{
    long line;
    int col;
    uf_jnode_where(n, key, &line, &col);
    char text[sizeof err->text];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    uf_error_set(err, UF_ERR_CONFIG, n->doc->display, line, col, NULL, "%s", text);
}

/* -------------------------------------------------------------- loading */

/* jansson's messages, in the words a person editing the file needs. */
static const struct {
    const char *en, *sv;
} syntax_words[] = {
    {"'[' or '{' expected", "väntade { i början av filen"},
    {"string or '}' expected",
     "väntade en nyckel inom citattecken eller } (ett kommatecken för mycket?)"},
    {"':' expected", "väntade : efter nyckeln"},
    {"'}' expected", "väntade , eller } (saknas ett kommatecken?)"},
    {"']' expected", "väntade , eller ] (saknas ett kommatecken?)"},
    {"unexpected token", "oväntat tecken (ett kommatecken för mycket?)"},
    {"invalid token",
     "ogiltigt värde: text ska stå inom \"dubbla citattecken\" och tal skrivas med punkt"},
    {"unexpected newline", "radbrytning inne i en text (saknas ett avslutande \"?)"},
    {"control character", "styrtecken inne i en text"},
    {"invalid escape", "ogiltig \\-sekvens inne i en text"},
    {"end of file expected", "text efter det avslutande }"},
    {"unable to decode byte", "ogiltig UTF-8 (spara filen som UTF-8)"},
};

static int syntax_error(const uf_jdoc *d, size_t len, const json_error_t *je, uf_error *err)
{
    const char *sv = "ogiltig JSON";
    for (size_t i = 0; i < sizeof syntax_words / sizeof *syntax_words; i++)
        if (strncmp(je->text, syntax_words[i].en, strlen(syntax_words[i].en)) == 0)
            sv = syntax_words[i].sv;
    /* jansson stops after the offending token: point at its start instead. */
    size_t off = je->position > 0 ? (size_t)je->position : 0;
    const char *near = strstr(je->text, " near '");
    char token[128] = "";
    if (near) {
        snprintf(token, sizeof token, "%s", near + 7);
        size_t tl = strlen(token);
        if (tl && token[tl - 1] == '\'')
            token[--tl] = '\0';
        if (tl <= off && memcmp(d->text + off - tl, token, tl) == 0)
            off -= tl;
    }
    if (off > len)
        off = len;
    long line;
    int col;
    position(d->text, off, &line, &col);
    switch (json_error_code(je)) {
    case json_error_premature_end_of_input:
        if (len == 0)
            uf_error_set(err, UF_ERR_CONFIG, d->display, 0, 0, NULL,
                         "filen är tom; väntade ett JSON-objekt { ... }");
        else
            uf_error_set(err, UF_ERR_CONFIG, d->display, line, col, NULL,
                         "filen tar slut för tidigt (saknas } eller ]?)");
        break;
    case json_error_duplicate_key:
        uf_error_set(err, UF_ERR_CONFIG, d->display, line, col, NULL,
                     "nyckeln %s förekommer två gånger i samma objekt", token);
        break;
    case json_error_numeric_overflow:
        uf_error_set(err, UF_ERR_CONFIG, d->display, line, col, NULL, "talet %s är för stort",
                     token);
        break;
    case json_error_null_character:
        uf_error_set(err, UF_ERR_CONFIG, d->display, line, col, NULL, "NUL-tecken i filen");
        break;
    default:
        uf_error_set(err, UF_ERR_CONFIG, d->display, line, col, NULL, "%s", sv);
    }
    return -1;
}

static char *read_all(const char *path, const char *display, size_t *len, uf_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            uf_error_set(err, UF_ERR_CONFIG, display, 0, 0, NULL, "filen finns inte");
        else
            uf_error_set(err, UF_ERR_IO, display, 0, 0, NULL, "kunde inte öppna filen: %s",
                         uf_strerrno(errno));
        return NULL;
    }
    size_t cap = 1 << 14, n = 0;
    char *buf = uf_xmalloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        buf = uf_xrealloc(buf, cap *= 2);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        uf_error_set(err, UF_ERR_IO, display, 0, 0, NULL, "kunde inte läsa filen");
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int uf_jdoc_load(uf_jdoc *d, const char *path, uf_error *err)
{
    return uf_jdoc_load_as(d, path, path, err);
}

int uf_jdoc_load_as(uf_jdoc *d, const char *path, const char *display, uf_error *err)
{
    memset(d, 0, sizeof *d);
    d->display = display;
    size_t len;
    char *raw = read_all(path, display, &len, err);
    if (!raw)
        return -1;
    /* Editors on Windows like to start UTF-8 with a BOM; jansson does not. */
    if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
        memmove(raw, raw + 3, len - 2);
        len -= 3;
    }
    d->text = raw;
    json_error_t je;
    d->root = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &je);
    if (!d->root) {
        syntax_error(d, len, &je, err);
        uf_jdoc_free(d);
        return -1;
    }
    uf_jnode root = uf_jdoc_root(d);
    if (uf_jnode_object(&root, NULL, err) < 0) {
        uf_jdoc_free(d);
        return -1;
    }
    return 0;
}

void uf_jdoc_free(uf_jdoc *d)
{
    json_decref(d->root);
    free(d->text);
    d->root = NULL;
    d->text = NULL;
}

uf_jnode uf_jdoc_root(const uf_jdoc *d)
{
    return (uf_jnode){.doc = d, .v = d->root};
}

/* ---------------------------------------------------------------- nodes */

uf_jnode uf_jnode_get(const uf_jnode *obj, const char *key)
{
    return (uf_jnode){.doc = obj->doc, .up = obj, .key = key, .v = json_object_get(obj->v, key)};
}

uf_jnode uf_jnode_at(const uf_jnode *arr, size_t i)
{
    return (uf_jnode){.doc = arr->doc, .up = arr, .index = i, .v = json_array_get(arr->v, i)};
}

/* How a node is named in messages: "nyckeln \"x\"" or "värdet". */
static const char *what(const uf_jnode *n, char *buf, size_t size)
{
    if (n->key)
        snprintf(buf, size, "nyckeln \"%s\"", n->key);
    else
        snprintf(buf, size, "värdet");
    return buf;
}

/* names separated by ", ", each in quotes if asked (truncated to size). */
static void join(const char *const *names, int quote, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; names[i] && used < size; i++) {
        if (i)
            used += (size_t)snprintf(out + used, size - used, ", ");
        if (used < size)
            used += (size_t)snprintf(out + used, size - used, quote ? "\"%s\"" : "%s", names[i]);
    }
}

int uf_jnode_object(const uf_jnode *n, const char *const *allowed, uf_error *err)
{
    char w[96];
    if (!json_is_object(n->v)) {
        uf_jnode_fail(n, NULL, err, "%s ska vara ett objekt { ... }", what(n, w, sizeof w));
        return -1;
    }
    if (!allowed)
        return 0;
    const char *key;
    json_t *v;
    json_object_foreach (n->v, key, v) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], key) != 0)
            i++;
        if (allowed[i])
            continue;
        char list[300];
        join(allowed, 0, list, sizeof list);
        uf_jnode_fail(n, key, err, "okänd nyckel \"%s\"; tillåtna här: %s", key, list);
        return -1;
    }
    return 0;
}

int uf_jnode_array(const uf_jnode *n, uf_error *err)
{
    char w[96];
    if (json_is_array(n->v))
        return 0;
    uf_jnode_fail(n, NULL, err, "%s ska vara en lista [ ... ]", what(n, w, sizeof w));
    return -1;
}

/* The member, or NULL: absent (0 returned through *rc) or missing though
 * required (-1 through *rc). */
static json_t *member(const uf_jnode *obj, const char *key, int required, int *rc, uf_error *err)
{
    json_t *v = json_object_get(obj->v, key);
    *rc = 0;
    if (!v && required) {
        uf_jnode_fail(obj, NULL, err, "nyckeln \"%s\" saknas", key);
        *rc = -1;
    }
    return v;
}

int uf_jnode_string(const uf_jnode *obj, const char *key, int required, char **out, uf_error *err)
{
    int rc;
    json_t *v = member(obj, key, required, &rc, err);
    if (!v)
        return rc;
    if (!json_is_string(v)) {
        uf_jnode_fail(obj, key, err, "nyckeln \"%s\" ska vara en text inom citattecken", key);
        return -1;
    }
    if (required && json_string_length(v) == 0) {
        uf_jnode_fail(obj, key, err, "nyckeln \"%s\" får inte vara tom", key);
        return -1;
    }
    *out = uf_xstrdup(json_string_value(v));
    return 0;
}

int uf_jnode_number(const uf_jnode *obj, const char *key, int required, double *out, uf_error *err)
{
    int rc;
    json_t *v = member(obj, key, required, &rc, err);
    if (!v)
        return rc;
    if (!json_is_number(v)) {
        uf_jnode_fail(obj, key, err,
                      "nyckeln \"%s\" ska vara ett tal (utan citattecken, med decimalpunkt)", key);
        return -1;
    }
    *out = json_number_value(v);
    return 0;
}

int uf_jnode_long(const uf_jnode *obj, const char *key, int required, long lo, long hi, long *out,
                  uf_error *err)
{
    int rc;
    json_t *v = member(obj, key, required, &rc, err);
    if (!v)
        return rc;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        uf_jnode_fail(obj, key, err, "nyckeln \"%s\" ska vara ett heltal från %ld till %ld", key,
                      lo, hi);
        return -1;
    }
    *out = (long)json_integer_value(v);
    return 0;
}

int uf_jnode_bool(const uf_jnode *obj, const char *key, int required, int *out, uf_error *err)
{
    int rc;
    json_t *v = member(obj, key, required, &rc, err);
    if (!v)
        return rc;
    if (!json_is_boolean(v)) {
        uf_jnode_fail(obj, key, err, "nyckeln \"%s\" ska vara true eller false", key);
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

int uf_jnode_enum(const uf_jnode *obj, const char *key, int required, const char *const *names,
                  int *out, uf_error *err)
{
    int rc;
    json_t *v = member(obj, key, required, &rc, err);
    if (!v)
        return rc;
    for (int i = 0; json_is_string(v) && names[i]; i++)
        if (strcmp(json_string_value(v), names[i]) == 0) {
            *out = i;
            return 0;
        }
    char list[300];
    join(names, 1, list, sizeof list);
    if (json_is_string(v))
        uf_jnode_fail(obj, key, err, "nyckeln \"%s\" ska vara ett av %s, inte \"%.60s\"", key,
                      list, json_string_value(v));
    else
        uf_jnode_fail(obj, key, err, "nyckeln \"%s\" ska vara ett av %s", key, list);
    return -1;
}

void uf_strings_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int uf_jnode_strings(const uf_jnode *obj, const char *key, int required, char ***out, size_t *n,
                     uf_error *err)
{
    int rc;
    if (!member(obj, key, required, &rc, err))
        return rc;
    uf_jnode arr = uf_jnode_get(obj, key);
    if (uf_jnode_array(&arr, err) < 0)
        return -1;
    size_t count = json_array_size(arr.v);
    char **v = uf_xcalloc(count, sizeof *v);
    for (size_t i = 0; i < count; i++) {
        uf_jnode item = uf_jnode_at(&arr, i);
        if (!json_is_string(item.v) || json_string_length(item.v) == 0) {
            uf_jnode_fail(&item, NULL, err, "nyckeln \"%s\" ska vara en lista av texter", key);
            uf_strings_free(v, i);
            return -1;
        }
        v[i] = uf_xstrdup(json_string_value(item.v));
    }
    *out = v;
    *n = count;
    return 0;
}
