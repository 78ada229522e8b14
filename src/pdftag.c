/* pdftag.c: tagged PDF and correct ToUnicode maps on libharu 2.3.0 (see
 * pdftag.h).
 *
 * Owns: every use of libharu's internal object API. It relies on the
 * layouts of HPDF_Doc_Rec (mmgr, xref, catalog, pdf_version),
 * HPDF_PageAttr_Rec (stream, gstate->font), HPDF_Dict_Rec (stream, filter,
 * attr, write_fn), HPDF_FontAttr_Rec (its size; writing_mode read by
 * HPDF_Page_SetFontAndSize), on HPDF_Font_Validate accepting a dictionary
 * of class HPDF_OSUBCLASS_FONT with an attr, on how HPDF_Dict_Write treats
 * /Filter (see flate_xobject), and on the exported object functions
 * (HPDF_Dict_*, HPDF_Array_*, HPDF_String_New, HPDF_Xref_Add,
 * HPDF_Stream_Write*), all as libharu 2.3.0 installs them; those are not a
 * public API and change between versions, hence the version check below.
 *
 * Structure elements are made when their first content is marked, so the
 * children of each element are in reading order. Their children are kept
 * here and written as /K at the end: a single child needs no array, which
 * with no /Type (optional) and /Pg only where there is content keeps each
 * element near 55 bytes (about 120 elements per 1,000 words). The parent tree's keys are
 * handed out in creation order (a page when it begins, an annotation when
 * it is tied to its Link), so /Nums is filled in ascending order as we go
 * and every PDF object is owned by the document as soon as it exists.
 */
#include "pdftag.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <hpdf_version.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#if !defined(HPDF_VERSION_ID) || HPDF_VERSION_ID != 20300
#error "pdftag.c uses libharu 2.3.0 internals (HPDF_Doc_Rec, HPDF_PageAttr_Rec, HPDF_Dict_Rec, HPDF_FontAttr_Rec, HPDF_Dict_Write); check them against this libharu version before changing this test"
#endif

/* ------------------------------------------------------------ state */

enum { KID_MCID, KID_MCR, KID_ELEM, KID_OBJR };

typedef struct {
    int kind;
    int mcid;        /* KID_MCID, KID_MCR */
    HPDF_Page page;  /* KID_MCR, KID_OBJR */
    HPDF_Dict obj;   /* KID_ELEM: the element; KID_OBJR: the annotation */
} kid;

typedef struct {
    const hd_se *key;
    HPDF_Dict dict;
    HPDF_Page pg; /* its /Pg: the page of its first marked content, or NULL */
    kid *kids;
    size_t nkids, kids_cap;
    char *text;   /* Link: its text so far, for the annotations' /Contents */
    size_t tlen, tcap;
} elem;

typedef struct {
    HPDF_Annotation an;
    elem *e;
} link_ref;

enum { SEQ_NONE, SEQ_ARTIFACT, SEQ_ELEM };

struct hd_pdftag {
    hd_arena *a;
    hd_diags *d;
    HPDF_Doc pdf;
    HPDF_MMgr mm;
    HPDF_Dict root; /* /StructTreeRoot */
    elem **all;     /* every element, the Document first */
    size_t nall, all_cap;
    HPDF_Array nums; /* /ParentTree /Nums */
    int next_key;
    /* the current page */
    HPDF_Page page;
    HPDF_Array marks; /* its parent tree entry: the element of each MCID */
    int mcid;
    int seq; /* SEQ_*: the open marked-content sequence */
    const hd_se *seq_se;
    /* elements by hd_se: open addressing */
    elem **map;
    size_t map_n, map_cap;
    link_ref *links;
    size_t nlinks, links_cap;
    /* the element made for ops that have none */
    hd_se *fb;
    int fb_group;
};

static hd_status tag_fail(hd_diags *d, HPDF_Doc pdf, const char *what) {
    return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "PDF library error 0x%04X while tagging the PDF (%s)",
                    (unsigned)HPDF_GetError(pdf), what);
}

/* ------------------------------------------------------ PDF values */

/* A text string, without spaces or newlines at its ends: plain ASCII as a
 * literal, anything else as UTF-16BE with a byte order mark, in hex. */
