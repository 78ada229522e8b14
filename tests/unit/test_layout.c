/* test_layout.c: line breaking and pagination on plain structs, with the
 * real fonts from fonts/ (run from the project root after `make fonts`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "font.h"
#include "fsutil.h"
#include "layout.h"
#include "model.h"

typedef struct {
    hd_arena *a;
    hd_diags d;
    hd_fontlib *lib;
    hd_fontset fs;
    hd_template t;
    hd_spec spec;
} fx;

static int setup(void **state) {
    static fx f;
    memset(&f, 0, sizeof f);
    f.a = hd_arena_new();
    hd_diags_init(&f.d);
    f.lib = hd_fontlib_new("fonts");
    if (hd_fontlib_fontset(f.lib, &f.d, "noto-sans", "dejavu-sans-mono", "dejavu-sans", hd_pos_at(NULL, 0, 0), &f.fs))
        return -1;
    hd_template *t = &f.t;
    t->page_w = 612, t->page_h = 792;
    t->margin_top = t->margin_bottom = 54;
    t->margin_left = t->margin_right = 57.6;
    t->body_size = 13, t->line_height = 1.45, t->small_size = 10, t->paragraph_gap = 8;
    double hs[6] = {22, 17, 15, 14, 13, 13};
    memcpy(t->heading_size, hs, sizeof hs);
    t->text = (hd_rgb){0.1, 0.1, 0.1};
    t->primary = (hd_rgb){0.12, 0.3, 0.47};
    t->muted = t->accent = t->safety_border = t->text;
    t->safety_bg = (hd_rgb){1, 0.95, 0.88};
    t->header[0] = t->header[1] = t->header[2] = "";
    t->footer[0] = "Reviewed {reviewed}", t->footer[1] = "", t->footer[2] = "Page {page} of {pages}";
    f.spec.path = "t.yaml";
    f.spec.title_pos = hd_pos_at("t.yaml", 2, 8);
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fx *f = *state;
    hd_diags_free(&f->d);
    hd_arena_free(f->a);
    hd_fontlib_free(f->lib);
    return 0;
}

static hd_span text_span(const char *s, unsigned style) {
    hd_span sp = {HD_SP_TEXT, style, s, NULL, hd_pos_at("t.md", 1, 1)};
    return sp;
}

/* The text of line i, spans joined. */
static void line_text(const hd_span *sp, const hd_line *l, char *buf, size_t size) {
    size_t n = 0;
    for (size_t i = l->first_span; i <= l->last_span; i++) {
        if (sp[i].kind != HD_SP_TEXT) continue;
        size_t from = i == l->first_span ? l->first_off : 0;
        size_t to = i == l->last_span ? l->last_off : strlen(sp[i].text);
        if (to > from && n + (to - from) < size) memcpy(buf + n, sp[i].text + from, to - from), n += to - from;
    }
    buf[n] = 0;
}

static void test_break_fits_and_keeps_words(void **state) {
    fx *f = *state;
    hd_span sp[1] = {text_span("one two three four five six seven eight nine ten eleven twelve", 0)};
    hd_line *lines;
    size_t n;
    double width = 100;
    assert_int_equal(hd_break_lines(f->a, &f->d, &f->fs, sp, 1, HD_F_REG, 13, width, &lines, &n), HD_OK);
    assert_true(n >= 4);
    char all[256] = "", buf[128];
    for (size_t i = 0; i < n; i++) {
        assert_true(lines[i].width <= width + 0.001);
        line_text(sp, &lines[i], buf, sizeof buf);
        /* measured width equals the font's width of the line's text */
        assert_true(fabs(lines[i].width - hd_fontset_text_width(&f->fs, HD_F_REG, buf, strlen(buf), 13)) < 0.01);
        assert_true(buf[0] != ' ' && buf[strlen(buf) - 1] != ' ');
        if (i) strcat(all, " ");
        strcat(all, buf);
    }
    assert_string_equal(all, sp[0].text);
}

