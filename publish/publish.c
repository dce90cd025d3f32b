/* publish/publish.c — publishing rapporter/P/ whole or not at all, so that
 * no edition is ever lost, wherever a run is killed.
 *
 * Where things are; the names are chosen here and nowhere else (the files
 * in a report folder are named in publish/outputs.c):
 *   rapporter/P/                  the current edition
 *   rapporter/P/tidigare/<tid>/   the editions it replaced, by run time
 *   rapporter/.P.new-XXXXXX/      a staging folder, holding the mark
 *                                 .publiceras for as long as it is unpublished
 *   rapporter/.P.lock             the period's lock (flock)
 *   arkiv/utgavor/P.jsonl         the archive's record of editions (publish/record.c)
 *
 * The steps, and what a kill at each leaves for the next run of P, which
 * first recovers it under the lock (recover below):
 *   1. make the staging folder and mark it      a marked or empty folder: removed
 *   2. render into it, the manifest last
 *   3. archive every output and the manifest; write the manifest's SHA-256
 *      into the mark; fsync
 *   4. swap it into place: rename for a first edition, else RENAME_EXCHANGE.
 *      P/ is the new edition, still marked; the previous one is at the
 *      staging name, unmarked                   from here on it is published
 *   5. record the edition in the archive        a mark in P/: steps 5 and 6 again
 *   6. unmark P/
 *   7. settle the previous edition: the entries of its tidigare/, then the
 *      folder itself, into P/tidigare/          an unmarked staging folder is
 *                                               an edition: settled, never removed
 * Only a marked folder, which was never published, is ever removed. */
#include "publish/archive.h"
#include "publish/editions.h"
#include "publish/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char MARK[] = ".publiceras";
const char uf_publish_earlier[] = "tidigare";
static const char RERUN_MARK[] = ".omrakning";

static char *lock_path(const char *reports, const char *p)
{
    return uf_xasprintf("%s/.%s.lock", reports, p);
}

static char *in_dir(const char *dir, const char *name)
{
    return uf_xasprintf("%s/%s", dir, name);
}

/* The staging folders of period p, by path; they live beside rapporter/P/
 * because RENAME_EXCHANGE needs both on one file system. */
static char *stage_template(const char *reports, const char *p)
{
    return uf_xasprintf("%s/.%s.new-XXXXXX", reports, p);
}

static size_t stage_list(const char *reports, const char *p, char ***dirs)
{
    char *prefix = uf_xasprintf(".%s.new-", p);
    DIR *d = opendir(reports);
    size_t n = 0;
    *dirs = NULL;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            *dirs = uf_xrealloc(*dirs, (n + 1) * sizeof **dirs);
            (*dirs)[n++] = in_dir(reports, e->d_name);
        }
    if (d)
        closedir(d);
    free(prefix);
    return n;
}

static int io_error(uf_error *err, const char *path, const char *what)
{
    uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "%s: %s", what, uf_strerrno(errno));
    return -1;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int holds(const char *dir, const char *name)
{
    char *path = in_dir(dir, name);
    int yes = exists(path);
    free(path);
    return yes;
}

/* The folder is an edition, or holds some: a published folder always has
 * its manifest. */
static int is_edition(const char *dir)
{
    return holds(dir, uf_manifest_name) || holds(dir, uf_publish_earlier);
}

int uf_publish_lock(const char *reports_dir, uf_month period, int *fd, uf_error *err)
{
    char p[8];
    uf_month_format(period, p);
    if (uf_mkdir(reports_dir, err))
        return -1;
    char *path = lock_path(reports_dir, p);
    /* Never through a link: a lock file pointing elsewhere would truncate
     * whatever it points at. */
    int f = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    struct stat st;
    if (f < 0 && errno == ELOOP) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                     "låsfilen är en symbolisk länk; uppfolj följer den inte. Ta bort länken");
        free(path);
        return -1;
    }
    if (f < 0) {
        io_error(err, path, "kunde inte skapa låsfilen");
        free(path);
        return -1;
    }
    if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                     "låsfilen är ingen vanlig fil; ta bort den");
        close(f);
        free(path);
        return -1;
    }
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        char holder[256] = "";
        ssize_t n = pread(f, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        uf_error_set(err, UF_ERR_LOCKED, path, 0, 0, NULL,
                     "perioden %s körs redan av en annan körning (%s); försök igen när den är klar",
                     p, holder[0] ? holder : "okänd process");
        close(f);
        free(path);
        return -1;
    }
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    time_t now = time(NULL);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&now));
    char line[256];
    int len = snprintf(line, sizeof line, "pid %ld på %s, startad %s\n", (long)getpid(), host,
                       when);
    if (ftruncate(f, 0) != 0 || pwrite(f, line, (size_t)len, 0) != len) {
        io_error(err, path, "kunde inte skriva låsfilen");
        close(f);
        free(path);
        return -1;
    }
    free(path);
    *fd = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The run time of a published edition, as a folder name safe on file shares. */
