/* ingest/archive.c — the content-addressed archive.  Every input is copied
 * into arkiv/<2 hex>/<62 hex> (SHA-256 of its bytes) before anything parses
 * it, so a run can always be repeated from the archive alone.  An object is
 * written to a temporary file, fsynced and renamed into place, then made
 * read-only: no reader ever sees a partial object, and none is rewritten. */
#include "uppfolj.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { CHUNK = 1 << 20 };

char *uf_archive_object(const char *archive_dir, const char *sha256)
{
    return uf_xasprintf("%s/%.2s/%s", archive_dir, sha256, sha256 + 2);
}

static int make_dir(const char *path, uf_error *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skapa mappen: %s", uf_strerrno(errno));
    return -1;
}

/* Reads fd to the end, hashing every byte and copying it to out (if >= 0). */
static int hash_copy(int fd, int out, const char *path, char hex[65], long long *bytes,
                     uf_error *err)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *buf = uf_xmalloc(CHUNK);
    long long total = 0;
    int rc = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) ? 0 : -1;
    if (rc)
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "SHA-256 kunde inte beräknas");
    while (rc == 0) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte läsa filen: %s",
                         uf_strerrno(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(md, buf, (size_t)n);
        total += n;
        for (ssize_t off = 0; out >= 0 && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                             "kunde inte skriva till arkivet: %s", uf_strerrno(errno));
                rc = -1;
                break;
            }
            off += w;
        }
    }
    if (rc == 0) {
        unsigned char digest[32];
        EVP_DigestFinal_ex(md, digest, NULL);
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", digest[i]);
        *bytes = total;
    }
    free(buf);
    EVP_MD_CTX_free(md);
    return rc;
}

int uf_sha256_file(const char *path, char out[65], long long *bytes, uf_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte öppna filen: %s",
                     uf_strerrno(errno));
        return -1;
    }
    int rc = hash_copy(fd, -1, path, out, bytes, err);
    close(fd);
    return rc;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static void stamp(uf_input *in, const char *path)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(in->fetched, sizeof in->fetched, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(in->origin, sizeof in->origin, "%s", path);
}

int uf_archive_put_file(const char *archive_dir, const char *path, uf_input *in, uf_error *err)
{
    /* Hashing alone is cheap; a re-run's inputs are mostly archived already,
     * so the copy is made only for an object the archive lacks. */
    if (uf_sha256_file(path, in->sha256, &in->bytes, err))
        return -1;
    char *object = uf_archive_object(archive_dir, in->sha256);
    int have = access(object, F_OK) == 0;
    free(object);
    if (have) {
        stamp(in, path);
        return 0;
    }

    char *tmpdir = uf_xasprintf("%s/tmp", archive_dir);
    char *tmp = uf_xasprintf("%s/obj-XXXXXX", tmpdir);
    char *subdir = NULL;
    char copied[65];
    long long bytes;
    int fd = -1, out = -1, rc = -1;

    if (make_dir(archive_dir, err) || make_dir(tmpdir, err))
        goto done;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte öppna filen: %s",
                     uf_strerrno(errno));
        goto done;
    }
    out = mkostemp(tmp, O_CLOEXEC);
    if (out < 0) {
        uf_error_set(err, UF_ERR_IO, tmpdir, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
        goto done;
    }
    if (hash_copy(fd, out, path, copied, &bytes, err))
        goto done;
    if (strcmp(copied, in->sha256) != 0) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL,
                     "filen ändrades medan den arkiverades; kör igen när leveransen är klar");
        goto done;
    }
    if (fsync(out) != 0 || fchmod(out, 0444) != 0) {
        uf_error_set(err, UF_ERR_IO, tmp, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
        goto done;
    }
    close(out);
    out = -1;

    subdir = uf_xasprintf("%s/%.2s", archive_dir, in->sha256);
    object = uf_archive_object(archive_dir, in->sha256);
    if (make_dir(subdir, err)) {
        unlink(tmp);
    } else if (rename(tmp, object) != 0) {
        unlink(tmp);
        uf_error_set(err, UF_ERR_IO, object, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
    } else {
        fsync_dir(subdir);
        stamp(in, path);
        rc = 0;
    }
    free(object);
done:
    if (out >= 0) {
        close(out);
        unlink(tmp);
    }
    if (fd >= 0)
        close(fd);
    free(tmpdir);
    free(tmp);
    free(subdir);
    return rc;
}

int uf_archive_tmpfile(const char *archive_dir, const char *prefix, char **path, uf_error *err)
{
    char *tmpdir = uf_xasprintf("%s/tmp", archive_dir);
    *path = uf_xasprintf("%s/%s-XXXXXX", tmpdir, prefix);
    int fd = -1;
    if (make_dir(archive_dir, err) == 0 && make_dir(tmpdir, err) == 0 &&
        (fd = mkostemp(*path, O_CLOEXEC)) < 0)
        uf_error_set(err, UF_ERR_IO, tmpdir, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
    free(tmpdir);
    if (fd < 0) {
        free(*path);
        *path = NULL;
    }
    return fd;
}

int uf_archive_put_bytes(const char *archive_dir, const void *data, size_t len,
                         const char *origin, uf_input *in, uf_error *err)
{
    char *tmp;
    int fd = uf_archive_tmpfile(archive_dir, "obj", &tmp, err);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    int rc = f && fwrite(data, 1, len, f) == len ? 0 : -1;
    if ((f ? fclose(f) : close(fd)) != 0)
        rc = -1;
    if (rc)
        uf_error_set(err, UF_ERR_IO, tmp, 0, 0, NULL, "kunde inte skriva till arkivet: %s",
                     uf_strerrno(errno));
    if (rc == 0 && (rc = uf_archive_put_file(archive_dir, tmp, in, err)) == 0)
        snprintf(in->origin, sizeof in->origin, "%s", origin);
    unlink(tmp);
    free(tmp);
    return rc;
}

json_t *uf_input_to_json(const uf_input *in)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "role", in->role, "name", in->name,
                          "origin", in->origin, "fetched", in->fetched, "bytes",
                          (json_int_t)in->bytes, "sha256", in->sha256);
    if (in->http_status)
        json_object_set_new(j, "http_status", json_integer(in->http_status));
    if (in->edition[0])
        json_object_set_new(j, "edition", json_string(in->edition));
    return j;
}