static void test_break_greedy_fills_lines(void **state) {
    fx *f = *state;
    hd_span sp[1] = {text_span("aa bb cc dd", 0)};
    hd_line *lines;
    size_t n;
    /* room for exactly "aa bb" */
    double w = hd_fontset_text_width(&f->fs, HD_F_REG, "aa bb", 5, 13);
    hd_break_lines(f->a, &f->d, &f->fs, sp, 1, HD_F_REG, 13, w, &lines, &n);
    assert_int_equal(n, 2);
    char buf[32];
    line_text(sp, &lines[0], buf, sizeof buf);
    assert_string_equal(buf, "aa bb");
    line_text(sp, &lines[1], buf, sizeof buf);
    assert_string_equal(buf, "cc dd");
}

static void test_break_long_word_is_split(void **state) {
    fx *f = *state;
    const char *url = "https://example.org/a/very/long/path/without/any/spaces/at/all/index.html";
    hd_span sp[1] = {text_span(url, 0)};
    hd_line *lines;
    size_t n;
    hd_break_lines(f->a, &f->d, &f->fs, sp, 1, HD_F_REG, 13, 120, &lines, &n);
    assert_true(n >= 3);
    char all[256] = "", buf[128];
    for (size_t i = 0; i < n; i++) {
        assert_true(lines[i].width <= 120 + 0.001);
        line_text(sp, &lines[i], buf, sizeof buf);
        strcat(all, buf);
    }
    assert_string_equal(all, url); /* nothing lost, nothing added */
}

static void test_break_never_between_styled_pieces(void **state) {
    fx *f = *state;
    /* "**bold**plain" is one word across two spans */
    hd_span sp[3] = {text_span("xx ", 0), text_span("bold", HD_ST_BOLD), text_span("plain yy", 0)};
    hd_line *lines;
    size_t n;
    double w = hd_fontset_text_width(&f->fs, HD_F_BOLD, "bold", 4, 13) +
               hd_fontset_text_width(&f->fs, HD_F_REG, "plain", 5, 13) + 1;
    hd_break_lines(f->a, &f->d, &f->fs, sp, 3, HD_F_REG, 13, w, &lines, &n);
    assert_int_equal(n, 3);
    char buf[64];
    line_text(sp, &lines[1], buf, sizeof buf);
    assert_string_equal(buf, "boldplain");
}

static void test_break_hard_break(void **state) {
    fx *f = *state;
    hd_span sp[3] = {text_span("first", 0), {HD_SP_BREAK, 0, "", NULL, {0}}, text_span("second", 0)};
    hd_line *lines;
    size_t n;
    hd_break_lines(f->a, &f->d, &f->fs, sp, 3, HD_F_REG, 13, 400, &lines, &n);
    assert_int_equal(n, 2);
    assert_true(lines[0].hard_break);
    char buf[32];
    line_text(sp, &lines[1], buf, sizeof buf);
    assert_string_equal(buf, "second");
}

/* ---- pagination ---- */

static hd_block para(fx *f, const char *text) {
    hd_block b = {0};
    b.kind = HD_BLK_PARA;
    b.spans = hd_alloc(f->a, sizeof *b.spans);
    b.spans[0] = text_span(text, 0);
    b.nspans = 1;
    return b;
}

static hd_block heading(fx *f, const char *text, int level) {
    hd_block b = para(f, text);
    b.kind = HD_BLK_HEADING;
    b.level = level;
    return b;
}

static const char *LONG =
    "This paragraph is long enough to take several lines on the page, so that a page break can fall inside it. "
    "It goes on with plain words and short sentences, the way a handout should read. It says the same thing "
    "again in other words, so that it fills five or six lines of the text column at thirteen points.";

