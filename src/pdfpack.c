/* pdfpack.c: object streams, full compression and a stable /ID (see
 * pdfpack.h), deflating through zip.h (libdeflate).
 *
 * Owns: reading the painter's PDF (libharu's: a classic xref table, one
 * object after another, each stream's /Length in an object of its own) and
 * writing it again as a PDF 1.5+ file:
 *
 * - every object the trailer reaches that is not a stream goes, written
 *   compact (no line per entry; hex strings as the same literal strings),
 *   into one object stream; streams are written as objects of their own,
 *   deflated when they have no /Filter (a filtered stream, such as a JPEG,
 *   is copied as it is), with a direct /Length; an object that only held a
 *   stream's length, and any object nothing reaches, is left out;
 * - before deflating: page content streams get their hex strings (all of
 *   libharu's CID-font text) as literal strings, and 8-bit device-colour
 *   images the PNG Up predictor: the same content, fewer bytes to deflate
 *   and to store;
 * - a cross-reference stream (PNG "Up" predictor, deflated) carrying the
 *   trailer's /Root and /Info and an /ID: the first 128 bits of the SHA-256
 *   of each stream's number, length and Adler-32 (of its data before
 *   deflating, as its zlib stream carries it; the object stream holds every
 *   other object), so the same input always gives the same bytes.
 *
 * Object numbers are kept (left-out ones become free entries). Deflate is
 * libdeflate at level 6 (PACK_LEVEL), one compressor per document, freed at
 * the end of hd_pdf_pack (on an out-of-memory jump too). Measured with
 * callgrind, ketamine-relief (instructions of the whole process, of
 * deflating; PDF bytes), summit (no logo) | riverside (600x180 RGBA PNG logo):
 *   zlib level 6 (before)   53.2M, 12.5M; 32,879 | 84.3M, 36.0M; 38,077
 *   libdeflate level 1      44.4M,  3.8M; 34,300 | 58.0M,  9.8M; 40,482
 *   libdeflate level 6      47.9M,  7.4M; 32,601 | 68.2M, 20.2M; 37,968
 *   libdeflate level 9      51.7M, 11.2M; 32,384 | 86.7M, 38.7M; 37,333
 *   libdeflate level 12    139.4M, 98.8M; 31,517 | 1451M, 1403M; 35,943
 * Level 6 is smaller than zlib's output for a little over half of its
 * instructions; level 1 would save 3.6M more but adds 4-5% to every file
 * (ketamine-relief-es, summit: 36,185 bytes, over the 35 KB target; 34,309
 * at level 6). Levels 2 to 5 save at most 1.3M (summit) for files up to
 * 1.1 KB bigger; 9 and 12 cost far more for 1-4% smaller files.
 */
#include "pdfpack.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fsutil.h"
#include "zip.h"

/* libdeflate's level (see the header comment for the measurements) */
#ifndef PACK_LEVEL
#define PACK_LEVEL 6
#endif

typedef const unsigned char *ptr;

/* ------------------------------------------------------------ lexer */

enum { TK_END, TK_BAD, TK_DICT, TK_DICT_END, TK_ARRAY, TK_ARRAY_END, TK_NAME, TK_STRING, TK_WORD };

typedef struct {
    int kind;
    ptr s, e; /* the token's bytes */
} token;

/* Character classes: white space, delimiters (PDF 32000-1, 7.2.2). */
enum { C_REGULAR, C_SPACE, C_DELIM };
static const unsigned char char_class[256] = {
    [0] = C_SPACE,   ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE, [' '] = C_SPACE,
    ['('] = C_DELIM, [')'] = C_DELIM,  ['<'] = C_DELIM,  ['>'] = C_DELIM,  ['['] = C_DELIM,  [']'] = C_DELIM,
    ['{'] = C_DELIM, ['}'] = C_DELIM,  ['/'] = C_DELIM,  ['%'] = C_DELIM,
};

static ptr skip_space(ptr p, ptr end) {
    while (p < end) {
        if (char_class[*p] == C_SPACE)
            p++;
        else if (*p == '%')
            while (p < end && *p != '\n' && *p != '\r') p++;
        else
            break;
    }
    return p;
}

