/*
 * test_rules.c: Snapshot's seven type rules (tally/rules.c), against hand
 * computations (docs/schemes.md and the reference peer's
 * hand-checked examples, kept outside the repository; the fixtures made from
 * them are checked against the peer by ctest fixtures_peer), plus property
 * tests on seeded random ballots: unit order does not matter, scaling every
 * weight by k scales the scores by k, and the shares of the additive types
 * sum to the total.
 *
 * Expected values are written as exact fractions worked out by hand; the
 * engine must return floor(fraction * 10^36). Where the exact value is
 * irrational (quadratic), the test bounds the error instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hand_ballots.h"

/* scores[i] == floor(num / den * 10^36), num and den decimal integers. */
static void expect_frac(const mpz_t score, const char *num, const char *den)
{
    mpz_t n, d;
    mpz_inits(n, d, NULL);
    mpz_set_str(n, num, 10);
    mpz_set_str(d, den, 10);
    mpz_mul(n, n, *gvt_fx_one());
    mpz_fdiv_q(n, n, d);
    if (mpz_cmp(n, score) != 0) {
        char *a = gvt_fx_to_string(score, GVT_FX_DIGITS);
        char *e = gvt_fx_to_string(n, GVT_FX_DIGITS);
        print_error("score %s, expected %s/%s = %s\n", a, num, den, e);
        free(a);
        free(e);
        fail();
    }
    mpz_clears(n, d, NULL);
}

/* Scores printed with all 36 digits, space separated, equal `want`. */
static void expect_scores(mpz_t *s, uint32_t n, const char *want)
{
    char *got = hand_scores_text(s, n, GVT_FX_DIGITS);
    assert_string_equal(got, want);
    free(got);
}

/* Scores p's counted ballots with weight vp by the proposal's own type. */
static mpz_t *score(const gvt_proposal *p)
{
    size_t n;
    gvt_unit *u = hand_units(p, &n);
    mpz_t *s = hand_scores(p->n_choices);
    gvt_rule_score(p->type, p->n_choices, u, n, s, HAND_THREADS);
    gvt_units_free(u, n);
    return s;
}

static void single_choice_sums(void **state)
{
    (void)state;
    /* peer examples/single-choice.json: the out-of-range 4 and the string
     * "2" are invalid (here: no choice) and count nowhere. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_SINGLE_CHOICE, 3);
    hand_ballot(p, "0x01", "10", "1");
    hand_ballot(p, "0x02", "5", "2");
    hand_ballot(p, "0x03", "2.5", "1");
    hand_ballot(p, "0x04", "100", NULL);
    hand_ballot(p, "0x05", "7", NULL);
    mpz_t *s = score(p);
    expect_scores(s, 3, "12.5 5 0");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    p = hand_proposal(GVT_TYPE_BASIC, 3);
    hand_ballot(p, "0x01", "3", "1");
    hand_ballot(p, "0x02", "1", "2");
    hand_ballot(p, "0x03", "1", "3");
    hand_ballot(p, "0x04", "9", NULL);
    s = score(p);
    expect_scores(s, 3, "3 1 1");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* Dust and whales add exactly: 10^26 + 1.2345678901234567e-9. */
    p = hand_proposal(GVT_TYPE_SINGLE_CHOICE, 2);
    hand_ballot(p, "0x01", "1e26", "2");
    hand_ballot(p, "0x02", "1.2345678901234567e-9", "2");
    hand_ballot(p, "0x03", "0.1", "1");
    hand_ballot(p, "0x04", "0.2", "1");
    s = score(p);
    expect_scores(s, 2,
                  "0.3 100000000000000000000000000.0000000012345678901234567");
    hand_scores_free(s, 2);
    gvt_proposal_free(p);
}

static void approval_full_weight_and_empty(void **state)
{
    (void)state;
    /* peer examples/approval.json: [] is valid and adds nothing; [1,1] and
     * [5] are invalid. A 4, B 1, C 4+1, D 1. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_APPROVAL, 4);
    hand_ballot(p, "0x01", "4", "1,3");
    hand_ballot(p, "0x02", "2", "");
    hand_ballot(p, "0x03", "1", "2,3,4");
    hand_ballot(p, "0x04", "8", NULL);
    hand_ballot(p, "0x05", "16", NULL);
    mpz_t *s = score(p);
    expect_scores(s, 4, "4 1 5 1");
    hand_scores_free(s, 4);
    gvt_proposal_free(p);

    /* Only empty approvals: every score is 0. */
    p = hand_proposal(GVT_TYPE_APPROVAL, 2);
    hand_ballot(p, "0x01", "4", "");
    hand_ballot(p, "0x02", "5", "");
    s = score(p);
    expect_scores(s, 2, "0 0");
    hand_scores_free(s, 2);
    gvt_proposal_free(p);
}

