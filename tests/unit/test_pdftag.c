/* test_pdftag.c: tagged PDF and ToUnicode maps (pdftag.h).
 *
 * The ToUnicode CMap text is checked exactly. The structure is checked in
 * real, uncompressed libharu output: catalog entries, structure elements,
 * marked-content operators, the parent tree keys, a Link's OBJR and
 * /Contents, content continued on a second page (MCR), elements made from
 * roles, and the same bytes on a second run. A real font's subset as a
 * Type 0 font: its dictionaries, widths, ToUnicode map and text as glyph
 * codes; pdftag's byte loops in libharu's place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dlfcn.h>
#include <hpdf_utils.h>

#include "arena.h"
#include "diag.h"
#include "font.h"
#include "pdftag.h"

#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

static const char HEAD[] = "/CIDInit /ProcSet findresource begin\n"
                           "12 dict begin\n"
                           "begincmap\n"
                           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                           "/CMapName /Adobe-Identity-UCS def\n"
                           "/CMapType 2 def\n"
                           "1 begincodespacerange\n"
                           "<0000> <FFFF>\n"
                           "endcodespacerange\n";
static const char TAIL[] = "endcmap\n"
                           "CMapName currentdict /CMap defineresource pop\n"
                           "end\n"
                           "end\n";

static size_t count(const char *buf, size_t len, const char *s) {
    size_t n = 0, k = strlen(s);
    for (const char *p = buf; (p = memmem(p, len - (size_t)(p - buf), s, k)) != NULL; p += k) n++;
    return n;
}

/* ------------------------------------------------------- ToUnicode */

static void test_cmap_ranges_and_chars(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    /* unsorted, a repeat, and codes that cannot be mapped: 0, above U+FFFF, a surrogate */
    unsigned cps[] = {0x42, 0x41, 0x43, 0x20, 0xE9, 0x41, 0x2019, 0x1F600, 0, 0xD800};
    char *got = hd_tounicode_cmap(a, cps, cps, sizeof cps / sizeof cps[0]);
    char want[1024];
    snprintf(want, sizeof want,
             "%s3 beginbfchar\n<0020> <0020>\n<00E9> <00E9>\n<2019> <2019>\nendbfchar\n"
             "1 beginbfrange\n<0041> <0043> <0041>\nendbfrange\n%s",
             HEAD, TAIL);
    assert_string_equal(got, want);
    hd_arena_free(a);
}

static void test_cmap_range_stops_at_high_byte(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    unsigned cps[] = {0xFE, 0xFF, 0x100, 0x101};
    char *got = hd_tounicode_cmap(a, cps, cps, 4);
    char want[1024];
    snprintf(want, sizeof want, "%s2 beginbfrange\n<00FE> <00FF> <00FE>\n<0100> <0101> <0100>\nendbfrange\n%s", HEAD,
             TAIL);
    assert_string_equal(got, want);
    hd_arena_free(a);
}

static void test_cmap_blocks_of_100(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    unsigned cps[150];
    for (int i = 0; i < 150; i++) cps[i] = 0x400 + 2 * (unsigned)i; /* no two consecutive */
    char *got = hd_tounicode_cmap(a, cps, cps, 150);
    size_t len = strlen(got);
    assert_int_equal(count(got, len, "100 beginbfchar\n<0400> <0400>\n"), 1);
    assert_int_equal(count(got, len, "<04C6> <04C6>\nendbfchar\n50 beginbfchar\n<04C8> <04C8>\n"), 1);
    assert_int_equal(count(got, len, "endbfchar\n"), 2);
    assert_int_equal(count(got, len, "bfrange"), 0);
    hd_arena_free(a);
}

static void test_cmap_empty(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    char want[1024];
    snprintf(want, sizeof want, "%s%s", HEAD, TAIL);
    assert_string_equal(hd_tounicode_cmap(a, NULL, NULL, 0), want);
    hd_arena_free(a);
}

/* ------------------------------------------------------- structure */

typedef struct {
    HPDF_STATUS err;
} errbox;

