/* render/pdf_sections.c — the pages of the book: the cover with the
 * document block, the summary table, the tertial summary when P closes a
 * tertial, and one section per indicator (its figures, the region's chart,
 * the analysis and the actions, the units' chart). */
#include "render/pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static uf_status region_status(const uf_doc *d, size_t s)
{
    return uf_doc_cell(d, s, 0, UF_TREND - 1)->status;
}

/* Where the summaries' rows link to: indicator s's section. */
static const char *indicator_dest(size_t s, char *buf, size_t n)
{
    snprintf(buf, n, "indikator-%zu", s + 1);
    return buf;
}

/* --------------------------------------------------------------- cover */

/* The document block of a governed document, from y down, and under it
 * the program that made the report. */
static void document_block(pdf *p, double y)
{
    const uf_doc *d = p->d;
    const uf_config *cfg = d->cfg;
    char run[32];
    uf_fmt_time_sv(d->run_time, run, sizeof run);
    run[10] = '\0'; /* the date of the run */
    const uf_edition *e = d->edition;
    char number[16] = "", approved[320] = "";
    if (e && e->number)
        snprintf(number, sizeof number, "%d", e->number);
    if (uf_doc_approved(d))
        uf_doc_approval_line(&e->approval, approved, sizeof approved);
    const char *v[][2] = {
        {"Dokument-ID", cfg ? cfg->document.id : NULL},
        {"Version", cfg ? cfg->document.version : NULL},
        {"Utgåva", number},
        {"Upprättad av", cfg ? cfg->document.prepared_by : NULL},
        {"Granskad av", cfg ? cfg->document.reviewed_by : NULL},
        {"Fastställd av", approved},
        {"Status", uf_doc_approved(d) ? "Fastställd" : "Utkast (ej fastställd)"},
        {"Datum", run},
    };
    double rowh = 20;
    cairo_set_line_width(p->cr, 0.5);
    pdf_tag_begin(p, "Table", NULL);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++, y += rowh) {
        pdf_ink(p, RULE);
        cairo_rectangle(p->cr, X0, y, TW, rowh);
        cairo_stroke(p->cr);
        pdf_ink(p, INK);
        pdf_tag_begin(p, "TR", NULL);
        pdf_text_as(p, "TH", F_BOLD, X0 + 6, y + 5, 110, T_ELLIPSIZE, v[i][0]);
        pdf_text_as(p, "TD", F_BODY, X0 + 130, y + 5, TW - 136, T_ELLIPSIZE,
                    v[i][1] && *v[i][1] ? v[i][1] : UF_DASH);
        pdf_tag_end(p);
    }
    pdf_tag_end(p);
    pdf_ink(p, GREY);
    char prog[160];
    snprintf(prog, sizeof prog, "Framställd med uppfolj %s, källrevision %s", d->build->version,
             d->build->revision);
    pdf_text_as(p, "P", F_SMALL, X0, y + 8, TW, T_WRAP, prog);
    pdf_ink(p, INK);
}

/* Which edition this is, what it replaces and why (SPEC "Editions and
 * approval"): from edition 2 on, before anything else on the cover. */
static void edition_lines(pdf *p)
{
    const uf_edition *e = p->d->edition;
    if (!e || !e->number)
        return;
    char line[256], why[700], buf[720];
    uf_doc_edition_line(e, line, sizeof line);
    p->y += 6 + pdf_text_as(p, "P", F_BOLD, X0, p->y + 6, TW, T_WRAP, line) + 4;
    uf_doc_edition_reason(e, why, sizeof why);
    if (!*why)
        return;
    snprintf(buf, sizeof buf, "Skäl: %s.", why);
    p->y += pdf_text_as(p, "P", F_BODY, X0, p->y, TW, T_WRAP, buf) + 6;
}

