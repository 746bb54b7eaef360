/*
 * same.c: see same.h.
 */
#include <stdio.h>
#include <string.h>

#include "same.h"

#define DIFFER(...)                                                            \
    do {                                                                       \
        snprintf(why, size, __VA_ARGS__);                                      \
        return false;                                                          \
    } while (0)

static bool same_choice(const gvt_choice *a, const gvt_choice *b)
{
    if (!a || !b)
        return a == b;
    if (a->n != b->n || (a->w == NULL) != (b->w == NULL))
        return false;
    for (uint32_t i = 0; i < a->n; i++) {
        if (a->idx[i] != b->idx[i])
            return false;
        if (a->w && mpz_cmp(a->w[i], b->w[i]) != 0)
            return false;
    }
    return !a->w || mpz_cmp(a->total, b->total) == 0;
}

bool same_proposal(const gvt_proposal *a, const gvt_proposal *b, char *why,
                   size_t size)
{
    if (a->type != b->type || a->n_choices != b->n_choices)
        DIFFER("type or choices differ");
    if (a->n_ballots != b->n_ballots)
        DIFFER("%zu ballots against %zu", a->n_ballots, b->n_ballots);
    if (a->counts.read != b->counts.read ||
        a->counts.counted != b->counts.counted ||
        a->counts.duplicate != b->counts.duplicate ||
        a->counts.invalid_choice != b->counts.invalid_choice ||
        a->counts.encrypted != b->counts.encrypted)
        DIFFER("ballot counts differ");
    if (mpz_cmp(a->scores_total, b->scores_total) != 0)
        DIFFER("scores_total differs");
    for (size_t i = 0; i < a->n_ballots; i++) {
        const gvt_ballot *x = &a->ballots[i], *y = &b->ballots[i];
        char ix[GVT_BALLOT_ID_HEX_SIZE], iy[GVT_BALLOT_ID_HEX_SIZE];
        if (strcmp(x->voter, y->voter) != 0 ||
            strcmp(gvt_ballot_id(x, ix), gvt_ballot_id(y, iy)) != 0 ||
            x->created != y->created || x->input != y->input || x->input != i ||
            x->status != y->status || mpz_cmp(x->vp, y->vp) != 0)
            DIFFER("ballot %zu differs", i);
        if (!same_choice(x->choice, y->choice))
            DIFFER("choice of ballot %zu differs", i);
    }
    return true;
}

bool same_error(const gvt_error *a, const gvt_error *b, char *why, size_t size)
{
    if (a->code != b->code || strcmp(a->message, b->message) != 0 ||
        strcmp(a->file, b->file) != 0)
        DIFFER("error \"%s\" against \"%s\"", a->message, b->message);
    if (a->offset != b->offset || a->line != b->line ||
        a->column != b->column || strcmp(a->path, b->path) != 0)
        DIFFER("error place %lld %ld:%ld %s against %lld %ld:%ld %s", a->offset,
               a->line, a->column, a->path, b->offset, b->line, b->column,
               b->path);
    if (a->vote != b->vote || strcmp(a->vote_id, b->vote_id) != 0)
        DIFFER("error vote %ld %s against %ld %s", a->vote, a->vote_id, b->vote,
               b->vote_id);
    return true;
}
