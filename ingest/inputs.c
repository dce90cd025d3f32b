/* ingest/inputs.c — taking in everything one month's report is made of.
 *
 * A run takes its inputs from the config's folders and sources and archives
 * each file before reading it; a re-run takes the very same inputs from a
 * manifest and the archive alone.  Both end in the same uf_inputs, so
 * compute and render cannot tell them apart — which is what makes a re-run
 * byte-identical. */
#include "uppfolj.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The extracts SPEC knows, in the order they are read. */
static const char *const extract_names[] = {"enheter.csv",  "kontakter.csv", "samtal.csv",
                                            "listning.csv", "besok.csv",     "aggregat.csv"};
enum { NEXTRACTS = sizeof extract_names / sizeof *extract_names };

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *extract_name(const char *name)
{
    for (size_t k = 0; k < NEXTRACTS; k++)
        if (strcmp(extract_names[k], name) == 0)
            return extract_names[k];
    return NULL;
}

static int have_extract(const uf_inputs *in, const char *name)
{
    for (size_t i = 0; i < in->nextracts; i++)
        if (strcmp(in->extracts[i].name, name) == 0)
            return 1;
    return 0;
}

/* path becomes the extract name; it is owned by in from now on. */
static void set_extract(uf_inputs *in, const char *name, char *path)
{
    in->extracts[in->nextracts].name = extract_name(name);
    in->extracts[in->nextracts].path = in->extract_paths[in->nextracts] = path;
    in->nextracts++;
}

static void append_input(uf_inputs *in, const uf_input *rec)
{
    in->inputs = uf_xrealloc(in->inputs, (in->ninputs + 1) * sizeof *in->inputs);
    in->inputs[in->ninputs++] = *rec;
}

/* Keeps a checked object open as long as the inputs live, so that readers
 * read the file that was checked; returns the path they open. */
static char *hold(uf_inputs *in, const uf_object *obj)
{
    in->objects = uf_xrealloc(in->objects, (in->nobjects + 1) * sizeof *in->objects);
    in->objects[in->nobjects++] = *obj;
    return uf_xstrdup(obj->path);
}

/* Archives path (when archive is set) and records it as an input; *read_from
 * (if asked for) is where to read it: the checked archive object, or the
 * file itself. */
static int take(uf_inputs *in, const char *archive, const char *role, const char *name,
                const char *path, char **read_from, uf_error *err)
{
    if (!archive) {
        if (read_from)
            *read_from = uf_xstrdup(path);
        return 0;
    }
    uf_input rec = {0};
    uf_object obj;
    snprintf(rec.role, sizeof rec.role, "%s", role);
    snprintf(rec.name, sizeof rec.name, "%s", name);
    if (uf_archive_take(archive, path, &rec, read_from ? &obj : NULL, err))
        return -1;
    append_input(in, &rec);
    if (read_from)
        *read_from = hold(in, &obj);
    return 0;
}

/* Opens rec's object, checked, for reading (see hold). */
static char *open_input(uf_inputs *in, const char *archive, const uf_input *rec, uf_error *err)
{
    char what[200];
    snprintf(what, sizeof what, "%s (%s)", rec->name, rec->role);
    uf_object obj;
    return uf_archive_open(archive, rec->sha256, what, &obj, err) ? NULL : hold(in, &obj);
}

int uf_inputs_unchanged(const uf_inputs *in, uf_error *err)
{
    for (size_t i = 0; i < in->nobjects; i++)
        if (!uf_object_unchanged(&in->objects[i])) {
            uf_error_set(err, UF_ERR_IO, in->cfg.archive, 0, 0, NULL,
                         "ett arkivobjekt som körningen läste ändrades medan den pågick; "
                         "ingenting publiceras från det");
            return -1;
        }
    return 0;
}

