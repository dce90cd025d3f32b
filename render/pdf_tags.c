/* render/pdf_tags.c — what cairo 1.16 cannot write into a tagged PDF, added
 * with qpdf before the file is written: the document's language, each
 * Figure's alt text, the title (not the file name) in the window, and the
 * pages' labels (cairo 1.16 writes them empty).
 *
 * The bytes stay those of the run: qpdf's /ID is computed from the content
 * (deterministic), and nothing else it writes depends on the clock. */
#include "render/pdf.h"

#include <qpdf/qpdf-c.h>
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
    what = "kunde inte skrivas (finns mappen och går den att skriva i?)";
    if (qpdf_init_write(q, path) & QPDF_ERRORS)
        goto failed;
    /* The /ID from the content, so a re-run writes the same bytes. */
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS)
        goto failed;
    qpdf_cleanup(&q);
    return 0;

failed:
    uf_error_set(err, UF_ERR_RENDER, path, 0, 0, "", "PDF-filen %s: %s", what,
                 qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "okänt fel");
    qpdf_cleanup(&q);
    return -1;
}
