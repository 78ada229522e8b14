/* readability.c: reading-level scores (Flesch-Kincaid, Flesch reading ease,
 * Crawford, Fernandez-Huerta) of plain text and document-model blocks.
 *
 * Owns: splitting text into tokens, words and sentences, counting syllables
 * of English and Spanish words and numbers, and the formulas. The counting
 * rules are documented in readability.h. Text is scanned in whitespace-
 * separated tokens held in a fixed buffer on the stack: no allocation.
 */
#include "readability.h"

#include <stdint.h>
#include <string.h>

#include "fsutil.h"

#define TOK_MAX 200  /* code points in one token; longer ones are split */
#define WORD_MAX 256 /* bytes of a lowercased word */

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

enum { K_OTHER, K_LETTER, K_DIGIT, K_MARK, K_APOS, K_HYPHEN, K_DASH, K_DOT, K_COMMA, K_TERM };

typedef struct {
    uint32_t cp;
    unsigned char k;
} rd_ch;

/* Decode one UTF-8 sequence at s (n > 0 bytes left); invalid bytes decode
 * as U+FFFD, one byte each. Returns the bytes used. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

static int is_space(uint32_t c) {
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
    return c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

/* Invisible characters that never split a word: soft hyphen, joiners,
 * direction marks (hd_invisible; a zero-width space is a space here). */
static int is_invisible(uint32_t c) {
    hd_invisible_kind k = hd_invisible(c);
    return k == HD_INVIS_SHY || k == HD_INVIS_NONE;
}

static unsigned char classify(uint32_t c) {
    if (c < 0x80) {
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return K_LETTER;
        if (c >= '0' && c <= '9') return K_DIGIT;
        switch (c) {
        case '\'': return K_APOS;
        case '-': return K_HYPHEN;
        case '.': return K_DOT;
        case ',': return K_COMMA;
        case '!':
        case '?': return K_TERM;
        default: return K_OTHER;
        }
    }
    if (c == 0x2019 || c == 0x02BC) return K_APOS;
    if (c == 0x2010 || c == 0x2011) return K_HYPHEN;
    if (c == 0x2012 || c == 0x2013) return K_DASH;
    if (c == 0x2026) return K_TERM;
    if (c >= 0x0300 && c <= 0x036F) return K_MARK;
    if (c < 0xC0 && c != 0xB5) return K_OTHER; /* Latin-1 punctuation, ª º ¹; µ is a letter */
    if (c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF20) ||
        c == 0xFFFD || c >= 0x1F000)
        return K_OTHER;
    return K_LETTER;
}

static int is_wordch(const rd_ch *c) {
    return c->k == K_LETTER || c->k == K_DIGIT || c->k == K_MARK;
}

static int is_upper(uint32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
}

static uint32_t to_lower(uint32_t c) {
    return is_upper(c) ? c + 0x20 : c;
}

/* Are t[i+1..i+3] digits, and t[i+4] (before end) not one? "1,000" */
static int three_digits_follow(const rd_ch *t, size_t i, size_t end) {
    return i + 3 < end && t[i + 1].k == K_DIGIT && t[i + 2].k == K_DIGIT && t[i + 3].k == K_DIGIT &&
           (i + 4 == end || t[i + 4].k != K_DIGIT);
}

