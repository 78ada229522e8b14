/* test_image.c: unit tests for image.c's PNG planes: grey, palette and RGB
 * colour planes, the alpha plane, transparent pixels taking the colour of
 * the nearer visible pixel in their row, and every plane read back with zlib
 * to the decoded pixels; every PNG colour type and bit depth (interlaced,
 * with tRNS, with gAMA) decoded to the RGBA libpng's simplified API gives;
 * damaged files and their messages. */
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

/* Undo PDF's RunLength encoding (PDF 32000-1, 7.4.5): exactly want bytes,
 * then the end-of-data byte 128 as the last byte. */
static unsigned char *unrun(unsigned char *r, size_t rlen, size_t want) {
    unsigned char *out = malloc(want + 1);
    assert_non_null(out);
    size_t i = 0, o = 0;
    while (i < rlen && r[i] != 128) {
        size_t k = r[i] < 128 ? (size_t)r[i] + 1 : 257 - (size_t)r[i];
        assert_true(o + k <= want);
        if (r[i] < 128) {
            assert_true(i + 1 + k <= rlen);
            memcpy(out + o, r + i + 1, k), i += 1 + k;
        } else {
            assert_true(k >= 3); /* runs of 2 are cheaper as literals */
            assert_true(i + 2 <= rlen);
            memset(out + o, r[i + 1], k), i += 2;
        }
        o += k;
    }
    assert_int_equal(o, want);
    assert_int_equal(i, rlen - 1); /* 128 ends it */
    free(r);
    return out;
}

/* A plane as it is in the PDF: inflated, then run-length decoded if rle. */
static unsigned char *plane_of(const unsigned char *z, size_t zlen, int rle, size_t want) {
    if (!rle) return inflate_all(z, zlen, want);
    unsigned char *r = malloc(want + want / 128 + 2);
    assert_non_null(r);
    uLongf n = (uLongf)(want + want / 128 + 2);
    assert_int_equal(uncompress(r, &n, z, (uLong)zlen), Z_OK);
    return unrun(r, n, want);
}

