/* ingest/indicators.c — indicator definitions as data: indicators/<id>.json
 * for the built-in ones and a region's own folder for the rest, so that an
 * indicator delivered ready-counted in aggregat.csv needs no C at all. */
#include "json.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"procent", "antal", "index", NULL};
static const char *const direction_names[] = {"hogre", "lagre", NULL};
static const char *const aggregation_names[] = {"summa", "senaste", NULL};
static const char *const n_names[] = {"namnare", "taljare", NULL};
static const char *const derivation_names[UF_DER__COUNT + 1] = {
    [UF_DER_BEDOMNING_3D] = "bedomning_3d",
    [UF_DER_TELEFON_SAMMA_DAG] = "telefon_samma_dag",
    [UF_DER_FAST_LAKARKONTAKT] = "fast_lakarkontakt",
    [UF_DER_FAST_LAKARKONTAKT_SABO] = "fast_lakarkontakt_sabo",
    [UF_DER_LISTADE_PER_FAST_LAKARE] = "listade_per_fast_lakare",
    [UF_DER_KONTINUITET_COC] = "kontinuitet_coc",
    [UF_DER_KONTINUITET_UPC] = "kontinuitet_upc",
    [UF_DER_AGGREGAT] = "aggregat",
};
/* The extract each derivation reads (SPEC "Inputs"): a definition naming
 * another file is a typo, not a new source. */
static const char *const derivation_sources[UF_DER__COUNT] = {
    [UF_DER_BEDOMNING_3D] = "kontakter.csv",
    [UF_DER_TELEFON_SAMMA_DAG] = "samtal.csv",
    [UF_DER_FAST_LAKARKONTAKT] = "listning.csv",
    [UF_DER_FAST_LAKARKONTAKT_SABO] = "listning.csv",
    [UF_DER_LISTADE_PER_FAST_LAKARE] = "listning.csv",
    [UF_DER_KONTINUITET_COC] = "besok.csv",
    [UF_DER_KONTINUITET_UPC] = "besok.csv",
    [UF_DER_AGGREGAT] = "aggregat.csv",
};
static const int default_decimals[] = {
    [UF_KIND_PERCENT] = 1, [UF_KIND_COUNT] = 0, [UF_KIND_INDEX] = 2};
enum { DEFAULT_ORDER = 1000 }; /* a region's own indicators come after the built-in ones */

const char *uf_derivation_source(uf_derivation d)
{
    return d < UF_DER__COUNT ? derivation_sources[d] : NULL;
}

const char *uf_derivation_name(uf_derivation d)
{
    return d < UF_DER__COUNT ? derivation_names[d] : "?";
}

static void indicator_free(uf_indicator *ind)
{
    free(ind->id);
    free(ind->name);
    free(ind->short_name);
    free(ind->description);
    free(ind->source);
    free(ind->path);
    free(ind->subgroup_of);
}

/* Excel's rules for sheet names, since short_name becomes one. */
static const char *short_name_problem(const char *s)
{
    size_t chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (chars > 31)
        return "får vara högst 31 tecken (Excel-flikens namn)";
    if (strpbrk(s, "[]:*?/\\"))
        return "får inte innehålla något av tecknen [ ] : * ? / \\ (Excel-flikens namn)";
    if (s[0] == '\'' || s[strlen(s) - 1] == '\'')
        return "får inte börja eller sluta med apostrof (Excel-flikens namn)";
    return NULL;
}

