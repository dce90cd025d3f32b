/* publish/inputs.c — taking in everything one month's report is made of.
 *
 * A run takes its inputs from the config's folders and sources and hashes
 * each file, copying it into the archive unless it holds those bytes, before
 * reading it; a re-run takes the very same inputs from a manifest and the
 * archive alone (publish/rerun.c).  Both end in the same
 * uf_inputs, so compute and render cannot tell them apart — which is what
 * makes a re-run byte-identical.  ingest/ reads the paths it is given here:
 * a checked archive object's, or the file's own when nothing is archived. */
#include "publish/inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The extracts SPEC knows, in the order they are read. */
static const char *const extract_names[] = {"enheter.csv", "kontakter.csv", "samtal.csv",
                                            "listning.csv", "besok.csv",    "aggregat.csv",
                                            "lakare.csv"};
enum { NEXTRACTS = sizeof extract_names / sizeof *extract_names };

int uf_file_exists(const char *path)
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

/* path becomes the extract name; it is owned by in from now on, as is
 * display (NULL: messages name the extract by its name). */
static void set_extract(uf_inputs *in, const char *name, char *path, char *display)
{
    in->extracts[in->nextracts].name = extract_name(name);
    in->extracts[in->nextracts].path = in->extract_paths[in->nextracts] = path;
    in->extracts[in->nextracts].display = in->extract_displays[in->nextracts] = display;
    in->nextracts++;
}

void uf_inputs_append(uf_inputs *in, const uf_input *rec)
{
    in->inputs = uf_xrealloc(in->inputs, (in->ninputs + 1) * sizeof *in->inputs);
    in->inputs[in->ninputs++] = *rec;
}

char *uf_inputs_hold(uf_inputs *in, const uf_object *obj)
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
    uf_inputs_append(in, &rec);
    if (read_from)
        *read_from = uf_inputs_hold(in, &obj);
    return 0;
}

char *uf_inputs_open(uf_inputs *in, const char *archive, const uf_input *rec, uf_error *err)
{
    char what[200];
    snprintf(what, sizeof what, "%s (%s)", rec->name, rec->role);
    uf_object obj;
    return uf_archive_open(archive, rec->sha256, what, &obj, err) ? NULL : uf_inputs_hold(in, &obj);
}

int uf_inputs_settle(uf_inputs *in, uf_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < in->nobjects; i++) {
        uf_error e = {0};
        if (uf_object_settle(in->cfg.archive, &in->objects[i], &e) == 0)
            continue;
        if (err && rc == 0)
            *err = e;
        else
            uf_error_print(&e, stderr);
        rc = -1;
    }
    return rc;
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

/* The extracts at paths, archived together on every core: each is read
 * from its object, which stays pending until uf_inputs_settle.  What the
 * current edition (may be NULL) archived under the same name is what each
 * is expected to be. */
static int archive_extracts(uf_inputs *in, const char *archive, const uf_earlier *current,
                            const char *const *names, char *const *paths, size_t n,
                            uf_error *err)
{
    uf_input rec[NEXTRACTS];
    uf_object obj[NEXTRACTS];
    memset(rec, 0, sizeof rec);
    for (size_t i = 0; i < n; i++) {
        snprintf(rec[i].role, sizeof rec[i].role, "extrakt");
        snprintf(rec[i].name, sizeof rec[i].name, "%s", names[i]);
        const uf_input *was = uf_edition_before(current, &rec[i]);
        if (was) {
            memcpy(rec[i].sha256, was->sha256, sizeof rec[i].sha256);
            rec[i].bytes = was->bytes;
        }
    }
    if (n)
        uf_progress("arkiverar %zu extrakt", n);
    int rc = uf_archive_take_pending(archive, (const char *const *)paths, rec, obj, n, err);
    for (size_t i = 0; i < n; i++)
        if (obj[i].fd >= 0) {
            uf_inputs_append(in, &rec[i]);
            set_extract(in, names[i], uf_inputs_hold(in, &obj[i]), NULL);
        }
    uf_progress_done();
    return rc;
}

