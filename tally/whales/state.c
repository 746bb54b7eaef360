/*
 * state.c: the rules' state ballot by ballot (docs/analysis.md), and the
 * winner sets of whole schemes.
 */
#include "whales/parts.h"

/* ---- winner sets of whole schemes ---------------------------------------- */

/* The entry of scheme s in r, or NULL when it was not tallied. */
const gvt_scheme_result *wh_find_scheme(const gvt_whales_input *r, gvt_scheme s)
{
    for (size_t i = 0; i < r->n_schemes; i++)
        if (r->schemes[i].id == s)
            return &r->schemes[i];
    return NULL;
}

/*
 * Winners of scheme s over the whole proposal, into winners (room for
 * n_choices), sorted ascending. Uses the scheme's entry of r when it was
 * tallied, otherwise tallies it here.
 */
size_t wh_scheme_winners(const gvt_whales_input *r, gvt_scheme s,
                         uint32_t *winners)
{
    const gvt_proposal *p = r->p;
    const gvt_scheme_result *sr = wh_find_scheme(r, s);
    size_t n = 0;
    if (sr) {
        n = sr->n_winners;
        if (n)
            memcpy(winners, sr->winners, n * sizeof *winners);
    } else {
        size_t n_units = 0;
        gvt_unit *u = gvt_scheme_units(p, r->identity, s, r->cap, &n_units);
        mpz_t *scores = gvt_xmalloc((p->n_choices + 1) * sizeof *scores);
        for (uint32_t c = 0; c < p->n_choices; c++)
            mpz_init(scores[c]);
        gvt_type rule = gvt_scheme_rule(s, p->type);
        gvt_rule_score(rule, p->n_choices, u, n_units, scores, r->threads);
        n = gvt_winners(rule, p->n_choices, scores, winners);
        for (uint32_t c = 0; c < p->n_choices; c++)
            mpz_clear(scores[c]);
        free(scores);
        gvt_units_free(u, n_units);
    }
    qsort(winners, n, sizeof *winners, cmp_u32);
    return n;
}

void wh_state_init(state *st, gvt_type rule, uint32_t nc)
{
    memset(st, 0, sizeof *st);
    st->rule = rule;
    st->nc = nc;
    st->x = gvt_xmalloc((nc + 1) * sizeof *st->x);
    for (uint32_t i = 0; i < nc; i++)
        mpz_init(st->x[i]);
    if (rule == GVT_TYPE_COPELAND)
        gvt_copeland_init(&st->cp, nc);
    mpz_init(st->v);
}

void wh_state_free(state *st)
{
    for (uint32_t i = 0; i < st->nc; i++)
        mpz_clear(st->x[i]);
    free(st->x);
    gvt_copeland_free(&st->cp);
    mpz_clear(st->v);
    if (st->g)
        gvt_rank_groups_free(st->g, st->ng);
}

/*
 * Adds (sign +1) or removes (-1) one ballot of weight w in the state of an
 * additive rule (sums, weighted) or of copeland, with rules.c's skips: no
 * choice, no values, a choice index out of range. t is scratch.
 */
void wh_state_apply(state *st, const gvt_choice *ch, const mpz_t w, int sign,
                    mpz_t t)
{
    void (*op)(mpz_ptr, mpz_srcptr, mpz_srcptr) = sign > 0 ? mpz_add : mpz_sub;
    if (!ch)
        return;
    switch (st->rule) {
    case GVT_TYPE_COPELAND:
        gvt_copeland_add(&st->cp, ch->idx, ch->n, w, sign);
        break;
    case GVT_TYPE_QUADRATIC:
    case GVT_TYPE_WEIGHTED:
        op(st->v, st->v, w);
        if (!ch->w || mpz_sgn(ch->total) <= 0)
            break;
        for (uint32_t k = 0; k < ch->n; k++) {
            uint32_t i = ch->idx[k];
            if (i >= st->nc)
                continue;
            gvt_choice_term(t, NULL, ch, k, w, t); /* as rules.c */
            op(st->x[i], st->x[i], t);
        }
        break;
    case GVT_TYPE_APPROVAL:
        for (uint32_t k = 0; k < ch->n; k++)
            if (ch->idx[k] < st->nc)
                op(st->x[ch->idx[k]], st->x[ch->idx[k]], w);
        break;
    case GVT_TYPE_RANKED_CHOICE:
        break; /* groups: see decisive_ranked */
    default:   /* single-choice, basic */
        if (ch->n > 0 && ch->idx[0] < st->nc)
            op(st->x[ch->idx[0]], st->x[ch->idx[0]], w);
    }
}

