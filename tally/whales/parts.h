/*
 * parts.h: what the files of the whale analysis share; nothing outside
 * tally/whales/ includes it (whales.h is the module's header).
 *
 *   analysis.c  the entry points: gvt_whales_run and the order of its steps
 *   order.c     kernel: the counted ballots in vp order (packed keys, radix
 *               sort, two halves merged)
 *   scan.c      kernel: one pass in input order summing what the figures
 *               need (128-bit products), the supporters, nakamoto
 *   figures.c   the formulas of docs/analysis.md: shares, Gini, HHI
 *   power.c     power indices: Banzhaf, Shapley-Shubik with its error bound
 *   state.c     the rules' state ballot by ballot, winner sets of schemes
 *   context.c   the decisive search's context: the token state, the
 *               winners, the supporters, built in one (split) pass
 *   decisive.c  decisive_k: the state search, the generic search, re-tallies
 *   holders.c   the figures per human (wallets merged by identity)
 *   sorted.c    gvt_whales_order
 */
#ifndef GVT_WHALES_PARTS_H
#define GVT_WHALES_PARTS_H

#include <stdlib.h>
#include <string.h>

#include "whales/whales.h"

/* Resolution of the Banzhaf weights: units of W / GVT_BANZHAF_RESOLUTION. */
#define GVT_BANZHAF_RESOLUTION 1000
#define GVT_BANZHAF_PLAYERS 10
/* Shapley-Shubik (power.c): at most GVT_SS_MAJORS majors, weights in units
 * of W / R, R a power of two from GVT_SS_RESOLUTION down to
 * GVT_SS_RESOLUTION_MIN (finer than Banzhaf's 1000) while m^2 R / 2 exceeds
 * GVT_SS_WORK steps. */
#define GVT_SS_MAJORS GVT_POWER_LEAD
#define GVT_SS_RESOLUTION 16384UL
#define GVT_SS_RESOLUTION_MIN 2048UL
#define GVT_SS_WORK (1UL << 22)
/* The largest voters power.c needs: every one of at least one Banzhaf
 * unit (at most RESOLUTION of them), and the majors. */
#define GVT_POWER_NEED (GVT_BANZHAF_RESOLUTION + 1)
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

static inline unsigned long mul_sat(unsigned long a, unsigned long b)
{
    return a && b > ULONG_MAX / a ? ULONG_MAX : a * b;
}

static inline int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static inline bool same_set(const uint32_t *a, size_t na, const uint32_t *b,
                            size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

typedef struct vkey {
    uint64_t key;
    const gvt_ballot *b;
} vkey;

/* The keys of the counted ballots among [lo, hi), sorted (one half), in
 * room for hi - lo keys at k with as much scratch at tmp. */
typedef struct keys_job {
    const gvt_proposal *p;
    vkey *k, *tmp;
    size_t n;
} keys_job;

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
    mpz_t *x;          /* sums: scores; weighted: R */
    gvt_copeland cp;   /* copeland: margins, support, W */
    mpz_t v;           /* weighted: V */
    gvt_rank_group *g; /* ranked-choice, copeland */
    size_t ng;
} state;

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
    /* Removal by steps (the per-human search, holders.c): step s removes
     * sup[step_end[s - 1] .. step_end[s]) (from 0 for s = 0), and k counts
     * steps; NULL: one supporter a step. sup is then in removal order, not
     * ascending. */
    const uint32_t *step_end;
    size_t n_steps;
    unsigned threads; /* the caller's thread count (core.h's workers) */
    bool skip_power;  /* gvt_whales_input's */
} decisive_ctx;

/* ---- order.c */
void wh_keys_pass(void *arg, size_t lo, size_t hi);
void wh_sort_keys(vkey *k, size_t n, vkey *tmp);
void wh_sorted_units(unsigned threads, keys_job h[2], gvt_unit *u,
                     size_t *out_n, uint32_t *rank, const gvt_ballot *ballots);
uint64_t wh_vp_key(const mpz_t v);

/* ---- state.c */
size_t wh_address_winners_grouped(const state *tok, mpz_t *scores,
                                  uint32_t *winners);
const gvt_scheme_result *wh_find_scheme(const gvt_whales_input *r,
                                        gvt_scheme s);
size_t wh_scheme_winners(const gvt_whales_input *r, gvt_scheme s,
                         uint32_t *winners);
void wh_state_apply(state *st, const gvt_choice *ch, const mpz_t w, int sign,
                    mpz_t t);
void wh_state_free(state *st);
void wh_state_groups(state *st, gvt_rank_index *ix);
void wh_state_groups_copy(state *st, const gvt_rank_group *g, size_t ng);
void wh_state_init(state *st, gvt_type rule, uint32_t nc);
size_t wh_state_winners(state *st, mpz_t *scores, uint32_t *winners);

/* ---- context.c */
void wh_ctx_init(decisive_ctx *c, const gvt_whales_input *r, bool want_head,
                 keys_job keys[2]);

/* ---- scan.c */
void wh_scan_voters(decisive_ctx *c, gvt_whales *w);

/* ---- decisive.c */
void wh_ctx_free(decisive_ctx *c);
long wh_decisive_k(decisive_ctx *c, size_t *n_after);

/* ---- figures.c */
void wh_figures(const decisive_ctx *c, gvt_whales *w, mpz_t sum, mpz_t sq);

/* ---- holders.c: the figures per human into w->humans, from the wallets'
 * context after the wallet search (its state restored) */
void wh_holders_run(decisive_ctx *c, const gvt_identity *id, gvt_whales *w);

/* ---- power.c: the indices of the first GVT_BANZHAF_PLAYERS of the
 * weights v (descending; the first GVT_POWER_NEED at least, or all n),
 * their total W > 0 or nothing. */
void wh_power_init(gvt_power *w);
void wh_power_clear(gvt_power *w);
void wh_power_run(mpz_srcptr const *v, size_t n, mpz_srcptr total,
                  gvt_power *w);

#endif /* GVT_WHALES_PARTS_H */
