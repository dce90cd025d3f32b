/* core/error.c — the error struct every part fills, and its wording. */
#include "core/core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const messages[UF_ERR__COUNT] = {
    [UF_OK] = "klart",
    [UF_ERR_USAGE] = "felaktigt kommando",
    [UF_ERR_INPUT] = "indata avvisades",
    [UF_ERR_CONFIG] = "inställningarna avvisades",
    [UF_ERR_IO] = "fil kunde inte läsas eller skrivas",
    [UF_ERR_NETWORK] = "källa kunde inte hämtas",
    [UF_ERR_RENDER] = "dokument kunde inte skrivas",
    [UF_ERR_LOCKED] = "perioden körs redan",
};

static const int exit_codes[UF_ERR__COUNT] = {
    [UF_OK] = 0,          [UF_ERR_USAGE] = 2,   [UF_ERR_INPUT] = 3,  [UF_ERR_CONFIG] = 3,
    [UF_ERR_IO] = 1,      [UF_ERR_NETWORK] = 1, [UF_ERR_RENDER] = 1, [UF_ERR_LOCKED] = 1,
};

const char *uf_strerror(uf_code code)
{
    return code < UF_ERR__COUNT ? messages[code] : "okänt fel";
}

int uf_exit_code(uf_code code)
{
    return code < UF_ERR__COUNT ? exit_codes[code] : 1;
}

void uf_error_set(uf_error *e, uf_code code, const char *source, long line, int column,
                  const char *column_name, const char *fmt, ...)
{
    if (!e)
        return;
    e->code = code;
    snprintf(e->source, sizeof e->source, "%s", source ? source : "");
    e->line = line;
    e->column = column;
    snprintf(e->column_name, sizeof e->column_name, "%s", column_name ? column_name : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

void uf_error_print(const uf_error *e, FILE *out)
{
    fputs("uppfolj: ", out);
    if (e->source[0]) {
        fputs(e->source, out);
        if (e->line > 0)
            fprintf(out, ", rad %ld", e->line);
        if (e->column > 0)
            fprintf(out, ", kolumn %d", e->column);
        if (e->column_name[0])
            fprintf(out, " (%s)", e->column_name);
        fputs(": ", out);
    }
    fprintf(out, "%s\n", e->text[0] ? e->text : uf_strerror(e->code));
}

void uf_error_not_file(uf_error *e, const char *source, unsigned mode)
{
    const char *kind = S_ISDIR(mode)    ? "en mapp"
                       : S_ISFIFO(mode) ? "en namngiven pipe (FIFO)"
                       : S_ISSOCK(mode) ? "en socket"
                       : S_ISCHR(mode)  ? "en teckenenhet"
                       : S_ISBLK(mode)  ? "en blockenhet"
                                        : "något annat";
    uf_error_set(e, UF_ERR_INPUT, source, 0, 0, NULL,
                 "är %s, inte en vanlig fil; väntade en fil", kind);
}

/* The system's reasons in Swedish: messages are read by controllers, and
 * the C library speaks English in the C locale we keep. */
const char *uf_strerrno(int e)
{
    switch (e) {
    case ENOENT: return "filen finns inte";
    case EACCES: return "behörighet saknas";
    case EPERM: return "åtgärden är inte tillåten";
    case EISDIR: return "det är en mapp, inte en fil";
    case ENOTDIR: return "en del av sökvägen är inte en mapp";
    case ENOSPC: return "disken är full";
    case EDQUOT: return "diskkvoten är slut";
    case EFBIG: return "filen blev för stor";
    case EROFS: return "filsystemet är skrivskyddat";
    case EEXIST: return "finns redan";
    case EIO: return "in- eller utmatningsfel på disken";
    case ENAMETOOLONG: return "sökvägen är för lång";
    case EMFILE:
    case ENFILE: return "för många öppna filer";
    case ENOMEM: return "slut på minne";
    case EXDEV: return "källan och målet ligger på olika filsystem";
    case ENOTEMPTY: return "mappen är inte tom";
    default: return strerror(e);
    }
}

/* ------------------------------------------------------------ every fault */

static uf_errors_source *errors_source(uf_errors *l, const char *source)
{
    for (size_t i = 0; i < l->nsrc; i++)
        if (strcmp(l->src[i].source, source) == 0)
            return &l->src[i];
    l->src = uf_xrealloc(l->src, (l->nsrc + 1) * sizeof *l->src);
    uf_errors_source *s = &l->src[l->nsrc++];
    memset(s, 0, sizeof *s);
    snprintf(s->source, sizeof s->source, "%s", source);
    return s;
}

void uf_errors_add(uf_errors *l, const uf_error *e)
{
    uf_errors_source *s = errors_source(l, e->source);
    if (s->shown == UF_ERRORS_SHOWN) {
        s->more++;
        return;
    }
    s->shown++;
    l->v = uf_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = *e;
}

void uf_errors_stopped(uf_errors *l, const char *source)
{
    errors_source(l, source)->stopped = 1;
}

long uf_errors_count(const uf_errors *l)
{
    long n = (long)l->n;
    for (size_t i = 0; i < l->nsrc; i++)
        n += l->src[i].more;
    return n;
}

void uf_errors_print(const uf_errors *l, FILE *out)
{
    size_t files = 0;
    for (size_t i = 0; i < l->nsrc; i++) {
        const uf_errors_source *s = &l->src[i];
        for (size_t k = 0; k < l->n; k++)
            if (strcmp(l->v[k].source, s->source) == 0)
                uf_error_print(&l->v[k], out);
        if (!s->source[0])
            continue;
        files++;
        if (s->more)
            fprintf(out, "uppfolj: %s: och %ld fel till (de första %d visas)\n", s->source,
                    s->more, UF_ERRORS_SHOWN);
        if (s->stopped && s->shown > 1)
            fprintf(out, "uppfolj: %s: resten av filen lästes inte efter det sista felet\n",
                    s->source);
    }
    long n = uf_errors_count(l);
    if (n > 1)
        fprintf(out, "uppfolj: %ld fel i %zu %s\n", n, files, files == 1 ? "fil" : "filer");
}

void uf_errors_free(uf_errors *l)
{
    free(l->v);
    free(l->src);
    memset(l, 0, sizeof *l);
}
