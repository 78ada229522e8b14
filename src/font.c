/* font.c: TrueType faces for layout, and their subsets for the PDF (see
 * font.h).
 *
 * Owns: the process-wide face cache (one face per file, loaded under a
 * mutex, immutable afterwards and shared read-only between threads), the
 * checks that turn a missing, damaged or CFF font into a clear error,
 * metrics in 1/1000 em, font families under fonts/, and cutting a face
 * down to the glyphs a document draws with harfbuzz's subsetter
 * (hd_font_subset), with the glyph of each code point, each glyph's width
 * and what a PDF font descriptor needs. No libharu here: the painter
 * (pdftag.c) builds the PDF font.
 *
 * harfbuzz is loaded (dlopen) only when it has work to do. A face is read
 * into a summary (its whole character map with advances, its metrics and
 * descriptor values), and layout asks only the summary; summaries and
 * subsets are kept in the disk cache (cache.h), keyed by the font file's
 * identity, harfbuzz's own files' identity and (subsets) the code points.
 * A run that finds all it needs there never loads harfbuzz: on the build
 * machine, loading it and its libraries (glib, graphite2, freetype, ...)
 * cost about 1.4 ms a process, and its work for one handout 1.2 ms. The
 * results are the same bytes either way (tests/e2e_cache.sh checks).
 */
#include "font.h"
#include "cache.h"
#include "fsutil.h"

#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

/* Code points below this are found by index in a face's table, the others
 * by binary search. */
#define LOW_TABLE 0x600
/* libharu's CIDs are 16-bit code points: nothing above U+FFFF can be drawn. */
#define MAX_CP 0xFFFF
#define MAX_FAMILY_NAME 64
/* A low-table word: LOW_HAS | advance in font units (0: the face lacks it). */
#define LOW_HAS 0x80000000u
#define MAX_UNITS 0x7FFFFFFFu

/* The harfbuzz functions this file calls, found with dlsym. */
#define HB_FUNCS(X)                                                                                                   \
    X(hb_blob_create_or_fail) X(hb_blob_destroy) X(hb_blob_get_data) X(hb_blob_get_length) X(hb_blob_get_empty)     \
    X(hb_face_count) X(hb_face_create) X(hb_face_destroy) X(hb_face_reference_table) X(hb_face_reference_blob)     \
    X(hb_face_get_glyph_count) X(hb_face_get_upem) X(hb_face_collect_unicodes) X(hb_face_make_immutable)           \
    X(hb_font_create) X(hb_font_destroy) X(hb_font_set_scale) X(hb_font_get_h_extents) X(hb_font_get_nominal_glyph) \
    X(hb_font_get_glyph_h_advance) X(hb_font_get_glyph_extents) X(hb_font_make_immutable)                          \
    X(hb_ot_metrics_get_position) X(hb_ot_name_get_utf8) X(hb_set_create) X(hb_set_destroy) X(hb_set_is_empty)     \
    X(hb_set_add) X(hb_set_allocation_successful) X(hb_set_next_many) X(hb_set_get_population) X(hb_map_get)       \
    X(hb_map_get_population) X(hb_font_get_nominal_glyphs) X(hb_font_get_glyph_h_advances)                        \
    X(hb_subset_input_create_or_fail) X(hb_subset_input_destroy) X(hb_subset_input_set)                            \
    X(hb_subset_input_set_flags) X(hb_subset_plan_create_or_fail) X(hb_subset_plan_destroy)                        \
    X(hb_subset_plan_execute_or_fail) X(hb_subset_plan_unicode_to_old_glyph_mapping)                               \
    X(hb_subset_plan_old_to_new_glyph_mapping) X(hb_subset_plan_new_to_old_glyph_mapping)

typedef struct {
#define HB_MEMBER(f) __typeof__(f) *f;
    HB_FUNCS(HB_MEMBER)
#undef HB_MEMBER
} hb_api;

/* The files dlopen opens: the subsetter, which needs the rest of harfbuzz. */
#define HB_SONAME "libharfbuzz.so.0"
#define HB_SUBSET_SONAME "libharfbuzz-subset.so.0"

/* The identity of a file for the disk cache's keys. */
typedef hd_file_id file_id;

struct hd_face {
    hd_face *next; /* in the library's list */
    char *key;     /* device:inode, the in-process cache key */
    char *path;    /* path as first asked for, for messages */
    char *family;  /* name ID 1, e.g. "Noto Sans" */
    char *psname;  /* name ID 6, sanitised for a PDF name */
    hd_fontlib *lib;
    file_id id;   /* of the file, for the disk cache */
    double scale; /* 1000 / units per em */
    double ascent, descent, cap_height;
    /* what the PDF's font descriptor says (see describe) */
    double italic_angle;
    int bbox[4], flags, stem_v, embed_ok;
    int from_cache; /* the summary came from the disk cache */
    /* the character map: code points below LOW_TABLE by index (low-table
     * words), the others sorted, each with its advance in font units */
    uint32_t low[LOW_TABLE];
    size_t nhigh;
    uint32_t *high_cp, *high_adv;
    /* harfbuzz's view of the file, made when a subset needs it (under the
     * library's lock; hb_font is published last) */
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *_Atomic font;
};

struct hd_fontlib {
    pthread_mutex_t lock;
    char *dir; /* NULL: only hd_fontlib_face works */
    hd_face *faces;
    int exiting; /* hd_fontlib_free_at_exit: leave the file mappings to the kernel */
    const hd_cache *cache; /* NULL: none */
    /* harfbuzz: NULL until loaded (under the lock; published last) */
    void *dl;
    hb_api *_Atomic hb;
    /* harfbuzz's files' identities, for cache keys: hb_id_state 0 not
     * looked for yet, 1 known, -1 unknown (no cache use) */
    int hb_id_state;
    file_id hb_id[2];
};

static const char AGAIN[] = "replace it with a good TrueType (.ttf) file (run make to copy the fonts again)";

/* ---------------------------------------------------------------- library */

hd_fontlib *hd_fontlib_new(const char *fonts_dir) {
    hd_fontlib *lib = calloc(1, sizeof *lib);
    if (!lib) return NULL;
    if (fonts_dir) {
        size_t n = strlen(fonts_dir);
        while (n > 1 && fonts_dir[n - 1] == '/') n--;
        lib->dir = strndup(fonts_dir, n);
        if (!lib->dir) {
            free(lib);
            return NULL;
        }
    }
    atomic_init(&lib->hb, NULL);
    if (pthread_mutex_init(&lib->lock, NULL) != 0) {
        free(lib->dir);
        free(lib);
        return NULL;
    }
    return lib;
}

void hd_fontlib_set_cache(hd_fontlib *lib, const hd_cache *cache) { lib->cache = cache; }

static const hb_api *api(const hd_fontlib *lib) { return atomic_load_explicit(&lib->hb, memory_order_acquire); }

static void face_free(hd_face *f) {
    if (!f) return;
    const hb_api *H = api(f->lib);
    if (H) {
        H->hb_font_destroy(atomic_load_explicit(&f->font, memory_order_relaxed));
        H->hb_face_destroy(f->face);
        H->hb_blob_destroy(f->blob);
    }
    free(f->high_cp);
    free(f->high_adv);
    free(f->key);
    free(f->path);
    free(f->family);
    free(f->psname);
    free(f);
}

void hd_fontlib_free_at_exit(hd_fontlib *lib) {
    if (!lib) return;
    lib->exiting = 1;
    hd_fontlib_free(lib);
}

void hd_fontlib_free(hd_fontlib *lib) {
    if (!lib) return;
    for (hd_face *f = lib->faces, *next; f; f = next) {
        next = f->next;
        face_free(f);
    }
    pthread_mutex_destroy(&lib->lock);
    free(atomic_load_explicit(&lib->hb, memory_order_relaxed));
    if (lib->dl && !lib->exiting) dlclose(lib->dl);
    free(lib->dir);
    free(lib);
}

