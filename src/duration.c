/* duration.c: human durations ("12 months", "4-6 weeks", "2 hr").
 *
 * Owns: parsing a duration or a range of durations into minutes, with a
 * message a clinic editor can act on when the text is wrong, and writing
 * minutes back in plain words ("1 month", "3 months"; short forms and
 * Spanish for tick labels). Pure functions: no allocation, no state.
 */
#include "duration.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_MINUTES (100.0 * HD_YEAR) /* nothing in a handout lasts longer */
#define QUOTE_MAX 60                  /* how much of the input a message quotes */

typedef struct {
    const char *name;
    double minutes;
} unit_name;

static const unit_name units[] = {
    {"minute", HD_MINUTE}, {"minutes", HD_MINUTE}, {"min", HD_MINUTE}, {"mins", HD_MINUTE},
    {"hour", HD_HOUR},     {"hours", HD_HOUR},     {"h", HD_HOUR},     {"hr", HD_HOUR},
    {"hrs", HD_HOUR},      {"day", HD_DAY},        {"days", HD_DAY},   {"d", HD_DAY},
    {"week", HD_WEEK},     {"weeks", HD_WEEK},     {"wk", HD_WEEK},    {"wks", HD_WEEK},
    {"w", HD_WEEK},        {"month", HD_MONTH},    {"months", HD_MONTH}, {"mo", HD_MONTH},
    {"mos", HD_MONTH},     {"year", HD_YEAR},      {"years", HD_YEAR}, {"yr", HD_YEAR},
    {"yrs", HD_YEAR},      {"y", HD_YEAR},
};

#define USE_UNITS "use minutes, hours, days, weeks, months or years"
#define EXAMPLE "write a number and a unit, e.g. \"2 weeks\", or a range, e.g. \"4-6 weeks\""

/* ---- parsing ---- */

typedef struct {
    const char *src; /* the whole input, for messages */
    const char *p;
    char *why;
    size_t why_size;
} parser;

static int fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(parser *ps, const char *fmt, ...) {
    if (ps->why && ps->why_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->why, ps->why_size, fmt, ap);
        va_end(ap);
    }
    return 0;
}

/* Spaces: ASCII blanks and the no-break space U+00A0. */
static void skip_space(parser *ps) {
    for (;;) {
        if (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
            ps->p++;
        else if ((unsigned char)ps->p[0] == 0xC2 && (unsigned char)ps->p[1] == 0xA0)
            ps->p += 2;
        else
            return;
    }
}

/* A range separator at p: '-', en dash, em dash or the word "to".
 * Returns its length in bytes, 0 if there is none. */
static size_t separator_len(const char *p) {
    if (*p == '-')
        return 1;
    if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94))
        return 3;
    if (strncasecmp(p, "to", 2) == 0 && !isalpha((unsigned char)p[2]))
        return 2;
    return 0;
}

static int is_minus(const char *p) {
    return *p == '-' || ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x88 &&
                         (unsigned char)p[2] == 0x92); /* U+2212 */
}

/* A decimal number: digits, optionally '.' and digits. 1 if read. `first`:
 * the number that starts the text (else the end of a range). */
static int parse_number(parser *ps, int first, double *v) {
    const char *start = ps->p, *q = ps->p;
    if (!isdigit((unsigned char)*q)) {
        if (first && is_minus(q))
            return fail(ps, "\"%.*s\" is negative (a duration must be more than zero)", QUOTE_MAX,
                        ps->src);
        if (first)
            return fail(ps, "\"%.*s\" does not start with a number (%s)", QUOTE_MAX, ps->src,
                        EXAMPLE);
        return fail(ps, "\"%.*s\" is an unfinished range (%s)", QUOTE_MAX, ps->src, EXAMPLE);
    }
    while (isdigit((unsigned char)*q))
        q++;
    if (*q == ',' && isdigit((unsigned char)q[1]))
        return fail(ps,
                    "\"%.*s\" has a comma in a number (write 1000, not 1,000; use a point for "
                    "decimals: 1.5)",
                    QUOTE_MAX, ps->src);
    if (*q == '.' && isdigit((unsigned char)q[1])) {
        q++;
        while (isdigit((unsigned char)*q))
            q++;
    }
    char buf[48];
    size_t n = (size_t)(q - start);
    if (n >= sizeof buf)
        return fail(ps, "\"%.*s\" is too long (at most 100 years)", QUOTE_MAX, ps->src);
    memcpy(buf, start, n);
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    ps->p = q;
    return 1;
}

/* A unit word at p (letters only). 1 and *mult if known; 0 with a message
 * if unknown; -1 if there is no word at all (the caller decides). */
static int parse_unit(parser *ps, double *mult) {
    const char *q = ps->p;
    while (isalpha((unsigned char)*q))
        q++;
    size_t n = (size_t)(q - ps->p);
    if (n == 0)
        return -1;
    if (n == 2 && strncasecmp(ps->p, "to", 2) == 0)
        return -1; /* "4 to 6 weeks": a separator, not a unit */
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == n && strncasecmp(units[i].name, ps->p, n) == 0) {
            *mult = units[i].minutes;
            ps->p = q;
            return 1;
        }
    }
    if (n == 1 && (*ps->p == 'm' || *ps->p == 'M'))
        return fail(ps, "the unit 'm' in \"%.*s\" could mean minutes or months (write min or mo)",
                    QUOTE_MAX, ps->src);
    return fail(ps, "unknown unit '%.*s' in \"%.*s\" (%s)", (int)(n > 30 ? 30 : n), ps->p, QUOTE_MAX,
                ps->src, USE_UNITS);
}

