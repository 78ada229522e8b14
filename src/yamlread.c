/* yamlread.c: YAML -> hd_ynode tree, with libyaml's event API (see yamlread.h).
 *
 * Owns: the libyaml parser's lifetime (created and deleted here on every
 * path), turning events into nodes with 1-based positions, and refusing
 * anchors/aliases/tags, extra documents, deep nesting, too many values,
 * duplicate keys and control characters. Parse errors get friendlier words.
 */
#include "yamlread.h"

#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <yaml.h>

#include "fsutil.h"

/* ---- finding lines in the source (libyaml counts \r\n, \r, \n, NEL, LS, PS) ---- */

typedef struct {
    const char *text;
    size_t len;
    size_t line; /* 0-based line number of off */
    size_t off;  /* byte offset where that line starts */
} line_cursor;

static size_t break_len(const char *t, size_t len, size_t i) {
    unsigned char c = (unsigned char)t[i];
    if (c == '\r') return i + 1 < len && t[i + 1] == '\n' ? 2 : 1;
    if (c == '\n') return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)t[i + 1] == 0x85) return 2;
    if (c == 0xE2 && i + 2 < len && (unsigned char)t[i + 1] == 0x80 &&
        ((unsigned char)t[i + 2] == 0xA8 || (unsigned char)t[i + 2] == 0xA9))
        return 3;
    return 0;
}

