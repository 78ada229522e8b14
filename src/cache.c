/* cache.c: the disk cache (see cache.h).
 *
 * An entry is one file, named by its key in hex, in the "v1" folder:
 *   "HDCACHE1"  key (32 bytes)  payload length (u64)  CRC-32 (u32)  0 (u32)
 *   payload
 * in this machine's byte order (the folder is this machine's own). A read
 * checks all of it; anything else is a miss.
 */
#include "cache.h"
#include "fsutil.h"
#include "zip.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "HDCACHE1"
#define TMP_PREFIX ".tmp-"
/* a temporary file this old is a writer's that died */
#define STALE_TMP_SECONDS 3600
/* no payload is this big (a subset of the largest font allowed is less) */
#define MAX_PAYLOAD (64u << 20)

typedef struct {
    char magic[8];
    unsigned char key[32];
    uint64_t len;
    uint32_t crc;
    uint32_t zero;
} header;

/* the longest build ID kept (GNU's are 20 bytes, SHA-1) */
#define MAX_BUILD_ID 64

struct hd_cache {
    char *dir; /* ".../handout/v1" */
    int write_bulk;
    /* this program's build ID (a hash of its code, which the linker writes
     * into the file): part of every key */
    unsigned char self[MAX_BUILD_ID];
    size_t nself;
    atomic_int pruned; /* the folder was tidied by this process (the one thing that changes) */
};

/* ----------------------------------------------------------- buffers */

void hd_cbuf_add(hd_cbuf *b, const void *data, size_t n) {
    if (b->failed || n == 0) return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

void hd_cbuf_u32(hd_cbuf *b, uint32_t v) { hd_cbuf_add(b, &v, sizeof v); }

void hd_cbuf_free(hd_cbuf *b) {
    free(b->p);
    *b = (hd_cbuf){0};
}

const void *hd_creader_take(hd_creader *r, size_t n) {
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return NULL;
    }
    const void *p = r->p;
    r->p += n;
    return p;
}

uint32_t hd_creader_u32(hd_creader *r) {
    uint32_t v = 0;
    const void *p = hd_creader_take(r, sizeof v);
    if (p) memcpy(&v, p, sizeof v);
    return v;
}

/* ------------------------------------------------------------- setup */

/* The folder from the environment, malloc'd; NULL if there is none. */
static char *default_dir(void) {
    const char *e = getenv("HANDOUT_CACHE_DIR");
    char *out = NULL;
    if (e && *e) return strdup(e);
    e = getenv("XDG_CACHE_HOME");
    if (e && e[0] == '/') /* the XDG rule: a relative path is ignored */
        return asprintf(&out, "%s/handout", e) < 0 ? NULL : out;
    e = getenv("HOME");
    if (e && e[0] == '/') return asprintf(&out, "%s/.cache/handout", e) < 0 ? NULL : out;
    return NULL;
}

/* The build ID of the program itself: the first object dl_iterate_phdr
 * reports, whatever runs it (the dynamic loader run as a command, or
 * valgrind: /proc/self/exe would name those). */
typedef struct {
    unsigned char *id;
    size_t n;
} build_id;

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data) {
    build_id *out = data;
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) continue;
        const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            ElfW(Nhdr) nh;
            memcpy(&nh, p, sizeof nh);
            const unsigned char *name = p + sizeof nh;
            const unsigned char *desc = name + ((nh.n_namesz + 3) & ~3u);
            const unsigned char *next = desc + ((nh.n_descsz + 3) & ~3u);
            if (next > end) break;
            if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && !memcmp(name, "GNU", 4) && nh.n_descsz > 0 &&
                nh.n_descsz <= MAX_BUILD_ID) {
                memcpy(out->id, desc, nh.n_descsz);
                out->n = nh.n_descsz;
                return 1;
            }
            p = next;
        }
    }
    return 1; /* only the first object: the program */
}

hd_cache *hd_cache_new(const char *dir, int write_bulk) {
    unsigned char id[MAX_BUILD_ID];
    build_id b = {id, 0};
    dl_iterate_phdr(find_build_id, &b);
    if (b.n == 0) return NULL; /* a program built without one: no cache rather than a stale one */
    char *base = dir ? strdup(dir) : default_dir();
    if (!base) return NULL;
    hd_cache *c = calloc(1, sizeof *c);
    if (!c || asprintf(&c->dir, "%s/v1", base) < 0) {
        free(c);
        free(base);
        return NULL;
    }
    free(base);
    memcpy(c->self, id, b.n);
    c->nself = b.n;
    c->write_bulk = write_bulk;
    atomic_init(&c->pruned, 0);
    return c;
}

void hd_cache_free(hd_cache *c) {
    if (!c) return;
    free(c->dir);
    free(c);
}

