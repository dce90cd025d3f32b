/* render/xlsx.c — uppfolj-P.xlsx with libxlsxwriter 1.1.4.
 *
 * Every figure is written as a number with a number format, never as text,
 * so a controller can compute with it; only a suppressed value is text,
 * "–" or "–d" (uf_doc_mark), explained by a footnote that also prints.  The workbook's creation
 * time is the run time, which makes a re-run byte-identical. */
#include "render/doc.h"

#include <glib.h>
#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

/* Excel allows 31 characters in a sheet name; libxlsxwriter 1.1.4 builds
 * the autofilter and print-title names in 128-byte buffers, so the bytes
 * are capped too (31 characters of åäö are 62 bytes). */
enum { SHEET_CHARS = 31, SHEET_BYTES = 64 };
typedef char sheet_name_t[SHEET_BYTES + 1];

typedef struct {
    const uf_doc *d;
    lxw_workbook *wb;
    lxw_format *title, *bold, *head, *text, *wrap, *dash, *small, *small_wrap, *flag;
    lxw_format *status[UF_NSTATUS];
    lxw_format *count; /* bytes in "Om rapporten" */
    lxw_format *date, *date_flag; /* an action's due date, on time and late */
    char footer[LXW_HEADER_FOOTER_MAX + 1];
    /* The sheet being written: its columns' widths (0: the default) and
     * the height in points its wrapped cells and titles need per row,
     * which page_setup sets: neither Excel nor LibreOffice fits a row to
     * text it did not type itself, and printed it overprints. */
    double width[32];
    GArray *heights; /* double per row, 0: the default */
} xw;

/* Per indicator: the value format, bold for the region, and the change. */
typedef struct {
    lxw_format *value, *value_bold, *change;
} ind_formats;

static lxw_format *fmt(xw *x, int bold, const char *num, int wrap)
{
    lxw_format *f = workbook_add_format(x->wb);
    format_set_font_name(f, "Calibri");
    format_set_font_size(f, 11);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (bold)
        format_set_bold(f);
    if (num)
        format_set_num_format(f, num);
    if (wrap)
        format_set_text_wrap(f);
    return f;
}

static void formats_make(xw *x)
{
    x->title = fmt(x, 1, NULL, 0);
    format_set_font_size(x->title, 14);
    x->bold = fmt(x, 1, NULL, 0);
    x->head = fmt(x, 1, NULL, 1);
    format_set_bottom(x->head, LXW_BORDER_THIN);
    format_set_bg_color(x->head, 0xF2F2F2);
    format_set_pattern(x->head, LXW_PATTERN_SOLID);
    x->text = fmt(x, 0, NULL, 0);
    x->wrap = fmt(x, 0, NULL, 1);
    x->dash = fmt(x, 0, NULL, 0);
    format_set_align(x->dash, LXW_ALIGN_RIGHT);
    x->small = fmt(x, 0, NULL, 0);
    format_set_italic(x->small);
    x->small_wrap = fmt(x, 0, NULL, 1);
    format_set_italic(x->small_wrap);
    x->flag = fmt(x, 1, NULL, 0);
    format_set_font_color(x->flag, 0x9C0006);
    x->count = fmt(x, 0, "#,##0", 0);
    x->date = fmt(x, 0, "yyyy-mm-dd", 0);
    x->date_flag = fmt(x, 1, "yyyy-mm-dd", 0);
    format_set_font_color(x->date_flag, 0x9C0006);
    /* Excel's own good / neutral / bad colours; the word is always there,
     * so the colour only repeats it. */
    static const struct {
        lxw_color_t fill, font;
    } light[UF_NSTATUS] = {
        [UF_ST_MISSING] = {0xD9D9D9, 0x000000}, [UF_ST_NOTARGET] = {0xD9D9D9, 0x000000},
        [UF_ST_MET] = {0xC6EFCE, 0x006100},     [UF_ST_NEAR] = {0xFFEB9C, 0x9C5700},
        [UF_ST_MISSED] = {0xFFC7CE, 0x9C0006},  [UF_ST_SMALL] = {0xD9D9D9, 0x000000},
        [UF_ST_NODATA] = {0xD9D9D9, 0x000000},  [UF_ST_HIDDEN] = {0xD9D9D9, 0x000000},
    };
    for (int s = 0; s < UF_NSTATUS; s++) {
        x->status[s] = fmt(x, 0, NULL, 0);
        format_set_bg_color(x->status[s], light[s].fill);
        format_set_pattern(x->status[s], LXW_PATTERN_SOLID);
        format_set_font_color(x->status[s], light[s].font);
    }
}

/* "0.0%", "0.00", "#,##0": Excel stores the en-US form and shows each
 * reader's own separators ("85,3%", "1 100" in Swedish Excel). */
static void num_format(const uf_indicator *ind, int change, char *out, size_t n)
{
    char frac[8] = "";
    int dec = ind->decimals < 0 ? 0 : ind->decimals > 6 ? 6 : ind->decimals;
    if (dec)
        snprintf(frac, sizeof frac, ".%.*s", dec, "000000");
    const char *base = ind->kind == UF_KIND_COUNT ? "#,##0" : "0";
    if (!change)
        snprintf(out, n, "%s%s%s", base, frac, ind->kind == UF_KIND_PERCENT ? "%" : "");
    else if (ind->kind == UF_KIND_PERCENT)
        snprintf(out, n, "+0%s\" p.e.\";-0%s\" p.e.\";0%s\" p.e.\"", frac, frac, frac);
    else
        snprintf(out, n, "+%s%s;-%s%s;%s%s", base, frac, base, frac, base, frac);
}

static ind_formats ind_formats_make(xw *x, const uf_indicator *ind)
{
    char v[64], c[96];
    num_format(ind, 0, v, sizeof v);
    num_format(ind, 1, c, sizeof c);
    return (ind_formats){fmt(x, 0, v, 0), fmt(x, 1, v, 0), fmt(x, 0, c, 0)};
}

/* A change as Excel should hold it: percentage points for percent. */
static double change_value(const uf_indicator *ind, double from, double to)
{
    return (to - from) * (ind->kind == UF_KIND_PERCENT ? 100.0 : 1.0);
}

/* The sheet's column widths, noted for wrap_lines. */
static void set_width(xw *x, lxw_worksheet *ws, int first, int last, double w)
{
    worksheet_set_column(ws, (lxw_col_t)first, (lxw_col_t)last, w, NULL);
    for (int c = first; c <= last && c < (int)(sizeof x->width / sizeof x->width[0]); c++)
        x->width[c] = w;
}

/* The lines s takes wrapped by words in a column w characters wide (a
 * character of Calibri 11 is narrower than the '0' Excel's widths count,
 * and one is kept for the cell's margins, so this errs towards room to
 * spare, bold text too). */
static int wrap_lines(const char *s, double w)
{
    int room = (int)w - 1, lines = 1, at = 0;
    room = room < 4 ? 4 : room;
    while (*s) {
        if (*s == '\n') {
            lines++, at = 0, s++;
            continue;
        }
        size_t n = strcspn(s, " \n");
        int chars = (int)g_utf8_strlen(s, (gssize)n);
        if (at && at + 1 + chars > room)
            lines++, at = 0;
        at += (at ? 1 : 0) + chars;
        while (at > room) /* a word longer than the column breaks */
            lines++, at -= room;
        s += n;
        s += *s == ' ';
    }
    return lines;
}

