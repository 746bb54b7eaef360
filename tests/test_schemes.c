/*
 * test_schemes.c: the weight of each unit under each scheme, the rule each
 * scheme applies, and the winners (tally/schemes.c, docs/schemes.md), against
 * hand computations on hand-built proposals and identities; plus the property
 * that splitting one human's vp over several wallets leaves every
 * personhood scheme unchanged while the per-wallet quadratic scheme moves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hand_ballots.h"

static void expect_weights(gvt_unit *u, size_t n, const char *want)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (i)
            gvt_buf_putc(&b, ' ');
        gvt_fx_append(&b, u[i].w, GVT_FX_DIGITS);
    }
    assert_string_equal(b.data, want);
    gvt_buf_free(&b);
}

/* Scores of scheme s on p (identity id, cap as a decimal) at 36 digits. */
static char *scheme_scores(const gvt_proposal *p, const gvt_identity *id,
                           gvt_scheme s, const char *cap)
{
    mpz_t c;
    mpz_init(c);
    hand_fx(c, cap);
    size_t n;
    gvt_unit *u = gvt_scheme_units(p, id, s, c, &n);
    mpz_t *sc = hand_scores(p->n_choices);
    gvt_rule_score(gvt_scheme_rule(s, p->type), p->n_choices, u, n, sc,
                   HAND_THREADS);
    char *text = hand_scores_text(sc, p->n_choices, GVT_FX_DIGITS);
    hand_scores_free(sc, p->n_choices);
    gvt_units_free(u, n);
    mpz_clear(c);
    return text;
}

static void expect_scheme_scores(const gvt_proposal *p, const gvt_identity *id,
                                 gvt_scheme s, const char *cap,
                                 const char *want)
{
    char *got = scheme_scores(p, id, s, cap);
    assert_string_equal(got, want);
    free(got);
}

static void wallet_weights(void **state)
{
    (void)state;
    gvt_proposal *p = hand_proposal(GVT_TYPE_SINGLE_CHOICE, 2);
    hand_ballot(p, "0x01", "4", "1");
    hand_ballot(p, "0x02", "9", "2");
    hand_ballot(p, "0x03", "100", NULL); /* invalid choice */
    hand_ballot(p, "0x04", "2", "1");
    size_t dup = hand_ballot(p, "0x05", "50", "2");
    p->ballots[dup].status = GVT_BALLOT_DUPLICATE;
    mpz_t cap;
    mpz_init(cap);
    size_t n;

    /* Only counted ballots, in input order. */
    gvt_unit *u = gvt_scheme_units(p, NULL, GVT_SCHEME_TOKEN, cap, &n);
    assert_int_equal(n, 3);
    assert_ptr_equal(u[0].ballot, &p->ballots[0]);
    assert_ptr_equal(u[1].ballot, &p->ballots[1]);
    assert_ptr_equal(u[2].ballot, &p->ballots[3]);
    expect_weights(u, n, "4 9 2");
    gvt_units_free(u, n);

    u = gvt_scheme_units(p, NULL, GVT_SCHEME_SNAPSHOT, cap, &n);
    expect_weights(u, n, "4 9 2");
    gvt_units_free(u, n);

    u = gvt_scheme_units(p, NULL, GVT_SCHEME_ADDRESS, cap, &n);
    expect_weights(u, n, "1 1 1");
    gvt_units_free(u, n);

    /* sqrt(2) = 1.41421356237309504880168872420969807856..., floored at
     * 36 digits. */
    u = gvt_scheme_units(p, NULL, GVT_SCHEME_QUADRATIC, cap, &n);
    expect_weights(u, n, "2 3 1.414213562373095048801688724209698078");
    gvt_units_free(u, n);

    /* The personhood schemes have no units without an identity. */
    u = gvt_scheme_units(p, NULL, GVT_SCHEME_PERSONHOOD, cap, &n);
    assert_int_equal(n, 0);
    gvt_units_free(u, n);

    expect_scheme_scores(p, NULL, GVT_SCHEME_TOKEN, "0", "6 9");
    expect_scheme_scores(p, NULL, GVT_SCHEME_ADDRESS, "0", "2 1");
    expect_scheme_scores(p, NULL, GVT_SCHEME_QUADRATIC, "0",
                         "3.414213562373095048801688724209698078 3");
    mpz_clear(cap);
    gvt_proposal_free(p);
}

