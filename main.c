/* main.c — the command line.  Everything else is in ingest/, compute/ and
 * render/; this file parses options and wires the parts for each verb. */
#include "uppfolj.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef UF_INDICATORS_DIR
#define UF_INDICATORS_DIR "indicators"
#endif

/* The extracts SPEC knows, in the order they are read. */
static const char *const extract_names[] = {"enheter.csv",  "kontakter.csv", "samtal.csv",
                                            "listning.csv", "besok.csv",     "aggregat.csv"};
enum { NEXTRACTS = sizeof extract_names / sizeof *extract_names };

static const char usage_text[] =
    "Användning: uppfolj KOMMANDO [FLAGGOR]\n"
    "\n"
    "  run      [--config FIL] [--period ÅÅÅÅ-MM] [--offline]\n"
    "                                              hämta, beräkna och publicera månadens rapport\n"
    "  fetch    [--config FIL] [--period ÅÅÅÅ-MM]   hämta källorna till arkivet, inget mer\n"
    "  compute  [--config FIL] [--period ÅÅÅÅ-MM] [--indicator ID] [--data MAPP]\n"
    "                                              skriv resultatraderna på standard ut\n"
    "  check    [--config FIL] [--period ÅÅÅÅ-MM] [--strict]\n"
    "                                              kontrollera inställningar och extrakt\n"
    "  generate --out MAPP [--units N] [--patients N] [--months N] [--seed N] [--period ÅÅÅÅ-MM]\n"
    "                                              skapa en syntetisk region\n"
    "\n"
    "Förvald period är förra månaden; förvald inställningsfil är uppfolj.json.\n"
    "`uppfolj KOMMANDO --help` visar kommandots flaggor.\n"
    "Slutkoder: 0 klart, 1 körningen misslyckades, 2 felaktigt kommando, 3 indata avvisades.\n";

static const char *const verb_help[][2] = {
    {"run", "Användning: uppfolj run [--config FIL] [--period ÅÅÅÅ-MM] [--offline] [--quiet]\n"
            "Hämtar källorna, arkiverar indata, beräknar indikatorerna, jämför med målen och\n"
            "publicerar rapporter/PERIOD/ med arbetsbok, PDF, resultatfil och manifest.\n"
            "Med --offline hämtas inget: det som senast hämtades för perioden används.\n"},
    {"fetch", "Användning: uppfolj fetch [--config FIL] [--period ÅÅÅÅ-MM] [--quiet]\n"
              "Hämtar inställningarnas källor (datalager, Kolada) för perioden till arkivet\n"
              "utan att beräkna något; `run --offline` använder sedan det hämtade.\n"},
    {"compute", "Användning: uppfolj compute [--config FIL | --data MAPP] [--period ÅÅÅÅ-MM]\n"
                "                            [--indicator ID]\n"
                "Skriver resultatraderna (indikator;enhet_id;period;taljare;namnare;varde;mal;\n"
                "status) på standard ut, utan undertryckning. Med --data läses extrakten direkt\n"
                "ur MAPP utan inställningsfil; indikatorer vars extrakt saknas hoppas över.\n"},
    {"check", "Användning: uppfolj check [--config FIL] [--period ÅÅÅÅ-MM] [--strict]\n"
              "Läser inställningar, mål, kommentarer och extrakt och rapporterar fel och\n"
              "datakvalitetsproblem utan att skriva något. Med --strict blir varningar fel.\n"},
    {"generate", "Användning: uppfolj generate --out MAPP [--units N] [--patients N] [--months N]\n"
                 "                             [--seed N] [--period ÅÅÅÅ-MM]\n"
                 "Skapar syntetiska extrakt för en region (förval: 30 enheter, 200 000\n"
                 "patienter, 30 månader besök, frö 1). Samma frö ger samma filer.\n"},
};

typedef struct {
    const char *verb;
    const char *config;
    const char *period;
    const char *indicator;
    const char *data;
    const char *out;
    const char *units, *patients, *months, *seed;
    int strict;
    int offline;
} options;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("uppfolj: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nSe `uppfolj --help`.\n", stderr);
    return 2;
}

static int fail(const uf_error *err)
{
    uf_progress_done();
    uf_error_print(err, stderr);
    return uf_exit_code(err->code);
}

