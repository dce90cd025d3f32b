/* publish/publish.h — the record: the archive, the manifest, taking in a
 * month's inputs, staging and publishing, editions, verify, history and
 * the index page. */
#ifndef UF_PUBLISH_H
#define UF_PUBLISH_H

#include "uppfolj.h"

/* publish/archive.c — the content-addressed archive: arkiv/ab/cdef... by
 * SHA-256, written to a temporary file, fsynced and renamed into place,
 * then made read-only.  An existing object is never rewritten. */
/* An archive object open for reading after its bytes were checked against
 * its name.  Readers open path ("/proc/self/fd/N": the very file that was
 * checked, never the name again); uf_object_unchanged tells whether it has
 * been written to or replaced since (size, inode and ctime). */
typedef struct uf_object {
    int fd; /* -1 when closed */
    char path[32];
    unsigned long long dev, ino;
    long long size, ctime_ns;
} uf_object;

/* Archives the file at path: hashes it into in->sha256 and in->bytes, and
 * copies it in unless a good object of that name is there.  A bad object
 * (other bytes, a symbolic link, a FIFO, a folder) is replaced by the copy,
 * which hashes to its name, and the replacement is logged.  obj (may be
 * NULL) receives the checked object. */
int uf_archive_take(const char *archive_dir, const char *path, uf_input *in, uf_object *obj,
                    uf_error *err);
int uf_archive_put_file(const char *archive_dir, const char *path, uf_input *in, uf_error *err);
/* Opens the object sha256 for reading: not through a symbolic link, a
 * regular file, its bytes hash to its name; else an error naming it and
 * what it is (what: "kontakter.csv (extrakt)").  Nothing bad is ever read. */
int uf_archive_open(const char *archive_dir, const char *sha256, const char *what,
                    uf_object *obj, uf_error *err);
/* As uf_archive_open, but a bad or missing object is made again from copy
 * (may be NULL) when copy hashes to its name. */
int uf_archive_use(const char *archive_dir, const char *sha256, const char *copy,
                   const char *what, uf_object *obj, uf_error *err);
/* 0 good, 1 missing, 2 bad; why says how (for verify). */
int uf_archive_check(const char *archive_dir, const char *sha256, char *why, size_t n);
void uf_object_close(uf_object *obj);
int uf_object_unchanged(const uf_object *obj);
/* Removes what runs killed by SIGKILL left in <archive>/tmp/: only files of
 * ours (obj-*, http-*) whose lock no living process holds. */
void uf_archive_sweep(const char *archive_dir);
/* The archive as the store ingest's pulls put their payloads in. */
uf_store uf_archive_store(const char *archive_dir);
char *uf_archive_object(const char *archive_dir, const char *sha256); /* its path */
int uf_sha256_file(const char *path, char out[65], long long *bytes, uf_error *err);
int uf_sha256_fd(int fd, const char *path, char out[65], long long *bytes, uf_error *err);

/* publish/pull.c — the config's sources pulled for period into the archive
 * (ingest/fetch.c), and the fetch index arkiv/hamtat/P.json written, which
 * says what the latest pull brought, so that `run --offline` uses that. */
int uf_pull(const uf_config *cfg, uf_month period, uf_input **pulled, size_t *n, uf_error *err);
int uf_pull_index_read(const char *archive_dir, uf_month period, uf_input **in, size_t *n,
                       uf_error *err); /* no index: 0 with *n == 0 */

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
/* The input record as the manifest and the fetch index hold it. */
struct json_t;
struct json_t *uf_input_to_json(const uf_input *in);
int uf_input_from_json(const struct json_t *j, uf_input *in);

/* publish/outputs.c — the files of a report folder, named in one table
 * (uppfolj-P.xlsx, ...), and written: the resultat file, the PDF, the
 * workbook (whose "Om rapporten" lists the fonts the PDF embeds), the
 * manifest last. */
typedef enum { UF_OUT_RESULTAT, UF_OUT_XLSX, UF_OUT_PDF, UF_OUT_MANIFEST, UF_NOUTPUTS } uf_output;
extern const char uf_manifest_name[]; /* "manifest.json", whatever the period */
/* The name of output which for period: "uppfolj-2024-08.pdf". */
char *uf_output_name(uf_output which, uf_month period);
char *uf_output_path(const char *dir, uf_output which, uf_month period); /* dir/name */
/* Whether name is output which of some period, and which (*period). */
int uf_output_period(uf_output which, const char *name, uf_month *period);
/* The PDF's fonts get their SHA-256 and size, as the manifest records them. */
int uf_build_hash_fonts(uf_build *b, uf_error *err);
/* Writes the four files of d into dir.  build is what d->build points at:
 * this program and its libraries, then the PDF's fonts, are filled in
 * before the documents that list them. */
int uf_outputs_write(const char *dir, const uf_doc *d, uf_build *build, uf_error *err);

/* publish/record.c — the archive's own record of what was published:
 * arkiv/utgavor/P.jsonl, one line per edition of P in the order they were
 * published, naming its manifest by SHA-256.  The manifest and every output
 * are archive objects too, so an earlier edition is taken from the archive,
 * verified, never from the report folder, which anyone may edit. */
typedef struct {
    char run_time[32]; /* the edition's run time, as in its manifest */
    char manifest[65]; /* SHA-256 of its manifest.json */
} uf_published;

