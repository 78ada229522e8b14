/* test_yamlread.c: YAML -> node tree, and everything yamlread refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "yamlread.h"

typedef struct {
    hd_arena *a;
    hd_diags d;
    hd_ynode *root;
    hd_status st;
    char msg[1400];
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    f->a = hd_arena_new();
    hd_diags_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    hd_diags_free(&f->d);
    hd_arena_free(f->a);
    free(f);
    return 0;
}

static void parse(fixture *f, const char *text) {
    f->st = hd_yaml_parse(f->a, &f->d, "t.yaml", text, strlen(text), &f->root);
}

/* The i-th diagnostic, formatted. */
static const char *diag(fixture *f, size_t i) {
    if (i >= f->d.n) return "(no such diagnostic)";
    hd_diag_format(&f->d.v[i], f->msg, sizeof f->msg);
    return f->msg;
}

static void test_tree_and_positions(void **state) {
    fixture *f = *state;
    parse(f, "# comment\n"
             "id: ketamine\n"
             "list: [a, 'b c']\n"
             "map:\n"
             "  k: \"v\"\n"
             "md: |\n"
             "  ## Head\n"
             "  text\n");
    assert_int_equal(f->st, HD_OK);
    assert_int_equal(f->d.n, 0);
    hd_ynode *r = f->root;
    assert_int_equal(r->kind, HD_YMAP);
    assert_int_equal(r->pos.line, 2);
    assert_int_equal(r->pos.col, 1);
    assert_int_equal(r->npairs, 4);
    assert_string_equal(r->pairs[0].key, "id");
    assert_int_equal(r->pairs[0].key_pos.line, 2);
    assert_int_equal(r->pairs[0].value->pos.col, 5);
    assert_int_equal(r->pairs[0].value->style, HD_YPLAIN);

    hd_ynode *list = hd_ymap_get(r, "list");
    assert_non_null(list);
    assert_int_equal(list->kind, HD_YSEQ);
    assert_int_equal(list->nitems, 2);
    assert_string_equal(list->items[1]->str, "b c");
    assert_int_equal(list->items[1]->style, HD_YQUOTED);
    assert_int_equal(list->items[1]->pos.line, 3);
    assert_int_equal(list->items[1]->pos.col, 11);
    assert_int_equal(list->items[1]->text_pos.col, 12);

    hd_ynode *k = hd_ymap_get(hd_ymap_get(r, "map"), "k");
    assert_string_equal(k->str, "v");
    assert_int_equal(k->pos.line, 5);
    assert_int_equal(k->pos.col, 6);

    hd_ynode *md = hd_ymap_get(r, "md");
    assert_int_equal(md->style, HD_YLITERAL);
    assert_string_equal(md->str, "## Head\ntext\n");
    assert_int_equal(md->len, 13);
    assert_int_equal(md->pos.line, 6);
    assert_int_equal(md->pos.col, 5);
    assert_int_equal(md->text_pos.line, 7);
    assert_int_equal(md->text_pos.col, 3);

    assert_null(hd_ymap_get(r, "nope"));
    assert_string_equal(hd_ynode_what(list), "a list");
    assert_string_equal(hd_ynode_what(r), "a mapping");
    assert_string_equal(hd_ynode_what(k), "text");
}

static void test_block_text_pos_leading_blank_and_indicator(void **state) {
    fixture *f = *state;
    parse(f, "sections:\n"
             "  - markdown: |\n"
             "\n"
             "        deep\n"
             "  - markdown: |2\n"
             "        code\n"
             "  - markdown: >\n"
             "      a\n"
             "      b\n");
    assert_int_equal(f->st, HD_OK);
    hd_ynode *s = hd_ymap_get(f->root, "sections");
    hd_ynode *m0 = hd_ymap_get(s->items[0], "markdown");
    assert_string_equal(m0->str, "\ndeep\n");
    assert_int_equal(m0->text_pos.line, 3);
    assert_int_equal(m0->text_pos.col, 9);
    hd_ynode *m1 = hd_ymap_get(s->items[1], "markdown");
    assert_string_equal(m1->str, "  code\n"); /* |2: two more than the mapping's 4 */
    assert_int_equal(m1->text_pos.line, 6);
    assert_int_equal(m1->text_pos.col, 7);
    hd_ynode *m2 = hd_ymap_get(s->items[2], "markdown");
    assert_string_equal(m2->str, "a b\n");
    assert_int_equal(m2->text_pos.line, 8);
    assert_int_equal(m2->text_pos.col, 7);
}

