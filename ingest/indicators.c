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
    free(ind->kolada_kpi);
    free(ind->national_goal);
    for (size_t i = 0; i < ind->nkolada_breaks; i++)
        free(ind->kolada_breaks[i].note);
    free(ind->kolada_breaks);
    uf_strings_free(ind->params.professions, ind->params.nprofessions);
    free(ind->params.subgroup);
    free(ind->params.scope);
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

/* ------------------------------------------------------------ parameters */

/* The flags of an extract that may name a subgroup or a scope (SPEC "Inputs"). */
static const char *const listing_flags[] = {"sabo", NULL};
static const char *const contact_flags[] = {"vardgaranti", NULL};

static const char all_professions[] = "alla";
static const char doctor[] = "läkare";

/* "professions": "alla", or a list of yrke. */
static int read_professions(const uf_jnode *p, uf_params *out, uf_error *err)
{
    uf_jnode v = uf_jnode_get(p, "professions");
    if (!v.v) {
        out->professions = uf_xcalloc(1, sizeof *out->professions);
        out->professions[0] = uf_xstrdup(doctor);
        out->nprofessions = 1;
        return 0;
    }
    if (json_is_string(v.v) && strcmp(json_string_value(v.v), all_professions) == 0)
        return 0;
    if (!json_is_array(v.v) || json_array_size(v.v) == 0) {
        uf_jnode_fail(p, "professions", err,
                      "nyckeln \"professions\" ska vara \"alla\" eller en lista av yrken, "
                      "t.ex. [\"läkare\"]");
        return -1;
    }
    return uf_jnode_strings(p, "professions", 1, &out->professions, &out->nprofessions, err);
}

static int read_continuity(const uf_jnode *p, uf_params *out, uf_error *err)
{
    static const char *const keys[] = {"professions", "subgroup", "window_months", "min_visits",
                                       NULL};
    long window = out->window, min = out->min_visits;
    int subgroup = -1;
    if (!p->v) /* the defaults: doctors, 18 months, 2 visits */
        return read_professions(p, out, err);
    if (uf_jnode_object(p, keys, err) < 0 || read_professions(p, out, err) < 0 ||
        uf_jnode_enum(p, "subgroup", 0, listing_flags, &subgroup, err) < 0 ||
        uf_jnode_long(p, "window_months", 0, 1, UF_WINDOW_MAX, &window, err) < 0 ||
        uf_jnode_long(p, "min_visits", 0, 2, 100000, &min, err) < 0)
        return -1;
    out->window = (int)window;
    out->min_visits = (int)min;
    if (subgroup >= 0)
        out->subgroup = uf_xstrdup(listing_flags[subgroup]);
    return 0;
}

static int read_assessment(const uf_jnode *p, uf_params *out, uf_error *err)
{
    static const char *const keys[] = {"denominator", "scope", NULL};
    static const char *const denominators[] = {"kontakter", "bedomda", NULL};
    int scope = -1;
    if (uf_jnode_object(p, keys, err) < 0 ||
        uf_jnode_enum(p, "denominator", 0, denominators, &out->completed_only, err) < 0 ||
        uf_jnode_enum(p, "scope", 0, contact_flags, &scope, err) < 0)
        return -1;
    if (scope >= 0)
        out->scope = uf_xstrdup(contact_flags[scope]);
    return 0;
}

static int read_per_gp(const uf_jnode *p, uf_params *out, uf_error *err)
{
    static const char *const keys[] = {"doctors", NULL};
    static const char *const doctors[] = {"antal", "heltid", NULL};
    return uf_jnode_object(p, keys, err) < 0 ||
                   uf_jnode_enum(p, "doctors", 0, doctors, &out->per_fte, err) < 0
               ? -1
               : 0;
}

/* The parameters of derivation d, with their defaults when "parameters" is
 * left out; a derivation that takes none refuses the key. */
static int read_params(const uf_jnode *r, uf_derivation d, uf_params *out, uf_error *err)
{
    uf_jnode p = uf_jnode_get(r, "parameters");
    out->window = 18;
    out->min_visits = 2;
    int continuity = d == UF_DER_KONTINUITET_COC || d == UF_DER_KONTINUITET_UPC;
    if (!p.v && !continuity)
        return 0;
    if (continuity)
        return read_continuity(&p, out, err);
    if (d == UF_DER_BEDOMNING_3D)
        return read_assessment(&p, out, err);
    if (d == UF_DER_LISTADE_PER_FAST_LAKARE)
        return read_per_gp(&p, out, err);
    uf_jnode_fail(r, "parameters", err, "härledningen %s tar inga parametrar",
                  uf_derivation_name(d));
    return -1;
}