/* Row needs h points at least; page_setup sets the tallest asked for. */
static void row_needs(xw *x, int row, double h)
{
    if (h <= LXW_DEF_ROW_HEIGHT)
        return;
    if ((guint)row >= x->heights->len)
        g_array_set_size(x->heights, (guint)row + 1);
    double *have = &g_array_index(x->heights, double, row);
    *have = h > *have ? h : *have;
}

static void put_str(xw *x, lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
    if (!s || !*s)
        return;
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
    double h = 0;
    if (f == x->title) {
        h = 21; /* 14 points in a row of 15 runs into the next */
    } else if (f == x->wrap || f == x->head) {
        double w = col < (int)(sizeof x->width / sizeof x->width[0]) && x->width[col] > 0
                       ? x->width[col]
                       : LXW_DEF_COL_WIDTH;
        h = 15.0 * wrap_lines(s, w);
    }
    row_needs(x, row, h);
}

/* "2024-06-30" as a date, so it sorts and filters as one; anything else
 * as the text it is. */
static void put_date(xw *x, lxw_worksheet *ws, int row, int col, const char *s, int late)
{
    lxw_datetime dt = {0};
    char end;
    if (s && sscanf(s, "%4d-%2d-%2d%c", &dt.year, &dt.month, &dt.day, &end) == 3 &&
        uf_day_valid(dt.year, dt.month, dt.day))
        worksheet_write_datetime(ws, (lxw_row_t)row, (lxw_col_t)col, &dt,
                                 late ? x->date_flag : x->date);
    else
        put_str(x, ws, row, col, s, late ? x->flag : x->text);
}