static void scheme_rules(void **state)
{
    (void)state;
    assert_int_equal(gvt_scheme_rule(GVT_SCHEME_SNAPSHOT, GVT_TYPE_QUADRATIC),
                     GVT_TYPE_QUADRATIC);
    for (int s = GVT_SCHEME_TOKEN; s < GVT_SCHEME_COUNT; s++) {
        assert_int_equal(gvt_scheme_rule((gvt_scheme)s, GVT_TYPE_QUADRATIC),
                         GVT_TYPE_WEIGHTED);
        for (int t = GVT_TYPE_SINGLE_CHOICE; t <= GVT_TYPE_WEIGHTED; t++)
            if (t != GVT_TYPE_QUADRATIC)
                assert_int_equal(gvt_scheme_rule((gvt_scheme)s, (gvt_type)t),
                                 t);
    }

    /* A quadratic proposal: {"1":2,"3":1} vp 9 and {"2":1} vp 1. token
     * spreads it as weighted: A 6, B 1, C 3 (snapshot's quadratic would
     * give roots). address (weighted, w = 1): A 2/3, B 1, C 1/3, each
     * share floored, then V * R / sum(R) floored again. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_QUADRATIC, 3);
    hand_ballot(p, "0x01", "9", "1:2,3:1");
    hand_ballot(p, "0x02", "1", "2:1");
    expect_scheme_scores(p, NULL, GVT_SCHEME_TOKEN, "0", "6 1 3");
    expect_scheme_scores(p, NULL, GVT_SCHEME_ADDRESS, "0",
                         "0.666666666666666666666666666666666666 1 "
                         "0.333333333333333333333333333333333333");
    gvt_proposal_free(p);
}

static size_t winners_of(gvt_type t, const char *const *scores, uint32_t n,
                         uint32_t *w)
{
    mpz_t *s = hand_scores(n);
    for (uint32_t i = 0; i < n; i++)
        hand_fx(s[i], scores[i]);
    size_t k = gvt_winners(t, n, s, w);
    hand_scores_free(s, n);
    return k;
}

static void winners(void **state)
{
    (void)state;
    uint32_t w[4];
    const char *tie[] = {"5", "7", "7"};
    assert_int_equal(winners_of(GVT_TYPE_SINGLE_CHOICE, tie, 3, w), 2);
    assert_int_equal(w[0], 2);
    assert_int_equal(w[1], 3);

    const char *zero[] = {"0", "0", "0"};
    assert_int_equal(winners_of(GVT_TYPE_APPROVAL, zero, 3, w), 0);

    const char *dust[] = {"0", "0.000000000000000000000000000000000001"};
    assert_int_equal(winners_of(GVT_TYPE_WEIGHTED, dust, 2, w), 1);
    assert_int_equal(w[0], 2);

    /* basic: Abstain (3) never wins, however large. */
    const char *abst[] = {"3", "1", "10"};
    assert_int_equal(winners_of(GVT_TYPE_BASIC, abst, 3, w), 1);
    assert_int_equal(w[0], 1);
    const char *only_abst[] = {"0", "0", "10"};
    assert_int_equal(winners_of(GVT_TYPE_BASIC, only_abst, 3, w), 0);
    const char *for_against[] = {"2", "2", "1"};
    assert_int_equal(winners_of(GVT_TYPE_BASIC, for_against, 3, w), 2);
    assert_int_equal(w[0], 1);
    assert_int_equal(w[1], 2);
    /* The same scores under single-choice: choice 3 wins. */
    assert_int_equal(winners_of(GVT_TYPE_SINGLE_CHOICE, abst, 3, w), 1);
    assert_int_equal(w[0], 3);

    const char *one[] = {"0.5"};
    assert_int_equal(winners_of(GVT_TYPE_SINGLE_CHOICE, one, 1, w), 1);
    assert_int_equal(w[0], 1);
}

/* ---- identities built by hand -------------------------------------------- */

typedef struct hand_human {
    size_t ballot; /* index of the ballot that stands for the human */
    const char *weight;
    const char *vp;
    size_t wallets;
} hand_human;

static gvt_identity *hand_identity(const gvt_proposal *p, const hand_human *h,
                                   size_t n)
{
    gvt_identity *id = gvt_xcalloc(1, sizeof *id);
    id->humans = gvt_xcalloc(n ? n : 1, sizeof *id->humans);
    id->n_humans = n;
    for (size_t i = 0; i < n; i++) {
        id->humans[i].ballot = &p->ballots[h[i].ballot];
        mpz_init(id->humans[i].weight);
        mpz_init(id->humans[i].vp);
        hand_fx(id->humans[i].weight, h[i].weight);
        hand_fx(id->humans[i].vp, h[i].vp);
        id->humans[i].n_wallets = h[i].wallets;
        id->verified_wallets += h[i].wallets;
    }
    return id;
}

