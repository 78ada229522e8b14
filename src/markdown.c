/* markdown.c: CommonMark text to document-model blocks (see markdown.h).
 *
 * Owns: the only use of cmark. The cmark tree is walked with cmark_iter and
 * an explicit, fixed-size stack of open container blocks, so no C recursion
 * depends on the input. Lists and quotes nested deeper than HD_MAX_MD_DEPTH
 * are reported once and their contents skipped. Inline emphasis is
 * flattened into span style bits; adjacent text with the same style is
 * merged into one span. Raw HTML, unsafe link schemes and remote images are
 * errors with file:line:col; every error in the text is reported.
 *
 * Memory: the model lives in the caller's arena; cmark's parser and tree in
 * a scratch arena freed when the parse ends (see "cmark's memory" below).
 * Running out of memory in either jumps back to hd_markdown_parse, which
 * frees the scratch arena and passes the jump on to the caller's recovery
 * point (hd_arena_on_oom), or reports HD_ERR_SYSTEM if there is none.
 */
#include "markdown.h"

#include <cmark.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* A frame per open list, item or quote: depth is capped, so the stack has a
 * fixed size (at most a list and an item a level). */
#define MAX_FRAMES (2 * HD_MAX_MD_DEPTH)
#define SHOW_HTML_CHARS 40 /* raw HTML shown in a message */
#define SHOW_URL_CHARS 80  /* an address shown in a message */
#define SHOW_HEADING_CHARS 40 /* a heading shown in a message */

typedef struct {
    char *s;
    size_t len, cap;
} text_buf;

/* An open container. Its children wait on the block scratch stack from
 * index `first` and get an array of their exact size when it closes. */
typedef struct {
    hd_block blk; /* kind, pos and list fields */
    size_t first;
} frame;

/* The heading or paragraph being filled. Its block is pushed to the parent
 * only when finished, so an image can split it into pieces. */
typedef struct {
    int active, split; /* split: a piece after an image; pos from its first span */
    hd_block blk;      /* kind, level, pos; spans wait on the span scratch stack */
    text_buf pending;  /* text of the open span, not yet a span */
    int has_pending;
    unsigned pending_style;
    const char *pending_url;
    hd_pos pending_pos;
} leaf;

typedef struct {
    int active, usable; /* usable: the scheme is allowed (else no link style) */
    const char *url;
    hd_pos pos;
    text_buf visible; /* the link's text, kept only while it may equal the url */
    int too_long;
} link_state;

typedef struct {
    int depth; /* > 0 inside an image's description (images may nest there) */
    const char *url;
    hd_pos pos;
    text_buf alt;
} image_state;

typedef struct {
    hd_arena *a;
    hd_diags *d;
    const hd_project *p;
    const char *file;
    int line_offset, col_offset;
    jmp_buf *oom;
    hd_status status;

    /* byte column -> character column */
    const char *text;
    size_t len;
    size_t *line_start;
    size_t nlines;
    int cache_line, cache_char;
    size_t cache_byte;

    /* Scratch stacks, reused: finished blocks not yet given to their parent,
     * and the spans of the current leaf. */
    hd_block *blocks;
    size_t nblocks, blocks_cap;
    size_t nmade;  /* blocks made in all: at most HD_MAX_MD_BLOCKS */
    int too_many;  /* more than that: said, and the walk stops */
    hd_span *spans;
    size_t nspans, spans_cap;
    frame stack[MAX_FRAMES];
    int nframes;
    int depth; /* lists and quotes open */

    /* Lines that look like footnote texts ("[^1]: ..."), marked seen when a
     * block of cmark's covers them; the rest vanished as link definitions. */
    size_t *fn_lines;
    unsigned char *fn_seen;
    size_t nfn, fn_cap, fn_next; /* fn_next: the first not before the block being read */

    leaf leaf;
    hd_pos leaf_pos; /* position of the cmark heading/paragraph */
    int italic, bold;
    link_state link;
    image_state image;
} md_ctx;

/* ---- memory: every allocation comes from the arena; NULL jumps to cleanup ---- */

static md_ctx *md_alloc_ctx(hd_arena *a, jmp_buf *oom) {
    md_ctx *c = hd_alloc(a, sizeof *c);
    if (!c) longjmp(*oom, 1);
    c->oom = oom;
    return c;
}

static void *md_alloc(md_ctx *c, size_t n) {
    void *p = hd_alloc(c->a, n);
    if (!p) longjmp(*c->oom, 1);
    return p;
}