/* The token at *pp (after white space and comments); *pp moves past it. */
static token next_token(ptr *pp, ptr end) {
    ptr p = skip_space(*pp, end);
    token t = {TK_END, p, p};
    if (p >= end) return *pp = p, t;
    unsigned c = *p++;
    if (c == '<' && p < end && *p == '<') {
        t.kind = TK_DICT, p++;
    } else if (c == '>' && p < end && *p == '>') {
        t.kind = TK_DICT_END, p++;
    } else if (c == '[' || c == '{') {
        t.kind = TK_ARRAY;
    } else if (c == ']' || c == '}') {
        t.kind = TK_ARRAY_END;
    } else if (c == '<') { /* hex string */
        while (p < end && *p != '>') p++;
        t.kind = p < end ? TK_STRING : TK_BAD;
        p += p < end;
    } else if (c == '(') { /* literal string: balanced parentheses, backslash escapes */
        int depth = 1;
        while (p < end && depth) {
            if (*p == '\\')
                p++;
            else if (*p == '(')
                depth++;
            else if (*p == ')')
                depth--;
            p++;
        }
        t.kind = depth || p > end ? TK_BAD : TK_STRING;
        if (p > end) p = end;
    } else if (c == '/') {
        while (p < end && char_class[*p] == C_REGULAR) p++;
        t.kind = TK_NAME;
    } else if (c == ')' || c == '>') {
        t.kind = TK_BAD;
    } else {
        while (p < end && char_class[*p] == C_REGULAR) p++;
        t.kind = TK_WORD;
    }
    t.e = p;
    *pp = p;
    return t;
}

static int word_is(token t, const char *w) {
    size_t n = strlen(w);
    return t.kind == TK_WORD && (size_t)(t.e - t.s) == n && memcmp(t.s, w, n) == 0;
}

static int name_is(token t, const char *name) {
    size_t n = strlen(name);
    return t.kind == TK_NAME && (size_t)(t.e - t.s) == n && memcmp(t.s, name, n) == 0;
}

/* A non-negative integer token's value; -1 if it is not one. */
static long long uint_of(token t) {
    if (t.kind != TK_WORD || t.e == t.s || t.e - t.s > 15) return -1;
    long long v = 0;
    for (ptr q = t.s; q < t.e; q++) {
        if (*q < '0' || *q > '9') return -1;
        v = v * 10 + (*q - '0');
    }
    return v;
}

/* Past one value at *pp (a reference "n g R" counts as one); 0 on bad syntax. */
static int skip_value(ptr *pp, ptr end) {
    token t = next_token(pp, end);
    if (t.kind == TK_DICT || t.kind == TK_ARRAY) {
        int depth = 1;
        while (depth) {
            t = next_token(pp, end);
            if (t.kind == TK_END || t.kind == TK_BAD) return 0;
            depth += (t.kind == TK_DICT || t.kind == TK_ARRAY) - (t.kind == TK_DICT_END || t.kind == TK_ARRAY_END);
        }
        return 1;
    }
    if (uint_of(t) >= 0) { /* maybe "n g R" */
        ptr q = *pp;
        token g = next_token(&q, end), r = next_token(&q, end);
        if (uint_of(g) >= 0 && word_is(r, "R")) *pp = q;
        return 1;
    }
    return t.kind == TK_NAME || t.kind == TK_STRING || t.kind == TK_WORD;
}

/* The value of key in the dictionary at [s, e): [*vs, *ve); 0 if absent. */
static int dict_get(ptr s, ptr e, const char *key, ptr *vs, ptr *ve) {
    ptr p = s;
    if (next_token(&p, e).kind != TK_DICT) return 0;
    for (;;) {
        token k = next_token(&p, e);
        if (k.kind != TK_NAME) return 0;
        *vs = skip_space(p, e);
        if (!skip_value(&p, e)) return 0;
        *ve = p;
        if (name_is(k, key)) return 1;
    }
}

static int hex_digit(unsigned c) {
    return c >= '0' && c <= '9' ? (int)(c - '0') : c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10)
         : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* The hex string token t as a literal string at o, the same string (PDF
 * 32000-1, 7.3.4) in at most as many bytes: ( ) \ escaped, CR as \r (a
 * bare one would be read as LF). Returns the end, NULL if t is malformed. */
static unsigned char *hex_to_literal(token t, unsigned char *o) {
    *o++ = '(';
    int hi = -1;
    for (ptr h = t.s + 1; h < t.e - 1; h++) {
        int v = hex_digit(*h);
        if (v < 0) {
            if (char_class[*h] == C_SPACE) continue;
            return NULL;
        }
        if (hi < 0) {
            hi = v;
            continue;
        }
        unsigned c = (unsigned)(hi << 4 | v);
        hi = -1;
        if (c == '(' || c == ')' || c == '\\') *o++ = '\\';
        if (c == '\r') *o++ = '\\', c = 'r';
        *o++ = (unsigned char)c;
    }
    if (hi >= 0) *o++ = (unsigned char)(hi << 4); /* an odd digit count: a final 0 */
    *o++ = ')';
    return o;
}

/* ----------------------------------------------------------- objects */

typedef struct {
    size_t off;      /* of "n g obj"; 0: not in use */
    unsigned gen;
    ptr body, body_end; /* the object's value (a stream's: its dictionary) */
    ptr data;           /* a stream's data, or NULL */
    size_t data_len;
    ptr len_s, len_e;       /* a stream's "/Length value" in its dictionary */
    int has_filter;         /* a stream with a /Filter */
    int page_content;       /* a stream a page's /Contents names */
    unsigned img_colors;    /* an 8-bit DeviceGray/RGB/CMYK image, no /DecodeParms: 1, 3, 4; else 0 */
    size_t img_w, img_h;
    int reached;            /* the trailer reaches it */
    size_t text_off, text_len; /* its value in packer.text, compact */
    size_t ref_off, nrefs;     /* the objects it refers to, in packer.refs */
    size_t out_off;         /* where it was written */
    size_t stm_index;       /* its place in the object stream, + 1; 0: not in it */
} obj;

