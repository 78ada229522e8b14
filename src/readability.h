/* readability.h: reading-level scores of a handout's text.
 *
 * Owns: counting words, sentences and syllables in English and Spanish text
 * and in document-model blocks, and the formulas built on those counts:
 *   English: Flesch-Kincaid grade = 0.39 w/s + 11.8 syl/w - 15.59
 *            Flesch reading ease  = 206.835 - 1.015 w/s - 84.6 syl/w
 *   Spanish: Crawford grade (1989) = -0.205 (100 s/w) + 0.049 (100 syl/w) - 3.407
 *            (fitted on primary-school readers, grades 1-6: above 6 it
 *            extrapolates)
 *            Fernandez-Huerta ease, as corrected by Law (2011)
 *                                 = 206.84 - 60 syl/w - 1.02 w/s
 * (w words, s sentences, syl syllables). The scores are noisy on short
 * texts: under about 100 words a sentence more or less moves the grade a lot.
 * Pure computation: no allocation, no diagnostics, no global state. The
 * caller decides what a score means (the template's max-grade).
 *
 * Counting rules (the same for every caller, so scores are comparable):
 *
 * Words. A word is a run of letters and digits (any non-ASCII letter counts:
 * é, ñ) that may be joined, without spaces, by
 *   - an apostrophe between letters (' ’ ʼ): "don't", "ketamine’s";
 *   - a hyphen between letters or digits: "mental-health", "5-day";
 *   - an en dash or hyphen between numbers: "4–10" (read "four to ten");
 *   - a decimal point or thousands separator between digits: "7.4", "1,000"
 *     (English: a comma joins only before exactly three digits; Spanish:
 *     "7,4" is a decimal comma and "1.000" a thousands point);
 *   - a dot between letters: "e.g.", "U.S.", "Ph.D.".
 * An em dash, a slash or any other punctuation splits words. These are not
 * words: citation marks ("[1]", "[2–4]"), web and e-mail addresses (a token
 * with "://", "www." or "@", or a dotted name with a part of three or more
 * letters such as "riverside.example"). A standalone "&" is one word ("and").
 *
 * Sentences. A sentence ends at . ! ? or … (a run such as "?!" or "..." is
 * one end), optionally followed by closing quotes or brackets, unless a
 * letter or digit follows in the same token ("7.4", "a.m"). It also ends at
 * the end of every block (paragraph, list item, quote paragraph) and, in
 * plain text, at a blank line: a list item without end punctuation is one
 * sentence, as a reader scans it. A dot after an abbreviation does not end a
 * sentence: e.g. i.e. Dr. Mr. Mrs. Ms. vs. Prof. approx. fig. (and the
 * Spanish p. ej. Dra. Sr. Sra. Srta. aprox. núm. pág.); after etc., a.m.,
 * p.m., Inc., Jr., Ltd. and other dotted initialisms ("U.S.") it ends the
 * sentence only if the next word starts with a capital letter. Colons and semicolons do not
 * end sentences. Text with no end punctuation is one sentence. Only
 * sentences holding at least one word are counted.
 *
 * Syllables are counted as the word is read aloud (Flesch's rule):
 *   - numbers as spoken: "7" = 2 (seven), "2 hours" = 1, "7.4" = 4 (seven
 *     point four), "1,000" = 3 (one thousand), "4–10" = 3 (four to ten),
 *     years 1100-1999 and 2010-2099 in pairs ("2025" = twenty twenty-five
 *     = 5), "5-day" = 2; "%" adds "percent", a leading "$" adds "dollars";
 *     English ordinal endings (1st, 2nd, 1990s) add nothing; numbers with a
 *     leading zero or more than 12 digits are read digit by digit. Spanish
 *     numbers are read in Spanish ("2025" = dos mil veinticinco = 6).
 *   - initialisms letter by letter: "CRPS" = 4, "IV" = 2, "e.g." = 2, "W" = 3;
 *     a word of 2-5 capitals is an initialism unless it is a common word
 *     written in capitals for emphasis ("DO NOT", "CALL", "STOP").
 *   - English words: the reference is the CMU Pronouncing Dictionary. A
 *     small table holds common words the rules get wrong ("people" = 2,
 *     "science" = 2, "hour" = 2, "etc" = 4 ...); otherwise vowel groups
 *     (a e i o u, and y unless it starts a syllable: "yes", "beyond"),
 *     split where two vowels are usually two syllables ("trial", "area",
 *     "medium", "video", "usual", "quiet", "being", "serious"; but "-tion",
 *     "-cial", "-cious" are one), less a silent final e ("make", but not
 *     "table"), a silent -es ("makes", but not "places", "tables"), a
 *     silent -ed ("helped", but not "started", "needed"), a silent -que or
 *     -gue ("unique", "fatigue"), the silent e before -ly -ful -ment -ness
 *     -less -ty ("safely", "statement") and the a of "-ically"; plus one for
 *     "-ism", "-ire" ("fire", "require"), "-n't" after a consonant ("isn't")
 *     and a possessive 's after a hiss ("nurse's"); at least 1. Plurals and
 *     possessives of table words use the table ("hours", "people's"). A word
 *     with no vowel is spelled out ("pdf" = 3). On the handouts' English
 *     words these rules agree with the dictionary on 541 of 545.
 *   - Spanish words: vowel nuclei, where a (or an accented í ú) and another
 *     strong vowel are two syllables (hiatus: "día", "leer") and any other
 *     pair is one (diphthong: "ciudad", "bueno"); "u" is silent in
 *     que/qui/gue/gui; "y" is a vowel at the end of a word ("muy").
 * Text that is not English or Spanish is scored with the English rules.
 *
 * Blocks (hd_readability_blocks): paragraphs, list items, quotes and the
 * safety box's body are scored; headings, the safety box title, code
 * blocks, images (their alt text is not printed), figures (labels of a
 * chart, not prose) and rules are not. Within a paragraph, inline code
 * (HD_ST_MONO) and the printed addresses after links (HD_ST_URL) are
 * skipped; a link's own text is scored. A word longer than 200 characters
 * is split (no real word is that long).
 * Headings are left out on purpose: they are labels, not sentences, and
 * counting them as two-word sentences would lower the grade of any section
 * that adds headings.
 */