static void on_err(HPDF_STATUS e, HPDF_STATUS detail, void *ud) {
    (void)detail;
    errbox *b = ud;
    if (!b->err) b->err = e;
}

static char *save(HPDF_Doc pdf, size_t *len) {
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf), got = size;
    char *buf = malloc(size + 1);
    HPDF_ResetStream(pdf);
    HPDF_ReadFromStream(pdf, (HPDF_BYTE *)buf, &got);
    assert_int_equal(got, size);
    buf[got] = 0;
    *len = got;
    return buf;
}

static void mark(hd_pdftag *t, hd_op op) {
    assert_int_equal(hd_pdftag_mark(t, &op), HD_OK);
}

/* Two pages: a title, a safety section with a paragraph holding a link,
 * a figure, artifacts between them; on page 2 the paragraph goes on, then
 * ops with no element (a heading and a paragraph made from their roles). */
static char *tagged_doc(size_t *len) {
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    errbox eb = {0};
    HPDF_Doc pdf = HPDF_New(on_err, &eb);
    hd_pdftag *t;
    assert_int_equal(hd_pdftag_new(a, &d, pdf, &t), HD_OK);

    hd_se h1 = {.kind = HD_SE_H, .level = 1};
    hd_se sect = {.kind = HD_SE_SECT, .title = "Safety information"};
    hd_se p = {.kind = HD_SE_P, .parent = &sect};
    hd_se link = {.kind = HD_SE_LINK, .parent = &p};
    hd_se fig = {.kind = HD_SE_FIGURE, .alt = "\xC3\x89lan chart"}; /* Élan */

    HPDF_Page pg = HPDF_AddPage(pdf);
    assert_int_equal(hd_pdftag_page_begin(t, pg), HD_OK);
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "Title", .se = &h1});
    mark(t, (hd_op){.kind = HD_OP_RECT, .role = HD_ROLE_ARTIFACT});
    mark(t, (hd_op){.kind = HD_OP_LINE, .role = HD_ROLE_ARTIFACT}); /* same artifact sequence */
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "Read ", .se = &p});
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "our ", .se = &link});
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "site", .se = &link}); /* same sequence, text kept */
    mark(t, (hd_op){.kind = HD_OP_LINE, .role = HD_ROLE_ARTIFACT});
    HPDF_Rect r = {0, 0, 10, 10};
    HPDF_Annotation an = HPDF_Page_CreateURILinkAnnot(pg, r, "https://x.example");
    hd_op lk = {.kind = HD_OP_LINK, .se = &link};
    assert_int_equal(hd_pdftag_link(t, &lk, an), HD_OK);
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = ".", .se = &p});
    mark(t, (hd_op){.kind = HD_OP_RECT, .se = &fig, .role = HD_ROLE_FIGURE});
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "label", .se = &fig, .role = HD_ROLE_FIGURE});
    assert_int_equal(hd_pdftag_page_end(t), HD_OK);

    pg = HPDF_AddPage(pdf);
    assert_int_equal(hd_pdftag_page_begin(t, pg), HD_OK);
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "more", .se = &p});
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "Sub", .role = HD_ROLE_HEADING, .level = 2, .group = 4});
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "a", .role = HD_ROLE_BODY, .group = 5});
    mark(t, (hd_op){.kind = HD_OP_TEXT, .text = "b", .role = HD_ROLE_BODY, .group = 5});
    assert_int_equal(hd_pdftag_page_end(t), HD_OK);
    assert_int_equal(hd_pdftag_finish(t, "en"), HD_OK);

    char *buf = save(pdf, len);
    assert_int_equal(eb.err, 0);
    assert_int_equal(d.n, 0);
    HPDF_Free(pdf);
    hd_diags_free(&d);
    hd_arena_free(a);
    return buf;
}

static void test_catalog(void **state) {
    (void)state;
    size_t n;
    char *b = tagged_doc(&n);
    assert_int_equal(memcmp(b, "%PDF-1.7", 8), 0);
    assert_int_equal(count(b, n, "/Lang (en)"), 1);
    assert_int_equal(count(b, n, "/MarkInfo <<\n/Marked true\n>>"), 1);
    assert_int_equal(count(b, n, "/ViewerPreferences <<\n/DisplayDocTitle true\n>>"), 1);
    assert_int_equal(count(b, n, "/Type /StructTreeRoot"), 1);
    assert_int_equal(count(b, n, "/Tabs /S"), 2);
    free(b);
}

