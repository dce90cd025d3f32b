/* tests/killshim.c — an LD_PRELOAD library for fault injection: it counts
 * the calls that change the file system (create, rename, link, unlink,
 * mkdir, rmdir) on paths containing $UF_SHIM_UNDER and, just before call
 * number $UF_SHIM_AT, stops the process with $UF_SHIM_SIGNAL (KILL, the
 * default, or STOP).  $UF_SHIM_OPEN=suffix instead stops before the first
 * open of a path ending in suffix, changing or not.  With $UF_SHIM_LOG every
 * counted call is appended there as "N call path", so a test can walk every
 * step of publishing.  It exists only in the test build; nothing in uppfolj
 * knows of it, so no setting in production can trigger it. */
/* Both open and open64 are defined below, by their own names. */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long count;
static int stopped_open;

static void logline(const char *call, const char *a, const char *b)
{
    const char *log = getenv("UF_SHIM_LOG");
    if (!log)
        return;
    static int (*real_open)(const char *, int, ...);
    if (!real_open)
        real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    int fd = real_open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    char line[4096];
    int n = snprintf(line, sizeof line, "%ld %s %s%s%s\n", count, call, a, b ? " " : "",
                     b ? b : "");
    if (n > 0)
        (void)!write(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    close(fd);
}

static void stop(void)
{
    const char *sig = getenv("UF_SHIM_SIGNAL");
    raise(sig && strcmp(sig, "STOP") == 0 ? SIGSTOP : SIGKILL);
}

/* A changing call on a, b (b may be NULL). */
static void step(const char *call, const char *a, const char *b)
{
    const char *under = getenv("UF_SHIM_UNDER");
    if (!under || !((a && strstr(a, under)) || (b && strstr(b, under))))
        return;
    count++;
    logline(call, a ? a : "", b);
    const char *at = getenv("UF_SHIM_AT");
    if (at && atol(at) == count)
        stop();
}

static void opening(const char *path)
{
    const char *suffix = getenv("UF_SHIM_OPEN");
    size_t n = suffix ? strlen(suffix) : 0, len = path ? strlen(path) : 0;
    if (n && !stopped_open && len >= n && strcmp(path + len - n, suffix) == 0) {
        stopped_open = 1;
        stop();
    }
}

static int takes_mode(int flags)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* The next definition of name: libc's. */
#define REAL(name)                                                                                \
    static __typeof__(name) *real_##name;                                                         \
    if (!real_##name)                                                                             \
    real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

/* open, open64, openat and openat64; param and arg are the *at forms'
 * file-descriptor parameter and argument, in parentheses.  Each family has
 * its 64-bit twin because the program calls those under _FILE_OFFSET_BITS=64. */
#define UNPAREN(...) __VA_ARGS__
#define SHIM_OPEN(name, param, arg)                                                               \
    int name(UNPAREN param const char *path, int flags, ...)                                      \
    {                                                                                             \
        REAL(name);                                                                               \
        va_list ap;                                                                               \
        va_start(ap, flags);                                                                      \
        mode_t mode = takes_mode(flags) ? va_arg(ap, mode_t) : 0;                                 \
        va_end(ap);                                                                               \
        opening(path);                                                                            \
        if (flags & O_CREAT)                                                                      \
            step(#name, path, NULL);                                                              \
        return real_##name(UNPAREN arg path, flags, mode);                                        \
    }
SHIM_OPEN(open, (), ())
SHIM_OPEN(open64, (), ())
SHIM_OPEN(openat, (int dfd, ), (dfd, ))
SHIM_OPEN(openat64, (int dfd, ), (dfd, ))

#define SHIM_FOPEN(name)                                                                          \
    FILE *name(const char *path, const char *mode)                                                \
    {                                                                                             \
        REAL(name);                                                                               \
        opening(path);                                                                            \
        if (strpbrk(mode, "wa+"))                                                                 \
            step("fopen", path, NULL);                                                            \
        return real_##name(path, mode);                                                           \
    }
SHIM_FOPEN(fopen)
SHIM_FOPEN(fopen64)

#define SHIM_MKOSTEMP(name)                                                                       \
    int name(char *tmpl, int flags)                                                               \
    {                                                                                             \
        REAL(name);                                                                               \
        step("mkostemp", tmpl, NULL);                                                             \
        return real_##name(tmpl, flags);                                                          \
    }
SHIM_MKOSTEMP(mkostemp)
SHIM_MKOSTEMP(mkostemp64)

char *mkdtemp(char *tmpl)
{
    REAL(mkdtemp);
    step("mkdtemp", tmpl, NULL);
    return real_mkdtemp(tmpl);
}

int mkdir(const char *path, mode_t mode)
{
    REAL(mkdir);
    step("mkdir", path, NULL);
    return real_mkdir(path, mode);
}

int rename(const char *a, const char *b)
{
    REAL(rename);
    step("rename", a, b);
    return real_rename(a, b);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
    REAL(renameat2);
    step(flags & RENAME_EXCHANGE ? "exchange" : "renameat2", a, b);
    return real_renameat2(da, a, db, b, flags);
}

int link(const char *a, const char *b)
{
    REAL(link);
    step("link", a, b);
    return real_link(a, b);
}

int unlink(const char *path)
{
    REAL(unlink);
    step("unlink", path, NULL);
    return real_unlink(path);
}

int unlinkat(int dfd, const char *path, int flags)
{
    REAL(unlinkat);
    step("unlinkat", path, NULL);
    return real_unlinkat(dfd, path, flags);
}

int rmdir(const char *path)
{
    REAL(rmdir);
    step("rmdir", path, NULL);
    return real_rmdir(path);
}

int remove(const char *path)
{
    REAL(remove);
    step("remove", path, NULL);
    return real_remove(path);
}
