/* build.c: one handout, one clinic: the pipeline driver (see build.h). */
#include "build.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "arena.h"
#include "fsutil.h"
#include "image.h"
#include "layout.h"
#include "markdown.h"
#include "model.h"
#include "paint.h"
#include "pdfpack.h"
#include "spec.h"
#include "units.h"
#include "readability.h"

typedef struct {
    hd_arena *a;
    hd_diags *d;
    const hd_job *job;
    hd_spec spec;
    hd_template tpl;
    hd_clinic clinic;
    hd_doc doc;
    const hd_safety **safety;
    size_t nsafety, safety_cap;
    unsigned char *pdf;
    size_t pdf_len;
    hd_layout layout;
    hd_topic topic;
    hd_fontset fs;
    size_t *sec_first, *sec_end; /* each section's blocks in doc.blocks */
} run;

static const char *const MONTHS_EN[] = {"January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December"};
static const char *const MONTHS_ES[] = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                                        "agosto", "septiembre", "octubre", "noviembre", "diciembre"};

/* The fixed words handout prints itself, per language. */
typedef struct {
    const char *contact, *phone, *after_hours, *sources;
} hd_words;
static const hd_words WORDS_EN = {"Questions? Contact us", "Phone: ", "After hours: ", "Sources"};
static const hd_words WORDS_ES = {"\xc2\xbfPreguntas? Comun\xc3\xad" "quese con nosotros", "Tel\xc3\xa9" "fono: ",
                                  "Fuera de horario: ", "Fuentes"};

/* Large print (APH guidance: 18 pt or more, sans-serif, no italics): scale
 * every size of the template, so figure, safety box, header and footer all
 * reflow with the text. */
static void apply_large_print(hd_template *t) {
    double k = t->body_size >= 18 ? 1 : 18.0 / t->body_size;
    t->body_size *= k;
    for (int i = 0; i < 6; i++) t->heading_size[i] *= k;
    t->small_size = t->small_size * k < 14 ? 14 : t->small_size * k;
    t->paragraph_gap *= k;
    t->large_print = 1;
}

/* The clinic's branding on top of the template. */
static void apply_clinic(run *r) {
    hd_template *t = &r->tpl;
    const hd_clinic *c = &r->clinic;
    if (c->paper) {
        double w, h;
        if (hd_paper_size(c->paper, &w, &h)) t->page_w = w, t->page_h = h, t->paper = c->paper;
    }
    if (c->has_primary) t->primary = c->primary;
    if (c->has_accent) t->accent = c->accent;
    if (c->has_text) t->text = c->text;
    if (c->font_family) t->font_family = c->font_family;
}

static hd_status add_safety(run *r, const char *id, hd_pos ref) {
    for (size_t i = 0; i < r->nsafety; i++)
        if (!strcmp(r->safety[i]->id, id)) return HD_OK;
    hd_safety *s = hd_alloc(r->a, sizeof *s);
    hd_status st = hd_safety_load_lang(r->a, r->d, r->job->proj, id, r->spec.language, ref, s);
    if (st != HD_OK) return st;
    const hd_safety **slot = HD_PUSH(r->a, r->safety, r->nsafety, r->safety_cap);
    *slot = s;
    return HD_OK;
}

/* Load everything the handout refers to. Keeps going after errors so the
 * editor sees all of them at once. */
static const char *language_name(const char *code) {
    return !strcmp(code, "es") ? "Spanish" : !strcmp(code, "en") ? "English" : code;
}

/* A template that says what language its header and footer are in must
 * match the handout's: a Spanish handout with an English footer is a
 * silently wrong PDF. The hint names NAME-LANG (or NAME without "-en"/"-es")
 * when such a template exists. */
static hd_status check_template_language(run *r) {
    const hd_template *t = &r->tpl;
    const char *want = r->spec.language;
    if (!t->language || !want || !strcmp(t->language, want)) return HD_OK;
    const char *name = t->name;
    size_t n = strlen(name);
    char *other = NULL;
    if (n > 3 && name[n - 3] == '-' && !strcmp(name + n - 2, t->language))
        other = hd_sprintf(r->a, "%.*s%s%s", (int)(n - 3), name, strcmp(want, "en") ? "-" : "", strcmp(want, "en") ? want : "");
    else
        other = hd_sprintf(r->a, "%s-%s", name, want);
    struct stat st;
    const char *path = hd_sprintf(r->a, "%s/%s.yaml", r->job->proj->templates, other);
    int exists = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    return hd_error(r->d, HD_ERR_CONTENT, r->spec.template_pos,
                    "template '%s' has its header and footer in %s, but this handout is in %s (language: %s): use "
                    "a template in %s%s%s%s",
                    name, language_name(t->language), language_name(want), want, language_name(want),
                    exists ? ", such as '" : " (one with 'language: ", exists ? other : want, exists ? "'" : "')");
}

/* ---- a clinic's numbers ----
 * A clinic's own safety text (its profile's `safety:` list) and its footer
 * often give the clinic's numbers ("after hours, call ... at 555-0199"),
 * but the profile holds them too: when one changes and the other does not,
 * patients are given a wrong number. So every phone number in them must be
 * the profile's phone, after-hours or one of its other-numbers.
 *
 * A phone number here: 7 or more digits in groups joined by one of "-./:"
 * or by a space (a group after a space only if it has 3 or more digits, or
 * the number began with "+": "555-0188 7 days a week" is 555-0188), a
 * group possibly in parentheses. Not a phone number: a time (a group of 2
 * digits after "." or ":", as in 08.00-17.00), a date (2026-10-15,
 * 15/10/2026) or a range of years (2020-2024). Two numbers are the same when their digits are, leading
 * zeros (a trunk prefix) left out; or when one ends with the other (7
 * digits or more) and the longer was written with "+" (a country code) or
 * starts with an extra 1 (the North American trunk prefix): "+44 20 7946
 * 0958" is "020 7946 0958", but "212-555-0150" is not "555-0150". A
 * profile's number ends at its first letter ("555-0150 ext. 23"). */
