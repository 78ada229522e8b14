/* main.c: the command line.
 *
 * Owns: argument parsing, finding the project, the job matrix (handouts x
 * clinics, sharding), the worker threads, progress, the JSON report, and
 * the exit code. It is the only place that decides how the process ends.
 */
#include <dirent.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "build.h"
#include "cache.h"
#include "spec.h"
#include "font.h"
#include "fsutil.h"
#include "image.h"

#ifndef HD_DATADIR
#define HD_DATADIR "/usr/local/share/handout"
#endif

static const char USAGE[] =
    "Usage: handout build [OPTIONS] SPEC.yaml...\n"
    "       handout check [OPTIONS] SPEC.yaml...\n"
    "\n"
    "Turn handout specs (YAML + Markdown) into patient handouts (PDF).\n"
    "  build   render each spec to DIR/<handout-id>.pdf (with --large-print:\n"
    "          DIR/<handout-id>.large-print.pdf)\n"
    "  check   validate everything a build would, and write nothing\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR     where PDFs go (default: out)\n"
    "  -c, --clinic IDS     build for these clinics (comma-separated) or 'all';\n"
    "                       PDFs then go to DIR/<clinic>/<handout-id>.pdf\n"
    "                       (large print: <handout-id>.large-print.pdf)\n"
    "  -j, --jobs N         render N documents in parallel (default: number of cores, plus one\n"
    "                       when building without --no-sync)\n"
    "      --shard K/N      build only the K-th of N equal parts of the job list\n"
    "      --report FILE    write a JSON report of every PDF built\n"
    "  -MD, --deps          also write <pdf>.d listing the files each PDF was made\n"
    "                       from, for make (like gcc -MD)\n"
    "      --root DIR       the project folder (default: the current folder)\n"
    "      --large-print    18 pt text or larger, larger headings, no italics\n"
    "      --strict         treat warnings (review date passed, hard reading\n"
    "                       level, unused sources) as errors\n"
    "      --no-sync        do not wait for each file to reach the disk (for CI\n"
    "                       workspaces thrown away after the run; files are still\n"
    "                       replaced atomically, but a power cut may lose them)\n"
    "      --no-cache       do not read or write the cache of font and logo data\n"
    "                       ($HANDOUT_CACHE_DIR, else ~/.cache/handout): it only saves\n"
    "                       time; PDFs are the same bytes with it or without it\n"
    "  -q, --quiet          print only errors and warnings\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n"
    "\n"
    "Exit status:\n"
    "  0  every handout was built (or checked) without errors\n"
    "  1  the content has errors (each is printed as file:line:col: error: ...)\n"
    "  2  wrong usage of the command line\n"
    "  3  a system or I/O error (missing install files, disk full, out of memory)\n"
    "  stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP: the documents being rendered are\n"
    "  finished, no more are started, and handout ends by that signal (a shell shows\n"
    "  130, 143 or 129); every PDF written is complete\n";

/* The last second of the year 9999: a PDF date has four digits for the year */
#define HD_MAX_EPOCH 253402300799LL

typedef struct {
    const char *cmd;
    const char *out_dir;
    const char *clinics;
    const char *report;
    const char *root;
    int jobs, quiet, deps, strict, large_print, shard_k, shard_n, no_sync, no_cache;
    const char *build_only; /* the first option given that only build takes, or NULL */
    char **specs;
    int nspecs;
} options;

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "handout: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'handout --help'.\n");
    va_end(ap);
    return HD_ERR_USAGE;
}

static int parse_int(const char *s, int *out) {
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (errno || e == s || *e || v < 1 || v > 4096) return 0;
    *out = (int)v;
    return 1;
}