static char *md_strndup(md_ctx *c, const char *s, size_t n) {
    char *p = md_alloc(c, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static char *md_strdup(md_ctx *c, const char *s) {
    return md_strndup(c, s ? s : "", s ? strlen(s) : 0);
}

static void *md_push(md_ctx *c, void **items, size_t *n, size_t *cap, size_t elem) {
    void *p = hd_push(c->a, items, n, cap, elem);
    if (!p) longjmp(*c->oom, 1);
    return p;
}
#define MD_PUSH(c, arr, n, cap) ((__typeof__(*(arr)) *)md_push((c), (void **)&(arr), &(n), &(cap), sizeof *(arr)))

static void buf_add(md_ctx *c, text_buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = md_alloc(c, cap);
        if (b->len) memcpy(p, b->s, b->len);
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void fail(md_ctx *c, hd_status s) {
    if (s == HD_ERR_SYSTEM || c->status == HD_OK) c->status = s;
}

/* ---- positions ---- */

static void index_lines(md_ctx *c) {
    size_t n = 1;
    for (size_t i = 0; i < c->len; i++)
        if (c->text[i] == '\n' || (c->text[i] == '\r' && (i + 1 == c->len || c->text[i + 1] != '\n'))) n++;
    c->line_start = md_alloc(c, n * sizeof *c->line_start);
    c->line_start[0] = 0;
    c->nlines = 1;
    for (size_t i = 0; i < c->len; i++)
        if (c->text[i] == '\n' || (c->text[i] == '\r' && (i + 1 == c->len || c->text[i + 1] != '\n')))
            c->line_start[c->nlines++] = i + 1;
}

/* cmark counts columns in bytes; diagnostics count characters. Positions
 * are asked for in reading order, so counting resumes from the last one. */
static int char_column(md_ctx *c, int line, int byte_col) {
    if (line < 1 || (size_t)line > c->nlines || byte_col < 1) return byte_col;
    size_t start = c->line_start[line - 1];
    size_t end = (size_t)line < c->nlines ? c->line_start[line] : c->len;
    size_t want = start + (size_t)byte_col - 1;
    if (want > end) want = end;
    size_t i = start;
    int col = 1;
    if (c->cache_line == line && c->cache_byte <= want) {
        i = c->cache_byte;
        col = c->cache_char;
    }
    for (; i < want; i++)
        if (((unsigned char)c->text[i] & 0xC0) != 0x80) col++;
    c->cache_line = line;
    c->cache_byte = want;
    c->cache_char = col;
    return col;
}

/* Where node starts in the file; line 0 if cmark gives no position (it
 * gives none for soft and hard breaks). */
static hd_pos raw_pos(md_ctx *c, cmark_node *n) {
    int line = cmark_node_get_start_line(n);
    if (line < 1) return hd_pos_at(c->file, 0, 0);
    int col = char_column(c, line, cmark_node_get_start_column(n));
    return hd_pos_at(c->file, line + c->line_offset, (col > 0 ? col : 1) + c->col_offset);
}

/* Like raw_pos, but an inline node without a position takes the enclosing
 * block's. */
static hd_pos node_pos(md_ctx *c, cmark_node *n) {
    hd_pos p = raw_pos(c, n);
    return p.line > 0 ? p : c->leaf_pos;
}

/* ---- text helpers ---- */

/* At most max characters of s, for a message ("..." marks a cut). */
static const char *shorten(md_ctx *c, const char *s, size_t n, int max) {
    size_t i = 0;
    int chars = 0;
    while (i < n && chars < max - 3) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        chars++;
    }
    size_t j = i;
    int rest = 0;
    while (j < n && rest <= 3) {
        j++;
        while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80) j++;
        rest++;
    }
    if (rest <= 3) return md_strndup(c, s, n);
    char *out = md_alloc(c, i + 4);
    memcpy(out, s, i);
    memcpy(out + i, "...", 4);
    return out;
}

/* The first line of raw HTML, trimmed. */
static const char *html_excerpt(md_ctx *c, const char *html) {
    const char *s = html ? html : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    size_t n = strcspn(s, "\r\n");
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return shorten(c, s, n, SHOW_HTML_CHARS);
}

/* Length of an allowed link scheme prefix of url, or 0. */
static size_t allowed_scheme(const char *url) {
    static const char *const schemes[] = {"https://", "http://", "mailto:", "tel:"};
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        size_t n = strlen(schemes[i]);
        if (strncasecmp(url, schemes[i], n) == 0) return n;
    }
    return 0;
}

/* Does url start with a scheme ("x:" as in RFC 3986, two letters or more,
 * so "C:" stays a path) or "//" (a web address without one)? */
static int has_scheme(const char *url) {
    if (url[0] == '/' && url[1] == '/') return 1;
    size_t i = 0;
    if (!((url[0] | 0x20) >= 'a' && (url[0] | 0x20) <= 'z')) return 0;
    while (url[i] && (((url[i] | 0x20) >= 'a' && (url[i] | 0x20) <= 'z') || (url[i] >= '0' && url[i] <= '9') ||
                      url[i] == '+' || url[i] == '-' || url[i] == '.'))
        i++;
    return i >= 2 && url[i] == ':';
}

static int ends_with_ci(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int is_blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ') return 0;
    return 1;
}

/* ---- Markdown that cmark reads differently from what the writer meant ----
 *
 * Tables, front matter, footnotes, Word's bullets, links whose address has
 * a space: CommonMark has no such thing (or does not see it), so cmark
 * keeps the characters as text and the handout would print them. These
 * checks look at the source text of the blocks cmark made, so each error
 * points at the characters the writer typed. */

/* Position of byte offset off of the text. */
static hd_pos pos_of(md_ctx *c, size_t off) {
    size_t lo = 0, hi = c->nlines; /* the last line starting at or before off */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c->line_start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    int col = char_column(c, (int)lo + 1, (int)(off - c->line_start[lo]) + 1);
    return hd_pos_at(c->file, (int)lo + 1 + c->line_offset, col + c->col_offset);
}

/* Byte offsets of line (1-based): [*b, *e), without the line ending. */
static void line_bounds(const md_ctx *c, int line, size_t *b, size_t *e) {
    *b = c->line_start[line - 1];
    *e = (size_t)line < c->nlines ? c->line_start[line] : c->len;
    while (*e > *b && (c->text[*e - 1] == '\n' || c->text[*e - 1] == '\r')) (*e)--;
}

/* Line `line` of a paragraph that starts at byte column first_col (0 for a
 * line after its first): where its text starts, past the indentation and
 * the '>' of quotes around it. */
static size_t content_start(const md_ctx *c, int line, int first_col, size_t e) {
    size_t b, end;
    line_bounds(c, line, &b, &end);
    if (first_col > 0) return b + (size_t)first_col - 1 < e ? b + (size_t)first_col - 1 : e;
    while (b < e && (c->text[b] == ' ' || c->text[b] == '\t' || c->text[b] == '>')) b++;
    return b;
}

/* Length of the UTF-8 sequence at s[i] if it is a character in list, else 0. */
static size_t char_in(const char *const *list, size_t n_list, const char *s, size_t i, size_t e) {
    for (size_t k = 0; k < n_list; k++) {
        size_t n = strlen(list[k]);
        if (i + n <= e && memcmp(s + i, list[k], n) == 0) return n;
    }
    return 0;
}

/* Length of the UTF-8 sequence at s[i] if it is a character that Word and
 * other editors use as a bullet and prose does not start a line with, else 0. */
static size_t word_bullet(const char *s, size_t i, size_t e) {
    static const char *const bullets[] = {
        "\u2022", "\u25E6", "\u25AA", "\u25AB", "\u25CF", "\u25CB", "\u25A0", "\u25A1", "\u2023", "\u2043",
        "\u2219", "\u00B7", "\u2217", "\u204E", "\u27A2", "\u27A4", "\u25BA", "\u25B6", "\u2713",
        "\u2714", "\uF0B7", "\uF0A7", "\uF076", "\uF0D8", "\uF0FC"};
    return char_in(bullets, sizeof bullets / sizeof *bullets, s, i, e);
}

/* Likewise for a dash that Word uses as a bullet but that may also start a
 * hard-wrapped line of prose ("two hours\n\u2013 sometimes longer \u2013 to
 * weeks"): the en dash. (The em dash is not refused anywhere: a line
 * starting with one is an attribution, "\u2014 Dr Smith", as often as not.) */
