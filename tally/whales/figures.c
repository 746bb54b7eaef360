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

/*
 * Coalition counts as fixed-width numbers of l limbs each, one row per
 * coalition weight s = 0..half: counts[s] is the number of coalitions of
 * the players added so far whose quantised weight is s. Only weights up to
 * half = floor(sum / 2) are ever read (a pivotal coalition weighs at most
 * half), and a count never shrinks below its row, so rows past half are
 * never needed. Counts of p players are at most 2^p: p / 64 + 1 limbs.
 */

/* a += b over l limbs, the carry out dropped (it is 0: see the widths);
 * inline, since most rows are one to three limbs. */
static inline void row_add(mp_limb_t *a, const mp_limb_t *b, size_t l)
{
    mp_limb_t carry = 0;
    for (size_t k = 0; k < l; k++) {
        mp_limb_t x = a[k] + carry;
        carry = x < carry;
        x += b[k];
        carry += x < b[k];
        a[k] = x;
    }
}

/* counts[s] += counts[s - q], descending so the player counts once. */
static void add_player(mp_limb_t *counts, size_t width, size_t hi, size_t q,
                       size_t l)
{
    if (q == 0 || q > hi)
        return;
    if (width == 1) {
        for (size_t s = hi; s >= q; s--)
            counts[s] += counts[s - q];
        return;
    }
    if (l > 4) {
        for (size_t s = hi; s >= q; s--)
            mpn_add_n(counts + s * width, counts + s * width,
                      counts + (s - q) * width, (mp_size_t)l);
        return;
    }
    for (size_t s = hi; s >= q; s--)
        row_add(counts + s * width, counts + (s - q) * width, l);
}

/*
 * The swings of a player of weight q, from the prefix sums P[s] of the
 * counts c over every player (all arithmetic modulo 2^(64 width), which
 * holds the exact answer: it is below 2^players). The counts without the
 * player, c', satisfy c[s] = c'[s] + c'[s - q] (the player is in the
 * coalition or not), so c'[s] = sum_k (-1)^k c[s - kq]. The player swings a
 * coalition of weight s when 2s <= sum < 2(s + q), i.e. lo <= s <= half;
 * summed over that window, the swings are the alternating sum over k of
 * the block sums of c over [lo - kq, half - kq]: P[half - kq] -
 * P[lo - kq - 1]. About 2 half / q row operations.
 */
static void player_swings(const mp_limb_t *P, size_t width, size_t half,
                          size_t sum, size_t q, mp_limb_t *acc)
{
    size_t lo = 2 * q > sum ? 0 : (sum - 2 * q) / 2 + 1;
    mp_size_t w = (mp_size_t)width;
    memset(acc, 0, width * sizeof *acc);
    for (size_t k = 0, d = 0; d <= half; k++, d += q) {
        const mp_limb_t *b = P + (half - d) * width;
        const mp_limb_t *a = lo > d ? P + (lo - d - 1) * width : NULL;
        if (width == 1) {
            mp_limb_t term = b[0] - (a ? a[0] : 0);
            acc[0] = k % 2 ? acc[0] - term : acc[0] + term;
            continue;
        }
        if (k % 2 == 0) {
            mpn_add_n(acc, acc, b, w);
            if (a)
                mpn_sub_n(acc, acc, a, w);
        } else {
            mpn_sub_n(acc, acc, b, w);
            if (a)
                mpn_add_n(acc, acc, a, w);
        }
    }
}

/*
 * The absolute Banzhaf index of the largest voters: the probability that
 * voter i turns a losing coalition into a winning one when every other
 * voter joins independently with probability 1/2, a coalition winning when
 * its vp exceeds half the counted vp. Weights are floored to units of
 * W / GVT_BANZHAF_RESOLUTION; voters below one unit are dummies at that
 * resolution and leave every index unchanged. Counting coalitions is exact:
 * one pass adds every player to the counts (O(p * sum / 2) limb additions
 * for p players above one unit), then each indexed voter is taken out again
 * from their prefix sums (O(sum / q) for a weight q).
 */
void wh_banzhaf(gvt_whales *w, const gvt_unit *v, size_t n, const mpz_t total)
{
    size_t top = n < GVT_BANZHAF_PLAYERS ? n : GVT_BANZHAF_PLAYERS;
    if (top == 0 || mpz_sgn(total) == 0)
        return;
    mpz_t t;
    mpz_init(t);
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
    size_t half = sum / 2;
    size_t width = players / 64 + 1;
    mp_limb_t *all = gvt_xcalloc((half + 1) * width, sizeof *all);
    mp_limb_t *acc = gvt_xmalloc(width * sizeof *acc);
    all[0] = 1;
    size_t part = 0;
    for (size_t j = 0; j < players; j++) {
        part += q[j];
        add_player(all, width, part < half ? part : half, q[j],
                   (j + 1) / 64 + 1);
    }
    /* prefix sums in place, modulo 2^(64 width) (see player_swings) */
    for (size_t s = 1; s <= half; s++) {
        if (width == 1)
            all[s] += all[s - 1];
        else
            mpn_add_n(all + s * width, all + s * width, all + (s - 1) * width,
                      (mp_size_t)width);
    }
    w->n_banzhaf = top;
    w->banzhaf = gvt_xmalloc(top * sizeof *w->banzhaf);
    mpz_t denom;
    mpz_init(denom);
    if (players)
        mpz_setbit(denom, players - 1);
    for (size_t i = 0; i < top; i++) {
        mpz_init(w->banzhaf[i]);
        if (q[i] == 0)
            continue;
        player_swings(all, width, half, sum, q[i], acc);
        mpz_import(t, width, -1, sizeof *acc, 0, 0, acc);
        gvt_fx_ratio(w->banzhaf[i], t, denom);
    }
    free(all);
    free(acc);
    free(q);
    mpz_clears(denom, t, NULL);
}