static size_t utf8_put(char *out, uint32_t c) {
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* t[a..b) lowercased as UTF-8 into out (cap bytes, NUL-terminated). */
static void lower_utf8(const rd_ch *t, size_t a, size_t b, char *out, size_t cap) {
    size_t o = 0;
    for (size_t i = a; i < b && o + 5 < cap; i++) {
        uint32_t c = t[i].k == K_APOS ? '\'' : to_lower(t[i].cp);
        o += utf8_put(out + o, c);
    }
    out[o] = 0;
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *w;
    unsigned char n;
} word_count;

/* English words the rules below count wrongly, with their syllables in the
 * CMU Pronouncing Dictionary (the reference the rules were checked against).
 * Plurals and possessives of these words are derived: "hours", "people's".
 * Sorted (bytewise, as strcmp): looked up by binary search. */
static const word_count en_words[] = {
    {"alien", 3},      {"anyone", 3},     {"business", 2},   {"chocolate", 2},  {"cleveland", 2},
    {"cooperate", 4},  {"coordinate", 4}, {"cruel", 2},      {"cureus", 3},     {"diabetes", 4},
    {"element", 3},    {"etc", 4}, /* read aloud: et cetera (and mrs, ms: missus, miz) */
    {"evening", 2},    {"everyone", 3},   {"everything", 3}, {"everywhere", 3}, {"fluid", 2},
    {"hour", 2},       {"hundred", 2},    {"interest", 2},   {"leopard", 2},    {"lifetime", 2},
    {"likewise", 2},   {"mrs", 2},        {"ms", 1},         {"naive", 2},      {"nineteen", 2},
    {"our", 2},        {"people", 2},     {"poem", 2},       {"poet", 2},       {"recipe", 3},
    {"reenter", 3},    {"reuse", 2},      {"science", 2},    {"scientist", 3},  {"several", 2},
    {"somehow", 2},    {"someone", 2},    {"something", 2},  {"sometimes", 2},  {"somewhat", 2},
    {"somewhere", 2},  {"therefore", 2},  {"timeline", 2},   {"vegetable", 3},  {"wednesday", 2},
};

/* Common words that are read as words, not spelled out, when a handout
 * writes them in capitals for emphasis ("DO NOT"). Sorted, as en_words. */
static const char *const caps_words[] = {
    "all",  "and",  "any",  "are",  "ask",  "be",   "but",  "call", "can",  "con",  "de",   "do",
    "don't", "eat",  "el",   "en",   "es",   "for",  "get",  "go",   "help", "if",   "in",   "is",
    "it",   "la",   "las",  "los",  "may",  "me",   "must", "my",   "never", "no",  "not",  "now",
    "nunca", "of",  "on",   "only", "or",   "para", "por",  "sin",  "stop", "take", "the",  "this",
    "to",   "up",   "use",  "we",   "what", "when", "will", "with", "yes",  "you",  "your",
};

/* Abbreviations (lowercase, without the final dot). never: the dot does not
 * end a sentence; otherwise it does only before a capital letter. Sorted
 * bytewise, as en_words ("núm" and "pág" are UTF-8). */
typedef struct {
    const char *w;
    int never;
} abbrev;

static const abbrev abbrevs[] = {
    {"a.m", 0},   {"approx", 1}, {"aprox", 1}, {"dr", 1},  {"dra", 1},  {"e.g", 1},  {"ej", 1},
    {"etc", 0},   {"fig", 1},    {"i.e", 1},   {"inc", 0}, {"jr", 0},   {"ltd", 0},  {"mr", 1},
    {"mrs", 1},   {"ms", 1},     {"núm", 1}, {"p", 1},  {"p.ej", 1}, {"p.m", 0},  {"prof", 1},
    {"pág", 1}, {"sr", 1}, {"sra", 1}, {"srta", 1}, {"vs", 1},
};

/* Index of w[0..len) in a table of n entries of `size` bytes, each starting
 * with its word (const char *), sorted bytewise; -1 if absent. */
static long sorted_find(const void *tab, size_t n, size_t size, const char *w, size_t len) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const unsigned char *e = *(const unsigned char *const *)(const void *)((const char *)tab + mid * size);
        const unsigned char *k = (const unsigned char *)w;
        size_t i = 0;
        while (i < len && e[i] && e[i] == k[i]) i++;
        /* order as strcmp would: the shorter string first when one is a prefix */
        int c = i == len ? (e[i] ? -1 : 0) : !e[i] ? 1 : k[i] < e[i] ? -1 : 1;
        if (c == 0) return (long)mid;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return -1;
}

/* Numbers. */
static const unsigned char en_0_19[20] = {2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2};
static const unsigned char en_tens[10] = {0, 0, 2, 2, 2, 2, 2, 3, 2, 2};
/* cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece
 * catorce quince dieciséis diecisiete dieciocho diecinueve veinte veintiuno
 * veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete
 * veintiocho veintinueve */
static const unsigned char es_0_29[30] = {2, 2, 1, 1, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2, 3,
                                          2, 3, 4, 3, 4, 2, 3, 3, 3, 4, 4, 3, 4, 3, 4};
/* - - - treinta cuarenta cincuenta sesenta setenta ochenta noventa */
static const unsigned char es_tens[10] = {0, 0, 0, 2, 3, 3, 3, 3, 3, 3};
/* - ciento doscientos trescientos cuatrocientos quinientos seiscientos
 * setecientos ochocientos novecientos */
static const unsigned char es_hundreds[10] = {0, 2, 3, 3, 4, 3, 3, 4, 4, 4};

/* Names of letters: English "W" = double-u; Spanish efe, hache, jota, ele,
 * eme, ene, erre, ese, uve, equis, zeta = 2, uve doble = 4. */
static size_t letter_name(uint32_t c, hd_rd_lang lang) {
    c = to_lower(c);
    if (lang == HD_RD_EN) return c == 'w' ? 3 : 1;
    if (c == 'w') return 4;
    return (c < 0x80 && strchr("fhjlmnrsvxz", (int)c)) ? 2 : 1;
}

/* ------------------------------------------------------------------ */
/* Numbers read aloud                                                  */
/* ------------------------------------------------------------------ */

static size_t en_0_999(unsigned v) {
    size_t s = 0;
    if (v >= 100) s += en_0_19[v / 100] + 2; /* "hundred" */
    v %= 100;
    if (v >= 20) s += en_tens[v / 10] + (v % 10 ? en_0_19[v % 10] : 0);
    else if (v > 0) s += en_0_19[v];
    return s;
}

static size_t en_cardinal(uint64_t v) {
    if (v == 0) return 2;
    size_t s = 0;
    static const uint64_t scale[] = {1000000000, 1000000, 1000}; /* billion million thousand: 2 each */
    for (int i = 0; i < 3; i++)
        if (v >= scale[i]) {
            s += en_cardinal(v / scale[i]) + 2;
            v %= scale[i];
        }
    return s + en_0_999((unsigned)v);
}

static size_t es_0_999(unsigned v) {
    size_t s = 0;
    if (v == 100) return 1; /* cien */
    if (v >= 100) s += es_hundreds[v / 100];
    v %= 100;
    if (v >= 30) s += es_tens[v / 10] + (v % 10 ? 1 + es_0_29[v % 10] : 0); /* "treinta y uno" */
    else if (v > 0) s += es_0_29[v];
    return s;
}

static size_t es_cardinal(uint64_t v) {
    if (v == 0) return 2;
    size_t s = 0;
    if (v >= 1000000) {
        uint64_t m = v / 1000000;
        s += m == 1 ? 1 + 2 : es_cardinal(m) + 3; /* "un millón", "dos millones" */
        v %= 1000000;
    }
    if (v >= 1000) {
        uint64_t t = v / 1000;
        s += (t == 1 ? 0 : es_0_999((unsigned)t)) + 1; /* "mil", "dos mil" */
        v %= 1000;
    }
    return s + es_0_999((unsigned)v);
}