static void ranked_choice_tie_rule(void **state)
{
    (void)state;
    /* peer examples/ranked-choice.json. Round 1: A4 B3 C2 D2 (total 11,
     * no majority). C and D tie for last: the lower index, C, goes; its
     * ballot moves to B. Round 2: A4 B5 D2: D goes, its ballot (4,3,2,1)
     * moves past C to B. Round 3: A4 B7: majority. Had D gone first, C
     * would have won 7-4. The partial [1,2] is invalid. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_RANKED_CHOICE, 4);
    hand_ballot(p, "0x01", "4", "1,2,3,4");
    hand_ballot(p, "0x02", "3", "2,3,1,4");
    hand_ballot(p, "0x03", "2", "3,2,1,4");
    hand_ballot(p, "0x04", "2", "4,3,2,1");
    hand_ballot(p, "0x05", "5", NULL);
    mpz_t *s = score(p);
    expect_scores(s, 4, "4 7 0 0");
    hand_scores_free(s, 4);
    gvt_proposal_free(p);

    /* The same ballots with the labels C and D swapped: the candidate
     * holding the former C ballots is now D, the higher index, so the
     * lower-index C goes first this time, and D wins 7-4. The tie is
     * settled by choice index, not by the ballots. */
    p = hand_proposal(GVT_TYPE_RANKED_CHOICE, 4);
    hand_ballot(p, "0x01", "4", "1,2,4,3");
    hand_ballot(p, "0x02", "3", "2,4,1,3");
    hand_ballot(p, "0x03", "2", "4,2,1,3");
    hand_ballot(p, "0x04", "2", "3,4,2,1");
    s = score(p);
    expect_scores(s, 4, "4 0 0 7");
    hand_scores_free(s, 4);
    gvt_proposal_free(p);
}

static void ranked_choice_rounds(void **state)
{
    (void)state;
    /* Exactly 50 % is not a majority: A5 B3 C2 of 10 goes on; C goes, its
     * ballot moves to B: A5 B5, two candidates left: stop on the tie. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_RANKED_CHOICE, 3);
    hand_ballot(p, "0x01", "5", "1,2,3");
    hand_ballot(p, "0x02", "3", "2,1,3");
    hand_ballot(p, "0x03", "2", "3,2,1");
    mpz_t *s = score(p);
    expect_scores(s, 3, "5 5 0");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* A majority in round 1 reports every first-round tally. */
    p = hand_proposal(GVT_TYPE_RANKED_CHOICE, 3);
    hand_ballot(p, "0x01", "6", "1,2,3");
    hand_ballot(p, "0x02", "3", "2,1,3");
    hand_ballot(p, "0x03", "2", "3,2,1");
    s = score(p);
    expect_scores(s, 3, "6 3 2");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* A candidate without first preferences (D) is a candidate with 0 and
     * goes first; then C (4 < 5); then A has 10 of 15. */
    p = hand_proposal(GVT_TYPE_RANKED_CHOICE, 4);
    hand_ballot(p, "0x01", "6", "1,2,3,4");
    hand_ballot(p, "0x02", "5", "2,1,3,4");
    hand_ballot(p, "0x03", "4", "3,1,2,4");
    s = score(p);
    expect_scores(s, 4, "10 5 0 0");
    hand_scores_free(s, 4);
    gvt_proposal_free(p);

    /* Two choices: the first round is final, even on a tie. */
    p = hand_proposal(GVT_TYPE_RANKED_CHOICE, 2);
    hand_ballot(p, "0x01", "1.5", "1,2");
    hand_ballot(p, "0x02", "1.5", "2,1");
    s = score(p);
    expect_scores(s, 2, "1.5 1.5");
    hand_scores_free(s, 2);
    gvt_proposal_free(p);

    /* Many identical rankings (aggregated) give the same as their sum:
     * 1000 ballots of 0.001 for (2,1,3) against one of 0.9 for (1,3,2)
     * and 0.2 for (3,1,2): B 1, A 0.9, C 0.2 of 2.1; C goes, A 1.1. */
    p = hand_proposal(GVT_TYPE_RANKED_CHOICE, 3);
    for (int i = 0; i < 1000; i++) {
        char a[43];
        hand_ballot(p, hand_address(a, 100 + (unsigned long)i), "0.001",
                    "2,1,3");
    }
    hand_ballot(p, "0x01", "0.9", "1,3,2");
    hand_ballot(p, "0x02", "0.2", "3,1,2");
    s = score(p);
    expect_scores(s, 3, "1.1 1 0");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);
}

