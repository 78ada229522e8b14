/* test_readability.c: unit tests for readability.c against hand-counted
 * samples: words, sentences and syllables are counted by hand in the
 * comments, and the scores computed from those counts (to 2 decimals). Also
 * the tricky cases: numbers, abbreviations, curly apostrophes, hyphens,
 * lists without end punctuation, addresses, citations, code, empty input,
 * Spanish. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "readability.h"

/* Counts of plain text, checked exactly. */
static hd_readability text_counts(const char *lang, const char *s) {
    hd_readability r;
    hd_readability_init(&r, lang);
    hd_readability_text(&r, s, strlen(s));
    hd_readability_finish(&r);
    return r;
}

static void assert_counts(const hd_readability *r, size_t words, size_t sentences, size_t syllables) {
    if (r->words != words || r->sentences != sentences || r->syllables != syllables)
        fail_msg("got %zu words, %zu sentences, %zu syllables; want %zu, %zu, %zu", r->words, r->sentences,
                 r->syllables, words, sentences, syllables);
}

/* A score agrees with the hand-computed value to 2 decimals. */
static void assert_score(double got, double want) {
    if (fabs(got - want) > 0.005) fail_msg("got %.4f, want %.4f", got, want);
}

static void assert_syl(const char *word, hd_rd_lang lang, size_t want) {
    size_t got = hd_syllables(word, strlen(word), lang);
    if (got != want) fail_msg("\"%s\": %zu syllables, want %zu", word, got, want);
}

/* ---- hand-counted samples ---- */

static void test_sample_infusion_paragraph(void **state) {
    (void)state;
    /* content/handouts/infusion-prep/01-what-to-expect.md, paragraph 1.
     * A(1) ke-ta-mine(3) in-fu-sion(3) is(1) a(1) slow(1) drip(1) of(1)
     * med-i-cine(3) in-to(2) a(1) vein(1): 12 words, 19 syllables.
     * Some(1) clin-ics(2) use(1) low(1) dos-es(2) to(1) ease(1) pain(1)
     * that(1) has(1) gone(1) on(1) for(1) a(1) long(1) time(1): 16, 18.
     * This(1) sheet(1) helps(1) you(1) plan(1) for(1) your(1) treat-ment(2)
     * and(1) know(1) what(1) to(1) ex-pect(2): 13, 15.
     * Total: 41 words, 3 sentences, 52 syllables.
     * FK = 0.39*41/3 + 11.8*52/41 - 15.59 = 4.71; ease = 85.67. */
    hd_readability r = text_counts("en", "A ketamine infusion is a slow drip of medicine into a vein. Some clinics use\n"
                                         "low doses to ease pain that has gone on for a long time. This sheet helps you\n"
                                         "plan for your treatment and know what to expect.");
    assert_counts(&r, 41, 3, 52);
    assert_score(r.grade, 4.71);
    assert_score(r.ease, 85.67);
}

static void test_sample_care_paragraph(void **state) {
    (void)state;
    /* The same file, paragraph 2.
     * A(1) cli-ni-cian(3) must(1) be(1) in(1) charge(1) of(1) your(1)
     * care(1): 9 words, 11 syllables.
     * Be-fore(2) your(1) first(1) in-fu-sion(3) your(1) care(1) team(1)
     * should(1) check(1) you(1) for(1) heart(1) prob-lems(2) and(1) for(1)
     * men-tal-health(3) risks(1): 17, 23.
     * If(1) you(1) have(1) an-y(2) wor-ries(2) talk(1) a-bout(2) them(1)
     * with(1) your(1) care(1) team(1) be-fore(2) you(1) start(1): 15, 19.
     * Total: 41 words, 3 sentences, 53 syllables. FK 4.99, ease 83.60. */
    hd_readability r = text_counts("en", "A clinician must be in charge of your care. Before your first infusion, your\n"
                                         "care team should check you for heart problems and for mental-health risks. If\n"
                                         "you have any worries, talk about them with your care team *before* you start.");
    assert_counts(&r, 41, 3, 53);
    assert_score(r.grade, 4.99);
    assert_score(r.ease, 83.60);
}

static void test_sample_relief(void **state) {
    (void)state;
    /* Pain(1) can(1) ease(1) with-in(2) min-utes(2): 5 words, 7 syllables.
     * Re-lief(2) of-ten(2) lasts(1) from(1) a(1) few(1) hours(2, as in the
     * CMU dictionary) to(1) a-bout(2) 2(1) weeks(1): 11, 15.
     * 16 words, 2 sentences, 22 syllables: FK = 3.12 + 16.225 - 15.59 = 3.755,
     * ease 82.39. */
    hd_readability r = text_counts("en", "Pain can ease within minutes. Relief often lasts from a few hours to about 2 weeks.");
    assert_counts(&r, 16, 2, 22);
    assert_score(r.grade, 3.755);
    assert_score(r.ease, 82.39);
}