static int check_value(parser *ps, double minutes) {
    if (!(minutes > 0))
        return fail(ps, "\"%.*s\" is zero (a duration must be more than zero)", QUOTE_MAX, ps->src);
    if (!(minutes <= MAX_MINUTES))
        return fail(ps, "\"%.*s\" is too long (at most 100 years)", QUOTE_MAX, ps->src);
    return 1;
}

static int no_unit(parser *ps) {
    return fail(ps, "\"%.*s\" has no unit (add one, e.g. \"%.*s weeks\"; %s)", QUOTE_MAX, ps->src,
                QUOTE_MAX, ps->src, USE_UNITS);
}

int hd_duration_parse(const char *s, double *lo, double *hi, char *why_buf, size_t why_size) {
    parser ps = {s ? s : "", s ? s : "", why_buf, why_size};
    double a, b, ua = 0, ub;
    if (why_buf && why_size > 0)
        why_buf[0] = '\0';
    skip_space(&ps);
    if (*ps.p == '\0')
        return fail(&ps, "the duration is empty (%s)", EXAMPLE);
    if (!parse_number(&ps, 1, &a))
        return 0;
    skip_space(&ps);
    int r = parse_unit(&ps, &ua);
    if (r == 0)
        return 0;
    skip_space(&ps);
    size_t sep = separator_len(ps.p);
    if (sep == 0) {
        if (*ps.p != '\0')
            return fail(&ps, "unexpected \"%.*s\" in \"%.*s\" (%s)", QUOTE_MAX, ps.p, QUOTE_MAX, s,
                        EXAMPLE);
        if (r < 0)
            return no_unit(&ps);
        if (!check_value(&ps, a * ua))
            return 0;
        *lo = *hi = a * ua;
        return 1;
    }
    ps.p += sep;
    skip_space(&ps);
    if (!parse_number(&ps, 0, &b))
        return 0;
    skip_space(&ps);
    int r2 = parse_unit(&ps, &ub);
    if (r2 == 0)
        return 0;
    skip_space(&ps);
    if (*ps.p != '\0')
        return fail(&ps, "unexpected \"%.*s\" in \"%.*s\" (%s)", QUOTE_MAX, ps.p, QUOTE_MAX, s, EXAMPLE);
    if (r2 < 0)
        return no_unit(&ps);
    if (r < 0)
        ua = ub; /* "4-6 weeks": the unit is written once */
    if (!check_value(&ps, a * ua) || !check_value(&ps, b * ub))
        return 0;
    if (b * ub < a * ua)
        return fail(&ps,
                    "\"%.*s\" ends before it starts (write the shorter time first, e.g. \"4-6 "
                    "weeks\")",
                    QUOTE_MAX, s);
    *lo = a * ua;
    *hi = b * ub;
    return 1;
}

/* ---- formatting ---- */

typedef struct {
    double minutes;
    const char *one, *many; /* long names */
    const char *short_one, *short_many;
} unit_words;

/* Largest first: the first unit that divides the value evenly names it. */
static const unit_words words_en[] = {
    {HD_YEAR, "year", "years", "yr", "yr"},       {HD_MONTH, "month", "months", "mo", "mo"},
    {HD_WEEK, "week", "weeks", "wk", "wk"},       {HD_DAY, "day", "days", "day", "days"},
    {HD_HOUR, "hour", "hours", "hr", "hr"},       {HD_MINUTE, "minute", "minutes", "min", "min"},
};
static const unit_words words_es[] = {
    {HD_YEAR, "año", "años", "año", "años"},         {HD_MONTH, "mes", "meses", "mes", "meses"},
    {HD_WEEK, "semana", "semanas", "sem", "sem"},    {HD_DAY, "día", "días", "d", "d"},
    {HD_HOUR, "hora", "horas", "h", "h"},            {HD_MINUTE, "minuto", "minutos", "min", "min"},
};
#define NWORDS (sizeof words_en / sizeof words_en[0])

static int is_whole(double v) {
    return v >= 1.0 - 1e-9 && fabs(v - round(v)) <= 1e-6 * v;
}

void hd_duration_format_ex(double minutes, const char *lang, int short_form, char *buf, size_t size) {
    const unit_words *w = (lang && strcmp(lang, "es") == 0) ? words_es : words_en;
    const char *comma = (w == words_es) ? "," : ".";
    if (!buf || size == 0)
        return;
    if (!(minutes > 0) || !isfinite(minutes)) {
        snprintf(buf, size, "0 %s", short_form ? w[NWORDS - 1].short_many : w[NWORDS - 1].many);
        return;
    }
    size_t pick = NWORDS - 1;
    for (size_t i = 0; i < NWORDS; i++) {
        if (is_whole(minutes / w[i].minutes)) {
            pick = i;
            break;
        }
    }
    if (!is_whole(minutes / w[pick].minutes)) { /* no unit is exact: largest unit >= 1 */
        for (pick = 0; pick + 1 < NWORDS && minutes / w[pick].minutes < 1.0; pick++)
            ;
    }
    double v = minutes / w[pick].minutes;
    double r = round(v * 10.0) / 10.0;
    int single = fabs(r - 1.0) < 1e-9;
    const char *name = short_form ? (single ? w[pick].short_one : w[pick].short_many)
                                  : (single ? w[pick].one : w[pick].many);
    if (fabs(r - round(r)) < 1e-9)
        snprintf(buf, size, "%.0f %s", r, name);
    else
        snprintf(buf, size, "%.0f%s%.0f %s", floor(r), comma, round((r - floor(r)) * 10.0), name);
}

void hd_duration_format(double minutes, char *buf, size_t size) {
    hd_duration_format_ex(minutes, "en", 0, buf, size);
}
