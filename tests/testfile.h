/* tests/testfile.h — small JSON inputs written next to the assertions that
 * check them, so a test shows the text whose line and column it expects. */
#ifndef UF_TESTFILE_H
#define UF_TESTFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest.h"

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

/* The whole file as a string (malloc'ed), or NULL when it cannot be read. */
static inline char *testfile_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, mem);
    fclose(f);
    fclose(mem);
    return buf;
}

/* The built-in definitions, loaded once per test group by the cmocka
 * setup and teardown below, for tests of readers that need them. */
static inline uf_indicators *testfile_inds(void)
{
    static uf_indicators inds;
    return &inds;
}

static inline int testfile_builtins(void **state)
{
    (void)state;
    uf_error err;
    return uf_indicators_load(UF_INDICATORS_DIR, NULL, testfile_inds(), &err);
}

static inline int testfile_builtins_free(void **state)
{
    (void)state;
    uf_indicators_free(testfile_inds());
    return 0;
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
