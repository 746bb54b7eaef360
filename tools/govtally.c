/*
 * govtally.c: the command line of SPEC 4. It only parses arguments and wires
 * the library's stages to files; every rule lives in libgovtally.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: govtally COMMAND [ARGS]\n"
    "\n"
    "Tally a governance proposal exactly and show where a few wallets "
    "decided it.\n"
    "\n"
    "  govtally run PROPOSAL [-a ATTESTATIONS] [-i ISSUERS] [--schemes LIST]\n"
    "               [--cap F] [--format text|json|csv|html] [-o FILE]\n"
    "  govtally check FIXTURE...\n"
    "  govtally attest keygen -o SECRET_KEY_FILE\n"
    "  govtally attest sign -k SECRET_KEY_FILE --scope S --issued-at T\n"
    "               [--expires-at T] [--weight W] [-o FILE] SUBJECTS.csv\n"
    "  govtally attest verify -i ISSUERS [--scope S] [--at T] ATTESTATIONS\n"
    "  govtally import snapshot-csv|governor-csv|csv [--map M] [--type T]\n"
    "               [--decimals D] [--proposals P] FILE [-o OUT]\n"
    "  govtally replay INPUT... [--from snapshot-csv|governor-csv|csv\n"
    "               [--map M] [--type T] [--decimals D] [--proposals P]]\n"
    "               [-a A -i I] [--cap F] [--threads N]\n"
    "               [--format csv|json] [-o FILE]\n"
    "  govtally --help | --version\n"
    "\n"
    "Schemes: snapshot, token, address, quadratic, personhood,\n"
    "quadratic-personhood, capped-personhood.\n"
    "Exit status: 0 ok, 1 check mismatch, 64 usage, 65 bad data, 66 input\n"
    "cannot be opened, 70 internal error, 73 output cannot be created.\n";

int main(int argc, char **argv)
{
    /* out of memory: a message and exit 70, GMP's failures included */
    gvt_set_out_of_memory(NULL);
    if (argc < 2) {
        fputs(usage_text, stderr);
        return GVT_ERR_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("govtally %s\n", GVT_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"run", cmd_run},       {"check", cmd_check},   {"attest", cmd_attest},
        {"import", cmd_import}, {"replay", cmd_replay},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(cmd, cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    return cli_usage("unknown command '%s'", cmd);
}