static void *text_string(hd_arena *a, HPDF_MMgr mm, const char *s) {
    while (*s == ' ' || *s == '\n' || *s == '\t') s++; /* YAML's folded text ends in a newline */
    size_t n = strlen(s), ascii = 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t')) n--;
    s = hd_strndup(a, s, n);
    while (ascii < n && s[ascii] >= 0x20 && s[ascii] < 0x7F) ascii++;
    if (ascii == n) return HPDF_String_New(mm, s, NULL);
    unsigned char *b = hd_alloc(a, 2 + 4 * n), *o = b;
    *o++ = 0xFE, *o++ = 0xFF;
    for (const char *p = s; *p;) {
        unsigned cp = hd_utf8_next(&p);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        if (cp >= 0x10000) {
            unsigned v = cp - 0x10000, hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
            *o++ = (unsigned char)(hi >> 8), *o++ = (unsigned char)hi;
            *o++ = (unsigned char)(lo >> 8), *o++ = (unsigned char)lo;
        } else {
            *o++ = (unsigned char)(cp >> 8), *o++ = (unsigned char)cp;
        }
    }
    return HPDF_Binary_New(mm, b, (HPDF_UINT)(o - b));
}

static HPDF_Dict new_indirect_dict(hd_pdftag *t) {
    HPDF_Dict d = HPDF_Dict_New(t->mm);
    if (!d || HPDF_Xref_Add(t->pdf->xref, d) != HPDF_OK) return NULL;
    return d;
}

static HPDF_STATUS write_str(hd_pdftag *t, const char *s) {
    return HPDF_Stream_WriteStr(((HPDF_PageAttr)t->page->attr)->stream, s);
}

/* --------------------------------------------------------- elements */

static const char *se_type(const hd_se *s) {
    static const char *const h[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
    static const char *const names[] = {
        [HD_SE_P] = "P",         [HD_SE_H] = "H",         [HD_SE_L] = "L",         [HD_SE_LI] = "LI",
        [HD_SE_LBL] = "Lbl",     [HD_SE_LBODY] = "LBody", [HD_SE_QUOTE] = "BlockQuote",
        [HD_SE_CODE] = "Code",   [HD_SE_FIGURE] = "Figure", [HD_SE_SECT] = "Sect", [HD_SE_LINK] = "Link",
    };
    if (s->kind == HD_SE_H) return h[s->level < 1 ? 0 : s->level > 6 ? 5 : s->level - 1];
    if ((unsigned)s->kind < sizeof names / sizeof names[0] && names[s->kind]) return names[s->kind];
    return "Span";
}

static size_t slot_of(const hd_pdftag *t, const hd_se *key) {
    uint64_t h = (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 32) & (t->map_cap - 1);
    while (t->map[i] && t->map[i]->key != key) i = (i + 1) & (t->map_cap - 1);
    return i;
}

static void map_put(hd_pdftag *t, elem *e) {
    if ((t->map_n + 1) * 4 > t->map_cap * 3) { /* keep it under 3/4 full */
        elem **old = t->map;
        size_t oldcap = t->map_cap;
        t->map_cap = oldcap ? oldcap * 2 : 64;
        t->map = hd_allocn(t->a, t->map_cap, sizeof *t->map);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i]) t->map[slot_of(t, old[i]->key)] = old[i];
    }
    t->map[slot_of(t, e->key)] = e;
    t->map_n++;
}

static kid *add_kid(hd_pdftag *t, elem *e, int kind) {
    kid *k = HD_PUSH(t->a, e->kids, e->nkids, e->kids_cap);
    k->kind = kind;
    return k;
}

/* A new structure element of `type` as the last child of parent. */
static elem *elem_new(hd_pdftag *t, elem *parent, const char *type) {
    HPDF_Dict d = new_indirect_dict(t);
    if (!d) return NULL;
    elem *e = hd_alloc(t->a, sizeof *e);
    e->dict = d;
    int bad = HPDF_Dict_AddName(d, "S", type) != HPDF_OK;
    bad |= HPDF_Dict_Add(d, "P", parent ? parent->dict : t->root) != HPDF_OK;
    if (parent) add_kid(t, parent, KID_ELEM)->obj = d;
    *HD_PUSH(t->a, t->all, t->nall, t->all_cap) = e;
    return bad ? NULL : e;
}

/* The PDF object of a child, for /K. */
static void *kid_obj(hd_pdftag *t, const kid *k) {
    if (k->kind == KID_MCID) return HPDF_Number_New(t->mm, k->mcid);
    if (k->kind == KID_ELEM) return k->obj;
    HPDF_Dict r = HPDF_Dict_New(t->mm);
    if (!r) return NULL;
    int bad = HPDF_Dict_AddName(r, "Type", k->kind == KID_MCR ? "MCR" : "OBJR") != HPDF_OK;
    bad |= HPDF_Dict_Add(r, "Pg", k->page) != HPDF_OK;
    if (k->kind == KID_MCR)
        bad |= HPDF_Dict_AddNumber(r, "MCID", k->mcid) != HPDF_OK;
    else
        bad |= HPDF_Dict_Add(r, "Obj", k->obj) != HPDF_OK;
    return bad ? NULL : r;
}

