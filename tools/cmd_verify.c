/*
 * cmd_verify.c: `govtally verify RESULT.json [--inputs DIR] [--threads N]`
 * (docs/audit.md#verify): checks a JSON result or replay summary against
 * its audit record and prints what it finds, ending with "identical" (exit
 * 0) or "differs" (exit 1: an input changed, or the document is not what
 * its inputs give). An input that cannot be found or read exits 66, a
 * document without a record 65.
 */
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cmd_verify(int argc, char **argv)
{
    const char *doc = NULL;
    gvt_verify_options opt = {0};
    const cli_opt opts[] = {{NULL, "--inputs", &opt.inputs_dir},
                            {NULL, NULL, NULL}};
    cli_args a;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        int took = cli_take(&a, opts);
        if (!took)
            took = cli_take_shared(&a, &opt.threads, NULL);
        if (took) {
            if (took < 0)
                return GVT_ERR_USAGE;
        } else if (a.positional && !doc) {
            doc = a.arg;
        } else {
            return cli_unknown(&a);
        }
    }
    if (!doc)
        return cli_usage("verify: a RESULT file is needed (a JSON result or "
                         "replay summary; '-' for standard input)");
    struct stat sb;
    if (opt.inputs_dir &&
        (stat(opt.inputs_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
        return cli_usage("verify: --inputs '%s' is not a folder",
                         opt.inputs_dir);
    gvt_error err;
    gvt_error_clear(&err);
    gvt_status st = gvt_verify_file(doc, &opt, stdout, &err);
    int out = cli_flush_stdout();
    if (st != GVT_OK && st != GVT_MISMATCH)
        return cli_fail(&err);
    return out ? out : (int)st;
}
