/*
 * output.c: `-o FILE`, written so that FILE is either the old file or the
 * whole new one, whatever happens to the run (cli.h, docs/limits.md).
 *
 * The new contents go to a file that nobody else can have named or
 * planted:
 *   - Linux: an unnamed file in FILE's directory (open O_TMPFILE). A run
 *     killed while writing (kill -9, the OOM killer, a time-out) leaves
 *     nothing behind: the kernel frees the unnamed file. At the end it is
 *     linked under a fresh random name (linkat, which never follows or
 *     replaces anything at that name) and renamed over FILE; only a kill
 *     in the microseconds between those two calls can leave the random
 *     name behind.
 *   - Elsewhere, or on a file system without O_TMPFILE: mkstemp in FILE's
 *     directory (created exclusively, mode 0600 until the end). SIGINT,
 *     SIGTERM and SIGHUP remove it before the run ends; kill -9 cannot be
 *     caught and leaves ".FILE.XXXXXX" behind.
 * Neither path opens a name that could be a symlink planted by someone
 * else, and rename replaces FILE itself, never what a symlink at FILE
 * points to. The file gets the mode fopen would have given (0666 less the
 * umask).
 */
#define _GNU_SOURCE /* O_TMPFILE, linkat's AT_SYMLINK_FOLLOW */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The name to remove if a signal ends the run (mkstemp's fallback only). */
static char pending[4096];
static volatile sig_atomic_t have_pending;

static void on_signal(int sig)
{
    if (have_pending)
        unlink(pending);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void watch(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= sizeof pending)
        return;
    memcpy(pending, tmp, n + 1);
    have_pending = 1;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static void unwatch(void)
{
    have_pending = 0;
}

static mode_t file_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* FILE's directory ("." when it has none) and base name, malloc'd. */
static void split_path(const char *path, char **dir, char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = strdup(".");
        *base = strdup(path);
    } else if (slash == path) {
        *dir = strdup("/");
        *base = strdup(slash + 1);
    } else {
        *dir = strndup(path, (size_t)(slash - path));
        *base = strdup(slash + 1);
    }
    if (!*dir || !*base) {
        fprintf(stderr, "govtally: out of memory\n");
        exit(GVT_ERR_INTERNAL);
    }
}

/* dir/.base.XXXXXX with six random characters (for linkat). */
static void random_name(char *out, size_t room, const char *dir,
                        const char *base)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    char r[7];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = (unsigned long long)ts.tv_nsec ^
                           ((unsigned long long)getpid() << 32) ^
                           (unsigned long long)(size_t)out;
    for (int i = 0; i < 6; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        r[i] = abc[(x >> 33) % (sizeof abc - 1)];
    }
    r[6] = '\0';
    snprintf(out, room, "%s/.%s.%s", dir, base, r);
}

static int cannot_create(cli_output *o, const char *path, int e)
{
    fprintf(stderr, "govtally: %s: cannot create output: %s\n", path,
            strerror(e));
    free(o->path);
    free(o->tmp);
    free(o->dir);
    memset(o, 0, sizeof *o);
    return GVT_ERR_CANTCREAT;
}

int cli_output_open(cli_output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    /* A device, FIFO or socket (e.g. /dev/null) is written in place: a
     * rename over it would replace the device with a regular file. Only a
     * regular file (or a new one) goes through the temporary file. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->f = fopen(path, "wb");
        if (!o->f) {
            fprintf(stderr, "govtally: %s: cannot open output: %s\n", path,
                    strerror(errno));
            return GVT_ERR_CANTCREAT;
        }
        o->path = strdup(path);
        o->direct = true;
        return 0;
    }
    char *base;
    split_path(path, &o->dir, &base);
    o->path = strdup(path);
    size_t room = strlen(o->dir) + strlen(base) + 16;
    o->tmp = malloc(room);
    if (!o->path || !o->tmp) {
        fprintf(stderr, "govtally: out of memory\n");
        exit(GVT_ERR_INTERNAL);
    }
    int fd = -1;
#ifdef O_TMPFILE
    /* GOVTALLY_NO_TMPFILE=1 takes the mkstemp path (tests/hostile_test.sh) */
    const char *no_tmpfile = getenv("GOVTALLY_NO_TMPFILE");
    if (!no_tmpfile || strcmp(no_tmpfile, "1") != 0)
        fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, file_mode());
    else
        errno = EOPNOTSUPP;
    if (fd >= 0) {
        o->unnamed = true;
        random_name(o->tmp, room, o->dir, base);
    } else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
               errno != ENOENT) {
        int e = errno;
        free(base);
        return cannot_create(o, path, e);
    }