static int parse_args(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o); /* out_dir: "out" unless -o, set after the options */
    o->jobs = 0; /* not given: set below */
    o->specs = calloc((size_t)argc, sizeof *o->specs);
    if (!o->specs) return HD_ERR_SYSTEM;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return -1;
        }
        if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            printf("handout %s\n", HD_VERSION);
            return -1;
        }
        if (a[0] != '-' || !strcmp(a, "-")) {
            if (!o->cmd) {
                if (strcmp(a, "build") && strcmp(a, "check")) return usage_error("unknown command '%s' (use build or check)", a);
                o->cmd = a;
            } else {
                o->specs[o->nspecs++] = argv[i];
            }
            continue;
        }
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++) o->specs[o->nspecs++] = argv[i];
            break;
        }
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        char name[32];
        size_t nl = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
        if (nl >= sizeof name) return usage_error("unknown option '%s'", a);
        memcpy(name, a, nl);
        name[nl] = 0;
        int takes = !strcmp(name, "-o") || !strcmp(name, "--output") || !strcmp(name, "-c") || !strcmp(name, "--clinic") ||
                    !strcmp(name, "-j") || !strcmp(name, "--jobs") || !strcmp(name, "--shard") || !strcmp(name, "--report") ||
                    !strcmp(name, "--root");
        if (takes) {
            if (eq && a[1] == '-')
                val = eq + 1;
            else if (a[1] != '-' && a[2])
                val = a + 2, name[2] = 0;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return usage_error("option '%s' needs a value", name);
        } else if (eq && a[1] == '-') {
            return usage_error("option '%s' takes no value; write it as '%s' alone or leave it out", name, name);
        } else if (a[1] != '-' && strlen(a) > 2 && strcmp(a, "-MD")) {
            /* -j4 style handled above; other bundles are not supported */
            if (a[1] == 'j' || a[1] == 'o' || a[1] == 'c') {
                val = a + 2;
                name[2] = 0;
                takes = 1;
            }
        }
        if (takes && !*val)
            return usage_error("option '%s' needs a value, not an empty string", name);
        /* an option with a value, given twice: the first would be lost */
        const char **once = !strcmp(name, "-o") || !strcmp(name, "--output") ? &o->out_dir
                            : !strcmp(name, "-c") || !strcmp(name, "--clinic") ? &o->clinics
                            : !strcmp(name, "--report")                        ? &o->report
                            : !strcmp(name, "--root")                          ? &o->root
                                                                               : NULL;
        if (once && *once)
            return usage_error("option '%s' is given twice ('%s' and '%s'); give it once%s", name, *once, val,
                               once == &o->clinics ? ", with the clinics separated by commas, like --clinic riverside,summit"
                                                   : "");
        if (!strcmp(name, "-o") || !strcmp(name, "--output"))
            o->out_dir = val, o->build_only = o->build_only ? o->build_only : "-o";
        else if (!strcmp(name, "-c") || !strcmp(name, "--clinic"))
            o->clinics = val;
        else if (!strcmp(name, "--report"))
            o->report = val, o->build_only = o->build_only ? o->build_only : "--report";
        else if (!strcmp(name, "--root"))
            o->root = val;
        else if (!strcmp(name, "-j") || !strcmp(name, "--jobs")) {
            if (!parse_int(val, &o->jobs)) return usage_error("-j needs a number of jobs from 1 to 4096, not '%s'", val);
        } else if (!strcmp(name, "--shard")) {
            int k, n;
            char extra;
            if (sscanf(val, "%d/%d%c", &k, &n, &extra) != 2 || n < 1 || k < 1 || k > n)
                return usage_error("--shard needs K/N with 1 <= K <= N, like 2/4, not '%s'", val);
            o->shard_k = k, o->shard_n = n;
        } else if (!strcmp(name, "-q") || !strcmp(name, "--quiet"))
            o->quiet = 1;
        else if (!strcmp(name, "-MD") || !strcmp(name, "--deps"))
            o->deps = 1, o->build_only = o->build_only ? o->build_only : a[1] == '-' ? "--deps" : "-MD";
        else if (!strcmp(name, "--strict"))
            o->strict = 1;
        else if (!strcmp(name, "--large-print"))
            o->large_print = 1;
        else if (!strcmp(name, "--no-sync"))
            o->no_sync = 1;
        else if (!strcmp(name, "--no-cache"))
            o->no_cache = 1;
        else
            return usage_error("unknown option '%s'", a);
        (void)takes;
    }
    if (!o->out_dir) o->out_dir = "out";
    if (!o->cmd) return usage_error("%s", "no command given (use build or check)");
    if (!o->nspecs) return usage_error("%s", "no spec files given, for example: handout build content/handouts/*.yaml");
    if (strcmp(o->cmd, "build") && o->build_only)
        return usage_error("'%s' is for build only: check writes nothing; leave it out, or use build", o->build_only);
    if (o->clinics && strcmp(o->clinics, "all")) {
        /* each id names a file: content/clinics/<id>.yaml */
        const char *t = o->clinics;
        for (;;) {
            size_t n = strcspn(t, ",");
            int ok = n > 0 && n <= 64 && t[0] != '-';
            for (size_t k = 0; ok && k < n; k++) ok = (t[k] >= 'a' && t[k] <= 'z') || (t[k] >= '0' && t[k] <= '9') || t[k] == '-';
            if (!ok && !n)
                return usage_error("--clinic '%s' has an empty clinic id; name clinics separated by commas, like "
                                   "--clinic summit,riverside, or 'all'",
                                   o->clinics);
            if (!ok)
                return usage_error("--clinic: '%.*s' is not a clinic id (lowercase letters, digits and hyphens, as in "
                                   "content/clinics/<id>.yaml); separate ids with commas and no spaces, like "
                                   "--clinic summit,riverside",
                                   (int)n, t);
            if (!t[n]) break;
            t += n + 1;
        }
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        /* as reproducible-builds.org asks: a malformed value is an error, not ignored */
        char *e;
        errno = 0;
        long long v = strtoll(sde, &e, 10);
        if (errno || *e || v < 0 || v > HD_MAX_EPOCH || sde[0] < '0' || sde[0] > '9')
            return usage_error("SOURCE_DATE_EPOCH is '%s': it must be a whole number of seconds since 1970-01-01 "
                               "UTC, from 0 to %lld (the end of the year 9999); fix or unset it",
                               sde, (long long)HD_MAX_EPOCH);
    }
    if (!o->jobs) {
        /* one document per core, and one more while PDFs are synced to disk:
         * a core then has work while another document waits for the disk
         * (measured, 1,000 PDFs on 2 cores: -j 2 1.73-1.84 s, -j 3 1.61-1.72 s) */
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        o->jobs = (nc > 0 ? (int)nc : 1) + (!strcmp(o->cmd, "build") && !o->no_sync);
    }
    return 0;
}

/* ---- the project ---- */

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *path_join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", a, b);
    return s;
}

typedef struct {
    char root[PATH_MAX], cwd[PATH_MAX];
    char *templates, *fonts, *clinics;
    hd_project p;
} project;

/* Templates and fonts: the project's own, else beside the program
 * (bin/../templates when run from a checkout), else the installed ones. */
static char *find_dir(const char *root, const char *exe_dir, const char *name, const char *probe) {
    char *cands[4] = {0};
    cands[0] = path_join(root, name);
    if (exe_dir) {
        char *up = path_join(exe_dir, "..");
        cands[1] = up ? path_join(up, name) : NULL;
        char *sh = up ? path_join(up, "share/handout") : NULL;
        cands[2] = sh ? path_join(sh, name) : NULL;
        free(up);
        free(sh);
    }
    cands[3] = path_join(HD_DATADIR, name);
    char *found = NULL;
    for (int i = 0; i < 4; i++) {
        if (!found && cands[i]) {
            char *p = path_join(cands[i], probe);
            char real[PATH_MAX];
            struct stat ls;
            if (p && is_dir(p)) /* root is resolved: root/name needs resolving only if it is a link */
                found = i == 0 && lstat(cands[i], &ls) == 0 && !S_ISLNK(ls.st_mode) ? cands[i]
                        : realpath(cands[i], real)                               ? strdup(real)
                                                                                 : cands[i];
            if (found == cands[i]) cands[i] = NULL;
            free(p);
        }
        free(cands[i]);
    }
    return found ? found : path_join(root, name);
}

