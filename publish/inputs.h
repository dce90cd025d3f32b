/* publish/inputs.h — private to publish/: what taking in a month's inputs
 * shares between its files: from the config (inputs.c), from the editions
 * published before (earlier.c) and from a manifest (rerun.c). */
#ifndef UF_PUBLISH_INPUTS_H
#define UF_PUBLISH_INPUTS_H

#include "ingest/ingest.h"
#include "publish/archive.h"
#include "publish/manifest.h"

/* publish/pull.c — what the latest pull of period brought, as the fetch
 * index says; no index: 0 with *n == 0. */
int uf_pull_index_read(const char *archive_dir, uf_month period, uf_input **in, size_t *n,
                       uf_error *err);

/* publish/inputs.c */
int uf_file_exists(const char *path); /* a regular file */
/* Records rec as an input of the month, in the manifest's order. */
void uf_inputs_append(uf_inputs *in, const uf_input *rec);
/* Keeps a checked object open as long as the inputs live, so that readers
 * read the file that was checked; returns the path they open. */
char *uf_inputs_hold(uf_inputs *in, const uf_object *obj);
/* Opens rec's object in archive, checked, for reading (see uf_inputs_hold). */
char *uf_inputs_open(uf_inputs *in, const char *archive, const uf_input *rec, uf_error *err);
/* A working folder for what is derived from archived objects; removed
 * with the inputs. */
int uf_inputs_scratch(uf_inputs *in, uf_error *err);
/* Pulled payloads already in the archive: extracts are read from their
 * objects (JSON rows through a CSV, an odbc pull's CSV as it is), Kolada
 * pages become comparison figures; an odbc pull's query and description
 * are opened, checked and recorded, and read by nothing. */
int uf_inputs_use_pulled(uf_inputs *in, const char *archive, const uf_input *pulled, size_t n,
                         uf_error *err);
/* rec is an earlier edition's resultat file (role "tidigare") at path,
 * which the inputs own from now on. */
void uf_inputs_add_edition(uf_inputs *in, const uf_input *rec, char *path);

/* publish/earlier.c — the edition of a month that was published last. */
typedef struct {
    int found;
    uf_month month;
    char period[8];
    char run_time[32];
    char sha[65];  /* of its manifest */
    int number;    /* its edition number: as its manifest says, else its place in the record */
    uf_manifest m; /* when found */
} uf_earlier;

/* The latest edition of month q: through the archive's record, or, for one
 * published before the record, from its folder while that matches its
 * manifest.  heal: bad objects may be made again from identical copies. */
int uf_earlier_find(uf_inputs *in, uf_month q, int heal, uf_earlier *e, uf_error *err);
void uf_earlier_free(uf_earlier *e);
/* The edition whose archived comments file name (an earlier month p's,
 * eds[k]) carries p's open actions: p's own edition, else, for a month
 * never published, the newest edition that archived it; NULL when none. */
const uf_earlier *uf_earlier_printed(const uf_earlier *eds, int k, const char *name);
/* Carries the open actions of p as e printed them; copy (the file as it is
 * now) may heal its object, and names it in messages.  archiving: the
 * file is an input of this run. */
int uf_earlier_carry(uf_inputs *in, const uf_earlier *e, const char *p, const char *copy,
                     int archiving, uf_error *err);
/* The resultat file of each of eds[0..UF_MAX_EDITIONS) (P, P-1, ...) that
 * was found, from the archive: an input of this run (role "tidigare"). */
int uf_earlier_editions(uf_inputs *in, const uf_earlier *eds, uf_error *err);

/* publish/edition.c — the edition a run's inputs now make after current
 * (the period's latest edition, or none): its number, what it replaces and
 * the inputs that differ (none: the run would publish nothing new). */
void uf_edition_plan(uf_edition *e, const uf_input *now, size_t nnow, const uf_earlier *current);
/* The record current (may be NULL, or not found) has of the input x is
 * (role, name, period), as the plan compares them; NULL if none. */
const uf_input *uf_edition_before(const uf_earlier *current, const uf_input *x);
/* The approval's archived file at path (what names it in messages). */
extern const char uf_approval_role[]; /* "faststallelse" */
int uf_approval_load(const char *path, const char *what, uf_approval *a, uf_error *err);

#endif