static void cursor_init(line_cursor *lc, const char *text, size_t len) {
    lc->text = text;
    lc->len = len;
    lc->line = 0;
    lc->off = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* Byte range [*start, *end) of 0-based `line` (without its break). Returns 0
 * if the file has fewer lines. Moving forward is amortised O(1). */
static int cursor_line(line_cursor *lc, size_t line, size_t *start, size_t *end) {
    if (line < lc->line) cursor_init(lc, lc->text, lc->len);
    size_t i = lc->off;
    while (lc->line < line) {
        size_t b = 0;
        while (i < lc->len && (b = break_len(lc->text, lc->len, i)) == 0) i++;
        if (i >= lc->len) return 0;
        i += b;
        lc->line++;
        lc->off = i;
    }
    size_t e = i;
    while (e < lc->len && break_len(lc->text, lc->len, e) == 0) e++;
    *start = i;
    *end = e;
    return 1;
}

/* Byte offset of 0-based (line, col in characters), or len if past the end. */
static size_t cursor_offset(line_cursor *lc, size_t line, size_t col) {
    size_t s, e;
    if (!cursor_line(lc, line, &s, &e)) return lc->len;
    while (s < e && col > 0) {
        s++;
        while (s < e && ((unsigned char)lc->text[s] & 0xC0) == 0x80) s++;
        col--;
    }
    return s;
}

/* libyaml's marks count characters from the start (a BOM not counted, \r\n
 * as two): byte offsets for them, walking forward (amortised O(1) when the
 * marks asked for do not go back). */
typedef struct {
    const char *text;
    size_t len;
    size_t chars, off;
} char_cursor;

static void chars_init(char_cursor *cc, const char *text, size_t len) {
    cc->text = text;
    cc->len = len;
    cc->chars = 0;
    cc->off = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static size_t chars_offset(char_cursor *cc, size_t index) {
    if (index < cc->chars) chars_init(cc, cc->text, cc->len);
    while (cc->chars < index && cc->off < cc->len) {
        cc->off++;
        while (cc->off < cc->len && ((unsigned char)cc->text[cc->off] & 0xC0) == 0x80) cc->off++;
        cc->chars++;
    }
    return cc->off;
}

/* ---- the reader ---- */

typedef struct {
    hd_ynode *node;
    int have_key; /* a mapping: a key was read, its value comes next */
    const char *key;
    hd_pos key_pos;
    size_t key_end; /* character index where the key ends */
    int flow;       /* in [brackets] or {braces} */
    size_t cap; /* of node->pairs or node->items */
} frame;

typedef struct {
    hd_arena *a;
    hd_diags *d;
    const char *file;
    line_cursor lines;
    char_cursor chars;
    frame stack[HD_YAML_MAX_DEPTH];
    int depth;
    size_t nodes;
    int docs;
    int errors;
    int system; /* libyaml ran out of memory */
    hd_ynode *root;
    size_t last_end; /* character index where the last scalar ended */
    /* the last block scalar (| or >) that is a mapping value: the line where
     * it ends (the next non-empty line), its text's column, its key's */
    int block_line, block_col, block_key_col;
    int block_item_col; /* its mapping is an item of a block list: the '-' column (else 0) */
    int flow_depth;    /* open [ ] and { } */
    size_t flow_start; /* character index of the outermost one */
} reader;

enum { GO_ON, DONE, STOP };

static const char *const ALIAS_MSG = "YAML anchors and aliases (&name, *name) are not allowed: write the value out";

static hd_pos mark_pos(const reader *r, yaml_mark_t m) {
    return hd_pos_at(r->file, (int)m.line + 1, (int)m.column + 1);
}

static void fail(reader *r, hd_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(reader *r, hd_pos at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hd_verror(r->d, HD_ERR_CONTENT, at, fmt, ap);
    va_end(ap);
    r->errors++;
}

/* Anchors (&a) and tags (!!str) on a scalar or collection. */
static void check_props(reader *r, const yaml_event_t *ev, const yaml_char_t *anchor, const yaml_char_t *tag) {
    if (anchor) fail(r, mark_pos(r, ev->start_mark), "%s", ALIAS_MSG);
    if (tag) fail(r, mark_pos(r, ev->start_mark), "YAML tags (like !!str or !name) are not allowed: write the plain value");
}

static hd_ynode *new_node(reader *r, hd_ykind kind, const yaml_event_t *ev) {
    if (++r->nodes > HD_YAML_MAX_NODES) {
        fail(r, mark_pos(r, ev->start_mark),
             "the file holds more than %d values; split it into smaller files", HD_YAML_MAX_NODES);
        return NULL;
    }
    hd_ynode *n = hd_alloc(r->a, sizeof *n);
    n->kind = kind;
    n->pos = mark_pos(r, ev->start_mark);
    n->text_pos = n->pos;
    return n;
}

/* Where line 1 col 1 of a block scalar's text is: the line after the
 * indicator, at the indentation of its first non-empty line. */
static hd_pos block_text_pos(reader *r, const yaml_event_t *ev, const char *val, size_t len) {
    size_t k = 0, i = 0; /* k: index of the first non-empty value line, starting at i */
    while (i < len && val[i] == '\n') {
        i++;
        k++;
    }
    size_t vend = i;
    while (vend < len && val[vend] != '\n') vend++;
    size_t header = ev->start_mark.line;
    hd_pos at = hd_pos_at(r->file, (int)header + 2, 1);
    size_t s, e;
    if (i >= len || !cursor_line(&r->lines, header + 1 + k, &s, &e)) return at;
    const char *src = r->lines.text;
    size_t indent = 0;
    size_t vl = vend - i;
    if (vl <= e - s && memcmp(src + e - vl, val + i, vl) == 0) {
        indent = e - s - vl; /* the value line is the source line minus the indentation */
        for (size_t j = s; j < s + indent; j++)
            if (src[j] != ' ') indent = 0;
    }
    if (indent == 0)
        while (s + indent < e && src[s + indent] == ' ') indent++;
    at.col = (int)indent + 1;
    return at;
}

/* A value must not smuggle in control characters through escapes ("\0", "\e"). */
static int check_controls(reader *r, hd_pos at, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            fail(r, at, "the value contains the control character U+%04X (written as an escape like \\0 or \\e); remove it", c);
            return 0;
        }
    }
    return 1;
}

/* A comment after byte offset i (at 1-based line, col) on the same line,
 * past blanks: n's comment_after, comment and comment_slip. */
static void comment_on_line(reader *r, hd_ynode *n, size_t i, int line, int col) {
    const char *t = r->chars.text;
    size_t len = r->chars.len, from = i;
    while (i < len && (t[i] == ' ' || t[i] == '\t')) i++, col++;
    if (i < len && t[i] == '#') {
        size_t e = i;
        while (e < len && !break_len(t, len, e)) e++;
        n->comment_after = hd_pos_at(r->file, line, col);
        n->comment = hd_strndup(r->a, t + i, e - i);
        n->comment_slip = i - from == 1 && t[from] == ' ';
    }
}

/* A plain scalar's comments that may have eaten text (see yamlread.h). */
static void find_comments(reader *r, const yaml_event_t *ev, hd_ynode *n) {
    const char *t = r->chars.text;
    size_t len = r->chars.len;
    frame *f = r->depth ? &r->stack[r->depth - 1] : NULL;
    if (f && f->node->kind == HD_YMAP && f->have_key && ev->start_mark.line + 1 > (size_t)f->key_pos.line) {
        /* between the key and a value on a later line: only ':', blanks,
         * line breaks and comments */
        size_t i = chars_offset(&r->chars, f->key_end), end = chars_offset(&r->chars, ev->start_mark.index);
        size_t line_start = i; /* of the key's line: back to its start (the key's line holds no break) */
        while (line_start > 0 && t[line_start - 1] != '\n' && t[line_start - 1] != '\r' &&
               !(line_start >= 2 && break_len(t, len, line_start - 2) == 2) &&
               !(line_start >= 3 && break_len(t, len, line_start - 3) == 3))
            line_start--;
        int line = f->key_pos.line;
        for (; i < end; i++) {
            size_t b = break_len(t, len, i);
            if (b) {
                line++;
                i += b - 1;
                line_start = i + 1;
            } else if (t[i] == '#') {
                int col = 1;
                for (size_t j = line_start; j < i; j++) col += ((unsigned char)t[j] & 0xC0) != 0x80;
                n->comment_before = hd_pos_at(r->file, line, col);
                break;
            }
        }
    }
    size_t i = chars_offset(&r->chars, ev->end_mark.index);
    comment_on_line(r, n, i, (int)ev->end_mark.line + 1, (int)ev->end_mark.column + 1);
}

static hd_ynode *scalar_node(reader *r, const yaml_event_t *ev) {
    const char *val = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    hd_ynode *n = new_node(r, HD_YSCALAR, ev);
    if (!n) return NULL;
    check_controls(r, n->pos, val, len);
    n->str = hd_strndup(r->a, val, len);
    n->len = len;
    n->end_pos = mark_pos(r, ev->end_mark);
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n->style = HD_YQUOTED;
        n->text_pos.col++;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
    case YAML_FOLDED_SCALAR_STYLE:
        n->style = ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ? HD_YLITERAL : HD_YFOLDED;
        n->text_pos = block_text_pos(r, ev, val, len);
        {
            /* a comment on the header line: 'markdown: | ## What to expect' */
            size_t at = chars_offset(&r->chars, ev->start_mark.index), i = at + 1;
            while (i < r->chars.len && strchr("+-0123456789", r->chars.text[i]) && r->chars.text[i]) i++;
            comment_on_line(r, n, i, (int)ev->start_mark.line + 1, (int)(ev->start_mark.column + 1 + (i - at)));
        }
        break;
    default:
        n->style = HD_YPLAIN;
        find_comments(r, ev, n);
        char name[80];
        const char *q = val;
        if (ev->start_mark.column == 0 && len && (unsigned char)val[0] >= 0x80 &&
            hd_invisible_name(hd_utf8_next(&q), name, sizeof name))
            /* indentation pasted from a web page or a word processor */
            fail(r, n->pos, "this line starts with %s, which YAML does not read as indentation: replace it with "
                 "ordinary spaces", name);
        break;
    }
    r->last_end = ev->end_mark.index;
    return n;
}