static void copeland_cycle_and_tie_break(void **state)
{
    (void)state;
    /* peer examples/copeland.json: cycle A>B (+3), B>C (+3), C>A (+1): two
     * points each. Support A 3*2+2*1 = 8, B 3+2*2 = 7, C 2+2*2 = 6. With
     * W = 7, n = 3: points = 2 + 0.5*s/(2*7); over the denominator 28:
     * num = 56 + s = 64, 63, 62 (sum 189); score = num/189 * 7 = num/27.
     * The ballot ranking only two of three choices is invalid. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_COPELAND, 3);
    hand_ballot(p, "0x01", "3", "1,2,3");
    hand_ballot(p, "0x02", "2", "2,3,1");
    hand_ballot(p, "0x03", "2", "3,1,2");
    hand_ballot(p, "0x04", "10", NULL);
    mpz_t *s = score(p);
    expect_frac(s[0], "64", "27");
    expect_frac(s[1], "63", "27");
    expect_frac(s[2], "62", "27");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* A Condorcet winner: (1,2,3) x5, (2,3,1) x4, W = 9. A beats B and C
     * 5-4, B beats C 9-0: P = 4, 2, 0. Support A 10, B 5+8 = 13, C 4.
     * num = 2*2*9*P + s = 154, 85, 4 (sum 243); score = num * 9/243 =
     * num/27. */
    p = hand_proposal(GVT_TYPE_COPELAND, 3);
    hand_ballot(p, "0x01", "5", "1,2,3");
    hand_ballot(p, "0x02", "4", "2,3,1");
    s = score(p);
    expect_frac(s[0], "154", "27");
    expect_frac(s[1], "85", "27");
    expect_frac(s[2], "4", "27");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* A pairwise tie: 1 point each, equal support: W split in halves. */
    p = hand_proposal(GVT_TYPE_COPELAND, 2);
    hand_ballot(p, "0x01", "1", "1,2");
    hand_ballot(p, "0x02", "1", "2,1");
    s = score(p);
    expect_scores(s, 2, "1 1");
    hand_scores_free(s, 2);
    gvt_proposal_free(p);

    /* A perfect cycle, (1,2,3), (2,3,1), (3,1,2) with weight 1 each: every
     * pair 2-1, P = 2 each, support 2+0+1 = 3 each: W / 3 each. */
    p = hand_proposal(GVT_TYPE_COPELAND, 3);
    hand_ballot(p, "0x01", "1", "1,2,3");
    hand_ballot(p, "0x02", "1", "2,3,1");
    hand_ballot(p, "0x03", "1", "3,1,2");
    s = score(p);
    expect_scores(s, 3, "1 1 1");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* One choice: no pairs, T = 0: the whole W goes to it. */
    p = hand_proposal(GVT_TYPE_COPELAND, 1);
    hand_ballot(p, "0x01", "5", "1");
    s = score(p);
    expect_scores(s, 1, "5");
    hand_scores_free(s, 1);
    gvt_proposal_free(p);

    /* W = 0: no bonus, every score 0. */
    p = hand_proposal(GVT_TYPE_COPELAND, 2);
    hand_ballot(p, "0x01", "0", "1,2");
    s = score(p);
    expect_scores(s, 2, "0 0");
    hand_scores_free(s, 2);
    gvt_proposal_free(p);
}

/* |score - num/den| <= ulps * 10^-36. */
static void expect_near(const mpz_t score, const char *num, const char *den,
                        unsigned long ulps)
{
    mpz_t want, diff;
    mpz_inits(want, diff, NULL);
    mpz_set_str(want, num, 10);
    mpz_mul(want, want, *gvt_fx_one());
    mpz_set_str(diff, den, 10);
    mpz_fdiv_q(want, want, diff);
    mpz_sub(diff, want, score);
    mpz_abs(diff, diff);
    if (mpz_cmp_ui(diff, ulps) > 0) {
        char *a = gvt_fx_to_string(score, GVT_FX_DIGITS);
        print_error("score %s, expected %s/%s within 10^-34\n", a, num, den);
        free(a);
        fail();
    }
    mpz_clears(want, diff, NULL);
}

