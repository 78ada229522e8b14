/* units.c: lengths, colours, contrast, dates and edit distance (see units.h).
 * Pure functions over strings; nothing here allocates or reports. */
#include "units.h"

#include <math.h>
#include <string.h>

/* Reads digits[.digits] at *s; advances *s. Returns 1 if at least one digit
 * came before any '.', and the fraction (if any) has digits. */
static int read_decimal(const char **s, double *out) {
    const char *p = *s;
    double v = 0;
    int ndig = 0;
    while (*p >= '0' && *p <= '9') {
        if (ndig < 30) v = v * 10 + (*p - '0');
        else return 0; /* absurdly long: refuse rather than lose precision */
        p++;
        ndig++;
    }
    if (ndig == 0) return 0;
    if (*p == '.') {
        p++;
        double scale = 0.1;
        int nfrac = 0;
        while (*p >= '0' && *p <= '9') {
            if (nfrac < 15) v += (*p - '0') * scale;
            scale /= 10;
            p++;
            nfrac++;
        }
        if (nfrac == 0) return 0;
    }
    *s = p;
    *out = v;
    return 1;
}

int hd_number_parse(const char *s, double *out) {
    if (!s) return 0;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    double v;
    if (!read_decimal(&s, &v) || *s) return 0;
    *out = neg ? -v : v;
    return 1;
}

int hd_length_parse(const char *s, double *pt) {
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1.0}, {"pt", 1.0}, {"in", 72.0}, {"mm", 72.0 / 25.4}, {"cm", 72.0 / 2.54}};
    if (!s) return 0;
    double v;
    if (!read_decimal(&s, &v)) return 0;
    while (*s == ' ') s++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(s, units[i].unit) == 0) {
            *pt = v * units[i].scale;
            return 1;
        }
    }
    return 0;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int hd_colour_parse(const char *s, hd_rgb *out) {
    if (!s || s[0] != '#' || strlen(s) != 7) return 0;
    int v[6];
    for (int i = 0; i < 6; i++)
        if ((v[i] = hexval(s[1 + i])) < 0) return 0;
    out->r = (v[0] * 16 + v[1]) / 255.0;
    out->g = (v[2] * 16 + v[3]) / 255.0;
    out->b = (v[4] * 16 + v[5]) / 255.0;
    return 1;
}

static int channel_byte(double x) {
    long v = lround(x * 255.0);
    return v < 0 ? 0 : v > 255 ? 255 : (int)v;
}

void hd_colour_format(hd_rgb c, char buf[8]) {
    static const char hex[] = "0123456789abcdef";
    int v[3] = {channel_byte(c.r), channel_byte(c.g), channel_byte(c.b)};
    buf[0] = '#';
    for (int i = 0; i < 3; i++) {
        buf[1 + 2 * i] = hex[v[i] >> 4];
        buf[2 + 2 * i] = hex[v[i] & 15];
    }
    buf[7] = '\0';
}

static double linear(double c) {
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double hd_luminance(hd_rgb c) {
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double hd_contrast_ratio(hd_rgb a, hd_rgb b) {
    double la = hd_luminance(a), lb = hd_luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

hd_rgb hd_colour_darken_to(hd_rgb fg, hd_rgb bg, double min_ratio) {
    for (int step = 255; step >= 0; step--) {
        double t = step / 255.0;
        hd_rgb c = {channel_byte(fg.r * t) / 255.0, channel_byte(fg.g * t) / 255.0, channel_byte(fg.b * t) / 255.0};
        if (hd_contrast_ratio(c, bg) >= min_ratio) return c;
    }
    hd_rgb black = {0, 0, 0};
    return black;
}

int hd_is_leap_year(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int hd_days_in_month(int y, int m) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && hd_is_leap_year(y) ? 29 : days[m - 1];
}

static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

hd_date_err hd_date_parse(const char *s, hd_date *out) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return HD_DATE_FORMAT;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1000 || m < 0 || d < 0) return HD_DATE_FORMAT;
    if (m < 1 || m > 12) return HD_DATE_MONTH;
    if (d < 1 || d > hd_days_in_month(y, m)) return HD_DATE_DAY;
    out->y = y;
    out->m = m;
    out->d = d;
    return HD_DATE_OK;
}

int hd_date_cmp(hd_date a, hd_date b) {
    if (a.y != b.y) return a.y < b.y ? -1 : 1;
    if (a.m != b.m) return a.m < b.m ? -1 : 1;
    if (a.d != b.d) return a.d < b.d ? -1 : 1;
    return 0;
}

void hd_date_format(hd_date dt, char buf[11]) {
    int y = dt.y < 0 ? 0 : dt.y % 10000, m = dt.m < 0 ? 0 : dt.m % 100, d = dt.d < 0 ? 0 : dt.d % 100;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

#define HD_EDIT_MAX 64

static size_t min3(size_t a, size_t b, size_t c) {
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t hd_edit_distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > HD_EDIT_MAX || nb > HD_EDIT_MAX) return HD_EDIT_MAX + 1 + (na > nb ? na - nb : nb - na);
    /* Optimal string alignment: three rows of the Levenshtein table. */
    size_t prev2[HD_EDIT_MAX + 1], prev[HD_EDIT_MAX + 1], cur[HD_EDIT_MAX + 1];
    for (size_t j = 0; j <= nb; j++) prev[j] = j;
    memset(prev2, 0, sizeof prev2);
    memset(cur, 0, sizeof cur);
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
        memcpy(prev2, prev, sizeof prev);
        memcpy(prev, cur, sizeof cur);
    }
    return prev[nb];
}
