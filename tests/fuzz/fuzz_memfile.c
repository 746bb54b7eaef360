/*
 * fuzz_memfile.c: see fuzz_memfile.h. The folder is on tmpfs (/dev/shm)
 * when there is one and TMPDIR does not say otherwise, and every input is a
 * new file (unlink, then create): truncating a file in place makes ext4
 * flush it to the disk on close (its auto_da_alloc heuristic), which cost
 * three quarters of the time of every execution.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkfifo, symlink */
#endif
#include "fuzz_memfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

/* Removes the folder and what the targets put in it (plain names only). */
static void remove_folder(void)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[512];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

const char *fuzz_folder(void)
{
    if (!dir[0]) {
        const char *base = getenv("TMPDIR");
        if (!base || !base[0])
            base = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(dir, sizeof dir, "%s/gvt-fuzz-XXXXXX", base);
        if (!mkdtemp(dir))
            abort();
        atexit(remove_folder);
    }
    return dir;
}

const char *fuzz_memfile(const char *name, const uint8_t *data, size_t size)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", fuzz_folder(), name);
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        abort();
    for (size_t done = 0; done < size;) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0)
            abort();
        done += (size_t)w;
    }
    if (close(fd) != 0)
        abort();
    return path;
}
