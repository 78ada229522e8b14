/* test_figure.c: unit tests for figure.c (log axis, tick choice, contrast,
 * the label placer, data checks, and the laid-out figure: no two label boxes
 * intersect, nothing leaves the figure, every label is drawn, text >= 8 pt,
 * exact error messages), on ordinary and adversarial data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "figure.h"
#include "units.h"

#define NOTO "/usr/share/fonts/truetype/noto/"
#define DJV "/usr/share/fonts/truetype/dejavu/"

typedef struct {
    hd_arena *a;
    hd_diags d;
    hd_fontlib *lib;
    hd_fontset fs;
} env;

static int setup(void **state) {
    static const char *const files[HD_NFACES] = {
        NOTO "NotoSans-Regular.ttf", NOTO "NotoSans-Bold.ttf",   NOTO "NotoSans-Italic.ttf",
        NOTO "NotoSans-BoldItalic.ttf", DJV "DejaVuSansMono.ttf", DJV "DejaVuSansMono-Bold.ttf",
        DJV "DejaVuSans.ttf",           DJV "DejaVuSans-Bold.ttf", DJV "DejaVuSans-Oblique.ttf",
        DJV "DejaVuSans-BoldOblique.ttf",
    };
    env *e = calloc(1, sizeof *e);
    e->a = hd_arena_new();
    hd_diags_init(&e->d);
    e->lib = hd_fontlib_new("fonts");
    for (int i = 0; i < HD_NFACES; i++)
        if (hd_fontlib_face(e->lib, &e->d, files[i], hd_pos_at(NULL, 0, 0), &e->fs.face[i]) != HD_OK)
            return -1;
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    hd_diags_free(&e->d);
    hd_arena_free(e->a);
    hd_fontlib_free(e->lib);
    free(e);
    return 0;
}

static hd_figure_style style(void) {
    hd_figure_style st = {
        .text = {0x1a / 255.0, 0x1a / 255.0, 0x1a / 255.0},
        .primary = {0x1f / 255.0, 0x4e / 255.0, 0x79 / 255.0},
        .accent = {0x9c / 255.0, 0x4a / 255.0, 0},
        .muted = {0x59 / 255.0, 0x59 / 255.0, 0x59 / 255.0},
        .background = {1, 1, 1},
        .label_size = 10,
        .title_size = 14,
    };
    return st;
}

static double dur(const char *s) {
    double lo, hi;
    char why[200];
    if (!hd_duration_parse(s, &lo, &hi, why, sizeof why))
        fail_msg("bad duration in test: %s", why);
    return lo;
}

static hd_lane lane(const char *label, const char *note, const char *onset, const char *lo, const char *hi,
                    const char *upto, int line) {
    hd_lane l = {label, note, onset ? dur(onset) : -1, dur(lo), dur(hi), upto ? dur(upto) : -1,
                 hd_pos_at("fig.yaml", line, 5)};
    return l;
}

/* The ketamine timeline of content/handouts/ketamine-relief. */
static hd_lane k_lanes[5];
static hd_marker k_markers[1];
static hd_phase k_phases[2];

static hd_figure ketamine(void) {
    k_lanes[0] = lane("One IV infusion", NULL, "10 minutes", "3 hours", "2 weeks", NULL, 30);
    k_lanes[1] = lane("IV infusions over several days", "4 to 10 days of infusions", NULL, "2 weeks", "6 weeks",
                      "3 months", 35);
    k_lanes[2] = lane("5-day low-dose plan (2025 study)", "More than 1,000 patients", NULL, "2 weeks",
                      "6 weeks", "6 months", 41);
    k_lanes[3] = lane("Ketamine by mouth", "Up to about 4 weeks after stopping", NULL, "1 day", "2 weeks",
                      "4 weeks", 48);
    k_lanes[4] = lane("Ketamine nose spray", NULL, NULL, "2 hours", "3 days", NULL, 54);
    k_markers[0] = (hd_marker){"Retreatment often every 4 to 6 weeks", 4 * HD_WEEK, 6 * HD_WEEK,
                               hd_pos_at("fig.yaml", 58, 5)};
    k_phases[0] = (hd_phase){"Chemical effects", HD_MINUTE, 2 * HD_WEEK, hd_pos_at("fig.yaml", 25, 5)};
    k_phases[1] = (hd_phase){"Nervous-system changes", 2 * HD_WEEK, 6 * HD_MONTH, hd_pos_at("fig.yaml", 26, 5)};
    hd_figure f = {
        .title = "How long pain relief can last",
        .caption = "Each bar shows the usual length of relief. Where a study found longer relief, the bar "
                   "goes on to the longest time reported. The time scale is stretched so that minutes and "
                   "months both fit. Results differ from person to person.",
        .alt = "A chart.",
        .source = "Based on the studies and reports listed under Sources at the end.",
        .axis_lo = HD_MINUTE,
        .axis_hi = HD_YEAR,
        .lanes = k_lanes,
        .nlanes = 5,
        .markers = k_markers,
        .nmarkers = 1,
        .phases = k_phases,
        .nphases = 2,
        .pos = hd_pos_at("fig.yaml", 1, 1),
    };
    return f;
}

/* ------------------------------------------------------------ axis */

