/* core/error.c — the error struct every part fills, and its wording. */
#include "core/core.h"

#include <errno.h>
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
