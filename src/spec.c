/* spec.c: the schema of every YAML file handout reads (see spec.h, docs/spec.md).
 *
 * Owns: turning yamlread's node trees into hd_spec, hd_template, hd_clinic,
 * hd_topic, hd_safety and hd_figure, with one checked getter per value type
 * (text, name, number, bool, date, length, colour, duration, list) and the
 * rules on top (contrast, minimum sizes, ranges, placeholders). Every error
 * in a file is reported: loading goes on after a bad value.
 */
#include "spec.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "duration.h"
#include "fsutil.h"
#include "units.h"
#include "yamlread.h"

#define NAME_MAX_LEN 64
#define LABEL_MAX_CHARS 60
#define MAX_LANES 12
#define MIN_TEXT_CONTRAST 4.5
#define MAX_REVIEW_YEARS 5 /* review-by further after reviewed: a warning */

/* ---- context and errors ---- */

typedef struct {
    hd_arena *a;
    hd_diags *d;
    const hd_project *p;
    const char *file;
    hd_status status; /* worst so far */
} ctx;

static void ctx_init(ctx *c, hd_arena *a, hd_diags *d, const hd_project *p, const char *file) {
    c->a = a;
    c->d = d;
    c->p = p;
    c->file = file;
    c->status = HD_OK;
}

static void note_status(ctx *c, hd_status s) {
    if (s == HD_ERR_SYSTEM || (s != HD_OK && c->status == HD_OK)) c->status = s;
}

static void err(ctx *c, hd_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(ctx *c, hd_pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    note_status(c, hd_verror(c->d, HD_ERR_CONTENT, at, fmt, ap));
    va_end(ap);
}

/* ---- keys ---- */

/* Reject keys not in `allowed` (NULL-terminated), suggesting the nearest. */
/* Report keys not in `allowed`; keys in `refused` are skipped (the caller
 * reports them with a message of their own). */
static void check_keys_except(ctx *c, const hd_ynode *map, const char *const *allowed, const char *const *refused) {
    for (size_t i = 0; i < map->npairs; i++) {
        const hd_ypair *p = &map->pairs[i];
        int skip = 0;
        for (const char *const *r = refused; r && *r; r++) skip |= strcmp(*r, p->key) == 0;
        if (skip) continue;
        int known = 0;
        for (const char *const *k = allowed; *k && !known; k++) known = strcmp(*k, p->key) == 0;
        if (known) continue;
        /* invisible characters (a zero-width space pasted in) are named, and
         * the key is compared without them */
        char *key = hd_strndup(c->a, p->key, strlen(p->key)), *o = key, hidden[80] = "";
        for (const char *q = p->key; *q;) {
            const char *at = q;
            char name[80];
            if (hd_invisible_name(hd_utf8_next(&q), name, sizeof name)) {
                if (!hidden[0]) snprintf(hidden, sizeof hidden, "%s", name);
                continue;
            }
            memcpy(o, at, (size_t)(q - at));
            o += q - at;
        }
        *o = 0;
        if (hidden[0]) {
            for (const char *const *k = allowed; *k && !known; k++) known = strcmp(*k, key) == 0;
            if (known) {
                err(c, p->key_pos, "the key '%s' has %s in it: delete the key and type it again", key, hidden);
                continue;
            }
        }
        const char *shown = hidden[0] ? hd_sprintf(c->a, "'%s' (with %s in it)", key, hidden) : hd_sprintf(c->a, "'%s'", key);
        const char *best = NULL; /* distances only for an unknown key */
        size_t best_d = (size_t)-1;
        for (const char *const *k = allowed; *k; k++) {
            size_t dist = hd_edit_distance(key, *k);
            if (dist < best_d) best_d = dist, best = *k;
        }
        if (best && best_d <= 2) {
            err(c, p->key_pos, "unknown key %s (did you mean '%s'?)", shown, best);
            continue;
        }
        char list[512];
        size_t len = 0;
        list[0] = '\0';
        for (const char *const *k = allowed; *k && len < sizeof list; k++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k == allowed ? "" : ", ", *k);
        err(c, p->key_pos, "unknown key %s (allowed keys: %s)", shown, list);
    }
}

static void check_keys(ctx *c, const hd_ynode *map, const char *const *allowed) {
    check_keys_except(c, map, allowed, NULL);
}

/* Flags for the getters. */
enum {
    OPT = 0,
    REQ = 1,      /* missing is an error */
    EMPTY_OK = 2, /* "" is a valid value */
    ONE_LINE = 4, /* no line breaks */
    FLOW = 8,     /* text drawn on the page, as one run: tabs and line breaks are spaces */
    LINES = 16    /* text drawn on the page line by line (a YAML block, `|`): as FLOW, but
                     each line break is one '\n' (blank lines and white space around a
                     break dropped) */
};

/* The value of key, or NULL; a missing required key is reported at the map. */
static const hd_ynode *field(ctx *c, const hd_ynode *map, const char *key, int flags) {
    const hd_ynode *v = hd_ymap_get(map, key);
    if (!v && (flags & REQ)) err(c, map->pos, "missing required key '%s'", key);
    return v;
}

static void type_error(ctx *c, const hd_ynode *v, const char *key, const char *what, const char *example) {
    if (hd_ynode_is_null(v))
        err(c, v->pos, "'%s' is empty; write %s, like %s", key, what, example);
    else
        err(c, v->pos, "'%s' must be %s, like %s", key, what, example);
}

/* A plain value wrapped in curly quotes (“...”, ‘...’), which YAML does
 * not read as quotes: the length of the opening one, else 0. */
static size_t curly_wrapped(const hd_ynode *v) {
    static const char *const open[] = {"\xE2\x80\x9C", "\xE2\x80\x98"}, *const close[] = {"\xE2\x80\x9D", "\xE2\x80\x99", "\xE2\x80\x9C"};
    if (v->kind != HD_YSCALAR || v->style != HD_YPLAIN || v->len < 6) return 0;
    int o = 0, e = 0;
    for (size_t i = 0; i < 2; i++) o |= memcmp(v->str, open[i], 3) == 0;
    for (size_t i = 0; i < 3; i++) e |= memcmp(v->str + v->len - 3, close[i], 3) == 0;
    return o && e ? 3 : 0;
}

static const char CURLY[] = "curly quotes \xE2\x80\x9C \xE2\x80\x9D";

/* A scalar that is not null: the base of every typed getter. */
static const hd_ynode *scalar(ctx *c, const hd_ynode *map, const char *key, int flags, const char *what,
                              const char *example) {
    const hd_ynode *v = field(c, map, key, flags);
    if (!v) return NULL;
    if (v->kind != HD_YSCALAR || hd_ynode_is_null(v)) {
        type_error(c, v, key, what, example);
        return NULL;
    }
    if (curly_wrapped(v)) {
        err(c, v->pos, "'%s' is written in %s, which YAML does not read as quotes: leave them out, like %s: %.*s", key,
            CURLY, key, (int)(v->len - 6), v->str + 3);
        return NULL;
    }
    return v;
}

static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Text that is printed (or read out: alt text): FLOW, or allowed to run
 * over lines. ONE_LINE without FLOW is a file name, address or hash. */
static int printed(int flags) {
    return (flags & FLOW) || !(flags & ONE_LINE);
}

/* At most 40 characters of s, with "..." when cut, for quoting in messages. */
static const char *excerpt(ctx *c, const char *s) {
    size_t n = 0, chars = 0;
    while (s[n] && chars < 40) {
        n++;
        while (((unsigned char)s[n] & 0xC0) == 0x80) n++;
        chars++;
    }
    return s[n] ? hd_sprintf(c->a, "%.*s...", (int)n, s) : s;
}

/* "## Heading" (two to six '#', then a space or nothing): a Markdown
 * heading below the first level, not what anyone writes as a YAML comment. */
static int is_heading(const char *s) {
    size_t n = strspn(s, "#");
    return n >= 2 && n <= 6 && (s[n] == ' ' || s[n] == 0);
}

static int get_text(ctx *c, const hd_ynode *map, const char *key, int flags, const char **out, hd_pos *pos) {
    const hd_ynode *v = field(c, map, key, flags);
    if (!v) return 0;
    if (v->kind != HD_YSCALAR) {
        err(c, v->pos, "'%s' must be text, not %s", key, hd_ynode_what(v));
        return 0;
    }
    if (printed(flags) && v->style == HD_YPLAIN && v->comment_after.line) {
        if (hd_ynode_is_null(v)) {
            /* key: #2 what to expect */
            err(c, v->comment_after, "'%s' is empty because the text after '#' is read as a comment: put the whole value "
                "in quotes, like %s: %s", key, key, hd_yaml_quote(c->a, v->comment, strlen(v->comment)));
            return 0;
        }
        /* only 'Ketamine infusions #2': two or more blanks (or a tab)
         * before '#' mark a comment, like 'What to expect   # optional' */
        if (v->comment_slip)
            hd_warn(c->d, v->comment_after, "the text after '#' is read as a comment and is not printed: put the whole "
                    "value of '%s' in quotes if it belongs to it", key);
    }
    if (printed(flags) && (v->style == HD_YLITERAL || v->style == HD_YFOLDED) && v->comment_after.line &&
        (v->comment_slip || is_heading(v->comment)))
        /* 'alt: > #2 ...': blanks before one '#' are a comment on purpose */
        hd_warn(c->d, v->comment_after, "the text after '%c' on the same line is a YAML comment and is not printed: if "
                "it belongs to '%s', put '%s' on the next line, indented", v->style == HD_YLITERAL ? '|' : '>', key,
                excerpt(c, v->comment));
    if (printed(flags) && curly_wrapped(v))
        hd_warn(c->d, v->pos, "'%s' is in %s, which are printed as they are: if they are meant as quotes around the "
                "value, replace them with straight quotes \" \"", key, CURLY);
    if (printed(flags) && v->style == HD_YPLAIN && v->comment_before.line && !hd_ynode_is_null(v))
        hd_warn(c->d, v->comment_before, "this line starting with '#' is read as a comment and is not printed: if it "
                "belongs to '%s', write '%s: |' and put the text on the lines below it, indented", key, key);
    if ((hd_ynode_is_null(v) || v->len == 0) && !(flags & EMPTY_OK)) {
        if (flags & REQ)
            err(c, v->pos, "'%s' is empty; it needs a value", key);
        else
            err(c, v->pos, "'%s' is empty; write a value or remove the line", key);
        return 0;
    }
    if ((flags & ONE_LINE) && strchr(v->str, '\n')) {
        err(c, v->pos, "'%s' must be one line of text", key);
        return 0;
    }
    *out = hd_ynode_is_null(v) ? "" : v->str;
    if (flags & (FLOW | LINES)) {
        /* drawn as one run of text: each run of white space with a tab or
         * line break in it (a YAML block keeps them) is one space, and
         * white space at the end is dropped (no font draws tabs or breaks:
         * they showed as gaps); with LINES, a run with a line break in it
         * is one line break (none at the start) */
        const char *in = *out;
        char *s = hd_alloc(c->a, strlen(in) + 1), *o = s;
        for (const char *q = in; *q;) {
            if (!strchr(" \t\n\r", *q)) {
                *o++ = *q++;
                continue;
            }
            const char *r = q;
            int brk = 0, nl = 0;
            for (; *r && strchr(" \t\n\r", *r); r++) brk |= *r != ' ', nl |= *r == '\n' || *r == '\r';
            if (!*r) break;
            if ((flags & LINES) && nl) {
                if (o > s) *o++ = '\n';
            } else if (brk) {
                *o++ = ' ';
            } else {
                memcpy(o, q, (size_t)(r - q));
                o += r - q;
            }
            q = r;
        }
        *o = 0;
        *out = s;
        if (!*s && !(flags & EMPTY_OK)) {
            err(c, v->pos, "'%s' holds only spaces, tabs or line breaks; it needs a value", key);
            return 0;
        }
    }
    /* where the text starts: after a quote; a block's '|' or '>' (see
     * offset_base for a place to count characters from) */
    if (pos) *pos = v->style == HD_YQUOTED ? v->text_pos : v->pos;
    return 1;
}

/* The place to add a character's offset in text (key's value in map, as
 * get_text gave it) to, to report that character (one no font has, say):
 * the text's first character when the text is its source character for
 * character (one line, no escape or '' in quotes, nothing collapsed);
 * else the line the text starts on, with no column, as a column added up
 * from the text would be wrong. at: get_text's place, kept when the value
 * is not found. */
static hd_pos offset_base(const hd_ynode *map, const char *key, const char *text, hd_pos at) {
    const hd_ynode *v = map && map->kind == HD_YMAP ? hd_ymap_get(map, key) : NULL;
    if (!v || v->kind != HD_YSCALAR || !text) return at;
    int exact = (v->style == HD_YPLAIN || v->style == HD_YQUOTED) && v->text_pos.line == v->end_pos.line &&
                !strcmp(text, v->str) &&
                (size_t)(v->end_pos.col - v->text_pos.col - (v->style == HD_YQUOTED)) == utf8_chars(v->str);
    return exact ? v->text_pos : hd_pos_at(v->text_pos.file, v->text_pos.line, 0);
}

static int name_ok(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > NAME_MAX_LEN) return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch == '-' && i > 0);
        if (!ok) return 0;
    }
    return 1;
}