#define MIN_PHONE_DIGITS 7
#define MAX_GROUPS 16

typedef struct {
    char digits[32]; /* without leading zeros */
    int plus;        /* written with a leading '+' */
} phone_no;

static int is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

static int is_letter(char ch) {
    return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

/* The digits of s[0..n), up to its first letter, into *out; their count
 * (leading zeros included). */
static size_t phone_of(const char *s, size_t n, phone_no *out) {
    size_t k = 0, all = 0;
    out->plus = 0;
    for (size_t i = 0; i < n && !is_letter(s[i]); i++) {
        if (s[i] == '+' && all == 0) out->plus = 1;
        if (!is_digit(s[i])) continue;
        all++;
        if (k == 0 && s[i] == '0') continue; /* a trunk prefix */
        if (k + 1 < sizeof out->digits) out->digits[k++] = s[i];
    }
    out->digits[k] = 0;
    return all;
}

static int same_number(const phone_no *a, const phone_no *b) {
    size_t na = strlen(a->digits), nb = strlen(b->digits);
    if (!na || !nb) return 0;
    if (na == nb) return !strcmp(a->digits, b->digits);
    if (na < nb) {
        const phone_no *t = a;
        a = b, b = t;
        size_t tn = na;
        na = nb, nb = tn;
    }
    if (nb < MIN_PHONE_DIGITS || strcmp(a->digits + na - nb, b->digits)) return 0;
    return a->plus || (na - nb == 1 && a->digits[0] == '1');
}

/* The end of the number that starts at s (a digit, '+' or '('), before
 * end; *not_phone: it is a time or a date. */
static const char *number_end(const char *s, const char *end, int *not_phone) {
    const char *p = s, *last = s;
    int plus = *p == '+';
    if (plus) p++;
    int len[MAX_GROUPS], n = 0, time_like = 0, years = 0;
    char sep = 0, seps[MAX_GROUPS];
    for (;;) {
        const char *g = p + (p < end && *p == '(');
        const char *d = g;
        while (d < end && is_digit(*d)) d++;
        int k = (int)(d - g);
        if (k == 0) break;
        if (g > p) { /* "(555)" */
            if (d >= end || *d != ')') break;
            d++;
        }
        if (n > 0 && sep == ' ' && k < 3 && !plus) break;
        if (n > 0 && (sep == '.' || sep == ':') && k == 2) time_like = 1;
        if (n < MAX_GROUPS) len[n] = k, seps[n] = sep, n++;
        years += k == 4 && (!strncmp(g, "19", 2) || !strncmp(g, "20", 2));
        last = p = d;
        if (p + 1 < end && (*p == '-' || *p == '.' || *p == '/' || *p == ':' || *p == ' ') &&
            (is_digit(p[1]) || p[1] == '('))
            sep = *p++;
        else
            break;
    }
    int date_like = n == 3 && seps[1] != ' ' && seps[2] == seps[1] &&
                    ((len[0] == 4 && len[1] <= 2 && len[2] <= 2) || (len[0] <= 2 && len[1] <= 2 && len[2] == 4));
    int year_range = n == 2 && years == 2 && seps[1] != ' '; /* 2020-2024, 2025/2026 */
    *not_phone = time_like || date_like || year_range;
    return last;
}

/* The numbers in text[0..len) against the profile's. at0: where the text
 * starts (line and column added when per_char, else every error is there);
 * fix: what to do, for the message. */
static hd_status check_clinic_numbers(run *r, const char *text, size_t len, hd_pos at0, int per_char,
                                      const char *fix) {
    const hd_clinic *cl = &r->clinic;
    size_t nwant = 2 + cl->nother_numbers;
    phone_no *want = hd_allocn(r->a, nwant, sizeof *want);
    if (cl->phone) phone_of(cl->phone, strlen(cl->phone), &want[0]);
    if (cl->after_hours) phone_of(cl->after_hours, strlen(cl->after_hours), &want[1]);
    for (size_t i = 0; i < cl->nother_numbers; i++)
        phone_of(cl->other_numbers[i], strlen(cl->other_numbers[i]), &want[2 + i]);
    hd_status worst = HD_OK;
    const char *t = text, *end = t + len;
    int line = 1;
    const char *line_start = t;
    for (const char *p = t; p < end;) {
        if (*p == '\n') {
            line++, line_start = ++p;
            continue;
        }
        int starts = is_digit(*p) || ((*p == '+' || *p == '(') && p + 1 < end && is_digit(p[1]));
        if (!starts || (p > t && (is_digit(p[-1]) || is_letter(p[-1]) || p[-1] == '+' || p[-1] == '('))) {
            p++;
            continue;
        }
        int not_phone;
        const char *e = number_end(p, end, &not_phone);
        phone_no got;
        size_t nd = phone_of(p, (size_t)(e - p), &got);
        int known = 0;
        for (size_t i = 0; i < nwant && !known; i++) known = same_number(&got, &want[i]);
        if (nd >= MIN_PHONE_DIGITS && !not_phone && !known) {
            hd_pos at = per_char ? hd_pos_at(at0.file, line + at0.line, (int)(p - line_start) + 1 + at0.col) : at0;
            const char *listed =
                cl->phone && cl->after_hours
                    ? hd_sprintf(r->a, "phone %s and after-hours %s", cl->phone, cl->after_hours)
                : cl->phone       ? hd_sprintf(r->a, "phone %s and no after-hours number", cl->phone)
                : cl->after_hours ? hd_sprintf(r->a, "after-hours %s and no phone number", cl->after_hours)
                                  : "no phone numbers";
            const char *others = "";
            for (size_t i = 0; i < cl->nother_numbers; i++)
                others = hd_sprintf(r->a, "%s%s%s", others, i ? ", " : " and other-numbers ", cl->other_numbers[i]);
            worst = hd_error(r->d, HD_ERR_CONTENT, at,
                             "the number %.*s is not one of %s's numbers (%s lists %s%s): %s; if it is another "
                             "service's number on purpose (a helpline, a fax), list it in the profile under contact: "
                             "other-numbers",
                             (int)(e - p), p, cl->name ? cl->name : cl->id, cl->path, listed, others, fix);
        }
        p = e > p ? e : p + 1;
    }
    return worst;
}

/* {phone} in the clinic's footer or the template's header and footer needs
 * a phone number in the profile: without one it would print as nothing
 * ("Call us at , weekdays", a bare "Tel."). */
static hd_status check_phone_placeholder(run *r) {
    const hd_clinic *cl = &r->clinic;
    if (cl->phone && *cl->phone) return HD_OK;
    if (cl->footer && strstr(cl->footer, "{phone}"))
        return hd_error(r->d, HD_ERR_CONTENT, cl->footer_pos,
                        "the footer says {phone}, but this profile has no phone number: add 'phone' under 'contact', "
                        "or take {phone} out of the footer");
    const hd_template *t = &r->tpl;
    for (int i = 0; i < 3; i++) {
        const char *where = t->header[i] && strstr(t->header[i], "{phone}")   ? "header"
                            : t->footer[i] && strstr(t->footer[i], "{phone}") ? "footer"
                                                                              : NULL;
        if (where)
            return hd_error(r->d, HD_ERR_CONTENT, hd_pos_at(cl->path, 1, 1),
                            "template '%s' prints the clinic's phone number in its %s, but this profile has no phone "
                            "number: add 'phone' under 'contact'",
                            t->name, where);
    }
    return HD_OK;
}

static hd_status load(run *r) {
    const hd_job *job = r->job;
    hd_status s = hd_spec_load(r->a, r->d, job->proj, job->spec_path, &r->spec);
    if (s != HD_OK) return s;
    hd_status worst = HD_OK;
    s = hd_template_load(r->a, r->d, job->proj, r->spec.template_name, r->spec.template_pos, &r->tpl);
    if (s == HD_OK) s = check_template_language(r);
    if (s != HD_OK) worst = s;
    const char *cid = job->clinic ? job->clinic : r->spec.clinic_id;
    hd_pos cref = job->clinic ? hd_pos_at(NULL, 0, 0) : r->spec.clinic_pos;
    s = hd_clinic_load(r->a, r->d, job->proj, cid, cref, &r->clinic);
    /* every colour problem at once: the clinic's colours against the
     * template's backgrounds, even when its accent was already refused */
    if (r->tpl.path && worst == HD_OK) {
        hd_status cs = hd_clinic_check_colours(r->a, r->d, &r->clinic, &r->tpl);
        if (s == HD_OK) s = cs;
    }
    if (s != HD_OK) worst = s;
    hd_topic *topic = &r->topic;
    s = hd_topic_load(r->a, r->d, job->proj, r->spec.topic, r->spec.topic_pos, topic);
    if (s != HD_OK) {
        worst = s;
    } else {
        for (size_t i = 0; i < topic->nsafety; i++)
            if ((s = add_safety(r, topic->safety[i], topic->safety_pos[i])) != HD_OK) worst = s;
    }
    if (worst == HD_OK)
        for (size_t i = 0; i < r->clinic.nsafety; i++) {
            size_t before = r->nsafety;
            if ((s = add_safety(r, r->clinic.safety[i], r->clinic.safety_pos[i])) != HD_OK)
                worst = s;
            else if (r->nsafety > before) {
                const hd_safety *sf = r->safety[before];
                /* positions inside a folded or quoted text are not the file's: there, the text's start */
                hd_pos at = sf->literal ? hd_pos_at(sf->path, sf->line_offset, sf->col_offset)
                                        : hd_pos_at(sf->path, sf->line_offset + 1, sf->col_offset + 1);
                s = check_clinic_numbers(r, sf->text, sf->text_len, at, sf->literal,
                                         "correct it here (and this file's sha256) or in the clinic profile, so "
                                         "patients are not given a wrong number");
                if (s != HD_OK) worst = s;
            }
        }
    if (worst == HD_OK && (s = check_phone_placeholder(r)) != HD_OK) worst = s;
    /* a clinic's footer is in its profile's language: printed in a handout
     * of another language, it would be the one line in another language */
    const hd_clinic *cl = &r->clinic;
    int shows_footer = 0;
    for (int i = 0; i < 3; i++) shows_footer |= r->tpl.footer[i] && strstr(r->tpl.footer[i], "{clinic-footer}") != NULL;
    if (worst == HD_OK && shows_footer && cl->footer && cl->language && r->spec.language &&
        strcmp(cl->language, r->spec.language) != 0)
        hd_warn(r->d, cl->footer_pos,
                "this footer is in %s (the profile says language: %s), but the handout is in %s and its template "
                "prints the footer on every page: write the footer in words that suit both, or leave it out",
                language_name(cl->language), cl->language, language_name(r->spec.language));
    if (worst == HD_OK && r->clinic.footer &&
        (s = check_clinic_numbers(r, r->clinic.footer, strlen(r->clinic.footer), r->clinic.footer_pos, 0,
                                  "write {phone} in the footer for the clinic's phone number, or correct it, so "
                                  "patients are not given a wrong number")) != HD_OK)
        worst = s;
    return worst;
}

/* Decode every image a block tree refers to (depth is capped by Markdown). */
static hd_status load_images(run *r, hd_block *b, size_t n) {
    hd_status worst = HD_OK;
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == HD_BLK_IMAGE && b[i].image_path) {
            hd_status s = hd_image_load(r->a, r->d, b[i].image_path, b[i].pos, &b[i].image);
            if (s != HD_OK) worst = s;
        }
        if (b[i].nchildren) {
            hd_status s = load_images(r, b[i].children, b[i].nchildren);
            if (s != HD_OK) worst = s;
        }
    }
    return worst;
}

