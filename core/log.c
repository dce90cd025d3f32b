/* core/log.c — log lines on stderr; progress only on a terminal, so cron
 * mail and systemd's journal get clean lines. */
#include "core/core.h"

#include <time.h>
#include <unistd.h>

int uf_quiet;
static int progress_shown;

static int on_terminal(void)
{
    static int tty = -1;
    if (tty < 0)
        tty = isatty(STDERR_FILENO);
    return tty;
}

void uf_log(const char *fmt, ...)
{
    if (uf_quiet)
        return;
    uf_progress_done();
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", localtime(&now));
    fprintf(stderr, "%s uppfolj: ", stamp);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void uf_warn(const char *fmt, ...)
{
    uf_progress_done();
    fputs("uppfolj: varning: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void uf_progress(const char *fmt, ...)
{
    if (uf_quiet || !on_terminal())
        return;
    fputs("\r\033[K", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    progress_shown = 1;
}

void uf_progress_done(void)
{
    if (!progress_shown)
        return;
    fputs("\r\033[K", stderr);
    progress_shown = 0;
}