static hd_doc make_doc(fx *f, hd_block *blocks, size_t n) {
    hd_doc doc = {0};
    doc.spec = &f->spec;
    doc.tpl = &f->t;
    doc.title = "A test handout";
    doc.lang = "en";
    doc.blocks = blocks;
    doc.nblocks = n;
    doc.reviewed_text = "October 2026";
    return doc;
}

static void test_pages_keep_rules(void **state) {
    fx *f = *state;
    enum { N = 60 };
    hd_block b[N];
    for (int i = 0; i < N; i++) b[i] = i % 4 == 0 ? heading(f, "A heading that must not be stranded", 2) : para(f, LONG);
    hd_doc doc = make_doc(f, b, N);
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_OK);
    assert_true(l.npages >= 4);
    for (size_t p = 0; p < l.npages; p++) {
        const hd_oplist *pg = &l.pages[p];
        int last_body_group = -1, last_role = -1;
        double bottom = 792 - 54;
        for (size_t i = 0; i < pg->n; i++) {
            const hd_op *op = &pg->v[i];
            if (op->kind != HD_OP_TEXT || op->role == HD_ROLE_ARTIFACT) continue;
            /* every line inside the text area and the page */
            assert_true(op->y <= bottom + 0.01);
            assert_true(op->x >= 57.6 - 0.01 && op->x + op->w <= 612 - 57.6 + 0.01);
            last_role = op->role;
            last_body_group = op->group;
        }
        /* a heading is never the last thing on a page */
        if (p + 1 < l.npages) assert_int_not_equal(last_role, HD_ROLE_HEADING);
        (void)last_body_group;
    }
    /* no paragraph leaves a single line on either side of a page break */
    for (size_t p = 0; p + 1 < l.npages; p++) {
        const hd_oplist *a = &l.pages[p], *b2 = &l.pages[p + 1];
        int g = -1;
        for (size_t i = 0; i < a->n; i++)
            if (a->v[i].kind == HD_OP_TEXT && a->v[i].role == HD_ROLE_BODY) g = a->v[i].group;
        double ys_a[64], ys_b[64];
        size_t na = 0, nb = 0;
        for (size_t i = 0; i < a->n; i++)
            if (a->v[i].kind == HD_OP_TEXT && a->v[i].group == g && (na == 0 || ys_a[na - 1] != a->v[i].y) && na < 64)
                ys_a[na++] = a->v[i].y;
        for (size_t i = 0; i < b2->n; i++)
            if (b2->v[i].kind == HD_OP_TEXT && b2->v[i].group == g && (nb == 0 || ys_b[nb - 1] != b2->v[i].y) && nb < 64)
                ys_b[nb++] = b2->v[i].y;
        if (nb > 0) { /* the paragraph was split */
            assert_true(na >= 2);
            assert_true(nb >= 2);
        }
    }
}

/* A title that wraps is broken into lines of similar length: the last line
 * is not a lone word, and there are no more lines than at full width. */
static void test_title_lines_balanced(void **state) {
    fx *f = *state;
    hd_block b[1] = {para(f, "Body.")};
    hd_doc doc = make_doc(f, b, 1);
    doc.title = "How long does ketamine pain relief last for most people?";
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_OK);
    double w[8] = {0}, y[8];
    size_t n = 0;
    for (size_t i = 0; i < l.pages[0].n; i++) {
        const hd_op *op = &l.pages[0].v[i];
        if (op->kind != HD_OP_TEXT || op->role != HD_ROLE_HEADING || op->level != 1) continue;
        if (!n || y[n - 1] != op->y) y[n++] = op->y;
        w[n - 1] = op->x + op->w - 57.6; /* from the left margin to the end of the line */
    }
    assert_int_equal(n, 2); /* as at full width (about 1.2 lines of text) */
    assert_true(w[1] > 0.6 * w[0]); /* not a long line and a short one */
}

