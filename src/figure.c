/* figure.c: the relief-timeline figure, drawn as vector ops (see figure.h).
 *
 * Owns: checking a figure's data, the logarithmic time axis and its ticks,
 * colours (tints that stay apart in greyscale, contrast checks), and the
 * label placer: every label and bar is a box, and a label goes to the first
 * candidate place (row and x) where its box leaves room to all boxes placed
 * before it and stays inside the figure. Ops are relative to the figure's
 * top-left corner, y down; layout moves them into place.
 */
#include "figure.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "fsutil.h"
#include "units.h"

#define MAX_LANES 12
#define EPS 1e-6

/* ------------------------------------------------------------ colours */

/* `share` of c over bg. */
static hd_rgb mix(hd_rgb c, hd_rgb bg, double share) {
    hd_rgb r = {c.r * share + bg.r * (1 - share), c.g * share + bg.g * (1 - share),
                c.b * share + bg.b * (1 - share)};
    return r;
}

/* --------------------------------------------------------------- axis */

double hd_axis_map(double lo, double hi, double x0, double x1, double minutes) {
    if (!(lo > 0) || !(hi > lo) || !(minutes > 0))
        return x0;
    return x0 + (x1 - x0) * log(minutes / lo) / log(hi / lo);
}

typedef struct {
    double minutes;
    int rank; /* 0: kept first when labels collide */
} natural_tick;

static const natural_tick natural[] = {
    {HD_MINUTE, 1},     {10 * HD_MINUTE, 2}, {HD_HOUR, 0},       {HD_DAY, 0},
    {HD_WEEK, 0},       {2 * HD_WEEK, 2},    {HD_MONTH, 0},      {3 * HD_MONTH, 1},
    {6 * HD_MONTH, 2},  {HD_YEAR, 0},        {2 * HD_YEAR, 1},   {5 * HD_YEAR, 1},
    {10 * HD_YEAR, 1},  {20 * HD_YEAR, 2},   {50 * HD_YEAR, 2},  {100 * HD_YEAR, 2},
};
#define NNATURAL (sizeof natural / sizeof natural[0])

static int inside(double v, double lo, double hi) {
    return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
}

size_t hd_axis_ticks(double lo, double hi, double *ticks, size_t max) {
    size_t n = 0, found = 0;
    for (size_t i = 0; i < NNATURAL; i++)
        found += inside(natural[i].minutes, lo, hi);
    if (found < 2 && n < max)
        ticks[n++] = lo;
    for (size_t i = 0; i < NNATURAL && n < max; i++) {
        double m = natural[i].minutes;
        if (inside(m, lo, hi) && !(found < 2 && (fabs(m - lo) <= 1e-9 * lo || fabs(m - hi) <= 1e-9 * hi)))
            ticks[n++] = m;
    }
    if (found < 2 && n < max)
        ticks[n++] = hi;
    return n;
}

static int tick_rank(double m) {
    for (size_t i = 0; i < NNATURAL; i++)
        if (fabs(natural[i].minutes - m) <= 1e-9 * m)
            return natural[i].rank;
    return 0; /* an axis end */
}

