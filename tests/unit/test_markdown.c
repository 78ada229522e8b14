/* test_markdown.c: unit tests for markdown.c (CommonMark to model blocks).
 *
 * Each test parses a small text and checks the exact blocks, spans, styles,
 * positions and error messages. Images resolve inside a temporary project
 * folder made by the group setup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "markdown.h"

typedef struct {
    char root[4096];
    char mdfile[4200]; /* <root>/doc.md */
    hd_project proj;
    hd_arena *a;
    hd_diags d;
    hd_block *blocks;
    size_t nblocks;
} fixture;

static char project_root[4096];

static int group_setup(void **state) {
    char tmpl[] = "/tmp/hd_test_md_XXXXXX";
    if (!mkdtemp(tmpl)) return -1;
    if (!realpath(tmpl, project_root)) return -1;
    char path[4200];
    snprintf(path, sizeof path, "%s/pic.png", project_root);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs("not really a png: markdown does not read it", f);
    fclose(f);
    return 0;
}

static int group_teardown(void **state) {
    char path[4200];
    snprintf(path, sizeof path, "%s/pic.png", project_root);
    unlink(path);
    rmdir(project_root);
    return 0;
}

static int setup(void **state) {
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx) return -1;
    snprintf(fx->root, sizeof fx->root, "%s", project_root);
    snprintf(fx->mdfile, sizeof fx->mdfile, "%s/doc.md", project_root);
    fx->proj.root = fx->root;
    fx->a = hd_arena_new();
    hd_diags_init(&fx->d);
    *state = fx;
    return fx->a ? 0 : -1;
}

static int teardown(void **state) {
    fixture *fx = *state;
    hd_diags_free(&fx->d);
    hd_arena_free(fx->a);
    free(fx);
    return 0;
}

static hd_status parse_at(fixture *fx, const char *md, int line_offset, int col_offset) {
    return hd_markdown_parse(fx->a, &fx->d, &fx->proj, fx->mdfile, md, strlen(md), line_offset, col_offset,
                             &fx->blocks, &fx->nblocks);
}

static hd_status parse(fixture *fx, const char *md) {
    return parse_at(fx, md, 0, 0);
}

static void assert_span(const hd_span *s, hd_span_kind kind, unsigned style, const char *text) {
    assert_int_equal(s->kind, kind);
    assert_int_equal(s->style, style);
    assert_string_equal(s->text, text);
}

/* The only diagnostic is this error at line:col of the test file. */
static void assert_one_error(fixture *fx, int line, int col, const char *msg) {
    assert_int_equal(fx->d.errors, 1);
    assert_int_equal(fx->d.n, 1);
    assert_string_equal(fx->d.v[0].msg, msg);
    assert_string_equal(fx->d.v[0].file, fx->mdfile);
    assert_int_equal(fx->d.v[0].line, line);
    assert_int_equal(fx->d.v[0].col, col);
}

/* ---- blocks ---- */

static void test_empty(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, ""), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1, "the Markdown file is empty: write the section's text, or remove the section");
    assert_int_equal(fx->nblocks, 0);
}

static void test_blank(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "\n\n   \t\r\n\xC2\xA0\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1, "the Markdown file is empty: write the section's text, or remove the section");
    assert_int_equal(fx->nblocks, 0);
}

/* Inline text in a spec says "text", at its place in the spec. */
static void test_blank_inline(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse_at(fx, "  \n", 11, 6), HD_ERR_CONTENT);
    assert_one_error(fx, 12, 7, "the Markdown text is empty: write the section's text, or remove the section");
}

static void test_only_definitions(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "[a]: https://example.org\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1, "the Markdown file has no text to print: write the section's text, or remove the section");
}

static void test_headings(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six\n\nSetext\n---\n"), HD_OK);
    assert_int_equal(fx->nblocks, 7);
    const char *want[] = {"One", "Two", "Three", "Four", "Five", "Six", "Setext"};
    for (int i = 0; i < 7; i++) {
        hd_block *b = &fx->blocks[i];
        assert_int_equal(b->kind, HD_BLK_HEADING);
        assert_int_equal(b->level, i < 6 ? i + 1 : 2);
        assert_int_equal(b->nspans, 1);
        assert_span(&b->spans[0], HD_SP_TEXT, 0, want[i]);
        assert_int_equal(b->pos.line, i < 6 ? i + 1 : 8);
        assert_int_equal(b->pos.col, 1);
        assert_string_equal(b->pos.file, fx->mdfile);
    }
}

static void test_paragraph_soft_break_merges(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Line one\nline two\nline three\n\nSecond paragraph.\n"), HD_OK);
    assert_int_equal(fx->nblocks, 2);
    assert_int_equal(fx->blocks[0].kind, HD_BLK_PARA);
    assert_int_equal(fx->blocks[0].nspans, 1);
    assert_span(&fx->blocks[0].spans[0], HD_SP_TEXT, 0, "Line one line two line three");
    assert_int_equal(fx->blocks[1].kind, HD_BLK_PARA);
    assert_span(&fx->blocks[1].spans[0], HD_SP_TEXT, 0, "Second paragraph.");
    assert_int_equal(fx->blocks[1].pos.line, 5);
}

static void test_hard_break(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "first  \nsecond\\\nthird\n"), HD_OK);
    assert_int_equal(fx->nblocks, 1);
    hd_block *b = &fx->blocks[0];
    assert_int_equal(b->nspans, 5);
    assert_span(&b->spans[0], HD_SP_TEXT, 0, "first");
    assert_int_equal(b->spans[1].kind, HD_SP_BREAK);
    assert_span(&b->spans[2], HD_SP_TEXT, 0, "second");
    assert_int_equal(b->spans[3].kind, HD_SP_BREAK);
    assert_span(&b->spans[4], HD_SP_TEXT, 0, "third");
    assert_int_equal(b->spans[2].pos.line, 2);
    /* cmark gives breaks no position: they take the paragraph's */
    assert_int_equal(b->spans[1].pos.line, 1);
    assert_int_equal(b->spans[1].pos.col, 1);
}

