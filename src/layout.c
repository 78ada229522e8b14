/* layout.c: the document model to positioned pages (see layout.h).
 *
 * Owns: line breaking, font fallback per character, the vertical flow of
 * blocks into "chunks" (a line, a heading, a box) with keep-together rules,
 * pagination, the title block, the safety box on page 1, header and footer.
 *
 * The flow works in two steps. First every block becomes a list of chunks
 * whose ops are relative to the chunk's top (flow_*). Then paginate() puts
 * chunks on pages: a chunk marked keep_next moves with the one after it (a
 * heading with the first lines of its paragraph, the first two and last two
 * lines of a paragraph together), and a box is one chunk, never split.
 */
#include "layout.h"

#include <math.h>
#include <string.h>

#include "figure.h"
#include "fsutil.h"
#include "qr.h"

/* ---------------------------------------------------------------- ops */

hd_op *hd_oplist_push(hd_arena *a, hd_oplist *l) {
    return HD_PUSH(a, l->v, l->n, l->cap);
}

/* ---------------------------------------------------------- measuring */

/* The face that draws a code point in a style (hd_fontset_pick) and its
 * advance, remembered for one layout: every text is checked, measured and
 * split by face in turn, and most of it is the same few dozen characters.
 * One direct-mapped table per style face: a code point below 256 has its
 * own entry; others share the entries of the C0 and C1 control characters,
 * which text hardly ever has. The tables are in the document's arena. */
typedef struct {
    unsigned tag; /* code point + 1; 0: empty */
    int face;     /* slot that draws it, or -1 */
    double adv;   /* advance in 1/1000 em in that slot (0 when none has it) */
} pick_memo;

enum { PICK_MEMO = 256 };

typedef struct {
    hd_arena *a; /* NULL: remember nothing */
    const hd_fontset *fs;
    pick_memo *memo[HD_NFACES];
    /* set by text_width and word_width when a code point they measured has
     * no face, or may have none (measured without a memo); never cleared
     * here: flow_text checks the text only when it is set */
    int no_face;
} measurer;

/* The next code point of NUL-terminated UTF-8, as hd_utf8_next. */
static inline unsigned next_cp(const char **p) {
    unsigned char c = (unsigned char)**p;
    if (c < 0x80) {
        ++*p;
        return c;
    }
    return hd_utf8_next(p);
}

static int pick_adv_now(const hd_fontset *fs, int face, unsigned cp, double *adv) {
    int f = hd_fontset_pick(fs, face, cp);
    *adv = f >= 0 && !hd_invisible(cp) ? hd_face_advance(fs->face[f], cp) : 0;
    return f;
}

/* The memo of a style face, or NULL: nothing is remembered. */
static pick_memo *memo_for(measurer *m, int face) {
    if (!m->a || face < 0 || face >= HD_NFACES) return NULL;
    if (!m->memo[face]) m->memo[face] = hd_allocn(m->a, PICK_MEMO, sizeof(pick_memo));
    return m->memo[face];
}

/* hd_fontset_pick, and the advance of cp in the slot picked; t is the memo
 * of `face` (or NULL). */
static inline int pick_adv(const hd_fontset *fs, pick_memo *t, int face, unsigned cp, double *adv) {
    if (!t) return pick_adv_now(fs, face, cp, adv);
    unsigned i = cp;
    if (cp >= 256) {
        unsigned h = (cp * 2654435761u) >> 26; /* 0..63 */
        i = h < 32 ? h : h + 96;
    }
    pick_memo *e = &t[i];
    if (e->tag != cp + 1) {
        e->face = pick_adv_now(fs, face, cp, &e->adv);
        e->tag = cp + 1;
    }
    *adv = e->adv;
    return e->face;
}

/* hd_fontset_text_width: the same sum, in the same order. */
static double text_width(measurer *m, int face, const char *s, size_t len, double size) {
    pick_memo *t = memo_for(m, face);
    if (!t) {
        m->no_face = 1;
        return hd_fontset_text_width(m->fs, face, s, len, size);
    }
    const char *p = s, *end = s + len;
    double sum = 0, adv;
    while (p < end) {
        if (pick_adv(m->fs, t, face, next_cp(&p), &adv) < 0) m->no_face = 1;
        sum += adv;
    }
    return sum * size / 1000.0;
}

static int is_break_space(char c) {
    return c == ' ' || c == '\n' || c == '\t';
}

/* The length in bytes of a soft hyphen (U+00AD) or zero-width space
 * (U+200B) at p, the invisible characters a line may break at
 * (hd_invisible); 0 if p has neither. */
static inline size_t soft_break_len(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] < 0xC2) return 0; /* ASCII: one test */
    if (u[0] == 0xC2) return u[1] == 0xAD ? 2 : 0;
    if (u[0] == 0xE2) return u[1] == 0x80 && u[2] == 0x8B ? 3 : 0;
    return 0;
}

/* The width of the word at s, up to a space, newline, tab, soft hyphen,
 * zero-width space or the end of the text, into *w (as text_width);
 * returns its length in bytes. */
static size_t word_width(measurer *m, int face, const char *s, double size, double *w) {
    pick_memo *t = memo_for(m, face);
    const char *p = s;
    if (!t) {
        while (*p && !is_break_space(*p) && !soft_break_len(p)) p++;
        *w = hd_fontset_text_width(m->fs, face, s, (size_t)(p - s), size);
        m->no_face = 1;
        return (size_t)(p - s);
    }
    double sum = 0, adv;
    while (*p && !is_break_space(*p) && !soft_break_len(p)) {
        if (pick_adv(m->fs, t, face, next_cp(&p), &adv) < 0) m->no_face = 1;
        sum += adv;
    }
    *w = sum * size / 1000.0;
    return (size_t)(p - s);
}

static unsigned text_check(measurer *m, int face, const char *s, size_t len, size_t *byte_off) {
    pick_memo *t = memo_for(m, face);
    const char *p = s, *end = s + len;
    double adv;
    while (p < end) {
        const char *at = p;
        unsigned cp = next_cp(&p);
        if (cp == '\n' || cp == '\t') continue;
        if ((t ? pick_adv(m->fs, t, face, cp, &adv) : hd_fontset_pick(m->fs, face, cp)) < 0) {
            if (byte_off) *byte_off = (size_t)(at - s);
            return cp;
        }
    }
    return 0;
}

unsigned hd_text_check(const hd_fontset *fs, int face, const char *s, size_t len, size_t *byte_off) {
    measurer m = {.fs = fs};
    return text_check(&m, face, s, len, byte_off);
}

static int invisible(unsigned cp) {
    return cp >= 0xAD && hd_invisible(cp);
}

/* hd_emit_text; a run's width is hd_face_text_width of its face: the
 * advances picked (a character no face has adds 0 either way), summed in
 * the same order. Invisible characters (hd_invisible) are left out of the
 * ops' text: they go with the run they are in and draw nothing. */
static double emit_text(measurer *m, hd_arena *a, hd_oplist *l, int face, double size, hd_rgb color, double x,
                        double y, const char *s, size_t len, hd_role role) {
    pick_memo *t = memo_for(m, face);
    const char *p = s, *end = s + len;
    double total = 0;
    while (p < end) {
        const char *run = p;
        double sum;
        unsigned cp = next_cp(&p);
        if (invisible(cp)) continue;
        int f = pick_adv(m->fs, t, face, cp, &sum);
        if (f < 0) f = face;
        int hidden = 0; /* the run has invisible characters */
        /* extend the run while the same face draws the characters */
        while (p < end) {
            const char *r = p;
            double adv;
            unsigned c2 = next_cp(&r);
            if (invisible(c2)) {
                hidden = 1;
                p = r;
                continue;
            }
            int f2 = pick_adv(m->fs, t, face, c2, &adv);
            if (f2 < 0) f2 = face;
            if (f2 != f) break;
            sum += adv;
            p = r;
        }
        double w = sum * size / 1000.0;
        hd_op *op = hd_oplist_push(a, l);
        op->kind = HD_OP_TEXT;
        op->x = x + total;
        op->y = y;
        op->w = w;
        op->h = size;
        op->size = size;
        op->face = f;
        op->color = color;
        op->text = hidden ? hd_strip_invisible(a, run, (size_t)(p - run)) : hd_strndup(a, run, (size_t)(p - run));
        op->role = role;
        total += w;
    }
    return total;
}

