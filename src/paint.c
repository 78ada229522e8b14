/* paint.c: the PDF painter (see paint.h).
 *
 * Owns every libharu call outside pdftag.c: one HPDF_Doc per call, never
 * shared between threads. libharu reports errors through a callback; ours
 * records the first one in a per-document struct (no global state), and
 * every call that can fail is checked, including NULL returns libharu makes
 * without an error code. Every PDF is tagged (pdftag.h): each op is marked
 * as content of its structure element or as an artifact right before it is
 * drawn; fonts are pdftag's Type 0 fonts over font.c's subsets, text is
 * written in their glyph codes. Page content is written as operators
 * (pdftag's hd_content: one stream write per op), not through libharu's
 * HPDF_Page_* drawing calls; libharu still owns pages, resources, images,
 * links, bookmarks and saving.
 */
#include "paint.h"

#include <hpdf.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "pdftag.h"

typedef struct {
    HPDF_STATUS err, detail;
} pdf_err;

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud) {
    pdf_err *pe = ud;
    if (!pe->err) {
        pe->err = e;
        pe->detail = detail;
    }
}

typedef struct {
    hd_arena *a;
    hd_diags *d;
    HPDF_Doc pdf;
    pdf_err err;
    HPDF_Font font[HD_NFACES];
    const hd_subset *sub[HD_NFACES]; /* the glyphs of font[f] */
    hd_pdftag *tag;
    const hd_image **img_key; /* images loaded once per document */
    HPDF_Image *img_val;
    size_t nimg, imgcap, imgcap2;
} painter;

static hd_status fail(painter *p, const char *what) {
    return hd_error(p->d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "PDF library error 0x%04X (detail %u) while %s",
                    (unsigned)p->err.err, (unsigned)p->err.detail, what);
}

/* ---- fonts: collect the code points each face draws, embed subsets ---- */

/* The code points a face draws: a bit per code point up to U+FFFF (nothing
 * above can be drawn, see font.h), so they come out sorted and unique
 * in one pass; `used` also counts code points above U+FFFF. */
typedef struct {
    uint64_t bit[0x10000 / 64];
    size_t used;
} cpset;

static void cpset_add(painter *p, cpset **set, unsigned cp) {
    if (!*set) *set = hd_alloc(p->a, sizeof **set);
    if (cp <= 0xFFFF) (*set)->bit[cp / 64] |= 1ull << (cp % 64);
    (*set)->used++;
}

/* The code points of set in ascending order; *n: how many. */
static unsigned *cpset_list(painter *p, const cpset *set, size_t *n) {
    size_t k = 0;
    for (size_t w = 0; w < 0x10000 / 64; w++) k += (size_t)__builtin_popcountll(set->bit[w]);
    unsigned *v = hd_allocn(p->a, k ? k : 1, sizeof *v);
    *n = 0;
    for (size_t w = 0; w < 0x10000 / 64; w++)
        for (uint64_t b = set->bit[w]; b; b &= b - 1) v[(*n)++] = (unsigned)(w * 64 + (size_t)__builtin_ctzll(b));
    return v;
}

static hd_status embed_fonts(painter *p, const hd_layout *l, const hd_fontset *fs) {
    /* slots that use the same face file share one embedded font */
    int canon[HD_NFACES];
    for (int f = 0; f < HD_NFACES; f++) {
        canon[f] = f;
        for (int g = 0; g < f; g++)
            if (fs->face[g] && fs->face[g] == fs->face[f]) {
                canon[f] = g;
                break;
            }
    }
    cpset *set[HD_NFACES] = {0};
    for (size_t pg = 0; pg < l->npages; pg++)
        for (size_t i = 0; i < l->pages[pg].n; i++) {
            const hd_op *op = &l->pages[pg].v[i];
            if (op->kind != HD_OP_TEXT || op->face < 0 || op->face >= HD_NFACES) continue;
            int f = canon[op->face];
            for (const char *s = op->text; *s;) cpset_add(p, &set[f], hd_utf8_next(&s));
            if (op->space_after) cpset_add(p, &set[f], ' ');
        }
    for (int f = 0; f < HD_NFACES; f++) {
        if (canon[f] != f || !set[f] || !set[f]->used) continue;
        size_t u;
        unsigned *cps = cpset_list(p, set[f], &u);
        hd_subset *sub = hd_alloc(p->a, sizeof *sub);
        hd_status s = hd_font_subset(p->a, p->d, fs->face[f], cps, u, sub);
        if (s != HD_OK) return s;
        p->sub[f] = sub;
        if (!(p->font[f] = hd_pdftag_type0_font(p->a, p->pdf, sub))) return fail(p, "embedding a font");
    }
    for (int f = 0; f < HD_NFACES; f++) p->font[f] = p->font[canon[f]], p->sub[f] = p->sub[canon[f]];
    return HD_OK;
}

