/* ingest/csvout.c — the CSV that uppfolj writes for an extract it derives
 * (JSON rows from a warehouse, an ODBC result): ';' between fields, LF after
 * each row, UTF-8 without BOM, RFC 4180 quoting.  Nothing depends on the
 * locale, the clock or hashing, so the same values always give the same
 * bytes, which is what lets a re-run convert and hash them identically. */
#include "ingest/sources.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void uf_csvout_text(FILE *f, const char *s, size_t n)
{
    /* Quoted only when it holds the delimiter, a quote or a line break. */
    if (!memchr(s, ';', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        fwrite(s, 1, n, f);
        return;
    }
    putc('"', f);
    for (const char *q; n > 0 && (q = memchr(s, '"', n)); n -= (size_t)(q + 1 - s), s = q + 1) {
        fwrite(s, 1, (size_t)(q + 1 - s), f);
        putc('"', f);
    }
    fwrite(s, 1, n, f);
    putc('"', f);
}

void uf_csvout_real(FILE *f, double x)
{
    /* The shortest decimal that reads back as the same double, without an
     * exponent, which the extracts' number syntax has not: 1100 rather than
     * %g's 1.1e+03, 0.0000001 rather than 1e-07 (beyond 20 decimals or
     * 1e21 the exponent stays, and the reader names the field). */
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    char fixed[64];
    for (int decimals = 0; strchr(buf, 'e') && fabs(x) < 1e21 && decimals <= 20; decimals++) {
        snprintf(fixed, sizeof fixed, "%.*f", decimals, x);
        if (strtod(fixed, NULL) == x)
            memcpy(buf, fixed, sizeof buf);
    }
    fputs(buf, f);
}
