/* fsutil.c: safe reading of project files and atomic writing (see fsutil.h).
 *
 * Every path a spec names goes through hd_resolve, so nothing is read from
 * outside the project; every file goes through hd_read_file, so size, UTF-8
 * and NUL checks happen in one place; every output goes through
 * hd_write_atomic, so a failed or killed build never leaves a partial file.
 */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#if defined(__has_include)
#if __has_include(<linux/openat2.h>) /* kernel headers 5.6 and later */
#include <linux/openat2.h>
#define HD_HAVE_OPENAT2 1
#endif
#endif
#include <limits.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ---- UTF-8 ---- */

long hd_utf8_invalid_at(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, min = 0x10000, c &= 0x07;
        } else {
            return (long)i;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80) return (long)i;
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return (long)i;
        i += n + 1;
    }
    return -1;
}

unsigned hd_utf8_next(const char **sp) {
    const unsigned char *s = (const unsigned char *)*sp;
    unsigned c = s[0];
    size_t n = 0;
    if (c < 0x80) {
        n = 0;
    } else if ((c & 0xE0) == 0xC0) {
        n = 1, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 2, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 3, c &= 0x07;
    } else {
        *sp += 1;
        return 0xFFFD;
    }
    for (size_t k = 1; k <= n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *sp += k;
            return 0xFFFD;
        }
        c = (c << 6) | (s[k] & 0x3F);
    }
    *sp += n + 1;
    return c;
}

void hd_offset_to_linecol(const char *s, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < off && s[i]; i++) {
        if (s[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* ---- paths ---- */

char *hd_path_normalise(hd_arena *a, const char *path) {
    size_t len = strlen(path);
    char *out = hd_alloc(a, len + 2);
    const char **parts = hd_allocn(a, len / 2 + 2, sizeof *parts);
    size_t *plen = hd_allocn(a, len / 2 + 2, sizeof *plen);
    size_t np = 0;
    int absolute = path[0] == '/';
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 1 && p[0] == '.') {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && np > 0 &&
                   !(plen[np - 1] == 2 && parts[np - 1][0] == '.' && parts[np - 1][1] == '.')) {
            np--;
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && absolute) {
            /* "/.." is "/" */
        } else {
            parts[np] = p;
            plen[np++] = n;
        }
        p += n;
    }
    char *o = out;
    if (absolute) *o++ = '/';
    for (size_t i = 0; i < np; i++) {
        if (i) *o++ = '/';
        memcpy(o, parts[i], plen[i]);
        o += plen[i];
    }
    if (o == out) *o++ = '.';
    *o = 0;
    return out;
}

int hd_path_inside(const char *root, const char *abs) {
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/') return 1;
    return strncmp(abs, root, n) == 0 && (abs[n] == '/' || abs[n] == 0);
}

/* Whether the kernel, resolving abs (inside root by its text) from root
 * with every link followed, never leaves root: one openat2 call with
 * RESOLVE_BENEATH. 0 when it cannot say so (it left, an absolute link,
 * the file is missing, or an old kernel): then the caller resolves the
 * path itself with realpath, as before. */
static int stays_beneath(const hd_project *p, const char *abs) {
#if defined(SYS_openat2) && defined(HD_HAVE_OPENAT2)
    if (p->root_fd <= 0) return 0;
    size_t n = strlen(p->root);
    if (n > 1 && !abs[n]) return 1; /* the root itself */
    const char *rel = n == 1 ? abs + 1 : abs + n + 1;
    if (!*rel) return 1;
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH};
    int fd = (int)syscall(SYS_openat2, p->root_fd, rel, &how, sizeof how);
    if (fd < 0) return 0;
    close(fd);
    return 1;
#else
    (void)p, (void)abs;
    return 0;
#endif
}

