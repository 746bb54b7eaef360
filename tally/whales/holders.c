/*
 * holders.c: hidden whales (docs/analysis.md#humans): with attestations,
 * every whale figure again with the wallets of one human merged, as the
 * identity layer merges them (crypto/identity.h: the connected components of
 * shared (issuer, nullifier) pairs); a wallet without a valid attestation
 * stays a holder of its own. The token tally is the same: only who holds
 * the voting power changes.
 *
 * A holder's vp is the sum of its counted wallets' vp; holders are in the
 * analysis's order (vp descending, ties by the address of the human's last
 * ballot, the name identity gives a human), sorted by order.c's kernel
 * through one stand-in ballot per holder. From that order: voters (the
 * holders), nakamoto, gini, hhi, the top shares and single_voter_dominates
 * by figures.c's formulas, the power indices by power.c's, and the largest
 * human's wallets and share.
 *
 * decisive_k per human: the fewest of the largest holders that support a
 * token winner (one of its wallets does, as for decisive_k) whose absence,
 * every wallet of theirs removed, changes the token winners; the decisive
 * search of decisive.c run by steps, one step a holder, on the wallets'
 * token state (exact, no monotonicity assumed), or by re-tallies.
 */
#include "whales/parts.h"

/* One holder: a human, or an unverified wallet (human NULL). */
typedef struct holder {
    gvt_ballot stand; /* voter: the holder's name; vp: a view of its vp */
    const gvt_human *human;
    const gvt_ballot *wallet; /* an unverified wallet's ballot */
    uint32_t pos;             /* and its position in the units */
} holder;

/* The holder's vp where it lives as long as the result (the identity's
 * human, or the ballot): the power indices keep pointers to it. */
static mpz_srcptr lasting_vp(const holder *h)
{
    return h->human ? h->human->vp : h->wallet->vp;
}

/* The holders' stand-in ballots, for gvt_whales_order: human h's vp is a
 * read-only view of the identity's (no copy; never freed through it). */
static holder *make_holders(const decisive_ctx *c, const gvt_identity *id,
                            size_t *out_n)
{
    holder *h = gvt_xcalloc(id->n_humans + c->n + 1, sizeof *h);
    size_t n = 0;
    for (size_t i = 0; i < id->n_humans; i++) {
        h[n].stand.voter = id->humans[i].ballot->voter;
        h[n].stand.vp[0] = id->humans[i].vp[0];
        h[n].human = &id->humans[i];
        n++;
    }
    for (size_t j = 0; j < c->n; j++) {
        const gvt_ballot *b = c->u[j].ballot;
        if (id->human_of[b - c->p->ballots] != UINT32_MAX)
            continue;
        h[n].stand.voter = b->voter;
        h[n].stand.vp[0] = b->vp[0];
        h[n].wallet = b;
        h[n].pos = (uint32_t)j;
        n++;
    }
    *out_n = n;
    return h;
}

/* The holders in vp order, as pointers into h. */
static const holder **order_holders(holder *h, size_t n)
{
    const gvt_ballot **b = gvt_xmalloc((n + 1) * sizeof *b);
    for (size_t i = 0; i < n; i++)
        b[i] = &h[i].stand;
    gvt_whales_order(b, n);
    const holder **o = gvt_xmalloc((n + 1) * sizeof *o);
    for (size_t i = 0; i < n; i++)
        o[i] = (const holder *)(const void *)b[i]; /* stand is first */
    free(b);
    return o;
}

/* The figures of docs/analysis.md over the ordered holders (W > 0). */
static void holder_figures(const holder *const *o, size_t n, mpz_srcptr total,
                           gvt_whales *w)
{
    mpz_t sum, sq, acc, half;
    mpz_inits(sum, sq, acc, half, NULL);
    for (size_t j = 0; j < n; j++) {
        mpz_srcptr v = o[j]->stand.vp;
        mpz_add(acc, acc, v); /* sum_j (n - j) v_j = sum of running sums */
        mpz_add(sum, sum, acc);
        mpz_addmul(sq, v, v);
        mpz_mul_2exp(half, acc, 1);
        if (!w->nakamoto && mpz_cmp(half, total) > 0)
            w->nakamoto = j + 1;
    }
    w->voters = n;
    mpz_set(w->total, total);
    /* figures.c's formulas read the largest voters through a context */
    decisive_ctx c;
    memset(&c, 0, sizeof c);
    gvt_unit u[GVT_WHALES_TOP];
    for (size_t j = 0; j < n && j < GVT_WHALES_TOP; j++)
        u[j].ballot = &o[j]->stand;
    c.u = u;
    c.n = n;
    mpz_init_set(c.total, total);
    wh_figures(&c, w, sum, sq);
    mpz_clear(c.total);
    mpz_clears(sum, sq, acc, half, NULL);
}