/* The extracts in dir that did not come over HTTP; current: as archive_extracts. */
static int take_extracts(uf_inputs *in, const char *dir, const char *archive,
                         const uf_earlier *current, uf_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (in->nextracts > 0)
            return 0; /* everything came over HTTP */
        uf_error_set(err, UF_ERR_INPUT, dir, 0, 0, NULL,
                     "mappen med extrakt för perioden finns inte");
        return -1;
    }
    const char *names[NEXTRACTS];
    char *paths[NEXTRACTS];
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < NEXTRACTS && rc == 0; i++) {
        if (have_extract(in, extract_names[i]))
            continue;
        char *path = uf_xasprintf("%s/%s", dir, extract_names[i]);
        struct stat kind;
        if (stat(path, &kind) == 0 && !S_ISREG(kind.st_mode)) {
            uf_error_not_file(err, path, kind.st_mode); /* not "missing", and never opened */
            rc = -1;
        } else if (uf_file_exists(path)) {
            names[n] = extract_names[i];
            paths[n++] = path;
            continue;
        }
        free(path);
    }
    if (rc == 0 && archive)
        rc = archive_extracts(in, archive, current, names, paths, n, err);
    for (size_t i = 0; i < n; i++)
        if (rc == 0 && !archive)
            set_extract(in, names[i], paths[i], NULL); /* read where it is */
        else
            free(paths[i]);
    return rc;
}

int uf_inputs_scratch(uf_inputs *in, uf_error *err)
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
    if (uf_inputs_scratch(in, err))
        return NULL;
    char *csv = uf_xasprintf("%s/%s", in->scratch, extract);
    if (uf_rows_to_csv(object, extract, csv, err) == 0)
        return csv;
    unlink(csv);
    free(csv);
    return NULL;
}

/* What an odbc pull archived beside its rows: recorded and checked like
 * every input, but nothing reads it. */
static int pull_record_role(const char *role)
{
    return strcmp(role, "sql") == 0 || strcmp(role, "odbc-drivrutin") == 0;
}

/* A failed comparison's note (ingest/fetch.c): one short line of text. */
static int read_note(const char *path, char **out, uf_error *err)
{
    char text[1024];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (!f || ferror(f)) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte läsa filen");
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    text[n] = '\0';
    free(*out);
    *out = uf_xstrdup(text);
    return 0;
}

/* Each object is checked as it is opened: all of them at once, on every
 * core, into ahead[] (fd -1 for one missing or bad, which uf_inputs_open
 * then reports), when there are several. */
static int use_each(uf_inputs *in, const char *archive, const uf_input *pulled, size_t n,
                    uf_object *ahead, uf_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const uf_input *p = &pulled[i];
        char rows[sizeof p->name];
        const char *extract = strcmp(p->role, "http") == 0 &&
                                      uf_rows_extract(p->name, rows, sizeof rows)
                                  ? extract_name(rows)
                                  : NULL;
        int kolada = strcmp(p->role, "kolada") == 0;
        int missing = strcmp(p->role, UF_KOLADA_MISSING_ROLE) == 0;
        int as_rows = !kolada && extract && !have_extract(in, extract);
        int as_csv = !kolada && !as_rows && extract_name(p->name) && !have_extract(in, p->name);
        int record = pull_record_role(p->role);
        if (!kolada && !missing && !as_rows && !as_csv && !record)
            continue;
        char *object = ahead[i].fd >= 0 ? uf_inputs_hold(in, &ahead[i])
                                         : uf_inputs_open(in, archive, p, err);
        ahead[i].fd = -1; /* held by the inputs now */
        if (!object)
            return -1;
        if (missing) {
            int rc = read_note(object, &in->kolada_missing, err);
            free(object);
            if (rc)
                return -1;
        } else if (kolada) {
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
            set_extract(in, extract, csv, NULL);
        } else if (as_csv) {
            /* A query's rows: messages name the source and the query. */
            char *display = strcmp(p->role, "odbc") == 0
                                ? uf_xasprintf("%s från %s", p->name, p->origin)
                                : NULL;
            set_extract(in, p->name, object, display);
        } else {
            free(object); /* held open and checked until publishing */
        }
        uf_inputs_append(in, p);
    }
    return 0;
}

