/*
 * test_outcome.c: decision rules and outcomes (tally/outcome/,
 * docs/outcomes.md) through the production path: an export read from
 * memory, gvt_tally_run_rule, the public accessors. Every expectation is
 * computed by hand in the comments; the boundaries of each comparison
 * (>= against >, strict shares of 10^18) are pinned on both sides. quorum_k
 * is checked against a brute-force search over every set of absent voters
 * on seeded random proposals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hand_ballots.h"

/* A basic proposal whose "proposal" object ends with the members `rule`
 * (",\"rule\":...", may be "") and whose votes are "choice:vp" pairs
 * separated by spaces, voters numbered from 1. */
static gvt_proposal *export_of(const char *type, const char *rule,
                               const char *votes)
{
    gvt_buf b;
    gvt_buf_init(&b);
    gvt_buf_printf(&b,
                   "{\"proposal\": {\"id\": \"t\", \"type\": \"%s\", "
                   "\"choices\": [\"For\", \"Against\", \"Abstain\"]%s}, "
                   "\"votes\": [",
                   type, rule);
    char *copy = gvt_xstrdup(votes), *save = NULL;
    int k = 0;
    for (char *t = strtok_r(copy, " ", &save); t;
         t = strtok_r(NULL, " ", &save)) {
        char *colon = strchr(t, ':');
        assert_non_null(colon);
        *colon = '\0';
        char addr[43];
        gvt_buf_printf(&b, "%s{\"voter\": \"%s\", \"choice\": %s, \"vp\": %s}",
                       k ? ", " : "", hand_address(addr, (unsigned long)k + 1),
                       t, colon + 1);
        k++;
    }
    free(copy);
    gvt_buf_puts(&b, "]}");
    gvt_proposal *p = NULL;
    gvt_error err;
    gvt_status st = gvt_proposal_read_mem("t.json", b.data, b.len, &p, &err);
    if (st)
        fprintf(stderr, "%s\n%s\n", b.data, err.message);
    assert_int_equal(st, GVT_OK);
    gvt_buf_free(&b);
    return p;
}

typedef struct run {
    gvt_proposal *p;
    gvt_result *r;
} run;

static run tally(const char *type, const char *rule, const char *votes,
                 const gvt_rule_options *o)
{
    run x = {export_of(type, rule, votes), NULL};
    gvt_error err;
    gvt_status st = gvt_tally_run_rule(x.p, NULL, o, &x.r, &err);
    if (st)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(st, GVT_OK);
    return x;
}

static void done(run *x)
{
    gvt_result_free(x->r);
    gvt_proposal_free(x->p);
}

/* The token outcome of a basic proposal under a rule. */
static gvt_outcome outcome_of(const char *rule, const char *votes,
                              const gvt_rule_options *o)
{
    run x = tally("basic", rule, votes, o);
    gvt_outcome out = gvt_result_token_outcome(x.r);
    done(&x);
    return out;
}

/* Snapshot's default quorum: scores_total >= quorum (reached at equality),
 * then For > Against (a tie is rejected); quorum 0 or none: no quorum. */
static void test_snapshot_default(void **state)
{
    (void)state;
    run x = tally("basic", ",\"quorum\":10", "1:6 2:4", NULL);
    assert_int_equal(gvt_result_quorum_reached(x.r), 1); /* 10 >= 10 */
    assert_int_equal(gvt_result_token_outcome(x.r), GVT_OUTCOME_PASSED);
    assert_string_equal(gvt_result_quorum_votes(x.r), "10");
    assert_string_equal(gvt_result_quorum(x.r), "10");
    assert_string_equal(gvt_result_quorum_type(x.r), "default");
    assert_null(gvt_result_outcome_reason(x.r));
    /* For 6 alone is below 10: Against carried the quorum; without the
     * For voter (6) 4 < 10: quorum_k 1 */
    assert_true(gvt_result_carried_by_quorum(x.r));
    assert_int_equal(gvt_result_quorum_k(x.r), 1);
    done(&x);

    x = tally("basic", ",\"quorum\":10.000000000000000001", "1:6 2:4", NULL);
    assert_int_equal(gvt_result_quorum_reached(x.r), 0);
    assert_int_equal(gvt_result_token_outcome(x.r), GVT_OUTCOME_FAILED_QUORUM);
    assert_true(gvt_result_blocked_by_quorum(x.r)); /* 6 > 4 */
    assert_int_equal(gvt_result_quorum_k(x.r), -1);
    for (size_t i = 0; i < gvt_result_scheme_count(x.r); i++)
        assert_int_equal(gvt_result_outcome(x.r, i), GVT_OUTCOME_FAILED_QUORUM);
    done(&x);

    x = tally("basic", ",\"quorum\":0", "1:1 2:1", NULL);
    assert_int_equal(gvt_result_quorum_reached(x.r), -1);
    assert_int_equal(gvt_result_token_outcome(x.r), GVT_OUTCOME_REJECTED);
    assert_int_equal(gvt_result_quorum_k(x.r), -1);
    done(&x);
    assert_int_equal(outcome_of("", "1:2 2:1", NULL), GVT_OUTCOME_PASSED);
    assert_int_equal(outcome_of(",\"quorum\":null", "1:2 2:1", NULL),
                     GVT_OUTCOME_PASSED);
}

