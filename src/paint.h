/* paint.h: the PDF painter.
 *
 * Owns: turning a hd_layout into PDF bytes with libharu (with pdftag.c, its
 * helper for what libharu's public API cannot do, the only code that
 * includes hpdf.h): each face's subset (font.h) embedded, text, vector
 * shapes, images, links, bookmarks and document metadata.
 * The PDF is produced in memory; writing it to disk is the caller's job
 * (atomically, see hd_write_atomic).
 */
#ifndef HD_PAINT_H
#define HD_PAINT_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "font.h"
#include "layout.h"

typedef struct {
    const char *title, *author, *subject, *keywords, *creator, *lang;
    long long epoch; /* creation date as Unix time, or -1 for none (reproducible) */
    const char *doc_id; /* 32 hex digits for a stable /ID, or NULL */
} hd_meta;

/* Paint the layout; on success *pdf (arena-owned) holds *len bytes. */
hd_status hd_paint(hd_arena *a, hd_diags *d, const hd_layout *l, const hd_fontset *fs, const hd_meta *m,
                   unsigned char **pdf, size_t *len);

#endif