static int parse_options(int argc, char **argv, options *o)
{
    enum { O_CONFIG = 256, O_PERIOD, O_INDICATOR, O_DATA, O_OUT, O_UNITS, O_PATIENTS,
           O_MONTHS, O_SEED, O_STRICT, O_OFFLINE, O_QUIET, O_HELP };
    static const struct option longopts[] = {
        {"config", required_argument, 0, O_CONFIG},   {"period", required_argument, 0, O_PERIOD},
        {"indicator", required_argument, 0, O_INDICATOR}, {"data", required_argument, 0, O_DATA},
        {"out", required_argument, 0, O_OUT},         {"units", required_argument, 0, O_UNITS},
        {"patients", required_argument, 0, O_PATIENTS}, {"months", required_argument, 0, O_MONTHS},
        {"seed", required_argument, 0, O_SEED},       {"strict", no_argument, 0, O_STRICT},
        {"offline", no_argument, 0, O_OFFLINE},       {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, O_HELP},
        {0, 0, 0, 0}};
    /* Which options each verb takes: a stray one is a usage error, not ignored. */
    static const struct {
        const char *verb;
        const char *allowed;
    } takes[] = {
        {"run", "config period offline quiet"},
        {"fetch", "config period quiet"},
        {"compute", "config period indicator data quiet"},
        {"check", "config period strict quiet"},
        {"generate", "out units patients months seed period quiet"},
    };
    const char *allowed = NULL;
    for (size_t i = 0; i < sizeof takes / sizeof *takes; i++)
        if (strcmp(takes[i].verb, o->verb) == 0)
            allowed = takes[i].allowed;
    if (!allowed)
        return usage_error("okänt kommando \"%s\"", o->verb);

    opterr = 0;
    optind = 2;
    int c, idx = 0;
    while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
        if (c == '?')
            return usage_error("okänd eller ofullständig flagga \"%s\"", argv[optind - 1]);
        const char *name = longopts[idx].name;
        if (c == O_HELP) {
            for (size_t i = 0; i < sizeof verb_help / sizeof *verb_help; i++)
                if (strcmp(verb_help[i][0], o->verb) == 0)
                    fputs(verb_help[i][1], stdout);
            exit(0);
        }
        if (!strstr(allowed, name))
            return usage_error("flaggan --%s hör inte till detta kommando", name);
        switch (c) {
        case O_CONFIG: o->config = optarg; break;
        case O_PERIOD: o->period = optarg; break;
        case O_INDICATOR: o->indicator = optarg; break;
        case O_DATA: o->data = optarg; break;
        case O_OUT: o->out = optarg; break;
        case O_UNITS: o->units = optarg; break;
        case O_PATIENTS: o->patients = optarg; break;
        case O_MONTHS: o->months = optarg; break;
        case O_SEED: o->seed = optarg; break;
        case O_STRICT: o->strict = 1; break;
        case O_OFFLINE: o->offline = 1; break;
        case O_QUIET: uf_quiet = 1; break;
        }
    }
    if (optind < argc)
        return usage_error("oväntat argument \"%s\"", argv[optind]);
    return 0;
}

/* The month before today, in Europe/Stockholm (TZ is set in main). */
static uf_month previous_month(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return uf_month_make(tm.tm_year + 1900, tm.tm_mon + 1) - 1;
}

static int parse_period(const options *o, uf_month *out)
{
    if (!o->period) {
        *out = previous_month();
        return 0;
    }
    if (uf_month_parse(o->period, out) != 0)
        return usage_error("perioden ska skrivas ÅÅÅÅ-MM, till exempel 2024-08, inte \"%s\"",
                           o->period);
    return 0;
}

static int parse_count(const char *text, const char *flag, long lo, long hi, long *out)
{
    if (!text)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < lo || v > hi) {
        fprintf(stderr, "uppfolj: --%s ska vara ett heltal mellan %ld och %ld, inte \"%s\"\n",
                flag, lo, hi, text);
        return 2;
    }
    *out = v;
    return 0;
}

/* Run time of a run: SOURCE_DATE_EPOCH when set (reproducible builds' convention). */
static int64_t run_time(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (!*end && v >= 0)
            return v;
    }
    return (int64_t)time(NULL);
}