/* The extracts in dir that did not come over HTTP. */
static int take_extracts(uf_inputs *in, const char *dir, const char *archive, uf_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (in->nextracts > 0)
            return 0; /* everything came over HTTP */
        uf_error_set(err, UF_ERR_INPUT, dir, 0, 0, NULL,
                     "mappen med extrakt för perioden finns inte");
        return -1;
    }
    for (size_t i = 0; i < NEXTRACTS; i++) {
        if (have_extract(in, extract_names[i]))
            continue;
        char *path = uf_xasprintf("%s/%s", dir, extract_names[i]);
        int rc = 0;
        struct stat kind;
        if (stat(path, &kind) == 0 && !S_ISREG(kind.st_mode)) {
            uf_error_not_file(err, path, kind.st_mode); /* not "missing", and never opened */
            rc = -1;
        } else if (file_exists(path)) {
            if (archive)
                uf_progress("arkiverar %s", extract_names[i]);
            char *from = NULL;
            rc = take(in, archive, "extrakt", extract_names[i], path, &from, err);
            if (rc == 0)
                set_extract(in, extract_names[i], from);
        }
        free(path);
        if (rc)
            return -1;
    }
    uf_progress_done();
    return 0;
}

/* A working folder for what is derived from archived objects; removed
 * with the inputs. */
static int make_scratch(uf_inputs *in, uf_error *err)
{
    char tmpl[] = "/tmp/uppfolj-XXXXXX";
    if (in->scratch)
        return 0;
    if (!mkdtemp(tmpl)) {
        uf_error_set(err, UF_ERR_IO, "/tmp", 0, 0, NULL, "kunde inte skapa en arbetsmapp: %s",
                     uf_strerrno(errno));
        return -1;
    }
    in->scratch = uf_xstrdup(tmpl);
    return 0;
}

/* JSON rows are read as the CSV they convert to, in the scratch folder;
 * the archived JSON stays the input of record. */
static char *rows_csv(uf_inputs *in, const char *object, const char *extract, uf_error *err)
{
    if (make_scratch(in, err))
        return NULL;
    char *csv = uf_xasprintf("%s/%s", in->scratch, extract);
    if (uf_rows_to_csv(object, extract, csv, err) == 0)
        return csv;
    unlink(csv);
    free(csv);
    return NULL;
}

/* Pulled payloads already in the archive: extracts are read from their
 * objects (JSON rows through a CSV), Kolada pages become comparison figures.
 * Each object is checked as it is opened. */
static int use_pulled(uf_inputs *in, const char *archive, const uf_input *pulled, size_t n,
                      uf_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const uf_input *p = &pulled[i];
        char rows[sizeof p->name];
        const char *extract = strcmp(p->role, "http") == 0 &&
                                      uf_rows_extract(p->name, rows, sizeof rows)
                                  ? extract_name(rows)
                                  : NULL;
        int kolada = strcmp(p->role, "kolada") == 0;
        int as_rows = !kolada && extract && !have_extract(in, extract);
        int as_csv = !kolada && !as_rows && extract_name(p->name) && !have_extract(in, p->name);
        if (!kolada && !as_rows && !as_csv)
            continue;
        char *object = open_input(in, archive, p, err);
        if (!object)
            return -1;
        if (kolada) {
            char *next = NULL;
            int rc = uf_kolada_parse(object, p->origin, &in->kolada, &next, err);
            free(next);
            free(object);
            if (rc)
                return -1;
        } else if (as_rows) {
            char *csv = rows_csv(in, object, extract, err);
            free(object);
            if (!csv)
                return -1;
            set_extract(in, extract, csv);
        } else {
            set_extract(in, p->name, object);
        }
        append_input(in, p);
    }
    return 0;
}

/* What the sources delivered: pulled now, or what the latest fetch of the
 * period left in the archive's index. */
static int take_pulled(uf_inputs *in, int fetch_now, uf_error *err)
{
    const char *archive = in->cfg.archive;
    uf_input *pulled = NULL;
    size_t n = 0;
    if (fetch_now && in->cfg.nsources > 0) {
        uf_log("hämtar %zu källor", in->cfg.nsources);
        if (uf_fetch_sources(&in->cfg, in->period, &pulled, &n, err) ||
            uf_archive_index_write(archive, in->period, pulled, n, err)) {
            free(pulled);
            return -1;
        }
    } else if (uf_archive_index_read(archive, in->period, &pulled, &n, err)) {
        return -1;
    }
    int rc = use_pulled(in, archive, pulled, n, err);
    /* Say plainly what a run without fresh pulls lacks. */
    for (size_t i = 0; i < in->cfg.nsources && !fetch_now && rc == 0; i++) {
        const uf_source *s = &in->cfg.sources[i];
        int kolada = strcmp(s->kind, "kolada") == 0, found = 0;
        for (size_t j = 0; j < n; j++)
            found |= kolada ? strcmp(pulled[j].role, "kolada") == 0
                            : s->file && strcmp(pulled[j].name, s->file) == 0;
        if (!found)
            uf_log("källan %s är inte hämtad för perioden%s", s->id,
                   kolada ? "; rapporten får ingen jämförelse från Kolada"
                          : "; extraktmappen används om filen finns där");
    }
    free(pulled);
    return rc;
}

