/*
 * score.h: a weight per unit for every scheme (docs/schemes.md) and Snapshot's
 * seven type rules that spread the weights over the choices, exactly.
 *
 *   rules.c    the type rules and their reusable states
 *   copeland.c copeland's pairwise state
 *   schemes.c  scheme names, units and weights, winners
 */
#ifndef GVT_SCORE_H
#define GVT_SCORE_H

#include "crypto/identity.h"
#include "store/store.h"

/*
 * One unit of a scheme: the ballot it votes with and its weight.
 */
typedef struct gvt_unit {
    const gvt_ballot *ballot;
    mpz_t w;
} gvt_unit;

/*
 * Spreads the units' weights over the choices by the rule of `type`
 * (docs/schemes.md#the-type-rules) into scores[0..n_choices-1] (initialised by
 * the caller), fixed point. The result does not depend on the order of
 * units, nor on `threads`, the caller's thread count (core.h's workers:
 * 0 = one per CPU, 1 = no thread), which every gvt_rule_ function below
 * takes for its split passes.
 */
void gvt_rule_score(gvt_type type, uint32_t n_choices, const gvt_unit *units,
                    size_t n_units, mpz_t *scores, unsigned threads);
/*
 * The same for a wallet scheme straight from p's counted ballots, each
 * weighing its vp (snapshot, token) or one (address, when one): the scores
 * of gvt_scheme_units + gvt_rule_score without the array of units.
 */
void gvt_rule_score_wallets(gvt_type type, const gvt_proposal *p, bool one,
                            mpz_t *scores, unsigned threads);
/*
 * weighted's sums over p's counted ballots weighing vp or one (when one):
 * R into sums[0, n_choices) and V into sums[n_choices], all initialised by
 * the caller. gvt_rule_spread(n_choices, sums[n_choices], sums, scores)
 * then gives the rule's scores; analysis.c starts its states from them.
 */
void gvt_rule_wallet_sums(const gvt_proposal *p, bool one, mpz_t *sums,
                          unsigned threads);
/*
 * quadratic's scores for the wallets weighing vp (the snapshot scheme), and
 * in the same pass gvt_rule_wallet_sums(p, false, sums), whose per-ballot
 * terms share their division with quadratic's.
 */
void gvt_rule_quadratic_wallets(const gvt_proposal *p, mpz_t *scores,
                                mpz_t *sums, unsigned threads);

/*
 * The pieces of the rules that the whale analysis (analysis.c) reuses to
 * remove ballots one at a time with exactly the rules' arithmetic.
 *
 * Rankings merged: one group per distinct ranking of the units (ranked-choice
 * and copeland), with the sum of the weights and the number of units; the
 * ranking is borrowed from the ballot. group_of (n_units entries, or NULL)
 * receives each unit's group, UINT32_MAX for a unit without a choice.
 */
typedef struct gvt_rank_group {
    const uint32_t *idx;
    uint32_t n;
    size_t count; /* units in the group; 0 = absent from the rounds */
    mpz_t w;
} gvt_rank_group;

/* Groups built one ranking at a time: init with the expected number of
 * rankings, add each (returns its group), done hands the groups over. */
typedef struct gvt_rank_index {
    uint32_t *slot;
    size_t cap;
    gvt_rank_group *g;
    size_t ng, room;
} gvt_rank_index;
void gvt_rank_index_init(gvt_rank_index *x, size_t n_hint);
uint32_t gvt_rank_index_add(gvt_rank_index *x, const gvt_choice *c,
                            const mpz_t w);
size_t gvt_rank_index_done(gvt_rank_index *x, gvt_rank_group **out);
void gvt_rank_groups_free(gvt_rank_group *g, size_t n);
/*
 * ranked-choice or copeland (type) for the wallets weighing vp: the scores,
 * and the ranking groups of the counted ballots (returns how many; the
 * caller frees them with gvt_rank_groups_free) with each ballot's group in
 * group_of (n_ballots entries, UINT32_MAX for none), which analysis.c
 * reuses. scores initialised by the caller.
 */
size_t gvt_rule_score_grouped_wallets(gvt_type type, const gvt_proposal *p,
                                      mpz_t *scores, gvt_rank_group **groups,
                                      uint32_t *group_of, unsigned threads);
/* Instant runoff on groups: the last round's tallies into scores. */
void gvt_rule_runoff(uint32_t n_choices, const gvt_rank_group *g, size_t ng,
                     mpz_t *scores);
