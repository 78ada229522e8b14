/* fuzz_common.h: what the libFuzzer harnesses share (tests only).
 *
 * Owns: finding the checkout (HD_FUZZ_ROOT), making a private temporary
 * project per fuzzing process (a copy of content/ and templates/, the real
 * fonts/) so a harness can write its input as a project file, and the
 * invariants every harness checks: a failed call says why in a diagnostic,
 * a successful one records no error, and a layout stays on its pages with
 * finite numbers and drawable text. A broken invariant is reported with
 * fuzz_fail(), which aborts: libFuzzer records the input as a crash.
 *
 * Harness code may keep process-wide state made once in LLVMFuzzerInitialize
 * (the project, a font library): the program's own code may not.
 */
#ifndef HD_FUZZ_COMMON_H
#define HD_FUZZ_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "font.h"
#include "fsutil.h"
#include "layout.h"

/* Not every harness uses every helper. */
#define FUZZ_FN static __attribute__((unused))

#ifndef HD_FUZZ_ROOT
#define HD_FUZZ_ROOT "."
#endif

typedef struct {
    char root[PATH_MAX];
    char templates[PATH_MAX + 16], fonts[PATH_MAX + 16], clinics[PATH_MAX + 32];
    hd_project p;
    int is_temp;
} fuzz_project;

FUZZ_FN void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
FUZZ_FN void fuzz_fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "\nINVARIANT BROKEN: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* The checkout: $HD_FUZZ_ROOT, else the folder the harness was built in. */
static const char *fuzz_source_root(void) {
    static char buf[PATH_MAX];
    const char *r = getenv("HD_FUZZ_ROOT");
    if (!realpath(r && *r ? r : HD_FUZZ_ROOT, buf)) fuzz_fail("cannot open the checkout %s", r ? r : HD_FUZZ_ROOT);
    return buf;
}

FUZZ_FN void fuzz_write_file(const char *path, const void *data, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fuzz_fail("cannot write %s: %s", path, strerror(errno));
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w <= 0) fuzz_fail("cannot write %s: %s", path, strerror(errno));
        p += w;
        len -= (size_t)w;
    }
    close(fd);
}

/* Copy a folder tree (folders and regular files; symlinks are left out). */
FUZZ_FN void fuzz_copy_tree(const char *src, const char *dst) {
    if (mkdir(dst, 0755) != 0 && errno != EEXIST) fuzz_fail("cannot make %s: %s", dst, strerror(errno));
    DIR *dh = opendir(src);
    if (!dh) fuzz_fail("cannot open %s: %s", src, strerror(errno));
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char s[PATH_MAX], t[PATH_MAX];
        snprintf(s, sizeof s, "%s/%s", src, e->d_name);
        snprintf(t, sizeof t, "%s/%s", dst, e->d_name);
        struct stat st;
        if (lstat(s, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            fuzz_copy_tree(s, t);
        } else if (S_ISREG(st.st_mode)) {
            FILE *f = fopen(s, "rb");
            if (!f) fuzz_fail("cannot read %s", s);
            char *buf = malloc((size_t)st.st_size + 1);
            size_t n = fread(buf, 1, (size_t)st.st_size, f);
            fclose(f);
            fuzz_write_file(t, buf, n);
            free(buf);
        }
    }
    closedir(dh);
}