static size_t digit_by_digit(const char *d, size_t n, hd_rd_lang lang) {
    static const unsigned char en[10] = {2, 1, 1, 1, 1, 1, 1, 2, 1, 1};
    static const unsigned char es[10] = {2, 2, 1, 1, 2, 2, 1, 2, 2, 2};
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(d[i] - '0');
        s += v < 10 ? (lang == HD_RD_EN ? en : es)[v] : 0;
    }
    return s;
}

/* An integer of n digits (no separators) read as a cardinal. */
static size_t read_integer(const char *d, size_t n, int is_year_form, hd_rd_lang lang) {
    if (n == 0) return 0;
    if ((n > 1 && d[0] == '0') || n > 12) return digit_by_digit(d, n, lang);
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (uint64_t)(d[i] - '0');
    if (lang == HD_RD_ES) return es_cardinal(v);
    if (is_year_form && n == 4 && ((v >= 1100 && v <= 1999) || (v >= 2010 && v <= 2099))) {
        unsigned hi = (unsigned)(v / 100), lo = (unsigned)(v % 100);
        /* "nineteen hundred", "nineteen oh five", "twenty twenty-five" */
        return en_0_999(hi) + (lo == 0 ? 2 : lo < 10 ? 1 + en_0_999(lo) : en_0_999(lo));
    }
    return en_cardinal(v);
}

/* A number t[a..b): digits with the separators the scanner joined. */
static size_t number_syllables(const rd_ch *t, size_t a, size_t b, hd_rd_lang lang) {
    char ip[TOK_MAX + 1] = "", fp[TOK_MAX + 1] = "";
    size_t ni = 0, nf = 0, s = 0;
    int in_frac = 0, grouped = 0;
    for (size_t i = a; i < b; i++) {
        uint32_t c = t[i].cp;
        if (c >= '0' && c <= '9') {
            if (in_frac) fp[nf++] = (char)c;
            else ip[ni++] = (char)c;
            continue;
        }
        /* A separator: thousands or decimal (see readability.h). */
        int decimal = lang == HD_RD_EN ? c == '.' : (c == ',' || !three_digits_follow(t, i, b));
        if (!decimal) {
            grouped = 1;
            continue;
        }
        if (in_frac) { /* "1.2.3": read each further part digit by digit */
            s += lang == HD_RD_EN ? 1 : 2;
            s += digit_by_digit(fp, nf, lang);
            nf = 0;
        }
        in_frac = 1;
    }
    s += read_integer(ip, ni, !grouped, lang);
    if (in_frac) {
        if (lang == HD_RD_EN) s += 1 + digit_by_digit(fp, nf, lang); /* "point" four */
        else s += 2 + read_integer(fp, nf, 0, lang);                 /* "coma" cuatro */
    }
    return s;
}

/* ------------------------------------------------------------------ */
/* English words                                                       */
/* ------------------------------------------------------------------ */

enum { F_ACUTE = 1, F_DIAER = 2 };

static int table_count(const word_count *tab, size_t n, const char *w, size_t len) {
    long i = sorted_find(tab, n, sizeof *tab, w, len);
    return i < 0 ? 0 : tab[i].n;
}