static void put_num(lxw_worksheet *ws, int row, int col, double v, lxw_format *f)
{
    if (!isnan(v))
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

/* A report cell: a number, its mark when suppressed, empty when missing.
 * Returns the status as a bit (1u << status) so callers can footnote what
 * they showed. */
static unsigned put_cell(xw *x, lxw_worksheet *ws, int row, int col, const uf_cell *c,
                         lxw_format *f)
{
    const char *mark = uf_doc_mark(c->status);
    if (mark) {
        put_str(x, ws, row, col, mark, x->dash);
        return 1u << c->status;
    }
    double v = uf_doc_shown(c);
    put_num(ws, row, col, v, f);
    return 1u << (isnan(v) ? UF_ST_MISSING : c->status);
}

/* The footnotes of the marks in shown (put_cell's bits), from row on;
 * returns the row after them. */
static int put_mark_notes(xw *x, lxw_worksheet *ws, int row, unsigned shown, long min_n)
{
    char buf[160];
    if (shown & 1u << UF_ST_SMALL) {
        if (min_n > 0)
            snprintf(buf, sizeof buf, "%s (färre än %ld)", uf_doc_small_note, min_n);
        else
            snprintf(buf, sizeof buf, "%s (värdet visas inte)", uf_doc_small_note);
        put_str(x, ws, row++, 0, buf, x->small);
    }
    if (shown & 1u << UF_ST_HIDDEN)
        put_str(x, ws, row++, 0, uf_doc_hidden_note, x->small);
    return row;
}

/* ------------------------------------------------------------ page setup */

/* The footer as Excel codes it; '&' in a name must be doubled. */
static void footer_make(xw *x)
{
    char period[32];
    uf_fmt_period_sv(x->d->report->period, period, sizeof period);
    const char *region = x->d->cfg && x->d->cfg->region_name ? x->d->cfg->region_name : "";
    size_t at = (size_t)snprintf(x->footer, sizeof x->footer, "&L");
    for (const char *p = region; *p && at + 2 < 120; p++) {
        x->footer[at++] = *p;
        if (*p == '&')
            x->footer[at++] = '&';
    }
    /* Never end inside a UTF-8 sequence. */
    while (at > 2 && ((unsigned char)x->footer[at - 1] & 0xC0) == 0x80)
        at--;
    if (at > 2 && (unsigned char)x->footer[at - 1] >= 0xC0)
        at--;
    snprintf(x->footer + at, sizeof x->footer - at, "&C%s&RSida &P av &N", period);
}

/* The sheet's last step: paper, footer, the rows repeated on every page,
 * and each row tall enough for its title or wrapped cells (15 points a
 * line). */
static void page_setup(xw *x, lxw_worksheet *ws, int landscape, int repeat_to)
{
    for (guint r = 0; r < x->heights->len; r++) {
        double h = g_array_index(x->heights, double, r);
        if (h > 0)
            worksheet_set_row(ws, (lxw_row_t)r, h, NULL);
    }
    g_array_set_size(x->heights, 0);
    memset(x->width, 0, sizeof x->width);
    worksheet_set_paper(ws, 9); /* A4 */
    if (landscape)
        worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_footer(ws, x->footer);
    if (repeat_to >= 0)
        worksheet_repeat_rows(ws, 0, (lxw_row_t)repeat_to);
}

/* ----------------------------------------------------------- sheet names */

static int name_taken(const char *name, sheet_name_t *used, size_t nused)
{
    static const char *const fixed[] = {"Sammanfattning", "Åtgärder",     "Datakvalitet",
                                        "Definitioner",   "Ändringar",    "Om rapporten",
                                        "History"};
    gchar *key = g_utf8_casefold(name, -1);
    int taken = 0;
    const size_t nfixed = sizeof fixed / sizeof fixed[0];
    for (size_t i = 0; i < nused + nfixed && !taken; i++) {
        gchar *k = g_utf8_casefold(i < nused ? used[i] : fixed[i - nused], -1);
        taken = !strcmp(key, k);
        g_free(k);
    }
    g_free(key);
    return taken;
}

/* Copies at most chars characters (UTF-16 units, as Excel counts) and bytes
 * bytes of s, replacing what Excel forbids, never splitting a character. */
static void name_copy(const char *s, size_t chars, size_t bytes, char *out)
{
    size_t at = 0, units = 0;
    const char *p = s;
    while (*p) {
        const char *next = g_utf8_next_char(p);
        size_t len = (size_t)(next - p);
        size_t u = len == 4 ? 2 : 1;
        if (units + u > chars || at + len > bytes)
            break;
        if (len == 1 && (strchr("[]:*?/\\'", *p) || (unsigned char)*p < 0x20))
            out[at] = *p == '\'' ? ' ' : '-';
        else
            memcpy(out + at, p, len);
        at += len;
        units += u;
        p = next;
    }
    while (at > 0 && out[at - 1] == ' ')
        at--;
    out[at] = '\0';
}

static void sheet_name(const uf_indicator *ind, sheet_name_t *used, size_t nused, char *out)
{
    const char *want = ind->short_name && *ind->short_name ? ind->short_name : ind->id;
    if (!want || !g_utf8_validate(want, -1, NULL))
        want = "Indikator";
    name_copy(want, SHEET_CHARS, SHEET_BYTES, out);
    if (!*out)
        snprintf(out, SHEET_BYTES + 1, "Indikator");
    char base[SHEET_BYTES + 1];
    for (int k = 2; name_taken(out, used, nused); k++) {
        char tail[16];
        int tl = snprintf(tail, sizeof tail, " (%d)", k);
        name_copy(want, SHEET_CHARS - (size_t)tl, SHEET_BYTES - (size_t)tl, base);
        size_t bl = strlen(base);
        memcpy(out, base, bl);
        memcpy(out + bl, tail, (size_t)tl + 1);
    }
}

/* ------------------------------------------------------- Sammanfattning */

/* "PRELIMINÄR – Uppföljning primärvård — ... (Utkast)". */
static char *doc_title(const uf_doc *d)
{
    return uf_xasprintf("%s%s (%s)", d->report->preliminary ? "PRELIMINÄR " UF_DASH " " : "",
                        uf_doc_title, uf_doc_approved(d) ? "Fastställd" : "Utkast");
}

/* -------------------------------------------------------------- Åtgärder */

/* Every action, the overdue ones first under their own head: the owners'
 * promises, and which of them are broken. */
static void write_actions(xw *x)
{
    const uf_doc *d = x->d;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Åtgärder");
    const char *h[] = {"Indikator", "Åtgärd", "Ansvarig", "Klart senast", "Läge",
                       "Överförd från"};
    const double w[] = {40, 50, 26, 13, 26, 14};
    for (int k = 0; k < 6; k++)
        set_width(x, ws, k, k, w[k]);
    int row = 0;
    for (int late = 1; late >= 0; late--) {
        put_str(x, ws, row++, 0, late ? "Försenade åtgärder" : "Övriga åtgärder", x->title);
        for (int k = 0; k < 6; k++)
            put_str(x, ws, row, k, h[k], x->head);
        int any = 0;
        for (size_t s = 0; s < d->report->nseries; s++) {
            const uf_indicator *ind = d->report->series[s].ind;
            const uf_comment *c = uf_doc_comment(d, ind);
            for (size_t i = 0; c && i < c->nactions; i++) {
                const uf_action *a = &c->actions[i];
                if (uf_doc_action_overdue(d, a) != late)
                    continue;
                any = 1;
                row++;
                put_str(x, ws, row, 0, ind->name, x->wrap);
                put_str(x, ws, row, 1, a->action, x->wrap);
                put_str(x, ws, row, 2, a->owner, x->wrap);
                put_date(x, ws, row, 3, a->due, late);
                put_str(x, ws, row, 4,
                        a->done && *a->done ? a->done : late ? "Försenad" : "Pågår",
                        late ? x->flag : x->wrap);
                if (a->from && *a->from) {
                    char from[32];
                    snprintf(from, sizeof from, "från %s", a->from);
                    put_str(x, ws, row, 5, from, x->text);
                }
            }
        }
        if (!any)
            put_str(x, ws, ++row, 0, late ? "Inga försenade åtgärder." : "Inga.", x->text);
        row += 2;
    }
    page_setup(x, ws, 1, -1);
}

/* Rows 0–4: the title, region, board, period and document status; then
 * what must be said before any figure is read, a note a row in rows 5–8. */
static void summary_heading(xw *x, lxw_worksheet *ws)
{
    const uf_doc *d = x->d;
    const uf_report *r = d->report;
    char period[32], buf[160];
    uf_fmt_period_sv(r->period, period, sizeof period);
    char *title = doc_title(d);
    put_str(x, ws, 0, 0, title, x->title);
    free(title);
    put_str(x, ws, 1, 0, "Region", x->bold);
    put_str(x, ws, 1, 1, d->cfg ? d->cfg->region_name : NULL, x->text);
    put_str(x, ws, 2, 0, "Nämnd", x->bold);
    put_str(x, ws, 2, 1, d->cfg ? d->cfg->board : NULL, x->text);
    put_str(x, ws, 3, 0, "Period", x->bold);
    put_str(x, ws, 3, 1, period, x->text);
    put_str(x, ws, 4, 0, "Dokumentstatus", x->bold);
    put_str(x, ws, 4, 1, uf_doc_approved(d) ? "Fastställd" : "Utkast (ej fastställd)",
            uf_doc_approved(d) ? x->text : x->flag);
    /* Beside the status, clear of "Utkast (ej fastställd)" that runs over
     * column C: the notes under it fill the rows to the table. */
    if (d->edition && d->edition->number) {
        char line[256];
        uf_doc_edition_line(d->edition, line, sizeof line);
        put_str(x, ws, 4, 3, line, x->text);
    }
    int note = 5;
    if (r->preliminary)
        put_str(x, ws, note++, 1, "PRELIMINÄR: underlaget är ofullständigt, se Datakvalitet.",
                x->flag);
    size_t nmiss = uf_doc_count_analysis_missing(d);
    if (nmiss) {
        snprintf(buf, sizeof buf, "%zu av %zu indikatorer saknar analys", nmiss, r->nseries);
        put_str(x, ws, note++, 1, buf, x->flag);
    }
    size_t nlate = 0;
    for (size_t s = 0; s < r->nseries; s++) {
        const uf_comment *c = uf_doc_comment(d, r->series[s].ind);
        for (size_t i = 0; c && i < c->nactions; i++)
            nlate += uf_doc_action_overdue(d, &c->actions[i]) != 0;
    }
    if (nlate) {
        snprintf(buf, sizeof buf, "%zu försenade åtgärder (se bladet Åtgärder)", nlate);
        put_str(x, ws, note++, 1, buf, x->flag);
    }
    size_t nch = uf_doc_nchanges(d);
    if (nch) {
        snprintf(buf, sizeof buf,
                 "%zu %s har ändrats sedan tidigare utgåvor (se bladet Ändringar)", nch,
                 nch == 1 ? "siffra" : "siffror");
        put_str(x, ws, note++, 1, buf, x->text);
    }
}

/* The table's head row at row head, and the columns' widths. */
static void summary_head(xw *x, lxw_worksheet *ws, int head)
{
    uf_month m = x->d->report->period;
    char period[32], prev[32], year_ago[32], tert[16], ptext[64];
    uf_fmt_period_sv(m, period, sizeof period);
    uf_fmt_period_sv(m - 1, prev, sizeof prev);
    uf_fmt_period_sv(m - 12, year_ago, sizeof year_ago);
    uf_fmt_tertial(m, tert, sizeof tert);
    snprintf(ptext, sizeof ptext, "Utfall %s", period);
    char chg_prev[64], chg_year[64], tert_head[32];
    snprintf(chg_prev, sizeof chg_prev, "Förändring mot %s", prev);
    snprintf(chg_year, sizeof chg_year, "Förändring mot %s", year_ago);
    snprintf(tert_head, sizeof tert_head, "Tertial %s", tert);
    const char *cols[] = {"Indikator",    ptext,    "Mål",     "Beslut",  "Status",
                          chg_prev,       chg_year, "Hittills i år", tert_head, "Ägare",
                          "Analys"};
    const double widths[] = {42, 14, 10, 28, 18, 16, 16, 13, 13, 26, 15};
    for (int c = 0; c < 11; c++) {
        put_str(x, ws, head, c, cols[c], x->head);
        set_width(x, ws, c, c, widths[c]);
    }
}

/* The region's row of indicator s: latest month, target, status, changes,
 * year and tertial to date, owner, "Analys saknas".  Returns put_cell's
 * bits of what it showed. */
static unsigned summary_row(xw *x, lxw_worksheet *ws, int row, size_t s, const ind_formats *f)
{
    const uf_doc *d = x->d;
    const uf_indicator *ind = d->report->series[s].ind;
    const uf_cell *p = uf_doc_cell(d, s, 0, UF_TREND - 1);
    unsigned shown = 0;
    put_str(x, ws, row, 0, ind->name, x->wrap);
    shown |= put_cell(x, ws, row, 1, p, f->value);
    const uf_target *t = p->target;
    if (t) {
        put_num(ws, row, 2, t->value, f->value);
        put_str(x, ws, row, 3, t->decision, x->wrap);
    }
    put_str(x, ws, row, 4, uf_status_label(p->status), x->status[p->status]);
    double now = uf_doc_shown(p);
    double before = uf_doc_shown(uf_doc_cell(d, s, 0, UF_TREND - 2));
    double then = uf_doc_shown(uf_doc_cell(d, s, 0, 0));
    put_num(ws, row, 5, change_value(ind, before, now), f->change);
    put_num(ws, row, 6, change_value(ind, then, now), f->change);
    shown |= put_cell(x, ws, row, 7, uf_doc_cell(d, s, 0, UF_COL_YTD), f->value);
    shown |= put_cell(x, ws, row, 8, uf_doc_cell(d, s, 0, UF_COL_TERTIAL), f->value);
    put_str(x, ws, row, 9, uf_doc_owner(d, ind), x->wrap);
    char lacks[128];
    if (uf_doc_analysis_missing(d, s))
        put_str(x, ws, row, 10, "Analys saknas", x->flag);
    else if (uf_doc_lacks(d, s, lacks, sizeof lacks))
        put_str(x, ws, row, 10, lacks, x->flag);
    return shown;
}

static void write_summary(xw *x, const ind_formats *f)
{
    const uf_report *r = x->d->report;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Sammanfattning");
    summary_heading(x, ws);
    const int head = 9;
    summary_head(x, ws, head);
    unsigned shown = 0;
    for (size_t s = 0; s < r->nseries; s++)
        shown |= summary_row(x, ws, head + 1 + (int)s, s, &f[s]);
    int foot = head + 2 + (int)r->nseries;
    put_str(x, ws, foot, 0,
            "Förändring i procentenheter (p.e.) för andelar. Status gäller utfallet mot "
            "målet i kraft för perioden.",
            x->small);
    put_mark_notes(x, ws, foot + 1, shown, 0);
    worksheet_freeze_panes(ws, (lxw_row_t)head + 1, 1);
    page_setup(x, ws, 1, head);
    worksheet_activate(ws);
}

/* ---------------------------------------------------- one per indicator */

/* Columns of an indicator sheet: id, name, the 15 report columns, the
 * unit's own target, where it lies in the funnel. */
enum { C_ID = 0, C_NAME = 1, C_FIRST = 2, C_UNIT_TARGET = C_FIRST + UF_NCOLS, C_BAND };

/* One line of the trend chart: the 13 months of a sheet row. */
static void trend_series(lxw_chart *ch, const char *sheet, int head, int row, const char *name,
                         uint8_t marker, lxw_chart_line *line)
{
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(se, sheet, (lxw_row_t)head, C_FIRST, (lxw_row_t)head,
                                C_FIRST + UF_TREND - 1);
    chart_series_set_values(se, sheet, (lxw_row_t)row, C_FIRST, (lxw_row_t)row,
                            C_FIRST + UF_TREND - 1);
    chart_series_set_name(se, name);
    chart_series_set_marker_type(se, marker);
    chart_series_set_line(se, line);
}

/* Rows 0–2: the name, the target as decided, the owner; "Analys saknas". */
static void indicator_title(xw *x, lxw_worksheet *ws, size_t s)
{
    const uf_doc *d = x->d;
    const uf_indicator *ind = d->report->series[s].ind;
    char buf[512];
    put_str(x, ws, 0, 0, ind->name, x->title);
    uf_fmt_target(ind, uf_doc_cell(d, s, 0, UF_TREND - 1)->target, buf, sizeof buf);
    put_str(x, ws, 1, 0, buf, x->text);
    const char *owner = uf_doc_owner(d, ind);
    snprintf(buf, sizeof buf, owner == uf_doc_no_owner ? "%s" : "Ägare: %s", owner);
    put_str(x, ws, 2, 0, buf, x->text);
    if (uf_doc_analysis_missing(d, s))
        put_str(x, ws, 2, C_FIRST, "Analys saknas", x->flag);
    else if (uf_doc_lacks(d, s, buf, sizeof buf))
        put_str(x, ws, 2, C_FIRST, buf, x->flag);
}

/* The head row at row head, then the region (bold) and a row per unit:
 * every column of the report and the unit's own target.  *shown gets
 * put_cell's bits of what was written.  Returns the last row. */
static int indicator_table(xw *x, lxw_worksheet *ws, size_t s, int head, const ind_formats *f,
                           const uf_funnel *fu, unsigned *shown)
{
    const uf_doc *d = x->d;
    const uf_report *r = d->report;
    char month[32];
    put_str(x, ws, head, C_ID, "Enhet-ID", x->head);
    put_str(x, ws, head, C_NAME, "Enhet", x->head);
    for (int c = 0; c < UF_TREND; c++) {
        uf_fmt_month_short(r->period - (UF_TREND - 1) + c, month, sizeof month);
        put_str(x, ws, head, C_FIRST + c, month, x->head);
    }
    put_str(x, ws, head, C_FIRST + UF_COL_YTD, "Hittills i år", x->head);
    uf_fmt_tertial(r->period, month, sizeof month);
    put_str(x, ws, head, C_FIRST + UF_COL_TERTIAL, month, x->head);
    put_str(x, ws, head, C_UNIT_TARGET, "Enhetens eget mål", x->head);
    if (fu) {
        put_str(x, ws, head, C_BAND, "Läge i tratten", x->head);
        set_width(x, ws, C_BAND, C_BAND, 22);
    }
    set_width(x, ws, C_ID, C_ID, 10);
    set_width(x, ws, C_NAME, C_NAME, 38);
    set_width(x, ws, C_FIRST, C_FIRST + UF_NCOLS - 1, 10);
    set_width(x, ws, C_UNIT_TARGET, C_UNIT_TARGET, 12);

    for (size_t u = 0; u <= r->nunits; u++) {
        int row = head + 1 + (int)u;
        lxw_format *vf = u ? f->value : f->value_bold;
        put_str(x, ws, row, C_ID, u ? r->units[u - 1].id : "REGION", u ? x->text : x->bold);
        put_str(x, ws, row, C_NAME,
                u ? r->units[u - 1].name
                  : (d->cfg && d->cfg->region_name ? d->cfg->region_name : "Regionen"),
                u ? x->text : x->bold);
        for (int c = 0; c < UF_NCOLS; c++) {
            *shown |= put_cell(x, ws, row, C_FIRST + c, uf_doc_cell(d, s, u, c), vf);
        }
        const uf_target *ut = uf_doc_cell(d, s, u, UF_TREND - 1)->target;
        if (u && ut && ut->unit)
            put_num(ws, row, C_UNIT_TARGET, ut->value, f->value);
        const uf_funnel_point *pt = u && fu ? uf_funnel_find(fu, u) : NULL;
        if (pt)
            put_str(x, ws, row, C_BAND, uf_band_label(pt->band), x->text);
    }
    return head + 1 + (int)r->nunits;
}

/* What the chart draws, in rows of its own from row data, since it would
 * draw a suppressed "–" of the table as 0: the region, the target and
 * Kolada's national figure per month, and the range of them all. */
typedef struct {
    int data;             /* the rows' head; region, target, nation below it */
    int target, national; /* those lines are drawn */
    double lo, hi;
} chart_rows;

static chart_rows indicator_chart_rows(xw *x, lxw_worksheet *ws, size_t s, int data,
                                       const ind_formats *f)
{
    const uf_doc *d = x->d;
    chart_rows cr = {.data = data, .lo = INFINITY, .hi = -INFINITY};
    double k[UF_TREND];
    put_str(x, ws, data, 0, "Diagramunderlag", x->bold);
    put_str(x, ws, data + 1, C_NAME, "Regionen", x->text);
    put_str(x, ws, data + 2, C_NAME, "Mål", x->text);
    cr.national = uf_doc_kolada_trend(d, d->report->series[s].ind, k);
    if (cr.national)
        put_str(x, ws, data + 3, C_NAME, uf_doc_kolada_label, x->text);
    for (int c = 0; c < UF_TREND; c++) {
        const uf_cell *rc = uf_doc_cell(d, s, 0, c);
        double v = uf_doc_shown(rc), t = rc->target ? rc->target->value : NAN;
        put_num(ws, data + 1, C_FIRST + c, v, f->value);
        put_num(ws, data + 2, C_FIRST + c, t, f->value);
        put_num(ws, data + 3, C_FIRST + c, k[c], f->value);
        cr.target |= !isnan(t);
        const double each[3] = {v, t, k[c]};
        for (int i = 0; i < 3; i++)
            if (!isnan(each[i])) {
                cr.lo = fmin(cr.lo, each[i]);
                cr.hi = fmax(cr.hi, each[i]);
            }
    }
    return cr;
}

/* The trend chart under its rows, on the same fitted axis as the PDF's so
 * that the movement shows; above it the Kolada line and, when the axis
 * does not start at 0, a note that says so. */
static int indicator_chart(xw *x, lxw_worksheet *ws, const char *sheet, size_t s, int head,
                           const chart_rows *cr)
{
    const uf_indicator *ind = x->d->report->series[s].ind;
    char kline[512], buf[512];
    int notes = cr->data + 4;
    if (uf_doc_kolada_line(x->d, ind, kline, sizeof kline))
        put_str(x, ws, notes++, C_NAME, kline, x->small);
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_LINE);
    chart_title_set_name(ch, ind->name);
    lxw_chart_line solid = {.color = 0x1F3864, .width = 2.25};
    trend_series(ch, sheet, head, cr->data + 1, "Regionen", LXW_CHART_MARKER_CIRCLE, &solid);
    if (cr->target) {
        lxw_chart_line dashed = {.color = 0xC00000, .width = 1.5,
                                 .dash_type = LXW_CHART_LINE_DASH_DASH};
        trend_series(ch, sheet, head, cr->data + 2, "Mål", LXW_CHART_MARKER_NONE, &dashed);
    }
    if (cr->national) {
        lxw_chart_line dotted = {.color = 0x595959, .width = 1.75,
                                 .dash_type = LXW_CHART_LINE_DASH_ROUND_DOT};
        trend_series(ch, sheet, head, cr->data + 3, uf_doc_kolada_label, LXW_CHART_MARKER_NONE,
                     &dotted);
    }
    char nf[64];
    num_format(ind, 0, nf, sizeof nf);
    chart_axis_set_num_format(ch->y_axis, nf);
    double bot, top, step;
    uf_axis_fit(ind, cr->lo, cr->hi, &bot, &top, &step);
    chart_axis_set_min(ch->y_axis, bot);
    chart_axis_set_max(ch->y_axis, top);
    chart_axis_set_major_unit(ch->y_axis, step);
    if (bot > 0) {
        char b0[64];
        uf_fmt_target_value(ind, bot, b0, sizeof b0);
        snprintf(buf, sizeof buf, "Axeln börjar vid %s, inte vid 0.", b0);
        put_str(x, ws, notes++, C_NAME, buf, x->small);
    }
    chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options co = {.x_scale = 1.6, .y_scale = 1.2,
                            .description = cr->national ? "Regionens utfall per månad mot målet "
                                                          "och riket enligt Kolada"
                                                        : "Regionens utfall per månad mot målet"};
    worksheet_insert_chart_opt(ws, (lxw_row_t)notes + 1, C_NAME, ch, &co);
    return notes + 1;
}

