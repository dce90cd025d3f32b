/* core/build.c — the program, libraries and fonts behind a report's bytes.
 *
 * A re-run is byte-identical only when it is made by the same program with
 * the same libraries and fonts as the run, so the manifest records them and
 * rerun says when they differ.  The versions are those of the libraries
 * loaded at run time, not of the headers built against: a Debian point
 * release may change a library under an unchanged binary. */
#include "core/core.h"

#include "config.h"
#include "revision.h"

#include <cairo.h>
#include <curl/curl.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <jansson.h>
#include <pango/pango.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zlib.h>

const char uf_version[] = UF_VERSION;
const char uf_revision[] = UF_REVISION;

const char *const uf_build_lib_names[UF_NLIBS] = {
    "cairo", "pango", "harfbuzz", "freetype", "libxlsxwriter", "zlib", "jansson", "libcurl",
    "qpdf"};

static char *freetype_version(void)
{
    FT_Library ft;
    FT_Int major = 0, minor = 0, patch = 0;
    if (FT_Init_FreeType(&ft) != 0)
        return uf_xstrdup("okänd");
    FT_Library_Version(ft, &major, &minor, &patch);
    FT_Done_FreeType(ft);
    return uf_xasprintf("%d.%d.%d", major, minor, patch);
}

void uf_build_now(uf_build *b)
{
    memset(b, 0, sizeof *b);
    b->version = uf_xstrdup(uf_version);
    b->revision = uf_xstrdup(uf_revision);
    char *ft = freetype_version();
    const char *v[UF_NLIBS] = {cairo_version_string(), pango_version_string(),
                               hb_version_string(),    ft,
                               lxw_version(),          zlibVersion(),
                               jansson_version_str(),  curl_version_info(CURLVERSION_NOW)->version,
                               qpdf_get_qpdf_version()};
    for (int i = 0; i < UF_NLIBS; i++)
        b->libs[i] = uf_xstrdup(v[i]);
    free(ft);
    b->fonts_known = 1;
}

static int differs(const char *was, const char *now)
{
    return was && (!now || strcmp(was, now) != 0);
}

static int has_font(const uf_build *b, const char *sha256)
{
    for (size_t i = 0; i < b->nfonts; i++)
        if (strcmp(b->fonts[i].sha256, sha256) == 0)
            return 1;
    return 0;
}

/* Warns of each font of a that b lacks: "typsnittet FILE (sha256 ab12…) how". */
static size_t fonts_missing(const uf_build *a, const uf_build *b, const char *how, FILE *out)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nfonts; i++)
        if (!has_font(b, a->fonts[i].sha256) && ++n)
            fprintf(out, "uppfolj: varning: typsnittet %s (sha256 %.12s…) %s\n", a->fonts[i].file,
                    a->fonts[i].sha256, how);
    return n;
}

size_t uf_build_differences(const uf_build *was, const uf_build *now, FILE *out)
{
    size_t n = 0;
    const char *what[UF_NLIBS + 2] = {"uppfolj", "källrevisionen"};
    const char *a[UF_NLIBS + 2] = {was->version, was->revision};
    const char *b[UF_NLIBS + 2] = {now->version, now->revision};
    for (int i = 0; i < UF_NLIBS; i++) {
        what[i + 2] = uf_build_lib_names[i];
        a[i + 2] = was->libs[i];
        b[i + 2] = now->libs[i];
    }
    int unrecorded = !was->fonts_known;
    for (int i = 0; i < UF_NLIBS + 2; i++) {
        unrecorded |= !a[i];
        if (differs(a[i], b[i]) && ++n)
            fprintf(out, "uppfolj: varning: %s är %s i manifestet men %s nu\n", what[i], a[i],
                    b[i] ? b[i] : "okänd");
    }
    /* A record that cannot be compared cannot promise sameness either. */
    if (unrecorded && ++n)
        fputs("uppfolj: varning: manifestet anger inte alla av program, källrevision, bibliotek "
              "och typsnitt (det skrevs av en äldre uppfolj)\n", out);
    if (was->fonts_known && now->fonts_known)
        n += fonts_missing(was, now, "som körningen bäddade in används inte nu", out) +
             fonts_missing(now, was, "finns inte i manifestet", out);
    return n;
}

void uf_build_clear_fonts(uf_build *b)
{
    for (size_t i = 0; i < b->nfonts; i++)
        free(b->fonts[i].file);
    b->nfonts = 0;
}

void uf_build_free(uf_build *b)
{
    free(b->version);
    free(b->revision);
    for (int i = 0; i < UF_NLIBS; i++)
        free(b->libs[i]);
    uf_build_clear_fonts(b);
    free(b->fonts);
    memset(b, 0, sizeof *b);
}
