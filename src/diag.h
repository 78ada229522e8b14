/* diag.h: errors as values.
 *
 * Owns: the status codes every function returns, source positions, and the
 * list of diagnostics (file:line:col: severity: message) that a build collects.
 * Nothing here decides an exit code or prints on its own: main() does.
 * A hd_diags is owned by one document build; it is not shared between threads.
 */
#ifndef HD_DIAG_H
#define HD_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Status of an operation. The values are the process exit codes main() uses. */
typedef enum {
    HD_OK = 0,
    HD_ERR_CONTENT = 1, /* the content (spec, Markdown, profile, ...) is wrong */
    HD_ERR_USAGE = 2,   /* the command line is wrong */
    HD_ERR_SYSTEM = 3   /* I/O, memory, a broken install */
} hd_status;

/* A place in a source file. line and col are 1-based; 0 means "unknown". */
typedef struct {
    const char *file;
    int line;
    int col;
} hd_pos;

typedef enum { HD_SEV_ERROR, HD_SEV_WARNING, HD_SEV_NOTE } hd_severity;

typedef struct {
    char *file; /* owned copy, may be NULL */
    int line, col;
    hd_severity sev;
    hd_status kind; /* for errors: HD_ERR_CONTENT or HD_ERR_SYSTEM */
    char *msg;      /* owned */
} hd_diag;

/* Cap on stored messages: a garbage file must not produce a million lines. */
#define HD_MAX_DIAGS 200

typedef struct {
    hd_diag *v;
    size_t n, cap;
    size_t errors, warnings, dropped;
    hd_status worst; /* HD_OK, HD_ERR_CONTENT or HD_ERR_SYSTEM (system wins) */
} hd_diags;

void hd_diags_init(hd_diags *d);
void hd_diags_free(hd_diags *d);

/* Record an error. kind is HD_ERR_CONTENT or HD_ERR_SYSTEM. Returns kind so a
 * caller can write `return hd_error(...)`. */
hd_status hd_error(hd_diags *d, hd_status kind, hd_pos at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
hd_status hd_verror(hd_diags *d, hd_status kind, hd_pos at, const char *fmt, va_list ap);
void hd_warn(hd_diags *d, hd_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void hd_note(hd_diags *d, hd_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Move every diagnostic of src to the end of dst (src is left empty). */
void hd_diags_move(hd_diags *dst, hd_diags *src);

/* "file:line:col: error: message", one per line, in the order recorded. */
void hd_diags_print(const hd_diags *d, FILE *out);
/* Format one diagnostic into buf (always NUL-terminated). */
void hd_diag_format(const hd_diag *g, char *buf, size_t size);

static inline hd_pos hd_pos_at(const char *file, int line, int col) {
    hd_pos p = {file, line, col};
    return p;
}

#endif