static void test_emphasis_bits(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "a *b **c `d`** e* **f** `g`\n"), HD_OK);
    assert_int_equal(fx->nblocks, 1);
    hd_block *b = &fx->blocks[0];
    assert_int_equal(b->nspans, 9);
    assert_span(&b->spans[0], HD_SP_TEXT, 0, "a ");
    assert_span(&b->spans[1], HD_SP_TEXT, HD_ST_ITALIC, "b ");
    assert_span(&b->spans[2], HD_SP_TEXT, HD_ST_ITALIC | HD_ST_BOLD, "c ");
    assert_span(&b->spans[3], HD_SP_TEXT, HD_ST_ITALIC | HD_ST_BOLD | HD_ST_MONO, "d");
    assert_span(&b->spans[4], HD_SP_TEXT, HD_ST_ITALIC, " e");
    assert_span(&b->spans[5], HD_SP_TEXT, 0, " ");
    assert_span(&b->spans[6], HD_SP_TEXT, HD_ST_BOLD, "f");
    /* " " then `g`: different styles stay apart */
    assert_span(&b->spans[7], HD_SP_TEXT, 0, " ");
    assert_span(&b->spans[8], HD_SP_TEXT, HD_ST_MONO, "g");
    assert_int_equal(b->spans[1].pos.line, 1);
    assert_int_equal(b->spans[1].pos.col, 4);
}

static void test_inline_code(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Run `make  test` now\n"), HD_OK);
    hd_block *b = &fx->blocks[0];
    assert_int_equal(b->nspans, 3);
    assert_span(&b->spans[0], HD_SP_TEXT, 0, "Run ");
    assert_span(&b->spans[1], HD_SP_TEXT, HD_ST_MONO, "make  test");
    assert_span(&b->spans[2], HD_SP_TEXT, 0, " now");
    assert_int_equal(b->spans[1].pos.col, 6); /* cmark: just after the backtick */
}

static void test_code_block(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Text\n\n```sh\nline 1\n  line <2> & \"3\"\n```\n\n~~~\nindented\n~~~\n"), HD_OK);
    assert_int_equal(fx->nblocks, 3);
    hd_block *b = &fx->blocks[1];
    assert_int_equal(b->kind, HD_BLK_CODE);
    assert_int_equal(b->nspans, 1);
    assert_span(&b->spans[0], HD_SP_TEXT, HD_ST_MONO, "line 1\n  line <2> & \"3\"");
    assert_int_equal(b->pos.line, 3);
    assert_int_equal(fx->blocks[2].kind, HD_BLK_CODE);
    assert_span(&fx->blocks[2].spans[0], HD_SP_TEXT, HD_ST_MONO, "indented");
}

static void test_rule(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "a\n\n***\n\nb\n"), HD_OK);
    assert_int_equal(fx->nblocks, 3);
    assert_int_equal(fx->blocks[1].kind, HD_BLK_RULE);
    assert_int_equal(fx->blocks[1].pos.line, 3);
}

static void test_nested_lists(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "3. three\n4. four\n   - inner a\n   - inner b\n\n     more b\n5. five\n"), HD_OK);
    assert_int_equal(fx->nblocks, 1);
    hd_block *l = &fx->blocks[0];
    assert_int_equal(l->kind, HD_BLK_LIST);
    assert_int_equal(l->ordered, 1);
    assert_int_equal(l->start, 3);
    assert_int_equal(l->tight, 1);
    assert_int_equal(l->nchildren, 3);
    for (size_t i = 0; i < 3; i++) assert_int_equal(l->children[i].kind, HD_BLK_ITEM);
    hd_block *item = &l->children[1];
    assert_int_equal(item->pos.line, 2);
    assert_int_equal(item->nchildren, 2);
    assert_int_equal(item->children[0].kind, HD_BLK_PARA);
    assert_span(&item->children[0].spans[0], HD_SP_TEXT, 0, "four");
    hd_block *inner = &item->children[1];
    assert_int_equal(inner->kind, HD_BLK_LIST);
    assert_int_equal(inner->ordered, 0);
    assert_int_equal(inner->tight, 0); /* blank line inside item b */
    assert_int_equal(inner->nchildren, 2);
    assert_int_equal(inner->pos.line, 3);
    assert_int_equal(inner->pos.col, 4);
    assert_int_equal(inner->children[1].nchildren, 2);
    assert_span(&inner->children[1].children[1].spans[0], HD_SP_TEXT, 0, "more b");
    assert_span(&l->children[2].children[0].spans[0], HD_SP_TEXT, 0, "five");
}

static void test_quote(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "> ## Note\n> Keep *calm*.\n>\n> - one\n"), HD_OK);
    assert_int_equal(fx->nblocks, 1);
    hd_block *q = &fx->blocks[0];
    assert_int_equal(q->kind, HD_BLK_QUOTE);
    assert_int_equal(q->nchildren, 3);
    assert_int_equal(q->children[0].kind, HD_BLK_HEADING);
    assert_int_equal(q->children[0].level, 2);
    assert_int_equal(q->children[1].kind, HD_BLK_PARA);
    assert_int_equal(q->children[1].nspans, 3);
    assert_span(&q->children[1].spans[1], HD_SP_TEXT, HD_ST_ITALIC, "calm");
    assert_int_equal(q->children[2].kind, HD_BLK_LIST);
    assert_int_equal(q->children[2].start, 0);
}

