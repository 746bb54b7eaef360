/*
 * folder.c: the files of a folder of exports, as replay and the pick of one
 * proposal read them (docs/formats.md#replay-summary): sub-folders and the
 * files a caller wants, hidden names skipped, in sorted name order so that
 * the same folder always gives the same sequence.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history/history.h"

bool gvt_is_json_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcmp(dot, ".json") == 0 || strcmp(dot, ".jsonl") == 0 ||
                   strcmp(dot, ".ndjson") == 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool gvt_folder_list(const char *path, bool (*want)(const char *, void *),
                     void *ctx, char ***out_list, size_t *out_n)
{
    *out_list = NULL;
    *out_n = 0;
    DIR *dir = opendir(path);
    if (!dir)
        return false;
    char **list = NULL;
    size_t n = 0, cap = 0;
    size_t plen = strlen(path);
    const char *sep = plen && path[plen - 1] == '/' ? "" : "/";
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        size_t len = plen + strlen(de->d_name) + 2;
        char *full = gvt_xmalloc(len);
        snprintf(full, len, "%s%s%s", path, sep, de->d_name);
        struct stat eb;
        bool keep = stat(full, &eb) == 0 &&
                    (S_ISDIR(eb.st_mode) ||
                     (S_ISREG(eb.st_mode) && want(de->d_name, ctx)));
        if (!keep) {
            free(full);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            list = gvt_xrealloc(list, cap * sizeof *list);
        }
        list[n++] = full;
    }
    closedir(dir);
    if (n)
        qsort(list, n, sizeof *list, cmp_str);
    *out_list = list;
    *out_n = n;
    return true;
}
