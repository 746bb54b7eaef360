/*
 * json.c: the gvt-result/1 document of docs/formats.md#result. Every amount and
 * ratio is a decimal string with at most 18 fraction digits, truncated toward
 * zero; keys come in a fixed order, so the same result always gives the same
 * bytes.
 */
#include "report/report.h"

static void put_amount(gvt_buf *b, const mpz_t v)
{
    gvt_buf_putc(b, '"');
    gvt_fx_append(b, v, GVT_OUT_DIGITS);
    gvt_buf_putc(b, '"');
}

static void put_winners(gvt_buf *b, const uint32_t *w, size_t n)
{
    gvt_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++)
        gvt_buf_printf(b, "%s%u", i ? ", " : "", w[i]);
    gvt_buf_putc(b, ']');
}

static void put_identity(gvt_buf *b, const gvt_identity *id)
{
    if (!id) {
        gvt_buf_puts(b, "null");
        return;
    }
    gvt_buf_printf(b,
                   "{\"attestations\": {\"read\": %zu, \"valid\": %zu, "
                   "\"rejected\": {",
                   id->read, id->counts[GVT_ATTEST_VALID]);
    for (int r = GVT_ATTEST_VALID + 1; r < GVT_ATTEST_REASON_COUNT; r++)
        gvt_buf_printf(b, "%s\"%s\": %zu", r > 1 ? ", " : "",
                       gvt_attest_reason_name((gvt_attest_reason)r),
                       id->counts[r]);
    gvt_buf_printf(b,
                   "}},\n    \"humans\": %zu, \"verified_wallets\": %zu, "
                   "\"unverified_wallets\": %zu}",
                   id->n_humans, id->verified_wallets, id->unverified_wallets);
}

static void put_whales(gvt_buf *b, const gvt_result *r)
{
    const gvt_whales *w = &r->whales;
    gvt_buf_printf(b,
                   "{\"voters\": %zu, \"nakamoto\": %zu, \"gini\": ", w->voters,
                   w->nakamoto);
    put_amount(b, w->gini);
    gvt_buf_puts(b, ", \"hhi\": ");
    put_amount(b, w->hhi);
    gvt_buf_puts(b, ", \"top1_share\": ");
    put_amount(b, w->top1_share);
    gvt_buf_puts(b, ", \"top10_share\": ");
    put_amount(b, w->top10_share);
    gvt_buf_printf(b, ",\n    \"single_voter_dominates\": %s, \"decisive_k\": ",
                   w->single_voter_dominates ? "true" : "false");
    if (w->decisive_k < 0)
        gvt_buf_puts(b, "null");
    else
        gvt_buf_printf(b, "%ld", w->decisive_k);
    gvt_buf_puts(b, ", \"flips\": [");
    int k = 0;
    for (size_t i = 0; i < r->n_schemes; i++) {
        gvt_scheme s = r->schemes[i].id;
        if (w->flips & (1u << s)) {
            gvt_buf_puts(b, k++ ? ", " : "");
            gvt_buf_json_string(b, gvt_scheme_name(s));
        }
    }
    gvt_buf_printf(b, "], \"whale_veto\": %s",
                   w->whale_veto ? "true" : "false");
    if (w->n_banzhaf) {
        gvt_buf_puts(b, ",\n    \"banzhaf\": [");
        for (size_t i = 0; i < w->n_banzhaf; i++) {
            gvt_buf_puts(b, i ? ", " : "");
            put_amount(b, w->banzhaf[i]);
        }
        gvt_buf_putc(b, ']');
    }
    gvt_buf_putc(b, '}');
}

void gvt_report_json_ballots(const gvt_proposal *p, gvt_buf *b)
{
    gvt_buf_printf(b,
                   "{\"read\": %zu, \"counted\": %zu, \"rejected\": "
                   "{\"invalid-choice\": %zu, \"duplicate\": %zu}}",
                   p->counts.read, p->counts.counted, p->counts.invalid_choice,
                   p->counts.duplicate);
}

void gvt_report_json(const gvt_result *r, gvt_buf *b)
{
    const gvt_proposal *p = r->p;
    gvt_buf_puts(b, "{\"format\": \"gvt-result/1\",\n \"proposal\": {\"id\": ");
    gvt_buf_json_string(b, p->id);
    gvt_buf_puts(b, ", \"space\": ");
    gvt_buf_json_string(b, p->space);
    gvt_buf_printf(b, ", \"type\": \"%s\", \"choices\": [",
                   gvt_type_name(p->type));
    for (uint32_t i = 0; i < p->n_choices; i++) {
        gvt_buf_puts(b, i ? ", " : "");
        gvt_buf_json_string(b, p->choices[i]);
    }
    gvt_buf_puts(b, "]},\n \"ballots\": ");
    gvt_report_json_ballots(p, b);
    gvt_buf_puts(b, ",\n \"identity\": ");
    put_identity(b, r->identity);
    gvt_buf_puts(b, ",\n \"schemes\": [");
    for (size_t i = 0; i < r->n_schemes; i++) {
        const gvt_scheme_result *sr = &r->schemes[i];
        gvt_buf_printf(b, "%s\n  {\"id\": \"%s\", \"scores\": [", i ? "," : "",
                       gvt_scheme_name(sr->id));
        for (uint32_t c = 0; c < p->n_choices; c++) {
            gvt_buf_puts(b, c ? ", " : "");
            put_amount(b, sr->scores[c]);
        }
        gvt_buf_puts(b, "], \"total\": ");
        put_amount(b, sr->total);
        gvt_buf_puts(b, ", \"winners\": ");
        put_winners(b, sr->winners, sr->n_winners);
        gvt_buf_putc(b, '}');
    }
    gvt_buf_puts(b, "],\n \"whales\": ");
    put_whales(b, r);
    gvt_buf_puts(b, "}\n");
}
