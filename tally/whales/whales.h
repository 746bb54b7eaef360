/*
 * whales.h: the whale analysis (docs/analysis.md): how
 * concentrated the counted voting power is, who decided, and which schemes
 * disagree with the token result.
 *
 *   analysis.c  the figures, decisive_k, flips, power indices
 *   holders.c   the same figures per human (with attestations)
 *   power.c     Banzhaf and Shapley-Shubik indices
 *   sorted.c    the same vp order for any ballots (gvt_whales_order)
 */
#ifndef GVT_WHALES_H
#define GVT_WHALES_H

#include "score/score.h"

/* How many of the largest voters the analysis keeps (gvt_whales.top). */
#define GVT_WHALES_TOP 10
/* How many leading weights the Shapley-Shubik index reads (its majors). */
#define GVT_POWER_LEAD 64

/* Power indices of the largest voters (power.c,
 * docs/analysis.md#power-indices): the Banzhaf index of n of them, in vp order,
 * and the leading weights (borrowed: ballots' or humans' vp) from which
 * gvt_whales_shapley computes the Shapley-Shubik index when asked. */
typedef struct gvt_power {
    size_t n;
    mpz_t *banzhaf; /* fixed point */
    mpz_srcptr lead[GVT_POWER_LEAD];
    size_t n_lead;
    mpz_t total;
} gvt_power;

typedef struct gvt_whales gvt_whales;

struct gvt_whales {
    size_t voters;
    mpz_t total;      /* the counted vp (fixed point) */
    size_t nakamoto;  /* 0 when no ballot has vp */
    mpz_t top1_share; /* fixed point ratios */
    mpz_t top10_share;
    mpz_t gini;
    mpz_t hhi; /* fixed point, scale 0..10000 */
    bool single_voter_dominates;
    long decisive_k; /* -1 = null */
    uint32_t flips;  /* bit (1 << scheme) per flipped scheme */
    bool whale_veto;
    /* Beyond the contract: power indices of the largest voters (issues 4,
     * 13). */
    gvt_power power;
    /* The largest voters' ballots (borrowed from the proposal), vp
     * descending, ties by address ascending: the first n_top of the vp
     * order, every counted ballot when there are fewer. */
    const gvt_ballot *top[GVT_WHALES_TOP];
    size_t n_top;
    /* The winner sets behind the figures, ascending (room for n_choices
     * each): the token scheme's, the headcount's (personhood with
     * attestations, address without) and the token scheme's once the
     * decisive_k largest supporters are removed (none when decisive_k is
     * null). */
    uint32_t *token_winners;
    size_t n_token_winners;
    uint32_t *head_winners;
    size_t n_head_winners;
    uint32_t *decisive_winners;
    size_t n_decisive_winners;
    /* With attestations: the same figures per human (holders.c,
     * docs/analysis.md#humans), wallets merged as identity merges them,
     * unverified wallets single; NULL without. Of it are set: voters,
     * total, nakamoto, the shares, gini, hhi, single_voter_dominates,
     * decisive_k, power, and the largest human's wallets and share (its
     * voter the address its ballot came from). */
    gvt_whales *humans;
    size_t largest_wallets; /* 0: no verified human voted */
    mpz_t largest_share;
    const char *largest_voter;
};

/* What the analysis reads, borrowed for the call. */
typedef struct gvt_whales_input {
    const gvt_proposal *p;
    const gvt_scheme_result *schemes; /* the schemes tallied, any order */
    size_t n_schemes;
    const gvt_identity *identity; /* NULL without attestations */
    mpz_srcptr cap;               /* capped-personhood's cap */
    /* The token rule's state as far as scoring computed it (not NULL; it
     * may be empty); the analysis releases what it no longer needs of it. */
    gvt_wallet_state *wallet;
    /* The caller's thread count (core.h's workers; 0 = one per CPU). */
    unsigned threads;
    /* No power indices (w->power and the humans' stay empty): a replay
     * shows none. */
    bool skip_power;
} gvt_whales_input;

/* Initialises w to "nothing computed" and releases it. */
void gvt_whales_init(gvt_whales *w);
void gvt_whales_clear(gvt_whales *w);

/* Fills w (initialised; what it held is replaced) from the tally in. */
void gvt_whales_run(const gvt_whales_input *in, gvt_whales *w);

/*
 * The Shapley-Shubik index of the voters of p->banzhaf (p->n of them) and
 * its error bound, fixed point, into index[] and err[] (initialised by the
 * caller): computed on each call, O(m^2 R) with m <= GVT_POWER_LEAD and
 * m^2 R / 2 <= 2^22 (power.c).
 */
void gvt_whales_shapley(const gvt_power *p, mpz_t *index, mpz_t *err);

/* Sorts b[0..n) into the analysis's order: vp descending, ties by voter
 * ascending (the packed keys and radix sort of order.c). */
void gvt_whales_order(const gvt_ballot **b, size_t n);

#endif /* GVT_WHALES_H */
