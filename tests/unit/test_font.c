/* test_font.c: unit tests for font.c (face loading and its errors, metrics,
 * coverage, text widths, fallback, families under a fonts folder, thread
 * safety of the cache, embedding subsets into a libharu document).
 *
 * Expected metrics were read independently of harfbuzz, with a small Python
 * script that parses the TrueType tables (head unitsPerEm, hhea ascender and
 * descender, OS/2 sCapHeight, the (3,1) format-4 cmap and hmtx):
 *   DejaVuSans.ttf:        upem 2048, hhea 1901/-483, no sCapHeight (OS/2 v1),
 *                          'H' yMax 1493, 'A' gid 36 advance 1401,
 *                          U+2265 gid 3312 advance 1716, ' ' advance 651
 *   NotoSans-Regular.ttf:  upem 1000, hhea 1069/-293, sCapHeight 714,
 *                          'A' advance 639, U+201C advance 359, no U+2265
 * A temporary folder (group setup) holds a fonts/ tree of symlinks and the
 * damaged font files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb.h>

#include "cache.h"
#include "font.h"
#include <hb.h>

#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define DEJAVU_DIR "/usr/share/fonts/truetype/dejavu/"
#define NOTO "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
#define NOTO_DIR "/usr/share/fonts/truetype/noto/"
#define GE 0x2265u /* ≥ */

static char tmp[64];
static char fonts[128];

/* ------------------------------------------------------------ helpers */

static void path_in(char *buf, size_t size, const char *name) { snprintf(buf, size, "%s/%s", tmp, name); }

static unsigned char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void write_all(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Table directory record of tag in an sfnt image. */
static unsigned char *find_record(unsigned char *b, const char *tag) {
    unsigned n = be16(b + 4);
    for (unsigned i = 0; i < n; i++)
        if (memcmp(b + 12 + 16 * i, tag, 4) == 0) return b + 12 + 16 * i;
    fail_msg("no table %s", tag);
    return NULL;
}

/* A copy of DejaVu Sans at tmp/name, changed by patch. */
static void damaged_copy(const char *name, void (*patch)(unsigned char *b, size_t *len), char *out, size_t size) {
    size_t len;
    unsigned char *b = read_all(DEJAVU, &len);
    if (patch) patch(b, &len);
    path_in(out, size, name);
    write_all(out, b, len);
    free(b);
}

static void link_face(const char *family, const char *style, const char *target) {
    char dir[256], link[320];
    snprintf(dir, sizeof dir, "%s/%s", fonts, family);
    mkdir(dir, 0755);
    snprintf(link, sizeof link, "%s/%s.ttf", dir, style);
    assert_int_equal(symlink(target, link), 0);
}

static hd_pos nowhere(void) { return hd_pos_at(NULL, 0, 0); }

static const hd_face *load(hd_fontlib *lib, const char *path) {
    hd_diags d;
    hd_diags_init(&d);
    const hd_face *f = NULL;
    hd_status st = hd_fontlib_face(lib, &d, path, nowhere(), &f);
    if (st != HD_OK) fail_msg("loading %s: %s", path, d.n ? d.v[0].msg : "?");
    hd_diags_free(&d);
    return f;
}

/* Loading path must fail with exactly one error of this kind and text. */
static void assert_load_error(const char *path, hd_status kind, const char *msg) {
    hd_fontlib *lib = hd_fontlib_new(NULL);
    hd_diags d;
    hd_diags_init(&d);
    const hd_face *f = (const hd_face *)1;
    assert_int_equal(hd_fontlib_face(lib, &d, path, hd_pos_at("t.yaml", 3, 7), &f), kind);
    assert_null(f);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].kind, kind);
    assert_string_equal(d.v[0].file, "t.yaml");
    assert_int_equal(d.v[0].line, 3);
    assert_int_equal(d.v[0].col, 7);
    assert_string_equal(d.v[0].msg, msg);
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

static void assert_near(double got, double want) {
    if (got < want - 1e-9 || got > want + 1e-9) fail_msg("got %.12f, expected %.12f", got, want);
}

/* ------------------------------------------------------------ fixtures */

static int rm_one(const char *p, const struct stat *s, int flag, struct FTW *f) {
    (void)s, (void)flag, (void)f;
    return remove(p);
}