typedef struct {
    hd_arena *a;
    hd_diags *d;
    ptr in, end;
    obj *o;
    size_t n;              /* object numbers 0 .. n-1 */
    ptr root_s, root_e;    /* the trailer's /Root value */
    ptr info_s, info_e;    /* its /Info value, or NULL */
    unsigned char *out;
    size_t len, cap;
    hd_zip *zip;         /* deflate, for every stream of this document */
    unsigned char *lbuf; /* literal_strings' output, reused */
    size_t lcap;
    unsigned char *text; /* every object's value, compact (see compact_value) */
    size_t text_len, text_cap;
    uint32_t *refs; /* objects referred to; the top bit: by a stream dictionary's /Length */
    size_t nrefs, refs_cap;
    struct {
        unsigned char b[12];
    } * ids; /* per stream written: number, length, Adler-32 (4 bytes each, big-endian) */
    size_t nids, ids_cap;
} packer;

static hd_status bad_pdf(packer *k, const char *what) {
    return hd_error(k->d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0),
                    "packing the PDF failed: the painter's output is not a PDF this program can read (%s)", what);
}

/* Parse "n g obj" at off; *after: just past "obj". */
static int obj_header(packer *k, size_t off, long long num, unsigned *gen, ptr *after) {
    ptr p = k->in + off;
    token tn = next_token(&p, k->end), tg = next_token(&p, k->end), to = next_token(&p, k->end);
    if (uint_of(tn) != num || uint_of(tg) < 0 || uint_of(tg) > 65535 || !word_is(to, "obj")) return 0;
    *gen = (unsigned)uint_of(tg);
    *after = p;
    return 1;
}

/* The integer value of object num (a stream's indirect /Length); -1 if none. */
static long long int_object(packer *k, long long num) {
    if (num <= 0 || (size_t)num >= k->n || !k->o[num].off) return -1;
    unsigned gen;
    ptr p;
    if (!obj_header(k, k->o[num].off, num, &gen, &p)) return -1;
    return uint_of(next_token(&p, k->end));
}

/* The dictionary of a stream object: finds /Length and /Filter. */
static int stream_dict(packer *k, obj *o) {
    ptr p = o->body;
    if (next_token(&p, o->body_end).kind != TK_DICT) return 0;
    long long len = -1, w = -1, h = -1, bpc = -1;
    int image = 0, parms = 0;
    unsigned colors = 0;
    for (;;) {
        ptr ks = skip_space(p, o->body_end);
        token key = next_token(&p, o->body_end);
        if (key.kind == TK_DICT_END) break;
        ptr vs = p;
        if (key.kind != TK_NAME || !skip_value(&p, o->body_end)) return 0;
        ptr q = vs;
        token v = next_token(&q, p); /* the value's first token */
        if (name_is(key, "/Filter")) o->has_filter = 1;
        if (name_is(key, "/DecodeParms")) parms = 1;
        if (name_is(key, "/Subtype")) image = name_is(v, "/Image");
        if (name_is(key, "/Width")) w = uint_of(v);
        if (name_is(key, "/Height")) h = uint_of(v);
        if (name_is(key, "/BitsPerComponent")) bpc = uint_of(v);
        if (name_is(key, "/ColorSpace"))
            colors = name_is(v, "/DeviceGray") ? 1 : name_is(v, "/DeviceRGB") ? 3 : name_is(v, "/DeviceCMYK") ? 4 : 0;
        if (name_is(key, "/Length")) {
            len = uint_of(v);
            if (q < p) len = int_object(k, len); /* "n g R" */
            o->len_s = ks, o->len_e = p;
        }
    }
    if (len < 0 || (size_t)len > (size_t)(k->end - o->data)) return 0;
    o->data_len = (size_t)len;
    if (image && !parms && bpc == 8 && colors && w > 0 && h > 0 && w < 65536 && h < 65536 &&
        (size_t)(w * h * colors) == o->data_len)
        o->img_colors = colors, o->img_w = (size_t)w, o->img_h = (size_t)h;
    ptr e = o->data + len;
    e += e < k->end && *e == '\r';
    e += e < k->end && *e == '\n';
    return (size_t)(k->end - e) >= 9 && memcmp(e, "endstream", 9) == 0;
}

