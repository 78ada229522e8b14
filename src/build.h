/* build.h: one handout for one clinic, from spec file to PDF on disk.
 *
 * Owns: running the pipeline stages in order (spec -> model -> layout ->
 * paint -> atomic write), applying clinic branding to the template,
 * assembling the required safety texts and proving, after layout, that
 * every word of them was placed on page 1. Each call uses its own arena and
 * diagnostics, so jobs can run in parallel threads.
 */
#ifndef HD_BUILD_H
#define HD_BUILD_H

#include <stddef.h>
#include "diag.h"
#include "font.h"
#include "fsutil.h"

typedef struct {
    const hd_project *proj;
    hd_fontlib *fonts;
    struct hd_imagecache *images; /* shared logo cache, or NULL */
    const char *spec_path;
    const char *clinic;  /* NULL: the spec's own clinic */
    const char *out_dir; /* NULL: check only, write nothing */
    int clinic_subdir;   /* write out_dir/<clinic>/<id>.pdf instead of out_dir/<id>.pdf */
    long long epoch;     /* SOURCE_DATE_EPOCH or -1 */
    int deps;            /* also write <pdf>.d: the files it was made from, for make */
    int want_sha256;     /* fill hd_result.sha256 (for --report) */
    int no_sync;         /* write files without waiting for the disk (--no-sync) */
    int strict;          /* warnings are errors: nothing is written */
    int large_print;     /* 18 pt body or more, larger headings, no italics */
    int today_y, today_m, today_d; /* for review-by warnings; 0: do not check */
} hd_job;

typedef struct {
    char id[65];
    int version;
    char sha256[65];
} hd_safety_record;

/* How hard a section (or the whole handout) is to read. */
typedef struct {
    char *source; /* the Markdown file, or "<spec>:LINE" for inline text; malloc'd */
    size_t words, sentences, syllables;
    double grade, ease;
} hd_read_score;

typedef struct {
    hd_status status;
    hd_diags diags;
    char *out_path; /* malloc'd, NULL if nothing written */
    int unchanged;  /* the PDF at out_path already held these bytes: left as it was */
    char *handout_id, *clinic_id; /* malloc'd */
    char language[8];      /* the handout's language ("en"), "" if not known */
    char template_name[72]; /* the template its spec names, "" if not known */
    int pages;
    size_t bytes;
    char sha256[65];
    hd_safety_record safety[8];
    int nsafety;
    double ms;
    hd_read_score reading;       /* the whole handout */
    hd_read_score *sections;     /* each Markdown section, malloc'd */
    int nsections;
    const char *grade_name, *ease_name; /* "Flesch-Kincaid grade", ... (static) */
} hd_result;

/* Run one job. Always fills *r (free with hd_result_free). */
hd_status hd_build(const hd_job *job, hd_result *r);
void hd_result_free(hd_result *r);


#endif