static int same_strings(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb || !a != !b)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

static int same_string(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

int uf_params_equal(const uf_params *a, const uf_params *b)
{
    return same_strings(a->professions, a->nprofessions, b->professions, b->nprofessions) &&
           same_string(a->subgroup, b->subgroup) && a->window == b->window &&
           a->min_visits == b->min_visits && a->completed_only == b->completed_only &&
           same_string(a->scope, b->scope) && a->per_fte == b->per_fte;
}

const char *uf_indicator_needs(const uf_indicator *ind)
{
    return ind->derivation == UF_DER_LISTADE_PER_FAST_LAKARE && ind->params.per_fte
               ? "lakare.csv"
               : NULL;
}

/* ------------------------------------------------------------ Kolada facts */

/* A KPI goes into Kolada's URL path: letters and digits ("N79173"). */
static int kpi_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n < 16 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789") == n;
}

static int read_breaks(const uf_jnode *r, uf_indicator *ind, uf_error *err)
{
    static const char *const keys[] = {"year", "note", NULL};
    uf_jnode list = uf_jnode_get(r, "kolada_breaks");
    if (!list.v)
        return 0;
    if (uf_jnode_array(&list, err) < 0)
        return -1;
    size_t n = json_array_size(list.v);
    ind->kolada_breaks = uf_xcalloc(n ? n : 1, sizeof *ind->kolada_breaks);
    for (size_t i = 0; i < n; i++) {
        uf_jnode b = uf_jnode_at(&list, i);
        uf_kolada_break *kb = &ind->kolada_breaks[ind->nkolada_breaks];
        long year = 0;
        if (uf_jnode_object(&b, keys, err) < 0 ||
            uf_jnode_long(&b, "year", 1, 1900, 9999, &year, err) < 0 ||
            uf_jnode_string(&b, "note", 1, &kb->note, err) < 0)
            return -1;
        kb->year = (int)year;
        ind->nkolada_breaks++;
    }
    return 0;
}

/* A text that may be left out but, when given, is not "". */
static int optional_text(const uf_jnode *r, const char *key, char **out, uf_error *err)
{
    return uf_jnode_string(r, key, json_object_get(r->v, key) != NULL, out, err);
}

static int read_facts(const uf_jnode *r, uf_indicator *ind, uf_error *err)
{
    /* A percentage is a share of counts unless it says otherwise; a mean
     * of the patients' shares (UPC) is not. */
    ind->share = ind->kind == UF_KIND_PERCENT && ind->derivation != UF_DER_KONTINUITET_UPC;
    if (optional_text(r, "kolada_kpi", &ind->kolada_kpi, err) < 0 ||
        uf_jnode_bool(r, "share", 0, &ind->share, err) < 0 ||
        optional_text(r, "national_goal", &ind->national_goal, err) < 0 ||
        read_breaks(r, ind, err) < 0)
        return -1;
    if (ind->kolada_kpi && !kpi_ok(ind->kolada_kpi)) {
        uf_jnode_fail(r, "kolada_kpi", err,
                      "kolada_kpi ska vara Koladas kod för nyckeltalet, bokstäver och siffror "
                      "(t.ex. \"N79173\")");
        return -1;
    }
    if (ind->nkolada_breaks && !ind->kolada_kpi) {
        uf_jnode_fail(r, "kolada_breaks", err, "kolada_breaks gäller kolada_kpi, som saknas");
        return -1;
    }
    if (ind->share && ind->kind != UF_KIND_PERCENT) {
        uf_jnode_fail(r, "share", err,
                      "share (en andel med konfidensintervall) gäller bara kind \"procent\"");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ definitions */

static int read_definition(const uf_jnode *r, const char *file_id, uf_indicator *ind, uf_error *err)
{
    static const char *const keys[] = {"id",          "name",       "short_name", "description",
                                       "source",      "kind",       "direction",  "derivation",
                                       "aggregation", "decimals",   "min_n",      "n",
                                       "tolerance",   "order",      "parameters", "kolada_kpi",
                                       "kolada_breaks", "share",    "national_goal", "subgroup_of",
                                       NULL};
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
    return read_params(r, ind->derivation, &ind->params, err) < 0 || read_facts(r, ind, err) < 0
               ? -1
               : 0;
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
