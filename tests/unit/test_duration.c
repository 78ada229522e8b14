/* test_duration.c: unit tests for duration.c (parsing durations and ranges,
 * every unit and abbreviation, every error message, formatting ticks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"

static void assert_parses(const char *s, double lo, double hi) {
    double a = -1, b = -1;
    char why[256] = "unset";
    if (!hd_duration_parse(s, &a, &b, why, sizeof why))
        fail_msg("\"%s\" did not parse: %s", s, why);
    if (fabs(a - lo) > 1e-9 * lo || fabs(b - hi) > 1e-9 * hi)
        fail_msg("\"%s\" gave %g..%g, expected %g..%g", s, a, b, lo, hi);
    assert_string_equal(why, "");
}

static void assert_fails(const char *s, const char *msg) {
    double a = -7, b = -7;
    char why[256] = "";
    assert_int_equal(hd_duration_parse(s, &a, &b, why, sizeof why), 0);
    assert_string_equal(why, msg);
    assert_true(a == -7 && b == -7); /* outputs untouched on failure */
}

static void test_every_unit(void **state) {
    (void)state;
    static const struct {
        const char *name;
        double mult;
    } u[] = {
        {"minute", 1},     {"minutes", 1},     {"min", 1},        {"mins", 1},       {"hour", 60},
        {"hours", 60},     {"h", 60},          {"hr", 60},        {"hrs", 60},       {"day", 1440},
        {"days", 1440},    {"d", 1440},        {"week", 10080},   {"weeks", 10080},  {"wk", 10080},
        {"wks", 10080},    {"w", 10080},       {"month", 43830},  {"months", 43830}, {"mo", 43830},
        {"mos", 43830},    {"year", 525960},   {"years", 525960}, {"yr", 525960},    {"yrs", 525960},
        {"y", 525960},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
        char s[64];
        snprintf(s, sizeof s, "3 %s", u[i].name);
        assert_parses(s, 3 * u[i].mult, 3 * u[i].mult);
        snprintf(s, sizeof s, "3%s", u[i].name); /* no space: "2hr" */
        assert_parses(s, 3 * u[i].mult, 3 * u[i].mult);
    }
}

static void test_singular_plural_case(void **state) {
    (void)state;
    assert_parses("1 minute", 1, 1);
    assert_parses("1 minutes", 1, 1);
    assert_parses("12 month", 12 * HD_MONTH, 12 * HD_MONTH);
    assert_parses("12 months", 12 * HD_MONTH, 12 * HD_MONTH);
    assert_parses("2 HOURS", 120, 120);
    assert_parses("2 Hr", 120, 120);
    assert_parses("  6 Weeks \t", 6 * HD_WEEK, 6 * HD_WEEK);
    assert_parses("1\xc2\xa0year", HD_YEAR, HD_YEAR); /* no-break space */
}

static void test_decimals(void **state) {
    (void)state;
    assert_parses("1.5 hours", 90, 90);
    assert_parses("0.5 day", 720, 720);
    assert_parses("2.25 yr", 2.25 * HD_YEAR, 2.25 * HD_YEAR);
}

static void test_ranges(void **state) {
    (void)state;
    assert_parses("4-6 weeks", 4 * HD_WEEK, 6 * HD_WEEK);
    assert_parses("4 - 6 weeks", 4 * HD_WEEK, 6 * HD_WEEK);
    assert_parses("4\xe2\x80\x93" "6 weeks", 4 * HD_WEEK, 6 * HD_WEEK); /* en dash */
    assert_parses("4 \xe2\x80\x94 6 wk", 4 * HD_WEEK, 6 * HD_WEEK);     /* em dash */
    assert_parses("4 to 6 weeks", 4 * HD_WEEK, 6 * HD_WEEK);
    assert_parses("4 TO 6 weeks", 4 * HD_WEEK, 6 * HD_WEEK);
    assert_parses("2 hours to 2 weeks", 120, 2 * HD_WEEK);
    assert_parses("2 hr-2 wk", 120, 2 * HD_WEEK);
    assert_parses("10 min \xe2\x80\x93 1 hour", 10, 60);
    assert_parses("1.5-2.5 days", 1.5 * HD_DAY, 2.5 * HD_DAY);
    assert_parses("3-3 days", 3 * HD_DAY, 3 * HD_DAY);
    assert_parses("12 hours to 1 day", 720, HD_DAY);
}