static void test_entities_and_smart(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Tom &amp; Jerry &ge; 2 -- \"quoted\" 'single' it's 1---2...\n"), HD_OK);
    assert_span(&fx->blocks[0].spans[0], HD_SP_TEXT, 0,
                "Tom & Jerry \u2265 2 \u2013 \u201cquoted\u201d \u2018single\u2019 it\u2019s 1\u20142\u2026");
}

/* ---- links ---- */

static void test_link_prints_address(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "See [our *site*](https://example.org/care/) today.\n"), HD_OK);
    hd_block *b = &fx->blocks[0];
    assert_int_equal(b->nspans, 5);
    assert_span(&b->spans[0], HD_SP_TEXT, 0, "See ");
    assert_span(&b->spans[1], HD_SP_TEXT, HD_ST_LINK, "our ");
    assert_string_equal(b->spans[1].url, "https://example.org/care/");
    assert_span(&b->spans[2], HD_SP_TEXT, HD_ST_LINK | HD_ST_ITALIC, "site");
    assert_string_equal(b->spans[2].url, "https://example.org/care/");
    assert_span(&b->spans[3], HD_SP_TEXT, HD_ST_URL, " (example.org/care)");
    assert_span(&b->spans[4], HD_SP_TEXT, 0, " today.");
    assert_null(b->spans[4].url);
    assert_int_equal(b->spans[1].pos.col, 6);
    assert_int_equal(b->spans[3].pos.col, 5); /* the address: at the link */
}

static void test_link_text_is_address(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "<https://example.org/> and [example.org](http://example.org) and <help@example.org>\n"),
                     HD_OK);
    hd_block *b = &fx->blocks[0];
    assert_int_equal(b->nspans, 5);
    assert_span(&b->spans[0], HD_SP_TEXT, HD_ST_LINK, "https://example.org/");
    assert_span(&b->spans[1], HD_SP_TEXT, 0, " and ");
    assert_span(&b->spans[2], HD_SP_TEXT, HD_ST_LINK, "example.org");
    assert_span(&b->spans[3], HD_SP_TEXT, 0, " and ");
    assert_span(&b->spans[4], HD_SP_TEXT, HD_ST_LINK, "help@example.org");
    assert_string_equal(b->spans[4].url, "mailto:help@example.org");
}

static void test_mailto_and_tel(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "[Email us](mailto:care@example.org) or [call](tel:+15551234567)\n"), HD_OK);
    hd_block *b = &fx->blocks[0];
    assert_int_equal(b->nspans, 5);
    assert_span(&b->spans[0], HD_SP_TEXT, HD_ST_LINK, "Email us");
    assert_string_equal(b->spans[0].url, "mailto:care@example.org");
    assert_span(&b->spans[1], HD_SP_TEXT, HD_ST_URL, " (care@example.org)");
    assert_span(&b->spans[2], HD_SP_TEXT, 0, " or ");
    assert_span(&b->spans[3], HD_SP_TEXT, HD_ST_LINK, "call");
    assert_span(&b->spans[4], HD_SP_TEXT, HD_ST_URL, " (+15551234567)");
}

static void test_javascript_link(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Hello\n\nClick [here](javascript:alert(1)) now\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 3, 7,
                     "link to 'javascript:alert(1)' cannot be used in a handout: use an https:// address, mailto: "
                     "or tel:");
    /* the text stays, without link style */
    assert_int_equal(fx->nblocks, 2);
    assert_int_equal(fx->blocks[1].nspans, 1);
    assert_span(&fx->blocks[1].spans[0], HD_SP_TEXT, 0, "Click here now");
}

static void test_relative_and_file_links(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "[a](page.html) [b](file:///etc/passwd) [c](data:text/html,x)\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 3);
    assert_string_equal(fx->d.v[0].msg,
                        "link to 'page.html' cannot be used in a handout: use an https:// address, mailto: or tel:");
    assert_string_equal(fx->d.v[1].msg,
                        "link to 'file:///etc/passwd' cannot be used in a handout: use an https:// address, mailto: "
                        "or tel:");
    assert_int_equal(fx->d.v[1].col, 16);
    assert_int_equal(fx->d.v[2].col, 40);
}

/* ---- raw HTML ---- */

static void test_html_block(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Intro\n\n<div class=\"box\">\nhello\n</div>\n\nAfter\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 3, 1,
                     "raw HTML cannot be shown in a PDF handout: remove '<div class=\"box\">' or write it as plain "
                     "text");
    assert_int_equal(fx->nblocks, 2); /* the rest is still read */
}

static void test_html_inline(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Some\ntext <b>bold</b>\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 2);
    assert_string_equal(fx->d.v[0].msg,
                        "raw HTML cannot be shown in a PDF handout: remove '<b>' or write it as plain text");
    assert_int_equal(fx->d.v[0].line, 2);
    assert_int_equal(fx->d.v[0].col, 6);
    assert_string_equal(fx->d.v[1].msg,
                        "raw HTML cannot be shown in a PDF handout: remove '</b>' or write it as plain text");
    assert_int_equal(fx->d.v[1].col, 13);
}

static void test_html_long_tag_shortened(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "<p style=\"color: red; font-weight: bold; margin: 0\">\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1,
                     "raw HTML cannot be shown in a PDF handout: remove '<p style=\"color: red; font-weight: bo...' "
                     "or write it as plain text");
}

/* ---- images ---- */

