/*
 * rules.c: Snapshot's seven type rules (docs/schemes.md#the-type-rules,
 * docs/schemes.md and 5), done exactly.
 *
 * gvt_rule_score spreads the weights of a scheme's units over the choices
 * the way snapshot.js 0.17.5 spreads `balance`, but in exact integer
 * arithmetic on fixed-point amounts (value * 10^36) instead of doubles. Every
 * sum is an exact integer sum, so the result does not depend on the order of
 * the units. The only rounded steps, each a floor at 10^-36 and each written
 * down where it happens (and in docs/numbers.md), are:
 *   quadratic  the square root of each (unit, choice) term, and the final
 *              V * Q[i] / sum(Q);
 *   weighted   each (unit, choice) share weight * w_i / W_v, and the final
 *              renormalisation V * R[i] / sum(R);
 *   copeland   the final normalisation num[i] * W / sum(num) (copeland.c).
 * single-choice, basic, approval and ranked-choice are exact.
 *
 * Units whose ballot has no decoded choice (an invalid ballot) are skipped,
 * and every choice index is checked against n_choices before use, so a unit
 * built by hand cannot make this module write out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "score/score.h"

static const gvt_choice *unit_choice(const gvt_unit *u)
{
    return u->ballot ? u->ballot->choice : NULL;
}

/*
 * Where the rules read their units from: an array of units, or the counted
 * ballots of a proposal weighted by vp (snapshot, token) or by one
 * (address), so that the wallet schemes need no array of units.
 */
typedef struct source {
    const gvt_unit *units; /* NULL: ballots */
    const gvt_ballot *ballots;
    bool one;
    unsigned threads; /* the caller's thread count (gvt_par_run) */
} source;

/* Unit i's choice (NULL: skip it) and weight. */
static inline const gvt_choice *source_at(const source *s, size_t i,
                                          mpz_srcptr *w)
{
    if (s->units) {
        *w = s->units[i].w;
        return unit_choice(&s->units[i]);
    }
    const gvt_ballot *b = &s->ballots[i];
    if (b->status != GVT_BALLOT_COUNTED)
        return NULL;
    *w = s->one ? *gvt_fx_one() : b->vp;
    return b->choice;
}

/* ---- single-choice, basic, approval: sums ----------------------------- */

/*
 * single-choice and basic: the unit's whole weight to its one choice.
 * approval: the unit's whole weight to every credited choice (no splitting;
 * an empty approval adds nothing). Exact.
 */
typedef struct sum_job {
    const source *src;
    uint32_t n_choices;
    bool all;
    mpz_t *scores;
    size_t n; /* units in all */
} sum_job;

/* n + 1 sums, made on the calling thread: the two threads' sums, made side
 * by side, would share cache lines that both write at every unit. */
static mpz_t *sums_new(uint32_t n)
{
    mpz_t *x = gvt_xmalloc((n + 1) * sizeof *x);
    for (uint32_t i = 0; i <= n; i++)
        mpz_init(x[i]);
    return x;
}

static void sums_free(mpz_t *x, uint32_t n)
{
    for (uint32_t i = 0; i <= n; i++)
        mpz_clear(x[i]);
    free(x);
}

/* to[i] += x[i] for i < n, then x (n + 1 sums) is freed. */
static void sums_flush(mpz_t *to, mpz_t *x, uint32_t n)
{
    for (uint32_t i = 0; i <= n; i++) {
        if (i < n)
            mpz_add(to[i], to[i], x[i]);
        mpz_clear(x[i]);
    }
    free(x);
}

static void sum_pass(void *arg, size_t lo, size_t hi)
{
    sum_job *j = arg;
    uint32_t nc = j->n_choices;
    /* nothing split: straight into the scores, which start at zero */
    bool whole = lo == 0 && hi == j->n;
    mpz_t *x = whole ? j->scores : sums_new(nc);
    for (size_t u = lo; u < hi; u++) {
        mpz_srcptr w;
        const gvt_choice *c = source_at(j->src, u, &w);
        if (!c)
            continue;
        uint32_t n = j->all ? c->n : (c->n > 0 ? 1 : 0);
        for (uint32_t k = 0; k < n; k++)
            if (c->idx[k] < nc)
                mpz_add(x[c->idx[k]], x[c->idx[k]], w);
    }
    if (!whole)
        sums_flush(j->scores, x, nc);
}

