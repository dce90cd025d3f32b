/* core/fs.c — what every stage that writes asks of the file system: a
 * folder made when it is missing, a file or folder flushed to disk, and a
 * temporary file that nothing leaves behind: locked (flock) for as long as
 * it lives, so that a file whose lock can be taken belongs to a run that is
 * gone, and removed by the signal handler (core/cleanup.c) if a signal ends
 * the run first.  Every temporary file uppfolj makes is in the archive's
 * tmp/ or in the work folder beside the reports (publish/publish.c), and
 * uf_tmpfile_sweep removes what a killed run left there. */
#include "core/core.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int uf_mkdir(const char *path, uf_error *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skapa mappen: %s",
                 uf_strerrno(errno));
    return -1;
}

void uf_fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int uf_tmpfile_open(uf_tmpfile *t, const char *dir, const char *prefix, uf_error *err)
{
    t->fd = -1;
    t->slot = -1;
    t->path = NULL;
    int rc = uf_mkdir(dir, err);
    /* A sweep between creating and locking the file unlinks it; then it is
     * made again. */
    while (rc == 0 && t->fd < 0) {
        t->path = uf_xasprintf("%s/%s-XXXXXX", dir, prefix);
        t->fd = mkostemp(t->path, O_CLOEXEC);
        struct stat st;
        if (t->fd < 0) {
            uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                         uf_strerrno(errno));
            rc = -1;
        } else if (flock(t->fd, LOCK_EX) != 0 || fstat(t->fd, &st) != 0) {
            uf_error_set(err, UF_ERR_IO, t->path, 0, 0, NULL,
                         "kunde inte låsa den temporära filen: %s", uf_strerrno(errno));
            unlink(t->path);
            close(t->fd);
            t->fd = -1;
            rc = -1;
        } else if (st.st_nlink == 0) {
            close(t->fd);
            t->fd = -1;
        } else {
            t->slot = uf_cleanup_add(t->path, 0);
            break;
        }
        free(t->path);
        t->path = NULL;
    }
    return rc;
}

void uf_tmpfile_close(uf_tmpfile *t, int placed)
{
    uf_cleanup_forget(t->slot);
    if (t->fd >= 0) {
        if (!placed)
            unlink(t->path);
        close(t->fd);
    }
    free(t->path);
    t->fd = t->slot = -1;
    t->path = NULL;
}

long uf_tmpfile_sweep(const char *dir, const char *const *prefixes)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
    long removed = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        int ours = 0;
        for (size_t i = 0; prefixes[i] && !ours; i++)
            ours = strncmp(e->d_name, prefixes[i], strlen(prefixes[i])) == 0 &&
                   e->d_name[strlen(prefixes[i])] == '-';
        if (!ours)
            continue;
        /* Ours by name, a regular file, nobody holds its lock, and the name
         * still points at the file that was locked. */
        int fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat st, now;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            fstatat(dfd, e->d_name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_ino == st.st_ino &&
            now.st_dev == st.st_dev && unlinkat(dfd, e->d_name, 0) == 0)
            removed++;
        if (fd >= 0)
            close(fd);
    }
    if (d)
        closedir(d);
    else if (dfd >= 0)
        close(dfd);
    return removed;
}