static void test_image_splits_paragraph(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Before the *picture*\n![A drawing of the *arm*](pic.png)\nafter it.\n"), HD_OK);
    assert_int_equal(fx->nblocks, 3);
    hd_block *b = fx->blocks;
    assert_int_equal(b[0].kind, HD_BLK_PARA);
    assert_int_equal(b[0].nspans, 2);
    assert_span(&b[0].spans[0], HD_SP_TEXT, 0, "Before the ");
    assert_span(&b[0].spans[1], HD_SP_TEXT, HD_ST_ITALIC, "picture");
    assert_int_equal(b[1].kind, HD_BLK_IMAGE);
    assert_string_equal(b[1].alt, "A drawing of the arm");
    char want[4300];
    snprintf(want, sizeof want, "%s/pic.png", fx->root);
    assert_string_equal(b[1].image_path, want);
    assert_int_equal(b[1].pos.line, 2);
    assert_int_equal(b[1].pos.col, 1);
    assert_int_equal(b[2].kind, HD_BLK_PARA);
    assert_int_equal(b[2].nspans, 1);
    assert_span(&b[2].spans[0], HD_SP_TEXT, 0, "after it.");
    assert_int_equal(b[2].pos.line, 3);
}

static void test_image_alone(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "![Arm](pic.png)\n"), HD_OK);
    assert_int_equal(fx->nblocks, 1);
    assert_int_equal(fx->blocks[0].kind, HD_BLK_IMAGE);
    assert_string_equal(fx->blocks[0].alt, "Arm");
    assert_int_equal(fx->blocks[0].nspans, 0);
}

static void test_remote_image(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "x ![Arm](https://example.org/arm.png)\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 3,
                     "image 'https://example.org/arm.png': images must be files in the project, not web addresses");
}

static void test_image_without_alt(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Text\n\n![](pic.png)\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 3, 1, "image 'pic.png' needs a description in [brackets] for people who cannot see it");
}

static void test_image_bad_format(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "![Arm](arm.gif)\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1,
                     "image 'arm.gif' must be a PNG or JPEG file (.png, .jpg or .jpeg): save it in one of those "
                     "formats");
}

static void test_image_outside_project(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "![Arm](../../etc/arm.png)\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 1);
    assert_int_equal(fx->d.v[0].line, 1);
    assert_int_equal(fx->nblocks, 0);
}

static void test_image_in_heading(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "# Title ![Arm](pic.png)\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 9,
                     "image 'pic.png' cannot be part of a heading: put it on a line of its own under the heading");
}

static void test_two_images_one_paragraph(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "a ![One](pic.png) b ![Two *bold* ![x](y.png)](PIC.PNG) c\n"), HD_OK);
    assert_int_equal(fx->nblocks, 5);
    hd_block *b = fx->blocks;
    assert_span(&b[0].spans[0], HD_SP_TEXT, 0, "a");
    assert_int_equal(b[1].kind, HD_BLK_IMAGE);
    assert_string_equal(b[1].alt, "One");
    assert_int_equal(b[1].pos.col, 3);
    assert_span(&b[2].spans[0], HD_SP_TEXT, 0, "b");
    assert_int_equal(b[2].pos.col, 18);
    assert_int_equal(b[3].kind, HD_BLK_IMAGE);
    assert_string_equal(b[3].alt, "Two bold x"); /* an image in a description is text */
    assert_span(&b[4].spans[0], HD_SP_TEXT, 0, "c");
}

static void test_image_in_link(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "[Map ![Map of the clinic](pic.png) here](https://example.org/map)\n"), HD_OK);
    assert_int_equal(fx->nblocks, 3);
    assert_span(&fx->blocks[0].spans[0], HD_SP_TEXT, HD_ST_LINK, "Map");
    assert_int_equal(fx->blocks[1].kind, HD_BLK_IMAGE);
    assert_int_equal(fx->blocks[2].nspans, 2);
    assert_span(&fx->blocks[2].spans[0], HD_SP_TEXT, HD_ST_LINK, "here");
    assert_span(&fx->blocks[2].spans[1], HD_SP_TEXT, HD_ST_URL, " (example.org/map)");
}

static void test_crlf_lines(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "# T\r\n\r\none\r\ntwo <x>\r\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->nblocks, 2);
    assert_span(&fx->blocks[1].spans[0], HD_SP_TEXT, 0, "one two");
    assert_one_error(fx, 4, 5, "raw HTML cannot be shown in a PDF handout: remove '<x>' or write it as plain text");
}

static void test_empty_heading_and_code(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "#\n\n```\n```\n"), HD_OK);
    assert_int_equal(fx->nblocks, 1); /* the empty heading is dropped */
    assert_int_equal(fx->blocks[0].kind, HD_BLK_CODE);
    assert_int_equal(fx->blocks[0].nspans, 1);
    assert_span(&fx->blocks[0].spans[0], HD_SP_TEXT, HD_ST_MONO, "");
}

/* ---- depth and pathological input ---- */

static void test_deep_quotes(void **state) {
    fixture *fx = *state;
    size_t n = 50000;
    char *md = malloc(n + 1);
    assert_non_null(md);
    memset(md, '>', n);
    md[n] = 0;
    clock_t t0 = clock();
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    free(md);
    assert_one_error(fx, 1, 17, "lists and quotes are nested more than 16 levels deep; flatten them");
    assert_true(secs < 2.0);
    /* 16 levels are kept */
    hd_block *b = &fx->blocks[0];
    int depth = 1;
    while (b->nchildren > 0) {
        b = &b->children[0];
        depth++;
    }
    assert_int_equal(depth, 16);
}

static void test_deep_lists(void **state) {
    fixture *fx = *state;
    char md[4096] = "";
    size_t off = 0;
    for (int i = 0; i < 20; i++) off += (size_t)snprintf(md + off, sizeof md - off, "%*s- level %d\n", 2 * i, "", i + 1);
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    assert_one_error(fx, 17, 33, "lists and quotes are nested more than 16 levels deep; flatten them");
}

static void test_sixteen_levels_ok(void **state) {
    fixture *fx = *state;
    char md[64];
    memset(md, '>', 16);
    strcpy(md + 16, " deep\n");
    assert_int_equal(parse(fx, md), HD_OK);
    assert_int_equal(fx->d.n, 0);
}

