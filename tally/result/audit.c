/*
 * audit.c: the result's audit record (docs/audit.md#the-audit-object):
 * the inputs that made it, as their readers hashed them (the export's
 * files, the attestation files in order, the trust file), and the options
 * that changed it. The JSON writer (report/json.c) adds the version and
 * the result's own digest.
 *
 * An option is recorded only where it has an effect, so that two runs that
 * give the same result give the same record: the cap only when
 * capped-personhood was tallied, the caller's clock only when the "active"
 * warning was judged from it (otherwise the result is the one a run without
 * a clock gives). The cap is written exactly (36 fraction digits at most,
 * no trailing zeros), the rule's options as the caller gave them.
 */
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

static char *dup_or_null(const char *s)
{
    return s ? gvt_xstrdup(s) : NULL;
}

void gvt_result_audit_make(gvt_result *r, const gvt_tally_options *opt,
                           const gvt_rule_options *rule)
{
    gvt_inputs *in = &r->audit_inputs;
    gvt_inputs_copy(in, &r->p->inputs);
    if (opt->attestations)
        gvt_inputs_copy(in, &opt->attestations->inputs);
    if (opt->trust)
        gvt_inputs_copy(in, &opt->trust->inputs);
    r->audit_view = gvt_xcalloc(in->n ? in->n : 1, sizeof *r->audit_view);
    for (size_t i = 0; i < in->n; i++) {
        gvt_audit_input *v = &r->audit_view[i];
        v->role = in->v[i].role;
        v->name = in->v[i].name;
        v->size = in->v[i].size;
        v->sha256 = in->v[i].complete ? in->v[i].sha256 : NULL;
    }
    gvt_audit_options *o = &r->audit_opt;
    for (size_t i = 0; i < r->n_schemes; i++)
        if (r->schemes[i].id == GVT_SCHEME_CAPPED_PERSONHOOD)
            o->cap = gvt_fx_to_string(r->cap, GVT_FX_DIGITS);
    o->proposal = r->p->picked_by_id ? gvt_xstrdup(r->p->id) : NULL;
    if (rule) {
        o->rule = dup_or_null(rule->rule);
        o->quorum = dup_or_null(rule->quorum);
        o->support = dup_or_null(rule->support);
        o->supply = dup_or_null(rule->supply);
    }
    o->now = r->clock_used;
}

void gvt_result_audit_free(gvt_result *r)
{
    gvt_audit_options *o = &r->audit_opt;
    free((char *)o->cap);
    free((char *)o->proposal);
    free((char *)o->rule);
    free((char *)o->quorum);
    free((char *)o->support);
    free((char *)o->supply);
    memset(o, 0, sizeof *o);
    free(r->audit_view);
    r->audit_view = NULL;
    gvt_inputs_free(&r->audit_inputs);
}

GVT_API size_t gvt_result_audit_input_count(const gvt_result *r)
{
    return r ? r->audit_inputs.n : 0;
}

GVT_API const gvt_audit_input *gvt_result_audit_input(const gvt_result *r,
                                                      size_t i)
{
    return r && i < r->audit_inputs.n ? &r->audit_view[i] : NULL;
}

GVT_API const gvt_audit_options *gvt_result_audit_options(const gvt_result *r)
{
    return r ? &r->audit_opt : NULL;
}