static void test_axis_map(void **state) {
    (void)state;
    assert_float_equal(hd_axis_map(HD_MINUTE, HD_YEAR, 20, 480, HD_MINUTE), 20, 1e-9);
    assert_float_equal(hd_axis_map(HD_MINUTE, HD_YEAR, 20, 480, HD_YEAR), 480, 1e-9);
    /* 1 hour: ln(60) / ln(525960) = 0.3108138 of the way */
    assert_float_equal(hd_axis_map(HD_MINUTE, HD_YEAR, 0, 1000, HD_HOUR), 310.8138, 1e-3);
    assert_float_equal(hd_axis_map(HD_MINUTE, HD_YEAR, 20, 480, HD_HOUR), 20 + 460 * log(60) / log(525960),
                       1e-9);
    /* equal ratios are equal distances: 1 day to 1 week = 1 week to 7 weeks */
    double a = hd_axis_map(1, HD_YEAR, 0, 100, HD_DAY), b = hd_axis_map(1, HD_YEAR, 0, 100, HD_WEEK),
           c = hd_axis_map(1, HD_YEAR, 0, 100, 7 * HD_WEEK);
    assert_float_equal(b - a, c - b, 1e-9);
    /* the middle of a 1 minute to 100 minute axis is 10 minutes */
    assert_float_equal(hd_axis_map(1, 100, 0, 200, 10), 100, 1e-9);
    /* nonsense in: x0 out, never NaN */
    assert_float_equal(hd_axis_map(0, HD_YEAR, 5, 10, HD_DAY), 5, 0);
    assert_float_equal(hd_axis_map(10, 5, 5, 10, HD_DAY), 5, 0);
    assert_float_equal(hd_axis_map(1, 10, 5, 10, -3), 5, 0);
}

static void assert_ticks(double lo, double hi, const double *want, size_t n) {
    double t[32];
    size_t got = hd_axis_ticks(lo, hi, t, 32);
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++)
        assert_float_equal(t[i], want[i], 1e-6);
}

static void test_axis_ticks(void **state) {
    (void)state;
    const double year[] = {1, 10, HD_HOUR, HD_DAY, HD_WEEK, 2 * HD_WEEK, HD_MONTH, 3 * HD_MONTH, 6 * HD_MONTH,
                           HD_YEAR};
    assert_ticks(HD_MINUTE, HD_YEAR, year, 10);
    const double quarter[] = {10, HD_HOUR, HD_DAY, HD_WEEK, 2 * HD_WEEK, HD_MONTH, 3 * HD_MONTH};
    assert_ticks(10, 3 * HD_MONTH, quarter, 7);
    const double fortnight[] = {HD_DAY, HD_WEEK, 2 * HD_WEEK};
    assert_ticks(HD_DAY, 2 * HD_WEEK, fortnight, 3);
    /* one natural tick inside: the ends join it */
    const double days[] = {2 * HD_HOUR, HD_DAY, 3 * HD_DAY};
    assert_ticks(2 * HD_HOUR, 3 * HD_DAY, days, 3);
    /* none inside */
    const double hours[] = {2 * HD_HOUR, 20 * HD_HOUR};
    assert_ticks(2 * HD_HOUR, 20 * HD_HOUR, hours, 2);
    /* one natural tick at an end: no duplicate */
    const double hday[] = {HD_HOUR, 20 * HD_HOUR};
    assert_ticks(HD_HOUR, 20 * HD_HOUR, hday, 2);
    const double decade[] = {HD_YEAR, 2 * HD_YEAR, 5 * HD_YEAR, 10 * HD_YEAR};
    assert_ticks(6 * HD_MONTH + 1, 10 * HD_YEAR, decade, 4);
    /* max is respected */
    double t[3];
    assert_int_equal(hd_axis_ticks(HD_MINUTE, HD_YEAR, t, 3), 3);
    assert_float_equal(t[2], HD_HOUR, 1e-9);
}

static void test_ticks_thin(void **state) {
    (void)state;
    double t[32], w[32];
    size_t n = hd_axis_ticks(HD_MINUTE, HD_YEAR, t, 32);
    for (size_t i = 0; i < n; i++)
        w[i] = 40;
    /* 460 pt: 1 hour, 1 day, 1 week, 1 month, 1 year first; then 1 minute;
     * 10 min fits between 1 minute and 1 hour; 3 and 6 months do not. */
    size_t k = hd_axis_ticks_thin(HD_MINUTE, HD_YEAR, 20, 480, t, w, n, 10, 0, 500);
    const double want[] = {1, 10, HD_HOUR, HD_DAY, HD_WEEK, HD_MONTH, HD_YEAR};
    assert_int_equal(k, 7);
    for (size_t i = 0; i < k; i++)
        assert_float_equal(t[i], want[i], 1e-6);
    /* a narrow axis (200 pt): 1 hour at 82, 1 day at 130 (too close: its
     * box starts at 110, 8 pt after 1 hour's), 1 week at 160, 1 month at
     * 182 (too close to 1 week), 1 year at 220; then 1 minute at 20 fits,
     * 3 months at 199 and 10 minutes at 55 do not. */
    n = hd_axis_ticks(HD_MINUTE, HD_YEAR, t, 32);
    for (size_t i = 0; i < n; i++)
        w[i] = 40;
    k = hd_axis_ticks_thin(HD_MINUTE, HD_YEAR, 20, 220, t, w, n, 10, 0, 240);
    const double narrow[] = {1, HD_HOUR, HD_WEEK, HD_YEAR};
    assert_int_equal(k, 4);
    for (size_t i = 0; i < k; i++)
        assert_float_equal(t[i], narrow[i], 1e-6);
    /* the axis ends first: on 10 minutes to 3 months over 20..200, 10 min
     * (20) and 3 months (200) win over 1 hour (54) and 1 month (179); then
     * 1 day (114) fits, 1 week (151) and 2 weeks (164) do not */
    n = hd_axis_ticks(10, 3 * HD_MONTH, t, 32);
    for (size_t i = 0; i < n; i++)
        w[i] = 40;
    k = hd_axis_ticks_thin(10, 3 * HD_MONTH, 20, 200, t, w, n, 10, 0, 220);
    const double quarter[] = {10, HD_DAY, 3 * HD_MONTH};
    assert_int_equal(k, 3);
    for (size_t i = 0; i < k; i++)
        assert_float_equal(t[i], quarter[i], 1e-6);
    /* a label that would leave the bounds is dropped */
    n = hd_axis_ticks(HD_MINUTE, HD_YEAR, t, 32);
    for (size_t i = 0; i < n; i++)
        w[i] = 40;
    k = hd_axis_ticks_thin(HD_MINUTE, HD_YEAR, 0, 460, t, w, n, 10, 0, 460);
    assert_true(t[0] > HD_MINUTE);
    assert_true(t[k - 1] < HD_YEAR);
}

