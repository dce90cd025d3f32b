/* publish/archive.h — private to publish/: the content-addressed archive's
 * objects, checked on every use, and its record of published editions. */
#ifndef UF_PUBLISH_ARCHIVE_H
#define UF_PUBLISH_ARCHIVE_H

#include "publish/publish.h"

/* publish/archive.c — the content-addressed archive: arkiv/ab/cdef... by
 * SHA-256, written to a temporary file, fsynced and renamed into place,
 * then made read-only.  An existing object is never rewritten. */
/* An archive object open for reading after its bytes were checked against
 * its name.  Readers open path ("/proc/self/fd/N": the very file that was
 * checked, never the name again); uf_object_unchanged tells whether it has
 * been written to or replaced since (size, inode and ctime). */
typedef struct uf_pending uf_pending;
typedef struct uf_object {
    int fd; /* -1 when closed */
    char path[32];
    unsigned long long dev, ino;
    long long size, ctime_ns;
    uf_pending *pending; /* a copy not yet placed (uf_archive_take_pending) */
} uf_object;

/* Archives the file at path: hashes it into in->sha256 and in->bytes, and
 * copies it in unless a good object of that name is there.  A bad object
 * (other bytes, a symbolic link, a FIFO, a folder) is replaced by the copy,
 * which hashes to its name, and the replacement is logged.  obj (may be
 * NULL) receives the checked object. */
int uf_archive_take(const char *archive_dir, const char *path, uf_input *in, uf_object *obj,
                    uf_error *err);
/* Archives the n files at paths as uf_archive_take would, into ins[i] and
 * objs[i], copying them on every core; but a new object stays in its
 * temporary file while its bytes go to disk, on a thread of its own: objs[i]
 * reads that very file at once, and uf_object_settle makes it the object
 * (fsync, read-only, renamed into place).  The disk's writing then overlaps
 * the reading of the month instead of holding it up.  ins[i].sha256 and
 * .bytes may say what the file was when it was archived last (a month run
 * again): a file of that size is then hashed first, and copied only if it
 * is not those bytes or their object is not good.  Every file is taken
 * that can be: the first fault in their order is *err, and objs[i] of a file
 * not taken has fd -1.  An object never settled is never placed. */
int uf_archive_take_pending(const char *archive_dir, const char *const *paths, uf_input *ins,
                            uf_object *objs, size_t n, uf_error *err);
/* Places obj if it is pending, after checking that its copy was not written
 * to since it was hashed; obj is then the object under its name.  0 when it
 * was not pending. */
int uf_object_settle(const char *archive_dir, uf_object *obj, uf_error *err);
int uf_archive_put_file(const char *archive_dir, const char *path, uf_input *in, uf_error *err);
/* Opens the object sha256 for reading: not through a symbolic link, a
 * regular file, its bytes hash to its name; else an error naming it and
 * what it is (what: "kontakter.csv (extrakt)").  Nothing bad is ever read. */
int uf_archive_open(const char *archive_dir, const char *sha256, const char *what,
                    uf_object *obj, uf_error *err);
/* Opens and checks the objects of the n inputs at once, on every core, as
 * uf_archive_open does one: objs[i] has fd -1 where ins[i]'s is missing or
 * bad (uf_archive_open then says why). */
void uf_archive_open_ahead(const char *archive_dir, const uf_input *ins, size_t n,
                           uf_object *objs);
/* As uf_archive_open, but a bad or missing object is made again from copy
 * (may be NULL) when copy hashes to its name. */
int uf_archive_use(const char *archive_dir, const char *sha256, const char *copy,
                   const char *what, uf_object *obj, uf_error *err);
/* 0 good, 1 missing, 2 bad; why says how (for verify). */
int uf_archive_check(const char *archive_dir, const char *sha256, char *why, size_t n);
/* A pending object is closed without being placed: its copy is removed. */
void uf_object_close(uf_object *obj);
int uf_object_unchanged(const uf_object *obj);
/* The archive as the store ingest's pulls put their payloads in. */
uf_store uf_archive_store(const char *archive_dir);
char *uf_archive_object(const char *archive_dir, const char *sha256); /* its path */
int uf_sha256_file(const char *path, char out[65], long long *bytes, uf_error *err);
int uf_sha256_fd(int fd, const char *path, char out[65], long long *bytes, uf_error *err);


/* publish/record.c — the archive's own record of what was published:
 * arkiv/utgavor/P.jsonl, one line per edition of P in the order they were
 * published, naming its manifest by SHA-256.  The manifest and every output
 * are archive objects too, so an earlier edition is taken from the archive,
 * verified, never from the report folder, which anyone may edit. */
typedef struct {
    char run_time[32]; /* the edition's run time, as in its manifest */
    char manifest[65]; /* SHA-256 of its manifest.json */
} uf_published;

/* Appends one line (fsynced).  Appending a manifest already last is a no-op. */
int uf_published_add(const char *archive_dir, uf_month period, const char *run_time,
                     const char *manifest_sha, uf_error *err);
/* Every edition of period, oldest first; none: 0 with *n == 0. */
int uf_published_list(const char *archive_dir, uf_month period, uf_published **v, size_t *n,
                      uf_error *err);

#endif
