/*
 * proposal.c: the ballot store of one proposal (SPEC 1.1): creation, the
 * accessors of the public header, and freeing. The readers (reader.c for
 * Snapshot JSON) fill it and call gvt_proposal_finish.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

gvt_proposal *gvt_proposal_new(const char *source)
{
    gvt_proposal *p = gvt_xcalloc(1, sizeof *p);
    p->arena = gvt_arena_new();
    p->source = gvt_arena_strdup(p->arena, source ? source : "");
    p->id = "";
    p->space = "";
    p->type = GVT_TYPE_SINGLE_CHOICE;
    p->start = p->end = INT64_MIN;
    mpz_init(p->scores_total);
    return p;
}

static void choice_clear(gvt_choice *c)
{
    if (!c || !c->w)
        return;
    for (uint32_t i = 0; i < c->n; i++)
        mpz_clear(c->w[i]);
    mpz_clear(c->total);
}

GVT_API void gvt_proposal_free(gvt_proposal *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_ballots; i++) {
        mpz_clear(p->ballots[i].vp);
        choice_clear(p->ballots[i].choice);
    }
    free(p->ballots);
    mpz_clear(p->scores_total);
    gvt_arena_free(p->arena);
    free(p);
}

GVT_API const char *gvt_type_name(gvt_type type)
{
    static const char *const names[] = {
        "single-choice", "basic",    "approval", "ranked-choice",
        "copeland",      "quadratic", "weighted"};
    return (unsigned)type < sizeof names / sizeof names[0] ? names[type] : "?";
}

GVT_API const char *gvt_proposal_id(const gvt_proposal *p)
{
    return p->id;
}

GVT_API const char *gvt_proposal_space(const gvt_proposal *p)
{
    return p->space;
}

GVT_API gvt_type gvt_proposal_type(const gvt_proposal *p)
{
    return p->type;
}

GVT_API size_t gvt_proposal_choice_count(const gvt_proposal *p)
{
    return p->n_choices;
}

GVT_API const char *gvt_proposal_choice(const gvt_proposal *p, size_t i)
{
    return i < p->n_choices ? p->choices[i] : NULL;
}

GVT_API gvt_ballot_counts gvt_proposal_ballot_counts(const gvt_proposal *p)
{
    return p->counts;
}

/* gvt_proposal_read_file / _mem / _stream and gvt_proposal_finish:
 * reader.c (to come). Placeholder: */
GVT_API gvt_status gvt_proposal_read_file(const char *path, gvt_proposal **out,
                                          gvt_error *err)
{
    *out = NULL;
    gvt_error_set(err, GVT_ERR_INTERNAL, path, "reader not implemented");
    return GVT_ERR_INTERNAL;
}
