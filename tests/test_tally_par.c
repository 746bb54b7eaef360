/*
 * test_tally_par.c: the fast paths of the tally (tally.c, rules.c,
 * analysis.c) against the plain ones, on random proposals of every type.
 *
 *   - a wallet scheme scored straight from the ballots
 *     (gvt_rule_score_wallets, gvt_rule_quadratic_wallets) equals
 *     gvt_scheme_units + gvt_rule_score;
 *   - the whole result (JSON report) is the same byte for byte on one
 *     thread and with every pass split over two (gvt_par_force_for_tests);
 *   - the whale analysis is the same whatever schemes were tallied (it
 *     starts from tally.c's wallet sums, from the token entry, or from its
 *     own passes);
 *   - nakamoto, gini and hhi (summed at limb level, in two halves) equal
 *     their definitions computed plainly with mpz.
 *
 * No expected figures here: each check compares two computations of the
 * same thing (the per-rule expectations are in test_rules.c and
 * test_analysis.c). Seeds: GVT_TEST_SEED as in test_rules.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hand_ballots.h"

static uint64_t test_seed(int k)
{
    const char *env = getenv("GVT_TEST_SEED");
    uint64_t base = env ? strtoull(env, NULL, 10) : 20261129;
    return base + (uint64_t)k;
}

/* A vp: often small with decimals, sometimes 0, an integer, or a whale of
 * three limbs at 10^36 (not so large that the small ones vanish from the
 * whale figures at 36 digits). */
static void random_vp(uint64_t *s, char *out, size_t size)
{
    switch (hand_rng_below(s, 8)) {
    case 0:
        snprintf(out, size, "0");
        break;
    case 1:
        snprintf(out, size, "%u", 1 + hand_rng_below(s, 5));
        break;
    case 2: /* past 2^128 at 10^36: three limbs */
        snprintf(out, size, "%u%03u.%u", hand_rng_below(s, 1000000),
                 hand_rng_below(s, 1000), hand_rng_below(s, 1000));
        break;
    default:
        snprintf(out, size, "%u.%06u", hand_rng_below(s, 4),
                 hand_rng_below(s, 1000000));
    }
}

/* A choice in hand_ballots.c's notation for type t, or NULL (invalid). */
static const char *random_choice(uint64_t *s, gvt_type t, uint32_t n, char *out,
                                 size_t size)
{
    if (hand_rng_below(s, 20) == 0)
        return NULL;
    size_t len = 0;
    out[0] = '\0';
    switch (t) {
    case GVT_TYPE_SINGLE_CHOICE:
    case GVT_TYPE_BASIC:
        snprintf(out, size, "%u", 1 + hand_rng_below(s, n));
        break;
    case GVT_TYPE_APPROVAL: {
        for (uint32_t c = 1; c <= n; c++)
            if (hand_rng_below(s, 2))
                len += (size_t)snprintf(out + len, size - len, "%s%u",
                                        len ? "," : "", c);
        break;
    }
    case GVT_TYPE_RANKED_CHOICE:
    case GVT_TYPE_COPELAND: {
        uint32_t perm[16];
        hand_permutation(s, perm, n);
        for (uint32_t c = 0; c < n; c++)
            len += (size_t)snprintf(out + len, size - len, "%s%u", c ? "," : "",
                                    perm[c]);
        break;
    }
    case GVT_TYPE_QUADRATIC:
    case GVT_TYPE_WEIGHTED:
        for (uint32_t c = 1; c <= n; c++)
            if (hand_rng_below(s, 2))
                len += (size_t)snprintf(
                    out + len, size - len, "%s%u:%u.%u", len ? "," : "", c,
                    hand_rng_below(s, 100), hand_rng_below(s, 10));
        if (hand_rng_below(s, 6) == 0) /* a key Snapshot never credits */
            len += (size_t)snprintf(out + len, size - len, "%sx:%u",
                                    len ? "," : "", 1 + hand_rng_below(s, 9));
        if (!len)
            snprintf(out, size, "1:1");
        break;
    }
    return out;
}