static int setup(void **state) {
    (void)state;
    strcpy(tmp, "/tmp/hd-test-font-XXXXXX");
    if (!mkdtemp(tmp)) return -1;
    snprintf(fonts, sizeof fonts, "%s/fonts", tmp);
    mkdir(fonts, 0755);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------ loading */

static void test_load_faces(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *dv = load(lib, DEJAVU), *no = load(lib, NOTO);
    assert_string_equal(hd_face_family(dv), "DejaVu Sans");
    assert_string_equal(hd_face_family(no), "Noto Sans");
    assert_string_equal(hd_face_path(dv), DEJAVU);
    assert_ptr_not_equal(dv, no);
    /* cached: the same file, also under another spelling, is one face */
    assert_ptr_equal(load(lib, DEJAVU), dv);
    assert_ptr_equal(load(lib, DEJAVU_DIR "../dejavu/DejaVuSans.ttf"), dv);
    hd_fontlib_free(lib);
}

static void test_metrics(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *dv = load(lib, DEJAVU), *no = load(lib, NOTO);
    assert_near(hd_face_ascent(dv), 1901 * 1000.0 / 2048);
    assert_near(hd_face_descent(dv), -483 * 1000.0 / 2048);
    assert_near(hd_face_cap_height(dv), 1493 * 1000.0 / 2048); /* from 'H': no sCapHeight */
    assert_near(hd_face_ascent(no), 1069);
    assert_near(hd_face_descent(no), -293);
    assert_near(hd_face_cap_height(no), 714);
    hd_fontlib_free(lib);
}

static void test_coverage(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *dv = load(lib, DEJAVU), *no = load(lib, NOTO);
    assert_true(hd_face_has(dv, 'A'));
    assert_true(hd_face_has(no, 'A'));
    assert_true(hd_face_has(dv, GE));
    assert_false(hd_face_has(no, GE));
    assert_true(hd_face_has(no, 0x201C)); /* beyond the remembered range */
    assert_true(hd_face_has(no, 0xE9));
    assert_false(hd_face_has(dv, 0x1F600)); /* above U+FFFF: never */
    assert_false(hd_face_has(dv, 0x110000));
    assert_false(hd_face_has(NULL, 'A'));
    hd_fontlib_free(lib);
}

static void test_advances(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *dv = load(lib, DEJAVU), *no = load(lib, NOTO);
    assert_near(hd_face_advance(dv, 'A'), 1401 * 1000.0 / 2048); /* 684.08203125 */
    assert_near(hd_face_advance(dv, GE), 1716 * 1000.0 / 2048);
    assert_near(hd_face_advance(no, 'A'), 639);
    assert_near(hd_face_advance(no, 0x201C), 359);
    assert_near(hd_face_advance(no, GE), 0); /* absent */
    hd_fontlib_free(lib);
}

static void test_text_width(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *dv = load(lib, DEJAVU);
    const char *s = "A A\xE2\x89\xA5"; /* "A A≥" */
    assert_near(hd_face_text_width(dv, s, strlen(s), 10), (2 * 1401 + 651 + 1716) * 10.0 / 2048);
    assert_near(hd_face_text_width(dv, s, 3, 12), (2 * 1401 + 651) * 12.0 / 2048); /* len counts */
    assert_near(hd_face_text_width(dv, "", 0, 12), 0);
    hd_fontlib_free(lib);
}

static void test_pick_and_fallback(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    hd_fontset fs;
    memset(&fs, 0, sizeof fs);
    fs.face[HD_F_REG] = load(lib, NOTO);
    fs.face[HD_F_MONO] = load(lib, NOTO);
    fs.face[HD_F_FB_REG] = load(lib, DEJAVU);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, 'A'), HD_F_REG);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, GE), HD_F_FB_REG);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_MONO, GE), HD_F_FB_REG); /* mono falls back to FB_REG */
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, 0x1F600), -1);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_BOLD, 'A'), -1);     /* no bold face, no bold fallback */
    assert_int_equal(hd_fontset_pick(&fs, HD_F_FB_REG, 'A'), HD_F_FB_REG);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_FB_REG, 0x1F600), -1); /* fallback has no fallback */
    assert_int_equal(hd_fontset_pick(&fs, -1, 'A'), -1);
    assert_int_equal(hd_fontset_pick(&fs, HD_NFACES, 'A'), -1);
    const char *s = "A\xE2\x89\xA5\xF0\x9F\x98\x80"; /* "A≥😀": 😀 drawn by nothing, width 0 */
    assert_near(hd_fontset_text_width(&fs, HD_F_REG, s, strlen(s), 20), (639 + 1716 * 1000.0 / 2048) * 20 / 1000);
    hd_fontlib_free(lib);
}

/* ------------------------------------------------------------ lazy metrics */

/* Coverage and advance straight from harfbuzz, on a face of our own. */
typedef struct {
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    double scale;
} hb_ref;

static hb_ref hb_ref_open(const char *path) {
    hb_ref r;
    r.blob = hb_blob_create_from_file_or_fail(path);
    assert_non_null(r.blob);
    r.face = hb_face_create(r.blob, 0);
    r.font = hb_font_create(r.face);
    unsigned upem = hb_face_get_upem(r.face);
    hb_font_set_scale(r.font, (int)upem, (int)upem);
    r.scale = 1000.0 / upem;
    return r;
}

static void hb_ref_close(hb_ref *r) {
    hb_font_destroy(r->font);
    hb_face_destroy(r->face);
    hb_blob_destroy(r->blob);
}

static int hb_ref_has(const hb_ref *r, unsigned cp, double *adv) {
    hb_codepoint_t g = 0;
    *adv = 0;
    if (cp > 0xFFFF || !hb_font_get_nominal_glyph(r->font, cp, &g) || g == 0) return 0;
    *adv = hb_font_get_glyph_h_advance(r->font, g) * r->scale;
    return 1;
}

/* Code points to compare: all below U+0700 (past the remembered range, which
 * ends at U+0600), then a spread over the BMP and beyond it. */
static unsigned sample_cp(unsigned i) {
    return i < 0x700 ? i : (i - 0x700) * 97 % 0x11000;
}
#define N_SAMPLE (0x700 + 1200)

/* Remembered answers are harfbuzz's, the first time and every time after. */
static void test_lazy_matches_harfbuzz(void **state) {
    (void)state;
    static const char *paths[] = {DEJAVU, NOTO, DEJAVU_DIR "DejaVuSansMono-Bold.ttf"};
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        hd_fontlib *lib = hd_fontlib_new(NULL);
        const hd_face *f = load(lib, paths[k]);
        hb_ref r = hb_ref_open(paths[k]);
        int n_has = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (unsigned i = 0; i < N_SAMPLE; i++) {
                unsigned cp = sample_cp(pass ? N_SAMPLE - 1 - i : i); /* second pass backwards */
                double want;
                int has = hb_ref_has(&r, cp, &want);
                if (hd_face_has(f, cp) != has) fail_msg("%s U+%04X: has %d, harfbuzz %d", paths[k], cp, !has, has);
                double got = hd_face_advance(f, cp);
                if (got != want) fail_msg("%s U+%04X: advance %.9f, harfbuzz %.9f", paths[k], cp, got, want);
                n_has += has;
            }
        }
        assert_true(n_has > 400); /* the sample is not all absent */
        hb_ref_close(&r);
        hd_fontlib_free(lib);
    }
}

