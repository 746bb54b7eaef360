/*
 * veto.c: quorum_k, the quorum veto (docs/outcomes.md#quorum_k): the fewest
 * voters who did vote whose absence would turn a passed proposal into a
 * failed quorum.
 *
 * Only the votes that count toward the quorum can make it fail by staying
 * away (For and Abstain under OpenZeppelin, For under Compound and Aragon,
 * every vote under Snapshot, whose quorum is on scores_total, invalid
 * choices included); their voters are removed largest first (the analysis's
 * order, gvt_whales_order: vp descending, ties by address), and the quorum
 * figure is compared by the rule's own comparison after each removal. As
 * the figure only falls, the first k that fails it is the fewest voters
 * that can: any set of k voters removes at most the k largest
 * contributions. Exact (GMP); O(n) plus the sort of the contributors.
 * Ballots without vp change no figure and are left out. -1 (null) when
 * removing every contributor still reaches the quorum (a quorum of 0).
 */
#include <stdlib.h>

#include "outcome/outcome.h"

long gvt_quorum_k(const gvt_proposal *p, const gvt_decision *d)
{
    size_t n = 0;
    const gvt_ballot **c = gvt_xmalloc((p->n_ballots + 1) * sizeof *c);
    for (size_t i = 0; i < p->n_ballots; i++) {
        const gvt_ballot *b = &p->ballots[i];
        if (mpz_sgn(b->vp) > 0 && gvt_counts_toward_quorum(d, b))
            c[n++] = b;
    }
    gvt_whales_order(c, n);
    mpz_t x;
    mpz_init_set(x, d->votes);
    long k = -1;
    for (size_t i = 0; i < n; i++) {
        mpz_sub(x, x, c[i]->vp);
        if (!gvt_quorum_reached(d, x)) {
            k = (long)i + 1;
            break;
        }
    }
    mpz_clear(x);
    free(c);
    return k;
}
