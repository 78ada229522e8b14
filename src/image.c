/* image.c: PNG and JPEG checking and decoding (see image.h).
 *
 * A PNG is read with libpng's read API into 8-bit RGBA (libpng's errors are
 * caught here and become messages), made into an alpha plane and a grey,
 * palette-index or RGB colour plane in one pass (pixel_planes), and each
 * plane is run-length encoded where that halves it and deflated, once, for
 * the PDF to carry as it is. riverside.png (600 x 180, 3,879 bytes): 4.0M
 * instructions in all, 1.7M of them libpng's. A JPEG's structure is checked
 * and the file copied. A decoded PNG is kept in the disk cache (cache.h),
 * keyed by its file's identity: a run that finds it there neither reads
 * nor decodes the file (riverside's logo: about 0.5 ms a run). */
#include "image.h"

#include <png.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "fsutil.h"
#include "zip.h"

/* PNG planes are deflated once, when decoded, at this libdeflate level
 * (logos are decoded once per run, so a slower, smaller level costs once;
 * measured on riverside.png, 600 x 180 RGBA, 3,879 bytes, its planes
 * run-length encoded: level 1 gives 2,027 bytes for 0.24M fewer
 * instructions, level 9 1,873 for 0.48M more; see compress_png). */
#define IMAGE_LEVEL 6

static hd_status bad(hd_diags *d, hd_pos ref, const char *path, const char *why) {
    return hd_error(d, HD_ERR_CONTENT, ref, "image '%s' %s; export it again as PNG or JPEG", path, why);
}

static hd_status too_big(hd_diags *d, hd_pos ref, const char *path, unsigned w, unsigned h) {
    return hd_error(d, HD_ERR_CONTENT, ref, "image '%s' is %u x %u pixels; the limit is %u pixels in all: make it smaller", path,
                    w, h, HD_MAX_IMAGE_PIXELS);
}

/* The first of pixels x..n-1 that is not fully transparent (n if none),
 * their alpha the last of every stride bytes at px (4: RGBA, 1: an alpha
 * plane); 8 bytes at a time, as logos are mostly transparent. */
static inline size_t visible_from(const unsigned char *px, size_t stride, size_t x, size_t n) {
    unsigned char m[8] = {0};
    for (size_t b = stride - 1; b < 8; b += stride) m[b] = 255;
    uint64_t mask, w;
    memcpy(&mask, m, 8);
    for (; x + 8 / stride <= n; x += 8 / stride) {
        memcpy(&w, px + stride * x, 8);
        if (w & mask) break;
    }
    while (x < n && px[stride * x + stride - 1] == 0) x++;
    return x;
}

/* A fully transparent pixel shows no colour. Each run of them in a row
 * takes, in its left half, the colour of the visible pixel left of it and,
 * in its right half, that of the one right of it (one of them if the run
 * touches the row's end); a row with none visible takes the colours of the
 * nearer row that has some (black if no row has): runs
 * stay long, so the colour plane deflates to about half (riverside.png),
 * and a renderer that blends neighbours at an edge blends the edge's own
 * colour, not white or another shape's. px has bpp bytes a pixel (palette
 * indices, or RGBA whose alpha byte is copied too: alpha is the plane read),
 * w x h of them. */
static void fill_transparent(unsigned char *px, size_t bpp, const unsigned char *alpha, size_t w, size_t h) {
    size_t last_seen = (size_t)-1; /* the last row with a visible pixel */
    for (size_t y = 0; y < h; y++) {
        unsigned char *row = px + bpp * w * y;
        const unsigned char *arow = alpha + w * y;
        int seen = 0;
        for (size_t x = 0; x < w;) {
            if (arow[x] != 0) {
                seen = 1;
                x++;
                continue;
            }
            size_t end = visible_from(arow, 1, x, w);
            int left = x > 0, right = end < w;
            if (left || right) {
                size_t mid = left && right ? x + (end - x) / 2 : left ? end : x;
                for (size_t k = x; k < mid; k++) memcpy(row + bpp * k, row + bpp * (x - 1), bpp);
                for (size_t k = mid; k < end; k++) memcpy(row + bpp * k, row + bpp * end, bpp);
            }
            x = end;
        }
        if (!seen) continue;
        /* rows with nothing visible since the last one seen: the nearer of
         * the two rows' colours, so edges blend with their own colour
         * vertically too (and the rows repeat, which deflates to nothing) */
        size_t first = last_seen == (size_t)-1 ? 0 : last_seen + 1;
        for (size_t k = first; k < y; k++) {
            size_t from = last_seen != (size_t)-1 && k - last_seen <= y - k ? last_seen : y;
            memcpy(px + bpp * w * k, px + bpp * w * from, bpp * w);
        }
        last_seen = y;
    }
    /* rows after the last one seen take its colours; with none at all, black */
    for (size_t k = last_seen == (size_t)-1 ? 0 : last_seen + 1; k < h; k++) {
        if (last_seen == (size_t)-1)
            memset(px + bpp * w * k, 0, bpp * w);
        else
            memcpy(px + bpp * w * k, px + bpp * w * last_seen, bpp * w);
    }
}