static void score_sum(uint32_t n_choices, const source *src, size_t n_units,
                      mpz_t *scores, bool all)
{
    mpz_t *half = gvt_xmalloc(n_choices * sizeof *half);
    for (uint32_t i = 0; i < n_choices; i++)
        mpz_init(half[i]);
    sum_job a = {src, n_choices, all, scores, n_units};
    sum_job b = {src, n_choices, all, half, n_units};
    if (gvt_par_run(src->threads, n_units, sum_pass, &a, &b))
        for (uint32_t i = 0; i < n_choices; i++)
            mpz_add(scores[i], scores[i], half[i]);
    for (uint32_t i = 0; i < n_choices; i++)
        mpz_clear(half[i]);
    free(half);
}

/* ---- rankings aggregated: ranked-choice and copeland ------------------ */

/*
 * Identical rankings are merged first (one group per distinct ranking, with
 * the exact sum of their weights and the number of units), so that the
 * rounds of instant runoff and the pairwise counts of copeland cost per
 * distinct ranking rather than per ballot. A ranking is borrowed from its
 * ballot. The whale analysis (analysis.c) builds the same groups and runs
 * the same rounds on them, so that its searches give exactly this module's
 * answer.
 */
static uint64_t ranking_hash(const uint32_t *idx, uint32_t n)
{
    return gvt_hash_bytes(idx, (size_t)n * sizeof *idx);
}

void gvt_rank_index_init(gvt_rank_index *x, size_t n_hint)
{
    size_t cap = 16;
    while (cap < 2 * n_hint)
        cap *= 2;
    x->cap = cap;
    /* Group indices fit 32 bits: at most 2^31 votes (the reader). */
    x->slot = gvt_xmalloc(cap * sizeof *x->slot);
    for (size_t i = 0; i < cap; i++)
        x->slot[i] = UINT32_MAX;
    x->room = 16;
    x->g = gvt_xmalloc(x->room * sizeof *x->g);
    x->ng = 0;
}

uint32_t gvt_rank_index_add(gvt_rank_index *x, const gvt_choice *c,
                            const mpz_t w)
{
    size_t h = (size_t)ranking_hash(c->idx, c->n) & (x->cap - 1);
    while (x->slot[h] != UINT32_MAX) {
        const gvt_rank_group *o = &x->g[x->slot[h]];
        if (o->n == c->n &&
            (c->n == 0 || memcmp(o->idx, c->idx, c->n * sizeof *c->idx) == 0))
            break;
        h = (h + 1) & (x->cap - 1);
    }
    if (x->slot[h] == UINT32_MAX) {
        if (x->ng == x->room) {
            x->room *= 2;
            x->g = gvt_xrealloc(x->g, x->room * sizeof *x->g);
        }
        /* the table holds at most n_hint groups: keep it half empty */
        if (2 * (x->ng + 1) > x->cap) {
            free(x->slot);
            x->cap *= 2;
            x->slot = gvt_xmalloc(x->cap * sizeof *x->slot);
            for (size_t i = 0; i < x->cap; i++)
                x->slot[i] = UINT32_MAX;
            for (size_t i = 0; i < x->ng; i++) {
                size_t k =
                    (size_t)ranking_hash(x->g[i].idx, x->g[i].n) & (x->cap - 1);
                while (x->slot[k] != UINT32_MAX)
                    k = (k + 1) & (x->cap - 1);
                x->slot[k] = (uint32_t)i;
            }
            return gvt_rank_index_add(x, c, w);
        }
        x->slot[h] = (uint32_t)x->ng;
        gvt_rank_group *g = &x->g[x->ng++];
        g->idx = c->idx;
        g->n = c->n;
        g->count = 1;
        mpz_init_set(g->w, w);
        return x->slot[h];
    }
    gvt_rank_group *g = &x->g[x->slot[h]];
    g->count++;
    mpz_add(g->w, g->w, w);
    return x->slot[h];
}

size_t gvt_rank_index_done(gvt_rank_index *x, gvt_rank_group **out)
{
    free(x->slot);
    x->slot = NULL;
    *out = x->g;
    return x->ng;
}

/* The groups of units [lo, hi) in an index of the job's own. */
typedef struct groups_job {
    const source *src;
    gvt_rank_index x;
    uint32_t *group_of;
} groups_job;

static void groups_pass(void *arg, size_t lo, size_t hi)
{
    groups_job *j = arg;
    gvt_rank_index x;
    gvt_rank_index_init(&x, hi - lo);
    for (size_t u = lo; u < hi; u++) {
        mpz_srcptr w;
        const gvt_choice *c = source_at(j->src, u, &w);
        uint32_t gi = c ? gvt_rank_index_add(&x, c, w) : UINT32_MAX;
        if (j->group_of)
            j->group_of[u] = gi;
    }
    j->x = x;
}

