/* test_spec.c: loading specs, templates, clinics, topics, safety texts and
 * figures, with the exact diagnostic for every kind of mistake. Each test
 * builds its own small project in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"

typedef struct {
    char old_cwd[PATH_MAX];
    char dir[PATH_MAX];
    hd_project p;
    hd_arena *a;
    hd_diags d;
    char msg[1400];
} fixture;

/* ---- files ---- */

static void mkdirs_for(const char *path) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        mkdir(buf, 0755);
        *s = '/';
    }
}

static void put(const char *path, const char *text) {
    mkdirs_for(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* base with the first `from` replaced by `to` (malloc'd). */
static char *replaced(const char *base, const char *from, const char *to) {
    const char *at = strstr(base, from);
    if (!at) fail_msg("'%s' not in the base text", from);
    size_t n = strlen(base) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    sprintf(out, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
    return out;
}

static void put_replaced(const char *path, const char *base, const char *from, const char *to) {
    char *s = replaced(base, from, to);
    put(path, s);
    free(s);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    return remove(path);
}

static const char TEMPLATE[] = /* templates/standard.yaml */
    "paper: letter\n"
    "margins: { top: 0.75in, bottom: 0.75in, left: 0.8in, right: 0.8in }\n"
    "type:\n"
    "  body: 13pt\n"
    "  line-height: 1.45\n"
    "  small: 10pt\n"
    "  headings: [22pt, 17pt, 15pt, 14pt, 13pt, 13pt]\n"
    "  paragraph-gap: 8pt\n"
    "fonts:\n"
    "  body: noto-sans\n"
    "  mono: dejavu-sans-mono\n"
    "  fallback: dejavu-sans\n"
    "colours:\n"
    "  text: \"#1a1a1a\"\n"
    "  primary: \"#1f4e79\"\n"
    "  accent: \"#9c4a00\"\n"
    "  muted: \"#595959\"\n"
    "  safety-background: \"#fff3e0\"\n"
    "  safety-border: \"#9c4a00\"\n"
    "header: { left: \"{clinic}\", center: \"\", right: \"{title}\" }\n"
    "footer: { left: \"Reviewed {reviewed}\", center: \"{phone}\", right: \"Page {page} of {pages}\" }\n"
    "readability: { max-grade: 8 }\n"
    "large-print: false\n";

static const char CLINIC[] = /* clinics/riverside.yaml */
    "id: riverside\n"
    "name: Riverside Pain Clinic\n"
    "logo: logos/riverside.png\n"
    "colours: { primary: \"#1d4f91\", accent: \"#00695c\", text: \"#1a1a1a\" }\n"
    "font: noto-serif\n"
    "contact:\n"
    "  address: 12 River Road, Springfield\n"
    "  phone: 555-0100\n"
    "  after-hours: 555-0199\n"
    "  web: https://riverside.example\n"
    "qr: true\n"
    "footer: Questions? Call us.\n"
    "paper: a4\n"
    "language: en\n"
    "safety: [riverside-emergency]\n";

static const char FIGURE[] = /* handouts/fig.yaml */
    "title: How long relief lasts\n"
    "alt: >\n"
    "  Bars show how long relief lasts.\n"
    "caption: Each bar is a range.\n"
    "source: Based on studies.\n"
    "axis: { from: 1 minute, to: 1 year }\n"
    "phases:\n"
    "  - { label: Chemical effects, from: 1 minute, to: 2 weeks }\n"
    "lanes:\n"
    "  - label: One IV infusion\n"
    "    onset: 10 minutes\n"
    "    typical: 2 hours to 2 weeks\n"
    "    up-to: 3 months\n"
    "    note: 4 to 10 day infusion\n"
    "  - label: By mouth\n"
    "    typical: 1-2 days\n"
    "markers:\n"
    "  - { label: Retreatment, at: 4-6 weeks }\n";

/* The fields every valid handout spec needs: lines 1 to 8. */
#define HEAD                                                                                                          \
    "id: h\n" /* the file is handouts/h.yaml */                                                                       \
    "title: How long does relief last?\n"                                                                             \
    "language: en\n"                                                                                                  \
    "template: standard\n"                                                                                            \
    "clinic: riverside\n"                                                                                             \
    "topic: ketamine\n"                                                                                               \
    "reviewed: 2026-10-15\n"                                                                                          \
    "review-by: 2027-10-15\n"

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(getcwd(f->old_cwd, sizeof f->old_cwd));
    snprintf(f->dir, sizeof f->dir, "/tmp/hd_test_spec_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(chdir(f->dir), 0);
    f->p.root = f->dir;
    f->p.templates = "templates";
    f->p.fonts = "fonts";
    f->p.clinics = "clinics";
    f->a = hd_arena_new();
    hd_diags_init(&f->d);
    put("templates/standard.yaml", TEMPLATE);
    put("templates/large.yaml", TEMPLATE);
    put("clinics/riverside.yaml", CLINIC);
    put("clinics/logos/riverside.png", "not decoded here");
    put("templates/topics/ketamine.yaml", "id: ketamine\nsafety: [ketamine, emergency]\n");
    put("templates/safety/ketamine.yaml", "# comment\n"
                                          "id: ketamine\n"
                                          "version: 3\n"
                                          "title: Safety information\n"
                                          "text: |\n"
                                          "  Call **911** now.\n"
                                          "sha256: 3acf3366c04a24f09dd38b24dd24b7fe643d5b63f38d137aeca456e69d17601d\n");
    put("handouts/fig.yaml", FIGURE);
    put("handouts/intro/01.md", "# Intro\n\nText.\n");
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    assert_int_equal(chdir(f->old_cwd), 0);
    nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    hd_diags_free(&f->d);
    hd_arena_free(f->a);
    free(f);
    return 0;
}

/* ---- checking diagnostics ---- */

static const char *diag(fixture *f, size_t i) {
    if (i >= f->d.n) return "(no such diagnostic)";
    hd_diag_format(&f->d.v[i], f->msg, sizeof f->msg);
    return f->msg;
}

/* Exactly these diagnostics, in this order. */
static void expect_diags(fixture *f, const char *const *want, size_t n) {
    for (size_t i = 0; i < n && i < f->d.n; i++) assert_string_equal(diag(f, i), want[i]);
    if (f->d.n != n) {
        for (size_t i = 0; i < f->d.n; i++) print_message("got: %s\n", diag(f, i));
        assert_int_equal(f->d.n, n);
    }
}
#define EXPECT(f, ...)                                                                                                \
    do {                                                                                                              \
        const char *const want_[] = {__VA_ARGS__};                                                                    \
        expect_diags((f), want_, sizeof want_ / sizeof want_[0]);                                                     \
    } while (0)

static hd_status spec_text(fixture *f, const char *text, hd_spec *s) {
    put("handouts/h.yaml", text);
    return hd_spec_load(f->a, &f->d, &f->p, "handouts/h.yaml", s);
}

/* A spec error: status HD_ERR_CONTENT and exactly the given diagnostics. */
#define SPEC_ERRORS(f, text, ...)                                                                                     \
    do {                                                                                                              \
        hd_spec s_;                                                                                                   \
        assert_int_equal(spec_text((f), (text), &s_), HD_ERR_CONTENT);                                                \
        EXPECT((f), __VA_ARGS__);                                                                                     \
    } while (0)

/* ---- handout spec ---- */

/* The PDF is named after the id: a copied spec must not keep the id. When
 * the file's name cannot be an id, only renaming the file helps. */
static void test_spec_id_is_file_name(void **state) {
    fixture *f = *state;
    static const char *const cases[][2] = {
        {"handouts/base-copy.yaml", "handouts/base-copy.yaml:1:5: error: 'id' is 'base' but the file is base-copy.yaml; "
                                    "they must be the same (the PDF is named after the id): rename the file to "
                                    "base.yaml or change 'id' to base-copy"},
        {"handouts/Base Copy.yml", "handouts/Base Copy.yml:1:5: error: 'id' is 'base' but the file is Base Copy.yml; "
                                   "they must be the same (the PDF is named after the id): rename the file to base.yaml"},
    };
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "id: h", "id: base");
    for (size_t i = 0; i < 2; i++) {
        hd_spec s;
        hd_diags_free(&f->d);
        hd_diags_init(&f->d);
        put(cases[i][0], text);
        assert_int_equal(hd_spec_load(f->a, &f->d, &f->p, cases[i][0], &s), HD_ERR_CONTENT);
        EXPECT(f, cases[i][1]);
    }
    free(text);
}

/* review-by at most 5 years after reviewed; a day more is a warning (a
 * slip of the year), not an error */
static void test_spec_review_by_too_far(void **state) {
    fixture *f = *state;
    hd_spec s;
    char *ok = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "review-by: 2027-10-15", "review-by: 2031-10-15");
    assert_int_equal(spec_text(f, ok, &s), HD_OK);
    EXPECT(f);
    char *far = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "review-by: 2027-10-15", "review-by: 2031-10-16");
    assert_int_equal(spec_text(f, far, &s), HD_OK);
    EXPECT(f, "handouts/h.yaml:8:12: warning: 'review-by' (2031-10-16) is more than 5 years after 'reviewed' "
              "(2026-10-15); is the year right? A handout should be reviewed at least every 5 years");
    free(ok);
    free(far);
}

/* the same section twice: a warning; the spec still loads */
static void test_spec_section_twice(void **state) {
    fixture *f = *state;
    hd_spec s;
    assert_int_equal(spec_text(f, HEAD "sections:\n"
                                       "  - file: intro/01.md\n"   /* 10 */
                                       "  - markdown: |\n"         /* 11 */
                                       "      Same words.\n"
                                       "  - file: ./intro/01.md\n" /* 13 */
                                       "  - markdown: |\n"         /* 14 */
                                       "      Same words.\n"
                                       "  - markdown: |\n"         /* 16 */
                                       "      Other words.\n",
                               &s),
                     HD_OK);
    EXPECT(f, "handouts/h.yaml:13:5: warning: the file 'handouts/intro/01.md' is listed twice in 'sections' (first at "
              "line 10), so it is printed twice; remove one",
           "handouts/h.yaml:14:5: warning: this section has the same text as the one at line 11, so it is printed "
           "twice; remove one");
}

static void test_spec_valid(void **state) {
    fixture *f = *state;
    hd_spec s;
    hd_status st = spec_text(f, HEAD /* lines 1-8 */
                             "subtitle: What to expect\n"
                             "keywords: [ketamine, chronic pain]\n"
                             "sources:\n"
                             "  - text: \"Author. Title. Journal, 2025.\"\n"
                             "    url: https://example.org/paper\n"
                             "  - text: Second source.\n"
                             "sections:\n"                   /* 15 */
                             "  - file: intro/01.md\n"       /* 16 */
                             "  - markdown: |\n"             /* 17 */
                             "      ## A short section\n"    /* 18 */
                             "      Some text.\n"            /* 19 */
                             "  - figure: fig.yaml\n"        /* 20 */
                             "  - markdown: |+\n"           /* 21 */
                             "      Kept *text*\n"          /* 22 */
                             "  - figure:\n"                 /* 23 */
                             "      title: Inline\n"
                             "      alt: An inline figure.\n"
                             "      axis: { from: 1 hour, to: 1 week }\n"
                             "      lanes: [{ label: A, typical: 1-2 days }]\n",
                             &s);
    EXPECT(f);
    assert_int_equal(st, HD_OK);
    assert_string_equal(s.path, "handouts/h.yaml");
    assert_string_equal(s.id, "h");
    assert_int_equal(s.id_pos.line, 1);
    assert_int_equal(s.id_pos.col, 5);
    assert_string_equal(s.title, "How long does relief last?");
    assert_string_equal(s.subtitle, "What to expect");
    assert_string_equal(s.language, "en");
    assert_string_equal(s.template_name, "standard");
    assert_int_equal(s.template_pos.line, 4);
    assert_int_equal(s.template_pos.col, 11);
    assert_string_equal(s.clinic_id, "riverside");
    assert_int_equal(s.clinic_pos.line, 5);
    assert_string_equal(s.topic, "ketamine");
    assert_int_equal(s.topic_pos.line, 6);
    assert_int_equal(s.reviewed.y, 2026);
    assert_int_equal(s.reviewed.m, 10);
    assert_int_equal(s.reviewed.d, 15);
    assert_int_equal(s.review_by.y, 2027);
    assert_int_equal(s.review_by_pos.line, 8);
    assert_int_equal(s.nkeywords, 2);
    assert_string_equal(s.keywords[1], "chronic pain");
    assert_int_equal(s.nsources, 2);
    assert_string_equal(s.sources[0].id, "1");
    assert_string_equal(s.sources[0].text, "Author. Title. Journal, 2025.");
    assert_string_equal(s.sources[0].url, "https://example.org/paper");
    assert_int_equal(s.sources[0].pos.line, 12);
    assert_string_equal(s.sources[1].id, "2");
    assert_null(s.sources[1].url);

    assert_int_equal(s.nsections, 5);
    const hd_section *x = &s.sections[0];
    assert_int_equal(x->kind, HD_SEC_MARKDOWN);
    assert_string_equal(x->file, "handouts/intro/01.md");
    assert_string_equal(x->text, "# Intro\n\nText.\n");
    assert_int_equal(x->text_len, 15);
    assert_int_equal(x->line_offset, 0);
    assert_int_equal(x->col_offset, 0);
    assert_int_equal(x->pos.line, 16);
    assert_int_equal(x->pos.col, 5);

    /* Markdown line 1 col 1 ("## A...") is spec line 18 col 7. */
    x = &s.sections[1];
    assert_int_equal(x->kind, HD_SEC_MARKDOWN);
    assert_string_equal(x->file, "handouts/h.yaml");
    assert_string_equal(x->text, "## A short section\nSome text.\n");
    assert_int_equal(x->text_len, 30);
    assert_int_equal(x->line_offset, 17);
    assert_int_equal(x->col_offset, 6);

    x = &s.sections[2];
    assert_int_equal(x->kind, HD_SEC_FIGURE);
    assert_string_equal(x->figure->title, "How long relief lasts");
    assert_int_equal(x->figure->nlanes, 2);
    assert_int_equal(x->pos.line, 20);

    /* "Kept..." is line 22 col 7. */
    x = &s.sections[3];
    assert_string_equal(x->text, "Kept *text*\n");
    assert_int_equal(x->line_offset, 21);
    assert_int_equal(x->col_offset, 6);

    x = &s.sections[4];
    assert_int_equal(x->kind, HD_SEC_FIGURE);
    assert_string_equal(x->figure->title, "Inline");
    assert_float_equal(x->figure->axis_lo, 60, 1e-9);
    assert_float_equal(x->figure->axis_hi, 10080, 1e-9);
    assert_int_equal(x->figure->lanes[0].pos.line, 27);
    assert_int_equal(x->figure->pos.line, 24);
    assert_int_equal(x->figure->pos.col, 7);
}

static void test_spec_unknown_key_suggestion(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, "id: h\n"
                   "titel: T\n"
                   "language: en\ntemplate: standard\nclinic: riverside\ntopic: ketamine\n"
                   "reviewed: 2026-10-15\nreview-by: 2027-10-15\nsections: [{ file: intro/01.md }]\n",
                "handouts/h.yaml:2:1: error: unknown key 'titel' (did you mean 'title'?)",
                "handouts/h.yaml:1:1: error: missing required key 'title'");
}