/* ---- images ---- */

static HPDF_Image load_image(painter *p, const hd_image *im) {
    for (size_t i = 0; i < p->nimg; i++)
        if (p->img_key[i] == im) return p->img_val[i];
    HPDF_Image img;
    if (im->is_jpeg) {
        img = HPDF_LoadJpegImageFromMem(p->pdf, im->data, (HPDF_UINT)im->data_len);
    } else { /* a PNG: its planes were deflated once when decoded (image.c) */
        img = hd_pdftag_flate_image(p->pdf, im->width, im->height, im->colors, im->palette, im->npalette, im->zcolor,
                                    im->zcolor_len, im->zcolor_rle, im->zalpha, im->zalpha_len, im->zalpha_rle);
    }
    const hd_image **k = HD_PUSH(p->a, p->img_key, p->nimg, p->imgcap);
    *k = im;
    p->nimg--;
    HPDF_Image *v = HD_PUSH(p->a, p->img_val, p->nimg, p->imgcap2);
    *v = img;
    return img;
}

/* ---- drawing ---- */

static void set_colour(hd_content *c, hd_rgb col, const char *op) {
    hd_content_num(c, col.r);
    hd_content_num(c, col.g);
    hd_content_num(c, col.b);
    hd_content_op(c, op);
}
static void set_fill(hd_content *c, hd_rgb col) { set_colour(c, col, "rg\n"); }
static void set_stroke(hd_content *c, hd_rgb col) { set_colour(c, col, "RG\n"); }

static void stroke_style(hd_content *c, const hd_op *op) {
    hd_content_num(c, op->line_width > 0 ? op->line_width : 1);
    hd_content_op(c, "w\n");
    if (op->dash > 0) { /* whole points, as libharu's dash patterns were */
        double on = op->dash < 1 ? 1 : (double)(unsigned)op->dash;
        hd_content_op(c, "[");
        hd_content_num(c, on);
        hd_content_num(c, on);
        hd_content_op(c, "] 0 d\n");
    } else {
        hd_content_op(c, "[] 0 d\n");
    }
}

/* The font, size and fill colour the page's text was last drawn with:
 * they outlast each text object (BT/ET), and everything else sets its
 * colours inside q/Q, so text that repeats them need not set them again. */
typedef struct {
    HPDF_Font font;
    double size;
    hd_rgb fill;
} text_state;

