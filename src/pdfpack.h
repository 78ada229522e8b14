/* pdfpack.h: the final packing of a PDF (the only user of libqpdf).
 *
 * Owns: rewriting the painter's PDF with object streams (libharu writes one
 * uncompressed object per structure element and per annotation), every
 * stream compressed (libharu leaves image masks uncompressed), and a /ID
 * derived from the content, so the same input always gives the same,
 * identifiable bytes. libharu 2.3.0 can do none of these itself.
 */
#ifndef HD_PDFPACK_H
#define HD_PDFPACK_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"

/* Rewrite in[0..len) into *out (arena-owned). */
hd_status hd_pdf_pack(hd_arena *a, hd_diags *d, const unsigned char *in, size_t len, unsigned char **out,
                      size_t *out_len);

#endif