static char *repeat(const char *unit, size_t n) {
    size_t u = strlen(unit);
    char *s = malloc(n * u + 1);
    if (!s) return NULL;
    for (size_t i = 0; i < n; i++) memcpy(s + i * u, unit, u);
    s[n * u] = 0;
    return s;
}

/* cmark 0.30.2 is quadratic on this; it is refused before parsing. */
static void test_bang_bracket_repeats(void **state) {
    fixture *fx = *state;
    char *md = repeat("![[]()", 20000);
    assert_non_null(md);
    clock_t t0 = clock();
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    free(md);
    assert_one_error(fx, 1, 1201,
                     "more than 200 images ('![') in one paragraph: put each image on a line of its own with a "
                     "blank line before and after it");
    assert_true(secs < 1.0);
    assert_int_equal(fx->nblocks, 0);
}

/* 200 a paragraph is allowed; blank lines start the count again. */
static void test_bang_bracket_paragraphs(void **state) {
    fixture *fx = *state;
    char *md = repeat("![[]()![[]()\n\n", 1500);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    free(md);
    assert_int_equal(fx->d.errors, 3000); /* two links to '' a paragraph */
    assert_string_equal(fx->d.v[0].msg,
                        "link to '' cannot be used in a handout: use an https:// address, mailto: or tel:");
    assert_int_equal(fx->d.v[1].line, 1);
    assert_int_equal(fx->d.v[1].col, 9);
    assert_int_equal(fx->d.v[2].line, 3);
}

static void test_too_large(void **state) {
    fixture *fx = *state;
    size_t n = HD_MAX_MARKDOWN_BYTES + 1;
    char *md = malloc(n);
    assert_non_null(md);
    memset(md, 'a', n);
    hd_status s = hd_markdown_parse(fx->a, &fx->d, &fx->proj, fx->mdfile, md, n, 0, 0, &fx->blocks, &fx->nblocks);
    free(md);
    assert_int_equal(s, HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1,
                     "the Markdown text is 262145 bytes, more than the limit of 262144 bytes (256 KiB): split it "
                     "into several files");
    assert_int_equal(fx->nblocks, 0);
}

static void test_largest_file_is_fast(void **state) {
    fixture *fx = *state;
    /* a unit of 6 blocks in about 560 bytes: the largest file allowed
     * stays under HD_MAX_MD_BLOCKS */
    const char *para = "Some *ordinary* text with a [link](https://example.org) and `code`,\n"
                       "spread over two lines with **bold** words.\n\n"
                       "A longer paragraph of plain words, the kind a handout is mostly made of, going on for "
                       "a while so that the file holds about as many characters as a real handout of many "
                       "pages would, which is what the limit on the size of a Markdown file is meant for, "
                       "and then a little more to make the paragraph long enough for this test to use.\n\n"
                       "- a list item\n- another one\n\n";
    size_t u = strlen(para), n = HD_MAX_MARKDOWN_BYTES / u;
    char *md = malloc(n * u + 1);
    assert_non_null(md);
    for (size_t i = 0; i < n; i++) memcpy(md + i * u, para, u);
    md[n * u] = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(parse(fx, md), HD_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    free(md);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    assert_int_equal(fx->nblocks, 3 * n);
    assert_int_equal(fx->blocks[0].nspans, 10);
    /* generous under sanitizers; the release build is far below 100 ms */
    assert_true(ms < 2000.0);
}

/* More blocks than a handout can hold: refused at the first one too many,
 * and the rest is not read (a 256 KiB file of one-letter paragraphs made
 * over a gigabyte of layout before). */
static void test_too_many_blocks(void **state) {
    fixture *fx = *state;
    char *md = repeat("a\n\n", HD_MAX_MD_BLOCKS + 1);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    free(md);
    assert_one_error(fx, 2 * HD_MAX_MD_BLOCKS + 1, 1,
                     "this Markdown has more than 4000 paragraphs, headings and list items, more than a handout "
                     "can hold: split it into several handouts");
    md = repeat("a\n\n", HD_MAX_MD_BLOCKS);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_OK);
    free(md);
}

/* A list item and its text count once, as the message says: 4,000 items
 * are a handout, the 4,001st is refused at its own line. */
static void test_too_many_list_items(void **state) {
    fixture *fx = *state;
    char *md = repeat("- item\n", HD_MAX_MD_BLOCKS);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_OK);
    free(md);
    assert_int_equal(fx->d.n, 0);
    assert_int_equal(fx->nblocks, 1);
    assert_int_equal(fx->blocks[0].nchildren, HD_MAX_MD_BLOCKS);
    md = repeat("- item\n", HD_MAX_MD_BLOCKS + 1);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    free(md);
    assert_one_error(fx, HD_MAX_MD_BLOCKS + 1, 1,
                     "this Markdown has more than 4000 paragraphs, headings and list items, more than a handout "
                     "can hold: split it into several handouts");
}

/* Items and quotes with nothing in them count too, so a file of tiny
 * blocks cannot build a huge model. */
static void test_too_many_empty_items_and_quotes(void **state) {
    fixture *fx = *state;
    char *md = repeat("-\n", HD_MAX_MD_BLOCKS + 1);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    free(md);
    assert_int_equal(fx->d.errors, 1);
    assert_int_equal(fx->d.v[0].line, HD_MAX_MD_BLOCKS + 1);
    hd_diags_free(&fx->d);
    hd_diags_init(&fx->d);
    md = repeat(">\n\n", HD_MAX_MD_BLOCKS + 1);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_ERR_CONTENT);
    free(md);
    assert_int_equal(fx->d.errors, 1);
    assert_int_equal(fx->d.v[0].line, 2 * HD_MAX_MD_BLOCKS + 1);
    hd_diags_free(&fx->d);
    hd_diags_init(&fx->d);
    md = repeat("> a\n\n", HD_MAX_MD_BLOCKS);
    assert_non_null(md);
    assert_int_equal(parse(fx, md), HD_OK);
    free(md);
}