/* Each case marks the op (pdftag) once it knows the op draws something. */
static hd_status draw_page(painter *p, const hd_layout *l, const hd_oplist *ops, HPDF_Page pg) {
    double H = l->page_h;
    text_state ts = {0};
    hd_content cs;
    hd_content_begin(&cs, pg);
    hd_content *c = &cs;
    for (size_t i = 0; i < ops->n; i++) {
        const hd_op *op = &ops->v[i];
        hd_status s = HD_OK;
        switch (op->kind) {
        case HD_OP_TEXT: {
            HPDF_Font f = op->face >= 0 && op->face < HD_NFACES ? p->font[op->face] : NULL;
            if (!f || !op->text || !*op->text) break;
            if ((s = hd_pdftag_mark(p->tag, op)) != HD_OK) return s;
            hd_content_op(c, "BT\n");
            if (f != ts.font || op->size != ts.size) hd_content_font(c, f, op->size);
            if (!ts.font || op->color.r != ts.fill.r || op->color.g != ts.fill.g || op->color.b != ts.fill.b)
                set_fill(c, op->color);
            ts = (text_state){f, op->size, op->color};
            /* the space a line broke at is drawn too (invisible), so that
             * text extracted from the tags keeps its words apart */
            const char *text = op->space_after ? hd_sprintf(p->a, "%s ", op->text) : op->text;
            hd_content_num(c, op->x); /* from the BT origin */
            hd_content_num(c, H - op->y);
            hd_content_op(c, "Td\n");
            hd_content_flush(c);
            hd_pdftag_show_text(pg, p->sub[op->face], text);
            hd_content_op(c, "ET\n");
            break;
        }
        case HD_OP_RECT:
            if (!op->filled && !op->stroked) break;
            if ((s = hd_pdftag_mark(p->tag, op)) != HD_OK) return s;
            hd_content_op(c, "q\n");
            if (op->filled) set_fill(c, op->fill);
            if (op->stroked) set_stroke(c, op->color), stroke_style(c, op);
            hd_content_num(c, op->x);
            hd_content_num(c, H - op->y - op->h);
            hd_content_num(c, op->w);
            hd_content_num(c, op->h);
            hd_content_op(c, op->filled && op->stroked ? "re\nB\nQ\n" : op->filled ? "re\nf\nQ\n" : "re\nS\nQ\n");
            break;
        case HD_OP_LINE:
            if ((s = hd_pdftag_mark(p->tag, op)) != HD_OK) return s;
            hd_content_op(c, "q\n");
            set_stroke(c, op->color);
            stroke_style(c, op);
            hd_content_num(c, op->x);
            hd_content_num(c, H - op->y);
            hd_content_op(c, "m\n");
            hd_content_num(c, op->x + op->w);
            hd_content_num(c, H - op->y - op->h);
            hd_content_op(c, "l\nS\nQ\n");
            break;
        case HD_OP_LINK: {
            if (!op->url) break;
            HPDF_Rect r = {(HPDF_REAL)op->x, (HPDF_REAL)(H - op->y - op->h), (HPDF_REAL)(op->x + op->w), (HPDF_REAL)(H - op->y)};
            HPDF_Annotation an = HPDF_Page_CreateURILinkAnnot(pg, r, op->url);
            if (!an) return fail(p, "adding a link");
            HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
            if ((s = hd_pdftag_link(p->tag, op, an)) != HD_OK) return s;
            break;
        }
        case HD_OP_IMAGE: {
            if (!op->image) break;
            HPDF_Image img = load_image(p, op->image);
            if (!img) return fail(p, "embedding an image");
            if ((s = hd_pdftag_mark(p->tag, op)) != HD_OK) return s;
            if (!hd_content_image(c, img, op->x, H - op->y - op->h, op->w, op->h)) return fail(p, "drawing an image");
            break;
        }
        }
        /* before pdftag's next mark, which writes to the page itself */
        if (hd_content_flush(c) != HPDF_OK || p->err.err) return fail(p, "drawing a page");
    }
    return HD_OK;
}

static hd_status outlines(painter *p, const hd_layout *l, HPDF_Page *pages) {
    HPDF_Outline stack[7] = {0};
    for (size_t i = 0; i < l->noutline; i++) {
        const hd_outline *o = &l->outline[i];
        int lv = o->level < 1 ? 1 : o->level > 6 ? 6 : o->level;
        HPDF_Outline parent = NULL;
        for (int k = lv - 1; k >= 1 && !parent; k--) parent = stack[k];
        HPDF_Outline ol = HPDF_CreateOutline(p->pdf, parent, "-", NULL);
        if (!ol || hd_pdftag_set_text(p->a, p->pdf, ol, "Title", o->title) != HPDF_OK) return fail(p, "adding a bookmark");
        HPDF_Destination dst = HPDF_Page_CreateDestination(pages[o->page]);
        if (!dst) return fail(p, "adding a bookmark");
        HPDF_Destination_SetFitH(dst, (HPDF_REAL)(l->page_h - o->y + 6));
        HPDF_Outline_SetDestination(ol, dst);
        HPDF_Outline_SetOpened(ol, HPDF_TRUE);
        stack[lv] = ol;
        for (int k = lv + 1; k <= 6; k++) stack[k] = NULL;
    }
    return HD_OK;
}

static void set_date(painter *p, long long epoch) {
    if (epoch < 0) return;
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    HPDF_Date dt = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 'Z', 0, 0};
    HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_MOD_DATE, dt);
}