/* ---- sources and citations ---- */

/* Find citations like [3] or [1, 2] in the spans of a block tree; mark the
 * sources cited and report citations of sources that do not exist. */
static hd_status cite_walk(run *r, const hd_block *b, size_t n, char *cited) {
    hd_status worst = HD_OK;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < b[i].nspans; k++) {
            const hd_span *sp = &b[i].spans[k];
            if (sp->kind != HD_SP_TEXT || (sp->style & (HD_ST_MONO | HD_ST_URL))) continue;
            for (const char *p = strchr(sp->text, '['); p; p = strchr(p + 1, '[')) {
                const char *q = p + 1;
                /* a list of numbers: [1], [2, 3], [4-6] */
                int ok = 1, any = 0;
                /* stop at the first character a citation cannot hold, so a
                 * line of many '[' stays linear */
                while (*q && *q != ']' && ok) {
                    if (!strchr("0123456789, -\xe2\x80\x93", *q)) ok = 0;
                    any |= *q >= '0' && *q <= '9';
                    q++;
                }
                if (!*q || !ok || !any) continue;
                for (const char *t = p + 1; t < q;) {
                    if (*t < '0' || *t > '9') {
                        t++;
                        continue;
                    }
                    long v = strtol(t, (char **)&t, 10);
                    if (v >= 1 && (size_t)v <= r->spec.nsources) {
                        cited[v - 1] = 1;
                    } else {
                        hd_pos at = sp->pos;
                        if (at.col > 0 && !memchr(sp->text, '\n', (size_t)(p - sp->text))) {
                            int l, c;
                            hd_offset_to_linecol(sp->text, (size_t)(p - sp->text), &l, &c);
                            at.col += c - 1;
                        }
                        if (r->spec.nsources == 0)
                            hd_error(r->d, HD_ERR_CONTENT, at,
                                     "citation [%ld] has no source: add the source under 'sources' in %s", v, r->spec.path);
                        else
                            hd_error(r->d, HD_ERR_CONTENT, at,
                                     "citation [%ld] has no source: %s lists %zu source%s, so use [1] to [%zu] or add it "
                                     "under 'sources'",
                                     v, r->spec.path, r->spec.nsources, r->spec.nsources == 1 ? "" : "s", r->spec.nsources);
                        worst = HD_ERR_CONTENT;
                    }
                }
            }
        }
        hd_status s = cite_walk(r, b[i].children, b[i].nchildren, cited);
        if (s != HD_OK) worst = s;
    }
    return worst;
}