void pdf_cover(pdf *p)
{
    const uf_doc *d = p->d;
    const uf_config *cfg = d->cfg;
    char buf[256];
    p->y = 170;
    if (*p->stamp) {
        pdf_ink(p, TARGET);
        p->y += pdf_text_as(p, "P", FONT "Bold 20", X0, p->y, TW, T_WRAP, p->stamp) + 14;
        pdf_ink(p, INK);
    }
    p->y += pdf_text_as(p, "H1", FONT "Bold 22", X0, p->y, TW, T_WRAP, uf_doc_title) + 24;
    if (cfg && cfg->region_name)
        p->y += pdf_text_as(p, "P", FONT "16", X0, p->y, TW, T_WRAP, cfg->region_name) + 6;
    if (cfg && cfg->board)
        p->y += pdf_text_as(p, "P", FONT "13", X0, p->y, TW, T_WRAP, cfg->board) + 6;
    p->y += pdf_text_as(p, "P", FONT "Bold 16", X0, p->y, TW, T_WRAP, p->period) + 10;
    pdf_ink(p, GREY);
    p->y += pdf_text_as(p, "P", F_BODY, X0, p->y, TW, T_WRAP,
                     "Månadsuppföljning av tillgänglighet och kontinuitet i primärvården, mot de "
                     "mål nämnden har beslutat.") + 14;
    pdf_ink(p, INK);

    /* What the nämnd must know before it reads a figure. */
    if (d->report->preliminary) {
        pdf_ink(p, TARGET);
        p->y += pdf_text_as(p, "P", F_BOLD, X0, p->y, TW, T_WRAP,
                            "Preliminär rapport. Underlaget är ofullständigt: se Datakvalitet i "
                            "arbetsboken.") + 6;
        pdf_ink(p, INK);
    }
    size_t shown = d->report->nseries, missing = uf_doc_count_analysis_missing(d);
    if (missing) {
        snprintf(buf, sizeof buf, "%zu av %zu indikatorer saknar analys", missing, shown);
        pdf_ink(p, TARGET);
        p->y += pdf_text_as(p, "P", F_BOLD, X0, p->y, TW, T_WRAP, buf) + 6;
        pdf_ink(p, INK);
    } else {
        snprintf(buf, sizeof buf, "Alla indikatorer som inte når målet har en analys.");
        p->y += pdf_text_as(p, "P", F_BODY, X0, p->y, TW, T_WRAP, buf) + 6;
    }

    edition_lines(p);
    document_block(p, p->y + 20 > 520 ? p->y + 20 : 520);
}

/* ----------------------------------------------------- changed figures */

enum { LISTED_CHANGES = 10 };

/* How much a change weighs for "the largest first": in the figure's own
 * scale (percentage points for shares); one that appeared or vanished
 * comes after every number that moved. */
static double change_size(const uf_doc *d, const uf_change *c)
{
    const uf_indicator *ind = uf_doc_indicator(d, c->indicator);
    double v = fabs(c->new_value - c->old_value);
    return isnan(v) ? -1 : v * (ind && ind->kind == UF_KIND_PERCENT ? 100 : 1);
}

typedef struct {
    double size;
    const uf_change *c;
} sized_change;

static int larger_first(const void *a, const void *b)
{
    double x = ((const sized_change *)a)->size, y = ((const sized_change *)b)->size;
    return (x < y) - (x > y);
}

/* The figures that differ from earlier editions, the largest first
 * (indicator, unit, month, old → new), then how many more the workbook's
 * Ändringar lists. */
static void changed_figures(pdf *p)
{
    const uf_doc *d = p->d;
    size_t nch = uf_doc_nchanges(d);
    if (!nch)
        return;
    char buf[512];
    snprintf(buf, sizeof buf,
             "%zu %s har ändrats sedan tidigare utgåvor (se arbetsbokens blad Ändringar).", nch,
             nch == 1 ? "siffra" : "siffror");
    p->y += 8;
    pdf_flow(p, F_BOLD, X0, TW, buf);
    sized_change *v = uf_xcalloc(nch, sizeof *v);
    for (size_t i = 0; i < nch; i++)
        v[i] = (sized_change){change_size(d, &d->changes->v[i]), &d->changes->v[i]};
    qsort(v, nch, sizeof *v, larger_first);
    for (size_t i = 0; i < nch && i < LISTED_CHANGES; i++) {
        const uf_change *c = v[i].c;
        const uf_indicator *ind = uf_doc_indicator(d, c->indicator);
        char was[64] = UF_DASH, now[64] = UF_DASH;
        if (ind) {
            uf_fmt_value(ind, c->old_value, was, sizeof was);
            uf_fmt_value(ind, c->new_value, now, sizeof now);
        }
        const char *unit = uf_doc_unit_name(d, c->unit);
        snprintf(buf, sizeof buf, "%s, %s, %s: %s \xe2\x86\x92 %s", ind ? ind->name : c->indicator,
                 unit ? unit : c->unit, c->period, was, now);
        pdf_flow(p, F_BODY, X0 + 10, TW - 10, buf);
    }
    if (nch > LISTED_CHANGES) {
        snprintf(buf, sizeof buf, "och %zu till.", nch - LISTED_CHANGES);
        pdf_flow(p, F_BODY, X0 + 10, TW - 10, buf);
    }
    free(v);
}

