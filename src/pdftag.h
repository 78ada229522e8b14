/* pdftag.h: tagged PDF and correct ToUnicode maps on libharu 2.3.0
 * (painter only; includes hpdf.h).
 *
 * Owns: the only use of libharu's internal object API (hpdf_doc.h,
 * hpdf_pages.h, hpdf_objects.h, hpdf_streams.h), which 2.3.0 installs but
 * does not document; pdftag.c refuses to compile against another version.
 * libharu has no tagging API, so this module writes:
 *
 * - marked content into the page streams: each op of a structure element
 *   (hd_op.se, see layout.h) inside "/Tag <</MCID n>> BDC ... EMC", one
 *   sequence per run of consecutive ops of the same element; ops with no
 *   element and role HD_ROLE_ARTIFACT (header, footer, rules, boxes) inside
 *   "/Artifact BMC ... EMC", so they stay out of the structure tree;
 * - the structure tree: /StructTreeRoot > Document > H1..H6, P, L > LI >
 *   (Lbl, LBody), BlockQuote, Code, Figure (/Alt), Sect (/T), Link (with an
 *   /OBJR to its link annotation, which gets /StructParent and /Contents);
 *   children in the order their content first appears, which is reading
 *   order (layout emits ops in reading order);
 * - /ParentTree (pages' /StructParents, annotations' /StructParent),
 *   /MarkInfo <</Marked true>>, /Lang, /ViewerPreferences
 *   <</DisplayDocTitle true>>, /Tabs /S on every page, and PDF version 1.7;
 * - for each embedded font, a ToUnicode CMap in place of libharu's, which
 *   is a copy of its encoding CMap (begincidrange, rejected by poppler):
 *   bfrange/bfchar entries from each code the font draws (for libharu's
 *   "UTF-8" CID fonts, CID = Unicode code point) to UTF-16BE;
 * - for each embedded font, a /CIDToGIDMap that ends at the highest code
 *   point the document draws with it, made without libharu's 64K lookups;
 * - HPDF_MemCpy, HPDF_MemSet and HPDF_StrLen, which take the place of
 *   libharu's byte-at-a-time ones for the whole program (same results; see
 *   pdftag.c).
 *
 * Text strings (/Alt, /T, /Contents) are written as UTF-16BE with a byte
 * order mark, so any language works. Nothing depends on time or addresses:
 * the same layout always gives the same bytes. One hd_pdftag per document;
 * documents in different threads never share one.
 *
 * Errors: a libharu failure is recorded in d as HD_ERR_SYSTEM ("PDF library
 * error 0x.... while tagging ...") and returned; the document must then be
 * abandoned. Memory comes from the arena (PDF objects from libharu, freed by
 * HPDF_Free). */
#ifndef HD_PDFTAG_H
#define HD_PDFTAG_H

#include <hpdf.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "layout.h"

typedef struct hd_pdftag hd_pdftag;

/* Start tagging `pdf`: adds the structure tree root and /MarkInfo to the
 * catalog and sets PDF version 1.7. */
hd_status hd_pdftag_new(hd_arena *a, hd_diags *d, HPDF_Doc pdf, hd_pdftag **out);

/* `page` has just been added (pages in document order): later ops go on it. */
hd_status hd_pdftag_page_begin(hd_pdftag *t, HPDF_Page page);

/* Call right before drawing an op (not HD_OP_LINK) on the current page:
 * continues the open marked-content sequence when the op belongs to the
 * same element (or is an artifact after an artifact), else closes it and
 * opens the op's. An op with no element and a role other than
 * HD_ROLE_ARTIFACT gets one from its role (heading, paragraph per group,
 * figure with op->text as alternative text). */
hd_status hd_pdftag_mark(hd_pdftag *t, const hd_op *op);

/* The link annotation `an` was made for the HD_OP_LINK op: ties it to the
 * op's Link element. */
hd_status hd_pdftag_link(hd_pdftag *t, const hd_op *op, HPDF_Annotation an);

/* Close the open sequence: call after the last op of each page. */
hd_status hd_pdftag_page_end(hd_pdftag *t);

/* Write the parent tree, the links' /Contents, /Lang (lang: a BCP 47 tag
 * such as "en" or "es"; NULL or "": none) and /ViewerPreferences. Call
 * once, after every page, before saving. */
hd_status hd_pdftag_finish(hd_pdftag *t, const char *lang);

/* Replace `font`'s /ToUnicode stream with hd_tounicode_cmap(cps, ncps).
 * cps: the code points drawn with the font (any order, repeats allowed). */
hd_status hd_pdftag_tounicode(hd_arena *a, hd_diags *d, HPDF_Doc pdf, HPDF_Font font, const unsigned *cps,
                              size_t ncps);

/* HPDF_GetFont(pdf, font_name, "UTF-8") for a TrueType font loaded with
 * embedding that will draw only the code points cps (any order, repeats
 * allowed; ' ' is added). libharu 2.3.0 makes the /CIDToGIDMap and /W of a
 * "UTF-8" font by looking up every code point 0..U+FFFF in the font (65,536
 * lookups, then a 128 KB map to compress, per font); here its loop sees only
 * cps, so the map stops after the highest code point drawn. Map entries and
 * /W are the same as libharu's for every code point up to that one (the rest
 * map to glyph 0 there too, and no text reaches them). The encoder is
 * restored before returning. Every glyph of the face is marked as used
 * (the face must be a subset of the glyphs drawn: see hd_pdftag_show_text).
 * NULL on failure, like HPDF_GetFont (the error is in pdf). */
HPDF_Font hd_pdftag_utf8_font(HPDF_Doc pdf, const char *font_name, const unsigned *cps, size_t ncps);

/* An image XObject whose data is already deflated (a zlib stream): 8 bits
 * per component, colors 1 (DeviceGray) or 3 (DeviceRGB), or 0: Indexed
 * over DeviceRGB with npalette colours (palette: RGB triples). With alpha
 * (a deflated DeviceGray plane of the same size) it gets that as /SMask.
 * libharu 2.3.0 has no way to take compressed image data; this builds the
 * dictionary as HPDF_LoadRawImageFromMem would, with /Filter /FlateDecode,
 * and the packer copies a filtered stream as it is. NULL on failure (the
 * error is in pdf). */
HPDF_Image hd_pdftag_flate_image(HPDF_Doc pdf, int width, int height, int colors, const unsigned char *palette,
                                 int npalette, const unsigned char *data, size_t len, const unsigned char *alpha,
                                 size_t alpha_len);

/* HPDF_Page_ShowText for text (UTF-8, code points up to U+FFFF) in the
 * current font, a font from hd_pdftag_utf8_font: writes "(...) Tj" with each
 * code point as its 2-byte code, the string libharu writes (in hex), without
 * libharu's per-character width pass (the text position libharu would track
 * after it is not kept: the caller positions every text object itself).
 * Returns libharu's status; the page's error handler is told of a failure. */
HPDF_STATUS hd_pdftag_show_text(HPDF_Page page, const char *text);

/* The text of a ToUnicode CMap mapping each 2-byte code of cps (code points
 * above U+FFFF, surrogates and 0 are left out) to the same code point in
 * UTF-16BE: runs of consecutive codes with the same high byte as
 * bfrange entries, single codes as bfchar entries, at most 100 entries per
 * block. Exposed for tests. */
char *hd_tounicode_cmap(hd_arena *a, const unsigned *cps, size_t ncps);

#endif