/* ------------------------------------------------------------ the funnel */

enum { CURVE_ROWS = 60, CHART_ROWS = 20 }; /* the charts' height in rows, about */

/* The funnel's points from row data on, those inside the limits first, then
 * past 95 %, then past 99.8 % (a series each), and the limits at CURVE_ROWS
 * values of n beside them. */
typedef struct {
    int first[4]; /* points of rank 0, 1, 2 begin at first[r], end at first[r + 1] */
    int curve;    /* the limits' first row */
} funnel_rows;

static funnel_rows funnel_data(xw *x, lxw_worksheet *ws, int data, const uf_funnel *fu,
                               const ind_formats *f)
{
    const uf_report *r = x->d->report;
    funnel_rows fr;
    put_str(x, ws, data, 0, "Trattdiagrammets underlag", x->bold);
    const char *h[] = {"Enhet-ID", "Enhet", "n", "Värde", "Läge i tratten"};
    for (int c = 0; c < 5; c++)
        put_str(x, ws, data + 1, c, h[c], x->head);
    int row = data + 2;
    for (int rank = 0; rank < 3; rank++) {
        fr.first[rank] = row;
        for (size_t i = 0; i < fu->npt; i++) {
            const uf_funnel_point *pt = &fu->pt[i];
            if (uf_band_rank(pt->band) != rank)
                continue;
            put_str(x, ws, row, 0, r->units[pt->row - 1].id, x->text);
            put_str(x, ws, row, 1, r->units[pt->row - 1].name, x->text);
            put_num(ws, row, 2, pt->n, x->count);
            put_num(ws, row, 3, pt->v, f->value);
            put_str(x, ws, row, 4, uf_band_label(pt->band), x->text);
            row++;
        }
    }
    fr.first[3] = row;
    /* The limits, in columns of their own to the right. */
    enum { L = C_FIRST + 5 };
    const char *lh[] = {"n", "Undre 99,8 %", "Undre 95 %", fu->target ? "Mål" : "Regionen",
                        "Övre 95 %", "Övre 99,8 %"};
    for (int c = 0; c < 6; c++)
        put_str(x, ws, data + 1, L + c, lh[c], x->head);
    double nlo, nhi, lo, hi;
    uf_funnel_range(fu, &nlo, &nhi, &lo, &hi);
    fr.curve = data + 2;
    for (int i = 0; i < CURVE_ROWS; i++) {
        double n = round(nlo * pow(nhi / nlo, (double)i / (CURVE_ROWS - 1)));
        uf_limits w = uf_funnel_limits(fu, n, UF_FUNNEL_998);
        uf_limits t = uf_funnel_limits(fu, n, UF_FUNNEL_95);
        const double v[6] = {n, w.lo, t.lo, fu->centre, t.hi, w.hi};
        for (int c = 0; c < 6; c++)
            put_num(ws, fr.curve + i, L + c, v[c], c ? f->value : x->count);
    }
    return fr;
}

