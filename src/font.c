/* font.c: TrueType faces for layout, and their subsets for the PDF (see
 * font.h).
 *
 * Owns: the process-wide face cache (one harfbuzz blob/face/font per file,
 * loaded under a mutex, immutable afterwards and shared read-only between
 * threads; advances remembered lazily, see lookup), the checks that turn a
 * missing, damaged or CFF font into a clear error, metrics in 1/1000 em,
 * font families under fonts/, and cutting a face down to the glyphs a
 * document draws with harfbuzz's subsetter (hd_font_subset), with the glyph
 * of each code point, each glyph's width and what a PDF font descriptor
 * needs. No libharu here: the painter (pdftag.c) builds the PDF font.
 */
#include "font.h"
#include "fsutil.h"

#include <dirent.h>
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

/* Code points below this have their coverage and advance remembered per
 * face once first asked for (see lookup), in blocks of MEMO_BLOCK. */
#define ADV_TABLE 0x600
#define MEMO_BLOCK 128
#define MEMO_BLOCKS (ADV_TABLE / MEMO_BLOCK)
/* libharu's CIDs are 16-bit code points: nothing above U+FFFF can be drawn. */
#define MAX_CP 0xFFFF
#define MAX_FAMILY_NAME 64

/* One remembered code point: 0 until it is first looked up, then
 * MEMO_KNOWN | MEMO_HAS (if the face has it) | advance in font units <<
 * MEMO_SHIFT. */
typedef _Atomic uint32_t memo_word;
#define MEMO_KNOWN 1u
#define MEMO_HAS 2u
#define MEMO_SHIFT 2
#define MEMO_MAX_UNITS (UINT32_MAX >> MEMO_SHIFT)
/* A block of MEMO_BLOCK words, NULL until a code point in it is looked up. */
typedef memo_word *_Atomic memo_slot;

struct hd_face {
    hd_face *next; /* in the library's list */
    char *key;     /* resolved path: the cache key */
    char *path;    /* path as first asked for, for messages */
    char *family;  /* name ID 1, e.g. "Noto Sans" */
    char *psname;  /* name ID 6, sanitised for a PDF name */
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font; /* scale = units per em */
    double scale;    /* 1000 / units per em */
    double ascent, descent, cap_height;
    /* Block memo[cp / MEMO_BLOCK] holds cp's word. Filled in by whichever
     * thread asks first, through a const face: see memo_of and lookup. */
    memo_slot memo[MEMO_BLOCKS];
};

struct hd_fontlib {
    pthread_mutex_t lock;
    char *dir; /* NULL: only hd_fontlib_face works */
    hd_face *faces;
    int exiting; /* hd_fontlib_free_at_exit: leave the file mappings to the kernel */
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
    if (pthread_mutex_init(&lib->lock, NULL) != 0) {
        free(lib->dir);
        free(lib);
        return NULL;
    }
    return lib;
}

static void face_free(hd_face *f) {
    if (!f) return;
    for (int i = 0; i < MEMO_BLOCKS; i++) free(atomic_load_explicit(&f->memo[i], memory_order_relaxed));
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
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
static hd_status check_sfnt(hd_diags *d, hd_pos at, const char *path, hb_blob_t *blob) {
    unsigned len = 0;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(blob, &len);
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
    return hb_face_count(blob) == 0 ? not_a_font(d, at, path) : HD_OK;
}

static unsigned table_len(hb_face_t *face, hb_tag_t tag) {
    hb_blob_t *b = hb_face_reference_table(face, tag);
    unsigned n = hb_blob_get_length(b);
    hb_blob_destroy(b);
    return n;
}

/* units_per_em straight from 'head' (harfbuzz replaces a bad value with 1000). */
static unsigned raw_upem(hb_face_t *face) {
    hb_blob_t *b = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned len = 0;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(b, &len);
    unsigned upem = len >= 54 ? be16(p + 18) : 0;
    hb_blob_destroy(b);
    return upem;
}

/* Tables this program and libharu need, in the order they are checked. */
static const hb_tag_t REQUIRED[] = {
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
    HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
};

static hd_status check_face(hd_diags *d, hd_pos at, const char *path, hb_face_t *face) {
    if (hb_face_get_glyph_count(face) == 0) return damaged(d, at, path, "it has no glyphs");
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++) {
        if (table_len(face, REQUIRED[i]) > 0) continue;
        if (REQUIRED[i] == HB_TAG('g', 'l', 'y', 'f') &&
            (table_len(face, HB_TAG('C', 'F', 'F', ' ')) || table_len(face, HB_TAG('C', 'F', 'F', '2'))))
            return hd_error(d, HD_ERR_SYSTEM, at,
                            "font file '%s' has PostScript (CFF) outlines, but libharu can only embed TrueType "
                            "outlines: use a .ttf font with TrueType (glyf) outlines",
                            path);
        char tag[5], why[64];
        tag_text(REQUIRED[i], tag);
        snprintf(why, sizeof why, "its '%s' table is missing", tag);
        return damaged(d, at, path, why);
    }
    unsigned upem = raw_upem(face);
    if (upem < 16 || upem > 16384) {
        char why[64];
        snprintf(why, sizeof why, "its units per em is %u", upem);
        return damaged(d, at, path, why);
    }
    hb_set_t *cps = hb_set_create();
    hb_face_collect_unicodes(face, cps);
    int empty = hb_set_is_empty(cps);
    hb_set_destroy(cps);
    if (empty) return damaged(d, at, path, "its character map is empty");
    return HD_OK;
}