double hd_emit_text(hd_arena *a, hd_oplist *l, const hd_fontset *fs, int face, double size, hd_rgb color, double x,
                    double y, const char *s, size_t len, hd_role role) {
    measurer m = {.fs = fs};
    return emit_text(&m, a, l, face, size, color, x, y, s, len, role);
}

/* ------------------------------------------------------ line breaking */

static int style_face(int base, unsigned style) {
    int bold = (style & HD_ST_BOLD) || base == HD_F_BOLD || base == HD_F_BOLDITAL;
    int ital = (style & HD_ST_ITALIC) || base == HD_F_ITAL || base == HD_F_BOLDITAL;
    if ((style & HD_ST_MONO) || base == HD_F_MONO || base == HD_F_MONOBOLD) return bold ? HD_F_MONOBOLD : HD_F_MONO;
    if (bold && ital) return HD_F_BOLDITAL;
    if (bold) return HD_F_BOLD;
    if (ital) return HD_F_ITAL;
    return HD_F_REG;
}

typedef struct {
    size_t span, off;
} cursor;

/* A soft hyphen in the word being placed: where a line may end, with a
 * hyphen drawn. */
typedef struct {
    cursor at;  /* just after it: the end of one line, the start of the next */
    double w;   /* the word's width up to it */
    double hyw; /* the hyphen's width in its span's face */
} shy_point;

typedef struct {
    hd_arena *a;
    measurer *m;
    const hd_span *spans;
    size_t nspans;
    int base;
    double size, width;
    hd_line *lines;
    size_t nlines, cap;
    /* the line being built */
    int open;
    cursor start, end;
    double w;
    /* the soft hyphens of the word being read */
    shy_point *shy;
    size_t nshy, shy_cap;
} breaker;

static double piece_width(breaker *b, size_t span, size_t off, size_t len) {
    int f = style_face(b->base, b->spans[span].style);
    return text_width(b->m, f, b->spans[span].text + off, len, b->size);
}

static hd_line *finish_line(breaker *b, int hard) {
    hd_line *l = HD_PUSH(b->a, b->lines, b->nlines, b->cap);
    l->first_span = b->start.span;
    l->first_off = b->start.off;
    l->last_span = b->end.span;
    l->last_off = b->end.off;
    l->width = b->w;
    l->hard_break = hard;
    b->open = 0;
    b->w = 0;
    return l;
}

/* A word: pieces from (s0,o0) to (s1,o1) exclusive, with no space inside;
 * what is left of it once lines have ended at its soft hyphens. */
typedef struct {
    cursor from, to;
    double w;        /* width from `from` to `to` */
    double before;   /* width of the part already placed (w of shy_point) */
    size_t shy0, shy1; /* its soft hyphens after `from`: b->shy[shy0..shy1) */
} word;

/* Place a word wider than the line: split it between characters. */
static void place_long_word(breaker *b, word wd) {
    cursor c = wd.from;
    if (!b->open) {
        b->open = 1;
        b->start = c;
        b->end = c;
        b->w = 0;
    }
    while (c.span < wd.to.span || (c.span == wd.to.span && c.off < wd.to.off)) {
        const hd_span *sp = &b->spans[c.span];
        size_t stop = c.span == wd.to.span ? wd.to.off : strlen(sp->text);
        if (c.off >= stop) {
            c.span++;
            c.off = 0;
            continue;
        }
        const char *p = sp->text + c.off;
        hd_utf8_next(&p);
        size_t clen = (size_t)(p - (sp->text + c.off));
        double cw = piece_width(b, c.span, c.off, clen);
        if (b->w + cw > b->width && b->w > 0) {
            finish_line(b, 0)->split_word = 1;
            b->open = 1;
            b->start = c;
            b->end = c;
        }
        b->w += cw;
        c.off += clen;
        b->end = c;
    }
}

/* Place a word after space_w of space (0 at a zero-width space: at_space
 * says whether the gap before it has a real space). A word that does not
 * fit on the line is broken at its last soft hyphen where the first part
 * and a hyphen fit; else it starts the next line; a word wider than a
 * whole line, with no soft hyphen that helps, is split between
 * characters. */
static void place_word(breaker *b, word wd, double space_w, int at_space) {
    for (;;) {
        if (b->open ? b->w + space_w + wd.w <= b->width + 0.001 : wd.w <= b->width) {
            if (!b->open) {
                b->open = 1;
                b->start = wd.from;
                space_w = 0;
            }
            b->w += space_w + wd.w;
            b->end = wd.to;
            return;
        }
        double lead = b->open ? b->w + space_w : 0;
        size_t k = wd.shy1;
        for (; k > wd.shy0; k--) {
            const shy_point *h = &b->shy[k - 1];
            double part = h->w - wd.before;
            /* a part on each side: not at the word's start or end */
            if (part > 0 && part < wd.w && lead + part + h->hyw <= b->width + 0.001) break;
        }
        if (k > wd.shy0) {
            const shy_point *h = &b->shy[k - 1];
            if (!b->open) {
                b->open = 1;
                b->start = wd.from;
            }
            b->w = lead + (h->w - wd.before) + h->hyw;
            b->end = h->at;
            finish_line(b, 0)->hyphen = 1;
            wd.w -= h->w - wd.before;
            wd.before = h->w;
            wd.from = h->at;
            wd.shy0 = k;
            space_w = 0;
            continue;
        }
        if (b->open) {
            finish_line(b, 0)->zero_width_break = !at_space;
            space_w = 0;
            continue;
        }
        place_long_word(b, wd);
        return;
    }
}

static void break_lines(measurer *m, hd_arena *a, const hd_span *spans, size_t nspans, int base_face, double size,
                        double width, hd_line **lines, size_t *nlines) {
    breaker b = {.a = a, .m = m, .spans = spans, .nspans = nspans, .base = base_face, .size = size, .width = width};
    int in_word = 0, at_space = 0;
    word wd = {{0, 0}, {0, 0}, 0, 0, 0, 0};
    double space_w = 0;
    for (size_t i = 0; i < nspans; i++) {
        const hd_span *sp = &spans[i];
        if (sp->kind == HD_SP_BREAK) {
            if (in_word) place_word(&b, wd, space_w, at_space), in_word = 0;
            if (!b.open) {
                b.open = 1;
                b.start = b.end = (cursor){i, 0};
            }
            finish_line(&b, 1);
            space_w = 0;
            at_space = 0;
            continue;
        }
        const char *t = sp->text;
        int f = style_face(base_face, sp->style);
        size_t k = 0;
        while (t[k]) {
            size_t soft = soft_break_len(t + k);
            if (is_break_space(t[k]) || soft == 3) { /* a space, or a zero-width one */
                if (in_word) {
                    place_word(&b, wd, space_w, at_space);
                    in_word = 0;
                    space_w = 0;
                    at_space = 0;
                }
                if (soft) {
                    k += soft;
                    continue;
                }
                double w = text_width(m, f, t + k, 1, size); /* measured even unused: see flow_text */
                if (b.open) space_w += w;
                at_space = 1;
                k++;
                continue;
            }
            if (!in_word) {
                in_word = 1;
                wd = (word){{i, k}, {i, k}, 0, 0, 0, 0};
                b.nshy = 0;
            }
            if (soft) { /* a soft hyphen: a place to break the word */
                k += soft;
                shy_point *h = HD_PUSH(a, b.shy, b.nshy, b.shy_cap);
                h->at = (cursor){i, k};
                h->w = wd.w;
                h->hyw = text_width(m, f, "-", 1, size);
                wd.shy1 = b.nshy;
                wd.to = h->at;
                continue;
            }
            double w;
            size_t e = k + word_width(m, f, t + k, size, &w);
            wd.to = (cursor){i, e};
            wd.w += w;
            k = e;
        }
    }
    if (in_word) place_word(&b, wd, space_w, at_space);
    if (b.open) finish_line(&b, 0);
    *lines = b.lines;
    *nlines = b.nlines;
}

hd_status hd_break_lines(hd_arena *a, hd_diags *d, const hd_fontset *fs, const hd_span *spans, size_t nspans,
                         int base_face, double size, double width, hd_line **lines, size_t *nlines) {
    (void)d;
    measurer m = {.fs = fs};
    break_lines(&m, a, spans, nspans, base_face, size, width, lines, nlines);
    return HD_OK;
}

/* --------------------------------------------------------------- flow */