/* Four threads ask one fresh face (so its memo fills while they race) for
 * coverage, advances and widths, each in its own order; every answer is
 * harfbuzz's. Run under -fsanitize=thread to see races. */
typedef struct {
    const hd_face *face;
    const double *want; /* advance per sample, -1: absent */
    pthread_barrier_t *go;
    unsigned stride;
    int wrong;
} asker;

static void *ask_thread(void *arg) {
    asker *t = arg;
    pthread_barrier_wait(t->go);
    for (unsigned n = 0; n < N_SAMPLE; n++) {
        unsigned i = (n * t->stride + t->stride) % N_SAMPLE;
        unsigned cp = sample_cp(i);
        double w = t->want[i];
        if (hd_face_has(t->face, cp) != (w >= 0)) t->wrong++;
        if (hd_face_advance(t->face, cp) != (w >= 0 ? w : 0)) t->wrong++;
        char u[4];
        size_t len = 0;
        if (cp < 0x80) {
            u[len++] = (char)cp;
        } else if (cp < 0x800) {
            u[len++] = (char)(0xC0 | cp >> 6), u[len++] = (char)(0x80 | (cp & 0x3F));
        }
        if (len && cp != 0 && hd_face_text_width(t->face, u, len, 1000) != (w >= 0 ? w : 0) * 1000 / 1000.0)
            t->wrong++;
    }
    return NULL;
}

static void test_threads_share_advances(void **state) {
    (void)state;
    static const char *paths[] = {DEJAVU, NOTO};
    static const unsigned strides[4] = {1, 7, 613, N_SAMPLE - 1}; /* coprime with N_SAMPLE */
    static double want[N_SAMPLE];
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        hb_ref r = hb_ref_open(paths[k]);
        for (unsigned i = 0; i < N_SAMPLE; i++) {
            double adv;
            want[i] = hb_ref_has(&r, sample_cp(i), &adv) ? adv : -1;
        }
        hb_ref_close(&r);
        for (int round = 0; round < 8; round++) {
            hd_fontlib *lib = hd_fontlib_new(NULL);
            const hd_face *f = load(lib, paths[k]);
            pthread_barrier_t go;
            pthread_barrier_init(&go, NULL, 4);
            asker t[4];
            pthread_t th[4];
            for (int i = 0; i < 4; i++) {
                t[i] = (asker){.face = f, .want = want, .go = &go, .stride = strides[i]};
                assert_int_equal(pthread_create(&th[i], NULL, ask_thread, &t[i]), 0);
            }
            for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
            pthread_barrier_destroy(&go);
            for (int i = 0; i < 4; i++) assert_int_equal(t[i].wrong, 0);
            hd_fontlib_free(lib);
        }
    }
}

/* ------------------------------------------------------------ families */

static void make_fonts_tree(void) {
    static int done;
    if (done) return;
    done = 1;
    const char *styles[] = {"Regular", "Bold", "Italic", "BoldItalic"};
    const char *dv[] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                        "DejaVuSans-BoldOblique.ttf"};
    const char *no[] = {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"};
    char target[256];
    for (int i = 0; i < 4; i++) {
        snprintf(target, sizeof target, NOTO_DIR "%s", no[i]);
        link_face("body-a", styles[i], target);
        snprintf(target, sizeof target, DEJAVU_DIR "%s", dv[i]);
        link_face("fb-c", styles[i], target);
    }
    link_face("mono-b", "Regular", DEJAVU_DIR "DejaVuSansMono.ttf");
    link_face("mono-b", "Bold", DEJAVU_DIR "DejaVuSansMono-Bold.ttf");
    link_face("broken", "Regular", NOTO);
    /* a fallback family with a damaged Regular: it loads only when needed */
    char bad[256];
    snprintf(bad, sizeof bad, "%s/bad-fb", fonts);
    mkdir(bad, 0755);
    snprintf(bad, sizeof bad, "%s/bad-fb/Regular.ttf", fonts);
    write_all(bad, "not a font, but long enough to be read as one", 46);
    for (int i = 1; i < 4; i++) {
        snprintf(target, sizeof target, DEJAVU_DIR "%s", dv[i]);
        link_face("bad-fb", styles[i], target);
    }
    /* not families: a file, a badly named folder */
    char p[256];
    snprintf(p, sizeof p, "%s/readme-txt", fonts);
    write_all(p, "x", 1);
    snprintf(p, sizeof p, "%s/Bad_Name", fonts);
    mkdir(p, 0755);
}

