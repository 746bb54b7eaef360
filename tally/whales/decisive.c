/*
 * decisive.c: decisive_k (docs/analysis.md): the state search, the
 * generic search by re-tallies, and the winners once the supporters are
 * removed.
 */
#include <limits.h>

#include "whales/parts.h"

void wh_ctx_free(decisive_ctx *c)
{
    for (uint32_t i = 0; i < c->p->n_choices; i++)
        mpz_clear(c->scores[i]);
    wh_state_free(&c->st);
    free(c->scores);
    free(c->tmp);
    free(c->base);
    free(c->won);
    free(c->sup);
    free(c->sup_group);
    if (!c->group_of_borrowed)
        free(c->group_of);
    free(c->is_sup);
    free(c->rank);
    free(c->head);
    mpz_clear(c->total);
    free(c->mem);
}

/*
 * Winners (ascending, into c->tmp) of a full re-tally by rules.c without
 * the k largest supporters. The k supporters are swapped to the front of u
 * (sup is ascending and sup[j] >= j, so each swap moves a supporter not yet
 * moved), the rest is tallied, and the swaps are undone in reverse order.
 */
/* The units' w (shallow copies of their ballots' vp) for gvt_rule_score. */
static void fill_pass(void *arg, size_t lo, size_t hi)
{
    gvt_unit *u = arg;
    for (size_t i = lo; i < hi; i++)
        u[i].w[0] = u[i].ballot->vp[0];
}

static void units_fill(decisive_ctx *c)
{
    if (!c->filled)
        gvt_par_run(c->threads, c->n, fill_pass, c->u, c->u);
    c->filled = true;
}

/* The units removed after k steps. */
static size_t units_at(const decisive_ctx *c, size_t k)
{
    return c->step_end && k ? c->step_end[k - 1] : k;
}

/* retally's kept units when sup is not ascending (steps): a copy of u
 * without the first k of sup. */
static size_t retally_kept(decisive_ctx *c, size_t k)
{
    unsigned char *gone = gvt_xcalloc(c->n + 1, 1);
    for (size_t j = 0; j < k; j++)
        gone[c->sup[j]] = 1;
    gvt_unit *kept = gvt_xmalloc((c->n + 1) * sizeof *kept);
    size_t m = 0;
    for (size_t j = 0; j < c->n; j++)
        if (!gone[j])
            kept[m++] = c->u[j];
    gvt_rule_score(c->rule, c->p->n_choices, kept, m, c->scores, c->threads);
    free(kept);
    free(gone);
    size_t nw = gvt_winners(c->rule, c->p->n_choices, c->scores, c->tmp);
    qsort(c->tmp, nw, sizeof *c->tmp, cmp_u32);
    c->retallies++;
    return nw;
}

static size_t retally(decisive_ctx *c, size_t k)
{
    units_fill(c);
    if (c->step_end)
        return retally_kept(c, k);
    for (size_t j = 0; j < k; j++) {
        gvt_unit t = c->u[j];
        c->u[j] = c->u[c->sup[j]];
        c->u[c->sup[j]] = t;
    }
    gvt_rule_score(c->rule, c->p->n_choices, c->u + k, c->n - k, c->scores,
                   c->threads);
    for (size_t j = k; j-- > 0;) {
        gvt_unit t = c->u[j];
        c->u[j] = c->u[c->sup[j]];
        c->u[c->sup[j]] = t;
    }
    size_t nw = gvt_winners(c->rule, c->p->n_choices, c->scores, c->tmp);
    qsort(c->tmp, nw, sizeof *c->tmp, cmp_u32);
    c->retallies++;
    return nw;
}

static bool changed_after(decisive_ctx *c, size_t k)
{
    if (k == 0)
        return false;
    size_t nw = retally(c, units_at(c, k));
    return !same_set(c->tmp, nw, c->base, c->n_base);
}

