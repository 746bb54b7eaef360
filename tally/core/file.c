/*
 * file.c: reading a whole input file (docs/govtally.1: "-" is standard input;
 * exit 66 when it cannot be opened or read).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/*
 * Reads straight into one growing buffer (no staging copy on the stack), so
 * that a caller holding a secret (sign.c's key file) has one buffer to wipe.
 */
gvt_status gvt_file_read(const char *path, bool read_reason, char **out,
                         size_t *out_len, gvt_error *err)
{
    *out = NULL;
    *out_len = 0;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        gvt_error_set(err, GVT_ERR_NOINPUT, path, "cannot open: %s",
                      strerror(errno));
        return GVT_ERR_NOINPUT;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = gvt_xmalloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            buf = gvt_xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (bad) {
        free(buf);
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
