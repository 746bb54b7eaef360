/*
 * context.c: the decisive search's context, built in one pass (two halves
 * on two threads) over the ballots in input order.
 */

#include "whales/parts.h"

/* ---- decisive_k ---------------------------------------------------------- */

static bool is_base_winner(const decisive_ctx *c, uint32_t idx0)
{
    return idx0 < c->p->n_choices && c->won[idx0];
}

/* c->won from c->base. */
static void set_won(decisive_ctx *c)
{
    for (size_t i = 0; i < c->n_base; i++)
        if (c->base[i] - 1 < c->p->n_choices)
            c->won[c->base[i] - 1] = 1;
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
 * The additive states over counted ballots [lo, hi), in the skips of
 * state_apply: W (total), the token state (st, weight vp) when do_st, the
 * headcount state of weighted and quadratic (hs, weight one) when do_hs,
 * the sums' headcount per choice (cnt) when not NULL (all: approval).
 * Every figure is a sum of exact integers: two halves added together give
 * exactly the one pass.
 */
typedef struct init_job {
    const gvt_proposal *p;
    const decisive_ctx *c;
    keys_job *keys;     /* not NULL: also key and sort the counted ballots */
    decisive_ctx *mark; /* not NULL: also mark the supporters (is_sup) */
    bool do_st, do_hs, all;
    state st, hs;
    size_t *cnt;
    mpz_t total;
} init_job;

static void init_job_init(init_job *j, const decisive_ctx *c, bool do_st,
                          bool do_hs, bool counts);
static void init_job_free(init_job *j);
static void state_add(state *to, const state *from);

static void init_sums(init_job *j, size_t lo, size_t hi);

/*
 * The pass adds into sums of its own, made on its thread, and then into
 * the job's: the two jobs' sums, made side by side, would otherwise share
 * cache lines that both threads write at every ballot.
 */
static void init_pass(void *arg, size_t lo, size_t hi)
{
    init_job *to = arg, w;
    if (lo == 0 && hi == to->p->n_ballots) {
        /* nothing split (one thread, or a small proposal): into the job's
         * own sums, which start at zero */
        init_sums(to, lo, hi);
        if (to->keys)
            wh_sort_keys(to->keys->k, to->keys->n, to->keys->tmp);
        return;
    }
    init_job_init(&w, to->c, to->do_st, to->do_hs, to->cnt != NULL);
    w.mark = to->mark;
    w.keys = to->keys;
    init_sums(&w, lo, hi);
    if (w.keys)
        wh_sort_keys(w.keys->k, w.keys->n, w.keys->tmp);
    state_add(&to->st, &w.st);
    state_add(&to->hs, &w.hs);
    mpz_add(to->total, to->total, w.total);
    for (uint32_t k = 0; to->cnt && k < to->p->n_choices; k++)
        to->cnt[k] += w.cnt[k];
    init_job_free(&w);
}

static void init_sums(init_job *j, size_t lo, size_t hi)
{
    vkey *keys = j->keys ? j->keys->k : NULL;
    size_t nk = 0;
    const mpz_t *one = gvt_fx_one();
    uint32_t nc = j->p->n_choices;
    mpz_t t;
    mpz_init(t);
    for (size_t i = lo; i < hi; i++) {
        const gvt_ballot *b = &j->p->ballots[i];
        if (j->mark)
            j->mark->is_sup[i] = 0;
        if (b->status != GVT_BALLOT_COUNTED)
            continue;
        const gvt_choice *ch = b->choice;
        if (j->mark)
            j->mark->is_sup[i] = supports(j->mark, b);
        if (keys) {
            keys[nk].key = wh_vp_key(b->vp);
            keys[nk].b = b;
            nk++;
        }
        mpz_add(j->total, j->total, b->vp);
        if (j->do_st)
            wh_state_apply(&j->st, ch, b->vp, +1, t);
        if (j->do_hs)
            wh_state_apply(&j->hs, ch, *one, +1, t);
        if (j->cnt && ch) {
            uint32_t m = j->all ? ch->n : (ch->n > 0 ? 1 : 0);
            for (uint32_t k = 0; k < m; k++)
                if (ch->idx[k] < nc)
                    j->cnt[ch->idx[k]]++;
        }
    }
    mpz_clear(t);
    if (j->keys)
        j->keys->n = nk;
}

static void init_job_init(init_job *j, const decisive_ctx *c, bool do_st,
                          bool do_hs, bool counts)
{
    memset(j, 0, sizeof *j);
    j->p = c->p;
    j->c = c;
    j->do_st = do_st;
    j->do_hs = do_hs;
    j->all = c->rule == GVT_TYPE_APPROVAL;
    wh_state_init(&j->st, c->rule, c->p->n_choices);
    wh_state_init(&j->hs, c->rule, c->p->n_choices);
    if (counts)
        j->cnt = gvt_xcalloc(c->p->n_choices + 1, sizeof *j->cnt);
    mpz_init(j->total);
}

static void init_job_free(init_job *j)
{
    wh_state_free(&j->st);
    wh_state_free(&j->hs);
    free(j->cnt);
    mpz_clear(j->total);
}

static void state_add(state *to, const state *from)
{
    for (uint32_t i = 0; i < to->nc; i++)
        mpz_add(to->x[i], to->x[i], from->x[i]);
    mpz_add(to->v, to->v, from->v);
}

/* Marks the counted ballots among [lo, hi) that support a token winner. */
static void mark_pass(void *arg, size_t lo, size_t hi)
{
    decisive_ctx *c = arg;
    for (size_t i = lo; i < hi; i++)
        c->is_sup[i] = c->p->ballots[i].status == GVT_BALLOT_COUNTED &&
                       supports(c, &c->p->ballots[i]);
}

/*
 * Builds the context over the sorted token units u (taken over: freed by
 * ctx_free): the token state, W and the token winners (from r when token
 * was tallied, otherwise from the state), and with want_head the address
 * scheme's winners (every counted ballot weighs one) from the same pass.
 * Both passes read the ballots in input order, sequentially: the state
 * (ranked-choice and copeland: the ranking groups, with each ballot's group
 * in c->group_of until scan_voters has picked the supporters'), then the
 * supporters, marked in c->is_sup.
 */
/* Both parts of the keys on one thread, beside the grouped pass. */
static void keys_run(void *arg)
{
    keys_job *h = arg;
    wh_keys_pass(&h[0], 0, h[0].p->n_ballots);
}

/* The context's arrays, and one block for the keys of both halves (the
 * first from 0, the second from mid + 1, mid = N / 2 as gvt_par_run splits;
 * all N in the first when nothing is split) and a scratch that serves the
 * sorts, then the units: 40 bytes a ballot, made here so that no thread's
 * allocator keeps a part of it. */
static void ctx_alloc(decisive_ctx *c, const gvt_proposal *p, bool want_head,
                      keys_job keys[2])
{
    uint32_t nc = p->n_choices;
    memset(c, 0, sizeof *c);
    c->p = p;
    c->rule = gvt_scheme_rule(GVT_SCHEME_TOKEN, p->type);
    c->base = gvt_xmalloc((nc + 1) * sizeof *c->base);
    c->tmp = gvt_xmalloc((nc + 1) * sizeof *c->tmp);
    c->scores = gvt_xmalloc((nc + 1) * sizeof *c->scores);
    for (uint32_t i = 0; i < nc; i++)
        mpz_init(c->scores[i]);
    mpz_init(c->total);
    if (want_head)
        c->head = gvt_xmalloc((nc + 1) * sizeof *c->head);
    wh_state_init(&c->st, c->rule, nc);
    c->won = gvt_xcalloc(nc + 1, 1);
    c->is_sup = gvt_xmalloc(p->n_ballots + 1);

    size_t nb = p->n_ballots, mid = nb / 2;
    size_t key_room = (nb + 2) * sizeof(vkey);
    size_t scratch = (nb + 2) * sizeof(vkey);
    if (scratch < (nb + 1) * sizeof(gvt_unit))
        scratch = (nb + 1) * sizeof(gvt_unit);
    c->mem = gvt_xmalloc(key_room + scratch);
    vkey *kbase = (vkey *)(void *)c->mem;
    vkey *tbase = (vkey *)(void *)(c->mem + key_room);
    c->u = (gvt_unit *)(void *)(c->mem + key_room);
    keys[0] = (keys_job){p, kbase, tbase, 0};
    keys[1] = (keys_job){p, kbase + mid + 1, tbase + mid + 1, 0};
}

/* The token winners: the result's when token was tallied, else the
 * state's; then c->won. */
static void base_winners(decisive_ctx *c, const gvt_whales_input *r)
{
    if (wh_find_scheme(r, GVT_SCHEME_TOKEN))
        c->n_base = wh_scheme_winners(r, GVT_SCHEME_TOKEN, c->base);
    else
        c->n_base = wh_state_winners(&c->st, c->scores, c->base);
    set_won(c);
}

/* ranked-choice and copeland when scoring built the ranking groups: the
 * token state without a pass; then one split pass for W, the supporters
 * and the keys. */
static void init_borrowed_groups(decisive_ctx *c, const gvt_whales_input *r,
                                 bool want_head, keys_job keys[2])
{
    const gvt_proposal *p = c->p;
    wh_state_groups_copy(&c->st, r->wallet->groups, r->wallet->ng);
    c->group_of = r->wallet->group_of; /* borrowed, read only */
    c->group_of_borrowed = true;
    if (want_head)
        c->n_head = wh_address_winners_grouped(&c->st, c->scores, c->head);
    base_winners(c, r);
    init_job h[2];
    for (int k = 0; k < 2; k++) {
        init_job_init(&h[k], c, false, false, false);
        h[k].mark = c;
        h[k].keys = &keys[k];
    }
    if (gvt_par_run(c->threads, p->n_ballots, init_pass, &h[0], &h[1]))
        mpz_add(h[0].total, h[0].total, h[1].total);
    mpz_set(c->total, h[0].total);
    for (int k = 0; k < 2; k++)
        init_job_free(&h[k]);
}

/* ranked-choice and copeland otherwise: the ranking groups are one table,
 * filled in input order, with the keys on another thread meanwhile. */
static void init_groups(decisive_ctx *c, bool want_head, keys_job keys[2])
{
    const gvt_proposal *p = c->p;
    gvt_worker keys_worker;
    bool apart = gvt_par_worth(c->threads, p->n_ballots) &&
                 gvt_worker_start(&keys_worker, c->threads, keys_run, keys);
    gvt_rank_index ix;
    gvt_rank_index_init(&ix, p->counts.counted);
    c->group_of = gvt_xmalloc((p->n_ballots + 1) * sizeof *c->group_of);
    for (size_t i = 0; i < p->n_ballots; i++) {
        const gvt_ballot *b = &p->ballots[i];
        c->group_of[i] = UINT32_MAX;
        if (b->status != GVT_BALLOT_COUNTED)
            continue;
        mpz_add(c->total, c->total, b->vp);
        if (b->choice)
            c->group_of[i] = gvt_rank_index_add(&ix, b->choice, b->vp);
    }
    if (apart)
        gvt_worker_join(&keys_worker);
    else
        wh_keys_pass(&keys[0], 0, p->n_ballots);
    wh_state_groups(&c->st, &ix);
    if (want_head)
        c->n_head = wh_address_winners_grouped(&c->st, c->scores, c->head);
}

/* The winners of a state given as sums (n_choices + 1: x, then v). */
static size_t sums_winners(decisive_ctx *c, mpz_t *const sums, bool shares)
{
    uint32_t nc = c->p->n_choices;
    state hw;
    wh_state_init(&hw, c->rule, nc);
    for (uint32_t k = 0; k < nc; k++)
        mpz_set(hw.x[k], sums[k]);
    if (shares)
        mpz_set(hw.v, sums[nc]);
    size_t n = wh_state_winners(&hw, c->scores, c->head);
    wh_state_free(&hw);
    return n;
}

/*
 * The other rules: one pass (two halves on two threads) for W, the token
 * state, the headcount and, when the token winners are known before (from
 * r, or from scoring's wallet sums, which are the token state), the
 * supporters. Returns whether the supporters are marked.
 */
static bool init_sums_rules(decisive_ctx *c, const gvt_whales_input *r,
                            bool want_head, keys_job keys[2])
{
    const gvt_proposal *p = c->p;
    uint32_t nc = p->n_choices;
    bool shares = c->rule == GVT_TYPE_WEIGHTED || c->rule == GVT_TYPE_QUADRATIC;
    init_job h[2];
    mpz_t *const *sums = r->wallet->sums;
    bool have_st = sums[0] != NULL, have_hs = sums[1] != NULL;
    bool do_hs = want_head && shares && !have_hs;
    bool counts = want_head && !shares && !have_hs;
    if (have_st) {
        for (uint32_t k = 0; k < nc; k++)
            mpz_set(c->st.x[k], sums[0][k]);
        if (shares)
            mpz_set(c->st.v, sums[0][nc]);
    }
    bool early = have_st || wh_find_scheme(r, GVT_SCHEME_TOKEN);
    if (early)
        base_winners(c, r);
    for (int k = 0; k < 2; k++) {
        init_job_init(&h[k], c, !have_st, do_hs, counts);
        h[k].mark = early ? c : NULL;
        h[k].keys = &keys[k];
    }
    if (gvt_par_run(c->threads, p->n_ballots, init_pass, &h[0], &h[1])) {
        state_add(&h[0].st, &h[1].st);
        state_add(&h[0].hs, &h[1].hs);
        mpz_add(h[0].total, h[0].total, h[1].total);
        for (uint32_t k = 0; counts && k < nc; k++)
            h[0].cnt[k] += h[1].cnt[k];
    }
    mpz_set(c->total, h[0].total);
    if (!have_st)
        state_add(&c->st, &h[0].st);
    if (want_head && have_hs) {
        c->n_head = sums_winners(c, sums[1], shares);
    } else if (do_hs) {
        c->n_head = wh_state_winners(&h[0].hs, c->scores, c->head);
    } else if (counts) {
        state ws;
        wh_state_init(&ws, c->rule, nc);
        for (uint32_t k = 0; k < nc; k++)
            mpz_mul_ui(ws.x[k], *gvt_fx_one(), (unsigned long)h[0].cnt[k]);
        c->n_head = wh_state_winners(&ws, c->scores, c->head);
        wh_state_free(&ws);
    }
    for (int k = 0; k < 2; k++)
        init_job_free(&h[k]);
    return early;
}

void wh_ctx_init(decisive_ctx *c, const gvt_whales_input *r, bool want_head,
                 keys_job keys[2])
{
    ctx_alloc(c, r->p, want_head, keys);
    c->threads = r->threads;
    c->skip_power = r->skip_power;
    bool grouped =
        c->rule == GVT_TYPE_RANKED_CHOICE || c->rule == GVT_TYPE_COPELAND;
    if (grouped && r->wallet->group_of) {
        init_borrowed_groups(c, r, want_head, keys);
        return;
    }
    if (grouped)
        init_groups(c, want_head, keys);
    else if (init_sums_rules(c, r, want_head, keys))
        return;
    base_winners(c, r);
    /* The supporters, a byte per ballot, marked in input order (sequential
     * reads; halves on two threads write distinct bytes). */
    gvt_par_run(c->threads, c->p->n_ballots, mark_pass, c, c);
}
