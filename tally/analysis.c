/*
 * analysis.c: the whale analysis of SPEC 3, computed on the token scheme
 * over the counted ballots, exactly (GMP integers; every ratio is floored to
 * the 10^36 fixed point of fixed.c).
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
 * Token and headcount winners are computed here with the scheme and rule
 * functions of schemes.c/rules.c even when those schemes were not asked for,
 * so the verdict never depends on the --schemes list.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Resolution of the Banzhaf weights: units of W / GVT_BANZHAF_RESOLUTION. */
#define GVT_BANZHAF_RESOLUTION 1000
#define GVT_BANZHAF_PLAYERS 10
/* Work allowed for the linear phase of the generic decisive_k search, in
 * ballot x choice steps of the re-tallies (see decisive_generic). */
#define GVT_DECISIVE_BUDGET (1UL << 24)

/* ---- voters in vp order ------------------------------------------------ */

static int cmp_ballot_desc(const void *a, const void *b)
{
    const gvt_ballot *x = *(const gvt_ballot *const *)a;
    const gvt_ballot *y = *(const gvt_ballot *const *)b;
    int c = mpz_cmp(y->vp, x->vp);
    if (c)
        return c;
    return strcmp(x->voter, y->voter);
}

static int cmp_unit_desc(const void *a, const void *b)
{
    const gvt_unit *x = a, *y = b;
    int c = mpz_cmp(y->w, x->w);
    if (c)
        return c;
    return strcmp(x->ballot->voter, y->ballot->voter);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static bool same_set(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Counted ballots, largest vp first; the caller frees the array. */
static const gvt_ballot **sorted_voters(const gvt_proposal *p, size_t *out_n)
{
    const gvt_ballot **v = gvt_xmalloc((p->n_ballots + 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < p->n_ballots; i++)
        if (p->ballots[i].status == GVT_BALLOT_COUNTED)
            v[n++] = &p->ballots[i];
    qsort(v, n, sizeof *v, cmp_ballot_desc);
    *out_n = n;
    return v;
}

/* ---- concentration metrics --------------------------------------------- */

/* Fills every metric of SPEC 3 that depends only on the sorted vp. */
static void concentration(gvt_whales *w, const gvt_ballot **v, size_t n)
{
    mpz_t total, acc, t;
    mpz_inits(total, acc, t, NULL);
    for (size_t i = 0; i < n; i++)
        mpz_add(total, total, v[i]->vp);
    w->voters = n;
    if (n == 0 || mpz_sgn(total) == 0)
        goto done; /* every metric stays 0 / false */

    gvt_fx_ratio(w->top1_share, v[0]->vp, total);
    for (size_t i = 0; i < n && i < 10; i++)
        mpz_add(acc, acc, v[i]->vp);
    gvt_fx_ratio(w->top10_share, acc, total);

    /* nakamoto: smallest k with 2 * (vp of the largest k) > W. */
    mpz_set_ui(acc, 0);
    for (size_t i = 0; i < n; i++) {
        mpz_add(acc, acc, v[i]->vp);
        mpz_mul_2exp(t, acc, 1);
        if (mpz_cmp(t, total) > 0) {
            w->nakamoto = i + 1;
            break;
        }
    }

    mpz_sub(t, total, v[0]->vp);
    w->single_voter_dominates = mpz_cmp(v[0]->vp, t) > 0;

    /* gini = (2 sum i w_i - (n+1) W) / (n W), i = 1..n over w ascending:
     * v is descending, so v[j] has ascending rank n - j. */
    mpz_set_ui(acc, 0);
    for (size_t j = 0; j < n; j++) {
        mpz_mul_ui(t, v[j]->vp, (unsigned long)(n - j));
        mpz_add(acc, acc, t);
    }
    mpz_mul_2exp(acc, acc, 1);
    mpz_mul_ui(t, total, (unsigned long)n + 1);
    mpz_sub(acc, acc, t);
    mpz_mul_ui(t, total, (unsigned long)n);
    gvt_fx_ratio(w->gini, acc, t);

    /* hhi = 10000 * sum w_i^2 / W^2, floored at scale. */
    mpz_set_ui(acc, 0);
    for (size_t i = 0; i < n; i++)
        mpz_addmul(acc, v[i]->vp, v[i]->vp);
    mpz_mul_ui(acc, acc, 10000);
    mpz_mul(t, total, total);
    gvt_fx_ratio(w->hhi, acc, t);
done:
    mpz_clears(total, acc, t, NULL);
}

/* ---- winner sets of whole schemes ---------------------------------------- */

/*
 * Winners of scheme s over the whole proposal, into winners (room for
 * n_choices), sorted ascending. Uses the scheme's entry of r when it was
 * tallied, otherwise tallies it here.
 */
static size_t scheme_winners(const gvt_result *r, gvt_scheme s,
                             uint32_t *winners)
{
    const gvt_proposal *p = r->p;
    size_t n = 0;
    bool found = false;
    for (size_t i = 0; i < r->n_schemes; i++)
        if (r->schemes[i].id == s) {
            n = r->schemes[i].n_winners;
            if (n)
                memcpy(winners, r->schemes[i].winners, n * sizeof *winners);
            found = true;
            break;
        }
    if (!found) {
        size_t n_units = 0;
        gvt_unit *u = gvt_scheme_units(p, r->identity, s, r->cap, &n_units);
        mpz_t *scores = gvt_xmalloc((p->n_choices + 1) * sizeof *scores);
        for (uint32_t c = 0; c < p->n_choices; c++)
            mpz_init(scores[c]);
        gvt_type rule = gvt_scheme_rule(s, p->type);
        gvt_rule_score(rule, p->n_choices, u, n_units, scores);
        n = gvt_winners(rule, p->n_choices, scores, winners);
        for (uint32_t c = 0; c < p->n_choices; c++)
            mpz_clear(scores[c]);
        free(scores);
        gvt_units_free(u, n_units);
    }
    qsort(winners, n, sizeof *winners, cmp_u32);
    return n;
}

/* ---- decisive_k ---------------------------------------------------------- */

/*
 * The token units of a proposal split for the decisive_k search: sup holds
 * the units that support a token winner, in removal order (largest first);
 * rest the others. Units are shallow copies of `all` (the GMP limbs are
 * shared, never modified), so only `all` is freed.
 */
typedef struct decisive_ctx {
    const gvt_proposal *p;
    gvt_type rule;
    gvt_unit *all;
    size_t n_all;
    gvt_unit *sup, *rest, *work;
    size_t n_sup, n_rest;
    uint32_t *base; /* token winners, ascending */
    size_t n_base;
    uint32_t *tmp;
    mpz_t *scores;
    size_t retallies; /* full re-tallies done (for the cost figures) */
} decisive_ctx;

static bool is_base_winner(const decisive_ctx *c, uint32_t idx0)
{
    uint32_t choice = idx0 + 1;
    return bsearch(&choice, c->base, c->n_base, sizeof choice, cmp_u32) != NULL;
}

/*
 * Does the ballot support a token winner: give it a positive share (single
 * choice, basic, approval, weighted and quadratic), or rank it first
 * (ranked-choice, copeland)? With a tied winner set, supporting any of the
 * tied winners counts. Ballots without vp change no score and are left out.
 */
static bool supports(const decisive_ctx *c, const gvt_ballot *b)
{
    const gvt_choice *ch = b->choice;
    if (!ch || ch->n == 0 || mpz_sgn(b->vp) <= 0)
        return false;
    switch (c->p->type) {
    case GVT_TYPE_APPROVAL:
        for (uint32_t k = 0; k < ch->n; k++)
            if (is_base_winner(c, ch->idx[k]))
                return true;
        return false;
    case GVT_TYPE_QUADRATIC:
    case GVT_TYPE_WEIGHTED:
        for (uint32_t k = 0; k < ch->n; k++)
            if (ch->w && mpz_sgn(ch->w[k]) > 0 && is_base_winner(c, ch->idx[k]))
                return true;
        return false;
    default: /* single-choice, basic, ranked-choice, copeland */
        return is_base_winner(c, ch->idx[0]);
    }
}

static void ctx_init(decisive_ctx *c, const gvt_result *r)
{
    const gvt_proposal *p = r->p;
    memset(c, 0, sizeof *c);
    c->p = p;
    c->rule = gvt_scheme_rule(GVT_SCHEME_TOKEN, p->type);
    c->all = gvt_scheme_units(p, NULL, GVT_SCHEME_TOKEN, r->cap, &c->n_all);
    c->sup = gvt_xmalloc((c->n_all + 1) * sizeof *c->sup);
    c->rest = gvt_xmalloc((c->n_all + 1) * sizeof *c->rest);
    c->work = gvt_xmalloc((c->n_all + 1) * sizeof *c->work);
    c->base = gvt_xmalloc((p->n_choices + 1) * sizeof *c->base);
    c->tmp = gvt_xmalloc((p->n_choices + 1) * sizeof *c->tmp);
    c->scores = gvt_xmalloc((p->n_choices + 1) * sizeof *c->scores);
    for (uint32_t i = 0; i < p->n_choices; i++)
        mpz_init(c->scores[i]);
    c->n_base = scheme_winners(r, GVT_SCHEME_TOKEN, c->base);
    for (size_t i = 0; i < c->n_all; i++) {
        if (supports(c, c->all[i].ballot))
            c->sup[c->n_sup++] = c->all[i];
        else
            c->rest[c->n_rest++] = c->all[i];
    }
    qsort(c->sup, c->n_sup, sizeof *c->sup, cmp_unit_desc);
}

static void ctx_free(decisive_ctx *c)
{
    for (uint32_t i = 0; i < c->p->n_choices; i++)
        mpz_clear(c->scores[i]);
    free(c->scores);
    free(c->tmp);
    free(c->base);
    free(c->work);
    free(c->rest);
    free(c->sup);
    gvt_units_free(c->all, c->n_all);
}

/* Winners (ascending, into c->tmp) of a full re-tally without the k
 * largest supporters. */
static size_t retally(decisive_ctx *c, size_t k)
{
    size_t n = 0;
    for (size_t i = k; i < c->n_sup; i++)
        c->work[n++] = c->sup[i];
    for (size_t i = 0; i < c->n_rest; i++)
        c->work[n++] = c->rest[i];
    for (uint32_t i = 0; i < c->p->n_choices; i++)
        mpz_set_ui(c->scores[i], 0);
    gvt_rule_score(c->rule, c->p->n_choices, c->work, n, c->scores);
    size_t nw = gvt_winners(c->rule, c->p->n_choices, c->scores, c->tmp);
    qsort(c->tmp, nw, sizeof *c->tmp, cmp_u32);
    c->retallies++;
    return nw;
}

static bool changed_after(decisive_ctx *c, size_t k)
{
    if (k == 0)
        return false;
    size_t nw = retally(c, k);
    return !same_set(c->tmp, nw, c->base, c->n_base);
}

/*
 * A ballot's share of each choice under the token rule when that rule is
 * additive (every type but ranked-choice and copeland): the score of a set
 * of ballots is the sum of their contributions. sign +1 adds, -1 subtracts.
 * weighted (and quadratic, which the token scheme spreads by the weighted
 * rule) credits floor(vp * w_i / total) to choice i; its final
 * renormalisation multiplies every score by one positive factor and so
 * keeps the order of the scores.
 */
static void contribute(const decisive_ctx *c, const gvt_unit *u, int sign,
                       mpz_t t)
{
    const gvt_choice *ch = u->ballot->choice;
    if (!ch)
        return;
    switch (c->rule) {
    case GVT_TYPE_APPROVAL:
        for (uint32_t k = 0; k < ch->n; k++)
            (sign > 0 ? mpz_add : mpz_sub)(c->scores[ch->idx[k]],
                                           c->scores[ch->idx[k]], u->w);
        break;
    case GVT_TYPE_QUADRATIC:
    case GVT_TYPE_WEIGHTED:
        if (!ch->w || mpz_sgn(ch->total) <= 0)
            break;
        for (uint32_t k = 0; k < ch->n; k++) {
            mpz_mul(t, u->w, ch->w[k]);
            mpz_fdiv_q(t, t, ch->total);
            (sign > 0 ? mpz_add : mpz_sub)(c->scores[ch->idx[k]],
                                           c->scores[ch->idx[k]], t);
        }
        break;
    default: /* single-choice, basic */
        if (ch->n > 0)
            (sign > 0 ? mpz_add : mpz_sub)(c->scores[ch->idx[0]],
                                           c->scores[ch->idx[0]], u->w);
    }
}

/*
 * decisive_k for the additive rules, in O(n_sup * (choices per ballot +
 * n_choices)) big-number steps: remove the supporters one at a time from
 * running scores and look at the winner set after each. This finds the
 * smallest k without any monotonicity assumption. The answer is then
 * confirmed with two full re-tallies by rules.c (at k - 1 and k, or at
 * n_sup when no k works); returns false when the confirmation fails (only
 * possible when the two roundings differ at a tie), so that the caller
 * falls back to the generic search.
 */
static bool decisive_additive(decisive_ctx *c, long *out_k)
{
    mpz_t t;
    mpz_init(t);
    uint32_t n_choices = c->p->n_choices;
    for (uint32_t i = 0; i < n_choices; i++)
        mpz_set_ui(c->scores[i], 0);
    for (size_t i = 0; i < c->n_sup; i++)
        contribute(c, &c->sup[i], +1, t);
    for (size_t i = 0; i < c->n_rest; i++)
        contribute(c, &c->rest[i], +1, t);
    size_t nw = gvt_winners(c->rule, n_choices, c->scores, c->tmp);
    qsort(c->tmp, nw, sizeof *c->tmp, cmp_u32);
    bool ok = same_set(c->tmp, nw, c->base, c->n_base);
    long k = -1;
    for (size_t i = 0; ok && i < c->n_sup; i++) {
        contribute(c, &c->sup[i], -1, t);
        nw = gvt_winners(c->rule, n_choices, c->scores, c->tmp);
        qsort(c->tmp, nw, sizeof *c->tmp, cmp_u32);
        if (!same_set(c->tmp, nw, c->base, c->n_base)) {
            k = (long)i + 1;
            break;
        }
    }
    mpz_clear(t);
    if (!ok)
        return false;
    if (k < 0)
        ok = !changed_after(c, c->n_sup);
    else
        ok = changed_after(c, (size_t)k) && !changed_after(c, (size_t)k - 1);
    if (ok)
        *out_k = k;
    return ok;
}

/*
 * decisive_k for any rule, by full re-tallies (ranked-choice and copeland,
 * whose scores are not sums over ballots). Cost bound:
 *   - a linear phase tries k = 1, 2, ... while the re-tallies' work
 *     (ballots x choices each, x choices again for copeland) stays under
 *     GVT_DECISIVE_BUDGET: exact for every k it covers;
 *   - beyond it, a galloping search doubles k until the winner set changes,
 *     then bisects between the last unchanged and the first changed k:
 *     at most 2 log2(n_sup) + 1 more re-tallies.
 * The second phase returns a k where the set is unchanged at k - 1 and
 * changed at k; it is the smallest such k whenever "changed" is monotone in
 * k past the linear phase, which instant runoff does not promise
 * (docs/analysis.md).
 */
static long decisive_generic(decisive_ctx *c)
{
    size_t n = c->n_sup;
    if (n == 0)
        return -1;
    unsigned long per = (unsigned long)(c->n_all ? c->n_all : 1) *
                        (c->p->n_choices ? c->p->n_choices : 1);
    if (c->rule == GVT_TYPE_COPELAND)
        per *= c->p->n_choices ? c->p->n_choices : 1;
    size_t linear = per ? GVT_DECISIVE_BUDGET / per : 0;
    if (linear < 8)
        linear = 8;
    size_t k = 1;
    for (; k <= n && k <= linear; k++)
        if (changed_after(c, k))
            return (long)k;
    if (k > n)
        return -1;
    size_t lo = k - 1, hi = k; /* unchanged at lo */
    for (;;) {
        if (changed_after(c, hi))
            break;
        if (hi == n)
            return -1;
        lo = hi;
        hi = hi * 2 > n ? n : hi * 2;
    }
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (changed_after(c, mid))
            hi = mid;
        else
            lo = mid;
    }
    return (long)hi;
}

static long decisive_k(decisive_ctx *c)
{
    if (c->n_base == 0 || c->n_sup == 0)
        return -1;
    long k = -1;
    if (c->rule != GVT_TYPE_RANKED_CHOICE && c->rule != GVT_TYPE_COPELAND &&
        decisive_additive(c, &k))
        return k;
    return decisive_generic(c);
}

size_t gvt_analysis_scheme_winners(const gvt_result *r, gvt_scheme s,
                                   uint32_t *winners)
{
    return scheme_winners(r, s, winners);
}

size_t gvt_analysis_decisive_winners(const gvt_result *r, uint32_t *winners)
{
    if (r->whales.decisive_k < 0)
        return 0;
    decisive_ctx c;
    ctx_init(&c, r);
    size_t k = (size_t)r->whales.decisive_k;
    size_t n = retally(&c, k <= c.n_sup ? k : c.n_sup);
    if (n)
        memcpy(winners, c.tmp, n * sizeof *winners);
    ctx_free(&c);
    return n;
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
static void banzhaf(gvt_whales *w, const gvt_ballot **v, size_t n)
{
    mpz_t total, t;
    mpz_inits(total, t, NULL);
    for (size_t i = 0; i < n; i++)
        mpz_add(total, total, v[i]->vp);
    size_t top = n < GVT_BANZHAF_PLAYERS ? n : GVT_BANZHAF_PLAYERS;
    if (top == 0 || mpz_sgn(total) == 0) {
        mpz_clears(total, t, NULL);
        return;
    }
    size_t *q = gvt_xcalloc(n, sizeof *q);
    size_t sum = 0, players = 0;
    for (size_t i = 0; i < n; i++) {
        mpz_mul_ui(t, v[i]->vp, GVT_BANZHAF_RESOLUTION);
        mpz_fdiv_q(t, t, total);
        q[i] = (size_t)mpz_get_ui(t);
        sum += q[i];
        players += q[i] > 0;
    }
    mpz_t *rest = gvt_xmalloc((sum + 1) * sizeof *rest);
    mpz_t *cur = gvt_xmalloc((sum + 1) * sizeof *cur);
    for (size_t s = 0; s <= sum; s++) {
        mpz_init_set_ui(rest[s], s == 0);
        mpz_init(cur[s]);
    }
    for (size_t i = top; i < n; i++)
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
    mpz_clears(swings, denom, total, t, NULL);
}

/* ---- entry points -----------------------------------------------------------
 */

void gvt_analysis_run(gvt_result *r)
{
    const gvt_proposal *p = r->p;
    gvt_whales *w = &r->whales;
    /* The four ratios were initialised by the result's creator (tally.c),
     * which also frees them and banzhaf (gvt_result_free). */
    mpz_set_ui(w->top1_share, 0);
    mpz_set_ui(w->top10_share, 0);
    mpz_set_ui(w->gini, 0);
    mpz_set_ui(w->hhi, 0);
    w->voters = w->nakamoto = 0;
    w->single_voter_dominates = w->whale_veto = false;
    w->flips = 0;
    w->decisive_k = -1;
    for (size_t i = 0; i < w->n_banzhaf; i++)
        mpz_clear(w->banzhaf[i]);
    free(w->banzhaf);
    w->banzhaf = NULL;
    w->n_banzhaf = 0;

    size_t n = 0;
    const gvt_ballot **v = sorted_voters(p, &n);
    concentration(w, v, n);
    banzhaf(w, v, n);
    free(v);

    decisive_ctx c;
    ctx_init(&c, r);
    w->decisive_k = decisive_k(&c);

    for (size_t i = 0; i < r->n_schemes; i++) {
        const gvt_scheme_result *s = &r->schemes[i];
        size_t nw = s->n_winners;
        if (nw)
            memcpy(c.tmp, s->winners, nw * sizeof *c.tmp);
        qsort(c.tmp, nw, sizeof *c.tmp, cmp_u32);
        if (!same_set(c.tmp, nw, c.base, c.n_base))
            w->flips |= (uint32_t)1 << s->id;
    }
    gvt_scheme head = r->identity ? GVT_SCHEME_PERSONHOOD : GVT_SCHEME_ADDRESS;
    size_t nh = scheme_winners(r, head, c.tmp);
    w->whale_veto = !same_set(c.tmp, nh, c.base, c.n_base);
    ctx_free(&c);
}
