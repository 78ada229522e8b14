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
    const char *lang; /* fixed words (legend, ticks): "en" (also when NULL) or "es" */
    double max_height; /* a page's text height, or 0: no limit. When the figure
                          would be taller, one-line lane labels go beside their
                          bars instead of above; still taller is an error */
} hd_figure_style;

/* Log-axis mapping: minutes -> x in [x0, x1]. */
double hd_axis_map(double lo, double hi, double x0, double x1, double minutes);

/* Ticks at natural units inside [lo, hi] (1 min, 1 hour, 1 day, 1 week,
 * 1 month, 3 months, 6 months, 1 year, ...). Returns how many were written
 * to ticks (at most max).
 * The natural units, in order: 1 and 10 minutes, 1 hour, 1 day, 1 and 2
 * weeks, 1, 3 and 6 months, 1, 2, 5, 10, 20, 50 and 100 years. When fewer
 * than two fall inside [lo, hi], the ends lo and hi are ticks too. */
size_t hd_axis_ticks(double lo, double hi, double *ticks, size_t max);

/* Drop ticks whose labels would collide. ticks[i] has a label w[i] points
 * wide, centred under hd_axis_map(lo, hi, x0, x1, ticks[i]); labels must
 * stay inside [min_x, max_x] and keep `gap` points apart. Ticks at the
 * axis ends are kept first (the reader sees the whole range), then the main
 * units (1 hour, 1 day, 1 week, 1 month, 1 year), then 1 minute, 3 months,
 * 2, 5 and 10 years, then the rest. Keeps ticks and w in order; returns
 * the new count. */
size_t hd_axis_ticks_thin(double lo, double hi, double x0, double x1, double *ticks, double *w, size_t n,
                          double gap, double min_x, double max_x);

/* ---- the label placer: boxes in figure coordinates (y down) ---- */
typedef struct {
    double x0, y0, x1, y1;
} hd_box;

typedef struct {
    hd_box *v; /* everything placed so far: labels, bars, swatches, brackets */
    size_t n, cap;
    double width; /* a box must lie inside x in [0, width], y >= 0 */
} hd_placer;

/* 1 if a and b come closer than gx points across and gy points down (with
 * 0 and 0: they share some area; touching edges do not count). */
int hd_box_hits(hd_box a, hd_box b, double gx, double gy);
/* 1 if b lies inside the bounds and keeps that distance from every box
 * placed so far. */
int hd_placer_fits(const hd_placer *p, hd_box b, double gx, double gy);
void hd_placer_add(hd_arena *a, hd_placer *p, hd_box b);

/* Check a figure's data: 1 to 12 lanes with labels, a valid axis, every
 * range in order and inside the axis, up-to not before the end of typical,
 * onset not after it. Every problem is reported at its place. */
hd_status hd_figure_check(hd_diags *d, const hd_figure *fig);

/* Lay out the figure `width` points wide. Ops are appended to *out; *height
 * is the height used. Errors (a label too long to place at all) name the
 * lane's position in its file; on error nothing is appended. The data is
 * checked first with hd_figure_check.
 *
 * From the top: the title (bold), a legend (typical range: solid primary;
 * reported up to: a light tint with a dashed outline; relief can start: a
 * dark tick), phase labels with brackets and marker labels in rows (stacked
 * so nothing overlaps), then per lane its label (bold) and note above its
 * bar, the axis with tick labels, the caption and the source (italic).
 * Phase bands are very light fills behind the lanes; markers are dashed
 * vertical lines (a span has one at each end), broken around labels. No
 * text ever lies on a bar. All text is at least 8 pt and style.text must
 * have 4.5:1 contrast with the background and the band tints; the bars
 * (style.primary) 3:1 with the background. Every op has HD_ROLE_FIGURE and
 * lies inside [0, width] x [0, *height]. */
hd_status hd_figure_layout(hd_arena *a, hd_diags *d, const hd_figure *fig, const hd_fontset *fs,
                           const hd_figure_style *st, double width, hd_oplist *out, double *height);

#endif