/* Removes (sign -1) or puts back (+1) the i-th of sup in the token state. */
static void state_remove(decisive_ctx *c, size_t i, int sign, mpz_t t)
{
    const gvt_unit *u = &c->u[c->sup[i]];
    if (c->rule == GVT_TYPE_RANKED_CHOICE) {
        gvt_rank_group *g = &c->st.g[c->sup_group[i]];
        if (sign < 0) {
            g->count--;
            mpz_sub(g->w, g->w, u->ballot->vp);
        } else {
            g->count++;
            mpz_add(g->w, g->w, u->ballot->vp);
        }
    } else {
        wh_state_apply(&c->st, u->ballot->choice, u->ballot->vp, sign, t);
    }
}

/*
 * decisive_k from the token state: remove the supporters one at a time
 * (largest first) and look at the winner set after each. The state after
 * removing k supporters is exactly rules.c's state over the others, so
 * this finds the smallest k exactly, with no monotonicity assumption and
 * no re-tally. Cost per step: O(choices per ballot + n_choices) big-number
 * steps for the sums and weighted, O(n_choices^2) for copeland, one instant
 * runoff over the groups for ranked-choice. Returns false when a copeland
 * or ranked-choice search has spent more than GVT_DECISIVE_BUDGET * 16 of
 * those steps without an answer, or when the state's
 * winners are not the result's token winners (never expected: both are
 * rules.c's), so that the caller falls back to the generic search.
 */
static bool decisive_state(decisive_ctx *c, long *out_k)
{
    uint32_t nc = c->p->n_choices;
    unsigned long per = 1;
    if (c->rule == GVT_TYPE_COPELAND) {
        if (nc < 2)
            return false;
        per = (unsigned long)nc * nc;
    } else if (c->rule == GVT_TYPE_RANKED_CHOICE) {
        per = mul_sat(c->st.ng, (unsigned long)nc * nc);
    }
    /* Work spent, counted per step; the sums and weighted are linear and
     * never refused. */
    bool bounded =
        c->rule == GVT_TYPE_COPELAND || c->rule == GVT_TYPE_RANKED_CHOICE;
    unsigned long work = c->rule == GVT_TYPE_RANKED_CHOICE ? per : 0;
    /* The steps need each removed ballot's ranking group, which only the
     * supporters keep: ranked-choice by steps goes the generic way. */
    if (c->step_end && c->rule == GVT_TYPE_RANKED_CHOICE)
        return false;
    size_t nw = wh_state_winners(&c->st, c->scores, c->tmp);
    if (!same_set(c->tmp, nw, c->base, c->n_base))
        return false;
    mpz_t t;
    mpz_init(t);
    long k = -1;
    bool ok = true;
    size_t i = 0, step = 0;
    for (; i < c->n_sup; i++) {
        work = work + per < work ? ULONG_MAX : work + per;
        if (bounded && work > GVT_DECISIVE_BUDGET * 16) {
            ok = false;
            break;
        }
        state_remove(c, i, -1, t);
        if (c->step_end && i + 1 != c->step_end[step])
            continue;
        step++;
        nw = wh_state_winners(&c->st, c->scores, c->tmp);
        if (!same_set(c->tmp, nw, c->base, c->n_base)) {
            k = (long)step;
            c->n_at_k = nw;
            i++;
            break;
        }
    }
    /* Put the removed back: the state serves the per-human search too. */
    while (i-- > 0)
        state_remove(c, i, +1, t);
    mpz_clear(t);
    *out_k = k;
    return ok;
}

/*
 * decisive_k for any rule, by full re-tallies: ranked-choice and copeland
 * when their incremental searches would cost more (very many choices or
 * distinct rankings). Cost
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
    size_t n = c->step_end ? c->n_steps : c->n_sup;
    if (n == 0)
        return -1;
    unsigned long per = (unsigned long)(c->n ? c->n : 1) *
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

/*
 * decisive_k, and the token winners once the decisive_k largest supporters
 * are removed into c->tmp (*n_after of them). The state search leaves them
 * in c->tmp; after the generic search one more re-tally gives them.
 */
long wh_decisive_k(decisive_ctx *c, size_t *n_after)
{
    *n_after = 0;
    if (c->n_base == 0 || c->n_sup == 0)
        return -1;
    long k = -1;
    if (decisive_state(c, &k)) {
        if (k > 0)
            *n_after = c->n_at_k;
        return k;
    }
    k = decisive_generic(c);
    if (k > 0)
        *n_after = retally(c, units_at(c, (size_t)k));
    return k;
}
