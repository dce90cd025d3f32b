/* generate/out.h — a buffered CSV writer for the generator.  Tens of
 * millions of rows: fields are copied into one 1 MiB buffer and numbers and
 * dates formatted by hand, with one write(2) per megabyte. */
#ifndef UF_GENERATE_OUT_H
#define UF_GENERATE_OUT_H

#include "generate/generate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { UF_OUT_CAP = 1 << 20, UF_OUT_ROOM = 256 /* the longest field written in one go */ };

typedef struct {
    int fd;
    char *path;
    char *buf;
    size_t len;
    long rows; /* data rows, not the header */
    int error; /* errno of the first failed write, 0 while all is well */
} uf_out;

static inline int uf_out_open(uf_out *o, const char *dir, const char *name, const char *header,
                              uf_error *err)
{
    memset(o, 0, sizeof *o);
    o->path = uf_xasprintf("%s/%s", dir, name);
    o->fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        uf_error_set(err, UF_ERR_IO, o->path, 0, 0, NULL, "kunde inte skapa filen: %s",
                     strerror(errno));
        free(o->path);
        return -1;
    }
    o->buf = uf_xmalloc(UF_OUT_CAP);
    size_t n = strlen(header);
    memcpy(o->buf, header, n);
    o->buf[n] = '\n';
    o->len = n + 1;
    return 0;
}

static inline void uf_out_flush(uf_out *o)
{
    size_t done = 0;
    while (done < o->len && !o->error) {
        ssize_t w = write(o->fd, o->buf + done, o->len - done);
        if (w < 0 && errno != EINTR)
            o->error = errno;
        else if (w > 0)
            done += (size_t)w;
    }
    o->len = 0;
}

/* Every put below writes at most UF_OUT_ROOM bytes after one check. */
static inline char *uf_out_room(uf_out *o)
{
    if (o->len + UF_OUT_ROOM > UF_OUT_CAP)
        uf_out_flush(o);
    return o->buf + o->len;
}

static inline void uf_out_mem(uf_out *o, const char *s, size_t n)
{
    memcpy(uf_out_room(o), s, n);
    o->len += n;
}

static inline void uf_out_str(uf_out *o, const char *s) { uf_out_mem(o, s, strlen(s)); }

static inline void uf_out_ch(uf_out *o, char c)
{
    *uf_out_room(o) = c;
    o->len++;
}

static inline void uf_out_eol(uf_out *o)
{
    uf_out_ch(o, '\n');
    o->rows++;
}

/* v in decimal, zero padded to at least width digits. */
static inline void uf_out_uint(uf_out *o, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    char *p = uf_out_room(o);
    for (int i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    o->len += (size_t)n;
}

/* The low 4 * digits bits of v in lower-case hex. */
static inline void uf_out_hex(uf_out *o, uint64_t v, int digits)
{
    char *p = uf_out_room(o);
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        p[i] = "0123456789abcdef"[v & 15];
    o->len += (size_t)digits;
}

/* Two digits and a separator: the pieces of HH:MM:SS. */
static inline void uf_out_2d(uf_out *o, int v)
{
    char *p = uf_out_room(o);
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    o->len += 2;
}

static inline int uf_out_close(uf_out *o, uf_error *err)
{
    uf_out_flush(o);
    if (close(o->fd) && !o->error)
        o->error = errno;
    int rc = 0;
    if (o->error) {
        uf_error_set(err, UF_ERR_IO, o->path, 0, 0, NULL, "kunde inte skriva filen: %s",
                     strerror(o->error));
        rc = -1;
    }
    free(o->buf);
    free(o->path);
    o->buf = NULL;
    o->path = NULL;
    return rc;
}

#endif
