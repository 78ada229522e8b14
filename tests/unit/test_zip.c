/* test_zip.c: unit tests for zip.c (libdeflate's zlib streams read back by
 * zlib itself, the Adler-32 both ways, the reused buffer, bad levels). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "zip.h"

/* n bytes of something like a PDF: text with repeats, then noise */
static unsigned char *sample(size_t n) {
    unsigned char *b = malloc(n ? n : 1);
    assert_non_null(b);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = i < n / 2 ? (unsigned char)"BT /F1 12 Tf (Ketamine) Tj ET\n"[i % 30] : (unsigned char)(x >> 24);
    }
    return b;
}

/* Deflate in[0..n) with z and check zlib reads it back as in, with the
 * same Adler-32. */
static void round_trip(hd_zip *z, const unsigned char *in, size_t n) {
    size_t zl = 0;
    uint32_t adler = 0;
    const unsigned char *out = hd_zip_deflate(z, in, n, &zl, &adler);
    assert_non_null(out);
    assert_true(zl >= 6);
    assert_int_equal(out[0] & 0x0F, 8); /* zlib header: deflate */
    assert_int_equal((out[0] << 8 | out[1]) % 31, 0);
    uLong want = adler32(adler32(0, NULL, 0), in, (uInt)n);
    assert_int_equal(adler, want);
    assert_int_equal(hd_zip_adler32(in, n), want);
    unsigned char *back = malloc(n + 1);
    uLongf got = n + 1;
    assert_int_equal(uncompress(back, &got, out, zl), Z_OK);
    assert_int_equal(got, n);
    assert_memory_equal(back, in, n);
    free(back);
}

static void test_round_trip_every_level(void **state) {
    (void)state;
    unsigned char *in = sample(200000);
    for (int level = 0; level <= 12; level++) {
        hd_arena *a = hd_arena_new();
        hd_zip *z = hd_zip_new(a, level);
        assert_non_null(z);
        round_trip(z, in, 200000);
        hd_zip_free(z);
        hd_arena_free(a);
    }
    free(in);
}

static void test_reuse(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    hd_zip *z = hd_zip_new(a, 6);
    static const size_t sizes[] = {0, 1, 100, 70000, 10, 500000, 3};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *in = sample(sizes[i]);
        round_trip(z, in, sizes[i]);
        free(in);
    }
    hd_zip_free(z);
    hd_arena_free(a);
}

static void test_same_bytes_twice(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    hd_zip *z1 = hd_zip_new(a, 6), *z2 = hd_zip_new(a, 6);
    unsigned char *in = sample(50000);
    size_t n1, n2;
    uint32_t a1, a2;
    const unsigned char *o1 = hd_zip_deflate(z1, in, 50000, &n1, &a1);
    const unsigned char *o2 = hd_zip_deflate(z2, in, 50000, &n2, &a2);
    assert_int_equal(n1, n2);
    assert_memory_equal(o1, o2, n1);
    assert_int_equal(a1, a2);
    free(in);
    hd_zip_free(z1);
    hd_zip_free(z2);
    hd_arena_free(a);
}

static void test_bad_level(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    assert_null(hd_zip_new(a, 13));
    assert_null(hd_zip_new(a, -1));
    hd_zip_free(NULL);
    hd_arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_level),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_same_bytes_twice),
        cmocka_unit_test(test_bad_level),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
