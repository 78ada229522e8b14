/* layout.h: lines, boxes and pages, as plain structs.
 *
 * Owns: turning a hd_doc into positioned drawing operations page by page:
 * line breaking with real glyph widths, font fallback per character,
 * pagination (headings stay with what follows, no orphan or widow lines,
 * boxes never split), the safety box on page 1, header and footer.
 * No PDF library here: the painter turns hd_layout into a PDF.
 *
 * Coordinates are points from the page's top-left corner, y growing down.
 * A text op's (x, y) is the start of its baseline; a rect's (x, y) is its
 * top-left corner.
 */
#ifndef HD_LAYOUT_H
#define HD_LAYOUT_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "font.h"
#include "model.h"

typedef enum { HD_OP_TEXT, HD_OP_RECT, HD_OP_LINE, HD_OP_LINK, HD_OP_IMAGE } hd_op_kind;

/* What an op is, for tagging and for checks (e.g. safety text on page 1). */
typedef enum {
    HD_ROLE_BODY,
    HD_ROLE_HEADING,
    HD_ROLE_LIST_LABEL,
    HD_ROLE_FIGURE,
    HD_ROLE_SAFETY,
    HD_ROLE_ARTIFACT /* header, footer, decoration */
} hd_role;

/* Tagged PDF: the structure element an op belongs to. Layout makes one per
 * block (and per list item, label, body, link, box); each points to its
 * parent (NULL: the document). The painter builds the PDF structure tree
 * from them, children in the order their content first appears. An op with
 * no element is an artifact when its role is HD_ROLE_ARTIFACT; otherwise
 * the painter makes a paragraph, heading or figure for it from its role. */
typedef enum {
    HD_SE_P,
    HD_SE_H,      /* level 1..6 */
    HD_SE_L,      /* a list: children HD_SE_LI */
    HD_SE_LI,     /* children: HD_SE_LBL, HD_SE_LBODY */
    HD_SE_LBL,
    HD_SE_LBODY,
    HD_SE_QUOTE,
    HD_SE_CODE,
    HD_SE_FIGURE, /* alt: its alternative text */
    HD_SE_SECT,   /* a boxed section; title: its title, or NULL */
    HD_SE_LINK    /* link text; the HD_OP_LINK ops of the link share it */
} hd_se_kind;

typedef struct hd_se {
    hd_se_kind kind;
    int level;
    const char *alt;
    const char *title;
    const struct hd_se *parent;
} hd_se;

typedef struct {
    hd_op_kind kind;
    double x, y, w, h; /* text: baseline start, advance width, font size;
                          line: from (x,y) to (x+w, y+h) */
    int face;          /* text: HD_F_* index into the document's fontset */
    double size;       /* text: font size in points */
    hd_rgb color;      /* text colour; stroke colour */
    hd_rgb fill;       /* rect fill */
    int filled, stroked;
    double line_width;
    double dash; /* 0: solid; else dash and gap length */
    const char *text; /* UTF-8, NUL-terminated, one face only */
    const char *url;  /* HD_OP_LINK: the rectangle is clickable */
    const hd_image *image;
    hd_role role;
    int level; /* heading level for HD_ROLE_HEADING */
    int group; /* id of the block this op belongs to (0: none) */
    const hd_se *se; /* tagged PDF: innermost structure element, or NULL */
    int space_after; /* text: its line broke at a space; the painter draws
                        it at the line's end so extracted words stay apart */
    int joins_next;  /* text: its line broke inside a word (too long for the
                        line, at a soft hyphen or a zero-width space): the
                        next line's text goes on with no space between */
} hd_op;

typedef struct {
    hd_op *v;
    size_t n, cap;
} hd_oplist;

typedef struct {
    int level;
    const char *title;
    int page; /* 0-based */
    double y;
} hd_outline;

typedef struct {
    double page_w, page_h;
    hd_oplist *pages;
    size_t npages;
    hd_outline *outline;
    size_t noutline, outline_cap;
} hd_layout;

#define HD_MAX_PAGES 40 /* a handout longer than this is an error */

hd_op *hd_oplist_push(hd_arena *a, hd_oplist *l);

/* Emit UTF-8 text as one or more text ops (split where font fallback changes
 * the face), baseline starting at (x, y). Returns the total advance width.
 * Invisible characters (hd_invisible) are left out of the ops' text.
 * Code points no face has are drawn from nothing: check coverage first with
 * hd_text_check (layout reports those as errors). */
double hd_emit_text(hd_arena *a, hd_oplist *l, const hd_fontset *fs, int face, double size, hd_rgb color,
                    double x, double y, const char *s, size_t len, hd_role role);

/* 0 if every code point of s is drawable in `face` or its fallback; else the
 * first code point that is not (and *byte_off its offset). */
unsigned hd_text_check(const hd_fontset *fs, int face, const char *s, size_t len, size_t *byte_off);

/* Lay out the whole document. */
hd_status hd_layout_doc(hd_arena *a, hd_diags *d, const hd_doc *doc, const hd_fontset *fs,
                        hd_layout *out);

/* ---- line breaking, exposed for unit tests ---- */
typedef struct {
    size_t first_span, first_off; /* where the line starts (span index, byte offset) */
    size_t last_span, last_off;   /* exclusive end */
    double width;                 /* natural width of the line's content */
    int hard_break;               /* ended by a hard break */
    int split_word;               /* ended inside a word too long for a line */
    int hyphen;                   /* ended at a soft hyphen (U+00AD): a hyphen is drawn
                                     at its end (counted in width) */
    int zero_width_break;         /* ended at a zero-width space (U+200B): no space
                                     between this line's last word and the next's */
} hd_line;

/* Break spans into lines no wider than `width` points (ragged right).
 * Lines break at spaces, tabs, newlines and zero-width spaces; a word that
 * does not fit is broken at its last soft hyphen where the first part and
 * a hyphen fit, else moved to the next line. A word longer than the line
 * (and no soft hyphen in it that helps) is split between characters.
 * Invisible characters (hd_invisible) have width 0. Returns the
 * number of lines in *lines (arena-allocated). base_face is HD_F_REG or the
 * heading face; span styles pick bold/italic/mono. */
hd_status hd_break_lines(hd_arena *a, hd_diags *d, const hd_fontset *fs, const hd_span *spans,
                         size_t nspans, int base_face, double size, double width, hd_line **lines,
                         size_t *nlines);

#endif