static void add_edition(uf_inputs *in, const uf_input *rec, char *path)
{
    size_t e = in->neditions++;
    snprintf(in->editions[e].period, sizeof in->editions[e].period, "%.7s", rec->name + 9);
    snprintf(in->editions[e].edition, sizeof in->editions[e].edition, "%s", rec->edition);
    in->editions[e].path = path;
}

/* ------------------------------------------------- earlier editions */

/* The edition of a month that was published last.  The archive's record
 * names its manifest; manifest and outputs are archive objects, checked as
 * they are read.  The report folder is only compared with it, and named
 * when it differs: it is never read for figures. */
typedef struct {
    int found;
    char period[8];
    char run_time[32];
    char sha[65]; /* of its manifest */
    json_t *m;
} earlier;

/* The entry named name in a manifest's list ("outputs" or "inputs"), with
 * role when given. */
static json_t *listed(json_t *m, const char *list, const char *role, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(m, list), i, e) {
        const char *r = json_string_value(json_object_get(e, "role"));
        const char *n = json_string_value(json_object_get(e, "name"));
        const char *sha = json_string_value(json_object_get(e, "sha256"));
        if (n && sha && strlen(sha) == 64 && strcmp(n, name) == 0 &&
            (!role || (r && strcmp(r, role) == 0)))
            return e;
    }
    return NULL;
}

/* Names each file of the report folder dir that is not what manifest m
 * says was published; returns how many. */
static int folder_differs(const char *dir, json_t *m, const char *then)
{
    int bad = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(m, "outputs"), i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *want = json_string_value(json_object_get(e, "sha256"));
        if (!name || !want || strchr(name, '/'))
            continue;
        char *path = uf_xasprintf("%s/%s", dir, name);
        char got[65];
        long long bytes;
        uf_error ignored;
        if (uf_sha256_file(path, got, &bytes, &ignored) != 0 || strcmp(got, want) != 0) {
            uf_warn("%s stämmer inte med sitt manifest (ändrad eller borttagen efter "
                    "publiceringen); %s",
                    path, then);
            bad++;
        }
        free(path);
    }
    return bad;
}

static int manifest_unreadable(uf_error *err, const char *period, const char *when)
{
    uf_error_set(err, UF_ERR_IO, period, 0, 0, NULL,
                 "manifestet för utgåvan %s av %s i arkivet kan inte läsas", when, period);
    return -1;
}

