/* main.c — the command line, and only that: one table of verbs, as git's
 * git.c has, says for each what it takes (options, its operand), what
 * `--help` says of it and which function does it; the functions wire
 * publish/, compute/ and render/ together.  Every usage error goes out
 * through one place, and this is the only file that ends the program
 * (core/alloc.c's uf_out_of_memory asks it to). */
#include "compute/compute.h"
#include "generate/generate.h"
#include "ingest/ingest.h"
#include "publish/publish.h"
#include "render/render.h"

#include "config.h" /* UF_INDICATORS_DIR: where meson installs the built-in definitions */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    const char *config, *period, *indicator, *data, *out, *units, *patients, *months, *seed,
        *archive, *from, *to, *by, *decision, *older_than, *ids, *order, *visits;
    int strict, offline, force, apply, quiet, help;
    const char *operand; /* rerun MANIFEST, verify RAPPORTMAPP, history/approve PERIOD */
    const char *verb;
} options;

/* Every option, once: its name, its value as messages name it (NULL for a
 * switch) and where it goes. */
static const struct opt {
    const char *name;
    const char *value;
    size_t field;
} opts[] = {
    {"config", "FIL", offsetof(options, config)},
    {"period", "ÅÅÅÅ-MM", offsetof(options, period)},
    {"indicator", "ID", offsetof(options, indicator)},
    {"data", "MAPP", offsetof(options, data)},
    {"out", "MAPP", offsetof(options, out)},
    {"units", "N", offsetof(options, units)},
    {"patients", "N", offsetof(options, patients)},
    {"months", "N", offsetof(options, months)},
    {"seed", "N", offsetof(options, seed)},
    {"ids", "hex|numeric", offsetof(options, ids)},
    {"order", "month|patient", offsetof(options, order)},
    {"visits", "PROCENT", offsetof(options, visits)},
    {"archive", "MAPP", offsetof(options, archive)},
    {"from", "ÅÅÅÅ-MM", offsetof(options, from)},
    {"to", "ÅÅÅÅ-MM", offsetof(options, to)},
    {"by", "NAMN", offsetof(options, by)},
    {"decision", "BESLUT", offsetof(options, decision)},
    {"force", NULL, offsetof(options, force)},
    {"older-than", "MÅNADER", offsetof(options, older_than)},
    {"apply", NULL, offsetof(options, apply)},
    {"strict", NULL, offsetof(options, strict)},
    {"offline", NULL, offsetof(options, offline)},
    {"quiet", NULL, offsetof(options, quiet)},
    {"help", NULL, offsetof(options, help)}, /* every verb takes it */
};
enum { NOPTS = sizeof opts / sizeof *opts, OPT_BASE = 256 };

static int cmd_run(const options *o);
static int cmd_approve(const options *o);
static int cmd_fetch(const options *o);
static int cmd_compute(const options *o);
static int cmd_check(const options *o);
static int cmd_rerun(const options *o);
static int cmd_verify(const options *o);
static int cmd_history(const options *o);
static int cmd_archive(const options *o);
static int cmd_generate(const options *o);

/* The verbs, in the order `uppfolj --help` lists them.  options: the long
 * options a verb takes, whole words (any other is a usage error, not
 * ignored); operand: what its one operand is; required: the option it
 * cannot run without. */
