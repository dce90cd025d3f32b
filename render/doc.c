/* render/doc.c — reading a uf_doc the same way in every document: the value
 * people may see, the owner, the marks on an indicator (analysis missing,
 * an action overdue), the draft and preliminary stamps, and the words the
 * workbook and the PDF both print. */
#include "render/doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char uf_doc_title[] = "Uppföljning primärvård — tillgänglighet och kontinuitet";
const char uf_doc_no_owner[] = "Ägare saknas";

const uf_cell *uf_doc_cell(const uf_doc *d, size_t s, size_t row, int col)
{
    /* An indicator left out (its extract absent) may have no cells. */
    static const uf_cell missing = {.status = UF_ST_MISSING};
    const uf_series *se = &d->report->series[s];
    return (se->computed || se->lacks) && se->cells ? uf_report_cell(d->report, s, row, col)
                                                     : &missing;
}

int uf_doc_lacks(const uf_doc *d, size_t s, char *buf, size_t n)
{
    const char *file = d->report->series[s].lacks;
    if (file)
        snprintf(buf, n, "%s: %s", uf_status_label(UF_ST_NODATA), file);
    return file != NULL;
}

double uf_doc_shown(const uf_cell *c)
{
    return uf_cell_shown(c);
}

const char uf_doc_small_note[] = UF_DASH " = för litet underlag";
const char uf_doc_hidden_note[] =
    UF_DASH "d = dold så att ett värde med för litet underlag inte kan räknas fram ur de "
            "visade (sekundär röjandekontroll, se Definitioner)";

const char uf_doc_suppression_rule[] =
    "Röjandekontroll: ett värde vars underlag (n) är mindre än indikatorns minsta underlag "
    "visas inte (" UF_DASH ", för litet underlag). Eftersom regionens värde är summan av "
    "enheternas, och hittills i år och tertialet summan av månaderna, döljs också de färre "
    "andra värden (" UF_DASH "d, dold) som annars skulle låta det dolda räknas fram genom "
    "subtraktion; likaså en undergrupp (säbo) där resten av gruppen är för liten. Valet är "
    "bestämt: en enhet före regionen, sedan det minsta underlaget. Nämnaren (n) för ett dolt "
    "värde finns kvar i resultatfilen men inte täljaren eller värdet.";

const char *uf_doc_mark(uf_status s)
{
    return s == UF_ST_SMALL ? UF_DASH : s == UF_ST_HIDDEN ? UF_DASH "d" : NULL;
}

const char *uf_doc_owner(const uf_doc *d, const uf_indicator *ind)
{
    const char *o = d->cfg ? uf_config_owner(d->cfg, ind->id) : NULL;
    return o && *o ? o : uf_doc_no_owner;
}

const uf_comment *uf_doc_comment(const uf_doc *d, const uf_indicator *ind)
{
    return d->comments ? uf_comments_find(d->comments, ind->id) : NULL;
}

int uf_doc_analysis_missing(const uf_doc *d, size_t s)
{
    const uf_series *se = &d->report->series[s];
    uf_status st = uf_doc_cell(d, s, 0, UF_TREND - 1)->status;
    if (st != UF_ST_NEAR && st != UF_ST_MISSED)
        return 0;
    const uf_comment *c = uf_doc_comment(d, se->ind);
    return !c || !c->analysis || !c->analysis[strspn(c->analysis, " \t\r\n")];
}

int uf_doc_action_overdue(const uf_doc *d, const uf_action *a)
{
    if (!a->due || strlen(a->due) != 10 || (a->done && *a->done))
        return 0;
    /* ISO dates compare as strings. */
    uf_month p = d->report->period;
    char end[11];
    uf_day_format(uf_day_make(uf_month_year(p), uf_month_number(p),
                              uf_days_in_month(uf_month_year(p), uf_month_number(p))),
                  end);
    return strcmp(a->due, end) <= 0;
}

size_t uf_doc_count_analysis_missing(const uf_doc *d)
{
    size_t n = 0;
    for (size_t s = 0; s < d->report->nseries; s++)
        n += uf_doc_analysis_missing(d, s) != 0;
    return n;
}

const uf_indicator *uf_doc_indicator(const uf_doc *d, const char *id)
{
    const uf_report *r = d->report;
    for (size_t s = 0; s < r->nseries; s++)
        if (strcmp(r->series[s].ind->id, id) == 0)
            return r->series[s].ind;
    return NULL;
}