/* Decode the PNG png and check every plane against rgba, its pixels. */
static const hd_image *decode_bytes(hd_arena *a, const unsigned char *png, size_t len, const unsigned char *rgba) {
    hd_diags d;
    hd_diags_init(&d);
    const hd_image *im = NULL;
    hd_status s = hd_image_decode(a, &d, "t.png", png, len, hd_pos_at("t.yaml", 1, 1), &im);
    assert_int_equal(s, HD_OK);
    assert_int_equal(d.n, 0);
    hd_diags_free(&d);
    assert_non_null(im);
    assert_non_null(im->zcolor);
    size_t npx = (size_t)W * H;
    int bpp = im->colors == 3 ? 3 : 1;
    unsigned char *c = plane_of(im->zcolor, im->zcolor_len, im->zcolor_rle, npx * (size_t)bpp);
    unsigned char *alpha = im->zalpha ? plane_of(im->zalpha, im->zalpha_len, im->zalpha_rle, npx) : NULL;
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

/* Decode rgba as a PNG and check every plane against it. */
static const hd_image *decode(hd_arena *a, const unsigned char *rgba) {
    size_t len;
    unsigned char *png = make_png(rgba, &len);
    const hd_image *im = decode_bytes(a, png, len, rgba);
    free(png);
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
    assert_int_equal(im->zcolor_rle, 0); /* no runs: deflated as it is */
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
    assert_int_equal(im->zcolor_rle, 1); /* long runs: run-length encoded first */
    assert_int_equal(im->zalpha_rle, 1);
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

/* Runs of every length the encoding treats apart (1, 2 and 3; 127 to 130,
 * where a run is split; 255 to 257), across rows, between literals. */
static void test_run_lengths(void **state) {
    (void)state;
    static const unsigned lens[] = {1, 2, 3, 1, 1, 4, 127, 128, 129, 130, 2, 1, 131, 255, 256, 257, 2, 2, 1, 3};
    size_t i = 0;
    for (unsigned k = 0; i < (size_t)W * H; k++)
        for (unsigned r = 0; r < lens[k % (sizeof lens / sizeof lens[0])] && i < (size_t)W * H; r++, i++) {
            px[4 * i] = (unsigned char)(k * 37), px[4 * i + 1] = (unsigned char)(k % 7), px[4 * i + 2] = 3;
            px[4 * i + 3] = (unsigned char)(k % 3 ? 255 : 255 - k % 5); /* alpha runs too, never 0 */
        }
    hd_arena *a = hd_arena_new();
    const hd_image *im = decode(a, px); /* every plane read back through the decoder above */
    assert_int_equal(im->colors, 0);
    assert_int_equal(im->zcolor_rle, 1);
    assert_non_null(im->zalpha);
    hd_arena_free(a);
}

/* ---- every kind of PNG: the same RGBA as libpng's simplified API ---- */

typedef struct {
    unsigned char *p;
    size_t n, cap;
} membuf;

static void mem_write(png_structp png, png_bytep data, size_t n) {
    membuf *m = png_get_io_ptr(png);
    if (m->n + n > m->cap) {
        m->cap = (m->n + n) * 2;
        m->p = realloc(m->p, m->cap);
        assert_non_null(m->p);
    }
    memcpy(m->p + m->n, data, n);
    m->n += n;
}

static void mem_flush(png_structp png) {
    (void)png;
}

/* A pattern value in [0, maxv]: flat blocks of 8 x 3 pixels, so the planes
 * have runs and (at 8 bits) few enough colours for a palette. */
static unsigned sample(unsigned x, unsigned y, unsigned c, unsigned maxv) {
    unsigned h = ((x / 8) * 131u + (y / 3) * 977u + c * 7919u) * 2654435761u;
    return (h >> 9) % (maxv + 1);
}

/* A W x H PNG of colour type color at depth bits a sample (interlaced with
 * Adam7 if interlace), with a tRNS chunk if trns, a gAMA chunk if gamma > 0;
 * *len its size (malloc'd). An alpha channel is 0 at the left, partial in
 * the middle, full at the right. */
static unsigned char *make_kind(int color, int depth, int interlace, int trns, double gamma, size_t *len) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    assert_non_null(png);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    membuf m = {0};
    png_set_write_fn(png, &m, mem_write, mem_flush);
    png_set_IHDR(png, info, W, H, depth, color, interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    unsigned maxv = (1u << depth) - 1, nch = color == PNG_COLOR_TYPE_RGB ? 3 : color == PNG_COLOR_TYPE_RGBA ? 4 :
                                              color == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
    int has_alpha = color & PNG_COLOR_MASK_ALPHA;
    if (color == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        for (unsigned i = 0; i <= maxv; i++)
            pal[i].red = (png_byte)sample(i * 8, 0, 0, 255), pal[i].green = (png_byte)sample(i * 8, 0, 1, 255),
            pal[i].blue = (png_byte)sample(i * 8, 0, 2, 255);
        png_set_PLTE(png, info, pal, (int)maxv + 1);
        if (trns) {
            png_byte ta[3] = {0, 128, 40};
            png_set_tRNS(png, info, ta, maxv < 2 ? (int)maxv + 1 : 3, NULL);
        }
    } else if (trns) { /* the colour of the first pixel is transparent */
        png_color_16 tc = {0};
        tc.gray = (png_uint_16)sample(0, 0, 0, maxv);
        tc.red = (png_uint_16)sample(0, 0, 0, maxv), tc.green = (png_uint_16)sample(0, 0, 1, maxv);
        tc.blue = (png_uint_16)sample(0, 0, 2, maxv);
        png_set_tRNS(png, info, NULL, 0, &tc);
    }
    if (gamma > 0) png_set_gAMA(png, info, gamma);
    png_write_info(png, info);
    size_t rowbytes = ((size_t)W * nch * (size_t)depth + 7) / 8;
    unsigned char *pix = calloc(H, rowbytes);
    png_bytep rows[H];
    for (unsigned y = 0; y < H; y++) {
        rows[y] = pix + rowbytes * y;
        for (unsigned x = 0; x < W; x++)
            for (unsigned c = 0; c < nch; c++) {
                unsigned v = sample(x, y, c, maxv);
                if (has_alpha && c == nch - 1) v = x < 6 ? 0 : x < 14 ? sample(x * 8, y, 9, maxv) : maxv;
                size_t bit = ((size_t)x * nch + c) * (size_t)depth;
                if (depth == 16)
                    rows[y][bit / 8] = (unsigned char)(v >> 8), rows[y][bit / 8 + 1] = (unsigned char)v;
                else
                    rows[y][bit / 8] |= (unsigned char)(v << (8 - depth - bit % 8));
            }
    }
    if (interlace) png_set_interlace_handling(png);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(pix);
    *len = m.n;
    return m.p;
}

/* The 8-bit RGBA libpng's simplified API reads from png (malloc'd). */
static unsigned char *simplified_rgba(const unsigned char *png, size_t len) {
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&pi, png, len));
    pi.format = PNG_FORMAT_RGBA;
    unsigned char *rgba = malloc(PNG_IMAGE_SIZE(pi));
    assert_non_null(rgba);
    assert_true(png_image_finish_read(&pi, NULL, rgba, 0, NULL));
    return rgba;
}