static const char NAME_RULE[] = "lowercase letters, digits and hyphens (at most 64, not starting with a hyphen)";

/* A name that becomes part of a file name: [a-z0-9][a-z0-9-]*, <= 64. */
static int get_name(ctx *c, const hd_ynode *map, const char *key, int flags, const char *example, const char **out,
                    hd_pos *pos) {
    const hd_ynode *v = scalar(c, map, key, flags, "a name", example);
    if (!v) return 0;
    if (!name_ok(v->str)) {
        err(c, v->pos, "'%s' must use only %s, like %s", key, NAME_RULE, example);
        return 0;
    }
    *out = v->str;
    if (pos) *pos = v->pos;
    return 1;
}

/* One of a fixed set of words. */
static int get_choice(ctx *c, const hd_ynode *map, const char *key, int flags, const char *const *choices,
                      const char *said, const char **out, hd_pos *pos) {
    const hd_ynode *v = scalar(c, map, key, flags, said, choices[0]);
    if (!v) return 0;
    for (const char *const *k = choices; *k; k++) {
        if (strcmp(*k, v->str) == 0) {
            *out = *k;
            if (pos) *pos = v->pos;
            return 1;
        }
    }
    err(c, v->pos, "'%s' must be %s, not '%s'", key, said, v->str);
    return 0;
}

static int get_number(ctx *c, const hd_ynode *map, const char *key, int flags, const char *example, double *out) {
    const hd_ynode *v = scalar(c, map, key, flags, "a number", example);
    if (!v) return 0;
    if (v->style != HD_YPLAIN || !hd_number_parse(v->str, out)) {
        type_error(c, v, key, "a number", example);
        return 0;
    }
    return 1;
}

static int get_int(ctx *c, const hd_ynode *map, const char *key, int flags, const char *example, int *out,
                   hd_pos *pos) {
    double x;
    const hd_ynode *v = scalar(c, map, key, flags, "a whole number", example);
    if (!v) return 0;
    if (v->style != HD_YPLAIN || !hd_number_parse(v->str, &x) || x != floor(x) || fabs(x) > 1e9) {
        type_error(c, v, key, "a whole number", example);
        return 0;
    }
    *out = (int)x;
    if (pos) *pos = v->pos;
    return 1;
}

static int get_bool(ctx *c, const hd_ynode *map, const char *key, int flags, int *out) {
    const hd_ynode *v = scalar(c, map, key, flags, "true or false", "true");
    if (!v) return 0;
    if (v->style == HD_YPLAIN && strcmp(v->str, "true") == 0)
        *out = 1;
    else if (v->style == HD_YPLAIN && strcmp(v->str, "false") == 0)
        *out = 0;
    else if (v->style == HD_YQUOTED && (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0)) {
        err(c, v->pos, "'%s' must be true or false without quotes (in quotes it is text): write %s: %s", key, key, v->str);
        return 0;
    } else {
        err(c, v->pos, "'%s' must be true or false, not '%s'", key, v->str);
        return 0;
    }
    return 1;
}

static const char *const MONTH_NAMES[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};

static int get_date(ctx *c, const hd_ynode *map, const char *key, int flags, hd_date *out, hd_pos *pos) {
    const hd_ynode *v = scalar(c, map, key, flags, "a date written YYYY-MM-DD", "2026-10-15");
    if (!v) return 0;
    hd_date dt = {0, 0, 0};
    switch (hd_date_parse(v->str, &dt)) {
    case HD_DATE_OK:
        *out = dt;
        if (pos) *pos = v->pos;
        return 1;
    case HD_DATE_MONTH:
        err(c, v->pos, "'%s' %s has no month %.2s; months go from 01 to 12", key, v->str, v->str + 5);
        return 0;
    case HD_DATE_DAY: {
        int y = atoi(v->str), m = atoi(v->str + 5);
        err(c, v->pos, "'%s' %s is not a real date: %s %d has %d days", key, v->str, MONTH_NAMES[m - 1], y,
            hd_days_in_month(y, m));
        return 0;
    }
    default:
        type_error(c, v, key, "a date written YYYY-MM-DD", "2026-10-15");
        return 0;
    }
}

static int get_length(ctx *c, const hd_ynode *map, const char *key, int flags, double *out, hd_pos *pos) {
    static const char what[] = "a length in pt, in, mm or cm";
    const hd_ynode *v = scalar(c, map, key, flags, what, "13pt, 0.75in, 19mm or 1.9cm");
    if (!v) return 0;
    if (!hd_length_parse(v->str, out)) {
        type_error(c, v, key, what, "13pt, 0.75in, 19mm or 1.9cm");
        return 0;
    }
    if (pos) *pos = v->pos;
    return 1;
}

static int get_colour(ctx *c, const hd_ynode *map, const char *key, int flags, hd_rgb *out, const hd_ynode **node) {
    const hd_ynode *v = field(c, map, key, flags);
    if (!v) return 0;
    if (hd_ynode_is_null(v) && v->comment_after.line && hd_colour_parse(v->comment, out)) {
        err(c, v->comment_after, "'%s' is empty because # starts a comment: a colour must be in quotes, like %s: \"%s\"",
            key, key, v->comment);
        return 0;
    }
    if (hd_ynode_is_null(v)) {
        err(c, v->pos, "'%s' is empty; write the colour in quotes, like \"#1a1a1a\" (without quotes, # starts a comment)",
            key);
        return 0;
    }
    if (curly_wrapped(v)) {
        err(c, v->pos, "'%s' is written in %s, which YAML does not read as quotes: replace them with straight quotes "
            "\" \", like %s: \"%.*s\"", key, CURLY, key, (int)(v->len - 6), v->str + 3);
        return 0;
    }
    if (v->kind != HD_YSCALAR || !hd_colour_parse(v->str, out)) {
        err(c, v->pos, "'%s' must be a colour written \"#rrggbb\", like \"#1a1a1a\"", key);
        return 0;
    }
    if (node) *node = v;
    return 1;
}

static const hd_ynode *get_map(ctx *c, const hd_ynode *map, const char *key, int flags, const char *example,
                               const char *const *allowed) {
    const hd_ynode *v = field(c, map, key, flags);
    if (!v) return NULL;
    if (v->kind != HD_YMAP) {
        type_error(c, v, key, "a mapping", example);
        return NULL;
    }
    check_keys(c, v, allowed);
    return v;
}

static const hd_ynode *get_list(ctx *c, const hd_ynode *map, const char *key, int flags, const char *what,
                                const char *example) {
    const hd_ynode *v = field(c, map, key, flags);
    if (!v) return NULL;
    if (v->kind != HD_YSEQ) {
        type_error(c, v, key, what, example);
        return NULL;
    }
    return v;
}

