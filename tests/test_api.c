/*
 * test_api.c: reading a result through the public API alone (govtally.h
 * section 4), as a user of the installed library does: this test includes
 * nothing but the public header and links the shared library, so an
 * accessor that is not exported fails to link here.
 *
 * Expectations are worked out by hand: the whale-concentration fixture
 * (its README derives every whale figure; the shares, largest voters and
 * Lorenz curve below from the same five voters), the identity-every-reason
 * fixture's README (the identity counts), and two proposals made here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "govtally.h"

static gvt_proposal *read_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/fixtures/%s/proposal.json", GVT_SOURCE_DIR,
             name);
    gvt_proposal *p = NULL;
    gvt_error err;
    assert_int_equal(gvt_proposal_read_file(path, &p, &err), GVT_OK);
    return p;
}

static gvt_result *tally(const gvt_proposal *p)
{
    gvt_result *r = NULL;
    gvt_error err;
    assert_int_equal(gvt_tally_run(p, NULL, &r, &err), GVT_OK);
    return r;
}

static void assert_winners(const uint32_t *w, size_t n, uint32_t only)
{
    assert_int_equal(n, 1);
    assert_int_equal(w[0], only);
}

/*
 * whale-concentration: A/B, 0xaa.. 10 -> A, 0xbb.. 4 -> B, 0xcc.. 3 -> B,
 * 0xdd.. 2 -> B, 0xee.. 1 -> A; W = 20. Default schemes without
 * attestations: snapshot, token, address, quadratic.
 */