static char *edition_name(const char *dir)
{
    char *path = in_dir(dir, uf_manifest_name);
    uf_manifest m;
    uf_error ignored;
    int loaded = uf_manifest_load(path, &m, &ignored) == 0;
    const char *when = loaded ? m.run_time : NULL;
    free(path);
    char name[32] = "okand-tid";
    if (when) {
        size_t j = 0;
        for (const char *c = when; *c && j < sizeof name - 1; c++)
            if (*c != ':' && *c != '/')
                name[j++] = *c;
        name[j] = '\0';
    }
    if (loaded)
        uf_manifest_free(&m);
    return uf_xstrdup(name);
}

/* dir/name, or dir/name-2, -3 ... if that is taken. */
static char *unique(const char *dir, const char *name)
{
    char *dest = in_dir(dir, name);
    for (int i = 2; exists(dest); i++) {
        free(dest);
        dest = uf_xasprintf("%s/%s-%d", dir, name, i);
    }
    return dest;
}

/* Moves the displaced edition at dir into final/tidigare/: first the
 * earlier editions it keeps in its own tidigare/, then itself.  Each step
 * is one rename, so a kill between them leaves every edition whole, and
 * settling again goes on where it stopped. */
static int settle(const char *final, const char *dir, uf_error *err)
{
    char *earlier = in_dir(final, uf_publish_earlier);
    char *old = in_dir(dir, uf_publish_earlier);
    int rc = 0;
    if (is_dir(old) && !exists(earlier)) {
        if (rename(old, earlier) != 0)
            rc = io_error(err, old, "kunde inte flytta tidigare utgåvor");
    } else if (is_dir(old)) {
        DIR *d = opendir(old);
        char **names = NULL;
        size_t n = 0;
        for (struct dirent *e; d && (e = readdir(d));)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
                names = uf_xrealloc(names, (n + 1) * sizeof *names);
                names[n++] = uf_xstrdup(e->d_name);
            }
        if (!d)
            rc = io_error(err, old, "kunde inte läsa mappen");
        else
            closedir(d);
        for (size_t i = 0; i < n; i++) {
            char *from = in_dir(old, names[i]), *to = unique(earlier, names[i]);
            if (rc == 0 && rename(from, to) != 0)
                rc = io_error(err, from, "kunde inte flytta en tidigare utgåva");
            free(from);
            free(to);
            free(names[i]);
        }
        free(names);
        if (rc == 0 && rmdir(old) != 0)
            rc = io_error(err, old, "kunde inte ta bort mappen");
    }
    if (rc == 0)
        rc = uf_mkdir(earlier, err);
    if (rc == 0) {
        char *name = edition_name(dir);
        char *dest = unique(earlier, name);
        if (rename(dir, dest) != 0)
            rc = io_error(err, dir, "kunde inte flytta den föregående utgåvan till tidigare/");
        else
            uf_fsync_path(earlier);
        free(name);
        free(dest);
    }
    free(earlier);
    free(old);
    return rc;
}

/* The SHA-256 a mark holds, or "" when it holds none. */
static void read_mark(const char *path, char sha[65])
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, sha, 64) : -1;
    if (fd >= 0)
        close(fd);
    sha[n == 64 ? 64 : 0] = '\0';
}