/* A list of texts (or, with names != 0, of file-name-safe names). Items
 * that are bad are reported and skipped. */
static int get_words(ctx *c, const hd_ynode *map, const char *key, int flags, int names, const char *what,
                     const char *example, const char ***out, hd_pos **pos, size_t *n) {
    const hd_ynode *v = get_list(c, map, key, flags, what, example);
    *out = NULL;
    *n = 0;
    if (pos) *pos = NULL;
    if (!v) return 0;
    *out = hd_allocn(c->a, v->nitems, sizeof **out);
    if (pos) *pos = hd_allocn(c->a, v->nitems, sizeof **pos);
    int ok = 1;
    for (size_t i = 0; i < v->nitems; i++) {
        const hd_ynode *it = v->items[i];
        if (it->kind != HD_YSCALAR || hd_ynode_is_null(it) || it->len == 0 || (names && !name_ok(it->str))) {
            if (names && it->kind == HD_YSCALAR && !hd_ynode_is_null(it))
                err(c, it->pos, "'%s' is not a valid name in '%s'; use only %s", it->str, key, NAME_RULE);
            else
                type_error(c, it, key, what, example);
            ok = 0;
            continue;
        }
        if (pos) (*pos)[*n] = it->pos;
        (*out)[(*n)++] = it->str;
    }
    return ok;
}

/* Each name at most once in a list of names. */
static void check_unique(ctx *c, const char *key, const char **v, const hd_pos *pos, size_t n) {
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(v[i], v[j]) == 0) {
                err(c, pos[i], "'%s' is listed twice in '%s' (first at line %d); remove one", v[i], key, pos[j].line);
                break;
            }
}

static int url_ok(const char *s) {
    return (strncmp(s, "https://", 8) == 0 && s[8]) || (strncmp(s, "http://", 7) == 0 && s[7]);
}

static int get_url(ctx *c, const hd_ynode *map, const char *key, const char **out, hd_pos *at) {
    hd_pos pos;
    if (!get_text(c, map, key, ONE_LINE, out, &pos)) return 0;
    if (at) *at = pos;
    int ctl = 0; /* a control character (a stray \r) would end up in links and QR codes */
    for (const unsigned char *u = (const unsigned char *)*out; *u; u++) ctl |= *u < 0x21 || *u == 0x7F;
    if (!url_ok(*out) || ctl || strpbrk(*out, " \t\"<>")) {
        err(c, pos, "'%s' must be a web address starting with https:// or http://, like https://example.org/page", key);
        *out = NULL;
        return 0;
    }
    return 1;
}

/* ---- files ---- */

/* The root of a YAML file: it must be a mapping. */
static const hd_ynode *load_root(ctx *c, const char *path, const char *what, hd_pos ref) {
    hd_ynode *root = NULL;
    hd_status s = hd_yaml_load(c->a, c->d, path, what, ref, &root);
    note_status(c, s);
    if (s != HD_OK) return NULL;
    if (root->kind != HD_YMAP) {
        err(c, root->pos, "the file must be a mapping of keys and values, like 'title: ...', not %s", hd_ynode_what(root));
        return NULL;
    }
    return root;
}

static int cmp_str(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* "a, b, c": the *.yaml names in dir, sorted (up to 30). */
static const char *list_available(ctx *c, const char *dir) {
    const char *names[30];
    size_t n = 0;
    DIR *dh = opendir(dir);
    if (dh) {
        struct dirent *e;
        while ((e = readdir(dh)) && n < 30) {
            size_t len = strlen(e->d_name);
            if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0) continue;
            char *stem = hd_strndup(c->a, e->d_name, len - 5);
            if (name_ok(stem)) names[n++] = stem;
        }
        closedir(dh);
    }
    if (n == 0) return "none";
    qsort(names, n, sizeof names[0], cmp_str);
    char *out = "";
    for (size_t i = 0; i < n; i++) out = hd_sprintf(c->a, "%s%s%s", out, i ? ", " : "", names[i]);
    return out;
}

/* dir/<name>.yaml for a named file (template, clinic, topic, safety text),
 * with the name checked so it cannot leave dir. NULL after an error. */
static const char *named_file(ctx *c, const char *kind, const char *dir, const char *name, hd_pos ref) {
    if (!name || !*name) {
        err(c, ref, "no %s given", kind);
        return NULL;
    }
    if (!name_ok(name)) {
        err(c, ref, "%s name '%s' must use only %s", kind, name, NAME_RULE);
        return NULL;
    }
    const char *path = hd_sprintf(c->a, "%s/%s.yaml", dir, name);
    struct stat st;
    if (stat(path, &st) != 0) {
        err(c, ref, "%s '%s' not found (%s does not exist; available: %s)", kind, name, path, list_available(c, dir));
        return NULL;
    }
    return path;
}

/* `id:` in a named file must be the file's name. */
static void check_id_matches(ctx *c, const hd_ynode *root, const char *name, const char **id) {
    hd_pos pos;
    if (!get_name(c, root, "id", REQ, name, id, &pos)) return;
    if (strcmp(*id, name) != 0) {
        /* the file's own name ("x.es.yaml" for a translation) */
        const char *slash = c->file ? strrchr(c->file, '/') : NULL;
        const char *file = slash ? slash + 1 : c->file;
        int translation = file && strcmp(file, hd_sprintf(c->a, "%s.yaml", name)) != 0;
        err(c, pos, "'id' is '%s' but the file is %s; they must be the same (%s)", *id,
            file ? file : hd_sprintf(c->a, "%s.yaml", name),
            translation ? hd_sprintf(c->a, "a translation keeps the id of the text it translates: write id: %s", name)
                        : hd_sprintf(c->a, "change 'id' to %s, or rename the file", name));
    }
}

/* ---- paper ---- */

int hd_paper_size(const char *name, double *w, double *h) {
    if (!name) return 0;
    if (strcmp(name, "letter") == 0) {
        *w = 612.0;
        *h = 792.0;
        return 1;
    }
    if (strcmp(name, "a4") == 0) {
        *w = 595.276;
        *h = 841.89;
        return 1;
    }
    return 0;
}

static const char *const PAPERS[] = {"letter", "a4", NULL};
static const char *const LANGUAGES[] = {"en", "es", NULL};

/* ---- contrast ---- */

static const hd_rgb WHITE = {1, 1, 1};

static const hd_rgb CODE_BG = {HD_CODE_BACKGROUND, HD_CODE_BACKGROUND, HD_CODE_BACKGROUND};

/* A background text is drawn on, and how a message names it. */
typedef struct {
    hd_rgb rgb;
    const char *name;
} backdrop;

/* A contrast ratio as shown: rounded, except that a failing ratio is never
 * shown as 4.50. */
static double shown_ratio(double ratio) {
    double shown = round(ratio * 100) / 100;
    return shown >= MIN_TEXT_CONTRAST ? floor(ratio * 100) / 100 : shown;
}

/* Text in colour `fg` (written `written`, set at `at`) needs 4.5:1 against
 * every background it is drawn on: one error naming each pair that fails,
 * with a darker colour that passes them all. */
static void check_contrast_on(ctx *c, hd_pos at, const char *written, const char *key, hd_rgb fg, const backdrop *bgs,
                              size_t n) {
    char *pairs = NULL;
    size_t nfail = 0;
    hd_rgb better = fg;
    double better_lum = HUGE_VAL;
    static const hd_rgb BLACK = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        double ratio = hd_contrast_ratio(fg, bgs[i].rgb);
        if (ratio >= MIN_TEXT_CONTRAST) continue;
        int last = 1; /* is another pair failing after this one? */
        for (size_t j = i + 1; j < n; j++) last &= hd_contrast_ratio(fg, bgs[j].rgb) >= MIN_TEXT_CONTRAST;
        pairs = hd_sprintf(c->a, "%s%s%.2f:1 against %s", pairs ? pairs : "", !nfail ? "" : last ? " and " : ", ",
                           shown_ratio(ratio), bgs[i].name);
        nfail++;
        /* the darkest of the colours that pass each background passes all
         * the light ones */
        hd_rgb d = hd_colour_darken_to(fg, bgs[i].rgb, MIN_TEXT_CONTRAST);
        double lum = hd_contrast_ratio(d, BLACK);
        if (lum < better_lum) better_lum = lum, better = d;
    }
    if (!nfail) return;
    char hex[8];
    hd_colour_format(better, hex);
    err(c, at, "colour '%s' for '%s' has contrast %s; text needs at least 4.5:1 (try a darker colour such as '%s')",
        written, key, pairs, hex);
}

static void check_contrast(ctx *c, const hd_ynode *v, const char *key, hd_rgb fg, hd_rgb bg, const char *bg_name) {
    backdrop b = {bg, bg_name};
    check_contrast_on(c, v->pos, v->str, key, fg, &b, 1);
}

/* ---- figures ---- */

typedef struct {
    double lo, hi;
    const char *from, *to; /* as written */
    int ok;
} axis_t;

/* A duration or range; single != 0 refuses a range. */
static int get_duration(ctx *c, const hd_ynode *map, const char *key, int flags, int single, double *lo, double *hi,
                        const hd_ynode **node) {
    const hd_ynode *v = scalar(c, map, key, flags, "a time", single ? "10 minutes" : "4-6 weeks");
    if (!v) return 0;
    char why[256];
    if (!hd_duration_parse(v->str, lo, hi, why, sizeof why)) {
        err(c, v->pos, "'%s': %s", key, why);
        return 0;
    }
    if (single && *lo != *hi) {
        err(c, v->pos, "'%s' must be one time, like 10 minutes, not a range", key);
        return 0;
    }
    if (node) *node = v;
    return 1;
}

static void check_in_axis(ctx *c, const axis_t *ax, const char *key, const hd_ynode *v, double lo, double hi) {
    if (!ax->ok) return;
    if (lo < ax->lo * (1 - 1e-9) || hi > ax->hi * (1 + 1e-9))
        err(c, v->pos, "'%s' %s is outside the axis (%s to %s); widen 'axis' or fix the value", key, v->str, ax->from,
            ax->to);
}

