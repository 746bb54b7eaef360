/*
 * cli.h: what the subcommands of the govtally command share: argument
 * parsing, error printing with the exit codes of docs/govtally.1, and atomic
 * output files. The command includes only the public header of the library.
 */
#ifndef GVT_CLI_H
#define GVT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "govtally.h"

/* Subcommands: each returns the process exit status. argv[0] is the
 * subcommand's name. */
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_attest(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* help.c: the usage of `govtally --help`, to f. */
void cli_help_usage(FILE *f);
/* When argv (argv[0] the subcommand) asks for --help or -h before any "--",
 * prints the subcommand's help to standard output and returns true. */
bool cli_help(int argc, char **argv);
/* Flushes standard output: 0, or 73 after saying it cannot be written. */
int cli_flush_stdout(void);

/* Prints "govtally: " and the formatted error; returns err->code. */
int cli_fail(const gvt_error *err);
/* Prints a usage error and a hint to --help; returns 64. */
/* The command being run (argv[1], with argv[2] for attest and fetch),
 * named by cli_usage's hint "Try 'govtally CMD --help'". */
void cli_set_command(int argc, char **argv);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A time option's value: unix seconds or ISO 8601 (gvt_time_parse), not
 * before 1970; a usage error (64) naming the option otherwise. */
int cli_time(const char *opt, const char *s, long long *out);

/*
 * A small option scanner. Options are "-x VALUE", "--long VALUE",
 * "--long=VALUE" or flags; everything else is positional. Usage:
 *   cli_args a; cli_args_init(&a, argc, argv);
 *   while (cli_next(&a)) {
 *       if (cli_is(&a, "-o", "--output")) out = cli_value(&a); ...
 *       else if (a.positional) ... else return cli_unknown(&a);
 *   }
 * cli_value returns NULL (and sets a.error) when the value is missing.
 */
typedef struct cli_args {
    int argc;
    char **argv;
    int i;
    const char *arg;   /* current argument */
    const char *eqval; /* value after '=' in --long=value, or NULL */
    bool positional;
    bool only_positional; /* after "--" */
    bool error;
} cli_args;

void cli_args_init(cli_args *a, int argc, char **argv);
bool cli_next(cli_args *a);
bool cli_is(const cli_args *a, const char *short_name, const char *long_name);
const char *cli_value(cli_args *a);
int cli_unknown(const cli_args *a);

/*
 * The options whose value a command keeps as text, as a table ending in
 * {NULL, NULL, NULL}:
 *   const cli_opt opts[] = {{"-o", "--output", &out}, {NULL, NULL, NULL}};
 *   while (cli_next(&a)) {
 *       int took = cli_take(&a, opts);
 *       if (took) { if (took < 0) return 64; continue; } ...
 * cli_take returns 1 after storing the value of the current argument's
 * option, -1 when its value is missing (usage printed), 0 when the argument
 * is none of them.
 */
typedef struct cli_opt {
    const char *short_name, *long_name;
    const char **slot;
} cli_opt;

int cli_take(cli_args *a, const cli_opt *opts);
/*
 * The whole scan of a command that has only text options and at most one
 * positional argument (positional NULL: none): returns 0, or 64 after
 * printing the usage error.
 */
int cli_parse(int argc, char **argv, const cli_opt *opts,
              const char **positional);
/* cli_parse with up to cap positional arguments, in order, into
 * positional[0..*out_n). */
int cli_parse_list(int argc, char **argv, const cli_opt *opts,
                   const char **positional, size_t cap, size_t *out_n);

/*
 * Atomic output (output.c): writes go to a temporary file in the target's
 * directory that no one else can have named (O_TMPFILE, else mkstemp),
 * renamed over the target only by cli_output_commit. Path NULL or "-" is
 * standard output. An existing target that is not a regular file
 * (/dev/null, a FIFO) is written in place: renaming over it would replace
 * the device.
 */
typedef struct cli_output {
    FILE *f;
    char *path;
    char *dir;
    char *tmp;    /* the temporary file's name, once it has one */
    bool direct;  /* a device or FIFO, written in place */
    bool unnamed; /* O_TMPFILE: no name until commit */
    bool named;   /* tmp names a file of ours, to remove on abort */
} cli_output;

/* Returns 0, or 73 after printing why the output cannot be created. */
int cli_output_open(cli_output *o, const char *path);
/* Flushes, syncs and renames; returns 0, or 73 after printing the file and
 * the reason (e.g. "No space left on device"). */
int cli_output_commit(cli_output *o);
/* Removes the temporary file. Safe after commit. */
void cli_output_abort(cli_output *o);
/* The output's name for messages: the path, or "standard output". */
const char *cli_output_name(const cli_output *o);
/* cli_fail for an error of writing to o: a 73 without a file names o.
 * Call before cli_output_abort. */
int cli_output_fail(const cli_output *o, gvt_error *err);

/* Import options shared by `import` and `replay --from` (cmd_import.c):
 * each returns 0 or prints a usage error and returns 64. */
int cli_parse_import_kind(const char *s, gvt_import_kind *out);
int cli_parse_decimals(const char *s, int *out);

/*
 * A progress line on standard error for long runs (docs/govtally.1), when
 * standard error is a terminal: cli_progress_init decides, cli_progress_report
 * is a gvt_progress_fn (ctx: the cli_progress), cli_progress_end clears the
 * line. Nothing is shown during the first half second, so short runs stay
 * quiet.
 */
typedef struct cli_progress {
    bool on;
    bool shown;
    double start, last;
} cli_progress;

void cli_progress_init(cli_progress *pg);
void cli_progress_report(void *ctx, const char *what, unsigned long long done,
                         unsigned long long total);
void cli_progress_end(cli_progress *pg);

/* --threads N: an integer from 0 (one per core) to 1024; returns 0 or
 * prints a usage error and returns 64. */
int cli_parse_threads(const char *s, unsigned *out);

/* The options the tallying commands share, taken as cli_take takes its
 * table (1, -1 after a usage error, 0 for none of them): --threads N into
 * *threads, and when rule is not NULL the decision rule's --rule, --quorum,
 * --support and --supply as text into *rule. */
int cli_take_shared(cli_args *a, unsigned *threads, gvt_rule_options *rule);

/* The schemes of a comma-separated list; returns 0 or 64. */
int cli_parse_schemes(const char *list, gvt_scheme *out, size_t *out_n);

#endif