typedef struct {
    double height;
    double space_before; /* dropped at the top of a page */
    double baseline;     /* first baseline, relative to the top (list labels) */
    int keep_next;       /* move to the next page together with the next chunk */
    int is_box;          /* never split; an error if taller than a page */
    int page1;           /* must be on page 1 (the safety box) */
    hd_oplist ops;       /* y relative to the chunk's top */
    int outline_level;
    const char *outline_title;
    hd_pos pos;
    const char *what; /* for errors: "the figure", "the safety information" */
} chunk;

typedef struct {
    chunk *v;
    size_t n, cap;
} chunklist;

typedef struct {
    hd_arena *a;
    hd_diags *d;
    const hd_doc *doc;
    const hd_template *t;
    const hd_fontset *fs;
    measurer m;         /* fs, with what it was asked remembered */
    double x0, width;   /* content column */
    double top, bottom; /* content area on a page */
    int footer_rows;    /* 1, or 2: the centre slot on a row of its own (plan_footer) */
    double flowed;      /* height of every chunk made so far (see new_chunk) */
    int too_long;       /* more than HD_MAX_PAGES pages: said, and flowing stops */
    hd_status st;
    int group;
    int after_heading;
    /* tagged PDF (see hd_se): the element new blocks go into (NULL: the
     * document), the element of the text being made, the last link's */
    const hd_se *box, *se, *link_se;
    const hd_span *link_span;
} ctx;

static hd_status too_long(ctx *c) {
    if (!c->too_long)
        hd_error(c->d, HD_ERR_CONTENT, hd_pos_at(c->doc->spec ? c->doc->spec->path : NULL, 0, 0),
                 "the handout would be longer than %d pages; split it into shorter handouts", HD_MAX_PAGES);
    c->too_long = 1;
    return c->st = HD_ERR_CONTENT;
}

/* A chunk of height h. Once the chunks made so far could not fit in
 * HD_MAX_PAGES pages even with nothing between them, the handout is too
 * long: that is reported at once and flowing stops (flow_blocks), so a
 * huge section costs neither the memory nor the time of laying out all
 * of it. Chunks packed into a box are counted twice, so the bound is
 * loose by at most the boxes' height. */
static chunk *new_chunk(ctx *c, chunklist *l, double h, double space) {
    c->flowed += h;
    if (c->flowed > 2.0 * HD_MAX_PAGES * (c->bottom - c->top)) too_long(c);
    chunk *k = HD_PUSH(c->a, l->v, l->n, l->cap);
    k->height = h;
    k->space_before = space;
    return k;
}

static hd_se *new_se(ctx *c, hd_se_kind kind, int level, const hd_se *parent) {
    hd_se *s = hd_alloc(c->a, sizeof *s);
    s->kind = kind;
    s->level = level;
    s->parent = parent;
    return s;
}

static double line_h(ctx *c, double size) {
    return size * c->t->line_height;
}

static double baseline_in(ctx *c, int face, double size, double lh) {
    double cap = hd_face_cap_height(hd_fontset_face(c->fs, face)) * size / 1000.0;
    return (lh + cap) / 2.0;
}

/* Report characters no font can draw, at their place in the source. */
static int check_spans(ctx *c, const hd_span *sp, size_t n, int base) {
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (sp[i].kind != HD_SP_TEXT) continue;
        int f = style_face(base, sp[i].style);
        size_t off;
        const char *t = sp[i].text;
        size_t len = strlen(t);
        size_t from = 0;
        unsigned cp;
        while (from < len && (cp = text_check(&c->m, f, t + from, len - from, &off)) != 0) {
            hd_pos at = sp[i].pos;
            size_t abs = from + off;
            if (at.col > 0 && !memchr(t, '\n', abs)) {
                int l, col;
                hd_offset_to_linecol(t, abs, &l, &col);
                at.col += col - 1;
            }
            char ch[8] = {0};
            const char *q = t + abs;
            hd_utf8_next(&q);
            memcpy(ch, t + abs, (size_t)(q - (t + abs)));
            if (c->fs->status == HD_OK) /* else a font failed to load: that error says why */
                hd_error(c->d, HD_ERR_CONTENT, at,
                         "the character '%s' (U+%04X) is in no font this handout uses (%s, or %s as fallback); "
                         "replace it or pick a font family that has it",
                         ch, cp, hd_face_family(hd_fontset_face(c->fs, f)),
                         hd_face_family(hd_fontset_face(c->fs, HD_F_FB_REG)));
            c->st = HD_ERR_CONTENT;
            ok = 0;
            from = (size_t)(q - t);
        }
    }
    return ok;
}

/* Draw one broken line at (x, baseline). */
static void emit_line(ctx *c, hd_oplist *ops, const hd_span *spans, const hd_line *ln, double x, double y, int base,
                      double size, hd_rgb color, hd_role role, int level) {
    double pen = x;
    for (size_t i = ln->first_span; i <= ln->last_span && spans; i++) {
        const hd_span *sp = &spans[i];
        if (sp->kind != HD_SP_TEXT) continue;
        size_t from = i == ln->first_span ? ln->first_off : 0;
        size_t to = i == ln->last_span ? ln->last_off : strlen(sp->text);
        if (to <= from) continue;
        int f = style_face(base, sp->style);
        hd_rgb col = color;
        if (sp->style & HD_ST_LINK) col = c->t->primary;
        const hd_se *se = c->se;
        if ((sp->style & HD_ST_LINK) && se) { /* one Link element per link, over its lines */
            if (c->link_span != sp || c->link_se->parent != se) c->link_se = new_se(c, HD_SE_LINK, 0, se);
            c->link_span = sp;
            se = c->link_se;
        }
        size_t first = ops->n;
        double w = emit_text(&c->m, c->a, ops, f, size, col, pen, y, sp->text + from, to - from, role);
        for (size_t k = first; k < ops->n; k++) ops->v[k].level = level, ops->v[k].group = c->group, ops->v[k].se = se;
        if (sp->style & HD_ST_LINK) {
            hd_op *u = hd_oplist_push(c->a, ops);
            u->kind = HD_OP_LINE;
            u->x = pen;
            u->y = y + size * 0.12;
            u->w = w;
            u->h = 0;
            u->color = col;
            u->line_width = size * 0.06;
            u->stroked = 1;
            u->role = HD_ROLE_ARTIFACT;
            hd_op *lk = hd_oplist_push(c->a, ops);
            lk->kind = HD_OP_LINK;
            lk->x = pen;
            lk->y = y - size * 0.9;
            lk->w = w;
            lk->h = size * 1.2;
            lk->url = sp->url;
            lk->role = role;
            lk->group = c->group;
            lk->se = se;
        }
        pen += w;
    }
    if (ln->hyphen && spans) { /* the line broke at a soft hyphen: draw one, as an artifact (the word is
                                   whole in the tagged text) */
        const hd_span *sp = &spans[ln->last_span];
        size_t first = ops->n;
        emit_text(&c->m, c->a, ops, style_face(base, sp->style), size, sp->style & HD_ST_LINK ? c->t->primary : color,
                  pen, y, "-", 1, HD_ROLE_ARTIFACT);
        for (size_t k = first; k < ops->n; k++) ops->v[k].group = c->group;
    }
}

/* Break spans into line chunks. Returns the index of the first chunk. */
static size_t flow_text(ctx *c, chunklist *l, const hd_span *spans, size_t n, double x, double width, int base,
                        double size, hd_rgb color, hd_role role, int level, double space, int keep_all) {
    size_t first = l->n;
    hd_line *lines;
    size_t nl;
    /* Breaking the lines measures every character of the spans in the face
     * check_spans asks about: the check (and its errors) is needed only when
     * one had no face. */
    c->m.no_face = 0;
    break_lines(&c->m, c->a, spans, n, base, size, width, &lines, &nl);
    if (c->m.no_face && !check_spans(c, spans, n, base)) return first;
    double lh = line_h(c, size);
    double bl = baseline_in(c, base, size, lh);
    for (size_t i = 0; i < nl; i++) {
        chunk *k = new_chunk(c, l, lh, i == 0 ? space : 0);
        k->baseline = bl;
        emit_line(c, &k->ops, spans, &lines[i], x, bl, base, size, color, role, level);
        /* the space this line broke at, for tagged text, or that it broke
         * inside a word (see hd_op) */
        int joins = lines[i].split_word || lines[i].hyphen || lines[i].zero_width_break;
        for (size_t j = k->ops.n; i + 1 < nl && j-- > 0;)
            if (k->ops.v[j].kind == HD_OP_TEXT && k->ops.v[j].role != HD_ROLE_ARTIFACT) {
                if (joins)
                    k->ops.v[j].joins_next = 1;
                else
                    k->ops.v[j].space_after = 1;
                break;
            }
        /* no orphan (first line alone) and no widow (last line alone) */
        k->keep_next = keep_all || (nl >= 2 && (i == 0 || i + 2 == nl));
    }
    if (nl == 0) { /* an empty paragraph still takes a line */
        chunk *k = new_chunk(c, l, lh, space);
        k->baseline = bl;
        k->keep_next = keep_all;
    }
    return first;
}

