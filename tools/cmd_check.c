/*
 * cmd_check.c: `govtally check FIXTURE...` (docs/formats.md#fixtures): runs
 * every fixture, prints "ok NAME" or "FAIL NAME (FILE)" and the differing keys
 * for each, and exits 0 when all match, 1 when one differs, or the status of
 * the first broken fixture (65 bad fixture or data, 66 an input that cannot
 * be opened), whose diagnostic names the file and the key. A FIXTURE "-"
 * reads a list of fixture files from standard input, one a line (as `find`
 * or `git ls-files` print them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct list {
    char **v;
    size_t n, cap;
} list;

static void list_add(list *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        char **v = realloc(l->v, l->cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "govtally: out of memory\n");
            exit(GVT_ERR_INTERNAL);
        }
        l->v = v;
    }
    char *c = malloc(len + 1);
    if (!c) {
        fprintf(stderr, "govtally: out of memory\n");
        exit(GVT_ERR_INTERNAL);
    }
    memcpy(c, s, len);
    c[len] = '\0';
    l->v[l->n++] = c;
}

/* The fixture files named on standard input: one a line, surrounding blanks
 * (and a CR) dropped, blank lines and lines starting with '#' skipped. */
static int read_stdin_list(list *l)
{
    char *line = NULL;
    size_t cap = 0, before = l->n;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        size_t b = 0, e = (size_t)got;
        while (e > b && (line[e - 1] == '\n' || line[e - 1] == '\r' ||
                         line[e - 1] == ' ' || line[e - 1] == '\t'))
            e--;
        while (b < e && (line[b] == ' ' || line[b] == '\t'))
            b++;
        if (b == e || line[b] == '#')
            continue;
        list_add(l, line + b, e - b);
    }
    free(line);
    if (ferror(stdin)) {
        fprintf(stderr, "govtally: check: cannot read standard input\n");
        return GVT_ERR_NOINPUT;
    }
    if (l->n == before)
        return cli_usage("check: standard input named no fixture file");
    return 0;
}

static int check_all(const list *l, const gvt_fixture_options *opt)
{
    int rc = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *path = l->v[i];
        gvt_error err;
        gvt_error_clear(&err);
        gvt_status st = gvt_fixture_check_with(path, opt, stdout, &err);
        fflush(stdout);
        if (st == GVT_MISMATCH) {
            if (rc == 0)
                rc = GVT_MISMATCH;
        } else if (st != GVT_OK) {
            printf("ERROR %s\n", path);
            fflush(stdout);
            int code = cli_fail(&err);
            if (rc == 0 || rc == GVT_MISMATCH)
                rc = code;
        }
    }
    return rc;
}

int cmd_check(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, argc, argv);
    int dashes = 0;
    gvt_fixture_options opt = {0};
    while (cli_next(&a)) {
        if (!a.positional && cli_is(&a, NULL, "--allow-outside"))
            opt.allow_outside = 1;
        else if (!a.positional)
            return cli_unknown(&a);
        else
            dashes += strcmp(a.arg, "-") == 0;
    }
    if (dashes > 1)
        return cli_usage("check: '-' (standard input) given twice");
    list l = {0};
    int rc = 0;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a) && rc == 0) {
        if (!a.positional)
            continue;
        if (strcmp(a.arg, "-") == 0)
            rc = read_stdin_list(&l);
        else
            list_add(&l, a.arg, strlen(a.arg));
    }
    if (rc == 0 && l.n == 0)
        rc = cli_usage("check: at least one FIXTURE file is needed ('-': a "
                       "list on standard input)");
    if (rc == 0) {
        rc = check_all(&l, &opt);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "govtally: cannot write standard output\n");
            rc = GVT_ERR_CANTCREAT;
        }
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    return rc;
}
