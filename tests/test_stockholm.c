/* tests/test_stockholm.c — the time a document shows is Stockholm's, summer
 * time included, whatever the machine's zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "core/core.h"

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return (int64_t)uf_day_make(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static void times_in_stockholm(void **state)
{
    (void)state;
    /* The machine's zone must not matter. */
    setenv("TZ", "America/New_York", 1);
    tzset();
    char b[40];
    uf_fmt_time_sv(utc(2024, 9, 6, 5, 15, 0), b, sizeof b);
    assert_string_equal(b, "2024-09-06 07:15");
    uf_fmt_time_sv(utc(2024, 1, 15, 12, 0, 0), b, sizeof b);
    assert_string_equal(b, "2024-01-15 13:00");
    uf_fmt_time_sv(utc(2023, 12, 31, 23, 30, 0), b, sizeof b); /* next year locally */
    assert_string_equal(b, "2024-01-01 00:30");
    /* Summer time starts 2024-03-31 01:00 UTC and ends 2024-10-27 01:00 UTC. */
    uf_fmt_time_sv(utc(2024, 3, 31, 0, 59, 59), b, sizeof b);
    assert_string_equal(b, "2024-03-31 01:59");
    uf_fmt_time_sv(utc(2024, 3, 31, 1, 0, 0), b, sizeof b);
    assert_string_equal(b, "2024-03-31 03:00");
    uf_fmt_time_sv(utc(2024, 10, 27, 0, 59, 0), b, sizeof b);
    assert_string_equal(b, "2024-10-27 02:59");
    uf_fmt_time_sv(utc(2024, 10, 27, 1, 0, 0), b, sizeof b);
    assert_string_equal(b, "2024-10-27 02:00");
    /* Before 1996 summer time ended in September. */
    uf_fmt_time_sv(utc(1995, 10, 1, 12, 0, 0), b, sizeof b);
    assert_string_equal(b, "1995-10-01 13:00");
    uf_fmt_time_iso(utc(2024, 9, 6, 5, 15, 7), b, sizeof b);
    assert_string_equal(b, "2024-09-06T07:15:07+02:00");
    uf_fmt_time_iso(utc(2024, 12, 1, 8, 0, 0), b, sizeof b);
    assert_string_equal(b, "2024-12-01T09:00:00+01:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(times_in_stockholm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
