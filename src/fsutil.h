/* fsutil.h: reading project files safely.
 *
 * Owns: the project root, path checks (no absolute paths, no `..` or symlink
 * that leaves the project), size caps, UTF-8 and NUL checks, and atomic
 * replacement of an output file (write to a temporary file, sync its data unless told not to, rename).
 */
#ifndef HD_FSUTIL_H
#define HD_FSUTIL_H

#include <stddef.h>
#include <stdio.h>
#include "arena.h"
#include "diag.h"

/* Limits on input. Documented in README.md ("Limits"). */
#define HD_MAX_SPEC_BYTES (1u << 20)     /* a YAML file: 1 MiB */
#define HD_MAX_MARKDOWN_BYTES (256u << 10) /* a Markdown file: 256 KiB (a 40-page handout holds about 120 KB of text) */
#define HD_MAX_IMAGE_BYTES (8u << 20)    /* an image file: 8 MiB */
#define HD_MAX_FONT_BYTES (32u << 20)    /* a font file: 32 MiB */

/* Where things are. root is the project directory (absolute, resolved). */
typedef struct {
    const char *root;      /* project root: specs and their files must stay inside */
    int root_fd;           /* an O_PATH descriptor of root; 0 or less: none */
    const char *cwd;       /* the current folder, absolute; NULL: asked each time */
    const char *templates; /* directory with page templates, topics/ and safety/ */
    const char *fonts;     /* directory with one subdirectory per font family */
    const char *clinics;   /* directory with clinic profiles (<id>.yaml) */
} hd_project;

/* Resolve `rel` (a path written in `from_file`, relative to that file's
 * directory) to a path inside the project root. Rejects absolute paths,
 * paths that leave the root (also through symlinks) and empty paths, with an
 * error at `at`. On success *out is a path relative to the current directory
 * usable with fopen, and also suitable for diagnostics. */
hd_status hd_resolve(hd_arena *a, hd_diags *d, const hd_project *p, const char *from_file,
                     const char *rel, hd_pos at, const char **out);

/* Lexically normalise a path: drop "." and empty parts (so trailing
 * slashes too), fold "x/..". A leading ".." that cannot be folded is kept;
 * "" and "." give ".". Links are not looked at: "link/.." is folded too. */
char *hd_path_normalise(hd_arena *a, const char *path);
/* Whether the absolute, normalised path abs is root or inside it. */
int hd_path_inside(const char *root, const char *abs);

/* A path that does not exist, spelled as one that does with other
 * capitals ("logos/Riverside.png" -> "logos/riverside.png"), in a; NULL if
 * there is none (or more than one such spelling fits a part of it). */
char *hd_case_suggest(hd_arena *a, const char *path);

/* Read a whole regular file. `what` names it for messages ("Markdown file").
 * Fails with a clear error if it is missing, a directory, unreadable, larger
 * than max_bytes, or (when text != 0) not valid UTF-8 or holding
 * a NUL byte. The result is NUL-terminated. Missing/unreadable files are
 * HD_ERR_CONTENT when `at` names a reference in content (the editor must fix
 * the reference) and the I/O errno text is included. */
hd_status hd_read_file(hd_arena *a, hd_diags *d, const char *path, size_t max_bytes, int text,
                       const char *what, hd_pos at, char **data, size_t *len);

/* Check UTF-8; on failure returns the byte offset of the first bad byte, else -1. */
long hd_utf8_invalid_at(const char *s, size_t len);
/* Decode one code point at *s (valid UTF-8 assumed); advances *s. */
unsigned hd_utf8_next(const char **s);
/* Invisible format characters, as text pasted from a word processor or a
 * web page carries them. None is drawn and none takes width (layout, the
 * font coverage check); readability reads through them. */