/* A paragraph under the chart, wrapped across the table's width in a row
 * of height points (Excel does not fit a merged row's height itself). */
static void funnel_note(xw *x, lxw_worksheet *ws, int row, const char *text, double height)
{
    worksheet_merge_range(ws, (lxw_row_t)row, C_NAME, (lxw_row_t)row, C_FIRST + 10, text,
                          x->small_wrap);
    row_needs(x, row, height);
}

/* One series of the scatter chart: x in column xc, y in yc, rows a..b-1. */
static lxw_chart_series *scatter_series(lxw_chart *ch, const char *sheet, int a, int b, int xc,
                                        int yc, const char *name)
{
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(se, sheet, (lxw_row_t)a, (lxw_col_t)xc, (lxw_row_t)(b - 1),
                                (lxw_col_t)xc);
    chart_series_set_values(se, sheet, (lxw_row_t)a, (lxw_col_t)yc, (lxw_row_t)(b - 1),
                            (lxw_col_t)yc);
    chart_series_set_name(se, name);
    return se;
}

/* The funnel as a native scatter chart at (row, col): the points by how far
 * out they lie, the centre and the limits as lines, n on a log axis. */
static void funnel_chart(xw *x, lxw_worksheet *ws, const char *sheet, size_t s, int row, int col,
                         const uf_funnel *fu, const funnel_rows *fr)
{
    const uf_indicator *ind = x->d->report->series[s].ind;
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_SCATTER_STRAIGHT);
    char title[300];
    snprintf(title, sizeof title, "Tratt: %s", ind->name);
    chart_title_set_name(ch, title);
    lxw_chart_line none = {.none = 1};
    static const struct {
        const char *name;
        uint8_t marker;
        lxw_color_t fill;
    } pts[3] = {{"Inom gränserna", LXW_CHART_MARKER_CIRCLE, 0x8C9EB8},
                {"Utanför 95 %", LXW_CHART_MARKER_CIRCLE, 0x7F7F7F},
                {"Utanför 99,8 %", LXW_CHART_MARKER_CIRCLE, 0x1A1A1A}};
    int16_t nseries = 0;
    for (int r = 0; r < 3; r++) {
        if (fr->first[r + 1] == fr->first[r])
            continue;
        nseries++;
        lxw_chart_series *se =
            scatter_series(ch, sheet, fr->first[r], fr->first[r + 1], 2, 3, pts[r].name);
        chart_series_set_line(se, &none);
        chart_series_set_marker_type(se, pts[r].marker);
        chart_series_set_marker_size(se, 4);
        lxw_chart_fill fill = {.color = pts[r].fill};
        lxw_chart_line edge = {.color = r ? 0x1A1A1A : 0x8C9EB8, .width = 0.75};
        chart_series_set_marker_fill(se, &fill);
        chart_series_set_marker_line(se, &edge);
    }
    enum { L = C_FIRST + 5 };
    lxw_chart_line l95 = {.color = 0x595959, .width = 1,
                          .dash_type = LXW_CHART_LINE_DASH_ROUND_DOT};
    lxw_chart_line l998 = {.color = 0x595959, .width = 1};
    lxw_chart_line centre = fu->target ? (lxw_chart_line){.color = 0xC00000, .width = 1.5,
                                                          .dash_type = LXW_CHART_LINE_DASH_DASH}
                                       : (lxw_chart_line){.color = 0x1F3864, .width = 1.5};
    const struct {
        int col;
        const char *name;
        lxw_chart_line *line;
    } lines[5] = {{1, "99,8 %-gränser", &l998}, {2, "95 %-gränser", &l95},
                  {3, fu->target ? "Mål" : "Regionen", &centre}, {4, NULL, &l95},
                  {5, NULL, &l998}};
    for (int k = 0; k < 5; k++) {
        lxw_chart_series *se = scatter_series(ch, sheet, fr->curve, fr->curve + CURVE_ROWS, L,
                                              L + lines[k].col, lines[k].name ? lines[k].name : "");
        chart_series_set_line(se, lines[k].line);
        chart_series_set_marker_type(se, LXW_CHART_MARKER_NONE);
    }
    /* The upper limits repeat the lower ones' names: not again in the key. */
    int16_t upper[] = {(int16_t)(nseries + 3), (int16_t)(nseries + 4), -1};
    chart_legend_delete_series(ch, upper);
    double nlo, nhi, lo, hi, bot, top, step;
    uf_funnel_range(fu, &nlo, &nhi, &lo, &hi);
    chart_axis_set_log_base(ch->x_axis, 10);
    chart_axis_set_min(ch->x_axis, nlo);
    chart_axis_set_max(ch->x_axis, nhi);
    chart_axis_set_name(ch->x_axis, fu->mean ? "n (antal patienter, logaritmisk skala)"
                                             : "n (antal i nämnaren, logaritmisk skala)");
    char nf[64];
    num_format(ind, 0, nf, sizeof nf);
    chart_axis_set_num_format(ch->y_axis, nf);
    uf_axis_fit(ind, lo, hi, &bot, &top, &step);
    chart_axis_set_min(ch->y_axis, bot);
    chart_axis_set_max(ch->y_axis, top);
    chart_axis_set_major_unit(ch->y_axis, step);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    char *alt = uf_funnel_describe(x->d, s, fu);
    lxw_chart_options co = {.x_scale = 1.6, .y_scale = 1.2, .description = alt};
    worksheet_insert_chart_opt(ws, (lxw_row_t)row, (lxw_col_t)col, ch, &co);
    free(alt);
}

