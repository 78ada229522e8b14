/* test_image.c: unit tests for image.c's PNG planes: grey, palette and RGB
 * colour planes, the alpha plane, transparent pixels taking the colour of
 * the nearer visible pixel in their row, and every plane read back with zlib
 * to the decoded pixels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "image.h"

enum { W = 40, H = 30 };

/* A PNG of W x H RGBA pixels made by libpng; *len its size (malloc'd). */
static unsigned char *make_png(const unsigned char *rgba, size_t *len) {
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    pi.width = W;
    pi.height = H;
    pi.format = PNG_FORMAT_RGBA;
    png_alloc_size_t n = 0;
    assert_true(png_image_write_get_memory_size(pi, n, 0, rgba, 0, NULL));
    unsigned char *buf = malloc(n);
    assert_non_null(buf);
    assert_true(png_image_write_to_memory(&pi, buf, &n, 0, rgba, 0, NULL));
    *len = n;
    return buf;
}

/* Inflate a zlib stream that must hold exactly want bytes. */
static unsigned char *inflate_all(const unsigned char *z, size_t zlen, size_t want) {
    unsigned char *out = malloc(want + 16);
    assert_non_null(out);
    uLongf n = (uLongf)(want + 16);
    assert_int_equal(uncompress(out, &n, z, (uLong)zlen), Z_OK);
    assert_int_equal(n, want);
    return out;
}

/* Decode rgba as a PNG and check every plane against it. */
static const hd_image *decode(hd_arena *a, const unsigned char *rgba) {
    size_t len;
    unsigned char *png = make_png(rgba, &len);
    hd_diags d;
    hd_diags_init(&d);
    const hd_image *im = NULL;
    hd_status s = hd_image_decode(a, &d, "t.png", png, len, hd_pos_at("t.yaml", 1, 1), &im);
    assert_int_equal(s, HD_OK);
    assert_int_equal(d.n, 0);
    hd_diags_free(&d);
    free(png);
    assert_non_null(im);
    assert_non_null(im->zcolor);
    size_t npx = (size_t)W * H;
    int bpp = im->colors == 3 ? 3 : 1;
    unsigned char *c = inflate_all(im->zcolor, im->zcolor_len, npx * (size_t)bpp);
    unsigned char *alpha = im->zalpha ? inflate_all(im->zalpha, im->zalpha_len, npx) : NULL;
    for (size_t i = 0; i < npx; i++) {
        const unsigned char *want = rgba + 4 * i;
        unsigned char got[3];
        if (im->colors == 3)
            memcpy(got, c + 3 * i, 3);
        else if (im->colors == 1)
            got[0] = got[1] = got[2] = c[i];
        else {
            assert_true(c[i] < im->npalette);
            memcpy(got, im->palette + 3 * c[i], 3);
        }
        unsigned a8 = alpha ? alpha[i] : 255;
        assert_int_equal(a8, want[3]);
        if (want[3] != 0) {
            assert_memory_equal(got, want, 3);
        } else { /* invisible: the colour of the nearest visible pixel left or right in its row */
            size_t x = i % W, row = i - x, l = x, r = x;
            while (l > 0 && rgba[4 * (row + l) + 3] == 0) l--;
            while (r < W - 1 && rgba[4 * (row + r) + 3] == 0) r++;
            int hasl = rgba[4 * (row + l) + 3] != 0, hasr = rgba[4 * (row + r) + 3] != 0;
            if (!hasl && !hasr) { /* a row with nothing visible: the nearer row with something, or black */
                size_t y = i / W, up = y, down = y;
                int vis_up = 0, vis_down = 0;
                for (; !vis_up && up-- > 0;)
                    for (size_t k = 0; k < W && !vis_up; k++) vis_up = rgba[4 * (up * W + k) + 3] != 0;
                for (; !vis_down && ++down < H;)
                    for (size_t k = 0; k < W && !vis_down; k++) vis_down = rgba[4 * (down * W + k) + 3] != 0;
                if (!vis_up && !vis_down) {
                    static const unsigned char black[3] = {0, 0, 0};
                    assert_memory_equal(got, black, 3);
                } else { /* same colour as that row's pixel in this column (filled there too) */
                    size_t from = vis_up && (!vis_down || y - up <= down - y) ? up : down;
                    size_t j = from * W + x;
                    unsigned char other[3];
                    if (im->colors == 3)
                        memcpy(other, c + 3 * j, 3);
                    else if (im->colors == 1)
                        other[0] = other[1] = other[2] = c[j];
                    else
                        memcpy(other, im->palette + 3 * c[j], 3);
                    assert_memory_equal(got, other, 3);
                }
            }
            if (hasl || hasr) {
                int okl = hasl && memcmp(got, rgba + 4 * (row + l), 3) == 0;
                int okr = hasr && memcmp(got, rgba + 4 * (row + r), 3) == 0;
                if (!okl && !okr) fail_msg("transparent pixel %zu,%zu: colour of neither visible neighbour", x, i / W);
                /* the half of the run nearer to it */
                if (hasl && hasr && x - l != r - x) assert_true(x - l < r - x ? okl : okr);
            }
        }
    }
    free(c);
    free(alpha);
    return im;
}