/* ---- PNG through libpng's read API, from memory ----
 * libpng reports an error by longjmp to the png_struct's own jmp_buf: every
 * function here that calls libpng sets that point first, destroys libpng's
 * state there and returns a value, so no jump leaves this file. The read is
 * the one png_image_finish_read makes for PNG_FORMAT_RGBA (libpng 1.6's
 * png_image_read_direct: the same transforms in the same order, so every
 * kind of PNG gives the same 8-bit RGBA), with zlib's Adler-32 of the image
 * data left unchecked: the chunk CRCs still catch damage, and the checksum
 * was 1.55M of the 3.3M instructions reading riverside.png took. */

typedef struct {
    const unsigned char *p;
    size_t left;
} png_mem;

static void PNGCBAPI png_mem_read(png_structp png, png_bytep out, size_t n) {
    png_mem *m = png_get_io_ptr(png);
    if (n > m->left) png_error(png, "read beyond end of data");
    memcpy(out, m->p, n);
    m->p += n;
    m->left -= n;
}

static void PNGCBAPI png_fail(png_structp png, png_const_charp msg) {
    (void)msg;
    png_longjmp(png, 1);
}

static void PNGCBAPI png_quiet(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

/* libpng's reader on m, the header read (as png_image_begin_read_from_memory
 * does): 0 if that fails (not a PNG, a damaged header, no memory), with
 * nothing left to free; else *pp and *ip are the caller's to destroy. */
static int png_open(png_mem *m, png_structp *pp, png_infop *ip) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_quiet);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return 0;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return 0;
    }
    png_set_read_fn(png, m, png_mem_read);
    png_set_benign_errors(png, 1);
#ifdef PNG_IGNORE_ADLER32
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);
    *pp = png;
    *ip = info;
    return 1;
}

/* Whether the header promises alpha: an alpha channel or a tRNS chunk. */
static int png_has_alpha(png_structp png, png_infop info) {
    int ntrans = 0;
    return (png_get_color_type(png, info) & PNG_COLOR_MASK_ALPHA) ||
           (png_get_tRNS(png, info, NULL, &ntrans, NULL) && ntrans > 0);
}

/* Read the image of an opened PNG as 8-bit RGBA rows into rgba; 0 if the
 * data is damaged. Destroys libpng's state either way. */
static int png_read_rgba(png_structp png, png_infop info, unsigned char *rgba) {
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return 0;
    }
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int color = png_get_color_type(png, info), deep = png_get_bit_depth(png, info) == 16;
    png_set_expand(png);
    if (!(color & PNG_COLOR_MASK_COLOR)) png_set_gray_to_rgb(png);
    /* 16-bit samples are taken as linear, 8-bit ones as sRGB, unless a gAMA
     * chunk says otherwise; the output is sRGB */
    png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, deep ? PNG_GAMMA_LINEAR : PNG_DEFAULT_sRGB);
    if (deep) png_set_scale_16(png);
    if (!png_has_alpha(png, info)) png_set_add_alpha(png, 255, PNG_FILLER_AFTER);
    png_set_alpha_mode_fixed(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 4) png_error(png, "unexpected row size");
    while (passes-- > 0)
        for (png_uint_32 y = 0; y < h; y++) png_read_row(png, rgba + (size_t)w * 4 * y, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
}

