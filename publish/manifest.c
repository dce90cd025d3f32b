/* publish/manifest.c — manifest.json, read and written here and nowhere
 * else, and the input record it shares with the fetch index.
 *
 * Reading is lenient: whatever a field holds is taken as far as it goes,
 * an absent one is left NULL (or its flag 0), and each caller asks for what
 * it needs — verify names an incomplete input and goes on, a re-run refuses
 * the manifest.  Writing keeps jansson's order of insertion, so that the
 * same run gives the same bytes. */
#include "publish/manifest.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------ the input record */

json_t *uf_input_to_json(const uf_input *in)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "role", in->role, "name", in->name,
                          "origin", in->origin, "fetched", in->fetched, "bytes",
                          (json_int_t)in->bytes, "sha256", in->sha256);
    if (in->http_status)
        json_object_set_new(j, "http_status", json_integer(in->http_status));
    if (in->edition[0])
        json_object_set_new(j, "edition", json_string(in->edition));
    if (in->period[0])
        json_object_set_new(j, "period", json_string(in->period));
    return j;
}

static void copy_string(char *out, size_t n, const json_t *j, const char *key)
{
    snprintf(out, n, "%s", json_string_value(json_object_get(j, key)) ?: "");
}

int uf_input_from_json(const json_t *j, uf_input *in)
{
    const char *role, *name, *origin, *fetched, *sha, *edition = "", *period = "";
    json_int_t bytes, status = 0;
    memset(in, 0, sizeof *in);
    if (json_unpack((json_t *)j, "{s:s, s:s, s:s, s:s, s:I, s:s, s?:I, s?:s, s?:s}", "role", &role,
                    "name", &name, "origin", &origin, "fetched", &fetched, "bytes", &bytes,
                    "sha256", &sha, "http_status", &status, "edition", &edition, "period",
                    &period) != 0 ||
        strlen(sha) != 64) {
        /* What there is, for a reader that only compares (history). */
        copy_string(in->role, sizeof in->role, j, "role");
        copy_string(in->name, sizeof in->name, j, "name");
        copy_string(in->sha256, sizeof in->sha256, j, "sha256");
        in->bytes = json_integer_value(json_object_get(j, "bytes"));
        return -1;
    }
    snprintf(in->role, sizeof in->role, "%s", role);
    snprintf(in->name, sizeof in->name, "%s", name);
    snprintf(in->origin, sizeof in->origin, "%s", origin);
    snprintf(in->fetched, sizeof in->fetched, "%s", fetched);
    snprintf(in->sha256, sizeof in->sha256, "%s", sha);
    snprintf(in->edition, sizeof in->edition, "%s", edition);
    snprintf(in->period, sizeof in->period, "%s", period);
    in->bytes = bytes;
    in->http_status = (long)status;
    return 0;
}

/* ------------------------------------------------------------ the edition */

static const char *const change_words[] = {[UF_INPUT_CHANGED] = "ändrad",
                                           [UF_INPUT_NEW] = "ny",
                                           [UF_INPUT_GONE] = "borttagen"};

json_t *uf_approval_to_json(const uf_approval *a)
{
    char at[32];
    uf_fmt_time_utc(a->at, at);
    return json_pack("{s:s, s:s, s:s}", "by", a->by, "decision", a->decision, "at", at);
}

int uf_approval_from_json(const json_t *j, uf_approval *a)
{
    const char *by, *decision, *at;
    memset(a, 0, sizeof *a);
    if (json_unpack((json_t *)j, "{s:s, s:s, s:s}", "by", &by, "decision", &decision, "at",
                    &at) != 0 ||
        (a->at = uf_time_utc_parse(at)) < 0)
        return -1;
    snprintf(a->by, sizeof a->by, "%s", by);
    snprintf(a->decision, sizeof a->decision, "%s", decision);
    return 0;
}

/* Which edition, its status, what it replaces and why (SPEC "Editions and
 * approval"): what the documents print, for history and the index too. */
static json_t *edition_to_json(const uf_edition *e)
{
    json_t *j = json_pack("{s:i, s:s}", "number", e->number, "status",
                          e->approved ? "faststalld" : "utkast");
    if (e->approved)
        json_object_set_new(j, "approval", uf_approval_to_json(&e->approval));
    if (e->replaces) {
        char when[32];
        uf_fmt_time_utc(e->replaces_time, when);
        json_t *r = json_pack("{s:i, s:s, s:s}", "number", e->replaces, "run_time", when,
                              "status", e->replaces_approved ? "faststalld" : "utkast");
        if (e->replaces_approved)
            json_object_set_new(r, "approval", uf_approval_to_json(&e->replaced));
        json_object_set_new(j, "replaces", r);
    }
    if (e->forced)
        json_object_set_new(j, "forced", json_true());
    json_t *changes = json_array();
    for (size_t i = 0; i < e->nchanges; i++) {
        const uf_input_change *c = &e->changes[i];
        json_t *o = json_pack("{s:s, s:s, s:s}", "role", c->role, "name", c->name, "change",
                              change_words[c->kind]);
        if (c->period[0])
            json_object_set_new(o, "period", json_string(c->period));
        json_array_append_new(changes, o);
    }
    json_object_set_new(j, "changes", changes);
    return j;
}

