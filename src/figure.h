/* figure.h: the relief-timeline figure, drawn as vector ops.
 *
 * Owns: the log time axis, tick choice, bar geometry and the label placer
 * that guarantees no two labels overlap each other, a bar or the edge.
 * Produces hd_op items relative to the figure's top-left corner (y down),
 * which layout moves into place. Pure: no PDF, no files.
 */
#ifndef HD_FIGURE_H
#define HD_FIGURE_H

#include "arena.h"
#include "diag.h"
#include "font.h"
#include "layout.h"
#include "spec.h"

typedef struct {
    hd_rgb text, primary, accent, muted, background;
    double label_size; /* >= 8 pt; lane labels */
    double title_size;
} hd_figure_style;

/* Log-axis mapping: minutes -> x in [x0, x1]. */
double hd_axis_map(double lo, double hi, double x0, double x1, double minutes);

/* Ticks at natural units inside [lo, hi] (1 min, 1 hour, 1 day, 1 week,
 * 1 month, 3 months, 6 months, 1 year, ...). Returns how many were written
 * to ticks (at most max). */
size_t hd_axis_ticks(double lo, double hi, double *ticks, size_t max);

/* Lay out the figure `width` points wide. Ops go to *out; *height is the
 * height used. Errors (a label too long to place at all) name the lane's
 * position in its file. */
hd_status hd_figure_layout(hd_arena *a, hd_diags *d, const hd_figure *fig, const hd_fontset *fs,
                           const hd_figure_style *st, double width, hd_oplist *out, double *height);

#endif
