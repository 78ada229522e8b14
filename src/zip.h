/* zip.h: whole-buffer deflate for PDF /FlateDecode streams, and checksums (the only user
 * of libdeflate).
 *
 * Owns: one libdeflate compressor per hd_zip (a few hundred KB, which
 * libdeflate mallocs: hd_zip_free releases it) and the output buffer it
 * reuses (from the caller's arena). Make one per document and use it for
 * every stream of that document; an hd_zip is never shared between threads
 * (documents render in parallel: there is no global state here).
 */
#ifndef HD_ZIP_H
#define HD_ZIP_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"

typedef struct hd_zip hd_zip;

/* A compressor at level (libdeflate's 0..12), its small state and buffer
 * from a. NULL if libdeflate is out of memory or the level is invalid.
 * The caller owns it: hd_zip_free on every path, out-of-memory jumps from
 * the arena (arena.h) included. */
hd_zip *hd_zip_new(hd_arena *a, int level);
void hd_zip_free(hd_zip *z); /* NULL: nothing */

/* in[0..n) as a zlib (RFC 1950) stream, what /FlateDecode reads: *out_len
 * bytes at the result, valid until the next call on z; *adler: the
 * Adler-32 of in (the stream's trailer). NULL if compression failed. */
const unsigned char *hd_zip_deflate(hd_zip *z, const void *in, size_t n, size_t *out_len, uint32_t *adler);

/* The Adler-32 of in[0..n), as a zlib stream of it would carry. */
uint32_t hd_zip_adler32(const void *in, size_t n);
/* The CRC-32 (as gzip and PNG use) of in[0..n). */
uint32_t hd_zip_crc32(const void *in, size_t n);

#endif
