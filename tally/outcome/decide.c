/*
 * decide.c: the outcome of a proposal under every scheme, by the rule of
 * its source (docs/outcomes.md has each comparison and where it comes from):
 *
 *   snapshot      basic proposals only. Default: quorum reached when
 *                 scores_total >= quorum (0: none), then passed when
 *                 For > Against. Rejection: rejected when Against > quorum,
 *                 else passed (no comparison of For with Against).
 *   openzeppelin  quorum <= For + Abstain; passed when For > Against.
 *   compound      For >= quorumVotes; passed when For > Against.
 *   aragon        floor(For * 10^18 / supply) > minAcceptQuorum;
 *                 floor(For * 10^18 / (For + Against)) > supportRequired
 *                 (both as shares of 10^18; a zero total fails).
 *   a support given by the caller adds For / (For + Against) > support to
 *   every rule but aragon's (whose own support it then is).
 *
 * The quorum is judged once, in voting power (the counted ballots' vp), and
 * its verdict is shared by every scheme; the threshold compares each
 * scheme's own scores of For and Against. Everything is exact (GMP).
 */
#include <stdio.h>
#include <string.h>

#include "outcome/outcome.h"

void gvt_decision_init(gvt_decision *d)
{
    memset(d, 0, sizeof *d);
    gvt_rule_spec_init(&d->spec);
    mpz_inits(d->quorum_eff, d->votes, NULL);
    d->reached = -1;
    d->quorum_k = -1;
    d->token = GVT_OUTCOME_NOT_DECIDABLE;
    for (int i = 0; i < GVT_SCHEME_COUNT; i++)
        d->outcome[i] = GVT_OUTCOME_NOT_DECIDABLE;
}

void gvt_decision_clear(gvt_decision *d)
{
    gvt_rule_spec_clear(&d->spec);
    mpz_clears(d->quorum_eff, d->votes, NULL);
    memset(d, 0, sizeof *d);
}

/* The 10^18 fixed-point share Aragon stores: floor(share * 10^18), share
 * being held as share * 10^36. */
static void pct_of(mpz_t out, const mpz_t share)
{
    mpz_ui_pow_ui(out, 10, GVT_FX_DIGITS - 18);
    mpz_tdiv_q(out, share, out);
}

/* Aragon's _isValuePct(value, total, pct): floor(value * 10^18 / total) >
 * pct, false when total is 0; value and total at any one scale. */
static bool value_pct(const mpz_t value, const mpz_t total, const mpz_t share)
{
    if (mpz_sgn(total) == 0)
        return false;
    mpz_t pct, l, r;
    mpz_inits(pct, l, r, NULL);
    pct_of(pct, share);
    /* floor(v 10^18 / t) > pct  <=>  v 10^18 >= (pct + 1) t */
    mpz_ui_pow_ui(l, 10, 18);
    mpz_mul(l, l, value);
    mpz_add_ui(r, pct, 1);
    mpz_mul(r, r, total);
    bool ok = mpz_cmp(l, r) >= 0;
    mpz_clears(pct, l, r, NULL);
    return ok;
}

bool gvt_quorum_reached(const gvt_decision *d, const mpz_t x)
{
    const gvt_rule_spec *s = &d->spec;
    switch (s->rule) {
    case GVT_RULE_ARAGON:
        return value_pct(x, s->supply, s->share);
    case GVT_RULE_SNAPSHOT:
        if (s->rejection) /* the quorum of rejection: Against > quorum */
            return mpz_cmp(x, d->quorum_eff) > 0;
        return mpz_cmp(x, d->quorum_eff) >= 0;
    default: /* openzeppelin: quorum <= x; compound: !(x < quorum) */
        return mpz_cmp(x, d->quorum_eff) >= 0;
    }
}