/* ------------------------------------------------------------- summary */

/* The name wrapped in its column, then the value and the target ("Inget
 * mål" when none) flush right: how a row of either summary table begins. */
static void figure_cells(pdf *p, const double *x, const double *w, size_t s, double v,
                         const uf_target *t)
{
    const uf_indicator *ind = p->d->report->series[s].ind;
    char buf[64];
    /* The name links to the indicator's section. */
    pdf_tag_begin(p, "TD", NULL);
    pdf_link_begin(p, indicator_dest(s, buf, sizeof buf));
    pdf_text(p, F_BODY, x[0], p->y, w[0] - 8, T_WRAP, ind->name);
    pdf_tag_end(p);
    pdf_tag_end(p);
    uf_fmt_value(ind, v, buf, sizeof buf);
    pdf_text_as(p, "TD", F_BODY, x[1], p->y, w[1] - 6, T_RIGHT, buf);
    if (t)
        uf_fmt_target_value(ind, t->value, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "Inget mål");
    pdf_text_as(p, "TD", F_BODY, x[2], p->y, w[2] - 6, T_RIGHT, buf);
}

/* Indicator s in the summary: P's value, target, status (and "Analys
 * saknas" under it), the change against the month before and a year
 * before. */
static void summary_row(pdf *p, const double *x, const double *w, size_t s)
{
    const uf_doc *d = p->d;
    const uf_indicator *ind = d->report->series[s].ind;
    const uf_cell *c = uf_doc_cell(d, s, 0, UF_TREND - 1);
    char buf[64];
    int missing = uf_doc_analysis_missing(d, s);
    double h = pdf_text(p, F_BODY, x[0], p->y, w[0] - 8, T_WRAP | T_NODRAW, ind->name);
    double hs = missing || d->report->series[s].lacks ? 26 : 13;
    double rh = (h > hs ? h : hs) + 6;
    pdf_ensure(p, rh);
    pdf_tag_begin(p, "TR", NULL);
    figure_cells(p, x, w, s, uf_doc_shown(c), c->target);
    pdf_status_mark(p, x[3] + 6, p->y, w[3] - 6, region_status(d, s), F_BODY, "TD",
                    missing ? "Analys saknas" : d->report->series[s].lacks);
    double now = uf_doc_shown(c);
    uf_fmt_change(ind, now - uf_doc_shown(uf_doc_cell(d, s, 0, UF_TREND - 2)), buf, sizeof buf);
    pdf_text_as(p, "TD", F_BODY, x[4], p->y, w[4] - 6, T_RIGHT, buf);
    uf_fmt_change(ind, now - uf_doc_shown(uf_doc_cell(d, s, 0, 0)), buf, sizeof buf);
    pdf_text_as(p, "TD", F_BODY, x[5], p->y, w[5] - 6, T_RIGHT, buf);
    pdf_tag_end(p);
    p->y += rh;
    pdf_table_rule(p);
}