/* Snapshot's quorum of rejection: rejected when Against > quorum (strict),
 * otherwise passed, For and Against not compared. */
static void test_snapshot_rejection(void **state)
{
    (void)state;
    const char *rej = ",\"quorum\":5,\"quorumType\":\"rejection\"";
    run x = tally("basic", rej, "1:1 2:5", NULL);
    assert_int_equal(gvt_result_quorum_reached(x.r), 0); /* 5 > 5 fails */
    assert_int_equal(gvt_result_token_outcome(x.r), GVT_OUTCOME_PASSED);
    assert_string_equal(gvt_result_quorum_type(x.r), "rejection");
    assert_false(gvt_result_carried_by_quorum(x.r));
    assert_false(gvt_result_blocked_by_quorum(x.r));
    assert_int_equal(gvt_result_quorum_k(x.r), -1);
    done(&x);
    assert_int_equal(outcome_of(rej, "1:9 2:5.000000000000000001", NULL),
                     GVT_OUTCOME_REJECTED);
    /* quorum 0: any Against rejects; none passes */
    const char *rej0 = ",\"quorum\":0,\"quorumType\":\"rejection\"";
    assert_int_equal(outcome_of(rej0, "1:9 2:0.000001", NULL),
                     GVT_OUTCOME_REJECTED);
    assert_int_equal(outcome_of(rej0, "1:9 3:4", NULL), GVT_OUTCOME_PASSED);
    /* a support given by the caller adds its threshold: 1 / (1 + 5) */
    gvt_rule_options o = {.support = "50%"};
    assert_int_equal(outcome_of(rej, "1:1 2:5", &o), GVT_OUTCOME_REJECTED);
}

static void test_not_decidable(void **state)
{
    (void)state;
    run x = tally("single-choice", ",\"quorum\":1", "1:6 2:4", NULL);
    assert_int_equal(gvt_result_token_outcome(x.r), GVT_OUTCOME_NOT_DECIDABLE);
    assert_non_null(
        strstr(gvt_result_outcome_reason(x.r), "basic proposals only"));
    assert_null(gvt_result_quorum_votes(x.r));
    assert_int_equal(gvt_result_quorum_reached(x.r), -1);
    done(&x);

    x = tally("basic", ",\"rule\":\"unknown\"", "1:6", NULL);
    assert_non_null(strstr(gvt_result_outcome_reason(x.r), "not known"));
    done(&x);

    x = tally("basic", ",\"rule\":\"openzeppelin\"", "1:6", NULL);
    assert_non_null(strstr(gvt_result_outcome_reason(x.r),
                           "quorumNumerator x past total supply"));
    done(&x);
    gvt_rule_options share = {.quorum = "4%"};
    x = tally("basic", ",\"rule\":\"openzeppelin\"", "1:6", &share);
    assert_non_null(strstr(gvt_result_outcome_reason(x.r),
                           "a share is given but not the supply"));
    assert_string_equal(gvt_result_quorum_share(x.r), "0.04");
    done(&x);

    /* a figure of the export that cannot be used, and the caller's over it */
    x = tally("basic", ",\"quorum\":-5", "1:6", NULL);
    assert_non_null(strstr(gvt_result_outcome_reason(x.r), "quorum -5"));
    done(&x);
    gvt_rule_options q = {.quorum = "6"};
    x = tally("basic", ",\"quorum\":-5", "1:6", &q);
    assert_null(gvt_result_outcome_reason(x.r));
    assert_int_equal(gvt_result_token_outcome(x.r), GVT_OUTCOME_PASSED);
    done(&x);
    /* Snapshot's quorumType matters to Snapshot's rule only */
    x = tally("basic", ",\"quorumType\":\"weird\"", "1:6", NULL);
    assert_non_null(strstr(gvt_result_outcome_reason(x.r), "quorumType"));
    done(&x);
    gvt_rule_options oz = {.rule = "openzeppelin", .quorum = "6"};
    assert_int_equal(outcome_of(",\"quorumType\":\"weird\"", "1:6", &oz),
                     GVT_OUTCOME_PASSED);
}

