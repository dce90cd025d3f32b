/* core/alloc.c — allocation that cannot return NULL.  Running out of memory
 * is not something a monthly batch can recover from, nor is a table past
 * its fixed limit: uf_fatal says so and stops.  How it stops is the
 * program's to say (main.c: exit 1); a test program that never said aborts. */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static void (*fatal_end)(void) = abort;

void uf_fatal_policy(void (*end)(void))
{
    fatal_end = end;
}

void uf_fatal(const char *what)
{
    fprintf(stderr, "uppfolj: %s\n", what);
    fatal_end();
    abort(); /* end must not return */
}

static void *check(void *p)
{
    if (!p)
        uf_fatal("slut på minne");
    return p;
}

void *uf_xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *uf_xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1)); }
void *uf_xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }
char *uf_xstrdup(const char *s) { return check(strdup(s)); }
char *uf_xstrndup(const char *s, size_t n) { return check(strndup(s, n)); }

char *uf_xasprintf(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int r = vasprintf(&s, fmt, ap);
    va_end(ap);
    return check(r < 0 ? NULL : s);
}