/* ---------------------------------------------------------- placer */

static void test_placer(void **state) {
    env *e = *state;
    hd_box a = {0, 0, 10, 10}, touch = {10, 0, 20, 10}, near = {12, 0, 20, 10}, over = {5, 5, 15, 15};
    hd_box below = {0, 12, 10, 20}; /* 2 pt under a */
    assert_false(hd_box_hits(a, touch, 0, 0));
    assert_true(hd_box_hits(a, touch, 1, 0));
    assert_false(hd_box_hits(a, near, 2, 0));
    assert_true(hd_box_hits(a, near, 2.5, 0));
    assert_true(hd_box_hits(a, over, 0, 0));
    assert_true(hd_box_hits(over, a, 0, 0));
    assert_false(hd_box_hits(a, below, 5, 2)); /* the gaps are per axis */
    assert_true(hd_box_hits(a, below, 0, 2.5));
    hd_placer p = {.width = 100};
    assert_true(hd_placer_fits(&p, a, 5, 5));
    hd_placer_add(e->a, &p, a);
    assert_false(hd_placer_fits(&p, over, 0, 0));
    assert_true(hd_placer_fits(&p, near, 1, 1));
    assert_false(hd_placer_fits(&p, near, 3, 0));
    assert_true(hd_placer_fits(&p, below, 3, 1));
    hd_box out_right = {95, 0, 101, 5}, out_left = {-1, 20, 5, 30}, out_top = {50, -1, 60, 5};
    assert_false(hd_placer_fits(&p, out_right, 0, 0));
    assert_false(hd_placer_fits(&p, out_left, 0, 0));
    assert_false(hd_placer_fits(&p, out_top, 0, 0));
    hd_box edge = {90, 0, 100, 5};
    assert_true(hd_placer_fits(&p, edge, 0, 0));
}

/* ---------------------------------------------------- the figure's ops */

typedef struct {
    hd_box box;
    char text[512];
} label;

static hd_box op_text_box(const env *e, const hd_op *op) {
    const hd_face *f = e->fs.face[op->face];
    hd_box b = {op->x, op->y - hd_face_ascent(f) * op->size / 1000.0, op->x + op->w,
                op->y - hd_face_descent(f) * op->size / 1000.0};
    return b;
}

/* Text ops that continue one another (same baseline, touching) are one label. */
static size_t labels_of(const env *e, const hd_oplist *ops, label *out, size_t max) {
    size_t n = 0;
    const hd_op *prev = NULL;
    for (size_t i = 0; i < ops->n; i++) {
        const hd_op *op = &ops->v[i];
        if (op->kind != HD_OP_TEXT)
            continue;
        hd_box b = op_text_box(e, op);
        if (prev && fabs(prev->y - op->y) < 1e-6 && fabs(prev->x + prev->w - op->x) < 1e-6) {
            label *l = &out[n - 1];
            l->box.x1 = b.x1;
            l->box.y0 = fmin(l->box.y0, b.y0);
            l->box.y1 = fmax(l->box.y1, b.y1);
            strncat(l->text, op->text, sizeof l->text - strlen(l->text) - 1);
        } else {
            assert_true(n < max);
            out[n].box = b;
            snprintf(out[n].text, sizeof out[n].text, "%s", op->text);
            n++;
        }
        prev = op;
    }
    return n;
}

/* Every text op on baseline y, joined in order (a line of the figure). */
static int drawn(const hd_oplist *ops, const char *want) {
    for (size_t i = 0; i < ops->n; i++) {
        if (ops->v[i].kind != HD_OP_TEXT)
            continue;
        char line[2048] = "";
        for (size_t k = 0; k < ops->n; k++)
            if (ops->v[k].kind == HD_OP_TEXT && fabs(ops->v[k].y - ops->v[i].y) < 1e-6)
                strncat(line, ops->v[k].text, sizeof line - strlen(line) - 1);
        if (strstr(line, want))
            return 1;
    }
    return 0;
}

static int is_bar(const hd_op *op, double label_size) {
    return op->kind == HD_OP_RECT && op->h <= 2 * label_size; /* bands are as tall as the plot */
}