static void quadratic_examples(void **state)
{
    (void)state;
    /* peer examples/quadratic.json. Terms: A sqrt(9) + sqrt(1/2*8) = 5,
     * B sqrt(1/2*8) + sqrt(3/3*16) = 6, C 0 (its value is 0). Q = 25,
     * 36, 0 of 61; V = 9+8+16 = 33: 825/61, 1188/61, 0. Every square
     * root is exact, so the only floor is the last division. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_QUADRATIC, 3);
    hand_ballot(p, "0x01", "9", "1:1");
    hand_ballot(p, "0x02", "8", "1:1,2:1");
    hand_ballot(p, "0x03", "16", "2:3,3:0");
    hand_ballot(p, "0x04", "100", NULL);
    hand_ballot(p, "0x05", "50", NULL);
    mpz_t *s = score(p);
    expect_frac(s[0], "825", "61");
    expect_frac(s[1], "1188", "61");
    expect_scores(&s[2], 1, "0");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* Scoring spec 5's worked example: {"1":2,"3":1} with vp 9: terms
     * sqrt(6) and sqrt(3), Q = (6, 0, 3): 6, 0, 3 exactly, here computed
     * from floored roots, so within a few 10^-36 (on either side: both
     * roots of the ratio are floored). A second
     * identical voter doubles V and keeps the shares 2/3 and 1/3. */
    p = hand_proposal(GVT_TYPE_QUADRATIC, 3);
    hand_ballot(p, "0x01", "9", "1:2,3:1");
    s = score(p);
    expect_near(s[0], "6", "1", 100);
    expect_scores(&s[1], 1, "0");
    expect_near(s[2], "3", "1", 100);
    hand_scores_free(s, 3);
    hand_ballot(p, "0x02", "9", "1:2,3:1");
    s = score(p);
    expect_near(s[0], "12", "1", 100);
    expect_near(s[2], "6", "1", 100);
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* A value under a key Snapshot never credits is in W_v: {"x":3,"1":1}
     * with vp 16 gives A sqrt(1/4*16) = 2, and alone A takes all V. With
     * a second voter {"2":1} vp 4 (B: 2): Q = 4, 4: V = 20 in halves. */
    p = hand_proposal(GVT_TYPE_QUADRATIC, 2);
    hand_ballot(p, "0x01", "16", "x:3,1:1");
    hand_ballot(p, "0x02", "4", "2:1");
    s = score(p);
    expect_scores(s, 2, "10 10");
    hand_scores_free(s, 2);
    gvt_proposal_free(p);
}

static void weighted_examples(void **state)
{
    (void)state;
    /* peer examples/weighted.json: A 8*1/4 + 10*2/4 = 7, B 8*3/4 = 6,
     * C 4 + 10*2/4 = 9; sum 22 = V, so the renormalisation is the
     * identity. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_WEIGHTED, 3);
    hand_ballot(p, "0x01", "8", "1:1,2:3");
    hand_ballot(p, "0x02", "4", "3:5");
    hand_ballot(p, "0x03", "10", "1:2,2:0,3:2");
    hand_ballot(p, "0x04", "1000", NULL);
    hand_ballot(p, "0x05", "7", NULL);
    mpz_t *s = score(p);
    expect_scores(s, 3, "7 6 9");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* Scoring spec 6: {"1":2,"3":1} with vp 9 gives A 6, C 3. */
    p = hand_proposal(GVT_TYPE_WEIGHTED, 3);
    hand_ballot(p, "0x01", "9", "1:2,3:1");
    s = score(p);
    expect_scores(s, 3, "6 0 3");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);

    /* A non-canonical key ({"1.0":1,"2":1}) alone: B gets 100 %. With a
     * second ballot {"1":1} vp 10: R = A 10, B 5 of V = 20: A 40/3,
     * B 20/3 (the lost share is spread in proportion). */
    p = hand_proposal(GVT_TYPE_WEIGHTED, 2);
    hand_ballot(p, "0x01", "10", "x:1,2:1");
    s = score(p);
    expect_scores(s, 2, "0 10");
    hand_scores_free(s, 2);
    hand_ballot(p, "0x02", "10", "1:1");
    s = score(p);
    expect_frac(s[0], "40", "3");
    expect_frac(s[1], "20", "3");
    hand_scores_free(s, 2);
    gvt_proposal_free(p);

    /* Thirds: 10 spread 1:1:1. Each share is floored to 3.33..3, and the
     * renormalisation V * R / sum(R) gives floor(10/3) each. */
    p = hand_proposal(GVT_TYPE_WEIGHTED, 3);
    hand_ballot(p, "0x01", "10", "1:1,2:1,3:1");
    s = score(p);
    expect_frac(s[0], "10", "3");
    expect_frac(s[1], "10", "3");
    expect_frac(s[2], "10", "3");
    hand_scores_free(s, 3);
    gvt_proposal_free(p);
}

static void zero_votes(void **state)
{
    (void)state;
    for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
        /* No ballot at all, then only invalid ones. */
        gvt_proposal *p = hand_proposal((gvt_type)t, 3);
        mpz_t *s = score(p);
        expect_scores(s, 3, "0 0 0");
        hand_scores_free(s, 3);
        hand_ballot(p, "0x01", "5", NULL);
        s = score(p);
        expect_scores(s, 3, "0 0 0");
        hand_scores_free(s, 3);
        gvt_proposal_free(p);
    }
}

/* ---- properties on seeded random ballots ------------------------------ */

