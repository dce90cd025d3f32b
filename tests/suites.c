/* tests/suites.c — the data-driven cases under tests/suites/, one folder a
 * case, as jansson's test/suites: SUITE/invalid/CASE holds an input that a
 * real loader must refuse and `error`, the one line uppfolj prints for it;
 * SUITE/valid/CASE holds an input it must accept and `expected`, what it
 * read.  Usage: suites PATH...  where each PATH is a case, a suite or a
 * folder of suites; every case found is one TAP line, so one case can be run
 * alone (suites tests/suites/config/invalid/unknown_key).  The line is
 * uf_error_print's, less "uppfolj: ", with the case's folder left out of the
 * file name: what a controller reads, so a case checks line, column, column
 * name and wording at once. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testfile.h"
#include "ingest/ingest.h"

/* The contents of dir/name (malloc'ed), or NULL when there is none. */
static char *case_file(const char *dir, const char *name)
{
    char *path = uf_xasprintf("%s/%s", dir, name);
    char *text = testfile_read(path);
    free(path);
    return text;
}

/* ------------------------------------------------------------ the loaders */

/* Each returns 0 when the case's input is accepted (having written what it
 * read to out, if the suite has valid cases) and -1 when it is refused,
 * with err filled; *broken names a promise the loader broke on the way
 * (what it must leave behind after a refusal). */
typedef int (*load_fn)(const char *dir, FILE *out, uf_error *err, const char **broken);

/* uppfolj.json, and then its owners against the built-in indicators, as
 * `uppfolj check` does: an owner of an indicator that does not exist is an
 * error in the config. */
static int load_config(const char *dir, FILE *out, uf_error *err, const char **broken)
{
    (void)out;
    char *path = uf_xasprintf("%s/uppfolj.json", dir);
    uf_config cfg = {0};
    int rc = uf_config_load(path, &cfg, err);
    free(path);
    if (rc < 0) {
        if (cfg.path)
            *broken = "the refused config was not freed";
        return -1;
    }
    rc = uf_config_check_owners(&cfg, testfile_inds(), err);
    uf_config_free(&cfg);
    return rc;
}

static int load_targets(const char *dir, FILE *out, uf_error *err, const char **broken)
{
    (void)out;
    char *path = uf_xasprintf("%s/targets.json", dir);
    uf_targets t = {0};
    int rc = uf_targets_load(path, testfile_inds(), &t, NULL, err);
    free(path);
    if (rc < 0 && t.n)
        *broken = "refused targets were left behind";
    if (rc == 0)
        uf_targets_free(&t);
    return rc;
}

/* kommentarer/2024-08.json */
static int load_comments(const char *dir, FILE *out, uf_error *err, const char **broken)
{
    (void)out;
    char *path = uf_xasprintf("%s/2024-08.json", dir);
    uf_comments c = {0};
    int rc = uf_comments_load(path, NULL, testfile_inds(), &c, NULL, err);
    free(path);
    if (rc < 0 && c.n)
        *broken = "refused comments were left behind";
    if (rc == 0)
        uf_comments_free(&c);
    return rc;
}

/* The case's folder is a region's own indicator folder (egen.json, say),
 * read after the built-in definitions. */
static int load_indicators(const char *dir, FILE *out, uf_error *err, const char **broken)
{
    (void)out;
    uf_indicators inds = {0};
    int rc = uf_indicators_load(UF_INDICATORS_DIR, dir, &inds, err);
    if (rc < 0 && inds.n)
        *broken = "refused definitions were left behind";
    if (rc == 0)
        uf_indicators_free(&inds);
    return rc;
}

/* input.csv with the columns in `columns`, one a line: the canonical name,
 * then "required" and/or "id", then "= Header" for the name the file uses
 * (a rename, as config "columns" makes); without the file, a and b, both
 * required. */
typedef struct {
    uf_column cols[16];
    uf_rename renames[16];
    size_t ncols, nrenames;
    char *text; /* the file, which names and headers point into */
} columns;

static int columns_read(const char *dir, columns *c)
{
    memset(c, 0, sizeof *c);
    c->text = case_file(dir, "columns");
    if (!c->text) {
        c->cols[0] = (uf_column){"a", UF_COL_REQUIRED};
        c->cols[1] = (uf_column){"b", UF_COL_REQUIRED};
        c->ncols = 2;
        return 0;
    }
    char *lines, *words;
    for (char *line = strtok_r(c->text, "\n", &lines); line; line = strtok_r(NULL, "\n", &lines)) {
        if (c->ncols == sizeof c->cols / sizeof *c->cols)
            return -1;
        char *header = strstr(line, " = ");
        if (header)
            *header = '\0';
        uf_column *col = &c->cols[c->ncols++];
        col->name = strtok_r(line, " ", &words);
        if (!col->name)
            return -1;
        for (char *w = strtok_r(NULL, " ", &words); w; w = strtok_r(NULL, " ", &words)) {
            if (strcmp(w, "required") == 0)
                col->flags |= UF_COL_REQUIRED;
            else if (strcmp(w, "id") == 0)
                col->flags |= UF_COL_ID;
            else
                return -1;
        }
        if (header)
            c->renames[c->nrenames++] = (uf_rename){col->name, header + 3};
    }
    return 0;
}