static void test_elements(void **state) {
    (void)state;
    size_t n;
    char *b = tagged_doc(&n);
    assert_int_equal(count(b, n, "/S /Document\n"), 1);
    assert_int_equal(count(b, n, "/S /H1\n"), 1);
    assert_int_equal(count(b, n, "/S /Sect\n"), 1);
    assert_int_equal(count(b, n, "/T (Safety information)"), 1);
    assert_int_equal(count(b, n, "/S /Link\n"), 1);
    assert_int_equal(count(b, n, "/S /Figure\n"), 1);
    /* non-ASCII text: UTF-16BE with a byte order mark */
    assert_int_equal(count(b, n, "/Alt <FEFF00C9006C0061006E002000630068006100720074>"), 1);
    /* from roles: a heading, and one paragraph for two ops of one group */
    assert_int_equal(count(b, n, "/S /H2\n"), 1);
    assert_int_equal(count(b, n, "/S /P\n"), 2);
    free(b);
}

static void test_marked_content(void **state) {
    (void)state;
    size_t n;
    char *b = tagged_doc(&n);
    const char *want1 = "/H1 <</MCID 0>> BDC\nEMC\n/Artifact BMC\nEMC\n/P <</MCID 1>> BDC\nEMC\n"
                        "/Link <</MCID 2>> BDC\nEMC\n/Artifact BMC\nEMC\n/P <</MCID 3>> BDC\nEMC\n"
                        "/Figure <</MCID 4>> BDC\nEMC\n";
    const char *want2 = "/P <</MCID 0>> BDC\nEMC\n/H2 <</MCID 1>> BDC\nEMC\n/P <</MCID 2>> BDC\nEMC\n";
    assert_int_equal(count(b, n, want1), 1);
    assert_int_equal(count(b, n, want2), 1);
    free(b);
}

static void test_parent_tree_and_link(void **state) {
    (void)state;
    size_t n;
    char *b = tagged_doc(&n);
    /* keys in creation order: page 1, its link, page 2 */
    assert_int_equal(count(b, n, "/StructParents 0"), 1);
    assert_int_equal(count(b, n, "/StructParent 1"), 1);
    assert_int_equal(count(b, n, "/StructParents 2"), 1);
    assert_int_equal(count(b, n, "/ParentTreeNextKey 3"), 1);
    assert_int_equal(count(b, n, "/Type /OBJR"), 1);
    assert_int_equal(count(b, n, "/Contents (our site)"), 1);
    /* the paragraph goes on on page 2: a marked-content reference */
    assert_int_equal(count(b, n, "/Type /MCR"), 1);
    free(b);
}