/* The key, so the shapes read without colour, and what the table means. */
static void summary_key(pdf *p)
{
    p->y += 10;
    pdf_ensure(p, 70);
    static const uf_status key[] = {UF_ST_MET,      UF_ST_NEAR,  UF_ST_MISSED,
                                    UF_ST_NOTARGET, UF_ST_SMALL, UF_ST_NODATA};
    /* "underlag saknas" only in a report that has it */
    int lacking = 0;
    for (size_t s = 0; s < p->d->report->nseries; s++)
        lacking |= p->d->report->series[s].lacks != NULL;
    size_t nkey = sizeof key / sizeof key[0] - !lacking;
    double kx = X0;
    pdf_tag_begin(p, "P", NULL);
    for (size_t i = 0; i < nkey; i++) {
        double kw = 14 + pdf_text_width(p, F_SMALL, uf_status_label(key[i])) + 14;
        pdf_status_mark(p, kx, p->y, kw, key[i], F_SMALL, NULL, NULL);
        kx += kw;
    }
    pdf_tag_end(p);
    p->y += 16;
    pdf_ink(p, GREY);
    pdf_flow(p, F_SMALL, X0, TW,
             "Utfall för regionen som helhet. Förändringar i procentenheter (p.e.) för andelar. "
             "Status jämför utfallet med det mål som gäller för perioden; nära betyder att målet "
             "missas med högst indikatorns tolerans. " UF_DASH " = värdet visas inte (för litet "
             "underlag eller uppgift saknas). Analys saknas = målet nås inte och ingen analys har "
             "lämnats.");
    p->y += 4;
    pdf_flow(p, F_SMALL, X0, TW, uf_doc_suppression_rule);
    pdf_ink(p, INK);
}

void pdf_summary(pdf *p)
{
    const uf_doc *d = p->d;
    const uf_report *r = d->report;
    char buf[160];
    snprintf(buf, sizeof buf, "Sammanfattning, %s", p->period);
    pdf_dest(p, "sammanfattning", buf);
    p->y += pdf_text_as(p, "H2", F_H1, X0, p->y, TW, T_WRAP, buf) + 12;

    enum { NC = 6 };
    const double w[NC] = {155, 58, 52, 106, 62, 62};
    char per[32], prev[48], year_ago[48];
    uf_fmt_period_sv(r->period - 1, per, sizeof per);
    snprintf(prev, sizeof prev, "Mot %s", per);
    uf_fmt_period_sv(r->period - 12, per, sizeof per);
    snprintf(year_ago, sizeof year_ago, "Mot %s", per);
    const char *head[NC] = {"Indikator", "Utfall", "Mål", "Status", prev, year_ago};
    double x[NC + 1];
    pdf_table_columns(w, NC, x);
    pdf_tag_begin(p, "Table", NULL);
    pdf_table_head(p, x, w, head, NC);
    for (size_t s = 0; s < r->nseries; s++)
        summary_row(p, x, w, s);
    pdf_tag_end(p);
    summary_key(p);

    changed_figures(p);
    pdf_overdue_actions(p);
}

/* -------------------------------------------------------- tertial page */

/* The same tertial a year before, where the report holds it: an indicator
 * that takes the tertial's last month (a snapshot) has it 12 months back;
 * a summed one would need months before the 13 shown. */
static double tertial_year_ago(const uf_doc *d, size_t s)
{
    if (d->report->series[s].ind->aggregation != UF_AGG_LAST)
        return NAN;
    return uf_doc_shown(uf_doc_cell(d, s, 0, 0));
}

/* Indicator s over the tertial: its value, target and status, the same
 * tertial a year before and the change.  1 when last year's figure is
 * missing because a summed indicator's months lie before the report. */
