/* spec.h: what the spec loader produces.
 *
 * Owns: the plain structs for a handout spec, a page template, a clinic
 * profile, a topic, a safety text and a figure's data, and the functions
 * that load and validate them from YAML (spec.c and yamlread.c: the only
 * files that include yaml.h). Every string lives in the caller's arena.
 * Validation is strict: unknown, missing and duplicate keys, wrong types,
 * bad dates, bad colours and paths leaving the project are errors with
 * file:line:col, and every error in a file is reported, not just the first.
 */
#ifndef HD_SPEC_H
#define HD_SPEC_H

#include <stddef.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "fsutil.h"

typedef struct {
    int y, m, d; /* y == 0: not set */
} hd_date;

typedef struct {
    double r, g, b; /* 0..1 */
} hd_rgb;

/* ---- figure data (the relief timeline). Durations are in minutes. ---- */
typedef struct {
    const char *label;
    const char *note;    /* optional, NULL if absent */
    double onset;        /* minutes; < 0 if absent */
    double typ_lo, typ_hi; /* typical relief range */
    double upto;         /* "reported up to"; < 0 if absent */
    hd_pos pos;
} hd_lane;

/* Two lanes a reader cannot tell apart: the same label and the same note
 * (or neither has one). */
static inline int hd_same_lane_label(const hd_lane *a, const hd_lane *b) {
    return a->label && b->label && strcmp(a->label, b->label) == 0 &&
           (a->note == b->note || (a->note && b->note && strcmp(a->note, b->note) == 0));
}

typedef struct {
    const char *label;
    double lo, hi; /* a point when lo == hi */
    hd_pos pos;
} hd_marker;

typedef struct {
    const char *label;
    double lo, hi;
    hd_pos pos;
} hd_phase;

typedef struct hd_figure {
    const char *title, *caption, *alt, *source; /* caption and source optional */
    double axis_lo, axis_hi;                    /* minutes, lo < hi */
    hd_lane *lanes;
    size_t nlanes;
    hd_marker *markers;
    size_t nmarkers;
    hd_phase *phases;
    size_t nphases;
    hd_pos pos;
} hd_figure;

#define HD_MAX_TITLE 120      /* characters */
#define HD_MAX_SUBTITLE 200
#define HD_MAX_CLINIC_NAME 80
#define HD_MAX_SECTIONS 200 /* sections in one handout */
/* Markdown in all of a handout's sections: 40 pages hold about 120 KB */
#define HD_MAX_HANDOUT_MARKDOWN_BYTES (512u << 10)
#define HD_MIN_TEXT_WIDTH 216.0  /* points: 3 inches */
#define HD_MIN_TEXT_HEIGHT 288.0 /* points: 4 inches */
#define HD_CODE_BACKGROUND 0.95  /* grey of code blocks' background (#f2f2f2), drawn by layout.c */

/* ---- handout spec ---- */
typedef enum { HD_SEC_MARKDOWN, HD_SEC_FIGURE } hd_section_kind;

typedef struct {
    hd_section_kind kind;
    /* Markdown: the source text and where it came from. For a file, file is
     * its path and line_offset = col_offset = 0. For inline text in the spec,
     * file is the spec, and Markdown line L col C is spec line L+line_offset,
     * col C+col_offset. */
    const char *text;
    size_t text_len;
    const char *file;
    int line_offset, col_offset;
    hd_figure *figure; /* HD_SEC_FIGURE */
    hd_pos pos;        /* the section entry in the spec */
} hd_section;

typedef struct {
    const char *id;   /* [1..] number as cited: [1] */
    const char *text; /* the reference as printed */
    const char *url;  /* optional */
    hd_pos pos;
} hd_source;

typedef struct {
    const char *path; /* the spec file */
    const char *id, *title, *subtitle, *language, *template_name, *clinic_id, *topic;
    hd_pos id_pos, template_pos, clinic_pos, topic_pos, language_pos, title_pos, subtitle_pos;
    hd_date reviewed, review_by;
    hd_pos reviewed_pos, review_by_pos;
    const char **keywords;
    size_t nkeywords;
    hd_source *sources;
    size_t nsources;
    hd_section *sections;
    size_t nsections;
} hd_spec;

