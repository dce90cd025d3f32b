/* ingest/json.h — what the JSON readers (indicators, config, targets,
 * comments) share: loading with jansson, errors in Swedish with file, line
 * and column, allowed-key checks and typed getters.
 *
 * jansson keeps no positions, so a node remembers how it was reached (its
 * parent and key or index); when something is wrong the path is walked again
 * through the file text to find the line and column of that very key. */
#ifndef UF_INGEST_JSON_H
#define UF_INGEST_JSON_H

#include "ingest/ingest.h"

#include <jansson.h>

typedef struct {
    const char *display; /* the file as named in messages */
    char *text;          /* the bytes, NUL-terminated, BOM removed */
    json_t *root;
} uf_jdoc;

typedef struct uf_jnode {
    const uf_jdoc *doc;
    const struct uf_jnode *up; /* NULL for the root */
    const char *key;           /* member name in up; NULL for an array item or the root */
    size_t index;              /* position in up when up is an array */
    json_t *v;                 /* NULL when the member is absent */
} uf_jnode;

/* Reads and parses path; the root must be an object.  A missing file is an
 * UF_ERR_CONFIG error "filen finns inte". */
int uf_jdoc_load(uf_jdoc *d, const char *path, uf_error *err);
/* The same, naming the file display in messages (an archive object read as
 * the file it was archived from); display must outlive d. */
int uf_jdoc_load_as(uf_jdoc *d, const char *path, const char *display, uf_error *err);
void uf_jdoc_free(uf_jdoc *d);
uf_jnode uf_jdoc_root(const uf_jdoc *d);

uf_jnode uf_jnode_get(const uf_jnode *obj, const char *key);
uf_jnode uf_jnode_at(const uf_jnode *arr, size_t i);

/* The line where n (its member key, for a member) starts. */
long uf_jnode_line(const uf_jnode *n);
/* Line and column of n, or of its member key when key is not NULL: where a
 * message about it should point, also once the document is gone. */
void uf_jnode_where(const uf_jnode *n, const char *key, long *line, int *col);

/* UF_ERR_CONFIG at n (at its member key when key is not NULL). */
void uf_jnode_fail(const uf_jnode *n, const char *key, uf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* n must be an object; with allowed (NULL-terminated) every key must be in it. */
int uf_jnode_object(const uf_jnode *n, const char *const *allowed, uf_error *err);
int uf_jnode_array(const uf_jnode *n, uf_error *err);

/* Getters of member key of object obj.  Absent and not required: 0 and *out
 * untouched (the caller's default stays); present, *out receives a new copy
 * (so it should be NULL before).  A required string must not be "". */
int uf_jnode_string(const uf_jnode *obj, const char *key, int required, char **out, uf_error *err);
int uf_jnode_number(const uf_jnode *obj, const char *key, int required, double *out, uf_error *err);
int uf_jnode_long(const uf_jnode *obj, const char *key, int required, long lo, long hi, long *out,
                  uf_error *err);
int uf_jnode_bool(const uf_jnode *obj, const char *key, int required, int *out, uf_error *err);
/* names is NULL-terminated; *out becomes the index of the name given. */
int uf_jnode_enum(const uf_jnode *obj, const char *key, int required, const char *const *names,
                  int *out, uf_error *err);
/* A list of non-empty strings. */
int uf_jnode_strings(const uf_jnode *obj, const char *key, int required, char ***out, size_t *n,
                     uf_error *err);

void uf_strings_free(char **v, size_t n);

#endif
