/* model.h: the document model.
 *
 * Owns: the tree of blocks (headings, paragraphs, lists, quotes, code,
 * images, figures, the safety box) with their inline spans, independent of
 * Markdown, YAML and PDF. The Markdown module fills it; layout reads it.
 * Nested emphasis is flattened into style bits on each span.
 */
#ifndef HD_MODEL_H
#define HD_MODEL_H

#include <stddef.h>
#include "diag.h"
#include "spec.h"

enum {
    HD_ST_BOLD = 1,
    HD_ST_ITALIC = 2,
    HD_ST_MONO = 4,
    HD_ST_LINK = 8, /* part of a link's text (url set) */
    HD_ST_URL = 16  /* the printed address after a link, for paper readers */
};

typedef enum {
    HD_SP_TEXT,  /* text (may contain spaces) */
    HD_SP_BREAK  /* hard line break */
} hd_span_kind;

typedef struct {
    hd_span_kind kind;
    unsigned style;
    const char *text; /* UTF-8, NUL-terminated */
    const char *url;  /* link target for HD_ST_LINK */
    hd_pos pos;
} hd_span;

/* A decoded raster image, validated before libharu sees it. */
typedef struct hd_image {
    const char *path;
    int width, height;    /* pixels */
    int is_jpeg;          /* JPEG: data is the file; PNG: the colour plane (see colors) */
    const unsigned char *data;
    size_t data_len;
    const unsigned char *alpha; /* 8-bit alpha (width*height), or NULL */
    /* A PNG's planes, deflated once when decoded (zlib streams, as
     * /FlateDecode reads them), each run-length encoded first where its
     * *_rle is 1 (as /RunLengthDecode reads it, after /FlateDecode): */
    const unsigned char *zcolor; /* a byte per pixel with a palette or grey, else 3 */
    size_t zcolor_len;
    int zcolor_rle;
    int colors;                  /* 1: DeviceGray, 3: DeviceRGB, 0: Indexed RGB */
    const unsigned char *palette; /* Indexed: npalette RGB triples */
    int npalette;
    const unsigned char *zalpha; /* the alpha plane, or NULL (opaque) */
    size_t zalpha_len;
    int zalpha_rle;
} hd_image;

typedef enum {
    HD_BLK_HEADING,
    HD_BLK_PARA,
    HD_BLK_LIST,  /* children: HD_BLK_ITEM */
    HD_BLK_ITEM,  /* children: blocks */
    HD_BLK_QUOTE, /* children: blocks */
    HD_BLK_CODE,  /* spans: one HD_ST_MONO span, lines separated by '\n' */
    HD_BLK_RULE,
    HD_BLK_IMAGE, /* image + alt */
    HD_BLK_FIGURE,
    HD_BLK_SAFETY /* the boxed safety section: title + children */
} hd_block_kind;

typedef struct hd_block {
    hd_block_kind kind;
    int level; /* heading 1..6 */
    hd_span *spans;
    size_t nspans;
    struct hd_block *children;
    size_t nchildren;
    int ordered, start, tight; /* list */
    const char *title;         /* safety box heading */
    const char *alt;           /* image alt text */
    const hd_image *image;
    const char *image_path;    /* as resolved by the Markdown module */
    const hd_figure *figure;
    hd_pos pos;
} hd_block;

/* One handout, ready for layout. */
typedef struct {
    const hd_spec *spec;
    const hd_template *tpl; /* with clinic overrides (paper, colours) applied */
    const hd_clinic *clinic;
    const char *title, *subtitle, *lang;
    hd_block *blocks; /* body, in reading order (figures included) */
    size_t nblocks;
    hd_block *safety; /* the safety box (HD_BLK_SAFETY), placed on page 1; NULL if none */
    const hd_safety **safety_texts;
    size_t nsafety;
    const char *reviewed_text; /* e.g. "October 2026" */
    const hd_image *logo;      /* the clinic's logo, decoded, or NULL */
    /* Fixed words of the page furniture, in the handout's language. */
    const char *str_contact;   /* heading of the contact box, e.g. "Questions? Contact us" */
    const char *str_phone;     /* "Phone: " */
    const char *str_after_hours; /* "After hours: " */
} hd_doc;

#endif