int uf_input_from_json(const json_t *j, uf_input *in)
{
    const char *role, *name, *origin, *fetched, *sha, *edition = "";
    json_int_t bytes, status = 0;
    memset(in, 0, sizeof *in);
    if (json_unpack((json_t *)j, "{s:s, s:s, s:s, s:s, s:I, s:s, s?:I, s?:s}", "role", &role,
                    "name", &name, "origin", &origin, "fetched", &fetched, "bytes", &bytes,
                    "sha256", &sha, "http_status", &status, "edition", &edition) != 0 ||
        strlen(sha) != 64)
        return -1;
    snprintf(in->role, sizeof in->role, "%s", role);
    snprintf(in->name, sizeof in->name, "%s", name);
    snprintf(in->origin, sizeof in->origin, "%s", origin);
    snprintf(in->fetched, sizeof in->fetched, "%s", fetched);
    snprintf(in->sha256, sizeof in->sha256, "%s", sha);
    snprintf(in->edition, sizeof in->edition, "%s", edition);
    in->bytes = bytes;
    in->http_status = (long)status;
    return 0;
}

static char *index_path(const char *archive_dir, uf_month period)
{
    char p[8];
    uf_month_format(period, p);
    return uf_xasprintf("%s/hamtat/%s.json", archive_dir, p);
}

int uf_archive_index_write(const char *archive_dir, uf_month period, const uf_input *in,
                           size_t n, uf_error *err)
{
    char *dir = uf_xasprintf("%s/hamtat", archive_dir);
    char *path = index_path(archive_dir, period);
    char *tmp = uf_xasprintf("%s.tmp", path);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, uf_input_to_json(&in[i]));
    int rc = make_dir(archive_dir, err) || make_dir(dir, err) ? -1 : 0;
    /* Written aside and renamed, so a reader sees the old index or the new. */
    if (rc == 0 && (json_dump_file(list, tmp, JSON_INDENT(2)) != 0 || rename(tmp, path) != 0)) {
        uf_error_set(err, UF_ERR_IO, path, 0, 0, NULL, "kunde inte skriva hämtningsindexet: %s",
                     uf_strerrno(errno));
        unlink(tmp);
        rc = -1;
    }
    json_decref(list);
    free(dir);
    free(path);
    free(tmp);
    return rc;
}

int uf_archive_index_read(const char *archive_dir, uf_month period, uf_input **in, size_t *n,
                          uf_error *err)
{
    char *path = index_path(archive_dir, period);
    *in = NULL;
    *n = 0;
    int rc = 0;
    if (access(path, F_OK) == 0) {
        json_error_t je;
        json_t *list = json_load_file(path, 0, &je);
        size_t count = json_array_size(list);
        *in = uf_xcalloc(count, sizeof **in);
        for (size_t i = 0; i < count && rc == 0; i++)
            rc = uf_input_from_json(json_array_get(list, i), &(*in)[i]);
        if (!json_is_array(list) || rc) {
            uf_error_set(err, UF_ERR_CONFIG, path, 0, 0, NULL,
                         "hämtningsindexet är skadat; kör `uppfolj fetch` för perioden igen");
            free(*in);
            *in = NULL;
            rc = -1;
        } else {
            *n = count;
        }
        json_decref(list);
    }
    free(path);
    return rc;
}
