/* core/utf8.c — case folding for UTF-8 text: ASCII and the Latin-1 letters
 * (Å Ä Ö É ...), byte for byte, so that a folded string keeps its length.
 * Header names and flags are matched this way; nothing else is assumed of
 * the text. */
#include "core/core.h"

/* Lower-case one byte of UTF-8.  Latin-1 capitals U+00C0..U+00DE (but not
 * U+00D7, the multiplication sign) are C3 80..C3 9E; their small letters
 * are C3 A0..C3 BE, so only the second byte changes, by 0x20. */
static unsigned char fold(unsigned char c, int after_c3)
{
    if (c >= 'A' && c <= 'Z')
        return c + 0x20;
    if (after_c3 && c >= 0x80 && c <= 0x9e && c != 0x97)
        return c + 0x20;
    return c;
}

void uf_utf8_fold(char *s, size_t len)
{
    unsigned char *x = (unsigned char *)s;
    for (size_t i = len; i-- > 0;) /* backwards: x[i - 1] is not folded yet */
        x[i] = fold(x[i], i > 0 && x[i - 1] == 0xc3);
}

int uf_utf8_caseeq(const char *a, size_t alen, const char *b, size_t blen)
{
    /* Folding keeps every byte's length, so equal strings have equal
     * lengths, and the byte before position i is the same in both. */
    if (alen != blen)
        return 0;
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (size_t i = 0; i < alen; i++) {
        int after_c3 = i > 0 && x[i - 1] == 0xc3;
        if (fold(x[i], after_c3) != fold(y[i], after_c3))
            return 0;
    }
    return 1;
}
