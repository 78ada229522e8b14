/* cache.h: a disk cache of results that are slow to make and always the
 * same for the same inputs (a font face's character map and metrics, a
 * font subset). Nothing in a PDF depends on whether an entry was found:
 * an entry holds exactly what would be computed again.
 *
 * Owns: where the cache lives (HANDOUT_CACHE_DIR, else
 * $XDG_CACHE_HOME/handout, else ~/.cache/handout; a "v1" folder in it),
 * entry keys (SHA-256 of this program's build ID and the caller's key
 * material: a rebuilt program never reads an older one's entries), entry
 * files (a header with the key, the payload and its CRC-32, so a damaged
 * or cut-off entry reads as absent; only regular files of this user),
 * atomic writes (temporary file and rename; no fsync: losing an entry
 * costs only time), and keeping the folder small (past
 * HD_CACHE_MAX_ENTRIES files the least recently used are removed). Every failure (no HOME, a read-only disk, a damaged
 * entry) is a miss, never an error: the caller computes the result. An
 * hd_cache is immutable once made and is shared by all threads.
 */
#ifndef HD_CACHE_H
#define HD_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

typedef struct hd_cache hd_cache;

#define HD_CACHE_MAX_ENTRIES 1000

/* The cache in folder dir (NULL: from the environment, as above); NULL if
 * there is none (no folder to use, no memory, or this program has no
 * build ID, which Debian's gcc and clang always write). write_bulk: whether large entries made for one
 * document (font subsets) are written, not only read; a big batch turns
 * it off (its subsets are seldom asked for again, and writing them would
 * fill the folder). The folder is made when the first entry is written. */
hd_cache *hd_cache_new(const char *dir, int write_bulk);
void hd_cache_free(hd_cache *c); /* NULL: nothing */
const char *hd_cache_dir(const hd_cache *c); /* the "v1" folder */
int hd_cache_write_bulk(const hd_cache *c);

/* A file's identity in key material: device, inode, size, modification
 * and change times (ns). Any change to the file (written in place, even
 * at the same size and with its old modification time put back; replaced
 * by a rename) changes it: the change time cannot be set back. */
typedef struct {
    uint64_t dev, ino, size, mtime, ctime;
} hd_file_id;
hd_file_id hd_file_id_of(const struct stat *st);

/* A key from key material (any bytes: a kind name, file identities, ...). */
typedef struct {
    unsigned char b[32];
} hd_cache_key;
void hd_cache_key_of(const hd_cache *c, const void *material, size_t n, hd_cache_key *out);

/* The payload stored under key, malloc'd (the caller frees it), its length
 * in *len; NULL when there is none or it is damaged. c may be NULL. */
unsigned char *hd_cache_get(const hd_cache *c, const hd_cache_key *key, size_t *len);
/* Store data under key (replacing any entry). Failures are ignored. */
void hd_cache_put(const hd_cache *c, const hd_cache_key *key, const void *data, size_t len);

/* A growing byte buffer for payloads and key material (malloc'd; on an
 * allocation failure it is marked failed and stays empty of new bytes). */
typedef struct {
    unsigned char *p;
    size_t n, cap;
    int failed;
} hd_cbuf;
void hd_cbuf_add(hd_cbuf *b, const void *data, size_t n);
void hd_cbuf_u32(hd_cbuf *b, uint32_t v);
void hd_cbuf_free(hd_cbuf *b);

/* Reading a payload back: each call takes n bytes, or fails (returns 0 /
 * NULL, and r->bad is set) when fewer are left. */
typedef struct {
    const unsigned char *p, *end;
    int bad;
} hd_creader;
const void *hd_creader_take(hd_creader *r, size_t n);
uint32_t hd_creader_u32(hd_creader *r);

#endif
