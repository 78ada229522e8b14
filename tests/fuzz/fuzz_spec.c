/* fuzz_spec.c: libFuzzer harness for the spec loader (spec.c, yamlread.c).
 *
 * Input: one selector byte, then the bytes of a YAML file. The selector
 * (byte & 7) picks what the bytes are, and they are written to that file in
 * a private copy of the project, then loaded the way a build loads it:
 *   0, 7  a handout spec      content/handouts/fuzz.yaml  hd_spec_load
 *   1     a page template     templates/fuzz.yaml         hd_template_load
 *   2     a clinic profile    content/clinics/fuzz.yaml   hd_clinic_load
 *   3     a figure file       content/handouts/fig.yaml   hd_figure_load
 *   4     a topic             templates/topics/fuzz.yaml  hd_topic_load
 *   5     a safety text       templates/safety/fuzz.yaml  hd_safety_load
 *   6     any YAML, in memory (no file)                   hd_yaml_parse
 * ('0'..'7' in ASCII select the same, so seeds stay readable.)
 * What loads is then used the way a build uses it, so a value that passes
 * validation but breaks a later stage is found too: a spec's Markdown is
 * parsed at its place in the file; a template, clinic, figure or safety
 * text is laid out in a small fixed handout and the layout checked.
 */
#include <setjmp.h>

#include "fuzz_common.h"
#include "image.h"
#include "markdown.h"
#include "model.h"
#include "spec.h"
#include "yamlread.h"

#define PATH_CAP (PATH_MAX + 64)

static fuzz_project P;
static hd_fontlib *fonts;
static char fixed_file[PATH_CAP]; /* where FIXED_MD says it is from */

static const char FIXED_MD[] = "## A short section\n\nSome *plain* text for patients, with a list:\n\n"
                               "- one\n- two\n\nCall [us](tel:555-0100).\n";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    fuzz_temp_project(&P);
    snprintf(fixed_file, sizeof fixed_file, "%s/content/handouts/fixed.md", P.root);
    fonts = hd_fontlib_new(P.p.fonts);
    if (!fonts) fuzz_fail("cannot make the font library");
    return 0;
}

/* Lay out a small handout with this template and clinic (the clinic may be
 * NULL), `body` after a fixed section, and check the layout. */
static void layout_with(hd_arena *a, hd_diags *d, const hd_template *tpl, const hd_clinic *clinic, hd_block *body,
                        size_t nbody, hd_block *safety) {
    hd_fontset fs;
    hd_status s = hd_fontlib_fontset(fonts, d, tpl->font_family, tpl->mono_family, tpl->fallback_family,
                                     hd_pos_at(tpl->path, 0, 0), &fs);
    fuzz_check_diags(d, s, "hd_fontlib_fontset");
    if (s != HD_OK) return;
    hd_block *blocks = NULL;
    size_t nblocks = 0;
    s = hd_markdown_parse(a, d, &P.p, fixed_file, FIXED_MD, sizeof FIXED_MD - 1, 0, 0, &blocks, &nblocks);
    fuzz_check_diags(d, s, "hd_markdown_parse (fixed text)");
    if (s != HD_OK) return;
    hd_block *all = hd_allocn(a, nblocks + nbody, sizeof *all);
    memcpy(all, blocks, nblocks * sizeof *all);
    if (nbody) memcpy(all + nblocks, body, nbody * sizeof *all);
    hd_doc doc = {
        .tpl = tpl,
        .clinic = clinic,
        .title = "A test handout",
        .lang = "en",
        .blocks = all,
        .nblocks = nblocks + nbody,
        .safety = safety,
        .reviewed_text = "October 2026",
        .str_contact = "Questions? Contact us",
    };
    if (clinic && clinic->logo) {
        s = hd_image_load(a, d, clinic->logo, clinic->logo_pos, &doc.logo);
        fuzz_check_diags(d, s, "hd_image_load (logo)");
        if (s != HD_OK) return;
    }
    hd_layout L;
    s = hd_layout_doc(a, d, &doc, &fs, &L);
    fuzz_check_diags(d, s, "hd_layout_doc");
    if (s == HD_OK) fuzz_check_layout(&L, &fs);
}

/* The project's own standard template, for clinics, figures, safety texts. */
static int standard_template(hd_arena *a, hd_diags *d, hd_template *t) {
    hd_status s = hd_template_load(a, d, &P.p, "standard", hd_pos_at(NULL, 0, 0), t);
    if (s != HD_OK) {
        hd_diags_print(d, stderr);
        fuzz_fail("templates/standard.yaml does not load (the harness is older than the template?)");
    }
    return 1;
}

