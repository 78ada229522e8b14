/* duration.h: human durations ("12 months", "4-6 weeks", "2 hr").
 *
 * Owns: parsing durations and ranges into minutes, and writing them back in
 * plain words. Pure functions, no allocation.
 */
#ifndef HD_DURATION_H
#define HD_DURATION_H

#include <stddef.h>

#define HD_MINUTE 1.0
#define HD_HOUR 60.0
#define HD_DAY 1440.0
#define HD_WEEK 10080.0
#define HD_MONTH 43830.0 /* 365.25 / 12 days */
#define HD_YEAR 525960.0

/* Parse "N unit" or a range "N-M unit" / "N–M unit" / "N unit to M unit".
 * Units: minute(s) min, hour(s) h hr hrs, day(s) d, week(s) wk wks w,
 * month(s) mo mos, year(s) yr yrs y. N may be a decimal. On success returns
 * 1 and sets *lo and *hi (equal for a single value) in minutes. On failure
 * returns 0 and why_buf receives the message ("unknown unit 'fortnight' in
 * "2 fortnight" (use minutes, hours, days, weeks, months or years)").
 * Units are case-insensitive ("mins" is also accepted); "m" is refused as
 * ambiguous. Zero, negative, above 100 years, "1,000", a missing number or
 * unit, and a range that ends before it starts are errors. */
int hd_duration_parse(const char *s, double *lo, double *hi, char *why_buf, size_t why_size);

/* "1 minute", "3 months", "1 year": the plainest exact name for a tick. */
void hd_duration_format(double minutes, char *buf, size_t size);

/* The same in a language ("en" or "es"; anything else: English), long
 * ("3 months", "3 meses") or short ("3 mo", "1 hr") for narrow axes. The
 * largest unit that divides the value evenly names it; else the largest unit
 * not above it, with one decimal ("1.5 hours"). */
void hd_duration_format_ex(double minutes, const char *lang, int short_form, char *buf, size_t size);

#endif
