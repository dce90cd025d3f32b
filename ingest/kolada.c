/* ingest/kolada.c — one archived page of Kolada's data API as v3 publishes
 * it (and v2's shape, which differs only in naming the next page next_page):
 *   {"count": N, "values": [{"kpi": "N79173", "municipality": "0007",
 *     "period": 2024, "isdeleted": false,
 *     "values": [{"gender": "K"|"M"|"T", "count": 1, "status": "", "value": 85.0}]}],
 *    "next_url": "..." | null}
 * Only the total (gender T, or the single gender-less value) is kept; a null
 * value stays missing and is never read as 0, with its status; a withdrawn
 * row (isdeleted true) is dropped.  Anything else out of shape is a fault
 * of the page: the comparison is left out (publish/inputs.c). */
#include "ingest/ingest.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void push(uf_kolada *k, const uf_kolada_value *v)
{
    /* Capacity is the next power of two, so it need not be stored. */
    if (k->n >= 16 && (k->n & (k->n - 1)) == 0)
        k->v = uf_xrealloc(k->v, 2 * k->n * sizeof *k->v);
    else if (k->n == 0)
        k->v = uf_xrealloc(k->v, 16 * sizeof *k->v);
    k->v[k->n++] = *v;
}

static int shape_error(uf_error *err, const char *display, size_t i, const char *what)
{
    uf_error_set(err, UF_ERR_NETWORK, display, 0, 0, NULL, "post %zu i \"values\": väntade %s",
                 i + 1, what);
    return -1;
}

/* The total among a row's gender breakdown; NULL when there is none. */
static json_t *total(json_t *values)
{
    json_t *only = NULL, *item;
    size_t i;
    json_array_foreach(values, i, item) {
        const char *g = json_string_value(json_object_get(item, "gender"));
        if (g && strcmp(g, "T") == 0)
            return item;
        if (!g || !*g)
            only = item;
    }
    return json_array_size(values) == 1 ? only : NULL;
}

int uf_kolada_area_ok(const char *s)
{
    /* the county codes of Sweden's 21 regions */
    static const char *const counties[] = {"01", "03", "04", "05", "06", "07", "08",
                                           "09", "10", "12", "13", "14", "17", "18",
                                           "19", "20", "21", "22", "23", "24", "25"};
    if (strlen(s) != 4 || s[0] != '0' || s[1] != '0')
        return 0;
    if (s[2] == '0' && s[3] == '0')
        return 1;
    for (size_t i = 0; i < sizeof counties / sizeof *counties; i++)
        if (counties[i][0] == s[2] && counties[i][1] == s[3])
            return 1;
    return 0;
}

/* The year of "period": an integer, or (v2) a string of four digits. */
static int year_of(json_t *period)
{
    if (json_is_integer(period))
        return json_integer_value(period) >= 1900 && json_integer_value(period) <= 9999
                   ? (int)json_integer_value(period)
                   : 0;
    const char *s = json_string_value(period);
    if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return 0;
    return atoi(s) >= 1900 ? atoi(s) : 0;
}

/* The largest figure taken: Kolada's key figures are shares, rates and
 * counts per inhabitant; a value beyond this is a fault of the page. */
#define MAX_VALUE 1e9

static int parse_row(json_t *row, size_t i, const char *display, uf_kolada *out, uf_error *err)
{
    uf_kolada_value v = {0};
    const char *kpi = json_string_value(json_object_get(row, "kpi"));
    const char *area = json_string_value(json_object_get(row, "municipality"));
    json_t *values = json_object_get(row, "values");
    json_t *deleted = json_object_get(row, "isdeleted");
    if (!kpi || !*kpi || strlen(kpi) >= sizeof v.kpi)
        return shape_error(err, display, i, "\"kpi\" som en kod (N79173)");
    if (!area || !uf_kolada_area_ok(area))
        return shape_error(err, display, i,
                           "\"municipality\" som en av de 21 regionerna (0001–0025) eller "
                           "riket (0000)");
    if (!(v.year = year_of(json_object_get(row, "period"))))
        return shape_error(err, display, i, "\"period\" som ett årtal (ett heltal)");
    if (deleted && !json_is_boolean(deleted))
        return shape_error(err, display, i, "\"isdeleted\" som true eller false");
    if (!json_is_array(values))
        return shape_error(err, display, i, "\"values\" som en lista");
    if (json_is_true(deleted)) /* withdrawn: never a figure */
        return 0;
    snprintf(v.kpi, sizeof v.kpi, "%s", kpi);
    snprintf(v.area, sizeof v.area, "%s", area);
    json_t *t = total(values);
    json_t *value = json_object_get(t, "value");
    const char *status = json_string_value(json_object_get(t, "status"));
    if (status)
        snprintf(v.status, sizeof v.status, "%s", status);
    if (json_is_number(value)) {
        v.value = json_number_value(value);
        v.has_value = 1;
        if (!(v.value >= 0 && v.value <= MAX_VALUE)) {
            char what[80];
            snprintf(what, sizeof what, "\"value\" som ett tal från 0 eller null, fick %.6g",
                     v.value);
            return shape_error(err, display, i, what);
        }
    } else if (value && !json_is_null(value)) {
        return shape_error(err, display, i, "\"value\" som ett tal eller null");
    }
    push(out, &v);
    return 0;
}

int uf_kolada_parse(const char *path, const char *display, uf_kolada *out, char **next,
                    uf_error *err)
{
    *next = NULL;
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (json_error_code(&je) == json_error_cannot_open_file)
            uf_error_set(err, UF_ERR_IO, display, 0, 0, NULL, "kunde inte öppna filen");
        else
            uf_error_set(err, UF_ERR_NETWORK, display, 0, 0, NULL,
                         "ogiltig JSON på rad %d kolumn %d", je.line, je.column);
        return -1;
    }
    int rc = -1;
    json_t *rows = json_object_get(root, "values");
    if (!json_is_array(rows)) {
        uf_error_set(err, UF_ERR_NETWORK, display, 0, 0, NULL,
                     "väntade ett objekt med listan \"values\" (Koladas data-API)");
        goto done;
    }
    json_t *row;
    size_t i;
    json_array_foreach(rows, i, row) {
        if (parse_row(row, i, display, out, err))
            goto done;
    }
    json_t *n = json_object_get(root, "next_url");
    if (!n)
        n = json_object_get(root, "next_page");
    if (json_is_string(n) && *json_string_value(n))
        *next = uf_xstrdup(json_string_value(n));
    else if (n && !json_is_null(n) && !json_is_string(n)) {
        uf_error_set(err, UF_ERR_NETWORK, display, 0, 0, NULL,
                     "väntade \"next_url\" som en adress eller null");
        goto done;
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

void uf_kolada_free(uf_kolada *k)
{
    free(k->v);
    k->v = NULL;
    k->n = 0;
}
