/* publish/record.c — the archive's record of what was published.
 *
 * arkiv/utgavor/P.jsonl gets one line each time an edition of P is
 * published, naming its manifest by SHA-256; lines are only ever appended.
 * The manifest and the outputs it lists are archive objects as well, so the
 * record, not the editable report folder, says which figures were published:
 * the trend months, the restatements and the carried actions of a later run
 * are taken from there (publish/earlier.c). */
#include "publish/archive.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *record_path(const char *archive_dir, uf_month period)
{
    char p[8];
    uf_month_format(period, p);
    return uf_xasprintf("%s/utgavor/%s.jsonl", archive_dir, p);
}

static int io_error(uf_error *err, const char *path, const char *what)
{
    uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "%s: %s", what, uf_strerrno(errno));
    return -1;
}

/* The whole record, NUL-terminated; NULL with *len 0 when there is none. */
static int read_record(const char *path, char **text, size_t *len, uf_error *err)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : io_error(err, path, "kunde inte läsa utgåvornas förteckning");
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                     "utgåvornas förteckning är ingen vanlig fil");
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = uf_xmalloc(cap);
    for (ssize_t r; n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) != 0;) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            close(fd);
            return io_error(err, path, "kunde inte läsa utgåvornas förteckning");
        }
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

int uf_published_list(const char *archive_dir, uf_month period, uf_published **v, size_t *n,
                      uf_error *err)
{
    char *path = record_path(archive_dir, period);
    char *text;
    size_t len;
    *v = NULL;
    *n = 0;
    int rc = read_record(path, &text, &len, err);
    long line = 0;
    /* Only whole lines count: a line cut short by a crash while appending
     * has no newline yet and is not an edition. */
    for (char *at = text, *nl; rc == 0 && at && (nl = memchr(at, '\n', len - (size_t)(at - text)));
         at = nl + 1) {
        line++;
        json_t *j = json_loadb(at, (size_t)(nl - at), 0, NULL);
        const char *when = NULL, *sha = NULL;
        if (json_unpack(j, "{s:s, s:s}", "run_time", &when, "manifest", &sha) != 0 ||
            strlen(sha) != 64 || strlen(when) >= sizeof (*v)->run_time) {
            /* a line cut short by a crash, then closed by the next append */
            uf_warn("%s, rad %ld: ingen post om en publicerad utgåva; raden hoppas över",
                   path, line);
        } else {
            *v = uf_xrealloc(*v, (*n + 1) * sizeof **v);
            snprintf((*v)[*n].run_time, sizeof (*v)->run_time, "%s", when);
            snprintf((*v)[*n].manifest, sizeof (*v)->manifest, "%s", sha);
            (*n)++;
        }
        json_decref(j);
    }
    if (rc) {
        free(*v);
        *v = NULL;
        *n = 0;
    }
    free(text);
    free(path);
    return rc;
}

int uf_published_add(const char *archive_dir, uf_month period, const char *run_time,
                     const char *manifest_sha, uf_error *err)
{
    uf_published *v;
    size_t n;
    if (uf_published_list(archive_dir, period, &v, &n, err))
        return -1;
    int last = n > 0 && strcmp(v[n - 1].manifest, manifest_sha) == 0;
    free(v);
    if (last)
        return 0;
    char *dir = uf_xasprintf("%s/utgavor", archive_dir);
    char *path = record_path(archive_dir, period);
    int rc = uf_mkdir(dir, err);
    int fd = rc ? -1 : open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (rc == 0 && fd < 0)
        rc = io_error(err, path, "kunde inte skriva utgåvornas förteckning");
    if (fd >= 0) {
        char now[32];
        uf_fmt_time_utc((int64_t)time(NULL), now);
        json_t *j = json_pack("{s:s, s:s, s:s}", "run_time", run_time, "manifest", manifest_sha,
                              "published", now);
        char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        /* One write: a line is appended whole or, cut short by a crash,
         * without its newline; such a fragment is closed off first, so
         * that it stays a line of its own that the reader skips. */
        struct stat st;
        char lastc = '\n';
        if (fstat(fd, &st) == 0 && st.st_size > 0 && pread(fd, &lastc, 1, st.st_size - 1) != 1)
            lastc = '\n';
        char *text = uf_xasprintf("%s%s\n", lastc == '\n' ? "" : "\n", line);
        size_t len = strlen(text);
        if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0)
            rc = io_error(err, path, "kunde inte skriva utgåvornas förteckning");
        free(text);
        free(line);
        json_decref(j);
        close(fd);
    }
    free(dir);
    free(path);
    return rc;
}