/* ---------------------------------------------------------- file checks */

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Table tag as text, with anything unprintable shown as '?'. */
static void tag_text(uint32_t tag, char out[5]) {
    for (int i = 0; i < 4; i++) {
        char c = (char)(tag >> (24 - 8 * i));
        out[i] = c >= 0x20 && c < 0x7f ? c : '?';
    }
    out[4] = 0;
}

/* The file must be a regular, readable, non-empty file under the size cap. */
static hd_status check_file(hd_diags *d, hd_pos at, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return hd_error(d, HD_ERR_SYSTEM, at, "font file '%s' is missing: run make to copy the fonts", path);
        return hd_error(d, HD_ERR_SYSTEM, at, "cannot read font file '%s': %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode))
        return hd_error(d, HD_ERR_SYSTEM, at, "font file '%s' is a folder, not a font: %s", path, AGAIN);
    if (!S_ISREG(st.st_mode))
        return hd_error(d, HD_ERR_SYSTEM, at, "font file '%s' is not a regular file: %s", path, AGAIN);
    if ((unsigned long long)st.st_size > HD_MAX_FONT_BYTES)
        return hd_error(d, HD_ERR_SYSTEM, at,
                        "font file '%s' is too large (%.1f MiB; the limit is %u MiB): use a smaller TrueType font",
                        path, (double)st.st_size / (1 << 20), HD_MAX_FONT_BYTES >> 20);
    if (st.st_size == 0) return hd_error(d, HD_ERR_SYSTEM, at, "font file '%s' is empty: %s", path, AGAIN);
    return HD_OK;
}

static hd_status damaged(hd_diags *d, hd_pos at, const char *path, const char *why) {
    return hd_error(d, HD_ERR_SYSTEM, at, "font file '%s' is damaged (%s): %s", path, why, AGAIN);
}

static hd_status not_a_font(hd_diags *d, hd_pos at, const char *path) {
    return hd_error(d, HD_ERR_SYSTEM, at, "font file '%s' is not a TrueType font: %s", path, AGAIN);
}

/* The file must start like an sfnt and every table its directory lists
 * must lie inside the file (harfbuzz would quietly treat a cut-off table as
 * empty). Collections are left to harfbuzz. */
static hd_status check_sfnt(const hb_api *H, hd_diags *d, hd_pos at, const char *path, hb_blob_t *blob) {
    unsigned len = 0;
    const unsigned char *p = (const unsigned char *)H->hb_blob_get_data(blob, &len);
    uint32_t magic = len >= 4 ? be32(p) : 0;
    if (magic != 0x00010000u && magic != 0x4F54544Fu /* OTTO */ && magic != 0x74727565u /* true */ &&
        magic != 0x74746366u /* ttcf */)
        return not_a_font(d, at, path);
    if (len < 12) return damaged(d, at, path, "it is cut off");
    unsigned n = magic == 0x74746366u ? 0 : be16(p + 4);
    if (12 + 16ull * n > len) return damaged(d, at, path, "its table directory is cut off");
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = p + 12 + 16 * i;
        if ((unsigned long long)be32(r + 8) + be32(r + 12) > len) {
            char tag[5], why[64];
            tag_text(be32(r), tag);
            snprintf(why, sizeof why, "its '%s' table runs past the end of the file", tag);
            return damaged(d, at, path, why);
        }
    }
    return H->hb_face_count(blob) == 0 ? not_a_font(d, at, path) : HD_OK;
}

/* A table of the face (its bytes stay valid while the face lives). */
static const unsigned char *face_table(const hb_api *H, hb_face_t *face, hb_tag_t tag, unsigned *len) {
    hb_blob_t *b = H->hb_face_reference_table(face, tag);
    const unsigned char *p = (const unsigned char *)H->hb_blob_get_data(b, len);
    H->hb_blob_destroy(b); /* a sub-blob of the face's blob, which the face keeps */
    return p;
}

static unsigned table_len(const hb_api *H, hb_face_t *face, hb_tag_t tag) {
    unsigned n = 0;
    face_table(H, face, tag, &n);
    return n;
}

/* units_per_em straight from 'head' (harfbuzz replaces a bad value with 1000). */
static unsigned raw_upem(const hb_api *H, hb_face_t *face) {
    unsigned len = 0;
    const unsigned char *p = face_table(H, face, HB_TAG('h', 'e', 'a', 'd'), &len);
    return len >= 54 ? be16(p + 18) : 0;
}

/* Tables this program and libharu need, in the order they are checked. */
static const hb_tag_t REQUIRED[] = {
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
    HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
};

/* The checks; the code points of the cmap into cps. */
static hd_status check_face(const hb_api *H, hd_diags *d, hd_pos at, const char *path, hb_face_t *face,
                            hb_set_t *cps) {
    if (H->hb_face_get_glyph_count(face) == 0) return damaged(d, at, path, "it has no glyphs");
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++) {
        if (table_len(H, face, REQUIRED[i]) > 0) continue;
        if (REQUIRED[i] == HB_TAG('g', 'l', 'y', 'f') &&
            (table_len(H, face, HB_TAG('C', 'F', 'F', ' ')) || table_len(H, face, HB_TAG('C', 'F', 'F', '2'))))
            return hd_error(d, HD_ERR_SYSTEM, at,
                            "font file '%s' has PostScript (CFF) outlines, but libharu can only embed TrueType "
                            "outlines: use a .ttf font with TrueType (glyf) outlines",
                            path);
        char tag[5], why[64];
        tag_text(REQUIRED[i], tag);
        snprintf(why, sizeof why, "its '%s' table is missing", tag);
        return damaged(d, at, path, why);
    }
    unsigned upem = raw_upem(H, face);
    if (upem < 16 || upem > 16384) {
        char why[64];
        snprintf(why, sizeof why, "its units per em is %u", upem);
        return damaged(d, at, path, why);
    }
    H->hb_face_collect_unicodes(face, cps);
    if (!H->hb_set_allocation_successful(cps))
        return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while loading font file '%s'", path);
    if (H->hb_set_is_empty(cps)) return damaged(d, at, path, "its character map is empty");
    return HD_OK;
}

/* ------------------------------------------------------------ harfbuzz */

static void hb_check_identity(hd_fontlib *lib);

