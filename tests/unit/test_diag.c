/* test_diag.c: formatting diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"
#include "fsutil.h"

static void test_format(void **state) {
    hd_diag g = {.file = "a.yaml", .line = 3, .col = 5, .sev = HD_SEV_ERROR, .msg = "bad"};
    char buf[64];
    hd_diag_format(&g, buf, sizeof buf);
    assert_string_equal(buf, "a.yaml:3:5: error: bad");
    g.line = g.col = 0;
    hd_diag_format(&g, buf, sizeof buf);
    assert_string_equal(buf, "a.yaml: error: bad");
}

/* A message cut at the buffer's end is cut between characters, never in
 * the middle of one (the report must stay valid UTF-8). */
static void test_cut_at_character(void **state) {
    /* "x: error: " is 10 bytes; then "é" (2 bytes) and "€" (3 bytes) */
    hd_diag g = {.file = "x", .sev = HD_SEV_ERROR, .msg = "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"};
    const char *whole = "x: error: \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    for (size_t size = 1; size <= strlen(whole) + 1; size++) {
        char buf[64];
        memset(buf, 'Z', sizeof buf);
        hd_diag_format(&g, buf, size);
        size_t n = strlen(buf);
        assert_true(n < size);
        assert_memory_equal(buf, whole, n); /* a prefix */
        assert_int_equal(hd_utf8_invalid_at(buf, n), -1);
        /* as long as it can be: at most a character's bytes are dropped */
        assert_true(size - 1 - n < 4);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_cut_at_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