static int vowel_letter(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Where the suffix -ing(s) starts, or n if there is none. */
static size_t ing_at(const char *w, size_t n) {
    if (n > 3 && memcmp(w + n - 3, "ing", 3) == 0) return n - 3;
    if (n > 4 && memcmp(w + n - 4, "ings", 4) == 0) return n - 4;
    return n;
}

/* Is w[i] a vowel? y is a consonant where it starts a syllable: before a
 * vowel at the start of a word or after a vowel ("yes", "beyond"), but not
 * before the suffix -ing ("saying"). */
static int en_isv(const char *w, size_t n, size_t i) {
    if (vowel_letter(w[i])) return 1;
    if (w[i] != 'y') return 0;
    if (i + 1 < n && vowel_letter(w[i + 1]) && (i == 0 || vowel_letter(w[i - 1])))
        return i + 1 == ing_at(w, n);
    return 1;
}

static int ends_with(const char *w, size_t n, const char *suf) {
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

static int in_set(char c, const char *set) {
    return c != 0 && strchr(set, c) != NULL;
}

/* Do w[i-1] and w[i], two adjacent vowels, belong to two syllables? */
static int en_split(const char *w, const unsigned char *fl, size_t n, size_t i) {
    char p = w[i - 1], c = w[i];
    char pp = i >= 2 ? w[i - 2] : 0, nx = i + 1 < n ? w[i + 1] : 0;
    if (fl[i] & F_DIAER) return 1; /* naïve */
    if (c == 'i' && i == ing_at(w, n)) return 1; /* being, going, seeing, saying, trying */
    if (p == 'y') return !in_set(pp, "nw");      /* myalgia, dryer, embryo; canyon, lawyer */
    if (p == 'i' && c == 'a') /* trial, media, associate, dissociation; social, Asia */
        return !in_set(pp, "ctsg") || (nx == 't' && i + 2 < n && in_set(w[i + 2], "ei"));
    if (p == 'i' && c == 'o') {
        if (nx == 'n') /* nation, fashion, million: one; lion, champion: two */
            return !(in_set(pp, "tscxgnh") || (pp == 'l' && i >= 3 && w[i - 3] == 'l'));
        if (nx == 'u') return !in_set(pp, "ctxg"); /* serious; delicious, anxious */
        return 1;                                  /* radio, biology */
    }
    if (p == 'i' && c == 'u') return 1; /* medium */
    if (p == 'u' && c == 'i') return ends_with(w, n, "ity") && i + 3 == n; /* continuity; not suit */
    if (p == 'i' && c == 'i') return 1;
    if (p == 'i' && c == 'e') {
        if (in_set(pp, "ct") || i < 2) return 0; /* patient, sufficient, science (table) */
        if (nx == 't') return 1;                 /* quiet, diet, variety */
        if (nx == 'n' && i + 2 < n && in_set(w[i + 2], "tc")) return 1; /* client, experience */
        if (ends_with(w, n, "ier") || ends_with(w, n, "iers") || ends_with(w, n, "iest")) {
            /* easier, earliest; but not pier: needs an earlier vowel */
            for (size_t k = 0; k + 1 < i; k++)
                if (en_isv(w, n, k)) return 1;
        }
        return 0;
    }
    if (p == 'e' && c == 'o') {
        if (nx == 'u') return !in_set(pp, "cg"); /* hideous; gorgeous */
        if (nx == 'n' && pp == 'g') return 0;    /* surgeon */
        return 1;                                /* video */
    }
    if (p == 'u' && (c == 'a' || c == 'o')) return !in_set(pp, "qg"); /* usual, duo; quality, guard */
    if (p == 'e' && c == 'a' && n >= 5 && ((i == 3 && !memcmp(w, "creat", 5) && (n == 5 || w[5] != 'u')) ||
                                           (i == 2 && !memcmp(w, "react", 5))))
        return 1; /* create, reaction; not creature */
    if (p == 'e' && c == 'a' && i + 1 == n) {                          /* area; not tea */
        for (size_t k = 0; k + 1 < i; k++)
            if (en_isv(w, n, k)) return 1;
    }
    return 0;
}

static int en_consonant_at(const char *w, size_t n, size_t i) {
    return !en_isv(w, n, i) && w[i] != '\'';
}

/* Vowel groups, split where two vowels are two syllables. */
static size_t en_vowel_groups(const char *w, const unsigned char *fl, size_t n) {
    size_t groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (!en_isv(w, n, i)) continue;
        if (i == 0 || !en_isv(w, n, i - 1) || en_split(w, fl, n, i)) groups++;
    }
    return groups;
}

/* Is w[i] an l after another consonant (but not ll, rl)? "table", "handled" */
static int consonant_l(const char *w, size_t n, size_t i) {
    return w[i] == 'l' && i > 0 && en_consonant_at(w, n, i - 1) && !in_set(w[i - 1], "lr");
}

/* 1 if the word ends in a silent e, -es, -ed or -que: "make", "makes",
 * "helped", "unique"; not "table", "places", "tables", "started", "handled". */
static int en_silent_ending(const char *w, const unsigned char *fl, size_t n) {
    if (n > 4 && (ends_with(w, n, "que") || ends_with(w, n, "ques"))) return 1; /* unique, techniques */
    size_t g = ends_with(w, n, "gue") ? n - 3 : ends_with(w, n, "gues") ? n - 4 : 0;
    if (g > 0 && vowel_letter(w[g - 1])) return 1; /* fatigue, league; not argue */
    if (n >= 2 && w[n - 1] == 'e' && !(fl[n - 1] & F_ACUTE))
        return en_consonant_at(w, n, n - 2) && !consonant_l(w, n, n - 2);
    if (n >= 3 && w[n - 2] == 'e' && (w[n - 1] == 's' || w[n - 1] == 'd') && en_consonant_at(w, n, n - 3) &&
        !consonant_l(w, n, n - 3)) {
        char c = w[n - 3];
        int hiss = in_set(c, "sxzcg") || (n >= 4 && c == 'h' && in_set(w[n - 4], "cs"));
        return w[n - 1] == 's' ? !hiss : !in_set(c, "td");
    }
    return 0;
}

/* 1 if a silent e comes before a suffix: "safely", "statement", "careful",
 * "safety"; not after consonant + l ("settlement") or h ("nevertheless"). */
static int en_silent_e_before_suffix(const char *w, size_t n) {
    static const char *const sufs[] = {"ly", "ful", "ment", "ments", "ness", "less", "ty"};
    for (size_t k = 0; k < sizeof sufs / sizeof sufs[0]; k++) {
        size_t sl = strlen(sufs[k]);
        if (n >= sl + 3 && ends_with(w, n, sufs[k])) {
            size_t e = n - sl - 1;
            return w[e] == 'e' && en_consonant_at(w, n, e - 1) && w[e - 1] != 'h' && !consonant_l(w, n, e - 1);
        }
    }
    return 0;
}

/* 1 for "-ire" after a consonant or "qu", which the CMU dictionary counts
 * as two: "fire", "requires", "tired", "entirely". */
static int en_ire(const char *w, size_t n) {
    static const char *const ire[] = {"ire", "ires", "ired", "irely", "irement", "irements"};
    for (size_t k = 0; k < sizeof ire / sizeof ire[0]; k++) {
        size_t il = strlen(ire[k]);
        if (n <= il || !ends_with(w, n, ire[k])) continue;
        size_t b = n - il - 1; /* the letter before "ire" */
        return !en_isv(w, n, b) || (w[b] == 'u' && b > 0 && w[b - 1] == 'q');
    }
    return 0;
}

/* The vowel-group heuristic on a lowercase word without apostrophes. */
static size_t en_core(const char *w, const unsigned char *fl, size_t n) {
    size_t s = en_vowel_groups(w, fl, n);
    if (s == 0) { /* pdf, html: letter by letter */
        for (size_t i = 0; i < n; i++) s += w[i] == 'w' ? 3 : 1;
        return n > 1 ? s : 1;
    }
    if (s > 1 && en_silent_ending(w, fl, n)) s--;
    if (s > 1 && en_silent_e_before_suffix(w, n)) s--;
    if (s > 1 && ends_with(w, n, "ically")) s--;                       /* typically */
    if (ends_with(w, n, "sm") || ends_with(w, n, "sms")) s++;          /* autism, spasm */
    s += (size_t)en_ire(w, n);
    return s;
}

/* Consonant sounds after which an added s is its own syllable. */
static int ends_in_hiss(const char *w, size_t n) {
    if (n == 0) return 0;
    char c = w[n - 1];
    if (in_set(c, "sxz")) return 1;
    if (n >= 2 && c == 'h' && in_set(w[n - 2], "cs")) return 1;
    return n >= 2 && c == 'e' && in_set(w[n - 2], "scgz");
}

static size_t en_word(const char *w, const unsigned char *fl, size_t n);

/* Table words and their plurals. Returns 0 if not in the table. */
static size_t en_table(const char *w, size_t n) {
    int t = table_count(en_words, sizeof en_words / sizeof en_words[0], w, n);
    if (t) return (size_t)t;
    if (n > 2 && w[n - 1] == 's' && w[n - 2] != 's') {
        t = table_count(en_words, sizeof en_words / sizeof en_words[0], w, n - 1);
        if (t) return (size_t)t + (size_t)ends_in_hiss(w, n - 1); /* medicines, nurses */
        if (n > 3 && w[n - 2] == 'e') {
            t = table_count(en_words, sizeof en_words / sizeof en_words[0], w, n - 2);
            if (t && ends_in_hiss(w, n - 2)) return (size_t)t + 1;
        }
    }
    return 0;
}

static size_t en_word(const char *w, const unsigned char *fl, size_t n) {
    size_t t = en_table(w, n);
    if (t) return t;
    /* Possessives: nurse's = nurse + 1, people's = people, patients' = patients. */
    if (n > 2 && ends_with(w, n, "'s")) return en_word(w, fl, n - 2) + (size_t)ends_in_hiss(w, n - 2);
    if (n > 1 && w[n - 1] == '\'') return en_word(w, fl, n - 1);
    /* Contractions: drop the apostrophes; n't after a consonant is a syllable. */
    char buf[WORD_MAX];
    unsigned char bfl[WORD_MAX];
    size_t m = 0;
    int apos = 0;
    for (size_t i = 0; i < n && m < WORD_MAX; i++) {
        if (w[i] == '\'') {
            apos = 1;
            continue;
        }
        buf[m] = w[i];
        bfl[m++] = fl[i];
    }
    if (m == 0) return 0;
    size_t s = en_core(buf, bfl, m);
    if (apos && n >= 4 && ends_with(w, n, "n't") && en_consonant_at(w, n, n - 4) && w[n - 4] != 'n') s++;
    return s;
}

/* ------------------------------------------------------------------ */
/* Spanish words                                                       */
/* ------------------------------------------------------------------ */

static int es_isv(const char *w, const unsigned char *fl, size_t n, size_t i) {
    char c = w[i];
    if (c == 'y') return i + 1 == n || !vowel_letter(w[i + 1]); /* muy, hoy; not yo, mayo */
    if (!vowel_letter(c)) return 0;
    /* que, qui, gue, gui: the u is silent (but not in güe, güi) */
    if (c == 'u' && i > 0 && (w[i - 1] == 'q' || w[i - 1] == 'g') && i + 1 < n && (w[i + 1] == 'e' || w[i + 1] == 'i') &&
        !(fl[i] & F_DIAER))
        return 0;
    return 1;
}

static int es_strong(char c, unsigned char fl) {
    return c == 'a' || c == 'e' || c == 'o' || ((c == 'i' || c == 'u') && (fl & F_ACUTE));
}

static size_t es_word(const char *w, const unsigned char *fl, size_t n) {
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        if (!es_isv(w, fl, n, i)) continue;
        if (i == 0 || !es_isv(w, fl, n, i - 1) || (es_strong(w[i - 1], fl[i - 1]) && es_strong(w[i], fl[i])))
            s++;
    }
    return s ? s : 1;
}