/*
 * One group per distinct ranking, in order of first appearance, with each
 * unit's group in group_of when not NULL. A large build is split: each
 * half of the units fills an index of its own, then the second half's
 * groups join the first's in their order, which is the order of first
 * appearance again, so the groups and their sums are the ones of one pass.
 */
static size_t groups_build(const source *src, size_t n_units,
                           gvt_rank_group **out, uint32_t *group_of)
{
    groups_job a = {src, {0}, group_of}, b = a;
    if (gvt_par_run(src->threads, n_units, groups_pass, &a, &b)) {
        gvt_rank_group *g;
        size_t ng = gvt_rank_index_done(&b.x, &g);
        uint32_t *map = gvt_xmalloc((ng + 1) * sizeof *map);
        for (size_t i = 0; i < ng; i++) {
            gvt_choice c;
            memset(&c, 0, sizeof c);
            c.n = g[i].n;
            c.idx = (uint32_t *)g[i].idx; /* read only */
            map[i] = gvt_rank_index_add(&a.x, &c, g[i].w);
            a.x.g[map[i]].count += g[i].count - 1;
        }
        for (size_t u = n_units / 2; group_of && u < n_units; u++)
            if (group_of[u] != UINT32_MAX)
                group_of[u] = map[group_of[u]];
        free(map);
        gvt_rank_groups_free(g, ng);
    }
    return gvt_rank_index_done(&a.x, out);
}

void gvt_rank_groups_free(gvt_rank_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpz_clear(g[i].w);
    free(g);
}

/*
 * ranked-choice: instant runoff as snapshot.js runs it (scoring spec 3).
 * Each round: the candidates are the choices still present on some ballot
 * (those without first preferences too); each ballot's weight goes to its
 * first remaining preference; the round's total is the weight of the
 * ballots still holding a candidate. The count stops when some tally is a
 * strict majority (tally * 2 > total) or fewer than three candidates are
 * left; otherwise exactly one candidate goes: the smallest tally, the lowest
 * choice index on a tie. The scores are the last round's tallies, 0 for the
 * eliminated. Only complete rankings are valid, so no ballot exhausts in
 * practice; the general rule is kept so that any input gives Snapshot's
 * answer. Exact: only sums and comparisons. Groups with count 0 (every
 * ballot of the ranking removed, as the whale analysis does) are absent.
 */
/*
 * Seats group i at its first preference not yet out, at or after cur[i]:
 * its weight joins that choice's tally and the group that choice's list;
 * an exhausted group's weight leaves the total.
 */
static void runoff_seat(const gvt_rank_group *g, size_t i, uint32_t n_choices,
                        const bool *out, uint32_t *cur, size_t *next,
                        size_t *head, mpz_t *scores, mpz_t total)
{
    while (cur[i] < g[i].n &&
           (g[i].idx[cur[i]] >= n_choices || out[g[i].idx[cur[i]]]))
        cur[i]++;
    if (cur[i] == g[i].n) {
        mpz_sub(total, total, g[i].w);
        return;
    }
    uint32_t first = g[i].idx[cur[i]];
    mpz_add(scores[first], scores[first], g[i].w);
    next[i] = head[first];
    head[first] = i;
}

