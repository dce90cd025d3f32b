/* publish/pull.c — a period's sources pulled into the archive, and the fetch
 * index arkiv/hamtat/P.json that says what the latest pull brought, so that
 * `run --offline` uses exactly that.  ingest/fetch.c does the pulling; it is
 * handed the archive as a uf_store and never knows it otherwise. */
#include "publish/inputs.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

static char *index_path(const char *archive_dir, uf_month period)
{
    char p[8];
    uf_month_format(period, p);
    return uf_xasprintf("%s/hamtat/%s.json", archive_dir, p);
}

static int index_write(const char *archive_dir, uf_month period, const uf_input *in,
                       size_t n, uf_error *err)
{
    char *dir = uf_xasprintf("%s/hamtat", archive_dir);
    char *path = index_path(archive_dir, period);
    char *tmp = uf_xasprintf("%s.tmp", path);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, uf_input_to_json(&in[i]));
    int rc = uf_mkdir(archive_dir, err) || uf_mkdir(dir, err) ? -1 : 0;
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

int uf_pull_index_read(const char *archive_dir, uf_month period, uf_input **in, size_t *n,
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

int uf_pull(const uf_config *cfg, uf_month period, uf_input **pulled, size_t *n, uf_error *err)
{
    uf_store st = uf_archive_store(cfg->archive);
    *pulled = NULL;
    *n = 0;
    if (uf_fetch_sources(cfg, period, &st, pulled, n, err) == 0 &&
        index_write(cfg->archive, period, *pulled, *n, err) == 0)
        return 0;
    free(*pulled);
    *pulled = NULL;
    *n = 0;
    return -1;
}