static void test_outline_and_page_numbers(void **state) {
    fx *f = *state;
    hd_block b[8];
    for (int i = 0; i < 8; i++) b[i] = i % 2 ? para(f, LONG) : heading(f, "Section", 2);
    hd_doc doc = make_doc(f, b, 8);
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_OK);
    assert_int_equal(l.noutline, 5); /* the title and four headings */
    assert_string_equal(l.outline[0].title, "A test handout");
    /* the footer says "Page 1 of N" */
    char want[32];
    snprintf(want, sizeof want, "Page 1 of %zu", l.npages);
    int found = 0;
    for (size_t i = 0; i < l.pages[0].n; i++)
        if (l.pages[0].v[i].kind == HD_OP_TEXT && strstr(l.pages[0].v[i].text, want)) found = 1;
    assert_true(found);
}

static void test_safety_box_too_tall(void **state) {
    fx *f = *state;
    enum { N = 30 };
    hd_block kids[N];
    for (int i = 0; i < N; i++) kids[i] = para(f, LONG);
    hd_block box = {0};
    box.kind = HD_BLK_SAFETY;
    box.title = "Safety information";
    box.children = kids;
    box.nchildren = N;
    box.pos = hd_pos_at("safety.yaml", 7, 3);
    hd_block body[1] = {para(f, "Body.")};
    hd_doc doc = make_doc(f, body, 1);
    doc.safety = &box;
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.v[0].file, "safety.yaml");
    assert_int_equal(f->d.v[0].line, 7);
    assert_non_null(strstr(f->d.v[0].msg, "the safety information is too long for page 1"));
}

static void test_safety_box_on_page_one_whole(void **state) {
    fx *f = *state;
    hd_block kids[2] = {para(f, LONG), para(f, "Call 911 in an emergency.")};
    hd_block box = {0};
    box.kind = HD_BLK_SAFETY;
    box.title = "Safety information";
    box.children = kids;
    box.nchildren = 2;
    hd_block body[20];
    for (int i = 0; i < 20; i++) body[i] = para(f, LONG);
    hd_doc doc = make_doc(f, body, 20);
    doc.safety = &box;
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_OK);
    int on1 = 0;
    for (size_t i = 0; i < l.pages[0].n; i++) on1 += l.pages[0].v[i].role == HD_ROLE_SAFETY;
    assert_true(on1 > 3);
    for (size_t p = 1; p < l.npages; p++)
        for (size_t i = 0; i < l.pages[p].n; i++) assert_int_not_equal(l.pages[p].v[i].role, HD_ROLE_SAFETY);
}

static void test_missing_glyph_is_an_error(void **state) {
    fx *f = *state;
    hd_block b[1] = {para(f, "A smile \xF0\x9F\x98\x80 here")};
    b[0].spans[0].pos = hd_pos_at("t.md", 4, 3);
    hd_doc doc = make_doc(f, b, 1);
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_ERR_CONTENT);
    char buf[512];
    hd_diag_format(&f->d.v[0], buf, sizeof buf);
    assert_string_equal(buf, "t.md:4:11: error: the character '\xF0\x9F\x98\x80' (U+1F600) is in no font this handout uses "
                             "(Noto Sans, or DejaVu Sans as fallback); replace it or pick a font family that has it");
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) return o[0] = (char)cp, 1;
    if (cp < 0x800) return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
    o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* Layout remembers which face draws each character and its advance (more
 * characters above U+00FF than it has room for, some only in the fallback
 * face): the lines and widths are those the fontset gives directly. */