static hd_span *one_span(run *r, const char *text, unsigned style, const char *url, hd_pos pos) {
    hd_span *sp = hd_alloc(r->a, sizeof *sp);
    sp->kind = HD_SP_TEXT;
    sp->style = style;
    sp->text = text;
    sp->url = url;
    sp->pos = pos;
    return sp;
}

/* A numbered "Sources" section at the end, and the citation checks. */
static hd_status add_sources(run *r, const hd_words *w) {
    hd_doc *doc = &r->doc;
    char *cited = hd_alloc(r->a, r->spec.nsources + 1);
    hd_status s = cite_walk(r, doc->blocks, doc->nblocks, cited);
    for (size_t i = 0; i < r->spec.nsources; i++)
        if (!cited[i])
            hd_warn(r->d, r->spec.sources[i].pos, "source %zu is never cited: cite it as [%zu] or remove it", i + 1, i + 1);
    if (!r->spec.nsources) return s;
    size_t cap = doc->nblocks;
    hd_block *h = HD_PUSH(r->a, doc->blocks, doc->nblocks, cap);
    h->kind = HD_BLK_HEADING;
    h->level = 2;
    h->spans = one_span(r, w->sources, 0, NULL, r->spec.sources[0].pos);
    h->nspans = 1;
    h->pos = r->spec.sources[0].pos;
    hd_block *list = HD_PUSH(r->a, doc->blocks, doc->nblocks, cap);
    list->kind = HD_BLK_LIST;
    list->ordered = 1;
    list->start = 1;
    list->tight = 1;
    list->nchildren = r->spec.nsources;
    list->children = hd_allocn(r->a, r->spec.nsources, sizeof *list->children);
    for (size_t i = 0; i < r->spec.nsources; i++) {
        const hd_source *src = &r->spec.sources[i];
        hd_block *item = &list->children[i];
        item->kind = HD_BLK_ITEM;
        item->pos = src->pos;
        item->nchildren = 1;
        item->children = hd_alloc(r->a, sizeof *item->children);
        hd_block *para = item->children;
        para->kind = HD_BLK_PARA;
        para->pos = src->pos;
        if (src->url) {
            para->spans = hd_allocn(r->a, 2, sizeof *para->spans);
            para->spans[0] = *one_span(r, hd_sprintf(r->a, "%s ", src->text), 0, NULL, src->pos);
            para->spans[1] = *one_span(r, src->url, HD_ST_LINK, src->url, src->pos);
            para->nspans = 2;
        } else {
            para->spans = one_span(r, src->text, 0, NULL, src->pos);
            para->nspans = 1;
        }
    }
    return s;
}