static void test_figures(void **state)
{
    (void)state;
    gvt_proposal *p = read_fixture("whale-concentration");
    gvt_result *r = tally(p);

    assert_ptr_equal(gvt_result_proposal(r), p);
    assert_string_equal(gvt_proposal_id(p), "whale-concentration");
    assert_int_equal(gvt_proposal_choice_count(p), 2);
    gvt_ballot_counts n = gvt_proposal_ballot_counts(p);
    assert_int_equal(n.read, 5);
    assert_int_equal(n.counted, 5);

    assert_false(gvt_result_has_identity(r));
    assert_int_equal(gvt_result_attestations(r, GVT_ATTEST_VALID), 0);
    assert_int_equal(gvt_result_humans(r), 0);

    assert_int_equal(gvt_result_scheme_count(r), 4);
    assert_int_equal(gvt_result_scheme(r, 0), GVT_SCHEME_SNAPSHOT);
    int tok = gvt_result_scheme_index(r, GVT_SCHEME_TOKEN);
    int adr = gvt_result_scheme_index(r, GVT_SCHEME_ADDRESS);
    assert_int_equal(tok, 1);
    assert_int_equal(adr, 2);
    assert_int_equal(gvt_result_scheme_index(r, GVT_SCHEME_PERSONHOOD), -1);
    /* token: A 11, B 9 of 20; address: A 2, B 3 of 5. */
    assert_string_equal(gvt_result_score(r, (size_t)tok, 0), "11");
    assert_string_equal(gvt_result_score(r, (size_t)tok, 1), "9");
    assert_string_equal(gvt_result_total(r, (size_t)tok), "20");
    assert_string_equal(gvt_result_share(r, (size_t)tok, 0), "0.55");
    assert_string_equal(gvt_result_share(r, (size_t)tok, 1), "0.45");
    assert_string_equal(gvt_result_score(r, (size_t)adr, 1), "3");
    assert_string_equal(gvt_result_total(r, (size_t)adr), "5");
    assert_string_equal(gvt_result_share(r, (size_t)adr, 0), "0.4");
    /* 0.55 * 5600 = 3080; 0.4 * 10000 = 4000. */
    assert_int_equal(gvt_result_share_scaled(r, (size_t)tok, 0, 5600), 3080);
    assert_int_equal(gvt_result_share_scaled(r, (size_t)adr, 0, 10000), 4000);
    size_t nw;
    const uint32_t *w = gvt_result_winners(r, (size_t)tok, &nw);
    assert_winners(w, nw, 1);
    assert_true(gvt_result_is_winner(r, (size_t)tok, 0));
    assert_false(gvt_result_is_winner(r, (size_t)tok, 1));
    assert_true(gvt_result_is_winner(r, (size_t)adr, 1));

    /* The README's whale figures. */
    assert_int_equal(gvt_result_voters(r), 5);
    assert_int_equal(gvt_result_nakamoto(r), 2);
    assert_string_equal(gvt_result_gini(r), "0.4");
    assert_string_equal(gvt_result_hhi(r), "3250");
    assert_string_equal(gvt_result_top1_share(r), "0.5");
    assert_string_equal(gvt_result_top10_share(r), "1");
    assert_false(gvt_result_single_voter_dominates(r));
    assert_int_equal(gvt_result_decisive_k(r), 1);
    assert_false(gvt_result_flipped(r, 0));
    assert_false(gvt_result_flipped(r, (size_t)tok));
    assert_true(gvt_result_flipped(r, (size_t)adr));
    assert_true(gvt_result_flipped(r, 3)); /* quadratic */
    assert_true(gvt_result_whale_veto(r));
    assert_int_equal(gvt_result_banzhaf_count(r), 5);
    assert_string_equal(gvt_result_banzhaf(r, 0), "0.9375");
    for (size_t i = 1; i < 5; i++)
        assert_string_equal(gvt_result_banzhaf(r, i), "0.0625");
    w = gvt_result_token_winners(r, &nw);
    assert_winners(w, nw, 1);
    w = gvt_result_headcount_winners(r, &nw);
    assert_winners(w, nw, 2);
    w = gvt_result_decisive_winners(r, &nw); /* without 0xaa: A 1, B 9 */
    assert_winners(w, nw, 2);

    /* Largest voters: 10, 4, 3, 2, 1 of 20. */
    static const struct {
        char c;
        const char *vp, *share, *cum;
    } top[] = {{'a', "10", "0.5", "0.5"},
               {'b', "4", "0.2", "0.7"},
               {'c', "3", "0.15", "0.85"},
               {'d', "2", "0.1", "0.95"},
               {'e', "1", "0.05", "1"}};
    assert_int_equal(gvt_result_top_voter_count(r), 5);
    for (size_t i = 0; i < 5; i++) {
        const gvt_voter_figures *v = gvt_result_top_voter(r, i);
        assert_non_null(v);
        assert_int_equal(strlen(v->voter), 42);
        assert_int_equal(v->voter[2], top[i].c);
        assert_int_equal(v->voter[41], top[i].c);
        assert_string_equal(v->vp, top[i].vp);
        assert_string_equal(v->share, top[i].share);
        assert_string_equal(v->cumulative_share, top[i].cum);
    }
    /* Lorenz: the smallest 0..5 hold 0, 1, 3, 6, 10, 20 of 20. */
    unsigned long y[6];
    assert_int_equal(gvt_result_lorenz(r, 5, 3000, y), 6);
    static const unsigned long want[6] = {0, 150, 450, 900, 1500, 3000};
    for (int j = 0; j < 6; j++)
        assert_int_equal(y[j], want[j]);
    /* Two points: the smallest 0, 2 (5 * 1 / 2), 5: 0, 3, 20. */
    assert_int_equal(gvt_result_lorenz(r, 2, 20, y), 3);
    assert_int_equal(y[1], 3);
    assert_int_equal(y[2], 20);

    /* Out of range: NULL, 0 or -1, never a crash. */
    assert_null(gvt_result_score(r, 4, 0));
    assert_null(gvt_result_score(r, 0, 2));
    assert_null(gvt_result_share(r, 0, 2));
    assert_null(gvt_result_total(r, 9));
    assert_int_equal(gvt_result_share_scaled(r, 9, 0, 100), 0);
    assert_null(gvt_result_winners(r, 9, &nw));
    assert_int_equal(nw, 0);
    assert_false(gvt_result_is_winner(r, 0, 7));
    assert_false(gvt_result_flipped(r, 9));
    assert_int_equal(gvt_result_scheme(r, 9), GVT_SCHEME_COUNT);
    assert_null(gvt_result_banzhaf(r, 5));
    assert_null(gvt_result_top_voter(r, 5));
    assert_int_equal(gvt_result_attestations(r, (gvt_attest_reason)99), 0);
    assert_int_equal(gvt_result_lorenz(r, 0, 100, y), 0);
    assert_int_equal(gvt_result_lorenz(r, 6, 100, y), 0);

    gvt_result_free(r);
    gvt_proposal_free(p);
}