/* Everything one month's report is made of. */
typedef struct {
    uf_config cfg;
    int have_cfg;
    uf_indicators inds;
    uf_targets targets;
    uf_comments comments;
    uf_month period;
    char *extract_dir;
    uf_extract extracts[NEXTRACTS];
    char *extract_paths[NEXTRACTS];
    size_t nextracts;
    uf_input *inputs;
    size_t ninputs;
    uf_kolada kolada;
    uf_report report;
} month;

static void month_free(month *m)
{
    if (m->have_cfg)
        uf_config_free(&m->cfg);
    uf_indicators_free(&m->inds);
    uf_targets_free(&m->targets);
    uf_comments_free(&m->comments);
    uf_report_free(&m->report);
    uf_kolada_free(&m->kolada);
    for (size_t i = 0; i < m->nextracts; i++)
        free(m->extract_paths[i]);
    free(m->extract_dir);
    free(m->inputs);
}

/* Archives path (when archive is set) and records it as an input of the run. */
static int add_input(month *m, const char *archive, const char *role, const char *name,
                     const char *path, char **read_from, uf_error *err)
{
    m->inputs = uf_xrealloc(m->inputs, (m->ninputs + 1) * sizeof *m->inputs);
    uf_input *in = &m->inputs[m->ninputs];
    memset(in, 0, sizeof *in);
    snprintf(in->role, sizeof in->role, "%s", role);
    snprintf(in->name, sizeof in->name, "%s", name);
    if (!archive) {
        if (read_from)
            *read_from = uf_xstrdup(path);
        return 0;
    }
    if (uf_archive_put_file(archive, path, in, err))
        return -1;
    m->ninputs++;
    if (read_from)
        *read_from = uf_archive_object(archive, in->sha256);
    return 0;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int have_extract(const month *m, const char *name)
{
    for (size_t i = 0; i < m->nextracts; i++)
        if (strcmp(m->extracts[i].name, name) == 0)
            return 1;
    return 0;
}

/* Finds the extracts in dir that were not pulled over HTTP; with an archive,
 * stores each one first and reads it from there, so what is computed is
 * exactly what was archived. */
static int collect_extracts(month *m, const char *dir, const char *archive, uf_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (m->nextracts > 0)
            return 0; /* everything came over HTTP */
        uf_error_set(err, UF_ERR_INPUT, dir, 0, 0, NULL,
                     "mappen med extrakt för perioden finns inte");
        return -1;
    }
    for (size_t i = 0; i < NEXTRACTS; i++) {
        if (have_extract(m, extract_names[i]))
            continue;
        char *path = uf_xasprintf("%s/%s", dir, extract_names[i]);
        int rc = 0;
        if (file_exists(path)) {
            if (archive)
                uf_progress("arkiverar %s", extract_names[i]);
            rc = add_input(m, archive, "extrakt", extract_names[i], path,
                           &m->extract_paths[m->nextracts], err);
            if (rc == 0) {
                m->extracts[m->nextracts].name = extract_names[i];
                m->extracts[m->nextracts].path = m->extract_paths[m->nextracts];
                m->nextracts++;
            }
        }
        free(path);
        if (rc)
            return -1;
    }
    uf_progress_done();
    return 0;
}

/* What the sources delivered for the period: pulled now (fetch_now), or
 * what the latest fetch left in the archive's index.  Pulled extracts are
 * read from their archive objects; Kolada pages become comparison figures. */
