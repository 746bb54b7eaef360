/*
 * fuzz_memfile.c: see fuzz_memfile.h.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkfifo, symlink */
#endif
#include "fuzz_memfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fuzz_folder(void)
{
    static char dir[256];
    if (!dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/gvt-fuzz-XXXXXX",
                 base && base[0] ? base : "/tmp");
        if (!mkdtemp(dir))
            abort();
    }
    return dir;
}

const char *fuzz_memfile(const char *name, const uint8_t *data, size_t size)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_folder(), name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
    return path;
}