/* An indicator's sheet: its title, the table of every unit and month,
 * footnotes for what the table shows, the chart's rows and the chart. */
static void write_indicator(xw *x, size_t s, const char *sheet, const ind_formats *f)
{
    const uf_indicator *ind = x->d->report->series[s].ind;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);
    const int head = 3;
    indicator_title(x, ws, s);
    unsigned shown = 0;
    uf_funnel fu;
    int funnel = uf_doc_funnel(x->d, s, &fu);
    int last = indicator_table(x, ws, s, head, &f[s], funnel ? &fu : NULL, &shown);
    int foot = put_mark_notes(x, ws, last + 2, shown, ind->min_n);
    if (shown & 1u << UF_ST_MISSING)
        put_str(x, ws, foot++, 0, "Tom cell = uppgift saknas för månaden.", x->small);
    chart_rows cr = indicator_chart_rows(x, ws, s, foot + 1, &f[s]);
    int at = indicator_chart(x, ws, sheet, s, head, &cr);
    if (funnel) {
        /* Under the trend chart: the funnel's chart, the counts and what
         * they mean, then the rows it draws.  The chart begins a printed
         * page: across a page break it would be printed over the rows
         * repeated at the top of the next.  A row below the break: on the
         * break's own row LibreOffice also prints the chart's axis labels
         * (unseen, but there) at the foot of the page before. */
        int row = at + CHART_ROWS;
        lxw_row_t brk[] = {(lxw_row_t)row, 0};
        worksheet_set_h_pagebreaks(ws, brk);
        funnel_rows fr = funnel_data(x, ws, row + 1 + CHART_ROWS + 3, &fu, &f[s]);
        funnel_chart(x, ws, sheet, s, row + 1, C_NAME, &fu, &fr);
        row += 1 + CHART_ROWS;
        char *counts = uf_funnel_counts(&fu), *method = uf_funnel_method(&fu, ind);
        funnel_note(x, ws, row, counts, 30);
        funnel_note(x, ws, row + 1, method, 84);
        free(counts);
        free(method);
        uf_funnel_free(&fu);
    }
    worksheet_freeze_panes(ws, (lxw_row_t)head + 1, C_FIRST);
    worksheet_autofilter(ws, (lxw_row_t)head, 0, (lxw_row_t)last,
                         funnel ? C_BAND : C_UNIT_TARGET);
    page_setup(x, ws, 1, head);
}

/* --------------------------------------------------------- Datakvalitet */