static void test_sample_numbers(void **state) {
    (void)state;
    /* In(1) 2025(twen-ty twen-ty-five: 5) a(1) stud-y(2) of(1)
     * 1,000(one thou-sand: 3) pa-tients(2) found(1) pain(1) fell(1) from(1)
     * 7.4(sev-en point four: 4) to(1) 3.7(three point sev-en: 4) in(1)
     * 4–6(four to six: 3) weeks(1): 17 words (each number is one), 1
     * sentence (the dots inside numbers end nothing), 33 syllables.
     * FK = 0.39*17 + 11.8*33/17 - 15.59 = 13.95; ease 25.36. */
    hd_readability r = text_counts("en", "In 2025, a study of 1,000 patients found pain fell from 7.4 to 3.7 in "
                                         "4\xe2\x80\x93" "6 weeks.");
    assert_counts(&r, 17, 1, 33);
    assert_score(r.grade, 13.95);
    assert_score(r.ease, 25.36);
}

static void test_sample_abbreviations(void **state) {
    (void)state;
    /* Ask(1) Dr.(doc-tor: 2) Lee(1) a-bout(2) side(1) ef-fects(2) e.g.(e g: 2)
     * nau-se-a(3): 8 words, 14 syllables; "Dr." and "e.g." end nothing.
     * Bring(1) your(1) pills(1) forms(1) etc.(et cet-er-a: 4): 5, 8; "etc."
     * ends the sentence because "The" is capitalised.
     * The(1) nurse(1) will(1) check(1) them(1) i.e.(i e: 2) count(1)
     * them(1): 8, 9.
     * 21 words, 3 sentences, 31 syllables: FK 4.56, ease 74.84. */
    hd_readability r = text_counts("en", "Ask Dr. Lee about side effects, e.g. nausea. Bring your pills, forms, etc. "
                                         "The nurse will check them, i.e. count them.");
    assert_counts(&r, 21, 3, 31);
    assert_score(r.grade, 4.56);
    assert_score(r.ease, 74.84);
    /* "etc." before a lower-case word does not end the sentence. */
    r = text_counts("en", "Bring pills, forms, etc. and a list.");
    assert_int_equal(r.sentences, 1);
}

static void test_sample_apostrophes_hyphens(void **state) {
    (void)state;
    /* Ke-ta-mine’s(3) re-lief(2) does-n’t(2) al-ways(2) last(1)
     * long-term(2): 6 words (curly apostrophes and a hyphen join), 1
     * sentence, 12 syllables: FK = 0.39*6 + 11.8*2 - 15.59 = 10.35,
     * ease 31.55 (short, but long words). */
    hd_readability r = text_counts("en", "Ketamine\xe2\x80\x99s relief doesn\xe2\x80\x99t always last long-term.");
    assert_counts(&r, 6, 1, 12);
    assert_score(r.grade, 10.35);
    assert_score(r.ease, 31.55);
    /* The ASCII apostrophe is the same. */
    hd_readability a = text_counts("en", "Ketamine's relief doesn't always last long-term.");
    assert_counts(&a, 6, 1, 12);
}

/* Invisible characters pasted with text (as layout: they draw nothing):
 * a soft hyphen, joiners, a byte-order mark and direction marks are read
 * through; a zero-width space parts words. */
static void test_invisible_characters(void **state) {
    (void)state;
    /* Ke-ta-mine(3) re-lief(2) does-n't(2) al-ways(2) last(1): 5 words, 10 syllables */
    hd_readability r = text_counts("en", "Ke\xc2\xad" "ta\xc2\xad" "mine re\xe2\x80\x8e" "lief\xe2\x80\x8f doesn\xe2\x81\xa0't "
                                         "\xef\xbb\xbf" "al\xe2\x80\x8c" "ways la\xe2\x80\x8d" "st.");
    assert_counts(&r, 5, 1, 10);
    assert_syl("me\xe2\x80\x8e" "di\xe2\x80\x8f" "cine", HD_RD_EN, 3);
    /* two words: re(1) lief(1) */
    hd_readability z = text_counts("en", "re\xe2\x80\x8b" "lief.");
    assert_counts(&z, 2, 1, 2);
}

