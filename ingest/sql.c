/* ingest/sql.c — the placeholders of an odbc source's query.
 *
 * The query is scanned as SQL is written: quoted strings ('...'), quoted
 * names ("..." and SQL Server's [...]) and comments (-- and slash-star)
 * are kept apart from the code.  In the code, {period}, {from} and {to}
 * each become a ? parameter marker, and the driver is handed the value
 * separately (SQLBindParameter): whatever a period looks like, it can never
 * change what the SQL says.  In a quoted string a placeholder would stay a
 * literal, so it is refused rather than silently not bound; a bare ? would
 * be a parameter with no value.  Other braces are ODBC escapes ({fn ...},
 * {d '...'}) and pass through. */
#include "ingest/odbc.h"

#include <stdlib.h>
#include <string.h>

static const char *const param_names[] = {"period", "from", "to"};

const char *uf_sql_param_name(uf_sql_param p)
{
    return param_names[p];
}

typedef struct {
    const char *s;
    size_t n, i;
    long line;
    int col; /* of s[i], in characters */
    const char *display;
    uf_error *err;
} scan;

/* The byte length of the UTF-8 character at s[0..n), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
                                : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    /* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return len;
}

static void step(scan *x, size_t bytes)
{
    for (size_t k = 0; k < bytes && x->i < x->n; k++) {
        unsigned char b = (unsigned char)x->s[x->i++];
        if (b == '\n')
            x->line++, x->col = 1;
        else if ((b & 0xc0) != 0x80)
            x->col++;
    }
}

static int fail_at(const scan *x, long line, int col, const char *text)
{
    uf_error_set(x->err, UF_ERR_CONFIG, x->display, line, col, NULL, "%s", text);
    return -1;
}

/* A placeholder's length at s[i] ("{period}"), and which one in *p; 0 when
 * the brace opens something else.  An unknown {word} is -1: a misspelt
 * placeholder, which the database would only call a syntax error. */
static long placeholder(const scan *x, uf_sql_param *p)
{
    size_t j = x->i + 1;
    while (j < x->n && ((x->s[j] >= 'a' && x->s[j] <= 'z') || (x->s[j] >= 'A' && x->s[j] <= 'Z') ||
                        x->s[j] == '_'))
        j++;
    if (j == x->i + 1 || j >= x->n || x->s[j] != '}')
        return 0;
    size_t len = j - x->i - 1;
    for (size_t k = 0; k < sizeof param_names / sizeof *param_names; k++)
        if (strlen(param_names[k]) == len && memcmp(x->s + x->i + 1, param_names[k], len) == 0) {
            *p = (uf_sql_param)k;
            return (long)(len + 2);
        }
    return -1;
}

int uf_sql_parse(const char *text, size_t len, const char *display, uf_sql *out, uf_error *err)
{
    memset(out, 0, sizeof *out);
    scan x = {.s = text, .n = len, .line = 1, .col = 1, .display = display, .err = err};
    char *o = out->text = uf_xmalloc(len + 1);
    char state = 0; /* 0 code, '\'' '"' '[' quoted, '-' line comment, '*' block comment */
    long open_line = 0;
    int open_col = 0, code = 0;
    while (x.i < x.n) {
        size_t cl = utf8_len((const unsigned char *)x.s + x.i, x.n - x.i);
        if (cl == 0 || x.s[x.i] == '\0') {
            fail_at(&x, x.line, x.col,
                    cl ? "nolltecken i frågan; väntade text" : "ogiltig UTF-8; väntade en textfil i UTF-8");
            goto fail;
        }
        char c = x.s[x.i], next = x.i + 1 < x.n ? x.s[x.i + 1] : '\0';
        uf_sql_param p;
        long ph = c == '{' ? placeholder(&x, &p) : 0;
        size_t take = cl;
        if (state == 0) {
            if (c == '\'' || c == '"' || c == '[' || (c == '-' && next == '-') ||
                (c == '/' && next == '*')) {
                state = c == '/' ? '*' : c;
                open_line = x.line, open_col = x.col;
                take = c == '-' || c == '/' ? 2 : 1;
            } else if (c == '?') {
                fail_at(&x, x.line, x.col,
                        "frågan har ett ? (en parametermarkör utan värde); skriv {period}, "
                        "{from} eller {to}, som uppfolj binder som parametrar");
                goto fail;
            } else if (ph < 0) {
                fail_at(&x, x.line, x.col,
                        "okänd platshållare; väntade {period}, {from} eller {to}");
                goto fail;
            } else if (ph > 0) {
                out->params = uf_xrealloc(out->params, (out->nparams + 1) * sizeof *out->params);
                out->params[out->nparams++] = p;
                *o++ = '?';
                step(&x, (size_t)ph);
                code = 1;
                continue;
            }
            code |= state == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';';
        } else if (state == '-') {
            state = c == '\n' ? 0 : state;
        } else if (state == '*') {
            if (c == '*' && next == '/')
                state = 0, take = 2;
        } else {
            char close = state == '[' ? ']' : state;
            if (ph > 0) {
                char msg[200];
                snprintf(msg, sizeof msg,
                         "{%s} står inom %s; skriv den utan citattecken: värdet binds som en "
                         "parameter, aldrig som text i frågan",
                         param_names[p], state == '\'' ? "citattecken" : "ett citerat namn");
                fail_at(&x, x.line, x.col, msg);
                goto fail;
            }
            if (c == close && next == close)
                take = 2; /* a doubled quote is one quote inside */
            else if (c == close)
                state = 0;
        }
        memcpy(o, x.s + x.i, take);
        o += take;
        step(&x, take);
    }
    if (state == '\'' || state == '"' || state == '[' || state == '*') {
        fail_at(&x, open_line, open_col,
                state == '*' ? "kommentaren som börjar här avslutas aldrig; väntade */"
                             : "citatet som börjar här avslutas aldrig");
        goto fail;
    }
    if (!code) {
        fail_at(&x, 0, 0, "frågan är tom; väntade en SELECT");
        goto fail;
    }
    *o = '\0';
    return 0;
fail:
    uf_sql_free(out);
    return -1;
}

void uf_sql_free(uf_sql *q)
{
    free(q->text);
    free(q->params);
    memset(q, 0, sizeof *q);
}
