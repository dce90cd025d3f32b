/* publish/publish.h — publish's API: the record a month leaves.  publish/
 * takes a month's inputs into the archive (or from a manifest), writes the
 * outputs into a staging folder and publishes it whole, keeps the archive's
 * record of editions, and verifies, lists and indexes what was published.
 * Its own pieces are in the private publish/archive.h (objects, the record
 * of editions), publish/manifest.h (manifest.json, the outputs' names),
 * publish/editions.h (the report folders) and publish/inputs.h. */
#ifndef UF_PUBLISH_H
#define UF_PUBLISH_H

#include "uppfolj.h"

/* publish/pull.c — the config's sources pulled for period into the archive
 * (ingest/fetch.c), and the fetch index arkiv/hamtat/P.json written, which
 * says what the latest pull brought, so that `run --offline` uses that. */
int uf_pull(const uf_config *cfg, uf_month period, uf_input **pulled, size_t *n, uf_error *err);

/* publish/inputs.c and rerun.c — everything one month's report is made of,
 * taken in either from the config's folders and sources (each file hashed,
 * and copied into the archive unless it holds those bytes, before it is
 * read) or, for a re-run, from a manifest and the archive alone.  UF_CARRY_MONTHS: how far back open actions are carried from. */
enum { UF_CARRY_MONTHS = 24 };
/* The extracts in dir, read as they are, with the built-in definitions. */
int uf_inputs_from_data(uf_inputs *in, const char *builtin_dir, const char *dir, uf_error *err);
/* in->cfg and in->period are set.  With archive, every file is archived and
 * read from there, and in->edition is the edition they make (no change from
 * the current edition: nothing to publish); fetch_now pulls the sources,
 * else the latest fetch is used. */
int uf_inputs_from_config(uf_inputs *in, const char *builtin_dir, int archive, int fetch_now,
                          uf_error *err);
/* archive_dir NULL: the archive the manifest names (relative: to the
 * working folder).  Checks every object's hash; in->edition is the
 * manifest's, its approval read from the archived approval. */
int uf_inputs_from_manifest(uf_inputs *in, const char *manifest, const char *archive_dir,
                            int64_t *run_time, uf_error *err);
/* publish/edition.c — the inputs of the edition that approves period's
 * current one (SPEC "Editions and approval"): that edition's inputs from
 * its manifest in cfg's archive, and the approval a, archived as an input
 * of its own; in->edition is the new, approved edition and *run_time a's
 * time.  Refused when the period has no edition or its current one is
 * approved already. */
/* a from approve's --by and --decision: one line each, not blank. */
int uf_approval_set(uf_approval *a, const char *by, const char *decision, int64_t at,
                    uf_error *err);
int uf_inputs_for_approval(uf_inputs *in, const uf_config *cfg, uf_month period,
                           const uf_approval *a, int64_t *run_time, uf_error *err);
/* The extracts' new objects, which uf_inputs_from_config leaves pending so
 * that the disk writes them while the month is computed, placed in the
 * archive; called once the month is read, whether or not it is published.
 * Faults are printed, and the first is *err (NULL: all printed). */
int uf_inputs_settle(uf_inputs *in, uf_error *err);
/* Every archive object the inputs read is as it was when it was checked:
 * not written to, not replaced.  Called before anything is published. */
int uf_inputs_unchanged(const uf_inputs *in, uf_error *err);
void uf_inputs_free(uf_inputs *in);

/* publish/outputs.c — the files of a report folder, named in one table
 * (uppfolj-P.xlsx, ...), and written: the resultat file, the PDF, the
 * workbook (whose "Om rapporten" lists the fonts the PDF embeds), the
 * manifest last. */
typedef enum { UF_OUT_RESULTAT, UF_OUT_XLSX, UF_OUT_PDF, UF_OUT_MANIFEST, UF_NOUTPUTS } uf_output;
/* dir/name, the name as cfg's "files" gives it (cfg NULL: the defaults). */
char *uf_output_path(const char *dir, const uf_config *cfg, uf_output which, uf_month period);
/* Writes the four files of d into dir.  build is what d->build points at:
 * this program and its libraries, then the PDF's fonts, are filled in
 * before the documents that list them. */
int uf_outputs_write(const char *dir, const uf_doc *d, uf_build *build, uf_error *err);

/* publish/publish.c — rapporter/P/ appears whole or not at all, and no
 * edition is ever lost wherever a run is killed: the files are written into
 * a marked staging folder beside it, archived with manifest.json, swapped
 * into place with one rename, recorded in the archive, and the edition they
 * replace moves to rapporter/P/tidigare/<its run time>/.  The next run of
 * the period finishes whatever a killed run left (see publish.c for the
 * steps).  A lock file (flock) keeps a second run of the same period out. */