static void check_label(ctx *c, const char *what, const char *label, hd_pos pos) {
    size_t chars = 0;
    for (const char *s = label; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) chars++;
    if (chars > LABEL_MAX_CHARS)
        err(c, pos, "%s label is %zu characters long; keep it under %d so it fits the figure", what, chars,
            LABEL_MAX_CHARS);
}

static int get_label(ctx *c, const hd_ynode *map, const char *what, const char **out) {
    hd_pos pos;
    if (!get_text(c, map, "label", REQ | ONE_LINE | FLOW, out, &pos)) return 0;
    check_label(c, what, *out, pos);
    return 1;
}

static void load_axis(ctx *c, const hd_ynode *fig, axis_t *ax) {
    static const char *const keys[] = {"from", "to", NULL};
    ax->ok = 0;
    const hd_ynode *m = get_map(c, fig, "axis", REQ, "{ from: 1 minute, to: 1 year }", keys);
    if (!m) return;
    const hd_ynode *from = NULL, *to = NULL;
    double x;
    int a = get_duration(c, m, "from", REQ, 1, &ax->lo, &x, &from);
    int b = get_duration(c, m, "to", REQ, 1, &ax->hi, &x, &to);
    if (!a || !b) return;
    ax->from = from->str;
    ax->to = to->str;
    if (ax->lo >= ax->hi) {
        err(c, from->pos, "the axis must start before it ends: 'from' (%s) is not shorter than 'to' (%s)", from->str,
            to->str);
        return;
    }
    ax->ok = 1;
}

static const hd_ynode *item_map(ctx *c, const hd_ynode *it, const char *what, const char *example) {
    if (it->kind == HD_YMAP) return it;
    err(c, it->pos, "each %s must be a mapping, like %s, not %s", what, example, hd_ynode_what(it));
    return NULL;
}

static void load_phases(ctx *c, const hd_ynode *fig, const axis_t *ax, hd_figure *f) {
    static const char *const keys[] = {"label", "from", "to", NULL};
    static const char ex[] = "{ label: Chemical effects, from: 1 minute, to: 2 weeks }";
    const hd_ynode *list = get_list(c, fig, "phases", OPT, "a list of phases", "[{ label: Early, from: 1 minute, to: 2 weeks }]");
    if (!list) return;
    f->phases = hd_allocn(c->a, list->nitems, sizeof *f->phases);
    for (size_t i = 0; i < list->nitems; i++) {
        const hd_ynode *m = item_map(c, list->items[i], "phase", ex);
        if (!m) continue;
        check_keys(c, m, keys);
        hd_phase *ph = &f->phases[f->nphases];
        const hd_ynode *from = NULL, *to = NULL;
        double x;
        int ok = get_label(c, m, "phase", &ph->label);
        int a = get_duration(c, m, "from", REQ, 1, &ph->lo, &x, &from);
        int b = get_duration(c, m, "to", REQ, 1, &ph->hi, &x, &to);
        if (a) check_in_axis(c, ax, "from", from, ph->lo, ph->lo);
        if (b) check_in_axis(c, ax, "to", to, ph->hi, ph->hi);
        if (a && b && ph->hi < ph->lo)
            err(c, to->pos, "the phase ends before it starts: 'to' (%s) is shorter than 'from' (%s)", to->str, from->str);
        if (ok && a && b) {
            ph->pos = m->pos;
            f->nphases++;
        }
    }
}

static void load_lane(ctx *c, const hd_ynode *m, const axis_t *ax, hd_lane *ln) {
    static const char *const keys[] = {"label", "onset", "typical", "up-to", "note", NULL};
    check_keys(c, m, keys);
    const hd_ynode *v;
    double x;
    ln->pos = m->pos;
    ln->onset = -1;
    ln->upto = -1;
    get_label(c, m, "lane", &ln->label);
    get_text(c, m, "note", ONE_LINE | FLOW, &ln->note, NULL);
    if (get_duration(c, m, "onset", OPT, 1, &ln->onset, &x, &v)) check_in_axis(c, ax, "onset", v, ln->onset, ln->onset);
    int typ = get_duration(c, m, "typical", REQ, 0, &ln->typ_lo, &ln->typ_hi, &v);
    if (typ) check_in_axis(c, ax, "typical", v, ln->typ_lo, ln->typ_hi);
    if (typ && ln->typ_lo == ln->typ_hi) {
        char one[64];
        hd_duration_format(ln->typ_lo, one, sizeof one);
        err(c, v->pos, "'typical' %s is a single time, not a range: its bar would be an almost invisible tick; write "
            "how long relief usually lasts as a range, like 2-6 weeks, or show one point in time under 'markers' "
            "(- { label: ..., at: %s })", v->str, one);
        typ = 0;
    }
    if (get_duration(c, m, "up-to", OPT, 1, &ln->upto, &x, &v)) {
        check_in_axis(c, ax, "up-to", v, ln->upto, ln->upto);
        if (typ && ln->upto < ln->typ_hi) {
            char end[64];
            hd_duration_format(ln->typ_hi, end, sizeof end);
            err(c, v->pos, "'up-to' %s is shorter than the end of 'typical' (%s); make it at least as long, or remove it",
                v->str, end);
        }
    }
}

static void load_lanes(ctx *c, const hd_ynode *fig, const axis_t *ax, hd_figure *f) {
    const hd_ynode *list = get_list(c, fig, "lanes", REQ, "a list of lanes", "[{ label: One infusion, typical: 2-6 weeks }]");
    if (!list) return;
    if (list->nitems == 0) {
        err(c, list->pos, "a figure needs at least one lane");
        return;
    }
    if (list->nitems > MAX_LANES)
        err(c, list->items[MAX_LANES]->pos, "a figure can have at most %d lanes, this one has %zu; split it into two figures",
            MAX_LANES, list->nitems);
    f->lanes = hd_allocn(c->a, list->nitems, sizeof *f->lanes);
    for (size_t i = 0; i < list->nitems; i++) {
        const hd_ynode *m = item_map(c, list->items[i], "lane", "'- label: One infusion'");
        if (!m) continue;
        hd_lane *ln = &f->lanes[f->nlanes++];
        load_lane(c, m, ax, ln);
        for (size_t k = 0; ln->label && k + 1 < f->nlanes; k++) /* a lane copied and not changed */
            if (hd_same_lane_label(&f->lanes[k], ln)) {
                err(c, hd_ymap_get(m, "label")->pos,
                    "two lanes are labelled '%s'%s (the first at line %d); give each lane its own label or note, or "
                    "remove the copy", ln->label, ln->note ? " with the same note" : "", f->lanes[k].pos.line);
                break;
            }
    }
}

static void load_markers(ctx *c, const hd_ynode *fig, const axis_t *ax, hd_figure *f) {
    static const char *const keys[] = {"label", "at", NULL};
    static const char ex[] = "{ label: Retreatment, at: 4-6 weeks }";
    const hd_ynode *list = get_list(c, fig, "markers", OPT, "a list of markers", "[{ label: Retreatment, at: 4-6 weeks }]");
    if (!list) return;
    f->markers = hd_allocn(c->a, list->nitems, sizeof *f->markers);
    for (size_t i = 0; i < list->nitems; i++) {
        const hd_ynode *m = item_map(c, list->items[i], "marker", ex);
        if (!m) continue;
        check_keys(c, m, keys);
        hd_marker *mk = &f->markers[f->nmarkers];
        const hd_ynode *v;
        int ok = get_label(c, m, "marker", &mk->label);
        if (get_duration(c, m, "at", REQ, 0, &mk->lo, &mk->hi, &v)) {
            check_in_axis(c, ax, "at", v, mk->lo, mk->hi);
            if (ok) {
                mk->pos = m->pos;
                f->nmarkers++;
            }
        }
    }
}

/* A figure mapping, from its own file or inline in a spec. */
static hd_figure *load_figure(ctx *c, const hd_ynode *m) {
    static const char *const keys[] = {"title", "alt", "caption", "source", "axis", "phases", "lanes", "markers", NULL};
    hd_figure *f = hd_alloc(c->a, sizeof *f);
    f->pos = m->pos;
    check_keys(c, m, keys);
    get_text(c, m, "title", REQ | ONE_LINE | FLOW, &f->title, NULL);
    get_text(c, m, "alt", REQ, &f->alt, NULL);
    get_text(c, m, "caption", OPT | FLOW, &f->caption, NULL);
    get_text(c, m, "source", OPT | FLOW, &f->source, NULL);
    axis_t ax;
    load_axis(c, m, &ax);
    f->axis_lo = ax.ok ? ax.lo : 1;
    f->axis_hi = ax.ok ? ax.hi : HD_YEAR;
    load_phases(c, m, &ax, f);
    load_lanes(c, m, &ax, f);
    load_markers(c, m, &ax, f);
    return f;
}

/* Only blank lines and comments: libyaml sees no document. */
static int yaml_blank(const char *s) {
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
        if (*s != '#') return *s == 0;
        while (*s && *s != '\n') s++;
    }
}

static const char FIGURE_HOLDS[] = "a mapping with 'title', 'alt', 'axis' and 'lanes', like 'title: How long relief "
                                   "lasts' (see docs/spec.md)";

hd_status hd_figure_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *path, hd_pos ref,
                         hd_figure **out) {
    ctx c;
    ctx_init(&c, a, d, p, path);
    *out = NULL;
    char *text;
    size_t len;
    note_status(&c, hd_read_file(a, d, path, HD_MAX_SPEC_BYTES, 1, "figure file", ref, &text, &len));
    if (c.status != HD_OK) return c.status;
    if (yaml_blank(text)) {
        err(&c, hd_pos_at(path, 1, 1), "the figure file is empty: it must hold %s", FIGURE_HOLDS);
        return c.status;
    }
    hd_ynode *root = NULL;
    note_status(&c, hd_yaml_parse(a, d, path, text, len, &root));
    if (c.status != HD_OK) return c.status;
    if (root->kind != HD_YMAP) {
        err(&c, root->pos, "a figure file must hold %s, not %s", FIGURE_HOLDS, hd_ynode_what(root));
        return c.status;
    }
    hd_figure *f = load_figure(&c, root);
    if (c.status == HD_OK) *out = f;
    return c.status;
}

