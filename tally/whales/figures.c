/*
 * figures.c: the formulas of docs/analysis.md from the scan's sums:
 * top shares, single_voter_dominates, Gini, HHI; and the Banzhaf index of
 * the largest voters.
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

/* ---- Banzhaf ------------------------------------------------------------- */

/* counts[s + q] += counts[s] for every s, descending so each player counts
 * once: adds a player of quantised weight q to the coalition counts. */
static void add_player(mpz_t *counts, size_t top, size_t q)
{
    if (q == 0 || q > top)
        return;
    for (size_t s = top; s >= q; s--) {
        mpz_add(counts[s], counts[s], counts[s - q]);
        if (s == q)
            break;
    }
}

/*
 * The absolute Banzhaf index of the largest voters: the probability that
 * voter i turns a losing coalition into a winning one when every other
 * voter joins independently with probability 1/2, a coalition winning when
 * its vp exceeds half the counted vp. Weights are floored to units of
 * W / GVT_BANZHAF_RESOLUTION; voters below one unit are dummies at that
 * resolution and leave every index unchanged. Counting coalitions is exact
 * (GMP counts over at most RESOLUTION + 1 sums).
 */
void wh_banzhaf(gvt_whales *w, const gvt_unit *v, size_t n, const mpz_t total)
{
    mpz_t t;
    mpz_init(t);
    size_t top = n < GVT_BANZHAF_PLAYERS ? n : GVT_BANZHAF_PLAYERS;
    if (top == 0 || mpz_sgn(total) == 0) {
        mpz_clear(t);
        return;
    }
    /* q[i] for the players, 0 past them (room for at least top). */
    size_t room = GVT_BANZHAF_PLAYERS;
    size_t *q = gvt_xcalloc(room, sizeof *q);
    size_t sum = 0, players = 0;
    /* v is in descending vp: past the first voter below one unit, every
     * weight is 0. */
    for (size_t i = 0; i < n; i++) {
        mpz_mul_ui(t, v[i].ballot->vp, GVT_BANZHAF_RESOLUTION);
        mpz_fdiv_q(t, t, total);
        size_t qi = (size_t)mpz_get_ui(t);
        if (qi == 0)
            break;
        if (i == room) {
            q = gvt_xrealloc(q, 2 * room * sizeof *q);
            memset(q + room, 0, room * sizeof *q);
            room *= 2;
        }
        q[i] = qi;
        sum += q[i];
        players++;
    }
    mpz_t *rest = gvt_xmalloc((sum + 1) * sizeof *rest);
    mpz_t *cur = gvt_xmalloc((sum + 1) * sizeof *cur);
    for (size_t s = 0; s <= sum; s++) {
        mpz_init_set_ui(rest[s], s == 0);
        mpz_init(cur[s]);
    }
    for (size_t i = top; i < players; i++) /* the others weigh 0 */
        add_player(rest, sum, q[i]);
    w->n_banzhaf = top;
    w->banzhaf = gvt_xmalloc(top * sizeof *w->banzhaf);
    mpz_t swings, denom;
    mpz_inits(swings, denom, NULL);
    for (size_t i = 0; i < top; i++) {
        mpz_init(w->banzhaf[i]);
        if (q[i] == 0)
            continue;
        for (size_t s = 0; s <= sum; s++)
            mpz_set(cur[s], rest[s]);
        for (size_t j = 0; j < top; j++)
            if (j != i)
                add_player(cur, sum, q[j]);
        /* i swings a coalition of weight s when 2s <= sum < 2(s + q_i). */
        mpz_set_ui(swings, 0);
        for (size_t s = 0; 2 * s <= sum; s++)
            if (2 * (s + q[i]) > sum)
                mpz_add(swings, swings, cur[s]);
        mpz_set_ui(denom, 0);
        mpz_setbit(denom, players - 1);
        gvt_fx_ratio(w->banzhaf[i], swings, denom);
    }
    for (size_t s = 0; s <= sum; s++) {
        mpz_clear(rest[s]);
        mpz_clear(cur[s]);
    }
    free(rest);
    free(cur);
    free(q);
    mpz_clears(swings, denom, t, NULL);
}