/* Load harfbuzz, once per library; called with the library locked. */
static hd_status load_hb(hd_fontlib *lib, hd_diags *d, hd_pos at) {
    if (api(lib)) return HD_OK;
    void *dl = dlopen(HB_SUBSET_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!dl)
        return hd_error(d, HD_ERR_SYSTEM, at,
                        "cannot load harfbuzz, which reads the fonts (%s): run make to install it (Debian package "
                        "libharfbuzz-subset0)",
                        dlerror());
    hb_api *H = calloc(1, sizeof *H);
    if (!H) {
        dlclose(dl);
        return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while loading harfbuzz");
    }
    const char *missing = NULL;
    /* dlsym on the subsetter also finds the rest of harfbuzz, which it needs */
#define HB_FIND(f)                                                                                                    \
    if (!missing) {                                                                                                   \
        void *sym = dlsym(dl, #f);                                                                                    \
        if (sym)                                                                                                      \
            memcpy(&H->f, &sym, sizeof sym);                                                                          \
        else                                                                                                          \
            missing = #f;                                                                                             \
    }
    HB_FUNCS(HB_FIND)
#undef HB_FIND
    if (missing) {
        free(H);
        dlclose(dl);
        return hd_error(d, HD_ERR_SYSTEM, at,
                        "the harfbuzz on this machine is too old (it has no %s): handout needs harfbuzz 6 or later, "
                        "as in Debian 12",
                        missing);
    }
    lib->dl = dl;
    atomic_store_explicit(&lib->hb, H, memory_order_release);
    hb_check_identity(lib);
    return HD_OK;
}

static file_id id_of(const struct stat *st) { return hd_file_id_of(st); }

static int same_id(const file_id *a, const file_id *b) {
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime == b->mtime &&
           a->ctime == b->ctime;
}

static int stat_id(const char *path, file_id *id) {
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    *id = id_of(&st);
    return 1;
}

/* The file the loaded library named soname (its last path component) was
 * opened from, in the list of loaded objects that dl's entry is in; ""
 * if it is not there. */
static const char *loaded_path(void *dl, const char *soname) {
    struct link_map *m = NULL;
    if (dlinfo(dl, RTLD_DI_LINKMAP, &m) != 0 || !m) return "";
    while (m->l_prev) m = m->l_prev;
    for (; m; m = m->l_next) {
        const char *slash = m->l_name ? strrchr(m->l_name, '/') : NULL;
        if (slash && !strcmp(slash + 1, soname)) return m->l_name;
    }
    return "";
}

/* The key of the record of harfbuzz's files: what decides which files
 * dlopen would open (LD_LIBRARY_PATH, LD_PRELOAD, the loader's cache of
 * library paths), so a run that would load another harfbuzz never takes
 * this record's word for it. */
static void record_key(const hd_cache *c, hd_cache_key *k) {
    hd_cbuf m = {0};
    const char *env[] = {"LD_LIBRARY_PATH", "LD_PRELOAD"};
    hd_cbuf_add(&m, "harfbuzz files", 15);
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        const char *v = getenv(env[i]);
        hd_cbuf_add(&m, v ? "=" : "-", 1);
        if (v) hd_cbuf_add(&m, v, strlen(v) + 1);
    }
    file_id ld = {0};
    stat_id("/etc/ld.so.cache", &ld);
    hd_cbuf_add(&m, &ld, sizeof ld);
    hd_cache_key_of(c, m.p, m.n, k); /* a failed buffer gives a key no record has */
    hd_cbuf_free(&m);
}

/* Whether harfbuzz's files are known, for cache keys (a Debian update of
 * harfbuzz may change its subsets: then no older entry is used). Called
 * with the library locked. When harfbuzz is loaded, its files are the ones
 * it came from, and their paths are recorded in the cache; when it is not,
 * the record tells which files it would come from. */
static int hb_identity(hd_fontlib *lib) {
    if (lib->hb_id_state) return lib->hb_id_state > 0;
    if (!lib->cache) {
        lib->hb_id_state = -1;
        return 0;
    }
    hd_cache_key k;
    record_key(lib->cache, &k);
    if (api(lib)) {
        const char *a = loaded_path(lib->dl, HB_SUBSET_SONAME), *b = loaded_path(lib->dl, HB_SONAME);
        if (!*a || !*b || !stat_id(a, &lib->hb_id[0]) || !stat_id(b, &lib->hb_id[1])) {
            lib->hb_id_state = -1;
            return 0;
        }
        size_t n = 0;
        unsigned char *old = hd_cache_get(lib->cache, &k, &n);
        hd_cbuf rec = {0};
        hd_cbuf_add(&rec, a, strlen(a) + 1);
        hd_cbuf_add(&rec, b, strlen(b) + 1);
        if (!rec.failed && (!old || n != rec.n || memcmp(old, rec.p, n) != 0))
            hd_cache_put(lib->cache, &k, rec.p, rec.n);
        free(old);
        hd_cbuf_free(&rec);
        lib->hb_id_state = 1;
        return 1;
    }
    size_t n = 0;
    char *rec = (char *)hd_cache_get(lib->cache, &k, &n);
    const char *b = rec ? memchr(rec, 0, n) : NULL;
    int ok = b && b + 1 < rec + n && rec[n - 1] == 0 && stat_id(rec, &lib->hb_id[0]) && stat_id(b + 1, &lib->hb_id[1]);
    free(rec);
    if (ok) lib->hb_id_state = 1; /* else: unknown until harfbuzz is loaded */
    return ok;
}

/* harfbuzz was just loaded: if the record named other files than these
 * (it cannot, short of files replaced while this run went on), entries
 * read so far were made by the harfbuzz it named, and none is read or
 * written from now on. Called with the library locked. */
static void hb_check_identity(hd_fontlib *lib) {
    if (lib->hb_id_state != 1) return;
    file_id now[2];
    const char *a = loaded_path(lib->dl, HB_SUBSET_SONAME), *b = loaded_path(lib->dl, HB_SONAME);
    if (!*a || !*b || !stat_id(a, &now[0]) || !stat_id(b, &now[1]) || !same_id(&now[0], &lib->hb_id[0]) ||
        !same_id(&now[1], &lib->hb_id[1]))
        lib->hb_id_state = -1;
}

/* Key material: a kind, harfbuzz's files, the face's file. */
static void key_start(hd_cbuf *m, const char *kind, const hd_face *f) {
    hd_cbuf_add(m, kind, strlen(kind) + 1);
    hd_cbuf_add(m, f->lib->hb_id, sizeof f->lib->hb_id);
    hd_cbuf_add(m, &f->id, sizeof f->id);
}

/* ------------------------------------------------------------- metrics */

static char *name_utf8(const hb_api *H, hb_face_t *face, hb_ot_name_id_t id) {
    char buf[256];
    unsigned len = sizeof buf;
    if (H->hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &len, buf) == 0) buf[0] = 0;
    return strdup(buf);
}

/* A PostScript name safe for a PDF name object: [A-Za-z0-9._-], at most 60. */
static void sanitise_psname(char *s) {
    size_t n = 0;
    for (char *p = s; *p && n < 60; p++, n++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-';
        s[n] = ok ? c : '-';
    }
    s[n] = 0;
}

static void fill_metrics(const hb_api *H, hd_face *f, hb_font_t *font) {
    unsigned upem = H->hb_face_get_upem(f->face);
    H->hb_font_set_scale(font, (int)upem, (int)upem);
    f->scale = 1000.0 / upem;

    hb_font_extents_t ext;
    memset(&ext, 0, sizeof ext);
    H->hb_font_get_h_extents(font, &ext);
    f->ascent = ext.ascender > 0 ? ext.ascender * f->scale : 800;
    f->descent = ext.descender < 0 ? ext.descender * f->scale : -200;

    /* OS/2 sCapHeight; else the top of 'H' (DejaVu's OS/2 table is too old
     * to have sCapHeight); else 700. */
    hb_position_t cap = 0;
    hb_codepoint_t h = 0;
    hb_glyph_extents_t ge;
    if (H->hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0)
        f->cap_height = cap * f->scale;
    else if (H->hb_font_get_nominal_glyph(font, 'H', &h) && h && H->hb_font_get_glyph_extents(font, h, &ge) &&
             ge.y_bearing > 0)
        f->cap_height = ge.y_bearing * f->scale;
    else
        f->cap_height = 700;
}

/* What the PDF's font descriptor says of the face, from its tables; and
 * whether its licence allows embedding: OS/2 fsType restricted licence
 * (2), no subsetting (0x100), bitmap only (0x200) forbid what the PDF does
 * with the face (libharu refused these too). */
static void fill_descriptor(const hb_api *H, hd_face *f) {
    unsigned len;
    const unsigned char *t = face_table(H, f->face, HB_TAG('h', 'e', 'a', 'd'), &len);
    int italic = 0;
    if (len >= 54) {
        for (int i = 0; i < 4; i++) f->bbox[i] = (int)lround((int16_t)be16(t + 36 + 2 * i) * f->scale);
        italic = (be16(t + 44) & 2) != 0; /* macStyle */
    }
    t = face_table(H, f->face, HB_TAG('p', 'o', 's', 't'), &len);
    int fixed = 0;
    if (len >= 16) {
        f->italic_angle = (int32_t)be32(t + 4) / 65536.0;
        fixed = be32(t + 12) != 0;
    }
    t = face_table(H, f->face, HB_TAG('O', 'S', '/', '2'), &len);
    int serif = 0;
    unsigned weight = 400;
    if (len >= 42) {
        weight = be16(t + 4);
        serif = t[32] == 2 && t[33] >= 2 && t[33] <= 10; /* panose: Latin text, a serif style */
    }
    f->embed_ok = len < 10 || (be16(t + 8) & (0x0002 | 0x0100 | 0x0200)) == 0;
    f->flags = 32 | (fixed ? 1 : 0) | (serif ? 2 : 0) | (italic || f->italic_angle != 0 ? 64 : 0);
    f->stem_v = (int)lround(50 + (weight / 65.0) * (weight / 65.0)); /* 400: 88, 700: 166 */
}

