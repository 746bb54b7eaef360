/*
 * accessors.c: the result's figures as the public API reads them (govtally.h
 * section 4: the gvt-result/1 document of docs/formats.md#result, and the
 * largest voters and Lorenz curve of the HTML report).
 *
 * Every amount and ratio is formatted once, at the end of gvt_tally_run,
 * into one buffer the result owns: decimal strings with at most 18 fraction
 * digits, truncated toward zero (gvt_fx_append). The accessors then only
 * index into it, so they neither allocate nor write, and a finished result
 * can be read from several threads at once. A share is floor(part * 10^36 /
 * total) truncated to 18 digits, i.e. the exact ratio floored to 18 digits.
 * What needs a scale the caller chooses (gvt_result_share_scaled,
 * gvt_result_lorenz) is computed on each call from the exact amounts.
 */
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

/* Appends v's text and its NUL to r->text; returns where it starts. */
static size_t put_amount(gvt_result *r, const mpz_t v)
{
    size_t at = r->text.len;
    gvt_fx_append(&r->text, v, GVT_OUT_DIGITS);
    gvt_buf_putc(&r->text, '\0');
    return at;
}

/* part / total as a share (0 when total is 0). */
static size_t put_share(gvt_result *r, const mpz_t part, const mpz_t total,
                        mpz_t t)
{
    if (mpz_sgn(total) > 0)
        gvt_fx_ratio(t, part, total);
    else
        mpz_set_ui(t, 0);
    return put_amount(r, t);
}

/* The scores, shares and totals of every scheme. */
static void text_schemes(gvt_result *r, mpz_t t)
{
    uint32_t nc = r->p->n_choices;
    for (size_t i = 0; i < r->n_schemes; i++) {
        const gvt_scheme_result *sr = &r->schemes[i];
        gvt_scheme_text *st = &r->scheme_text[i];
        st->score = gvt_xmalloc((2 * (size_t)nc + 1) * sizeof *st->score);
        for (uint32_t c = 0; c < nc; c++) {
            st->score[c] = put_amount(r, sr->scores[c]);
            st->score[nc + c] = put_share(r, sr->scores[c], sr->total, t);
        }
        st->total = put_amount(r, sr->total);
    }
}

void gvt_result_text_make(gvt_result *r)
{
    const gvt_whales *w = &r->whales;
    mpz_t t, cum;
    mpz_inits(t, cum, NULL);
    gvt_result_text_free(r);
    /* a summary's text: the four whale figures and the decision's */
    size_t room = r->summary ? 16
                             : r->n_schemes * (2 * r->p->n_choices + 1) + 8 +
                                   w->power.n + 3 * w->n_top;
    gvt_buf_reserve(&r->text, 64 * room);
    if (!r->summary)
        text_schemes(r, t);
    r->gini = put_amount(r, w->gini);
    r->hhi = put_amount(r, w->hhi);
    r->top1_share = put_amount(r, w->top1_share);
    r->top10_share = put_amount(r, w->top10_share);
    r->banzhaf = gvt_xmalloc((w->power.n + 1) * sizeof *r->banzhaf);
    for (size_t i = 0; i < w->power.n; i++)
        r->banzhaf[i] = put_amount(r, w->power.banzhaf[i]);
    gvt_result_text_decision(r);
    gvt_result_text_holders(r);
    size_t top[GVT_WHALES_TOP][3];
    size_t n_top = r->summary ? 0 : w->n_top;
    for (size_t i = 0; i < n_top; i++) {
        mpz_add(cum, cum, w->top[i]->vp);
        top[i][0] = put_amount(r, w->top[i]->vp);
        top[i][1] = put_share(r, w->top[i]->vp, w->total, t);
        top[i][2] = put_share(r, cum, w->total, t);
    }
    /* The text is complete: pointers into it stay valid from here on. */
    for (size_t i = 0; i < n_top; i++) {
        r->top[i].voter = w->top[i]->voter;
        r->top[i].vp = r->text.data + top[i][0];
        r->top[i].share = r->text.data + top[i][1];
        r->top[i].cumulative_share = r->text.data + top[i][2];
    }
    gvt_result_text_holders_done(r);
    mpz_clears(t, cum, NULL);
}