static hd_status make_doc(run *r) {
    hd_doc *doc = &r->doc;
    const hd_project *p = r->job->proj;
    doc->spec = &r->spec;
    doc->tpl = &r->tpl;
    doc->clinic = &r->clinic;
    doc->title = r->spec.title;
    doc->subtitle = r->spec.subtitle;
    doc->lang = r->spec.language;
    int es = r->spec.language && !strcmp(r->spec.language, "es");
    const hd_words *w = es ? &WORDS_ES : &WORDS_EN;
    doc->str_contact = w->contact;
    doc->str_phone = w->phone;
    doc->str_after_hours = w->after_hours;
    if (r->spec.reviewed.y) {
        const char *m = (es ? MONTHS_ES : MONTHS_EN)[(r->spec.reviewed.m - 1) % 12];
        doc->reviewed_text = hd_sprintf(r->a, es ? "%s de %d" : "%s %d", m, r->spec.reviewed.y);
    }
    hd_status worst = HD_OK, s;
    size_t cap = 0;
    r->sec_first = hd_allocn(r->a, r->spec.nsections + 1, sizeof *r->sec_first);
    r->sec_end = hd_allocn(r->a, r->spec.nsections + 1, sizeof *r->sec_end);
    for (size_t i = 0; i < r->spec.nsections; i++) {
        const hd_section *sec = &r->spec.sections[i];
        r->sec_first[i] = r->sec_end[i] = doc->nblocks;
        if (sec->kind == HD_SEC_FIGURE) {
            hd_block *b = HD_PUSH(r->a, doc->blocks, doc->nblocks, cap);
            b->kind = HD_BLK_FIGURE;
            b->figure = sec->figure;
            b->pos = sec->pos;
            continue;
        }
        hd_block *blocks = NULL;
        size_t nb = 0;
        s = hd_markdown_parse(r->a, r->d, p, sec->file, sec->text, sec->text_len, sec->line_offset, sec->col_offset, &blocks, &nb);
        if (s != HD_OK) worst = s;
        for (size_t k = 0; k < nb; k++) *HD_PUSH(r->a, doc->blocks, doc->nblocks, cap) = blocks[k];
        r->sec_end[i] = doc->nblocks;
    }
    /* only when every section was read: an error there can leave a heading bare */
    if (worst == HD_OK) worst = hd_markdown_check_headings(r->a, r->d, doc->blocks, doc->nblocks);
    if ((s = add_sources(r, w)) != HD_OK) worst = s;
    /* the safety box: every required text, in order, under one heading */
    if (r->nsafety) {
        hd_block *box = hd_alloc(r->a, sizeof *box);
        box->kind = HD_BLK_SAFETY;
        box->title = r->safety[0]->title;
        box->pos = hd_pos_at(r->safety[0]->path, r->safety[0]->line_offset + 1, r->safety[0]->col_offset + 1);
        size_t bcap = 0;
        for (size_t i = 0; i < r->nsafety; i++) {
            const hd_safety *sf = r->safety[i];
            hd_block *blocks = NULL;
            size_t nb = 0;
            s = hd_markdown_parse(r->a, r->d, p, sf->path, sf->text, sf->text_len, sf->line_offset, sf->col_offset, &blocks, &nb);
            if (s != HD_OK) worst = s;
            for (size_t k = 0; k < nb; k++) *HD_PUSH(r->a, box->children, box->nchildren, bcap) = blocks[k];
        }
        doc->safety = box;
        doc->safety_texts = r->safety;
        doc->nsafety = r->nsafety;
    }
    if ((s = load_images(r, doc->blocks, doc->nblocks)) != HD_OK) worst = s;
    if (r->clinic.logo) {
        s = r->job->images ? hd_imagecache_load(r->job->images, r->d, r->clinic.logo, r->clinic.logo_pos, &doc->logo)
                           : hd_image_load(r->a, r->d, r->clinic.logo, r->clinic.logo_pos, &doc->logo);
        if (s != HD_OK) worst = s;
    }
    return worst;
}

/* ---- readability ---- */

/* Score each Markdown section and the whole body; warn about sections above
 * the template's maximum grade. Sections of fewer than HD_READ_MIN_WORDS
 * words are scored but not judged: a grade from three sentences is noise. */
#define HD_READ_MIN_WORDS 60

static void score_copy(hd_read_score *dst, const hd_readability *src) {
    dst->words = src->words;
    dst->sentences = src->sentences;
    dst->syllables = src->syllables;
    dst->grade = src->grade;
    dst->ease = src->ease;
}