/* The character map from n code points (ascending, at most MAX_CP) and
 * their advances in font units; 0 when memory runs out. */
static int set_cmap(hd_face *f, const uint32_t *cps, const uint32_t *adv, size_t n) {
    size_t nlow = 0;
    while (nlow < n && cps[nlow] < LOW_TABLE) nlow++;
    for (size_t i = 0; i < nlow; i++) f->low[cps[i]] = LOW_HAS | (adv[i] > MAX_UNITS ? MAX_UNITS : adv[i]);
    f->nhigh = n - nlow;
    f->high_cp = malloc((f->nhigh ? f->nhigh : 1) * sizeof *f->high_cp);
    f->high_adv = malloc((f->nhigh ? f->nhigh : 1) * sizeof *f->high_adv);
    if (!f->high_cp || !f->high_adv) return 0;
    memcpy(f->high_cp, cps + nlow, f->nhigh * sizeof *cps);
    memcpy(f->high_adv, adv + nlow, f->nhigh * sizeof *adv);
    return 1;
}

/* The character map from harfbuzz: every code point of the cmap up to
 * MAX_CP whose glyph is not 0, with its advance (asked for all at once:
 * a third of the instructions of asking code point by code point). */
static int cmap_from_hb(const hb_api *H, hd_face *f, hb_font_t *font, hb_set_t *set) {
    unsigned pop = H->hb_set_get_population(set);
    uint32_t *cps = malloc((pop ? pop : 1) * sizeof *cps), *glyph = malloc((pop ? pop : 1) * sizeof *glyph);
    hb_position_t *adv = malloc((pop ? pop : 1) * sizeof *adv);
    int ok = cps && glyph && adv;
    size_t n = 0;
    if (ok) {
        n = H->hb_set_next_many(set, HB_SET_VALUE_INVALID, cps, pop);
        while (n > 0 && cps[n - 1] > MAX_CP) n--;
        /* hb_font_get_nominal_glyphs stops at the first code point it
         * cannot map: that one gets glyph 0, and it goes on after it */
        for (size_t i = 0; i < n;) {
            i += H->hb_font_get_nominal_glyphs(font, (unsigned)(n - i), cps + i, sizeof *cps, glyph + i, sizeof *glyph);
            if (i < n) glyph[i++] = 0;
        }
        size_t m = 0; /* glyph 0 counts as absent */
        for (size_t i = 0; i < n; i++)
            if (glyph[i]) cps[m] = cps[i], glyph[m++] = glyph[i];
        n = m;
        H->hb_font_get_glyph_h_advances(font, (unsigned)n, glyph, sizeof *glyph, adv, sizeof *adv);
        for (size_t i = 0; i < n; i++) glyph[i] = adv[i] < 0 ? 0 : (uint32_t)adv[i]; /* glyph: now the advances */
        ok = set_cmap(f, cps, glyph, n);
    }
    free(cps);
    free(glyph);
    free(adv);
    return ok;
}

/* The index of x in v[0..n) (ascending), n if it is not there. */
static size_t find_sorted(const uint32_t *v, size_t n, uint32_t x) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x ? lo : n;
}

/* Whether the face has cp (glyph 0 counts as absent), advance in 1/1000 em
 * into *adv (0 if absent). */
static inline int lookup(const hd_face *f, unsigned cp, double *adv) {
    uint32_t m = 0;
    if (cp < LOW_TABLE) {
        m = f->low[cp];
    } else if (cp <= MAX_CP) {
        size_t i = find_sorted(f->high_cp, f->nhigh, cp);
        if (i < f->nhigh) m = LOW_HAS | (f->high_adv[i] > MAX_UNITS ? MAX_UNITS : f->high_adv[i]);
    }
    *adv = (m & ~LOW_HAS) * f->scale;
    return (m & LOW_HAS) != 0;
}

/* ------------------------------------------------------------ summaries */

/* A face's summary in the disk cache: format 1, then the metrics, the
 * descriptor values, the names and the character map. */
#define SUMMARY_FORMAT 1

static void summary_write(const hd_face *f) {
    hd_cbuf m = {0}, b = {0};
    key_start(&m, "face summary", f);
    hd_cbuf_u32(&b, SUMMARY_FORMAT);
    double dv[] = {f->scale, f->ascent, f->descent, f->cap_height, f->italic_angle};
    hd_cbuf_add(&b, dv, sizeof dv);
    int iv[] = {f->bbox[0], f->bbox[1], f->bbox[2], f->bbox[3], f->flags, f->stem_v, f->embed_ok};
    hd_cbuf_add(&b, iv, sizeof iv);
    hd_cbuf_u32(&b, (uint32_t)strlen(f->family));
    hd_cbuf_add(&b, f->family, strlen(f->family));
    hd_cbuf_u32(&b, (uint32_t)strlen(f->psname));
    hd_cbuf_add(&b, f->psname, strlen(f->psname));
    uint32_t n = 0;
    for (unsigned cp = 0; cp < LOW_TABLE; cp++) n += f->low[cp] != 0;
    hd_cbuf_u32(&b, n + (uint32_t)f->nhigh);
    for (unsigned cp = 0; cp < LOW_TABLE; cp++)
        if (f->low[cp]) hd_cbuf_u32(&b, cp);
    hd_cbuf_add(&b, f->high_cp, f->nhigh * sizeof *f->high_cp);
    for (unsigned cp = 0; cp < LOW_TABLE; cp++)
        if (f->low[cp]) hd_cbuf_u32(&b, f->low[cp] & ~LOW_HAS);
    hd_cbuf_add(&b, f->high_adv, f->nhigh * sizeof *f->high_adv);
    if (!m.failed && !b.failed) {
        hd_cache_key k;
        hd_cache_key_of(f->lib->cache, m.p, m.n, &k);
        hd_cache_put(f->lib->cache, &k, b.p, b.n);
    }
    hd_cbuf_free(&m);
    hd_cbuf_free(&b);
}

static char *take_string(hd_creader *r) {
    uint32_t n = hd_creader_u32(r);
    const char *s = n < 4096 ? hd_creader_take(r, n) : NULL;
    return s ? strndup(s, n) : NULL;
}

static int finite_in(double v, double lo, double hi) { return isfinite(v) && v >= lo && v <= hi; }

/* The face's summary from the disk cache; 0 if it is not there, or if it
 * says anything a face read from a file could not (the face is then read
 * from its file, and nothing of the entry is kept). */