static int tertial_row(pdf *p, const double *x, const double *w, size_t s)
{
    const uf_doc *d = p->d;
    const uf_indicator *ind = d->report->series[s].ind;
    const uf_cell *c = uf_doc_cell(d, s, 0, UF_COL_TERTIAL);
    char buf[64];
    double rh = pdf_text(p, F_BODY, x[0], p->y, w[0] - 8, T_WRAP | T_NODRAW, ind->name) + 6;
    double least = d->report->series[s].lacks ? 32 : 19;
    rh = rh < least ? least : rh;
    pdf_ensure(p, rh);
    double now = uf_doc_shown(c), then = tertial_year_ago(d, s);
    pdf_tag_begin(p, "TR", NULL);
    figure_cells(p, x, w, s, now, c->target);
    pdf_status_mark(p, x[3] + 6, p->y, w[3] - 6, c->status, F_BODY, "TD",
                    d->report->series[s].lacks);
    uf_fmt_value(ind, then, buf, sizeof buf);
    pdf_text_as(p, "TD", F_BODY, x[4], p->y, w[4] - 6, T_RIGHT, buf);
    uf_fmt_change(ind, now - then, buf, sizeof buf);
    pdf_text_as(p, "TD", F_BODY, x[5], p->y, w[5] - 6, T_RIGHT, buf);
    pdf_tag_end(p);
    p->y += rh;
    pdf_table_rule(p);
    return isnan(then) && ind->aggregation != UF_AGG_LAST;
}

void pdf_tertial_page(pdf *p)
{
    const uf_doc *d = p->d;
    const uf_report *r = d->report;
    char buf[256], tert[16], prev[16];
    uf_fmt_tertial(r->period, tert, sizeof tert);
    uf_fmt_tertial(r->period - 12, prev, sizeof prev);
    snprintf(buf, sizeof buf, "Tertialsammanfattning %s", tert);
    pdf_dest(p, "tertial", buf);
    p->y += pdf_text_as(p, "H2", F_H1, X0, p->y, TW, T_WRAP, buf) + 4;
    pdf_ink(p, GREY);
    uf_month first = uf_tertial_first(r->period);
    char a[32], b[32];
    uf_fmt_period_sv(first, a, sizeof a);
    uf_fmt_period_sv(r->period, b, sizeof b);
    snprintf(buf, sizeof buf, "Tertialen %s – %s, regionen som helhet.", a, b);
    p->y += pdf_text_as(p, "P", F_BODY, X0, p->y, TW, T_WRAP, buf) + 12;
    pdf_ink(p, INK);

    enum { NC = 6 };
    const double w[NC] = {144, 58, 54, 100, 72, 67};
    char h1[48], h4[48];
    snprintf(h1, sizeof h1, "Utfall %s", tert);
    snprintf(h4, sizeof h4, "Samma tertial i fjol (%s)", prev);
    const char *head[NC] = {"Indikator", h1, "Mål", "Status", h4, "Förändring"};
    double x[NC + 1];
    pdf_table_columns(w, NC, x);
    pdf_tag_begin(p, "Table", NULL);
    pdf_table_head(p, x, w, head, NC);
    int summed = 0;
    for (size_t s = 0; s < r->nseries; s++)
        summed |= tertial_row(p, x, w, s);
    pdf_tag_end(p);
    p->y += 8;
    pdf_ink(p, GREY);
    pdf_flow(p, F_SMALL, X0, TW,
             "Tertialens utfall summerar tertialens månader (täljare genom nämnare); för "
             "ögonblicksbilder som listning och kontinuitet är det tertialens sista månad. "
             "Förändring i procentenheter (p.e.) för andelar.");
    if (summed) {
        snprintf(buf, sizeof buf,
                 UF_DASH " i fjolårets kolumn: en summerad indikators %s ligger före "
                 "rapportens 13 månader och visas därför inte.", prev);
        pdf_flow(p, F_SMALL, X0, TW, buf);
    }
    pdf_ink(p, INK);
}

/* ----------------------------------------------------------- indicator */

static void commentary(pdf *p, size_t s)
{
    const uf_doc *d = p->d;
    const uf_comment *c = uf_doc_comment(d, d->report->series[s].ind);
    p->y += 8;
    pdf_ensure(p, 40);
    p->y += pdf_text_as(p, "H3", F_H2, X0, p->y, TW, T_WRAP, "Analys") + 3;
    if (c && c->analysis && *c->analysis) {
        pdf_flow(p, F_BODY, X0, TW, c->analysis);
    } else if (uf_doc_analysis_missing(d, s)) {
        pdf_ink(p, TARGET);
        pdf_flow(p, F_BOLD, X0, TW, "Analys saknas: målet nås inte och ingen analys har lämnats.");
        pdf_ink(p, INK);
    } else {
        pdf_ink(p, GREY);
        pdf_flow(p, F_BODY, X0, TW, "Ingen analys lämnad.");
        pdf_ink(p, INK);
    }
    p->y += 8;
    if (c && c->nactions) {
        pdf_indicator_actions(p, c);
    } else {
        pdf_ensure(p, 40);
        p->y += pdf_text_as(p, "H3", F_H2, X0, p->y, TW, T_WRAP, "Åtgärder") + 3;
        pdf_ink(p, GREY);
        pdf_flow(p, F_BODY, X0, TW, "Inga åtgärder angivna.");
        pdf_ink(p, INK);
    }
}

