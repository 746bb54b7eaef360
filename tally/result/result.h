/*
 * result.h: the pipeline of one proposal and its result (STYLE "data flow"):
 * identity (when attestations are given) -> a weight per unit for every
 * scheme -> the type's rule -> scores and winners -> whale analysis ->
 * the decision (outcome/).
 *
 *   tally.c      gvt_tally_run
 *   accessors.c  the result's figures as the public API reads them
 *                (govtally.h section 4): formatted once, when the result
 *                is made, into text the result owns
 *   decision.c   the same for the decision (outcome/)
 *   holders.c    the same for the figures per human; the Shapley-Shubik
 *                indices (computed when asked for)
 *   warnings.c   what the reader should know before trusting the result
 *   audit.c      the audit record: the inputs and the options that made
 *                the result (docs/audit.md)
 */
#ifndef GVT_RESULT_H
#define GVT_RESULT_H

#include "outcome/outcome.h"

/* One warning: a code of docs/formats.md#warnings and a sentence (owned). */
typedef struct gvt_result_warning_item {
    const char *code;
    char *message;
} gvt_result_warning_item;

#define GVT_RESULT_WARNINGS 8

/* A scheme's figures as text: offsets into gvt_result.text. */
typedef struct gvt_scheme_text {
    size_t *score; /* n_choices scores, then n_choices shares */
    size_t total;
} gvt_scheme_text;

struct gvt_result {
    const gvt_proposal *p; /* borrowed */
    gvt_scheme_result schemes[GVT_SCHEME_COUNT];
    size_t n_schemes;
    gvt_identity *identity; /* owned; NULL without attestations */
    mpz_t cap;
    gvt_whales whales;
    gvt_decision decision;

    /* Every decimal string the accessors hand out, NUL-terminated one
     * after the other (accessors.c); the offsets below point into it. */
    gvt_buf text;
    gvt_scheme_text scheme_text[GVT_SCHEME_COUNT];
    size_t gini, hhi, top1_share, top10_share;
    size_t *banzhaf; /* n_banzhaf */
    /* the decision's figures: offsets, or SIZE_MAX for none */
    size_t quorum, quorum_share, support, supply, quorum_votes;
    gvt_voter_figures top[GVT_WHALES_TOP];
    /* holders.c: the per-human figures (offsets, then pointers) */
    size_t *human_off; /* 4 figures, largest share, one per Banzhaf index */
    const char **human_ptr;
    gvt_human_figures humans;

    gvt_result_warning_item warnings[GVT_RESULT_WARNINGS];
    size_t n_warnings;
    /* warnings.c: the caller's clock when the "active" warning used it */
    long long clock_used;

    /* audit.c: the inputs (names owned) and their public view, and the
     * options (strings owned) */
    gvt_inputs audit_inputs;
    gvt_audit_input *audit_view;
    gvt_audit_options audit_opt;
    /* Made for a summary (gvt_tally_run_figures): no power indices, no
     * scores, shares or largest voters as text. */
    bool summary;
};

/*
 * What a caller reads of a result. GVT_FIGURES_ALL: everything the
 * accessors give (gvt_tally_run). GVT_FIGURES_SUMMARY: what a replay row
 * shows (winners, flips, the whale summary, the decision), for a result
 * that never leaves the library: the power indices are not computed, and
 * the scores, shares, totals and largest voters not formatted; their
 * accessors give NULL (gvt_result_banzhaf_count and
 * gvt_result_top_voter_count 0). A 10-vote proposal then costs a third
 * less, a 1,000-vote one a tenth less (the Banzhaf count).
 */
typedef enum gvt_figures { GVT_FIGURES_ALL, GVT_FIGURES_SUMMARY } gvt_figures;

gvt_status gvt_tally_run_figures(const gvt_proposal *p,
                                 const gvt_tally_options *opt,
                                 const gvt_rule_options *rule,
                                 gvt_figures figures, gvt_result **out,
                                 gvt_error *err);

/*
 * The warnings of r (warnings.c), its ballots counted: snap is the
 * snapshot scheme's result (for the hub's recorded scores; NULL: not
 * compared), now the caller's clock (unix seconds; 0: the end time is not
 * judged). gvt_result_warnings_free releases them.
 */
void gvt_result_warnings_make(gvt_result *r, const gvt_scheme_result *snap,
                              long long now);
void gvt_result_warnings_free(gvt_result *r);

/*
 * Formats every figure of r (scored and analysed) into r->text once, so
 * that the accessors neither allocate nor write: a result is read-only
 * after gvt_tally_run (what it held is replaced). gvt_result_text_free
 * releases what it made.
 */
void gvt_result_text_make(gvt_result *r);
void gvt_result_text_free(gvt_result *r);
/* decision.c: the decision's figures into r->text (gvt_result_text_make). */
void gvt_result_text_decision(gvt_result *r);
/* holders.c: the per-human figures into r->text, then, once the text is
 * complete, their pointers; and their release. */
void gvt_result_text_holders(gvt_result *r);
void gvt_result_text_holders_done(gvt_result *r);
void gvt_result_text_holders_free(gvt_result *r);

/*
 * audit.c: the record of r's inputs (p's, the attestations', the trust
 * file's) and of the options that changed it; and its release.
 */
void gvt_result_audit_make(gvt_result *r, const gvt_tally_options *opt,
                           const gvt_rule_options *rule);
void gvt_result_audit_free(gvt_result *r);

#endif /* GVT_RESULT_H */