/* ---- positions and appending ---- */

static void test_offsets(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse_at(fx, "# Title\n\nText <i>x</i>\n", 10, 4), HD_ERR_CONTENT);
    assert_int_equal(fx->blocks[0].pos.line, 11);
    assert_int_equal(fx->blocks[0].pos.col, 5);
    assert_int_equal(fx->blocks[0].spans[0].pos.line, 11);
    assert_int_equal(fx->blocks[0].spans[0].pos.col, 7);
    assert_int_equal(fx->blocks[1].pos.line, 13);
    assert_int_equal(fx->d.v[0].line, 13);
    assert_int_equal(fx->d.v[0].col, 10);
}

static void test_columns_count_characters(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Día “frío” <br>\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 12, "raw HTML cannot be shown in a PDF handout: remove '<br>' or write it as plain text");
}

static void test_appends_to_existing(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "# One\n"), HD_OK);
    assert_int_equal(parse(fx, "Two\n\nThree\n"), HD_OK);
    assert_int_equal(fx->nblocks, 3);
    assert_int_equal(fx->blocks[0].kind, HD_BLK_HEADING);
    assert_span(&fx->blocks[2].spans[0], HD_SP_TEXT, 0, "Three");
}

static void test_errors_everywhere_reported(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "<div>\n\n[x](ftp://a.org)\n\n![](pic.png)\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 3);
    assert_int_equal(fx->d.v[0].line, 1);
    assert_int_equal(fx->d.v[1].line, 3);
    assert_int_equal(fx->d.v[2].line, 5);
}

/* ---- Markdown that CommonMark does not read as the writer meant ---- */

static const char *const INDENTED =
    "this text is indented by 4 spaces or a tab, which Markdown shows as code: remove the indentation";

static void test_indented_code(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Text\n\n    - indented\n    - list\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 3, 5, INDENTED);
    assert_int_equal(fx->nblocks, 1); /* no code block */
}

static void test_tab_indented_code(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "\tA paragraph indented by a tab.\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 2, INDENTED);
}

/* In a list item, code is indented 4 past the item's text. */
static void test_indented_code_in_list(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "- item\n\n      more text\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 3, 7, INDENTED);
}

static void test_fenced_code_allowed(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "```\n    - kept as it is\n```\n\n  ~~~\n  x\n  ~~~\n"), HD_OK);
    assert_int_equal(fx->nblocks, 2);
    assert_span(&fx->blocks[0].spans[0], HD_SP_TEXT, HD_ST_MONO, "    - kept as it is");
}

static const char *const TABLE =
    "tables are not supported: write the rows as a list instead, one '- ' item for each row";

static void test_table(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Doses:\n\n| Dose | Time |\n|---|---|\n| 1 tablet | morning |\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 3, 1, TABLE);
}

static void test_table_without_outer_pipes(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Dose | Time\n:--- | ---:\n1 | morning\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1, TABLE);
}

static void test_table_in_quote_and_list(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "> | a | b |\n> | - | - |\n\n- item\n\n  x | y\n  --|--\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 2);
    assert_int_equal(fx->d.v[0].line, 1);
    assert_int_equal(fx->d.v[0].col, 3);
    assert_int_equal(fx->d.v[1].line, 6);
    assert_int_equal(fx->d.v[1].col, 3);
}

/* Pipes and dashes that are not a table. */
static void test_not_a_table(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Take 1 | 2 tablets.\n\nA heading\n---\n\nText -- more text\n|\n"), HD_OK);
    assert_int_equal(fx->d.n, 0);
}

static const char *const FRONT =
    "front matter (a '---' line, then 'key: value' lines) is not supported: remove it; the title and other "
    "details of a handout go in its spec";

static void test_front_matter(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "---\ntitle: Intro\nauthor: Dr Lee\n---\n\nSome text.\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1, FRONT);
}

static void test_rule_first_is_not_front_matter(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "---\n\nSome text: a line with a colon.\n"), HD_OK);
    assert_int_equal(fx->nblocks, 2);
}

static const char *const FOOTNOTE =
    "footnote '[^1]' is not supported: list the source under 'sources:' in the spec and cite it by its number, "
    "like [1]";

static void test_footnote_reference(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Relief lasts weeks [^1].\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 20, FOOTNOTE);
}

/* With its text below, cmark reads "[^1]" as a link and drops the text. */
static void test_footnote_with_text(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Relief lasts weeks [^1].\n\n[^1]: https://example.org/study\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 2);
    assert_string_equal(fx->d.v[0].msg, FOOTNOTE);
    assert_int_equal(fx->d.v[0].line, 1);
    assert_int_equal(fx->d.v[0].col, 20);
    assert_string_equal(fx->d.v[1].msg, "footnote text '[^1]: ...' is not supported: list the source under "
                                         "'sources:' in the spec, cite it by its number, like [1], and remove this line");
    assert_int_equal(fx->d.v[1].line, 3);
    assert_int_equal(fx->d.v[1].col, 1);
}

/* A footnote text cmark keeps as a paragraph: one error, not two. */
static void test_footnote_text_as_paragraph(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "[^note]: Smith J, 2020.\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 1, "footnote '[^note]' is not supported: list the source under 'sources:' in the spec "
                               "and cite it by its number, like [1]");
}

static void test_footnote_in_code_allowed(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Write `[^1]` for a footnote.\n\n```\n[^1]: text\n```\n"), HD_OK);
    assert_int_equal(fx->d.n, 0);
}

static void test_image_path_with_space(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "See this: ![Our room](my room.png)\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 1, 11,
                     "image path 'my room.png' has a space, so the image is printed as text: put the path in <angle "
                     "brackets>, like ![description](<my room.png>), or remove the space");
}