hd_status hd_resolve(hd_arena *a, hd_diags *d, const hd_project *p, const char *from_file, const char *rel,
                     hd_pos at, const char **out) {
    *out = NULL;
    if (!rel || !*rel) return hd_error(d, HD_ERR_CONTENT, at, "the path is empty; write the file's name, for example 'sections/intro.md'");
    if (rel[0] == '/' || rel[0] == '~' || (rel[0] && rel[1] == ':'))
        return hd_error(d, HD_ERR_CONTENT, at,
                        "'%s' is an absolute path; write it relative to this file, for example 'sections/intro.md'", rel);
    const char *slash = from_file ? strrchr(from_file, '/') : NULL;
    char *joined = slash ? hd_sprintf(a, "%.*s/%s", (int)(slash - from_file), from_file, rel) : hd_strdup(a, rel);
    char *norm = hd_path_normalise(a, joined);
    char *abs = norm;
    if (norm[0] != '/') {
        char cwd[PATH_MAX];
        const char *here = p->cwd ? p->cwd : getcwd(cwd, sizeof cwd);
        if (!here) return hd_error(d, HD_ERR_SYSTEM, at, "cannot read the current folder: %s", strerror(errno));
        abs = hd_path_normalise(a, hd_sprintf(a, "%s/%s", here, norm));
    }
    if (!hd_path_inside(p->root, abs))
        return hd_error(d, HD_ERR_CONTENT, at, "'%s' leads outside the project folder; keep every file inside it", rel);
    char real[PATH_MAX];
    if (!stays_beneath(p, abs) && realpath(abs, real) && !hd_path_inside(p->root, real))
        return hd_error(d, HD_ERR_CONTENT, at,
                        "'%s' is a link to '%s', outside the project folder; copy the file into the project instead", rel, real);
    *out = norm;
    return HD_OK;
}

/* ---- reading ---- */

static void human_size(size_t n, char *buf, size_t size) {
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(buf, size, "%zu MiB", n >> 20);
    else if (n >= (1u << 20))
        snprintf(buf, size, "%.1f MiB", n / 1048576.0);
    else if (n >= 1024)
        snprintf(buf, size, "%zu KiB", n >> 10);
    else
        snprintf(buf, size, "%zu bytes", n);
}

/* The one entry of folder dir that is name with other capitals (into out,
 * of size cap), or 0. */
static int case_match(const char *dir, const char *name, char *out, size_t cap) {
    DIR *dp = opendir(*dir ? dir : ".");
    if (!dp) return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(dp)) && found < 2)
        if (strcasecmp(e->d_name, name) == 0 && strcmp(e->d_name, name) != 0 && strlen(e->d_name) < cap)
            found++, snprintf(out, cap, "%s", e->d_name);
    closedir(dp);
    return found == 1;
}

char *hd_strip_invisible(hd_arena *a, const char *s, size_t len) {
    char *out = hd_alloc(a, len + 1), *o = out;
    for (const char *p = s, *end = s + len; p < end;) {
        const char *c = p;
        if (!hd_invisible(hd_utf8_next(&p))) memcpy(o, c, (size_t)(p - c)), o += p - c;
    }
    *o = 0;
    return out;
}

char *hd_case_suggest(hd_arena *a, const char *path) {
    size_t n = strlen(path);
    if (n == 0 || n >= PATH_MAX) return NULL;
    char fixed[PATH_MAX], part[NAME_MAX + 1];
    size_t o = 0;
    int changed = 0;
    struct stat st;
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        size_t k = slash ? (size_t)(slash - p) : strlen(p);
        if (k == 0 || k > NAME_MAX) { /* "/" at the start, "//", or too long: kept as it is */
            if (o + k + 1 >= sizeof fixed) return NULL;
            memcpy(fixed + o, p, k + (slash != NULL));
            o += k + (slash != NULL);
            p += k + (slash != NULL);
            continue;
        }
        memcpy(part, p, k);
        part[k] = 0;
        fixed[o] = 0;
        char probe[PATH_MAX];
        if (snprintf(probe, sizeof probe, "%s%s", fixed, part) >= (int)sizeof probe) return NULL;
        if (stat(probe, &st) != 0) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s", fixed);
            if (o > 1 && dir[o - 1] == '/') dir[o - 1] = 0;
            if (!case_match(o ? dir : "", part, part, sizeof part)) return NULL;
            changed = 1;
        }
        size_t pk = strlen(part);
        if (o + pk + 2 >= sizeof fixed) return NULL;
        memcpy(fixed + o, part, pk);
        o += pk;
        if (slash) fixed[o++] = '/';
        p += k + (slash != NULL);
    }
    fixed[o] = 0;
    return changed && stat(fixed, &st) == 0 ? hd_strdup(a, fixed) : NULL;
}