static const struct verb {
    const char *name;
    const char *options;
    const char *operand;
    const char *required;
    const char *summary; /* its lines in `uppfolj --help` */
    const char *help;    /* `uppfolj VERB --help` */
    int (*run)(const options *o);
    int operand_optional;
} verbs[] = {
    {"run", "config period from to offline force quiet", NULL, NULL,
     "  run      [--config FIL] [--period ÅÅÅÅ-MM | --from ÅÅÅÅ-MM --to ÅÅÅÅ-MM] [--offline]\n"
     "           [--force]                          hämta, beräkna och publicera månadens rapport\n",
     "Användning: uppfolj run [--config FIL] [--period ÅÅÅÅ-MM | --from ÅÅÅÅ-MM --to ÅÅÅÅ-MM]\n"
     "                        [--offline] [--force] [--quiet]\n"
     "Hämtar källorna, arkiverar indata, beräknar indikatorerna, jämför med målen och\n"
     "publicerar en ny utgåva i rapporter/PERIOD/ med arbetsbok, PDF, resultatfil och\n"
     "manifest. Är indata byte för byte desamma som den gällande utgåvans publiceras\n"
     "ingenting; --force publicerar ändå en ny utgåva. Med --from och --to körs varje\n"
     "månad i tur och ordning; slutkoden är den värsta av dem.\n"
     "Med --offline hämtas inget: det som senast hämtades för perioden används.\n",
     cmd_run, 0},
    {"approve", "config by decision quiet", "PERIOD", "by",
     "  approve  PERIOD --by NAMN --decision BESLUT [--config FIL]\n"
     "                                              fastställ periodens gällande utgåva\n",
     "Användning: uppfolj approve PERIOD --by NAMN --decision BESLUT [--config FIL]\n"
     "Publicerar en ny utgåva av periodens gällande rapport, med samma siffror, märkt\n"
     "Fastställd av NAMN genom BESLUT (till exempel \"HSN 2024-09-18 § 12\"). Andra\n"
     "perioder påverkas inte; en senare utgåva av perioden är ett utkast igen.\n",
     cmd_approve, 0},
    {"fetch", "config period quiet", NULL, NULL,
     "  fetch    [--config FIL] [--period ÅÅÅÅ-MM]   hämta källorna till arkivet, inget mer\n",
     "Användning: uppfolj fetch [--config FIL] [--period ÅÅÅÅ-MM] [--quiet]\n"
     "Hämtar inställningarnas källor (datalager, Kolada) för perioden till arkivet\n"
     "utan att beräkna något; `run --offline` använder sedan det hämtade.\n",
     cmd_fetch, 0},
    {"compute", "config period indicator data quiet", NULL, NULL,
     "  compute  [--config FIL] [--period ÅÅÅÅ-MM] [--indicator ID] [--data MAPP]\n"
     "                                              skriv resultatraderna på standard ut\n",
     "Användning: uppfolj compute [--config FIL | --data MAPP] [--period ÅÅÅÅ-MM]\n"
     "                            [--indicator ID]\n"
     "Skriver resultatraderna (indikator;enhet_id;period;taljare;namnare;varde;mal;\n"
     "status) på standard ut, utan undertryckning. Med --data läses extrakten direkt\n"
     "ur MAPP utan inställningsfil; indikatorer vars extrakt saknas hoppas över.\n",
     cmd_compute, 0},
    {"check", "config period strict quiet", NULL, NULL,
     "  check    [--config FIL] [--period ÅÅÅÅ-MM] [--strict]\n"
     "                                              kontrollera inställningar och extrakt\n",
     "Användning: uppfolj check [--config FIL] [--period ÅÅÅÅ-MM] [--strict]\n"
     "Läser inställningar, mål, kommentarer och extrakt och rapporterar fel och\n"
     "datakvalitetsproblem utan att skriva något. Med --strict blir varningar fel.\n",
     cmd_check, 0},
    {"rerun", "out archive from to quiet", "MANIFEST", "out",
     "  rerun    MANIFEST | RAPPORTMAPP --out MAPP [--from ÅÅÅÅ-MM] [--to ÅÅÅÅ-MM]\n"
     "           [--archive MAPP]                   räkna om publicerade rapporter ur arkivet\n",
     "Användning: uppfolj rerun MANIFEST | RAPPORTMAPP --out MAPP [--from ÅÅÅÅ-MM]\n"
     "                          [--to ÅÅÅÅ-MM] [--archive MAPP]\n"
     "Räknar om rapporten som MANIFEST beskriver ur arkivet enbart, utan nätverk och\n"
     "utan extraktmappen, och skriver filerna i MAPP. De blir byte för byte lika\n"
     "originalen. Ges en periods mapp eller hela rapportmappen (med --from och --to\n"
     "en del av den) räknas varje utgåva om, var och en i MAPP/PERIOD/utgava-N.\n"
     "--archive anger arkivet om det har flyttats.\n",
     cmd_rerun, 0},
    {"verify", "archive from to quiet", "RAPPORTMAPP", NULL,
     "  verify   RAPPORTMAPP [--from ÅÅÅÅ-MM] [--to ÅÅÅÅ-MM] [--archive MAPP]\n"
     "                                              kontrollera rapporters filer och indata\n",
     "Användning: uppfolj verify RAPPORTMAPP [--from ÅÅÅÅ-MM] [--to ÅÅÅÅ-MM] [--archive MAPP]\n"
     "Räknar om kontrollsummorna för rapportens filer och för varje arkiverad indatafil\n"
     "och säger exakt vad som skiljer. RAPPORTMAPP är en periods mapp (varje utgåva av\n"
     "den) eller hela rapportmappen (varje period, med --from och --to en del av den).\n"
     "Slutkod 0 när allt stämmer, annars 1.\n",
     cmd_verify, 0},
    {"history", "config quiet", "PERIOD", NULL,
     "  history  PERIOD [--config FIL]               lista körningarna av en period\n",
     "Användning: uppfolj history PERIOD [--config FIL]\n"
     "Listar periodens körningar, nyaste först: körtid, manifestets kontrollsumma och\n"
     "vilka indata som ändrats sedan körningen före.\n",
     cmd_history, 0},
    {"archive", "config older-than apply quiet", "list|prune", NULL,
     "  archive  [list | prune --older-than MÅNADER [--apply]] [--config FIL]\n"
     "                                              visa eller gallra arkivet\n",
     "Användning: uppfolj archive [list | prune --older-than MÅNADER [--apply]] [--config FIL]\n"
     "list (förvalt) visar vad arkivet håller: objekt, byte och vilka perioders utgåvor\n"
     "som använder dem. prune listar indata för perioder äldre än MÅNADER månader före\n"
     "innevarande månad som ingen senare period använder; med --apply tas de bort och\n"
     "gallringen antecknas. Publicerade filer och manifest behålls alltid, och verify\n"
     "säger om en periods indata är gallrade.\n",
     cmd_archive, 1},
    {"generate", "out units patients months seed period ids order visits quiet", NULL, "out",
     "  generate --out MAPP [--units N] [--patients N] [--months N] [--seed N] [--period ÅÅÅÅ-MM]\n"
     "                                              skapa en syntetisk region\n",
     "Användning: uppfolj generate --out MAPP [--units N] [--patients N] [--months N]\n"
     "                             [--seed N] [--period ÅÅÅÅ-MM] [--ids hex|numeric]\n"
     "                             [--order month|patient] [--visits PROCENT]\n"
     "Skapar syntetiska extrakt för en region (förval: 30 enheter, 200 000\n"
     "patienter, 30 månader besök, frö 1). Samma frö ger samma filer.\n"
     "Andra former av samma region (för bench/): --ids numeric ger niosiffriga\n"
     "patient-id, --order patient skriver besok.csv patient för patient, --visits\n"
     "ger besök i den takten i procent av den vanliga (100).\n",
     cmd_generate, 0},
};
enum { NVERBS = sizeof verbs / sizeof *verbs };