static int write_mark(const char *path, const char *sha, uf_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = fd >= 0 && write(fd, sha, 64) == 64 && fsync(fd) == 0
                 ? 0
                 : io_error(err, path, "kunde inte skriva märket");
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Steps 5 and 6 for the edition in final, which is published: its
 * manifest goes into the archive's record, then the mark goes. */
static int finish_published(const uf_publish *pb, uf_error *err)
{
    char *mark = in_dir(pb->final, MARK);
    int rc = 0;
    if (exists(mark)) {
        char sha[65];
        read_mark(mark, sha);
        char *manifest = in_dir(pb->final, uf_manifest_name);
        long long bytes;
        uf_manifest m;
        uf_error ignored;
        int loaded = uf_manifest_load(manifest, &m, &ignored) == 0;
        const char *when = loaded && m.run_time ? m.run_time : "okänd";
        if (!sha[0])
            rc = uf_sha256_file(manifest, sha, &bytes, err);
        if (rc == 0)
            rc = uf_published_add(pb->archive, pb->period, when, sha, err);
        if (rc == 0 && unlink(mark) != 0 && errno != ENOENT)
            rc = io_error(err, mark, "kunde inte ta bort märket");
        if (loaded)
            uf_manifest_free(&m);
        free(manifest);
    }
    free(mark);
    return rc;
}

/* Every staging folder of the period: a marked one was never published
 * and is removed, as is an empty one; one that holds an edition is settled
 * into tidigare/.  Returns how many editions are left where they are. */
static int sweep_stages(const uf_publish *pb)
{
    char **dirs;
    size_t n = stage_list(pb->reports, pb->p, &dirs);
    int left = 0;
    for (size_t i = 0; i < n; i++) {
        const char *dir = dirs[i];
        uf_error err = {0};
        if (!is_dir(dir)) {
            /* not a folder of ours */
        } else if (holds(dir, MARK)) {
            uf_log("tar bort %s, som en avbruten körning lämnade opublicerad", dir);
            remove_tree(dir);
        } else if (rmdir(dir) == 0) {
            /* empty: killed before it was marked */
        } else if (!is_edition(dir)) {
            uf_warn("%s är varken en påbörjad eller en publicerad utgåva; den lämnas orörd", dir);
        } else if (!is_dir(pb->final)) {
            uf_warn("%s är en tidigare utgåva men %s saknas; den lämnas där den är", dir,
                    pb->final);
            left++;
        } else if (settle(pb->final, dir, &err) != 0) {
            uf_warn("den föregående utgåvan i %s kunde inte flyttas till %s/%s (%s: %s); den "
                    "ligger kvar, orörd, tills en senare körning kan flytta den",
                    dir, pb->final, uf_publish_earlier, err.source, err.text);
            left++;
        }
        free(dirs[i]);
    }
    free(dirs);
    return left;
}

/* Finishes whatever a killed run of the period left (see the top). */
static int recover(const uf_publish *pb, uf_error *err)
{
    if (is_dir(pb->final) && holds(pb->final, MARK)) {
        uf_log("fullföljer publiceringen av %s, som avbröts", pb->final);
        if (finish_published(pb, err))
            return -1;
    }
    sweep_stages(pb);
    return 0;
}

static void publish_init(uf_publish *pb, const char *reports, const char *archive,
                         uf_month period)
{
    memset(pb, 0, sizeof *pb);
    pb->lock = -1;
    pb->period = period;
    uf_month_format(period, pb->p);
    pb->reports = uf_xstrdup(reports);
    pb->archive = uf_xstrdup(archive);
    pb->final = in_dir(reports, pb->p);
    for (int i = 0; i < UF_PUBLISH_GUARDS; i++)
        pb->guards[i] = -1;
}

int uf_publish_begin(uf_publish *pb, const char *reports, const char *archive, uf_month period,
                     uf_error *err)
{
    publish_init(pb, reports, archive, period);
    return uf_publish_lock(reports, period, &pb->lock, err) || recover(pb, err) ? -1 : 0;
}

void uf_publish_settle(const char *reports, const char *archive, uf_month period, int months)
{
    for (int k = 1; k <= months; k++) {
        uf_publish pb;
        publish_init(&pb, reports, archive, period - k);
        uf_error err = {0};
        /* Only months that have a folder, and only while no run holds them. */
        if (is_dir(pb.final) && uf_publish_lock(reports, pb.period, &pb.lock, &err) == 0 &&
            recover(&pb, &err) != 0)
            uf_error_print(&err, stderr);
        uf_publish_end(&pb);
    }
}

static void guard(uf_publish *pb, const char *path, int dir)
{
    for (int i = 0; i < UF_PUBLISH_GUARDS; i++)
        if (pb->guards[i] < 0) {
            pb->guards[i] = uf_cleanup_add(path, dir);
            return;
        }
}

static void unguard(uf_publish *pb)
{
    for (int i = 0; i < UF_PUBLISH_GUARDS; i++) {
        uf_cleanup_forget(pb->guards[i]);
        pb->guards[i] = -1;
    }
}

int uf_publish_stage(uf_publish *pb, uf_error *err)
{
    char *stage = stage_template(pb->reports, pb->p);
    uf_cleanup_hold(); /* guarded from the moment it exists */
    int rc = -1;
    if (!mkdtemp(stage)) {
        io_error(err, pb->reports, "kunde inte skapa en mapp för rapporten");
    } else {
        chmod(stage, 0755);
        char *mark = in_dir(stage, MARK);
        int fd = open(mark, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) {
            io_error(err, mark, "kunde inte skapa märket");
            rmdir(stage);
        } else {
            close(fd);
            guard(pb, stage, 1);
            guard(pb, mark, 0);
            /* and the files that will be written into it */
            for (int i = 0; i < UF_NOUTPUTS; i++) {
                char *path = uf_output_path(stage, (uf_output)i, pb->period);
                guard(pb, path, 0);
                free(path);
            }
            pb->stage = stage;
            stage = NULL;
            rc = 0;
        }
        free(mark);
    }
    uf_cleanup_release();
    free(stage);
    return rc;
}

const char *uf_publish_dir(const uf_publish *pb)
{
    return pb->stage;
}

/* Step 3: every output and the manifest become archive objects (each
 * output must still be what the manifest lists), are flushed to disk, and
 * the mark learns the manifest's SHA-256. */
static int archive_stage(uf_publish *pb, uf_error *err)
{
    char *manifest = in_dir(pb->stage, uf_manifest_name);
    uf_manifest m;
    int rc = uf_manifest_load(manifest, &m, err) == 0 && m.has_outputs
                 ? 0
                 : io_error(err, manifest, "manifestet kan inte läsas");
    for (size_t i = 0; i < m.noutputs; i++) {
        const char *name = m.outputs[i].name, *sha = m.outputs[i].sha256;
        char *path = in_dir(pb->stage, name ? name : "");
        uf_input in = {.role = "utdata"};
        snprintf(in.name, sizeof in.name, "%s", name ? name : "");
        if (rc == 0 && uf_archive_put_file(pb->archive, path, &in, err) != 0) {
            rc = -1;
        } else if (rc == 0 && (!sha || strcmp(sha, in.sha256) != 0)) {
            uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                         "filen ändrades efter att manifestet skrevs");
            rc = -1;
        }
        uf_fsync_path(path);
        free(path);
    }
    uf_input mi = {.role = "manifest"};
    snprintf(mi.name, sizeof mi.name, "%s", uf_manifest_name);
    if (rc == 0)
        rc = uf_archive_put_file(pb->archive, manifest, &mi, err);
    uf_fsync_path(manifest);
    char *mark = in_dir(pb->stage, MARK);
    if (rc == 0)
        rc = write_mark(mark, mi.sha256, err);
    if (rc == 0)
        uf_fsync_path(pb->stage);
    free(mark);
    free(manifest);
    uf_manifest_free(&m);
    return rc;
}