static size_t dash_bullet(const char *s, size_t i, size_t e) {
    static const char *const dashes[] = {"\u2013"};
    return char_in(dashes, sizeof dashes / sizeof *dashes, s, i, e);
}

static int is_nbsp(const char *s, size_t i, size_t e) {
    return i + 2 <= e && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0;
}

/* A table's delimiter row: only '|', ':', '-' and blanks, with a '|' and a '-'. */
static int is_delimiter_row(const char *s, size_t b, size_t e) {
    int pipe = 0, dash = 0;
    for (size_t i = b; i < e; i++) {
        if (s[i] == '|') pipe = 1;
        else if (s[i] == '-') dash = 1;
        else if (s[i] != ':' && s[i] != ' ' && s[i] != '\t') return 0;
    }
    return pipe && dash;
}

static void content_error(md_ctx *c, hd_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void content_error(md_ctx *c, hd_pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hd_verror(c->d, HD_ERR_CONTENT, at, fmt, ap);
    va_end(ap);
    fail(c, HD_ERR_CONTENT);
}

/* A footnote reference; label: its n bytes, like "[^1]". */
static void error_footnote(md_ctx *c, hd_pos at, const char *label, size_t n) {
    content_error(c, at,
                  "footnote '%.*s' is not supported: list the source under 'sources:' in the spec and cite it by its "
                  "number, like [1]",
                  (int)n, label);
}

/* Where node starts in the text: *i, and *e the end of its line. 0 if
 * cmark gives no position. */
static int node_source(const md_ctx *c, cmark_node *n, size_t *i, size_t *e) {
    int line = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
    if (line < 1 || (size_t)line > c->nlines || col < 1) return 0;
    size_t b;
    line_bounds(c, line, &b, e);
    *i = b + (size_t)col - 1;
    return *i <= *e;
}

/* Length of the bullet (with a blank after it) that starts the text of a
 * paragraph's line at b, else 0; *dash: it is a dash (see dash_bullet). */
static size_t line_bullet(const char *s, size_t b, size_t e, int *dash) {
    size_t k = word_bullet(s, b, e);
    *dash = 0;
    if (!k) {
        k = dash_bullet(s, b, e);
        *dash = k > 0;
    }
    if (k && b + k < e && (s[b + k] == ' ' || s[b + k] == '\t' || is_nbsp(s, b + k, e))) return k;
    *dash = 0;
    return 0;
}

/* The lines of a paragraph: a table, Word's bullets, list items indented
 * with a non-breaking space. One error of each kind per paragraph. A dash
 * is a bullet only on the paragraph's first line or on two lines in a row;
 * elsewhere it is a spaced dash in hard-wrapped prose. */
static void check_paragraph_lines(md_ctx *c, cmark_node *n) {
    int first = cmark_node_get_start_line(n), last = cmark_node_get_end_line(n);
    if (first < 1 || (size_t)first > c->nlines) return;
    if (last < first || (size_t)last > c->nlines) last = (int)c->nlines;
    int table = 0, bullet = 0, nbsp = 0;
    size_t prev_b = 0, prev_e = 0;
    for (int line = first; line <= last; line++) {
        size_t b, e;
        line_bounds(c, line, &b, &e);
        b = content_start(c, line, line == first ? cmark_node_get_start_column(n) : 0, e);
        const char *s = c->text;
        if (!table && line > first && is_delimiter_row(s, b, e) && memchr(s + prev_b, '|', prev_e - prev_b)) {
            content_error(c, pos_of(c, prev_b),
                          "tables are not supported: write the rows as a list instead, one '- ' item for each row");
            table = 1;
        }
        int dash;
        size_t k = bullet ? 0 : line_bullet(s, b, e, &dash);
        if (k && dash && line > first) { /* a bullet if the next line starts with a dash too */
            size_t nb, ne;
            int next_dash = 0;
            if (line < last) {
                line_bounds(c, line + 1, &nb, &ne);
                nb = content_start(c, line + 1, 0, ne);
                line_bullet(s, nb, ne, &next_dash);
            }
            if (!next_dash) k = 0;
        }
        if (k) {
            content_error(c, pos_of(c, b),
                          "'%.*s' does not start a list item in Markdown, so the lines run together: start list "
                          "items with '- ' (a hyphen and a space)",
                          (int)k, s + b);
            bullet = 1;
        }
        if (!nbsp && is_nbsp(s, b, e)) {
            size_t i = b;
            while (i < e && (s[i] == ' ' || s[i] == '\t' || is_nbsp(s, i, e))) i += s[i] == ' ' || s[i] == '\t' ? 1 : 2;
            size_t d = i;
            while (d < e && s[d] >= '0' && s[d] <= '9') d++;
            int marker = i < e && ((d == i && (s[i] == '-' || s[i] == '*' || s[i] == '+')) ||
                                   (d > i && d < e && (s[d] == '.' || s[d] == ')')));
            if (marker) {
                content_error(c, pos_of(c, b),
                              "this list item is indented with a non-breaking space, so it is not read as a list "
                              "item: start list items with '- ' and indent them with ordinary spaces");
                nbsp = 1;
            }
        }
        prev_b = b;
        prev_e = e;
    }
}

/* In the source of a text node: footnotes ("[^1]") and links or images
 * cmark did not read because their address has a space ("[a](my page)").
 * A text node's source is one line, exactly the characters it came from. */
static void check_text_source(md_ctx *c, cmark_node *n) {
    int line = cmark_node_get_start_line(n);
    if (line < 1 || (size_t)line > c->nlines || cmark_node_get_end_line(n) != line) return;
    size_t lb, le;
    line_bounds(c, line, &lb, &le);
    size_t b = lb + (size_t)cmark_node_get_start_column(n) - 1;
    size_t e = lb + (size_t)cmark_node_get_end_column(n);
    if (b >= e || e > le) return;
    const char *s = c->text;
    for (size_t i = b; i < e; i++) {
        if (s[i] != '[') continue;
        if (i + 1 < e && s[i + 1] == '^') {
            size_t j = i + 2;
            while (j < e && s[j] != ']' && s[j] != '[' && s[j] != ' ') j++;
            if (j < e && s[j] == ']' && j > i + 2) {
                error_footnote(c, pos_of(c, i), s + i, j + 1 - i);
                i = j;
                continue;
            }
        }
        /* [text](address with a space) */
        size_t j = i + 1;
        while (j < e && s[j] != ']' && s[j] != '[') j++;
        if (j + 1 >= e || s[j] != ']' || s[j + 1] != '(') continue;
        size_t db = j + 2, de = db;
        while (de < e && s[de] != ')' && s[de] != '[' && s[de] != ']') de++; /* each byte is looked at twice at most */
        if (de >= e || s[de] != ')') continue;
        size_t tb = db, te = de;
        while (tb < te && s[tb] == ' ') tb++;
        while (te > tb && s[te - 1] == ' ') te--;
        if (!memchr(s + tb, ' ', te - tb) && !memchr(s + tb, '\t', te - tb)) continue;
        const char *dest = shorten(c, s + tb, te - tb, SHOW_URL_CHARS);
        if (i > b && s[i - 1] == '!')
            content_error(c, pos_of(c, i - 1),
                          "image path '%s' has a space, so the image is printed as text: put the path in <angle "
                          "brackets>, like ![description](<%s>), or remove the space",
                          dest, dest);
        else
            content_error(c, pos_of(c, i),
                          "link address '%s' has a space, so the link is printed as text: put the address in "
                          "<angle brackets>, like [text](<%s>), or remove the space",
                          dest, dest);
        i = de;
    }
}

/* Front matter: a '---' line first, then 'key: value' lines. */
static void check_front_matter(md_ctx *c) {
    size_t b, e;
    line_bounds(c, 1, &b, &e);
    while (e > b && (c->text[e - 1] == ' ' || c->text[e - 1] == '\t')) e--;
    if (e - b != 3 || memcmp(c->text + b, "---", 3) != 0 || c->nlines < 2) return;
    line_bounds(c, 2, &b, &e);
    size_t i = b;
    while (i < e && (((c->text[i] | 0x20) >= 'a' && (c->text[i] | 0x20) <= 'z') || (c->text[i] >= '0' && c->text[i] <= '9') ||
                     c->text[i] == '-' || c->text[i] == '_'))
        i++;
    if (i == b || i >= e || c->text[i] != ':') return;
    content_error(c, pos_of(c, 0),
                  "front matter (a '---' line, then 'key: value' lines) is not supported: remove it; the title and "
                  "other details of a handout go in its spec");
}

/* Lines that look like a footnote's text, "[^label]: ...". */
static void find_footnote_texts(md_ctx *c) {
    for (size_t l = 0; l < c->nlines; l++) {
        size_t b, e;
        line_bounds(c, (int)l + 1, &b, &e);
        size_t i = b;
        while (i < e && i - b < 3 && c->text[i] == ' ') i++;
        if (e - i < 5 || c->text[i] != '[' || c->text[i + 1] != '^') continue;
        size_t j = i + 2;
        while (j < e && c->text[j] != ']') j++;
        if (j + 1 >= e || j == i + 2 || c->text[j + 1] != ':') continue;
        *MD_PUSH(c, c->fn_lines, c->nfn, c->fn_cap) = l + 1;
    }
    if (c->nfn) c->fn_seen = md_alloc(c, c->nfn);
}

/* A block of cmark's covers lines first..last. Leaf blocks come in
 * reading order, so the lines before this one are done with. */
static void footnote_texts_seen(md_ctx *c, cmark_node *n) {
    int first = cmark_node_get_start_line(n), last = cmark_node_get_end_line(n);
    if (first < 1) return;
    while (c->fn_next < c->nfn && c->fn_lines[c->fn_next] < (size_t)first) c->fn_next++;
    for (size_t k = c->fn_next; k < c->nfn && c->fn_lines[k] <= (size_t)last; k++) c->fn_seen[k] = 1;
}

static void report_footnote_texts(md_ctx *c) {
    for (size_t k = 0; k < c->nfn; k++) {
        if (c->fn_seen[k]) continue;
        size_t b, e;
        line_bounds(c, (int)c->fn_lines[k], &b, &e);
        while (c->text[b] == ' ') b++;
        const char *close = memchr(c->text + b, ']', e - b);
        content_error(c, pos_of(c, b),
                      "footnote text '%.*s: ...' is not supported: list the source under 'sources:' in the spec, "
                      "cite it by its number, like [1], and remove this line",
                      (int)(close - (c->text + b) + 1), c->text + b);
    }
}

/* ---- blocks ---- */

/* One more block toward HD_MAX_MD_BLOCKS, at pos. What counts is what the
 * message names: a list item or quote counts when it opens, together with
 * the text it starts with (its first block, if a leaf, is free); any other
 * leaf counts on its own; a list counts nothing (it holds an item at
 * least). So every block made is counted or is a list or an item's or
 * quote's first leaf: at most 3 x HD_MAX_MD_BLOCKS blocks in all. */
static void count_block(md_ctx *c, hd_pos pos) {
    if (++c->nmade == HD_MAX_MD_BLOCKS + 1) {
        hd_error(c->d, HD_ERR_CONTENT, pos,
                 "this Markdown has more than %d paragraphs, headings and list items, more than a handout can "
                 "hold: split it into several handouts",
                 HD_MAX_MD_BLOCKS);
        fail(c, HD_ERR_CONTENT);
        c->too_many = 1;
    }
}

/* A finished block for the innermost open container. The pointer is valid
 * until the next block is added. */
static hd_block *add_block(md_ctx *c, hd_block_kind kind, hd_pos pos) {
    int container = kind == HD_BLK_LIST || kind == HD_BLK_ITEM || kind == HD_BLK_QUOTE;
    const frame *f = c->nframes > 0 ? &c->stack[c->nframes - 1] : NULL;
    int first_in_item = f && (f->blk.kind == HD_BLK_ITEM || f->blk.kind == HD_BLK_QUOTE) && c->nblocks == f->first;
    if (!container && !first_in_item) count_block(c, pos);
    hd_block *b = MD_PUSH(c, c->blocks, c->nblocks, c->blocks_cap);
    b->kind = kind;
    b->pos = pos;
    return b;
}

static hd_block *open_container(md_ctx *c, hd_block_kind kind, hd_pos pos) {
    if (kind != HD_BLK_LIST) count_block(c, pos);
    frame *f = &c->stack[c->nframes++];
    memset(f, 0, sizeof *f);
    f->blk.kind = kind;
    f->blk.pos = pos;
    f->first = c->nblocks;
    return &f->blk;
}

/* Give the waiting children to the innermost container and add it to its
 * parent. */
static void close_container(md_ctx *c) {
    frame *f = &c->stack[--c->nframes];
    size_t n = c->nblocks - f->first;
    hd_block blk = f->blk;
    if (n > 0) {
        blk.children = md_alloc(c, n * sizeof *blk.children);
        memcpy(blk.children, c->blocks + f->first, n * sizeof *blk.children);
        blk.nchildren = n;
    }
    c->nblocks = f->first;
    *add_block(c, blk.kind, blk.pos) = blk;
}

/* ---- spans of the current leaf ---- */

static hd_span *push_span(md_ctx *c, hd_span_kind kind, unsigned style, const char *text, const char *url,
                          hd_pos pos) {
    hd_span *s = MD_PUSH(c, c->spans, c->nspans, c->spans_cap);
    s->kind = kind;
    s->style = style;
    s->text = text;
    s->url = url;
    s->pos = pos.line > 0 ? pos : c->leaf_pos;
    return s;
}

static void flush_text(md_ctx *c) {
    leaf *l = &c->leaf;
    if (!l->has_pending) return;
    push_span(c, HD_SP_TEXT, l->pending_style, md_strndup(c, l->pending.s, l->pending.len), l->pending_url,
              l->pending_pos);
    l->has_pending = 0;
    l->pending.len = 0;
}

/* Append text; it joins the open span when style and link are the same. */
static void add_text(md_ctx *c, const char *s, size_t n, unsigned style, const char *url, hd_pos pos) {
    leaf *l = &c->leaf;
    if (!l->active) return;
    if (l->has_pending && (l->pending_style != style || l->pending_url != url)) flush_text(c);
    if (!l->has_pending) {
        l->has_pending = 1;
        l->pending_style = style;
        l->pending_url = url;
        l->pending_pos = pos;
    } else if (l->pending_pos.line == 0) {
        l->pending_pos = pos; /* the span began with a break, which has no position */
    }
    buf_add(c, &l->pending, s, n);
}

static void add_break(md_ctx *c, hd_pos pos) {
    if (!c->leaf.active) return;
    flush_text(c);
    push_span(c, HD_SP_BREAK, 0, "", NULL, pos);
}

static void start_leaf(md_ctx *c, hd_block_kind kind, int level, hd_pos pos, int split) {
    leaf *l = &c->leaf;
    text_buf keep = l->pending; /* reuse the buffer */
    memset(l, 0, sizeof *l);
    l->pending = keep;
    l->pending.len = 0;
    c->nspans = 0;
    l->active = 1;
    l->split = split;
    l->blk.kind = kind;
    l->blk.level = level;
    l->blk.pos = pos;
}

/* Drop spaces and breaks at both ends (soft breaks next to an image that
 * split the paragraph leave them). */
static void trim_spans(md_ctx *c, hd_block *b) {
    while (b->nspans > 0 && (b->spans[0].kind == HD_SP_BREAK || is_blank(b->spans[0].text, strlen(b->spans[0].text)))) {
        b->spans++;
        b->nspans--;
    }
    while (b->nspans > 0) {
        hd_span *last = &b->spans[b->nspans - 1];
        if (last->kind == HD_SP_BREAK || is_blank(last->text, strlen(last->text)))
            b->nspans--;
        else
            break;
    }
    if (b->nspans == 0) return;
    while (b->spans[0].text[0] == ' ') b->spans[0].text++;
    hd_span *last = &b->spans[b->nspans - 1];
    size_t n = strlen(last->text);
    if (last->text[n - 1] == ' ') {
        while (n > 0 && last->text[n - 1] == ' ') n--;
        last->text = md_strndup(c, last->text, n);
    }
}

static void finish_leaf(md_ctx *c) {
    leaf *l = &c->leaf;
    if (!l->active) return;
    flush_text(c);
    l->active = 0;
    hd_block blk = l->blk;
    blk.spans = c->spans;
    blk.nspans = c->nspans;
    c->nspans = 0;
    trim_spans(c, &blk);
    if (blk.nspans == 0) return;
    hd_span *spans = md_alloc(c, blk.nspans * sizeof *spans);
    memcpy(spans, blk.spans, blk.nspans * sizeof *spans);
    blk.spans = spans;
    if (l->split) blk.pos = spans[0].pos;
    *add_block(c, blk.kind, blk.pos) = blk;
}

/* ---- inline nodes ---- */

static unsigned current_style(const md_ctx *c) {
    return (c->italic ? HD_ST_ITALIC : 0) | (c->bold ? HD_ST_BOLD : 0) |
           (c->link.active && c->link.usable ? HD_ST_LINK : 0);
}

static const char *current_url(const md_ctx *c) {
    return c->link.active && c->link.usable ? c->link.url : NULL;
}

/* Text of a text, code or break node, wherever it belongs now. */
static void on_text(md_ctx *c, const char *s, unsigned extra_style, hd_pos pos) {
    size_t n = strlen(s);
    if (n == 0) return;
    if (c->image.depth > 0) {
        buf_add(c, &c->image.alt, s, n);
        return;
    }
    if (c->link.active && !c->link.too_long) {
        buf_add(c, &c->link.visible, s, n);
        if (c->link.visible.len > strlen(c->link.url)) c->link.too_long = 1;
    }
    add_text(c, s, n, current_style(c) | extra_style, current_url(c), pos);
}

static void enter_link(md_ctx *c, cmark_node *n) {
    if (c->image.depth > 0) return; /* part of an image's description */
    link_state *k = &c->link;
    k->active = 1;
    k->url = md_strdup(c, cmark_node_get_url(n));
    k->pos = node_pos(c, n);
    k->visible.len = 0;
    k->too_long = 0;
    size_t scheme = allowed_scheme(k->url);
    k->usable = scheme > 0 && k->url[scheme] != 0;
    /* "[^1]" with a "[^1]: ..." line is a link to cmark, a footnote to the writer */
    size_t i, e;
    if (node_source(c, n, &i, &e) && i + 2 < e && c->text[i] == '[' && c->text[i + 1] == '^') {
        const char *close = memchr(c->text + i, ']', e - i);
        if (close) {
            error_footnote(c, k->pos, c->text + i, (size_t)(close - (c->text + i)) + 1);
            k->usable = 0;
            return;
        }
    }
    if (!k->usable) {
        hd_error(c->d, HD_ERR_CONTENT, k->pos,
                 "link to '%s' cannot be used in a handout: use an https:// address, mailto: or tel:",
                 shorten(c, k->url, strlen(k->url), SHOW_URL_CHARS));
        fail(c, HD_ERR_CONTENT);
    }
}

/* After a link, print its address for paper readers unless the text
 * already shows it. */
static void exit_link(md_ctx *c) {
    link_state *k = &c->link;
    if (c->image.depth > 0 || !k->active) return;
    k->active = 0;
    if (!k->usable) return;
    const char *addr = k->url + allowed_scheme(k->url);
    size_t n = strlen(addr);
    if (n > 1 && addr[n - 1] == '/') n--;
    if (!k->too_long) {
        const char *v = k->visible.len ? k->visible.s : "";
        if (strcmp(v, k->url) == 0 || strcmp(v, addr) == 0 ||
            (strlen(v) == n && strncmp(v, addr, n) == 0))
            return;
    }
    char *shown = md_alloc(c, n + 4);
    shown[0] = ' ';
    shown[1] = '(';
    memcpy(shown + 2, addr, n);
    memcpy(shown + 2 + n, ")", 2);
    flush_text(c);
    push_span(c, HD_SP_TEXT, HD_ST_URL, shown, k->url, k->pos);
}

static void enter_image(md_ctx *c, cmark_node *n) {
    if (c->image.depth++ > 0) return; /* an image inside a description is text */
    c->image.url = md_strdup(c, cmark_node_get_url(n));
    c->image.pos = node_pos(c, n);
    c->image.alt.len = 0;
}

/* Check the image and make it a block of its own, splitting the paragraph. */
static void exit_image(md_ctx *c) {
    if (--c->image.depth > 0) return;
    image_state *im = &c->image;
    const char *shown = shorten(c, im->url, strlen(im->url), SHOW_URL_CHARS);
    const char *alt = im->alt.len ? im->alt.s : "";
    size_t alt_len = im->alt.len;
    while (*alt == ' ') alt++, alt_len--;
    while (alt_len > 0 && alt[alt_len - 1] == ' ') alt_len--;
    int ok = 1;
    if (has_scheme(im->url)) {
        hd_error(c->d, HD_ERR_CONTENT, im->pos, "image '%s': images must be files in the project, not web addresses",
                 shown);
        ok = 0;
    } else if (im->url[0] && !ends_with_ci(im->url, ".png") && !ends_with_ci(im->url, ".jpg") &&
               !ends_with_ci(im->url, ".jpeg")) {
        hd_error(c->d, HD_ERR_CONTENT, im->pos,
                 "image '%s' must be a PNG or JPEG file (.png, .jpg or .jpeg): save it in one of those formats", shown);
        ok = 0;
    }
    if (alt_len == 0) {
        hd_error(c->d, HD_ERR_CONTENT, im->pos,
                 "image '%s' needs a description in [brackets] for people who cannot see it", shown);
        ok = 0;
    }
    if (c->leaf.blk.kind == HD_BLK_HEADING) {
        hd_error(c->d, HD_ERR_CONTENT, im->pos,
                 "image '%s' cannot be part of a heading: put it on a line of its own under the heading", shown);
        ok = 0;
    }
    const char *path = NULL;
    if (ok) {
        hd_status s = hd_resolve(c->a, c->d, c->p, c->file, im->url, im->pos, &path);
        if (s != HD_OK) {
            fail(c, s);
            ok = 0;
        }
    }
    if (!ok) {
        fail(c, HD_ERR_CONTENT);
        return;
    }
    hd_block_kind kind = c->leaf.blk.kind;
    finish_leaf(c);
    hd_block *b = add_block(c, HD_BLK_IMAGE, im->pos);
    b->image_path = path;
    b->alt = md_strndup(c, alt, alt_len);
    start_leaf(c, kind, 0, im->pos, 1);
}

/* ---- the walk ---- */

static void error_html(md_ctx *c, cmark_node *n) {
    hd_error(c->d, HD_ERR_CONTENT, node_pos(c, n),
             "raw HTML cannot be shown in a PDF handout: remove '%s' or write it as plain text",
             html_excerpt(c, cmark_node_get_literal(n)));
    fail(c, HD_ERR_CONTENT);
}

/* A list or quote: open it, or report the depth and skip what is inside. */
static void enter_nested(md_ctx *c, cmark_iter *it, cmark_node *n, hd_block_kind kind) {
    hd_pos pos = node_pos(c, n);
    if (c->depth >= HD_MAX_MD_DEPTH || c->nframes + 2 > MAX_FRAMES) {
        hd_error(c->d, HD_ERR_CONTENT, pos, "lists and quotes are nested more than %d levels deep; flatten them",
                 HD_MAX_MD_DEPTH);
        fail(c, HD_ERR_CONTENT);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT); /* continue after n */
        return;
    }
    c->depth++;
    hd_block *b = open_container(c, kind, pos);
    if (kind == HD_BLK_LIST) {
        b->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
        b->start = b->ordered ? cmark_node_get_list_start(n) : 0;
        b->tight = cmark_node_get_list_tight(n);
    }
}

