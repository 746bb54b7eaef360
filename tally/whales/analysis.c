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
 * Token and headcount winners are taken from the result when those schemes
 * were tallied, and otherwise computed here with the rules' own arithmetic
 * (rules.c's shared pieces), so the verdict never depends on the --schemes
 * list; tally.c hands over the token state when a wallet scheme computed it
 * (gvt_whales_input's wallet state), so that it is not computed
 * twice. Memory: one block of 40 bytes a ballot holds the sort keys (16)
 * and a scratch that serves the sorts, then the voters (24: token units
 * that borrow each ballot's vp, no copy); plus a byte a ballot (supporter
 * marks) and 4 bytes a voter (supporters). Large proposals are worked on
 * two threads (gvt_par_run): every split pass sums exact integers or
 * builds a total order, so the result is the same on one thread.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "whales/whales.h"

/* Resolution of the Banzhaf weights: units of W / GVT_BANZHAF_RESOLUTION. */
#define GVT_BANZHAF_RESOLUTION 1000
#define GVT_BANZHAF_PLAYERS 10
/* Work allowed for the linear phase of the generic decisive_k search, in
 * ballot x choice steps of the re-tallies (see decisive_generic). */
#define GVT_DECISIVE_BUDGET (1UL << 24)

/* In vp order every voter's limbs are a cache miss: ask for them early. */
#define GVT_PREFETCH_AHEAD 16
#if defined(__GNUC__) || defined(__clang__)
#define GVT_PREFETCH(addr) __builtin_prefetch(addr)
#else
#define GVT_PREFETCH(addr) ((void)(addr))
#endif

/* a * b, or ULONG_MAX when that overflows (for the cost budgets). */
static unsigned long mul_sat(unsigned long a, unsigned long b)
{
    return a && b > ULONG_MAX / a ? ULONG_MAX : a * b;
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

/* ---- voters in vp order ------------------------------------------------ */

/*
 * The sort compares packed keys first: a key is the bit length of vp (9
 * bits, saturated) above its 55 leading bits, so key order never contradicts
 * vp order and only equal keys need the exact comparison (mpz_cmp, then the
 * address). Keys of different vp are almost always different.
 */
#define KEY_TOP_BITS 55
#define KEY_MAX_LEN 511

typedef struct vkey {
    uint64_t key;
    const gvt_ballot *b;
} vkey;

static uint64_t vp_key(const mpz_t v)
{
    if (mpz_sgn(v) <= 0)
        return 0;
#if GMP_NUMB_BITS == 64
    /* The bit length from the top limb (mpz_sizeinbase is a call). */
    size_t n = mpz_size(v);
    size_t bits =
        64 * n - (size_t)__builtin_clzll(mpz_getlimbn(v, (mp_size_t)n - 1));
#else
    size_t bits = mpz_sizeinbase(v, 2);
#endif
    uint64_t mask = ((uint64_t)1 << KEY_TOP_BITS) - 1, top;
    if (bits > KEY_MAX_LEN)
        return ((uint64_t)KEY_MAX_LEN << KEY_TOP_BITS) | mask;
#if GMP_NUMB_BITS == 64
    size_t shift = bits > KEY_TOP_BITS ? bits - KEY_TOP_BITS : 0;
    size_t li = shift / 64, off = shift % 64;
    uint64_t lo = mpz_getlimbn(v, (mp_size_t)li);
    uint64_t hi = li + 1 < mpz_size(v) ? mpz_getlimbn(v, (mp_size_t)li + 1) : 0;
    top = off ? (lo >> off) | (hi << (64 - off)) : lo;
#else
    /* Portable: the leading 31 bits, through a quotient. */
    mpz_t t;
    mpz_init(t);
    if (bits > 31)
        mpz_tdiv_q_2exp(t, v, bits - 31);
    else
        mpz_set(t, v);
    top = mpz_get_ui(t);
    mpz_clear(t);
#endif
    return ((uint64_t)bits << KEY_TOP_BITS) | (top & mask);
}

static int cmp_vkey(const void *a, const void *b)
{
    const vkey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    int c = mpz_cmp(y->b->vp, x->b->vp);
    if (c)
        return c;
    return strcmp(x->b->voter, y->b->voter);
}

/*
 * Stable least-significant-digit radix sort of k by key, descending, 8 bits
 * a pass, skipping the digits every key shares (the bit length usually is
 * one). tmp has room for n keys.
 */
static void radix_desc(vkey *k, size_t n, vkey *tmp)
{
    size_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = ~k[i].key; /* ascending on ~key = descending */
        for (int d = 0; d < 8; d++)
            cnt[d][(key >> (8 * d)) & 255]++;
    }
    vkey *src = k, *dst = tmp;
    for (int d = 0; d < 8; d++) {
        size_t *c = cnt[d];
        bool same = false;
        for (int b = 0; b < 256; b++)
            if (c[b] == n)
                same = true;
        if (same)
            continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t m = c[b];
            c[b] = pos;
            pos += m;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(~src[i].key >> (8 * d)) & 255]++] = src[i];
        vkey *t = src;
        src = dst;
        dst = t;
    }
    if (src != k)
        memcpy(k, src, n * sizeof *k);
}