static int summary_read(hd_face *f) {
    hd_cbuf m = {0};
    key_start(&m, "face summary", f);
    if (m.failed) {
        hd_cbuf_free(&m);
        return 0;
    }
    hd_cache_key k;
    hd_cache_key_of(f->lib->cache, m.p, m.n, &k);
    hd_cbuf_free(&m);
    size_t len = 0;
    unsigned char *data = hd_cache_get(f->lib->cache, &k, &len);
    if (!data) return 0;
    hd_creader r = {data, data + len, 0};
    double dv[5] = {0};
    int iv[7] = {0};
    const void *p = hd_creader_u32(&r) == SUMMARY_FORMAT ? hd_creader_take(&r, sizeof dv) : NULL;
    if (p) memcpy(dv, p, sizeof dv);
    if ((p = hd_creader_take(&r, sizeof iv)) != NULL) memcpy(iv, p, sizeof iv);
    char *family = take_string(&r), *psname = take_string(&r);
    uint32_t n = hd_creader_u32(&r);
    const void *cps = n <= MAX_CP + 1 ? hd_creader_take(&r, (size_t)n * 4) : NULL;
    const void *adv = hd_creader_take(&r, (size_t)n * 4);
    /* what fill_metrics and fill_descriptor can give: units per em 16 to
     * 16384, and the rest within a few em */
    int ok = !r.bad && r.p == r.end && family && psname && cps && adv &&
             finite_in(dv[0], 1000.0 / 16384, 1000.0 / 16) && finite_in(dv[1], 0, 1e5) && finite_in(dv[2], -1e5, 0) && finite_in(dv[3], -1e5, 1e5) &&
             finite_in(dv[4], -360, 360) && (iv[6] == 0 || iv[6] == 1) && iv[4] >= 0 && iv[5] >= 0 && iv[5] < 10000;
    for (int i = 0; ok && i < 4; i++) ok = iv[i] > -1000000 && iv[i] < 1000000;
    uint32_t *c = NULL, *a = NULL;
    if (ok) { /* copied: the payload need not be aligned for uint32_t */
        c = malloc((n ? n : 1) * sizeof *c), a = malloc((n ? n : 1) * sizeof *a);
        ok = c && a;
        if (ok) {
            memcpy(c, cps, (size_t)n * 4);
            memcpy(a, adv, (size_t)n * 4);
            for (uint32_t i = 1; ok && i < n; i++) ok = c[i - 1] < c[i];
            ok = ok && (n == 0 || c[n - 1] <= MAX_CP) && set_cmap(f, c, a, n);
        }
    }
    free(c);
    free(a);
    free(data);
    if (!ok) { /* as if there were no entry: the face is read from its file */
        free(family), free(psname), free(f->high_cp), free(f->high_adv);
        f->high_cp = f->high_adv = NULL, f->nhigh = 0;
        memset(f->low, 0, sizeof f->low);
        return 0;
    }
    f->scale = dv[0], f->ascent = dv[1], f->descent = dv[2], f->cap_height = dv[3], f->italic_angle = dv[4];
    memcpy(f->bbox, iv, sizeof f->bbox);
    f->flags = iv[4], f->stem_v = iv[5], f->embed_ok = iv[6];
    f->family = family, f->psname = psname;
    return 1;
}

/* ------------------------------------------------------------- loading */

static hd_status oom(hd_diags *d, hd_pos at, const char *path) {
    return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while loading font file '%s'", path);
}

/* A font file mapped read-only; harfbuzz's blob unmaps it when the last
 * reference goes, unless the library is being freed at exit. */
typedef struct {
    void *addr;
    size_t len;
    const hd_fontlib *lib;
} mapping;

static void unmap(void *user) {
    mapping *m = user;
    if (!m->lib->exiting) munmap(m->addr, m->len);
    free(m);
}

/* The file at path as a blob (an empty one for an empty file), and the
 * identity of the file opened into *id; NULL with errno set if it cannot
 * be opened or mapped. */
static hb_blob_t *map_file(const hb_api *H, const hd_fontlib *lib, const char *path, file_id *id) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    *id = id_of(&st);
    if (st.st_size == 0) {
        close(fd);
        return H->hb_blob_get_empty();
    }
    void *addr = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (addr == MAP_FAILED) {
        errno = e;
        return NULL;
    }
    mapping *m = malloc(sizeof *m);
    if (!m) {
        munmap(addr, (size_t)st.st_size);
        errno = ENOMEM;
        return NULL;
    }
    *m = (mapping){addr, (size_t)st.st_size, lib};
    hb_blob_t *b = H->hb_blob_create_or_fail(addr, (unsigned)st.st_size, HB_MEMORY_MODE_READONLY, m, unmap);
    if (!b) errno = ENOMEM; /* harfbuzz has called unmap */
    return b;
}

/* Read the file with harfbuzz, check it and summarise it (called with the
 * library locked). */
static hd_status open_face(hd_face *f, hd_diags *d, hd_pos at) {
    hd_fontlib *lib = f->lib;
    const char *path = f->path;
    hd_status st = load_hb(lib, d, at);
    if (st != HD_OK) return st;
    const hb_api *H = api(lib);
    errno = 0;
    file_id opened;
    f->blob = map_file(H, lib, path, &opened);
    if (f->blob) f->id = opened; /* the file read: if it was replaced since it was looked up, the new one */
    if (!f->blob) {
        int e = errno;
        return hd_error(d, HD_ERR_SYSTEM, at, "cannot read font file '%s': %s", path,
                        e ? strerror(e) : "harfbuzz could not open it");
    }
    st = H->hb_blob_get_length(f->blob) > HD_MAX_FONT_BYTES ? not_a_font(d, at, path)
                                                            : check_sfnt(H, d, at, path, f->blob);
    hb_set_t *set = NULL;
    hb_font_t *font = NULL;
    if (st == HD_OK) {
        f->face = H->hb_face_create(f->blob, 0);
        set = H->hb_set_create();
        st = check_face(H, d, at, path, f->face, set);
    }
    if (st == HD_OK) {
        font = H->hb_font_create(f->face);
        f->family = name_utf8(H, f->face, HB_OT_NAME_ID_FONT_FAMILY);
        f->psname = name_utf8(H, f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
        if (!f->family || !f->psname) st = oom(d, at, path);
    }
    if (st == HD_OK) {
        sanitise_psname(f->psname);
        fill_metrics(H, f, font);
        fill_descriptor(H, f);
        if (!cmap_from_hb(H, f, font, set)) st = oom(d, at, path);
    }
    H->hb_set_destroy(set);
    if (st != HD_OK) {
        H->hb_font_destroy(font);
        return st;
    }
    H->hb_face_make_immutable(f->face);
    H->hb_font_make_immutable(font);
    atomic_store_explicit(&f->font, font, memory_order_release);
    if (hb_identity(lib)) summary_write(f);
    return HD_OK;
}

/* Load and check one face; called with the library locked. */
static hd_status load_face(hd_fontlib *lib, hd_diags *d, hd_pos at, const char *path, char *key,
                           const struct stat *fst, hd_face **out) {
    hd_status st = check_file(d, at, path);
    if (st != HD_OK) return st;
    hd_face *f = calloc(1, sizeof *f);
    if (!f) return oom(d, at, path);
    atomic_init(&f->font, NULL);
    f->lib = lib;
    f->path = strdup(path);
    if (!f->path) {
        face_free(f);
        return oom(d, at, path);
    }
    f->id = id_of(fst);
    f->from_cache = lib->cache && hb_identity(lib) && summary_read(f);
    if (!f->from_cache && (st = open_face(f, d, at)) != HD_OK) {
        face_free(f);
        return st;
    }
    f->key = key;
    *out = f;
    return HD_OK;
}

hd_status hd_fontlib_face(hd_fontlib *lib, hd_diags *d, const char *path, hd_pos ref, const hd_face **out) {
    *out = NULL;
    hd_pos at = ref.file ? ref : hd_pos_at(path, 0, 0);
    /* the cache key: the file itself (device and inode), so a symlink and
     * its target are one face (one stat, where realpath took a call per
     * folder on the way) */
    struct stat fst;
    char *key = NULL;
    if (stat(path, &fst) != 0) {
        int e = errno;
        hd_status st = check_file(d, at, path);
        if (st != HD_OK) return st;
        return hd_error(d, HD_ERR_SYSTEM, at, "cannot read font file '%s': %s", path, strerror(e));
    }
    if (asprintf(&key, "%llx:%llx", (unsigned long long)fst.st_dev, (unsigned long long)fst.st_ino) < 0)
        return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while loading font file '%s'", path);
    pthread_mutex_lock(&lib->lock);
    hd_face *f = lib->faces;
    while (f && strcmp(f->key, key) != 0) f = f->next;
    hd_status st = HD_OK;
    if (f) {
        free(key);
    } else {
        st = load_face(lib, d, at, path, key, &fst, &f);
        if (st == HD_OK) {
            f->next = lib->faces;
            lib->faces = f;
        } else {
            free(key);
        }
    }
    pthread_mutex_unlock(&lib->lock);
    if (st == HD_OK) *out = f;
    return st;
}

/* harfbuzz's font for f, made now if the face came from the disk cache;
 * NULL with the error's status in *st if it cannot be. */
static __attribute__((noinline)) hb_font_t *face_font(const hd_face *cf, hd_diags *d, hd_pos at, hd_status *st_out) {
    hd_face *f = (hd_face *)cf; /* faces are never defined const; this is their one late part */
    hb_font_t *font = atomic_load_explicit(&f->font, memory_order_acquire);
    if (font) return font;
    hd_fontlib *lib = f->lib;
    pthread_mutex_lock(&lib->lock);
    hd_status st = HD_OK;
    font = atomic_load_explicit(&f->font, memory_order_relaxed);
    if (!font && (st = load_hb(lib, d, at)) == HD_OK) {
        const hb_api *H = api(lib);
        errno = 0;
        file_id opened;
        hb_blob_t *blob = map_file(H, lib, f->path, &opened);
        if (!blob) {
            int e = errno;
            st = hd_error(d, HD_ERR_SYSTEM, at, "cannot read font file '%s': %s", f->path,
                          e ? strerror(e) : "harfbuzz could not open it");
        } else if (!same_id(&opened, &f->id)) {
            /* its summary came from the cache: glyphs from another file
             * would not match its widths */
            H->hb_blob_destroy(blob);
            st = hd_error(d, HD_ERR_SYSTEM, at,
                          "font file '%s' was changed while handout was running: run the build again", f->path);
        } else {
            f->blob = blob;
            f->face = H->hb_face_create(blob, 0);
            font = H->hb_font_create(f->face);
            unsigned upem = H->hb_face_get_upem(f->face);
            H->hb_font_set_scale(font, (int)upem, (int)upem);
            H->hb_face_make_immutable(f->face);
            H->hb_font_make_immutable(font);
            atomic_store_explicit(&f->font, font, memory_order_release);
        }
    }
    pthread_mutex_unlock(&lib->lock);
    *st_out = st;
    return st == HD_OK ? font : NULL;
}

/* ------------------------------------------------------------ families */

static int family_name_ok(const char *s) {
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return 0;
    }
    return n > 0 && n <= MAX_FAMILY_NAME;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "a, b, c": the family folders in dir, sorted; NULL when there are none
 * (or memory ran out). The caller frees the result. */
static char *list_families(const char *dir) {
    DIR *dp = opendir(dir);
    if (!dp) return NULL;
    char **names = NULL;
    size_t n = 0, cap = 0, total = 0;
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(dp)) != NULL) {
        if (!family_name_ok(e->d_name)) continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path || !is_dir(path)) continue;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            char **nv = realloc(names, ncap * sizeof *nv);
            if (!nv) break;
            names = nv, cap = ncap;
        }
        if (!(names[n] = strdup(e->d_name))) break;
        total += strlen(names[n++]) + 2;
    }
    closedir(dp);
    char *out = n ? malloc(total + 1) : NULL;
    if (out) {
        qsort(names, n, sizeof *names, cmp_str);
        char *p = out;
        for (size_t i = 0; i < n; i++) p += sprintf(p, "%s%s", i ? ", " : "", names[i]);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return out;
}