static void test_sample_spanish(void **state) {
    (void)state;
    /* El(1) do-lor(2) pue-de(2) du-rar(2) va-rias(2) se-ma-nas(3): 6 words,
     * 12 syllables. ¿Cuán-to(2) du-ra(2) el(1) a-li-vio(3)?: 4, 8.
     * 10 words, 2 sentences, 20 syllables.
     * Crawford = -0.205*20 + 0.049*200 - 3.407 = 2.29;
     * Fernández-Huerta = 206.84 - 60*2 - 1.02*5 = 81.74. */
    hd_readability r = text_counts("es", "El dolor puede durar varias semanas. \xc2\xbf" "Cu\xc3\xa1nto dura el alivio?");
    assert_int_equal(r.lang, HD_RD_ES);
    assert_counts(&r, 10, 2, 20);
    assert_score(r.grade, 2.29);
    assert_score(r.ease, 81.74);
    assert_string_equal(hd_readability_grade_name(&r), "Crawford grade");
    assert_string_equal(hd_readability_ease_name(&r), "Fernandez-Huerta reading ease");
}

static void test_symbols(void **state) {
    (void)state;
    /* A-bout(2) 50%(fif-ty per-cent: 4) pay(1) $20(twen-ty dol-lars: 4)
     * &(and: 1) more(1): 6 words, 13 syllables. */
    hd_readability r = text_counts("en", "About 50% pay $20 & more.");
    assert_counts(&r, 6, 1, 13);
    assert_score(r.grade, 12.32);
}

/* ---- sentences ---- */

static void test_sentence_ends(void **state) {
    (void)state;
    hd_readability r = text_counts("en", "Wait... what?! Yes.");
    assert_counts(&r, 3, 3, 3);
    r = text_counts("en", "Is it 7.4? No.");
    assert_int_equal(r.words, 4);
    assert_int_equal(r.sentences, 2);
    r = text_counts("en", "He said \xe2\x80\x9cStop.\xe2\x80\x9d Then he left.");
    assert_int_equal(r.words, 6);
    assert_int_equal(r.sentences, 2);
    r = text_counts("en", "Relief (for some people) lasts.");
    assert_int_equal(r.sentences, 1);
    /* No end punctuation: still one sentence. Colons do not end one. */
    r = text_counts("en", "It depends on: the dose, the form");
    assert_int_equal(r.words, 7);
    assert_int_equal(r.sentences, 1);
    /* A blank line ends a sentence in plain text; a single newline does not. */
    r = text_counts("en", "No end mark here\n\nSecond part\nstill second");
    assert_int_equal(r.words, 8);
    assert_int_equal(r.sentences, 2);
    /* Punctuation alone is no sentence. */
    r = text_counts("en", "Yes. ... !");
    assert_int_equal(r.sentences, 1);
}

static void test_addresses_and_citations(void **state) {
    (void)state;
    /* Visit | Then call or mail today: addresses are no words, but the dot
     * after riverside.example still ends the sentence. */
    hd_readability r = text_counts("en", "Visit riverside.example. Then call https://x.org/a or mail info@x.org today.");
    assert_int_equal(r.words, 6);
    assert_int_equal(r.sentences, 2);
    r = text_counts("en", "See www.example.org for more.");
    assert_int_equal(r.words, 3);
    /* Re-lief(2) lasts(1) weeks(1) [1]. Most(1) clin-ics(2) a-gree(2) [2, 3]. */
    r = text_counts("en", "Relief lasts weeks [1]. Most clinics agree [2, 3].");
    assert_counts(&r, 6, 2, 9);
    r = text_counts("en", "Many studies agree [2\xe2\x80\x93" "4].");
    assert_int_equal(r.words, 3);
}

static void test_empty(void **state) {
    (void)state;
    hd_readability r = text_counts("en", "");
    assert_counts(&r, 0, 0, 0);
    assert_true(r.grade == 0 && r.ease == 100);
    r = text_counts("en", "  \n\n\t ");
    assert_counts(&r, 0, 0, 0);
    r = text_counts("en", "!!! ... ? -- [1]");
    assert_counts(&r, 0, 0, 0);
    hd_readability_init(&r, "en");
    hd_readability_text(&r, NULL, 5);
    hd_readability_blocks(&r, NULL, 3);
    hd_readability_finish(&r);
    assert_counts(&r, 0, 0, 0);
    assert_true(r.grade == 0 && r.ease == 100);
}

