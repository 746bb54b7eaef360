/*
 * outcome.h: decision rules and outcomes (docs/outcomes.md): whether a
 * proposal passed as its source decides it, under every scheme; the quorum
 * veto quorum_k.
 *
 *   rule.c      the rule's figures: the export's text and the caller's
 *               options read into exact amounts, names
 *   decide.c    the comparisons of each rule, the outcome per scheme, flips,
 *               carried and blocked by the quorum
 *   veto.c      quorum_k
 *
 * The quorum is judged once, on the voting power of the counted ballots
 * (the token scheme's unit), and shared by every scheme; the threshold is
 * applied to each scheme's own scores.
 */
#ifndef GVT_OUTCOME_H
#define GVT_OUTCOME_H

#include "whales/whales.h"

/* Room for the reason an outcome is not decidable. */
#define GVT_REASON_MAX 200

/* A rule with its figures, exact (fixed point, core/fixed.c). */
typedef struct gvt_rule_spec {
    gvt_rule rule;
    bool rejection;    /* Snapshot's quorumType "rejection" */
    bool has_quorum;   /* quorum: an amount */
    bool has_share;    /* share: a share of the supply */
    bool has_support;  /* support: the share of For to exceed */
    bool has_supply;   /* supply */
    bool quorum_type;  /* the rule has a quorum type (Snapshot) */
    bool from_options; /* a figure came from the caller */
    mpz_t quorum, share, support, supply;
    /* not empty: a figure of the export cannot be used (the outcome is
     * then not decidable, for this reason) */
    char bad[GVT_REASON_MAX];
    const char *bad_field; /* the field bad is about */
} gvt_rule_spec;

void gvt_rule_spec_init(gvt_rule_spec *s);
void gvt_rule_spec_clear(gvt_rule_spec *s);

/*
 * Checks the caller's options (NULL: none) without a proposal: bad text is
 * GVT_ERR_USAGE naming the option.
 */
gvt_status gvt_rule_options_check(const gvt_rule_options *o, gvt_error *err);

/* The export's rule with the caller's options (checked) over it. */
void gvt_rule_spec_read(const gvt_proposal *p, const gvt_rule_options *o,
                        gvt_rule_spec *s);

/* The decision of one tally. */
typedef struct gvt_decision {
    gvt_rule_spec spec;
    bool decidable;
    char reason[GVT_REASON_MAX]; /* when not decidable */
    bool has_quorum_fig;         /* a quorum to reach (or to stay under) */
    mpz_t quorum_eff;            /* the quorum as an amount, when one */
    mpz_t votes;                 /* the voting power toward the quorum */
    int reached;                 /* 1, 0, -1 (no quorum, or undecidable) */
    gvt_outcome token;           /* the proposal's outcome in voting power */
    gvt_outcome outcome[GVT_SCHEME_COUNT]; /* by index in the result */
    uint32_t flips; /* bit (1 << scheme) per scheme whose outcome differs */
    long quorum_k;  /* -1 = null */
    bool carried, blocked;
} gvt_decision;

/* What the decision reads, borrowed for the call. */
typedef struct gvt_decision_input {
    const gvt_proposal *p;
    const gvt_scheme_result *schemes; /* in the result's order */
    size_t n_schemes;
    const gvt_rule_options *options; /* checked; NULL: none */
} gvt_decision_input;

void gvt_decision_init(gvt_decision *d);
void gvt_decision_clear(gvt_decision *d);
/* Fills d (initialised) from the tally in. */
void gvt_decision_run(const gvt_decision_input *in, gvt_decision *d);

/* ---- shared by the files of the module ------------------------------------
 */

/* The voting power of the counted ballots per choice of a basic proposal
 * (For, Against, Abstain) and Snapshot's scores_total. */
typedef struct gvt_basic_vp {
    mpz_t f, a, x;
} gvt_basic_vp;

/* Whether the quorum figure x reaches the quorum of d (its rule and
 * figures set, decidable, with a quorum). */
bool gvt_quorum_reached(const gvt_decision *d, const mpz_t x);

/* veto.c: quorum_k for a decision whose token outcome is passed. */
long gvt_quorum_k(const gvt_proposal *p, const gvt_decision *d);

/* Whether ballot b's voting power counts toward the quorum of rule d. */
bool gvt_counts_toward_quorum(const gvt_decision *d, const gvt_ballot *b);

#endif /* GVT_OUTCOME_H */