static hd_status family_not_found(hd_fontlib *lib, hd_diags *d, const char *family, hd_pos ref) {
    char *avail = list_families(lib->dir);
    hd_status st;
    if (avail)
        st = hd_error(d, HD_ERR_CONTENT, ref, "font family '%s' not found in %s/ (available: %s)", family, lib->dir,
                      avail);
    else
        st = hd_error(d, HD_ERR_CONTENT, ref,
                      "font family '%s' not found in %s/ (there are no font families there: run make to copy "
                      "the fonts)",
                      family, lib->dir);
    free(avail);
    return st;
}

typedef struct {
    int slot;
    const char *file;
} style_file;

static const style_file BODY[] = {
    {HD_F_REG, "Regular"}, {HD_F_BOLD, "Bold"}, {HD_F_ITAL, "Italic"}, {HD_F_BOLDITAL, "BoldItalic"}};
static const style_file MONO[] = {{HD_F_MONO, "Regular"}, {HD_F_MONOBOLD, "Bold"}};
static const style_file FALLBACK[] = {
    {HD_F_FB_REG, "Regular"}, {HD_F_FB_BOLD, "Bold"}, {HD_F_FB_ITAL, "Italic"}, {HD_F_FB_BOLDITAL, "BoldItalic"}};

/* The family's name is valid and its folder is there. */
static hd_status check_family(hd_fontlib *lib, hd_diags *d, const char *family, hd_pos ref) {
    if (!family_name_ok(family))
        return hd_error(d, HD_ERR_CONTENT, ref,
                        "font family '%s' is not a valid name: use the name of a folder in %s/ (lowercase letters, "
                        "digits and '-' only, e.g. noto-sans)",
                        family, lib->dir);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", lib->dir, family);
    return is_dir(path) ? HD_OK : family_not_found(lib, d, family, ref);
}

static hd_status load_family(hd_fontlib *lib, hd_diags *d, const char *family, hd_pos ref, const style_file *styles,
                             size_t n, hd_fontset *out) {
    hd_status st = check_family(lib, d, family, ref);
    if (st != HD_OK) return st;
    char path[PATH_MAX];
    for (size_t i = 0; st == HD_OK && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s/%s.ttf", lib->dir, family, styles[i].file);
        st = hd_fontlib_face(lib, d, path, ref, &out->face[styles[i].slot]);
    }
    return st;
}

/* A family whose faces load when first needed: its name and files are
 * checked now (a missing file is reported here, not half-way through a
 * batch), the files are read later. */
static hd_status defer_family(hd_fontlib *lib, hd_diags *d, const char *family, hd_pos ref, const style_file *styles,
                              size_t n, hd_fontset *out) {
    hd_status st = check_family(lib, d, family, ref);
    char path[PATH_MAX];
    for (size_t i = 0; st == HD_OK && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s/%s.ttf", lib->dir, family, styles[i].file);
        st = check_file(d, ref, path);
        out->pending[styles[i].slot] = family;
        out->style[styles[i].slot] = styles[i].file;
    }
    return st;
}

hd_status hd_fontlib_fontset(hd_fontlib *lib, hd_diags *d, const char *family, const char *mono,
                             const char *fallback, hd_pos ref, hd_fontset *out) {
    memset(out, 0, sizeof *out);
    out->lib = lib, out->d = d, out->ref = ref;
    if (!lib->dir) return hd_error(d, HD_ERR_SYSTEM, ref, "no fonts folder is set up: run make to copy the fonts");
    if (!family)
        return hd_error(d, HD_ERR_CONTENT, ref, "no body font family is given: name a folder in %s/", lib->dir);
    /* the regular face now (every document draws with it), the other
     * three when first needed (a document may have no bold italic) */
    hd_status st = load_family(lib, d, family, ref, BODY, 1, out);
    if (st == HD_OK) st = defer_family(lib, d, family, ref, BODY + 1, 3, out);
    if (st == HD_OK && mono) st = defer_family(lib, d, mono, ref, MONO, 2, out);
    if (st == HD_OK && fallback) st = defer_family(lib, d, fallback, ref, FALLBACK, 4, out);
    return st;
}

static __attribute__((noinline)) const hd_face *load_pending(const hd_fontset *cfs, int slot) {
    hd_fontset *fs = (hd_fontset *)cfs; /* never defined const: see font.h */
    char path[PATH_MAX];
    const hd_face *f = NULL;
    if (hd_fontset_file(fs, slot, path, sizeof path)) {
        fs->pending[slot] = NULL; /* tried once, loaded or not */
        hd_status st = hd_fontlib_face(fs->lib, fs->d, path, fs->ref, &f);
        if (st != HD_OK && fs->status == HD_OK) fs->status = st;
        fs->face[slot] = f;
    }
    return f;
}

