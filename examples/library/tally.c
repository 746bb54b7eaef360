/*
 * tally.c: a small program that uses the installed libgovtally. It reads a
 * Snapshot export, tallies it under the default schemes and prints each
 * scheme's scores (a * marks the winners) and the Nakamoto coefficient, all
 * through the accessors of govtally.h.
 *
 *   usage: tally PROPOSAL.json
 *
 * Build it against an installed library (README "Library"):
 *   cc tally.c -o tally $(pkg-config --cflags --libs govtally)
 * or with CMake: cmake -S . -B build && cmake --build build
 */
#include <stdio.h>

#include <govtally.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: tally PROPOSAL.json\n");
        return GVT_ERR_USAGE;
    }
    gvt_error err;
    gvt_proposal *p = NULL;
    gvt_result *r = NULL;
    gvt_status st = gvt_proposal_read_file(argv[1], &p, &err);
    if (st == GVT_OK)
        st = gvt_tally_run(p, NULL, &r, &err); /* NULL: default options */
    if (st != GVT_OK) {
        char line[1024];
        fprintf(stderr, "tally: %s\n",
                gvt_error_format(&err, line, sizeof line));
        gvt_proposal_free(p);
        return (int)st;
    }

    printf("%s: %s, %zu voters (libgovtally %s)\n", gvt_proposal_id(p),
           gvt_type_name(gvt_proposal_type(p)), gvt_result_voters(r),
           gvt_version());
    /* Scores are exact decimal strings owned by the result. */
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++) {
        printf("%s:", gvt_scheme_name(gvt_result_scheme(r, i)));
        for (size_t c = 0; c < gvt_proposal_choice_count(p); c++)
            printf(" %s=%s%s", gvt_proposal_choice(p, c),
                   gvt_result_score(r, i, c),
                   gvt_result_is_winner(r, i, c) ? "*" : "");
        printf("\n");
    }
    printf("nakamoto: %zu\n", gvt_result_nakamoto(r));

    gvt_result_free(r); /* the result borrows the proposal: free it first */
    gvt_proposal_free(p);
    return 0;
}