/* ---- handout spec ---- */

static void load_sources(ctx *c, const hd_ynode *root, hd_spec *s) {
    static const char *const keys[] = {"text", "url", NULL};
    static const char ex[] = "'- text: \"Author. Title. Journal, 2025.\"'";
    const hd_ynode *list = get_list(c, root, "sources", OPT, "a list of sources", ex);
    if (!list) return;
    s->sources = hd_allocn(c->a, list->nitems, sizeof *s->sources);
    for (size_t i = 0; i < list->nitems; i++) {
        const hd_ynode *m = item_map(c, list->items[i], "source", ex);
        if (!m) continue;
        check_keys(c, m, keys);
        hd_source *src = &s->sources[s->nsources++];
        src->id = hd_sprintf(c->a, "%zu", i + 1);
        src->pos = m->pos;
        get_text(c, m, "text", REQ, &src->text, NULL);
        get_url(c, m, "url", &src->url, NULL);
    }
}

/* Does the path end in one of exts (NULL-terminated; any case)? */
static int has_extension(const char *path, const char *const *exts) {
    size_t n = strlen(path);
    for (const char *const *e = exts; *e; e++) {
        size_t k = strlen(*e);
        if (n > k && strcasecmp(path + n - k, *e) == 0) return 1;
    }
    return 0;
}

static const char *const MARKDOWN_EXTS[] = {".md", ".markdown", NULL};
static const char *const YAML_EXTS[] = {".yaml", ".yml", NULL};

static void section_file(ctx *c, const hd_ynode *v, hd_section *sec) {
    const char *path;
    char *text;
    size_t len;
    hd_status st = hd_resolve(c->a, c->d, c->p, c->file, v->str, v->pos, &path);
    note_status(c, st);
    if (st != HD_OK) return;
    struct stat sb; /* a folder: hd_read_file says so */
    if (!(stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))) {
        if (has_extension(v->str, YAML_EXTS)) {
            err(c, v->pos, "'%s' is a YAML file: a figure goes under 'figure:', not 'file:' (write '- figure: %s')",
                v->str, v->str);
            return;
        }
        if (!has_extension(v->str, MARKDOWN_EXTS)) {
            err(c, v->pos, "'file:' takes a Markdown file, whose name ends in .md, not '%s'; rename the file, or put a "
                "figure under 'figure:'", v->str);
            return;
        }
    }
    st = hd_read_file(c->a, c->d, path, HD_MAX_MARKDOWN_BYTES, 1, "Markdown file", v->pos, &text, &len);
    note_status(c, st);
    if (st != HD_OK) return;
    sec->kind = HD_SEC_MARKDOWN;
    sec->text = text;
    sec->text_len = len;
    sec->file = path;
}

static void section_markdown(ctx *c, const hd_ynode *v, hd_section *sec) {
    sec->kind = HD_SEC_MARKDOWN;
    sec->text = v->str;
    sec->text_len = v->len;
    sec->file = c->file;
    sec->line_offset = v->text_pos.line - 1;
    sec->col_offset = v->text_pos.col - 1;
}

static void section_figure(ctx *c, const hd_ynode *v, hd_section *sec) {
    sec->kind = HD_SEC_FIGURE;
    if (v->kind == HD_YMAP) {
        sec->figure = load_figure(c, v);
        return;
    }
    const char *path;
    hd_status st = hd_resolve(c->a, c->d, c->p, c->file, v->str, v->pos, &path);
    struct stat sb; /* a folder: hd_read_file says so */
    if (st == HD_OK && !(stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))) {
        if (has_extension(v->str, MARKDOWN_EXTS)) {
            err(c, v->pos, "'%s' is a Markdown file: Markdown goes under 'file:', not 'figure:' (write '- file: %s')",
                v->str, v->str);
            return;
        }
        if (!has_extension(v->str, YAML_EXTS)) {
            err(c, v->pos, "'figure:' takes a figure file, whose name ends in .yaml, not '%s'; it holds %s", v->str,
                FIGURE_HOLDS);
            return;
        }
    }
    if (st == HD_OK) st = hd_figure_load(c->a, c->d, c->p, path, v->pos, &sec->figure);
    note_status(c, st);
}

static void load_section(ctx *c, const hd_ynode *it, hd_section *sec) {
    static const char *const keys[] = {"file", "markdown", "figure", NULL};
    static const char ex[] = "'- file: intro.md'";
    sec->pos = it->pos;
    const hd_ynode *m = item_map(c, it, "section", ex);
    if (!m) return;
    check_keys(c, m, keys);
    const hd_ynode *file = hd_ymap_get(m, "file"), *md = hd_ymap_get(m, "markdown"), *fig = hd_ymap_get(m, "figure");
    if (!!file + !!md + !!fig != 1) {
        err(c, m->pos, "a section needs exactly one of 'file', 'markdown' or 'figure'");
        return;
    }
    const char *s;
    if (md && md->kind == HD_YSCALAR && md->style != HD_YLITERAL &&
        !(md->len == 0 && !md->comment_after.line)) {
        /* plain, quoted or folded text loses line breaks, and a plain
         * '## Heading' is a YAML comment */
        const char *why = "";
        if (md->style == HD_YPLAIN && md->comment_after.line)
            why = hd_sprintf(c->a, " ('%s' is read as a YAML comment and left out)", excerpt(c, md->comment));
        else if (md->style == HD_YPLAIN && md->comment_before.line)
            why = hd_sprintf(c->a, " (the line starting with '#' at line %d is read as a YAML comment and left out)",
                             md->comment_before.line);
        else if (md->style == HD_YFOLDED)
            why = " (with '>' its lines are joined into one)";
        else if (md->end_pos.line > md->pos.line)
            why = " (without '|' its lines are joined into one)";
        err(c, hd_ynode_is_null(md) ? md->comment_after : md->pos, "inline Markdown must be a block starting with '|'%s: write 'markdown: |' and put the Markdown on "
            "the lines below it, indented", why);
        return;
    }
    if (md && md->kind == HD_YSCALAR && md->comment_after.line && (md->comment_slip || is_heading(md->comment))) {
        /* 'markdown: | ## What to expect': the heading is a YAML comment.
         * 'markdown: |    # inline' (blanks before one '#') is a comment
         * on purpose, as in docs/spec.md. */
        err(c, md->comment_after, "text after '|' on the same line is a YAML comment and is left out: put '%s' on the "
            "next line, indented", excerpt(c, md->comment));
        return;
    }
    if (file) {
        if (get_text(c, m, "file", REQ | ONE_LINE, &s, NULL)) section_file(c, file, sec);
    } else if (md) {
        if (get_text(c, m, "markdown", REQ, &s, NULL)) section_markdown(c, md, sec);
    } else if (fig->kind == HD_YMAP || get_text(c, m, "figure", REQ | ONE_LINE, &s, NULL)) {
        section_figure(c, fig, sec);
    }
}

static void load_sections(ctx *c, const hd_ynode *root, hd_spec *s) {
    const hd_ynode *list = get_list(c, root, "sections", REQ, "a list of sections", "'- file: intro.md'");
    if (!list) return;
    if (list->nitems == 0) {
        err(c, list->pos, "'sections' is empty; a handout needs at least one section, like '- file: intro.md'");
        return;
    }
    if (list->nitems > HD_MAX_SECTIONS) {
        err(c, list->items[HD_MAX_SECTIONS]->pos,
            "'sections' has %zu items; a handout can have at most %d: split it into several handouts",
            list->nitems, HD_MAX_SECTIONS);
        return;
    }
    s->sections = hd_allocn(c->a, list->nitems, sizeof *s->sections);
    s->nsections = list->nitems;
    size_t total = 0; /* bytes of Markdown, read so far */
    for (size_t i = 0; i < list->nitems; i++) {
        load_section(c, list->items[i], &s->sections[i]);
        if (s->sections[i].kind == HD_SEC_MARKDOWN) total += s->sections[i].text_len;
        if (total > HD_MAX_HANDOUT_MARKDOWN_BYTES) {
            err(c, s->sections[i].pos,
                "the sections up to this one hold %zu bytes of Markdown, more than the %u KiB a handout can "
                "hold: split it into several handouts",
                total, HD_MAX_HANDOUT_MARKDOWN_BYTES >> 10);
            s->nsections = i + 1;
            return;
        }
    }
    /* a section listed twice (copy and paste): a warning, as a handout may
     * mean to repeat itself */
    for (size_t j = 1; j < s->nsections; j++) {
        const hd_section *b = &s->sections[j];
        if (b->kind != HD_SEC_MARKDOWN || !b->text) continue;
        int inline_b = strcmp(b->file, c->file) == 0;
        for (size_t i = 0; i < j; i++) {
            const hd_section *a = &s->sections[i];
            if (a->kind != HD_SEC_MARKDOWN || !a->text || (strcmp(a->file, c->file) == 0) != inline_b) continue;
            if (!inline_b && strcmp(a->file, b->file) == 0) {
                hd_warn(c->d, b->pos, "the file '%s' is listed twice in 'sections' (first at line %d), so it is "
                        "printed twice; remove one", b->file, a->pos.line);
                break;
            }
            if (inline_b && a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0) {
                hd_warn(c->d, b->pos, "this section has the same text as the one at line %d, so it is printed "
                        "twice; remove one", a->pos.line);
                break;
            }
        }
    }
}

/* The PDF is named after the id, so a spec copied without changing its id
 * would overwrite the other handout's PDF: the id must be the file's name
 * (without .yaml), as for clinic profiles. */