/* Step 4: the new edition takes P's name in one rename. */
static int swap(const uf_publish *pb, uf_error *err)
{
    int rc;
    if (!exists(pb->final))
        rc = rename(pb->stage, pb->final);
    else
        rc = renameat2(AT_FDCWD, pb->stage, AT_FDCWD, pb->final, RENAME_EXCHANGE);
    if (rc != 0)
        return io_error(err, pb->final, "kunde inte publicera rapporten");
    uf_fsync_path(pb->reports);
    return 0;
}

int uf_publish_commit(uf_publish *pb, uf_error *err)
{
    /* From here the run finishes whatever signal arrives: it ends with
     * nothing published or with the edition in place, and says which. */
    uf_cleanup_hold();
    if (archive_stage(pb, err))
        return -1;
    /* The staging name will hold the previous edition: nothing there may
     * be removed on a signal any more. */
    unguard(pb);
    if (swap(pb, err))
        return -1;
    free(pb->stage);
    pb->stage = NULL;
    uf_error e = {0};
    int untidy = 0;
    if (finish_published(pb, &e)) {
        uf_warn("utgåvan är publicerad, men den kunde inte föras in i arkivets förteckning över "
                "utgåvor (%s: %s); nästa körning av perioden gör det",
                e.source, e.text);
        untidy = 1;
    }
    if (sweep_stages(pb) > 0)
        untidy = 1;
    return untidy;
}

void uf_publish_end(uf_publish *pb)
{
    unguard(pb);
    /* Only a folder that is still marked was never published. */
    if (pb->stage && holds(pb->stage, MARK))
        remove_tree(pb->stage);
    if (pb->lock >= 0)
        close(pb->lock);
    free(pb->stage);
    free(pb->reports);
    free(pb->archive);
    free(pb->final);
    memset(pb, 0, sizeof *pb);
    pb->lock = -1;
}

/* ----------------------------------------------------- reading editions */