void gvt_rule_runoff(uint32_t n_choices, const gvt_rank_group *g, size_t ng,
                     mpz_t *scores)
{
    size_t nc = n_choices ? n_choices : 1;
    bool *out = gvt_xcalloc(nc, sizeof *out);
    bool *present = gvt_xcalloc(nc, sizeof *present);
    /* cur[i]: position of group i's first remaining preference. It only
     * moves forward. The groups whose first preference is c form a list
     * (head[c], then next[i]), so eliminating c moves only c's groups: all
     * rounds together cost one pass over the rankings plus O(choices) per
     * round, not O(groups) per round. */
    uint32_t *cur = gvt_xcalloc(ng ? ng : 1, sizeof *cur);
    size_t *next = gvt_xmalloc((ng ? ng : 1) * sizeof *next);
    size_t *head = gvt_xmalloc(nc * sizeof *head);
    mpz_t total, twice;
    mpz_inits(total, twice, NULL);
    for (size_t c = 0; c < nc; c++)
        head[c] = SIZE_MAX;

    /* A choice is on some ballot iff it is in some ranking; it stays on
     * one until it is eliminated (the ranking that holds it cannot be
     * exhausted before). So the candidates of a round are the choices
     * present at the start that are not out yet. */
    for (size_t i = 0; i < ng; i++)
        for (uint32_t k = 0; g[i].count && k < g[i].n; k++)
            if (g[i].idx[k] < n_choices)
                present[g[i].idx[k]] = true;
    for (uint32_t c = 0; c < n_choices; c++)
        mpz_set_ui(scores[c], 0);
    /* Each group's weight goes to its first remaining preference; an
     * exhausted group leaves the round's total. */
    for (size_t i = 0; i < ng; i++) {
        if (!g[i].count)
            continue;
        mpz_add(total, total, g[i].w);
        runoff_seat(g, i, n_choices, out, cur, next, head, scores, total);
    }
    for (;;) {
        uint32_t n_cand = 0;
        long top = -1, bottom = -1;
        for (uint32_t c = 0; c < n_choices; c++) {
            if (!present[c] || out[c])
                continue;
            n_cand++;
            if (top < 0 || mpz_cmp(scores[c], scores[top]) > 0)
                top = (long)c;
            /* strict <: the lowest index wins a tie for last place */
            if (bottom < 0 || mpz_cmp(scores[c], scores[bottom]) < 0)
                bottom = (long)c;
        }
        if (n_cand == 0)
            break;
        mpz_mul_2exp(twice, scores[top], 1);
        if (mpz_cmp(twice, total) > 0 || n_cand < 3)
            break;
        out[bottom] = true;
        size_t i = head[bottom];
        head[bottom] = SIZE_MAX;
        while (i != SIZE_MAX) {
            size_t after = next[i];
            runoff_seat(g, i, n_choices, out, cur, next, head, scores, total);
            i = after;
        }
        mpz_set_ui(scores[bottom], 0);
    }
    /* scores hold the last round's tallies; eliminated and absent choices
     * hold 0. */
    mpz_clears(total, twice, NULL);
    free(head);
    free(next);
    free(cur);
    free(present);
    free(out);
}

static void score_ranked(uint32_t n_choices, const source *src, size_t n_units,
                         mpz_t *scores)
{
    gvt_rank_group *g;
    size_t ng = groups_build(src, n_units, &g, NULL);
    gvt_rule_runoff(n_choices, g, ng, scores);
    gvt_rank_groups_free(g, ng);
}

/* copeland's scores from the ranking groups (copeland.c); n >= 1. */
static void copeland_groups(uint32_t n, const gvt_rank_group *g, size_t ng,
                            mpz_t *scores)
{
    gvt_copeland c;
    gvt_copeland_init(&c, n);
    for (size_t i = 0; i < ng; i++)
        gvt_copeland_add(&c, g[i].idx, g[i].n, g[i].w, +1);
    gvt_copeland_scores(&c, scores);
    gvt_copeland_free(&c);
}

static void score_copeland(uint32_t n_choices, const source *src,
                           size_t n_units, mpz_t *scores)
{
    gvt_rank_group *g;
    size_t ng = groups_build(src, n_units, &g, NULL);
    copeland_groups(n_choices, g, ng, scores);
    gvt_rank_groups_free(g, ng);
}

/* ---- quadratic and weighted: per-ballot shares ------------------------ */

/*
 * out = floor(v * share) - the final redistribution of both rules:
 * scores[i] = floor(V * x[i] / sum(x)) for x = Q (quadratic) or R
 * (weighted), 0 for every choice when sum(x) = 0 (snapshot.js's NaN -> 0).
 */
void gvt_rule_spread(uint32_t n_choices, const mpz_t v, mpz_t *const x,
                     mpz_t *scores)
{
    mpz_t sum, t;
    mpz_inits(sum, t, NULL);
    for (uint32_t i = 0; i < n_choices; i++)
        mpz_add(sum, sum, x[i]);
    for (uint32_t i = 0; i < n_choices; i++) {
        if (mpz_sgn(sum) == 0) {
            mpz_set_ui(scores[i], 0);
            continue;
        }
        mpz_mul(t, v, x[i]);
        mpz_fdiv_q(scores[i], t, sum); /* floor at 10^-36 */
    }
    mpz_clears(sum, t, NULL);
}

/*
 * The per-unit pass of quadratic and weighted over units [lo, hi): V into
 * v and each credited choice's term into r[i] (quadratic: the square root
 * described at score_shares; weighted: the share). Sums of integers only, so
 * the passes over two halves added together give exactly the one pass.
 */
