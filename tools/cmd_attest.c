/* cmd_attest.c: `govtally attest` (placeholder until its issue lands). */
#include "cli.h"

int cmd_attest(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("attest: not implemented yet");
}
