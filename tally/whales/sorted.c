/*
 * sorted.c: the analysis's vp order for any set of ballots, for the modules
 * above (outcome's quorum_k) and the per-human figures: order.c's packed
 * keys and radix sort, so that every ranking of voters in govtally is the
 * same one (vp descending, ties by address ascending).
 */
#include "whales/parts.h"

void gvt_whales_order(const gvt_ballot **b, size_t n)
{
    if (n < 2)
        return;
    vkey *k = gvt_xmalloc(2 * n * sizeof *k);
    for (size_t i = 0; i < n; i++) {
        k[i].key = wh_vp_key(b[i]->vp);
        k[i].b = b[i];
    }
    wh_sort_keys(k, n, k + n);
    for (size_t i = 0; i < n; i++)
        b[i] = k[i].b;
    free(k);
}