static void test_layout_measures_as_the_fontset(void **state) {
    fx *f = *state;
    static const unsigned more[] = {0xE9, 0xF1, 0xFC, 0xE0, 0xBD, 0xA9, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x2022,
                                    0x2026, 0x2264, 0x2265, 0x2260, 0x2200, 0x2203, 0x2211, 0x2190, 0x2191, 0x2192, 0x2193};
    unsigned cps[200];
    size_t ncp = 0;
    for (unsigned c = 0x391; c <= 0x3A9; c++)
        if (c != 0x3A2) cps[ncp++] = c; /* Greek capitals */
    for (unsigned c = 0x3B1; c <= 0x3C9; c++) cps[ncp++] = c;
    for (unsigned c = 0x430; c <= 0x44F; c++) cps[ncp++] = c; /* Cyrillic */
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) cps[ncp++] = more[i];
    char *text = hd_alloc(f->a, 4096), *o = text;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < ncp; i++) {
            o += put_utf8(o, cps[i]);
            if (i % 6 == 5) o += sprintf(o, " word%zu ", i);
        }
    *o = 0;
    hd_block b[1] = {para(f, text)};
    hd_doc doc = make_doc(f, b, 1);
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_OK);
    assert_int_equal(l.npages, 1);
    /* the lines the public line breaker makes (nothing remembered there) */
    hd_line *lines;
    size_t nl;
    hd_break_lines(f->a, &f->d, &f->fs, b[0].spans, 1, HD_F_REG, 13, 612 - 2 * 57.6, &lines, &nl);
    assert_true(nl >= 4);
    char want[1024], got[1024];
    size_t line = 0, n = 0;
    double y = -1;
    got[0] = 0;
    const hd_oplist *pg = &l.pages[0];
    for (size_t i = 0; i <= pg->n; i++) {
        const hd_op *op = i < pg->n ? &pg->v[i] : NULL;
        if (op && (op->kind != HD_OP_TEXT || op->role != HD_ROLE_BODY)) continue;
        if (!op || (n > 0 && op->y != y)) { /* a line is complete */
            assert_true(line < nl);
            line_text(b[0].spans, &lines[line++], want, sizeof want);
            assert_string_equal(got, want);
            n = 0;
            got[0] = 0;
        }
        if (!op) break;
        y = op->y;
        /* each op: one face that draws all of it, as picked; its width as measured in that face */
        const char *p = op->text;
        while (*p) assert_int_equal(hd_fontset_pick(&f->fs, HD_F_REG, hd_utf8_next(&p)), op->face);
        assert_true(op->w == hd_face_text_width(f->fs.face[op->face], op->text, strlen(op->text), op->size));
        n += (size_t)snprintf(got + n, sizeof got - n, "%s", op->text);
    }
    assert_int_equal(line, nl);
}


/* ---- invisible characters pasted from word processors and web pages ---- */

#define SHY "\xC2\xAD"         /* U+00AD soft hyphen */
#define ZWSP "\xE2\x80\x8B"    /* U+200B zero-width space */
#define WJ "\xE2\x81\xA0"      /* U+2060 word joiner */
#define BOM "\xEF\xBB\xBF"     /* U+FEFF */
#define LRM "\xE2\x80\x8E"     /* U+200E */
#define RLM "\xE2\x80\x8F"     /* U+200F */
#define ZWJ "\xE2\x80\x8D"     /* U+200D */
#define ZWNJ "\xE2\x80\x8C"    /* U+200C */

static const unsigned INVISIBLE[] = {0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x61C, 0x202A, 0x202E, 0x2066, 0x2069};

/* None takes width or needs a glyph, in any face, fallback or not: the
 * coverage check accepts them even where no face has them. */
static void test_invisible_no_width_no_glyph(void **state) {
    fx *f = *state;
    hd_fontset bare; /* no fallback faces */
    assert_int_equal(hd_fontlib_fontset(f->lib, &f->d, "liberation-sans", NULL, NULL, hd_pos_at(NULL, 0, 0), &bare), HD_OK);
    int missing = 0;
    for (size_t i = 0; i < sizeof INVISIBLE / sizeof INVISIBLE[0]; i++) {
        char s[16] = "ab", *o = s + 1;
        o += put_utf8(o, INVISIBLE[i]);
        *o++ = 'b', *o = 0;
        for (int face = HD_F_REG; face <= HD_F_MONO; face++) {
            assert_true(fabs(hd_fontset_text_width(&f->fs, face, s, strlen(s), 13) -
                             hd_fontset_text_width(&f->fs, face, "ab", 2, 13)) < 1e-9);
            assert_int_equal(hd_fontset_pick(&f->fs, face, INVISIBLE[i]), face);
        }
        assert_int_equal(hd_fontset_pick(&bare, HD_F_REG, INVISIBLE[i]), HD_F_REG);
        assert_int_equal(hd_text_check(&bare, HD_F_REG, s, strlen(s), NULL), 0);
        missing += !hd_face_has(bare.face[HD_F_REG], INVISIBLE[i]);
    }
    assert_true(missing > 0); /* the check above is not only the cmap's */
}