/* ---- page template (templates/<name>.yaml) ---- */
typedef struct {
    const char *name, *path;
    double page_w, page_h; /* points */
    const char *paper;     /* "letter" or "a4" */
    double margin_top, margin_bottom, margin_left, margin_right;
    double body_size;       /* >= 12 */
    double line_height;     /* multiple of the size, e.g. 1.4 */
    double heading_size[6]; /* h1..h6 */
    double small_size;      /* header, footer, captions; >= 9 */
    double paragraph_gap;   /* points between blocks */
    const char *font_family, *mono_family, *fallback_family;
    hd_rgb text, primary, accent, muted, safety_bg, safety_border;
    /* Header and footer: three slots each, with placeholders {clinic},
     * {title}, {page}, {pages}, {reviewed}, {phone}. "" = empty slot. */
    const char *header[3], *footer[3];
    hd_pos header_pos[3], footer_pos[3]; /* where each slot is set */
    double max_grade;
    int large_print;
    const char *language; /* of its header and footer text ("en", "es"); NULL: not said */
    hd_pos font_pos, margins_pos; /* where the body family and the margins are set */
} hd_template;

/* ---- clinic profile (content/clinics/<id>.yaml) ---- */
typedef struct {
    const char *id, *name, *path;
    hd_pos name_pos;
    const char *logo; /* resolved path or NULL */
    hd_pos logo_pos;
    int has_primary, has_accent, has_text;
    hd_rgb primary, accent, text;
    hd_pos primary_pos, accent_pos, text_pos;
    const char *primary_str, *text_str; /* as written */
    const char *font_family; /* NULL: template's */
    hd_pos font_pos;
    const char *address; /* its lines (a YAML block keeps them) separated by '\n' */
    const char *phone, *after_hours, *web;
    hd_pos phone_pos, address_pos, after_hours_pos, web_pos; /* where each is written */
    /* where each line of the address starts (a block of lines: '|'), in
     * order; naddress_lines 0 when not known line by line */
    hd_pos *address_line_pos;
    size_t naddress_lines;
    /* numbers its safety texts and footer may give besides phone and
     * after-hours (a helpline, a fax): not printed in the contact box */
    const char **other_numbers;
    size_t nother_numbers;
    int qr;
    const char *footer;
    hd_pos footer_pos;
    const char *paper; /* NULL: template's; else "letter" or "a4" */
    const char *language; /* of its own texts (the footer); NULL: not said */
    hd_pos language_pos;
    const char **safety; /* extra safety-text ids this clinic requires */
    hd_pos *safety_pos;
    size_t nsafety;
} hd_clinic;

/* ---- safety text (templates/safety/<id>.yaml) ---- */
typedef struct {
    const char *id, *path;
    int version;
    const char *title; /* e.g. "Safety information" */
    const char *text;  /* Markdown, word for word */
    size_t text_len;
    int line_offset, col_offset; /* text's place in the file */
    int literal;                 /* a '|' block: lines and columns in text are the file's */
    char sha256[65];             /* of text, hex */
} hd_safety;

/* ---- topic (templates/topics/<topic>.yaml) ---- */
typedef struct {
    const char *id, *path;
    const char **safety; /* required safety-text ids, in order */
    hd_pos *safety_pos;
    size_t nsafety;
} hd_topic;

hd_status hd_spec_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *path, hd_spec *out);
hd_status hd_template_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *name, hd_pos ref,
                           hd_template *out);
hd_status hd_clinic_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, hd_pos ref,
                         hd_clinic *out);
hd_status hd_topic_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, hd_pos ref,
                        hd_topic *out);
hd_status hd_safety_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, hd_pos ref,
                         hd_safety *out);
/* The translation of a safety text into `lang` (templates/safety/<id>.<lang>.yaml,
 * whose id is still <id>); the English text for "en" or NULL. */
hd_status hd_safety_load_lang(hd_arena *a, hd_diags *d, const hd_project *p, const char *id, const char *lang,
                              hd_pos ref, hd_safety *out);
/* The clinic's primary and text colours against every background the
 * template draws them on (the page, the safety box, code blocks): 4.5:1, an
 * error at the clinic's colour otherwise. hd_clinic_load checks only its
 * accent (against white): it does not know the template. */
hd_status hd_clinic_check_colours(hd_arena *a, hd_diags *d, const hd_clinic *k, const hd_template *t);
/* A figure in its own file (a spec section `figure: path`). */
hd_status hd_figure_load(hd_arena *a, hd_diags *d, const hd_project *p, const char *path, hd_pos ref,
                         hd_figure **out);

/* Paper sizes in points. Returns 0 if the name is unknown. */
int hd_paper_size(const char *name, double *w, double *h);

#endif
