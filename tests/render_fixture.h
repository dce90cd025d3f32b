/* tests/render_fixture.h — the month the render tests stand on, built by
 * hand: 30 long-named units, one under min n, one with its own target, an
 * indicator without a target, months with no data, overdue actions (one
 * carried forward from June), an indicator without owner, Kolada figures
 * and restated figures.  The real compute and ingest functions read it.
 *
 * Cases (fixture_new's argument):
 *   "utkast"     2024-08, closes T2; draft, preliminary, three changes.
 *   "faststalld" 2024-07; approved, complete, no changes, no Kolada nulls. */
#ifndef UF_RENDER_FIXTURE_H
#define UF_RENDER_FIXTURE_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/doc.h"

enum { NUNITS = 30, NIND = 5 };

typedef struct {
    uf_indicators inds;
    uf_targets targets;
    uf_comments comments;
    uf_config cfg;
    uf_report report;
    uf_input inputs[3];
    uf_kolada kolada;
    uf_changes changes;
    uf_build build;
    uf_input_change input_changes[1];
    uf_edition edition;
    uf_doc doc;
} fixture;

static const char *const places[NUNITS] = {
    "Växjö Centrum, Teleborg", "Alvesta", "Ljungby, Norrtullen", "Älmhult", "Markaryd",
    "Tingsryd", "Lessebo och Hovmantorp", "Uppvidinge, Åseda", "Braås", "Lammhult",
    "Rottne", "Ingelstad", "Dalbo", "Birka",
    "Sandsbro hälsocentral med barnavårdscentral och mödravård, Växjö kommun", "Hälsan Växjö", "Strandbjörket",
    "Capio Växjö", "Kronoberg Norr, Moheda", "Vislanda", "Rydaholm", "Lagan", "Vittaryd",
    "Diö", "Liatorp", "Hovmantorp", "Norrhaga", "Skärvet", "Öjaby, Smedslätten",
    "Gemla"};

static uf_indicator make_ind(const char *id, const char *name, const char *short_name,
                             uf_kind kind, int direction, int decimals, int order)
{
    uf_indicator i = {0};
    i.id = (char *)id;
    i.name = (char *)name;
    i.short_name = (char *)short_name;
    i.description = "Andel av de kontakter som ingår där villkoret uppfylls, per vårdcentral "
                    "och för regionen som helhet (summa täljare genom summa nämnare).";
    i.source = "kontakter.csv";
    i.kind = kind;
    i.direction = direction;
    i.decimals = decimals;
    i.min_n = 20;
    i.tolerance = kind == UF_KIND_PERCENT ? 0.05 : 0.05;
    i.order = order;
    return i;
}

static uf_status judge(const uf_indicator *ind, const uf_target *t, double v, double n)
{
    if (n < (double)ind->min_n)
        return UF_ST_SMALL;
    if (!t)
        return UF_ST_NOTARGET;
    double miss = (t->value - v) * ind->direction;
    double tol = ind->kind == UF_KIND_PERCENT ? ind->tolerance : ind->tolerance * t->value;
    return miss <= 1e-12 ? UF_ST_MET : miss <= tol + 1e-12 ? UF_ST_NEAR : UF_ST_MISSED;
}

/* Fills one series: unit u, month c gets den and a share that varies by
 * unit and month; the region sums its units; YTD and tertial sum months. */
