/* publish/publish.c — publishing rapporter/P/ whole or not at all, so that
 * no edition is ever lost, wherever a run is killed; and the reports folder
 * holding only what a secretary opens.
 *
 * Where things are; the names are chosen here and nowhere else (the files
 * in a report folder are named in publish/outputs.c):
 *   rapporter/P/                  the current edition
 *   rapporter/P/tidigare/<tid>/   the editions it replaced, by run time
 *   rapporter/index.html          the secretaries' page (publish/index.c)
 *   arbete/P.new-XXXXXX/          a staging folder, holding the mark
 *                                 .publiceras for as long as it is unpublished
 *   arbete/P.lock                 the period's lock (flock)
 *   arbete/index-XXXXXX           the page on its way in
 *   arkiv/arkiv.lock              held shared by every run, exclusively by
 *                                 `archive prune` (publish/prune.c)
 *   arkiv/utgavor/P.jsonl         the archive's record of editions (publish/record.c)
 * arbete/ is the config's "work", by default arkiv/arbete.  It must be on
 * the reports' file system, because the swap below is one rename, and
 * outside the reports folder, which holds nothing else.  Earlier versions
 * kept the lock (.P.lock) and the staging folders (.P.new-*) in the
 * reports folder: recovery looks there too and takes what it finds away.
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
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char MARK[] = ".publiceras";
const char uf_publish_earlier[] = "tidigare";
static const char RERUN_MARK[] = ".omrakning";

static char *in_dir(const char *dir, const char *name)
{
    return uf_xasprintf("%s/%s", dir, name);
}

/* The staging folders of period p, by path; they live in the work folder,
 * on the reports' file system, because RENAME_EXCHANGE needs both on one. */
static char *stage_template(const char *work, const char *p)
{
    return uf_xasprintf("%s/%s.new-XXXXXX", work, p);
}

static void list_prefixed(const char *dir, const char *prefix, char ***dirs, size_t *n)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            *dirs = uf_xrealloc(*dirs, (*n + 1) * sizeof **dirs);
            (*dirs)[(*n)++] = in_dir(dir, e->d_name);
        }
    if (d)
        closedir(d);
}

/* In the work folder, and where earlier versions made them: the reports
 * folder, as hidden folders. */
static size_t stage_list(const char *reports, const char *work, const char *p, char ***dirs)
{
    char *prefix = uf_xasprintf("%s.new-", p), *legacy = uf_xasprintf(".%s.new-", p);
    size_t n = 0;
    *dirs = NULL;
    list_prefixed(work, prefix, dirs, &n);
    list_prefixed(reports, legacy, dirs, &n);
    free(prefix);
    free(legacy);
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

/* A lock file, never opened through a link (a lock file pointing elsewhere
 * would truncate whatever it points at), taken with how (LOCK_EX or
 * LOCK_SH) without waiting.  -1 with errno EWOULDBLOCK and *fd the open
 * file when another holds it; else err says why. */
static int take_lock(const char *path, int how, int *fd, uf_error *err)
{
    *fd = -1;
    int f = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    struct stat st;
    if (f < 0 && errno == ELOOP) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                     "låsfilen är en symbolisk länk; uppfolj följer den inte. Ta bort länken");
        return -1;
    }
    if (f < 0)
        return io_error(err, path, "kunde inte skapa låsfilen");
    if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                     "låsfilen är ingen vanlig fil; ta bort den");
        close(f);
        return -1;
    }
    *fd = f;
    if (flock(f, how | LOCK_NB) != 0) {
        errno = EWOULDBLOCK;
        return -1;
    }
    return 0;
}