/*
 * copeland's additive state (copeland.c) for n choices: the pairwise
 * margins in machine words, the support of each choice and
 * W, the sum of the weights. gvt_copeland_add adds (sign +1) or removes (-1)
 * one ranking of weight w >= 0; gvt_copeland_scores turns the state into the
 * rule's scores. Zero-initialise with gvt_copeland_init; gvt_copeland_free
 * releases it (and accepts a zeroed state).
 */
typedef struct gvt_copeland {
    uint32_t n;     /* choices */
    uint32_t limbs; /* words per margin, two's complement */
    size_t n_pairs; /* n (n - 1) / 2 */
    mp_limb_t *d;   /* margins D[a][b], a < b, row by row */
    uint32_t *pos;  /* scratch: positions in a ranking */
    mp_limb_t *wl;  /* scratch: +w, -w, 0 in words */
    mpz_t *support; /* n */
    mpz_t w;        /* W */
    mpz_t added;    /* every weight ever added: bounds |margin| */
} gvt_copeland;
void gvt_copeland_init(gvt_copeland *c, uint32_t n);
void gvt_copeland_add(gvt_copeland *c, const uint32_t *idx, uint32_t len,
                      const mpz_t w, int sign);
void gvt_copeland_scores(const gvt_copeland *c, mpz_t *scores);
void gvt_copeland_free(gvt_copeland *c);
/* quadratic and weighted's last step: scores[i] = floor(v * x[i] / sum(x)),
 * all 0 when sum(x) = 0. */
void gvt_rule_spread(uint32_t n_choices, const mpz_t v, mpz_t *const x,
                     mpz_t *scores);

/* ---- schemes.c: a weight per unit (docs/schemes.md) ---------------------- */

/*
 * The units of scheme s with their weights: one per counted ballot for the
 * wallet schemes, one per human for the personhood schemes (id must then be
 * non-NULL). cap is the capped-personhood cap, fixed point. The caller frees
 * with gvt_units_free.
 */
gvt_unit *gvt_scheme_units(const gvt_proposal *p, const gvt_identity *id,
                           gvt_scheme s, const mpz_t cap, size_t *out_n);
void gvt_units_free(gvt_unit *units, size_t n);

/* The rule that spreads scheme s's weights for proposal type t: Snapshot's
 * own rule, except that schemes other than snapshot spread a quadratic
 * proposal by the weighted rule. */
gvt_type gvt_scheme_rule(gvt_scheme s, gvt_type t);

/*
 * Winners from scores (docs/schemes.md): the 1-based choices with the greatest
 * score, several on a tie, none when every score is zero; for basic, only For
 * (1) or Against (2) can win. Writes them to winners (room for n_choices) and
 * returns how many.
 */
size_t gvt_winners(gvt_type t, uint32_t n_choices, mpz_t *const scores,
                   uint32_t *winners);

/* ---- what scoring hands on ------------------------------------------------
 */

/* One scheme's scores and winners. */
typedef struct gvt_scheme_result {
    gvt_scheme id;
    mpz_t *scores; /* n_choices, fixed point */
    mpz_t total;   /* snapshot: Snapshot's scores_total; others: sum of w */
    uint32_t *winners;
    size_t n_winners;
} gvt_scheme_result;

/*
 * The state of the token scheme's rule over the counted ballots, kept when a
 * wallet scheme computes it so that the whale analysis does not compute it
 * again. sums[0] weighs vp and sums[1] one (n_choices + 1 entries each, or
 * NULL): weighted's gvt_rule_wallet_sums, or the scores of single-choice,
 * basic and approval (entry n_choices unused). For ranked-choice and
 * copeland weighing vp: the ranking groups (ng of them) and each ballot's
 * group (group_of, one per ballot), from gvt_rule_score_grouped_wallets, or
 * NULL. Zero-initialise; gvt_wallet_state_free releases it.
 */
typedef struct gvt_wallet_state {
    mpz_t *sums[2];
    gvt_rank_group *groups;
    size_t ng;
    uint32_t *group_of;
} gvt_wallet_state;

void gvt_wallet_state_free(gvt_wallet_state *s, uint32_t n_choices);

/* Whether choice (1-based) is among the scheme's winners (the reports). */
bool gvt_scheme_won(const gvt_scheme_result *s, uint32_t choice);

#endif /* GVT_SCORE_H */