hd_status hd_read_file(hd_arena *a, hd_diags *d, const char *path, size_t max_bytes, int text, const char *what,
                       hd_pos at, char **data, size_t *len) {
    *data = NULL;
    *len = 0;
    hd_pos here = at.file ? at : hd_pos_at(path, 0, 0);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR) {
            const char *fix = hd_case_suggest(a, path);
            if (fix)
                return hd_error(d, HD_ERR_CONTENT, here, "%s '%s' does not exist; did you mean '%s'? (names are "
                                "case-sensitive)", what, path, fix);
            return hd_error(d, HD_ERR_CONTENT, here, "%s '%s' does not exist; check the name and the folder", what, path);
        }
        return hd_error(d, HD_ERR_SYSTEM, here, "cannot open %s '%s': %s", what, path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return hd_error(d, HD_ERR_SYSTEM, here, "cannot read %s '%s': %s", what, path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return hd_error(d, HD_ERR_CONTENT, here, "'%s' is a folder, but a %s is needed here", path, what);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return hd_error(d, HD_ERR_CONTENT, here, "'%s' is not a regular file; a %s is needed here", path, what);
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        char lim[32];
        human_size(max_bytes, lim, sizeof lim);
        close(fd);
        return hd_error(d, HD_ERR_CONTENT, here, "%s '%s' is larger than the limit of %s (it has %llu bytes); make it smaller or split it into several files",
                        what, path, lim, (unsigned long long)st.st_size);
    }
    size_t size = (size_t)st.st_size;
    char *buf = hd_alloc(a, size + 1);
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            return hd_error(d, HD_ERR_SYSTEM, here, "cannot read %s '%s': %s", what, path, strerror(e));
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    if (text) {
        if (got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) { /* a BOM is harmless: drop it */
            buf += 3;
            got -= 3;
        }
        const char *nul = memchr(buf, 0, got);
        if (nul) {
            int l, c;
            hd_offset_to_linecol(buf, (size_t)(nul - buf), &l, &c);
            return hd_error(d, HD_ERR_CONTENT, hd_pos_at(path, l, c),
                            "the file contains a NUL byte; save it as plain UTF-8 text");
        }
        for (size_t i = 0; i < got; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || ch == 0x7F) {
                int l, c;
                hd_offset_to_linecol(buf, i, &l, &c);
                return hd_error(d, HD_ERR_CONTENT, hd_pos_at(path, l, c),
                                "the file contains an invisible control character (U+%04X) that cannot be printed; "
                                "delete it",
                                ch);
            }
        }
        long bad = hd_utf8_invalid_at(buf, got);
        if (bad >= 0) {
            int l, c;
            hd_offset_to_linecol(buf, (size_t)bad, &l, &c);
            return hd_error(d, HD_ERR_CONTENT, hd_pos_at(path, l, c),
                            "the file is not valid UTF-8 text (byte 0x%02X); save it with UTF-8 encoding",
                            (unsigned char)buf[bad]);
        }
    }
    *data = buf;
    *len = got;
    return HD_OK;
}

/* ---- writing ---- */

hd_status hd_mkdirs(hd_diags *d, const char *dir) {
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(dir, 0, 0), "bad output folder name");
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(buf, 0, 0), "cannot create folder: %s", strerror(errno));
            buf[i] = c;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(dir, 0, 0),
                        "cannot use this as the output folder: a file with that name is in the way; choose another "
                        "folder with -o");
    return HD_OK;
}

/* Durability: the data of the temporary file reaches the disk (fdatasync)
 * before the rename makes it visible, so after a crash the name holds the
 * previous file or the complete new one, never a partial one. The folder
 * itself is not synced: a crash right after a build may bring back the
 * previous PDF (still whole), which the next build replaces. */