static void readability(run *r, hd_result *res) {
    hd_readability total;
    hd_readability_init(&total, r->spec.language);
    res->grade_name = hd_readability_grade_name(&total);
    res->ease_name = hd_readability_ease_name(&total);
    res->sections = calloc(r->spec.nsections + 1, sizeof *res->sections);
    int warned = 0;
    for (size_t i = 0; i < r->spec.nsections; i++) {
        const hd_section *sec = &r->spec.sections[i];
        if (sec->kind != HD_SEC_MARKDOWN) continue;
        hd_readability part;
        hd_readability_init(&part, r->spec.language);
        hd_readability_blocks(&part, r->doc.blocks + r->sec_first[i], r->sec_end[i] - r->sec_first[i]);
        hd_readability_add(&total, &part);
        hd_readability_finish(&part);
        int inline_text = !strcmp(sec->file, r->spec.path);
        if (res->sections) {
            hd_read_score *sc = &res->sections[res->nsections++];
            char name[512];
            if (inline_text)
                snprintf(name, sizeof name, "%s:%d", sec->file, sec->pos.line);
            else
                snprintf(name, sizeof name, "%s", sec->file);
            sc->source = strdup(name);
            score_copy(sc, &part);
        }
        if (part.words >= HD_READ_MIN_WORDS && part.grade > r->tpl.max_grade && ++warned)
            hd_warn(r->d, inline_text ? sec->pos : hd_pos_at(sec->file, 0, 0),
                    "this section reads at grade %.1f (%s); the template asks for %g or lower: use shorter sentences "
                    "and everyday words",
                    part.grade, res->grade_name, r->tpl.max_grade);
    }
    hd_readability_finish(&total);
    score_copy(&res->reading, &total);
    res->reading.source = strdup(r->spec.path);
    if (!warned && total.words >= HD_READ_MIN_WORDS && total.grade > r->tpl.max_grade)
        hd_warn(r->d, hd_pos_at(r->spec.path, 0, 0),
                "the handout reads at grade %.1f (%s); the template asks for %g or lower", total.grade, res->grade_name,
                r->tpl.max_grade);
}

/* ---- proof that the safety text is on page 1 ---- */

/* Append the words of s to buf, separated by one space, without the
 * invisible characters layout does not draw (hd_invisible). */
static void words_of(const char *s, char *buf, size_t *n, size_t cap) {
    while (*s && *n + 5 < cap) {
        unsigned char ch = (unsigned char)*s;
        int space = ch == ' ' || ch == '\n' || ch == '\t';
        if (space) {
            if (*n && buf[*n - 1] != ' ') buf[(*n)++] = ' ';
            s++;
            continue;
        }
        const char *c = s;
        if (ch < 0x80) s++;
        else if (hd_invisible(hd_utf8_next(&s))) continue;
        memcpy(buf + *n, c, (size_t)(s - c));
        *n += (size_t)(s - c);
    }
    buf[*n] = 0;
}

static void block_words(const hd_block *b, size_t n, char *buf, size_t *len, size_t cap) {
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < b[i].nspans; k++) {
            if (b[i].spans[k].kind == HD_SP_BREAK) {
                words_of(" ", buf, len, cap);
                continue;
            }
            words_of(b[i].spans[k].text, buf, len, cap);
        }
        words_of(" ", buf, len, cap);
        block_words(b[i].children, b[i].nchildren, buf, len, cap);
    }
}

static hd_status verify_safety(run *r) {
    const hd_block *box = r->doc.safety;
    if (!box) return HD_OK;
    if (r->layout.npages == 0) return hd_error(r->d, HD_ERR_CONTENT, box->pos, "the safety information was not placed");
    size_t cap = 1 << 16;
    char *want = hd_alloc(r->a, cap), *got = hd_alloc(r->a, cap);
    size_t wn = 0, gn = 0;
    block_words(box->children, box->nchildren, want, &wn, cap);
    /* what layout put on page 1 inside the box, in order; a line break
     * between two ops is a space, unless the line broke inside a word */
    const hd_oplist *pg = &r->layout.pages[0];
    double last_y = -1, last_end = 0;
    int joins = 0;
    for (size_t i = 0; i < pg->n; i++) {
        const hd_op *op = &pg->v[i];
        if (op->kind != HD_OP_TEXT || op->role != HD_ROLE_SAFETY) continue;
        if (last_y >= 0 && ((op->y != last_y && !joins) || op->x > last_end + 0.5)) words_of(" ", got, &gn, cap);
        words_of(op->text, got, &gn, cap);
        last_y = op->y;
        last_end = op->x + op->w;
        joins = op->joins_next;
    }
    /* the box's own heading comes first; the texts must follow in full */
    while (wn && want[wn - 1] == ' ') want[--wn] = 0;
    if (!strstr(got, want))
        return hd_error(r->d, HD_ERR_CONTENT, box->pos,
                        "not every word of the required safety text was placed on page 1; the PDF was not written");
    return HD_OK;
}

/* ---- writing ---- */

/* ---- make-style dependencies (like gcc -MD -MP) ---- */

typedef struct {
    const char **v;
    size_t n, cap;
} strlist;

static void dep_add(run *r, strlist *l, const char *path) {
    if (!path) return;
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], path)) return;
    *HD_PUSH(r->a, l->v, l->n, l->cap) = path;
}

static void dep_images(run *r, strlist *l, const hd_block *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (b[i].kind == HD_BLK_IMAGE) dep_add(r, l, b[i].image_path);
        dep_images(r, l, b[i].children, b[i].nchildren);
    }
}