static void add_dir(uf_edition_dir **v, size_t *n, char *dir, uf_edition_kind kind)
{
    *v = uf_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = (uf_edition_dir){.dir = dir, .kind = kind};
}

size_t uf_publish_editions(const char *reports, uf_month period, uf_edition_dir **v)
{
    char p[8];
    uf_month_format(period, p);
    char *final = in_dir(reports, p), *earlier = in_dir(final, uf_publish_earlier);
    size_t n = 0;
    *v = NULL;
    if (holds(final, uf_manifest_name))
        add_dir(v, &n, uf_xstrdup(final), UF_EDITION_CURRENT);
    DIR *d = opendir(earlier);
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.')
            add_dir(v, &n, in_dir(earlier, e->d_name), UF_EDITION_EARLIER);
    if (d)
        closedir(d);
    char **stages;
    size_t ns = stage_list(reports, p, &stages);
    for (size_t i = 0; i < ns; i++)
        if (!holds(stages[i], MARK) && holds(stages[i], uf_manifest_name))
            add_dir(v, &n, stages[i], UF_EDITION_DISPLACED);
        else
            free(stages[i]);
    free(stages);
    free(final);
    free(earlier);
    return n;
}

void uf_publish_editions_free(uf_edition_dir *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].dir);
    free(v);
}

/* ------------------------------------------------------ rerun --out */

/* A folder that is a published edition or a reports folder: one holding
 * a manifest that no rerun wrote, or a period folder (YYYY-MM) that does. */
static const char *published_here(const char *dir)
{
    if (holds(dir, uf_manifest_name) && !holds(dir, RERUN_MARK))
        return "en publicerad utgåva";
    DIR *d = opendir(dir);
    const char *what = NULL;
    for (struct dirent *e; d && !what && (e = readdir(d));) {
        uf_month m;
        char *sub = in_dir(dir, e->d_name);
        if (uf_month_parse(e->d_name, &m) == 0 && holds(sub, uf_manifest_name) &&
            !holds(sub, RERUN_MARK))
            what = "en rapportmapp";
        free(sub);
    }
    if (d)
        closedir(d);
    return what;
}

/* out, or the nearest folder above it that exists, absolute; NULL if none. */
static char *existing(const char *out)
{
    char *path = realpath(out, NULL);
    if (!path) { /* not made yet: start at its parent */
        char *parent = uf_xstrdup(out), *slash = strrchr(parent, '/');
        if (slash)
            slash[slash == parent] = '\0';
        path = realpath(slash ? parent : ".", NULL);
        free(parent);
    }
    return path;
}

int uf_rerun_out(const char *out, const char *manifest, uf_error *err)
{
    char manifest_sha[65];
    long long bytes;
    if (uf_sha256_file(manifest, manifest_sha, &bytes, err))
        return -1;
    char *mark = in_dir(out, RERUN_MARK);
    /* out and every folder above it: none may be published. */
    char *path = existing(out);
    const char *what = NULL;
    while (path && !(what = published_here(path))) {
        char *slash = strrchr(path, '/');
        if (!slash || !slash[1])
            break;
        slash[slash == path] = '\0'; /* "/a" becomes "/" */
    }
    if (what) {
        uf_error_set(err, UF_ERR_USAGE, out, 0, 0, NULL,
                     "%s är %s; en omräkning skrivs aldrig i eller under en publicerad "
                     "rapport. Ange en annan mapp med --out",
                     path, what);
        free(path);
        free(mark);
        return -1;
    }
    free(path);
    struct stat st;
    if (stat(out, &st) != 0 && mkdir(out, 0755) != 0) {
        free(mark);
        return io_error(err, out, "kunde inte skapa mappen");
    }
    /* Empty, or a previous rerun of the same manifest (the mark says). */
    char had[65];
    read_mark(mark, had);
    int empty = 1;
    DIR *d = opendir(out);
    for (struct dirent *e; d && (e = readdir(d));)
        empty &= strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    if (d)
        closedir(d);
    int rc = 0;
    if (!d) {
        rc = io_error(err, out, "kunde inte läsa mappen");
    } else if (!empty && strcmp(had, manifest_sha) != 0) {
        uf_error_set(err, UF_ERR_USAGE, out, 0, 0, NULL,
                     "mappen är inte tom och ingen tidigare omräkning av samma manifest; ange "
                     "en tom eller ny mapp med --out");
        rc = -1;
    } else {
        rc = write_mark(mark, manifest_sha, err);
    }
    free(mark);
    return rc;
}
