/*
 * figures.c: the formulas of docs/analysis.md from the scan's sums:
 * top shares, single_voter_dominates, Gini, HHI (the power indices are
 * power.c's).
 */
#include "whales/parts.h"

/*
 * The figures of docs/analysis.md that need the voters in vp order (u) and
 * the scan's sums: sum = sum_j (n - j) v_j (the sum of the running sums)
 * and sq = sum_j v_j^2. W = c->total > 0.
 *   top1_share, top10_share   P_0 / W, P_9 / W
 *   single_voter_dominates    v_0 > W - v_0
 *   gini                      (2 sum - (n + 1) W) / (n W)
 *   hhi                       10000 sq / W^2
 * Each ratio floored at 10^-36 (gvt_fx_ratio).
 */
void wh_figures(const decisive_ctx *c, gvt_whales *w, mpz_t sum, mpz_t sq)
{
    const gvt_unit *u = c->u;
    size_t n = c->n;
    mpz_srcptr total = c->total;
    mpz_t acc, t;
    mpz_inits(acc, t, NULL);
    gvt_fx_ratio(w->top1_share, u[0].ballot->vp, total);
    for (size_t i = 0; i < n && i < 10; i++)
        mpz_add(acc, acc, u[i].ballot->vp);
    gvt_fx_ratio(w->top10_share, acc, total);

    mpz_sub(t, total, u[0].ballot->vp);
    w->single_voter_dominates = mpz_cmp(u[0].ballot->vp, t) > 0;

    mpz_mul_2exp(sum, sum, 1);
    mpz_mul_ui(t, total, (unsigned long)n + 1);
    mpz_sub(sum, sum, t);
    mpz_mul_ui(t, total, (unsigned long)n);
    gvt_fx_ratio(w->gini, sum, t);

    mpz_mul_ui(sq, sq, 10000);
    mpz_mul(t, total, total);
    gvt_fx_ratio(w->hhi, sq, t);
    mpz_clears(acc, t, NULL);
}