/* 0 when j is an edition block; what it lacks is left zero. */
static int edition_from_json(const json_t *j, uf_edition *e)
{
    memset(e, 0, sizeof *e);
    json_int_t number = 0;
    const char *status = "";
    if (json_unpack((json_t *)j, "{s:I, s:s}", "number", &number, "status", &status) != 0 ||
        number < 1 || number > 1000000)
        return -1;
    e->number = (int)number;
    e->approved = strcmp(status, "faststalld") == 0 &&
                  uf_approval_from_json(json_object_get(j, "approval"), &e->approval) == 0;
    const json_t *r = json_object_get(j, "replaces");
    json_int_t replaces = 0;
    const char *when = "", *was = "";
    if (r && json_unpack((json_t *)r, "{s:I, s:s, s:s}", "number", &replaces, "run_time", &when,
                         "status", &was) == 0 && replaces > 0 && replaces < number) {
        e->replaces = (int)replaces;
        e->replaces_time = uf_time_utc_parse(when);
        e->replaces_approved = strcmp(was, "faststalld") == 0 &&
                               uf_approval_from_json(json_object_get(r, "approval"),
                                                     &e->replaced) == 0;
    }
    e->forced = json_is_true(json_object_get(j, "forced"));
    const json_t *changes = json_object_get(j, "changes");
    e->changes = uf_xcalloc(json_array_size(changes) + 1, sizeof *e->changes);
    size_t i;
    const json_t *c;
    json_array_foreach(changes, i, c) {
        const char *role = NULL, *name = NULL, *how = NULL, *period = "";
        if (json_unpack((json_t *)c, "{s:s, s:s, s:s, s?:s}", "role", &role, "name", &name,
                        "change", &how, "period", &period) != 0)
            continue;
        uf_input_change *out = &e->changes[e->nchanges];
        for (int k = 0; k < 3; k++)
            if (strcmp(how, change_words[k]) == 0) {
                out->kind = (uf_input_change_kind)k;
                snprintf(out->role, sizeof out->role, "%s", role);
                snprintf(out->name, sizeof out->name, "%s", name);
                snprintf(out->period, sizeof out->period, "%s", period);
                e->nchanges++;
            }
    }
    return 0;
}

void uf_edition_copy(uf_edition *to, const uf_edition *from)
{
    *to = *from;
    to->changes = uf_xcalloc(from->nchanges + 1, sizeof *to->changes);
    if (from->nchanges)
        memcpy(to->changes, from->changes, from->nchanges * sizeof *to->changes);
}

void uf_edition_free(uf_edition *e)
{
    free(e->changes);
    e->changes = NULL;
    e->nchanges = 0;
}

/* ---------------------------------------------------------------- reading */

static char *string_or_null(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? uf_xstrdup(s) : NULL;
}

/* version ... fonts: what made the bytes (core/build.c). */
static void build_from_json(const json_t *m, uf_build *b)
{
    memset(b, 0, sizeof *b);
    b->version = string_or_null(m, "version");
    b->revision = string_or_null(m, "revision");
    const json_t *libs = json_object_get(m, "libraries");
    for (int i = 0; i < UF_NLIBS; i++)
        b->libs[i] = string_or_null(libs, uf_build_lib_names[i]);
    const json_t *fonts = json_object_get(m, "fonts");
    b->fonts_known = json_is_array(fonts);
    b->fonts = uf_xcalloc(json_array_size(fonts) + 1, sizeof *b->fonts);
    size_t i;
    const json_t *f;
    json_array_foreach(fonts, i, f) {
        const char *file = json_string_value(json_object_get(f, "file"));
        const char *sha = json_string_value(json_object_get(f, "sha256"));
        if (!file || !sha || strlen(sha) != 64)
            continue;
        uf_font *out = &b->fonts[b->nfonts++];
        out->file = uf_xstrdup(file);
        out->bytes = json_integer_value(json_object_get(f, "bytes"));
        memcpy(out->sha256, sha, 65);
    }
}

static void from_json(const json_t *j, uf_manifest *m)
{
    m->period_ok = uf_month_parse(json_string_value(json_object_get(j, "period")) ?: "",
                                  &m->period) == 0;
    m->run_time = string_or_null(j, "run_time");
    const json_t *unix_time = json_object_get(j, "run_time_unix");
    m->has_run_time_unix = json_is_integer(unix_time);
    m->run_time_unix = json_integer_value(unix_time);
    m->archive = string_or_null(j, "archive");
    build_from_json(j, &m->build);
    const json_t *edition = json_object_get(j, "edition");
    m->has_edition = edition && edition_from_json(edition, &m->edition) == 0;
    if (edition && !m->has_edition)
        uf_edition_free(&m->edition);

    const json_t *inputs = json_object_get(j, "inputs"), *outputs = json_object_get(j, "outputs");
    m->has_inputs = json_is_array(inputs);
    m->ninputs = json_array_size(inputs);
    m->inputs = uf_xcalloc(m->ninputs, sizeof *m->inputs);
    for (size_t i = 0; i < m->ninputs; i++)
        m->inputs[i].complete = uf_input_from_json(json_array_get(inputs, i), &m->inputs[i].in) == 0;
    m->has_outputs = json_is_array(outputs);
    m->noutputs = json_array_size(outputs);
    m->outputs = uf_xcalloc(m->noutputs, sizeof *m->outputs);
    for (size_t i = 0; i < m->noutputs; i++) {
        const json_t *e = json_array_get(outputs, i);
        m->outputs[i].name = string_or_null(e, "name");
        m->outputs[i].sha256 = string_or_null(e, "sha256");
        m->outputs[i].bytes = json_integer_value(json_object_get(e, "bytes"));
    }
}

