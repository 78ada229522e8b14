/* pdfpack.h: the final packing of a PDF (deflating through zip.h).
 *
 * Owns: rewriting the painter's PDF with object streams (libharu writes one
 * uncompressed object per structure element and per annotation), every
 * stream compressed (the painter leaves them all uncompressed, to be
 * deflated once, here), and a /ID derived from the content, so the same
 * input always gives the same, identifiable bytes. libharu 2.3.0 can do
 * none of these itself. (qpdf did this before: it parsed and rebuilt every
 * object, over half of the instructions of a build.)
 */
#ifndef HD_PDFPACK_H
#define HD_PDFPACK_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"

/* Rewrite in[0..len) into *out (arena-owned). in must be a PDF laid out as
 * libharu writes them (a classic xref table, no encryption); anything else
 * is an HD_ERR_SYSTEM error ("packing the PDF failed: ..."). */
hd_status hd_pdf_pack(hd_arena *a, hd_diags *d, const unsigned char *in, size_t len, unsigned char **out,
                      size_t *out_len);

#endif