static void write_quality(xw *x)
{
    const uf_report *r = x->d->report;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Datakvalitet");
    put_str(x, ws, 0, 0, "Datakvalitet", x->title);
    set_width(x, ws, 0, 0, 22);
    set_width(x, ws, 1, 2, 15);
    set_width(x, ws, 3, 3, 70);
    int row = 2;
    const char *fh[] = {"Fil", "Rader lästa", "Rader avvisade"};
    for (int c = 0; c < 3; c++)
        put_str(x, ws, row, c, fh[c], x->head);
    for (size_t i = 0; i < r->nfiles; i++) {
        row++;
        put_str(x, ws, row, 0, r->files[i].file, x->text);
        put_num(ws, row, 1, (double)r->files[i].read, x->count);
        put_num(ws, row, 2, (double)r->files[i].rejected, x->count);
    }
    row += 2;
    const char *ih[] = {"Fil", "Antal", "Första rader", "Orsak"};
    for (int c = 0; c < 4; c++)
        put_str(x, ws, row, c, ih[c], x->head);
    if (!r->nissues)
        put_str(x, ws, ++row, 0, "Inga anmärkningar.", x->text);
    for (size_t i = 0; i < r->nissues; i++) {
        const uf_issue *is = &r->issues[i];
        row++;
        put_str(x, ws, row, 0, is->file, x->text);
        put_num(ws, row, 1, (double)is->count, x->count);
        char lines[96] = "";
        size_t at = 0;
        for (int k = 0; k < is->nlines && k < 5; k++)
            if (is->lines[k] > 0)
                at += (size_t)snprintf(lines + at, sizeof lines - at, "%s%ld", at ? ", " : "",
                                       is->lines[k]);
        put_str(x, ws, row, 2, lines, x->text);
        put_str(x, ws, row, 3, is->reason, x->wrap);
    }
    page_setup(x, ws, 0, -1);
}

/* --------------------------------------------------------- Definitioner */

static void period_range(const uf_target *t, char *out, size_t n)
{
    char from[8], to[8];
    uf_month_format(t->from, from);
    if (t->to == UF_MONTH_OPEN) {
        snprintf(out, n, "från %s", from);
    } else {
        uf_month_format(t->to, to);
        snprintf(out, n, "%s – %s", from, to);
    }
}

static void write_definitions(xw *x, const ind_formats *f)
{
    const uf_doc *d = x->d;
    const uf_report *r = d->report;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Definitioner");
    put_str(x, ws, 0, 0, "Definitioner och mål", x->title);
    const char *h[] = {"Indikator", "Id",   "Beskrivning", "Källa", "Riktning",
                       "Minsta underlag", "Nivå", "Mål", "Gäller", "Beslut"};
    const double w[] = {34, 20, 60, 16, 18, 10, 30, 10, 18, 28};
    for (int c = 0; c < 10; c++) {
        put_str(x, ws, 2, c, h[c], x->head);
        set_width(x, ws, c, c, w[c]);
    }
    int row = 2;
    char span[48];
    for (size_t s = 0; s < r->nseries; s++) {
        const uf_indicator *ind = r->series[s].ind;
        row++;
        put_str(x, ws, row, 0, ind->name, x->wrap);
        put_str(x, ws, row, 1, ind->id, x->text);
        put_str(x, ws, row, 2, ind->description, x->wrap);
        put_str(x, ws, row, 3, ind->source, x->text);
        put_str(x, ws, row, 4, ind->direction < 0 ? "Lägre är bättre" : "Högre är bättre",
                x->text);
        put_num(ws, row, 5, (double)ind->min_n, x->count);
        put_str(x, ws, row, 6, "Regionen", x->text);
        const uf_target *t =
            d->targets ? uf_targets_find(d->targets, ind->id, NULL, r->period) : NULL;
        if (t) {
            put_num(ws, row, 7, t->value, f[s].value);
            period_range(t, span, sizeof span);
            put_str(x, ws, row, 8, span, x->text);
            put_str(x, ws, row, 9, t->decision, x->wrap);
        } else {
            put_str(x, ws, row, 7, "Inget mål", x->text);
        }
        for (size_t i = 0; d->targets && i < d->targets->n; i++) {
            const uf_target *ut = &d->targets->v[i];
            if (!ut->unit || strcmp(ut->indicator, ind->id) || r->period < ut->from ||
                r->period > ut->to)
                continue;
            row++;
            const char *uname = NULL;
            for (size_t u = 0; u < r->nunits && !uname; u++)
                if (!strcmp(r->units[u].id, ut->unit))
                    uname = r->units[u].name;
            char level[256];
            snprintf(level, sizeof level, "%s %s", ut->unit, uname ? uname : "");
            put_str(x, ws, row, 6, level, x->wrap);
            put_num(ws, row, 7, ut->value, f[s].value);
            period_range(ut, span, sizeof span);
            put_str(x, ws, row, 8, span, x->text);
            put_str(x, ws, row, 9, ut->decision, x->wrap);
        }
    }
    worksheet_merge_range(ws, (lxw_row_t)row + 2, 0, (lxw_row_t)row + 2, 5,
                          uf_doc_suppression_rule, x->wrap);
    worksheet_set_row(ws, (lxw_row_t)row + 2, 75, NULL);
    worksheet_freeze_panes(ws, 3, 1);
    page_setup(x, ws, 1, 2);
}

/* ------------------------------------------------------------ Ändringar */

static void write_changes(xw *x, const ind_formats *f)
{
    const uf_doc *d = x->d;
    const uf_report *r = d->report;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Ändringar");
    put_str(x, ws, 0, 0, "Ändringar mot tidigare publicerade rapporter", x->title);
    if (!uf_doc_nchanges(d)) {
        put_str(x, ws, 2, 0, "Inga ändringar mot tidigare publicerade rapporter.", x->text);
        page_setup(x, ws, 1, -1);
        return;
    }
    const char *h[] = {"Indikator", "Enhet", "Period", "Tidigare", "Nu", "Skillnad",
                       "Tidigare utgåva"};
    const double w[] = {40, 34, 10, 12, 12, 14, 20};
    for (int c = 0; c < 7; c++) {
        put_str(x, ws, 2, c, h[c], x->head);
        set_width(x, ws, c, c, w[c]);
    }
    int row = 2;
    for (size_t i = 0; i < d->changes->n; i++) {
        const uf_change *ch = &d->changes->v[i];
        size_t s = 0;
        while (s < r->nseries && strcmp(r->series[s].ind->id, ch->indicator))
            s++;
        const uf_indicator *ind = s < r->nseries ? r->series[s].ind : NULL;
        row++;
        put_str(x, ws, row, 0, ind ? ind->name : ch->indicator, x->wrap);
        const char *uname = !strcmp(ch->unit, "REGION") && d->cfg ? d->cfg->region_name : NULL;
        for (size_t u = 0; u < r->nunits && !uname; u++)
            if (!strcmp(r->units[u].id, ch->unit))
                uname = r->units[u].name;
        char unit[256];
        snprintf(unit, sizeof unit, "%s%s%s", ch->unit, uname ? " " : "", uname ? uname : "");
        put_str(x, ws, row, 1, unit, x->wrap);
        put_str(x, ws, row, 2, ch->period, x->text);
        /* "–" where a figure was not shown (absent or suppressed). */
        lxw_format *vf = ind ? f[s].value : x->text;
        if (isnan(ch->old_value))
            put_str(x, ws, row, 3, UF_DASH, x->dash);
        put_num(ws, row, 3, ch->old_value, vf);
        if (isnan(ch->new_value))
            put_str(x, ws, row, 4, UF_DASH, x->dash);
        put_num(ws, row, 4, ch->new_value, vf);
        if (ind)
            put_num(ws, row, 5, change_value(ind, ch->old_value, ch->new_value), f[s].change);
        char when[32];
        uf_fmt_stamp_sv(ch->old_edition, when, sizeof when);
        put_str(x, ws, row, 6, when, x->text);
    }
    put_str(x, ws, row + 2, 0,
            "Skillnad i procentenheter (p.e.) för andelar. " UF_DASH " = värdet visades inte "
            "eller saknas.",
            x->small);
    worksheet_freeze_panes(ws, 3, 0);
    worksheet_autofilter(ws, 2, 0, (lxw_row_t)row, 6);
    page_setup(x, ws, 1, 2);
}

