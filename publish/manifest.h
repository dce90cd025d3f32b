/* publish/manifest.h — private to publish/: manifest.json, read and
 * written in one place, and the names of the outputs it lists. */
#ifndef UF_PUBLISH_MANIFEST_H
#define UF_PUBLISH_MANIFEST_H

#include "publish/publish.h"

/* publish/manifest.c — manifest.json, read and written in one place.  A
 * loaded manifest holds whatever its fields gave: absent ones are NULL or
 * flagged 0, and each reader asks for what it needs. */
typedef struct {
    char *name, *sha256; /* NULL when the entry lacks them */
    long long bytes;
} uf_manifest_output;

typedef struct {
    uf_input in;  /* complete: as recorded; else role, name, sha256, bytes as far as given */
    int complete; /* every field a record must have is there */
} uf_manifest_input;

typedef struct {
    uf_month period;
    int period_ok;  /* "period" is there and a month */
    char *run_time; /* "2024-09-06T07:15:00Z"; NULL when absent */
    int64_t run_time_unix;
    int has_run_time_unix;
    char *archive;  /* absolute; NULL when absent */
    uf_build build; /* version, revision, libraries, fonts: what made the bytes */
    uf_manifest_input *inputs;
    size_t ninputs;
    int has_inputs; /* "inputs" is a list */
    uf_manifest_output *outputs;
    size_t noutputs;
    int has_outputs;
    uf_edition edition; /* number, status, what it replaces and why */
    int has_edition;    /* written by a version that numbers editions */
} uf_manifest;

/* -1 when the file cannot be read or is not JSON (err: UF_ERR_IO naming
 * display, with line and column). */
int uf_manifest_load(const char *path, uf_manifest *m, uf_error *err);
int uf_manifest_load_fd(int fd, const char *display, uf_manifest *m, uf_error *err);
/* The output named name, or the input of role named name, when its entry
 * names a SHA-256; NULL when there is none. */
const uf_manifest_output *uf_manifest_output_named(const uf_manifest *m, const char *name);
const uf_input *uf_manifest_input_named(const uf_manifest *m, const char *role, const char *name);
void uf_manifest_free(uf_manifest *m);
/* Writes m, every field; the same m gives the same bytes. */
int uf_manifest_save(const uf_manifest *m, const char *path, uf_error *err);
/* The edition block of a manifest, and of the approval's record. */
struct json_t *uf_approval_to_json(const uf_approval *a);
int uf_approval_from_json(const struct json_t *j, uf_approval *a);
/* A deep copy of from into to (to's changes are its own); freeing. */
void uf_edition_copy(uf_edition *to, const uf_edition *from);
void uf_edition_free(uf_edition *e);
/* The input record as the manifest and the fetch index hold it. */
struct json_t;
struct json_t *uf_input_to_json(const uf_input *in);
int uf_input_from_json(const struct json_t *j, uf_input *in);

/* publish/outputs.c — the names the table gives, for readers. */
extern const char uf_manifest_name[]; /* "manifest.json", whatever the period */
/* The name of output which for period, as cfg's "files" names it (NULL:
 * the defaults): "uppfolj-2024-08.pdf". */
char *uf_output_name(const uf_config *cfg, uf_output which, uf_month period);
/* Whether name is output which, by the extension every template keeps. */
int uf_output_is(uf_output which, const char *name);
/* Output which of an edition, whatever names it was published under. */
const uf_manifest_output *uf_manifest_output_of(const uf_manifest *m, uf_output which);
/* The PDF's fonts get their SHA-256 and size, as the manifest records them. */
int uf_build_hash_fonts(uf_build *b, uf_error *err);

#endif