static void test_errors(void **state) {
    (void)state;
    assert_fails("2 fortnight", "unknown unit 'fortnight' in \"2 fortnight\" (use minutes, hours, days, "
                                "weeks, months or years)");
    assert_fails("3 m", "the unit 'm' in \"3 m\" could mean minutes or months (write min or mo)");
    assert_fails("4-6", "\"4-6\" has no unit (add one, e.g. \"4-6 weeks\"; use minutes, hours, days, "
                        "weeks, months or years)");
    assert_fails("12", "\"12\" has no unit (add one, e.g. \"12 weeks\"; use minutes, hours, days, "
                       "weeks, months or years)");
    assert_fails("2 hours to 3", "\"2 hours to 3\" has no unit (add one, e.g. \"2 hours to 3 weeks\"; "
                                 "use minutes, hours, days, weeks, months or years)");
    assert_fails("weeks", "\"weeks\" does not start with a number (write a number and a unit, e.g. "
                          "\"2 weeks\", or a range, e.g. \"4-6 weeks\")");
    assert_fails("a few days", "\"a few days\" does not start with a number (write a number and a "
                               "unit, e.g. \"2 weeks\", or a range, e.g. \"4-6 weeks\")");
    assert_fails("nan days", "\"nan days\" does not start with a number (write a number and a unit, "
                             "e.g. \"2 weeks\", or a range, e.g. \"4-6 weeks\")");
    assert_fails("", "the duration is empty (write a number and a unit, e.g. \"2 weeks\", or a range, "
                     "e.g. \"4-6 weeks\")");
    assert_fails("   ", "the duration is empty (write a number and a unit, e.g. \"2 weeks\", or a "
                        "range, e.g. \"4-6 weeks\")");
    assert_fails("-3 days", "\"-3 days\" is negative (a duration must be more than zero)");
    assert_fails("0 days", "\"0 days\" is zero (a duration must be more than zero)");
    assert_fails("0-6 weeks", "\"0-6 weeks\" is zero (a duration must be more than zero)");
    assert_fails("6-4 weeks", "\"6-4 weeks\" ends before it starts (write the shorter time first, "
                              "e.g. \"4-6 weeks\")");
    assert_fails("2 weeks to 2 days", "\"2 weeks to 2 days\" ends before it starts (write the shorter "
                                      "time first, e.g. \"4-6 weeks\")");
    assert_fails("1,000 days", "\"1,000 days\" has a comma in a number (write 1000, not 1,000; use a "
                               "point for decimals: 1.5)");
    assert_fails("4- weeks", "\"4- weeks\" is an unfinished range (write a number and a unit, e.g. "
                             "\"2 weeks\", or a range, e.g. \"4-6 weeks\")");
    assert_fails("4 to", "\"4 to\" is an unfinished range (write a number and a unit, e.g. \"2 weeks\", "
                         "or a range, e.g. \"4-6 weeks\")");
    assert_fails("5 days 3 hours", "unexpected \"3 hours\" in \"5 days 3 hours\" (write a number and a "
                                   "unit, e.g. \"2 weeks\", or a range, e.g. \"4-6 weeks\")");
    assert_fails("4-6 weeks!", "unexpected \"!\" in \"4-6 weeks!\" (write a number and a unit, e.g. "
                               "\"2 weeks\", or a range, e.g. \"4-6 weeks\")");
    assert_fails("101 years", "\"101 years\" is too long (at most 100 years)");
    assert_fails("4-6 fortnights", "unknown unit 'fortnights' in \"4-6 fortnights\" (use minutes, "
                                   "hours, days, weeks, months or years)");
}