static void fill_series(fixture *f, size_t s, double base, double den0, int missing_months)
{
    uf_report *r = &f->report;
    uf_series *se = &r->series[s];
    const uf_indicator *ind = se->ind;
    se->computed = 1;
    se->cells = calloc((r->nunits + 1) * UF_NCOLS, sizeof(uf_cell));
    int mean_like = ind->kind != UF_KIND_PERCENT;
    for (int c = 0; c < UF_TREND; c++) {
        for (size_t u = 1; u <= r->nunits; u++) {
            uf_cell *cell = &se->cells[u * UF_NCOLS + (size_t)c];
            if (c < missing_months || (u == 30 && s == 1 && c == UF_TREND - 1))
                continue; /* no data: not present */
            double den = u == 29 ? 12 : den0 + (double)((u * 37) % 150);
            double spread = (double)(u % 7) * 0.02 - 0.06 + c * 0.003;
            double share = mean_like ? base * (1 + 2.5 * spread) : base + spread;
            if (!mean_like && share > 1)
                share = 1;
            cell->den = den;
            cell->num = mean_like ? share * den : (double)(long)(share * den + 0.5);
            /* Patients' values spread 0.3 about the unit's mean: the funnel's sd. */
            cell->sq = mean_like ? den * (share * share + 0.09) : 0;
            cell->present = 1;
        }
    }
    /* Region row and the two summary columns. */
    for (size_t u = 0; u <= r->nunits; u++) {
        uf_cell *row = &se->cells[u * UF_NCOLS];
        if (u == 0)
            for (int c = 0; c < UF_TREND; c++)
                for (size_t k = 1; k <= r->nunits; k++) {
                    const uf_cell *x = &se->cells[k * UF_NCOLS + (size_t)c];
                    if (!x->present)
                        continue;
                    row[c].num += x->num;
                    row[c].den += x->den;
                    row[c].sq += x->sq;
                    row[c].present = 1;
                }
        int ytd_from = UF_TREND - uf_month_number(r->period);
        int t_from = UF_TREND - 1 - (r->period - uf_tertial_first(r->period));
        for (int c = ytd_from; c < UF_TREND && ind->aggregation == UF_AGG_SUM; c++) {
            uf_cell *dst[2] = {&row[UF_COL_YTD], c >= t_from ? &row[UF_COL_TERTIAL] : NULL};
            for (int k = 0; k < 2; k++)
                if (dst[k] && row[c].present) {
                    dst[k]->num += row[c].num;
                    dst[k]->den += row[c].den;
                    dst[k]->present = 1;
                }
        }
        if (ind->aggregation == UF_AGG_LAST) /* a snapshot: the period's own value */
            row[UF_COL_YTD] = row[UF_COL_TERTIAL] = row[UF_TREND - 1];
        for (int c = 0; c < UF_NCOLS; c++) {
            uf_month m = c < UF_TREND ? r->period - (UF_TREND - 1) + c : r->period;
            uf_cell *cell = &row[c];
            cell->target = uf_targets_find(&f->targets, ind->id,
                                           u ? r->units[u - 1].id : NULL, m);
            cell->status = cell->present
                               ? judge(ind, cell->target, cell->num / cell->den, cell->den)
                               : UF_ST_MISSING;
        }
    }
}

