/*
 * holders.c: the whale figures per human (govtally.h section 4; "whales"
 * of docs/formats.md#result) as the public API reads them, formatted once
 * like every other figure (accessors.c); the Shapley-Shubik indices,
 * computed when asked for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

static size_t put(gvt_result *r, const mpz_t v)
{
    size_t at = r->text.len;
    gvt_fx_append(&r->text, v, GVT_OUT_DIGITS);
    gvt_buf_putc(&r->text, '\0');
    return at;
}

void gvt_result_text_holders(gvt_result *r)
{
    const gvt_whales *h = r->whales.humans;
    if (!h)
        return;
    size_t n = h->power.n;
    r->human_off = gvt_xmalloc((5 + n) * sizeof *r->human_off);
    r->human_off[0] = put(r, h->gini);
    r->human_off[1] = put(r, h->hhi);
    r->human_off[2] = put(r, h->top1_share);
    r->human_off[3] = put(r, h->top10_share);
    r->human_off[4] = put(r, h->largest_share);
    for (size_t i = 0; i < n; i++)
        r->human_off[5 + i] = put(r, h->power.banzhaf[i]);
}

void gvt_result_text_holders_done(gvt_result *r)
{
    const gvt_whales *h = r->whales.humans;
    if (!h)
        return;
    const char *t = r->text.data;
    size_t n = h->power.n;
    r->human_ptr = gvt_xmalloc((n + 1) * sizeof *r->human_ptr);
    for (size_t i = 0; i < n; i++)
        r->human_ptr[i] = t + r->human_off[5 + i];
    gvt_human_figures *f = &r->humans;
    f->voters = h->voters;
    f->nakamoto = h->nakamoto;
    f->gini = t + r->human_off[0];
    f->hhi = t + r->human_off[1];
    f->top1_share = t + r->human_off[2];
    f->top10_share = t + r->human_off[3];
    f->single_voter_dominates = h->single_voter_dominates;
    f->decisive_k = h->decisive_k;
    f->largest_wallets = h->largest_wallets;
    f->largest_share = h->largest_wallets ? t + r->human_off[4] : NULL;
    f->largest_voter = h->largest_wallets ? h->largest_voter : NULL;
    f->n_power = n;
    f->banzhaf = r->human_ptr;
}

void gvt_result_text_holders_free(gvt_result *r)
{
    free(r->human_off);
    free(r->human_ptr);
    r->human_off = NULL;
    r->human_ptr = NULL;
    memset(&r->humans, 0, sizeof r->humans);
}

/* v as the accessors' decimal text into out (24 bytes: at most "1" or
 * "0." and 18 digits). */
static void put_text(char out[24], const mpz_t v)
{
    char *t = gvt_fx_to_string(v, GVT_OUT_DIGITS);
    snprintf(out, 24, "%s", t);
    free(t);
}

GVT_API size_t gvt_result_shapley(const gvt_result *r, int humans,
                                  gvt_power_index *out, size_t max)
{
    const gvt_whales *w = humans ? r->whales.humans : &r->whales;
    if (!w)
        return 0;
    const gvt_power *pw = &w->power;
    size_t n = pw->n;
    mpz_t *x = gvt_xmalloc((2 * n + 1) * sizeof *x);
    for (size_t i = 0; i < 2 * n; i++)
        mpz_init(x[i]);
    gvt_whales_shapley(pw, x, x + n);
    size_t m = n < max ? n : max;
    for (size_t i = 0; i < m; i++) {
        put_text(out[i].index, x[i]);
        put_text(out[i].error, x[n + i]);
    }
    for (size_t i = 0; i < 2 * n; i++)
        mpz_clear(x[i]);
    free(x);
    return m;
}

GVT_API const gvt_human_figures *gvt_result_human_figures(const gvt_result *r)
{
    return r->whales.humans ? &r->humans : NULL;
}