/* OpenZeppelin: quorum <= For + Abstain; For > Against. Compound: For >=
 * quorumVotes; For > Against. */
static void test_governors(void **state)
{
    (void)state;
    const char *oz = ",\"rule\":\"openzeppelin\",\"quorum\":10";
    assert_int_equal(outcome_of(oz, "1:4 3:6 2:3", NULL), GVT_OUTCOME_PASSED);
    assert_int_equal(outcome_of(oz, "1:4 3:5.999999 2:3", NULL),
                     GVT_OUTCOME_FAILED_QUORUM);
    assert_int_equal(outcome_of(oz, "1:4 3:6 2:4", NULL), GVT_OUTCOME_REJECTED);
    /* Against does not count toward OpenZeppelin's quorum */
    assert_int_equal(outcome_of(oz, "1:4 2:3 2:30", NULL),
                     GVT_OUTCOME_FAILED_QUORUM);
    const char *co = ",\"rule\":\"compound\",\"quorum\":10";
    assert_int_equal(outcome_of(co, "1:10 2:9.99", NULL), GVT_OUTCOME_PASSED);
    assert_int_equal(outcome_of(co, "1:9.999999999999999999 2:1", NULL),
                     GVT_OUTCOME_FAILED_QUORUM);
    /* nor does Abstain toward Compound's */
    assert_int_equal(outcome_of(co, "1:9 3:50", NULL),
                     GVT_OUTCOME_FAILED_QUORUM);
    /* a share of the supply: 4% of 250 = 10 */
    gvt_rule_options o = {.quorum = "4%", .supply = "250"};
    run x = tally("basic", ",\"rule\":\"compound\"", "1:10 2:1", &o);
    assert_string_equal(gvt_result_quorum(x.r), "10");
    assert_int_equal(gvt_result_token_outcome(x.r), GVT_OUTCOME_PASSED);
    done(&x);
    /* the caller's rule over the export's */
    gvt_rule_options to_oz = {.rule = "openzeppelin"};
    assert_int_equal(outcome_of(co, "1:9 3:50", &to_oz), GVT_OUTCOME_PASSED);
}

/* Aragon: floor(value 10^18 / total) > pct, false on a zero total. */
static void test_aragon(void **state)
{
    (void)state;
    const char *ar = ",\"rule\":\"aragon\",\"support\":0.5,"
                     "\"quorum_share\":0,\"supply\":1000";
    /* support exactly 50%: 5e17 > 5e17 fails */
    assert_int_equal(outcome_of(ar, "1:50 2:50", NULL), GVT_OUTCOME_REJECTED);
    /* one unit of 10^-18 more For is not enough either: floor((50e18 + 1) /
     * (100 + 1e-18)) = 5e17 still */
    assert_int_equal(outcome_of(ar, "1:50.000000000000000001 2:50", NULL),
                     GVT_OUTCOME_REJECTED);
    /* 51 of 100: 5.1e17 > 5e17; quorum 0: floor(51e18 / 1000) > 0 */
    assert_int_equal(outcome_of(ar, "1:51 2:49", NULL), GVT_OUTCOME_PASSED);
    /* For 0: the quorum of 0% still needs For above 0 */
    assert_int_equal(outcome_of(ar, "2:49", NULL), GVT_OUTCOME_FAILED_QUORUM);
    /* a voting power of 0 fails the quorum (_isValuePct's zero total) */
    const char *zero = ",\"rule\":\"aragon\",\"support\":0.5,"
                       "\"quorum_share\":0,\"supply\":0";
    assert_int_equal(outcome_of(zero, "1:51 2:49", NULL),
                     GVT_OUTCOME_FAILED_QUORUM);
    /* its quorum must be a share */
    gvt_rule_options amount = {.quorum = "5"};
    run x = tally("basic", ar, "1:51 2:49", &amount);
    assert_non_null(strstr(gvt_result_outcome_reason(x.r), "N%"));
    assert_null(gvt_result_quorum(x.r));
    done(&x);
    x = tally("basic", ",\"rule\":\"aragon\"", "1:51 2:49", NULL);
    assert_non_null(strstr(gvt_result_outcome_reason(x.r), "support"));
    done(&x);
}