/* Write e's /K: its only child, or an array of them. */
static int write_kids(hd_pdftag *t, const elem *e) {
    if (e->nkids == 1) return HPDF_Dict_Add(e->dict, "K", kid_obj(t, &e->kids[0])) != HPDF_OK;
    HPDF_Array arr = HPDF_Array_New(t->mm);
    int bad = HPDF_Dict_Add(e->dict, "K", arr) != HPDF_OK;
    for (size_t i = 0; i < e->nkids && !bad; i++) bad |= HPDF_Array_Add(arr, kid_obj(t, &e->kids[i])) != HPDF_OK;
    return bad;
}

/* The element of se, made (with its ancestors) on first use. */
static elem *elem_for(hd_pdftag *t, const hd_se *se) {
    if (t->map_cap) {
        elem *e = t->map[slot_of(t, se)];
        if (e) return e;
    }
    elem *parent = se->parent ? elem_for(t, se->parent) : t->all[0];
    if (!parent) return NULL;
    elem *e = elem_new(t, parent, se_type(se));
    if (!e) return NULL;
    e->key = se;
    int bad = 0;
    if (se->kind == HD_SE_FIGURE && se->alt && *se->alt)
        bad |= HPDF_Dict_Add(e->dict, "Alt", text_string(t->a, t->mm, se->alt)) != HPDF_OK;
    if (se->kind == HD_SE_SECT && se->title && *se->title)
        bad |= HPDF_Dict_Add(e->dict, "T", text_string(t->a, t->mm, se->title)) != HPDF_OK;
    if (bad) return NULL;
    map_put(t, e);
    return e;
}

/* The element an op without one belongs to, from its role; NULL: artifact. */
static const hd_se *fallback(hd_pdftag *t, const hd_op *op) {
    hd_se_kind k = op->role == HD_ROLE_HEADING ? HD_SE_H : op->role == HD_ROLE_FIGURE ? HD_SE_FIGURE : HD_SE_P;
    int level = k == HD_SE_H ? op->level : 0;
    if (op->role == HD_ROLE_ARTIFACT) return NULL;
    if (t->fb && t->fb_group == op->group && op->group && t->fb->kind == k && t->fb->level == level) return t->fb;
    hd_se *s = hd_alloc(t->a, sizeof *s);
    s->kind = k;
    s->level = level;
    if (k == HD_SE_FIGURE) s->alt = op->text;
    t->fb = s;
    t->fb_group = op->group;
    return s;
}

/* ------------------------------------------------------------ API */

hd_status hd_pdftag_new(hd_arena *a, hd_diags *d, HPDF_Doc pdf, hd_pdftag **out) {
    hd_pdftag *t = hd_alloc(a, sizeof *t);
    t->a = a;
    t->d = d;
    t->pdf = pdf;
    t->mm = pdf->mmgr;
    *out = t;
    if (pdf->pdf_version < HPDF_VER_17) pdf->pdf_version = HPDF_VER_17;
    t->root = new_indirect_dict(t);
    HPDF_Dict tree = new_indirect_dict(t);
    if (!t->root || !tree) return tag_fail(d, pdf, "structure tree");
    t->nums = HPDF_Array_New(t->mm);
    HPDF_Dict mark = HPDF_Dict_New(t->mm);
    int bad = HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", t->root) != HPDF_OK;
    bad |= HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark) != HPDF_OK;
    bad |= HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) != HPDF_OK;
    bad |= HPDF_Dict_AddName(t->root, "Type", "StructTreeRoot") != HPDF_OK;
    bad |= HPDF_Dict_Add(t->root, "ParentTree", tree) != HPDF_OK;
    bad |= HPDF_Dict_Add(tree, "Nums", t->nums) != HPDF_OK;
    if (bad) return tag_fail(d, pdf, "structure tree");
    elem *doc = elem_new(t, NULL, "Document");
    if (!doc || HPDF_Dict_Add(t->root, "K", doc->dict) != HPDF_OK) return tag_fail(d, pdf, "structure tree");
    return HD_OK;
}

hd_status hd_pdftag_page_begin(hd_pdftag *t, HPDF_Page page) {
    t->page = page;
    t->mcid = 0;
    t->seq = SEQ_NONE;
    t->marks = HPDF_Array_New(t->mm);
    int bad = HPDF_Dict_AddNumber(page, "StructParents", t->next_key) != HPDF_OK;
    bad |= HPDF_Dict_AddName(page, "Tabs", "S") != HPDF_OK;
    bad |= HPDF_Array_AddNumber(t->nums, t->next_key++) != HPDF_OK;
    bad |= HPDF_Array_Add(t->nums, t->marks) != HPDF_OK;
    return bad ? tag_fail(t->d, t->pdf, "a page") : HD_OK;
}

