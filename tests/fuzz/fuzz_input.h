/* tests/fuzz/fuzz_input.h — the readers take a path, so each input is put in
 * one memory file (memfd) and named by its /proc/self/fd path: no disk, no
 * temporary files left behind by a crash. */
#ifndef UF_FUZZ_INPUT_H
#define UF_FUZZ_INPUT_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *fuzz_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("uppfolj-fuzz", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
    return path;
}

/* Messages are formatted as they would be printed, to nowhere. */
static void fuzz_print(const uf_error *err)
{
    static FILE *null;
    if (!null && !(null = fopen("/dev/null", "w")))
        abort();
    uf_error_print(err, null);
}

#endif