static void code_block(md_ctx *c, cmark_node *n) {
    /* An indented code block (a fenced one starts with ``` or ~~~) is
     * nearly always text or a list indented by mistake. */
    size_t i, e;
    if (node_source(c, n, &i, &e)) {
        while (i < e && c->text[i] == ' ') i++;
        if (!(i + 3 <= e && (memcmp(c->text + i, "```", 3) == 0 || memcmp(c->text + i, "~~~", 3) == 0))) {
            content_error(c, node_pos(c, n),
                          "this text is indented by 4 spaces or a tab, which Markdown shows as code: remove the "
                          "indentation");
            return;
        }
    }
    const char *lit = cmark_node_get_literal(n);
    size_t len = lit ? strlen(lit) : 0;
    if (len > 0 && lit[len - 1] == '\n') len--;
    hd_block *b = add_block(c, HD_BLK_CODE, node_pos(c, n));
    hd_span *s = md_alloc(c, sizeof *s);
    b->spans = s;
    b->nspans = 1;
    s->kind = HD_SP_TEXT;
    s->style = HD_ST_MONO;
    s->text = md_strndup(c, lit ? lit : "", len);
    s->pos = b->pos;
}

static void on_enter(md_ctx *c, cmark_iter *it, cmark_node *n) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_BLOCK_QUOTE: enter_nested(c, it, n, HD_BLK_QUOTE); break;
    case CMARK_NODE_LIST: enter_nested(c, it, n, HD_BLK_LIST); break;
    case CMARK_NODE_ITEM: open_container(c, HD_BLK_ITEM, node_pos(c, n)); break;
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING: {
        int heading = cmark_node_get_type(n) == CMARK_NODE_HEADING;
        footnote_texts_seen(c, n);
        if (!heading) check_paragraph_lines(c, n);
        c->leaf_pos = node_pos(c, n);
        start_leaf(c, heading ? HD_BLK_HEADING : HD_BLK_PARA, heading ? cmark_node_get_heading_level(n) : 0,
                   c->leaf_pos, 0);
        break;
    }
    case CMARK_NODE_CODE_BLOCK:
        footnote_texts_seen(c, n);
        code_block(c, n);
        break;
    case CMARK_NODE_THEMATIC_BREAK: add_block(c, HD_BLK_RULE, node_pos(c, n)); break;
    case CMARK_NODE_HTML_BLOCK:
        footnote_texts_seen(c, n);
        error_html(c, n);
        break;
    case CMARK_NODE_HTML_INLINE: error_html(c, n); break;
    case CMARK_NODE_CUSTOM_BLOCK:
    case CMARK_NODE_CUSTOM_INLINE:
        hd_error(c->d, HD_ERR_CONTENT, node_pos(c, n),
                 "custom content cannot be shown in a PDF handout: remove it or write it as plain text");
        fail(c, HD_ERR_CONTENT);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
        break;
    case CMARK_NODE_TEXT:
        check_text_source(c, n);
        on_text(c, cmark_node_get_literal(n), 0, raw_pos(c, n));
        break;
    case CMARK_NODE_CODE: on_text(c, cmark_node_get_literal(n), HD_ST_MONO, raw_pos(c, n)); break;
    case CMARK_NODE_SOFTBREAK: on_text(c, " ", 0, raw_pos(c, n)); break;
    case CMARK_NODE_LINEBREAK:
        if (c->image.depth > 0)
            on_text(c, " ", 0, raw_pos(c, n));
        else
            add_break(c, raw_pos(c, n));
        break;
    case CMARK_NODE_EMPH: c->italic++; break;
    case CMARK_NODE_STRONG: c->bold++; break;
    case CMARK_NODE_LINK: enter_link(c, n); break;
    case CMARK_NODE_IMAGE: enter_image(c, n); break;
    default: break;
    }
}

