/* tests/test_csv_marks.c — uf_csv_marks64, the chunked reader's classifier,
 * against the plain rule byte by byte.  Built twice (tests/meson.build): as
 * the machine builds it (SSE2 on x86-64) and with UF_CSV_PORTABLE, the
 * word-at-a-time form other machines run. */
#include "ingest/csv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

static int special(unsigned char ch, char delim)
{
    return ch == (unsigned char)delim || ch == '"' || ch < 0x20 || ch >= 0x7f;
}

static uint64_t by_bytes(const unsigned char *p, char delim)
{
    uint64_t m = 0;
    for (int i = 0; i < 64; i++)
        m |= (uint64_t)special(p[i], delim) << i;
    return m;
}

/* Every byte value at every place among plain bytes: exactly its own bit. */
static void each_byte_each_place(void **state)
{
    (void)state;
    unsigned char b[64];
    for (int d = 0; d < 2; d++) {
        char delim = d ? ',' : ';';
        for (int v = 0; v < 256; v++)
            for (int i = 0; i < 64; i++) {
                memset(b, 'a', sizeof b);
                b[i] = (unsigned char)v;
                uint64_t want = (uint64_t)special((unsigned char)v, delim) << i;
                if (uf_csv_marks64((const char *)b, delim) != want)
                    fail_msg("byte 0x%02x at %d, delimiter %c", v, i, delim);
            }
    }
}

/* Random blocks, weighted to the bytes that sit next to a match (where a
 * borrow would set a false bit): the same marks as byte by byte. */
static void random_blocks(void **state)
{
    (void)state;
    static const unsigned char near[] = {0x00, 0x01, 0x1f, 0x20, 0x21, '"', '#', ';', ':', '<',
                                         0x7e, 0x7f, 0x80, 0xc3, 0xff, 'a'};
    unsigned char b[64];
    uint64_t seed = 88172645463325252ull;
    for (int n = 0; n < 200000; n++) {
        for (int i = 0; i < 64; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            b[i] = seed & 256 ? near[seed % sizeof near] : (unsigned char)(seed >> 24);
        }
        if (uf_csv_marks64((const char *)b, ';') != by_bytes(b, ';'))
            fail_msg("block %d differs", n);
    }
}

/* The build tested the form it was meant to. */
static void form_built(void **state)
{
    (void)state;
#if defined(UF_CSV_PORTABLE) || !defined(__SSE2__)
    assert_string_equal(UF_CSV_MARKS, "words");
#else
    assert_string_equal(UF_CSV_MARKS, "sse2");
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(form_built),
        cmocka_unit_test(each_byte_each_place),
        cmocka_unit_test(random_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