hd_file_id hd_file_id_of(const struct stat *st) {
    return (hd_file_id){(uint64_t)st->st_dev, (uint64_t)st->st_ino, (uint64_t)st->st_size,
                        (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec,
                        (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec};
}

const char *hd_cache_dir(const hd_cache *c) { return c ? c->dir : NULL; }
int hd_cache_write_bulk(const hd_cache *c) { return c && c->write_bulk; }

void hd_cache_key_of(const hd_cache *c, const void *material, size_t n, hd_cache_key *out) {
    hd_cbuf b = {0};
    uint32_t nself = c ? (uint32_t)c->nself : 0;
    hd_cbuf_add(&b, MAGIC, 8);
    hd_cbuf_u32(&b, nself);
    if (c) hd_cbuf_add(&b, c->self, c->nself);
    hd_cbuf_add(&b, material, n);
    if (b.failed) { /* a key no entry has */
        hd_cbuf_free(&b);
        memset(out->b, 0xff, sizeof out->b);
        return;
    }
    hd_sha256(b.p, b.n, out->b);
    hd_cbuf_free(&b);
}

/* ------------------------------------------------------------ entries */

static int entry_path(const hd_cache *c, const hd_cache_key *key, char *buf, size_t n) {
    static const char hex[] = "0123456789abcdef";
    char name[65];
    for (int i = 0; i < 32; i++) name[2 * i] = hex[key->b[i] >> 4], name[2 * i + 1] = hex[key->b[i] & 15];
    name[64] = 0;
    return snprintf(buf, n, "%s/%s", c->dir, name) < (int)n;
}

unsigned char *hd_cache_get(const hd_cache *c, const hd_cache_key *key, size_t *len) {
    *len = 0;
    char path[PATH_MAX];
    if (!c || !entry_path(c, key, path, sizeof path)) return NULL;
    /* not a FIFO (an open would wait for a writer), not a link; only this
     * user's own entries (HANDOUT_CACHE_DIR may name a shared folder) */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) return NULL;
    struct stat st;
    header h;
    unsigned char *data = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_size < (off_t)sizeof h ||
        (uint64_t)st.st_size - sizeof h > MAX_PAYLOAD)
        goto miss;
    size_t n = (size_t)st.st_size - sizeof h;
    if (!(data = malloc(n ? n : 1))) goto miss;
    struct iovec io[2] = {{&h, sizeof h}, {data, n}};
    if (readv(fd, io, 2) != st.st_size || memcmp(h.magic, MAGIC, 8) != 0 || memcmp(h.key, key->b, 32) != 0 ||
        h.len != n || h.zero != 0 || hd_zip_crc32(data, n) != h.crc)
        goto miss;
    close(fd);
    *len = n;
    return data;
miss:
    free(data);
    close(fd);
    return NULL;
}

/* mkdir -p, quietly; folders it makes are private (0700, as the XDG
 * rules ask of ~/.cache), as are entries (mkostemp's 0600): the cache is
 * trusted input to every PDF this user makes */
static int make_dirs(const char *dir) {
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    if (n >= sizeof buf) return -1;
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++)
        if (buf[i] == '/' || buf[i] == 0) {
            char ch = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0700) != 0 && errno != EEXIST) return -1;
            buf[i] = ch;
        }
    return 0;
}

typedef struct {
    long long mtime;
    char name[72];
} dirent_age;

static int by_age(const void *x, const void *y) {
    const dirent_age *a = x, *b = y;
    if (a->mtime != b->mtime) return a->mtime < b->mtime ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Past HD_CACHE_MAX_ENTRIES entries, remove the least recently used down
 * to three quarters of that; remove dead writers' temporary files. "Used"
 * is the later of the entry's write and its last read (the access time,
 * which a relatime mount, Linux's default, updates at least daily on a
 * read; on a noatime mount the oldest written go first). */
static void prune(const hd_cache *c) {
    DIR *dp = opendir(c->dir);
    if (!dp) return;
    dirent_age *v = NULL;
    size_t n = 0, cap = 0;
    time_t now = time(NULL);
    struct dirent *e;
    int dfd = dirfd(dp);
    while ((e = readdir(dp)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.' && strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0) continue;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
        if (e->d_name[0] == '.') {
            if (now - st.st_mtime > STALE_TMP_SECONDS) unlinkat(dfd, e->d_name, 0);
            continue;
        }
        if (strlen(e->d_name) != 64) continue;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            dirent_age *nv = realloc(v, ncap * sizeof *nv);
            if (!nv) break;
            v = nv, cap = ncap;
        }
        long long m = (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        long long at = (long long)st.st_atim.tv_sec * 1000000000 + st.st_atim.tv_nsec;
        v[n].mtime = at > m ? at : m;
        memcpy(v[n].name, e->d_name, 65);
        n++;
    }
    if (n > HD_CACHE_MAX_ENTRIES) {
        qsort(v, n, sizeof *v, by_age);
        for (size_t i = 0; i < n - HD_CACHE_MAX_ENTRIES * 3 / 4; i++) unlinkat(dfd, v[i].name, 0);
    }
    closedir(dp);
    free(v);
}

static int tmp_name(const hd_cache *c, char *buf, size_t n) {
    return snprintf(buf, n, "%s/" TMP_PREFIX "%ld-XXXXXX", c->dir, (long)getpid()) < (int)n;
}

void hd_cache_put(const hd_cache *c, const hd_cache_key *key, const void *data, size_t len) {
    char path[PATH_MAX], tmp[PATH_MAX];
    if (!c || len > MAX_PAYLOAD || !entry_path(c, key, path, sizeof path) || !tmp_name(c, tmp, sizeof tmp)) return;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && make_dirs(c->dir) == 0 && tmp_name(c, tmp, sizeof tmp))
        fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) return;
    header h = {.len = len, .crc = hd_zip_crc32(data, len)};
    memcpy(h.magic, MAGIC, 8);
    memcpy(h.key, key->b, 32);
    struct iovec io[2] = {{&h, sizeof h}, {(void *)data, len}};
    ssize_t w = writev(fd, io, 2);
    int ok = w == (ssize_t)(sizeof h + len);
    if (close(fd) != 0) ok = 0;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return;
    }
    int expected = 0;
    hd_cache *mc = (hd_cache *)c; /* the one field that changes: see struct hd_cache */
    if (atomic_compare_exchange_strong(&mc->pruned, &expected, 1)) prune(c);
}