static void test_bad_options(void **state)
{
    (void)state;
    gvt_proposal *p = export_of("basic", "", "1:1");
    const gvt_rule_options bad[] = {
        {.rule = "majority"},
        {.quorum = "abc"},
        {.quorum = "150%"},
        {.quorum = "-1"},
        {.support = "1.5"},
        {.support = "x%"},
        {.supply = "1e999"},
        {.quorum = "%"},
        {.quorum = "0.00000000000000000000000000000000001%"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gvt_result *r = (gvt_result *)1;
        gvt_error err;
        assert_int_equal(gvt_tally_run_rule(p, NULL, &bad[i], &r, &err),
                         GVT_ERR_USAGE);
        assert_null(r);
    }
    gvt_proposal_free(p);
    /* the reader refuses a rule it does not know, and numbers as text */
    const char *docs[] = {
        "{\"proposal\":{\"type\":\"basic\",\"choices\":[\"a\"],"
        "\"rule\":\"majority\"},\"votes\":[]}",
        "{\"proposal\":{\"type\":\"basic\",\"choices\":[\"a\"],"
        "\"quorum\":\"10\"},\"votes\":[]}",
        "{\"proposal\":{\"type\":\"basic\",\"choices\":[\"a\"],"
        "\"support\":true},\"votes\":[]}"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        gvt_error err;
        assert_int_equal(
            gvt_proposal_read_mem("d", docs[i], strlen(docs[i]), &p, &err),
            GVT_ERR_DATA);
        assert_non_null(strstr(err.path, "$.proposal."));
    }
}

/*
 * quorum_k against brute force: on random basic proposals (up to 9
 * voters, vp with ties and zeros, an invalid choice now and then), the
 * fewest voters of any kind whose absence fails the quorum of a passed
 * proposal, searched over every subset, must be quorum_k (null when no
 * subset fails it). Each subset is re-tallied through the library.
 */
static int brute_quorum_k(const char *rule, const char **votes, int n)
{
    int best = -1;
    for (unsigned m = 1; m < (1u << n); m++) {
        int size = __builtin_popcount(m);
        if (best >= 0 && size >= best)
            continue;
        char kept[512] = "";
        for (int i = 0; i < n; i++)
            if (!(m >> i & 1u)) {
                strcat(kept, votes[i]);
                strcat(kept, " ");
            }
        if (outcome_of(rule, kept, NULL) == GVT_OUTCOME_FAILED_QUORUM)
            best = size;
    }
    return best;
}

static void test_quorum_k_brute(void **state)
{
    (void)state;
    uint64_t seed = 20261203;
    printf("test_quorum_k_brute: seed %llu\n", (unsigned long long)seed);
    int checked = 0;
    for (int trial = 0; trial < 240; trial++) {
        int n = 2 + (int)hand_rng_below(&seed, 8);
        char buf[9][24];
        const char *votes[9];
        char all[512] = "";
        for (int i = 0; i < n; i++) {
            unsigned c = 1 + hand_rng_below(&seed, 3);
            if (hand_rng_below(&seed, 10) == 0)
                c = 4; /* invalid choice: counts in Snapshot's total */
            unsigned vp = hand_rng_below(&seed, 6);
            snprintf(buf[i], sizeof buf[i], "%u:%u", c, vp);
            votes[i] = buf[i];
            strcat(all, buf[i]);
            strcat(all, " ");
        }
        char rule[160];
        unsigned q = hand_rng_below(&seed, 12);
        switch (trial % 4) {
        case 0:
            snprintf(rule, sizeof rule, ",\"quorum\":%u", q);
            break;
        case 1:
            snprintf(rule, sizeof rule,
                     ",\"rule\":\"openzeppelin\",\"quorum\":%u", q);
            break;
        case 2:
            snprintf(rule, sizeof rule, ",\"rule\":\"compound\",\"quorum\":%u",
                     q);
            break;
        default:
            snprintf(rule, sizeof rule,
                     ",\"rule\":\"aragon\",\"support\":0.5,"
                     "\"quorum_share\":0.%u,\"supply\":40",
                     q % 10);
        }
        run x = tally("basic", rule, all, NULL);
        if (gvt_result_token_outcome(x.r) == GVT_OUTCOME_PASSED) {
            int want = brute_quorum_k(rule, votes, n);
            if (gvt_result_quorum_k(x.r) != want)
                fprintf(stderr, "rule %s votes %s: quorum_k %ld, brute %d\n",
                        rule, all, gvt_result_quorum_k(x.r), want);
            assert_int_equal(gvt_result_quorum_k(x.r), want);
            checked++;
        }
        done(&x);
    }
    printf("test_quorum_k_brute: %d passed proposals checked\n", checked);
    assert_true(checked > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_default),
        cmocka_unit_test(test_snapshot_rejection),
        cmocka_unit_test(test_not_decidable),
        cmocka_unit_test(test_governors),
        cmocka_unit_test(test_aragon),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_quorum_k_brute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
