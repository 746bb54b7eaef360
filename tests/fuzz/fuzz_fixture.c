/*
 * fuzz_fixture.c: fuzz target for fixtures (tally/fixture/check.c). The
 * input is a fixture in a folder that also holds a proposal (p.json), a
 * FIFO (fifo) and a symlink out of the folder (out): any text gives ok,
 * FAIL or an error with a message, never a hang on the FIFO nor a read
 * outside the folder (both must be data errors), and the report's lines
 * hold no control byte but their newline (names are escaped).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkfifo, symlink */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_memfile.h"
#include "govtally.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char proposal[] =
    "{\"proposal\":{\"id\":\"0x01\",\"space\":{\"id\":\"f.eth\"},\"type\":"
    "\"single-choice\",\"choices\":[\"A\",\"B\"],\"start\":1,\"end\":2,"
    "\"snapshot\":1},\"votes\":[{\"id\":\"0x02\",\"voter\":"
    "\"0x1111111111111111111111111111111111111111\",\"created\":1,"
    "\"choice\":1,\"vp\":3}]}";

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    fuzz_memfile("p.json", (const uint8_t *)proposal, sizeof proposal - 1);
    char path[512];
    snprintf(path, sizeof path, "%s/fifo", fuzz_folder());
    if (mkfifo(path, 0600) != 0)
        abort();
    snprintf(path, sizeof path, "%s/out", fuzz_folder());
    if (symlink("/etc/hostname", path) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    const char *path = fuzz_memfile("f.json", data, size);
    char *rep = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&rep, &len);
    if (!mem)
        abort();
    gvt_error err;
    gvt_status st = gvt_fixture_check(path, mem, &err);
    fclose(mem);
    if (st != GVT_OK && st != GVT_MISMATCH && st != GVT_ERR_DATA &&
        st != GVT_ERR_NOINPUT)
        abort();
    if ((st == GVT_ERR_DATA || st == GVT_ERR_NOINPUT) && !err.message[0])
        abort();
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)rep[i] < 0x20 && rep[i] != '\n')
            abort();
    free(rep);
    return 0;
}