int uf_inputs_use_pulled(uf_inputs *in, const char *archive, const uf_input *pulled, size_t n,
                         uf_error *err)
{
    uf_object *ahead = uf_xcalloc(n + 1, sizeof *ahead);
    for (size_t i = 0; i < n; i++)
        ahead[i].fd = -1;
    if (n > 1)
        uf_archive_open_ahead(archive, pulled, n, ahead);
    int rc = use_each(in, archive, pulled, n, ahead, err);
    for (size_t i = 0; i < n; i++) /* those skipped, or not reached */
        uf_object_close(&ahead[i]);
    free(ahead);
    return rc;
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
        if (uf_pull(&in->cfg, in->period, &pulled, &n, err))
            return -1;
    } else if (uf_pull_index_read(archive, in->period, &pulled, &n, err)) {
        return -1;
    }
    int rc = uf_inputs_use_pulled(in, archive, pulled, n, err);
    /* Say plainly what a run without fresh pulls lacks. */
    for (size_t i = 0; i < in->cfg.nsources && !fetch_now && rc == 0; i++) {
        const uf_source *s = &in->cfg.sources[i];
        int kolada = strcmp(s->kind, "kolada") == 0, found = 0;
        for (size_t j = 0; j < n; j++)
            found |= kolada ? strcmp(pulled[j].role, "kolada") == 0 ||
                                  strcmp(pulled[j].role, UF_KOLADA_MISSING_ROLE) == 0
                            : s->file && strcmp(pulled[j].name, s->file) == 0;
        if (!found)
            uf_log("källan %s är inte hämtad för perioden%s", s->id,
                   kolada ? "; rapporten får ingen jämförelse från Kolada"
                          : "; extraktmappen används om filen finns där");
    }
    free(pulled);
    return rc;
}

void uf_inputs_add_edition(uf_inputs *in, const uf_input *rec, char *path)
{
    size_t e = in->neditions++;
    /* Manifests before file-name templates named the month only in the
     * name, "resultat-2024-08.csv". */
    uf_month m;
    char legacy[8] = "";
    if (!rec->period[0] && strncmp(rec->name, "resultat-", 9) == 0)
        snprintf(legacy, sizeof legacy, "%.7s", rec->name + 9);
    if (uf_month_parse(rec->period[0] ? rec->period : legacy, &m) == 0)
        uf_month_format(m, in->editions[e].period);
    snprintf(in->editions[e].name, sizeof in->editions[e].name, "%s", rec->name);
    snprintf(in->editions[e].edition, sizeof in->editions[e].edition, "%s", rec->edition);
    in->editions[e].path = path;
}

/* P's comments, then the earlier months' newest first, whose open actions
 * are carried forward: as a published edition archived them where one did
 * (a month's own edition first), else from the month's file. */
/* A JSON input refused: 0 when it is listed in in->faults (by its loader,
 * which listed its faults after the count before, or here) and the month
 * read on without it, -1 when it stops the month here. */
static int refused(uf_inputs *in, long before, const uf_error *err)
{
    if (!in->faults || err->code != UF_ERR_CONFIG)
        return -1;
    if (uf_errors_count(in->faults) == before)
        uf_errors_add(in->faults, err);
    return 0;
}

static long faults_now(const uf_inputs *in) { return in->faults ? uf_errors_count(in->faults) : 0; }

