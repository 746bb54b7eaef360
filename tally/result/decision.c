/*
 * decision.c: the decision's figures as the public API reads them
 * (govtally.h section 4, "Decision rules and outcomes"; the "decision" of
 * docs/formats.md#result), formatted once like every other figure
 * (accessors.c).
 */
#include <stdint.h>

#include "result/result.h"

static size_t put(gvt_result *r, bool has, const mpz_t v)
{
    if (!has)
        return SIZE_MAX;
    size_t at = r->text.len;
    gvt_fx_append(&r->text, v, GVT_OUT_DIGITS);
    gvt_buf_putc(&r->text, '\0');
    return at;
}

void gvt_result_text_decision(gvt_result *r)
{
    const gvt_decision *d = &r->decision;
    const gvt_rule_spec *s = &d->spec;
    bool amount = s->rule != GVT_RULE_ARAGON &&
                  (s->has_quorum || (s->has_share && s->has_supply));
    r->quorum = put(r, amount && d->decidable, d->quorum_eff);
    r->quorum_share = put(r, s->has_share, s->share);
    r->support = put(r, s->has_support, s->support);
    r->supply = put(r, s->has_supply, s->supply);
    r->quorum_votes = put(r, d->decidable, d->votes);
}

static const char *text_at(const gvt_result *r, size_t at)
{
    return at == SIZE_MAX ? NULL : r->text.data + at;
}

GVT_API gvt_rule gvt_result_rule(const gvt_result *r)
{
    return r->decision.spec.rule;
}

GVT_API const char *gvt_result_quorum(const gvt_result *r)
{
    return text_at(r, r->quorum);
}

GVT_API const char *gvt_result_quorum_share(const gvt_result *r)
{
    return text_at(r, r->quorum_share);
}

GVT_API const char *gvt_result_support(const gvt_result *r)
{
    return text_at(r, r->support);
}

GVT_API const char *gvt_result_supply(const gvt_result *r)
{
    return text_at(r, r->supply);
}

GVT_API const char *gvt_result_quorum_type(const gvt_result *r)
{
    const gvt_rule_spec *s = &r->decision.spec;
    if (s->rule != GVT_RULE_SNAPSHOT)
        return NULL;
    return s->rejection ? "rejection" : "default";
}

GVT_API const char *gvt_result_quorum_votes(const gvt_result *r)
{
    return text_at(r, r->quorum_votes);
}

GVT_API int gvt_result_quorum_reached(const gvt_result *r)
{
    return r->decision.reached;
}

GVT_API gvt_outcome gvt_result_outcome(const gvt_result *r, size_t i)
{
    if (i >= r->n_schemes)
        return GVT_OUTCOME_NOT_DECIDABLE;
    return r->decision.outcome[i];
}

GVT_API gvt_outcome gvt_result_token_outcome(const gvt_result *r)
{
    return r->decision.token;
}

GVT_API const char *gvt_result_outcome_reason(const gvt_result *r)
{
    return r->decision.decidable ? NULL : r->decision.reason;
}

GVT_API int gvt_result_outcome_flipped(const gvt_result *r, size_t i)
{
    if (i >= r->n_schemes)
        return 0;
    return (r->decision.flips >> r->schemes[i].id) & 1u;
}

GVT_API long gvt_result_quorum_k(const gvt_result *r)
{
    return r->decision.quorum_k;
}

GVT_API int gvt_result_carried_by_quorum(const gvt_result *r)
{
    return r->decision.carried;
}

GVT_API int gvt_result_blocked_by_quorum(const gvt_result *r)
{
    return r->decision.blocked;
}