static void test_reproducible(void **state) {
    (void)state;
    size_t n1, n2;
    char *b1 = tagged_doc(&n1), *b2 = tagged_doc(&n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    free(b1);
    free(b2);
}

/* Codes that are not code points: glyph numbers out of order, runs broken
 * where either side stops counting up, a code listed twice. */
static void test_cmap_glyph_codes(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    unsigned codes[] = {5, 3, 4, 9, 7, 8, 7};
    unsigned cps[] = {'c', 'a', 'b', 0x2022, 'x', 'z', 0x3000};
    char *got = hd_tounicode_cmap(a, codes, cps, 7);
    char want[1024];
    snprintf(want, sizeof want,
             "%s3 beginbfchar\n<0007> <0078>\n<0008> <007A>\n<0009> <2022>\nendbfchar\n"
             "1 beginbfrange\n<0003> <0005> <0061>\nendbfrange\n%s",
             HEAD, TAIL);
    /* 7 -> 'x' (its lowest code point) then 8 -> 'z' is no run ('y' would be) */
    assert_string_equal(got, want);
    hd_arena_free(a);
}

static void test_type0_font(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    hd_fontlib *lib = hd_fontlib_new("/nonexistent");
    const hd_face *face;
    assert_int_equal(hd_fontlib_face(lib, &d, DEJAVU, hd_pos_at(NULL, 0, 0), &face), HD_OK);
    unsigned cps[] = {'A', 'B', 0x2022}; /* bullet */
    hd_subset sub;
    assert_int_equal(hd_font_subset(a, &d, face, cps, 3, &sub), HD_OK);
    errbox eb = {0};
    HPDF_Doc pdf = HPDF_New(on_err, &eb);
    HPDF_Font font = hd_pdftag_type0_font(a, pdf, &sub);
    assert_non_null(font);
    HPDF_Page pg = HPDF_AddPage(pdf);
    hd_content cs; /* as the painter writes a text object */
    hd_content_begin(&cs, pg);
    hd_content_op(&cs, "BT\n");
    hd_content_font(&cs, font, 12);
    hd_content_num(&cs, 10);
    hd_content_num(&cs, 20.5);
    hd_content_op(&cs, "Td\n");
    assert_int_equal(hd_content_flush(&cs), HPDF_OK);
    assert_int_equal(hd_pdftag_show_text(pg, &sub, "AB\xE2\x80\xA2" "A"), HPDF_OK);
    hd_content_op(&cs, "ET\n");
    assert_int_equal(hd_content_flush(&cs), HPDF_OK);
    size_t n;
    char *b = save(pdf, &n);
    assert_int_equal(eb.err, 0);
    assert_non_null(memmem(b, n, "BT\n/F1 12 Tf\n10 20.5 Td\n(", 25)); /* and the font is in the page's resources: */
    assert_int_equal(count(b, n, "/Font <<\n/F1 "), 1);
    /* the subset's glyphs: .notdef, then the three in the original's glyph order */
    unsigned g[3];
    for (int i = 0; i < 3; i++) g[i] = hd_subset_glyph(&sub, cps[i]);
    assert_int_equal(sub.nglyphs, 4);
    assert_true(g[0] >= 1 && g[1] >= 1 && g[2] >= 1 && g[0] != g[1] && g[1] != g[2] && g[0] != g[2]);
    char tj[32];
    snprintf(tj, sizeof tj, "(%c%c%c%c%c%c%c%c) Tj", 0, g[0], 0, g[1], 0, g[2], 0, g[0]);
    assert_non_null(memmem(b, n, tj, 13));
    assert_int_equal(count(b, n, "/Subtype /Type0"), 1);
    assert_int_equal(count(b, n, "/Encoding /Identity-H"), 1);
    assert_int_equal(count(b, n, "/Subtype /CIDFontType2"), 1);
    assert_int_equal(count(b, n, "/CIDToGIDMap /Identity"), 1);
    assert_int_equal(count(b, n, "/Ordering (Identity)"), 1);
    assert_int_equal(count(b, n, "/FontFile2"), 1);
    char name[96];
    snprintf(name, sizeof name, "/BaseFont /%s", sub.name);
    assert_int_equal(count(b, n, name), 2); /* the Type 0 font and its CID font */
    assert_int_equal(strlen(sub.name), 6 + 1 + strlen("DejaVuSans"));
    /* widths: every glyph, in one run from 0: /W [0 [w0 w1 w2 w3]] */
    const char *wp = memmem(b, n, "/W ", 3);
    assert_non_null(wp);
    long vals[5];
    const char *c = wp + 3;
    for (int i = 0; i < 5; i++) {
        while (*c == ' ' || *c == '[' || *c == '\n' || *c == '\r') c++;
        char *e;
        vals[i] = strtol(c, &e, 10);
        assert_ptr_not_equal(e, c);
        c = e;
    }
    while (*c == ' ' || *c == '\n' || *c == '\r') c++;
    assert_int_equal(*c, ']'); /* five numbers: 0 and four widths */
    assert_int_equal(vals[0], 0);
    for (int i = 0; i < 4; i++) assert_int_equal(vals[1 + i], sub.widths[i]);
    assert_int_equal(sub.widths[g[0]], (unsigned)(hd_face_advance(face, 'A') + 0.5));
    /* ToUnicode: glyph codes back to code points */
    char map[64];
    snprintf(map, sizeof map, "<%04X> <0041>", g[0]);
    assert_true(count(b, n, map) == 1 || g[1] == g[0] + 1);
    assert_int_equal(count(b, n, "<2022>"), 1);
    assert_int_equal(count(b, n, "begincidrange"), 0);
    free(b);
    HPDF_Free(pdf);
    hd_fontlib_free(lib);
    hd_diags_free(&d);
    hd_arena_free(a);
}

/* Numbers in content streams: at most 5 decimals, rounded, no trailing
 * zeros, no "-0"; each followed by a space. */
static void test_content_numbers(void **state) {
    (void)state;
    static const struct {
        double v;
        const char *s;
    } cases[] = {{0, "0 "},          {1, "1 "},           {-2.25, "-2.25 "},      {496.8, "496.8 "},
                 {0.1, "0.1 "},      {1e-5, "0.00001 "},  {123.456789, "123.45679 "}, {-0.000004, "0 "},
                 {-0.000006, "-0.00001 "}, {792, "792 "}, {0.35686274509803922, "0.35686 "}, {2.999999, "3 "}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hd_content c;
        hd_content_begin(&c, NULL); /* short: nothing is flushed to a page */
        hd_content_num(&c, cases[i].v);
        assert_int_equal(c.n, strlen(cases[i].s));
        assert_memory_equal(c.buf, cases[i].s, c.n);
    }
}

/* pdftag.c's HPDF_MemCpy, HPDF_MemSet and HPDF_StrLen: libharu's results,
 * and the ones libharu's own calls reach. */
static void test_byte_loops(void **state) {
    (void)state;
    unsigned char b[8] = "abcdefg";
    assert_ptr_equal(HPDF_MemCpy(b, (const HPDF_BYTE *)"XY", 2), b + 2);
    assert_memory_equal(b, "XYcdefg", 8);
    assert_ptr_equal(HPDF_MemCpy(b + 1, b, 4), b + 5); /* forwards, overlapping: byte by byte */
    assert_memory_equal(b, "XXXXXfg", 8);
    memcpy(b, "abcdefg", 8);
    assert_ptr_equal(HPDF_MemCpy(b, b + 2, 4), b + 4); /* backwards, overlapping */
    assert_memory_equal(b, "cdefefg", 8);
    assert_ptr_equal(HPDF_MemCpy(b, b + 2, 0), b);
    assert_ptr_equal(HPDF_MemSet(b + 1, 'z', 3), b + 4);
    assert_memory_equal(b, "czzzefg", 8);
    assert_ptr_equal(HPDF_MemSet(b, 0, 0), b);
    assert_int_equal(HPDF_StrLen("abc", -1), 3);
    assert_int_equal(HPDF_StrLen("abc", 2), 2);
    assert_int_equal(HPDF_StrLen("abc", 0), 0);
    assert_int_equal(HPDF_StrLen("", 5), 0);
    assert_int_equal(HPDF_StrLen(NULL, 5), 0);
    assert_ptr_equal(dlsym(RTLD_DEFAULT, "HPDF_MemCpy"), (void *)HPDF_MemCpy);
    assert_ptr_equal(dlsym(RTLD_DEFAULT, "HPDF_MemSet"), (void *)HPDF_MemSet);
    assert_ptr_equal(dlsym(RTLD_DEFAULT, "HPDF_StrLen"), (void *)HPDF_StrLen);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmap_ranges_and_chars),
        cmocka_unit_test(test_cmap_range_stops_at_high_byte),
        cmocka_unit_test(test_cmap_blocks_of_100),
        cmocka_unit_test(test_cmap_empty),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_elements),
        cmocka_unit_test(test_marked_content),
        cmocka_unit_test(test_parent_tree_and_link),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_cmap_glyph_codes),
        cmocka_unit_test(test_type0_font),
        cmocka_unit_test(test_byte_loops),
        cmocka_unit_test(test_content_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