/* Block styles apart, and the comments that may have eaten text of a plain
 * value: after it on its line, or between its key and a later line. */
static void test_styles_and_comments(void **state) {
    fixture *f = *state;
    parse(f, "a: plain # note\n"     /* 1 */
             "b: 'q' # n\n"          /* 2 */
             "c: |\n  x\n"           /* 3-4 */
             "d: >\n  x\n"           /* 5-6 */
             "e: #2 x\n"             /* 7 */
             "f:  # Head\n  text\n"  /* 8-9 */
             "g: \xc3\xa9 # x\n"     /* 10 */
             "h:\n\n  ## Sub\n  y\n"  /* 11-14 */
             "i: 'a #b'\n"           /* 15 */
             "j: wide   # c\n"        /* 16 */
             "k: tab\t# c\n"          /* 17 */
             "l: |2- ## Head\n  z\n"  /* 18-19 */
             "m: >\t# c\n  z\n");     /* 20-21 */
    assert_int_equal(f->st, HD_OK);
    hd_ynode *r = f->root;
    hd_ynode *a = hd_ymap_get(r, "a");
    assert_string_equal(a->str, "plain");
    assert_int_equal(a->comment_after.line, 1);
    assert_int_equal(a->comment_after.col, 10);
    assert_string_equal(a->comment, "# note");
    assert_int_equal(a->comment_before.line, 0);
    assert_int_equal(a->end_pos.col, 9);
    assert_int_equal(hd_ymap_get(r, "b")->style, HD_YQUOTED);
    assert_int_equal(hd_ymap_get(r, "b")->comment_after.line, 0);
    assert_int_equal(hd_ymap_get(r, "c")->style, HD_YLITERAL);
    assert_int_equal(hd_ymap_get(r, "d")->style, HD_YFOLDED);
    hd_ynode *e = hd_ymap_get(r, "e");
    assert_true(hd_ynode_is_null(e));
    assert_int_equal(e->comment_after.line, 7);
    assert_int_equal(e->comment_after.col, 4);
    assert_string_equal(e->comment, "#2 x");
    hd_ynode *fv = hd_ymap_get(r, "f");
    assert_string_equal(fv->str, "text");
    assert_int_equal(fv->comment_before.line, 8);
    assert_int_equal(fv->comment_before.col, 5);
    assert_int_equal(fv->comment_after.line, 0);
    hd_ynode *g = hd_ymap_get(r, "g");
    assert_int_equal(g->comment_after.line, 10);
    assert_int_equal(g->comment_after.col, 6); /* columns count characters */
    hd_ynode *h = hd_ymap_get(r, "h");
    assert_string_equal(h->str, "y");
    assert_int_equal(h->comment_before.line, 13);
    assert_int_equal(h->comment_before.col, 3);
    hd_ynode *i = hd_ymap_get(r, "i");
    assert_string_equal(i->str, "a #b");
    assert_int_equal(i->comment_after.line, 0);
    /* one space before '#' is a slip; more, or a tab, a comment on purpose */
    assert_true(a->comment_slip);
    assert_true(e->comment_slip);
    assert_false(fv->comment_slip);
    assert_int_equal(hd_ymap_get(r, "j")->comment_after.col, 11);
    assert_false(hd_ymap_get(r, "j")->comment_slip);
    assert_int_equal(hd_ymap_get(r, "k")->comment_after.line, 17);
    assert_false(hd_ymap_get(r, "k")->comment_slip);
    /* a block's header line */
    assert_int_equal(hd_ymap_get(r, "c")->comment_after.line, 0);
    hd_ynode *l = hd_ymap_get(r, "l");
    assert_string_equal(l->str, "z");
    assert_int_equal(l->comment_after.line, 18);
    assert_int_equal(l->comment_after.col, 8);
    assert_string_equal(l->comment, "## Head");
    assert_true(l->comment_slip);
    hd_ynode *m = hd_ymap_get(r, "m");
    assert_int_equal(m->comment_after.col, 6);
    assert_false(m->comment_slip);
}