/* j is NULL when the text did not parse: err says where. */
static int loaded(json_t *j, const json_error_t *je, const char *display, uf_manifest *m,
                  uf_error *err)
{
    memset(m, 0, sizeof *m);
    if (!json_is_object(j)) {
        uf_error_set(err, UF_ERR_IO, display, !j && je->line > 0 ? je->line : 0,
                     !j && je->column > 0 ? je->column : 0, NULL, "manifestet kan inte läsas: %s",
                     j ? "det är inget JSON-objekt" : je->text);
        json_decref(j);
        return -1;
    }
    from_json(j, m);
    json_decref(j);
    return 0;
}

int uf_manifest_load(const char *path, uf_manifest *m, uf_error *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    return loaded(j, &je, path, m, err);
}

int uf_manifest_load_fd(int fd, const char *display, uf_manifest *m, uf_error *err)
{
    json_error_t je = {.line = -1, .column = -1, .text = "filen finns inte eller kan inte öppnas"};
    json_t *j = fd < 0 ? NULL : json_loadfd(fd, 0, &je);
    return loaded(j, &je, display, m, err);
}

const uf_manifest_output *uf_manifest_output_named(const uf_manifest *m, const char *name)
{
    for (size_t i = 0; i < m->noutputs; i++) {
        const uf_manifest_output *o = &m->outputs[i];
        if (o->name && o->sha256 && strlen(o->sha256) == 64 && strcmp(o->name, name) == 0)
            return o;
    }
    return NULL;
}

const uf_input *uf_manifest_input_named(const uf_manifest *m, const char *role, const char *name)
{
    for (size_t i = 0; i < m->ninputs; i++) {
        const uf_input *in = &m->inputs[i].in;
        if (strlen(in->sha256) == 64 && strcmp(in->name, name) == 0 && strcmp(in->role, role) == 0)
            return in;
    }
    return NULL;
}

void uf_manifest_free(uf_manifest *m)
{
    free(m->run_time);
    free(m->archive);
    uf_build_free(&m->build);
    free(m->inputs);
    for (size_t i = 0; i < m->noutputs; i++) {
        free(m->outputs[i].name);
        free(m->outputs[i].sha256);
    }
    free(m->outputs);
    uf_edition_free(&m->edition);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- writing */

static void build_put_json(const uf_build *b, json_t *m)
{
    json_object_set_new(m, "version", json_string(b->version));
    json_object_set_new(m, "revision", json_string(b->revision));
    json_t *libs = json_object();
    for (int i = 0; i < UF_NLIBS; i++)
        json_object_set_new(libs, uf_build_lib_names[i], json_string(b->libs[i]));
    json_object_set_new(m, "libraries", libs);
    json_t *fonts = json_array();
    for (size_t i = 0; i < b->nfonts; i++)
        json_array_append_new(fonts, json_pack("{s:s, s:I, s:s}", "file", b->fonts[i].file,
                                               "bytes", (json_int_t)b->fonts[i].bytes,
                                               "sha256", b->fonts[i].sha256));
    json_object_set_new(m, "fonts", fonts);
}

int uf_manifest_save(const uf_manifest *m, const char *path, uf_error *err)
{
    char period[8];
    uf_month_format(m->period, period);
    json_t *inputs = json_array();
    for (size_t i = 0; i < m->ninputs; i++)
        json_array_append_new(inputs, uf_input_to_json(&m->inputs[i].in));
    json_t *outputs = json_array();
    for (size_t i = 0; i < m->noutputs; i++)
        json_array_append_new(outputs, json_pack("{s:s, s:I, s:s}", "name", m->outputs[i].name,
                                                 "bytes", (json_int_t)m->outputs[i].bytes,
                                                 "sha256", m->outputs[i].sha256));
    json_t *j = json_pack("{s:s}", "program", "uppfolj");
    build_put_json(&m->build, j);
    json_object_update_new(j, json_pack("{s:s, s:s, s:I, s:s}", "period", period, "run_time",
                                        m->run_time, "run_time_unix",
                                        (json_int_t)m->run_time_unix, "archive", m->archive));
    if (m->has_edition)
        json_object_set_new(j, "edition", edition_to_json(&m->edition));
    json_object_update_new(j, json_pack("{s:o, s:o}", "inputs", inputs, "outputs", outputs));
    int rc = 0;
    if (json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skriva manifestet: %s",
                     uf_strerrno(errno));
        rc = -1;
    }
    json_decref(j);
    return rc;
}