/* ------------------------------------------------------------- metrics */

static char *name_utf8(hb_face_t *face, hb_ot_name_id_t id) {
    char buf[256];
    unsigned len = sizeof buf;
    if (hb_ot_name_get_utf8(face, id, HB_LANGUAGE_INVALID, &len, buf) == 0) buf[0] = 0;
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

static void fill_metrics(hd_face *f) {
    unsigned upem = hb_face_get_upem(f->face);
    hb_font_set_scale(f->font, (int)upem, (int)upem);
    f->scale = 1000.0 / upem;

    hb_font_extents_t ext;
    memset(&ext, 0, sizeof ext);
    hb_font_get_h_extents(f->font, &ext);
    f->ascent = ext.ascender > 0 ? ext.ascender * f->scale : 800;
    f->descent = ext.descender < 0 ? ext.descender * f->scale : -200;

    /* OS/2 sCapHeight; else the top of 'H' (DejaVu's OS/2 table is too old
     * to have sCapHeight); else 700. */
    hb_position_t cap = 0;
    hb_codepoint_t h = 0;
    hb_glyph_extents_t ge;
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0)
        f->cap_height = cap * f->scale;
    else if (hb_font_get_nominal_glyph(f->font, 'H', &h) && h && hb_font_get_glyph_extents(f->font, h, &ge) &&
             ge.y_bearing > 0)
        f->cap_height = ge.y_bearing * f->scale;
    else
        f->cap_height = 700;
}

/* Whether the face has cp (glyph 0 counts as absent), asking harfbuzz; its
 * advance in font units into *units (0 if absent). */
static int hb_lookup(const hd_face *f, unsigned cp, hb_position_t *units) {
    hb_codepoint_t g = 0;
    if (cp > MAX_CP || !hb_font_get_nominal_glyph(f->font, cp, &g) || g == 0) {
        *units = 0;
        return 0;
    }
    *units = hb_font_get_glyph_h_advance(f->font, g);
    return 1;
}

/* The memo of a face that is otherwise read-only. Faces are allocated (never
 * defined const), so writing through this is allowed; the memo is the only
 * part of a face that changes after loading. */
static memo_slot *memo_of(const hd_face *f) { return (memo_slot *)f->memo; }

/* Whether the face has cp, advance in 1/1000 em into *adv.
 *
 * Below ADV_TABLE the answer is remembered in f->memo, so a face costs
 * nothing until it is used, and then only for the blocks of code points
 * used. Faces are shared between threads, so:
 * - a block is published once with a compare-and-swap (release; readers
 *   load it with acquire, so they see it zeroed); a thread that loses the
 *   race frees its own and uses the winner's;
 * - each word is written once, with a value that depends on nothing but
 *   the face and cp: two threads that both find it 0 compute and store the
 *   same value, and a reader sees either 0 or that whole value. Nothing is
 *   published through a word, so relaxed ordering is enough for it.
 * harfbuzz allows lookups on an immutable font from many threads at once.
 * lookup_first asks harfbuzz (and remembers); lookup is the fast path,
 * inlined into the callers. */
static __attribute__((noinline)) int lookup_first(const hd_face *f, unsigned cp, double *adv) {
    hb_position_t units;
    int has = hb_lookup(f, cp, &units);
    *adv = units * f->scale;
    /* Remember, when it fits (no real font has such advances) and there is
     * memory for the block (else ask harfbuzz again next time). */
    if (cp >= ADV_TABLE || units < 0 || (uint32_t)units > MEMO_MAX_UNITS) return has;
    memo_slot *slot = &memo_of(f)[cp / MEMO_BLOCK];
    memo_word *b = atomic_load_explicit(slot, memory_order_acquire);
    if (!b) {
        memo_word *mine = calloc(MEMO_BLOCK, sizeof *mine);
        if (!mine) return has;
        b = NULL;
        if (atomic_compare_exchange_strong_explicit(slot, &b, mine, memory_order_acq_rel, memory_order_acquire))
            b = mine;
        else
            free(mine); /* another thread's block is in b */
    }
    uint32_t m = MEMO_KNOWN | (has ? MEMO_HAS : 0) | (uint32_t)units << MEMO_SHIFT;
    atomic_store_explicit(&b[cp % MEMO_BLOCK], m, memory_order_relaxed);
    return has;
}