static void test_link_address_with_space(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse_at(fx, "Día: [site](https://example.org/my page)\n", 10, 6), HD_ERR_CONTENT);
    assert_int_equal(fx->d.n, 1);
    assert_string_equal(fx->d.v[0].msg, "link address 'https://example.org/my page' has a space, so the link is "
                                        "printed as text: put the address in <angle brackets>, like "
                                        "[text](<https://example.org/my page>), or remove the space");
    assert_int_equal(fx->d.v[0].line, 11);
    assert_int_equal(fx->d.v[0].col, 12);
}

/* Links with a title, or the address in <...>, are read as links. */
static void test_space_allowed_where_cmark_reads_it(void **state) {
    fixture *fx = *state;
    assert_int_equal(
        parse(fx, "[a](https://example.org \"Title\") and [b](<https://example.org/my page>) and [c] (d e)\n"),
        HD_OK);
    assert_int_equal(fx->d.n, 0);
}

static void test_word_bullets(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "What to bring:\n\xE2\x80\xA2 your medicines\n\xE2\x80\xA2 a snack\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 2, 1,
                     "'\xE2\x80\xA2' does not start a list item in Markdown, so the lines run together: start list "
                     "items with '- ' (a hyphen and a space)");
}

static void test_word_dash_and_symbol_bullets(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "\xE2\x80\x93 one\n\n- item\n  \xEF\x82\xB7\tpasted\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 2);
    assert_int_equal(fx->d.v[0].line, 1);
    assert_int_equal(fx->d.v[1].line, 4);
    assert_int_equal(fx->d.v[1].col, 3);
}

/* A spaced en dash starting a hard-wrapped line is prose (UK style). */
static void test_dash_in_wrapped_line_allowed(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "## Relief\n\nRelief can last from two hours\n\xE2\x80\x93 sometimes longer "
                               "\xE2\x80\x93 to weeks.\n"),
                     HD_OK);
    assert_int_equal(fx->d.n, 0);
    /* two such lines, not in a row; in a list item and a quote */
    assert_int_equal(parse(fx, "It helps\n\xE2\x80\x93 for most \xE2\x80\x93 and then\nit stops\n\xE2\x80\x93 "
                               "sometimes \xE2\x80\x93 after a week.\n\n- It can last\n  \xE2\x80\x93 for some "
                               "\xE2\x80\x93 weeks.\n\n> Ask us\n> \xE2\x80\x93 any time \xE2\x80\x93 please.\n"),
                     HD_OK);
    assert_int_equal(fx->d.n, 0);
}

/* Dashes on two lines in a row, or on a paragraph's first line, are a
 * list typed in Word; '\u2022' is a bullet on any line. */
static void test_dash_bullets_refused(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "What to bring:\n\xE2\x80\x93 your medicines\n\xE2\x80\x93 a snack\n"),
                     HD_ERR_CONTENT);
    assert_one_error(fx, 2, 1,
                     "'\xE2\x80\x93' does not start a list item in Markdown, so the lines run together: start list "
                     "items with '- ' (a hyphen and a space)");
    hd_diags_free(&fx->d);
    hd_diags_init(&fx->d);
    assert_int_equal(parse(fx, "Intro text\nthat wraps\n\xE2\x80\x93 one\n\xE2\x80\x93 two\n\xE2\x80\x93 three\n\n"
                               "\xE2\x80\x93 first line\n\n> Bring:\n> \xE2\x80\x93 a\n> \xE2\x80\x93 b\n"),
                     HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 3);
    assert_int_equal(fx->d.v[0].line, 3);
    assert_int_equal(fx->d.v[1].line, 7);
    assert_int_equal(fx->d.v[2].line, 10);
    assert_int_equal(fx->d.v[2].col, 3);
    hd_diags_free(&fx->d);
    hd_diags_init(&fx->d);
    assert_int_equal(parse(fx, "Bring your\n\xE2\x80\xA2 medicines.\n"), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 1);
    assert_int_equal(fx->d.v[0].line, 2);
}

static void test_bullet_inside_a_line_allowed(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Rest \xE2\x80\xA2 drink water \xE2\x80\x93 call us.\n\xE2\x80\xA2no space\n"), HD_OK);
}

static void test_nbsp_indented_items(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "Steps:\n\n\xC2\xA0- first\n\xC2\xA0\xC2\xA0""2. second\n"), HD_ERR_CONTENT);
    assert_one_error(fx, 3, 1,
                     "this list item is indented with a non-breaking space, so it is not read as a list item: start "
                     "list items with '- ' and indent them with ordinary spaces");
}

/* ---- headings with nothing under them ---- */

static void test_heading_check(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "# Title\n\n## Empty\n\n## Full\n\nText.\n\n### Sub\n\nMore.\n\n## Last\n"), HD_OK);
    assert_int_equal(hd_markdown_check_headings(fx->a, &fx->d, fx->blocks, fx->nblocks), HD_ERR_CONTENT);
    assert_int_equal(fx->d.errors, 2);
    assert_string_equal(fx->d.v[0].msg,
                        "the heading 'Empty' has no text under it: write the text that belongs under it, or remove "
                        "the heading");
    assert_int_equal(fx->d.v[0].line, 3);
    assert_int_equal(fx->d.v[1].line, 13);
}

/* A heading before a figure (another section) has the figure under it. */
static void test_heading_before_figure(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "## How long relief lasts\n"), HD_OK);
    hd_block *all = hd_allocn(fx->a, 2, sizeof *all);
    all[0] = fx->blocks[0];
    all[1].kind = HD_BLK_FIGURE;
    assert_int_equal(hd_markdown_check_headings(fx->a, &fx->d, all, 2), HD_OK);
    assert_int_equal(hd_markdown_check_headings(fx->a, &fx->d, all, 1), HD_ERR_CONTENT);
    assert_int_equal(fx->d.n, 1);
    assert_string_equal(fx->d.v[0].msg, "the heading 'How long relief lasts' has no text under it: write the text "
                                        "that belongs under it, or remove the heading");
}

