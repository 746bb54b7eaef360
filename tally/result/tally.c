/*
 * tally.c: gvt_tally_run, the pipeline of one proposal (STYLE "data flow"):
 * identity (when attestations are given) -> a weight per unit for every
 * scheme -> the type's rule -> scores and winners -> whale analysis
 * -> the decision (docs/schemes.md, docs/analysis.md, docs/outcomes.md);
 * then the figures formatted for the accessors (accessors.c).
 */
#include <stdlib.h>
#include <string.h>

#include "result/result.h"

static bool is_personhood(gvt_scheme s)
{
    return s == GVT_SCHEME_PERSONHOOD || s == GVT_SCHEME_QUADRATIC_PERSONHOOD ||
           s == GVT_SCHEME_CAPPED_PERSONHOOD;
}

/* The cap of capped-personhood: a decimal in [0, 1], default 0.1. */
static gvt_status parse_cap(const char *text, mpz_t out, gvt_error *err)
{
    if (!text)
        text = "0.1";
    gvt_fx_status st = gvt_fx_parse(out, text, strlen(text), false);
    if (st == GVT_FX_OK && mpz_cmp(out, *gvt_fx_one()) <= 0)
        return GVT_OK;
    gvt_error_set(err, GVT_ERR_USAGE, NULL,
                  "cap '%s' is not a decimal between 0 and 1", text);
    return GVT_ERR_USAGE;
}

/* The sum of the weights of the wallet units of token (vp) or address
 * (one): the counted ballots. */
static void wallet_total(const gvt_proposal *p, bool one, mpz_t total)
{
    size_t counted = 0;
    mpz_set_ui(total, 0);
    for (size_t i = 0; i < p->n_ballots; i++) {
        if (p->ballots[i].status != GVT_BALLOT_COUNTED)
            continue;
        counted++;
        if (!one)
            mpz_add(total, total, p->ballots[i].vp);
    }
    if (one)
        mpz_mul_ui(total, *gvt_fx_one(), (unsigned long)counted);
}

/*
 * The scores of snapshot and token are the same when their rules are (every
 * type but quadratic): both weigh each counted ballot by its vp. The entry
 * of the other one when it is already scored with this rule, else NULL.
 */
static const gvt_scheme_result *twin(const gvt_result *r, gvt_scheme s,
                                     gvt_type rule)
{
    gvt_scheme other;
    if (s == GVT_SCHEME_TOKEN)
        other = GVT_SCHEME_SNAPSHOT;
    else if (s == GVT_SCHEME_SNAPSHOT)
        other = GVT_SCHEME_TOKEN;
    else
        return NULL;
    if (gvt_scheme_rule(other, r->p->type) != rule)
        return NULL;
    for (size_t i = 0; i < r->n_schemes; i++)
        if (r->schemes[i].id == other)
            return &r->schemes[i];
    return NULL;
}

/* weighted's sums over the counted ballots weighing vp or one, computed
 * once per result (analysis.c reuses them). */
static mpz_t *wallet_sums(const gvt_result *r, gvt_wallet_state *ws, bool one,
                          unsigned threads)
{
    mpz_t **sums = &ws->sums[one ? 1 : 0];
    if (!*sums) {
        uint32_t n = r->p->n_choices;
        *sums = gvt_xmalloc((n + 1) * sizeof **sums);
        for (uint32_t i = 0; i <= n; i++)
            mpz_init((*sums)[i]);
        gvt_rule_wallet_sums(r->p, one, *sums, threads);
    }
    return *sums;
}

/*
 * The sums rules' scores are their state: kept as the wallet sums of the
 * token rule, which analysis.c then need not recompute.
 */
static void keep_sums(const gvt_result *r, gvt_wallet_state *ws, bool one,
                      gvt_type rule, mpz_t *const scores)
{
    uint32_t n = r->p->n_choices;
    mpz_t **sums = &ws->sums[one ? 1 : 0];
    if (*sums || rule != gvt_scheme_rule(GVT_SCHEME_TOKEN, r->p->type) ||
        (rule != GVT_TYPE_SINGLE_CHOICE && rule != GVT_TYPE_BASIC &&
         rule != GVT_TYPE_APPROVAL))
        return;
    *sums = gvt_xmalloc((n + 1) * sizeof **sums);
    for (uint32_t i = 0; i <= n; i++)
        mpz_init((*sums)[i]);
    for (uint32_t i = 0; i < n; i++)
        mpz_set((*sums)[i], scores[i]);
}