/* Some voters vote twice: gvt_proposal_finish keeps the later ballot. */
static gvt_proposal *random_proposal(uint64_t *s, gvt_type t, uint32_t n,
                                     size_t ballots)
{
    gvt_proposal *p = hand_proposal(t, n);
    for (size_t i = 0; i < ballots; i++) {
        char vp[64], choice[256], addr[43];
        unsigned long who = i + 1;
        if (i > 0 && hand_rng_below(s, 10) == 0)
            who = 1 + hand_rng_below(s, (uint32_t)i);
        random_vp(s, vp, sizeof vp);
        hand_ballot(p, hand_address(addr, who), vp,
                    random_choice(s, t, n, choice, sizeof choice));
    }
    gvt_proposal_finish(p, HAND_THREADS);
    return p;
}

static char *report(const gvt_proposal *p, const gvt_scheme *list, size_t n)
{
    gvt_tally_options o = {0};
    o.schemes = list;
    o.n_schemes = n;
    o.threads = HAND_THREADS;
    gvt_result *r = NULL;
    gvt_error e;
    assert_int_equal(gvt_tally_run(p, &o, &r, &e), GVT_OK);
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_report_json(r, &b);
    gvt_buf_putc(&b, '\0');
    gvt_result_free(r);
    return b.data;
}

static gvt_proposal *proposal_sized(int k, int t, size_t ballots)
{
    uint64_t s = test_seed(k) * 41 + (uint64_t)t;
    uint32_t n = 2 + hand_rng_below(&s, 5);
    return random_proposal(&s, (gvt_type)t, n, ballots);
}

static gvt_proposal *proposal_for(int k, int t)
{
    return proposal_sized(k, t, 150 + 97 * (size_t)k);
}

/* gvt_rule_score_wallets against the units of gvt_scheme_units. */
static void wallets_equal_units(void **state)
{
    (void)state;
    const gvt_scheme wallet[] = {GVT_SCHEME_SNAPSHOT, GVT_SCHEME_TOKEN,
                                 GVT_SCHEME_ADDRESS};
    mpz_t cap;
    mpz_init(cap);
    for (int k = 0; k < 4; k++) {
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
            gvt_proposal *p = proposal_for(k, t);
            uint32_t n = p->n_choices;
            for (size_t w = 0; w < 3; w++) {
                gvt_type rule = gvt_scheme_rule(wallet[w], p->type);
                size_t nu;
                gvt_unit *u = gvt_scheme_units(p, NULL, wallet[w], cap, &nu);
                mpz_t *a = hand_scores(n), *b = hand_scores(n);
                gvt_rule_score(rule, n, u, nu, a, HAND_THREADS);
                for (int par = 0; par < 2; par++) {
                    gvt_par_force_for_tests(par);
                    gvt_rule_score_wallets(rule, p,
                                           wallet[w] == GVT_SCHEME_ADDRESS, b,
                                           HAND_THREADS);
                    for (uint32_t i = 0; i < n; i++)
                        assert_int_equal(mpz_cmp(a[i], b[i]), 0);
                }
                gvt_par_force_for_tests(-1);
                hand_scores_free(a, n);
                hand_scores_free(b, n);
                gvt_units_free(u, nu);
            }
            gvt_proposal_free(p);
        }
    }
    mpz_clear(cap);
}

/* quadratic's snapshot pass that also sums weighted's terms: its scores
 * against the units', its sums against gvt_rule_wallet_sums. */
