/*
 * file.c: reading a whole input file (docs/govtally.1: "-" is standard input;
 * exit 66 when it cannot be opened or read).
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ, Linux's pipe capacity */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core.h"

/* The limit as people read it: "1 MiB", "4 GiB", else bytes. */
void gvt_size_text(size_t n, char *buf, size_t room)
{
    if (n >= ((size_t)1 << 30) && n % ((size_t)1 << 30) == 0)
        snprintf(buf, room, "%zu GiB", n >> 30);
    else if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(buf, room, "%zu MiB", n >> 20);
    else if (n >= ((size_t)1 << 10) && n % ((size_t)1 << 10) == 0)
        snprintf(buf, room, "%zu KiB", n >> 10);
    else
        snprintf(buf, room, "%zu bytes", n);
}

/*
 * A pipe holds 64 KiB by default: a generator writing into it and govtally
 * reading out of it then take turns at every 64 KiB, and the context switches
 * cost a third of a replay fed through a pipe. 1 MiB (the unprivileged
 * maximum) lets both run. A failure only leaves the default.
 */
static void widen_pipe(FILE *f)
{
#ifdef F_SETPIPE_SZ
    struct stat sb;
    int fd = fileno(f);
    if (fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode))
        (void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
    (void)f;
#endif
}

FILE *gvt_file_open(const char *path, gvt_error *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot open: %s",
                      strerror(errno));
    else
        widen_pipe(f);
    return f;
}

void gvt_file_close(FILE *f)
{
    if (f && f != stdin)
        fclose(f);
}

/* Clears a buffer that may hold a secret before it is freed. */
static void wipe_free(char *buf, size_t len)
{
    volatile char *v = buf;
    for (size_t i = 0; i < len; i++)
        v[i] = 0;
    free(buf);
}

static gvt_status too_large(const char *path, size_t limit, gvt_error *err)
{
    char lim[32];
    gvt_size_text(limit, lim, sizeof lim);
    gvt_error_set(err, GVT_ERR_DATA, path,
                  "larger than the limit of %s for this input "
                  "(docs/limits.md)",
                  lim);
    return GVT_ERR_DATA;
}

/*
 * Reads straight into one growing buffer (no staging copy on the stack), so
 * that a caller holding a secret (sign.c's key file) has one buffer to wipe.
 * The buffer never grows past limit + 1 bytes and the NUL: a pipe or a
 * device that never ends (/dev/zero) stops there.
 */
gvt_status gvt_file_read(const char *path, bool read_reason, size_t limit,
                         char **out, size_t *out_len, gvt_error *err)
{
    *out = NULL;
    *out_len = 0;
    FILE *f = gvt_file_open(path, err);
    if (!f)
        return GVT_ERR_NOINPUT;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (unsigned long long)sb.st_size > (unsigned long long)limit) {
        gvt_file_close(f);
        return too_large(path, limit, err);
    }
    size_t cap = 1 << 16, len = 0;
    if (cap > limit + 2)
        cap = limit + 2;
    char *buf = gvt_xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            if (len > limit)
                break;
            cap = cap > (limit + 2) / 2 ? limit + 2 : cap * 2;
            buf = gvt_xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    gvt_file_close(f);
    if (len > limit) {
        wipe_free(buf, len);
        return too_large(path, limit, err);
    }
    if (bad) {
        wipe_free(buf, len);
        if (read_reason)
            gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot read: %s",
                          strerror(saved));
        else
            gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot read");
        return GVT_ERR_NOINPUT;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return GVT_OK;
}