/* The invariants of any laid-out figure. Returns the number of labels. */
static size_t check_invariants(const env *e, const hd_oplist *ops, double width, double height, double size) {
    static label labels[512];
    size_t n = labels_of(e, ops, labels, 512);
    assert_true(n > 0);
    for (size_t i = 0; i < ops->n; i++) {
        const hd_op *op = &ops->v[i];
        /* the drawing; the caption and source line are paragraphs of their
         * own (body, levels 1 and 2), a hyphen drawn at a soft hyphen there
         * decoration */
        assert_true(op->role == HD_ROLE_FIGURE || (op->role == HD_ROLE_BODY && (op->level == 1 || op->level == 2)) ||
                    (op->role == HD_ROLE_ARTIFACT && op->kind == HD_OP_TEXT && strcmp(op->text, "-") == 0));
        assert_int_not_equal(op->kind, HD_OP_IMAGE); /* pure vector */
        double x0 = fmin(op->x, op->x + op->w), x1 = fmax(op->x, op->x + op->w);
        double y0 = op->y, y1 = op->y + (op->kind == HD_OP_TEXT ? 0 : op->h);
        if (op->kind == HD_OP_LINE)
            y0 = fmin(op->y, op->y + op->h), y1 = fmax(op->y, op->y + op->h);
        if (x0 < -1e-6 || x1 > width + 1e-6 || y0 < -1e-6 || y1 > height + 1e-6)
            fail_msg("op %zu (kind %d) at %g,%g..%g,%g leaves the figure %gx%g", i, op->kind, x0, y0, x1, y1,
                     width, height);
        if (op->kind == HD_OP_TEXT) {
            assert_true(op->size >= 8);
            assert_true(op->size >= size - 1e-9);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const hd_box *b = &labels[i].box;
        if (b->x0 < -1e-6 || b->x1 > width + 1e-6 || b->y0 < -1e-6 || b->y1 > height + 1e-6)
            fail_msg("label \"%s\" leaves the figure", labels[i].text);
        for (size_t k = i + 1; k < n; k++)
            if (hd_box_hits(*b, labels[k].box, 0, 0))
                fail_msg("labels \"%s\" and \"%s\" overlap", labels[i].text, labels[k].text);
        for (size_t k = 0; k < ops->n; k++) {
            const hd_op *op = &ops->v[k];
            if (is_bar(op, size)) {
                hd_box r = {op->x, op->y, op->x + op->w, op->y + op->h};
                if (hd_box_hits(*b, r, 0, 0))
                    fail_msg("label \"%s\" overlaps a bar", labels[i].text);
            } else if (op->kind == HD_OP_LINE) {
                hd_box r = {fmin(op->x, op->x + op->w), fmin(op->y, op->y + op->h), fmax(op->x, op->x + op->w),
                            fmax(op->y, op->y + op->h)};
                if (r.x1 - r.x0 < 1e-9)
                    r.x1 += 1e-6; /* a vertical line still has a place */
                if (r.y1 - r.y0 < 1e-9)
                    r.y1 += 1e-6;
                if (hd_box_hits(*b, r, 0, 0))
                    fail_msg("line %zu crosses label \"%s\"", k, labels[i].text);
            }
        }
    }
    return n;
}

static void assert_all_drawn(const hd_oplist *ops, const hd_figure *f) {
    for (size_t i = 0; i < f->nlanes; i++) {
        if (!drawn(ops, f->lanes[i].label))
            fail_msg("lane label \"%s\" is not drawn", f->lanes[i].label);
        if (f->lanes[i].note && !drawn(ops, f->lanes[i].note))
            fail_msg("note \"%s\" is not drawn", f->lanes[i].note);
    }
    for (size_t i = 0; i < f->nmarkers; i++)
        if (!drawn(ops, f->markers[i].label))
            fail_msg("marker label \"%s\" is not drawn", f->markers[i].label);
    for (size_t i = 0; i < f->nphases; i++)
        if (!drawn(ops, f->phases[i].label))
            fail_msg("phase label \"%s\" is not drawn", f->phases[i].label);
    assert_true(drawn(ops, f->title));
}

/* The caption and source line: text a screen reader reads (not inside the
 * figure its alt text replaces), each one paragraph whose wrapped lines
 * read with a space between them. */
static void paragraph_text(const hd_oplist *ops, int level, char *out, size_t cap) {
    out[0] = 0;
    for (size_t i = 0; i < ops->n; i++) {
        const hd_op *op = &ops->v[i];
        if (op->kind != HD_OP_TEXT || op->role != HD_ROLE_BODY || op->level != level) continue;
        strncat(out, op->text, cap - strlen(out) - 1);
        if (op->space_after) strncat(out, " ", cap - strlen(out) - 1);
    }
}

static void test_caption_and_source_are_paragraphs(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h = -1;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 300, &ops, &h), HD_OK);
    char text[2048];
    paragraph_text(&ops, 1, text, sizeof text);
    assert_string_equal(text, f.caption); /* wrapped over several lines at 300 pt */
    paragraph_text(&ops, 2, text, sizeof text);
    assert_string_equal(text, f.source);
}

static void test_ketamine_figure(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h = -1;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_OK);
    assert_int_equal(e->d.n, 0);
    assert_true(h > 200 && h < 600);
    check_invariants(e, &ops, 468, h, 10);
    assert_all_drawn(&ops, &f);
    assert_true(drawn(&ops, "Typical range"));
    assert_true(drawn(&ops, "Reported up to"));
    assert_true(drawn(&ops, "Relief can start"));
    assert_true(drawn(&ops, "Based on the studies"));
    assert_true(drawn(&ops, "Each bar shows the usual length"));
    assert_true(drawn(&ops, "1 hour"));
    assert_true(drawn(&ops, "1 day"));
    assert_true(drawn(&ops, "1 week"));
    assert_true(drawn(&ops, "1 month"));
    assert_true(drawn(&ops, "1 year"));
    assert_true(drawn(&ops, "IV infusions over several days \xe2\x80\x93 4 to 10 days of infusions"));
    /* the title is bold, the source italic, lane labels bold */
    for (size_t i = 0; i < ops.n; i++) {
        const hd_op *op = &ops.v[i];
        if (op->kind == HD_OP_TEXT && strcmp(op->text, "How long pain relief can last") == 0)
            assert_int_equal(op->face, HD_F_BOLD), assert_float_equal(op->size, 14, 0);
        if (op->kind == HD_OP_TEXT && strcmp(op->text, "Ketamine nose spray") == 0)
            assert_int_equal(op->face, HD_F_BOLD);
        if (op->kind == HD_OP_TEXT && strstr(op->text, "Based on"))
            assert_int_equal(op->face, HD_F_ITAL);
    }
    /* typical and up-to differ in greyscale (lightness) and by a dashed outline */
    int typical = 0, upto = 0;
    for (size_t i = 0; i < ops.n; i++) {
        const hd_op *op = &ops.v[i];
        if (op->kind != HD_OP_RECT || !op->filled)
            continue;
        if (memcmp(&op->fill, &st.primary, sizeof st.primary) == 0)
            typical++;
        else if (op->stroked && op->dash > 0) {
            assert_true(hd_contrast_ratio(op->fill, st.primary) >= 3.0);
            assert_true(memcmp(&op->color, &st.primary, sizeof st.primary) == 0);
            upto++;
        }
    }
    assert_int_equal(typical, 5 + 1); /* five lanes and the legend */
    assert_int_equal(upto, 3 + 1);
    /* the 4-6 week marker: a dashed line at each end, down to the axis */
    double xs[2] = {0, 0}, bottom = 0;
    size_t nx = 0;
    for (size_t i = 0; i < ops.n; i++) {
        const hd_op *op = &ops.v[i];
        if (op->kind != HD_OP_LINE || op->dash <= 0 || op->w != 0)
            continue;
        if (nx < 2 && (nx == 0 || fabs(op->x - xs[0]) > 1e-6))
            xs[nx++] = op->x;
        bottom = fmax(bottom, op->y + op->h);
    }
    assert_int_equal(nx, 2);
    assert_float_equal(fabs(xs[1] - xs[0]), 416 * log(6.0 / 4.0) / log(HD_YEAR), 1.0); /* plot ~416 wide */
    double axis_y = 0; /* the axis: the lowest long horizontal line */
    for (size_t i = 0; i < ops.n; i++)
        if (ops.v[i].kind == HD_OP_LINE && ops.v[i].h == 0 && ops.v[i].w > 300)
            axis_y = fmax(axis_y, ops.v[i].y);
    assert_float_equal(axis_y, bottom, 1e-9);
    /* "Nervous-system changes" is wider than its band (2 weeks to 6 months):
     * it ends where the band ends, not past it */
    const hd_op *nsc = NULL, *band = NULL;
    for (size_t i = 0; i < ops.n; i++) {
        const hd_op *op = &ops.v[i];
        if (op->kind == HD_OP_TEXT && strcmp(op->text, "Nervous-system changes") == 0)
            nsc = op;
        if (op->kind == HD_OP_RECT && op->filled && !op->stroked && op->h > 100 && (!band || op->x > band->x))
            band = op; /* the phase bands run down the whole plot; the later one */
    }
    assert_non_null(nsc);
    assert_non_null(band);
    assert_true(nsc->w > band->w);
    assert_float_equal(nsc->x + nsc->w, band->x + band->w, 0.01);
    /* the phases' edges inside the plot are drawn as solid lines (the band
     * colours alone look alike in grey): at 2 weeks and at 6 months */
    int at_start = 0, at_end = 0;
    for (size_t i = 0; i < ops.n; i++) {
        const hd_op *op = &ops.v[i];
        if (op->kind != HD_OP_LINE || op->dash > 0 || op->w != 0 || op->h <= 0) continue;
        at_start += fabs(op->x - band->x) < 0.01;
        at_end += fabs(op->x - (band->x + band->w)) < 0.01;
    }
    assert_true(at_start >= 1);
    assert_true(at_end >= 1);
}