/* A random vp: whales, a body, dust with many digits, and zeros. */
static void random_vp(uint64_t *s, char *buf, size_t size)
{
    switch (hand_rng_below(s, 6)) {
    case 0:
        snprintf(buf, size, "%llu%06u",
                 (unsigned long long)hand_rng_below(s, 1000),
                 hand_rng_below(s, 1000000));
        break;
    case 1:
        snprintf(buf, size, "0.%018llu",
                 (unsigned long long)(hand_rng(s) % 1000000000000000000ULL));
        break;
    case 2:
        snprintf(buf, size, "0");
        break;
    default:
        snprintf(buf, size, "%u.%u", hand_rng_below(s, 1000),
                 hand_rng_below(s, 1000));
    }
}

static void random_choice(uint64_t *s, gvt_type t, uint32_t n, char *buf,
                          size_t size)
{
    uint32_t perm[16];
    hand_permutation(s, perm, n);
    size_t len = 0;
    buf[0] = '\0';
    /* Few distinct rankings, so that the aggregation has work. */
    if (t == GVT_TYPE_RANKED_CHOICE || t == GVT_TYPE_COPELAND) {
        if (hand_rng_below(s, 2))
            for (uint32_t i = 0; i < n; i++)
                perm[i] = i + 1;
        for (uint32_t i = 0; i < n; i++)
            len += (size_t)snprintf(buf + len, size - len, "%s%u", i ? "," : "",
                                    perm[i]);
        return;
    }
    if (t == GVT_TYPE_SINGLE_CHOICE || t == GVT_TYPE_BASIC) {
        snprintf(buf, size, "%u", perm[0]);
        return;
    }
    uint32_t k = hand_rng_below(s, n + 1);
    if (t != GVT_TYPE_APPROVAL && k == 0)
        k = 1;
    /* ascending keys, as the reader stores them */
    for (uint32_t i = 0; i < k; i++)
        for (uint32_t j = i + 1; j < k; j++)
            if (perm[j] < perm[i]) {
                uint32_t x = perm[i];
                perm[i] = perm[j];
                perm[j] = x;
            }
    for (uint32_t i = 0; i < k; i++) {
        if (t == GVT_TYPE_APPROVAL)
            len += (size_t)snprintf(buf + len, size - len, "%s%u", i ? "," : "",
                                    perm[i]);
        else
            len += (size_t)snprintf(
                buf + len, size - len, "%s%u:%u.%u", i ? "," : "", perm[i],
                1 + hand_rng_below(s, 9), hand_rng_below(s, 100));
    }
    if (t != GVT_TYPE_APPROVAL && hand_rng_below(s, 8) == 0)
        snprintf(buf + len, size - len, ",x:1");
}

static gvt_proposal *random_proposal(uint64_t *s, gvt_type t, uint32_t n,
                                     size_t ballots)
{
    gvt_proposal *p = hand_proposal(t, n);
    for (size_t i = 0; i < ballots; i++) {
        char vp[64], choice[256], addr[43];
        random_vp(s, vp, sizeof vp);
        random_choice(s, t, n, choice, sizeof choice);
        hand_ballot(p, hand_address(addr, i + 1), vp, choice);
    }
    return p;
}

static uint64_t test_seed(int k)
{
    const char *env = getenv("GVT_TEST_SEED");
    uint64_t base = env ? strtoull(env, NULL, 10) : 20261129;
    return base + (uint64_t)k;
}

static bool is_exact_type(gvt_type t)
{
    return t == GVT_TYPE_SINGLE_CHOICE || t == GVT_TYPE_BASIC ||
           t == GVT_TYPE_APPROVAL || t == GVT_TYPE_RANKED_CHOICE;
}

static void order_does_not_matter(void **state)
{
    (void)state;
    for (int k = 0; k < 4; k++) {
        uint64_t seed = test_seed(k);
        printf("order_does_not_matter: seed %llu\n", (unsigned long long)seed);
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
            uint64_t s = seed * 31 + (uint64_t)t;
            uint32_t n = 2 + hand_rng_below(&s, 5);
            gvt_proposal *p = random_proposal(&s, (gvt_type)t, n, 300);
            size_t nu;
            gvt_unit *u = hand_units(p, &nu);
            mpz_t *a = hand_scores(n), *b = hand_scores(n);
            gvt_rule_score(p->type, n, u, nu, a, HAND_THREADS);
            for (int r = 0; r < 3; r++) {
                for (size_t i = nu; i > 1; i--) {
                    size_t j = hand_rng(&s) % i;
                    gvt_unit x = u[i - 1];
                    u[i - 1] = u[j];
                    u[j] = x;
                }
                gvt_rule_score(p->type, n, u, nu, b, HAND_THREADS);
                for (uint32_t i = 0; i < n; i++)
                    assert_int_equal(mpz_cmp(a[i], b[i]), 0);
            }
            hand_scores_free(a, n);
            hand_scores_free(b, n);
            gvt_units_free(u, nu);
            gvt_proposal_free(p);
        }
    }
}