static hd_status decode_png(hd_arena *a, hd_diags *d, const char *path, const unsigned char *data, size_t len, hd_pos ref,
                            hd_image *im, int *has_alpha) {
    png_mem m = {data, len};
    png_structp png;
    png_infop info;
    if (!png_open(&m, &png, &info)) return bad(d, ref, path, "is not a readable PNG file");
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    *has_alpha = png_has_alpha(png, info);
    /* the buffer first, with libpng's state freed: running out of memory
     * jumps out of hd_alloc, which must not leave libpng's memory behind */
    png_destroy_read_struct(&png, &info, NULL);
    if ((unsigned long long)w * h > HD_MAX_IMAGE_PIXELS || w == 0 || h == 0)
        return too_big(d, ref, path, (unsigned)w, (unsigned)h);
    unsigned char *rgba = hd_alloc_uninit(a, (size_t)w * h, 4);
    m = (png_mem){data, len};
    if (!png_open(&m, &png, &info)) return bad(d, ref, path, "is not a readable PNG file"); /* the header again */
    if (!png_read_rgba(png, info, rgba))
        return bad(d, ref, path, "is damaged (its data is incomplete or fails its checksum)");
    im->width = (int)w;
    im->height = (int)h;
    im->data = rgba; /* 4 bytes a pixel, until compress_png makes the planes */
    im->data_len = (size_t)w * h * 4;
    return HD_OK;
}

/* The planes, from the decoded RGBA in one pass: the alpha plane
 * (im->alpha; NULL if every pixel is opaque) and the colour plane, in as few
 * bytes per pixel as keep every colour: grey (one byte) if every visible
 * pixel is grey, else indices into a palette of at most 256 colours (logos
 * are mostly flat colour), else RGB. Transparent pixels are filled
 * (fill_transparent) in the plane itself, indices rather than RGBA where
 * the colours fit a palette: a visible colour and its index stand for each
 * other, so the colours and their order are those of filling the RGBA
 * first. riverside.png: 3.4M instructions as three passes over the RGBA
 * (alpha, fill, palette); 1.25M as one, transparent runs skipped 8 bytes at
 * a time, and the fill on the index plane. */
static const unsigned char *pixel_planes(hd_arena *a, hd_image *im, unsigned char *rgba, int has_alpha, size_t *len) {
    size_t w = (size_t)im->width, h = (size_t)im->height, npx = w * h;
    unsigned char *alpha = has_alpha ? hd_alloc_uninit(a, npx, 1) : NULL;
    enum { SLOTS = 1024 }; /* open addressing, at most 256 of them used */
    uint32_t key[SLOTS];   /* a colour's key (below); 0: empty */
    unsigned char val[SLOTS];
    memset(key, 0, sizeof key);
    unsigned char *idx = hd_alloc_uninit(a, npx, 1), *pal = hd_alloc(a, 256 * 3);
    int n = 0, grey = 1, many = 0;
    unsigned all = 255; /* every alpha value and-ed: 255 if opaque */
    /* a pixel's 4 bytes as one word, its alpha byte set: a key that is
     * never 0 and the same for the same colour, whatever the byte order */
    uint32_t amask, last = 0;
    memcpy(&amask, (const unsigned char[4]){0, 0, 0, 255}, 4);
    unsigned char last_i = 0;
    size_t i = 0;
    for (; i < npx; i++) {
        const unsigned char *p = rgba + 4 * i;
        uint32_t c;
        memcpy(&c, p, 4);
        if (alpha) {
            if (!(c & amask)) { /* a run of transparent pixels: filled below */
                size_t end = visible_from(rgba, 4, i + 1, npx);
                memset(alpha + i, 0, end - i);
                all = 0;
                i = end - 1;
                continue;
            }
            all &= alpha[i] = p[3];
        }
        c |= amask;
        if (c != last) {
            size_t k = (c * 2654435761u) >> 22; /* 10 bits */
            while (key[k] && key[k] != c) k = (k + 1) % SLOTS;
            if (!key[k]) {
                if (n == 256) { /* too many colours: RGB */
                    many = 1;
                    break;
                }
                key[k] = c;
                val[k] = (unsigned char)n;
                memcpy(pal + 3 * n, p, 3);
                grey &= p[0] == p[1] && p[0] == p[2];
                n++;
            }
            last = c;
            last_i = val[k];
        }
        idx[i] = last_i;
        /* the pixels after it that are the same: a run (logos are mostly runs) */
        size_t j = i + 1;
        uint32_t same;
        memcpy(&same, p, 4);
        for (uint32_t q; j < npx; j++) {
            memcpy(&q, rgba + 4 * j, 4);
            if (q != same) break;
        }
        if (j > i + 1) {
            memset(idx + i + 1, last_i, j - i - 1);
            if (alpha) memset(alpha + i + 1, p[3], j - i - 1);
            i = j - 1;
        }
    }
    if (alpha)
        for (; i < npx; i++) all &= alpha[i] = rgba[4 * i + 3];
    im->alpha = alpha && all != 255 ? alpha : NULL;
    *len = npx;
    if (many) {
        if (im->alpha) fill_transparent(rgba, 4, alpha, w, h);
        unsigned char *rgb = hd_alloc_uninit(a, npx, 3);
        for (size_t k = 0; k < npx; k++) memcpy(rgb + 3 * k, rgba + 4 * k, 3);
        im->colors = 3;
        *len = npx * 3;
        return rgb;
    }
    if (n == 0) { /* nothing visible: black */
        im->colors = 1;
        return hd_alloc(a, npx);
    }
    if (im->alpha) fill_transparent(idx, 1, alpha, w, h);
    if (grey) { /* the palette's grey levels in place of the indices */
        for (size_t k = 0; k < npx; k++) idx[k] = pal[3 * idx[k]];
        im->colors = 1;
        return idx;
    }
    im->colors = 0;
    im->palette = pal;
    im->npalette = n;
    return idx;
}