static void check_id_is_file_name(ctx *c, const hd_spec *s) {
    const char *base = strrchr(s->path, '/');
    base = base ? base + 1 : s->path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    const char *stem = hd_strndup(c->a, base, n);
    if (strcmp(stem, s->id) == 0) return;
    if (name_ok(stem))
        err(c, s->id_pos,
            "'id' is '%s' but the file is %s; they must be the same (the PDF is named after the id): rename the file to "
            "%s.yaml or change 'id' to %s",
            s->id, base, s->id, stem);
    else
        err(c, s->id_pos, "'id' is '%s' but the file is %s; they must be the same (the PDF is named after the id): "
            "rename the file to %s.yaml", s->id, base, s->id);
}

hd_status hd_spec_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *path, hd_spec *out) {
    static const char *const keys[] = {"id",       "title",     "subtitle", "language", "template", "clinic",
                                       "topic",    "reviewed",  "review-by", "keywords", "sources",  "sections",
                                       NULL};
    /* refused with their own message */
    static const char *const refused[] = {"safety", "safety-text", NULL};
    memset(out, 0, sizeof *out);
    out->path = path;
    ctx c;
    ctx_init(&c, a, d, p, path);
    const hd_ynode *root = load_root(&c, path, "handout spec", hd_pos_at(NULL, 0, 0));
    if (!root) return c.status;
    if (hd_ymap_get(root, "safety") || hd_ymap_get(root, "safety-text")) {
        const hd_ypair *sp = hd_ymap_pair(root, hd_ymap_get(root, "safety") ? "safety" : "safety-text");
        err(&c, sp->key_pos,
            "a handout cannot choose, change or leave out its safety text: it comes from its topic "
            "(templates/topics/) and its clinic; remove '%s'", sp->key);
    }
    check_keys_except(&c, root, keys, refused);
    if (get_name(&c, root, "id", REQ, "ketamine-relief", &out->id, &out->id_pos)) check_id_is_file_name(&c, out);
    if (get_text(&c, root, "title", REQ | ONE_LINE | FLOW, &out->title, &out->title_pos))
        out->title_pos = offset_base(root, "title", out->title, out->title_pos);
    if (out->title && utf8_chars(out->title) > HD_MAX_TITLE)
        err(&c, out->title_pos, "the title is %zu characters long; keep it to %d or fewer so it fits above the safety "
            "information on page 1", utf8_chars(out->title), HD_MAX_TITLE);
    if (get_text(&c, root, "subtitle", ONE_LINE | FLOW, &out->subtitle, &out->subtitle_pos))
        out->subtitle_pos = offset_base(root, "subtitle", out->subtitle, out->subtitle_pos);
    if (out->subtitle && utf8_chars(out->subtitle) > HD_MAX_SUBTITLE)
        err(&c, out->subtitle_pos, "the subtitle is %zu characters long; keep it to %d or fewer", utf8_chars(out->subtitle),
            HD_MAX_SUBTITLE);
    get_choice(&c, root, "language", REQ, LANGUAGES, "en or es", &out->language, &out->language_pos);
    get_name(&c, root, "template", REQ, "standard", &out->template_name, &out->template_pos);
    get_name(&c, root, "clinic", REQ, "riverside", &out->clinic_id, &out->clinic_pos);
    get_name(&c, root, "topic", REQ, "ketamine", &out->topic, &out->topic_pos);
    int r = get_date(&c, root, "reviewed", REQ, &out->reviewed, &out->reviewed_pos);
    int rb = get_date(&c, root, "review-by", REQ, &out->review_by, &out->review_by_pos);
    if (r && rb && hd_date_cmp(out->review_by, out->reviewed) <= 0) {
        char x[11], y[11];
        hd_date_format(out->review_by, x);
        hd_date_format(out->reviewed, y);
        err(&c, out->review_by_pos, "'review-by' (%s) must be after 'reviewed' (%s)", x, y);
    } else if (r && rb && hd_date_cmp(out->review_by, (hd_date){out->reviewed.y + MAX_REVIEW_YEARS, out->reviewed.m,
                                                                out->reviewed.d}) > 0) {
        char x[11], y[11];
        hd_date_format(out->review_by, x);
        hd_date_format(out->reviewed, y);
        hd_warn(d, out->review_by_pos,
                "'review-by' (%s) is more than %d years after 'reviewed' (%s); is the year right? A handout should be "
                "reviewed at least every %d years",
                x, MAX_REVIEW_YEARS, y, MAX_REVIEW_YEARS);
    }
    get_words(&c, root, "keywords", OPT, 0, "a list of words", "[ketamine, pain]", &out->keywords, NULL,
              &out->nkeywords);
    load_sources(&c, root, out);
    load_sections(&c, root, out);
    return c.status;
}

/* ---- page template ---- */

typedef struct {
    hd_rgb rgb;
    const hd_ynode *node; /* NULL: default */
} colour_t;

static void template_margins(ctx *c, const hd_ynode *root, hd_template *t) {
    static const char *const keys[] = {"top", "bottom", "left", "right", NULL};
    const hd_ynode *m = get_map(c, root, "margins", REQ, "{ top: 0.75in, bottom: 0.75in, left: 0.8in, right: 0.8in }", keys);
    if (!m) return;
    t->margins_pos = m->pos;
    double *dst[] = {&t->margin_top, &t->margin_bottom, &t->margin_left, &t->margin_right};
    for (size_t i = 0; i < 4; i++) {
        hd_pos pos;
        if (get_length(c, m, keys[i], REQ, dst[i], &pos) && *dst[i] < 18.0)
            err(c, pos, "margin '%s' is %gpt; margins must be at least 18pt (0.25in) so printers do not cut off text",
                keys[i], *dst[i]);
    }
    /* the text column must stay usable on the narrowest paper (A4 is 595pt
     * wide) and the shortest (Letter is 792pt tall) */
    double w = fmax(0, 595.276 - t->margin_left - t->margin_right), h = fmax(0, 792.0 - t->margin_top - t->margin_bottom);
    if (t->margin_left >= 18.0 && t->margin_right >= 18.0 && w < HD_MIN_TEXT_WIDTH)
        err(c, m->pos, "the left and right margins leave only %.0fpt for text on A4 paper; keep at least %.0fpt (3in)", w,
            HD_MIN_TEXT_WIDTH);
    if (t->margin_top >= 18.0 && t->margin_bottom >= 18.0 && h < HD_MIN_TEXT_HEIGHT)
        err(c, m->pos, "the top and bottom margins leave only %.0fpt for text on Letter paper; keep at least %.0fpt (4in)",
            h, HD_MIN_TEXT_HEIGHT);
}

static void template_headings(ctx *c, const hd_ynode *type, hd_template *t, int have_body) {
    const hd_ynode *list = get_list(c, type, "headings", REQ, "a list of 6 sizes", "[24pt, 19pt, 16pt, 14pt, 13pt, 13pt]");
    if (!list) return;
    if (list->nitems != 6) {
        err(c, list->pos, "'headings' must list 6 sizes (h1 to h6), like [24pt, 19pt, 16pt, 14pt, 13pt, 13pt]; it lists %zu",
            list->nitems);
        return;
    }
    for (size_t i = 0; i < 6; i++) {
        const hd_ynode *it = list->items[i];
        if (it->kind != HD_YSCALAR || !hd_length_parse(it->str, &t->heading_size[i])) {
            type_error(c, it, "headings", "a list of 6 sizes", "[24pt, 19pt, 16pt, 14pt, 13pt, 13pt]");
            continue;
        }
        if (have_body && t->heading_size[i] < t->body_size)
            err(c, it->pos, "heading %zu is %gpt, smaller than the body text (%gpt); headings must be at least as large",
                i + 1, t->heading_size[i], t->body_size);
    }
}

static void template_type(ctx *c, const hd_ynode *root, hd_template *t) {
    static const char *const keys[] = {"body", "line-height", "small", "headings", "paragraph-gap", NULL};
    const hd_ynode *m = get_map(c, root, "type", REQ, "{ body: 13pt, line-height: 1.45, small: 10pt, headings: [...] }", keys);
    if (!m) return;
    hd_pos pos;
    int have_body = get_length(c, m, "body", REQ, &t->body_size, &pos);
    if (have_body && t->body_size < 12.0) {
        err(c, pos, "body text must be at least 12pt so patients can read it (it is %gpt)", t->body_size);
        have_body = 0;
    }
    if (get_number(c, m, "line-height", REQ, "1.4", &t->line_height) && (t->line_height < 1.0 || t->line_height > 2.5))
        err(c, hd_ymap_get(m, "line-height")->pos, "'line-height' is %g; use a value from 1.0 to 2.5 (a multiple of the text size)",
            t->line_height);
    if (get_length(c, m, "small", REQ, &t->small_size, &pos) && t->small_size < 9.0)
        err(c, pos, "small text (header, footer, captions) must be at least 9pt (it is %gpt)", t->small_size);
    template_headings(c, m, t, have_body);
    t->paragraph_gap = t->body_size * 0.6;
    get_length(c, m, "paragraph-gap", OPT, &t->paragraph_gap, NULL);
}