/* ------------------------------------------------------------------ */
/* Words                                                               */
/* ------------------------------------------------------------------ */

/* Lowercase ASCII spelling of t[a..b) with accent flags: á -> a + F_ACUTE,
 * ü -> u + F_DIAER, ñ -> n, other letters outside Latin-1 -> 'x'. Returns
 * the length. */
static size_t fold_word(const rd_ch *t, size_t a, size_t b, char *w, unsigned char *fl) {
    /* Latin-1 0xE0..0xFF lowercase letters, as base letter and flags. */
    static const char base[] = "aaaaaaeceeeeiiiidnooooo/ouuuuyty";
    static const unsigned char flags[] = {0, F_ACUTE, 0, 0, F_DIAER, 0, 0, 0, 0, F_ACUTE, 0, F_DIAER, 0, F_ACUTE, 0, F_DIAER,
                                          0, 0, 0, F_ACUTE, 0, 0, F_DIAER, 0, 0, 0, F_ACUTE, 0, F_DIAER, F_ACUTE, 0, F_DIAER};
    size_t m = 0;
    for (size_t i = a; i < b && m + 1 < WORD_MAX; i++) {
        uint32_t c = to_lower(t[i].cp);
        if (t[i].k == K_MARK) { /* combining acute / diaeresis on the previous letter */
            if (m > 0 && c == 0x301) fl[m - 1] |= F_ACUTE;
            if (m > 0 && c == 0x308) fl[m - 1] |= F_DIAER;
            continue;
        }
        fl[m] = 0;
        if (t[i].k == K_APOS) w[m] = '\'';
        else if (c < 0x80) w[m] = (char)c;
        else if (c == 0xDF) w[m] = 's';
        else if (c >= 0xE0 && c <= 0xFF) {
            w[m] = base[c - 0xE0];
            fl[m] = flags[c - 0xE0];
        } else
            w[m] = 'x';
        m++;
    }
    return m;
}