/* heal: bad objects may be made again from identical copies (run only). */
static int find_earlier(uf_inputs *in, uf_month q, int heal, earlier *e, uf_error *err)
{
    const char *archive = in->cfg.archive;
    memset(e, 0, sizeof *e);
    uf_month_format(q, e->period);
    char *dir = uf_xasprintf("%s/%s", in->cfg.reports, e->period);
    char *mpath = uf_xasprintf("%s/manifest.json", dir);
    uf_published *v = NULL;
    size_t n = 0;
    int rc = uf_published_list(archive, q, &v, &n, err);
    if (rc == 0 && n > 0) {
        const uf_published *last = &v[n - 1];
        char what[128];
        snprintf(what, sizeof what, "manifestet för utgåvan %s av %s", last->run_time, e->period);
        uf_object obj;
        rc = heal ? uf_archive_use(archive, last->manifest, mpath, what, &obj, err)
                  : uf_archive_open(archive, last->manifest, what, &obj, err);
        if (rc == 0) {
            char *path = hold(in, &obj);
            e->m = json_load_file(path, 0, NULL);
            free(path);
            if (!json_is_object(e->m))
                rc = manifest_unreadable(err, e->period, last->run_time);
        }
        if (rc == 0) {
            e->found = 1;
            snprintf(e->run_time, sizeof e->run_time, "%s", last->run_time);
            snprintf(e->sha, sizeof e->sha, "%s", last->manifest);
            char sha[65];
            long long bytes;
            uf_error ignored;
            int same = uf_sha256_file(mpath, sha, &bytes, &ignored) == 0 &&
                       strcmp(sha, last->manifest) == 0;
            if (file_exists(mpath) && !same)
                uf_warn("%s är inte manifestet för den senast publicerade utgåvan av %s (%s) "
                        "enligt arkivet; utgåvan tas ur arkivet",
                        mpath, e->period, last->run_time);
            else if (same)
                folder_differs(dir, e->m, "utgåvan tas ur arkivet, inte ur mappen");
        }
    } else if (rc == 0 && file_exists(mpath)) {
        /* Published before the archive kept its record: the folder is used
         * only as long as it is what its manifest says. */
        long long bytes;
        uf_error ignored;
        e->m = json_load_file(mpath, 0, NULL);
        const char *when = json_string_value(json_object_get(e->m, "run_time"));
        if (!when || uf_sha256_file(mpath, e->sha, &bytes, &ignored) != 0)
            uf_warn("%s kan inte läsas; den utgåvan används inte", mpath);
        else if (folder_differs(dir, e->m, "den utgåvan används inte") == 0) {
            e->found = 1;
            snprintf(e->run_time, sizeof e->run_time, "%s", when);
        }
        if (!e->found) {
            json_decref(e->m);
            e->m = NULL;
        }
    }
    free(v);
    free(dir);
    free(mpath);
    return rc;
}

