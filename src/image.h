/* image.h: decoding and checking raster images before libharu sees them.
 *
 * Owns: PNG decoding with libpng's read API, its errors caught in image.c
 * and returned as values (libharu's own PNG path aborts the process on a
 * corrupt file), and JPEG structure checks (libharu accepts a broken JPEG
 * silently).
 */
#ifndef HD_IMAGE_H
#define HD_IMAGE_H

#include "arena.h"
#include "diag.h"
#include "model.h"

#define HD_MAX_IMAGE_PIXELS (4096u * 4096u) /* 16 megapixels */

/* Decode the PNG or JPEG file at path; `ref` is where it was named. */
hd_status hd_image_load(hd_arena *a, hd_diags *d, const char *path, hd_pos ref, const hd_image **out);

/* The same, from bytes in memory (what = a name for messages). */
hd_status hd_image_decode(hd_arena *a, hd_diags *d, const char *path, const unsigned char *data, size_t len,
                          hd_pos ref, const hd_image **out);

/* A process-wide cache of decoded images (clinic logos), so a batch reads
 * and decodes each logo once. Thread-safe; images stay valid until the
 * cache is freed. */
typedef struct hd_imagecache hd_imagecache;
hd_imagecache *hd_imagecache_new(void);
void hd_imagecache_free(hd_imagecache *c);
/* Use the disk cache disk (cache.h; NULL: none) for decoded PNGs from now
 * on; it must outlive c. */
struct hd_cache;
void hd_imagecache_set_cache(hd_imagecache *c, const struct hd_cache *disk);
/* Like hd_image_load, but shared: errors are reported again to every caller. */
hd_status hd_imagecache_load(hd_imagecache *c, hd_diags *d, const char *path, hd_pos ref, const hd_image **out);

#endif
