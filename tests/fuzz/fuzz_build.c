/* fuzz_build.c: libFuzzer harness for the whole build of one handout
 * (build.c and everything it drives: spec, Markdown, images, figure,
 * fonts, layout, the safety-text proof, the painter).
 *
 * Input: the bytes of a handout spec (usually with inline Markdown
 * sections). They are written to content/handouts/fuzz.yaml in a private
 * copy of the project (the real templates, clinics, topics, safety texts,
 * example Markdown and figures, and tests/fixtures/showcase/ as
 * content/handouts/showcase/, so `file:` and `figure:` entries of the
 * examples resolve), and built with hd_build in check mode (out_dir NULL):
 * everything runs, the PDF is painted in memory, nothing is written.
 *
 * Checked: the result agrees with its diagnostics (a failure says why, a
 * success has no error), a success has pages and PDF bytes and wrote no
 * file, and the sanitizers see no fault or leak.
 */
#include "build.h"
#include "fuzz_common.h"

static fuzz_project P;
static hd_fontlib *fonts;
static char spec_path[PATH_MAX + 64];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_temp_project(&P);
    snprintf(spec_path, sizeof spec_path, "%s/content/handouts/fuzz.yaml", P.root);
    fonts = hd_fontlib_new(P.p.fonts);
    if (!fonts) fuzz_fail("cannot make the font library");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_write_file(spec_path, data, size);
    hd_job job = {
        .proj = &P.p,
        .fonts = fonts,
        .spec_path = spec_path,
        .epoch = -1,
        .want_sha256 = 1,
    };
    hd_result r;
    hd_status s = hd_build(&job, &r);
    if (s != r.status) fuzz_fail("hd_build returned %d but the result says %d", (int)s, (int)r.status);
    fuzz_check_diags(&r.diags, s, "hd_build");
    if (r.out_path) fuzz_fail("check mode wrote %s", r.out_path);
    if (s == HD_OK) {
        if (r.pages < 1 || r.pages > HD_MAX_PAGES) fuzz_fail("built %d pages", r.pages);
        if (r.bytes == 0 || strlen(r.sha256) != 64) fuzz_fail("built a PDF of %zu bytes, sha256 '%s'", r.bytes, r.sha256);
        if (!r.handout_id || !r.clinic_id) fuzz_fail("built without handout or clinic id");
    }
    hd_result_free(&r);
    return 0;
}
