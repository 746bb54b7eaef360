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
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Resolution of the Banzhaf weights: units of W / GVT_BANZHAF_RESOLUTION. */
#define GVT_BANZHAF_RESOLUTION 1000
#define GVT_BANZHAF_PLAYERS 10
/* Work allowed for the linear phase of the generic decisive_k search, in
 * ballot x choice steps of the re-tallies (see decisive_generic). */
#define GVT_DECISIVE_BUDGET (1UL << 24)

/* a * b, or ULONG_MAX when that overflows (for the cost budgets). */
static unsigned long mul_sat(unsigned long a, unsigned long b)
{
    return a && b > ULONG_MAX / a ? ULONG_MAX : a * b;
}

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
    for (size_t j = 0; j < n; j++)
        mpz_addmul_ui(acc, v[j]->vp, (unsigned long)(n - j));
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

/*
 * v: the counted ballots in vp order (sorted_voters), or NULL to sort them
 * here. The supporters keep that order, so the token units (one per counted
 * ballot, in any order) are picked through their ballot's position.
 */
static void ctx_init(decisive_ctx *c, const gvt_result *r, const gvt_ballot **v,
                     size_t n_v)
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

    const gvt_ballot **own = NULL;
    if (!v)
        v = own = sorted_voters(p, &n_v);
    /* unit_of[ballot index] = 1 + the unit's index, 0 = no unit. */
    size_t *unit_of = gvt_xcalloc(p->n_ballots + 1, sizeof *unit_of);
    bool mapped = n_v == c->n_all;
    for (size_t i = 0; mapped && i < c->n_all; i++) {
        const gvt_ballot *b = c->all[i].ballot;
        mapped = b >= p->ballots && b < p->ballots + p->n_ballots;
        if (mapped)
            unit_of[b - p->ballots] = i + 1;
    }
    for (size_t j = 0; mapped && j < n_v; j++) {
        size_t u = unit_of[v[j] - p->ballots];
        if (u == 0) {
            mapped = false; /* a ballot without a unit: sort instead */
            break;
        }
        if (supports(c, c->all[u - 1].ballot))
            c->sup[c->n_sup++] = c->all[u - 1];
        else
            c->rest[c->n_rest++] = c->all[u - 1];
    }
    if (!mapped) {
        c->n_sup = c->n_rest = 0;
        for (size_t i = 0; i < c->n_all; i++) {
            if (supports(c, c->all[i].ballot))
                c->sup[c->n_sup++] = c->all[i];
            else
                c->rest[c->n_rest++] = c->all[i];
        }
        qsort(c->sup, c->n_sup, sizeof *c->sup, cmp_unit_desc);
    }
    free(unit_of);
    free(own);
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
 * smallest k without any monotonicity assumption. For plain sums
 * (single-choice, basic, approval) the running scores are the rule's own.
 * For weighted, whose rule renormalises with a floor, the answer is
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
    if (c->rule != GVT_TYPE_WEIGHTED && c->rule != GVT_TYPE_QUADRATIC) {
        /* Plain sums: the running scores are the rule's scores, exactly. */
        *out_k = k;
        return true;
    }
    if (k < 0)
        ok = !changed_after(c, c->n_sup);
    else
        ok = changed_after(c, (size_t)k) && !changed_after(c, (size_t)k - 1);
    if (ok)
        *out_k = k;
    return ok;
}

/* Adds (sign +1) or removes (-1) a unit's ranking in copeland's additive
 * state: d[a * n + b] the weight ranking a above b, sup[a] the weight times
 * the number of choices ranked below a, w_total the weight. */