/* Runs of equal keys, each sorted by cmp_vkey. */
static void sort_runs(vkey *k, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && k[j].key == k[i].key)
            j++;
        if (j - i > 1)
            qsort(k + i, j - i, sizeof *k, cmp_vkey);
        i = j;
    }
}

/* The first 8 bytes of s from off (NUL-padded) as a big-endian number:
 * its order is strcmp's on those bytes. */
static uint64_t text_key(const char *s, size_t off)
{
    uint64_t key = 0;
    size_t i = 0;
    while (i < off && s[i])
        i++;
    for (int b = 0; b < 8; b++) {
        key <<= 8;
        if (s[i])
            key |= (unsigned char)s[i++];
    }
    return key;
}

/*
 * A run of keys that tie on vp's packed key. When every vp of the run is
 * the same (integer balances make runs of thousands), the order is the
 * addresses': they are sorted by a second packed key (their first 8
 * characters after a common "0x") and only the ties on that by cmp_vkey,
 * instead of comparing strings all over memory. Otherwise by cmp_vkey.
 */
static void sort_tie(vkey *k, size_t m, vkey *tmp)
{
    bool equal = m >= 64;
    bool hex = true;
    for (size_t t = 1; equal && t < m; t++)
        equal = mpz_cmp(k[t].b->vp, k[0].b->vp) == 0;
    if (!equal) {
        qsort(k, m, sizeof *k, cmp_vkey);
        return;
    }
    for (size_t t = 0; hex && t < m; t++)
        hex = k[t].b->voter[0] == '0' && k[t].b->voter[1] == 'x';
    for (size_t t = 0; t < m; t++)
        k[t].key = ~text_key(k[t].b->voter, hex ? 2 : 0);
    radix_desc(k, m, tmp);
    sort_runs(k, m);
}

/*
 * Sorts the keys into cmp_vkey's order: a radix sort on the packed key,
 * then each run of equal keys (sort_tie). O(n) passes over 16 bytes a
 * ballot instead of O(n log n) calls of a comparison that reads each
 * ballot; tmp is scratch room for n keys.
 */
static void sort_keys(vkey *k, size_t n, vkey *tmp)
{
    if (n < 2)
        return;
    radix_desc(k, n, tmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        uint64_t key = k[i].key;
        while (j < n && k[j].key == key)
            j++;
        if (j - i > 1) {
            sort_tie(k + i, j - i, tmp);
            for (size_t t = i; t < j; t++)
                k[t].key = key; /* sort_tie used them: back to vp's */
        }
        i = j;
    }
}

/* The keys of the counted ballots among [lo, hi), sorted (one half), in
 * room for hi - lo keys at k with as much scratch at tmp. */
typedef struct keys_job {
    const gvt_proposal *p;
    vkey *k, *tmp;
    size_t n;
} keys_job;

static void keys_pass(void *arg, size_t lo, size_t hi)
{
    /* Counted in a local: the two jobs are neighbours in memory. */
    keys_job *j = arg;
    vkey *k = j->k;
    size_t n = 0;
    for (size_t i = lo; i < hi; i++) {
        const gvt_ballot *b = &j->p->ballots[i];
        if (b->status != GVT_BALLOT_COUNTED)
            continue;
        k[n].key = vp_key(b->vp);
        k[n].b = b;
        n++;
    }
    sort_keys(k, n, j->tmp);
    j->n = n;
}

/*
 * Two sorted halves merged into the units: the front merge writes
 * positions [0, hi) from the largest, the back merge [lo, n) from the
 * smallest. Both follow one stable merge (a's key first on a tie, which
 * distinct voters never make), so together they write each unit once.
 */
typedef struct merge_job {
    const vkey *a, *b;
    size_t na, nb;
    gvt_unit *u;
    uint32_t *rank; /* per ballot of p: its position in u */
    const gvt_ballot *ballots;
} merge_job;

static void put_unit(const merge_job *j, size_t pos, const vkey *k)
{
    /* Only the ballot: its vp is read there (the units' w are filled by
     * units_fill when a re-tally needs them). */
    j->u[pos].ballot = k->b;
    j->rank[k->b - j->ballots] = (uint32_t)pos;
}

static void merge_pass(void *arg, size_t lo, size_t hi)
{
    merge_job *j = arg;
    const vkey *a = j->a, *b = j->b;
    if (lo == 0) {
        size_t i = 0, k = 0;
        for (size_t pos = 0; pos < hi; pos++) {
            if (i + GVT_PREFETCH_AHEAD < j->na)
                GVT_PREFETCH(a[i + GVT_PREFETCH_AHEAD].b);
            if (k + GVT_PREFETCH_AHEAD < j->nb)
                GVT_PREFETCH(b[k + GVT_PREFETCH_AHEAD].b);
            if (k == j->nb || (i < j->na && cmp_vkey(&a[i], &b[k]) <= 0))
                put_unit(j, pos, &a[i++]);
            else
                put_unit(j, pos, &b[k++]);
        }
        return;
    }
    size_t i = j->na, k = j->nb; /* one past the last not yet placed */
    for (size_t pos = j->na + j->nb; pos-- > lo;) {
        if (i > GVT_PREFETCH_AHEAD)
            GVT_PREFETCH(a[i - 1 - GVT_PREFETCH_AHEAD].b);
        if (k > GVT_PREFETCH_AHEAD)
            GVT_PREFETCH(b[k - 1 - GVT_PREFETCH_AHEAD].b);
        if (i == 0 || (k > 0 && cmp_vkey(&a[i - 1], &b[k - 1]) <= 0))
            put_unit(j, pos, &b[--k]);
        else
            put_unit(j, pos, &a[--i]);
    }
}