/* --------------------------------------------------------- Om rapporten */

/* "cairo 1.16.0, pango 1.50.12, ...": the libraries as they ran. */
static char *libraries_line(const uf_build *b)
{
    char *line = uf_xstrdup("");
    for (int i = 0; i < UF_NLIBS; i++) {
        char *next = uf_xasprintf("%s%s%s %s", line, i ? ", " : "", uf_build_lib_names[i],
                                  b->libs[i] ? b->libs[i] : "okänd");
        free(line);
        line = next;
    }
    return line;
}

static void write_about(xw *x)
{
    const uf_doc *d = x->d;
    const uf_config *cfg = d->cfg;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Om rapporten");
    char period[32], run[32], program[64];
    char *libraries = libraries_line(d->build);
    snprintf(program, sizeof program, "uppfolj %s", d->build->version);
    uf_fmt_period_sv(d->report->period, period, sizeof period);
    uf_fmt_time_sv(d->run_time, run, sizeof run);
    set_width(x, ws, 0, 0, 18);
    set_width(x, ws, 1, 1, 40);
    set_width(x, ws, 2, 2, 50);
    set_width(x, ws, 3, 3, 22);
    set_width(x, ws, 4, 4, 14);
    set_width(x, ws, 5, 5, 68);
    char edition[256] = "", reason[700] = "", approved[320] = "";
    if (d->edition && d->edition->number) {
        uf_doc_edition_line(d->edition, edition, sizeof edition);
        uf_doc_edition_reason(d->edition, reason, sizeof reason);
    }
    if (uf_doc_approved(d))
        uf_doc_approval_line(&d->edition->approval, approved, sizeof approved);
    put_str(x, ws, 0, 0, "Om rapporten", x->title);
    const char *kv[][2] = {
        {"Region", cfg ? cfg->region_name : NULL},
        {"Nämnd", cfg ? cfg->board : NULL},
        {"Period", period},
        {"Körd", run},
        {"Program", program},
        {"Källrevision", d->build->revision},
        {"Bibliotek", libraries},
        {"Dokument-ID", cfg ? cfg->document.id : NULL},
        {"Version", cfg ? cfg->document.version : NULL},
        {"Upprättad av", cfg ? cfg->document.prepared_by : NULL},
        {"Granskad av", cfg ? cfg->document.reviewed_by : NULL},
        {"Utgåva", edition},
        {"Skäl till utgåvan", reason},
        {"Fastställd av", approved},
        {"Dokumentstatus", uf_doc_approved(d) ? "Fastställd" : "Utkast (ej fastställd)"},
        {"Underlag", d->report->preliminary ? "Preliminärt: ofullständigt, se Datakvalitet"
                                            : "Komplett"},
    };
    int row = 2;
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++, row++) {
        put_str(x, ws, row, 0, kv[i][0], x->bold);
        put_str(x, ws, row, 1, kv[i][1], x->text);
    }
    put_str(x, ws, row++, 0, "Tidpunkt i Europe/Stockholm. Körningens manifest (manifest.json) "
                          "har samma uppgifter och kontrollsummor; typsnitten är de filer "
                          "PDF-rapporten bäddar in.", x->small);
    row++;
    const char *h[] = {"Roll", "Namn", "Ursprung", "Hämtad", "Byte", "SHA-256"};
    for (int c = 0; c < 6; c++)
        put_str(x, ws, row, c, h[c], x->head);
    for (size_t i = 0; i < d->ninputs; i++) {
        const uf_input *in = &d->inputs[i];
        row++;
        put_str(x, ws, row, 0, in->role, x->text);
        put_str(x, ws, row, 1, in->name, x->text);
        put_str(x, ws, row, 2, in->origin, x->wrap);
        put_str(x, ws, row, 3, in->fetched, x->text);
        put_num(ws, row, 4, (double)in->bytes, x->count);
        put_str(x, ws, row, 5, in->sha256, x->text);
    }
    for (size_t i = 0; i < d->build->nfonts; i++) {
        const uf_font *f = &d->build->fonts[i];
        const char *base = strrchr(f->file, '/');
        row++;
        put_str(x, ws, row, 0, "typsnitt", x->text);
        put_str(x, ws, row, 1, base ? base + 1 : f->file, x->text);
        put_str(x, ws, row, 2, f->file, x->wrap);
        put_num(ws, row, 4, (double)f->bytes, x->count);
        put_str(x, ws, row, 5, f->sha256, x->text);
    }
    free(libraries);
    page_setup(x, ws, 1, -1);
}

/* ------------------------------------------------------------- workbook */

int uf_render_xlsx(const uf_doc *d, const char *path, uf_error *err)
{
    const uf_report *r = d->report;
    xw x = {.d = d};
    lxw_workbook_options opt = {.constant_memory = 0, .use_zip64 = 1};
    x.wb = workbook_new_opt(path, &opt);
    if (!x.wb) {
        uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "",
                     "arbetsboken kunde inte skapas (finns mappen och går den att skriva i?)");
        return -1;
    }
    formats_make(&x);
    footer_make(&x);
    x.heights = g_array_new(FALSE, TRUE, sizeof(double));

    char period[32];
    uf_fmt_period_sv(r->period, period, sizeof period);
    const char *region = d->cfg && d->cfg->region_name ? d->cfg->region_name : "";
    char *status = doc_title(d);
    char *title = uf_xasprintf("%s, %s, %s", status, region, period);
    free(status);
    char *author = uf_xstrdup(d->cfg && d->cfg->document.prepared_by &&
                                      *d->cfg->document.prepared_by
                                  ? d->cfg->document.prepared_by
                                  : "uppfolj");
    char comments[64];
    snprintf(comments, sizeof comments, "Skapad av uppfolj %s", d->build->version);
    lxw_doc_properties props = {
        .title = title,
        .subject = d->cfg && d->cfg->board ? d->cfg->board : "",
        .author = author,
        .company = (char *)region,
        .comments = comments,
        /* A fixed time: 0 would mean now and break byte-identical re-runs. */
        .created = (time_t)d->run_time,
    };
    workbook_set_properties(x.wb, &props);

    ind_formats *f = uf_xcalloc(r->nseries ? r->nseries : 1, sizeof *f);
    sheet_name_t *names = uf_xcalloc(r->nseries ? r->nseries : 1, sizeof *names);
    for (size_t s = 0; s < r->nseries; s++) {
        f[s] = ind_formats_make(&x, r->series[s].ind);
        sheet_name(r->series[s].ind, names, s, names[s]);
    }
    write_summary(&x, f);
    for (size_t s = 0; s < r->nseries; s++)
        write_indicator(&x, s, names[s], f);
    write_actions(&x);
    write_quality(&x);
    write_definitions(&x, f);
    write_changes(&x, f);
    write_about(&x);

    lxw_error e = workbook_close(x.wb);
    g_array_free(x.heights, TRUE);
    free(names);
    free(f);
    free(title);
    free(author);
    if (e != LXW_NO_ERROR) {
        if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE)
            uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "",
                         "arbetsboken kunde inte skrivas (finns mappen, går den att skriva "
                         "i och finns det plats?)");
        else
            uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "",
                         "arbetsboken kunde inte skrivas (libxlsxwriter: %s)", lxw_strerror(e));
        return -1;
    }
    return 0;
}
