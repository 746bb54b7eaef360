/*
 * fuzz_reader.c: fuzz target for the export reader. Any byte string must give
 * either a proposal or a data error with a message and an offset inside the
 * input: never a crash, a hang, a leak or a status outside the contract.
 * It is also read with the reader's fast lane off (YAJL's events only): both
 * reads must give the same ballots or the same error, at the same place.
 * Built with libFuzzer by the `fuzz` preset, and with fuzz_driver.c (seeded
 * mutations of the golden inputs) as an ordinary time-boxed test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void differ(const char *why)
{
    fprintf(stderr, "fuzz_reader: fast lane and events differ: %s\n", why);
    abort();
}

/* The same input with the lane off: the same outcome. */
static void check_lane(const uint8_t *data, size_t size, gvt_status st,
                       const gvt_proposal *p, const gvt_error *err)
{
    gvt_proposal *q = NULL;
    gvt_error e;
    gvt_reader_lane_for_tests(false);
    gvt_status st2 = gvt_proposal_read_mem("fuzz", data, size, &q, &e);
    gvt_reader_lane_for_tests(true);
    char why[400];
    if (st2 != st)
        differ("status");
    if (st == GVT_OK && !same_proposal(p, q, why, sizeof why))
        differ(why);
    if (st != GVT_OK && !same_error(err, &e, why, sizeof why))
        differ(why);
    gvt_proposal_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gvt_proposal *p = NULL;
    gvt_error err;
    gvt_status st = gvt_proposal_read_mem("fuzz", data, size, &p, &err);
    check_lane(data, size, st, p, &err);
    if (st == GVT_OK) {
        if (!p)
            abort();
        gvt_ballot_counts c = gvt_proposal_ballot_counts(p);
        if (c.read != c.counted + c.duplicate + c.invalid_choice + c.encrypted)
            abort();
        gvt_result *r = NULL;
        if (gvt_tally_run(p, NULL, &r, &err) == GVT_OK) {
            FILE *devnull = fopen("/dev/null", "w");
            if (devnull) {
                if (gvt_result_write(r, GVT_FORMAT_JSON, 0, devnull, &err))
                    abort();
                fclose(devnull);
            }
        }
        gvt_result_free(r);
        gvt_proposal_free(p);
        return 0;
    }
    if (p || st != GVT_ERR_DATA || !err.message[0])
        abort();
    if (err.offset > (long long)size)
        abort();
    return 0;
}