/* Room for n more bytes of compact text. */
static unsigned char *text_room(packer *k, size_t n) {
    if (k->text_len + n > k->text_cap) {
        size_t cap = (k->text_len + n) * 2;
        unsigned char *b = hd_alloc_uninit(k->a, cap, 1);
        if (k->text_len) memcpy(b, k->text, k->text_len);
        k->text = b, k->text_cap = cap;
    }
    return k->text + k->text_len;
}

static void add_ref(packer *k, long long num, int by_length) {
    if (num < 0 || num >= 0x7FFFFFFF) return;
    *HD_PUSH(k->a, k->refs, k->nrefs, k->refs_cap) = (uint32_t)num | (by_length ? 0x80000000u : 0);
}

/* One token of compact text: a space only where two tokens would run
 * together, hex strings as literal strings. 0 if malformed. */
static int put_token(packer *k, token t, int *prev) {
    unsigned char *o = text_room(k, (size_t)(t.e - t.s) + 1);
    if ((*prev == TK_WORD || *prev == TK_NAME) && t.kind == TK_WORD) *o++ = ' ';
    if (t.kind == TK_STRING && *t.s == '<') {
        if (!(o = hex_to_literal(t, o))) return 0;
    } else {
        for (ptr c = t.s; c < t.e; c++) *o++ = *c; /* tokens are short */
    }
    k->text_len = (size_t)(o - k->text);
    *prev = t.kind;
    return 1;
}

/* The value at *pp, once through the lexer: written to k->text compact
 * (libharu's line per entry and hex strings make a third of its bytes),
 * with its references recorded; *pp moves past it. 0 on bad syntax. */
static int compact_value(packer *k, obj *o, ptr *pp) {
    o->text_off = k->text_len;
    o->ref_off = k->nrefs;
    int depth = 0, prev = TK_END;
    token none = {TK_END, NULL, NULL}, t1 = none, t2 = none, t3 = none; /* the tokens before */
    do {
        token t = next_token(pp, k->end);
        if (t.kind == TK_END || t.kind == TK_BAD) return 0;
        if (depth == 0 && (t.kind == TK_DICT_END || t.kind == TK_ARRAY_END)) return 0;
        if (depth == 0 && uint_of(t) >= 0) { /* a number, or a reference "n g R" */
            ptr q = *pp;
            token g = next_token(&q, k->end), r = next_token(&q, k->end);
            if (uint_of(g) >= 0 && word_is(r, "R")) {
                add_ref(k, uint_of(t), 0);
                if (!put_token(k, t, &prev) || !put_token(k, g, &prev) || !put_token(k, r, &prev)) return 0;
                *pp = q;
                break;
            }
        }
        depth += (t.kind == TK_DICT || t.kind == TK_ARRAY) - (t.kind == TK_DICT_END || t.kind == TK_ARRAY_END);
        if (word_is(t, "R") && uint_of(t1) >= 0 && uint_of(t2) >= 0)
            add_ref(k, uint_of(t2), depth == 1 && name_is(t3, "/Length"));
        if (!put_token(k, t, &prev)) return 0;
        t3 = t2, t2 = t1, t1 = t;
    } while (depth > 0);
    o->text_len = k->text_len - o->text_off;
    o->nrefs = k->nrefs - o->ref_off;
    return 1;
}

/* One object: its value, and a stream's data. */
static int read_object(packer *k, long long num) {
    obj *o = &k->o[num];
    if (!obj_header(k, o->off, num, &o->gen, &o->body)) return 0;
    ptr p = o->body;
    if (!compact_value(k, o, &p)) return 0;
    o->body_end = p;
    token t = next_token(&p, k->end);
    if (word_is(t, "endobj")) return 1;
    if (!word_is(t, "stream")) return 0;
    p += p < k->end && *p == '\r';
    if (p >= k->end || *p != '\n') return 0;
    o->data = p + 1;
    return stream_dict(k, o);
}