static void test_heading_check_shortens(void **state) {
    fixture *fx = *state;
    assert_int_equal(parse(fx, "## Día one *two* three four five six seven eight nine\n"), HD_OK);
    assert_int_equal(hd_markdown_check_headings(fx->a, &fx->d, fx->blocks, fx->nblocks), HD_ERR_CONTENT);
    assert_int_equal(fx->d.n, 1);
    assert_string_equal(fx->d.v[0].msg, "the heading 'Día one two three four five six seven ei...' has no text "
                                        "under it: write the text that belongs under it, or remove the heading");
}

/* ---- out of memory ---- */

/* 6,000 link reference definitions (under the size limit): cmark keeps a
 * table of them (about 600 KB), the model gets almost nothing, so only
 * cmark's own memory runs out under the limit. */
static char *many_definitions(void) {
    size_t n = 6000, len = 0;
    char *md = malloc(n * 40);
    if (!md) return NULL;
    for (size_t i = 0; i < n; i++) len += (size_t)sprintf(md + len, "[ref%zu]: https://example.org/%zu\n", i, i);
    md[len] = 0;
    return md;
}

static void test_cmark_out_of_memory_is_an_error(void **state) {
    fixture *fx = *state;
    char *md = many_definitions();
    assert_non_null(md);
    hd_arena_set_limit(fx->a, 256u << 10);
    assert_int_equal(parse(fx, md), HD_ERR_SYSTEM);
    assert_int_equal(fx->d.n, 1);
    assert_string_equal(fx->d.v[0].msg, "out of memory while reading the Markdown text");
    assert_int_equal(fx->d.v[0].line, 1);
    assert_int_equal(fx->nblocks, 0);
    free(md);
}

/* With a recovery point set (as hd_build does), the jump is passed on to it. */
static void test_cmark_out_of_memory_jumps_to_caller(void **state) {
    fixture *fx = *state;
    char *md = many_definitions();
    assert_non_null(md);
    hd_arena_set_limit(fx->a, 256u << 10);
    jmp_buf jb;
    volatile int jumped = 0;
    if (setjmp(jb)) {
        jumped = 1;
    } else {
        hd_arena_on_oom(fx->a, &jb);
        parse(fx, md);
    }
    hd_arena_on_oom(fx->a, NULL);
    assert_int_equal(jumped, 1);
    assert_int_equal(fx->d.n, 0);
    free(md);
}

/* Without a limit the same text parses, and cmark's memory is given back
 * when the parse ends: the document's arena holds only the model. */
static void test_cmark_memory_freed_after_parse(void **state) {
    fixture *fx = *state;
    char *md = many_definitions();
    assert_non_null(md);
    size_t before = hd_arena_used(fx->a);
    parse(fx, md);
    assert_true(hd_arena_used(fx->a) - before < 1u << 20);
    free(md);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_empty),
        T(test_blank),
        T(test_blank_inline),
        T(test_only_definitions),
        T(test_headings),
        T(test_paragraph_soft_break_merges),
        T(test_hard_break),
        T(test_emphasis_bits),
        T(test_inline_code),
        T(test_code_block),
        T(test_rule),
        T(test_nested_lists),
        T(test_quote),
        T(test_entities_and_smart),
        T(test_link_prints_address),
        T(test_link_text_is_address),
        T(test_mailto_and_tel),
        T(test_javascript_link),
        T(test_relative_and_file_links),
        T(test_html_block),
        T(test_html_inline),
        T(test_html_long_tag_shortened),
        T(test_image_splits_paragraph),
        T(test_image_alone),
        T(test_remote_image),
        T(test_image_without_alt),
        T(test_image_bad_format),
        T(test_image_outside_project),
        T(test_image_in_heading),
        T(test_two_images_one_paragraph),
        T(test_image_in_link),
        T(test_crlf_lines),
        T(test_empty_heading_and_code),
        T(test_deep_quotes),
        T(test_deep_lists),
        T(test_sixteen_levels_ok),
        T(test_bang_bracket_repeats),
        T(test_bang_bracket_paragraphs),
        T(test_too_large),
        T(test_largest_file_is_fast),
        T(test_too_many_blocks),
        T(test_too_many_list_items),
        T(test_too_many_empty_items_and_quotes),
        T(test_offsets),
        T(test_columns_count_characters),
        T(test_appends_to_existing),
        T(test_errors_everywhere_reported),
        T(test_indented_code),
        T(test_tab_indented_code),
        T(test_indented_code_in_list),
        T(test_fenced_code_allowed),
        T(test_table),
        T(test_table_without_outer_pipes),
        T(test_table_in_quote_and_list),
        T(test_not_a_table),
        T(test_front_matter),
        T(test_rule_first_is_not_front_matter),
        T(test_footnote_reference),
        T(test_footnote_with_text),
        T(test_footnote_text_as_paragraph),
        T(test_footnote_in_code_allowed),
        T(test_image_path_with_space),
        T(test_link_address_with_space),
        T(test_space_allowed_where_cmark_reads_it),
        T(test_word_bullets),
        T(test_word_dash_and_symbol_bullets),
        T(test_dash_in_wrapped_line_allowed),
        T(test_dash_bullets_refused),
        T(test_bullet_inside_a_line_allowed),
        T(test_nbsp_indented_items),
        T(test_heading_check),
        T(test_heading_before_figure),
        T(test_heading_check_shortens),
        T(test_cmark_out_of_memory_is_an_error),
        T(test_cmark_out_of_memory_jumps_to_caller),
        T(test_cmark_memory_freed_after_parse),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
