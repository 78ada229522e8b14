/* font.h: fonts, as layout sees them (no PDF here).
 *
 * Owns: loading TrueType faces with harfbuzz (each file parsed once per
 * process, shared read-only between threads), character coverage and
 * advance widths, and cutting a face down to the glyphs one document
 * draws (harfbuzz's subsetter), with what a PDF needs to say of it; the
 * painter puts that into the PDF.
 */
#ifndef HD_FONT_H
#define HD_FONT_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"

typedef struct hd_face hd_face;
typedef struct hd_fontlib hd_fontlib;

/* The faces one document uses. Layout picks by style; a code point the
 * styled face lacks is taken from the fallback face of the same style. */
enum {
    HD_F_REG,
    HD_F_BOLD,
    HD_F_ITAL,
    HD_F_BOLDITAL,
    HD_F_MONO,
    HD_F_MONOBOLD,
    HD_F_FB_REG,
    HD_F_FB_BOLD,
    HD_F_FB_ITAL,
    HD_F_FB_BOLDITAL,
    HD_NFACES
};

/* The faces of one document. Body faces load with the set; mono and
 * fallback faces load when first needed (most documents need none of the
 * six, which cost about 0.5 ms a run to load): hd_fontset_pick and
 * hd_fontset_face load them. A face file that turns out to be damaged then
 * is an error in d at ref, and status keeps the first such failure (the
 * caller checks it after layout). A fontset belongs to one document (one
 * thread) and is never defined const: loading writes to it through the
 * const pointers layout passes around. */
typedef struct {
    const hd_face *face[HD_NFACES]; /* NULL: no face, or not loaded yet */
    hd_fontlib *lib;
    const char *pending[HD_NFACES]; /* family folder of a slot still to load */
    const char *style[HD_NFACES];   /* its file: "Regular", "Bold", ... */
    hd_diags *d;
    hd_pos ref;
    hd_status status;
} hd_fontset;

/* A library of faces under fonts_dir (fonts/<family>/{Regular,Bold,Italic,
 * BoldItalic}.ttf). Thread-safe: faces load on first use under a lock and
 * are never changed after. */
hd_fontlib *hd_fontlib_new(const char *fonts_dir);
void hd_fontlib_free(hd_fontlib *lib);
/* The same when the process is about to end: all memory is freed, but the
 * font files stay mapped for the kernel to drop with the address space
 * (unmapping them one by one cost about 1 ms per run on the build VM). */
void hd_fontlib_free_at_exit(hd_fontlib *lib);
/* Use the disk cache c (cache.h; NULL: none) for face summaries and
 * subsets from now on. c must outlive the library. */
struct hd_cache;
void hd_fontlib_set_cache(hd_fontlib *lib, const struct hd_cache *c);

/* Fill a fontset: body family (four faces), mono family (Regular, Bold),
 * fallback family (four faces). `ref` is where the family was named, for
 * the error "font family 'x' not found in fonts/ (available: a, b)". A
 * missing font file is an error naming the file; the Regular face is read
 * now, so an unreadable or corrupt one is an error here too; the other
 * faces are read when first needed, and a corrupt one is then reported in
 * d and out->status (see hd_fontset). Family names are [a-z0-9-]+
 * (anything else, e.g. "../x", is a content error). mono and fallback may
 * be NULL: their slots stay NULL. */
hd_status hd_fontlib_fontset(hd_fontlib *lib, hd_diags *d, const char *family, const char *mono,
                             const char *fallback, hd_pos ref, hd_fontset *out);

/* Load one face directly from a file (tests, tools). Faces are cached by
 * file (device and inode): a symlink and its target give the same face. Errors are
 * HD_ERR_SYSTEM at ref (or at the file when ref.file is NULL): missing file,
 * a folder, over HD_MAX_FONT_BYTES, not a font, damaged (cut off, no glyphs,
 * a required table missing, bad units per em, empty cmap), or CFF outlines. */
hd_status hd_fontlib_face(hd_fontlib *lib, hd_diags *d, const char *path, hd_pos ref,
                          const hd_face **out);