/* The classic xref table and trailer at the end of the input. */
static hd_status read_xref(packer *k) {
    size_t tail = k->end - k->in < 64 ? (size_t)(k->end - k->in) : 64;
    ptr sx = NULL;
    for (ptr q = k->end - tail; q + 9 <= k->end; q++)
        if (memcmp(q, "startxref", 9) == 0) sx = q + 9;
    if (!sx) return bad_pdf(k, "no startxref");
    ptr p = sx;
    long long xoff = uint_of(next_token(&p, k->end));
    if (xoff < 0 || xoff >= k->end - k->in) return bad_pdf(k, "bad startxref");
    p = k->in + xoff;
    if (!word_is(next_token(&p, k->end), "xref")) return bad_pdf(k, "no xref table (a cross-reference stream?)");
    for (;;) { /* subsections: "first count", then count 20-byte entries */
        ptr q = p;
        token t = next_token(&q, k->end);
        if (word_is(t, "trailer")) {
            p = q;
            break;
        }
        long long first = uint_of(t), count = uint_of(next_token(&q, k->end));
        if (first < 0 || count < 0 || first + count > 8000000) return bad_pdf(k, "bad xref subsection");
        if ((size_t)(first + count) > k->n) {
            obj *o = hd_allocn(k->a, (size_t)(first + count), sizeof *o);
            if (k->n) memcpy(o, k->o, k->n * sizeof *o);
            k->o = o, k->n = (size_t)(first + count);
        }
        for (long long i = 0; i < count; i++) {
            token off = next_token(&q, k->end), gen = next_token(&q, k->end), type = next_token(&q, k->end);
            if (uint_of(off) < 0 || uint_of(gen) < 0 || !(word_is(type, "n") || word_is(type, "f")))
                return bad_pdf(k, "bad xref entry");
            if (word_is(type, "n") && first + i > 0) {
                if (uint_of(off) >= k->end - k->in) return bad_pdf(k, "xref entry past the end");
                k->o[first + i].off = (size_t)uint_of(off);
            }
        }
        p = q;
    }
    /* the trailer dictionary: /Root and /Info */
    if (next_token(&p, k->end).kind != TK_DICT) return bad_pdf(k, "bad trailer");
    for (;;) {
        token key = next_token(&p, k->end);
        if (key.kind == TK_DICT_END) break;
        ptr vs = skip_space(p, k->end);
        if (key.kind != TK_NAME || !skip_value(&p, k->end)) return bad_pdf(k, "bad trailer");
        if (name_is(key, "/Root")) k->root_s = vs, k->root_e = p;
        if (name_is(key, "/Info")) k->info_s = vs, k->info_e = p;
        if (name_is(key, "/Encrypt")) return bad_pdf(k, "encrypted");
    }
    if (!k->root_s) return bad_pdf(k, "no /Root");
    return HD_OK;
}

/* Mark what the references in the trailer's [s, e) reach. */
static void reach_span(packer *k, ptr s, ptr e, size_t *stack, size_t *top) {
    token t1 = {TK_END, s, s}, t2 = t1;
    for (ptr p = s;;) {
        token t = next_token(&p, e);
        if (t.kind == TK_END || t.kind == TK_BAD) return;
        long long num = uint_of(t2);
        if (word_is(t, "R") && uint_of(t1) >= 0 && num >= 0 && (size_t)num < k->n && k->o[num].off &&
            !k->o[num].reached) {
            k->o[num].reached = 1;
            stack[(*top)++] = (size_t)num;
        }
        t2 = t1, t1 = t;
    }
}

/* Flag the streams that pages' /Contents name (a reference or an array);
 * a page whose dictionary does not start with /Type is left out: its
 * content is then only not made smaller. */
static void mark_page_contents(packer *k) {
    for (size_t i = 1; i < k->n; i++) {
        const obj *o = &k->o[i];
        ptr vs, ve;
        if (!o->off || o->data) continue;
        ptr q = o->body; /* "<< /Type /Page": libharu writes /Type first */
        token d = next_token(&q, o->body_end), key = next_token(&q, o->body_end), type = next_token(&q, o->body_end);
        if (d.kind != TK_DICT || !name_is(key, "/Type") || !name_is(type, "/Page") ||
            !dict_get(o->body, o->body_end, "/Contents", &vs, &ve))
            continue;
        token t1 = {TK_END, vs, vs}, t2 = t1;
        for (ptr p = vs;;) {
            token t = next_token(&p, ve);
            if (t.kind == TK_END || t.kind == TK_BAD) break;
            long long num = uint_of(t2);
            if (word_is(t, "R") && uint_of(t1) >= 0 && num >= 0 && (size_t)num < k->n && k->o[num].data)
                k->o[num].page_content = 1;
            t2 = t1, t1 = t;
        }
    }
}

static hd_status read_pdf(packer *k) {
    hd_status s = read_xref(k);
    if (s != HD_OK) return s;
    for (size_t i = 1; i < k->n; i++)
        if (k->o[i].off && !read_object(k, (long long)i)) {
            char what[48];
            snprintf(what, sizeof what, "object %zu", i);
            return bad_pdf(k, what);
        }
    mark_page_contents(k);
    size_t *stack = hd_allocn(k->a, k->n + 1, sizeof *stack), top = 0;
    reach_span(k, k->root_s, k->root_e, stack, &top);
    if (k->info_s) reach_span(k, k->info_s, k->info_e, stack, &top);
    while (top) {
        const obj *o = &k->o[stack[--top]];
        for (size_t i = o->ref_off; i < o->ref_off + o->nrefs; i++) {
            uint32_t r = k->refs[i], num = r & 0x7FFFFFFFu;
            if ((r & 0x80000000u) && o->data) continue; /* a stream's /Length: written direct */
            if (num < k->n && k->o[num].off && !k->o[num].reached) {
                k->o[num].reached = 1;
                stack[top++] = num;
            }
        }
    }
    return HD_OK;
}

/* ------------------------------------------------------------ output */

