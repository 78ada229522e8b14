/* test_pdfpack.c: packing a PDF (pdfpack.h).
 *
 * A small PDF in libharu's layout (classic xref, each stream's /Length in
 * an object of its own) is packed and the result read back here: header,
 * cross-reference stream (decoded, every offset checked), the object
 * stream's compact contents, streams deflated or copied, page content with
 * literal strings for hex ones, images with the PNG Up predictor, what is
 * left out, the /ID and the same bytes twice; then input that is not such a
 * PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "arena.h"
#include "diag.h"
#include "pdfpack.h"

/* A PDF with objects 1..n (objs[i] is object i+1's text after "obj\n"),
 * its xref table and trailer. Returns its length. */
static size_t make_pdf(char *buf, size_t cap, const char *version, const char *const *objs, size_t n,
                       const char *trailer) {
    size_t len = (size_t)snprintf(buf, cap, "%%PDF-%s\n%%\xB7\xBE\xAD\xAA\n", version), off[32];
    for (size_t i = 0; i < n; i++) {
        off[i] = len;
        len += (size_t)snprintf(buf + len, cap - len, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = len;
    len += (size_t)snprintf(buf + len, cap - len, "xref\n0 %zu\n0000000000 65535 f\r\n", n + 1);
    for (size_t i = 0; i < n; i++) len += (size_t)snprintf(buf + len, cap - len, "%010zu 00000 n\r\n", off[i]);
    len += (size_t)snprintf(buf + len, cap - len, "trailer\n<<\n%s\n/Size %zu\n>>\nstartxref\n%zu\n%%%%EOF\n", trailer,
                            n + 1, xref);
    assert_true(len < cap);
    return len;
}

/* Object 1: catalog; 2: pages; 3: page; 4: its contents (length in 5);
 * 6: info; 7: nothing refers to it; 8: an image already DCT-encoded (length
 * in 9); 10: a stream that is not page content (length in 11); 12: what
 * the catalog's /Length names (only a stream's /Length is made direct).
 * The page's hex strings become literal strings (with their NULs, escapes,
 * an odd digit count); a comment and the other stream are left alone. */
static const char CONTENT[] = "BT /F1 12 Tf 72 700 Td <0048 0069> Tj ET\n% a comment <0041>\n"
                              "/P <</MCID 0>> BDC BT [<00280029005C000D> 120 (lit<er>al) <414>] TJ ET EMC\n";
static const char LITERAL[] = "BT /F1 12 Tf 72 700 Td (\0H\0i) Tj ET\n% a comment <0041>\n"
                              "/P <</MCID 0>> BDC BT [(\0\\(\0\\)\0\\\\\0\\r) 120 (lit<er>al) (A@)] TJ ET EMC\n";
static const char OTHER[] = "<0041> <0042>";
static const char JPEG[] = "\xFF\xD8\xFF\xE0 not really a JPEG \xFF\xD9";

static size_t sample_with(char *buf, size_t cap, const char *version, const char *content) {
    static char contents[512], image[256], other[128];
    snprintf(contents, sizeof contents, "<<\n/Length 5 0 R\n>>\nstream\r\n%s\nendstream", content);
    snprintf(image, sizeof image,
             "<<\n/Type /XObject\n/Subtype /Image\n/Filter /DCTDecode\n/Length 9 0 R\n/Width 1\n>>\nstream\n%s\nendstream",
             JPEG);
    snprintf(other, sizeof other, "<<\n/Length 11 0 R\n>>\nstream\n%s\nendstream", OTHER);
    char len5[24], len9[24], len11[24];
    snprintf(len5, sizeof len5, "%zu", strlen(content));
    snprintf(len9, sizeof len9, "%zu", strlen(JPEG));
    snprintf(len11, sizeof len11, "%zu", strlen(OTHER));
    const char *objs[] = {
        "<<\n/Type /Catalog\n/Pages 2 0 R\n/Length 12 0 R\n>>",
        "<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
        "<<\n/Type /Page\n/Parent 2 0 R\n/Contents [ 4 0 R ]\n/Resources << /XObject << /Im1 8 0 R >> /X 10 0 R >>\n>>",
        contents,
        len5,
        "<<\n/Title (a title with \\) and endobj in it)\n/Producer <FEFF0041>\n>>",
        "<< /Orphan true >>",
        image,
        len9,
        other,
        len11,
        "<< /Kept true >>",
    };
    return make_pdf(buf, cap, version, objs, sizeof objs / sizeof objs[0], "/Root 1 0 R\n/Info 6 0 R");
}

static size_t sample(char *buf, size_t cap, const char *version) {
    return sample_with(buf, cap, version, CONTENT);
}

static const unsigned char *find(const unsigned char *b, size_t n, const char *s) {
    return memmem(b, n, s, strlen(s));
}

/* The stream data of the object starting at p: *len bytes. */
static const unsigned char *stream_data(const unsigned char *p, size_t *len) {
    const char *l = strstr((const char *)p, "/Length ");
    assert_non_null(l);
    *len = strtoul(l + 8, NULL, 10);
    const char *s = strstr((const char *)p, ">>\nstream\n");
    assert_non_null(s);
    return (const unsigned char *)s + 10;
}

static size_t inflate_all(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
    uLongf got = cap;
    assert_int_equal(uncompress(out, &got, in, n), Z_OK);
    return got;
}

typedef struct {
    int type;
    size_t f2, f3;
} xentry;

/* Decode the cross-reference stream startxref points to; returns Size. */
static size_t read_xref(const unsigned char *pdf, size_t n, xentry *e, size_t max) {
    const unsigned char *sx = find(pdf + n - 40, 40, "startxref\n");
    assert_non_null(sx);
    const unsigned char *x = pdf + strtoul((const char *)sx + 10, NULL, 10);
    assert_non_null(strstr((const char *)x, " 0 obj\n<< /Type /XRef /Size "));
    size_t size = strtoul(strstr((const char *)x, "/Size ") + 6, NULL, 10);
    unsigned w1, w2, w3, cols;
    assert_int_equal(sscanf(strstr((const char *)x, "/W ["), "/W [ %u %u %u ]", &w1, &w2, &w3), 3);
    assert_int_equal(sscanf(strstr((const char *)x, "/Columns"), "/Columns %u /Predictor 12", &cols), 1);
    assert_int_equal(w1, 1);
    assert_int_equal(cols, w1 + w2 + w3);
    assert_true(size <= max);
    size_t zl;
    const unsigned char *z = stream_data(x, &zl);
    unsigned char rows[4096], prev[20] = {0};
    assert_int_equal(inflate_all(z, zl, rows, sizeof rows), size * (cols + 1));
    for (size_t i = 0; i < size; i++) {
        unsigned char *r = rows + i * (cols + 1);
        assert_int_equal(r[0], 2); /* PNG Up */
        for (unsigned b = 0; b < cols; b++) prev[b] = (unsigned char)(prev[b] + r[1 + b]);
        e[i].type = prev[0];
        e[i].f2 = e[i].f3 = 0;
        for (unsigned b = 0; b < w2; b++) e[i].f2 = e[i].f2 << 8 | prev[1 + b];
        for (unsigned b = 0; b < w3; b++) e[i].f3 = e[i].f3 << 8 | prev[1 + w2 + b];
    }
    return size;
}

static void pack(const char *in, size_t len, unsigned char **out, size_t *out_len, hd_arena *a) {
    hd_diags d;
    hd_diags_init(&d);
    assert_int_equal(hd_pdf_pack(a, &d, (const unsigned char *)in, len, out, out_len), HD_OK);
    assert_int_equal(d.n, 0);
    hd_diags_free(&d);
}

static void test_packs(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    char in[8192];
    size_t len = sample(in, sizeof in, "1.7");
    unsigned char *pdf;
    size_t n;
    pack(in, len, &pdf, &n, a);
    assert_memory_equal(pdf, "%PDF-1.7\n%", 10);
    assert_memory_equal(pdf + n - 6, "%%EOF\n", 6);

    xentry e[16];
    size_t size = read_xref(pdf, n, e, 16);
    assert_int_equal(size, 15); /* 1..12, the object stream (13), the xref stream (14) */
    int free_[] = {0, 5, 7, 9, 11}; /* lengths (now direct), 7 reached by nothing */
    for (size_t i = 0; i < 5; i++) assert_int_equal(e[free_[i]].type, 0);
    int in_stm[] = {1, 2, 3, 6, 12};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(e[in_stm[i]].type, 2);
        assert_int_equal(e[in_stm[i]].f2, 13);
        assert_int_equal(e[in_stm[i]].f3, i);
    }
    int own[] = {4, 8, 10, 13, 14};
    for (size_t i = 0; i < 5; i++) {
        char head[16];
        snprintf(head, sizeof head, "%d 0 obj\n", own[i]);
        assert_int_equal(e[own[i]].type, 1);
        assert_memory_equal(pdf + e[own[i]].f2, head, strlen(head));
    }

    /* the content stream is deflated, its /Length direct */
    size_t zl;
    const unsigned char *z = stream_data(pdf + e[4].f2, &zl);
    assert_non_null(find(pdf + e[4].f2, 64, "<<\n/Length "));
    assert_non_null(find(pdf + e[4].f2, 64, " /Filter /FlateDecode>>\nstream\n"));
    unsigned char buf[4096];
    assert_int_equal(inflate_all(z, zl, buf, sizeof buf), sizeof LITERAL - 1);
    assert_memory_equal(buf, LITERAL, sizeof LITERAL - 1);
    z = stream_data(pdf + e[10].f2, &zl); /* not page content: as it was */
    assert_int_equal(inflate_all(z, zl, buf, sizeof buf), strlen(OTHER));
    assert_memory_equal(buf, OTHER, strlen(OTHER));
    /* the JPEG is copied as it is */
    z = stream_data(pdf + e[8].f2, &zl);
    assert_int_equal(zl, strlen(JPEG));
    assert_memory_equal(z, JPEG, zl);
    size_t span = (size_t)(find(pdf + e[8].f2, n - e[8].f2, "endobj") - (pdf + e[8].f2));
    assert_null(find(pdf + e[8].f2, span, "/Length 9 0 R"));
    assert_null(find(pdf + e[8].f2, span, "FlateDecode"));
    assert_non_null(find(pdf + e[8].f2, span, "/Filter /DCTDecode"));

    /* the object stream: the four objects' text, in order */
    const unsigned char *stm = pdf + e[13].f2;
    assert_non_null(strstr((const char *)stm, "<< /Type /ObjStm /N 5 /First "));
    size_t first = strtoul(strstr((const char *)stm, "/First ") + 7, NULL, 10);
    z = stream_data(stm, &zl);
    size_t tl = inflate_all(z, zl, buf, sizeof buf - 1);
    buf[tl] = 0;
    size_t num[4], off[4];
    assert_int_equal(sscanf((char *)buf, "%zu %zu %zu %zu %zu %zu %zu %zu", &num[0], &off[0], &num[1], &off[1], &num[2],
                            &off[2], &num[3], &off[3]),
                     8);
    assert_int_equal(num[3], 6);
    /* compact: no line breaks, a space only between two words, hex strings as literal ones */
    static const char info[] = "<</Title(a title with \\) and endobj in it)/Producer(\xFE\xFF\0A)>>\n";
    static const char catalog[] = "<</Type/Catalog/Pages 2 0 R/Length 12 0 R>>\n";
    static const char last[] = "<</Kept true>>\n";
    assert_memory_equal(buf + first + off[3], info, sizeof info - 1);
    assert_memory_equal(buf + first + off[0], catalog, sizeof catalog - 1);
    assert_memory_equal(buf + tl - (sizeof last - 1), last, sizeof last); /* with the NUL: nothing after */
    assert_null(strstr((char *)buf, "Orphan"));

    /* trailer: /Root, /Info, an /ID from the content; same bytes again */
    const unsigned char *x = pdf + e[14].f2;
    assert_non_null(strstr((const char *)x, "/Root 1 0 R /Info 6 0 R /ID [ <"));
    const char *id = strstr((const char *)x, "/ID [ <") + 7;
    assert_int_equal(strspn(id, "0123456789abcdef"), 32);
    assert_memory_equal(id + 32, "> <", 3);
    assert_memory_equal(id + 35, id, 32);
    unsigned char *again;
    size_t n2;
    pack(in, len, &again, &n2, a);
    assert_int_equal(n2, n);
    assert_memory_equal(again, pdf, n);
    hd_arena_free(a);
}

static void test_old_version_becomes_1_5(void **state) {
    (void)state;
    hd_arena *a = hd_arena_new();
    char in[8192];
    size_t len = sample(in, sizeof in, "1.3");
    unsigned char *pdf;
    size_t n;
    pack(in, len, &pdf, &n, a);
    assert_memory_equal(pdf, "%PDF-1.5\n", 9);
    hd_arena_free(a);
}

/* A content stream that may hold an inline image is copied as it is: the
 * image's data could look like anything. */
static void test_inline_image_content_kept(void **state) {
    (void)state;
    static const char content[] = "q BI /W 1 /H 1 /BPC 8 /CS /G ID <EI Q <0041> Tj\n";
    hd_arena *a = hd_arena_new();
    char in[8192];
    size_t len = sample_with(in, sizeof in, "1.7", content);
    unsigned char *pdf;
    size_t n;
    pack(in, len, &pdf, &n, a);
    xentry e[16];
    read_xref(pdf, n, e, 16);
    size_t zl;
    const unsigned char *z = stream_data(pdf + e[4].f2, &zl);
    unsigned char buf[4096];
    assert_int_equal(inflate_all(z, zl, buf, sizeof buf), strlen(content));
    assert_memory_equal(buf, content, strlen(content));
    hd_arena_free(a);
}

/* An 8-bit RGB image gets the PNG Up predictor; a 1-bit one is left as it is. */
static void test_image_predictor(void **state) {
    (void)state;
    /* 4 x 2 RGB: 12 bytes a row (8 at a time, then 4), bytes that borrow */
    static const unsigned char px[24] = {0x03, 0x80, 0xFF, 0x01, 0x7F, 0x80, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60,
                                         0x01, 0x7F, 0x02, 0xFF, 0x80, 0x7F, 0x10, 0x21, 0x2F, 0x40, 0x01, 0xFF};
    char rgb[256], bits[256];
    int n1 = snprintf(rgb, sizeof rgb,
                      "<<\n/Type /XObject\n/Subtype /Image\n/Width 4\n/Height 2\n/ColorSpace /DeviceRGB\n"
                      "/BitsPerComponent 8\n/Length 24\n>>\nstream\n");
    memcpy(rgb + n1, px, 24);
    strcpy(rgb + n1 + 24, "\nendstream");
    snprintf(bits, sizeof bits,
             "<<\n/Type /XObject\n/Subtype /Image\n/Width 16\n/Height 1\n/ColorSpace /DeviceGray\n"
             "/BitsPerComponent 1\n/Length 2\n>>\nstream\nAB\nendstream");
    const char *objs[] = {
        "<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
        "<<\n/Type /Pages\n/Kids [ 3 0 R ]\n/Count 1\n>>",
        "<<\n/Type /Page\n/Parent 2 0 R\n/Resources << /XObject << /A 4 0 R /B 5 0 R >> >>\n>>",
        rgb,
        bits,
    };
    char in[4096];
    /* (make_pdf copies objects as C strings: no NUL in the pixels) */
    size_t len = make_pdf(in, sizeof in, "1.7", objs, 5, "/Root 1 0 R");
    hd_arena *a = hd_arena_new();
    unsigned char *pdf;
    size_t n;
    pack(in, len, &pdf, &n, a);
    xentry e[16];
    read_xref(pdf, n, e, 16);
    assert_non_null(strstr((const char *)pdf + e[4].f2, "/DecodeParms <</Predictor 12/Colors 3/Columns 4>>"));
    size_t zl;
    const unsigned char *z = stream_data(pdf + e[4].f2, &zl);
    unsigned char buf[64], want[26];
    want[0] = 2;
    memcpy(want + 1, px, 12);
    want[13] = 2;
    for (int i = 0; i < 12; i++) want[14 + i] = (unsigned char)(px[12 + i] - px[i]);
    assert_int_equal(inflate_all(z, zl, buf, sizeof buf), 26);
    assert_memory_equal(buf, want, 26);
    assert_null(strstr((const char *)pdf + e[5].f2, "DecodeParms"));
    z = stream_data(pdf + e[5].f2, &zl);
    assert_int_equal(inflate_all(z, zl, buf, sizeof buf), 2);
    assert_memory_equal(buf, "AB", 2);
    hd_arena_free(a);
}

static void expect_error(const char *in, size_t len, const char *msg) {
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    unsigned char *out = (unsigned char *)1;
    size_t n = 1;
    assert_int_equal(hd_pdf_pack(a, &d, (const unsigned char *)in, len, &out, &n), HD_ERR_SYSTEM);
    assert_null(out);
    assert_int_equal(n, 0);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].msg, msg);
    hd_diags_free(&d);
    hd_arena_free(a);
}

