/* units.h: small pure helpers for reading values people write in YAML.
 *
 * Owns: lengths ("54", "54pt", "0.75in", "19mm", "1.9cm") in points,
 * "#rrggbb" colours, WCAG 2.1 relative luminance and contrast ratio, real
 * calendar dates (YYYY-MM-DD, leap years included) and the edit distance
 * used for "did you mean" hints. No allocation, no diagnostics, no state.
 */
#ifndef HD_UNITS_H
#define HD_UNITS_H

#include <stddef.h>
#include "spec.h"

/* A plain decimal number: optional '-', digits, optional '.' and digits
 * ("13", "1.45", "-2", ".5" is rejected). Returns 1 and sets *out on success. */
int hd_number_parse(const char *s, double *out);

/* A length: a non-negative number with an optional unit pt, in, mm or cm
 * (points when no unit is given). Returns 1 and sets *pt on success. */
int hd_length_parse(const char *s, double *pt);

/* "#rrggbb" (hex digits in either case). Returns 1 on success. */
int hd_colour_parse(const char *s, hd_rgb *out);
/* Writes "#rrggbb" (lowercase) into buf[8]. */
void hd_colour_format(hd_rgb c, char buf[8]);

/* WCAG 2.1 relative luminance of an sRGB colour, 0 (black) .. 1 (white). */
double hd_luminance(hd_rgb c);
/* WCAG 2.1 contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 to 21. */
double hd_contrast_ratio(hd_rgb a, hd_rgb b);
/* The lightest darker shade of fg (same hue, channels scaled down) whose
 * contrast against bg is at least min_ratio. Black if nothing lighter does. */
hd_rgb hd_colour_darken_to(hd_rgb fg, hd_rgb bg, double min_ratio);

/* Result of hd_date_parse. */
typedef enum {
    HD_DATE_OK = 0,
    HD_DATE_FORMAT, /* not YYYY-MM-DD */
    HD_DATE_MONTH,  /* month not 01..12 */
    HD_DATE_DAY     /* day not in that month (30 February, 29 February 2027, ...) */
} hd_date_err;

/* Parse "YYYY-MM-DD" (years 1000..9999) with real calendar validation. */
hd_date_err hd_date_parse(const char *s, hd_date *out);
int hd_is_leap_year(int y);
int hd_days_in_month(int y, int m); /* 0 when m is not 1..12 */
/* <0, 0, >0 like strcmp. */
int hd_date_cmp(hd_date a, hd_date b);
/* "2026-10-15" into buf[11]. */
void hd_date_format(hd_date dt, char buf[11]);

/* Edit distance in bytes (insert, delete, substitute, swap two neighbours:
 * "titel" is 1 from "title"). Strings longer
 * than 64 bytes count as "far": the result is then at least 65. */
size_t hd_edit_distance(const char *a, const char *b);

#endif