static void on_exit(md_ctx *c, cmark_node *n) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST:
        c->depth--;
        close_container(c);
        break;
    case CMARK_NODE_ITEM: close_container(c); break;
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING: finish_leaf(c); break;
    case CMARK_NODE_EMPH: c->italic--; break;
    case CMARK_NODE_STRONG: c->bold--; break;
    case CMARK_NODE_LINK: exit_link(c); break;
    case CMARK_NODE_IMAGE: exit_image(c); break;
    default: break;
    }
}

static void walk(md_ctx *c, cmark_iter *it) {
    cmark_event_type ev;
    while (!c->too_many && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER)
            on_enter(c, it, n);
        else
            on_exit(c, n);
    }
}

/* Refuse text that would make cmark slow (20,000 of "![[]()" in one
 * paragraph take 0.5 s, 1 MiB of them half a minute): more than
 * HD_MAX_MD_IMAGES_PER_PARAGRAPH "![" between two blank lines. Reports the
 * first one too many. */
static hd_status check_image_density(hd_diags *d, const char *file, const char *text, size_t len, int line_offset,
                                     int col_offset) {
    size_t count = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        int blank = 1;
        for (size_t k = i; k < end; k++) {
            if (text[k] != ' ' && text[k] != '\t' && text[k] != '\r') blank = 0;
            if (text[k] == '!' && k + 1 < end && text[k + 1] == '[' && ++count > HD_MAX_MD_IMAGES_PER_PARAGRAPH) {
                int line, col;
                hd_offset_to_linecol(text, k, &line, &col);
                return hd_error(d, HD_ERR_CONTENT, hd_pos_at(file, line + line_offset, col + col_offset),
                                "more than %d images ('![') in one paragraph: put each image on a line of its own "
                                "with a blank line before and after it",
                                HD_MAX_MD_IMAGES_PER_PARAGRAPH);
            }
        }
        if (blank) count = 0;
        i = end + 1;
    }
    return HD_OK;
}