enum { UF_PUBLISH_GUARDS = 8 };
typedef struct {
    char *reports, *archive, *work;
    uf_month period;
    char p[8];
    char *final; /* rapporter/P */
    char *stage; /* the staging folder while it is this run's */
    int lock, archive_lock;
    int guards[UF_PUBLISH_GUARDS]; /* uf_cleanup slots */
} uf_publish;

/* The period's lock (work/P.lock, never opened through a link): a second
 * run, or a fetch, of the period is refused, naming who holds it. */
int uf_publish_lock(const char *work, uf_month period, int *fd, uf_error *err);
/* The archive's lock (archive/arkiv.lock): every run holds it shared, so
 * that `archive prune`, which takes it exclusively, never removes an
 * object a run is about to name.  Neither waits for the other. */
int uf_archive_lock(const char *archive, int exclusive, int *fd, uf_error *err);
/* Takes the period's lock and the archive's, and recovers what a killed
 * run left; refused when cfg's work folder is in the reports folder or on
 * another file system. */
int uf_publish_begin(uf_publish *pb, const uf_config *cfg, uf_month period, uf_error *err);
/* The same recovery for the months before period that have a folder and
 * that no run holds, so that a run reads what was last published. */
void uf_publish_settle(const uf_config *cfg, uf_month period, int months);
/* Makes the marked staging folder; uf_publish_dir names it.  It, and the
 * outputs written into it (as names' "files" names them), are removed if a
 * signal stops the run before publishing. */
int uf_publish_stage(uf_publish *pb, const uf_config *names, uf_error *err);
const char *uf_publish_dir(const uf_publish *pb);
/* Publishes the stage: -1 nothing was published (err says why); 0 the
 * edition is in place; 1 it is in place but something after it failed (the
 * record in the archive, moving the previous edition), said in a warning
 * and finished by the next run.  Signals are held from here to the exit. */
int uf_publish_commit(uf_publish *pb, uf_error *err);
/* Removes a stage that was not published, releases the locks. */
void uf_publish_end(uf_publish *pb);

/* Prepares rerun's --out for the manifest at path manifest: refused (exit
 * 2) inside a published edition or a reports folder, or when not empty and
 * not a previous rerun of the same manifest; marked with the manifest's
 * SHA-256 otherwise. */
int uf_rerun_out(const char *out, const char *manifest, uf_error *err);

/* publish/prune.c — what the archive holds (objects, bytes, for which
 * periods' editions), and pruning the inputs of periods older than months
 * before now under the retention rule: listed always, removed only with
 * apply, recorded in arkiv/gallring.jsonl; published outputs, manifests
 * and inputs a later period uses are kept.  uf_archive_pruned: sha was
 * pruned, and when and by which rule (in when). */
int uf_archive_list(const char *archive, FILE *out, uf_error *err);
int uf_archive_prune(const char *archive, int months, uf_month now, int apply, FILE *out,
                     uf_error *err);
int uf_archive_pruned(const char *archive, const char *sha, char *when, size_t n);

/* publish/index.c — rapporter/index.html: every published period, newest
 * first, its editions with number, status and reason, and links; rewritten
 * after every run, written in cfg's work folder and renamed into place. */
int uf_index_write(const uf_config *cfg, uf_error *err);

/* publish/tree.c — the editions under dir: dir itself when it holds a
 * manifest (a period's folder: with the ones under tidigare/, first), else
 * every period folder of the reports folder dir from from to to.  Each
 * with its period, its number (0: published before editions were
 * numbered) and a label for a folder of its own ("utgava-2"). */
typedef struct {
    char *dir;
    uf_month period;
    int number;
    char label[64];
} uf_tree_edition;
int uf_tree_editions(const char *dir, uf_month from, uf_month to, uf_tree_edition **v,
                     size_t *n, uf_error *err);
void uf_tree_editions_free(uf_tree_edition *v, size_t n);

/* publish/verify.c — re-hashes every output of dir and every archived input
 * its manifest names and prints each difference; 0 when all match, 1 when
 * any differs, -1 when the manifest cannot be read.  archive_dir NULL: the
 * one recorded. */
int uf_verify(const char *dir, const char *archive_dir, FILE *out, uf_error *err);
/* Every edition uf_tree_editions finds under dir, each as uf_verify does,
 * and a summary; 0 all match, 1 any differs or cannot be read. */
int uf_verify_tree(const char *dir, uf_month from, uf_month to, const char *archive_dir,
                   FILE *out, uf_error *err);
/* publish/history.c — the runs of a period, newest first in the order they
 * were published (the archive's record), with the inputs that changed
 * between them; the edition in rapporter/P/ is marked published. */
int uf_history(const uf_config *cfg, uf_month period, FILE *out, uf_error *err);

/* publish/archive.c — removes what runs killed by SIGKILL left in
 * <archive>/tmp/: only files of ours (obj-*, http-*, odbc-*) whose lock no
 * living process holds. */
void uf_archive_sweep(const char *archive_dir);

#endif