static void test_spec_unknown_key_list(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "colour: blue\nsections: [{ file: intro/01.md }]\n",
                "handouts/h.yaml:9:1: error: unknown key 'colour' (allowed keys: id, title, subtitle, language, template, "
                "clinic, topic, reviewed, review-by, keywords, sources, sections)");
}

static void test_spec_missing_required(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, "# a comment first\nid: h\ntitle: T\n", "handouts/h.yaml:2:1: error: missing required key 'language'",
                "handouts/h.yaml:2:1: error: missing required key 'template'",
                "handouts/h.yaml:2:1: error: missing required key 'clinic'",
                "handouts/h.yaml:2:1: error: missing required key 'topic'",
                "handouts/h.yaml:2:1: error: missing required key 'reviewed'",
                "handouts/h.yaml:2:1: error: missing required key 'review-by'",
                "handouts/h.yaml:2:1: error: missing required key 'sections'");
}

static void test_spec_keywords_type(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "keywords: ketamine, pain\nsections: [{ file: intro/01.md }]\n",
                "handouts/h.yaml:9:11: error: 'keywords' must be a list of words, like [ketamine, pain]");
}

static void test_spec_keyword_item_type(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "keywords: [ketamine, [pain]]\nsections: [{ file: intro/01.md }]\n",
                "handouts/h.yaml:9:22: error: 'keywords' must be a list of words, like [ketamine, pain]");
}

static void test_spec_empty_title(void **state) {
    fixture *f = *state;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "title: How long does relief last?", "title:");
    SPEC_ERRORS(f, text, "handouts/h.yaml:2:7: error: 'title' is empty; it needs a value");
    free(text);
}

static void test_spec_title_not_text(void **state) {
    fixture *f = *state;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "title: How long does relief last?", "title: [a, b]");
    SPEC_ERRORS(f, text, "handouts/h.yaml:2:8: error: 'title' must be text, not a list");
    free(text);
}

static void test_spec_empty_optional(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "subtitle: ''\nsections: [{ file: intro/01.md }]\n",
                "handouts/h.yaml:9:11: error: 'subtitle' is empty; write a value or remove the line");
}

static void test_spec_bad_id(void **state) {
    fixture *f = *state;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "id: h", "id: Ketamine_Relief");
    SPEC_ERRORS(f, text,
                "handouts/h.yaml:1:5: error: 'id' must use only lowercase letters, digits and hyphens (at most 64, not "
                "starting with a hyphen), like ketamine-relief");
    free(text);
}

static void test_spec_language(void **state) {
    fixture *f = *state;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "language: en", "language: fr");
    SPEC_ERRORS(f, text, "handouts/h.yaml:3:11: error: 'language' must be en or es, not 'fr'");
    free(text);
}

static void test_spec_review_order(void **state) {
    fixture *f = *state;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "review-by: 2027-10-15", "review-by: 2026-10-15");
    SPEC_ERRORS(f, text, "handouts/h.yaml:8:12: error: 'review-by' (2026-10-15) must be after 'reviewed' (2026-10-15)");
    free(text);
}

static void test_spec_dates(void **state) {
    fixture *f = *state;
    char *t1 = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "reviewed: 2026-10-15", "reviewed: 2027-02-29");
    char *t2 = replaced(t1, "review-by: 2027-10-15", "review-by: 2027-13-01");
    SPEC_ERRORS(f, t2, "handouts/h.yaml:7:11: error: 'reviewed' 2027-02-29 is not a real date: February 2027 has 28 days",
                "handouts/h.yaml:8:12: error: 'review-by' 2027-13-01 has no month 13; months go from 01 to 12");
    free(t1);
    free(t2);
}

