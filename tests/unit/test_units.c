/* test_units.c: lengths, colours, contrast, dates, edit distance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "units.h"

static double length(const char *s) {
    double v = -1;
    assert_int_equal(hd_length_parse(s, &v), 1);
    return v;
}

static void test_lengths(void **state) {
    assert_float_equal(length("54"), 54.0, 1e-9);
    assert_float_equal(length("54pt"), 54.0, 1e-9);
    assert_float_equal(length("0.75in"), 54.0, 1e-9);
    assert_float_equal(length("19mm"), 53.858267716535, 1e-9);
    assert_float_equal(length("1.9cm"), 53.858267716535, 1e-9);
    assert_float_equal(length("13 pt"), 13.0, 1e-9);
    assert_float_equal(length("0"), 0.0, 1e-9);
    double v = 7;
    const char *bad[] = {"", "pt", "12px", "-3pt", "1.pt", ".5in", "12 p t", "1e3", "12pt ", " 12pt", "0x10", "nan", "12PT"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_int_equal(hd_length_parse(bad[i], &v), 0);
    assert_int_equal(hd_length_parse(NULL, &v), 0);
    assert_float_equal(v, 7.0, 0);
}

static void test_numbers(void **state) {
    double v;
    assert_int_equal(hd_number_parse("1.45", &v), 1);
    assert_float_equal(v, 1.45, 1e-12);
    assert_int_equal(hd_number_parse("-2", &v), 1);
    assert_float_equal(v, -2, 0);
    assert_int_equal(hd_number_parse("8", &v), 1);
    assert_float_equal(v, 8, 0);
    assert_int_equal(hd_number_parse("1.", &v), 0);
    assert_int_equal(hd_number_parse("inf", &v), 0);
    assert_int_equal(hd_number_parse("1e5", &v), 0);
    assert_int_equal(hd_number_parse("", &v), 0);
    assert_int_equal(hd_number_parse("-", &v), 0);
    assert_int_equal(hd_number_parse("1234567890123456789012345678901234567890", &v), 0);
}

static void test_colours(void **state) {
    hd_rgb c;
    assert_int_equal(hd_colour_parse("#1F4e79", &c), 1);
    assert_float_equal(c.r, 0x1f / 255.0, 1e-12);
    assert_float_equal(c.g, 0x4e / 255.0, 1e-12);
    assert_float_equal(c.b, 0x79 / 255.0, 1e-12);
    char buf[8];
    hd_colour_format(c, buf);
    assert_string_equal(buf, "#1f4e79");
    const char *bad[] = {"", "#", "#fff", "1f4e79", "#1f4e7", "#1f4e790", "#1g4e79", "# 1f4e7"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_int_equal(hd_colour_parse(bad[i], &c), 0);
}

static double contrast(const char *a, const char *b) {
    hd_rgb x, y;
    assert_int_equal(hd_colour_parse(a, &x), 1);
    assert_int_equal(hd_colour_parse(b, &y), 1);
    return hd_contrast_ratio(x, y);
}

static void test_contrast(void **state) {
    assert_float_equal(contrast("#000000", "#ffffff"), 21.0, 1e-9);
    assert_float_equal(contrast("#ffffff", "#000000"), 21.0, 1e-9);
    assert_float_equal(contrast("#777777", "#777777"), 1.0, 1e-9);
    assert_float_equal(contrast("#767676", "#ffffff"), 4.54, 0.005);
    assert_float_equal(contrast("#777777", "#ffffff"), 4.48, 0.005);
    assert_float_equal(contrast("#999999", "#ffffff"), 2.85, 0.005);
    assert_float_equal(contrast("#595959", "#ffffff"), 7.00, 0.005);
    assert_float_equal(contrast("#1f4e79", "#ffffff"), 8.66, 0.005);
    assert_float_equal(contrast("#1a1a1a", "#fff3e0"), 15.87, 0.005);
    hd_rgb white = {1, 1, 1};
    hd_rgb red = {1, 0, 0};
    assert_float_equal(hd_luminance(white), 1.0, 1e-12);
    assert_float_equal(hd_luminance(red), 0.2126, 1e-12);
}

static void test_darken(void **state) {
    hd_rgb grey, white = {1, 1, 1}, out;
    char buf[8];
    hd_colour_parse("#999999", &grey);
    out = hd_colour_darken_to(grey, white, 4.5);
    hd_colour_format(out, buf);
    assert_string_equal(buf, "#767676");
    hd_rgb orange;
    hd_colour_parse("#ff8800", &orange);
    out = hd_colour_darken_to(orange, white, 4.5);
    assert_true(hd_contrast_ratio(out, white) >= 4.5);
    assert_true(out.r > out.g && out.b == 0);
    out = hd_colour_darken_to(grey, white, 22); /* out of reach: black */
    assert_float_equal(out.r + out.g + out.b, 0, 0);
    out = hd_colour_darken_to(grey, white, 2); /* already enough: unchanged */
    hd_colour_format(out, buf);
    assert_string_equal(buf, "#999999");
}