/* A path as make reads it in a dependency file, escaped as gcc -MD does: a
 * space as "\ ", '#' as "\#" (else the rest of the line is a comment:
 * "missing separator"), '$' as "$$". NULL when it holds a character make
 * cannot read back there: ':' (a rule), '%' (a pattern rule in the -MP
 * line), '\\' or a control character; *bad is then that character. */
static char *make_escape(hd_arena *a, const char *path, char *bad) {
    char *e = hd_alloc(a, 2 * strlen(path) + 1), *o = e;
    for (const char *p = path; *p; p++) {
        if (*p == ':' || *p == '%' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7F) {
            *bad = *p;
            return NULL;
        }
        if (*p == ' ' || *p == '#') *o++ = '\\';
        if (*p == '$') *o++ = '$';
        *o++ = *p;
    }
    *o = 0;
    return e;
}

/* Every file this PDF was made from, for make; NULL (with an error) when a
 * name cannot be written so that make reads it back. */
static char *make_deps(run *r, const char *target) {
    strlist l = {0};
    dep_add(r, &l, r->spec.path);
    for (size_t i = 0; i < r->spec.nsections; i++) {
        const hd_section *sec = &r->spec.sections[i];
        dep_add(r, &l, sec->kind == HD_SEC_FIGURE ? sec->figure->pos.file : sec->file);
    }
    dep_add(r, &l, r->tpl.path);
    dep_add(r, &l, r->clinic.path);
    dep_add(r, &l, r->clinic.logo);
    dep_add(r, &l, r->topic.path);
    for (size_t i = 0; i < r->nsafety; i++) dep_add(r, &l, r->safety[i]->path);
    dep_images(r, &l, r->doc.blocks, r->doc.nblocks);
    char font[PATH_MAX]; /* every face the document may draw with, loaded or not */
    for (int f = 0; f < HD_NFACES; f++)
        if (hd_fontset_file(&r->fs, f, font, sizeof font)) dep_add(r, &l, hd_strdup(r->a, font));
    char bad = 0;
    const char *t = make_escape(r->a, target, &bad);
    for (size_t i = 0; t && i < l.n; i++) {
        const char *e = make_escape(r->a, l.v[i], &bad);
        if (!e) {
            hd_error(r->d, HD_ERR_CONTENT, hd_pos_at(l.v[i], 0, 0),
                     "-MD cannot name this file for make: make cannot read a '%s' in a dependency file; rename it "
                     "without that character (or build without -MD)",
                     bad == '\n' ? "\\n" : bad == '\t' ? "\\t" : hd_sprintf(r->a, "%c", bad));
            return NULL;
        }
        l.v[i] = e;
    }
    if (!t) {
        hd_error(r->d, HD_ERR_CONTENT, hd_pos_at(target, 0, 0),
                 "-MD cannot name this PDF for make: make cannot read a '%c' in a dependency file; choose an output "
                 "folder without it",
                 bad);
        return NULL;
    }
    size_t len = strlen(t) + 4;
    for (size_t i = 0; i < l.n; i++) len += 2 * strlen(l.v[i]) + 8;
    char *s = hd_alloc(r->a, len + 1), *o = s;
    o += sprintf(o, "%s:", t);
    for (size_t i = 0; i < l.n; i++) o += sprintf(o, " \\\n %s", l.v[i]);
    o += sprintf(o, "\n");
    for (size_t i = 0; i < l.n; i++) o += sprintf(o, "%s:\n", l.v[i]);
    return s;
}

static char *join_keywords(run *r) {
    if (!r->spec.nkeywords) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->spec.nkeywords; i++) n += strlen(r->spec.keywords[i]) + 2;
    char *s = hd_alloc(r->a, n + 1);
    for (size_t i = 0; i < r->spec.nkeywords; i++) {
        if (i) strcat(s, ", ");
        strcat(s, r->spec.keywords[i]);
    }
    return s;
}