static int in_caps_words(const char *w, size_t n) {
    return sorted_find(caps_words, sizeof caps_words / sizeof caps_words[0], sizeof caps_words[0], w, n) >= 0;
}

/* Letters t[a..b) (with apostrophes, marks, and dots in initialisms). */
static size_t alpha_syllables(const rd_ch *t, size_t a, size_t b, hd_rd_lang lang) {
    size_t letters = 0, caps = 0, dots = 0;
    for (size_t i = a; i < b; i++) {
        if (t[i].k == K_LETTER) {
            letters++;
            caps += (size_t)is_upper(t[i].cp);
        }
        dots += t[i].k == K_DOT;
    }
    char w[WORD_MAX];
    unsigned char fl[WORD_MAX];
    size_t n = fold_word(t, a, b, w, fl);
    if (dots > 0) { /* e.g., U.S., Ph.D.: letter by letter; a longer part as a word */
        size_t s = 0, seg = a;
        for (size_t i = a; i <= b; i++) {
            if (i < b && t[i].k != K_DOT) continue;
            size_t len = i - seg;
            if (len > 2) s += alpha_syllables(t, seg, i, lang);
            else
                for (size_t k = seg; k < i; k++) s += t[k].k == K_LETTER ? letter_name(t[k].cp, lang) : 0;
            seg = i + 1;
        }
        return s;
    }
    if (letters >= 2 && letters <= 5 && caps == letters && !in_caps_words(w, n)) {
        size_t s = 0; /* CRPS, IV, NMDA */
        for (size_t i = a; i < b; i++) s += t[i].k == K_LETTER ? letter_name(t[i].cp, lang) : 0;
        return s;
    }
    if (n == 0) return 0;
    return lang == HD_RD_EN ? en_word(w, fl, n) : es_word(w, fl, n);
}

static int is_ordinal_suffix(const rd_ch *t, size_t a, size_t b) {
    char w[8];
    if (b - a > 2) return 0;
    lower_utf8(t, a, b, w, sizeof w);
    return !strcmp(w, "st") || !strcmp(w, "nd") || !strcmp(w, "rd") || !strcmp(w, "th") || !strcmp(w, "s");
}

/* One hyphen-free part: runs of digits (a number) and runs of letters. */
static size_t part_syllables(const rd_ch *t, size_t a, size_t b, hd_rd_lang lang) {
    size_t s = 0, i = a;
    int prev_num = 0;
    while (i < b) {
        size_t j = i;
        int num = t[i].k == K_DIGIT;
        while (j < b && (num ? t[j].k == K_DIGIT || ((t[j].k == K_DOT || t[j].k == K_COMMA) && j + 1 < b && t[j + 1].k == K_DIGIT)
                             : t[j].k != K_DIGIT))
            j++;
        if (num) s += number_syllables(t, i, j, lang);
        else if (!(prev_num && lang == HD_RD_EN && is_ordinal_suffix(t, i, j))) s += alpha_syllables(t, i, j, lang);
        prev_num = num;
        i = j;
    }
    return s;
}

static int is_numeric(const rd_ch *t, size_t a, size_t b) {
    int digit = 0;
    for (size_t i = a; i < b; i++) {
        if (t[i].k == K_LETTER || t[i].k == K_MARK) return 0;
        digit |= t[i].k == K_DIGIT;
    }
    return digit;
}

/* A word t[a..b): parts split at hyphens and dashes; a dash between two
 * numbers reads "to" (Spanish "a"). */
static size_t word_syllables(const rd_ch *t, size_t a, size_t b, hd_rd_lang lang) {
    size_t s = 0, seg = a;
    int prev_numeric = 0;
    for (size_t i = a; i <= b; i++) {
        if (i < b && t[i].k != K_HYPHEN && t[i].k != K_DASH) continue;
        if (i > seg) {
            int numeric = is_numeric(t, seg, i);
            if (numeric && prev_numeric) s += 1;
            s += part_syllables(t, seg, i, lang);
            prev_numeric = numeric;
        }
        seg = i + 1;
    }
    return s;
}

/* ------------------------------------------------------------------ */
/* Scanning                                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    hd_readability *r;
    rd_ch tok[TOK_MAX];
    size_t ntok;
    size_t sent_words; /* words in the sentence being read */
    int pending;       /* after "etc.": a capital letter next ends the sentence */
    int newlines;      /* plain text: newlines in the current run of spaces */
} scanner;

