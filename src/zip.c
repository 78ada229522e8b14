/* zip.c: whole-buffer deflate with libdeflate (see zip.h).
 * libdeflate compresses a whole buffer in one call, without zlib's
 * streaming state: at the same ratio it takes far fewer instructions.
 */
#include "zip.h"

#include <libdeflate.h>

struct hd_zip {
    hd_arena *a;
    struct libdeflate_compressor *c;
    unsigned char *buf; /* the output, reused */
    size_t cap;
};

hd_zip *hd_zip_new(hd_arena *a, int level) {
    hd_zip *z = hd_alloc(a, sizeof *z); /* first: an out-of-memory jump here leaks nothing */
    if (!z) return NULL;
    z->a = a;
    z->c = libdeflate_alloc_compressor(level);
    return z->c ? z : NULL;
}

void hd_zip_free(hd_zip *z) {
    if (z) libdeflate_free_compressor(z->c), z->c = NULL;
}

const unsigned char *hd_zip_deflate(hd_zip *z, const void *in, size_t n, size_t *out_len, uint32_t *adler) {
    size_t bound = libdeflate_zlib_compress_bound(z->c, n);
    if (bound > z->cap) {
        size_t cap = bound > 65536 ? bound : 65536;
        unsigned char *b = hd_alloc_uninit(z->a, cap, 1); /* libdeflate writes what is read */
        if (!b) return NULL;
        z->buf = b, z->cap = cap;
    }
    size_t m = libdeflate_zlib_compress(z->c, in, n, z->buf, z->cap);
    if (m < 6) return NULL; /* 0: did not fit (cannot happen within the bound) */
    const unsigned char *t = z->buf + m - 4; /* the trailer: Adler-32, big-endian */
    *adler = (uint32_t)t[0] << 24 | (uint32_t)t[1] << 16 | (uint32_t)t[2] << 8 | t[3];
    *out_len = m;
    return z->buf;
}

uint32_t hd_zip_adler32(const void *in, size_t n) {
    return libdeflate_adler32(1, in, n);
}

uint32_t hd_zip_crc32(const void *in, size_t n) {
    return libdeflate_crc32(0, in, n);
}