/* Append the parsed blocks after the caller's. */
static void append_blocks(md_ctx *c, hd_block **blocks, size_t *nblocks) {
    if (c->nblocks == 0) return;
    hd_block *all = md_alloc(c, (*nblocks + c->nblocks) * sizeof *all);
    if (*nblocks) memcpy(all, *blocks, *nblocks * sizeof *all);
    memcpy(all + *nblocks, c->blocks, c->nblocks * sizeof *all);
    *blocks = all;
    *nblocks += c->nblocks;
}

hd_status hd_markdown_check_headings(hd_arena *a, hd_diags *d, const hd_block *blocks, size_t nblocks) {
    hd_status s = HD_OK;
    for (size_t i = 0; i < nblocks; i++) {
        const hd_block *h = &blocks[i];
        if (h->kind != HD_BLK_HEADING) continue;
        const hd_block *next = i + 1 < nblocks ? &blocks[i + 1] : NULL;
        if (next && !(next->kind == HD_BLK_HEADING && next->level <= h->level)) continue;
        size_t len = 0;
        for (size_t k = 0; k < h->nspans; k++) len += strlen(h->spans[k].text) + 1;
        char *title = hd_alloc(a, len + 1);
        if (!title) return hd_error(d, HD_ERR_SYSTEM, h->pos, "out of memory");
        for (size_t k = 0; k < h->nspans; k++) strcat(title, h->spans[k].kind == HD_SP_BREAK ? " " : h->spans[k].text);
        int chars = 0;
        size_t cut = 0;
        while (title[cut] && chars < SHOW_HEADING_CHARS) {
            cut++;
            while (((unsigned char)title[cut] & 0xC0) == 0x80) cut++;
            chars++;
        }
        s = hd_error(d, HD_ERR_CONTENT, h->pos,
                     "the heading '%.*s%s' has no text under it: write the text that belongs under it, or remove "
                     "the heading",
                     (int)cut, title, title[cut] ? "..." : "");
    }
    return s;
}