/* Coverage by the cmap (glyph 0 counts as absent). Code points above U+FFFF
 * are never "had": libharu cannot draw them. NULL f has nothing. */
int hd_face_has(const hd_face *f, unsigned cp);
double hd_face_advance(const hd_face *f, unsigned cp); /* in 1/1000 em; 0 if absent */
double hd_face_ascent(const hd_face *f);               /* 1/1000 em, positive */
double hd_face_descent(const hd_face *f);              /* 1/1000 em, negative */
double hd_face_cap_height(const hd_face *f);           /* 1/1000 em: OS/2, else top of 'H', else 700 (NULL too) */
const char *hd_face_path(const hd_face *f);
const char *hd_face_family(const hd_face *f); /* e.g. "Noto Sans" */
/* Whether the face was read from the disk cache, not from its file. */
int hd_face_from_cache(const hd_face *f);

/* A face cut down to the code points one document draws with it: a
 * TrueType font of its own, its glyphs renumbered from 0 (.notdef). */
typedef struct {
    const unsigned char *data; /* the subset font file */
    size_t len;
    size_t n;              /* code points drawn, */
    const unsigned *cps;   /* ascending (code points above U+FFFF dropped), */
    const unsigned *gids;  /* and the subset's glyph for each (0: none) */
    unsigned short low[256]; /* the same for code points below 256, by code point */
    unsigned nglyphs;      /* glyphs in the subset */
    const unsigned short *widths; /* advance of each glyph, 1/1000 em, rounded */
    char name[80];         /* "ABCDEF+PostScriptName": tag from face and code points */
    double ascent, descent, cap_height, italic_angle; /* 1/1000 em; degrees */
    int bbox[4];           /* head's xMin yMin xMax yMax, 1/1000 em */
    int flags;             /* PDF font flags: Nonsymbolic, FixedPitch, Serif, Italic */
    int stem_v;            /* estimated from the OS/2 weight class */
    int from_cache;        /* read from the disk cache, not made by harfbuzz now */
} hd_subset;

/* Subset f to cps (any order, repeats allowed), all in arena a. Errors
 * (HD_ERR_SYSTEM, at the face's file): licence flags that forbid embedding,
 * harfbuzz failing. Thread-safe: the face is only read. */
hd_status hd_font_subset(hd_arena *a, hd_diags *d, const hd_face *f, const unsigned *cps, size_t ncps,
                         hd_subset *out);
/* The subset's glyph for cp, 0 if it has none (a table below U+0100, then
 * binary search). */
unsigned hd_subset_glyph(const hd_subset *s, unsigned cp);

/* Width in points of UTF-8 text in one face (no fallback; absent code
 * points count 0). These and the functions below neither allocate nor lock. */
double hd_face_text_width(const hd_face *f, const char *s, size_t len, double size);

/* Face a code point is drawn with in this style: `face` itself when it has
 * cp, else the matching fallback face (regular/bold/italic/bolditalic: the
 * fallback of the same style; mono: HD_F_FB_REG; mono bold: HD_F_FB_BOLD;
 * fallback faces have none), else -1. An invisible format character
 * (hd_invisible: soft hyphen, zero-width space, joiners, direction marks)
 * is `face` itself whatever its cmap says: it needs no glyph, is never
 * drawn (layout leaves it out of the text it draws) and has width 0 here
 * and in hd_fontset_text_width. */
int hd_fontset_pick(const hd_fontset *fs, int face, unsigned cp);
/* The face of a slot, loading it if it is still to load; NULL: none (or it
 * failed to load: see status). */
const hd_face *hd_fontset_face(const hd_fontset *fs, int slot);
/* Slot dst draws with src's face (large print: italics drawn in bold). */
void hd_fontset_alias(hd_fontset *fs, int dst, int src);
/* The file of a slot, loaded or not, into buf; 0 if the slot has none. */
int hd_fontset_file(const hd_fontset *fs, int slot, char *buf, size_t n);
/* Width of UTF-8 text in `face` with fallback (points). */
double hd_fontset_text_width(const hd_fontset *fs, int face, const char *s, size_t len, double size);

#endif