int uf_publish_lock(const char *work, uf_month period, int *fd, uf_error *err)
{
    char p[8];
    uf_month_format(period, p);
    if (uf_mkdir(work, err))
        return -1;
    char *path = uf_xasprintf("%s/%s.lock", work, p);
    int f;
    if (take_lock(path, LOCK_EX, &f, err) != 0) {
        if (f >= 0) {
            char holder[256] = "";
            ssize_t n = pread(f, holder, sizeof holder - 1, 0);
            holder[n > 0 ? n : 0] = '\0';
            holder[strcspn(holder, "\n")] = '\0';
            uf_error_set(err, UF_ERR_LOCKED, path, 0, 0, NULL,
                         "perioden %s körs redan av en annan körning (%s); försök igen när den "
                         "är klar",
                         p, holder[0] ? holder : "okänd process");
            close(f);
        }
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

int uf_archive_lock(const char *archive, int exclusive, int *fd, uf_error *err)
{
    if (uf_mkdir(archive, err))
        return -1;
    char *path = uf_xasprintf("%s/arkiv.lock", archive);
    int rc = take_lock(path, exclusive ? LOCK_EX : LOCK_SH, fd, err);
    if (rc != 0 && *fd >= 0) {
        uf_error_set(err, UF_ERR_LOCKED, archive, 0, 0, NULL,
                     exclusive ? "en körning använder arkivet just nu; gallra när den är klar"
                               : "arkivet gallras just nu; försök igen när gallringen är klar");
        close(*fd);
        *fd = -1;
    }
    free(path);
    return rc;
}

/* The work folder exists, lies outside the reports folder and on its file
 * system: the one rename of the swap needs both on one. */
static int work_usable(const char *reports, const char *work, uf_error *err)
{
    if (uf_mkdir(reports, err) || uf_mkdir(work, err))
        return -1;
    char *r = realpath(reports, NULL), *w = realpath(work, NULL);
    struct stat rs, ws;
    int rc = 0;
    if (!r || !w || stat(r, &rs) != 0 || stat(w, &ws) != 0) {
        rc = io_error(err, r ? work : reports, "kunde inte läsa mappen");
    } else if (strncmp(w, r, strlen(r)) == 0 && (w[strlen(r)] == '/' || !w[strlen(r)])) {
        uf_error_set(err, UF_ERR_CONFIG, work, 0, 0, NULL,
                     "arbetsmappen (\"work\") ligger i rapportmappen %s, som bara ska hålla det "
                     "nämndsekreterarna öppnar; välj en mapp bredvid den",
                     reports);
        rc = -1;
    } else if (rs.st_dev != ws.st_dev) {
        uf_error_set(err, UF_ERR_CONFIG, work, 0, 0, NULL,
                     "arbetsmappen ligger inte på samma filsystem som rapportmappen %s, så en ny "
                     "utgåva kan inte läggas på plats i ett enda steg; ange i inställningarna "
                     "\"work\": en mapp på rapportmappens filsystem men utanför den",
                     reports);
        rc = -1;
    }
    free(r);
    free(w);
    return rc;
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
    size_t n = stage_list(pb->reports, pb->work, pb->p, &dirs);
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

/* An earlier version's lock file in the reports folder, once no process
 * of that version holds it. */
static void remove_legacy_lock(const uf_publish *pb)
{
    char *path = uf_xasprintf("%s/.%s.lock", pb->reports, pb->p);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        flock(fd, LOCK_EX | LOCK_NB) == 0)
        unlink(path);
    if (fd >= 0)
        close(fd);
    free(path);
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
    remove_legacy_lock(pb);
    return 0;
}

static void publish_init(uf_publish *pb, const uf_config *cfg, uf_month period)
{
    memset(pb, 0, sizeof *pb);
    pb->lock = pb->archive_lock = -1;
    pb->period = period;
    uf_month_format(period, pb->p);
    pb->reports = uf_xstrdup(cfg->reports);
    pb->archive = uf_xstrdup(cfg->archive);
    pb->work = uf_xstrdup(cfg->work);
    pb->final = in_dir(cfg->reports, pb->p);
    for (int i = 0; i < UF_PUBLISH_GUARDS; i++)
        pb->guards[i] = -1;
}

int uf_publish_begin(uf_publish *pb, const uf_config *cfg, uf_month period, uf_error *err)
{
    static const char *const ours[] = {"index", NULL};
    publish_init(pb, cfg, period);
    if (uf_mkdir(pb->archive, err) || work_usable(pb->reports, pb->work, err) ||
        uf_publish_lock(pb->work, period, &pb->lock, err) ||
        uf_archive_lock(pb->archive, 0, &pb->archive_lock, err) || recover(pb, err))
        return -1;
    uf_tmpfile_sweep(pb->work, ours);
    return 0;
}

void uf_publish_settle(const uf_config *cfg, uf_month period, int months)
{
    for (int k = 1; k <= months; k++) {
        uf_publish pb;
        publish_init(&pb, cfg, period - k);
        uf_error err = {0};
        /* Only months that have a folder, and only while no run holds them. */
        if (is_dir(pb.final) && uf_publish_lock(pb.work, pb.period, &pb.lock, &err) == 0 &&
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

int uf_publish_stage(uf_publish *pb, const uf_config *names, uf_error *err)
{
    char *stage = stage_template(pb->work, pb->p);
    uf_cleanup_hold(); /* guarded from the moment it exists */
    int rc = -1;
    if (!mkdtemp(stage)) {
        io_error(err, pb->work, "kunde inte skapa en mapp för rapporten");
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
                char *path = uf_output_path(stage, names, (uf_output)i, pb->period);
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
    if (rc != 0 && errno == EXDEV) {
        /* The same st_dev, yet another mount of it: the work folder says where. */
        uf_error_set(err, UF_ERR_IO, pb->final, 0, 0, NULL,
                     "kunde inte publicera rapporten: arbetsmappen %s och rapportmappen nås "
                     "genom olika monteringar; ange \"work\" i inställningarna: en mapp genom "
                     "samma montering som rapportmappen, men utanför den",
                     pb->work);
        return -1;
    }
    if (rc != 0)
        return io_error(err, pb->final, "kunde inte publicera rapporten");
    uf_fsync_path(pb->reports);
    uf_fsync_path(pb->work);
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
    if (pb->archive_lock >= 0)
        close(pb->archive_lock);
    free(pb->stage);
    free(pb->reports);
    free(pb->archive);
    free(pb->work);
    free(pb->final);
    memset(pb, 0, sizeof *pb);
    pb->lock = pb->archive_lock = -1;
}

/* ----------------------------------------------------- reading editions */

static void add_dir(uf_edition_dir **v, size_t *n, char *dir, uf_edition_kind kind)
{
    *v = uf_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = (uf_edition_dir){.dir = dir, .kind = kind};
}

size_t uf_publish_editions(const char *reports, const char *work, uf_month period,
                           uf_edition_dir **v)
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
    size_t ns = stage_list(reports, work, p, &stages);
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