static void print_usage(FILE *out)
{
    fputs("Användning: uppfolj KOMMANDO [FLAGGOR]\n\n", out);
    for (size_t i = 0; i < NVERBS; i++)
        fputs(verbs[i].summary, out);
    fputs("\n"
          "Förvald period är förra månaden; förvald inställningsfil är uppfolj.json.\n"
          "`uppfolj KOMMANDO --help` visar kommandots flaggor.\n"
          "Slutkoder: 0 klart, 1 körningen misslyckades, 2 felaktigt kommando, 3 indata avvisades.\n",
          out);
}

/* The one way out for a command line that cannot be run: what is wrong,
 * where help is, exit code 2. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    uf_progress_done();
    fputs("uppfolj: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nSe `uppfolj --help`.\n", stderr);
    return 2;
}

/* A failed verb: its message and its exit code (a usage error's by the
 * usage path). */
static int fail(const uf_error *err)
{
    uf_progress_done();
    uf_error_print(err, stderr);
    if (err->code == UF_ERR_USAGE)
        fputs("Se `uppfolj --help`.\n", stderr);
    return uf_exit_code(err->code);
}

static const struct verb *find_verb(const char *name)
{
    for (size_t i = 0; i < NVERBS; i++)
        if (strcmp(verbs[i].name, name) == 0)
            return &verbs[i];
    return NULL;
}

/* name is one of the words of v's options (help is every verb's). */
static int takes(const struct verb *v, const char *name)
{
    size_t n = strlen(name);
    if (strcmp(name, "help") == 0)
        return 1;
    for (const char *w = v->options; *w; w += strspn(w, " ")) {
        size_t len = strcspn(w, " ");
        if (len == n && strncmp(w, name, n) == 0)
            return 1;
        w += len;
    }
    return 0;
}

static int given(const options *o, size_t i)
{
    const char *at = (const char *)o + opts[i].field;
    return opts[i].value ? *(const char *const *)at != NULL : *(const int *)at;
}

/* argv[1] is the verb; options and the operand may come in any order.
 * Returns 0 to run the verb, 2 after a usage error; o->help asks for the
 * verb's help instead (the rest of the line is not looked at). */
static int parse_options(int argc, char **argv, const struct verb *v, options *o)
{
    struct option longopts[NOPTS + 1] = {{0}};
    for (size_t i = 0; i < NOPTS; i++)
        longopts[i] = (struct option){opts[i].name, opts[i].value ? required_argument : no_argument,
                                      NULL, OPT_BASE + (int)i};
    opterr = 0;
    optind = 1;
    int c, idx = 0;
    while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
        if (c < OPT_BASE)
            return usage_error("okänd eller ofullständig flagga \"%s\"", argv[optind - 1]);
        const struct opt *op = &opts[c - OPT_BASE];
        if (!takes(v, op->name))
            return usage_error("flaggan --%s hör inte till detta kommando", op->name);
        char *at = (char *)o + op->field;
        if (op->value)
            *(const char **)at = optarg;
        else
            *(int *)at = 1;
        if (o->help)
            return 0;
    }
    /* getopt moved the operands to the end; the first is the verb. */
    int left = argc - optind - 1;
    if (v->operand && left == 1)
        o->operand = argv[optind + 1];
    else if (v->operand && !v->operand_optional)
        return usage_error("%s behöver ett argument; se --help", v->name);
    else if (left > 0)
        return usage_error("oväntat argument \"%s\"", argv[optind + 1]);
    for (size_t i = 0; v->required && i < NOPTS; i++)
        if (strcmp(opts[i].name, v->required) == 0 && !given(o, i))
            return usage_error("%s behöver --%s %s", v->name, opts[i].name, opts[i].value);
    uf_quiet = o->quiet;
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

static int parse_month(const char *text, uf_month *out)
{
    if (uf_month_parse(text, out) != 0)
        return usage_error("perioden ska skrivas ÅÅÅÅ-MM, till exempel 2024-08, inte \"%s\"", text);
    return 0;
}

/* --period, or the month before today. */
static int parse_period(const options *o, uf_month *out)
{
    if (!o->period) {
        *out = previous_month();
        return 0;
    }
    return parse_month(o->period, out);
}

static int parse_count(const char *text, const char *flag, long lo, long hi, long *out)
{
    if (!text)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || end == text || v < lo || v > hi)
        return usage_error("--%s ska vara ett heltal mellan %ld och %ld, inte \"%s\"", flag, lo,
                           hi, text);
    *out = v;
    return 0;
}

/* The run time of run, compute and check: SOURCE_DATE_EPOCH when set
 * (reproducible builds' convention), else the clock.  A value that is not
 * seconds since 1970 is a usage error (2), not silently the clock: a
 * scheduled re-run would stamp another time than the one asked for.  Empty
 * counts as unset.  Up to the end of year 9999, the last a document shows. */
static int run_time(int64_t *out)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) {
        *out = (int64_t)time(NULL);
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || s[0] < '0' || s[0] > '9' || v > 253402300799LL)
        return usage_error("SOURCE_DATE_EPOCH ska vara sekunder sedan 1970-01-01 (ett heltal, som "
                           "från date +%%s), inte \"%.40s\"",
                           s);
    *out = v;
    return 0;
}