/*
 * Scaling every weight by k scales every score by k: exactly for the
 * additive types, and within the floors otherwise: 20 (k + 1) (units + 1)
 * times 10^-36 per score for copeland and weighted (each floored share
 * moves by less than k), plus 10^-24 of the total for quadratic's roots.
 */
static void scaling_scales_scores(void **state)
{
    (void)state;
    for (int k = 0; k < 3; k++) {
        uint64_t seed = test_seed(100 + k);
        printf("scaling_scales_scores: seed %llu\n", (unsigned long long)seed);
        unsigned long factor[] = {7, 1000000, 3};
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
            uint64_t s = seed * 31 + (uint64_t)t;
            uint32_t n = 2 + hand_rng_below(&s, 5);
            gvt_proposal *p = random_proposal(&s, (gvt_type)t, n, 200);
            size_t nu;
            gvt_unit *u = hand_units(p, &nu);
            mpz_t *a = hand_scores(n), *b = hand_scores(n);
            gvt_rule_score(p->type, n, u, nu, a, HAND_THREADS);
            for (size_t i = 0; i < nu; i++)
                mpz_mul_ui(u[i].w, u[i].w, factor[k]);
            gvt_rule_score(p->type, n, u, nu, b, HAND_THREADS);
            mpz_t d, bound;
            mpz_inits(d, bound, NULL);
            mpz_set_ui(bound, (factor[k] + 1) * (nu + 1));
            mpz_mul_ui(bound, bound, 20);
            if (t == GVT_TYPE_QUADRATIC) {
                /* The roots' floors are relative: allow 10^-24 of V. */
                for (size_t i = 0; i < nu; i++)
                    mpz_add(bound, bound, u[i].w);
                mpz_tdiv_q(bound, bound, *gvt_fx_one());
                mpz_mul_ui(bound, bound, 1000000000000ULL);
            }
            for (uint32_t i = 0; i < n; i++) {
                mpz_mul_ui(d, a[i], factor[k]);
                mpz_sub(d, d, b[i]);
                mpz_abs(d, d);
                if (is_exact_type((gvt_type)t))
                    assert_int_equal(mpz_sgn(d), 0);
                else
                    assert_true(mpz_cmp(d, bound) <= 0);
            }
            mpz_clears(d, bound, NULL);
            hand_scores_free(a, n);
            hand_scores_free(b, n);
            gvt_units_free(u, nu);
            gvt_proposal_free(p);
        }
    }
}

/*
 * The scores of single-choice, basic and ranked-choice (complete rankings)
 * sum to the total weight exactly; those of copeland, quadratic and
 * weighted to the total less at most one 10^-36 per choice (the final
 * floor of each score).
 */
static void shares_sum_to_total(void **state)
{
    (void)state;
    for (int k = 0; k < 3; k++) {
        uint64_t seed = test_seed(200 + k);
        printf("shares_sum_to_total: seed %llu\n", (unsigned long long)seed);
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++) {
            if (t == GVT_TYPE_APPROVAL)
                continue; /* approval credits the weight several times */
            uint64_t s = seed * 31 + (uint64_t)t;
            uint32_t n = 2 + hand_rng_below(&s, 5);
            gvt_proposal *p = random_proposal(&s, (gvt_type)t, n, 300);
            size_t nu;
            gvt_unit *u = hand_units(p, &nu);
            mpz_t *a = hand_scores(n);
            gvt_rule_score(p->type, n, u, nu, a, HAND_THREADS);
            mpz_t sum, total;
            mpz_inits(sum, total, NULL);
            for (uint32_t i = 0; i < n; i++)
                mpz_add(sum, sum, a[i]);
            for (size_t i = 0; i < nu; i++)
                mpz_add(total, total, u[i].w);
            mpz_sub(total, total, sum);
            assert_true(mpz_sgn(total) >= 0);
            if (is_exact_type((gvt_type)t))
                assert_int_equal(mpz_sgn(total), 0);
            else
                assert_true(mpz_cmp_ui(total, n) <= 0);
            mpz_clears(sum, total, NULL);
            hand_scores_free(a, n);
            gvt_units_free(u, nu);
            gvt_proposal_free(p);
        }
    }
}

/*
 * The hand examples again with every quadratic and weighted pass split over
 * two threads (gvt_par_force_for_tests), and random proposals scored both
 * ways: the partial sums are exact integers, so the scores must be equal.
 */
static void two_threads_examples(void **state)
{
    gvt_par_force_for_tests(1);
    quadratic_examples(state);
    weighted_examples(state);
    gvt_par_force_for_tests(-1);
}

