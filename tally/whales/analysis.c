/*
 * analysis.c: the whale analysis of docs/analysis.md, computed on the token
 * scheme over the counted ballots, exactly (GMP integers; every ratio is
 * floored to the 10^36 fixed point of fixed.c).
 *
 *   voters, top1_share, top10_share, nakamoto, gini, hhi,
 *   single_voter_dominates   from the vp of the counted ballots, sorted by
 *                            vp descending (ties: address ascending)
 *   decisive_k               the fewest largest supporters of the token
 *                            winner whose removal changes the winner set
 *   flips, whale_veto        winner sets of the schemes against token's
 *   banzhaf                  beyond the contract: the absolute Banzhaf index
 *                            of the ten largest voters (docs/analysis.md)
 *
 * Token and headcount winners are taken from the result when those schemes
 * were tallied, and otherwise computed here with the rules' own arithmetic
 * (rules.c's shared pieces), so the verdict never depends on the --schemes
 * list; tally.c hands over the token state when a wallet scheme computed it
 * (gvt_whales_input's wallet state), so that it is not computed
 * twice. Memory: one block of 40 bytes a ballot holds the sort keys (16)
 * and a scratch that serves the sorts, then the voters (24: token units
 * that borrow each ballot's vp, no copy); plus a byte a ballot (supporter
 * marks) and 4 bytes a voter (supporters). Large proposals are worked on
 * two threads (gvt_par_run) when the caller's thread count (the input's
 * threads) allows: every split pass sums exact integers or builds a total
 * order, so the result is the same on one thread.
 */
#include "whales/parts.h"

/* ---- entry points -----------------------------------------------------------
 */

void gvt_whales_init(gvt_whales *w)
{
    memset(w, 0, sizeof *w);
    mpz_inits(w->total, w->top1_share, w->top10_share, w->gini, w->hhi,
              w->largest_share, NULL);
    w->decisive_k = -1;
}

void gvt_whales_clear(gvt_whales *w)
{
    wh_power_clear(&w->power);
    if (w->humans) {
        gvt_whales_clear(w->humans);
        free(w->humans);
    }
    mpz_clears(w->total, w->top1_share, w->top10_share, w->gini, w->hhi,
               w->largest_share, NULL);
    free(w->token_winners);
    free(w->head_winners);
    free(w->decisive_winners);
    memset(w, 0, sizeof *w);
}

/* A copy of n winners (room for at least one). */
static uint32_t *winners_copy(const uint32_t *from, size_t n)
{
    uint32_t *to = gvt_xmalloc((n + 1) * sizeof *to);
    if (n)
        memcpy(to, from, n * sizeof *to);
    return to;
}

/* The power indices of the wallets: the largest voters' vp in order. */
static void power_of_units(const decisive_ctx *c, gvt_power *p)
{
    size_t n = c->n < GVT_POWER_NEED ? c->n : GVT_POWER_NEED;
    mpz_srcptr *v = gvt_xmalloc((n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = c->u[i].ballot->vp;
    if (mpz_sgn(c->total) > 0)
        wh_power_run(v, n, c->total, p);
    free(v);
}

void gvt_whales_run(const gvt_whales_input *r, gvt_whales *w)
{
    gvt_whales_clear(w);
    gvt_whales_init(w);
    /* Headcount winners: the result's, a tally of personhood, or the
     * address scheme computed with the token state. */
    gvt_scheme head = r->identity ? GVT_SCHEME_PERSONHOOD : GVT_SCHEME_ADDRESS;
    bool own_head = !wh_find_scheme(r, head) && !r->identity;
    decisive_ctx c;
    keys_job keys[2];
    wh_ctx_init(&c, r, own_head, keys);
    c.rank = gvt_xmalloc((r->p->n_ballots + 1) * sizeof *c.rank);
    wh_sorted_units(c.threads, keys, c.u, &c.n, c.rank, r->p->ballots);
    wh_scan_voters(&c, w);
    if (!c.skip_power)
        power_of_units(&c, &w->power);
    mpz_set(w->total, c.total);
    for (w->n_top = 0; w->n_top < c.n && w->n_top < GVT_WHALES_TOP; w->n_top++)
        w->top[w->n_top] = c.u[w->n_top].ballot;

    uint32_t *hw = c.head;
    size_t nh = c.n_head;
    if (!own_head) {
        hw = c.tmp;
        nh = wh_scheme_winners(r, head, hw);
    }
    w->whale_veto = !same_set(hw, nh, c.base, c.n_base);
    w->head_winners = winners_copy(hw, nh);
    w->n_head_winners = nh;
    w->token_winners = winners_copy(c.base, c.n_base);
    w->n_token_winners = c.n_base;

    size_t n_after;
    w->decisive_k = wh_decisive_k(&c, &n_after);
    w->decisive_winners = winners_copy(c.tmp, n_after);
    w->n_decisive_winners = n_after;
    if (r->identity)
        wh_holders_run(&c, r->identity, w);
    for (size_t i = 0; i < r->n_schemes; i++) {
        const gvt_scheme_result *s = &r->schemes[i];
        size_t nw = s->n_winners;
        if (nw)
            memcpy(c.tmp, s->winners, nw * sizeof *c.tmp);
        qsort(c.tmp, nw, sizeof *c.tmp, cmp_u32);
        if (!same_set(c.tmp, nw, c.base, c.n_base))
            w->flips |= (uint32_t)1 << s->id;
    }
    wh_ctx_free(&c);
    /* The groups per ballot served this analysis only. */
    free(r->wallet->group_of);
    r->wallet->group_of = NULL;
}