static void flow_blocks(ctx *c, chunklist *l, const hd_block *b, size_t n, double x, double width, int depth,
                        double first_space);

/* Merge chunks into one unbreakable chunk with padding. */
static chunk *pack(ctx *c, chunklist *dst, const chunklist *src, double pad_top, double pad_bottom, double space) {
    chunk *k = new_chunk(c, dst, 0, space);
    double y = pad_top;
    for (size_t i = 0; i < src->n; i++) {
        const chunk *s = &src->v[i];
        if (i > 0) y += s->space_before;
        for (size_t j = 0; j < s->ops.n; j++) {
            hd_op *op = hd_oplist_push(c->a, &k->ops);
            *op = s->ops.v[j];
            op->y += y;
        }
        if (i == 0) k->baseline = y + s->baseline;
        y += s->height;
    }
    k->height = y + pad_bottom;
    k->is_box = 1;
    return k;
}

/* Put decoration ops before everything else in a chunk (drawn underneath). */
static hd_op *prepend_op(ctx *c, chunk *k) {
    hd_op *op = hd_oplist_push(c->a, &k->ops);
    memmove(k->ops.v + 1, k->ops.v, (k->ops.n - 1) * sizeof *op);
    memset(k->ops.v, 0, sizeof *op);
    return k->ops.v;
}

static void rect_op(hd_op *op, double x, double y, double w, double h, hd_rgb fill, int filled) {
    op->kind = HD_OP_RECT;
    op->x = x, op->y = y, op->w = w, op->h = h;
    op->fill = fill;
    op->filled = filled;
    op->role = HD_ROLE_ARTIFACT;
}

static const char *bullet_for(int depth) {
    static const char *const b[] = {"\xE2\x80\xA2", "\xE2\x80\x93", "\xE2\x80\xA2"}; /* • – • */
    return b[depth % 3];
}

/* The label of item i: its number, or the bullet (buf: room for a number). */
static const char *list_label(char buf[32], const hd_block *b, size_t i, int depth) {
    if (!b->ordered) return bullet_for(depth);
    snprintf(buf, 32, "%d.", b->start + (int)i);
    return buf;
}

static void flow_list(ctx *c, chunklist *l, const hd_block *b, double x, double width, int depth, double space) {
    double size = c->t->body_size;
    /* the label column fits the widest label */
    char buf[32];
    double lw = 0;
    for (size_t i = 0; i < b->nchildren; i++) {
        const char *label = list_label(buf, b, i, depth);
        double w = text_width(&c->m, HD_F_REG, label, strlen(label), size);
        if (w > lw) lw = w;
    }
    double gap = size * 0.5;
    double indent = lw + gap + (depth == 0 ? size * 0.3 : 0);
    if (indent < size * 1.2) indent = size * 1.2;
    double item_gap = b->tight ? c->t->paragraph_gap * 0.35 : c->t->paragraph_gap;
    size_t item_end[2] = {0, 0}; /* last chunk of the first item and of the second-to-last */
    const hd_se *box = c->box, *list = new_se(c, HD_SE_L, 0, box);
    for (size_t i = 0; i < b->nchildren; i++) {
        const hd_block *it = &b->children[i];
        size_t first = l->n;
        if (i == 1) item_end[0] = first;
        if (i + 1 == b->nchildren && i >= 1) item_end[1] = first;
        const hd_se *li = new_se(c, HD_SE_LI, 0, list), *lbl = new_se(c, HD_SE_LBL, 0, li);
        c->box = new_se(c, HD_SE_LBODY, 0, li);
        flow_blocks(c, l, it->children, it->nchildren, x + indent, width - indent, depth + 1, i == 0 ? space : item_gap);
        c->box = box;
        if (l->n == first) new_chunk(c, l, line_h(c, size), i == 0 ? space : item_gap);
        chunk *k = &l->v[first];
        const char *label = list_label(buf, b, i, depth);
        double w = text_width(&c->m, HD_F_REG, label, strlen(label), size);
        double base = k->baseline > 0 ? k->baseline : baseline_in(c, HD_F_REG, size, line_h(c, size));
        hd_oplist lab = {0};
        emit_text(&c->m, c->a, &lab, HD_F_REG, size, c->t->text, x + indent - gap - w, base, label, strlen(label),
                  HD_ROLE_LIST_LABEL);
        for (size_t o = lab.n; o-- > 0;) {
            hd_op *op = prepend_op(c, k);
            *op = lab.v[o];
            op->group = c->group;
            op->se = lbl;
        }
    }
    /* no item alone at the top or bottom of a page: the first two items
     * stay together, and so do the last two */
    for (int e = 0; e < 2; e++)
        if (item_end[e] > 0) l->v[item_end[e] - 1].keep_next = 1;
}

static void flow_code(ctx *c, chunklist *l, const hd_block *b, double x, double width, double space) {
    double size = c->t->body_size * 0.9;
    const char *text = b->nspans ? b->spans[0].text : "";
    hd_span one = {HD_SP_TEXT, HD_ST_MONO, NULL, NULL, b->pos};
    const char *p = text;
    size_t first = l->n;
    double pad = size * 0.6;
    for (;;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        /* keep code's spaces: no-break spaces are neither skipped nor broken at */
        size_t sp = 0;
        for (size_t i = 0; i < len; i++) sp += p[i] == ' ';
        char *line = hd_alloc(c->a, len + sp + 1), *o = line;
        for (size_t i = 0; i < len; i++) {
            if (p[i] == ' ') *o++ = (char)0xC2, *o++ = (char)0xA0;
            else *o++ = p[i];
        }
        one.text = line;
        size_t at = l->n;
        flow_text(c, l, &one, 1, x + pad, width - 2 * pad, HD_F_MONO, size, c->t->text, HD_ROLE_BODY, 0,
                  at == first ? space : 0, 0);
        if (l->n == at) new_chunk(c, l, line_h(c, size), at == first ? space : 0);
        if (!e) break;
        p = e + 1;
    }
    hd_rgb bg = {HD_CODE_BACKGROUND, HD_CODE_BACKGROUND, HD_CODE_BACKGROUND};
    for (size_t i = first; i < l->n; i++) {
        chunk *k = &l->v[i];
        k->keep_next = (i + 1 < l->n) && (i == first || i + 2 == l->n);
        rect_op(prepend_op(c, k), x, 0, width, k->height, bg, 1);
    }
}

static void flow_figure(ctx *c, chunklist *l, const hd_block *b, double x, double width, double space) {
    hd_figure_style st = {
        .text = c->t->text,
        .primary = c->t->primary,
        .accent = c->t->accent,
        .muted = c->t->muted,
        .background = {1, 1, 1},
        /* figure text a little above the small size, for older readers */
        .label_size = c->t->small_size > c->t->body_size * 0.85 ? c->t->small_size : c->t->body_size * 0.85,
        .title_size = c->t->heading_size[3],
        .lang = c->doc->lang,
        .max_height = c->bottom - c->top,
    };
    hd_oplist ops = {0};
    double h = 0;
    if (hd_figure_layout(c->a, c->d, b->figure, c->fs, &st, width, &ops, &h) != HD_OK) {
        c->st = HD_ERR_CONTENT;
        return;
    }
    chunk *k = new_chunk(c, l, h, space);
    k->is_box = 1;
    k->what = "the figure";
    k->pos = b->pos;
    hd_se *fig = new_se(c, HD_SE_FIGURE, 0, c->box);
    fig->alt = b->figure->alt;
    /* the caption and the source line (role HD_ROLE_BODY, level 1 and 2):
     * paragraphs after the figure, which a screen reader reads, not parts
     * of the drawing its alt text stands for */
    hd_se *para[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < ops.n; i++) {
        hd_op *op = hd_oplist_push(c->a, &k->ops);
        *op = ops.v[i];
        op->x += x;
        op->group = c->group;
        if (op->role == HD_ROLE_ARTIFACT) {
            op->se = NULL;
        } else if (op->role == HD_ROLE_BODY && op->level >= 1 && op->level <= 2) {
            if (!para[op->level]) para[op->level] = new_se(c, HD_SE_P, 0, c->box);
            op->se = para[op->level];
            op->level = 0;
        } else {
            op->se = fig;
        }
    }
}