static inline const hd_face *slot_face(const hd_fontset *fs, int slot) {
    const hd_face *f = fs->face[slot];
    return f || !fs->pending[slot] ? f : load_pending(fs, slot);
}

const hd_face *hd_fontset_face(const hd_fontset *fs, int slot) {
    return slot >= 0 && slot < HD_NFACES ? slot_face(fs, slot) : NULL;
}

void hd_fontset_alias(hd_fontset *fs, int dst, int src) {
    fs->face[dst] = fs->face[src];
    fs->pending[dst] = fs->pending[src];
    fs->style[dst] = fs->style[src];
}

int hd_fontset_file(const hd_fontset *fs, int slot, char *buf, size_t n) {
    if (fs->face[slot]) return snprintf(buf, n, "%s", hd_face_path(fs->face[slot])) < (int)n;
    if (!fs->pending[slot] || !fs->lib || !fs->lib->dir) return 0;
    return snprintf(buf, n, "%s/%s/%s.ttf", fs->lib->dir, fs->pending[slot], fs->style[slot]) < (int)n;
}

/* ---------------------------------------------------------- accessors */

int hd_face_has(const hd_face *f, unsigned cp) {
    double adv;
    return f ? lookup(f, cp, &adv) : 0;
}

double hd_face_advance(const hd_face *f, unsigned cp) {
    double adv = 0;
    if (f) lookup(f, cp, &adv);
    return adv;
}

double hd_face_ascent(const hd_face *f) { return f->ascent; }
double hd_face_descent(const hd_face *f) { return f->descent; }
double hd_face_cap_height(const hd_face *f) { return f ? f->cap_height : 700; }
const char *hd_face_path(const hd_face *f) { return f ? f->path : "(no font)"; }
const char *hd_face_family(const hd_face *f) { return f ? f->family : "(no font)"; }
int hd_face_from_cache(const hd_face *f) { return f && f->from_cache; }

double hd_face_text_width(const hd_face *f, const char *s, size_t len, double size) {
    const char *p = s, *end = s + len;
    double sum = 0, adv;
    while (p < end) {
        lookup(f, hd_utf8_next(&p), &adv);
        sum += adv;
    }
    return sum * size / 1000.0;
}

/* Fallback slot of each slot (-1: none). */
static const signed char FALLBACK_OF[HD_NFACES] = {
    [HD_F_REG] = HD_F_FB_REG,
    [HD_F_BOLD] = HD_F_FB_BOLD,
    [HD_F_ITAL] = HD_F_FB_ITAL,
    [HD_F_BOLDITAL] = HD_F_FB_BOLDITAL,
    [HD_F_MONO] = HD_F_FB_REG,
    [HD_F_MONOBOLD] = HD_F_FB_BOLD,
    [HD_F_FB_REG] = -1,
    [HD_F_FB_BOLD] = -1,
    [HD_F_FB_ITAL] = -1,
    [HD_F_FB_BOLDITAL] = -1,
};

/* Slot that draws cp and its advance (1/1000 em), or -1. */
static int pick(const hd_fontset *fs, int face, unsigned cp, double *adv) {
    *adv = 0;
    if (face < 0 || face >= HD_NFACES) return -1;
    if (hd_invisible(cp)) return face; /* drawn by no face: nothing to draw */
    const hd_face *f = slot_face(fs, face);
    if (f && lookup(f, cp, adv)) return face;
    int fb = FALLBACK_OF[face];
    if (fb >= 0 && (f = slot_face(fs, fb)) && lookup(f, cp, adv)) return fb;
    *adv = 0;
    return -1;
}

int hd_fontset_pick(const hd_fontset *fs, int face, unsigned cp) {
    double adv;
    return pick(fs, face, cp, &adv);
}

double hd_fontset_text_width(const hd_fontset *fs, int face, const char *s, size_t len, double size) {
    const char *p = s, *end = s + len;
    double sum = 0, adv;
    while (p < end) {
        pick(fs, face, hd_utf8_next(&p), &adv);
        sum += adv;
    }
    return sum * size / 1000.0;
}

/* ------------------------------------------------------------ subsets */

static int cmp_unsigned(const void *x, const void *y) {
    unsigned a = *(const unsigned *)x, b = *(const unsigned *)y;
    return a < b ? -1 : a > b;
}

/* Six capital letters for the PDF name's subset tag ("ABCDEF+Name"), from
 * the subset's own bytes and code points: the same subset always gets the
 * same tag, wherever the font files are (a path would make PDFs differ
 * between checkouts), and different subsets get different ones. */
static void subset_tag(const unsigned char *data, size_t len, const unsigned *cps, size_t n, char tag[7]) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ data[i]) * 1099511628211ull;
    for (size_t i = 0; i < n; i++) h = (h ^ cps[i]) * 1099511628211ull;
    for (int i = 0; i < 6; i++, h /= 26) tag[i] = (char)('A' + h % 26);
    tag[6] = 0;
}

/* What the PDF's font descriptor says of the face. */
static void describe(const hd_face *f, hd_subset *s) {
    memcpy(s->bbox, f->bbox, sizeof s->bbox);
    s->italic_angle = f->italic_angle;
    s->flags = f->flags;
    s->stem_v = f->stem_v;
    s->ascent = f->ascent;
    s->descent = f->descent;
    s->cap_height = f->cap_height;
}

/* A subset in the disk cache: format 1, the font file, the code points
 * and their glyphs, each glyph's width, the PDF name. */
#define SUBSET_FORMAT 1

static int subset_key(const hd_face *f, const unsigned *v, size_t n, hd_cache_key *k) {
    if (!f->lib->cache) return 0;
    pthread_mutex_lock(&f->lib->lock);
    int known = hb_identity(f->lib);
    pthread_mutex_unlock(&f->lib->lock);
    if (!known) return 0;
    hd_cbuf m = {0};
    key_start(&m, "subset", f);
    hd_cbuf_add(&m, v, n * sizeof *v);
    int ok = !m.failed;
    if (ok) hd_cache_key_of(f->lib->cache, m.p, m.n, k);
    hd_cbuf_free(&m);
    return ok;
}

/* The subset of v[0..n) from the disk cache into out (in a); 0 if absent. */
static int subset_read(hd_arena *a, const hd_face *f, const unsigned *v, size_t n, hd_subset *out) {
    hd_cache_key k;
    if (!subset_key(f, v, n, &k)) return 0;
    size_t len = 0;
    unsigned char *const data = hd_cache_get(f->lib->cache, &k, &len);
    if (!data) return 0;
    /* the payload is malloc'd: should the arena run out of memory, free
     * it, then pass the jump on */
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        free(data);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        memset(out->low, 0, sizeof out->low);
        return 0;
    }
    hd_creader r = {data, data + len, 0};
    int ok = hd_creader_u32(&r) == SUBSET_FORMAT;
    uint32_t flen = hd_creader_u32(&r);
    const void *font = hd_creader_take(&r, flen);
    ok = ok && font && flen > 0 && hd_creader_u32(&r) == n;
    const void *cps = hd_creader_take(&r, n * sizeof(uint32_t));
    const void *gids = hd_creader_take(&r, n * sizeof(uint32_t));
    uint32_t nglyphs = hd_creader_u32(&r);
    const void *widths = nglyphs >= 1 && nglyphs <= 65536 ? hd_creader_take(&r, nglyphs * sizeof(uint16_t)) : NULL;
    uint32_t nlen = hd_creader_u32(&r);
    const char *name = nlen < sizeof out->name ? hd_creader_take(&r, nlen) : NULL;
    ok = ok && cps && gids && widths && name && r.p == r.end && memcmp(cps, v, n * sizeof *v) == 0;
    if (ok) {
        unsigned *g = hd_allocn(a, n ? n : 1, sizeof *g);
        memcpy(g, gids, n * sizeof *g);
        for (size_t i = 0; ok && i < n; i++) ok = g[i] < nglyphs;
        if (ok) {
            unsigned char *copy = hd_alloc(a, flen);
            memcpy(copy, font, flen);
            unsigned short *w = hd_allocn(a, nglyphs, sizeof *w);
            memcpy(w, widths, nglyphs * sizeof *w);
            for (size_t i = 0; i < n; i++)
                if (v[i] < 256) out->low[v[i]] = (unsigned short)g[i];
            out->data = copy, out->len = flen, out->n = n, out->cps = v, out->gids = g;
            out->nglyphs = nglyphs, out->widths = w, out->from_cache = 1;
            memcpy(out->name, name, nlen);
            out->name[nlen] = 0;
        }
    }
    hd_arena_on_oom(a, outer);
    free(data);
    if (!ok) memset(out->low, 0, sizeof out->low);
    return ok;
}