static int take_pulled(month *m, int fetch_now, uf_error *err)
{
    const char *archive = m->cfg.archive;
    uf_input *pulled = NULL;
    size_t npulled = 0;
    if (fetch_now && m->cfg.nsources > 0) {
        uf_log("hämtar %zu källor", m->cfg.nsources);
        if (uf_fetch_sources(&m->cfg, m->period, &pulled, &npulled, err) ||
            uf_archive_index_write(archive, m->period, pulled, npulled, err)) {
            free(pulled);
            return -1;
        }
    } else if (uf_archive_index_read(archive, m->period, &pulled, &npulled, err)) {
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < npulled && rc == 0; i++) {
        const uf_input *in = &pulled[i];
        char *object = uf_archive_object(archive, in->sha256);
        if (strcmp(in->role, "kolada") == 0) {
            char *next = NULL;
            rc = uf_kolada_parse(object, in->origin, &m->kolada, &next, err);
            free(next);
            free(object);
        } else {
            size_t k = 0;
            while (k < NEXTRACTS && strcmp(extract_names[k], in->name) != 0)
                k++;
            if (k == NEXTRACTS || have_extract(m, in->name)) {
                free(object);
                continue;
            }
            m->extracts[m->nextracts].name = extract_names[k];
            m->extracts[m->nextracts].path = m->extract_paths[m->nextracts] = object;
            m->nextracts++;
        }
        m->inputs = uf_xrealloc(m->inputs, (m->ninputs + 1) * sizeof *m->inputs);
        m->inputs[m->ninputs++] = *in;
    }
    /* Say plainly what an offline run lacks; the extracts folder may still have it. */
    for (size_t i = 0; i < m->cfg.nsources && !fetch_now; i++) {
        const uf_source *s = &m->cfg.sources[i];
        int kolada = strcmp(s->kind, "kolada") == 0, found = 0;
        for (size_t j = 0; j < npulled; j++)
            found |= kolada ? strcmp(pulled[j].role, "kolada") == 0
                            : s->file && strcmp(pulled[j].name, s->file) == 0;
        if (!found)
            uf_log("källan %s är inte hämtad för perioden%s", s->id,
                   kolada ? "; rapporten får ingen jämförelse från Kolada"
                          : "; extraktmappen används om filen finns där");
    }
    free(pulled);
    return rc;
}

/* Reads the config (or, with --data, nothing: defaults). */
static int load_config(month *m, const options *o, uf_error *err)
{
    if (o->data && o->config) {
        uf_error_set(err, UF_ERR_USAGE, NULL, 0, 0, NULL,
                     "ange antingen --config eller --data, inte båda");
        return -1;
    }
    if (o->data)
        return 0;
    if (uf_config_load(o->config ? o->config : "uppfolj.json", &m->cfg, err))
        return -1;
    m->have_cfg = 1;
    return 0;
}

/* Takes in definitions, targets, comments and extracts.  With an archive,
 * every file is archived as it is taken in. */
static int load_inputs(month *m, const options *o, const char *archive, int fetch_now,
                       uf_error *err)
{
    if (!m->have_cfg) {
        if (uf_indicators_load(UF_INDICATORS_DIR, NULL, &m->inds, err))
            return -1;
        return collect_extracts(m, o->data, NULL, err);
    }
    if (add_input(m, archive, "config", "uppfolj.json", m->cfg.path, NULL, err) ||
        uf_indicators_load(UF_INDICATORS_DIR, m->cfg.indicators, &m->inds, err) ||
        uf_config_check_owners(&m->cfg, &m->inds, err))
        return -1;
    for (size_t i = 0; i < m->inds.n; i++) {
        const char *p = m->inds.v[i].path;
        const char *base = strrchr(p, '/');
        if (add_input(m, archive, "indikator", base ? base + 1 : p, p, NULL, err))
            return -1;
    }
    if (add_input(m, archive, "targets", "targets.json", m->cfg.targets, NULL, err) ||
        uf_targets_load(m->cfg.targets, &m->inds, &m->targets, err))
        return -1;
    if (m->cfg.comments) {
        char p[8];
        uf_month_format(m->period, p);
        char *path = uf_xasprintf("%s/%s.json", m->cfg.comments, p);
        int rc = 0;
        if (file_exists(path))
            rc = add_input(m, archive, "kommentarer", strrchr(path, '/') + 1, path, NULL, err);
        if (rc == 0)
            rc = uf_comments_load(path, &m->inds, &m->comments, err);
        free(path);
        if (rc)
            return -1;
    }
    if (take_pulled(m, fetch_now, err))
        return -1;
    m->extract_dir = uf_config_expand(m->cfg.extracts, m->period);
    return collect_extracts(m, m->extract_dir, archive, err);
}