bool gvt_counts_toward_quorum(const gvt_decision *d, const gvt_ballot *b)
{
    if (b->status == GVT_BALLOT_DUPLICATE)
        return false;
    if (d->spec.rule == GVT_RULE_SNAPSHOT) /* scores_total: invalid too */
        return !d->spec.rejection ||
               (b->status == GVT_BALLOT_COUNTED && b->choice && b->choice->n &&
                b->choice->idx[0] == 1);
    if (b->status != GVT_BALLOT_COUNTED || !b->choice || !b->choice->n)
        return false;
    uint32_t c = b->choice->idx[0];
    return c == 0 || (c == 2 && d->spec.rule == GVT_RULE_OPENZEPPELIN);
}

/* For, Against and Abstain in voting power over the counted ballots of a
 * basic proposal. */
static void basic_vp(const gvt_proposal *p, gvt_basic_vp *v)
{
    for (size_t i = 0; i < p->n_ballots; i++) {
        const gvt_ballot *b = &p->ballots[i];
        if (b->status != GVT_BALLOT_COUNTED || !b->choice || !b->choice->n)
            continue;
        uint32_t c = b->choice->idx[0];
        mpz_add(c == 0   ? v->f
                : c == 1 ? v->a
                         : v->x,
                c == 0   ? v->f
                : c == 1 ? v->a
                         : v->x,
                b->vp);
    }
}

/* The threshold on one scheme's For and Against. */
static bool threshold(const gvt_decision *d, const mpz_t f, const mpz_t a)
{
    const gvt_rule_spec *s = &d->spec;
    mpz_t sum, l, r;
    mpz_inits(sum, l, r, NULL);
    mpz_add(sum, f, a);
    bool ok;
    if (s->rule == GVT_RULE_ARAGON) {
        ok = value_pct(f, sum, s->support);
    } else {
        ok = mpz_cmp(f, a) > 0;
        if (ok && s->has_support) { /* f / (f + a) > support, exactly */
            mpz_mul(l, f, *gvt_fx_one());
            mpz_mul(r, s->support, sum);
            ok = mpz_cmp(l, r) > 0;
        }
    }
    mpz_clears(sum, l, r, NULL);
    return ok;
}

/* Marks d not decidable; the caller writes the reason into d->reason. */
static char *undecidable(gvt_decision *d)
{
    d->decidable = false;
    return d->reason;
}

/*
 * The rule's quorum as an amount into d->quorum_eff (a share of the
 * supply becomes share x supply, floored at 10^-36), or why it cannot be:
 * returns false with d's reason set.
 */
static bool quorum_amount(gvt_decision *d)
{
    gvt_rule_spec *s = &d->spec;
    const char *name = gvt_rule_name(s->rule);
    if (s->rule == GVT_RULE_ARAGON) {
        if (!s->has_support || !s->has_share || !s->has_supply) {
            snprintf(undecidable(d), GVT_REASON_MAX,
                     "aragon needs its support, its minimum quorum (a "
                     "share) and the voting power (supply): %s%s",
                     !s->has_support ? "the support is missing"
                     : !s->has_share ? "the quorum share is missing"
                                     : "the supply is missing",
                     s->has_quorum && !s->has_share
                         ? " (its quorum is a share: N%)"
                         : "");
            return false;
        }
        return true;
    }
    if (s->has_quorum) {
        mpz_set(d->quorum_eff, s->quorum);
        return true;
    }
    if (s->has_share && s->has_supply) {
        gvt_fx_mul(d->quorum_eff, s->share, s->supply);
        return true;
    }
    if (s->rule == GVT_RULE_SNAPSHOT && !s->has_share)
        return true; /* no quorum: 0 */
    snprintf(undecidable(d), GVT_REASON_MAX,
             "%s needs its quorum: %s (give the quorum, or a share and the "
             "supply)",
             name,
             s->has_share ? "a share is given but not the supply"
             : s->rule == GVT_RULE_OPENZEPPELIN
                 ? "quorumNumerator x past total supply / denominator is "
                   "not in the input"
                 : "quorumVotes is not in the input");
    return false;
}

