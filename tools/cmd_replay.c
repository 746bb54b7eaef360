/* cmd_replay.c: `govtally replay` (placeholder until its issue lands). */
#include "cli.h"

int cmd_replay(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage("replay: not implemented yet");
}