/* The largest human: the first holder that is one. */
static void largest_human(const holder *const *o, size_t n, mpz_srcptr total,
                          gvt_whales *w)
{
    for (size_t j = 0; j < n; j++) {
        const gvt_human *hu = o[j]->human;
        if (!hu)
            continue;
        w->largest_wallets = hu->n_wallets;
        w->largest_voter = hu->ballot->voter;
        gvt_fx_ratio(w->largest_share, hu->vp, total);
        return;
    }
}

/*
 * decisive_k per human: the supporting holders in order, each a step that
 * removes its wallets with vp (their positions in the units), through the
 * wallets' context c (its state restored by the wallet search).
 */
static long holder_decisive(decisive_ctx *c, const gvt_identity *id,
                            const holder *const *o, size_t n)
{
    size_t nu = c->n;
    unsigned char *sup = gvt_xcalloc(nu + 1, 1);
    for (size_t j = 0; j < c->n_sup; j++)
        sup[c->sup[j]] = 1;
    /* each human's wallets with vp, by position: counting sort */
    size_t nh = id->n_humans;
    uint32_t *first = gvt_xcalloc(nh + 2, sizeof *first);
    uint32_t *at = gvt_xmalloc((nu + 1) * sizeof *at);
    unsigned char *hsup = gvt_xcalloc(nh + 1, 1);
    for (size_t j = 0; j < nu; j++) {
        uint32_t h = id->human_of[c->u[j].ballot - c->p->ballots];
        if (h != UINT32_MAX && mpz_sgn(c->u[j].ballot->vp) > 0)
            first[h + 1]++;
    }
    for (size_t h = 0; h < nh; h++)
        first[h + 1] += first[h];
    uint32_t *fill = gvt_xmalloc((nh + 1) * sizeof *fill);
    memcpy(fill, first, (nh + 1) * sizeof *fill);
    for (size_t j = 0; j < nu; j++) {
        uint32_t h = id->human_of[c->u[j].ballot - c->p->ballots];
        if (h == UINT32_MAX || mpz_sgn(c->u[j].ballot->vp) <= 0)
            continue;
        at[fill[h]++] = (uint32_t)j;
        hsup[h] |= sup[j];
    }
    /* the steps, holder by holder */
    uint32_t *steps = gvt_xmalloc((nu + 1) * sizeof *steps);
    uint32_t *ends = gvt_xmalloc((n + 1) * sizeof *ends);
    size_t ns = 0, nsteps = 0;
    for (size_t k = 0; k < n; k++) {
        const holder *hd = o[k];
        if (hd->human) {
            size_t h = (size_t)(hd->human - id->humans);
            if (!hsup[h])
                continue;
            for (uint32_t t = first[h]; t < first[h + 1]; t++)
                steps[ns++] = at[t];
        } else {
            if (!sup[hd->pos])
                continue;
            steps[ns++] = hd->pos;
        }
        ends[nsteps++] = (uint32_t)ns;
    }
    uint32_t *wallet_sup = c->sup;
    size_t wallet_n_sup = c->n_sup;
    c->sup = steps;
    c->n_sup = ns;
    c->step_end = ends;
    c->n_steps = nsteps;
    size_t n_after;
    long k = wh_decisive_k(c, &n_after);
    c->sup = wallet_sup;
    c->n_sup = wallet_n_sup;
    c->step_end = NULL;
    c->n_steps = 0;
    free(ends);
    free(steps);
    free(fill);
    free(hsup);
    free(at);
    free(first);
    free(sup);
    return k;
}

void wh_holders_run(decisive_ctx *c, const gvt_identity *id, gvt_whales *w)
{
    gvt_whales *h = gvt_xmalloc(sizeof *h);
    gvt_whales_init(h);
    w->humans = h;
    size_t n;
    holder *hs = make_holders(c, id, &n);
    const holder **o = order_holders(hs, n);
    if (n > 0 && mpz_sgn(c->total) > 0) {
        holder_figures(o, n, c->total, h);
        largest_human(o, n, c->total, h);
        size_t m = n < GVT_POWER_NEED ? n : GVT_POWER_NEED;
        mpz_srcptr *v = gvt_xmalloc((m + 1) * sizeof *v);
        for (size_t j = 0; j < m; j++)
            v[j] = lasting_vp(o[j]);
        if (!c->skip_power)
            wh_power_run(v, m, c->total, &h->power);
        free(v);
    } else {
        h->voters = n;
    }
    h->decisive_k = holder_decisive(c, id, o, n);
    free(o);
    free(hs);
}
