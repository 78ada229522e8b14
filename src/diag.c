/* diag.c: collecting and printing diagnostics (see diag.h). */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

void hd_diags_init(hd_diags *d) {
    memset(d, 0, sizeof *d);
}

void hd_diags_free(hd_diags *d) {
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    hd_diags_init(d);
}

/* Whether the same diagnostic (severity, kind, place, words) is already there:
 * text shown in two places (a clinic's name heads page 1 and the contact
 * box) is reported once. */
static int already(const hd_diags *d, hd_severity sev, hd_status kind, hd_pos at, const char *msg) {
    for (size_t i = 0; i < d->n; i++) {
        const hd_diag *g = &d->v[i];
        if (g->sev == sev && g->kind == kind && g->line == at.line && g->col == at.col && !strcmp(g->msg, msg) &&
            (g->file == at.file || (g->file && at.file && !strcmp(g->file, at.file))))
            return 1;
    }
    return 0;
}

static void add(hd_diags *d, hd_severity sev, hd_status kind, hd_pos at, const char *fmt, va_list ap) {
    char raw[1024], buf[1024];
    vsnprintf(raw, sizeof raw, fmt, ap);
    /* one line per diagnostic: escape line breaks and other control
     * characters that quoted user text may carry */
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)raw; *p && o + 5 < sizeof buf; p++) {
        if (*p == '\n')
            buf[o++] = '\\', buf[o++] = 'n';
        else if (*p == '\t')
            buf[o++] = '\\', buf[o++] = 't';
        else if (*p < 0x20 || *p == 0x7F)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02X", *p);
        else
            buf[o++] = (char)*p;
    }
    buf[o] = 0;
    if (already(d, sev, kind, at, buf)) return;
    if (sev == HD_SEV_ERROR) {
        d->errors++;
        if (kind == HD_ERR_SYSTEM || d->worst == HD_OK) d->worst = kind;
    } else if (sev == HD_SEV_WARNING) {
        d->warnings++;
    }
    if (d->n >= HD_MAX_DIAGS) {
        d->dropped++;
        return;
    }
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        hd_diag *v = realloc(d->v, nc * sizeof *v);
        if (!v) {
            d->dropped++;
            return;
        }
        d->v = v;
        d->cap = nc;
    }
    hd_diag *g = &d->v[d->n];
    g->file = at.file ? strdup(at.file) : NULL;
    g->msg = strdup(buf);
    if (!g->msg || (at.file && !g->file)) {
        free(g->file);
        free(g->msg);
        d->dropped++;
        return;
    }
    g->line = at.line;
    g->col = at.col;
    g->sev = sev;
    g->kind = kind;
    d->n++;
}

hd_status hd_verror(hd_diags *d, hd_status kind, hd_pos at, const char *fmt, va_list ap) {
    if (kind != HD_ERR_SYSTEM) kind = HD_ERR_CONTENT;
    add(d, HD_SEV_ERROR, kind, at, fmt, ap);
    return kind;
}

hd_status hd_error(hd_diags *d, hd_status kind, hd_pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hd_status s = hd_verror(d, kind, at, fmt, ap);
    va_end(ap);
    return s;
}

void hd_warn(hd_diags *d, hd_pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add(d, HD_SEV_WARNING, HD_OK, at, fmt, ap);
    va_end(ap);
}

void hd_note(hd_diags *d, hd_pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    add(d, HD_SEV_NOTE, HD_OK, at, fmt, ap);
    va_end(ap);
}

void hd_diags_move(hd_diags *dst, hd_diags *src) {
    for (size_t i = 0; i < src->n; i++) {
        hd_diag *g = &src->v[i];
        hd_pos at = {g->file, g->line, g->col};
        if (g->sev == HD_SEV_ERROR)
            hd_error(dst, g->kind, at, "%s", g->msg);
        else if (g->sev == HD_SEV_WARNING)
            hd_warn(dst, at, "%s", g->msg);
        else
            hd_note(dst, at, "%s", g->msg);
    }
    /* counts of messages that were dropped still matter */
    dst->dropped += src->dropped;
    if (src->worst == HD_ERR_SYSTEM || (dst->worst == HD_OK && src->worst != HD_OK)) dst->worst = src->worst;
    hd_diags_free(src);
}

void hd_diag_format(const hd_diag *g, char *buf, size_t size) {
    static const char *const sev[] = {"error", "warning", "note"};
    int n;
    if (g->file && g->line > 0 && g->col > 0)
        n = snprintf(buf, size, "%s:%d:%d: %s: %s", g->file, g->line, g->col, sev[g->sev], g->msg);
    else if (g->file && g->line > 0)
        n = snprintf(buf, size, "%s:%d: %s: %s", g->file, g->line, sev[g->sev], g->msg);
    else if (g->file)
        n = snprintf(buf, size, "%s: %s: %s", g->file, sev[g->sev], g->msg);
    else
        n = snprintf(buf, size, "handout: %s: %s", sev[g->sev], g->msg);
    if (n < 0 || (size_t)n < size || size == 0) return;
    /* cut short: not in the middle of a UTF-8 character (drop a lead byte
     * whose continuation bytes did not fit) */
    size_t end = size - 1, k = end;
    while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80 && end - k < 3) k--;
    if (k > 0 && (unsigned char)buf[k - 1] >= 0xC0) {
        unsigned lead = (unsigned char)buf[k - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (end - (k - 1) < need) buf[k - 1] = 0;
    }
}

void hd_diags_print(const hd_diags *d, FILE *out) {
    char buf[1400];
    for (size_t i = 0; i < d->n; i++) {
        hd_diag_format(&d->v[i], buf, sizeof buf);
        fprintf(out, "%s\n", buf);
    }
    if (d->dropped) fprintf(out, "handout: note: %zu more messages not shown\n", d->dropped);
}