static void copeland_apply(uint32_t n, mpz_t *d, mpz_t *sup, mpz_t w_total,
                           const gvt_unit *u, int sign)
{
    const gvt_choice *ch = u->ballot->choice;
    void (*op)(mpz_ptr, mpz_srcptr, mpz_srcptr) = sign > 0 ? mpz_add : mpz_sub;
    op(w_total, w_total, u->w);
    for (uint32_t p = 0; ch && p < ch->n; p++) {
        uint32_t a = ch->idx[p];
        if (a >= n)
            continue;
        for (uint32_t q = p + 1; q < ch->n; q++) {
            uint32_t b = ch->idx[q];
            if (b >= n)
                continue;
            op(sup[a], sup[a], u->w);
            op(d[a * n + b], d[a * n + b], u->w);
        }
    }
}

/*
 * copeland's state is additive even though its scores are not: the
 * pairwise margins D[a][b], the support of each choice and the total weight
 * W are sums over ballots. So the supporters are subtracted one at a time
 * from that state, and after each the scores are rebuilt as rules.c builds
 * them (scoring spec 4): P[c] = 2 per pairwise win and 1 per tie,
 * num[c] = 2 (n - 1) W P[c] + support[c], score[c] = floor(num[c] W /
 * sum(num)), or W / n when the sum is 0. Cost O(n_sup * n^2) big-number
 * steps for n choices; exact, with no monotonicity assumption. Like
 * decisive_additive, the answer is confirmed by full re-tallies; false asks
 * for the generic search (also when the proposal has too many choices for
 * this to pay: n_sup * n^2 above GVT_DECISIVE_BUDGET * 16).
 */