static void test_robust_input(void **state) {
    (void)state;
    /* A 1000-letter "word" is split into tokens of 200 characters. */
    char big[1001];
    memset(big, 'a', 1000);
    big[1000] = 0;
    hd_readability r = text_counts("en", big);
    assert_int_equal(r.words, 5);
    assert_int_equal(r.sentences, 1);
    /* Invalid UTF-8 is punctuation, not a crash. */
    r = text_counts("en", "\xff\xfe abc \xc3");
    assert_int_equal(r.words, 1);
    /* Non-ASCII letters are letters; a no-break space separates words. */
    r = text_counts("en", "Caf\xc3\xa9\xc2\xa0" "ma\xc3\xb1" "ana.");
    assert_int_equal(r.words, 2);
}

/* ---- blocks ---- */

static hd_span text_span(const char *s, unsigned style) {
    hd_span sp = {HD_SP_TEXT, style, s, NULL, {NULL, 0, 0}};
    return sp;
}

static void test_blocks_list_without_punctuation(void **state) {
    (void)state;
    /* ## Things that help           (heading: not scored)
     * These(1) can(1) all(1) help(1):                  4 words, 4 syllables
     * - phys-i-cal(3) ther-a-py(3)                     2 words, 6
     * - talk(1) ther-a-py(3), or(1) mind-ful-ness(3)   4 words, 8
     * - good(1) sleep(1) and(1) rest(1)                4 words, 4
     * Each block ends a sentence: 14 words, 4 sentences, 22 syllables;
     * FK = 0.39*3.5 + 11.8*22/14 - 15.59 = 4.32, ease 70.34. */
    hd_span h[] = {text_span("Things that help", 0)};
    hd_span p[] = {text_span("These can ", 0), text_span("all", HD_ST_BOLD), text_span(" help:", 0)};
    hd_span i1[] = {text_span("physical therapy", 0)};
    hd_span i2[] = {text_span("talk therapy, or mindfulness", 0)};
    hd_span i3[] = {text_span("good sleep and rest", 0)};
    hd_block paras[3] = {{.kind = HD_BLK_PARA, .spans = i1, .nspans = 1},
                         {.kind = HD_BLK_PARA, .spans = i2, .nspans = 1},
                         {.kind = HD_BLK_PARA, .spans = i3, .nspans = 1}};
    hd_block items[3] = {{.kind = HD_BLK_ITEM, .children = &paras[0], .nchildren = 1},
                         {.kind = HD_BLK_ITEM, .children = &paras[1], .nchildren = 1},
                         {.kind = HD_BLK_ITEM, .children = &paras[2], .nchildren = 1}};
    hd_block doc[] = {{.kind = HD_BLK_HEADING, .level = 2, .spans = h, .nspans = 1},
                      {.kind = HD_BLK_PARA, .spans = p, .nspans = 3},
                      {.kind = HD_BLK_LIST, .children = items, .nchildren = 3, .tight = 1}};
    hd_readability r;
    assert_int_equal(hd_readability_init(&r, "en-US"), 1);
    hd_readability_blocks(&r, doc, 3);
    hd_readability_finish(&r);
    assert_counts(&r, 14, 4, 22);
    assert_score(r.grade, 4.32);
    assert_score(r.ease, 70.34);
}

static void test_blocks_skip_code_urls_headings(void **state) {
    (void)state;
    /* Learn(1) more(1) on(1) our(2) web-site(2) [printed address skipped].
     * Run(1) [inline code skipped] to(1) check(1).     8 words, 2 sentences, 10
     * Safety box (title not scored): Call(1) us(1) if(1) you(1) feel(1)
     * faint(1).                                         6 words, 1, 6
     * Quote: Re-lief(2) can(1) fade(1).                 3 words, 1, 4
     * Code block, image and figure: not scored.
     * 17 words, 4 sentences, 20 syllables: FK -0.05, ease 102.99. */
    hd_span p[] = {text_span("Learn more on ", 0),
                   {HD_SP_TEXT, HD_ST_LINK, "our website", "https://riverside.example/help", {NULL, 0, 0}},
                   {HD_SP_TEXT, HD_ST_URL, " (riverside.example/help)", "https://riverside.example/help", {NULL, 0, 0}},
                   text_span(". Run ", 0),
                   text_span("handout --help", HD_ST_MONO),
                   text_span(" to check.", 0)};
    hd_span code[] = {text_span("int main(void) { return 0; }", HD_ST_MONO)};
    hd_span heading[] = {text_span("A very long heading with many complicated polysyllabic words", 0)};
    hd_span sp[] = {text_span("Call us if you feel faint.", 0)};
    hd_span qp[] = {text_span("Relief can fade.", 0)};
    hd_block safety_child = {.kind = HD_BLK_PARA, .spans = sp, .nspans = 1};
    hd_block quote_child = {.kind = HD_BLK_PARA, .spans = qp, .nspans = 1};
    hd_block doc[] = {
        {.kind = HD_BLK_HEADING, .level = 1, .spans = heading, .nspans = 1},
        {.kind = HD_BLK_PARA, .spans = p, .nspans = 6},
        {.kind = HD_BLK_CODE, .spans = code, .nspans = 1},
        {.kind = HD_BLK_IMAGE, .alt = "A diagram of the infusion pump and its tubing"},
        {.kind = HD_BLK_FIGURE},
        {.kind = HD_BLK_RULE},
        {.kind = HD_BLK_SAFETY, .title = "Safety information", .children = &safety_child, .nchildren = 1},
        {.kind = HD_BLK_QUOTE, .children = &quote_child, .nchildren = 1},
    };
    hd_readability r;
    hd_readability_init(&r, "en");
    hd_readability_blocks(&r, doc, sizeof doc / sizeof doc[0]);
    hd_readability_finish(&r);
    assert_counts(&r, 17, 4, 20);
    assert_score(r.grade, -0.05);
    assert_score(r.ease, 102.99);
}