/* Diagnostics read better with paths relative to the current folder. */
static char *relative(char *abs, const char *cwd) {
    if (!abs || !cwd) return abs;
    size_t n = strlen(cwd);
    if (strncmp(abs, cwd, n) || abs[n] != '/') return abs;
    char *r = strdup(abs + n + 1);
    if (!r) return abs;
    free(abs);
    return r;
}

static int find_project(const options *o, project *pr) {
    const char *root = o->root ? o->root : ".";
    if (!realpath(root, pr->root)) {
        fprintf(stderr, "handout: cannot open the project folder '%s': %s\n", root, strerror(errno));
        return HD_ERR_USAGE;
    }
    /* the program's folder (the kernel gives it resolved) and the current
     * folder, each asked once */
    char exe[PATH_MAX], *exe_dir = NULL;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0, exe_dir = exe;
    }
    const char *cwd = getcwd(pr->cwd, sizeof pr->cwd);
    pr->templates = relative(find_dir(pr->root, exe_dir, "templates", "safety"), cwd);
    pr->fonts = relative(find_dir(pr->root, exe_dir, "fonts", "dejavu-sans"), cwd);
    pr->clinics = relative(path_join(pr->root, "content/clinics"), cwd);
    if (!pr->templates || !pr->fonts || !pr->clinics) return HD_ERR_SYSTEM;
    pr->p.cwd = cwd;
    pr->p.root_fd = open(pr->root, O_PATH | O_DIRECTORY | O_CLOEXEC); /* -1: hd_resolve uses realpath */
    pr->p.root = pr->root;
    pr->p.templates = pr->templates;
    pr->p.fonts = pr->fonts;
    pr->p.clinics = pr->clinics;
    return 0;
}

/* What the installation must provide: a broken install is a system error
 * (3), said once, not once per document. */
static int check_install(const project *pr) {
    const char *what[2][2] = {{pr->templates, "templates"}, {pr->fonts, "fonts"}};
    for (int i = 0; i < 2; i++)
        if (!is_dir(what[i][0])) {
            fprintf(stderr,
                    "handout: the %s folder '%s' is missing, and none is installed beside the program or in %s: "
                    "run make in the project, or reinstall handout\n",
                    what[i][1], what[i][0], HD_DATADIR);
            return HD_ERR_SYSTEM;
        }
    return 0;
}

/* Each spec as the project's path checks see it: its folder resolved like
 * the root (links followed, so a project reached through a link works),
 * its file name kept, relative to the current folder when inside it. A
 * spec outside the project is a usage error, said once. A spec given twice
 * (also by another path to the same file) is built once, where it first
 * appears. Paths come from a (or argv). */
static int resolve_specs(hd_arena *a, options *o, const project *pr) {
    int outside = 0, n = 0;
    const char *out_name = NULL; /* the first spec outside, as given */
    dev_t *dev = hd_allocn(a, (size_t)o->nspecs + 1, sizeof *dev);
    ino_t *ino = hd_allocn(a, (size_t)o->nspecs + 1, sizeof *ino);
    if (!dev || !ino) return HD_ERR_SYSTEM;
    for (int i = 0; i < o->nspecs; i++) {
        char *s = o->specs[i];
        const char *slash = strrchr(s, '/');
        const char *base = slash ? slash + 1 : s;
        char *dir = slash ? hd_sprintf(a, "%.*s", (int)(slash - s), s) : ".", real[PATH_MAX];
        if (slash == s) dir = "/";
        if (*base && strcmp(base, ".") && strcmp(base, "..") && realpath(dir, real)) {
            char *abs = hd_sprintf(a, "%s/%s", strcmp(real, "/") ? real : "", base);
            if (!hd_path_inside(pr->root, abs) && outside++ == 0) out_name = o->specs[i];
            size_t cl = strlen(pr->cwd);
            s = pr->cwd[0] && !strncmp(abs, pr->cwd, cl) && abs[cl] == '/' && cl > 1 ? abs + cl + 1 : abs;
        }
        struct stat st;
        int dup = 0;
        if (stat(s, &st) == 0) {
            for (int k = 0; k < n && !dup; k++) dup = dev[k] == st.st_dev && ino[k] == st.st_ino;
            dev[n] = st.st_dev, ino[n] = st.st_ino;
        } else {
            for (int k = 0; k < n && !dup; k++) dup = !strcmp(o->specs[k], s);
            dev[n] = 0, ino[n] = 0;
        }
        if (!dup) o->specs[n++] = s;
    }
    o->nspecs = n;
    if (outside) {
        fprintf(stderr,
                "handout: '%s'%s %s outside the project folder, which is %s '%s'; run handout from the project "
                "folder, or name it with --root DIR\nTry 'handout --help'.\n",
                out_name, outside > 1 ? hd_sprintf(a, " and %d more specs", outside - 1) : "",
                outside > 1 ? "are" : "is", o->root ? "the --root folder" : "the current folder", pr->root);
        return HD_ERR_USAGE;
    }
    return 0;
}

/* --report: what can be told before any work (a folder where the file
 * should be would only fail when the report is moved into place, after
 * the whole batch). */
static int check_report_path(const options *o) {
    if (!o->report) return 0;
    size_t n = strlen(o->report);
    if (o->report[n - 1] == '/')
        return usage_error("--report '%s' ends in '/'; name the report file, like --report %sreport.json", o->report,
                           o->report);
    if (is_dir(o->report))
        return usage_error("--report '%s' is a folder; name the report file, like --report %s/report.json", o->report,
                           o->report);
    struct stat st;
    if (stat(o->report, &st) != 0 && errno == ENOTDIR)
        return usage_error("--report '%s': a part of that path is a file, not a folder; choose another path",
                           o->report);
    return 0;
}

/* -o: a file where the output folder should be (or in its path) would only
 * fail when the first PDF is written. */