static HPDF_STATUS close_seq(hd_pdftag *t) {
    if (t->seq == SEQ_NONE) return HPDF_OK;
    t->seq = SEQ_NONE;
    return write_str(t, "EMC\n");
}

/* Record MCID n of the current page as content of e. */
static int add_mcid(hd_pdftag *t, elem *e, int n) {
    int bad = HPDF_Array_Add(t->marks, e->dict) != HPDF_OK;
    if (!e->pg) {
        e->pg = t->page;
        bad |= HPDF_Dict_Add(e->dict, "Pg", t->page) != HPDF_OK;
    }
    kid *k = add_kid(t, e, e->pg == t->page ? KID_MCID : KID_MCR);
    k->mcid = n;
    k->page = t->page;
    return bad;
}

static void append_text(hd_pdftag *t, elem *e, const char *s) {
    size_t n = strlen(s);
    if (e->tlen + n + 1 > e->tcap) {
        size_t cap = (e->tlen + n + 1) * 2;
        char *b = hd_alloc(t->a, cap);
        if (e->tlen) memcpy(b, e->text, e->tlen);
        e->text = b;
        e->tcap = cap;
    }
    memcpy(e->text + e->tlen, s, n + 1);
    e->tlen += n;
}

hd_status hd_pdftag_mark(hd_pdftag *t, const hd_op *op) {
    const hd_se *se = op->se ? op->se : fallback(t, op);
    if (!se) {
        if (t->seq == SEQ_ARTIFACT) return HD_OK;
        if (close_seq(t) != HPDF_OK || write_str(t, "/Artifact BMC\n") != HPDF_OK)
            return tag_fail(t->d, t->pdf, "marking an artifact");
        t->seq = SEQ_ARTIFACT;
        return HD_OK;
    }
    elem *e = elem_for(t, se);
    if (!e) return tag_fail(t->d, t->pdf, "a structure element");
    if (se->kind == HD_SE_LINK && op->kind == HD_OP_TEXT && op->text) append_text(t, e, op->text);
    if (t->seq == SEQ_ELEM && t->seq_se == se) return HD_OK;
    char buf[64];
    snprintf(buf, sizeof buf, "/%s <</MCID %d>> BDC\n", se_type(se), t->mcid);
    if (close_seq(t) != HPDF_OK || write_str(t, buf) != HPDF_OK || add_mcid(t, e, t->mcid))
        return tag_fail(t->d, t->pdf, "marking content");
    t->mcid++;
    t->seq = SEQ_ELEM;
    t->seq_se = se;
    return HD_OK;
}

hd_status hd_pdftag_link(hd_pdftag *t, const hd_op *op, HPDF_Annotation an) {
    const hd_se *se = op->se;
    if (!se) { /* a link layout did not tag: its own Link in the document */
        hd_se *s = hd_alloc(t->a, sizeof *s);
        s->kind = HD_SE_LINK;
        se = s;
    }
    elem *e = elem_for(t, se);
    if (!e) return tag_fail(t->d, t->pdf, "a link");
    kid *k = add_kid(t, e, KID_OBJR);
    k->obj = an;
    k->page = t->page;
    int bad = HPDF_Dict_AddNumber(an, "StructParent", t->next_key) != HPDF_OK;
    bad |= HPDF_Array_AddNumber(t->nums, t->next_key++) != HPDF_OK;
    bad |= HPDF_Array_Add(t->nums, e->dict) != HPDF_OK;
    if (bad) return tag_fail(t->d, t->pdf, "a link");
    link_ref *l = HD_PUSH(t->a, t->links, t->nlinks, t->links_cap);
    l->an = an;
    l->e = e;
    return HD_OK;
}

hd_status hd_pdftag_page_end(hd_pdftag *t) {
    return close_seq(t) == HPDF_OK ? HD_OK : tag_fail(t->d, t->pdf, "a page");
}

hd_status hd_pdftag_finish(hd_pdftag *t, const char *lang) {
    int bad = 0;
    for (size_t i = 0; i < t->nall && !bad; i++) bad |= write_kids(t, t->all[i]);
    /* a link's description is its text (all of it, when it spans lines) */
    for (size_t i = 0; i < t->nlinks; i++) {
        const elem *e = t->links[i].e;
        if (e->tlen) bad |= HPDF_Dict_Add(t->links[i].an, "Contents", text_string(t->a, t->mm, e->text)) != HPDF_OK;
    }
    bad |= HPDF_Dict_AddNumber(t->root, "ParentTreeNextKey", t->next_key) != HPDF_OK;
    HPDF_Dict cat = t->pdf->catalog;
    if (lang && *lang) bad |= HPDF_Dict_Add(cat, "Lang", HPDF_String_New(t->mm, lang, NULL)) != HPDF_OK;
    HPDF_Dict vp = HPDF_Dict_GetItem(cat, "ViewerPreferences", HPDF_OCLASS_DICT);
    if (!vp) {
        vp = HPDF_Dict_New(t->mm);
        bad |= HPDF_Dict_Add(cat, "ViewerPreferences", vp) != HPDF_OK;
    }
    bad |= HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK;
    return bad ? tag_fail(t->d, t->pdf, "the catalog") : HD_OK;
}