static void run_spec(hd_arena *a, hd_diags *d, const char *path) {
    hd_spec spec;
    hd_status s = hd_spec_load(a, d, &P.p, path, &spec);
    fuzz_check_diags(d, s, "hd_spec_load");
    if (s != HD_OK) return;
    if (!spec.id || !spec.title || !spec.language || !spec.template_name || !spec.clinic_id || !spec.topic ||
        !spec.nsections)
        fuzz_fail("a spec loaded without a required value");
    for (size_t i = 0; i < spec.nsections; i++) {
        const hd_section *sec = &spec.sections[i];
        if (sec->kind == HD_SEC_FIGURE) {
            if (!sec->figure) fuzz_fail("section %zu: a figure section without a figure", i + 1);
            continue;
        }
        if (!sec->text || !sec->file || strlen(sec->text) != sec->text_len)
            fuzz_fail("section %zu: Markdown text and length disagree", i + 1);
        hd_block *blocks = NULL;
        size_t nb = 0;
        s = hd_markdown_parse(a, d, &P.p, sec->file, sec->text, sec->text_len, sec->line_offset, sec->col_offset,
                              &blocks, &nb);
        fuzz_check_diags(d, s, "hd_markdown_parse (spec section)");
        if (s != HD_OK) return;
    }
}

static void run_template(hd_arena *a, hd_diags *d) {
    hd_template t;
    hd_status s = hd_template_load(a, d, &P.p, "fuzz", hd_pos_at(NULL, 0, 0), &t);
    fuzz_check_diags(d, s, "hd_template_load");
    if (s != HD_OK) return;
    double tw = t.page_w - t.margin_left - t.margin_right, th = t.page_h - t.margin_top - t.margin_bottom;
    if (!(tw > 0 && th > 0)) fuzz_fail("template loaded with no room for text: %g x %g points", tw, th);
    layout_with(a, d, &t, NULL, NULL, 0, NULL);
}

static void run_clinic(hd_arena *a, hd_diags *d) {
    hd_clinic c;
    hd_status s = hd_clinic_load(a, d, &P.p, "fuzz", hd_pos_at(NULL, 0, 0), &c);
    fuzz_check_diags(d, s, "hd_clinic_load");
    if (s != HD_OK) return;
    if (!c.id || !c.name) fuzz_fail("a clinic loaded without id or name");
    hd_template t;
    standard_template(a, d, &t);
    layout_with(a, d, &t, &c, NULL, 0, NULL);
}

static void run_figure(hd_arena *a, hd_diags *d, const char *path) {
    hd_figure *f = NULL;
    hd_status s = hd_figure_load(a, d, &P.p, path, hd_pos_at(NULL, 0, 0), &f);
    fuzz_check_diags(d, s, "hd_figure_load");
    if (s != HD_OK) return;
    if (!f || !(f->axis_lo > 0 && f->axis_lo < f->axis_hi) || !f->nlanes)
        fuzz_fail("a figure loaded with a bad axis or no lanes");
    hd_template t;
    standard_template(a, d, &t);
    hd_block b = {.kind = HD_BLK_FIGURE, .figure = f, .pos = f->pos};
    layout_with(a, d, &t, NULL, &b, 1, NULL);
}

static void run_safety(hd_arena *a, hd_diags *d) {
    hd_safety sf;
    hd_status s = hd_safety_load(a, d, &P.p, "fuzz", hd_pos_at(NULL, 0, 0), &sf);
    fuzz_check_diags(d, s, "hd_safety_load");
    if (s != HD_OK) return;
    if (!sf.text || strlen(sf.text) != sf.text_len) fuzz_fail("safety text and its length disagree");
    hd_block *box = hd_alloc(a, sizeof *box);
    box->kind = HD_BLK_SAFETY;
    box->title = sf.title;
    box->pos = hd_pos_at(sf.path, 0, 0);
    s = hd_markdown_parse(a, d, &P.p, sf.path, sf.text, sf.text_len, sf.line_offset, sf.col_offset, &box->children,
                          &box->nchildren);
    fuzz_check_diags(d, s, "hd_markdown_parse (safety text)");
    if (s != HD_OK) return;
    hd_template t;
    standard_template(a, d, &t);
    layout_with(a, d, &t, NULL, NULL, 0, box);
}

static void run_topic(hd_arena *a, hd_diags *d) {
    hd_topic t;
    hd_status s = hd_topic_load(a, d, &P.p, "fuzz", hd_pos_at(NULL, 0, 0), &t);
    fuzz_check_diags(d, s, "hd_topic_load");
    if (s == HD_OK && (!t.id || !t.nsafety)) fuzz_fail("a topic loaded without id or safety texts");
}