static int check_out_path(const options *o) {
    if (!o->out_dir) return 0;
    struct stat st;
    if (stat(o->out_dir, &st) == 0 ? !S_ISDIR(st.st_mode) : errno == ENOTDIR)
        return usage_error("-o '%s' is a file, or a path through a file, not a folder: name a folder for the PDFs",
                           o->out_dir);
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Clinic ids from --clinic: a list (each with a profile), or every
 * profile for 'all'. */
/* The ids of the profiles in folder dir (NAME.yaml), sorted, malloc'd; 0,
 * or an errno. */
static int clinic_ids(const char *dir, char ***out, int *n) {
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return errno ? errno : EIO;
    char **v = NULL;
    int cnt = 0, cap = 0, err = 0;
    struct dirent *e;
    while (!err && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") || e->d_name[0] == '.') continue;
        if (cnt == cap) {
            char **nv = realloc(v, sizeof *v * (size_t)(cap = cap ? cap * 2 : 16));
            if (!nv) {
                err = ENOMEM;
                break;
            }
            v = nv;
        }
        if (!(v[cnt] = strndup(e->d_name, l - 5))) err = ENOMEM;
        else cnt++;
    }
    closedir(d);
    if (err) {
        for (int k = 0; k < cnt; k++) free(v[k]);
        free(v);
        return err;
    }
    if (cnt) qsort(v, (size_t)cnt, sizeof *v, cmp_str);
    *out = v;
    *n = cnt;
    return 0;
}

static int list_clinics(const options *o, const project *pr, char ***out, int *n) {
    *out = NULL;
    *n = 0;
    if (!o->clinics) return 0;
    char **v = NULL;
    int cnt = 0, cap = 0;
    if (!strcmp(o->clinics, "all")) {
        int e = clinic_ids(pr->clinics, &v, &cnt);
        if (e) {
            fprintf(stderr, "handout: cannot list clinic profiles in '%s': %s\n", pr->clinics, strerror(e));
            return HD_ERR_SYSTEM;
        }
        if (!cnt) {
            fprintf(stderr, "handout: --clinic all: no clinic profiles in '%s'\n", pr->clinics);
            return HD_ERR_USAGE;
        }
    } else {
        char *copy = strdup(o->clinics), *save = NULL;
        int nomem = !copy;
        for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !nomem; t = strtok_r(NULL, ",", &save)) {
            int seen = 0; /* a clinic named twice is built once */
            for (int k = 0; k < cnt && !seen; k++) seen = !strcmp(v[k], t);
            if (seen) continue;
            if (cnt == cap) {
                char **nv = realloc(v, sizeof *v * (size_t)(cap = cap ? cap * 2 : 16));
                if (!nv) {
                    nomem = 1;
                    break;
                }
                v = nv;
            }
            if (!(v[cnt] = strdup(t))) nomem = 1;
            else cnt++;
        }
        free(copy);
        if (nomem) {
            fprintf(stderr, "handout: out of memory reading --clinic\n");
            for (int k = 0; k < cnt; k++) free(v[k]);
            free(v);
            return HD_ERR_SYSTEM;
        }
        for (int i = 0; i < cnt; i++) {
            char *f = path_join(pr->clinics, v[i]), *y = f ? malloc(strlen(f) + 6) : NULL;
            struct stat st;
            int there = y && (sprintf(y, "%s.yaml", f), stat(y, &st) == 0);
            free(f);
            free(y);
            if (!there) {
                char **ids;
                int nids;
                fprintf(stderr, "handout: --clinic: there is no clinic profile '%s' (%s/%s.yaml); ", v[i], pr->clinics,
                        v[i]);
                if (clinic_ids(pr->clinics, &ids, &nids) == 0 && nids > 0) {
                    fprintf(stderr, "the profiles are:");
                    for (int k = 0; k < nids; k++) fprintf(stderr, "%s %s", k ? "," : "", ids[k]), free(ids[k]);
                    free(ids);
                    fprintf(stderr, "; check the id, or use --clinic all\n");
                } else {
                    fprintf(stderr, "there are no clinic profiles in '%s': add one, or leave out --clinic\n", pr->clinics);
                }
                fprintf(stderr, "Try 'handout --help'.\n");
                for (int k = 0; k < cnt; k++) free(v[k]);
                free(v);
                return HD_ERR_USAGE;
            }
        }
    }
    *out = v;
    *n = cnt;
    return 0;
}

/* Two specs with the same id would write the same PDF, the second silently
 * replacing the first. Find them before building: each job of the later
 * spec fails with an error naming the first (counted and reported like any
 * failed job). Returns one entry per spec (id NULL: not a duplicate). */
typedef struct {
    char *id;        /* malloc'd: the id used twice */
    int line, col;   /* where this spec says it */
    const char *first; /* the spec that used it first */
} dupinfo;

static dupinfo *duplicate_ids(const project *pr, char **specs, int n) {
    dupinfo *dup = calloc((size_t)n + 1, sizeof *dup);
    char **ids = calloc((size_t)n + 1, sizeof *ids);
    if (!dup || !ids) {
        free(ids);
        return dup;
    }
    for (int i = 0; i < n; i++) {
        hd_arena *a = hd_arena_new();
        hd_diags d;
        hd_diags_init(&d);
        hd_spec sp;
        if (a && hd_spec_load(a, &d, &pr->p, specs[i], &sp) == HD_OK) {
            ids[i] = strdup(sp.id);
            for (int k = 0; k < i && ids[i]; k++)
                if (ids[k] && !strcmp(ids[k], ids[i])) {
                    dup[i] = (dupinfo){strdup(sp.id), sp.id_pos.line, sp.id_pos.col, specs[k]};
                    break;
                }
        }
        hd_diags_free(&d);
        hd_arena_free(a);
    }
    for (int i = 0; i < n; i++) free(ids[i]);
    free(ids);
    return dup;
}

/* ---- the JSON report ---- */