/* ----------------------------------------------------- text strings */

HPDF_STATUS hd_pdftag_set_text(hd_arena *a, HPDF_Doc pdf, HPDF_Dict dict, const char *key, const char *utf8) {
    void *v = text_string(a, pdf->mmgr, utf8);
    return v ? HPDF_Dict_Add(dict, key, v) : HPDF_FAILD_TO_ALLOC_MEM;
}

HPDF_STATUS hd_pdftag_info(hd_arena *a, HPDF_Doc pdf, HPDF_InfoType type, const char *key, const char *utf8) {
    HPDF_STATUS st = HPDF_SetInfoAttr(pdf, type, "-"); /* makes the /Info dictionary */
    return st != HPDF_OK || !pdf->info ? (st ? st : HPDF_INVALID_OBJECT) : hd_pdftag_set_text(a, pdf, pdf->info, key, utf8);
}

/* -------------------------------------------------------- ToUnicode */

typedef struct {
    unsigned code, cp;
} pair;

static int cmp_pair(const void *x, const void *y) {
    const pair *a = x, *b = y;
    return a->code != b->code ? (a->code < b->code ? -1 : 1) : (a->cp < b->cp ? -1 : a->cp > b->cp);
}

typedef struct {
    unsigned from, to, cp;
} run;

/* Write n entries of one kind in blocks of at most 100. */
static char *put_blocks(char *o, const run *r, size_t n, int ranges) {
    for (size_t i = 0; i < n; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        o += sprintf(o, "%zu %s\n", m, ranges ? "beginbfrange" : "beginbfchar");
        for (size_t k = i; k < i + m; k++)
            o += ranges ? sprintf(o, "<%04X> <%04X> <%04X>\n", r[k].from, r[k].to, r[k].cp)
                        : sprintf(o, "<%04X> <%04X>\n", r[k].from, r[k].cp);
        o += sprintf(o, "%s\n", ranges ? "endbfrange" : "endbfchar");
    }
    return o;
}

char *hd_tounicode_cmap(hd_arena *a, const unsigned *codes, const unsigned *cps, size_t ncps) {
    pair *v = hd_allocn(a, ncps ? ncps : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < ncps; i++)
        if (cps[i] > 0 && cps[i] <= 0xFFFF && !(cps[i] >= 0xD800 && cps[i] <= 0xDFFF) && codes[i] > 0 &&
            codes[i] <= 0xFFFF) /* code 0 is .notdef: a missing character, no text */
            v[n++] = (pair){codes[i], cps[i]};
    qsort(v, n, sizeof *v, cmp_pair);
    /* runs of consecutive codes for consecutive code points, each within
     * one high byte (a range only counts up the last byte); a code listed
     * twice keeps its lowest code point */
    run *ranges = hd_allocn(a, n ? n : 1, sizeof *ranges), *chars = hd_allocn(a, n ? n : 1, sizeof *chars);
    size_t nr = 0, nc = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1, last = i;
        while (j < n && (v[j].code == v[last].code ||
                         (v[j].code == v[last].code + 1 && v[j].cp == v[last].cp + 1 &&
                          (v[j].code >> 8) == (v[i].code >> 8) && (v[j].cp >> 8) == (v[i].cp >> 8)))) {
            if (v[j].code != v[last].code) last = j;
            j++;
        }
        run r = {v[i].code, v[last].code, v[i].cp};
        if (r.from == r.to)
            chars[nc++] = r;
        else
            ranges[nr++] = r;
        i = j;
    }
    static const char head[] = "/CIDInit /ProcSet findresource begin\n"
                               "12 dict begin\n"
                               "begincmap\n"
                               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                               "/CMapName /Adobe-Identity-UCS def\n"
                               "/CMapType 2 def\n"
                               "1 begincodespacerange\n"
                               "<0000> <FFFF>\n"
                               "endcodespacerange\n";
    static const char tail[] = "endcmap\n"
                               "CMapName currentdict /CMap defineresource pop\n"
                               "end\n"
                               "end\n";
    size_t blocks = (nr + 99) / 100 + (nc + 99) / 100;
    char *out = hd_alloc(a, sizeof head + sizeof tail + blocks * 32 + nr * 22 + nc * 15 + 1), *o = out;
    o += sprintf(o, "%s", head);
    o = put_blocks(o, chars, nc, 0);
    o = put_blocks(o, ranges, nr, 1);
    sprintf(o, "%s", tail);
    return out;
}