/* The built-in indicator definitions: where they were installed, or the
 * folder UPPFOLJ_INDICATORS names (a build tree, the tests). */
static const char *builtin_indicators(void)
{
    const char *dir = getenv("UPPFOLJ_INDICATORS");
    return dir && *dir ? dir : UF_INDICATORS_DIR;
}

/* One month: its inputs, the report computed from them and what renders it. */
typedef struct {
    uf_inputs in;
    uf_report report;
    uf_changes changes;
    uf_build build;
    uf_errors faults; /* every fault compute found in its inputs */
} month;

static void month_free(month *m)
{
    uf_errors_free(&m->faults);
    uf_inputs_free(&m->in);
    uf_report_free(&m->report);
    uf_changes_free(&m->changes);
    uf_build_free(&m->build);
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
    if (uf_config_load(o->config ? o->config : "uppfolj.json", &m->in.cfg, err))
        return -1;
    m->in.have_cfg = 1;
    return 0;
}

/* Inputs for compute and check: read where they are, nothing archived. */
static int load_inputs(month *m, const options *o, uf_error *err)
{
    m->in.faults = &m->faults;
    return o->data ? uf_inputs_from_data(&m->in, builtin_indicators(), o->data, err)
                   : uf_inputs_from_config(&m->in, builtin_indicators(), 0, 0, err);
}

static int compute_month(month *m, const char *only, int skip_missing, uf_error *err)
{
    if (only && !uf_indicators_find(&m->in.inds, only)) {
        uf_error_set(err, UF_ERR_USAGE, NULL, 0, 0, NULL, "okänd indikator \"%s\"", only);
        return -1;
    }
    uf_compute_in c = {
        .period = m->in.period,
        .extracts = m->in.extracts,
        .nextracts = m->in.nextracts,
        .cfg = m->in.have_cfg ? &m->in.cfg : NULL,
        .inds = &m->in.inds,
        .targets = m->in.have_cfg ? &m->in.targets : NULL,
        .only = only,
        .skip_missing = skip_missing,
        .earlier = &m->in, /* editions only run and rerun take in */
        .kolada_missing = m->in.kolada_missing,
        .faults = &m->faults,
    };
    return uf_compute(&c, &m->report, err);
}

/* A month refused: every fault of its inputs when compute found more than
 * one (SPEC: listed in one pass, grouped per file), else err.  Frees m. */
static int fail_month(month *m, const uf_error *err)
{
    int rc;
    /* a fault found after those listed (a folder missing, say) is one more */
    size_t k = 0;
    while (k < m->faults.n && memcmp(&m->faults.v[k], err, sizeof *err) != 0)
        k++;
    if (m->faults.n && k == m->faults.n)
        uf_errors_add(&m->faults, err);
    if (uf_errors_count(&m->faults) > 1) {
        uf_progress_done();
        uf_errors_print(&m->faults, stderr);
        rc = uf_exit_code(err->code);
    } else {
        rc = fail(err);
    }
    month_free(m);
    return rc;
}

static uf_doc month_doc(const month *m, int64_t when)
{
    return (uf_doc){.report = &m->report,
                    .cfg = m->in.have_cfg ? &m->in.cfg : NULL,
                    .inds = &m->in.inds,
                    .targets = &m->in.targets,
                    .comments = &m->in.comments,
                    .run_time = when,
                    .inputs = m->in.inputs,
                    .ninputs = m->in.ninputs,
                    .kolada = m->in.kolada.n ? &m->in.kolada : NULL,
                    .kolada_missing = m->in.kolada_missing,
                    .changes = m->in.neditions ? &m->changes : NULL,
                    .build = &m->build,
                    /* a re-run of a manifest from before editions has no number,
                     * but may have been approved (approved_by) */
                    .edition = m->in.edition.number || m->in.edition.approved ? &m->in.edition
                                                                                : NULL};
}

/* The report's Datakvalitet findings, one line each: what the figures rest on. */
static void print_findings(const uf_report *r)
{
    for (size_t i = 0; i < r->nissues; i++) {
        const uf_issue *is = &r->issues[i];
        /* "(3 st)" when the problem is met more than once. */
        if (is->count > 1)
            fprintf(stderr, "uppfolj: datakvalitet: %s: %s (%ld st)\n", is->file, is->reason,
                    is->count);
        else
            fprintf(stderr, "uppfolj: datakvalitet: %s: %s\n", is->file, is->reason);
    }
}

/* compute and check: the month read where its inputs are and computed,
 * nothing archived.  Returns 0, or the exit code with m freed. */
static int compute_in_place(month *m, const options *o, const char *only, int skip_missing,
                            int64_t *when)
{
    uf_error err = {0};
    int rc = parse_period(o, &m->in.period);
    if (rc || (rc = run_time(when)))
        return rc;
    if (load_config(m, o, &err) || load_inputs(m, o, &err) ||
        compute_month(m, only, skip_missing, &err))
        return fail_month(m, &err);
    return 0;
}

static int cmd_compute(const options *o)
{
    month m = {0};
    uf_error err = {0};
    int64_t when;
    int rc = compute_in_place(&m, o, o->indicator, o->data != NULL, &when);
    if (rc)
        return rc;
    /* a figure is never printed without what it lacks (a month of visits, say) */
    if (!uf_quiet)
        print_findings(&m.report);
    uf_doc d = month_doc(&m, when);
    rc = uf_render_resultat(&d, stdout, 1, &err) ? fail(&err) : 0;
    month_free(&m);
    return rc;
}