static void test_every_png_kind(void **state) {
    (void)state;
    static const struct {
        int color, depth, interlace, trns;
        double gamma;
    } kinds[] = {
        {PNG_COLOR_TYPE_GRAY, 1, 0, 0, 0},       {PNG_COLOR_TYPE_GRAY, 2, 1, 0, 0},
        {PNG_COLOR_TYPE_GRAY, 4, 0, 1, 0},       {PNG_COLOR_TYPE_GRAY, 8, 0, 0, 0},
        {PNG_COLOR_TYPE_GRAY, 8, 1, 1, 0},       {PNG_COLOR_TYPE_GRAY, 16, 0, 0, 0},
        {PNG_COLOR_TYPE_GRAY, 16, 0, 1, 0.45455}, {PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0, 0, 0},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 16, 1, 0, 0}, {PNG_COLOR_TYPE_PALETTE, 1, 0, 0, 0},
        {PNG_COLOR_TYPE_PALETTE, 2, 0, 1, 0},    {PNG_COLOR_TYPE_PALETTE, 4, 1, 1, 0},
        {PNG_COLOR_TYPE_PALETTE, 8, 0, 0, 0},    {PNG_COLOR_TYPE_PALETTE, 8, 1, 1, 0.55556},
        {PNG_COLOR_TYPE_RGB, 8, 0, 0, 0},        {PNG_COLOR_TYPE_RGB, 8, 0, 1, 0},
        {PNG_COLOR_TYPE_RGB, 8, 1, 0, 0.55556},  {PNG_COLOR_TYPE_RGB, 16, 0, 0, 0},
        {PNG_COLOR_TYPE_RGB, 16, 1, 1, 0},       {PNG_COLOR_TYPE_RGBA, 8, 0, 0, 0},
        {PNG_COLOR_TYPE_RGBA, 8, 1, 0, 0.55556}, {PNG_COLOR_TYPE_RGBA, 16, 0, 0, 0},
        {PNG_COLOR_TYPE_RGBA, 16, 1, 0, 1.0},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 16, 0, 0, 0}, {PNG_COLOR_TYPE_RGB, 16, 0, 1, 0},
        {PNG_COLOR_TYPE_RGBA, 16, 0, 0, 1.0},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t len;
        unsigned char *png = make_kind(kinds[k].color, kinds[k].depth, kinds[k].interlace, kinds[k].trns, kinds[k].gamma, &len);
        /* Debian's libpng 1.6.39 (+deb12u4) reads interlaced 16-bit files
         * wrongly through the simplified API (pixels of one pass overwrite
         * others in a row; its 8-bit scratch row came with the fix for
         * CVE-2025-65018): the pixels wanted are those of the same image
         * stored without interlacing, which hd_image_decode reads alike */
        size_t tlen;
        unsigned char *twin = kinds[k].interlace && kinds[k].depth == 16
                                  ? make_kind(kinds[k].color, 16, 0, kinds[k].trns, kinds[k].gamma, &tlen)
                                  : NULL;
        unsigned char *want = twin ? simplified_rgba(twin, tlen) : simplified_rgba(png, len);
        free(twin);
        hd_arena *a = hd_arena_new();
        print_message("colour type %d, %d bits%s%s\n", kinds[k].color, kinds[k].depth,
                      kinds[k].interlace ? ", interlaced" : "", kinds[k].trns ? ", tRNS" : "");
        decode_bytes(a, png, len, want); /* every plane against the simplified API's pixels */
        hd_arena_free(a);
        free(want);
        free(png);
    }
}