/*
 * The token units (one per counted ballot, weight vp), largest vp first,
 * ties by address ascending. Only each unit's ballot is set here: the
 * analysis reads the ballot's vp, and units_fill sets every w (a shallow
 * copy of the ballot's vp, sharing its limbs, never written, released with
 * the block, never gvt_units_free) before a re-tally. h holds the keys of
 * the counted
 * ballots in two sorted parts (ctx_init makes them, each half of the
 * ballots on its own thread for a large proposal; the second may be
 * empty), merged here from both ends at once into u (the scratch room of
 * ctx_init's block), with each ballot's position in rank; the order is the
 * same total order on any number of threads.
 */
static void sorted_units(keys_job h[2], gvt_unit *u, size_t *out_n,
                         uint32_t *rank, const gvt_ballot *ballots)
{
    size_t n = h[0].n + h[1].n;
    merge_job m = {h[0].k, h[1].k, h[0].n, h[1].n, u, rank, ballots};
    gvt_par_run(n, merge_pass, &m, &m);
    *out_n = n;
}

/* ---- winner sets of whole schemes ---------------------------------------- */

/* The entry of scheme s in r, or NULL when it was not tallied. */
static const gvt_scheme_result *find_scheme(const gvt_whales_input *r,
                                            gvt_scheme s)
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
static size_t scheme_winners(const gvt_whales_input *r, gvt_scheme s,
                             uint32_t *winners)
{
    const gvt_proposal *p = r->p;
    const gvt_scheme_result *sr = find_scheme(r, s);
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

/* ---- the rules' state, ballot by ballot ------------------------------------
 *
 * Every rule's scores are a function of a state that is a sum over ballots:
 *   single-choice, basic, approval  the scores themselves;
 *   weighted (and quadratic under   R[i], the sum of the ballots' shares
 *   the token and address schemes)  floor(w * w_i / W_v), and V, the sum of
 *                                   the weights; scores = spread(V, R);
 *   ranked-choice                   the weight and count of each distinct
 *                                   ranking; scores = instant runoff;
 *   copeland                        the pairwise margins, the support of
 *                                   each choice and W.
 * The state over any set of ballots is therefore exactly the one rules.c
 * builds, and its scores (computed by rules.c's own functions) are the
 * rule's: removing ballots one at a time from it needs no re-tally.
 */
typedef struct state {
    gvt_type rule;
    uint32_t nc;
    mpz_t *x; /* sums: scores; weighted: R; copeland: support */
    mpz_t *d; /* copeland: margins, upper triangle */
    size_t n_pairs;
    mpz_t v;           /* weighted: V; copeland: W */
    gvt_rank_group *g; /* ranked-choice, copeland */
    size_t ng;
} state;

static void state_init(state *st, gvt_type rule, uint32_t nc)
{
    memset(st, 0, sizeof *st);
    st->rule = rule;
    st->nc = nc;
    st->x = gvt_xmalloc((nc + 1) * sizeof *st->x);
    for (uint32_t i = 0; i < nc; i++)
        mpz_init(st->x[i]);
    if (rule == GVT_TYPE_COPELAND) {
        st->n_pairs = (size_t)nc * (nc ? nc - 1 : 0) / 2;
        st->d = gvt_xmalloc((st->n_pairs + 1) * sizeof *st->d);
        for (size_t i = 0; i < st->n_pairs; i++)
            mpz_init(st->d[i]);
    }
    mpz_init(st->v);
}

static void state_free(state *st)
{
    for (uint32_t i = 0; i < st->nc; i++)
        mpz_clear(st->x[i]);
    free(st->x);
    for (size_t i = 0; i < st->n_pairs; i++)
        mpz_clear(st->d[i]);
    free(st->d);
    mpz_clear(st->v);
    if (st->g)
        gvt_rank_groups_free(st->g, st->ng);
}

/*
 * Adds (sign +1) or removes (-1) one ballot of weight w in the state of an
 * additive rule (sums, weighted) or of copeland, with rules.c's skips: no
 * choice, no values, a choice index out of range. t is scratch.
 */
static void state_apply(state *st, const gvt_choice *ch, const mpz_t w,
                        int sign, mpz_t t)
{
    void (*op)(mpz_ptr, mpz_srcptr, mpz_srcptr) = sign > 0 ? mpz_add : mpz_sub;
    if (!ch)
        return;
    switch (st->rule) {
    case GVT_TYPE_COPELAND:
        op(st->v, st->v, w);
        gvt_copeland_add(st->nc, st->d, st->x, ch->idx, ch->n, w, sign);
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
        gvt_copeland_scores(st->nc, st->d, st->x, st->v, scores);
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
static size_t state_winners(state *st, mpz_t *scores, uint32_t *winners)
{
    state_scores(st, scores);
    size_t n = gvt_winners(st->rule, st->nc, scores, winners);
    qsort(winners, n, sizeof *winners, cmp_u32);
    return n;
}

/* copeland's margins, support and W from the groups of st. */
static void state_groups_sum(state *st)
{
    if (st->rule != GVT_TYPE_COPELAND)
        return;
    for (size_t i = 0; i < st->ng; i++) {
        mpz_add(st->v, st->v, st->g[i].w);
        gvt_copeland_add(st->nc, st->d, st->x, st->g[i].idx, st->g[i].n,
                         st->g[i].w, +1);
    }
}

/*
 * ranked-choice and copeland: the token state from the groups of an index
 * filled with every counted ballot (taken over).
 */
static void state_groups(state *st, gvt_rank_index *ix)
{
    st->ng = gvt_rank_index_done(ix, &st->g);
    state_groups_sum(st);
}

/* The same from tally.c's groups (copied). */
static void state_groups_copy(state *st, const gvt_rank_group *g, size_t ng)
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
static size_t address_winners_grouped(const state *tok, mpz_t *scores,
                                      uint32_t *winners)
{
    const mpz_t *one = gvt_fx_one();
    state st;
    state_init(&st, tok->rule, tok->nc);
    st.g = gvt_xmalloc((tok->ng + 1) * sizeof *st.g);
    st.ng = tok->ng;
    for (size_t i = 0; i < tok->ng; i++) {
        st.g[i] = tok->g[i];
        mpz_init(st.g[i].w);
        mpz_mul_ui(st.g[i].w, *one, (unsigned long)tok->g[i].count);
        if (tok->rule == GVT_TYPE_COPELAND) {
            mpz_add(st.v, st.v, st.g[i].w);
            gvt_copeland_add(st.nc, st.d, st.x, st.g[i].idx, st.g[i].n,
                             st.g[i].w, +1);
        }
    }
    size_t nw = state_winners(&st, scores, winners);
    state_free(&st);
    return nw;
}

/* ---- decisive_k ---------------------------------------------------------- */

/*
 * The search's context: u holds every counted ballot as a token unit in vp
 * order; sup the positions in u of the ballots that support a token winner,
 * in removal order (largest first); sup_group their ranking groups
 * (ranked-choice and copeland). st is the token state over all of u.
 */
typedef struct decisive_ctx {
    const gvt_proposal *p;
    gvt_type rule;
    unsigned char *mem; /* the keys, then the scratch that becomes u */
    bool filled;        /* the w of u are set (units_fill) */
    uint32_t *rank;     /* per ballot of p: its position in u, until scanned */
    gvt_unit *u;
    size_t n;
    uint32_t *sup;
    uint32_t *sup_group;
    size_t n_sup;
    uint32_t *group_of;     /* ranking group per ballot of p, until scanned */
    bool group_of_borrowed; /* group_of is the wallet state's */
    unsigned char *is_sup;  /* per ballot of p: 1 if it supports a token
                               winner */
    uint32_t *base;         /* token winners, ascending */
    unsigned char *won;     /* per 0-based choice: 1 for a token winner */
    size_t n_base;
    uint32_t *tmp;
    mpz_t *scores;
    state st;
    mpz_t total;    /* counted vp W */
    uint32_t *head; /* address winners when asked for, ascending */
    size_t n_head;
    size_t retallies; /* full re-tallies done (for the cost figures) */
    size_t n_at_k;    /* decisive_state: winners at its k, left in tmp */
} decisive_ctx;

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
    init_job_init(&w, to->c, to->do_st, to->do_hs, to->cnt != NULL);
    w.mark = to->mark;
    w.keys = to->keys;
    init_sums(&w, lo, hi);
    if (w.keys)
        sort_keys(w.keys->k, w.keys->n, w.keys->tmp);
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
            keys[nk].key = vp_key(b->vp);
            keys[nk].b = b;
            nk++;
        }
        mpz_add(j->total, j->total, b->vp);
        if (j->do_st)
            state_apply(&j->st, ch, b->vp, +1, t);
        if (j->do_hs)
            state_apply(&j->hs, ch, *one, +1, t);
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
    state_init(&j->st, c->rule, c->p->n_choices);
    state_init(&j->hs, c->rule, c->p->n_choices);
    if (counts)
        j->cnt = gvt_xcalloc(c->p->n_choices + 1, sizeof *j->cnt);
    mpz_init(j->total);
}

static void init_job_free(init_job *j)
{
    state_free(&j->st);
    state_free(&j->hs);
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
static void *keys_run(void *arg)
{
    keys_job *h = arg;
    keys_pass(&h[0], 0, h[0].p->n_ballots);
    return NULL;
}

static void ctx_init(decisive_ctx *c, const gvt_whales_input *r, bool want_head,
                     keys_job keys[2])
{
    const gvt_proposal *p = r->p;
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
    state_init(&c->st, c->rule, nc);
    c->won = gvt_xcalloc(nc + 1, 1);
    c->is_sup = gvt_xmalloc(p->n_ballots + 1);

    const mpz_t *one = gvt_fx_one();
    bool grouped =
        c->rule == GVT_TYPE_RANKED_CHOICE || c->rule == GVT_TYPE_COPELAND;
    bool shares = c->rule == GVT_TYPE_WEIGHTED || c->rule == GVT_TYPE_QUADRATIC;
    /* One block for the keys of both halves (the first from 0, the second
     * from mid + 1, mid = N / 2 as gvt_par_run splits; all N in the first
     * when nothing is split) and a scratch that serves the sorts, then the
     * units: 40 bytes a ballot, made here so that no thread's allocator
     * keeps a part of it. */
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
    if (grouped && r->wallet->group_of) {
        /* tally.c's groups: the token state without a pass; then one split
         * pass for W, the supporters and the keys. */
        state_groups_copy(&c->st, r->wallet->groups, r->wallet->ng);
        c->group_of = r->wallet->group_of; /* borrowed, read only */
        c->group_of_borrowed = true;
        if (want_head)
            c->n_head = address_winners_grouped(&c->st, c->scores, c->head);
        if (find_scheme(r, GVT_SCHEME_TOKEN))
            c->n_base = scheme_winners(r, GVT_SCHEME_TOKEN, c->base);
        else
            c->n_base = state_winners(&c->st, c->scores, c->base);
        set_won(c);
        init_job h[2];
        for (int k = 0; k < 2; k++) {
            init_job_init(&h[k], c, false, false, false);
            h[k].mark = c;
            h[k].keys = &keys[k];
        }
        if (gvt_par_run(p->n_ballots, init_pass, &h[0], &h[1]))
            mpz_add(h[0].total, h[0].total, h[1].total);
        mpz_set(c->total, h[0].total);
        for (int k = 0; k < 2; k++)
            init_job_free(&h[k]);
        return;
    }
    if (grouped) {
        /* The keys on another thread meanwhile: the ranking groups are one
         * table, filled in input order. */
        pthread_t th;
        bool apart = gvt_par_worth(p->n_ballots) &&
                     pthread_create(&th, NULL, keys_run, keys) == 0;
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
            pthread_join(th, NULL);
        else
            keys_pass(&keys[0], 0, p->n_ballots);
        state_groups(&c->st, &ix);
        if (want_head)
            c->n_head = address_winners_grouped(&c->st, c->scores, c->head);
    } else {
        /* One pass (two halves on two threads) for W, the token state, the
         * headcount and, when the token winners are known before (from r,
         * or from tally.c's wallet sums, which are the token state), the
         * supporters. */
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
        bool early = true;
        if (find_scheme(r, GVT_SCHEME_TOKEN))
            c->n_base = scheme_winners(r, GVT_SCHEME_TOKEN, c->base);
        else if (have_st)
            c->n_base = state_winners(&c->st, c->scores, c->base);
        else
            early = false;
        if (early)
            set_won(c);
        for (int k = 0; k < 2; k++) {
            init_job_init(&h[k], c, !have_st, do_hs, counts);
            h[k].mark = early ? c : NULL;
            h[k].keys = &keys[k];
        }
        bool split = gvt_par_run(p->n_ballots, init_pass, &h[0], &h[1]);
        if (split) {
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
            state hw;
            state_init(&hw, c->rule, nc);
            for (uint32_t k = 0; k < nc; k++)
                mpz_set(hw.x[k], sums[1][k]);
            if (shares)
                mpz_set(hw.v, sums[1][nc]);
            c->n_head = state_winners(&hw, c->scores, c->head);
            state_free(&hw);
        } else if (do_hs) {
            c->n_head = state_winners(&h[0].hs, c->scores, c->head);
        } else if (counts) {
            state ws;
            state_init(&ws, c->rule, nc);
            for (uint32_t k = 0; k < nc; k++)
                mpz_mul_ui(ws.x[k], *one, (unsigned long)h[0].cnt[k]);
            c->n_head = state_winners(&ws, c->scores, c->head);
            state_free(&ws);
        }
        for (int k = 0; k < 2; k++)
            init_job_free(&h[k]);
        if (early)
            return;
    }
    if (find_scheme(r, GVT_SCHEME_TOKEN))
        c->n_base = scheme_winners(r, GVT_SCHEME_TOKEN, c->base);
    else
        c->n_base = state_winners(&c->st, c->scores, c->base);
    set_won(c);
    /* The supporters, a byte per ballot, marked in input order (sequential
     * reads; halves on two threads write distinct bytes). */
    gvt_par_run(p->n_ballots, mark_pass, c, c);
}

/*
 * One pass over the voters in vp order (u): the supporters of the token
 * winners into c->sup, in that order (their groups into c->sup_group), and,
 * when w is not NULL, every metric of SPEC 3 that depends only on the
 * sorted vp. Reading each voter once matters at a million ballots: in vp
 * order every ballot is a cache miss.
 *
 * With P_j the vp of the j + 1 largest, nakamoto is the smallest k with
 * 2 P_(k-1) > W, and gini's sum i w_i over w ascending (i = 1..n) is
 * sum_j (n - j) v_j over v descending, which is sum_j P_j: additions only.
 * gini = (2 sum i w_i - (n+1) W) / (n W).
 */
/*
 * One half [lo, hi) of the ballots for scan_voters, in input order (each
 * voter's position comes from rank: no read in vp order), at limb level in
 * fixed widths that cannot overflow: with m the limbs of the largest vp and
 * n < 2^32 voters, sum_j (n - j) v_j needs m + 2 limbs (s), the sum of
 * squares 2 m + 1 (q), the vp of the voters of each block of bs positions
 * m + 1 (the blocks, for nakamoto). Marks at[j] for the supporter at j.
 */
#define GVT_SCAN_BLOCKS 1024

typedef struct scan_job {
    const decisive_ctx *c;
    unsigned char *at;
    bool metrics;
    size_t m, bs;
    mp_limb_t *lim; /* s, q, room for one square, then the blocks */
} scan_job;

static void scan_run(scan_job *j, size_t lo, size_t hi);

#if defined(__SIZEOF_INT128__) && GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0
/* A vp of one or two limbs (nearly all of them) is summed here with 128-bit
 * products instead of calls into GMP. */
#define GVT_SCAN_U128 1
__extension__ typedef unsigned __int128 scan_u128;

/* r[at, rn) += x, carried as far as needed: the widths of scan_job never
 * overflow. */
static inline void add_u128(mp_limb_t *r, size_t rn, size_t at, scan_u128 x)
{
    scan_u128 t = (scan_u128)r[at] + (uint64_t)x;
    r[at] = (mp_limb_t)t;
    scan_u128 carry = (t >> 64) + (x >> 64);
    for (size_t k = at + 1; carry && k < rn; k++) {
        t = (scan_u128)r[k] + carry;
        r[k] = (mp_limb_t)t;
        carry = t >> 64;
    }
}
#endif

/* The job's sums change at every ballot: worked on in a local copy, so
 * that the two threads' jobs (neighbours in memory) share no cache line
 * while they run. */
static void scan_pass(void *arg, size_t lo, size_t hi)
{
    scan_job local = *(scan_job *)arg;
    scan_run(&local, lo, hi);
    *(scan_job *)arg = local;
}

static void scan_run(scan_job *j, size_t lo, size_t hi)
{
    const decisive_ctx *c = j->c;
    const gvt_ballot *ballots = c->p->ballots;
    size_t m = j->m, ns = m + 2, nq = 2 * m + 1, nk = m + 1;
    j->lim =
        gvt_xcalloc(ns + nq + 2 * m + GVT_SCAN_BLOCKS * nk + 1, sizeof *j->lim);
    mp_limb_t *s = j->lim, *q = s + ns, *sqr = q + nq, *blk = sqr + 2 * m;
    for (size_t bi = lo; bi < hi; bi++) {
        const gvt_ballot *b = &ballots[bi];
        if (b->status != GVT_BALLOT_COUNTED)
            continue;
        size_t r = c->rank[bi];
        j->at[r] = c->is_sup[bi];
        size_t vn = mpz_size(b->vp);
        if (!j->metrics || !vn)
            continue;
        const mp_limb_t *v = mpz_limbs_read(b->vp);
        mp_limb_t *bk = blk + (r / j->bs) * nk;
        uint64_t k = c->n - r;
#ifdef GVT_SCAN_U128
        if (vn <= 2) {
            uint64_t v0 = v[0], v1 = vn > 1 ? v[1] : 0;
            add_u128(s, ns, 0, (scan_u128)v0 * k);
            add_u128(q, nq, 0, (scan_u128)v0 * v0);
            add_u128(bk, nk, 0, ((scan_u128)v1 << 64) | v0);
            if (v1) {
                scan_u128 x = (scan_u128)v0 * v1;
                add_u128(s, ns, 1, (scan_u128)v1 * k);
                add_u128(q, nq, 1, x);
                add_u128(q, nq, 1, x);
                add_u128(q, nq, 2, (scan_u128)v1 * v1);
            }
            continue;
        }
#endif
        mp_limb_t cy = mpn_addmul_1(s, v, (mp_size_t)vn, (mp_limb_t)k);
        mpn_add_1(s + vn, s + vn, (mp_size_t)(ns - vn), cy);
        mpn_sqr(sqr, v, (mp_size_t)vn);
        mpn_add(q, q, (mp_size_t)nq, sqr, (mp_size_t)(2 * vn));
        mpn_add(bk, bk, (mp_size_t)nk, v, (mp_size_t)vn);
    }
}

static void scan_voters(decisive_ctx *c, gvt_whales *w)
{
    const gvt_unit *u = c->u;
    size_t n = c->n;
    bool metrics = w && n > 0 && mpz_sgn(c->total) > 0;
    mpz_t acc, sum, sq, t;
    mpz_inits(acc, sum, sq, t, NULL);
    size_t m = n ? mpz_size(u[0].ballot->vp) : 0;
    size_t na = m + 1, ns = m + 2, nq = 2 * m + 1, nk = m + 1;
    mp_limb_t *half = gvt_xcalloc(2 * na, sizeof *half), *a = half + na;
    if (metrics) {
        mpz_fdiv_q_2exp(t, c->total, 1);
        if (mpz_size(t) <= na)
            mpz_export(half, NULL, -1, sizeof *half, 0, GMP_NAIL_BITS, t);
        else
            metrics = false; /* never: W is the sum of the vp below */
    }
    /* The supporter marks by position go where the keys were (spent), one
     * row for each half: written at random, a row shared by two threads
     * would bounce between their caches. */
    unsigned char *at = c->mem;
    memset(at, 0, 2 * (n + 1));
    size_t bs = n / GVT_SCAN_BLOCKS + 1;
    scan_job h[2];
    memset(h, 0, sizeof h);
    for (int k = 0; k < 2; k++) {
        h[k].c = c;
        h[k].at = at + (k ? n + 1 : 0);
        h[k].metrics = metrics;
        h[k].m = m;
        h[k].bs = bs;
    }
    bool split = gvt_par_run(c->p->n_ballots, scan_pass, &h[0], &h[1]);
    mp_limb_t *s = h[0].lim, *q = s + ns, *blk = q + nq + 2 * m;
    if (split) {
        mp_limb_t *s1 = h[1].lim, *q1 = s1 + ns, *blk1 = q1 + nq + 2 * m;
        mpn_add_n(s, s, s1, (mp_size_t)ns);
        mpn_add_n(q, q, q1, (mp_size_t)nq);
        mpn_add_n(blk, blk, blk1, (mp_size_t)(GVT_SCAN_BLOCKS * nk));
    }
    free(c->rank);
    c->rank = NULL;
    c->sup = gvt_xmalloc((n + 1) * sizeof *c->sup);
    for (size_t j = 0; j < n; j++)
        if (at[j] | at[n + 1 + j])
            c->sup[c->n_sup++] = (uint32_t)j;
    if (metrics) {
        /* nakamoto: the block where the running sum passes W / 2, then
         * the voters of that block one by one. */
        for (size_t bk = 0; bk < GVT_SCAN_BLOCKS && !w->nakamoto; bk++) {
            mpn_add_n(blk + bk * nk, blk + bk * nk, a, (mp_size_t)nk);
            if (mpn_cmp(blk + bk * nk, half, (mp_size_t)na) <= 0) {
                memcpy(a, blk + bk * nk, na * sizeof *a);
                continue;
            }
            for (size_t i = bk * bs; i < n && i < (bk + 1) * bs; i++) {
                mpz_srcptr v = u[i].ballot->vp;
                size_t vn = mpz_size(v);
                if (vn)
                    mpn_add(a, a, (mp_size_t)na, mpz_limbs_read(v),
                            (mp_size_t)vn);
                if (mpn_cmp(a, half, (mp_size_t)na) > 0) {
                    w->nakamoto = i + 1;
                    break;
                }
            }
        }
        mpz_import(sum, ns, -1, sizeof *s, 0, GMP_NAIL_BITS, s);
        mpz_import(sq, nq, -1, sizeof *q, 0, GMP_NAIL_BITS, q);
    }
    for (int k = 0; k < 2; k++)
        free(h[k].lim);
    free(half);
    c->sup = gvt_xrealloc(c->sup, (c->n_sup + 1) * sizeof *c->sup);
    free(c->is_sup);
    c->is_sup = NULL;
    if (c->group_of) {
        c->sup_group = gvt_xmalloc((c->n_sup + 1) * sizeof *c->sup_group);
        for (size_t j = 0; j < c->n_sup; j++)
            c->sup_group[j] = c->group_of[u[c->sup[j]].ballot - c->p->ballots];
        if (!c->group_of_borrowed)
            free(c->group_of);
        c->group_of = NULL;
    }
    if (w)
        w->voters = n;
    if (metrics) {
        const mpz_ptr total = c->total;
        gvt_fx_ratio(w->top1_share, u[0].ballot->vp, total);
        mpz_set_ui(acc, 0);
        for (size_t i = 0; i < n && i < 10; i++)
            mpz_add(acc, acc, u[i].ballot->vp);
        gvt_fx_ratio(w->top10_share, acc, total);

        mpz_sub(t, total, u[0].ballot->vp);
        w->single_voter_dominates = mpz_cmp(u[0].ballot->vp, t) > 0;

        /* sum = sum_j (n - j) v_j = the sum of the running sums */
        mpz_mul_2exp(sum, sum, 1);
        mpz_mul_ui(t, total, (unsigned long)n + 1);
        mpz_sub(sum, sum, t);
        mpz_mul_ui(t, total, (unsigned long)n);
        gvt_fx_ratio(w->gini, sum, t);

        /* hhi = 10000 * sum w_i^2 / W^2, floored at scale. */
        mpz_mul_ui(sq, sq, 10000);
        mpz_mul(t, total, total);
        gvt_fx_ratio(w->hhi, sq, t);
    }
    mpz_clears(acc, sum, sq, t, NULL);
}

static void ctx_free(decisive_ctx *c)
{
    for (uint32_t i = 0; i < c->p->n_choices; i++)
        mpz_clear(c->scores[i]);
    state_free(&c->st);
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
        gvt_par_run(c->n, fill_pass, c->u, c->u);
    c->filled = true;
}

static size_t retally(decisive_ctx *c, size_t k)
{
    units_fill(c);
    for (size_t j = 0; j < k; j++) {
        gvt_unit t = c->u[j];
        c->u[j] = c->u[c->sup[j]];
        c->u[c->sup[j]] = t;
    }
    gvt_rule_score(c->rule, c->p->n_choices, c->u + k, c->n - k, c->scores);
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
    size_t nw = retally(c, k);
    return !same_set(c->tmp, nw, c->base, c->n_base);
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
    size_t nw = state_winners(&c->st, c->scores, c->tmp);
    if (!same_set(c->tmp, nw, c->base, c->n_base))
        return false;
    mpz_t t;
    mpz_init(t);
    long k = -1;
    bool ok = true;
    for (size_t i = 0; i < c->n_sup; i++) {
        work = work + per < work ? ULONG_MAX : work + per;
        if (bounded && work > GVT_DECISIVE_BUDGET * 16) {
            ok = false;
            break;
        }
        const gvt_unit *u = &c->u[c->sup[i]];
        if (c->rule == GVT_TYPE_RANKED_CHOICE) {
            gvt_rank_group *g = &c->st.g[c->sup_group[i]];
            g->count--;
            mpz_sub(g->w, g->w, u->ballot->vp);
        } else {
            state_apply(&c->st, u->ballot->choice, u->ballot->vp, -1, t);
        }
        nw = state_winners(&c->st, c->scores, c->tmp);
        if (!same_set(c->tmp, nw, c->base, c->n_base)) {
            k = (long)i + 1;
            c->n_at_k = nw;
            break;
        }
    }
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
    size_t n = c->n_sup;
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
static long decisive_k(decisive_ctx *c, size_t *n_after)
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
        *n_after = retally(c, (size_t)k);
    return k;
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
static void banzhaf(gvt_whales *w, const gvt_unit *v, size_t n,
                    const mpz_t total)
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

/* ---- entry points -----------------------------------------------------------
 */

void gvt_whales_init(gvt_whales *w)
{
    memset(w, 0, sizeof *w);
    mpz_inits(w->total, w->top1_share, w->top10_share, w->gini, w->hhi, NULL);
    w->decisive_k = -1;
}

void gvt_whales_clear(gvt_whales *w)
{
    for (size_t i = 0; i < w->n_banzhaf; i++)
        mpz_clear(w->banzhaf[i]);
    free(w->banzhaf);
    mpz_clears(w->total, w->top1_share, w->top10_share, w->gini, w->hhi, NULL);
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

void gvt_whales_run(const gvt_whales_input *r, gvt_whales *w)
{
    gvt_whales_clear(w);
    gvt_whales_init(w);
    /* Headcount winners: the result's, a tally of personhood, or the
     * address scheme computed with the token state. */
    gvt_scheme head = r->identity ? GVT_SCHEME_PERSONHOOD : GVT_SCHEME_ADDRESS;
    bool own_head = !find_scheme(r, head) && !r->identity;
    decisive_ctx c;
    keys_job keys[2];
    ctx_init(&c, r, own_head, keys);
    c.rank = gvt_xmalloc((r->p->n_ballots + 1) * sizeof *c.rank);
    sorted_units(keys, c.u, &c.n, c.rank, r->p->ballots);
    scan_voters(&c, w);
    banzhaf(w, c.u, c.n, c.total);
    mpz_set(w->total, c.total);
    for (w->n_top = 0; w->n_top < c.n && w->n_top < GVT_WHALES_TOP; w->n_top++)
        w->top[w->n_top] = c.u[w->n_top].ballot;

    uint32_t *hw = c.head;
    size_t nh = c.n_head;
    if (!own_head) {
        hw = c.tmp;
        nh = scheme_winners(r, head, hw);
    }
    w->whale_veto = !same_set(hw, nh, c.base, c.n_base);
    w->head_winners = winners_copy(hw, nh);
    w->n_head_winners = nh;
    w->token_winners = winners_copy(c.base, c.n_base);
    w->n_token_winners = c.n_base;

    size_t n_after;
    w->decisive_k = decisive_k(&c, &n_after);
    w->decisive_winners = winners_copy(c.tmp, n_after);
    w->n_decisive_winners = n_after;
    for (size_t i = 0; i < r->n_schemes; i++) {
        const gvt_scheme_result *s = &r->schemes[i];
        size_t nw = s->n_winners;
        if (nw)
            memcpy(c.tmp, s->winners, nw * sizeof *c.tmp);
        qsort(c.tmp, nw, sizeof *c.tmp, cmp_u32);
        if (!same_set(c.tmp, nw, c.base, c.n_base))
            w->flips |= (uint32_t)1 << s->id;
    }
    ctx_free(&c);
    /* The groups per ballot served this analysis only. */
    free(r->wallet->group_of);
    r->wallet->group_of = NULL;
}