static void test_not_a_pdf(void **state) {
    (void)state;
    expect_error("hello", 5,
                 "packing the PDF failed: the painter's output is not a PDF this program can read (no startxref)");
    char in[8192];
    size_t len = sample(in, sizeof in, "1.7");
    char *c = strstr(in, "stream\r\nBT");
    assert_non_null(c);
    c[0] = 'X'; /* object 4's "stream" keyword broken */
    expect_error(in, len, "packing the PDF failed: the painter's output is not a PDF this program can read (object 4)");
    len = sample(in, sizeof in, "1.7");
    c = strstr(in, "5 0 obj\n") + 8; /* object 4's /Length 10 or 100 bytes too long */
    assert_true(c[0] >= '1' && c[0] < '9' && c[1] >= '0' && c[1] <= '9');
    c[0]++;
    expect_error(in, len, "packing the PDF failed: the painter's output is not a PDF this program can read (object 4)");
    len = sample(in, sizeof in, "1.7");
    c = strstr(in, "xref\n0 13");
    assert_non_null(c);
    c[0] = 'X';
    expect_error(in, len,
                 "packing the PDF failed: the painter's output is not a PDF this program can read (no xref table (a "
                 "cross-reference stream?))");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packs),
        cmocka_unit_test(test_old_version_becomes_1_5),
        cmocka_unit_test(test_inline_image_content_kept),
        cmocka_unit_test(test_image_predictor),
        cmocka_unit_test(test_not_a_pdf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