/* A temporary file beside final_path (same folder: rename stays atomic). */
static int open_tmp(hd_diags *d, const char *final_path, char tmp[PATH_MAX]) {
    const char *slash = strrchr(final_path, '/');
    long pid = (long)getpid(); /* in the name: hd_remove_stale_tmp can tell a dead writer's file */
    int n = slash ? snprintf(tmp, PATH_MAX, "%.*s/.%s.tmp-%ld-XXXXXX", (int)(slash - final_path), final_path,
                             slash + 1, pid)
                  : snprintf(tmp, PATH_MAX, ".%s.tmp-%ld-XXXXXX", final_path, pid);
    if (n < 0 || n >= PATH_MAX) {
        hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0), "output path is too long");
        return -1;
    }
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd >= 0) flock(fd, LOCK_EX); /* held until the file is closed: hd_remove_stale_tmp leaves it alone */
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0),
                     "cannot write this file: its folder does not exist; create the folder or choose another path");
        else if (e == EACCES || e == EPERM || e == EROFS)
            hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0),
                     "cannot write this file: no permission to write in its folder (%s); choose another path",
                     strerror(e));
        else
            hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0), "cannot create a temporary file beside this file: %s",
                     strerror(e));
        return -1;
    }
    fchmod(fd, 0644);
    return fd;
}

/* Sync, close and rename fd (written at tmp) to final_path, or remove tmp
 * if s is already an error or any step fails. */
static hd_status finish_tmp(hd_diags *d, hd_status s, int fd, const char *tmp, const char *final_path, int sync) {
    if (s == HD_OK && sync && fdatasync(fd) != 0)
        s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0), "cannot flush the file to disk: %s", strerror(errno));
    if (close(fd) != 0 && s == HD_OK)
        s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0), "cannot write the file (disk full?)");
    if (s == HD_OK && rename(tmp, final_path) != 0)
        s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0), "cannot move the finished file into place: %s", strerror(errno));
    if (s != HD_OK) unlink(tmp);
    return s;
}

/* The pid in a temporary file's name as open_tmp makes it,
 * ".NAME.tmp-PID-XXXXXX", when NAME is base (or, base NULL, ends in ".pdf"
 * or ".pdf.d": what a build writes); else 0. */
static long tmp_owner(const char *name, const char *base) {
    if (name[0] != '.') return 0;
    const char *t = NULL;
    for (const char *p = strstr(name, ".tmp-"); p; p = strstr(p + 1, ".tmp-")) t = p;
    if (!t || t == name) return 0;
    size_t n = (size_t)(t - name - 1); /* NAME is name[1..1+n) */
    if (base ? strlen(base) != n || strncmp(name + 1, base, n) != 0
             : !((n > 4 && !strncmp(t - 4, ".pdf", 4)) || (n > 6 && !strncmp(t - 6, ".pdf.d", 6))))
        return 0;
    char *end;
    errno = 0;
    long pid = strtol(t + 5, &end, 10);
    if (errno || pid <= 0 || end == t + 5 || *end != '-' || strlen(end + 1) != 6) return 0;
    for (const char *q = end + 1; *q; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'))) return 0;
    return pid;
}

int hd_remove_stale_tmp(const char *dir, const char *base, long min_age_s) {
    DIR *dp = opendir(dir);
    if (!dp) return 0;
    int removed = 0;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        long pid = tmp_owner(e->d_name, base);
        if (pid == 0 || pid == (long)getpid()) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to ask */
        struct stat st;
        if (fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
            now - st.st_mtime < min_age_s)
            continue;
        /* its writer holds a lock on it for as long as it lives (open_tmp),
         * whatever PID namespace it runs in: a file we can lock is dead */
        /* read-write: over NFS, an exclusive lock needs a file open for writing */
        int fd = openat(dirfd(dp), e->d_name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) removed += unlinkat(dirfd(dp), e->d_name, 0) == 0;
        close(fd);
    }
    closedir(dp);
    return removed;
}