/* A JSON string. Bytes that are not UTF-8 (a file name in Latin-1) are
 * written as U+FFFD, so the report is always valid JSON. */
static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else if (c < 0x80)
            fputc(c, f);
        else {
            size_t len = strnlen(s, 4);
            if (hd_utf8_invalid_at(s, len) == 0) {
                fputs("\\ufffd", f);
                continue;
            }
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            fwrite(s, 1, n, f);
            s += n - 1;
        }
    }
    fputc('"', f);
}

/* , "name": ["file:line:col: error: ...", ...] for one severity */
static void json_diags(FILE *f, const char *name, const hd_diags *d, hd_severity sev) {
    fprintf(f, ", \"%s\": [", name);
    int n = 0;
    for (size_t k = 0; k < d->n; k++) {
        if (d->v[k].sev != sev) continue;
        const hd_diag *g = &d->v[k];
        size_t size = (g->file ? strlen(g->file) : 0) + strlen(g->msg) + 64; /* whole: not cut */
        char small[1400], *buf = size <= sizeof small ? small : malloc(size);
        if (!buf) buf = small, size = sizeof small;
        hd_diag_format(g, buf, size);
        fprintf(f, "%s", n++ ? ", " : "");
        json_str(f, buf);
        if (buf != small) free(buf);
    }
    fprintf(f, "]");
}

/* One document's entry; first: no comma before it. */
static void report_entry(FILE *f, int first, const hd_job *j, const hd_result *r) {
    fprintf(f, "%s\n    {\"spec\": ", first ? "" : ",");
    json_str(f, j->spec_path);
    fprintf(f, ", \"handout\": ");
    json_str(f, r->handout_id);
    fprintf(f, ", \"clinic\": ");
    json_str(f, r->clinic_id ? r->clinic_id : j->clinic);
    if (r->language[0]) {
        fprintf(f, ", \"language\": ");
        json_str(f, r->language);
    }
    if (r->template_name[0]) {
        fprintf(f, ", \"template\": ");
        json_str(f, r->template_name);
    }
    fprintf(f, ", \"large_print\": %s", j->large_print ? "true" : "false");
    fprintf(f, ", \"status\": \"%s\", \"exit\": %d", r->status == HD_OK ? "ok" : "failed", (int)r->status);
    if (r->out_path) {
        fprintf(f, ", \"path\": ");
        json_str(f, r->out_path);
        fprintf(f, ", \"unchanged\": %s", r->unchanged ? "true" : "false");
    }
    if (r->status == HD_OK) fprintf(f, ", \"pages\": %d, \"bytes\": %zu, \"sha256\": \"%s\"", r->pages, r->bytes, r->sha256);
    if (r->reading.source) {
        fprintf(f, ", \"readability\": {\"grade_name\": \"%s\", \"ease_name\": \"%s\", \"words\": %zu, "
                   "\"sentences\": %zu, \"syllables\": %zu, \"grade\": %.2f, \"ease\": %.2f, \"sections\": [",
                r->grade_name, r->ease_name, r->reading.words, r->reading.sentences, r->reading.syllables,
                r->reading.grade, r->reading.ease);
        for (int k = 0; k < r->nsections; k++) {
            const hd_read_score *sc = &r->sections[k];
            fprintf(f, "%s{\"source\": ", k ? ", " : "");
            json_str(f, sc->source);
            fprintf(f, ", \"words\": %zu, \"grade\": %.2f, \"ease\": %.2f}", sc->words, sc->grade, sc->ease);
        }
        fprintf(f, "]}");
    }
    fprintf(f, ", \"ms\": %.2f, \"safety\": [", r->ms);
    for (int k = 0; k < r->nsafety; k++) {
        fprintf(f, "%s{\"id\": ", k ? ", " : "");
        json_str(f, r->safety[k].id);
        fprintf(f, ", \"version\": %d, \"sha256\": \"%s\"}", r->safety[k].version, r->safety[k].sha256);
    }
    fprintf(f, "]");
    json_diags(f, "errors", &r->diags, HD_SEV_ERROR);
    json_diags(f, "warnings", &r->diags, HD_SEV_WARNING);
    fprintf(f, "}");
}

/* ---- stopping on a signal ----
 *
 * SIGINT (Ctrl-C), SIGTERM (a CI job cancelled) and SIGHUP would kill the
 * process mid-write and leave hidden temporary files. Instead the first one
 * is noted here and the workers take no new document: the ones in hand are
 * finished (written atomically, reported), the report is closed with
 * "interrupted", and main exits with 128 + the signal number. A second one
 * kills as usual (SA_RESETHAND).
 *
 * stop_signal is the program's one piece of process-wide mutable state: a
 * signal handler can reach nothing else. Only main.c reads it (workers,
 * between documents); nothing that renders a document touches it. (A thread
 * waiting in sigwait would need none, but a second thread puts glibc into
 * its multi-threaded mode, measured 1.7 ms slower on a one-handout run.) */
static atomic_int stop_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs a lock-free atomic int");

static void on_stop_signal(int sig) {
    atomic_store(&stop_signal, sig); /* lock-free: safe in a handler */
}

/* A signal the parent set to be ignored (nohup, a shell's background job)
 * stays ignored. */
static void stop_on_signals(void) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) sigaction(sigs[i], &sa, NULL);
}

/* ---- workers ----
 *
 * Jobs are numbered 0..total-1 over the matrix (spec i / per, clinic i %
 * per); a job outside this shard is skipped; one of a spec whose id is a
 * duplicate fails without being built. Each job's hd_job is made from its number when a worker takes it
 * and its result is reported (diagnostics, "wrote" line, report entry) as
 * soon as every job before it has been: the output is in job order, appears
 * while the batch runs, and memory stays flat as the batch grows (a pointer
 * and a byte per job; each result is freed once reported). */