/* PDF's RunLength encoding of in[0..n) (PDF 32000-1, 7.4.5) into out,
 * which has room for n + n / 128 + 2 bytes: a run of 3 to 128 equal bytes
 * as 257 - its length and the byte; other bytes as 1 to 128 literals after
 * their count - 1; 128 at the end. (Runs of 2 stay literals: as runs they
 * could take 4 bytes for 3.) Returns the length. */
static size_t run_length(const unsigned char *in, size_t n, unsigned char *out) {
    size_t o = 0, lit = 0, i = 0; /* in[lit..i): literals not yet written */
    while (i < n || lit < i) {
        size_t j = i + 1;
        if (i < n) {
            uint64_t eight = in[i] * 0x0101010101010101u, w;
            while (j + 8 <= n) { /* long runs 8 bytes at a time */
                memcpy(&w, in + j, 8);
                if (w != eight) break;
                j += 8;
            }
            while (j < n && in[j] == in[i]) j++;
        }
        if (i < n && j - i < 3) {
            i = j;
            continue;
        }
        while (lit < i) { /* the literals before this run (or the end) */
            size_t k = i - lit < 128 ? i - lit : 128;
            out[o++] = (unsigned char)(k - 1);
            memcpy(out + o, in + lit, k);
            o += k, lit += k;
        }
        if (i == n) break;
        for (; j - i >= 3; i += 128 < j - i ? 128 : j - i) {
            out[o++] = (unsigned char)(257 - (128 < j - i ? 128 : j - i));
            out[o++] = in[i];
        }
        lit = i, i = j; /* 1 or 2 left of a long run: literals */
    }
    out[o++] = 128;
    return o;
}

/* Deflate one plane of n bytes into the arena: run-length encoded first
 * (*rle = 1) when that halves it, as a logo's flat colour and alpha do 20
 * to 40 times: deflating 3,000 bytes instead of 108,000 takes a twentieth
 * of the instructions and gives fewer bytes. NULL without memory. */
static const unsigned char *deflate_plane(hd_arena *a, hd_zip *z, const unsigned char *plane, size_t n, size_t *len,
                                          int *rle) {
    unsigned char *r = hd_alloc_uninit(a, n + n / 128 + 2, 1);
    size_t rn = run_length(plane, n, r);
    *rle = rn <= n / 2;
    uint32_t adler;
    const unsigned char *out = *rle ? hd_zip_deflate(z, r, rn, len, &adler) : hd_zip_deflate(z, plane, n, len, &adler);
    if (!out) return NULL;
    unsigned char *c = hd_alloc(a, *len);
    memcpy(c, out, *len);
    return c;
}

/* Deflate the planes of a decoded PNG into im->zcolor and im->zalpha.
 * riverside.png (18 colours), run-length encoded then deflated at level 6:
 * 678 + 1,203 bytes, half the PNG file; deflated as they are, 864 + 2,315
 * (level 6) or 764 + 1,507 (level 9, twice the instructions); as RGB at
 * pdfpack's level 6 it took 3,400 + 2,308. */