void pdf_indicator_page(pdf *p, size_t s)
{
    const uf_doc *d = p->d;
    const uf_indicator *ind = d->report->series[s].ind;
    const uf_cell *c = uf_doc_cell(d, s, 0, UF_TREND - 1);
    char buf[512], v[64];
    pdf_dest(p, indicator_dest(s, v, sizeof v), ind->name);
    p->y += pdf_text_as(p, "H2", F_H1, X0, p->y, TW, T_WRAP, ind->name) + 6;
    uf_fmt_target(ind, c->target, buf, sizeof buf);
    p->y += pdf_text_as(p, "P", F_BODY, X0, p->y, TW, T_WRAP, buf) + 2;
    const char *owner = uf_doc_owner(d, ind);
    snprintf(buf, sizeof buf, owner == uf_doc_no_owner ? "%s" : "Ägare: %s", owner);
    p->y += pdf_text_as(p, "P", F_BODY, X0, p->y, TW, T_WRAP, buf) + 4;
    uf_fmt_value(ind, uf_doc_shown(c), v, sizeof v);
    snprintf(buf, sizeof buf, "Utfall %s: %s", p->period, v);
    double w = pdf_text_width(p, F_BOLD, buf);
    pdf_tag_begin(p, "P", NULL);
    double h = pdf_text(p, F_BOLD, X0, p->y, TW, T_ELLIPSIZE, buf);
    uf_status st = region_status(d, s);
    pdf_status_mark(p, X0 + w + 10, p->y, 130, st, F_BOLD, NULL, NULL);
    if (uf_doc_analysis_missing(d, s)) {
        double ax = X0 + w + 10 + 14 + pdf_text_width(p, F_BOLD, uf_status_label(st)) + 14;
        pdf_ink(p, TARGET);
        pdf_text(p, F_BOLD, ax, p->y, X1 - ax, T_ELLIPSIZE, "Analys saknas");
        pdf_ink(p, INK);
    }
    pdf_tag_end(p);
    p->y += h + 12;
    char lacks[128];
    if (uf_doc_lacks(d, s, lacks, sizeof lacks)) {
        snprintf(buf, sizeof buf, "%s. Indikatorn kunde inte beräknas för %s; rapporten är "
                 "preliminär.", lacks, p->period);
        pdf_flow(p, F_BOLD, X0, TW, buf);
        p->y += 8;
    }
    if (!d->report->series[s].computed) {
        pdf_trend_chart(p, s); /* the months published before, if any */
        commentary(p, s);
        return;
    }
    /* The analysis and actions under the region's chart, which they speak
     * to, then the units' charts (the funnel, the bars): on its own a page
     * after the bars would often hold only "Analys saknas". */
    pdf_trend_chart(p, s);
    commentary(p, s);
    p->y += 10;
    pdf_funnel *pf = pdf_funnel_of(p, s);
    if (pf) {
        pdf_funnel_chart(p, s, pf);
    } else if (ind->share || uf_doc_is_patient_mean(ind)) {
        pdf_ink(p, GREY);
        pdf_flow(p, F_SMALL, X0, TW,
                 "Ingen tratt: underlaget räcker inte (ingen vårdcentral har ett värde som "
                 "visas, eller regionens värde eller, för ett medelvärde, spridningen mellan "
                 "patienterna saknas).");
        pdf_ink(p, INK);
        p->y += 8;
    }
    pdf_bar_chart(p, s, pf ? &pf->f : NULL);
}