/* A field as a C string literal would spell it, so that line breaks, tabs
 * and quotes in it show. */
static void put_field(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", out);
        else if (ch == '\r')
            fputs("\\r", out);
        else if (ch == '\t')
            fputs("\\t", out);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(out, "\\x%02x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

/* Every row: the line it starts on, then each column's field; "-" for a
 * column the file does not have. */
static int load_csv(const char *dir, FILE *out, uf_error *err, const char **broken)
{
    columns c;
    if (columns_read(dir, &c) < 0) {
        free(c.text);
        *broken = "the columns file is malformed";
        return -1;
    }
    char *path = uf_xasprintf("%s/input.csv", dir);
    uf_csv *csv = uf_csv_open(path, "input.csv", c.cols, c.ncols, c.renames, c.nrenames, err);
    free(path);
    int rc = csv ? 1 : -1;
    while (csv && (rc = uf_csv_next(csv, err)) == 1) {
        fprintf(out, "%ld:", uf_csv_line(csv));
        for (size_t i = 0; i < c.ncols; i++) {
            size_t len;
            const char *v = uf_csv_get(csv, i, &len);
            fputc(' ', out);
            if (uf_csv_has(csv, i))
                put_field(out, v, len);
            else
                fputc('-', out);
        }
        fputc('\n', out);
    }
    const uf_issue *hollow = csv ? uf_csv_hollow_rows(csv) : NULL;
    if (hollow && hollow->count) {
        fprintf(out, "hollow %ld:", hollow->count);
        for (int i = 0; i < hollow->nlines; i++)
            fprintf(out, " %ld", hollow->lines[i]);
        fputc('\n', out);
    }
    uf_csv_close(csv);
    free(c.text);
    return rc;
}

/* -------------------------------------------------------------- the runner */

static const struct suite {
    const char *name; /* the folder under tests/suites */
    load_fn load;
    uf_code code;  /* what every refusal of this input is */
    int by_path;   /* messages name the file by the path it was given */
    int has_valid; /* the loader writes what it read, for valid/ cases */
} suites[] = {
    {"config", load_config, UF_ERR_CONFIG, 1, 0},
    {"targets", load_targets, UF_ERR_CONFIG, 1, 0},
    {"comments", load_comments, UF_ERR_CONFIG, 1, 0},
    {"indicators", load_indicators, UF_ERR_CONFIG, 1, 0},
    {"csv", load_csv, UF_ERR_INPUT, 0, 1}, /* by the name it is known by: "input.csv" */
};

static int ncases, nfailed;

/* One TAP line; on failure what was wanted and what came, as comments. */
static void report(const char *name, const char *why, const char *want, const char *got)
{
    ncases++;
    if (!why) {
        printf("ok %d - %s\n", ncases, name);
        return;
    }
    nfailed++;
    printf("not ok %d - %s\n# %s\n", ncases, name, why);
    const char *label[2] = {"want: ", "got:  "}, *text[2] = {want, got};
    for (int k = 0; k < 2; k++) {
        if (!text[k])
            continue;
        printf("# %s", label[k]);
        for (const char *p = text[k]; *p; p++) {
            putchar(*p);
            if (*p == '\n' && p[1])
                printf("#       ");
        }
        if (!*text[k] || text[k][strlen(text[k]) - 1] != '\n')
            putchar('\n');
    }
}

/* The source names a file in the case's folder by the path it was given. */
static int in_folder(const char *dir, const char *source)
{
    size_t n = strlen(dir);
    return strncmp(source, dir, n) == 0 && source[n] == '/';
}

/* The error as uppfolj prints it, less "uppfolj: ", naming the case's files
 * by their names within its folder. */
static char *error_line(const char *dir, uf_error err)
{
    size_t n = strlen(dir);
    if (in_folder(dir, err.source)) {
        char rest[sizeof err.source];
        snprintf(rest, sizeof rest, "%s", err.source + n + 1);
        snprintf(err.source, sizeof err.source, "%s", rest);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    uf_error_print(&err, mem);
    fclose(mem);
    const char *prefix = "uppfolj: ";
    if (strncmp(buf, prefix, strlen(prefix)) == 0)
        memmove(buf, buf + strlen(prefix), len - strlen(prefix) + 1);
    return buf;
}

static void run_case(const struct suite *s, int valid, const char *dir, const char *name)
{
    char *want = case_file(dir, valid ? "expected" : "error");
    if (!want) {
        report(name, valid ? "no file `expected` in the case" : "no file `error` in the case",
               NULL, NULL);
        return;
    }
    uf_error err = {0};
    const char *broken = NULL;
    char *read = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&read, &len);
    int rc = s->load(dir, out, &err, &broken);
    fclose(out);
    char *got = rc < 0 ? error_line(dir, err) : NULL;
    if (broken)
        report(name, broken, NULL, NULL);
    else if (valid && rc < 0)
        report(name, "refused", want, got);
    else if (valid)
        report(name, strcmp(read, want) ? "read something else" : NULL, want, read);
    else if (rc == 0)
        report(name, "accepted", want, NULL);
    else if (err.code != s->code)
        report(name, "refused with another code", uf_strerror(s->code), uf_strerror(err.code));
    else if (s->by_path && !in_folder(dir, err.source))
        report(name, "the message names the file otherwise than by the path given", dir,
               err.source);
    else
        report(name, strcmp(got, want) ? "refused with another message" : NULL, want, got);
    free(got);
    free(read);
    free(want);
}

/* The name of the folder k levels above path (0: path's own), "" when
 * there are not so many; malloc'ed. */
static char *name_above(const char *path, int k)
{
    char *p = uf_xstrdup(path);
    char *slash;
    for (; k > 0; k--) {
        slash = strrchr(p, '/');
        if (!slash) {
            p[0] = '\0';
            break;
        }
        *slash = '\0';
    }
    slash = strrchr(p, '/');
    char *name = uf_xstrdup(slash ? slash + 1 : p);
    free(p);
    return name;
}

/* The sub-folders of dir, sorted, as paths; NULL-terminated. */
static char **subfolders(const char *dir)
{
    struct dirent **v = NULL;
    int n = scandir(dir, &v, NULL, alphasort); /* -1: none, and v untouched */
    char **out = uf_xcalloc((size_t)(n > 0 ? n : 0) + 1, sizeof *out);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        char *path = uf_xasprintf("%s/%s", dir, v[i]->d_name);
        struct stat st;
        if (v[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            out[k++] = path;
        else
            free(path);
        free(v[i]);
    }
    free(v);
    return out;
}

/* A folder in a suite's valid/ or invalid/ is a case; any other folder is
 * looked through, and one with nothing in it to look at is a misplaced
 * case (invalid/ misspelt, say), reported rather than passed over. */
static void walk(const char *dir)
{
    char *kind = name_above(dir, 1), *suite = name_above(dir, 2), *leaf = name_above(dir, 0);
    int valid = strcmp(kind, "valid") == 0;
    if (valid || strcmp(kind, "invalid") == 0) {
        char *name = uf_xasprintf("%s/%s/%s", suite, kind, leaf);
        const struct suite *s = NULL;
        for (size_t i = 0; i < sizeof suites / sizeof *suites; i++)
            if (strcmp(suites[i].name, suite) == 0)
                s = &suites[i];
        if (!s)
            report(name, "no loader for this suite in tests/suites.c", NULL, NULL);
        else if (valid && !s->has_valid)
            report(name, "this suite has no valid cases in tests/suites.c", NULL, NULL);
        else
            run_case(s, valid, dir, name);
        free(name);
    } else {
        char **sub = subfolders(dir);
        if (!*sub)
            report(dir, "not in a suite's valid/ or invalid/, and no folder of cases", NULL,
                   NULL);
        for (char **p = sub; *p; p++) {
            walk(*p);
            free(*p);
        }
        free(sub);
    }
    free(kind);
    free(suite);
    free(leaf);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: suites PATH... (a case, a suite or tests/suites)\n");
        return 2;
    }
    if (testfile_builtins(NULL) < 0) {
        printf("Bail out! the built-in indicators in %s cannot be read\n", UF_INDICATORS_DIR);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        int before = ncases;
        char *dir = uf_xstrdup(argv[i]);
        for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
            dir[n - 1] = '\0';
        walk(dir);
        if (ncases == before) /* a runner that finds nothing must not pass */
            report(dir, "no case found here", NULL, NULL);
        free(dir);
    }
    printf("1..%d\n", ncases);
    testfile_builtins_free(NULL);
    return nfailed ? 1 : 0;
}