static void test_blocks_spans_join_and_break(void **state) {
    (void)state;
    /* Emphasis inside a word does not split it; a hard line break does. */
    hd_span p[] = {text_span("Ketamine", 0), text_span("\xe2\x80\x99s", HD_ST_ITALIC), text_span(" effect", 0),
                   {HD_SP_BREAK, 0, "", NULL, {NULL, 0, 0}}, text_span("fades", 0)};
    hd_block b = {.kind = HD_BLK_PARA, .spans = p, .nspans = 5};
    hd_readability r;
    hd_readability_init(&r, "en");
    hd_readability_blocks(&r, &b, 1);
    /* Ke-ta-mine’s(3) ef-fect(2) fades(1) */
    assert_counts(&r, 3, 1, 6);
}

static void test_add_sections(void **state) {
    (void)state;
    /* The whole handout is the sum of its sections: the two paragraphs of
     * infusion-prep/01 give 82 words, 6 sentences, 105 syllables: FK 4.85. */
    hd_readability a = text_counts("en", "A ketamine infusion is a slow drip of medicine into a vein. Some clinics use "
                                         "low doses to ease pain that has gone on for a long time. This sheet helps you "
                                         "plan for your treatment and know what to expect.");
    hd_readability b = text_counts("en", "A clinician must be in charge of your care. Before your first infusion, your "
                                         "care team should check you for heart problems and for mental-health risks. If "
                                         "you have any worries, talk about them with your care team before you start.");
    hd_readability t;
    hd_readability_init(&t, "en");
    hd_readability_add(&t, &a);
    hd_readability_add(&t, &b);
    hd_readability_finish(&t);
    assert_counts(&t, 82, 6, 105);
    assert_score(t.grade, 4.85);
    assert_score(t.ease, 84.63);
}

static void test_init_languages(void **state) {
    (void)state;
    hd_readability r;
    assert_int_equal(hd_readability_init(&r, "en"), 1);
    assert_int_equal(r.lang, HD_RD_EN);
    assert_int_equal(hd_readability_init(&r, "EN-gb"), 1);
    assert_int_equal(r.lang, HD_RD_EN);
    assert_int_equal(hd_readability_init(&r, "es-MX"), 1);
    assert_int_equal(r.lang, HD_RD_ES);
    assert_int_equal(hd_readability_init(&r, "es_ES"), 1);
    assert_int_equal(r.lang, HD_RD_ES);
    assert_int_equal(hd_readability_init(&r, "fr"), 0);
    assert_int_equal(r.lang, HD_RD_EN);
    assert_int_equal(hd_readability_init(&r, "esp"), 0);
    assert_int_equal(hd_readability_init(&r, NULL), 0);
    assert_int_equal(hd_readability_init(&r, "e"), 0);
    assert_string_equal(hd_readability_grade_name(&r), "Flesch-Kincaid grade");
    assert_string_equal(hd_readability_ease_name(&r), "Flesch reading ease");
}

/* ---- syllables ---- */

