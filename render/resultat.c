/* render/resultat.c — resultat-P.csv: every figure of the report as one
 * machine-readable row, numbers in the C locale ("0.855").
 *
 * The file is RFC 4180 and safe to open in a spreadsheet.  Numbers are
 * written bare ("-0.5" stays a number).  A text cell (indikator, enhet_id,
 * period, status) that Excel or LibreOffice would run as a formula — one
 * that starts with = + - @, a tab or a CR (OWASP, "CSV Injection") — gets a
 * leading apostrophe, as does one that starts with an apostrophe, so that a
 * reader takes exactly one off whenever it is there (compute/editions.h).
 * Such a cell, and one holding ; , " CR LF or edge spaces, is quoted. */
#include "render/doc.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void number(FILE *out, double v)
{
    fprintf(out, "%.10g", v);
}

/* A text cell, defused and quoted as the top of the file says. */
static void text(FILE *out, const char *s)
{
    size_t n = strlen(s);
    int defuse = n > 0 && strchr("=+-@\t\r'", s[0]);
    int edge = n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == '\t');
    int quote = defuse || edge || s[strcspn(s, ";,\"\r\n")];
    if (quote)
        fputc('"', out);
    if (defuse)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    if (quote)
        fputc('"', out);
}

static void row(FILE *out, const uf_series *s, const char *unit, const char *period,
                const uf_cell *c, int hide, uf_status status)
{
    text(out, s->ind->id);
    fputc(';', out);
    text(out, unit);
    fputc(';', out);
    text(out, period);
    fputc(';', out);
    int none = c->status == UF_ST_NODATA; /* no counts at all: its extract is missing */
    if (!hide && !none)
        number(out, c->num);
    fputc(';', out);
    if (!none)
        number(out, c->den);
    fputc(';', out);
    if (!hide && c->den != 0)
        number(out, c->num / c->den);
    fputc(';', out);
    if (c->target)
        number(out, c->target->value);
    fputc(';', out);
    text(out, uf_status_word(status));
    fputc('\n', out);
}

int uf_render_resultat(const uf_doc *d, FILE *out, int unsuppressed, uf_error *err)
{
    const uf_report *r = d->report;
    int keep = unsuppressed || (d->cfg && d->cfg->internal);
    uf_month p = r->period;
    uf_month jan = p - (uf_month_number(p) - 1), tertial = uf_tertial_first(p);
    char ytd[16], ter[16], month[8], to[8];
    uf_month_format(p, to);
    uf_month_format(jan, month);
    snprintf(ytd, sizeof ytd, "%s/%s", month, to);
    uf_month_format(tertial, month);
    snprintf(ter, sizeof ter, "%s/%s", month, to);

    fputs("indikator;enhet_id;period;taljare;namnare;varde;mal;status\n", out);
    for (size_t i = 0; i < r->nseries; i++) {
        const uf_series *s = &r->series[i];
        if (!s->computed && !s->lacks)
            continue;
        for (size_t u = 0; u <= r->nunits; u++) {
            const char *unit = u ? r->units[u - 1].id : "REGION";
            for (int c = 0; c < UF_NCOLS; c++) {
                const uf_cell *cell = uf_report_cell(r, i, u, c);
                /* a missing extract is said for P, the month it was due */
                int said = cell->present || (c == UF_TREND - 1 && cell->status == UF_ST_NODATA);
                if (!said || (c == UF_COL_TERTIAL && tertial == jan))
                    continue;
                const char *period = ytd;
                if (c == UF_COL_TERTIAL)
                    period = ter;
                else if (c < UF_TREND) {
                    uf_month_format(p - (UF_TREND - 1) + c, month);
                    period = month;
                }
                /* num NAN: suppressed by the edition it came from, even for "internal" */
                row(out, s, unit, period, cell,
                    (!keep && uf_status_hidden(cell->status)) || isnan(cell->num),
                    unsuppressed && cell->status == UF_ST_HIDDEN ? cell->judged : cell->status);
            }
        }
    }
    if (fflush(out) != 0 || ferror(out)) {
        uf_error_set(err, UF_ERR_IO, "resultat", 0, 0, NULL, "kunde inte skriva: %s",
                     uf_strerrno(errno));
        return -1;
    }
    return 0;
}