/* The input record of an object taken from an earlier edition. */
static uf_input from_edition(const earlier *e, const char *role, json_t *entry)
{
    uf_input rec = {.bytes = json_integer_value(json_object_get(entry, "bytes"))};
    snprintf(rec.role, sizeof rec.role, "%s", role);
    snprintf(rec.name, sizeof rec.name, "%s", json_string_value(json_object_get(entry, "name")));
    snprintf(rec.sha256, sizeof rec.sha256, "%s",
             json_string_value(json_object_get(entry, "sha256")));
    snprintf(rec.origin, sizeof rec.origin, "utgåvan av %s (manifest %s)", e->period, e->sha);
    snprintf(rec.edition, sizeof rec.edition, "%s", e->run_time);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(rec.fetched, sizeof rec.fetched, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return rec;
}

/* Opens the object of rec; copy, when it hashes the same, may heal it. */
static char *open_from_edition(uf_inputs *in, const uf_input *rec, const char *copy, int heal,
                               uf_error *err)
{
    char what[200];
    snprintf(what, sizeof what, "%s i utgåvan %s", rec->name, rec->edition);
    uf_object obj;
    int rc = heal ? uf_archive_use(in->cfg.archive, rec->sha256, copy, what, &obj, err)
                  : uf_archive_open(in->cfg.archive, rec->sha256, what, &obj, err);
    return rc ? NULL : hold(in, &obj);
}

/* The open actions of an earlier month p as a published edition printed
 * them: the comments file p.json that edition archived, not the file as it
 * is now.  NULL when no edition from p to P archived one. */
static const earlier *printed_by(const earlier *eds, int k, const char *name)
{
    /* p's own edition first; for a month never published, the newest
     * edition that carried its file. */
    if (eds[k].found)
        return listed(eds[k].m, "inputs", "kommentarer", name) ? &eds[k] : NULL;
    for (int j = 0; j < k; j++)
        if (eds[j].found && listed(eds[j].m, "inputs", "kommentarer", name))
            return &eds[j];
    return NULL;
}

static int carry_published(uf_inputs *in, const earlier *e, const char *p, const char *copy,
                           int archiving, uf_error *err)
{
    char name[16];
    snprintf(name, sizeof name, "%s.json", p);
    uf_input rec = from_edition(e, "kommentarer", listed(e->m, "inputs", "kommentarer", name));
    char *path = open_from_edition(in, &rec, copy, archiving, err);
    if (!path)
        return -1;
    char *display = uf_xasprintf("%s (arkiverad i utgåvan %s av %s)", copy, e->run_time,
                                 e->period);
    uf_comments c = {0};
    int rc = uf_comments_load(path, display, &in->inds, &c, err);
    if (rc == 0)
        uf_comments_carry(&in->comments, &c, p);
    if (rc == 0 && archiving)
        append_input(in, &rec);
    uf_comments_free(&c);
    free(display);
    free(path);
    return rc;
}

/* P's comments, then the earlier months' newest first, whose open actions
 * are carried forward: as a published edition archived them where one did
 * (a month's own edition first), else from the month's file. */
static int take_comments(uf_inputs *in, const char *archive, const earlier *eds, uf_error *err)
{
    int rc = 0;
    for (int k = 0; k <= UF_CARRY_MONTHS && rc == 0; k++) {
        char p[8], name[16];
        uf_month_format(in->period - k, p);
        snprintf(name, sizeof name, "%s.json", p);
        char *path = uf_xasprintf("%s/%s", in->cfg.comments, name);
        char *from = NULL;
        uf_comments older = {0};
        const earlier *printed = k > 0 ? printed_by(eds, k, name) : NULL;
        if (printed)
            rc = carry_published(in, printed, p, path, archive != NULL, err);
        else if ((k == 0 || !eds[k].found) && file_exists(path) &&
                 (rc = take(in, archive, "kommentarer", name, path, &from, err)) == 0)
            rc = uf_comments_load(from, path, &in->inds, k == 0 ? &in->comments : &older, err);
        if (rc == 0 && k > 0 && older.n)
            uf_comments_carry(&in->comments, &older, p);
        uf_comments_free(&older);
        free(from);
        free(path);
    }
    return rc;
}

/* The latest published resultat file of P and of each month before it in
 * the trend, from the archive, so that restatements and trend months can be
 * taken from it (and found again on re-run). */
static int take_editions(uf_inputs *in, const earlier *eds, uf_error *err)
{
    for (int k = 0; k < UF_MAX_EDITIONS; k++) {
        const earlier *e = &eds[k];
        char name[32];
        snprintf(name, sizeof name, "resultat-%s.csv", e->period);
        json_t *entry = e->found ? listed(e->m, "outputs", NULL, name) : NULL;
        if (!entry)
            continue;
        uf_input rec = from_edition(e, "tidigare", entry);
        char *copy = uf_xasprintf("%s/%s/%s", in->cfg.reports, e->period, name);
        char *path = open_from_edition(in, &rec, copy, 1, err);
        free(copy);
        if (!path)
            return -1;
        append_input(in, &rec);
        add_edition(in, &in->inputs[in->ninputs - 1], path);
    }
    return 0;
}

int uf_inputs_from_data(uf_inputs *in, const char *builtin_dir, const char *dir, uf_error *err)
{
    if (uf_indicators_load(builtin_dir, NULL, &in->inds, err))
        return -1;
    return take_extracts(in, dir, NULL, err);
}

int uf_inputs_from_config(uf_inputs *in, const char *builtin_dir, int archive, int fetch_now,
                          uf_error *err)
{
    const char *arkiv = archive ? in->cfg.archive : NULL;
    earlier eds[UF_CARRY_MONTHS + 1] = {{0}};
    int rc = -1;
    /* JSON inputs are archived first and read from where the user keeps
     * them, so that messages name their files; their bytes are the same. */
    if (take(in, arkiv, "config", "uppfolj.json", in->cfg.path, NULL, err) ||
        uf_indicators_load(builtin_dir, in->cfg.indicators, &in->inds, err) ||
        uf_config_check_owners(&in->cfg, &in->inds, err))
        goto done;
    for (size_t i = 0; i < in->inds.n; i++) {
        const char *p = in->inds.v[i].path;
        const char *base = strrchr(p, '/');
        if (take(in, arkiv, "indikator", base ? base + 1 : p, p, NULL, err))
            goto done;
    }
    if (take(in, arkiv, "targets", "targets.json", in->cfg.targets, NULL, err) ||
        uf_targets_load(in->cfg.targets, &in->inds, &in->targets, err))
        goto done;
    /* What was published for P and the months before it; a check reads it
     * too, so that it carries the same actions as the run would. */
    for (int k = 0; k <= UF_CARRY_MONTHS; k++)
        if (find_earlier(in, in->period - k, arkiv != NULL, &eds[k], err))
            goto done;
    if (in->cfg.comments && take_comments(in, arkiv, eds, err))
        goto done;
    if (take_pulled(in, fetch_now, err))
        goto done;
    char *dir = uf_config_expand(in->cfg.extracts, in->period);
    rc = take_extracts(in, dir, arkiv, err);
    free(dir);
    if (rc == 0 && arkiv)
        rc = take_editions(in, eds, err);
done:
    for (int k = 0; k <= UF_CARRY_MONTHS; k++)
        json_decref(eds[k].m);
    return rc;
}

/* ------------------------------------------------------------ re-runs */

static int manifest_error(uf_error *err, const char *manifest, const char *what)
{
    uf_error_set(err, UF_ERR_CONFIG, manifest, 0, 0, NULL, "%s", what);
    return -1;
}

/* The definitions are read from a folder of <id>.json files: link the
 * archived objects into one under scratch. */
static int link_definition(uf_inputs *in, const char *object, const char *name, uf_error *err)
{
    char *dir = uf_xasprintf("%s/indikatorer", in->scratch);
    char *link = uf_xasprintf("%s/%s", dir, name);
    int rc = 0;
    if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || strchr(name, '/') ||
        symlink(object, link) != 0) {
        uf_error_set(err, UF_ERR_IO, link, 0, 0, NULL, "kunde inte förbereda definitionen: %s",
                     uf_strerrno(errno));
        rc = -1;
    }
    free(dir);
    free(link);
    return rc;
}