static void test_syllables_english(void **state) {
    (void)state;
    static const struct {
        const char *w;
        size_t n;
    } t[] = {
        /* from the handouts, and the usual traps (counts as in the CMU dictionary) */
        {"ketamine", 3}, {"infusion", 3}, {"medicine", 3}, {"clinician", 3}, {"receptors", 3},
        {"people", 2}, {"area", 3}, {"being", 2}, {"every", 3}, {"fibromyalgia", 5},
        {"intranasal", 4}, {"sensitization", 5}, {"pharmacology", 5}, {"the", 1}, {"a", 1},
        /* silent e, -es, -ed, -le */
        {"make", 1}, {"makes", 1}, {"places", 2}, {"changes", 2}, {"table", 2}, {"tables", 2},
        {"whole", 1}, {"helped", 1}, {"started", 2}, {"needed", 2}, {"handled", 2}, {"called", 1},
        {"lowered", 2}, {"studied", 2}, {"minutes", 2}, {"eyes", 1}, {"unique", 2}, {"techniques", 2},
        /* silent e before a suffix */
        {"safely", 2}, {"statement", 2}, {"careful", 2}, {"useful", 2}, {"safety", 2}, {"ninety", 2},
        {"awareness", 3}, {"settlement", 3},
        /* vowel pairs that are two syllables, or one */
        {"trial", 2}, {"media", 3}, {"medium", 3}, {"video", 3}, {"usual", 3}, {"quiet", 2},
        {"serious", 3}, {"client", 2}, {"easier", 3}, {"nation", 2}, {"social", 2}, {"delicious", 3},
        {"million", 2}, {"fashion", 2}, {"patient", 2}, {"quality", 3}, {"continuity", 5},
        {"going", 2}, {"seeing", 2}, {"trying", 2}, {"saying", 2}, {"create", 2}, {"creature", 2},
        /* y */
        {"yes", 1}, {"beyond", 2}, {"loyal", 2}, {"myalgia", 3}, {"canyon", 2}, {"therapy", 3},
        /* other rules */
        {"autism", 3}, {"typically", 3}, {"fire", 2}, {"requires", 3}, {"entirely", 4}, {"fatigue", 2},
        {"argue", 2}, {"reaction", 3}, {"dissociation", 5}, {"diabetes", 4},
        /* plurals and possessives of table words, contractions, curly apostrophes */
        {"hours", 2}, {"medicines", 3}, {"people's", 2}, {"nurse's", 2}, {"patients'", 2},
        {"isn't", 2}, {"don't", 1}, {"doesn\xe2\x80\x99t", 2}, {"Ketamine\xe2\x80\x99s", 3},
        /* accents and case */
        {"na\xc3\xafve", 2}, {"caf\xc3\xa9", 2}, {"Ketamine", 3}, {"KETAMINE", 3},
        /* initialisms and capitals */
        {"CRPS", 4}, {"IV", 2}, {"NMDA", 4}, {"W", 1}, {"e.g.", 2}, {"U.S.", 2}, {"Ph.D.", 3},
        {"DO", 1}, {"NOT", 1}, {"CALL", 1}, {"pdf", 3},
        /* hyphenated */
        {"mental-health", 3}, {"long-term", 2}, {"check-up", 2}, {"best-studied", 3},
        /* nothing to count */
        {"", 0}, {"...", 0}, {"\xe2\x80\x94", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) assert_syl(t[i].w, HD_RD_EN, t[i].n);
}

/* Every entry of readability.c's word tables is found: they are searched by
 * halves, so an entry out of (bytewise) order would be missed. */
static void test_word_tables_found(void **state) {
    (void)state;
    /* the English exceptions, with their CMU counts */
    static const struct {
        const char *w;
        size_t n;
    } en[] = {
        {"alien", 3},     {"anyone", 3},     {"business", 2},   {"chocolate", 2},  {"cleveland", 2}, {"cooperate", 4},
        {"coordinate", 4}, {"cruel", 2},     {"cureus", 3},     {"diabetes", 4},   {"element", 3},   {"etc", 4},
        {"evening", 2},   {"everyone", 3},   {"everything", 3}, {"everywhere", 3}, {"fluid", 2},     {"hour", 2},
        {"hundred", 2},   {"interest", 2},   {"leopard", 2},    {"lifetime", 2},   {"likewise", 2},  {"mrs", 2},
        {"ms", 1},        {"naive", 2},      {"nineteen", 2},   {"our", 2},        {"people", 2},    {"poem", 2},
        {"poet", 2},      {"recipe", 3},     {"reenter", 3},    {"reuse", 2},      {"science", 2},   {"scientist", 3},
        {"several", 2},   {"somehow", 2},    {"someone", 2},    {"something", 2},  {"sometimes", 2}, {"somewhat", 2},
        {"somewhere", 2}, {"therefore", 2},  {"timeline", 2},   {"vegetable", 3},  {"wednesday", 2},
    };
    for (size_t i = 0; i < sizeof en / sizeof en[0]; i++) assert_syl(en[i].w, HD_RD_EN, en[i].n);
    /* words in capitals read as words, not letter by letter: DO = do */
    static const char *const caps[] = {
        "all",  "and",  "any",   "are", "ask",  "be",    "but",  "call", "can",  "con",  "de",    "do",
        "don't", "eat", "el",    "en",  "es",   "for",   "get",  "go",   "help", "if",   "in",    "is",
        "it",   "la",   "las",   "los", "may",  "me",    "must", "my",   "never", "no",  "not",   "now",
        "nunca", "of",  "on",    "only", "or",  "para",  "por",  "sin",  "stop", "take", "the",   "this",
        "to",   "up",   "use",   "we",  "what", "when",  "will", "with", "yes",  "you",  "your",
    };
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        char up[16];
        size_t n = strlen(caps[i]);
        for (size_t k = 0; k <= n; k++) up[k] = caps[i][k] >= 'a' && caps[i][k] <= 'z' ? caps[i][k] - 32 : caps[i][k];
        assert_syl(up, HD_RD_EN, hd_syllables(caps[i], n, HD_RD_EN));
    }
    /* abbreviations: the dot ends no sentence before a lowercase word; the
     * "never" ones not even before a capital */
    static const struct {
        const char *w;
        int never;
    } ab[] = {
        {"a.m", 0}, {"approx", 1}, {"aprox", 1}, {"dr", 1},  {"dra", 1},  {"e.g", 1},  {"ej", 1},
        {"etc", 0}, {"fig", 1},    {"i.e", 1},   {"inc", 0}, {"jr", 0},   {"ltd", 0},  {"mr", 1},
        {"mrs", 1}, {"ms", 1},     {"n\xc3\xbam", 1}, {"p", 1}, {"p.ej", 1}, {"p.m", 0}, {"prof", 1},
        {"p\xc3\xa1g", 1}, {"sr", 1}, {"sra", 1}, {"srta", 1}, {"vs", 1},
    };
    for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++) {
        char s[64];
        snprintf(s, sizeof s, "Ask %s. lee now.", ab[i].w);
        hd_readability r = text_counts("en", s);
        if (r.sentences != 1) fail_msg("\"%s\": %zu sentences, want 1", s, r.sentences);
        snprintf(s, sizeof s, "Ask %s. Lee now.", ab[i].w);
        r = text_counts("en", s);
        if (r.sentences != (ab[i].never ? 1u : 2u)) fail_msg("\"%s\": %zu sentences", s, r.sentences);
    }
}