FUZZ_FN int fuzz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static char fuzz_temp_root[PATH_MAX];
FUZZ_FN void fuzz_remove_temp(void) {
    if (fuzz_temp_root[0]) nftw(fuzz_temp_root, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

FUZZ_FN void fuzz_project_paths(fuzz_project *fp, const char *fonts_root) {
    snprintf(fp->templates, sizeof fp->templates, "%s/templates", fp->root);
    snprintf(fp->fonts, sizeof fp->fonts, "%s/fonts", fonts_root);
    snprintf(fp->clinics, sizeof fp->clinics, "%s/content/clinics", fp->root);
    fp->p.root = fp->root;
    fp->p.templates = fp->templates;
    fp->p.fonts = fp->fonts;
    fp->p.clinics = fp->clinics;
}

/* The checkout itself as the project (nothing may be written to it). */
FUZZ_FN void fuzz_real_project(fuzz_project *fp) {
    snprintf(fp->root, sizeof fp->root, "%s", fuzz_source_root());
    fuzz_project_paths(fp, fp->root);
    fp->is_temp = 0;
}

/* A private copy of the project under $TMPDIR, removed at exit: content/
 * and templates/ copied, tests/fixtures/showcase/ as content/handouts/
 * showcase/, fonts from the checkout. Inputs are written into it. */
FUZZ_FN void fuzz_temp_project(fuzz_project *fp) {
    const char *src = fuzz_source_root();
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX], s[PATH_MAX], t[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/hd-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) fuzz_fail("cannot make a temporary folder in %s: %s", tmp ? tmp : "/tmp", strerror(errno));
    if (!realpath(dir, fp->root)) fuzz_fail("realpath %s", dir);
    snprintf(fuzz_temp_root, sizeof fuzz_temp_root, "%s", fp->root);
    atexit(fuzz_remove_temp);
    snprintf(s, sizeof s, "%s/content", src);
    snprintf(t, sizeof t, "%s/content", fp->root);
    fuzz_copy_tree(s, t);
    snprintf(s, sizeof s, "%s/templates", src);
    snprintf(t, sizeof t, "%s/templates", fp->root);
    fuzz_copy_tree(s, t);
    snprintf(s, sizeof s, "%s/tests/fixtures/showcase", src);
    snprintf(t, sizeof t, "%s/content/handouts/showcase", fp->root);
    fuzz_copy_tree(s, t);
    fuzz_project_paths(fp, src);
    fp->is_temp = 1;
}

/* HD_FUZZ_VERBOSE=1: print every diagnostic (to see what an input does). */
FUZZ_FN void fuzz_show(const hd_diags *d, hd_status s, const char *what) {
    static int verbose = -1;
    if (verbose < 0) verbose = getenv("HD_FUZZ_VERBOSE") && *getenv("HD_FUZZ_VERBOSE") == '1';
    if (!verbose) return;
    fprintf(stderr, "%s: status %d\n", what, (int)s);
    hd_diags_print(d, stderr);
}

/* ---- invariants ---- */

/* A call that failed said why; one that succeeded recorded no error; every
 * message is one non-empty line. */
FUZZ_FN void fuzz_check_diags(const hd_diags *d, hd_status s, const char *what) {
    fuzz_show(d, s, what);
    if (s != HD_OK && s != HD_ERR_CONTENT && s != HD_ERR_SYSTEM) fuzz_fail("%s returned status %d", what, (int)s);
    if (s != HD_OK && d->errors == 0) fuzz_fail("%s failed (status %d) without an error message", what, (int)s);
    if (s == HD_OK && d->errors != 0) fuzz_fail("%s succeeded but recorded %zu errors", what, d->errors);
    if (d->n > HD_MAX_DIAGS) fuzz_fail("%s stored %zu diagnostics, over the cap %d", what, d->n, HD_MAX_DIAGS);
    for (size_t i = 0; i < d->n; i++) {
        const hd_diag *g = &d->v[i];
        if (!g->msg || !g->msg[0]) fuzz_fail("%s: diagnostic %zu has no message", what, i);
        if (strchr(g->msg, '\n')) fuzz_fail("%s: diagnostic %zu spans lines: %s", what, i, g->msg);
        if (g->line < 0 || g->col < 0) fuzz_fail("%s: diagnostic %zu at line %d col %d", what, i, g->line, g->col);
        if (g->sev == HD_SEV_ERROR && g->kind != HD_ERR_CONTENT && g->kind != HD_ERR_SYSTEM)
            fuzz_fail("%s: error %zu has kind %d", what, i, (int)g->kind);
    }
}

FUZZ_FN int fuzz_finite(double v) {
    return isfinite(v);
}

#define FUZZ_TOL 0.5 /* points: rounding, hairlines */

FUZZ_FN void fuzz_check_point(const hd_layout *L, size_t pg, size_t i, const char *kind, double x, double y) {
    if (x < -FUZZ_TOL || x > L->page_w + FUZZ_TOL || y < -FUZZ_TOL || y > L->page_h + FUZZ_TOL)
        fuzz_fail("page %zu op %zu (%s): point (%g, %g) outside the %gx%g page", pg + 1, i, kind, x, y, L->page_w,
                  L->page_h);
}

FUZZ_FN void fuzz_check_colour(size_t pg, size_t i, hd_rgb c) {
    if (!(c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 && c.b <= 1))
        fuzz_fail("page %zu op %zu: colour (%g, %g, %g) outside 0..1", pg + 1, i, c.r, c.g, c.b);
}

/* Every op on its page, finite, drawable: what the painter relies on. */
FUZZ_FN void fuzz_check_layout(const hd_layout *L, const hd_fontset *fs) {
    if (!fuzz_finite(L->page_w) || !fuzz_finite(L->page_h) || L->page_w <= 0 || L->page_h <= 0)
        fuzz_fail("page size %g x %g", L->page_w, L->page_h);
    if (L->npages < 1 || L->npages > HD_MAX_PAGES) fuzz_fail("%zu pages", L->npages);
    for (size_t pg = 0; pg < L->npages; pg++) {
        const hd_oplist *ol = &L->pages[pg];
        for (size_t i = 0; i < ol->n; i++) {
            const hd_op *op = &ol->v[i];
            if (!fuzz_finite(op->x) || !fuzz_finite(op->y) || !fuzz_finite(op->w) || !fuzz_finite(op->h) ||
                !fuzz_finite(op->size) || !fuzz_finite(op->line_width) || !fuzz_finite(op->dash))
                fuzz_fail("page %zu op %zu (kind %d): a number is not finite: x %g y %g w %g h %g size %g", pg + 1, i,
                          (int)op->kind, op->x, op->y, op->w, op->h, op->size);
            fuzz_check_colour(pg, i, op->color);
            fuzz_check_colour(pg, i, op->fill);
            switch (op->kind) {
            case HD_OP_TEXT: {
                if (!op->text) fuzz_fail("page %zu op %zu: text op without text", pg + 1, i);
                size_t len = strlen(op->text);
                if (hd_utf8_invalid_at(op->text, len) >= 0)
                    fuzz_fail("page %zu op %zu: text is not UTF-8", pg + 1, i);
                if (op->face < 0 || op->face >= HD_NFACES || !fs->face[op->face])
                    fuzz_fail("page %zu op %zu: face %d is not in the fontset", pg + 1, i, op->face);
                if (!(op->size > 0)) fuzz_fail("page %zu op %zu: font size %g", pg + 1, i, op->size);
                if (op->w < -FUZZ_TOL) fuzz_fail("page %zu op %zu: negative advance %g", pg + 1, i, op->w);
                fuzz_check_point(L, pg, i, "text start", op->x, op->y);
                fuzz_check_point(L, pg, i, "text end", op->x + op->w, op->y);
                const char *s = op->text;
                while (*s) {
                    unsigned cp = hd_utf8_next(&s);
                    if (cp >= 0x20 && !hd_face_has(fs->face[op->face], cp))
                        fuzz_fail("page %zu op %zu: U+%04X is not in face %d ('%s')", pg + 1, i, cp, op->face,
                                  op->text);
                }
                break;
            }
            case HD_OP_LINE:
                fuzz_check_point(L, pg, i, "line start", op->x, op->y);
                fuzz_check_point(L, pg, i, "line end", op->x + op->w, op->y + op->h);
                break;
            case HD_OP_RECT:
            case HD_OP_LINK:
            case HD_OP_IMAGE:
                if (op->w < 0 || op->h < 0) fuzz_fail("page %zu op %zu: box of size %g x %g", pg + 1, i, op->w, op->h);
                fuzz_check_point(L, pg, i, "box corner", op->x, op->y);
                fuzz_check_point(L, pg, i, "box corner", op->x + op->w, op->y + op->h);
                if (op->kind == HD_OP_LINK && !op->url) fuzz_fail("page %zu op %zu: link without url", pg + 1, i);
                if (op->kind == HD_OP_IMAGE && !op->image) fuzz_fail("page %zu op %zu: image op without image", pg + 1, i);
                break;
            default:
                fuzz_fail("page %zu op %zu: unknown kind %d", pg + 1, i, (int)op->kind);
            }
        }
    }
    for (size_t i = 0; i < L->noutline; i++) {
        const hd_outline *o = &L->outline[i];
        if (!o->title || o->page < 0 || (size_t)o->page >= L->npages || !fuzz_finite(o->y))
            fuzz_fail("outline entry %zu: page %d of %zu, y %g", i, o->page, L->npages, o->y);
    }
}

#endif
