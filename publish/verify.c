/* publish/verify.c — the auditor's check of a published report folder:
 * every output against its manifest, every input against the archive. */
#include "publish/archive.h"
#include "publish/editions.h"
#include "publish/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int open_in(int dfd, const char *name)
{
    return openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
}

/* One output of the folder open as dfd: 1 line printed when it is not as
 * recorded. */
static int check_output(int dfd, const char *name, const char *want, FILE *out)
{
    char got[65];
    long long bytes;
    uf_error err = {0};
    int fd = strchr(name, '/') ? -1 : open_in(dfd, name);
    struct stat st;
    int ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
             uf_sha256_fd(fd, name, got, &bytes, &err) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        fprintf(out, "SAKNAS   %-10s %s\n", "utdata", name);
        return 1;
    }
    if (strcmp(got, want) != 0) {
        fprintf(out, "ÄNDRAD   %-10s %s: SHA-256 är %s, manifestet säger %s\n", "utdata", name, got,
                want);
        return 1;
    }
    return 0;
}

/* A file in the folder that the manifest does not name is a difference too. */
static int unlisted(int dfd, const uf_manifest *m, FILE *out)
{
    int bad = 0;
    DIR *d = fdopendir(dup(dfd));
    for (struct dirent *f; d && (f = readdir(d));) {
        int known = f->d_name[0] == '.' || strcmp(f->d_name, uf_manifest_name) == 0 ||
                    strcmp(f->d_name, uf_publish_earlier) == 0;
        for (size_t i = 0; i < m->noutputs; i++)
            known |= strcmp(f->d_name, m->outputs[i].name ?: "") == 0;
        if (!known) {
            fprintf(out, "OLISTAD  %-10s %s finns i mappen men inte i manifestet\n", "utdata",
                    f->d_name);
            bad++;
        }
    }
    if (d)
        closedir(d);
    return bad;
}

static int check_inputs(const char *archive, const uf_manifest *m, FILE *out)
{
    int bad = 0;
    for (size_t i = 0; i < m->ninputs; i++) {
        const uf_input *in = &m->inputs[i].in;
        if (!m->inputs[i].complete) {
            fprintf(out, "FEL      %-10s post %zu i manifestets indata är ofullständig\n",
                    "indata", i + 1);
            bad++;
            continue;
        }
        char why[200], pruned[160];
        int state = uf_archive_check(archive, in->sha256, why, sizeof why);
        if (state == 1 && uf_archive_pruned(archive, in->sha256, pruned, sizeof pruned)) {
            /* gone by the retention rule, not lost: said, not a difference */
            fprintf(out, "GALLRAD  %-10s %s (%s): gallrad %s\n", "indata", in->name, in->role,
                    pruned);
        } else if (state) {
            char *object = uf_archive_object(archive, in->sha256);
            fprintf(out, "%s   %-10s %s (%s): %s (%s)\n", state == 1 ? "SAKNAS" : "ÄNDRAD",
                    "indata", in->name, in->role, why, object);
            free(object);
            bad++;
        }
    }
    return bad;
}

/* Whether the archive records the manifest sha as a published edition of
 * m's period: 1 yes, 0 no, -1 the archive keeps no record of the period. */
static int recorded(const char *archive, const uf_manifest *m, const char *sha)
{
    uf_published *v = NULL;
    size_t n = 0;
    uf_error err = {0};
    if (!m->period_ok || uf_published_list(archive, m->period, &v, &n, &err) != 0 || n == 0)
        return -1;
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(v[i].manifest, sha) == 0;
    free(v);
    return found;
}

/* The folder is opened once and every file read through it, so that a run
 * publishing a new edition meanwhile cannot mix two editions: verify sees
 * the one that was there when it began. */
int uf_verify(const char *dir, const char *archive_dir, FILE *out, uf_error *err)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL, "kunde inte öppna mappen: %s",
                     uf_strerrno(errno));
        return -1;
    }
    int mfd = open_in(dfd, uf_manifest_name);
    uf_manifest m;
    int rc = uf_manifest_load_fd(mfd, dir, &m, err);
    if (mfd >= 0)
        close(mfd);
    if (rc) {
        close(dfd);
        return -1;
    }
    const char *archive = archive_dir ? archive_dir : m.archive;
    if (!archive || !m.has_outputs || !m.has_inputs) {
        uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL,
                     "manifestet saknar arkiv, indata eller utdata");
        uf_manifest_free(&m);
        close(dfd);
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < m.noutputs; i++) {
        const uf_manifest_output *o = &m.outputs[i];
        bad += !o->name || !o->sha256 || check_output(dfd, o->name, o->sha256, out);
    }
    bad += unlisted(dfd, &m, out) + check_inputs(archive, &m, out);
    /* Which edition this is, by the archive's record (informative: an
     * edition published before the record was kept is not in it). */
    char sha[65];
    long long bytes;
    mfd = open_in(dfd, uf_manifest_name);
    if (mfd >= 0 && uf_sha256_fd(mfd, dir, sha, &bytes, err) == 0) {
        int r = recorded(archive, &m, sha);
        fprintf(out, "%s\n",
                r > 0    ? "manifestet finns i arkivets förteckning över publicerade utgåvor"
                : r == 0 ? "manifestet finns INTE i arkivets förteckning över publicerade utgåvor"
                         : "arkivet har ingen förteckning över periodens utgåvor");
    }
    if (mfd >= 0)
        close(mfd);
    fprintf(out, "%s: %zu utdata och %zu indata kontrollerade, %d %s\n", dir, m.noutputs,
            m.ninputs, bad, bad == 1 ? "avvikelse" : "avvikelser");
    uf_manifest_free(&m);
    close(dfd);
    return bad ? 1 : 0;
}

int uf_verify_tree(const char *dir, uf_month from, uf_month to, const char *archive_dir,
                   FILE *out, uf_error *err)
{
    uf_tree_edition *v;
    size_t n, periods = 0;
    if (uf_tree_editions(dir, from, to, &v, &n, err))
        return -1;
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        periods += i == 0 || v[i].period != v[i - 1].period;
        uf_error one = {0};
        int rc = uf_verify(v[i].dir, archive_dir, out, &one);
        if (rc < 0) /* this edition cannot be checked; the others still are */
            fprintf(out, "FEL      %-10s %s: %s\n", "manifest", v[i].dir, one.text);
        failed += rc != 0;
    }
    if (n > 1)
        fprintf(out, "Sammanfattning: %zu utgåvor av %zu perioder kontrollerade, %d med "
                     "avvikelser\n",
                n, periods, failed);
    uf_tree_editions_free(v, n);
    return failed ? 1 : 0;
}