/* What the report would mark, listed before the run (issue of governance,
 * not of data): missing owners and analyses, overdue actions, an empty
 * document block.  Returns how many. */
static long governance_warnings(const month *m, const uf_doc *d)
{
    long n = 0;
    const uf_config *cfg = &m->in.cfg;
    for (size_t s = 0; s < m->report.nseries; s++) {
        const uf_series *se = &m->report.series[s];
        if (!se->computed)
            continue;
        const char *id = se->ind->id;
        if (!uf_config_owner(cfg, id) && ++n)
            fprintf(stderr, "uppfolj: varning: %s: ägare saknas (\"owners\" i %s)\n", id,
                    cfg->path);
        if (uf_doc_analysis_missing(d, s) && ++n)
            fprintf(stderr, "uppfolj: varning: %s: målet nås inte (%s) och analys saknas\n", id,
                    uf_status_label(uf_report_cell(&m->report, s, 0, UF_TREND - 1)->status));
        const uf_comment *c = uf_comments_find(&m->in.comments, id);
        for (size_t i = 0; c && i < c->nactions; i++)
            if (uf_doc_action_overdue(d, &c->actions[i]) && ++n)
                fprintf(stderr,
                        "uppfolj: varning: %s: försenad åtgärd \"%s\" (ansvarig %s, klart "
                        "senast %s%s%s)\n",
                        id, c->actions[i].action, c->actions[i].owner, c->actions[i].due,
                        c->actions[i].from ? ", från " : "",
                        c->actions[i].from ? c->actions[i].from : "");
    }
    const struct {
        const char *label, *value;
    } block[] = {{"Dokument-ID", cfg->document.id},         {"Version", cfg->document.version},
                 {"Upprättad av", cfg->document.prepared_by}, {"Granskad av", cfg->document.reviewed_by}};
    for (size_t i = 0; i < sizeof block / sizeof *block; i++)
        if ((!block[i].value || !*block[i].value) && ++n)
            fprintf(stderr, "uppfolj: varning: dokumentblocket saknar %s (\"document\" i %s)\n",
                    block[i].label, cfg->path);
    /* Unit targets for units enheter.csv does not list; those in force now
     * have stopped the check already, these are for other months. */
    const uf_report *r = &m->report;
    int register_read = 0;
    for (size_t u = 0; u < r->nunits; u++)
        register_read |= r->units[u].known;
    for (size_t i = 0; i < m->in.targets.n && register_read; i++) {
        const uf_target *t = &m->in.targets.v[i];
        long row = t->unit ? uf_report_row(r, t->unit) : 0;
        char what[200];
        uf_target_describe(t, 1, what, sizeof what);
        if (t->unit && (row < 0 || !r->units[row - 1].known) && ++n)
            fprintf(stderr,
                    "uppfolj: varning: %s, rad %ld, kolumn %d (unit): %s gäller enheten \"%s\", "
                    "som inte finns i enheter.csv\n",
                    m->in.targets.path, t->line, t->column, what, t->unit);
    }
    return n;
}

static int cmd_check(const options *o)
{
    month m = {0};
    int64_t when;
    int rc = compute_in_place(&m, o, NULL, 0, &when);
    if (rc)
        return rc;
    print_findings(&m.report);
    uf_doc d = month_doc(&m, when);
    long warnings = governance_warnings(&m, &d);
    char p[8];
    uf_month_format(m.in.period, p);
    printf("%s: %zu indikatorer, %zu enheter, %zu extrakt, %zu datakvalitetsfynd, %ld varningar\n",
           p, m.in.inds.n, m.report.nunits, m.in.nextracts, m.report.nissues, warnings);
    month_free(&m);
    if (o->strict && warnings) {
        fprintf(stderr, "uppfolj: --strict: %ld varningar räknas som fel\n", warnings);
        return 3;
    }
    return 0;
}

static void print_files(const char *dir, const uf_config *cfg, uf_month period)
{
    for (int i = 0; i < UF_NOUTPUTS; i++) {
        char *path = uf_output_path(dir, cfg, (uf_output)i, period);
        printf("  %s\n", path);
        free(path);
    }
}

/* Publishing (publish/publish.c): a marked staging folder whose files a
 * signal removes, the documents of m's edition (named as m's config names
 * them), and the swap; then the index of cfg's reports folder.  Once the
 * edition is in place the run says it was published, with a warning if
 * tidying after it failed.  -1: nothing was published (err says why). */
static int publish_month(month *m, uf_publish *pb, const uf_config *cfg, int64_t when,
                         uf_error *err)
{
    if (uf_publish_stage(pb, &m->in.cfg, err))
        return -1;
    uf_doc d = month_doc(m, when);
    if (uf_outputs_write(uf_publish_dir(pb), &d, &m->build, err) ||
        uf_inputs_unchanged(&m->in, err))
        return -1;
    int rc = uf_publish_commit(pb, err);
    if (rc < 0)
        return -1;
    /* The report is out; a page that cannot be rewritten is worth a warning, not a failure. */
    uf_error page = {0};
    if (uf_index_write(cfg, &page))
        uf_error_print(&page, stderr);
    uf_log("klart");
    char *published = uf_xasprintf("%s/%s", cfg->reports, pb->p);
    printf("Utgåva %d av rapporten för %s %d är publicerad i %s/ (%s)\n", m->in.edition.number,
           uf_month_name_sv(uf_month_number(m->in.period)), uf_month_year(m->in.period),
           published, m->in.edition.approved ? "fastställd" : "utkast");
    print_files(published, &m->in.cfg, m->in.period);
    if (rc > 0)
        fputs("uppfolj: rapporten är publicerad; se varningen ovan om vad som återstår\n", stderr);
    free(published);
    return 0;
}

