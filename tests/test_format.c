/* tests/test_format.c — Swedish display of numbers and months, and the axes:
 * what a politician reads on paper must be exact, whatever the machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <string.h>

#include "render/doc.h"

#define PCT "\xc2\xa0%"  /* no-break space, percent sign */
#define TH "\xe2\x80\xaf" /* narrow no-break space */
#define MINUS "\xe2\x88\x92"
#define NBSP "\xc2\xa0"

static uf_indicator ind(uf_kind kind, int decimals)
{
    uf_indicator i = {0};
    i.kind = kind;
    i.decimals = decimals;
    i.direction = 1;
    return i;
}

static void value_percent(void **state)
{
    (void)state;
    char b[64];
    uf_indicator p1 = ind(UF_KIND_PERCENT, 1), p0 = ind(UF_KIND_PERCENT, 0);
    uf_fmt_value(&p1, 0.853, b, sizeof b);
    assert_string_equal(b, "85,3" PCT);
    uf_fmt_value(&p1, 0.92, b, sizeof b);
    assert_string_equal(b, "92,0" PCT);
    uf_fmt_value(&p1, 1.0, b, sizeof b);
    assert_string_equal(b, "100,0" PCT);
    uf_fmt_value(&p1, 0.0, b, sizeof b);
    assert_string_equal(b, "0,0" PCT);
    uf_fmt_value(&p0, 0.364, b, sizeof b);
    assert_string_equal(b, "36" PCT);
    uf_fmt_value(&p0, 0.2031, b, sizeof b);
    assert_string_equal(b, "20" PCT);
}

static void value_index_and_count(void **state)
{
    (void)state;
    char b[64];
    uf_indicator x = ind(UF_KIND_INDEX, 2), c0 = ind(UF_KIND_COUNT, 0),
                 c1 = ind(UF_KIND_COUNT, 1);
    uf_fmt_value(&x, 0.29, b, sizeof b);
    assert_string_equal(b, "0,29");
    uf_fmt_value(&x, 0.3749, b, sizeof b);
    assert_string_equal(b, "0,37");
    uf_fmt_value(&c0, 1100, b, sizeof b);
    assert_string_equal(b, "1" TH "100");
    uf_fmt_value(&c0, 999.4, b, sizeof b);
    assert_string_equal(b, "999");
    uf_fmt_value(&c0, 999.6, b, sizeof b);
    assert_string_equal(b, "1" TH "000");
    uf_fmt_value(&c0, 1234567.4, b, sizeof b);
    assert_string_equal(b, "1" TH "234" TH "567");
    uf_fmt_value(&c1, 1100.26, b, sizeof b);
    assert_string_equal(b, "1" TH "100,3");
    /* A value no report should have, told as what it is, not cut off at
     * the end of the buffer: digits past 10^15 are not exact anyway. */
    uf_fmt_value(&c0, 999999999999999.0, b, sizeof b);
    assert_string_equal(b, "999" TH "999" TH "999" TH "999" TH "999");
    uf_fmt_value(&c0, 1e308, b, sizeof b);
    assert_string_equal(b, "1,00" NBSP "×" NBSP "10³⁰⁸");
    uf_fmt_value(&c1, -2.5e15, b, sizeof b);
    assert_string_equal(b, MINUS "2,50" NBSP "×" NBSP "10¹⁵");
    uf_indicator p1 = ind(UF_KIND_PERCENT, 1);
    uf_fmt_value(&p1, 1e306, b, sizeof b);
    assert_string_equal(b, "1,00" NBSP "×" NBSP "10³⁰⁸" PCT);
    uf_fmt_change(&p1, 9.99e20, b, sizeof b);
    assert_string_equal(b, "+9,99" NBSP "×" NBSP "10²²" NBSP "p.e.");
    uf_fmt_value(&c0, INFINITY, b, sizeof b);
    assert_string_equal(b, "∞");
}