static int id_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int read_definition(const uf_jnode *r, const char *file_id, uf_indicator *ind, uf_error *err)
{
    static const char *const keys[] = {"id",          "name",     "short_name", "description",
                                       "source",      "kind",     "direction",  "derivation",
                                       "aggregation", "decimals", "min_n",      "n",
                                       "tolerance",   "order",    "subgroup_of", NULL};
    int kind = 0, direction = 0, derivation = 0, aggregation = UF_AGG_SUM, n_num = 0;
    long decimals = -1, min_n = 20, order = DEFAULT_ORDER;
    ind->tolerance = 0.05;
    if (uf_jnode_object(r, keys, err) < 0 || uf_jnode_string(r, "id", 1, &ind->id, err) < 0 ||
        uf_jnode_string(r, "name", 1, &ind->name, err) < 0 ||
        uf_jnode_string(r, "short_name", 1, &ind->short_name, err) < 0 ||
        uf_jnode_string(r, "description", 0, &ind->description, err) < 0 ||
        uf_jnode_string(r, "source", 1, &ind->source, err) < 0 ||
        uf_jnode_enum(r, "kind", 1, kind_names, &kind, err) < 0 ||
        uf_jnode_enum(r, "direction", 0, direction_names, &direction, err) < 0 ||
        uf_jnode_enum(r, "derivation", 1, derivation_names, &derivation, err) < 0 ||
        uf_jnode_enum(r, "aggregation", 0, aggregation_names, &aggregation, err) < 0 ||
        uf_jnode_long(r, "decimals", 0, 0, 6, &decimals, err) < 0 ||
        uf_jnode_long(r, "min_n", 0, 0, 1000000000L, &min_n, err) < 0 ||
        uf_jnode_enum(r, "n", 0, n_names, &n_num, err) < 0 ||
        uf_jnode_number(r, "tolerance", 0, &ind->tolerance, err) < 0 ||
        uf_jnode_long(r, "order", 0, -1000000, 1000000, &order, err) < 0 ||
        uf_jnode_string(r, "subgroup_of", 0, &ind->subgroup_of, err) < 0)
        return -1;
    uf_jnode_where(r, "subgroup_of", &ind->subgroup_line, &ind->subgroup_column);
    if (strcmp(ind->id, file_id) != 0) {
        uf_jnode_fail(r, "id", err, "id \"%s\" ska vara detsamma som filens namn (%s.json)",
                      ind->id, file_id);
        return -1;
    }
    if (!id_ok(ind->id)) {
        uf_jnode_fail(r, "id", err, "id får bara innehålla a-z, 0-9 och _");
        return -1;
    }
    const char *problem = short_name_problem(ind->short_name);
    if (problem) {
        uf_jnode_fail(r, "short_name", err, "short_name %s", problem);
        return -1;
    }
    if (strcmp(ind->source, derivation_sources[derivation]) != 0) {
        uf_jnode_fail(r, "source", err, "härledningen %s läser %s, inte %s",
                      derivation_names[derivation], derivation_sources[derivation], ind->source);
        return -1;
    }
    if (!(ind->tolerance >= 0 && ind->tolerance < 1)) {
        uf_jnode_fail(r, "tolerance", err,
                      "tolerance ska vara en andel från 0 till under 1, t.ex. 0.05");
        return -1;
    }
    if (!ind->description)
        ind->description = uf_xstrdup("");
    ind->kind = (uf_kind)kind;
    ind->direction = direction == 0 ? 1 : -1;
    ind->derivation = (uf_derivation)derivation;
    ind->aggregation = (uf_aggregation)aggregation;
    ind->decimals = decimals >= 0 ? (int)decimals : default_decimals[kind];
    ind->min_n = min_n;
    ind->n_is_numerator = n_num;
    ind->order = (int)order;
    return 0;
}

static int load_file(const char *dir, const char *name, uf_indicator *ind, uf_error *err)
{
    memset(ind, 0, sizeof *ind);
    ind->path = uf_xasprintf("%s/%s", dir, name);
    char *file_id = uf_xstrndup(name, strlen(name) - 5); /* without ".json" */
    uf_jdoc doc;
    int rc = uf_jdoc_load(&doc, ind->path, err);
    if (rc == 0) {
        uf_jnode root = uf_jdoc_root(&doc);
        rc = read_definition(&root, file_id, ind, err);
        uf_jdoc_free(&doc);
    }
    free(file_id);
    if (rc < 0)
        indicator_free(ind);
    return rc;
}