static int take_comments(uf_inputs *in, const char *archive, const uf_earlier *eds,
                         uf_error *err)
{
    int rc = 0;
    for (int k = 0; k <= UF_CARRY_MONTHS && rc == 0; k++) {
        char p[8], name[16];
        uf_month_format(in->period - k, p);
        snprintf(name, sizeof name, "%s.json", p);
        char *path = uf_xasprintf("%s/%s", in->cfg.comments, name);
        char *from = NULL;
        uf_comments older = {0};
        long before = faults_now(in);
        const uf_earlier *printed = k > 0 ? uf_earlier_printed(eds, k, name) : NULL;
        if (printed)
            rc = uf_earlier_carry(in, printed, p, path, archive != NULL, err);
        else if ((k == 0 || !eds[k].found) && uf_file_exists(path) &&
                 (rc = take(in, archive, "kommentarer", name, path, &from, err)) == 0)
            rc = uf_comments_load(from, path, &in->inds, k == 0 ? &in->comments : &older,
                                  in->faults, err);
        if (rc < 0 && !printed && (rc = refused(in, before, err)) == 0 && k == 0)
            uf_comments_free(&in->comments);
        if (rc == 0 && k > 0 && older.n)
            uf_comments_carry(&in->comments, &older, p);
        uf_comments_free(&older);
        free(from);
        free(path);
    }
    return rc;
}

int uf_inputs_from_data(uf_inputs *in, const char *builtin_dir, const char *dir, uf_error *err)
{
    if (uf_indicators_load(builtin_dir, NULL, &in->inds, err))
        return -1;
    return take_extracts(in, dir, NULL, NULL, err);
}

int uf_inputs_from_config(uf_inputs *in, const char *builtin_dir, int archive, int fetch_now,
                          uf_error *err)
{
    const char *arkiv = archive ? in->cfg.archive : NULL;
    uf_earlier eds[UF_CARRY_MONTHS + 1] = {{0}};
    int rc = -1;
    /* JSON inputs are archived first and read from where the user keeps
     * them, so that messages name their files; their bytes are the same. */
    if (take(in, arkiv, "config", "uppfolj.json", in->cfg.path, NULL, err) ||
        uf_indicators_load(builtin_dir, in->cfg.indicators, &in->inds, err) ||
        uf_config_check_owners(&in->cfg, &in->inds, err))
        goto done;
    uf_config_kolada_kpis(&in->cfg, &in->inds);
    for (size_t i = 0; i < in->inds.n; i++) {
        const char *p = in->inds.v[i].path;
        const char *base = strrchr(p, '/');
        if (take(in, arkiv, "indikator", base ? base + 1 : p, p, NULL, err))
            goto done;
    }
    long before = faults_now(in);
    if (take(in, arkiv, "targets", "targets.json", in->cfg.targets, NULL, err) ||
        (uf_targets_load(in->cfg.targets, &in->inds, &in->targets, in->faults, err) &&
         refused(in, before, err)))
        goto done;
    /* What was published for P and the months before it; a check reads it
     * too, so that it carries the same actions as the run would. */
    for (int k = 0; k <= UF_CARRY_MONTHS; k++)
        if (uf_earlier_find(in, in->period - k, arkiv != NULL, &eds[k], err))
            goto done;
    if (in->cfg.comments && take_comments(in, arkiv, eds, err))
        goto done;
    if (take_pulled(in, fetch_now, err))
        goto done;
    char *dir = uf_config_expand(in->cfg.extracts, in->period);
    rc = take_extracts(in, dir, arkiv, &eds[0], err);
    free(dir);
    if (rc == 0 && arkiv)
        rc = uf_earlier_editions(in, eds, err);
    if (rc == 0 && arkiv)
        uf_edition_plan(&in->edition, in->inputs, in->ninputs, &eds[0]);
done:
    if (rc)
        uf_inputs_settle(in, NULL); /* what was taken is archived all the same */
    for (int k = 0; k <= UF_CARRY_MONTHS; k++)
        uf_earlier_free(&eds[k]);
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
    free(in->kolada_missing);
    for (size_t i = 0; i < in->nextracts; i++) {
        free(in->extract_paths[i]);
        free(in->extract_displays[i]);
    }
    for (size_t i = 0; i < in->neditions; i++)
        free(in->editions[i].path);
    free(in->inputs);
    for (size_t i = 0; i < in->nobjects; i++)
        uf_object_close(&in->objects[i]);
    free(in->objects);
    uf_build_free(&in->recorded);
    uf_edition_free(&in->edition);
    if (in->scratch)
        remove_scratch(in->scratch);
    free(in->scratch);
}
