/* fuzz_markdown.c: libFuzzer harness for Markdown -> model -> layout
 * (markdown.c, layout.c, font.c, image.c).
 *
 * Input: one selector byte, then a Markdown section. Bit 0 of the selector
 * puts the section inside the safety box (page 1, boxes never split) instead
 * of the body; bit 1 uses templates/large-print.yaml instead of
 * standard.yaml; bits 2-3 shift the section's place in its file (as inline
 * Markdown in a spec is). Unless bits 4-7 are all set, control characters
 * other than tab and line breaks become spaces: they are always an error
 * ("in no font"), which would stop most mutated inputs before pagination. The section must
 * be UTF-8 without NUL bytes, as every text reaching the Markdown parser is
 * (hd_read_file and the YAML reader check); other inputs are skipped.
 *
 * The section is parsed as if it were content/handouts/fuzz.md of the
 * checkout (images resolve to the project's real files and are decoded),
 * laid out with the riverside clinic and its logo, and the layout is
 * checked: every op on its page, finite numbers, text in a face that has
 * its characters, at most HD_MAX_PAGES pages.
 */
#include <setjmp.h>

#include "fuzz_common.h"
#include "image.h"
#include "markdown.h"
#include "model.h"
#include "spec.h"

static fuzz_project P;
static char md_file[PATH_MAX + 64];
/* Loaded once, read-only afterwards. */
static hd_arena *fixed;
static hd_template tpl[2];
static hd_fontset fs[2];
static hd_clinic clinic;
static const hd_image *logo;
static hd_fontlib *lib;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_real_project(&P);
    snprintf(md_file, sizeof md_file, "%s/content/handouts/fuzz.md", P.root);
    fixed = hd_arena_new();
    lib = hd_fontlib_new(P.p.fonts);
    hd_diags d;
    hd_diags_init(&d);
    const char *names[2] = {"standard", "large-print"};
    for (int i = 0; i < 2; i++) {
        if (hd_template_load(fixed, &d, &P.p, names[i], hd_pos_at(NULL, 0, 0), &tpl[i]) != HD_OK ||
            hd_fontlib_fontset(lib, &d, tpl[i].font_family, tpl[i].mono_family, tpl[i].fallback_family,
                               hd_pos_at(NULL, 0, 0), &fs[i]) != HD_OK) {
            hd_diags_print(&d, stderr);
            fuzz_fail("cannot load template %s and its fonts (run `make fonts` first)", names[i]);
        }
    }
    if (hd_clinic_load(fixed, &d, &P.p, "riverside", hd_pos_at(NULL, 0, 0), &clinic) != HD_OK ||
        (clinic.logo && hd_image_load(fixed, &d, clinic.logo, clinic.logo_pos, &logo) != HD_OK)) {
        hd_diags_print(&d, stderr);
        fuzz_fail("cannot load the riverside clinic");
    }
    hd_diags_free(&d);
    /* lib and fixed live until the process ends */
    return 0;
}

/* Decode the images the blocks refer to, as the build does. */
static hd_status load_images(hd_arena *a, hd_diags *d, hd_block *b, size_t n) {
    hd_status worst = HD_OK;
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == HD_BLK_IMAGE && b[i].image_path) {
            hd_status s = hd_image_load(a, d, b[i].image_path, b[i].pos, &b[i].image);
            if (s != HD_OK) worst = s;
        }
        if (b[i].nchildren) {
            hd_status s = load_images(a, d, b[i].children, b[i].nchildren);
            if (s != HD_OK) worst = s;
        }
    }
    return worst;
}

static void run_one(hd_arena *a, hd_diags *d, unsigned sel, const char *text, size_t len) {
    int in_box = sel & 1, t = (sel >> 1) & 1, shift = (int)((sel >> 2) & 3);
    hd_block *blocks = NULL;
    size_t nblocks = 0;
    hd_status s = hd_markdown_parse(a, d, &P.p, md_file, text, len, shift * 7, shift * 3, &blocks, &nblocks);
    fuzz_check_diags(d, s, "hd_markdown_parse");
    if (s != HD_OK) return;
    s = load_images(a, d, blocks, nblocks);
    fuzz_check_diags(d, s, "hd_image_load");
    if (s != HD_OK) return;
    hd_doc doc = {
        .tpl = &tpl[t],
        .clinic = &clinic,
        .title = "A test handout",
        .subtitle = "For the fuzzer",
        .lang = "en",
        .reviewed_text = "October 2026",
        .logo = logo,
        .str_contact = "Questions? Contact us",
    };
    if (in_box) {
        hd_block *box = hd_alloc(a, sizeof *box);
        box->kind = HD_BLK_SAFETY;
        box->title = "Safety information";
        box->pos = hd_pos_at(md_file, 0, 0);
        box->children = blocks;
        box->nchildren = nblocks;
        doc.safety = box;
    } else {
        doc.blocks = blocks;
        doc.nblocks = nblocks;
    }
    hd_layout L;
    s = hd_layout_doc(a, d, &doc, &fs[t], &L);
    fuzz_check_diags(d, s, "hd_layout_doc");
    if (s == HD_OK) fuzz_check_layout(&L, &fs[t]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return -1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (memchr(text, 0, len) || hd_utf8_invalid_at(text, len) >= 0) return -1;
    /* A NUL-terminated copy, as every text the program parses is. */
    char *copy = malloc(len + 1);
    if (!copy) return 0;
    memcpy(copy, text, len);
    copy[len] = 0;
    if ((data[0] & 0xf0) != 0xf0)
        for (size_t i = 0; i < len; i++)
            if (((unsigned char)copy[i] < 0x20 && copy[i] != '\t' && copy[i] != '\n' && copy[i] != '\r') ||
                copy[i] == 0x7f)
                copy[i] = ' ';
    hd_arena *a = hd_arena_new();
    hd_diags d;
    hd_diags_init(&d);
    jmp_buf oom;
    if (a && setjmp(oom) == 0) {
        hd_arena_on_oom(a, &oom);
        run_one(a, &d, data[0], copy, len);
    }
    hd_diags_free(&d);
    hd_arena_free(a);
    free(copy);
    return 0;
}
