/*
 * govtally.c: the command line of docs/govtally.1. It only parses arguments and
 * wires the library's stages to files; every rule lives in libgovtally.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    /* out of memory: a message and exit 70, GMP's failures included */
    gvt_set_out_of_memory(NULL);
    if (argc < 2) {
        cli_help_usage(stderr);
        return GVT_ERR_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        cli_help_usage(stdout);
        return cli_flush_stdout();
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("govtally %s\n", gvt_version());
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"run", cmd_run},       {"check", cmd_check},   {"attest", cmd_attest},
        {"import", cmd_import}, {"replay", cmd_replay}, {"fetch", cmd_fetch},
        {"verify", cmd_verify},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(cmd, cmds[i].name) != 0)
            continue;
        cli_set_command(argc, argv);
        return cli_help(argc - 1, argv + 1) ? cli_flush_stdout()
                                            : cmds[i].fn(argc - 1, argv + 1);
    }
    return cli_usage("unknown command '%s'", cmd);
}