static void end_sentence(scanner *s) {
    if (s->sent_words > 0) {
        s->r->sentences++;
        s->sent_words = 0;
    }
    s->pending = 0;
}

/* Can t[j] join the word characters on both sides of it into one word? */
static int joins(const rd_ch *t, size_t n, size_t j, hd_rd_lang lang) {
    if (j == 0 || j + 1 >= n || !is_wordch(&t[j - 1]) || t[j + 1].k == K_MARK || !is_wordch(&t[j + 1])) return 0;
    int pd = t[j - 1].k == K_DIGIT, nd = t[j + 1].k == K_DIGIT;
    int pl = !pd, nl = t[j + 1].k == K_LETTER;
    switch (t[j].k) {
    case K_APOS: return pl && nl;
    case K_HYPHEN: return 1;
    case K_DASH: return pd && nd;
    case K_DOT: return (pd && nd) || (pl && nl);
    case K_COMMA: return pd && nd && (lang == HD_RD_ES || three_digits_follow(t, j, n));
    default: return 0;
    }
}

/* A dotted word with a part of 3+ letters is an address (riverside.example). */
static int is_dotted_name(const rd_ch *t, size_t a, size_t b) {
    size_t run = 0, longest = 0;
    int dot = 0;
    for (size_t i = a; i < b; i++) {
        if (t[i].k == K_DOT) {
            dot = 1;
            run = 0;
        } else if (t[i].k == K_LETTER && ++run > longest)
            longest = run;
    }
    return dot && longest > 2;
}

static int is_address_token(const rd_ch *t, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (t[i].cp == ':' && i + 2 < n && t[i + 1].cp == '/' && t[i + 2].cp == '/') return 1;
        if (t[i].cp == '@' && i > 0 && i + 1 < n && is_wordch(&t[i - 1]) && is_wordch(&t[i + 1])) return 1;
        if ((i == 0 || !is_wordch(&t[i - 1])) && i + 3 < n && (t[i].cp | 0x20) == 'w' && (t[i + 1].cp | 0x20) == 'w' &&
            (t[i + 2].cp | 0x20) == 'w' && t[i + 3].cp == '.')
            return 1;
    }
    return 0;
}

/* 1: never ends a sentence, 0: ends it before a capital, -1: not an abbreviation. */
static int abbreviation(const rd_ch *t, size_t a, size_t b) {
    char w[32];
    if (b - a > 8) return -1;
    lower_utf8(t, a, b, w, sizeof w);
    long k = sorted_find(abbrevs, sizeof abbrevs / sizeof abbrevs[0], sizeof abbrevs[0], w, strlen(w));
    if (k >= 0) return abbrevs[k].never;
    int dotted = 0; /* other initialisms: U.S */
    for (size_t i = a; i < b; i++) {
        if (t[i].k == K_DOT) dotted = 1;
        else if (t[i].k != K_LETTER || (i > a && t[i - 1].k == K_LETTER)) return -1;
    }
    return dotted ? 0 : -1;
}

static void count_word(scanner *s, const rd_ch *t, size_t n, size_t a, size_t b) {
    hd_rd_lang lang = s->r->lang;
    size_t syl = word_syllables(t, a, b, lang);
    if (is_numeric(t, a, b)) {
        if (b < n && t[b].cp == '%') syl += lang == HD_RD_EN ? 2 : 3;     /* percent, por ciento */
        if (a > 0 && t[a - 1].cp == '$') syl += lang == HD_RD_EN ? 2 : 3; /* dollars, dólares */
    }
    if (s->pending && is_upper(t[a].cp)) end_sentence(s);
    s->pending = 0;
    s->r->words++;
    s->r->syllables += syl;
    s->sent_words++;
}

static void scan_token(scanner *s, const rd_ch *t, size_t n) {
    hd_rd_lang lang = s->r->lang;
    if (is_address_token(t, n)) {
        size_t k = n; /* the address is no word; end punctuation after it still counts */
        while (k > 0 && t[k - 1].k == K_OTHER) k--;
        if (k > 0 && (t[k - 1].k == K_TERM || t[k - 1].k == K_DOT)) end_sentence(s);
        return;
    }
    if (n == 1 && t[0].cp == '&') {
        s->r->words++;
        s->r->syllables++;
        s->sent_words++;
        return;
    }
    size_t i = 0, word_a = 0, word_b = (size_t)-1;
    while (i < n) {
        if (is_wordch(&t[i]) && t[i].k != K_MARK) {
            size_t j = i + 1;
            for (;;) {
                while (j < n && is_wordch(&t[j])) j++;
                if (j < n && joins(t, n, j, lang)) {
                    j++;
                    continue;
                }
                break;
            }
            int citation = is_numeric(t, i, j) && ((i > 0 && t[i - 1].cp == '[') || (j < n && t[j].cp == ']'));
            if (!citation && (!is_dotted_name(t, i, j) || abbreviation(t, i, j) >= 0)) count_word(s, t, n, i, j);
            word_a = i;
            word_b = j;
            i = j;
        } else if (t[i].k == K_TERM || t[i].k == K_DOT) {
            size_t j = i;
            while (j < n && (t[j].k == K_TERM || t[j].k == K_DOT)) j++;
            int abbr = j - i == 1 && t[i].k == K_DOT && word_b == i ? abbreviation(t, word_a, word_b) : -1;
            if (abbr == 1) {
                /* e.g. Dr. */
            } else if (abbr == 0) {
                s->pending = 1;
            } else if (!(j < n && is_wordch(&t[j]))) {
                end_sentence(s);
            }
            i = j;
        } else {
            i++;
        }
    }
}