static void test_spec_date_format(void **state) {
    fixture *f = *state;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "reviewed: 2026-10-15", "reviewed: 15/10/2026");
    SPEC_ERRORS(f, text, "handouts/h.yaml:7:11: error: 'reviewed' must be a date written YYYY-MM-DD, like 2026-10-15");
    free(text);
}

static void test_spec_leap_day_ok(void **state) {
    fixture *f = *state;
    hd_spec s;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "reviewed: 2026-10-15", "reviewed: 2024-02-29");
    assert_int_equal(spec_text(f, text, &s), HD_OK);
    assert_int_equal(s.reviewed.d, 29);
    free(text);
}

static void test_spec_section_needs_one(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "sections:\n  - file: intro/01.md\n    markdown: hi\n  - {}\n",
                "handouts/h.yaml:10:5: error: a section needs exactly one of 'file', 'markdown' or 'figure'",
                "handouts/h.yaml:12:5: error: a section needs exactly one of 'file', 'markdown' or 'figure'");
}

static void test_spec_section_not_mapping(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "sections:\n  - intro/01.md\n",
                "handouts/h.yaml:10:5: error: each section must be a mapping, like '- file: intro.md', not text");
}

static void test_spec_sections_empty(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "sections: []\n",
                "handouts/h.yaml:9:11: error: 'sections' is empty; a handout needs at least one section, like '- file: "
                "intro.md'");
}

static void test_spec_section_unknown_key(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "sections:\n  - fiel: intro/01.md\n",
                "handouts/h.yaml:10:5: error: unknown key 'fiel' (did you mean 'file'?)",
                "handouts/h.yaml:10:5: error: a section needs exactly one of 'file', 'markdown' or 'figure'");
}

static void test_spec_missing_markdown_file(void **state) {
    fixture *f = *state;
    hd_spec s;
    assert_int_equal(spec_text(f, HEAD "sections:\n  - file: intro/02.md\n", &s), HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_string_equal(f->d.v[0].file, "handouts/h.yaml");
    assert_int_equal(f->d.v[0].line, 10);
    assert_int_equal(f->d.v[0].col, 11);
    assert_non_null(strstr(f->d.v[0].msg, "intro/02.md"));
}

static void test_spec_figure_not_yaml(void **state) {
    fixture *f = *state;
    put("handouts/chart.png", "not a figure");
    SPEC_ERRORS(f, HEAD "sections:\n  - figure: chart.png\n",
                "handouts/h.yaml:10:13: error: 'figure:' takes a figure file, whose name ends in .yaml, not 'chart.png'; "
                "it holds a mapping with 'title', 'alt', 'axis' and 'lanes', like 'title: How long relief lasts' (see "
                "docs/spec.md)");
}

static void test_spec_path_leaves_project(void **state) {
    fixture *f = *state;
    hd_spec s;
    assert_int_equal(spec_text(f, HEAD "sections:\n  - file: ../../../etc/passwd\n", &s), HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.v[0].line, 10);
    assert_non_null(strstr(f->d.v[0].msg, "outside the project"));
}

static void test_spec_template_name_tricks(void **state) {
    fixture *f = *state;
    char *text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "template: standard", "template: ../../etc/x");
    SPEC_ERRORS(f, text,
                "handouts/h.yaml:4:11: error: 'template' must use only lowercase letters, digits and hyphens (at most "
                "64, not starting with a hyphen), like standard");
    free(text);
}

static void test_spec_source_url(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "sources:\n  - text: A.\n    url: javascript:alert(1)\n  - url: https://x.org\n"
                        "sections: [{ file: intro/01.md }]\n",
                "handouts/h.yaml:11:10: error: 'url' must be a web address starting with https:// or http://, like "
                "https://example.org/page",
                "handouts/h.yaml:12:5: error: missing required key 'text'");
}

static void test_spec_every_error_reported(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, "id: -bad\ntitle: T\nlanguage: de\ntemplate: standard\nclinic: riverside\ntopic: ketamine\n"
                   "reviewed: 2026-10-15\nreview-by: 2027-10-15\nsections:\n  - markdown: ''\n  - figure: [x]\n",
                "handouts/h.yaml:1:5: error: 'id' must use only lowercase letters, digits and hyphens (at most 64, not "
                "starting with a hyphen), like ketamine-relief",
                "handouts/h.yaml:3:11: error: 'language' must be en or es, not 'de'",
                "handouts/h.yaml:10:15: error: 'markdown' is empty; it needs a value",
                "handouts/h.yaml:11:13: error: 'figure' must be text, not a list");
}

static void test_spec_not_a_mapping(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, "- a\n- b\n",
                "handouts/h.yaml:1:1: error: the file must be a mapping of keys and values, like 'title: ...', not a list");
}

/* Inline Markdown must be a literal block: anything else loses text. */
static void test_spec_markdown_must_be_literal(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "sections:\n"
                   "  - markdown: ## About\n"   /* 10 */
                   "  - markdown: >\n"          /* 11 */
                   "      a\n"
                   "      b\n"
                   "  - markdown: \"Quoted\"\n" /* 14 */
                   "  - markdown:\n"            /* 15 */
                   "      # Head\n"
                   "      text\n"               /* 17 */
                   "  - markdown:\n"            /* 18 */
                   "      one\n"
                   "      two\n"
                   "  - markdown: |-\n"         /* 21 */
                   "      fine\n",
                "handouts/h.yaml:10:15: error: inline Markdown must be a block starting with '|' ('## About' is read as a "
                "YAML comment and left out): write 'markdown: |' and put the Markdown on the lines below it, indented",
                "handouts/h.yaml:11:15: error: inline Markdown must be a block starting with '|' (with '>' its lines are "
                "joined into one): write 'markdown: |' and put the Markdown on the lines below it, indented",
                "handouts/h.yaml:14:15: error: inline Markdown must be a block starting with '|': write 'markdown: |' and "
                "put the Markdown on the lines below it, indented",
                "handouts/h.yaml:17:7: error: inline Markdown must be a block starting with '|' (the line starting with "
                "'#' at line 16 is read as a YAML comment and left out): write 'markdown: |' and put the Markdown on the "
                "lines below it, indented",
                "handouts/h.yaml:19:7: error: inline Markdown must be a block starting with '|' (without '|' its lines "
                "are joined into one): write 'markdown: |' and put the Markdown on the lines below it, indented");
}

/* A ' #' in a plain text value starts a comment: a warning for printed
 * text, an error when nothing is left; not for addresses. */
static void test_spec_text_cut_by_comment(void **state) {
    fixture *f = *state;
    hd_spec s;
    char *text = replaced(HEAD "subtitle: Part 2 # of 3\n"  /* 9 */
                               "sources:\n"
                               "  - text:\n"
                               "      # 2\n"
                               "      Book\n"             /* 13 */
                               "    url: https://example.org # the site\n"
                               "sections: [{ file: intro/01.md }]\n",
                          "title: How long does relief last?", "title: Ketamine infusions #2 what to expect");
    hd_status st = spec_text(f, text, &s);
    free(text);
    EXPECT(f, "handouts/h.yaml:2:27: warning: the text after '#' is read as a comment and is not printed: put the whole "
              "value of 'title' in quotes if it belongs to it",
           "handouts/h.yaml:9:18: warning: the text after '#' is read as a comment and is not printed: put the whole "
           "value of 'subtitle' in quotes if it belongs to it",
           "handouts/h.yaml:12:7: warning: this line starting with '#' is read as a comment and is not printed: if it "
           "belongs to 'text', write 'text: |' and put the text on the lines below it, indented");
    assert_int_equal(st, HD_OK);
    assert_string_equal(s.title, "Ketamine infusions");
    assert_string_equal(s.sources[0].url, "https://example.org");

    hd_diags_free(&f->d);
    hd_diags_init(&f->d);
    text = replaced(HEAD "sections: [{ file: intro/01.md }]\n", "title: How long does relief last?",
                    "title: #2 \"Ketamine\"");
    SPEC_ERRORS(f, text,
                "handouts/h.yaml:2:8: error: 'title' is empty because the text after '#' is read as a comment: put the "
                "whole value in quotes, like title: '#2 \"Ketamine\"'");
    free(text);
}

/* Two or more blanks (or a tab) before '#' mark a comment written on
 * purpose, as the examples in docs/spec.md do: no warning, with --strict
 * that would refuse them. */
static void test_spec_annotated_values_not_warned(void **state) {
    fixture *f = *state;
    hd_spec s;
    assert_int_equal(spec_text(f, HEAD "subtitle: What to expect   # optional\n"
                                       "keywords: [ketamine]\n"
                                       "sources:\n"
                                       "  - text: A book\t# the one on the shelf\n"
                                       "sections: [{ file: intro/01.md }]\n",
                               &s),
                     HD_OK);
    EXPECT(f);
    assert_string_equal(s.subtitle, "What to expect");
    assert_string_equal(s.sources[0].text, "A book");
}

/* 'markdown: | ## What to expect': the heading after '|' is a YAML comment
 * and would be left out silently. Blanks before a single '#' are a comment
 * on purpose (docs/spec.md writes one). Other text in a block: a warning. */
