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

/* cps: the code points drawn with this face, sorted and unique (code points
 * above U+FFFF are ignored; hd_face_has never reports them). ncps may be 0.
 *
 * Before calling: HPDF_UseUTFEncodings(pdf) and
 * HPDF_SetCurrentEncoder(pdf, "UTF-8"); *out is then a CID font for the
 * "UTF-8" encoder, with text drawn as UTF-8. Errors (HD_ERR_SYSTEM, at the
 * face's file) name the file; after a libharu error HPDF_ResetError has been
 * called, so the document stays usable. A NULL from libharu is a failure
 * even without an error code.
 *
 * The subset keeps the cmap'd glyphs of cps plus ' ' and .notdef; GSUB, GPOS,
 * GDEF, kern, DSIG, MATH, FFTM and hinting are dropped. Its 'name' table is
 * rewritten so the PDF font name is the face's PostScript name, or that name
 * with -2, -3, ... when the document already holds a font of that name:
 * libharu keys fonts by name and would otherwise silently reuse the first
 * font (and its glyph subset) for a second face of the same name. So two
 * different faces never collide, and embedding the same face twice works,
 * but stores it twice: embed each face once per document, with the union of
 * its code points.
 *
 * Lifetime (measured with strace on libharu 2.3.0): HPDF_LoadTTFontFromFile
 * opens its own descriptor on /proc/self/fd/N, parses the font, and reads the
 * glyph data again from that descriptor in HPDF_SaveToFile/SaveToStream; it
 * closes it in HPDF_Free. Our memfd is closed as soon as the font is loaded:
 * libharu's descriptor keeps the in-memory file alive until HPDF_Free, so
 * nothing has to be kept open by the caller. Each embedded font holds one
 * file descriptor until HPDF_Free. Needs /proc mounted (Linux).
 *
 * Thread-safe for different documents: faces are shared read-only. */
hd_status hd_font_embed(HPDF_Doc pdf, hd_diags *d, const hd_face *f, const unsigned *cps, size_t ncps,
                        HPDF_Font *out);

#endif