static void test_syllables_numbers_english(void **state) {
    (void)state;
    static const struct {
        const char *w;
        size_t n;
    } t[] = {
        {"0", 2},       {"7", 2},         {"11", 3},        {"21", 3},       {"100", 3},      /* one hundred */
        {"101", 4},     {"1,000", 3},     {"1,000,000", 3}, {"2,500", 6},    /* two thousand five hundred */
        {"1000", 3},    {"1918", 4},      {"1900", 4},      {"1905", 4},     /* nineteen oh five */
        {"2005", 4},    {"2025", 5},      {"2100", 6},  /* two thousand one hundred */      {"7.4", 4},      {"0.5", 4},
        {"12,345.67", 13}, {"007", 6},    {"4\xe2\x80\x93" "10", 3}, {"4-6", 3}, {"5-day", 2},
        {"1st", 1},     {"21st", 3},      {"1990s", 4},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) assert_syl(t[i].w, HD_RD_EN, t[i].n);
    /* Digits read as the words the rules count: 0..99 */
    static const char *const ones[] = {"zero",    "one",     "two",      "three",    "four",
                                       "five",    "six",     "seven",    "eight",    "nine",
                                       "ten",     "eleven",  "twelve",   "thirteen", "fourteen",
                                       "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    static const char *const tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    for (int v = 0; v < 100; v++) {
        char num[12], words[40];
        snprintf(num, sizeof num, "%d", v);
        if (v < 20) snprintf(words, sizeof words, "%s", ones[v]);
        else if (v % 10 == 0) snprintf(words, sizeof words, "%s", tens[v / 10]);
        else snprintf(words, sizeof words, "%s-%s", tens[v / 10], ones[v % 10]);
        size_t a = hd_syllables(num, strlen(num), HD_RD_EN), b = hd_syllables(words, strlen(words), HD_RD_EN);
        if (a != b) fail_msg("%s = %zu syllables but \"%s\" = %zu", num, a, words, b);
    }
}