static void score_scheme(gvt_result *r, gvt_wallet_state *ws, gvt_scheme s,
                         gvt_scheme_result *sr, unsigned threads)
{
    const gvt_proposal *p = r->p;
    sr->id = s;
    sr->scores = gvt_xcalloc(p->n_choices ? p->n_choices : 1, sizeof(mpz_t));
    for (uint32_t i = 0; i < p->n_choices; i++)
        mpz_init(sr->scores[i]);
    mpz_init(sr->total);
    gvt_type rule = gvt_scheme_rule(s, p->type);
    if (s == GVT_SCHEME_SNAPSHOT || s == GVT_SCHEME_TOKEN ||
        s == GVT_SCHEME_ADDRESS) {
        /* Weights vp or one: straight from the ballots, no units. */
        bool one = s == GVT_SCHEME_ADDRESS;
        const gvt_scheme_result *same = twin(r, s, rule);
        if (same) {
            for (uint32_t i = 0; i < p->n_choices; i++)
                mpz_set(sr->scores[i], same->scores[i]);
        } else if (!one && !ws->group_of &&
                   (rule == GVT_TYPE_RANKED_CHOICE ||
                    rule == GVT_TYPE_COPELAND)) {
            ws->group_of =
                gvt_xmalloc((p->n_ballots + 1) * sizeof *ws->group_of);
            ws->ng = gvt_rule_score_grouped_wallets(
                rule, p, sr->scores, &ws->groups, ws->group_of, threads);
        } else if (rule == GVT_TYPE_QUADRATIC && !ws->sums[0]) {
            mpz_t **sums = &ws->sums[0];
            *sums = gvt_xmalloc((p->n_choices + 1) * sizeof **sums);
            for (uint32_t i = 0; i <= p->n_choices; i++)
                mpz_init((*sums)[i]);
            gvt_rule_quadratic_wallets(p, sr->scores, *sums, threads);
        } else if (rule == GVT_TYPE_WEIGHTED) {
            mpz_t *sums = wallet_sums(r, ws, one, threads);
            gvt_rule_spread(p->n_choices, sums[p->n_choices], sums, sr->scores);
        } else {
            gvt_rule_score_wallets(rule, p, one, sr->scores, threads);
        }
        keep_sums(r, ws, one, rule, sr->scores);
        if (s == GVT_SCHEME_SNAPSHOT)
            mpz_set(sr->total, p->scores_total);
        else
            wallet_total(p, one, sr->total);
    } else {
        size_t n = 0;
        gvt_unit *units = gvt_scheme_units(p, r->identity, s, r->cap, &n);
        gvt_rule_score(rule, p->n_choices, units, n, sr->scores, threads);
        for (size_t i = 0; i < n; i++)
            mpz_add(sr->total, sr->total, units[i].w);
        gvt_units_free(units, n);
    }
    sr->winners =
        gvt_xcalloc(p->n_choices ? p->n_choices : 1, sizeof(uint32_t));
    sr->n_winners = gvt_winners(p->type, p->n_choices, sr->scores, sr->winners);
}

static void scheme_result_clear(gvt_scheme_result *sr, uint32_t n_choices)
{
    for (uint32_t c = 0; c < n_choices; c++)
        mpz_clear(sr->scores[c]);
    free(sr->scores);
    mpz_clear(sr->total);
    free(sr->winners);
}

/* The warnings; Snapshot's scores are recounted for the hub's when the
 * snapshot scheme was not asked for. */
static void warn(gvt_result *r, gvt_wallet_state *ws, long long now,
                 unsigned threads)
{
    const gvt_scheme_result *snap = NULL;
    for (size_t i = 0; i < r->n_schemes; i++)
        if (r->schemes[i].id == GVT_SCHEME_SNAPSHOT)
            snap = &r->schemes[i];
    gvt_scheme_result own;
    bool recount = !snap && r->p->hub_scores && r->p->n_hub_scores;
    if (recount) {
        score_scheme(r, ws, GVT_SCHEME_SNAPSHOT, &own, threads);
        snap = &own;
    }
    gvt_result_warnings_make(r, snap, now);
    if (recount)
        scheme_result_clear(&own, r->p->n_choices);
}

GVT_API gvt_status gvt_tally_run(const gvt_proposal *p,
                                 const gvt_tally_options *opt, gvt_result **out,
                                 gvt_error *err)
{
    return gvt_tally_run_rule(p, opt, NULL, out, err);
}

