/* render/pdf_tags.c — what cairo 1.16 cannot write into a tagged PDF, added
 * with qpdf before the file is written: the document's language, each
 * Figure's alt text, the title (not the file name) in the window, the
 * pages' labels (cairo 1.16 writes them empty), and what is drawn outside
 * the structure marked as an artifact.
 *
 * The bytes stay those of the run: qpdf's /ID is computed from the content
 * (deterministic), and nothing else it writes depends on the clock. */
#include "render/pdf.h"

#include <errno.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Gives the Figures under node, in the structure tree's order (which is
 * the order they were begun), the alt texts from *next on; returns -1
 * when there are more Figures than alt texts. */
static int set_alts(qpdf_data q, qpdf_oh node, GPtrArray *alts, unsigned *next, int depth)
{
    if (depth > 64) /* cairo's tree is shallow; a cycle would not be */
        return 0;
    if (qpdf_oh_is_array(q, node)) {
        int n = qpdf_oh_get_array_n_items(q, node);
        for (int i = 0; i < n; i++)
            if (set_alts(q, qpdf_oh_get_array_item(q, node, i), alts, next, depth + 1) < 0)
                return -1;
        return 0;
    }
    if (!qpdf_oh_is_dictionary(q, node) || !qpdf_oh_has_key(q, node, "/S"))
        return 0; /* a marked-content id, a reference to one or to an annotation */
    if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, node, "/S"), "/Figure")) {
        if (*next >= alts->len)
            return -1;
        qpdf_oh_replace_key(q, node, "/Alt",
                            qpdf_oh_new_unicode_string(q, g_ptr_array_index(alts, (*next)++)));
    }
    return set_alts(q, qpdf_oh_get_key(q, node, "/K"), alts, next, depth + 1);
}

/* ----------------------------------------------------------- artifacts */

/* A content stream cairo wrote, read as far as marking it needs: the
 * operators, with where the operation of each begins (its first operand). */
typedef struct {
    const unsigned char *b;
    size_t n, at;
} scan;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static int is_delim(unsigned char c)
{
    return strchr("()<>[]{}/%", c) != NULL;
}

/* The next operator: its name in op (at most 3 letters), the start of its
 * operation in *start.  0 at the end, -1 on what cairo does not write (an
 * inline image, an operator longer than 3). */
static int next_op(scan *sc, char op[4], size_t *start)
{
    int operands = 0;
    for (;;) {
        while (sc->at < sc->n && is_space(sc->b[sc->at]))
            sc->at++;
        if (sc->at >= sc->n)
            return 0;
        size_t t = sc->at;
        unsigned char c = sc->b[sc->at];
        if (!operands)
            *start = t;
        if (c == '%') {
            while (sc->at < sc->n && sc->b[sc->at] != '\n' && sc->b[sc->at] != '\r')
                sc->at++;
            continue;
        }
        operands = 1;
        if (c == '(') {
            int depth = 0;
            for (; sc->at < sc->n; sc->at++) {
                unsigned char d = sc->b[sc->at];
                if (d == '\\')
                    sc->at++;
                else if (d == '(')
                    depth++;
                else if (d == ')' && --depth == 0)
                    break;
            }
            sc->at++;
        } else if (c == '<' && sc->at + 1 < sc->n && sc->b[sc->at + 1] != '<') {
            while (sc->at < sc->n && sc->b[sc->at] != '>')
                sc->at++;
            sc->at++;
        } else if (c == '<' || c == '>') {
            sc->at += 2; /* << or >> */
        } else if (strchr("[]{}", c)) {
            sc->at++;
        } else {
            int name = c == '/';
            sc->at++;
            while (sc->at < sc->n && !is_space(sc->b[sc->at]) && !is_delim(sc->b[sc->at]))
                sc->at++;
            size_t len = sc->at - t;
            if (name || strchr("+-.0123456789", c))
                continue;
            if (len > 3 || (len == 2 && !memcmp(sc->b + t, "BI", 2)))
                return -1;
            memcpy(op, sc->b + t, len);
            op[len] = '\0';
            return 1;
        }
    }
}

/* The finished bytes to path, a failure in the system's reason. */
static int write_file(const unsigned char *b, size_t n, const char *path, uf_error *err)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(b, 1, n, f) == n;
    int e = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok)
        return 0;
    uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "", "PDF-filen kunde inte skrivas: %s",
                 uf_strerrno(e));
    return -1;
}

/* The page's content with what is drawn outside every marked-content
 * sequence (the running header and footer, rules, grids, shapes that
 * repeat a word) marked /Artifact, so that a checker, and a reader, knows
 * it is not content left out of the structure.  Artifacts open and close
 * outside text objects only, as cairo's own tags do; NULL when the stream
 * is not as expected, and the page is left as it is. */