static void test_spec_block_header_comment(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "sections:\n"
                        "  - markdown: | ## What to expect\n" /* 10 */
                        "      Text.\n"
                        "  - markdown: |-   ## Side effects\n" /* 12 */
                        "      Text.\n"
                        "  - markdown: | # Why\n" /* 14 */
                        "      Text.\n",
                "handouts/h.yaml:10:17: error: text after '|' on the same line is a YAML comment and is left out: put "
                "'## What to expect' on the next line, indented",
                "handouts/h.yaml:12:20: error: text after '|' on the same line is a YAML comment and is left out: put "
                "'## Side effects' on the next line, indented",
                "handouts/h.yaml:14:17: error: text after '|' on the same line is a YAML comment and is left out: put "
                "'# Why' on the next line, indented");

    hd_diags_free(&f->d);
    hd_diags_init(&f->d);
    hd_spec s;
    assert_int_equal(spec_text(f, HEAD "sources:\n"
                                       "  - text: > #2 in the list\n" /* 10 */
                                       "      A book\n"
                                       "sections:\n"
                                       "  - markdown: |      # written inline\n"
                                       "      Text.\n",
                               &s),
                     HD_OK);
    EXPECT(f, "handouts/h.yaml:10:13: warning: the text after '>' on the same line is a YAML comment and is not printed: "
              "if it belongs to 'text', put '#2 in the list' on the next line, indented");
}

/* Every ```yaml example in docs/spec.md, copied into its file, loads without
 * the ' #' comment warning (other errors, like the placeholder sha256, are
 * not this test's business). */
static void test_docs_examples_no_comment_warning(void **state) {
    fixture *f = *state;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/docs/spec.md", f->old_cwd);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    static char doc[65536];
    size_t n = fread(doc, 1, sizeof doc - 1, in);
    fclose(in);
    doc[n] = 0;
    int blocks = 0;
    for (char *at = strstr(doc, "```yaml\n"); at; at = strstr(at, "```yaml\n")) {
        char *body = at + 8, *end = strstr(body, "```");
        assert_non_null(end);
        char block[8192];
        snprintf(block, sizeof block, "%.*s", (int)(end - body), body);
        at = end + 3;
        hd_pos ref = hd_pos_at("docs", 1, 1);
        hd_diags_free(&f->d);
        hd_diags_init(&f->d);
        if (strstr(block, "# Required: id, title")) {
            hd_spec sp;
            put("handouts/ketamine-relief.yaml", block);
            hd_spec_load(f->a, &f->d, &f->p, "handouts/ketamine-relief.yaml", &sp);
        } else if (strstr(block, "# Required: title, alt")) {
            hd_figure *fig;
            put("handouts/f.yaml", block);
            hd_figure_load(f->a, &f->d, &f->p, "handouts/f.yaml", ref, &fig);
        } else if (strncmp(block, "paper:", 6) == 0) {
            hd_template t;
            put("templates/doc.yaml", block);
            hd_template_load(f->a, &f->d, &f->p, "doc", ref, &t);
        } else if (strstr(block, "name: Riverside") || strncmp(block, "contact:", 8) == 0) {
            hd_clinic k;
            char text[8300];
            snprintf(text, sizeof text, "%s%s", strstr(block, "name:") ? "" : "id: riverside\nname: R\n", block);
            put("clinics/riverside.yaml", text);
            hd_clinic_load(f->a, &f->d, &f->p, "riverside", ref, &k);
        } else if (strstr(block, "\nversion:")) {
            hd_safety sf;
            put("templates/safety/ketamine.yaml", block);
            hd_safety_load(f->a, &f->d, &f->p, "ketamine", ref, &sf);
        } else if (strstr(block, "\nsafety:")) {
            hd_topic tp;
            put("templates/topics/ketamine.yaml", block);
            hd_topic_load(f->a, &f->d, &f->p, "ketamine", ref, &tp);
        } else {
            fail_msg("an example in docs/spec.md this test does not know:\n%s", block);
        }
        blocks++;
        for (size_t i = 0; i < f->d.n; i++)
            if (strstr(diag(f, i), "read as a comment")) fail_msg("docs/spec.md example:\n%s\n%s", block, diag(f, i));
    }
    assert_true(blocks >= 7);
}

static void test_spec_yaml_errors_pass_through(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, HEAD "title: again\nsections: [{ file: intro/01.md }]\n",
                "handouts/h.yaml:9:1: error: key 'title' appears twice (first at line 2); remove one");
}

static void test_spec_empty_file(void **state) {
    fixture *f = *state;
    SPEC_ERRORS(f, "# only a comment\n",
                "handouts/h.yaml:1:1: error: the file is empty: expected a mapping with keys like 'id' and 'title'");
}

/* ---- figures ---- */

static hd_status figure_text(fixture *f, const char *text, hd_figure **out) {
    put("handouts/f.yaml", text);
    return hd_figure_load(f->a, &f->d, &f->p, "handouts/f.yaml", hd_pos_at("handouts/h.yaml", 3, 13), out);
}

#define FIGURE_ERRORS(f, text, ...)                                                                                   \
    do {                                                                                                              \
        hd_figure *fig_;                                                                                              \
        assert_int_equal(figure_text((f), (text), &fig_), HD_ERR_CONTENT);                                            \
        assert_null(fig_);                                                                                            \
        EXPECT((f), __VA_ARGS__);                                                                                     \
    } while (0)

#define FIGURE_ERROR_REPLACED(f, from, to, ...)                                                                       \
    do {                                                                                                              \
        char *t_ = replaced(FIGURE, (from), (to));                                                                    \
        FIGURE_ERRORS((f), t_, __VA_ARGS__);                                                                          \
        free(t_);                                                                                                     \
    } while (0)

static void test_figure_valid(void **state) {
    fixture *f = *state;
    hd_figure *fig = NULL;
    assert_int_equal(figure_text(f, FIGURE, &fig), HD_OK);
    EXPECT(f);
    assert_string_equal(fig->title, "How long relief lasts");
    assert_string_equal(fig->alt, "Bars show how long relief lasts.\n");
    assert_string_equal(fig->caption, "Each bar is a range.");
    assert_string_equal(fig->source, "Based on studies.");
    assert_float_equal(fig->axis_lo, 1, 1e-9);
    assert_float_equal(fig->axis_hi, 525960, 1e-6);
    assert_int_equal(fig->nphases, 1);
    assert_string_equal(fig->phases[0].label, "Chemical effects");
    assert_float_equal(fig->phases[0].hi, 2 * 10080, 1e-9);
    assert_int_equal(fig->nlanes, 2);
    const hd_lane *l = &fig->lanes[0];
    assert_string_equal(l->label, "One IV infusion");
    assert_string_equal(l->note, "4 to 10 day infusion");
    assert_float_equal(l->onset, 10, 1e-9);
    assert_float_equal(l->typ_lo, 120, 1e-9);
    assert_float_equal(l->typ_hi, 20160, 1e-9);
    assert_float_equal(l->upto, 3 * 43830, 1e-6);
    assert_int_equal(l->pos.line, 10);
    assert_int_equal(l->pos.col, 5);
    l = &fig->lanes[1];
    assert_null(l->note);
    assert_true(l->onset < 0);
    assert_true(l->upto < 0);
    assert_float_equal(l->typ_lo, 1440, 1e-9);
    assert_float_equal(l->typ_hi, 2880, 1e-9);
    assert_int_equal(fig->nmarkers, 1);
    assert_float_equal(fig->markers[0].lo, 4 * 10080, 1e-9);
    assert_float_equal(fig->markers[0].hi, 6 * 10080, 1e-9);
    assert_int_equal(fig->pos.line, 1);
}

/* A caption or source written as a YAML block keeps its line breaks; they
 * are drawn as one paragraph, so breaks and tabs become spaces and the
 * break at the end goes (no font draws them: they showed as gaps). */
static void test_figure_text_flows(void **state) {
    fixture *f = *state;
    hd_figure *fig = NULL;
    char *t = replaced(FIGURE, "caption: Each bar is a range.\n", "caption: |\n  Each bar\n  is a\trange.\n\n");
    char *t2 = replaced(t, "source: Based on studies.\n", "source: \"Based\\ton\\r\\nstudies.\\t\"\n");
    assert_int_equal(figure_text(f, t2, &fig), HD_OK);
    EXPECT(f);
    assert_string_equal(fig->caption, "Each bar is a range.");
    assert_string_equal(fig->source, "Based on studies.");
    free(t2);
    free(t);
    /* a required text that is all white space is empty */
    FIGURE_ERROR_REPLACED(f, "title: How long relief lasts\n", "title: \"\\t \"\n",
                          "handouts/f.yaml:1:8: error: 'title' holds only spaces, tabs or line breaks; it needs a value");
    hd_diags_free(&f->d);
    hd_diags_init(&f->d);
    FIGURE_ERROR_REPLACED(f, "title: How long relief lasts\n", "title: \"   \"\n",
                          "handouts/f.yaml:1:8: error: 'title' holds only spaces, tabs or line breaks; it needs a value");
}

static void test_figure_missing_file(void **state) {
    fixture *f = *state;
    hd_figure *fig;
    assert_int_equal(hd_figure_load(f->a, &f->d, &f->p, "handouts/none.yaml", hd_pos_at("handouts/h.yaml", 3, 13), &fig),
                     HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.v[0].line, 3);
    assert_int_equal(f->d.v[0].col, 13);
}

static void test_figure_unknown_unit(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "typical: 1-2 days", "typical: 2 fortnights",
                          "handouts/f.yaml:16:14: error: 'typical': unknown unit 'fortnights' in \"2 fortnights\" (use "
                          "minutes, hours, days, weeks, months or years)");
}

static void test_figure_range_backwards(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "typical: 1-2 days", "typical: 6-4 weeks",
                          "handouts/f.yaml:16:14: error: 'typical': \"6-4 weeks\" ends before it starts (write the shorter "
                          "time first, e.g. \"4-6 weeks\")");
}

