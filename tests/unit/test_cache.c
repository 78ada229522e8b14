/* test_cache.c: unit tests for cache.c (entries written and read back,
 * keys, damaged and foreign entries read as absent, an unusable folder,
 * the payload buffer and reader). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

typedef struct {
    char dir[64];
    hd_cache *c;
} fixture;

static int setup(void **state) {
    fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test-cache-XXXXXX");
    if (!fx || !mkdtemp(fx->dir)) return -1;
    fx->c = hd_cache_new(fx->dir, 1);
    *state = fx;
    return fx->c ? 0 : -1;
}

static int teardown(void **state) {
    fixture *fx = *state;
    hd_cache_free(fx->c);
    nftw(fx->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

static void key(const hd_cache *c, const char *s, hd_cache_key *k) { hd_cache_key_of(c, s, strlen(s), k); }

/* the file of the only entry in the folder */
static void entry_file(const fixture *fx, const hd_cache_key *k, char *buf, size_t n) {
    int len = snprintf(buf, n, "%s/v1/", fx->dir);
    for (int i = 0; i < 32; i++) len += snprintf(buf + len, n - (size_t)len, "%02x", k->b[i]);
}

static void test_round_trip(void **state) {
    fixture *fx = *state;
    hd_cache_key k1, k2;
    key(fx->c, "one", &k1);
    key(fx->c, "two", &k2);
    assert_memory_not_equal(k1.b, k2.b, 32);
    size_t n = 99;
    assert_null(hd_cache_get(fx->c, &k1, &n)); /* nothing yet: the folder is not even there */
    assert_int_equal(n, 0);
    unsigned char big[70000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char)(i * 7 + i / 300);
    hd_cache_put(fx->c, &k1, big, sizeof big);
    hd_cache_put(fx->c, &k2, "", 0); /* an empty payload is a payload */
    unsigned char *got = hd_cache_get(fx->c, &k1, &n);
    assert_non_null(got);
    assert_int_equal(n, sizeof big);
    assert_memory_equal(got, big, sizeof big);
    free(got);
    got = hd_cache_get(fx->c, &k2, &n);
    assert_non_null(got);
    assert_int_equal(n, 0);
    free(got);
    /* replaced by a second put */
    hd_cache_put(fx->c, &k1, "new", 3);
    got = hd_cache_get(fx->c, &k1, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(got, "new", 3);
    free(got);
    /* the folder: "v1" in the one given */
    char want[96];
    snprintf(want, sizeof want, "%s/v1", fx->dir);
    assert_string_equal(hd_cache_dir(fx->c), want);
    assert_true(hd_cache_write_bulk(fx->c));
}

static void test_keys(void **state) {
    fixture *fx = *state;
    hd_cache_key a, b, c2;
    key(fx->c, "same", &a);
    key(fx->c, "same", &b);
    assert_memory_equal(a.b, b.b, 32);
    hd_cache *other = hd_cache_new("/tmp/elsewhere-not-made", 0);
    assert_non_null(other);
    key(other, "same", &c2); /* the same program: the same key wherever the folder is */
    assert_memory_equal(a.b, c2.b, 32);
    assert_false(hd_cache_write_bulk(other));
    hd_cache_free(other);
    hd_cache_free(NULL);
    size_t n;
    assert_null(hd_cache_get(NULL, &a, &n)); /* no cache: always a miss */
    hd_cache_put(NULL, &a, "x", 1);
}

/* Each kind of damage: the entry reads as absent. */
static void test_damage(void **state) {
    fixture *fx = *state;
    hd_cache_key k, k2;
    key(fx->c, "damaged", &k);
    key(fx->c, "other", &k2);
    char path[PATH_MAX], path2[PATH_MAX];
    entry_file(fx, &k, path, sizeof path);
    entry_file(fx, &k2, path2, sizeof path2);
    const char payload[] = "a payload of some length, to damage in several ways";
    size_t n;
    for (int kind = 0; kind < 6; kind++) {
        hd_cache_put(fx->c, &k, payload, sizeof payload);
        unsigned char *ok = hd_cache_get(fx->c, &k, &n);
        assert_non_null(ok);
        free(ok);
        FILE *f = fopen(path, "r+b");
        assert_non_null(f);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        switch (kind) {
        case 0: /* a payload byte changed */
            fseek(f, st.st_size - 5, SEEK_SET), fputc('#', f);
            break;
        case 1: /* cut off */
            assert_int_equal(ftruncate(fileno(f), st.st_size - 1), 0);
            break;
        case 2: /* longer than it says */
            fseek(f, 0, SEEK_END), fputc('x', f);
            break;
        case 3: /* another format's magic */
            fseek(f, 7, SEEK_SET), fputc('9', f);
            break;
        case 4: /* empty */
            assert_int_equal(ftruncate(fileno(f), 0), 0);
            break;
        case 5: /* another key's entry under this name */
            fclose(f);
            hd_cache_put(fx->c, &k2, payload, sizeof payload);
            assert_int_equal(rename(path2, path), 0);
            f = NULL;
            break;
        }
        if (f) fclose(f);
        n = 99;
        unsigned char *got = hd_cache_get(fx->c, &k, &n);
        if (got) fail_msg("damage %d read as an entry", kind);
        assert_int_equal(n, 0);
    }
    /* a folder in the entry's place */
    unlink(path);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_null(hd_cache_get(fx->c, &k, &n));
    rmdir(path);
}

/* A folder that cannot be made: puts do nothing, gets miss, nothing fails. */
static void test_unusable_folder(void **state) {
    fixture *fx = *state;
    char file[96], sub[128];
    snprintf(file, sizeof file, "%s/afile", fx->dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(sub, sizeof sub, "%s/inside", file);
    hd_cache *c = hd_cache_new(sub, 1);
    assert_non_null(c);
    hd_cache_key k;
    key(c, "k", &k);
    hd_cache_put(c, &k, "data", 4);
    size_t n;
    assert_null(hd_cache_get(c, &k, &n));
    hd_cache_free(c);
}

/* The environment chooses the folder when none is given. */
static void test_default_folder(void **state) {
    (void)state;
    char *saved[3];
    const char *names[] = {"HANDOUT_CACHE_DIR", "XDG_CACHE_HOME", "HOME"};
    for (int i = 0; i < 3; i++) saved[i] = getenv(names[i]) ? strdup(getenv(names[i])) : NULL;
    setenv("HANDOUT_CACHE_DIR", "/x/own", 1);
    setenv("XDG_CACHE_HOME", "/x/xdg", 1);
    setenv("HOME", "/x/home", 1);
    hd_cache *c = hd_cache_new(NULL, 0);
    assert_string_equal(hd_cache_dir(c), "/x/own/v1");
    hd_cache_free(c);
    unsetenv("HANDOUT_CACHE_DIR");
    c = hd_cache_new(NULL, 0);
    assert_string_equal(hd_cache_dir(c), "/x/xdg/handout/v1");
    hd_cache_free(c);
    setenv("XDG_CACHE_HOME", "rel", 1);
    c = hd_cache_new(NULL, 0);
    assert_string_equal(hd_cache_dir(c), "/x/home/.cache/handout/v1");
    hd_cache_free(c);
    unsetenv("XDG_CACHE_HOME");
    unsetenv("HOME");
    assert_null(hd_cache_new(NULL, 0)); /* nowhere to keep it */
    for (int i = 0; i < 3; i++) {
        if (saved[i])
            setenv(names[i], saved[i], 1);
        else
            unsetenv(names[i]);
        free(saved[i]);
    }
}

static void test_buffer_and_reader(void **state) {
    (void)state;
    hd_cbuf b = {0};
    hd_cbuf_u32(&b, 7);
    for (int i = 0; i < 1000; i++) hd_cbuf_add(&b, "abc", 3);
    hd_cbuf_add(&b, NULL, 0);
    assert_false(b.failed);
    assert_int_equal(b.n, 4 + 3000);
    hd_creader r = {b.p, b.p + b.n, 0};
    assert_int_equal(hd_creader_u32(&r), 7);
    assert_memory_equal(hd_creader_take(&r, 3), "abc", 3);
    assert_non_null(hd_creader_take(&r, 2997));
    assert_false(r.bad);
    assert_null(hd_creader_take(&r, 1)); /* past the end */
    assert_true(r.bad);
    assert_int_equal(hd_creader_u32(&r), 0);
    hd_creader r2 = {b.p, b.p + 2, 0};
    assert_int_equal(hd_creader_u32(&r2), 0); /* a u32 needs 4 bytes */
    assert_true(r2.bad);
    hd_cbuf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.n, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unusable_folder, setup, teardown),
        cmocka_unit_test(test_default_folder),
        cmocka_unit_test(test_buffer_and_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