/* Appends one line (fsynced).  Appending a manifest already last is a no-op. */
int uf_published_add(const char *archive_dir, uf_month period, const char *run_time,
                     const char *manifest_sha, uf_error *err);
/* Every edition of period, oldest first; none: 0 with *n == 0. */
int uf_published_list(const char *archive_dir, uf_month period, uf_published **v, size_t *n,
                      uf_error *err);

/* publish/inputs.c — everything one month's report is made of, taken in
 * either from the config's folders and sources (archiving each file before
 * it is read) or, for a re-run, from a manifest and the archive alone. */

/* The extracts in dir, read as they are, with the built-in definitions. */
int uf_inputs_from_data(uf_inputs *in, const char *builtin_dir, const char *dir, uf_error *err);
/* in->cfg and in->period are set.  With archive, every file is archived and
 * read from there; fetch_now pulls the sources, else the latest fetch is used. */
int uf_inputs_from_config(uf_inputs *in, const char *builtin_dir, int archive, int fetch_now,
                          uf_error *err);
/* archive_dir NULL: the archive the manifest names.  Checks every object's hash. */
int uf_inputs_from_manifest(uf_inputs *in, const char *manifest, const char *archive_dir,
                            int64_t *run_time, uf_error *err);
/* Every archive object the inputs read is as it was when it was checked:
 * not written to, not replaced.  Called before anything is published. */
int uf_inputs_unchanged(const uf_inputs *in, uf_error *err);
void uf_inputs_free(uf_inputs *in);

/* publish/publish.c — rapporter/P/ appears whole or not at all, and no
 * edition is ever lost wherever a run is killed: the files are written into
 * a marked staging folder beside it, archived with manifest.json, swapped
 * into place with one rename, recorded in the archive, and the edition they
 * replace moves to rapporter/P/tidigare/<its run time>/.  The next run of
 * the period finishes whatever a killed run left (see publish.c for the
 * steps).  A lock file (flock) keeps a second run of the same period out. */
enum { UF_PUBLISH_GUARDS = 8 };
extern const char uf_publish_earlier[]; /* "tidigare": where an edition keeps those it replaced */
typedef struct {
    char *reports, *archive;
    uf_month period;
    char p[8];
    char *final; /* rapporter/P */
    char *stage; /* the staging folder while it is this run's */
    int lock;
    int guards[UF_PUBLISH_GUARDS]; /* uf_cleanup slots */
} uf_publish;

int uf_publish_lock(const char *reports_dir, uf_month period, int *fd, uf_error *err);
/* Takes the period's lock and recovers what a killed run left. */
int uf_publish_begin(uf_publish *pb, const char *reports, const char *archive, uf_month period,
                     uf_error *err);
/* The same recovery for the months before period that have a folder and
 * that no run holds, so that a run reads what was last published. */
void uf_publish_settle(const char *reports, const char *archive, uf_month period, int months);
/* Makes the marked staging folder; uf_publish_dir names it.  It, and the
 * outputs written into it, are removed if a signal stops the run before
 * publishing. */
int uf_publish_stage(uf_publish *pb, uf_error *err);
const char *uf_publish_dir(const uf_publish *pb);
/* Publishes the stage: -1 nothing was published (err says why); 0 the
 * edition is in place; 1 it is in place but something after it failed (the
 * record in the archive, moving the previous edition), said in a warning
 * and finished by the next run.  Signals are held from here to the exit. */
int uf_publish_commit(uf_publish *pb, uf_error *err);
/* Removes a stage that was not published, releases the lock. */
void uf_publish_end(uf_publish *pb);

/* The editions of a period found in the reports folder: the current one,
 * those in tidigare/, and any displaced one a killed run left beside it. */
typedef enum { UF_EDITION_CURRENT, UF_EDITION_EARLIER, UF_EDITION_DISPLACED } uf_edition_kind;
typedef struct {
    char *dir;
    uf_edition_kind kind;
} uf_edition_dir;
size_t uf_publish_editions(const char *reports, uf_month period, uf_edition_dir **v);
void uf_publish_editions_free(uf_edition_dir *v, size_t n);

/* Prepares rerun's --out for the manifest at path manifest: refused (exit
 * 2) inside a published edition or a reports folder, or when not empty and
 * not a previous rerun of the same manifest; marked with the manifest's
 * SHA-256 otherwise. */
int uf_rerun_out(const char *out, const char *manifest, uf_error *err);

/* publish/index.c — rapporter/index.html: every published period, newest
 * first, with its status summary and links; rewritten after every run. */
int uf_index_write(const char *reports_dir, const char *region, uf_error *err);

/* publish/verify.c — re-hashes every output of dir and every archived input its manifest names
 * and prints each difference; 0 when all match, 1 when any differs, -1 when
 * the manifest cannot be read.  archive_dir NULL: the one recorded. */
int uf_verify(const char *dir, const char *archive_dir, FILE *out, uf_error *err);
/* publish/history.c — the runs of a period, newest first in the order they were published (the
 * archive's record), with the inputs that changed between them; the
 * edition in rapporter/P/ is marked published. */
int uf_history(const char *reports_dir, const char *archive_dir, uf_month period, FILE *out,
               uf_error *err);

#endif
