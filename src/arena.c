/* arena.c: region allocation for one document build (see arena.h).
 * Memory comes in chunks that double in size; hd_arena_free releases all.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[]; /* aligned storage */
} chunk;

struct hd_arena {
    chunk *head;
    size_t total;
    size_t limit; /* 0: none */
    jmp_buf *oom;
};

#define ALIGN (sizeof(max_align_t))
#define FIRST_CHUNK (64u * 1024u)

hd_arena *hd_arena_new(void) {
    return calloc(1, sizeof(hd_arena));
}

void hd_arena_free(hd_arena *a) {
    if (!a) return;
    chunk *c = a->head;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

jmp_buf *hd_arena_on_oom(hd_arena *a, jmp_buf *jb) {
    jmp_buf *before = a->oom;
    a->oom = jb;
    return before;
}

void hd_arena_set_limit(hd_arena *a, size_t bytes) {
    a->limit = bytes;
}

size_t hd_arena_left(const hd_arena *a) {
    if (!a->limit) return SIZE_MAX;
    return a->total < a->limit ? a->limit - a->total : 0;
}

static void *out_of_memory(hd_arena *a) {
    if (a->oom) longjmp(*a->oom, 1);
    return NULL;
}

static void *alloc_raw(hd_arena *a, size_t size, size_t *rounded) {
    if (size == 0) size = 1;
    if (size > SIZE_MAX / 2) return out_of_memory(a);
    size = (size + ALIGN - 1) / ALIGN * ALIGN;
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = c ? c->size * 2 : FIRST_CHUNK;
        if (want < size) want = size;
        if (want > (64u << 20) && size < (64u << 20)) want = size > FIRST_CHUNK ? size : (64u << 20);
        if (a->limit && (want > a->limit || a->total > a->limit - want)) {
            if (size > a->limit || a->total > a->limit - size) return out_of_memory(a);
            want = size; /* what is left may still hold it */
        }
        chunk *n = malloc(sizeof(chunk) + want);
        if (!n) return out_of_memory(a);
        n->size = want;
        n->used = 0;
        n->next = a->head;
        a->head = n;
        a->total += want;
        c = n;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    *rounded = size;
    return p;
}

void *hd_alloc(hd_arena *a, size_t size) {
    size_t n;
    void *p = alloc_raw(a, size, &n);
    if (p) memset(p, 0, n);
    return p;
}

void *hd_alloc_uninit(hd_arena *a, size_t n, size_t size) {
    size_t r;
    if (size && n > SIZE_MAX / size) return out_of_memory(a);
    return alloc_raw(a, n * size, &r);
}

void *hd_allocn(hd_arena *a, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return out_of_memory(a);
    return hd_alloc(a, n * size);
}

char *hd_strndup(hd_arena *a, const char *s, size_t n) {
    char *p = hd_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *hd_strdup(hd_arena *a, const char *s) {
    return s ? hd_strndup(a, s, strlen(s)) : NULL;
}

char *hd_vsprintf(hd_arena *a, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *p = hd_alloc(a, (size_t)n + 1);
    if (p) vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *hd_sprintf(hd_arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *p = hd_vsprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void *hd_push(hd_arena *a, void **items, size_t *n, size_t *cap, size_t elem) {
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        void *p = hd_allocn(a, nc, elem);
        if (!p) return NULL;
        if (*n) memcpy(p, *items, *n * elem);
        *items = p;
        *cap = nc;
    }
    void *slot = (char *)*items + (*n)++ * elem;
    memset(slot, 0, elem);
    return slot;
}

size_t hd_arena_used(const hd_arena *a) {
    return a->total;
}
