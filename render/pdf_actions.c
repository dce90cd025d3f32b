/* render/pdf_actions.c — the action tables: what an indicator's owner has
 * promised, by whom and by when; an overdue one is marked in a way that
 * survives black and white. */
#include "render/pdf.h"

#include <stdio.h>

/* The columns of an action table; with the indicator first in the
 * summary's list of overdue actions. */
enum { A_IND, A_ACTION, A_OWNER, A_DUE, A_STATE, A_NC };

/* "Försenad, från 2024-06": late, and carried forward from an earlier
 * month's comments. */
static void action_state(const uf_doc *d, const uf_action *a, char *out, size_t n)
{
    int late = uf_doc_action_overdue(d, a);
    const char *st = a->done && *a->done ? a->done : late ? "Försenad" : "Pågår";
    if (a->from && *a->from)
        snprintf(out, n, "%s, från %s", st, a->from);
    else
        snprintf(out, n, "%s", st);
}

/* The cells of an action row; w[A_IND] == 0 leaves the indicator out.
 * Late rows get a "!" that survives black and white.  Returns the row's
 * height. */
static double action_cells(pdf *p, const double *w, const char *ind, const uf_action *a,
                           char *lstate, size_t n, const char *cell[A_NC])
{
    char state[128];
    action_state(p->d, a, state, sizeof state);
    snprintf(lstate, n, "%s%s", uf_doc_action_overdue(p->d, a) ? "! " : "", state);
    const char *c[A_NC] = {ind, a->action, a->owner, a->due, lstate};
    double rh = 0;
    for (int k = 0; k < A_NC; k++) {
        cell[k] = c[k];
        if (w[k] <= 0)
            continue;
        double h = pdf_text(p, F_BODY, 0, p->y, w[k] - 6, T_WRAP | T_NODRAW, c[k]);
        rh = h > rh ? h : rh;
    }
    return rh;
}

/* One row of an action table; late rows are bold and dark red. */
static void action_row(pdf *p, const double *x, const double *w, const char *ind,
                       const uf_action *a)
{
    char lstate[140];
    const char *cell[A_NC];
    double rh = action_cells(p, w, ind, a, lstate, sizeof lstate, cell);
    int late = uf_doc_action_overdue(p->d, a);
    pdf_ensure(p, rh + 4);
    pdf_tag_begin(p, "TR", NULL);
    for (int k = 0; k < A_NC; k++) {
        if (w[k] <= 0)
            continue;
        if (k == A_STATE && late)
            pdf_ink(p, TARGET);
        pdf_text_as(p, "TD", k == A_STATE && late ? F_BOLD : F_BODY, x[k], p->y, w[k] - 6, T_WRAP,
                    cell[k]);
        pdf_ink(p, INK);
    }
    pdf_tag_end(p);
    p->y += rh + 4;
}

/* The table's title and head row, on the page of the first row, which
 * follows; the "Table" it opens is ended by the caller after the last row. */
static void action_head(pdf *p, const double *x, const double *w, const char *title,
                        const char *ind, const uf_action *first)
{
    static const char *const head[A_NC] = {"Indikator", "Åtgärd", "Ansvarig", "Klart senast",
                                           "Läge"};
    char lstate[140];
    const char *cell[A_NC];
    double th = pdf_text(p, F_H2, X0, p->y, TW, T_WRAP | T_NODRAW, title) + 3 + 14;
    pdf_ensure(p, th + action_cells(p, w, ind, first, lstate, sizeof lstate, cell) + 4);
    p->y += pdf_text_as(p, "H3", F_H2, X0, p->y, TW, T_WRAP, title) + 3;
    pdf_tag_begin(p, "Table", NULL);
    pdf_tag_begin(p, "TR", NULL);
    for (int k = 0; k < A_NC; k++)
        if (w[k] > 0)
            pdf_text_as(p, "TH", F_BOLD, x[k], p->y, w[k] - 6, T_ELLIPSIZE, head[k]);
    pdf_tag_end(p);
    p->y += 14;
}

static void action_columns(int with_indicator, double *x, double *w)
{
    static const double wide[A_NC] = {0, 215, 120, 70, 90};
    static const double listed[A_NC] = {100, 150, 95, 70, 80};
    for (int k = 0; k < A_NC; k++)
        w[k] = with_indicator ? listed[k] : wide[k];
    pdf_table_columns(w, A_NC, x);
}

/* The summary's list: every overdue action of every indicator. */
void pdf_overdue_actions(pdf *p)
{
    const uf_doc *d = p->d;
    double x[A_NC + 1], w[A_NC];
    action_columns(1, x, w);
    int any = 0;
    for (size_t s = 0; s < d->report->nseries; s++) {
        const uf_indicator *ind = d->report->series[s].ind;
        const uf_comment *c = uf_doc_comment(d, ind);
        const char *name = ind->short_name ? ind->short_name : ind->name;
        for (size_t i = 0; c && i < c->nactions; i++) {
            if (!uf_doc_action_overdue(d, &c->actions[i]))
                continue;
            if (!any++) {
                p->y += 14;
                action_head(p, x, w, "Försenade åtgärder", name, &c->actions[i]);
            }
            action_row(p, x, w, name, &c->actions[i]);
        }
    }
    if (any)
        pdf_tag_end(p);
}

/* The indicator's actions: the overdue ones first, under their own head. */
void pdf_indicator_actions(pdf *p, const uf_comment *c)
{
    double x[A_NC + 1], w[A_NC];
    action_columns(0, x, w);
    for (int late = 1; late >= 0; late--) {
        int any = 0;
        for (size_t i = 0; i < c->nactions; i++) {
            if (uf_doc_action_overdue(p->d, &c->actions[i]) != late)
                continue;
            if (!any++)
                action_head(p, x, w, late ? "Försenade åtgärder" : "Åtgärder", NULL,
                            &c->actions[i]);
            action_row(p, x, w, NULL, &c->actions[i]);
        }
        if (any) {
            pdf_tag_end(p);
            p->y += 6;
        }
    }
}