static gvt_proposal *read_mem(const char *json)
{
    gvt_proposal *p = NULL;
    gvt_error err;
    assert_int_equal(gvt_proposal_read_mem("mem", json, strlen(json), &p, &err),
                     GVT_OK);
    return p;
}

/*
 * A share without a finite decimal: A 1, B 13 of 14. A's share 1/14 =
 * 0.0714285714285714285714... is floored to 18 digits; at scale 7 it is
 * exactly one half, which rounds up to 1, while the 18-digit string would
 * give 0.4999... and 0: what gvt_result_share_scaled is for.
 */
static void test_exact_scale(void **state)
{
    (void)state;
    gvt_proposal *p =
        read_mem("{\"proposal\": {\"id\": \"x\", \"type\": \"single-choice\", "
                 "\"choices\": [\"A\", \"B\"]}, \"votes\": ["
                 "{\"voter\": \"0x1111111111111111111111111111111111111111\", "
                 "\"choice\": 1, \"vp\": 1},"
                 "{\"voter\": \"0x2222222222222222222222222222222222222222\", "
                 "\"choice\": 2, \"vp\": 13}]}");
    gvt_scheme token = GVT_SCHEME_TOKEN;
    gvt_tally_options opt = {.schemes = &token, .n_schemes = 1};
    gvt_result *r = NULL;
    gvt_error err;
    assert_int_equal(gvt_tally_run(p, &opt, &r, &err), GVT_OK);
    assert_string_equal(gvt_result_share(r, 0, 0), "0.071428571428571428");
    assert_int_equal(gvt_result_share_scaled(r, 0, 0, 7), 1);
    assert_int_equal(gvt_result_share_scaled(r, 0, 1, 7), 7); /* 6.5 up */
    /* Lorenz at scale 7: the smaller voter holds 1/14: one half, up. */
    unsigned long y[3];
    assert_int_equal(gvt_result_lorenz(r, 2, 7, y), 3);
    assert_int_equal(y[0], 0);
    assert_int_equal(y[1], 1);
    assert_int_equal(y[2], 7);
    assert_string_equal(gvt_result_top_voter(r, 1)->share,
                        "0.071428571428571428");
    gvt_result_free(r);
    gvt_proposal_free(p);
}

/* No counted vp: shares are "0", no Lorenz curve, no Banzhaf index. */
static void test_zero_vp(void **state)
{
    (void)state;
    gvt_proposal *p =
        read_mem("{\"proposal\": {\"id\": \"z\", \"type\": \"single-choice\", "
                 "\"choices\": [\"A\", \"B\"]}, \"votes\": ["
                 "{\"voter\": \"0x1111111111111111111111111111111111111111\", "
                 "\"choice\": 1, \"vp\": 0}]}");
    gvt_result *r = tally(p);
    int tok = gvt_result_scheme_index(r, GVT_SCHEME_TOKEN);
    assert_true(tok >= 0);
    assert_string_equal(gvt_result_total(r, (size_t)tok), "0");
    assert_string_equal(gvt_result_share(r, (size_t)tok, 0), "0");
    assert_int_equal(gvt_result_share_scaled(r, (size_t)tok, 0, 100), 0);
    assert_int_equal(gvt_result_voters(r), 1);
    assert_int_equal(gvt_result_nakamoto(r), 0);
    assert_int_equal(gvt_result_banzhaf_count(r), 0);
    assert_int_equal(gvt_result_decisive_k(r), -1);
    unsigned long y[2];
    assert_int_equal(gvt_result_lorenz(r, 1, 100, y), 0);
    assert_int_equal(gvt_result_top_voter_count(r), 1);
    assert_string_equal(gvt_result_top_voter(r, 0)->share, "0");
    gvt_result_free(r);
    gvt_proposal_free(p);
}

