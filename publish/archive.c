/* publish/archive.c — the content-addressed archive.  Every input is hashed,
 * and copied into the archive unless it holds those bytes already, before
 * anything parses it, and becomes
 * arkiv/<2 hex>/<62 hex> (SHA-256 of its bytes), so a run can always be
 * repeated from the archive alone.  An object is written to a temporary
 * file, fsynced and renamed into place (a month's extracts once the month
 * is computed from their copies), then made read-only: no reader ever sees
 * a partial object.
 *
 * An object is trusted only as far as it is checked: whoever uses one opens
 * it without following a symbolic link, makes sure it is a regular file and
 * hashes what it reads (uf_archive_open).  Readers then open that very file
 * through /proc/self/fd, never the name again, and uf_object_unchanged says
 * before publishing whether it was written to since.  A bad object is
 * replaced only by bytes that hash to its name (a fresh delivery), else the
 * run stops.  ingest/'s pulls reach the archive only through the uf_store
 * at the end of this file. */
#include "publish/archive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { CHUNK = 1 << 20, WRITEBACK = 16 << 20 };

char *uf_archive_object(const char *archive_dir, const char *sha256)
{
    return uf_xasprintf("%s/%.2s/%s", archive_dir, sha256, sha256 + 2);
}

/* Reads fd to the end, hashing every byte and copying it to out (if >= 0).
 * A copy that cannot be written fails the read unless werr is given: then
 * werr says why and the hashing goes on without the copy.  writeback: the
 * copy's writeback to disk is started every WRITEBACK bytes, so that the
 * fsync which follows at once waits for the last few megabytes, not for
 * gigabytes the hashing could have overlapped.  (A pending copy does without:
 * starting writeback blocks once the disk's queue is full, and its fsync
 * overlaps the month's computing instead.) */
static int hash_copy(int fd, int out, int writeback, const char *path, char hex[65],
                     long long *bytes, uf_error *werr, uf_error *err)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *buf = uf_xmalloc(CHUNK);
    long long total = 0, started = 0;
    int rc = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) ? 0 : -1;
    if (rc)
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "SHA-256 kunde inte beräknas");
    while (rc == 0) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte läsa filen: %s",
                         uf_strerrno(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(md, buf, (size_t)n);
        total += n;
        for (ssize_t off = 0; out >= 0 && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                uf_error_set(werr ? werr : err, UF_ERR_IO, path, 0, 0, NULL,
                             "kunde inte skriva till arkivet: %s", uf_strerrno(errno));
                if (werr)
                    out = -1;
                else
                    rc = -1;
                break;
            }
            off += w;
        }
        if (out >= 0 && writeback && total - started >= WRITEBACK) {
            sync_file_range(out, started, total - started, SYNC_FILE_RANGE_WRITE);
            started = total;
        }
    }
    if (rc == 0) {
        unsigned char digest[32];
        EVP_DigestFinal_ex(md, digest, NULL);
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", digest[i]);
        *bytes = total;
    }
    free(buf);
    EVP_MD_CTX_free(md);
    return rc;
}

int uf_sha256_fd(int fd, const char *path, char out[65], long long *bytes, uf_error *err)
{
    return hash_copy(fd, -1, 0, path, out, bytes, NULL, err);
}

int uf_sha256_file(const char *path, char out[65], long long *bytes, uf_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte öppna filen: %s",
                     uf_strerrno(errno));
        return -1;
    }
    int rc = hash_copy(fd, -1, 0, path, out, bytes, NULL, err);
    close(fd);
    return rc;
}

/* One item of work for every core, and how large it is. */
typedef struct {
    long long size;
    void *item;
} job;

/* Jobs done by fn, each by whichever thread takes it next. */
typedef struct {
    void (*fn)(void *item);
    const job *jobs;
    size_t n, next;
} spread;