#ifndef HD_READABILITY_H
#define HD_READABILITY_H

#include <stddef.h>

#include "model.h"

typedef enum { HD_RD_EN, HD_RD_ES } hd_rd_lang;

typedef struct {
    hd_rd_lang lang;
    size_t words, sentences, syllables;
    double grade; /* hd_readability_finish: FK grade (en), Crawford grade (es) */
    double ease;  /* hd_readability_finish: Flesch (en), Fernandez-Huerta (es) */
} hd_readability;

/* Start counting in `lang` (a BCP 47 tag or code: "en", "en-US", "es",
 * "es-MX"; case-insensitive). Returns 1 if the language has its own rules,
 * 0 if it is NULL or unknown and English rules are used. */
int hd_readability_init(hd_readability *r, const char *lang);

/* Add the counts of plain UTF-8 text (len bytes). The text is one block: its
 * end, and any blank line in it, ends a sentence. */
void hd_readability_text(hd_readability *r, const char *utf8, size_t len);

/* Add the counts of n blocks and their children (see above for what is
 * scored). */
void hd_readability_blocks(hd_readability *r, const hd_block *blocks, size_t n);

/* Add part's counts to total (e.g. sections into the whole handout). */
void hd_readability_add(hd_readability *total, const hd_readability *part);

/* Compute grade and ease from the counts. With no words: grade 0, ease 100.
 * Scores are not clamped: very easy text can have a grade below 0. */
void hd_readability_finish(hd_readability *r);

/* Names of the scores, for messages: "Flesch-Kincaid grade" / "Crawford
 * grade"; "Flesch reading ease" / "Fernandez-Huerta reading ease". */
const char *hd_readability_grade_name(const hd_readability *r);
const char *hd_readability_ease_name(const hd_readability *r);

/* Syllables of one word (len bytes of UTF-8) by the rules above, e.g.
 * "ketamine" = 3, "7.4" = 4; 0 if it holds no letter or digit. */
size_t hd_syllables(const char *word, size_t len, hd_rd_lang lang);

#endif