hd_status hd_write_atomic(hd_diags *d, const char *final_path, hd_write_fn fn, void *ctx) {
    char tmp[PATH_MAX];
    int fd = open_tmp(d, final_path, tmp);
    if (fd < 0) return HD_ERR_SYSTEM;
    return finish_tmp(d, fn(ctx, tmp, d), fd, tmp, final_path, 1);
}

/* Whether path is a regular file (not a symlink) holding exactly
 * data[0..len); if so, its modification time is set to now and, with sync,
 * its data synced (it may come from a --no-sync run). Any failure: 0, and
 * the caller writes the file as usual. */
static int same_file(const char *path, const void *data, size_t len, int sync) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return 0;
    struct stat st;
    int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (unsigned long long)st.st_size == len;
    unsigned char buf[16384];
    for (size_t off = 0; same && off < len;) {
        ssize_t n = pread(fd, buf, len - off < sizeof buf ? len - off : sizeof buf, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        same = n > 0 && memcmp(buf, (const unsigned char *)data + off, (size_t)n) == 0;
        off += n > 0 ? (size_t)n : 0;
    }
    same = same && futimens(fd, NULL) == 0 && (!sync || fdatasync(fd) == 0);
    close(fd);
    return same;
}

hd_status hd_write_atomic_bytes(hd_diags *d, const char *final_path, const void *data, size_t len, int sync,
                                int *unchanged) {
    int same = same_file(final_path, data, len, sync);
    if (unchanged) *unchanged = same;
    if (same) return HD_OK;
    char tmp[PATH_MAX];
    int fd = open_tmp(d, final_path, tmp);
    if (fd < 0) return HD_ERR_SYSTEM;
    hd_status s = HD_OK;
    const char *p = data;
    while (len > 0 && s == HD_OK) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0), "cannot write the file (disk full?): %s",
                         w < 0 ? strerror(errno) : "nothing written");
            break;
        }
        p += w, len -= (size_t)w;
    }
    return finish_tmp(d, s, fd, tmp, final_path, sync);
}

hd_status hd_atomic_open(hd_diags *d, const char *final_path, hd_atomic_file *t) {
    _Static_assert(sizeof t->tmp >= PATH_MAX, "hd_atomic_file.tmp must hold a path");
    t->final_path = final_path;
    t->f = NULL;
    int fd = open_tmp(d, final_path, t->tmp);
    if (fd < 0) return HD_ERR_SYSTEM;
    t->f = fdopen(fd, "w");
    if (!t->f) {
        close(fd);
        unlink(t->tmp);
        return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(final_path, 0, 0), "cannot write the file: %s", strerror(errno));
    }
    return HD_OK;
}

hd_status hd_atomic_close(hd_diags *d, hd_atomic_file *t, hd_status s, int sync) {
    if (!t->f) return s;
    if (s == HD_OK && (fflush(t->f) != 0 || ferror(t->f)))
        s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(t->final_path, 0, 0), "cannot write the file (disk full?)");
    if (s == HD_OK && sync && fdatasync(fileno(t->f)) != 0)
        s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(t->final_path, 0, 0), "cannot flush the file to disk: %s", strerror(errno));
    if (fclose(t->f) != 0 && s == HD_OK)
        s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(t->final_path, 0, 0), "cannot write the file (disk full?)");
    t->f = NULL;
    if (s == HD_OK && rename(t->tmp, t->final_path) != 0)
        s = hd_error(d, HD_ERR_SYSTEM, hd_pos_at(t->final_path, 0, 0), "cannot move the finished file into place: %s",
                     strerror(errno));
    if (s != HD_OK) unlink(t->tmp);
    return s;
}

void hd_sha256(const void *data, size_t len, unsigned char out[32]) {
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, len, data);
    sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

void hd_sha256_hex(const void *data, size_t len, char out[65]) {
    uint8_t dig[SHA256_DIGEST_SIZE];
    hd_sha256(data, len, dig);
    for (size_t i = 0; i < sizeof dig; i++) snprintf(out + 2 * i, 3, "%02x", dig[i]);
}
