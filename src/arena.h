/* arena.h: region allocation for one document build.
 *
 * Owns: every allocation made while loading, modelling and laying out one
 * document. Nothing is freed one by one; hd_arena_free releases it all, so
 * no path (success or error) can leak. If memory runs out, hd_alloc jumps to
 * the recovery point the build set with HD_ARENA_TRY, which turns it into an
 * HD_ERR_SYSTEM status: no abort() deep in the code.
 */
#ifndef HD_ARENA_H
#define HD_ARENA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

typedef struct hd_arena hd_arena;

hd_arena *hd_arena_new(void); /* NULL when out of memory */
void hd_arena_free(hd_arena *a);

/* Where to go when memory runs out (NULL: hd_alloc returns NULL instead).
 * Returns the one set before, for a caller that catches the jump itself. */
jmp_buf *hd_arena_on_oom(hd_arena *a, jmp_buf *jb);

/* At most `bytes` of memory for the arena (0: no limit, the default); past
 * it, memory has run out as if malloc had failed. */
void hd_arena_set_limit(hd_arena *a, size_t bytes);
/* What the arena may still take under its limit (SIZE_MAX: no limit), so
 * a scratch arena can be held to the same budget. */
size_t hd_arena_left(const hd_arena *a);

void *hd_alloc(hd_arena *a, size_t size); /* zeroed, aligned for any type */
void *hd_allocn(hd_arena *a, size_t n, size_t size); /* checks n*size overflow */
/* n*size bytes, not zeroed: for large buffers that are written in full
 * before they are read (decoded pixels) */
void *hd_alloc_uninit(hd_arena *a, size_t n, size_t size);
char *hd_strdup(hd_arena *a, const char *s);
char *hd_strndup(hd_arena *a, const char *s, size_t n);
char *hd_sprintf(hd_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *hd_vsprintf(hd_arena *a, const char *fmt, va_list ap);

/* Grow an array kept in the arena: makes room for one more element and
 * returns a pointer to it (zeroed). *items, *n and *cap describe the array. */
void *hd_push(hd_arena *a, void **items, size_t *n, size_t *cap, size_t elem);
#define HD_PUSH(a, arr, n, cap) ((__typeof__(*(arr)) *)hd_push((a), (void **)&(arr), &(n), &(cap), sizeof *(arr)))

size_t hd_arena_used(const hd_arena *a);

#endif