static void subset_write(const hd_face *f, const hd_subset *s) {
    hd_cache_key k;
    if (!hd_cache_write_bulk(f->lib->cache) || !subset_key(f, s->cps, s->n, &k)) return;
    hd_cbuf b = {0};
    hd_cbuf_u32(&b, SUBSET_FORMAT);
    hd_cbuf_u32(&b, (uint32_t)s->len);
    hd_cbuf_add(&b, s->data, s->len);
    hd_cbuf_u32(&b, (uint32_t)s->n);
    hd_cbuf_add(&b, s->cps, s->n * sizeof *s->cps);
    hd_cbuf_add(&b, s->gids, s->n * sizeof *s->gids);
    hd_cbuf_u32(&b, s->nglyphs);
    hd_cbuf_add(&b, s->widths, s->nglyphs * sizeof *s->widths);
    hd_cbuf_u32(&b, (uint32_t)strlen(s->name));
    hd_cbuf_add(&b, s->name, strlen(s->name));
    if (!b.failed) hd_cache_put(f->lib->cache, &k, b.p, b.n);
    hd_cbuf_free(&b);
}

/* harfbuzz's subset of v[0..n) into out. */
static hd_status subset_hb(hd_arena *a, hd_diags *d, const hd_face *f, unsigned *v, size_t n, hd_subset *out) {
    static const hb_tag_t drop[] = {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
                                    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('M', 'A', 'T', 'H'),
                                    HB_TAG('F', 'F', 'T', 'M'), HB_TAG('n', 'a', 'm', 'e')};
    hd_pos at = hd_pos_at(f->path, 0, 0);
    hd_status fst = HD_OK;
    hb_font_t *const font = face_font(f, d, at, &fst);
    if (!font) return fst;
    const hb_api *H = api(f->lib);
    hb_subset_input_t *in = H->hb_subset_input_create_or_fail();
    if (!in) return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while subsetting font file '%s'", f->path);
    hb_set_t *u = H->hb_subset_input_set(in, HB_SUBSET_SETS_UNICODE);
    for (size_t i = 0; i < n; i++) H->hb_set_add(u, v[i]);
    hb_set_t *t = H->hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) H->hb_set_add(t, drop[i]);
    H->hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    /* harfbuzz's objects are malloc'd: should the arena run out of memory
     * while they live, free them, then pass the jump on */
    hb_subset_plan_t *volatile plan = NULL;
    hb_face_t *volatile sub = NULL;
    hb_blob_t *volatile blob = NULL;
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        H->hb_blob_destroy(blob);
        H->hb_face_destroy(sub);
        H->hb_subset_plan_destroy(plan);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while subsetting font file '%s'", f->path);
    }
    if (H->hb_set_allocation_successful(u) && H->hb_set_allocation_successful(t))
        plan = H->hb_subset_plan_create_or_fail(f->face, in);
    H->hb_subset_input_destroy(in);
    if (plan) sub = H->hb_subset_plan_execute_or_fail(plan);
    if (sub) blob = H->hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *bytes = blob ? H->hb_blob_get_data(blob, &len) : NULL;
    hd_status st = HD_OK;
    if (!plan || !sub || !bytes || len == 0) {
        st = hd_error(d, HD_ERR_SYSTEM, at, "harfbuzz could not make a subset of font file '%s' for the PDF: %s",
                      f->path, AGAIN);
    } else {
        /* the glyph of each code point in the subset, and each glyph's width */
        const hb_map_t *u2old = H->hb_subset_plan_unicode_to_old_glyph_mapping(plan);
        const hb_map_t *old2new = H->hb_subset_plan_old_to_new_glyph_mapping(plan);
        const hb_map_t *new2old = H->hb_subset_plan_new_to_old_glyph_mapping(plan);
        unsigned *gids = hd_allocn(a, n ? n : 1, sizeof *gids);
        unsigned nglyphs = H->hb_map_get_population(new2old); /* with the parts of composite glyphs */
        if (nglyphs < 1) nglyphs = 1;
        for (size_t i = 0; i < n; i++) {
            hb_codepoint_t old = H->hb_map_get(u2old, v[i]);
            hb_codepoint_t g = old == HB_MAP_VALUE_INVALID ? 0 : H->hb_map_get(old2new, old);
            gids[i] = g == HB_MAP_VALUE_INVALID || g >= 65535 ? 0 : g;
            if (v[i] < 256) out->low[v[i]] = (unsigned short)gids[i];
            if (gids[i] + 1 > nglyphs) nglyphs = gids[i] + 1;
        }
        unsigned short *widths = hd_allocn(a, nglyphs, sizeof *widths);
        for (unsigned g = 0; g < nglyphs; g++) {
            hb_codepoint_t old = H->hb_map_get(new2old, g);
            if (old == HB_MAP_VALUE_INVALID) continue;
            long w = lround(H->hb_font_get_glyph_h_advance(font, old) * f->scale);
            widths[g] = (unsigned short)(w < 0 ? 0 : w > 65535 ? 65535 : w);
        }
        unsigned char *copy = hd_alloc(a, len);
        memcpy(copy, bytes, len);
        out->data = copy;
        out->len = len;
        out->n = n;
        out->cps = v;
        out->gids = gids;
        out->nglyphs = nglyphs;
        out->widths = widths;
    }
    hd_arena_on_oom(a, outer);
    H->hb_blob_destroy(blob);
    H->hb_face_destroy(sub);
    H->hb_subset_plan_destroy(plan);
    if (st != HD_OK) return st;
    char tag[7];
    subset_tag(out->data, out->len, v, n, tag);
    snprintf(out->name, sizeof out->name, "%s+%s", tag, f->psname[0] ? f->psname : "Font");
    return HD_OK;
}

hd_status hd_font_subset(hd_arena *a, hd_diags *d, const hd_face *f, const unsigned *cps, size_t ncps,
                         hd_subset *out) {
    memset(out, 0, sizeof *out);
    if (!f->embed_ok)
        return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(f->path, 0, 0),
                        "font file '%s' does not allow embedding in a PDF (its licence flags forbid it): use "
                        "another font",
                        f->path);
    /* the code points: sorted, unique, drawable */
    unsigned *v = hd_allocn(a, ncps ? ncps : 1, sizeof *v);
    size_t n = 0, m = 0;
    for (size_t i = 0; i < ncps; i++)
        if (cps[i] <= MAX_CP) v[m++] = cps[i];
    qsort(v, m, sizeof *v, cmp_unsigned);
    for (size_t i = 0; i < m; i++)
        if (n == 0 || v[i] != v[n - 1]) v[n++] = v[i];
    if (!subset_read(a, f, v, n, out)) {
        hd_status st = subset_hb(a, d, f, v, n, out);
        if (st != HD_OK) return st;
        subset_write(f, out);
    }
    describe(f, out);
    return HD_OK;
}

unsigned hd_subset_glyph(const hd_subset *s, unsigned cp) {
    if (cp < 256) return s->low[cp];
    size_t i = find_sorted(s->cps, s->n, cp);
    return i < s->n ? s->gids[i] : 0;
}
