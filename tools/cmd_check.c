/*
 * cmd_check.c: `govtally check FIXTURE...` (docs/formats.md#fixtures): runs
 * every fixture, prints "ok NAME" or "FAIL NAME" and the differing keys for
 * each, and exits 0 when all match, 1 when one differs, or the status of the
 * first broken fixture (65 bad fixture or data, 66 an input that cannot be
 * opened), whose diagnostic names the file and the key.
 */
#include <stdio.h>

#include "cli.h"

int cmd_check(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, argc, argv);
    int n = 0;
    gvt_fixture_options opt = {0};
    while (cli_next(&a)) {
        if (!a.positional && cli_is(&a, NULL, "--allow-outside"))
            opt.allow_outside = 1;
        else if (!a.positional)
            return cli_unknown(&a);
        else
            n++;
    }
    if (n == 0)
        return cli_usage("check: at least one FIXTURE file is needed");

    int rc = 0;
    cli_args_init(&a, argc, argv);
    while (cli_next(&a)) {
        if (!a.positional)
            continue;
        gvt_error err;
        gvt_error_clear(&err);
        gvt_status st = gvt_fixture_check_with(a.arg, &opt, stdout, &err);
        fflush(stdout);
        if (st == GVT_MISMATCH) {
            if (rc == 0)
                rc = GVT_MISMATCH;
        } else if (st != GVT_OK) {
            printf("ERROR %s\n", a.arg);
            fflush(stdout);
            int code = cli_fail(&err);
            if (rc == 0 || rc == GVT_MISMATCH)
                rc = code;
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "govtally: cannot write standard output\n");
        return GVT_ERR_CANTCREAT;
    }
    return rc;
}