/* -------------------------------------------------------------- fonts */

static HPDF_Array number_array(HPDF_MMgr mm, const int *v, size_t n) {
    HPDF_Array arr = HPDF_Array_New(mm);
    for (size_t i = 0; arr && i < n; i++)
        if (HPDF_Array_AddNumber(arr, v[i]) != HPDF_OK) return NULL;
    return arr;
}

static HPDF_STATUS add_real(HPDF_Dict d, const char *key, double v) {
    return HPDF_Dict_AddReal(d, key, (HPDF_REAL)v);
}

HPDF_Font hd_pdftag_type0_font(hd_arena *a, HPDF_Doc pdf, const hd_subset *s) {
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_Xref xref = pdf->xref;
    HPDF_STATUS st = HPDF_OK;
    /* the font file */
    HPDF_Dict file = HPDF_DictStream_New(mm, xref);
    if (!file || HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)s->len) != HPDF_OK ||
        HPDF_Stream_Write(file->stream, s->data, (HPDF_UINT)s->len) != HPDF_OK)
        return NULL;
    /* its descriptor */
    HPDF_Dict desc = HPDF_Dict_New(mm);
    if (!desc || HPDF_Xref_Add(xref, desc) != HPDF_OK) return NULL;
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(desc, "FontName", s->name);
    st |= HPDF_Dict_AddNumber(desc, "Flags", s->flags);
    HPDF_Array bbox = number_array(mm, s->bbox, 4);
    st |= bbox ? HPDF_Dict_Add(desc, "FontBBox", bbox) : HPDF_FAILD_TO_ALLOC_MEM;
    st |= add_real(desc, "ItalicAngle", s->italic_angle);
    st |= HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)lround(s->ascent));
    st |= HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)lround(s->descent));
    st |= HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)lround(s->cap_height));
    st |= HPDF_Dict_AddNumber(desc, "StemV", s->stem_v);
    st |= HPDF_Dict_Add(desc, "FontFile2", file);
    /* the CID font: CID = glyph of the subset */
    HPDF_Dict cid = HPDF_Dict_New(mm);
    if (st != HPDF_OK || !cid || HPDF_Xref_Add(xref, cid) != HPDF_OK) return NULL;
    st |= HPDF_Dict_AddName(cid, "Type", "Font");
    st |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    st |= HPDF_Dict_AddName(cid, "BaseFont", s->name);
    HPDF_Dict info = HPDF_Dict_New(mm);
    if (!info || HPDF_Dict_Add(cid, "CIDSystemInfo", info) != HPDF_OK) return NULL;
    st |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    st |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    st |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    st |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
    HPDF_Array w = HPDF_Array_New(mm), ws = HPDF_Array_New(mm); /* [0 [w0 w1 ...]] */
    if (!w || !ws || HPDF_Dict_Add(cid, "W", w) != HPDF_OK || HPDF_Array_AddNumber(w, 0) != HPDF_OK ||
        HPDF_Array_Add(w, ws) != HPDF_OK)
        return NULL;
    for (unsigned g = 0; g < s->nglyphs && st == HPDF_OK; g++) st |= HPDF_Array_AddNumber(ws, s->widths[g]);
    st |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
    /* the Type 0 font the page names */
    HPDF_Dict font = HPDF_Dict_New(mm);
    if (st != HPDF_OK || !font || HPDF_Xref_Add(xref, font) != HPDF_OK) return NULL;
    font->header.obj_class |= HPDF_OSUBCLASS_FONT;        /* what HPDF_Font_Validate checks, */
    font->attr = hd_alloc(a, sizeof(HPDF_FontAttr_Rec)); /* with attr set: writing_mode 0 is horizontal */
    st |= HPDF_Dict_AddName(font, "Type", "Font");
    st |= HPDF_Dict_AddName(font, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(font, "BaseFont", s->name);
    st |= HPDF_Dict_AddName(font, "Encoding", "Identity-H");
    HPDF_Array kids = HPDF_Array_New(mm);
    st |= kids ? HPDF_Dict_Add(font, "DescendantFonts", kids) : HPDF_FAILD_TO_ALLOC_MEM;
    st |= kids ? HPDF_Array_Add(kids, cid) : HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_Dict cmap = HPDF_DictStream_New(mm, xref);
    const char *text = hd_tounicode_cmap(a, s->gids, s->cps, s->n);
    if (st != HPDF_OK || !cmap || HPDF_Dict_Add(font, "ToUnicode", cmap) != HPDF_OK ||
        HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)text, (HPDF_UINT)strlen(text)) != HPDF_OK)
        return NULL;
    return (HPDF_Font)font;
}