static void flow_image(ctx *c, chunklist *l, const hd_block *b, double x, double width, double space) {
    const hd_image *im = b->image;
    if (!im || im->width <= 0 || im->height <= 0) return;
    double w = im->width * 0.75; /* 96 px per inch */
    if (w > width) w = width;
    double h = w * im->height / im->width;
    double maxh = (c->bottom - c->top) * 0.6;
    if (h > maxh) {
        h = maxh;
        w = h * im->width / im->height;
    }
    chunk *k = new_chunk(c, l, h, space);
    k->is_box = 1;
    k->what = "the image";
    k->pos = b->pos;
    hd_op *op = hd_oplist_push(c->a, &k->ops);
    op->kind = HD_OP_IMAGE;
    op->x = x;
    op->y = 0;
    op->w = w;
    op->h = h;
    op->image = im;
    op->text = b->alt;
    op->role = HD_ROLE_FIGURE;
    op->group = c->group;
    hd_se *fig = new_se(c, HD_SE_FIGURE, 0, c->box);
    fig->alt = b->alt;
    op->se = fig;
}

/* The boxed safety section: tinted box, strong border, a heading. */
static void flow_safety(ctx *c, chunklist *l, const hd_block *b, double x, double width, double space) {
    const hd_template *t = c->t;
    double bar = 5, pad = t->body_size * 0.9;
    double ix = x + bar + pad, iw = width - bar - 2 * pad;
    chunklist in = {0};
    hd_span title = {HD_SP_TEXT, 0, b->title ? b->title : "Safety information", NULL, b->pos};
    double tsize = t->heading_size[2];
    const hd_se *box = c->box;
    hd_se *sect = new_se(c, HD_SE_SECT, 0, box);
    sect->title = title.text;
    c->se = new_se(c, HD_SE_H, 2, sect);
    flow_text(c, &in, &title, 1, ix, iw, HD_F_BOLD, tsize, t->text, HD_ROLE_SAFETY, 0, 0, 1);
    c->after_heading = 1;
    c->box = sect;
    flow_blocks(c, &in, b->children, b->nchildren, ix, iw, 0, t->paragraph_gap * 0.5);
    c->box = box;
    for (size_t i = 0; i < in.n; i++)
        for (size_t j = 0; j < in.v[i].ops.n; j++)
            if (in.v[i].ops.v[j].role == HD_ROLE_BODY || in.v[i].ops.v[j].role == HD_ROLE_HEADING)
                in.v[i].ops.v[j].role = HD_ROLE_SAFETY;
    chunk *k = pack(c, l, &in, pad * 0.8, pad, space);
    k->what = "the safety information";
    k->page1 = 1;
    k->pos = b->pos;
    hd_op *bg = prepend_op(c, k);
    rect_op(bg, x, 0, width, k->height, t->safety_bg, 1);
    bg->stroked = 1;
    bg->color = t->safety_border;
    bg->line_width = 1.5;
    hd_op *side = hd_oplist_push(c->a, &k->ops);
    rect_op(side, x, 0, bar, k->height, t->safety_border, 1);
}

static void flow_block(ctx *c, chunklist *l, const hd_block *b, double x, double width, int depth, double space) {
    const hd_template *t = c->t;
    c->group++;
    c->se = NULL;
    switch (b->kind) {
    case HD_BLK_HEADING: {
        int lv = b->level < 1 ? 1 : b->level > 6 ? 6 : b->level;
        c->se = new_se(c, HD_SE_H, lv, c->box);
        double size = t->heading_size[lv - 1];
        double sp = l->n == 0 ? space : t->paragraph_gap * (lv <= 2 ? 2.0 : 1.5);
        size_t first = flow_text(c, l, b->spans, b->nspans, x, width, HD_F_BOLD, size, t->primary, HD_ROLE_HEADING, lv, sp, 1);
        if (first < l->n) {
            /* the outline shows the heading's plain text */
            size_t len = 0;
            for (size_t i = 0; i < b->nspans; i++)
                if (b->spans[i].kind == HD_SP_TEXT && !(b->spans[i].style & HD_ST_URL)) len += strlen(b->spans[i].text);
            char *s = hd_alloc(c->a, len + 1), *o = s;
            for (size_t i = 0; i < b->nspans; i++)
                if (b->spans[i].kind == HD_SP_TEXT && !(b->spans[i].style & HD_ST_URL)) {
                    size_t n = strlen(b->spans[i].text);
                    memcpy(o, b->spans[i].text, n);
                    o += n;
                }
            l->v[first].outline_level = lv;
            l->v[first].outline_title = hd_strip_invisible(c->a, s, len);
        }
        c->after_heading = 1;
        return;
    }
    case HD_BLK_PARA: {
        c->se = new_se(c, HD_SE_P, 0, c->box);
        flow_text(c, l, b->spans, b->nspans, x, width, HD_F_REG, t->body_size, t->text, HD_ROLE_BODY, 0, space, 0);
        /* a paragraph that ends in a colon introduces what follows */
        const char *last = b->nspans ? b->spans[b->nspans - 1].text : NULL;
        size_t n = last ? strlen(last) : 0;
        while (n && last[n - 1] == ' ') n--;
        if (n && last[n - 1] == ':' && l->n) l->v[l->n - 1].keep_next = 1;
        break;
    }
    case HD_BLK_LIST:
        flow_list(c, l, b, x, width, depth, space);
        break;
    case HD_BLK_ITEM:
        flow_blocks(c, l, b->children, b->nchildren, x, width, depth, space);
        break;
    case HD_BLK_QUOTE: {
        size_t first = l->n;
        double ind = t->body_size * 1.2;
        const hd_se *box = c->box;
        c->box = new_se(c, HD_SE_QUOTE, 0, box);
        flow_blocks(c, l, b->children, b->nchildren, x + ind, width - ind, depth + 1, space);
        c->box = box;
        for (size_t i = first; i < l->n; i++) {
            chunk *k = &l->v[i];
            /* the bar also covers the gap above, so it looks continuous */
            double up = i == first ? 0 : k->space_before;
            rect_op(prepend_op(c, k), x + 2, -up, 3, k->height + up, t->accent, 1);
        }
        break;
    }
    case HD_BLK_CODE:
        c->se = new_se(c, HD_SE_CODE, 0, c->box);
        flow_code(c, l, b, x, width, space);
        break;
    case HD_BLK_RULE: {
        chunk *k = new_chunk(c, l, t->body_size, space);
        hd_op *op = hd_oplist_push(c->a, &k->ops);
        op->kind = HD_OP_LINE;
        op->x = x;
        op->y = t->body_size / 2;
        op->w = width;
        op->color = t->muted;
        op->line_width = 0.75;
        op->stroked = 1;
        op->role = HD_ROLE_ARTIFACT;
        break;
    }
    case HD_BLK_IMAGE:
        flow_image(c, l, b, x, width, space);
        break;
    case HD_BLK_FIGURE:
        flow_figure(c, l, b, x, width, space);
        break;
    case HD_BLK_SAFETY:
        flow_safety(c, l, b, x, width, space);
        break;
    }
    c->after_heading = 0;
}

static void flow_blocks(ctx *c, chunklist *l, const hd_block *b, size_t n, double x, double width, int depth,
                        double first_space) {
    for (size_t i = 0; i < n && !c->too_long; i++) {
        double space = i == 0 ? first_space : c->t->paragraph_gap;
        if (i > 0 && c->after_heading) space = c->t->paragraph_gap * 0.5;
        flow_block(c, l, &b[i], x, width, depth, space);
    }
}

/* ------------------------------------------------- title and contact */

static hd_span plain(const char *text, unsigned style) {
    hd_span s = {HD_SP_TEXT, style, text, NULL, {0}};
    return s;
}

/* The same for text written at `at` (a clinic's name, say): a character no
 * font has is reported there. */
static hd_span plain_at(const char *text, unsigned style, hd_pos at) {
    hd_span s = {HD_SP_TEXT, style, text, NULL, at};
    return s;
}