static int is_scalar_key(const hd_ynode *n) {
    return n->kind == HD_YSCALAR;
}

/* Hang a new node under the open collection (or make it the root). */
static int attach(reader *r, hd_ynode *n) {
    if (r->depth == 0) {
        r->root = n;
        return GO_ON;
    }
    frame *f = &r->stack[r->depth - 1];
    hd_ynode *top = f->node;
    if (top->kind == HD_YSEQ) {
        *HD_PUSH(r->a, top->items, top->nitems, f->cap) = n;
        return GO_ON;
    }
    if (!f->have_key) {
        if (!is_scalar_key(n)) {
            fail(r, n->pos, "a key must be a single word, not %s; write 'key: value'", hd_ynode_what(n));
            return STOP;
        }
        if (top->npairs && n->style == HD_YPLAIN && strchr(n->str, ' ') && n->pos.line == r->block_line &&
            top->pairs[top->npairs - 1].value->end_pos.line == r->block_line)
            /* "A pasted paragraph: ..." right after a block, where the key of
             * the next pair would be: no key has a space */
            fail(r, n->pos, "this line is less indented than the Markdown above it: indent it to line up with the "
                 "block (column %d)", r->block_col);
        f->have_key = 1;
        f->key = n->str;
        f->key_pos = n->pos;
        f->key_end = r->last_end;
        return GO_ON;
    }
    if (n->kind == HD_YSCALAR && (n->style == HD_YLITERAL || n->style == HD_YFOLDED)) {
        r->block_line = n->end_pos.line;
        r->block_col = n->text_pos.col;
        r->block_key_col = f->key_pos.col;
        const frame *up = r->depth >= 2 ? &r->stack[r->depth - 2] : NULL;
        r->block_item_col = up && up->node->kind == HD_YSEQ && !up->flow ? up->node->pos.col : 0;
    }
    hd_ypair *p = HD_PUSH(r->a, top->pairs, top->npairs, f->cap);
    p->key = f->key;
    p->key_pos = f->key_pos;
    p->value = n;
    f->have_key = 0;
    return GO_ON;
}