static void put(packer *k, const void *s, size_t n) {
    if (k->len + n > k->cap) { /* rarely: the first guess is generous */
        size_t cap = (k->len + n) * 2;
        unsigned char *b = hd_alloc_uninit(k->a, cap, 1);
        memcpy(b, k->out, k->len);
        k->out = b, k->cap = cap;
    }
    memcpy(k->out + k->len, s, n);
    k->len += n;
}

static void putf(packer *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(packer *k, const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof buf) {
        put(k, buf, (size_t)n);
        return;
    }
    va_start(ap, fmt);
    char *big = hd_vsprintf(k->a, fmt, ap);
    va_end(ap);
    put(k, big, strlen(big));
}

/* Stream num's data (uncompressed: n bytes, Adler-32 adler) counts towards
 * the /ID. */
static void note_stream(packer *k, size_t num, size_t n, uint32_t adler) {
    unsigned char *e = HD_PUSH(k->a, k->ids, k->nids, k->ids_cap)->b;
    const uint32_t v[3] = {(uint32_t)num, (uint32_t)n, (uint32_t)adler};
    for (int i = 0; i < 12; i++) e[i] = (unsigned char)(v[i / 4] >> (24 - 8 * (i % 4)));
}

/* Deflate stream num's data in[0..n); *out_len bytes at the result, valid
 * until the next call. NULL (with an error reported) if that failed. */
static const unsigned char *deflate_buf(packer *k, size_t num, const unsigned char *in, size_t n, size_t *out_len) {
    uint32_t adler;
    const unsigned char *z = hd_zip_deflate(k->zip, in, n, out_len, &adler);
    if (!z) {
        hd_error(k->d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "packing the PDF failed: could not compress object %zu", num);
        return NULL;
    }
    note_stream(k, num, n, adler);
    return z;
}

/* A content stream with its hex strings written as literal strings: the
 * same strings (PDF 32000-1, 7.3.4), half the bytes to deflate and fewer
 * after (libharu writes all CID-font text in hex). *n: the new length; the
 * result is valid until the next call.
 * NULL (keep the stream as it is) if it may hold an inline image, whose
 * data this scan cannot skip, or a malformed string. */
static unsigned char *literal_strings(packer *k, ptr in, size_t len, size_t *n) {
    /* where copying stops: strings, comments, and B for "BI" */
    static const unsigned char stop[256] = {['<'] = 1, ['('] = 1, ['%'] = 1, ['B'] = 1};
    if (len * 2 + 2 > k->lcap) { /* escapes can at most double a string */
        k->lcap = len * 2 + 2 > 65536 ? len * 2 + 2 : 65536;
        k->lbuf = hd_alloc_uninit(k->a, k->lcap, 1);
    }
    unsigned char *out = k->lbuf, *o = out;
    ptr p = in, end = in + len;
    while (p < end) {
        ptr q = p;
        while (q < end && !stop[*q]) q++;
        if (q < end && *q == 'B') { /* "BI" as a word: an inline image */
            if (q + 1 < end && q[1] == 'I' && (q == in || char_class[q[-1]] != C_REGULAR) &&
                (q + 2 == end || char_class[q[2]] != C_REGULAR))
                return NULL;
            q++;
            memcpy(o, p, (size_t)(q - p)), o += q - p;
            p = q;
            continue;
        }
        memcpy(o, p, (size_t)(q - p)), o += q - p;
        if (q == end) break;
        p = q;
        token t = next_token(&q, end); /* a string, a comment up to the next token, or "<<" */
        if (t.kind == TK_BAD) return NULL;
        if (t.kind != TK_STRING || *t.s != '<') {
            memcpy(o, p, (size_t)(q - p)), o += q - p;
            p = q;
            continue;
        }
        memcpy(o, p, (size_t)(t.s - p)), o += t.s - p; /* a comment before it */
        if (!(o = hex_to_literal(t, o))) return NULL;
        p = q;
    }
    *n = (size_t)(o - out);
    return out;
}

/* An 8-bit image's rows with the PNG "Up" predictor (each byte minus the
 * one above it, a filter-type byte before each row): deflate finds this
 * faster and packs it smaller (ketamine-relief, riverside: the logo's two
 * images 440 bytes smaller, 4M fewer instructions). *n: the new length. */
static const unsigned char *png_up(packer *k, const obj *o, size_t *n) {
    size_t row = o->img_w * o->img_colors;
    *n = (row + 1) * o->img_h;
    if (*n > k->lcap) {
        k->lcap = *n;
        k->lbuf = hd_alloc_uninit(k->a, k->lcap, 1);
    }
    unsigned char *out = k->lbuf;
    for (size_t y = 0; y < o->img_h; y++) {
        const unsigned char *cur = o->data + y * row, *up = y ? cur - row : NULL;
        unsigned char *d = out + y * (row + 1);
        d[0] = 2;
        if (!up) {
            memcpy(d + 1, cur, row);
            continue;
        }
        size_t x = 0;
        for (; x + 8 <= row; x += 8) { /* 8 byte-wise subtractions at once, no borrow between bytes */
            const uint64_t H = 0x8080808080808080u;
            uint64_t a, b;
            memcpy(&a, cur + x, 8);
            memcpy(&b, up + x, 8);
            uint64_t r = ((a | H) - (b & ~H)) ^ ((a ^ ~b) & H);
            memcpy(d + 1 + x, &r, 8);
        }
        for (; x < row; x++) d[1 + x] = (unsigned char)(cur[x] - up[x]);
    }
    return out;
}