/* The text drawn leaves them out; its width is that of the visible text. */
static void test_invisible_not_drawn(void **state) {
    fx *f = *state;
    const char *s = BOM "Word" WJ "joiner, left" LRM "mark, right" RLM "mark, z" ZWNJ "w" ZWJ "j, soft" SHY "hyphen, zero" ZWSP "width" WJ;
    hd_oplist l = {0};
    double w = hd_emit_text(f->a, &l, &f->fs, HD_F_REG, 13, f->t.text, 0, 0, s, strlen(s), HD_ROLE_BODY);
    char got[256] = "";
    for (size_t i = 0; i < l.n; i++) strcat(got, l.v[i].text);
    const char *want = "Wordjoiner, leftmark, rightmark, zwj, softhyphen, zerowidth";
    assert_string_equal(got, want);
    assert_true(fabs(w - hd_fontset_text_width(&f->fs, HD_F_REG, want, strlen(want), 13)) < 1e-9);
    /* Greek from the fallback face with a joiner inside stays one run */
    l.n = 0;
    hd_emit_text(f->a, &l, &f->fs, HD_F_MONO, 13, f->t.text, 0, 0, "\xCE\xB1" WJ "\xCE\xB2", 5 + 3, HD_ROLE_BODY);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].text, "\xCE\xB1\xCE\xB2");
}

/* A word that does not fit is broken at its last soft hyphen where the
 * first part and a hyphen fit; a hyphen is drawn only there. */
static void test_break_at_soft_hyphen(void **state) {
    fx *f = *state;
    hd_span sp[1] = {text_span("aa ex" SHY "tra" SHY "or" SHY "di" SHY "nary bb", 0)};
    hd_line *lines;
    size_t n;
    double w = hd_fontset_text_width(&f->fs, HD_F_REG, "aa extraor-", 11, 13);
    hd_break_lines(f->a, &f->d, &f->fs, sp, 1, HD_F_REG, 13, w, &lines, &n);
    assert_int_equal(n, 2);
    char buf[64];
    line_text(sp, &lines[0], buf, sizeof buf);
    assert_string_equal(buf, "aa ex" SHY "tra" SHY "or" SHY);
    assert_true(lines[0].hyphen && !lines[0].split_word && !lines[0].zero_width_break);
    assert_true(fabs(lines[0].width - w) < 1e-9); /* the hyphen counts */
    line_text(sp, &lines[1], buf, sizeof buf);
    assert_string_equal(buf, "di" SHY "nary bb");
    assert_false(lines[1].hyphen);
    /* room for all of it: no hyphen */
    hd_break_lines(f->a, &f->d, &f->fs, sp, 1, HD_F_REG, 13, 400, &lines, &n);
    assert_int_equal(n, 1);
    assert_false(lines[0].hyphen);
    assert_true(fabs(lines[0].width - hd_fontset_text_width(&f->fs, HD_F_REG, "aa extraordinary bb", 19, 13)) < 1e-9);
}

/* A word wider than a line breaks at soft hyphens, not between letters;
 * one at the start or end of a word is no place to break. */