static uint64_t hash_key(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Duplicate keys, reported at the second one. A hash table keeps a hostile
 * mapping with 50,000 keys linear. */
static void check_duplicates(reader *r, const hd_ynode *map) {
    if (map->npairs < 2) return;
    size_t size = 4;
    while (size < map->npairs * 2) size *= 2;
    const hd_ypair **slots = hd_allocn(r->a, size, sizeof *slots);
    for (size_t i = 0; i < map->npairs; i++) {
        const hd_ypair *p = &map->pairs[i];
        size_t h = (size_t)hash_key(p->key) & (size - 1);
        while (slots[h] && strcmp(slots[h]->key, p->key) != 0) h = (h + 1) & (size - 1);
        if (slots[h])
            fail(r, p->key_pos, "key '%s' appears twice (first at line %d); remove one", p->key, slots[h]->key_pos.line);
        else
            slots[h] = p;
    }
}

static int open_collection(reader *r, const yaml_event_t *ev, hd_ykind kind) {
    if (r->depth >= HD_YAML_MAX_DEPTH) {
        fail(r, mark_pos(r, ev->start_mark),
             "the data is nested too deeply (more than %d levels); flatten it", HD_YAML_MAX_DEPTH);
        return STOP;
    }
    hd_ynode *n = new_node(r, kind, ev);
    if (!n) return STOP;
    if (attach(r, n) == STOP) return STOP;
    int flow = kind == HD_YMAP ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                               : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    if (flow && r->flow_depth++ == 0) r->flow_start = ev->start_mark.index;
    frame *f = &r->stack[r->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->flow = flow;
    return GO_ON;
}

static int close_collection(reader *r) {
    if (r->depth == 0) return STOP; /* libyaml never does this */
    if (r->stack[r->depth - 1].flow) r->flow_depth--;
    hd_ynode *n = r->stack[--r->depth].node;
    if (n->kind == HD_YMAP) check_duplicates(r, n);
    return GO_ON;
}

static int on_event(reader *r, const yaml_event_t *ev) {
    hd_ynode *n;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (r->docs++ > 0) {
            fail(r, mark_pos(r, ev->start_mark),
                 "a second YAML document starts here ('---'); keep everything in one document and remove this line");
            return STOP;
        }
        return GO_ON;
    case YAML_ALIAS_EVENT:
        fail(r, mark_pos(r, ev->start_mark), "%s", ALIAS_MSG);
        n = new_node(r, HD_YSCALAR, ev); /* a stand-in, so reading can go on */
        if (!n) return STOP;
        n->str = "";
        return attach(r, n);
    case YAML_SCALAR_EVENT:
        check_props(r, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
        n = scalar_node(r, ev);
        return n ? attach(r, n) : STOP;
    case YAML_SEQUENCE_START_EVENT:
        check_props(r, ev, ev->data.sequence_start.anchor, ev->data.sequence_start.tag);
        return open_collection(r, ev, HD_YSEQ);
    case YAML_MAPPING_START_EVENT:
        check_props(r, ev, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
        return open_collection(r, ev, HD_YMAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_collection(r);
    case YAML_STREAM_END_EVENT:
        return DONE;
    default:
        return GO_ON;
    }
}

/* ---- parse errors in plain words ---- */

int hd_invisible_name(unsigned cp, char *buf, size_t size) {
    const char *name = NULL;
    switch (cp) {
    case 0x00A0: name = "a non-breaking space"; break;
    case 0x00AD: name = "an invisible soft hyphen"; break;
    case 0x200B: name = "an invisible zero-width space"; break;
    case 0x200C: name = "an invisible zero-width non-joiner"; break;
    case 0x200D: name = "an invisible zero-width joiner"; break;
    case 0x200E: name = "an invisible left-to-right mark"; break;
    case 0x200F: name = "an invisible right-to-left mark"; break;
    case 0x202F: name = "a narrow non-breaking space"; break;
    case 0x2060: name = "an invisible word joiner"; break;
    case 0xFEFF: name = "an invisible zero-width no-break space"; break;
    case 0x3000: name = "an ideographic space"; break;
    default:
        if (cp >= 0x2000 && cp <= 0x200A) name = "a special-width space";
        break;
    }
    if (!name) return 0;
    snprintf(buf, size, "%s (U+%04X)", name, cp);
    return 1;
}

/* The parts of a source line "  - key: value": byte offsets into the text.
 * key is empty for a list item or a line without "key: "; the value runs to
 * the end of the line, trailing blanks dropped. */
typedef struct {
    size_t start, end;         /* the line */
    size_t indent;             /* first non-blank */
    size_t key, key_end;       /* key == key_end: none */
    size_t value, value_end;   /* value == value_end: none */
} src_line;

static int get_src_line(reader *r, size_t line0, src_line *l) {
    const char *t = r->lines.text;
    if (!cursor_line(&r->lines, line0, &l->start, &l->end)) return 0;
    size_t i = l->start;
    while (i < l->end && t[i] == ' ') i++;
    l->indent = i;
    if (i + 1 < l->end && t[i] == '-' && t[i + 1] == ' ') {
        i += 2;
        while (i < l->end && t[i] == ' ') i++;
    }
    l->key = l->key_end = i;
    /* a simple key: no quotes or brackets, up to the first ": " */
    if (i < l->end && !strchr("\"'[{", t[i]))
        for (size_t j = i; j < l->end; j++) {
            if (t[j] == ':' && (j + 1 == l->end || t[j + 1] == ' ')) {
                l->key_end = j;
                i = j + 1;
                while (i < l->end && t[i] == ' ') i++;
                break;
            }
            if (t[j] == '#' && j > i && t[j - 1] == ' ') break;
        }
    l->value = i;
    size_t e = l->end;
    while (e > i && (t[e - 1] == ' ' || t[e - 1] == '\t')) e--;
    l->value_end = e;
    return 1;
}

/* 1-based column of byte offset off on a line starting at `start`. */
static int col_of(const reader *r, size_t start, size_t off) {
    int col = 1;
    for (size_t j = start; j < off; j++) col += ((unsigned char)r->lines.text[j] & 0xC0) != 0x80;
    return col;
}

static int starts_with(const char *t, size_t i, size_t end, const char *s) {
    size_t n = strlen(s);
    return end - i >= n && memcmp(t + i, s, n) == 0;
}

/* "title: " for advice on the line l ("- " for a list item, "" else). */
static const char *key_prefix(reader *r, const src_line *l) {
    const char *t = r->lines.text;
    if (l->key_end > l->key) return hd_sprintf(r->a, "%.*s: ", (int)(l->key_end - l->key), t + l->key);
    return l->key > l->indent ? "- " : "";
}

/* Mistakes libyaml reports in words that do not help: a value in curly
 * quotes, quotes or brackets that end a value early, a no-break space
 * after a colon, a colour whose '#' starts a comment, a line pasted into a
 * block with less indentation, text after '|' or '>'. 1 if reported. */
static int explain_parse_error(reader *r, const yaml_parser_t *p, const char *problem) {
    const char *t = r->lines.text;
    const char *ctx = p->context ? p->context : "";
    src_line l;
    /* the line of the problem, of its context, and the one before (a plain
     * value running on from there) */
    size_t lines[3] = {p->problem_mark.line, p->context ? p->context_mark.line : p->problem_mark.line,
                       p->problem_mark.line ? p->problem_mark.line - 1 : 0};
    for (int k = 0; k < 3; k++) {
        if (!get_src_line(r, lines[k], &l)) continue;
        int line = (int)lines[k] + 1;
        /* "“Ketamine: what to expect”" (not on the line before: that one was read) */
        if (k < 2 && (starts_with(t, l.value, l.value_end, "\xE2\x80\x9C") || starts_with(t, l.value, l.value_end, "\xE2\x80\x98"))) {
            fail(r, hd_pos_at(r->file, line, col_of(r, l.start, l.value)),
                 "the value starts with a curly quote, which YAML does not read as a quote: replace the curly quotes "
                 "\xE2\x80\x9C \xE2\x80\x9D with straight quotes \" \"");
            return 1;
        }
        /* "title:<no-break space>Ketamine" */
        for (size_t j = l.indent; j + 1 < l.value_end; j++) {
            if (t[j] != ':') continue;
            const char *q = t + j + 1;
            char name[80];
            if (hd_invisible_name(hd_utf8_next(&q), name, sizeof name)) {
                fail(r, hd_pos_at(r->file, line, col_of(r, l.start, j + 1)),
                     "after ':' comes %s instead of an ordinary space, and YAML does not read it as a space: delete it "
                     "and type a space",
                     name);
                return 1;
            }
            break;
        }
    }
    /* a line pasted into a block (| or >) with less indentation than it */
    if (r->block_line &&
        (p->problem_mark.line + 1 == (size_t)r->block_line || (p->context && p->context_mark.line + 1 == (size_t)r->block_line)) &&
        get_src_line(r, (size_t)r->block_line - 1, &l)) {
        int col = col_of(r, l.start, l.indent);
        int keylike = l.key_end > l.key && l.indent == l.key;
        const char *q = t + l.indent;
        char name[80];
        if (l.indent < l.end && (unsigned char)*q >= 0x80 && hd_invisible_name(hd_utf8_next(&q), name, sizeof name)) {
            /* Markdown indented with non-breaking spaces pasted from a web
             * page: not 'less indented', the spaces are the wrong kind */
            fail(r, hd_pos_at(r->file, r->block_line, col),
                 "this line %s %s, which YAML does not read as indentation: replace it with ordinary spaces",
                 l.indent > l.start ? "is indented with" : "starts with", name);
            return 1;
        }
        int item = l.key > l.indent; /* "- " or "- key: " */
        if (col < r->block_col && r->block_item_col && item && col != r->block_item_col &&
            (col <= r->block_key_col || l.key_end > l.key)) {
            /* "   - file: x.md" after the block: a list item out of line
             * (indenting it to the block would print it) */
            fail(r, hd_pos_at(r->file, r->block_line, col),
                 "this list item is not lined up with the items above it: move its '- ' to column %d, under the '- ' of the items above",
                 r->block_item_col);
            return 1;
        }
        if (col < r->block_col && (col > r->block_key_col || !keylike)) {
            fail(r, hd_pos_at(r->file, r->block_line, col),
                 "this line is less indented than the Markdown above it: indent it to line up with the block (column %d)",
                 r->block_col);
            return 1;
        }
    }
    if (strcmp(problem, "did not find expected comment or line break") == 0 &&
        strcmp(ctx, "while scanning a block scalar") == 0 && get_src_line(r, p->context_mark.line, &l)) {
        size_t ind = cursor_offset(&r->lines, p->context_mark.line, p->context_mark.column);
        size_t v = ind + 1;
        while (v < l.value_end && strchr("+-0123456789 ", t[v])) v++;
        fail(r, mark_pos(r, p->context_mark),
             "text cannot follow '%c' on the same line: put it on the lines below, indented, or for one line leave out "
             "the '%c', like %s%.*s",
             t[ind], t[ind], key_prefix(r, &l), (int)(l.value_end - v), t + v);
        return 1;
    }
    if (strncmp(problem, "did not find expected key", 25) == 0 || strncmp(problem, "did not find expected '-'", 25) == 0) {
        /* title: [Draft] Ketamine / 'It's fine' / "Say "hello" to us" */
        if (!get_src_line(r, p->problem_mark.line, &l) || l.value >= l.value_end) return 0;
        char open = t[l.value];
        size_t at = cursor_offset(&r->lines, p->problem_mark.line, p->problem_mark.column);
        if (!strchr("[{'\"", open) || at <= l.value) return 0;
        hd_pos pos = hd_pos_at(r->file, (int)p->problem_mark.line + 1, col_of(r, l.start, l.value));
        const char *whole = t + l.value;
        size_t n = l.value_end - l.value;
        if (open == '[' || open == '{') {
            fail(r, pos, "a value starting with %c must be in quotes: write %s%s", open, key_prefix(r, &l),
                 hd_yaml_quote(r->a, whole, n));
            return 1;
        }
        const char *inner = whole + 1;
        size_t m = n >= 2 && whole[n - 1] == open ? n - 2 : n - 1;
        const char *fix;
        if (open == '\'')
            fix = memchr(inner, '"', m) || memchr(inner, '\\', m) ? hd_yaml_quote(r->a, inner, m)
                                                                   : hd_sprintf(r->a, "\"%.*s\"", (int)m, inner);
        else
            fix = hd_yaml_quote(r->a, inner, m)[0] == '\'' ? hd_yaml_quote(r->a, inner, m)
                                                           : hd_sprintf(r->a, "'%.*s'", (int)m, inner);
        fail(r, pos,
             "a %c inside a value in %s quotes ends it early: use the other kind of quotes around it, or %s: write %s%s",
             open, open == '\'' ? "single" : "double",
             open == '\'' ? "double the ' inside single quotes" : "write \\\" for each \" inside", key_prefix(r, &l), fix);
        return 1;
    }
    if (r->flow_depth && strstr(ctx, "flow")) {
        /* { primary: #5b2a86 }: the '#' starts a comment, to the end of the line */
        size_t from = chars_offset(&r->chars, r->flow_start);
        size_t to = cursor_offset(&r->lines, p->problem_mark.line, p->problem_mark.column);
        for (size_t j = from + 1; j < to && j < r->lines.len; j++) {
            if (t[j] != '#' || (t[j - 1] != ' ' && t[j - 1] != '\t')) continue;
            size_t b = j - 1;
            while (b > from && (t[b] == ' ' || t[b] == '\t')) b--;
            if (!strchr(":,[{", t[b])) continue;
            size_t e = j + 1;
            while (e < r->lines.len && strchr("0123456789abcdefABCDEF", t[e]) && t[e]) e++;
            int line, col;
            hd_offset_to_linecol(t, j, &line, &col);
            hd_pos pos = hd_pos_at(r->file, line, col);
            if (e - j == 7 || e - j == 4)
                fail(r, pos, "a colour must be in quotes, because # starts a comment: write \"%.*s\"", (int)(e - j), t + j);
            else
                fail(r, pos, "'#' here starts a comment, which cuts off the rest of the line: put the value in quotes");
            return 1;
        }
    }
    return 0;
}


typedef struct {
    const char *problem; /* libyaml's text (prefix) */
    const char *context; /* NULL: any */
    const char *msg;
    int at_context; /* report at the context mark (where the thing started) */
} friendly;

static const friendly FRIENDLY[] = {
    {"found a tab character", NULL, "tabs cannot be used for indentation in YAML; use spaces", 0},
    {"mapping values are not allowed", NULL,
     "a colon followed by a space (': ') is not allowed here: put the whole value in quotes, like "
     "title: \"Ketamine: what to expect\", or check the indentation",
     0},
    {"did not find expected key", NULL,
     "this line is not lined up with the keys above it; keys of one mapping must start in the same column", 0},
    {"did not find expected '-' indicator", NULL,
     "this line is not lined up with the list above it; start every item with '- ' in the same column", 0},
    {"found unexpected end of stream", "while scanning a quoted scalar",
     "this quoted value is never closed; add the closing quote", 1},
    {"could not find expected ':'", NULL,
     "expected 'key: value' here; add ': ' after the key, or put text that runs over several lines in quotes", 1},
    {"found unknown escape character", NULL,
     "unknown escape after a backslash in double quotes; write \\\\ for a backslash, or use single quotes", 0},
    {"did not find expected ',' or ']'", NULL,
     "a list in [brackets] is not closed or misses a comma; check the ']' and the commas", 1},
    {"did not find expected ',' or '}'", NULL,
     "a mapping in {braces} is not closed or misses a comma; check the '}' and the commas", 1},
    {"found undefined tag handle", NULL, "YAML tags (like !!str or !name) are not allowed: write the plain value", 0},
    {"block sequence entries are not allowed", NULL,
     "a list item ('- ') cannot start here; put the list on its own lines under the key", 0},
    {"did not find expected node content", NULL,
     "a value is missing here, or starts with a character YAML reserves (* & ! | > % @ `); put it in quotes", 0},
    {"did not find expected <document start>", NULL,
     "this line is indented less than the first line of the file; start every top-level key in column 1, with no "
     "spaces before it",
     0},
    {"did not find expected alphabetic or numeric character", "while scanning an alias",
     "'*' here starts a YAML alias; for a list item write '- ' instead, or put the text in quotes", 1},
    {"did not find expected alphabetic or numeric character", "while scanning an anchor",
     "'&' here starts a YAML anchor; put the text in quotes", 1},
    {"found character that cannot start any token", NULL,
     "this character cannot start a value in YAML (` and @ are reserved); put the value in quotes", 0},
};

static void report_parse_error(reader *r, const yaml_parser_t *p) {
    if (p->error == YAML_MEMORY_ERROR) {
        hd_error(r->d, HD_ERR_SYSTEM, hd_pos_at(r->file, 0, 0), "out of memory while reading YAML");
        r->system = 1;
        return;
    }
    const char *problem = p->problem ? p->problem : "the YAML cannot be read";
    if (p->error == YAML_READER_ERROR) {
        int line, col;
        hd_offset_to_linecol(r->lines.text, p->problem_offset, &line, &col);
        if (strstr(problem, "control characters"))
            fail(r, hd_pos_at(r->file, line, col),
                 "the file contains the control character U+%04X, which YAML does not allow; delete it", p->problem_value);
        else
            fail(r, hd_pos_at(r->file, line, col), "%s", problem);
        return;
    }
    hd_pos at = mark_pos(r, p->problem_mark);
    size_t off = cursor_offset(&r->lines, p->problem_mark.line, p->problem_mark.column);
    if (off < r->lines.len && r->lines.text[off] == '\t') {
        fail(r, at, "tabs cannot be used for indentation in YAML; use spaces");
        return;
    }
    if (explain_parse_error(r, p, problem)) return;
    for (size_t i = 0; i < sizeof FRIENDLY / sizeof FRIENDLY[0]; i++) {
        const friendly *f = &FRIENDLY[i];
        if (strncmp(problem, f->problem, strlen(f->problem)) != 0) continue;
        if (f->context && (!p->context || strcmp(p->context, f->context) != 0)) continue;
        fail(r, f->at_context && p->context ? mark_pos(r, p->context_mark) : at, "%s", f->msg);
        return;
    }
    if (p->context)
        fail(r, at, "%s (%s)", problem, p->context);
    else
        fail(r, at, "%s", problem);
}

/* ---- entry points ---- */

static int only_null(const hd_ynode *root) {
    return !root || hd_ynode_is_null(root);
}

hd_status hd_yaml_parse(hd_arena *a, hd_diags *d, const char *file, const char *text, size_t len,
                        hd_ynode **root) {
    *root = NULL;
    reader *r = hd_alloc(a, sizeof *r);
    r->a = a;
    r->d = d;
    r->file = file;
    cursor_init(&r->lines, text, len);
    chars_init(&r->chars, text, len);

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(file, 0, 0), "out of memory while reading YAML");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    /* libyaml's parser and event are malloc'd: should the arena run out of
     * memory while they live, free them, then pass the jump on. */
    yaml_event_t ev;
    volatile int have_ev = 0;
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        if (have_ev) yaml_event_delete(&ev);
        yaml_parser_delete(&parser);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(file, 0, 0), "out of memory while reading YAML");
    }
    int state = GO_ON;
    while (state == GO_ON) {
        if (!yaml_parser_parse(&parser, &ev)) {
            report_parse_error(r, &parser);
            break;
        }
        have_ev = 1;
        state = on_event(r, &ev);
        yaml_event_delete(&ev);
        have_ev = 0;
    }
    hd_arena_on_oom(a, outer);
    int complete = state == DONE;
    yaml_parser_delete(&parser);

    if (r->system) return HD_ERR_SYSTEM;
    if (complete && r->errors == 0 && only_null(r->root)) {
        fail(r, hd_pos_at(file, r->root ? r->root->pos.line : 1, r->root ? r->root->pos.col : 1),
             "the file is empty: expected a mapping with keys like 'id' and 'title'");
    }
    if (r->errors || !complete) return HD_ERR_CONTENT;
    *root = r->root;
    return HD_OK;
}

hd_status hd_yaml_load(hd_arena *a, hd_diags *d, const char *path, const char *what, hd_pos at,
                       hd_ynode **root) {
    char *text;
    size_t len;
    *root = NULL;
    hd_status s = hd_read_file(a, d, path, HD_MAX_SPEC_BYTES, 1, what, at, &text, &len);
    if (s != HD_OK) return s;
    return hd_yaml_parse(a, d, path, text, len, root);
}

/* ---- looking things up ---- */

const hd_ypair *hd_ymap_pair(const hd_ynode *map, const char *key) {
    if (!map || map->kind != HD_YMAP) return NULL;
    for (size_t i = 0; i < map->npairs; i++)
        if (strcmp(map->pairs[i].key, key) == 0) return &map->pairs[i];
    return NULL;
}

hd_ynode *hd_ymap_get(const hd_ynode *map, const char *key) {
    const hd_ypair *p = hd_ymap_pair(map, key);
    return p ? p->value : NULL;
}

int hd_ynode_is_null(const hd_ynode *n) {
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    if (!n || n->kind != HD_YSCALAR || n->style != HD_YPLAIN) return 0;
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (strcmp(n->str, nulls[i]) == 0) return 1;
    return 0;
}

const char *hd_ynode_what(const hd_ynode *n) {
    if (!n) return "missing";
    if (n->kind == HD_YMAP) return "a mapping";
    if (n->kind == HD_YSEQ) return "a list";
    return hd_ynode_is_null(n) ? "empty" : "text";
}

const char *hd_yaml_quote(hd_arena *a, const char *s, size_t n) {
    if (!memchr(s, '"', n) && !memchr(s, '\\', n)) return hd_sprintf(a, "\"%.*s\"", (int)n, s);
    char *out = hd_alloc(a, 2 * n + 3), *o = out;
    *o++ = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') *o++ = '\'';
        *o++ = s[i];
    }
    *o++ = '\'';
    *o = 0;
    return out;
}
