/* fontembed.h: putting a face into a PDF (painter only; includes hpdf.h).
 *
 * Owns: subsetting a face to the code points a document uses with
 * harfbuzz's subsetter, and loading the subset into libharu through an
 * in-memory file (memfd), since libharu 2.3.0 can only load fonts by path.
 */
#ifndef HD_FONTEMBED_H
#define HD_FONTEMBED_H

#include <hpdf.h>
#include "diag.h"
#include "font.h"

/* cps: the code points drawn with this face, sorted and unique. */
hd_status hd_font_embed(HPDF_Doc pdf, hd_diags *d, const hd_face *f, const unsigned *cps, size_t ncps,
                        HPDF_Font *out);

#endif