static void quadratic_pass_equals_two(void **state)
{
    (void)state;
    mpz_t cap;
    mpz_init(cap);
    for (int k = 0; k < 4; k++) {
        gvt_proposal *p = proposal_for(k, GVT_TYPE_QUADRATIC);
        uint32_t n = p->n_choices;
        size_t nu;
        gvt_unit *u = gvt_scheme_units(p, NULL, GVT_SCHEME_SNAPSHOT, cap, &nu);
        mpz_t *a = hand_scores(n), *b = hand_scores(n);
        mpz_t *sa = hand_scores(n + 1), *sb = hand_scores(n + 1);
        gvt_rule_score(GVT_TYPE_QUADRATIC, n, u, nu, a, HAND_THREADS);
        gvt_rule_wallet_sums(p, false, sa, HAND_THREADS);
        for (int par = 0; par < 2; par++) {
            gvt_par_force_for_tests(par);
            for (uint32_t i = 0; i <= n; i++)
                mpz_set_ui(sb[i], 0);
            gvt_rule_quadratic_wallets(p, b, sb, HAND_THREADS);
            for (uint32_t i = 0; i < n; i++)
                assert_int_equal(mpz_cmp(a[i], b[i]), 0);
            for (uint32_t i = 0; i <= n; i++)
                assert_int_equal(mpz_cmp(sa[i], sb[i]), 0);
        }
        gvt_par_force_for_tests(-1);
        hand_scores_free(a, n);
        hand_scores_free(b, n);
        hand_scores_free(sa, n + 1);
        hand_scores_free(sb, n + 1);
        gvt_units_free(u, nu);
        gvt_proposal_free(p);
    }
    mpz_clear(cap);
}

/* The whole JSON report on one thread and on two, for several lists. */
static void one_thread_equals_two(void **state)
{
    (void)state;
    const gvt_scheme lists[][4] = {{GVT_SCHEME_SNAPSHOT},
                                   {GVT_SCHEME_TOKEN},
                                   {GVT_SCHEME_ADDRESS, GVT_SCHEME_QUADRATIC},
                                   {GVT_SCHEME_SNAPSHOT, GVT_SCHEME_TOKEN,
                                    GVT_SCHEME_ADDRESS, GVT_SCHEME_QUADRATIC}};
    const size_t sizes[] = {1, 1, 2, 4};
    for (int k = 0; k < 4; k++) {
        printf("one_thread_equals_two: seed %llu\n",
               (unsigned long long)test_seed(k));
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
            gvt_proposal *p = proposal_for(k, t);
            for (size_t l = 0; l < 4; l++) {
                gvt_par_force_for_tests(0);
                char *one = report(p, lists[l], sizes[l]);
                gvt_par_force_for_tests(1);
                char *two = report(p, lists[l], sizes[l]);
                gvt_par_force_for_tests(-1);
                assert_string_equal(one, two);
                free(one);
                free(two);
            }
            gvt_proposal_free(p);
        }
    }
}

/* The whale figures whatever the schemes tallied before the analysis. */
static void analysis_ignores_the_list(void **state)
{
    (void)state;
    const gvt_scheme lists[][4] = {{GVT_SCHEME_SNAPSHOT},
                                   {GVT_SCHEME_TOKEN},
                                   {GVT_SCHEME_ADDRESS},
                                   {GVT_SCHEME_QUADRATIC},
                                   {GVT_SCHEME_SNAPSHOT, GVT_SCHEME_TOKEN,
                                    GVT_SCHEME_ADDRESS, GVT_SCHEME_QUADRATIC}};
    const size_t sizes[] = {1, 1, 1, 1, 4};
    for (int k = 0; k < 4; k++) {
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
            gvt_proposal *p = proposal_for(k, t);
            gvt_result *r[5];
            for (size_t l = 0; l < 5; l++) {
                gvt_tally_options o = {0};
                o.schemes = lists[l];
                o.n_schemes = sizes[l];
                o.threads = HAND_THREADS;
                gvt_error e;
                gvt_par_force_for_tests(l % 2 ? 1 : -1);
                assert_int_equal(gvt_tally_run(p, &o, &r[l], &e), GVT_OK);
            }
            gvt_par_force_for_tests(-1);
            const gvt_whales *a = &r[4]->whales;
            for (size_t l = 0; l < 4; l++) {
                const gvt_whales *b = &r[l]->whales;
                assert_int_equal(a->voters, b->voters);
                assert_int_equal(a->nakamoto, b->nakamoto);
                assert_int_equal(a->decisive_k, b->decisive_k);
                assert_int_equal(a->whale_veto, b->whale_veto);
                assert_int_equal(a->single_voter_dominates,
                                 b->single_voter_dominates);
                assert_int_equal(mpz_cmp(a->gini, b->gini), 0);
                assert_int_equal(mpz_cmp(a->hhi, b->hhi), 0);
                assert_int_equal(mpz_cmp(a->top1_share, b->top1_share), 0);
                assert_int_equal(mpz_cmp(a->top10_share, b->top10_share), 0);
            }
            for (size_t l = 0; l < 5; l++)
                gvt_result_free(r[l]);
            gvt_proposal_free(p);
        }
    }
}