/* Twelve lanes with 60-character labels and notes, ranges touching both
 * ends of the axis, markers at both ends, overlapping phases. */
static hd_figure adversarial(env *e) {
    static const char *const tails[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot",
                                        "golf", "hotel", "india", "juliet", "kilo", "lima"};
    hd_lane *ln = hd_allocn(e->a, 12, sizeof *ln);
    for (int i = 0; i < 12; i++) {
        char *s = hd_sprintf(e->a, "Lane %s with a very long label that keeps going on and on", tails[i]);
        s[60] = '\0';
        char *note = i % 3 == 0 ? NULL : hd_sprintf(e->a, "note %d: ten to twenty words long, to wrap", i);
        ln[i] = (hd_lane){s, note, i % 2 ? HD_MINUTE : -1, i % 4 == 0 ? HD_MINUTE : HD_HOUR * (i + 1),
                          i % 4 == 1 ? HD_YEAR : HD_WEEK * (i + 1), i % 2 ? HD_YEAR : -1,
                          hd_pos_at("adv.yaml", 10 + i, 5)};
    }
    hd_marker *m = hd_allocn(e->a, 5, sizeof *m);
    m[0] = (hd_marker){"At the very start of the axis", HD_MINUTE, HD_MINUTE, hd_pos_at("adv.yaml", 40, 5)};
    m[1] = (hd_marker){"At the very end of the axis", HD_YEAR, HD_YEAR, hd_pos_at("adv.yaml", 41, 5)};
    m[2] = (hd_marker){"The whole axis as a span", HD_MINUTE, HD_YEAR, hd_pos_at("adv.yaml", 42, 5)};
    m[3] = (hd_marker){"One day", HD_DAY, HD_DAY, hd_pos_at("adv.yaml", 43, 5)};
    m[4] = (hd_marker){"A marker label in the middle that is really quite long indeed", HD_WEEK, HD_WEEK,
                       hd_pos_at("adv.yaml", 44, 5)};
    hd_phase *p = hd_allocn(e->a, 3, sizeof *p);
    p[0] = (hd_phase){"Chemical effects of the medicine", HD_MINUTE, HD_YEAR, hd_pos_at("adv.yaml", 50, 5)};
    p[1] = (hd_phase){"Nervous-system changes", HD_MINUTE, HD_HOUR, hd_pos_at("adv.yaml", 51, 5)};
    p[2] = (hd_phase){"Late", 6 * HD_MONTH, HD_YEAR, hd_pos_at("adv.yaml", 52, 5)};
    hd_figure f = {
        .title = "A title long enough that it has to wrap onto a second line when the figure is narrow",
        .caption = "A caption.",
        .alt = "Alt.",
        .axis_lo = HD_MINUTE,
        .axis_hi = HD_YEAR,
        .lanes = ln,
        .nlanes = 12,
        .markers = m,
        .nmarkers = 5,
        .phases = p,
        .nphases = 3,
        .pos = hd_pos_at("adv.yaml", 1, 1),
    };
    return f;
}

static void test_adversarial(void **state) {
    env *e = *state;
    hd_figure f = adversarial(e);
    const double widths[] = {360, 432, 468, 504};
    const double sizes[] = {8, 10, 14};
    for (size_t wi = 0; wi < 4; wi++) {
        for (size_t si = 0; si < 3; si++) {
            if (widths[wi] < 400 && sizes[si] > 10)
                continue; /* the 61-character marker label is wider than the figure */
            hd_figure_style st = style();
            st.label_size = sizes[si];
            st.title_size = sizes[si] * 1.4;
            hd_oplist ops = {0};
            double h = -1;
            hd_status s = hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, widths[wi], &ops, &h);
            if (s != HD_OK) {
                char msg[512];
                hd_diag_format(&e->d.v[0], msg, sizeof msg);
                fail_msg("width %g size %g: %s", widths[wi], sizes[si], msg);
            }
            size_t n = check_invariants(e, &ops, widths[wi], h, sizes[si]);
            assert_true(n > 12 + 5 + 3);
            for (size_t i = 0; i < f.nlanes; i++) /* the labels fit on one line at 10 pt */
                if (sizes[si] <= 10 && !drawn(&ops, f.lanes[i].label))
                    fail_msg("lane label \"%s\" is not drawn", f.lanes[i].label);
            for (size_t i = 0; i < f.nmarkers; i++)
                assert_true(drawn(&ops, f.markers[i].label));
            for (size_t i = 0; i < f.nphases; i++)
                assert_true(drawn(&ops, f.phases[i].label));
        }
    }
}