static inline int lookup(const hd_face *f, unsigned cp, double *adv) {
    uint32_t m = 0;
    if (cp < ADV_TABLE) {
        memo_word *b = atomic_load_explicit(&memo_of(f)[cp / MEMO_BLOCK], memory_order_acquire);
        if (b) m = atomic_load_explicit(&b[cp % MEMO_BLOCK], memory_order_relaxed);
    }
    if (m == 0) return lookup_first(f, cp, adv);
    *adv = (m >> MEMO_SHIFT) * f->scale;
    return (m & MEMO_HAS) != 0;
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

/* The file at path as a blob (an empty one for an empty file); NULL with
 * errno set if it cannot be opened or mapped. */
static hb_blob_t *map_file(const hd_fontlib *lib, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (st.st_size == 0) {
        close(fd);
        return hb_blob_get_empty();
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
    hb_blob_t *b = hb_blob_create_or_fail(addr, (unsigned)st.st_size, HB_MEMORY_MODE_READONLY, m, unmap);
    if (!b) errno = ENOMEM; /* harfbuzz has called unmap */
    return b;
}

/* Load and check one face; called with the library locked. */
static hd_status load_face(const hd_fontlib *lib, hd_diags *d, hd_pos at, const char *path, char *key,
                           hd_face **out) {
    hd_status st = check_file(d, at, path);
    if (st != HD_OK) return st;
    hd_face *f = calloc(1, sizeof *f);
    if (!f) return oom(d, at, path);
    for (int i = 0; i < MEMO_BLOCKS; i++) atomic_init(&f->memo[i], NULL);
    f->key = key;
    f->path = strdup(path);
    errno = 0;
    f->blob = map_file(lib, path);
    if (!f->path || !f->blob) {
        int e = errno;
        f->key = NULL; /* the caller still owns key */
        face_free(f);
        return hd_error(d, HD_ERR_SYSTEM, at, "cannot read font file '%s': %s", path,
                        e ? strerror(e) : "harfbuzz could not open it");
    }
    st = hb_blob_get_length(f->blob) > HD_MAX_FONT_BYTES ? not_a_font(d, at, path) : check_sfnt(d, at, path, f->blob);
    if (st == HD_OK) {
        f->face = hb_face_create(f->blob, 0);
        st = check_face(d, at, path, f->face);
    }
    if (st == HD_OK) {
        f->font = hb_font_create(f->face);
        f->family = name_utf8(f->face, HB_OT_NAME_ID_FONT_FAMILY);
        f->psname = name_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME);
        if (!f->family || !f->psname) st = oom(d, at, path);
    }
    if (st != HD_OK) {
        f->key = NULL;
        face_free(f);
        return st;
    }
    sanitise_psname(f->psname);
    fill_metrics(f);
    hb_face_make_immutable(f->face);
    hb_font_make_immutable(f->font);
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
        st = load_face(lib, d, at, path, key, &f);
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

/* A table of f's file (its bytes stay valid while the face lives). */
static const unsigned char *table(const hd_face *f, hb_tag_t tag, unsigned *len) {
    hb_blob_t *b = hb_face_reference_table(f->face, tag);
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(b, len);
    hb_blob_destroy(b); /* a sub-blob of f->blob, which the face keeps */
    return p;
}

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

/* What the PDF's font descriptor says of the face, from its tables. */
static void describe(const hd_face *f, hd_subset *s) {
    unsigned len;
    const unsigned char *t = table(f, HB_TAG('h', 'e', 'a', 'd'), &len);
    int italic = 0;
    if (len >= 54) {
        for (int i = 0; i < 4; i++) s->bbox[i] = (int)lround((int16_t)be16(t + 36 + 2 * i) * f->scale);
        italic = (be16(t + 44) & 2) != 0; /* macStyle */
    }
    t = table(f, HB_TAG('p', 'o', 's', 't'), &len);
    int fixed = 0;
    if (len >= 16) {
        s->italic_angle = (int32_t)be32(t + 4) / 65536.0;
        fixed = be32(t + 12) != 0;
    }
    t = table(f, HB_TAG('O', 'S', '/', '2'), &len);
    int serif = 0;
    unsigned weight = 400;
    if (len >= 42) {
        weight = be16(t + 4);
        serif = t[32] == 2 && t[33] >= 2 && t[33] <= 10; /* panose: Latin text, a serif style */
    }
    s->flags = 32 | (fixed ? 1 : 0) | (serif ? 2 : 0) | (italic || s->italic_angle != 0 ? 64 : 0);
    s->stem_v = (int)lround(50 + (weight / 65.0) * (weight / 65.0)); /* 400: 88, 700: 166 */
    s->ascent = f->ascent;
    s->descent = f->descent;
    s->cap_height = f->cap_height;
}

/* OS/2 fsType: restricted licence (2), no subsetting (0x100), bitmap only
 * (0x200) forbid what the PDF does with the face (libharu refused these
 * too). */
static int embedding_allowed(const hd_face *f) {
    unsigned len;
    const unsigned char *t = table(f, HB_TAG('O', 'S', '/', '2'), &len);
    return len < 10 || (be16(t + 8) & (0x0002 | 0x0100 | 0x0200)) == 0;
}

hd_status hd_font_subset(hd_arena *a, hd_diags *d, const hd_face *f, const unsigned *cps, size_t ncps,
                         hd_subset *out) {
    static const hb_tag_t drop[] = {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
                                    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('M', 'A', 'T', 'H'),
                                    HB_TAG('F', 'F', 'T', 'M'), HB_TAG('n', 'a', 'm', 'e')};
    memset(out, 0, sizeof *out);
    hd_pos at = hd_pos_at(f->path, 0, 0);
    if (!embedding_allowed(f))
        return hd_error(d, HD_ERR_SYSTEM, at,
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
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while subsetting font file '%s'", f->path);
    hb_set_t *u = hb_subset_input_set(in, HB_SUBSET_SETS_UNICODE);
    for (size_t i = 0; i < n; i++) hb_set_add(u, v[i]);
    hb_set_t *t = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) hb_set_add(t, drop[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    /* harfbuzz's objects are malloc'd: should the arena run out of memory
     * while they live, free them, then pass the jump on */
    hb_subset_plan_t *volatile plan = NULL;
    hb_face_t *volatile sub = NULL;
    hb_blob_t *volatile blob = NULL;
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        hb_blob_destroy(blob);
        hb_face_destroy(sub);
        hb_subset_plan_destroy(plan);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return hd_error(d, HD_ERR_SYSTEM, at, "out of memory while subsetting font file '%s'", f->path);
    }
    if (hb_set_allocation_successful(u) && hb_set_allocation_successful(t))
        plan = hb_subset_plan_create_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    if (plan) sub = hb_subset_plan_execute_or_fail(plan);
    if (sub) blob = hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *bytes = blob ? hb_blob_get_data(blob, &len) : NULL;
    hd_status st = HD_OK;
    if (!plan || !sub || !bytes || len == 0) {
        st = hd_error(d, HD_ERR_SYSTEM, at, "harfbuzz could not make a subset of font file '%s' for the PDF: %s",
                      f->path, AGAIN);
    } else {
        /* the glyph of each code point in the subset, and each glyph's width */
        const hb_map_t *u2old = hb_subset_plan_unicode_to_old_glyph_mapping(plan);
        const hb_map_t *old2new = hb_subset_plan_old_to_new_glyph_mapping(plan);
        const hb_map_t *new2old = hb_subset_plan_new_to_old_glyph_mapping(plan);
        unsigned *gids = hd_allocn(a, n ? n : 1, sizeof *gids);
        unsigned nglyphs = hb_map_get_population(new2old); /* with the parts of composite glyphs */
        if (nglyphs < 1) nglyphs = 1;
        for (size_t i = 0; i < n; i++) {
            hb_codepoint_t old = hb_map_get(u2old, v[i]);
            hb_codepoint_t g = old == HB_MAP_VALUE_INVALID ? 0 : hb_map_get(old2new, old);
            gids[i] = g == HB_MAP_VALUE_INVALID || g >= 65535 ? 0 : g;
            if (v[i] < 256) out->low[v[i]] = (unsigned short)gids[i];
            if (gids[i] + 1 > nglyphs) nglyphs = gids[i] + 1;
        }
        unsigned short *widths = hd_allocn(a, nglyphs, sizeof *widths);
        for (unsigned g = 0; g < nglyphs; g++) {
            hb_codepoint_t old = hb_map_get(new2old, g);
            if (old == HB_MAP_VALUE_INVALID) continue;
            long w = lround(hb_font_get_glyph_h_advance(f->font, old) * f->scale);
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
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    if (st != HD_OK) return st;
    char tag[7];
    subset_tag(out->data, out->len, v, n, tag);
    snprintf(out->name, sizeof out->name, "%s+%s", tag, f->psname[0] ? f->psname : "Font");
    describe(f, out);
    return HD_OK;
}

unsigned hd_subset_glyph(const hd_subset *s, unsigned cp) {
    if (cp < 256) return s->low[cp];
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->cps[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->cps[lo] == cp ? s->gids[lo] : 0;
}