/* Walk a parsed tree: every node well formed. Iterative (no recursion on
 * input depth, like the program). */
static void check_tree(hd_arena *a, const hd_ynode *root) {
    const hd_ynode **stack = NULL;
    size_t n = 0, cap = 0, seen = 0;
    *HD_PUSH(a, stack, n, cap) = root;
    while (n) {
        const hd_ynode *y = stack[--n];
        if (++seen > HD_YAML_MAX_NODES + 1) fuzz_fail("more than %d nodes", HD_YAML_MAX_NODES);
        if (y->pos.line < 1 || y->pos.col < 1) fuzz_fail("node at line %d col %d", y->pos.line, y->pos.col);
        switch (y->kind) {
        case HD_YSCALAR:
            if (!y->str || strlen(y->str) != y->len) fuzz_fail("scalar text and length disagree");
            break;
        case HD_YMAP:
            for (size_t i = 0; i < y->npairs; i++) {
                if (!y->pairs[i].key || !y->pairs[i].value) fuzz_fail("map pair without key or value");
                for (size_t k = 0; k < i; k++)
                    if (!strcmp(y->pairs[k].key, y->pairs[i].key)) fuzz_fail("duplicate key '%s'", y->pairs[i].key);
                if (hd_ymap_get(y, y->pairs[i].key) != y->pairs[i].value && i < 64)
                    fuzz_fail("hd_ymap_get('%s') finds another value", y->pairs[i].key);
                *HD_PUSH(a, stack, n, cap) = y->pairs[i].value;
            }
            break;
        case HD_YSEQ:
            for (size_t i = 0; i < y->nitems; i++) {
                if (!y->items[i]) fuzz_fail("list item %zu is NULL", i);
                *HD_PUSH(a, stack, n, cap) = y->items[i];
            }
            break;
        default:
            fuzz_fail("node kind %d", (int)y->kind);
        }
        if (!hd_ynode_what(y)) fuzz_fail("hd_ynode_what returned NULL");
    }
}

static void run_yaml(hd_arena *a, hd_diags *d, const uint8_t *data, size_t size) {
    hd_ynode *root = NULL;
    hd_status s = hd_yaml_parse(a, d, "fuzz.yaml", (const char *)data, size, &root);
    fuzz_check_diags(d, s, "hd_yaml_parse");
    if ((s == HD_OK) != (root != NULL)) fuzz_fail("hd_yaml_parse: status %d but root %p", (int)s, (void *)root);
    if (root) check_tree(a, root);
}

static void run_one(hd_arena *a, hd_diags *d, int kind, const uint8_t *data, size_t size, char *path) {
    switch (kind) {
    case 1:
        snprintf(path, PATH_CAP, "%s/fuzz.yaml", P.p.templates);
        fuzz_write_file(path, data, size);
        run_template(a, d);
        break;
    case 2:
        snprintf(path, PATH_CAP, "%s/fuzz.yaml", P.p.clinics);
        fuzz_write_file(path, data, size);
        run_clinic(a, d);
        break;
    case 3:
        snprintf(path, PATH_CAP, "%s/content/handouts/fig.yaml", P.root);
        fuzz_write_file(path, data, size);
        run_figure(a, d, path);
        break;
    case 4:
        snprintf(path, PATH_CAP, "%s/topics/fuzz.yaml", P.p.templates);
        fuzz_write_file(path, data, size);
        run_topic(a, d);
        break;
    case 5:
        snprintf(path, PATH_CAP, "%s/safety/fuzz.yaml", P.p.templates);
        fuzz_write_file(path, data, size);
        run_safety(a, d);
        break;
    case 6:
        run_yaml(a, d, data, size);
        break;
    default:
        snprintf(path, PATH_CAP, "%s/content/handouts/fuzz.yaml", P.root);
        fuzz_write_file(path, data, size);
        run_spec(a, d, path);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return -1;
    int kind = data[0] & 7;
    hd_arena *a = hd_arena_new();
    if (!a) return 0;
    hd_diags d;
    hd_diags_init(&d);
    static char path[PATH_CAP];
    path[0] = 0;
    jmp_buf oom;
    if (setjmp(oom) == 0) {
        hd_arena_on_oom(a, &oom);
        run_one(a, &d, kind, data + 1, size - 1, path);
    }
    /* no input sees the file of the one before */
    if (path[0]) unlink(path);
    hd_diags_free(&d);
    hd_arena_free(a);
    return 0;
}