/* The figure at a page's text width for Letter and A4, standard and large
 * print, stays on one page: its height is less than the text height. */
static void test_fits_page(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h;
    /* A4 with 0.8 in margins: 595 - 115 = 480 pt wide, 842 - 108 = 734 high */
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 480, &ops, &h), HD_OK);
    assert_true(h < 734);
    /* large print on Letter: 14 pt labels, 612 - 108 = 504 pt wide, 792 - 101 high */
    st.label_size = 14;
    st.title_size = 20;
    ops.n = 0;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 504, &ops, &h), HD_OK);
    assert_true(h < 691);
    check_invariants(e, &ops, 504, h, 14);
    assert_all_drawn(&ops, &f);
}

/* Too tall for the page: one-line labels move beside their bars. */
static void test_compact(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    hd_figure_style st = style();
    st.label_size = 14;
    st.title_size = 20;
    hd_oplist ops = {0};
    double tall, h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 504, &ops, &tall), HD_OK);
    st.max_height = tall - 1;
    hd_oplist small = {0};
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 504, &small, &h), HD_OK);
    assert_true(h <= tall - 1);
    check_invariants(e, &small, 504, h, 14);
    assert_all_drawn(&small, &f);
    /* "Ketamine nose spray" went left of its bar (from 2 hours), on the
     * bar's row; "One IV infusion" (from 10 minutes) right of its bar */
    const hd_op *nose = NULL, *one = NULL;
    for (size_t i = 0; i < small.n; i++) {
        if (small.v[i].kind == HD_OP_TEXT && strcmp(small.v[i].text, "Ketamine nose spray") == 0)
            nose = &small.v[i];
        if (small.v[i].kind == HD_OP_TEXT && strcmp(small.v[i].text, "One IV infusion") == 0)
            one = &small.v[i];
    }
    assert_non_null(nose);
    assert_non_null(one);
    assert_float_equal(nose->x, 0, 0);
    double x2h = hd_axis_map(HD_MINUTE, HD_YEAR, 0, 504, 2 * HD_HOUR); /* about, the plot is inset */
    assert_true(nose->w < x2h);
    double x2w = hd_axis_map(HD_MINUTE, HD_YEAR, 0, 504, 2 * HD_WEEK);
    assert_true(one->x > x2w - 20);
    int beside_bar = 0;
    for (size_t i = 0; i < small.n; i++) { /* a bar whose row holds the label's baseline */
        const hd_op *r = &small.v[i];
        if (r->kind == HD_OP_RECT && r->h < 20 && r->x + r->w <= one->x && one->y > r->y - 5 &&
            one->y < r->y + r->h + 5)
            beside_bar = 1;
    }
    assert_true(beside_bar);
    /* when even that is too tall: an error that says what to do */
    st.max_height = 200;
    small.n = 0;
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 504, &small, &h), HD_ERR_CONTENT);
    char msg[512];
    hd_diag_format(&e->d.v[0], msg, sizeof msg);
    assert_string_equal(msg, "fig.yaml:1:1: error: the figure is 407 pt tall but a page has room for 200 pt, "
                             "even with labels beside the bars; use fewer lanes, shorter notes or a shorter "
                             "caption");
    assert_int_equal(small.n, 0);
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
    /* a limit the normal layout meets changes nothing */
    st.max_height = tall;
    small.n = 0;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 504, &small, &h), HD_OK);
    assert_float_equal(h, tall, 0);
    assert_int_equal(small.n, ops.n);
}

static void test_wraps_label(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    hd_lane ln[1];
    ln[0] = lane("A label that is long enough to need two lines in a narrow figure of three hundred points",
                 "and a note", NULL, "1 hour", "1 day", NULL, 7);
    f.lanes = ln;
    f.nlanes = 1;
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 300, &ops, &h), HD_OK);
    check_invariants(e, &ops, 300, h, 10);
    assert_true(drawn(&ops, "A label that is long enough"));
    assert_true(drawn(&ops, "three hundred points"));
}

/* A caption with soft hyphens: one breaks a line with a hyphen drawn at
 * its end; none is drawn elsewhere, nor any invisible character. */
static void test_caption_soft_hyphens(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    char cap[2048] = "";
    for (int i = 0; i < 12; i++) strcat(cap, "in\xC2\xAD" "com\xC2\xAD" "pre\xC2\xAD" "hen\xC2\xAD" "si\xC2\xAD" "ble\xE2\x81\xA0 ");
    f.caption = cap;
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 300, &ops, &h), HD_OK);
    check_invariants(e, &ops, 300, h, 10);
    int hyphens = 0;
    for (size_t i = 0; i < ops.n; i++) {
        const hd_op *op = &ops.v[i];
        if (op->kind != HD_OP_TEXT) continue;
        assert_null(strstr(op->text, "\xC2\xAD"));
        assert_null(strstr(op->text, "\xE2\x81\xA0"));
        if (strcmp(op->text, "-")) continue;
        hyphens++; /* right after a caption fragment, on its line, the last op there */
        assert_true(i > 0 && ops.v[i - 1].y == op->y && fabs(ops.v[i - 1].x + ops.v[i - 1].w - op->x) < 1e-9);
        for (size_t j = i + 1; j < ops.n; j++) assert_false(ops.v[j].kind == HD_OP_TEXT && ops.v[j].y == op->y);
    }
    assert_true(hyphens >= 1);
}