/* identity-every-reason: the README's table, one outcome per line. */
static void test_identity(void **state)
{
    (void)state;
    char path[512];
    gvt_error err;
    gvt_proposal *p = read_fixture("identity-every-reason");
    gvt_attestations *a = NULL;
    gvt_trust *t = NULL;
    snprintf(path, sizeof path, "%s/fixtures/identity-every-reason/att.jsonl",
             GVT_SOURCE_DIR);
    assert_int_equal(gvt_attestations_read_file(path, &a, &err), GVT_OK);
    snprintf(path, sizeof path,
             "%s/fixtures/identity-every-reason/issuers.json", GVT_SOURCE_DIR);
    assert_int_equal(gvt_trust_read_file(path, &t, &err), GVT_OK);
    gvt_tally_options opt = {.attestations = a, .trust = t, .threads = 1};
    gvt_result *r = NULL;
    assert_int_equal(gvt_tally_run(p, &opt, &r, &err), GVT_OK);
    assert_true(gvt_result_has_identity(r));
    assert_int_equal(gvt_result_attestations_read(r), 15);
    static const size_t want[GVT_ATTEST_REASON_COUNT] = {
        [GVT_ATTEST_VALID] = 3,         [GVT_ATTEST_DUPLICATE] = 1,
        [GVT_ATTEST_UNUSED] = 1,        [GVT_ATTEST_UNTRUSTED_ISSUER] = 1,
        [GVT_ATTEST_BAD_SIGNATURE] = 1, [GVT_ATTEST_ISSUER_WINDOW] = 1,
        [GVT_ATTEST_REVOKED] = 2,       [GVT_ATTEST_WRONG_SCOPE] = 1,
        [GVT_ATTEST_NOT_YET_VALID] = 1, [GVT_ATTEST_EXPIRED] = 1,
        [GVT_ATTEST_CONFLICT] = 2};
    for (int k = 0; k < GVT_ATTEST_REASON_COUNT; k++)
        assert_int_equal(gvt_result_attestations(r, (gvt_attest_reason)k),
                         want[k]);
    assert_int_equal(gvt_result_humans(r), 3);
    assert_int_equal(gvt_result_verified_wallets(r), 3);
    assert_int_equal(gvt_result_unverified_wallets(r), 2);
    int ph = gvt_result_scheme_index(r, GVT_SCHEME_PERSONHOOD);
    assert_true(ph >= 0);
    assert_string_equal(gvt_result_score(r, (size_t)ph, 0), "2");
    assert_string_equal(gvt_result_score(r, (size_t)ph, 1), "1");
    size_t nw;
    const uint32_t *w = gvt_result_headcount_winners(r, &nw);
    assert_winners(w, nw, 1); /* personhood's, with attestations */
    gvt_result_free(r);
    gvt_trust_free(t);
    gvt_attestations_free(a);
    gvt_proposal_free(p);
}

/* One version, from CMake's project(): the header's and the library's. */
/*
 * What issue 14 added to the interface: the proposal's title, state and
 * times, the warnings, the picking of one proposal out of a stream, and
 * report options. whale-concentration has no title or state, start
 * 1700000000 and end 1700100000; at now = 1700050000 it is still open.
 */