void gvt_result_text_free(gvt_result *r)
{
    for (size_t i = 0; i < GVT_SCHEME_COUNT; i++) {
        free(r->scheme_text[i].score);
        r->scheme_text[i].score = NULL;
    }
    free(r->banzhaf);
    r->banzhaf = NULL;
    gvt_result_text_holders_free(r);
    gvt_buf_free(&r->text);
}

/* ---- proposal and identity ----------------------------------------------- */

GVT_API const gvt_proposal *gvt_result_proposal(const gvt_result *r)
{
    return r->p;
}

GVT_API int gvt_result_has_identity(const gvt_result *r)
{
    return r->identity != NULL;
}

GVT_API size_t gvt_result_attestations_read(const gvt_result *r)
{
    return r->identity ? r->identity->read : 0;
}

GVT_API size_t gvt_result_attestations(const gvt_result *r,
                                       gvt_attest_reason reason)
{
    if (!r->identity || (unsigned)reason >= GVT_ATTEST_REASON_COUNT)
        return 0;
    return r->identity->counts[reason];
}

GVT_API size_t gvt_result_humans(const gvt_result *r)
{
    return r->identity ? r->identity->n_humans : 0;
}

GVT_API size_t gvt_result_verified_wallets(const gvt_result *r)
{
    return r->identity ? r->identity->verified_wallets : 0;
}

GVT_API size_t gvt_result_unverified_wallets(const gvt_result *r)
{
    return r->identity ? r->identity->unverified_wallets : 0;
}

/* ---- schemes ------------------------------------------------------------- */

GVT_API size_t gvt_result_scheme_count(const gvt_result *r)
{
    return r->n_schemes;
}

GVT_API gvt_scheme gvt_result_scheme(const gvt_result *r, size_t i)
{
    return i < r->n_schemes ? r->schemes[i].id : GVT_SCHEME_COUNT;
}

GVT_API int gvt_result_scheme_index(const gvt_result *r, gvt_scheme s)
{
    for (size_t i = 0; i < r->n_schemes; i++)
        if (r->schemes[i].id == s)
            return (int)i;
    return -1;
}

GVT_API const char *gvt_result_score(const gvt_result *r, size_t i,
                                     size_t choice)
{
    if (i >= r->n_schemes || choice >= r->p->n_choices || r->summary)
        return NULL;
    return r->text.data + r->scheme_text[i].score[choice];
}

GVT_API const char *gvt_result_share(const gvt_result *r, size_t i,
                                     size_t choice)
{
    if (i >= r->n_schemes || choice >= r->p->n_choices || r->summary)
        return NULL;
    return r->text.data + r->scheme_text[i].score[r->p->n_choices + choice];
}

GVT_API unsigned long gvt_result_share_scaled(const gvt_result *r, size_t i,
                                              size_t choice,
                                              unsigned long scale)
{
    if (i >= r->n_schemes || choice >= r->p->n_choices)
        return 0;
    const gvt_scheme_result *sr = &r->schemes[i];
    return gvt_fx_round_scaled(sr->scores[choice], sr->total, scale);
}

GVT_API const char *gvt_result_total(const gvt_result *r, size_t i)
{
    return i < r->n_schemes && !r->summary
               ? r->text.data + r->scheme_text[i].total
               : NULL;
}

GVT_API const uint32_t *gvt_result_winners(const gvt_result *r, size_t i,
                                           size_t *out_count)
{
    if (i >= r->n_schemes) {
        *out_count = 0;
        return NULL;
    }
    *out_count = r->schemes[i].n_winners;
    return r->schemes[i].winners;
}

GVT_API int gvt_result_is_winner(const gvt_result *r, size_t i, size_t choice)
{
    return i < r->n_schemes && choice < r->p->n_choices &&
           gvt_scheme_won(&r->schemes[i], (uint32_t)choice + 1);
}