static void assert_error(env *e, const hd_figure *f, double width, const char *want) {
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h = -1;
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
    assert_int_equal(hd_figure_layout(e->a, &e->d, f, &e->fs, &st, width, &ops, &h), HD_ERR_CONTENT);
    assert_true(e->d.n >= 1);
    char msg[1024];
    hd_diag_format(&e->d.v[0], msg, sizeof msg);
    assert_string_equal(msg, want);
    assert_int_equal(ops.n, 0);
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
}

static void test_label_too_long(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    char *lb = hd_sprintf(e->a, "%s", "Pain relief after a long series of ketamine infusions given in hospital");
    f.lanes[1].label = hd_sprintf(e->a, "%s %s %s", lb, lb, lb);
    assert_error(e, &f, 300,
                 "fig.yaml:35:5: error: the label \"Pain relief after a long series of ketam...\" is too "
                 "long to fit in the figure, even on two lines; shorten it to at most about 113 characters");
    f = ketamine();
    f.lanes[2].note = hd_sprintf(e->a, "%s %s %s %s", lb, lb, lb, lb);
    assert_error(e, &f, 468,
                 "fig.yaml:41:5: error: the note \"Pain relief after a long series of ketam...\" of \"5-day "
                 "low-dose plan (2025 study)\" is too long to fit in the figure; shorten it to at most about "
                 "248 characters");
    f = ketamine();
    f.markers[0].label = hd_sprintf(e->a, "%s %s", lb, lb);
    assert_error(e, &f, 468,
                 "fig.yaml:58:5: error: the marker label \"Pain relief after a long series of ketam...\" is too "
                 "long to fit in the figure (638 pt wide, the figure is 468 pt); shorten it to at most about "
                 "94 characters");
    f = ketamine();
    f.phases[1].label = hd_sprintf(e->a, "%s %s", lb, lb);
    assert_error(e, &f, 468,
                 "fig.yaml:26:5: error: the phase label \"Pain relief after a long series of ketam...\" is too "
                 "long to fit in the figure (638 pt wide, the figure is 468 pt); shorten it to at most about "
                 "94 characters");
}

static void test_data_errors(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    f.nlanes = 0;
    assert_error(e, &f, 468,
                 "fig.yaml:1:1: error: the figure has no lanes; add at least one under lanes: (a label and a "
                 "typical range)");
    f = ketamine();
    f.lanes[3].typ_hi = 2 * HD_YEAR;
    assert_error(e, &f, 468,
                 "fig.yaml:48:5: error: the end of the typical range of \"Ketamine by mouth\" (2 years) is "
                 "outside the axis (1 minute to 1 year); widen the axis or change the value");
    f = ketamine();
    f.lanes[0].onset = 0.5;
    assert_error(e, &f, 468,
                 "fig.yaml:30:5: error: the onset of \"One IV infusion\" (0.5 minutes) is outside the axis "
                 "(1 minute to 1 year); widen the axis or change the value");
    f = ketamine();
    f.lanes[1].typ_lo = 8 * HD_WEEK;
    assert_error(e, &f, 468,
                 "fig.yaml:35:5: error: the typical range of \"IV infusions over several days\" ends (6 weeks) "
                 "before it starts (8 weeks); write the shorter time first");
    f = ketamine();
    f.lanes[4].typ_lo = f.lanes[4].typ_hi;
    assert_error(e, &f, 468,
                 "fig.yaml:54:5: error: the typical range of \"Ketamine nose spray\" has no length (3 days to 3 "
                 "days): its bar would be an almost invisible tick; give a range, or show one point in time as a "
                 "marker");
    f = ketamine();
    f.lanes[4].label = f.lanes[3].label;
    f.lanes[4].note = f.lanes[3].note;
    assert_error(e, &f, 468,
                 "fig.yaml:54:5: error: two lanes are labelled \"Ketamine by mouth\" with the same note; give each "
                 "lane its own label or note, or remove the copy");
    f = ketamine();
    f.lanes[1].upto = 4 * HD_WEEK;
    assert_error(e, &f, 468,
                 "fig.yaml:35:5: error: 'up-to' of \"IV infusions over several days\" (4 weeks) is shorter "
                 "than the end of its typical range (6 weeks); up-to must be at least as long");
    f = ketamine();
    f.lanes[4].onset = HD_MONTH;
    assert_error(e, &f, 468,
                 "fig.yaml:54:5: error: the onset of \"Ketamine nose spray\" (1 month) is after the end of its "
                 "typical range (3 days); relief must start before it ends");
    f = ketamine();
    f.markers[0].hi = 2 * HD_YEAR;
    assert_error(e, &f, 468,
                 "fig.yaml:58:5: error: the end of the marker of \"Retreatment often every 4 to 6 weeks\" (2 "
                 "years) is outside the axis (1 minute to 1 year); widen the axis or change the value");
    f = ketamine();
    f.phases[0].lo = 3 * HD_WEEK;
    assert_error(e, &f, 468,
                 "fig.yaml:25:5: error: the phase of \"Chemical effects\" ends (2 weeks) before it starts (3 "
                 "weeks); write the shorter time first");
    f = ketamine();
    f.axis_lo = 2 * HD_YEAR;
    assert_error(e, &f, 468,
                 "fig.yaml:1:1: error: the axis ends (1 year) before it starts (2 years); write from: the "
                 "shorter time and to: the longer");
    f = ketamine();
    hd_lane many[13];
    for (int i = 0; i < 13; i++)
        many[i] = k_lanes[0];
    f.lanes = many;
    f.nlanes = 13;
    assert_error(e, &f, 468,
                 "fig.yaml:1:1: error: the figure has 13 lanes but at most 12 fit; remove some or split it "
                 "into two figures");
    f = ketamine();
    f.lanes[0].label = "";
    assert_error(e, &f, 468, "fig.yaml:30:5: error: lane 1 has no label; every lane needs one");
    f = ketamine();
    f.markers[0].label = NULL;
    assert_error(e, &f, 468, "fig.yaml:58:5: error: marker 1 has no label; every marker needs one");
    f = ketamine();
    f.phases[1].label = "";
    assert_error(e, &f, 468, "fig.yaml:26:5: error: phase 2 has no label; every phase needs one");
    f = ketamine();
    assert_error(e, &f, 120,
                 "fig.yaml:1:1: error: the page's text column (120 pt) is too narrow for the figure, which "
                 "needs at least 160 pt; use smaller margins");
}