static void test_long_word_breaks_at_soft_hyphens(void **state) {
    fx *f = *state;
    hd_span sp[1] = {text_span(SHY "anti" SHY "inflam" SHY "ma" SHY "tory" SHY, 0)};
    hd_line *lines;
    size_t n;
    double w = hd_fontset_text_width(&f->fs, HD_F_REG, "inflamma-", 9, 13);
    hd_break_lines(f->a, &f->d, &f->fs, sp, 1, HD_F_REG, 13, w, &lines, &n);
    assert_int_equal(n, 3);
    const char *want[3] = {SHY "anti" SHY, "inflam" SHY "ma" SHY, "tory" SHY};
    char buf[64];
    for (size_t i = 0; i < 3; i++) {
        line_text(sp, &lines[i], buf, sizeof buf);
        assert_string_equal(buf, want[i]);
        assert_int_equal(lines[i].hyphen, i < 2);
        assert_false(lines[i].split_word);
        assert_true(lines[i].width <= w + 0.001);
    }
}

/* A zero-width space is a place to break, with no space and no hyphen. */
static void test_break_at_zero_width_space(void **state) {
    fx *f = *state;
    hd_span sp[1] = {text_span("please go to example.org/" ZWSP "longer/" ZWSP "path now", 0)};
    hd_line *lines;
    size_t n;
    double w = hd_fontset_text_width(&f->fs, HD_F_REG, "example.org/longer/", 19, 13);
    hd_break_lines(f->a, &f->d, &f->fs, sp, 1, HD_F_REG, 13, w, &lines, &n);
    assert_int_equal(n, 3);
    char buf[64];
    line_text(sp, &lines[0], buf, sizeof buf);
    assert_string_equal(buf, "please go to");
    assert_false(lines[0].zero_width_break); /* broke at a space */
    line_text(sp, &lines[1], buf, sizeof buf);
    assert_string_equal(buf, "example.org/" ZWSP "longer/");
    assert_true(lines[1].zero_width_break && !lines[1].hyphen && !lines[1].split_word);
    assert_true(fabs(lines[1].width - w) < 1e-9);
    line_text(sp, &lines[2], buf, sizeof buf);
    assert_string_equal(buf, "path now");
}

/* In a laid-out paragraph: no invisible character in any op, a hyphen op
 * (an artifact) where a line broke at a soft hyphen, and the line's text
 * marked as going on with the next line, not as ending at a space. */
static void test_layout_soft_hyphen_and_zero_width_space(void **state) {
    fx *f = *state;
    char text[4096] = "";
    for (int i = 0; i < 40; i++)
        strcat(text, "in" SHY "com" SHY "pre" SHY "hen" SHY "si" SHY "bil" SHY "i" SHY "ty" WJ " ex" ZWSP "ample" LRM " ");
    hd_block b[1] = {para(f, text)};
    hd_doc doc = make_doc(f, b, 1);
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_OK);
    int hyphens = 0, lines = 0;
    const hd_op *prev = NULL; /* the last body text op before */
    for (size_t i = 0; i < l.pages[0].n; i++) {
        const hd_op *op = &l.pages[0].v[i];
        if (op->kind != HD_OP_TEXT) continue;
        if (op->role == HD_ROLE_BODY) {
            for (const char *p = op->text; *p;) assert_int_equal(hd_invisible(hd_utf8_next(&p)), HD_VISIBLE);
            if (prev && op->y != prev->y) {
                lines++;
                assert_true(prev->joins_next != prev->space_after); /* inside a word, or at a space */
            }
            prev = op;
        } else if (op->role == HD_ROLE_ARTIFACT && !strcmp(op->text, "-")) { /* a hyphen ends the line */
            assert_non_null(prev);
            assert_true(op->y == prev->y && fabs(op->x - (prev->x + prev->w)) < 1e-9);
            assert_true(prev->joins_next && !prev->space_after);
            hyphens++;
        }
    }
    assert_true(lines >= 5);
    assert_true(hyphens >= 1);
}

/* ---- the contact box ---- */