static void test_fontset(void **state) {
    (void)state;
    make_fonts_tree();
    hd_fontlib *lib = hd_fontlib_new(fonts);
    hd_diags d;
    hd_diags_init(&d);
    hd_fontset fs;
    assert_int_equal(hd_fontlib_fontset(lib, &d, "body-a", "mono-b", "fb-c", nowhere(), &fs), HD_OK);
    assert_int_equal(d.n, 0);
    /* the regular face loads with the set; the others when needed */
    assert_non_null(fs.face[HD_F_REG]);
    for (int i = HD_F_BOLD; i < HD_NFACES; i++) assert_null(fs.face[i]);
    char p[256], file[256];
    snprintf(p, sizeof p, "%s/fb-c/BoldItalic.ttf", fonts);
    assert_true(hd_fontset_file(&fs, HD_F_FB_BOLDITAL, file, sizeof file)); /* known before it loads */
    assert_string_equal(file, p);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, 'A'), HD_F_REG);
    assert_null(fs.face[HD_F_FB_REG]);                                  /* not needed yet */
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, GE), HD_F_FB_REG); /* needed: loaded */
    assert_non_null(fs.face[HD_F_FB_REG]);
    assert_null(fs.face[HD_F_FB_BOLD]);
    for (int i = 0; i < HD_NFACES; i++) assert_non_null(hd_fontset_face(&fs, i));
    assert_int_equal(fs.status, HD_OK);
    snprintf(p, sizeof p, "%s/body-a/Bold.ttf", fonts);
    assert_string_equal(hd_face_path(fs.face[HD_F_BOLD]), p);
    assert_string_equal(hd_face_family(fs.face[HD_F_REG]), "Noto Sans");
    assert_string_equal(hd_face_family(fs.face[HD_F_MONO]), "DejaVu Sans Mono");
    assert_string_equal(hd_face_family(fs.face[HD_F_FB_BOLDITAL]), "DejaVu Sans");
    /* a symlink and its target are one face */
    assert_ptr_equal(fs.face[HD_F_REG], load(lib, NOTO));
    assert_ptr_equal(fs.face[HD_F_FB_REG], load(lib, DEJAVU));
    assert_int_equal(hd_fontset_pick(&fs, HD_F_BOLDITAL, GE), HD_F_FB_BOLDITAL);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_MONOBOLD, 0x201C), HD_F_MONOBOLD);
    /* mono and fallback are optional */
    assert_int_equal(hd_fontlib_fontset(lib, &d, "body-a", NULL, NULL, nowhere(), &fs), HD_OK);
    assert_null(fs.face[HD_F_MONO]);
    assert_null(fs.face[HD_F_FB_REG]);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, GE), -1);
    assert_false(hd_fontset_file(&fs, HD_F_FB_REG, file, sizeof file));
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

/* A damaged fallback face is reported when a character first needs it, at
 * the place the families were named, once; other slots go on working. */
static void test_fontset_damaged_fallback(void **state) {
    (void)state;
    make_fonts_tree();
    hd_fontlib *lib = hd_fontlib_new(fonts);
    hd_diags d;
    hd_diags_init(&d);
    hd_fontset fs;
    hd_pos at = hd_pos_at("templates/basic.yaml", 12, 9);
    assert_int_equal(hd_fontlib_fontset(lib, &d, "body-a", NULL, "bad-fb", at, &fs), HD_OK);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, 'A'), HD_F_REG);
    assert_int_equal(d.n, 0); /* not needed: not read */
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, GE), -1);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_REG, GE), -1); /* tried once */
    assert_int_equal(fs.status, HD_ERR_SYSTEM);
    assert_int_equal(d.n, 1);
    char m[512];
    snprintf(m, sizeof m,
             "font file '%s/bad-fb/Regular.ttf' is not a TrueType font: replace it with a good TrueType (.ttf) file "
             "(run make to copy the fonts again)",
             fonts);
    assert_string_equal(d.v[0].msg, m);
    assert_string_equal(d.v[0].file, "templates/basic.yaml");
    assert_int_equal(d.v[0].line, 12);
    assert_int_equal(hd_fontset_pick(&fs, HD_F_BOLD, GE), HD_F_FB_BOLD); /* the other faces load */
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

static void assert_fontset_error(const char *family, const char *mono, const char *fb, hd_status kind,
                                 const char *msg) {
    hd_fontlib *lib = hd_fontlib_new(fonts);
    hd_diags d;
    hd_diags_init(&d);
    hd_fontset fs;
    assert_int_equal(hd_fontlib_fontset(lib, &d, family, mono, fb, hd_pos_at("templates/basic.yaml", 12, 9), &fs),
                     kind);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].kind, kind);
    assert_string_equal(d.v[0].file, "templates/basic.yaml");
    assert_int_equal(d.v[0].line, 12);
    assert_int_equal(d.v[0].col, 9);
    assert_string_equal(d.v[0].msg, msg);
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

static void test_fontset_errors(void **state) {
    (void)state;
    make_fonts_tree();
    char m[512];
    snprintf(m, sizeof m, "font family 'comic' not found in %s/ (available: bad-fb, body-a, broken, fb-c, mono-b)", fonts);
    assert_fontset_error("comic", "mono-b", "fb-c", HD_ERR_CONTENT, m);
    assert_fontset_error("body-a", "comic", "fb-c", HD_ERR_CONTENT, m); /* same text */
    snprintf(m, sizeof m,
             "font family '../x' is not a valid name: use the name of a folder in %s/ (lowercase letters, digits "
             "and '-' only, e.g. noto-sans)",
             fonts);
    assert_fontset_error("../x", NULL, NULL, HD_ERR_CONTENT, m);
    snprintf(m, sizeof m,
             "font family 'Bad_Name' is not a valid name: use the name of a folder in %s/ (lowercase letters, "
             "digits and '-' only, e.g. noto-sans)",
             fonts);
    assert_fontset_error("Bad_Name", NULL, NULL, HD_ERR_CONTENT, m);
    snprintf(m, sizeof m, "font family 'readme-txt' not found in %s/ (available: bad-fb, body-a, broken, fb-c, mono-b)",
             fonts);
    assert_fontset_error("readme-txt", NULL, NULL, HD_ERR_CONTENT, m);
    snprintf(m, sizeof m, "font file '%s/broken/Bold.ttf' is missing: run make to copy the fonts", fonts);
    assert_fontset_error("broken", NULL, NULL, HD_ERR_SYSTEM, m);
    /* fallback and mono files load when needed, but a missing one is found at once */
    assert_fontset_error("body-a", NULL, "broken", HD_ERR_SYSTEM, m);
    assert_fontset_error("body-a", "broken", NULL, HD_ERR_SYSTEM, m);
}