static void test_figure_outside_axis(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "up-to: 3 months", "up-to: 2 years",
                          "handouts/f.yaml:13:12: error: 'up-to' 2 years is outside the axis (1 minute to 1 year); widen "
                          "'axis' or fix the value");
}

static void test_figure_upto_shorter(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "up-to: 3 months", "up-to: 1 week",
                          "handouts/f.yaml:13:12: error: 'up-to' 1 week is shorter than the end of 'typical' (2 weeks); "
                          "make it at least as long, or remove it");
}

static void test_figure_onset_range(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "onset: 10 minutes", "onset: 10-20 minutes",
                          "handouts/f.yaml:11:12: error: 'onset' must be one time, like 10 minutes, not a range");
}

static void test_figure_no_lanes(void **state) {
    fixture *f = *state;
    FIGURE_ERRORS(f, "title: T\nalt: A\naxis: { from: 1 minute, to: 1 year }\nlanes: []\n",
                  "handouts/f.yaml:4:8: error: a figure needs at least one lane");
}

static void test_figure_too_many_lanes(void **state) {
    fixture *f = *state;
    char buf[2048] = "title: T\nalt: A\naxis: { from: 1 minute, to: 1 year }\nlanes:\n";
    for (int i = 1; i <= 13; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "  - { label: L%d, typical: 1-2 days }\n", i);
    FIGURE_ERRORS(f, buf, "handouts/f.yaml:17:5: error: a figure can have at most 12 lanes, this one has 13; split it "
                          "into two figures");
}

static void test_figure_axis_backwards(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "axis: { from: 1 minute, to: 1 year }", "axis: { from: 1 year, to: 1 minute }",
                          "handouts/f.yaml:6:15: error: the axis must start before it ends: 'from' (1 year) is not shorter "
                          "than 'to' (1 minute)");
}

static void test_figure_long_label(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "label: By mouth",
                          "label: Ketamine taken by mouth at home each day for several weeks in a row daily",
                          "handouts/f.yaml:15:12: error: lane label is 73 characters long; keep it under 60 so it fits "
                          "the figure");
}

static void test_figure_long_label_counts_characters(void **state) {
    fixture *f = *state;
    hd_figure *fig;
    /* 60 characters, 120 bytes: allowed. */
    char *t = replaced(FIGURE, "label: By mouth",
                       "label: ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé");
    assert_int_equal(figure_text(f, t, &fig), HD_OK);
    free(t);
}

/* copy-paste slips: a single time as the typical range, a lane twice */
static void test_figure_typical_single_time(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "typical: 1-2 days", "typical: 2 weeks to 2 weeks",
                          "handouts/f.yaml:16:14: error: 'typical' 2 weeks to 2 weeks is a single time, not a range: "
                          "its bar would be an almost invisible tick; write how long relief usually lasts as a range, "
                          "like 2-6 weeks, or show one point in time under 'markers' (- { label: ..., at: 2 weeks })");
    hd_diags_free(&f->d);
    hd_diags_init(&f->d);
    FIGURE_ERROR_REPLACED(f, "typical: 1-2 days", "typical: 1 day",
                          "handouts/f.yaml:16:14: error: 'typical' 1 day is a single time, not a range: its bar would "
                          "be an almost invisible tick; write how long relief usually lasts as a range, like 2-6 weeks, "
                          "or show one point in time under 'markers' (- { label: ..., at: 1 day })");
}

static void test_figure_lane_twice(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "label: By mouth", "label: One IV infusion\n    note: 4 to 10 day infusion",
                          "handouts/f.yaml:15:12: error: two lanes are labelled 'One IV infusion' with the same note "
                          "(the first at line 10); give each lane its own label or note, or remove the copy");
    /* the same label with another note: two lanes a reader tells apart */
    hd_diags_free(&f->d);
    hd_diags_init(&f->d);
    char *t = replaced(FIGURE, "label: By mouth", "label: One IV infusion\n    note: 4 days");
    hd_figure *fig = NULL;
    assert_int_equal(figure_text(f, t, &fig), HD_OK);
    free(t);
}

static void test_figure_title_alt_required(void **state) {
    fixture *f = *state;
    FIGURE_ERRORS(f, "axis: { from: 1 minute, to: 1 year }\nlanes: [{ label: A, typical: 1-2 days }]\n",
                  "handouts/f.yaml:1:1: error: missing required key 'title'",
                  "handouts/f.yaml:1:1: error: missing required key 'alt'");
}

static void test_figure_phase_backwards_and_marker(void **state) {
    fixture *f = *state;
    char *t1 = replaced(FIGURE, "from: 1 minute, to: 2 weeks", "from: 2 weeks, to: 1 hour");
    char *t2 = replaced(t1, "at: 4-6 weeks", "at: 4-6 years");
    FIGURE_ERRORS(f, t2,
                  "handouts/f.yaml:8:51: error: the phase ends before it starts: 'to' (1 hour) is shorter than 'from' (2 "
                  "weeks)",
                  "handouts/f.yaml:18:31: error: 'at' 4-6 years is outside the axis (1 minute to 1 year); widen 'axis' "
                  "or fix the value");
    free(t1);
    free(t2);
}

static void test_figure_lane_unknown_key(void **state) {
    fixture *f = *state;
    FIGURE_ERROR_REPLACED(f, "note: 4 to 10 day infusion", "upto: 4 months",
                          "handouts/f.yaml:14:5: error: unknown key 'upto' (did you mean 'up-to'?)");
}

/* ---- template ---- */

static hd_status template_text(fixture *f, const char *from, const char *to, hd_template *t) {
    put_replaced("templates/t.yaml", TEMPLATE, from, to);
    return hd_template_load(f->a, &f->d, &f->p, "t", hd_pos_at("handouts/h.yaml", 4, 11), t);
}

#define TEMPLATE_ERRORS(f, from, to, ...)                                                                             \
    do {                                                                                                              \
        hd_template t_;                                                                                               \
        assert_int_equal(template_text((f), (from), (to), &t_), HD_ERR_CONTENT);                                      \
        EXPECT((f), __VA_ARGS__);                                                                                     \
    } while (0)

static void test_template_valid(void **state) {
    fixture *f = *state;
    hd_template t;
    assert_int_equal(hd_template_load(f->a, &f->d, &f->p, "standard", hd_pos_at("h.yaml", 4, 11), &t), HD_OK);
    EXPECT(f);
    assert_string_equal(t.name, "standard");
    assert_string_equal(t.path, "templates/standard.yaml");
    assert_string_equal(t.paper, "letter");
    assert_float_equal(t.page_w, 612, 0);
    assert_float_equal(t.page_h, 792, 0);
    assert_float_equal(t.margin_top, 54, 1e-9);
    assert_float_equal(t.margin_left, 57.6, 1e-9);
    assert_float_equal(t.body_size, 13, 0);
    assert_float_equal(t.line_height, 1.45, 1e-12);
    assert_float_equal(t.small_size, 10, 0);
    assert_float_equal(t.heading_size[0], 22, 0);
    assert_float_equal(t.heading_size[5], 13, 0);
    assert_float_equal(t.paragraph_gap, 8, 0);
    assert_string_equal(t.font_family, "noto-sans");
    assert_string_equal(t.mono_family, "dejavu-sans-mono");
    assert_string_equal(t.fallback_family, "dejavu-sans");
    assert_float_equal(t.primary.r, 0x1f / 255.0, 1e-12);
    assert_float_equal(t.safety_bg.b, 0xe0 / 255.0, 1e-12);
    assert_string_equal(t.header[0], "{clinic}");
    assert_string_equal(t.header[1], "");
    assert_string_equal(t.footer[2], "Page {page} of {pages}");
    assert_float_equal(t.max_grade, 8, 0);
    assert_int_equal(t.large_print, 0);
}

static void test_template_defaults(void **state) {
    fixture *f = *state;
    hd_template t;
    put("templates/min.yaml", "paper: a4\n"
                              "margins: { top: 1in, bottom: 1in, left: 1in, right: 1in }\n"
                              "type: { body: 12pt, line-height: 1.4, small: 9pt, headings: [20, 16, 14, 12, 12, 12] }\n"
                              "fonts: { body: noto-sans }\n"
                              "colours: { text: \"#000000\", primary: \"#1f4e79\" }\n");
    assert_int_equal(hd_template_load(f->a, &f->d, &f->p, "min", hd_pos_at("h.yaml", 4, 11), &t), HD_OK);
    EXPECT(f);
    assert_float_equal(t.page_w, 595.276, 1e-9);
    assert_float_equal(t.page_h, 841.89, 1e-9);
    assert_float_equal(t.paragraph_gap, 7.2, 1e-9);
    assert_string_equal(t.mono_family, "dejavu-sans-mono");
    assert_float_equal(t.accent.b, t.primary.b, 0);
    assert_float_equal(t.muted.r, 0, 0);
    assert_float_equal(t.safety_bg.g, 1, 0);
    assert_string_equal(t.footer[1], "");
    assert_float_equal(t.max_grade, 8, 0);
}

static void test_template_not_found(void **state) {
    fixture *f = *state;
    hd_template t;
    assert_int_equal(hd_template_load(f->a, &f->d, &f->p, "fancy", hd_pos_at("handouts/h.yaml", 4, 11), &t),
                     HD_ERR_CONTENT);
    EXPECT(f, "handouts/h.yaml:4:11: error: template 'fancy' not found (templates/fancy.yaml does not exist; available: "
              "large, standard)");
}