static int compute_month(month *m, const options *o, int skip_missing, uf_error *err)
{
    if (o->indicator && !uf_indicators_find(&m->inds, o->indicator)) {
        uf_error_set(err, UF_ERR_USAGE, NULL, 0, 0, NULL, "okänd indikator \"%s\"",
                     o->indicator);
        return -1;
    }
    uf_compute_in in = {
        .period = m->period,
        .extracts = m->extracts,
        .nextracts = m->nextracts,
        .cfg = m->have_cfg ? &m->cfg : NULL,
        .inds = &m->inds,
        .targets = m->have_cfg ? &m->targets : NULL,
        .only = o->indicator,
        .skip_missing = skip_missing,
    };
    return uf_compute(&in, &m->report, err);
}

static uf_doc month_doc(const month *m, int64_t when)
{
    return (uf_doc){.report = &m->report,
                    .cfg = m->have_cfg ? &m->cfg : NULL,
                    .inds = &m->inds,
                    .targets = &m->targets,
                    .comments = &m->comments,
                    .run_time = when,
                    .inputs = m->inputs,
                    .ninputs = m->ninputs,
                    .kolada = m->kolada.n ? &m->kolada : NULL};
}

static int cmd_compute(const options *o)
{
    month m = {0};
    uf_error err = {0};
    int rc = parse_period(o, &m.period);
    if (rc)
        return rc;
    if (load_config(&m, o, &err) || load_inputs(&m, o, NULL, 0, &err) ||
        compute_month(&m, o, o->data != NULL, &err)) {
        month_free(&m);
        return fail(&err);
    }
    uf_doc d = month_doc(&m, run_time());
    rc = uf_render_resultat(&d, stdout, 1, &err) ? fail(&err) : 0;
    month_free(&m);
    return rc;
}

static int cmd_check(const options *o)
{
    month m = {0};
    uf_error err = {0};
    int rc = parse_period(o, &m.period);
    if (rc)
        return rc;
    if (load_config(&m, o, &err) || load_inputs(&m, o, NULL, 0, &err) ||
        compute_month(&m, o, 0, &err)) {
        month_free(&m);
        return fail(&err);
    }
    long findings = 0;
    for (size_t i = 0; i < m.report.nissues; i++) {
        const uf_issue *is = &m.report.issues[i];
        fprintf(stderr, "uppfolj: varning: %s: %s (%ld st)\n", is->file, is->reason, is->count);
        findings++;
    }
    char p[8];
    uf_month_format(m.period, p);
    printf("%s: %zu indikatorer, %zu enheter, %zu extrakt, %ld datakvalitetsfynd\n", p, m.inds.n,
           m.report.nunits, m.nextracts, findings);
    month_free(&m);
    return o->strict && findings ? 3 : 0;
}

/* Writes the four attachments into stage. */
static int render_all(const month *m, const char *stage, const uf_doc *d, uf_error *err)
{
    char p[8];
    uf_month_format(m->period, p);
    char *resultat = uf_xasprintf("%s/resultat-%s.csv", stage, p);
    char *xlsx = uf_xasprintf("%s/uppfolj-%s.xlsx", stage, p);
    char *pdf = uf_xasprintf("%s/uppfolj-%s.pdf", stage, p);
    int rc = -1;
    FILE *f = fopen(resultat, "w");
    if (!f) {
        uf_error_set(err, UF_ERR_IO, resultat, 0, 0, NULL, "kunde inte skriva filen: %s",
                     strerror(errno));
        goto done;
    }
    int bad = uf_render_resultat(d, f, 0, err);
    if (fclose(f) != 0 && !bad) {
        uf_error_set(err, UF_ERR_IO, resultat, 0, 0, NULL, "kunde inte skriva filen: %s",
                     strerror(errno));
        bad = 1;
    }
    if (bad)
        goto done;
    uf_log("skriver arbetsboken");
    if (uf_render_xlsx(d, xlsx, err))
        goto done;
    uf_log("skriver PDF-rapporten");
    if (uf_render_pdf(d, pdf, err))
        goto done;
    rc = uf_publish_manifest(stage, d, err);
done:
    free(resultat);
    free(xlsx);
    free(pdf);
    return rc;
}