/* Which rules can decide the proposal at all; false with the reason. */
static bool applicable(gvt_decision *d, const gvt_proposal *p)
{
    const gvt_rule_spec *s = &d->spec;
    if (s->bad[0] && !(s->rule != GVT_RULE_SNAPSHOT &&
                       strcmp(s->bad_field, "quorumType") == 0)) {
        snprintf(undecidable(d), GVT_REASON_MAX, "%s", s->bad);
        return false;
    }
    if (s->rule == GVT_RULE_UNKNOWN) {
        snprintf(undecidable(d), GVT_REASON_MAX,
                 "the source's decision rule is not known (give the rule "
                 "and its figures)");
        return false;
    }
    if (p->type != GVT_TYPE_BASIC) {
        if (s->rule == GVT_RULE_SNAPSHOT)
            snprintf(undecidable(d), GVT_REASON_MAX,
                     "Snapshot passes or rejects basic proposals only (this "
                     "one is %s: its state is closed)",
                     gvt_type_name(p->type));
        else
            snprintf(undecidable(d), GVT_REASON_MAX,
                     "%s counts For, Against and Abstain: a basic proposal "
                     "(this one is %s)",
                     gvt_rule_name(s->rule), gvt_type_name(p->type));
        return false;
    }
    return true;
}

void gvt_decision_run(const gvt_decision_input *in, gvt_decision *d)
{
    const gvt_proposal *p = in->p;
    gvt_rule_spec_read(p, in->options, &d->spec);
    gvt_rule_spec *s = &d->spec;
    if (s->rule != GVT_RULE_SNAPSHOT)
        s->rejection = false;
    d->decidable = true;
    if (!applicable(d, p) || !quorum_amount(d))
        return;
    gvt_basic_vp v;
    mpz_inits(v.f, v.a, v.x, NULL);
    basic_vp(p, &v);
    d->has_quorum_fig = s->rule == GVT_RULE_ARAGON || s->rejection ||
                        mpz_sgn(d->quorum_eff) > 0;
    if (s->rule == GVT_RULE_SNAPSHOT)
        mpz_set(d->votes, s->rejection ? v.a : p->scores_total);
    else if (s->rule == GVT_RULE_OPENZEPPELIN)
        mpz_add(d->votes, v.f, v.x);
    else
        mpz_set(d->votes, v.f);
    if (d->has_quorum_fig)
        d->reached = gvt_quorum_reached(d, d->votes);

    /* The outcome in voting power, then per scheme. Snapshot's rejection
     * passes whatever For and Against say, unless a support is given. */
    bool quorum_says_no = s->rejection ? d->reached == 1 : d->reached == 0;
    gvt_outcome no =
        s->rejection ? GVT_OUTCOME_REJECTED : GVT_OUTCOME_FAILED_QUORUM;
    bool free_pass = s->rejection && !s->has_support;
    bool tok_ok = free_pass || threshold(d, v.f, v.a);
    d->token = quorum_says_no ? no
               : tok_ok       ? GVT_OUTCOME_PASSED
                              : GVT_OUTCOME_REJECTED;
    for (size_t i = 0; i < in->n_schemes; i++) {
        const gvt_scheme_result *sr = &in->schemes[i];
        bool pass = free_pass || threshold(d, sr->scores[0], sr->scores[1]);
        d->outcome[i] = quorum_says_no ? no
                        : pass         ? GVT_OUTCOME_PASSED
                                       : GVT_OUTCOME_REJECTED;
        if (d->outcome[i] != d->token)
            d->flips |= (uint32_t)1 << sr->id;
    }
    /* Carried: passed, though For alone would not reach the quorum.
     * Blocked: For beat the threshold, the quorum failed it. */
    d->carried = d->token == GVT_OUTCOME_PASSED && d->has_quorum_fig &&
                 !s->rejection && !gvt_quorum_reached(d, v.f);
    d->blocked = quorum_says_no && threshold(d, v.f, v.a);
    if (d->token == GVT_OUTCOME_PASSED && d->has_quorum_fig && !s->rejection)
        d->quorum_k = gvt_quorum_k(p, d);
    mpz_clears(v.f, v.a, v.x, NULL);
}