static void test_template_bad_name(void **state) {
    fixture *f = *state;
    hd_template t;
    assert_int_equal(hd_template_load(f->a, &f->d, &f->p, "../standard", hd_pos_at("handouts/h.yaml", 4, 11), &t),
                     HD_ERR_CONTENT);
    EXPECT(f, "handouts/h.yaml:4:11: error: template name '../standard' must use only lowercase letters, digits and "
              "hyphens (at most 64, not starting with a hyphen)");
}

static void test_template_body_too_small(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "body: 13pt", "body: 11pt",
                    "templates/t.yaml:4:9: error: body text must be at least 12pt so patients can read it (it is 11pt)");
}

static void test_template_small_too_small(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "small: 10pt", "small: 3mm",
                    "templates/t.yaml:6:10: error: small text (header, footer, captions) must be at least 9pt (it is "
                    "8.50394pt)");
}

static void test_template_heading_smaller_than_body(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "14pt, 13pt, 13pt]", "14pt, 12pt, 13pt]",
                    "templates/t.yaml:7:38: error: heading 5 is 12pt, smaller than the body text (13pt); headings must "
                    "be at least as large");
}

static void test_template_heading_count(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "[22pt, 17pt, 15pt, 14pt, 13pt, 13pt]", "[22pt, 17pt]",
                    "templates/t.yaml:7:13: error: 'headings' must list 6 sizes (h1 to h6), like [24pt, 19pt, 16pt, "
                    "14pt, 13pt, 13pt]; it lists 2");
}

static void test_template_margin(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "left: 0.8in", "left: 5mm",
                    "templates/t.yaml:2:47: error: margin 'left' is 14.1732pt; margins must be at least 18pt (0.25in) "
                    "so printers do not cut off text");
}

static void test_template_bad_length(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "top: 0.75in", "top: 2px",
                    "templates/t.yaml:2:17: error: 'top' must be a length in pt, in, mm or cm, like 13pt, 0.75in, 19mm "
                    "or 1.9cm");
}

static void test_template_line_height(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "line-height: 1.45", "line-height: 3",
                    "templates/t.yaml:5:16: error: 'line-height' is 3; use a value from 1.0 to 2.5 (a multiple of the "
                    "text size)");
}

static void test_template_paper(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "paper: letter", "paper: legal", "templates/t.yaml:1:8: error: 'paper' must be letter or a4, not 'legal'");
}

static void test_template_contrast_muted(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "muted: \"#595959\"", "muted: \"#999999\"",
                    "templates/t.yaml:17:10: error: colour '#999999' for 'muted' has contrast 2.85:1 against white; text "
                    "needs at least 4.5:1 (try a darker colour such as '#767676')");
}

static void test_template_contrast_safety_background(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "safety-background: \"#fff3e0\"", "safety-background: \"#808080\"",
                    "templates/t.yaml:14:9: error: colour '#1a1a1a' for 'text' has contrast 4.41:1 against the safety "
                    "background '#808080'; text needs at least 4.5:1 (try a darker colour such as '#171717')",
                    "templates/t.yaml:15:12: error: colour '#1f4e79' for 'primary' has contrast 2.19:1 against the "
                    "safety background '#808080'; text needs at least 4.5:1 (try a darker colour such as '#0a1927')");
}

/* text is drawn on the page, the safety box and code blocks: every pair
 * that fails is named in one error, and the colour suggested passes all */
static void test_template_contrast_every_background(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "text: \"#1a1a1a\"", "text: \"#737373\"",
                    "templates/t.yaml:14:9: error: colour '#737373' for 'text' has contrast 4.32:1 against the safety "
                    "background '#fff3e0' and 4.24:1 against the code block background '#f2f2f2'; text needs at least "
                    "4.5:1 (try a darker colour such as '#6e6e6e')");
}

static void test_template_colour_unquoted(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "accent: \"#9c4a00\"", "accent: #9c4a00",
                    "templates/t.yaml:16:11: error: 'accent' is empty because # starts a comment: a colour must be in "
                    "quotes, like accent: \"#9c4a00\"");
    hd_diags_free(&f->d);
    hd_diags_init(&f->d);
    TEMPLATE_ERRORS(f, "accent: \"#9c4a00\"", "accent: # brown",
                    "templates/t.yaml:16:10: error: 'accent' is empty; write the colour in quotes, like \"#1a1a1a\" "
                    "(without quotes, # starts a comment)");
}

static void test_template_colour_bad(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "accent: \"#9c4a00\"", "accent: orange",
                    "templates/t.yaml:16:11: error: 'accent' must be a colour written \"#rrggbb\", like \"#1a1a1a\"");
}

static void test_template_unknown_placeholder(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "right: \"{title}\"", "right: \"{date} and {page\"",
                    "templates/t.yaml:20:49: error: unknown placeholder '{date}' in header 'right'; use {clinic}, "
                    "{phone}, {title}, {page}, {pages}, {reviewed} or {clinic-footer}",
                    "templates/t.yaml:20:49: error: '{' without a closing '}' in header 'right'; placeholders look like "
                    "{phone}");
}

static void test_template_font_family(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "body: noto-sans", "body: Noto Sans",
                    "templates/t.yaml:10:9: error: font family 'Noto Sans' must use only lowercase letters, digits and "
                    "hyphens, like noto-sans (a folder in fonts/)");
}

static void test_template_large_print(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "large-print: false", "large-print: true",
                    "templates/t.yaml:23:14: error: a large-print template needs body text of at least 18pt (it is 13pt)");
}

static void test_template_bool(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "large-print: false", "large-print: no",
                    "templates/t.yaml:23:14: error: 'large-print' must be true or false, not 'no'");
}

static void test_template_max_grade(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "max-grade: 8", "max-grade: eight",
                    "templates/t.yaml:22:27: error: 'max-grade' must be a number, like 8");
}

static void test_template_unknown_nested_key(void **state) {
    fixture *f = *state;
    TEMPLATE_ERRORS(f, "paragraph-gap: 8pt", "paragraph-gaps: 8pt",
                    "templates/t.yaml:8:3: error: unknown key 'paragraph-gaps' (did you mean 'paragraph-gap'?)");
}

/* ---- clinic ---- */

static hd_status clinic_text(fixture *f, const char *from, const char *to, hd_clinic *k) {
    char *base = replaced(CLINIC, "id: riverside", "id: c");
    put_replaced("clinics/c.yaml", base, from, to);
    free(base);
    return hd_clinic_load(f->a, &f->d, &f->p, "c", hd_pos_at("handouts/h.yaml", 5, 9), k);
}

#define CLINIC_ERRORS(f, from, to, ...)                                                                               \
    do {                                                                                                              \
        hd_clinic k_;                                                                                                 \
        assert_int_equal(clinic_text((f), (from), (to), &k_), HD_ERR_CONTENT);                                        \
        EXPECT((f), __VA_ARGS__);                                                                                     \
    } while (0)

static void test_clinic_valid(void **state) {
    fixture *f = *state;
    hd_clinic k;
    assert_int_equal(hd_clinic_load(f->a, &f->d, &f->p, "riverside", hd_pos_at("h.yaml", 5, 9), &k), HD_OK);
    EXPECT(f);
    assert_string_equal(k.id, "riverside");
    assert_string_equal(k.name, "Riverside Pain Clinic");
    assert_string_equal(k.path, "clinics/riverside.yaml");
    assert_string_equal(k.logo, "clinics/logos/riverside.png");
    assert_int_equal(k.logo_pos.line, 3);
    assert_int_equal(k.has_primary, 1);
    assert_int_equal(k.has_accent, 1);
    assert_int_equal(k.has_text, 1);
    assert_float_equal(k.accent.g, 0x69 / 255.0, 1e-12);
    assert_int_equal(k.primary_pos.line, 4);
    assert_string_equal(k.font_family, "noto-serif");
    assert_string_equal(k.address, "12 River Road, Springfield");
    assert_string_equal(k.phone, "555-0100");
    assert_string_equal(k.after_hours, "555-0199");
    assert_string_equal(k.web, "https://riverside.example");
    assert_int_equal(k.qr, 1);
    assert_string_equal(k.footer, "Questions? Call us.");
    assert_string_equal(k.paper, "a4");
    assert_string_equal(k.language, "en");
    assert_int_equal(k.nsafety, 1);
    assert_string_equal(k.safety[0], "riverside-emergency");
    assert_int_equal(k.safety_pos[0].line, 15);
}

/* Curly quotes, quoted booleans, invisible characters in keys, a colour
 * cut off by '#': named, with the fix. */
