/* publish/rerun.c — a published month's inputs taken in again from its
 * manifest and the archive alone: no network, no extract folder, nothing
 * from where the region keeps its files.  It ends in the same uf_inputs a
 * run makes, so that compute and render cannot tell the two apart. */
#include "publish/inputs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    const char *manifest; /* the file, for messages */
    char *archive;        /* where its objects are: as recorded, or --archive, absolute */
    uf_manifest m;
    char **objects;       /* per input: its checked object, or NULL */
    const char *config, *targets, *comments, *approval;
    char current[16];     /* P's comments file, "2024-08.json" */
} rerun;

static int manifest_error(uf_error *err, const char *manifest, const char *what)
{
    uf_error_set(err, UF_ERR_CONFIG, manifest, 0, 0, NULL, "%s", what);
    return -1;
}

/* Payloads are checked where they are read (uf_inputs_use_pulled), once.
 * What an odbc pull archived beside its rows ("sql", "odbc-drivrutin") is
 * no payload: it is checked with the other inputs and read by nothing. */
static int is_payload(const char *role)
{
    return strcmp(role, "extrakt") == 0 || strcmp(role, "http") == 0 ||
           strcmp(role, "kolada") == 0 || strcmp(role, UF_KOLADA_MISSING_ROLE) == 0 ||
           strcmp(role, "odbc") == 0;
}

/* The manifest, with what a re-run needs of it: period, run time, archive
 * and inputs. */
