/* tests/test_calendar.c — civil date arithmetic that every "within 3 days"
 * and "same day" rule rests on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/core.h"

static void round_trip_every_day_1900_2100(void **state)
{
    (void)state;
    uf_day d = uf_day_make(1900, 1, 1);
    for (int y = 1900; y <= 2100; y++)
        for (int m = 1; m <= 12; m++)
            for (int dd = 1; dd <= uf_days_in_month(y, m); dd++, d++) {
                assert_int_equal(uf_day_make(y, m, dd), d);
                int yy, mm, ddd;
                uf_day_split(d, &yy, &mm, &ddd);
                assert_int_equal(yy, y);
                assert_int_equal(mm, m);
                assert_int_equal(ddd, dd);
            }
}

static void epoch_and_weekdays(void **state)
{
    (void)state;
    assert_int_equal(uf_day_make(1970, 1, 1), 0);
    assert_int_equal(uf_weekday(uf_day_make(2024, 8, 30)), 4); /* a Friday */
    assert_int_equal(uf_weekday(uf_day_make(2024, 9, 2)), 0);  /* a Monday */
    assert_int_equal(uf_weekday(uf_day_make(1969, 12, 31)), 2);
}

static void leap_years(void **state)
{
    (void)state;
    assert_int_equal(uf_days_in_month(2024, 2), 29);
    assert_int_equal(uf_days_in_month(2023, 2), 28);
    assert_int_equal(uf_days_in_month(2000, 2), 29);
    assert_int_equal(uf_days_in_month(2100, 2), 28);
    assert_false(uf_day_valid(2024, 2, 30));
    assert_true(uf_day_valid(2024, 2, 29));
    assert_false(uf_day_valid(2024, 13, 1));
}

static void months_and_tertials(void **state)
{
    (void)state;
    uf_month m;
    assert_int_equal(uf_month_parse("2024-08", &m), 0);
    assert_int_equal(uf_month_year(m), 2024);
    assert_int_equal(uf_month_number(m), 8);
    char buf[8];
    uf_month_format(m - 12, buf);
    assert_string_equal(buf, "2023-08");
    uf_month_format(m - 8, buf);
    assert_string_equal(buf, "2023-12");
    assert_int_equal(uf_tertial(m), 2);
    assert_int_equal(uf_tertial_first(m), uf_month_make(2024, 5));
    assert_int_equal(uf_tertial_first(uf_month_make(2024, 12)), uf_month_make(2024, 9));
    assert_int_equal(uf_tertial_first(uf_month_make(2024, 4)), uf_month_make(2024, 1));
    assert_string_equal(uf_month_name_sv(8), "augusti");
    assert_int_equal(uf_month_of(uf_day_make(2024, 8, 31)), m);
    assert_int_equal(uf_month_parse("2024-8", &m), -1);
    assert_int_equal(uf_month_parse("2024-13", &m), -1);
    assert_int_equal(uf_month_parse("2024/08", &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_every_day_1900_2100),
        cmocka_unit_test(epoch_and_weekdays),
        cmocka_unit_test(leap_years),
        cmocka_unit_test(months_and_tertials),
    };
    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