static bool decisive_copeland(decisive_ctx *c, long *out_k)
{
    uint32_t n = c->p->n_choices;
    if (n < 2 ||
        mul_sat(c->n_sup, (unsigned long)n * n) > GVT_DECISIVE_BUDGET * 16)
        return false;
    mpz_t *d = gvt_xmalloc((size_t)n * n * sizeof *d);
    mpz_t *sup = gvt_xmalloc(n * sizeof *sup);
    unsigned long *pts = gvt_xmalloc(n * sizeof *pts);
    for (size_t i = 0; i < (size_t)n * n; i++)
        mpz_init(d[i]);
    for (uint32_t i = 0; i < n; i++)
        mpz_init(sup[i]);
    mpz_t w_total, sum, t;
    mpz_inits(w_total, sum, t, NULL);

    for (size_t i = 0; i < c->n_sup; i++)
        copeland_apply(n, d, sup, w_total, &c->sup[i], +1);
    for (size_t i = 0; i < c->n_rest; i++)
        copeland_apply(n, d, sup, w_total, &c->rest[i], +1);

    long k = -1;
    bool ok = true;
    for (size_t step = 0; step <= c->n_sup; step++) {
        if (step > 0)
            copeland_apply(n, d, sup, w_total, &c->sup[step - 1], -1);
        /* Scores as rules.c computes them. */
        memset(pts, 0, n * sizeof *pts);
        for (uint32_t a = 0; a < n; a++)
            for (uint32_t b = a + 1; b < n; b++) {
                int cmp = mpz_cmp(d[a * n + b], d[b * n + a]);
                if (cmp > 0)
                    pts[a] += 2;
                else if (cmp < 0)
                    pts[b] += 2;
                else {
                    pts[a]++;
                    pts[b]++;
                }
            }
        bool bonus = mpz_sgn(w_total) > 0;
        mpz_set_ui(sum, 0);
        for (uint32_t i = 0; i < n; i++) {
            if (bonus) {
                mpz_mul_ui(t, w_total, 2UL * (n - 1));
                mpz_mul_ui(c->scores[i], t, pts[i]);
                mpz_add(c->scores[i], c->scores[i], sup[i]);
            } else {
                mpz_set_ui(c->scores[i], pts[i]);
            }
            mpz_add(sum, sum, c->scores[i]);
        }
        for (uint32_t i = 0; i < n; i++) {
            if (mpz_sgn(sum) > 0) {
                mpz_mul(t, c->scores[i], w_total);
                mpz_fdiv_q(c->scores[i], t, sum);
            } else {
                mpz_fdiv_q_ui(c->scores[i], w_total, n);
            }
        }
        size_t nw = gvt_winners(c->rule, n, c->scores, c->tmp);
        qsort(c->tmp, nw, sizeof *c->tmp, cmp_u32);
        bool same = same_set(c->tmp, nw, c->base, c->n_base);
        if (step == 0 && !same) {
            ok = false; /* not the winners rules.c found: fall back */
            break;
        }
        if (!same) {
            k = (long)step;
            break;
        }
    }
    mpz_clears(w_total, sum, t, NULL);
    for (size_t i = 0; i < (size_t)n * n; i++)
        mpz_clear(d[i]);
    for (uint32_t i = 0; i < n; i++)
        mpz_clear(sup[i]);
    free(d);
    free(sup);
    free(pts);
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
 * Instant runoff only looks at rankings, so the ballots fold into one group
 * per distinct ranking with its weight and ballot count, and removing a
 * ballot only lowers its group: the state is additive again. With c
 * choices there are at most c! groups (24 for 4), usually far fewer than
 * ballots. Each step re-runs the rounds on the groups exactly as rules.c
 * runs them (scoring spec 3: first remaining preferences; stop on a strict
 * majority of the round's total or fewer than 3 candidates; otherwise the
 * smallest tally is out, the lowest choice on a tie; scores are the last
 * round's tallies), at O(groups * c^2) per step. Used when that stays under
 * GVT_DECISIVE_BUDGET * 16 in all; exact, and confirmed by two re-tallies
 * like decisive_additive. false asks for the generic search.
 */
typedef struct rank_set {
    const uint32_t *idx;
    uint32_t n;
    size_t count; /* ballots left in the group */
    mpz_t w;
} rank_set;

static uint64_t ranking_key(const uint32_t *idx, uint32_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a over the indices */
    for (uint32_t i = 0; i < n; i++) {
        h ^= idx[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The last round's tallies of instant runoff over the groups, into scores. */
static void runoff(uint32_t nc, const rank_set *g, size_t ng, bool *out,
                   bool *present, mpz_t total, mpz_t twice, mpz_t *scores)
{
    memset(out, 0, nc * sizeof *out);
    memset(present, 0, nc * sizeof *present);
    for (size_t i = 0; i < ng; i++)
        for (uint32_t k = 0; g[i].count && k < g[i].n; k++)
            if (g[i].idx[k] < nc)
                present[g[i].idx[k]] = true;
    for (;;) {
        for (uint32_t ch = 0; ch < nc; ch++)
            mpz_set_ui(scores[ch], 0);
        mpz_set_ui(total, 0);
        for (size_t i = 0; i < ng; i++) {
            if (!g[i].count)
                continue;
            uint32_t k = 0;
            while (k < g[i].n && (g[i].idx[k] >= nc || out[g[i].idx[k]]))
                k++;
            if (k == g[i].n)
                continue;
            mpz_add(scores[g[i].idx[k]], scores[g[i].idx[k]], g[i].w);
            mpz_add(total, total, g[i].w);
        }
        uint32_t n_cand = 0;
        long top = -1, bottom = -1;
        for (uint32_t ch = 0; ch < nc; ch++) {
            if (!present[ch] || out[ch])
                continue;
            n_cand++;
            if (top < 0 || mpz_cmp(scores[ch], scores[top]) > 0)
                top = (long)ch;
            if (bottom < 0 || mpz_cmp(scores[ch], scores[bottom]) < 0)
                bottom = (long)ch;
        }
        if (n_cand == 0)
            return;
        mpz_mul_2exp(twice, scores[top], 1);
        if (mpz_cmp(twice, total) > 0 || n_cand < 3)
            return;
        out[bottom] = true;
    }
}

static bool decisive_ranked(decisive_ctx *c, long *out_k)
{
    uint32_t nc = c->p->n_choices;
    size_t n_units = c->n_sup + c->n_rest;
    size_t cap = 16;
    while (cap < 2 * n_units)
        cap *= 2;
    size_t *slot = gvt_xmalloc(cap * sizeof *slot);
    for (size_t i = 0; i < cap; i++)
        slot[i] = SIZE_MAX;
    rank_set *g = gvt_xmalloc((n_units + 1) * sizeof *g);
    size_t *sup_group = gvt_xmalloc((c->n_sup + 1) * sizeof *sup_group);
    size_t ng = 0;
    for (size_t u = 0; u < n_units; u++) {
        const gvt_unit *unit =
            u < c->n_sup ? &c->sup[u] : &c->rest[u - c->n_sup];
        const gvt_choice *ch = unit->ballot->choice;
        static const uint32_t none[1] = {0};
        const uint32_t *idx = ch ? ch->idx : none;
        uint32_t n = ch ? ch->n : 0;
        size_t h = (size_t)ranking_key(idx, n) & (cap - 1);
        while (slot[h] != SIZE_MAX &&
               !(g[slot[h]].n == n &&
                 (n == 0 || memcmp(g[slot[h]].idx, idx, n * sizeof *idx) == 0)))
            h = (h + 1) & (cap - 1);
        if (slot[h] == SIZE_MAX) {
            slot[h] = ng;
            g[ng].idx = idx;
            g[ng].n = n;
            g[ng].count = 0;
            mpz_init(g[ng].w);
            ng++;
        }
        size_t gi = slot[h];
        g[gi].count++;
        mpz_add(g[gi].w, g[gi].w, unit->w);
        if (u < c->n_sup)
            sup_group[u] = gi;
    }
    free(slot);

    bool ok = mul_sat(mul_sat(ng, (unsigned long)nc * nc), c->n_sup + 1) <=
              GVT_DECISIVE_BUDGET * 16;
    long k = -1;
    bool *out = gvt_xmalloc(nc + 1), *present = gvt_xmalloc(nc + 1);
    mpz_t total, twice;
    mpz_inits(total, twice, NULL);
    for (size_t step = 0; ok && step <= c->n_sup; step++) {
        if (step > 0) {
            rank_set *gs = &g[sup_group[step - 1]];
            gs->count--;
            mpz_sub(gs->w, gs->w, c->sup[step - 1].w);
        }
        runoff(nc, g, ng, out, present, total, twice, c->scores);
        size_t nw = gvt_winners(c->rule, nc, c->scores, c->tmp);
        qsort(c->tmp, nw, sizeof *c->tmp, cmp_u32);
        if (!same_set(c->tmp, nw, c->base, c->n_base)) {
            if (step == 0)
                ok = false; /* not the winners rules.c found */
            else
                k = (long)step;
            break;
        }
    }
    mpz_clears(total, twice, NULL);
    free(out);
    free(present);
    for (size_t i = 0; i < ng; i++)
        mpz_clear(g[i].w);
    free(g);
    free(sup_group);
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
 * decisive_k for any rule, by full re-tallies: ranked-choice and copeland
 * when their incremental searches would cost more (very many choices or
 * distinct rankings), and the fallback when a confirmation fails. Cost
 * bound:
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
    if (c->rule == GVT_TYPE_COPELAND) {
        if (decisive_copeland(c, &k))
            return k;
    } else if (c->rule == GVT_TYPE_RANKED_CHOICE) {
        if (decisive_ranked(c, &k))
            return k;
    } else if (decisive_additive(c, &k)) {
        return k;
    }
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
    ctx_init(&c, r, NULL, 0);
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
    /* v is in descending vp: past the first voter below one unit, every
     * weight is 0. */
    for (size_t i = 0; i < n; i++) {
        mpz_mul_ui(t, v[i]->vp, GVT_BANZHAF_RESOLUTION);
        mpz_fdiv_q(t, t, total);
        q[i] = (size_t)mpz_get_ui(t);
        if (q[i] == 0)
            break;
        sum += q[i];
        players++;
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

    decisive_ctx c;
    ctx_init(&c, r, v, n);
    free(v);
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