static int replace(char **field, const char *value)
{
    free(*field);
    *field = value ? uf_xstrdup(value) : NULL;
    return 0;
}

int uf_inputs_from_manifest(uf_inputs *in, const char *manifest, const char *archive_dir,
                            int64_t *run_time, uf_error *err)
{
    json_error_t je;
    json_t *m = json_load_file(manifest, 0, &je);
    if (!m) {
        uf_error_set(err, UF_ERR_CONFIG, manifest, je.line, je.column, NULL,
                     "manifestet kan inte läsas: %s", je.text);
        return -1;
    }
    const char *period = NULL, *archive = NULL;
    json_int_t when = 0;
    json_t *list = NULL;
    int rc = -1;
    if (json_unpack(m, "{s:s, s:I, s:s, s:o}", "period", &period, "run_time_unix", &when,
                    "archive", &archive, "inputs", &list) != 0 ||
        !json_is_array(list) || uf_month_parse(period, &in->period) != 0) {
        manifest_error(err, manifest, "manifestet saknar period, körtid, arkiv eller indata");
        goto done;
    }
    *run_time = when;
    uf_build_from_json(m, &in->recorded);
    const char *arkiv = archive_dir ? archive_dir : archive;
    if (make_scratch(in, err))
        goto done;

    /* First every record and object; then the readers, config first. */
    size_t n = json_array_size(list);
    if (n == 0) {
        manifest_error(err, manifest, "manifestet har inga indata");
        goto done;
    }
    char **objects = uf_xcalloc(n, sizeof *objects);
    uf_input *recs = uf_xcalloc(n, sizeof *recs);
    const char *config = NULL, *targets = NULL, *comments = NULL;
    char current[16], p[8];
    uf_month_format(in->period, p);
    snprintf(current, sizeof current, "%s.json", p);
    for (size_t i = 0; i < n; i++) {
        uf_input r;
        if (uf_input_from_json(json_array_get(list, i), &r) != 0) {
            manifest_error(err, manifest, "en post i manifestets indata är ofullständig");
            goto free_objects;
        }
        recs[i] = r;
        /* Extracts and pulled payloads are checked where they are read
         * (use_pulled), once; everything else here. */
        if (strcmp(r.role, "extrakt") == 0 || strcmp(r.role, "http") == 0 ||
            strcmp(r.role, "kolada") == 0)
            continue;
        if (!(objects[i] = open_input(in, arkiv, &r, err)))
            goto free_objects;
        if (strcmp(r.role, "config") == 0)
            config = objects[i];
        else if (strcmp(r.role, "targets") == 0)
            targets = objects[i];
        else if (strcmp(r.role, "kommentarer") == 0 && strcmp(r.name, current) == 0)
            comments = objects[i];
        else if (strcmp(r.role, "indikator") == 0 && link_definition(in, objects[i], r.name, err))
            goto free_objects;
    }
    if (!config || !targets) {
        manifest_error(err, manifest, "manifestet saknar inställningsfilen eller målen");
        goto free_objects;
    }
    if (uf_config_load(config, &in->cfg, err))
        goto free_objects;
    in->have_cfg = 1;
    /* The archived config's paths point at the region's folders; a re-run
     * reads nothing there.  The archive is kept as recorded, for the manifest. */
    char *defs = uf_xasprintf("%s/indikatorer", in->scratch);
    replace(&in->cfg.archive, archive);
    replace(&in->cfg.indicators, NULL);
    replace(&in->cfg.comments, NULL);
    int bad = uf_indicators_load(defs, NULL, &in->inds, err) ||
              uf_targets_load(targets, &in->inds, &in->targets, err) ||
              (comments && uf_comments_load(comments, current, &in->inds, &in->comments, err));
    free(defs);
    /* Earlier months' comments come newest first, as the run took them. */
    for (size_t i = 0; i < n && !bad; i++)
        if (strcmp(recs[i].role, "kommentarer") == 0 && objects[i] != comments) {
            uf_comments earlier = {0};
            char from[8];
            snprintf(from, sizeof from, "%.7s", recs[i].name);
            if (!(bad = uf_comments_load(objects[i], recs[i].name, &in->inds, &earlier, err)))
                uf_comments_carry(&in->comments, &earlier, from);
            uf_comments_free(&earlier);
        }
    if (bad)
        goto free_objects;
    for (size_t i = 0; i < n; i++) {
        const char *role = recs[i].role;
        if (strcmp(role, "extrakt") == 0 || strcmp(role, "http") == 0 ||
            strcmp(role, "kolada") == 0) {
            if (use_pulled(in, arkiv, &recs[i], 1, err))
                goto free_objects;
        } else if (strcmp(role, "tidigare") == 0 && in->neditions < UF_MAX_EDITIONS) {
            add_edition(in, &recs[i], objects[i]);
            objects[i] = NULL;
        }
    }
    /* The documents list the inputs exactly as the manifest does. */
    free(in->inputs);
    in->inputs = recs;
    in->ninputs = n;
    recs = NULL;
    rc = 0;
free_objects:
    for (size_t i = 0; i < n; i++)
        free(objects[i]);
    free(objects);
    free(recs);
done:
    json_decref(m);
    return rc;
}

