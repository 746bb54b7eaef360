/*
 * schemes.c: the weight of each unit under each scheme, the rule each scheme
 * uses, and the winners (docs/schemes.md).
 *
 * A unit is what casts one weighted ballot: a wallet (a counted ballot) for
 * snapshot, token, address and quadratic, a human (docs/identity.md#humans) for
 * the three personhood schemes. Units come out in input order (wallets) or in
 * the order of the identity's humans; the rules do not depend on that order.
 * Rounded steps (each a floor at 10^-36, see docs/numbers.md): the square
 * roots of quadratic and quadratic-personhood, and the cap of
 * capped-personhood.
 */
#include <stdlib.h>
#include <string.h>

#include "score/score.h"

/*
 * quadratic-personhood's weight: weight * sqrt(vp) with one rounding. With
 * both amounts scaled by 10^36 (a = weight, v = vp), the exact weight times
 * 10^36 is a * sqrt(v * 10^36) / 10^36 = sqrt(a^2 * v / 10^36), so
 * out = isqrt(floor(a^2 * v / 10^36)) = floor(exact * 10^36).
 */
static void weight_sqrt(mpz_t out, const mpz_t a, const mpz_t v)
{
    mpz_mul(out, a, a);
    mpz_mul(out, out, v);
    mpz_fdiv_q(out, out, *gvt_fx_one());
    mpz_sqrt(out, out);
}

/*
 * The wallets' units: each counted ballot with its vp (snapshot, token), 1
 * (address) or sqrt(vp) floored at 10^-36 (quadratic). Every weight is a
 * read-only view (_mp_alloc 0), no number of its own: of the ballot's vp,
 * of the constant one, or of the roots' limbs, kept in one block after the
 * units and freed with them (a malloc and a free a vote less: replay of
 * the history at 1/10 on one thread, 4.05 -> 3.90 s of CPU).
 */
static gvt_unit *wallet_units(const gvt_proposal *p, gvt_scheme s,
                              size_t *out_n)
{
    bool roots = s == GVT_SCHEME_QUADRATIC;
    mpz_srcptr one = *gvt_fx_one();
    size_t limbs = 0;
    for (size_t i = 0; roots && i < p->n_ballots; i++)
        if (p->ballots[i].status == GVT_BALLOT_COUNTED)
            limbs += (mpz_size(p->ballots[i].vp) + mpz_size(one) + 1) / 2;
    size_t n_units = p->n_ballots ? p->n_ballots : 1;
    gvt_unit *units =
        gvt_xmalloc(n_units * sizeof *units + limbs * sizeof(mp_limb_t));
    mp_limb_t *pool = (mp_limb_t *)(units + n_units);
    mpz_t root;
    mpz_init(root);
    size_t n = 0;
    for (size_t i = 0; i < p->n_ballots; i++) {
        const gvt_ballot *b = &p->ballots[i];
        if (b->status != GVT_BALLOT_COUNTED)
            continue;
        gvt_unit *u = &units[n++];
        u->ballot = b;
        mpz_srcptr w = s == GVT_SCHEME_ADDRESS ? one : b->vp;
        if (roots) {
            gvt_fx_sqrt(root, b->vp);
            size_t k = mpz_size(root);
            if (k)
                memcpy(pool, mpz_limbs_read(root), k * sizeof *pool);
            mpz_roinit_n(u->w, pool, (mp_size_t)k);
            pool += k;
        } else {
            mpz_roinit_n(u->w, mpz_limbs_read(w), (mp_size_t)mpz_size(w));
        }
    }
    mpz_clear(root);
    *out_n = n;
    return units;
}

