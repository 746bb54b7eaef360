/*
 * json.c: the gvt-result/1 document of docs/formats.md#result. Every amount
 * and ratio is a decimal string with at most 18 fraction digits, truncated
 * toward zero (as the accessors give them); keys come in a fixed order, so
 * the same result always gives the same bytes. The audit object comes last
 * (audit.c), its digest of the whole document last of all.
 */
#include "report/report.h"

static void put_amount(gvt_buf *b, const char *v)
{
    gvt_buf_putc(b, '"');
    gvt_buf_puts(b, v);
    gvt_buf_putc(b, '"');
}

static void put_winners(gvt_buf *b, const uint32_t *w, size_t n)
{
    gvt_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++)
        gvt_buf_printf(b, "%s%u", i ? ", " : "", w[i]);
    gvt_buf_putc(b, ']');
}

static void put_identity(gvt_buf *b, const gvt_result *r)
{
    if (!gvt_result_has_identity(r)) {
        gvt_buf_puts(b, "null");
        return;
    }
    gvt_buf_printf(b,
                   "{\"attestations\": {\"read\": %zu, \"valid\": %zu, "
                   "\"rejected\": {",
                   gvt_result_attestations_read(r),
                   gvt_result_attestations(r, GVT_ATTEST_VALID));
    for (int k = GVT_ATTEST_VALID + 1; k < GVT_ATTEST_REASON_COUNT; k++)
        gvt_buf_printf(b, "%s\"%s\": %zu", k > 1 ? ", " : "",
                       gvt_attest_reason_name((gvt_attest_reason)k),
                       gvt_result_attestations(r, (gvt_attest_reason)k));
    gvt_buf_printf(b,
                   "}},\n    \"humans\": %zu, \"verified_wallets\": %zu, "
                   "\"unverified_wallets\": %zu}",
                   gvt_result_humans(r), gvt_result_verified_wallets(r),
                   gvt_result_unverified_wallets(r));
}

static void put_list(gvt_buf *b, const char *const *v, size_t n)
{
    gvt_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        gvt_buf_puts(b, i ? ", " : "");
        put_amount(b, v[i]);
    }
    gvt_buf_putc(b, ']');
}

/* A count, or null when negative (none). */
static void put_count(gvt_buf *b, long k)
{
    if (k < 0)
        gvt_buf_puts(b, "null");
    else
        gvt_buf_printf(b, "%ld", k);
}

/* The concentration figures of "whales" (wallets) and "whales.humans",
 * from voters to decisive_k; nl breaks the line before
 * single_voter_dominates. */
static void put_figures(gvt_buf *b, const gvt_human_figures *f, const char *nl)
{
    gvt_buf_printf(b,
                   "{\"voters\": %zu, \"nakamoto\": %zu, \"gini\": ", f->voters,
                   f->nakamoto);
    put_amount(b, f->gini);
    gvt_buf_puts(b, ", \"hhi\": ");
    put_amount(b, f->hhi);
    gvt_buf_puts(b, ", \"top1_share\": ");
    put_amount(b, f->top1_share);
    gvt_buf_puts(b, ", \"top10_share\": ");
    put_amount(b, f->top10_share);
    gvt_buf_printf(b, ",%s\"single_voter_dominates\": %s, \"decisive_k\": ", nl,
                   f->single_voter_dominates ? "true" : "false");
    put_count(b, f->decisive_k);
}

/* , "flips": [the schemes for which flipped(r, i)]. */
static void put_flips(gvt_buf *b, const gvt_result *r,
                      int (*flipped)(const gvt_result *, size_t))
{
    gvt_buf_puts(b, ", \"flips\": [");
    int n = 0;
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++)
        if (flipped(r, i)) {
            gvt_buf_puts(b, n++ ? ", " : "");
            gvt_buf_json_string(b, gvt_scheme_name(gvt_result_scheme(r, i)));
        }
    gvt_buf_putc(b, ']');
}

/* , "shapley_shubik": [...], "shapley_shubik_error": [...] of the wallets
 * or (humans) of the holders. */
static void put_shapley(gvt_buf *b, const gvt_result *r, int humans,
                        const char *lead)
{
    gvt_power_index ix[10]; /* the ten largest at most (govtally.h) */
    size_t n = gvt_result_shapley(r, humans, ix, 10);
    gvt_buf_puts(b, lead);
    gvt_buf_puts(b, "\"shapley_shubik\": [");
    for (size_t i = 0; i < n; i++) {
        gvt_buf_puts(b, i ? ", " : "");
        put_amount(b, ix[i].index);
    }
    gvt_buf_puts(b, "], \"shapley_shubik_error\": [");
    for (size_t i = 0; i < n; i++) {
        gvt_buf_puts(b, i ? ", " : "");
        put_amount(b, ix[i].error);
    }
    gvt_buf_putc(b, ']');
}