/* The scratch folder holds links to archive objects (indikatorer/) and
 * extracts converted from JSON rows: plain files, one level deep. */
static void remove_files(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') {
            char *file = uf_xasprintf("%s/%s", dir, e->d_name);
            unlink(file);
            free(file);
        }
    if (d)
        closedir(d);
}

static void remove_scratch(const char *dir)
{
    char *defs = uf_xasprintf("%s/indikatorer", dir);
    remove_files(defs);
    rmdir(defs);
    remove_files(dir);
    rmdir(dir);
    free(defs);
}

void uf_inputs_free(uf_inputs *in)
{
    if (in->have_cfg)
        uf_config_free(&in->cfg);
    uf_indicators_free(&in->inds);
    uf_targets_free(&in->targets);
    uf_comments_free(&in->comments);
    uf_kolada_free(&in->kolada);
    for (size_t i = 0; i < in->nextracts; i++)
        free(in->extract_paths[i]);
    for (size_t i = 0; i < in->neditions; i++)
        free(in->editions[i].path);
    free(in->inputs);
    for (size_t i = 0; i < in->nobjects; i++)
        uf_object_close(&in->objects[i]);
    free(in->objects);
    uf_build_free(&in->recorded);
    if (in->scratch)
        remove_scratch(in->scratch);
    free(in->scratch);
}
