/* tests/test_strtab.c — interning: dense indices in first-seen order, stable
 * pointers, byte-exact keys, and a million keys without trouble. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static void basics(void **state)
{
    (void)state;
    uf_strtab *t = uf_strtab_new();
    int added = -1;
    assert_int_equal(uf_strtab_intern(t, "VC01", 4, &added), 0);
    assert_int_equal(added, 1);
    assert_int_equal(uf_strtab_intern(t, "VC02", 4, &added), 1);
    assert_int_equal(added, 1);
    assert_int_equal(uf_strtab_intern(t, "VC01", 4, &added), 0);
    assert_int_equal(added, 0);
    /* Keys are byte strings of the given length: a prefix is another key. */
    assert_int_equal(uf_strtab_intern(t, "VC0123", 3, NULL), 2);
    assert_int_equal(uf_strtab_intern(t, "", 0, NULL), 3);
    assert_int_equal(uf_strtab_intern(t, "a\0b", 3, NULL), 4);
    assert_int_equal(uf_strtab_intern(t, "a\0c", 3, NULL), 5);
    assert_int_equal(uf_strtab_count(t), 6);
    assert_string_equal(uf_strtab_str(t, 1), "VC02");
    assert_string_equal(uf_strtab_str(t, 2), "VC0");
    assert_string_equal(uf_strtab_str(t, 3), "");
    assert_memory_equal(uf_strtab_str(t, 5), "a\0c", 4);
    assert_int_equal(uf_strtab_len(t, 5), 3); /* the NUL is a byte of the key */
    assert_int_equal(uf_strtab_len(t, 3), 0);
    assert_int_equal(uf_strtab_find(t, "VC02", 4), 1);
    assert_int_equal(uf_strtab_find(t, "VC0", 3), 2);
    assert_int_equal(uf_strtab_find(t, "vc02", 4), -1);
    assert_int_equal(uf_strtab_find(t, "VC03", 4), -1);
    uf_strtab_free(t);
}

/* A key longer than an arena chunk gets a chunk of its own. */
static void long_key(void **state)
{
    (void)state;
    uf_strtab *t = uf_strtab_new();
    size_t n = 9 << 20;
    char *big = uf_xmalloc(n);
    memset(big, 'x', n);
    assert_int_equal(uf_strtab_intern(t, "före", 5, NULL), 0);
    assert_int_equal(uf_strtab_intern(t, big, n, NULL), 1);
    assert_int_equal(uf_strtab_intern(t, "efter", 5, NULL), 2);
    assert_int_equal(uf_strtab_find(t, big, n), 1);
    assert_int_equal(strlen(uf_strtab_str(t, 1)), n);
    assert_string_equal(uf_strtab_str(t, 0), "före");
    free(big);
    uf_strtab_free(t);
}

static void million_keys(void **state)
{
    (void)state;
    enum { N = 1000000 };
    uf_strtab *t = uf_strtab_new();
    char key[32];
    const char *first = NULL;
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "pnr-%08x-%d", (unsigned)i * 2654435761u, i);
        int added = 0;
        assert_int_equal(uf_strtab_intern(t, key, (size_t)n, &added), (uint32_t)i);
        assert_int_equal(added, 1);
        if (i == 0)
            first = uf_strtab_str(t, 0);
    }
    assert_int_equal(uf_strtab_count(t), N);
    /* Growing the table and the arena did not move earlier strings. */
    assert_ptr_equal(uf_strtab_str(t, 0), first);
    for (int i = 0; i < N; i += 997) {
        int n = snprintf(key, sizeof key, "pnr-%08x-%d", (unsigned)i * 2654435761u, i);
        assert_int_equal(uf_strtab_find(t, key, (size_t)n), i);
        assert_string_equal(uf_strtab_str(t, (uint32_t)i), key);
        int added = 1;
        assert_int_equal(uf_strtab_intern(t, key, (size_t)n, &added), (uint32_t)i);
        assert_int_equal(added, 0);
        key[0] = 'q';
        assert_int_equal(uf_strtab_find(t, key, (size_t)n), -1);
    }
    assert_int_equal(uf_strtab_count(t), N);
    uf_strtab_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(basics),
        cmocka_unit_test(long_key),
        cmocka_unit_test(million_keys),
    };
    return cmocka_run_group_tests_name("strtab", tests, NULL, NULL);
}
