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
 * - the fonts: each face's harfbuzz subset (font.h) as a Type 0 font with
 *   Identity-H encoding over a CIDFontType2 whose CIDs are the subset's
 *   glyph numbers (/CIDToGIDMap /Identity), one /W run of every glyph's
 *   width, a FontDescriptor from the face's tables and the subset as
 *   /FontFile2, and a ToUnicode CMap (bfrange/bfchar from each glyph to its
 *   code point); and the text in those fonts ("(...) Tj", 2-byte glyph
 *   codes). libharu 2.3.0 loads fonts only by path, keeps its file open to
 *   the end, looks up all 65,536 code points per font, and writes an
 *   encoding CMap as ToUnicode that poppler rejects: none of that is used;
 * - images whose data is already deflated, or run-length encoded and
 *   deflated (see hd_pdftag_flate_image);
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
#include "font.h"
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

/* dict's entry key as a PDF text string: utf8 trimmed, in PDFDocEncoding
 * if it is printable ASCII, else UTF-16BE with a byte order mark (libharu
 * needs its "UTF-8" encoder, 256 KB of tables, to do that). */
HPDF_STATUS hd_pdftag_set_text(hd_arena *a, HPDF_Doc pdf, HPDF_Dict dict, const char *key, const char *utf8);
/* The same for the document information entry `type` (its /Info key). */
HPDF_STATUS hd_pdftag_info(hd_arena *a, HPDF_Doc pdf, HPDF_InfoType type, const char *key, const char *utf8);

/* The text of a ToUnicode CMap that maps codes[i] (2-byte codes; here
 * glyph numbers) to cps[i] (as UTF-16BE): bfchar and bfrange entries in
 * blocks of 100, pairs in any order; a code listed twice keeps its lowest
 * code point; code 0 (.notdef), code points 0, above U+FFFF and
 * surrogates are left out. */
char *hd_tounicode_cmap(hd_arena *a, const unsigned *codes, const unsigned *cps, size_t n);

/* The subset s as a Type 0 font of pdf (see above), for
 * HPDF_Page_SetFontAndSize and hd_pdftag_show_text. Its HPDF_FontAttr is a
 * zeroed record in a (horizontal writing; libharu reads nothing else of it
 * on the paths used). NULL on failure (the error is in pdf). */
HPDF_Font hd_pdftag_type0_font(hd_arena *a, HPDF_Doc pdf, const hd_subset *s);

/* An image XObject whose data is already deflated (a zlib stream): 8 bits
 * per component, colors 1 (DeviceGray) or 3 (DeviceRGB), or 0: Indexed
 * over DeviceRGB with npalette colours (palette: RGB triples). With alpha
 * (a deflated DeviceGray plane of the same size) it gets that as /SMask.
 * A plane whose rle flag is 1 was run-length encoded before it was
 * deflated: its /Filter is [/FlateDecode /RunLengthDecode], both standard
 * filters since PDF 1.0; else /FlateDecode. libharu 2.3.0 has no way to
 * take compressed image data; this builds the dictionary as
 * HPDF_LoadRawImageFromMem would, and the packer copies a filtered stream
 * as it is. NULL on failure (the error is in pdf). */
HPDF_Image hd_pdftag_flate_image(HPDF_Doc pdf, int width, int height, int colors, const unsigned char *palette,
                                 int npalette, const unsigned char *data, size_t len, int rle,
                                 const unsigned char *alpha, size_t alpha_len, int alpha_rle);

/* Content-stream operators for one page, written into the page's stream
 * in one piece per op: the painter writes its operators here rather than
 * through libharu's HPDF_Page_* calls, which check state and format every
 * number as a float, token by token (2 M instructions for ketamine-relief).
 * Numbers are written with at most 5 decimals, trailing zeros dropped.
 * The painter keeps track of the graphics state itself; libharu's stays
 * in page description mode. hd_content_flush before anything else writes
 * to the page (pdftag's marks, hd_pdftag_show_text). */
typedef struct {
    HPDF_Page page;
    size_t n;
    HPDF_STATUS err; /* the first failed write: hd_content_flush returns it */
    char buf[1024];
} hd_content;
void hd_content_begin(hd_content *c, HPDF_Page page);
void hd_content_op(hd_content *c, const char *ops); /* written as it is: "BT\n", "q\n" */
void hd_content_num(hd_content *c, double v);      /* v and a space */
void hd_content_font(hd_content *c, HPDF_Font font, double size); /* "/F1 13 Tf" (adds the resource) */
int hd_content_image(hd_content *c, HPDF_Image img, double x, double y, double w, double h); /* 0: failed */
HPDF_STATUS hd_content_flush(hd_content *c);

/* HPDF_Page_ShowText for text (UTF-8) in the current font, which must be
 * hd_pdftag_type0_font(font): writes "(...) Tj" with each code point's
 * glyph in the subset as a 2-byte code (0, .notdef, for one it lacks;
 * layout never draws those). libharu's text position is not advanced: the
 * caller places every text object itself, and writes BT, the font (with
 * hd_content_font) and ET around it. Returns libharu's status; the page's
 * error handler is told of a failure. */
HPDF_STATUS hd_pdftag_show_text(HPDF_Page page, const hd_subset *font, const char *text);

/* dict's entry key as a PDF text string: utf8 trimmed, in PDFDocEncoding
 * if it is printable ASCII, else UTF-16BE with a byte order mark (libharu
 * needs its "UTF-8" encoder, 256 KB of tables, to do that). */
HPDF_STATUS hd_pdftag_set_text(hd_arena *a, HPDF_Doc pdf, HPDF_Dict dict, const char *key, const char *utf8);
/* The same for the document information entry `type` (its /Info key). */
HPDF_STATUS hd_pdftag_info(hd_arena *a, HPDF_Doc pdf, HPDF_InfoType type, const char *key, const char *utf8);

#endif