static hd_status compress_png(hd_arena *a, hd_diags *d, hd_pos ref, hd_image *im, int has_alpha) {
    size_t npx = (size_t)im->width * (size_t)im->height, clen = 0;
    const unsigned char *plane = pixel_planes(a, im, (unsigned char *)im->data, has_alpha, &clen);
    im->data = plane; /* the decoded pixels are not needed after this */
    im->data_len = clen;
    hd_zip *z = hd_zip_new(a, IMAGE_LEVEL);
    if (!z) return hd_error(d, HD_ERR_SYSTEM, ref, "out of memory compressing image '%s'", im->path);
    /* the compressor is malloc'd: free it if the arena runs out */
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        hd_zip_free(z);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return hd_error(d, HD_ERR_SYSTEM, ref, "out of memory compressing image '%s'", im->path);
    }
    hd_status s = HD_OK;
    int ok = (im->zcolor = deflate_plane(a, z, plane, clen, &im->zcolor_len, &im->zcolor_rle)) != NULL;
    if (ok && im->alpha) ok = (im->zalpha = deflate_plane(a, z, im->alpha, npx, &im->zalpha_len, &im->zalpha_rle)) != NULL;
    if (!ok) /* libdeflate fails only without memory */
        s = hd_error(d, HD_ERR_SYSTEM, ref, "out of memory compressing image '%s'", im->path);
    hd_arena_on_oom(a, outer);
    hd_zip_free(z);
    return s;
}

/* Walk JPEG markers: SOI, segments with lengths, a frame header, a scan,
 * and EOI at the end. */
static hd_status check_jpeg(hd_diags *d, const char *path, const unsigned char *p, size_t len, hd_pos ref, hd_image *im) {
    if (len < 4 || p[0] != 0xFF || p[1] != 0xD8) return bad(d, ref, path, "is not a JPEG file");
    size_t i = 2;
    int frame = 0, scan = 0;
    while (i + 4 <= len && !scan) {
        if (p[i] != 0xFF) return bad(d, ref, path, "is damaged (bad marker)");
        unsigned m = p[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        size_t seg = ((size_t)p[i + 2] << 8) | p[i + 3];
        if (seg < 2 || i + 2 + seg > len) return bad(d, ref, path, "is damaged (a segment runs past the end)");
        if ((m >= 0xC0 && m <= 0xC3) || (m >= 0xC5 && m <= 0xC7) || (m >= 0xC9 && m <= 0xCB) || (m >= 0xCD && m <= 0xCF)) {
            if (seg < 8) return bad(d, ref, path, "is damaged (short frame header)");
            if (m != 0xC0 && m != 0xC1 && m != 0xC2) return bad(d, ref, path, "uses a JPEG coding PDF readers do not support");
            unsigned h = ((unsigned)p[i + 5] << 8) | p[i + 6], w = ((unsigned)p[i + 7] << 8) | p[i + 8];
            unsigned comps = p[i + 9];
            if (!w || !h) return bad(d, ref, path, "has no size");
            if ((unsigned long long)w * h > HD_MAX_IMAGE_PIXELS) return too_big(d, ref, path, w, h);
            if (comps != 1 && comps != 3) return bad(d, ref, path, "is not a greyscale or RGB JPEG");
            im->width = (int)w;
            im->height = (int)h;
            frame = 1;
        } else if (m == 0xDA) {
            scan = 1;
        }
        i += 2 + seg;
    }
    if (!frame || !scan) return bad(d, ref, path, "is damaged (no image data)");
    size_t end = len;
    while (end > i && p[end - 1] != 0xD9) end--;
    if (end < i + 2 || p[end - 2] != 0xFF) return bad(d, ref, path, "is damaged (the file is cut short)");
    return HD_OK;
}

hd_status hd_image_decode(hd_arena *a, hd_diags *d, const char *path, const unsigned char *data, size_t len, hd_pos ref,
                          const hd_image **out) {
    *out = NULL;
    hd_image *im = hd_alloc(a, sizeof *im);
    im->path = path;
    hd_status s;
    if (len >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8)) {
        int has_alpha = 0;
        s = decode_png(a, d, path, data, len, ref, im, &has_alpha);
        if (s == HD_OK) s = compress_png(a, d, ref, im, has_alpha);
    } else if (len >= 2 && data[0] == 0xFF && data[1] == 0xD8) {
        s = check_jpeg(d, path, data, len, ref, im);
        im->is_jpeg = 1;
        im->data = data;
        im->data_len = len;
    } else {
        s = bad(d, ref, path, len == 0 ? "is empty" : "is neither PNG nor JPEG");
    }
    if (s == HD_OK) *out = im;
    return s;
}