static void value_nan_is_en_dash(void **state)
{
    (void)state;
    char b[16];
    uf_indicator p = ind(UF_KIND_PERCENT, 1), c = ind(UF_KIND_COUNT, 0);
    uf_fmt_value(&p, NAN, b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x93");
    uf_fmt_value(&c, NAN, b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x93");
}

static void integers(void **state)
{
    (void)state;
    char b[64];
    uf_fmt_int(0, b, sizeof b);
    assert_string_equal(b, "0");
    uf_fmt_int(999, b, sizeof b);
    assert_string_equal(b, "999");
    uf_fmt_int(1100, b, sizeof b);
    assert_string_equal(b, "1" TH "100");
    uf_fmt_int(1000000, b, sizeof b);
    assert_string_equal(b, "1" TH "000" TH "000");
    uf_fmt_int(-1234, b, sizeof b);
    assert_string_equal(b, MINUS "1" TH "234");
    uf_fmt_int(LLONG_MIN, b, sizeof b);
    assert_string_equal(b, MINUS "9" TH "223" TH "372" TH "036" TH "854" TH "775" TH "808");
}

static void short_buffers_stay_terminated(void **state)
{
    (void)state;
    char b[8];
    memset(b, 'x', sizeof b);
    uf_fmt_int(1234567, b, 5); /* "1" + 3-byte space fits, nothing more */
    assert_int_equal(strlen(b), 4);
    assert_int_equal(b[5], 'x');
    uf_indicator p = ind(UF_KIND_PERCENT, 1);
    memset(b, 'x', sizeof b);
    uf_fmt_value(&p, 0.853, b, 4);
    assert_string_equal(b, "85,");
    assert_int_equal(b[4], 'x');
}

static void changes(void **state)
{
    (void)state;
    char b[64];
    uf_indicator p = ind(UF_KIND_PERCENT, 1), x = ind(UF_KIND_INDEX, 2),
                 c = ind(UF_KIND_COUNT, 0);
    uf_fmt_change(&p, 0.021, b, sizeof b);
    assert_string_equal(b, "+2,1\xc2\xa0p.e.");
    uf_fmt_change(&p, -0.0449, b, sizeof b);
    assert_string_equal(b, MINUS "4,5\xc2\xa0p.e.");
    uf_fmt_change(&p, -0.00001, b, sizeof b); /* rounds to zero: no sign */
    assert_string_equal(b, "0,0\xc2\xa0p.e.");
    uf_fmt_change(&x, 0.03, b, sizeof b);
    assert_string_equal(b, "+0,03");
    uf_fmt_change(&c, -1100, b, sizeof b);
    assert_string_equal(b, MINUS "1" TH "100");
    uf_fmt_change(&c, NAN, b, sizeof b);
    assert_string_equal(b, "\xe2\x80\x93");
}

static void targets(void **state)
{
    (void)state;
    char b[128];
    uf_indicator p = ind(UF_KIND_PERCENT, 1), c = ind(UF_KIND_COUNT, 0);
    uf_target t = {.value = 0.9, .decision = "HSN 2023-12-18 § 151"};
    uf_fmt_target(&p, &t, b, sizeof b);
    assert_string_equal(b, "Mål 90" PCT " (HSN 2023-12-18 § 151)");
    t.value = 0.855;
    t.decision = "";
    uf_fmt_target(&p, &t, b, sizeof b);
    assert_string_equal(b, "Mål 85,5" PCT);
    uf_target g = {.value = 1100, .decision = "Socialstyrelsen"};
    uf_fmt_target(&c, &g, b, sizeof b);
    assert_string_equal(b, "Mål 1" TH "100 (Socialstyrelsen)");
    uf_fmt_target(&p, NULL, b, sizeof b);
    assert_string_equal(b, "Inget mål");
    p.national_goal = "God och nära vård, mål 1"; /* a fact of the definition */
    t.value = 0.55;
    t.decision = "Överenskommelse";
    uf_fmt_target(&p, &t, b, sizeof b);
    assert_string_equal(b, "Mål 55" PCT " (Överenskommelse) · Nationellt mål: God och nära vård, mål 1");
    uf_fmt_target(&p, NULL, b, sizeof b);
    assert_string_equal(b, "Inget mål · Nationellt mål: God och nära vård, mål 1");
}

static void months_and_tertials(void **state)
{
    (void)state;
    char b[32];
    uf_fmt_period_sv(uf_month_make(2024, 8), b, sizeof b);
    assert_string_equal(b, "augusti 2024");
    uf_fmt_period_sv(uf_month_make(2023, 1), b, sizeof b);
    assert_string_equal(b, "januari 2023");
    uf_fmt_month_short(uf_month_make(2023, 8), b, sizeof b);
    assert_string_equal(b, "aug 2023");
    uf_fmt_month_short(uf_month_make(2024, 5), b, sizeof b);
    assert_string_equal(b, "maj 2024");
    uf_fmt_month_short(uf_month_make(2024, 3), b, sizeof b);
    assert_string_equal(b, "mar 2024");
    uf_fmt_tertial(uf_month_make(2024, 8), b, sizeof b);
    assert_string_equal(b, "T2 2024");
    uf_fmt_tertial(uf_month_make(2024, 9), b, sizeof b);
    assert_string_equal(b, "T3 2024");
    uf_fmt_tertial(uf_month_make(2024, 4), b, sizeof b);
    assert_string_equal(b, "T1 2024");
}

/* Line charts fit their axis; near 0 they start at 0 (hand-computed). */
static void axes(void **state)
{
    (void)state;
    uf_indicator p = ind(UF_KIND_PERCENT, 1);
    double bot, top, step;
    /* 78–90 %: margin 3 pp each side, steps of 5 pp, 75–95 %. */
    uf_axis_fit(&p, 0.78, 0.90, &bot, &top, &step);
    assert_float_equal(bot, 0.75, 1e-9);
    assert_float_equal(top, 0.95, 1e-9);
    assert_float_equal(step, 0.05, 1e-9);
    /* 20–50 %: the margin reaches toward 0, so the axis starts there. */
    uf_axis_fit(&p, 0.20, 0.50, &bot, &top, &step);
    assert_float_equal(bot, 0.0, 1e-12);
    assert_float_equal(top, 0.6, 1e-9);
    assert_float_equal(step, 0.2, 1e-9);
    /* A share never runs past 100 %. */
    uf_axis_fit(&p, 0.97, 0.995, &bot, &top, &step);
    assert_float_equal(top, 1.0, 1e-12);
    uf_axis_zero(&p, 0.93, &top, &step);
    assert_float_equal(top, 1.0, 1e-12);
    assert_float_equal(step, 0.2, 1e-9);
}

/* A manifest's times in Stockholm time, summer and winter, from UTC and
 * from an offset; what is not a time is shown as it is. */
static void manifest_times_in_stockholm(void **state)
{
    (void)state;
    char buf[32];
    uf_fmt_stamp_sv("2024-08-06T05:15:00Z", buf, sizeof buf);
    assert_string_equal(buf, "2024-08-06 07:15");
    uf_fmt_stamp_sv("2024-01-31T23:30:00Z", buf, sizeof buf);
    assert_string_equal(buf, "2024-02-01 00:30");
    uf_fmt_stamp_sv("2024-08-06T07:15:00+02:00", buf, sizeof buf);
    assert_string_equal(buf, "2024-08-06 07:15");
    uf_fmt_stamp_sv("2024-08-06 07:15", buf, sizeof buf);
    assert_string_equal(buf, "2024-08-06 07:15");
    uf_fmt_stamp_sv("2024-02-30T05:15:00Z", buf, sizeof buf);
    assert_string_equal(buf, "2024-02-30T05:15:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(value_percent),
        cmocka_unit_test(value_index_and_count),
        cmocka_unit_test(value_nan_is_en_dash),
        cmocka_unit_test(integers),
        cmocka_unit_test(short_buffers_stay_terminated),
        cmocka_unit_test(changes),
        cmocka_unit_test(targets),
        cmocka_unit_test(months_and_tertials),
        cmocka_unit_test(axes),
        cmocka_unit_test(manifest_times_in_stockholm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