static void two_threads_same_scores(void **state)
{
    (void)state;
    for (int k = 0; k < 4; k++) {
        uint64_t seed = test_seed(k);
        printf("two_threads_same_scores: seed %llu\n",
               (unsigned long long)seed);
        for (int t = GVT_TYPE_QUADRATIC; t <= GVT_TYPE_WEIGHTED; t++) {
            uint64_t s = seed * 37 + (uint64_t)t;
            uint32_t n = 2 + hand_rng_below(&s, 5);
            gvt_proposal *p =
                random_proposal(&s, (gvt_type)t, n, 301 + (size_t)k);
            size_t nu;
            gvt_unit *u = hand_units(p, &nu);
            mpz_t *a = hand_scores(n), *b = hand_scores(n);
            gvt_par_force_for_tests(0);
            gvt_rule_score(p->type, n, u, nu, a, HAND_THREADS);
            gvt_par_force_for_tests(1);
            gvt_rule_score(p->type, n, u, nu, b, HAND_THREADS);
            gvt_par_force_for_tests(-1);
            for (uint32_t i = 0; i < n; i++)
                assert_int_equal(mpz_cmp(a[i], b[i]), 0);
            hand_scores_free(a, n);
            hand_scores_free(b, n);
            gvt_units_free(u, nu);
            gvt_proposal_free(p);
        }
    }
}

/* ---- the word-sized copeland state and the listed runoff ---------------
 *
 * Both against plain oracles written here from the rules' definitions
 * (scoring spec 3 and 4): copeland's margins summed pair by pair in big
 * numbers, instant runoff recounted from scratch every round. Weights span
 * 1 to 60-digit amounts (one to six machine words, so the table widens
 * while it fills), and every second proposal repeats rankings in mirrored
 * pairs of equal weight so that exact pairwise ties and tied rounds occur.
 */

/* A vp: a small whole number, a fraction, or up to 60 digits. */
static void wide_vp(uint64_t *rng, char *buf, size_t room)
{
    uint32_t kind = hand_rng_below(rng, 4);
    if (kind == 0) {
        snprintf(buf, room, "%u", 1 + hand_rng_below(rng, 9));
    } else if (kind == 1) {
        snprintf(buf, room, "0.%u", 1 + hand_rng_below(rng, 999));
    } else {
        size_t digits = 1 + hand_rng_below(rng, kind == 2 ? 20 : 60);
        for (size_t i = 0; i < digits && i + 1 < room; i++)
            buf[i] = (char)('0' + (i == 0 ? 1 + hand_rng_below(rng, 9)
                                          : hand_rng_below(rng, 10)));
        buf[digits < room ? digits : room - 1] = '\0';
    }
}

static void ranking_text(const uint32_t *perm, uint32_t n, char *buf)
{
    size_t at = 0;
    for (uint32_t i = 0; i < n; i++)
        at += (size_t)sprintf(buf + at, i ? ",%u" : "%u", perm[i]);
}

/* A proposal of `type` with n choices and about nb random rankings. */
static gvt_proposal *random_rankings(gvt_type type, uint32_t n, uint32_t nb,
                                     uint64_t *rng, bool mirrored)
{
    gvt_proposal *p = hand_proposal(type, n);
    uint32_t *perm = malloc(n * sizeof *perm);
    char *text = malloc(8 * (size_t)n + 1);
    char vp[80], voter[43];
    unsigned long k = 0;
    for (uint32_t i = 0; i < nb; i++) {
        hand_permutation(rng, perm, n);
        wide_vp(rng, vp, sizeof vp);
        ranking_text(perm, n, text);
        hand_ballot(p, hand_address(voter, ++k), vp, text);
        if (mirrored) {
            for (uint32_t j = 0; j < n / 2; j++) {
                uint32_t t = perm[j];
                perm[j] = perm[n - 1 - j];
                perm[n - 1 - j] = t;
            }
            ranking_text(perm, n, text);
            hand_ballot(p, hand_address(voter, ++k), vp, text);
        }
    }
    free(text);
    free(perm);
    return p;
}