static int get_family(ctx *c, const hd_ynode *map, const char *key, int flags, const char **out, hd_pos *pos) {
    const hd_ynode *v = scalar(c, map, key, flags, "a font family", "noto-sans");
    if (!v) return 0;
    for (const char *s = v->str; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-') || v->len > NAME_MAX_LEN) {
            /* "Liberation Sans" for liberation-sans: lowercased, ' ' and '_' as '-' */
            char *want = hd_strdup(c->a, v->str);
            for (char *w = want; *w; w++)
                *w = *w == ' ' || *w == '_' ? '-' : (*w >= 'A' && *w <= 'Z') ? (char)(*w - 'A' + 'a') : *w;
            struct stat sb;
            const char *dir = v->len <= NAME_MAX_LEN && c->p->fonts ? hd_sprintf(c->a, "%s/%s", c->p->fonts, want) : NULL;
            if (dir && strspn(want, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(want) && stat(dir, &sb) == 0 &&
                S_ISDIR(sb.st_mode))
                err(c, v->pos, "font family '%s' is not the name of a folder in fonts/: did you mean '%s'? (names use "
                    "only lowercase letters, digits and hyphens)", v->str, want);
            else
                err(c, v->pos, "font family '%s' must use only lowercase letters, digits and hyphens, like noto-sans (a "
                    "folder in fonts/)", v->str);
            return 0;
        }
    *out = v->str;
    if (pos) *pos = v->pos;
    return 1;
}

static void template_fonts(ctx *c, const hd_ynode *root, hd_template *t) {
    static const char *const keys[] = {"body", "mono", "fallback", NULL};
    t->mono_family = "dejavu-sans-mono";
    t->fallback_family = "dejavu-sans";
    const hd_ynode *m = get_map(c, root, "fonts", REQ, "{ body: noto-sans }", keys);
    if (!m) return;
    get_family(c, m, "body", REQ, &t->font_family, &t->font_pos);
    get_family(c, m, "mono", OPT, &t->mono_family, NULL);
    get_family(c, m, "fallback", OPT, &t->fallback_family, NULL);
}

/* The backgrounds text is drawn on (layout.c): the page, the safety box
 * (left out when white), and last the code blocks, which only 'text' is drawn
 * on; 'primary' (headings, links, the clinic's name) is drawn on all but the
 * last. Returns how many. */
static size_t text_backdrops(backdrop *bgs, hd_rgb safety_bg, const char *safety_name) {
    size_t n = 0;
    bgs[n++] = (backdrop){WHITE, "white"};
    if (safety_name && hd_contrast_ratio(safety_bg, WHITE) > 1.0) bgs[n++] = (backdrop){safety_bg, safety_name};
    bgs[n++] = (backdrop){CODE_BG, "the code block background '#f2f2f2'"};
    return n;
}

static void template_colours(ctx *c, const hd_ynode *root, hd_template *t) {
    static const char *const keys[] = {"text", "primary", "accent", "muted", "safety-background", "safety-border", NULL};
    const hd_ynode *m = get_map(c, root, "colours", REQ, "{ text: \"#1a1a1a\", primary: \"#1f4e79\" }", keys);
    if (!m) return;
    const hd_ynode *text = NULL, *primary = NULL, *muted = NULL, *bg = NULL;
    int has_text = get_colour(c, m, "text", REQ, &t->text, &text);
    int has_primary = get_colour(c, m, "primary", REQ, &t->primary, &primary);
    t->accent = t->primary;
    t->muted = t->text;
    t->safety_bg = WHITE;
    t->safety_border = t->primary;
    get_colour(c, m, "accent", OPT, &t->accent, NULL);
    int has_muted = get_colour(c, m, "muted", OPT, &t->muted, &muted);
    int has_bg = get_colour(c, m, "safety-background", OPT, &t->safety_bg, &bg);
    get_colour(c, m, "safety-border", OPT, &t->safety_border, NULL);
    if (has_text || has_primary) {
        const char *bg_name = has_bg ? hd_sprintf(c->a, "the safety background '%s'", bg->str) : NULL;
        backdrop bgs[3];
        size_t n = text_backdrops(bgs, t->safety_bg, bg_name);
        if (has_text) check_contrast_on(c, text->pos, text->str, "text", t->text, bgs, n);
        if (has_primary) check_contrast_on(c, primary->pos, primary->str, "primary", t->primary, bgs, n - 1);
    }
    if (has_muted) check_contrast(c, muted, "muted", t->muted, WHITE, "white"); /* header and footer only */
}

hd_status hd_clinic_check_colours(hd_arena *a, hd_diags *d, const hd_clinic *k, const hd_template *t) {
    ctx c;
    ctx_init(&c, a, d, NULL, k->path);
    char hex[8];
    hd_colour_format(t->safety_bg, hex);
    backdrop bgs[3];
    size_t n = text_backdrops(bgs, t->safety_bg, hd_sprintf(a, "the safety background '%s' of template '%s'", hex, t->name));
    if (k->has_text) check_contrast_on(&c, k->text_pos, k->text_str, "text", k->text, bgs, n);
    if (k->has_primary) check_contrast_on(&c, k->primary_pos, k->primary_str, "primary", k->primary, bgs, n - 1);
    return c.status;
}

static const char *const PLACEHOLDERS[] = {"clinic", "title", "page", "pages", "reviewed", "phone", "clinic-footer", NULL};

/* Placeholders in a template's header or footer slot (where: "header",
 * slot: "left"), or, with where NULL, in a clinic's footer text, which is
 * itself {clinic-footer} and so cannot hold it. */
static void check_placeholders(ctx *c, const char *s, hd_pos pos, const char *where, const char *slot) {
    const char *in = where ? hd_sprintf(c->a, "%s '%s'", where, slot) : "the clinic's footer";
    for (const char *o = strchr(s, '{'); o; o = strchr(o + 1, '{')) {
        const char *e = strchr(o, '}');
        if (!e) {
            err(c, pos, "'{' without a closing '}' in %s; placeholders look like {phone}", in);
            return;
        }
        int known = 0;
        for (const char *const *k = PLACEHOLDERS; *k; k++)
            if (strlen(*k) == (size_t)(e - o - 1) && strncmp(*k, o + 1, (size_t)(e - o - 1)) == 0)
                known = where || strcmp(*k, "clinic-footer") != 0;
        if (!known)
            err(c, pos, "unknown placeholder '%.*s' in %s; use {clinic}, {phone}, {title}, {page}, {pages}%s",
                (int)(e - o + 1 > 40 ? 40 : e - o + 1), o, in, where ? ", {reviewed} or {clinic-footer}" : " or {reviewed}");
    }
}

static void template_slots(ctx *c, const hd_ynode *root, const char *where, const char **slots, hd_pos *slot_pos) {
    static const char *const keys[] = {"left", "center", "right", NULL};
    for (size_t i = 0; i < 3; i++) slots[i] = "";
    const hd_ynode *m = get_map(c, root, where, OPT, "{ left: \"{clinic}\", center: \"\", right: \"Page {page} of {pages}\" }", keys);
    if (!m) return;
    for (size_t i = 0; i < 3; i++) {
        hd_pos pos = m->pos;
        if (get_text(c, m, keys[i], EMPTY_OK | ONE_LINE | FLOW, &slots[i], &pos)) {
            check_placeholders(c, slots[i], pos, where, keys[i]);
            pos = offset_base(m, keys[i], slots[i], pos);
        }
        if (slot_pos) slot_pos[i] = pos;
    }
}

hd_status hd_template_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *name, hd_pos ref,
                           hd_template *out) {
    static const char *const keys[] = {"paper",  "margins",     "type",        "fonts",    "colours", "header",
                                       "footer", "readability", "large-print", "language", NULL};
    static const char *const readability_keys[] = {"max-grade", NULL};
    memset(out, 0, sizeof *out);
    out->name = name;
    ctx c;
    ctx_init(&c, a, d, p, NULL);
    const char *path = named_file(&c, "template", p->templates, name, ref);
    if (!path) return c.status;
    out->path = c.file = path;
    const hd_ynode *root = load_root(&c, path, "template", ref);
    if (!root) return c.status;
    check_keys(&c, root, keys);
    if (get_choice(&c, root, "paper", REQ, PAPERS, "letter or a4", &out->paper, NULL))
        hd_paper_size(out->paper, &out->page_w, &out->page_h);
    template_margins(&c, root, out);
    template_type(&c, root, out);
    template_fonts(&c, root, out);
    template_colours(&c, root, out);
    template_slots(&c, root, "header", out->header, out->header_pos);
    template_slots(&c, root, "footer", out->footer, out->footer_pos);
    get_choice(&c, root, "language", OPT, LANGUAGES, "en or es", &out->language, NULL);
    out->max_grade = 8;
    const hd_ynode *rd = get_map(&c, root, "readability", OPT, "{ max-grade: 8 }", readability_keys);
    if (rd && get_number(&c, rd, "max-grade", REQ, "8", &out->max_grade) && (out->max_grade < 1 || out->max_grade > 18))
        err(&c, hd_ymap_get(rd, "max-grade")->pos, "'max-grade' is %g; use a school grade from 1 to 18, like 8",
            out->max_grade);
    if (get_bool(&c, root, "large-print", OPT, &out->large_print) && out->large_print && out->body_size >= 12.0 &&
        out->body_size < 18.0)
        err(&c, hd_ymap_get(root, "large-print")->pos,
            "a large-print template needs body text of at least 18pt (it is %gpt)", out->body_size);
    return c.status;
}

/* ---- clinic profile ---- */

static int has_image_extension(const char *path) {
    static const char *const exts[] = {".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG", NULL};
    size_t n = strlen(path);
    for (const char *const *e = exts; *e; e++) {
        size_t k = strlen(*e);
        if (n > k && strcmp(path + n - k, *e) == 0) return 1;
    }
    return 0;
}

static void clinic_logo(ctx *c, const hd_ynode *root, hd_clinic *k) {
    const char *rel;
    if (!get_text(c, root, "logo", ONE_LINE, &rel, &k->logo_pos)) return;
    if (!has_image_extension(rel)) {
        err(c, k->logo_pos, "the logo must be a PNG or JPEG file (.png, .jpg or .jpeg), not '%s'", rel);
        return;
    }
    const char *path;
    hd_status st = hd_resolve(c->a, c->d, c->p, c->file, rel, k->logo_pos, &path);
    note_status(c, st);
    if (st != HD_OK) return;
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        const char *fix = hd_case_suggest(c->a, path);
        if (fix)
            err(c, k->logo_pos, "logo file '%s' does not exist (looked for %s); did you mean '%s'? (names are "
                "case-sensitive)", rel, path, fix);
        else
            err(c, k->logo_pos, "logo file '%s' does not exist (looked for %s); check the name and the folder", rel, path);
        return;
    }
    k->logo = path;
}

