/* tests/testfile.h — small JSON inputs written next to the assertions that
 * check them, so a test shows the text whose line and column it expects. */
#ifndef UF_TESTFILE_H
#define UF_TESTFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uppfolj.h"

/* A fresh directory under /tmp, removed by testfile_cleanup. */
static inline char *testfile_dir(void)
{
    char tmpl[] = "/tmp/uf_test_XXXXXX";
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        exit(1);
    }
    return uf_xstrdup(tmpl);
}

/* Writes text to dir/name and returns the path (malloc'ed). */
static inline char *testfile_write(const char *dir, const char *name, const char *text)
{
    char *path = uf_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static inline void testfile_cleanup(char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(dir);
}

#endif