static void flush_token(scanner *s) {
    if (s->ntok > 0) scan_token(s, s->tok, s->ntok);
    s->ntok = 0;
}

static void end_block(scanner *s) {
    flush_token(s);
    end_sentence(s);
}

/* Feed UTF-8 text; with blank_lines, a blank line ends the block. */
static void feed(scanner *s, const char *text, size_t len, int blank_lines) {
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        uint32_t c = p[i];
        if (c < 0x80) {
            i++; /* ASCII: no invisible characters there */
        } else {
            i += utf8_next(p + i, len - i, &c);
            if (is_invisible(c)) continue;
        }
        if (is_space(c)) {
            flush_token(s);
            if (blank_lines && c == '\n' && ++s->newlines >= 2) end_block(s);
            continue;
        }
        s->newlines = 0;
        if (s->ntok == TOK_MAX) flush_token(s);
        s->tok[s->ntok].cp = c;
        s->tok[s->ntok].k = classify(c);
        s->ntok++;
    }
}

static void scanner_init(scanner *s, hd_readability *r) {
    memset(s, 0, sizeof *s);
    s->r = r;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

static int lang_is(const char *lang, char a, char b) {
    return (lang[0] | 0x20) == a && (lang[1] | 0x20) == b && (lang[2] == 0 || lang[2] == '-' || lang[2] == '_');
}

int hd_readability_init(hd_readability *r, const char *lang) {
    memset(r, 0, sizeof *r);
    r->lang = HD_RD_EN;
    r->ease = 100;
    if (!lang || !lang[0] || !lang[1]) return 0;
    if (lang_is(lang, 'e', 's')) r->lang = HD_RD_ES;
    return lang_is(lang, 'e', 's') || lang_is(lang, 'e', 'n');
}

void hd_readability_text(hd_readability *r, const char *utf8, size_t len) {
    scanner s;
    scanner_init(&s, r);
    feed(&s, utf8 ? utf8 : "", utf8 ? len : 0, 1);
    end_block(&s);
}

static void scan_spans(scanner *s, const hd_block *b) {
    for (size_t i = 0; i < b->nspans; i++) {
        const hd_span *sp = &b->spans[i];
        if (sp->kind == HD_SP_BREAK || (sp->style & (HD_ST_URL | HD_ST_MONO)) || !sp->text) {
            flush_token(s); /* a line break or skipped text separates words */
            continue;
        }
        feed(s, sp->text, strlen(sp->text), 0);
    }
    end_block(s);
}

/* Recursion depth is bounded by the Markdown module's HD_MAX_MD_DEPTH. */
static void scan_blocks(scanner *s, const hd_block *blocks, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const hd_block *b = &blocks[i];
        switch (b->kind) {
        case HD_BLK_PARA: scan_spans(s, b); break;
        case HD_BLK_LIST:
        case HD_BLK_ITEM:
        case HD_BLK_QUOTE:
        case HD_BLK_SAFETY: scan_blocks(s, b->children, b->nchildren); break;
        case HD_BLK_HEADING:
        case HD_BLK_CODE:
        case HD_BLK_RULE:
        case HD_BLK_IMAGE:
        case HD_BLK_FIGURE: break;
        }
    }
}

void hd_readability_blocks(hd_readability *r, const hd_block *blocks, size_t n) {
    scanner s;
    scanner_init(&s, r);
    if (blocks) scan_blocks(&s, blocks, n);
    end_block(&s);
}

void hd_readability_add(hd_readability *total, const hd_readability *part) {
    total->words += part->words;
    total->sentences += part->sentences;
    total->syllables += part->syllables;
}

void hd_readability_finish(hd_readability *r) {
    if (r->words == 0) {
        r->grade = 0;
        r->ease = 100;
        return;
    }
    double w = (double)r->words, st = (double)(r->sentences ? r->sentences : 1), sy = (double)r->syllables;
    if (r->lang == HD_RD_ES) {
        r->grade = -0.205 * (100.0 * st / w) + 0.049 * (100.0 * sy / w) - 3.407;
        r->ease = 206.84 - 60.0 * (sy / w) - 1.02 * (w / st);
    } else {
        r->grade = 0.39 * (w / st) + 11.8 * (sy / w) - 15.59;
        r->ease = 206.835 - 1.015 * (w / st) - 84.6 * (sy / w);
    }
}

const char *hd_readability_grade_name(const hd_readability *r) {
    return r->lang == HD_RD_ES ? "Crawford grade" : "Flesch-Kincaid grade";
}

const char *hd_readability_ease_name(const hd_readability *r) {
    return r->lang == HD_RD_ES ? "Fernandez-Huerta reading ease" : "Flesch reading ease";
}

size_t hd_syllables(const char *word, size_t len, hd_rd_lang lang) {
    rd_ch t[TOK_MAX];
    size_t n = 0, i = 0;
    const unsigned char *p = (const unsigned char *)word;
    while (word && i < len && n < TOK_MAX) {
        uint32_t c;
        i += utf8_next(p + i, len - i, &c);
        if (is_invisible(c)) continue;
        t[n].cp = c;
        t[n].k = classify(c);
        n++;
    }
    size_t a = 0;
    while (a < n && !(is_wordch(&t[a]) && t[a].k != K_MARK)) a++;
    size_t b = n;
    while (b > a && !is_wordch(&t[b - 1])) b--;
    return a < b ? word_syllables(t, a, b, lang) : 0;
}