/* How one month of a run ended, for the summary of a range. */
typedef enum { RUN_PUBLISHED, RUN_UNCHANGED, RUN_FAILED } run_outcome;

/* One month: the period's lock, recovery of what a killed run left, its
 * inputs archived, and a new edition unless they are the current one's. */
static int run_month(const options *o, uf_month period, int64_t when, run_outcome *outcome)
{
    month m = {.in.period = period};
    uf_error err = {0};
    char p[8];
    uf_month_format(period, p);
    uf_publish pb = {.lock = -1};
    *outcome = RUN_FAILED;
    if (load_config(&m, o, &err))
        return fail(&err);
    const uf_config *cfg = &m.in.cfg;
    if (uf_publish_begin(&pb, cfg, period, &err)) {
        uf_publish_end(&pb);
        month_free(&m);
        return fail(&err);
    }
    uf_archive_sweep(cfg->archive);
    uf_publish_settle(cfg, period, UF_CARRY_MONTHS);
    uf_log("period %s: arkiverar och läser indata", p);
    m.in.faults = &m.faults;
    if (uf_inputs_from_config(&m.in, builtin_indicators(), 1, !o->offline, &err))
        goto failed;
    uf_edition *e = &m.in.edition;
    if (e->replaces && !e->nchanges && !o->force) {
        if (uf_inputs_settle(&m.in, &err)) /* a missing or bad object made again */
            goto failed;
        printf("Indata för %s är byte för byte desamma som i gällande utgåva %d; ingen ny utgåva "
               "publiceras (--force publicerar ändå en).\n",
               p, e->replaces);
        *outcome = RUN_UNCHANGED;
        uf_publish_end(&pb);
        month_free(&m);
        return 0;
    }
    e->forced = o->force && !e->nchanges && e->replaces;
    uf_log("beräknar %zu indikatorer ur %zu extrakt", m.in.inds.n, m.in.nextracts);
    int computed = compute_month(&m, NULL, 0, &err) == 0 &&
                   uf_changes_find(&m.report, &m.in, &m.changes, &err) == 0;
    /* The month is read: its new objects go into the archive, published or not. */
    if (uf_inputs_settle(&m.in, computed ? &err : NULL) || !computed)
        goto failed;
    if (m.changes.n)
        uf_log("%zu siffror skiljer sig från tidigare publicerade rapporter", m.changes.n);
    if (publish_month(&m, &pb, cfg, when, &err))
        goto failed;
    *outcome = RUN_PUBLISHED;
    uf_publish_end(&pb);
    month_free(&m);
    return 0;
failed:
    uf_publish_end(&pb);
    int rc = fail_month(&m, &err);
    fputs("uppfolj: ingenting publicerades\n", stderr);
    return rc;
}

/* --from and --to: both, in order, and not with --period. */
static int parse_range(const options *o, uf_month *from, uf_month *to)
{
    if (!o->from && !o->to)
        return parse_period(o, from) || (*to = *from, 0);
    if (!o->from || !o->to)
        return usage_error("--from och --to anges tillsammans");
    if (o->period)
        return usage_error("ange antingen --period eller --from och --to");
    if (parse_month(o->from, from) || parse_month(o->to, to))
        return 2;
    if (*to < *from || *to - *from >= 120)
        return usage_error("--to ska vara samma månad som --from eller senare, och högst tio år "
                           "efter");
    return 0;
}

/* Each month of the range in order, one lock at a time; a summary when
 * there is more than one, and the worst exit code of them (3 input
 * rejected, 1 failed, 0 done). */
static int cmd_run(const options *o)
{
    uf_month from, to;
    int64_t when;
    int rc = parse_range(o, &from, &to);
    if (rc || (rc = run_time(&when)))
        return rc;
    int worst = 0, n = (int)(to - from) + 1, counts[3] = {0};
    run_outcome *outcomes = uf_xcalloc((size_t)n, sizeof *outcomes);
    int *codes = uf_xcalloc((size_t)n, sizeof *codes);
    for (int i = 0; i < n; i++) {
        if (n > 1) {
            char p[8];
            uf_month_format(from + i, p);
            uf_log("månad %d av %d: %s", i + 1, n, p);
        }
        codes[i] = run_month(o, from + i, when, &outcomes[i]);
        counts[outcomes[i]]++;
        worst = codes[i] > worst ? codes[i] : worst;
    }
    if (n > 1) {
        static const char *const words[] = {"ny utgåva publicerad", "oförändrad, ingen ny utgåva",
                                            "misslyckades"};
        puts("Sammanfattning:");
        for (int i = 0; i < n; i++) {
            char p[8];
            uf_month_format(from + i, p);
            printf("  %s  %s", p, words[outcomes[i]]);
            printf(outcomes[i] == RUN_FAILED ? " (slutkod %d)\n" : "\n", codes[i]);
        }
        printf("%d månader: %d publicerade, %d oförändrade, %d misslyckade\n", n,
               counts[RUN_PUBLISHED], counts[RUN_UNCHANGED], counts[RUN_FAILED]);
    }
    free(outcomes);
    free(codes);
    return worst;
}