typedef struct {
    hd_job base; /* what every job shares */
    const options *o;
    char **clinics;
    int per, total;
    const dupinfo *dup; /* per spec: its id if another spec used it first; or NULL */
    atomic_int next;
    pthread_mutex_t lock; /* everything below */
    hd_result **results;  /* finished, not yet reported; NULL otherwise */
    int emit;             /* the next job to report */
    int built, ok, failed, worst;
    int unchanged; /* of ok: PDFs that were already there, byte for byte */
    FILE *report; /* NULL: no --report */
    int nreported;
    int progress; /* a terminal: redraw one line */
    int todo;     /* jobs in this run (for progress) */
    hd_result no_memory; /* stands for a job whose result could not be allocated */
} pool;

static int skipped(const pool *pl, int i) {
    const options *o = pl->o;
    return o->shard_n && i % o->shard_n != o->shard_k - 1;
}

static void make_job(const pool *pl, int i, hd_job *j) {
    *j = pl->base;
    j->spec_path = pl->o->specs[i / pl->per];
    j->clinic = pl->clinics ? pl->clinics[i % pl->per] : NULL;
}

/* Report job i (called with the lock held). */
static void emit(pool *pl, int i, hd_result *r) {
    const options *o = pl->o;
    hd_job j;
    make_job(pl, i, &j);
    if (pl->progress) fputs("\r\033[K", stderr); /* clear the progress line */
    hd_diags_print(&r->diags, stderr);
    if (r == &pl->no_memory) fprintf(stderr, "handout: %s: out of memory\n", j.spec_path);
    if (r->status == HD_OK) {
        pl->ok++;
        pl->unchanged += r->unchanged;
        if (!o->quiet && r->out_path)
            printf("%s %s (%d pages, %zu bytes)\n", r->unchanged ? "unchanged" : "wrote", r->out_path, r->pages, r->bytes);
        if (!o->quiet && !r->out_path)
            printf("ok %s%s%s\n", j.spec_path, j.clinic ? " for " : "", j.clinic ? j.clinic : "");
    } else {
        pl->failed++;
        if (r->status == HD_ERR_SYSTEM || pl->worst == 0) pl->worst = r->status;
    }
    if (pl->report) report_entry(pl->report, pl->nreported++ == 0, &j, r);
    fflush(stdout);
}

static void finish(pool *pl, int i, hd_result *r) {
    pthread_mutex_lock(&pl->lock);
    pl->results[i] = r;
    pl->built++;
    while (pl->emit < pl->total && (skipped(pl, pl->emit) || pl->results[pl->emit])) {
        hd_result *e = pl->results[pl->emit];
        if (e) {
            emit(pl, pl->emit, e);
            if (e != &pl->no_memory) {
                hd_result_free(e);
                free(e);
            }
            pl->results[pl->emit] = NULL;
        }
        pl->emit++;
    }
    if (pl->progress) {
        fprintf(stderr, "\r[%d/%d] built, %d failed", pl->built, pl->todo, pl->failed);
        fflush(stderr);
    }
    pthread_mutex_unlock(&pl->lock);
}

static void *worker(void *arg) {
    pool *pl = arg;
    for (;;) {
        if (atomic_load(&stop_signal)) break; /* interrupted: start nothing more */
        int i = atomic_fetch_add(&pl->next, 1);
        if (i >= pl->total) break;
        if (skipped(pl, i)) continue;
        hd_job j;
        make_job(pl, i, &j);
        hd_result *r = malloc(sizeof *r);
        const dupinfo *du = pl->dup ? &pl->dup[i / pl->per] : NULL;
        if (r && du && du->id) {
            memset(r, 0, sizeof *r);
            hd_diags_init(&r->diags);
            r->handout_id = strdup(du->id);
            r->status = hd_error(&r->diags, HD_ERR_CONTENT, hd_pos_at(j.spec_path, du->line, du->col),
                                 "handout id '%s' is already used by %s; give each handout its own id", du->id,
                                 du->first);
        } else if (r)
            hd_build(&j, r);
        else
            r = &pl->no_memory; /* reported as a failed job */
        finish(pl, i, r);
    }
    return NULL;
}

/* Runs of at most this many documents write font subsets to the cache. */
#define CACHE_BULK_MAX 4

/* SOURCE_DATE_EPOCH, checked by parse_args; -1 when unset or empty */
static long long source_date_epoch(void) {
    const char *s = getenv("SOURCE_DATE_EPOCH");
    return s && *s ? strtoll(s, NULL, 10) : -1;
}

/* Memory, set up once for the process. A page fault costs about 10 us on
 * the virtual machines this was measured on (touching 4 MB page by page:
 * 10 ms), and even a page mapped in advance costs about 1.5 us the first
 * time it is touched if it is a small (4 KB) page, against nothing for a
 * 2 MB huge page (measured: 1,024 small pages 1.3-2.1 ms, two huge pages
 * 0.02 ms). A handout with a logo peaks around 4 MB of heap. So: large
 * blocks come from the heap, not from a fresh mmap each (whose pages fault
 * again every time); freed memory stays with the process for the next
 * document; and HEAP_PREFAULT bytes of heap are mapped in one call, as
 * huge pages where the kernel allows (one handout: 11.8 -> 10.9 ms median
 * against small pages prefaulted the same way). Each step is advice: if
 * the kernel refuses it, memory is faulted in as usual. */
#define HEAP_PREFAULT (4u << 20)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
static void setup_memory(void) {
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    /* the gap and the prefault below count against a data size limit: with
     * a tight one (ulimit -d), leave the heap to grow as it needs */
    struct rlimit rl;
    if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < ((rlim_t)256 << 20)) return;
    char *brk0 = sbrk(0);
    long pg = sysconf(_SC_PAGESIZE);
    if (brk0 == (char *)-1 || pg <= 0) return;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    /* the heap so far, from its first page: what the libraries'
     * constructors and the argument parser took (measured: 33 faults) */
    char *lo = (char *)(((uintptr_t)(brk0 - mallinfo2().arena) + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1));
    if (brk0 > lo) madvise(lo, (size_t)(brk0 - lo), MADV_POPULATE_WRITE);