static void test_syllables_spanish(void **state) {
    (void)state;
    static const struct {
        const char *w;
        size_t n;
    } t[] = {
        {"d\xc3\xad" "a", 2},           /* dí-a: hiatus */
        {"ciudad", 2},                  /* ciu-dad: diphthong */
        {"bueno", 2},        {"leer", 2}, {"que", 1}, {"guerra", 2},
        {"gu\xc3\xad" "a", 2},          /* guí-a */
        {"ping\xc3\xbc" "ino", 3},      /* pin-güi-no */
        {"muy", 1},          {"ayer", 2}, {"y", 1},
        {"pa\xc3\xads", 2},             /* pa-ís */
        {"ketamina", 4},     {"infusi\xc3\xb3n", 3}, {"alivio", 3}, {"dolor", 2},
        {"fibromialgia", 4}, {"sensibilizaci\xc3\xb3n", 6}, {"todav\xc3\xad" "a", 4}, {"terapeuta", 4},
        {"SDRC", 6},         /* e-se de e-rre ce */
        {"IV", 3},           /* i u-ve */
        {"NO", 1},
        /* numbers read in Spanish */
        {"2025", 6},         /* dos mil vein-ti-cin-co */
        {"7,4", 6},          /* sie-te co-ma cua-tro */
        {"1.000", 1},        /* mil */
        {"1000", 1},         {"100", 1}, /* cien */
        {"101", 4},          /* cien-to u-no */
        {"1000000", 3},      /* un mi-llón */
        {"2000000", 4},      /* dos mi-llo-nes */
        {"4\xe2\x80\x93" "10", 4}, /* cua-tro a diez */
        {"31", 5},           /* trein-ta y u-no */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) assert_syl(t[i].w, HD_RD_ES, t[i].n);
    /* The number tables agree with the Spanish rules on the words. */
    static const char *const w[] = {
        "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
        "diez", "once", "doce", "trece", "catorce", "quince", "diecis\xc3\xa9is", "diecisiete", "dieciocho",
        "diecinueve", "veinte", "veintiuno", "veintid\xc3\xb3s", "veintitr\xc3\xa9s", "veinticuatro", "veinticinco",
        "veintis\xc3\xa9is", "veintisiete", "veintiocho", "veintinueve"};
    for (int v = 0; v < 30; v++) {
        char num[12];
        snprintf(num, sizeof num, "%d", v);
        size_t a = hd_syllables(num, strlen(num), HD_RD_ES), b = hd_syllables(w[v], strlen(w[v]), HD_RD_ES);
        if (a != b) fail_msg("%s = %zu syllables but \"%s\" = %zu", num, a, w[v], b);
    }
    static const struct {
        const char *num, *words;
    } big[] = {{"30", "treinta"},          {"40", "cuarenta"},   {"50", "cincuenta"},   {"60", "sesenta"},
               {"70", "setenta"},          {"80", "ochenta"},    {"90", "noventa"},     {"200", "doscientos"},
               {"300", "trescientos"},     {"400", "cuatrocientos"}, {"500", "quinientos"}, {"600", "seiscientos"},
               {"700", "setecientos"},     {"800", "ochocientos"}, {"900", "novecientos"}, {"110", "ciento diez"}};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        size_t a = hd_syllables(big[i].num, strlen(big[i].num), HD_RD_ES);
        hd_readability r = text_counts("es", big[i].words);
        if (a != r.syllables) fail_msg("%s = %zu syllables but \"%s\" = %zu", big[i].num, a, big[i].words, r.syllables);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_infusion_paragraph),
        cmocka_unit_test(test_sample_care_paragraph),
        cmocka_unit_test(test_sample_relief),
        cmocka_unit_test(test_sample_numbers),
        cmocka_unit_test(test_sample_abbreviations),
        cmocka_unit_test(test_sample_apostrophes_hyphens),
        cmocka_unit_test(test_sample_spanish),
        cmocka_unit_test(test_invisible_characters),
        cmocka_unit_test(test_symbols),
        cmocka_unit_test(test_sentence_ends),
        cmocka_unit_test(test_addresses_and_citations),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_robust_input),
        cmocka_unit_test(test_blocks_list_without_punctuation),
        cmocka_unit_test(test_blocks_skip_code_urls_headings),
        cmocka_unit_test(test_blocks_spans_join_and_break),
        cmocka_unit_test(test_add_sections),
        cmocka_unit_test(test_init_languages),
        cmocka_unit_test(test_syllables_english),
        cmocka_unit_test(test_word_tables_found),
        cmocka_unit_test(test_syllables_numbers_english),
        cmocka_unit_test(test_syllables_spanish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