/* The period's current edition again, with the same figures, approved:
 * its inputs from its manifest and the archive, and the approval. */
static int cmd_approve(const options *o)
{
    month m = {0};
    uf_config cfg;
    uf_error err = {0};
    uf_month period;
    int64_t when;
    if (parse_month(o->operand, &period))
        return 2;
    if (!o->decision)
        return usage_error("approve behöver --decision BESLUT, till exempel "
                           "--decision \"HSN 2024-09-18 § 12\"");
    int rc = run_time(&when);
    if (rc)
        return rc;
    uf_approval a;
    if (uf_approval_set(&a, o->by, o->decision, when, &err))
        return fail(&err);
    if (uf_config_load(o->config ? o->config : "uppfolj.json", &cfg, &err))
        return fail(&err);
    uf_publish pb = {.lock = -1};
    rc = uf_publish_begin(&pb, &cfg, period, &err) ||
                 uf_inputs_for_approval(&m.in, &cfg, period, &a, &when, &err) ||
                 compute_month(&m, NULL, 0, &err) ||
                 uf_changes_find(&m.report, &m.in, &m.changes, &err) ||
                 publish_month(&m, &pb, &cfg, when, &err)
             ? -1
             : 0;
    uf_publish_end(&pb);
    month_free(&m);
    uf_config_free(&cfg);
    if (rc) {
        uf_progress_done();
        uf_error_print(&err, stderr);
        fputs("uppfolj: ingenting publicerades\n", stderr);
        return uf_exit_code(err.code);
    }
    return 0;
}

/* One edition from its manifest into out. */
static int rerun_one(const options *o, const char *manifest, const char *out)
{
    month m = {0};
    uf_error err = {0};
    int64_t when = 0;
    if (uf_rerun_out(out, manifest, &err))
        return fail(&err);
    uf_log("räknar om från %s och arkivet", manifest);
    if (uf_inputs_from_manifest(&m.in, manifest, o->archive, &when, &err) ||
        compute_month(&m, NULL, 0, &err) || uf_changes_find(&m.report, &m.in, &m.changes, &err))
        return fail_month(&m, &err);
    uf_doc d = month_doc(&m, when);
    int rc = uf_outputs_write(out, &d, &m.build, &err) || uf_inputs_unchanged(&m.in, &err)
                 ? fail(&err)
                 : 0;
    /* The same bytes need the same program, libraries and fonts; the rerun
     * is still made, for what it can show. */
    if (rc == 0 && uf_build_differences(&m.in.recorded, &m.build, stderr))
        fputs("uppfolj: varning: omräkningen görs inte med samma program, bibliotek och "
              "typsnitt som körningen: att filerna blir byte för byte lika originalen kan då "
              "inte utlovas\n", stderr);
    if (rc == 0) {
        printf("Omräkningen av %s finns i %s/\n", manifest, out);
        print_files(out, &m.in.cfg, m.in.period);
    }
    month_free(&m);
    return rc;
}

/* --from and --to of rerun and verify: a part of the reports folder; none
 * given, all of it. */
static int parse_filter(const options *o, uf_month *from, uf_month *to)
{
    *from = INT_MIN;
    *to = INT_MAX;
    if ((o->from && parse_month(o->from, from)) || (o->to && parse_month(o->to, to)))
        return 2;
    return 0;
}

static int is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A manifest, or every edition under a folder: each into a folder of its
 * own under --out, OUT/PERIOD/utgava-N, so that none overwrites another. */
static int cmd_rerun(const options *o)
{
    uf_month from, to;
    int rc = parse_filter(o, &from, &to);
    if (rc)
        return rc;
    if (!is_folder(o->operand)) {
        if (o->from || o->to)
            return usage_error("--from och --to väljer perioder ur en rapportmapp, inte ur ett "
                               "manifest");
        return rerun_one(o, o->operand, o->out);
    }
    uf_tree_edition *v;
    size_t n;
    uf_error err = {0};
    if (uf_tree_editions(o->operand, from, to, &v, &n, &err) || uf_mkdir(o->out, &err))
        return fail(&err);
    int worst = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        char p[8];
        uf_month_format(v[i].period, p);
        char *period = uf_xasprintf("%s/%s", o->out, p);
        char *out = uf_xasprintf("%s/%s", period, v[i].label);
        char *manifest = uf_xasprintf("%s/manifest.json", v[i].dir);
        uf_log("utgåva %zu av %zu: %s", i + 1, n, v[i].dir);
        int one = uf_mkdir(period, &err) ? fail(&err) : rerun_one(o, manifest, out);
        worst = one > worst ? one : worst;
        failed += one != 0;
        free(period);
        free(out);
        free(manifest);
    }
    printf("%zu utgåvor omräknade i %s/, %d misslyckades\n", n, o->out, failed);
    uf_tree_editions_free(v, n);
    return worst;
}

static int cmd_verify(const options *o)
{
    uf_month from, to;
    uf_error err = {0};
    int rc = parse_filter(o, &from, &to);
    if (rc)
        return rc;
    rc = uf_verify_tree(o->operand, from, to, o->archive, stdout, &err);
    return rc < 0 ? fail(&err) : rc;
}