GVT_API gvt_status gvt_tally_run_rule(const gvt_proposal *p,
                                      const gvt_tally_options *opt,
                                      const gvt_rule_options *rule,
                                      gvt_result **out, gvt_error *err)
{
    return gvt_tally_run_figures(p, opt, rule, GVT_FIGURES_ALL, out, err);
}

gvt_status gvt_tally_run_figures(const gvt_proposal *p,
                                 const gvt_tally_options *opt,
                                 const gvt_rule_options *rule,
                                 gvt_figures figures, gvt_result **out,
                                 gvt_error *err)
{
    *out = NULL;
    if (gvt_rule_options_check(rule, err) != GVT_OK)
        return GVT_ERR_USAGE;
    gvt_tally_options none = {0};
    if (!opt)
        opt = &none;
    if (!opt->attestations != !opt->trust) {
        gvt_error_set(err, GVT_ERR_USAGE, NULL,
                      "attestations and an issuer trust file go together");
        return GVT_ERR_USAGE;
    }
    bool have_identity = opt->attestations != NULL;

    /* The schemes, in the order asked or the default order. */
    gvt_scheme list[GVT_SCHEME_COUNT];
    size_t n_list = 0;
    if (opt->n_schemes == 0) {
        for (int s = 0; s < GVT_SCHEME_COUNT; s++)
            if (have_identity || !is_personhood((gvt_scheme)s))
                list[n_list++] = (gvt_scheme)s;
    } else {
        if (opt->n_schemes > GVT_SCHEME_COUNT) {
            gvt_error_set(err, GVT_ERR_USAGE, NULL, "too many schemes");
            return GVT_ERR_USAGE;
        }
        for (size_t i = 0; i < opt->n_schemes; i++) {
            gvt_scheme s = opt->schemes[i];
            if ((unsigned)s >= GVT_SCHEME_COUNT) {
                gvt_error_set(err, GVT_ERR_USAGE, NULL, "unknown scheme %d",
                              (int)s);
                return GVT_ERR_USAGE;
            }
            if (is_personhood(s) && !have_identity) {
                gvt_error_set(err, GVT_ERR_USAGE, NULL,
                              "scheme %s needs attestations and an issuer "
                              "trust file",
                              gvt_scheme_name(s));
                return GVT_ERR_USAGE;
            }
            list[n_list++] = s;
        }
    }

    gvt_result *r = gvt_xcalloc(1, sizeof *r);
    r->p = p;
    r->summary = figures == GVT_FIGURES_SUMMARY;
    mpz_init(r->cap);
    gvt_whales_init(&r->whales);
    gvt_decision_init(&r->decision);
    gvt_buf_init(&r->text);
    gvt_status st = parse_cap(opt->cap, r->cap, err);
    if (st == GVT_OK && have_identity)
        st = gvt_identity_build_progress(p, opt->attestations, opt->trust,
                                         opt->threads, opt->progress,
                                         opt->progress_ctx, &r->identity, err);
    if (st != GVT_OK) {
        gvt_result_free(r);
        return st;
    }
    /* The token rule's state, shared by scoring and the analysis. */
    gvt_wallet_state ws;
    memset(&ws, 0, sizeof ws);
    for (size_t i = 0; i < n_list; i++) {
        score_scheme(r, &ws, list[i], &r->schemes[i], opt->threads);
        r->n_schemes = i + 1; /* twin() looks at the ones scored */
    }
    r->n_schemes = n_list;
    gvt_whales_input in = {p,      r->schemes, r->n_schemes, r->identity,
                           r->cap, &ws,        opt->threads, r->summary};
    gvt_whales_run(&in, &r->whales);
    warn(r, &ws, opt->now, opt->threads);
    gvt_wallet_state_free(&ws, p->n_choices);
    gvt_decision_input din = {p, r->schemes, r->n_schemes, rule};
    gvt_decision_run(&din, &r->decision);
    gvt_result_text_make(r);
    gvt_result_audit_make(r, opt, rule);
    *out = r;
    return GVT_OK;
}

GVT_API void gvt_result_free(gvt_result *r)
{
    if (!r)
        return;
    uint32_t n = r->p ? r->p->n_choices : 0;
    for (size_t i = 0; i < r->n_schemes; i++)
        scheme_result_clear(&r->schemes[i], n);
    gvt_result_text_free(r);
    gvt_result_warnings_free(r);
    gvt_result_audit_free(r);
    gvt_whales_clear(&r->whales);
    gvt_decision_clear(&r->decision);
    mpz_clear(r->cap);
    gvt_identity_free(r->identity);
    free(r);
}