const char *uf_doc_unit_name(const uf_doc *d, const char *id)
{
    const uf_report *r = d->report;
    if (strcmp(id, "REGION") == 0)
        return d->cfg ? d->cfg->region_name : NULL;
    for (size_t u = 0; u < r->nunits; u++)
        if (strcmp(r->units[u].id, id) == 0)
            return r->units[u].name;
    return NULL;
}

size_t uf_doc_nchanges(const uf_doc *d)
{
    return d->changes ? d->changes->n : 0;
}

int uf_doc_approved(const uf_doc *d)
{
    return d->edition && d->edition->approved;
}

/* ------------------------------------------------------------ editions */

/* "2024-09-18": the day of t in Stockholm. */
static void day_of(int64_t t, char out[11])
{
    char when[32];
    uf_fmt_time_sv(t, when, sizeof when);
    snprintf(out, 11, "%.10s", when);
}

void uf_doc_approval_line(const uf_approval *a, char *out, size_t n)
{
    char day[11];
    day_of(a->at, day);
    snprintf(out, n, "%s%s%s (registrerat %s)", a->by, a->decision[0] ? ", " : "", a->decision,
             day);
}

void uf_doc_edition_line(const uf_edition *e, char *out, size_t n)
{
    char day[11];
    day_of(e->replaces_time, day);
    size_t at = (size_t)snprintf(out, n, "Utgåva %d, %s", e->number,
                                 e->approved ? "fastställd" : "utkast");
    if (e->replaces && at < n)
        snprintf(out + at, n - at, "; ersätter utgåva %d av %s%s", e->replaces, day,
                 e->replaces_approved ? ", som var fastställd" : "");
}

/* What one changed input says to a reader. */
static void change_words(const uf_input_change *c, char *out, size_t n)
{
    const char *r = c->role;
    if (strcmp(r, "extrakt") == 0 || strcmp(r, "http") == 0)
        snprintf(out, n, c->kind == UF_INPUT_GONE ? "%s levereras inte längre"
                                                  : "sen leverans av %s",
                 c->name);
    else if (strcmp(r, "config") == 0)
        snprintf(out, n, "ändrade inställningar (%s)", c->name);
    else if (strcmp(r, "targets") == 0)
        snprintf(out, n, "ändrade mål (%s)", c->name);
    else if (strcmp(r, "kommentarer") == 0)
        snprintf(out, n, "ändrade kommentarer (%s)", c->name);
    else if (strcmp(r, "indikator") == 0)
        snprintf(out, n, "ändrad indikatordefinition (%s)", c->name);
    else if (strcmp(r, "tidigare") == 0)
        snprintf(out, n, "ny utgåva av %s", c->period[0] ? c->period : c->name);
    else if (strcmp(r, "kolada") == 0)
        snprintf(out, n, "nya jämförelsetal från Kolada");
    else
        snprintf(out, n, "ändrat underlag (%s)", c->name);
}

void uf_doc_edition_reason(const uf_edition *e, char *out, size_t n)
{
    size_t at = 0;
    out[0] = '\0';
    /* Who approved it and by which decision is the status's to say. */
    if (e->approved && !e->nchanges) {
        snprintf(out, n, "fastställelse av utgåva %d", e->replaces);
        return;
    }
    for (size_t i = 0; i < e->nchanges && at < n; i++) {
        char w[200];
        change_words(&e->changes[i], w, sizeof w);
        if (strstr(out, w)) /* Kolada's pages, one phrase */
            continue;
        at += (size_t)snprintf(out + at, n - at, "%s%s", at ? ", " : "", w);
    }
    if (!at && e->forced)
        snprintf(out, n, "ny utgåva på begäran, med samma indata");
}

int uf_doc_closes_tertial(const uf_doc *d)
{
    return uf_month_number(d->report->period) % 4 == 0;
}

void uf_doc_stamp(const uf_doc *d, char *out, size_t n)
{
    int pre = d->report->preliminary, draft = !uf_doc_approved(d);
    snprintf(out, n, "%s%s%s", pre ? "PRELIMINÄR" : "", pre && draft ? " · " : "",
             draft ? "UTKAST" : "");
}