static int cmp_desc(const void *a, const void *b)
{
    return mpz_cmp(*(const mpz_t *)b, *(const mpz_t *)a);
}

/*
 * nakamoto, gini and hhi against their definitions (docs/analysis.md) computed
 * here the slow way with mpz: the vp of the counted ballots sorted descending,
 * P_k the sum of the k largest, nakamoto the smallest k with 2 P_k > W,
 * gini = (2 sum_i i w_i - (n + 1) W) / (n W) over w ascending (i from 1),
 * hhi = 10000 sum w^2 / W^2, both floored to the fixed point.
 */
static void metrics_match_definitions(void **state)
{
    (void)state;
    for (int k = 0; k < 4; k++) {
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
            /* past 1024 voters too: nakamoto's blocks of several */
            gvt_proposal *p = proposal_sized(k, t, 150 + 1500 * (size_t)k);
            size_t n = 0;
            mpz_t *v = gvt_xmalloc((p->n_ballots + 1) * sizeof *v);
            for (size_t i = 0; i < p->n_ballots; i++)
                if (p->ballots[i].status == GVT_BALLOT_COUNTED)
                    mpz_init_set(v[n++], p->ballots[i].vp);
            qsort(v, n, sizeof *v, cmp_desc);
            mpz_t w, acc, sum, sq, t1, t2, gini, hhi;
            mpz_inits(w, acc, sum, sq, t1, t2, gini, hhi, NULL);
            for (size_t i = 0; i < n; i++)
                mpz_add(w, w, v[i]);
            size_t nakamoto = 0;
            for (size_t i = 0; i < n; i++) {
                mpz_add(acc, acc, v[i]);
                mpz_mul_2exp(t1, acc, 1);
                if (!nakamoto && mpz_cmp(t1, w) > 0)
                    nakamoto = i + 1;
                /* ascending rank of v[i] is n - i */
                mpz_addmul_ui(sum, v[i], (unsigned long)(n - i));
                mpz_addmul(sq, v[i], v[i]);
            }
            gvt_par_force_for_tests(k % 2);
            gvt_scheme s = GVT_SCHEME_SNAPSHOT;
            gvt_tally_options o = {0};
            o.threads = HAND_THREADS;
            o.schemes = &s;
            o.n_schemes = 1;
            gvt_result *r;
            gvt_error e;
            assert_int_equal(gvt_tally_run(p, &o, &r, &e), GVT_OK);
            gvt_par_force_for_tests(-1);
            assert_int_equal(r->whales.voters, n);
            if (mpz_sgn(w) > 0) {
                mpz_mul_2exp(t1, sum, 1);
                mpz_mul_ui(t2, w, (unsigned long)n + 1);
                mpz_sub(t1, t1, t2);
                mpz_mul_ui(t2, w, (unsigned long)n);
                gvt_fx_ratio(gini, t1, t2);
                mpz_mul_ui(t1, sq, 10000);
                mpz_mul(t2, w, w);
                gvt_fx_ratio(hhi, t1, t2);
                assert_int_equal(r->whales.nakamoto, nakamoto);
                assert_int_equal(mpz_cmp(r->whales.gini, gini), 0);
                assert_int_equal(mpz_cmp(r->whales.hhi, hhi), 0);
            }
            gvt_result_free(r);
            mpz_clears(w, acc, sum, sq, t1, t2, gini, hhi, NULL);
            for (size_t i = 0; i < n; i++)
                mpz_clear(v[i]);
            free(v);
            gvt_proposal_free(p);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wallets_equal_units),
        cmocka_unit_test(quadratic_pass_equals_two),
        cmocka_unit_test(one_thread_equals_two),
        cmocka_unit_test(analysis_ignores_the_list),
        cmocka_unit_test(metrics_match_definitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