#endif
    /* Then HEAP_PREFAULT bytes as whole 2 MB huge pages: the break is moved
     * to one page below a 2 MB boundary (malloc takes the break where it
     * finds it; the gap is never touched), so the block malloc adds has its
     * header in that page and its end past the huge pages, and nothing
     * touches them before they are mapped (a 2 MB range with one small
     * page in it can only get small pages). */
    uintptr_t huge = (uintptr_t)2 << 20;
    char *base = (char *)(((uintptr_t)brk0 + (uintptr_t)pg + huge - 1) & ~(huge - 1));
    if (sbrk((intptr_t)(base - brk0) - (intptr_t)pg) == (void *)-1) return;
    void *probe = malloc(HEAP_PREFAULT + (size_t)pg);
    char *hi = sbrk(0);
    if (probe && hi != (char *)-1 && hi >= base + HEAP_PREFAULT) {
#ifdef MADV_HUGEPAGE
        madvise(base, HEAP_PREFAULT, MADV_HUGEPAGE);
#endif
        madvise(base, (size_t)(hi - base), MADV_POPULATE_WRITE);
    }
    free(probe);
}

/* Temporary files that a killed or crashed build left in the folders this
 * run writes to (see hd_remove_stale_tmp): removed before it starts. */
#define STALE_TMP_AGE 60 /* seconds */
static void remove_stale_tmp(const char *out_dir, char **clinics, int nclinics) {
    hd_remove_stale_tmp(out_dir, NULL, STALE_TMP_AGE);
    for (int i = 0; i < nclinics; i++) {
        char *dir = path_join(out_dir, clinics[i]);
        if (dir) hd_remove_stale_tmp(dir, NULL, STALE_TMP_AGE);
        free(dir);
    }
}