size_t hd_axis_ticks_thin(double lo, double hi, double x0, double x1, double *ticks, double *w, size_t n,
                          double gap, double min_x, double max_x) {
    char keep[64] = {0};
    double l[64], r[64];
    if (n > 64)
        n = 64;
    for (int rank = -1; rank <= 2; rank++) {
        for (size_t i = 0; i < n; i++) {
            int end = fabs(ticks[i] - lo) <= 1e-9 * lo || fabs(ticks[i] - hi) <= 1e-9 * hi;
            if ((end ? -1 : tick_rank(ticks[i])) != rank)
                continue;
            double x = hd_axis_map(lo, hi, x0, x1, ticks[i]);
            l[i] = x - w[i] / 2;
            r[i] = x + w[i] / 2;
            int ok = l[i] >= min_x - EPS && r[i] <= max_x + EPS;
            for (size_t j = 0; j < n && ok; j++)
                if (keep[j] && l[i] < r[j] + gap && l[j] < r[i] + gap)
                    ok = 0;
            keep[i] = (char)ok;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (keep[i]) {
            ticks[k] = ticks[i];
            w[k] = w[i];
            k++;
        }
    }
    return k;
}

/* ------------------------------------------------------------- placer */

int hd_box_hits(hd_box a, hd_box b, double gx, double gy) {
    return a.x0 < b.x1 + gx - EPS && b.x0 < a.x1 + gx - EPS && a.y0 < b.y1 + gy - EPS &&
           b.y0 < a.y1 + gy - EPS;
}

int hd_placer_fits(const hd_placer *p, hd_box b, double gx, double gy) {
    if (b.x0 < -EPS || b.x1 > p->width + EPS || b.y0 < -EPS)
        return 0;
    for (size_t i = 0; i < p->n; i++)
        if (hd_box_hits(b, p->v[i], gx, gy))
            return 0;
    return 1;
}

void hd_placer_add(hd_arena *a, hd_placer *p, hd_box b) {
    hd_box *slot = HD_PUSH(a, p->v, p->n, p->cap);
    *slot = b;
}

/* --------------------------------------------------------- validation */

static const char *fmt_dur(double m, char *buf, size_t size) {
    hd_duration_format(m, buf, size);
    return buf;
}

/* A value of a lane, marker or phase that must lie inside the axis. */
static int check_inside(hd_diags *d, const hd_figure *f, hd_pos at, const char *what, const char *label,
                        double v) {
    char b1[48], b2[48], b3[48];
    if (inside(v, f->axis_lo, f->axis_hi))
        return 1;
    hd_error(d, HD_ERR_CONTENT, at,
             "%s of \"%s\" (%s) is outside the axis (%s to %s); widen the axis or change the value", what,
             label, fmt_dur(v, b1, sizeof b1), fmt_dur(f->axis_lo, b2, sizeof b2),
             fmt_dur(f->axis_hi, b3, sizeof b3));
    return 0;
}

static int check_order(hd_diags *d, hd_pos at, const char *what, const char *label, double lo, double hi) {
    char b1[48], b2[48];
    if (lo <= hi)
        return 1;
    hd_error(d, HD_ERR_CONTENT, at, "%s of \"%s\" ends (%s) before it starts (%s); write the shorter time first",
             what, label, fmt_dur(hi, b1, sizeof b1), fmt_dur(lo, b2, sizeof b2));
    return 0;
}

static int check_lane(hd_diags *d, const hd_figure *f, const hd_lane *ln) {
    char b1[48], b2[48];
    const char *lb = ln->label;
    int ok = check_order(d, ln->pos, "the typical range", lb, ln->typ_lo, ln->typ_hi);
    if (ln->typ_lo == ln->typ_hi) {
        hd_error(d, HD_ERR_CONTENT, ln->pos,
                 "the typical range of \"%s\" has no length (%s to %s): its bar would be an almost invisible "
                 "tick; give a range, or show one point in time as a marker",
                 lb, fmt_dur(ln->typ_lo, b1, sizeof b1), fmt_dur(ln->typ_hi, b2, sizeof b2));
        ok = 0;
    }
    ok &= check_inside(d, f, ln->pos, "the start of the typical range", lb, ln->typ_lo);
    ok &= check_inside(d, f, ln->pos, "the end of the typical range", lb, ln->typ_hi);
    if (ln->onset >= 0) {
        ok &= check_inside(d, f, ln->pos, "the onset", lb, ln->onset);
        if (ln->onset > ln->typ_hi) {
            hd_error(d, HD_ERR_CONTENT, ln->pos,
                     "the onset of \"%s\" (%s) is after the end of its typical range (%s); relief must "
                     "start before it ends",
                     lb, fmt_dur(ln->onset, b1, sizeof b1), fmt_dur(ln->typ_hi, b2, sizeof b2));
            ok = 0;
        }
    }
    if (ln->upto >= 0) {
        ok &= check_inside(d, f, ln->pos, "'up-to'", lb, ln->upto);
        if (ln->upto < ln->typ_hi) {
            hd_error(d, HD_ERR_CONTENT, ln->pos,
                     "'up-to' of \"%s\" (%s) is shorter than the end of its typical range (%s); up-to "
                     "must be at least as long",
                     lb, fmt_dur(ln->upto, b1, sizeof b1), fmt_dur(ln->typ_hi, b2, sizeof b2));
            ok = 0;
        }
    }
    return ok;
}

hd_status hd_figure_check(hd_diags *d, const hd_figure *f) {
    char b1[48], b2[48];
    int ok = 1;
    if (!(f->axis_lo > 0 && f->axis_hi > f->axis_lo)) {
        hd_error(d, HD_ERR_CONTENT, f->pos,
                 "the axis ends (%s) before it starts (%s); write from: the shorter time and to: the longer",
                 fmt_dur(f->axis_hi, b1, sizeof b1), fmt_dur(f->axis_lo, b2, sizeof b2));
        return HD_ERR_CONTENT; /* every other check needs the axis */
    }
    if (f->nlanes == 0) {
        hd_error(d, HD_ERR_CONTENT, f->pos,
                 "the figure has no lanes; add at least one under lanes: (a label and a typical range)");
        ok = 0;
    } else if (f->nlanes > MAX_LANES) {
        hd_error(d, HD_ERR_CONTENT, f->pos,
                 "the figure has %zu lanes but at most %d fit; remove some or split it into two figures",
                 f->nlanes, MAX_LANES);
        ok = 0;
    }
    for (size_t i = 0; i < f->nlanes; i++) {
        const hd_lane *ln = &f->lanes[i];
        if (!ln->label || !*ln->label) {
            hd_error(d, HD_ERR_CONTENT, ln->pos, "lane %zu has no label; every lane needs one", i + 1);
            ok = 0;
            continue;
        }
        ok &= check_lane(d, f, ln);
        for (size_t k = 0; k < i; k++)
            if (hd_same_lane_label(&f->lanes[k], ln)) {
                hd_error(d, HD_ERR_CONTENT, ln->pos,
                         "two lanes are labelled \"%s\"%s; give each lane its own label or note, or remove the copy",
                         ln->label, ln->note ? " with the same note" : "");
                ok = 0;
                break;
            }
    }
    for (size_t i = 0; i < f->nmarkers; i++) {
        const hd_marker *m = &f->markers[i];
        const char *lb = m->label;
        if (!lb || !*lb) {
            hd_error(d, HD_ERR_CONTENT, m->pos, "marker %zu has no label; every marker needs one", i + 1);
            ok = 0;
            continue;
        }
        ok &= check_order(d, m->pos, "the marker", lb, m->lo, m->hi);
        ok &= check_inside(d, f, m->pos, "the marker", lb, m->lo) &&
              check_inside(d, f, m->pos, "the end of the marker", lb, m->hi);
    }
    for (size_t i = 0; i < f->nphases; i++) {
        const hd_phase *ph = &f->phases[i];
        const char *lb = ph->label;
        if (!lb || !*lb) {
            hd_error(d, HD_ERR_CONTENT, ph->pos, "phase %zu has no label; every phase needs one", i + 1);
            ok = 0;
            continue;
        }
        ok &= check_order(d, ph->pos, "the phase", lb, ph->lo, ph->hi);
        ok &= check_inside(d, f, ph->pos, "the start of the phase", lb, ph->lo) &&
              check_inside(d, f, ph->pos, "the end of the phase", lb, ph->hi);
    }
    return ok ? HD_OK : HD_ERR_CONTENT;
}

/* ------------------------------------------------------------- layout */

typedef struct {
    const char *typical, *upto, *onset;
} legend_words;

static const legend_words words_en = {"Typical range", "Reported up to", "Relief can start"};
static const legend_words words_es = {"Rango típico", "Se ha visto hasta", "El alivio puede empezar"};

/* A vertical line drawn last, broken where it would cross a label. */
typedef struct {
    double x, y0, y1; /* y1 < 0: down to the axis */
    hd_rgb color;
    double width, dash;
    int grid; /* a grid line: drawn before the others */
} vline;

typedef struct {
    hd_arena *a;
    hd_diags *d;
    const hd_figure *fig;
    const hd_fontset *fs;
    const hd_figure_style *st;
    const legend_words *words;
    const char *lang;
    hd_status status;
    double W, s, ts; /* width, label size, title size */
    double asc, desc; /* text box per point of size, above and below the baseline */
    double gap;       /* room between two labels */
    double bar_h;
    double px0, px1; /* the plot's x range */
    double band_top, plot_top, axis_y;
    hd_rgb upto_fill, band[2], grid;
    hd_placer pl;
    hd_box *texts; /* label boxes, for breaking lines around them */
    size_t ntexts, texts_cap;
    vline *vl;
    size_t nvl, vl_cap;
    hd_oplist bands, lines, bars, text; /* drawn in this order */
    int para; /* 0; 1 or 2 while the caption or the source line is drawn (see emit_lines) */
} fctx;

static double line_h(const fctx *c, double size) {
    return (c->asc + c->desc) * size;
}

static double map_x(const fctx *c, double m) {
    return hd_axis_map(c->fig->axis_lo, c->fig->axis_hi, c->px0, c->px1, m);
}

static double text_w(const fctx *c, int face, double size, const char *s) {
    return hd_fontset_text_width(c->fs, face, s, strlen(s), size);
}

static hd_box box_of(double x0, double y0, double x1, double y1) {
    hd_box b = {x0, y0, x1, y1};
    return b;
}

/* The box of a line of text starting at (x, baseline). */
static hd_box text_box(const fctx *c, double x, double baseline, double w, double size) {
    return box_of(x, baseline - c->asc * size, x + w, baseline + c->desc * size);
}

static void place_text_box(fctx *c, hd_box b) {
    hd_placer_add(c->a, &c->pl, b);
    hd_box *t = HD_PUSH(c->a, c->texts, c->ntexts, c->texts_cap);
    *t = b;
}

static double put_text(fctx *c, int face, double size, double x, double baseline, const char *s, size_t len) {
    return hd_emit_text(c->a, &c->text, c->fs, face, size, c->st->text, x, baseline, s, len, HD_ROLE_FIGURE);
}

static hd_op *new_op(fctx *c, hd_oplist *l, hd_op_kind kind, double x, double y, double w, double h) {
    hd_op *op = hd_oplist_push(c->a, l);
    op->kind = kind;
    op->x = x;
    op->y = y;
    op->w = w;
    op->h = h;
    op->role = HD_ROLE_FIGURE;
    return op;
}

static hd_op *line_op(fctx *c, double x0, double y0, double x1, double y1, hd_rgb col, double lw, double dash) {
    hd_op *op = new_op(c, &c->lines, HD_OP_LINE, x0, y0, x1 - x0, y1 - y0);
    op->color = col;
    op->stroked = 1;
    op->line_width = lw;
    op->dash = dash;
    return op;
}

static hd_op *rect_op(fctx *c, hd_oplist *l, double x, double y, double w, double h, hd_rgb fill) {
    hd_op *op = new_op(c, l, HD_OP_RECT, x, y, w, h);
    op->fill = fill;
    op->filled = 1;
    return op;
}

static vline *add_vline(fctx *c, double x, double y0, double y1, hd_rgb col, double lw, double dash) {
    vline *v = HD_PUSH(c->a, c->vl, c->nvl, c->vl_cap);
    v->x = x;
    v->y0 = y0;
    v->y1 = y1;
    v->color = col;
    v->width = lw;
    v->dash = dash;
    return v;
}

/* A label quoted in a message: at most about 40 characters. */
static const char *quote(fctx *c, const char *s) {
    size_t n = strlen(s);
    if (n <= 43)
        return s;
    size_t cut = 40;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return hd_sprintf(c->a, "%.*s...", (int)cut, s);
}

static size_t utf8_len(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* About how many characters of s fit in `width` (for "shorten it to"),
 * with a tenth kept for word breaks. */
static int chars_fitting(const fctx *c, int face, double size, const char *s, double width) {
    double w = text_w(c, face, size, s);
    size_t n = utf8_len(s);
    if (w <= 0 || n == 0)
        return 0;
    return (int)floor(0.9 * width / (w / (double)n));
}

static int fail(fctx *c, hd_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(fctx *c, hd_pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hd_verror(c->d, HD_ERR_CONTENT, at, fmt, ap);
    va_end(ap);
    c->status = HD_ERR_CONTENT;
    return 0;
}

/* ---- checks of text and colours ---- */

static int check_chars(fctx *c, const char *s, int face, hd_pos at) {
    size_t off;
    unsigned cp;
    if (!s || !(cp = hd_text_check(c->fs, face, s, strlen(s), &off)))
        return 1;
    if (c->fs->status != HD_OK) { /* a font failed to load: that error says why */
        c->status = c->fs->status;
        return 0;
    }
    const char *q = s + off;
    hd_utf8_next(&q);
    return fail(c, at,
                "the character '%.*s' (U+%04X) in \"%s\" is in no font this handout uses (%s, or %s as "
                "fallback); replace it or pick a font family that has it",
                (int)(q - (s + off)), s + off, cp, quote(c, s), hd_face_family(hd_fontset_face(c->fs, face)),
                hd_fontset_face(c->fs, HD_F_FB_REG) ? hd_face_family(c->fs->face[HD_F_FB_REG]) : "none");
}

static void check_all_chars(fctx *c) {
    const hd_figure *f = c->fig;
    check_chars(c, f->title, HD_F_BOLD, f->pos);
    check_chars(c, f->caption, HD_F_REG, f->pos);
    check_chars(c, f->source, HD_F_ITAL, f->pos);
    for (size_t i = 0; i < f->nlanes; i++) {
        check_chars(c, f->lanes[i].label, HD_F_BOLD, f->lanes[i].pos);
        check_chars(c, f->lanes[i].note, HD_F_REG, f->lanes[i].pos);
    }
    for (size_t i = 0; i < f->nmarkers; i++)
        check_chars(c, f->markers[i].label, HD_F_REG, f->markers[i].pos);
    for (size_t i = 0; i < f->nphases; i++)
        check_chars(c, f->phases[i].label, HD_F_REG, f->phases[i].pos);
}

static void check_text_on(fctx *c, hd_rgb bg, const char *what) {
    char t[8], b[8];
    double r = hd_contrast_ratio(c->st->text, bg);
    if (r >= 4.5)
        return;
    hd_colour_format(c->st->text, t);
    hd_colour_format(bg, b);
    fail(c, c->fig->pos,
         "the figure's text colour %s has a contrast of only %.1f:1 against %s %s; text needs at least "
         "4.5:1 (choose a darker text colour in the clinic profile or template)",
         t, r, what, b);
}

/* Colours: the up-to tint is light enough to differ from the bar in
 * greyscale (3:1); phase bands are faint. */
static void choose_colours(fctx *c) {
    const hd_figure_style *st = c->st;
    char p[8], b[8];
    double r = hd_contrast_ratio(st->primary, st->background);
    if (r < 3.0) {
        hd_colour_format(st->primary, p);
        hd_colour_format(st->background, b);
        fail(c, c->fig->pos,
             "the primary colour %s is too light for the figure's bars (contrast %.1f:1 against the "
             "background %s; bars need at least 3:1); choose a darker primary colour",
             p, r, b);
    }
    double share = 0.30;
    c->upto_fill = mix(st->primary, st->background, share);
    while (share > 0.06 && hd_contrast_ratio(st->primary, c->upto_fill) < 3.0) {
        share -= 0.04;
        c->upto_fill = mix(st->primary, st->background, share);
    }
    c->band[0] = mix(st->muted, st->background, 0.10);
    c->band[1] = mix(st->accent, st->background, 0.10);
    c->grid = mix(st->muted, st->background, 0.30);
    check_text_on(c, st->background, "the background");
    if (c->fig->nphases > 0)
        check_text_on(c, c->band[0], "the phase band colour");
    if (c->fig->nphases > 1)
        check_text_on(c, c->band[1], "the phase band colour");
}

/* ---- wrapped text ---- */

static int face_for(int base, unsigned style) {
    if (style & HD_ST_BOLD)
        return HD_F_BOLD;
    if (style & HD_ST_ITALIC)
        return HD_F_ITAL;
    return base;
}

static hd_span text_span(const char *s, unsigned style) {
    hd_span sp = {HD_SP_TEXT, style, s, NULL, {NULL, 0, 0}};
    return sp;
}

static size_t wrap(fctx *c, const hd_span *sp, size_t n, double size, double width, hd_line **lines) {
    size_t nl = 0;
    *lines = NULL;
    if (hd_break_lines(c->a, c->d, c->fs, sp, n, HD_F_REG, size, width, lines, &nl) != HD_OK) {
        c->status = HD_ERR_SYSTEM;
        return 0;
    }
    return nl;
}

/* Draw one broken line; returns its width. */
static double emit_line(fctx *c, const hd_span *sp, const hd_line *ln, double size, double x, double baseline) {
    double pen = x;
    for (size_t i = ln->first_span; i <= ln->last_span; i++) {
        size_t from = i == ln->first_span ? ln->first_off : 0;
        size_t to = i == ln->last_span ? ln->last_off : strlen(sp[i].text);
        if (to > from)
            pen += put_text(c, face_for(HD_F_REG, sp[i].style), size, pen, baseline, sp[i].text + from,
                            to - from);
    }
    if (ln->hyphen) /* the line broke at a soft hyphen */
        pen += put_text(c, face_for(HD_F_REG, sp[ln->last_span].style), size, pen, baseline, "-", 1);
    return pen - x;
}

/* Draw wrapped lines from the top y at x; returns the y under them. */
static double emit_lines(fctx *c, const hd_span *sp, const hd_line *lines, size_t nl, double size, double x,
                         double y) {
    for (size_t i = 0; i < nl; i++) {
        double baseline = y + c->asc * size;
        size_t first = c->text.n;
        double w = emit_line(c, sp, &lines[i], size, x, baseline);
        place_text_box(c, text_box(c, x, baseline, w, size));
        y += line_h(c, size);
        if (!c->para) continue;
        /* The caption and the source line are text of their own, not part
         * of the drawing the figure's alt text replaces: HD_ROLE_BODY, and
         * level 1 or 2 says which paragraph (layout tags each as a P after
         * the figure). A drawn soft-hyphen hyphen is decoration; the line's
         * last text says whether the next line starts a new word. */
        hd_op *last = NULL;
        for (size_t k = first; k < c->text.n; k++) {
            hd_op *op = &c->text.v[k];
            if (op->kind != HD_OP_TEXT) continue;
            op->role = HD_ROLE_BODY;
            op->level = c->para;
            if (lines[i].hyphen && k + 1 == c->text.n)
                op->role = HD_ROLE_ARTIFACT;
            else
                last = op;
        }
        if (last && i + 1 < nl) {
            if (lines[i].split_word || lines[i].hyphen || lines[i].zero_width_break)
                last->joins_next = 1;
            else
                last->space_after = 1;
        }
    }
    return y;
}

/* A paragraph (title, caption, source) across the full width. */
static double paragraph(fctx *c, const char *s, unsigned style, double size, double y) {
    if (!s || !*s)
        return y;
    hd_span sp = text_span(s, style);
    hd_line *lines;
    size_t nl = wrap(c, &sp, 1, size, c->W, &lines);
    return emit_lines(c, &sp, lines, nl, size, 0, y);
}

/* ---- legend ---- */

typedef enum { KEY_TYPICAL, KEY_UPTO, KEY_ONSET } key_kind;

/* The onset mark: a dark tick a little taller than a bar, outlined in the
 * background colour so it shows on a bar too. */
static void onset_mark(fctx *c, double x, double bar_y) {
    hd_op *op = rect_op(c, &c->bars, x - 2, bar_y - 2, 4, c->bar_h + 4, c->st->text);
    op->stroked = 1;
    op->color = c->st->background;
    op->line_width = 0.8;
}

static void upto_bar(fctx *c, double x0, double x1, double y) {
    hd_op *op = rect_op(c, &c->bars, x0, y, x1 - x0, c->bar_h, c->upto_fill);
    op->stroked = 1;
    op->color = c->st->primary;
    op->line_width = 0.8;
    op->dash = 2;
}

static void key_swatch(fctx *c, key_kind k, double x, double sw, double bar_y) {
    if (k == KEY_TYPICAL) {
        rect_op(c, &c->bars, x, bar_y, sw, c->bar_h, c->st->primary);
    } else if (k == KEY_UPTO) {
        upto_bar(c, x, x + sw, bar_y);
    } else {
        line_op(c, x + 2, bar_y + c->bar_h / 2, x + sw, bar_y + c->bar_h / 2, c->st->text, 1, 0);
        onset_mark(c, x + 2, bar_y);
    }
}

static double legend(fctx *c, double y) {
    const hd_figure *f = c->fig;
    int has_upto = 0, has_onset = 0;
    for (size_t i = 0; i < f->nlanes; i++) {
        has_upto |= f->lanes[i].upto >= 0;
        has_onset |= f->lanes[i].onset >= 0;
    }
    key_kind keys[3];
    const char *names[3];
    size_t n = 0;
    keys[n] = KEY_TYPICAL, names[n++] = c->words->typical;
    if (has_upto)
        keys[n] = KEY_UPTO, names[n++] = c->words->upto;
    if (has_onset)
        keys[n] = KEY_ONSET, names[n++] = c->words->onset;
    double sw = 1.8 * c->s, x = 0, lh = line_h(c, c->s);
    for (size_t i = 0; i < n; i++) {
        double tw = text_w(c, HD_F_REG, c->s, names[i]);
        double iw = sw + 0.4 * c->s + tw;
        if (x > 0 && x + iw > c->W) {
            x = 0;
            y += lh + 0.2 * c->s;
        }
        double baseline = y + c->asc * c->s;
        double bar_y = baseline - 0.35 * c->s - c->bar_h / 2;
        key_swatch(c, keys[i], x, sw, bar_y);
        hd_placer_add(c->a, &c->pl, box_of(x, bar_y - 2, x + sw, bar_y + c->bar_h + 2));
        double tx = x + sw + 0.4 * c->s;
        double w = put_text(c, HD_F_REG, c->s, tx, baseline, names[i], strlen(names[i]));
        place_text_box(c, text_box(c, tx, baseline, w, c->s));
        x += iw + 1.2 * c->s;
    }
    return y + lh;
}

/* ---- phases and markers: labels in rows above the lanes ---- */

#define BRACKET_H 6.0 /* under a label in a header row: the bracket */
#define ROW_GAP 0.5   /* rows are spaced by their geometry: this is slack */

static double row_h(const fctx *c) {
    return line_h(c, c->s) + BRACKET_H;
}

/* A bracket from xl to xh under a header row's text: a line with end ticks. */
static hd_box bracket(fctx *c, double xl, double xh, double row_top, int draw) {
    double y = row_top + line_h(c, c->s) + 2;
    hd_box b = box_of(xl + 1.5, y - 0.5, xh - 1.5, y + 3.5);
    if (draw) {
        hd_rgb col = c->st->muted;
        line_op(c, b.x0, y, b.x1, y, col, 1, 0);
        line_op(c, b.x0, y, b.x0, y + 3, col, 1, 0);
        line_op(c, b.x1, y, b.x1, y + 3, col, 1, 0);
        hd_placer_add(c->a, &c->pl, b);
    }
    return b;
}

static double clampd(double v, double lo, double hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* Place phase labels from band_top; returns the y under the rows used. */
static double phases(fctx *c, double y) {
    const hd_figure *f = c->fig;
    double lh = line_h(c, c->s), rh = row_h(c);
    size_t rows = 0;
    for (size_t i = 0; i < f->nphases; i++) {
        const hd_phase *ph = &f->phases[i];
        double xl = map_x(c, ph->lo), xh = map_x(c, ph->hi);
        double w = text_w(c, HD_F_REG, c->s, ph->label);
        rect_op(c, &c->bands, xl, y, xh - xl, 0, c->band[i % 2]); /* height set at the end */
        /* a thin line where a phase starts or ends inside the plot: the two
         * faint band colours look alike when printed in grey */
        if (xl > c->px0 + 0.5)
            add_vline(c, xl, y, -1, c->st->muted, 0.6, 0);
        if (xh < c->px1 - 0.5 && (i + 1 == f->nphases || fabs(map_x(c, f->phases[i + 1].lo) - xh) > 0.5))
            add_vline(c, xh, y, -1, c->st->muted, 0.6, 0);
        if (w > c->W) {
            fail(c, ph->pos,
                 "the phase label \"%s\" is too long to fit in the figure (%.0f pt wide, the figure is "
                 "%.0f pt); shorten it to at most about %d characters",
                 quote(c, ph->label), w, c->W, chars_fitting(c, HD_F_REG, c->s, ph->label, c->W));
            continue;
        }
        /* inside the band: at its start, centred, at its end; wider than
         * the band: ending where the band ends first (a label sticking out
         * past the last band reads as if it were past the axis) */
        int wide = w > xh - xl - 1.2 * c->s;
        double cand[3] = {wide ? xh - w : xl + 0.6 * c->s, (xl + xh - w) / 2, wide ? xl : xh - 0.6 * c->s - w};
        int done = 0;
        for (size_t r = 0; r <= f->nphases && !done; r++) {
            double top = y + (double)r * rh;
            for (size_t k = 0; k < 3 && !done; k++) {
                double x = clampd(cand[k], 0, c->W - w);
                hd_box tb = box_of(x, top, x + w, top + lh);
                if (!hd_placer_fits(&c->pl, tb, c->gap, ROW_GAP) ||
                    !hd_placer_fits(&c->pl, bracket(c, xl, xh, top, 0), 0.5, ROW_GAP))
                    continue;
                double baseline = top + c->asc * c->s;
                put_text(c, HD_F_REG, c->s, x, baseline, ph->label, strlen(ph->label));
                place_text_box(c, tb);
                bracket(c, xl, xh, top, 1);
                rows = r + 1 > rows ? r + 1 : rows;
                done = 1;
            }
        }
        if (!done)
            fail(c, ph->pos, "the phase label \"%s\" cannot be placed without overlapping another label; "
                             "shorten it",
                 quote(c, ph->label));
    }
    return y + (double)rows * rh;
}

/* Where a marker's label went, to keep later markers clear of it. */
typedef struct {
    hd_box label;
    double xl, xh, line_top;
} placed_marker;

/* A candidate for marker k must not cross the lines of earlier markers,
 * and its own lines must not cross their labels. */
static int clear_of_markers(const fctx *c, const placed_marker *pm, size_t n, hd_box tb, double xl, double xh,
                            double line_top) {
    for (size_t j = 0; j < n; j++) {
        double xs[2] = {pm[j].xl, pm[j].xh};
        for (int e = 0; e < 2; e++)
            if (pm[j].line_top < tb.y1 && xs[e] > tb.x0 - c->gap && xs[e] < tb.x1 + c->gap)
                return 0;
        double own[2] = {xl, xh};
        for (int e = 0; e < 2; e++)
            if (pm[j].label.y0 >= line_top - EPS && own[e] > pm[j].label.x0 - c->gap &&
                own[e] < pm[j].label.x1 + c->gap)
                return 0;
    }
    return 1;
}

/* Try to place marker m in the header rows from y; strict: also keep clear
 * of the lines of markers placed before (else those lines are only broken
 * around the label). Returns the row used, or -1. */
static int place_marker(fctx *c, const hd_marker *m, double y, placed_marker *pm, size_t *np, int strict) {
    double lh = line_h(c, c->s), rh = row_h(c), pad = 0.4 * c->s;
    double xl = map_x(c, m->lo), xh = map_x(c, m->hi);
    int span = xh - xl > 1.0;
    double w = text_w(c, HD_F_REG, c->s, m->label);
    /* right of the marker, left of it, inside the span, above it */
    double cand[4] = {xh + pad, xl - pad - w, (xl + xh - w) / 2, clampd((xl + xh - w) / 2, 0, c->W - w)};
    for (size_t r = 0; r <= c->fig->nmarkers; r++) {
        double top = y + (double)r * rh;
        for (size_t k = 0; k < 4; k++) {
            double x = cand[k];
            if (k == 2 && (!span || w > xh - xl - 2 * pad))
                continue;
            hd_box tb = box_of(x, top, x + w, top + lh);
            /* a point's line starts beside its label, or under it */
            double line_top = span ? top + lh + 2 : (k == 3 ? top + lh + 1 : top);
            if (!hd_placer_fits(&c->pl, tb, c->gap, ROW_GAP) ||
                (span && !hd_placer_fits(&c->pl, bracket(c, xl, xh, top, 0), 0.5, ROW_GAP)) ||
                (strict && !clear_of_markers(c, pm, *np, tb, xl, xh, line_top)))
                continue;
            put_text(c, HD_F_REG, c->s, x, top + c->asc * c->s, m->label, strlen(m->label));
            place_text_box(c, tb);
            if (span)
                bracket(c, xl, xh, top, 1);
            add_vline(c, xl, line_top, -1, c->st->accent, 1.2, 3);
            if (span)
                add_vline(c, xh, line_top, -1, c->st->accent, 1.2, 3);
            pm[*np] = (placed_marker){tb, xl, xh, line_top};
            (*np)++;
            return (int)r;
        }
    }
    return -1;
}

/* Marker labels in rows under the phases, the widest first (it has the
 * fewest lines of other markers to avoid). Returns the y under the rows. */
static double markers(fctx *c, double y) {
    const hd_figure *f = c->fig;
    placed_marker *pm = hd_allocn(c->a, f->nmarkers + 1, sizeof *pm);
    size_t *order = hd_allocn(c->a, f->nmarkers + 1, sizeof *order);
    double *w = hd_allocn(c->a, f->nmarkers + 1, sizeof *w);
    size_t np = 0, n = 0;
    int rows = 0;
    for (size_t i = 0; i < f->nmarkers; i++) {
        const hd_marker *m = &f->markers[i];
        w[i] = text_w(c, HD_F_REG, c->s, m->label);
        if (w[i] > c->W) {
            fail(c, m->pos,
                 "the marker label \"%s\" is too long to fit in the figure (%.0f pt wide, the figure is "
                 "%.0f pt); shorten it to at most about %d characters",
                 quote(c, m->label), w[i], c->W, chars_fitting(c, HD_F_REG, c->s, m->label, c->W));
            continue;
        }
        size_t k = n++;
        while (k > 0 && w[order[k - 1]] < w[i]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    for (size_t j = 0; j < n; j++) {
        const hd_marker *m = &f->markers[order[j]];
        int r = place_marker(c, m, y, pm, &np, 1);
        if (r < 0)
            r = place_marker(c, m, y, pm, &np, 0);
        if (r < 0)
            fail(c, m->pos,
                 "the marker label \"%s\" cannot be placed without overlapping another label; shorten it "
                 "or the other marker labels",
                 quote(c, m->label));
        rows = r + 1 > rows ? r + 1 : rows;
    }
    return y + (double)rows * row_h(c);
}

/* ---- lanes ---- */

/* The label and note of a lane, wrapped: at most 2 lines for the label and
 * 3 with the note. 0 lines when it cannot be placed (reported). */
static size_t lane_text(fctx *c, const hd_lane *ln, hd_span sp[2], size_t *nsp, hd_line **lines) {
    sp[0] = text_span(ln->label, HD_ST_BOLD);
    *nsp = 1;
    size_t n = wrap(c, sp, 1, c->s, c->W, lines);
    if (n > 2)
        return fail(c, ln->pos,
                    "the label \"%s\" is too long to fit in the figure, even on two lines; shorten it to "
                    "at most about %d characters",
                    quote(c, ln->label), chars_fitting(c, HD_F_BOLD, c->s, ln->label, 2 * c->W));
    if (!ln->note || !*ln->note)
        return n;
    sp[1] = text_span(hd_sprintf(c->a, " \xe2\x80\x93 %s", ln->note), 0);
    *nsp = 2;
    n = wrap(c, sp, 2, c->s, c->W, lines);
    if (n > 3)
        return fail(c, ln->pos,
                    "the note \"%s\" of \"%s\" is too long to fit in the figure; shorten it to at most "
                    "about %d characters",
                    quote(c, ln->note), quote(c, ln->label),
                    chars_fitting(c, HD_F_REG, c->s, ln->note,
                                  3 * c->W - text_w(c, HD_F_BOLD, c->s, sp[0].text) -
                                      text_w(c, HD_F_REG, c->s, " \xe2\x80\x93 ")));
    return n;
}

/* The x extent of a lane's bar: typical (at least 3 pt wide, so a single
 * value shows), up-to and the onset mark. */
static hd_box bar_extent(const fctx *c, const hd_lane *ln, double *typ_x0, double *typ_x1) {
    double x0 = map_x(c, ln->typ_lo), x1 = map_x(c, ln->typ_hi);
    if (x1 - x0 < 3) {
        x0 = clampd((x0 + x1) / 2 - 1.5, c->px0, c->px1 - 3);
        x1 = x0 + 3;
    }
    *typ_x0 = x0;
    *typ_x1 = x1;
    hd_box b = box_of(x0, 0, x1, 0);
    if (ln->upto >= 0 && map_x(c, ln->upto) > x1 + 0.5)
        b.x1 = map_x(c, ln->upto);
    if (ln->onset >= 0) {
        double xo = map_x(c, ln->onset);
        b.x0 = xo - 2 < b.x0 ? xo - 2 : b.x0;
        b.x1 = xo + 2 > b.x1 ? xo + 2 : b.x1;
    }
    return b;
}

/* Draw a lane's bar in the row from y, h high (the bar centred in it): the
 * up-to extension, the typical range, the onset mark. Returns its box. */
static hd_box lane_bar(fctx *c, const hd_lane *ln, double y, double h) {
    double x0, x1;
    hd_box b = bar_extent(c, ln, &x0, &x1);
    double bar_y = y + (h - c->bar_h) / 2;
    b.y0 = y;
    b.y1 = y + h;
    if (ln->upto >= 0 && map_x(c, ln->upto) > x1 + 0.5)
        upto_bar(c, x1, map_x(c, ln->upto), bar_y);
    rect_op(c, &c->bars, x0, bar_y, x1 - x0, c->bar_h, c->st->primary);
    if (ln->onset >= 0) {
        double xo = map_x(c, ln->onset);
        if (xo < x0)
            line_op(c, xo, bar_y + c->bar_h / 2, x0, bar_y + c->bar_h / 2, c->st->text, 1, 0);
        onset_mark(c, xo, bar_y);
    }
    return b;
}

/* Compact: a one-line label beside its bar, in the bar's row: left of the
 * bar if there is room (the labels stay in one column), else right of it.
 * Returns 1 and the row's bottom in *y if it went there. */
static int label_beside(fctx *c, const hd_lane *ln, const hd_span *sp, const hd_line *line, double *y) {
    double x0, x1, lh = fmax(line_h(c, c->s), c->bar_h + 4);
    hd_box ext = bar_extent(c, ln, &x0, &x1);
    double cand[2] = {0, ext.x1 + c->gap};
    for (int k = 0; k < 2; k++) {
        hd_box tb = box_of(cand[k], *y, cand[k] + line->width, *y + lh);
        hd_box bar = box_of(ext.x0, *y, ext.x1, *y + lh);
        if (hd_box_hits(tb, bar, c->gap, 0) || !hd_placer_fits(&c->pl, tb, 0, 0) ||
            !hd_placer_fits(&c->pl, bar, 0, 0))
            continue;
        emit_lines(c, sp, line, 1, c->s, cand[k], *y);
        hd_placer_add(c->a, &c->pl, lane_bar(c, ln, *y, lh));
        *y += lh;
        return 1;
    }
    return 0;
}

static double lanes(fctx *c, double y, int compact) {
    const hd_figure *f = c->fig;
    for (size_t i = 0; i < f->nlanes; i++) {
        const hd_lane *ln = &f->lanes[i];
        hd_span sp[2];
        size_t nsp;
        hd_line *lines;
        size_t nl = lane_text(c, ln, sp, &nsp, &lines);
        if (nl == 0)
            continue;
        double next_gap = i + 1 < f->nlanes ? 0.5 * c->s : 0;
        if (compact && nl == 1 && label_beside(c, ln, sp, lines, &y)) {
            y += next_gap;
            continue;
        }
        /* above its bar at the left edge */
        hd_box need = box_of(0, y, 0, y + (double)nl * line_h(c, c->s));
        for (size_t k = 0; k < nl; k++)
            need.x1 = lines[k].width > need.x1 ? lines[k].width : need.x1;
        if (!hd_placer_fits(&c->pl, need, 0, 0)) {
            fail(c, ln->pos, "the label \"%s\" cannot be placed without overlapping; shorten it",
                 quote(c, ln->label));
            continue;
        }
        y = emit_lines(c, sp, lines, nl, c->s, 0, y) + 1;
        hd_box bar = lane_bar(c, ln, y, c->bar_h + 4);
        if (!hd_placer_fits(&c->pl, bar, 0, 0))
            fail(c, ln->pos, "the bar of \"%s\" overlaps a label", quote(c, ln->label));
        hd_placer_add(c->a, &c->pl, bar);
        y = bar.y1 + next_gap;
    }
    return y;
}

/* ---- axis ---- */

static const char *tick_label(fctx *c, double m) {
    char buf[64];
    hd_duration_format_ex(m, c->lang, 0, buf, sizeof buf);
    return hd_strdup(c->a, buf);
}

/* The candidate ticks and their labels' widths; sets the plot's x range so
 * every centred label stays inside the figure. */
static size_t candidate_ticks(fctx *c, double *ticks, double *w, size_t max) {
    size_t n = hd_axis_ticks(c->fig->axis_lo, c->fig->axis_hi, ticks, max);
    double widest = 0;
    for (size_t i = 0; i < n; i++) {
        w[i] = text_w(c, HD_F_REG, c->s, tick_label(c, ticks[i]));
        widest = w[i] > widest ? w[i] : widest;
    }
    double inset = widest / 2 + 1 > 4 ? widest / 2 + 1 : 4;
    c->px0 = inset;
    c->px1 = c->W - inset;
    return n;
}

static double axis(fctx *c, double y, const double *cand, const double *cw, size_t ncand) {
    double ticks[32], w[32];
    size_t n = ncand < 32 ? ncand : 32;
    memcpy(ticks, cand, n * sizeof *ticks);
    memcpy(w, cw, n * sizeof *w);
    n = hd_axis_ticks_thin(c->fig->axis_lo, c->fig->axis_hi, c->px0, c->px1, ticks, w, n, 0.6 * c->s, 0, c->W);
    c->axis_y = y;
    line_op(c, c->px0, y, c->px1, y, c->st->text, 1, 0);
    double baseline = y + 5 + c->asc * c->s;
    for (size_t i = 0; i < n; i++) {
        double x = map_x(c, ticks[i]);
        line_op(c, x, y, x, y + 4, c->st->text, 1, 0);
        hd_box tb = text_box(c, x - w[i] / 2, baseline, w[i], c->s);
        if (!hd_placer_fits(&c->pl, tb, c->gap / 2, 1))
            continue;
        const char *lb = tick_label(c, ticks[i]);
        put_text(c, HD_F_REG, c->s, x - w[i] / 2, baseline, lb, strlen(lb));
        place_text_box(c, tb);
        add_vline(c, x, c->plot_top, y, c->grid, 0.5, 0)->grid = 1;
    }
    return y + 5 + line_h(c, c->s);
}

/* ---- finishing ---- */

typedef struct {
    double y0, y1;
} interval;

static int by_start(const void *a, const void *b) {
    double d = ((const interval *)a)->y0 - ((const interval *)b)->y0;
    return (d > 0) - (d < 0);
}

/* One vertical line, broken where it would cross a label. */
static void draw_vline(fctx *c, const vline *v, interval *cut) {
    double end = v->y1 < 0 ? c->axis_y : v->y1;
    size_t n = 0;
    for (size_t k = 0; k < c->ntexts; k++) {
        const hd_box *t = &c->texts[k];
        if (v->x >= t->x0 - 1.5 && v->x <= t->x1 + 1.5 && t->y1 + 1 > v->y0 && t->y0 - 1 < end)
            cut[n++] = (interval){t->y0 - 1, t->y1 + 1};
    }
    qsort(cut, n, sizeof *cut, by_start);
    double y = v->y0;
    for (size_t k = 0; k <= n; k++) {
        double stop = k < n ? cut[k].y0 : end;
        if (stop - y >= 2)
            line_op(c, v->x, y, v->x, stop, v->color, v->width, v->dash);
        if (k < n && cut[k].y1 > y)
            y = cut[k].y1;
    }
}

/* Grid lines first (underneath), then marker lines. */
static void draw_vlines(fctx *c) {
    interval *cut = hd_allocn(c->a, c->ntexts + 1, sizeof *cut);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < c->nvl; i++)
            if (c->vl[i].grid == !pass)
                draw_vline(c, &c->vl[i], cut);
}

static void append(fctx *c, hd_oplist *out, const hd_oplist *from) {
    for (size_t i = 0; i < from->n; i++)
        *hd_oplist_push(c->a, out) = from->v[i];
}

/* Everything, from the top; returns the height used. */
static double draw(fctx *c, int compact) {
    const hd_figure *fig = c->fig;
    double cand[32], cw[32];
    size_t ncand = candidate_ticks(c, cand, cw, 32);
    double y = paragraph(c, fig->title, HD_ST_BOLD, c->ts, 0) + 0.4 * c->s;
    y = legend(c, y) + 0.6 * c->s;
    c->band_top = y;
    y = phases(c, y);
    y = markers(c, y);
    c->plot_top = y + 0.3 * c->s;
    y = lanes(c, c->plot_top, compact) + 0.3 * c->s;
    y = axis(c, y, cand, cw, ncand);
    c->para = 1;
    if (fig->caption && *fig->caption)
        y = paragraph(c, fig->caption, 0, c->s, y + 0.5 * c->s);
    c->para = 2;
    if (fig->source && *fig->source)
        y = paragraph(c, fig->source, HD_ST_ITALIC, c->s, y + 0.25 * c->s);
    c->para = 0;
    for (size_t i = 0; i < c->bands.n; i++)
        c->bands.v[i].h = c->axis_y - c->bands.v[i].y;
    draw_vlines(c);
    return ceil(y + 1);
}

/* Sizes, font metrics and checks shared by every attempt. */
static hd_status prepare(fctx *c) {
    const hd_figure_style *st = c->st;
    c->lang = st->lang && strcmp(st->lang, "es") == 0 ? "es" : "en";
    c->words = strcmp(c->lang, "es") == 0 ? &words_es : &words_en;
    c->s = st->label_size < 8 ? 8 : st->label_size;
    c->ts = st->title_size < c->s ? c->s : st->title_size;
    c->gap = 0.5 * c->s;
    c->bar_h = 0.9 * c->s;
    c->pl.width = c->W;
    /* line metrics of the faces the figure draws with (fallback faces load
     * only when a character needs them, so they do not set its spacing) */
    static const int drawn[] = {HD_F_REG, HD_F_BOLD, HD_F_ITAL};
    for (size_t i = 0; i < sizeof drawn / sizeof drawn[0]; i++) {
        const hd_face *face = hd_fontset_face(c->fs, drawn[i]);
        if (!face)
            continue;
        double as = hd_face_ascent(face) / 1000.0, ds = -hd_face_descent(face) / 1000.0;
        c->asc = as > c->asc ? as : c->asc;
        c->desc = ds > c->desc ? ds : c->desc;
    }
    if (hd_figure_check(c->d, c->fig) != HD_OK)
        return HD_ERR_CONTENT;
    if (c->W < 16 * c->s)
        return hd_error(c->d, HD_ERR_CONTENT, c->fig->pos,
                        "the page's text column (%.0f pt) is too narrow for the figure, which needs at least "
                        "%.0f pt; use smaller margins",
                        c->W, 16 * c->s);
    check_all_chars(c);
    choose_colours(c);
    return c->status;
}

hd_status hd_figure_layout(hd_arena *a, hd_diags *d, const hd_figure *fig, const hd_fontset *fs,
                           const hd_figure_style *st, double width, hd_oplist *out, double *height) {
    fctx base = {.a = a, .d = d, .fig = fig, .fs = fs, .st = st, .W = width};
    *height = 0;
    if (prepare(&base) != HD_OK)
        return base.status != HD_OK ? base.status : HD_ERR_CONTENT;
    fctx c = base;
    double h = draw(&c, 0);
    if (c.status == HD_OK && st->max_height > 0 && h > st->max_height) {
        fctx compact = base; /* labels beside their bars where they fit */
        double hc = draw(&compact, 1);
        if (compact.status == HD_OK && hc > st->max_height)
            return hd_error(d, HD_ERR_CONTENT, fig->pos,
                            "the figure is %.0f pt tall but a page has room for %.0f pt, even with labels "
                            "beside the bars; use fewer lanes, shorter notes or a shorter caption",
                            hc, st->max_height);
        c = compact;
        h = hc;
    }
    if (c.status != HD_OK)
        return c.status;
    append(&c, out, &c.bands);
    append(&c, out, &c.lines);
    append(&c, out, &c.bars);
    append(&c, out, &c.text);
    *height = h;
    return HD_OK;
}