/* A stream object: its dictionary without /Length, then a direct one. */
static hd_status write_stream(packer *k, size_t num) {
    obj *o = &k->o[num];
    const unsigned char *data = o->data;
    size_t n = o->data_len;
    if (!o->has_filter && o->page_content) {
        unsigned char *lit = literal_strings(k, data, n, &n);
        if (lit)
            data = lit;
        else
            n = o->data_len;
    } else if (!o->has_filter && o->img_colors) {
        data = png_up(k, o, &n);
    }
    if (o->has_filter)
        note_stream(k, num, n, hd_zip_adler32(data, n));
    else if (!(data = deflate_buf(k, num, data, n, &n)))
        return HD_ERR_SYSTEM;
    o->out_off = k->len;
    putf(k, "%zu %u obj\n", num, o->gen);
    ptr close = o->body_end - 2; /* the dictionary's ">>" */
    ptr rest = skip_space(o->len_e, close);
    put(k, o->body, (size_t)(o->len_s - o->body));
    put(k, rest, (size_t)(close - rest));
    if (!o->has_filter && o->img_colors)
        putf(k, "/DecodeParms <</Predictor 12/Colors %u/Columns %zu>>", o->img_colors, o->img_w);
    putf(k, "/Length %zu%s>>\nstream\n", n, o->has_filter ? "" : " /Filter /FlateDecode");
    put(k, data, n);
    put(k, "\nendstream\nendobj\n", 18);
    return HD_OK;
}

/* v in decimal and a space at o; returns the end. */
static char *put_uint(char *o, size_t v) {
    char d[24];
    int n = 0;
    do d[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n) *o++ = d[--n];
    *o++ = ' ';
    return o;
}

/* Every other object reached, as compact text in one object stream,
 * number num. */
static hd_status write_object_stream(packer *k, size_t num) {
    size_t count = 0, body = 0;
    for (size_t i = 1; i < k->n; i++)
        if (k->o[i].reached && !k->o[i].data && k->o[i].gen == 0) count++, body += k->o[i].text_len + 1;
    if (!count) return HD_OK;
    char *head = hd_alloc(k->a, count * 24 + 1), *h = head;
    unsigned char *text = hd_alloc(k->a, body + 1);
    size_t tl = 0, idx = 0;
    for (size_t i = 1; i < k->n; i++) {
        obj *o = &k->o[i];
        if (!o->reached || o->data || o->gen != 0) continue;
        h = put_uint(put_uint(h, i), tl);
        memcpy(text + tl, k->text + o->text_off, o->text_len);
        tl += o->text_len;
        text[tl++] = '\n';
        o->stm_index = ++idx;
    }
    size_t hl = (size_t)(h - head);
    unsigned char *all = hd_alloc(k->a, hl + tl);
    memcpy(all, head, hl);
    memcpy(all + hl, text, tl);
    size_t n;
    const unsigned char *z = deflate_buf(k, num, all, hl + tl, &n);
    if (!z) return HD_ERR_SYSTEM;
    k->o[num].out_off = k->len; /* k->o has room: see hd_pdf_pack */
    putf(k, "%zu 0 obj\n<< /Type /ObjStm /N %zu /First %zu /Filter /FlateDecode /Length %zu >>\nstream\n", num, count, hl,
         n);
    put(k, z, n);
    put(k, "\nendstream\nendobj\n", 18);
    return HD_OK;
}

static unsigned bytes_for(size_t v) {
    unsigned b = 1;
    while (b < 8 && (v >> (8 * b))) b++;
    return b;
}

