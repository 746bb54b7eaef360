/*
 * whales.h: the whale analysis (docs/analysis.md): how
 * concentrated the counted voting power is, who decided, and which schemes
 * disagree with the token result.
 *
 *   analysis.c  the figures, decisive_k, flips, Banzhaf
 *   sorted.c    the same vp order for any ballots (gvt_whales_order)
 */
#ifndef GVT_WHALES_H
#define GVT_WHALES_H

#include "score/score.h"

/* How many of the largest voters the analysis keeps (gvt_whales.top). */
#define GVT_WHALES_TOP 10

typedef struct gvt_whales {
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
    /* Beyond the contract: Banzhaf index of the largest voters (issue 4). */
    size_t n_banzhaf;
    mpz_t *banzhaf; /* fixed point, one per voter in vp order */
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
} gvt_whales;

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
} gvt_whales_input;

/* Initialises w to "nothing computed" and releases it. */
void gvt_whales_init(gvt_whales *w);
void gvt_whales_clear(gvt_whales *w);

/* Fills w (initialised; what it held is replaced) from the tally in. */
void gvt_whales_run(const gvt_whales_input *in, gvt_whales *w);

/* Sorts b[0..n) into the analysis's order: vp descending, ties by voter
 * ascending (the packed keys and radix sort of order.c). */
void gvt_whales_order(const gvt_ballot **b, size_t n);

#endif /* GVT_WHALES_H */