#endif
    if (fd < 0) {
        snprintf(o->tmp, room, "%s/.%s.XXXXXX", o->dir, base);
        fd = mkstemp(o->tmp);
        if (fd < 0) {
            int e = errno;
            free(base);
            return cannot_create(o, path, e);
        }
        o->named = true;
        watch(o->tmp);
        if (fchmod(fd, file_mode()) != 0) {
            int e = errno;
            close(fd);
            free(base);
            cli_output_abort(o);
            return cannot_create(o, path, e);
        }
    }
    free(base);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        cli_output_abort(o);
        return cannot_create(o, path, e);
    }
    return 0;
}

/* Flushes, syncs and closes o->f: 0, or the errno of the first failure. */
static int finish(FILE *f)
{
    int e = 0;
    if (ferror(f))
        e = errno ? errno : EIO;
    if (fflush(f) != 0 && !e)
        e = errno;
    if (fsync(fileno(f)) != 0 && !e && errno != EINVAL && errno != EROFS)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    return e;
}

/* Gives the unnamed file (o->f's descriptor) the name o->tmp. */
static int link_unnamed(cli_output *o, int fd)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    for (int tries = 0; tries < 16; tries++) {
        if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0)
            return 0;
        if (errno != EEXIST)
            return errno;
        char *base = strrchr(o->path, '/');
        random_name(o->tmp, strlen(o->tmp) + 1, o->dir,
                    base ? base + 1 : o->path);
    }
    return EEXIST;
}

int cli_output_commit(cli_output *o)
{
    if (!o->f)
        return 0;
    if (o->f == stdout) {
        o->f = NULL;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "govtally: cannot write standard output: %s\n",
                    strerror(errno));
            return GVT_ERR_CANTCREAT;
        }
        return 0;
    }
    if (o->direct) {
        int bad = ferror(o->f) != 0;
        bad |= fclose(o->f) != 0;
        o->f = NULL;
        if (bad) {
            fprintf(stderr, "govtally: %s: cannot write output: %s\n", o->path,
                    strerror(errno));
            cli_output_abort(o);
            return GVT_ERR_CANTCREAT;
        }
        cli_output_abort(o);
        return 0;
    }
    int e = 0;
    if (o->unnamed) {
        /* keep the descriptor open for the link: flush and sync first */
        int fd = fileno(o->f);
        if (ferror(o->f))
            e = errno ? errno : EIO;
        if (!e && fflush(o->f) != 0)
            e = errno;
        if (!e && fsync(fd) != 0 && errno != EINVAL)
            e = errno;
        if (!e && (e = link_unnamed(o, fd)) == 0)
            o->named = true;
        if (fclose(o->f) != 0 && !e)
            e = errno;
        o->f = NULL;
    } else {
        e = finish(o->f);
        o->f = NULL;
    }
    if (!e && rename(o->tmp, o->path) != 0)
        e = errno;
    if (e) {
        fprintf(stderr, "govtally: %s: cannot write output: %s\n", o->path,
                strerror(e));
        cli_output_abort(o);
        return GVT_ERR_CANTCREAT;
    }
    o->named = false;
    unwatch();
    free(o->tmp);
    free(o->path);
    free(o->dir);
    memset(o, 0, sizeof *o);
    return 0;
}

void cli_output_abort(cli_output *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    if (o->named) /* mkstemp's file, or the unnamed one once linked */
        unlink(o->tmp);
    unwatch();
    free(o->tmp);
    free(o->path);
    free(o->dir);
    memset(o, 0, sizeof *o);
}

const char *cli_output_name(const cli_output *o)
{
    return o->path ? o->path : "standard output";
}

int cli_output_fail(const cli_output *o, gvt_error *err)
{
    if (err->code == GVT_ERR_CANTCREAT && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", cli_output_name(o));
    return cli_fail(err);
}