gvt_unit *gvt_scheme_units(const gvt_proposal *p, const gvt_identity *id,
                           gvt_scheme s, const mpz_t cap, size_t *out_n)
{
    gvt_unit *units = NULL;
    size_t n = 0;
    switch (s) {
    case GVT_SCHEME_SNAPSHOT:
    case GVT_SCHEME_TOKEN:
    case GVT_SCHEME_ADDRESS:
    case GVT_SCHEME_QUADRATIC:
        return wallet_units(p, s, out_n);
    case GVT_SCHEME_PERSONHOOD:
    case GVT_SCHEME_QUADRATIC_PERSONHOOD:
    case GVT_SCHEME_CAPPED_PERSONHOOD: {
        if (!id)
            break;
        mpz_t limit;
        mpz_init(limit);
        if (s == GVT_SCHEME_CAPPED_PERSONHOOD) {
            /* cap * total vp of the verified humans, floored at 10^-36 */
            for (size_t h = 0; h < id->n_humans; h++)
                mpz_add(limit, limit, id->humans[h].vp);
            gvt_fx_mul(limit, limit, cap);
        }
        units = gvt_xmalloc((id->n_humans ? id->n_humans : 1) * sizeof *units);
        for (size_t h = 0; h < id->n_humans; h++) {
            const gvt_human *hu = &id->humans[h];
            if (!hu->ballot)
                continue;
            gvt_unit *u = &units[n++];
            u->ballot = hu->ballot;
            mpz_init(u->w);
            if (s == GVT_SCHEME_PERSONHOOD)
                mpz_set(u->w, hu->weight);
            else if (s == GVT_SCHEME_QUADRATIC_PERSONHOOD)
                weight_sqrt(u->w, hu->weight, hu->vp);
            else if (mpz_cmp(hu->vp, limit) < 0)
                mpz_set(u->w, hu->vp);
            else
                mpz_set(u->w, limit);
        }
        mpz_clear(limit);
        break;
    }
    case GVT_SCHEME_COUNT:
        break;
    }
    *out_n = n;
    return units;
}

void gvt_units_free(gvt_unit *units, size_t n)
{
    if (!units)
        return;
    for (size_t i = 0; i < n; i++)
        if (units[i].w->_mp_alloc) /* not a read-only view */
            mpz_clear(units[i].w);
    free(units);
}

gvt_type gvt_scheme_rule(gvt_scheme s, gvt_type t)
{
    if (s != GVT_SCHEME_SNAPSHOT && t == GVT_TYPE_QUADRATIC)
        return GVT_TYPE_WEIGHTED;
    return t;
}

/*
 * The greatest score wins; a tie gives several winners; when the greatest
 * score is zero nobody wins. basic proposals are For / Against / Abstain:
 * only choices 1 and 2 compete, so a large Abstain never wins.
 */
size_t gvt_winners(gvt_type t, uint32_t n_choices, mpz_t *const scores,
                   uint32_t *winners)
{
    uint32_t n = n_choices;
    if (t == GVT_TYPE_BASIC && n > 2)
        n = 2;
    if (n == 0)
        return 0;
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; i++)
        if (mpz_cmp(scores[i], scores[best]) > 0)
            best = i;
    if (mpz_sgn(scores[best]) <= 0)
        return 0;
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (mpz_cmp(scores[i], scores[best]) == 0)
            winners[k++] = i + 1;
    return k;
}

static const char *const scheme_names[GVT_SCHEME_COUNT] = {
    "snapshot",         "token",      "address",
    "quadratic",        "personhood", "quadratic-personhood",
    "capped-personhood"};

GVT_API const char *gvt_scheme_name(gvt_scheme s)
{
    return (unsigned)s < GVT_SCHEME_COUNT ? scheme_names[s] : "?";
}

GVT_API int gvt_scheme_from_name(const char *name)
{
    for (int i = 0; i < GVT_SCHEME_COUNT; i++)
        if (strcmp(name, scheme_names[i]) == 0)
            return i;
    return -1;
}

bool gvt_scheme_won(const gvt_scheme_result *s, uint32_t choice)
{
    for (size_t i = 0; i < s->n_winners; i++)
        if (s->winners[i] == choice)
            return true;
    return false;
}