typedef enum {
    HD_VISIBLE = 0,
    HD_INVIS_BREAK, /* U+200B zero-width space: a line may break here, with no space */
    HD_INVIS_SHY,   /* U+00AD soft hyphen: a line may break here, with a hyphen drawn */
    HD_INVIS_NONE   /* nothing: U+2060-2064 word joiner and invisible operators, U+FEFF
                       byte-order mark, U+200C/U+200D (non-)joiners, U+200E/U+200F,
                       U+061C, U+202A-202E and U+2066-2069 direction marks */
} hd_invisible_kind;

static inline hd_invisible_kind hd_invisible(unsigned cp) {
    if (cp < 0xAD) return HD_VISIBLE;
    if (cp == 0xAD) return HD_INVIS_SHY;
    if (cp < 0x61C) return HD_VISIBLE;
    if (cp == 0x200B) return HD_INVIS_BREAK;
    if (cp == 0x61C || (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
        return HD_INVIS_NONE;
    return HD_VISIBLE;
}

/* s[0..len) (valid UTF-8) without its invisible characters, in a: for text
 * that is not laid out but still shown (the PDF's title and subject). */
char *hd_strip_invisible(hd_arena *a, const char *s, size_t len);

/* Line and column (1-based, column in characters) of byte offset off in s. */
void hd_offset_to_linecol(const char *s, size_t off, int *line, int *col);

/* Atomic output: write_fn writes the file at tmp_path (a temporary file
 * beside final_path); on success its data is synced to disk and it is
 * renamed over final_path; on failure it is removed and final_path is
 * untouched. hd_write_atomic_bytes does the same for a buffer; with sync
 * 0 it does not wait for the data to reach the disk (still atomic for
 * readers and against the process dying; not against a power cut). When
 * final_path is already a regular file holding exactly those bytes (a
 * rebuild that changed nothing: builds are reproducible), it is left in
 * place, not written again: its modification time is set to now (so make
 * sees it up to date), its data synced if sync asks, and *unchanged (if
 * not NULL) set to 1; else *unchanged is 0. */
typedef hd_status (*hd_write_fn)(void *ctx, const char *tmp_path, hd_diags *d);
hd_status hd_write_atomic(hd_diags *d, const char *final_path, hd_write_fn fn, void *ctx);
hd_status hd_write_atomic_bytes(hd_diags *d, const char *final_path, const void *data, size_t len, int sync,
                                int *unchanged);

/* The same for a file written bit by bit (the JSON report): write to f,
 * then hd_atomic_close moves it into place (after syncing it, if sync) if s
 * is HD_OK and every write worked, else removes it. */
typedef struct {
    FILE *f;
    const char *final_path;
    char tmp[4096];
} hd_atomic_file;
hd_status hd_atomic_open(hd_diags *d, const char *final_path, hd_atomic_file *t);
hd_status hd_atomic_close(hd_diags *d, hd_atomic_file *t, hd_status s, int sync);

/* SHA-256 of data as 64 lowercase hex digits plus NUL (nettle). */
void hd_sha256_hex(const void *data, size_t len, char out[65]);
/* The same as 32 bytes. */
void hd_sha256(const void *data, size_t len, unsigned char out[32]);

/* mkdir -p */
hd_status hd_mkdirs(hd_diags *d, const char *dir);

/* Remove, from dir, the temporary files of atomic writes (hd_write_atomic:
 * ".NAME.tmp-PID-XXXXXX") whose writer is gone: a build killed with
 * SIGKILL, or one that crashed, leaves them. Only names a build writes:
 * NAME is base, or (base NULL) ends in ".pdf" or ".pdf.d". A file is
 * removed only if its process no longer exists (here), it was last
 * written at least min_age_s seconds ago, and nobody holds the lock every
 * writer takes on its temporary file for as long as it has it open (that
 * covers writers in other PID namespaces). Returns how many were removed;
 * errors are ignored (it only tidies up). */
int hd_remove_stale_tmp(const char *dir, const char *base, long min_age_s);

#endif
