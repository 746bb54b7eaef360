/*
 * cli.c: shared plumbing of the govtally command (see cli.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cli_fail(const gvt_error *err)
{
    char buf[1024];
    fprintf(stderr, "govtally: %s\n", gvt_error_format(err, buf, sizeof buf));
    return err->code ? (int)err->code : GVT_ERR_INTERNAL;
}

/* The command being run ("replay", "attest sign"), for the hint after a
 * usage error; empty before one is known. */
static char command[48];

void cli_set_command(int argc, char **argv)
{
    command[0] = '\0';
    if (argc < 2 || strlen(argv[1]) >= 20)
        return;
    bool sub =
        (strcmp(argv[1], "attest") == 0 || strcmp(argv[1], "fetch") == 0) &&
        argc > 2 && argv[2][0] != '-' && strlen(argv[2]) < 20;
    snprintf(command, sizeof command, "%s%s%s", argv[1], sub ? " " : "",
             sub ? argv[2] : "");
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("govtally: ", stderr);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'govtally %s%s--help'.\n", command,
            command[0] ? " " : "");
    va_end(ap);
    return GVT_ERR_USAGE;
}

int cli_time(const char *opt, const char *s, long long *out)
{
    gvt_error err;
    gvt_error_clear(&err);
    if (gvt_time_parse(s, out, &err) != GVT_OK)
        return cli_usage("%s: %s", opt, err.message);
    if (*out < 0)
        return cli_usage("%s: '%s' is before 1970", opt, s);
    return 0;
}

void cli_args_init(cli_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->i = 0; /* argv[0] is the subcommand */
}

bool cli_next(cli_args *a)
{
    if (++a->i >= a->argc)
        return false;
    a->arg = a->argv[a->i];
    a->eqval = NULL;
    a->positional =
        a->only_positional || a->arg[0] != '-' || strcmp(a->arg, "-") == 0;
    if (!a->only_positional && strcmp(a->arg, "--") == 0) {
        a->only_positional = true;
        return cli_next(a);
    }
    if (!a->positional && a->arg[1] == '-') {
        const char *eq = strchr(a->arg, '=');
        if (eq)
            a->eqval = eq + 1;
    }
    return true;
}

bool cli_is(const cli_args *a, const char *short_name, const char *long_name)
{
    if (a->positional)
        return false;
    if (short_name && strcmp(a->arg, short_name) == 0)
        return true;
    if (!long_name)
        return false;
    size_t n = strlen(long_name);
    return strncmp(a->arg, long_name, n) == 0 &&
           (a->arg[n] == '\0' || (a->arg[n] == '=' && a->eqval));
}

const char *cli_value(cli_args *a)
{
    if (a->eqval)
        return a->eqval;
    if (a->i + 1 >= a->argc) {
        cli_usage("option %s needs a value", a->arg);
        a->error = true;
        return NULL;
    }
    return a->argv[++a->i];
}

int cli_take(cli_args *a, const cli_opt *opts)
{
    for (const cli_opt *o = opts; o->slot; o++)
        if (cli_is(a, o->short_name, o->long_name))
            return (*o->slot = cli_value(a)) ? 1 : -1;
    return 0;
}

int cli_parse_list(int argc, char **argv, const cli_opt *opts,
                   const char **positional, size_t cap, size_t *out_n)
{
    *out_n = 0;
    cli_args a;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        int took = cli_take(&a, opts);
        if (took < 0)
            return GVT_ERR_USAGE;
        if (took)
            continue;
        if (a.positional && *out_n < cap)
            positional[(*out_n)++] = a.arg;
        else
            return cli_unknown(&a);
    }
    return 0;
}

int cli_parse(int argc, char **argv, const cli_opt *opts,
              const char **positional)
{
    size_t n;
    return cli_parse_list(argc, argv, opts, positional, positional ? 1 : 0, &n);
}

int cli_unknown(const cli_args *a)
{
    if (a->positional)
        return cli_usage("%s: unexpected argument '%s'", a->argv[0], a->arg);
    return cli_usage("%s: unknown option '%s'", a->argv[0], a->arg);
}

int cli_parse_schemes(const char *list, gvt_scheme *out, size_t *out_n)
{
    size_t n = 0;
    const char *s = list;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char name[64];
        if (len == 0 || len >= sizeof name)
            return cli_usage("--schemes: empty or overlong scheme name");
        memcpy(name, s, len);
        name[len] = '\0';
        int id = gvt_scheme_from_name(name);
        if (id < 0)
            return cli_usage("--schemes: unknown scheme '%s' (known: "
                             "snapshot, token, address, quadratic, "
                             "personhood, quadratic-personhood, "
                             "capped-personhood)",
                             name);
        for (size_t k = 0; k < n; k++)
            if (out[k] == (gvt_scheme)id)
                return cli_usage("--schemes: '%s' given twice", name);
        out[n++] = (gvt_scheme)id;
        s += len;
        if (*s == ',')
            s++;
    }
    if (n == 0)
        return cli_usage("--schemes: empty list");
    *out_n = n;
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *pg)
{
    memset(pg, 0, sizeof *pg);
    pg->on = isatty(STDERR_FILENO) != 0;
    pg->start = pg->last = now_seconds();
}

void cli_progress_report(void *ctx, const char *what, unsigned long long done,
                         unsigned long long total)
{
    cli_progress *pg = ctx;
    if (!pg->on)
        return;
    double t = now_seconds();
    if (t - pg->start < 0.5 || (t - pg->last < 0.2 && done < total))
        return;
    pg->last = t;
    pg->shown = true;
    bool bytes = strcmp(what, "reading") == 0;
    double scale = bytes ? 1e6 : 1;
    if (total)
        fprintf(stderr, "\rgovtally: %s %3.0f%% (%.0f of %.0f%s)\033[K", what,
                100.0 * (double)done / (double)total, (double)done / scale,
                (double)total / scale, bytes ? " MB" : "");
    else
        fprintf(stderr, "\rgovtally: %s %.0f%s\033[K", what,
                (double)done / scale, bytes ? " MB" : "");
    fflush(stderr);
}

void cli_progress_end(cli_progress *pg)
{
    if (pg->shown)
        fputs("\r\033[K", stderr);
    pg->shown = false;
}

int cli_parse_threads(const char *s, unsigned *out)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (!*s || *end || n < 0 || n > 1024)
        return cli_usage("--threads '%s': an integer from 0 (one per core) "
                         "to 1024",
                         s);
    *out = (unsigned)n;
    return 0;
}

int cli_take_shared(cli_args *a, unsigned *threads, gvt_rule_options *rule)
{
    if (cli_is(a, NULL, "--threads")) {
        const char *v = cli_value(a);
        return v && !cli_parse_threads(v, threads) ? 1 : -1;
    }
    if (!rule)
        return 0;
    const cli_opt opts[] = {{NULL, "--rule", &rule->rule},
                            {NULL, "--quorum", &rule->quorum},
                            {NULL, "--support", &rule->support},
                            {NULL, "--supply", &rule->supply},
                            {NULL, NULL, NULL}};
    return cli_take(a, opts);
}