static void hand_identity_free(gvt_identity *id)
{
    for (size_t i = 0; i < id->n_humans; i++) {
        mpz_clear(id->humans[i].weight);
        mpz_clear(id->humans[i].vp);
    }
    free(id->humans);
    free(id);
}

static void personhood_schemes(void **state)
{
    (void)state;
    /* Wallets: w0 16 -> 1 (H1), w1 20 -> 2 and w2 16 -> 2 (H2, two wallets,
     * vp 36, its ballot is w2), w3 64 -> 1 (H3), w4 1000 -> 1 (unverified,
     * no human). Weights H1 1, H2 0.5, H3 1. */
    gvt_proposal *p = hand_proposal(GVT_TYPE_SINGLE_CHOICE, 2);
    hand_ballot(p, "0x01", "16", "1");
    hand_ballot(p, "0x02", "20", "2");
    hand_ballot(p, "0x03", "16", "2");
    hand_ballot(p, "0x04", "64", "1");
    hand_ballot(p, "0x05", "1000", "1");
    const hand_human hh[] = {
        {0, "1", "16", 1}, {2, "0.5", "36", 2}, {3, "1", "64", 1}};
    gvt_identity *id = hand_identity(p, hh, 3);
    mpz_t cap;
    mpz_init(cap);
    hand_fx(cap, "0.25");
    size_t n;

    /* personhood: w = weight. */
    gvt_unit *u = gvt_scheme_units(p, id, GVT_SCHEME_PERSONHOOD, cap, &n);
    assert_int_equal(n, 3);
    assert_ptr_equal(u[1].ballot, &p->ballots[2]);
    expect_weights(u, n, "1 0.5 1");
    gvt_units_free(u, n);
    /* quadratic-personhood: 1*sqrt(16), 0.5*sqrt(36), 1*sqrt(64). */
    u = gvt_scheme_units(p, id, GVT_SCHEME_QUADRATIC_PERSONHOOD, cap, &n);
    expect_weights(u, n, "4 3 8");
    gvt_units_free(u, n);
    /* capped-personhood: verified vp 16+36+64 = 116, cap 0.25: 29. */
    u = gvt_scheme_units(p, id, GVT_SCHEME_CAPPED_PERSONHOOD, cap, &n);
    expect_weights(u, n, "16 29 29");
    gvt_units_free(u, n);

    expect_scheme_scores(p, id, GVT_SCHEME_TOKEN, "0.25", "1080 36");
    expect_scheme_scores(p, id, GVT_SCHEME_PERSONHOOD, "0.25", "2 0.5");
    expect_scheme_scores(p, id, GVT_SCHEME_QUADRATIC_PERSONHOOD, "0.25",
                         "12 3");
    expect_scheme_scores(p, id, GVT_SCHEME_CAPPED_PERSONHOOD, "0.25", "45 29");
    /* Default cap 0.1: 11.6 each but H1 (16 > 11.6 too): all 11.6. */
    expect_scheme_scores(p, id, GVT_SCHEME_CAPPED_PERSONHOOD, "0.1",
                         "23.2 11.6");
    /* cap 1: nobody is capped. cap 0: every weight 0, no winner. */
    expect_scheme_scores(p, id, GVT_SCHEME_CAPPED_PERSONHOOD, "1", "80 36");
    expect_scheme_scores(p, id, GVT_SCHEME_CAPPED_PERSONHOOD, "0", "0 0");

    /* quadratic-personhood with an irrational root: 0.3 * sqrt(2) =
     * sqrt(0.18) = 0.42426406871192851464050661726290942357..., floored
     * at 36 digits. */
    hand_fx(id->humans[0].weight, "0.3");
    hand_fx(id->humans[0].vp, "2");
    u = gvt_scheme_units(p, id, GVT_SCHEME_QUADRATIC_PERSONHOOD, cap, &n);
    expect_weights(u, 1, "0.424264068711928514640506617262909423");
    gvt_units_free(u, n);

    mpz_clear(cap);
    hand_identity_free(id);
    gvt_proposal_free(p);
}

/* ---- property: splitting a wallet ---------------------------------------- */

/*
 * Humans 0..4, each one wallet with vp = its own random amount, choose
 * choice 1 + (h % n). Then the same proposal with human `split`'s vp spread
 * over k wallets (positive parts summing to the same vp exactly), all
 * voting the same way. Personhood schemes see the same humans and must
 * score identically; the per-wallet quadratic scheme gives the split human
 * sum(sqrt(part)) > sqrt(vp), so its choice's score grows.
 */