static void test_clinic_lookalikes(void **state) {
    fixture *f = *state;
    hd_clinic k;
    put("clinics/riverside.yaml", "id: \xE2\x80\x98" "riverside\xE2\x80\x99\n"
                                  "na\xE2\x80\x8B" "me: Riverside\n"
                                  "qr: 'false'\n"
                                  "colours:\n"
                                  "  primary: #1d4f91\n"
                                  "  accent: \xE2\x80\x9C" "#00695c\xE2\x80\x9D\n"
                                  "footer: \xE2\x80\x9C" "Call us\xE2\x80\x9D\n"
                                  "logoo\xC2\xA0: x\n");
    assert_int_equal(hd_clinic_load(f->a, &f->d, &f->p, "riverside", hd_pos_at(NULL, 0, 0), &k), HD_ERR_CONTENT);
    EXPECT(f, "clinics/riverside.yaml:2:1: error: the key 'name' has an invisible zero-width space (U+200B) in it: "
              "delete the key and type it again",
           "clinics/riverside.yaml:8:1: error: unknown key 'logoo' (with a non-breaking space (U+00A0) in it) (did you "
           "mean 'logo'?)",
           "clinics/riverside.yaml:1:5: error: 'id' is written in curly quotes \xE2\x80\x9C \xE2\x80\x9D, which YAML "
           "does not read as quotes: leave them out, like id: riverside",
           "clinics/riverside.yaml:1:1: error: missing required key 'name'",
           "clinics/riverside.yaml:5:12: error: 'primary' is empty because # starts a comment: a colour must be in "
           "quotes, like primary: \"#1d4f91\"",
           "clinics/riverside.yaml:6:11: error: 'accent' is written in curly quotes \xE2\x80\x9C \xE2\x80\x9D, which "
           "YAML does not read as quotes: replace them with straight quotes \" \", like accent: \"#00695c\"",
           "clinics/riverside.yaml:3:5: error: 'qr' must be true or false without quotes (in quotes it is text): "
           "write qr: false",
           "clinics/riverside.yaml:7:9: warning: 'footer' is in curly quotes \xE2\x80\x9C \xE2\x80\x9D, which are "
           "printed as they are: if they are meant as quotes around the value, replace them with straight quotes \" \"");
}

static void test_clinic_minimal(void **state) {
    fixture *f = *state;
    hd_clinic k;
    put("clinics/small.yaml", "id: small\nname: Small Clinic\n");
    assert_int_equal(hd_clinic_load(f->a, &f->d, &f->p, "small", hd_pos_at(NULL, 0, 0), &k), HD_OK);
    assert_null(k.logo);
    assert_int_equal(k.has_primary, 0);
    assert_null(k.paper);
    assert_null(k.font_family);
    assert_int_equal(k.qr, 0);
    assert_int_equal(k.nsafety, 0);
}

static void test_clinic_not_found_from_command_line(void **state) {
    fixture *f = *state;
    hd_clinic k;
    assert_int_equal(hd_clinic_load(f->a, &f->d, &f->p, "nowhere", hd_pos_at(NULL, 0, 0), &k), HD_ERR_CONTENT);
    EXPECT(f, "handout: error: clinic 'nowhere' not found (clinics/nowhere.yaml does not exist; available: riverside)");
}

static void test_clinic_id_mismatch(void **state) {
    fixture *f = *state;
    hd_clinic k;
    assert_int_equal(hd_clinic_load(f->a, &f->d, &f->p, "riverside", hd_pos_at("h.yaml", 5, 9), &k), HD_OK);
    put("clinics/other.yaml", CLINIC);
    assert_int_equal(hd_clinic_load(f->a, &f->d, &f->p, "other", hd_pos_at("h.yaml", 5, 9), &k), HD_ERR_CONTENT);
    EXPECT(f, "clinics/other.yaml:1:5: error: 'id' is 'riverside' but the file is other.yaml; they must be the same "
              "(change 'id' to other, or rename the file)");
}

static void test_clinic_logo_missing(void **state) {
    fixture *f = *state;
    CLINIC_ERRORS(f, "logo: logos/riverside.png", "logo: logos/none.png",
                  "clinics/c.yaml:3:7: error: logo file 'logos/none.png' does not exist (looked for "
                  "clinics/logos/none.png); check the name and the folder");
}

static void test_clinic_logo_kind(void **state) {
    fixture *f = *state;
    CLINIC_ERRORS(f, "logo: logos/riverside.png", "logo: logos/riverside.svg",
                  "clinics/c.yaml:3:7: error: the logo must be a PNG or JPEG file (.png, .jpg or .jpeg), not "
                  "'logos/riverside.svg'");
}

static void test_clinic_logo_outside(void **state) {
    fixture *f = *state;
    hd_clinic k;
    assert_int_equal(clinic_text(f, "logo: logos/riverside.png", "logo: ../../../../etc/x.png", &k), HD_ERR_CONTENT);
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.v[0].line, 3);
    assert_non_null(strstr(f->d.v[0].msg, "outside the project"));
}

static void test_clinic_brand_contrast(void **state) {
    fixture *f = *state;
    CLINIC_ERRORS(f, "accent: \"#00695c\"", "accent: \"#ffcc00\"",
                  "clinics/c.yaml:4:40: error: colour '#ffcc00' for 'accent' has contrast 1.51:1 against white; text "
                  "needs at least 4.5:1 (try a darker colour such as '#907300')");
}

/* A clinic's colours on the template's backgrounds: 4.54:1 on white is not
 * enough when the safety box is #fff3e0. */
static void test_clinic_contrast_on_template(void **state) {
    fixture *f = *state;
    hd_template t;
    hd_clinic k;
    assert_int_equal(hd_template_load(f->a, &f->d, &f->p, "standard", hd_pos_at("h.yaml", 4, 11), &t), HD_OK);
    assert_int_equal(clinic_text(f, "text: \"#1a1a1a\"", "text: \"#767676\"", &k), HD_OK);
    assert_int_equal(hd_clinic_check_colours(f->a, &f->d, &k, &t), HD_ERR_CONTENT);
    EXPECT(f, "clinics/c.yaml:4:57: error: colour '#767676' for 'text' has contrast 4.14:1 against the safety background "
              "'#fff3e0' of template 'standard' and 4.07:1 against the code block background '#f2f2f2'; text needs at "
              "least 4.5:1 (try a darker colour such as '#6e6e6e')");
}

/* primary is not drawn in code blocks; a safety box left white is the page */
static void test_clinic_contrast_primary(void **state) {
    fixture *f = *state;
    hd_template t;
    hd_clinic k;
    put_replaced("templates/white.yaml", TEMPLATE, "  safety-background: \"#fff3e0\"\n", "");
    assert_int_equal(hd_template_load(f->a, &f->d, &f->p, "white", hd_pos_at("h.yaml", 4, 11), &t), HD_OK);
    assert_int_equal(clinic_text(f, "primary: \"#1d4f91\"", "primary: \"#aaaaaa\"", &k), HD_OK);
    assert_int_equal(hd_clinic_check_colours(f->a, &f->d, &k, &t), HD_ERR_CONTENT);
    EXPECT(f, "clinics/c.yaml:4:21: error: colour '#aaaaaa' for 'primary' has contrast 2.32:1 against white; text needs "
              "at least 4.5:1 (try a darker colour such as '#767676')");
}

static void test_clinic_qr_needs_web(void **state) {
    fixture *f = *state;
    CLINIC_ERRORS(f, "  web: https://riverside.example\n", "",
                  "clinics/c.yaml:10:5: error: 'qr: true' needs a web address to encode: add 'web' under 'contact', or "
                  "set 'qr: false'");
}

/* a stray carriage return (a file saved on Windows, quoted) would end up in
 * the link, the QR code and the contact box */
static void test_clinic_web_control_character(void **state) {
    fixture *f = *state;
    CLINIC_ERRORS(f, "  web: https://riverside.example\n", "  web: \"https://riverside.example\\r\"\n",
                  "clinics/c.yaml:10:9: error: 'web' must be a web address starting with https:// or http://, like "
                  "https://example.org/page");
}

/* A block address (`|`) keeps its lines, one '\n' between two: white space
 * around a break, blank lines and the final break dropped, a tab inside a
 * line a space. A plain or folded one is one line, as YAML reads it. */
static void test_clinic_address_lines(void **state) {
    fixture *f = *state;
    hd_clinic k;
    assert_int_equal(clinic_text(f, "  address: 12 River Road, Springfield\n",
                                 "  address: |\n    400 Summit Avenue  \n\n    Suite\t2\n      Lakeview\n", &k),
                     HD_OK);
    EXPECT(f);
    assert_string_equal(k.address, "400 Summit Avenue\nSuite 2\nLakeview");
    assert_int_equal(clinic_text(f, "  address: 12 River Road, Springfield\n",
                                 "  address: >\n    400 Summit Avenue\n    Suite 2\n", &k),
                     HD_OK);
    assert_string_equal(k.address, "400 Summit Avenue Suite 2");
    CLINIC_ERRORS(f, "  address: 12 River Road, Springfield\n", "  address: \"  \\n \"\n",
                  "clinics/c.yaml:7:12: error: 'address' holds only spaces, tabs or line breaks; it needs a value");
}

static void test_clinic_contact_key(void **state) {
    fixture *f = *state;
    CLINIC_ERRORS(f, "after-hours:", "afterhours:",
                  "clinics/c.yaml:9:3: error: unknown key 'afterhours' (did you mean 'after-hours'?)");
}

static void test_clinic_safety_list(void **state) {
    fixture *f = *state;
    CLINIC_ERRORS(f, "safety: [riverside-emergency]", "safety: [a, ../b, a]",
                  "clinics/c.yaml:15:13: error: '../b' is not a valid name in 'safety'; use only lowercase letters, "
                  "digits and hyphens (at most 64, not starting with a hyphen)",
                  "clinics/c.yaml:15:19: error: 'a' is listed twice in 'safety' (first at line 15); remove one");
}

static void test_clinic_paper_and_language(void **state) {
    fixture *f = *state;
    hd_clinic k;
    char *t = replaced(CLINIC, "id: riverside", "id: c");
    char *t2 = replaced(t, "paper: a4", "paper: A4");
    put_replaced("clinics/c.yaml", t2, "language: en", "language: english");
    assert_int_equal(hd_clinic_load(f->a, &f->d, &f->p, "c", hd_pos_at("h.yaml", 5, 9), &k), HD_ERR_CONTENT);
    EXPECT(f, "clinics/c.yaml:13:8: error: 'paper' must be letter or a4, not 'A4'",
           "clinics/c.yaml:14:11: error: 'language' must be en or es, not 'english'");
    free(t);
    free(t2);
}