static void test_every_error_reported(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    f.lanes[0].typ_hi = 2 * HD_YEAR;
    f.lanes[2].upto = HD_DAY;
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_ERR_CONTENT);
    assert_int_equal(e->d.errors, 2);
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
}

static void test_colour_errors(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    hd_figure_style st = style();
    st.text = (hd_rgb){0.6, 0.6, 0.6};
    hd_oplist ops = {0};
    double h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_ERR_CONTENT);
    char msg[512];
    hd_diag_format(&e->d.v[0], msg, sizeof msg);
    assert_string_equal(msg, "fig.yaml:1:1: error: the figure's text colour #999999 has a contrast of only "
                             "2.8:1 against the background #ffffff; text needs at least 4.5:1 (choose a darker "
                             "text colour in the clinic profile or template)");
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
    /* dark enough on white, not on the phase bands */
    st.text = (hd_rgb){0.45, 0.45, 0.45};
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_ERR_CONTENT);
    hd_diag_format(&e->d.v[0], msg, sizeof msg);
    assert_string_equal(msg, "fig.yaml:1:1: error: the figure's text colour #737373 has a contrast of only "
                             "4.1:1 against the phase band colour #eeeeee; text needs at least 4.5:1 (choose "
                             "a darker text colour in the clinic profile or template)");
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
    st = style();
    st.primary = (hd_rgb){0.8, 0.85, 1.0};
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_ERR_CONTENT);
    hd_diag_format(&e->d.v[0], msg, sizeof msg);
    assert_string_equal(msg, "fig.yaml:1:1: error: the primary colour #ccd9ff is too light for the figure's "
                             "bars (contrast 1.4:1 against the background #ffffff; bars need at least 3:1); "
                             "choose a darker primary colour");
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
    /* a mid-tone primary still gets an up-to tint 3:1 apart from it */
    st.primary = (hd_rgb){0.35, 0.45, 0.6};
    ops.n = 0;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_OK);
    int upto = 0;
    for (size_t i = 0; i < ops.n; i++)
        if (ops.v[i].kind == HD_OP_RECT && ops.v[i].dash > 0) {
            assert_true(hd_contrast_ratio(ops.v[i].fill, st.primary) >= 3.0);
            upto++;
        }
    assert_true(upto > 0);
}

static void test_missing_glyph(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    f.lanes[4].label = "Nose spray \xe4\xb8\xad";
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_ERR_CONTENT);
    char msg[512];
    hd_diag_format(&e->d.v[0], msg, sizeof msg);
    assert_string_equal(msg, "fig.yaml:54:5: error: the character '\xe4\xb8\xad' (U+4E2D) in \"Nose spray "
                             "\xe4\xb8\xad\" is in no font this handout uses (Noto Sans, or DejaVu Sans as "
                             "fallback); replace it or pick a font family that has it");
    hd_diags_free(&e->d);
    hd_diags_init(&e->d);
}

static void test_spanish(void **state) {
    env *e = *state;
    hd_figure f = ketamine();
    hd_figure_style st = style();
    st.lang = "es";
    hd_oplist ops = {0};
    double h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_OK);
    assert_true(drawn(&ops, "Rango típico"));
    assert_true(drawn(&ops, "Se ha visto hasta"));
    assert_true(drawn(&ops, "1 hora"));
    assert_true(drawn(&ops, "1 año"));
    assert_false(drawn(&ops, "1 hour"));
}

/* A figure with nothing optional: no onset, up-to, marker, phase, caption. */
static void test_minimal(void **state) {
    env *e = *state;
    hd_lane ln[1];
    ln[0] = lane("Only lane", NULL, NULL, "2 hours", "6 hours", NULL, 3);
    hd_figure f = {.title = "T", .alt = "A", .axis_lo = HD_HOUR, .axis_hi = HD_DAY, .lanes = ln, .nlanes = 1,
                   .pos = hd_pos_at("m.yaml", 1, 1)};
    hd_figure_style st = style();
    hd_oplist ops = {0};
    double h;
    assert_int_equal(hd_figure_layout(e->a, &e->d, &f, &e->fs, &st, 468, &ops, &h), HD_OK);
    check_invariants(e, &ops, 468, h, 10);
    assert_true(drawn(&ops, "Typical range"));
    assert_false(drawn(&ops, "Reported up to"));
    assert_false(drawn(&ops, "Relief can start"));
    assert_true(drawn(&ops, "1 hour"));
    assert_true(drawn(&ops, "1 day"));
    /* a single value is still a visible bar */
    int bars = 0;
    for (size_t i = 0; i < ops.n; i++)
        if (ops.v[i].kind == HD_OP_RECT && ops.v[i].w >= 3 && ops.v[i].h < 20)
            bars++;
    assert_int_equal(bars, 2); /* the bar and the legend swatch */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_axis_map),
        cmocka_unit_test(test_axis_ticks),
        cmocka_unit_test(test_ticks_thin),
        cmocka_unit_test(test_placer),
        cmocka_unit_test(test_caption_and_source_are_paragraphs),
        cmocka_unit_test(test_ketamine_figure),
        cmocka_unit_test(test_adversarial),
        cmocka_unit_test(test_fits_page),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_wraps_label),
        cmocka_unit_test(test_label_too_long),
        cmocka_unit_test(test_data_errors),
        cmocka_unit_test(test_every_error_reported),
        cmocka_unit_test(test_colour_errors),
        cmocka_unit_test(test_missing_glyph),
        cmocka_unit_test(test_spanish),
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_caption_soft_hyphens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