static int cmd_run(const options *o)
{
    month m = {0};
    uf_error err = {0};
    int rc = parse_period(o, &m.period);
    if (rc)
        return rc;
    int64_t when = run_time();
    char p[8];
    uf_month_format(m.period, p);
    char *stage = NULL, *published = NULL;
    int lock = -1;

    if (load_config(&m, o, &err))
        return fail(&err);
    if (uf_publish_lock(m.cfg.reports, m.period, &lock, &err)) {
        month_free(&m);
        return fail(&err);
    }
    uf_log("period %s: arkiverar och läser indata", p);
    if (load_inputs(&m, o, m.cfg.archive, !o->offline, &err))
        goto failed;
    uf_log("beräknar %zu indikatorer för %zu extrakt", m.inds.n, m.nextracts);
    if (compute_month(&m, o, 0, &err))
        goto failed;
    stage = uf_publish_stage(m.cfg.reports, m.period, &err);
    uf_doc d = month_doc(&m, when);
    if (!stage || render_all(&m, stage, &d, &err) ||
        uf_publish_commit(stage, m.cfg.reports, m.period, &published, &err))
        goto failed;
    uf_log("klart");
    printf("Rapporten för %s %d är publicerad i %s/\n", uf_month_name_sv(uf_month_number(m.period)),
           uf_month_year(m.period), published);
    printf("  %s/uppfolj-%s.xlsx\n  %s/uppfolj-%s.pdf\n  %s/resultat-%s.csv\n  %s/manifest.json\n",
           published, p, published, p, published, p, published);
    free(stage);
    free(published);
    month_free(&m);
    close(lock);
    return 0;
failed:
    if (stage && !published)
        uf_publish_abandon(stage);
    free(stage);
    free(published);
    month_free(&m);
    close(lock);
    uf_error_print(&err, stderr);
    fputs("uppfolj: ingenting publicerades\n", stderr);
    return uf_exit_code(err.code);
}

static int cmd_fetch(const options *o)
{
    month m = {0};
    uf_error err = {0};
    int lock = -1, rc = parse_period(o, &m.period);
    if (rc)
        return rc;
    if (load_config(&m, o, &err))
        return fail(&err);
    rc = uf_publish_lock(m.cfg.reports, m.period, &lock, &err) || take_pulled(&m, 1, &err);
    if (rc == 0) {
        long long bytes = 0;
        for (size_t i = 0; i < m.ninputs; i++)
            bytes += m.inputs[i].bytes;
        char p[8];
        uf_month_format(m.period, p);
        printf("Hämtade %zu filer (%lld byte) för %s till %s/\n", m.ninputs, bytes, p,
               m.cfg.archive);
    }
    if (lock >= 0)
        close(lock);
    month_free(&m);
    return rc ? fail(&err) : 0;
}

static int cmd_generate(const options *o)
{
    long units = 30, patients = 200000, months = 30, seed = 1;
    if (!o->out)
        return usage_error("%s", "generate behöver --out MAPP");
    if (parse_count(o->units, "units", 1, 99999, &units) ||
        parse_count(o->patients, "patients", 1, 100000000, &patients) ||
        parse_count(o->months, "months", 13, 120, &months) ||
        parse_count(o->seed, "seed", 0, 2147483647L, &seed))
        return 2;
    uf_gen_opts g = {.out_dir = o->out, .units = units, .patients = patients,
                     .months = (int)months, .seed = (uint64_t)seed};
    int rc = 0;
    if ((rc = parse_period(o, &g.period)))
        return rc;
    uf_error err = {0};
    if (uf_generate(&g, &err))
        return fail(&err);
    return 0;
}

int main(int argc, char **argv)
{
    /* Dates in documents and the default period are Swedish local time,
     * whatever the machine's zone; LC_NUMERIC stays "C" (see README). */
    setenv("TZ", "Europe/Stockholm", 1);
    tzset();

    if (argc < 2)
        return fputs(usage_text, stderr), 2;
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return fputs(usage_text, stdout), 0;
    if (strcmp(argv[1], "--version") == 0)
        return puts("uppfolj " UF_VERSION), 0;

    options o = {.verb = argv[1]};
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    if (strcmp(o.verb, "run") == 0)
        return cmd_run(&o);
    if (strcmp(o.verb, "fetch") == 0)
        return cmd_fetch(&o);
    if (strcmp(o.verb, "compute") == 0)
        return cmd_compute(&o);
    if (strcmp(o.verb, "check") == 0)
        return cmd_check(&o);
    return cmd_generate(&o);
}