static void test_dates(void **state) {
    hd_date dt = {0, 0, 0};
    assert_int_equal(hd_date_parse("2026-10-15", &dt), HD_DATE_OK);
    assert_int_equal(dt.y, 2026);
    assert_int_equal(dt.m, 10);
    assert_int_equal(dt.d, 15);
    assert_int_equal(hd_date_parse("2024-02-29", &dt), HD_DATE_OK);
    assert_int_equal(hd_date_parse("2000-02-29", &dt), HD_DATE_OK);
    assert_int_equal(hd_date_parse("1900-02-29", &dt), HD_DATE_DAY);
    assert_int_equal(hd_date_parse("2027-02-29", &dt), HD_DATE_DAY);
    assert_int_equal(hd_date_parse("2026-04-31", &dt), HD_DATE_DAY);
    assert_int_equal(hd_date_parse("2026-12-31", &dt), HD_DATE_OK);
    assert_int_equal(hd_date_parse("2026-01-00", &dt), HD_DATE_DAY);
    assert_int_equal(hd_date_parse("2026-13-01", &dt), HD_DATE_MONTH);
    assert_int_equal(hd_date_parse("2026-00-01", &dt), HD_DATE_MONTH);
    const char *bad[] = {"", "2026-1-15", "26-10-15", "2026/10/15", "2026-10-15T00", "20261015", "0999-01-01", "2026-1a-15"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_int_equal(hd_date_parse(bad[i], &dt), HD_DATE_FORMAT);
    assert_int_equal(hd_is_leap_year(2024), 1);
    assert_int_equal(hd_is_leap_year(2100), 0);
    assert_int_equal(hd_is_leap_year(2400), 1);
    assert_int_equal(hd_days_in_month(2024, 2), 29);
    assert_int_equal(hd_days_in_month(2026, 2), 28);
    assert_int_equal(hd_days_in_month(2026, 13), 0);
    hd_date a = {2026, 10, 15}, b = {2027, 1, 1}, c = {2026, 10, 16};
    assert_true(hd_date_cmp(a, b) < 0);
    assert_true(hd_date_cmp(b, a) > 0);
    assert_true(hd_date_cmp(a, c) < 0);
    assert_int_equal(hd_date_cmp(a, a), 0);
    char buf[11];
    hd_date e = {2027, 3, 5};
    hd_date_format(e, buf);
    assert_string_equal(buf, "2027-03-05");
}

static void test_edit_distance(void **state) {
    assert_int_equal(hd_edit_distance("title", "title"), 0);
    assert_int_equal(hd_edit_distance("titel", "title"), 1);
    assert_int_equal(hd_edit_distance("titl", "title"), 1);
    assert_int_equal(hd_edit_distance("tittle", "title"), 1);
    assert_int_equal(hd_edit_distance("reviewd", "reviewed"), 1);
    assert_int_equal(hd_edit_distance("review_by", "review-by"), 1);
    assert_int_equal(hd_edit_distance("", "abc"), 3);
    assert_int_equal(hd_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(hd_edit_distance("colors", "colours"), 1);
    char long_a[100];
    for (int i = 0; i < 99; i++) long_a[i] = 'a';
    long_a[99] = 0;
    assert_true(hd_edit_distance(long_a, "a") > 64);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lengths), cmocka_unit_test(test_numbers),  cmocka_unit_test(test_colours),
        cmocka_unit_test(test_contrast), cmocka_unit_test(test_darken),  cmocka_unit_test(test_dates),
        cmocka_unit_test(test_edit_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