hd_status hd_image_load(hd_arena *a, hd_diags *d, const char *path, hd_pos ref, const hd_image **out) {
    char *data;
    size_t len;
    *out = NULL;
    hd_status s = hd_read_file(a, d, path, HD_MAX_IMAGE_BYTES, 0, "image", ref, &data, &len);
    if (s != HD_OK) return s;
    return hd_image_decode(a, d, path, (const unsigned char *)data, len, ref, out);
}

/* ---- the shared cache ---- */

typedef struct {
    char *path;
    const hd_image *img; /* NULL: it failed; the diagnostics are replayed */
    hd_diags diags;
} cached;

struct hd_imagecache {
    pthread_mutex_t lock;
    hd_arena *a; /* owns every decoded image */
    cached *v;
    size_t n, cap;
    const hd_cache *disk; /* NULL: none */
};

void hd_imagecache_set_cache(hd_imagecache *c, const hd_cache *disk) { c->disk = disk; }

/* ---- decoded PNGs in the disk cache ---- */

/* format 1: width, height, colors, npalette, the two planes' run-length
 * flags and whether there is an alpha plane; the palette; each plane's
 * deflated bytes (what the PDF carries; the decoded pixels are not kept) */
#define IMAGE_FORMAT 1

/* The key of the file at path as it is now (taken before it is read: a
 * file replaced in between is stored under the old identity, which no
 * later run has); 0 if there is no cache or no such file. */
static int image_key(const hd_cache *disk, const char *path, hd_cache_key *k) {
    struct stat st;
    if (!disk || stat(path, &st) != 0) return 0;
    hd_file_id id = hd_file_id_of(&st);
    unsigned char m[6 + sizeof id];
    memcpy(m, "image", 6);
    memcpy(m + 6, &id, sizeof id);
    hd_cache_key_of(disk, m, sizeof m, k);
    return 1;
}

static void image_write(const hd_cache *disk, const hd_cache_key *k, const hd_image *im) {
    hd_cbuf b = {0};
    int32_t h[7] = {im->width, im->height, im->colors, im->npalette, im->zcolor_rle, im->zalpha_rle, im->zalpha != NULL};
    hd_cbuf_u32(&b, IMAGE_FORMAT);
    hd_cbuf_add(&b, h, sizeof h);
    hd_cbuf_add(&b, im->palette, (size_t)im->npalette * 3);
    hd_cbuf_u32(&b, (uint32_t)im->zcolor_len);
    hd_cbuf_add(&b, im->zcolor, im->zcolor_len);
    hd_cbuf_u32(&b, (uint32_t)im->zalpha_len);
    hd_cbuf_add(&b, im->zalpha, im->zalpha_len);
    if (!b.failed) hd_cache_put(disk, k, b.p, b.n);
    hd_cbuf_free(&b);
}

