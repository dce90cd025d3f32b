/* core/cleanup.c — what a signal must not leave behind.
 *
 * A run stopped by SIGTERM, SIGINT or SIGHUP removes the temporary archive
 * files and the staging folder it is writing before it goes, so that none
 * lingers.  The handler only calls unlink and rmdir, which are
 * async-signal-safe, on paths copied in beforehand; the table is changed
 * with those signals blocked.  SIGXFSZ is ignored, so that a file growing
 * past the size limit fails as a write error, with a message and the same
 * clean-up, instead of killing the run.  SIGKILL cannot be caught: what it
 * leaves is recognised and removed by the next run (uf_archive_sweep,
 * uf_publish_recover). */
#include "core/core.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SLOTS = 16 };
static struct {
    char *path;
    int dir;
} slots[SLOTS];

static const int caught[] = {SIGTERM, SIGINT, SIGHUP};
enum { NCAUGHT = sizeof caught / sizeof *caught };

static void on_signal(int sig)
{
    for (int i = SLOTS - 1; i >= 0; i--)
        if (slots[i].path && !slots[i].dir)
            unlink(slots[i].path);
    for (int i = SLOTS - 1; i >= 0; i--)
        if (slots[i].path && slots[i].dir)
            rmdir(slots[i].path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < NCAUGHT; i++)
        sigaddset(&set, caught[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

void uf_cleanup_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NCAUGHT; i++)
        sigaddset(&sa.sa_mask, caught[i]);
    for (int i = 0; i < NCAUGHT; i++)
        sigaction(caught[i], &sa, NULL);
    signal(SIGXFSZ, SIG_IGN);
}

int uf_cleanup_add(const char *path, int dir)
{
    char *copy = uf_xstrdup(path);
    sigset_t old;
    block(&old);
    int slot = -1;
    for (int i = 0; i < SLOTS && slot < 0; i++)
        if (!slots[i].path) {
            slots[i].dir = dir;
            slots[i].path = copy;
            slot = i;
        }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (slot < 0)
        free(copy); /* a full table only means the next run sweeps it */
    return slot;
}

/* Held signals wait until uf_cleanup_release, or die with the process. */
static sigset_t held_mask;
static int held;

void uf_cleanup_hold(void)
{
    if (!held++)
        block(&held_mask);
}

void uf_cleanup_release(void)
{
    if (held && !--held)
        pthread_sigmask(SIG_SETMASK, &held_mask, NULL);
}

int uf_cleanup_thread(pthread_t *th, void *(*fn)(void *), void *arg)
{
    sigset_t old;
    block(&old);
    int rc = pthread_create(th, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void uf_cleanup_forget(int slot)
{
    if (slot < 0 || slot >= SLOTS)
        return;
    sigset_t old;
    block(&old);
    char *path = slots[slot].path;
    slots[slot].path = NULL;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(path);
}