typedef struct shares_job {
    bool quadratic;
    uint32_t n_choices;
    const source *src;
    mpz_t *r;
    mpz_ptr v;
    mpz_t *tok; /* quadratic: not NULL for weighted's R of the same units */
    size_t n;   /* units in all */
} shares_job;

static void shares_pass(void *arg, size_t lo, size_t hi)
{
    shares_job *j = arg;
    uint32_t nc = j->n_choices;
    /* nothing split: straight into the job's sums, which start at zero */
    bool whole = lo == 0 && hi == j->n;
    mpz_t *x = whole ? j->r : sums_new(nc); /* R */
    mpz_ptr v = whole ? j->v : x[nc];       /* V */
    mpz_t *y = !j->tok ? NULL : whole ? j->tok : sums_new(nc);
    mpz_t t, q, r;
    mpz_inits(t, q, r, NULL);
    for (size_t u = lo; u < hi; u++) {
        mpz_srcptr w;
        const gvt_choice *c = source_at(j->src, u, &w);
        if (!c)
            continue;
        mpz_add(v, v, w);
        if (!c->w || mpz_sgn(c->total) <= 0)
            continue;
        for (uint32_t k = 0; k < c->n; k++) {
            uint32_t i = c->idx[k];
            if (i >= j->n_choices)
                continue;
            if (j->quadratic) {
                /* weighted's term too when y wants it (same division) */
                gvt_choice_term(y ? q : NULL, r, c, k, w, t);
                if (y)
                    mpz_add(y[i], y[i], q);
                mpz_sqrt(r, r); /* floor at 10^-36 */
            } else {
                gvt_choice_term(r, NULL, c, k, w, t); /* floor at 10^-36 */
            }
            mpz_add(x[i], x[i], r);
        }
    }
    mpz_clears(t, q, r, NULL);
    if (whole)
        return;
    mpz_add(j->v, j->v, x[nc]);
    sums_flush(j->r, x, nc);
    if (y)
        sums_flush(j->tok, y, nc);
}

/*
 * R[i] and V over all units: on two threads (halves added after) when
 * gvt_par_worth says so, otherwise in one pass. Same integers either way.
 */
static void shares_sum(bool quadratic, uint32_t n_choices, const source *src,
                       size_t n_units, mpz_t *r, mpz_t v, mpz_t *tok)
{
    mpz_t *r2 = sums_new(n_choices), *tok2 = sums_new(n_choices);
    mpz_t v2;
    mpz_init(v2);
    shares_job a = {quadratic, n_choices, src, r, v, tok, n_units};
    shares_job b = {quadratic, n_choices,         src,    r2,
                    v2,        tok ? tok2 : NULL, n_units};
    if (gvt_par_run(src->threads, n_units, shares_pass, &a, &b)) {
        for (uint32_t i = 0; i < n_choices; i++) {
            mpz_add(r[i], r[i], r2[i]);
            if (tok)
                mpz_add(tok[i], tok[i], tok2[i]);
        }
        mpz_add(v, v, v2);
    }
    sums_free(r2, n_choices);
    sums_free(tok2, n_choices);
    mpz_clear(v2);
}

/*
 * quadratic (scoring spec 5) and weighted (scoring spec 6), which differ only
 * in the per-ballot term and in squaring its sums. Per unit and credited
 * choice i, with w_i the ballot's value under key "i" and W_v the sum of all
 * its values (keys Snapshot never credits included):
 *   quadratic  term = sqrt(w_i / W_v * weight). In fixed point,
 *              term * 10^36 = sqrt(w_i * weight * 10^36 / W_v) with all three
 *              amounts scaled by 10^36, so the term is isqrt(floor(that)) =
 *              floor(sqrt(exact value) * 10^36): one floor at 10^-36 per term.
 *              R[i] = sum of terms (exact), then Q[i] = R[i]^2 (exact, scale
 *              10^72).
 *   weighted   term = floor(weight * w_i / W_v): one floor at 10^-36.
 *              R[i] = sum of terms. snapshot.js's *100 / 100 round trip is
 *              the identity in exact arithmetic.
 * V = sum of weights, score[i] = floor(V * X[i] / sum(X)) with X = Q or R.
 * The renormalisation matters for weighted: a value under a key Snapshot
 * never credits ("01") is in W_v, so its share is lost from R and spread back
 * over the choices in proportion to R.
 */