/* ------------------------------------------------------------ images */

/* libharu's HPDF_Dict_Write drops a /Filter key from a stream whose own
 * filter is NONE (and would deflate the data again if it were FLATE); its
 * write_fn hook writes inside the dictionary after the keys, so the key
 * goes in there and the data is written as it is. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream) {
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

static HPDF_STATUS write_flate_rle_filter(HPDF_Dict dict, HPDF_Stream stream) {
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter [/FlateDecode /RunLengthDecode]\012");
}

static HPDF_Dict flate_xobject(HPDF_Doc pdf, int w, int h, const unsigned char *data, size_t len, int rle) {
    HPDF_Dict img = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!img) return NULL;
    img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT; /* what HPDF_Page_DrawImage checks */
    if (HPDF_Dict_AddName(img, "Type", "XObject") != HPDF_OK || HPDF_Dict_AddName(img, "Subtype", "Image") != HPDF_OK ||
        HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)w) != HPDF_OK ||
        HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)h) != HPDF_OK ||
        HPDF_Dict_AddNumber(img, "BitsPerComponent", 8) != HPDF_OK ||
        HPDF_Stream_Write(img->stream, data, (HPDF_UINT)len) != HPDF_OK)
        return NULL;
    /* img->filter stays NONE: the bytes are written as they are */
    img->write_fn = rle ? write_flate_rle_filter : write_flate_filter;
    return img;
}

HPDF_Image hd_pdftag_flate_image(HPDF_Doc pdf, int width, int height, int colors, const unsigned char *palette,
                                 int npalette, const unsigned char *data, size_t len, int rle,
                                 const unsigned char *alpha, size_t alpha_len, int alpha_rle) {
    if (width <= 0 || height <= 0 || len > 0x7FFFFFFF || alpha_len > 0x7FFFFFFF || (colors == 0 && (npalette < 1 || npalette > 256)))
        return NULL;
    HPDF_Dict img = flate_xobject(pdf, width, height, data, len, rle);
    if (!img) return NULL;
    HPDF_STATUS st;
    if (colors == 0) {
        HPDF_Array cs = HPDF_Array_New(pdf->mmgr);
        if (!cs || HPDF_Dict_Add(img, "ColorSpace", cs) != HPDF_OK) return NULL;
        HPDF_Binary lookup = HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)palette, (HPDF_UINT)npalette * 3);
        st = HPDF_Array_AddName(cs, "Indexed");
        if (st == HPDF_OK) st = HPDF_Array_AddName(cs, "DeviceRGB");
        if (st == HPDF_OK) st = HPDF_Array_AddNumber(cs, npalette - 1);
        if (st == HPDF_OK) st = lookup ? HPDF_Array_Add(cs, lookup) : HPDF_FAILD_TO_ALLOC_MEM;
    } else {
        st = HPDF_Dict_AddName(img, "ColorSpace", colors == 1 ? "DeviceGray" : "DeviceRGB");
    }
    if (st != HPDF_OK) return NULL;
    if (alpha) {
        HPDF_Dict mask = flate_xobject(pdf, width, height, alpha, alpha_len, alpha_rle);
        if (!mask || HPDF_Dict_AddName(mask, "ColorSpace", "DeviceGray") != HPDF_OK ||
            HPDF_Dict_Add(img, "SMask", mask) != HPDF_OK)
            return NULL;
    }
    return (HPDF_Image)img;
}

/* ---------------------------------------------------- content streams */

void hd_content_begin(hd_content *c, HPDF_Page page) {
    c->page = page;
    c->n = 0;
    c->err = HPDF_OK;
}

static void write_out(hd_content *c, const void *b, size_t n) {
    HPDF_STATUS r = HPDF_Stream_Write(((HPDF_PageAttr)c->page->attr)->stream, (const HPDF_BYTE *)b, (HPDF_UINT)n);
    if (r != HPDF_OK && c->err == HPDF_OK) c->err = HPDF_CheckError(c->page->error);
}

HPDF_STATUS hd_content_flush(hd_content *c) {
    if (c->n) write_out(c, c->buf, c->n);
    c->n = 0;
    return c->err;
}

static void room(hd_content *c, size_t n) {
    if (c->n + n > sizeof c->buf) hd_content_flush(c);
}