/* The cross-reference stream, number num (the last object), and the end. */
static hd_status write_xref_stream(packer *k, size_t stm, size_t num) {
    size_t size = num + 1, max2 = 0, max3 = 0;
    k->o[num].out_off = k->len;
    for (size_t i = 0; i < size; i++) {
        const obj *o = &k->o[i];
        if (o->stm_index) {
            max2 = stm > max2 ? stm : max2;
            max3 = o->stm_index - 1 > max3 ? o->stm_index - 1 : max3;
        } else if (o->out_off) {
            max2 = o->out_off > max2 ? o->out_off : max2;
            max3 = o->gen > max3 ? o->gen : max3;
        }
    }
    unsigned w2 = bytes_for(max2), w3 = bytes_for(max3), cols = 1 + w2 + w3;
    /* rows with the PNG Up predictor: each byte minus the one above it */
    unsigned char *rows = hd_alloc(k->a, size * (cols + 1)), *prev = hd_alloc(k->a, cols), cur[1 + 8 + 8];
    for (size_t i = 0; i < size; i++) {
        const obj *o = &k->o[i];
        unsigned type = o->stm_index ? 2 : o->out_off ? 1 : 0;
        size_t f2 = type == 2 ? stm : type == 1 ? o->out_off : 0, f3 = type == 2 ? o->stm_index - 1 : type == 1 ? o->gen : 0;
        cur[0] = (unsigned char)type;
        for (unsigned b = 0; b < w2; b++) cur[1 + b] = (unsigned char)(f2 >> (8 * (w2 - 1 - b)));
        for (unsigned b = 0; b < w3; b++) cur[1 + w2 + b] = (unsigned char)(f3 >> (8 * (w3 - 1 - b)));
        unsigned char *r = rows + i * (cols + 1);
        r[0] = 2;
        for (unsigned b = 0; b < cols; b++) r[1 + b] = (unsigned char)(cur[b] - prev[b]);
        memcpy(prev, cur, cols);
    }
    size_t n;
    char id[65];
    hd_sha256_hex(k->ids, k->nids * sizeof *k->ids, id); /* before the xref stream counts itself */
    id[32] = 0;
    const unsigned char *z = deflate_buf(k, num, rows, size * (cols + 1), &n);
    if (!z) return HD_ERR_SYSTEM;
    putf(k, "%zu 0 obj\n<< /Type /XRef /Size %zu /W [ 1 %u %u ] /Root ", num, size, w2, w3);
    put(k, k->root_s, (size_t)(k->root_e - k->root_s));
    if (k->info_s) {
        put(k, " /Info ", 7);
        put(k, k->info_s, (size_t)(k->info_e - k->info_s));
    }
    putf(k, " /ID [ <%s> <%s> ] /Filter /FlateDecode /DecodeParms << /Columns %u /Predictor 12 >> /Length %zu >>\nstream\n",
         id, id, cols, n);
    put(k, z, n);
    putf(k, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", k->o[num].out_off);
    return HD_OK;
}

static hd_status write_pdf(packer *k) {
    /* the header: the input's version, at least 1.5 (object streams) */
    int major = 1, minor = 5;
    if (k->end - k->in > 8 && memcmp(k->in, "%PDF-", 5) == 0 && k->in[5] >= '1' && k->in[5] <= '9' && k->in[6] == '.' &&
        k->in[7] >= '0' && k->in[7] <= '9') {
        int ma = k->in[5] - '0', mi = k->in[7] - '0';
        if (ma > 1 || mi > 5) major = ma, minor = mi;
    }
    putf(k, "%%PDF-%d.%d\n%%\xBF\xF7\xA2\xFE\n", major, minor);
    size_t stm = k->n, xref = k->n + 1;
    for (size_t i = 1; i < k->n; i++) {
        obj *o = &k->o[i];
        if (!o->reached) continue;
        hd_status s = HD_OK;
        if (o->data) {
            s = write_stream(k, i);
        } else if (o->gen != 0) { /* not allowed in an object stream */
            o->out_off = k->len;
            putf(k, "%zu %u obj\n", i, o->gen);
            put(k, o->body, (size_t)(o->body_end - o->body));
            put(k, "\nendobj\n", 8);
        }
        if (s != HD_OK) return s;
    }
    hd_status s = write_object_stream(k, stm);
    if (s == HD_OK) s = write_xref_stream(k, stm, xref);
    return s;
}

hd_status hd_pdf_pack(hd_arena *a, hd_diags *d, const unsigned char *in, size_t len, unsigned char **out,
                      size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    packer k = {.a = a, .d = d, .in = in, .end = in + len};
    hd_status s = read_pdf(&k);
    if (s != HD_OK) return s;
    /* room for two more objects: the object stream and the xref stream */
    obj *o = hd_allocn(a, k.n + 2, sizeof *o);
    memcpy(o, k.o, k.n * sizeof *o);
    k.o = o;
    k.cap = len / 8 + 32768; /* it grows if need be; libharu's streams are uncompressed */
    k.out = hd_alloc_uninit(a, k.cap, 1); /* written before it is read, as are the buffers below */
    hd_zip *zip = k.zip = hd_zip_new(a, PACK_LEVEL);
    if (!zip) return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "out of memory packing the PDF");
    /* The compressor is malloc'd, not the arena's: should the arena run
     * out of memory while it lives, free it, then pass the jump on. */
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        hd_zip_free(zip);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "out of memory packing the PDF");
    }
    s = write_pdf(&k);
    hd_arena_on_oom(a, outer);
    hd_zip_free(zip);
    if (s != HD_OK) return s;
    *out = k.out;
    *out_len = k.len;
    return HD_OK;
}