static int is_definition(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

/* Adds dir's definitions to out; one with an id already there replaces it.
 * The built-in ones come with the program: without them it is not fully
 * installed (exit 1), which is no fault in the region's input (exit 3). */
static int load_dir(const char *dir, int builtin, uf_indicators *out, uf_error *err)
{
    struct dirent **names;
    int count = scandir(dir, &names, is_definition, alphasort);
    if (builtin && count <= 0) {
        uf_error_set(err, UF_ERR_IO, dir, 0, 0, NULL,
                     "de inbyggda indikatordefinitionerna %s: uppfolj är inte fullständigt "
                     "installerat (UPPFOLJ_INDICATORS kan ange mappen)",
                     count == 0 ? "saknas i mappen" : "kan inte läsas");
        if (count == 0)
            free(names);
        return -1;
    }
    if (count < 0) {
        uf_error_set(err, errno == ENOENT ? UF_ERR_CONFIG : UF_ERR_IO, dir, 0, 0, NULL,
                     errno == ENOENT ? "mappen med indikatordefinitioner finns inte"
                                     : "kunde inte läsa mappen med indikatordefinitioner");
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < count; i++) {
        uf_indicator ind;
        if (rc == 0 && load_file(dir, names[i]->d_name, &ind, err) == 0) {
            size_t j = 0;
            while (j < out->n && strcmp(out->v[j].id, ind.id) != 0)
                j++;
            if (j == out->n)
                out->v = uf_xrealloc(out->v, ++out->n * sizeof *out->v);
            else
                indicator_free(&out->v[j]);
            out->v[j] = ind;
        } else {
            rc = -1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int by_order(const void *a, const void *b)
{
    const uf_indicator *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* A subgroup names the group whose population holds its own: secondary
 * suppression (compute/suppress.c) keeps the group minus the subgroup from
 * giving back a hidden figure. */
static int subgroups_check(uf_indicators *inds, uf_error *err)
{
    for (size_t i = 0; i < inds->n; i++) {
        const uf_indicator *ind = &inds->v[i];
        const uf_indicator *g = ind->subgroup_of ? uf_indicators_find(inds, ind->subgroup_of) : NULL;
        if (ind->subgroup_of && (!g || g == ind || g->subgroup_of)) {
            uf_error_set(err, UF_ERR_CONFIG, ind->path, ind->subgroup_line, ind->subgroup_column,
                         "subgroup_of",
                         "subgroup_of \"%s\" %s; väntade id för en annan indikator, som inte "
                         "själv är en undergrupp, vars population rymmer denna (t.ex. "
                         "fast_lakarkontakt)",
                         ind->subgroup_of, !g ? "finns inte" : g == ind ? "är indikatorn själv"
                                                                       : "är själv en undergrupp");
            uf_indicators_free(inds);
            return -1;
        }
    }
    return 0;
}

int uf_indicators_load(const char *builtin_dir, const char *extra_dir, uf_indicators *out,
                       uf_error *err)
{
    memset(out, 0, sizeof *out);
    if (load_dir(builtin_dir, 1, out, err) < 0 ||
        (extra_dir && load_dir(extra_dir, 0, out, err) < 0)) {
        uf_indicators_free(out);
        return -1;
    }
    qsort(out->v, out->n, sizeof *out->v, by_order);
    return subgroups_check(out, err);
}

const uf_indicator *uf_indicators_find(const uf_indicators *inds, const char *id)
{
    for (size_t i = 0; i < inds->n; i++)
        if (strcmp(inds->v[i].id, id) == 0)
            return &inds->v[i];
    return NULL;
}

void uf_indicators_free(uf_indicators *inds)
{
    for (size_t i = 0; i < inds->n; i++)
        indicator_free(&inds->v[i]);
    free(inds->v);
    inds->v = NULL;
    inds->n = 0;
}