static void test_fontset_empty_dir(void **state) {
    (void)state;
    char dir[128];
    path_in(dir, sizeof dir, "nofonts");
    hd_fontlib *lib = hd_fontlib_new(dir);
    hd_diags d;
    hd_diags_init(&d);
    hd_fontset fs;
    assert_int_equal(hd_fontlib_fontset(lib, &d, "noto-sans", NULL, NULL, nowhere(), &fs), HD_ERR_CONTENT);
    char m[256];
    snprintf(m, sizeof m,
             "font family 'noto-sans' not found in %s/ (there are no font families there: run make to copy the "
             "fonts)",
             dir);
    assert_string_equal(d.v[0].msg, m);
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

/* ------------------------------------------------------------ bad files */

static void truncate_1k(unsigned char *b, size_t *len) {
    (void)b;
    *len = 1024;
}
static void random_bytes(unsigned char *b, size_t *len) {
    uint32_t x = 12345;
    for (size_t i = 0; i < 4096; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (unsigned char)(x >> 16);
    }
    *len = 4096;
}
static int cmp_record(const void *x, const void *y) { return memcmp(x, y, 4); }
/* CFF-flavoured: 'glyf' renamed 'CFF ', directory re-sorted as in a real
 * .otf (harfbuzz looks tables up by binary search). */
static void glyf_to_cff(unsigned char *b, size_t *len) {
    (void)len;
    memcpy(b, "OTTO", 4);
    memcpy(find_record(b, "glyf"), "CFF ", 4);
    qsort(b + 12, be16(b + 4), 16, cmp_record);
}
static void no_cmap(unsigned char *b, size_t *len) {
    (void)len;
    memcpy(find_record(b, "cmap"), "cmaq", 4);
}
static void upem_zero(unsigned char *b, size_t *len) {
    (void)len;
    uint32_t off = be32(find_record(b, "head") + 8);
    b[off + 18] = b[off + 19] = 0;
}
/* A 'cmap' with no subtables: the table is there, but maps nothing. */
static void empty_cmap(unsigned char *b, size_t *len) {
    (void)len;
    uint32_t off = be32(find_record(b, "cmap") + 8);
    b[off + 2] = b[off + 3] = 0;
}
static void directory_cut(unsigned char *b, size_t *len) {
    (void)b;
    *len = 40;
}

static void test_missing_and_not_files(void **state) {
    (void)state;
    char p[256], m[512];
    snprintf(p, sizeof p, "%s/none/Bold.ttf", tmp);
    snprintf(m, sizeof m, "font file '%s' is missing: run make to copy the fonts", p);
    assert_load_error(p, HD_ERR_SYSTEM, m);
    snprintf(m, sizeof m,
             "font file '%s' is a folder, not a font: replace it with a good TrueType (.ttf) file (run make to copy "
             "the fonts again)",
             fonts);
    assert_load_error(fonts, HD_ERR_SYSTEM, m);
    path_in(p, sizeof p, "empty.ttf");
    write_all(p, "", 0);
    snprintf(m, sizeof m,
             "font file '%s' is empty: replace it with a good TrueType (.ttf) file (run make to copy the fonts again)",
             p);
    assert_load_error(p, HD_ERR_SYSTEM, m);
    /* a sparse file one byte over the cap */
    path_in(p, sizeof p, "huge.ttf");
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)(32u << 20) + 1), 0);
    fclose(f);
    snprintf(m, sizeof m,
             "font file '%s' is too large (32.0 MiB; the limit is 32 MiB): use a smaller TrueType font", p);
    assert_load_error(p, HD_ERR_SYSTEM, m);
}