static fixture *fixture_new(const char *which)
{
    int approved = which && !strcmp(which, "faststalld");
    fixture *f = calloc(1, sizeof *f);
    f->inds.n = NIND;
    f->inds.v = calloc(NIND, sizeof(uf_indicator));
    f->inds.v[0] = make_ind("bedomning_3d", "Medicinsk bedömning inom 3 dagar",
                            "Bedömning 3 dagar", UF_KIND_PERCENT, 1, 1, 1);
    f->inds.v[1] = make_ind("telefon_samma_dag", "Besvarade samtal samma dag",
                            "Telefon samma dag", UF_KIND_PERCENT, 1, 1, 2);
    f->inds.v[2] = make_ind("fast_lakarkontakt", "Andel listade med fast läkarkontakt",
                            "Fast läkarkontakt", UF_KIND_PERCENT, 1, 1, 3);
    f->inds.v[3] = make_ind("listade_per_fast_lakare",
                            "Listade patienter per fast läkare", "Listade/fast läkare",
                            UF_KIND_COUNT, -1, 0, 4);
    f->inds.v[3].n_is_numerator = 0;
    f->inds.v[4] = make_ind("kontinuitet_coc", "Kontinuitetsindex, läkarbesök, 18 månader",
                            "Kontinuitetsindex läkarbesök, 18 månader (COC)", UF_KIND_INDEX,
                            1, 2, 5);
    f->inds.v[3].min_n = 1;
    /* the facts the definitions give as data: the Kolada KPIs, which are shares */
    f->inds.v[0].kolada_kpi = "N79173";
    f->inds.v[1].kolada_kpi = "N79179";
    static uf_kolada_break brk = {2024, "Kolada mäter N79179 på ett nytt sätt från 2024."};
    f->inds.v[1].kolada_breaks = &brk;
    f->inds.v[1].nkolada_breaks = 1;
    for (size_t i = 0; i < 3; i++)
        f->inds.v[i].share = 1;
    static const uf_derivation der[NIND] = {UF_DER_BEDOMNING_3D, UF_DER_TELEFON_SAMMA_DAG,
                                            UF_DER_FAST_LAKARKONTAKT,
                                            UF_DER_LISTADE_PER_FAST_LAKARE,
                                            UF_DER_KONTINUITET_COC};
    for (size_t i = 0; i < NIND; i++) {
        f->inds.v[i].derivation = der[i];
        f->inds.v[i].aggregation = i >= 2 ? UF_AGG_LAST : UF_AGG_SUM;
    }

    static uf_target tg[] = {
        {.indicator = "bedomning_3d", .value = 0.90, .to = UF_MONTH_OPEN,
         .decision = "HSN 2023-12-18 § 151"},
        {.indicator = "bedomning_3d", .unit = "VC07", .value = 0.80, .to = UF_MONTH_OPEN,
         .decision = "Avtal VC07 2024"},
        {.indicator = "telefon_samma_dag", .value = 0.98, .decision = "NFV 2022-11-24 § 98"},
        {.indicator = "fast_lakarkontakt", .value = 0.55, .to = UF_MONTH_OPEN,
         .decision = "Överenskommelse God och nära vård 2023"},
        {.indicator = "listade_per_fast_lakare", .value = 1100, .to = UF_MONTH_OPEN,
         .decision = "Socialstyrelsens riktvärde"},
    };
    tg[0].from = uf_month_make(2023, 1);
    tg[1].from = uf_month_make(2024, 1);
    tg[2].from = uf_month_make(2023, 1);
    tg[2].to = uf_month_make(2024, 12);
    tg[3].from = uf_month_make(2023, 1);
    tg[4].from = uf_month_make(2023, 1);
    f->targets.n = sizeof tg / sizeof tg[0];
    f->targets.v = tg;

    static uf_action act[] = {
        {"Utöka telefontiderna på förmiddagen", "Verksamhetschef VC03", "2024-06-30", "", NULL},
        {"Införa triagering via 1177 direkt", "Primärvårdschef", "2024-10-31", "", NULL},
        {"Rekrytera två distriktssköterskor", "Verksamhetschef VC07", "2024-05-31",
         "Klart 2024-05-20", NULL},
    };
    /* The phone indicator misses its target, has no analysis, and an
     * action carried forward from June's comments that is overdue. */
    static uf_action carried[] = {
        {"Gemensam telefonrådgivning för de minsta vårdcentralerna", "Vårdvalschef",
         "2024-07-31", "", "2024-06"},
    };
    static uf_comment com[] = {
        {"bedomning_3d",
         "Sommarmånaderna med hög andel hyrläkare och stängda mottagningar i Uppvidinge "
         "förklarar nedgången. Enheterna med egen triagesjuksköterska ligger stabilt över "
         "målet, medan de mindre enheterna har svårt att bemanna under semesterperioden.\n\n"
         "Andra stycket: Uppföljningen fortsätter månadsvis i verksamhetsdialogerna.",
         act, 3},
        {"fast_lakarkontakt", "Rekryteringsläget för specialister i allmänmedicin är svårt.",
         NULL, 0},
        {"telefon_samma_dag", "", carried, 1},
    };
    f->comments.n = 3;
    f->comments.v = com;

    static uf_owner own[] = {{"bedomning_3d", "Primärvårdschef"},
                             {"telefon_samma_dag", "Vårdvalschef"},
                             {"fast_lakarkontakt", "Hälso- och sjukvårdsdirektör"}};
    f->cfg.region_name = "Region Kronoberg";
    f->cfg.board = "Hälso- och sjukvårdsnämnden";
    f->cfg.owners = own;
    f->cfg.nowners = 3;
    f->cfg.document.id = "RK 2024/118";
    f->cfg.document.version = "1.0";
    f->cfg.document.prepared_by = "Controller, Regionkontoret";
    f->cfg.document.reviewed_by = "Ekonomichef";
    /* The draft is a second edition after a late delivery; the approved
     * one the approval of its first. */
    f->input_changes[0] = (uf_input_change){"extrakt", "kontakter.csv", "", UF_INPUT_CHANGED};
    f->edition = (uf_edition){.number = 2,
                              .approved = approved,
                              .approval = {"Hälso- och sjukvårdsnämnden", "HSN 2024-09-25 § 80",
                                           (int64_t)uf_day_make(2024, 9, 26) * 86400},
                              .replaces = 1,
                              .replaces_time = (int64_t)uf_day_make(2024, 9, 5) * 86400,
                              .changes = approved ? NULL : f->input_changes,
                              .nchanges = approved ? 0 : 1};
    f->cfg.kolada_id = "0007";

    uf_report *r = &f->report;
    r->period = approved ? uf_month_make(2024, 7) : uf_month_make(2024, 8);
    r->preliminary = !approved;
    r->nunits = NUNITS;
    r->units = calloc(NUNITS, sizeof(uf_unit));
    for (size_t u = 0; u < NUNITS; u++) {
        r->units[u].id = uf_xasprintf("VC%02zu", u + 1);
        r->units[u].name = uf_xasprintf("Vårdcentralen %s", places[u]);
        r->units[u].known = 1;
    }
    r->nseries = NIND;
    r->series = calloc(NIND, sizeof(uf_series));
    for (size_t s = 0; s < NIND; s++)
        r->series[s].ind = &f->inds.v[s];
    fill_series(f, 0, 0.86, 180, 0);
    fill_series(f, 1, 0.86, 900, 3); /* the calls extract began in Nov 2023 */
    fill_series(f, 2, 0.36, 4000, 0);
    fill_series(f, 3, 1350, 6, 0);
    fill_series(f, 4, 0.29, 1500, 0);

    static uf_issue iss[] = {
        {"kontakter.csv", "bedömningsdatum före kontaktdatum: raden räknas inte", 3,
         {12, 408, 9911}, 3},
        {"besok.csv", "enhet saknas i enheter.csv: VC99", 41, {77, 78, 79, 80, 81}, 5},
    };
    static uf_fileinfo fi[] = {
        {"kontakter.csv", 120412, 3}, {"samtal.csv", 801200, 0}, {"besok.csv", 2100334, 41}};
    /* What compute does last: VC029's 12 a month would come back as the
     * region minus the rest, so the secondary rule hides more (–d). */
    uf_report_suppress(r);
    r->issues = realloc(r->issues, (r->nissues + 2) * sizeof *r->issues);
    memcpy(r->issues + r->nissues, iss, sizeof iss);
    r->nissues += 2;
    r->files = fi;
    r->nfiles = 3;

    const char *in[3][3] = {{"extrakt", "kontakter.csv", "/data/extrakt/2024-08/kontakter.csv"},
                            {"config", "uppfolj.json", "/etc/uppfolj/uppfolj.json"},
                            {"targets", "targets.json", "/etc/uppfolj/targets.json"}};
    for (int i = 0; i < 3; i++) {
        snprintf(f->inputs[i].role, sizeof f->inputs[i].role, "%s", in[i][0]);
        snprintf(f->inputs[i].name, sizeof f->inputs[i].name, "%s", in[i][1]);
        snprintf(f->inputs[i].origin, sizeof f->inputs[i].origin, "%s", in[i][2]);
        snprintf(f->inputs[i].fetched, sizeof f->inputs[i].fetched, "2024-09-06T05:14:0%dZ",
                 i);
        f->inputs[i].bytes = 1234567 * (i + 1);
        memset(f->inputs[i].sha256, 'a' + i, 64);
    }

    f->doc.report = r;
    f->doc.cfg = &f->cfg;
    f->doc.inds = &f->inds;
    f->doc.targets = &f->targets;
    f->doc.comments = &f->comments;
    f->doc.edition = &f->edition;
    f->doc.run_time = (int64_t)uf_day_make(2024, 9, 6) * 86400 + 5 * 3600 + 15 * 60;
    f->doc.inputs = f->inputs;
    f->doc.ninputs = 3;

    /* What made the documents, fixed so that the golden files follow
     * neither the commit nor the libraries; test_render checks that a real
     * PDF records its own fonts. */
    static const char *const libs[UF_NLIBS] = {"1.16.0", "1.50.12", "6.0.0", "2.12.1",
                                               "1.1.4",  "1.2.13",  "2.14",  "7.88.1",
                                               "11.3.0"};
    f->build.version = uf_xstrdup(uf_version);
    f->build.revision = uf_xstrdup("v0.1.0-0-g0123456789ab");
    for (int i = 0; i < UF_NLIBS; i++)
        f->build.libs[i] = uf_xstrdup(libs[i]);
    f->build.fonts = uf_xcalloc(1, sizeof *f->build.fonts);
    f->build.fonts[0].file = uf_xstrdup("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    f->build.fonts[0].bytes = 757076;
    memset(f->build.fonts[0].sha256, 'd', 64);
    f->build.nfonts = 1;
    f->build.fonts_known = 1;
    f->doc.build = &f->build;

    /* Kolada publishes percentages; 2023 has no national phone figure
     * (Kolada's null), which must stay a gap. */
    static uf_kolada_value kv[] = {
        {"N79173", "0000", 2023, 87.0, 1, ""}, {"N79173", "0000", 2024, 88.5, 1, ""},
        {"N79173", "0007", 2023, 84.0, 1, ""}, {"N79173", "0007", 2024, 85.5, 1, ""},
        {"N79179", "0000", 2023, 0.0, 0, ""},  {"N79179", "0000", 2024, 90.1, 1, ""},
        {"N79179", "0007", 2024, 89.0, 1, ""},
    };
    f->kolada.n = sizeof kv / sizeof kv[0];
    f->kolada.v = kv;
    f->doc.kolada = &f->kolada;

    /* A late delivery changed three published figures. */
    static uf_change ch[] = {
        {"bedomning_3d", "REGION", "2024-07", 0.781, 0.786, "2024-08-06 07:15"},
        {"bedomning_3d", "VC07", "2024-07", 0.802, 0.795, "2024-08-06 07:15"},
        {"telefon_samma_dag", "VC29", "2024-06", NAN, 0.912, "2024-07-05 07:10"},
    };
    f->changes.n = sizeof ch / sizeof ch[0];
    f->changes.v = ch;
    f->doc.changes = approved ? NULL : &f->changes;
    return f;
}

static void fixture_free(fixture *f)
{
    for (size_t u = 0; u < f->report.nunits; u++) {
        free(f->report.units[u].id);
        free(f->report.units[u].name);
    }
    free(f->report.units);
    for (size_t s = 0; s < f->report.nseries; s++)
        free(f->report.series[s].cells);
    free(f->report.series);
    free(f->report.issues);
    free(f->inds.v);
    uf_build_free(&f->build);
    free(f);
}

#endif