static void split_wallet(void **state)
{
    (void)state;
    const char *env = getenv("GVT_TEST_SEED");
    uint64_t base = env ? strtoull(env, NULL, 10) : 20261129;
    for (int round = 0; round < 6; round++) {
        uint64_t seed = base + (uint64_t)round, s = seed;
        printf("split_wallet: seed %llu\n", (unsigned long long)seed);
        gvt_type type =
            round % 2 ? GVT_TYPE_RANKED_CHOICE : GVT_TYPE_SINGLE_CHOICE;
        uint32_t nc = 3;
        const char *rank[] = {"1,2,3", "2,3,1", "3,1,2"};
        const char *single[] = {"1", "2", "3"};
        const char *const *ch = type == GVT_TYPE_RANKED_CHOICE ? rank : single;
        size_t split = hand_rng(&s) % 5;
        unsigned k = 2 + (unsigned)(hand_rng(&s) % 4);
        unsigned long vp[5];
        for (int h = 0; h < 5; h++)
            vp[h] = 1000 + hand_rng(&s) % 1000000; /* in 10^-3 units */

        gvt_proposal *one = hand_proposal(type, nc);
        gvt_proposal *many = hand_proposal(type, nc);
        hand_human h1[5], hk[5];
        char text[5][32], addr[43];
        unsigned long next = 1;
        for (size_t h = 0; h < 5; h++) {
            snprintf(text[h], sizeof text[h], "%lu.%03lu", vp[h] / 1000,
                     vp[h] % 1000);
            size_t b =
                hand_ballot(one, hand_address(addr, next), text[h], ch[h % nc]);
            h1[h] = (hand_human){b, "0.7", text[h], 1};
            if (h != split) {
                b = hand_ballot(many, hand_address(addr, next++), text[h],
                                ch[h % nc]);
                hk[h] = (hand_human){b, "0.7", text[h], 1};
                continue;
            }
            unsigned long left = vp[h];
            for (unsigned j = 0; j < k; j++) {
                unsigned long part =
                    j + 1 == k ? left : 1 + hand_rng(&s) % (left - (k - j));
                left -= part;
                char pt[32];
                snprintf(pt, sizeof pt, "%lu.%03lu", part / 1000, part % 1000);
                b = hand_ballot(many, hand_address(addr, next++), pt,
                                ch[h % nc]);
            }
            hk[h] = (hand_human){b, "0.7", text[h], k};
        }
        gvt_identity *id1 = hand_identity(one, h1, 5);
        gvt_identity *idk = hand_identity(many, hk, 5);
        const gvt_scheme same[] = {GVT_SCHEME_TOKEN, GVT_SCHEME_PERSONHOOD,
                                   GVT_SCHEME_QUADRATIC_PERSONHOOD,
                                   GVT_SCHEME_CAPPED_PERSONHOOD};
        for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
            char *a = scheme_scores(one, id1, same[i], "0.1");
            char *b = scheme_scores(many, idk, same[i], "0.1");
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
        /* Per-wallet quadratic: compare the split human's choice. */
        mpz_t c;
        mpz_init(c);
        size_t n1, nk;
        gvt_unit *u1 = gvt_scheme_units(one, id1, GVT_SCHEME_QUADRATIC, c, &n1);
        gvt_unit *uk =
            gvt_scheme_units(many, idk, GVT_SCHEME_QUADRATIC, c, &nk);
        assert_int_equal(nk, n1 + k - 1);
        mpz_t *s1 = hand_scores(nc), *sk = hand_scores(nc);
        gvt_rule_score(type, nc, u1, n1, s1, HAND_THREADS);
        gvt_rule_score(type, nc, uk, nk, sk, HAND_THREADS);
        if (type == GVT_TYPE_SINGLE_CHOICE)
            assert_true(mpz_cmp(sk[split % nc], s1[split % nc]) > 0);
        bool differs = false;
        for (uint32_t i = 0; i < nc; i++)
            differs |= mpz_cmp(s1[i], sk[i]) != 0;
        assert_true(differs);
        hand_scores_free(s1, nc);
        hand_scores_free(sk, nc);
        gvt_units_free(u1, n1);
        gvt_units_free(uk, nk);
        mpz_clear(c);
        hand_identity_free(id1);
        hand_identity_free(idk);
        gvt_proposal_free(one);
        gvt_proposal_free(many);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wallet_weights), cmocka_unit_test(scheme_rules),
        cmocka_unit_test(winners),        cmocka_unit_test(personhood_schemes),
        cmocka_unit_test(split_wallet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