/* "whales.humans": the whale figures per human, or null. */
static void put_humans(gvt_buf *b, const gvt_result *r)
{
    const gvt_human_figures *h = gvt_result_human_figures(r);
    if (!h) {
        gvt_buf_puts(b, "null");
        return;
    }
    put_figures(b, h, "\n      ");
    gvt_buf_puts(b, ", \"largest_human\": ");
    if (h->largest_wallets) {
        gvt_buf_puts(b, "{\"voter\": ");
        gvt_buf_json_string(b, h->largest_voter);
        gvt_buf_printf(b,
                       ", \"wallets\": %zu, \"share\": ", h->largest_wallets);
        put_amount(b, h->largest_share);
        gvt_buf_putc(b, '}');
    } else {
        gvt_buf_puts(b, "null");
    }
    if (h->n_power) {
        gvt_buf_puts(b, ",\n      \"banzhaf\": ");
        put_list(b, h->banzhaf, h->n_power);
        put_shapley(b, r, 1, ", ");
    }
    gvt_buf_putc(b, '}');
}

static void put_whales(gvt_buf *b, const gvt_result *r)
{
    const gvt_human_figures wallets = {.voters = gvt_result_voters(r),
                                       .nakamoto = gvt_result_nakamoto(r),
                                       .gini = gvt_result_gini(r),
                                       .hhi = gvt_result_hhi(r),
                                       .top1_share = gvt_result_top1_share(r),
                                       .top10_share = gvt_result_top10_share(r),
                                       .single_voter_dominates =
                                           gvt_result_single_voter_dominates(r),
                                       .decisive_k = gvt_result_decisive_k(r)};
    put_figures(b, &wallets, "\n    ");
    put_flips(b, r, gvt_result_flipped);
    gvt_buf_printf(b, ", \"whale_veto\": %s",
                   gvt_result_whale_veto(r) ? "true" : "false");
    size_t nb = gvt_result_banzhaf_count(r);
    if (nb) {
        gvt_buf_puts(b, ",\n    \"banzhaf\": [");
        for (size_t i = 0; i < nb; i++) {
            gvt_buf_puts(b, i ? ", " : "");
            put_amount(b, gvt_result_banzhaf(r, i));
        }
        gvt_buf_putc(b, ']');
        put_shapley(b, r, 0, ",\n    ");
    }
    gvt_buf_puts(b, ",\n    \"humans\": ");
    put_humans(b, r);
    gvt_buf_putc(b, '}');
}

/* A decimal string, or null. */
static void put_opt_amount(gvt_buf *b, const char *v)
{
    if (v)
        put_amount(b, v);
    else
        gvt_buf_puts(b, "null");
}

static void put_bool3(gvt_buf *b, int v)
{
    gvt_buf_puts(b, v < 0 ? "null" : v ? "true" : "false");
}

/* "decision" (docs/formats.md#result): the rule and its figures, whether
 * the quorum was reached, why not decidable, the quorum veto, the outcome
 * flips and the quorum's part in the outcome. */
void gvt_report_json_decision(const gvt_result *r, gvt_buf *b)
{
    gvt_buf_printf(b, "{\"rule\": \"%s\", \"quorum\": ",
                   gvt_rule_name(gvt_result_rule(r)));
    put_opt_amount(b, gvt_result_quorum(r));
    gvt_buf_puts(b, ", \"quorum_type\": ");
    const char *qt = gvt_result_quorum_type(r);
    if (qt)
        gvt_buf_printf(b, "\"%s\"", qt);
    else
        gvt_buf_puts(b, "null");
    gvt_buf_puts(b, ", \"quorum_share\": ");
    put_opt_amount(b, gvt_result_quorum_share(r));
    gvt_buf_puts(b, ", \"support\": ");
    put_opt_amount(b, gvt_result_support(r));
    gvt_buf_puts(b, ", \"supply\": ");
    put_opt_amount(b, gvt_result_supply(r));
    gvt_buf_puts(b, ",\n    \"quorum_votes\": ");
    put_opt_amount(b, gvt_result_quorum_votes(r));
    gvt_buf_puts(b, ", \"quorum_reached\": ");
    put_bool3(b, gvt_result_quorum_reached(r));
    gvt_buf_printf(b, ", \"outcome\": \"%s\", \"reason\": ",
                   gvt_outcome_name(gvt_result_token_outcome(r)));
    const char *why = gvt_result_outcome_reason(r);
    if (why)
        gvt_buf_json_string(b, why);
    else
        gvt_buf_puts(b, "null");
    gvt_buf_puts(b, ",\n    \"quorum_k\": ");
    put_count(b, gvt_result_quorum_k(r));
    put_flips(b, r, gvt_result_outcome_flipped);
    gvt_buf_printf(b,
                   ", \"carried_by_quorum\": %s, \"blocked_by_quorum\": "
                   "%s}",
                   gvt_result_carried_by_quorum(r) ? "true" : "false",
                   gvt_result_blocked_by_quorum(r) ? "true" : "false");
}