/* copeland by its definition, pair by pair (n >= 2, every ballot valid). */
static void copeland_oracle(const gvt_proposal *p, mpz_t *out)
{
    uint32_t n = p->n_choices;
    unsigned long *pts = calloc(n, sizeof *pts);
    uint32_t *pos = malloc((size_t)p->n_ballots * n * sizeof *pos);
    mpz_t d, w, sum, t;
    mpz_inits(d, w, sum, t, NULL);
    for (size_t i = 0; i < p->n_ballots; i++) {
        const gvt_choice *c = p->ballots[i].choice;
        mpz_add(w, w, p->ballots[i].vp);
        for (uint32_t k = 0; k < c->n; k++)
            pos[i * n + c->idx[k]] = k;
    }
    for (uint32_t a = 0; a < n; a++) {
        mpz_set_ui(out[a], 0);
        for (uint32_t b = 0; b < n; b++) {
            if (a == b)
                continue;
            mpz_set_ui(d, 0);
            for (size_t i = 0; i < p->n_ballots; i++) {
                if (pos[i * n + a] < pos[i * n + b]) {
                    mpz_add(d, d, p->ballots[i].vp);
                    mpz_add(out[a], out[a], p->ballots[i].vp); /* support */
                } else {
                    mpz_sub(d, d, p->ballots[i].vp);
                }
            }
            pts[a] += mpz_sgn(d) > 0 ? 2 : mpz_sgn(d) == 0 ? 1 : 0;
        }
    }
    for (uint32_t a = 0; a < n; a++) {
        mpz_mul_ui(t, w, 2UL * (n - 1) * pts[a]);
        mpz_add(out[a], out[a], t);
        mpz_add(sum, sum, out[a]);
    }
    for (uint32_t a = 0; a < n; a++) {
        mpz_mul(t, out[a], w);
        mpz_fdiv_q(out[a], t, sum);
    }
    mpz_clears(d, w, sum, t, NULL);
    free(pos);
    free(pts);
}

/* instant runoff recounted from scratch each round (every ballot valid). */
static void runoff_oracle(const gvt_proposal *p, mpz_t *out)
{
    uint32_t n = p->n_choices;
    bool *gone = calloc(n, sizeof *gone);
    mpz_t total, twice;
    mpz_inits(total, twice, NULL);
    for (;;) {
        for (uint32_t c = 0; c < n; c++)
            mpz_set_ui(out[c], 0);
        mpz_set_ui(total, 0);
        for (size_t i = 0; i < p->n_ballots; i++) {
            const gvt_choice *c = p->ballots[i].choice;
            for (uint32_t k = 0; k < c->n; k++)
                if (!gone[c->idx[k]]) {
                    mpz_add(out[c->idx[k]], out[c->idx[k]], p->ballots[i].vp);
                    mpz_add(total, total, p->ballots[i].vp);
                    break;
                }
        }
        uint32_t left = 0, top = 0, bottom = 0;
        for (uint32_t c = 0; c < n; c++) {
            if (gone[c])
                continue;
            if (left == 0 || mpz_cmp(out[c], out[top]) > 0)
                top = c;
            if (left == 0 || mpz_cmp(out[c], out[bottom]) < 0)
                bottom = c;
            left++;
        }
        mpz_mul_2exp(twice, out[top], 1);
        if (left < 3 || mpz_cmp(twice, total) > 0)
            break;
        gone[bottom] = true;
    }
    mpz_clears(total, twice, NULL);
    free(gone);
}

static void words_and_lists_against_oracles(void **state)
{
    (void)state;
    static const uint32_t sizes[][2] = {{2, 5},  {3, 9},  {4, 40}, {7, 30},
                                        {12, 6}, {40, 3}, {65, 25}};
    uint64_t rng = 20240610;
    for (int round = 0; round < 4; round++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            uint32_t n = sizes[s][0], nb = sizes[s][1];
            for (int t = 0; t < 2; t++) {
                gvt_type type = t ? GVT_TYPE_COPELAND : GVT_TYPE_RANKED_CHOICE;
                gvt_proposal *p =
                    random_rankings(type, n, nb, &rng, (round + s) % 2 == 1);
                mpz_t *got = score(p), *want = hand_scores(n);
                if (t)
                    copeland_oracle(p, want);
                else
                    runoff_oracle(p, want);
                for (uint32_t c = 0; c < n; c++)
                    if (mpz_cmp(got[c], want[c]) != 0) {
                        print_error("%s n=%u ballots=%zu round %d: choice "
                                    "%u differs\n",
                                    gvt_type_name(type), n, p->n_ballots, round,
                                    c);
                        fail();
                    }
                hand_scores_free(got, n);
                hand_scores_free(want, n);
                gvt_proposal_free(p);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_choice_sums),
        cmocka_unit_test(approval_full_weight_and_empty),
        cmocka_unit_test(ranked_choice_tie_rule),
        cmocka_unit_test(ranked_choice_rounds),
        cmocka_unit_test(copeland_cycle_and_tie_break),
        cmocka_unit_test(quadratic_examples),
        cmocka_unit_test(weighted_examples),
        cmocka_unit_test(zero_votes),
        cmocka_unit_test(order_does_not_matter),
        cmocka_unit_test(scaling_scales_scores),
        cmocka_unit_test(shares_sum_to_total),
        cmocka_unit_test(two_threads_examples),
        cmocka_unit_test(two_threads_same_scores),
        cmocka_unit_test(words_and_lists_against_oracles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