static unsigned char px[(size_t)W * H * 4];

static void test_palette_with_alpha(void **state) {
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++) { /* 5 colours, a transparent border */
        unsigned x = (unsigned)(i % W), y = (unsigned)(i / W);
        unsigned k = (x / 8 + y) % 5;
        px[4 * i] = (unsigned char)(40 * k), px[4 * i + 1] = (unsigned char)(200 - 30 * k), px[4 * i + 2] = 90;
        px[4 * i + 3] = x < 3 || y < 2 ? 0 : x == 3 ? 128 : 255;
        if (px[4 * i + 3] == 0) px[4 * i] = px[4 * i + 1] = px[4 * i + 2] = 255; /* white under transparency */
    }
    hd_arena *a = hd_arena_new();
    const hd_image *im = decode(a, px);
    assert_int_equal(im->colors, 0);
    assert_true(im->npalette >= 5 && im->npalette <= 6); /* white may stay at the very first pixel */
    assert_non_null(im->zalpha);
    hd_arena_free(a);
}

static void test_grey_opaque(void **state) {
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++) { /* 600 greys would not fit a palette */
        unsigned char g = (unsigned char)((i * 7) % 256);
        px[4 * i] = px[4 * i + 1] = px[4 * i + 2] = g;
        px[4 * i + 3] = 255;
    }
    hd_arena *a = hd_arena_new();
    const hd_image *im = decode(a, px);
    assert_int_equal(im->colors, 1);
    assert_null(im->zalpha); /* opaque: no mask */
    hd_arena_free(a);
}

static void test_many_colours_rgb(void **state) {
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++) { /* 1,200 colours */
        px[4 * i] = (unsigned char)i, px[4 * i + 1] = (unsigned char)(i >> 8), px[4 * i + 2] = 7;
        px[4 * i + 3] = i % 3 ? 255 : 0;
    }
    hd_arena *a = hd_arena_new();
    const hd_image *im = decode(a, px);
    assert_int_equal(im->colors, 3);
    assert_null(im->palette);
    hd_arena_free(a);
}

static void test_exactly_256_colours(void **state) {
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++) {
        px[4 * i] = (unsigned char)(i % 256), px[4 * i + 1] = 1, px[4 * i + 2] = 2;
        px[4 * i + 3] = 255;
    }
    hd_arena *a = hd_arena_new();
    const hd_image *im = decode(a, px);
    assert_int_equal(im->colors, 0);
    assert_int_equal(im->npalette, 256);
    /* one more colour: RGB */
    px[4 * 5] = 9, px[4 * 5 + 1] = 9;
    im = decode(a, px);
    assert_int_equal(im->colors, 3);
    hd_arena_free(a);
}

/* Long transparent runs between two colours: each half takes its side's. */
static void test_transparent_runs(void **state) {
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++) {
        unsigned x = (unsigned)(i % W);
        int left = x < 20;
        px[4 * i] = left ? 200 : 10, px[4 * i + 1] = left ? 30 : 20, px[4 * i + 2] = left ? 40 : 220;
        px[4 * i + 3] = x == 0 || x == W - 1 ? 255 : 0; /* visible only at both ends */
        if (px[4 * i + 3] == 0) px[4 * i] = px[4 * i + 1] = px[4 * i + 2] = 255;
    }
    hd_arena *a = hd_arena_new();
    const hd_image *im = decode(a, px); /* checks the nearer-half rule for every pixel */
    assert_int_equal(im->colors, 0);
    assert_int_equal(im->npalette, 2); /* the white under transparency is gone */
    hd_arena_free(a);
}

/* Nothing visible at all: the colour plane is one grey level, not the
 * colours under the transparency. */
static void test_all_transparent(void **state) {
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++) {
        px[4 * i] = (unsigned char)(i * 13), px[4 * i + 1] = (unsigned char)(i * 7), px[4 * i + 2] = (unsigned char)i;
        px[4 * i + 3] = 0;
    }
    hd_arena *a = hd_arena_new();
    const hd_image *im = decode(a, px);
    assert_int_equal(im->colors, 1);
    assert_non_null(im->zalpha);
    hd_arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palette_with_alpha),
        cmocka_unit_test(test_grey_opaque),
        cmocka_unit_test(test_many_colours_rgb),
        cmocka_unit_test(test_exactly_256_colours),
        cmocka_unit_test(test_transparent_runs),
        cmocka_unit_test(test_all_transparent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