/* Damage gives the messages it always gave. */
static void expect_error(const unsigned char *png, size_t len, const char *why) {
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    const hd_image *im = NULL;
    assert_int_equal(hd_image_decode(a, &d, "t.png", png, len, hd_pos_at("t.yaml", 1, 1), &im), HD_ERR_CONTENT);
    assert_null(im);
    assert_int_equal(d.n, 1);
    if (!strstr(d.v[0].msg, why)) fail_msg("got '%s', want '%s'", d.v[0].msg, why);
    hd_diags_free(&d);
    hd_arena_free(a);
}

static void test_damaged_png(void **state) {
    (void)state;
    for (size_t i = 0; i < (size_t)W * H; i++)
        px[4 * i] = (unsigned char)i, px[4 * i + 1] = (unsigned char)(i * 3), px[4 * i + 2] = 9, px[4 * i + 3] = 255;
    size_t len;
    unsigned char *png = make_png(px, &len);
    static const char damaged[] = "is damaged (its data is incomplete or fails its checksum)",
                      unreadable[] = "is not a readable PNG file";
    size_t idat = 8; /* the first IDAT's data */
    while (idat + 8 < len && memcmp(png + idat + 4, "IDAT", 4))
        idat += 12 + ((size_t)png[idat] << 24 | (size_t)png[idat + 1] << 16 | (size_t)png[idat + 2] << 8 | png[idat + 3]);
    idat += 8;
    assert_true(idat + 20 < len);
    expect_error(png, len / 2, damaged); /* cut in its image data */
    expect_error(png, idat, damaged); /* cut right after IDAT's header */
    expect_error(png, 20, unreadable);      /* cut in IHDR */
    expect_error(png, 8, unreadable);       /* the signature alone */
    unsigned char *bad = malloc(len);
    assert_non_null(bad);
    memcpy(bad, png, len);
    bad[idat + 10] ^= 0x55; /* a byte of IDAT: its CRC fails */
    expect_error(bad, len, damaged);
    memcpy(bad, png, len);
    bad[8 + 8 + 3] ^= 1; /* IHDR's width: its CRC fails */
    expect_error(bad, len, unreadable);
    free(bad);
    free(png);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palette_with_alpha),
        cmocka_unit_test(test_grey_opaque),
        cmocka_unit_test(test_many_colours_rgb),
        cmocka_unit_test(test_exactly_256_colours),
        cmocka_unit_test(test_transparent_runs),
        cmocka_unit_test(test_all_transparent),
        cmocka_unit_test(test_run_lengths),
        cmocka_unit_test(test_every_png_kind),
        cmocka_unit_test(test_damaged_png),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
