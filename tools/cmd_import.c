/* cmd_import.c: `govtally import` (placeholder until its issue lands). */
#include "cli.h"

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("import: not implemented yet");
}