/* ---- cmark's memory ----
 *
 * cmark takes its memory from a scratch arena of its own, freed when the
 * parse ends (its tree is not needed once the model is built), so running
 * out of memory inside cmark jumps to hd_markdown_parse like any other
 * arena allocation instead of cmark's abort(). cmark's allocation callbacks
 * take no context, so the arena is found through this thread's pointer, set
 * only while the thread is inside hd_markdown_parse (as paint.c does for
 * libharu). Each block carries its size in front of it, for realloc. Small
 * blocks that cmark frees (nodes, brackets, delimiters: it makes and drops
 * many while it parses inlines) go on a free list by size and are used
 * again; realloc copies (cmark grows its buffers by half each time, so the
 * copies left behind total less than twice the final size). */
#define CM_HEADER sizeof(max_align_t) /* keeps the block aligned for any type */
#define CM_CLASSES 16                 /* free lists for blocks up to 16 x CM_HEADER bytes */

typedef struct cm_free_block {
    struct cm_free_block *next;
} cm_free_block;

typedef struct {
    hd_arena *a;
    cm_free_block *free[CM_CLASSES]; /* by size / CM_HEADER - 1 */
} cm_heap;

static _Thread_local cm_heap *cmark_heap;

static size_t cm_round(size_t size) {
    return size == 0 ? CM_HEADER : (size + CM_HEADER - 1) / CM_HEADER * CM_HEADER;
}