/* ---- topic and safety text ---- */

static void test_topic_valid(void **state) {
    fixture *f = *state;
    hd_topic t;
    assert_int_equal(hd_topic_load(f->a, &f->d, &f->p, "ketamine", hd_pos_at("h.yaml", 6, 8), &t), HD_OK);
    EXPECT(f);
    assert_string_equal(t.id, "ketamine");
    assert_string_equal(t.path, "templates/topics/ketamine.yaml");
    assert_int_equal(t.nsafety, 2);
    assert_string_equal(t.safety[0], "ketamine");
    assert_string_equal(t.safety[1], "emergency");
    assert_int_equal(t.safety_pos[1].line, 2);
    assert_int_equal(t.safety_pos[1].col, 20);
}

static void test_topic_errors(void **state) {
    fixture *f = *state;
    hd_topic t;
    put("templates/topics/pain.yaml", "id: pains\nsafty: [x]\n");
    assert_int_equal(hd_topic_load(f->a, &f->d, &f->p, "pain", hd_pos_at("h.yaml", 6, 8), &t), HD_ERR_CONTENT);
    EXPECT(f, "templates/topics/pain.yaml:2:1: error: unknown key 'safty' (did you mean 'safety'?)",
           "templates/topics/pain.yaml:1:5: error: 'id' is 'pains' but the file is pain.yaml; they must be the same "
           "(change 'id' to pain, or rename the file)",
           "templates/topics/pain.yaml:1:1: error: missing required key 'safety'");
}

static void test_topic_not_found(void **state) {
    fixture *f = *state;
    hd_topic t;
    assert_int_equal(hd_topic_load(f->a, &f->d, &f->p, "opioids", hd_pos_at("h.yaml", 6, 8), &t), HD_ERR_CONTENT);
    EXPECT(f, "h.yaml:6:8: error: topic 'opioids' not found (templates/topics/opioids.yaml does not exist; available: "
              "ketamine)");
}

static void test_safety_valid(void **state) {
    fixture *f = *state;
    hd_safety s;
    assert_int_equal(hd_safety_load(f->a, &f->d, &f->p, "ketamine", hd_pos_at("templates/topics/ketamine.yaml", 2, 10), &s),
                     HD_OK);
    EXPECT(f);
    assert_string_equal(s.id, "ketamine");
    assert_string_equal(s.path, "templates/safety/ketamine.yaml");
    assert_int_equal(s.version, 3);
    assert_string_equal(s.title, "Safety information");
    assert_string_equal(s.text, "Call **911** now.\n");
    assert_int_equal(s.text_len, 18);
    assert_int_equal(s.line_offset, 5); /* text line 1 is file line 6 */
    assert_int_equal(s.col_offset, 2);  /* col 1 is file col 3 */
    assert_string_equal(s.sha256, "3acf3366c04a24f09dd38b24dd24b7fe643d5b63f38d137aeca456e69d17601d");
}

static void test_safety_errors(void **state) {
    fixture *f = *state;
    hd_safety s;
    put("templates/safety/e.yaml", "id: e\nversion: 0\ntitle: In an emergency\ntext:\n");
    assert_int_equal(hd_safety_load(f->a, &f->d, &f->p, "e", hd_pos_at("h.yaml", 2, 10), &s), HD_ERR_CONTENT);
    put("templates/safety/g.yaml", "id: g\nversion: one\ntitle: T\ntext: |\n  x\n");
    assert_int_equal(hd_safety_load(f->a, &f->d, &f->p, "g", hd_pos_at("h.yaml", 2, 10), &s), HD_ERR_CONTENT);
    EXPECT(f, "templates/safety/e.yaml:2:10: error: 'version' must be 1 or more (raise it whenever the wording changes)",
           "templates/safety/e.yaml:4:6: error: 'text' is empty; it needs a value",
           "templates/safety/g.yaml:2:10: error: 'version' must be a whole number, like 1",
           "templates/safety/g.yaml:1:1: error: missing required key 'sha256'");
}

/* Approved wording is locked by its hash: an edit without a new hash fails. */
static void test_safety_altered(void **state) {
    fixture *f = *state;
    hd_safety s;
    put("templates/safety/k2.yaml", "id: k2\nversion: 3\ntitle: Safety information\ntext: |\n  Call **112** now.\n"
                                    "sha256: 3acf3366c04a24f09dd38b24dd24b7fe643d5b63f38d137aeca456e69d17601d\n");
    assert_int_equal(hd_safety_load(f->a, &f->d, &f->p, "k2", hd_pos_at("h.yaml", 2, 10), &s), HD_ERR_CONTENT);
    EXPECT(f, "templates/safety/k2.yaml:6:9: error: the wording of safety text 'k2' (version 3) is not the approved "
              "wording: if this wording is approved, set 'sha256: "
              "f9ae4315fd40bdc40cd36bccdf560c1f4675866e546d68b62c35f8a380799b14' (and raise 'version' if handouts "
              "carried an earlier wording); otherwise restore the approved text");
}

static void test_paper_size(void **state) {
    double w = 0, h = 0;
    assert_int_equal(hd_paper_size("letter", &w, &h), 1);
    assert_float_equal(w, 612, 0);
    assert_float_equal(h, 792, 0);
    assert_int_equal(hd_paper_size("a4", &w, &h), 1);
    assert_float_equal(w, 595.276, 0);
    assert_float_equal(h, 841.89, 0);
    assert_int_equal(hd_paper_size("legal", &w, &h), 0);
    assert_int_equal(hd_paper_size(NULL, &w, &h), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_spec_id_is_file_name),
        T(test_spec_review_by_too_far),
        T(test_spec_section_twice),
        T(test_spec_valid),
        T(test_spec_unknown_key_suggestion),
        T(test_spec_unknown_key_list),
        T(test_spec_missing_required),
        T(test_spec_keywords_type),
        T(test_spec_keyword_item_type),
        T(test_spec_empty_title),
        T(test_spec_title_not_text),
        T(test_spec_empty_optional),
        T(test_spec_bad_id),
        T(test_spec_language),
        T(test_spec_review_order),
        T(test_spec_dates),
        T(test_spec_date_format),
        T(test_spec_leap_day_ok),
        T(test_spec_section_needs_one),
        T(test_spec_section_not_mapping),
        T(test_spec_sections_empty),
        T(test_spec_section_unknown_key),
        T(test_spec_missing_markdown_file),
        T(test_spec_figure_not_yaml),
        T(test_spec_path_leaves_project),
        T(test_spec_template_name_tricks),
        T(test_spec_source_url),
        T(test_spec_every_error_reported),
        T(test_spec_not_a_mapping),
        T(test_spec_markdown_must_be_literal),
        T(test_spec_text_cut_by_comment),
        T(test_spec_annotated_values_not_warned),
        T(test_spec_block_header_comment),
        T(test_docs_examples_no_comment_warning),
        T(test_spec_yaml_errors_pass_through),
        T(test_spec_empty_file),
        T(test_figure_valid),
        T(test_figure_text_flows),
        T(test_figure_missing_file),
        T(test_figure_unknown_unit),
        T(test_figure_range_backwards),
        T(test_figure_outside_axis),
        T(test_figure_upto_shorter),
        T(test_figure_onset_range),
        T(test_figure_no_lanes),
        T(test_figure_too_many_lanes),
        T(test_figure_axis_backwards),
        T(test_figure_long_label),
        T(test_figure_long_label_counts_characters),
        T(test_figure_typical_single_time),
        T(test_figure_lane_twice),
        T(test_figure_title_alt_required),
        T(test_figure_phase_backwards_and_marker),
        T(test_figure_lane_unknown_key),
        T(test_template_valid),
        T(test_template_defaults),
        T(test_template_not_found),
        T(test_template_bad_name),
        T(test_template_body_too_small),
        T(test_template_small_too_small),
        T(test_template_heading_smaller_than_body),
        T(test_template_heading_count),
        T(test_template_margin),
        T(test_template_bad_length),
        T(test_template_line_height),
        T(test_template_paper),
        T(test_template_contrast_muted),
        T(test_template_contrast_safety_background),
        T(test_template_contrast_every_background),
        T(test_template_colour_unquoted),
        T(test_template_colour_bad),
        T(test_template_unknown_placeholder),
        T(test_template_font_family),
        T(test_template_large_print),
        T(test_template_bool),
        T(test_template_max_grade),
        T(test_template_unknown_nested_key),
        T(test_clinic_valid),
        T(test_clinic_lookalikes),
        T(test_clinic_minimal),
        T(test_clinic_not_found_from_command_line),
        T(test_clinic_id_mismatch),
        T(test_clinic_logo_missing),
        T(test_clinic_logo_kind),
        T(test_clinic_logo_outside),
        T(test_clinic_brand_contrast),
        T(test_clinic_contrast_on_template),
        T(test_clinic_contrast_primary),
        T(test_clinic_qr_needs_web),
        T(test_clinic_web_control_character),
        T(test_clinic_contact_key),
        T(test_clinic_address_lines),
        T(test_clinic_safety_list),
        T(test_clinic_paper_and_language),
        T(test_topic_valid),
        T(test_topic_errors),
        T(test_topic_not_found),
        T(test_safety_valid),
        T(test_safety_altered),
        T(test_safety_errors),
        T(test_paper_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