static void test_crlf_lines(void **state) {
    fixture *f = *state;
    parse(f, "a: 1\r\nmd: |\r\n   x\r\n");
    assert_int_equal(f->st, HD_OK);
    hd_ynode *md = hd_ymap_get(f->root, "md");
    assert_string_equal(md->str, "x\n");
    assert_int_equal(md->text_pos.line, 3);
    assert_int_equal(md->text_pos.col, 4);
}

static void test_null_scalars(void **state) {
    fixture *f = *state;
    parse(f, "a:\nb: ~\nc: null\nd: ''\ne: x\n");
    assert_int_equal(f->st, HD_OK);
    assert_true(hd_ynode_is_null(hd_ymap_get(f->root, "a")));
    assert_true(hd_ynode_is_null(hd_ymap_get(f->root, "b")));
    assert_true(hd_ynode_is_null(hd_ymap_get(f->root, "c")));
    assert_false(hd_ynode_is_null(hd_ymap_get(f->root, "d")));
    assert_false(hd_ynode_is_null(hd_ymap_get(f->root, "e")));
    assert_string_equal(hd_ynode_what(hd_ymap_get(f->root, "a")), "empty");
}

static void test_alias_rejected(void **state) {
    fixture *f = *state;
    parse(f, "a: &x hello\nb: *x\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_null(f->root);
    assert_int_equal(f->d.n, 2);
    assert_string_equal(diag(f, 0), "t.yaml:1:4: error: YAML anchors and aliases (&name, *name) are not allowed: write the value out");
    assert_string_equal(diag(f, 1), "t.yaml:2:4: error: YAML anchors and aliases (&name, *name) are not allowed: write the value out");
}

static void test_anchor_on_collection_rejected(void **state) {
    fixture *f = *state;
    parse(f, "a: &x [1, 2]\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:4: error: YAML anchors and aliases (&name, *name) are not allowed: write the value out");
}

static void test_billion_laughs_rejected_fast(void **state) {
    fixture *f = *state;
    parse(f, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
             "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
             "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
             "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
             "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
             "cycle: &cy [*cy]\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_null(f->root);
    assert_true(f->d.n > 30);
}

static void test_tag_rejected(void **state) {
    fixture *f = *state;
    parse(f, "a: !!str 12\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:4: error: YAML tags (like !!str or !name) are not allowed: write the plain value");
}

static void test_duplicate_keys(void **state) {
    fixture *f = *state;
    parse(f, "id: x\n"
             "x:\n"
             "  title: a\n"
             "  other: b\n"
             "  title: c\n"
             "'id': y\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 2);
    assert_string_equal(diag(f, 0), "t.yaml:5:3: error: key 'title' appears twice (first at line 3); remove one");
    assert_string_equal(diag(f, 1), "t.yaml:6:1: error: key 'id' appears twice (first at line 1); remove one");
}

static void test_many_keys_no_duplicates(void **state) {
    fixture *f = *state;
    size_t n = 20000;
    char *buf = malloc(n * 16 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) len += (size_t)sprintf(buf + len, "k%zu: %zu\n", i, i);
    f->st = hd_yaml_parse(f->a, &f->d, "t.yaml", buf, len, &f->root);
    free(buf);
    assert_int_equal(f->st, HD_OK);
    assert_int_equal(f->root->npairs, n);
    assert_string_equal(hd_ymap_get(f->root, "k19999")->str, "19999");
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void test_deep_nesting_rejected_fast(void **state) {
    fixture *f = *state;
    size_t n = 10000;
    char *buf = malloc(n + 1);
    memset(buf, '[', n);
    buf[n] = 0;
    double t0 = now_ms();
    f->st = hd_yaml_parse(f->a, &f->d, "t.yaml", buf, n, &f->root);
    double ms = now_ms() - t0;
    free(buf);
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:33: error: the data is nested too deeply (more than 32 levels); flatten it");
    assert_true(ms < 50.0);
}

static void test_depth_32_allowed(void **state) {
    fixture *f = *state;
    char buf[80];
    memset(buf, '[', 32);
    memset(buf + 32, ']', 32);
    buf[64] = 0;
    parse(f, buf);
    assert_int_equal(f->st, HD_OK);
}

static void test_node_cap(void **state) {
    fixture *f = *state;
    size_t n = HD_YAML_MAX_NODES + 10;
    char *buf = malloc(n * 3 + 8);
    size_t len = 0;
    buf[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        buf[len++] = '1';
        buf[len++] = ',';
    }
    buf[len++] = ']';
    f->st = hd_yaml_parse(f->a, &f->d, "t.yaml", buf, len, &f->root);
    free(buf);
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:200000: error: the file holds more than 100000 values; split it into smaller files");
}

static void test_parse_error_tab(void **state) {
    fixture *f = *state;
    parse(f, "id: x\nmap:\n\tk: v\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:3:1: error: tabs cannot be used for indentation in YAML; use spaces");
}

static void test_parse_error_colon(void **state) {
    fixture *f = *state;
    parse(f, "id: x\ntitle: Ketamine: what to expect\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:2:16: error: a colon followed by a space (': ') is not allowed here: put the "
                                    "whole value in quotes, like title: \"Ketamine: what to expect\", or check the indentation");
}

static void test_parse_error_unclosed_quote(void **state) {
    fixture *f = *state;
    parse(f, "id: x\ntitle: \"open\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:2:8: error: this quoted value is never closed; add the closing quote");
}

static void test_parse_error_bad_indent(void **state) {
    fixture *f = *state;
    parse(f, "a:\n  b: 1\n c: 2\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:3:2: error: this line is not lined up with the keys above it; keys of one "
                                    "mapping must start in the same column");
}

static void test_parse_error_escape(void **state) {
    fixture *f = *state;
    parse(f, "a: \"\\q\"\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:5: error: unknown escape after a backslash in double quotes; write \\\\ for "
                                    "a backslash, or use single quotes");
}

static void test_parse_error_markdown_bullet(void **state) {
    fixture *f = *state;
    parse(f, "id: x\nnote:\n  * first\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:3:3: error: '*' here starts a YAML alias; for a list item write '- ' "
                                    "instead, or put the text in quotes");
}

static void test_parse_error_indented_start(void **state) {
    fixture *f = *state;
    parse(f, "  id: x\ntitle: y\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:2:1: error: this line is indented less than the first line of the file; "
                                    "start every top-level key in column 1, with no spaces before it");
}

/* Parse errors whose cause is quoting, pasting or a look-alike space get
 * advice for that cause. */
static void test_parse_error_explained(void **state) {
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"id: x\n- [Draft] one\n", NULL},
        {"list:\n  - [Draft] one\n", "t.yaml:2:5: error: a value starting with [ must be in quotes: write - \"[Draft] one\""},
        {"a: {b} \"c\"\n", "t.yaml:1:4: error: a value starting with { must be in quotes: write a: '{b} \"c\"'"},
        {"a: 'It's \"x\"'\n", "t.yaml:1:4: error: a ' inside a value in single quotes ends it early: use the other kind "
                             "of quotes around it, or double the ' inside single quotes: write a: 'It''s \"x\"'"},
        {"a: \"x\" y\n", "t.yaml:1:4: error: a \" inside a value in double quotes ends it early: use the other kind of "
                         "quotes around it, or write \\\" for each \" inside: write a: 'x\" y'"},
        {"a: |\n    x\n  y\nb: 1\n", "t.yaml:3:3: error: this line is less indented than the Markdown above it: indent "
                                     "it to line up with the block (column 5)"},
        {"a: |\n    x\nb c: 1\n", "t.yaml:3:1: error: this line is less indented than the Markdown above it: indent it "
                                  "to line up with the block (column 5)"},
        {"a: |\n    x\nb:\n  y\n", NULL},
        /* a list item out of line after a block: line up its '- ', do not
         * indent it into the block (that would print it) */
        {"s:\n  - m: |\n      x\n   - f: y\n", "t.yaml:4:4: error: this list item is not lined up with the items above "
                                                "it: move its '- ' to column 3, under the '- ' of the items above"},
        {"s:\n  - m: |\n      x\n - f: y\n", "t.yaml:4:2: error: this list item is not lined up with the items above "
                                               "it: move its '- ' to column 3, under the '- ' of the items above"},
        {"s:\n  - m: |\n      x\n     - f: y\n", "t.yaml:4:6: error: this list item is not lined up with the items "
                                                   "above it: move its '- ' to column 3, under the '- ' of the items above"},
        {"s:\n  - m: |\n      x\n    - y\n", "t.yaml:4:5: error: this list item is not lined up with the items above "
                                               "it: move its '- ' to column 3, under the '- ' of the items above"},
        /* right of the key: a Markdown bullet pasted less indented */
        {"s:\n  - m: |\n      x\n     - y\n", "t.yaml:4:6: error: this line is less indented than the Markdown above "
                                                "it: indent it to line up with the block (column 7)"},
        {"a: |- x\n", "t.yaml:1:4: error: text cannot follow '|' on the same line: put it on the lines below, indented, "
                      "or for one line leave out the '|', like a: x"},
        {"a: \xE2\x80\x98q: r\xE2\x80\x99\n", "t.yaml:1:4: error: the value starts with a curly quote, which YAML does "
                                              "not read as a quote: replace the curly quotes \xE2\x80\x9C \xE2\x80\x9D "
                                              "with straight quotes \" \""},
        {"a:\xE2\x80\xAF" "b\nc: d\n", "t.yaml:1:3: error: after ':' comes a narrow non-breaking space (U+202F) instead "
                                     "of an ordinary space, and YAML does not read it as a space: delete it and type a space"},
        {"m: { a: #abc }\n", "t.yaml:1:9: error: a colour must be in quotes, because # starts a comment: write \"#abc\""},
        {"m: [a, #b ]\n", "t.yaml:1:8: error: '#' here starts a comment, which cuts off the rest of the line: put the "
                          "value in quotes"},
        /* non-breaking spaces as a block's indentation: not 'less indented' */
        {"s:\n  - m: |\n      x\n\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0\xC2\xA0y\n      z\n  - f: w\n",
         "t.yaml:4:1: error: this line starts with a non-breaking space (U+00A0), which YAML does not read as "
         "indentation: replace it with ordinary spaces"},
        {"s:\n  - m: |\n      x\n    \xC2\xA0\xC2\xA0y\n", "t.yaml:4:5: error: this line is indented with a "
                                                        "non-breaking space (U+00A0), which YAML does not read as "
                                                        "indentation: replace it with ordinary spaces"},
        {"a: |\n  x\n\xC2\xA0\xC2\xA0y\nb: 1\n", "t.yaml:3:1: error: this line starts with a non-breaking space "
                                                 "(U+00A0), which YAML does not read as indentation: replace it with "
                                                 "ordinary spaces"},
        {"a: 1\n\xC2\xA0" "b: 2\n", "t.yaml:2:1: error: this line starts with a non-breaking space (U+00A0), which YAML "
                                 "does not read as indentation: replace it with ordinary spaces"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture *f = *state;
        hd_diags_free(&f->d);
        hd_diags_init(&f->d);
        parse(f, cases[i].text);
        if (!cases[i].msg) { /* no advice that does not fit */
            if (f->d.n) assert_null(strstr(diag(f, 0), "quotes: write"));
            continue;
        }
        assert_int_equal(f->st, HD_ERR_CONTENT);
        assert_string_equal(diag(f, 0), cases[i].msg);
    }
}

/* A problem with no friendlier wording keeps libyaml's words and context. */
static void test_parse_error_passthrough(void **state) {
    fixture *f = *state;
    parse(f, "a: |0\n  x\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:5: error: found an indentation indicator equal to 0 (while scanning a block scalar)");
}

static void test_control_character_escape(void **state) {
    fixture *f = *state;
    parse(f, "a: \"x\\0y\"\nb: \"\\e[31m\"\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 2);
    assert_string_equal(diag(f, 0), "t.yaml:1:4: error: the value contains the control character U+0000 (written as an "
                                    "escape like \\0 or \\e); remove it");
    assert_string_equal(diag(f, 1), "t.yaml:2:4: error: the value contains the control character U+001B (written as an "
                                    "escape like \\0 or \\e); remove it");
}

static void test_raw_control_character(void **state) {
    fixture *f = *state;
    parse(f, "a: b\nc: d\x01\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:2:5: error: the file contains the control character U+0001, which YAML does "
                                    "not allow; delete it");
}

static void test_empty_file(void **state) {
    fixture *f = *state;
    parse(f, "");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:1: error: the file is empty: expected a mapping with keys like 'id' and 'title'");
}

static void test_comments_only(void **state) {
    fixture *f = *state;
    parse(f, "# nothing\n\n   # here\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:1: error: the file is empty: expected a mapping with keys like 'id' and 'title'");
}

static void test_multi_document(void **state) {
    fixture *f = *state;
    parse(f, "a: 1\n---\nb: 2\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_null(f->root);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:2:1: error: a second YAML document starts here ('---'); keep everything in one "
                                    "document and remove this line");
}

static void test_leading_document_marker_ok(void **state) {
    fixture *f = *state;
    parse(f, "---\na: 1\n...\n");
    assert_int_equal(f->st, HD_OK);
    assert_string_equal(hd_ymap_get(f->root, "a")->str, "1");
}

static void test_complex_key_rejected(void **state) {
    fixture *f = *state;
    parse(f, "? [a, b]\n: c\n");
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(diag(f, 0), "t.yaml:1:3: error: a key must be a single word, not a list; write 'key: value'");
}

/* Memory running out in the middle of a file: an error, and libyaml's
 * parser and event freed (the sanitizer's leak check fails this test if
 * not). */
static void test_out_of_memory(void **state) {
    (void)state;
    size_t cap = 200000, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    len += (size_t)snprintf(buf, cap, "items:\n");
    for (int i = 0; i < 4000; i++) len += (size_t)snprintf(buf + len, cap - len, "  - item %d\n", i);
    hd_arena *a = hd_arena_new();
    hd_arena_set_limit(a, 64 * 1024);
    hd_diags d;
    hd_diags_init(&d);
    hd_ynode *root = NULL;
    assert_int_equal(hd_yaml_parse(a, &d, "t.yaml", buf, len, &root), HD_ERR_SYSTEM);
    assert_int_equal(d.n, 1);
    char msg[256];
    hd_diag_format(&d.v[0], msg, sizeof msg);
    assert_string_equal(msg, "t.yaml: error: out of memory while reading YAML");
    hd_diags_free(&d);
    hd_arena_free(a);
    /* the same file with room enough: read in full */
    a = hd_arena_new();
    hd_diags_init(&d);
    assert_int_equal(hd_yaml_parse(a, &d, "t.yaml", buf, len, &root), HD_OK);
    assert_int_equal(d.n, 0);
    hd_diags_free(&d);
    hd_arena_free(a);
    free(buf);
}

static void test_load_missing_file(void **state) {
    fixture *f = *state;
    f->st = hd_yaml_load(f->a, &f->d, "/nonexistent/x.yaml", "handout spec", hd_pos_at("ref.yaml", 4, 2), &f->root);
    assert_int_equal(f->st, HD_ERR_CONTENT);
    assert_null(f->root);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.v[0].line, 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test_setup_teardown(test_tree_and_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_text_pos_leading_blank_and_indicator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_styles_and_comments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_scalars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alias_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_on_collection_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_billion_laughs_rejected_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tag_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_keys_no_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deep_nesting_rejected_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_32_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_tab, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_colon, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_unclosed_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_bad_indent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_passthrough, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_explained, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_markdown_bullet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_error_indented_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_character_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_control_character, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comments_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multi_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leading_document_marker_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complex_key_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_missing_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