static void *cm_block(size_t size, int zero) {
    if (size > SIZE_MAX / 2) size = SIZE_MAX / 2; /* the arena refuses it: out of memory */
    size = cm_round(size);
    cm_heap *h = cmark_heap;
    size_t cls = size / CM_HEADER - 1;
    if (cls < CM_CLASSES && h->free[cls]) {
        cm_free_block *f = h->free[cls];
        h->free[cls] = f->next;
        if (zero) memset(f, 0, size);
        return f;
    }
    size_t *p = zero ? hd_alloc(h->a, CM_HEADER + size) : hd_alloc_uninit(h->a, 1, CM_HEADER + size);
    if (!p) return NULL; /* not reached: the arena jumps */
    *p = size;
    return (char *)p + CM_HEADER;
}

static size_t cm_size(void *p) {
    return *(size_t *)((char *)p - CM_HEADER);
}

static void *cm_calloc(size_t n, size_t size) {
    return cm_block(size && n > SIZE_MAX / size ? SIZE_MAX : n * size, 1);
}

static void cm_free(void *p) {
    if (!p) return;
    size_t cls = cm_size(p) / CM_HEADER - 1;
    if (cls >= CM_CLASSES) return; /* freed with the scratch arena */
    cm_free_block *f = p;
    f->next = cmark_heap->free[cls];
    cmark_heap->free[cls] = f;
}

static void *cm_realloc(void *p, size_t size) {
    if (!p) return cm_block(size, 0);
    size_t old = cm_size(p);
    if (size <= old) return p;
    void *q = cm_block(size, 0);
    if (q) memcpy(q, p, old);
    cm_free(p);
    return q;
}

hd_status hd_markdown_parse(hd_arena *a, hd_diags *d, const hd_project *p, const char *file, const char *text,
                            size_t len, int line_offset, int col_offset, hd_block **blocks, size_t *nblocks) {
    hd_pos start = hd_pos_at(file, 1 + line_offset, 1 + col_offset);
    if (len > HD_MAX_MARKDOWN_BYTES)
        return hd_error(d, HD_ERR_CONTENT, start,
                        "the Markdown text is %zu bytes, more than the limit of %u bytes (256 KiB): split it into "
                        "several files",
                        len, HD_MAX_MARKDOWN_BYTES);
    /* Offsets are 0 for a file of its own, as hd_section says. */
    const char *what = line_offset == 0 && col_offset == 0 ? "Markdown file" : "Markdown text";
    size_t k = 0;
    while (k < len) { /* blanks, and non-breaking spaces pasted from a word processor */
        if (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r')
            k++;
        else if (k + 1 < len && (unsigned char)text[k] == 0xC2 && (unsigned char)text[k + 1] == 0xA0)
            k += 2;
        else
            break;
    }
    if (k == len)
        return hd_error(d, HD_ERR_CONTENT, start, "the %s is empty: write the section's text, or remove the section",
                        what);
    if (check_image_density(d, file, text, len, line_offset, col_offset) != HD_OK) return HD_ERR_CONTENT;

    /* cmark's scratch arena, held to what is left of the document's budget */
    hd_arena *ca = hd_arena_new();
    if (!ca) return hd_error(d, HD_ERR_SYSTEM, start, "out of memory while reading the Markdown text");
    size_t left = hd_arena_left(a);
    if (left != SIZE_MAX) hd_arena_set_limit(ca, left ? left : 1);
    /* Running out of memory in either arena, in cmark or in the walk, comes
     * here: free cmark's arena, then pass the jump on to the build's
     * recovery point, if any. Only ca, a, d, start and outer are used after
     * a jump: none changes after setjmp. */
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    hd_arena_on_oom(ca, &oom);
    if (setjmp(oom)) {
        cmark_heap = NULL;
        hd_arena_free(ca);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return hd_error(d, HD_ERR_SYSTEM, start, "out of memory while reading the Markdown text");
    }
    cm_heap heap = {.a = ca};
    cmark_heap = &heap;
    cmark_mem mem = {cm_calloc, cm_realloc, cm_free};
    cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT | CMARK_OPT_SMART | CMARK_OPT_SOURCEPOS, &mem);
    cmark_parser_feed(parser, text, len);
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_iter *it = cmark_iter_new(doc);

    md_ctx *c = md_alloc_ctx(a, &oom);
    c->a = a;
    c->d = d;
    c->p = p;
    c->file = file;
    c->line_offset = line_offset;
    c->col_offset = col_offset;
    c->text = text;
    c->len = len;
    c->leaf_pos = start;
    index_lines(c);
    check_front_matter(c);
    find_footnote_texts(c);

    walk(c, it);
    if (!c->too_many) report_footnote_texts(c); /* else not every block was read */
    if (c->nblocks == 0 && c->status == HD_OK)
        content_error(c, start, "the %s has no text to print: write the section's text, or remove the section", what);
    append_blocks(c, blocks, nblocks);
    hd_status status = c->status;
    cmark_heap = NULL;
    hd_arena_on_oom(a, outer);
    hd_arena_free(ca); /* the parser, tree and iterator at once */
    return status;
}