/* The narrowest width (down to 60% of width) at which a text breaks into
 * no more lines than at full width: a two-line title then reads as two
 * lines of similar length, not a long line and a lone word ("...relief" /
 * "last?"). */
static double balanced_width(ctx *c, const hd_span *sp, int face, double size, double width) {
    hd_line *lines;
    size_t n0, n;
    break_lines(&c->m, c->a, sp, 1, face, size, width, &lines, &n0);
    if (n0 < 2) return width;
    double lo = width * 0.6, hi = width;
    for (int i = 0; i < 10; i++) { /* to within 0.04% of the width */
        double mid = (lo + hi) / 2;
        break_lines(&c->m, c->a, sp, 1, face, size, mid, &lines, &n);
        if (n <= n0)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

static void flow_title(ctx *c, chunklist *l) {
    const hd_doc *doc = c->doc;
    const hd_template *t = c->t;
    double x = c->x0, width = c->width;
    /* logo and clinic name on one band */
    double band = 0;
    chunk *k = new_chunk(c, l, 0, 0);
    k->keep_next = 1;
    double name_x = x;
    if (doc->logo && doc->logo->width > 0 && doc->logo->height > 0) {
        double h = 44, w = h * doc->logo->width / doc->logo->height;
        if (w > width * 0.4) {
            w = width * 0.4;
            h = w * doc->logo->height / doc->logo->width;
        }
        hd_op *op = hd_oplist_push(c->a, &k->ops);
        op->kind = HD_OP_IMAGE;
        op->x = x, op->y = 0, op->w = w, op->h = h;
        op->image = doc->logo;
        op->text = doc->clinic ? doc->clinic->name : "";
        op->role = HD_ROLE_ARTIFACT;
        band = h;
        name_x = x + w + 12;
    }
    if (doc->clinic && doc->clinic->name) {
        /* the name, right-aligned beside a logo, wrapped if it is long */
        double size = t->body_size, lh = size * 1.25;
        hd_span name = plain_at(doc->clinic->name, 0, doc->clinic->name_pos);
        if (check_spans(c, &name, 1, HD_F_BOLD)) {
            hd_line *lines;
            size_t nl;
            break_lines(&c->m, c->a, &name, 1, HD_F_BOLD, size, x + width - name_x, &lines, &nl);
            double top = band > nl * lh ? (band - nl * lh) / 2 : 0;
            for (size_t i = 0; i < nl; i++) {
                const char *s = name.text + lines[i].first_off;
                size_t len = lines[i].last_off - lines[i].first_off;
                double nx = doc->logo ? x + width - lines[i].width : name_x;
                emit_text(&c->m, c->a, &k->ops, HD_F_BOLD, size, t->primary, nx, top + i * lh + size, s, len,
                          HD_ROLE_ARTIFACT);
            }
            if (band < nl * lh + size * 0.4) band = nl * lh + size * 0.4;
        }
    }
    k->height = band + t->paragraph_gap;
    hd_op *rule = hd_oplist_push(c->a, &k->ops);
    rule->kind = HD_OP_RECT;
    rule->x = x, rule->y = band + t->paragraph_gap * 0.5, rule->w = width, rule->h = 2;
    rule->fill = t->primary;
    rule->filled = 1;
    rule->role = HD_ROLE_ARTIFACT;

    c->group++;
    c->se = new_se(c, HD_SE_H, 1, NULL);
    hd_span title = plain(doc->title, 0);
    if (doc->spec) title.pos = doc->spec->title_pos;
    double tsize = t->heading_size[0] * 1.15;
    size_t first = flow_text(c, l, &title, 1, x, balanced_width(c, &title, HD_F_BOLD, tsize, width), HD_F_BOLD, tsize,
                             t->primary, HD_ROLE_HEADING, 1, t->paragraph_gap, 1);
    if (first < l->n) {
        l->v[first].outline_level = 1;
        l->v[first].outline_title = hd_strip_invisible(c->a, doc->title, strlen(doc->title));
    }
    if (doc->subtitle) {
        c->group++;
        c->se = new_se(c, HD_SE_P, 0, NULL);
        hd_span sub = plain(doc->subtitle, 0);
        if (doc->spec) sub.pos = doc->spec->subtitle_pos;
        flow_text(c, l, &sub, 1, x, balanced_width(c, &sub, HD_F_REG, t->heading_size[2], width), HD_F_REG,
                  t->heading_size[2], t->text, HD_ROLE_BODY, 0, t->paragraph_gap * 0.3, 1);
    }
    /* the first body block keeps with the title */
    if (l->n) l->v[l->n - 1].keep_next = 1;
}

/* How to reach the clinic, boxed, at the end. */
static void flow_contact(ctx *c, chunklist *l) {
    const hd_clinic *cl = c->doc->clinic;
    if (!cl || !(cl->phone || cl->after_hours || cl->address || cl->web)) return;
    const hd_template *t = c->t;
    double pad = t->body_size * 0.8;
    double qr = cl->qr && cl->web ? 76 : 0;
    double ix = c->x0 + pad, iw = c->width - 2 * pad - (qr ? qr + pad : 0);
    chunklist in = {0};
    c->group++;
    const char *head = c->doc->str_contact ? c->doc->str_contact : "Questions? Contact us";
    hd_span h = plain(head, 0);
    const hd_se *sect = new_se(c, HD_SE_SECT, 0, NULL);
    c->se = new_se(c, HD_SE_H, 2, sect);
    flow_text(c, &in, &h, 1, ix, iw, HD_F_BOLD, t->heading_size[3], t->primary, HD_ROLE_HEADING, 2, 0, 1);
    const char *lab[4] = {cl->name, cl->phone, cl->after_hours, cl->address};
    const hd_pos lab_at[4] = {cl->name_pos, cl->phone_pos, cl->after_hours_pos, cl->address_pos};
    const char *pre[4] = {"", c->doc->str_phone ? c->doc->str_phone : "Phone: ",
                          c->doc->str_after_hours ? c->doc->str_after_hours : "After hours: ", ""};
    for (int i = 0; i < 4; i++) {
        if (!lab[i]) continue;
        c->group++;
        /* the address keeps its lines, each a paragraph of its own (a
         * screen reader pauses between them, as the eye does) */
        size_t line = 0;
        for (const char *p = lab[i]; p; line++) {
            const char *e = strchr(p, '\n');
            c->se = new_se(c, HD_SE_P, 0, sect);
            /* each line of an address at its own place when known, else
             * the address's first line (no column) */
            hd_pos at = lab_at[i];
            if (i == 3 && line < cl->naddress_lines)
                at = cl->address_line_pos[line];
            else if (line > 0)
                at = hd_pos_at(lab_at[i].file, lab_at[i].line, 0);
            hd_span s[2] = {plain(p == lab[i] ? pre[i] : "", HD_ST_BOLD),
                            plain_at(e ? hd_strndup(c->a, p, (size_t)(e - p)) : p, 0, at)};
            flow_text(c, &in, s, 2, ix, iw, HD_F_REG, t->body_size, t->text, HD_ROLE_BODY, 0, 0, 1);
            p = e ? e + 1 : NULL;
        }
    }
    if (cl->web) {
        c->group++;
        c->se = new_se(c, HD_SE_P, 0, sect);
        hd_span s = plain_at(cl->web, HD_ST_LINK, cl->web_pos);
        s.url = cl->web;
        flow_text(c, &in, &s, 1, ix, iw, HD_F_REG, t->body_size, t->text, HD_ROLE_BODY, 0, 0, 1);
    }
    chunk *k = pack(c, l, &in, pad * 0.7, pad * 0.7, t->paragraph_gap * 2);
    k->what = "the contact box";
    if (qr) {
        if (k->height < qr + pad) k->height = qr + pad;
        if (hd_qr_ops(c->a, c->d, cl->web, c->x0 + c->width - pad * 0.5 - qr, (k->height - qr) / 2, qr, t->text,
                      hd_pos_at(cl->path, 0, 0), &k->ops) != HD_OK)
            c->st = HD_ERR_CONTENT;
    }
    hd_op *bg = prepend_op(c, k);
    rect_op(bg, c->x0, 0, c->width, k->height, (hd_rgb){1, 1, 1}, 0);
    bg->stroked = 1;
    bg->color = t->primary;
    bg->line_width = 1;
}

/* ---------------------------------------------------------- paginate */

static hd_oplist *new_page(ctx *c, hd_layout *out, size_t *cap) {
    return HD_PUSH(c->a, out->pages, out->npages, *cap);
}

/* Where a chunk goes: paginate decides for every chunk first, then copies
 * the ops of each page into a list made once, of the size it needs. */
typedef struct {
    size_t page;
    double y; /* of the chunk's top */
} placement;

/* Ops add_furniture adds to a page, as a rule (more make the list grow). */
enum { FURNITURE_OPS = 8 };

static void copy_pages(ctx *c, const chunklist *l, const placement *at, hd_layout *out) {
    for (size_t i = 0; i < l->n; i++) out->pages[at[i].page].cap += l->v[i].ops.n;
    for (size_t p = 0; p < out->npages; p++) {
        hd_oplist *pg = &out->pages[p];
        pg->cap += FURNITURE_OPS;
        pg->v = hd_allocn(c->a, pg->cap, sizeof *pg->v);
    }
    for (size_t i = 0; i < l->n; i++) {
        const chunk *k = &l->v[i];
        hd_oplist *pg = &out->pages[at[i].page];
        hd_op *op = pg->v + pg->n;
        if (k->ops.n) memcpy(op, k->ops.v, k->ops.n * sizeof *op);
        for (size_t j = 0; j < k->ops.n; j++) op[j].y += at[i].y;
        pg->n += k->ops.n;
        if (k->outline_title) {
            hd_outline *o = HD_PUSH(c->a, out->outline, out->noutline, out->outline_cap);
            o->level = k->outline_level;
            o->title = k->outline_title;
            o->page = (int)at[i].page;
            o->y = at[i].y;
        }
    }
}

static hd_status paginate(ctx *c, const chunklist *l, hd_layout *out) {
    size_t cap = 0;
    placement *at = hd_allocn(c->a, l->n ? l->n : 1, sizeof *at);
    new_page(c, out, &cap);
    double y = c->top;
    int empty = 1;
    double avail = c->bottom - c->top;
    for (size_t i = 0; i < l->n;) {
        /* the run of chunks that must stay together; page-1 material (the
         * safety box) ends a run, so what follows it, kept together with
         * its own next lines, can go to page 2 without taking the safety
         * box along (large print once failed with "needs 441 pt and 502 pt
         * are left": measured on page 2) */
        size_t j = i;
        double h = l->v[i].height;
        while (l->v[j].keep_next && j + 1 < l->n && !(l->v[j].page1 && !l->v[j + 1].page1)) {
            j++;
            h += l->v[j].space_before + l->v[j].height;
        }
        double sp = empty ? 0 : l->v[i].space_before;
        int page1 = 0; /* a run with page-1 material is never moved to a later page */
        for (size_t k = i; k <= j; k++) page1 |= l->v[k].page1;
        if (!empty && !page1 && y + sp + h > c->bottom + 0.01 && h <= avail) {
            new_page(c, out, &cap);
            y = c->top;
            empty = 1;
            sp = 0;
        }
        /* a run taller than a page is placed chunk by chunk */
        size_t end = h <= avail ? j : i;
        for (size_t k = i; k <= end; k++) {
            const chunk *ch = &l->v[k];
            double s = empty ? 0 : ch->space_before;
            if (ch->page1 && (out->npages > 1 || y + s + ch->height > c->bottom + 0.01)) {
                double room = c->bottom - c->top - (y - c->top) - s;
                if (room < 0) room = 0;
                if (ch->height > (c->bottom - c->top) * 0.7 || !c->doc->spec)
                    /* too long whatever the title: the text itself must change */
                    hd_error(c->d, HD_ERR_CONTENT, ch->pos,
                             "%s is too long for page 1: it needs %.0f pt and %.0f pt are left under the title; "
                             "shorten the safety text (it is never moved to a later page or shrunk)",
                             ch->what, ch->height, room);
                else
                    hd_error(c->d, HD_ERR_CONTENT, c->doc->spec->title_pos,
                             "%s (%s) does not fit on page 1: it needs %.0f pt and %.0f pt are left under the title; "
                             "shorten the title or subtitle (the safety text is never moved to a later page or shrunk)",
                             ch->what, ch->pos.file ? ch->pos.file : "the safety texts", ch->height, room);
                return HD_ERR_CONTENT;
            }
            if (!empty && y + s + ch->height > c->bottom + 0.01) {
                new_page(c, out, &cap);
                y = c->top;
                empty = 1;
                s = 0;
            }
            if (ch->height > avail + 0.01) {
                hd_error(c->d, HD_ERR_CONTENT, ch->pos, "%s is %.0f pt tall but a page has room for %.0f pt; make it shorter",
                         ch->what ? ch->what : "a block", ch->height, avail);
                return HD_ERR_CONTENT;
            }
            at[k] = (placement){out->npages - 1, y + s};
            y += s + ch->height;
            empty = 0;
        }
        i = end + 1;
        if (out->npages > HD_MAX_PAGES) return too_long(c);
    }
    copy_pages(c, l, at, out);
    return HD_OK;
}

/* ------------------------------------------------- header and footer */

/* Replace {placeholders} in a header or footer slot; the clinic's footer
 * text ({clinic-footer}) may hold them too (not itself: spec.c says so). */
static char *fill_slot(ctx *c, const char *tpl, int page, int pages) {
    if (!tpl || !*tpl) return NULL;
    const hd_doc *doc = c->doc;
    size_t cap = strlen(tpl) + 256, n = 0;
    char *out = hd_alloc(c->a, cap);
    for (const char *p = tpl; *p;) {
        const char *val = NULL;
        char num[16];
        size_t skip = 0;
        if (*p == '{') {
            const char *e = strchr(p, '}');
            size_t k = e ? (size_t)(e - p - 1) : 0;
            if (e && k == 6 && !strncmp(p + 1, "clinic", 6)) val = doc->clinic ? doc->clinic->name : "";
            else if (e && k == 5 && !strncmp(p + 1, "title", 5)) val = doc->title;
            else if (e && k == 4 && !strncmp(p + 1, "page", 4)) snprintf(num, sizeof num, "%d", page), val = num;
            else if (e && k == 5 && !strncmp(p + 1, "pages", 5)) snprintf(num, sizeof num, "%d", pages), val = num;
            else if (e && k == 8 && !strncmp(p + 1, "reviewed", 8)) val = doc->reviewed_text ? doc->reviewed_text : "";
            else if (e && k == 5 && !strncmp(p + 1, "phone", 5)) val = doc->clinic && doc->clinic->phone ? doc->clinic->phone : "";
            else if (e && k == 13 && !strncmp(p + 1, "clinic-footer", 13)) {
                const char *cf = doc->clinic && doc->clinic->footer ? doc->clinic->footer : "";
                const char *filled = tpl != cf ? fill_slot(c, cf, page, pages) : NULL;
                val = filled ? filled : "";
            }
            if (val) skip = k + 2;
        }
        if (!val) {
            val = p;
            skip = 1;
        }
        size_t vl = val == p ? 1 : strlen(val);
        if (n + vl + 1 > cap) {
            size_t nc = (n + vl + 1) * 2;
            char *o2 = hd_alloc(c->a, nc);
            memcpy(o2, out, n);
            out = o2;
            cap = nc;
        }
        memcpy(out + n, val, vl);
        n += vl;
        p += skip;
    }
    out[n] = 0;
    return out;
}

/* Shorten text with an ellipsis until it fits `width`. */
static char *fit(ctx *c, int face, double size, char *s, double width) {
    size_t n = strlen(s);
    if (text_width(&c->m, face, s, n, size) <= width) return s;
    const char *ell = "\xE2\x80\xA6";
    while (n > 0) {
        n--;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
        char *t = hd_sprintf(c->a, "%.*s%s", (int)n, s, ell);
        if (text_width(&c->m, face, t, strlen(t), size) <= width) return t;
    }
    return hd_strdup(c->a, "");
}

/* Header and footer text: small size; FURNITURE_ROW: the baseline
 * distance of a two-row footer; FURNITURE_GAP: the least room between
 * slots, in sizes. */
#define FURNITURE_ROW 1.25
#define FURNITURE_GAP 1.5

/* The room the centre slot has between the left and right texts. */
static double centre_room(double W, const double w[3], double gap) {
    return W - (w[0] > 0 ? w[0] + gap : 0) - (w[2] > 0 ? w[2] + gap : 0);
}

/* Whether the footer's centre slot (the clinic's footer text, say) fits
 * between the left and right slots at the widest page numbers a handout
 * can have: if not, it gets a row of its own above them (the body ends a
 * row higher on every page), so nothing a clinic wrote is cut off; if it
 * does not fit even the full width, that is an error at the text's line. */
static void plan_footer(ctx *c) {
    const hd_template *t = c->t;
    double size = t->small_size, gap = size * FURNITURE_GAP, W = c->width;
    double w[3];
    char *txt[3];
    c->footer_rows = 1;
    /* characters no font has: in the template's own slot text, and in the
     * clinic's footer text if a slot shows it (its name and phone, and the
     * title, are checked where the body shows them) */
    const hd_clinic *fcl = c->doc->clinic;
    int shows_clinic_footer = 0;
    for (int i = 0; i < 3; i++) {
        const char *slot[2] = {t->header[i], t->footer[i]};
        const hd_pos at[2] = {t->header_pos[i], t->footer_pos[i]};
        for (int k = 0; k < 2; k++) {
            if (!slot[k] || !*slot[k]) continue;
            shows_clinic_footer |= strstr(slot[k], "{clinic-footer}") != NULL;
            hd_span sp = plain_at(slot[k], 0, at[k]);
            check_spans(c, &sp, 1, HD_F_REG);
        }
    }
    if (shows_clinic_footer && fcl && fcl->footer && *fcl->footer) {
        hd_span sp = plain_at(fcl->footer, 0, fcl->footer_pos);
        check_spans(c, &sp, 1, HD_F_REG);
    }
    /* (on such an error the layout goes on, so the body's problems are
     * reported in the same run; it stops before pages are made) */
    for (int i = 0; i < 3; i++) {
        txt[i] = fill_slot(c, t->footer[i], HD_MAX_PAGES, HD_MAX_PAGES);
        w[i] = txt[i] ? text_width(&c->m, HD_F_REG, txt[i], strlen(txt[i]), size) : 0;
    }
    if (!txt[1] || !*txt[1] || w[1] <= centre_room(W, w, gap)) return;
    if (w[1] > W) {
        const hd_clinic *cl = c->doc->clinic;
        int clinics = strstr(t->footer[1], "{clinic-footer}") && cl && cl->footer && *cl->footer;
        hd_pos at = clinics ? cl->footer_pos : t->footer_pos[1];
        size_t chars = 0;
        for (const char *p = txt[1]; *p; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
        size_t fit = (size_t)((double)chars * W / w[1]);
        c->st = hd_error(c->d, HD_ERR_CONTENT, at,
                         "the footer text '%s' is %.0f pt wide, but a line across the page holds %.0f pt at %g pt "
                         "type%s: shorten it to about %zu characters",
                         txt[1], w[1], W, size, t->large_print ? " (large print)" : "", fit > 3 ? fit - 3 : 1);
        return;
    }
    c->footer_rows = 2;
    c->bottom -= size * FURNITURE_ROW;
}

static void furniture_row(ctx *c, hd_oplist *pg, const char *const slots[3], double y, int page, int pages,
                          int rows) {
    const hd_template *t = c->t;
    double size = t->small_size;
    char *txt[3];
    double w[3];
    for (int i = 0; i < 3; i++) {
        txt[i] = fill_slot(c, slots[i], page, pages);
        w[i] = txt[i] ? text_width(&c->m, HD_F_REG, txt[i], strlen(txt[i]), size) : 0;
    }
    double gap = size * FURNITURE_GAP, W = c->width;
    if (rows == 2) { /* the centre slot on its own row, above (see plan_footer) */
        if (txt[1] && *txt[1])
            emit_text(&c->m, c->a, pg, HD_F_REG, size, t->muted, c->x0 + (W - w[1]) / 2, y - size * FURNITURE_ROW,
                      txt[1], strlen(txt[1]), HD_ROLE_ARTIFACT);
        txt[1] = NULL, w[1] = 0;
    }
    /* page numbers and dates are short and keep their width; the rest shares */
    if (w[0] + w[1] + w[2] + 2 * gap > W) {
        int longest = w[0] >= w[1] && w[0] >= w[2] ? 0 : w[1] >= w[2] ? 1 : 2;
        double room = W - (w[0] + w[1] + w[2] - w[longest]) - 2 * gap;
        if (room < W * 0.2) room = W * 0.2;
        txt[longest] = fit(c, HD_F_REG, size, txt[longest], room);
        w[longest] = text_width(&c->m, HD_F_REG, txt[longest], strlen(txt[longest]), size);
        for (int i = 0; i < 3; i++)
            if (i != longest && w[0] + w[1] + w[2] + 2 * gap > W && txt[i]) {
                txt[i] = fit(c, HD_F_REG, size, txt[i], (W - 2 * gap) / 3);
                w[i] = text_width(&c->m, HD_F_REG, txt[i], strlen(txt[i]), size);
            }
    }
    /* the centre text is centred on the page unless that brings it within a
     * gap of the left or right text: then it moves over, and is shortened
     * if even that leaves too little room (large print: a long centre slot
     * ran into "Reviewed October 2026") */
    double lo = c->x0 + (w[0] > 0 ? w[0] + gap : 0), hi = c->x0 + W - (w[2] > 0 ? w[2] + gap : 0);
    if (txt[1] && w[1] > hi - lo) {
        txt[1] = fit(c, HD_F_REG, size, txt[1], hi - lo > 0 ? hi - lo : 0);
        w[1] = text_width(&c->m, HD_F_REG, txt[1], strlen(txt[1]), size);
    }
    double x1 = c->x0 + (W - w[1]) / 2;
    if (x1 + w[1] > hi) x1 = hi - w[1];
    if (x1 < lo) x1 = lo;
    double xs[3] = {c->x0, x1, c->x0 + W - w[2]};
    for (int i = 0; i < 3; i++)
        if (txt[i] && *txt[i]) emit_text(&c->m, c->a, pg, HD_F_REG, size, t->muted, xs[i], y, txt[i], strlen(txt[i]), HD_ROLE_ARTIFACT);
}

static void add_furniture(ctx *c, hd_layout *out) {
    const hd_template *t = c->t;
    int pages = (int)out->npages;
    for (int i = 0; i < pages; i++) {
        hd_oplist *pg = &out->pages[i];
        double hy = t->margin_top * 0.55;
        double fy = out->page_h - t->margin_bottom * 0.45;
        if (i > 0) /* page 1 carries the title band instead of a header */
            furniture_row(c, pg, t->header, hy, i + 1, pages, 1);
        furniture_row(c, pg, t->footer, fy, i + 1, pages, c->footer_rows);
        hd_op *r = hd_oplist_push(c->a, pg);
        r->kind = HD_OP_LINE;
        r->x = c->x0, r->y = fy - t->small_size * (1.3 + (c->footer_rows - 1) * FURNITURE_ROW), r->w = c->width, r->h = 0;
        r->color = t->muted;
        r->line_width = 0.5;
        r->stroked = 1;
        r->role = HD_ROLE_ARTIFACT;
    }
}

/* ------------------------------------------------------------ entry */

hd_status hd_layout_doc(hd_arena *a, hd_diags *d, const hd_doc *doc, const hd_fontset *fs, hd_layout *out) {
    memset(out, 0, sizeof *out);
    const hd_template *t = doc->tpl;
    ctx c = {.a = a, .d = d, .doc = doc, .t = t, .fs = fs, .m = {.a = a, .fs = fs}};
    c.x0 = t->margin_left;
    c.width = t->page_w - t->margin_left - t->margin_right;
    c.top = t->margin_top;
    c.bottom = t->page_h - t->margin_bottom;
    out->page_w = t->page_w;
    out->page_h = t->page_h;
    plan_footer(&c); /* its errors stop the layout before pages are made, below */
    chunklist l = {0};
    flow_title(&c, &l);
    double sp = t->paragraph_gap * 1.5;
    if (doc->safety) {
        flow_block(&c, &l, doc->safety, c.x0, c.width, 0, sp);
        sp = t->paragraph_gap * 1.5;
    }
    flow_blocks(&c, &l, doc->blocks, doc->nblocks, c.x0, c.width, 0, sp);
    flow_contact(&c, &l);
    if (c.st != HD_OK) return c.st;
    hd_status s = paginate(&c, &l, out);
    if (s != HD_OK) return s;
    add_furniture(&c, out);
    return HD_OK;
}