void gvt_report_json_ballots(const gvt_proposal *p, gvt_buf *b)
{
    gvt_ballot_counts c = gvt_proposal_ballot_counts(p);
    gvt_buf_printf(b,
                   "{\"read\": %zu, \"counted\": %zu, \"rejected\": "
                   "{\"invalid-choice\": %zu, \"duplicate\": %zu, "
                   "\"encrypted\": %zu}}",
                   c.read, c.counted, c.invalid_choice, c.duplicate,
                   c.encrypted);
}

void gvt_report_json(const gvt_result *r, gvt_buf *b)
{
    char hex[65];
    gvt_report_json_digest(r, b, hex);
}

void gvt_report_json_digest(const gvt_result *r, gvt_buf *b, char hex[65])
{
    size_t start = b->len;
    const gvt_proposal *p = gvt_result_proposal(r);
    size_t nc = gvt_proposal_choice_count(p);
    gvt_buf_puts(b, "{\"format\": \"gvt-result/1\",\n \"proposal\": {\"id\": ");
    gvt_buf_json_string(b, gvt_proposal_id(p));
    gvt_buf_puts(b, ", \"space\": ");
    gvt_buf_json_string(b, gvt_proposal_space(p));
    gvt_buf_printf(b, ", \"type\": \"%s\", \"choices\": [",
                   gvt_type_name(gvt_proposal_type(p)));
    for (size_t i = 0; i < nc; i++) {
        gvt_buf_puts(b, i ? ", " : "");
        gvt_buf_json_string(b, gvt_proposal_choice(p, i));
    }
    gvt_buf_puts(b, "]},\n \"ballots\": ");
    gvt_report_json_ballots(p, b);
    gvt_buf_puts(b, ",\n \"identity\": ");
    put_identity(b, r);
    gvt_buf_puts(b, ",\n \"schemes\": [");
    for (size_t i = 0; i < gvt_result_scheme_count(r); i++) {
        gvt_buf_printf(b, "%s\n  {\"id\": \"%s\", \"scores\": [", i ? "," : "",
                       gvt_scheme_name(gvt_result_scheme(r, i)));
        for (size_t c = 0; c < nc; c++) {
            gvt_buf_puts(b, c ? ", " : "");
            put_amount(b, gvt_result_score(r, i, c));
        }
        gvt_buf_puts(b, "], \"total\": ");
        put_amount(b, gvt_result_total(r, i));
        gvt_buf_puts(b, ", \"winners\": ");
        size_t nw;
        const uint32_t *w = gvt_result_winners(r, i, &nw);
        put_winners(b, w, nw);
        gvt_buf_printf(b, ", \"outcome\": \"%s\"}",
                       gvt_outcome_name(gvt_result_outcome(r, i)));
    }
    gvt_buf_puts(b, "],\n \"whales\": ");
    put_whales(b, r);
    gvt_buf_puts(b, ",\n \"warnings\": [");
    for (size_t i = 0; i < gvt_result_warning_count(r); i++) {
        gvt_buf_puts(b, i ? ",\n  {\"code\": " : "\n  {\"code\": ");
        gvt_buf_json_string(b, gvt_result_warning_code(r, i));
        gvt_buf_puts(b, ", \"message\": ");
        gvt_buf_json_string(b, gvt_result_warning(r, i));
        gvt_buf_putc(b, '}');
    }
    gvt_buf_puts(b, "],\n \"decision\": ");
    gvt_report_json_decision(r, b);
    gvt_report_json_audit(r, b, start, hex);
}