/* The rule's scores from the state. */
static void state_scores(state *st, mpz_t *scores)
{
    switch (st->rule) {
    case GVT_TYPE_COPELAND:
        gvt_copeland_scores(&st->cp, scores);
        break;
    case GVT_TYPE_QUADRATIC:
    case GVT_TYPE_WEIGHTED:
        gvt_rule_spread(st->nc, st->v, st->x, scores);
        break;
    case GVT_TYPE_RANKED_CHOICE:
        gvt_rule_runoff(st->nc, st->g, st->ng, scores);
        break;
    default:
        for (uint32_t i = 0; i < st->nc; i++)
            mpz_set(scores[i], st->x[i]);
    }
}

/* Winners of the state, ascending, into winners. */
size_t wh_state_winners(state *st, mpz_t *scores, uint32_t *winners)
{
    state_scores(st, scores);
    size_t n = gvt_winners(st->rule, st->nc, scores, winners);
    qsort(winners, n, sizeof *winners, cmp_u32);
    return n;
}

/* copeland's state from the groups of st. */
static void state_groups_sum(state *st)
{
    if (st->rule != GVT_TYPE_COPELAND)
        return;
    for (size_t i = 0; i < st->ng; i++)
        gvt_copeland_add(&st->cp, st->g[i].idx, st->g[i].n, st->g[i].w, +1);
}

/*
 * ranked-choice and copeland: the token state from the groups of an index
 * filled with every counted ballot (taken over).
 */
void wh_state_groups(state *st, gvt_rank_index *ix)
{
    st->ng = gvt_rank_index_done(ix, &st->g);
    state_groups_sum(st);
}

/* The same from tally.c's groups (copied). */
void wh_state_groups_copy(state *st, const gvt_rank_group *g, size_t ng)
{
    st->g = gvt_xmalloc((ng + 1) * sizeof *st->g);
    st->ng = ng;
    for (size_t i = 0; i < ng; i++) {
        st->g[i] = g[i];
        mpz_init_set(st->g[i].w, g[i].w);
    }
    state_groups_sum(st);
}

/*
 * The headcount (address) winners of ranked-choice and copeland without a
 * re-tally: every counted ballot weighs one, so the token groups (tok)
 * serve with weight count x 1.
 */
size_t wh_address_winners_grouped(const state *tok, mpz_t *scores,
                                  uint32_t *winners)
{
    const mpz_t *one = gvt_fx_one();
    state st;
    wh_state_init(&st, tok->rule, tok->nc);
    st.g = gvt_xmalloc((tok->ng + 1) * sizeof *st.g);
    st.ng = tok->ng;
    for (size_t i = 0; i < tok->ng; i++) {
        st.g[i] = tok->g[i];
        mpz_init(st.g[i].w);
        mpz_mul_ui(st.g[i].w, *one, (unsigned long)tok->g[i].count);
        if (tok->rule == GVT_TYPE_COPELAND)
            gvt_copeland_add(&st.cp, st.g[i].idx, st.g[i].n, st.g[i].w, +1);
    }
    size_t nw = wh_state_winners(&st, scores, winners);
    wh_state_free(&st);
    return nw;
}