static int cmd_history(const options *o)
{
    month m = {0};
    uf_error err = {0};
    uf_month period;
    if (parse_month(o->operand, &period))
        return 2;
    int rc = load_config(&m, o, &err) || uf_history(&m.in.cfg, period, stdout, &err);
    month_free(&m);
    return rc ? fail(&err) : 0;
}

static int cmd_archive(const options *o)
{
    const char *what = o->operand ? o->operand : "list";
    int prune = strcmp(what, "prune") == 0;
    if (!prune && strcmp(what, "list") != 0)
        return usage_error("archive tar list eller prune, inte \"%s\"", what);
    if (!prune && (o->older_than || o->apply))
        return usage_error("--older-than och --apply hör till archive prune");
    long months = 0;
    if (prune && !o->older_than)
        return usage_error("archive prune behöver --older-than MÅNADER");
    int64_t now;
    int rc = parse_count(o->older_than, "older-than", 1, 1200, &months);
    if (rc || (rc = run_time(&now)))
        return rc;
    month m = {0};
    uf_error err = {0};
    if (load_config(&m, o, &err))
        return fail(&err);
    /* The month of now, in Stockholm. */
    time_t t = (time_t)now;
    struct tm tm;
    localtime_r(&t, &tm);
    uf_month current = uf_month_make(tm.tm_year + 1900, tm.tm_mon + 1);
    rc = prune ? uf_archive_prune(m.in.cfg.archive, (int)months, current, o->apply, stdout, &err)
               : uf_archive_list(m.in.cfg.archive, stdout, &err);
    month_free(&m);
    return rc ? fail(&err) : 0;
}

static int cmd_fetch(const options *o)
{
    month m = {0};
    uf_error err = {0};
    int lock = -1, rc = parse_period(o, &m.in.period);
    if (rc)
        return rc;
    /* the KPIs a kolada source pulls may be the definitions' */
    if (load_config(&m, o, &err) ||
        uf_indicators_load(builtin_indicators(), m.in.cfg.indicators, &m.in.inds, &err)) {
        month_free(&m);
        return fail(&err);
    }
    uf_config_kolada_kpis(&m.in.cfg, &m.in.inds);
    uf_input *pulled = NULL;
    size_t n = 0;
    const uf_config *cfg = &m.in.cfg;
    rc = uf_mkdir(cfg->archive, &err) || uf_publish_lock(cfg->work, m.in.period, &lock, &err);
    if (rc == 0)
        uf_archive_sweep(cfg->archive);
    rc = rc || uf_pull(cfg, m.in.period, &pulled, &n, &err);
    if (rc == 0) {
        long long bytes = 0;
        for (size_t i = 0; i < n; i++)
            bytes += pulled[i].bytes;
        char p[8];
        uf_month_format(m.in.period, p);
        printf("Hämtade %zu filer (%lld byte) för %s till %s/\n", n, bytes, p, cfg->archive);
    }
    free(pulled);
    if (lock >= 0)
        close(lock);
    month_free(&m);
    return rc ? fail(&err) : 0;
}

static int cmd_generate(const options *o)
{
    long units = 30, patients = 200000, months = 30, seed = 1, visits = 100;
    if (parse_count(o->units, "units", 1, 99999, &units) ||
        parse_count(o->patients, "patients", 1, 100000000, &patients) ||
        parse_count(o->months, "months", 13, 120, &months) ||
        parse_count(o->seed, "seed", 0, 2147483647L, &seed) ||
        parse_count(o->visits, "visits", 1, 1000, &visits))
        return 2;
    if (o->ids && strcmp(o->ids, "hex") != 0 && strcmp(o->ids, "numeric") != 0)
        return usage_error("--ids ska vara hex eller numeric, inte \"%s\"", o->ids);
    if (o->order && strcmp(o->order, "month") != 0 && strcmp(o->order, "patient") != 0)
        return usage_error("--order ska vara month eller patient, inte \"%s\"", o->order);
    uf_gen_opts g = {.out_dir = o->out, .units = units, .patients = patients,
                     .months = (int)months, .seed = (uint64_t)seed,
                     .numeric_ids = o->ids && strcmp(o->ids, "numeric") == 0,
                     .by_patient = o->order && strcmp(o->order, "patient") == 0,
                     .visit_percent = (int)visits};
    int rc = 0;
    if ((rc = parse_period(o, &g.period)))
        return rc;
    uf_error err = {0};
    if (uf_generate(&g, &err))
        return fail(&err);
    return 0;
}

/* Out of memory or past a fixed limit: the program cannot go on. */
static void end_fatal(void)
{
    exit(1);
}

int main(int argc, char **argv)
{
    /* Dates in documents and the default period are Swedish local time,
     * whatever the machine's zone; LC_NUMERIC stays "C" (see README). */
    setenv("TZ", "Europe/Stockholm", 1);
    tzset();
    uf_cleanup_signals();
    uf_out_of_memory_end(end_fatal);

    if (argc < 2)
        return print_usage(stderr), 2;
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return print_usage(stdout), 0;
    if (strcmp(argv[1], "--version") == 0)
        return printf("uppfolj %s (källrevision %s)\n", uf_version, uf_revision), 0;

    const struct verb *v = find_verb(argv[1]);
    if (!v)
        return usage_error("okänt kommando \"%s\"", argv[1]);
    options o = {.verb = v->name};
    int rc = parse_options(argc, argv, v, &o);
    if (rc)
        return rc;
    if (o.help)
        return fputs(v->help, stdout), 0;
    return v->run(&o);
}
