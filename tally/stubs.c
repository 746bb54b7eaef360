/*
 * stubs.c: TEMPORARY weak stand-ins for stages still being written in other
 * branches, so that main links while they land. Each real definition
 * overrides its stub. This file is deleted once every stage is in.
 */
#include <stdlib.h>

#include "internal.h"

#define WEAK __attribute__((weak))

WEAK gvt_unit *gvt_scheme_units(const gvt_proposal *p, const gvt_identity *id,
                                gvt_scheme s, const mpz_t cap, size_t *out_n)
{
    (void)p, (void)id, (void)s, (void)cap;
    *out_n = 0;
    return NULL;
}
WEAK void gvt_units_free(gvt_unit *units, size_t n)
{
    (void)units, (void)n;
}
WEAK gvt_type gvt_scheme_rule(gvt_scheme s, gvt_type t)
{
    (void)s;
    return t;
}
WEAK void gvt_rule_score(gvt_type type, uint32_t n_choices,
                         const gvt_unit *units, size_t n_units, mpz_t *scores)
{
    (void)type, (void)n_choices, (void)units, (void)n_units, (void)scores;
}
WEAK size_t gvt_winners(gvt_type t, uint32_t n_choices, mpz_t *const scores,
                        uint32_t *winners)
{
    (void)t, (void)n_choices, (void)scores, (void)winners;
    return 0;
}
WEAK gvt_status gvt_identity_build(const gvt_proposal *p,
                                   const gvt_attestations *a,
                                   const gvt_trust *t, unsigned threads,
                                   gvt_identity **out, gvt_error *err)
{
    (void)p, (void)a, (void)t, (void)threads;
    *out = NULL;
    gvt_error_set(err, GVT_ERR_INTERNAL, NULL, "identity not implemented");
    return GVT_ERR_INTERNAL;
}
WEAK void gvt_identity_free(gvt_identity *id)
{
    (void)id;
}
WEAK const char *gvt_attest_reason_name(gvt_attest_reason r)
{
    (void)r;
    return "?";
}
WEAK void gvt_analysis_run(gvt_result *r)
{
    (void)r;
}
WEAK void gvt_report_text(const gvt_result *r, int color, gvt_buf *b)
{
    (void)color;
    gvt_report_json(r, b);
}
WEAK void gvt_report_csv(const gvt_result *r, gvt_buf *b)
{
    gvt_report_json(r, b);
}
WEAK void gvt_report_html(const gvt_result *r, gvt_buf *b)
{
    gvt_report_json(r, b);
}
WEAK gvt_status gvt_proposal_read_mem(const char *name, const void *data,
                                      size_t size, gvt_proposal **out,
                                      gvt_error *err)
{
    (void)data, (void)size;
    *out = NULL;
    gvt_error_set(err, GVT_ERR_DATA, name, "reader not implemented");
    return GVT_ERR_DATA;
}