static void test_error_buffer_small(void **state) {
    (void)state;
    double a, b;
    char why[8];
    assert_int_equal(hd_duration_parse("2 fortnight", &a, &b, why, sizeof why), 0);
    assert_string_equal(why, "unknown"); /* truncated, still terminated */
    assert_int_equal(hd_duration_parse("2 fortnight", &a, &b, NULL, 0), 0);
    assert_int_equal(hd_duration_parse(NULL, &a, &b, NULL, 0), 0);
}

static void assert_format(double m, const char *want) {
    char buf[64];
    hd_duration_format(m, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_format(void **state) {
    (void)state;
    assert_format(HD_MINUTE, "1 minute");
    assert_format(10, "10 minutes");
    assert_format(90, "90 minutes");
    assert_format(HD_HOUR, "1 hour");
    assert_format(24 * HD_HOUR, "1 day");
    assert_format(HD_DAY, "1 day");
    assert_format(3 * HD_DAY, "3 days");
    assert_format(HD_WEEK, "1 week");
    assert_format(14 * HD_DAY, "2 weeks");
    assert_format(HD_MONTH, "1 month");
    assert_format(3 * HD_MONTH, "3 months");
    assert_format(6 * HD_MONTH, "6 months");
    assert_format(12 * HD_MONTH, "1 year");
    assert_format(HD_YEAR, "1 year");
    assert_format(5 * HD_YEAR, "5 years");
    assert_format(1.5 * HD_YEAR, "18 months");
    assert_format(0.5, "0.5 minutes");
    assert_format(100, "100 minutes");
    assert_format(100.5, "1.7 hours");
}

static void test_format_ex(void **state) {
    (void)state;
    char buf[64];
    hd_duration_format_ex(HD_MINUTE, "en", 1, buf, sizeof buf);
    assert_string_equal(buf, "1 min");
    hd_duration_format_ex(HD_HOUR, "en", 1, buf, sizeof buf);
    assert_string_equal(buf, "1 hr");
    hd_duration_format_ex(3 * HD_MONTH, "en", 1, buf, sizeof buf);
    assert_string_equal(buf, "3 mo");
    hd_duration_format_ex(2 * HD_YEAR, "en", 1, buf, sizeof buf);
    assert_string_equal(buf, "2 yr");
    hd_duration_format_ex(HD_YEAR, "es", 0, buf, sizeof buf);
    assert_string_equal(buf, "1 año");
    hd_duration_format_ex(3 * HD_MONTH, "es", 0, buf, sizeof buf);
    assert_string_equal(buf, "3 meses");
    hd_duration_format_ex(HD_DAY, "es", 0, buf, sizeof buf);
    assert_string_equal(buf, "1 día");
    hd_duration_format_ex(90, "es", 0, buf, sizeof buf);
    assert_string_equal(buf, "90 minutos");
    hd_duration_format_ex(100.5, "es", 0, buf, sizeof buf);
    assert_string_equal(buf, "1,7 horas");
    hd_duration_format_ex(HD_WEEK, "fr", 0, buf, sizeof buf); /* unknown: English */
    assert_string_equal(buf, "1 week");
    hd_duration_format_ex(HD_WEEK, NULL, 0, buf, 4); /* truncated */
    assert_string_equal(buf, "1 w");
}

static void test_round_trip(void **state) {
    (void)state;
    static const double ticks[] = {1, 10, HD_HOUR, HD_DAY, HD_WEEK, 2 * HD_WEEK, HD_MONTH,
                                   3 * HD_MONTH, 6 * HD_MONTH, HD_YEAR, 2 * HD_YEAR, 5 * HD_YEAR};
    for (size_t i = 0; i < sizeof ticks / sizeof ticks[0]; i++) {
        char buf[64];
        hd_duration_format(ticks[i], buf, sizeof buf);
        assert_parses(buf, ticks[i], ticks[i]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_unit),   cmocka_unit_test(test_singular_plural_case),
        cmocka_unit_test(test_decimals),     cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_errors),       cmocka_unit_test(test_error_buffer_small),
        cmocka_unit_test(test_format),       cmocka_unit_test(test_format_ex),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