/* The image from the disk cache, in a; NULL if it is not there. */
static const hd_image *image_read(hd_arena *a, const hd_cache *disk, const hd_cache_key *k, const char *path) {
    size_t len = 0;
    unsigned char *const data = hd_cache_get(disk, k, &len);
    if (!data) return NULL;
    /* the payload is malloc'd: should the arena run out of memory, free
     * it, then pass the jump on */
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        free(data);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return NULL;
    }
    hd_creader r = {data, data + len, 0};
    int32_t h[7] = {0};
    const void *p = hd_creader_u32(&r) == IMAGE_FORMAT ? hd_creader_take(&r, sizeof h) : NULL;
    if (p) memcpy(h, p, sizeof h);
    int ok = p && h[0] > 0 && h[1] > 0 && (uint64_t)h[0] * (uint64_t)h[1] <= HD_MAX_IMAGE_PIXELS &&
             (h[2] == 0 || h[2] == 1 || h[2] == 3) && h[3] >= 0 && h[3] <= 256 && (h[2] != 0 || h[3] > 0);
    const void *pal = ok ? hd_creader_take(&r, (size_t)h[3] * 3) : NULL;
    uint32_t zc_len = hd_creader_u32(&r);
    const void *zc = hd_creader_take(&r, zc_len);
    uint32_t za_len = hd_creader_u32(&r);
    const void *za = hd_creader_take(&r, za_len);
    ok = ok && (pal || h[3] == 0) && zc && zc_len > 0 && za && (za_len > 0) == (h[6] != 0) && r.p == r.end;
    hd_image *im = NULL;
    if (ok) {
        im = hd_alloc(a, sizeof *im);
        memset(im, 0, sizeof *im);
        im->path = path;
        im->width = h[0], im->height = h[1], im->colors = h[2], im->npalette = h[3];
        im->zcolor_rle = h[4], im->zalpha_rle = h[5];
        if (h[3]) {
            unsigned char *pv = hd_alloc(a, (size_t)h[3] * 3);
            memcpy(pv, pal, (size_t)h[3] * 3);
            im->palette = pv;
        }
        unsigned char *c = hd_alloc(a, zc_len);
        memcpy(c, zc, zc_len);
        im->zcolor = c, im->zcolor_len = zc_len;
        if (za_len) {
            unsigned char *al = hd_alloc(a, za_len);
            memcpy(al, za, za_len);
            im->zalpha = al, im->zalpha_len = za_len;
        }
    }
    hd_arena_on_oom(a, outer);
    free(data);
    return im;
}

hd_imagecache *hd_imagecache_new(void) {
    hd_imagecache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->a = hd_arena_new();
    if (!c->a) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void hd_imagecache_free(hd_imagecache *c) {
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].path);
        hd_diags_free(&c->v[i].diags);
    }
    free(c->v);
    hd_arena_free(c->a);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static void replay(hd_diags *d, const hd_diags *src) {
    for (size_t i = 0; i < src->n; i++) {
        const hd_diag *g = &src->v[i];
        hd_error(d, g->kind, hd_pos_at(g->file, g->line, g->col), "%s", g->msg);
    }
}

hd_status hd_imagecache_load(hd_imagecache *c, hd_diags *d, const char *path, hd_pos ref, const hd_image **out) {
    *out = NULL;
    pthread_mutex_lock(&c->lock);
    cached *hit = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->v[i].path, path)) hit = &c->v[i];
    if (!hit && c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 8;
        cached *v = realloc(c->v, nc * sizeof *v);
        if (!v) {
            pthread_mutex_unlock(&c->lock);
            return hd_error(d, HD_ERR_SYSTEM, ref, "out of memory");
        }
        c->v = v;
        c->cap = nc;
    }
    if (!hit) {
        hit = &c->v[c->n];
        memset(hit, 0, sizeof *hit);
        hit->path = strdup(path);
        if (!hit->path) {
            pthread_mutex_unlock(&c->lock);
            return hd_error(d, HD_ERR_SYSTEM, ref, "out of memory");
        }
        hd_diags_init(&hit->diags);
        /* the cache's arena has no recovery point of its own: one here; a
         * logo that ran out of memory is not remembered (a later job tries
         * again) */
        jmp_buf oom;
        hd_arena_on_oom(c->a, &oom);
        if (setjmp(oom) != 0) {
            hd_arena_on_oom(c->a, NULL);
            hd_diags_free(&hit->diags);
            free(hit->path);
            pthread_mutex_unlock(&c->lock);
            return hd_error(d, HD_ERR_SYSTEM, ref, "out of memory loading image '%s'", path);
        }
        hd_cache_key k;
        int keyed = image_key(c->disk, hit->path, &k);
        if (!keyed || !(hit->img = image_read(c->a, c->disk, &k, hit->path))) {
            hd_image_load(c->a, &hit->diags, hit->path, ref, &hit->img);
            /* a PNG that loaded without a word (a JPEG is its file) */
            if (keyed && hit->img && !hit->img->is_jpeg && hit->diags.n == 0) image_write(c->disk, &k, hit->img);
        }
        hd_arena_on_oom(c->a, NULL);
        c->n++;
    }
    *out = hit->img;
    replay(d, &hit->diags);
    hd_status s = hit->img ? HD_OK : (hit->diags.worst ? hit->diags.worst : HD_ERR_CONTENT);
    pthread_mutex_unlock(&c->lock);
    return s;
}
