/* core/alloc.c — allocation that cannot return NULL.  Running out of memory,
 * or filling a table in memory past its fixed limit, is not something a
 * monthly batch can recover from: uf_out_of_memory says so and ends the
 * program the way the program chose (main.c: exit 1; a program that chose
 * nothing, a test, aborts).  Everything else returns its error. */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static void (*end_program)(void) = abort;

void uf_out_of_memory_end(void (*end)(void))
{
    end_program = end;
}

void uf_out_of_memory(const char *what)
{
    fprintf(stderr, "uppfolj: slut på minne%s%s\n", what ? ": " : "", what ? what : "");
    end_program();
    abort(); /* end must not return */
}

static void *check(void *p)
{
    if (!p)
        uf_out_of_memory(NULL);
    return p;
}

void *uf_xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *uf_xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1)); }
void *uf_xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }

size_t uf_doubled(size_t have, size_t need, size_t first)
{
    size_t n = have ? have * 2 : first;
    while (n < need)
        n *= 2;
    return n;
}

void *uf_xgrow(void *p, size_t old, size_t n, size_t size, int byte)
{
    char *q = uf_xrealloc(p, n * size);
    memset(q + old * size, byte, (n - old) * size);
    return q;
}
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