static hd_status paint_doc(painter *p, const hd_layout *l, const hd_fontset *fs, const hd_meta *m, unsigned char **out,
                           size_t *len) {
    /* no compression here: pdfpack deflates every stream, once */
    HPDF_SetCompressionMode(p->pdf, HPDF_COMP_NONE);
    hd_status s = hd_pdftag_new(p->a, p->d, p->pdf, &p->tag);
    if (s == HD_OK) s = embed_fonts(p, l, fs);
    if (s != HD_OK) return s;
    static const struct {
        HPDF_InfoType type;
        const char *key;
    } info[] = {{HPDF_INFO_TITLE, "Title"},       {HPDF_INFO_AUTHOR, "Author"},   {HPDF_INFO_SUBJECT, "Subject"},
                {HPDF_INFO_KEYWORDS, "Keywords"}, {HPDF_INFO_CREATOR, "Creator"}};
    const char *val[] = {m->title, m->author, m->subject, m->keywords, m->creator};
    for (size_t i = 0; i < sizeof info / sizeof info[0]; i++)
        if (val[i] && hd_pdftag_info(p->a, p->pdf, info[i].type, info[i].key, val[i]) != HPDF_OK)
            return fail(p, "writing the document information");
    set_date(p, m->epoch);
    if (p->err.err) return fail(p, "writing the document information");
    HPDF_Page *pages = hd_allocn(p->a, l->npages ? l->npages : 1, sizeof *pages);
    for (size_t i = 0; i < l->npages; i++) {
        HPDF_Page pg = HPDF_AddPage(p->pdf);
        if (!pg) return fail(p, "adding a page");
        HPDF_Page_SetWidth(pg, (HPDF_REAL)l->page_w);
        HPDF_Page_SetHeight(pg, (HPDF_REAL)l->page_h);
        pages[i] = pg;
        if ((s = hd_pdftag_page_begin(p->tag, pg)) != HD_OK) return s;
        if ((s = draw_page(p, l, &l->pages[i], pg)) != HD_OK) return s;
        if ((s = hd_pdftag_page_end(p->tag)) != HD_OK) return s;
    }
    if (l->noutline) {
        s = outlines(p, l, pages);
        if (s != HD_OK) return s;
        HPDF_SetPageMode(p->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    }
    if ((s = hd_pdftag_finish(p->tag, m->lang)) != HD_OK) return s;
    if (HPDF_SaveToStream(p->pdf) != HPDF_OK) return fail(p, "saving the PDF");
    HPDF_UINT32 size = HPDF_GetStreamSize(p->pdf);
    unsigned char *buf = hd_alloc_uninit(p->a, size ? size : 1, 1); /* filled by the read */
    HPDF_UINT32 got = size;
    HPDF_ResetStream(p->pdf);
    if (HPDF_ReadFromStream(p->pdf, buf, &got) != HPDF_OK && got != size) return fail(p, "reading the PDF back");
    *out = buf;
    *len = got;
    return HD_OK;
}

/* libharu's memory: its objects come from an arena of their own, freed in
 * one go after the document is saved, rather than one malloc and one free
 * each (4,800 of them for ketamine-relief: 1.6 M instructions). libharu's
 * allocation callbacks take no context, so the arena is found through this
 * thread's pointer, set only while the thread is inside hd_paint: each
 * document is painted on one thread, several at once. */
static _Thread_local hd_arena *haru_arena;

static void *haru_alloc(HPDF_UINT size) {
    return haru_arena ? hd_alloc_uninit(haru_arena, 1, size) : NULL; /* NULL: libharu reports no memory */
}

static void haru_free(void *ptr) {
    (void)ptr; /* freed with the arena */
}

hd_status hd_paint(hd_arena *a, hd_diags *d, const hd_layout *l, const hd_fontset *fs, const hd_meta *m,
                   unsigned char **out, size_t *len) {
    painter p = {.a = a, .d = d};
    *out = NULL;
    *len = 0;
    hd_arena *ha = hd_arena_new(); /* no out-of-memory jump: libharu gets NULL and fails cleanly */
    if (!ha) return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "out of memory starting a PDF");
    haru_arena = ha;
    p.pdf = HPDF_NewEx(on_error, haru_alloc, haru_free, 0, &p.err);
    /* Should the document's arena run out of memory while painting, free
     * libharu's document and arena, then pass the jump on. */
    jmp_buf oom, *outer = hd_arena_on_oom(a, &oom);
    if (setjmp(oom)) {
        HPDF_Free(p.pdf);
        haru_arena = NULL;
        hd_arena_free(ha);
        hd_arena_on_oom(a, outer);
        if (outer) longjmp(*outer, 1);
        return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "out of memory painting the PDF");
    }
    hd_status s = p.pdf ? paint_doc(&p, l, fs, m, out, len)
                        : hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "out of memory starting a PDF");
    hd_arena_on_oom(a, outer);
    HPDF_Free(p.pdf);
    haru_arena = NULL;
    hd_arena_free(ha);
    return s;
}