static hd_status produce(run *r, hd_result *res) {
    const hd_job *job = r->job;
    hd_status s = load(r);
    if (s != HD_OK) return s;
    apply_clinic(r);
    if (job->large_print) apply_large_print(&r->tpl);
    if (job->today_y && r->spec.review_by.y) {
        hd_date today = {job->today_y, job->today_m, job->today_d};
        if (hd_date_cmp(today, r->spec.review_by) > 0) {
            char due[11];
            hd_date_format(r->spec.review_by, due);
            hd_warn(r->d, r->spec.review_by_pos,
                    "this handout was due for review on %s: have a clinician check it, then update 'reviewed' and "
                    "'review-by'",
                    due);
        }
        if (r->spec.reviewed.y && hd_date_cmp(r->spec.reviewed, today) > 0) {
            char when[11], now[11];
            hd_date_format(r->spec.reviewed, when);
            hd_date_format(today, now);
            hd_warn(r->d, r->spec.reviewed_pos,
                    "'reviewed' (%s) is after today (%s); is the year right? Write the date a clinician last checked "
                    "this handout: it is printed on every page",
                    when, now);
        }
    }
    res->handout_id = strdup(r->spec.id);
    res->clinic_id = strdup(r->clinic.id);
    snprintf(res->language, sizeof res->language, "%s", r->spec.language ? r->spec.language : "");
    snprintf(res->template_name, sizeof res->template_name, "%s", r->spec.template_name ? r->spec.template_name : "");
    if ((s = make_doc(r)) != HD_OK) return s;
    readability(r, res);
    hd_fontset fs;
    hd_pos fref = r->clinic.font_family ? r->clinic.font_pos : r->tpl.font_pos;
    s = hd_fontlib_fontset(job->fonts, r->d, r->tpl.font_family, r->tpl.mono_family, r->tpl.fallback_family, fref, &fs);
    if (s != HD_OK) return s;
    if (r->tpl.large_print) { /* no italics in large print: emphasis is bold */
        hd_fontset_alias(&fs, HD_F_ITAL, HD_F_BOLD);
        hd_fontset_alias(&fs, HD_F_BOLDITAL, HD_F_BOLD);
        hd_fontset_alias(&fs, HD_F_FB_ITAL, HD_F_FB_BOLD);
        hd_fontset_alias(&fs, HD_F_FB_BOLDITAL, HD_F_FB_BOLD);
    }
    s = hd_layout_doc(r->a, r->d, &r->doc, &fs, &r->layout);
    if (fs.status != HD_OK) return fs.status; /* a mono or fallback face that failed to load when needed */
    if (s != HD_OK) return s;
    if ((s = verify_safety(r)) != HD_OK) return s;
    res->pages = (int)r->layout.npages;
    for (size_t i = 0; i < r->nsafety && i < sizeof res->safety / sizeof res->safety[0]; i++) {
        hd_safety_record *rec = &res->safety[res->nsafety++];
        snprintf(rec->id, sizeof rec->id, "%s", r->safety[i]->id);
        rec->version = r->safety[i]->version;
        memcpy(rec->sha256, r->safety[i]->sha256, 65);
    }
    if (job->strict && r->d->warnings)
        return hd_error(r->d, HD_ERR_CONTENT, hd_pos_at(r->spec.path, 0, 0),
                        "%zu warning%s, and --strict treats warnings as errors: nothing was written", r->d->warnings,
                        r->d->warnings == 1 ? "" : "s");
    /* shown by PDF readers and read out by screen readers: no invisible
     * characters, as on the page */
#define SHOWN(s) ((s) ? hd_strip_invisible(r->a, (s), strlen(s)) : NULL)
    hd_meta m = {
        .title = SHOWN(r->spec.title),
        .author = SHOWN(r->clinic.name),
        .subject = SHOWN(r->spec.subtitle ? r->spec.subtitle : r->spec.title),
        .keywords = SHOWN(join_keywords(r)),
        .creator = "handout " HD_VERSION,
        .lang = r->spec.language,
        .epoch = job->epoch,
    };
#undef SHOWN
    unsigned char *raw;
    size_t raw_len;
    if ((s = hd_paint(r->a, r->d, &r->layout, &fs, &m, &raw, &raw_len)) != HD_OK) return s;
    if ((s = hd_pdf_pack(r->a, r->d, raw, raw_len, &r->pdf, &r->pdf_len)) != HD_OK) return s;
    res->bytes = r->pdf_len;
    if (job->want_sha256) hd_sha256_hex(r->pdf, r->pdf_len, res->sha256);
    if (!job->out_dir) return HD_OK;
    char *dir = job->clinic_subdir ? hd_sprintf(r->a, "%s/%s", job->out_dir, r->clinic.id) : hd_strdup(r->a, job->out_dir);
    /* large print beside the standard PDF, never over it: ids cannot hold
     * a '.', so no handout's standard name is another's large-print one */
    char *path = hd_sprintf(r->a, "%s/%s%s.pdf", dir, r->spec.id, job->large_print ? ".large-print" : ""), *dep = NULL;
    if (job->deps) { /* made first: a name make cannot read fails the build before anything is written */
        r->fs = fs;
        if (!(dep = make_deps(r, path))) return HD_ERR_CONTENT;
    }
    if ((s = hd_mkdirs(r->d, dir)) != HD_OK) return s;
    /* the .d file before the PDF: should the PDF fail to be written (a full
     * disk), make still rebuilds it next time; the other way round a new PDF
     * could be left with no (or an old) list of the files it was made from,
     * and a later edit of a section would not rebuild it */
    if (dep && (s = hd_write_atomic_bytes(r->d, hd_sprintf(r->a, "%s.d", path), dep, strlen(dep), !job->no_sync,
                                          NULL)) != HD_OK)
        return s;
    if ((s = hd_write_atomic_bytes(r->d, path, r->pdf, r->pdf_len, !job->no_sync, &res->unchanged)) != HD_OK) return s;
    res->out_path = strdup(path);
    return HD_OK;
}

hd_status hd_build(const hd_job *job, hd_result *res) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(res, 0, sizeof *res);
    hd_diags_init(&res->diags);
    run r = {.d = &res->diags, .job = job};
    r.a = hd_arena_new();
    if (!r.a) {
        res->status = hd_error(&res->diags, HD_ERR_SYSTEM, hd_pos_at(job->spec_path, 0, 0), "out of memory");
        return res->status;
    }
    jmp_buf oom;
    volatile hd_status s;
    if (setjmp(oom)) {
        s = hd_error(&res->diags, HD_ERR_SYSTEM, hd_pos_at(job->spec_path, 0, 0), "out of memory");
    } else {
        hd_arena_on_oom(r.a, &oom);
        s = produce(&r, res);
    }
    if (s == HD_OK && res->diags.worst != HD_OK) s = res->diags.worst;
    hd_arena_free(r.a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    res->status = s;
    return s;
}

void hd_result_free(hd_result *r) {
    hd_diags_free(&r->diags);
    for (int i = 0; i < r->nsections; i++) free(r->sections[i].source);
    free(r->sections);
    free(r->reading.source);
    free(r->out_path);
    free(r->handout_id);
    free(r->clinic_id);
    memset(r, 0, sizeof *r);
}