static void clinic_colours(ctx *c, const hd_ynode *root, hd_clinic *k) {
    static const char *const keys[] = {"primary", "accent", "text", NULL};
    const hd_ynode *m = get_map(c, root, "colours", OPT, "{ primary: \"#1f4e79\" }", keys);
    if (!m) return;
    const hd_ynode *v;
    /* primary and text are checked against the template's backgrounds too,
     * once it is known (hd_clinic_check_colours) */
    if ((k->has_primary = get_colour(c, m, "primary", OPT, &k->primary, &v))) {
        k->primary_pos = v->pos;
        k->primary_str = v->str;
    }
    if ((k->has_accent = get_colour(c, m, "accent", OPT, &k->accent, &v))) {
        k->accent_pos = v->pos;
        check_contrast(c, v, "accent", k->accent, WHITE, "white");
    }
    if ((k->has_text = get_colour(c, m, "text", OPT, &k->text, &v))) {
        k->text_pos = v->pos;
        k->text_str = v->str;
    }
}

static void clinic_contact(ctx *c, const hd_ynode *root, hd_clinic *k) {
    static const char *const keys[] = {"address", "phone", "after-hours", "web", "other-numbers", NULL};
    const hd_ynode *m = get_map(c, root, "contact", OPT, "{ phone: 555-0100 }", keys);
    if (!m) return;
    get_text(c, m, "address", LINES, &k->address, &k->address_pos);
    const hd_ynode *av = hd_ymap_get(m, "address");
    if (k->address && av && (av->style == HD_YLITERAL || av->style == HD_YFOLDED))
        k->address_pos = hd_pos_at(av->text_pos.file, av->text_pos.line, 0); /* its first line; no column */
    if (k->address && av && av->style == HD_YLITERAL) {
        /* each line that is not blank is a line of the address (get_text
         * drops blank ones and leading blanks), on its own line */
        size_t n = 0, raw = 0;
        for (const char *q = av->str; *q; q++) n += *q == '\n';
        k->address_line_pos = hd_allocn(c->a, n + 1, sizeof *k->address_line_pos);
        for (const char *q = av->str; *q; raw++) {
            const char *e = strchr(q, '\n'), *end = e ? e : q + strlen(q), *t = q;
            while (t < end && (*t == ' ' || *t == '\t' || *t == '\r')) t++;
            if (t < end) /* its line; no column (blanks inside a line are collapsed) */
                k->address_line_pos[k->naddress_lines++] = hd_pos_at(av->text_pos.file, av->text_pos.line + (int)raw, 0);
            q = e ? e + 1 : end;
        }
    }
    if (get_text(c, m, "phone", ONE_LINE | FLOW, &k->phone, &k->phone_pos))
        k->phone_pos = offset_base(m, "phone", k->phone, k->phone_pos);
    if (get_text(c, m, "after-hours", ONE_LINE | FLOW, &k->after_hours, &k->after_hours_pos))
        k->after_hours_pos = offset_base(m, "after-hours", k->after_hours, k->after_hours_pos);
    if (get_url(c, m, "web", &k->web, &k->web_pos)) k->web_pos = offset_base(m, "web", k->web, k->web_pos);
    get_words(c, m, "other-numbers", OPT, 0, "a list of phone numbers", "[\"0344 892 0111\"]", &k->other_numbers, NULL,
              &k->nother_numbers);
}

hd_status hd_clinic_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, hd_pos ref,
                         hd_clinic *out) {
    static const char *const keys[] = {"id",     "name",  "logo",  "colours", "font",   "contact",
                                       "qr",     "footer", "paper", "language", "safety", NULL};
    memset(out, 0, sizeof *out);
    ctx c;
    ctx_init(&c, a, d, p, NULL);
    const char *path = named_file(&c, "clinic", p->clinics, id, ref);
    if (!path) return c.status;
    out->path = c.file = path;
    const hd_ynode *root = load_root(&c, path, "clinic profile", ref);
    if (!root) return c.status;
    check_keys(&c, root, keys);
    check_id_matches(&c, root, id, &out->id);
    hd_pos npos;
    if (get_text(&c, root, "name", REQ | ONE_LINE | FLOW, &out->name, &npos))
        out->name_pos = offset_base(root, "name", out->name, npos);
    if (out->name && utf8_chars(out->name) > HD_MAX_CLINIC_NAME)
        err(&c, npos, "'name' is %zu characters long; keep it to %d or fewer (it heads every page)",
            utf8_chars(out->name), HD_MAX_CLINIC_NAME);
    clinic_logo(&c, root, out);
    clinic_colours(&c, root, out);
    get_family(&c, root, "font", OPT, &out->font_family, &out->font_pos);
    clinic_contact(&c, root, out);
    const hd_ynode *contact = hd_ymap_get(root, "contact");
    int web_given = contact && contact->kind == HD_YMAP && hd_ymap_get(contact, "web"); /* if bad: said already */
    if (get_bool(&c, root, "qr", OPT, &out->qr) && out->qr && !out->web && !web_given)
        err(&c, hd_ymap_get(root, "qr")->pos,
            "'qr: true' needs a web address to encode: add 'web' under 'contact', or set 'qr: false'");
    if (get_text(&c, root, "footer", ONE_LINE | FLOW, &out->footer, &out->footer_pos)) {
        check_placeholders(&c, out->footer, out->footer_pos, NULL, NULL);
        out->footer_pos = offset_base(root, "footer", out->footer, out->footer_pos);
    }
    get_choice(&c, root, "paper", OPT, PAPERS, "letter or a4", &out->paper, NULL);
    get_choice(&c, root, "language", OPT, LANGUAGES, "en or es", &out->language, &out->language_pos);
    get_words(&c, root, "safety", OPT, 1, "a list of safety text names", "[riverside-emergency]", &out->safety,
              &out->safety_pos, &out->nsafety);
    check_unique(&c, "safety", out->safety, out->safety_pos, out->nsafety);
    return c.status;
}

/* ---- topic and safety text ---- */

hd_status hd_topic_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, hd_pos ref,
                        hd_topic *out) {
    static const char *const keys[] = {"id", "safety", NULL};
    memset(out, 0, sizeof *out);
    ctx c;
    ctx_init(&c, a, d, p, NULL);
    const char *dir = hd_sprintf(a, "%s/topics", p->templates);
    const char *path = named_file(&c, "topic", dir, id, ref);
    if (!path) return c.status;
    out->path = c.file = path;
    const hd_ynode *root = load_root(&c, path, "topic", ref);
    if (!root) return c.status;
    check_keys(&c, root, keys);
    check_id_matches(&c, root, id, &out->id);
    get_words(&c, root, "safety", REQ, 1, "a list of safety text names", "[ketamine]", &out->safety, &out->safety_pos,
              &out->nsafety);
    check_unique(&c, "safety", out->safety, out->safety_pos, out->nsafety);
    return c.status;
}

hd_status hd_safety_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, hd_pos ref,
                         hd_safety *out) {
    return hd_safety_load_lang(a, d, p, id, NULL, ref, out);
}

hd_status hd_safety_load_lang(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, const char *lang,
                              hd_pos ref, hd_safety *out) {
    static const char *const keys[] = {"id", "version", "title", "text", "sha256", NULL};
    memset(out, 0, sizeof *out);
    ctx c;
    ctx_init(&c, a, d, p, NULL);
    const char *dir = hd_sprintf(a, "%s/safety", p->templates);
    const char *path = named_file(&c, "safety text", dir, id, ref);
    if (!path) return c.status;
    const char *english = NULL;
    if (lang && strcmp(lang, "en") != 0) {
        english = path;
        /* a translation sits beside the English text: <id>.<lang>.yaml */
        const char *tr = hd_sprintf(a, "%s/%s.%s.yaml", dir, id, lang);
        struct stat st;
        if (stat(tr, &st) != 0) {
            err(&c, ref, "the safety text '%s' has no '%s' translation: add %s, translating %s word for word", id, lang,
                tr, path);
            return c.status;
        }
        path = tr;
    }
    out->path = c.file = path;
    const hd_ynode *root = load_root(&c, path, "safety text", ref);
    if (!root) return c.status;
    check_keys(&c, root, keys);
    check_id_matches(&c, root, id, &out->id);
    hd_pos vpos;
    if (get_int(&c, root, "version", REQ, "1", &out->version, &vpos) && out->version < 1)
        err(&c, vpos, "'version' must be 1 or more (raise it whenever the wording changes)");
    else if (english && out->version >= 1) {
        /* a translation's version moves in step with its English text's: one
         * that lags has not been translated since the English changed (the
         * English file's own errors are its own handouts' to report) */
        hd_diags quiet;
        hd_diags_init(&quiet);
        ctx e;
        ctx_init(&e, a, &quiet, p, english);
        const hd_ynode *eroot = load_root(&e, english, "safety text", ref);
        int ev = 0;
        hd_pos epos;
        if (eroot && get_int(&e, eroot, "version", REQ, "1", &ev, &epos) && ev != out->version)
            hd_warn(d, vpos,
                    "this translation is version %d but its English text (%s) is version %d: translate the English "
                    "wording of version %d, then set 'version: %d' and the new sha256 here",
                    out->version, english, ev, ev, ev);
        hd_diags_free(&quiet);
    }
    get_text(&c, root, "title", REQ | ONE_LINE | FLOW, &out->title, NULL);
    if (get_text(&c, root, "text", REQ, &out->text, NULL)) {
        const hd_ynode *v = hd_ymap_get(root, "text");
        out->text_len = v->len;
        out->line_offset = v->text_pos.line - 1;
        out->col_offset = v->text_pos.col - 1;
        out->literal = v->style == HD_YLITERAL;
        hd_sha256_hex(out->text, out->text_len, out->sha256);
        /* the approved wording is locked by its hash: an edit that did not
         * raise the version and record the new hash is refused */
        const char *locked = NULL;
        hd_pos lpos;
        if (get_text(&c, root, "sha256", REQ | ONE_LINE, &locked, &lpos) && strcmp(locked, out->sha256) != 0)
            err(&c, lpos,
                "the wording of safety text '%s' (version %d) is not the approved wording: if this wording is "
                "approved, set 'sha256: %s' (and raise 'version' if handouts carried an earlier wording); "
                "otherwise restore the approved text",
                id, out->version, out->sha256);
    }
    return c.status;
}