/* The lines of text ops of a role on a page, each line's ops joined. */
static size_t text_lines(const hd_oplist *pg, hd_role role, double from_y, char out[][128], double *y, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < pg->n; i++) {
        const hd_op *op = &pg->v[i];
        if (op->kind != HD_OP_TEXT || op->role != role || op->y < from_y) continue;
        if (n == 0 || y[n - 1] != op->y) {
            if (n == max) break;
            y[n] = op->y;
            out[n++][0] = 0;
        }
        strncat(out[n - 1], op->text, 127 - strlen(out[n - 1]));
    }
    return n;
}

/* Each line of a block address is a line of its own in the box; a line
 * too long for the box still wraps inside it. */
static void test_contact_address_keeps_lines(void **state) {
    fx *f = *state;
    hd_clinic cl = {0};
    cl.name = "Summit Spine & Pain Center";
    cl.phone = "555-0120";
    cl.address = "400 Summit Avenue\nSuite 2\nLakeview, a town whose name goes on and on well past the right edge "
                 "of the box so that it has to wrap";
    hd_block b[1] = {para(f, "Body.")};
    hd_doc doc = make_doc(f, b, 1);
    doc.clinic = &cl;
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_OK);
    const hd_oplist *pg = &l.pages[l.npages - 1];
    char got[16][128];
    double y[16];
    double body_y = 0; /* under the body paragraph */
    for (size_t i = 0; i < pg->n; i++)
        if (pg->v[i].kind == HD_OP_TEXT && pg->v[i].role == HD_ROLE_BODY && !strcmp(pg->v[i].text, "Body.")) body_y = pg->v[i].y;
    size_t n = text_lines(pg, HD_ROLE_BODY, body_y + 1, got, y, 16);
    assert_true(n >= 6);
    assert_string_equal(got[0], "Summit Spine & Pain Center");
    assert_string_equal(got[1], "Phone: 555-0120");
    assert_string_equal(got[2], "400 Summit Avenue");
    assert_string_equal(got[3], "Suite 2");
    assert_non_null(strstr(got[4], "Lakeview, a town"));
    assert_true(n == 6 && strstr(got[5], "to wrap")); /* the long line wrapped once */
    for (size_t i = 0; i < pg->n; i++) /* inside the box */
        if (pg->v[i].kind == HD_OP_TEXT && pg->v[i].role == HD_ROLE_BODY && pg->v[i].y > body_y)
            assert_true(pg->v[i].x + pg->v[i].w <= 612 - 57.6 - 13 * 0.8 + 0.01);
}

/* An address too tall for a page is the contact box's error. */
static void test_contact_address_too_tall(void **state) {
    fx *f = *state;
    hd_clinic cl = {0};
    cl.name = "Clinic";
    char *addr = hd_alloc(f->a, 60 * 8 + 1);
    addr[0] = 0;
    for (int i = 0; i < 60; i++) strcat(addr, i ? "\nLine 1" : "Line 1");
    cl.address = addr;
    hd_block b[1] = {para(f, "Body.")};
    hd_doc doc = make_doc(f, b, 1);
    doc.clinic = &cl;
    hd_layout l;
    assert_int_equal(hd_layout_doc(f->a, &f->d, &doc, &f->fs, &l), HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_non_null(strstr(f->d.v[0].msg, "the contact box is "));
    assert_non_null(strstr(f->d.v[0].msg, "pt tall but a page has room for"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_break_fits_and_keeps_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_greedy_fills_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_long_word_is_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_never_between_styled_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_hard_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages_keep_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outline_and_page_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_lines_balanced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_safety_box_too_tall, setup, teardown),
        cmocka_unit_test_setup_teardown(test_safety_box_on_page_one_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_glyph_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_measures_as_the_fontset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invisible_no_width_no_glyph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invisible_not_drawn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_at_soft_hyphen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_word_breaks_at_soft_hyphens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_at_zero_width_space, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_soft_hyphen_and_zero_width_space, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact_address_keeps_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact_address_too_tall, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