static void test_reading_more(void **state)
{
    (void)state;
    gvt_proposal *p = read_fixture("whale-concentration");
    assert_string_equal(gvt_proposal_title(p), "");
    assert_string_equal(gvt_proposal_state(p), "");
    assert_true(gvt_proposal_start(p) == 1700000000);
    assert_true(gvt_proposal_end(p) == 1700100000);
    gvt_tally_options opt = {.now = 1700050000};
    gvt_result *r = NULL;
    gvt_error err;
    assert_int_equal(gvt_tally_run(p, &opt, &r, &err), GVT_OK);
    assert_int_equal(gvt_result_warning_count(r), 1);
    assert_string_equal(gvt_result_warning_code(r, 0), "active");
    assert_non_null(
        strstr(gvt_result_warning(r, 0), "ends 2023-11-16 02:00:00 UTC"));
    FILE *f = tmpfile();
    assert_non_null(f);
    gvt_write_options wo = {.width = 0};
    assert_int_equal(gvt_result_write_with(r, GVT_FORMAT_TEXT, &wo, f, &err),
                     GVT_OK);
    assert_true(ftell(f) > 100);
    fclose(f);
    gvt_result_free(r);
    gvt_proposal_free(p);

    char path[512];
    snprintf(path, sizeof path, "%s/fixtures/whale-concentration/proposal.json",
             GVT_SOURCE_DIR);
    size_t n = 0;
    assert_int_equal(
        gvt_proposal_pick(path, "whale-concentration", &p, &n, &err), GVT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(gvt_proposal_id(p), "whale-concentration");
    gvt_proposal_free(p);
    assert_int_equal(gvt_proposal_pick(path, "nope", &p, &n, &err),
                     GVT_ERR_DATA);
    assert_null(p);
}

/* gvt_time_parse: unix seconds and ISO 8601, the values by Python's
 * datetime.fromisoformat(...).timestamp(). */
static void test_time_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long long want;
    } ok[] = {{"1700000000", 1700000000},
              {"1700000000.0", 1700000000},
              {"0", 0},
              {"2023-11-14T22:13:20Z", 1700000000},
              {"2023-11-14 22:13:20", 1700000000},
              {"2023-11-14T23:13:20+01:00", 1700000000},
              {"2023-11-14T17:13:20-0500", 1700000000},
              {"2023-11-14 22:13:20.999 UTC", 1700000000},
              {"2023-11-14", 1699920000},
              {"2024-02-29T00:00", 1709164800},
              {"1969-12-31T23:59:59Z", -1}};
    gvt_error err;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        long long t = 42;
        assert_int_equal(gvt_time_parse(ok[i].text, &t, &err), GVT_OK);
        if (t != ok[i].want)
            fail_msg("%s: %lld, wanted %lld", ok[i].text, t, ok[i].want);
    }
    const char *const bad[] = {"",
                               "-5",
                               "tomorrow",
                               "2023-13-01",
                               "2023-11-14T25:00",
                               "1.5",
                               "2023-11-14T22:13:20 CET"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long long t;
        assert_int_equal(gvt_time_parse(bad[i], &t, &err), GVT_ERR_USAGE);
        assert_non_null(strstr(err.message, "ISO 8601"));
    }
}

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(GVT_VERSION, GVT_PROJECT_VERSION);
    assert_string_equal(gvt_version(), GVT_PROJECT_VERSION);
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", GVT_VERSION_MAJOR, GVT_VERSION_MINOR,
             GVT_VERSION_PATCH);
    assert_string_equal(v, GVT_PROJECT_VERSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),     cmocka_unit_test(test_figures),
        cmocka_unit_test(test_exact_scale), cmocka_unit_test(test_zero_vp),
        cmocka_unit_test(test_identity),    cmocka_unit_test(test_reading_more),
        cmocka_unit_test(test_time_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