static void *spread_run(void *arg)
{
    spread *w = arg;
    for (size_t i; (i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->n;)
        w->fn(w->jobs[i].item);
    return NULL;
}

static int larger_first(const void *a, const void *b)
{
    long long x = ((const job *)a)->size, y = ((const job *)b)->size;
    return (x < y) - (x > y);
}

enum { MAX_THREADS = 16 };

/* The largest first, so that no core is left with one alone at the end. */
static void on_every_core(void (*fn)(void *), job *jobs, size_t n)
{
    qsort(jobs, n, sizeof *jobs, larger_first);
    spread w = {.fn = fn, .jobs = jobs, .n = n};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = cores < 1 ? 1 : (size_t)cores, nthreads = 0;
    want = want < n ? want : n;
    want = want < MAX_THREADS ? want : MAX_THREADS;
    pthread_t th[MAX_THREADS];
    while (nthreads + 1 < want && uf_cleanup_thread(&th[nthreads], spread_run, &w) == 0)
        nthreads++;
    spread_run(&w);
    for (size_t i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
}

static void stamp(uf_input *in, const char *path)
{
    uf_fmt_time_utc((int64_t)time(NULL), in->fetched);
    snprintf(in->origin, sizeof in->origin, "%s", path);
}

/* ------------------------------------------------------------ objects */

static void object_set(uf_object *obj, int fd, const struct stat *st)
{
    obj->fd = fd;
    snprintf(obj->path, sizeof obj->path, "/proc/self/fd/%d", fd);
    obj->dev = st->st_dev;
    obj->ino = st->st_ino;
    obj->size = st->st_size;
    obj->ctime_ns = st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
    obj->pending = NULL;
}

/* A copy that becomes an object once its bytes are on disk.  Its fsync
 * starts on a thread of its own once the month's copies are made, so that
 * the disk writes while the month is read; uf_object_settle waits for it. */
struct uf_pending {
    uf_tmpfile t;
    char sha256[65];
    pthread_t syncer;
    int started;
    int failed; /* the fsync's errno */
};

static void *sync_copy(void *arg)
{
    uf_pending *p = arg;
    p->failed = fsync(p->t.fd) == 0 ? 0 : errno;
    return NULL;
}

/* The pending copy's thread is done and its file gone: a copy placed is
 * closed already, one not placed is removed here. */
static void pending_end(uf_pending *p)
{
    if (p->started)
        pthread_join(p->syncer, NULL);
    if (p->t.fd >= 0)
        uf_tmpfile_close(&p->t, 0);
    free(p);
}

void uf_object_close(uf_object *obj)
{
    if (!obj)
        return;
    if (obj->pending)
        pending_end(obj->pending);
    obj->pending = NULL;
    if (obj->fd >= 0)
        close(obj->fd);
    obj->fd = -1;
}

int uf_object_unchanged(const uf_object *obj)
{
    struct stat st;
    return fstat(obj->fd, &st) == 0 && st.st_dev == obj->dev && st.st_ino == obj->ino &&
           st.st_size == obj->size &&
           st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec == obj->ctime_ns;
}

typedef enum { OBJ_OK, OBJ_MISSING, OBJ_BAD } obj_state;

/* Opens the object named sha without following a symbolic link (neither
 * ab/ nor the object itself; O_NONBLOCK so that a FIFO cannot hang the
 * run), and accepts it only as a regular file whose bytes hash to its name.
 * why says what is wrong with it otherwise. */
static obj_state open_checked(const char *archive, const char *sha, uf_object *obj, char *why,
                              size_t n)
{
    char sub[3] = {sha[0], sha[1], '\0'};
    int dfd = open(archive, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int sfd = dfd < 0 ? -1 : openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int fd = sfd < 0 ? -1 : openat(sfd, sha + 2, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    int saved = errno;
    if (dfd >= 0)
        close(dfd);
    if (sfd >= 0)
        close(sfd);
    if (fd < 0) {
        if (saved == ENOENT)
            return OBJ_MISSING;
        snprintf(why, n, "%s",
                 saved == ELOOP || saved == ENOTDIR
                     ? "det är en symbolisk länk; arkivet läser aldrig genom länkar"
                     : uf_strerrno(saved));
        return OBJ_BAD;
    }
    struct stat st;
    char got[65];
    long long bytes;
    uf_error ignored;
    if (fstat(fd, &st) != 0) {
        snprintf(why, n, "%s", uf_strerrno(errno));
    } else if (!S_ISREG(st.st_mode)) {
        snprintf(why, n, "%s", S_ISDIR(st.st_mode) ? "det är en mapp, inte en fil"
                                                   : "det är ingen vanlig fil");
    } else if (hash_copy(fd, -1, 0, sha, got, &bytes, NULL, &ignored) != 0) {
        snprintf(why, n, "det kunde inte läsas: %.150s", ignored.text);
    } else if (strcmp(got, sha) != 0) {
        snprintf(why, n, "innehållet stämmer inte med dess SHA-256");
    } else {
        object_set(obj, fd, &st);
        return OBJ_OK;
    }
    close(fd);
    return OBJ_BAD;
}

static void object_error(const char *archive, const char *sha, const char *what, obj_state s,
                         const char *why, uf_error *err)
{
    char *path = uf_archive_object(archive, sha);
    if (s == OBJ_MISSING)
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "arkivobjektet för %s saknas", what);
    else
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                     "arkivobjektet för %s har ändrats (%s); det används inte", what, why);
    free(path);
}

int uf_archive_check(const char *archive_dir, const char *sha256, char *why, size_t n)
{
    uf_object obj;
    obj_state s = open_checked(archive_dir, sha256, &obj, why, n);
    if (s == OBJ_OK)
        uf_object_close(&obj);
    if (s == OBJ_MISSING)
        snprintf(why, n, "det finns inte");
    return s == OBJ_OK ? 0 : s == OBJ_MISSING ? 1 : 2;
}

int uf_archive_open(const char *archive_dir, const char *sha256, const char *what,
                    uf_object *obj, uf_error *err)
{
    char why[200] = "";
    obj_state s = open_checked(archive_dir, sha256, obj, why, sizeof why);
    if (s == OBJ_OK)
        return 0;
    object_error(archive_dir, sha256, what, s, why, err);
    return -1;
}

/* One object checked ahead (uf_archive_open_ahead). */
typedef struct {
    const char *archive_dir;
    const uf_input *in;
    uf_object *obj;
} checking;

static void check_one(void *arg)
{
    checking *c = arg;
    char why[200];
    if (open_checked(c->archive_dir, c->in->sha256, c->obj, why, sizeof why) != OBJ_OK)
        c->obj->fd = -1;
}

void uf_archive_open_ahead(const char *archive_dir, const uf_input *ins, size_t n,
                           uf_object *objs)
{
    checking *c = uf_xcalloc(n ? n : 1, sizeof *c);
    job *jobs = uf_xcalloc(n ? n : 1, sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        c[i] = (checking){.archive_dir = archive_dir, .in = &ins[i], .obj = &objs[i]};
        jobs[i] = (job){ins[i].bytes, &c[i]};
    }
    on_every_core(check_one, jobs, n);
    free(jobs);
    free(c);
}

/* ------------------------------------------------- temporary files */

/* Every prefix a temporary file in the archive is made with (the archive's
 * own, and what the store's pulls ask for): the sweep removes only these. */
static const char *const tmp_prefixes[] = {"obj", "http", "odbc", NULL};

/* Temporary files live in <archive>/tmp/, where uf_archive_sweep finds what
 * a killed run left. */
static int tmp_open(const char *archive_dir, const char *prefix, uf_tmpfile *t, uf_error *err)
{
    char *dir = uf_xasprintf("%s/tmp", archive_dir);
    t->fd = t->slot = -1;
    t->path = NULL;
    int rc = uf_mkdir(archive_dir, err) || uf_tmpfile_open(t, dir, prefix, err) ? -1 : 0;
    free(dir);
    return rc;
}

void uf_archive_sweep(const char *archive_dir)
{
    char *dir = uf_xasprintf("%s/tmp", archive_dir);
    long removed = uf_tmpfile_sweep(dir, tmp_prefixes);
    if (removed)
        uf_log("tog bort %ld temporära filer som en avbruten körning lämnade i %s", removed, dir);
    free(dir);
}

/* ---------------------------------------------------------- putting */

/* Moves tmp into place as the object, replacing a bad one.  rename()
 * replaces a file, a link or a FIFO at once; a folder in the object's place
 * is moved aside to arkiv/skadat/ first. */
static int place(const char *archive_dir, const char *tmp, const char *sha, uf_error *err)
{
    char *subdir = uf_xasprintf("%s/%.2s", archive_dir, sha);
    char *object = uf_archive_object(archive_dir, sha);
    struct stat st;
    int rc = uf_mkdir(subdir, err);
    if (rc == 0 && lstat(object, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *aside_dir = uf_xasprintf("%s/skadat", archive_dir);
        char *aside = uf_xasprintf("%s/%s-%ld", aside_dir, sha, (long)time(NULL));
        if (uf_mkdir(aside_dir, err) || rename(object, aside) != 0) {
            if (err->code == UF_OK)
                uf_error_set(err, UF_ERR_IO, object, 0, 0, NULL,
                             "kunde inte flytta undan det skadade arkivobjektet: %s",
                             uf_strerrno(errno));
            rc = -1;
        }
        free(aside_dir);
        free(aside);
    }
    if (rc == 0 && rename(tmp, object) != 0) {
        uf_error_set(err, UF_ERR_IO, object, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
        rc = -1;
    }
    if (rc == 0)
        uf_fsync_path(subdir);
    free(subdir);
    free(object);
    return rc;
}

/* Makes the temporary file t, whose bytes hash to sha, the object; obj (may
 * be NULL) is then opened on the very file written, which need not be
 * hashed again. */
static int put_tmp(const char *archive_dir, uf_tmpfile *t, const char *sha, uf_object *obj,
                   uf_error *err)
{
    struct stat written;
    if (fsync(t->fd) != 0 || fchmod(t->fd, 0444) != 0 || fstat(t->fd, &written) != 0) {
        uf_error_set(err, UF_ERR_IO, t->path, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
        return -1;
    }
    if (place(archive_dir, t->path, sha, err))
        return -1;
    uf_tmpfile_close(t, 1);
    if (!obj)
        return 0;
    /* The name is reopened without following links and must still be the
     * file written above. */
    char *object = uf_archive_object(archive_dir, sha);
    int ofd = open(object, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    int rc = 0;
    if (ofd >= 0 && fstat(ofd, &st) == 0 && st.st_ino == written.st_ino &&
        st.st_dev == written.st_dev) {
        object_set(obj, ofd, &st);
    } else {
        if (ofd >= 0)
            close(ofd);
        uf_error_set(err, UF_ERR_IO, object, 0, 0, NULL,
                     "arkivobjektet byttes ut medan det skrevs");
        rc = -1;
    }
    free(object);
    return rc;
}

/* t, whose bytes hash to sha and which was as copied says when the hash was
 * made, left pending as obj (see uf_archive_take_pending): a change since
 * then is a change to the object. */
static int leave_pending(uf_tmpfile *t, const char *sha, const struct stat *copied,
                         uf_object *obj, uf_error *err)
{
    int fd = fcntl(t->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        uf_error_set(err, UF_ERR_IO, t->path, 0, 0, NULL, "kunde inte läsa kopian: %s",
                     uf_strerrno(errno));
        return -1;
    }
    uf_pending *p = uf_xcalloc(1, sizeof *p);
    p->t = *t;
    *t = (uf_tmpfile){.fd = -1, .slot = -1};
    snprintf(p->sha256, sizeof p->sha256, "%s", sha);
    p->started = uf_cleanup_thread(&p->syncer, sync_copy, p) == 0;
    object_set(obj, fd, copied);
    obj->pending = p;
    return 0;
}

int uf_object_settle(const char *archive_dir, uf_object *obj, uf_error *err)
{
    uf_pending *p = obj->pending;
    if (!p)
        return 0;
    if (p->started)
        pthread_join(p->syncer, NULL);
    p->started = 0;
    uf_object placed = {.fd = -1};
    char why[200];
    int rc = -1;
    if (p->failed)
        uf_error_set(err, UF_ERR_IO, p->t.path, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(p->failed));
    else if (!uf_object_unchanged(obj))
        uf_error_set(err, UF_ERR_IO, p->t.path, 0, 0, NULL,
                     "kopian till arkivet ändrades medan körningen läste den; den arkiveras inte");
    else if (open_checked(archive_dir, p->sha256, &placed, why, sizeof why) == OBJ_OK)
        rc = 0; /* another run placed the same bytes meanwhile: the copy is not needed */
    else
        rc = put_tmp(archive_dir, &p->t, p->sha256, &placed, err);
    /* Readers hold obj's path, /proc/self/fd/N: N becomes the object. */
    struct stat st;
    if (rc == 0 && (dup2(placed.fd, obj->fd) < 0 || fstat(obj->fd, &st) != 0)) {
        char *object = uf_archive_object(archive_dir, p->sha256);
        uf_error_set(err, UF_ERR_IO, object, 0, 0, NULL, "arkivobjektet kunde inte öppnas: %s",
                     uf_strerrno(errno));
        free(object);
        rc = -1;
    }
    if (placed.fd >= 0)
        close(placed.fd);
    obj->pending = NULL;
    pending_end(p);
    if (rc == 0)
        object_set(obj, obj->fd, &st);
    return rc;
}

/* One file on its way into the archive.  It is begun (its temporary file
 * made, the file opened) and ended in the caller's order, and copied on any
 * thread in between: the archive changes the file system in the same order
 * however the copying is shared out. */
typedef struct {
    const char *archive_dir, *path;
    uf_input *in;
    uf_object *obj; /* may be NULL */
    int later;      /* left pending (uf_archive_take_pending) */
    char expect[65]; /* the SHA-256 it had when last archived, or "" */
    uf_tmpfile t;
    int fd;
    long long size;
    int failed;              /* err says why */
    uf_error err, unwritten; /* unwritten: the copy failed, the hashing did not */
    struct stat copied;      /* the copy as it was when its hash was made */
    obj_state s;             /* the archive's object of that name */
    uf_object have;          /* when OBJ_OK */
    char why[200];           /* when OBJ_BAD */
} taking;

static int take_begin(taking *k)
{
    struct stat st;
    k->fd = -1;
    k->have.fd = -1;
    if (tmp_open(k->archive_dir, "obj", &k->t, &k->err))
        return k->failed = -1;
    k->fd = open(k->path, O_RDONLY | O_CLOEXEC);
    if (k->fd < 0) {
        uf_error_set(&k->err, UF_ERR_IO, k->path, 0, 0, NULL, "kunde inte öppna filen: %s",
                     uf_strerrno(errno));
        return k->failed = -1;
    }
    int known = fstat(k->fd, &st) == 0;
    k->size = known ? st.st_size : 0;
    if (known && k->later && S_ISREG(st.st_mode) && k->in->sha256[0] && k->in->bytes == k->size)
        snprintf(k->expect, sizeof k->expect, "%s", k->in->sha256);
    return 0;
}

/* A file expected to be what was archived before (a month run again) is
 * hashed without a copy: 1 when it is, and the archive's object is good
 * (k->have), 0 when it is to be copied after all, -1 when it cannot be read
 * (k->err). */
static int as_before(taking *k)
{
    if (!k->expect[0])
        return 0;
    if (uf_sha256_fd(k->fd, k->path, k->in->sha256, &k->in->bytes, &k->err) != 0)
        return -1;
    if (strcmp(k->in->sha256, k->expect) == 0 &&
        open_checked(k->archive_dir, k->in->sha256, &k->have, k->why, sizeof k->why) == OBJ_OK)
        return 1;
    if (lseek(k->fd, 0, SEEK_SET) == 0)
        return 0;
    uf_error_set(&k->err, UF_ERR_IO, k->path, 0, 0, NULL, "kunde inte läsa filen: %s",
                 uf_strerrno(errno));
    return -1;
}

/* A new file's bytes are read once (a second time when as_before found it
 * changed): copied into the temporary file while they are hashed, and the
 * hash names the object, which is checked in turn if the archive has it. */
static void take_copy(void *arg)
{
    taking *k = arg;
    int before = as_before(k);
    if (before != 0) {
        k->failed = before < 0;
        k->s = OBJ_OK;
        return;
    }
    k->failed = hash_copy(k->fd, k->t.fd, !k->later, k->path, k->in->sha256, &k->in->bytes,
                          &k->unwritten, &k->err);
    if (!k->failed && fstat(k->t.fd, &k->copied) != 0) {
        uf_error_set(&k->err, UF_ERR_IO, k->t.path, 0, 0, NULL, "kunde inte läsa kopian: %s",
                     uf_strerrno(errno));
        k->failed = -1;
    }
    if (!k->failed)
        k->s = open_checked(k->archive_dir, k->in->sha256, &k->have, k->why, sizeof k->why);
}

/* An object the archive has is used and the copy thrown away before it is
 * ever synced (a copy the disk had no room for is then no fault); else the
 * copy becomes the object, now or, later, once it is settled. */
static int take_end(taking *k, uf_error *err)
{
    int rc = -1;
    if (k->failed) {
        *err = k->err;
    } else if (k->s == OBJ_OK) {
        if (k->obj)
            *k->obj = k->have;
        else
            uf_object_close(&k->have);
        rc = 0;
    } else if (k->unwritten.text[0]) {
        *err = k->unwritten;
    } else {
        if (k->s == OBJ_BAD) {
            char *object = uf_archive_object(k->archive_dir, k->in->sha256);
            uf_warn("arkivobjektet %s för %s (%s) är skadat: %s; det ersätts med %s, som har "
                    "samma SHA-256",
                    object, k->in->name, k->in->role, k->why, k->path);
            free(object);
        }
        rc = k->later ? leave_pending(&k->t, k->in->sha256, &k->copied, k->obj, err)
                   : put_tmp(k->archive_dir, &k->t, k->in->sha256, k->obj, err);
    }
    if (rc == 0)
        stamp(k->in, k->path);
    if (k->t.fd >= 0)
        uf_tmpfile_close(&k->t, 0);
    if (k->fd >= 0)
        close(k->fd);
    return rc;
}

int uf_archive_take(const char *archive_dir, const char *path, uf_input *in, uf_object *obj,
                    uf_error *err)
{
    taking k = {.archive_dir = archive_dir, .path = path, .in = in, .obj = obj};
    if (take_begin(&k) == 0)
        take_copy(&k);
    return take_end(&k, err);
}

int uf_archive_take_pending(const char *archive_dir, const char *const *paths, uf_input *ins,
                            uf_object *objs, size_t n, uf_error *err)
{
    taking *k = uf_xcalloc(n ? n : 1, sizeof *k);
    job *jobs = uf_xcalloc(n ? n : 1, sizeof *jobs);
    size_t ncopy = 0;
    for (size_t i = 0; i < n; i++) {
        objs[i] = (uf_object){.fd = -1};
        k[i] = (taking){.archive_dir = archive_dir, .path = paths[i], .in = &ins[i],
                        .obj = &objs[i], .later = 1};
        if (take_begin(&k[i]) == 0)
            jobs[ncopy++] = (job){k[i].size, &k[i]};
    }
    on_every_core(take_copy, jobs, ncopy);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        uf_error e = {0};
        if (take_end(&k[i], &e) && rc == 0) {
            *err = e;
            rc = -1;
        }
    }
    free(jobs);
    free(k);
    return rc;
}

int uf_archive_put_file(const char *archive_dir, const char *path, uf_input *in, uf_error *err)
{
    return uf_archive_take(archive_dir, path, in, NULL, err);
}

int uf_archive_use(const char *archive_dir, const char *sha256, const char *copy,
                   const char *what, uf_object *obj, uf_error *err)
{
    char why[200] = "";
    obj_state s = open_checked(archive_dir, sha256, obj, why, sizeof why);
    if (s == OBJ_OK)
        return 0;
    /* A copy kept elsewhere (the published report folder) that hashes to
     * the object's name is the same bytes: the object is made again from it. */
    char sha[65];
    long long bytes;
    uf_error ignored;
    if (copy && uf_sha256_file(copy, sha, &bytes, &ignored) == 0 && strcmp(sha, sha256) == 0) {
        uf_input in = {.bytes = bytes};
        snprintf(in.sha256, sizeof in.sha256, "%s", sha256);
        snprintf(in.role, sizeof in.role, "%.*s", (int)sizeof in.role - 1, "kopia");
        snprintf(in.name, sizeof in.name, "%s", what);
        return uf_archive_take(archive_dir, copy, &in, obj, err);
    }
    object_error(archive_dir, sha256, what, s, why, err);
    return -1;
}


/* ------------------------------------------------------------- the store */

/* ingest's pulls put what they fetch through a uf_store (uppfolj.h); this
 * one is the archive. */
static int store_tmpfile(const uf_store *st, const char *prefix, uf_tmpfile *t, uf_error *err)
{
    return tmp_open(st->dir, prefix, t, err);
}

static int store_put(const uf_store *st, const char *path, uf_input *in, uf_error *err)
{
    return uf_archive_put_file(st->dir, path, in, err);
}

static int store_read(const uf_store *st, const uf_input *in, const char *what,
                      int (*read)(const char *path, void *arg, uf_error *err), void *arg,
                      uf_error *err)
{
    uf_object obj = {.fd = -1};
    int rc = uf_archive_open(st->dir, in->sha256, what, &obj, err) || read(obj.path, arg, err)
                 ? -1
                 : 0;
    uf_object_close(&obj);
    return rc;
}

uf_store uf_archive_store(const char *archive_dir)
{
    return (uf_store){.dir = archive_dir, .tmpfile = store_tmpfile, .put = store_put,
                      .read = store_read};
}