static void test_corrupt_fonts(void **state) {
    (void)state;
    static const char again[] = "replace it with a good TrueType (.ttf) file (run make to copy the fonts again)";
    static const struct {
        const char *file;
        void (*patch)(unsigned char *, size_t *);
        const char *what;
    } cases[] = {
        {"cut-1k.ttf", truncate_1k, "is damaged (its 'GPOS' table runs past the end of the file)"}, /* 1020+40586 */
        {"cut-40.ttf", directory_cut, "is damaged (its table directory is cut off)"},
        {"random.ttf", random_bytes, "is not a TrueType font"},
        {"no-cmap.ttf", no_cmap, "is damaged (its 'cmap' table is missing)"},
        {"upem-0.ttf", upem_zero, "is damaged (its units per em is 0)"},
        {"empty-cmap.ttf", empty_cmap, "is damaged (its character map is empty)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char p[256], m[512];
        damaged_copy(cases[i].file, cases[i].patch, p, sizeof p);
        snprintf(m, sizeof m, "font file '%s' %s: %s", p, cases[i].what, again);
        assert_load_error(p, HD_ERR_SYSTEM, m);
    }
}

static void test_cff_rejected(void **state) {
    (void)state;
    char p[256], m[512];
    damaged_copy("cff.otf", glyf_to_cff, p, sizeof p);
    snprintf(m, sizeof m,
             "font file '%s' has PostScript (CFF) outlines, but libharu can only embed TrueType outlines: use a .ttf "
             "font with TrueType (glyf) outlines",
             p);
    assert_load_error(p, HD_ERR_SYSTEM, m);
}

static void test_short_file(void **state) {
    (void)state;
    char p[256], m[512];
    path_in(p, sizeof p, "short.ttf");
    write_all(p, "\0\1\0\0\0\x14\0\0", 8);
    snprintf(m, sizeof m,
             "font file '%s' is damaged (it is cut off): replace it with a good TrueType (.ttf) file (run make to "
             "copy the fonts again)",
             p);
    assert_load_error(p, HD_ERR_SYSTEM, m);
}

static uint32_t rng_next(uint32_t *x) {
    *x ^= *x << 13, *x ^= *x >> 17, *x ^= *x << 5;
    return *x;
}

/* Load (and, when it loads, subset, embed and save) one damaged image:
 * any outcome but a crash or a silent failure is fine. */
static int n_rejected, n_embedded, n_embed_failed;

static void load_embed_save(const char *path, const unsigned char *b, size_t len) {
    write_all(path, b, len);
    hd_fontlib *lib = hd_fontlib_new(NULL);
    hd_diags d;
    hd_diags_init(&d);
    const hd_face *f = NULL;
    hd_status st = hd_fontlib_face(lib, &d, path, nowhere(), &f);
    if (st != HD_OK) {
        assert_int_equal(st, HD_ERR_SYSTEM);
        assert_int_equal(d.n, 1);
        n_rejected++;
    } else {
        unsigned cps[62];
        size_t n = 0;
        for (const char *c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"; *c; c++)
            cps[n++] = (unsigned char)*c;
        (void)hd_face_text_width(f, "Hello", 5, 12);
        hd_arena *a = hd_arena_new();
        hd_subset sub;
        if (hd_font_subset(a, &d, f, cps, n, &sub) == HD_OK) {
            hb_blob_t *blob = hb_blob_create((const char *)sub.data, (unsigned)sub.len, HB_MEMORY_MODE_READONLY, NULL, NULL);
            hb_face_t *face = hb_face_create(blob, 0);
            (void)hb_face_get_glyph_count(face);
            hb_face_destroy(face);
            hb_blob_destroy(blob);
            n_embedded++;
        } else {
            assert_int_equal(d.n, 1);
            n_embed_failed++;
        }
        hd_arena_free(a);
    }
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

/* Truncations at 64 points and 300 random byte changes (mostly in the small
 * tables every reader parses) never crash. */
static void test_damage_never_crashes(void **state) {
    (void)state;
    size_t len;
    unsigned char *orig = read_all(NOTO, &len);
    unsigned char *b = malloc(len);
    char p[256];
    path_in(p, sizeof p, "mutant.ttf");
    for (int k = 1; k < 64; k++) load_embed_save(p, orig, len * (size_t)k / 64);
    uint32_t x = 2463534242u;
    unsigned ntab = be16(orig + 4);
    for (int round = 0; round < 300; round++) {
        memcpy(b, orig, len);
        for (int j = 0; j < 6; j++) {
            size_t at;
            if (rng_next(&x) % 2) {
                const unsigned char *r = orig + 12 + 16 * (rng_next(&x) % ntab);
                uint32_t tlen = be32(r + 12);
                at = be32(r + 8) + rng_next(&x) % (tlen < 256 ? tlen + 1 : 256);
            } else {
                at = rng_next(&x) % len;
            }
            if (at < len) b[at] = (unsigned char)rng_next(&x);
        }
        load_embed_save(p, b, len);
    }
    print_message("damaged fonts: %d rejected, %d embedded, %d failed to embed\n", n_rejected, n_embedded,
                  n_embed_failed);
    assert_true(n_rejected > 50 && n_embedded > 50); /* both paths exercised */
    free(b);
    free(orig);
}

/* A failed load is not cached: once the file is good, it loads. */
static void test_error_not_cached(void **state) {
    (void)state;
    char p[256];
    path_in(p, sizeof p, "later.ttf");
    hd_fontlib *lib = hd_fontlib_new(NULL);
    hd_diags d;
    hd_diags_init(&d);
    const hd_face *f;
    assert_int_equal(hd_fontlib_face(lib, &d, p, nowhere(), &f), HD_ERR_SYSTEM);
    assert_string_equal(d.v[0].file, p); /* no position given: the file itself */
    assert_int_equal(symlink(DEJAVU, p), 0);
    assert_int_equal(hd_fontlib_face(lib, &d, p, nowhere(), &f), HD_OK);
    assert_string_equal(hd_face_family(f), "DejaVu Sans");
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

/* ------------------------------------------------------------ threads */

typedef struct {
    hd_fontlib *lib;
    pthread_barrier_t *go;
    const hd_face *got[3];
    hd_status st;
} loader;

static void *load_thread(void *arg) {
    loader *t = arg;
    static const char *paths[3] = {DEJAVU, NOTO, DEJAVU_DIR "DejaVuSans-Bold.ttf"};
    hd_diags d;
    hd_diags_init(&d);
    pthread_barrier_wait(t->go);
    for (int i = 0; i < 3 && t->st == HD_OK; i++) t->st = hd_fontlib_face(t->lib, &d, paths[i], nowhere(), &t->got[i]);
    hd_diags_free(&d);
    return NULL;
}

static void test_threads_share_faces(void **state) {
    (void)state;
    for (int round = 0; round < 5; round++) {
        hd_fontlib *lib = hd_fontlib_new(NULL);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, 4);
        loader t[4];
        pthread_t th[4];
        for (int i = 0; i < 4; i++) {
            memset(&t[i], 0, sizeof t[i]);
            t[i].lib = lib, t[i].go = &go;
            assert_int_equal(pthread_create(&th[i], NULL, load_thread, &t[i]), 0);
        }
        for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
        pthread_barrier_destroy(&go);
        for (int i = 0; i < 4; i++) {
            assert_int_equal(t[i].st, HD_OK);
            for (int k = 0; k < 3; k++) {
                assert_non_null(t[i].got[k]);
                assert_ptr_equal(t[i].got[k], t[0].got[k]);
            }
        }
        assert_ptr_not_equal(t[0].got[0], t[0].got[2]);
        hd_fontlib_free(lib);
    }
}

/* ------------------------------------------------------------ subsets */

/* The subset's own cmap, read back with harfbuzz: cp's glyph in it. */
static unsigned subset_cmap(const hd_subset *s, unsigned cp) {
    hb_blob_t *blob = hb_blob_create((const char *)s->data, (unsigned)s->len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(font, cp, &g)) g = 0;
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return g;
}

static void test_subset_glyphs_and_widths(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *no = load(lib, NOTO);
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    /* unsorted, repeated, one Noto lacks (>=), one above U+FFFF */
    static const unsigned cps[] = {'o', ' ', 'H', 'e', 'l', 'l', 0xE9, 0x201C, 0x201D, GE, 0x1F600};
    hd_subset s;
    assert_int_equal(hd_font_subset(a, &d, no, cps, sizeof cps / sizeof cps[0], &s), HD_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(s.n, 9); /* sorted, unique, U+1F600 dropped */
    for (size_t i = 1; i < s.n; i++) assert_true(s.cps[i - 1] < s.cps[i]);
    assert_int_equal(hd_subset_glyph(&s, GE), 0);
    assert_int_equal(hd_subset_glyph(&s, 'x'), 0);
    assert_true(s.nglyphs >= 9); /* .notdef, the 8 Noto has, and parts of composite glyphs (e acute) */
    for (size_t i = 0; i < s.n; i++) {
        unsigned g = hd_subset_glyph(&s, s.cps[i]);
        if (s.cps[i] == GE) continue;
        assert_true(g >= 1 && g < s.nglyphs);
        assert_int_equal(subset_cmap(&s, s.cps[i]), g); /* the subset agrees */
        long want = (long)(hd_face_advance(no, s.cps[i]) + 0.5);
        assert_int_equal(s.widths[g], want);
    }
    /* a name with a subset tag; the same subset, the same tag; another, another */
    assert_int_equal(strlen(s.name), 7 + strlen("NotoSans-Regular"));
    for (int i = 0; i < 6; i++) assert_true(s.name[i] >= 'A' && s.name[i] <= 'Z');
    assert_string_equal(s.name + 6, "+NotoSans-Regular");
    hd_subset s2, s3;
    assert_int_equal(hd_font_subset(a, &d, no, cps, sizeof cps / sizeof cps[0], &s2), HD_OK);
    assert_string_equal(s2.name, s.name);
    assert_int_equal(s2.len, s.len);
    assert_memory_equal(s2.data, s.data, s.len);
    assert_int_equal(hd_font_subset(a, &d, no, cps, 3, &s3), HD_OK);
    assert_string_not_equal(s3.name, s.name);
    /* what the descriptor says: a sans face, upright, 400 weight */
    assert_int_equal(s.flags, 32);
    assert_int_equal(s.stem_v, 88);
    assert_true(s.italic_angle == 0);
    assert_true(s.bbox[0] < 0 && s.bbox[1] < 0 && s.bbox[2] > 1000 && s.bbox[3] > 800);
    assert_true(s.ascent > 700 && s.descent < -100 && s.cap_height > 600);
    if (s.len < 1000 || s.len > 20000) fail_msg("subset of %zu bytes", s.len); /* Noto Sans is 500 KB */
    hd_arena_free(a);
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

/* A face and a subset read back from the disk cache are the ones read
 * from the file: every coverage and advance answer (harfbuzz's), the
 * metrics, and the subset's bytes, glyphs, widths, name and descriptor. */
static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void test_cache_gives_the_same(void **state) {
    (void)state;
    char dir[] = "/tmp/test-font-cache-XXXXXX";
    assert_non_null(mkdtemp(dir));
    hd_cache *c = hd_cache_new(dir, 1);
    assert_non_null(c);
    static const char *paths[] = {NOTO, DEJAVU};
    static const unsigned cps[] = {'o', ' ', 'H', 'e', 'l', 0xE9, 0x201C, 0x201D, GE, 0x0416};
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        hd_subset s[2];
        hd_arena *a = hd_arena_new();
        hd_diags d;
        hd_diags_init(&d);
        hd_fontlib *lib[2];
        const hd_face *f[2];
        for (int pass = 0; pass < 2; pass++) { /* pass 0 fills the cache, pass 1 reads it */
            lib[pass] = hd_fontlib_new(NULL);
            hd_fontlib_set_cache(lib[pass], c);
            f[pass] = load(lib[pass], paths[k]);
            assert_int_equal(hd_font_subset(a, &d, f[pass], cps, sizeof cps / sizeof cps[0], &s[pass]), HD_OK);
        }
        assert_false(hd_face_from_cache(f[0]));
        assert_true(hd_face_from_cache(f[1]));
        assert_false(s[0].from_cache);
        assert_true(s[1].from_cache);
        hb_ref r = hb_ref_open(paths[k]);
        for (unsigned i = 0; i < N_SAMPLE; i++) {
            unsigned cp = sample_cp(i);
            double want;
            int has = hb_ref_has(&r, cp, &want);
            if (hd_face_has(f[1], cp) != has || hd_face_advance(f[1], cp) != want)
                fail_msg("%s U+%04X from the cache: has %d advance %.9f, harfbuzz %d %.9f", paths[k], cp,
                         hd_face_has(f[1], cp), hd_face_advance(f[1], cp), has, want);
        }
        hb_ref_close(&r);
        assert_true(hd_face_ascent(f[0]) == hd_face_ascent(f[1]));
        assert_true(hd_face_descent(f[0]) == hd_face_descent(f[1]));
        assert_true(hd_face_cap_height(f[0]) == hd_face_cap_height(f[1]));
        assert_string_equal(hd_face_family(f[0]), hd_face_family(f[1]));
        assert_int_equal(s[0].len, s[1].len);
        assert_memory_equal(s[0].data, s[1].data, s[0].len);
        assert_int_equal(s[0].n, s[1].n);
        assert_memory_equal(s[0].cps, s[1].cps, s[0].n * sizeof *s[0].cps);
        assert_memory_equal(s[0].gids, s[1].gids, s[0].n * sizeof *s[0].gids);
        assert_memory_equal(s[0].low, s[1].low, sizeof s[0].low);
        assert_int_equal(s[0].nglyphs, s[1].nglyphs);
        assert_memory_equal(s[0].widths, s[1].widths, s[0].nglyphs * sizeof *s[0].widths);
        assert_string_equal(s[0].name, s[1].name);
        assert_memory_equal(s[0].bbox, s[1].bbox, sizeof s[0].bbox);
        assert_int_equal(s[0].flags, s[1].flags);
        assert_int_equal(s[0].stem_v, s[1].stem_v);
        assert_true(s[0].italic_angle == s[1].italic_angle && s[0].ascent == s[1].ascent &&
                    s[0].descent == s[1].descent && s[0].cap_height == s[1].cap_height);
        assert_int_equal(d.n, 0);
        hd_fontlib_free(lib[0]);
        hd_fontlib_free(lib[1]);
        hd_arena_free(a);
        hd_diags_free(&d);
    }
    hd_cache_free(c);
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* No code points (a face picked but never drawn): a font of .notdef. */
static void test_subset_empty(void **state) {
    (void)state;
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *dv = load(lib, DEJAVU);
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    hd_subset s;
    assert_int_equal(hd_font_subset(a, &d, dv, NULL, 0, &s), HD_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.nglyphs, 1);
    assert_true(s.len > 0);
    assert_int_equal(hd_subset_glyph(&s, 'A'), 0);
    hd_arena_free(a);
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

/* Italic and serif faces say so; a monospaced face too. */
static void test_subset_flags(void **state) {
    (void)state;
    static const struct {
        const char *path;
        int flags;
    } cases[] = {
        {"/usr/share/fonts/truetype/noto/NotoSerif-Italic.ttf", 32 | 2 | 64},
        {"/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", 32},
        {"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 32 | 1},
    };
    hd_fontlib *lib = hd_fontlib_new(NULL);
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const hd_face *f = load(lib, cases[i].path);
        static const unsigned cps[] = {'A'};
        hd_subset s;
        assert_int_equal(hd_font_subset(a, &d, f, cps, 1, &s), HD_OK);
        if (s.flags != cases[i].flags) fail_msg("%s: flags %d, expected %d", cases[i].path, s.flags, cases[i].flags);
        if (cases[i].flags & 64) assert_true(s.italic_angle < -5);
    }
    hd_arena_free(a);
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

static void restrict_licence(unsigned char *b, size_t *len) {
    (void)len;
    unsigned char *r = find_record(b, "OS/2");
    unsigned char *os2 = b + be32(r + 8);
    os2[8] = 0, os2[9] = 2; /* fsType: restricted licence embedding */
}

static void test_subset_licence_refused(void **state) {
    (void)state;
    char path[256];
    damaged_copy("restricted.ttf", restrict_licence, path, sizeof path);
    hd_fontlib *lib = hd_fontlib_new(NULL);
    const hd_face *f = load(lib, path);
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    static const unsigned cps[] = {'A'};
    hd_subset s;
    assert_int_equal(hd_font_subset(a, &d, f, cps, 1, &s), HD_ERR_SYSTEM);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].file, path);
    char want[512];
    snprintf(want, sizeof want,
             "font file '%s' does not allow embedding in a PDF (its licence flags forbid it): use another font", path);
    assert_string_equal(d.v[0].msg, want);
    hd_arena_free(a);
    hd_diags_free(&d);
    hd_fontlib_free(lib);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_faces),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_advances),
        cmocka_unit_test(test_text_width),
        cmocka_unit_test(test_pick_and_fallback),
        cmocka_unit_test(test_lazy_matches_harfbuzz),
        cmocka_unit_test(test_threads_share_advances),
        cmocka_unit_test(test_fontset),
        cmocka_unit_test(test_fontset_errors),
        cmocka_unit_test(test_fontset_damaged_fallback),
        cmocka_unit_test(test_fontset_empty_dir),
        cmocka_unit_test(test_missing_and_not_files),
        cmocka_unit_test(test_corrupt_fonts),
        cmocka_unit_test(test_cff_rejected),
        cmocka_unit_test(test_short_file),
        cmocka_unit_test(test_damage_never_crashes),
        cmocka_unit_test(test_error_not_cached),
        cmocka_unit_test(test_threads_share_faces),
        cmocka_unit_test(test_subset_glyphs_and_widths),
        cmocka_unit_test(test_cache_gives_the_same),
        cmocka_unit_test(test_subset_empty),
        cmocka_unit_test(test_subset_flags),
        cmocka_unit_test(test_subset_licence_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
