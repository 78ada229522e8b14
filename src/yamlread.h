/* yamlread.h: YAML text -> a small tree of maps, lists and text.
 *
 * Owns: the only use of libyaml (event API). It refuses what a handout
 * never needs and a hostile file could abuse: anchors, aliases, tags, more
 * than one document, nesting deeper than HD_YAML_MAX_DEPTH, more than
 * HD_YAML_MAX_NODES values, duplicate keys, control characters in values.
 * Every node carries its 1-based file:line:col. All memory is in the arena.
 */
#ifndef HD_YAMLREAD_H
#define HD_YAMLREAD_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"

#define HD_YAML_MAX_DEPTH 32
#define HD_YAML_MAX_NODES 100000

typedef enum { HD_YMAP, HD_YSEQ, HD_YSCALAR } hd_ykind;
/* How a scalar was written: plain, in quotes ('...' or "..."), or as a
 * block: literal (|, |-, |+: line breaks kept) or folded (>: lines joined). */
typedef enum { HD_YPLAIN, HD_YQUOTED, HD_YLITERAL, HD_YFOLDED } hd_ystyle;

typedef struct hd_ynode hd_ynode;

typedef struct {
    const char *key; /* NUL-terminated */
    hd_pos key_pos;
    hd_ynode *value;
} hd_ypair;

struct hd_ynode {
    hd_ykind kind;
    hd_pos pos; /* where the value starts (the '|' of a block, the quote, ...) */
    /* HD_YSCALAR */
    const char *str; /* NUL-terminated; never holds a NUL byte */
    size_t len;
    hd_ystyle style;
    /* Where line 1 col 1 of str is in the file: for a block scalar (| or >)
     * the first line after the indicator, at the block's indentation; for a
     * quoted scalar the character after the quote; else pos. */
    hd_pos text_pos;
    hd_pos end_pos; /* just after the value's last character */
    /* Plain scalars: a '#' comment that may hold text the writer meant as
     * part of the value (line 0: none). comment_after: on the line where
     * the value ends, after it (or, for an empty value, after the key);
     * comment is its text from the '#' to the end of the line. Block
     * scalars (| and >): comment_after and comment are a comment on the
     * header line, after the '|' or '>'.
     * comment_before: a value that starts on a line below its key, with a
     * comment between the key and the value (like '## Heading'). */
    hd_pos comment_after;
    const char *comment;
    /* 1 when exactly one space (no tab) comes before comment_after's '#',
     * as in a slip like 'Ketamine infusions #2'; two or more blanks mark a
     * comment written on purpose ('What to expect   # optional'). */
    int comment_slip;
    hd_pos comment_before;
    /* HD_YMAP: keys in file order, no two equal */
    hd_ypair *pairs;
    size_t npairs;
    /* HD_YSEQ */
    hd_ynode **items;
    size_t nitems;
};

/* Parse text (len bytes, need not be NUL-terminated) from `file` (used in
 * positions). On success *root is the document's top node. Every problem is
 * recorded in d; on error *root is NULL and the status is HD_ERR_CONTENT
 * (HD_ERR_SYSTEM if libyaml ran out of memory). An empty file or one with
 * only comments is an error. */
hd_status hd_yaml_parse(hd_arena *a, hd_diags *d, const char *file, const char *text, size_t len,
                        hd_ynode **root);

/* hd_read_file (text, HD_MAX_SPEC_BYTES) + hd_yaml_parse. `what` names the
 * file for messages ("handout spec"); `at` is where it was referenced. */
hd_status hd_yaml_load(hd_arena *a, hd_diags *d, const char *path, const char *what, hd_pos at,
                       hd_ynode **root);

/* The value of `key` in a mapping, or NULL (also when map is not a mapping). */
hd_ynode *hd_ymap_get(const hd_ynode *map, const char *key);
/* The pair for `key`, or NULL. */
const hd_ypair *hd_ymap_pair(const hd_ynode *map, const char *key);
/* 1 for a plain scalar that YAML calls null: empty, ~, null, Null, NULL. */
int hd_ynode_is_null(const hd_ynode *n);
/* "a list", "a mapping", "text", "empty": for "must be X, not Y" messages. */
const char *hd_ynode_what(const hd_ynode *n);

/* For a character that cannot be seen or looks like a plain space (no-break
 * and zero-width spaces, soft hyphen, direction marks, ...): its name for
 * messages, like "a non-breaking space (U+00A0)", in buf; 0 for others. */
int hd_invisible_name(unsigned cp, char *buf, size_t size);

/* s (n bytes) written as a YAML value in quotes, for "write ..." advice:
 * "s" when it holds no " or \, else 's' (a ' inside doubled). */
const char *hd_yaml_quote(hd_arena *a, const char *s, size_t n);

#endif
