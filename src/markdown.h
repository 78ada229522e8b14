/* markdown.h: Markdown (CommonMark, via cmark) to document-model blocks.
 *
 * Owns: the only use of cmark.h. Walks cmark's tree iteratively (no
 * recursion on input depth), caps nesting depth, rejects raw HTML and
 * unsafe link schemes with file:line:col, resolves image paths inside the
 * project, and flattens inline emphasis into span styles. Markdown that
 * CommonMark would print as written or as code (tables, front matter,
 * footnotes, an address with a space, Word's bullets, indented text) and
 * empty text are errors too. cmark's memory comes from a scratch arena, so
 * running out of it is an error, never cmark's abort().
 */
#ifndef HD_MARKDOWN_H
#define HD_MARKDOWN_H

#include "arena.h"
#include "diag.h"
#include "fsutil.h"
#include "model.h"

#define HD_MAX_MD_DEPTH 16 /* nesting of lists and quotes a handout may use */
/* Paragraphs, headings, list items (with their text) and other blocks in
 * one Markdown text: 40 pages of 13 pt text hold about 1,600 lines, and
 * every block takes one. */
#define HD_MAX_MD_BLOCKS 4000
/* Images ("![") between two blank lines: cmark 0.30.2 takes time
 * images x links within a paragraph, so more is refused before parsing. */
#define HD_MAX_MD_IMAGES_PER_PARAGRAPH 200

/* Parse `text` (len bytes) from `file`; line/col offsets map Markdown
 * positions to positions in `file` (see hd_section). Appends the blocks to
 * *blocks / *nblocks (arena-grown). Image paths are resolved relative to
 * `file` with hd_resolve; the image itself is not read here. */
hd_status hd_markdown_parse(hd_arena *a, hd_diags *d, const hd_project *p, const char *file,
                            const char *text, size_t len, int line_offset, int col_offset,
                            hd_block **blocks, size_t *nblocks);

/* Across a whole body (every section's blocks, figures included, in
 * order): a heading must have something under it before the next heading
 * of its level or higher and before the end. Each one that has nothing is
 * an error at the heading. */
hd_status hd_markdown_check_headings(hd_arena *a, hd_diags *d, const hd_block *blocks, size_t nblocks);

#endif