void hd_content_op(hd_content *c, const char *ops) {
    size_t n = strlen(ops);
    if (n > sizeof c->buf) { /* never: operators are short */
        hd_content_flush(c);
        write_out(c, ops, n);
        return;
    }
    room(c, n);
    memcpy(c->buf + c->n, ops, n);
    c->n += n;
}

void hd_content_num(hd_content *c, double v) {
    room(c, 32);
    char *o = c->buf + c->n;
    if (!(v > -1e9 && v < 1e9)) v = 0; /* NaN or absurd: never from layout */
    long long q = llround(v * 100000.0);
    if (q < 0) *o++ = '-', q = -q;
    long long ip = q / 100000, fp = q % 100000;
    char t[24];
    int k = 0;
    do t[k++] = (char)('0' + ip % 10), ip /= 10;
    while (ip);
    while (k) *o++ = t[--k];
    if (fp) {
        *o++ = '.';
        for (long long d = 10000; fp; d /= 10) *o++ = (char)('0' + fp / d), fp %= d;
    }
    *o++ = ' ';
    c->n = (size_t)(o - c->buf);
}

void hd_content_font(hd_content *c, HPDF_Font font, double size) {
    const char *name = HPDF_Page_GetLocalFontName(c->page, font); /* puts it in the page's resources */
    if (!name) { /* the page's error handler has been told */
        if (c->err == HPDF_OK) c->err = HPDF_FAILD_TO_ALLOC_MEM;
        return;
    }
    room(c, strlen(name) + 2);
    c->buf[c->n++] = '/';
    hd_content_op(c, name);
    hd_content_op(c, " ");
    hd_content_num(c, size);
    hd_content_op(c, "Tf\n");
}

int hd_content_image(hd_content *c, HPDF_Image img, double x, double y, double w, double h) {
    const char *name = HPDF_Page_GetXObjectName(c->page, img); /* puts it in the page's resources */
    if (!name) return 0;
    hd_content_op(c, "q\n");
    hd_content_num(c, w);
    hd_content_op(c, "0 0 ");
    hd_content_num(c, h);
    hd_content_num(c, x);
    hd_content_num(c, y);
    hd_content_op(c, "cm\n/");
    hd_content_op(c, name);
    hd_content_op(c, " Do\nQ\n");
    return 1;
}

/* ------------------------------------------------------ text showing */

HPDF_STATUS hd_pdftag_show_text(HPDF_Page page, const hd_subset *font, const char *text) {
    HPDF_STATUS ret = HPDF_OK;
    if (!text || !*text) return ret;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    unsigned char buf[1024];
    size_t n = 0;
    buf[n++] = '(';
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        unsigned cp = *p++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (more) cp &= 0x3Fu >> more;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--) cp = cp << 6 | (*p++ & 0x3Fu);
        if (more) return HPDF_RaiseError(page->error, HPDF_INVALID_PARAMETER, 0);
        unsigned g = hd_subset_glyph(font, cp);
        unsigned char b[2] = {(unsigned char)(g >> 8), (unsigned char)g};
        for (int i = 0; i < 2; i++) { /* the escapes of a literal string */
            if (b[i] == '(' || b[i] == ')' || b[i] == '\\') buf[n++] = '\\';
            if (b[i] == '\r') buf[n++] = '\\', b[i] = 'r';
            buf[n++] = b[i];
        }
        if (n > sizeof buf - 16) {
            if ((ret = HPDF_Stream_Write(attr->stream, buf, (HPDF_UINT)n)) != HPDF_OK) return HPDF_CheckError(page->error);
            n = 0;
        }
    }
    memcpy(buf + n, ") Tj\012", 5);
    n += 5;
    if ((ret = HPDF_Stream_Write(attr->stream, buf, (HPDF_UINT)n)) != HPDF_OK) return HPDF_CheckError(page->error);
    return HPDF_OK;
}

/* ------------------------------------------------ faster byte loops */

/* libharu 2.3.0's HPDF_MemCpy, HPDF_MemSet and HPDF_StrLen go one byte
 * per loop turn; every byte of every stream goes through them (and a 128 KB
 * table per font), about a sixth of a build's instructions. libharu calls
 * them through its PLT, so these definitions, exported by the program,
 * take their place (ELF symbol interposition) with the same results: the
 * end of the destination is returned, an overlapping copy forwards (out
 * above in) keeps libharu's byte-by-byte meaning, and a length stops at
 * maxlen unless maxlen is negative. No state. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n) {
    uintptr_t o = (uintptr_t)out, i0 = (uintptr_t)in;
    if (o > i0 && o - i0 < n) { /* libharu's loop repeats the overlap */
        for (HPDF_UINT i = 0; i < n; i++) out[i] = in[i];
    } else if (n) {
        memmove(out, in, n);
    }
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n) {
    if (n) memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen) {
    if (!s) return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}