int main(int argc, char **argv) {
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc) {
        free(o.specs);
        return rc < 0 ? 0 : rc;
    }
    setup_memory(); /* not for --help or --version */
    stop_on_signals(); /* before any file is made (the report's temporary file is first) */
    /* output streams while the batch runs: a reader that goes away (| head)
     * must not kill the build half-way; lines it misses are lost, the PDFs
     * and the report are still written */
    signal(SIGPIPE, SIG_IGN);
    int sig = 0; /* the signal that stopped the run, if one did */
    project pr = {0};
    char **clinics = NULL;
    int nclinics = 0;
    hd_fontlib *lib = NULL;
    hd_cache *cache = NULL;
    hd_imagecache *images = NULL;
    dupinfo *dup = NULL;
    hd_arena *arena = NULL;
    hd_atomic_file report = {0};
    pool pl = {0};
    pthread_mutex_init(&pl.lock, NULL);
    arena = hd_arena_new();
    if (!arena) {
        rc = HD_ERR_SYSTEM;
        goto out;
    }
    if ((rc = find_project(&o, &pr)) || (rc = check_install(&pr)) || (rc = resolve_specs(arena, &o, &pr)) ||
        (rc = check_report_path(&o)) || (rc = check_out_path(&o)) || (rc = list_clinics(&o, &pr, &clinics, &nclinics)))
        goto out;
    /* the output folder as text: "out/" is "out" (so paths in the .d files,
     * the "wrote" lines and the report are the ones make and scripts
     * expect), and "x/../y" is "y" (no folder x is made) */
    o.out_dir = hd_path_normalise(arena, o.out_dir);
    for (const char *c = o.out_dir; o.deps && *c; c++)
        if (*c == ':' || *c == '%' || *c == '\\' || (unsigned char)*c < 0x20 || *c == 0x7F) {
            rc = usage_error("-MD: make cannot read the output folder '%s' in a dependency file (it has '%c'); "
                             "choose a folder without ':', '%%' or '\\' for -o",
                             o.out_dir, (unsigned char)*c < 0x20 ? '?' : *c);
            goto out;
        }
    lib = hd_fontlib_new(pr.fonts);
    images = hd_imagecache_new();
    if (!lib || !images) {
        rc = HD_ERR_SYSTEM;
        goto out;
    }
    /* the job matrix: every spec for every clinic, in a fixed order */
    pl.o = &o;
    pl.clinics = nclinics ? clinics : NULL;
    pl.per = nclinics ? nclinics : 1;
    pl.total = o.nspecs * pl.per;
    pl.results = calloc((size_t)pl.total + 1, sizeof *pl.results);
    if (!pl.results) {
        rc = HD_ERR_SYSTEM;
        goto out;
    }
    pl.no_memory.status = HD_ERR_SYSTEM;
    hd_diags_init(&pl.no_memory.diags);
    dup = o.nspecs > 1 ? duplicate_ids(&pr, o.specs, o.nspecs) : NULL;
    pl.dup = dup;
    long long epoch = source_date_epoch();
    /* "today" for review dates: SOURCE_DATE_EPOCH when set, so CI runs are repeatable */
    time_t now = epoch >= 0 ? (time_t)epoch : time(NULL);
    struct tm today;
    gmtime_r(&now, &today);
    hd_job *j = &pl.base;
    j->proj = &pr.p;
    j->fonts = lib;
    j->images = images;
    j->out_dir = strcmp(o.cmd, "build") ? NULL : o.out_dir;
    j->clinic_subdir = nclinics > 0;
    j->epoch = epoch;
    j->deps = o.deps;
    j->want_sha256 = o.report != NULL;
    j->no_sync = o.no_sync;
    j->strict = o.strict;
    j->large_print = o.large_print;
    j->today_y = today.tm_year + 1900, j->today_m = today.tm_mon + 1, j->today_d = today.tm_mday;
    for (int i = 0; i < pl.total; i++) pl.todo += !skipped(&pl, i);
    /* The disk cache: read by every run; font subsets written only by runs
     * of a few documents (an edit-and-look loop, make building one PDF per
     * rule), not by a big batch, whose subsets are seldom asked for again
     * and would crowd the folder (in one process, each face is read once
     * anyway). */
    if (!o.no_cache && (cache = hd_cache_new(NULL, pl.todo <= CACHE_BULK_MAX)) != NULL) {
        hd_fontlib_set_cache(lib, cache);
        hd_imagecache_set_cache(images, cache);
    }
    if (j->out_dir) remove_stale_tmp(j->out_dir, clinics, nclinics);
    if (o.report) { /* opened first: a report that cannot be written stops the run before any work */
        hd_diags d;
        hd_diags_init(&d);
        /* its folder is made like the output folder (often it is inside it) */
        char *dir = strdup(o.report), *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash && slash != dir) *slash = 0;
        struct stat dst;
        hd_status ds = HD_OK;
        if (!dir)
            ds = hd_error(&d, HD_ERR_SYSTEM, hd_pos_at(o.report, 0, 0), "out of memory");
        else if (slash && stat(dir, &dst) == 0 && !S_ISDIR(dst.st_mode))
            ds = hd_error(&d, HD_ERR_SYSTEM, hd_pos_at(dir, 0, 0),
                          "cannot write the report here: this is a file, not a folder; choose another path for "
                          "--report");
        else if (slash)
            ds = hd_mkdirs(&d, slash == dir ? "/" : dir);
        if (ds == HD_OK)
            hd_remove_stale_tmp(slash ? (slash == dir ? "/" : dir) : ".", slash ? slash + 1 : dir, STALE_TMP_AGE);
        free(dir);
        if (ds != HD_OK || hd_atomic_open(&d, o.report, &report) != HD_OK) {
            hd_diags_print(&d, stderr);
            hd_diags_free(&d);
            rc = HD_ERR_SYSTEM;
            goto out;
        }
        hd_diags_free(&d);
        pl.report = report.f;
        /* jobs: how many documents this run was to make (its shard's part
         * of the matrix of specs x clinics): a merge of the shards' reports
         * can check that it has them all */
        fprintf(pl.report, "{\n  \"tool\": \"handout %s\",\n  \"command\": \"%s\",\n  \"shard\": ", HD_VERSION, o.cmd);
        if (o.shard_n)
            fprintf(pl.report, "\"%d/%d\"", o.shard_k, o.shard_n);
        else
            fprintf(pl.report, "null");
        fprintf(pl.report, ",\n  \"matrix\": %d,\n  \"jobs\": %d,\n  \"documents\": [", pl.total, pl.todo);
    }
    pl.progress = !o.quiet && isatty(2) && pl.todo > 1;
    int nthreads = o.jobs < pl.todo ? o.jobs : pl.todo;
    if (nthreads <= 1) {
        worker(&pl);
    } else {
        pthread_t *th = calloc((size_t)nthreads, sizeof *th);
        int started = 0;
        for (int i = 0; th && i < nthreads; i++)
            if (pthread_create(&th[i], NULL, worker, &pl) == 0) started++;
        if (!started) worker(&pl);
        for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
        free(th);
    }
    sig = atomic_load(&stop_signal);
    if (pl.progress) fputs("\r\033[K", stderr);
    int n = pl.ok + pl.failed;
    if (sig)
        fprintf(stderr, "handout: stopped by %s: %d of %d handouts %s (%d failed), %d not started%s\n",
                sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP", pl.ok, pl.todo,
                strcmp(o.cmd, "build") ? "checked" : "built", pl.failed, pl.todo - n,
                strcmp(o.cmd, "build") ? "" : "; every PDF written is complete");
    else if (!o.quiet && n > 1) {
        char same[48] = "";
        if (pl.unchanged) snprintf(same, sizeof same, " (%d unchanged)", pl.unchanged);
        printf("%d of %d handouts %s%s, %d failed\n", pl.ok, n, strcmp(o.cmd, "build") ? "checked" : "built", same,
               pl.failed);
    }
    rc = sig ? 128 + sig : pl.worst;
    if (pl.report) {
        fprintf(pl.report, "\n  ]%s%s%s\n}\n", sig ? ",\n  \"interrupted\": \"" : "",
                !sig ? "" : sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP", sig ? "\"" : "");
        pl.report = NULL;
        hd_diags d;
        hd_diags_init(&d);
        if (hd_atomic_close(&d, &report, HD_OK, !o.no_sync) != HD_OK) {
            hd_diags_print(&d, stderr);
            rc = HD_ERR_SYSTEM;
        }
        hd_diags_free(&d);
    }
out:
    if (report.f) hd_atomic_close(NULL, &report, HD_ERR_SYSTEM, 0); /* stopped early: remove it */
    if (pr.p.root_fd > 0) close(pr.p.root_fd);
    pthread_mutex_destroy(&pl.lock);
    free(pl.results);
    for (int i = 0; dup && i < o.nspecs; i++) free(dup[i].id);
    free(dup);
    hd_arena_free(arena);
    for (int i = 0; i < nclinics; i++) free(clinics[i]);
    free(clinics);
    hd_fontlib_free_at_exit(lib); /* main returns next */
    hd_cache_free(cache);
    hd_imagecache_free(images);
    free(pr.templates);
    free(pr.fonts);
    free(pr.clinics);
    free(o.specs);
    if (sig) { /* end by the signal itself, so a shell running handout in a loop stops too */
        fflush(NULL);
        signal(sig, SIG_DFL);
        raise(sig);
    }
#if !defined(__has_feature)
#define __has_feature(x) 0
#endif
#if defined(HD_NORMAL_EXIT) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) ||                      \
    __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(leak_sanitizer) ||      \
    __has_feature(memory_sanitizer)
    return rc; /* the sanitizers' leak and race reports (and coverage data) are written by exit handlers */
#else
    /* Everything this program made is freed, closed or renamed by now: end
     * without running the shared libraries' destructors (glib, harfbuzz,
     * freetype...), which only free their own static state and fault in
     * pages of code not used before (measured: 0.3 ms a run). */
    fflush(NULL);
    _exit(rc);
#endif
}