static void score_shares(bool quadratic, uint32_t n_choices, const source *src,
                         size_t n_units, mpz_t *scores)
{
    mpz_t *r = gvt_xmalloc(n_choices * sizeof *r);
    for (uint32_t i = 0; i < n_choices; i++)
        mpz_init(r[i]);
    mpz_t v;
    mpz_init(v);
    shares_sum(quadratic, n_choices, src, n_units, r, v, NULL);
    if (quadratic)
        for (uint32_t i = 0; i < n_choices; i++)
            mpz_mul(r[i], r[i], r[i]);
    gvt_rule_spread(n_choices, v, r, scores);
    mpz_clear(v);
    for (uint32_t i = 0; i < n_choices; i++)
        mpz_clear(r[i]);
    free(r);
}

static void rule_score(gvt_type type, uint32_t n_choices, const source *src,
                       size_t n_units, mpz_t *scores)
{
    for (uint32_t i = 0; i < n_choices; i++)
        mpz_set_ui(scores[i], 0);
    if (n_choices == 0)
        return;
    switch (type) {
    case GVT_TYPE_SINGLE_CHOICE:
    case GVT_TYPE_BASIC:
        score_sum(n_choices, src, n_units, scores, false);
        break;
    case GVT_TYPE_APPROVAL:
        score_sum(n_choices, src, n_units, scores, true);
        break;
    case GVT_TYPE_RANKED_CHOICE:
        score_ranked(n_choices, src, n_units, scores);
        break;
    case GVT_TYPE_COPELAND:
        score_copeland(n_choices, src, n_units, scores);
        break;
    case GVT_TYPE_QUADRATIC:
        score_shares(true, n_choices, src, n_units, scores);
        break;
    case GVT_TYPE_WEIGHTED:
        score_shares(false, n_choices, src, n_units, scores);
        break;
    }
}

void gvt_rule_score(gvt_type type, uint32_t n_choices, const gvt_unit *units,
                    size_t n_units, mpz_t *scores, unsigned threads)
{
    source src = {units, NULL, false, threads};
    rule_score(type, n_choices, &src, n_units, scores);
}

void gvt_rule_wallet_sums(const gvt_proposal *p, bool one, mpz_t *sums,
                          unsigned threads)
{
    source src = {NULL, p->ballots, one, threads};
    shares_sum(false, p->n_choices, &src, p->n_ballots, sums,
               sums[p->n_choices], NULL);
}

void gvt_rule_quadratic_wallets(const gvt_proposal *p, mpz_t *scores,
                                mpz_t *sums, unsigned threads)
{
    source src = {NULL, p->ballots, false, threads};
    uint32_t n = p->n_choices;
    mpz_t *r = sums_new(n);
    shares_sum(true, n, &src, p->n_ballots, r, r[n], sums);
    mpz_set(sums[n], r[n]); /* the same V */
    for (uint32_t i = 0; i < n; i++)
        mpz_mul(r[i], r[i], r[i]);
    for (uint32_t i = 0; i < n; i++)
        mpz_set_ui(scores[i], 0);
    if (n)
        gvt_rule_spread(n, r[n], r, scores);
    sums_free(r, n);
}

size_t gvt_rule_score_grouped_wallets(gvt_type type, const gvt_proposal *p,
                                      mpz_t *scores, gvt_rank_group **groups,
                                      uint32_t *group_of, unsigned threads)
{
    source src = {NULL, p->ballots, false, threads};
    uint32_t n = p->n_choices;
    for (uint32_t i = 0; i < n; i++)
        mpz_set_ui(scores[i], 0);
    size_t ng = groups_build(&src, p->n_ballots, groups, group_of);
    if (n == 0)
        return ng;
    if (type == GVT_TYPE_RANKED_CHOICE)
        gvt_rule_runoff(n, *groups, ng, scores);
    else
        copeland_groups(n, *groups, ng, scores);
    return ng;
}

void gvt_rule_score_wallets(gvt_type type, const gvt_proposal *p, bool one,
                            mpz_t *scores, unsigned threads)
{
    source src = {NULL, p->ballots, one, threads};
    rule_score(type, p->n_choices, &src, p->n_ballots, scores);
}

void gvt_wallet_state_free(gvt_wallet_state *s, uint32_t n_choices)
{
    for (int k = 0; k < 2; k++) {
        for (uint32_t c = 0; s->sums[k] && c <= n_choices; c++)
            mpz_clear(s->sums[k][c]);
        free(s->sums[k]);
    }
    if (s->groups)
        gvt_rank_groups_free(s->groups, s->ng);
    free(s->group_of);
    memset(s, 0, sizeof *s);
}