/* ---- whales -------------------------------------------------------------- */

GVT_API size_t gvt_result_voters(const gvt_result *r)
{
    return r->whales.voters;
}

GVT_API size_t gvt_result_nakamoto(const gvt_result *r)
{
    return r->whales.nakamoto;
}

GVT_API const char *gvt_result_gini(const gvt_result *r)
{
    return r->text.data + r->gini;
}

GVT_API const char *gvt_result_hhi(const gvt_result *r)
{
    return r->text.data + r->hhi;
}

GVT_API const char *gvt_result_top1_share(const gvt_result *r)
{
    return r->text.data + r->top1_share;
}

GVT_API const char *gvt_result_top10_share(const gvt_result *r)
{
    return r->text.data + r->top10_share;
}

GVT_API int gvt_result_single_voter_dominates(const gvt_result *r)
{
    return r->whales.single_voter_dominates;
}

GVT_API long gvt_result_decisive_k(const gvt_result *r)
{
    return r->whales.decisive_k;
}

GVT_API int gvt_result_flipped(const gvt_result *r, size_t i)
{
    return i < r->n_schemes && (r->whales.flips >> r->schemes[i].id & 1u) != 0;
}

GVT_API int gvt_result_whale_veto(const gvt_result *r)
{
    return r->whales.whale_veto;
}

GVT_API size_t gvt_result_banzhaf_count(const gvt_result *r)
{
    return r->whales.power.n;
}

GVT_API const char *gvt_result_banzhaf(const gvt_result *r, size_t i)
{
    return i < r->whales.power.n ? r->text.data + r->banzhaf[i] : NULL;
}

GVT_API const uint32_t *gvt_result_token_winners(const gvt_result *r,
                                                 size_t *out_count)
{
    *out_count = r->whales.n_token_winners;
    return r->whales.token_winners;
}

GVT_API const uint32_t *gvt_result_headcount_winners(const gvt_result *r,
                                                     size_t *out_count)
{
    *out_count = r->whales.n_head_winners;
    return r->whales.head_winners;
}

GVT_API const uint32_t *gvt_result_decisive_winners(const gvt_result *r,
                                                    size_t *out_count)
{
    *out_count = r->whales.n_decisive_winners;
    return r->whales.decisive_winners;
}

/* ---- beyond the document: largest voters, Lorenz curve ------------------- */

GVT_API size_t gvt_result_top_voter_count(const gvt_result *r)
{
    return r->summary ? 0 : r->whales.n_top;
}

GVT_API const gvt_voter_figures *gvt_result_top_voter(const gvt_result *r,
                                                      size_t i)
{
    return i < gvt_result_top_voter_count(r) ? &r->top[i] : NULL;
}

static int cmp_vp_asc(const void *a, const void *b)
{
    return mpz_cmp(*(const mpz_srcptr *)a, *(const mpz_srcptr *)b);
}

GVT_API size_t gvt_result_lorenz(const gvt_result *r, size_t points,
                                 unsigned long scale, unsigned long *out_y)
{
    const gvt_proposal *p = r->p;
    size_t n = r->whales.voters;
    if (points == 0 || points > n || mpz_sgn(r->whales.total) <= 0)
        return 0;
    /* The counted vp, smallest first (which of equal ones comes first does
     * not change a sum). */
    mpz_srcptr *v = gvt_xmalloc(n * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < p->n_ballots && m < n; i++)
        if (p->ballots[i].status == GVT_BALLOT_COUNTED)
            v[m++] = p->ballots[i].vp;
    qsort(v, m, sizeof *v, cmp_vp_asc);
    mpz_t cum;
    mpz_init(cum);
    size_t taken = 0;
    for (size_t j = 0; j <= points; j++) {
        size_t upto = (size_t)((uint64_t)j * m / points);
        while (taken < upto)
            mpz_add(cum, cum, v[taken++]);
        out_y[j] = gvt_fx_round_scaled(cum, r->whales.total, scale);
    }
    mpz_clear(cum);
    free(v);
    return points + 1;
}