static GByteArray *mark_artifacts(const unsigned char *b, size_t n)
{
    static const char open_[] = "/Artifact BMC\n", close_[] = "EMC\n";
    GByteArray *out = g_byte_array_sized_new((guint)n + 256);
    scan sc = {.b = b, .n = n};
    size_t copied = 0, start = 0;
    int depth = 0, in_text = 0, open = 0, r;
    char op[4];
    while ((r = next_op(&sc, op, &start)) > 0) {
        int begin = !strcmp(op, "BDC") || !strcmp(op, "BMC"), end = !strcmp(op, "EMC");
        const char *insert = NULL;
        if (depth == 0 && !in_text && begin && open)
            insert = close_, open = 0;
        else if (depth == 0 && !in_text && !begin && !end && !open)
            insert = open_, open = 1;
        else if (depth == 0 && in_text && begin && open)
            break; /* a tag inside a text object begun as an artifact */
        if (insert) {
            g_byte_array_append(out, b + copied, (guint)(start - copied));
            g_byte_array_append(out, (const guint8 *)insert, (guint)strlen(insert));
            copied = start;
        }
        depth += begin - end;
        in_text = !strcmp(op, "BT") ? 1 : !strcmp(op, "ET") ? 0 : in_text;
        if (depth < 0)
            break;
    }
    if (r != 0 || depth != 0 || in_text) {
        g_byte_array_unref(out);
        return NULL;
    }
    g_byte_array_append(out, b + copied, (guint)(n - copied));
    if (open)
        g_byte_array_append(out, (const guint8 *)"\n" "EMC\n", 5);
    return out;
}

static void mark_page_artifacts(qpdf_data q, qpdf_oh page)
{
    qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
    unsigned char *b = NULL;
    size_t n = 0;
    if (!qpdf_oh_is_stream(q, contents) ||
        (qpdf_oh_get_page_content_data(q, page, &b, &n) & QPDF_ERRORS)) {
        free(b);
        return;
    }
    GByteArray *marked = mark_artifacts(b, n);
    free(b);
    if (!marked)
        return;
    qpdf_oh_replace_stream_data(q, contents, marked->data, marked->len, qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    g_byte_array_unref(marked);
}

int pdf_tags_write(const unsigned char *pdf_bytes, size_t len, GPtrArray *alts, const char *path,
                   uf_error *err)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    const char *what = "kunde inte läsas";
    if (qpdf_read_memory(q, path, (const char *)pdf_bytes, (unsigned long long)len, NULL) &
        QPDF_ERRORS)
        goto failed;
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, "sv-SE"));
    qpdf_oh_replace_key(q, root, "/MarkInfo", qpdf_oh_parse(q, "<< /Marked true >>"));
    qpdf_oh_replace_key(q, root, "/ViewerPreferences",
                        qpdf_oh_parse(q, "<< /DisplayDocTitle true >>"));
    /* Labels 1, 2, ...: the number printed on the page ("Sida 3 av 9"). */
    qpdf_oh_replace_key(q, root, "/PageLabels", qpdf_oh_parse(q, "<< /Nums [0 << /S /D >>] >>"));
    for (int i = 0, np = qpdf_get_num_pages(q); i < np; i++)
        mark_page_artifacts(q, qpdf_get_page_n(q, (size_t)i));
    unsigned next = 0;
    qpdf_oh tree = qpdf_oh_get_key(q, root, "/StructTreeRoot");
    if (set_alts(q, qpdf_oh_get_key(q, tree, "/K"), alts, &next, 0) < 0 ||
        next != alts->len) {
        qpdf_cleanup(&q);
        uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "",
                     "PDF-filen fick %u diagram med alternativtext men ritade %u (ett fel i "
                     "uppfolj)", alts->len, next);
        return -1;
    }
    /* To memory, and written here: a full disk then reads "disken är full",
     * not qpdf's English. */
    what = "kunde inte göras färdig";
    if (qpdf_init_write_memory(q) & QPDF_ERRORS)
        goto failed;
    /* The /ID from the content, so a re-run writes the same bytes. */
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    /* The streams cairo compressed (fonts, images, ToUnicode) are copied as
     * they are: qpdf would inflate them and deflate them again, with the
     * same zlib at the same level, to the same bytes.  The pages' content,
     * replaced above, is still compressed. */
    qpdf_set_decode_level(q, qpdf_dl_none);
    if (qpdf_write(q) & QPDF_ERRORS)
        goto failed;
    int rc = write_file(qpdf_get_buffer(q), qpdf_get_buffer_length(q), path, err);
    qpdf_cleanup(&q);
    return rc;

failed:
    uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "", "PDF-filen %s: %s", what,
                 qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "okänt fel");
    qpdf_cleanup(&q);
    return -1;
}