static int read_manifest(uf_inputs *in, rerun *r, const char *archive_dir, int64_t *run_time,
                         uf_error *err)
{
    if (uf_manifest_load(r->manifest, &r->m, err)) {
        err->code = UF_ERR_CONFIG;
        return -1;
    }
    const uf_manifest *m = &r->m;
    if (!m->period_ok || !m->has_run_time_unix || !m->archive || !m->has_inputs)
        return manifest_error(err, r->manifest,
                              "manifestet saknar period, körtid, arkiv eller indata");
    in->period = m->period;
    *run_time = m->run_time_unix;
    in->recorded = r->m.build; /* what made the run's bytes, for rerun to compare */
    memset(&r->m.build, 0, sizeof r->m.build);
    /* Absolute: the definitions are linked from a scratch folder, and a
     * relative link would point nowhere. */
    const char *archive = archive_dir ? archive_dir : m->archive;
    r->archive = realpath(archive, NULL);
    if (!r->archive) {
        uf_error_set(err, UF_ERR_IO, archive, 0, 0, NULL,
                     archive_dir ? "arkivet finns inte: %s"
                                 : "arkivet som manifestet anger finns inte (%s); har det "
                                   "flyttats, ange var det är med --archive MAPP",
                     uf_strerrno(errno));
        return -1;
    }
    if (m->has_edition)
        uf_edition_copy(&in->edition, &m->edition);
    char p[8];
    uf_month_format(in->period, p);
    snprintf(r->current, sizeof r->current, "%s.json", p);
    if (uf_inputs_scratch(in, err))
        return -1;
    if (m->ninputs == 0)
        return manifest_error(err, r->manifest, "manifestet har inga indata");
    r->objects = uf_xcalloc(m->ninputs, sizeof *r->objects);
    return 0;
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

/* Every record complete, and every object but the payloads opened and
 * checked: the config, the targets, P's comments, the definitions. */
static int open_objects(uf_inputs *in, rerun *r, uf_error *err)
{
    for (size_t i = 0; i < r->m.ninputs; i++) {
        uf_input rec = r->m.inputs[i].in;
        if (!r->m.inputs[i].complete)
            return manifest_error(err, r->manifest, "en post i manifestets indata är ofullständig");
        if (is_payload(rec.role))
            continue;
        if (!(r->objects[i] = uf_inputs_open(in, r->archive, &rec, err)))
            return -1;
        if (strcmp(rec.role, "config") == 0)
            r->config = r->objects[i];
        else if (strcmp(rec.role, "targets") == 0)
            r->targets = r->objects[i];
        else if (strcmp(rec.role, uf_approval_role) == 0)
            r->approval = r->objects[i];
        else if (strcmp(rec.role, "kommentarer") == 0 && strcmp(rec.name, r->current) == 0)
            r->comments = r->objects[i];
        else if (strcmp(rec.role, "indikator") == 0 &&
                 link_definition(in, r->objects[i], rec.name, err))
            return -1;
    }
    if (!r->config || !r->targets)
        return manifest_error(err, r->manifest, "manifestet saknar inställningsfilen eller målen");
    return 0;
}

static void replace(char **field, const char *value)
{
    free(*field);
    *field = value ? uf_xstrdup(value) : NULL;
}

/* Config, definitions, targets and comments from their objects.  The
 * archived config's paths point at the region's folders; a re-run reads
 * nothing there.  The archive is kept as recorded, for the manifest. */
static int read_settings(uf_inputs *in, rerun *r, uf_error *err)
{
    char *approved_by = NULL;
    if (uf_config_load_archived(r->config, &in->cfg, &approved_by, err))
        return -1;
    in->have_cfg = 1;
    /* The approval as archived; before approval was per period, the
     * config's approved_by marked the run's documents approved. */
    if (r->approval) {
        if (uf_approval_load(r->approval, r->manifest, &in->edition.approval, err)) {
            free(approved_by);
            return -1;
        }
        in->edition.approved = 1;
    } else if (approved_by && approved_by[strspn(approved_by, " \t")]) {
        in->edition.approved = 1;
        snprintf(in->edition.approval.by, sizeof in->edition.approval.by, "%s", approved_by);
        in->edition.approval.at = r->m.run_time_unix;
    }
    free(approved_by);
    replace(&in->cfg.archive, r->m.archive);
    replace(&in->cfg.indicators, NULL);
    replace(&in->cfg.comments, NULL);
    char *defs = uf_xasprintf("%s/indikatorer", in->scratch);
    int bad = uf_indicators_load(defs, NULL, &in->inds, err) ||
              uf_targets_load(r->targets, &in->inds, &in->targets, NULL, err) ||
              (r->comments &&
               uf_comments_load(r->comments, r->current, &in->inds, &in->comments, NULL, err));
    free(defs);
    /* Earlier months' comments come newest first, as the run took them. */
    for (size_t i = 0; i < r->m.ninputs && !bad; i++) {
        const uf_input *rec = &r->m.inputs[i].in;
        if (strcmp(rec->role, "kommentarer") == 0 && r->objects[i] != r->comments) {
            uf_comments earlier = {0};
            char from[8];
            snprintf(from, sizeof from, "%.7s", rec->name);
            if (!(bad = uf_comments_load(r->objects[i], rec->name, &in->inds, &earlier, NULL, err)))
                uf_comments_carry(&in->comments, &earlier, from);
            uf_comments_free(&earlier);
        }
    }
    return bad ? -1 : 0;
}

/* The payloads, read from their objects, and the earlier editions'
 * resultat files, already open. */
static int take_payloads(uf_inputs *in, rerun *r, uf_error *err)
{
    uf_input *payloads = uf_xcalloc(r->m.ninputs, sizeof *payloads);
    size_t n = 0;
    for (size_t i = 0; i < r->m.ninputs; i++) {
        const uf_input *rec = &r->m.inputs[i].in;
        if (is_payload(rec->role)) {
            payloads[n++] = *rec;
        } else if (strcmp(rec->role, "tidigare") == 0 && in->neditions < UF_MAX_EDITIONS) {
            uf_inputs_add_edition(in, rec, r->objects[i]);
            r->objects[i] = NULL;
        }
    }
    int rc = uf_inputs_use_pulled(in, r->archive, payloads, n, err);
    free(payloads);
    return rc;
}

int uf_inputs_from_manifest(uf_inputs *in, const char *manifest, const char *archive_dir,
                            int64_t *run_time, uf_error *err)
{
    rerun r = {.manifest = manifest};
    int rc = read_manifest(in, &r, archive_dir, run_time, err) || open_objects(in, &r, err) ||
                     read_settings(in, &r, err) || take_payloads(in, &r, err)
                 ? -1
                 : 0;
    if (rc == 0) {
        /* The documents list the inputs exactly as the manifest does. */
        free(in->inputs);
        in->ninputs = r.m.ninputs;
        in->inputs = uf_xcalloc(in->ninputs, sizeof *in->inputs);
        for (size_t i = 0; i < in->ninputs; i++)
            in->inputs[i] = r.m.inputs[i].in;
    }
    for (size_t i = 0; r.objects && i < r.m.ninputs; i++)
        free(r.objects[i]);
    free(r.objects);
    free(r.archive);
    uf_manifest_free(&r.m);
    return rc;
}
